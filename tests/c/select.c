/*
 * select.c -- Winsock's select() and WSAPoll() over loopback, through the headers, with the
 * values Windows gives.
 *
 * The expectations are those of Wine's Windows-run tests (dlls/ws2_32/tests/sock.c,
 * test_select and test_WSAPoll; a todo_wine check is a value Windows has and Wine misses)
 * and rule 47 of docs/winsock-semantics.md (select and WSAPoll leave the network-event
 * record alone). Nothing sleeps to synchronise: a state that arrives asynchronously (a
 * connection, data, a FIN, a refusal) is first waited for with a call that returns as soon
 * as that one condition holds (bounded: LONG_MS), and only then are the other sets or flags
 * checked without waiting.
 *
 * Built as C and C++ with -Wall -Wextra -Wpedantic -Werror. The same program, built with
 * mingw-w64 against the real ws2_32 and run under Wine 8 (../shared/wine/oracle.sh, with
 * the WSANOTINITIALISED section left out: Wine does not check it), differs only at the
 * checks marked todo_wine, where Wine's own tests say Windows differs from Wine.
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <pthread.h>

#include "check.h"
#include "net.h"

static struct timeval no_wait = {0, 0};
static struct timeval long_wait = {LONG_MS / 1000, 0};

/* select() on one socket in the sets named by `which` ("r", "w", "e" letters); the sets
 * that hold it afterwards, as the same letters; `*ret` the return value. */
static const char *select_one(SOCKET s, const char *which, const struct timeval *tv, int *ret)
{
    static char out[4];
    fd_set r, w, e;
    int n = 0;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    if (strchr(which, 'r'))
        FD_SET(s, &r);
    if (strchr(which, 'w'))
        FD_SET(s, &w);
    if (strchr(which, 'e'))
        FD_SET(s, &e);
    *ret = select(0, strchr(which, 'r') ? &r : NULL, strchr(which, 'w') ? &w : NULL,
                  strchr(which, 'e') ? &e : NULL, tv);
    if (FD_ISSET(s, &r))
        out[n++] = 'r';
    if (FD_ISSET(s, &w))
        out[n++] = 'w';
    if (FD_ISSET(s, &e))
        out[n++] = 'e';
    out[n] = 0;
    return out;
}

/* The sets holding `s` after a select on all three; the count must match. */
#define EXPECT_SELECT(what, s, which, tv, want)                                             \
    do {                                                                                    \
        int ret_;                                                                           \
        const char *sets_ = select_one((s), (which), (tv), &ret_);                           \
        EXPECT_STR(what, sets_, want);                                                       \
        EXPECT_EQ("  select's count", ret_, (int)strlen(want));                             \
    } while (0)

/* WSAPoll on one socket: revents, with the count checked against it. */
static short poll_one(SOCKET s, short events, int timeout)
{
    WSAPOLLFD p;
    int ret;
    p.fd = s;
    p.events = events;
    p.revents = (short)0x7ead;
    ret = WSAPoll(&p, 1, timeout);
    EXPECT_EQ("  WSAPoll's count", ret, p.revents ? 1 : 0);
    return p.revents;
}

#define ALL_ASKABLE (POLLRDNORM | POLLRDBAND | POLLWRNORM)

/* Rule 47: with `ev` selected on `s`, `bits` recorded and the event signalled, select and
 * WSAPoll change nothing: the event stays signalled, the enumeration reports `bits`, and
 * after it neither call signals the event or records anything again. */
static void expect_record_untouched(SOCKET s, WSAEVENT ev, LONG bits)
{
    WSANETWORKEVENTS ne;
    int i, ret;
    for (i = 0; i < 3; i++) {
        (void)select_one(s, "rwe", &no_wait, &ret);
        (void)poll_one(s, ALL_ASKABLE, 0);
    }
    EXPECT_EQ("rule 47: the event is still signalled",
              WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE), WSA_WAIT_EVENT_0);
    EXPECT_EQ("WSAEnumNetworkEvents", WSAEnumNetworkEvents(s, ev, &ne), 0);
    EXPECT_EQ("rule 47: the record as it was", ne.lNetworkEvents, bits);
    for (i = 0; i < 3; i++) {
        (void)select_one(s, "rwe", &no_wait, &ret);
        (void)poll_one(s, ALL_ASKABLE, 0);
    }
    EXPECT_EQ("rule 47: select/WSAPoll do not signal the event",
              WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    EXPECT_EQ("WSAEnumNetworkEvents", WSAEnumNetworkEvents(s, ev, &ne), 0);
    EXPECT_EQ("rule 47: nothing recorded by them", ne.lNetworkEvents, 0);
}

static void test_select_errors(void)
{
    fd_set r, w, e;
    SOCKET s;
    struct timeval tv = {0, 0};

    SECTION("select: no socket in any set is WSAEINVAL (test_select)");
    /* Typed NULLs: in C++ an all-NULL call is ambiguous with the C library's select (a
     * compile error, see wsaevents_select.h); in C plain NULLs work too. */
    EXPECT_FAIL("select(0, NULL, NULL, NULL)",
                select(0, (fd_set *)NULL, (fd_set *)NULL, (fd_set *)NULL, &tv), SOCKET_ERROR,
                WSAEINVAL);
#ifndef __cplusplus
    EXPECT_FAIL("  plain NULLs", select(0, NULL, NULL, NULL, NULL), SOCKET_ERROR, WSAEINVAL);
#endif
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    EXPECT_FAIL("select with three empty sets", select(0, &r, &w, &e, &tv), SOCKET_ERROR,
                WSAEINVAL);

    SECTION("select: a value that is not a socket is WSAENOTSOCK, the sets unchanged");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    FD_SET(s, &r);
    FD_SET(INVALID_SOCKET, &e);
    EXPECT_FAIL("INVALID_SOCKET in exceptfds", select(0, &r, &w, &e, &tv), SOCKET_ERROR,
                WSAENOTSOCK);
    EXPECT_EQ("  readfds unchanged", r.fd_count, 1);
    EXPECT_EQ("  exceptfds unchanged", e.fd_count, 1);
    EXPECT_EQ("closesocket", closesocket(s), 0);
    EXPECT_FAIL("a closed socket in readfds", select(0, &r, NULL, NULL, &tv), SOCKET_ERROR,
                WSAENOTSOCK);
    EXPECT_EQ("  readfds unchanged", r.fd_count, 1);

    SECTION("select: a new TCP socket is in no set; {0, 0} polls, timeval not modified");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_SELECT("unconnected TCP socket", s, "rwe", &tv, "");
    tv.tv_usec = 500;
    EXPECT_SELECT("  500 us", s, "rwe", &tv, "");
    EXPECT_EQ("  tv_sec", tv.tv_sec, 0);
    EXPECT_EQ("  tv_usec", tv.tv_usec, 500);
    EXPECT_EQ("closesocket", closesocket(s), 0);

    SECTION("select: an unbound UDP socket is writable (test_select)");
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    EXPECT_SELECT("unbound UDP socket", s, "rwe", &no_wait, "w");
    EXPECT_EQ("closesocket", closesocket(s), 0);
}

static void test_select_states(void)
{
    SOCKADDR_IN addr;
    SOCKET l, c, s;
    u_long on = 1;
    char buf[16];
    int err, len;
    WSAEVENT ev;

    SECTION("select: nfds 0, a pending connection makes a listener readable, only that");
    l = LISTENER(&addr);
    EXPECT_SELECT("nothing pending", l, "rwe", &no_wait, "");
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("FIONBIO", ioctlsocket(c, FIONBIO, &on), 0);
    EXPECT_FAIL("non-blocking connect", connect(c, (SOCKADDR *)&addr, sizeof addr),
                SOCKET_ERROR, WSAEWOULDBLOCK);
    EXPECT_SELECT("waiting for the connection (readfds)", l, "r", &long_wait, "r");
    EXPECT_SELECT("  in readfds only", l, "rwe", &no_wait, "r");
    s = accept(l, NULL, NULL);
    EXPECT_TRUE("accept", s != INVALID_SOCKET);
    EXPECT_SELECT("  accepted: the listener is in no set", l, "rwe", &no_wait, "");

    SECTION("select: the connector's completed connect is writefds");
    EXPECT_SELECT("connect completed", c, "w", &long_wait, "w");
    EXPECT_SELECT("  writefds only", c, "rwe", &no_wait, "w");
    len = sizeof err;
    err = -1;
    EXPECT_EQ("SO_ERROR", getsockopt(c, SOL_SOCKET, SO_ERROR, (char *)&err, &len), 0);
    EXPECT_EQ("  0", err, 0);
    EXPECT_SELECT("the accepted socket: writefds", s, "rwe", &no_wait, "w");

    SECTION("select: data is readfds, not exceptfds; rule 47");
    ev = WSACreateEvent();
    EXPECT_EQ("WSAEventSelect(s, READ | OOB | CLOSE)",
              WSAEventSelect(s, ev, FD_READ | FD_OOB | FD_CLOSE), 0);
    EXPECT_EQ("send", send(c, "1234", 4, 0), 4);
    EXPECT_SELECT("data (waiting on readfds)", s, "r", &long_wait, "r");
    EXPECT_SELECT("  readfds and writefds", s, "rwe", &no_wait, "rw");
    EXPECT_EQ("  FD_READ signalled the event",
              WSAWaitForMultipleEvents(1, &ev, FALSE, LONG_MS, FALSE), WSA_WAIT_EVENT_0);
    expect_record_untouched(s, ev, FD_READ);
    EXPECT_SELECT("  still readable: select reports the level", s, "r", &no_wait, "r");
    EXPECT_EQ("recv", recv(s, buf, sizeof buf, 0), 4);
    EXPECT_SELECT("  drained", s, "re", &no_wait, "");

    SECTION("select: urgent data is exceptfds, not readfds (test_select)");
    EXPECT_EQ("send(MSG_OOB)", send(c, "A", 1, MSG_OOB), 1);
    EXPECT_SELECT("urgent data (waiting on exceptfds)", s, "e", &long_wait, "e");
    EXPECT_SELECT("  exceptfds and writefds", s, "rwe", &no_wait, "we");
    EXPECT_EQ("  FD_OOB signalled the event",
              WSAWaitForMultipleEvents(1, &ev, FALSE, LONG_MS, FALSE), WSA_WAIT_EVENT_0);
    expect_record_untouched(s, ev, FD_OOB);
    EXPECT_EQ("recv(MSG_OOB)", recv(s, buf, sizeof buf, MSG_OOB), 1);
    EXPECT_EQ("  the byte", buf[0], 'A');
    EXPECT_SELECT("  none left", s, "re", &no_wait, "");

    SECTION("select: with SO_OOBINLINE urgent data is readfds (test_select)");
    {
        /* A fresh pair: Linux returns an urgent byte already read with MSG_OOB once more
         * after SO_OOBINLINE is turned on (Wine's test works around it the same way). */
        SOCKET c2, s2;
        int one = 1;
        TCP_PAIR(&c2, &s2);
        EXPECT_EQ("SO_OOBINLINE",
                  setsockopt(s2, SOL_SOCKET, SO_OOBINLINE, (char *)&one, sizeof one), 0);
        EXPECT_EQ("send(MSG_OOB)", send(c2, "B", 1, MSG_OOB), 1);
        EXPECT_SELECT("inline urgent data (waiting on readfds)", s2, "r", &long_wait, "r");
        EXPECT_SELECT("  readfds, not exceptfds", s2, "re", &no_wait, "r");
        EXPECT_EQ("recv", recv(s2, buf, sizeof buf, 0), 1);
        EXPECT_EQ("  the byte, in line", buf[0], 'B');
        EXPECT_EQ("WSAPoll: in line, POLLRDNORM (test_WSAPoll)",
                  send(c2, "C", 1, MSG_OOB), 1);
        EXPECT_EQ("  waiting", poll_one(s2, POLLRDNORM | POLLRDBAND, LONG_MS), POLLRDNORM);
        closesocket(c2);
        closesocket(s2);
    }

    SECTION("select: the peer's FIN is readfds (test_select)");
    EXPECT_EQ("shutdown(c, SD_SEND)", shutdown(c, SD_SEND), 0);
    EXPECT_SELECT("FIN (waiting on readfds)", s, "r", &long_wait, "r");
    EXPECT_SELECT("  readfds and writefds", s, "rwe", &no_wait, "rw");
    EXPECT_EQ("recv: end of stream", recv(s, buf, sizeof buf, 0), 0);
    EXPECT_SELECT("  still readable", s, "r", &no_wait, "r");

    WSACloseEvent(ev);
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

static void test_select_connect_failed(void)
{
    SOCKADDR_IN addr;
    SOCKET holder, c;
    u_long on = 1;
    int err, len;

    SECTION("select: a failed non-blocking connect is exceptfds only, and stays (test_select)");
    holder = listener_at(&addr, 0); /* bound, not listening: connects are refused */
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("FIONBIO", ioctlsocket(c, FIONBIO, &on), 0);
    EXPECT_FAIL("non-blocking connect", connect(c, (SOCKADDR *)&addr, sizeof addr),
                SOCKET_ERROR, WSAEWOULDBLOCK);
    EXPECT_SELECT("refused (waiting on exceptfds)", c, "e", &long_wait, "e");
    EXPECT_SELECT("  exceptfds only", c, "rwe", &no_wait, "e");
    len = sizeof err;
    EXPECT_EQ("SO_ERROR", getsockopt(c, SOL_SOCKET, SO_ERROR, (char *)&err, &len), 0);
    EXPECT_EQ("  WSAECONNREFUSED", err, WSAECONNREFUSED);
    EXPECT_SELECT("  reported again", c, "rwe", &no_wait, "e");
    EXPECT_EQ("WSAPoll: POLLWRNORM | POLLHUP | POLLERR (test_WSAPoll, todo_wine)",
              poll_one(c, ALL_ASKABLE, 0), POLLWRNORM | POLLHUP | POLLERR);
    EXPECT_EQ("  POLLHUP | POLLERR even unasked (todo_wine)", poll_one(c, 0, 0), POLLHUP | POLLERR);
    closesocket(c);

    SECTION("select: after a failed blocking connect, exceptfds (test_select)");
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_FAIL("blocking connect", connect(c, (SOCKADDR *)&addr, sizeof addr), SOCKET_ERROR,
                WSAECONNREFUSED);
    EXPECT_SELECT("exceptfds only", c, "rwe", &no_wait, "e");
    EXPECT_EQ("WSAPoll (todo_wine)", poll_one(c, ALL_ASKABLE, 0), POLLWRNORM | POLLHUP | POLLERR);
    closesocket(c);
    closesocket(holder);
}

static void test_select_sets(void)
{
    SOCKET c, s;
    fd_set r, w;
    int ret;

    SECTION("select: the same socket twice counts once, the set keeps one entry (test_select)");
    TCP_PAIR(&c, &s);
    w.fd_count = 2;
    w.fd_array[0] = c;
    w.fd_array[1] = c;
    ret = select(0, NULL, &w, NULL, &no_wait);
    EXPECT_EQ("select", ret, 1);
    EXPECT_EQ("  fd_count", w.fd_count, 1);
    EXPECT_TRUE("  fd_array[0]", w.fd_array[0] == c);

    SECTION("select: one fd_set passed as readfds and writefds (test_select)");
    FD_ZERO(&r);
    FD_SET(c, &r);
    FD_SET(s, &r);
    EXPECT_EQ("both writable", select(0, &r, &r, NULL, &no_wait), 2);
    EXPECT_TRUE("  c", FD_ISSET(c, &r));
    EXPECT_TRUE("  s", FD_ISSET(s, &r));
    EXPECT_EQ("send", send(c, "test", 4, 0), 4);
    FD_ZERO(&r);
    FD_SET(s, &r);
    EXPECT_EQ("s readable (waiting)", select(0, &r, NULL, NULL, &long_wait), 1);
    FD_ZERO(&r);
    FD_SET(c, &r);
    FD_SET(s, &r);
    EXPECT_EQ("s readable and writable, c writable: 2 entries", select(0, &r, &r, NULL, &no_wait),
              2);
    EXPECT_EQ("  fd_count", r.fd_count, 2);
    closesocket(c);
    closesocket(s);
}

/* NULL timeval: blocks until ready. A thread connects once told to; the main thread
 * selects with no timeout on the listener. Whether the connection comes before or after
 * select starts, select must return 1 with the listener in readfds (never 0). */
static SOCKADDR_IN blocker_addr;
static WSAEVENT blocker_go;
static SOCKET blocker_client = INVALID_SOCKET;

static void *blocker_thread(void *arg)
{
    (void)arg;
    if (WSAWaitForMultipleEvents(1, &blocker_go, FALSE, LONG_MS, FALSE) == WSA_WAIT_EVENT_0) {
        blocker_client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        connect(blocker_client, (SOCKADDR *)&blocker_addr, sizeof blocker_addr);
    }
    return NULL;
}

static void test_blocking(void)
{
    SOCKET l;
    fd_set r;
    pthread_t t;
    WSAPOLLFD p;

    SECTION("select: a NULL timeval blocks until a socket is ready");
    l = LISTENER(&blocker_addr);
    blocker_go = WSACreateEvent();
    EXPECT_EQ("pthread_create", pthread_create(&t, NULL, blocker_thread, NULL), 0);
    FD_ZERO(&r);
    FD_SET(l, &r);
    WSASetEvent(blocker_go);
    EXPECT_EQ("select(NULL timeval)", select(0, &r, NULL, NULL, NULL), 1);
    EXPECT_TRUE("  the listener", FD_ISSET(l, &r));
    EXPECT_EQ("pthread_join", pthread_join(t, NULL), 0);
    closesocket(blocker_client);
    closesocket(l);

    SECTION("WSAPoll: a negative timeout blocks until a socket is ready");
    l = LISTENER(&blocker_addr);
    WSAResetEvent(blocker_go);
    EXPECT_EQ("pthread_create", pthread_create(&t, NULL, blocker_thread, NULL), 0);
    p.fd = l;
    p.events = POLLIN;
    WSASetEvent(blocker_go);
    EXPECT_EQ("WSAPoll(-1)", WSAPoll(&p, 1, -1), 1);
    EXPECT_EQ("  POLLRDNORM", p.revents, POLLRDNORM);
    EXPECT_EQ("pthread_join", pthread_join(t, NULL), 0);
    closesocket(blocker_client);
    closesocket(l);
    WSACloseEvent(blocker_go);
}

static void test_poll(void)
{
    static const short invalid_flags[] = {POLLERR, POLLHUP, POLLNVAL, 0x8, POLLWRBAND, 0x40,
                                          0x80, POLLPRI, 0x800, 0x1000, 0x2000, 0x4000,
                                          (short)0x8000};
    SOCKADDR_IN addr;
    SOCKET l, c, s;
    WSAPOLLFD fds[3];
    unsigned i;
    u_long on = 1;
    char buf[8];
    WSAEVENT ev;

    SECTION("WSAPoll: argument errors (test_WSAPoll)");
    EXPECT_FAIL("WSAPoll(NULL, 0)", WSAPoll(NULL, 0, 0), SOCKET_ERROR, WSAEINVAL);
    EXPECT_FAIL("WSAPoll(NULL, 1)", WSAPoll(NULL, 1, 0), SOCKET_ERROR, WSAEFAULT);
    l = LISTENER(&addr);
    for (i = 0; i < sizeof invalid_flags / sizeof invalid_flags[0]; i++) {
        fds[0].fd = l;
        fds[0].events = invalid_flags[i];
        fds[0].revents = (short)0x7ead;
        EXPECT_FAIL("events outside POLLRDNORM|POLLRDBAND|POLLWRNORM, POLLPRI too (todo_wine)",
                    WSAPoll(fds, 1, 0), SOCKET_ERROR, WSAEINVAL);
    }

    SECTION("WSAPoll: invalid entries get POLLNVAL and are not counted (test_WSAPoll)");
    fds[0].fd = l;
    fds[0].events = ALL_ASKABLE;
    fds[0].revents = (short)0x7ead;
    EXPECT_EQ("nothing pending", WSAPoll(fds, 1, 0), 0);
    EXPECT_EQ("  revents cleared", fds[0].revents, 0);
    fds[0].fd = INVALID_SOCKET;
    fds[0].events = POLLERR;
    fds[1].fd = l;
    fds[1].events = POLLIN;
    WSASetLastError(0);
    EXPECT_EQ("-1 and the listener", WSAPoll(fds, 2, 0), 0);
    EXPECT_EQ("  no error", WSAGetLastError(), 0);
    EXPECT_EQ("  -1: POLLNVAL", fds[0].revents, POLLNVAL);
    EXPECT_EQ("  listener: 0", fds[1].revents, 0);
    fds[0].fd = l;
    fds[0].events = POLLIN;
    fds[1].fd = 0xabacab;
    fds[1].events = POLLIN;
    EXPECT_EQ("the listener and a non-socket", WSAPoll(fds, 2, 0), 0);
    EXPECT_EQ("  non-socket: POLLNVAL", fds[1].revents, POLLNVAL);
    fds[1].events = POLLERR;
    EXPECT_FAIL("  a non-socket asking for POLLERR (todo_wine)", WSAPoll(fds, 2, 0), SOCKET_ERROR, WSAEINVAL);
    EXPECT_EQ("  revents 0", fds[0].revents, 0);
    EXPECT_EQ("  revents 0 (todo_wine)", fds[1].revents, 0);
    fds[0].fd = INVALID_SOCKET;
    fds[0].events = POLLERR;
    EXPECT_FAIL("no socket at all", WSAPoll(fds, 2, 0), SOCKET_ERROR, WSAENOTSOCK);
    EXPECT_EQ("  POLLNVAL", fds[0].revents, POLLNVAL);
    EXPECT_EQ("  POLLNVAL", fds[1].revents, POLLNVAL);

    SECTION("WSAPoll: a pending connection is POLLRDNORM on the listener (test_WSAPoll)");
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("FIONBIO", ioctlsocket(c, FIONBIO, &on), 0);
    EXPECT_FAIL("non-blocking connect", connect(c, (SOCKADDR *)&addr, sizeof addr),
                SOCKET_ERROR, WSAEWOULDBLOCK);
    EXPECT_EQ("waiting for it", poll_one(l, POLLIN, LONG_MS), POLLRDNORM);
    EXPECT_EQ("  again", poll_one(l, POLLIN, 0), POLLRDNORM);
    EXPECT_EQ("  not RDBAND or WRNORM", poll_one(l, POLLRDBAND | POLLWRNORM, 0), 0);
    s = accept(l, NULL, NULL);
    EXPECT_TRUE("accept", s != INVALID_SOCKET);
    EXPECT_EQ("connect completes: POLLWRNORM", poll_one(c, POLLWRNORM, LONG_MS), POLLWRNORM);
    fds[0].fd = l;
    fds[1].fd = s;
    fds[2].fd = c;
    for (i = 0; i < 3; i++) {
        fds[i].events = ALL_ASKABLE;
        fds[i].revents = (short)0x7ead;
    }
    EXPECT_EQ("listener, server, client", WSAPoll(fds, 3, 0), 2);
    EXPECT_EQ("  listener", fds[0].revents, 0);
    EXPECT_EQ("  server", fds[1].revents, POLLWRNORM);
    EXPECT_EQ("  client", fds[2].revents, POLLWRNORM);

    SECTION("WSAPoll: data POLLRDNORM, urgent data POLLRDBAND; rule 47");
    ev = WSACreateEvent();
    EXPECT_EQ("WSAEventSelect(c, READ | OOB)", WSAEventSelect(c, ev, FD_READ | FD_OOB), 0);
    EXPECT_EQ("send", send(s, "1234", 4, 0), 4);
    EXPECT_EQ("waiting for the data", poll_one(c, POLLRDNORM | POLLRDBAND, LONG_MS), POLLRDNORM);
    EXPECT_EQ("  with POLLWRNORM", poll_one(c, ALL_ASKABLE, 0), POLLRDNORM | POLLWRNORM);
    EXPECT_EQ("  the event", WSAWaitForMultipleEvents(1, &ev, FALSE, LONG_MS, FALSE),
              WSA_WAIT_EVENT_0);
    expect_record_untouched(c, ev, FD_READ);
    EXPECT_EQ("recv", recv(c, buf, sizeof buf, 0), 4);
    EXPECT_EQ("  drained", poll_one(c, ALL_ASKABLE, 0), POLLWRNORM);
    EXPECT_EQ("send(MSG_OOB)", send(s, "A", 1, MSG_OOB), 1);
    EXPECT_EQ("urgent data", poll_one(c, POLLRDNORM | POLLRDBAND, LONG_MS), POLLRDBAND);
    EXPECT_EQ("  with POLLWRNORM", poll_one(c, ALL_ASKABLE, 0), POLLRDBAND | POLLWRNORM);
    EXPECT_EQ("  the event", WSAWaitForMultipleEvents(1, &ev, FALSE, LONG_MS, FALSE),
              WSA_WAIT_EVENT_0);
    expect_record_untouched(c, ev, FD_OOB);
    EXPECT_EQ("recv(MSG_OOB)", recv(c, buf, sizeof buf, MSG_OOB), 1);
    EXPECT_EQ("  none left", poll_one(c, ALL_ASKABLE, 0), POLLWRNORM);
    WSACloseEvent(ev);

    SECTION("WSAPoll: the peer's FIN is POLLHUP, asked or not, RDNORM only with data");
    EXPECT_EQ("send", send(s, "data", 5, 0), 5);
    EXPECT_EQ("data first", poll_one(c, POLLRDNORM, LONG_MS), POLLRDNORM);
    EXPECT_EQ("shutdown(s, SD_SEND)", shutdown(s, SD_SEND), 0);
    EXPECT_EQ("FIN (events 0: POLLHUP only, todo_wine)", poll_one(c, 0, LONG_MS), POLLHUP);
    EXPECT_EQ("  with data queued (todo_wine)", poll_one(c, ALL_ASKABLE, 0),
              POLLWRNORM | POLLRDNORM | POLLHUP);
    EXPECT_EQ("  the sender: POLLWRNORM", poll_one(s, ALL_ASKABLE, 0), POLLWRNORM);
    EXPECT_EQ("recv", recv(c, buf, sizeof buf, 0), 5);
    EXPECT_EQ("  drained: no RDNORM for the FIN alone (test_WSAPoll)", poll_one(c, ALL_ASKABLE, 0),
              POLLWRNORM | POLLHUP);
    closesocket(c);
    closesocket(s);

    SECTION("WSAPoll: UDP (test_WSAPoll)");
    c = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    EXPECT_EQ("unbound: POLLWRNORM", poll_one(c, ALL_ASKABLE, 0), POLLWRNORM);
    {
        SOCKADDR_IN a;
        int len = sizeof a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ("bind", bind(c, (SOCKADDR *)&a, sizeof a), 0);
        EXPECT_EQ("getsockname", getsockname(c, (SOCKADDR *)&a, &len), 0);
        EXPECT_EQ("  bound: POLLWRNORM", poll_one(c, ALL_ASKABLE, 0), POLLWRNORM);
        EXPECT_EQ("sendto", sendto(s, "data", 5, 0, (SOCKADDR *)&a, sizeof a), 5);
    }
    EXPECT_EQ("a datagram", poll_one(c, POLLRDNORM, LONG_MS), POLLRDNORM);
    EXPECT_EQ("  with POLLWRNORM", poll_one(c, ALL_ASKABLE, 0), POLLRDNORM | POLLWRNORM);
    closesocket(c);
    closesocket(s);
    closesocket(l);
}

int main(void)
{
    WSADATA wsa;

    SECTION("before WSAStartup: WSANOTINITIALISED");
    {
        struct timeval tv = {0, 0};
        fd_set r;
        WSAPOLLFD p;
        FD_ZERO(&r);
        FD_SET((SOCKET)4, &r);
        EXPECT_FAIL("select", select(0, &r, NULL, NULL, &tv), SOCKET_ERROR, WSANOTINITIALISED);
        p.fd = 4;
        p.events = POLLIN;
        EXPECT_FAIL("WSAPoll", WSAPoll(&p, 1, 0), SOCKET_ERROR, WSANOTINITIALISED);
    }
    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    test_select_errors();
    test_select_states();
    test_select_connect_failed();
    test_select_sets();
    test_blocking();
    test_poll();
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    DONE();
}
