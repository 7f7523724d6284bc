//! Benchmark: one-thread overlapped ping-pong over two connected loopback sockets, 1-byte
//! round trips, the overlapped Winsock loop: each socket keeps one `WSARecv` pending with an
//! event in its `OVERLAPPED`; `WSAWaitForMultipleEvents` over both events, the result
//! (`WSAGetOverlappedResult`), an overlapped `WSASend` of the byte, and the next `WSARecv`.
//! Against, in the same process and rotating rounds: the event-select ping-pong of
//! `benches/pingpong.rs` (the library's other shape) and the hand-written edge-triggered mio
//! loop (the baseline). Information, no goal: the overlapped shape does more per round trip
//! (two operations issued, each completed and announced).
//!
//! A second part does the same through the C ABI (Linux): `benches/c/pingpong_overlapped.c`
//! (the overlapped loop in C: `WSARecv` into the caller's buffer, `WSAGetOverlappedResult`)
//! and `benches/c/pingpong.c` (benchmark 2's event-select loop), each built with
//! `benches/c/pingpong_epoll.c` (raw epoll and the driver), which alternates it with epoll in
//! one process; the ratios to epoll are printed.
//!
//! `cargo bench --bench overlapped`
//!
//! For profilers: `WSAEVENTS_BENCH_ONLY=overlapped` (or `event-select`, `mio`) runs that side
//! alone, round after round.

#![cfg_attr(test, allow(dead_code))]

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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
    c_part(n, rounds);
}

/// The C part (see the module docs): `(overlapped / epoll, event-select / epoll)` medians.
fn c_part(n: u64, rounds: usize) {
    if !cfg!(target_os = "linux") {
        println!("overlapped/c-abi: SKIPPED (the baseline is epoll: Linux only)");
        return;
    }
    let exe = std::env::current_exe().expect("current_exe");
    let deps = exe.parent().expect("deps");
    let Some(lib) = [deps.join("libwsaevents.a"), deps.join("../libwsaevents.a")]
        .into_iter()
        .find(|p| p.exists())
    else {
        println!("overlapped/c-abi: SKIPPED (libwsaevents.a not found next to this binary)");
        return;
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench_overlapped");
    std::fs::create_dir_all(&dir).expect("create the output directory");
    let mut ratios = Vec::new();
    for (name, src) in [
        ("overlapped", "pingpong_overlapped.c"),
        ("event-select", "pingpong.c"),
    ] {
        let out = dir.join(name);
        if let Err(e) = build_c(&lib, src, &out) {
            println!("overlapped/c-abi: SKIPPED (could not build the C programs)\n{e}");
            return;
        }
        let text = run_c(&out, n, rounds);
        let (mut w, mut e) = (Vec::new(), Vec::new());
        for line in text.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            if let ["round", _, "wsa", a, "epoll", b] = f[..] {
                w.push(a.parse::<f64>().expect("wsa rate"));
                e.push(b.parse::<f64>().expect("epoll rate"));
            }
        }
        assert_eq!(w.len(), rounds, "unexpected output:\n{text}");
        println!(
            "   C {name}: {rounds} alternating rounds of {n} round trips; Winsock C ABI {:.0}..{:.0} rt/s, raw epoll {:.0}..{:.0} rt/s",
            min(&w),
            max(&w),
            min(&e),
            max(&e)
        );
        ratios.push((name, median(&w), ratio_median(&w, &e)));
    }
    for (name, rate, ratio) in ratios {
        println!(
            "overlapped/c-abi-{name}: {rate:.0} rt/s ({:.2} us/rt), {ratio:.3}x raw epoll in C (information)",
            1e6 / rate
        );
    }
}

fn build_c(lib: &Path, src: &str, out: &Path) -> Result<(), String> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let o = Command::new(&cc)
        .args(["-O2", "-x", "c", "-I"])
        .arg(repo.join("include"))
        .arg(repo.join("benches/c").join(src))
        .arg(repo.join("benches/c/pingpong_epoll.c"))
        .args(["-x", "none", "-o"])
        .arg(out)
        .arg("-pthread")
        .arg(lib)
        .args(["-lpthread", "-ldl", "-lm", "-lrt", "-lutil"])
        .output()
        .map_err(|e| format!("cannot run {cc}: {e}"))?;
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cc} failed:\n{}",
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

/// Runs the C program (bounded: killed after two minutes); returns its output.
fn run_c(exe: &Path, n: u64, rounds: usize) -> String {
    let child = Command::new(exe)
        .arg(n.to_string())
        .arg(rounds.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the C ping-pong");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let o = match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(o) => o.expect("wait for the C ping-pong"),
        Err(_) => {
            // Our own child, by its id.
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("the C ping-pong did not finish in time");
        }
    };
    assert!(o.status.success(), "the C ping-pong failed: {}", o.status);
    String::from_utf8_lossy(&o.stdout).into_owned()
}
