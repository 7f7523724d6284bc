/*
 * echo_server.c -- an event-select echo server in portable Winsock C.
 *
 * The classic Winsock event loop, as Microsoft's WSAEnumNetworkEvents example starts it:
 * one thread, one event object per socket (WSACreateEvent + WSAEventSelect), a
 * WSAWaitForMultipleEvents over up to WSA_MAXIMUM_WAIT_EVENTS (64) events, and
 * WSAEnumNetworkEvents on every signalled socket, checking each event's iErrorCode.
 *
 * The same source builds on Windows and, with wsaevents, on Linux and macOS:
 *
 *     x86_64-w64-mingw32-gcc -Wall -O2 echo_server.c -o echo_server.exe -lws2_32
 *     cc -Wall -O2 -I<repo>/include echo_server.c <repo>/target/release/libwsaevents.a \
 *        -lpthread -ldl -lm -o echo_server
 *
 * Usage:
 *
 *     echo_server                serve forever on 127.0.0.1:27015
 *     echo_server N              serve on 127.0.0.1:27015 until N clients have come and gone
 *     echo_server --selftest [N] serve on an ephemeral 127.0.0.1 port and run N (default 8,
 *                                at most 31) clients in the same event loop: non-blocking
 *                                sockets that connect, send MESSAGES messages each, check
 *                                every echo byte for byte, then close. Exits 0 when all
 *                                echoes matched and every connection closed cleanly.
 *
 * In the two bounded modes every wait is bounded too (WAIT_MS): a stall fails the program
 * instead of hanging it.
 */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT 27015
#define MESSAGES 20     /* per self-test client */
#define MAX_MESSAGE 3000 /* bytes; every message fits the buffers below */
#define BUF_SIZE 4096
#define WAIT_MS 10000    /* the bound on one wait in the bounded modes */

enum role { LISTENER, SERVER, CLIENT };

/* Per socket: the event loop's arrays, as in Microsoft's example, plus each socket's state. */
struct conn {
    enum role role;
    int id;                 /* client number (CLIENT) */
    char buf[BUF_SIZE];     /* SERVER: bytes received, not yet echoed; CLIENT: outgoing message */
    int off, len;           /* SERVER: pending echo buf[off..len); CLIENT: sent buf[0..off) of len */
    char rx[BUF_SIZE];      /* CLIENT: echo received so far */
    int rx_len;
    int message;            /* CLIENT: index of the message in flight */
    int closing;            /* SERVER: peer closed; close once the echo is flushed */
};

static SOCKET SocketArray[WSA_MAXIMUM_WAIT_EVENTS];
static WSAEVENT EventArray[WSA_MAXIMUM_WAIT_EVENTS];
static struct conn *ConnArray[WSA_MAXIMUM_WAIT_EVENTS];
static DWORD EventTotal = 0;

static int clients_served = 0;     /* server connections closed after the peer's FD_CLOSE */
static int clients_done = 0;       /* self-test clients that finished every message */
static long messages_checked = 0;  /* self-test echoes compared */
static long bytes_echoed = 0;
static int accept_waiting = 0;     /* FD_ACCEPT came while the arrays were full */

static void die(const char *what, int error)
{
    printf("echo_server: %s failed with error %d\n", what, error);
    exit(1);
}

/* Adds a socket with a new event selected for `mask`; returns its index. */
static DWORD add_socket(SOCKET s, enum role role, LONG mask)
{
    WSAEVENT ev;
    struct conn *c;
    if (EventTotal == WSA_MAXIMUM_WAIT_EVENTS)
        die("add_socket (more than 64 events)", 0);
    ev = WSACreateEvent();
    if (ev == WSA_INVALID_EVENT)
        die("WSACreateEvent", WSAGetLastError());
    if (WSAEventSelect(s, ev, mask) != 0)
        die("WSAEventSelect", WSAGetLastError());
    c = (struct conn *)calloc(1, sizeof *c);
    if (c == NULL)
        die("calloc", 0);
    c->role = role;
    SocketArray[EventTotal] = s;
    EventArray[EventTotal] = ev;
    ConnArray[EventTotal] = c;
    return EventTotal++;
}

/* Closes the socket and the event of entry i (the slot is compacted later). */
static void close_entry(DWORD i)
{
    if (SocketArray[i] == INVALID_SOCKET)
        return;
    if (closesocket(SocketArray[i]) != 0)
        die("closesocket", WSAGetLastError());
    WSACloseEvent(EventArray[i]); /* closesocket leaves the event alone */
    SocketArray[i] = INVALID_SOCKET;
}

/* Drops closed entries, keeping the order of the others. */
static void compact(void)
{
    DWORD i, j = 0;
    for (i = 0; i < EventTotal; i++) {
        if (SocketArray[i] == INVALID_SOCKET) {
            free(ConnArray[i]);
            continue;
        }
        SocketArray[j] = SocketArray[i];
        EventArray[j] = EventArray[i];
        ConnArray[j] = ConnArray[i];
        j++;
    }
    EventTotal = j;
}

/* ---- Server side ------------------------------------------------------------------------ */

static void do_accept(SOCKET listener)
{
    SOCKADDR_IN peer;
    int len = sizeof peer;
    SOCKET s;
    if (EventTotal == WSA_MAXIMUM_WAIT_EVENTS) {
        accept_waiting = 1; /* accept when a slot frees; then FD_ACCEPT is re-enabled */
        return;
    }
    accept_waiting = 0;
    s = accept(listener, (SOCKADDR *)&peer, &len);
    if (s == INVALID_SOCKET) {
        if (WSAGetLastError() == WSAEWOULDBLOCK)
            return; /* the connection went away meanwhile */
        die("accept", WSAGetLastError());
    }
    /* The new socket inherits the listener's selection; give it its own event. Its FD_WRITE
     * (recorded at accept) signals the new event at once. */
    add_socket(s, SERVER, FD_READ | FD_WRITE | FD_CLOSE);
}

/* Sends the pending echo; returns 0 when all of it is gone, 1 when it waits for FD_WRITE. */
static int flush_echo(DWORD i)
{
    struct conn *c = ConnArray[i];
    while (c->off < c->len) {
        int n = send(SocketArray[i], c->buf + c->off, c->len - c->off, 0);
        if (n == SOCKET_ERROR) {
            if (WSAGetLastError() == WSAEWOULDBLOCK)
                return 1; /* FD_WRITE comes when there is room again */
            die("send (server)", WSAGetLastError());
        }
        c->off += n;
        bytes_echoed += n;
    }
    c->off = c->len = 0;
    return 0;
}

/* Reads and echoes until recv would block, the peer's data ends, or the echo backs up. */
static void serve(DWORD i)
{
    struct conn *c = ConnArray[i];
    for (;;) {
        int n;
        if (flush_echo(i))
            return;
        n = recv(SocketArray[i], c->buf, BUF_SIZE, 0);
        if (n == SOCKET_ERROR) {
            if (WSAGetLastError() == WSAEWOULDBLOCK)
                break; /* the next FD_READ says when there is more */
            die("recv (server)", WSAGetLastError());
        }
        if (n == 0)
            break; /* end of stream: FD_CLOSE has been (or will be) reported */
        c->len = n;
    }
    if (c->closing) {
        close_entry(i);
        clients_served++;
    }
}

static void on_server_events(DWORD i, const WSANETWORKEVENTS *ne)
{
    struct conn *c = ConnArray[i];
    if ((ne->lNetworkEvents & FD_READ) && ne->iErrorCode[FD_READ_BIT] != 0)
        die("FD_READ", ne->iErrorCode[FD_READ_BIT]);
    if ((ne->lNetworkEvents & FD_WRITE) && ne->iErrorCode[FD_WRITE_BIT] != 0)
        die("FD_WRITE", ne->iErrorCode[FD_WRITE_BIT]);
    if (ne->lNetworkEvents & FD_CLOSE) {
        if (ne->iErrorCode[FD_CLOSE_BIT] != 0) {
            /* e.g. WSAECONNABORTED: the peer reset the connection */
            printf("echo_server: connection aborted by the peer (error %d)\n",
                   ne->iErrorCode[FD_CLOSE_BIT]);
            close_entry(i);
            clients_served++;
            return;
        }
        /* FD_CLOSE comes when the FIN arrives, possibly before the data in front of it has
         * been read: read (and echo) until recv returns 0, then close. */
        c->closing = 1;
    }
    if (ne->lNetworkEvents & (FD_READ | FD_WRITE | FD_CLOSE))
        serve(i);
}

/* ---- Self-test clients: non-blocking sockets in the same event loop ---------------------- */

static void next_message(struct conn *c)
{
    int k, body = (c->message * 997 + c->id * 131) % MAX_MESSAGE;
    c->len = snprintf(c->buf, BUF_SIZE, "client %d message %d:", c->id, c->message);
    for (k = 0; k < body; k++)
        c->buf[c->len + k] = (char)('a' + (c->id + c->message + k) % 26);
    c->len += body;
    c->buf[c->len++] = '\n';
    c->off = 0;
    c->rx_len = 0;
}

/* Sends what is left of the message in flight; WSAEWOULDBLOCK waits for FD_WRITE. */
static void client_send(DWORD i)
{
    struct conn *c = ConnArray[i];
    while (c->off < c->len) {
        int n = send(SocketArray[i], c->buf + c->off, c->len - c->off, 0);
        if (n == SOCKET_ERROR) {
            if (WSAGetLastError() == WSAEWOULDBLOCK)
                return;
            die("send (client)", WSAGetLastError());
        }
        c->off += n;
    }
}

static void client_recv(DWORD i)
{
    struct conn *c = ConnArray[i];
    for (;;) {
        int n;
        if (c->message == MESSAGES)
            return; /* all done: waiting for the server's FD_CLOSE */
        n = recv(SocketArray[i], c->rx + c->rx_len, c->len - c->rx_len, 0);
        if (n == SOCKET_ERROR) {
            if (WSAGetLastError() == WSAEWOULDBLOCK)
                return;
            die("recv (client)", WSAGetLastError());
        }
        if (n == 0) {
            printf("echo_server: client %d: the server closed early\n", c->id);
            exit(1);
        }
        c->rx_len += n;
        if (c->rx_len < c->len)
            continue;
        if (memcmp(c->rx, c->buf, (size_t)c->len) != 0) {
            printf("echo_server: client %d: echo of message %d differs\n", c->id, c->message);
            exit(1);
        }
        messages_checked++;
        if (++c->message == MESSAGES) {
            /* Graceful close: the server sees FD_CLOSE, closes, and we see FD_CLOSE. */
            if (shutdown(SocketArray[i], SD_SEND) != 0)
                die("shutdown", WSAGetLastError());
            return;
        }
        next_message(c);
        client_send(i);
    }
}

static void on_client_events(DWORD i, const WSANETWORKEVENTS *ne)
{
    struct conn *c = ConnArray[i];
    if (ne->lNetworkEvents & FD_CONNECT) {
        if (ne->iErrorCode[FD_CONNECT_BIT] != 0)
            die("connect (FD_CONNECT)", ne->iErrorCode[FD_CONNECT_BIT]);
        next_message(c);
    }
    if (ne->lNetworkEvents & (FD_CONNECT | FD_WRITE))
        client_send(i);
    if (ne->lNetworkEvents & FD_READ)
        client_recv(i);
    if (ne->lNetworkEvents & FD_CLOSE) {
        char b[16];
        if (ne->iErrorCode[FD_CLOSE_BIT] != 0)
            die("client FD_CLOSE", ne->iErrorCode[FD_CLOSE_BIT]);
        if (c->message != MESSAGES) {
            printf("echo_server: client %d: closed after %d of %d messages\n", c->id,
                   c->message, MESSAGES);
            exit(1);
        }
        if (recv(SocketArray[i], b, sizeof b, 0) != 0) {
            printf("echo_server: client %d: data after the last echo\n", c->id);
            exit(1);
        }
        close_entry(i);
        clients_done++;
    }
}

static void start_client(const SOCKADDR_IN *addr, int id)
{
    DWORD i;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET)
        die("socket (client)", WSAGetLastError());
    /* Selected before connect: the socket is non-blocking, connect returns WSAEWOULDBLOCK
     * and FD_CONNECT (with FD_WRITE) reports the result. */
    i = add_socket(s, CLIENT, FD_CONNECT | FD_READ | FD_WRITE | FD_CLOSE);
    ConnArray[i]->id = id;
    if (connect(s, (const SOCKADDR *)addr, sizeof *addr) != SOCKET_ERROR ||
        WSAGetLastError() != WSAEWOULDBLOCK)
        die("connect (expected WSAEWOULDBLOCK)", WSAGetLastError());
}

/* ---- main ------------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    WSADATA wsaData;
    SOCKET ListenSocket;
    SOCKADDR_IN InetAddr;
    WSANETWORKEVENTS NetworkEvents;
    int iResult, len, argi = 1;
    int selftest = 0, target = 0; /* clients to serve before exiting; 0: forever */
    DWORD Index, i, first;

    if (argi < argc && strcmp(argv[argi], "--selftest") == 0) {
        selftest = 1;
        target = 8;
        argi++;
    }
    if (argi < argc) {
        target = atoi(argv[argi]);
        if (target <= 0 || (selftest && target > (WSA_MAXIMUM_WAIT_EVENTS - 1) / 2)) {
            printf("usage: echo_server [N] | echo_server --selftest [N <= 31]\n");
            return 2;
        }
    }

    iResult = WSAStartup(MAKEWORD(2, 2), &wsaData);
    if (iResult != 0)
        die("WSAStartup", iResult);

    ListenSocket = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (ListenSocket == INVALID_SOCKET)
        die("socket", WSAGetLastError());
    memset(&InetAddr, 0, sizeof InetAddr);
    InetAddr.sin_family = AF_INET;
    InetAddr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    InetAddr.sin_port = htons(selftest ? 0 : PORT);
    if (bind(ListenSocket, (SOCKADDR *)&InetAddr, sizeof InetAddr) != 0)
        die("bind", WSAGetLastError());
    len = sizeof InetAddr;
    if (getsockname(ListenSocket, (SOCKADDR *)&InetAddr, &len) != 0)
        die("getsockname", WSAGetLastError());
    add_socket(ListenSocket, LISTENER, FD_ACCEPT | FD_CLOSE);
    if (listen(ListenSocket, SOMAXCONN) != 0)
        die("listen", WSAGetLastError());
    printf("echo_server: listening on 127.0.0.1:%d\n", ntohs(InetAddr.sin_port));
    fflush(stdout);

    if (selftest)
        for (i = 0; i < (DWORD)target; i++)
            start_client(&InetAddr, (int)i);

    while (target == 0 || clients_served < target || (selftest && clients_done < target)) {
        Index = WSAWaitForMultipleEvents(EventTotal, EventArray, FALSE,
                                         target ? WAIT_MS : WSA_INFINITE, FALSE);
        if (Index == WSA_WAIT_FAILED)
            die("WSAWaitForMultipleEvents", WSAGetLastError());
        if (Index == WSA_WAIT_TIMEOUT) {
            printf("echo_server: nothing happened for %d ms (served %d of %d)\n", WAIT_MS,
                   clients_served, target);
            return 1;
        }
        /* The lowest signalled index wins; look at it and at every later signalled event,
         * so that a busy low-index socket cannot starve the others. */
        first = Index - WSA_WAIT_EVENT_0;
        for (i = first; i < EventTotal; i++) {
            if (SocketArray[i] == INVALID_SOCKET)
                continue;
            if (i != first && WSAWaitForMultipleEvents(1, &EventArray[i], TRUE, 0, FALSE) !=
                                  WSA_WAIT_EVENT_0)
                continue;
            /* Copies and clears the socket's record and resets its event, atomically. */
            if (WSAEnumNetworkEvents(SocketArray[i], EventArray[i], &NetworkEvents) != 0)
                die("WSAEnumNetworkEvents", WSAGetLastError());
            switch (ConnArray[i]->role) {
            case LISTENER:
                if (NetworkEvents.lNetworkEvents & FD_ACCEPT) {
                    if (NetworkEvents.iErrorCode[FD_ACCEPT_BIT] != 0)
                        die("FD_ACCEPT", NetworkEvents.iErrorCode[FD_ACCEPT_BIT]);
                    do_accept(ListenSocket);
                }
                break;
            case SERVER:
                on_server_events(i, &NetworkEvents);
                break;
            case CLIENT:
                on_client_events(i, &NetworkEvents);
                break;
            }
        }
        compact();
        if (accept_waiting && EventTotal < WSA_MAXIMUM_WAIT_EVENTS)
            do_accept(ListenSocket);
    }

    if (selftest)
        printf("echo_server: self-test passed: %d clients, %ld messages echoed and checked, "
               "%ld bytes\n",
               clients_done, messages_checked, bytes_echoed);
    else
        printf("echo_server: served %d clients, %ld bytes echoed\n", clients_served,
               bytes_echoed);
    for (i = 0; i < EventTotal; i++)
        close_entry(i);
    compact();
    WSACleanup();
    return 0;
}
