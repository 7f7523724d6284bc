/*
 * ioctl_args.c -- ioctlsocket's argument, whatever type the program declared it with.
 *
 * Windows declares ioctlsocket(SOCKET, long cmd, u_long *argp) with a 32-bit u_long, and
 * programs pass a ULONG, a DWORD, a u_long or an unsigned long (all 32-bit there). Here
 * u_long, ULONG and DWORD are 32-bit too, while unsigned long is 64-bit (LP64): the header
 * dispatches on the argument's type (_Generic in C11, __builtin_choose_expr before, overloads
 * in C++), so the library reads what the program wrote and writes exactly the variable,
 * never the bytes after it.
 *
 * Each variable sits in a struct right before a canary: FIONREAD must write the count and
 * leave the canary alone; FIONBIO must read the variable only, so a 0 next to a non-zero
 * canary makes the socket blocking (a blocking connect to a listener then returns 0, a
 * non-blocking one WSAEWOULDBLOCK: deterministic over loopback).
 *
 * Built as C (default, -std=c11, -std=c99) and C++ with -Wall -Wextra -Wpedantic -Werror.
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "check.h"
#include "net.h"

#define CANARY 0xC0FFEE55u

#define DECLARE_SLOT(name, T)                                                               \
    struct name {                                                                           \
        T v;                                                                                \
        DWORD canary;                                                                       \
    }

DECLARE_SLOT(slot_ULONG, ULONG);
DECLARE_SLOT(slot_DWORD, DWORD);
DECLARE_SLOT(slot_u_long, u_long);
DECLARE_SLOT(slot_ulong, unsigned long);

/* A connected pair with `n` bytes queued at *server. */
static void pair_with_data(SOCKET *client, SOCKET *server, int n)
{
    static const char data[] = "0123456789abcdef";
    TCP_PAIR(client, server);
    EXPECT_EQ("send", send(*client, data, n, 0), n);
    /* The bytes are on the loopback once send returned; a blocking 1-byte peek on the
     * server waits for them without consuming. */
    {
        char c;
        EXPECT_EQ("peek", recv(*server, &c, 1, MSG_PEEK), 1);
    }
}

/* connect() in the socket's current mode: 0 (blocking) or WSAEWOULDBLOCK (non-blocking). */
static int connect_result(SOCKET s, const SOCKADDR_IN *addr)
{
    int rc = connect(s, (const SOCKADDR *)addr, sizeof *addr);
    return rc == 0 ? 0 : WSAGetLastError();
}

#define FIONREAD_CASE(T, slot)                                                              \
    do {                                                                                    \
        struct slot x;                                                                      \
        SOCKET c, s;                                                                        \
        pair_with_data(&c, &s, 5);                                                          \
        memset(&x.v, 0xFF, sizeof x.v); /* garbage: every byte must be written */           \
        x.canary = CANARY;                                                                  \
        EXPECT_EQ("ioctlsocket(FIONREAD, " #T ")", ioctlsocket(s, FIONREAD, &x.v), 0);      \
        EXPECT_EQ("  the count", x.v, 5);                                                   \
        EXPECT_EQ("  the neighbour untouched", x.canary, CANARY);                           \
        closesocket(c);                                                                     \
        closesocket(s);                                                                     \
    } while (0)

#define FIONBIO_CASE(T, slot)                                                               \
    do {                                                                                    \
        struct slot x;                                                                      \
        SOCKADDR_IN addr;                                                                   \
        SOCKET l = LISTENER(&addr), a, b;                                                   \
        a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);                                      \
        b = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);                                      \
        x.v = 1;                                                                            \
        x.canary = 0;                                                                       \
        EXPECT_EQ("ioctlsocket(FIONBIO, " #T " 1)", ioctlsocket(a, FIONBIO, &x.v), 0);      \
        EXPECT_EQ("  read only: the value stays", x.v, 1);                                  \
        EXPECT_EQ("  non-blocking: connect is WSAEWOULDBLOCK", connect_result(a, &addr),    \
                  WSAEWOULDBLOCK);                                                          \
        EXPECT_EQ("ioctlsocket(FIONBIO, " #T " 1)", ioctlsocket(b, FIONBIO, &x.v), 0);      \
        x.v = 0;                                                                            \
        x.canary = 0xFFFFFFFFu; /* a non-zero neighbour must not count */                   \
        EXPECT_EQ("ioctlsocket(FIONBIO, " #T " 0)", ioctlsocket(b, FIONBIO, &x.v), 0);      \
        EXPECT_EQ("  blocking again: connect completes (0)", connect_result(b, &addr), 0);  \
        EXPECT_EQ("  the neighbour untouched", x.canary, 0xFFFFFFFFu);                      \
        closesocket(a);                                                                     \
        closesocket(b);                                                                     \
        closesocket(l);                                                                     \
    } while (0)

int main(void)
{
    WSADATA wsa;

    EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);

    SECTION("u_long is Windows' 32-bit type (docs/porting.md)");
    EXPECT_EQ("sizeof(u_long)", sizeof(u_long), 4);
    EXPECT_EQ("sizeof(ULONG)", sizeof(ULONG), 4);
    EXPECT_EQ("sizeof(DWORD)", sizeof(DWORD), 4);

    SECTION("FIONREAD writes exactly the variable (ioctlsocket reference page: *argp = bytes)");
    FIONREAD_CASE(ULONG, slot_ULONG);
    FIONREAD_CASE(DWORD, slot_DWORD);
    FIONREAD_CASE(u_long, slot_u_long);
    FIONREAD_CASE(unsigned long, slot_ulong);

    SECTION("FIONBIO reads exactly the variable: 0 makes the socket blocking again");
    FIONBIO_CASE(ULONG, slot_ULONG);
    FIONBIO_CASE(DWORD, slot_DWORD);
    FIONBIO_CASE(u_long, slot_u_long);
    FIONBIO_CASE(unsigned long, slot_ulong);

    SECTION("SIOCATMARK writes exactly the variable (TRUE: no urgent data)");
    {
        struct slot_ULONG x;
        SOCKET c, s;
        TCP_PAIR(&c, &s);
        x.v = 0xFFFFFFFFu;
        x.canary = CANARY;
        EXPECT_EQ("ioctlsocket(SIOCATMARK, ULONG)", ioctlsocket(s, SIOCATMARK, &x.v), 0);
        EXPECT_EQ("  TRUE", x.v, 1);
        EXPECT_EQ("  the neighbour untouched", x.canary, CANARY);
        closesocket(c);
        closesocket(s);
    }
    {
        struct slot_ulong x;
        SOCKET c, s;
        TCP_PAIR(&c, &s);
        memset(&x.v, 0xFF, sizeof x.v);
        x.canary = CANARY;
        EXPECT_EQ("ioctlsocket(SIOCATMARK, unsigned long)", ioctlsocket(s, SIOCATMARK, &x.v),
                  0);
        EXPECT_EQ("  TRUE, the whole variable", x.v, 1);
        EXPECT_EQ("  the neighbour untouched", x.canary, CANARY);
        closesocket(c);
        closesocket(s);
    }

    SECTION("a NULL argument is WSAEFAULT; the function itself has Windows' signature");
    {
        SOCKET c, s;
        int (WSAAPI *fp)(SOCKET, LONG, u_long *) = ioctlsocket;
        u_long n = 0;
        TCP_PAIR(&c, &s);
        EXPECT_FAIL("ioctlsocket(FIONREAD, NULL)", ioctlsocket(s, FIONREAD, NULL), SOCKET_ERROR,
                    WSAEFAULT);
        EXPECT_EQ("through a function pointer", fp(s, FIONREAD, &n), 0);
        EXPECT_EQ("  nothing queued", n, 0);
        closesocket(c);
        closesocket(s);
    }

    EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    DONE();
}
