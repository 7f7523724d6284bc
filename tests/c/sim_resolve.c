/*
 * sim_resolve.c -- name resolution on the simulated network. First tests/c/resolve.c,
 * unchanged, with the process switched to the simulated network before any Winsock call
 * (numeric forms, localhost, the machine's own name and the services database resolve as
 * before); then the names of simulated hosts: a host's name (wsaevents_sim_add_host) is
 * its addresses for getaddrinfo, GetAddrInfoW and gethostbyname, an address of a host has
 * its name for getnameinfo and gethostbyaddr, and a name no host has fails as an unknown
 * name does on Windows: WSAHOST_NOT_FOUND (11001), returned and as the last error (Wine's
 * Windows-run test_getaddrinfo; gethostbyname: NULL with the same last error). Finally a
 * client connects to a simulated server by name.
 */
#include <wsaevents_sim.h>

#define main resolve_main
#include "resolve.c"
#undef main

#include "net.h"

static const char *ip_text(const SOCKADDR *sa)
{
    static char buf[64];
    if (sa->sa_family == AF_INET)
        return inet_ntop(AF_INET, &((const SOCKADDR_IN *)sa)->sin_addr, buf, sizeof buf);
    return inet_ntop(AF_INET6, &((const SOCKADDR_IN6 *)sa)->sin6_addr, buf, sizeof buf);
}

static void test_sim_getaddrinfo(void)
{
    ADDRINFOA hints, *r = NULL;
    ADDRINFOW hw, *rw = NULL;

    SECTION("sim: getaddrinfo of a host's name: its addresses, in order, with the port");
    EXPECT_GAI("getaddrinfo(\"server\", \"80\")", getaddrinfo("server", "80", NULL, &r), 0);
    EXPECT_TRUE("  two entries", r != NULL && r->ai_next != NULL && r->ai_next->ai_next == NULL);
    EXPECT_EQ("  first: AF_INET", r->ai_family, AF_INET);
    EXPECT_STR("  10.0.0.2", ip_text(r->ai_addr), "10.0.0.2");
    EXPECT_EQ("  port 80", ntohs(((SOCKADDR_IN *)r->ai_addr)->sin_port), 80);
    EXPECT_EQ("  second: AF_INET6", r->ai_next->ai_family, AF_INET6);
    EXPECT_STR("  fd00::2", ip_text(r->ai_next->ai_addr), "fd00::2");
    freeaddrinfo(r);

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET6;
    EXPECT_GAI("AF_INET6 hints", getaddrinfo("server", NULL, &hints, &r), 0);
    EXPECT_TRUE("  one entry", r != NULL && r->ai_next == NULL);
    EXPECT_STR("  fd00::2", ip_text(r->ai_addr), "fd00::2");
    freeaddrinfo(r);

    SECTION("sim: names compare without case; AI_CANONNAME is the host's name");
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_CANONNAME;
    EXPECT_GAI("getaddrinfo(\"SeRvEr\")", getaddrinfo("SeRvEr", NULL, &hints, &r), 0);
    EXPECT_STR("  10.0.0.2", ip_text(r->ai_addr), "10.0.0.2");
    EXPECT_STR("  ai_canonname", r->ai_canonname, "server");
    freeaddrinfo(r);

    SECTION("sim: an unknown name is WSAHOST_NOT_FOUND (test_getaddrinfo)");
    r = (ADDRINFOA *)&hints;
    EXPECT_GAI("getaddrinfo(\"nosuch\")", getaddrinfo("nosuch", "80", NULL, &r), WSAHOST_NOT_FOUND);
    EXPECT_TRUE("  *ppResult NULL", r == NULL);
    EXPECT_EQ("  WSAHOST_NOT_FOUND is 11001", WSAHOST_NOT_FOUND, 11001);
    hints.ai_flags = 0;
    hints.ai_family = AF_INET6;
    EXPECT_GAI("no address of the family", getaddrinfo("v4only", NULL, &hints, &r),
               WSAHOST_NOT_FOUND);
    hints.ai_family = AF_UNSPEC;
    hints.ai_flags = AI_NUMERICHOST;
    EXPECT_GAI("AI_NUMERICHOST with a name", getaddrinfo("server", NULL, &hints, &r),
               WSAHOST_NOT_FOUND);

    SECTION("sim: numeric strings and localhost as before");
    EXPECT_GAI("getaddrinfo(\"10.0.0.9\")", getaddrinfo("10.0.0.9", NULL, NULL, &r), 0);
    EXPECT_STR("  itself", ip_text(r->ai_addr), "10.0.0.9");
    freeaddrinfo(r);
    EXPECT_GAI("getaddrinfo(\"localhost\")", getaddrinfo("localhost", NULL, NULL, &r), 0);
    EXPECT_TRUE("  loopback", is_loopback(r));
    freeaddrinfo(r);

    SECTION("sim: GetAddrInfoW of a host's name");
    memset(&hw, 0, sizeof hw);
    hw.ai_family = AF_INET;
    EXPECT_GAI("GetAddrInfoW(L\"server\")", GetAddrInfoW(L"server", L"8080", &hw, &rw), 0);
    EXPECT_TRUE("  one entry", rw != NULL && rw->ai_next == NULL);
    EXPECT_STR("  10.0.0.2", ip_text(rw->ai_addr), "10.0.0.2");
    EXPECT_EQ("  port", ntohs(((SOCKADDR_IN *)rw->ai_addr)->sin_port), 8080);
    FreeAddrInfoW(rw);
    EXPECT_GAI("GetAddrInfoW(L\"nosuch\")", GetAddrInfoW(L"nosuch", NULL, NULL, &rw),
               WSAHOST_NOT_FOUND);
}

static void test_sim_hostent_and_nameinfo(void)
{
    struct hostent *h;
    SOCKADDR_IN a;
    char host[64], serv[16];
    IN_ADDR ia;

    SECTION("sim: gethostbyname of a host's name: its IPv4 address");
    h = gethostbyname("server");
    EXPECT_TRUE("gethostbyname(\"server\")", h != NULL);
    EXPECT_STR("  h_name", h->h_name, "server");
    EXPECT_EQ("  h_addrtype", h->h_addrtype, AF_INET);
    EXPECT_EQ("  h_length", h->h_length, 4);
    memcpy(&ia, h->h_addr_list[0], 4);
    EXPECT_STR("  10.0.0.2", inet_ntoa(ia), "10.0.0.2");
    EXPECT_TRUE("  one address", h->h_addr_list[1] == NULL);
    WSASetLastError(0);
    EXPECT_TRUE("gethostbyname(\"nosuch\"): NULL", gethostbyname("nosuch") == NULL);
    EXPECT_EQ("  WSAHOST_NOT_FOUND", WSAGetLastError(), WSAHOST_NOT_FOUND);

    SECTION("sim: getnameinfo / gethostbyaddr of a host's address: its name");
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(80);
    inet_pton(AF_INET, "10.0.0.2", &a.sin_addr);
    EXPECT_GAI("getnameinfo(10.0.0.2:80)",
               getnameinfo((SOCKADDR *)&a, sizeof a, host, sizeof host, serv, sizeof serv,
                           NI_NUMERICSERV),
               0);
    EXPECT_STR("  host", host, "server");
    EXPECT_STR("  service", serv, "80");
    h = gethostbyaddr((const char *)&a.sin_addr, 4, AF_INET);
    EXPECT_TRUE("gethostbyaddr(10.0.0.2)", h != NULL);
    EXPECT_STR("  h_name", h->h_name, "server");
    inet_pton(AF_INET, "10.0.0.99", &a.sin_addr);
    EXPECT_GAI("an address no host has: numeric",
               getnameinfo((SOCKADDR *)&a, sizeof a, host, sizeof host, NULL, 0, 0), 0);
    EXPECT_STR("  numeric", host, "10.0.0.99");
    EXPECT_GAI("  NI_NAMEREQD: WSAHOST_NOT_FOUND",
               getnameinfo((SOCKADDR *)&a, sizeof a, host, sizeof host, NULL, 0, NI_NAMEREQD),
               WSAHOST_NOT_FOUND);
}

static void test_sim_connect_by_name(int server)
{
    ADDRINFOA hints, *r = NULL;
    SOCKADDR_IN at;
    SOCKET l, c, s;

    SECTION("sim: a client connects to a simulated server by its name");
    EXPECT_EQ("enter the server", wsaevents_sim_enter(server), 0);
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&at, 0, sizeof at);
    at.sin_family = AF_INET;
    at.sin_port = htons(80);
    inet_pton(AF_INET, "10.0.0.2", &at.sin_addr);
    EXPECT_EQ("bind 10.0.0.2:80", bind(l, (SOCKADDR *)&at, sizeof at), 0);
    EXPECT_EQ("listen", listen(l, 4), 0);
    EXPECT_EQ("back to the local host", wsaevents_sim_enter(-1), 0);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    EXPECT_GAI("getaddrinfo(\"server\", \"http\")", getaddrinfo("server", "80", &hints, &r), 0);
    c = socket(r->ai_family, r->ai_socktype, r->ai_protocol);
    EXPECT_EQ("connect to what it resolved to", connect(c, r->ai_addr, (int)r->ai_addrlen), 0);
    freeaddrinfo(r);
    s = accept(l, NULL, NULL);
    EXPECT_TRUE("accepted", s != INVALID_SOCKET);
    EXPECT_EQ("send", send(c, "hi", 2, 0), 2);
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

int main(void)
{
    static char trace[1 << 20];
    static char arg0[] = "sim_resolve";
    char *argv[] = {arg0, NULL};
    WSADATA wsa;
    int server;

    if (wsaevents_sim_start(5) != 0)
        return 1;
    if (resolve_main(1, argv) != 0)
        return 1;
    printf("sim_resolve.c: resolve.c passed on the simulated network\n");

    server = wsaevents_sim_add_host("server", "10.0.0.2, fd00::2");
    EXPECT_TRUE("wsaevents_sim_add_host(server)", server > 0);
    EXPECT_TRUE("wsaevents_sim_add_host(v4only)", wsaevents_sim_add_host("v4only", "10.0.0.4") > 0);
    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    test_sim_getaddrinfo();
    test_sim_hostent_and_nameinfo();
    test_sim_connect_by_name(server);
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);

    wsaevents_sim_trace(trace, sizeof trace);
    EXPECT_TRUE("the lookups are traced", strstr(trace, "resolve \"server\"") != NULL);
    EXPECT_TRUE("simulated sockets", strstr(trace, " socket tcpv4") != NULL);
    DONE();
}
