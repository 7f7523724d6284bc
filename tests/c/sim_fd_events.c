/*
 * sim_fd_events.c -- tests/c/fd_events.c, unchanged, on the simulated network: the process
 * switches to it before the program's own main runs (which calls WSAStartup), so every
 * socket, event and wait of fd_events.c is simulated, and its every expectation (Windows'
 * values, cited there) must hold on the simulated network as on loopback (issue 14's
 * conformance, for C).
 */
#include <wsaevents_sim.h>

#define main fd_events_main
#include "fd_events.c"
#undef main

int main(void)
{
    static char trace[1 << 22];
    int rc;
    if (wsaevents_sim_start(7) != 0)
        return 1;
    rc = fd_events_main();
    /* It did run on the simulated network. */
    wsaevents_sim_trace(trace, sizeof trace);
    EXPECT_TRUE("simulated sockets", strstr(trace, " socket tcpv4") != NULL);
    EXPECT_TRUE("simulated records", strstr(trace, "records FD_CLOSE(10053)") != NULL);
    printf("sim_fd_events.c: fd_events.c passed on the simulated network\n");
    return rc;
}
