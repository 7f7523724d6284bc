/*
 * net.h -- loopback helpers shared by the socket C tests (fd_events.c, errors.c), in the
 * style of Wine's tests/sock.c: tcp_socketpair, close_with_rst, check_events.
 *
 * Include after <winsock2.h>, <ws2tcpip.h> and "check.h". Every helper checks its own calls
 * and exits(1) with the caller's line on the first mismatch. Every wait is bounded.
 */
#ifndef WSAEVENTS_TEST_NET_H
#define WSAEVENTS_TEST_NET_H

#include <stdarg.h>

/* A wait that must succeed: bounded, so a missing event fails instead of hanging. */
#define LONG_MS 10000
/* A wait that must time out (nothing expected): only bounds how late a wrong event could
 * show up. It never synchronises anything. */
#define SHORT_MS 100

/* The caller's line, set by the macros below, so that a failure names the test's line. */
static int caller_line;
static const char *caller_file = "?";

static inline void fail_at(const char *what, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "FAIL %s:%d: %s: ", caller_file, caller_line, what);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    exit(1);
}

static inline void fail_call(const char *what)
{
    fail_at(what, "failed with error %d", WSAGetLastError());
}

/* A bound (127.0.0.1, any port), listening TCP socket; its address in *addr. */
static inline SOCKET listener_at(SOCKADDR_IN *addr, int backlog)
{
    int len = sizeof *addr;
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (l == INVALID_SOCKET)
        fail_call("socket");
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (SOCKADDR *)addr, sizeof *addr) != 0)
        fail_call("bind");
    if (getsockname(l, (SOCKADDR *)addr, &len) != 0)
        fail_call("getsockname");
    if (backlog > 0 && listen(l, backlog) != 0)
        fail_call("listen");
    check_count++;
    return l;
}
#define LISTENER(addr) (caller_file = __FILE__, caller_line = __LINE__, listener_at((addr), 16))

/* Wine's tcp_socketpair: a blocking connect from *client, then accept gives *server; the
 * listener is closed. Both blocking and unselected. */
static inline void tcp_pair_at(SOCKET *client, SOCKET *server)
{
    SOCKADDR_IN addr;
    SOCKET l = listener_at(&addr, 1);
    *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (*client == INVALID_SOCKET)
        fail_call("socket(client)");
    if (connect(*client, (SOCKADDR *)&addr, sizeof addr) != 0)
        fail_call("connect");
    *server = accept(l, NULL, NULL);
    if (*server == INVALID_SOCKET)
        fail_call("accept");
    if (closesocket(l) != 0)
        fail_call("closesocket(listener)");
    check_count++;
}
#define TCP_PAIR(c, s) (caller_file = __FILE__, caller_line = __LINE__, tcp_pair_at((c), (s)))

/* Wine's close_with_rst: SO_LINGER {1, 0}, then closesocket sends a RST. */
static inline void close_with_rst_at(SOCKET s)
{
    LINGER lg;
    lg.l_onoff = 1;
    lg.l_linger = 0;
    if (setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg) != 0)
        fail_call("setsockopt(SO_LINGER)");
    if (closesocket(s) != 0)
        fail_call("closesocket");
    check_count++;
}
#define CLOSE_WITH_RST(s) (caller_file = __FILE__, caller_line = __LINE__, close_with_rst_at(s))

/*
 * Wine's check_events (T:6411-6495): flag1/flag2 are MAKELONG(FD_x, error) (0 for none).
 * If anything is expected, the event must be signalled within LONG_MS; if nothing is, the
 * wait must time out (SHORT_MS). Then WSAEnumNetworkEvents(s, ev) (which resets ev) must
 * report exactly LOWORD(flag1) | LOWORD(flag2), with iErrorCode[bit] = HIWORD(flag) for each
 * reported bit, and every other iErrorCode entry untouched (rule 13: the 0xAB fill
 * survives).
 */
static inline void check_events_at(const char *what, SOCKET s, WSAEVENT ev, LONG flag1,
                            LONG flag2)
{
    LONG want = (LONG)(LOWORD(flag1) | LOWORD(flag2));
    WSANETWORKEVENTS ne;
    DWORD w;
    int bit;

    w = WSAWaitForMultipleEvents(1, &ev, FALSE, want ? LONG_MS : SHORT_MS, FALSE);
    if (want && w != WSA_WAIT_EVENT_0)
        fail_at(what, "expected events 0x%x, the event never came (wait returned %u)",
                (unsigned)want, (unsigned)w);
    if (!want && w != WSA_WAIT_TIMEOUT)
        fail_at(what, "the event must not be signalled (wait returned %u, want %u)",
                (unsigned)w, (unsigned)WSA_WAIT_TIMEOUT);
    memset(&ne, 0xAB, sizeof ne);
    if (WSAEnumNetworkEvents(s, ev, &ne) != 0)
        fail_at(what, "WSAEnumNetworkEvents failed with %d", WSAGetLastError());
    if (ne.lNetworkEvents != want)
        fail_at(what, "reported events 0x%x, want 0x%x", (unsigned)ne.lNetworkEvents,
                (unsigned)want);
    for (bit = 0; bit < FD_MAX_EVENTS; bit++) {
        if (want & (1 << bit)) {
            LONG code = (LOWORD(flag1) & (1 << bit)) ? HIWORD(flag1) : HIWORD(flag2);
            if (ne.iErrorCode[bit] != code)
                fail_at(what, "iErrorCode[%d] of a reported event: %d, want %d", bit,
                        ne.iErrorCode[bit], (int)code);
        } else if ((DWORD)ne.iErrorCode[bit] != 0xABABABABu) {
            fail_at(what, "iErrorCode[%d] of an unreported event was written: 0x%x (rule 13)",
                    bit, (unsigned)ne.iErrorCode[bit]);
        }
    }
    check_count++;
}
#define CHECK_EVENTS(what, s, ev, f1, f2) \
    (caller_file = __FILE__, caller_line = __LINE__, check_events_at((what), (s), (ev), (f1), (f2)))

/* The last error after a failed call, compared with the expected code. */
#define EXPECT_FAIL(what, call, failval, code)                                                \
    do {                                                                                      \
        WSASetLastError(0);                                                                   \
        EXPECT_EQ(what, (call), (failval));                                                   \
        EXPECT_EQ("  last error", WSAGetLastError(), (code));                                 \
    } while (0)

#endif
