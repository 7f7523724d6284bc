/*
 * Overlapped I/O (issue 11) as Winsock C code uses it: WSARecv / WSASend / WSARecvFrom /
 * WSASendTo with an OVERLAPPED and an event or a completion routine, HasOverlappedIoCompleted,
 * WSAGetOverlappedResult and GetOverlappedResult, alertable waits (SleepEx,
 * WSAWaitForMultipleEvents, WaitForSingleObjectEx) and QueueUserAPC, CancelIo, CancelIoEx and
 * closesocket under a pending operation, and what a pending receive does to the event-select
 * record. Self-testing over loopback; every wait bounded.
 *
 * Sources: Wine's Windows-run dlls/ws2_32/tests/sock.c (test_WSARecv, test_send,
 * test_read_events, test_nonblocking_async_recv, test_WSAGetOverlappedResult and its
 * map_status, test_connecting_socket), the Microsoft pages of WSARecv, WSAGetOverlappedResult,
 * GetOverlappedResult, CancelIoEx (ERROR_NOT_FOUND), ReadFile (the event is reset when the
 * operation starts), and rules 19 and 43 of ../shared/docs/winsock-semantics.md.
 *
 * The same file builds with mingw-w64 against the real Windows headers and runs under Wine
 * (../shared/wine/oracle.sh with -I tests/c): the checks under #ifndef _WIN32 are our
 * documented choices (docs/semantics.md, "Overlapped I/O") or places where Wine differs.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "check.h"
#include "net.h"

#ifndef STATUS_PENDING
#  define STATUS_PENDING ((DWORD)0x00000103L)
#endif
#define STATUS_CANCELLED_ ((ULONG_PTR)0xC0000120u)
#define STATUS_CONNECTION_RESET_ ((ULONG_PTR)0xC000020Du)

static WSAOVERLAPPED *routine_ov;
static DWORD routine_error, routine_bytes, routine_flags;
static int routine_calls;

static void CALLBACK on_complete(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    routine_calls++;
    routine_ov = ov;
    routine_error = error;
    routine_bytes = bytes;
    routine_flags = flags;
}

static int apc_calls;
static void WINAPI apc(ULONG_PTR data)
{
    apc_calls += (int)data;
}

/* Waits (bounded) until the receive side has `n` bytes queued: a later receive then finds
 * them at once. */
static void wait_readable(SOCKET s, u_long n)
{
    DWORD start = GetTickCount();
    u_long avail = 0;
    for (;;) {
        fd_set rd;
        struct timeval tv = {0, 100000};
        FD_ZERO(&rd);
        FD_SET(s, &rd);
        select(0, &rd, NULL, NULL, &tv);
        if (ioctlsocket(s, FIONREAD, &avail) == 0 && avail >= n)
            return;
        if (GetTickCount() - start > LONG_MS) {
            fprintf(stderr, "FAIL: %lu bytes never arrived\n", (unsigned long)n);
            exit(1);
        }
    }
}

static void test_immediate_and_pending(void)
{
    SOCKET c, s;
    WSAOVERLAPPED ov;
    WSABUF b[2];
    char buf[16], b2[16];
    DWORD n = 0xdeadbeef, flags = 0, got = 0, oflags = 0xdeadbeef;
    WSAEVENT ev = WSACreateEvent();

    SECTION("an overlapped receive that finds data completes at once (WSARecv page)");
    TCP_PAIR(&c, &s);
    EXPECT_EQ("send", send(c, "hello", 5, 0), 5);
    wait_readable(s, 5);
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev;
    b[0].buf = buf;
    b[0].len = sizeof buf;
    EXPECT_EQ("WSARecv(ov) at once", WSARecv(s, b, 1, &n, &flags, &ov, NULL), 0);
    EXPECT_EQ("  bytes", n, 5);
    EXPECT_EQ("  Internal", ov.Internal, 0);
    EXPECT_EQ("  InternalHigh", ov.InternalHigh, 5);
    EXPECT_TRUE("  completed", HasOverlappedIoCompleted(&ov));
    EXPECT_EQ("  event set", WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    EXPECT_TRUE("WSAGetOverlappedResult", WSAGetOverlappedResult(s, &ov, &got, FALSE, &oflags));
    EXPECT_EQ("  bytes", got, 5);
    EXPECT_EQ("  flags", oflags, 0);

    SECTION("pending: WSA_IO_PENDING, Internal STATUS_PENDING, the event reset at the start");
    WSASetEvent(ev);
    ov.InternalHigh = 0xdeadbeef;
    n = 0xdeadbeef;
    EXPECT_FAIL("WSARecv(ov) pending", WSARecv(s, b, 1, &n, &flags, &ov, NULL), SOCKET_ERROR,
                WSA_IO_PENDING);
    EXPECT_EQ("  bytes untouched", n, 0xdeadbeef);
    EXPECT_EQ("  Internal", ov.Internal, STATUS_PENDING);
    /* test_nonblocking_async_recv: InternalHigh is left alone while pending. */
    EXPECT_EQ("  InternalHigh untouched", ov.InternalHigh, 0xdeadbeef);
    EXPECT_TRUE("  not completed", !HasOverlappedIoCompleted(&ov));
    EXPECT_EQ("  the event was reset (ReadFile page)", WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    EXPECT_FAIL("WSAGetOverlappedResult(pending)",
                WSAGetOverlappedResult(s, &ov, &got, FALSE, &oflags), FALSE, WSA_IO_INCOMPLETE);
    SetLastError(0);
    EXPECT_EQ("GetOverlappedResult(pending)", GetOverlappedResult((HANDLE)s, &ov, &got, FALSE),
              FALSE);
    EXPECT_EQ("  ERROR_IO_INCOMPLETE", GetLastError(), ERROR_IO_INCOMPLETE);
    EXPECT_EQ("send", send(c, "world", 5, 0), 5);
    EXPECT_EQ("  the event comes", WaitForSingleObject(ev, LONG_MS), WAIT_OBJECT_0);
    EXPECT_TRUE("GetOverlappedResult", GetOverlappedResult((HANDLE)s, &ov, &got, FALSE));
    EXPECT_EQ("  bytes", got, 5);
    EXPECT_TRUE("  data", memcmp(buf, "world", 5) == 0);

    SECTION("two buffers: the receive is scattered (test_WSARecv, test_write_watch)");
    b[0].len = 3;
    b[1].buf = b2;
    b[1].len = sizeof b2;
    EXPECT_FAIL("WSARecv(2 buffers, ov)", WSARecv(s, b, 2, NULL, &flags, &ov, NULL),
                SOCKET_ERROR, WSA_IO_PENDING);
    EXPECT_EQ("send", send(c, "scatter", 7, 0), 7);
    EXPECT_TRUE("GetOverlappedResult(wait)", GetOverlappedResult((HANDLE)s, &ov, &got, TRUE));
    EXPECT_EQ("  bytes", got, 7);
    EXPECT_TRUE("  first", memcmp(buf, "sca", 3) == 0);
    EXPECT_TRUE("  second", memcmp(b2, "tter", 4) == 0);

    SECTION("a NULL hEvent: GetOverlappedResult(bWait), or a wait on the socket (test_nonblocking_async_recv)");
    {
        WSAOVERLAPPED nov;
        memset(&nov, 0, sizeof nov);
        b[0].buf = buf;
        b[0].len = sizeof buf;
        EXPECT_FAIL("WSARecv(ov, no event)", WSARecv(s, b, 1, NULL, &flags, &nov, NULL),
                    SOCKET_ERROR, WSA_IO_PENDING);
        EXPECT_EQ("send", send(c, "null", 4, 0), 4);
        EXPECT_TRUE("GetOverlappedResult(wait)", GetOverlappedResult((HANDLE)s, &nov, &got, TRUE));
        EXPECT_EQ("  bytes", got, 4);
        EXPECT_TRUE("  data", memcmp(buf, "null", 4) == 0);

        /* The socket handle is waitable, as a file object: reset when an operation starts,
         * signalled when it completes (test_nonblocking_async_recv). */
        memset(&nov, 0, sizeof nov);
        EXPECT_FAIL("WSARecv(ov, no event)", WSARecv(s, b, 1, NULL, &flags, &nov, NULL),
                    SOCKET_ERROR, WSA_IO_PENDING);
        EXPECT_EQ("  the socket handle: not signalled", WaitForSingleObject((HANDLE)s, 0),
                  WAIT_TIMEOUT);
        EXPECT_EQ("send", send(c, "sock", 4, 0), 4);
        EXPECT_EQ("  the socket handle: signalled at completion",
                  WaitForSingleObject((HANDLE)s, LONG_MS), WAIT_OBJECT_0);
        EXPECT_TRUE("GetOverlappedResult", GetOverlappedResult((HANDLE)s, &nov, &got, FALSE));
        EXPECT_EQ("  bytes", got, 4);
    }

    SECTION("an overlapped send with room completes at once (test_send)");
    b[0].buf = (char *)"abcdef";
    b[0].len = 6;
    n = 0;
    EXPECT_EQ("WSASend(ov)", WSASend(c, b, 1, &n, 0, &ov, NULL), 0);
    EXPECT_EQ("  bytes", n, 6);
    EXPECT_TRUE("  completed", HasOverlappedIoCompleted(&ov));
    EXPECT_EQ("  InternalHigh", ov.InternalHigh, 6);

    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_order_fin_rst(void)
{
    SOCKET c, s;
    WSAOVERLAPPED ov[3];
    WSAEVENT ev[3];
    WSABUF b[3];
    char buf[3][4];
    DWORD got, flags = 0, oflags;
    int i;

    SECTION("several pending receives complete in issue order");
    TCP_PAIR(&c, &s);
    for (i = 0; i < 3; i++) {
        ev[i] = WSACreateEvent();
        memset(&ov[i], 0, sizeof ov[i]);
        ov[i].hEvent = ev[i];
        b[i].buf = buf[i];
        b[i].len = 1;
        EXPECT_FAIL("WSARecv(ov)", WSARecv(s, &b[i], 1, NULL, &flags, &ov[i], NULL),
                    SOCKET_ERROR, WSA_IO_PENDING);
    }
    EXPECT_EQ("send", send(c, "xyz", 3, 0), 3);
    EXPECT_EQ("all three", WSAWaitForMultipleEvents(3, ev, TRUE, LONG_MS, FALSE), WSA_WAIT_EVENT_0);
    for (i = 0; i < 3; i++) {
        EXPECT_TRUE("WSAGetOverlappedResult", WSAGetOverlappedResult(s, &ov[i], &got, FALSE, &oflags));
        EXPECT_EQ("  one byte", got, 1);
        EXPECT_EQ("  in order", buf[i][0], "xyz"[i]);
    }

    SECTION("the peer's FIN completes a pending receive with 0 bytes");
    b[0].len = 4;
    EXPECT_FAIL("WSARecv(ov)", WSARecv(s, &b[0], 1, NULL, &flags, &ov[0], NULL), SOCKET_ERROR,
                WSA_IO_PENDING);
    shutdown(c, SD_SEND);
    EXPECT_TRUE("WSAGetOverlappedResult(wait)", WSAGetOverlappedResult(s, &ov[0], &got, TRUE, &oflags));
    EXPECT_EQ("  0 bytes", got, 0);
    closesocket(c);
    closesocket(s);

    SECTION("a RST completes pending receives: ERROR_NETNAME_DELETED / WSAECONNRESET (test_WSARecv)");
    TCP_PAIR(&c, &s);
    for (i = 0; i < 2; i++) {
        WSAResetEvent(ev[i]);
        EXPECT_FAIL("WSARecv(ov)", WSARecv(s, &b[i], 1, NULL, &flags, &ov[i], NULL),
                    SOCKET_ERROR, WSA_IO_PENDING);
    }
    CLOSE_WITH_RST(c);
    EXPECT_EQ("the event comes", WaitForSingleObject(ev[0], LONG_MS), WAIT_OBJECT_0);
    SetLastError(0);
    got = 0xdeadbeef;
    EXPECT_EQ("GetOverlappedResult", GetOverlappedResult((HANDLE)s, &ov[0], &got, FALSE), FALSE);
    EXPECT_EQ("  ERROR_NETNAME_DELETED", GetLastError(), ERROR_NETNAME_DELETED);
    EXPECT_EQ("  0 bytes", got, 0);
    EXPECT_EQ("  Internal", ov[0].Internal, STATUS_CONNECTION_RESET_);
    EXPECT_EQ("the second too", WaitForSingleObject(ev[1], LONG_MS), WAIT_OBJECT_0);
    EXPECT_FAIL("WSAGetOverlappedResult", WSAGetOverlappedResult(s, &ov[1], &got, FALSE, &oflags),
                FALSE, WSAECONNRESET);
    closesocket(s);
    for (i = 0; i < 3; i++)
        WSACloseEvent(ev[i]);
}

static void test_routines_and_apcs(void)
{
    SOCKET c, s;
    WSAOVERLAPPED ov, ov2;
    WSABUF b;
    char buf[16];
    DWORD flags = 0, got, oflags;
    WSAEVENT ev = WSACreateEvent();

    SECTION("a completion routine runs in an alertable wait of its thread, once (test_WSARecv)");
    TCP_PAIR(&c, &s);
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev;
    b.buf = buf;
    b.len = sizeof buf;
    routine_calls = 0;
    EXPECT_FAIL("WSARecv(ov, routine)", WSARecv(s, &b, 1, NULL, &flags, &ov, on_complete),
                SOCKET_ERROR, WSA_IO_PENDING);
    EXPECT_EQ("send", send(c, "test message", 13, 0), 13);
    EXPECT_EQ("SleepEx(alertable)", SleepEx(LONG_MS, TRUE), WAIT_IO_COMPLETION);
    EXPECT_EQ("  called once", routine_calls, 1);
    EXPECT_EQ("  error", routine_error, 0);
    EXPECT_EQ("  bytes", routine_bytes, 13);
    EXPECT_EQ("  flags", routine_flags, 0);
    EXPECT_TRUE("  its OVERLAPPED", routine_ov == &ov);
    EXPECT_EQ("  the event is not signalled", WaitForSingleObject(ev, 1), WAIT_TIMEOUT);
    EXPECT_EQ("SleepEx again: nothing queued", SleepEx(0, TRUE), 0);
    EXPECT_EQ("  not called again", routine_calls, 1);

    SECTION("an immediate completion queues its routine too; WSAWaitForMultipleEvents(alertable)");
    EXPECT_EQ("send", send(c, "now", 3, 0), 3);
    wait_readable(s, 3);
    EXPECT_EQ("WSARecv(ov, routine) at once", WSARecv(s, &b, 1, &got, &flags, &ov, on_complete), 0);
    EXPECT_EQ("  bytes", got, 3);
    EXPECT_EQ("  not run yet", routine_calls, 1);
    EXPECT_EQ("WSAWaitForMultipleEvents(alertable)",
              WSAWaitForMultipleEvents(1, &ev, FALSE, LONG_MS, TRUE), WSA_WAIT_IO_COMPLETION);
    EXPECT_EQ("  run", routine_calls, 2);
    EXPECT_EQ("  bytes", routine_bytes, 3);

    SECTION("QueueUserAPC: same queue; objects first; a non-alertable wait runs nothing");
    apc_calls = 0;
    EXPECT_TRUE("QueueUserAPC", QueueUserAPC(apc, GetCurrentThread(), 1) != 0);
    WSASetEvent(ev);
    EXPECT_EQ("signalled object wins", WaitForSingleObjectEx(ev, 0, TRUE), WAIT_OBJECT_0);
    EXPECT_EQ("  APC not run", apc_calls, 0);
    WSAResetEvent(ev);
    /* test_WSAGetOverlappedResult: its fWait wait is not alertable. */
    memset(&ov2, 0, sizeof ov2);
    EXPECT_TRUE("WSAGetOverlappedResult(zeroed, wait)", WSAGetOverlappedResult(s, &ov2, &got, TRUE, &oflags));
    EXPECT_EQ("  APC not run", apc_calls, 0);
    EXPECT_EQ("WaitForSingleObjectEx(alertable)", WaitForSingleObjectEx(ev, LONG_MS, TRUE),
              WAIT_IO_COMPLETION);
    EXPECT_EQ("  APC run", apc_calls, 1);
    EXPECT_TRUE("QueueUserAPC", QueueUserAPC(apc, GetCurrentThread(), 10) != 0);
    EXPECT_EQ("SleepEx(0, TRUE)", SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    EXPECT_EQ("  APC run", apc_calls, 11);
    EXPECT_TRUE("QueueUserAPC", QueueUserAPC(apc, GetCurrentThread(), 100) != 0);
    EXPECT_EQ("WaitForMultipleObjectsEx(alertable)",
              WaitForMultipleObjectsEx(1, &ev, FALSE, LONG_MS, TRUE), WAIT_IO_COMPLETION);
    EXPECT_EQ("  APC run", apc_calls, 111);
    EXPECT_EQ("SleepEx(0, FALSE)", SleepEx(0, FALSE), 0);

    closesocket(c);
    closesocket(s);
    WSACloseEvent(ev);
}

static void test_cancel_and_close(void)
{
    SOCKET c, s;
    WSAOVERLAPPED ov, ov2;
    WSABUF b;
    char buf[8];
    DWORD flags = 0, got, oflags;
    WSAEVENT ev = WSACreateEvent(), ev2 = WSACreateEvent();

    SECTION("CancelIoEx(ov): WSA_OPERATION_ABORTED; again: ERROR_NOT_FOUND (CancelIoEx page)");
    TCP_PAIR(&c, &s);
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev;
    b.buf = buf;
    b.len = sizeof buf;
    EXPECT_FAIL("WSARecv(ov)", WSARecv(s, &b, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR,
                WSA_IO_PENDING);
    EXPECT_TRUE("CancelIoEx", CancelIoEx((HANDLE)s, &ov));
    EXPECT_EQ("  the event comes", WaitForSingleObject(ev, LONG_MS), WAIT_OBJECT_0);
    EXPECT_FAIL("WSAGetOverlappedResult", WSAGetOverlappedResult(s, &ov, &got, FALSE, &oflags),
                FALSE, WSA_OPERATION_ABORTED);
    SetLastError(0);
    EXPECT_EQ("GetOverlappedResult", GetOverlappedResult((HANDLE)s, &ov, &got, FALSE), FALSE);
    EXPECT_EQ("  ERROR_OPERATION_ABORTED", GetLastError(), ERROR_OPERATION_ABORTED);
    SetLastError(0);
    EXPECT_EQ("CancelIoEx(nothing pending)", CancelIoEx((HANDLE)s, &ov), FALSE);
    EXPECT_EQ("  ERROR_NOT_FOUND", GetLastError(), ERROR_NOT_FOUND);

#ifndef _WIN32 /* the CancelIoEx page; Wine 8 returns TRUE for NULL with nothing pending */
    SetLastError(0);
    EXPECT_EQ("CancelIoEx(NULL, nothing pending)", CancelIoEx((HANDLE)s, NULL), FALSE);
    EXPECT_EQ("  ERROR_NOT_FOUND", GetLastError(), ERROR_NOT_FOUND);
#endif

    SECTION("CancelIo: this thread's operations; the data then goes to a later receive");
    EXPECT_FAIL("WSARecv(ov)", WSARecv(s, &b, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR,
                WSA_IO_PENDING);
    EXPECT_TRUE("CancelIo", CancelIo((HANDLE)s));
    EXPECT_FAIL("  aborted", WSAGetOverlappedResult(s, &ov, &got, TRUE, &oflags), FALSE,
                WSA_OPERATION_ABORTED);
    EXPECT_TRUE("CancelIo(nothing pending)", CancelIo((HANDLE)s));
    EXPECT_EQ("send", send(c, "k", 1, 0), 1);
    EXPECT_TRUE("a new receive gets it", WSARecv(s, &b, 1, &got, &flags, &ov, NULL) == 0
                    || WSAGetOverlappedResult(s, &ov, &got, TRUE, &oflags));
    EXPECT_EQ("  one byte", got, 1);

    SECTION("closesocket under a pending receive: it completes aborted (rule 43)");
    memset(&ov2, 0, sizeof ov2);
    ov2.hEvent = ev2;
    EXPECT_FAIL("WSARecv(ov)", WSARecv(s, &b, 1, NULL, &flags, &ov2, NULL), SOCKET_ERROR,
                WSA_IO_PENDING);
    EXPECT_EQ("closesocket", closesocket(s), 0);
    EXPECT_EQ("  the event comes", WaitForSingleObject(ev2, LONG_MS), WAIT_OBJECT_0);
#ifdef _WIN32
    /* Wine's afd test (todo_wine): Windows completes it STATUS_CANCELLED; Wine 8 with
     * STATUS_HANDLES_CLOSED (0x8000000A). */
    if (ov2.Internal == 0x8000000Au) {
        printf("WINE DEVIATION: closesocket completes a pending receive with status 0x8000000a, "
               "Windows STATUS_CANCELLED\n");
        EXPECT_EQ("  Internal (Wine)", ov2.Internal, 0x8000000Au);
    } else
#endif
    {
        EXPECT_EQ("  Internal: STATUS_CANCELLED", ov2.Internal, STATUS_CANCELLED_);
        SetLastError(0);
        EXPECT_EQ("GetOverlappedResult", GetOverlappedResult((HANDLE)s, &ov2, &got, FALSE), FALSE);
        EXPECT_EQ("  ERROR_OPERATION_ABORTED", GetLastError(), ERROR_OPERATION_ABORTED);
    }
    /* test_WSAGetOverlappedResult: a value that is not an open socket is WSAENOTSOCK. */
    EXPECT_FAIL("WSAGetOverlappedResult(closed socket)",
                WSAGetOverlappedResult(s, &ov2, &got, FALSE, &oflags), FALSE, WSAENOTSOCK);
    {
        /* The operation belonged to the closed socket: a newer socket never sees it. */
        SOCKET n = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        SetLastError(0);
        EXPECT_EQ("CancelIoEx(a newer socket, the old OVERLAPPED)", CancelIoEx((HANDLE)n, &ov2),
                  FALSE);
        EXPECT_EQ("  ERROR_NOT_FOUND", GetLastError(), ERROR_NOT_FOUND);
        closesocket(n);
    }
    closesocket(c);
    WSACloseEvent(ev);
    WSACloseEvent(ev2);
}

static void test_event_select_interaction(void)
{
    SOCKET c, s;
    WSAOVERLAPPED ov;
    WSABUF b;
    char buf[4];
    DWORD flags = 0, got;
    WSAEVENT sel = CreateEventA(NULL, TRUE, FALSE, NULL);

    SECTION("a pending WSARecv takes the data: no FD_READ; the next byte: FD_READ (test_read_events)");
    TCP_PAIR(&c, &s);
    EXPECT_EQ("WSAEventSelect",
              WSAEventSelect(s, sel, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), 0);
    CHECK_EVENTS("nothing yet", s, sel, 0, 0);
    memset(&ov, 0, sizeof ov);
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    b.buf = buf;
    b.len = 1;
    EXPECT_FAIL("WSARecv(ov)", WSARecv(s, &b, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR,
                WSA_IO_PENDING);
    EXPECT_EQ("send", send(c, "a", 1, 0), 1);
    EXPECT_EQ("the receive completes", WaitForSingleObject(ov.hEvent, LONG_MS), WAIT_OBJECT_0);
    EXPECT_TRUE("GetOverlappedResult", GetOverlappedResult((HANDLE)s, &ov, &got, FALSE));
    EXPECT_EQ("  1 byte", got, 1);
    CHECK_EVENTS("no FD_READ for the byte it took", s, sel, 0, 0);
    EXPECT_EQ("send", send(c, "a", 1, 0), 1);
    CHECK_EVENTS("the next byte: FD_READ", s, sel, FD_READ, 0);
    CHECK_EVENTS("once", s, sel, 0, 0);
    CloseHandle(ov.hEvent);
    closesocket(c);
    closesocket(s);
    CloseHandle(sel);
}

static void test_udp(void)
{
    SOCKET rx, tx;
    SOCKADDR_IN a, from;
    int len = sizeof a, fromlen = sizeof from;
    WSAOVERLAPPED ov;
    WSABUF b;
    char buf[16];
    DWORD flags = 0, got, oflags;

    SECTION("UDP: WSARecvFrom overlapped reports the sender; WSASendTo overlapped");
    rx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    tx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ("bind", bind(rx, (SOCKADDR *)&a, sizeof a), 0);
    EXPECT_EQ("getsockname", getsockname(rx, (SOCKADDR *)&a, &len), 0);
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    b.buf = buf;
    b.len = sizeof buf;
    memset(&from, 0, sizeof from);
    EXPECT_FAIL("WSARecvFrom(ov)",
                WSARecvFrom(rx, &b, 1, NULL, &flags, (SOCKADDR *)&from, &fromlen, &ov, NULL),
                SOCKET_ERROR, WSA_IO_PENDING);
    {
        WSAOVERLAPPED sov;
        WSABUF sb;
        DWORD sent = 0;
        memset(&sov, 0, sizeof sov);
        sb.buf = (char *)"dgram";
        sb.len = 5;
        EXPECT_EQ("WSASendTo(ov)",
                  WSASendTo(tx, &sb, 1, &sent, 0, (SOCKADDR *)&a, sizeof a, &sov, NULL), 0);
        EXPECT_EQ("  bytes", sent, 5);
    }
    EXPECT_TRUE("WSAGetOverlappedResult(wait)", WSAGetOverlappedResult(rx, &ov, &got, TRUE, &oflags));
    EXPECT_EQ("  bytes", got, 5);
    EXPECT_EQ("  sender family", from.sin_family, AF_INET);
    EXPECT_TRUE("  sender port", from.sin_port != 0);
    WSACloseEvent(ov.hEvent);
    closesocket(rx);
    closesocket(tx);
}

static void test_bad_input(void)
{
    SOCKET c, s;
    WSAOVERLAPPED ov;
    WSABUF b;
    char buf[4];
    DWORD flags = 0, got, oflags;

    SECTION("WSAGetOverlappedResult reads the OVERLAPPED's status (map_status, test_WSAGetOverlappedResult)");
    TCP_PAIR(&c, &s);
    SECTION("a zero-byte receive completes, with 0 bytes, when data arrives");
    {
        WSAEVENT zev = WSACreateEvent();
        memset(&ov, 0, sizeof ov);
        ov.hEvent = zev;
        b.buf = buf;
        b.len = 0;
        EXPECT_FAIL("WSARecv(0 bytes, ov)", WSARecv(s, &b, 1, NULL, &flags, &ov, NULL),
                    SOCKET_ERROR, WSA_IO_PENDING);
        EXPECT_EQ("send", send(c, "q", 1, 0), 1);
        EXPECT_EQ("  completes", WaitForSingleObject(zev, LONG_MS), WAIT_OBJECT_0);
        EXPECT_EQ("  Internal", ov.Internal, 0);
        EXPECT_EQ("  0 bytes", ov.InternalHigh, 0);
        b.len = sizeof buf;
        EXPECT_EQ("the byte is still there", recv(s, buf, sizeof buf, 0), 1);
        WSACloseEvent(zev);
    }

    memset(&ov, 0, sizeof ov);
    ov.Internal = STATUS_CONNECTION_RESET_;
    EXPECT_FAIL("STATUS_CONNECTION_RESET", WSAGetOverlappedResult(s, &ov, &got, FALSE, &oflags),
                FALSE, WSAECONNRESET);
    ov.Internal = STATUS_CANCELLED_;
    EXPECT_FAIL("STATUS_CANCELLED", WSAGetOverlappedResult(s, &ov, &got, FALSE, &oflags), FALSE,
                WSA_OPERATION_ABORTED);
    ov.Internal = 0xC0001234u;
    EXPECT_FAIL("an unknown status", WSAGetOverlappedResult(s, &ov, &got, FALSE, &oflags), FALSE,
                WSAEINVAL);
    ov.Internal = 0;
    ov.InternalHigh = 7;
    EXPECT_TRUE("STATUS_SUCCESS", WSAGetOverlappedResult(s, &ov, &got, FALSE, &oflags));
    EXPECT_EQ("  bytes", got, 7);
    EXPECT_FAIL("not a socket", WSAGetOverlappedResult((SOCKET)0xdeadbeef, &ov, &got, FALSE, &oflags),
                FALSE, WSAENOTSOCK);

    SECTION("bad arguments to the overlapped calls");
    memset(&ov, 0, sizeof ov);
    b.buf = buf;
    b.len = sizeof buf;
    EXPECT_FAIL("WSARecv(ov, NULL buffers)", WSARecv(s, NULL, 1, NULL, &flags, &ov, NULL),
                SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("WSARecv(ov, NULL flags)", WSARecv(s, &b, 1, NULL, NULL, &ov, NULL),
                SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("WSARecv(ov) on a closed value", WSARecv((SOCKET)0x7ff0, &b, 1, NULL, &flags, &ov, NULL),
                SOCKET_ERROR, WSAENOTSOCK);
    /* An hEvent that is not an event: STATUS_OBJECT_TYPE_MISMATCH / STATUS_INVALID_HANDLE,
     * which map to WSAENOTSOCK (map_status); nothing is issued. */
    ov.hEvent = (HANDLE)(ULONG_PTR)c; /* a socket handle is not an event */
    EXPECT_FAIL("WSARecv(ov, hEvent a socket)", WSARecv(s, &b, 1, NULL, &flags, &ov, NULL),
                SOCKET_ERROR, WSAENOTSOCK);
    ov.hEvent = (HANDLE)(ULONG_PTR)0x12344;
    EXPECT_FAIL("WSARecv(ov, hEvent garbage)", WSARecv(s, &b, 1, NULL, &flags, &ov, NULL),
                SOCKET_ERROR, WSAENOTSOCK);
    ov.hEvent = NULL;
    SetLastError(0);
    EXPECT_EQ("QueueUserAPC(not a thread)", QueueUserAPC(apc, (HANDLE)(ULONG_PTR)s, 1), 0);
    EXPECT_EQ("  ERROR_INVALID_HANDLE", GetLastError(), ERROR_INVALID_HANDLE);
#ifndef _WIN32 /* our choices (docs/semantics.md, "Overlapped I/O"); Windows faults or differs */
    EXPECT_FAIL("WSARecv(ov, 0 buffers)", WSARecv(s, &b, 0, NULL, &flags, &ov, NULL),
                SOCKET_ERROR, WSAEINVAL);
    EXPECT_FAIL("WSAGetOverlappedResult(NULL ov)", WSAGetOverlappedResult(s, NULL, &got, FALSE, &oflags),
                FALSE, WSAEFAULT);
    SetLastError(0);
    EXPECT_EQ("GetOverlappedResult(NULL ov)", GetOverlappedResult((HANDLE)s, NULL, &got, FALSE), FALSE);
    EXPECT_EQ("  ERROR_INVALID_PARAMETER", GetLastError(), ERROR_INVALID_PARAMETER);
#endif
    SetLastError(0);
    EXPECT_EQ("CancelIoEx(not a handle)", CancelIoEx((HANDLE)(ULONG_PTR)0x7ff0, NULL), FALSE);
    EXPECT_EQ("  ERROR_INVALID_HANDLE", GetLastError(), ERROR_INVALID_HANDLE);
    {
        /* test_connecting_socket: a synchronous failure leaves Internal at STATUS_PENDING
         * (shown there for ConnectEx; WSASend goes through the same path). */
        SOCKET u = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        memset(&ov, 0, sizeof ov);
        ov.Internal = 0xdeadbeef;
        WSASetLastError(0);
        EXPECT_EQ("WSASend(ov) unconnected", WSASend(u, &b, 1, NULL, 0, &ov, NULL), SOCKET_ERROR);
#ifdef _WIN32
        if (WSAGetLastError() == WSAECONNRESET)
            printf("WINE DEVIATION: an overlapped send on an unconnected socket fails "
                   "WSAECONNRESET, Windows WSAENOTCONN (send page)\n");
        else
#endif
            EXPECT_EQ("  WSAENOTCONN (send page)", WSAGetLastError(), WSAENOTCONN);
#ifndef _WIN32 /* checked on Windows for ConnectEx only */
        EXPECT_EQ("  Internal", ov.Internal, STATUS_PENDING);
#endif
        closesocket(u);
    }
    closesocket(c);
    closesocket(s);
}

int main(void)
{
    WSADATA d;
    if (WSAStartup(MAKEWORD(2, 2), &d) != 0)
        return 1;
    test_immediate_and_pending();
    test_order_fin_rst();
    test_routines_and_apcs();
    test_cancel_and_close();
    test_event_select_interaction();
    test_udp();
    test_bad_input();
    WSACleanup();
    DONE();
}
