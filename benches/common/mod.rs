//! Shared by the benchmarks: the alternating-rounds harness, loopback pairs for the library
//! and for raw mio, the one-thread ping-pong loops, and machine facts.
//!
//! Every benchmark here runs the library and its baseline in the **same process,
//! alternating** round by round, and reports the median of the per-round ratios, so that a
//! noisy (shared, 2-core) machine moves both sides alike instead of deciding the answer.
//!
//! `cargo bench --bench NAME` passes `--bench` to the binary: full run. Without it (as under
//! `cargo test --all-targets`, which builds and runs bench targets too) each benchmark does a
//! short smoke run with tiny counts, so CI checks that the code works without spending a
//! minute per benchmark.
#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use mio::net::TcpStream as MioStream;
use mio::{Events, Interest, Poll, Token};
use wsaevents::error::WSAEWOULDBLOCK;
use wsaevents::{Event, NetworkEvents as Fd, Socket, WaitOutcome, wait_any};

/// Bound on every wait that is expected to succeed: nothing in a benchmark blocks forever.
pub const LONG: Duration = Duration::from_secs(10);

/// The events every benchmark socket selects (what a Winsock program asks for).
pub fn mask() -> Fd {
    Fd::READ | Fd::WRITE | Fd::CLOSE
}

/// Full run (`cargo bench`) or smoke run (`cargo test`).
#[derive(Clone, Copy, Debug)]
pub struct Mode {
    pub full: bool,
}

impl Mode {
    pub fn from_args() -> Mode {
        let full = std::env::args().any(|a| a == "--bench");
        Mode { full }
    }

    /// `full` under `cargo bench`, `smoke` otherwise.
    pub fn pick<T>(self, full: T, smoke: T) -> T {
        if self.full { full } else { smoke }
    }

    pub fn name(self) -> &'static str {
        if self.full {
            "full"
        } else {
            "smoke (no --bench)"
        }
    }
}

/// One line describing the machine, printed at the top of every benchmark.
pub fn print_header(bench: &str, mode: Mode) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let ncpu = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into());
    println!("== bench {bench} [{}]", mode.name());
    println!("   machine: {ncpu} CPUs, {cpu}, load average (1 min) {load}");
}

/// Median of a non-empty sample.
pub fn median(v: &[f64]) -> f64 {
    assert!(!v.is_empty());
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

pub fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

pub fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// `PASS` or `MISS`.
pub fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "MISS" }
}

/// Runs `rounds` alternating rounds of `lib` then `base` (after one unrecorded warm-up of
/// each) and returns both samples. Odd rounds run the baseline first, so neither side always
/// follows the other.
pub fn alternate(
    rounds: usize,
    mut lib: impl FnMut() -> f64,
    mut base: impl FnMut() -> f64,
) -> (Vec<f64>, Vec<f64>) {
    lib();
    base();
    let (mut l, mut b) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for r in 0..rounds {
        if r % 2 == 0 {
            l.push(lib());
            b.push(base());
        } else {
            b.push(base());
            l.push(lib());
        }
    }
    (l, b)
}

/// [`alternate`] for any number of sides: each round runs every side once, starting from a
/// different side each round (rotation). Returns one sample per side.
pub fn alternate_many(rounds: usize, sides: &mut [&mut dyn FnMut() -> f64]) -> Vec<Vec<f64>> {
    for s in sides.iter_mut() {
        s();
    }
    let n = sides.len();
    let mut out = vec![Vec::with_capacity(rounds); n];
    for r in 0..rounds {
        for k in 0..n {
            let i = (k + r) % n;
            out[i].push(sides[i]());
        }
    }
    out
}

/// The median of the per-round ratios `a[i] / b[i]`.
pub fn ratio_median(a: &[f64], b: &[f64]) -> f64 {
    let r: Vec<f64> = a.iter().zip(b).map(|(x, y)| x / y).collect();
    median(&r)
}

/// Resident set size now, in bytes (Linux `/proc/self/statm`; `None` elsewhere).
pub fn rss_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = s.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * page.max(1) as u64)
}

/// Raises the soft open-file limit to the hard one; returns the soft limit in force.
pub fn raise_nofile() -> u64 {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit with a valid, initialised rlimit.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) != 0 {
            return 0;
        }
        if r.rlim_cur < r.rlim_max {
            let want = libc::rlimit {
                rlim_cur: r.rlim_max,
                rlim_max: r.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &want) == 0 {
                r = want;
            }
        }
    }
    r.rlim_cur
}

/// Pins the calling thread (and the threads it spawns from now on) to `cpu`, or, with
/// `None`, lets it run on every online CPU again. Returns false where this is not supported.
pub fn pin_to(cpu: Option<usize>) -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: cpu_set_t is plain data; CPU_ZERO/CPU_SET write within it, and
        // sched_setaffinity reads exactly size_of::<cpu_set_t>() bytes from it.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_ZERO(&mut set);
            match cpu {
                Some(c) => libc::CPU_SET(c, &mut set),
                None => {
                    let n = libc::sysconf(libc::_SC_NPROCESSORS_ONLN).max(1) as usize;
                    for c in 0..n {
                        libc::CPU_SET(c, &mut set);
                    }
                }
            }
            libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = cpu;
        false
    }
}

pub fn lo() -> SocketAddr {
    (Ipv4Addr::LOCALHOST, 0).into()
}

// ------------------------------------------------------------------------------------------
// Loopback pairs

/// A bound, listening library socket on loopback.
pub fn lib_listener(backlog: i32) -> Socket {
    let l = Socket::tcp_v4().expect("socket");
    l.bind(lo()).expect("bind");
    l.listen(backlog).expect("listen");
    l
}

/// A connected library pair `(client, server)` through `listener` (blocking connect, then
/// accept), both with `TCP_NODELAY`, neither selected yet.
pub fn lib_pair(listener: &Socket) -> (Socket, Socket) {
    let c = Socket::tcp_v4().expect("socket");
    c.connect(listener.local_addr().expect("addr"))
        .expect("connect");
    let (s, _) = listener.accept().expect("accept");
    c.set_nodelay(true).expect("nodelay");
    s.set_nodelay(true).expect("nodelay");
    (c, s)
}

/// A connected std pair `(client, server)`, both non-blocking with `TCP_NODELAY`.
pub fn std_pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
    let c = TcpStream::connect(listener.local_addr().expect("addr")).expect("connect");
    let (s, _) = listener.accept().expect("accept");
    for x in [&c, &s] {
        x.set_nodelay(true).expect("nodelay");
        x.set_nonblocking(true).expect("nonblocking");
    }
    (c, s)
}

/// A connected raw mio pair.
pub fn mio_pair(listener: &TcpListener) -> (MioStream, MioStream) {
    let (c, s) = std_pair(listener);
    (MioStream::from_std(c), MioStream::from_std(s))
}

// ------------------------------------------------------------------------------------------
// One-thread ping-pong: the loops of benchmark 1 (and of the active pair of benchmark 4)

/// The library side: two connected sockets, each selected on its own manual-reset event for
/// FD_READ|FD_WRITE|FD_CLOSE.
pub struct LibPingPong {
    socks: [Socket; 2],
    events: [Event; 2],
}

impl LibPingPong {
    pub fn new(listener: &Socket) -> LibPingPong {
        let (c, s) = lib_pair(listener);
        let events = [Event::new_manual(false), Event::new_manual(false)];
        let socks = [c, s];
        for (s, e) in socks.iter().zip(&events) {
            s.event_select(e, mask()).expect("event_select");
        }
        let p = LibPingPong { socks, events };
        // The initial FD_WRITE of each socket.
        for (s, e) in p.socks.iter().zip(&p.events) {
            s.enum_network_events(Some(e)).expect("enum");
        }
        p
    }

    /// `n` one-byte round trips, the Winsock way: `WSAWaitForMultipleEvents` over both
    /// events, `WSAEnumNetworkEvents` on the signalled socket, `recv`, and `send` (the server
    /// echoes; the client sends the next byte). Returns the elapsed time.
    pub fn run(&self, n: u64) -> Duration {
        let evs = [&self.events[0], &self.events[1]];
        let mut buf = [0u8; 64];
        let mut done = 0u64;
        let t0 = Instant::now();
        self.socks[0].send(&[1]).expect("send");
        while done < n {
            let i = match wait_any(&evs, Some(LONG)).expect("wait") {
                WaitOutcome::Signaled(i) => i,
                _ => panic!("ping-pong stalled after {done} round trips"),
            };
            let s = &self.socks[i];
            let rec = s.enum_network_events(Some(evs[i])).expect("enum");
            if !rec.events().contains(Fd::READ) {
                continue;
            }
            let k = match s.recv(&mut buf) {
                Ok(k) => k,
                Err(e) if e.code() == WSAEWOULDBLOCK => continue,
                Err(e) => panic!("recv: {e}"),
            };
            assert!(k > 0, "peer closed");
            if i == 1 {
                s.send(&buf[..k]).expect("send");
            } else {
                done += 1;
                if done < n {
                    s.send(&buf[..k]).expect("send");
                }
            }
        }
        t0.elapsed()
    }
}

/// The baseline: the same two sockets in a hand-written mio loop, edge-triggered, registered
/// for readable and writable as the library registers them, the same `recv` (one call per
/// readable event with a 64-byte buffer: a short read means the queue is empty, the rule
/// the library's `recv` uses) and the same `send`.
pub struct MioPingPong {
    poll: Poll,
    events: Events,
    socks: [MioStream; 2],
}

impl MioPingPong {
    /// `interest`: `READABLE | WRITABLE` is the like-for-like baseline (the library
    /// registers both, since FD_WRITE can be selected); `READABLE` alone is what a loop that
    /// never waits for room would register.
    pub fn new(listener: &TcpListener, interest: Interest) -> MioPingPong {
        let (c, s) = mio_pair(listener);
        let poll = Poll::new().expect("poll");
        let mut socks = [c, s];
        for (i, s) in socks.iter_mut().enumerate() {
            poll.registry()
                .register(s, Token(i), interest)
                .expect("register");
        }
        let mut p = MioPingPong {
            poll,
            events: Events::with_capacity(64),
            socks,
        };
        // The initial writable edges.
        p.poll
            .poll(&mut p.events, Some(Duration::from_millis(10)))
            .expect("poll");
        p
    }

    pub fn run(&mut self, n: u64) -> Duration {
        let mut buf = [0u8; 64];
        let mut done = 0u64;
        let t0 = Instant::now();
        (&self.socks[0]).write_all(&[1]).expect("send");
        while done < n {
            self.poll.poll(&mut self.events, Some(LONG)).expect("poll");
            assert!(
                !self.events.is_empty(),
                "mio ping-pong stalled after {done}"
            );
            for ev in self.events.iter() {
                if !ev.is_readable() {
                    continue;
                }
                let i = ev.token().0;
                let mut s = &self.socks[i];
                let k = match s.read(&mut buf) {
                    Ok(k) => k,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                    Err(e) => panic!("recv: {e}"),
                };
                assert!(k > 0, "peer closed");
                if i == 1 {
                    s.write_all(&buf[..k]).expect("send");
                } else {
                    done += 1;
                    if done < n {
                        s.write_all(&buf[..k]).expect("send");
                    }
                }
            }
        }
        t0.elapsed()
    }
}

/// Round trips per second.
pub fn rate(n: u64, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}
