//! Waits on a simulated network's events keep the wait rule of
//! `WSAWaitForMultipleEvents` (`../shared/docs/winsock-semantics.md`, B.2: the lowest
//! signalled index wins, a manual-reset event stays signalled, an auto-reset one is reset
//! only when it satisfies the wait), also where a wait decides without the dispatcher's
//! lock (`event.rs`, `satisfied_unlocked`), and see every readiness a harvest hands out,
//! also where the harvest finds a socket without the reactor slab's lock
//! (`reactor::dispatch_sim`), across sockets closed and replaced.

use std::net::{IpAddr, SocketAddr};
use std::sync::mpsc;
use std::time::Duration;

use wsaevents::sim::Network;
use wsaevents::{Event, NetworkEvents as Fd, Socket, WaitOutcome, wait_all, wait_any};

const LONG: Duration = Duration::from_secs(600);

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// B.2 on events of a simulated network: lowest signalled index, manual-reset events stay
/// signalled, an auto-reset one is consumed by the wait it satisfies (and only then).
#[test]
fn b2_wait_rule_on_simulated_events() {
    let net = Network::new(1);
    let h = net.host("h", &[ip("10.0.0.1")]);
    h.enter(|| {
        let l = Socket::tcp_v4().unwrap();
        l.bind(sa("10.0.0.1:80")).unwrap();
        l.listen(1).unwrap();
        let (m0, m1, a) = (
            Event::new_manual(false),
            Event::new_manual(false),
            Event::new_auto(false),
        );
        // Socket-fed: the waits below run on the network's clock.
        for e in [&m0, &m1, &a] {
            l.event_select(e, Fd::ACCEPT).unwrap();
        }
        l.event_select(None, Fd::empty()).unwrap();
        let now = Some(Duration::ZERO);
        assert_eq!(wait_any(&[&m0, &m1], now).unwrap(), WaitOutcome::TimedOut);
        m1.set();
        m0.set();
        for _ in 0..3 {
            // Manual-reset: the same lowest index, again and again.
            assert_eq!(
                wait_any(&[&m0, &m1], now).unwrap(),
                WaitOutcome::Signaled(0)
            );
        }
        assert_eq!(
            wait_any(&[&m1, &m0], now).unwrap(),
            WaitOutcome::Signaled(0)
        );
        m0.reset();
        assert_eq!(
            wait_any(&[&m0, &m1], now).unwrap(),
            WaitOutcome::Signaled(1)
        );
        m1.reset();
        assert_eq!(wait_any(&[&m0, &m1], now).unwrap(), WaitOutcome::TimedOut);
        // Auto-reset, lowest: consumed by the wait it satisfies, the manual one untouched.
        a.set();
        m1.set();
        assert_eq!(wait_any(&[&a, &m1], now).unwrap(), WaitOutcome::Signaled(0));
        assert!(!a.is_set());
        assert_eq!(wait_any(&[&a, &m1], now).unwrap(), WaitOutcome::Signaled(1));
        assert!(m1.is_set());
        // Auto-reset behind a signalled manual one: not consumed.
        a.set();
        assert_eq!(wait_any(&[&m1, &a], now).unwrap(), WaitOutcome::Signaled(0));
        assert!(a.is_set());
        // Wait-all: all at one instant, then the auto-reset one is consumed.
        m0.set();
        assert_eq!(
            wait_all(&[&m0, &m1, &a], now).unwrap(),
            WaitOutcome::Signaled(0)
        );
        assert!(!a.is_set() && m0.is_set() && m1.is_set());
    });
}

/// B.2 with an event of no network (created outside the network, set by hand) before a
/// simulated one in the same wait: the lowest signalled index still wins.
#[test]
fn b2_lowest_index_with_an_event_of_no_network() {
    let net = Network::new(4);
    let h = net.host("h", &[ip("10.0.0.1")]);
    let plain = Event::new_manual(false);
    let sim = h.enter(|| Event::new_manual(false));
    let now = Some(Duration::ZERO);
    h.enter(|| {
        sim.set();
        assert_eq!(
            wait_any(&[&plain, &sim], now).unwrap(),
            WaitOutcome::Signaled(1)
        );
        plain.set();
        assert_eq!(
            wait_any(&[&plain, &sim], now).unwrap(),
            WaitOutcome::Signaled(0)
        );
        plain.reset();
        assert_eq!(
            wait_any(&[&plain, &sim], now).unwrap(),
            WaitOutcome::Signaled(1)
        );
    });
}

/// A set from another thread ends a simulated wait that waits for ever (no lost wake-up).
#[test]
fn set_from_another_thread_ends_a_simulated_wait() {
    let net = Network::new(2);
    let h = net.host("h", &[ip("10.0.0.1")]);
    for _ in 0..20 {
        let (e0, e1) = h.enter(|| {
            let l = Socket::tcp_v4().unwrap();
            let (e0, e1) = (Event::new_manual(false), Event::new_manual(false));
            l.event_select(&e0, Fd::ACCEPT).unwrap();
            l.event_select(&e1, Fd::ACCEPT).unwrap();
            (e0, e1)
        });
        let (tx, rx) = mpsc::channel();
        let (w0, w1) = (e0.clone(), e1.clone());
        let h2 = h.clone();
        let waiter = std::thread::spawn(move || {
            let r = h2.enter(|| wait_any(&[&w0, &w1], None));
            let _ = tx.send(r.unwrap());
        });
        e1.set();
        let got = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the wait missed the set");
        assert_eq!(got, WaitOutcome::Signaled(1));
        waiter.join().unwrap();
    }
}

/// Connections opened and closed one after the other (the reactor reuses the slots of
/// closed sockets): each new connection's readiness reaches its own sockets, and the
/// ping-pong loop of `benches/sim.rs` sees every FD_READ, in virtual time, without a miss.
#[test]
fn readiness_reaches_sockets_across_closes_and_reuse() {
    let net = Network::new(3);
    net.set_trace(false);
    let h = net.host("h", &[ip("10.0.0.1")]);
    h.enter(|| {
        let l = Socket::tcp_v4().unwrap();
        l.bind(sa("10.0.0.1:80")).unwrap();
        l.listen(4).unwrap();
        let mut buf = [0u8; 16];
        for round in 0..30u8 {
            let c = Socket::tcp_v4().unwrap();
            c.connect(sa("10.0.0.1:80")).unwrap();
            let (s, _) = l.accept().unwrap();
            let socks = [c, s];
            let evs = [Event::new_manual(false), Event::new_manual(false)];
            for (s, e) in socks.iter().zip(&evs) {
                s.event_select(e, Fd::READ | Fd::WRITE | Fd::CLOSE).unwrap();
                s.enum_network_events(Some(e)).unwrap();
            }
            let refs = [&evs[0], &evs[1]];
            socks[0].send(&[round]).unwrap();
            let mut trips = 0;
            while trips < 50 {
                let i = match wait_any(&refs, Some(LONG)).unwrap() {
                    WaitOutcome::Signaled(i) => i,
                    o => panic!("round {round}, trip {trips}: {o:?} (a readiness was lost)"),
                };
                let rec = socks[i].enum_network_events(Some(refs[i])).unwrap();
                assert!(
                    rec.events().contains(Fd::READ),
                    "round {round}: {:?} without FD_READ",
                    rec.events()
                );
                let n = socks[i].recv(&mut buf).unwrap();
                assert_eq!(&buf[..n], &[round]);
                if i == 0 {
                    trips += 1;
                }
                socks[i].send(&buf[..n]).unwrap();
            }
            for s in &socks {
                s.close().unwrap();
            }
        }
    });
}
