//! Socket options, `connect`/`sendto` address checks and Windows' bind rules through the
//! Winsock-named facade, over loopback. Sources: Wine's Windows-run `dlls/ws2_32/tests/sock.c`
//! (`test_set_getsockopt`, `test_reuseaddr`), issue 8 item 7 and issue 9 §6–§7.
#![allow(non_snake_case)]

use std::net::SocketAddr;

use wsaevents::winsock::*;

fn start() {
    let mut data = WSADATA::default();
    assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut data), 0);
}

fn any() -> SocketAddr {
    "0.0.0.0:0".parse().unwrap()
}

fn local(s: SOCKET) -> SocketAddr {
    let mut a = any();
    assert_eq!(getsockname(s, &mut a), 0);
    a
}

/// Issue 8 item 7; Wine's test_set_getsockopt ("SO_RCVTIMEO with invalid values for
/// level", checked on Windows): an unknown level is WSAEINVAL, for setsockopt and
/// getsockopt; an unknown option at a known level stays WSAENOPROTOOPT.
#[test]
fn unknown_level_is_einval() {
    start();
    let s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    let v = 63000u32.to_ne_bytes();
    for level in [0xffff_ffffu32 as i32, 0x8000, 12345] {
        WSASetLastError(0);
        assert_eq!(
            setsockopt(s, level, SO_RCVTIMEO, &v),
            SOCKET_ERROR,
            "{level:#x}"
        );
        assert_eq!(WSAGetLastError(), WSAEINVAL, "set, level {level:#x}");
        let mut out = [0u8; 4];
        let mut len = 4;
        assert_eq!(
            getsockopt(s, level, SO_RCVTIMEO, &mut out, &mut len),
            SOCKET_ERROR
        );
        assert_eq!(WSAGetLastError(), WSAEINVAL, "get, level {level:#x}");
    }
    assert_eq!(setsockopt(s, SOL_SOCKET, 0x7777, &v), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAENOPROTOOPT);
    closesocket(s);
    WSACleanup();
}

/// Issue 8 item 7: connect to 0.0.0.0 (Linux would connect to the local host) or to port 0
/// fails WSAEADDRNOTAVAIL on Windows, for TCP and UDP, blocking or not; so does sendto to
/// port 0 or to 0.0.0.0.
#[test]
fn connect_and_sendto_unspecified_is_addrnotavail() {
    start();
    // A listener on the wildcard address and some port, so that Linux would connect.
    let l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(bind(l, &"0.0.0.0:0".parse().unwrap()), 0);
    assert_eq!(listen(l, 4), 0);
    let port = local(l).port();
    for target in [
        SocketAddr::from(([0, 0, 0, 0], port)),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    ] {
        for nonblocking in [false, true] {
            let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            let mut arg = u32::from(nonblocking);
            assert_eq!(ioctlsocket(c, FIONBIO, &mut arg), 0);
            WSASetLastError(0);
            assert_eq!(
                connect(c, &target),
                SOCKET_ERROR,
                "{target} nb={nonblocking}"
            );
            assert_eq!(WSAGetLastError(), WSAEADDRNOTAVAIL, "{target}");
            closesocket(c);
        }
        let u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        assert_eq!(connect(u, &target), SOCKET_ERROR, "udp {target}");
        assert_eq!(WSAGetLastError(), WSAEADDRNOTAVAIL);
        assert_eq!(sendto(u, b"x", 0, &target), SOCKET_ERROR, "sendto {target}");
        assert_eq!(WSAGetLastError(), WSAEADDRNOTAVAIL);
        closesocket(u);
    }
    let u6 = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    assert_eq!(
        sendto(u6, b"x", 0, &"[::]:9".parse().unwrap()),
        SOCKET_ERROR
    );
    assert_eq!(WSAGetLastError(), WSAEADDRNOTAVAIL);
    closesocket(u6);
    closesocket(l);
    WSACleanup();
}

fn opt_get(s: SOCKET, level: i32, name: i32, cap: usize) -> (i32, [u8; 8], i32) {
    let mut buf = [0xEFu8; 8];
    let mut len = cap as i32;
    let rc = getsockopt(s, level, name, &mut buf[..cap], &mut len);
    (rc, buf, len)
}

fn get_u32(s: SOCKET, level: i32, name: i32) -> u32 {
    let (rc, b, len) = opt_get(s, level, name, 4);
    assert_eq!(
        rc,
        0,
        "getsockopt({level:#x}, {name:#x}): {}",
        WSAGetLastError()
    );
    assert_eq!(len, 4);
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

fn set_u32(s: SOCKET, level: i32, name: i32, v: u32) -> i32 {
    setsockopt(s, level, name, &v.to_le_bytes())
}

/// Wine's test_set_getsockopt table (test_optsize), checked on Windows: BOOL options at
/// SOL_SOCKET take any length and report 4 (1 for a short buffer); one-byte options
/// (SO_KEEPALIVE, TCP_NODELAY, IPV6_V6ONLY) read and write one byte; DWORD options need 4
/// bytes both ways; IP_TTL rejects 256; 0x100 in a BOOL reads back as 1, in a one-byte option
/// as 0.
#[test]
fn option_sizes_as_windows() {
    start();
    let t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    let u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    // BOOL at SOL_SOCKET.
    for (s, name) in [
        (u, SO_BROADCAST),
        (t, SO_DONTLINGER),
        (t, SO_OOBINLINE),
        (t, SO_REUSEADDR),
    ] {
        assert_eq!(set_u32(s, SOL_SOCKET, name, 0x100), 0, "{name:#x}");
        assert_eq!(
            get_u32(s, SOL_SOCKET, name),
            1,
            "{name:#x}: 0x100 reads as TRUE"
        );
        assert_eq!(
            setsockopt(s, SOL_SOCKET, name, &[]),
            0,
            "{name:#x}: length 0 accepted"
        );
        assert_eq!(
            setsockopt(s, SOL_SOCKET, name, &[1]),
            0,
            "{name:#x}: length 1"
        );
        let (rc, b, len) = opt_get(s, SOL_SOCKET, name, 2);
        assert_eq!(
            (rc, len, b[0], b[1], b[2]),
            (0, 1, 1, 0, 0xEF),
            "{name:#x}: short get"
        );
        assert_eq!(set_u32(s, SOL_SOCKET, name, 0), 0);
        assert_eq!(get_u32(s, SOL_SOCKET, name), 0);
        let (rc, ..) = opt_get(s, SOL_SOCKET, name, 0);
        assert_eq!((rc, WSAGetLastError()), (SOCKET_ERROR, WSAEFAULT));
    }
    // One byte.
    for (level, name) in [(SOL_SOCKET, SO_KEEPALIVE), (IPPROTO_TCP, TCP_NODELAY)] {
        assert_eq!(set_u32(t, level, name, 1), 0);
        let (rc, b, len) = opt_get(t, level, name, 4);
        assert_eq!(
            (rc, len, b[0], b[1]),
            (0, 1, 1, 0xEF),
            "{name:#x}: one byte written"
        );
        assert_eq!(set_u32(t, level, name, 0x100), 0);
        assert_eq!(
            opt_get(t, level, name, 4).1[0],
            0,
            "{name:#x}: only the first byte counts"
        );
        assert_eq!(setsockopt(t, level, name, &[]), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAEFAULT);
    }
    // DWORDs.
    for name in [SO_RCVBUF, SO_SNDBUF, SO_RCVTIMEO, SO_SNDTIMEO, SO_LINGER] {
        assert_eq!(
            setsockopt(t, SOL_SOCKET, name, &[1, 0]),
            SOCKET_ERROR,
            "{name:#x}"
        );
        assert_eq!(WSAGetLastError(), WSAEFAULT);
        let (rc, b, _) = opt_get(t, SOL_SOCKET, name, 2);
        assert_eq!(
            (rc, WSAGetLastError(), b[0]),
            (SOCKET_ERROR, WSAEFAULT, 0xEF),
            "{name:#x}"
        );
    }
    // IP_TTL.
    assert_eq!(set_u32(u, IPPROTO_IP, IP_TTL, 0x100), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAEINVAL);
    assert_eq!(set_u32(u, IPPROTO_IP, IP_TTL, 77), 0);
    assert_eq!(get_u32(u, IPPROTO_IP, IP_TTL), 77);
    assert_eq!(setsockopt(u, IPPROTO_IP, IP_TTL, &[9, 0]), 0);
    let (rc, b, len) = opt_get(u, IPPROTO_IP, IP_TTL, 2);
    assert_eq!((rc, len, b[0], b[1]), (0, 1, 9, 0xEF));
    closesocket(t);
    closesocket(u);
    WSACleanup();
}

/// SO_RCVTIMEO / SO_SNDTIMEO round-trip as DWORD milliseconds (Wine: 63000, 0, 997000);
/// SO_ACCEPTCONN follows listen; SO_DONTLINGER mirrors SO_LINGER's l_onoff and keeps
/// l_linger; SO_REUSEADDR and SO_EXCLUSIVEADDRUSE exclude each other (test_reuseaddr).
#[test]
fn option_values() {
    start();
    let s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    for name in [SO_RCVTIMEO, SO_SNDTIMEO] {
        for v in [63000, 0, 997000] {
            assert_eq!(set_u32(s, SOL_SOCKET, name, v), 0);
            assert_eq!(get_u32(s, SOL_SOCKET, name), v);
        }
    }
    assert_eq!(get_u32(s, SOL_SOCKET, SO_ACCEPTCONN), 0);
    assert_eq!(bind(s, &"127.0.0.1:0".parse().unwrap()), 0);
    assert_eq!(listen(s, 1), 0);
    assert_eq!(get_u32(s, SOL_SOCKET, SO_ACCEPTCONN), 1);
    assert_eq!(set_u32(s, SOL_SOCKET, SO_ACCEPTCONN, 0), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAENOPROTOOPT);

    let l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(
        get_u32(l, SOL_SOCKET, SO_DONTLINGER),
        1,
        "no lingering by default"
    );
    assert_eq!(setsockopt(l, SOL_SOCKET, SO_LINGER, &[1, 0, 73, 0]), 0);
    assert_eq!(get_u32(l, SOL_SOCKET, SO_DONTLINGER), 0);
    assert_eq!(set_u32(l, SOL_SOCKET, SO_DONTLINGER, 1), 0);
    assert_eq!(
        get_u32(l, SOL_SOCKET, SO_LINGER),
        u32::from_ne_bytes([0, 0, 73, 0])
    );
    assert_eq!(set_u32(l, SOL_SOCKET, SO_DONTLINGER, 0), 0);
    assert_eq!(
        get_u32(l, SOL_SOCKET, SO_LINGER),
        u32::from_ne_bytes([1, 0, 73, 0])
    );

    assert_eq!(set_u32(l, SOL_SOCKET, SO_REUSEADDR, 1), 0);
    assert_eq!(set_u32(l, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAEINVAL);
    assert_eq!(set_u32(l, SOL_SOCKET, SO_REUSEADDR, 0), 0);
    assert_eq!(set_u32(l, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1), 0);
    assert_eq!(set_u32(l, SOL_SOCKET, SO_REUSEADDR, 1), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAEINVAL);
    assert_eq!(get_u32(l, SOL_SOCKET, SO_EXCLUSIVEADDRUSE), 1);
    closesocket(l);
    closesocket(s);
    WSACleanup();
}

/// IPV6_V6ONLY is on by default for AF_INET6 sockets, as on Windows (issue 9 §6), and
/// can be turned off before bind; an IPv4 socket has no IPv6 options (WSAEINVAL).
#[test]
fn v6only_default_on() {
    start();
    for ty in [SOCK_STREAM, SOCK_DGRAM] {
        let s = socket(AF_INET6, ty, 0);
        let (rc, b, len) = opt_get(s, IPPROTO_IPV6, IPV6_V6ONLY, 4);
        assert_eq!((rc, len, b[0]), (0, 1, 1));
        assert_eq!(set_u32(s, IPPROTO_IPV6, IPV6_V6ONLY, 0), 0);
        assert_eq!(opt_get(s, IPPROTO_IPV6, IPV6_V6ONLY, 4).1[0], 0);
        closesocket(s);
    }
    let v4 = socket(AF_INET, SOCK_STREAM, 0);
    assert_eq!(set_u32(v4, IPPROTO_IPV6, IPV6_V6ONLY, 0), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAEINVAL);
    closesocket(v4);
    WSACleanup();
}

fn tcp_pair() -> (SOCKET, SOCKET) {
    let l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(bind(l, &"127.0.0.1:0".parse().unwrap()), 0);
    assert_eq!(listen(l, 1), 0);
    let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(connect(c, &local(l)), 0);
    let a = accept(l, None);
    assert_ne!(a, INVALID_SOCKET);
    closesocket(l);
    (c, a)
}

/// SO_RCVTIMEO: a blocking recv with nothing to read fails WSAETIMEDOUT after the timeout
/// (the MS reference page of SOL_SOCKET options); data already queued is returned at once,
/// and a later recv still works. No duration is asserted, only the outcome.
#[test]
fn recv_timeout_is_wsaetimedout() {
    start();
    let (c, a) = tcp_pair();
    assert_eq!(set_u32(a, SOL_SOCKET, SO_RCVTIMEO, 50), 0);
    let mut buf = [0u8; 8];
    WSASetLastError(0);
    assert_eq!(recv(a, &mut buf, 0), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAETIMEDOUT);
    assert_eq!(send(c, b"hi", 0), 2);
    assert_eq!(set_u32(a, SOL_SOCKET, SO_RCVTIMEO, 10_000), 0);
    assert_eq!(recv(a, &mut buf, 0), 2);
    // UDP too.
    let u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_eq!(bind(u, &"127.0.0.1:0".parse().unwrap()), 0);
    assert_eq!(set_u32(u, SOL_SOCKET, SO_RCVTIMEO, 20), 0);
    assert_eq!(recvfrom(u, &mut buf, 0, None), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAETIMEDOUT);
    closesocket(u);
    closesocket(c);
    closesocket(a);
    WSACleanup();
}

/// SO_SNDTIMEO: a blocking send that finds no room (the peer does not read) fails
/// WSAETIMEDOUT once the timeout passes.
#[test]
fn send_timeout_is_wsaetimedout() {
    start();
    let (c, a) = tcp_pair();
    assert_eq!(set_u32(c, SOL_SOCKET, SO_SNDBUF, 4096), 0);
    assert_eq!(set_u32(a, SOL_SOCKET, SO_RCVBUF, 4096), 0);
    assert_eq!(set_u32(c, SOL_SOCKET, SO_SNDTIMEO, 50), 0);
    let chunk = vec![7u8; 64 * 1024];
    let mut rc = 0;
    for _ in 0..1000 {
        rc = send(c, &chunk, 0);
        if rc == SOCKET_ERROR {
            break;
        }
    }
    assert_eq!(rc, SOCKET_ERROR, "the send buffers never filled");
    assert_eq!(WSAGetLastError(), WSAETIMEDOUT);
    closesocket(c);
    closesocket(a);
    WSACleanup();
}

/// Issue 9 §7: a server restarted on its port while its old connection sits in TIME_WAIT
/// binds and listens (Windows does; Linux refuses without SO_REUSEADDR). The server side
/// closes first, so the TIME_WAIT is on the server's port.
#[test]
fn restart_in_time_wait_binds() {
    start();
    let l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(bind(l, &"127.0.0.1:0".parse().unwrap()), 0);
    assert_eq!(listen(l, 1), 0);
    let addr = local(l);
    let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(connect(c, &addr), 0);
    let a = accept(l, None);
    assert_ne!(a, INVALID_SOCKET);
    assert_eq!(send(a, b"bye", 0), 3);
    assert_eq!(closesocket(a), 0); // active close: TIME_WAIT on the server's port
    let mut buf = [0u8; 8];
    assert_eq!(recv(c, &mut buf, 0), 3);
    assert_eq!(recv(c, &mut buf, 0), 0, "the FIN");
    assert_eq!(closesocket(c), 0);
    assert_eq!(closesocket(l), 0);
    let again = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(
        bind(again, &addr),
        0,
        "bind over TIME_WAIT: {}",
        WSAGetLastError()
    );
    assert_eq!(listen(again, 1), 0);
    closesocket(again);
    WSACleanup();
}

fn bound_tcp(addr: SocketAddr, reuse: bool, exclusive: bool) -> (SOCKET, i32) {
    let s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if reuse {
        assert_eq!(set_u32(s, SOL_SOCKET, SO_REUSEADDR, 1), 0);
    }
    if exclusive {
        assert_eq!(set_u32(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1), 0);
    }
    WSASetLastError(0);
    let rc = bind(s, &addr);
    (s, if rc == 0 { 0 } else { WSAGetLastError() })
}

/// A free loopback port for the bind tests: bound and closed at once.
fn free_port() -> u16 {
    let (s, rc) = bound_tcp("127.0.0.1:0".parse().unwrap(), false, false);
    assert_eq!(rc, 0);
    let p = local(s).port();
    closesocket(s);
    p
}

/// Issue 9 §7 and Wine's Windows-run test_reuseaddr: two live listeners on one address
/// conflict (WSAEADDRINUSE), also two sockets merely bound to the wildcard address; with
/// SO_REUSEADDR on the second only, WSAEACCES; on both, both bind and listen.
#[test]
fn bind_conflicts_and_reuseaddr() {
    start();
    let p = free_port();
    let lo: SocketAddr = ([127, 0, 0, 1], p).into();
    let wild: SocketAddr = ([0, 0, 0, 0], p).into();

    let (l1, rc) = bound_tcp(lo, false, false);
    assert_eq!(rc, 0);
    assert_eq!(listen(l1, 1), 0);
    let (l2, rc) = bound_tcp(lo, false, false);
    assert_eq!(rc, WSAEADDRINUSE, "a second listener's bind");
    closesocket(l2);
    let (l2, rc) = bound_tcp(lo, true, false);
    assert_eq!(rc, WSAEACCES, "SO_REUSEADDR on the second socket only");
    closesocket(l2);
    closesocket(l1);

    let (w1, rc) = bound_tcp(wild, false, false);
    assert_eq!(rc, 0);
    let (w2, rc) = bound_tcp(wild, false, false);
    assert_eq!(rc, WSAEADDRINUSE, "two binds to INADDR_ANY");
    closesocket(w2);
    closesocket(w1);

    let (r1, rc) = bound_tcp(lo, true, false);
    assert_eq!(rc, 0);
    let (r2, rc) = bound_tcp(lo, true, false);
    assert_eq!(rc, 0, "both asked for SO_REUSEADDR");
    assert_eq!(listen(r1, 1), 0);
    assert_eq!(listen(r2, 1), 0, "both listen");
    let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(connect(c, &lo), 0);
    closesocket(c);
    closesocket(r1);
    closesocket(r2);

    // Closed sockets no longer count.
    let (again, rc) = bound_tcp(lo, false, false);
    assert_eq!(rc, 0);
    closesocket(again);
    WSACleanup();
}

/// Wine's Windows-run test_reuseaddr, tests_exclusive (IPv4 rows): SO_EXCLUSIVEADDRUSE on
/// a wildcard bind refuses a specific bind of the port (WSAEACCES); a wildcard bind with
/// it after a specific one is WSAEADDRINUSE; the same address is WSAEADDRINUSE either way.
#[test]
fn exclusiveaddruse() {
    start();
    for (first, second, want) in [
        ((true, true), (false, false), WSAEACCES),
        ((true, true), (false, true), WSAEACCES),
        ((false, false), (true, true), WSAEADDRINUSE),
        ((false, true), (false, false), WSAEADDRINUSE),
        ((false, false), (false, true), WSAEADDRINUSE),
        ((true, false), (true, true), WSAEADDRINUSE),
    ] {
        // (wildcard?, exclusive?) for each socket.
        let p = free_port();
        let at = |wild: bool| -> SocketAddr {
            if wild {
                ([0, 0, 0, 0], p).into()
            } else {
                ([127, 0, 0, 1], p).into()
            }
        };
        let (s1, rc) = bound_tcp(at(first.0), false, first.1);
        assert_eq!(rc, 0);
        let (s2, rc) = bound_tcp(at(second.0), false, second.1);
        assert_eq!(rc, want, "{first:?} then {second:?}");
        closesocket(s1);
        closesocket(s2);
    }
    WSACleanup();
}
