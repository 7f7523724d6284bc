/*
 * ws2tcpip.h -- the WinSock 2 TCP/IP additions of wsaevents (Linux/macOS).
 *
 * Part of wsaevents. Gives socklen_t, INET_ADDRSTRLEN / INET6_ADDRSTRLEN and inet_pton /
 * inet_ntop with the Windows conventions (Windows AF values: AF_INET = 2, AF_INET6 = 23).
 * Like the other POSIX-named functions (see winsock2.h), inet_pton and inet_ntop are
 * exported as wsaevents_inet_pton / wsaevents_inet_ntop and mapped by an object-like macro
 * in C and by inline functions in C++.
 *
 * socklen_t is int, as on Windows -- unless the C library defined its own (unsigned)
 * socklen_t earlier in the translation unit (glibc's <unistd.h> does); then that one is
 * kept, since a second typedef would not compile.
 *
 * Other spellings (Ws2tcpip.h, WS2tcpip.h, ...) are generated copies of this file: see
 * scripts/header-spellings.txt.
 *
 * With a Windows toolchain (mingw-w64: __MINGW32__, Cygwin, MSVC: _MSC_VER) this header
 * defers to the system's <ws2tcpip.h>. Defining _WIN32 alone (-D_WIN32, to select a portable
 * program's Winsock branch on Linux/macOS) keeps this header.
 */
#ifndef WSAEVENTS_WS2TCPIP_H
#define WSAEVENTS_WS2TCPIP_H

#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER) /* a Windows toolchain */
#  if defined(_MSC_VER) && !defined(__clang__)
#    error "wsaevents/include is for Linux/macOS: do not put it on MSVC's include path"
#  endif
#  include_next <ws2tcpip.h>
#else /* not a Windows toolchain (even with -D_WIN32) */

#include "winsock2.h"

#if !defined(__socklen_t_defined) && !defined(_SOCKLEN_T) && !defined(__DEFINED_socklen_t)
typedef int socklen_t;
#  define __socklen_t_defined /* glibc's guard */
#  define _SOCKLEN_T          /* Apple's guard */
#  define __DEFINED_socklen_t /* musl's guard */
#endif

#define INET_ADDRSTRLEN 22
#define INET6_ADDRSTRLEN 65

#ifdef __cplusplus
extern "C" {
#endif

/**
 * inet_pton: 1 and the address in pAddrBuf; 0 if the string is not a valid address of that
 * family (last error unchanged); -1 with WSAEFAULT (NULL pointer) or WSAEAFNOSUPPORT
 * (Family not AF_INET/AF_INET6).
 */
INT WSAAPI wsaevents_inet_pton(INT Family, PCSTR pszAddrString, PVOID pAddrBuf);
/**
 * inet_ntop: pStringBuf, or NULL with WSAEAFNOSUPPORT (bad Family), WSAEFAULT (NULL pAddr)
 * or WSAEINVAL (NULL pStringBuf, or StringBufSize too small: Windows 7's code; current
 * Windows reports the raw NTSTATUS 0xC000000D there).
 */
PCSTR WSAAPI wsaevents_inet_ntop(INT Family, const VOID *pAddr, PSTR pStringBuf,
                                 size_t StringBufSize);

#ifdef __cplusplus
} /* extern "C" */
inline INT inet_pton(INT Family, PCSTR pszAddrString, PVOID pAddrBuf) { return wsaevents_inet_pton(Family, pszAddrString, pAddrBuf); }
inline PCSTR inet_ntop(INT Family, const VOID *pAddr, PSTR pStringBuf, size_t StringBufSize) { return wsaevents_inet_ntop(Family, pAddr, pStringBuf, StringBufSize); }
#else
#  define inet_pton wsaevents_inet_pton
#  define inet_ntop wsaevents_inet_ntop
#endif

#define InetPtonA inet_pton
#define InetNtopA inet_ntop

#define WSAEVENTS_RESOLVE_WANT_WS2TCPIP /* the ws2tcpip.h part of: */
#include "wsaevents_resolve.h"      /* addrinfo, getaddrinfo, getnameinfo, InetPtonW, ... */

#endif /* not a Windows toolchain */
#endif /* WSAEVENTS_WS2TCPIP_H */
