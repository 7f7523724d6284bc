//! Core TCP scenarios over loopback, each asserting the Windows value (rules cited).

mod common;

use std::net::Shutdown;
use std::time::Duration;

use common::*;
use wsaevents::error::*;
use wsaevents::{Event, NetworkEvents as Fd, Socket};

/// Rule 17: a partial recv records FD_READ again; the last one does not.
#[test]
fn rule17_partial_recv_rerecords_read() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            let ev = Event::new_manual(false);
            s.event_select(&ev, Fd::READ).unwrap();
            c.send(b"0123456789").unwrap();
            check_events(&s, &ev, &[(Fd::READ, 0)]);
            let mut b = [0u8; 2];
            assert_eq!(s.recv(&mut b).unwrap(), 2);
            check_events(&s, &ev, &[(Fd::READ, 0)]);
            let mut b = [0u8; 8];
            assert_eq!(s.recv(&mut b).unwrap(), 8);
            check_events(&s, &ev, &[]);
        }
    });
}

/// Rule 38: FD_CLOSE at the FIN even with unread data, error 0; no second FD_CLOSE after
/// draining.
#[test]
fn rule38_fin_with_unread_data() {
    both(|| {
        let (c, s) = pair(false);
        let ev = Event::new_manual(false);
        s.event_select(&ev, Fd::READ | Fd::CLOSE).unwrap();
        c.send(b"hello").unwrap();
        check_events(&s, &ev, &[(Fd::READ, 0)]);
        drop(c);
        let wine = wine_differs(
            "the peer's FIN with unread data queued gives FD_CLOSE only once the data is drained",
        );
        check_events(&s, &ev, if wine { &[] } else { &[(Fd::CLOSE, 0)] });
        let mut b = [0u8; 3];
        assert_eq!(s.recv(&mut b).unwrap(), 3);
        check_events(&s, &ev, &[(Fd::READ, 0)]);
        let mut b = [0u8; 2];
        assert_eq!(s.recv(&mut b).unwrap(), 2);
        check_events(&s, &ev, if wine { &[(Fd::CLOSE, 0)] } else { &[] });
        assert_eq!(s.recv(&mut b).unwrap(), 0);
        check_events(&s, &ev, &[]);
    });
}

/// Rule 39: a RST gives FD_CLOSE with WSAECONNABORTED and no FD_READ; recv and send then
/// fail WSAECONNRESET; SO_ERROR reads 0.
#[test]
fn rule39_rst_gives_close_connaborted() {
    both(|| {
        let (c, s) = pair(false);
        let ev = Event::new_manual(false);
        s.event_select(&ev, Fd::READ | Fd::WRITE | Fd::CLOSE)
            .unwrap();
        check_events(&s, &ev, &[(Fd::WRITE, 0)]);
        c.set_linger(Some(Duration::ZERO)).unwrap();
        drop(c);
        if wine_differs("a peer's RST gives FD_CLOSE with 0 and recv returns 0") {
            check_events(&s, &ev, &[(Fd::CLOSE, 0)]);
            assert_eq!(s.recv(&mut [0u8; 4]).unwrap(), 0);
            return;
        }
        check_events(&s, &ev, &[(Fd::CLOSE, WSAECONNABORTED)]);
        let mut b = [0u8; 4];
        assert_eq!(s.recv(&mut b).unwrap_err().code(), WSAECONNRESET);
        assert_eq!(s.send(b"x").unwrap_err().code(), WSAECONNRESET);
        assert_eq!(s.take_error().unwrap(), None);
        check_events(&s, &ev, &[]);
    });
}

/// Rules 33, 35: a refused connect records FD_CONNECT with WSAECONNREFUSED and nothing
/// else; SO_ERROR keeps the error.
#[test]
fn rule33_refused_connect() {
    both(|| {
        // A bound, not listening port on loopback.
        let holder = tcp(false);
        holder.bind(lo4()).unwrap();
        let addr = holder.local_addr().unwrap();
        let c = tcp(false);
        let ev = Event::new_manual(false);
        c.event_select(&ev, Fd::all()).unwrap();
        assert_eq!(c.connect(addr).unwrap_err().code(), WSAEWOULDBLOCK);
        check_events(&c, &ev, &[(Fd::CONNECT, WSAECONNREFUSED)]);
        check_events(&c, &ev, &[]);
        assert_eq!(c.take_error().unwrap().unwrap().code(), WSAECONNREFUSED);
        assert_eq!(c.take_error().unwrap().unwrap().code(), WSAECONNREFUSED);
    });
}

/// Rules 29, 33: a non-blocking connect that succeeds records FD_CONNECT and FD_WRITE.
#[test]
fn rule29_connect_success_connect_and_write() {
    both(|| {
        let l = listener(false);
        let c = tcp(false);
        let ev = Event::new_manual(false);
        c.event_select(&ev, Fd::all()).unwrap();
        match c.connect(l.local_addr().unwrap()) {
            Ok(()) => {}
            Err(e) => assert_eq!(e.code(), WSAEWOULDBLOCK),
        }
        check_events(&c, &ev, &[(Fd::CONNECT, 0), (Fd::WRITE, 0)]);
        assert_eq!(
            c.connect(l.local_addr().unwrap()).unwrap_err().code(),
            WSAEISCONN
        );
    });
}

/// Rules 29 iii, 31: FD_WRITE comes back only after a send failed with WSAEWOULDBLOCK and
/// the peer drained.
#[test]
fn rule29_write_after_wouldblock() {
    both(|| {
        let (c, s) = pair(false);
        let ev = Event::new_manual(false);
        c.set_send_buffer_size(16 * 1024).unwrap();
        s.set_recv_buffer_size(16 * 1024).unwrap();
        c.event_select(&ev, Fd::WRITE).unwrap();
        check_events(&c, &ev, &[(Fd::WRITE, 0)]);
        let chunk = vec![7u8; 64 * 1024];
        let mut sent = 0usize;
        loop {
            match c.send(&chunk) {
                Ok(n) => sent += n,
                Err(e) => {
                    assert_eq!(e.code(), WSAEWOULDBLOCK);
                    break;
                }
            }
            assert!(sent < 512 * 1024 * 1024, "never blocked");
        }
        check_events(&c, &ev, &[]);
        let mut buf = vec![0u8; 64 * 1024];
        let mut got = 0usize;
        while got < sent {
            got += s.recv(&mut buf).unwrap();
        }
        check_events(&c, &ev, &[(Fd::WRITE, 0)]);
        check_events(&c, &ev, &[]);
    });
}

/// Rule 41: local shutdown records nothing; a later peer FIN still records FD_CLOSE.
#[test]
fn rule41_local_shutdown_records_nothing() {
    both(|| {
        let (c, s) = pair(false);
        let ev = Event::new_manual(false);
        s.event_select(&ev, Fd::READ | Fd::OOB | Fd::CLOSE).unwrap();
        c.shutdown(Shutdown::Read).unwrap();
        s.shutdown(Shutdown::Both).unwrap();
        check_events(&s, &ev, &[]);
        c.shutdown(Shutdown::Write).unwrap();
        check_events(&s, &ev, &[(Fd::CLOSE, 0)]);
        let mut b = [0u8; 1];
        assert_eq!(s.recv(&mut b).unwrap_err().code(), WSAESHUTDOWN);
        assert_eq!(s.send(b"x").unwrap_err().code(), WSAESHUTDOWN);
    });
}

/// Rule 36: an accepted socket inherits event and mask, starts with FD_WRITE, and records
/// FD_READ for data queued before accept (Q3).
#[test]
fn rule36_accept_inherits() {
    both(|| {
        let l = listener(false);
        let ev = Event::new_manual(false);
        l.event_select(&ev, Fd::ACCEPT | Fd::READ | Fd::WRITE | Fd::CLOSE)
            .unwrap();
        let c = tcp(false);
        c.connect(l.local_addr().unwrap()).unwrap();
        c.send(b"early").unwrap();
        check_events(&l, &ev, &[(Fd::ACCEPT, 0)]);
        let (s, _) = l.accept().unwrap();
        assert!(s.is_nonblocking().unwrap());
        assert_eq!(
            s.selection().unwrap().0,
            Fd::ACCEPT | Fd::READ | Fd::WRITE | Fd::CLOSE
        );
        check_events(&s, &ev, &[(Fd::READ, 0), (Fd::WRITE, 0)]);
        let _ = Socket::tcp_v4();
    });
}
