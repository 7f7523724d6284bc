//! Issue 8.2: the last `WSACleanup` closes every socket still open, as `closesocket`
//! would: calls blocked in them fail WSAEINTR, their values give WSAENOTSOCK afterwards
//! (also after a new `WSAStartup`), event handles stay valid, and a program that starts and
//! cleans up repeatedly leaks no descriptor. One test in its own process, since start-up is
//! process-wide.
#![allow(non_snake_case)]

use std::net::SocketAddr;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use wsaevents::winsock::*;

fn start() {
    let mut d = WSADATA::default();
    assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut d), 0);
}

/// A connected pair of blocking facade sockets and the listener.
fn pair() -> (SOCKET, SOCKET, SOCKET) {
    let l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(bind(l, &"127.0.0.1:0".parse().unwrap()), 0);
    assert_eq!(listen(l, 4), 0);
    let mut addr: SocketAddr = "0.0.0.0:0".parse().unwrap();
    assert_eq!(getsockname(l, &mut addr), 0);
    let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(connect(c, &addr), 0);
    let s = accept(l, None);
    assert_ne!(s, INVALID_SOCKET);
    (l, c, s)
}

#[cfg(target_os = "linux")]
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[test]
fn last_cleanup_closes_sockets_and_cancels_blocked_calls() {
    start();
    let (l, c, s) = pair();
    // The blocked recv is on an accepted socket whose peer is no Winsock handle (a Rust
    // `Socket`): the sweep closing its peer first would end the recv with a FIN instead.
    let (peer, s_blocked) = {
        let mut addr: SocketAddr = "0.0.0.0:0".parse().unwrap();
        assert_eq!(getsockname(l, &mut addr), 0);
        let peer = wsaevents::Socket::tcp_v4().unwrap();
        peer.connect(addr).unwrap();
        (peer, accept(l, None))
    };
    assert_ne!(s_blocked, INVALID_SOCKET);
    let ev = WSACreateEvent();
    assert_eq!(WSAEventSelect(l, ev, FD_ACCEPT), 0);

    // A recv blocked in another thread.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8];
        let r = recv(s_blocked, &mut buf, 0);
        let _ = tx.send((r, WSAGetLastError()));
    });
    let sock = socket_of(s_blocked).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while sock.blocked_calls() == 0 {
        assert!(Instant::now() < deadline, "recv never blocked");
        std::thread::yield_now();
    }

    // A nested start-up: its cleanup is not the last, nothing is closed.
    start();
    assert_eq!(WSACleanup(), 0);
    assert!(socket_of(c).is_some());

    assert_eq!(WSACleanup(), 0);
    let (r, e) = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the blocked recv did not return at WSACleanup");
    assert_eq!((r, e), (SOCKET_ERROR, WSAEINTR));

    // After a new start-up, the old values are no sockets; the event is still an event.
    start();
    drop(peer);
    for h in [l, c, s, s_blocked] {
        assert_eq!(closesocket(h), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAENOTSOCK);
        let mut buf = [0u8; 1];
        assert_eq!(recv(h, &mut buf, 0), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAENOTSOCK);
    }
    assert_eq!(WSASetEvent(ev), TRUE);
    assert_eq!(WSACloseEvent(ev), TRUE);
    assert_eq!(WSACleanup(), 0);

    // Start, open, clean up, many times: no descriptor is left behind.
    #[cfg(target_os = "linux")]
    {
        start();
        let _ = pair(); // the reactor and its descriptors exist from the first socket on
        assert_eq!(WSACleanup(), 0);
        let before = open_fds();
        for _ in 0..50 {
            start();
            let _ = pair();
            let _ = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
            assert_eq!(WSACleanup(), 0);
        }
        assert_eq!(open_fds(), before, "WSACleanup left sockets open");
    }
}
