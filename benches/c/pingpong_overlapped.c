/*
 * pingpong_overlapped.c -- the overlapped Winsock side of benches/overlapped.rs's C run: the
 * one-thread ping-pong of benchmark 1 as an overlapped Winsock loop through the C ABI. Each
 * socket keeps one WSARecv pending with its own event in its WSAOVERLAPPED; the loop is
 * WSAWaitForMultipleEvents over both events, WSAGetOverlappedResult, an overlapped WSASend
 * of the byte (it completes at once), and the next WSARecv. The receive goes straight into
 * the caller's buffer (one WSABUF: no copy).
 *
 * Same interface as pingpong.c (wsa_setup, wsa_run), so pingpong_epoll.c's driver runs it
 * alternately with the raw-epoll loop in one process.
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <stdio.h>
#include <string.h>

double bench_now(void);

static SOCKET socks[2];
static WSAEVENT events[2];
static WSAOVERLAPPED rx[2], tx[2];
static char bufs[2][64];

static int fail(const char *what)
{
    fprintf(stderr, "pingpong_overlapped.c: %s failed with error %d\n", what, WSAGetLastError());
    return -1;
}

static int start_recv(int i)
{
    WSABUF b;
    DWORD flags = 0;
    b.buf = bufs[i];
    b.len = sizeof bufs[i];
    memset(&rx[i], 0, sizeof rx[i]);
    rx[i].hEvent = events[i];
    if (WSARecv(socks[i], &b, 1, NULL, &flags, &rx[i], NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING)
        return fail("WSARecv");
    return 0;
}

static int send_byte(int i, char c)
{
    WSABUF b;
    DWORD n = 0;
    b.buf = &c;
    b.len = 1;
    memset(&tx[i], 0, sizeof tx[i]);
    /* No event: a one-byte send completes at once (checked). */
    if (WSASend(socks[i], &b, 1, &n, 0, &tx[i], NULL) != 0 || n != 1)
        return fail("WSASend");
    return 0;
}

int wsa_setup(void)
{
    WSADATA data;
    SOCKADDR_IN addr;
    int len = sizeof addr, i;
    BOOL one = 1;
    SOCKET l;

    if (WSAStartup(MAKEWORD(2, 2), &data) != 0)
        return fail("WSAStartup");
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l == INVALID_SOCKET || bind(l, (SOCKADDR *)&addr, sizeof addr) != 0 ||
        getsockname(l, (SOCKADDR *)&addr, &len) != 0 || listen(l, 4) != 0)
        return fail("listener");
    socks[0] = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (socks[0] == INVALID_SOCKET || connect(socks[0], (SOCKADDR *)&addr, sizeof addr) != 0)
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
        if (start_recv(i) != 0)
            return -1;
    }
    return 0;
}

/* n one-byte round trips; returns the seconds they took, or a negative value on failure.
 * The receives stay pending between rounds. */
double wsa_run(long n)
{
    long done = 0;
    double t0 = bench_now();

    if (send_byte(0, 'x') != 0)
        return -1;
    while (done < n) {
        DWORD r = WSAWaitForMultipleEvents(2, events, FALSE, 10000, FALSE), got = 0, flags = 0;
        int i;
        char c;
        if (r == WSA_WAIT_TIMEOUT || r == WSA_WAIT_FAILED)
            return fail("WSAWaitForMultipleEvents");
        i = (int)(r - WSA_WAIT_EVENT_0);
        if (!WSAGetOverlappedResult(socks[i], &rx[i], &got, FALSE, &flags)) {
            if (WSAGetLastError() == WSA_IO_INCOMPLETE)
                continue;
            return fail("WSAGetOverlappedResult");
        }
        if (got == 0)
            return fail("WSARecv (peer closed)");
        c = bufs[i][0];
        if (start_recv(i) != 0)
            return -1;
        if (i == 1) {
            if (send_byte(1, c) != 0)
                return -1;
        } else if (++done < n) {
            if (send_byte(0, c) != 0)
                return -1;
        }
    }
    return bench_now() - t0;
}
