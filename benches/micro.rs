//! Benchmark 6: micro-costs, in nanoseconds per call, each against the cost of one
//! `epoll_wait` with a zero timeout (a raw mio `Poll::poll(.., Some(ZERO))` with nothing
//! ready), measured in the same rotation:
//! * `enum_network_events` on a selected, idle, connected socket;
//! * `wait_any` over 64 manual-reset events with only the last one signalled (timeout 0);
//! * `event_select` of the same event and mask again;
//! * for reference, `Event::set` + `Event::reset` (no syscall at all).
//!
//! The issue sets no number for these. The goal printed is a derived one: each of the first
//! three makes exactly one `epoll_wait(0)` itself (its harvest), so it should cost at most
//! **2×** one `epoll_wait(0)`: the emulation's own work no dearer than the syscall it wraps.
//!
//! `cargo bench --bench micro`

// Built as a libtest harness (Cargo's default) when the manifest lacks this bench's
// `harness = false` entry: `main` is then unused, which must not fail `clippy -D warnings`.
#![cfg_attr(test, allow(dead_code))]

mod common;

use std::hint::black_box;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::*;
use mio::{Events, Interest, Poll, Token};
use wsaevents::{Event, WaitOutcome, wait_any};

const GOAL: f64 = 2.0;

fn per_call(n: u64, mut f: impl FnMut()) -> f64 {
    let t0 = Instant::now();
    for _ in 0..n {
        f();
    }
    t0.elapsed().as_nanos() as f64 / n as f64
}

fn main() {
    let mode = Mode::from_args();
    print_header("micro", mode);
    let n: u64 = mode.pick(100_000, 500);
    let rounds = mode.pick(21, 2);

    // Baseline: a mio Poll with one idle registered stream.
    let std_listener = TcpListener::bind(lo()).expect("bind");
    let (mut mc, _ms) = mio_pair(&std_listener);
    let mut poll = Poll::new().expect("poll");
    poll.registry()
        .register(&mut mc, Token(0), Interest::READABLE | Interest::WRITABLE)
        .expect("register");
    let mut events = Events::with_capacity(64);
    poll.poll(&mut events, Some(Duration::from_millis(10)))
        .expect("poll");

    // The library: one idle selected pair (the reactor is installed), 64 events.
    let listener = lib_listener(8);
    let (c, s) = lib_pair(&listener);
    let ev = Event::new_manual(false);
    let ev_s = Event::new_manual(false);
    c.event_select(&ev, mask()).expect("event_select");
    s.event_select(&ev_s, mask()).expect("event_select");
    c.enum_network_events(Some(&ev)).expect("enum");
    s.enum_network_events(Some(&ev_s)).expect("enum");
    let evs: Vec<Event> = (0..64).map(|_| Event::new_manual(false)).collect();
    evs[63].set();
    let refs: Vec<&Event> = evs.iter().collect();
    let spare = Event::new_manual(false);

    let samples = alternate_many(
        rounds,
        &mut [
            &mut || {
                per_call(n, || {
                    poll.poll(&mut events, Some(Duration::ZERO)).expect("poll");
                    black_box(events.is_empty());
                })
            },
            &mut || {
                per_call(n, || {
                    black_box(c.enum_network_events(Some(&ev)).expect("enum"));
                })
            },
            &mut || {
                per_call(n, || {
                    let o = wait_any(&refs, Some(Duration::ZERO)).expect("wait");
                    assert_eq!(o, WaitOutcome::Signaled(63));
                })
            },
            &mut || {
                per_call(n, || {
                    c.event_select(&ev, mask()).expect("event_select");
                })
            },
            &mut || {
                per_call(n, || {
                    spare.set();
                    spare.reset();
                })
            },
        ],
    );
    let base = &samples[0];
    println!(
        "   {rounds} rotating rounds of {n} calls each; epoll_wait(0) {:.0} ns median ({:.0}..{:.0})",
        median(base),
        min(base),
        max(base)
    );
    let names = [
        "enum_network_events",
        "wait_any-64-last-set",
        "event_select",
        "set+reset",
    ];
    for (i, name) in names.iter().enumerate() {
        let s = &samples[i + 1];
        let ratio = ratio_median(s, base);
        if i < 3 {
            println!(
                "micro/{name}: {:.0} ns per call vs epoll_wait(0) {:.0} ns: ratio {ratio:.2}x (derived goal <= {GOAL}x) {}",
                median(s),
                median(base),
                verdict(ratio <= GOAL)
            );
        } else {
            println!(
                "micro/{name} (info): {:.0} ns per pair vs epoll_wait(0) {:.0} ns: ratio {ratio:.2}x",
                median(s),
                median(base)
            );
        }
    }
}
