/*
 * The extended WSA calls and options (issue 9 §6), Windows' bind rules (§7) and the values
 * of issue 8 item 7, in the style of Winsock event-loop code: WSASocket with
 * WSA_FLAG_OVERLAPPED, WSAConnect / WSAAccept with a condition function, WSARecv / WSASend
 * with WSABUF arrays, WSAIoctl with FIONBIO, FIONREAD, SIOCATMARK and SIO_KEEPALIVE_VALS, a
 * server restart in TIME_WAIT, SO_RCVTIMEO. Self-testing over loopback; every wait bounded.
 *
 * Sources: Wine's Windows-run dlls/ws2_32/tests/sock.c (test_set_getsockopt,
 * test_reuseaddr, test_fionbio, test_fionread_siocatmark, test_keepalive_vals,
 * test_unsupported_ioctls), ReactOS' WSARecv apitest, the MS reference pages of WSAAccept
 * (CF_REJECT: WSAECONNREFUSED), connect and sendto (INADDR_ANY: WSAEADDRNOTAVAIL) and
 * SOL_SOCKET options (SO_RCVTIMEO: WSAETIMEDOUT), rule 39 of
 * ../shared/docs/winsock-semantics.md (a RST: recv fails WSAECONNRESET).
 *
 * The same file builds with mingw-w64 against the real Windows headers and passes under
 * Wine (../shared/wine/oracle.sh, with check.h and net.h beside it): the checks under
 * #ifndef _WIN32 are our documented choices or places where Wine differs from Windows.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mstcpip.h> /* struct tcp_keepalive, SIO_KEEPALIVE_VALS */

#include "check.h"
#include "net.h"

/* A success sets the last error to 0, as on Windows (docs/semantics.md, "The last error
 * after success"): checked with a stale value set first. */
#define EXPECT_OK(what, call, want)                                                          \
    do {                                                                                      \
        WSASetLastError(12345);                                                               \
        EXPECT_EQ(what, (call), (want));                                                      \
        EXPECT_EQ("  last error 0 after success", WSAGetLastError(), 0);                      \
    } while (0)

/* Where no Windows-run test checks the last error after success, Wine leaves it: the
 * oracle run does not check it there. */
#ifndef _WIN32
#  define EXPECT_OK_RULE EXPECT_OK
#else
#  define EXPECT_OK_RULE EXPECT_EQ
#endif

static int condition_calls;
static USHORT condition_caller_port;
static USHORT condition_callee_port;
static DWORD_PTR condition_data;

static int CALLBACK reject_or_accept(LPWSABUF caller_id, LPWSABUF caller_data, LPQOS sqos,
                                     LPQOS gqos, LPWSABUF callee_id, LPWSABUF callee_data,
                                     GROUP *g, DWORD_PTR data)
{
    SOCKADDR_IN caller, callee;
    condition_calls++;
    EXPECT_TRUE("condition: no caller data", caller_data == NULL || caller_data->len == 0);
    (void)callee_data; /* an output buffer for connect data (Wine passes one); not used */
    EXPECT_TRUE("condition: no QoS", sqos == NULL && gqos == NULL);
    (void)g; /* a GROUP out-parameter (Wine passes NULL); groups are not provided */
    EXPECT_EQ("condition: caller id len", caller_id->len, sizeof caller);
    EXPECT_EQ("condition: callee id len", callee_id->len, sizeof callee);
    memcpy(&caller, caller_id->buf, sizeof caller);
    memcpy(&callee, callee_id->buf, sizeof callee);
    EXPECT_EQ("condition: caller family", caller.sin_family, AF_INET);
    condition_caller_port = caller.sin_port;
    condition_callee_port = callee.sin_port;
    condition_data = data;
    return data == 1 ? CF_REJECT : CF_ACCEPT;
}

static int completions;
static void CALLBACK never_called(DWORD error, DWORD transferred, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)error, (void)transferred, (void)ov, (void)flags;
    completions++;
}

static SOCKET listener_on(SOCKADDR_IN *addr)
{
    int len = sizeof *addr;
    SOCKET l = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    EXPECT_TRUE("WSASocketA(WSA_FLAG_OVERLAPPED)", l != INVALID_SOCKET);
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ("bind", bind(l, (SOCKADDR *)addr, sizeof *addr), 0);
    EXPECT_EQ("getsockname", getsockname(l, (SOCKADDR *)addr, &len), 0);
    EXPECT_EQ("listen", listen(l, 8), 0);
    return l;
}

static void test_wsasocket(void)
{
    SOCKET s;
    WSAPROTOCOL_INFOA info;
    SECTION("WSASocketA/W");
    s = WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, NULL, 0,
                   WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    EXPECT_TRUE("WSASocketW", s != INVALID_SOCKET);
    EXPECT_EQ("closesocket", closesocket(s), 0);
    memset(&info, 0, sizeof info);
    (void)info;
#ifndef _WIN32 /* our choice (docs/porting.md): protocol info and other flags are refused */
    EXPECT_FAIL("WSASocketA(lpProtocolInfo)",
                WSASocketA(AF_INET, SOCK_STREAM, 0, &info, 0, 0), INVALID_SOCKET, WSAEINVAL);
    EXPECT_FAIL("WSASocketA(flag 0x4)", WSASocketA(AF_INET, SOCK_STREAM, 0, NULL, 0, 0x4),
                INVALID_SOCKET, WSAEINVAL);
#endif
    EXPECT_FAIL("WSASocketA(AF 99)", WSASocketA(99, SOCK_STREAM, 0, NULL, 0, 0), INVALID_SOCKET,
                WSAEAFNOSUPPORT);
}

static void test_wsabuf_tcp(void)
{
    SOCKADDR_IN addr, peer;
    int len = sizeof peer;
    SOCKET l, c, a;
    WSABUF out[3], in[2];
    char part1[] = "Hello, ", part2[] = "scattered ", part3[] = "world";
    char r1[5], r2[64];
    DWORD n = 0, flags = 0;
    WSAOVERLAPPED ov;

    SECTION("WSAConnect, WSAAccept(NULL), WSASend/WSARecv with WSABUF arrays");
    l = listener_on(&addr);
    c = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    EXPECT_OK_RULE("WSAConnect", WSAConnect(c, (SOCKADDR *)&addr, sizeof addr, NULL, NULL, NULL, NULL),
              0);
    a = WSAAccept(l, (SOCKADDR *)&peer, &len, NULL, 0);
    EXPECT_TRUE("WSAAccept(no condition)", a != INVALID_SOCKET);
    EXPECT_EQ("  peer family", peer.sin_family, AF_INET);

    out[0].buf = part1;
    out[0].len = (ULONG)strlen(part1);
    out[1].buf = part2;
    out[1].len = (ULONG)strlen(part2);
    out[2].buf = part3;
    out[2].len = (ULONG)strlen(part3);
    EXPECT_OK("WSASend(3 buffers)", WSASend(c, out, 3, &n, 0, NULL, NULL), 0);
    EXPECT_EQ("  bytes sent", n, 22);

    in[0].buf = r1;
    in[0].len = sizeof r1;
    in[1].buf = r2;
    in[1].len = sizeof r2;
    memset(r2, 0, sizeof r2);
    flags = MSG_PEEK;
    n = 0;
    EXPECT_OK("WSARecv(MSG_PEEK)", WSARecv(a, in, 2, &n, &flags, NULL, NULL), 0);
    EXPECT_TRUE("  peeked something", n >= 1 && n <= 22);
    EXPECT_EQ("  flags left as passed", flags, MSG_PEEK);
    /* The rest may still be on its way: read until all 22 bytes are in. */
    {
        char all[32];
        DWORD got = 0;
        while (got < 22) {
            n = 0;
            flags = 0;
            if (got == 0) {
                EXPECT_EQ("WSARecv(2 buffers)", WSARecv(a, in, 2, &n, &flags, NULL, NULL), 0);
                EXPECT_TRUE("  bytes", n >= 1);
                memcpy(all, r1, n < 5 ? n : 5);
                if (n > 5)
                    memcpy(all + 5, r2, n - 5);
            } else {
                WSABUF one;
                one.buf = all + got;
                one.len = (ULONG)(22 - got);
                EXPECT_EQ("WSARecv(rest)", WSARecv(a, &one, 1, &n, &flags, NULL, NULL), 0);
            }
            got += n;
        }
        EXPECT_TRUE("  the bytes, in order", memcmp(all, "Hello, scattered world", 22) == 0);
        EXPECT_TRUE("  scattered: first buffer", memcmp(r1, "Hello", 5) == 0);
    }

    SECTION("WSARecv/WSASend argument errors");
    flags = 0;
#ifndef _WIN32 /* our choice: no buffers is WSAEINVAL (Wine receives nothing, blocking) */
    EXPECT_FAIL("WSARecv(count 0)", WSARecv(a, in, 0, &n, &flags, NULL, NULL), SOCKET_ERROR,
                WSAEINVAL);
#endif
    EXPECT_FAIL("WSARecv(NULL buffers)", WSARecv(a, NULL, 1, &n, &flags, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("WSARecv(NULL flags)", WSARecv(a, in, 2, &n, NULL, NULL, NULL), SOCKET_ERROR,
                WSAEFAULT);
    /* Overlapped (tests/c/overlapped.c has the rest): nothing queued, so it pends
     * (WSA_IO_PENDING, Wine's test_WSARecv, run on Windows); cancelled, it completes
     * WSA_OPERATION_ABORTED before its buffers go out of scope. */
    memset(&ov, 0, sizeof ov);
    EXPECT_FAIL("WSARecv(overlapped)", WSARecv(a, in, 2, &n, &flags, &ov, NULL), SOCKET_ERROR,
                WSA_IO_PENDING);
    EXPECT_TRUE("  pending", !HasOverlappedIoCompleted(&ov));
    EXPECT_TRUE("CancelIoEx", CancelIoEx((HANDLE)a, &ov));
    {
        DWORD got = 0, oflags = 0;
        EXPECT_TRUE("WSAGetOverlappedResult(cancelled)",
                    !WSAGetOverlappedResult(a, &ov, &got, FALSE, &oflags));
        EXPECT_EQ("  WSA_OPERATION_ABORTED", WSAGetLastError(), WSA_OPERATION_ABORTED);
    }
    /* ReactOS' WSARecv apitest (run on Windows): a completion routine without an
     * OVERLAPPED is ignored, and the call works as a plain receive. */
    EXPECT_EQ("send 1", send(c, "z", 1, 0), 1);
    n = 0;
    EXPECT_EQ("WSARecv(NULL overlapped, a completion routine)",
              WSARecv(a, in, 2, &n, &flags, NULL, never_called), 0);
    EXPECT_EQ("  1 byte", n, 1);
    EXPECT_EQ("  the routine is not called", completions, 0);
#ifndef _WIN32 /* our choice, as for WSARecv (Wine sends nothing and succeeds) */
    EXPECT_FAIL("WSASend(count 0)", WSASend(c, out, 0, &n, 0, NULL, NULL), SOCKET_ERROR,
                WSAEINVAL);
#endif
    /* An overlapped send with room completes at once: 0, the bytes written (test_send). */
    memset(&ov, 0, sizeof ov);
    n = 0;
    EXPECT_EQ("WSASend(overlapped)", WSASend(c, out, 1, &n, 0, &ov, NULL), 0);
    EXPECT_EQ("  bytes", n, out[0].len);
    EXPECT_TRUE("  completed", HasOverlappedIoCompleted(&ov));
    EXPECT_FAIL("WSASend(closed socket)", WSASend((SOCKET)0x7ff0, out, 1, &n, 0, NULL, NULL),
                SOCKET_ERROR, WSAENOTSOCK);

    closesocket(c);
    closesocket(a);
    closesocket(l);
}

static void test_wsabuf_udp(void)
{
    SOCKET rx, tx;
    SOCKADDR_IN at, from;
    int len = sizeof at, fromlen = sizeof from;
    WSABUF out[2], in[2];
    char a[] = "abc", b[] = "defg", r1[2], r2[8];
    DWORD n = 0, flags = 0;

    SECTION("WSASendTo/WSARecvFrom: one datagram from and into WSABUF arrays");
    rx = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, 0);
    tx = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, 0);
    memset(&at, 0, sizeof at);
    at.sin_family = AF_INET;
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ("bind", bind(rx, (SOCKADDR *)&at, sizeof at), 0);
    EXPECT_EQ("getsockname", getsockname(rx, (SOCKADDR *)&at, &len), 0);
    out[0].buf = a;
    out[0].len = 3;
    out[1].buf = b;
    out[1].len = 4;
    EXPECT_OK("WSASendTo", WSASendTo(tx, out, 2, &n, 0, (SOCKADDR *)&at, sizeof at, NULL, NULL),
              0);
    EXPECT_EQ("  bytes", n, 7);
    in[0].buf = r1;
    in[0].len = sizeof r1;
    in[1].buf = r2;
    in[1].len = sizeof r2;
    n = 0;
    EXPECT_OK("WSARecvFrom", WSARecvFrom(rx, in, 2, &n, &flags, (SOCKADDR *)&from, &fromlen, NULL,
                                         NULL),
              0);
    EXPECT_EQ("  one datagram", n, 7);
    EXPECT_TRUE("  scattered", memcmp(r1, "ab", 2) == 0 && memcmp(r2, "cdefg", 5) == 0);
    EXPECT_EQ("  from family", from.sin_family, AF_INET);
    EXPECT_EQ("  fromlen", fromlen, sizeof from);

    /* Too small for the datagram: the buffers are filled and the call fails (as recvfrom). */
    EXPECT_EQ("WSASendTo again",
              WSASendTo(tx, out, 2, &n, 0, (SOCKADDR *)&at, sizeof at, NULL, NULL), 0);
    in[1].len = 3;
    memset(r2, 0, sizeof r2);
    EXPECT_FAIL("WSARecv(too small)", WSARecv(rx, in, 2, &n, &flags, NULL, NULL), SOCKET_ERROR,
                WSAEMSGSIZE);
    EXPECT_TRUE("  filled", memcmp(r1, "ab", 2) == 0 && memcmp(r2, "cde", 3) == 0);
    closesocket(rx);
    closesocket(tx);
}

static void test_wsaaccept_condition(void)
{
    SOCKADDR_IN addr, mine;
    int len = sizeof mine;
    SOCKET l, c, a;
    char buf[4];
    DWORD timeout = 10000;

    SECTION("WSAAccept: CF_REJECT resets the connection, WSAECONNREFUSED");
    l = listener_on(&addr);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("connect", connect(c, (SOCKADDR *)&addr, sizeof addr), 0);
    EXPECT_EQ("getsockname", getsockname(c, (SOCKADDR *)&mine, &len), 0);
    EXPECT_FAIL("WSAAccept(CF_REJECT)", WSAAccept(l, NULL, NULL, reject_or_accept, 1),
                INVALID_SOCKET, WSAECONNREFUSED);
    EXPECT_EQ("  condition called once", condition_calls, 1);
    EXPECT_EQ("  caller id is the client", condition_caller_port, mine.sin_port);
    EXPECT_EQ("  callee id is the listener", condition_callee_port, addr.sin_port);
    EXPECT_EQ("  dwCallbackData", condition_data, 1);
    /* Bounded: if no RST came, the recv times out instead of hanging. */
    EXPECT_EQ("SO_RCVTIMEO", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout,
                                        sizeof timeout),
              0);
#ifndef _WIN32
    EXPECT_FAIL("client recv after the reject", recv(c, buf, sizeof buf, 0), SOCKET_ERROR,
                WSAECONNRESET);
#else /* Wine reports a peer's RST as an end of stream (../shared/wine/README.md) */
    EXPECT_TRUE("client recv after the reject", recv(c, buf, sizeof buf, 0) <= 0);
#endif
    closesocket(c);

    SECTION("WSAAccept: CF_ACCEPT keeps it");
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("connect", connect(c, (SOCKADDR *)&addr, sizeof addr), 0);
    WSASetLastError(12345);
    a = WSAAccept(l, NULL, NULL, reject_or_accept, 2);
    EXPECT_TRUE("WSAAccept(CF_ACCEPT)", a != INVALID_SOCKET);
#ifndef _WIN32
    EXPECT_EQ("  last error 0 after success", WSAGetLastError(), 0);
#endif
    EXPECT_EQ("  condition called again", condition_calls, 2);
    EXPECT_EQ("send", send(c, "ok", 2, 0), 2);
    EXPECT_EQ("recv", recv(a, buf, sizeof buf, 0), 2);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void test_wsaioctl(void)
{
    SOCKET c, a, u;
    ULONG arg;
    DWORD out = 0xdeadbeef, n = 0xdeadbeef;
    struct tcp_keepalive ka;
    int on = 0, len = sizeof on;
    char buf[8];

    SECTION("WSAIoctl: FIONBIO, FIONREAD, SIOCATMARK, SIO_KEEPALIVE_VALS");
    TCP_PAIR(&c, &a);
    EXPECT_EQ("send", send(c, "12345", 5, 0), 5);
    /* Blocking recv of 1 byte: the data is in, so FIONREAD then sees the rest. */
    EXPECT_EQ("recv 1", recv(a, buf, 1, 0), 1);
    EXPECT_EQ("WSAIoctl(FIONREAD)", WSAIoctl(a, FIONREAD, NULL, 0, &out, sizeof out, &n, NULL, NULL),
              0);
    EXPECT_TRUE("  the rest is queued", out >= 1 && out <= 4);
    EXPECT_EQ("  bytes returned", n, 4);
    EXPECT_FAIL("WSAIoctl(FIONREAD, 2-byte out)", WSAIoctl(a, FIONREAD, NULL, 0, &out, 2, &n, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    EXPECT_FAIL("WSAIoctl(NULL lpcbBytesReturned)",
                WSAIoctl(a, FIONREAD, NULL, 0, &out, sizeof out, NULL, NULL, NULL), SOCKET_ERROR,
                WSAEFAULT);
    EXPECT_OK("WSAIoctl(SIOCATMARK)", WSAIoctl(a, SIOCATMARK, NULL, 0, &out, sizeof out, &n, NULL,
                                               NULL),
              0);
    EXPECT_EQ("  no urgent data: at mark", out, 1);

    arg = 1;
    EXPECT_EQ("WSAIoctl(FIONBIO, 1)", WSAIoctl(c, FIONBIO, &arg, sizeof arg, NULL, 0, &n, NULL, NULL),
              0);
    EXPECT_EQ("  bytes returned", n, 0);
    EXPECT_FAIL("nonblocking recv", recv(c, buf, sizeof buf, 0), SOCKET_ERROR, WSAEWOULDBLOCK);
    arg = 0;
    EXPECT_EQ("WSAIoctl(FIONBIO, 0)", WSAIoctl(c, FIONBIO, &arg, sizeof arg, NULL, 0, &n, NULL, NULL),
              0);
    EXPECT_FAIL("WSAIoctl(FIONBIO, 2-byte in)", WSAIoctl(c, FIONBIO, &arg, 2, NULL, 0, &n, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);

    ka.onoff = 1;
    ka.keepalivetime = 30000;
    ka.keepaliveinterval = 3000;
    /* As real code does it: an output buffer passed, and ignored. */
    EXPECT_EQ("WSAIoctl(SIO_KEEPALIVE_VALS)",
              WSAIoctl(c, SIO_KEEPALIVE_VALS, &ka, sizeof ka, buf, sizeof buf, &n, NULL, NULL), 0);
    EXPECT_EQ("  bytes returned", n, 0);
    EXPECT_EQ("getsockopt(SO_KEEPALIVE)", getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, (char *)&on, &len),
              0);
    EXPECT_EQ("  on", on & 0xff, 1);
    /* Wine's Windows-run test_keepalive_vals and test_unsupported_ioctls: a short
     * tcp_keepalive is WSAEFAULT, an unknown code WSAEOPNOTSUPP; both set the count to 0. */
    n = 0xdeadbeef;
    EXPECT_FAIL("WSAIoctl(SIO_KEEPALIVE_VALS, short)",
                WSAIoctl(c, SIO_KEEPALIVE_VALS, &ka, sizeof ka - 1, NULL, 0, &n, NULL, NULL),
                SOCKET_ERROR, WSAEFAULT);
    EXPECT_EQ("  bytes returned", n, 0);
    n = 0xdeadbeef;
    EXPECT_FAIL("WSAIoctl(0xdeadbeef)", WSAIoctl(c, 0xdeadbeef, NULL, 0, NULL, 0, &n, NULL, NULL),
                SOCKET_ERROR, WSAEOPNOTSUPP);
    EXPECT_EQ("  bytes returned", n, 0);
    n = 0xdeadbeef;
    EXPECT_FAIL("WSAIoctl(FIONREAD, short)",
                WSAIoctl(a, FIONREAD, NULL, 0, &out, sizeof out - 1, &n, NULL, NULL), SOCKET_ERROR,
                WSAEFAULT);
    EXPECT_EQ("  bytes returned untouched", n, 0xdeadbeef);
    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    EXPECT_FAIL("WSAIoctl(SIO_KEEPALIVE_VALS, UDP)",
                WSAIoctl(u, SIO_KEEPALIVE_VALS, &ka, sizeof ka, NULL, 0, &n, NULL, NULL),
                SOCKET_ERROR, WSAEINVAL);
    closesocket(u);
    closesocket(c);
    closesocket(a);
}

static void test_options(void)
{
    SOCKET s, c, a, u;
    DWORD timeout, v;
    int len;
    char buf[4];
    SOCKADDR_IN any;

    SECTION("SO_RCVTIMEO: a blocking recv fails WSAETIMEDOUT");
    TCP_PAIR(&c, &a);
    timeout = 30;
    EXPECT_EQ("setsockopt(SO_RCVTIMEO)",
              setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof timeout), 0);
    timeout = 0;
    len = sizeof timeout;
    EXPECT_EQ("getsockopt(SO_RCVTIMEO)",
              getsockopt(a, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, &len), 0);
    EXPECT_EQ("  30 ms", timeout, 30);
    EXPECT_FAIL("recv", recv(a, buf, sizeof buf, 0), SOCKET_ERROR, WSAETIMEDOUT);
    EXPECT_EQ("send", send(c, "x", 1, 0), 1);
    EXPECT_EQ("recv after", recv(a, buf, sizeof buf, 0), 1);

    SECTION("SO_ACCEPTCONN, IPV6_V6ONLY default, SO_BROADCAST, IP_TTL");
    v = 7;
    len = sizeof v;
    EXPECT_EQ("getsockopt(SO_ACCEPTCONN)", getsockopt(a, SOL_SOCKET, SO_ACCEPTCONN, (char *)&v, &len),
              0);
    EXPECT_EQ("  not listening", v, 0);
    closesocket(c);
    closesocket(a);
    s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    v = 0;
    len = sizeof v;
    EXPECT_EQ("getsockopt(IPV6_V6ONLY)", getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (char *)&v, &len),
              0);
    EXPECT_EQ("  on by default", v, 1);
    EXPECT_EQ("  one byte", len, 1);
    closesocket(s);
    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    v = 1;
    EXPECT_EQ("setsockopt(SO_BROADCAST)", setsockopt(u, SOL_SOCKET, SO_BROADCAST, (char *)&v, sizeof v),
              0);
    v = 0;
    len = sizeof v;
    EXPECT_EQ("getsockopt(SO_BROADCAST)", getsockopt(u, SOL_SOCKET, SO_BROADCAST, (char *)&v, &len), 0);
    EXPECT_EQ("  on", v, 1);
    v = 33;
    EXPECT_EQ("setsockopt(IP_TTL)", setsockopt(u, IPPROTO_IP, IP_TTL, (char *)&v, sizeof v), 0);
    v = 0;
    len = sizeof v;
    EXPECT_EQ("getsockopt(IP_TTL)", getsockopt(u, IPPROTO_IP, IP_TTL, (char *)&v, &len), 0);
    EXPECT_EQ("  33", v, 33);

    SECTION("Issue 8 item 7: unknown level WSAEINVAL; 0.0.0.0 and port 0 WSAEADDRNOTAVAIL");
    EXPECT_FAIL("setsockopt(level 0x8000)",
                setsockopt(u, 0x8000, SO_RCVTIMEO, (char *)&v, sizeof v), SOCKET_ERROR, WSAEINVAL);
    EXPECT_FAIL("setsockopt(level 0xffffffff)",
                setsockopt(u, (int)0xffffffff, SO_RCVTIMEO, (char *)&v, sizeof v), SOCKET_ERROR,
                WSAEINVAL);
    memset(&any, 0, sizeof any);
    any.sin_family = AF_INET;
    any.sin_port = htons(9);
    /* The reference pages of sendto and connect; issue 8 item 7. Wine does not check these,
     * so the oracle run skips them. */
#ifndef _WIN32
    EXPECT_FAIL("sendto(0.0.0.0)", sendto(u, "x", 1, 0, (SOCKADDR *)&any, sizeof any), SOCKET_ERROR,
                WSAEADDRNOTAVAIL);
    any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    any.sin_port = 0;
    EXPECT_FAIL("sendto(port 0)", sendto(u, "x", 1, 0, (SOCKADDR *)&any, sizeof any), SOCKET_ERROR,
                WSAEADDRNOTAVAIL);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_FAIL("connect(port 0)", connect(s, (SOCKADDR *)&any, sizeof any), SOCKET_ERROR,
                WSAEADDRNOTAVAIL);
    closesocket(s);
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    any.sin_port = htons(9);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_FAIL("connect(0.0.0.0)", connect(s, (SOCKADDR *)&any, sizeof any), SOCKET_ERROR,
                WSAEADDRNOTAVAIL);
    closesocket(s);
#endif
    closesocket(u);
}

static SOCKET bound(const SOCKADDR_IN *at, int opt)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    BOOL yes = TRUE;
    if (opt)
        EXPECT_EQ("setsockopt", setsockopt(s, SOL_SOCKET, opt, (char *)&yes, sizeof yes), 0);
    WSASetLastError(0);
    if (bind(s, (const SOCKADDR *)at, sizeof *at) != 0) {
        /* closesocket succeeds and so sets the last error to 0 (docs/semantics.md, "The
         * last error after success"): keep bind's for the caller. */
        int e = WSAGetLastError();
        closesocket(s);
        WSASetLastError(e);
        return INVALID_SOCKET;
    }
    return s;
}

static void test_bind_rules(void)
{
    SOCKADDR_IN addr, any;
    SOCKET l, c, a, l2;
    char buf[4];

    SECTION("Issue 9 §7: a server restarted on its port in TIME_WAIT binds");
    l = listener_on(&addr);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("connect", connect(c, (SOCKADDR *)&addr, sizeof addr), 0);
    a = accept(l, NULL, NULL);
    EXPECT_TRUE("accept", a != INVALID_SOCKET);
    EXPECT_EQ("server closes first", closesocket(a), 0);
    EXPECT_EQ("client sees the FIN", recv(c, buf, sizeof buf, 0), 0);
    closesocket(c);
    closesocket(l);
    l = bound(&addr, 0);
    EXPECT_TRUE("bind over TIME_WAIT", l != INVALID_SOCKET);
    EXPECT_EQ("listen", listen(l, 4), 0);

    SECTION("Two listeners conflict; SO_REUSEADDR; SO_EXCLUSIVEADDRUSE (test_reuseaddr)");
    EXPECT_TRUE("a second listener", bound(&addr, 0) == INVALID_SOCKET);
    EXPECT_EQ("  WSAEADDRINUSE", WSAGetLastError(), WSAEADDRINUSE);
    EXPECT_TRUE("SO_REUSEADDR on the second only", bound(&addr, SO_REUSEADDR) == INVALID_SOCKET);
    EXPECT_EQ("  WSAEACCES", WSAGetLastError(), WSAEACCES);
    closesocket(l);

    /* Each of these scenarios starts on a fresh port (port 0), so nothing else holds it. */
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    l = bound(&addr, SO_REUSEADDR);
    EXPECT_TRUE("first with SO_REUSEADDR", l != INVALID_SOCKET);
    {
        int len = sizeof addr;
        EXPECT_EQ("getsockname", getsockname(l, (SOCKADDR *)&addr, &len), 0);
    }
    l2 = bound(&addr, SO_REUSEADDR);
    EXPECT_TRUE("second with SO_REUSEADDR", l2 != INVALID_SOCKET);
    EXPECT_EQ("listen 1", listen(l, 4), 0);
#ifndef _WIN32 /* test_reuseaddr: todo_wine (Windows lets both listen) */
    EXPECT_EQ("listen 2", listen(l2, 4), 0);
#endif
    closesocket(l);
    closesocket(l2);

    memset(&any, 0, sizeof any);
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    l = bound(&any, SO_EXCLUSIVEADDRUSE);
    EXPECT_TRUE("wildcard, exclusive", l != INVALID_SOCKET);
    {
        int len = sizeof any;
        EXPECT_EQ("getsockname", getsockname(l, (SOCKADDR *)&any, &len), 0);
    }
    addr.sin_port = any.sin_port;
    EXPECT_TRUE("specific after an exclusive wildcard", bound(&addr, 0) == INVALID_SOCKET);
    EXPECT_EQ("  WSAEACCES", WSAGetLastError(), WSAEACCES);
    closesocket(l);
}

int main(void)
{
    WSADATA wsa;
    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    test_wsasocket();
    test_wsabuf_tcp();
    test_wsabuf_udp();
    test_wsaaccept_condition();
    test_wsaioctl();
    test_options();
    test_bind_rules();
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    DONE();
}
