/*
 * iocp_echo.c -- a completion-port echo server in portable Winsock C.
 *
 * The classic Windows server design: one I/O completion port, a pool of worker threads in
 * GetQueuedCompletionStatus, AcceptEx for new connections (several posted at once; the
 * function pointers come from WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER), so no
 * -lmswsock is needed), then per connection an overlapped WSARecv, an overlapped WSASend of
 * what arrived, and the next WSARecv. Each connection has one operation in flight at a
 * time, so no connection needs a lock; the workers share only the port.
 *
 * The same source builds on Windows and, with wsaevents, on Linux and macOS:
 *
 *     x86_64-w64-mingw32-gcc -Wall -O2 iocp_echo.c -o iocp_echo.exe -lws2_32
 *     cc -Wall -O2 -I<repo>/include iocp_echo.c <repo>/target/release/libwsaevents.a \
 *        -lpthread -ldl -lm -o iocp_echo
 *
 * Usage:
 *
 *     iocp_echo                serve forever on 127.0.0.1:27016
 *     iocp_echo --selftest [N] serve on an ephemeral 127.0.0.1 port, run N (default 8, at
 *                              most 64) blocking clients on their own threads, each sending
 *                              MESSAGES messages and checking every echo byte for byte; then
 *                              stop the workers (one posted packet each) and exit 0 if all
 *                              echoes matched.
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

#define PORT 27016
#define WORKERS 4
#define ACCEPTS 4        /* AcceptEx operations kept posted */
#define MESSAGES 50      /* per self-test client */
#define BUF_SIZE 4096
#define WAIT_MS 10000
#define ADDR_SPACE (sizeof(SOCKADDR_IN) + 16)

enum op { OP_ACCEPT, OP_RECV, OP_SEND };

/* One operation in flight: the OVERLAPPED first, so the packet's pointer is the context. */
struct io {
    OVERLAPPED ov;
    enum op op;
    SOCKET s;              /* OP_ACCEPT: the accept socket; else the connection */
    WSABUF wb;
    char buf[BUF_SIZE];
    DWORD len, off;        /* OP_SEND: bytes to echo, bytes sent */
    char addrs[2 * ADDR_SPACE];
};

static HANDLE port;
static SOCKET listener;
static LPFN_ACCEPTEX pAcceptEx;
static volatile LONG connections, echoed_bytes, failures;
static volatile LONG stopping;

static void fail(const char *what)
{
    fprintf(stderr, "iocp_echo: %s failed: %d\n", what, WSAGetLastError());
    InterlockedIncrement(&failures);
}

/* Posts one AcceptEx with a fresh accept socket. */
static void post_accept(void)
{
    struct io *io = calloc(1, sizeof *io);
    DWORD n = 0;
    io->op = OP_ACCEPT;
    io->s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (!pAcceptEx(listener, io->s, io->addrs, 0, ADDR_SPACE, ADDR_SPACE, &n, &io->ov) &&
        WSAGetLastError() != ERROR_IO_PENDING) {
        fail("AcceptEx");
        closesocket(io->s);
        free(io);
    }
}

static void post_recv(struct io *io)
{
    DWORD n = 0, flags = 0;
    io->op = OP_RECV;
    memset(&io->ov, 0, sizeof io->ov);
    io->wb.buf = io->buf;
    io->wb.len = BUF_SIZE;
    if (WSARecv(io->s, &io->wb, 1, &n, &flags, &io->ov, NULL) != 0 &&
        WSAGetLastError() != WSA_IO_PENDING) {
        /* A completion still comes for an immediate success; a failure here comes alone. */
        closesocket(io->s);
        free(io);
    }
}

static void post_send(struct io *io)
{
    DWORD n = 0;
    io->op = OP_SEND;
    memset(&io->ov, 0, sizeof io->ov);
    io->wb.buf = io->buf + io->off;
    io->wb.len = io->len - io->off;
    if (WSASend(io->s, &io->wb, 1, &n, 0, &io->ov, NULL) != 0 &&
        WSAGetLastError() != WSA_IO_PENDING) {
        closesocket(io->s);
        free(io);
    }
}

static DWORD WINAPI worker(LPVOID arg)
{
    (void)arg;
    for (;;) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED ov = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, INFINITE);
        struct io *io = (struct io *)ov;
        if (ov == NULL) {
            if (!ok)
                fail("GetQueuedCompletionStatus");
            return 0; /* a posted stop packet (or the port is gone) */
        }
        if (!ok) {
            /* A failed operation: an AcceptEx aborted by closing the listener, a reset. */
            closesocket(io->s);
            free(io);
            continue;
        }
        switch (io->op) {
        case OP_ACCEPT:
            if (setsockopt(io->s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&listener,
                           sizeof listener) != 0)
                fail("SO_UPDATE_ACCEPT_CONTEXT");
            if (CreateIoCompletionPort((HANDLE)io->s, port, 1, 0) != port)
                fail("CreateIoCompletionPort(connection)");
            InterlockedIncrement(&connections);
            if (!stopping)
                post_accept();
            post_recv(io);
            break;
        case OP_RECV:
            if (bytes == 0) { /* the client closed */
                closesocket(io->s);
                free(io);
                break;
            }
            io->len = bytes;
            io->off = 0;
            post_send(io);
            break;
        case OP_SEND:
            io->off += bytes;
            InterlockedExchangeAdd(&echoed_bytes, (LONG)bytes);
            if (io->off < io->len)
                post_send(io);
            else
                post_recv(io);
            break;
        }
    }
}

static SOCKADDR_IN server_addr;

/* A blocking client: MESSAGES messages of varying sizes, every echo checked. */
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
        int len = 1 + (id * 131 + m * 977) % (BUF_SIZE - 1), got = 0, i;
        for (i = 0; i < len; i++)
            out[i] = (char)(id + m + i);
        if (send(c, out, len, 0) != len) {
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
            fprintf(stderr, "iocp_echo: client %d message %d: echo differs\n", id, m);
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
    GUID acceptex = WSAID_ACCEPTEX;
    DWORD n = 0;
    HANDLE workers[WORKERS], clients[64];
    int selftest = argc > 1 && strcmp(argv[1], "--selftest") == 0;
    int nclients = selftest && argc > 2 ? atoi(argv[2]) : 8;
    int i, len = sizeof server_addr;
    if (nclients < 1 || nclients > 64)
        nclients = 8;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, WORKERS);
    listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    memset(&server_addr, 0, sizeof server_addr);
    server_addr.sin_family = AF_INET;
    server_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    server_addr.sin_port = selftest ? 0 : htons(PORT);
    if (port == NULL || bind(listener, (SOCKADDR *)&server_addr, sizeof server_addr) != 0 ||
        listen(listener, SOMAXCONN) != 0 ||
        getsockname(listener, (SOCKADDR *)&server_addr, &len) != 0 ||
        CreateIoCompletionPort((HANDLE)listener, port, 0, 0) != port ||
        WSAIoctl(listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &acceptex, sizeof acceptex,
                 &pAcceptEx, sizeof pAcceptEx, &n, NULL, NULL) != 0) {
        fail("set-up");
        return 1;
    }
    for (i = 0; i < WORKERS; i++)
        workers[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    for (i = 0; i < ACCEPTS; i++)
        post_accept();
    printf("iocp_echo: %d workers on 127.0.0.1:%d\n", WORKERS, ntohs(server_addr.sin_port));
    fflush(stdout);
    if (!selftest) {
        WaitForMultipleObjects(WORKERS, workers, TRUE, INFINITE);
        return 0;
    }

    for (i = 0; i < nclients; i++)
        clients[i] = CreateThread(NULL, 0, client, (LPVOID)(INT_PTR)i, 0, NULL);
    for (i = 0; i < nclients; i++) {
        if (WaitForSingleObject(clients[i], 6 * WAIT_MS) != WAIT_OBJECT_0) {
            fprintf(stderr, "iocp_echo: client %d stalled\n", i);
            return 1;
        }
        CloseHandle(clients[i]);
    }
    /* Stop: no new AcceptEx, the listener closed (its pending ones complete aborted),
     * then one stop packet per worker. */
    stopping = 1;
    closesocket(listener);
    for (i = 0; i < WORKERS; i++)
        PostQueuedCompletionStatus(port, 0, 0, NULL);
    if (WaitForMultipleObjects(WORKERS, workers, TRUE, WAIT_MS) != WAIT_OBJECT_0) {
        fprintf(stderr, "iocp_echo: workers did not stop\n");
        return 1;
    }
    CloseHandle(port);
    WSACleanup();
    if (failures != 0 || connections != nclients) {
        fprintf(stderr, "iocp_echo: self-test failed: %ld failures, %ld of %d connections\n",
                (long)failures, (long)connections, nclients);
        return 1;
    }
    printf("iocp_echo: self-test passed: %d clients, %ld bytes echoed by %d workers\n", nclients,
           (long)echoed_bytes, WORKERS);
    return 0;
}
