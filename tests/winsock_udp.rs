//! The Winsock-named facade on UDP over loopback.
#![allow(non_snake_case)]

use wsaevents::winsock::*;

/// recvfrom with MSG_PEEK on a UDP socket reports the sender and leaves the datagram queued
/// (Windows and Wine fill `from` for a peek too).
#[test]
fn recvfrom_peek_reports_the_sender() {
    let mut data = WSADATA::default();
    assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut data), 0);
    let rx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    let tx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    assert_eq!(bind(rx, &"127.0.0.1:0".parse().unwrap()), 0);
    assert_eq!(bind(tx, &"127.0.0.1:0".parse().unwrap()), 0);
    let (mut rx_addr, mut tx_addr) = ("0.0.0.0:0".parse().unwrap(), "0.0.0.0:0".parse().unwrap());
    assert_eq!(getsockname(rx, &mut rx_addr), 0);
    assert_eq!(getsockname(tx, &mut tx_addr), 0);
    let ev = WSACreateEvent();
    assert_eq!(WSAEventSelect(rx, ev, FD_READ), 0);
    assert_eq!(sendto(tx, b"ping", 0, &rx_addr), 4);
    assert_eq!(
        WSAWaitForMultipleEvents(&[ev], FALSE, 10_000, FALSE),
        WSA_WAIT_EVENT_0
    );
    let mut buf = [0u8; 16];
    let mut from = "0.0.0.0:0".parse().unwrap();
    assert_eq!(recvfrom(rx, &mut buf, MSG_PEEK, Some(&mut from)), 4);
    assert_eq!(from, tx_addr);
    let mut from2 = "0.0.0.0:0".parse().unwrap();
    assert_eq!(recvfrom(rx, &mut buf, 0, Some(&mut from2)), 4);
    assert_eq!((from2, &buf[..4]), (tx_addr, &b"ping"[..]));
    closesocket(rx);
    closesocket(tx);
    WSACloseEvent(ev);
    WSACleanup();
}
