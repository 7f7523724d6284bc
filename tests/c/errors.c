/*
 * errors.c -- bad input at the C boundary: NULL out-pointers, short address lengths,
 * closed SOCKETs, closed events, bad recv arguments. Every call must fail the Windows way
 * (return value + WSAGetLastError), never crash, and leave the socket's state alone.
 *
 * Expected values are Windows' (docs/winsock-semantics.md rules, the capi-surface
 * "Behaviour at the boundary" list, and the Winsock reference pages for each function).
 * Every wait is bounded.
 */
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include "check.h"
#include "net.h"

/* ---- NULL out-pointers: WSAEFAULT ----------------------------------------------------- */
static void test_null_pointers(void)
{
    SOCKADDR_IN addr, a;
    SOCKET l, c, s, u;
    WSAEVENT ev;
    int len, opt;
    char b[8];

    SECTION("NULL out-pointers: WSAEFAULT");
    l = LISTENER(&addr);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("connect", connect(c, (SOCKADDR *)&addr, sizeof addr), 0);
    s = accept(l, NULL, NULL);
    EXPECT_TRUE("accept(NULL, NULL) is fine", s != INVALID_SOCKET);

    len = sizeof a;
    EXPECT_FAIL("getsockname(name NULL)", getsockname(s, NULL, &len), SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("getsockname(namelen NULL)", getsockname(s, (SOCKADDR *)&a, NULL), SOCKET_ERROR,
                WSAEFAULT);
    EXPECT_FAIL("getpeername(name NULL)", getpeername(s, NULL, &len), SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("getpeername(namelen NULL)", getpeername(s, (SOCKADDR *)&a, NULL), SOCKET_ERROR,
                WSAEFAULT);
    len = sizeof opt;
    EXPECT_FAIL("getsockopt(optval NULL)", getsockopt(s, SOL_SOCKET, SO_TYPE, NULL, &len),
                SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("getsockopt(optlen NULL)", getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&opt, NULL),
                SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("setsockopt(optval NULL)", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, NULL, 4),
                SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("ioctlsocket(argp NULL)", ioctlsocket(s, FIONBIO, NULL), SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("send(buf NULL, 4)", send(c, NULL, 4, 0), SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("connect(name NULL)", connect(c, NULL, sizeof addr), SOCKET_ERROR, WSAEFAULT);
    u = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_FAIL("bind(name NULL)", bind(u, NULL, sizeof addr), SOCKET_ERROR, WSAEFAULT);

    SECTION("accept with addr or addrlen NULL: no address returned, not an error");
    /* accept's reference page: "If addr and/or addrlen are equal to NULL, then no
     * information about the remote address of the accepted socket is returned." */
    {
        SOCKET c2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), c3, s2;
        c3 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        EXPECT_EQ("connect 2", connect(c2, (SOCKADDR *)&addr, sizeof addr), 0);
        EXPECT_EQ("connect 3", connect(c3, (SOCKADDR *)&addr, sizeof addr), 0);
        memset(&a, 0xCC, sizeof a);
        s2 = accept(l, (SOCKADDR *)&a, NULL);
        EXPECT_TRUE("accept(addr, NULL) succeeds", s2 != INVALID_SOCKET);
        EXPECT_EQ("  addr untouched", a.sin_family, 0xCCCC);
        EXPECT_EQ("closesocket", closesocket(s2), 0);
        len = 3;
        s2 = accept(l, NULL, &len);
        EXPECT_TRUE("accept(NULL, addrlen) succeeds", s2 != INVALID_SOCKET);
        EXPECT_EQ("  *addrlen untouched", len, 3);
        EXPECT_EQ("closesocket", closesocket(s2), 0);
        EXPECT_EQ("closesocket(c2)", closesocket(c2), 0);
        EXPECT_EQ("closesocket(c3)", closesocket(c3), 0);
    }

    SECTION("WSAEnumNetworkEvents(NULL): WSAEFAULT; the record is kept, the event not reset (rule 14)");
    ev = WSACreateEvent();
    EXPECT_EQ("WSAEventSelect(s, READ)", WSAEventSelect(s, ev, FD_READ), 0);
    EXPECT_EQ("send", send(c, "x", 1, 0), 1);
    EXPECT_EQ("wait", WSAWaitForMultipleEvents(1, &ev, FALSE, LONG_MS, FALSE), WSA_WAIT_EVENT_0);
    EXPECT_FAIL("WSAEnumNetworkEvents(s, ev, NULL)", WSAEnumNetworkEvents(s, ev, NULL),
                SOCKET_ERROR, WSAEFAULT);
    EXPECT_EQ("  the event is still signalled", WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE),
              WSA_WAIT_EVENT_0);
    CHECK_EVENTS("  the record still has FD_READ", s, ev, MAKELONG(FD_READ, 0), 0);
    EXPECT_EQ("recv", recv(s, b, sizeof b, 0), 1);

    SECTION("NULL out-pointers outside the socket calls");
    {
        LARGE_INTEGER li;
        SetLastError(0);
        EXPECT_EQ("QueryPerformanceCounter(NULL)", QueryPerformanceCounter(NULL), FALSE);
        EXPECT_EQ("  ERROR_NOACCESS", GetLastError(), ERROR_NOACCESS);
        EXPECT_EQ("QueryPerformanceFrequency(&li)", QueryPerformanceFrequency(&li), TRUE);
        EXPECT_EQ("WSAStartup(2.2, NULL): the error is the return value",
                  WSAStartup(MAKEWORD(2, 2), NULL), WSAEFAULT);
        EXPECT_FAIL("inet_pton(NULL string)", inet_pton(AF_INET, NULL, &a.sin_addr), -1, WSAEFAULT);
        EXPECT_FAIL("inet_pton(NULL buffer)", inet_pton(AF_INET, "1.2.3.4", NULL), -1, WSAEFAULT);
        EXPECT_FAIL("inet_ntop(NULL address)", inet_ntop(AF_INET, NULL, b, sizeof b) == NULL, 1,
                    WSAEFAULT);
    }
    EXPECT_EQ("closesocket(u)", closesocket(u), 0);
    EXPECT_EQ("closesocket(s)", closesocket(s), 0);
    EXPECT_EQ("closesocket(c)", closesocket(c), 0);
    EXPECT_EQ("closesocket(l)", closesocket(l), 0);
    WSACloseEvent(ev);
}

/* ---- Short address lengths: WSAEFAULT --------------------------------------------------- */
static void test_short_lengths(void)
{
    SOCKADDR_IN addr, a;
    SOCKADDR_IN6 a6;
    SOCKET l, c, s, u, d;
    int len;
    char b[8];

    /* bind: NULL name, namelen 0 and sizeof - 1 are WSAEFAULT on Windows (ReactOS
     * apitests ws2_32/bind.c, run against Windows); the others follow the same check. */
    SECTION("short or negative address lengths: WSAEFAULT, nothing done");
    l = LISTENER(&addr);
    u = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    a = addr;
    a.sin_port = 0;
    EXPECT_FAIL("bind(namelen 15)", bind(u, (SOCKADDR *)&a, sizeof a - 1), SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("bind(namelen 0)", bind(u, (SOCKADDR *)&a, 0), SOCKET_ERROR, WSAEFAULT);
    /* [Inf] a negative length is shorter than any address: WSAEFAULT as for 0 and 15. */
    EXPECT_FAIL("bind(namelen -1)", bind(u, (SOCKADDR *)&a, -1), SOCKET_ERROR, WSAEFAULT);
    len = sizeof a;
    EXPECT_FAIL("  not bound by the failed calls: getsockname", getsockname(u, (SOCKADDR *)&a, &len),
                SOCKET_ERROR, WSAEINVAL);
    EXPECT_FAIL("connect(namelen 15)", connect(u, (SOCKADDR *)&addr, sizeof addr - 1), SOCKET_ERROR,
                WSAEFAULT);
    EXPECT_FAIL("connect(namelen 2)", connect(u, (SOCKADDR *)&addr, 2), SOCKET_ERROR, WSAEFAULT);
    len = sizeof a;
    EXPECT_FAIL("  not connected by the failed calls: getpeername",
                getpeername(u, (SOCKADDR *)&a, &len), SOCKET_ERROR, WSAENOTCONN);

    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("connect", connect(c, (SOCKADDR *)&addr, sizeof addr), 0);
    len = sizeof a - 1;
    EXPECT_FAIL("accept(addrlen 15)", accept(l, (SOCKADDR *)&a, &len), INVALID_SOCKET, WSAEFAULT);
    EXPECT_EQ("  *addrlen unchanged", len, sizeof a - 1);
    len = -1;
    EXPECT_FAIL("accept(addrlen -1)", accept(l, (SOCKADDR *)&a, &len), INVALID_SOCKET, WSAEFAULT);
    len = sizeof a;
    s = accept(l, (SOCKADDR *)&a, &len);
    EXPECT_TRUE("  the connection was not taken by the failed accepts", s != INVALID_SOCKET);
    EXPECT_EQ("  addrlen", len, sizeof a);

    len = sizeof a - 1;
    EXPECT_FAIL("getsockname(namelen 15)", getsockname(s, (SOCKADDR *)&a, &len), SOCKET_ERROR,
                WSAEFAULT);
    EXPECT_EQ("  *namelen unchanged", len, sizeof a - 1);
    len = 0;
    EXPECT_FAIL("getpeername(namelen 0)", getpeername(s, (SOCKADDR *)&a, &len), SOCKET_ERROR,
                WSAEFAULT);

    SECTION("recvfrom on a stream socket ignores from and fromlen");
    /* recvfrom's reference page: from/fromlen are ignored for connection-oriented sockets
     * (no WSAEFAULT for a short fromlen, nothing written); Wine 8 agrees. */
    EXPECT_EQ("send 4", send(c, "abcd", 4, 0), 4);
    EXPECT_EQ("blocking recv(MSG_PEEK): the data is there", recv(s, b, 4, MSG_PEEK), 4);
    memset(&a, 0xCC, sizeof a);
    len = 3;
    EXPECT_EQ("recvfrom(TCP, fromlen 3)", recvfrom(s, b, 2, 0, (SOCKADDR *)&a, &len), 2);
    EXPECT_EQ("  *fromlen untouched", len, 3);
    EXPECT_EQ("  from untouched", a.sin_family, 0xCCCC);
    len = sizeof a;
    EXPECT_EQ("recvfrom(TCP, from, fromlen NULL)", recvfrom(s, b, 2, 0, (SOCKADDR *)&a, NULL), 2);
    EXPECT_EQ("  from untouched", a.sin_family, 0xCCCC);

    SECTION("datagram addresses: sendto / recvfrom with short lengths");
    d = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    EXPECT_TRUE("socket(UDP)", d != INVALID_SOCKET);
    a = addr;
    a.sin_port = 0;
    EXPECT_EQ("bind(UDP)", bind(d, (SOCKADDR *)&a, sizeof a), 0);
    len = sizeof a;
    EXPECT_EQ("getsockname(UDP)", getsockname(d, (SOCKADDR *)&a, &len), 0);
    EXPECT_FAIL("sendto(tolen 15)", sendto(d, "u", 1, 0, (SOCKADDR *)&a, sizeof a - 1), SOCKET_ERROR,
                WSAEFAULT);
    EXPECT_EQ("sendto (to itself)", sendto(d, "u", 1, 0, (SOCKADDR *)&a, sizeof a), 1);
    {
        SOCKADDR_IN from;
        u_long avail = 0;
        /* The datagram is known to be there once a blocking peek returns it. */
        EXPECT_EQ("recvfrom(MSG_PEEK), blocking", recvfrom(d, b, sizeof b, MSG_PEEK, NULL, NULL), 1);
        len = sizeof from - 1;
        EXPECT_FAIL("recvfrom(fromlen 15)", recvfrom(d, b, sizeof b, 0, (SOCKADDR *)&from, &len),
                    SOCKET_ERROR, WSAEFAULT);
        EXPECT_FAIL("recvfrom(from, fromlen NULL)",
                    recvfrom(d, b, sizeof b, 0, (SOCKADDR *)&from, NULL), SOCKET_ERROR, WSAEFAULT);
        EXPECT_EQ("ioctlsocket(FIONREAD)", ioctlsocket(d, FIONREAD, &avail), 0);
        EXPECT_EQ("  the datagram was not consumed by the failed calls", avail, 1);
        len = sizeof from;
        EXPECT_EQ("recvfrom", recvfrom(d, b, sizeof b, 0, (SOCKADDR *)&from, &len), 1);
        EXPECT_EQ("  fromlen", len, sizeof from);
        EXPECT_EQ("  from port", from.sin_port, a.sin_port);
    }

    SECTION("an IPv4 length for an IPv6 address: WSAEFAULT");
    memset(&a6, 0, sizeof a6);
    a6.sin6_family = AF_INET6;
    a6.sin6_addr.s6_addr[15] = 1;
    {
        SOCKET s6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
        if (s6 == INVALID_SOCKET) {
            printf("   skipped: no IPv6 sockets here (error %d)\n", WSAGetLastError());
        } else {
            EXPECT_FAIL("bind(AF_INET6, namelen 16)", bind(s6, (SOCKADDR *)&a6, sizeof(SOCKADDR_IN)),
                        SOCKET_ERROR, WSAEFAULT);
            EXPECT_FAIL("bind(AF_INET6, namelen 27)", bind(s6, (SOCKADDR *)&a6, sizeof a6 - 1),
                        SOCKET_ERROR, WSAEFAULT);
            len = sizeof(SOCKADDR_IN);
            EXPECT_FAIL("getsockname(IPv6 socket, namelen 16)",
                        getsockname(s6, (SOCKADDR *)&a6, &len), SOCKET_ERROR, WSAEFAULT);
            EXPECT_EQ("closesocket(s6)", closesocket(s6), 0);
        }
    }
    EXPECT_EQ("closesocket(d)", closesocket(d), 0);
    EXPECT_EQ("closesocket(s)", closesocket(s), 0);
    EXPECT_EQ("closesocket(c)", closesocket(c), 0);
    EXPECT_EQ("closesocket(u)", closesocket(u), 0);
    EXPECT_EQ("closesocket(l)", closesocket(l), 0);
}

/* ---- Closed SOCKETs: WSAENOTSOCK -------------------------------------------------------- */
static void test_closed_socket(void)
{
    SOCKADDR_IN addr, a;
    SOCKET l, c, s, dead;
    WSAEVENT ev;
    WSANETWORKEVENTS ne;
    int len, opt;
    u_long arg;
    char b[8];

    SECTION("a closed SOCKET: WSAENOTSOCK from every socket call (checked before the arguments)");
    l = LISTENER(&addr);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("connect", connect(c, (SOCKADDR *)&addr, sizeof addr), 0);
    s = accept(l, NULL, NULL);
    EXPECT_TRUE("accept", s != INVALID_SOCKET);
    dead = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("closesocket(dead)", closesocket(dead), 0);
    ev = WSACreateEvent();
    len = sizeof a;
    opt = 1;
    arg = 1;
    EXPECT_FAIL("closesocket", closesocket(dead), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("bind", bind(dead, (SOCKADDR *)&addr, sizeof addr), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("listen", listen(dead, 1), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("accept", accept(dead, (SOCKADDR *)&a, &len), INVALID_SOCKET, WSAENOTSOCK);
    EXPECT_FAIL("connect", connect(dead, (SOCKADDR *)&addr, sizeof addr), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("recv", recv(dead, b, sizeof b, 0), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("recv(NULL, -1): the handle is checked first", recv(dead, NULL, -1, 0), SOCKET_ERROR,
                WSAENOTSOCK);
    EXPECT_FAIL("send", send(dead, "x", 1, 0), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("recvfrom", recvfrom(dead, b, sizeof b, 0, NULL, NULL), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("sendto", sendto(dead, "x", 1, 0, (SOCKADDR *)&addr, sizeof addr), SOCKET_ERROR,
                WSAENOTSOCK);
    EXPECT_FAIL("shutdown", shutdown(dead, SD_BOTH), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("ioctlsocket", ioctlsocket(dead, FIONBIO, &arg), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("ioctlsocket(NULL argp)", ioctlsocket(dead, FIONBIO, NULL), SOCKET_ERROR,
                WSAENOTSOCK);
    len = sizeof opt;
    EXPECT_FAIL("getsockopt", getsockopt(dead, SOL_SOCKET, SO_TYPE, (char *)&opt, &len),
                SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("setsockopt", setsockopt(dead, SOL_SOCKET, SO_KEEPALIVE, (char *)&opt, sizeof opt),
                SOCKET_ERROR, WSAENOTSOCK);
    len = sizeof a;
    EXPECT_FAIL("getsockname", getsockname(dead, (SOCKADDR *)&a, &len), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("getpeername", getpeername(dead, (SOCKADDR *)&a, &len), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("WSAEventSelect (rule 6)", WSAEventSelect(dead, ev, FD_READ), SOCKET_ERROR,
                WSAENOTSOCK);
    EXPECT_FAIL("WSAEnumNetworkEvents (rule 14)", WSAEnumNetworkEvents(dead, ev, &ne), SOCKET_ERROR,
                WSAENOTSOCK);
    EXPECT_FAIL("INVALID_SOCKET", recv(INVALID_SOCKET, b, sizeof b, 0), SOCKET_ERROR, WSAENOTSOCK);
    /* ReactOS apitests ws2_32/recv.c, ioctlsocket.c, send.c (run against Windows): a call on
     * a non-socket leaves the caller's buffers alone; send(0, NULL, 0) is WSAENOTSOCK. */
    memcpy(b, "\xff\x00\xff\x00", 4);
    EXPECT_FAIL("recv(dead)", recv(dead, b, 4, 0), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_TRUE("  the buffer is untouched", memcmp(b, "\xff\x00\xff\x00", 4) == 0);
    arg = 0xdeadbeef;
    EXPECT_FAIL("ioctlsocket(dead, FIONREAD)", ioctlsocket(dead, FIONREAD, &arg), SOCKET_ERROR,
                WSAENOTSOCK);
    EXPECT_EQ("  *argp untouched", arg, 0xdeadbeef);
    EXPECT_FAIL("send(0, NULL, 0)", send((SOCKET)0, NULL, 0, 0), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_FAIL("SOCKET 0", send((SOCKET)0, "x", 1, 0), SOCKET_ERROR, WSAENOTSOCK);

    SECTION("a closed SOCKET value is never reused for a live socket's calls");
    {
        SOCKET fresh = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        EXPECT_TRUE("a new socket", fresh != INVALID_SOCKET);
        EXPECT_TRUE("  with another value", fresh != dead);
        EXPECT_FAIL("the dead value still fails", closesocket(dead), SOCKET_ERROR, WSAENOTSOCK);
        EXPECT_EQ("  and the new socket is alive", closesocket(fresh), 0);
    }

    SECTION("closing one end leaves the peer's calls alone");
    EXPECT_EQ("closesocket(c)", closesocket(c), 0);
    EXPECT_EQ("recv on the peer: end of stream", recv(s, b, sizeof b, 0), 0);
    EXPECT_EQ("closesocket(s)", closesocket(s), 0);
    EXPECT_EQ("closesocket(l)", closesocket(l), 0);
    WSACloseEvent(ev);
}

/* ---- Closed events ---------------------------------------------------------------------- */
static void test_closed_event(void)
{
    SOCKET c, s;
    WSAEVENT ev, dead, arr[2];
    WSANETWORKEVENTS ne;
    char b[8];

    SECTION("a closed event: WSA_INVALID_HANDLE for waits, WSAEINVAL for WSAEventSelect");
    TCP_PAIR(&c, &s);
    ev = WSACreateEvent();
    dead = WSACreateEvent();
    EXPECT_EQ("WSACloseEvent(dead)", WSACloseEvent(dead), TRUE);

    EXPECT_FAIL("WSAWaitForMultipleEvents([dead])",
                WSAWaitForMultipleEvents(1, &dead, FALSE, 0, FALSE), WSA_WAIT_FAILED,
                WSA_INVALID_HANDLE);
    EXPECT_FAIL("  with a finite timeout: fails at once, no wait",
                WSAWaitForMultipleEvents(1, &dead, FALSE, LONG_MS, FALSE), WSA_WAIT_FAILED,
                WSA_INVALID_HANDLE);
    EXPECT_EQ("WSASetEvent(ev)", WSASetEvent(ev), TRUE);
    arr[0] = ev;
    arr[1] = dead;
    EXPECT_FAIL("[signalled, dead], wait-any: every handle is checked first (B.2)",
                WSAWaitForMultipleEvents(2, arr, FALSE, 0, FALSE), WSA_WAIT_FAILED,
                WSA_INVALID_HANDLE);
    EXPECT_FAIL("[signalled, dead], wait-all", WSAWaitForMultipleEvents(2, arr, TRUE, 0, FALSE),
                WSA_WAIT_FAILED, WSA_INVALID_HANDLE);
    SetLastError(0);
    EXPECT_EQ("WaitForSingleObject(dead)", WaitForSingleObject(dead, 0), WAIT_FAILED);
    EXPECT_EQ("  ERROR_INVALID_HANDLE", GetLastError(), ERROR_INVALID_HANDLE);
    EXPECT_FAIL("WSASetEvent(dead)", WSASetEvent(dead), FALSE, WSA_INVALID_HANDLE);
    EXPECT_FAIL("WSAResetEvent(dead)", WSAResetEvent(dead), FALSE, WSA_INVALID_HANDLE);
    EXPECT_FAIL("WSACloseEvent(dead) again", WSACloseEvent(dead), FALSE, WSA_INVALID_HANDLE);
    EXPECT_EQ("WSAResetEvent(ev)", WSAResetEvent(ev), TRUE);

    EXPECT_FAIL("WSAEventSelect(s, dead, FD_READ) (rule 6)", WSAEventSelect(s, dead, FD_READ),
                SOCKET_ERROR, WSAEINVAL);
    EXPECT_FAIL("WSAEventSelect(s, NULL, FD_READ) (rule 6, TA:1824-1832)",
                WSAEventSelect(s, NULL, FD_READ), SOCKET_ERROR, WSAEINVAL);
    EXPECT_FAIL("WSAEventSelect(s, an unknown value, FD_READ)",
                WSAEventSelect(s, (WSAEVENT)(UINT_PTR)0x5151, FD_READ), SOCKET_ERROR, WSAEINVAL);
    EXPECT_EQ("WSAEventSelect(s, dead, 0): the event is ignored with mask 0 (rule 5)",
              WSAEventSelect(s, dead, 0), 0);
    {
        u_long zero = 0;
        EXPECT_EQ("  no selection was installed by the failed calls: FIONBIO 0 works (rule 4)",
                  ioctlsocket(s, FIONBIO, &zero), 0);
    }

    SECTION("a failed WSAEventSelect leaves the previous selection in place");
    EXPECT_EQ("WSAEventSelect(s, ev, READ)", WSAEventSelect(s, ev, FD_READ), 0);
    EXPECT_FAIL("WSAEventSelect(s, dead, READ | CLOSE)", WSAEventSelect(s, dead, FD_READ | FD_CLOSE),
                SOCKET_ERROR, WSAEINVAL);
    EXPECT_EQ("send", send(c, "k", 1, 0), 1);
    CHECK_EVENTS("the old selection still signals ev", s, ev, MAKELONG(FD_READ, 0), 0);

    SECTION("WSAEnumNetworkEvents with a closed event: fails, the record is kept (Q5, rule 14)");
    EXPECT_EQ("recv", recv(s, b, sizeof b, 0), 1);
    EXPECT_EQ("send", send(c, "m", 1, 0), 1);
    EXPECT_EQ("wait", WSAWaitForMultipleEvents(1, &ev, FALSE, LONG_MS, FALSE), WSA_WAIT_EVENT_0);
    /* Q5 leaves the code open; the library's choice is WSAEINVAL (as for WSAEventSelect). */
    EXPECT_FAIL("WSAEnumNetworkEvents(s, dead, &ne)", WSAEnumNetworkEvents(s, dead, &ne),
                SOCKET_ERROR, WSAEINVAL);
    EXPECT_EQ("  ev still signalled", WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE),
              WSA_WAIT_EVENT_0);
    CHECK_EVENTS("  FD_READ still recorded", s, ev, MAKELONG(FD_READ, 0), 0);
    EXPECT_EQ("recv", recv(s, b, sizeof b, 0), 1);

    EXPECT_EQ("closesocket(s)", closesocket(s), 0);
    EXPECT_EQ("closesocket(c)", closesocket(c), 0);
    EXPECT_EQ("WSACloseEvent(ev)", WSACloseEvent(ev), TRUE);
}

/* ---- recv argument errors (rule 18) ----------------------------------------------------- */
static void test_recv_arguments(void)
{
    SOCKET c, s;
    WSAEVENT ev;
    char b[8];

    SECTION("recv with len -1 or a NULL buffer: WSAEFAULT, FD_READ not re-enabled (rule 18)");
    TCP_PAIR(&c, &s);
    ev = WSACreateEvent();
    EXPECT_EQ("WSAEventSelect(s, READ | CLOSE)", WSAEventSelect(s, ev, FD_READ | FD_CLOSE), 0);
    EXPECT_EQ("send 4", send(c, "abcd", 4, 0), 4);
    CHECK_EVENTS("FD_READ", s, ev, MAKELONG(FD_READ, 0), 0);
    EXPECT_FAIL("recv(len -1)", recv(s, b, -1, 0), SOCKET_ERROR, WSAEFAULT);
    CHECK_EVENTS("  does not re-record FD_READ (rule 18, T:7046-7053)", s, ev, 0, 0);
    EXPECT_FAIL("recv(NULL, 4)", recv(s, NULL, 4, 0), SOCKET_ERROR, WSAEFAULT);
    CHECK_EVENTS("  neither", s, ev, 0, 0);
    EXPECT_FAIL("recv(NULL, -1)", recv(s, NULL, -1, MSG_PEEK), SOCKET_ERROR, WSAEFAULT);
    CHECK_EVENTS("  neither (MSG_PEEK)", s, ev, 0, 0);
    EXPECT_FAIL("recvfrom(len -1)", recvfrom(s, b, -1, 0, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK_EVENTS("  neither (recvfrom)", s, ev, 0, 0);
    EXPECT_EQ("  the data is intact: recv 1", recv(s, b, 1, 0), 1);
    EXPECT_EQ("  'a'", b[0], 'a');
    CHECK_EVENTS("a valid recv re-enables: FD_READ (rule 17)", s, ev, MAKELONG(FD_READ, 0), 0);
    EXPECT_EQ("recv the rest", recv(s, b, sizeof b, 0), 3);
    CHECK_EVENTS("  nothing", s, ev, 0, 0);

    SECTION("zero-length sends (ReactOS apitests ws2_32/send.c, run against Windows)");
    EXPECT_EQ("send(connected, NULL, 0) -> 0", send(c, NULL, 0, 0), 0);
    {
        SOCKET u = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        u_long avail = 0xdeadbeef;
        EXPECT_FAIL("send(unconnected, NULL, 0)", send(u, NULL, 0, 0), SOCKET_ERROR, WSAENOTCONN);
        EXPECT_FAIL("send(unconnected, buf, 4)", send(u, "abcd", 4, 0), SOCKET_ERROR, WSAENOTCONN);
        EXPECT_EQ("ioctlsocket(unconnected, FIONREAD)", ioctlsocket(u, FIONREAD, &avail), 0);
        EXPECT_EQ("  0 bytes (ReactOS apitests ws2_32/ioctlsocket.c)", avail, 0);
        memcpy(b, "\xff\x00\xff\x00", 4);
        EXPECT_FAIL("recv(unconnected)", recv(u, b, 4, 0), SOCKET_ERROR, WSAENOTCONN);
        EXPECT_TRUE("  the buffer is untouched (ReactOS apitests ws2_32/recv.c)",
                    memcmp(b, "\xff\x00\xff\x00", 4) == 0);
        EXPECT_EQ("closesocket(u)", closesocket(u), 0);
    }
    CHECK_EVENTS("an empty send delivers nothing to the peer", s, ev, 0, 0);

    SECTION("send with len -1: WSAEFAULT; other bad arguments");
    EXPECT_FAIL("send(len -1)", send(c, "x", -1, 0), SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("recv(unknown flag 0x80000)", recv(s, b, sizeof b, 0x80000), SOCKET_ERROR,
                WSAEOPNOTSUPP);
    EXPECT_FAIL("shutdown(how 3) (rule 41)", shutdown(s, 3), SOCKET_ERROR, WSAEINVAL);
    {
        u_long arg = 0;
        int opt = 1;
        /* FIOASYNC: WSAEOPNOTSUPP, as WSAIoctl gives it (Wine's Windows-run
         * test_unsupported_ioctls; ioctlsocket is WSAIoctl on Windows). */
        EXPECT_FAIL("ioctlsocket(unknown command, argp)", ioctlsocket(s, (LONG)0x4004667Du, &arg),
                    SOCKET_ERROR, WSAEOPNOTSUPP);
        EXPECT_FAIL("setsockopt(unknown option)",
                    setsockopt(s, SOL_SOCKET, 0x7777, (const char *)&opt, sizeof opt), SOCKET_ERROR,
                    WSAENOPROTOOPT);
    }
    EXPECT_TRUE("socket(AF 99): INVALID_SOCKET", socket(99, SOCK_STREAM, 0) == INVALID_SOCKET);
    EXPECT_EQ("  WSAEAFNOSUPPORT", WSAGetLastError(), WSAEAFNOSUPPORT);
    EXPECT_EQ("closesocket(s)", closesocket(s), 0);
    EXPECT_EQ("closesocket(c)", closesocket(c), 0);
    WSACloseEvent(ev);
}

int main(void)
{
    WSADATA d;
    EXPECT_EQ("WSAStartup(2.2)", WSAStartup(MAKEWORD(2, 2), &d), 0);
    test_null_pointers();
    test_short_lengths();
    test_closed_socket();
    test_closed_event();
    test_recv_arguments();
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    DONE();
}
