/*
 * winsock.h -- wsaevents (Linux/macOS): the Winsock 1 header name, mapped to winsock2.h.
 * With a Windows toolchain (mingw-w64: __MINGW32__, Cygwin, MSVC: _MSC_VER) this header
 * defers to the system's <winsock.h>. Defining _WIN32 alone (-D_WIN32, to select a portable
 * program's Winsock branch on Linux/macOS) keeps this header.
 */
#ifndef WSAEVENTS_WINSOCK_H
#define WSAEVENTS_WINSOCK_H
#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER) /* a Windows toolchain */
#  include_next <winsock.h>
#else
#  include "winsock2.h"
#endif
#endif /* WSAEVENTS_WINSOCK_H */
