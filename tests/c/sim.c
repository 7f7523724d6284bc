/*
 * sim.c -- a Winsock C program on the simulated network (include/wsaevents_sim.h, issue
 * 14): what loopback cannot show, with Windows' values, in virtual time.
 *
 *   - A connect to a host that never answers: FD_CONNECT with WSAETIMEDOUT after Windows'
 *     SYN schedule, 3 + 6 + 12 = 21 s (Microsoft KB 2786464), and GetTickCount and
 *     QueryPerformanceCounter advance by exactly that.
 *   - A refused connect: FD_CONNECT with WSAECONNREFUSED (rule 33) after Windows' retries.
 *   - A scripted peer on another host, selected with FD_READ | FD_CLOSE: a RST at a chosen
 *     byte gives FD_CLOSE with WSAECONNABORTED and recv WSAECONNRESET (rule 39).
 *   - Sleep(5000) takes 5000 virtual milliseconds.
 *   - Bad arguments of the sim API: WSAEFAULT, WSAEINVAL.
 *   - The trace has the SYN retransmissions and the recorded bits.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <wsaevents_sim.h>

#include "check.h"

static char trace[1 << 20];

static SOCKADDR_IN addr_of(const char *ip, unsigned short port)
{
    SOCKADDR_IN a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    EXPECT_EQ("inet_pton", inet_pton(AF_INET, ip, &a.sin_addr), 1);
    return a;
}

/* Waits (virtual time) for ev, enumerates s; returns the record. */
static WSANETWORKEVENTS next_events(SOCKET s, WSAEVENT ev)
{
    WSANETWORKEVENTS ne;
    EXPECT_EQ("wait", WSAWaitForMultipleEvents(1, &ev, FALSE, 600000, FALSE), WSA_WAIT_EVENT_0);
    EXPECT_EQ("WSAEnumNetworkEvents", WSAEnumNetworkEvents(s, ev, &ne), 0);
    return ne;
}

int main(void)
{
    WSADATA wsa;
    SOCKET c, l, s;
    WSAEVENT ev;
    WSANETWORKEVENTS ne;
    SOCKADDR_IN a;
    DWORD t0;
    LARGE_INTEGER q0, q1, f;
    int server, silent, n, got;
    char buf[4096];
    size_t len;

    SECTION("start before WSAStartup");
    EXPECT_EQ("add_host before start", wsaevents_sim_add_host("x", "10.0.0.9"), SOCKET_ERROR);
    EXPECT_EQ("WSANOTINITIALISED", WSAGetLastError(), WSANOTINITIALISED);
    EXPECT_EQ("start", wsaevents_sim_start(42), 0);
    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    server = wsaevents_sim_add_host("server", "10.0.0.2");
    silent = wsaevents_sim_add_host("silent", "10.0.0.3");
    EXPECT_EQ("server is host 1", server, 1);
    EXPECT_EQ("silent is host 2", silent, 2);
    EXPECT_EQ("set_silent", wsaevents_sim_set_silent(silent, 1), 0);
    EXPECT_EQ("set_latency", wsaevents_sim_set_latency(WSAEVENTS_SIM_LOCAL, server, 2000, 0), 0);

    SECTION("bad arguments");
    EXPECT_EQ("NULL name", wsaevents_sim_add_host(NULL, "10.0.0.9"), SOCKET_ERROR);
    EXPECT_EQ("WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    EXPECT_EQ("bad address", wsaevents_sim_add_host("x", "10.0.0.300"), SOCKET_ERROR);
    EXPECT_EQ("WSAEINVAL", WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ("unknown host", wsaevents_sim_enter(99), SOCKET_ERROR);
    EXPECT_EQ("WSAEINVAL", WSAGetLastError(), WSAEINVAL);
    EXPECT_EQ("loss > 1", wsaevents_sim_set_loss(0, server, 1.5), SOCKET_ERROR);
    EXPECT_EQ("WSAEINVAL", WSAGetLastError(), WSAEINVAL);

    SECTION("connect to a silent host: WSAETIMEDOUT after 21 s of virtual time");
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_TRUE("socket", c != INVALID_SOCKET);
    ev = WSACreateEvent();
    EXPECT_EQ("select", WSAEventSelect(c, ev, FD_CONNECT | FD_WRITE), 0);
    a = addr_of("10.0.0.3", 80);
    t0 = GetTickCount();
    EXPECT_TRUE("QPF", QueryPerformanceFrequency(&f));
    EXPECT_TRUE("QPC", QueryPerformanceCounter(&q0));
    EXPECT_EQ("connect", connect(c, (SOCKADDR *)&a, sizeof a), SOCKET_ERROR);
    EXPECT_EQ("WSAEWOULDBLOCK", WSAGetLastError(), WSAEWOULDBLOCK);
    ne = next_events(c, ev);
    EXPECT_EQ("FD_CONNECT only", ne.lNetworkEvents, FD_CONNECT);
    EXPECT_EQ("WSAETIMEDOUT", ne.iErrorCode[FD_CONNECT_BIT], WSAETIMEDOUT);
    EXPECT_EQ("GetTickCount advanced 21000 ms", GetTickCount() - t0, 21000);
    EXPECT_TRUE("QPC", QueryPerformanceCounter(&q1));
    EXPECT_EQ("QPC advanced 21 s", (q1.QuadPart - q0.QuadPart) / f.QuadPart, 21);
    closesocket(c);

    SECTION("refused connect: WSAECONNREFUSED after Windows' retries (rule 33)");
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("select", WSAEventSelect(c, ev, FD_CONNECT | FD_WRITE), 0);
    a = addr_of("10.0.0.2", 81);
    t0 = GetTickCount();
    EXPECT_EQ("connect", connect(c, (SOCKADDR *)&a, sizeof a), SOCKET_ERROR);
    ne = next_events(c, ev);
    EXPECT_EQ("FD_CONNECT only", ne.lNetworkEvents, FD_CONNECT);
    EXPECT_EQ("WSAECONNREFUSED", ne.iErrorCode[FD_CONNECT_BIT], WSAECONNREFUSED);
    EXPECT_TRUE("refused after >= 1.5 s", GetTickCount() - t0 >= 1500);
    closesocket(c);

    SECTION("a RST at byte 3000 from a scripted peer (rule 39)");
    EXPECT_EQ("enter server", wsaevents_sim_enter(server), 0);
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    a = addr_of("10.0.0.2", 80);
    EXPECT_EQ("bind", bind(l, (SOCKADDR *)&a, sizeof a), 0);
    EXPECT_EQ("listen", listen(l, 4), 0);
    EXPECT_EQ("enter local", wsaevents_sim_enter(-1), 0);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("blocking connect", connect(c, (SOCKADDR *)&a, sizeof a), 0);
    EXPECT_EQ("enter server", wsaevents_sim_enter(server), 0);
    s = accept(l, NULL, NULL);
    EXPECT_TRUE("accept", s != INVALID_SOCKET);
    {
        SOCKADDR_IN me;
        int me_len = sizeof me;
        char to[64], ip[32];
        EXPECT_EQ("getsockname", getsockname(c, (SOCKADDR *)&me, &me_len), 0);
        EXPECT_TRUE("inet_ntop", inet_ntop(AF_INET, &me.sin_addr, ip, sizeof ip) != NULL);
        snprintf(to, sizeof to, "%s:%u", ip, ntohs(me.sin_port));
        EXPECT_EQ("reset_stream_at", wsaevents_sim_reset_stream_at("10.0.0.2:80", to, 3000), 0);
    }
    memset(buf, 1, sizeof buf);
    EXPECT_EQ("send 4096", send(s, buf, sizeof buf, 0), (int)sizeof buf);
    EXPECT_EQ("enter local", wsaevents_sim_enter(-1), 0);
    EXPECT_EQ("select", WSAEventSelect(c, ev, FD_READ | FD_CLOSE), 0);
    got = 0;
    for (;;) {
        ne = next_events(c, ev);
        while ((n = recv(c, buf, sizeof buf, 0)) > 0)
            got += n;
        if (ne.lNetworkEvents & FD_CLOSE)
            break;
    }
    EXPECT_EQ("FD_CLOSE with WSAECONNABORTED", ne.iErrorCode[FD_CLOSE_BIT], WSAECONNABORTED);
    EXPECT_EQ("3000 bytes before the RST", got, 3000);
    EXPECT_EQ("recv after RST", recv(c, buf, sizeof buf, 0), SOCKET_ERROR);
    EXPECT_EQ("WSAECONNRESET", WSAGetLastError(), WSAECONNRESET);
    closesocket(c);
    closesocket(s);
    closesocket(l);

    SECTION("Sleep follows virtual time");
    t0 = GetTickCount();
    Sleep(5000);
    EXPECT_EQ("Sleep(5000)", GetTickCount() - t0, 5000);

    SECTION("the trace");
    len = wsaevents_sim_trace(NULL, 0);
    EXPECT_TRUE("non-empty", len > 0 && len < sizeof trace);
    EXPECT_EQ("copied", wsaevents_sim_trace(trace, sizeof trace), len);
    EXPECT_TRUE("SYN retransmissions", strstr(trace, "SYN#2 -> 10.0.0.3:80") != NULL);
    EXPECT_TRUE("recorded bits", strstr(trace, "records FD_CONNECT(10060)") != NULL);
    EXPECT_TRUE("the RST", strstr(trace, "receives RST") != NULL);

    WSACloseEvent(ev);
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    EXPECT_EQ("stop", wsaevents_sim_stop(), 0);
    printf("sim.c: %d checks passed\n", check_count);
    return 0;
}
