/*
 * overlapped_echo.c -- an overlapped echo server in portable Winsock C.
 *
 * The other classic Winsock event loop: every connection has one overlapped operation in
 * flight (WSARecv, then WSASend of what came, then WSARecv again), each with an event object
 * in its WSAOVERLAPPED; one WSAWaitForMultipleEvents waits over all of them, and
 * WSAGetOverlappedResult collects each result. The listener uses the event-select shape
 * (WSAEventSelect + FD_ACCEPT) in the same wait, as Winsock code that mixes the two does.
 *
 * The same source builds on Windows and, with wsaevents, on Linux and macOS:
 *
 *     x86_64-w64-mingw32-gcc -Wall -O2 overlapped_echo.c -o overlapped_echo.exe -lws2_32
 *     cc -Wall -O2 -I<repo>/include overlapped_echo.c <repo>/target/release/libwsaevents.a \
 *        -lpthread -ldl -lm -o overlapped_echo
 *
 * Usage:
 *
 *     overlapped_echo                serve forever on 127.0.0.1:27016
 *     overlapped_echo --selftest [N] serve on an ephemeral 127.0.0.1 port and run N (default
 *                                    8, at most 31) clients in the same loop, overlapped too:
 *                                    each sends MESSAGES messages, checks every echo byte for
 *                                    byte, then shuts down and waits for the server's FIN.
 *                                    Exits 0 when every echo matched and every connection
 *                                    closed cleanly.
 *
 * In the self-test every wait is bounded (WAIT_MS): a stall fails the program instead of
 * hanging it.
 */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT 27016
#define MESSAGES 20      /* per self-test client */
#define MAX_MESSAGE 3000 /* bytes */
#define BUF_SIZE 4096
#define WAIT_MS 10000

enum role { SERVER, CLIENT };
enum phase { RECEIVING, SENDING, DRAINING };

/* One connection and its one operation in flight. Allocated, so the OVERLAPPED's address
 * stays the same while the operation is pending. */
struct conn {
    WSAOVERLAPPED ov;
    SOCKET s;
    enum role role;
    enum phase phase;
    int id;
    char buf[BUF_SIZE]; /* SERVER: what came, echoed back; CLIENT: the message */
    DWORD len;          /* SERVER: bytes to echo; CLIENT: message length */
    char rx[BUF_SIZE];  /* CLIENT: the echo so far */
    DWORD rx_len;
    int message;
};

static WSAEVENT Events[WSA_MAXIMUM_WAIT_EVENTS];
static struct conn *Conns[WSA_MAXIMUM_WAIT_EVENTS]; /* Conns[0] is the listener's slot */
static DWORD Total = 0;

static int selftest = 0;
static int clients_done = 0, clients_served = 0;
static long messages_checked = 0, bytes_echoed = 0;

static void die(const char *what, int error)
{
    printf("overlapped_echo: %s failed with error %d\n", what, error);
    exit(1);
}

static void message_for(struct conn *c)
{
    DWORD i;
    c->len = (DWORD)((c->message * 131 + c->id * 17) % MAX_MESSAGE) + 1;
    for (i = 0; i < c->len; i++)
        c->buf[i] = (char)('a' + (i + (DWORD)c->message + (DWORD)c->id) % 26);
}

/* Starts the connection's next operation. Success or WSA_IO_PENDING: either way the
 * completion is announced by the event (an operation that completes at once signals it
 * too), so the loop handles both the same way. */
static void start(struct conn *c)
{
    WSABUF b;
    DWORD flags = 0;
    int rc;
    WSAEVENT ev = c->ov.hEvent;
    memset(&c->ov, 0, sizeof c->ov);
    c->ov.hEvent = ev;
    if (c->phase == SENDING) {
        b.buf = c->buf;
        b.len = c->len;
        rc = WSASend(c->s, &b, 1, NULL, 0, &c->ov, NULL);
    } else {
        if (c->role == CLIENT && c->phase == RECEIVING) {
            b.buf = c->rx + c->rx_len;
            b.len = c->len - c->rx_len;
        } else {
            b.buf = c->buf;
            b.len = sizeof c->buf;
        }
        rc = WSARecv(c->s, &b, 1, NULL, &flags, &c->ov, NULL);
    }
    if (rc == SOCKET_ERROR && WSAGetLastError() != WSA_IO_PENDING)
        die(c->phase == SENDING ? "WSASend" : "WSARecv", WSAGetLastError());
}

static struct conn *add(SOCKET s, enum role role, int id)
{
    struct conn *c;
    if (Total == WSA_MAXIMUM_WAIT_EVENTS)
        die("add (too many sockets)", 0);
    c = (struct conn *)calloc(1, sizeof *c);
    if (!c)
        die("calloc", 0);
    c->s = s;
    c->role = role;
    c->id = id;
    c->ov.hEvent = WSACreateEvent();
    if (c->ov.hEvent == WSA_INVALID_EVENT)
        die("WSACreateEvent", WSAGetLastError());
    Events[Total] = c->ov.hEvent;
    Conns[Total] = c;
    Total++;
    return c;
}

static void drop(DWORD i)
{
    struct conn *c = Conns[i];
    closesocket(c->s);
    WSACloseEvent(c->ov.hEvent);
    free(c);
    Total--;
    Events[i] = Events[Total];
    Conns[i] = Conns[Total];
}

/* One operation of connection i completed: returns 0 if the connection is gone. */
static int completed(DWORD i)
{
    struct conn *c = Conns[i];
    DWORD n = 0, flags = 0;
    WSAResetEvent(c->ov.hEvent);
    if (!WSAGetOverlappedResult(c->s, &c->ov, &n, FALSE, &flags))
        die("WSAGetOverlappedResult", WSAGetLastError());
    if (c->role == SERVER) {
        if (c->phase == RECEIVING) {
            if (n == 0) { /* the client's FIN: close, which sends ours */
                clients_served++;
                drop(i);
                return 0;
            }
            c->len = n;
            c->phase = SENDING;
        } else {
            bytes_echoed += (long)n;
            c->phase = RECEIVING;
        }
        start(c);
        return 1;
    }
    switch (c->phase) {
    case SENDING:
        if (n != c->len)
            die("WSASend (short completion)", (int)n);
        c->rx_len = 0;
        c->phase = RECEIVING;
        break;
    case RECEIVING:
        if (n == 0)
            die("WSARecv (early end of stream)", 0);
        c->rx_len += n;
        if (c->rx_len < c->len)
            break;
        if (memcmp(c->rx, c->buf, c->len) != 0)
            die("echo comparison", c->message);
        messages_checked++;
        if (++c->message < MESSAGES) {
            message_for(c);
            c->phase = SENDING;
        } else {
            shutdown(c->s, SD_SEND);
            c->phase = DRAINING;
        }
        break;
    case DRAINING:
        if (n != 0)
            die("WSARecv (data after the last echo)", (int)n);
        clients_done++;
        drop(i);
        return 0;
    }
    start(c);
    return 1;
}

static void accept_all(SOCKET listener)
{
    WSANETWORKEVENTS ne;
    if (WSAEnumNetworkEvents(listener, Events[0], &ne) != 0)
        die("WSAEnumNetworkEvents", WSAGetLastError());
    if (!(ne.lNetworkEvents & FD_ACCEPT))
        return;
    if (ne.iErrorCode[FD_ACCEPT_BIT] != 0)
        die("FD_ACCEPT", ne.iErrorCode[FD_ACCEPT_BIT]);
    for (;;) {
        struct conn *c;
        SOCKET s = accept(listener, NULL, NULL);
        if (s == INVALID_SOCKET) {
            if (WSAGetLastError() == WSAEWOULDBLOCK)
                return;
            die("accept", WSAGetLastError());
        }
        /* The accepted socket inherits the listener's selection: cancel it, this one is
         * served by overlapped operations only. */
        WSAEventSelect(s, NULL, 0);
        c = add(s, SERVER, 0);
        c->phase = RECEIVING;
        start(c);
    }
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    SOCKET listener;
    SOCKADDR_IN addr;
    int len = sizeof addr, clients = 0, i;

    if (argc > 1 && strcmp(argv[1], "--selftest") == 0) {
        selftest = 1;
        clients = argc > 2 ? atoi(argv[2]) : 8;
        if (clients < 1 || clients > 31)
            die("--selftest N (1..31)", clients);
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        die("WSAStartup", 0);
    listener = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (listener == INVALID_SOCKET)
        die("WSASocket", WSAGetLastError());
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(selftest ? 0 : PORT);
    if (bind(listener, (SOCKADDR *)&addr, sizeof addr) != 0)
        die("bind", WSAGetLastError());
    if (getsockname(listener, (SOCKADDR *)&addr, &len) != 0)
        die("getsockname", WSAGetLastError());
    if (listen(listener, SOMAXCONN) != 0)
        die("listen", WSAGetLastError());
    Events[0] = WSACreateEvent();
    Conns[0] = NULL;
    Total = 1;
    if (WSAEventSelect(listener, Events[0], FD_ACCEPT) != 0)
        die("WSAEventSelect", WSAGetLastError());
    if (!selftest)
        printf("overlapped_echo: listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));

    /* Self-test clients: a blocking connect (the listener's backlog completes it), then the
     * first message, overlapped, in the same loop. */
    for (i = 0; i < clients; i++) {
        struct conn *c;
        SOCKET s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
        if (s == INVALID_SOCKET)
            die("WSASocket(client)", WSAGetLastError());
        if (connect(s, (SOCKADDR *)&addr, sizeof addr) != 0)
            die("connect", WSAGetLastError());
        c = add(s, CLIENT, i);
        message_for(c);
        c->phase = SENDING;
        start(c);
    }

    while (!selftest || clients_done < clients || clients_served < clients) {
        DWORD w = WSAWaitForMultipleEvents(Total, Events, FALSE, selftest ? WAIT_MS : WSA_INFINITE,
                                           FALSE);
        DWORD first, j;
        if (w == WSA_WAIT_TIMEOUT)
            die("WSAWaitForMultipleEvents (stalled)", (int)w);
        if (w == WSA_WAIT_FAILED)
            die("WSAWaitForMultipleEvents", WSAGetLastError());
        first = w - WSA_WAIT_EVENT_0;
        /* Serve every signalled event from the first one on, as Microsoft's examples do, so
         * that low indexes cannot starve the others. */
        for (j = first; j < Total; j++) {
            if (j != first && WSAWaitForMultipleEvents(1, &Events[j], FALSE, 0, FALSE) != WSA_WAIT_EVENT_0)
                continue;
            if (j == 0) {
                accept_all(listener);
            } else if (!completed(j)) {
                j--; /* the last entry moved into this slot */
            }
        }
    }
    printf("overlapped_echo: self-test passed: %d clients, %ld echoes checked, %ld bytes echoed\n",
           clients, messages_checked, bytes_echoed);
    closesocket(listener);
    WSACloseEvent(Events[0]);
    WSACleanup();
    return 0;
}
