use std::net::SocketAddr;

use super::*;

fn start() {
    let mut d = WSADATA::default();
    assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut d), 0);
    assert_eq!(d.wVersion, MAKEWORD(2, 2));
    assert_eq!(d.wHighVersion, MAKEWORD(2, 2));
}

/// B.1: closed event handles are refused with WSA_INVALID_HANDLE, and the closed value
/// does not reach a newer event.
#[test]
fn b1_closed_event_handle_is_invalid() {
    let h = WSACreateEvent();
    assert_ne!(h, WSA_INVALID_EVENT);
    assert_eq!(WSACloseEvent(h), TRUE);
    let newer = WSACreateEvent();
    assert_ne!(newer, h);
    assert_eq!(WSASetEvent(h), FALSE);
    assert_eq!(WSAGetLastError(), WSA_INVALID_HANDLE);
    assert_eq!(WSACloseEvent(h), FALSE);
    assert_eq!(WSAGetLastError(), WSA_INVALID_HANDLE);
    assert_eq!(
        WSAWaitForMultipleEvents(&[h], FALSE, 0, FALSE),
        WSA_WAIT_FAILED
    );
    assert_eq!(WSAGetLastError(), WSA_INVALID_HANDLE);
    WSACloseEvent(newer);
}

/// B.2 error rules through the facade.
#[test]
fn b2_wait_errors() {
    let a = WSACreateEvent();
    assert_eq!(
        WSAWaitForMultipleEvents(&[], FALSE, 0, FALSE),
        WSA_WAIT_FAILED
    );
    assert_eq!(WSAGetLastError(), WSA_INVALID_PARAMETER);
    assert_eq!(
        WSAWaitForMultipleEvents(&[a; 65], FALSE, 0, FALSE),
        WSA_WAIT_FAILED
    );
    assert_eq!(WSAGetLastError(), WSA_INVALID_PARAMETER);
    assert_eq!(
        WSAWaitForMultipleEvents(&[a, a], TRUE, 0, FALSE),
        WSA_WAIT_FAILED
    );
    assert_eq!(WSAGetLastError(), WSA_INVALID_PARAMETER);
    assert_eq!(
        WSAWaitForMultipleEvents(&[a, a], FALSE, 0, FALSE),
        WSA_WAIT_TIMEOUT
    );
    assert_eq!(WSASetEvent(a), TRUE);
    assert_eq!(
        WSAWaitForMultipleEvents(&[a, a], FALSE, 0, FALSE),
        WSA_WAIT_EVENT_0
    );
    assert_eq!(WSAResetEvent(a), TRUE);
    assert_eq!(
        WSAWaitForMultipleEvents(&[a], FALSE, 10, FALSE),
        WSA_WAIT_TIMEOUT
    );
    // A socket handle is no event (WSACloseEvent refuses it), but it is waitable, as a
    // file object: unsignalled until an overlapped operation on it completes.
    start();
    let s = socket(AF_INET, SOCK_DGRAM, 0);
    assert_eq!(
        WSAWaitForMultipleEvents(&[s], FALSE, 0, FALSE),
        WSA_WAIT_TIMEOUT
    );
    assert_eq!(WSACloseEvent(s), FALSE);
    assert_eq!(closesocket(a), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAENOTSOCK);
    closesocket(s);
    WSACloseEvent(a);
    WSACleanup();
}

/// Bad socket handles: WSAENOTSOCK, also for a closed value; rule 6 WSAEINVAL for a bad
/// event with a mask; rule 14 for enumeration.
#[test]
fn bad_handles() {
    start();
    let s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_ne!(s, INVALID_SOCKET);
    assert_eq!(WSAEventSelect(s, 0, FD_READ), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAEINVAL);
    assert_eq!(WSAEventSelect(s, 0, 0), 0);
    let mut ne = WSANETWORKEVENTS::default();
    assert_eq!(WSAEnumNetworkEvents(s, 12345 * 4, &mut ne), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAEINVAL);
    assert_eq!(closesocket(s), 0);
    assert_eq!(closesocket(s), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAENOTSOCK);
    let mut buf = [0u8; 4];
    assert_eq!(recv(s, &mut buf, 0), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAENOTSOCK);
    assert_eq!(socket(99, SOCK_STREAM, 0), INVALID_SOCKET);
    assert_eq!(WSAGetLastError(), WSAEAFNOSUPPORT);
    WSACleanup();
}

#[test]
fn startup_fills_wsadata_and_counts() {
    let mut d = WSADATA::default();
    assert_eq!(WSAStartup(MAKEWORD(0, 9), &mut d), WSAVERNOTSUPPORTED);
    assert_eq!(d.wVersion, MAKEWORD(2, 2), "filled even when refused");
    assert_eq!(startup(MAKEWORD(2, 2), false).0, WSAEFAULT);
    assert_eq!(WSAStartup(MAKEWORD(1, 1), &mut d), 0);
    assert_eq!(WSAGetLastError(), 0);
    assert_eq!(
        (d.wVersion, d.iMaxSockets, d.iMaxUdpDg),
        (MAKEWORD(1, 1), 32767, 65467)
    );
    assert_eq!(&d.szDescription[..12], b"WinSock 2.0\0");
    assert_eq!(&d.szSystemStatus[..8], b"Running\0");
    assert_eq!(WSAStartup(MAKEWORD(3, 0), &mut d), 0);
    assert_eq!((d.wVersion, d.iMaxSockets), (MAKEWORD(2, 2), 0));
    assert_eq!(WSACleanup(), 0);
    assert_eq!(WSACleanup(), 0);
}

#[test]
fn wsadata_layout() {
    use std::mem::{offset_of, size_of};
    #[cfg(target_pointer_width = "64")]
    {
        assert_eq!(size_of::<WSADATA>(), 408);
        assert_eq!(offset_of!(WSADATA, lpVendorInfo), 8);
        assert_eq!(offset_of!(WSADATA, szDescription), 16);
        assert_eq!(offset_of!(WSADATA, szSystemStatus), 273);
    }
    #[cfg(target_pointer_width = "32")]
    assert_eq!(size_of::<WSADATA>(), 400);
}

/// Issue 8, item 8: a socket call that succeeds sets the last error to 0, as on Windows
/// (Wine's Windows-run ws2_32 tests: `ok(!WSAGetLastError())` after a successful
/// `setsockopt`, `getsockopt`, `getsockname`, `send`, `sendto`, `recvfrom`, `WSARecv`,
/// `WSAIoctl(FIONREAD/SIOCATMARK/FIONBIO)`, `WSASocket`); event functions leave it alone.
#[test]
fn success_sets_last_error_to_zero() {
    const STALE: i32 = 0x0dea_dbee;
    fn stale() {
        WSASetLastError(STALE);
    }
    fn check(what: &str, ok: bool) {
        assert!(ok, "{what} failed: {}", WSAGetLastError());
        assert_eq!(WSAGetLastError(), 0, "{what}: last error after success");
    }
    start();
    stale();
    let l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check("socket", l != INVALID_SOCKET);
    stale();
    check("bind", bind(l, &"127.0.0.1:0".parse().unwrap()) == 0);
    let mut addr: SocketAddr = "0.0.0.0:0".parse().unwrap();
    stale();
    check("getsockname", getsockname(l, &mut addr) == 0);
    stale();
    check("listen", listen(l, 4) == 0);
    let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    stale();
    check("connect", connect(c, &addr) == 0);
    stale();
    let a = accept(l, None);
    check("accept", a != INVALID_SOCKET);
    let one = 1i32.to_ne_bytes();
    stale();
    check(
        "setsockopt",
        setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one) == 0,
    );
    let (mut v, mut len) = ([0u8; 4], 4);
    stale();
    check(
        "getsockopt",
        getsockopt(a, SOL_SOCKET, SO_ERROR, &mut v, &mut len) == 0,
    );
    stale();
    check("getpeername", getpeername(a, &mut addr) == 0);
    stale();
    let ev = WSACreateEvent();
    check("WSACreateEvent", ev != WSA_INVALID_EVENT);
    stale();
    check("WSAEventSelect", WSAEventSelect(a, ev, FD_READ) == 0);
    stale();
    check("send", send(c, b"hello", 0) == 5);
    assert_eq!(WSAWaitForMultipleEvents(&[ev], FALSE, 5000, FALSE), 0);
    let mut ne = WSANETWORKEVENTS::default();
    stale();
    check(
        "WSAEnumNetworkEvents",
        WSAEnumNetworkEvents(a, ev, &mut ne) == 0,
    );
    let mut n = 0u32;
    stale();
    check(
        "ioctlsocket(FIONREAD)",
        ioctlsocket(a, FIONREAD, &mut n) == 0,
    );
    assert_eq!(n, 5);
    let mut buf = [0u8; 2];
    stale();
    check("recv", recv(a, &mut buf, 0) == 2);
    stale();
    check("recvfrom", recvfrom(a, &mut buf, 0, None) == 2);
    stale();
    check("shutdown", shutdown(c, SD_SEND) == 0);
    stale();
    check("closesocket", closesocket(c) == 0);

    let u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_eq!(bind(u, &"127.0.0.1:0".parse().unwrap()), 0);
    assert_eq!(getsockname(u, &mut addr), 0);
    stale();
    check("sendto", sendto(u, b"x", 0, &addr) == 1);
    let mut from: SocketAddr = "0.0.0.0:0".parse().unwrap();
    stale();
    check(
        "recvfrom (UDP)",
        recvfrom(u, &mut buf, 0, Some(&mut from)) == 1,
    );

    // Event functions are kernel32's on Windows: success leaves the last error alone.
    stale();
    assert_eq!(WSASetEvent(ev), TRUE);
    assert_eq!(WSAResetEvent(ev), TRUE);
    assert_eq!(
        WSAWaitForMultipleEvents(&[ev], FALSE, 0, FALSE),
        WSA_WAIT_TIMEOUT
    );
    assert_eq!(WSAGetLastError(), STALE);
    // A failure after a success still reports its own error.
    assert_eq!(closesocket(c), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAENOTSOCK);
    for s in [u, a, l] {
        closesocket(s);
    }
    WSACloseEvent(ev);
    WSACleanup();
}

#[test]
fn last_error_is_per_thread() {
    WSASetLastError(42);
    std::thread::spawn(|| assert_eq!(WSAGetLastError(), 0))
        .join()
        .unwrap();
    assert_eq!(WSAGetLastError(), 42);
}
