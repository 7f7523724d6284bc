//! Benchmark 4: scale. One active pair doing the ping-pong of benchmark 1 while 0, 1,000 and
//! 10,000 idle connected sockets are open, all selected (each on its own event, as a Winsock
//! program does). Goals:
//! * round-trip cost with 10,000 idle ≤ 1.1× with none (cost is O(ready), not O(sockets));
//! * memory per socket beyond the OS socket (RSS growth over 10,000 sockets / 10,000)
//!   ≤ 512 bytes. Kernel socket memory is not in RSS; the raw-mio figure beside it shows
//!   what merely holding 10,000 registered mio streams costs.
//!
//! Each round measures 0 idle, builds 1,000 idle sockets and measures, builds up to 10,000
//! and measures, then closes them: the three levels alternate within every round, and the
//! ratio is the median of the per-round ratios. The idle sockets are 5,000 loopback
//! connections whose both ends are library sockets; they close with `SO_LINGER {1, 0}` so
//! that rounds leave no TIME_WAIT behind.
//!
//! `cargo bench --bench scale`

// Built as a libtest harness (Cargo's default) when the manifest lacks this bench's
// `harness = false` entry: `main` is then unused, which must not fail `clippy -D warnings`.
#![cfg_attr(test, allow(dead_code))]

mod common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::*;
use mio::{Interest, Poll, Token};
use wsaevents::{Event, Socket};

const GOAL_TIME: f64 = 1.1;
const GOAL_BYTES: f64 = 512.0;

/// Idle sockets, all selected, each with its own event.
#[derive(Default)]
struct Idle {
    socks: Vec<Socket>,
    events: Vec<Event>,
}

impl Idle {
    fn len(&self) -> usize {
        self.socks.len()
    }

    /// Adds connected pairs until `target` sockets are open.
    fn grow_to(&mut self, listener: &Socket, target: usize) {
        self.socks.reserve(target.saturating_sub(self.socks.len()));
        self.events
            .reserve(target.saturating_sub(self.events.len()));
        while self.socks.len() + 2 <= target {
            let (c, s) = lib_pair(listener);
            for x in [c, s] {
                let e = Event::new_manual(false);
                x.event_select(&e, mask()).expect("event_select");
                // Consume the initial FD_WRITE: the socket is idle from here on.
                x.enum_network_events(Some(&e)).expect("enum");
                self.socks.push(x);
                self.events.push(e);
            }
        }
    }

    fn close_all(&mut self) {
        for s in self.socks.drain(..) {
            let _ = s.set_linger(Some(Duration::ZERO));
            drop(s);
        }
        self.events.clear();
    }
}

/// RSS growth per socket of 10,000 raw mio streams registered with one `Poll` (5,000
/// loopback connections, both ends held).
fn mio_bytes_per_socket(count: usize) -> Option<f64> {
    let l = TcpListener::bind(lo()).expect("bind");
    let poll = Poll::new().expect("poll");
    let before = rss_bytes()?;
    let mut v = Vec::with_capacity(count);
    while v.len() + 2 <= count {
        let (c, s) = mio_pair(&l);
        for mut x in [c, s] {
            poll.registry()
                .register(
                    &mut x,
                    Token(v.len()),
                    Interest::READABLE | Interest::WRITABLE,
                )
                .expect("register");
            v.push(x);
        }
    }
    let after = rss_bytes()?;
    for x in &v {
        let _ = socket2::SockRef::from(x).set_linger(Some(Duration::ZERO));
    }
    drop(v);
    Some((after.saturating_sub(before)) as f64 / count as f64)
}

fn main() {
    let mode = Mode::from_args();
    print_header("scale", mode);
    let levels: [usize; 3] = mode.pick([0, 1_000, 10_000], [0, 20, 200]);
    let n: u64 = mode.pick(20_000, 200);
    let rounds = mode.pick(9, 1);
    let top = levels[2];
    let nofile = raise_nofile();
    assert!(
        nofile as usize > top + 64,
        "the open-file limit ({nofile}) is too low for {top} sockets"
    );

    // Memory first, while the heap is fresh: raw mio, then the library's first build.
    let mio_bps = mio_bytes_per_socket(top);

    let listener = lib_listener(1024);
    let active = LibPingPong::new(&listener);
    active.run(n / 4); // warm-up
    let mut idle = Idle::default();
    let mut lib_bps = None;
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); levels.len()];
    let mut build = Duration::ZERO;
    for round in 0..rounds {
        let rss0 = rss_bytes();
        for (li, &level) in levels.iter().enumerate() {
            let t = Instant::now();
            idle.grow_to(&listener, level);
            build += t.elapsed();
            assert_eq!(idle.len(), level);
            let ns = active.run(n).as_nanos() as f64 / n as f64;
            times[li].push(ns);
        }
        if round == 0 {
            lib_bps = match (rss0, rss_bytes()) {
                (Some(a), Some(b)) => Some(b.saturating_sub(a) as f64 / top as f64),
                _ => None,
            };
        }
        idle.close_all();
    }

    println!(
        "   {rounds} rounds; each level measured once per round with {n} round trips; building the idle sockets took {:.1} s in all",
        build.as_secs_f64()
    );
    for (li, &level) in levels.iter().enumerate() {
        println!(
            "   {level:>6} idle: {:.0} ns/rt median ({:.0}..{:.0})",
            median(&times[li]),
            min(&times[li]),
            max(&times[li])
        );
    }
    for li in 1..levels.len() {
        let ratio = ratio_median(&times[li], &times[0]);
        let label = format!("scale/time-{}-idle", levels[li]);
        if li == levels.len() - 1 {
            println!(
                "{label}: {:.0} ns/rt vs {:.0} ns/rt with none: ratio {ratio:.3}x (goal <= {GOAL_TIME}x) {}",
                median(&times[li]),
                median(&times[0]),
                verdict(ratio <= GOAL_TIME)
            );
        } else {
            println!(
                "{label}: {:.0} ns/rt vs {:.0} ns/rt with none: ratio {ratio:.3}x (goal for 10,000: <= {GOAL_TIME}x) {}",
                median(&times[li]),
                median(&times[0]),
                verdict(ratio <= GOAL_TIME)
            );
        }
    }
    match (lib_bps, mio_bps) {
        (Some(l), Some(m)) => println!(
            "scale/memory: library {l:.0} bytes/socket (RSS growth over {top} selected sockets with their events), raw mio {m:.0} bytes/socket, difference {:.0} (goal library <= {GOAL_BYTES} bytes) {}",
            l - m,
            verdict(l <= GOAL_BYTES)
        ),
        _ => println!("scale/memory: RSS not readable on this OS (no /proc/self/statm): SKIPPED"),
    }
}
