//! A.7 FD_WRITE (rules 29–32) on real loopback sockets, IPv4 and IPv6.

mod common;

use common::*;
use wsaevents::error::*;
use wsaevents::{Event, NetworkEvents as Fd};

/// Rule 29 i: a non-blocking connect that succeeds records FD_CONNECT and FD_WRITE
/// together, once.
#[test]
fn rule29_connect_records_write() {
    both(|| {
        for v6 in [false, true] {
            let l = listener(v6);
            let c = tcp(v6);
            let ev = Event::new_manual(false);
            c.event_select(&ev, Fd::WRITE | Fd::CONNECT | Fd::READ | Fd::CLOSE)
                .unwrap();
            assert_eq!(code(c.connect(l.local_addr().unwrap())), WSAEWOULDBLOCK);
            check_events(&c, &ev, &[(Fd::CONNECT, 0), (Fd::WRITE, 0)]);
            check_events(&c, &ev, &[]);
        }
    });
}

/// Rule 29 ii: an accepted socket starts with FD_WRITE (and, rule 34, no FD_CONNECT).
#[test]
fn rule29_accept_records_write() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            let ev = Event::new_manual(false);
            s.event_select(&ev, Fd::all()).unwrap();
            check_events(&s, &ev, &[(Fd::WRITE, 0)]);
            check_events(&s, &ev, &[]);
            // And the blocking connect's side: FD_CONNECT and FD_WRITE (rule 34).
            c.event_select(&ev, Fd::all()).unwrap();
            check_events(&c, &ev, &[(Fd::CONNECT, 0), (Fd::WRITE, 0)]);
        }
    });
}

/// Rules 29 iii, 31: FD_WRITE after a send failed WSAEWOULDBLOCK and room came back;
/// re-selects while blocked give nothing; once recorded, it comes once.
#[test]
fn rule29_write_after_wouldblock() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            c.set_send_buffer_size(16 * 1024).unwrap();
            s.set_recv_buffer_size(16 * 1024).unwrap();
            let ev = Event::new_manual(false);
            c.event_select(&ev, Fd::WRITE | Fd::READ | Fd::CLOSE)
                .unwrap();
            check_events(&c, &ev, &[(Fd::WRITE, 0)]);
            let sent = fill_until_quiet(&c, &ev);
            c.event_select(&ev, Fd::WRITE | Fd::READ | Fd::CLOSE)
                .unwrap();
            assert!(!ev.is_set());
            drain(&s, sent);
            check_events(&c, &ev, &[(Fd::WRITE, 0)]);
            check_events(&c, &ev, &[]);
            c.event_select(&ev, Fd::WRITE).unwrap();
            check_events(&c, &ev, &[]);
            // The room is there: the next send succeeds, records nothing (rule 31).
            assert_eq!(c.send(b"x").unwrap(), 1);
            check_events(&c, &ev, &[]);
        }
    });
}

/// Rule 29 iii: FD_WRITE after WSAEWOULDBLOCK is recorded while unselected too, and
/// reported by the next select (rule 8).
#[test]
fn rule29_write_after_wouldblock_unselected() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            c.set_send_buffer_size(16 * 1024).unwrap();
            s.set_recv_buffer_size(16 * 1024).unwrap();
            let ev = Event::new_manual(false);
            c.event_select(&ev, Fd::WRITE).unwrap();
            check_events(&c, &ev, &[(Fd::WRITE, 0)]);
            let sent = fill_until_quiet(&c, &ev);
            c.event_select(None, Fd::empty()).unwrap();
            drain(&s, sent);
            await_recorded(&c, Fd::WRITE);
            c.event_select(&ev, Fd::WRITE).unwrap();
            check_events(&c, &ev, &[(Fd::WRITE, 0)]);
        }
    });
}

/// Rule 30 (T:6980-6990): a successful send does not clear a recorded FD_WRITE.
#[test]
fn rule30_successful_send_keeps_write() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            let ev = Event::new_manual(false);
            s.event_select(&ev, Fd::WRITE | Fd::READ).unwrap();
            assert_eq!(s.send(b"ping").unwrap(), 4);
            check_events(&s, &ev, &[(Fd::WRITE, 0)]);
            assert_eq!(recv_exact(&c, 4), b"ping");
        }
    });
}

/// Rule 30: a send that fails WSAEWOULDBLOCK clears a recorded, not yet enumerated
/// FD_WRITE (the event, set by the select, stays set: nothing resets it), and FD_WRITE is
/// recorded again when room comes back.
#[test]
fn rule30_failed_send_clears_recorded_write() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            c.set_send_buffer_size(16 * 1024).unwrap();
            s.set_recv_buffer_size(16 * 1024).unwrap();
            let ev = Event::new_manual(false);
            c.event_select(&ev, Fd::WRITE).unwrap();
            assert!(ev.is_set());
            assert!(c.selection().unwrap().1.contains(Fd::WRITE));
            let mut sent = 0usize;
            let mut cleared = false;
            for _ in 0..20 {
                sent += fill(&c);
                // Right after the failed send; ACKs may have made room again since (then
                // FD_WRITE is legitimately recorded anew, and the next fill fails again).
                if !c.selection().unwrap().1.contains(Fd::WRITE) {
                    cleared = true;
                    break;
                }
            }
            assert!(cleared, "the failed send never cleared FD_WRITE");
            let rec = c.enum_network_events(Some(&ev)).unwrap();
            assert!(rec.events().is_empty() || rec.events() == Fd::WRITE);
            sent += fill_until_quiet(&c, &ev);
            drain(&s, sent);
            check_events(&c, &ev, &[(Fd::WRITE, 0)]);
        }
    });
}

/// Rule 31 (T:4106-4125, T:6912-6933): FD_WRITE is never recorded again just because the
/// socket is writable: not by re-selects, not by small successful sends, not by the peer
/// draining.
#[test]
fn rule31_writable_alone_records_nothing() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            let ev = Event::new_manual(false);
            c.event_select(&ev, Fd::READ | Fd::WRITE).unwrap();
            check_events(&c, &ev, &[(Fd::WRITE, 0)]);
            for round in 0..4 {
                if round % 2 == 1 {
                    c.event_select(None, Fd::empty()).unwrap();
                }
                c.event_select(&ev, Fd::READ | Fd::WRITE).unwrap();
                check_events(&c, &ev, &[]);
            }
            for _ in 0..3 {
                assert_eq!(c.send(b"small").unwrap(), 5);
            }
            check_events(&c, &ev, &[]);
            assert_eq!(recv_exact(&s, 15), b"smallsmallsmall");
            check_events(&c, &ev, &[]);
        }
    });
}

/// Rule 32: a large non-blocking send completes, entirely or in part, or fails
/// WSAEWOULDBLOCK; when it did not complete, FD_WRITE follows the peer's reading.
// DEVIATION: Windows completes a non-blocking send entirely or not at all (AFD buffers the
// whole request); on Linux the kernel takes what fits, so a partial count is possible
// (it then counts as blocked: FD_WRITE comes when room is back).
#[test]
fn rule32_large_nonblocking_send() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            let ev = Event::new_manual(false);
            c.event_select(&ev, Fd::WRITE).unwrap();
            check_events(&c, &ev, &[(Fd::WRITE, 0)]);
            let big = vec![1u8; 1 << 20];
            let mut total = 0usize;
            let mut blocked = false;
            for _ in 0..64 {
                match c.send(&big) {
                    Ok(n) if n == big.len() => total += n,
                    Ok(n) => {
                        total += n;
                        blocked = true;
                        break;
                    }
                    Err(e) => {
                        assert_eq!(e.code(), WSAEWOULDBLOCK);
                        blocked = true;
                        break;
                    }
                }
            }
            assert!(blocked, "64 MiB never filled the buffers");
            drain(&s, total);
            check_events(&c, &ev, &[(Fd::WRITE, 0)]);
        }
    });
}

/// Rule 32: in blocking mode a large send completes entirely.
#[test]
fn rule32_blocking_send_completes() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            let big = vec![3u8; 4 << 20];
            let t = std::thread::spawn(move || {
                drain(&s, 4 << 20);
                s
            });
            assert_eq!(c.send(&big).unwrap(), big.len());
            t.join().unwrap();
        }
    });
}
