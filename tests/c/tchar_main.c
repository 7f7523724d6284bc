/*
 * tchar_main.c -- a console program in the Visual Studio template's style: <tchar.h>,
 * _tmain, _TCHAR, _T("..."), _tprintf and the _tcs* functions, over Winsock. Built by
 * tests/capi_c.rs twice: ANSI (the default) and with -DUNICODE -D_UNICODE, and run with the
 * arguments "tchar-arg" and "na\xc3\xafve" (UTF-8; 5 characters, 6 bytes). Builds
 * unchanged with mingw too.
 *
 * Output goes through _tprintf only: with _UNICODE that is wprintf, and the C library fixes
 * a stream's orientation at its first use, so this program does not mix printf into
 * stdout (Windows' CRT would allow it).
 */
#include <Winsock2.h>
#include <Ws2tcpip.h>
#include <tchar.h>
#include <stdio.h>
#include <string.h>

static int fail(int line, const _TCHAR *what)
{
    _ftprintf(stderr, _T("FAIL line %d: "), line);
    _fputts(what, stderr);
    _fputts(_T("\n"), stderr);
    return 1;
}
#define CHECK(what, cond)                                                                     \
    do {                                                                                      \
        if (!(cond))                                                                          \
            return fail(__LINE__, _T(what));                                                  \
    } while (0)

int _tmain(int argc, _TCHAR *argv[])
{
    _TCHAR buf[64];
    WSADATA wsa;
    SOCKET s, r;
    SOCKADDR_IN addr;
    int len = sizeof addr, n;
    char dgram[16];

    CHECK("three arguments", argc == 3);
    CHECK("argv[1]", _tcscmp(argv[1], _T("tchar-arg")) == 0);
    CHECK("_tcsicmp", _tcsicmp(argv[1], _T("TCHAR-ARG")) == 0);
#ifdef _UNICODE
    CHECK("argv[2] in characters", _tcslen(argv[2]) == 5);
    CHECK("argv[2] decoded", argv[2][2] == 0xEF);
#else
    /* The ANSI command line is the system's multibyte encoding: UTF-8 here (6 bytes); on
     * Windows the ANSI code page (5 bytes in code page 1252). */
    CHECK("argv[2] in bytes", _tcslen(argv[2]) == 6);
#endif
    _tcscpy(buf, _T("port "));
    CHECK("_tcscat", _tcslen(_tcscat(buf, _T("0"))) == 6);
    CHECK("_ttoi", _ttoi(_T("27015")) == 27015);
    CHECK("_tcschr", _tcschr(buf, _T(' ')) == buf + 4);

    CHECK("WSAStartup", WSAStartup(MAKEWORD(2, 2), &wsa) == 0);
    r = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK("bind", bind(r, (SOCKADDR *)&addr, sizeof addr) == 0);
    CHECK("getsockname", getsockname(r, (SOCKADDR *)&addr, &len) == 0);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    CHECK("sendto", sendto(s, "tchar", 5, 0, (SOCKADDR *)&addr, sizeof addr) == 5);
    n = recv(r, dgram, sizeof dgram, 0);
    CHECK("recv", n == 5 && memcmp(dgram, "tchar", 5) == 0);
    closesocket(s);
    closesocket(r);
    WSACleanup();
    _tprintf(_T("ok: %d arguments, datagram of %d bytes\n"), argc, n);
    return 0;
}
