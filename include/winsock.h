/*
 * winsock.h -- wsaevents (Linux/macOS): the Winsock 1 header name, mapped to winsock2.h.
 * On Windows (_WIN32) this header defers to the system's <winsock.h>.
 */
#ifndef WSAEVENTS_WINSOCK_H
#define WSAEVENTS_WINSOCK_H
#if defined(_WIN32)
#  include_next <winsock.h>
#else
#  include "winsock2.h"
#endif
#endif /* WSAEVENTS_WINSOCK_H */
