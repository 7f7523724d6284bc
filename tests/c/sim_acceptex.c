/*
 * sim_acceptex.c -- tests/c/acceptex.c, unchanged, on the simulated network: the process switches
 * to it before the program's own main runs (which calls WSAStartup), so every socket, event,
 * OVERLAPPED, completion routine, completion port and wait of acceptex.c is simulated, in
 * virtual time, and its every expectation (Windows' values, cited there) must hold on the
 * simulated network as on loopback (issue 14's conformance for overlapped I/O, for C).
 */
#include <wsaevents_sim.h>

#define main acceptex_main
#include "acceptex.c"
#undef main

int main(void)
{
    static char trace[1 << 22];
    int rc;
    if (wsaevents_sim_start(11) != 0)
        return 1;
    rc = acceptex_main();
    /* It did run on the simulated network, overlapped. */
    wsaevents_sim_trace(trace, sizeof trace);
    EXPECT_TRUE("simulated sockets", strstr(trace, " socket tcpv4") != NULL);
    EXPECT_TRUE("simulated overlapped operations", strstr(trace, " overlapped pending") != NULL);
    printf("sim_acceptex.c: acceptex.c passed on the simulated network\n");
    return rc;
}
