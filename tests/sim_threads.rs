//! Several threads on one simulated network (docs/simulation.md, "Several threads on one
//! network"): virtual time moves only when every thread on the network waits
//! (`src/sys/sim/quiet.rs`), so a wait with a finite timeout does not expire while another
//! thread of the network is still working towards setting its event, posting its packet or
//! sending its bytes. On Windows a wait of 1 s is not ended by a peer thread that answers
//! within microseconds of real time (`WaitForSingleObject`, `GetQueuedCompletionStatus`,
//! `select`: the timeout is the longest the call waits for the object). Before the rule, the
//! waiter moved the clock to its deadline at once and timed out (these tests failed so).

use std::hint::black_box;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Barrier, mpsc};
use std::time::Duration;

use wsaevents::iocp::CompletionPort;
use wsaevents::sim::{Host, Network};
use wsaevents::{Event, Socket, WaitOutcome, wait_any};

const ROUNDS: usize = 200;
const SHORT: Duration = Duration::from_secs(1);
const LONG: Duration = Duration::from_secs(60);

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// Real work between two calls into the network: no wait, no call, a loop of arithmetic
/// (tens of microseconds), during which the other thread is inside its wait.
fn work(round: usize) -> u64 {
    let mut h = round as u64 ^ 0x9e37_79b9_7f4a_7c15;
    for i in 0..20_000u64 {
        h = black_box(h.rotate_left(5) ^ i).wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// Runs `a` and `b` on two threads, both inside `host`, once both are on the network (a
/// thread counts from its `enter`: one that has not entered yet is not waited for); a panic
/// in either fails the test with the network's trace.
fn two_threads(net: &Network, host: &Host, a: impl FnOnce() + Send, b: impl FnOnce() + Send) {
    let on = Barrier::new(2);
    let r = std::thread::scope(|s| {
        let ta = s.spawn(|| {
            host.enter(|| {
                on.wait();
                a()
            })
        });
        let tb = s.spawn(|| {
            host.enter(|| {
                on.wait();
                b()
            })
        });
        (ta.join(), tb.join())
    });
    assert!(
        r.0.is_ok() && r.1.is_ok(),
        "seed {}; trace:\n{}",
        net.seed(),
        net.trace()
    );
}

/// An event wait of 1 s on a worker while the other thread works, then sets: never a
/// timeout, 200 rounds; nothing was scheduled, so the clock never moved.
#[test]
fn event_wait_with_timeout_does_not_expire_while_the_setter_works() {
    let net = Network::new(1);
    let h = net.host("h", &[ip("10.0.0.1")]);
    let (ping, pong) = h.enter(|| (Event::new_auto(false), Event::new_auto(false)));
    two_threads(
        &net,
        &h,
        || {
            for round in 0..ROUNDS {
                assert_eq!(
                    wait_any(&[&ping], Some(SHORT)).unwrap(),
                    WaitOutcome::Signaled(0),
                    "worker, round {round}"
                );
                pong.set();
            }
        },
        || {
            for round in 0..ROUNDS {
                black_box(work(round));
                ping.set();
                assert_eq!(
                    wait_any(&[&pong], Some(LONG)).unwrap(),
                    WaitOutcome::Signaled(0),
                    "setter, round {round}"
                );
            }
        },
    );
    assert_eq!(net.now(), Duration::ZERO);
}

/// `GetQueuedCompletionStatus` with a 1 s timeout on a worker while the other thread works,
/// then posts: every packet arrives, in order, none times out.
#[test]
fn port_wait_with_timeout_does_not_expire_while_the_poster_works() {
    let net = Network::new(2);
    let h = net.host("h", &[ip("10.0.0.1")]);
    let (work_port, done_port) = h.enter(|| (CompletionPort::new(1), CompletionPort::new(1)));
    two_threads(
        &net,
        &h,
        || {
            for round in 0..ROUNDS {
                let p = work_port
                    .get(Some(SHORT))
                    .unwrap()
                    .unwrap_or_else(|| panic!("worker timed out, round {round}"));
                assert_eq!(p.key, round);
                done_port.post(p.bytes, p.key, 0).unwrap();
            }
        },
        || {
            for round in 0..ROUNDS {
                let n = work(round) as u32;
                work_port.post(n, round, 0).unwrap();
                let p = done_port
                    .get(Some(LONG))
                    .unwrap()
                    .unwrap_or_else(|| panic!("poster timed out, round {round}"));
                assert_eq!((p.bytes, p.key), (n, round));
            }
        },
    );
    assert_eq!(net.now(), Duration::ZERO);
}

/// A blocking `recv` with `SO_RCVTIMEO` of 1 s on one thread, the peer on another working
/// before it sends, across a link of 10 ms: every message arrives; the clock moves only by
/// the link's latency (twice per round: there and back), never to a timeout; and the run's
/// trace is the same each time from the first delivery on.
#[test]
fn recv_timeout_does_not_expire_while_the_sender_works() {
    // From the first delivery on, one thread runs while the other waits for it: the same
    // trace each time. (Before it, both threads start at the same instant, in the order
    // the OS runs them.)
    let from_first_delivery = |t: String| -> Vec<String> {
        t.lines()
            .skip_while(|l| !l.contains("receives 8 bytes"))
            .map(str::to_string)
            .collect()
    };
    let first = from_first_delivery(echo_rounds());
    let deliveries = first.iter().filter(|l| l.contains("receives 8 bytes"));
    assert_eq!(deliveries.count(), 2 * ROUNDS);
    assert!(first == from_first_delivery(echo_rounds()));
}

/// [`recv_timeout_does_not_expire_while_the_sender_works`]'s run; its trace.
fn echo_rounds() -> String {
    let net = Network::new(3);
    let a = net.host("a", &[ip("10.0.0.1")]);
    let b = net.host("b", &[ip("10.0.0.2")]);
    net.set_latency(&a, &b, Duration::from_millis(10), Duration::ZERO);
    let l = b.enter(|| {
        let l = Socket::tcp_v4().unwrap();
        l.bind(sa("10.0.0.2:7")).unwrap();
        l.listen(1).unwrap();
        l
    });
    let c = a.enter(|| {
        let c = Socket::tcp_v4().unwrap();
        c.connect(sa("10.0.0.2:7")).unwrap();
        c
    });
    let s = b.enter(|| l.accept().unwrap().0);
    let start = net.now();
    let on = Barrier::new(2);
    std::thread::scope(|sc| {
        let echo = sc.spawn(|| {
            b.enter(|| {
                on.wait();
                s.set_read_timeout(Some(SHORT)).unwrap();
                let mut buf = [0u8; 8];
                for round in 0..ROUNDS {
                    let n = s
                        .recv(&mut buf)
                        .unwrap_or_else(|e| panic!("echo, round {round}: {e:?}"));
                    assert_eq!(n, 8, "echo, round {round}");
                    s.send(&buf).unwrap();
                }
            })
        });
        let client = sc.spawn(|| {
            a.enter(|| {
                on.wait();
                c.set_read_timeout(Some(LONG)).unwrap();
                let mut buf = [0u8; 8];
                for round in 0..ROUNDS {
                    let v = work(round).to_le_bytes();
                    assert_eq!(c.send(&v).unwrap(), 8);
                    let n = c
                        .recv(&mut buf)
                        .unwrap_or_else(|e| panic!("client, round {round}: {e:?}"));
                    assert_eq!((n, buf), (8, v), "client, round {round}");
                }
            })
        });
        let r = (echo.join(), client.join());
        assert!(
            r.0.is_ok() && r.1.is_ok(),
            "seed {}; trace:\n{}",
            net.seed(),
            net.trace()
        );
    });
    assert_eq!(
        net.now() - start,
        Duration::from_millis(20) * ROUNDS as u32,
        "trace:\n{}",
        net.trace()
    );
    net.trace()
}

/// The liveness bound: a thread on the network blocked outside the library (here on a
/// channel) does not hang the others: a wait with a timeout ends, timed out, at its
/// deadline after a bounded real-time stall (`STALL` in src/sys/sim/quiet.rs).
#[test]
fn a_thread_blocked_outside_the_library_does_not_hang_a_timed_wait() {
    let net = Network::new(4);
    let h = net.host("h", &[ip("10.0.0.1")]);
    let ev = h.enter(|| Event::new_manual(false));
    let waiter_ev = ev.clone();
    let (tx, rx) = mpsc::channel::<()>();
    two_threads(
        &net,
        &h,
        move || {
            assert_eq!(
                wait_any(&[&waiter_ev], Some(SHORT)).unwrap(),
                WaitOutcome::TimedOut
            );
            tx.send(()).unwrap();
        },
        move || {
            // Bounded: a hang of the waiter fails here instead of blocking the run.
            rx.recv_timeout(Duration::from_secs(30))
                .expect("the timed wait never ended");
        },
    );
    assert_eq!(net.now(), SHORT);
}
