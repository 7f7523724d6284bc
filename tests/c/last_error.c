/*
 * last_error.c -- the last error after a successful call (issue 8, item 8).
 *
 * Windows sets the last error to 0 when a socket function succeeds. Wine's ws2_32 tests,
 * run on Windows, check it: SetLastError(0xdeadbeef), then a successful setsockopt,
 * getsockopt, getsockname, send, sendto, recvfrom, WSARecv, WSAIoctl(FIONREAD / SIOCATMARK
 * / FIONBIO) or WSASocket, then ok(!WSAGetLastError()). This library applies the rule to
 * every socket function (docs/semantics.md, "The last error after success"), and event
 * creation clears it too (CreateEvent must, to report ERROR_ALREADY_EXISTS for a named
 * event that exists); the other event and wait functions are kernel32's on Windows and
 * leave the last error alone on success.
 * Every wait is bounded.
 */
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include "check.h"
#include "net.h"

#define STALE 0x0deadbee

/* `call` must succeed (cond true) and leave the last error 0. */
#define EXPECT_OK_ZERO(what, cond_expr)                                                       \
    do {                                                                                      \
        int ok_;                                                                              \
        WSASetLastError(STALE);                                                               \
        ok_ = (cond_expr);                                                                    \
        EXPECT_TRUE(what, ok_);                                                               \
        EXPECT_EQ("  last error after success", WSAGetLastError(), 0);                        \
        EXPECT_EQ("  GetLastError is the same value", (long long)GetLastError(), 0);          \
    } while (0)

int main(void)
{
    WSADATA wsa;
    SOCKADDR_IN addr, peer, from;
    SOCKET l, c, a, u;
    WSAEVENT ev;
    WSANETWORKEVENTS ne;
    int len, one = 1, opt;
    u_long n = 0;
    char buf[8];

    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);

    SECTION("socket functions: success sets the last error to 0");
    EXPECT_OK_ZERO("socket", (l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) != INVALID_SOCKET);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_OK_ZERO("bind", bind(l, (SOCKADDR *)&addr, sizeof addr) == 0);
    len = sizeof addr;
    EXPECT_OK_ZERO("getsockname", getsockname(l, (SOCKADDR *)&addr, &len) == 0);
    EXPECT_OK_ZERO("listen", listen(l, 4) == 0);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_OK_ZERO("connect", connect(c, (SOCKADDR *)&addr, sizeof addr) == 0);
    len = sizeof peer;
    EXPECT_OK_ZERO("accept", (a = accept(l, (SOCKADDR *)&peer, &len)) != INVALID_SOCKET);
    EXPECT_OK_ZERO("setsockopt", setsockopt(a, IPPROTO_TCP, TCP_NODELAY, (char *)&one, 4) == 0);
    len = sizeof opt;
    EXPECT_OK_ZERO("getsockopt(SO_ERROR)",
                   getsockopt(a, SOL_SOCKET, SO_ERROR, (char *)&opt, &len) == 0);
    len = sizeof peer;
    EXPECT_OK_ZERO("getpeername", getpeername(a, (SOCKADDR *)&peer, &len) == 0);
    EXPECT_OK_ZERO("WSACreateEvent", (ev = WSACreateEvent()) != WSA_INVALID_EVENT);
    {
        HANDLE h;
        EXPECT_OK_ZERO("CreateEventA", (h = CreateEventA(NULL, FALSE, FALSE, NULL)) != NULL);
        CloseHandle(h);
        EXPECT_OK_ZERO("CreateEventW", (h = CreateEventW(NULL, TRUE, TRUE, NULL)) != NULL);
        CloseHandle(h);
    }
    EXPECT_OK_ZERO("WSAEventSelect", WSAEventSelect(a, ev, FD_READ) == 0);
    EXPECT_OK_ZERO("send", send(c, "hello", 5, 0) == 5);
    EXPECT_EQ("wait for FD_READ", WSAWaitForMultipleEvents(1, &ev, FALSE, LONG_MS, FALSE), 0);
    EXPECT_OK_ZERO("WSAEnumNetworkEvents", WSAEnumNetworkEvents(a, ev, &ne) == 0);
    EXPECT_OK_ZERO("ioctlsocket(FIONREAD)", ioctlsocket(a, FIONREAD, &n) == 0);
    EXPECT_EQ("  FIONREAD", n, 5);
    EXPECT_OK_ZERO("recv", recv(a, buf, 2, 0) == 2);
    EXPECT_OK_ZERO("recvfrom (stream)", recvfrom(a, buf, 2, 0, NULL, NULL) == 2);
    EXPECT_OK_ZERO("shutdown", shutdown(c, SD_SEND) == 0);
    EXPECT_OK_ZERO("closesocket", closesocket(c) == 0);

    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    addr.sin_port = 0;
    EXPECT_EQ("bind udp", bind(u, (SOCKADDR *)&addr, sizeof addr), 0);
    len = sizeof addr;
    EXPECT_EQ("getsockname udp", getsockname(u, (SOCKADDR *)&addr, &len), 0);
    EXPECT_OK_ZERO("sendto", sendto(u, "x", 1, 0, (SOCKADDR *)&addr, sizeof addr) == 1);
    len = sizeof from;
    EXPECT_OK_ZERO("recvfrom (datagram)",
                   recvfrom(u, buf, sizeof buf, 0, (SOCKADDR *)&from, &len) == 1);

    SECTION("a failure after a success reports its own error");
    EXPECT_FAIL("closesocket(closed)", closesocket(c), SOCKET_ERROR, WSAENOTSOCK);
    WSASetLastError(STALE);
    EXPECT_EQ("getsockname(NULL)", getsockname(u, NULL, &len), SOCKET_ERROR);
    EXPECT_EQ("  last error", WSAGetLastError(), WSAEFAULT);

    SECTION("set, reset and wait (kernel32's) leave the last error alone on success");
    WSASetLastError(STALE);
    EXPECT_EQ("WSASetEvent", WSASetEvent(ev), TRUE);
    EXPECT_EQ("WSAResetEvent", WSAResetEvent(ev), TRUE);
    EXPECT_EQ("WSAWaitForMultipleEvents", WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE),
              WSA_WAIT_TIMEOUT);
    EXPECT_EQ("  last error untouched", WSAGetLastError(), STALE);

    closesocket(u);
    closesocket(a);
    closesocket(l);
    WSACloseEvent(ev);
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    DONE();
}
