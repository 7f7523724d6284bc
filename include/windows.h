/*
 * windows.h -- the Win32 subset of wsaevents (Linux/macOS).
 *
 * Part of wsaevents: the Winsock event model with Windows' semantics on Linux and macOS.
 * Build a Windows program unchanged with
 *
 *     cc prog.c -I<repo>/include -L<repo>/target/release -lwsaevents
 *
 * What this header gives (see docs/capi-surface.md of the project):
 *   - the base Windows types with their Windows (LLP64) sizes: BYTE, WORD, DWORD (32-bit),
 *     BOOL, INT, UINT, LONG (32-bit!), ULONG (32-bit), LONGLONG, CHAR, WCHAR, HANDLE,
 *     LARGE_INTEGER, the LP* / P* pointer types, SECURITY_ATTRIBUTES;
 *   - MAKEWORD, LOBYTE, HIBYTE, LOWORD, HIWORD, MAKELONG, TRUE, FALSE, TEXT, ZeroMemory;
 *   - event objects and waits: CreateEventA/W (unnamed only), SetEvent, ResetEvent,
 *     CloseHandle (events and threads), WaitForSingleObject(Ex), WaitForMultipleObjects(Ex);
 *   - overlapped I/O (wsaevents_overlapped.h): OVERLAPPED, GetOverlappedResult, CancelIo(Ex),
 *     SleepEx, QueueUserAPC, GetCurrentThread;
 *   - GetLastError / SetLastError (per thread, shared with WSAGetLastError);
 *   - Sleep, GetTickCount, GetTickCount64, QueryPerformanceCounter/Frequency;
 *   - the Win32 basics of console programs (wsaevents_win32.h): FormatMessage, Local/Global/
 *     Heap memory, CRITICAL_SECTION, threads (waitable handles), Interlocked*, MessageBox and
 *     OutputDebugString on stderr, ExitProcess; the CRT names (wsaevents_crt.h: _stricmp,
 *     sprintf_s, strcpy_s, localtime_s, ...); MAX_PATH, _countof, __declspec(thread),
 *     __cdecl/__stdcall, SecureZeroMemory, min/max (C only, unless NOMINMAX);
 *   - the C run-time headers Windows' <windows.h> brings in: <stdio.h>, <stdlib.h>,
 *     <string.h>, <ctype.h>, <stdarg.h>, <wchar.h>, <time.h>, <errno.h>, <limits.h>.
 *
 * Notes on fidelity:
 *   - `long` is 64-bit on Linux/macOS (LP64) but 32-bit on Windows (LLP64). LONG, ULONG and
 *     DWORD are therefore defined on 32-bit types here, and every structure whose layout
 *     matters uses them. Plain `long` in user code stays 64-bit.
 *   - WCHAR is wchar_t, which is 32-bit on Linux/macOS (16-bit on Windows). That keeps
 *     L"..." literals and wprintf working (source compatibility); binary UTF-16 data must
 *     not be read through WCHAR.
 *   - Without WIN32_LEAN_AND_MEAN, windows.h includes winsock2.h, as the real one includes
 *     winsock.h.
 *   - `min`/`max` macros are defined in C only (in C++ they would break <algorithm>).
 *   - `#pragma comment(lib, ...)` is ignored by gcc/clang; -Wall reports it as
 *     -Wunknown-pragmas, as mingw does. Add -Wno-unknown-pragmas to silence it.
 *
 * With a Windows toolchain (mingw-w64: __MINGW32__, Cygwin, MSVC: _MSC_VER) this header
 * defers to the system's <windows.h>. Defining _WIN32 alone (-D_WIN32, to select a portable
 * program's Winsock branch on Linux/macOS) keeps this header.
 */
#ifndef WSAEVENTS_WINDOWS_H
#define WSAEVENTS_WINDOWS_H

#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER) /* a Windows toolchain */
#  if defined(_MSC_VER) && !defined(__clang__)
#    error "wsaevents/include is for Linux/macOS: do not put it on MSVC's include path"
#  endif
#  include_next <windows.h>
#else /* not a Windows toolchain (even with -D_WIN32) */

#include "wsaevents_base.h"
#include "wsaevents_win32.h" /* FormatMessage, memory, critical sections, threads, CRT names */
#include "wsaevents_overlapped.h" /* OVERLAPPED, GetOverlappedResult, CancelIoEx, SleepEx, APCs */
#include "wsaevents_iocp.h"       /* completion ports */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Last error (per thread; the same value as WSAGetLastError) ------------------------ */

/** GetLastError: the calling thread's last error code. */
DWORD WINAPI GetLastError(void);
/** SetLastError: sets the calling thread's last error code. */
void WINAPI SetLastError(DWORD dwErrCode);

/* ---- Event objects ---------------------------------------------------------------------- */

/**
 * CreateEventA / CreateEventW: a manual-reset (bManualReset) or auto-reset event, initially
 * signalled or not. lpEventAttributes is ignored. Named events are not supported: a
 * non-NULL lpName returns NULL with GetLastError() == ERROR_NOT_SUPPORTED (50).
 */
HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                           BOOL bInitialState, LPCSTR lpName);
HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                           BOOL bInitialState, LPCWSTR lpName);
#ifdef UNICODE
#  define CreateEvent CreateEventW
#else
#  define CreateEvent CreateEventA
#endif

/** SetEvent / ResetEvent: TRUE, or FALSE with ERROR_INVALID_HANDLE (6). */
BOOL WINAPI SetEvent(HANDLE hEvent);
BOOL WINAPI ResetEvent(HANDLE hEvent);
/** CloseHandle: event, thread and completion-port handles (a port's waiters wake with
 *  ERROR_ABANDONED_WAIT_0); anything else gives FALSE with ERROR_INVALID_HANDLE. */
BOOL WINAPI CloseHandle(HANDLE hObject);

/* ---- Waits ------------------------------------------------------------------------------ */

/**
 * WaitForSingleObject / WaitForMultipleObjects(Ex): WAIT_OBJECT_0 + lowest signalled index
 * (wait-any) or WAIT_OBJECT_0 (wait-all), WAIT_TIMEOUT, or WAIT_FAILED with the last error
 * ERROR_INVALID_PARAMETER (count 0 or > 64, NULL array, the same object twice in a wait-all)
 * or ERROR_INVALID_HANDLE (a closed or unknown handle). dwMilliseconds INFINITE waits
 * forever. With bAlertable TRUE, a wait no object satisfies runs the thread's queued
 * completion routines and APCs and returns WAIT_IO_COMPLETION (a signalled object takes
 * priority); see wsaevents_overlapped.h for SleepEx and WaitForSingleObjectEx.
 */
DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);
DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                    DWORD dwMilliseconds);
DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                      DWORD dwMilliseconds, BOOL bAlertable);

/* ---- Time ------------------------------------------------------------------------------- */

/** Sleep: suspends the thread; 0 yields, INFINITE never returns. */
void WINAPI Sleep(DWORD dwMilliseconds);
/** GetTickCount / GetTickCount64: milliseconds since boot (the 32-bit one wraps at ~49.7 days). */
DWORD WINAPI GetTickCount(void);
ULONGLONG WINAPI GetTickCount64(void);
/** QueryPerformanceCounter / QueryPerformanceFrequency: a monotonic counter at 10 MHz, as on
 *  current Windows. A NULL pointer gives FALSE with ERROR_NOACCESS (998). */
BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *lpPerformanceCount);
BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *lpFrequency);

#ifdef __cplusplus
} /* extern "C" */
#endif

#if !defined(WIN32_LEAN_AND_MEAN)
#  include "winsock2.h"
#endif

#endif /* not a Windows toolchain */
#endif /* WSAEVENTS_WINDOWS_H */
