/*
 * sim_overlapped_faults.c -- overlapped I/O and a completion port on the simulated network
 * (include/wsaevents_sim.h, issue 14), with what loopback cannot produce, in virtual time:
 *
 *   - ConnectEx to a host that never answers, through a completion port: a first
 *     GetQueuedCompletionStatus(20000) times out (WAIT_TIMEOUT, *lpOverlapped NULL) after
 *     exactly 20000 virtual ms; the packet comes at exactly 21000 ms (Windows' SYN
 *     schedule, Microsoft KB 2786464): FALSE with ERROR_SEM_TIMEOUT (121) and the
 *     OVERLAPPED, Internal STATUS_IO_TIMEOUT (RtlNtStatusToDosError), while
 *     WSAGetOverlappedResult reports WSAETIMEDOUT (Wine's map_status, run on Windows by
 *     test_WSAGetOverlappedResult) and GetOverlappedResult ERROR_SEM_TIMEOUT.
 *   - A peer's RST after byte 3000 with a receive pending: the receives take the 3000
 *     bytes; the one pending at the RST fails: WSAECONNRESET (WSAGetOverlappedResult),
 *     ERROR_NETNAME_DELETED (GetOverlappedResult), Internal STATUS_CONNECTION_RESET
 *     (test_WSARecv, Wine, run on Windows; rule 39), 40 virtual ms after the send (the data
 *     20 ms, the RST 20 ms after it).
 *   - A completion routine run by SleepEx(…, TRUE) at the data's arrival (WAIT_IO_COMPLETION,
 *     test_WSARecv); SleepEx(5000, TRUE) with nothing queued lasts exactly 5000 virtual ms;
 *     QueueUserAPC ends WaitForSingleObjectEx(…, TRUE) at once.
 *   - CancelIoEx at a chosen virtual time: ERROR_OPERATION_ABORTED (995) through the port.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <wsaevents_sim.h>

#include "check.h"

#ifndef STATUS_IO_TIMEOUT
#  define STATUS_IO_TIMEOUT ((DWORD)0xC00000B5L)
#endif
#ifndef STATUS_CONNECTION_RESET
#  define STATUS_CONNECTION_RESET ((DWORD)0xC000020DL)
#endif
#ifndef STATUS_CANCELLED
#  define STATUS_CANCELLED ((DWORD)0xC0000120L)
#endif
#ifndef ERROR_SEM_TIMEOUT
#  define ERROR_SEM_TIMEOUT 121
#endif
#ifndef ERROR_NETNAME_DELETED
#  define ERROR_NETNAME_DELETED 64
#endif

static SOCKADDR_IN addr_of(const char *ip, unsigned short port)
{
    SOCKADDR_IN a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    EXPECT_EQ("inet_pton", inet_pton(AF_INET, ip, &a.sin_addr), 1);
    return a;
}

static int routine_calls;
static DWORD routine_error, routine_bytes;

static void CALLBACK on_complete(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    routine_calls++;
    routine_error = error;
    routine_bytes = bytes;
}

static int apc_calls;
static void WINAPI apc(ULONG_PTR data)
{
    apc_calls += (int)data;
}

int main(void)
{
    static char trace[1 << 20];
    static char big[10000];
    WSADATA wsa;
    SOCKADDR_IN a;
    SOCKET s, l, c, p;
    HANDLE port;
    OVERLAPPED ov, *pov;
    WSAOVERLAPPED wov;
    WSABUF wb;
    char buf[1000];
    DWORD bytes, flags, t0, total;
    ULONG_PTR key;
    GUID connectex_guid = WSAID_CONNECTEX;
    LPFN_CONNECTEX pConnectEx = NULL;
    int silent, peer, len;
    WSAEVENT ev;

    EXPECT_EQ("start", wsaevents_sim_start(21), 0);
    silent = wsaevents_sim_add_host("silent", "10.0.0.3");
    peer = wsaevents_sim_add_host("peer", "10.0.0.2");
    EXPECT_EQ("silent", wsaevents_sim_set_silent(silent, 1), 0);
    EXPECT_EQ("latency", wsaevents_sim_set_latency(WSAEVENTS_SIM_LOCAL, peer, 20000, 0), 0);
    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);

    SECTION("ConnectEx to a silent host through a completion port: 21 s, ERROR_SEM_TIMEOUT");
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_TRUE("socket", s != INVALID_SOCKET);
    a = addr_of("0.0.0.0", 0);
    EXPECT_EQ("bind", bind(s, (SOCKADDR *)&a, sizeof a), 0);
    EXPECT_EQ("extension", WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &connectex_guid,
                                    sizeof connectex_guid, &pConnectEx, sizeof pConnectEx,
                                    &bytes, NULL, NULL),
              0);
    port = CreateIoCompletionPort((HANDLE)s, NULL, 7, 0);
    EXPECT_TRUE("CreateIoCompletionPort", port != NULL);
    memset(&ov, 0, sizeof ov);
    a = addr_of("10.0.0.3", 80);
    t0 = GetTickCount();
    EXPECT_EQ("ConnectEx", pConnectEx(s, (SOCKADDR *)&a, sizeof a, NULL, 0, NULL, &ov), FALSE);
    EXPECT_EQ("ERROR_IO_PENDING", WSAGetLastError(), ERROR_IO_PENDING);
    pov = &ov;
    EXPECT_EQ("GQCS(20000)", GetQueuedCompletionStatus(port, &bytes, &key, &pov, 20000), FALSE);
    EXPECT_EQ("WAIT_TIMEOUT", GetLastError(), WAIT_TIMEOUT);
    EXPECT_TRUE("no OVERLAPPED", pov == NULL);
    EXPECT_EQ("20000 virtual ms", GetTickCount() - t0, 20000);
    EXPECT_EQ("GQCS", GetQueuedCompletionStatus(port, &bytes, &key, &pov, 60000), FALSE);
    EXPECT_EQ("ERROR_SEM_TIMEOUT", GetLastError(), ERROR_SEM_TIMEOUT);
    EXPECT_TRUE("the OVERLAPPED", pov == &ov);
    EXPECT_EQ("the key", key, 7);
    EXPECT_EQ("Internal", (DWORD)ov.Internal, STATUS_IO_TIMEOUT);
    EXPECT_EQ("21000 virtual ms", GetTickCount() - t0, 21000);
    EXPECT_EQ("WSAGetOverlappedResult", WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags),
              FALSE);
    EXPECT_EQ("WSAETIMEDOUT", WSAGetLastError(), WSAETIMEDOUT);
    EXPECT_EQ("GetOverlappedResult", GetOverlappedResult((HANDLE)s, &ov, &bytes, FALSE), FALSE);
    EXPECT_EQ("ERROR_SEM_TIMEOUT", GetLastError(), ERROR_SEM_TIMEOUT);
    EXPECT_EQ("closesocket", closesocket(s), 0);

    SECTION("a scripted peer 20 ms away");
    EXPECT_EQ("enter peer", wsaevents_sim_enter(peer), 0);
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    a = addr_of("10.0.0.2", 80);
    EXPECT_EQ("bind", bind(l, (SOCKADDR *)&a, sizeof a), 0);
    EXPECT_EQ("listen", listen(l, 4), 0);
    EXPECT_EQ("enter local", wsaevents_sim_enter(-1), 0);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("connect", connect(c, (SOCKADDR *)&a, sizeof a), 0);
    p = accept(l, NULL, NULL);
    EXPECT_TRUE("accept", p != INVALID_SOCKET);

    SECTION("a completion routine in SleepEx at the data's arrival; SleepEx and APCs");
    memset(&wov, 0, sizeof wov);
    wb.buf = buf;
    wb.len = 4;
    flags = 0;
    EXPECT_EQ("WSARecv", WSARecv(c, &wb, 1, NULL, &flags, &wov, on_complete), SOCKET_ERROR);
    EXPECT_EQ("WSA_IO_PENDING", WSAGetLastError(), WSA_IO_PENDING);
    t0 = GetTickCount();
    EXPECT_EQ("send", send(p, "ping", 4, 0), 4);
    EXPECT_EQ("SleepEx", SleepEx(60000, TRUE), WAIT_IO_COMPLETION);
    EXPECT_EQ("at the arrival", GetTickCount() - t0, 20);
    EXPECT_EQ("one routine", routine_calls, 1);
    EXPECT_EQ("its error", routine_error, 0);
    EXPECT_EQ("its bytes", routine_bytes, 4);
    t0 = GetTickCount();
    EXPECT_EQ("SleepEx(5000)", SleepEx(5000, TRUE), 0);
    EXPECT_EQ("5000 virtual ms", GetTickCount() - t0, 5000);
    ev = WSACreateEvent();
    EXPECT_TRUE("QueueUserAPC", QueueUserAPC(apc, GetCurrentThread(), 3) != 0);
    t0 = GetTickCount();
    EXPECT_EQ("WaitForSingleObjectEx", WaitForSingleObjectEx(ev, 60000, TRUE), WAIT_IO_COMPLETION);
    EXPECT_EQ("the APC ran", apc_calls, 3);
    EXPECT_EQ("at once", GetTickCount() - t0, 0);

    SECTION("a RST after byte 3000 fails the pending receive (rule 39)");
    {
        SOCKADDR_IN me;
        char from[64], to[64], ip[32];
        int me_len = sizeof me;
        EXPECT_EQ("getsockname", getsockname(c, (SOCKADDR *)&me, &me_len), 0);
        inet_ntop(AF_INET, &me.sin_addr, ip, sizeof ip);
        snprintf(to, sizeof to, "%s:%u", ip, ntohs(me.sin_port));
        snprintf(from, sizeof from, "10.0.0.2:80");
        /* The stream's byte 3004: "ping" went first. */
        EXPECT_EQ("reset_stream_at", wsaevents_sim_reset_stream_at(from, to, 3004), 0);
    }
    memset(&wov, 0, sizeof wov);
    wov.hEvent = ev;
    wb.len = sizeof buf;
    total = 0;
    t0 = GetTickCount();
    memset(big, 5, sizeof big);
    flags = 0;
    len = WSARecv(c, &wb, 1, NULL, &flags, &wov, NULL);
    EXPECT_TRUE("pending", len == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING);
    EXPECT_EQ("send", send(p, big, sizeof big, 0), (int)sizeof big);
    for (;;) {
        EXPECT_EQ("wait", WSAWaitForMultipleEvents(1, &ev, FALSE, 60000, FALSE), WSA_WAIT_EVENT_0);
        if (!WSAGetOverlappedResult(c, &wov, &bytes, FALSE, &flags))
            break;
        EXPECT_TRUE("data, no FIN", bytes > 0);
        total += bytes;
        memset(&wov, 0, sizeof wov);
        wov.hEvent = ev;
        flags = 0;
        len = WSARecv(c, &wb, 1, &bytes, &flags, &wov, NULL);
        EXPECT_TRUE("issued", len == 0 || WSAGetLastError() == WSA_IO_PENDING);
    }
    EXPECT_EQ("WSAECONNRESET", WSAGetLastError(), WSAECONNRESET);
    EXPECT_EQ("3000 bytes before it", total, 3000);
    EXPECT_EQ("Internal", (DWORD)wov.Internal, STATUS_CONNECTION_RESET);
    EXPECT_EQ("GetOverlappedResult", GetOverlappedResult((HANDLE)c, &wov, &bytes, FALSE), FALSE);
    EXPECT_EQ("ERROR_NETNAME_DELETED", GetLastError(), ERROR_NETNAME_DELETED);
    EXPECT_EQ("40 virtual ms", GetTickCount() - t0, 40);
    closesocket(c);
    closesocket(p);

    SECTION("CancelIoEx at a chosen virtual time: ERROR_OPERATION_ABORTED through the port");
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("connect", connect(c, (SOCKADDR *)&a, sizeof a), 0);
    p = accept(l, NULL, NULL);
    EXPECT_TRUE("associate", CreateIoCompletionPort((HANDLE)c, port, 9, 0) == port);
    memset(&wov, 0, sizeof wov);
    flags = 0;
    EXPECT_EQ("WSARecv", WSARecv(c, &wb, 1, NULL, &flags, &wov, NULL), SOCKET_ERROR);
    EXPECT_EQ("WSA_IO_PENDING", WSAGetLastError(), WSA_IO_PENDING);
    Sleep(3000);
    t0 = GetTickCount();
    EXPECT_EQ("CancelIoEx", CancelIoEx((HANDLE)c, &wov), TRUE);
    EXPECT_EQ("GQCS", GetQueuedCompletionStatus(port, &bytes, &key, &pov, 60000), FALSE);
    EXPECT_EQ("ERROR_OPERATION_ABORTED", GetLastError(), ERROR_OPERATION_ABORTED);
    EXPECT_TRUE("the OVERLAPPED", pov == (OVERLAPPED *)&wov);
    EXPECT_EQ("the key", key, 9);
    EXPECT_EQ("Internal", (DWORD)wov.Internal, STATUS_CANCELLED);
    EXPECT_EQ("no time", GetTickCount() - t0, 0);

    closesocket(c);
    closesocket(p);
    closesocket(l);
    CloseHandle(port);
    WSACloseEvent(ev);
    WSACleanup();
    wsaevents_sim_trace(trace, sizeof trace);
    EXPECT_TRUE("the trace has the ConnectEx",
                strstr(trace, "ConnectEx overlapped completes 0 bytes, WSAETIMEDOUT") != NULL);
    EXPECT_TRUE("the trace has the cancellation",
                strstr(trace, "WSARecv overlapped completes WSA_OPERATION_ABORTED") != NULL);
    DONE();
}
