//! A client and a server on a simulated network (`wsaevents::sim`), through what loopback
//! cannot show: a refused connect (after Windows' retries), a connect timeout (Windows' SYN
//! schedule, 21 s), an unreachable host, a full window (WSAEWOULDBLOCK, then FD_WRITE),
//! FIN with unread data, and a RST mid-transfer (FD_CLOSE with WSAECONNABORTED), over
//! links with seeded latency, jitter and loss. Prints what each step saw, then the trace.
//!
//! `cargo run --release --example sim_demo -- --seed N`: the same seed prints the same
//! bytes; another seed, other timings. Minutes of virtual time take milliseconds.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use wsaevents::error::WSAEWOULDBLOCK;
use wsaevents::sim::{Host, Network};
use wsaevents::{Error, Event, NetworkEvents as Fd, Socket, WaitOutcome};

thread_local! {
    static OUT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// `println!` into the demo's output.
macro_rules! say {
    ($($t:tt)*) => {
        OUT.with(|o| {
            use std::fmt::Write as _;
            let _ = writeln!(o.borrow_mut(), $($t)*);
        })
    };
}

fn ip(s: &str) -> IpAddr {
    s.parse().expect("an address")
}

fn sa(s: &str) -> SocketAddr {
    s.parse().expect("a socket address")
}

/// Waits (virtual time) for `ev` and enumerates `s`'s events, as `bits(code) ...`.
fn events(s: &Socket, ev: &Event) -> String {
    if ev.wait(Some(Duration::from_secs(120))) == WaitOutcome::TimedOut {
        return "nothing (timed out)".into();
    }
    let rec = s.enum_network_events(Some(ev)).expect("enumerate");
    let mut out = Vec::new();
    for (name, bit) in rec.events().iter_names() {
        let i = bit.bits().trailing_zeros() as usize;
        let code = rec.error_code[i];
        out.push(match code {
            0 => format!("FD_{name}"),
            c => format!("FD_{name}({})", Error::from_code(c).name()),
        });
    }
    out.join(" ")
}

fn connect_and_report(net: &Network, client: &Host, to: &str) {
    client.enter(|| {
        let s = Socket::tcp_v4().expect("socket");
        let ev = Event::new_manual(false);
        s.event_select(&ev, Fd::CONNECT | Fd::WRITE)
            .expect("select");
        let t0 = net.now();
        let r = s.connect(sa(to)).map_err(|e| e.name());
        let seen = events(&s, &ev);
        say!(
            "  connect {to}: {r:?}, then {seen} after {:?} of virtual time",
            net.now() - t0
        );
    });
}

/// A connected pair: client on `c` (10.0.0.1), server on `s` (10.0.0.2:80).
fn pair(c: &Host, s: &Host, server_rcvbuf: usize) -> (Socket, Socket) {
    let l = s.enter(|| {
        let l = Socket::tcp_v4().expect("socket");
        l.set_recv_buffer_size(server_rcvbuf).expect("SO_RCVBUF");
        l.bind(sa("10.0.0.2:80")).expect("bind");
        l.listen(4).expect("listen");
        l
    });
    let cs = c.enter(|| {
        let cs = Socket::tcp_v4().expect("socket");
        cs.connect(sa("10.0.0.2:80")).expect("blocking connect");
        cs
    });
    let ss = s.enter(|| l.accept().expect("accept").0);
    (cs, ss)
}

fn main() {
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--seed" {
            seed = args.next().and_then(|v| v.parse().ok()).expect("--seed N");
        }
    }
    print!("{}", demo(seed));
}

/// Plays the demo on a network built from `seed`; returns what it prints.
pub fn demo(seed: u64) -> String {
    let net = Network::new(seed);
    let client = net.host("client", &[ip("10.0.0.1")]);
    let server = net.host("server", &[ip("10.0.0.2")]);
    let silent = net.host("silent", &[ip("10.0.0.3")]);
    silent.set_silent(true);
    net.set_unreachable(ip("192.0.2.1"));
    net.set_latency(
        &client,
        &server,
        Duration::from_millis(20),
        Duration::from_millis(10),
    );
    say!("sim_demo, seed {seed}");

    say!("1. a refused connect (nobody listens on 10.0.0.2:81):");
    connect_and_report(&net, &client, "10.0.0.2:81");
    say!("2. a connect to a host that never answers:");
    connect_and_report(&net, &client, "10.0.0.3:80");
    say!("3. a connect to an unreachable host:");
    connect_and_report(&net, &client, "192.0.2.1:80");

    say!("4. a full window (the server stops reading), 5% loss:");
    net.set_loss(&client, &server, 0.05);
    let (c, s) = pair(&client, &server, 4096);
    client.enter(|| {
        let ev = Event::new_manual(false);
        c.event_select(&ev, Fd::WRITE).expect("select");
        say!("  select: {}", events(&c, &ev));
        let chunk = vec![7u8; 64 * 1024];
        let mut sent = 0;
        let err = loop {
            match c.send(&chunk) {
                Ok(n) => sent += n,
                Err(e) => break e,
            }
        };
        assert_eq!(err.code(), WSAEWOULDBLOCK);
        say!("  sent {sent} bytes, then {}", err.name());
        let mut got = 0;
        server.enter(|| {
            s.set_nonblocking(true).expect("FIONBIO");
            let mut buf = vec![0u8; 64 * 1024];
            while got < sent {
                match s.recv(&mut buf) {
                    Ok(n) => got += n,
                    Err(_) => net.run_for(Duration::from_millis(50)),
                }
            }
        });
        say!("  the server read {got} bytes; client: {}", events(&c, &ev));
    });
    drop((c, s));

    say!("5. FIN with unread data:");
    let (c, s) = pair(&client, &server, 65536);
    server.enter(|| {
        let ev = Event::new_manual(false);
        s.event_select(&ev, Fd::READ | Fd::CLOSE).expect("select");
        client.enter(|| {
            c.send(b"12345").expect("send");
            c.close().expect("close");
        });
        let mut seen = events(&s, &ev);
        if !seen.contains("CLOSE") {
            seen = format!("{seen}, then {}", events(&s, &ev));
        }
        say!(
            "  server: {seen}, with {} bytes unread",
            s.bytes_available().expect("FIONREAD")
        );
    });
    drop(s);

    say!("6. a RST after 3000 bytes of a 10000-byte transfer:");
    let (c, s) = pair(&client, &server, 65536);
    net.reset_stream_at(
        s.local_addr().expect("name"),
        c.local_addr().expect("name"),
        3000,
    );
    client.enter(|| {
        let ev = Event::new_manual(false);
        c.event_select(&ev, Fd::READ | Fd::CLOSE).expect("select");
        server.enter(|| s.send(&[1u8; 10_000]).expect("send"));
        let mut got = 0;
        let mut buf = [0u8; 4096];
        loop {
            let seen = events(&c, &ev);
            while let Ok(n) = c.recv(&mut buf) {
                if n == 0 {
                    break;
                }
                got += n;
            }
            if seen.contains("CLOSE") || seen.contains("timed out") {
                say!("  client: {seen} after {got} bytes");
                break;
            }
        }
    });
    drop((c, s));

    say!("virtual time: {:?}", net.now());
    say!("--- trace ---");
    say!("{}", net.trace().trim_end());
    OUT.with(|o| o.take())
}
