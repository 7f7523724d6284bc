/*
 * winsock2.h -- the Winsock 2 subset of wsaevents (Linux/macOS).
 *
 * Part of wsaevents: the Winsock event model (WSAEventSelect, WSAEnumNetworkEvents,
 * WSAWaitForMultipleEvents) with Windows' exact semantics on Linux and macOS. A Winsock
 * program builds unchanged with
 *
 *     cc  prog.c   -I<repo>/include -L<repo>/target/release -lwsaevents
 *     c++ prog.cpp -I<repo>/include -L<repo>/target/release -lwsaevents
 *
 * (with the static library, add -lpthread -ldl -lm on Linux).
 *
 * Types have the Windows layouts (SOCKADDR_IN with a 16-bit family, in_addr with its S_un
 * union, 28-byte sockaddr_in6, 44-byte WSANETWORKEVENTS, WSADATA as on Win64), and the
 * constants have the Windows values (AF_INET6 = 23, SOL_SOCKET = 0xffff, FIONBIO =
 * 0x8004667E, ...): the library converts at the system boundary.
 *
 * Names shared with POSIX
 * -----------------------
 * socket, bind, listen, accept, connect, recv, send, recvfrom, sendto, shutdown, getsockopt,
 * setsockopt, getsockname, getpeername, htons, htonl, ntohs, ntohl, inet_addr (and
 * inet_pton / inet_ntop in ws2tcpip.h) are exported by the library as wsaevents_<name>, so
 * that they never interpose the C library's functions (which the library itself, Rust's
 * standard library and every other library in the process keep using).
 *
 *   - In C, the header maps each name with an OBJECT-LIKE macro, `#define connect
 *     wsaevents_connect`. Object-like, not function-like, so that every use of the name is
 *     mapped: `connect(s, a, n)`, but also `&connect` or `fp = connect` taken as a function
 *     pointer. A function-like macro would leave those bound to libc's connect, which would
 *     then be called with a SOCKET handle: wrong silently, at run time. The price: the
 *     token is renamed everywhere after the include, e.g. a struct member named `send` is
 *     renamed too (consistently within the translation unit, so harmless unless a global
 *     function named like this is shared with a translation unit built without this
 *     header).
 *   - In C++, there are no macros: the names are inline functions in the global namespace
 *     that call wsaevents_<name>. They are C++ functions (C++ linkage), so they cannot
 *     interpose libc either, `&::connect` works, and -- as on Windows -- std::bind,
 *     member functions named send/connect, etc. are left alone.
 *
 * Unsupported: including POSIX socket headers (<sys/socket.h>, <netinet/in.h>,
 * <arpa/inet.h>, <netdb.h>) in the same translation unit. They declare their own
 * sockaddr/in_addr and the same function names with other types. Other C library headers
 * (<stdio.h>, <stdlib.h>, <string.h>, <unistd.h>, <pthread.h>, <time.h>, ...) are fine, in
 * either order.
 *
 * select, fd_set (FD_SET, FD_CLR, FD_ISSET, FD_ZERO, FD_SETSIZE), timeval and WSAPoll are
 * Winsock's, in either include order: see wsaevents_select.h. The extended WSA calls
 * (WSASocket, WSARecv, WSASend, WSAIoctl, ...) are provided without the overlapped API:
 * wsaevents_wsaext.h.
 *
 * Name resolution (getaddrinfo, gethostbyname, ...): wsaevents_resolve.h.
 *
 * Not provided: the overlapped API, WSAAsyncSelect. Socket options and ioctl codes outside the
 * supported list are deliberately not defined, so their use fails at compile time rather
 * than at run time.
 *
 * Event functions without WSAStartup: as on Windows (where they are thin kernel32
 * wrappers), WSACreateEvent, WSACloseEvent, WSASetEvent, WSAResetEvent,
 * WSAWaitForMultipleEvents, WSAGetLastError and WSASetLastError work before WSAStartup and
 * after WSACleanup. Socket functions fail with WSANOTINITIALISED then.
 *
 * With a Windows toolchain (mingw-w64: __MINGW32__, Cygwin, MSVC: _MSC_VER) this header
 * defers to the system's <winsock2.h>. Defining _WIN32 alone (-D_WIN32, to select a portable
 * program's Winsock branch on Linux/macOS) keeps this header.
 */
#ifndef WSAEVENTS_WINSOCK2_H
#define WSAEVENTS_WINSOCK2_H

#if defined(__MINGW32__) || defined(__CYGWIN__) || defined(_MSC_VER) /* a Windows toolchain */
#  if defined(_MSC_VER) && !defined(__clang__)
#    error "wsaevents/include is for Linux/macOS: do not put it on MSVC's include path"
#  endif
#  include_next <winsock2.h>
#else /* not a Windows toolchain (even with -D_WIN32) */

/* The real winsock2.h includes windows.h; ours needs its types. Lean, to avoid a cycle. */
#ifndef WIN32_LEAN_AND_MEAN
#  define WIN32_LEAN_AND_MEAN
#  define WSAEVENTS_UNDEF_LEAN
#endif
#include "windows.h"
#ifdef WSAEVENTS_UNDEF_LEAN
#  undef WIN32_LEAN_AND_MEAN
#  undef WSAEVENTS_UNDEF_LEAN
#endif

/* Also satisfies code that tests the Windows include guards. */
#ifndef _WINSOCK2API_
#  define _WINSOCK2API_
#endif
#ifndef _WINSOCKAPI_
#  define _WINSOCKAPI_
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Types -------------------------------------------------------------------------- */

typedef UINT_PTR SOCKET;
typedef USHORT ADDRESS_FAMILY;
typedef HANDLE WSAEVENT;
typedef WSAEVENT *LPWSAEVENT;

#define INVALID_SOCKET ((SOCKET)(~0))
#define SOCKET_ERROR (-1)

#define WSADESCRIPTION_LEN 256
#define WSASYS_STATUS_LEN 128

/* WSADATA: the Win64 field order (Win32 on 32-bit targets). */
typedef struct WSAData {
    WORD wVersion;
    WORD wHighVersion;
#if UINTPTR_MAX > 0xFFFFFFFFu
    unsigned short iMaxSockets;
    unsigned short iMaxUdpDg;
    char *lpVendorInfo;
    char szDescription[WSADESCRIPTION_LEN + 1];
    char szSystemStatus[WSASYS_STATUS_LEN + 1];
#else
    char szDescription[WSADESCRIPTION_LEN + 1];
    char szSystemStatus[WSASYS_STATUS_LEN + 1];
    unsigned short iMaxSockets;
    unsigned short iMaxUdpDg;
    char *lpVendorInfo;
#endif
} WSADATA, *LPWSADATA;

struct sockaddr {
    u_short sa_family;
    CHAR sa_data[14];
};
typedef struct sockaddr SOCKADDR, *PSOCKADDR, *LPSOCKADDR;

struct in_addr {
    union {
        struct {
            UCHAR s_b1, s_b2, s_b3, s_b4;
        } S_un_b;
        struct {
            USHORT s_w1, s_w2;
        } S_un_w;
        ULONG S_addr;
    } S_un;
};
typedef struct in_addr IN_ADDR, *PIN_ADDR, *LPIN_ADDR;
#define s_addr S_un.S_addr
#define s_host S_un.S_un_b.s_b2
#define s_net S_un.S_un_b.s_b1
#define s_imp S_un.S_un_w.s_w2
#define s_impno S_un.S_un_b.s_b4
#define s_lh S_un.S_un_b.s_b3

struct sockaddr_in {
    ADDRESS_FAMILY sin_family;
    USHORT sin_port;
    struct in_addr sin_addr;
    CHAR sin_zero[8];
};
typedef struct sockaddr_in SOCKADDR_IN, *PSOCKADDR_IN, *LPSOCKADDR_IN;

struct in6_addr {
    union {
        UCHAR Byte[16];
        USHORT Word[8];
    } u;
};
typedef struct in6_addr IN6_ADDR, *PIN6_ADDR, *LPIN6_ADDR;
#define in_addr6 in6_addr
#define _S6_un u
#define _S6_u8 Byte
#define s6_addr _S6_un._S6_u8
#define s6_bytes u.Byte
#define s6_words u.Word

struct sockaddr_in6 {
    ADDRESS_FAMILY sin6_family;
    USHORT sin6_port;
    ULONG sin6_flowinfo;
    struct in6_addr sin6_addr;
    ULONG sin6_scope_id;
};
typedef struct sockaddr_in6 SOCKADDR_IN6, *PSOCKADDR_IN6, *LPSOCKADDR_IN6;
typedef struct sockaddr_in6 SOCKADDR_IN6_LH, *PSOCKADDR_IN6_LH;

#define _SS_MAXSIZE 128
#define _SS_ALIGNSIZE (sizeof(int64_t))
#define _SS_PAD1SIZE (_SS_ALIGNSIZE - sizeof(USHORT))
#define _SS_PAD2SIZE (_SS_MAXSIZE - (sizeof(USHORT) + _SS_PAD1SIZE + _SS_ALIGNSIZE))
struct sockaddr_storage {
    ADDRESS_FAMILY ss_family;
    CHAR __ss_pad1[_SS_PAD1SIZE];
    int64_t __ss_align;
    CHAR __ss_pad2[_SS_PAD2SIZE];
};
typedef struct sockaddr_storage SOCKADDR_STORAGE, *PSOCKADDR_STORAGE, *LPSOCKADDR_STORAGE;

struct linger {
    u_short l_onoff;
    u_short l_linger;
};
typedef struct linger LINGER, *PLINGER, *LPLINGER;

#define FD_MAX_EVENTS 10
typedef struct _WSANETWORKEVENTS {
    LONG lNetworkEvents; /* LONG: 32-bit, as on Windows (plain long is 64-bit here) */
    int iErrorCode[FD_MAX_EVENTS];
} WSANETWORKEVENTS, *LPWSANETWORKEVENTS;

#ifndef __cplusplus
/* C++ names the struct tags directly; give C the same spelling (harmless in C). */
typedef struct sockaddr sockaddr;
typedef struct sockaddr_in sockaddr_in;
typedef struct sockaddr_in6 sockaddr_in6;
typedef struct sockaddr_storage sockaddr_storage;
typedef struct in_addr in_addr;
typedef struct in6_addr in6_addr;
typedef struct linger linger;
#endif

WSAEVENTS_STATIC_ASSERT(sizeof(WSANETWORKEVENTS) == 44, "WSANETWORKEVENTS is 44 bytes (B.4)");
WSAEVENTS_STATIC_ASSERT(sizeof(struct sockaddr) == 16, "sockaddr is 16 bytes");
WSAEVENTS_STATIC_ASSERT(sizeof(struct sockaddr_in) == 16, "sockaddr_in is 16 bytes");
WSAEVENTS_STATIC_ASSERT(sizeof(struct in_addr) == 4, "in_addr is 4 bytes");
WSAEVENTS_STATIC_ASSERT(sizeof(struct in6_addr) == 16, "in6_addr is 16 bytes");
WSAEVENTS_STATIC_ASSERT(sizeof(struct sockaddr_in6) == 28, "sockaddr_in6 is 28 bytes");
WSAEVENTS_STATIC_ASSERT(sizeof(struct sockaddr_storage) == 128, "sockaddr_storage is 128 bytes");
WSAEVENTS_STATIC_ASSERT(sizeof(struct linger) == 4, "linger is 4 bytes");
WSAEVENTS_STATIC_ASSERT(sizeof(SOCKET) == sizeof(void *), "SOCKET is UINT_PTR");
#if UINTPTR_MAX > 0xFFFFFFFFu
WSAEVENTS_STATIC_ASSERT(sizeof(WSADATA) == 408, "WSADATA is 408 bytes on 64-bit");
#else
WSAEVENTS_STATIC_ASSERT(sizeof(WSADATA) == 400, "WSADATA is 400 bytes on 32-bit");
#endif

/* ---- Versions ------------------------------------------------------------------------- */
#define WINSOCK_VERSION MAKEWORD(2, 2)

/* ---- FD_* network events (B.3) -------------------------------------------------------- */
#define FD_READ_BIT 0
#define FD_READ (1 << FD_READ_BIT)
#define FD_WRITE_BIT 1
#define FD_WRITE (1 << FD_WRITE_BIT)
#define FD_OOB_BIT 2
#define FD_OOB (1 << FD_OOB_BIT)
#define FD_ACCEPT_BIT 3
#define FD_ACCEPT (1 << FD_ACCEPT_BIT)
#define FD_CONNECT_BIT 4
#define FD_CONNECT (1 << FD_CONNECT_BIT)
#define FD_CLOSE_BIT 5
#define FD_CLOSE (1 << FD_CLOSE_BIT)
#define FD_QOS_BIT 6
#define FD_QOS (1 << FD_QOS_BIT)
#define FD_GROUP_QOS_BIT 7
#define FD_GROUP_QOS (1 << FD_GROUP_QOS_BIT)
#define FD_ROUTING_INTERFACE_CHANGE_BIT 8
#define FD_ROUTING_INTERFACE_CHANGE (1 << FD_ROUTING_INTERFACE_CHANGE_BIT)
#define FD_ADDRESS_LIST_CHANGE_BIT 9
#define FD_ADDRESS_LIST_CHANGE (1 << FD_ADDRESS_LIST_CHANGE_BIT)
#define FD_ALL_EVENTS ((1 << FD_MAX_EVENTS) - 1)

#define WSAMAKESELECTREPLY(event, error) MAKELONG(event, error)
#define WSAGETSELECTEVENT(lParam) LOWORD(lParam)
#define WSAGETSELECTERROR(lParam) HIWORD(lParam)

/* ---- Event and wait constants (B.3) ------------------------------------------------------ */
#define WSA_INVALID_EVENT ((WSAEVENT)0)
#define WSA_MAXIMUM_WAIT_EVENTS (MAXIMUM_WAIT_OBJECTS)
#define WSA_WAIT_FAILED (WAIT_FAILED)
#define WSA_WAIT_EVENT_0 (WAIT_OBJECT_0)
#define WSA_WAIT_IO_COMPLETION (WAIT_IO_COMPLETION)
#define WSA_WAIT_TIMEOUT (WAIT_TIMEOUT)
#define WSA_INFINITE (INFINITE)

#define WSA_IO_PENDING (ERROR_IO_PENDING)
#define WSA_IO_INCOMPLETE (ERROR_IO_INCOMPLETE)
#define WSA_INVALID_HANDLE (ERROR_INVALID_HANDLE)
#define WSA_INVALID_PARAMETER (ERROR_INVALID_PARAMETER)
#define WSA_NOT_ENOUGH_MEMORY (ERROR_NOT_ENOUGH_MEMORY)
#define WSA_OPERATION_ABORTED (ERROR_OPERATION_ABORTED)

/* ---- Winsock error codes (B.3; winerror.h / winsock2.h) ---------------------------------- */
#define WSABASEERR 10000
#define WSAEINTR (WSABASEERR + 4)
#define WSAEBADF (WSABASEERR + 9)
#define WSAEACCES (WSABASEERR + 13)
#define WSAEFAULT (WSABASEERR + 14)
#define WSAEINVAL (WSABASEERR + 22)
#define WSAEMFILE (WSABASEERR + 24)
#define WSAEWOULDBLOCK (WSABASEERR + 35)
#define WSAEINPROGRESS (WSABASEERR + 36)
#define WSAEALREADY (WSABASEERR + 37)
#define WSAENOTSOCK (WSABASEERR + 38)
#define WSAEDESTADDRREQ (WSABASEERR + 39)
#define WSAEMSGSIZE (WSABASEERR + 40)
#define WSAEPROTOTYPE (WSABASEERR + 41)
#define WSAENOPROTOOPT (WSABASEERR + 42)
#define WSAEPROTONOSUPPORT (WSABASEERR + 43)
#define WSAESOCKTNOSUPPORT (WSABASEERR + 44)
#define WSAEOPNOTSUPP (WSABASEERR + 45)
#define WSAEPFNOSUPPORT (WSABASEERR + 46)
#define WSAEAFNOSUPPORT (WSABASEERR + 47)
#define WSAEADDRINUSE (WSABASEERR + 48)
#define WSAEADDRNOTAVAIL (WSABASEERR + 49)
#define WSAENETDOWN (WSABASEERR + 50)
#define WSAENETUNREACH (WSABASEERR + 51)
#define WSAENETRESET (WSABASEERR + 52)
#define WSAECONNABORTED (WSABASEERR + 53)
#define WSAECONNRESET (WSABASEERR + 54)
#define WSAENOBUFS (WSABASEERR + 55)
#define WSAEISCONN (WSABASEERR + 56)
#define WSAENOTCONN (WSABASEERR + 57)
#define WSAESHUTDOWN (WSABASEERR + 58)
#define WSAETOOMANYREFS (WSABASEERR + 59)
#define WSAETIMEDOUT (WSABASEERR + 60)
#define WSAECONNREFUSED (WSABASEERR + 61)
#define WSAELOOP (WSABASEERR + 62)
#define WSAENAMETOOLONG (WSABASEERR + 63)
#define WSAEHOSTDOWN (WSABASEERR + 64)
#define WSAEHOSTUNREACH (WSABASEERR + 65)
#define WSAENOTEMPTY (WSABASEERR + 66)
#define WSAEPROCLIM (WSABASEERR + 67)
#define WSAEUSERS (WSABASEERR + 68)
#define WSAEDQUOT (WSABASEERR + 69)
#define WSAESTALE (WSABASEERR + 70)
#define WSAEREMOTE (WSABASEERR + 71)
#define WSASYSNOTREADY (WSABASEERR + 91)
#define WSAVERNOTSUPPORTED (WSABASEERR + 92)
#define WSANOTINITIALISED (WSABASEERR + 93)
#define WSAEDISCON (WSABASEERR + 101)
#define WSAENOMORE (WSABASEERR + 102)
#define WSAECANCELLED (WSABASEERR + 103)
#define WSAEINVALIDPROCTABLE (WSABASEERR + 104)
#define WSAEINVALIDPROVIDER (WSABASEERR + 105)
#define WSAEPROVIDERFAILEDINIT (WSABASEERR + 106)
#define WSASYSCALLFAILURE (WSABASEERR + 107)
#define WSASERVICE_NOT_FOUND (WSABASEERR + 108)
#define WSATYPE_NOT_FOUND (WSABASEERR + 109)
#define WSA_E_NO_MORE (WSABASEERR + 110)
#define WSA_E_CANCELLED (WSABASEERR + 111)
#define WSAEREFUSED (WSABASEERR + 112)
#define WSAHOST_NOT_FOUND (WSABASEERR + 1001)
#define WSATRY_AGAIN (WSABASEERR + 1002)
#define WSANO_RECOVERY (WSABASEERR + 1003)
#define WSANO_DATA (WSABASEERR + 1004)

/* ---- Address families, socket types, protocols (Windows values) ------------------------- */
#define AF_UNSPEC 0
#define AF_INET 2
#define AF_INET6 23 /* Linux: 10, macOS: 30 -- the library converts */
#define PF_UNSPEC AF_UNSPEC
#define PF_INET AF_INET
#define PF_INET6 AF_INET6

#define SOCK_STREAM 1
#define SOCK_DGRAM 2

#define IPPROTO_IP 0
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

#define INADDR_ANY ((ULONG)0x00000000)
#define INADDR_LOOPBACK ((ULONG)0x7f000001)
#define INADDR_BROADCAST ((ULONG)0xffffffff)
#define INADDR_NONE 0xffffffff

#define SOMAXCONN 0x7fffffff

/* ---- shutdown, send/recv flags ------------------------------------------------------------ */
#define SD_RECEIVE 0x00
#define SD_SEND 0x01
#define SD_BOTH 0x02

#define MSG_OOB 0x1
#define MSG_PEEK 0x2

/* ---- ioctlsocket commands (Windows values; 32-bit) --------------------------------------- */
#define FIONREAD 0x4004667Fu
#define FIONBIO 0x8004667Eu
#define SIOCATMARK 0x40047307u

/* ---- Socket options ------------------------------------------------------------------------ */
#define SOL_SOCKET 0xffff
#define SO_REUSEADDR 0x0004
#define SO_KEEPALIVE 0x0008
#define SO_LINGER 0x0080
#define SO_OOBINLINE 0x0100
#define SO_SNDBUF 0x1001
#define SO_RCVBUF 0x1002
#define SO_ERROR 0x1007
#define SO_TYPE 0x1008
#define TCP_NODELAY 0x0001

/* ---- Functions: setup and errors ------------------------------------------------------------ */

/** WSAStartup: 0, or the error code (WSAVERNOTSUPPORTED, WSAEFAULT); ref-counted. */
int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData);
/** WSACleanup: 0, or SOCKET_ERROR with WSANOTINITIALISED. */
int WSAAPI WSACleanup(void);
/** WSAGetLastError / WSASetLastError: the per-thread last error (same as GetLastError). */
int WSAAPI WSAGetLastError(void);
void WSAAPI WSASetLastError(int iError);

/* ---- Functions: event objects and waits ------------------------------------------------------ */

/** WSACreateEvent: a manual-reset, unsignalled event, or WSA_INVALID_EVENT. */
WSAEVENT WSAAPI WSACreateEvent(void);
/** WSACloseEvent / WSASetEvent / WSAResetEvent: TRUE, or FALSE with WSA_INVALID_HANDLE. */
BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent);
BOOL WSAAPI WSASetEvent(WSAEVENT hEvent);
BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent);
/**
 * WSAWaitForMultipleEvents: WaitForMultipleObjectsEx (B.2). WSA_WAIT_EVENT_0 + lowest
 * signalled index, WSA_WAIT_TIMEOUT, or WSA_WAIT_FAILED with WSA_INVALID_PARAMETER (count 0
 * or > 64; a NULL array -- Windows faults there; duplicates with fWaitAll) or
 * WSA_INVALID_HANDLE. With fAlertable TRUE, a wait no event satisfies runs the thread's
 * queued completion routines and APCs and returns WSA_WAIT_IO_COMPLETION (0xC0).
 */
DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents, BOOL fWaitAll,
                                      DWORD dwTimeout, BOOL fAlertable);
/** WSAEventSelect: 0 or SOCKET_ERROR. lNetworkEvents is a 32-bit LONG, as on Windows. */
int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents);
/** WSAEnumNetworkEvents: 0 or SOCKET_ERROR. */
int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject,
                                LPWSANETWORKEVENTS lpNetworkEvents);

/* ---- Functions: sockets with Windows-only names ----------------------------------------------- */

/** closesocket: 0 or SOCKET_ERROR. */
int WSAAPI closesocket(SOCKET s);
/**
 * ioctlsocket: FIONBIO, FIONREAD, SIOCATMARK. argp is a u_long *, Windows' 32-bit u_long
 * (as ULONG and DWORD): the library reads and writes exactly 4 bytes through it. Programs
 * also pass an unsigned long, 64-bit here: in C a _Generic dispatch (C11; GNU builtins
 * before) and in C++ an overload send that to wsaevents_ioctlsocket_ul, which reads and
 * writes the whole unsigned long. &ioctlsocket is the u_long function, as on Windows.
 */
int WSAAPI ioctlsocket(SOCKET s, LONG cmd, u_long *argp);
int WSAAPI wsaevents_ioctlsocket_ul(SOCKET s, LONG cmd, unsigned long *argp);

/* ---- Functions whose names POSIX also has: exported as wsaevents_<name> ----------------------- */

SOCKET WSAAPI wsaevents_socket(int af, int type, int protocol);
int WSAAPI wsaevents_bind(SOCKET s, const struct sockaddr *name, int namelen);
int WSAAPI wsaevents_listen(SOCKET s, int backlog);
SOCKET WSAAPI wsaevents_accept(SOCKET s, struct sockaddr *addr, int *addrlen);
int WSAAPI wsaevents_connect(SOCKET s, const struct sockaddr *name, int namelen);
int WSAAPI wsaevents_recv(SOCKET s, char *buf, int len, int flags);
int WSAAPI wsaevents_send(SOCKET s, const char *buf, int len, int flags);
int WSAAPI wsaevents_recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from,
                              int *fromlen);
int WSAAPI wsaevents_sendto(SOCKET s, const char *buf, int len, int flags,
                            const struct sockaddr *to, int tolen);
int WSAAPI wsaevents_shutdown(SOCKET s, int how);
int WSAAPI wsaevents_getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen);
int WSAAPI wsaevents_setsockopt(SOCKET s, int level, int optname, const char *optval,
                                int optlen);
int WSAAPI wsaevents_getsockname(SOCKET s, struct sockaddr *name, int *namelen);
int WSAAPI wsaevents_getpeername(SOCKET s, struct sockaddr *name, int *namelen);
u_short WSAAPI wsaevents_htons(u_short hostshort);
ULONG WSAAPI wsaevents_htonl(ULONG hostlong);
u_short WSAAPI wsaevents_ntohs(u_short netshort);
ULONG WSAAPI wsaevents_ntohl(ULONG netlong);
/** inet_addr: the address in network order, or INADDR_NONE (NULL also sets WSAEFAULT). */
ULONG WSAAPI wsaevents_inet_addr(const char *cp);

#ifdef __cplusplus
} /* extern "C" */

/* C++: real functions (C++ linkage, so they cannot interpose libc), no macros. */
inline SOCKET socket(int af, int type, int protocol) { return wsaevents_socket(af, type, protocol); }
inline int bind(SOCKET s, const struct sockaddr *name, int namelen) { return wsaevents_bind(s, name, namelen); }
inline int listen(SOCKET s, int backlog) { return wsaevents_listen(s, backlog); }
inline SOCKET accept(SOCKET s, struct sockaddr *addr, int *addrlen) { return wsaevents_accept(s, addr, addrlen); }
inline int connect(SOCKET s, const struct sockaddr *name, int namelen) { return wsaevents_connect(s, name, namelen); }
inline int recv(SOCKET s, char *buf, int len, int flags) { return wsaevents_recv(s, buf, len, flags); }
inline int send(SOCKET s, const char *buf, int len, int flags) { return wsaevents_send(s, buf, len, flags); }
inline int recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from, int *fromlen) { return wsaevents_recvfrom(s, buf, len, flags, from, fromlen); }
inline int sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to, int tolen) { return wsaevents_sendto(s, buf, len, flags, to, tolen); }
inline int shutdown(SOCKET s, int how) { return wsaevents_shutdown(s, how); }
inline int getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen) { return wsaevents_getsockopt(s, level, optname, optval, optlen); }
inline int setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen) { return wsaevents_setsockopt(s, level, optname, optval, optlen); }
inline int getsockname(SOCKET s, struct sockaddr *name, int *namelen) { return wsaevents_getsockname(s, name, namelen); }
inline int getpeername(SOCKET s, struct sockaddr *name, int *namelen) { return wsaevents_getpeername(s, name, namelen); }
inline u_short htons(u_short hostshort) { return wsaevents_htons(hostshort); }
inline ULONG htonl(ULONG hostlong) { return wsaevents_htonl(hostlong); }
inline u_short ntohs(u_short netshort) { return wsaevents_ntohs(netshort); }
inline ULONG ntohl(ULONG netlong) { return wsaevents_ntohl(netlong); }
inline ULONG inet_addr(const char *cp) { return wsaevents_inet_addr(cp); }
/* ioctlsocket with an unsigned long (64-bit here): a template restricted to that type, so
 * that NULL and 0 still pick the u_long function (as the only one on Windows). */
template <class T> struct wsaevents_ioctl_ulong_;
template <> struct wsaevents_ioctl_ulong_<unsigned long> { typedef int type; };
template <class T>
inline typename wsaevents_ioctl_ulong_<T>::type ioctlsocket(SOCKET s, LONG cmd, T *argp)
{
    return wsaevents_ioctlsocket_ul(s, cmd, argp);
}

#else /* C: object-like macros (see the header comment) */
#  define socket wsaevents_socket
#  define bind wsaevents_bind
#  define listen wsaevents_listen
#  define accept wsaevents_accept
#  define connect wsaevents_connect
#  define recv wsaevents_recv
#  define send wsaevents_send
#  define recvfrom wsaevents_recvfrom
#  define sendto wsaevents_sendto
#  define shutdown wsaevents_shutdown
#  define getsockopt wsaevents_getsockopt
#  define setsockopt wsaevents_setsockopt
#  define getsockname wsaevents_getsockname
#  define getpeername wsaevents_getpeername
#  define htons wsaevents_htons
#  define htonl wsaevents_htonl
#  define ntohs wsaevents_ntohs
#  define ntohl wsaevents_ntohl
#  define inet_addr wsaevents_inet_addr
/* ioctlsocket: an unsigned long argument (64-bit here) goes to the function that reads and
 * writes a whole unsigned long; everything else (u_long, ULONG, DWORD, NULL) to Windows'. */
#  if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#    define ioctlsocket(s, cmd, argp)                                                      \
        _Generic((argp), unsigned long *: wsaevents_ioctlsocket_ul, default: ioctlsocket)( \
            (s), (cmd), (argp))
#  elif defined(__GNUC__)
#    define ioctlsocket(s, cmd, argp)                                                      \
        __builtin_choose_expr(                                                             \
            __builtin_types_compatible_p(__typeof__(argp), unsigned long *),               \
            wsaevents_ioctlsocket_ul, ioctlsocket)((s), (cmd), (argp))
#  endif
#endif /* __cplusplus */

/* select, fd_set, FD_SET & co., timeval, WSAPoll, WSAPOLLFD, POLL*. */
#include "wsaevents_select.h"
/* The extended WSA calls (WSASocket, WSARecv, WSASend, WSAAccept, WSAIoctl, ...) and options. */
#include "wsaevents_wsaext.h"
#include "wsaevents_resolve.h" /* hostent, servent, gethostbyname, gethostname, ... */

#endif /* not a Windows toolchain */
#endif /* WSAEVENTS_WINSOCK2_H */
