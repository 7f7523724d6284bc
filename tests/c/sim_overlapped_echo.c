/*
 * sim_overlapped_echo.c -- examples/c/overlapped_echo.c, unchanged, on the simulated
 * network: its self-test (an overlapped echo server and its overlapped clients, all in one
 * WSAWaitForMultipleEvents loop) runs with every socket, OVERLAPPED and wait simulated, in
 * virtual time (issue 14). The process switches before the program's main runs.
 */
#include <wsaevents_sim.h>

#define main overlapped_echo_main
#include "../../examples/c/overlapped_echo.c"
#undef main

int main(void)
{
    static char trace[1 << 22];
    char *argv[] = {"overlapped_echo", "--selftest", "16", NULL};
    int rc;
    if (wsaevents_sim_start(5) != 0)
        return 1;
    rc = overlapped_echo_main(3, argv);
    wsaevents_sim_trace(trace, sizeof trace);
    if (strstr(trace, "WSARecv overlapped pending") == NULL) {
        printf("sim_overlapped_echo.c: no simulated overlapped receive in the trace\n");
        return 1;
    }
    printf("sim_overlapped_echo.c: overlapped_echo.c passed on the simulated network\n");
    return rc;
}
