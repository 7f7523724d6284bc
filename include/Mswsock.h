/*
 * mswsock.h -- the Microsoft-specific Winsock extensions, for wsaevents (Linux/macOS).
 *
 * Programs include it next to winsock2.h for AcceptEx, ConnectEx, TransmitFile and the
 * SO_*_CONTEXT options. The overlapped extensions are not provided yet (see
 * docs/porting.md): this header gives what winsock2.h gives, so that a program that
 * includes it without using those calls builds unchanged.
 *
 * With a Windows toolchain (mingw-w64: __MINGW32__, Cygwin, MSVC: _MSC_VER) this header
 * defers to the system's <mswsock.h>.
 */
#ifndef WSAEVENTS_MSWSOCK_H
#define WSAEVENTS_MSWSOCK_H

#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER) /* a Windows toolchain */
#  include_next <mswsock.h>
#else /* not a Windows toolchain (even with -D_WIN32) */

#include "winsock2.h"

#endif /* not a Windows toolchain */
#endif /* WSAEVENTS_MSWSOCK_H */
