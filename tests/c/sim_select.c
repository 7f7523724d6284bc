/*
 * sim_select.c -- tests/c/select.c, unchanged, on the simulated network: the process
 * switches to it before any Winsock call, so every socket, select and WSAPoll of select.c
 * is simulated, and its every expectation (Windows' values, cited there) must hold on the
 * simulated network as on loopback, its timeouts in virtual time (issue 14's conformance,
 * for C). Then what only the simulated network produces: a non-blocking connect to a host
 * that never answers fails after Windows' 21 s (SYN at 0, 3 s and 9 s; KB 2786464), which a
 * select reports in exceptfds (Wine's Windows-run test_select: a failed connect is
 * exceptfds only) and WSAPoll as POLLHUP | POLLERR (test_WSAPoll), all in virtual time.
 *
 * select.c's sections run one by one, all but test_blocking: its helper thread waits for a
 * "go" event with a 10 s timeout that, on the simulated network, can expire in virtual
 * time before the main thread sets the event (docs/simulation.md, "Several threads on one
 * network"), which would leave the main thread's select without timeout waiting for ever.
 * The blocking forms (a NULL timeval, WSAPoll's -1) are covered below, on one thread.
 */
#include <wsaevents_sim.h>

#define main select_main
#include "select.c"
#undef main

/* A non-blocking socket whose connect to 10.0.0.3:80 (the silent host) is in progress. */
static SOCKET connect_to_silent(void)
{
    SOCKADDR_IN a;
    u_long on = 1;
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(80);
    inet_pton(AF_INET, "10.0.0.3", &a.sin_addr);
    EXPECT_EQ("FIONBIO", ioctlsocket(c, FIONBIO, &on), 0);
    EXPECT_FAIL("non-blocking connect to the silent host",
                connect(c, (SOCKADDR *)&a, sizeof a), SOCKET_ERROR, WSAEWOULDBLOCK);
    return c;
}

static void test_sim_timed_out_connect(void)
{
    struct timeval five = {5, 0}, minute = {60, 0};
    SOCKET c;
    DWORD t0;
    int err, len;
    fd_set e;

    SECTION("sim: select with a timeout returns 0 at its virtual timeout, then exceptfds at 21 s");
    c = connect_to_silent();
    t0 = GetTickCount();
    EXPECT_SELECT("still connecting after 5 s", c, "rwe", &five, "");
    EXPECT_EQ("  5 s of virtual time", GetTickCount() - t0, 5000);
    EXPECT_SELECT("the connect times out (waiting on all sets)", c, "rwe", &minute, "e");
    EXPECT_EQ("  at 21 s", GetTickCount() - t0, 21000);
    len = sizeof err;
    EXPECT_EQ("SO_ERROR", getsockopt(c, SOL_SOCKET, SO_ERROR, (char *)&err, &len), 0);
    EXPECT_EQ("  WSAETIMEDOUT", err, WSAETIMEDOUT);
    EXPECT_SELECT("  reported again", c, "rwe", &no_wait, "e");
    EXPECT_EQ("WSAPoll: POLLWRNORM | POLLHUP | POLLERR", poll_one(c, ALL_ASKABLE, 0),
              POLLWRNORM | POLLHUP | POLLERR);
    closesocket(c);

    SECTION("sim: select with a NULL timeval blocks until the connect fails, 21 s later");
    c = connect_to_silent();
    t0 = GetTickCount();
    FD_ZERO(&e);
    FD_SET(c, &e);
    EXPECT_EQ("select(NULL timeval)", select(0, NULL, NULL, &e, NULL), 1);
    EXPECT_TRUE("  exceptfds", FD_ISSET(c, &e));
    EXPECT_EQ("  at 21 s", GetTickCount() - t0, 21000);
    closesocket(c);

    SECTION("sim: WSAPoll(-1) blocks until the connect fails: POLLHUP | POLLERR, unasked");
    c = connect_to_silent();
    t0 = GetTickCount();
    EXPECT_EQ("WSAPoll(2500 ms)", poll_one(c, POLLRDNORM, 2500), 0);
    EXPECT_EQ("  2.5 s of virtual time", GetTickCount() - t0, 2500);
    EXPECT_EQ("WSAPoll(-1)", poll_one(c, POLLRDNORM, -1), POLLHUP | POLLERR);
    EXPECT_EQ("  at 21 s", GetTickCount() - t0, 21000);
    closesocket(c);
}

int main(void)
{
    static char trace[1 << 22];
    WSADATA wsa;
    int silent;

    if (wsaevents_sim_start(9) != 0)
        return 1;
    silent = wsaevents_sim_add_host("silent", "10.0.0.3");
    EXPECT_TRUE("wsaevents_sim_add_host", silent > 0);
    EXPECT_EQ("wsaevents_sim_set_silent", wsaevents_sim_set_silent(silent, 1), 0);

    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    test_select_errors();
    test_select_states();
    test_select_connect_failed();
    test_select_sets();
    test_poll();
    test_sim_timed_out_connect();
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);

    /* It did run on the simulated network. */
    wsaevents_sim_trace(trace, sizeof trace);
    EXPECT_TRUE("simulated sockets", strstr(trace, " socket tcpv4") != NULL);
    EXPECT_TRUE("the refused connect", strstr(trace, "WSAECONNREFUSED") != NULL);
    printf("sim_select.c: select.c passed on the simulated network\n");
    DONE();
}
