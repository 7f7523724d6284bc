/*
 * events.c -- the event half of the C ABI, through the headers, as a Windows program uses it.
 *
 * Every expected value is the Windows one; comments cite the rule of
 * docs/winsock-semantics.md (sections B.1, B.2, B.3) or the Windows-run test it comes from.
 * Waits are all bounded: a zero timeout, a short finite one, or INFINITE on an event another
 * thread is known to set.
 */
#include <windows.h>
#include <winsock2.h>
#include <pthread.h>

#include "check.h"

#define N 64

static double ms_between(LARGE_INTEGER a, LARGE_INTEGER b)
{
    LARGE_INTEGER f;
    QueryPerformanceFrequency(&f);
    return (double)(b.QuadPart - a.QuadPart) * 1000.0 / (double)f.QuadPart;
}

/* ---- B.1: create / set / reset / close ------------------------------------------------- */
static void test_basic(void)
{
    WSAEVENT e;
    SECTION("B.1 WSACreateEvent: manual-reset, unsignalled; set/reset; works without WSAStartup");
    e = WSACreateEvent();
    EXPECT_TRUE("WSACreateEvent", e != WSA_INVALID_EVENT);
    EXPECT_EQ("new event is unsignalled", WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE),
              WSA_WAIT_TIMEOUT);
    EXPECT_EQ("WSASetEvent", WSASetEvent(e), TRUE);
    EXPECT_EQ("signalled", WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE), WSA_WAIT_EVENT_0);
    /* manual-reset: a satisfied wait does not reset it */
    EXPECT_EQ("still signalled", WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE),
              WSA_WAIT_EVENT_0);
    EXPECT_EQ("INFINITE on a set event returns at once",
              WSAWaitForMultipleEvents(1, &e, FALSE, WSA_INFINITE, FALSE), WSA_WAIT_EVENT_0);
    EXPECT_EQ("fAlertable is accepted (no APCs: never WSA_WAIT_IO_COMPLETION)",
              WSAWaitForMultipleEvents(1, &e, FALSE, 0, TRUE), WSA_WAIT_EVENT_0);
    EXPECT_EQ("WSASetEvent twice", WSASetEvent(e), TRUE);
    EXPECT_EQ("WSAResetEvent", WSAResetEvent(e), TRUE);
    EXPECT_EQ("reset", WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    EXPECT_EQ("WaitForSingleObject on a WSAEVENT", WaitForSingleObject(e, 0), WAIT_TIMEOUT);
    EXPECT_EQ("SetEvent on a WSAEVENT", SetEvent(e), TRUE);
    EXPECT_EQ("WaitForSingleObject", WaitForSingleObject(e, 0), WAIT_OBJECT_0);
    EXPECT_EQ("ResetEvent", ResetEvent(e), TRUE);
    EXPECT_EQ("WSACloseEvent", WSACloseEvent(e), TRUE);
}

/* ---- B.1: closed and unknown handles ----------------------------------------------------- */
static void test_invalid_handles(void)
{
    WSAEVENT e, other, arr[2];
    SECTION("B.1: a closed handle gives WSA_INVALID_HANDLE (6) everywhere, and never aliases");
    e = WSACreateEvent();
    EXPECT_EQ("close", WSACloseEvent(e), TRUE);
    WSASetLastError(0);
    EXPECT_EQ("WSASetEvent(closed)", WSASetEvent(e), FALSE);
    EXPECT_EQ("  last error", WSAGetLastError(), WSA_INVALID_HANDLE);
    WSASetLastError(0);
    EXPECT_EQ("WSAResetEvent(closed)", WSAResetEvent(e), FALSE);
    EXPECT_EQ("  last error", WSAGetLastError(), WSA_INVALID_HANDLE);
    WSASetLastError(0);
    EXPECT_EQ("WSACloseEvent(closed)", WSACloseEvent(e), FALSE);
    EXPECT_EQ("  last error", WSAGetLastError(), WSA_INVALID_HANDLE);
    SetLastError(0);
    EXPECT_EQ("CloseHandle(closed)", CloseHandle(e), FALSE);
    EXPECT_EQ("  GetLastError", GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    EXPECT_EQ("WaitForSingleObject(closed)", WaitForSingleObject(e, 0), WAIT_FAILED);
    EXPECT_EQ("  GetLastError", GetLastError(), ERROR_INVALID_HANDLE);

    /* A new event may reuse the slot; the old value must stay dead. */
    other = WSACreateEvent();
    EXPECT_TRUE("new handle differs from the closed one", other != e);
    EXPECT_EQ("WSASetEvent(stale)", WSASetEvent(e), FALSE);
    EXPECT_EQ("the new event was not touched", WaitForSingleObject(other, 0), WAIT_TIMEOUT);

    /* B.2: an invalid handle anywhere fails the wait, even after a signalled one */
    WSASetEvent(other);
    arr[0] = other;
    arr[1] = e;
    WSASetLastError(0);
    EXPECT_EQ("wait [signalled, closed]", WSAWaitForMultipleEvents(2, arr, FALSE, 0, FALSE),
              WSA_WAIT_FAILED);
    EXPECT_EQ("  last error", WSAGetLastError(), WSA_INVALID_HANDLE);
    arr[1] = NULL;
    WSASetLastError(0);
    EXPECT_EQ("wait [signalled, NULL]", WSAWaitForMultipleEvents(2, arr, FALSE, 0, FALSE),
              WSA_WAIT_FAILED);
    EXPECT_EQ("  last error", WSAGetLastError(), WSA_INVALID_HANDLE);
    arr[1] = (WSAEVENT)(UINT_PTR)0x12345;
    WSASetLastError(0);
    EXPECT_EQ("wait [signalled, garbage]", WSAWaitForMultipleEvents(2, arr, TRUE, 0, FALSE),
              WSA_WAIT_FAILED);
    EXPECT_EQ("  last error", WSAGetLastError(), WSA_INVALID_HANDLE);
    SetLastError(0);
    EXPECT_EQ("CloseHandle(INVALID_HANDLE_VALUE)", CloseHandle(INVALID_HANDLE_VALUE), FALSE);
    EXPECT_EQ("  GetLastError", GetLastError(), ERROR_INVALID_HANDLE);
    WSACloseEvent(other);
}

/* ---- B.2: parameter errors --------------------------------------------------------------- */
static void test_wait_parameter_errors(void)
{
    WSAEVENT ev[N + 1];
    int i;
    SECTION("B.2: count 0 or > 64, NULL array, duplicates with fWaitAll -> WSA_WAIT_FAILED + 87");
    for (i = 0; i <= N; i++) {
        ev[i] = WSACreateEvent();
        WSASetEvent(ev[i]);
    }
    WSASetLastError(0);
    EXPECT_EQ("cEvents = 0", WSAWaitForMultipleEvents(0, ev, FALSE, 0, FALSE), WSA_WAIT_FAILED);
    EXPECT_EQ("  WSAGetLastError", WSAGetLastError(), WSA_INVALID_PARAMETER);
    EXPECT_EQ("  GetLastError (same value)", GetLastError(), ERROR_INVALID_PARAMETER);
    WSASetLastError(0);
    EXPECT_EQ("cEvents = 65", WSAWaitForMultipleEvents(N + 1, ev, FALSE, 0, FALSE),
              WSA_WAIT_FAILED);
    EXPECT_EQ("  last error", WSAGetLastError(), WSA_INVALID_PARAMETER);
    WSASetLastError(0);
    EXPECT_EQ("cEvents = 65, wait-all", WSAWaitForMultipleEvents(N + 1, ev, TRUE, 0, FALSE),
              WSA_WAIT_FAILED);
    EXPECT_EQ("  last error", WSAGetLastError(), WSA_INVALID_PARAMETER);
    EXPECT_EQ("cEvents = 64 is fine", WSAWaitForMultipleEvents(N, ev, FALSE, 0, FALSE),
              WSA_WAIT_EVENT_0);
    EXPECT_EQ("cEvents = 64, wait-all is fine", WSAWaitForMultipleEvents(N, ev, TRUE, 0, FALSE),
              WSA_WAIT_EVENT_0);
    /* NULL array: Windows faults; the library fails with 87 (documented deviation) */
    WSASetLastError(0);
    EXPECT_EQ("lphEvents = NULL", WSAWaitForMultipleEvents(1, NULL, FALSE, 0, FALSE),
              WSA_WAIT_FAILED);
    EXPECT_EQ("  last error", WSAGetLastError(), WSA_INVALID_PARAMETER);
    /* Duplicates: an error for wait-all only (STATUS_INVALID_PARAMETER_MIX) */
    ev[1] = ev[0];
    WSASetLastError(0);
    EXPECT_EQ("duplicate, wait-all", WSAWaitForMultipleEvents(2, ev, TRUE, 0, FALSE),
              WSA_WAIT_FAILED);
    EXPECT_EQ("  last error", WSAGetLastError(), WSA_INVALID_PARAMETER);
    EXPECT_EQ("duplicate, wait-any", WSAWaitForMultipleEvents(2, ev, FALSE, 0, FALSE),
              WSA_WAIT_EVENT_0);
    /* the same rules through WaitForMultipleObjects(Ex) */
    SetLastError(0);
    EXPECT_EQ("WaitForMultipleObjects(0)", WaitForMultipleObjects(0, ev, FALSE, 0), WAIT_FAILED);
    EXPECT_EQ("  GetLastError", GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    EXPECT_EQ("WaitForMultipleObjectsEx(65)", WaitForMultipleObjectsEx(65, ev, FALSE, 0, TRUE),
              WAIT_FAILED);
    EXPECT_EQ("  GetLastError", GetLastError(), ERROR_INVALID_PARAMETER);
    for (i = 0; i <= N; i++)
        if (i != 1)
            WSACloseEvent(ev[i]);
}

/* ---- B.2: lowest index wins, over 64 events -------------------------------------------- */
static void test_lowest_index(void)
{
    WSAEVENT ev[N];
    int i;
    SECTION("B.2: wait-any returns the lowest signalled index (64 events, kernel32 sync.c)");
    for (i = 0; i < N; i++)
        ev[i] = WSACreateEvent();
    EXPECT_EQ("none signalled", WSAWaitForMultipleEvents(N, ev, FALSE, 0, FALSE),
              WSA_WAIT_TIMEOUT);
    for (i = N - 1; i >= 0; i--) {
        WSASetEvent(ev[i]);
        EXPECT_EQ("lowest after setting i", WSAWaitForMultipleEvents(N, ev, FALSE, 0, FALSE),
                  WSA_WAIT_EVENT_0 + i);
        EXPECT_EQ("again: manual-reset stays signalled",
                  WaitForMultipleObjects(N, ev, FALSE, 0), WAIT_OBJECT_0 + i);
    }
    for (i = 0; i < N; i++) {
        EXPECT_EQ("lowest while resetting in order",
                  WSAWaitForMultipleEvents(N, ev, FALSE, 0, FALSE), WSA_WAIT_EVENT_0 + i);
        WSAResetEvent(ev[i]);
    }
    EXPECT_EQ("all reset", WSAWaitForMultipleEvents(N, ev, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    for (i = 0; i < N; i++)
        WSACloseEvent(ev[i]);
}

/* ---- B.2: wait-all ---------------------------------------------------------------------------- */
static void test_wait_all(void)
{
    WSAEVENT ev[N];
    HANDLE mix[2];
    int i;
    SECTION("B.2: wait-all: only when all are signalled; returns WSA_WAIT_EVENT_0");
    for (i = 0; i < N; i++) {
        ev[i] = WSACreateEvent();
        if (i != 37)
            WSASetEvent(ev[i]);
    }
    EXPECT_EQ("63 of 64", WSAWaitForMultipleEvents(N, ev, TRUE, 0, FALSE), WSA_WAIT_TIMEOUT);
    WSASetEvent(ev[37]);
    EXPECT_EQ("64 of 64", WSAWaitForMultipleEvents(N, ev, TRUE, 0, FALSE), WSA_WAIT_EVENT_0);
    for (i = 0; i < N; i++)
        WSACloseEvent(ev[i]);

    /* auto-reset events are consumed only when the whole wait is satisfied */
    mix[0] = CreateEventW(NULL, FALSE, TRUE, NULL); /* auto, set */
    mix[1] = CreateEventW(NULL, TRUE, FALSE, NULL); /* manual, unset */
    EXPECT_EQ("not all set", WaitForMultipleObjects(2, mix, TRUE, 0), WAIT_TIMEOUT);
    EXPECT_EQ("the auto-reset event was not consumed", WaitForSingleObject(mix[0], 0),
              WAIT_OBJECT_0);
    SetEvent(mix[0]);
    SetEvent(mix[1]);
    EXPECT_EQ("all set", WaitForMultipleObjects(2, mix, TRUE, 0), WAIT_OBJECT_0);
    EXPECT_EQ("auto-reset consumed by the wait-all", WaitForSingleObject(mix[0], 0), WAIT_TIMEOUT);
    EXPECT_EQ("manual-reset still set", WaitForSingleObject(mix[1], 0), WAIT_OBJECT_0);
    CloseHandle(mix[0]);
    CloseHandle(mix[1]);
}

/* ---- CreateEvent: auto-reset, initial state, names ---------------------------------------- */
static void test_create_event(void)
{
    HANDLE a[3], h;
    SECTION("CreateEventA/W: auto-reset events; initial state; named events refused");
    a[0] = CreateEventA(NULL, FALSE, FALSE, NULL);
    a[1] = CreateEventA(NULL, FALSE, TRUE, NULL);
    a[2] = CreateEvent(NULL, FALSE, TRUE, NULL);
    EXPECT_TRUE("created", a[0] && a[1] && a[2]);
    /* B.2: an auto-reset event is reset only when it satisfies the wait */
    EXPECT_EQ("first signalled", WaitForMultipleObjects(3, a, FALSE, 0), WAIT_OBJECT_0 + 1);
    EXPECT_EQ("next signalled (1 consumed, 2 untouched)", WaitForMultipleObjects(3, a, FALSE, 0),
              WAIT_OBJECT_0 + 2);
    EXPECT_EQ("all consumed", WaitForMultipleObjects(3, a, FALSE, 0), WAIT_TIMEOUT);
    SetEvent(a[0]);
    EXPECT_EQ("WaitForSingleObject consumes", WaitForSingleObject(a[0], 0), WAIT_OBJECT_0);
    EXPECT_EQ("  once", WaitForSingleObject(a[0], 0), WAIT_TIMEOUT);
    CloseHandle(a[0]);
    CloseHandle(a[1]);
    CloseHandle(a[2]);

    h = CreateEventA(NULL, TRUE, TRUE, NULL);
    EXPECT_EQ("manual-reset, initially set", WaitForSingleObject(h, 0), WAIT_OBJECT_0);
    EXPECT_EQ("  stays set", WaitForSingleObject(h, 0), WAIT_OBJECT_0);
    CloseHandle(h);

    SetLastError(0);
    EXPECT_TRUE("CreateEventA(named) -> NULL", CreateEventA(NULL, TRUE, FALSE, "Global\\x") == NULL);
    EXPECT_EQ("  ERROR_NOT_SUPPORTED", GetLastError(), ERROR_NOT_SUPPORTED);
    SetLastError(0);
    EXPECT_TRUE("CreateEventW(named) -> NULL", CreateEventW(NULL, TRUE, FALSE, L"x") == NULL);
    EXPECT_EQ("  ERROR_NOT_SUPPORTED", GetLastError(), ERROR_NOT_SUPPORTED);
}

/* ---- timeouts and cross-thread wake-ups ---------------------------------------------------- */
struct setter {
    HANDLE go, target;
};

static void *setter_thread(void *arg)
{
    struct setter *s = (struct setter *)arg;
    /* bounded: the main thread sets `go` before it blocks */
    if (WaitForSingleObject(s->go, 10000) != WAIT_OBJECT_0)
        return (void *)1;
    SetEvent(s->target);
    return NULL;
}

static void test_timeouts_and_threads(void)
{
    HANDLE e;
    LARGE_INTEGER t0, t1;
    struct setter s;
    pthread_t th;
    void *ret;
    SECTION("B.2: finite timeouts expire; an INFINITE wait wakes when another thread sets");
    e = WSACreateEvent();
    QueryPerformanceCounter(&t0);
    EXPECT_EQ("50 ms timeout", WSAWaitForMultipleEvents(1, &e, FALSE, 50, FALSE),
              WSA_WAIT_TIMEOUT);
    QueryPerformanceCounter(&t1);
    EXPECT_TRUE("waited at least 50 ms", ms_between(t0, t1) >= 50.0);
    EXPECT_TRUE("and not forever", ms_between(t0, t1) < 5000.0);

    s.go = CreateEventA(NULL, FALSE, FALSE, NULL);
    s.target = e;
    EXPECT_EQ("pthread_create", pthread_create(&th, NULL, setter_thread, &s), 0);
    SetEvent(s.go);
    EXPECT_EQ("INFINITE wait woken by the other thread",
              WSAWaitForMultipleEvents(1, &e, FALSE, WSA_INFINITE, FALSE), WSA_WAIT_EVENT_0);
    pthread_join(th, &ret);
    EXPECT_TRUE("setter thread saw go", ret == NULL);
    CloseHandle(s.go);
    WSACloseEvent(e);
}

/* ---- B.1: per-thread last error ------------------------------------------------------------ */
static void *error_thread(void *arg)
{
    (void)arg;
    if (WSAGetLastError() != 0)
        return (void *)1; /* a new thread starts at 0 */
    SetLastError(42);
    if (WSAGetLastError() != 42 || GetLastError() != 42)
        return (void *)2;
    WSASetLastError(WSAEWOULDBLOCK);
    if (GetLastError() != WSAEWOULDBLOCK)
        return (void *)3;
    return NULL;
}

static void test_last_error(void)
{
    pthread_t th;
    void *ret;
    SECTION("B.1: WSAGetLastError and GetLastError are one per-thread value");
    WSASetLastError(1234);
    EXPECT_EQ("GetLastError reads WSASetLastError", GetLastError(), 1234);
    SetLastError(ERROR_INVALID_HANDLE);
    EXPECT_EQ("WSAGetLastError reads SetLastError", WSAGetLastError(), WSA_INVALID_HANDLE);
    WSASetLastError(1234);
    pthread_create(&th, NULL, error_thread, NULL);
    pthread_join(th, &ret);
    EXPECT_EQ("other thread's checks", (long long)(INT_PTR)ret, 0);
    EXPECT_EQ("this thread's value is untouched", WSAGetLastError(), 1234);
}

/* ---- WSAStartup / WSACleanup (ReactOS apitests/ws2_32/WSAStartup.c, run on Windows) ------- */
static void test_startup(void)
{
    WSADATA d;
    WSAEVENT e;
    static const struct {
        WORD req, granted;
        int ok;
    } versions[] = {
        {MAKEWORD(0, 0), MAKEWORD(2, 2), 0},  {MAKEWORD(0, 9), MAKEWORD(2, 2), 0},
        {MAKEWORD(1, 0), MAKEWORD(1, 0), 1},  {MAKEWORD(1, 1), MAKEWORD(1, 1), 1},
        {MAKEWORD(1, 2), MAKEWORD(1, 1), 1},  {MAKEWORD(1, 255), MAKEWORD(1, 1), 1},
        {MAKEWORD(2, 0), MAKEWORD(2, 0), 1},  {MAKEWORD(2, 1), MAKEWORD(2, 1), 1},
        {MAKEWORD(2, 2), MAKEWORD(2, 2), 1},  {MAKEWORD(2, 3), MAKEWORD(2, 2), 1},
        {MAKEWORD(3, 0), MAKEWORD(2, 2), 1},  {MAKEWORD(255, 255), MAKEWORD(2, 2), 1},
    };
    size_t i;
    SECTION("WSAStartup / WSACleanup: versions, WSADATA, reference counting");
    WSASetLastError(0);
    EXPECT_EQ("WSACleanup before WSAStartup", WSACleanup(), SOCKET_ERROR);
    EXPECT_EQ("  WSANOTINITIALISED", WSAGetLastError(), WSANOTINITIALISED);
    EXPECT_EQ("WSAStartup(0, NULL): version checked first", WSAStartup(0, NULL),
              WSAVERNOTSUPPORTED);
    EXPECT_EQ("  last error", WSAGetLastError(), WSANOTINITIALISED);
    EXPECT_EQ("WSAStartup(2.2, NULL)", WSAStartup(MAKEWORD(2, 2), NULL), WSAEFAULT);
    EXPECT_EQ("  last error", WSAGetLastError(), WSANOTINITIALISED);

    for (i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        int rc;
        memset(&d, 0x55, sizeof d);
        rc = WSAStartup(versions[i].req, &d);
        printf("   version %d.%d -> rc %d, wVersion %d.%d\n", LOBYTE(versions[i].req),
               HIBYTE(versions[i].req), rc, LOBYTE(d.wVersion), HIBYTE(d.wVersion));
        EXPECT_EQ("return", rc, versions[i].ok ? 0 : WSAVERNOTSUPPORTED);
        EXPECT_EQ("wVersion", d.wVersion, versions[i].granted);
        EXPECT_EQ("wHighVersion", d.wHighVersion, MAKEWORD(2, 2));
        EXPECT_STR("szDescription", d.szDescription, "WinSock 2.0");
        EXPECT_STR("szSystemStatus", d.szSystemStatus, "Running");
        EXPECT_EQ("only the string and its NUL are written", (BYTE)d.szDescription[12], 0x55);
        EXPECT_EQ("iMaxSockets", d.iMaxSockets, LOBYTE(d.wVersion) < 2 ? 32767 : 0);
        EXPECT_EQ("iMaxUdpDg", d.iMaxUdpDg, LOBYTE(d.wVersion) < 2 ? 65467 : 0);
        EXPECT_EQ("lpVendorInfo untouched", (UINT_PTR)d.lpVendorInfo,
                  (UINT_PTR)0x5555555555555555ULL);
        if (rc == 0) {
            EXPECT_EQ("  success sets last error 0", WSAGetLastError(), 0);
            EXPECT_EQ("  WSACleanup", WSACleanup(), 0);
        }
    }
    EXPECT_EQ("balanced: WSACleanup fails again", WSACleanup(), SOCKET_ERROR);

    EXPECT_EQ("WSAStartup #1", WSAStartup(MAKEWORD(2, 2), &d), 0);
    EXPECT_EQ("WSAStartup #2", WSAStartup(MAKEWORD(2, 2), &d), 0);
    EXPECT_EQ("WSACleanup #2", WSACleanup(), 0);
    EXPECT_EQ("WSACleanup #1", WSACleanup(), 0);
    WSASetLastError(0);
    EXPECT_EQ("WSACleanup #3", WSACleanup(), SOCKET_ERROR);
    EXPECT_EQ("  WSANOTINITIALISED", WSAGetLastError(), WSANOTINITIALISED);

    /* Event functions are kernel32 wrappers: no WSAStartup needed, before or after */
    e = WSACreateEvent();
    EXPECT_TRUE("WSACreateEvent after WSACleanup", e != WSA_INVALID_EVENT);
    EXPECT_EQ("WSASetEvent after WSACleanup", WSASetEvent(e), TRUE);
    EXPECT_EQ("wait after WSACleanup", WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE),
              WSA_WAIT_EVENT_0);
    EXPECT_EQ("WSACloseEvent after WSACleanup", WSACloseEvent(e), TRUE);
}

/* ---- time ----------------------------------------------------------------------------------- */
static void test_time(void)
{
    LARGE_INTEGER f, c0, c1;
    ULONGLONG t0, t1;
    DWORD tc;
    SECTION("Sleep, GetTickCount(64), QueryPerformanceCounter/Frequency");
    EXPECT_EQ("QueryPerformanceFrequency", QueryPerformanceFrequency(&f), TRUE);
    EXPECT_EQ("  10 MHz, as current Windows", f.QuadPart, 10000000);
    EXPECT_EQ("QueryPerformanceCounter", QueryPerformanceCounter(&c0), TRUE);
    t0 = GetTickCount64();
    tc = GetTickCount();
    EXPECT_TRUE("GetTickCount is the low 32 bits of GetTickCount64", tc - (DWORD)t0 < 1000);
    Sleep(0);
    Sleep(20);
    QueryPerformanceCounter(&c1);
    t1 = GetTickCount64();
    EXPECT_TRUE("Sleep(20) slept >= 20 ms", ms_between(c0, c1) >= 20.0);
    EXPECT_TRUE("tick count advanced", t1 >= t0 + 19);
    EXPECT_TRUE("LowPart/HighPart alias QuadPart",
                ((ULONGLONG)(DWORD)c1.HighPart << 32 | c1.LowPart) == (ULONGLONG)c1.QuadPart);
    SetLastError(0);
    EXPECT_EQ("QueryPerformanceCounter(NULL)", QueryPerformanceCounter(NULL), FALSE);
    EXPECT_EQ("  ERROR_NOACCESS", GetLastError(), ERROR_NOACCESS);
}

int main(void)
{
    test_basic();
    test_invalid_handles();
    test_wait_parameter_errors();
    test_lowest_index();
    test_wait_all();
    test_create_event();
    test_timeouts_and_threads();
    test_last_error();
    test_startup();
    test_time();
    DONE();
}
