/*
 * wsaevents_wsaext.h -- the extended WSA calls and options of wsaevents (Linux/macOS):
 * WSASocketA/W, WSARecv, WSASend, WSARecvFrom, WSASendTo (with WSABUF arrays, overlapped
 * with an event or a completion routine), WSAGetOverlappedResult, WSAAccept (with a condition function), WSAConnect, WSAIoctl (FIONBIO,
 * FIONREAD, SIOCATMARK, and SIO_KEEPALIVE_VALS with mstcpip.h's struct tcp_keepalive), and the
 * socket options SO_RCVTIMEO, SO_SNDTIMEO, SO_EXCLUSIVEADDRUSE, SO_ACCEPTCONN,
 * SO_BROADCAST, SO_DONTLINGER, IP_TTL, IPV6_V6ONLY.
 *
 * Internal to the wsaevents compat headers: included by winsock2.h (include <winsock2.h>
 * instead; <mstcpip.h> adds the keep-alive definitions).
 *
 * Overlapped I/O (docs/semantics.md, "Overlapped I/O"): with an lpOverlapped, a call that
 * completes at once returns 0 (its event set, its completion routine queued, as Windows);
 * otherwise SOCKET_ERROR with WSA_IO_PENDING, and the event is set (or the routine queued to
 * the issuing thread) when it completes. Starting one resets hEvent. An overlapped WSAIoctl
 * is provided for SIO_ADDRESS_LIST_CHANGE and SIO_ROUTING_INTERFACE_CHANGE only (pending
 * until the change); other codes fail WSAEOPNOTSUPP.
 */
#ifndef WSAEVENTS_WSAEXT_H
#define WSAEVENTS_WSAEXT_H

#if defined(_WIN32) && (defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER))
#  error "wsaevents_wsaext.h is for Linux/macOS only"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Socket options (Windows values) ------------------------------------------------------ */
#define SO_ACCEPTCONN 0x0002
#define SO_BROADCAST 0x0020
#define SO_DONTLINGER ((int)(~SO_LINGER))
#define SO_EXCLUSIVEADDRUSE ((int)(~SO_REUSEADDR))
#define SO_SNDTIMEO 0x1005
#define SO_RCVTIMEO 0x1006
#define IPPROTO_IPV6 41
#define IP_TTL 4
#define IPV6_V6ONLY 27

/* ---- WSASocket flags, recv flags, WSAAccept results ----------------------------------------- */
#define WSA_FLAG_OVERLAPPED 0x01
#define WSA_FLAG_NO_HANDLE_INHERIT 0x80
#define MSG_PARTIAL 0x8000
#define CF_ACCEPT 0x0000
#define CF_REJECT 0x0001
#define CF_DEFER 0x0002

/* ---- WSAIoctl codes ------------------------------------------------------------------------- */
#define IOC_UNIX 0x00000000
#define IOC_WS2 0x08000000
#define IOC_PROTOCOL 0x10000000
#define IOC_VENDOR 0x18000000
#define IOC_VOID 0x20000000
#define IOC_OUT 0x40000000
#define IOC_IN 0x80000000
#define IOC_INOUT (IOC_IN | IOC_OUT)
#define _WSAIO(x, y) (IOC_VOID | (x) | (y))
#define _WSAIOR(x, y) (IOC_OUT | (x) | (y))
#define _WSAIOW(x, y) (IOC_IN | (x) | (y))
#define _WSAIORW(x, y) (IOC_INOUT | (x) | (y))
/* The address-list and routing-interface ioctls (FD_ADDRESS_LIST_CHANGE,
 * FD_ROUTING_INTERFACE_CHANGE). */
#define SIO_ROUTING_INTERFACE_QUERY _WSAIORW(IOC_WS2, 20)
#define SIO_ROUTING_INTERFACE_CHANGE _WSAIOW(IOC_WS2, 21)
#define SIO_ADDRESS_LIST_QUERY _WSAIOR(IOC_WS2, 22)
#define SIO_ADDRESS_LIST_CHANGE _WSAIO(IOC_WS2, 23)
/* SIO_KEEPALIVE_VALS and struct tcp_keepalive come with <mstcpip.h>, as on Windows
 * (include/wsaevents_mstcpip.h). */

/* ---- Types ------------------------------------------------------------------------------------ */
typedef struct _WSABUF {
    ULONG len; /* ULONG: 32-bit, as on Windows */
    CHAR *buf;
} WSABUF, *LPWSABUF;

/* The output of SIO_ADDRESS_LIST_QUERY (ws2def.h): the pointers point into the same buffer. */
typedef struct _SOCKET_ADDRESS {
    struct sockaddr *lpSockaddr;
    INT iSockaddrLength;
} SOCKET_ADDRESS, *PSOCKET_ADDRESS, *LPSOCKET_ADDRESS;

typedef struct _SOCKET_ADDRESS_LIST {
    INT iAddressCount;
    SOCKET_ADDRESS Address[1];
} SOCKET_ADDRESS_LIST, *PSOCKET_ADDRESS_LIST, *LPSOCKET_ADDRESS_LIST;

typedef unsigned int GROUP;
typedef struct _QualityOfService QOS, *LPQOS; /* never read: QoS is not supported */

#ifndef GUID_DEFINED
#  define GUID_DEFINED
typedef struct _GUID {
    ULONG Data1;
    USHORT Data2;
    USHORT Data3;
    UCHAR Data4[8];
} GUID;
#endif

#include "wsaevents_overlapped.h" /* OVERLAPPED, HasOverlappedIoCompleted, CancelIoEx, ... */
typedef OVERLAPPED WSAOVERLAPPED, *LPWSAOVERLAPPED;
typedef void(CALLBACK *LPWSAOVERLAPPED_COMPLETION_ROUTINE)(DWORD dwError, DWORD cbTransferred,
                                                            LPWSAOVERLAPPED lpOverlapped,
                                                            DWORD dwFlags);

#define MAX_PROTOCOL_CHAIN 7
#define WSAPROTOCOL_LEN 255
typedef struct _WSAPROTOCOLCHAIN {
    int ChainLen;
    DWORD ChainEntries[MAX_PROTOCOL_CHAIN];
} WSAPROTOCOLCHAIN, *LPWSAPROTOCOLCHAIN;
typedef struct _WSAPROTOCOL_INFOA {
    DWORD dwServiceFlags1, dwServiceFlags2, dwServiceFlags3, dwServiceFlags4;
    DWORD dwProviderFlags;
    GUID ProviderId;
    DWORD dwCatalogEntryId;
    WSAPROTOCOLCHAIN ProtocolChain;
    int iVersion, iAddressFamily, iMaxSockAddr, iMinSockAddr, iSocketType, iProtocol;
    int iProtocolMaxOffset, iNetworkByteOrder, iSecurityScheme;
    DWORD dwMessageSize;
    DWORD dwProviderReserved;
    CHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOA, *LPWSAPROTOCOL_INFOA;
typedef struct _WSAPROTOCOL_INFOW {
    DWORD dwServiceFlags1, dwServiceFlags2, dwServiceFlags3, dwServiceFlags4;
    DWORD dwProviderFlags;
    GUID ProviderId;
    DWORD dwCatalogEntryId;
    WSAPROTOCOLCHAIN ProtocolChain;
    int iVersion, iAddressFamily, iMaxSockAddr, iMinSockAddr, iSocketType, iProtocol;
    int iProtocolMaxOffset, iNetworkByteOrder, iSecurityScheme;
    DWORD dwMessageSize;
    DWORD dwProviderReserved;
    WCHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOW, *LPWSAPROTOCOL_INFOW;
#ifdef UNICODE
typedef WSAPROTOCOL_INFOW WSAPROTOCOL_INFO;
typedef LPWSAPROTOCOL_INFOW LPWSAPROTOCOL_INFO;
#else
typedef WSAPROTOCOL_INFOA WSAPROTOCOL_INFO;
typedef LPWSAPROTOCOL_INFOA LPWSAPROTOCOL_INFO;
#endif

/* The WSAAccept condition function: return CF_ACCEPT or CF_REJECT. lpCallerId's buffer holds
 * the caller's SOCKADDR, lpCalleeId's the local one; the data buffers are empty, QoS NULL. */
typedef int(CALLBACK *LPCONDITIONPROC)(LPWSABUF lpCallerId, LPWSABUF lpCallerData, LPQOS lpSQOS,
                                       LPQOS lpGQOS, LPWSABUF lpCalleeId, LPWSABUF lpCalleeData,
                                       GROUP *g, DWORD_PTR dwCallbackData);

WSAEVENTS_STATIC_ASSERT(sizeof(GUID) == 16, "GUID is 16 bytes");
WSAEVENTS_STATIC_ASSERT(sizeof(OVERLAPPED) == 3 * sizeof(void *) + 8, "OVERLAPPED is 32 bytes on 64-bit");
WSAEVENTS_STATIC_ASSERT(sizeof(WSABUF) == 2 * sizeof(void *), "WSABUF is 16 bytes on 64-bit");

/* ---- Functions ---------------------------------------------------------------------------------- */

/**
 * WSASocketA / WSASocketW: socket() with flags. lpProtocolInfo must be NULL and g 0 (else
 * WSAEINVAL); dwFlags may hold WSA_FLAG_OVERLAPPED (accepted: overlapped calls are not
 * supported yet) and WSA_FLAG_NO_HANDLE_INHERIT; other flags are WSAEINVAL.
 */
SOCKET WSAAPI WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo,
                         GROUP g, DWORD dwFlags);
SOCKET WSAAPI WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                         GROUP g, DWORD dwFlags);
/**
 * WSARecv / WSARecvFrom: one receive scattered over the buffers, as recv / recvfrom.
 * dwBufferCount 0 is WSAEINVAL; NULL lpBuffers or lpFlags WSAEFAULT; *lpFlags takes
 * MSG_PEEK / MSG_OOB and is left as passed (MSG_PARTIAL is never reported: TCP and UDP are
 * not partial-message protocols). A non-NULL lpOverlapped is WSAEOPNOTSUPP; a completion
 * routine without one is ignored, as on Windows.
 */
int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                   LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                       LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, struct sockaddr *lpFrom,
                       LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
/** WSASend / WSASendTo: one send of the buffers gathered, as send / sendto. */
int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                   LPDWORD lpNumberOfBytesSent, DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
/** WSAGetOverlappedResult: TRUE with the bytes and flags; FALSE with WSA_IO_INCOMPLETE (996)
 *  while pending (fWait FALSE), WSAECONNRESET after a RST, WSA_OPERATION_ABORTED (995) when
 *  cancelled or closed, WSAENOTSOCK for a socket that is not open, WSAEFAULT for a NULL
 *  pointer. fWait waits (not alertably) until it completes. */
BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                   BOOL fWait, LPDWORD lpdwFlags);
int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                     LPDWORD lpNumberOfBytesSent, DWORD dwFlags, const struct sockaddr *lpTo,
                     int iTolen, LPWSAOVERLAPPED lpOverlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
/**
 * WSAAccept: accept, then (with a condition function) CF_ACCEPT keeps the connection and
 * CF_REJECT resets it and fails the call with WSAECONNREFUSED; any other value resets it
 * and fails with WSAEINVAL (CF_DEFER needs SO_CONDITIONAL_ACCEPT, which is not provided).
 */
SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
                        LPCONDITIONPROC lpfnCondition, DWORD_PTR dwCallbackData);
/** WSAConnect: connect; no connect data (lpCalleeData->len is set to 0) and no QoS. */
int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                      LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS);
/**
 * WSAIoctl: FIONBIO (4-byte input), FIONREAD and SIOCATMARK (4-byte output),
 * SIO_KEEPALIVE_VALS (a struct tcp_keepalive in), SIO_ADDRESS_LIST_QUERY (a
 * SOCKET_ADDRESS_LIST out; too small: WSAEFAULT with the size needed in *lpcbBytesReturned),
 * SIO_ADDRESS_LIST_CHANGE, SIO_ROUTING_INTERFACE_QUERY and SIO_ROUTING_INTERFACE_CHANGE (a
 * SOCKADDR in; the query's SOCKADDR out). The CHANGE ioctls on a non-blocking socket fail
 * WSAEWOULDBLOCK and the FD_ bit is recorded at the change; on a blocking one they return
 * at the change. A buffer too short is WSAEFAULT, a NULL
 * lpcbBytesReturned WSAEFAULT, another code WSAEOPNOTSUPP (*lpcbBytesReturned = 0), a
 * non-NULL lpOverlapped WSAEOPNOTSUPP.
 */
int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                    LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                    LPWSAOVERLAPPED lpOverlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

#ifdef UNICODE
#  define WSASocket WSASocketW
#else
#  define WSASocket WSASocketA
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WSAEVENTS_WSAEXT_H */
