/*
 * wsaevents_win32.h -- the Win32 basics that Winsock console programs call (Linux/macOS).
 *
 * Internal to the wsaevents compat headers: included by <windows.h> (and so by
 * <winsock2.h>); include one of those instead. What it gives, console-appropriate:
 *
 *   - FormatMessageA/W with FORMAT_MESSAGE_FROM_SYSTEM (| ALLOCATE_BUFFER | IGNORE_INSERTS
 *     | MAX_WIDTH_MASK): the message text an English Windows gives, "\r\n" included, for
 *     every Winsock error code and the Win32 codes this library sets; MAKELANGID & co.;
 *   - LocalAlloc/LocalFree, GlobalAlloc/GlobalFree (LMEM_/GMEM_MOVEABLE behave as FIXED),
 *     GetProcessHeap, HeapAlloc/HeapReAlloc/HeapFree/HeapSize;
 *   - CRITICAL_SECTION (recursive, as on Windows);
 *   - threads: CreateThread (CREATE_SUSPENDED + ResumeThread), ExitThread,
 *     GetCurrentThreadId, GetExitCodeThread (STILL_ACTIVE while running); a thread handle
 *     is waitable with WaitForSingleObject/WaitForMultipleObjects and closed with
 *     CloseHandle, as on Windows (process.h has _beginthreadex & co.);
 *   - Interlocked* (full barriers, as on Windows), MemoryBarrier, YieldProcessor;
 *   - GetLocalTime/GetSystemTime (SYSTEMTIME), GetSystemTimeAsFileTime;
 *   - lstrlen/lstrcpy/lstrcpyn/lstrcat/lstrcmp/lstrcmpi and wsprintf (A and W);
 *   - SetConsoleCtrlHandler / GenerateConsoleCtrlEvent (Ctrl+C is SIGINT);
 *   - MessageBoxA/W (writes "caption: text" to stderr and returns the default button),
 *     OutputDebugStringA/W (writes to stderr), ExitProcess, GetCurrentProcessId;
 *   - the CRT names Windows code uses (see wsaevents_crt.h).
 *
 * Not provided (see docs/porting.md): windows, messages and GDI; the registry; the file
 * API (CreateFile, ReadFile, ...); processes; mutex/semaphore objects.
 */
#ifndef WSAEVENTS_WIN32_H
#define WSAEVENTS_WIN32_H

#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER)
#  error "wsaevents_win32.h is for Linux/macOS only (a Windows toolchain uses its own headers)"
#endif

#include "wsaevents_base.h"
#include <pthread.h> /* ExitThread ends the thread with pthread_exit (see below) */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Handles of the console subset -------------------------------------------------------- */
typedef HANDLE HLOCAL;
typedef HANDLE HGLOBAL;
typedef HANDLE HWND;
typedef HANDLE HINSTANCE;
typedef HINSTANCE HMODULE;

#ifndef DECLSPEC_NORETURN
#  define DECLSPEC_NORETURN WSAEVENTS_NORETURN
#endif

/* ---- More Win32 error codes (winerror.h) ------------------------------------------------- */
#define ERROR_INVALID_FUNCTION 1
#define ERROR_ACCESS_DENIED 5
#define ERROR_OUTOFMEMORY 14
#define ERROR_INSUFFICIENT_BUFFER 122
#define ERROR_MORE_DATA 234
#define ERROR_NO_MORE_ITEMS 259
#define ERROR_MR_MID_NOT_FOUND 317
#define ERROR_INVALID_FLAGS 1004
#define ERROR_RESOURCE_TYPE_NOT_FOUND 1813
#define ERROR_RESOURCE_LANG_NOT_FOUND 1815
#define ERROR_TIMEOUT 1460

/* ---- FormatMessage ------------------------------------------------------------------------ */
#define FORMAT_MESSAGE_ALLOCATE_BUFFER 0x00000100
#define FORMAT_MESSAGE_IGNORE_INSERTS 0x00000200
#define FORMAT_MESSAGE_FROM_STRING 0x00000400
#define FORMAT_MESSAGE_FROM_HMODULE 0x00000800
#define FORMAT_MESSAGE_FROM_SYSTEM 0x00001000
#define FORMAT_MESSAGE_ARGUMENT_ARRAY 0x00002000
#define FORMAT_MESSAGE_MAX_WIDTH_MASK 0x000000FF

#define LANG_NEUTRAL 0x00
#define LANG_INVARIANT 0x7f
#define LANG_ENGLISH 0x09
#define SUBLANG_NEUTRAL 0x00
#define SUBLANG_DEFAULT 0x01
#define SUBLANG_SYS_DEFAULT 0x02
#define SUBLANG_ENGLISH_US 0x01
#define SUBLANG_ENGLISH_UK 0x02
#define MAKELANGID(p, s) ((((WORD)(s)) << 10) | (WORD)(p))
#define PRIMARYLANGID(lgid) ((WORD)(lgid) & 0x3ff)
#define SUBLANGID(lgid) ((WORD)(lgid) >> 10)
#define LANG_SYSTEM_DEFAULT (MAKELANGID(LANG_NEUTRAL, SUBLANG_SYS_DEFAULT))
#define LANG_USER_DEFAULT (MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT))

/**
 * FormatMessageA / FormatMessageW: the system message for dwMessageId, as an English
 * (en-US) Windows gives it: "The handle is invalid.\r\n". dwFlags must include
 * FORMAT_MESSAGE_FROM_SYSTEM (FROM_HMODULE with a NULL module is accepted alongside it);
 * FORMAT_MESSAGE_ALLOCATE_BUFFER makes lpBuffer a pointer to a pointer that receives a
 * LocalAlloc'd buffer of at least nSize characters (free it with LocalFree);
 * FORMAT_MESSAGE_MAX_WIDTH_MASK turns each line break of the text into a space (so the
 * result ends in " "). The texts have no inserts, so IGNORE_INSERTS and Arguments change
 * nothing. Returns the characters stored, without the terminating NUL; 0 on failure with
 * GetLastError(): ERROR_MR_MID_NOT_FOUND (317, no such message), ERROR_RESOURCE_LANG_NOT_FOUND
 * (1815, a language other than neutral/default/English), ERROR_INSUFFICIENT_BUFFER (122),
 * ERROR_INVALID_PARAMETER (87: NULL lpBuffer, or FROM_STRING, which is not provided),
 * ERROR_RESOURCE_TYPE_NOT_FOUND (1813: FROM_HMODULE alone -- the program has no message
 * table).
 */
DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                            DWORD dwLanguageId, LPSTR lpBuffer, DWORD nSize, va_list *Arguments);
DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                            DWORD dwLanguageId, LPWSTR lpBuffer, DWORD nSize, va_list *Arguments);
#ifdef UNICODE
#  define FormatMessage FormatMessageW
#else
#  define FormatMessage FormatMessageA
#endif

/* ---- Memory -------------------------------------------------------------------------------- */
#define LMEM_FIXED 0x0000
#define LMEM_MOVEABLE 0x0002
#define LMEM_ZEROINIT 0x0040
#define LPTR (LMEM_FIXED | LMEM_ZEROINIT)
#define LHND (LMEM_MOVEABLE | LMEM_ZEROINIT)
#define NONZEROLPTR LMEM_FIXED
#define GMEM_FIXED 0x0000
#define GMEM_MOVEABLE 0x0002
#define GMEM_ZEROINIT 0x0040
#define GPTR (GMEM_FIXED | GMEM_ZEROINIT)
#define GHND (GMEM_MOVEABLE | GMEM_ZEROINIT)
#define HEAP_NO_SERIALIZE 0x00000001
#define HEAP_GENERATE_EXCEPTIONS 0x00000004
#define HEAP_ZERO_MEMORY 0x00000008
#define HEAP_REALLOC_IN_PLACE_ONLY 0x00000010

/**
 * LocalAlloc / GlobalAlloc: a block of uBytes (zeroed with LMEM_ZEROINIT / GMEM_ZEROINIT),
 * or NULL with ERROR_NOT_ENOUGH_MEMORY. MOVEABLE blocks are fixed here: the handle is the
 * pointer, and LocalLock/GlobalLock return it. LocalFree / GlobalFree: NULL on success (and
 * for NULL); the handle back with ERROR_INVALID_HANDLE for a block this library did not
 * allocate. The Local, Global and Heap functions share one allocator, as on Windows.
 */
HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes);
HLOCAL WINAPI LocalReAlloc(HLOCAL hMem, SIZE_T uBytes, UINT uFlags);
HLOCAL WINAPI LocalFree(HLOCAL hMem);
SIZE_T WINAPI LocalSize(HLOCAL hMem);
LPVOID WINAPI LocalLock(HLOCAL hMem);
BOOL WINAPI LocalUnlock(HLOCAL hMem);
HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes);
HGLOBAL WINAPI GlobalReAlloc(HGLOBAL hMem, SIZE_T dwBytes, UINT uFlags);
HGLOBAL WINAPI GlobalFree(HGLOBAL hMem);
SIZE_T WINAPI GlobalSize(HGLOBAL hMem);
LPVOID WINAPI GlobalLock(HGLOBAL hMem);
BOOL WINAPI GlobalUnlock(HGLOBAL hMem);

/**
 * GetProcessHeap: the process heap (the only heap: HeapCreate is not provided). HeapAlloc:
 * a block (zeroed with HEAP_ZERO_MEMORY), or NULL (last error untouched, as on Windows;
 * ERROR_INVALID_HANDLE for another heap handle). HeapReAlloc: the block resized (the new
 * tail zeroed with HEAP_ZERO_MEMORY; HEAP_REALLOC_IN_PLACE_ONLY fails rather than move a
 * growing block), or NULL with the old block intact. HeapFree: TRUE (also for NULL), or
 * FALSE with ERROR_INVALID_PARAMETER for a block this library did not allocate. HeapSize:
 * the block's size, or (SIZE_T)-1.
 */
HANDLE WINAPI GetProcessHeap(void);
LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes);
LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes);
BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem);
SIZE_T WINAPI HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem);

/* ---- Critical sections --------------------------------------------------------------------- */

/* Windows' layout (40 bytes on 64-bit). DebugInfo holds the library's lock (Windows also
 * allocates a debug block there); OwningThread (the owner's thread id) and RecursionCount
 * are kept as Windows keeps them; LockCount is -1 when the section is free. */
typedef struct _RTL_CRITICAL_SECTION_DEBUG *PRTL_CRITICAL_SECTION_DEBUG;
typedef struct _RTL_CRITICAL_SECTION {
    PRTL_CRITICAL_SECTION_DEBUG DebugInfo;
    LONG LockCount;
    LONG RecursionCount;
    HANDLE OwningThread;
    HANDLE LockSemaphore;
    ULONG_PTR SpinCount;
} RTL_CRITICAL_SECTION, *PRTL_CRITICAL_SECTION;
typedef RTL_CRITICAL_SECTION CRITICAL_SECTION, *PCRITICAL_SECTION, *LPCRITICAL_SECTION;
WSAEVENTS_STATIC_ASSERT(sizeof(CRITICAL_SECTION) == 4 * sizeof(void *) + 8,
                        "CRITICAL_SECTION has Windows' layout");

/**
 * InitializeCriticalSection(AndSpinCount/Ex) set a section up (the spin count is kept and
 * returned by SetCriticalSectionSpinCount; the lock does not spin). EnterCriticalSection
 * blocks until the calling thread owns the section; a thread that owns it enters again
 * (recursively, as on Windows) and must leave as many times. TryEnterCriticalSection: TRUE
 * if entered, FALSE at once if another thread owns it. LeaveCriticalSection by a thread
 * that does not own the section does nothing (Windows corrupts the section).
 * DeleteCriticalSection frees what Initialize allocated.
 */
void WINAPI InitializeCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION lpCriticalSection,
                                                  DWORD dwSpinCount);
BOOL WINAPI InitializeCriticalSectionEx(LPCRITICAL_SECTION lpCriticalSection, DWORD dwSpinCount,
                                        DWORD Flags);
DWORD WINAPI SetCriticalSectionSpinCount(LPCRITICAL_SECTION lpCriticalSection, DWORD dwSpinCount);
void WINAPI EnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
void WINAPI LeaveCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
void WINAPI DeleteCriticalSection(LPCRITICAL_SECTION lpCriticalSection);

/* ---- Threads ------------------------------------------------------------------------------- */
#define STILL_ACTIVE 259
#define CREATE_SUSPENDED 0x00000004
#define STACK_SIZE_PARAM_IS_A_RESERVATION 0x00010000

typedef DWORD(WINAPI *PTHREAD_START_ROUTINE)(LPVOID lpThreadParameter);
typedef PTHREAD_START_ROUTINE LPTHREAD_START_ROUTINE;

/**
 * CreateThread: a thread running lpStartAddress(lpParameter), and its handle (NULL with the
 * last error on failure). The handle is an object of the same table as events and sockets:
 * WaitForSingleObject / WaitForMultipleObjects (and WSAWaitForMultipleEvents) on it return
 * once the thread has ended; CloseHandle closes it (the thread runs on). lpThreadId, if not
 * NULL, receives its id. CREATE_SUSPENDED starts it suspended until ResumeThread; other
 * flags and lpThreadAttributes are ignored; dwStackSize 0 is the default size.
 */
HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                           LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                           DWORD dwCreationFlags, LPDWORD lpThreadId);
/** ResumeThread: the previous suspend count (1 for a thread created suspended, then 0), or
 *  (DWORD)-1 with ERROR_INVALID_HANDLE. SuspendThread is not provided. */
DWORD WINAPI ResumeThread(HANDLE hThread);
/** GetExitCodeThread: TRUE with STILL_ACTIVE (259) while the thread runs, then its exit
 *  code; FALSE with ERROR_INVALID_HANDLE for anything but a thread handle. */
BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode);
/** GetCurrentThreadId: a non-zero id, unique among the process's live threads. */
DWORD WINAPI GetCurrentThreadId(void);
/** GetCurrentProcessId: the process id. */
DWORD WINAPI GetCurrentProcessId(void);
/** SwitchToThread: yields the processor; TRUE. */
BOOL WINAPI SwitchToThread(void);

/* Records the calling thread's exit code and signals its handle (the library's part of
 * ExitThread / _endthreadex; not a Windows function). */
void WINAPI wsaevents_thread_exiting(DWORD dwExitCode);

/**
 * ExitThread: ends the calling thread with dwExitCode (its handle is then signalled and
 * GetExitCodeThread returns the code). The thread ends with pthread_exit, which unwinds
 * the thread's stack (in C++, destructors run -- on Windows they do not).
 */
WSAEVENTS_NORETURN WSAEVENTS_STATIC_INLINE void ExitThread(DWORD dwExitCode)
{
    wsaevents_thread_exiting(dwExitCode);
    pthread_exit(NULL);
}

/* ---- Interlocked operations: full barriers, as on Windows ---------------------------------- */
/* They take a LONG (32-bit) on Windows, where long is LONG too; programs here often pass the
 * address of a `long` (64-bit). So in C they are type-generic macros over the compiler's
 * atomics (the operation has the width of the variable), and in C++ overloads for LONG and
 * long (so ::InterlockedIncrement(&x) works). The 64-bit and pointer forms are functions. */
#ifndef __cplusplus
#  define InterlockedIncrement(p) __atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST)
#  define InterlockedDecrement(p) __atomic_sub_fetch((p), 1, __ATOMIC_SEQ_CST)
#  define InterlockedExchange(p, v) __atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#  define InterlockedExchangeAdd(p, v) __atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#  define InterlockedAdd(p, v) __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#  define InterlockedAnd(p, v) __atomic_fetch_and((p), (v), __ATOMIC_SEQ_CST)
#  define InterlockedOr(p, v) __atomic_fetch_or((p), (v), __ATOMIC_SEQ_CST)
#  define InterlockedXor(p, v) __atomic_fetch_xor((p), (v), __ATOMIC_SEQ_CST)
/* The initial value, whether or not it was replaced. */
#  define InterlockedCompareExchange(p, exchange, comperand)                                  \
      __extension__({                                                                         \
          __typeof__(*(p) + 0) wsaevents_initial_ = (comperand);                              \
          __atomic_compare_exchange_n((p), &wsaevents_initial_, (exchange), 0,                \
                                      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);                    \
          wsaevents_initial_;                                                                 \
      })
#endif

WSAEVENTS_STATIC_INLINE LONGLONG InterlockedIncrement64(LONGLONG volatile *Addend)
{
    return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
WSAEVENTS_STATIC_INLINE LONGLONG InterlockedDecrement64(LONGLONG volatile *Addend)
{
    return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
WSAEVENTS_STATIC_INLINE LONGLONG InterlockedExchange64(LONGLONG volatile *Target, LONGLONG Value)
{
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
WSAEVENTS_STATIC_INLINE LONGLONG InterlockedExchangeAdd64(LONGLONG volatile *Addend, LONGLONG Value)
{
    return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);
}
WSAEVENTS_STATIC_INLINE LONGLONG InterlockedAdd64(LONGLONG volatile *Addend, LONGLONG Value)
{
    return __atomic_add_fetch(Addend, Value, __ATOMIC_SEQ_CST);
}
WSAEVENTS_STATIC_INLINE LONGLONG InterlockedCompareExchange64(LONGLONG volatile *Destination,
                                                    LONGLONG Exchange, LONGLONG Comperand)
{
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    return Comperand;
}
WSAEVENTS_STATIC_INLINE PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value)
{
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
WSAEVENTS_STATIC_INLINE PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination,
                                                      PVOID Exchange, PVOID Comperand)
{
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    return Comperand;
}
#define MemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define YieldProcessor() ((void)0)

/* ---- Time of day (minwinbase.h) ------------------------------------------------------------ */
typedef struct _SYSTEMTIME {
    WORD wYear;
    WORD wMonth;
    WORD wDayOfWeek;
    WORD wDay;
    WORD wHour;
    WORD wMinute;
    WORD wSecond;
    WORD wMilliseconds;
} SYSTEMTIME, *PSYSTEMTIME, *LPSYSTEMTIME;
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

/** GetLocalTime / GetSystemTime: the current local / UTC time, to the millisecond
 *  (wDayOfWeek 0 = Sunday, as on Windows). GetSystemTimeAsFileTime: 100-nanosecond
 *  intervals since 1601-01-01 UTC. */
void WINAPI GetLocalTime(LPSYSTEMTIME lpSystemTime);
void WINAPI GetSystemTime(LPSYSTEMTIME lpSystemTime);
void WINAPI GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime);

/* ---- The kernel32/user32 string functions (lstr*, wsprintf) ----------------------------- */
/* lstrcmp/lstrcmpi compare code units here (ordinal, ASCII case folding for lstrcmpi);
 * Windows compares by the user locale's collation, which orders letters and digits the same
 * way but some punctuation differently. Both return -1, 0 or 1, as Windows does.
 * wsprintf writes at most 1024 characters and its NUL, as on Windows (which, unlike this
 * one, has no floating-point conversions). */
WSAEVENTS_STATIC_INLINE int lstrlenA(LPCSTR s)
{
    return s ? (int)strlen(s) : 0;
}
WSAEVENTS_STATIC_INLINE int lstrlenW(LPCWSTR s)
{
    return s ? (int)wcslen(s) : 0;
}
WSAEVENTS_STATIC_INLINE LPSTR lstrcpyA(LPSTR dst, LPCSTR src)
{
    return strcpy(dst, src);
}
WSAEVENTS_STATIC_INLINE LPWSTR lstrcpyW(LPWSTR dst, LPCWSTR src)
{
    return wcscpy(dst, src);
}
WSAEVENTS_STATIC_INLINE LPSTR lstrcpynA(LPSTR dst, LPCSTR src, int n)
{
    int i = 0;
    if (n <= 0) {
        return dst;
    }
    for (; i < n - 1 && src[i]; i++) {
        dst[i] = src[i];
    }
    dst[i] = 0;
    return dst;
}
WSAEVENTS_STATIC_INLINE LPWSTR lstrcpynW(LPWSTR dst, LPCWSTR src, int n)
{
    int i = 0;
    if (n <= 0) {
        return dst;
    }
    for (; i < n - 1 && src[i]; i++) {
        dst[i] = src[i];
    }
    dst[i] = 0;
    return dst;
}
WSAEVENTS_STATIC_INLINE LPSTR lstrcatA(LPSTR dst, LPCSTR src)
{
    return strcat(dst, src);
}
WSAEVENTS_STATIC_INLINE LPWSTR lstrcatW(LPWSTR dst, LPCWSTR src)
{
    return wcscat(dst, src);
}
WSAEVENTS_STATIC_INLINE int wsaevents_sign_(int v)
{
    return (v > 0) - (v < 0);
}
WSAEVENTS_STATIC_INLINE int lstrcmpA(LPCSTR a, LPCSTR b)
{
    return wsaevents_sign_(strcmp(a ? a : "", b ? b : ""));
}
WSAEVENTS_STATIC_INLINE int lstrcmpW(LPCWSTR a, LPCWSTR b)
{
    return wsaevents_sign_(wcscmp(a ? a : L"", b ? b : L""));
}
WSAEVENTS_STATIC_INLINE int lstrcmpiA(LPCSTR a, LPCSTR b)
{
    const unsigned char *p = (const unsigned char *)(a ? a : "");
    const unsigned char *q = (const unsigned char *)(b ? b : "");
    for (;; p++, q++) {
        int c = tolower(*p), d = tolower(*q);
        if (c != d || c == 0) {
            return wsaevents_sign_(c - d);
        }
    }
}
WSAEVENTS_STATIC_INLINE int lstrcmpiW(LPCWSTR a, LPCWSTR b)
{
    const WCHAR *p = a ? a : L"", *q = b ? b : L"";
    for (;; p++, q++) {
        wint_t c = towlower((wint_t)*p), d = towlower((wint_t)*q);
        if (c != d || c == 0) {
            return c < d ? -1 : (c > d);
        }
    }
}
WSAEVENTS_STATIC_INLINE int wvsprintfA(LPSTR buf, LPCSTR fmt, va_list ap)
{
    int n = vsnprintf(buf, 1025, fmt, ap);
    return n > 1024 ? 1024 : n;
}
WSAEVENTS_STATIC_INLINE int wsprintfA(LPSTR buf, LPCSTR fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = wvsprintfA(buf, fmt, ap);
    va_end(ap);
    return n;
}
WSAEVENTS_STATIC_INLINE int wvsprintfW(LPWSTR buf, LPCWSTR fmt, va_list ap)
{
    int n = vswprintf(buf, 1025, fmt, ap);
    return n < 0 ? (int)wcslen(buf) : n;
}
WSAEVENTS_STATIC_INLINE int wsprintfW(LPWSTR buf, LPCWSTR fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = wvsprintfW(buf, fmt, ap);
    va_end(ap);
    return n;
}
#ifdef UNICODE
#  define lstrlen lstrlenW
#  define lstrcpy lstrcpyW
#  define lstrcpyn lstrcpynW
#  define lstrcat lstrcatW
#  define lstrcmp lstrcmpW
#  define lstrcmpi lstrcmpiW
#  define wsprintf wsprintfW
#  define wvsprintf wvsprintfW
#else
#  define lstrlen lstrlenA
#  define lstrcpy lstrcpyA
#  define lstrcpyn lstrcpynA
#  define lstrcat lstrcatA
#  define lstrcmp lstrcmpA
#  define lstrcmpi lstrcmpiA
#  define wsprintf wsprintfA
#  define wvsprintf wvsprintfA
#endif

/* ---- Console stand-ins for the user interface --------------------------------------------- */
#define MB_OK 0x00000000L
#define MB_OKCANCEL 0x00000001L
#define MB_ABORTRETRYIGNORE 0x00000002L
#define MB_YESNOCANCEL 0x00000003L
#define MB_YESNO 0x00000004L
#define MB_RETRYCANCEL 0x00000005L
#define MB_CANCELTRYCONTINUE 0x00000006L
#define MB_ICONHAND 0x00000010L
#define MB_ICONQUESTION 0x00000020L
#define MB_ICONEXCLAMATION 0x00000030L
#define MB_ICONASTERISK 0x00000040L
#define MB_ICONERROR MB_ICONHAND
#define MB_ICONSTOP MB_ICONHAND
#define MB_ICONWARNING MB_ICONEXCLAMATION
#define MB_ICONINFORMATION MB_ICONASTERISK
#define MB_DEFBUTTON1 0x00000000L
#define MB_DEFBUTTON2 0x00000100L
#define MB_DEFBUTTON3 0x00000200L
#define MB_APPLMODAL 0x00000000L
#define MB_SYSTEMMODAL 0x00001000L
#define MB_TASKMODAL 0x00002000L
#define MB_SETFOREGROUND 0x00010000L
#define MB_TOPMOST 0x00040000L
#define IDOK 1
#define IDCANCEL 2
#define IDABORT 3
#define IDRETRY 4
#define IDIGNORE 5
#define IDYES 6
#define IDNO 7
#define IDTRYAGAIN 10
#define IDCONTINUE 11

/**
 * MessageBoxA / MessageBoxW: there is no window; writes "caption: text" and a newline to
 * stderr (caption NULL is "Error", as on Windows) and returns the default button of uType
 * (MB_DEFBUTTONn of its buttons: IDOK for MB_OK, IDYES for MB_YESNO, ...), as if the user
 * pressed Enter. hWnd is ignored.
 */
int WINAPI MessageBoxA(HWND hWnd, LPCSTR lpText, LPCSTR lpCaption, UINT uType);
int WINAPI MessageBoxW(HWND hWnd, LPCWSTR lpText, LPCWSTR lpCaption, UINT uType);
/** OutputDebugStringA / OutputDebugStringW: writes the string to stderr as it is. */
void WINAPI OutputDebugStringA(LPCSTR lpOutputString);
void WINAPI OutputDebugStringW(LPCWSTR lpOutputString);
/* Console control events (wincon.h). */
#define CTRL_C_EVENT 0
#define CTRL_BREAK_EVENT 1
#define CTRL_CLOSE_EVENT 2
#define CTRL_LOGOFF_EVENT 5
#define CTRL_SHUTDOWN_EVENT 6
typedef BOOL(WINAPI *PHANDLER_ROUTINE)(DWORD CtrlType);
/**
 * SetConsoleCtrlHandler: adds (Add TRUE) or removes a handler; NULL with TRUE ignores Ctrl+C.
 * The console events come from signals: SIGINT is CTRL_C_EVENT, SIGQUIT (Ctrl+\)
 * CTRL_BREAK_EVENT, SIGHUP and SIGTERM CTRL_CLOSE_EVENT. As on Windows the handlers run on a
 * thread of their own, the last added first, until one returns TRUE; if none does, the
 * process ends (by the signal's default action; Windows exits with STATUS_CONTROL_C_EXIT).
 * GenerateConsoleCtrlEvent(CTRL_C_EVENT or CTRL_BREAK_EVENT, 0) raises the event in this
 * process only.
 */
BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add);
BOOL WINAPI GenerateConsoleCtrlEvent(DWORD dwCtrlEvent, DWORD dwProcessGroupId);
/** IsDebuggerPresent: FALSE. */
BOOL WINAPI IsDebuggerPresent(void);
/** ExitProcess: ends the process with uExitCode; the C library's streams are flushed first,
 *  atexit handlers are not run. */
DECLSPEC_NORETURN void WINAPI ExitProcess(UINT uExitCode);
#ifdef UNICODE
#  define MessageBox MessageBoxW
#  define OutputDebugString OutputDebugStringW
#else
#  define MessageBox MessageBoxA
#  define OutputDebugString OutputDebugStringA
#endif

#ifdef __cplusplus
} /* extern "C" */

/* Interlocked* in C++: overloads for Windows' LONG and for long (see above). */
#define WSAEVENTS_INTERLOCKED_(T)                                                             \
    inline T InterlockedIncrement(T volatile *p) { return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST); } \
    inline T InterlockedDecrement(T volatile *p) { return __atomic_sub_fetch(p, 1, __ATOMIC_SEQ_CST); } \
    inline T InterlockedExchange(T volatile *p, T v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); } \
    inline T InterlockedExchangeAdd(T volatile *p, T v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); } \
    inline T InterlockedAdd(T volatile *p, T v) { return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST); } \
    inline T InterlockedAnd(T volatile *p, T v) { return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); } \
    inline T InterlockedOr(T volatile *p, T v) { return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); } \
    inline T InterlockedXor(T volatile *p, T v) { return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); } \
    inline T InterlockedCompareExchange(T volatile *p, T exchange, T comperand)               \
    {                                                                                         \
        __atomic_compare_exchange_n(p, &comperand, exchange, false, __ATOMIC_SEQ_CST,         \
                                    __ATOMIC_SEQ_CST);                                        \
        return comperand;                                                                     \
    }
WSAEVENTS_INTERLOCKED_(LONG)
WSAEVENTS_INTERLOCKED_(long)
#undef WSAEVENTS_INTERLOCKED_
#endif

#include "wsaevents_crt.h"

#endif /* WSAEVENTS_WIN32_H */
