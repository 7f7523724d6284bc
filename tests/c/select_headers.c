/*
 * select_headers.c -- Winsock's fd_set, FD_* macros, timeval, WSAPOLLFD and POLL* with the C
 * library's <sys/select.h>, <sys/time.h>, <poll.h> included before (-DLIBC_FIRST) or after
 * ours, as C and C++: the names must mean Winsock's either way, never the C library's.
 *
 * -DTEST_SETSIZE=N defines FD_SETSIZE as a Windows program does to enlarge fd_set: before
 * everything when our headers come first; right before <winsock2.h> when the C library's
 * come first (built in a strict mode, where they do not define FD_SETSIZE themselves).
 *
 * The FD_* semantics are winsock2.h's: FD_SET adds a socket once and stops at FD_SETSIZE,
 * FD_CLR moves the later entries down, FD_ISSET looks at fd_count entries only.
 */
#if defined(TEST_SETSIZE) && !defined(LIBC_FIRST)
#  define FD_SETSIZE TEST_SETSIZE
#endif

#if defined(LIBC_FIRST) && !defined(TEST_SETSIZE)
#  include <stdlib.h>
#  include <stdio.h>
#  include <sys/types.h>
#  include <sys/time.h>
#  include <sys/select.h>
#  include <poll.h>
#  include <sys/poll.h>
#  include <time.h>
#  include <unistd.h>
#elif defined(LIBC_FIRST)
/* <sys/select.h> (and, in the default modes, <sys/types.h> and <stdlib.h>) define
 * FD_SETSIZE themselves: a program's #define after them is a redefinition (the compiler
 * warns). These do not. */
#  include <stdlib.h>
#  include <stdio.h>
#  include <string.h>
#  include <time.h>
#  include <poll.h>
#  define FD_SETSIZE TEST_SETSIZE
#endif

#include <winsock2.h>
#include <windows.h>

#ifndef LIBC_FIRST
#  include <stdlib.h>
#  include <stdio.h>
#  include <sys/types.h>
#  include <sys/time.h>
#  include <sys/select.h>
#  include <poll.h>
#  include <sys/poll.h>
#  include <time.h>
#  include <unistd.h>
#endif

#include <stddef.h>

#include "check.h"

#ifdef TEST_SETSIZE
#  define WANT_SETSIZE TEST_SETSIZE
#else
#  define WANT_SETSIZE 64
#endif

int main(void)
{
    fd_set set;
    FD_SET *typed = &set; /* Windows' typedef name, beside the macro */
    WSAPOLLFD p;
    TIMEVAL tv;
    u_int i;
    WSADATA wsa;

    SECTION("fd_set is Winsock's: fd_count + fd_array[FD_SETSIZE]");
    EXPECT_EQ("FD_SETSIZE", FD_SETSIZE, WANT_SETSIZE);
    EXPECT_EQ("offsetof(fd_set, fd_array)", offsetof(fd_set, fd_array), sizeof(SOCKET));
    EXPECT_EQ("sizeof(fd_set)", sizeof(fd_set), sizeof(SOCKET) * (1 + WANT_SETSIZE));
    EXPECT_EQ("sizeof(fd_count)", sizeof set.fd_count, 4);

    SECTION("FD_ZERO / FD_SET / FD_ISSET / FD_CLR as winsock2.h defines them");
    FD_ZERO(typed);
    EXPECT_EQ("FD_ZERO", set.fd_count, 0);
    FD_SET(5000000, &set); /* a value glibc's bit mask could not hold */
    EXPECT_EQ("FD_SET", set.fd_count, 1);
    EXPECT_TRUE("  stored as is", set.fd_array[0] == 5000000);
    FD_SET(5000000, &set);
    EXPECT_EQ("FD_SET again: no duplicate", set.fd_count, 1);
    FD_SET(8, &set);
    FD_SET(12, &set);
    EXPECT_TRUE("FD_ISSET", FD_ISSET(8, &set));
    EXPECT_TRUE("FD_ISSET, absent", !FD_ISSET(16, &set));
    FD_CLR(5000000, &set);
    EXPECT_EQ("FD_CLR", set.fd_count, 2);
    EXPECT_TRUE("  the later entries moved down", set.fd_array[0] == 8 && set.fd_array[1] == 12);
    FD_CLR(99, &set);
    EXPECT_EQ("FD_CLR, absent: nothing", set.fd_count, 2);
    set.fd_array[2] = 16;
    EXPECT_TRUE("FD_ISSET looks at fd_count entries only", !FD_ISSET(16, &set));
    FD_ZERO(&set);
    for (i = 0; i < FD_SETSIZE + 5; i++)
        FD_SET((SOCKET)(4 * (i + 1)), &set);
    EXPECT_EQ("FD_SET stops at FD_SETSIZE", set.fd_count, FD_SETSIZE);
    EXPECT_TRUE("  the last one kept", set.fd_array[FD_SETSIZE - 1] == (SOCKET)(4 * FD_SETSIZE));
    {
        int fd = 3; /* an int argument, as in code written for both APIs: no warning */
        FD_ZERO(&set);
        FD_SET(fd, &set);
        EXPECT_TRUE("FD_SET(int)", FD_ISSET(fd, &set));
    }

    SECTION("timeval: tv_sec, tv_usec; TIMEVAL; timerisset");
    tv.tv_sec = 1;
    tv.tv_usec = 500000;
    EXPECT_TRUE("timerisset", timerisset(&tv));
    timerclear(&tv);
    EXPECT_TRUE("timerclear", !timerisset(&tv));

    SECTION("WSAPOLLFD and the POLL* flags: Windows' layout and values");
    EXPECT_EQ("sizeof(WSAPOLLFD)", sizeof(WSAPOLLFD), 2 * sizeof(SOCKET));
    EXPECT_EQ("offsetof(fd)", offsetof(WSAPOLLFD, fd), 0);
    EXPECT_EQ("offsetof(events)", offsetof(WSAPOLLFD, events), sizeof(SOCKET));
    EXPECT_EQ("offsetof(revents)", offsetof(WSAPOLLFD, revents), sizeof(SOCKET) + 2);
    EXPECT_EQ("sizeof(struct pollfd) is WSAPOLLFD's", sizeof(struct pollfd), sizeof(WSAPOLLFD));
    EXPECT_EQ("POLLRDNORM", POLLRDNORM, 0x0100);
    EXPECT_EQ("POLLRDBAND", POLLRDBAND, 0x0200);
    EXPECT_EQ("POLLIN", POLLIN, 0x0300);
    EXPECT_EQ("POLLPRI", POLLPRI, 0x0400);
    EXPECT_EQ("POLLWRNORM", POLLWRNORM, 0x0010);
    EXPECT_EQ("POLLOUT", POLLOUT, 0x0010);
    EXPECT_EQ("POLLWRBAND", POLLWRBAND, 0x0020);
    EXPECT_EQ("POLLERR", POLLERR, 0x0001);
    EXPECT_EQ("POLLHUP", POLLHUP, 0x0002);
    EXPECT_EQ("POLLNVAL", POLLNVAL, 0x0004);
#ifdef POLLRDHUP
    EXPECT_TRUE("no POLLRDHUP (Linux only)", 0);
#endif

    SECTION("select and __WSAFDIsSet are Winsock's");
    {
        /* Only Winsock's select converts to this type (the C library's takes its own
         * fd_set and a non-const timeval). */
        int (*fp)(int, fd_set *, fd_set *, fd_set *, const struct timeval *) = select;
        int (*isset)(SOCKET, fd_set *) = __WSAFDIsSet;
        struct timeval zero = {0, 0};
        EXPECT_EQ("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa), 0);
        FD_ZERO(&set);
        FD_SET(8, &set);
        EXPECT_EQ("__WSAFDIsSet", isset(8, &set), 1);
        FD_ZERO(&set);
        /* glibc's select(0, ...) returns 0; Winsock's fails with WSAEINVAL. */
        WSASetLastError(0);
        EXPECT_EQ("select(0, empty) through a pointer", fp(0, &set, NULL, NULL, &zero),
                  SOCKET_ERROR);
        EXPECT_EQ("  WSAEINVAL", WSAGetLastError(), WSAEINVAL);
        WSASetLastError(0);
        EXPECT_EQ("select(0, empty)", select(0, &set, &set, &set, &zero), SOCKET_ERROR);
        EXPECT_EQ("  WSAEINVAL", WSAGetLastError(), WSAEINVAL);
        p.fd = INVALID_SOCKET;
        p.events = POLLIN;
        EXPECT_EQ("WSAPoll, no socket", WSAPoll(&p, 1, 0), SOCKET_ERROR);
        EXPECT_EQ("  WSAENOTSOCK", WSAGetLastError(), WSAENOTSOCK);
        EXPECT_EQ("  POLLNVAL", p.revents, POLLNVAL);
#if WANT_SETSIZE >= 200
        {
            /* A program's larger fd_set: select reads fd_count entries, whatever the
             * capacity, and keeps their order (test_select's 200 sockets). Unbound UDP
             * sockets are writable. */
            static SOCKET socks[200];
            static fd_set w;
            FD_ZERO(&w);
            for (i = 0; i < 200; i++) {
                socks[i] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
                EXPECT_TRUE("socket", socks[i] != INVALID_SOCKET);
                FD_SET(socks[i], &w);
            }
            EXPECT_EQ("200 in the set", w.fd_count, 200);
            EXPECT_EQ("select: all 200 writable", select(0, NULL, &w, NULL, &zero), 200);
            for (i = 0; i < 200; i++) {
                if (w.fd_array[i] != socks[i])
                    EXPECT_TRUE("  in their order", 0);
                closesocket(socks[i]);
            }
        }
#endif
        EXPECT_EQ("WSACleanup", WSACleanup(), 0);
    }
    DONE();
}
