/*
 * Probe for docs/semantics.md, "The last error after success": the last error after each
 * successful call. Run under Wine with ../shared/wine/oracle.sh docs/probes/last_error.c
 * (Wine is not Windows: see the table for which rows Windows-run tests confirm), or build
 * it with any Windows compiler (-lws2_32) and run it on Windows.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#define P(name, expr) do { int ok_; WSASetLastError(0xdeadbeef); ok_ = (expr); printf("%-22s ok=%d last=%d\n", name, ok_, WSAGetLastError()); } while (0)
int main(void) {
    WSADATA d; SOCKET l, c, a, u; SOCKADDR_IN addr, from; int len, one = 1, opt; u_long n; char buf[8];
    WSAEVENT ev; WSANETWORKEVENTS ne;
    WSASetLastError(0xdeadbeef);
    printf("WSAStartup rc=%d last=%d\n", WSAStartup(MAKEWORD(2,2), &d), WSAGetLastError());
    P("socket", (l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) != INVALID_SOCKET);
    memset(&addr, 0, sizeof addr); addr.sin_family = AF_INET; addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    P("bind", bind(l, (SOCKADDR*)&addr, sizeof addr) == 0);
    len = sizeof addr; P("getsockname", getsockname(l, (SOCKADDR*)&addr, &len) == 0);
    P("listen", listen(l, 4) == 0);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    P("connect", connect(c, (SOCKADDR*)&addr, sizeof addr) == 0);
    P("accept", (a = accept(l, NULL, NULL)) != INVALID_SOCKET);
    len = sizeof from; P("getpeername", getpeername(a, (SOCKADDR*)&from, &len) == 0);
    P("setsockopt", setsockopt(a, IPPROTO_TCP, TCP_NODELAY, (char*)&one, 4) == 0);
    len = 4; P("getsockopt", getsockopt(a, SOL_SOCKET, SO_ERROR, (char*)&opt, &len) == 0);
    P("WSACreateEvent", (ev = WSACreateEvent()) != NULL);
    P("WSAEventSelect", WSAEventSelect(a, ev, FD_READ) == 0);
    P("send", send(c, "hello", 5, 0) == 5);
    P("WSAWaitForMultipleEvents", WSAWaitForMultipleEvents(1, &ev, FALSE, 5000, FALSE) == 0);
    P("WSAEnumNetworkEvents", WSAEnumNetworkEvents(a, ev, &ne) == 0);
    P("ioctlsocket FIONREAD", ioctlsocket(a, FIONREAD, &n) == 0);
    P("recv", recv(a, buf, 2, 0) == 2);
    P("recvfrom stream", recvfrom(a, buf, 2, 0, NULL, NULL) == 2);
    P("shutdown", shutdown(c, SD_SEND) == 0);
    P("closesocket", closesocket(c) == 0);
    P("WSASetEvent", WSASetEvent(ev));
    P("WSAResetEvent", WSAResetEvent(ev));
    P("WSACloseEvent", WSACloseEvent(ev));
    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP); addr.sin_port = 0;
    bind(u, (SOCKADDR*)&addr, sizeof addr); len = sizeof addr; getsockname(u, (SOCKADDR*)&addr, &len);
    P("sendto", sendto(u, "x", 1, 0, (SOCKADDR*)&addr, sizeof addr) == 1);
    len = sizeof from; P("recvfrom dgram", recvfrom(u, buf, 8, 0, (SOCKADDR*)&from, &len) == 1);
    closesocket(u); closesocket(a); closesocket(l);
    P("WSACleanup", WSACleanup() == 0);
    return 0;
}
