/*
 * sockets.c -- the socket half of the C ABI over loopback, through the headers: start-up
 * rules, handle errors, argument validation, and one WSAEventSelect conversation
 * (FD_ACCEPT, FD_WRITE, FD_READ, FD_CLOSE), as a Windows event-loop program does it.
 *
 * Expected values are Windows'; comments cite the rules of docs/winsock-semantics.md.
 * Every wait is bounded (5 s) and the conversation is driven by this thread alone.
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "check.h"

#define WAIT_MS 5000

static LONG enum_events(SOCKET s, WSAEVENT ev, WSANETWORKEVENTS *ne)
{
    memset(ne, 0xAB, sizeof *ne);
    EXPECT_EQ("WSAEnumNetworkEvents", WSAEnumNetworkEvents(s, ev, ne), 0);
    return ne->lNetworkEvents;
}

static void test_before_startup(void)
{
    SECTION("capi-surface: before WSAStartup every Winsock call fails with WSANOTINITIALISED");
    WSASetLastError(0);
    EXPECT_TRUE("socket", socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) == INVALID_SOCKET);
    EXPECT_EQ("  error", WSAGetLastError(), WSANOTINITIALISED);
    WSASetLastError(0);
    EXPECT_EQ("closesocket", closesocket((SOCKET)4), SOCKET_ERROR);
    EXPECT_EQ("  error", WSAGetLastError(), WSANOTINITIALISED);
    WSASetLastError(0);
    EXPECT_EQ("recv", recv((SOCKET)4, NULL, 0, 0), SOCKET_ERROR);
    EXPECT_EQ("  error (start-up is checked before the arguments)", WSAGetLastError(),
              WSANOTINITIALISED);
}

static void test_conversation(void)
{
    SOCKET listener, client, server;
    SOCKADDR_IN addr, peer, mine;
    int len;
    WSAEVENT ev, ev2;
    WSANETWORKEVENTS ne;
    char buf[32];
    u_long arg;
    int opt, optlen;

    SECTION("socket / bind / listen / getsockname");
    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_TRUE("socket", listener != INVALID_SOCKET);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ("bind", bind(listener, (SOCKADDR *)&addr, sizeof addr), 0);
    len = sizeof addr;
    EXPECT_EQ("getsockname", getsockname(listener, (SOCKADDR *)&addr, &len), 0);
    EXPECT_EQ("  length", len, sizeof(SOCKADDR_IN));
    EXPECT_EQ("  family (Windows value)", addr.sin_family, AF_INET);
    EXPECT_TRUE("  port assigned", addr.sin_port != 0);
    EXPECT_EQ("  address", addr.sin_addr.s_addr, inet_addr("127.0.0.1"));
    len = sizeof addr - 1;
    WSASetLastError(0);
    EXPECT_EQ("getsockname, short buffer", getsockname(listener, (SOCKADDR *)&mine, &len),
              SOCKET_ERROR);
    EXPECT_EQ("  WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ("listen", listen(listener, SOMAXCONN), 0);

    SECTION("rules 24, 12, 13: FD_ACCEPT; enumeration resets the event, writes only reported codes");
    ev = WSACreateEvent();
    EXPECT_EQ("WSAEventSelect(listener, FD_ACCEPT | FD_CLOSE)",
              WSAEventSelect(listener, ev, FD_ACCEPT | FD_CLOSE), 0);
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("blocking connect", connect(client, (SOCKADDR *)&addr, sizeof addr), 0);
    EXPECT_EQ("wait", WSAWaitForMultipleEvents(1, &ev, FALSE, WAIT_MS, FALSE), WSA_WAIT_EVENT_0);
    EXPECT_EQ("events", enum_events(listener, ev, &ne), FD_ACCEPT);
    EXPECT_EQ("  iErrorCode[FD_ACCEPT_BIT]", ne.iErrorCode[FD_ACCEPT_BIT], 0);
    EXPECT_EQ("  other entries untouched (rule 13)", (DWORD)ne.iErrorCode[FD_READ_BIT], 0xABABABABu);
    EXPECT_EQ("  event reset (rule 12)", WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE),
              WSA_WAIT_TIMEOUT);

    SECTION("accept: the peer address; the new socket's FD_WRITE (rules 29, 36)");
    len = sizeof peer;
    WSASetLastError(0);
    {
        int shortlen = 8;
        EXPECT_TRUE("accept, short addrlen", accept(listener, (SOCKADDR *)&peer, &shortlen) ==
                                                 INVALID_SOCKET);
        EXPECT_EQ("  WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    }
    server = accept(listener, (SOCKADDR *)&peer, &len);
    EXPECT_TRUE("accept", server != INVALID_SOCKET);
    EXPECT_EQ("  addrlen", len, sizeof(SOCKADDR_IN));
    EXPECT_EQ("  peer family", peer.sin_family, AF_INET);
    len = sizeof mine;
    EXPECT_EQ("getsockname(client)", getsockname(client, (SOCKADDR *)&mine, &len), 0);
    EXPECT_EQ("  peer port is the client's", peer.sin_port, mine.sin_port);
    len = sizeof mine;
    EXPECT_EQ("getpeername(server)", getpeername(server, (SOCKADDR *)&mine, &len), 0);
    EXPECT_EQ("  same as accept's", mine.sin_port, peer.sin_port);
    ev2 = WSACreateEvent();
    EXPECT_EQ("WSAEventSelect(server, READ | WRITE | CLOSE)",
              WSAEventSelect(server, ev2, FD_READ | FD_WRITE | FD_CLOSE), 0);
    EXPECT_EQ("signalled at once (rule 3)", WSAWaitForMultipleEvents(1, &ev2, FALSE, 0, FALSE),
              WSA_WAIT_EVENT_0);
    EXPECT_EQ("events", enum_events(server, ev2, &ne), FD_WRITE);

    SECTION("FD_READ, recv, argument errors (rules 16, 17, 18)");
    EXPECT_EQ("send", send(client, "hello", 5, 0), 5);
    EXPECT_EQ("wait", WSAWaitForMultipleEvents(1, &ev2, FALSE, WAIT_MS, FALSE), WSA_WAIT_EVENT_0);
    EXPECT_EQ("events", enum_events(server, ev2, &ne), FD_READ);
    WSASetLastError(0);
    EXPECT_EQ("recv(NULL, 5)", recv(server, NULL, 5, 0), SOCKET_ERROR);
    EXPECT_EQ("  WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0);
    EXPECT_EQ("recv(len -1)", recv(server, buf, -1, 0), SOCKET_ERROR);
    EXPECT_EQ("  WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ("a rejected recv does not re-enable FD_READ (rule 18)",
              WSAWaitForMultipleEvents(1, &ev2, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    arg = 0;
    EXPECT_EQ("ioctlsocket(FIONREAD)", ioctlsocket(server, FIONREAD, &arg), 0);
    EXPECT_EQ("  5 bytes", arg, 5);
    EXPECT_EQ("recv(MSG_PEEK)", recv(server, buf, sizeof buf, MSG_PEEK), 5);
    memset(buf, 0, sizeof buf);
    EXPECT_EQ("recv", recv(server, buf, sizeof buf, 0), 5);
    EXPECT_STR("  data", buf, "hello");

    SECTION("ioctlsocket and options");
    arg = 0;
    WSASetLastError(0);
    EXPECT_EQ("FIONBIO 0 while selected (rule 4)", ioctlsocket(server, FIONBIO, &arg),
              SOCKET_ERROR);
    EXPECT_EQ("  WSAEINVAL", WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0);
    EXPECT_EQ("ioctlsocket(NULL argp)", ioctlsocket(server, FIONREAD, NULL), SOCKET_ERROR);
    EXPECT_EQ("  WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    optlen = sizeof opt;
    EXPECT_EQ("getsockopt(SO_TYPE)", getsockopt(server, SOL_SOCKET, SO_TYPE, (char *)&opt, &optlen), 0);
    EXPECT_EQ("  SOCK_STREAM", opt, SOCK_STREAM);
    EXPECT_EQ("  optlen", optlen, 4);
    opt = 1;
    EXPECT_EQ("setsockopt(TCP_NODELAY)",
              setsockopt(server, IPPROTO_TCP, TCP_NODELAY, (const char *)&opt, sizeof opt), 0);
    opt = 0;
    optlen = sizeof opt;
    EXPECT_EQ("getsockopt(TCP_NODELAY)",
              getsockopt(server, IPPROTO_TCP, TCP_NODELAY, (char *)&opt, &optlen), 0);
    EXPECT_TRUE("  on", opt != 0);
    optlen = sizeof opt;
    EXPECT_EQ("getsockopt(SO_ERROR)", getsockopt(server, SOL_SOCKET, SO_ERROR, (char *)&opt, &optlen), 0);
    EXPECT_EQ("  0", opt, 0);
    WSASetLastError(0);
    EXPECT_EQ("getsockopt(NULL optlen)", getsockopt(server, SOL_SOCKET, SO_TYPE, (char *)&opt, NULL),
              SOCKET_ERROR);
    EXPECT_EQ("  WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0);
    EXPECT_EQ("WSAEnumNetworkEvents(NULL)", WSAEnumNetworkEvents(server, ev2, NULL), SOCKET_ERROR);
    EXPECT_EQ("  WSAEFAULT (rule 14)", WSAGetLastError(), WSAEFAULT);

    SECTION("FD_CLOSE on the peer's close (rule 38); recv then returns 0");
    EXPECT_EQ("closesocket(client)", closesocket(client), 0);
    EXPECT_EQ("wait", WSAWaitForMultipleEvents(1, &ev2, FALSE, WAIT_MS, FALSE), WSA_WAIT_EVENT_0);
    EXPECT_EQ("events", enum_events(server, ev2, &ne), FD_CLOSE);
    EXPECT_EQ("  graceful: error 0", ne.iErrorCode[FD_CLOSE_BIT], 0);
    EXPECT_EQ("recv at end of stream", recv(server, buf, sizeof buf, 0), 0);

    SECTION("closed handles: WSAENOTSOCK; the event survives closesocket (rule 43)");
    EXPECT_EQ("closesocket(server)", closesocket(server), 0);
    EXPECT_EQ("closesocket(listener)", closesocket(listener), 0);
    WSASetLastError(0);
    EXPECT_EQ("closesocket(closed)", closesocket(listener), SOCKET_ERROR);
    EXPECT_EQ("  WSAENOTSOCK", WSAGetLastError(), WSAENOTSOCK);
    WSASetLastError(0);
    EXPECT_EQ("send(closed)", send(client, "x", 1, 0), SOCKET_ERROR);
    EXPECT_EQ("  WSAENOTSOCK", WSAGetLastError(), WSAENOTSOCK);
    WSASetLastError(0);
    EXPECT_EQ("WSAEventSelect(an event handle as a SOCKET)",
              WSAEventSelect((SOCKET)(UINT_PTR)ev, ev, FD_READ), SOCKET_ERROR);
    EXPECT_EQ("  WSAENOTSOCK", WSAGetLastError(), WSAENOTSOCK);
    EXPECT_EQ("WSACloseEvent(ev)", WSACloseEvent(ev), TRUE);
    EXPECT_EQ("WSACloseEvent(ev2)", WSACloseEvent(ev2), TRUE);
}

static void test_ipv6(void)
{
    SOCKET s;
    SOCKADDR_IN6 a;
    int len;
    SECTION("IPv6: AF_INET6 = 23 and the 28-byte SOCKADDR_IN6");
    s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) {
        printf("   skipped: no IPv6 sockets here (error %d)\n", WSAGetLastError());
        return;
    }
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    EXPECT_EQ("inet_pton(::1)", inet_pton(AF_INET6, "::1", &a.sin6_addr), 1);
    if (bind(s, (SOCKADDR *)&a, sizeof a) != 0) {
        printf("   skipped: ::1 not available (error %d)\n", WSAGetLastError());
        closesocket(s);
        return;
    }
    len = sizeof a;
    memset(&a, 0, sizeof a);
    EXPECT_EQ("getsockname", getsockname(s, (SOCKADDR *)&a, &len), 0);
    EXPECT_EQ("  length", len, 28);
    EXPECT_EQ("  family", a.sin6_family, AF_INET6);
    EXPECT_EQ("  ::1", a.sin6_addr.s6_addr[15], 1);
    len = sizeof(SOCKADDR_IN);
    WSASetLastError(0);
    EXPECT_EQ("getsockname into a SOCKADDR_IN", getsockname(s, (SOCKADDR *)&a, &len), SOCKET_ERROR);
    EXPECT_EQ("  WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ("closesocket", closesocket(s), 0);
}

int main(void)
{
    WSADATA d;
    test_before_startup();
    EXPECT_EQ("WSAStartup(2.2)", WSAStartup(MAKEWORD(2, 2), &d), 0);
    WSASetLastError(0);
    EXPECT_EQ("closesocket(never a socket)", closesocket((SOCKET)0x12345), SOCKET_ERROR);
    EXPECT_EQ("  WSAENOTSOCK", WSAGetLastError(), WSAENOTSOCK);
    test_conversation();
    test_ipv6();
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    WSASetLastError(0);
    EXPECT_TRUE("socket after WSACleanup", socket(AF_INET, SOCK_STREAM, 0) == INVALID_SOCKET);
    EXPECT_EQ("  WSANOTINITIALISED", WSAGetLastError(), WSANOTINITIALISED);
    DONE();
}
