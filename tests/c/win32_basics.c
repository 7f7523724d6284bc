/*
 * win32_basics.c -- the Win32 basics real Winsock programs call, in their style: mixed-case
 * includes, FormatMessage error reporting, _beginthreadex workers sharing a
 * CRITICAL_SECTION, thread handles waited on with WaitForMultipleObjects, an echo server
 * thread over loopback, the CRT's *_s functions, MessageBox/OutputDebugString.
 *
 * Portable Win32 C: it builds unchanged with mingw-w64 (x86_64-w64-mingw32-gcc
 * win32_basics.c -lws2_32), and here with the README's line. Run by tests/capi_c.rs as C
 * and as C++; every expected value is Windows' (the FormatMessage texts are those of an
 * English Windows; see src/capi/win32/message.rs for the source).
 *
 *   win32_basics               all checks; exit 0
 *   win32_basics exitprocess   prints "before exit" without a newline, ExitProcess(3)
 *   win32_basics badparam      strcpy_s into a too-small buffer: the invalid-parameter
 *                              handler ends the process (non-zero status)
 *   win32_basics ctrlc         Ctrl+C with no handler returning TRUE: the process ends
 *
 * Built for Windows with -DNO_SYSTEM_TEXTS, the rest runs under Wine (whose FormatMessage
 * texts are not Windows'): ../shared/wine/oracle.sh with ORACLE_CFLAGS.
 */
#include <WinSock2.h>
#include <Windows.h>
#include <WS2tcpip.h>
#include <process.h>
#include <time.h>

#include "check.h"

#define EXPECT_MSG(code, want)                                                                \
    do {                                                                                      \
        char buf_[512];                                                                       \
        DWORD n_ = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, \
                                  NULL, (code), MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT),    \
                                  buf_, sizeof buf_, NULL);                                   \
        EXPECT_EQ("FormatMessageA(" #code ") length", n_, strlen(want));                      \
        EXPECT_STR("FormatMessageA(" #code ")", buf_, want);                                  \
    } while (0)

/* The codes the library can set (src/error.rs), each must have a system message. */
static const DWORD library_codes[] = {
    6,     8,     87,    995,   996,   997,   10004, 10009, 10013, 10014, 10022, 10024, 10035,
    10036, 10037, 10038, 10039, 10040, 10041, 10042, 10043, 10044, 10045, 10046, 10047, 10048,
    10049, 10050, 10051, 10052, 10053, 10054, 10055, 10056, 10057, 10058, 10059, 10060, 10061,
    10062, 10063, 10064, 10065, 10066, 10067, 10068, 10069, 10070, 10071, 10091, 10092, 10093,
    10101, 11001, 11002, 11003, 11004,
};

/* The usual error-reporting helper of Winsock samples. */
static void print_error(const char *what, int code)
{
    LPSTR msg = NULL;
    DWORD n = FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                                 FORMAT_MESSAGE_IGNORE_INSERTS,
                             NULL, (DWORD)code, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT),
                             (LPSTR)&msg, 0, NULL);
    EXPECT_TRUE("FormatMessage ALLOCATE_BUFFER", n > 0 && msg != NULL);
    printf("%s failed with error %d: %s", what, code, msg);
    EXPECT_TRUE("LocalFree of the message", LocalFree(msg) == NULL);
}

static void format_message(void)
{
    char small[8];
    WCHAR wide[128];
    LPSTR alloc = NULL;
    DWORD n;
    size_t i;

    SECTION("FormatMessage: Windows' texts, ending in \\r\\n");
    EXPECT_MSG(WSAEWOULDBLOCK, "A non-blocking socket operation could not be completed immediately.\r\n");
    EXPECT_MSG(WSAECONNRESET, "An existing connection was forcibly closed by the remote host.\r\n");
    EXPECT_MSG(WSAECONNREFUSED,
               "No connection could be made because the target machine actively refused it.\r\n");
    EXPECT_MSG(WSAENOTSOCK, "An operation was attempted on something that is not a socket.\r\n");
    EXPECT_MSG(WSANOTINITIALISED,
               "Either the application has not called WSAStartup, or WSAStartup failed.\r\n");
    EXPECT_MSG(WSAEADDRINUSE, "Only one usage of each socket address (protocol/network "
                              "address/port) is normally permitted.\r\n");
    EXPECT_MSG(ERROR_INVALID_HANDLE, "The handle is invalid.\r\n");
    EXPECT_MSG(ERROR_INVALID_PARAMETER, "The parameter is incorrect.\r\n");
    EXPECT_MSG(WSA_IO_PENDING, "Overlapped I/O operation is in progress.\r\n");
    for (i = 0; i < _countof(library_codes); i++) {
        char buf[512];
        n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                           library_codes[i], 0, buf, sizeof buf, NULL);
        EXPECT_TRUE("every library code has a message", n > 2 && buf[n - 2] == '\r' && buf[n - 1] == '\n');
    }

    SECTION("FormatMessage: MAX_WIDTH_MASK, wide, ALLOCATE_BUFFER");
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                           FORMAT_MESSAGE_MAX_WIDTH_MASK,
                       NULL, ERROR_INVALID_HANDLE, 0, (LPSTR)&wide, sizeof wide, NULL);
    EXPECT_STR("MAX_WIDTH_MASK: line break as a space", (const char *)wide, "The handle is invalid. ");
    n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                       WSAEINVAL, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), wide, _countof(wide),
                       NULL);
    EXPECT_EQ("FormatMessageW length", n, wcslen(L"An invalid argument was supplied.\r\n"));
    EXPECT_TRUE("FormatMessageW text", wcscmp(wide, L"An invalid argument was supplied.\r\n") == 0);
    n = FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM, NULL,
                       WSAENOTCONN, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), (LPSTR)&alloc,
                       0, NULL);
    EXPECT_EQ("ALLOCATE_BUFFER length", n, strlen(alloc));
    EXPECT_TRUE("LocalFree", LocalFree(alloc) == NULL);

    SECTION("FormatMessage: failures");
    SetLastError(0);
    EXPECT_EQ("unknown id", FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 0x2345678, 0,
                                           small, sizeof small, NULL), 0);
    EXPECT_EQ("unknown id: ERROR_MR_MID_NOT_FOUND", GetLastError(), 317);
    EXPECT_EQ("too small a buffer", FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 6, 0,
                                                   small, sizeof small, NULL), 0);
    EXPECT_EQ("too small: ERROR_INSUFFICIENT_BUFFER", GetLastError(), ERROR_INSUFFICIENT_BUFFER);

    SECTION("FormatMessage in a Winsock error path: a refused connect");
    {
        SOCKADDR_IN addr;
        int len = sizeof addr;
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        memset(&addr, 0, sizeof addr);
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ("bind", bind(s, (SOCKADDR *)&addr, sizeof addr), 0);
        EXPECT_EQ("getsockname", getsockname(s, (SOCKADDR *)&addr, &len), 0);
        closesocket(s); /* nothing listens on that port now */
        s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        EXPECT_EQ("connect to a closed port", connect(s, (SOCKADDR *)&addr, sizeof addr), SOCKET_ERROR);
        EXPECT_EQ("WSAECONNREFUSED", WSAGetLastError(), WSAECONNREFUSED);
        print_error("connect", WSAGetLastError());
        closesocket(s);
    }
}

/* ---- Threads and a critical section ----------------------------------------------------- */

#define WORKERS 4
#define ROUNDS 2000

static CRITICAL_SECTION g_lock;
static int g_counter;         /* guarded by g_lock */
static volatile LONG g_atomic; /* Interlocked */
static volatile long g_long;   /* Interlocked on a plain long, as Windows code declares it */
#if defined(__MINGW32__)
static __thread int t_local; /* mingw's gcc has no __declspec(thread) */
#else
static __declspec(thread) int t_local;
#endif

struct worker {
    int index;
    DWORD seen_id;
    int local_seen;
};

static void add_one(void)
{
    EnterCriticalSection(&g_lock);
    EnterCriticalSection(&g_lock); /* recursive, as on Windows */
    g_counter++;
    LeaveCriticalSection(&g_lock);
    LeaveCriticalSection(&g_lock);
}

static unsigned __stdcall worker_main(void *arg)
{
    struct worker *w = (struct worker *)arg;
    int i;
    w->seen_id = GetCurrentThreadId();
    t_local = 1000 + w->index;
    for (i = 0; i < ROUNDS; i++) {
        add_one();
        InterlockedIncrement(&g_atomic);
        InterlockedExchangeAdd(&g_long, 2);
    }
    w->local_seen = t_local;
    return 100 + (unsigned)w->index;
}

static unsigned __stdcall try_enter_main(void *arg)
{
    (void)arg;
    /* The main thread owns g_lock: TryEnter fails at once. */
    return (unsigned)TryEnterCriticalSection(&g_lock);
}

static void nested_end(unsigned code)
{
    _endthreadex(code); /* from a nested call, as real code does in error paths */
}

static unsigned __stdcall ends_early(void *arg)
{
    (void)arg;
    nested_end(42);
    return 1; /* not reached */
}

static DWORD WINAPI exit_thread_main(LPVOID arg)
{
    (void)arg;
    ExitThread(7);
}

static void __cdecl plain_thread(void *arg)
{
    SetEvent((HANDLE)arg);
}

struct echo_server {
    SOCKET listener;
    int echoed;
};

/* One connection: echo until the peer closes. */
static unsigned __stdcall echo_main(void *arg)
{
    struct echo_server *es = (struct echo_server *)arg;
    char buf[256];
    int n;
    SOCKET c = accept(es->listener, NULL, NULL);
    if (c == INVALID_SOCKET)
        return 1;
    while ((n = recv(c, buf, sizeof buf, 0)) > 0) {
        if (send(c, buf, n, 0) != n)
            return 2;
        es->echoed += n;
    }
    closesocket(c);
    return n == 0 ? 0 : 3;
}

static void threads(void)
{
    HANDLE h[WORKERS];
    struct worker w[WORKERS];
    unsigned ids[WORKERS];
    DWORD code;
    int i;

    SECTION("threads: _beginthreadex workers, CRITICAL_SECTION, Interlocked");
    InitializeCriticalSectionAndSpinCount(&g_lock, 4000);
    t_local = 7;
    for (i = 0; i < WORKERS; i++) {
        w[i].index = i;
        h[i] = (HANDLE)_beginthreadex(NULL, 0, worker_main, &w[i], CREATE_SUSPENDED, &ids[i]);
        EXPECT_TRUE("_beginthreadex", h[i] != NULL);
    }
    EXPECT_EQ("GetExitCodeThread while suspended", GetExitCodeThread(h[0], &code), TRUE);
    EXPECT_EQ("STILL_ACTIVE", code, STILL_ACTIVE);
    EXPECT_EQ("not ended yet", WaitForSingleObject(h[0], 0), WAIT_TIMEOUT);
    for (i = 0; i < WORKERS; i++)
        EXPECT_EQ("ResumeThread: previous count 1", ResumeThread(h[i]), 1);
    EXPECT_EQ("wait for all workers", WaitForMultipleObjects(WORKERS, h, TRUE, 20000), WAIT_OBJECT_0);
    EXPECT_EQ("every increment under the lock", g_counter, WORKERS * ROUNDS);
    EXPECT_EQ("every Interlocked increment", g_atomic, WORKERS * ROUNDS);
    EXPECT_EQ("every Interlocked add on a long", g_long, 2 * WORKERS * ROUNDS);
    EXPECT_EQ("InterlockedCompareExchange: no match", InterlockedCompareExchange(&g_atomic, 5, 1), WORKERS * ROUNDS);
    EXPECT_EQ("InterlockedCompareExchange: match", InterlockedCompareExchange(&g_atomic, 5, WORKERS * ROUNDS), WORKERS * ROUNDS);
    EXPECT_EQ("InterlockedExchange", InterlockedExchange(&g_atomic, 9), 5);
    EXPECT_EQ("InterlockedDecrement", InterlockedDecrement(&g_atomic), 8);
#ifdef __cplusplus
    EXPECT_EQ("::InterlockedIncrement", ::InterlockedIncrement(&g_long), 2 * WORKERS * ROUNDS + 1);
#endif
    EXPECT_EQ("main's thread-local untouched", t_local, 7);
    for (i = 0; i < WORKERS; i++) {
        EXPECT_EQ("exit code", GetExitCodeThread(h[i], &code), TRUE);
        EXPECT_EQ("exit code value", code, 100 + i);
        EXPECT_EQ("thread id as _beginthreadex gave it", w[i].seen_id, ids[i]);
        EXPECT_TRUE("not the main thread's id", w[i].seen_id != GetCurrentThreadId());
        EXPECT_EQ("the worker's own thread-local", w[i].local_seen, 1000 + i);
        EXPECT_EQ("CloseHandle", CloseHandle(h[i]), TRUE);
    }
    EXPECT_EQ("closed handle: GetExitCodeThread fails", GetExitCodeThread(h[0], &code), FALSE);
    EXPECT_EQ("ERROR_INVALID_HANDLE", GetLastError(), ERROR_INVALID_HANDLE);

    SECTION("threads: TryEnterCriticalSection against an owner");
    EnterCriticalSection(&g_lock);
    EXPECT_EQ("TryEnter by the owner", TryEnterCriticalSection(&g_lock), TRUE);
    LeaveCriticalSection(&g_lock);
    h[0] = (HANDLE)_beginthreadex(NULL, 0, try_enter_main, NULL, 0, NULL);
    EXPECT_EQ("wait", WaitForSingleObject(h[0], 20000), WAIT_OBJECT_0);
    EXPECT_EQ("exit code", GetExitCodeThread(h[0], &code), TRUE);
    EXPECT_EQ("TryEnter by another thread fails", code, FALSE);
    CloseHandle(h[0]);
    LeaveCriticalSection(&g_lock);
    DeleteCriticalSection(&g_lock);

    SECTION("threads: _endthreadex, ExitThread, _beginthread, waits by index");
    h[0] = (HANDLE)_beginthreadex(NULL, 0, ends_early, NULL, 0, NULL);
    h[1] = CreateThread(NULL, 64 * 1024, exit_thread_main, NULL, 0, NULL);
    EXPECT_TRUE("CreateThread", h[1] != NULL);
    EXPECT_EQ("wait all", WaitForMultipleObjects(2, h, TRUE, 20000), WAIT_OBJECT_0);
    EXPECT_EQ("GetExitCodeThread", GetExitCodeThread(h[0], &code), TRUE);
    EXPECT_EQ("_endthreadex(42)", code, 42);
    EXPECT_EQ("GetExitCodeThread", GetExitCodeThread(h[1], &code), TRUE);
    EXPECT_EQ("ExitThread(7)", code, 7);
    /* Wait-any on an ended thread and an unset event: index 1 is the thread. */
    h[2] = CreateEventA(NULL, TRUE, FALSE, NULL);
    {
        HANDLE pair[2];
        pair[0] = h[2];
        pair[1] = h[1];
        EXPECT_EQ("wait any: the ended thread", WaitForMultipleObjects(2, pair, FALSE, 0),
                  WAIT_OBJECT_0 + 1);
    }
    CloseHandle(h[0]);
    CloseHandle(h[1]);
    EXPECT_TRUE("_beginthread", _beginthread(plain_thread, 0, h[2]) != (uintptr_t)-1);
    EXPECT_EQ("the plain thread ran", WaitForSingleObject(h[2], 20000), WAIT_OBJECT_0);
    CloseHandle(h[2]);

    SECTION("threads: an echo server thread over loopback");
    {
        struct echo_server es;
        SOCKADDR_IN addr;
        int len = sizeof addr, got = 0, n;
        char out[1000], in[1000];
        HANDLE server;
        SOCKET c;
        memset(&addr, 0, sizeof addr);
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        es.listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        es.echoed = 0;
        EXPECT_EQ("bind", bind(es.listener, (SOCKADDR *)&addr, sizeof addr), 0);
        EXPECT_EQ("getsockname", getsockname(es.listener, (SOCKADDR *)&addr, &len), 0);
        EXPECT_EQ("listen", listen(es.listener, SOMAXCONN), 0);
        server = (HANDLE)_beginthreadex(NULL, 0, echo_main, &es, 0, NULL);
        c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        EXPECT_EQ("connect", connect(c, (SOCKADDR *)&addr, sizeof addr), 0);
        for (n = 0; n < (int)sizeof out; n++)
            out[n] = (char)(n * 7);
        EXPECT_EQ("send", send(c, out, sizeof out, 0), (int)sizeof out);
        while (got < (int)sizeof in && (n = recv(c, in + got, (int)sizeof in - got, 0)) > 0)
            got += n;
        EXPECT_EQ("echoed length", got, (int)sizeof in);
        EXPECT_TRUE("echoed bytes", memcmp(in, out, sizeof out) == 0);
        EXPECT_EQ("shutdown", shutdown(c, SD_SEND), 0);
        EXPECT_EQ("server thread ends", WaitForSingleObject(server, 20000), WAIT_OBJECT_0);
        EXPECT_EQ("exit code", GetExitCodeThread(server, &code), TRUE);
        EXPECT_EQ("server thread succeeded", code, 0);
        EXPECT_EQ("server echoed all", es.echoed, (int)sizeof out);
        CloseHandle(server);
        closesocket(c);
        closesocket(es.listener);
    }
}

/* ---- Memory ------------------------------------------------------------------------------ */
static void memory(void)
{
    BYTE *p, *q;
    HANDLE heap = GetProcessHeap();
    int i, zero = 1;

    SECTION("memory: LocalAlloc, GlobalAlloc, HeapAlloc");
    p = (BYTE *)LocalAlloc(LPTR, 64);
    EXPECT_TRUE("LocalAlloc", p != NULL);
    for (i = 0; i < 64; i++)
        zero &= p[i] == 0;
    EXPECT_TRUE("LPTR zeroes", zero);
    EXPECT_TRUE("LocalFree", LocalFree(p) == NULL);
    p = (BYTE *)GlobalAlloc(GPTR, 16);
    EXPECT_TRUE("GlobalAlloc", p != NULL && p[15] == 0);
    EXPECT_TRUE("GlobalFree", GlobalFree(p) == NULL);
    p = (BYTE *)HeapAlloc(heap, 0, 10);
    EXPECT_TRUE("HeapAlloc", p != NULL);
    memset(p, 0x5A, 10);
    q = (BYTE *)HeapReAlloc(heap, HEAP_ZERO_MEMORY, p, 100);
    EXPECT_TRUE("HeapReAlloc", q != NULL && q[9] == 0x5A && q[10] == 0 && q[99] == 0);
    EXPECT_EQ("HeapSize", HeapSize(heap, 0, q), 100);
    EXPECT_EQ("HeapFree", HeapFree(heap, 0, q), TRUE);
}

/* ---- CRT names -------------------------------------------------------------------------- */
static void crt(void)
{
    char buf[16], five[5];
    struct tm tm1, tm2;
    time_t now = time(NULL);
    char *dup;

    SECTION("CRT: formatted output");
    EXPECT_EQ("sprintf_s", sprintf_s(buf, sizeof buf, "%d-%s", 42, "ab"), 5);
    EXPECT_STR("sprintf_s text", buf, "42-ab");
    memset(five, 'x', sizeof five);
    EXPECT_EQ("_snprintf exact fit: count, no NUL", _snprintf(five, sizeof five, "%s", "abcde"), 5);
    EXPECT_TRUE("no NUL written", memcmp(five, "abcde", 5) == 0);
    EXPECT_EQ("_snprintf overflow: -1", _snprintf(five, sizeof five, "%s", "abcdefg"), -1);
    EXPECT_TRUE("first count chars", memcmp(five, "abcde", 5) == 0);
    EXPECT_EQ("_snprintf fits", _snprintf(five, sizeof five, "%d", 12), 2);
    EXPECT_STR("_snprintf fits text", five, "12");
    EXPECT_EQ("_snprintf_s _TRUNCATE", _snprintf_s(five, sizeof five, _TRUNCATE, "%s", "abcdefg"), -1);
    EXPECT_STR("truncated and terminated", five, "abcd");
    EXPECT_EQ("_snprintf_s count < size", _snprintf_s(buf, sizeof buf, 3, "%s", "abcdefg"), -1);
    EXPECT_STR("count chars", buf, "abc");

    SECTION("CRT: bounded copies and comparisons");
    EXPECT_EQ("strcpy_s", strcpy_s(buf, sizeof buf, "hello"), 0);
    EXPECT_EQ("strcat_s", strcat_s(buf, sizeof buf, ", you"), 0);
    EXPECT_STR("strcat_s text", buf, "hello, you");
    EXPECT_EQ("strncpy_s _TRUNCATE", strncpy_s(five, sizeof five, "truncate me", _TRUNCATE), STRUNCATE);
    EXPECT_STR("strncpy_s truncated", five, "trun");
    EXPECT_EQ("strncpy_s count", strncpy_s(buf, sizeof buf, "abcdef", 3), 0);
    EXPECT_STR("strncpy_s text", buf, "abc");
    EXPECT_EQ("_stricmp", _stricmp("WinSock", "winsock"), 0);
    EXPECT_TRUE("_stricmp order", _stricmp("a", "B") < 0);
    EXPECT_EQ("_strnicmp", _strnicmp("HELLO world", "hello WORLD!", 11), 0);
    dup = _strdup("dup");
    EXPECT_STR("_strdup", dup, "dup");
    free(dup);
    EXPECT_STR("_itoa base 10", _itoa(-12, buf, 10), "-12");
    EXPECT_STR("_itoa base 16", _itoa(255, buf, 16), "ff");

    SECTION("CRT: localtime_s with Windows' argument order");
    EXPECT_EQ("localtime_s", localtime_s(&tm1, &now), 0);
    tm2 = *localtime(&now);
    EXPECT_TRUE("same as localtime", tm1.tm_year == tm2.tm_year && tm1.tm_yday == tm2.tm_yday &&
                                         tm1.tm_hour == tm2.tm_hour && tm1.tm_sec == tm2.tm_sec);

    SECTION("kernel32/user32 strings: lstr*, wsprintf");
    EXPECT_EQ("lstrlenA", lstrlenA("four"), 4);
    EXPECT_EQ("lstrlenA(NULL)", lstrlenA(NULL), 0);
    lstrcpyA(buf, "ab");
    lstrcatA(buf, "cd");
    EXPECT_STR("lstrcpyA + lstrcatA", buf, "abcd");
    EXPECT_STR("lstrcpynA copies n-1 and a NUL", lstrcpynA(five, "abcdefgh", 5), "abcd");
    EXPECT_EQ("lstrcmpA", lstrcmpA("abc", "abd"), -1);
    EXPECT_EQ("lstrcmpiA", lstrcmpiA("ABC", "abc"), 0);
    EXPECT_EQ("lstrcmpiA order", lstrcmpiA("b", "A"), 1);
    EXPECT_EQ("wsprintfA", wsprintfA(buf, "%s:%d", "port", 80), 7);
    EXPECT_STR("wsprintfA text", buf, "port:80");

    SECTION("GetLocalTime / GetSystemTime");
    {
        SYSTEMTIME st;
        time_t t0 = time(NULL), t1;
        struct tm before;
        localtime_s(&before, &t0);
        GetLocalTime(&st);
        t1 = time(NULL);
        /* Unless a second boundary passed between the calls, the fields are localtime's. */
        if (t1 == t0) {
            EXPECT_EQ("wYear", st.wYear, before.tm_year + 1900);
            EXPECT_EQ("wMonth", st.wMonth, before.tm_mon + 1);
            EXPECT_EQ("wDay", st.wDay, before.tm_mday);
            EXPECT_EQ("wDayOfWeek (0 = Sunday)", st.wDayOfWeek, before.tm_wday);
            EXPECT_EQ("wHour", st.wHour, before.tm_hour);
            EXPECT_EQ("wSecond", st.wSecond, before.tm_sec);
        }
        EXPECT_TRUE("wMilliseconds", st.wMilliseconds < 1000);
        GetSystemTime(&st);
        EXPECT_TRUE("GetSystemTime", st.wYear >= 2024 && st.wMonth >= 1 && st.wMonth <= 12);
    }

    SECTION("windows.h macros");
    EXPECT_EQ("MAX_PATH", MAX_PATH, 260);
    EXPECT_EQ("_countof", _countof(library_codes), 57);
    ZeroMemory(buf, sizeof buf);
    FillMemory(buf, 3, 'z');
    EXPECT_STR("FillMemory", buf, "zzz");
    SecureZeroMemory(buf, sizeof buf);
    EXPECT_EQ("SecureZeroMemory", buf[0], 0);
#ifndef __cplusplus
    EXPECT_EQ("max", max(3, 9), 9);
    EXPECT_EQ("min", min(3, 9), 3);
#else
    SECTION("CRT: the C++ array overloads");
    EXPECT_EQ("sprintf_s(array, fmt)", sprintf_s(buf, "%03d", 7), 3);
    EXPECT_STR("sprintf_s(array) text", buf, "007");
    EXPECT_EQ("strcpy_s(array, src)", strcpy_s(buf, "array"), 0);
    EXPECT_STR("strcpy_s(array) text", buf, "array");
#endif
}

static HANDLE g_ctrl_seen;
static volatile LONG g_ctrl_type = -1;

static BOOL WINAPI on_ctrl(DWORD type)
{
    InterlockedExchange(&g_ctrl_type, (LONG)type);
    SetEvent(g_ctrl_seen);
    return TRUE; /* handled: the process goes on */
}

static BOOL WINAPI not_handled(DWORD type)
{
    (void)type;
    return FALSE;
}

static void console_ctrl(void)
{
    SECTION("console: SetConsoleCtrlHandler, the handlers' thread");
    g_ctrl_seen = CreateEventA(NULL, FALSE, FALSE, NULL);
    EXPECT_EQ("add a handler that declines", SetConsoleCtrlHandler(not_handled, TRUE), TRUE);
    EXPECT_EQ("add one that handles", SetConsoleCtrlHandler(on_ctrl, TRUE), TRUE);
    EXPECT_EQ("GenerateConsoleCtrlEvent", GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0), TRUE);
    EXPECT_EQ("the last added handler ran", WaitForSingleObject(g_ctrl_seen, 10000), WAIT_OBJECT_0);
    EXPECT_EQ("with CTRL_C_EVENT", g_ctrl_type, CTRL_C_EVENT);
    EXPECT_EQ("CTRL_BREAK_EVENT", GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, 0), TRUE);
    EXPECT_EQ("handled again", WaitForSingleObject(g_ctrl_seen, 10000), WAIT_OBJECT_0);
    EXPECT_EQ("with CTRL_BREAK_EVENT", g_ctrl_type, CTRL_BREAK_EVENT);
    EXPECT_EQ("remove", SetConsoleCtrlHandler(on_ctrl, FALSE), TRUE);
    EXPECT_EQ("remove again: not registered", SetConsoleCtrlHandler(on_ctrl, FALSE), FALSE);
    EXPECT_EQ("ERROR_INVALID_PARAMETER", GetLastError(), ERROR_INVALID_PARAMETER);
    EXPECT_EQ("remove the other", SetConsoleCtrlHandler(not_handled, FALSE), TRUE);
    CloseHandle(g_ctrl_seen);
}

static void console(void)
{
    SECTION("console: MessageBox and OutputDebugString go to stderr");
    OutputDebugStringA("OutputDebugStringA reached stderr\n");
    EXPECT_EQ("MessageBoxA MB_OK", MessageBoxA(NULL, "a console message box", "win32_basics", MB_OK | MB_ICONINFORMATION), IDOK);
    EXPECT_EQ("MessageBoxA MB_YESNO", MessageBoxA(NULL, "continue?", "win32_basics", MB_YESNO), IDYES);
    EXPECT_EQ("MB_DEFBUTTON2", MessageBoxA(NULL, "retry?", NULL, MB_RETRYCANCEL | MB_DEFBUTTON2), IDCANCEL);
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    if (argc > 1 && strcmp(argv[1], "exitprocess") == 0) {
        printf("before exit");
        ExitProcess(3);
    }
    if (argc > 1 && strcmp(argv[1], "ctrlc") == 0) {
        /* No handler returns TRUE: the default handler ends the process. */
        SetConsoleCtrlHandler(not_handled, TRUE);
        GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
        Sleep(20000);
        printf("not reached\n");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "badparam") == 0) {
        char small[4];
        strcpy_s(small, sizeof small, "too long");
        printf("not reached\n");
        return 0;
    }
    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
#ifdef NO_SYSTEM_TEXTS /* for a run under Wine, whose message texts are not Windows' */
    (void)format_message;
#else
    format_message();
#endif
    threads();
    memory();
    crt();
    console_ctrl();
    console();
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    DONE();
}
