/*
 * resolve.c -- name resolution through the headers, with Windows' layouts, values and
 * errors: getaddrinfo / freeaddrinfo / getnameinfo / GetAddrInfoW / gai_strerror,
 * gethostbyname / gethostbyaddr / gethostname, getservbyname / getservbyport,
 * getprotobyname / getprotobynumber, inet_ntoa,
 * InetPtonW / InetNtopW, WSAAddressToString / WSAStringToAddress.
 *
 * Built as C and as C++ by tests/capi_c.rs. Never depends on DNS: localhost and the
 * loopback addresses (/etc/hosts), numeric forms, AI_NUMERICHOST failures, and the
 * services database (/etc/services; that part is skipped, loudly, where it is missing).
 *
 * Sources of the expected values: Wine's dlls/ws2_32/tests/protocol.c as run on Windows
 * (test_getaddrinfo, test_GetAddrInfoW, test_WSAAddressToString, test_WSAStringToAddress,
 * test_inet_ntoa, test_inet_pton, test_gethostname, test_dns, test_getservbyname), the
 * getaddrinfo / getnameinfo / WSAAddressToString reference pages, Microsoft's wspiapi.h
 * (getnameinfo's rules), ReactOS' ws2_32 addrinfo.c (the hint checks).
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <pthread.h>
#include <stdio.h>
#include <wchar.h>

#include "check.h"

/* Each call of a resolver function that fails: its return value is the error, and the
 * last error is the same code (Windows-run test_getaddrinfo). */
#define EXPECT_GAI(what, call, code)                                                       \
    do {                                                                                   \
        int rc_;                                                                           \
        WSASetLastError(0xdead);                                                           \
        rc_ = (call);                                                                      \
        EXPECT_EQ(what " (return)", rc_, code);                                            \
        EXPECT_EQ(what " (last error)", WSAGetLastError(), code);                          \
    } while (0)

static int is_loopback(const ADDRINFOA *p)
{
    if (p->ai_family == AF_INET && p->ai_addrlen == sizeof(SOCKADDR_IN)) {
        const SOCKADDR_IN *a = (const SOCKADDR_IN *)p->ai_addr;
        return a->sin_family == AF_INET && a->sin_addr.s_addr == htonl(INADDR_LOOPBACK);
    }
    if (p->ai_family == AF_INET6 && p->ai_addrlen == sizeof(SOCKADDR_IN6)) {
        static const UCHAR one[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        const SOCKADDR_IN6 *a = (const SOCKADDR_IN6 *)p->ai_addr;
        return a->sin6_family == AF_INET6 && memcmp(a->sin6_addr.s6_addr, one, 16) == 0;
    }
    return 0;
}

static USHORT port_of(const ADDRINFOA *p)
{
    return ntohs(((const SOCKADDR_IN *)p->ai_addr)->sin_port); /* same offset in both */
}

static void test_layouts_and_constants(void)
{
    SECTION("layouts: ADDRINFOA (ai_canonname before ai_addr), hostent, servent");
    EXPECT_EQ("sizeof(ADDRINFOA)", sizeof(ADDRINFOA), 48);
    EXPECT_EQ("sizeof(ADDRINFOW)", sizeof(ADDRINFOW), 48);
    EXPECT_EQ("sizeof ai_addrlen is size_t", sizeof(((ADDRINFOA *)0)->ai_addrlen), sizeof(size_t));
    EXPECT_EQ("offsetof ai_addrlen", offsetof(ADDRINFOA, ai_addrlen), 16);
    EXPECT_EQ("offsetof ai_canonname", offsetof(ADDRINFOA, ai_canonname), 24);
    EXPECT_EQ("offsetof ai_addr", offsetof(ADDRINFOA, ai_addr), 32);
    EXPECT_EQ("offsetof ai_next", offsetof(ADDRINFOA, ai_next), 40);
    EXPECT_EQ("offsetof W ai_canonname", offsetof(ADDRINFOW, ai_canonname), 24);
    EXPECT_EQ("sizeof(struct hostent)", sizeof(struct hostent), 32);
    EXPECT_EQ("offsetof h_addrtype", offsetof(struct hostent, h_addrtype), 16);
    EXPECT_EQ("offsetof h_length", offsetof(struct hostent, h_length), 18);
    EXPECT_EQ("offsetof h_addr_list", offsetof(struct hostent, h_addr_list), 24);
    EXPECT_EQ("sizeof(struct servent)", sizeof(struct servent), 32);
    EXPECT_EQ("offsetof s_proto (_WIN64 order)", offsetof(struct servent, s_proto), 16);
    EXPECT_EQ("offsetof s_port", offsetof(struct servent, s_port), 24);
    EXPECT_EQ("sizeof s_port is short", sizeof(((struct servent *)0)->s_port), 2);

    SECTION("constants: AI_*, NI_*, EAI_* (ws2def.h / ws2tcpip.h)");
    EXPECT_EQ("AI_PASSIVE", AI_PASSIVE, 1);
    EXPECT_EQ("AI_CANONNAME", AI_CANONNAME, 2);
    EXPECT_EQ("AI_NUMERICHOST", AI_NUMERICHOST, 4);
    EXPECT_EQ("AI_NUMERICSERV", AI_NUMERICSERV, 8);
    EXPECT_EQ("AI_ALL", AI_ALL, 0x100);
    EXPECT_EQ("AI_ADDRCONFIG", AI_ADDRCONFIG, 0x400);
    EXPECT_EQ("AI_V4MAPPED", AI_V4MAPPED, 0x800);
    EXPECT_EQ("NI_NOFQDN", NI_NOFQDN, 1);
    EXPECT_EQ("NI_NUMERICHOST", NI_NUMERICHOST, 2);
    EXPECT_EQ("NI_NAMEREQD", NI_NAMEREQD, 4);
    EXPECT_EQ("NI_NUMERICSERV", NI_NUMERICSERV, 8);
    EXPECT_EQ("NI_DGRAM", NI_DGRAM, 16);
    EXPECT_EQ("NI_MAXHOST", NI_MAXHOST, 1025);
    EXPECT_EQ("NI_MAXSERV", NI_MAXSERV, 32);
    EXPECT_EQ("EAI_AGAIN", EAI_AGAIN, 11002);
    EXPECT_EQ("EAI_BADFLAGS", EAI_BADFLAGS, 10022);
    EXPECT_EQ("EAI_FAIL", EAI_FAIL, 11003);
    EXPECT_EQ("EAI_FAMILY", EAI_FAMILY, 10047);
    EXPECT_EQ("EAI_MEMORY", EAI_MEMORY, 8);
    EXPECT_EQ("EAI_NONAME", EAI_NONAME, 11001);
    EXPECT_EQ("EAI_NODATA", EAI_NODATA, 11001);
    EXPECT_EQ("EAI_SERVICE", EAI_SERVICE, 10109);
    EXPECT_EQ("EAI_SOCKTYPE", EAI_SOCKTYPE, 10044);
    EXPECT_EQ("HOST_NOT_FOUND", HOST_NOT_FOUND, 11001);
    EXPECT_EQ("NO_DATA", NO_DATA, 11004);
}

static void test_not_started(void)
{
    ADDRINFOA *r = (ADDRINFOA *)1;
    char name[256];
    SECTION("before WSAStartup: WSANOTINITIALISED (inet_ntoa and gai_strerror need none)");
    EXPECT_GAI("getaddrinfo", getaddrinfo("127.0.0.1", "80", NULL, &r), WSANOTINITIALISED);
    EXPECT_TRUE("result NULL", r == NULL);
    WSASetLastError(0);
    EXPECT_EQ("gethostname", gethostname(name, (int)sizeof name), SOCKET_ERROR);
    EXPECT_EQ("gethostname error", WSAGetLastError(), WSANOTINITIALISED);
    EXPECT_TRUE("gethostbyname", gethostbyname("localhost") == NULL);
    EXPECT_EQ("gethostbyname error", WSAGetLastError(), WSANOTINITIALISED);
    {
        struct in_addr a;
        a.s_addr = htonl(0x01020304);
        EXPECT_STR("inet_ntoa", inet_ntoa(a), "1.2.3.4");
    }
}

static void test_getaddrinfo(void)
{
    ADDRINFOA hints, *r, *p;
    int n;

    SECTION("getaddrinfo: no node and no service is WSAHOST_NOT_FOUND, result NULL");
    r = (ADDRINFOA *)1;
    EXPECT_GAI("getaddrinfo(NULL, NULL)", getaddrinfo(NULL, NULL, NULL, &r), WSAHOST_NOT_FOUND);
    EXPECT_TRUE("result NULL", r == NULL);

    SECTION("getaddrinfo(localhost, 80): loopback addresses, port 80, last error 0");
    r = NULL;
    EXPECT_GAI("getaddrinfo(localhost, 80)", getaddrinfo("localhost", "80", NULL, &r), 0);
    EXPECT_TRUE("a result", r != NULL);
    for (n = 0, p = r; p; p = p->ai_next, n++) {
        EXPECT_TRUE("loopback, Windows family and SOCKADDR size", is_loopback(p));
        EXPECT_EQ("port", port_of(p), 80);
        EXPECT_EQ("ai_socktype is the hints' (0)", p->ai_socktype, 0);
        EXPECT_EQ("ai_protocol is the hints' (0)", p->ai_protocol, 0);
        EXPECT_TRUE("no canonical name unasked", p->ai_canonname == NULL);
    }
    freeaddrinfo(r);

    SECTION("getaddrinfo: numeric IPv4 with TCP hints: one entry, the hints' type and protocol");
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    r = NULL;
    EXPECT_GAI("getaddrinfo(192.168.1.253)", getaddrinfo("192.168.1.253", NULL, &hints, &r), 0);
    EXPECT_TRUE("one entry", r != NULL && r->ai_next == NULL);
    EXPECT_EQ("ai_family", r->ai_family, AF_INET);
    EXPECT_EQ("ai_socktype", r->ai_socktype, SOCK_STREAM);
    EXPECT_EQ("ai_protocol", r->ai_protocol, IPPROTO_TCP);
    EXPECT_EQ("ai_addrlen", r->ai_addrlen, sizeof(SOCKADDR_IN));
    EXPECT_EQ("ai_flags", r->ai_flags, 0);
    EXPECT_STR("the address", inet_ntoa(((SOCKADDR_IN *)r->ai_addr)->sin_addr), "192.168.1.253");
    EXPECT_EQ("port 0", port_of(r), 0);
    freeaddrinfo(r);

    SECTION("getaddrinfo: numeric IPv6, with brackets and a port after them");
    memset(&hints, 0, sizeof hints);
    r = NULL;
    EXPECT_GAI("getaddrinfo([::1]:10239)", getaddrinfo("[::1]:10239", NULL, &hints, &r), 0);
    EXPECT_TRUE("::1", r != NULL && is_loopback(r) && r->ai_family == AF_INET6);
    EXPECT_EQ("ai_addrlen", r->ai_addrlen, sizeof(SOCKADDR_IN6));
    EXPECT_EQ("port 0 (the bracket's port is ignored)", port_of(r), 0);
    freeaddrinfo(r);
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_family = AF_INET;
    r = (ADDRINFOA *)1;
    EXPECT_GAI("[beef::cafe] as AF_INET", getaddrinfo("[beef::cafe]", NULL, &hints, &r), WSAHOST_NOT_FOUND);
    EXPECT_TRUE("result NULL", r == NULL);
    hints.ai_family = AF_UNSPEC;
    EXPECT_GAI("unmatched bracket", getaddrinfo("[beef::cafe", NULL, &hints, &r), WSAHOST_NOT_FOUND);

    SECTION("getaddrinfo: AI_NUMERICHOST with a name, or an address with a port");
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST;
    r = (ADDRINFOA *)1;
    EXPECT_GAI("AI_NUMERICHOST localhost", getaddrinfo("localhost", "80", &hints, &r), WSAHOST_NOT_FOUND);
    EXPECT_TRUE("result NULL", r == NULL);
    EXPECT_GAI("AI_NUMERICHOST a.b.c.d:port", getaddrinfo("192.168.1.253:1024", NULL, &hints, &r), WSAHOST_NOT_FOUND);

    SECTION("getaddrinfo: bad hints");
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_CANONNAME;
    EXPECT_GAI("AI_CANONNAME without a node", getaddrinfo(NULL, "80", &hints, &r), WSAEINVAL);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = 1;
    EXPECT_GAI("family 1", getaddrinfo("127.0.0.1", "80", &hints, &r), WSAEAFNOSUPPORT);
    hints.ai_family = 999;
    EXPECT_GAI("family 999", getaddrinfo("127.0.0.1", "80", &hints, &r), EAI_FAMILY);
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = 999;
    EXPECT_GAI("socktype 999", getaddrinfo("localhost", NULL, &hints, &r), WSAESOCKTNOSUPPORT);
    memset(&hints, 0, sizeof hints);
    hints.ai_addrlen = 5;
    EXPECT_GAI("hints with ai_addrlen", getaddrinfo("127.0.0.1", "80", &hints, &r), WSANO_RECOVERY);
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_protocol = 999; /* any protocol is accepted and copied */
    r = NULL;
    EXPECT_GAI("protocol 999", getaddrinfo("127.0.0.1", "53", &hints, &r), 0);
    EXPECT_EQ("ai_protocol copied", r->ai_protocol, 999);
    EXPECT_EQ("ai_socktype copied", r->ai_socktype, SOCK_DGRAM);
    freeaddrinfo(r);

    SECTION("getaddrinfo: services");
    memset(&hints, 0, sizeof hints);
    EXPECT_GAI("unknown service", getaddrinfo(NULL, "nonexistentservice", &hints, &r), WSATYPE_NOT_FOUND);
    EXPECT_GAI("port 65536", getaddrinfo("127.0.0.1", "65536", &hints, &r), WSATYPE_NOT_FOUND);
    hints.ai_flags = AI_NUMERICSERV;
    EXPECT_GAI("AI_NUMERICSERV with a name", getaddrinfo("127.0.0.1", "http", &hints, &r), WSAHOST_NOT_FOUND);
    {
        FILE *f = fopen("/etc/services", "r");
        if (f) {
            fclose(f);
            memset(&hints, 0, sizeof hints);
            hints.ai_family = AF_INET;
            r = NULL;
            EXPECT_GAI("service http", getaddrinfo("127.0.0.1", "http", &hints, &r), 0);
            EXPECT_EQ("http is port 80", port_of(r), 80);
            freeaddrinfo(r);
        } else {
            printf("SKIPPED: no /etc/services: getaddrinfo with a service name\n");
        }
    }

    SECTION("getaddrinfo: NULL node, with and without AI_PASSIVE; \"\" service is 0");
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_PASSIVE;
    r = NULL;
    EXPECT_GAI("passive", getaddrinfo(NULL, "27015", &hints, &r), 0);
    EXPECT_EQ("INADDR_ANY", ((SOCKADDR_IN *)r->ai_addr)->sin_addr.s_addr, htonl(INADDR_ANY));
    EXPECT_EQ("port", port_of(r), 27015);
    freeaddrinfo(r);
    hints.ai_flags = 0;
    r = NULL;
    EXPECT_GAI("not passive", getaddrinfo(NULL, "", &hints, &r), 0);
    EXPECT_TRUE("loopback", is_loopback(r));
    EXPECT_EQ("port 0", port_of(r), 0);
    freeaddrinfo(r);

    SECTION("getaddrinfo: \"\" is the local host (last error 0)");
    r = NULL;
    EXPECT_GAI("getaddrinfo(\"\")", getaddrinfo("", NULL, NULL, &r), 0);
    EXPECT_TRUE("a result", r != NULL);
    freeaddrinfo(r);

    SECTION("getaddrinfo: AI_CANONNAME: on the first entry");
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_CANONNAME;
    r = NULL;
    EXPECT_GAI("canonname", getaddrinfo("127.0.0.1", NULL, &hints, &r), 0);
    EXPECT_STR("numeric canonical name", r->ai_canonname, "127.0.0.1");
    freeaddrinfo(r);
    freeaddrinfo(NULL);

    SECTION("GetAddrInfoW / FreeAddrInfoW");
    {
        ADDRINFOW hw, *rw = NULL;
        memset(&hw, 0, sizeof hw);
        hw.ai_flags = AI_CANONNAME;
        hw.ai_family = AF_INET;
        EXPECT_GAI("GetAddrInfoW", GetAddrInfoW(L"127.0.0.1", L"80", &hw, &rw), 0);
        EXPECT_TRUE("wide canonical name", rw && rw->ai_canonname && wcscmp(rw->ai_canonname, L"127.0.0.1") == 0);
        EXPECT_EQ("port", ntohs(((SOCKADDR_IN *)rw->ai_addr)->sin_port), 80);
        FreeAddrInfoW(rw);
        rw = (ADDRINFOW *)1;
        EXPECT_GAI("GetAddrInfoW(NULL, NULL)", GetAddrInfoW(NULL, NULL, NULL, &rw), WSAHOST_NOT_FOUND);
        EXPECT_TRUE("result NULL", rw == NULL);
    }
}

/* The Microsoft "Getting Started with Winsock" flow: a passive getaddrinfo for the server,
 * socket/bind/listen from its fields, a client resolving "localhost" and connecting. */
static void test_getaddrinfo_server_flow(void)
{
    ADDRINFOA hints, *res = NULL, *p;
    SOCKET l, c = INVALID_SOCKET, a;
    SOCKADDR_IN bound;
    int len = sizeof bound;
    char port[16], buf[4];

    SECTION("getaddrinfo's results drive socket/bind/listen/connect");
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_PASSIVE;
    EXPECT_EQ("server getaddrinfo", getaddrinfo(NULL, "0", &hints, &res), 0);
    l = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    EXPECT_TRUE("socket", l != INVALID_SOCKET);
    EXPECT_EQ("bind", bind(l, res->ai_addr, (int)res->ai_addrlen), 0);
    freeaddrinfo(res);
    EXPECT_EQ("listen", listen(l, SOMAXCONN), 0);
    EXPECT_EQ("getsockname", getsockname(l, (SOCKADDR *)&bound, &len), 0);
    snprintf(port, sizeof port, "%u", (unsigned)ntohs(bound.sin_port));

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    res = NULL;
    EXPECT_EQ("client getaddrinfo", getaddrinfo("localhost", port, &hints, &res), 0);
    for (p = res; p; p = p->ai_next) {
        c = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        EXPECT_TRUE("client socket", c != INVALID_SOCKET);
        if (connect(c, p->ai_addr, (int)p->ai_addrlen) == 0)
            break;
        closesocket(c);
        c = INVALID_SOCKET;
    }
    freeaddrinfo(res);
    EXPECT_TRUE("connected to one of localhost's addresses", c != INVALID_SOCKET);
    a = accept(l, NULL, NULL);
    EXPECT_TRUE("accept", a != INVALID_SOCKET);
    EXPECT_EQ("send", send(c, "abc", 3, 0), 3);
    EXPECT_EQ("recv", recv(a, buf, sizeof buf, 0), 3);
    EXPECT_TRUE("bytes", memcmp(buf, "abc", 3) == 0);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void test_getnameinfo(void)
{
    SOCKADDR_IN sa;
    SOCKADDR_IN6 sa6;
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(80);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    SECTION("getnameinfo: NI_NUMERICHOST | NI_NUMERICSERV");
    EXPECT_GAI("numeric", getnameinfo((SOCKADDR *)&sa, sizeof sa, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV), 0);
    EXPECT_STR("host", host, "127.0.0.1");
    EXPECT_STR("serv", serv, "80");
    memset(&sa6, 0, sizeof sa6);
    sa6.sin6_family = AF_INET6;
    sa6.sin6_port = htons(443);
    sa6.sin6_addr.s6_addr[15] = 1;
    EXPECT_GAI("numeric IPv6", getnameinfo((SOCKADDR *)&sa6, sizeof sa6, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV), 0);
    EXPECT_STR("host", host, "::1");
    EXPECT_STR("serv", serv, "443");

    SECTION("getnameinfo: a too-small buffer is WSAEFAULT, nothing written");
    strcpy(host, "untouched");
    strcpy(serv, "untouched");
    EXPECT_GAI("host buffer of 9", getnameinfo((SOCKADDR *)&sa, sizeof sa, host, 9, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV), WSAEFAULT);
    EXPECT_STR("host untouched", host, "untouched");
    EXPECT_STR("serv untouched", serv, "untouched");
    EXPECT_GAI("serv buffer of 2", getnameinfo((SOCKADDR *)&sa, sizeof sa, host, sizeof host, serv, 2, NI_NUMERICHOST | NI_NUMERICSERV), WSAEFAULT);
    EXPECT_GAI("host buffer of 10 fits", getnameinfo((SOCKADDR *)&sa, sizeof sa, host, 10, NULL, 0, NI_NUMERICHOST), 0);
    EXPECT_STR("host", host, "127.0.0.1");

    SECTION("GetNameInfoW: the same rules, sizes in WCHARs");
    {
        WCHAR whost[NI_MAXHOST], wserv[NI_MAXSERV];
        EXPECT_GAI("numeric", GetNameInfoW((SOCKADDR *)&sa, sizeof sa, whost, NI_MAXHOST, wserv, NI_MAXSERV, NI_NUMERICHOST | NI_NUMERICSERV), 0);
        EXPECT_TRUE("wide host", wcscmp(whost, L"127.0.0.1") == 0);
        EXPECT_TRUE("wide serv", wcscmp(wserv, L"80") == 0);
        wcscpy(whost, L"untouched");
        EXPECT_GAI("host buffer of 9 WCHARs", GetNameInfoW((SOCKADDR *)&sa, sizeof sa, whost, 9, wserv, NI_MAXSERV, NI_NUMERICHOST | NI_NUMERICSERV), WSAEFAULT);
        EXPECT_TRUE("wide host untouched", wcscmp(whost, L"untouched") == 0);
        EXPECT_GAI("host buffer of 10 WCHARs fits", GetNameInfoW((SOCKADDR *)&sa, sizeof sa, whost, 10, NULL, 0, NI_NUMERICHOST), 0);
        EXPECT_TRUE("wide host", wcscmp(whost, L"127.0.0.1") == 0);
    }

    SECTION("getnameinfo: bad arguments");
    EXPECT_GAI("no buffer", getnameinfo((SOCKADDR *)&sa, sizeof sa, NULL, 0, NULL, 0, 0), WSAHOST_NOT_FOUND);
    EXPECT_GAI("NULL address", getnameinfo(NULL, sizeof sa, host, sizeof host, NULL, 0, NI_NUMERICHOST), WSAEFAULT);
    EXPECT_GAI("short address", getnameinfo((SOCKADDR *)&sa, 8, host, sizeof host, NULL, 0, NI_NUMERICHOST), WSAEFAULT);
    EXPECT_GAI("NUMERICHOST|NAMEREQD", getnameinfo((SOCKADDR *)&sa, sizeof sa, host, sizeof host, NULL, 0, NI_NUMERICHOST | NI_NAMEREQD), WSAEINVAL);
    sa.sin_family = 1;
    EXPECT_GAI("family 1", getnameinfo((SOCKADDR *)&sa, sizeof sa, host, sizeof host, NULL, 0, NI_NUMERICHOST), WSAEAFNOSUPPORT);
    sa.sin_family = AF_INET;

    SECTION("getnameinfo: names from /etc/hosts and /etc/services");
    EXPECT_GAI("127.0.0.1 by name", getnameinfo((SOCKADDR *)&sa, sizeof sa, host, sizeof host, NULL, 0, NI_NAMEREQD), 0);
    EXPECT_TRUE("localhost (or localhost.<domain>)", strncmp(host, "localhost", 9) == 0);
    sa.sin_port = htons(1); /* not a well-known service on the test machines: its number */
    EXPECT_GAI("unnamed port", getnameinfo((SOCKADDR *)&sa, sizeof sa, NULL, 0, serv, sizeof serv, NI_DGRAM), 0);
    {
        FILE *f = fopen("/etc/services", "r");
        if (f) {
            fclose(f);
            sa.sin_port = htons(80);
            EXPECT_GAI("port 80 by name", getnameinfo((SOCKADDR *)&sa, sizeof sa, NULL, 0, serv, sizeof serv, 0), 0);
            EXPECT_STR("http", serv, "http");
            sa.sin_port = htons(443);
            EXPECT_GAI("port 443 by name", getnameinfo((SOCKADDR *)&sa, sizeof sa, NULL, 0, serv, sizeof serv, 0), 0);
            EXPECT_STR("https", serv, "https");
        } else {
            printf("SKIPPED: no /etc/services: getnameinfo's service name\n");
        }
    }
}

static void test_hostent(void)
{
    struct hostent *h;
    char **ptr;
    char *after;
    int count;
    ULONG lo = htonl(INADDR_LOOPBACK);

    SECTION("gethostbyname(localhost): AF_INET, 4-byte addresses, Windows' buffer layout");
    WSASetLastError(0xdead);
    h = gethostbyname("localhost");
    EXPECT_TRUE("found", h != NULL);
    EXPECT_EQ("last error 0", WSAGetLastError(), 0);
    EXPECT_EQ("h_addrtype", h->h_addrtype, AF_INET);
    EXPECT_EQ("h_length", h->h_length, 4);
    EXPECT_TRUE("127.0.0.1", memcmp(h->h_addr, &lo, 4) == 0);
    after = (char *)(h + 1);
    EXPECT_TRUE("h_aliases right after the structure", (char *)h->h_aliases == after);
    for (ptr = h->h_aliases, count = 1; *ptr; ptr++)
        count++;
    after += sizeof(*ptr) * count;
    EXPECT_TRUE("h_addr_list after the aliases", (char *)h->h_addr_list == after);
    for (ptr = h->h_addr_list, count = 1; *ptr; ptr++)
        count++;
    after += sizeof(*ptr) * count;
    EXPECT_TRUE("the first address after the list", h->h_addr_list[0] == after);

    SECTION("gethostbyname: a numeric address is itself");
    h = gethostbyname("1.2.3.4");
    EXPECT_TRUE("found", h != NULL);
    EXPECT_STR("h_name", h->h_name, "1.2.3.4");
    EXPECT_TRUE("the address", (BYTE)h->h_addr_list[0][0] == 1 && (BYTE)h->h_addr_list[0][3] == 4);
    EXPECT_TRUE("one address", h->h_addr_list[1] == NULL);

    SECTION("gethostbyaddr");
    h = gethostbyaddr((const char *)&lo, 4, AF_INET);
    EXPECT_TRUE("found", h != NULL);
    EXPECT_TRUE("localhost (or localhost.<domain>)", strncmp(h->h_name, "localhost", 9) == 0);
    WSASetLastError(0);
    EXPECT_TRUE("length 3", gethostbyaddr((const char *)&lo, 3, AF_INET) == NULL);
    EXPECT_EQ("length 3: WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    EXPECT_TRUE("type 1", gethostbyaddr((const char *)&lo, 4, 1) == NULL);
    EXPECT_EQ("type 1: WSAEAFNOSUPPORT", WSAGetLastError(), WSAEAFNOSUPPORT);
    EXPECT_TRUE("NULL", gethostbyaddr(NULL, 4, AF_INET) == NULL);
    EXPECT_EQ("NULL: WSAEFAULT", WSAGetLastError(), WSAEFAULT);
}

static void test_gethostname(void)
{
    char name[256];
    int len;
    WCHAR wname[256];
    char *volatile nowhere = NULL; /* a NULL the compiler cannot see through */

    SECTION("gethostname (Windows-run test_gethostname)");
    EXPECT_EQ("gethostname", gethostname(name, (int)sizeof name), 0);
    EXPECT_TRUE("a name", name[0] != 0);
    EXPECT_TRUE("resolves", gethostbyname(name) != NULL);
    len = (int)strlen(name);
    strcpy(name, "deadbeef");
    WSASetLastError(0xdead);
    EXPECT_EQ("no room for the NUL", gethostname(name, len), SOCKET_ERROR);
    EXPECT_EQ("WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    EXPECT_STR("untouched", name, "deadbeef");
    EXPECT_EQ("with room", gethostname(name, len + 1), 0);
    EXPECT_EQ("negative length", gethostname(name, -1), SOCKET_ERROR);
    EXPECT_EQ("WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ("NULL", gethostname(nowhere, 256), SOCKET_ERROR);
    EXPECT_EQ("WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ("GetHostNameW", GetHostNameW(wname, 256), 0);
    EXPECT_EQ("same length", (int)wcslen(wname), len);
    EXPECT_EQ("GetHostNameW short", GetHostNameW(wname, len), SOCKET_ERROR);
    EXPECT_EQ("WSAEFAULT", WSAGetLastError(), WSAEFAULT);
}

static void test_servent(void)
{
    struct servent *s, *s2;
    FILE *f = fopen("/etc/services", "r");

    SECTION("getservbyname / getservbyport");
    WSASetLastError(0);
    EXPECT_TRUE("unknown", getservbyname("nonexistentservice", NULL) == NULL);
    EXPECT_EQ("WSANO_DATA", WSAGetLastError(), WSANO_DATA);
    if (!f) {
        printf("SKIPPED: no /etc/services: getservbyname / getservbyport values\n");
        return;
    }
    fclose(f);
    s = getservbyname("http", "tcp");
    EXPECT_TRUE("http/tcp", s != NULL);
    EXPECT_STR("s_name", s->s_name, "http");
    EXPECT_STR("s_proto", s->s_proto, "tcp");
    EXPECT_EQ("s_port in network order", s->s_port, (short)htons(80));
    s2 = getservbyname("telnet", "tcp");
    EXPECT_TRUE("telnet/tcp", s2 != NULL && ntohs(s2->s_port) == 23);
    EXPECT_TRUE("the thread's buffer, not resized when not needed", s == s2);
    s = getservbyport(htons(80), "tcp");
    EXPECT_TRUE("port 80", s != NULL);
    EXPECT_STR("http", s->s_name, "http");
    s = getservbyport(htons(443), "tcp"); /* a port whose network-order value is negative as a short */
    EXPECT_TRUE("port 443", s != NULL);
    EXPECT_STR("https", s->s_name, "https");
    EXPECT_EQ("s_port", ntohs(s->s_port), 443);
}

static void test_protoent(void)
{
    struct protoent *p;
    SECTION("getprotobyname / getprotobynumber: Windows' table (Windows-run test_getprotobyname)");
    p = getprotobyname("tcp");
    EXPECT_TRUE("tcp", p != NULL);
    EXPECT_EQ("p_proto", p->p_proto, IPPROTO_TCP);
    EXPECT_STR("p_name", p->p_name, "tcp");
    EXPECT_STR("alias", p->p_aliases[0], "TCP");
    EXPECT_TRUE("one alias", p->p_aliases[1] == NULL);
    p = getprotobyname("IPV6-ICMP");
    EXPECT_TRUE("any case", p != NULL && p->p_proto == 58);
    p = getprotobynumber(IPPROTO_UDP);
    EXPECT_TRUE("17", p != NULL);
    EXPECT_STR("udp", p->p_name, "udp");
    WSASetLastError(0);
    EXPECT_TRUE("2 is not in the table", getprotobynumber(2) == NULL);
    EXPECT_EQ("WSANO_DATA", WSAGetLastError(), WSANO_DATA);
    EXPECT_TRUE("unknown name", getprotobyname("nonexistent") == NULL);
    EXPECT_EQ("sizeof(struct protoent)", sizeof(struct protoent), 24);
}

struct ntoa_thread {
    const char *seen;
};

static void *ntoa_other_thread(void *arg)
{
    struct in_addr a;
    a.s_addr = htonl(0x04030201);
    ((struct ntoa_thread *)arg)->seen = inet_ntoa(a);
    return NULL;
}

static void test_inet_ntoa_per_thread(void)
{
    struct in_addr a;
    const char *mine;
    pthread_t t;
    struct ntoa_thread other;

    SECTION("inet_ntoa: one buffer per thread (Windows-run test_inet_ntoa)");
    a.s_addr = htonl(0x01020304);
    mine = inet_ntoa(a);
    EXPECT_STR("mine", mine, "1.2.3.4");
    EXPECT_EQ("thread", pthread_create(&t, NULL, ntoa_other_thread, &other), 0);
    EXPECT_EQ("join", pthread_join(t, NULL), 0);
    EXPECT_STR("still mine", mine, "1.2.3.4");
    EXPECT_TRUE("another buffer", other.seen != mine);
}

static void test_wide_pton_ntop(void)
{
    IN_ADDR a;
    IN6_ADDR a6;
    WCHAR out[64];

    SECTION("InetPtonW / InetNtopW (Windows-run test_inet_pton)");
    WSASetLastError(0xdead);
    EXPECT_EQ("InetPtonW", InetPtonW(AF_INET, L"127.0.0.1", &a), 1);
    EXPECT_EQ("error untouched", WSAGetLastError(), 0xdead);
    EXPECT_EQ("address", a.s_addr, htonl(INADDR_LOOPBACK));
    EXPECT_EQ("InetPtonW bad", InetPtonW(AF_INET, L"1.2.3", &a), 0);
    EXPECT_EQ("WSAEINVAL", WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ("InetPtonW v6", InetPtonW(AF_INET6, L"2001:db8::1", &a6), 1);
    EXPECT_EQ("InetPtonW family", InetPtonW(AF_UNSPEC, L"127.0.0.1", &a), -1);
    EXPECT_EQ("WSAEAFNOSUPPORT", WSAGetLastError(), WSAEAFNOSUPPORT);
    EXPECT_TRUE("InetNtopW", InetNtopW(AF_INET6, &a6, out, 64) == out && wcscmp(out, L"2001:db8::1") == 0);
    EXPECT_TRUE("InetNtopW short", InetNtopW(AF_INET, &a, out, 9) == NULL);
    EXPECT_EQ("WSAEINVAL", WSAGetLastError(), WSAEINVAL);
    EXPECT_TRUE("InetPton(A) is inet_pton", InetPtonA(AF_INET, "10.0.0.1", &a) == 1);
}

static void test_address_strings(void)
{
    SOCKADDR_IN sa;
    SOCKADDR_IN6 sa6;
    char out[64];
    WCHAR outw[64];
    DWORD len;
    int alen;

    SECTION("WSAAddressToStringA/W (Windows-run test_WSAAddressToString)");
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    len = 0;
    WSASetLastError(0xdead);
    EXPECT_EQ("no room", WSAAddressToStringA((SOCKADDR *)&sa, sizeof sa, NULL, out, &len), SOCKET_ERROR);
    EXPECT_EQ("WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ("the length needed", len, 8);
    len = 0;
    EXPECT_EQ("W, NULL buffer", WSAAddressToStringW((SOCKADDR *)&sa, sizeof sa, NULL, NULL, &len), SOCKET_ERROR);
    EXPECT_EQ("W: the length needed", len, 8);
    len = sizeof out;
    sa.sin_addr.s_addr = 0xffffffff;
    sa.sin_port = 0xffff;
    EXPECT_EQ("A", WSAAddressToStringA((SOCKADDR *)&sa, sizeof sa, NULL, out, &len), 0);
    EXPECT_STR("with the port", out, "255.255.255.255:65535");
    EXPECT_EQ("length with the NUL", len, 22);
    len = 64;
    EXPECT_EQ("W", WSAAddressToStringW((SOCKADDR *)&sa, sizeof sa, NULL, outw, &len), 0);
    EXPECT_TRUE("W text", wcscmp(outw, L"255.255.255.255:65535") == 0);
    memset(&sa6, 0, sizeof sa6);
    sa6.sin6_family = AF_INET6;
    sa6.sin6_addr.s6_addr[0] = 0x20;
    sa6.sin6_addr.s6_addr[1] = 0xab;
    sa6.sin6_addr.s6_addr[14] = 0x20;
    sa6.sin6_addr.s6_addr[15] = 0x01;
    sa6.sin6_scope_id = 0x1234;
    sa6.sin6_port = 0xfa81;
    len = sizeof out;
    EXPECT_EQ("IPv6", WSAAddressToStringA((SOCKADDR *)&sa6, sizeof sa6, NULL, out, &len), 0);
    EXPECT_STR("[addr%scope]:port", out, "[20ab::2001%4660]:33274");
    sa6.sin6_port = 0;
    len = sizeof out;
    EXPECT_EQ("IPv6 no port", WSAAddressToStringA((SOCKADDR *)&sa6, sizeof sa6, NULL, out, &len), 0);
    EXPECT_STR("addr%scope", out, "20ab::2001%4660");
    sa.sin_family = 1;
    len = sizeof out;
    EXPECT_EQ("family 1", WSAAddressToStringA((SOCKADDR *)&sa, sizeof sa, NULL, out, &len), SOCKET_ERROR);
    EXPECT_EQ("WSAEINVAL", WSAGetLastError(), WSAEINVAL);

    SECTION("WSAStringToAddressA/W (Windows-run test_WSAStringToAddress)");
    alen = 0;
    EXPECT_EQ("no room", WSAStringToAddressA((LPSTR) "1.1.1.1", AF_INET, NULL, (SOCKADDR *)&sa, &alen), SOCKET_ERROR);
    EXPECT_EQ("WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    EXPECT_TRUE("the length needed", alen >= (int)sizeof sa);
    alen = sizeof sa + 10;
    memset(&sa, 0xab, sizeof sa);
    EXPECT_EQ("a.b.c:port", WSAStringToAddressA((LPSTR) "1.2.3:1", AF_INET, NULL, (SOCKADDR *)&sa, &alen), 0);
    EXPECT_EQ("family", sa.sin_family, AF_INET);
    EXPECT_EQ("address", sa.sin_addr.s_addr, htonl(0x01020003));
    EXPECT_EQ("port", sa.sin_port, htons(1));
    EXPECT_EQ("length", alen, sizeof sa);
    alen = sizeof sa + 10;
    memset(&sa, 0xab, sizeof sa);
    EXPECT_EQ("hex port", WSAStringToAddressW((LPWSTR)L"127.127.127.127:0xAbCd", AF_INET, NULL, (SOCKADDR *)&sa, &alen), 0);
    EXPECT_EQ("port", sa.sin_port, htons(43981));
    alen = sizeof sa + 10;
    memset(&sa, 0xab, sizeof sa);
    EXPECT_EQ("port 0", WSAStringToAddressA((LPSTR) "127.127.127.127:0", AF_INET, NULL, (SOCKADDR *)&sa, &alen), SOCKET_ERROR);
    EXPECT_EQ("WSAEINVAL", WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ("family zeroed", sa.sin_family, 0);
    EXPECT_EQ("port zeroed", sa.sin_port, 0);
    EXPECT_EQ("the address that parsed", sa.sin_addr.s_addr, htonl(0x7f7f7f7f));
    EXPECT_EQ("length unchanged", alen, sizeof sa + 10);
    alen = sizeof sa6 + 10;
    EXPECT_EQ("[::1]:65535", WSAStringToAddressA((LPSTR) "[::1]:65535", AF_INET6, NULL, (SOCKADDR *)&sa6, &alen), 0);
    EXPECT_EQ("family", sa6.sin6_family, AF_INET6);
    EXPECT_EQ("port", sa6.sin6_port, 0xffff);
    EXPECT_EQ("::1", sa6.sin6_addr.s6_addr[15], 1);
    EXPECT_EQ("length", alen, sizeof sa6);
    EXPECT_EQ("::1]:65535", WSAStringToAddressA((LPSTR) "::1]:65535", AF_INET6, NULL, (SOCKADDR *)&sa6, &alen), SOCKET_ERROR);
    EXPECT_EQ("WSAEINVAL", WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ("family 1", WSAStringToAddressA((LPSTR) "1.2.3.4", 1, NULL, (SOCKADDR *)&sa, &alen), SOCKET_ERROR);
    EXPECT_EQ("WSAEINVAL", WSAGetLastError(), WSAEINVAL);
}

/* The TCHAR names (GetAddrInfo, ADDRINFOT, FreeAddrInfo, WSAAddressToString, InetPton,
 * gai_strerror): ANSI, or wide when built with -DUNICODE (tests/capi_c.rs does both). */
static void test_tchar_names(void)
{
    ADDRINFOT hints, *r = NULL;
    TCHAR text[64];
    DWORD len = 64;
    IN_ADDR a;
    SECTION("TCHAR names: GetAddrInfo, ADDRINFOT, WSAAddressToString, InetPton, gai_strerror");
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    EXPECT_EQ("GetAddrInfo", GetAddrInfo(TEXT("127.0.0.1"), TEXT("80"), &hints, &r), 0);
    EXPECT_EQ("WSAAddressToString", WSAAddressToString(r->ai_addr, (DWORD)r->ai_addrlen, NULL, text, &len), 0);
    EXPECT_EQ("length", len, 13);
    EXPECT_TRUE("text", memcmp(text, TEXT("127.0.0.1:80"), 13 * sizeof(TCHAR)) == 0);
    FreeAddrInfo(r);
    EXPECT_EQ("InetPton", InetPton(AF_INET, TEXT("1.2.3.4"), &a), 1);
    EXPECT_TRUE("gai_strerror", memcmp(gai_strerror(EAI_NONAME), TEXT("No such host is known. "), 24 * sizeof(TCHAR)) == 0);
}

static void test_gai_strerror(void)
{
    SECTION("gai_strerror: Windows' message text");
    EXPECT_STR("EAI_NONAME", gai_strerrorA(EAI_NONAME), "No such host is known. ");
    EXPECT_STR("EAI_SERVICE", gai_strerrorA(EAI_SERVICE), "The specified class was not found. ");
    EXPECT_TRUE("W", wcscmp(gai_strerrorW(WSAHOST_NOT_FOUND), L"No such host is known. ") == 0);
}

/* Run by tests/capi_c.rs in a UTS namespace whose host name is in no hosts file and a
 * network namespace without DNS: Windows always resolves its own name, and so must this. */
static int own_name_only(void)
{
    WSADATA wsa;
    char name[256];
    ADDRINFOA *r = NULL;
    struct hostent *h;
    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    SECTION("the host's own name resolves even when the system cannot resolve it");
    EXPECT_EQ("gethostname", gethostname(name, (int)sizeof name), 0);
    printf("host name: %s\n", name);
    h = gethostbyname(name);
    EXPECT_TRUE("gethostbyname(own name)", h != NULL && h->h_addrtype == AF_INET);
    EXPECT_GAI("getaddrinfo(own name)", getaddrinfo(name, "80", NULL, &r), 0);
    EXPECT_TRUE("addresses", r != NULL && port_of(r) == 80);
    freeaddrinfo(r);
    r = NULL;
    EXPECT_GAI("getaddrinfo(\"\")", getaddrinfo("", NULL, NULL, &r), 0);
    freeaddrinfo(r);
    WSACleanup();
    DONE();
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    if (argc > 1 && strcmp(argv[1], "--own-name") == 0)
        return own_name_only();
    test_layouts_and_constants();
    test_not_started();
    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    test_getaddrinfo();
    test_getaddrinfo_server_flow();
    test_getnameinfo();
    test_hostent();
    test_gethostname();
    test_servent();
    test_protoent();
    test_inet_ntoa_per_thread();
    test_wide_pton_ntop();
    test_address_strings();
    test_gai_strerror();
    test_tchar_names();
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    DONE();
}
