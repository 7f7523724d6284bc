/*
 * pingpong.c -- one-byte round trips between two loopback sockets, in portable Winsock C.
 *
 * One thread. The pair is made the usual Winsock way (a blocking connect, then accept);
 * each socket is then WSAEventSelect-ed for FD_READ | FD_CLOSE on its own event. A round
 * trip: socket 0 sends one byte; the loop (WSAWaitForMultipleEvents over both events,
 * WSAEnumNetworkEvents on the signalled socket, recv) sees it arrive on socket 1, which
 * sends it back; the loop sees it arrive on socket 0. After N round trips the program
 * prints the rate, timed with QueryPerformanceCounter:
 *
 *     pingpong: N round trips in S s: R round trips/s
 *
 * The same source builds on Windows and, with wsaevents, on Linux and macOS:
 *
 *     x86_64-w64-mingw32-gcc -Wall -O2 pingpong.c -o pingpong.exe -lws2_32
 *     cc -Wall -O2 -I<repo>/include pingpong.c <repo>/target/release/libwsaevents.a \
 *        -lpthread -ldl -lm -o pingpong
 *
 * Usage: pingpong [N] (default 20000). Benchmark 2 (docs/benchmarks.md) compares this loop
 * with the same loop written on raw epoll.
 */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAIT_MS 10000 /* a lost byte fails the run instead of hanging it */

static void die(const char *what, int error)
{
    printf("pingpong: %s failed with error %d\n", what, error);
    exit(1);
}

int main(int argc, char **argv)
{
    WSADATA wsaData;
    SOCKET listener, socks[2];
    WSAEVENT events[2];
    WSANETWORKEVENTS ne;
    SOCKADDR_IN addr;
    LARGE_INTEGER freq, t0, t1;
    long n = 20000, done = 0;
    int len, i, one = 1, iResult;
    char buf[64];
    double secs;

    if (argc > 1) {
        n = atol(argv[1]);
        if (n <= 0) {
            printf("usage: pingpong [N > 0]\n");
            return 2;
        }
    }
    iResult = WSAStartup(MAKEWORD(2, 2), &wsaData);
    if (iResult != 0)
        die("WSAStartup", iResult);

    /* A connected loopback pair: blocking connect, then accept. */
    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (listener == INVALID_SOCKET)
        die("socket", WSAGetLastError());
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    len = sizeof addr;
    if (bind(listener, (SOCKADDR *)&addr, sizeof addr) != 0 ||
        getsockname(listener, (SOCKADDR *)&addr, &len) != 0 || listen(listener, 1) != 0)
        die("bind/listen", WSAGetLastError());
    socks[0] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (socks[0] == INVALID_SOCKET)
        die("socket", WSAGetLastError());
    if (connect(socks[0], (SOCKADDR *)&addr, sizeof addr) != 0)
        die("connect", WSAGetLastError());
    socks[1] = accept(listener, NULL, NULL);
    if (socks[1] == INVALID_SOCKET)
        die("accept", WSAGetLastError());
    closesocket(listener);

    for (i = 0; i < 2; i++) {
        if (setsockopt(socks[i], IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one) != 0)
            die("setsockopt(TCP_NODELAY)", WSAGetLastError());
        events[i] = WSACreateEvent();
        if (events[i] == WSA_INVALID_EVENT)
            die("WSACreateEvent", WSAGetLastError());
        if (WSAEventSelect(socks[i], events[i], FD_READ | FD_CLOSE) != 0)
            die("WSAEventSelect", WSAGetLastError());
    }

    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t0);
    if (send(socks[0], "x", 1, 0) != 1)
        die("send", WSAGetLastError());
    while (done < n) {
        DWORD r = WSAWaitForMultipleEvents(2, events, FALSE, WAIT_MS, FALSE);
        int k;
        if (r == WSA_WAIT_FAILED)
            die("WSAWaitForMultipleEvents", WSAGetLastError());
        if (r == WSA_WAIT_TIMEOUT)
            die("WSAWaitForMultipleEvents (timed out)", 0);
        i = (int)(r - WSA_WAIT_EVENT_0);
        if (WSAEnumNetworkEvents(socks[i], events[i], &ne) != 0)
            die("WSAEnumNetworkEvents", WSAGetLastError());
        if (ne.lNetworkEvents & FD_CLOSE)
            die("the peer closed (FD_CLOSE)", ne.iErrorCode[FD_CLOSE_BIT]);
        if (!(ne.lNetworkEvents & FD_READ))
            continue;
        if (ne.iErrorCode[FD_READ_BIT] != 0)
            die("FD_READ", ne.iErrorCode[FD_READ_BIT]);
        k = recv(socks[i], buf, sizeof buf, 0);
        if (k == SOCKET_ERROR) {
            if (WSAGetLastError() == WSAEWOULDBLOCK)
                continue;
            die("recv", WSAGetLastError());
        }
        if (k == 0)
            die("recv (end of stream)", 0);
        if (i == 1) {
            if (send(socks[1], buf, k, 0) != k) /* the echo */
                die("send", WSAGetLastError());
        } else if (++done < n) {
            if (send(socks[0], buf, k, 0) != k) /* the next ping */
                die("send", WSAGetLastError());
        }
    }
    QueryPerformanceCounter(&t1);

    secs = (double)(t1.QuadPart - t0.QuadPart) / (double)freq.QuadPart;
    printf("pingpong: %ld round trips in %.3f s: %.0f round trips/s\n", n, secs, (double)n / secs);
    for (i = 0; i < 2; i++) {
        closesocket(socks[i]);
        WSACloseEvent(events[i]);
    }
    WSACleanup();
    return 0;
}
