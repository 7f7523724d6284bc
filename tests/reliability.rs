//! Issue 8 (reliability): closing cancels blocked calls and closes the connection at once;
//! a zero-length read and a failed accept lose no event; connection churn across threads
//! gives no spurious FD_CLOSE.

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use wsaevents::error::*;
use wsaevents::{Event, NetworkEvents as Fd, Socket};

/// Waits (bounded, on the socket's own state, never on time) until `n` threads are blocked
/// in a call on `s`.
#[track_caller]
fn await_blocked(s: &Socket, n: usize) {
    let deadline = Instant::now() + LONG;
    while s.blocked_calls() < n {
        assert!(Instant::now() < deadline, "the call never blocked");
        std::thread::yield_now();
    }
}

/// Runs `call` on a clone of `s` in another thread, waits until it is blocked in `s`,
/// closes `s`, and returns what the blocked call returned (bounded by `LONG`).
fn close_while_blocked<T: Send + 'static>(
    s: &Socket,
    call: impl FnOnce(&Socket) -> wsaevents::Result<T> + Send + 'static,
) -> wsaevents::Result<T> {
    let clone = s.clone();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(call(&clone));
    });
    await_blocked(s, 1);
    s.close().unwrap();
    rx.recv_timeout(LONG)
        .expect("the blocked call did not return after closesocket")
}

/// Issue 8.1 (WinSock 2 spec 2.7): a `recv` blocked in another thread fails WSAEINTR at
/// `closesocket`, and the connection is closed at once: the peer sees the FIN (FD_CLOSE 0).
#[test]
fn close_cancels_a_blocked_recv_and_sends_the_fin() {
    for v6 in [false, true] {
        let (c, s) = pair(v6);
        let ev = Event::new_manual(false);
        c.event_select(&ev, Fd::READ | Fd::CLOSE).unwrap();
        let r = close_while_blocked(&s, |s| s.recv(&mut [0u8; 16]));
        assert_eq!(code(r), WSAEINTR);
        check_events(&c, &ev, &[(Fd::CLOSE, 0)]);
        // Through any clone, the socket is gone: WSAENOTSOCK, also for a second close.
        assert_eq!(code(s.recv(&mut [0u8; 4])), WSAENOTSOCK);
        assert_eq!(code(s.close()), WSAENOTSOCK);
    }
}

/// Issue 8.1: with `SO_LINGER {1, 0}` the close that cancels the blocked call sends a RST:
/// the peer's FD_CLOSE carries WSAECONNABORTED (rule 39).
#[test]
fn close_with_linger_zero_cancels_and_resets() {
    let (c, s) = pair(false);
    s.set_linger(Some(Duration::ZERO)).unwrap();
    let ev = Event::new_manual(false);
    c.event_select(&ev, Fd::READ | Fd::CLOSE).unwrap();
    let r = close_while_blocked(&s, |s| s.recv(&mut [0u8; 16]));
    assert_eq!(code(r), WSAEINTR);
    let reset = windows_or_wine(
        WSAECONNABORTED,
        0,
        "a peer's RST gives FD_CLOSE with 0 and recv returns 0",
    );
    check_events(&c, &ev, &[(Fd::CLOSE, reset)]);
}

/// Issue 8.1: a blocked `accept` fails WSAEINTR and the listener stops listening at once:
/// a new connection is refused.
#[test]
fn close_cancels_a_blocked_accept_and_stops_listening() {
    for v6 in [false, true] {
        let l = listener(v6);
        let addr = l.local_addr().unwrap();
        let r = close_while_blocked(&l, |l| l.accept().map(|_| ()));
        assert_eq!(code(r), WSAEINTR);
        let c = tcp(v6);
        assert_eq!(code(c.connect(addr)), WSAECONNREFUSED);
    }
}

/// Issue 8.1: a `send` blocked on a full buffer fails WSAEINTR; the connection is closed:
/// the peer reads what was queued, then the end of the stream.
#[test]
fn close_cancels_a_blocked_send() {
    let (c, s) = pair(false);
    let big = vec![1u8; 64 * 1024 * 1024];
    let r = close_while_blocked(&c, move |c| c.send(&big));
    assert_eq!(code(r), WSAEINTR);
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0usize;
    loop {
        let n = s.recv(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        total += n;
        assert!(
            total < 64 * 1024 * 1024,
            "more arrived than the send could queue"
        );
    }
    assert!(total > 0);
}

/// Issue 8.1: a `connect` blocked on a full accept queue fails WSAEINTR.
#[test]
fn close_cancels_a_blocked_connect() {
    let (l, _done, stuck, _ev) = stuck_connect(false);
    let addr = l.local_addr().unwrap();
    let c = tcp(false);
    let r = close_while_blocked(&c, move |c| c.connect(addr));
    assert_eq!(code(r), WSAEINTR);
    drop(stuck);
}

/// Issue 8.1: a blocked UDP `recvfrom` fails WSAEINTR.
#[test]
fn close_cancels_a_blocked_recvfrom() {
    for v6 in [false, true] {
        let u = udp(v6);
        u.bind(lo(v6)).unwrap();
        let r = close_while_blocked(&u, |u| u.recv_from(&mut [0u8; 16]).map(|_| ()));
        assert_eq!(code(r), WSAEINTR);
    }
}

/// Issue 8.1: dropping a clone closes nothing; the socket closes with the last clone.
#[test]
fn dropping_a_clone_keeps_the_socket_open() {
    let (c, s) = pair(false);
    drop(s.clone());
    c.send(b"hi").unwrap();
    assert_eq!(recv_exact(&s, 2), b"hi");
    let ev = Event::new_manual(false);
    c.event_select(&ev, Fd::CLOSE).unwrap();
    check_events(&c, &ev, &[]);
    drop(s);
    check_events(&c, &ev, &[(Fd::CLOSE, 0)]);
}

/// A blocking call to make on a socket in another thread.
type BlockingCall = Box<dyn FnOnce(&Socket) -> wsaevents::Result<()> + Send>;

/// Issue 8.1, bounded stress: closing at any moment of each blocking call (before it
/// starts, while it blocks) never hangs; the call fails WSAENOTSOCK (it started after the
/// close) or WSAEINTR (it was cancelled), and the connection is closed: the peer sees
/// FD_CLOSE, a listener refuses.
#[test]
fn closing_during_blocking_calls_never_hangs() {
    for i in 0..120 {
        let (c, s) = pair(false);
        let l = listener(false);
        let laddr = l.local_addr().unwrap();
        let ev = Event::new_manual(false);
        c.event_select(&ev, Fd::CLOSE).unwrap();
        let (target, call): (Socket, BlockingCall) = match i % 4 {
            0 => (s, Box::new(|s| s.recv(&mut [0u8; 8]).map(|_| ()))),
            1 => (s, Box::new(|s| s.peek(&mut [0u8; 8]).map(|_| ()))),
            2 => (s, Box::new(|s| s.send(&vec![0u8; 32 << 20]).map(|_| ()))),
            _ => (l.clone(), Box::new(|l| l.accept().map(|_| ()))),
        };
        let clone = target.clone();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(call(&clone));
        });
        for _ in 0..i % 7 {
            std::thread::yield_now();
        }
        target.close().unwrap();
        let r = rx.recv_timeout(LONG).expect("hung after close");
        let e = code(r);
        assert!(e == WSAEINTR || e == WSAENOTSOCK, "{e}");
        if i % 4 == 3 {
            let r = outcome(tcp(false).connect(laddr));
            // Under Wine the connection may complete (and then be reset, WSAECONNRESET).
            if matches!(r, Ok(()) | Err(WSAECONNRESET))
                && wine_differs(
                    "a listener closed while a poll on it is pending still takes a connection for a moment",
                )
            {
                continue;
            }
            assert_eq!(r, Err(WSAECONNREFUSED));
        } else {
            await_close(&c, &ev);
        }
    }
}

/// Waits for the peer's close to show as FD_CLOSE on `c`, draining what the closed side
/// had sent before (a cancelled send).
#[track_caller]
fn await_close(c: &Socket, ev: &Event) {
    let deadline = Instant::now() + LONG;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        assert!(Instant::now() < deadline, "no FD_CLOSE");
        ev.wait(Some(SHORT));
        let rec = c.enum_network_events(Some(ev)).unwrap();
        if rec.events().contains(Fd::CLOSE) {
            return;
        }
        while let Ok(n) = c.recv(&mut buf) {
            if n == 0 {
                break;
            }
        }
    }
}

/// Issue 8.5, rule 17: `recv(s, buf, 0, 0)` and `recv(s, buf, 0, MSG_PEEK)` are re-enabling
/// calls that prove nothing about the queue: with data still queued FD_READ is recorded
/// again at once.
#[test]
fn rule17_zero_length_reads_keep_fd_read() {
    for peek in [false, true] {
        let (c, s) = pair(false);
        let ev = Event::new_manual(false);
        s.event_select(&ev, Fd::READ).unwrap();
        c.send(b"hello").unwrap();
        check_events(&s, &ev, &[(Fd::READ, 0)]);
        let n = if peek {
            s.peek(&mut [])
        } else {
            s.recv(&mut [])
        };
        assert_eq!(n.unwrap(), 0);
        check_events(&s, &ev, &[(Fd::READ, 0)]);
        assert_eq!(recv_exact(&s, 5), b"hello");
        check_events(&s, &ev, &[]);
    }
}

/// Issue 8.3, bounded stress: connections opened, used and closed on several threads at
/// once (reusing reactor tokens and descriptors all the time) never see an FD_CLOSE before
/// their peer closes.
#[test]
fn churn_across_threads_gives_no_spurious_close() {
    // Each thread reports each round done (or its panic), so that a round that never ends
    // fails the test (bounded by `LONG` per round) instead of hanging it.
    let (progress, rounds) = mpsc::channel::<std::result::Result<(usize, usize), String>>();
    for t in 0..4 {
        let progress = progress.clone();
        std::thread::spawn(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                for i in 0..150 {
                    let (c, s) = pair(t % 2 == 1);
                    let ev = Event::new_manual(false);
                    s.event_select(&ev, Fd::READ | Fd::WRITE | Fd::CLOSE)
                        .unwrap();
                    check_events(&s, &ev, &[(Fd::WRITE, 0)]);
                    c.send(&[i as u8]).unwrap();
                    check_events(&s, &ev, &[(Fd::READ, 0)]);
                    assert_eq!(s.recv(&mut [0u8; 4]).unwrap(), 1);
                    check_events_quick(&s, &ev);
                    drop(c);
                    check_events(&s, &ev, &[(Fd::CLOSE, 0)]);
                    let _ = progress.send(Ok((t, i)));
                }
            }));
            if r.is_err() {
                // (The panic's message is printed by the panic hook.)
                let _ = progress.send(Err(format!("thread {t} panicked")));
            }
        });
    }
    drop(progress);
    let mut last = [None; 4];
    for _ in 0..4 * 150 {
        match rounds.recv_timeout(LONG) {
            Ok(Ok((t, i))) => last[t] = Some(i),
            Ok(Err(e)) => panic!("{e}"),
            Err(e) => panic!("no round ended within {LONG:?} ({e:?}); last rounds done: {last:?}"),
        }
    }
}

/// Nothing may be recorded on a healthy connection: enumerates without waiting long.
#[track_caller]
fn check_events_quick(s: &Socket, ev: &Event) {
    let rec = s.enum_network_events(Some(ev)).unwrap();
    assert_eq!(
        rec.events(),
        Fd::empty(),
        "spurious event on a healthy connection"
    );
}

/// Bounded stress: sockets closed while their enumerated data waits unread (after a poll
/// reported them, or before), as the peer's RST arrives, on several threads at once (with
/// the other tests of this file), never hang, and a fresh connection's data is always
/// reported (rule 16). Ignored: under Wine it reproduces a lost readiness (a fresh
/// accepted socket whose AFD poll never reports, its data queued), rarely, and more often
/// with a watch of Winsock's own events on OS sockets (docs/semantics.md, "The Windows
/// backend"); run it with `--ignored`.
#[test]
#[ignore = "reproduces a rare lost readiness under Wine (docs/semantics.md, Windows backend)"]
fn closing_while_unread_data_is_watched_never_hangs() {
    let (progress, rounds) = mpsc::channel::<std::result::Result<usize, String>>();
    for t in 0..4 {
        let progress = progress.clone();
        std::thread::spawn(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let tick = Event::new_manual(false);
                for i in 0..100 {
                    let (c, s) = pair(t % 2 == 1);
                    let ev = Event::new_manual(false);
                    s.event_select(&ev, Fd::READ | Fd::CLOSE).unwrap();
                    c.send(b"x").unwrap();
                    check_events(&s, &ev, &[(Fd::READ, 0)]);
                    // Let a poll report the unread data (on Windows the watch takes over),
                    // or not, in turn.
                    for _ in 0..i % 3 {
                        tick.wait(Some(Duration::from_millis(1)));
                    }
                    c.set_linger(Some(Duration::ZERO)).unwrap();
                    let peer = std::thread::spawn(move || drop(c));
                    if i % 2 == 0 {
                        std::thread::yield_now();
                    }
                    s.close().unwrap();
                    peer.join().unwrap();
                    let _ = progress.send(Ok(t));
                }
            }));
            if r.is_err() {
                // (The panic's message is printed by the panic hook.)
                let _ = progress.send(Err(format!("thread {t} panicked")));
            }
        });
    }
    drop(progress);
    for _ in 0..4 * 100 {
        match rounds.recv_timeout(LONG) {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => panic!("{e}"),
            Err(e) => panic!("no round ended within {LONG:?} ({e:?})"),
        }
    }
}
