/*
 * sim_iocp.c -- tests/c/iocp.c, unchanged, on the simulated network: the process switches to
 * it before the program's own main runs, so its completion port, its pool of four workers
 * (each in GetQueuedCompletionStatus with a finite timeout while the main thread posts
 * 20,000 packets), its sockets and its waits are simulated, in virtual time. The workers'
 * timeouts do not expire while the main thread is still posting: virtual time moves only
 * when every thread on the network waits (docs/simulation.md, "Several threads on one
 * network").
 */
#include <wsaevents_sim.h>

#define main iocp_main
#include "iocp.c"
#undef main

int main(void)
{
    static char trace[1 << 22];
    int rc;
    if (wsaevents_sim_start(13) != 0)
        return 1;
    rc = iocp_main();
    /* It did run on the simulated network. */
    wsaevents_sim_trace(trace, sizeof trace);
    EXPECT_TRUE("simulated sockets", strstr(trace, " socket tcpv4") != NULL);
    printf("sim_iocp.c: iocp.c passed on the simulated network\n");
    return rc;
}
