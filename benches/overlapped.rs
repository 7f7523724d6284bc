//! Benchmark: one-thread overlapped ping-pong over two connected loopback sockets, 1-byte
//! round trips, the overlapped Winsock loop: each socket keeps one `WSARecv` pending with an
//! event in its `OVERLAPPED`; `WSAWaitForMultipleEvents` over both events, the result
//! (`WSAGetOverlappedResult`), an overlapped `WSASend` of the byte, and the next `WSARecv`.
//! Against, in the same process and rotating rounds: the event-select ping-pong of
//! `benches/pingpong.rs` (the library's other shape) and the hand-written edge-triggered mio
//! loop (the baseline). Information, no goal: the overlapped shape does more per round trip
//! (two operations issued, each completed and announced).
//!
//! `cargo bench --bench overlapped`
//!
//! For profilers: `WSAEVENTS_BENCH_ONLY=overlapped` (or `event-select`, `mio`) runs that side
//! alone, round after round.

#![cfg_attr(test, allow(dead_code))]

mod common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::*;
use mio::Interest;
use wsaevents::{Event, MsgFlags, Notify, Overlapped, Socket, WaitOutcome, wait_any};

/// The overlapped side: two connected sockets, each with one receive pending.
struct OverlappedPingPong {
    socks: [Socket; 2],
    events: [Event; 2],
}

impl OverlappedPingPong {
    fn new(listener: &Socket) -> OverlappedPingPong {
        let (c, s) = lib_pair(listener);
        OverlappedPingPong {
            socks: [c, s],
            events: [Event::new_manual(false), Event::new_manual(false)],
        }
    }

    fn recv(&self, i: usize, buf: Vec<u8>) -> Overlapped {
        self.socks[i]
            .recv_overlapped(
                buf,
                MsgFlags::default(),
                vec![Notify::Event(self.events[i].clone())],
            )
            .expect("recv_overlapped")
    }

    fn send(&self, i: usize, byte: u8) {
        let op = self.socks[i]
            .send_overlapped(vec![byte], Vec::new())
            .expect("send_overlapped");
        // One byte always fits: the send completes at once.
        assert_eq!(op.result().expect("send").bytes, 1);
    }

    fn run(&self, n: u64) -> Duration {
        let evs = [&self.events[0], &self.events[1]];
        let mut ops = [self.recv(0, vec![0; 64]), self.recv(1, vec![0; 64])];
        let mut done = 0u64;
        let t0 = Instant::now();
        self.send(0, 1);
        while done < n {
            let i = match wait_any(&evs, Some(LONG)).expect("wait") {
                WaitOutcome::Signaled(i) => i,
                _ => panic!("overlapped ping-pong stalled after {done} round trips"),
            };
            let r = match ops[i].result() {
                Ok(r) => r,
                Err(e) if e.code() == 996 => continue,
                Err(e) => panic!("recv: {e}"),
            };
            assert!(r.bytes > 0, "peer closed");
            let buf = ops[i].take_buffer().expect("buffer");
            let byte = buf[0];
            ops[i] = self.recv(i, buf);
            if i == 1 {
                self.send(1, byte);
            } else {
                done += 1;
                if done < n {
                    self.send(0, byte);
                }
            }
        }
        // The last pending receives are cancelled, so the next round starts clean.
        for (s, op) in self.socks.iter().zip(&ops) {
            s.cancel_overlapped(wsaevents::CancelFilter::Id(op.id()))
                .expect("cancel");
        }
        t0.elapsed()
    }
}

fn main() {
    let mode = Mode::from_args();
    print_header("overlapped", mode);
    let n: u64 = mode.pick(25_000, 200);
    let rounds = mode.pick(21, 2);

    let listener = lib_listener(8);
    let ov = OverlappedPingPong::new(&listener);
    let es = LibPingPong::new(&listener);
    let std_listener = TcpListener::bind(lo()).expect("bind");
    let mut base = MioPingPong::new(&std_listener, Interest::READABLE | Interest::WRITABLE);

    if let Ok(only) = std::env::var("WSAEVENTS_BENCH_ONLY") {
        // For profilers: one side alone, round after round.
        for _ in 0..rounds {
            let r = match only.as_str() {
                "overlapped" => rate(n, ov.run(n)),
                "event-select" => rate(n, es.run(n)),
                "mio" => rate(n, base.run(n)),
                other => panic!("WSAEVENTS_BENCH_ONLY={other}: overlapped, event-select or mio"),
            };
            println!("overlapped/only-{only}: {r:.0} rt/s ({n} round trips)");
        }
        return;
    }

    let s = alternate_many(
        rounds,
        &mut [
            &mut || rate(n, ov.run(n)),
            &mut || rate(n, es.run(n)),
            &mut || rate(n, base.run(n)),
        ],
    );
    let (o, e, b) = (&s[0], &s[1], &s[2]);
    let (om, em, bm) = (median(o), median(e), median(b));
    println!(
        "   {rounds} rotating rounds of {n} round trips; overlapped {:.0}..{:.0} rt/s, event-select {:.0}..{:.0} rt/s, mio {:.0}..{:.0} rt/s",
        min(o),
        max(o),
        min(e),
        max(e),
        min(b),
        max(b)
    );
    println!(
        "overlapped/1-thread: overlapped {om:.0} rt/s ({:.2} us/rt), event-select {em:.0} rt/s ({:.2} us/rt), raw mio {bm:.0} rt/s ({:.2} us/rt): overlapped/mio {:.3}x, overlapped/event-select {:.3}x (information)",
        1e6 / om,
        1e6 / em,
        1e6 / bm,
        ratio_median(o, b),
        ratio_median(o, e)
    );
}
