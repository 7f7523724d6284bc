//! The extended WSA calls through the Winsock-named facade (issue 9 §6), over loopback:
//! WSASocket, WSAConnect, WSAAccept with a condition function, WSARecv / WSASend /
//! WSARecvFrom / WSASendTo with several buffers, WSAIoctl. Sources: the MS reference page
//! of WSAAccept (CF_REJECT: WSAECONNREFUSED), Wine's Windows-run test_keepalive_vals and
//! test_unsupported_ioctls, rule 39 (a RST: recv fails WSAECONNRESET).
#![allow(non_snake_case)]

mod common;

use std::net::SocketAddr;

use wsaevents::winsock::*;

fn start() {
    let mut data = WSADATA::default();
    assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut data), 0);
}

fn local(s: SOCKET) -> SocketAddr {
    let mut a = "0.0.0.0:0".parse().unwrap();
    assert_eq!(getsockname(s, &mut a), 0);
    a
}

fn listener() -> (SOCKET, SocketAddr) {
    let l = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, WSA_FLAG_OVERLAPPED);
    assert_ne!(l, INVALID_SOCKET);
    assert_eq!(bind(l, &"127.0.0.1:0".parse().unwrap()), 0);
    assert_eq!(listen(l, 8), 0);
    let a = local(l);
    (l, a)
}

#[test]
fn wsasocket_flags() {
    start();
    let s = WSASocket(
        AF_INET6,
        SOCK_DGRAM,
        0,
        WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT,
    );
    assert_ne!(s, INVALID_SOCKET);
    closesocket(s);
    assert_eq!(WSASocket(AF_INET, SOCK_STREAM, 0, 0x4), INVALID_SOCKET);
    assert_eq!(WSAGetLastError(), WSAEINVAL);
    WSACleanup();
}

/// WSASend gathers its buffers into one stream; WSARecv scatters one receive in order;
/// MSG_PEEK leaves the bytes queued; no buffers is WSAEINVAL.
#[test]
fn scatter_gather_tcp() {
    start();
    let (l, addr) = listener();
    let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(WSAConnect(c, &addr), 0);
    let a = WSAAccept(l, None, None);
    assert_ne!(a, INVALID_SOCKET);
    let mut sent = 0;
    assert_eq!(WSASend(c, &[b"ab", b"", b"cdef"], &mut sent, 0), 0);
    assert_eq!(sent, 6);
    let (mut x, mut y) = ([0u8; 2], [0u8; 8]);
    let mut got = 0u32;
    let mut flags = MSG_PEEK as u32;
    // The 6 bytes arrive in one segment over loopback; a peek waits for the first.
    assert_eq!(WSARecv(a, &mut [&mut x, &mut y], &mut got, &mut flags), 0);
    assert_eq!(flags, MSG_PEEK as u32, "left as passed");
    let mut all = Vec::new();
    while all.len() < 6 {
        let (mut x, mut y) = ([0u8; 2], [0u8; 8]);
        let mut flags = 0;
        assert_eq!(WSARecv(a, &mut [&mut x, &mut y], &mut got, &mut flags), 0);
        assert!(got >= 1);
        let n = got as usize;
        all.extend_from_slice(&x[..n.min(2)]);
        if n > 2 {
            all.extend_from_slice(&y[..n - 2]);
        }
    }
    assert_eq!(all, b"abcdef");
    let mut flags = 0;
    assert_eq!(WSARecv(a, &mut [], &mut got, &mut flags), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAEINVAL);
    assert_eq!(WSASend(c, &[], &mut sent, 0), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAEINVAL);
    closesocket(a);
    closesocket(c);
    closesocket(l);
    WSACleanup();
}

/// One datagram from two buffers, into two buffers, with the sender's address; a datagram
/// larger than the buffers fills them and fails WSAEMSGSIZE (rule 44).
#[test]
fn scatter_gather_udp() {
    start();
    let rx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    let tx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_eq!(bind(rx, &"127.0.0.1:0".parse().unwrap()), 0);
    assert_eq!(bind(tx, &"127.0.0.1:0".parse().unwrap()), 0);
    let to = local(rx);
    let mut n = 0;
    assert_eq!(WSASendTo(tx, &[b"abc", b"defg"], &mut n, 0, &to), 0);
    assert_eq!(n, 7);
    let (mut x, mut y) = ([0u8; 2], [0u8; 8]);
    let mut flags = 0;
    let mut from = "0.0.0.0:0".parse().unwrap();
    assert_eq!(
        WSARecvFrom(
            rx,
            &mut [&mut x, &mut y],
            &mut n,
            &mut flags,
            Some(&mut from)
        ),
        0
    );
    assert_eq!((n, &x, &y[..5], from), (7, b"ab", &b"cdefg"[..], local(tx)));
    assert_eq!(WSASendTo(tx, &[b"abc", b"defg"], &mut n, 0, &to), 0);
    let (mut x, mut y) = ([0u8; 2], [0u8; 3]);
    assert_eq!(
        WSARecv(rx, &mut [&mut x, &mut y], &mut n, &mut flags),
        SOCKET_ERROR
    );
    assert_eq!(WSAGetLastError(), WSAEMSGSIZE);
    assert_eq!((&x, &y), (b"ab", b"cde"));
    closesocket(rx);
    closesocket(tx);
    WSACleanup();
}

/// WSAAccept's condition function sees the caller's and the local address; CF_REJECT
/// fails WSAECONNREFUSED and resets the connection (the client's recv: WSAECONNRESET);
/// CF_ACCEPT keeps it; another value is WSAEINVAL.
#[test]
fn wsaaccept_condition() {
    start();
    let (l, addr) = listener();
    for (verdict, want) in [(CF_REJECT, WSAECONNREFUSED), (CF_DEFER, WSAEINVAL)] {
        let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assert_eq!(connect(c, &addr), 0);
        let mut seen = None;
        let mut cond = |caller: &SocketAddr, callee: &SocketAddr| {
            seen = Some((*caller, *callee));
            verdict
        };
        assert_eq!(WSAAccept(l, None, Some(&mut cond)), INVALID_SOCKET);
        assert_eq!(WSAGetLastError(), want);
        assert_eq!(seen, Some((local(c), addr)));
        assert_eq!(
            setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &10_000u32.to_le_bytes()),
            0
        );
        let mut buf = [0u8; 4];
        let reset = common::windows_or_wine(
            SOCKET_ERROR,
            0,
            "a peer's RST gives FD_CLOSE with 0 and recv returns 0",
        );
        assert_eq!(recv(c, &mut buf, 0), reset);
        if reset == SOCKET_ERROR {
            assert_eq!(WSAGetLastError(), WSAECONNRESET, "the connection was reset");
        }
        closesocket(c);
    }
    let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(connect(c, &addr), 0);
    let mut peer = "0.0.0.0:0".parse().unwrap();
    let mut ok = |_: &SocketAddr, _: &SocketAddr| CF_ACCEPT;
    let a = WSAAccept(l, Some(&mut peer), Some(&mut ok));
    assert_ne!(a, INVALID_SOCKET);
    assert_eq!(peer, local(c));
    assert_eq!(send(c, b"ok", 0), 2);
    let mut buf = [0u8; 4];
    assert_eq!(recv(a, &mut buf, 0), 2);
    closesocket(a);
    closesocket(c);
    closesocket(l);
    WSACleanup();
}

/// WSAIoctl: FIONBIO, FIONREAD, SIOCATMARK, SIO_KEEPALIVE_VALS (keep-alive then reads on),
/// short buffers WSAEFAULT, an unknown code WSAEOPNOTSUPP with the count 0.
#[test]
fn wsaioctl() {
    start();
    let (l, addr) = listener();
    let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(connect(c, &addr), 0);
    let a = accept(l, None);
    let mut n = 0xdead;
    assert_eq!(
        WSAIoctl(c, FIONBIO, &1u32.to_le_bytes(), &mut [], &mut n),
        0
    );
    assert_eq!(n, 0);
    let mut buf = [0u8; 4];
    assert_eq!(recv(c, &mut buf, 0), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAEWOULDBLOCK);
    assert_eq!(send(a, b"xyz", 0), 3);
    // Wait for the bytes with a blocking peek: back to blocking first.
    assert_eq!(
        WSAIoctl(c, FIONBIO, &0u32.to_le_bytes(), &mut [], &mut n),
        0
    );
    assert_eq!(recv(c, &mut buf[..1], MSG_PEEK), 1);
    let mut out = [0u8; 4];
    assert_eq!(WSAIoctl(c, FIONREAD, &[], &mut out, &mut n), 0);
    assert_eq!((u32::from_le_bytes(out), n), (3, 4));
    n = 0xdead;
    assert_eq!(
        WSAIoctl(c, FIONREAD, &[], &mut out[..3], &mut n),
        SOCKET_ERROR
    );
    assert_eq!((WSAGetLastError(), n), (WSAEFAULT, 0xdead));
    assert_eq!(WSAIoctl(c, SIOCATMARK, &[], &mut out, &mut n), 0);
    assert_eq!(u32::from_le_bytes(out), 1);
    let ka = [1u32, 30_000, 3_000];
    let bytes: Vec<u8> = ka.iter().flat_map(|v| v.to_le_bytes()).collect();
    assert_eq!(WSAIoctl(c, SIO_KEEPALIVE_VALS, &bytes, &mut [], &mut n), 0);
    let (mut v, mut len) = ([0u8; 4], 4);
    assert_eq!(getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &mut v, &mut len), 0);
    assert_eq!(v[0], 1);
    n = 0xdead;
    assert_eq!(
        WSAIoctl(c, SIO_KEEPALIVE_VALS, &bytes[..11], &mut [], &mut n),
        SOCKET_ERROR
    );
    assert_eq!((WSAGetLastError(), n), (WSAEFAULT, 0));
    n = 0xdead;
    assert_eq!(WSAIoctl(c, 0xdead_beef, &[], &mut [], &mut n), SOCKET_ERROR);
    assert_eq!((WSAGetLastError(), n), (WSAEOPNOTSUPP, 0));
    closesocket(a);
    closesocket(c);
    closesocket(l);
    WSACleanup();
}
