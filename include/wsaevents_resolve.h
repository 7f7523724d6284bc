/*
 * wsaevents_resolve.h -- name resolution with Windows' layouts (Linux/macOS).
 *
 * Internal to the wsaevents compat headers: include <winsock2.h> (hostent, servent,
 * gethostbyname, gethostname, inet_ntoa, WSAAddressToString, WSAStringToAddress) and
 * <ws2tcpip.h> (addrinfo, getaddrinfo, getnameinfo, GetAddrInfoW, InetPtonW, ...), as on
 * Windows (protoent and getprotobyname too). This file is included by both, and gives each part once:
 *   - the winsock2.h part, always;
 *   - the ws2tcpip.h part, when ws2tcpip.h asks for it (WSAEVENTS_RESOLVE_WANT_WS2TCPIP,
 *     defined by ws2tcpip.h after its socklen_t).
 *
 * Layouts are Windows': struct addrinfo has a size_t ai_addrlen and ai_canonname BEFORE
 * ai_addr (glibc has them the other way round); hostent has short h_addrtype/h_length;
 * servent is in the _WIN64 order (s_proto before the short s_port) on 64-bit targets. The
 * addresses behind ai_addr and h_addr_list are Windows SOCKADDR_IN / SOCKADDR_IN6 (AF_INET6
 * = 23). Error codes are Windows': getaddrinfo returns WSAHOST_NOT_FOUND (EAI_NONAME),
 * WSATYPE_NOT_FOUND (EAI_SERVICE), ... and also sets WSAGetLastError().
 *
 * The names POSIX also has (getaddrinfo, freeaddrinfo, getnameinfo, gethostbyname,
 * gethostbyaddr, gethostname, getservbyname, getservbyport, getprotobyname,
 * getprotobynumber, inet_ntoa) are exported as
 * wsaevents_<name> and mapped like the socket functions (winsock2.h): object-like macros
 * in C, inline functions in C++. <netdb.h> and <arpa/inet.h> cannot be included in the
 * same file (they declare struct addrinfo, hostent, servent with other layouts).
 *
 * gethostname and <unistd.h>: wsaevents_gethostname is declared with a size_t length
 * (glibc's, macOS' and musl's type), so that a <unistd.h> included after this header (its
 * gethostname then renamed by the macro) redeclares the same function. In C++, after
 * <unistd.h>, a call whose length is a size_t (gethostname(buf, sizeof buf)) binds the C
 * library's gethostname, an exact match; an int length binds Winsock's.
 */
#ifndef WSAEVENTS_RESOLVE_WINSOCK_PART
#define WSAEVENTS_RESOLVE_WINSOCK_PART

#ifdef __cplusplus
extern "C" {
#endif

/* ---- hostent, servent (winsock2.h) ------------------------------------------------------ */

struct hostent {
    char *h_name;
    char **h_aliases;
    short h_addrtype;
    short h_length;
    char **h_addr_list;
};
#define h_addr h_addr_list[0]
typedef struct hostent HOSTENT, *PHOSTENT, *LPHOSTENT;

struct servent {
    char *s_name;
    char **s_aliases;
#if UINTPTR_MAX > 0xFFFFFFFFu /* _WIN64 */
    char *s_proto;
    short s_port;
#else
    short s_port;
    char *s_proto;
#endif
};
typedef struct servent SERVENT, *PSERVENT, *LPSERVENT;

struct protoent {
    char *p_name;
    char **p_aliases;
    short p_proto;
};
typedef struct protoent PROTOENT, *PPROTOENT, *LPPROTOENT;

#ifndef __cplusplus
typedef struct hostent hostent;
typedef struct servent servent;
typedef struct protoent protoent;
#endif

WSAEVENTS_STATIC_ASSERT(sizeof(struct hostent) == 4 * sizeof(void *) ||
                            sizeof(struct hostent) == 3 * sizeof(void *) + 4,
                        "hostent has Windows' layout");
#if UINTPTR_MAX > 0xFFFFFFFFu
WSAEVENTS_STATIC_ASSERT(sizeof(struct hostent) == 32, "hostent is 32 bytes on 64-bit");
WSAEVENTS_STATIC_ASSERT(sizeof(struct servent) == 32, "servent is 32 bytes on 64-bit");
#endif

#define MAXGETHOSTSTRUCT 1024

/* h_errno and the netdb names, as winsock2.h defines them. */
#ifndef h_errno
#  define h_errno WSAGetLastError()
#endif
#define HOST_NOT_FOUND WSAHOST_NOT_FOUND
#define TRY_AGAIN WSATRY_AGAIN
#define NO_RECOVERY WSANO_RECOVERY
#define NO_DATA WSANO_DATA
#define WSANO_ADDRESS WSANO_DATA
#define NO_ADDRESS WSANO_ADDRESS

/* The protocol information argument of WSAAddressToString / WSAStringToAddress: callers
 * pass NULL (it is ignored). Declared as a tag only, so that a full definition elsewhere
 * stays compatible. */
struct _WSAPROTOCOL_INFOA;
struct _WSAPROTOCOL_INFOW;

/**
 * gethostbyname: the IPv4 addresses of a name (NULL or "": the local host; a numeric
 * address is itself), in storage of the calling thread, valid until its next
 * gethostbyname/gethostbyaddr. NULL with WSAHOST_NOT_FOUND, WSATRY_AGAIN, WSANO_RECOVERY,
 * WSANO_DATA or WSANOTINITIALISED.
 */
struct hostent *WSAAPI wsaevents_gethostbyname(const char *name);
/** gethostbyaddr: the name of an AF_INET (len 4) or AF_INET6 (len 16) address. WSAEFAULT
 * for a NULL address or a wrong length, WSAEAFNOSUPPORT for another type. */
struct hostent *WSAAPI wsaevents_gethostbyaddr(const char *addr, int len, int type);
/** gethostname: 0, or SOCKET_ERROR with WSAEFAULT (NULL, or the name and its NUL do not
 * fit in namelen: the buffer is untouched) or WSANOTINITIALISED. See the note above on
 * the size_t. */
int WSAAPI wsaevents_gethostname(char *name, size_t namelen);
/** GetHostNameW: as gethostname, in WCHARs. */
int WSAAPI GetHostNameW(PWSTR name, int namelen);
/** getservbyname / getservbyport: the services-database entry (s_port in network order),
 * in storage of the calling thread; NULL with WSANO_DATA when unknown. */
struct servent *WSAAPI wsaevents_getservbyname(const char *name, const char *proto);
struct servent *WSAAPI wsaevents_getservbyport(int port, const char *proto);
/** getprotobyname / getprotobynumber: Windows' built-in protocol table (ip, icmp, tcp, udp,
 * ipv6, ...; names in any case), in storage of the calling thread; NULL with WSANO_DATA. */
struct protoent *WSAAPI wsaevents_getprotobyname(const char *name);
struct protoent *WSAAPI wsaevents_getprotobynumber(int number);
/** inet_ntoa: the dotted form, in a buffer of the calling thread. */
char *WSAAPI wsaevents_inet_ntoa(struct in_addr in);

/**
 * WSAAddressToStringA/W: "a.b.c.d[:port]", "addr[%scope]" or "[addr[%scope]]:port" (port
 * shown when non-zero). 0, or SOCKET_ERROR with WSAEFAULT (buffer NULL or shorter than
 * the text and its NUL: *lpdwAddressStringLength is set to that length), WSAEINVAL (NULL
 * address or length pointer, short address, other family) or WSANOTINITIALISED.
 */
INT WSAAPI WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                               struct _WSAPROTOCOL_INFOA *lpProtocolInfo,
                               LPSTR lpszAddressString, LPDWORD lpdwAddressStringLength);
INT WSAAPI WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                               struct _WSAPROTOCOL_INFOW *lpProtocolInfo,
                               LPWSTR lpszAddressString, LPDWORD lpdwAddressStringLength);
/**
 * WSAStringToAddressA/W: 0 with *lpAddressLength set to the structure's size, or
 * SOCKET_ERROR with WSAEINVAL (not an address of that family: the structure is zeroed;
 * NULL string; other family), WSAEFAULT (NULL pointers; a short *lpAddressLength, then
 * set to the size needed) or WSANOTINITIALISED. IPv4 as inet_addr with ":port"; IPv6
 * "addr[%scope]" or "[addr[%scope]][:port]".
 */
INT WSAAPI WSAStringToAddressA(LPSTR AddressString, INT AddressFamily,
                               struct _WSAPROTOCOL_INFOA *lpProtocolInfo, LPSOCKADDR lpAddress,
                               LPINT lpAddressLength);
INT WSAAPI WSAStringToAddressW(LPWSTR AddressString, INT AddressFamily,
                               struct _WSAPROTOCOL_INFOW *lpProtocolInfo, LPSOCKADDR lpAddress,
                               LPINT lpAddressLength);

#ifdef UNICODE
#  define WSAAddressToString WSAAddressToStringW
#  define WSAStringToAddress WSAStringToAddressW
#else
#  define WSAAddressToString WSAAddressToStringA
#  define WSAStringToAddress WSAStringToAddressA
#endif

#ifdef __cplusplus
} /* extern "C" */
inline struct hostent *gethostbyname(const char *name) { return wsaevents_gethostbyname(name); }
inline struct hostent *gethostbyaddr(const char *addr, int len, int type) { return wsaevents_gethostbyaddr(addr, len, type); }
inline int gethostname(char *name, int namelen) { return wsaevents_gethostname(name, (size_t)(ptrdiff_t)namelen); }
inline struct servent *getservbyname(const char *name, const char *proto) { return wsaevents_getservbyname(name, proto); }
inline struct servent *getservbyport(int port, const char *proto) { return wsaevents_getservbyport(port, proto); }
inline char *inet_ntoa(struct in_addr in) { return wsaevents_inet_ntoa(in); }
inline struct protoent *getprotobyname(const char *name) { return wsaevents_getprotobyname(name); }
inline struct protoent *getprotobynumber(int number) { return wsaevents_getprotobynumber(number); }
#else
#  define gethostbyname wsaevents_gethostbyname
#  define gethostbyaddr wsaevents_gethostbyaddr
#  define gethostname wsaevents_gethostname
#  define getservbyname wsaevents_getservbyname
#  define getservbyport wsaevents_getservbyport
#  define inet_ntoa wsaevents_inet_ntoa
#  define getprotobyname wsaevents_getprotobyname
#  define getprotobynumber wsaevents_getprotobynumber
#endif

#endif /* WSAEVENTS_RESOLVE_WINSOCK_PART */

/* ======================================================================================== */

#if defined(WSAEVENTS_RESOLVE_WANT_WS2TCPIP) && !defined(WSAEVENTS_RESOLVE_WS2TCPIP_PART)
#define WSAEVENTS_RESOLVE_WS2TCPIP_PART

#ifdef __cplusplus
extern "C" {
#endif

/* ---- addrinfo (ws2def.h) ------------------------------------------------------------------ */

typedef struct addrinfo {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    size_t ai_addrlen;      /* size_t, as on Windows */
    char *ai_canonname;     /* before ai_addr, as on Windows */
    struct sockaddr *ai_addr;
    struct addrinfo *ai_next;
} ADDRINFOA, *PADDRINFOA, *LPADDRINFOA;

typedef struct addrinfoW {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    size_t ai_addrlen;
    PWSTR ai_canonname;
    struct sockaddr *ai_addr;
    struct addrinfoW *ai_next;
} ADDRINFOW, *PADDRINFOW, *LPADDRINFOW;

typedef ADDRINFOA ADDRINFO, *LPADDRINFO;
#ifndef __cplusplus
typedef struct addrinfo addrinfo;
#endif

WSAEVENTS_STATIC_ASSERT(offsetof(struct addrinfo, ai_canonname) ==
                            offsetof(struct addrinfo, ai_addrlen) + sizeof(size_t),
                        "ai_canonname follows ai_addrlen, as on Windows");
WSAEVENTS_STATIC_ASSERT(offsetof(struct addrinfo, ai_addr) ==
                            offsetof(struct addrinfo, ai_canonname) + sizeof(char *),
                        "ai_addr follows ai_canonname, as on Windows");
#if UINTPTR_MAX > 0xFFFFFFFFu
WSAEVENTS_STATIC_ASSERT(sizeof(ADDRINFOA) == 48 && sizeof(ADDRINFOW) == 48,
                        "addrinfo is 48 bytes on 64-bit");
#endif

/* ai_flags (ws2def.h values) */
#define AI_PASSIVE 0x00000001
#define AI_CANONNAME 0x00000002
#define AI_NUMERICHOST 0x00000004
#define AI_NUMERICSERV 0x00000008
#define AI_DNS_ONLY 0x00000010
#define AI_ALL 0x00000100
#define AI_ADDRCONFIG 0x00000400
#define AI_V4MAPPED 0x00000800
#define AI_NON_AUTHORITATIVE 0x00004000
#define AI_SECURE 0x00008000
#define AI_RETURN_PREFERRED_NAMES 0x00010000
#define AI_FQDN 0x00020000
#define AI_FILESERVER 0x00040000
#define AI_DISABLE_IDN_ENCODING 0x00080000

/* getnameinfo (ws2def.h, ws2tcpip.h) */
#define NI_MAXHOST 1025
#define NI_MAXSERV 32
#define NI_NOFQDN 0x01
#define NI_NUMERICHOST 0x02
#define NI_NAMEREQD 0x04
#define NI_NUMERICSERV 0x08
#define NI_DGRAM 0x10

/* EAI_* are the WSA codes (ws2tcpip.h) */
#define WSA_SECURE_HOST_NOT_FOUND 11032L
#define WSA_IPSEC_NAME_POLICY_ERROR 11033L
#define EAI_AGAIN WSATRY_AGAIN
#define EAI_BADFLAGS WSAEINVAL
#define EAI_FAIL WSANO_RECOVERY
#define EAI_FAMILY WSAEAFNOSUPPORT
#define EAI_MEMORY WSA_NOT_ENOUGH_MEMORY
#define EAI_NOSECURENAME WSA_SECURE_HOST_NOT_FOUND
#define EAI_NONAME WSAHOST_NOT_FOUND
#define EAI_SERVICE WSATYPE_NOT_FOUND
#define EAI_SOCKTYPE WSAESOCKTNOSUPPORT
#define EAI_IPSECPOLICY WSA_IPSEC_NAME_POLICY_ERROR
#define EAI_NODATA EAI_NONAME

#define GAI_STRERROR_BUFFER_SIZE 1024

/**
 * getaddrinfo: 0, or the Winsock error code, which is also the last error (success sets
 * the last error to 0). *ppResult is NULL on failure. No node and no service is
 * WSAHOST_NOT_FOUND; hints with a non-zero ai_addrlen/ai_canonname/ai_addr/ai_next are
 * WSANO_RECOVERY, AI_CANONNAME without a node WSAEINVAL, a family other than AF_UNSPEC /
 * AF_INET / AF_INET6 WSAEAFNOSUPPORT, a socket type other than 0 / SOCK_STREAM /
 * SOCK_DGRAM / SOCK_RAW WSAESOCKTNOSUPPORT; an unknown service WSATYPE_NOT_FOUND; a name
 * that does not resolve (or is not numeric with AI_NUMERICHOST) WSAHOST_NOT_FOUND. One
 * result per address, with the hints' ai_socktype and ai_protocol.
 */
INT WSAAPI wsaevents_getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *pHints,
                                 PADDRINFOA *ppResult);
/** freeaddrinfo: frees a whole list from getaddrinfo (NULL is ignored). */
VOID WSAAPI wsaevents_freeaddrinfo(PADDRINFOA pAddrInfo);
/** GetAddrInfoW / FreeAddrInfoW: the same with wide strings (WCHAR is wchar_t here). */
INT WSAAPI GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName, const ADDRINFOW *pHints,
                        PADDRINFOW *ppResult);
VOID WSAAPI FreeAddrInfoW(PADDRINFOW pAddrInfo);

/**
 * getnameinfo: 0, or the Winsock error code (also the last error): WSAEFAULT (NULL or
 * short address; a result that does not fit its buffer), WSAEAFNOSUPPORT, WSAEINVAL
 * (NI_NUMERICHOST with NI_NAMEREQD), WSAHOST_NOT_FOUND (neither buffer given, or
 * NI_NAMEREQD and the address has no name). An unknown port gives its number.
 */
INT WSAAPI wsaevents_getnameinfo(const SOCKADDR *pSockaddr, socklen_t SockaddrLength,
                                 char *pNodeBuffer, DWORD NodeBufferSize, char *pServiceBuffer,
                                 DWORD ServiceBufferSize, INT Flags);
INT WSAAPI GetNameInfoW(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, WCHAR *pNodeBuffer,
                        DWORD NodeBufferSize, WCHAR *pServiceBuffer, DWORD ServiceBufferSize,
                        INT Flags);

/** gai_strerrorA/W: Windows' message text for the code (a buffer of the calling thread). */
char *WSAAPI gai_strerrorA(int ecode);
WCHAR *WSAAPI gai_strerrorW(int ecode);

/** InetPtonW: as inet_pton, but a string that is not an address also sets WSAEINVAL. */
INT WSAAPI InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf);
/** InetNtopW: as inet_ntop, StringBufSize in WCHARs. */
PCWSTR WSAAPI InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf, size_t StringBufSize);

#ifdef __cplusplus
} /* extern "C" */
inline INT getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *pHints, PADDRINFOA *ppResult) { return wsaevents_getaddrinfo(pNodeName, pServiceName, pHints, ppResult); }
inline VOID freeaddrinfo(PADDRINFOA pAddrInfo) { wsaevents_freeaddrinfo(pAddrInfo); }
inline INT getnameinfo(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, char *pNodeBuffer, DWORD NodeBufferSize, char *pServiceBuffer, DWORD ServiceBufferSize, INT Flags) { return wsaevents_getnameinfo(pSockaddr, SockaddrLength, pNodeBuffer, NodeBufferSize, pServiceBuffer, ServiceBufferSize, Flags); }
#else
#  define getaddrinfo wsaevents_getaddrinfo
#  define freeaddrinfo wsaevents_freeaddrinfo
#  define getnameinfo wsaevents_getnameinfo
#endif

#define GetAddrInfoA getaddrinfo
#define FreeAddrInfoA freeaddrinfo
#ifdef UNICODE
#  define GetAddrInfo GetAddrInfoW
#  define FreeAddrInfo FreeAddrInfoW
#  define GetNameInfo GetNameInfoW
#  define gai_strerror gai_strerrorW
#  define InetPton InetPtonW
#  define InetNtop InetNtopW
typedef ADDRINFOW ADDRINFOT, *PADDRINFOT;
#else
#  define GetAddrInfo getaddrinfo
#  define FreeAddrInfo freeaddrinfo
#  define GetNameInfo getnameinfo
#  define gai_strerror gai_strerrorA
#  define InetPton InetPtonA
#  define InetNtop InetNtopA
typedef ADDRINFOA ADDRINFOT, *PADDRINFOT;
#endif

#endif /* WSAEVENTS_WS2TCPIP_H part */
