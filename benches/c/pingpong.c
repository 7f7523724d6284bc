/*
 * pingpong.c -- benchmark 2, the Winsock side: the one-thread ping-pong of benchmark 1
 * written as a Windows program would write it, through the C ABI and the headers in
 * include/: two connected loopback sockets, each WSAEventSelect-ed for
 * FD_READ|FD_WRITE|FD_CLOSE on its own event; the loop is WSAWaitForMultipleEvents over
 * both, WSAEnumNetworkEvents on the signalled socket, recv, send.
 *
 * Only Winsock headers here: the timer and main() live in pingpong_epoll.c (POSIX), which
 * also holds the raw-epoll baseline, so the two sides run alternately in one process.
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <stdio.h>
#include <string.h>

double bench_now(void);

static SOCKET socks[2];
static WSAEVENT events[2];

static int fail(const char *what)
{
    fprintf(stderr, "pingpong.c: %s failed with error %d\n", what, WSAGetLastError());
    return -1;
}

int wsa_setup(void)
{
    WSADATA data;
    SOCKADDR_IN addr;
    int len = sizeof addr, i;
    BOOL one = 1;
    SOCKET l;
    WSANETWORKEVENTS ne;

    if (WSAStartup(MAKEWORD(2, 2), &data) != 0)
        return fail("WSAStartup");
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (l == INVALID_SOCKET)
        return fail("socket");
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (SOCKADDR *)&addr, sizeof addr) != 0)
        return fail("bind");
    if (getsockname(l, (SOCKADDR *)&addr, &len) != 0)
        return fail("getsockname");
    if (listen(l, 4) != 0)
        return fail("listen");
    socks[0] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (socks[0] == INVALID_SOCKET)
        return fail("socket");
    if (connect(socks[0], (SOCKADDR *)&addr, sizeof addr) != 0)
        return fail("connect");
    socks[1] = accept(l, NULL, NULL);
    if (socks[1] == INVALID_SOCKET)
        return fail("accept");
    closesocket(l);
    for (i = 0; i < 2; i++) {
        if (setsockopt(socks[i], IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one) != 0)
            return fail("setsockopt(TCP_NODELAY)");
        events[i] = WSACreateEvent();
        if (events[i] == WSA_INVALID_EVENT)
            return fail("WSACreateEvent");
        if (WSAEventSelect(socks[i], events[i], FD_READ | FD_WRITE | FD_CLOSE) != 0)
            return fail("WSAEventSelect");
        /* The initial FD_WRITE. */
        if (WSAEnumNetworkEvents(socks[i], events[i], &ne) != 0)
            return fail("WSAEnumNetworkEvents");
    }
    return 0;
}

/* n one-byte round trips; returns the seconds they took, or a negative value on failure. */
double wsa_run(long n)
{
    char buf[64];
    long done = 0;
    double t0 = bench_now();
    WSANETWORKEVENTS ne;

    if (send(socks[0], "x", 1, 0) != 1)
        return fail("send");
    while (done < n) {
        DWORD r = WSAWaitForMultipleEvents(2, events, FALSE, 10000, FALSE);
        int i, k;
        if (r == WSA_WAIT_TIMEOUT || r == WSA_WAIT_FAILED)
            return fail("WSAWaitForMultipleEvents");
        i = (int)(r - WSA_WAIT_EVENT_0);
        if (WSAEnumNetworkEvents(socks[i], events[i], &ne) != 0)
            return fail("WSAEnumNetworkEvents");
        if (!(ne.lNetworkEvents & FD_READ))
            continue;
        k = recv(socks[i], buf, sizeof buf, 0);
        if (k == SOCKET_ERROR) {
            if (WSAGetLastError() == WSAEWOULDBLOCK)
                continue;
            return fail("recv");
        }
        if (k == 0)
            return fail("recv (peer closed)");
        if (i == 1) {
            if (send(socks[1], buf, k, 0) != k)
                return fail("send");
        } else if (++done < n) {
            if (send(socks[0], buf, k, 0) != k)
                return fail("send");
        }
    }
    return bench_now() - t0;
}
