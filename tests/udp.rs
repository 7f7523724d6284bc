//! A.11 datagram sockets (rules 44–46, with 16–17, 29 iv, 34) on real loopback sockets,
//! IPv4 and IPv6.

mod common;

use common::*;
use wsaevents::error::*;
use wsaevents::{Event, NetworkEvents as Fd, WaitOutcome};

/// A bound UDP socket on loopback (blocking, unselected).
fn bound(v6: bool) -> wsaevents::Socket {
    let u = udp(v6);
    u.bind(lo(v6)).unwrap();
    u
}

/// Rule 45 (T:6851-6854): an unbound UDP socket selected records nothing.
#[test]
fn rule45_unbound_records_nothing() {
    both(|| {
        for v6 in [false, true] {
            let u = udp(v6);
            let ev = Event::new_manual(false);
            u.event_select(&ev, Fd::all()).unwrap();
            check_events(&u, &ev, &[]);
            assert_eq!(code(u.local_addr()), WSAEINVAL);
            let mut b = [0u8; 4];
            assert_eq!(code(u.recv(&mut b)), WSAEINVAL);
            check_events(&u, &ev, &[]);
        }
    });
}

/// Rules 29 iv, 45 (T:4092-4147): bind records FD_WRITE once; four more select+enumerate
/// rounds (enumerating with and without the event) give nothing.
#[test]
fn rule45_bind_records_write_once() {
    both(|| {
        for v6 in [false, true] {
            let u = udp(v6);
            let ev = Event::new_manual(false);
            u.event_select(&ev, Fd::READ | Fd::WRITE).unwrap();
            u.bind(lo(v6)).unwrap();
            check_events(&u, &ev, &[(Fd::WRITE, 0)]);
            for round in 0..4 {
                u.event_select(&ev, Fd::READ | Fd::WRITE).unwrap();
                assert_eq!(ev.wait(Some(SHORT)), WaitOutcome::TimedOut);
                let reset = if round % 2 == 0 { Some(&ev) } else { None };
                assert_eq!(u.enum_network_events(reset).unwrap().events(), Fd::empty());
            }
            // Sending (successfully) records nothing either (rule 31).
            let peer = bound(v6);
            u.send_to(b"d", peer.local_addr().unwrap()).unwrap();
            check_events(&u, &ev, &[]);
        }
    });
}

/// Rules 8, 45: bound before the first select: the select reports FD_WRITE.
#[test]
fn rule45_bind_then_select() {
    both(|| {
        for v6 in [false, true] {
            let u = bound(v6);
            let ev = Event::new_manual(false);
            u.event_select(&ev, Fd::all()).unwrap();
            assert!(ev.is_set());
            check_events(&u, &ev, &[(Fd::WRITE, 0)]);
            check_events(&u, &ev, &[]);
        }
    });
}

/// Rule 34 (T:6861-6867): connect on an unbound UDP socket succeeds at once and records
/// FD_CONNECT and FD_WRITE (error 0), once.
#[test]
fn rule34_udp_connect_records_connect_and_write() {
    both(|| {
        for v6 in [false, true] {
            let peer = bound(v6);
            let u = udp(v6);
            let ev = Event::new_manual(false);
            u.event_select(&ev, Fd::all()).unwrap();
            u.connect(peer.local_addr().unwrap()).unwrap();
            check_events(&u, &ev, &[(Fd::CONNECT, 0), (Fd::WRITE, 0)]);
            check_events(&u, &ev, &[]);
            assert_eq!(u.peer_addr().unwrap(), peer.local_addr().unwrap());
            assert!(u.local_addr().is_ok(), "connect binds implicitly");
            u.send(b"via connect").unwrap();
            let mut b = [0u8; 32];
            let (n, from) = peer.recv_from(&mut b).unwrap();
            assert_eq!(&b[..n], b"via connect");
            assert_eq!(from, u.local_addr().unwrap());
        }
    });
}

/// Rules 16, 44: a datagram records FD_READ (0); datagram sockets never record FD_CLOSE or
/// FD_ACCEPT, whatever happens to the sender.
#[test]
fn rule44_datagram_records_read_never_close() {
    both(|| {
        for v6 in [false, true] {
            let r = bound(v6);
            let ev = Event::new_manual(false);
            r.event_select(&ev, Fd::all()).unwrap();
            check_events(&r, &ev, &[(Fd::WRITE, 0)]);
            let s = udp(v6);
            s.connect(r.local_addr().unwrap()).unwrap();
            s.send(b"hello").unwrap();
            check_events(&r, &ev, &[(Fd::READ, 0)]);
            let mut b = [0u8; 16];
            let (n, from) = r.recv_from(&mut b).unwrap();
            assert_eq!((&b[..n], from), (&b"hello"[..], s.local_addr().unwrap()));
            check_events(&r, &ev, &[]);
            drop(s);
            check_events(&r, &ev, &[]);
        }
    });
}

/// Rules 17, 44: each receive re-records FD_READ while datagrams remain; nothing after
/// the last; peeking re-records too.
#[test]
fn rule44_recv_rerecords_while_datagrams_remain() {
    both(|| {
        for v6 in [false, true] {
            let r = bound(v6);
            let ev = Event::new_manual(false);
            r.event_select(&ev, Fd::READ).unwrap();
            let s = bound(v6);
            let to = r.local_addr().unwrap();
            for d in [&b"one"[..], b"two", b"three"] {
                s.send_to(d, to).unwrap();
            }
            check_events(&r, &ev, &[(Fd::READ, 0)]);
            let mut b = [0u8; 16];
            assert_eq!(r.peek(&mut b).unwrap(), 3);
            check_events(&r, &ev, &[(Fd::READ, 0)]);
            for (i, d) in [&b"one"[..], b"two", b"three"].iter().enumerate() {
                let n = retry(|| r.recv(&mut b)).unwrap();
                assert_eq!(&b[..n], *d);
                if i < 2 {
                    check_events(&r, &ev, &[(Fd::READ, 0)]);
                } else {
                    check_events(&r, &ev, &[]);
                }
            }
            assert_eq!(code(r.recv(&mut b)), WSAEWOULDBLOCK);
            check_events(&r, &ev, &[]);
        }
    });
}

/// Rule 44: a datagram larger than the buffer fails WSAEMSGSIZE with the buffer filled;
/// the rest of the datagram is gone; FD_READ is re-recorded if another datagram waits,
/// not otherwise.
#[test]
fn rule44_too_small_buffer_is_msgsize() {
    both(|| {
        for v6 in [false, true] {
            let r = bound(v6);
            let ev = Event::new_manual(false);
            r.event_select(&ev, Fd::READ).unwrap();
            let s = bound(v6);
            let to = r.local_addr().unwrap();
            s.send_to(b"0123456789", to).unwrap();
            s.send_to(b"abcdefghij", to).unwrap();
            check_events(&r, &ev, &[(Fd::READ, 0)]);
            let mut b = [0u8; 4];
            assert_eq!(code(retry(|| r.recv(&mut b))), WSAEMSGSIZE);
            assert_eq!(&b, b"0123");
            check_events(&r, &ev, &[(Fd::READ, 0)]);
            assert_eq!(code(retry(|| r.recv(&mut b))), WSAEMSGSIZE);
            assert_eq!(&b, b"abcd");
            check_events(&r, &ev, &[]);
            assert_eq!(code(r.recv(&mut b)), WSAEWOULDBLOCK);
            // A datagram that fits exactly is no error.
            s.send_to(b"wxyz", to).unwrap();
            check_events(&r, &ev, &[(Fd::READ, 0)]);
            assert_eq!(r.recv(&mut b).unwrap(), 4);
            check_events(&r, &ev, &[]);
        }
    });
}

/// Rule 20 for datagrams (model a): a new datagram after FD_READ was enumerated and the
/// socket re-selected records FD_READ again.
#[test]
fn rule44_new_datagram_after_reselect() {
    both(|| {
        for v6 in [false, true] {
            let r = bound(v6);
            let ev = Event::new_manual(false);
            r.event_select(&ev, Fd::READ).unwrap();
            let s = bound(v6);
            let to = r.local_addr().unwrap();
            s.send_to(b"a", to).unwrap();
            check_events(&r, &ev, &[(Fd::READ, 0)]);
            r.event_select(&ev, Fd::READ).unwrap();
            check_events(&r, &ev, &[]);
            s.send_to(b"b", to).unwrap();
            check_events(&r, &ev, &[(Fd::READ, 0)]);
        }
    });
}

/// Rule 46: an ICMP port-unreachable on a connected UDP socket records no event; the next
/// receive fails WSAECONNRESET (Windows' default SIO_UDP_CONNRESET behaviour).
#[test]
fn rule46_icmp_error_is_no_event() {
    both(|| {
        for v6 in [false, true] {
            let dead = {
                let d = bound(v6);
                d.local_addr().unwrap()
            };
            let u = udp(v6);
            let ev = Event::new_manual(false);
            u.event_select(&ev, Fd::all()).unwrap();
            u.connect(dead).unwrap();
            check_events(&u, &ev, &[(Fd::CONNECT, 0), (Fd::WRITE, 0)]);
            u.send(b"anyone?").unwrap();
            check_events(&u, &ev, &[]);
            let mut b = [0u8; 16];
            if wine_differs(
                "an ICMP port-unreachable on UDP: recv fails WSAEWOULDBLOCK, not WSAECONNRESET",
            ) {
                assert_eq!(code(u.recv(&mut b)), WSAEWOULDBLOCK);
                continue;
            }
            assert_eq!(code(retry(|| u.recv(&mut b))), WSAECONNRESET);
            check_events(&u, &ev, &[]);
        }
    });
}
