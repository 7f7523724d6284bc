/*
 * addresses.c -- byte order and address conversion through the headers: htons, htonl,
 * ntohs, ntohl, inet_addr, inet_pton, inet_ntop, with Windows' values.
 *
 * The tables are the Windows-run checks of Wine's dlls/ws2_32/tests/protocol.c
 * (test_inet_addr, test_inet_pton, test_addr_to_print). Family values are Windows'
 * (AF_INET = 2, AF_INET6 = 23, B.3 / capi-surface.md).
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "check.h"

static void test_byte_order(void)
{
    u_short s;
    ULONG l;
    const BYTE *p;
    SECTION("htons/htonl/ntohs/ntohl: network order is big-endian");
    s = htons(0x1234);
    p = (const BYTE *)&s;
    EXPECT_TRUE("htons bytes", p[0] == 0x12 && p[1] == 0x34);
    l = htonl(0x01020304);
    p = (const BYTE *)&l;
    EXPECT_TRUE("htonl bytes", p[0] == 1 && p[1] == 2 && p[2] == 3 && p[3] == 4);
    EXPECT_EQ("ntohs(htons)", ntohs(htons(0xBEEF)), 0xBEEF);
    EXPECT_EQ("ntohl(htonl)", ntohl(htonl(0xDEADBEEF)), 0xDEADBEEF);
    EXPECT_EQ("htonl(INADDR_LOOPBACK) is 127.0.0.1", htonl(INADDR_LOOPBACK), inet_addr("127.0.0.1"));
    {
        /* function pointers map too (object-like macros in C) */
        u_short (*fp)(u_short) = htons;
        EXPECT_EQ("htons through a function pointer", fp(0x0102), htons(0x0102));
    }
}

static void test_inet_addr(void)
{
    static const struct {
        const char *in;
        ULONG le; /* the value read as a little-endian u_long, as Wine's table states it */
    } t[] = {
        {"0.0.0.0", 0x00000000},      {"", 0xffffffff},          {" 0", 0xffffffff},
        {"0xa1a2b3b4 ", 0xb4b3a2a1},  {".", 0xffffffff},         {" ", 0x00000000},
        {"\t", 0xffffffff},           {"  ", 0xffffffff},        {"127.127.127.255", 0xff7f7f7f},
        {"127.127.127.255:123", 0xffffffff},                     {"127.127.127.256", 0xffffffff},
        {"a", 0xffffffff},            {"1.2.3.0xaA", 0xaa030201}, {"1.1.1.0x", 0xffffffff},
        {"1.2.3.010", 0x08030201},    {"1.2.3.00", 0x00030201},  {"1.2.3.0a", 0xffffffff},
        {"1.1.1.0o10", 0xffffffff},   {"1.1.1.0b10", 0xffffffff}, {"1.1.1.-2", 0xffffffff},
        {"1", 0x01000000},            {"1.2", 0x02000001},       {"1.2.3", 0x03000201},
        {"203569230", 0x4e38220c},    {"[0.1.2.3]", 0xffffffff}, {"0x00010203", 0x03020100},
        {"0x2134", 0x34210000},       {"1234BEEF", 0xffffffff},  {"017700000001", 0x0100007f},
        {"0777", 0xff010000},         {"2607:f0d0:1002:51::4", 0xffffffff},
        {"::177.32.45.20", 0xffffffff}, {"::1/128", 0xffffffff}, {"::1", 0xffffffff},
        {":1", 0xffffffff},
    };
    size_t i;
    int c;
    char str[8];
    SECTION("inet_addr: Wine test_inet_addr (Windows-run)");
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        ULONG got;
        BYTE b[4];
        WSASetLastError(0xdead);
        got = inet_addr(t[i].in);
        memcpy(b, &got, 4);
        printf("   inet_addr(\"%s\")\n", t[i].in);
        EXPECT_EQ("value", (ULONG)b[0] | (ULONG)b[1] << 8 | (ULONG)b[2] << 16 | (ULONG)b[3] << 24,
                  t[i].le);
        EXPECT_EQ("last error untouched", WSAGetLastError(), 0xdead);
    }
    EXPECT_EQ("INADDR_NONE", inet_addr("x"), INADDR_NONE);
    WSASetLastError(0);
    EXPECT_EQ("inet_addr(NULL)", inet_addr(NULL), INADDR_NONE);
    EXPECT_EQ("  WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    /* "1.2.3" followed by any non-digit: accepted only when it is a space character */
    for (c = 1; c < 256; c++) {
        if (c >= '0' && c <= '9')
            continue;
        strcpy(str, "1.2.3");
        str[5] = (char)c;
        str[6] = 0;
        EXPECT_EQ("\"1.2.3\" + one character",
                  inet_addr(str),
                  (c == ' ' || (c >= '\t' && c <= '\r')) ? inet_addr("1.2.0.3") : INADDR_NONE);
    }
}

static void test_inet_pton(void)
{
    static const struct {
        const char *in;
        int ret;
        DWORD addr; /* 0xdeadbeef: not written */
    } v4[] = {
        {"", 0, 0xdeadbeef},          {" ", 0, 0xdeadbeef},
        {"1.1.1.1", 1, 0x01010101},   {"0.0.0.0", 1, 0x00000000},
        {"127.127.127.255", 1, 0xff7f7f7f},
        {"127.127.127.255:123", 0, 0xff7f7f7f}, /* written, yet 0 (as Windows) */
        {"127.127.127.256", 0, 0xdeadbeef},     {"a", 0, 0xdeadbeef},
        {"1.1.1.0xaA", 0, 0xdeadbeef},          {"1.1.1.0x", 0, 0xdeadbeef},
        {"1.1.1.010", 0, 0xdeadbeef},           {"1.1.1.00", 0, 0xdeadbeef},
        {"1.1.1.0a", 0, 0x00010101},            {"1.1.1.0o10", 0, 0x00010101},
        {"1.1.1.0b10", 0, 0x00010101},          {"1.1.1.-2", 0, 0xdeadbeef},
        {"1", 0, 0xdeadbeef},                   {"1.2", 0, 0xdeadbeef},
        {"1.2.3", 0, 0xdeadbeef},               {"203569230", 0, 0xdeadbeef},
        {"3.4.5.6.7", 0, 0xdeadbeef},           {" 3.4.5.6", 0, 0xdeadbeef},
        {"\t3.4.5.6", 0, 0xdeadbeef},           {"3.4.5.6 ", 0, 0x06050403},
        {"3. 4.5.6", 0, 0xdeadbeef},            {"[0.1.2.3]", 0, 0xdeadbeef},
        {"0x00010203", 0, 0xdeadbeef},          {"0x2134", 0, 0xdeadbeef},
        {"1234BEEF", 0, 0xdeadbeef},            {"017700000001", 0, 0xdeadbeef},
        {"0777", 0, 0xdeadbeef},                {"2607:f0d0:1002:51::4", 0, 0xdeadbeef},
        {"::177.32.45.20", 0, 0xdeadbeef},      {"::1/128", 0, 0xdeadbeef},
        {"::1", 0, 0xdeadbeef},                 {":1", 0, 0xdeadbeef},
    };
    static const struct {
        const char *in;
        int ret;
        USHORT w[8]; /* words as stored (little-endian reads of network-order bytes) */
    } v6[] = {
        {"0000:0000:0000:0000:0000:0000:0000:0001", 1, {0, 0, 0, 0, 0, 0, 0, 0x100}},
        {"0:0:0:0:0:0:0::", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
        {"0:0:0:0:0:0:13.1.68.3", 1, {0, 0, 0, 0, 0, 0, 0x10d, 0x344}},
        {"0:0:0:0:0:FFFF:129.144.52.38", 1, {0, 0, 0, 0, 0, 0xffff, 0x9081, 0x2634}},
        {"1080:0:0:0:8:800:200c:417a", 1, {0x8010, 0, 0, 0, 0x800, 0x8, 0x0c20, 0x7a41}},
        {"0:a:b:c:d:e:f::", 1, {0, 0xa00, 0xb00, 0xc00, 0xd00, 0xe00, 0xf00, 0}},
        {"1111:2222:3333:4444:5555:6666::8888", 1, {0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0, 0x8888}},
        {"1111::", 1, {0x1111, 0, 0, 0, 0, 0, 0, 0}},
        {"1111::123.123.123.123", 1, {0x1111, 0, 0, 0, 0, 0, 0x7b7b, 0x7b7b}},
        {"2001:db8:85a3::8a2e:370:7334", 1, {0x120, 0xb80d, 0xa385, 0, 0, 0x2e8a, 0x7003, 0x3473}},
        {"::", 1, {0, 0, 0, 0, 0, 0, 0, 0}},
        {"1::001.2.3.4", 1, {0x100, 0, 0, 0, 0, 0, 0x201, 0x403}},
        {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, {0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}},
        {"1111:2222:3333:4444:5555:6666::7777:8888", 0, {0}},
        {"1111:2222:3333:4444:0x5555:6666:7777:8888", 0, {0}},
        {"::%16", 0, {0}},
        {"::/16", 0, {0}},
        {"::01234", 0, {0}},
        {"::0:0:0:0:0:0:0", 0, {0}}, /* Windows refuses a leading :: + 7 groups */
        {"02001:0000:1234:0000:0000:C1C0:ABCD:0876", 0, {0}},
        {"1.2.3.4", 0, {0}},
        {"1111:2222:", 0, {0}},
        {"1111:2222:::", 0, {0}},
        {"1::0001.2.3.4", 0, {0}},
        {"1::1.2.3.4::1", 0, {0}},
        {"2001:0000:1234:0000:0000:C1C0:ABCD:0876  0", 0, {0}},
        {"[::]", 0, {0}},
    };
    size_t i;
    BYTE buf[16];
    SECTION("inet_pton: errors (Wine test_inet_pton, Windows-run)");
    WSASetLastError(0xdead);
    EXPECT_EQ("inet_pton(AF_UNSPEC, NULL, buf)", inet_pton(AF_UNSPEC, NULL, buf), -1);
    EXPECT_EQ("  WSAEFAULT (before the family check)", WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdead);
    EXPECT_EQ("inet_pton(AF_INET, NULL, buf)", inet_pton(AF_INET, NULL, buf), -1);
    EXPECT_EQ("  WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdead);
    EXPECT_EQ("inet_pton(AF_INET, s, NULL)", inet_pton(AF_INET, "1.2.3.4", NULL), -1);
    EXPECT_EQ("  WSAEFAULT", WSAGetLastError(), WSAEFAULT);
    WSASetLastError(0xdead);
    EXPECT_EQ("inet_pton(AF_UNSPEC, \"127.0.0.1\")", inet_pton(AF_UNSPEC, "127.0.0.1", buf), -1);
    EXPECT_EQ("  WSAEAFNOSUPPORT", WSAGetLastError(), WSAEAFNOSUPPORT);
    WSASetLastError(0xdead);
    EXPECT_EQ("inet_pton(10 = Linux AF_INET6)", inet_pton(10, "::1", buf), -1);
    EXPECT_EQ("  WSAEAFNOSUPPORT", WSAGetLastError(), WSAEAFNOSUPPORT);

    SECTION("inet_pton(AF_INET): strict dotted decimal");
    for (i = 0; i < sizeof v4 / sizeof v4[0]; i++) {
        DWORD addr = 0xdeadbeef;
        printf("   inet_pton(AF_INET, \"%s\")\n", v4[i].in);
        WSASetLastError(0xdead);
        EXPECT_EQ("return", inet_pton(AF_INET, v4[i].in, &addr), v4[i].ret);
        EXPECT_EQ("last error untouched", WSAGetLastError(), 0xdead);
        {
            BYTE *b = (BYTE *)&addr;
            DWORD le = (DWORD)b[0] | (DWORD)b[1] << 8 | (DWORD)b[2] << 16 | (DWORD)b[3] << 24;
            EXPECT_EQ("stored address", le, v4[i].addr);
        }
    }

    SECTION("inet_pton(AF_INET6 = 23)");
    for (i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
        int k;
        printf("   inet_pton(AF_INET6, \"%s\")\n", v6[i].in);
        WSASetLastError(0xdead);
        memset(buf, 0xab, sizeof buf);
        EXPECT_EQ("return", inet_pton(AF_INET6, v6[i].in, buf), v6[i].ret);
        EXPECT_EQ("last error untouched", WSAGetLastError(), 0xdead);
        if (v6[i].ret == 1)
            for (k = 0; k < 8; k++)
                EXPECT_EQ("word", buf[2 * k] | buf[2 * k + 1] << 8, v6[i].w[k]);
    }
    {
        IN6_ADDR a6;
        EXPECT_EQ("into an IN6_ADDR", inet_pton(AF_INET6, "fe80::1", &a6), 1);
        EXPECT_TRUE("s6_addr", a6.s6_addr[0] == 0xfe && a6.s6_addr[1] == 0x80 && a6.s6_addr[15] == 1);
        EXPECT_EQ("s6_words", a6.s6_words[0], 0x80fe);
    }
}

static void test_inet_ntop(void)
{
    char dst[16], dst6[64];
    IN_ADDR in;
    IN6_ADDR in6;
    const char *p;
    static const BYTE a2[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0xcc, 0x98, 0xbd, 0x74};
    static const BYTE a3[16] = {0x20, 0x30, 0xa4, 0xb1};
    static const BYTE a4[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xcc, 0x98, 0xbd, 0x74};
    static const struct {
        const char *in, *out;
    } round[] = {
        {"::1", "::1"},
        {"::", "::"},
        {"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
        {"2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
        {"1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"},
        {"fe80::5efe:10.0.0.1", "fe80::5efe:10.0.0.1"},
        {"1111:2222:3333:4444:5555:6666:7777:8888", "1111:2222:3333:4444:5555:6666:7777:8888"},
    };
    size_t i;

    SECTION("inet_ntop: Wine test_addr_to_print (Windows-run)");
    in.s_addr = 0x20201015; /* little-endian host: 21.16.32.32 */
    p = inet_ntop(AF_INET, &in.s_addr, dst, sizeof dst);
    EXPECT_TRUE("returns the buffer", p == dst);
    EXPECT_STR("IPv4", p, "21.16.32.32");
    WSASetLastError(0);
    EXPECT_TRUE("family 1 -> NULL", inet_ntop(1, &in.s_addr, dst, sizeof dst) == NULL);
    EXPECT_EQ("  WSAEAFNOSUPPORT", WSAGetLastError(), WSAEAFNOSUPPORT);
    WSASetLastError(0);
    EXPECT_TRUE("NULL buffer -> NULL", inet_ntop(AF_INET, &in.s_addr, NULL, sizeof dst) == NULL);
    EXPECT_EQ("  WSAEINVAL (Windows 7's code)", WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0);
    EXPECT_TRUE("length 0 -> NULL", inet_ntop(AF_INET, &in.s_addr, dst, 0) == NULL);
    EXPECT_EQ("  WSAEINVAL", WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0);
    EXPECT_TRUE("length 6 -> NULL", inet_ntop(AF_INET, &in.s_addr, dst, 6) == NULL);
    EXPECT_EQ("  WSAEINVAL", WSAGetLastError(), WSAEINVAL);
    WSASetLastError(0);
    EXPECT_TRUE("length 11 (no room for the NUL) -> NULL",
                inet_ntop(AF_INET, &in.s_addr, dst, 11) == NULL);
    EXPECT_EQ("  WSAEINVAL", WSAGetLastError(), WSAEINVAL);
    EXPECT_STR("length 12 is exact", inet_ntop(AF_INET, &in.s_addr, dst, 12), "21.16.32.32");
    WSASetLastError(0);
    EXPECT_TRUE("NULL address -> NULL", inet_ntop(AF_INET, NULL, dst, sizeof dst) == NULL);
    EXPECT_EQ("  WSAEFAULT", WSAGetLastError(), WSAEFAULT);

    memcpy(in6.u.Byte, a2, 16);
    EXPECT_STR("zero-prefixed", inet_ntop(AF_INET6, &in6.s6_addr, dst6, sizeof dst6),
               "::fffe:cc98:bd74");
    memcpy(in6.s6_addr, a3, 16);
    EXPECT_STR("zero-suffixed", inet_ntop(AF_INET6, &in6.s6_addr, dst6, sizeof dst6),
               "2030:a4b1::");
    memcpy(in6.s6_addr, a4, 16);
    EXPECT_STR("IPv4-compatible", inet_ntop(AF_INET6, &in6.s6_addr, dst6, sizeof dst6),
               "::204.152.189.116");
    memcpy(in6.u.Byte, a2, 16);
    WSASetLastError(0);
    EXPECT_TRUE("IPv6, length 16 (16 chars) -> NULL",
                inet_ntop(AF_INET6, &in6.s6_addr, dst6, 16) == NULL);
    EXPECT_EQ("  WSAEINVAL", WSAGetLastError(), WSAEINVAL);
    EXPECT_TRUE("IPv6, length 18 is fine", inet_ntop(AF_INET6, &in6.s6_addr, dst6, 18) == dst6);

    SECTION("inet_pton -> inet_ntop round trips");
    for (i = 0; i < sizeof round / sizeof round[0]; i++) {
        EXPECT_EQ(round[i].in, inet_pton(AF_INET6, round[i].in, &in6), 1);
        EXPECT_STR(round[i].in, inet_ntop(AF_INET6, &in6, dst6, INET6_ADDRSTRLEN), round[i].out);
    }
}

int main(void)
{
    test_byte_order();
    test_inet_addr();
    test_inet_pton();
    test_inet_ntop();
    DONE();
}
