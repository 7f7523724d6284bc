//! An accepted socket inherits the listener's options (Windows' `accept`: the new socket
//! "has the same properties as socket s"; the BSD stack copies the listening socket at the
//! handshake, Stevens, UNP 7.4: SO_KEEPALIVE, SO_LINGER, SO_OOBINLINE, SO_RCVBUF,
//! SO_SNDBUF, TCP_NODELAY), on loopback and on the simulated network (`common::both`); the
//! keep-alive times of `SIO_KEEPALIVE_VALS` too, observable on the simulated network.

mod common;

use std::time::Duration;

use common::*;
use wsaevents::error::*;
use wsaevents::sim::Network;
use wsaevents::{Event, NetworkEvents as Fd, Socket, WaitOutcome};

/// A connection accepted from `l`.
fn accepted(l: &Socket) -> (Socket, Socket) {
    let c = tcp(false);
    c.connect(l.local_addr().unwrap()).unwrap();
    let (s, _) = l.accept().unwrap();
    (c, s)
}

/// The options set on the listener before the connection are the accepted socket's; a
/// listener left with the defaults gives the defaults (so the first half cannot pass by
/// accident).
#[test]
fn accepted_socket_inherits_listener_options() {
    both(|| {
        let plain = listener(false);
        let (_c0, s0) = accepted(&plain);

        let l = tcp(false);
        l.bind(lo4()).unwrap();
        l.set_keepalive(true).unwrap();
        l.set_linger(Some(Duration::from_secs(7))).unwrap();
        l.set_oob_inline(true).unwrap();
        l.set_nodelay(true).unwrap();
        l.set_recv_buffer_size(24 * 1024).unwrap();
        l.set_send_buffer_size(40 * 1024).unwrap();
        l.listen(4).unwrap();
        let (_c, s) = accepted(&l);

        assert!(!s0.keepalive().unwrap());
        assert!(s.keepalive().unwrap(), "SO_KEEPALIVE");
        assert!(!s0.linger_option().unwrap().0, "no SO_LINGER by default");
        assert_eq!(s.linger_option().unwrap(), (true, 7), "SO_LINGER");
        assert!(!s0.oob_inline().unwrap());
        assert!(s.oob_inline().unwrap(), "SO_OOBINLINE");
        assert!(!s0.nodelay().unwrap());
        assert!(s.nodelay().unwrap(), "TCP_NODELAY");
        let (rcv, snd) = (l.recv_buffer_size().unwrap(), l.send_buffer_size().unwrap());
        assert_ne!(s0.recv_buffer_size().unwrap(), rcv);
        assert_eq!(s.recv_buffer_size().unwrap(), rcv, "SO_RCVBUF");
        assert_ne!(s0.send_buffer_size().unwrap(), snd);
        assert_eq!(s.send_buffer_size().unwrap(), snd, "SO_SNDBUF");
    });
}

/// `SIO_KEEPALIVE_VALS` on the listener (10 s idle, 1 s between probes) is the accepted
/// socket's: with the client's host gone silent, the accepted socket's connection is
/// aborted after the idle time and 10 unanswered probes (Windows' count, the
/// `SIO_KEEPALIVE_VALS` documentation): FD_CLOSE `WSAECONNABORTED` (docs/simulation.md)
/// about 20 s later, not 2 h (the default idle time) later; a listener without keep-alive
/// gives a connection that stays up.
#[test]
fn sim_accepted_socket_inherits_keepalive_times() {
    let net = Network::new(21);
    let client = net.host("client", &["10.0.0.1".parse().unwrap()]);
    let server = net.host("server", &["10.0.0.2".parse().unwrap()]);
    let (l, plain) = server.enter(|| {
        let l = Socket::tcp_v4().unwrap();
        l.bind("10.0.0.2:80".parse().unwrap()).unwrap();
        l.set_keepalive_values(true, Duration::from_secs(10), Duration::from_secs(1))
            .unwrap();
        l.listen(4).unwrap();
        let plain = Socket::tcp_v4().unwrap();
        plain.bind("10.0.0.2:81".parse().unwrap()).unwrap();
        plain.listen(4).unwrap();
        (l, plain)
    });
    let (_c, _c0) = client.enter(|| {
        let c = Socket::tcp_v4().unwrap();
        c.connect("10.0.0.2:80".parse().unwrap()).unwrap();
        let c0 = Socket::tcp_v4().unwrap();
        c0.connect("10.0.0.2:81".parse().unwrap()).unwrap();
        (c, c0)
    });
    server.enter(|| {
        let (s, _) = l.accept().unwrap();
        let (s0, _) = plain.accept().unwrap();
        let ev = Event::new_manual(false);
        s.event_select(&ev, Fd::CLOSE).unwrap();
        let ev0 = Event::new_manual(false);
        s0.event_select(&ev0, Fd::CLOSE).unwrap();
        client.set_silent(true);
        let t0 = net.now();
        assert_eq!(
            ev.wait(Some(Duration::from_secs(600))),
            WaitOutcome::Signaled(0),
            "{}",
            net.trace()
        );
        let took = net.now() - t0;
        assert!(
            took > Duration::from_secs(10) && took <= Duration::from_secs(21),
            "{took:?}\n{}",
            net.trace()
        );
        let rec = s.enum_network_events(Some(&ev)).unwrap();
        assert_eq!(rec.events(), Fd::CLOSE);
        assert_eq!(rec.error_code[wsaevents::FD_CLOSE_BIT], WSAECONNABORTED);
        assert_eq!(
            ev0.wait(Some(Duration::from_secs(600))),
            WaitOutcome::TimedOut,
            "no keep-alive on the other listener's connection"
        );
    });
    assert_eq!(net.trace().matches("unanswered").count(), 10);
}
