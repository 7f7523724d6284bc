/*
 * acceptex_server.c -- an AcceptEx echo server driven by event objects, in portable
 * Winsock C.
 *
 * One thread: a few AcceptEx operations kept posted on the listener, each with its own
 * event in the OVERLAPPED, and per connection an overlapped WSARecv with its event; one
 * WSAWaitForMultipleEvents over all of them (at most WSA_MAXIMUM_WAIT_EVENTS), then
 * WSAGetOverlappedResult on the one signalled. An accepted socket gets
 * SO_UPDATE_ACCEPT_CONTEXT (so getpeername works) and GetAcceptExSockaddrs reads the
 * addresses AcceptEx left in its buffer. AcceptEx is asked for a first receive block, so
 * a connection is handed over only once it has sent something. The function pointers come
 * from WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER): no -lmswsock needed.
 *
 * The same source builds on Windows and, with wsaevents, on Linux and macOS:
 *
 *     x86_64-w64-mingw32-gcc -Wall -O2 acceptex_server.c -o acceptex_server.exe -lws2_32
 *     cc -Wall -O2 -I<repo>/include acceptex_server.c <repo>/target/release/libwsaevents.a \
 *        -lpthread -ldl -lm -o acceptex_server
 *
 * Usage:
 *
 *     acceptex_server                serve forever on 127.0.0.1:27017
 *     acceptex_server --selftest [N] serve on an ephemeral 127.0.0.1 port while N (default
 *                                    8, at most 32) blocking clients on their own threads
 *                                    send MESSAGES messages each and check every echo;
 *                                    exit 0 when all matched and all clients closed.
 *
 * Every wait of the self-test is bounded (WAIT_MS): a stall fails the program.
 */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <mswsock.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT 27017
#define ACCEPTS 4
#define MESSAGES 30
#define BUF_SIZE 2048
#define WAIT_MS 10000
#define ADDR_SPACE (sizeof(SOCKADDR_IN) + 16)
#define FIRST 16 /* AcceptEx's receive block */

struct slot {
    int accepting;        /* an AcceptEx, else a connection's WSARecv */
    SOCKET s;
    OVERLAPPED ov;
    WSABUF wb;
    char buf[BUF_SIZE + 2 * ADDR_SPACE];
};

static struct slot *slots[WSA_MAXIMUM_WAIT_EVENTS];
static WSAEVENT events[WSA_MAXIMUM_WAIT_EVENTS];
static int nslots;
static SOCKET listener;
static LPFN_ACCEPTEX pAcceptEx;
static LPFN_GETACCEPTEXSOCKADDRS pGetAcceptExSockaddrs;
static SOCKADDR_IN server_addr;
static volatile LONG failures;

static void fail(const char *what)
{
    fprintf(stderr, "acceptex_server: %s failed: %d\n", what, WSAGetLastError());
    InterlockedIncrement(&failures);
}

static struct slot *add_slot(void)
{
    struct slot *sl = calloc(1, sizeof *sl);
    sl->ov.hEvent = WSACreateEvent();
    slots[nslots] = sl;
    events[nslots] = sl->ov.hEvent;
    nslots++;
    return sl;
}

static void remove_slot(int i)
{
    WSACloseEvent(slots[i]->ov.hEvent);
    free(slots[i]);
    nslots--;
    slots[i] = slots[nslots];
    events[i] = events[nslots];
}

static void post_accept(struct slot *sl)
{
    DWORD n = 0;
    sl->accepting = 1;
    sl->s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    /* TRUE: it took a connection at once; its event is set all the same. */
    if (!pAcceptEx(listener, sl->s, sl->buf, FIRST, ADDR_SPACE, ADDR_SPACE, &n, &sl->ov) &&
        WSAGetLastError() != ERROR_IO_PENDING)
        fail("AcceptEx");
}

/* Posts the next receive; 0 if the connection is gone. */
static int post_recv(struct slot *sl)
{
    DWORD n = 0, flags = 0;
    sl->accepting = 0;
    sl->wb.buf = sl->buf;
    sl->wb.len = BUF_SIZE;
    if (WSARecv(sl->s, &sl->wb, 1, &n, &flags, &sl->ov, NULL) != 0 &&
        WSAGetLastError() != WSA_IO_PENDING)
        return 0;
    return 1;
}

static int echo(SOCKET s, const char *p, int len)
{
    while (len > 0) {
        int n = send(s, p, len, 0);
        if (n <= 0)
            return 0;
        p += n;
        len -= n;
    }
    return 1;
}

/* A blocking client: MESSAGES messages, every echo checked. */
static DWORD WINAPI client(LPVOID arg)
{
    int id = (int)(INT_PTR)arg, m;
    DWORD timeout = WAIT_MS;
    char out[BUF_SIZE], in[BUF_SIZE];
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof timeout);
    if (connect(c, (SOCKADDR *)&server_addr, sizeof server_addr) != 0) {
        fail("connect");
        return 1;
    }
    for (m = 0; m < MESSAGES; m++) {
        int len = 1 + (id * 37 + m * 211) % (BUF_SIZE - 1), got = 0, i;
        for (i = 0; i < len; i++)
            out[i] = (char)(id * 3 + m + i);
        if (!echo(c, out, len)) {
            fail("send");
            break;
        }
        while (got < len) {
            int r = recv(c, in + got, len - got, 0);
            if (r <= 0) {
                fail("recv");
                closesocket(c);
                return 1;
            }
            got += r;
        }
        if (memcmp(in, out, len) != 0) {
            fprintf(stderr, "acceptex_server: client %d message %d: echo differs\n", id, m);
            InterlockedIncrement(&failures);
            break;
        }
    }
    closesocket(c);
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    GUID g_accept = WSAID_ACCEPTEX, g_addrs = WSAID_GETACCEPTEXSOCKADDRS;
    DWORD n = 0;
    HANDLE clients[32];
    int selftest = argc > 1 && strcmp(argv[1], "--selftest") == 0;
    int nclients = selftest && argc > 2 ? atoi(argv[2]) : 8;
    int i, len = sizeof server_addr, accepted = 0, closed = 0;
    if (nclients < 1 || nclients > 32)
        nclients = 8;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    memset(&server_addr, 0, sizeof server_addr);
    server_addr.sin_family = AF_INET;
    server_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    server_addr.sin_port = selftest ? 0 : htons(PORT);
    if (bind(listener, (SOCKADDR *)&server_addr, sizeof server_addr) != 0 ||
        listen(listener, SOMAXCONN) != 0 ||
        getsockname(listener, (SOCKADDR *)&server_addr, &len) != 0 ||
        WSAIoctl(listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &g_accept, sizeof g_accept,
                 &pAcceptEx, sizeof pAcceptEx, &n, NULL, NULL) != 0 ||
        WSAIoctl(listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &g_addrs, sizeof g_addrs,
                 &pGetAcceptExSockaddrs, sizeof pGetAcceptExSockaddrs, &n, NULL, NULL) != 0) {
        fail("set-up");
        return 1;
    }
    for (i = 0; i < ACCEPTS; i++)
        post_accept(add_slot());
    printf("acceptex_server: listening on 127.0.0.1:%d\n", ntohs(server_addr.sin_port));
    fflush(stdout);
    if (selftest)
        for (i = 0; i < nclients; i++)
            clients[i] = CreateThread(NULL, 0, client, (LPVOID)(INT_PTR)i, 0, NULL);

    while (!selftest || closed < nclients) {
        DWORD w = WSAWaitForMultipleEvents(nslots, events, FALSE, selftest ? WAIT_MS : WSA_INFINITE,
                                           FALSE);
        struct slot *sl;
        DWORD bytes = 0, flags = 0;
        if (w == WSA_WAIT_TIMEOUT || w == WSA_WAIT_FAILED) {
            fail("WSAWaitForMultipleEvents");
            break;
        }
        i = (int)(w - WSA_WAIT_EVENT_0);
        sl = slots[i];
        WSAResetEvent(sl->ov.hEvent);
        if (!WSAGetOverlappedResult(sl->accepting ? listener : sl->s, &sl->ov, &bytes, FALSE,
                                    &flags)) {
            /* A failed receive (a reset): the connection is gone. */
            closesocket(sl->s);
            remove_slot(i);
            closed++;
            continue;
        }
        if (sl->accepting) {
            SOCKADDR *local = NULL, *remote = NULL;
            int llen = 0, rlen = 0;
            SOCKADDR_IN peer;
            int plen = sizeof peer;
            pGetAcceptExSockaddrs(sl->buf, FIRST, ADDR_SPACE, ADDR_SPACE, &local, &llen, &remote,
                                  &rlen);
            if (setsockopt(sl->s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&listener,
                           sizeof listener) != 0 ||
                getpeername(sl->s, (SOCKADDR *)&peer, &plen) != 0 || remote == NULL ||
                rlen != (int)sizeof(SOCKADDR_IN) ||
                ((SOCKADDR_IN *)remote)->sin_port != peer.sin_port)
                fail("the accepted socket's addresses");
            accepted++;
            /* The first block came with the connection: echo it, then receive. */
            if (bytes == 0 || !echo(sl->s, sl->buf, (int)bytes) || !post_recv(sl)) {
                closesocket(sl->s);
                remove_slot(i);
                closed++;
            }
            if (nslots < WSA_MAXIMUM_WAIT_EVENTS)
                post_accept(add_slot());
            continue;
        }
        if (bytes == 0 || !echo(sl->s, sl->buf, (int)bytes) || !post_recv(sl)) {
            closesocket(sl->s);
            remove_slot(i);
            closed++;
        }
    }
    if (!selftest)
        return 0;
    for (i = 0; i < nclients; i++) {
        if (WaitForSingleObject(clients[i], WAIT_MS) != WAIT_OBJECT_0)
            fail("client thread");
        CloseHandle(clients[i]);
    }
    closesocket(listener); /* the AcceptEx operations still pending complete aborted */
    WSACleanup();
    if (failures != 0 || accepted != nclients) {
        fprintf(stderr, "acceptex_server: self-test failed: %ld failures, %d of %d accepted\n",
                (long)failures, accepted, nclients);
        return 1;
    }
    printf("acceptex_server: self-test passed: %d clients\n", nclients);
    return 0;
}
