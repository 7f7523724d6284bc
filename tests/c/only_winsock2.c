/*
 * only_winsock2.c -- a program that includes nothing but <winsock2.h> (as many Winsock
 * samples do) and calls the C run-time: Windows' headers bring stdio.h, stdlib.h,
 * string.h, ctype.h, stdarg.h, wchar.h and the CRT names, and so must ours (issue 9, §1).
 * Built by tests/capi_c.rs as C and C++ with -Wall -Wextra -Werror. (Not a mingw test:
 * mingw's headers bring stdlib.h, string.h and ctype.h but not stdio.h; a C compiler that
 * accepts implicit declarations builds such programs anyway, so ours bring stdio.h too.)
 */
#include <winsock2.h>

static int sum(int n, ...)
{
    va_list ap;
    int s = 0;
    va_start(ap, n);
    while (n-- > 0)
        s += va_arg(ap, int);
    va_end(ap);
    return s;
}

int main(void)
{
    char *p = (char *)malloc(16);
    char buf[32];
    WSADATA wsa;
    if (p == NULL)
        exit(1);
    memcpy(p, "WinSock", 8);
    p[0] = (char)tolower((unsigned char)p[0]);
    if (strcmp(p, "winSock") != 0 || strlen(p) != 7 || _stricmp(p, "WINSOCK") != 0)
        exit(2);
    free(p);
    if (sum(3, 1, 2, 3) != 6 || wcslen(L"abc") != 3 || atoi("12") != 12)
        exit(3);
    sprintf_s(buf, sizeof buf, "%d", WSAStartup(MAKEWORD(2, 2), &wsa));
    if (strcmp(buf, "0") != 0)
        exit(4);
    WSACleanup();
    printf("ok: the C run-time through <winsock2.h> alone\n");
    return EXIT_SUCCESS;
}
