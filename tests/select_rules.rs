//! A.1–A.3 (rules 1–15) and A.12 (rules 47–48) on real loopback sockets: the selection,
//! the record and the enumeration, as the OS delivers events. Each test body runs twice
//! (`both`): on loopback, then on a simulated network (docs/simulation.md).

mod common;

use common::*;
use wsaevents::error::*;
use wsaevents::{Event, NetworkEventRecord, NetworkEvents as Fd, WaitOutcome, wait_any};

/// Rule 1: a select replaces the previous one; the old event is neither set nor reset.
#[test]
fn rule1_select_replaces_and_leaves_old_event_alone() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            let ev1 = Event::new_manual(false);
            let ev2 = Event::new_manual(false);
            s.event_select(&ev1, Fd::READ).unwrap();
            s.event_select(&ev2, Fd::READ).unwrap();
            c.send(b"1").unwrap();
            check_events(&s, &ev2, &[(Fd::READ, 0)]);
            assert!(!ev1.is_set(), "the old event is not set");
            ev1.set();
            s.event_select(&ev2, Fd::READ | Fd::CLOSE).unwrap();
            s.event_select(&ev1, Fd::CLOSE).unwrap();
            assert!(ev1.is_set(), "the old event is not reset either");
            ev1.reset();
            s.event_select(&ev2, Fd::CLOSE).unwrap();
            drop(c);
            if wine_differs(
                "the peer's FIN with unread data queued gives FD_CLOSE only once the data is drained",
            ) {
                check_events(&s, &ev2, &[]);
                assert_eq!(recv_exact(&s, 1), b"1");
            }
            check_events(&s, &ev2, &[(Fd::CLOSE, 0)]);
            assert!(!ev1.is_set());
        }
    });
}

/// Rules 2, 8 (T:6614-6646, T:7065-7072): events recorded while unselected or masked out
/// survive any number of re-selects and are reported by the first select that includes
/// them.
#[test]
fn rule2_recorded_events_survive_reselects() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            let ev = Event::new_manual(false);
            // WRITE (from accept) is recorded; READ arrives while masked out.
            s.event_select(&ev, Fd::CLOSE).unwrap();
            c.send(b"data").unwrap();
            await_recorded(&s, Fd::READ);
            check_events(&s, &ev, &[]);
            s.event_select(&ev, Fd::OOB).unwrap();
            s.event_select(None, Fd::empty()).unwrap();
            s.event_select(&ev, Fd::CLOSE).unwrap();
            check_events(&s, &ev, &[]);
            s.event_select(&ev, Fd::READ | Fd::CLOSE).unwrap();
            check_events(&s, &ev, &[(Fd::READ, 0)]);
            s.event_select(&ev, Fd::WRITE).unwrap();
            check_events(&s, &ev, &[(Fd::WRITE, 0)]);
            s.event_select(&ev, Fd::all()).unwrap();
            check_events(&s, &ev, &[]);
        }
    });
}

/// Rule 2 (T:7023-7031): a re-select never re-records an enumerated bit, even with the
/// condition (data pending) still true.
#[test]
fn rule2_reselect_does_not_rerecord() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            let ev = Event::new_manual(false);
            s.event_select(&ev, Fd::READ | Fd::WRITE).unwrap();
            c.send(b"pending").unwrap();
            await_recorded(&s, Fd::READ);
            check_events(&s, &ev, &[(Fd::READ, 0), (Fd::WRITE, 0)]);
            for _ in 0..3 {
                s.event_select(&ev, Fd::READ | Fd::WRITE).unwrap();
                check_events(&s, &ev, &[]);
                s.event_select(None, Fd::empty()).unwrap();
            }
            assert_eq!(s.bytes_available().unwrap(), 7);
        }
    });
}

/// Rule 3 (T:6628-6641): a select signals at once (timeout 0) when a recorded bit is
/// selected; a select that excludes it does not reset a signalled event; after a reset,
/// the same select leaves it unsignalled.
#[test]
fn rule3_select_signals_at_once_and_never_resets() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            c.send(b"x").unwrap();
            await_recorded(&s, Fd::READ);
            let ev = Event::new_manual(false);
            s.event_select(&ev, Fd::READ).unwrap();
            assert_eq!(
                ev.wait(Some(std::time::Duration::ZERO)),
                WaitOutcome::Signaled(0)
            );
            s.event_select(&ev, Fd::CLOSE).unwrap();
            assert!(
                ev.is_set(),
                "a select whose mask excludes the bit does not reset"
            );
            ev.reset();
            s.event_select(&ev, Fd::CLOSE).unwrap();
            assert!(!ev.is_set());
            s.event_select(&ev, Fd::CLOSE | Fd::READ).unwrap();
            assert!(ev.is_set());
            check_events(&s, &ev, &[(Fd::READ, 0)]);
        }
    });
}

/// Rule 4 (T:5796-5806): select makes the socket non-blocking whatever the mask; going
/// back to blocking is WSAEINVAL while the mask is not 0; non-blocking (1) still
/// succeeds; after select(NULL, 0) blocking is allowed again.
#[test]
fn rule4_select_makes_nonblocking() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            let ev = Event::new_manual(false);
            assert!(!s.is_nonblocking().unwrap());
            s.event_select(&ev, Fd::READ).unwrap();
            assert!(s.is_nonblocking().unwrap());
            assert_eq!(code(s.set_nonblocking(false)), WSAEINVAL);
            assert!(s.is_nonblocking().unwrap());
            s.set_nonblocking(true).unwrap();
            let mut b = [0u8; 4];
            assert_eq!(code(s.recv(&mut b)), WSAEWOULDBLOCK);
            s.event_select(None, Fd::empty()).unwrap();
            assert!(s.is_nonblocking().unwrap(), "mask 0 leaves it non-blocking");
            s.set_nonblocking(false).unwrap();
            assert!(!s.is_nonblocking().unwrap());
            // Mask 0 on a blocking socket makes it non-blocking too.
            c.event_select(None, Fd::empty()).unwrap();
            assert!(c.is_nonblocking().unwrap());
            assert_eq!(code(c.recv(&mut b)), WSAEWOULDBLOCK);
        }
    });
}

/// Rule 4 (T:884-890): connect on an event-selected TCP socket fails WSAEWOULDBLOCK; the
/// result comes as FD_CONNECT.
#[test]
fn rule4_connect_on_selected_socket_would_block() {
    both(|| {
        for v6 in [false, true] {
            let l = listener(v6);
            for mask in [Fd::CONNECT, Fd::empty()] {
                let c = tcp(v6);
                let ev = Event::new_manual(false);
                c.event_select(&ev, mask).unwrap();
                assert_eq!(code(c.connect(l.local_addr().unwrap())), WSAEWOULDBLOCK);
                c.event_select(&ev, Fd::CONNECT | Fd::WRITE).unwrap();
                check_events(&c, &ev, &[(Fd::CONNECT, 0), (Fd::WRITE, 0)]);
            }
        }
    });
}

/// Rules 4, 35 (T:12889-12894): a second connect while the first is in progress fails
/// WSAEALREADY.
#[test]
fn rule4_connect_again_while_connecting_is_already() {
    both(|| {
        for v6 in [false, true] {
            let (l, _done, c, ev) = stuck_connect(v6);
            assert_eq!(code(c.connect(l.local_addr().unwrap())), WSAEALREADY);
            assert_eq!(code(c.connect(l.local_addr().unwrap())), WSAEALREADY);
            check_events(&c, &ev, &[]);
        }
    });
}

/// Rules 5, 8 (T:7065-7072): mask 0 cancels signalling, recording goes on, and the next
/// select with a mask reports what happened in between.
#[test]
fn rule5_mask_zero_cancels_signalling_only() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            let ev = Event::new_manual(false);
            s.event_select(&ev, Fd::READ | Fd::WRITE | Fd::CLOSE)
                .unwrap();
            check_events(&s, &ev, &[(Fd::WRITE, 0)]);
            s.event_select(&ev, Fd::empty()).unwrap();
            c.send(b"zz").unwrap();
            drop(c);
            if wine_differs(
                "the peer's FIN with unread data queued gives FD_CLOSE only once the data is drained",
            ) {
                await_recorded(&s, Fd::READ);
                check_events(&s, &ev, &[]);
                s.event_select(&ev, Fd::READ | Fd::WRITE | Fd::CLOSE)
                    .unwrap();
                check_events(&s, &ev, &[(Fd::READ, 0)]);
                assert_eq!(recv_exact(&s, 2), b"zz");
                check_events(&s, &ev, &[(Fd::CLOSE, 0)]);
                continue;
            }
            await_recorded(&s, Fd::READ | Fd::CLOSE);
            check_events(&s, &ev, &[]);
            s.event_select(&ev, Fd::READ | Fd::WRITE | Fd::CLOSE)
                .unwrap();
            check_events(&s, &ev, &[(Fd::READ, 0), (Fd::CLOSE, 0)]);
        }
    });
}

/// Rule 6: a non-zero mask without an event is WSAEINVAL and changes nothing; unknown
/// bits (QOS, change notifications) are accepted and never reported.
#[test]
fn rule6_validation() {
    both(|| {
        for v6 in [false, true] {
            let (_c, s) = pair(v6);
            let ev = Event::new_manual(false);
            s.event_select(&ev, Fd::READ).unwrap();
            assert_eq!(code(s.event_select(None, Fd::READ)), WSAEINVAL);
            assert_eq!(s.selection().unwrap().0, Fd::READ);
            s.event_select(&ev, Fd::all()).unwrap();
            assert_eq!(s.selection().unwrap().0, Fd::all());
            check_events(&s, &ev, &[(Fd::WRITE, 0)]);
            check_events(&s, &ev, &[]);
        }
    });
}

/// Rule 10 (T:7086-7106): an enumeration returns and clears only the selected bits;
/// recorded bits not selected stay for a later select.
#[test]
fn rule10_enumeration_clears_only_selected_bits() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            c.send(b"r").unwrap();
            await_recorded(&s, Fd::READ | Fd::WRITE);
            let ev = Event::new_manual(false);
            s.event_select(&ev, Fd::READ).unwrap();
            check_events(&s, &ev, &[(Fd::READ, 0)]);
            assert_eq!(s.selection().unwrap().1, Fd::WRITE);
            s.event_select(&ev, Fd::READ | Fd::WRITE).unwrap();
            check_events(&s, &ev, &[(Fd::WRITE, 0)]);
        }
    });
}

/// Rules 12, 13, 14: the enumeration resets the given event even when it reports nothing;
/// with no event, no event is touched; entries of iErrorCode for unreported bits are left
/// as they were; an unselected socket enumerates to nothing, without error.
#[test]
fn rule12_enumeration_resets_event() {
    both(|| {
        for v6 in [false, true] {
            let (_c, s) = pair(v6);
            let ev = Event::new_manual(true);
            let mut rec = NetworkEventRecord {
                network_events: -1,
                error_code: [0x7ABA_BABA; 10],
            };
            s.enum_network_events_into(Some(&ev), &mut rec).unwrap();
            assert_eq!(rec.network_events, 0, "unselected: nothing, no error");
            assert_eq!(rec.error_code, [0x7ABA_BABA; 10]);
            assert!(!ev.is_set(), "reset even though nothing was reported");
            ev.set();
            s.event_select(&ev, Fd::READ).unwrap();
            s.enum_network_events_into(None, &mut rec).unwrap();
            assert_eq!(rec.network_events, 0);
            assert!(ev.is_set(), "no event given: none touched");
            s.event_select(&ev, Fd::WRITE).unwrap();
            s.enum_network_events_into(None, &mut rec).unwrap();
            assert_eq!(rec.events(), Fd::WRITE);
            assert_eq!(rec.error_code[1], 0);
            assert_eq!(rec.error_code[0], 0x7ABA_BABA);
            assert!(ev.is_set());
        }
    });
}

/// Rule 15: one event shared by a listener and the socket it accepted. Enumerating the
/// listener resets the event although the accepted socket still has FD_WRITE recorded;
/// the event stays unsignalled until a new recording, and the bits are still there.
#[test]
fn rule15_shared_event_pitfall() {
    both(|| {
        for v6 in [false, true] {
            let l = listener(v6);
            let ev = Event::new_manual(false);
            l.event_select(&ev, Fd::ACCEPT | Fd::READ | Fd::WRITE | Fd::CLOSE)
                .unwrap();
            let c = tcp(v6);
            c.connect(l.local_addr().unwrap()).unwrap();
            check_events(&l, &ev, &[(Fd::ACCEPT, 0)]);
            let (s, _) = l.accept().unwrap();
            assert!(
                ev.is_set(),
                "the accepted socket's FD_WRITE set the shared event"
            );
            assert_eq!(
                l.enum_network_events(Some(&ev)).unwrap().events(),
                Fd::empty()
            );
            assert_eq!(ev.wait(Some(SHORT)), WaitOutcome::TimedOut, "the pitfall");
            // The bits are still there, and are reported when asked for.
            assert_eq!(s.selection().unwrap().1, Fd::WRITE);
            assert_eq!(
                s.enum_network_events(Some(&ev)).unwrap().events(),
                Fd::WRITE
            );
            // A new recording on s signals the shared event again.
            c.send(b"n").unwrap();
            check_events(&s, &ev, &[(Fd::READ, 0)]);
        }
    });
}

/// Rule 47 (A.12), "select racing nothing": with nothing happening on the network,
/// repeated selects and enumerations, while another thread keeps driving the poller,
/// never produce an event.
#[test]
fn rule47_select_racing_nothing() {
    both(|| {
        for v6 in [false, true] {
            let (_c, s) = pair(v6);
            let ev = Event::new_manual(false);
            s.event_select(&ev, Fd::all()).unwrap();
            check_events(&s, &ev, &[(Fd::WRITE, 0)]);
            let stop = Event::new_manual(false);
            let stop2 = stop.clone();
            let driver = std::thread::spawn(move || {
                let idle = Event::new_manual(false);
                while stop2.wait(Some(std::time::Duration::ZERO)) == WaitOutcome::TimedOut {
                    idle.wait(Some(std::time::Duration::from_millis(1)));
                }
            });
            for i in 0..200 {
                let mask = if i % 3 == 0 { Fd::empty() } else { Fd::all() };
                s.event_select(&ev, mask).unwrap();
                assert!(!ev.is_set());
                assert_eq!(s.enum_network_events(None).unwrap().events(), Fd::empty());
            }
            s.event_select(&ev, Fd::all()).unwrap();
            check_events(&s, &ev, &[]);
            stop.set();
            driver.join().unwrap();
        }
    });
}

/// Rule 48: an auto-reset event works; a wait it satisfies consumes the signal but not the
/// record, which the enumeration still reports.
#[test]
fn rule48_auto_reset_event() {
    both(|| {
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            let ev = Event::new_auto(false);
            s.event_select(&ev, Fd::READ).unwrap();
            c.send(b"a").unwrap();
            assert_eq!(
                wait_any(&[&ev], Some(LONG)).unwrap(),
                WaitOutcome::Signaled(0)
            );
            assert!(!ev.is_set(), "consumed by the wait");
            assert_eq!(s.enum_network_events(Some(&ev)).unwrap().events(), Fd::READ);
            assert_eq!(ev.wait(Some(SHORT)), WaitOutcome::TimedOut);
        }
    });
}

/// Rule 7 (T:6518, T:6775): select may come before bind, listen or connect; the events of
/// what follows are recorded under that selection: a listener's FD_ACCEPT, a client's
/// FD_CONNECT and FD_WRITE, a UDP socket's FD_WRITE at bind.
#[test]
fn rule7_select_before_bind_listen_connect() {
    both(|| {
        for v6 in [false, true] {
            // One event each: a shared one would be reset by the other's enumeration (rule 15).
            let (ev, evc, evu) = (
                Event::new_manual(false),
                Event::new_manual(false),
                Event::new_manual(false),
            );
            let l = tcp(v6);
            l.event_select(&ev, Fd::all()).unwrap();
            check_events(&l, &ev, &[]);
            l.bind(lo(v6)).unwrap();
            check_events(&l, &ev, &[]);
            l.listen(4).unwrap();
            check_events(&l, &ev, &[]);

            let c = tcp(v6);
            c.event_select(&evc, Fd::all()).unwrap();
            check_events(&c, &evc, &[]);
            assert_eq!(code(c.connect(l.local_addr().unwrap())), WSAEWOULDBLOCK);
            check_events(&c, &evc, &[(Fd::CONNECT, 0), (Fd::WRITE, 0)]);
            check_events(&l, &ev, &[(Fd::ACCEPT, 0)]);

            let u = udp(v6);
            u.event_select(&evu, Fd::all()).unwrap();
            check_events(&u, &evu, &[]);
            u.bind(lo(v6)).unwrap();
            check_events(&u, &evu, &[(Fd::WRITE, 0)]);
        }
    });
}
