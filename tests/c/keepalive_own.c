/*
 * As on Windows, <winsock2.h> alone does not define struct tcp_keepalive or
 * SIO_KEEPALIVE_VALS (they are mstcpip.h's), so the common pattern of defining them when
 * missing still builds; with <mstcpip.h> they come from the library. Compile-only.
 */
#include <winsock2.h>
#ifdef WITH_MSTCPIP
#  include <mstcpip.h>
#endif

#ifndef SIO_KEEPALIVE_VALS
#  ifdef WITH_MSTCPIP
#    error "mstcpip.h must define SIO_KEEPALIVE_VALS"
#  endif
#  define SIO_KEEPALIVE_VALS _WSAIOW(IOC_VENDOR, 4)
struct tcp_keepalive {
    u_long onoff;
    u_long keepalivetime;
    u_long keepaliveinterval;
};
#endif

int keepalive_on(SOCKET s)
{
    struct tcp_keepalive ka;
    DWORD n = 0;
    ka.onoff = 1;
    ka.keepalivetime = 30000;
    ka.keepaliveinterval = 3000;
    return WSAIoctl(s, SIO_KEEPALIVE_VALS, &ka, sizeof ka, NULL, 0, &n, NULL, NULL);
}
