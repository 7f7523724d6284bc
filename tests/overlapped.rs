//! Overlapped I/O on the socket layer (issue 11): `WSARecv`/`WSASend` with an event or a
//! completion routine, `WSAGetOverlappedResult`, alertable waits, cancellation, and what a
//! pending operation does to the event-select record. Each test cites its source: Wine's
//! ws2_32 tests (run on Windows; `todo_wine` marks a Windows value Wine misses) or the
//! Microsoft page.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use wsaevents::{
    CancelFilter, Event, MsgFlags, NetworkEvents as Fd, Notify, OpResult, Overlapped, Socket,
    WaitOutcome, sleep_alertable, wait_any, wait_any_alertable,
};

const LONG: Duration = Duration::from_secs(10);

fn pair() -> (Socket, Socket) {
    let l = Socket::tcp_v4().unwrap();
    l.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    l.listen(4).unwrap();
    let c = Socket::tcp_v4().unwrap();
    c.connect(l.local_addr().unwrap()).unwrap();
    let (s, _) = l.accept().unwrap();
    (c, s)
}

fn ev_notify(e: &Event) -> Vec<Notify> {
    vec![Notify::Event(e.clone())]
}

/// WSARecv doc: a receive that finds data completes at once ("returns zero"), with the
/// event signalled; test_WSARecv (Wine, run on Windows): a pending one completes when data
/// arrives, bytes in GetOverlappedResult.
#[test]
fn recv_completes_at_once_or_when_data_arrives() {
    let (c, s) = pair();
    let ev = Event::new_manual(true);
    let op = s
        .recv_overlapped(vec![0; 16], MsgFlags::default(), ev_notify(&ev))
        .unwrap();
    assert!(!op.is_completed(), "nothing sent yet: pending");
    assert!(
        !ev.is_set(),
        "starting the operation resets the event (ReadFile doc)"
    );
    assert_eq!(op.result().unwrap_err().code(), 996, "WSA_IO_INCOMPLETE");
    c.send(b"hello").unwrap();
    assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
    let r = op.result().unwrap();
    assert_eq!(r.bytes, 5);
    assert_eq!(&op.take_buffer().unwrap()[..5], b"hello");

    c.send(b"abc").unwrap();
    // Let the bytes arrive, then the receive finds them at once.
    let probe = Event::new_manual(false);
    s.event_select(&probe, Fd::READ).unwrap();
    assert_eq!(probe.wait(Some(LONG)), WaitOutcome::Signaled(0));
    let op = s
        .recv_overlapped(vec![0; 16], MsgFlags::default(), ev_notify(&ev))
        .unwrap();
    assert!(op.is_completed());
    assert!(ev.is_set());
    assert_eq!(op.result().unwrap(), OpResult::ok(3));
}
