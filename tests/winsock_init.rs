//! Section "Behaviour at the boundary" of the C surface: before WSAStartup (and after the
//! matching WSACleanup) every Winsock call fails with WSANOTINITIALISED. One test in its own
//! process, since start-up is process-wide.
#![allow(non_snake_case)]

use wsaevents::winsock::*;

#[test]
fn calls_before_startup_and_after_cleanup_fail_notinitialised() {
    assert_eq!(socket(AF_INET, SOCK_STREAM, 0), INVALID_SOCKET);
    assert_eq!(WSAGetLastError(), WSANOTINITIALISED);
    assert_eq!(WSACleanup(), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSANOTINITIALISED);
    // Event functions are kernel32 wrappers on Windows and work without WSAStartup.
    let ev = WSACreateEvent();
    assert_ne!(ev, WSA_INVALID_EVENT);

    let mut data = WSADATA::default();
    assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut data), 0);
    let s = socket(AF_INET, SOCK_STREAM, 0);
    assert_ne!(s, INVALID_SOCKET);
    assert_eq!(WSAEventSelect(s, ev, FD_READ), 0);
    assert_eq!(WSACleanup(), 0);

    // After the last cleanup: WSANOTINITIALISED again, even for an existing handle.
    assert_eq!(WSAEventSelect(s, ev, FD_READ), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSANOTINITIALISED);
    assert_eq!(closesocket(s), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSANOTINITIALISED);
    assert_eq!(WSACloseEvent(ev), TRUE);
}
