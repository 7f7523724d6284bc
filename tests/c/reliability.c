/*
 * reliability.c -- issue 8 at the C boundary: stale SOCKET and WSAEVENT values never reach
 * a newer object (8.4), closesocket ends a call blocked in another thread (8.1), and the
 * last WSACleanup closes every socket while events stay valid (8.2). Loopback only; every
 * wait is bounded.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <pthread.h>

#include "check.h"
#include "net.h"

#define CYCLES 1500

static void start(void)
{
    WSADATA wsa;
    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
}

/* 8.4: after 1500 create/close cycles (the old 9-bit generation repeated after 512) no
 * value was handed out twice, and the first, closed value is refused. */
static void stale_values(void)
{
    static SOCKET seen[CYCLES];
    static WSAEVENT seen_ev[CYCLES];
    SECTION("stale SOCKET values are refused and never alias a newer socket");
    SOCKET first = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_TRUE("socket", first != INVALID_SOCKET);
    EXPECT_EQ("closesocket(first)", closesocket(first), 0);
    for (int i = 0; i < CYCLES; i++) {
        seen[i] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        EXPECT_TRUE("socket", seen[i] != INVALID_SOCKET);
        EXPECT_TRUE("a multiple of 4 below 2^31", seen[i] % 4 == 0 && seen[i] < 0x80000000u);
        EXPECT_TRUE("never the closed value", seen[i] != first);
        for (int j = 0; j < i; j++)
            EXPECT_TRUE("values are not handed out twice", seen[j] != seen[i]);
        EXPECT_EQ("closesocket", closesocket(seen[i]), 0);
    }
    SOCKET victim = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("stale closesocket fails", closesocket(first), SOCKET_ERROR);
    EXPECT_EQ("... with WSAENOTSOCK", WSAGetLastError(), WSAENOTSOCK);
    u_long nb = 1;
    EXPECT_EQ("the newer socket is untouched", ioctlsocket(victim, FIONBIO, &nb), 0);
    EXPECT_EQ("closesocket(victim)", closesocket(victim), 0);

    SECTION("stale WSAEVENT values are refused and never alias a newer event");
    WSAEVENT ev0 = WSACreateEvent();
    EXPECT_EQ("WSACloseEvent(ev0)", WSACloseEvent(ev0), TRUE);
    for (int i = 0; i < CYCLES; i++) {
        seen_ev[i] = WSACreateEvent();
        EXPECT_TRUE("WSACreateEvent", seen_ev[i] != WSA_INVALID_EVENT);
        EXPECT_TRUE("never the closed value", seen_ev[i] != ev0);
        EXPECT_EQ("WSACloseEvent", WSACloseEvent(seen_ev[i]), TRUE);
    }
    WSAEVENT newer = WSACreateEvent();
    EXPECT_EQ("stale WSASetEvent fails", WSASetEvent(ev0), FALSE);
    EXPECT_EQ("... with WSA_INVALID_HANDLE", WSAGetLastError(), WSA_INVALID_HANDLE);
    EXPECT_EQ("the newer event is not set",
              WSAWaitForMultipleEvents(1, &newer, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    EXPECT_EQ("WSACloseEvent(newer)", WSACloseEvent(newer), TRUE);
}

struct blocked {
    SOCKET s;
    int ret, err;
};

static void *blocked_recv(void *arg)
{
    struct blocked *b = arg;
    char buf[16];
    b->ret = recv(b->s, buf, sizeof buf, 0);
    b->err = WSAGetLastError();
    return NULL;
}

/* 8.1: closesocket from another thread ends a blocking recv (WSAEINTR if it was blocked,
 * WSAENOTSOCK if the close came first: the C boundary cannot tell which without a race, the
 * Rust tests pin WSAEINTR down) and the peer sees the FIN at once. */
static void close_ends_blocked_recv(void)
{
    SECTION("closesocket ends a recv blocked in another thread; the peer sees FD_CLOSE");
    for (int i = 0; i < 20; i++) {
        SOCKET c, s;
        TCP_PAIR(&c, &s);
        WSAEVENT ev = WSACreateEvent();
        EXPECT_EQ("WSAEventSelect", WSAEventSelect(c, ev, FD_CLOSE), 0);
        struct blocked b = {s, 0, 0};
        pthread_t t;
        EXPECT_EQ("pthread_create", pthread_create(&t, NULL, blocked_recv, &b), 0);
        EXPECT_EQ("closesocket", closesocket(s), 0);
        EXPECT_EQ("pthread_join", pthread_join(t, NULL), 0);
        EXPECT_EQ("recv failed", b.ret, SOCKET_ERROR);
        EXPECT_TRUE("WSAEINTR or WSAENOTSOCK", b.err == WSAEINTR || b.err == WSAENOTSOCK);
        EXPECT_EQ("FD_CLOSE arrives",
                  WSAWaitForMultipleEvents(1, &ev, FALSE, LONG_MS, FALSE), WSA_WAIT_EVENT_0);
        WSANETWORKEVENTS ne;
        EXPECT_EQ("WSAEnumNetworkEvents", WSAEnumNetworkEvents(c, ev, &ne), 0);
        EXPECT_EQ("FD_CLOSE", ne.lNetworkEvents, FD_CLOSE);
        EXPECT_EQ("graceful", ne.iErrorCode[FD_CLOSE_BIT], 0);
        closesocket(c);
        WSACloseEvent(ev);
    }
}

/* 8.2: the last WSACleanup closes every socket (a listener stops listening), their values
 * give WSAENOTSOCK after a new WSAStartup, events stay valid. */
static void cleanup_closes_sockets(void)
{
    SECTION("the last WSACleanup closes every socket; events stay valid");
    SOCKADDR_IN addr;
    SOCKET l = LISTENER(&addr);
    SOCKET c, s;
    TCP_PAIR(&c, &s);
    WSAEVENT ev = WSACreateEvent();
    EXPECT_EQ("WSAEventSelect", WSAEventSelect(l, ev, FD_ACCEPT), 0);
    start(); /* nested: its cleanup is not the last */
    EXPECT_EQ("inner WSACleanup", WSACleanup(), 0);
    u_long nb = 1;
    EXPECT_EQ("still a socket", ioctlsocket(c, FIONBIO, &nb), 0);
    EXPECT_EQ("last WSACleanup", WSACleanup(), 0);
    start();
    SOCKET olds[3] = {l, c, s};
    for (int i = 0; i < 3; i++) {
        EXPECT_EQ("closesocket(old)", closesocket(olds[i]), SOCKET_ERROR);
        EXPECT_EQ("... WSAENOTSOCK", WSAGetLastError(), WSAENOTSOCK);
    }
    SOCKET d = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("the closed listener refuses", connect(d, (SOCKADDR *)&addr, sizeof addr),
              SOCKET_ERROR);
    EXPECT_EQ("... WSAECONNREFUSED", WSAGetLastError(), WSAECONNREFUSED);
    closesocket(d);
    EXPECT_EQ("the event is still an event", WSASetEvent(ev), TRUE);
    EXPECT_EQ("WSACloseEvent", WSACloseEvent(ev), TRUE);
}

int main(void)
{
    start();
    stale_values();
    close_ends_blocked_recv();
    cleanup_closes_sockets();
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    DONE();
}
