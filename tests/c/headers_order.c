/*
 * headers_order.c -- the compat headers with the C library's, in both orders, as C and C++.
 *
 * Built by tests/capi_c.rs as C (gcc default mode and -std=c11) and as C++ (-x c++, default
 * and -std=c++17), each with and without -DLIBC_FIRST and with and without -D_WIN32 (a
 * portable program selecting its Winsock branch: our headers must still be used, not a
 * system winsock2.h), with -Wall -Wextra -Wpedantic -Werror. glibc's <sys/types.h>
 * typedefs u_char/u_short/u_int/u_long (u_long 64-bit: ours renames it) and
 * <unistd.h> typedefs socklen_t: our headers must coexist with both, in either order.
 *
 * Then it checks the Windows layouts (B.4, capi-surface.md) and the constants (B.3).
 */
#ifdef LIBC_FIRST
#  include <stdlib.h>
#  include <sys/types.h>
#  include <stdio.h>
#  include <string.h>
#  include <unistd.h>
#  include <pthread.h>
#  include <time.h>
#  include <wchar.h>
#endif

#include <winsock2.h>
#include <windows.h>
#include <ws2tcpip.h>
#include <Ws2tcpip.h>
#include <winsock.h>
/* The other headers and spellings real code uses (generated copies, include guards shared). */
#include <WinSock2.h>
#include <Winsock2.h>
#include <Windows.h>
#include <WS2tcpip.h>
#include <ws2def.h>
#include <ws2ipdef.h>
#include <MSWSock.h>
#include <Mswsock.h>
#include <mstcpip.h>
#include <process.h>
#include <tchar.h>

#ifndef LIBC_FIRST
#  include <stdlib.h>
#  include <sys/types.h>
#  include <stdio.h>
#  include <string.h>
#  include <unistd.h>
#  include <pthread.h>
#  include <time.h>
#  include <wchar.h>
#endif

#ifdef __cplusplus
/* The C++ library after ours: no macro of ours (min/max, _In_, __declspec, ...) may break it. */
#  include <algorithm>
#  include <limits>
#  include <string>
#  include <vector>
#  include <mutex>
#  include <thread>
#  include <iostream>
#endif

#include "check.h"

#define EXPECT_SIZE(type, n) EXPECT_EQ("sizeof(" #type ")", sizeof(type), n)
#define EXPECT_OFFSET(type, field, n) EXPECT_EQ("offsetof(" #type ", " #field ")", offsetof(type, field), n)

int main(void)
{
    printf("%s, %s\n",
#ifdef __cplusplus
           "C++",
#else
           "C",
#endif
#ifdef LIBC_FIRST
           "C library headers first"
#else
           "compat headers first"
#endif
    );

    SECTION("base types: Windows (LLP64) sizes");
    EXPECT_SIZE(BYTE, 1);
    EXPECT_SIZE(WORD, 2);
    EXPECT_SIZE(DWORD, 4);
    EXPECT_SIZE(LONG, 4); /* not `long`: 64-bit here */
    EXPECT_SIZE(ULONG, 4);
    EXPECT_SIZE(BOOL, 4);
    EXPECT_SIZE(INT, 4);
    EXPECT_SIZE(UINT, 4);
    EXPECT_SIZE(LONGLONG, 8);
    EXPECT_SIZE(ULONGLONG, 8);
    EXPECT_SIZE(LARGE_INTEGER, 8);
    EXPECT_SIZE(HANDLE, sizeof(void *));
    EXPECT_SIZE(WSAEVENT, sizeof(void *));
    EXPECT_SIZE(SOCKET, sizeof(void *)); /* UINT_PTR (B.4) */
    EXPECT_SIZE(u_short, 2);
    EXPECT_SIZE(u_char, 1);
    EXPECT_SIZE(u_int, 4);
    EXPECT_SIZE(u_long, 4); /* Windows' 32-bit u_long (see wsaevents_base.h) */
    EXPECT_SIZE(socklen_t, 4);
    EXPECT_SIZE(CHAR, 1);
    EXPECT_SIZE(WCHAR, sizeof(wchar_t));

    SECTION("B.4: WSANETWORKEVENTS is 44 bytes, 4-byte aligned");
    EXPECT_SIZE(WSANETWORKEVENTS, 44);
    EXPECT_OFFSET(WSANETWORKEVENTS, lNetworkEvents, 0);
    EXPECT_OFFSET(WSANETWORKEVENTS, iErrorCode, 4);
    EXPECT_OFFSET(WSANETWORKEVENTS, iErrorCode[FD_CLOSE_BIT], 4 + 4 * 5);

    SECTION("socket address layouts");
    EXPECT_SIZE(SOCKADDR, 16);
    EXPECT_OFFSET(SOCKADDR, sa_family, 0);
    EXPECT_OFFSET(SOCKADDR, sa_data, 2);
    EXPECT_SIZE(SOCKADDR_IN, 16);
    EXPECT_OFFSET(SOCKADDR_IN, sin_family, 0);
    EXPECT_OFFSET(SOCKADDR_IN, sin_port, 2);
    EXPECT_OFFSET(SOCKADDR_IN, sin_addr, 4);
    EXPECT_OFFSET(SOCKADDR_IN, sin_zero, 8);
    EXPECT_SIZE(IN_ADDR, 4);
    EXPECT_SIZE(IN6_ADDR, 16);
    EXPECT_SIZE(SOCKADDR_IN6, 28);
    EXPECT_OFFSET(SOCKADDR_IN6, sin6_family, 0);
    EXPECT_OFFSET(SOCKADDR_IN6, sin6_port, 2);
    EXPECT_OFFSET(SOCKADDR_IN6, sin6_flowinfo, 4);
    EXPECT_OFFSET(SOCKADDR_IN6, sin6_addr, 8);
    EXPECT_OFFSET(SOCKADDR_IN6, sin6_scope_id, 24);
    EXPECT_SIZE(SOCKADDR_STORAGE, 128);
    EXPECT_SIZE(LINGER, 4);
    EXPECT_OFFSET(LINGER, l_linger, 2);
    {
        /* the spellings Windows code uses */
        sockaddr_in sin;
        struct sockaddr_in6 sin6;
        in_addr ia;
        memset(&sin, 0, sizeof sin);
        sin.sin_addr.s_addr = 0x04030201;
        EXPECT_EQ("S_un.S_addr via s_addr", sin.sin_addr.S_un.S_addr, 0x04030201);
        EXPECT_EQ("S_un_b.s_b1 (little-endian host)", sin.sin_addr.S_un.S_un_b.s_b1, 1);
        EXPECT_EQ("S_un_w.s_w2", sin.sin_addr.S_un.S_un_w.s_w2, 0x0403);
        EXPECT_EQ("s_impno", sin.sin_addr.s_impno, 4);
        memset(&sin6, 0, sizeof sin6);
        sin6.sin6_addr.s6_addr[15] = 1;
        EXPECT_EQ("in6_addr u.Byte via s6_addr", sin6.sin6_addr.u.Byte[15], 1);
        EXPECT_EQ("u.Word", sin6.sin6_addr.u.Word[7], 0x0100);
        ia = sin.sin_addr;
        EXPECT_EQ("in_addr copies", ia.s_addr, 0x04030201);
    }

    SECTION("WSADATA: Win64 field order");
#if UINTPTR_MAX > 0xFFFFFFFFu
    EXPECT_SIZE(WSADATA, 408);
    EXPECT_OFFSET(WSADATA, wVersion, 0);
    EXPECT_OFFSET(WSADATA, wHighVersion, 2);
    EXPECT_OFFSET(WSADATA, iMaxSockets, 4);
    EXPECT_OFFSET(WSADATA, iMaxUdpDg, 6);
    EXPECT_OFFSET(WSADATA, lpVendorInfo, 8);
    EXPECT_OFFSET(WSADATA, szDescription, 16);
    EXPECT_OFFSET(WSADATA, szSystemStatus, 16 + 257);
#else
    EXPECT_SIZE(WSADATA, 400);
#endif

    SECTION("B.3: FD_* values and bits");
    EXPECT_EQ("FD_READ", FD_READ, 0x01);
    EXPECT_EQ("FD_WRITE", FD_WRITE, 0x02);
    EXPECT_EQ("FD_OOB", FD_OOB, 0x04);
    EXPECT_EQ("FD_ACCEPT", FD_ACCEPT, 0x08);
    EXPECT_EQ("FD_CONNECT", FD_CONNECT, 0x10);
    EXPECT_EQ("FD_CLOSE", FD_CLOSE, 0x20);
    EXPECT_EQ("FD_QOS", FD_QOS, 0x40);
    EXPECT_EQ("FD_GROUP_QOS", FD_GROUP_QOS, 0x80);
    EXPECT_EQ("FD_ROUTING_INTERFACE_CHANGE", FD_ROUTING_INTERFACE_CHANGE, 0x100);
    EXPECT_EQ("FD_ADDRESS_LIST_CHANGE", FD_ADDRESS_LIST_CHANGE, 0x200);
    EXPECT_EQ("FD_READ_BIT", FD_READ_BIT, 0);
    EXPECT_EQ("FD_WRITE_BIT", FD_WRITE_BIT, 1);
    EXPECT_EQ("FD_OOB_BIT", FD_OOB_BIT, 2);
    EXPECT_EQ("FD_ACCEPT_BIT", FD_ACCEPT_BIT, 3);
    EXPECT_EQ("FD_CONNECT_BIT", FD_CONNECT_BIT, 4);
    EXPECT_EQ("FD_CLOSE_BIT", FD_CLOSE_BIT, 5);
    EXPECT_EQ("FD_QOS_BIT", FD_QOS_BIT, 6);
    EXPECT_EQ("FD_GROUP_QOS_BIT", FD_GROUP_QOS_BIT, 7);
    EXPECT_EQ("FD_ROUTING_INTERFACE_CHANGE_BIT", FD_ROUTING_INTERFACE_CHANGE_BIT, 8);
    EXPECT_EQ("FD_ADDRESS_LIST_CHANGE_BIT", FD_ADDRESS_LIST_CHANGE_BIT, 9);
    EXPECT_EQ("FD_MAX_EVENTS", FD_MAX_EVENTS, 10);
    EXPECT_EQ("FD_ALL_EVENTS", FD_ALL_EVENTS, 0x3FF);

    SECTION("B.3: wait and event constants");
    EXPECT_TRUE("WSA_INVALID_EVENT is NULL", WSA_INVALID_EVENT == NULL);
    EXPECT_EQ("WSA_MAXIMUM_WAIT_EVENTS", WSA_MAXIMUM_WAIT_EVENTS, 64);
    EXPECT_EQ("MAXIMUM_WAIT_OBJECTS", MAXIMUM_WAIT_OBJECTS, 64);
    EXPECT_EQ("WSA_INFINITE", WSA_INFINITE, 0xFFFFFFFFu);
    EXPECT_EQ("INFINITE", INFINITE, 0xFFFFFFFFu);
    EXPECT_EQ("WSA_WAIT_EVENT_0", WSA_WAIT_EVENT_0, 0);
    EXPECT_EQ("WAIT_OBJECT_0", WAIT_OBJECT_0, 0);
    EXPECT_EQ("WSA_WAIT_IO_COMPLETION", WSA_WAIT_IO_COMPLETION, 0xC0);
    EXPECT_EQ("WSA_WAIT_TIMEOUT", WSA_WAIT_TIMEOUT, 258);
    EXPECT_EQ("WAIT_TIMEOUT", WAIT_TIMEOUT, 0x102);
    EXPECT_EQ("WSA_WAIT_FAILED", WSA_WAIT_FAILED, 0xFFFFFFFFu);
    EXPECT_EQ("WAIT_FAILED", WAIT_FAILED, 0xFFFFFFFFu);
    EXPECT_EQ("WSA_INVALID_HANDLE", WSA_INVALID_HANDLE, 6);
    EXPECT_EQ("ERROR_INVALID_HANDLE", ERROR_INVALID_HANDLE, 6);
    EXPECT_EQ("WSA_NOT_ENOUGH_MEMORY", WSA_NOT_ENOUGH_MEMORY, 8);
    EXPECT_EQ("WSA_INVALID_PARAMETER", WSA_INVALID_PARAMETER, 87);
    EXPECT_EQ("ERROR_INVALID_PARAMETER", ERROR_INVALID_PARAMETER, 87);
    EXPECT_EQ("WSA_IO_INCOMPLETE", WSA_IO_INCOMPLETE, 996);
    EXPECT_EQ("WSA_IO_PENDING", WSA_IO_PENDING, 997);
    EXPECT_EQ("SOCKET_ERROR", SOCKET_ERROR, -1);
    EXPECT_TRUE("INVALID_SOCKET is all bits set", INVALID_SOCKET == (SOCKET)UINTPTR_MAX);

    SECTION("B.3: Winsock error codes");
    EXPECT_EQ("WSABASEERR", WSABASEERR, 10000);
    EXPECT_EQ("WSAEINTR", WSAEINTR, 10004);
    EXPECT_EQ("WSAEBADF", WSAEBADF, 10009);
    EXPECT_EQ("WSAEACCES", WSAEACCES, 10013);
    EXPECT_EQ("WSAEFAULT", WSAEFAULT, 10014);
    EXPECT_EQ("WSAEINVAL", WSAEINVAL, 10022);
    EXPECT_EQ("WSAEMFILE", WSAEMFILE, 10024);
    EXPECT_EQ("WSAEWOULDBLOCK", WSAEWOULDBLOCK, 10035);
    EXPECT_EQ("WSAEINPROGRESS", WSAEINPROGRESS, 10036);
    EXPECT_EQ("WSAEALREADY", WSAEALREADY, 10037);
    EXPECT_EQ("WSAENOTSOCK", WSAENOTSOCK, 10038);
    EXPECT_EQ("WSAEDESTADDRREQ", WSAEDESTADDRREQ, 10039);
    EXPECT_EQ("WSAEMSGSIZE", WSAEMSGSIZE, 10040);
    EXPECT_EQ("WSAEPROTOTYPE", WSAEPROTOTYPE, 10041);
    EXPECT_EQ("WSAENOPROTOOPT", WSAENOPROTOOPT, 10042);
    EXPECT_EQ("WSAEPROTONOSUPPORT", WSAEPROTONOSUPPORT, 10043);
    EXPECT_EQ("WSAESOCKTNOSUPPORT", WSAESOCKTNOSUPPORT, 10044);
    EXPECT_EQ("WSAEOPNOTSUPP", WSAEOPNOTSUPP, 10045);
    EXPECT_EQ("WSAEPFNOSUPPORT", WSAEPFNOSUPPORT, 10046);
    EXPECT_EQ("WSAEAFNOSUPPORT", WSAEAFNOSUPPORT, 10047);
    EXPECT_EQ("WSAEADDRINUSE", WSAEADDRINUSE, 10048);
    EXPECT_EQ("WSAEADDRNOTAVAIL", WSAEADDRNOTAVAIL, 10049);
    EXPECT_EQ("WSAENETDOWN", WSAENETDOWN, 10050);
    EXPECT_EQ("WSAENETUNREACH", WSAENETUNREACH, 10051);
    EXPECT_EQ("WSAENETRESET", WSAENETRESET, 10052);
    EXPECT_EQ("WSAECONNABORTED", WSAECONNABORTED, 10053);
    EXPECT_EQ("WSAECONNRESET", WSAECONNRESET, 10054);
    EXPECT_EQ("WSAENOBUFS", WSAENOBUFS, 10055);
    EXPECT_EQ("WSAEISCONN", WSAEISCONN, 10056);
    EXPECT_EQ("WSAENOTCONN", WSAENOTCONN, 10057);
    EXPECT_EQ("WSAESHUTDOWN", WSAESHUTDOWN, 10058);
    EXPECT_EQ("WSAETOOMANYREFS", WSAETOOMANYREFS, 10059);
    EXPECT_EQ("WSAETIMEDOUT", WSAETIMEDOUT, 10060);
    EXPECT_EQ("WSAECONNREFUSED", WSAECONNREFUSED, 10061);
    EXPECT_EQ("WSAELOOP", WSAELOOP, 10062);
    EXPECT_EQ("WSAENAMETOOLONG", WSAENAMETOOLONG, 10063);
    EXPECT_EQ("WSAEHOSTDOWN", WSAEHOSTDOWN, 10064);
    EXPECT_EQ("WSAEHOSTUNREACH", WSAEHOSTUNREACH, 10065);
    EXPECT_EQ("WSASYSNOTREADY", WSASYSNOTREADY, 10091);
    EXPECT_EQ("WSAVERNOTSUPPORTED", WSAVERNOTSUPPORTED, 10092);
    EXPECT_EQ("WSANOTINITIALISED", WSANOTINITIALISED, 10093);
    EXPECT_EQ("WSAEDISCON", WSAEDISCON, 10101);
    EXPECT_EQ("WSASYSCALLFAILURE", WSASYSCALLFAILURE, 10107);
    EXPECT_EQ("WSATRY_AGAIN", WSATRY_AGAIN, 11002);

    SECTION("families, types, protocols, options: Windows values");
    EXPECT_EQ("AF_UNSPEC", AF_UNSPEC, 0);
    EXPECT_EQ("AF_INET", AF_INET, 2);
    EXPECT_EQ("AF_INET6 (Windows)", AF_INET6, 23);
    EXPECT_EQ("PF_INET", PF_INET, 2);
    EXPECT_EQ("SOCK_STREAM", SOCK_STREAM, 1);
    EXPECT_EQ("SOCK_DGRAM", SOCK_DGRAM, 2);
    EXPECT_EQ("IPPROTO_TCP", IPPROTO_TCP, 6);
    EXPECT_EQ("IPPROTO_UDP", IPPROTO_UDP, 17);
    EXPECT_EQ("INADDR_ANY", INADDR_ANY, 0);
    EXPECT_EQ("INADDR_LOOPBACK", INADDR_LOOPBACK, 0x7f000001);
    EXPECT_EQ("INADDR_NONE", INADDR_NONE, 0xffffffffu);
    EXPECT_EQ("SD_RECEIVE", SD_RECEIVE, 0);
    EXPECT_EQ("SD_SEND", SD_SEND, 1);
    EXPECT_EQ("SD_BOTH", SD_BOTH, 2);
    EXPECT_EQ("MSG_OOB", MSG_OOB, 1);
    EXPECT_EQ("MSG_PEEK", MSG_PEEK, 2);
    EXPECT_EQ("FIONREAD", FIONREAD, 0x4004667Fu);
    EXPECT_EQ("FIONBIO", FIONBIO, 0x8004667Eu);
    EXPECT_EQ("SIOCATMARK", SIOCATMARK, 0x40047307u);
    EXPECT_EQ("FIONBIO as a LONG cmd keeps its bits", (DWORD)(LONG)FIONBIO, 0x8004667Eu);
    EXPECT_EQ("SOL_SOCKET", SOL_SOCKET, 0xffff);
    EXPECT_EQ("SO_ERROR", SO_ERROR, 0x1007);
    EXPECT_EQ("SO_LINGER", SO_LINGER, 0x0080);
    EXPECT_EQ("SO_REUSEADDR", SO_REUSEADDR, 0x0004);
    EXPECT_EQ("SO_OOBINLINE", SO_OOBINLINE, 0x0100);
    EXPECT_EQ("SO_RCVBUF", SO_RCVBUF, 0x1002);
    EXPECT_EQ("SO_SNDBUF", SO_SNDBUF, 0x1001);
    EXPECT_EQ("SO_TYPE", SO_TYPE, 0x1008);
    EXPECT_EQ("SO_KEEPALIVE", SO_KEEPALIVE, 0x0008);
    EXPECT_EQ("TCP_NODELAY", TCP_NODELAY, 1);
    EXPECT_EQ("INET_ADDRSTRLEN", INET_ADDRSTRLEN, 22);
    EXPECT_EQ("INET6_ADDRSTRLEN", INET6_ADDRSTRLEN, 65);

    SECTION("macros");
    EXPECT_EQ("MAKEWORD(2, 2)", MAKEWORD(2, 2), 0x0202);
    EXPECT_EQ("MAKEWORD(1, 2)", MAKEWORD(1, 2), 0x0201);
    EXPECT_EQ("LOBYTE", LOBYTE(0x1234), 0x34);
    EXPECT_EQ("HIBYTE", HIBYTE(0x1234), 0x12);
    EXPECT_EQ("MAKELONG(FD_CLOSE, WSAECONNABORTED)", MAKELONG(FD_CLOSE, WSAECONNABORTED),
              0x27450020);
    EXPECT_EQ("LOWORD", LOWORD(0x27450020), FD_CLOSE);
    EXPECT_EQ("HIWORD", HIWORD(0x27450020), WSAECONNABORTED);
    EXPECT_EQ("TRUE", TRUE, 1);
    EXPECT_EQ("FALSE", FALSE, 0);
    {
        LARGE_INTEGER li;
        li.QuadPart = 0x0000000100000002LL;
        EXPECT_EQ("LARGE_INTEGER LowPart", li.u.LowPart, 2);
        EXPECT_EQ("LARGE_INTEGER HighPart", li.u.HighPart, 1);
    }

    SECTION("Win32 basics: layouts and constants");
#if !defined(WSAEVENTS_WINSOCK2_H) || !defined(WSAEVENTS_WIN32_H) || !defined(WSAEVENTS_TCHAR_H)
#  error "the compat headers were not used (with -D_WIN32 they must still be)"
#endif
#if UINTPTR_MAX > 0xFFFFFFFFu
    EXPECT_SIZE(CRITICAL_SECTION, 40);
    EXPECT_OFFSET(CRITICAL_SECTION, LockCount, 8);
    EXPECT_OFFSET(CRITICAL_SECTION, RecursionCount, 12);
    EXPECT_OFFSET(CRITICAL_SECTION, OwningThread, 16);
    EXPECT_OFFSET(CRITICAL_SECTION, SpinCount, 32);
#endif
    EXPECT_SIZE(SYSTEMTIME, 16);
    EXPECT_OFFSET(SYSTEMTIME, wDayOfWeek, 4);
    EXPECT_OFFSET(SYSTEMTIME, wMilliseconds, 14);
    EXPECT_SIZE(FILETIME, 8);
    EXPECT_EQ("MAX_PATH", MAX_PATH, 260);
    EXPECT_EQ("STILL_ACTIVE", STILL_ACTIVE, 259);
    EXPECT_EQ("FORMAT_MESSAGE_FROM_SYSTEM", FORMAT_MESSAGE_FROM_SYSTEM, 0x1000);
    EXPECT_EQ("FORMAT_MESSAGE_ALLOCATE_BUFFER", FORMAT_MESSAGE_ALLOCATE_BUFFER, 0x100);
    EXPECT_EQ("FORMAT_MESSAGE_IGNORE_INSERTS", FORMAT_MESSAGE_IGNORE_INSERTS, 0x200);
    EXPECT_EQ("MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT)", MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), 0x400);
    EXPECT_EQ("MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US)", MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), 0x409);
    EXPECT_EQ("LPTR", LPTR, 0x40);
    EXPECT_EQ("HEAP_ZERO_MEMORY", HEAP_ZERO_MEMORY, 8);
    EXPECT_EQ("CREATE_SUSPENDED", CREATE_SUSPENDED, 4);
    EXPECT_EQ("MB_YESNO", MB_YESNO, 4);
    EXPECT_EQ("IDYES", IDYES, 6);
    EXPECT_EQ("_TRUNCATE", _TRUNCATE, (size_t)-1);
    EXPECT_EQ("STRUNCATE", STRUNCATE, 80);
    EXPECT_SIZE(_TCHAR, 1);
    EXPECT_SIZE(__int64, 8);
    EXPECT_EQ("_T", sizeof(_T("ab")), 3);

    SECTION("function names resolve to the library's symbols");
    {
        /* taking the address works in C (object-like macros) and C++ (inline functions) */
        u_short (*fp_htons)(u_short) = htons;
        int (*fp_startup)(WORD, LPWSADATA) = WSAStartup;
        EXPECT_EQ("htons via pointer", fp_htons(1), htons(1));
        EXPECT_TRUE("WSAStartup pointer", fp_startup != NULL);
    }
    DONE();
}
