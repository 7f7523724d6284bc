//! The simulated network's faults and Windows' timings, where loopback cannot produce them
//! (issue 14): each test asserts Windows' values (docs: `../shared/docs/winsock-semantics.md`
//! rules, Microsoft KB 2786464 for the SYN schedule) and the virtual time they take.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use wsaevents::error::*;
use wsaevents::sim::{Host, Network};
use wsaevents::{Event, NetworkEvents as Fd, Socket, WaitOutcome, wait_any};

const LONG: Duration = Duration::from_secs(600);

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// A network with hosts `a` (10.0.0.1) and `b` (10.0.0.2).
fn two_hosts(seed: u64) -> (Network, Host, Host) {
    let net = Network::new(seed);
    let a = net.host("a", &[ip("10.0.0.1"), ip("fd00::1")]);
    let b = net.host("b", &[ip("10.0.0.2"), ip("fd00::2")]);
    (net, a, b)
}

/// Runs `f`; on failure prints the seed and trace of `net`.
fn traced<R>(net: &Network, f: impl FnOnce() -> R) -> R {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("seed {}; trace:\n{}", net.seed(), net.trace());
            std::panic::resume_unwind(e)
        }
    }
}

/// Waits (virtual time) for `ev`, enumerates, and returns the record.
#[track_caller]
fn next(s: &Socket, ev: &Event) -> wsaevents::NetworkEventRecord {
    assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0), "no event");
    s.enum_network_events(Some(ev)).unwrap()
}

#[track_caller]
fn code<T: std::fmt::Debug>(r: wsaevents::Result<T>) -> i32 {
    r.unwrap_err().code()
}

/// A non-blocking connect from a socket of the current host; returns the socket and its
/// event (FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE selected).
fn start_connect(to: SocketAddr) -> (Socket, Event) {
    let s = if to.is_ipv6() {
        Socket::tcp_v6().unwrap()
    } else {
        Socket::tcp_v4().unwrap()
    };
    let ev = Event::new_manual(false);
    s.event_select(&ev, Fd::CONNECT | Fd::WRITE | Fd::READ | Fd::CLOSE)
        .unwrap();
    assert_eq!(code(s.connect(to)), WSAEWOULDBLOCK);
    (s, ev)
}

/// Rule 33: a refused connect records FD_CONNECT with WSAECONNREFUSED, no FD_WRITE, after
/// Windows' retries (it takes seconds on Windows, not the immediate refusal of Linux).
#[test]
fn refused_connect_after_windows_retries() {
    let (net, a, b) = two_hosts(1);
    let _ = b;
    traced(&net, || {
        a.enter(|| {
            let (s, ev) = start_connect(sa("10.0.0.2:80"));
            let rec = next(&s, &ev);
            assert_eq!(rec.events(), Fd::CONNECT);
            assert_eq!(rec.error_code[wsaevents::FD_CONNECT_BIT], WSAECONNREFUSED);
            assert_eq!(s.take_error().unwrap().unwrap().code(), WSAECONNREFUSED);
        });
        // Three SYNs answered by RSTs, 0.5 s then 1 s apart.
        let t = net.now();
        assert!(
            t >= Duration::from_millis(1500) && t < Duration::from_secs(2),
            "{t:?}"
        );
    });
}

/// A host that never answers: FD_CONNECT with WSAETIMEDOUT after Windows' SYN schedule,
/// 3 + 6 + 12 = 21 s (KB 2786464: initial RTO 3 s, 2 retransmissions).
#[test]
fn silent_host_times_out_after_21_seconds() {
    let (net, a, b) = two_hosts(2);
    b.set_silent(true);
    traced(&net, || {
        a.enter(|| {
            let (s, ev) = start_connect(sa("10.0.0.2:80"));
            // Nothing within 20 s.
            assert_eq!(
                ev.wait(Some(Duration::from_secs(20))),
                WaitOutcome::TimedOut
            );
            let rec = next(&s, &ev);
            assert_eq!(rec.events(), Fd::CONNECT);
            assert_eq!(rec.error_code[wsaevents::FD_CONNECT_BIT], WSAETIMEDOUT);
        });
        assert_eq!(net.now(), Duration::from_secs(21));
        let trace = net.trace();
        assert_eq!(trace.matches(" SYN#").count(), 3, "{trace}");
    });
}

/// A blocking connect to a silent host fails WSAETIMEDOUT, in virtual time.
#[test]
fn blocking_connect_to_silent_host() {
    let (net, a, b) = two_hosts(3);
    b.set_silent(true);
    a.enter(|| {
        let s = Socket::tcp_v4().unwrap();
        assert_eq!(code(s.connect(sa("10.0.0.2:80"))), WSAETIMEDOUT);
    });
    assert_eq!(net.now(), Duration::from_secs(21));
}

/// An address a router declares unreachable, and one no host has: FD_CONNECT with
/// WSAEHOSTUNREACH (a documented FD_CONNECT error, rule 33).
#[test]
fn unreachable_and_unknown_hosts() {
    let (net, a, _b) = two_hosts(4);
    net.set_unreachable(ip("10.9.9.9"));
    traced(&net, || {
        a.enter(|| {
            for to in ["10.9.9.9:80", "10.0.0.77:80"] {
                let (s, ev) = start_connect(sa(to));
                let rec = next(&s, &ev);
                assert_eq!(rec.events(), Fd::CONNECT, "{to}");
                assert_eq!(
                    rec.error_code[wsaevents::FD_CONNECT_BIT],
                    WSAEHOSTUNREACH,
                    "{to}"
                );
            }
        });
    });
}

/// An interface down: no route, FD_CONNECT with WSAENETUNREACH; loopback still works.
#[test]
fn interface_down_gives_netunreach() {
    let (net, a, _b) = two_hosts(5);
    a.set_interface_down(true);
    traced(&net, || {
        a.enter(|| {
            let (s, ev) = start_connect(sa("10.0.0.2:80"));
            let rec = next(&s, &ev);
            assert_eq!(rec.events(), Fd::CONNECT);
            assert_eq!(rec.error_code[wsaevents::FD_CONNECT_BIT], WSAENETUNREACH);
            // Blocking: the error itself.
            let s = Socket::tcp_v4().unwrap();
            assert_eq!(code(s.connect(sa("10.0.0.2:80"))), WSAENETUNREACH);
        });
    });
}

/// A listener on `b` port 80 and a connected pair (client on `a`, server on `b`), both
/// selected on their own events.
struct Pair {
    c: Socket,
    cev: Event,
    s: Socket,
    sev: Event,
    _l: Socket,
}

fn connected(a: &Host, b: &Host) -> Pair {
    let l = b.enter(|| {
        let l = Socket::tcp_v4().unwrap();
        l.bind(sa("10.0.0.2:80")).unwrap();
        l.listen(8).unwrap();
        l
    });
    let lev = b.enter(|| {
        let ev = Event::new_manual(false);
        l.event_select(&ev, Fd::ACCEPT).unwrap();
        ev
    });
    let (c, cev) = a.enter(|| start_connect(sa("10.0.0.2:80")));
    let rec = a.enter(|| next(&c, &cev));
    assert_eq!(rec.events(), Fd::CONNECT | Fd::WRITE);
    let (s, sev) = b.enter(|| {
        assert_eq!(next(&l, &lev).events(), Fd::ACCEPT);
        let (s, _) = l.accept().unwrap();
        let sev = Event::new_manual(false);
        s.event_select(&sev, Fd::READ | Fd::WRITE | Fd::CLOSE)
            .unwrap();
        assert_eq!(next(&s, &sev).events(), Fd::WRITE);
        (s, sev)
    });
    Pair {
        c,
        cev,
        s,
        sev,
        _l: l,
    }
}

/// Reads what is queued now (non-blocking) into `out`; returns the count read.
fn read_some(s: &Socket, out: &mut Vec<u8>) -> usize {
    let mut buf = [0u8; 8192];
    let mut got = 0;
    loop {
        match s.recv(&mut buf) {
            Ok(0) => return got,
            Ok(n) => {
                out.extend_from_slice(&buf[..n]);
                got += n;
            }
            Err(e) if e.code() == WSAEWOULDBLOCK => return got,
            Err(e) => panic!("recv: {e:?}"),
        }
    }
}

/// A RST in the middle of a transfer, at a chosen byte: the receiver reads exactly that many
/// bytes, then FD_CLOSE with WSAECONNABORTED (rule 39) and recv fails WSAECONNRESET.
#[test]
fn reset_mid_transfer_at_chosen_byte() {
    let (net, a, b) = two_hosts(6);
    traced(&net, || {
        let p = connected(&a, &b);
        let (from, to) = (p.s.local_addr().unwrap(), p.s.peer_addr().unwrap());
        net.reset_stream_at(from, to, 5000);
        let data: Vec<u8> = (0..20_000u32).map(|i| i as u8).collect();
        b.enter(|| assert_eq!(p.s.send(&data).unwrap(), data.len()));
        let mut got = Vec::new();
        let close_code = a.enter(|| {
            loop {
                let rec = next(&p.c, &p.cev);
                if rec.events().contains(Fd::READ) {
                    read_some(&p.c, &mut got);
                }
                if rec.events().contains(Fd::CLOSE) {
                    break rec.error_code[wsaevents::FD_CLOSE_BIT];
                }
            }
        });
        assert_eq!(close_code, WSAECONNABORTED);
        assert_eq!(got.len(), 5000);
        assert_eq!(&got[..], &data[..5000]);
        a.enter(|| assert_eq!(code(p.c.recv(&mut [0u8; 8])), WSAECONNRESET));
        // The sender is reset too.
        b.enter(|| {
            let rec = next(&p.s, &p.sev);
            assert_eq!(rec.events(), Fd::CLOSE);
            assert_eq!(rec.error_code[wsaevents::FD_CLOSE_BIT], WSAECONNABORTED);
            assert_eq!(code(p.s.send(b"x")), WSAECONNRESET);
        });
    });
}

/// A peer whose window stays full (it stops reading): send fails WSAEWOULDBLOCK; when it
/// reads, FD_WRITE comes back (rule 29 iii), and every byte arrives once, in order.
#[test]
fn full_window_then_fd_write() {
    let (net, a, b) = two_hosts(7);
    traced(&net, || {
        let l = b.enter(|| {
            let l = Socket::tcp_v4().unwrap();
            l.set_recv_buffer_size(4096).unwrap();
            l.bind(sa("10.0.0.2:80")).unwrap();
            l.listen(8).unwrap();
            l
        });
        let c = a.enter(|| {
            let c = Socket::tcp_v4().unwrap();
            c.connect(sa("10.0.0.2:80")).unwrap();
            c
        });
        let s = b.enter(|| l.accept().unwrap().0);
        let ev = a.enter(|| {
            let ev = Event::new_manual(false);
            c.event_select(&ev, Fd::WRITE).unwrap();
            assert_eq!(next(&c, &ev).events(), Fd::WRITE);
            ev
        });
        let chunk = vec![9u8; 64 * 1024];
        let mut sent = 0;
        a.enter(|| {
            loop {
                match c.send(&chunk) {
                    Ok(n) => sent += n,
                    Err(e) => {
                        assert_eq!(e.code(), WSAEWOULDBLOCK);
                        break;
                    }
                }
            }
            // Nothing while the peer does not read.
            assert_eq!(
                ev.wait(Some(Duration::from_secs(30))),
                WaitOutcome::TimedOut
            );
        });
        assert!(sent >= 64 * 1024);
        let mut got = Vec::new();
        b.enter(|| {
            s.set_nonblocking(true).unwrap();
            while got.len() < sent {
                read_some(&s, &mut got);
                net.run_for(Duration::from_millis(10));
            }
        });
        assert_eq!(got.len(), sent);
        a.enter(|| {
            let rec = next(&c, &ev);
            assert_eq!(rec.events(), Fd::WRITE);
            assert_eq!(rec.error_code[wsaevents::FD_WRITE_BIT], 0);
        });
    });
}

/// FIN with unread data across a link with latency: FD_CLOSE with 0 while the data is
/// unread (rule 38), after the data's FD_READ.
#[test]
fn fin_with_unread_data() {
    let (net, a, b) = two_hosts(8);
    net.set_latency(&a, &b, Duration::from_millis(40), Duration::ZERO);
    traced(&net, || {
        let p = connected(&a, &b);
        b.enter(|| {
            p.s.send(b"12345").unwrap();
            p.s.shutdown(std::net::Shutdown::Write).unwrap();
        });
        a.enter(|| {
            let mut seen = Fd::empty();
            while !seen.contains(Fd::CLOSE) {
                let rec = next(&p.c, &p.cev);
                if rec.events().contains(Fd::CLOSE) {
                    assert_eq!(rec.error_code[wsaevents::FD_CLOSE_BIT], 0);
                }
                seen |= rec.events();
            }
            assert_eq!(seen, Fd::READ | Fd::CLOSE);
            assert_eq!(p.c.bytes_available().unwrap(), 5);
            let mut b5 = [0u8; 5];
            assert_eq!(p.c.recv(&mut b5).unwrap(), 5);
            assert_eq!(&b5, b"12345");
            assert_eq!(p.c.recv(&mut b5).unwrap(), 0);
        });
    });
}

/// A partition longer than TCP's patience: after 5 retransmissions (RTO 300 ms doubled:
/// 18.9 s) the connection is aborted, FD_CLOSE with WSAECONNABORTED (rule 42's inference
/// from the documentation's "terminated due to a time-out").
#[test]
fn partition_aborts_after_retransmissions() {
    let (net, a, b) = two_hosts(9);
    traced(&net, || {
        let p = connected(&a, &b);
        net.partition(&a, &b);
        let t0 = net.now();
        a.enter(|| {
            p.c.send(b"lost").unwrap();
            let rec = next(&p.c, &p.cev);
            assert_eq!(rec.events(), Fd::CLOSE);
            assert_eq!(rec.error_code[wsaevents::FD_CLOSE_BIT], WSAECONNABORTED);
            assert_eq!(code(p.c.send(b"x")), WSAECONNABORTED);
        });
        let took = net.now() - t0;
        assert!(
            took >= Duration::from_millis(18_900) && took < Duration::from_secs(20),
            "{took:?}"
        );
    });
}

/// A partition repaired in time: the retransmission gets through, exactly once.
#[test]
fn partition_then_repair_delivers_once() {
    let (net, a, b) = two_hosts(10);
    traced(&net, || {
        let p = connected(&a, &b);
        net.partition(&a, &b);
        a.enter(|| p.c.send(b"hello").unwrap());
        net.run_for(Duration::from_secs(2));
        b.enter(|| assert_eq!(p.s.bytes_available().unwrap(), 0));
        net.repair(&a, &b);
        b.enter(|| {
            let rec = next(&p.s, &p.sev);
            assert_eq!(rec.events(), Fd::READ);
            let mut got = Vec::new();
            read_some(&p.s, &mut got);
            assert_eq!(got, b"hello");
        });
        assert!(net.trace().contains("retransmission"));
    });
}

/// Hold and release: nothing is delivered (nor lost) while held; all of it, in order,
/// after the release.
#[test]
fn hold_then_release() {
    let (net, a, b) = two_hosts(11);
    traced(&net, || {
        let p = connected(&a, &b);
        net.hold(&a, &b);
        a.enter(|| {
            p.c.send(b"one").unwrap();
            p.c.send(b"two").unwrap();
        });
        b.enter(|| {
            assert_eq!(
                p.sev.wait(Some(Duration::from_secs(60))),
                WaitOutcome::TimedOut
            )
        });
        net.release(&a, &b);
        b.enter(|| {
            assert_eq!(next(&p.s, &p.sev).events(), Fd::READ);
            let mut got = Vec::new();
            read_some(&p.s, &mut got);
            assert_eq!(got, b"onetwo");
        });
    });
}

/// The network subsystem fails: FD_CLOSE with WSAENETDOWN, later calls fail WSAENETDOWN.
#[test]
fn network_down() {
    let (net, a, b) = two_hosts(12);
    traced(&net, || {
        let p = connected(&a, &b);
        a.fail_network();
        a.enter(|| {
            let rec = next(&p.c, &p.cev);
            assert_eq!(rec.events(), Fd::CLOSE);
            assert_eq!(rec.error_code[wsaevents::FD_CLOSE_BIT], WSAENETDOWN);
            assert_eq!(code(p.c.recv(&mut [0u8; 4])), WSAENETDOWN);
            assert_eq!(code(Socket::tcp_v4()), WSAENETDOWN);
        });
    });
}

/// Seeded loss: TCP retransmits, every byte arrives exactly once and in order.
#[test]
fn lossy_link_delivers_every_byte_once() {
    for seed in 0..4 {
        let (net, a, b) = two_hosts(100 + seed);
        net.set_latency(&a, &b, Duration::from_millis(5), Duration::from_millis(5));
        traced(&net, || {
            let p = connected(&a, &b);
            // After the handshake (three lost SYNs would time the connect out, rightly).
            net.set_loss(&a, &b, 0.2);
            let data: Vec<u8> = (0..30_000u32).map(|i| (i * 7) as u8).collect();
            a.enter(|| assert_eq!(p.c.send(&data).unwrap(), data.len()));
            let mut got = Vec::new();
            b.enter(|| {
                while got.len() < data.len() {
                    let rec = next(&p.s, &p.sev);
                    assert!(!rec.events().contains(Fd::CLOSE), "aborted");
                    read_some(&p.s, &mut got);
                }
            });
            assert_eq!(got, data);
        });
    }
}

/// SO_RCVTIMEO runs on the virtual clock: a 30 s receive timeout fails WSAETIMEDOUT after
/// 30 virtual seconds, at once in real time.
#[test]
fn receive_timeout_in_virtual_time() {
    let (net, a, b) = two_hosts(13);
    let p = connected(&a, &b);
    let t0 = net.now();
    let c = a.enter(|| {
        let c = Socket::tcp_v4().unwrap();
        c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        c.connect(sa("10.0.0.2:80")).unwrap();
        assert_eq!(code(c.recv(&mut [0u8; 4])), WSAETIMEDOUT);
        c
    });
    let took = net.now() - t0;
    assert!(
        took >= Duration::from_secs(30) && took < Duration::from_secs(31),
        "{took:?}"
    );
    drop((c, p));
}

/// Isolation: a wait mixing two networks' events fails WSA_INVALID_PARAMETER; so does one
/// mixing a network's event with an event an OS socket feeds; an event of one network
/// cannot be selected by a socket of another (WSAEINVAL). Neither hangs.
#[test]
fn mixing_networks_is_an_error() {
    let (_n1, a1, _) = two_hosts(14);
    let (_n2, a2, _) = two_hosts(15);
    let e1 = a1.enter(|| Event::new_manual(false));
    let e2 = a2.enter(|| Event::new_manual(false));
    assert_eq!(
        code(wait_any(&[&e1, &e2], Some(Duration::from_secs(1)))),
        WSA_INVALID_PARAMETER
    );
    // An OS socket's event.
    let os = Socket::udp_v4().unwrap();
    let eos = Event::new_manual(false);
    os.event_select(&eos, Fd::READ).unwrap();
    assert_eq!(
        code(wait_any(&[&e1, &eos], Some(Duration::from_secs(1)))),
        WSA_INVALID_PARAMETER
    );
    assert_eq!(code(os.event_select(&e1, Fd::READ)), WSAEINVAL);
    a2.enter(|| {
        let s = Socket::udp_v4().unwrap();
        assert_eq!(code(s.event_select(&e1, Fd::READ)), WSAEINVAL);
        assert_eq!(code(s.event_select(&eos, Fd::READ)), WSAEINVAL);
    });
}

/// Isolation: the same addresses and ports on two networks and on the real network do not
/// conflict (bind rules are per network).
#[test]
fn networks_have_their_own_ports() {
    let (_n1, a1, _) = two_hosts(16);
    let (_n2, a2, _) = two_hosts(17);
    let l1 = a1.enter(|| {
        let l = Socket::tcp_v4().unwrap();
        l.bind(sa("127.0.0.1:7777")).unwrap();
        l
    });
    let l2 = a2.enter(|| {
        let l = Socket::tcp_v4().unwrap();
        l.bind(sa("127.0.0.1:7777")).unwrap();
        l
    });
    a1.enter(|| {
        let l = Socket::tcp_v4().unwrap();
        assert_eq!(code(l.bind(sa("127.0.0.1:7777"))), WSAEADDRINUSE);
    });
    drop((l1, l2));
}

/// Keep-alive (`SIO_KEEPALIVE_VALS`, 10 s idle, 1 s between probes) across a partition:
/// 10 unanswered probes abort the connection after 10 + 10 × 1 = 20 s of idleness
/// (Windows' probe count is 10: `SIO_KEEPALIVE_VALS` documentation); FD_CLOSE with
/// WSAECONNABORTED. While the path is up, probes are answered and nothing happens.
#[test]
fn keepalive_failure_after_ten_probes() {
    let (net, a, b) = two_hosts(18);
    traced(&net, || {
        let p = connected(&a, &b);
        a.enter(|| {
            p.c.set_keepalive_values(true, Duration::from_secs(10), Duration::from_secs(1))
                .unwrap();
            // A minute of idleness with the path up: probes answered, no event.
            assert_eq!(
                p.cev.wait(Some(Duration::from_secs(60))),
                WaitOutcome::TimedOut
            );
        });
        assert!(net.trace().contains("keep-alive probe answered"));
        net.partition(&a, &b);
        let t0 = net.now();
        a.enter(|| {
            let rec = next(&p.c, &p.cev);
            assert_eq!(rec.events(), Fd::CLOSE);
            assert_eq!(rec.error_code[wsaevents::FD_CLOSE_BIT], WSAECONNABORTED);
            assert_eq!(code(p.c.recv(&mut [0u8; 4])), WSAECONNABORTED);
        });
        // The last answered probe was at most 10 s before the partition.
        let took = net.now() - t0;
        assert!(
            took > Duration::from_secs(10) && took <= Duration::from_secs(20),
            "{took:?}"
        );
        assert_eq!(net.trace().matches("unanswered").count(), 10);
    });
}

/// A program that polls `WSAEnumNetworkEvents` without ever waiting still sees a loopback
/// connect complete (zero-latency deliveries are due at once, and every call that observes
/// network state runs them).
#[test]
fn polling_enum_sees_a_loopback_connect() {
    let (net, a, _b) = two_hosts(19);
    traced(&net, || {
        a.enter(|| {
            let l = Socket::tcp_v4().unwrap();
            l.bind(sa("127.0.0.1:0")).unwrap();
            l.listen(1).unwrap();
            let (c, ev) = start_connect(l.local_addr().unwrap());
            let mut seen = Fd::empty();
            for _ in 0..100 {
                seen |= c.enum_network_events(Some(&ev)).unwrap().events();
                if seen.contains(Fd::CONNECT) {
                    break;
                }
            }
            assert_eq!(seen, Fd::CONNECT | Fd::WRITE);
        });
    });
}
