//! Benchmark: the simulated network (`wsaevents::sim`, issue 14) against loopback.
//!
//! 1. One-thread ping-pong, the library's Winsock loop (`event_select`, `wait_any`,
//!    `enum_network_events`, `recv`, `send`) on a simulated network against the same loop
//!    on real loopback, alternating rounds in one process. Goal: simulated ≥ 10× loopback's
//!    round trips per second.
//! 2. 10,000 simulated connections opened (blocking connect, accept), used (one byte each
//!    way) and closed, one after the other. Goal: under a second.
//!
//! The trace is off in both (it formats a line per call); `docs/benchmarks.md` has the
//! numbers.
//!
//! `cargo bench --bench sim`
//!
//! For profilers: `WSAEVENTS_BENCH_ONLY=sim` (or `loopback`) runs that side of the
//! ping-pong alone, round after round (`WSAEVENTS_BENCH_N` round trips each), and prints
//! its rate (e.g. under `valgrind --tool=callgrind`).

#![cfg_attr(test, allow(dead_code))]

mod common;

use std::time::Instant;

use common::*;
use wsaevents::Socket;
use wsaevents::sim::Network;

const GOAL: f64 = 10.0;
const CONNECTIONS_GOAL_SECS: f64 = 1.0;

fn main() {
    let mode = Mode::from_args();
    print_header("sim", mode);
    let n: u64 = std::env::var("WSAEVENTS_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(mode.pick(25_000, 200));
    let rounds = mode.pick(11, 2);

    let net = Network::new(1);
    net.set_trace(false);
    let host = net.host("bench", &["10.0.0.1".parse().unwrap()]);
    let sim = host.enter(|| LibPingPong::new(&lib_listener(8)));
    let real = LibPingPong::new(&lib_listener(8));

    if let Ok(only) = std::env::var("WSAEVENTS_BENCH_ONLY") {
        for _ in 0..rounds {
            let r = match only.as_str() {
                "sim" => host.enter(|| rate(n, sim.run(n))),
                "loopback" => rate(n, real.run(n)),
                other => panic!("WSAEVENTS_BENCH_ONLY={other}: expected sim or loopback"),
            };
            println!("sim/only-{only}: {r:.0} rt/s ({n} round trips)");
        }
        return;
    }

    let s = alternate_many(
        rounds,
        &mut [&mut || host.enter(|| rate(n, sim.run(n))), &mut || {
            rate(n, real.run(n))
        }],
    );
    let (sm, rm) = (median(&s[0]), median(&s[1]));
    let ratio = ratio_median(&s[0], &s[1]);
    println!(
        "sim/pingpong: simulated {sm:.0} rt/s ({:.2} us/rt), loopback {rm:.0} rt/s ({:.2} us/rt): ratio {ratio:.2}x (goal >= {GOAL}x) {}",
        1e6 / sm,
        1e6 / rm,
        verdict(ratio >= GOAL)
    );

    let conns = mode.pick(10_000, 100);
    let net = Network::new(2);
    net.set_trace(false);
    let a = net.host("a", &["10.0.0.1".parse().unwrap()]);
    let b = net.host("b", &["10.0.0.2".parse().unwrap()]);
    let l = b.enter(|| {
        let l = Socket::tcp_v4().expect("socket");
        l.bind("10.0.0.2:80".parse().unwrap()).expect("bind");
        l.listen(16).expect("listen");
        l
    });
    let t0 = Instant::now();
    a.enter(|| {
        let mut buf = [0u8; 4];
        for _ in 0..conns {
            let c = Socket::tcp_v4().expect("socket");
            c.connect("10.0.0.2:80".parse().unwrap()).expect("connect");
            let (s, _) = l.accept().expect("accept");
            c.send(b"x").expect("send");
            assert_eq!(s.recv(&mut buf).expect("recv"), 1);
            s.send(b"y").expect("send");
            assert_eq!(c.recv(&mut buf).expect("recv"), 1);
            c.close().expect("close");
            assert_eq!(s.recv(&mut buf).expect("recv"), 0);
            s.close().expect("close");
        }
    });
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "sim/connections: {conns} simulated connections opened, used and closed in {secs:.3} s ({:.1} us each; virtual time {:?}; {} sockets left) (goal < {CONNECTIONS_GOAL_SECS} s for 10000) {}",
        secs * 1e6 / conns as f64,
        net.now(),
        net.live_sockets(),
        verdict(secs * 10_000.0 / conns as f64 <= CONNECTIONS_GOAL_SECS)
    );
}
