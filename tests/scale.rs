//! Many sockets and many waiting threads on real loopback sockets: one thread waiting on
//! 64 sockets' events (WSA_MAXIMUM_WAIT_EVENTS), and 16 threads each waiting on their own
//! sockets at the same time (the waiting threads take turns driving the OS poller).

mod common;

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Instant;

use common::*;
use wsaevents::{
    Event, MAXIMUM_WAIT_OBJECTS, NetworkEvents as Fd, WaitOutcome, wait_all, wait_any,
};

/// B.2 with real sockets: 64 sockets, one event each, one `wait_any` over all 64: the
/// lowest signalled index wins, and keeps winning until its event is reset by the
/// enumeration; every arrival is reported exactly once.
#[test]
fn wait_any_over_64_sockets_lowest_index_wins() {
    for v6 in [false, true] {
        let ps = pairs(v6, MAXIMUM_WAIT_OBJECTS);
        let evs: Vec<Event> = (0..ps.len()).map(|_| Event::new_manual(false)).collect();
        for ((_, s), ev) in ps.iter().zip(&evs) {
            s.event_select(ev, Fd::READ | Fd::CLOSE).unwrap();
        }
        let refs: Vec<&Event> = evs.iter().collect();
        assert_eq!(wait_any(&refs, Some(SHORT)).unwrap(), WaitOutcome::TimedOut);

        // Three sockets, data sent highest index first.
        let some = [63usize, 40, 5];
        for &i in &some {
            ps[i].0.send(&[i as u8]).unwrap();
        }
        let some_refs: Vec<&Event> = some.iter().map(|&i| &evs[i]).collect();
        assert_eq!(
            wait_all(&some_refs, Some(LONG)).unwrap(),
            WaitOutcome::Signaled(0)
        );
        for &i in some.iter().rev() {
            assert_eq!(
                wait_any(&refs, Some(LONG)).unwrap(),
                WaitOutcome::Signaled(i)
            );
            assert_eq!(
                wait_any(&refs, Some(LONG)).unwrap(),
                WaitOutcome::Signaled(i)
            );
            check_events(&ps[i].1, &evs[i], &[(Fd::READ, 0)]);
            assert_eq!(recv_exact(&ps[i].1, 1), [i as u8]);
        }
        assert_eq!(wait_any(&refs, Some(SHORT)).unwrap(), WaitOutcome::TimedOut);

        // All 64, in reverse order: served 0, 1, 2, ... 63.
        for i in (0..ps.len()).rev() {
            ps[i].0.send(&[i as u8]).unwrap();
        }
        assert_eq!(
            wait_all(&refs, Some(LONG)).unwrap(),
            WaitOutcome::Signaled(0)
        );
        for (i, (_, s)) in ps.iter().enumerate() {
            assert_eq!(
                wait_any(&refs, Some(LONG)).unwrap(),
                WaitOutcome::Signaled(i)
            );
            let rec = s.enum_network_events(Some(&evs[i])).unwrap();
            assert_eq!(rec.events(), Fd::READ);
            assert_eq!(recv_exact(s, 1), [i as u8]);
        }
        assert_eq!(wait_any(&refs, Some(SHORT)).unwrap(), WaitOutcome::TimedOut);

        // And every peer closes: one FD_CLOSE each, lowest first again.
        let (clients, servers): (Vec<_>, Vec<_>) = ps.into_iter().unzip();
        drop(clients);
        assert_eq!(
            wait_all(&refs, Some(LONG)).unwrap(),
            WaitOutcome::Signaled(0)
        );
        for (i, s) in servers.iter().enumerate() {
            assert_eq!(
                wait_any(&refs, Some(LONG)).unwrap(),
                WaitOutcome::Signaled(i)
            );
            check_events(s, &evs[i], &[(Fd::CLOSE, 0)]);
        }
    }
}

/// 16 threads, each waiting (wait_any) on its own 4 sockets' events while 4 sender
/// threads stream messages to all 64 sockets and then close them: every thread is served
/// concurrently and finishes, every byte and every FD_CLOSE arrives, nothing is lost.
#[test]
fn sixteen_threads_each_waiting_on_their_own_sockets() {
    const THREADS: usize = 16;
    const PER: usize = 4;
    const SENDERS: usize = 4;
    const MSGS: usize = 40;
    const MSG: usize = 100;
    for v6 in [false, true] {
        let ps = pairs(v6, THREADS * PER);
        let (clients, servers): (Vec<_>, Vec<_>) = ps.into_iter().unzip();
        let start = Arc::new(Barrier::new(THREADS + SENDERS));
        let deadline = Instant::now() + LONG * 3;

        let mut servers = servers.into_iter();
        let receivers: Vec<_> = (0..THREADS)
            .map(|t| {
                let socks: Vec<_> = servers.by_ref().take(PER).collect();
                let start = start.clone();
                thread::spawn(move || {
                    let evs: Vec<Event> = (0..PER).map(|_| Event::new_manual(false)).collect();
                    for (s, ev) in socks.iter().zip(&evs) {
                        s.event_select(ev, Fd::READ | Fd::CLOSE).unwrap();
                    }
                    let refs: Vec<&Event> = evs.iter().collect();
                    let mut bytes = [0usize; PER];
                    let mut closed = [false; PER];
                    let mut eof = [false; PER];
                    let mut buf = vec![0u8; 4096];
                    start.wait();
                    while !(closed.iter().all(|&c| c) && eof.iter().all(|&e| e)) {
                        assert!(Instant::now() < deadline, "thread {t} starved");
                        let i = match wait_any(&refs, Some(LONG)).unwrap() {
                            WaitOutcome::Signaled(i) => i,
                            _ => panic!(
                                "thread {t}: event lost (bytes {bytes:?}, closed {closed:?})"
                            ),
                        };
                        let rec = socks[i].enum_network_events(Some(&evs[i])).unwrap();
                        let got = rec.events();
                        // May be empty: data recorded while the loop below was reading
                        // sets the event, and the same loop consumed it (a recv clears
                        // the bit, not the event; so on Windows too).
                        assert!((Fd::READ | Fd::CLOSE).contains(got));
                        if got.contains(Fd::CLOSE) {
                            assert!(!closed[i], "thread {t}: second FD_CLOSE");
                            assert_eq!(rec.error_code[wsaevents::FD_CLOSE_BIT], 0);
                            closed[i] = true;
                        }
                        // Read what is there (FD_CLOSE comes at the FIN, data may remain).
                        loop {
                            match socks[i].recv(&mut buf) {
                                Ok(0) => {
                                    eof[i] = true;
                                    break;
                                }
                                Ok(n) => {
                                    assert!(buf[..n].iter().all(|&b| b == i as u8 + 1));
                                    bytes[i] += n;
                                }
                                Err(e) => {
                                    assert_eq!(e.code(), wsaevents::error::WSAEWOULDBLOCK);
                                    break;
                                }
                            }
                        }
                    }
                    bytes
                })
            })
            .collect();

        // Client `g` is connected to socket `g % PER` of receiver `g / PER`, which checks
        // that every byte it reads is `g % PER + 1`.
        let mut clients = clients.into_iter().enumerate();
        let senders: Vec<_> = (0..SENDERS)
            .map(|_| {
                let mine: Vec<_> = clients.by_ref().take(THREADS * PER / SENDERS).collect();
                let start = start.clone();
                thread::spawn(move || {
                    start.wait();
                    for _ in 0..MSGS {
                        for (g, c) in &mine {
                            let msg = [(g % PER) as u8 + 1; MSG];
                            assert_eq!(c.send(&msg).unwrap(), MSG);
                        }
                    }
                    // Each receiver socket sees its FIN after its data.
                    drop(mine);
                })
            })
            .collect();
        for s in senders {
            s.join().unwrap();
        }
        for (t, r) in receivers.into_iter().enumerate() {
            let bytes = r.join().unwrap();
            assert_eq!(bytes, [MSGS * MSG; PER], "thread {t}");
        }
    }
}

/// Waits drive the network (issue: "the waiting thread drives the poller"): a thread that
/// is already waiting on an event no socket feeds yet does not read the network; when a
/// socket then selects that event (rule 1), the waiting thread must start reading it, or
/// nobody would, and the FD_READ below would never be recorded.
#[test]
fn waiter_on_an_event_that_becomes_socket_fed_reads_the_network() {
    let ev = Event::new_manual(false);
    let started = Event::new_manual(false);
    let (ev2, started2) = (ev.clone(), started.clone());
    let waiter = std::thread::spawn(move || {
        started2.set();
        ev2.wait(Some(LONG))
    });
    assert_eq!(started.wait(Some(LONG)), WaitOutcome::Signaled(0));
    let (c, s) = pair(false);
    s.event_select(&ev, Fd::READ).unwrap();
    c.send(b"x").unwrap();
    // This thread never waits or enumerates: only the waiting thread can read the network.
    assert_eq!(waiter.join().unwrap(), WaitOutcome::Signaled(0));
    let rec = s.enum_network_events(Some(&ev)).unwrap();
    assert_eq!(rec.events(), Fd::READ);
}
