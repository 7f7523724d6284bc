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
        assert_eq!(setsockopt(s, level, SO_RCVTIMEO, &v), SOCKET_ERROR, "{level:#x}");
        assert_eq!(WSAGetLastError(), WSAEINVAL, "set, level {level:#x}");
        let mut out = [0u8; 4];
        let mut len = 4;
        assert_eq!(getsockopt(s, level, SO_RCVTIMEO, &mut out, &mut len), SOCKET_ERROR);
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
            assert_eq!(connect(c, &target), SOCKET_ERROR, "{target} nb={nonblocking}");
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
    assert_eq!(sendto(u6, b"x", 0, &"[::]:9".parse().unwrap()), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAEADDRNOTAVAIL);
    closesocket(u6);
    closesocket(l);
    WSACleanup();
}
