/*
 * portable_branch.c -- a portable socket program in the common style: a Winsock branch and
 * a POSIX branch chosen by _WIN32. A porting user builds the Winsock branch on Linux/macOS
 * with -D_WIN32 (tests/capi_c.rs does, in C and C++, with C library headers before and
 * after the socket headers); the POSIX branch builds without it; mingw builds the Winsock
 * branch unchanged (x86_64-w64-mingw32-gcc portable_branch.c -lws2_32).
 *
 * Self-test over loopback: a listener, a blocking connect, accept, an echo of 4 KiB, a
 * refused connect reported with the branch's error code. In the Winsock branch also
 * WSAEventSelect's FD_ACCEPT and FD_READ|FD_CLOSE, with Windows' values.
 */
#ifdef LIBC_FIRST
#  include <stdio.h>
#  include <stdlib.h>
#  include <string.h>
#  include <errno.h>
#  include <time.h>
#endif

#ifdef _WIN32
#  ifndef WIN32_LEAN_AND_MEAN
#    define WIN32_LEAN_AND_MEAN
#  endif
#  include <winsock2.h>
#  include <ws2tcpip.h>
#  include <windows.h>
#  pragma comment(lib, "ws2_32.lib")
typedef SOCKET sock_t;
#  define close_socket closesocket
#  define last_socket_error() WSAGetLastError()
#  define ERR_REFUSED WSAECONNREFUSED
#  define BRANCH "Winsock"
#else
#  include <sys/types.h>
#  include <sys/socket.h>
#  include <netinet/in.h>
#  include <arpa/inet.h>
#  include <unistd.h>
#  include <errno.h>
typedef int sock_t;
#  define INVALID_SOCKET (-1)
#  define SOCKET_ERROR (-1)
#  define close_socket close
#  define last_socket_error() errno
#  define ERR_REFUSED ECONNREFUSED
#  define BRANCH "POSIX"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(what, cond)                                                                     \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "FAIL line %d: %s (socket error %d)\n", __LINE__, what,           \
                    (int)last_socket_error());                                                \
            failures++;                                                                       \
            return 1;                                                                         \
        }                                                                                     \
    } while (0)

static int run(void)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    sock_t l, c, a;
    char out[4096], in[4096];
    int i, got = 0, n;

    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK("socket", l != INVALID_SOCKET);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK("bind", bind(l, (struct sockaddr *)&addr, sizeof addr) == 0);
    CHECK("getsockname", getsockname(l, (struct sockaddr *)&addr, &len) == 0);
    CHECK("listen", listen(l, 8) == 0);
#ifdef _WIN32
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    CHECK("WSAEventSelect", WSAEventSelect(l, ev, FD_ACCEPT) == 0);
#endif
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK("connect", connect(c, (struct sockaddr *)&addr, sizeof addr) == 0);
#ifdef _WIN32
    CHECK("FD_ACCEPT signalled", WSAWaitForMultipleEvents(1, &ev, FALSE, 10000, FALSE) == WSA_WAIT_EVENT_0);
    CHECK("enum", WSAEnumNetworkEvents(l, ev, &ne) == 0);
    CHECK("FD_ACCEPT", ne.lNetworkEvents == FD_ACCEPT && ne.iErrorCode[FD_ACCEPT_BIT] == 0);
#endif
    a = accept(l, NULL, NULL);
    CHECK("accept", a != INVALID_SOCKET);
#ifdef _WIN32
    /* The accepted socket inherits the listener's selection (rule 26): re-select. */
    CHECK("WSAEventSelect accepted", WSAEventSelect(a, ev, FD_READ | FD_CLOSE) == 0);
#endif
    for (i = 0; i < (int)sizeof out; i++)
        out[i] = (char)(i * 13 + 1);
    CHECK("send", send(c, out, sizeof out, 0) == (int)sizeof out);
#ifdef _WIN32
    CHECK("FD_READ signalled", WSAWaitForMultipleEvents(1, &ev, FALSE, 10000, FALSE) == WSA_WAIT_EVENT_0);
    CHECK("enum", WSAEnumNetworkEvents(a, ev, &ne) == 0);
    CHECK("FD_READ", (ne.lNetworkEvents & FD_READ) != 0);
#endif
    while (got < (int)sizeof in) {
        n = recv(a, in + got, (int)sizeof in - got, 0);
#ifdef _WIN32
        if (n == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK) {
            CHECK("more data", WSAWaitForMultipleEvents(1, &ev, FALSE, 10000, FALSE) == WSA_WAIT_EVENT_0);
            CHECK("enum", WSAEnumNetworkEvents(a, ev, &ne) == 0);
            continue;
        }
#endif
        CHECK("recv", n > 0);
        got += n;
    }
    CHECK("echo bytes", memcmp(in, out, sizeof out) == 0);
    close_socket(c);
    close_socket(a);
    /* Nothing listens once l is closed: a refused connect, with the branch's error code. */
    close_socket(l);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK("refused", connect(c, (struct sockaddr *)&addr, sizeof addr) == SOCKET_ERROR);
    CHECK("refused code", last_socket_error() == ERR_REFUSED);
    close_socket(c);
#ifdef _WIN32
    WSACloseEvent(ev);
#endif
    return 0;
}

int main(void)
{
#ifdef _WIN32
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "WSAStartup failed\n");
        return 1;
    }
#endif
    run();
#ifdef _WIN32
    WSACleanup();
#endif
    if (failures == 0)
        printf("ok: %s branch\n", BRANCH);
    return failures != 0;
}
