/*
 * cancel.c -- pthread_cancel of threads blocked inside the library (issue 8, item 10).
 *
 * The library's calls are not cancellation points (docs/porting.md, "Threads: exit paths and
 * cancellation"): cancellation is disabled while a thread is inside a library call, so a
 * cancel never unwinds through the library (which would abort the process: the forced
 * unwind meets the panic guard at the C edge) and never leaves a lock held or the poller
 * role taken. A cancel requested while a thread is blocked in a call takes effect at the
 * first cancellation point after the call returns.
 *
 * Here one thread blocks in WSAWaitForMultipleEvents (INFINITE; it is the poller: a socket
 * exists) and one in a blocking recv. Both are cancelled while blocked (or just before they
 * block: the cancel is then pending when the call starts, which must not act inside it
 * either). The calls complete normally once their event is set / data arrives, then the
 * threads end at the next cancellation point (a sem_wait). The library keeps working afterwards. Every wait is
 * bounded (the driver kills the program after 60 s).
 */
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <pthread.h>
#include <semaphore.h>

#include "check.h"
#include "net.h"

static sem_t ready;
/* Never posted: a thread ends in sem_wait on it (a cancellation point) once its library call
 * returned, so only the cancel ends it, whenever the cancel came. */
static sem_t never;
static WSAEVENT wait_ev;
static SOCKET recv_sock;
static volatile DWORD wait_result = 0xdead;
static volatile int recv_result = -2;
static volatile int past_testcancel;

static void *waiter(void *arg)
{
    (void)arg;
    sem_post(&ready);
    wait_result = WSAWaitForMultipleEvents(1, &wait_ev, FALSE, WSA_INFINITE, FALSE);
    sem_wait(&never);
    past_testcancel = 1;
    return NULL;
}

static void *receiver(void *arg)
{
    char buf[16];
    (void)arg;
    sem_post(&ready);
    recv_result = recv(recv_sock, buf, sizeof buf, 0);
    sem_wait(&never);
    past_testcancel = 1;
    return NULL;
}

int main(void)
{
    WSADATA wsa;
    SOCKET client, server, c2, s2;
    WSAEVENT ev2;
    pthread_t tw, tr;
    void *res;
    char buf[8];

    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    EXPECT_EQ("sem_init", sem_init(&ready, 0, 0), 0);
    EXPECT_EQ("sem_init", sem_init(&never, 0, 0), 0);
    TCP_PAIR(&client, &server);
    recv_sock = server;
    wait_ev = WSACreateEvent();

    SECTION("cancel a thread blocked in WSAWaitForMultipleEvents and one blocked in recv");
    EXPECT_EQ("start waiter", pthread_create(&tw, NULL, waiter, NULL), 0);
    EXPECT_EQ("start receiver", pthread_create(&tr, NULL, receiver, NULL), 0);
    EXPECT_EQ("waiter ready", sem_wait(&ready), 0);
    EXPECT_EQ("receiver ready", sem_wait(&ready), 0);
    EXPECT_EQ("cancel waiter", pthread_cancel(tw), 0);
    EXPECT_EQ("cancel receiver", pthread_cancel(tr), 0);
    /* The blocked calls complete normally... */
    EXPECT_EQ("set the waited event", WSASetEvent(wait_ev), TRUE);
    EXPECT_EQ("send to the receiver", send(client, "hello", 5, 0), 5);
    /* ...and the threads end at their next cancellation point. */
    EXPECT_EQ("join waiter", pthread_join(tw, &res), 0);
    EXPECT_TRUE("waiter was cancelled", res == PTHREAD_CANCELED);
    EXPECT_EQ("join receiver", pthread_join(tr, &res), 0);
    EXPECT_TRUE("receiver was cancelled", res == PTHREAD_CANCELED);
    EXPECT_EQ("the wait returned its event", wait_result, WSA_WAIT_EVENT_0);
    EXPECT_EQ("the recv returned the data", recv_result, 5);
    EXPECT_EQ("neither thread ran past its cancellation point", past_testcancel, 0);

    SECTION("the library keeps working: no lock held, the poller role released");
    TCP_PAIR(&c2, &s2);
    ev2 = WSACreateEvent();
    EXPECT_EQ("WSAEventSelect", WSAEventSelect(s2, ev2, FD_READ | FD_CLOSE), 0);
    EXPECT_EQ("send", send(c2, "abc", 3, 0), 3);
    EXPECT_EQ("FD_READ arrives (someone polls)", WSAWaitForMultipleEvents(1, &ev2, FALSE, LONG_MS,
              FALSE), WSA_WAIT_EVENT_0);
    CHECK_EVENTS("FD_READ", s2, ev2, FD_READ, 0);
    EXPECT_EQ("recv", recv(s2, buf, sizeof buf, 0), 3);
    EXPECT_EQ("blocking recv on the old pair", send(client, "xy", 2, 0), 2);
    EXPECT_EQ("  gets it", recv(server, buf, sizeof buf, 0), 2);
    EXPECT_EQ("WSAResetEvent", WSAResetEvent(wait_ev), TRUE);
    EXPECT_EQ("a timed wait times out", WSAWaitForMultipleEvents(1, &wait_ev, FALSE, 10, FALSE),
              WSA_WAIT_TIMEOUT);

    SECTION("a cancel pending before the call does not act inside it either");
    {
        pthread_t self_cancel;
        EXPECT_EQ("WSASetEvent", WSASetEvent(wait_ev), TRUE);
        wait_result = 0xdead;
        past_testcancel = 0;
        EXPECT_EQ("start", pthread_create(&self_cancel, NULL, waiter, NULL), 0);
        EXPECT_EQ("ready", sem_wait(&ready), 0);
        EXPECT_EQ("cancel", pthread_cancel(self_cancel), 0);
        EXPECT_EQ("join", pthread_join(self_cancel, &res), 0);
        EXPECT_TRUE("cancelled", res == PTHREAD_CANCELED);
        /* Either the cancel came before the call (which then ran to completion) or after
         * it returned: the call's result is never a failure. */
        EXPECT_TRUE("the wait returned its event or had not started",
                    wait_result == WSA_WAIT_EVENT_0 || wait_result == 0xdead);
    }

    closesocket(c2);
    closesocket(s2);
    closesocket(client);
    closesocket(server);
    WSACloseEvent(ev2);
    WSACloseEvent(wait_ev);
    EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    DONE();
}
