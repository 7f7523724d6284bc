//! The crate's answers to the open questions of A.13, each tested on real loopback
//! sockets, IPv4 and IPv6. (Q5, the error code for an invalid event handle, is a C ABI
//! question: Rust's `Event` cannot be invalid.)

mod common;

use std::net::Shutdown;
use std::time::Duration;

use common::*;
use wsaevents::error::*;
use wsaevents::{Event, NetworkEvents as Fd};

/// Q1: model (a): a new arrival after the enumeration records again *without* a re-select
/// in between: new data (FD_READ), a new connection (FD_ACCEPT), a new urgent byte
/// (FD_OOB), a new datagram (FD_READ).
#[test]
fn q1_arrival_records_without_reselect() {
    for v6 in [false, true] {
        let (c, s) = pair(v6);
        let ev = Event::new_manual(false);
        s.event_select(&ev, Fd::READ | Fd::OOB).unwrap();
        c.send(b"1").unwrap();
        check_events(&s, &ev, &[(Fd::READ, 0)]);
        c.send(b"2").unwrap();
        check_events(&s, &ev, &[(Fd::READ, 0)]);
        c.send_oob(b"u").unwrap();
        check_events(&s, &ev, &[(Fd::OOB, 0)]);
        assert_eq!(recv_exact(&s, 2), b"12");

        let l = listener(v6);
        l.event_select(&ev, Fd::ACCEPT).unwrap();
        let c1 = tcp(v6);
        c1.connect(l.local_addr().unwrap()).unwrap();
        check_events(&l, &ev, &[(Fd::ACCEPT, 0)]);
        let c2 = tcp(v6);
        c2.connect(l.local_addr().unwrap()).unwrap();
        check_events(&l, &ev, &[(Fd::ACCEPT, 0)]);

        let r = udp(v6);
        r.bind(lo(v6)).unwrap();
        r.event_select(&ev, Fd::READ).unwrap();
        let u = udp(v6);
        u.send_to(b"a", r.local_addr().unwrap()).unwrap();
        check_events(&r, &ev, &[(Fd::READ, 0)]);
        u.send_to(b"b", r.local_addr().unwrap()).unwrap();
        check_events(&r, &ev, &[(Fd::READ, 0)]);
    }
}

/// Q2: FIN first, RST later on the same connection: no second FD_CLOSE (rule 40's "at
/// most once per connection" wins); recv and send then fail WSAECONNABORTED (as after
/// sending to a closed peer, T:9633-9649). Both ways of getting the RST: the peer's
/// abortive close after its shutdown(SD_SEND), and our send to a peer that closed.
#[test]
fn q2_no_second_close_for_rst_after_fin() {
    for v6 in [false, true] {
        // Peer: shutdown(SD_SEND), then closesocket with SO_LINGER {1, 0}.
        let (c, s) = pair(v6);
        let ev = Event::new_manual(false);
        s.event_select(&ev, Fd::all()).unwrap();
        check_events(&s, &ev, &[(Fd::WRITE, 0)]);
        c.shutdown(Shutdown::Write).unwrap();
        check_events(&s, &ev, &[(Fd::CLOSE, 0)]);
        c.set_linger(Some(Duration::ZERO)).unwrap();
        c.close().unwrap();
        check_events(&s, &ev, &[]);
        let mut b = [0u8; 4];
        if wine_differs("a RST after the FIN: recv keeps returning 0 (Windows: WSAECONNABORTED)") {
            assert_eq!(s.recv(&mut b).unwrap(), 0);
            continue;
        }
        let e = retry(|| match s.recv(&mut b) {
            Ok(0) => Err(wsaevents::Error::from_code(WSAEWOULDBLOCK)),
            r => r,
        })
        .unwrap_err();
        assert_eq!(e.code(), WSAECONNABORTED);
        check_events(&s, &ev, &[]);

        // Peer closes; we send: its stack answers with a RST.
        let (c, s) = pair(v6);
        s.event_select(&ev, Fd::all()).unwrap();
        check_events(&s, &ev, &[(Fd::WRITE, 0)]);
        c.close().unwrap();
        check_events(&s, &ev, &[(Fd::CLOSE, 0)]);
        let _ = s.send(b"provokes a RST");
        check_events(&s, &ev, &[]);
        // A later send sees the abort.
        let e = retry(|| match s.send(b"x") {
            Ok(_) => Err::<(), _>(wsaevents::Error::from_code(WSAEWOULDBLOCK)),
            Err(e) => Err(e),
        })
        .unwrap_err();
        assert_eq!(e.code(), WSAECONNABORTED);
        check_events(&s, &ev, &[]);
    }
}

/// Q3: yes: data that arrived before `accept` returned records FD_READ on the accepted
/// socket at once (with its FD_WRITE, rule 29 ii).
#[test]
fn q3_read_for_data_queued_before_accept() {
    for v6 in [false, true] {
        let l = listener(v6);
        let ev = Event::new_manual(false);
        l.event_select(&ev, Fd::ACCEPT | Fd::READ | Fd::WRITE)
            .unwrap();
        let c = tcp(v6);
        c.connect(l.local_addr().unwrap()).unwrap();
        c.send(b"early").unwrap();
        check_events(&l, &ev, &[(Fd::ACCEPT, 0)]);
        // Loopback delivers the data within the client's send, so it is queued on the
        // connection before accept; accept finds it (and records FD_READ) at once.
        let (s, _) = l.accept().unwrap();
        await_recorded(&s, Fd::READ | Fd::WRITE);
        check_events(&s, &ev, &[(Fd::READ, 0), (Fd::WRITE, 0)]);
        assert_eq!(recv_exact(&s, 5), b"early");
        check_events(&s, &ev, &[]);

        // Unselected listener: the blocking accepted socket has FD_READ recorded too.
        let l = listener(v6);
        let c = tcp(v6);
        c.connect(l.local_addr().unwrap()).unwrap();
        c.send(b"e2").unwrap();
        let (s, _) = l.accept().unwrap();
        await_recorded(&s, Fd::READ | Fd::WRITE);
        s.event_select(&ev, Fd::READ | Fd::WRITE).unwrap();
        check_events(&s, &ev, &[(Fd::READ, 0), (Fd::WRITE, 0)]);
    }
}

/// Q4: yes: every connect attempt records its FD_CONNECT, also after a failed one
/// (rule 33 "once per attempt"): refused, refused again, then success with FD_WRITE.
#[test]
fn q4_second_attempt_records_connect_again() {
    for v6 in [false, true] {
        let (_holder, refused) = refused_port(v6);
        let l = listener(v6);
        let c = tcp(v6);
        let ev = Event::new_manual(false);
        c.event_select(&ev, Fd::all()).unwrap();
        assert_eq!(code(c.connect(refused)), WSAEWOULDBLOCK);
        check_events(&c, &ev, &[(Fd::CONNECT, WSAECONNREFUSED)]);
        if wine_differs("a second connect after a refused one fails WSAECONNABORTED") {
            assert_eq!(code(c.connect(refused)), WSAECONNABORTED);
            continue;
        }
        assert_eq!(code(c.connect(refused)), WSAEWOULDBLOCK);
        check_events(&c, &ev, &[(Fd::CONNECT, WSAECONNREFUSED)]);
        assert_eq!(c.take_error().unwrap().unwrap().code(), WSAECONNREFUSED);
        assert_eq!(code(c.connect(l.local_addr().unwrap())), WSAEWOULDBLOCK);
        check_events(&c, &ev, &[(Fd::CONNECT, 0), (Fd::WRITE, 0)]);
        assert_eq!(c.take_error().unwrap(), None);
        check_events(&c, &ev, &[]);
    }
}
