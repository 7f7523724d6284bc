//! Benchmark: one-thread completion-port ping-pong over two connected loopback sockets,
//! 1-byte round trips, the IOCP Winsock loop: both sockets associated with one port (keys 0
//! and 1), each with one overlapped receive pending; `GetQueuedCompletionStatus` gives the
//! socket whose byte arrived, which sends it on and issues its next receive. Against, in the
//! same process and rotating rounds: the event-select ping-pong of `benches/pingpong.rs` and
//! the hand-written edge-triggered mio loop (the baseline). Information, no goal: a round trip
//! here is an operation issued, completed, packeted and dequeued per hop.
//!
//! `cargo bench --bench iocp`

#![cfg_attr(test, allow(dead_code))]

mod common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::*;
use mio::Interest;
use wsaevents::iocp::{self, CompletionPort};
use wsaevents::overlapped::{OpKind, Overlapped};
use wsaevents::{MsgFlags, Socket};

struct IocpPingPong {
    port: CompletionPort,
    socks: [Socket; 2],
}

impl IocpPingPong {
    fn new(listener: &Socket) -> IocpPingPong {
        let (c, s) = lib_pair(listener);
        let port = CompletionPort::new(1);
        port.associate(&c, 0).expect("associate");
        port.associate(&s, 1).expect("associate");
        IocpPingPong {
            port,
            socks: [c, s],
        }
    }

    fn recv(&self, i: usize) -> Overlapped {
        iocp::issue(
            &self.socks[i],
            OpKind::Recv(MsgFlags::default()),
            Box::new(vec![0u8; 64]),
            Vec::new(),
            i + 1,
            0,
        )
        .expect("recv")
        .0
    }

    fn run(&self, n: u64) -> Duration {
        let mut ops = [self.recv(0), self.recv(1)];
        let mut done = 0u64;
        let t0 = Instant::now();
        self.socks[0].send(&[1]).expect("send");
        while done < n {
            let p = self
                .port
                .get(Some(LONG))
                .expect("get")
                .unwrap_or_else(|| panic!("ping-pong stalled after {done} round trips"));
            let i = p.key;
            assert_eq!(p.bytes, 1, "one byte per hop");
            if i == 0 {
                done += 1;
            }
            ops[i] = self.recv(i);
            if done < n || i == 1 {
                self.socks[i].send(&[1]).expect("send");
            }
        }
        let d = t0.elapsed();
        // The last byte the server echoed is in flight to the client: take it, and leave
        // both receives cancelled for the next round.
        for (s, op) in self.socks.iter().zip(&ops) {
            let _ = s.cancel_overlapped(wsaevents::CancelFilter::All);
            let _ = op.wait(Some(LONG));
        }
        while self
            .port
            .get(Some(Duration::from_millis(50)))
            .expect("get")
            .is_some()
        {}
        let mut buf = [0u8; 64];
        let _ = self.socks[0].set_nonblocking(true);
        while self.socks[0].recv(&mut buf).is_ok() {}
        let _ = self.socks[0].set_nonblocking(false);
        d
    }
}

fn main() {
    let mode = Mode::from_args();
    print_header("iocp", mode);
    let n: u64 = mode.pick(20_000, 200);
    let rounds = mode.pick(11, 2);

    let listener = lib_listener(8);
    let ports = IocpPingPong::new(&listener);
    let events = LibPingPong::new(&listener);
    let std_listener = TcpListener::bind(lo()).expect("bind");
    let mut base = MioPingPong::new(&std_listener, Interest::READABLE | Interest::WRITABLE);

    let s = alternate_many(
        rounds,
        &mut [
            &mut || rate(n, ports.run(n)),
            &mut || rate(n, events.run(n)),
            &mut || rate(n, base.run(n)),
        ],
    );
    let (p, e, b) = (&s[0], &s[1], &s[2]);
    let (pm, em, bm) = (median(p), median(e), median(b));
    println!(
        "   {rounds} rotating rounds of {n} round trips; port {:.0}..{:.0} rt/s, event-select {:.0}..{:.0} rt/s, mio {:.0}..{:.0} rt/s",
        min(p),
        max(p),
        min(e),
        max(e),
        min(b),
        max(b)
    );
    println!(
        "iocp/1-thread (info): completion port {pm:.0} rt/s ({:.2} us/rt), event-select {em:.0} rt/s, raw mio {bm:.0} rt/s: port/mio {:.3}x, port/event-select {:.3}x",
        1e6 / pm,
        ratio_median(p, b),
        ratio_median(p, e)
    );
}
