/*
 * wsaevents_mstcpip.h -- the mstcpip.h definitions of wsaevents (Linux/macOS):
 * SIO_KEEPALIVE_VALS and struct tcp_keepalive, the input of WSAIoctl(SIO_KEEPALIVE_VALS)
 * (times in milliseconds).
 *
 * Internal to the wsaevents compat headers: included by mstcpip.h (include <mstcpip.h>
 * instead). As on Windows, <winsock2.h> alone does not define them, so a program that
 * defines its own struct tcp_keepalive when SIO_KEEPALIVE_VALS is missing keeps working.
 */
#ifndef WSAEVENTS_MSTCPIP_DEFS_H
#define WSAEVENTS_MSTCPIP_DEFS_H

#include "winsock2.h"

#ifndef SIO_KEEPALIVE_VALS
#  define SIO_KEEPALIVE_VALS _WSAIOW(IOC_VENDOR, 4)
#endif

struct tcp_keepalive {
    ULONG onoff;             /* non-zero: keep-alive on */
    ULONG keepalivetime;     /* idle time before the first probe, ms */
    ULONG keepaliveinterval; /* time between probes, ms */
};

WSAEVENTS_STATIC_ASSERT(sizeof(struct tcp_keepalive) == 12, "tcp_keepalive is 12 bytes");

#endif /* WSAEVENTS_MSTCPIP_DEFS_H */
