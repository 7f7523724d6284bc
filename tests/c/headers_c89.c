/*
 * headers_c89.c -- every compat header in the oldest modes real Winsock code is still built
 * in: tests/capi_c.rs compiles it with -std=c89 and as C++ with -std=c++98, each with -Wall
 * -Wextra -Wpedantic -Werror (the headers must add no warning there either).
 */
#include <WinSock2.h>
#include <winsock.h>
#include <Windows.h>
#include <WS2tcpip.h>
#include <ws2def.h>
#include <ws2ipdef.h>
#include <MSWSock.h>
#include <mstcpip.h>
#include <process.h>
#include <tchar.h>
#include <stdio.h>

int main(void)
{
    CRITICAL_SECTION cs;
    volatile LONG n = 0;
    char buf[16];
    SYSTEMTIME st;
    InitializeCriticalSection(&cs);
    EnterCriticalSection(&cs);
    InterlockedIncrement(&n);
    LeaveCriticalSection(&cs);
    DeleteCriticalSection(&cs);
    GetLocalTime(&st);
    sprintf_s(buf, sizeof buf, "%d", (int)n);
    _tprintf(_T("%s %d\n"), buf, st.wYear > 0);
    return 0;
}
