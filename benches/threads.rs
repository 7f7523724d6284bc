//! Benchmark 5: many threads. 1,024 loopback connections served by 16 threads, each
//! waiting on the 64 events of its 64 sockets (the classic Winsock server shape), echoing
//! 64-byte messages, against a raw mio server with 16 threads (one `Poll` each, 64
//! connections each, edge-triggered). Goals: library ≥ 0.8× the baseline's throughput, and
//! no thread starves (the spread of per-thread throughput is reported; a thread below half
//! the mean counts as starved).
//!
//! The clients are the same for both servers: 2 threads of raw mio, each keeping one
//! 64-byte message in flight on each of its 512 connections. Both servers stay up for the
//! whole run; each round drives one of them for a fixed window, rotating among:
//! * **lib/classic**: the loop of the classic samples: `i = WSAWaitForMultipleEvents(64)`,
//!   then for each `j ≥ i` a zero-timeout `WSAWaitForMultipleEvents(1, &ev[j])` and, if
//!   signalled, `WSAEnumNetworkEvents` + `recv`/`send`;
//! * **lib/is-set scan**: the same loop testing `ev[j]` with `Event::is_set` (no wait call);
//! * **mio**: the baseline.
//!
//! `cargo bench --bench threads`
//!
//! For profilers: `WSAEVENTS_BENCH_ONLY=classic` (or `is-set`, `mio`) drives that server
//! alone, round after round.

// Built as a libtest harness (Cargo's default) when the manifest lacks this bench's
// `harness = false` entry: `main` is then unused, which must not fail `clippy -D warnings`.
#![cfg_attr(test, allow(dead_code))]

mod common;

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use common::*;
use mio::net::TcpStream as MioStream;
use mio::{Events, Interest, Poll, Token};
use wsaevents::error::WSAEWOULDBLOCK;
use wsaevents::{Event, NetworkEvents as Fd, Socket, WaitOutcome, wait_any};

const GOAL: f64 = 0.8;
const MSG: usize = 64;
const CLIENT_THREADS: usize = 2;

const SHAPE_CLASSIC: u8 = 0;
const SHAPE_IS_SET: u8 = 1;

/// How often an idle server thread wakes to look at the stop flag.
const IDLE_TICK: Duration = Duration::from_millis(50);

#[derive(Clone, Copy)]
struct Cfg {
    threads: usize,
    per: usize,
    window: Duration,
    rounds: usize,
}

impl Cfg {
    fn conns(&self) -> usize {
        self.threads * self.per
    }
}

/// Things a server saw that an echo server on loopback should never see.
static ANOMALIES: AtomicU64 = AtomicU64::new(0);

fn anomaly() {
    ANOMALIES.fetch_add(1, Ordering::Relaxed);
}

// ------------------------------------------------------------------------------------------
// The library server

fn lib_send_all(s: &Socket, mut b: &[u8]) {
    let t0 = Instant::now();
    while !b.is_empty() {
        match s.send(b) {
            Ok(k) => b = &b[k..],
            Err(e) if e.code() == WSAEWOULDBLOCK && t0.elapsed() < LONG => {
                anomaly();
                thread::yield_now();
            }
            Err(_) => {
                anomaly();
                return;
            }
        }
    }
}

/// Echoes what `s` has; returns false once the peer is gone.
fn lib_echo(s: &Socket, buf: &mut [u8]) -> bool {
    loop {
        match s.recv(buf) {
            Ok(0) => return false,
            Ok(k) => {
                lib_send_all(s, &buf[..k]);
                if k < buf.len() {
                    return true;
                }
            }
            Err(e) if e.code() == WSAEWOULDBLOCK => return true,
            Err(_) => return false,
        }
    }
}

fn lib_server(socks: Vec<Socket>, stop: Arc<AtomicBool>, shape: Arc<AtomicU8>) {
    let events: Vec<Event> = socks.iter().map(|_| Event::new_manual(false)).collect();
    for (s, e) in socks.iter().zip(&events) {
        s.event_select(e, mask()).expect("event_select");
    }
    let refs: Vec<&Event> = events.iter().collect();
    let mut open = vec![true; socks.len()];
    let mut buf = [0u8; 1024];
    while !stop.load(Ordering::Relaxed) {
        let first = match wait_any(&refs, Some(IDLE_TICK)).expect("wait") {
            WaitOutcome::Signaled(i) => i,
            _ => continue,
        };
        let classic = shape.load(Ordering::Relaxed) == SHAPE_CLASSIC;
        for j in first..refs.len() {
            if j != first {
                let signalled = if classic {
                    wait_any(&refs[j..=j], Some(Duration::ZERO)).expect("wait")
                        != WaitOutcome::TimedOut
                } else {
                    refs[j].is_set()
                };
                if !signalled {
                    continue;
                }
            }
            let rec = socks[j].enum_network_events(Some(refs[j])).expect("enum");
            if open[j] && rec.events().intersects(Fd::READ | Fd::CLOSE) {
                open[j] = lib_echo(&socks[j], &mut buf);
            }
        }
    }
    for s in socks {
        let _ = s.set_linger(Some(Duration::ZERO));
    }
}

// ------------------------------------------------------------------------------------------
// The raw mio server

fn mio_send_all(mut s: &MioStream, mut b: &[u8]) {
    let t0 = Instant::now();
    while !b.is_empty() {
        match s.write(b) {
            Ok(k) => b = &b[k..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && t0.elapsed() < LONG => {
                anomaly();
                thread::yield_now();
            }
            Err(_) => {
                anomaly();
                return;
            }
        }
    }
}

fn mio_server(mut socks: Vec<MioStream>, stop: Arc<AtomicBool>) {
    let mut poll = Poll::new().expect("poll");
    for (j, s) in socks.iter_mut().enumerate() {
        poll.registry()
            .register(s, Token(j), Interest::READABLE | Interest::WRITABLE)
            .expect("register");
    }
    let mut events = Events::with_capacity(256);
    let mut buf = [0u8; 1024];
    while !stop.load(Ordering::Relaxed) {
        if poll.poll(&mut events, Some(IDLE_TICK)).is_err() {
            continue;
        }
        for ev in events.iter() {
            if !ev.is_readable() {
                continue;
            }
            let mut s = &socks[ev.token().0];
            loop {
                match s.read(&mut buf) {
                    Ok(0) => break,
                    Ok(k) => {
                        mio_send_all(s, &buf[..k]);
                        if k < buf.len() {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
        }
    }
    for s in &socks {
        let _ = socket2::SockRef::from(s).set_linger(Some(Duration::ZERO));
    }
}

// ------------------------------------------------------------------------------------------
// The clients (the same for both servers)

/// One client thread's round: keeps one message in flight on each stream until `deadline`,
/// then lets the in-flight ones come back. Returns the streams and, per stream, the echoes
/// completed before the deadline.
fn client_round(mut streams: Vec<MioStream>, deadline: Instant) -> (Vec<MioStream>, Vec<u64>) {
    let mut poll = Poll::new().expect("poll");
    for (k, s) in streams.iter_mut().enumerate() {
        poll.registry()
            .register(s, Token(k), Interest::READABLE)
            .expect("register");
    }
    let msg = [7u8; MSG];
    let mut got = vec![0usize; streams.len()];
    let mut counts = vec![0u64; streams.len()];
    let mut in_flight = streams.len();
    for mut s in &streams {
        s.write_all(&msg).expect("client send");
    }
    let give_up = deadline + LONG;
    let mut events = Events::with_capacity(1024);
    let mut buf = [0u8; 4096];
    while in_flight > 0 {
        let now = Instant::now();
        assert!(now < give_up, "echo server stalled: {in_flight} in flight");
        poll.poll(&mut events, Some(Duration::from_millis(20)))
            .expect("poll");
        let running = Instant::now() < deadline;
        for ev in events.iter() {
            let k = ev.token().0;
            let mut s = &streams[k];
            loop {
                match s.read(&mut buf) {
                    Ok(0) => panic!("server closed a connection"),
                    Ok(n) => {
                        got[k] += n;
                        while got[k] >= MSG {
                            got[k] -= MSG;
                            if running {
                                counts[k] += 1;
                                s.write_all(&msg).expect("client send");
                            } else {
                                in_flight -= 1;
                            }
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => panic!("client recv: {e}"),
                }
            }
        }
    }
    for s in streams.iter_mut() {
        let _ = poll.registry().deregister(s);
    }
    (streams, counts)
}

/// A round: all client threads against one server for `window`. Returns echoes per
/// connection, in connection order.
fn round(clients: &mut Vec<MioStream>, window: Duration) -> Vec<u64> {
    let per = clients.len().div_ceil(CLIENT_THREADS);
    let all = std::mem::take(clients);
    let mut chunks = Vec::new();
    let mut it = all.into_iter();
    loop {
        let c: Vec<MioStream> = it.by_ref().take(per).collect();
        if c.is_empty() {
            break;
        }
        chunks.push(c);
    }
    let deadline = Instant::now() + window;
    let hs: Vec<JoinHandle<_>> = chunks
        .into_iter()
        .map(|c| thread::spawn(move || client_round(c, deadline)))
        .collect();
    let mut counts = Vec::new();
    for h in hs {
        let (s, c) = h.join().expect("client thread");
        clients.extend(s);
        counts.extend(c);
    }
    counts
}

struct RoundStats {
    rate: f64,
    /// Per server thread: echoes per second.
    thread_rates: Vec<f64>,
    conn_min: u64,
    conn_max: u64,
}

fn stats(counts: &[u64], cfg: &Cfg) -> RoundStats {
    let secs = cfg.window.as_secs_f64();
    let total: u64 = counts.iter().sum();
    RoundStats {
        rate: total as f64 / secs,
        thread_rates: counts
            .chunks(cfg.per)
            .map(|c| c.iter().sum::<u64>() as f64 / secs)
            .collect(),
        conn_min: counts.iter().copied().min().unwrap_or(0),
        conn_max: counts.iter().copied().max().unwrap_or(0),
    }
}

fn main() {
    let mode = Mode::from_args();
    print_header("threads", mode);
    let cfg = Cfg {
        threads: mode.pick(16, 4),
        per: mode.pick(64, 16),
        window: mode.pick(Duration::from_millis(1_000), Duration::from_millis(100)),
        rounds: mode.pick(7, 1),
    };
    raise_nofile();
    let stop = Arc::new(AtomicBool::new(false));
    let shape = Arc::new(AtomicU8::new(SHAPE_CLASSIC));

    // The library server: accepted socket k goes to thread k / per, so client stream k is
    // served by that thread.
    let listener = lib_listener(1024);
    let laddr = listener.local_addr().expect("addr");
    let mut lib_clients = Vec::with_capacity(cfg.conns());
    let mut lib_socks = Vec::with_capacity(cfg.conns());
    for _ in 0..cfg.conns() {
        let c = TcpStream::connect(laddr).expect("connect");
        let (s, _) = listener.accept().expect("accept");
        c.set_nodelay(true).expect("nodelay");
        c.set_nonblocking(true).expect("nonblocking");
        s.set_nodelay(true).expect("nodelay");
        lib_clients.push(MioStream::from_std(c));
        lib_socks.push(s);
    }
    let mut servers = Vec::new();
    for _ in 0..cfg.threads {
        let socks: Vec<Socket> = lib_socks.drain(..cfg.per).collect();
        let (stop, shape) = (stop.clone(), shape.clone());
        servers.push(thread::spawn(move || lib_server(socks, stop, shape)));
    }

    // The mio server.
    let std_listener = TcpListener::bind(lo()).expect("bind");
    let mut mio_clients = Vec::with_capacity(cfg.conns());
    let mut mio_socks = Vec::with_capacity(cfg.conns());
    for _ in 0..cfg.conns() {
        let (c, s) = mio_pair(&std_listener);
        mio_clients.push(c);
        mio_socks.push(s);
    }
    for _ in 0..cfg.threads {
        let socks: Vec<MioStream> = mio_socks.drain(..cfg.per).collect();
        let stop = stop.clone();
        servers.push(thread::spawn(move || mio_server(socks, stop)));
    }

    let mut all: Vec<Vec<RoundStats>> = vec![Vec::new(), Vec::new(), Vec::new()];
    let names = ["lib/classic", "lib/is-set-scan", "mio"];
    let t_all = Instant::now();
    {
        let mut side = |i: usize| -> f64 {
            let counts = match i {
                0 => {
                    shape.store(SHAPE_CLASSIC, Ordering::Relaxed);
                    round(&mut lib_clients, cfg.window)
                }
                1 => {
                    shape.store(SHAPE_IS_SET, Ordering::Relaxed);
                    round(&mut lib_clients, cfg.window)
                }
                _ => round(&mut mio_clients, cfg.window),
            };
            let st = stats(&counts, &cfg);
            let r = st.rate;
            all[i].push(st);
            r
        };
        let only = std::env::var("WSAEVENTS_BENCH_ONLY")
            .ok()
            .map(|v| match v.as_str() {
                "classic" => 0,
                "is-set" => 1,
                "mio" => 2,
                other => panic!("WSAEVENTS_BENCH_ONLY={other}: expected classic, is-set or mio"),
            });
        if let Some(i) = only {
            for _ in 0..=cfg.rounds {
                let r = side(i);
                println!("threads/only-{}: {r:.0} echoes/s", names[i]);
            }
        }
        // A shared closure cannot be borrowed mutably three times: rotate by hand, with
        // one warm-up round of each side that is dropped below.
        for i in (0..3).filter(|_| only.is_none()) {
            side(i);
        }
        for r in (0..cfg.rounds).filter(|_| only.is_none()) {
            for k in 0..3 {
                side((k + r) % 3);
            }
        }
    }
    let profiling = all.iter().any(|a| a.is_empty());
    for a in all.iter_mut().filter(|a| !a.is_empty()) {
        a.remove(0);
    }
    stop.store(true, Ordering::Relaxed);
    for h in servers {
        h.join().expect("server thread");
    }
    for c in lib_clients.iter().chain(&mio_clients) {
        let _ = socket2::SockRef::from(c).set_linger(Some(Duration::ZERO));
    }

    if profiling {
        return;
    }
    println!(
        "   {} connections, {} server threads x {} events, {} client threads, {} rotating rounds of {:.1} s ({:.1} s in all)",
        cfg.conns(),
        cfg.threads,
        cfg.per,
        CLIENT_THREADS,
        cfg.rounds,
        cfg.window.as_secs_f64(),
        t_all.elapsed().as_secs_f64()
    );
    let rates: Vec<Vec<f64>> = all
        .iter()
        .map(|v| v.iter().map(|s| s.rate).collect())
        .collect();
    for (i, name) in names.iter().enumerate() {
        // Spread over every round: the worst thread and connection seen in any round.
        let tmin = all[i]
            .iter()
            .map(|s| min(&s.thread_rates) / (s.rate / cfg.threads as f64))
            .fold(f64::INFINITY, f64::min);
        let tmax = all[i]
            .iter()
            .map(|s| max(&s.thread_rates) / (s.rate / cfg.threads as f64))
            .fold(f64::NEG_INFINITY, f64::max);
        let cmin = all[i].iter().map(|s| s.conn_min).min().unwrap_or(0);
        let cmax = all[i].iter().map(|s| s.conn_max).max().unwrap_or(0);
        println!(
            "   {name:<16} {:>9.0} echoes/s median ({:.0}..{:.0}); per-thread throughput {:.2}..{:.2}x the mean; per-connection {cmin}..{cmax} echoes per round",
            median(&rates[i]),
            min(&rates[i]),
            max(&rates[i]),
            tmin,
            tmax
        );
        if i < 2 {
            let ratio = ratio_median(&rates[i], &rates[2]);
            println!(
                "threads/{name}: {:.0} echoes/s vs raw mio {:.0} echoes/s: ratio {ratio:.3}x (goal >= {GOAL}x) {}",
                median(&rates[i]),
                median(&rates[2]),
                verdict(ratio >= GOAL)
            );
            println!(
                "threads/{name}/spread: slowest thread {tmin:.2}x, fastest {tmax:.2}x the mean thread; slowest connection {cmin} echoes per round (goal: no thread below 0.5x the mean) {}",
                verdict(tmin >= 0.5 && cmin > 0)
            );
        }
    }
    let a = ANOMALIES.load(Ordering::Relaxed);
    if a > 0 {
        println!("   note: {a} short or failed server sends (retried)");
    }
}
