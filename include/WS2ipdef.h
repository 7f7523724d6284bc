/*
 * ws2ipdef.h -- wsaevents (Linux/macOS). On Windows, ws2ipdef.h holds the IPv4/IPv6
 * structures and options that ws2tcpip.h includes; here winsock2.h and ws2tcpip.h define
 * them, so this header includes ws2tcpip.h.
 *
 * With a Windows toolchain (mingw-w64: __MINGW32__, Cygwin, MSVC: _MSC_VER) this header
 * defers to the system's <ws2ipdef.h>.
 */
#ifndef WSAEVENTS_WS2IPDEF_H
#define WSAEVENTS_WS2IPDEF_H
#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER) /* a Windows toolchain */
#  include_next <ws2ipdef.h>
#else
#  include "ws2tcpip.h"
#endif
#endif /* WSAEVENTS_WS2IPDEF_H */
