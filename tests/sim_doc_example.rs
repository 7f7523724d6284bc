use std::time::Duration;
use wsaevents::error::*;
use wsaevents::sim::Network;
use wsaevents::{Event, NetworkEvents as Fd, Socket, WaitOutcome};

#[test]
fn the_client_reports_a_reset_mid_transfer() {
    let net = Network::new(7);
    let client = net.host("client", &["10.0.0.1".parse().unwrap()]);
    let server = net.host("server", &["10.0.0.2".parse().unwrap()]);
    net.set_latency(
        &client,
        &server,
        Duration::from_millis(20),
        Duration::from_millis(5),
    );

    // The scripted peer: a server that accepts and sends 10,000 bytes.
    let listener = server.enter(|| {
        let l = Socket::tcp_v4().unwrap();
        l.bind("10.0.0.2:80".parse().unwrap()).unwrap();
        l.listen(4).unwrap();
        l
    });
    client.enter(|| {
        // The code under test: the production Socket / Event / wait API.
        let c = Socket::tcp_v4().unwrap();
        c.connect("10.0.0.2:80".parse().unwrap()).unwrap(); // blocking, virtual time
        let (s, _) = server.enter(|| listener.accept().unwrap());
        net.reset_stream_at(s.local_addr().unwrap(), c.local_addr().unwrap(), 3000);
        server.enter(|| s.send(&[1u8; 10_000]).unwrap());

        let ev = Event::new_manual(false);
        c.event_select(&ev, Fd::READ | Fd::CLOSE).unwrap();
        let mut got = 0;
        loop {
            assert_eq!(
                ev.wait(Some(Duration::from_secs(60))),
                WaitOutcome::Signaled(0),
                "seed {}:\n{}",
                net.seed(),
                net.trace()
            );
            let rec = c.enum_network_events(Some(&ev)).unwrap();
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = c.recv(&mut buf) {
                got += n;
            }
            if rec.events().contains(Fd::CLOSE) {
                assert_eq!(rec.error_code[wsaevents::FD_CLOSE_BIT], WSAECONNABORTED);
                break;
            }
        }
        assert_eq!(got, 3000);
    });
}
