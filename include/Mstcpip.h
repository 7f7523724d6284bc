/*
 * mstcpip.h -- the Microsoft-specific TCP/IP definitions, for wsaevents (Linux/macOS):
 * struct tcp_keepalive and SIO_KEEPALIVE_VALS (for WSAIoctl), plus what ws2tcpip.h gives.
 *
 * With a Windows toolchain (mingw-w64: __MINGW32__, Cygwin, MSVC: _MSC_VER) this header
 * defers to the system's <mstcpip.h>.
 */
#ifndef WSAEVENTS_MSTCPIP_H
#define WSAEVENTS_MSTCPIP_H

#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER) /* a Windows toolchain */
#  include_next <mstcpip.h>
#else /* not a Windows toolchain (even with -D_WIN32) */

#include "ws2tcpip.h"
#include "wsaevents_mstcpip.h"

#endif /* not a Windows toolchain */
#endif /* WSAEVENTS_MSTCPIP_H */
