/*
 * sim_iocp_echo.c -- examples/c/iocp_echo.c, unchanged, on the simulated network: its
 * self-test (a completion-port echo server, four workers in GetQueuedCompletionStatus, and
 * blocking clients on their own threads with SO_RCVTIMEO) runs with every socket, port and
 * wait simulated, in virtual time. The clients' and workers' timeouts do not expire while
 * another thread is still running: virtual time moves only when every thread on the network
 * waits (docs/simulation.md, "Several threads on one network").
 */
#include <wsaevents_sim.h>

#define main iocp_echo_main
#include "../../examples/c/iocp_echo.c"
#undef main

int main(void)
{
    static char trace[1 << 22];
    char *argv[] = {"iocp_echo", "--selftest", "16", NULL};
    int rc;
    if (wsaevents_sim_start(17) != 0)
        return 1;
    rc = iocp_echo_main(3, argv);
    wsaevents_sim_trace(trace, sizeof trace);
    if (strstr(trace, " socket tcpv4") == NULL) {
        printf("sim_iocp_echo.c: no simulated socket in the trace\n");
        return 1;
    }
    printf("sim_iocp_echo.c: iocp_echo.c passed on the simulated network\n");
    return rc;
}
