/*
 * pingpong_epoll.c -- benchmark 2, the baseline and the driver: the same one-thread
 * ping-pong on raw epoll (edge-triggered, EPOLLIN|EPOLLOUT as the library registers, one
 * recv per readable event into 64 bytes, the same send), and main(), which runs it and the
 * Winsock side of pingpong.c alternately in this one process and prints one line per round:
 *
 *     round R wsa RATE epoll RATE        (round trips per second)
 *
 * Usage: pingpong N ROUNDS. Linux only (epoll).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int wsa_setup(void);
double wsa_run(long n);

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int ep = -1;
static int fds[2];

static void die(const char *what)
{
    perror(what);
    exit(2);
}

static void epoll_setup(void)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int one = 1, i;
    int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (l < 0)
        die("socket");
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (struct sockaddr *)&addr, sizeof addr) ||
        getsockname(l, (struct sockaddr *)&addr, &len) || listen(l, 4))
        die("listen");
    fds[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fds[0] < 0 || connect(fds[0], (struct sockaddr *)&addr, sizeof addr))
        die("connect");
    fds[1] = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fds[1] < 0)
        die("accept");
    close(l);
    if (fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK))
        die("O_NONBLOCK");
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        die("epoll_create1");
    for (i = 0; i < 2; i++) {
        struct epoll_event ev;
        if (setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one))
            die("TCP_NODELAY");
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        ev.data.u32 = (unsigned)i;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev))
            die("epoll_ctl");
    }
}

/* n one-byte round trips; returns the seconds they took, or a negative value on failure. */
static double epoll_run(long n)
{
    struct epoll_event evs[16];
    char buf[64];
    long done = 0;
    double t0 = bench_now();

    if (send(fds[0], "x", 1, MSG_NOSIGNAL) != 1)
        return -1;
    while (done < n) {
        int m = epoll_wait(ep, evs, 16, 10000), j;
        if (m <= 0) {
            if (m < 0 && errno == EINTR)
                continue;
            fprintf(stderr, "epoll ping-pong stalled after %ld\n", done);
            return -1;
        }
        for (j = 0; j < m; j++) {
            int i = (int)evs[j].data.u32;
            ssize_t k;
            if (!(evs[j].events & EPOLLIN))
                continue;
            k = recv(fds[i], buf, sizeof buf, 0);
            if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                continue;
            if (k <= 0)
                return -1;
            if (i == 1) {
                if (send(fds[1], buf, (size_t)k, MSG_NOSIGNAL) != k)
                    return -1;
            } else if (++done < n) {
                if (send(fds[0], buf, (size_t)k, MSG_NOSIGNAL) != k)
                    return -1;
            }
        }
    }
    return bench_now() - t0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000;
    int rounds = argc > 2 ? atoi(argv[2]) : 5, r;

    if (n <= 0 || rounds <= 0) {
        fprintf(stderr, "usage: %s N ROUNDS\n", argv[0]);
        return 2;
    }
    if (wsa_setup() != 0)
        return 1;
    epoll_setup();
    /* Warm-up, not reported. */
    if (wsa_run(n / 4 + 1) < 0 || epoll_run(n / 4 + 1) < 0)
        return 1;
    for (r = 0; r < rounds; r++) {
        double w, e;
        if (r % 2 == 0) {
            w = wsa_run(n);
            e = epoll_run(n);
        } else {
            e = epoll_run(n);
            w = wsa_run(n);
        }
        if (w <= 0 || e <= 0)
            return 1;
        printf("round %d wsa %.0f epoll %.0f\n", r, (double)n / w, (double)n / e);
        fflush(stdout);
    }
    return 0;
}
