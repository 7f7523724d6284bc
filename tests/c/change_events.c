/*
 * change_events.c -- issue 12 through the headers: WSAIoctl's SIO_ADDRESS_LIST_CHANGE,
 * SIO_ADDRESS_LIST_QUERY, SIO_ROUTING_INTERFACE_CHANGE and SIO_ROUTING_INTERFACE_QUERY with
 * Windows' layouts and buffer rules, and FD_ADDRESS_LIST_CHANGE / FD_ROUTING_INTERFACE_CHANGE
 * with the seed page's error codes. Linux; the program unshares its own network namespace
 * first (root) and changes only addresses and routes of a veth pair in it. No traffic.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "check.h"
#include "net.h"

static void sh(const char *cmd)
{
    int rc = system(cmd);
    if (rc != 0) {
        fprintf(stderr, "FAIL: `%s` exited %d\n", cmd, rc);
        exit(1);
    }
}

static DWORD ioctl_rc(SOCKET s, DWORD code, void *in, DWORD in_len, void *out, DWORD out_len,
                      DWORD *n, int *err)
{
    int rc = WSAIoctl(s, code, in, in_len, out, out_len, n, NULL, NULL);
    *err = rc == SOCKET_ERROR ? WSAGetLastError() : 0;
    return (DWORD)rc;
}

/* Waits for `ev`, enumerates, and checks exactly `bit` with `code`. */
static void expect_event(SOCKET s, WSAEVENT ev, long bit, int bit_index, int code)
{
    WSANETWORKEVENTS ne;
    EXPECT_EQ("signalled", WSAWaitForMultipleEvents(1, &ev, FALSE, LONG_MS, FALSE),
              WSA_WAIT_EVENT_0);
    EXPECT_EQ("WSAEnumNetworkEvents", WSAEnumNetworkEvents(s, ev, &ne), 0);
    EXPECT_EQ("the bit", ne.lNetworkEvents, bit);
    EXPECT_EQ("its error code", ne.iErrorCode[bit_index], code);
}

static void expect_nothing(SOCKET s, WSAEVENT ev)
{
    WSANETWORKEVENTS ne;
    EXPECT_EQ("not signalled", WSAWaitForMultipleEvents(1, &ev, FALSE, SHORT_MS, FALSE),
              WSA_WAIT_TIMEOUT);
    EXPECT_EQ("WSAEnumNetworkEvents", WSAEnumNetworkEvents(s, ev, &ne), 0);
    EXPECT_EQ("nothing recorded", ne.lNetworkEvents, 0);
}

static void ipv4(void)
{
    DWORD n;
    int err;
    char buf[1024];
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    WSAEVENT ev = WSACreateEvent();
    EXPECT_EQ("WSAEventSelect",
              WSAEventSelect(s, ev, FD_ADDRESS_LIST_CHANGE | FD_ROUTING_INTERFACE_CHANGE), 0);

    SECTION("SIO_ADDRESS_LIST_CHANGE: WSAEWOULDBLOCK, then FD_ADDRESS_LIST_CHANGE (0) once");
    ioctl_rc(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &n, &err);
    EXPECT_EQ("WSAEWOULDBLOCK", err, WSAEWOULDBLOCK);
    sh("ip -4 addr add 10.99.0.2/24 dev v0");
    expect_event(s, ev, FD_ADDRESS_LIST_CHANGE, FD_ADDRESS_LIST_CHANGE_BIT, 0);
    sh("ip -4 addr add 10.99.0.3/24 dev v0");
    expect_nothing(s, ev);

    SECTION("SIO_ADDRESS_LIST_QUERY: SOCKET_ADDRESS_LIST in the caller's buffer");
    ioctl_rc(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buf, 4, &n, &err);
    EXPECT_EQ("too small: WSAEFAULT", err, WSAEFAULT);
    /* header + 3 entries + 3 SOCKADDR_IN at least */
    EXPECT_TRUE("the size needed", n >= sizeof(SOCKET_ADDRESS_LIST) + 2 * sizeof(SOCKET_ADDRESS) +
                                          3 * sizeof(SOCKADDR_IN));
    DWORD need = n;
    EXPECT_EQ("fits", ioctl_rc(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buf, sizeof buf, &n, &err), 0);
    EXPECT_EQ("returned", n, need);
    SOCKET_ADDRESS_LIST *list = (SOCKET_ADDRESS_LIST *)buf;
    int found = 0;
    for (int i = 0; i < list->iAddressCount; i++) {
        SOCKADDR_IN *a = (SOCKADDR_IN *)list->Address[i].lpSockaddr;
        EXPECT_TRUE("points into the buffer", (char *)a >= buf && (char *)a < buf + n);
        EXPECT_EQ("length", list->Address[i].iSockaddrLength, sizeof(SOCKADDR_IN));
        EXPECT_EQ("family", a->sin_family, AF_INET);
        EXPECT_TRUE("no loopback", ntohl(a->sin_addr.s_addr) >> 24 != 127);
        unsigned h = ntohl(a->sin_addr.s_addr);
        found += h == 0x0A630001u || h == 0x0A630002u || h == 0x0A630003u;
    }
    EXPECT_EQ("10.99.0.1, .2 and .3 listed", found, 3);

    SECTION("SIO_ROUTING_INTERFACE_QUERY / _CHANGE: WSAENETDOWN when the interface goes down");
    SOCKADDR_IN dest, local;
    memset(&dest, 0, sizeof dest);
    dest.sin_family = AF_INET;
    dest.sin_addr.s_addr = htonl(0x0A63004Du); /* 10.99.0.77 */
    ioctl_rc(s, SIO_ROUTING_INTERFACE_QUERY, &dest, sizeof dest, &local, 4, &n, &err);
    EXPECT_EQ("too small: WSAEFAULT", err, WSAEFAULT);
    EXPECT_EQ("the size needed", n, sizeof(SOCKADDR_IN));
    EXPECT_EQ("query", ioctl_rc(s, SIO_ROUTING_INTERFACE_QUERY, &dest, sizeof dest, &local,
                                sizeof local, &n, &err), 0);
    EXPECT_EQ("local address", ntohl(local.sin_addr.s_addr), 0x0A630001u);
    EXPECT_EQ("port 0", local.sin_port, 0);
    ioctl_rc(s, SIO_ROUTING_INTERFACE_CHANGE, &dest, 8, NULL, 0, &n, &err);
    EXPECT_EQ("a short SOCKADDR: WSAEFAULT", err, WSAEFAULT);
    ioctl_rc(s, SIO_ROUTING_INTERFACE_CHANGE, &dest, sizeof dest, NULL, 0, &n, &err);
    EXPECT_EQ("WSAEWOULDBLOCK", err, WSAEWOULDBLOCK);
    sh("ip link set v0 down");
    expect_event(s, ev, FD_ROUTING_INTERFACE_CHANGE, FD_ROUTING_INTERFACE_CHANGE_BIT,
                 WSAENETDOWN);
    sh("ip link set v0 up");
    dest.sin_addr.s_addr = htonl(0x0A4D0001u); /* 10.77.0.1 */
    ioctl_rc(s, SIO_ROUTING_INTERFACE_QUERY, &dest, sizeof dest, &local, sizeof local, &n, &err);
    EXPECT_EQ("no route: WSAENETUNREACH", err, WSAENETUNREACH);
    sh("ip -4 route add 10.77.0.0/16 dev v0 src 10.99.0.1");
    ioctl_rc(s, SIO_ROUTING_INTERFACE_CHANGE, &dest, sizeof dest, NULL, 0, &n, &err);
    EXPECT_EQ("WSAEWOULDBLOCK", err, WSAEWOULDBLOCK);
    sh("ip -4 route del 10.77.0.0/16");
    expect_event(s, ev, FD_ROUTING_INTERFACE_CHANGE, FD_ROUTING_INTERFACE_CHANGE_BIT,
                 WSAENETUNREACH);
    closesocket(s);
    WSACloseEvent(ev);
}

static void ipv6(void)
{
    DWORD n;
    int err;
    SOCKET s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    WSAEVENT ev = WSACreateEvent();
    SECTION("IPv6: only the family's changes count");
    EXPECT_EQ("WSAEventSelect", WSAEventSelect(s, ev, FD_ADDRESS_LIST_CHANGE), 0);
    ioctl_rc(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &n, &err);
    EXPECT_EQ("WSAEWOULDBLOCK", err, WSAEWOULDBLOCK);
    sh("ip -4 addr add 10.99.0.9/24 dev v0");
    expect_nothing(s, ev);
    sh("ip -6 addr add fd00:99::5/64 dev v0 nodad");
    expect_event(s, ev, FD_ADDRESS_LIST_CHANGE, FD_ADDRESS_LIST_CHANGE_BIT, 0);
    closesocket(s);
    WSACloseEvent(ev);
}

/* The overlapped model (Microsoft's SIO_ADDRESS_LIST_CHANGE and SIO_ROUTING_INTERFACE_CHANGE
 * pages: the overlapped operation completes at the change): SOCKET_ERROR with WSA_IO_PENDING,
 * Internal STATUS_PENDING, WSA_IO_INCOMPLETE until the change; then the event is set and the
 * result is 0 bytes, or the routing ioctl's error; CancelIoEx aborts (WSA_OPERATION_ABORTED). */
static void overlapped(void)
{
    DWORD n = 7, bytes = 9, flags = 0;
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    WSAOVERLAPPED ov;
    struct sockaddr_in dest;
    SECTION("overlapped: pending until the change; the routing one with its code; CancelIoEx");
    memset(&ov, 0, sizeof ov);
    ov.hEvent = WSACreateEvent();
    EXPECT_EQ("pending", WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &n, &ov, NULL),
              SOCKET_ERROR);
    EXPECT_EQ("WSA_IO_PENDING", WSAGetLastError(), WSA_IO_PENDING);
    EXPECT_EQ("Internal", (long)ov.Internal, 0x103L);
    EXPECT_EQ("incomplete", WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags), FALSE);
    EXPECT_EQ("WSA_IO_INCOMPLETE", WSAGetLastError(), WSA_IO_INCOMPLETE);
    sh("ip -4 addr add 10.99.0.60/24 dev v0");
    EXPECT_EQ("signalled", WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, LONG_MS, FALSE),
              WSA_WAIT_EVENT_0);
    EXPECT_EQ("complete", WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags), TRUE);
    EXPECT_EQ("0 bytes", bytes, 0);

    memset(&dest, 0, sizeof dest);
    dest.sin_family = AF_INET;
    dest.sin_addr.s_addr = inet_addr("10.66.0.77");
    EXPECT_EQ("routing: pending",
              WSAIoctl(s, SIO_ROUTING_INTERFACE_CHANGE, &dest, sizeof dest, NULL, 0, &n, &ov,
                       NULL),
              SOCKET_ERROR);
    EXPECT_EQ("WSA_IO_PENDING", WSAGetLastError(), WSA_IO_PENDING);
    sh("ip -4 addr add 10.66.0.1/24 dev v0");
    EXPECT_EQ("reachable: complete, waiting", WSAGetOverlappedResult(s, &ov, &bytes, TRUE, &flags),
              TRUE);
    EXPECT_EQ("routing: pending again",
              WSAIoctl(s, SIO_ROUTING_INTERFACE_CHANGE, &dest, sizeof dest, NULL, 0, &n, &ov,
                       NULL),
              SOCKET_ERROR);
    sh("ip -4 addr del 10.66.0.1/24 dev v0");
    EXPECT_EQ("unreachable: failed", WSAGetOverlappedResult(s, &ov, &bytes, TRUE, &flags), FALSE);
    EXPECT_EQ("WSAENETUNREACH", WSAGetLastError(), WSAENETUNREACH);

    EXPECT_EQ("pending once more",
              WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &n, &ov, NULL), SOCKET_ERROR);
    EXPECT_EQ("CancelIoEx", CancelIoEx((HANDLE)s, &ov), TRUE);
    EXPECT_EQ("aborted", WSAGetOverlappedResult(s, &ov, &bytes, TRUE, &flags), FALSE);
    EXPECT_EQ("WSA_OPERATION_ABORTED", WSAGetLastError(), WSA_OPERATION_ABORTED);
    EXPECT_EQ("the queries are not overlapped",
              WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, NULL, 0, &n, &ov, NULL), SOCKET_ERROR);
    EXPECT_EQ("WSAEOPNOTSUPP", WSAGetLastError(), WSAEOPNOTSUPP);
    sh("ip -4 addr del 10.99.0.60/24 dev v0");
    closesocket(s);
    WSACloseEvent(ov.hEvent);
}

int main(void)
{
    WSADATA wsa;
    if (unshare(CLONE_NEWNET) != 0) {
        perror("unshare(CLONE_NEWNET) (needs root)");
        return 1;
    }
    sh("ip link set lo up && ip link add v0 type veth peer name v1 && ip link set v1 up && "
       "ip link set v0 up && ip -4 addr add 10.99.0.1/24 dev v0 && "
       "ip -6 addr add fd00:99::1/64 dev v0 nodad");
    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    ipv4();
    ipv6();
    overlapped();
    WSACleanup();
    DONE();
}
