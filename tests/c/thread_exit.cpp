/*
 * thread_exit.cpp -- library calls from thread-exit paths (issue 8, item 9).
 *
 * A pthread key destructor and a C++ thread_local destructor (one that flushes a connection
 * as the thread ends) run after the Rust runtime has torn down its own thread-local values.
 * Every call must still work there: a wait on an already signalled event returns
 * WSA_WAIT_EVENT_0 (not WAIT_FAILED with WSASYSCALLFAILURE), a wait that blocks times out,
 * WSASetEvent, send, closesocket and the last error work, and nothing is printed on stderr
 * (the driver, tests/capi_c.rs, checks there is no panic message).
 *
 * Order matters: the thread_local object is constructed before the thread first uses the
 * library, so its destructor runs after the library's thread-local destructors; pthread
 * key destructors run after all of them (glibc). Every wait is bounded.
 */
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <pthread.h>

#include "check.h"

/* What one exit path saw; checked by main after the join. */
struct exit_results {
    int ran;
    DWORD wait_signalled;  /* want WSA_WAIT_EVENT_0 */
    DWORD wait_timeout;    /* want WSA_WAIT_TIMEOUT */
    BOOL set;              /* want TRUE */
    int sent;              /* want 4 */
    int closed;            /* want 0 */
    int closed_again;      /* want SOCKET_ERROR ... */
    int closed_again_err;  /* ... with WSAENOTSOCK */
    int last_error;        /* want 1234 after WSASetLastError(1234) */
    SOCKET fresh;          /* a socket created there: want a valid one */
};

static struct exit_results key_results, tls_results;
static pthread_key_t key;

struct conn {
    WSAEVENT signalled, quiet;
    SOCKET client;
};

static void exercise(struct conn *c, struct exit_results *r)
{
    r->ran = 1;
    r->wait_signalled = WSAWaitForMultipleEvents(1, &c->signalled, FALSE, 5000, FALSE);
    r->wait_timeout = WSAWaitForMultipleEvents(1, &c->quiet, FALSE, 5, FALSE);
    r->set = WSASetEvent(c->quiet);
    r->sent = send(c->client, "bye!", 4, 0);
    r->closed = closesocket(c->client);
    r->closed_again = closesocket(c->client);
    r->closed_again_err = WSAGetLastError();
    WSASetLastError(1234);
    r->last_error = WSAGetLastError();
    r->fresh = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (r->fresh != INVALID_SOCKET)
        closesocket(r->fresh);
}

/* A connection flushed by a thread_local's destructor. */
struct flusher {
    struct conn *c = nullptr;
    ~flusher()
    {
        if (c)
            exercise(c, &tls_results);
    }
};
static thread_local flusher tls_flusher;

static void key_destructor(void *p)
{
    exercise(static_cast<struct conn *>(p), &key_results);
}

static struct conn key_conn, tls_conn;

static void *worker(void *)
{
    /* Construct the thread_local first, so that it is destroyed last among them. */
    tls_flusher.c = &tls_conn;
    pthread_setspecific(key, &key_conn);
    /* Use the library on this thread: its thread-local values now exist and will be torn
     * down at exit, before the destructors above run. */
    WSAEVENT e = WSACreateEvent();
    WSASetEvent(e);
    EXPECT_EQ("worker: signalled wait", WSAWaitForMultipleEvents(1, &e, FALSE, 5000, FALSE),
              WSA_WAIT_EVENT_0);
    WSAResetEvent(e);
    EXPECT_EQ("worker: blocking wait times out", WSAWaitForMultipleEvents(1, &e, FALSE, 5, FALSE),
              WSA_WAIT_TIMEOUT);
    WSACloseEvent(e);
    return nullptr;
}

static void make_conn(struct conn *c, SOCKET listener, const SOCKADDR_IN *addr, SOCKET *server)
{
    c->signalled = WSACreateEvent();
    c->quiet = WSACreateEvent();
    EXPECT_EQ("set", WSASetEvent(c->signalled), TRUE);
    c->client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_EQ("connect", connect(c->client, (const SOCKADDR *)addr, sizeof *addr), 0);
    *server = accept(listener, NULL, NULL);
    EXPECT_TRUE("accept", *server != INVALID_SOCKET);
}

static void check_results(const char *path, const struct exit_results *r, SOCKET server)
{
    char buf[8];
    printf("== %s\n", path);
    EXPECT_TRUE("the destructor ran", r->ran);
    EXPECT_EQ("wait on a signalled event", r->wait_signalled, WSA_WAIT_EVENT_0);
    EXPECT_EQ("wait that blocks", r->wait_timeout, WSA_WAIT_TIMEOUT);
    EXPECT_EQ("WSASetEvent", r->set, TRUE);
    EXPECT_EQ("send", r->sent, 4);
    EXPECT_EQ("closesocket", r->closed, 0);
    EXPECT_EQ("closesocket again", r->closed_again, SOCKET_ERROR);
    EXPECT_EQ("  error", r->closed_again_err, WSAENOTSOCK);
    EXPECT_EQ("last error", r->last_error, 1234);
    EXPECT_TRUE("socket", r->fresh != INVALID_SOCKET);
    /* The peer got the flushed bytes, then the FIN of the closesocket. */
    EXPECT_EQ("peer receives the flush", recv(server, buf, sizeof buf, 0), 4);
    EXPECT_EQ("then end of stream", recv(server, buf, sizeof buf, 0), 0);
}

int main(void)
{
    WSADATA wsa;
    SOCKADDR_IN addr;
    SOCKET l, key_server, tls_server;
    int len = sizeof addr;
    pthread_t t;

    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ("bind", bind(l, (SOCKADDR *)&addr, sizeof addr), 0);
    EXPECT_EQ("getsockname", getsockname(l, (SOCKADDR *)&addr, &len), 0);
    EXPECT_EQ("listen", listen(l, 4), 0);
    make_conn(&key_conn, l, &addr, &key_server);
    make_conn(&tls_conn, l, &addr, &tls_server);

    EXPECT_EQ("pthread_key_create", pthread_key_create(&key, key_destructor), 0);
    EXPECT_EQ("pthread_create", pthread_create(&t, NULL, worker, NULL), 0);
    EXPECT_EQ("pthread_join", pthread_join(t, NULL), 0);

    check_results("C++ thread_local destructor", &tls_results, tls_server);
    check_results("pthread key destructor", &key_results, key_server);

    closesocket(key_server);
    closesocket(tls_server);
    closesocket(l);
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    DONE();
}
