/*
 * mswsock.h -- the Microsoft-specific Winsock extensions, for wsaevents (Linux/macOS).
 *
 * Programs include it next to winsock2.h for AcceptEx, GetAcceptExSockaddrs, ConnectEx,
 * DisconnectEx and the SO_UPDATE_*_CONTEXT options. They are exported by -lwsaevents under
 * their names and reachable through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) with their
 * WSAID_* GUIDs; TransmitFile, TransmitPackets, WSARecvMsg and WSASendMsg are not provided
 * (their GUIDs give WSAEINVAL; see docs/porting.md, "Completion ports and mswsock").
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

#ifdef __cplusplus
extern "C" {
#endif

#define SO_UPDATE_ACCEPT_CONTEXT 0x700B
#define SO_UPDATE_CONNECT_CONTEXT 0x7010
#define SO_CONNECT_TIME 0x700C

#define TF_DISCONNECT 0x01
#define TF_REUSE_SOCKET 0x02 /* DisconnectEx: WSAEOPNOTSUPP here (not provided) */
#define TF_WRITE_BEHIND 0x04
#define TF_USE_DEFAULT_WORKER 0x00
#define TF_USE_SYSTEM_THREAD 0x10
#define TF_USE_KERNEL_APC 0x20

#ifndef SIO_GET_EXTENSION_FUNCTION_POINTER
#  define SIO_GET_EXTENSION_FUNCTION_POINTER _WSAIORW(IOC_WS2, 6)
#endif

/* GUID initialisers, as Windows' mswsock.h spells them: GUID g = WSAID_ACCEPTEX; */
#define WSAID_ACCEPTEX {0xb5367df1, 0xcbac, 0x11cf, {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}}
#define WSAID_GETACCEPTEXSOCKADDRS \
    {0xb5367df2, 0xcbac, 0x11cf, {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}}
#define WSAID_CONNECTEX {0x25a207b9, 0xddf3, 0x4660, {0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e}}
#define WSAID_DISCONNECTEX \
    {0x7fda2e11, 0x8630, 0x436f, {0xa0, 0x31, 0xf5, 0x36, 0xa6, 0xee, 0xc1, 0x57}}
/* Not provided here (WSAIoctl gives WSAEINVAL for them): */
#define WSAID_TRANSMITFILE {0xb5367df0, 0xcbac, 0x11cf, {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}}
#define WSAID_TRANSMITPACKETS \
    {0xd9689da0, 0x1f90, 0x11d3, {0x99, 0x71, 0x00, 0xc0, 0x4f, 0x68, 0xc8, 0x76}}
#define WSAID_WSARECVMSG {0xf689d7c8, 0x6f1f, 0x436b, {0x8a, 0x53, 0xe5, 0x4f, 0xe3, 0x51, 0xc3, 0x22}}
#define WSAID_WSASENDMSG {0xa441e712, 0x754f, 0x43ca, {0x84, 0xa7, 0x0d, 0xee, 0x44, 0xcf, 0x60, 0x6d}}

/** AcceptEx: FALSE with ERROR_IO_PENDING (997); completes on lpOverlapped (its event, the
 *  listener's completion port) at the connection (dwReceiveDataLength 0) or with the first
 *  data. A connection already queued is taken at once: TRUE (the completion is still
 *  announced, as for any operation that succeeds at once). ERROR_INVALID_PARAMETER for a NULL lpOverlapped; WSAEFAULT for a NULL buffer or
 *  dwRemoteAddressLength 0; WSAEINVAL for a listener not listening or an accept socket
 *  that is bound, connected, UDP or already pending. An address length below
 *  sizeof(SOCKADDR_IN)+16 completes with ERROR_INSUFFICIENT_BUFFER at a connection, which
 *  stays queued. Closing either socket completes it with ERROR_OPERATION_ABORTED. */
BOOL WINAPI AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer,
                     DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
                     DWORD dwRemoteAddressLength, LPDWORD lpdwBytesReceived,
                     LPOVERLAPPED lpOverlapped);
/** GetAcceptExSockaddrs: points into the buffer AcceptEx filled; a block shorter than
 *  sizeof(SOCKADDR_IN)+16 leaves its out-parameters alone. */
void WINAPI GetAcceptExSockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                 DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                                 struct sockaddr **LocalSockaddr, LPINT LocalSockaddrLength,
                                 struct sockaddr **RemoteSockaddr, LPINT RemoteSockaddrLength);
/** ConnectEx: on a bound socket (WSAEINVAL otherwise); FALSE with ERROR_IO_PENDING, then
 *  completes once connected and lpSendBuffer sent, or with ERROR_CONNECTION_REFUSED. */
BOOL WINAPI ConnectEx(SOCKET s, const struct sockaddr *name, int namelen, PVOID lpSendBuffer,
                      DWORD dwSendDataLength, LPDWORD lpdwBytesSent, LPOVERLAPPED lpOverlapped);
/** DisconnectEx: shuts the sending side down; synchronous with a NULL lpOverlapped, else
 *  FALSE with ERROR_IO_PENDING. WSAENOTCONN unless connected; TF_REUSE_SOCKET is
 *  WSAEOPNOTSUPP here. */
BOOL WINAPI DisconnectEx(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags, DWORD dwReserved);

typedef BOOL(WINAPI *LPFN_ACCEPTEX)(SOCKET, SOCKET, PVOID, DWORD, DWORD, DWORD, LPDWORD,
                                    LPOVERLAPPED);
typedef void(WINAPI *LPFN_GETACCEPTEXSOCKADDRS)(PVOID, DWORD, DWORD, DWORD, struct sockaddr **,
                                                LPINT, struct sockaddr **, LPINT);
typedef BOOL(WINAPI *LPFN_CONNECTEX)(SOCKET, const struct sockaddr *, int, PVOID, DWORD,
                                     LPDWORD, LPOVERLAPPED);
typedef BOOL(WINAPI *LPFN_DISCONNECTEX)(SOCKET, LPOVERLAPPED, DWORD, DWORD);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* not a Windows toolchain */
#endif /* WSAEVENTS_MSWSOCK_H */
