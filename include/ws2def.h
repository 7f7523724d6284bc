/*
 * ws2def.h -- wsaevents (Linux/macOS). On Windows, ws2def.h holds the address families,
 * SOCKADDR and the socket-level constants that winsock2.h includes; here winsock2.h
 * defines them, so this header includes it.
 *
 * With a Windows toolchain (mingw-w64: __MINGW32__, Cygwin, MSVC: _MSC_VER) this header
 * defers to the system's <ws2def.h>.
 */
#ifndef WSAEVENTS_WS2DEF_H
#define WSAEVENTS_WS2DEF_H
#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER) /* a Windows toolchain */
#  include_next <ws2def.h>
#else
#  include "winsock2.h"
#endif
#endif /* WSAEVENTS_WS2DEF_H */
