/*
 * wsaevents_sim.h -- run an unchanged Winsock C program on a deterministic simulated
 * network (Linux/macOS; see docs/simulation.md).
 *
 * Call wsaevents_sim_start(seed) before WSAStartup: from then on every socket and event the
 * process creates belongs to the simulated network (host 0, "local": 10.0.0.1 and fd00::1,
 * plus the loopback addresses), waits and blocking calls run on its virtual clock, and
 * Sleep, GetTickCount, GetTickCount64 and QueryPerformanceCounter follow virtual time (an
 * hour after a fixed "boot" at the start). Place other hosts with wsaevents_sim_add_host
 * and run a thread on one with wsaevents_sim_enter (a scripted peer); script faults; read
 * the trace (every call with its result, every segment and fault, every FD_ bit recorded
 * with its error code, at virtual timestamps). The same seed gives the same trace.
 *
 * Every function returns 0 (or the documented value) on success and SOCKET_ERROR (-1) on
 * failure, with WSAGetLastError(): WSANOTINITIALISED before wsaevents_sim_start, WSAEFAULT
 * for a NULL string, WSAEINVAL for an unknown host number or a bad address.
 *
 * select() and WSAPoll() wait in virtual time too (a call mixing simulated and real
 * sockets fails WSAEINVAL); getaddrinfo, gethostbyname and getnameinfo know the hosts'
 * names (an unknown name is WSAHOST_NOT_FOUND). Overlapped I/O, completion routines
 * (SleepEx, alertable waits) and completion ports are simulated, in virtual time
 * (docs/simulation.md). Not simulated: DNS beyond the hosts' names.
 */
#ifndef WSAEVENTS_SIM_H
#define WSAEVENTS_SIM_H

#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER)
#  error "wsaevents_sim.h is for Linux/macOS only"
#endif

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Host 0, placed by wsaevents_sim_start. */
#define WSAEVENTS_SIM_LOCAL 0

/* Builds a network from seed (host 0 "local") and switches the process to it. */
int wsaevents_sim_start(unsigned long long seed);
/* Back to the real network for sockets and events created from now on. */
int wsaevents_sim_stop(void);
/* A host with comma-separated addresses ("10.0.0.2,fd00::2"); returns its number. */
int wsaevents_sim_add_host(const char *name, const char *addresses);
/* The calling thread runs on host from now on; -1: back to the process's host (0). */
int wsaevents_sim_enter(int host);

/* Faults. Hosts a and b name a link (both directions). */
int wsaevents_sim_set_latency(int a, int b, unsigned long long latency_us,
                              unsigned long long jitter_us);
int wsaevents_sim_set_loss(int a, int b, double probability);
int wsaevents_sim_partition(int a, int b);
int wsaevents_sim_repair(int a, int b);
int wsaevents_sim_hold(int a, int b);
int wsaevents_sim_release(int a, int b);
/* A host that never answers: a connect to it fails WSAETIMEDOUT after 21 s (virtual). */
int wsaevents_sim_set_silent(int host, int on);
/* No route: a connect fails WSAENETUNREACH. */
int wsaevents_sim_set_interface_down(int host, int down);
/* Calls on the host's sockets fail WSAENETDOWN; its connections get FD_CLOSE with it. */
int wsaevents_sim_fail_network(int host);
/* A router answers host-unreachable for ip: FD_CONNECT with WSAEHOSTUNREACH. */
int wsaevents_sim_set_unreachable(const char *ip);
/* Resets the connection from -> to ("10.0.0.2:80") after at_byte bytes from `from`. */
int wsaevents_sim_reset_stream_at(const char *from, const char *to, unsigned long long at_byte);

/* Virtual time since wsaevents_sim_start, in microseconds. */
unsigned long long wsaevents_sim_now_us(void);
/* Lets ms of virtual time pass, delivering what is scheduled meanwhile. */
int wsaevents_sim_run_for(unsigned long long ms);
/* Copies the trace into buf (NUL-terminated, cut to size - 1); returns its full length. */
size_t wsaevents_sim_trace(char *buf, size_t size);
/* Writes the trace to standard output. */
int wsaevents_sim_dump_trace(void);

#ifdef __cplusplus
}
#endif

#endif /* WSAEVENTS_SIM_H */
