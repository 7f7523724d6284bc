//! Helpers shared by the socket integration tests: loopback pairs and Wine-style
//! `check_events` (wait on the event, enumerate, compare bits and error codes exactly).
#![allow(dead_code)]

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use wsaevents::{Event, NetworkEventRecord, NetworkEvents as Fd, Socket, WaitOutcome};

/// Bound on every wait that is expected to succeed.
pub const LONG: Duration = Duration::from_secs(10);
/// How long a wait that must time out waits (nothing is expected, so this only bounds
/// how late a wrong event could show up).
pub const SHORT: Duration = Duration::from_millis(100);

pub fn lo4() -> SocketAddr {
    (Ipv4Addr::LOCALHOST, 0).into()
}

pub fn lo6() -> SocketAddr {
    (Ipv6Addr::LOCALHOST, 0).into()
}

pub fn tcp(v6: bool) -> Socket {
    if v6 {
        Socket::tcp_v6().unwrap()
    } else {
        Socket::tcp_v4().unwrap()
    }
}

/// A bound, listening socket on loopback.
pub fn listener(v6: bool) -> Socket {
    let l = tcp(v6);
    l.bind(if v6 { lo6() } else { lo4() }).unwrap();
    l.listen(16).unwrap();
    l
}

/// `tcp_socketpair` of the Wine tests: a blocking connect from `client`, then `accept`
/// gives `server`; the listener is closed. Both blocking, unselected.
pub fn pair(v6: bool) -> (Socket, Socket) {
    let l = listener(v6);
    let c = tcp(v6);
    c.connect(l.local_addr().unwrap()).unwrap();
    let (s, _) = l.accept().unwrap();
    (c, s)
}

/// Wine's `check_events`: waits for the event (must be signalled if anything is expected,
/// must time out otherwise), enumerates with the event (resetting it), and requires the
/// reported bits to be exactly `expect`, each with its error code.
#[track_caller]
pub fn check_events(s: &Socket, ev: &Event, expect: &[(Fd, i32)]) {
    let want: Fd = expect.iter().fold(Fd::empty(), |a, (b, _)| a | *b);
    let timeout = if want.is_empty() { SHORT } else { LONG };
    let waited = ev.wait(Some(timeout));
    if want.is_empty() {
        assert_eq!(
            waited,
            WaitOutcome::TimedOut,
            "the event must not be signalled"
        );
    } else {
        assert_eq!(
            waited,
            WaitOutcome::Signaled(0),
            "expected {want:?}, the event never came"
        );
    }
    let mut rec = NetworkEventRecord {
        network_events: 0,
        error_code: [0x5A5A_5A5A; 10],
    };
    s.enum_network_events_into(Some(ev), &mut rec).unwrap();
    assert_eq!(rec.events(), want, "reported events");
    for (b, code) in expect {
        let bit = b.bits().trailing_zeros() as usize;
        assert_eq!(rec.error_code[bit], *code, "error code of {b:?}");
    }
    for i in 0..10 {
        if !want.contains(Fd::from_bit(i).unwrap()) {
            assert_eq!(
                rec.error_code[i], 0x5A5A_5A5A,
                "iErrorCode[{i}] must be untouched"
            );
        }
    }
}

/// Waits until `s` has recorded (not necessarily selected) all of `bits`: for the cases where
/// a test must know the network has delivered something before acting, without sleeping.
/// Uses a private event and restores nothing: call before the test's own select.
#[track_caller]
pub fn await_recorded(s: &Socket, bits: Fd) {
    let deadline = std::time::Instant::now() + LONG;
    loop {
        let (_, recorded) = s.selection().unwrap();
        if recorded.contains(bits) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{bits:?} never recorded"
        );
        // Drive the poller briefly: a zero-timeout wait harvests OS readiness.
        let tick = Event::new_manual(false);
        tick.wait(Some(Duration::from_millis(5)));
    }
}
