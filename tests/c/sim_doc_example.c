#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <wsaevents_sim.h>

int main(void)
{
    WSADATA wsa;
    WSANETWORKEVENTS ne;
    SOCKADDR_IN a = {0};
    SOCKET c;
    WSAEVENT ev;
    DWORD t0;
    int silent;

    wsaevents_sim_start(42);                       /* before WSAStartup */
    silent = wsaevents_sim_add_host("silent", "10.0.0.3");
    wsaevents_sim_set_silent(silent, 1);

    WSAStartup(MAKEWORD(2, 2), &wsa);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ev = WSACreateEvent();
    WSAEventSelect(c, ev, FD_CONNECT);
    a.sin_family = AF_INET;
    a.sin_port = htons(80);
    inet_pton(AF_INET, "10.0.0.3", &a.sin_addr);
    t0 = GetTickCount();
    connect(c, (SOCKADDR *)&a, sizeof a);          /* WSAEWOULDBLOCK */
    WSAWaitForMultipleEvents(1, &ev, FALSE, 60000, FALSE);
    WSAEnumNetworkEvents(c, ev, &ne);
    /* ne.iErrorCode[FD_CONNECT_BIT] == WSAETIMEDOUT, GetTickCount() - t0 == 21000 */
    if (ne.iErrorCode[FD_CONNECT_BIT] != WSAETIMEDOUT || GetTickCount() - t0 != 21000) {
        wsaevents_sim_dump_trace();
        return 1;
    }
    closesocket(c);
    WSACloseEvent(ev);
    WSACleanup();
    return 0;
}
