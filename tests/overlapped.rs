//! Overlapped I/O on the socket layer (issue 11): `WSARecv`/`WSASend` with an event or a
//! completion routine, `WSAGetOverlappedResult`, alertable waits, cancellation, and what a
//! pending operation does to the event-select record. Each test cites its source: Wine's
//! ws2_32 tests (run on Windows; `todo_wine` marks a Windows value Wine misses) or the
//! Microsoft page.

mod common;

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
    common::both(|| {
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
    });
}

/// test_WSARecv (Wine, run on Windows) and the WSARecv page: several pending receives
/// complete in the order they were issued, each with its own part of the stream.
#[test]
fn pending_receives_complete_in_issue_order() {
    common::both(|| {
        let (c, s) = pair();
        let evs: Vec<Event> = (0..4).map(|_| Event::new_manual(false)).collect();
        let ops: Vec<Overlapped> = evs
            .iter()
            .map(|e| {
                s.recv_overlapped(vec![0; 2], MsgFlags::default(), ev_notify(e))
                    .unwrap()
            })
            .collect();
        assert!(ops.iter().all(|o| !o.is_completed()));
        assert_eq!(s.pending_overlapped(), 4);
        c.send(b"aabbccdd").unwrap();
        for (e, want) in evs.iter().zip([b"aa", b"bb", b"cc", b"dd"]) {
            assert_eq!(e.wait(Some(LONG)), WaitOutcome::Signaled(0));
            let _ = want;
        }
        let mut got = Vec::new();
        for o in &ops {
            let r = o.result().unwrap();
            got.extend_from_slice(&o.take_buffer().unwrap()[..r.bytes]);
        }
        assert_eq!(got, b"aabbccdd");
        assert_eq!(s.pending_overlapped(), 0);
    });
}

/// test_send (Wine, run on Windows): an overlapped send that cannot be taken at once pends
/// and completes when its whole buffer is taken, with the whole length.
///
/// Loopback only (the simulated send buffer takes 8 MiB whole (rule 32); on the simulated network: `sim::send_into_a_full_window_pends_until_the_peer_reads`).
#[test]
fn send_completes_when_the_whole_buffer_is_taken() {
    let (c, s) = pair();
    let big: Vec<u8> = (0..8 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    let ev = Event::new_manual(false);
    let op = c.send_overlapped(big.clone(), ev_notify(&ev)).unwrap();
    assert!(
        !op.is_completed(),
        "8 MiB do not fit the socket buffers: pending"
    );
    // Drain on another thread; the sender's wait drives the network.
    let reader = std::thread::spawn(move || {
        let mut got = Vec::with_capacity(8 * 1024 * 1024);
        let mut buf = vec![0; 65536];
        while got.len() < 8 * 1024 * 1024 {
            let n = s.recv(&mut buf).unwrap();
            assert!(n > 0);
            got.extend_from_slice(&buf[..n]);
        }
        got
    });
    assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
    assert_eq!(op.result().unwrap().bytes, big.len());
    assert_eq!(reader.join().unwrap(), big);
}

/// WSAGetOverlappedResult / WSARecv pages: a pending receive completes with 0 bytes at the
/// peer's FIN; test_WSARecv (Wine, run on Windows): after a RST it fails, GetOverlappedResult
/// ERROR_NETNAME_DELETED with 0 bytes, which WSAGetOverlappedResult reports as
/// WSAECONNRESET.
#[test]
fn fin_gives_zero_bytes_and_rst_gives_connreset() {
    common::both(|| {
        let (c, s) = pair();
        let ev = Event::new_manual(false);
        let op = s
            .recv_overlapped(vec![0; 8], MsgFlags::default(), ev_notify(&ev))
            .unwrap();
        c.shutdown(std::net::Shutdown::Write).unwrap();
        assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(op.result().unwrap(), OpResult::ok(0));

        let (c, s) = pair();
        let ev = Event::new_manual(false);
        let op1 = s
            .recv_overlapped(vec![0; 8], MsgFlags::default(), ev_notify(&ev))
            .unwrap();
        let ev2 = Event::new_manual(false);
        let op2 = s
            .recv_overlapped(vec![0; 8], MsgFlags::default(), ev_notify(&ev2))
            .unwrap();
        c.set_linger(Some(Duration::ZERO)).unwrap();
        c.close().unwrap();
        assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(ev2.wait(Some(LONG)), WaitOutcome::Signaled(0));
        if common::wine_differs(
            "a RST: recv returns 0, so a pending receive completes with 0 bytes",
        ) {
            assert_eq!(op1.result().unwrap(), OpResult::ok(0));
            return;
        }
        for op in [&op1, &op2] {
            let e = op.result().unwrap_err();
            assert_eq!(e.code(), 10054, "WSAECONNRESET");
            let r = op.completed_result().unwrap();
            assert_eq!(r.bytes, 0);
            assert_eq!(r.status(), wsaevents::overlapped::STATUS_CONNECTION_RESET);
            assert_eq!(wsaevents::overlapped::win32_error_of_status(r.status()), 64);
        }
        // A receive issued after the RST fails at once (no completion).
        let ev3 = Event::new_manual(false);
        let e = s
            .recv_overlapped(vec![0; 8], MsgFlags::default(), ev_notify(&ev3))
            .unwrap_err();
        assert_eq!(e.code(), 10054);
        assert!(!ev3.is_set());
    });
}

type Log = Arc<parking_lot::Mutex<Vec<(usize, i32, usize)>>>;

fn routine(log: &Log, tag: usize) -> Vec<Notify> {
    let log = log.clone();
    let me = std::thread::current().id();
    vec![Notify::Routine(Box::new(move |_op, r: &OpResult| {
        assert_eq!(
            std::thread::current().id(),
            me,
            "runs on the issuing thread"
        );
        log.lock().push((tag, r.error, r.bytes));
    }))]
}

/// test_WSARecv (Wine, run on Windows): a completion routine runs only in an alertable wait
/// of the issuing thread (SleepEx returns WAIT_IO_COMPLETION), once; the event in the
/// OVERLAPPED is not signalled when a routine is given. Routines run in completion order.
#[test]
fn completion_routines_run_in_alertable_waits_in_order() {
    common::both(|| {
        let (c, s) = pair();
        let log: Log = Default::default();
        let a = s
            .recv_overlapped(vec![0; 1], MsgFlags::default(), routine(&log, 1))
            .unwrap();
        let b = s
            .recv_overlapped(vec![0; 1], MsgFlags::default(), routine(&log, 2))
            .unwrap();
        c.send(b"xy").unwrap();
        // A non-alertable wait (WSAGetOverlappedResult with fWait) sees them complete but runs
        // no routine.
        assert_eq!(a.wait(Some(LONG)).unwrap().bytes, 1);
        assert_eq!(b.wait(Some(LONG)).unwrap().bytes, 1);
        assert!(
            log.lock().is_empty(),
            "no routine outside an alertable wait"
        );
        assert_eq!(sleep_alertable(Some(LONG)), WaitOutcome::IoCompletion);
        assert_eq!(*log.lock(), vec![(1, 0, 1), (2, 0, 1)]);
        assert_eq!(sleep_alertable(Some(Duration::ZERO)), WaitOutcome::TimedOut);
        assert_eq!(log.lock().len(), 2, "each once");
    });
}

/// An alertable wait with a pending operation drives the network itself (no background
/// thread): SleepEx(1000, TRUE) returns WAIT_IO_COMPLETION once data arrives (test_WSARecv).
///
/// Loopback only (a sender thread's real-time delay; on the simulated network: `sim::sleep_ex_runs_the_routine_when_the_data_arrives_in_virtual_time`).
#[test]
fn alertable_sleep_drives_the_network() {
    let (c, s) = pair();
    let log: Log = Default::default();
    let _op = s
        .recv_overlapped(vec![0; 4], MsgFlags::default(), routine(&log, 7))
        .unwrap();
    let sender = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        c.send(b"ping").unwrap();
        c
    });
    assert_eq!(sleep_alertable(Some(LONG)), WaitOutcome::IoCompletion);
    assert_eq!(*log.lock(), vec![(7, 0, 4)]);
    drop(sender.join().unwrap());
}

/// Windows queues the routine of an operation that completes at once too (unless
/// FILE_SKIP_COMPLETION_PORT_ON_SUCCESS): test_get_extension_func / test_base_handle run a
/// SleepEx(0, TRUE) after an immediate success and see the APC.
#[test]
fn immediate_completion_still_queues_its_routine() {
    common::both(|| {
        let (c, s) = pair();
        c.send(b"now").unwrap();
        let probe = Event::new_manual(false);
        s.event_select(&probe, Fd::READ).unwrap();
        assert_eq!(probe.wait(Some(LONG)), WaitOutcome::Signaled(0));
        let log: Log = Default::default();
        let op = s
            .recv_overlapped(vec![0; 8], MsgFlags::default(), routine(&log, 3))
            .unwrap();
        assert!(op.is_completed());
        assert!(log.lock().is_empty());
        assert_eq!(
            sleep_alertable(Some(Duration::ZERO)),
            WaitOutcome::IoCompletion
        );
        assert_eq!(*log.lock(), vec![(3, 0, 3)]);
    });
}

/// WaitForMultipleObjectsEx: a signalled object takes priority over queued APCs (semantics
/// B.2, "Alertable"); QueueUserAPC shares the queue with completion routines, in order.
///
/// Loopback only (no socket; on the simulated network: `sim::alertable_wait_runs_routines_in_virtual_time`).
#[test]
fn alertable_wait_objects_first_then_apcs_in_order() {
    let q = wsaevents::ApcQueue::current();
    let n = Arc::new(AtomicUsize::new(0));
    for i in 0..3 {
        let n = n.clone();
        q.queue(Box::new(move || {
            assert_eq!(n.fetch_add(1, Ordering::SeqCst), i);
        }));
    }
    let ev = Event::new_manual(true);
    assert_eq!(
        wait_any_alertable(&[&ev], Some(Duration::ZERO)).unwrap(),
        WaitOutcome::Signaled(0)
    );
    assert_eq!(
        n.load(Ordering::SeqCst),
        0,
        "the object wins; the APCs wait"
    );
    ev.reset();
    assert_eq!(
        wait_any_alertable(&[&ev], Some(LONG)).unwrap(),
        WaitOutcome::IoCompletion
    );
    assert_eq!(n.load(Ordering::SeqCst), 3);
    // A non-alertable wait never returns IoCompletion.
    q.queue(Box::new(|| {}));
    assert_eq!(
        wait_any(&[&ev], Some(Duration::ZERO)).unwrap(),
        WaitOutcome::TimedOut
    );
    assert_eq!(
        sleep_alertable(Some(Duration::ZERO)),
        WaitOutcome::IoCompletion
    );
}

/// An APC queued from another thread wakes a blocked alertable wait (QueueUserAPC).
///
/// Loopback only (another thread's real-time delay against a bounded wait (docs/simulation.md, several threads)).
#[test]
fn apc_from_another_thread_wakes_an_alertable_wait() {
    let q = wsaevents::ApcQueue::current();
    let ran = Arc::new(AtomicUsize::new(0));
    let r2 = ran.clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        q.queue(Box::new(move || {
            r2.fetch_add(1, Ordering::SeqCst);
        }));
    });
    let ev = Event::new_manual(false);
    assert_eq!(
        wait_any_alertable(&[&ev], Some(LONG)).unwrap(),
        WaitOutcome::IoCompletion
    );
    assert_eq!(ran.load(Ordering::SeqCst), 1);
    t.join().unwrap();
}

/// CancelIo cancels the calling thread's operations on the socket only; CancelIoEx one by
/// its OVERLAPPED or all; nothing to cancel: none (ERROR_NOT_FOUND in the facade). Each
/// completes once with WSA_OPERATION_ABORTED (995) (CancelIo, CancelIoEx pages).
#[test]
fn cancellation_by_thread_by_op_and_all() {
    common::both(|| {
        let (_c, s) = pair();
        let mine = s
            .recv_overlapped(vec![0; 4], MsgFlags::default(), vec![])
            .unwrap();
        let s2 = s.clone();
        let theirs = std::thread::spawn(move || {
            s2.recv_overlapped(vec![0; 4], MsgFlags::default(), vec![])
                .unwrap()
        })
        .join()
        .unwrap();
        assert_eq!(s.cancel_overlapped(CancelFilter::CallingThread).unwrap(), 1);
        assert_eq!(mine.result().unwrap_err().code(), 995);
        assert!(
            !theirs.is_completed(),
            "another thread's operation is not CancelIo's"
        );
        assert_eq!(s.cancel_overlapped(CancelFilter::Id(mine.id())).unwrap(), 0);
        assert_eq!(
            s.cancel_overlapped(CancelFilter::Id(theirs.id())).unwrap(),
            1
        );
        assert_eq!(theirs.result().unwrap_err().code(), 995);
        let a = s
            .recv_overlapped(vec![0; 4], MsgFlags::default(), vec![])
            .unwrap();
        let b = s
            .recv_overlapped(vec![0; 4], MsgFlags::default(), vec![])
            .unwrap();
        assert_eq!(s.cancel_overlapped(CancelFilter::All).unwrap(), 2);
        assert_eq!(s.cancel_overlapped(CancelFilter::All).unwrap(), 0);
        assert!(
            !a.complete(OpResult::ok(1)),
            "a completed operation never completes again"
        );
        assert_eq!(b.result().unwrap_err().code(), 995);
    });
}

/// closesocket completes the pending operations with WSA_OPERATION_ABORTED (rule 43: a
/// pending recv completes STATUS_CANCELLED, Wine's afd test, todo_wine on the event);
/// the operation is never touched again, and a newer socket sees nothing of it.
#[test]
fn close_aborts_pending_operations() {
    common::both(|| {
        let (c, s) = pair();
        let ev = Event::new_manual(false);
        let op = s
            .recv_overlapped(vec![0; 4], MsgFlags::default(), ev_notify(&ev))
            .unwrap();
        s.close().unwrap();
        assert!(ev.is_set());
        let r = op.completed_result().unwrap();
        assert_eq!(r.error, 995);
        assert_eq!(r.status(), wsaevents::overlapped::STATUS_CANCELLED);
        c.send(b"late").ok();
        let (_c2, s2) = pair();
        assert_eq!(s2.pending_overlapped(), 0);
        assert_eq!(op.completed_result().unwrap().error, 995);
    });
}

/// test_read_events (Wine, run on Windows), "Send data while there is a pending WSARecv()":
/// the byte the pending receive takes records no FD_READ; the next byte does (rule 19).
#[test]
fn pending_receive_takes_the_data_before_the_record() {
    common::both(|| {
        let (c, s) = pair();
        let ev = Event::new_manual(false);
        s.event_select(
            &ev,
            Fd::ACCEPT | Fd::CLOSE | Fd::CONNECT | Fd::OOB | Fd::READ,
        )
        .unwrap();
        let _ = s.enum_network_events(Some(&ev)).unwrap();
        let oev = Event::new_manual(false);
        let op = s
            .recv_overlapped(vec![0; 1], MsgFlags::default(), ev_notify(&oev))
            .unwrap();
        c.send(b"a").unwrap();
        assert_eq!(
            oev.wait(Some(Duration::from_secs(5))),
            WaitOutcome::Signaled(0)
        );
        assert_eq!(op.result().unwrap().bytes, 1);
        assert_eq!(
            ev.wait(Some(Duration::from_millis(200))),
            WaitOutcome::TimedOut
        );
        assert!(
            s.enum_network_events(Some(&ev))
                .unwrap()
                .events()
                .is_empty()
        );
        c.send(b"a").unwrap();
        assert_eq!(
            ev.wait(Some(Duration::from_secs(5))),
            WaitOutcome::Signaled(0)
        );
        assert_eq!(s.enum_network_events(Some(&ev)).unwrap().events(), Fd::READ);
        assert!(
            s.enum_network_events(Some(&ev))
                .unwrap()
                .events()
                .is_empty()
        );
    });
}

/// test_read_events (Wine, run on Windows): an overlapped receive that completes at once is
/// a re-enabling call like recv: data sent while not selecting, taken by sync_recv, gives
/// no FD_READ at the next select.
#[test]
fn immediate_overlapped_receive_is_a_reenabling_call() {
    common::both(|| {
        let (c, s) = pair();
        c.send(b"data\0").unwrap();
        let probe = Event::new_manual(false);
        s.event_select(&probe, Fd::READ).unwrap();
        assert_eq!(probe.wait(Some(LONG)), WaitOutcome::Signaled(0));
        s.event_select(None, Fd::empty()).unwrap();
        let op = s
            .recv_overlapped(vec![0; 5], MsgFlags::default(), vec![])
            .unwrap();
        assert_eq!(op.result().unwrap().bytes, 5);
        let ev = Event::new_manual(false);
        s.event_select(&ev, Fd::ACCEPT | Fd::CONNECT | Fd::OOB | Fd::READ)
            .unwrap();
        assert_eq!(
            ev.wait(Some(Duration::from_millis(200))),
            WaitOutcome::TimedOut
        );
    });
}

/// Overlapped operations pend whatever the socket's blocking mode
/// (test_nonblocking_async_recv, Wine, run on Windows); a receive on an unconnected socket
/// fails at once with WSAENOTCONN and never completes (WSARecv page).
#[test]
fn nonblocking_mode_and_synchronous_failures() {
    common::both(|| {
        let (_c, s) = pair();
        s.set_nonblocking(true).unwrap();
        let op = s
            .recv_overlapped(vec![0; 4], MsgFlags::default(), vec![])
            .unwrap();
        assert!(!op.is_completed());
        s.cancel_overlapped(CancelFilter::All).unwrap();
        let u = Socket::tcp_v4().unwrap();
        let ev = Event::new_manual(false);
        let e = u
            .recv_overlapped(vec![0; 4], MsgFlags::default(), ev_notify(&ev))
            .unwrap_err();
        assert_eq!(e.code(), 10057, "WSAENOTCONN");
        assert!(!ev.is_set());
        let e = u.send_overlapped(vec![1], vec![]).unwrap_err();
        assert_eq!(e.code(), 10057);
    });
}

/// UDP: WSARecvFrom overlapped reports the sender; a datagram larger than the buffer fills
/// it and fails WSAEMSGSIZE (STATUS_BUFFER_OVERFLOW, map_status); WSASendTo overlapped.
#[test]
fn datagrams_recv_from_and_send_to() {
    common::both(|| {
        let rx = Socket::udp_v4().unwrap();
        rx.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let tx = Socket::udp_v4().unwrap();
        tx.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let ev = Event::new_manual(false);
        let op = rx
            .recv_from_overlapped(vec![0; 64], MsgFlags::default(), ev_notify(&ev))
            .unwrap();
        let sent = tx
            .send_to_overlapped(b"hello".to_vec(), rx.local_addr().unwrap(), vec![])
            .unwrap();
        assert_eq!(sent.result().unwrap().bytes, 5);
        assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
        let r = op.result().unwrap();
        assert_eq!(r.bytes, 5);
        assert_eq!(r.from, Some(tx.local_addr().unwrap()));
        let ev = Event::new_manual(false);
        let op = rx
            .recv_from_overlapped(vec![0; 3], MsgFlags::default(), ev_notify(&ev))
            .unwrap();
        tx.send_to(b"toolong", rx.local_addr().unwrap()).unwrap();
        assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(op.result().unwrap_err().code(), 10040, "WSAEMSGSIZE");
        let r = op.completed_result().unwrap();
        assert_eq!(r.bytes, 3);
        assert_eq!(&op.take_buffer().unwrap()[..], b"too");
        assert_eq!(
            wsaevents::overlapped::win32_error_of_status(r.status()),
            234
        );
    });
}

/// WSAGetOverlappedResult with fWait: waits until the operation completes, driving the
/// network (no event needed: Windows then waits on the socket handle).
///
/// Loopback only (a sender thread's real-time delay; on the simulated network: `sim::get_overlapped_result_waits_in_virtual_time`).
#[test]
fn wait_for_the_result_without_an_event() {
    let (c, s) = pair();
    let op = s
        .recv_overlapped(vec![0; 4], MsgFlags::default(), vec![])
        .unwrap();
    assert_eq!(
        op.wait(Some(Duration::from_millis(20))).unwrap_err().code(),
        996
    );
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        c.send(b"wxyz").unwrap();
        c
    });
    assert_eq!(op.wait(Some(LONG)).unwrap().bytes, 4);
    drop(t.join().unwrap());
}

/// Counts the completions announced for one operation (a `Notify::Custom`, as the
/// completion port is).
struct Count(Arc<AtomicUsize>);

impl wsaevents::overlapped::Notifier for Count {
    fn notify(&mut self, _op: &Overlapped, _r: &OpResult) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A small deterministic generator (no dependency).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Stress: on four connections at once, thousands of overlapped receives (up to three
/// pending at a time) race cancellations from another thread (`CancelIoEx` by
/// operation) while overlapped sends feed them. Every operation completes exactly once
/// (one event, one notifier call), a cancelled one takes no data, and every byte arrives,
/// in order (CancelIoEx page: a cancelled operation completes with
/// ERROR_OPERATION_ABORTED; WSARecv page: pending receives complete in order).
///
/// Loopback only (threads racing in real time against bounded waits).
#[test]
fn stress_cancellations_race_completions() {
    const PAIRS: usize = 4;
    const BYTES: usize = 60_000;
    let mut workers = Vec::new();
    let total_ops = Arc::new(AtomicUsize::new(0));
    let total_cancelled = Arc::new(AtomicUsize::new(0));
    for p in 0..PAIRS {
        let (c, s) = pair();
        let total_ops = total_ops.clone();
        let total_cancelled = total_cancelled.clone();
        workers.push(std::thread::spawn(move || {
            let data: Vec<u8> = (0..BYTES).map(|i| (i * 7 + p) as u8).collect();
            let d2 = data.clone();
            // The sender sends one chunk per batch of receives, so that receives are
            // pending when the data and the cancellations arrive, racing.
            let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
            let sender = std::thread::spawn(move || {
                let mut rng = Rng(0x9E37_79B9 + p as u64);
                let mut at = 0;
                while at < d2.len() {
                    if go_rx.recv().is_err() {
                        break;
                    }
                    let n = (1 + rng.next() as usize % 90).min(d2.len() - at);
                    let op = c.send_overlapped(d2[at..at + n].to_vec(), vec![]).unwrap();
                    assert_eq!(op.wait(Some(LONG)).unwrap().bytes, n);
                    at += n;
                }
                c
            });
            let (tx, rx) = std::sync::mpsc::channel::<Overlapped>();
            let sc = s.clone();
            let canceller = std::thread::spawn(move || {
                let mut n = 0;
                for op in rx {
                    n += sc.cancel_overlapped(CancelFilter::Id(op.id())).unwrap();
                }
                n
            });
            let mut rng = Rng(0x1234_5678 + p as u64);
            let mut got = Vec::with_capacity(BYTES);
            let mut counters = Vec::new();
            let mut ops = 0usize;
            let mut aborted = 0usize;
            let mut aborted_at_end = 0usize;
            while got.len() < BYTES {
                let k = 1 + rng.next() as usize % 3;
                let mut batch = Vec::new();
                for _ in 0..k {
                    let ev = Event::new_manual(false);
                    let cnt = Arc::new(AtomicUsize::new(0));
                    // Notifications run in order: the count before the event, so that the
                    // count is final once the event is seen.
                    let notify = vec![
                        Notify::Custom(Box::new(Count(cnt.clone()))),
                        Notify::Event(ev.clone()),
                    ];
                    let len = 1 + rng.next() as usize % 97;
                    let op = s.recv_overlapped(vec![0; len], MsgFlags::default(), notify).unwrap();
                    if rng.next() % 3 == 0 {
                        tx.send(op.clone()).unwrap();
                    }
                    batch.push((op, ev, cnt.clone()));
                    counters.push(cnt);
                }
                for (op, ev, _) in batch {
                    if got.len() >= BYTES {
                        // Everything arrived: the rest of the batch is cancelled here.
                        aborted_at_end += s.cancel_overlapped(CancelFilter::Id(op.id())).unwrap();
                    } else if !op.is_completed() {
                        // One more chunk (the sender ends once everything is sent; a
                        // pending receive then completes with what is still on its way).
                        let _ = go_tx.send(());
                    }
                    if ev.wait(Some(LONG)) != WaitOutcome::Signaled(0) {
                        panic!(
                            "pair {p}: op {} not signalled: completed {:?}, pending {}, avail {:?}, got {}",
                            op.id(),
                            op.completed_result(),
                            s.pending_overlapped(),
                            s.bytes_available(),
                            got.len()
                        );
                    }
                    ops += 1;
                    match op.result() {
                        Ok(r) => {
                            assert!(r.bytes > 0);
                            got.extend_from_slice(&op.take_buffer().unwrap()[..r.bytes]);
                        }
                        Err(e) => {
                            assert_eq!(e.code(), 995);
                            assert_eq!(op.completed_result().unwrap().bytes, 0);
                            aborted += 1;
                        }
                    }
                }
            }
            drop(tx);
            drop(go_tx);
            let cancelled = canceller.join().unwrap();
            assert_eq!(
                cancelled + aborted_at_end,
                aborted,
                "each cancellation that won completed one op"
            );
            assert_eq!(got, data, "every byte, in order");
            for cnt in &counters {
                assert_eq!(cnt.load(Ordering::SeqCst), 1, "exactly one completion");
            }
            assert_eq!(s.pending_overlapped(), 0);
            drop(sender.join().unwrap());
            total_ops.fetch_add(ops, Ordering::SeqCst);
            total_cancelled.fetch_add(aborted, Ordering::SeqCst);
        }));
    }
    for w in workers {
        w.join().unwrap();
    }
    let ops = total_ops.load(Ordering::SeqCst);
    println!(
        "{ops} receives, {} cancelled",
        total_cancelled.load(Ordering::SeqCst)
    );
    assert!(ops >= 4000, "thousands of operations: {ops}");
    assert!(
        total_cancelled.load(Ordering::SeqCst) > 0,
        "some cancellations won the race"
    );
}

/// Stress: `closesocket` racing completions, 300 times: three receives pending, the peer
/// sending, another thread closing the socket. Every operation completes exactly once,
/// with data (a prefix of the stream, in order) or aborted (rule 43), and none after the
/// close touches the socket again.
#[test]
fn stress_close_races_completions() {
    common::both(|| {
        let mut aborted_total = 0;
        for round in 0..300u32 {
            let (c, s) = pair();
            let mut ops = Vec::new();
            let mut counts = Vec::new();
            for _ in 0..3 {
                let cnt = Arc::new(AtomicUsize::new(0));
                let ev = Event::new_manual(false);
                let op = s
                    .recv_overlapped(
                        vec![0; 3],
                        MsgFlags::default(),
                        vec![
                            Notify::Custom(Box::new(Count(cnt.clone()))),
                            Notify::Event(ev.clone()),
                        ],
                    )
                    .unwrap();
                ops.push((op, ev));
                counts.push(cnt);
            }
            let s2 = s.clone();
            let closer = std::thread::spawn(move || {
                if round % 2 == 0 {
                    std::thread::yield_now();
                }
                s2.close().unwrap();
            });
            let _ = c.send(b"abcdefghi");
            closer.join().unwrap();
            let mut got = Vec::new();
            let mut seen_abort = false;
            for (op, ev) in &ops {
                assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
                match op.result() {
                    Ok(r) => {
                        assert!(!seen_abort, "a later receive got data after an aborted one");
                        got.extend_from_slice(&op.take_buffer().unwrap()[..r.bytes]);
                    }
                    Err(e) => {
                        assert_eq!(e.code(), 995);
                        seen_abort = true;
                        aborted_total += 1;
                    }
                }
            }
            assert_eq!(&got[..], &b"abcdefghi"[..got.len()], "a prefix, in order");
            for cnt in &counts {
                assert_eq!(cnt.load(Ordering::SeqCst), 1, "exactly one completion");
            }
            assert_eq!(s.pending_overlapped(), 0);
            assert_eq!(
                s.cancel_overlapped(CancelFilter::All).unwrap_err().code(),
                10038
            );
        }
        assert!(aborted_total > 0, "the close won some races");
    });
}

/// The facade's Winsock names (`wsaevents::winsock`), as a port of C code uses them:
/// WSARecv with an OVERLAPPED pends (WSA_IO_PENDING, HasOverlappedIoCompleted false,
/// Internal STATUS_PENDING), WSAGetOverlappedResult reports WSA_IO_INCOMPLETE then the bytes;
/// a completion routine runs in SleepEx (WAIT_IO_COMPLETION); QueueUserAPC on
/// GetCurrentThread; CancelIoEx then ERROR_NOT_FOUND; GetOverlappedResult's Win32 codes
/// (test_WSARecv, test_WSAGetOverlappedResult, the CancelIoEx page).
#[test]
#[allow(non_snake_case)]
fn facade_winsock_names() {
    common::both(|| {
        use wsaevents::winsock::*;
        let mut d = WSADATA::default();
        assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut d), 0);
        let l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assert_eq!(bind(l, &"127.0.0.1:0".parse().unwrap()), 0);
        assert_eq!(listen_(l, 4), 0);
        let mut addr = "0.0.0.0:0".parse().unwrap();
        assert_eq!(getsockname(l, &mut addr), 0);
        let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assert_eq!(connect(c, &addr), 0);
        let s = accept(l, None);
        assert_ne!(s, INVALID_SOCKET);

        let ev = WSACreateEvent();
        let mut ov = WSAOVERLAPPED::new(ev);
        let mut flags = 0u32;
        assert_eq!(
            WSARecv_overlapped(s, vec![0; 16], None, &mut flags, &mut ov, None),
            SOCKET_ERROR
        );
        assert_eq!(WSAGetLastError(), WSA_IO_PENDING);
        assert!(!HasOverlappedIoCompleted(&ov));
        assert_eq!(ov.Internal(), STATUS_PENDING);
        let (mut n, mut f) = (0u32, 0u32);
        assert_eq!(WSAGetOverlappedResult(s, &ov, &mut n, FALSE, &mut f), FALSE);
        assert_eq!(WSAGetLastError(), WSA_IO_INCOMPLETE);
        assert_eq!(send(c, b"hi", 0), 2);
        assert_eq!(
            WSAWaitForMultipleEvents(&[ev], FALSE, 10_000, FALSE),
            WSA_WAIT_EVENT_0
        );
        assert_eq!(WSAGetOverlappedResult(s, &ov, &mut n, FALSE, &mut f), TRUE);
        assert_eq!((n, f), (2, 0));
        assert_eq!(ov.InternalHigh(), 2);
        assert_eq!(&ov.take_buffer().unwrap()[..2], b"hi");

        // A completion routine, run by SleepEx on this thread; QueueUserAPC shares the queue.
        // With a routine, hEvent is left alone (test_WSARecv): still set from the first.
        assert_eq!(WSAResetEvent(ev), TRUE);
        let calls = Arc::new(AtomicUsize::new(0));
        let c2 = calls.clone();
        let mut ov2 = WSAOVERLAPPED::new(ev);
        let routine: CompletionRoutine = Box::new(move |err, bytes, _op, _flags| {
            assert_eq!((err, bytes), (0, 3));
            c2.fetch_add(1, Ordering::SeqCst);
        });
        assert_eq!(
            WSARecv_overlapped(s, vec![0; 16], None, &mut flags, &mut ov2, Some(routine)),
            SOCKET_ERROR
        );
        assert_eq!(WSAGetLastError(), WSA_IO_PENDING);
        assert_eq!(send(c, b"abc", 0), 3);
        assert_eq!(SleepEx(10_000, TRUE), WAIT_IO_COMPLETION);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(
            WaitForSingleObjectEx(ev, 0, FALSE),
            WSA_WAIT_TIMEOUT,
            "the event untouched"
        );
        let c3 = calls.clone();
        assert_ne!(
            QueueUserAPC(
                Box::new(move || {
                    c3.fetch_add(10, Ordering::SeqCst);
                }),
                CURRENT_THREAD
            ),
            0
        );
        assert_eq!(WaitForSingleObjectEx(ev, 0, FALSE), WSA_WAIT_TIMEOUT);
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "not alertable: nothing runs"
        );
        assert_eq!(WaitForSingleObjectEx(ev, 10_000, TRUE), WAIT_IO_COMPLETION);
        assert_eq!(calls.load(Ordering::SeqCst), 11);
        assert_eq!(QueueUserAPC(Box::new(|| {}), 0x7ff0), 0);
        assert_eq!(WSAGetLastError(), WSA_INVALID_HANDLE);

        // CancelIoEx, then ERROR_NOT_FOUND; GetOverlappedResult's Win32 code.
        let mut ov3 = WSAOVERLAPPED::new(ev);
        assert_eq!(
            WSARecv_overlapped(s, vec![0; 16], None, &mut flags, &mut ov3, None),
            SOCKET_ERROR
        );
        assert_eq!(CancelIoEx(s, Some(&ov3)), TRUE);
        assert_eq!(CancelIoEx(s, Some(&ov3)), FALSE);
        assert_eq!(WSAGetLastError() as u32, ERROR_NOT_FOUND);
        assert_eq!(GetOverlappedResult(s, &ov3, &mut n, FALSE), FALSE);
        assert_eq!(WSAGetLastError() as u32, ERROR_OPERATION_ABORTED);
        assert_eq!(ov3.Internal(), STATUS_CANCELLED);
        assert_eq!(CancelIo(s), TRUE);
        // CancelIoEx page: "If this function cannot find a request to cancel, the return value
        // is 0 (zero), and GetLastError returns ERROR_NOT_FOUND" (for all requests too).
        assert_eq!(CancelIoEx(s, None), FALSE);
        assert_eq!(WSAGetLastError() as u32, ERROR_NOT_FOUND);
        // Not a socket: WSAENOTSOCK (test_WSAGetOverlappedResult).
        assert_eq!(
            WSAGetOverlappedResult(0x7ff0, &ov3, &mut n, FALSE, &mut f),
            FALSE
        );
        assert_eq!(WSAGetLastError(), WSAENOTSOCK);
        // An hEvent that is not an event: WSAENOTSOCK (map_status), nothing issued.
        let mut bad = WSAOVERLAPPED::new(c);
        assert_eq!(
            WSARecv_overlapped(s, vec![0; 4], None, &mut flags, &mut bad, None),
            SOCKET_ERROR
        );
        assert_eq!(WSAGetLastError(), WSAENOTSOCK);
        assert!(bad.operation().is_none());

        // An immediate completion: 0 and the bytes.
        assert_eq!(send(c, b"xyz", 0), 3);
        let probe = WSACreateEvent();
        assert_eq!(WSAEventSelect(s, probe, FD_READ), 0);
        assert_eq!(
            WSAWaitForMultipleEvents(&[probe], FALSE, 10_000, FALSE),
            WSA_WAIT_EVENT_0
        );
        let mut ov4 = WSAOVERLAPPED::new(ev);
        let mut got = 0u32;
        assert_eq!(
            WSARecv_overlapped(s, vec![0; 16], Some(&mut got), &mut flags, &mut ov4, None),
            0
        );
        assert_eq!(got, 3);
        assert!(HasOverlappedIoCompleted(&ov4));
        for h in [c, s, l] {
            closesocket(h);
        }
        WSACloseEvent(ev);
        WSACloseEvent(probe);
    });
}

/// A routine that unwinds (a Rust closure's panic, as the C boundary catches) loses none of
/// the routines queued after it: they run at the thread's next alertable wait.
///
/// Loopback only (no socket).
#[test]
fn a_panicking_routine_loses_no_other() {
    let q = wsaevents::ApcQueue::current();
    let ran = Arc::new(AtomicUsize::new(0));
    let (r1, r3) = (ran.clone(), ran.clone());
    q.queue(Box::new(move || {
        r1.fetch_add(1, Ordering::SeqCst);
    }));
    q.queue(Box::new(|| panic!("routine failed")));
    q.queue(Box::new(move || {
        r3.fetch_add(10, Ordering::SeqCst);
    }));
    let r = std::panic::catch_unwind(|| sleep_alertable(Some(Duration::ZERO)));
    assert!(r.is_err());
    assert_eq!(ran.load(Ordering::SeqCst), 1);
    assert_eq!(q.len(), 1, "the third is still queued");
    assert_eq!(
        sleep_alertable(Some(Duration::ZERO)),
        WaitOutcome::IoCompletion
    );
    assert_eq!(ran.load(Ordering::SeqCst), 11);
}

/// test_nonblocking_async_recv (Wine, run on Windows): with no event in the OVERLAPPED, the
/// socket handle itself is waited on: unsignalled while the receive is pending (starting it
/// reset it), signalled when it completes.
#[test]
fn the_socket_handle_is_signalled_at_completion() {
    common::both(|| {
        let (c, s) = pair();
        let h = s.io_event();
        h.set();
        let op = s
            .recv_overlapped(vec![0; 4], MsgFlags::default(), vec![])
            .unwrap();
        assert_eq!(
            h.wait(Some(Duration::ZERO)),
            WaitOutcome::TimedOut,
            "reset at the start"
        );
        c.send(b"sock").unwrap();
        assert_eq!(h.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(op.result().unwrap().bytes, 4);
    });
}

// ------------------------------------------------------------------------------------------
// On the simulated network only: what loopback cannot produce, with its virtual time (issue
// 14). One thread drives each network, so every time below is exact.

mod sim {
    use super::*;
    use wsaevents::error::*;
    use wsaevents::sim::{Host, Network};

    pub(super) const MS20: Duration = Duration::from_millis(20);

    /// Hosts `a` (10.0.0.1) and `b` (10.0.0.2), 20 ms apart, no jitter.
    pub(super) fn two_hosts(seed: u64) -> (Network, Host, Host) {
        sim_two_hosts(seed, MS20)
    }

    pub(super) use super::common::sim_pair_across as pair_across;
    use super::common::{sim_two_hosts, traced};

    /// test_WSARecv (Wine, run on Windows): a completion routine runs in SleepEx(…, TRUE),
    /// which returns WAIT_IO_COMPLETION. On the simulated network the sleep drives the
    /// network in virtual time: it returns exactly when the data arrives (20 ms after the
    /// send), and a SleepEx with nothing to run lasts exactly its timeout.
    #[test]
    fn sleep_ex_runs_the_routine_when_the_data_arrives_in_virtual_time() {
        let (net, a, b) = two_hosts(1);
        let (c, s) = pair_across(&a, &b);
        traced(&net, || {
            b.enter(|| {
                let log: Log = Default::default();
                let _op = s
                    .recv_overlapped(vec![0; 4], MsgFlags::default(), routine(&log, 7))
                    .unwrap();
                let t0 = net.now();
                c.send(b"ping").unwrap();
                assert_eq!(sleep_alertable(Some(LONG)), WaitOutcome::IoCompletion);
                assert_eq!(net.now() - t0, MS20, "the data's arrival");
                assert_eq!(*log.lock(), vec![(7, 0, 4)]);
                // Nothing queued: the sleep lasts its timeout, in virtual time.
                let t1 = net.now();
                assert_eq!(
                    sleep_alertable(Some(Duration::from_secs(5))),
                    WaitOutcome::TimedOut
                );
                assert_eq!(net.now() - t1, Duration::from_secs(5));
                // The facade's SleepEx: not alertable, it runs no routine and sleeps its
                // time on the network's clock; alertable, it runs the queued one at once.
                use wsaevents::winsock::{SleepEx, WAIT_IO_COMPLETION};
                let ran = Arc::new(AtomicUsize::new(0));
                let r2 = ran.clone();
                wsaevents::ApcQueue::current().queue(Box::new(move || {
                    r2.fetch_add(1, Ordering::SeqCst);
                }));
                let t2 = net.now();
                assert_eq!(SleepEx(250, 0), 0);
                assert_eq!(net.now() - t2, Duration::from_millis(250));
                assert_eq!(ran.load(Ordering::SeqCst), 0);
                assert_eq!(SleepEx(10_000, 1), WAIT_IO_COMPLETION);
                assert_eq!(ran.load(Ordering::SeqCst), 1);
                assert_eq!(net.now() - t2, Duration::from_millis(250));
            });
        });
    }

    /// WSAWaitForMultipleEvents(fAlertable = TRUE) on a simulated network's event: the
    /// routine queued by a completion ends it with WSA_WAIT_IO_COMPLETION, at the virtual
    /// instant of the completion; an event signalled with a routine queued wins (B.2,
    /// "Alertable"); QueueUserAPC's routines share the queue.
    #[test]
    fn alertable_wait_runs_routines_in_virtual_time() {
        let (net, a, b) = two_hosts(2);
        let (c, s) = pair_across(&a, &b);
        traced(&net, || {
            b.enter(|| {
                let log: Log = Default::default();
                let other = Event::new_manual(false);
                let sel = Event::new_manual(false);
                s.event_select(&sel, Fd::CLOSE).unwrap();
                let _op = s
                    .recv_overlapped(vec![0; 8], MsgFlags::default(), routine(&log, 1))
                    .unwrap();
                let t0 = net.now();
                c.send(b"abc").unwrap();
                assert_eq!(
                    wait_any_alertable(&[&other, &sel], Some(LONG)).unwrap(),
                    WaitOutcome::IoCompletion
                );
                assert_eq!(net.now() - t0, MS20);
                assert_eq!(*log.lock(), vec![(1, 0, 3)]);
                // An object signalled and an APC queued: the object first.
                let ran = Arc::new(AtomicUsize::new(0));
                let r2 = ran.clone();
                wsaevents::ApcQueue::current().queue(Box::new(move || {
                    r2.fetch_add(1, Ordering::SeqCst);
                }));
                other.set();
                assert_eq!(
                    wait_any_alertable(&[&other, &sel], Some(LONG)).unwrap(),
                    WaitOutcome::Signaled(0)
                );
                assert_eq!(ran.load(Ordering::SeqCst), 0);
                other.reset();
                assert_eq!(
                    wait_any_alertable(&[&other, &sel], Some(LONG)).unwrap(),
                    WaitOutcome::IoCompletion
                );
                assert_eq!(ran.load(Ordering::SeqCst), 1);
                // Nothing queued, nothing scheduled: the wait times out at its deadline.
                let t1 = net.now();
                assert_eq!(
                    wsaevents::wait_all_alertable(&[&other, &sel], Some(Duration::from_secs(3)))
                        .unwrap(),
                    WaitOutcome::TimedOut
                );
                assert_eq!(net.now() - t1, Duration::from_secs(3));
            });
        });
    }

    /// docs/simulation.md: a wait on events of no network (what a thread's handle is) stays
    /// in real time on a simulated thread, alertable too: another thread's set ends it, the
    /// virtual clock does not move (it would time out at once in virtual time).
    #[test]
    fn an_alertable_wait_on_events_of_no_network_stays_real_time() {
        let (net, a, _b) = two_hosts(9);
        let outside = Event::new_manual(false);
        let o2 = outside.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            o2.set();
        });
        a.enter(|| {
            let _s = Socket::tcp_v4().unwrap();
            assert_eq!(
                wait_any_alertable(&[&outside], Some(LONG)).unwrap(),
                WaitOutcome::Signaled(0)
            );
        });
        assert_eq!(net.now(), Duration::ZERO);
        t.join().unwrap();
    }

    /// WSAGetOverlappedResult with fWait (no event: the socket handle is waited on) waits in
    /// virtual time: a bounded wait ends WSA_IO_INCOMPLETE after exactly its bound, and the
    /// result comes at the data's arrival.
    #[test]
    fn get_overlapped_result_waits_in_virtual_time() {
        let (net, a, b) = two_hosts(3);
        let (c, s) = pair_across(&a, &b);
        traced(&net, || {
            let op = s
                .recv_overlapped(vec![0; 4], MsgFlags::default(), vec![])
                .unwrap();
            let t0 = net.now();
            assert_eq!(
                op.wait(Some(Duration::from_millis(7))).unwrap_err().code(),
                WSA_IO_INCOMPLETE
            );
            assert_eq!(net.now() - t0, Duration::from_millis(7));
            let t1 = net.now();
            c.send(b"wxyz").unwrap();
            assert_eq!(op.wait(Some(LONG)).unwrap().bytes, 4);
            assert_eq!(net.now() - t1, MS20);
        });
    }

    /// Rule 39 with a pending receive: the peer's RST after byte 3000 of a 10,000-byte
    /// transfer (`reset_stream_at`). The pending receives take the 3000 bytes, then the one
    /// pending at the RST fails WSAECONNRESET: STATUS_CONNECTION_RESET in the OVERLAPPED,
    /// ERROR_NETNAME_DELETED (64) from GetOverlappedResult (test_WSARecv, Wine, run on
    /// Windows), at the RST's arrival: the data arrives 20 ms after the send, the network
    /// resets the stream there, and its RST reaches the client 20 ms later.
    #[test]
    fn rst_mid_transfer_fails_the_pending_receive() {
        let (net, a, b) = two_hosts(4);
        let (c, s) = pair_across(&a, &b);
        traced(&net, || {
            net.reset_stream_at(s.local_addr().unwrap(), c.local_addr().unwrap(), 3000);
            let ev = Event::new_manual(false);
            let t0 = net.now();
            let mut op = c
                .recv_overlapped(vec![0; 1000], MsgFlags::default(), ev_notify(&ev))
                .unwrap();
            s.send(&[5u8; 10_000]).unwrap();
            let mut got = 0;
            let failed = loop {
                assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
                match op.result() {
                    Ok(r) => {
                        assert!(r.bytes > 0, "no FIN came: a RST");
                        got += r.bytes;
                    }
                    Err(e) => break e.code(),
                }
                op = c
                    .recv_overlapped(vec![0; 1000], MsgFlags::default(), ev_notify(&ev))
                    .unwrap_or_else(|e| panic!("after {got} bytes: {e}"));
            };
            assert_eq!(got, 3000);
            assert_eq!(failed, WSAECONNRESET);
            let r = op.completed_result().unwrap();
            assert_eq!((r.bytes, r.status()), (0, 0xC000_020D));
            assert_eq!(wsaevents::iocp::ntstatus_to_win32(r.status() as u32), 64);
            assert_eq!(net.now() - t0, 2 * MS20);
            let trace = net.trace();
            assert!(
                trace.contains(
                    "   0.080000000 a#1(10.0.0.1:49152) WSARecv overlapped completes 0 bytes, WSAECONNRESET (10054)"
                ),
                "{trace}"
            );
        });
    }

    /// CancelIoEx and closesocket at a chosen virtual time: the pending operations complete
    /// then with WSA_OPERATION_ABORTED (995; CancelIoEx page; rule 43), and the trace says
    /// when.
    #[test]
    fn cancellation_at_a_virtual_time() {
        let (net, a, b) = two_hosts(5);
        let (c, s) = pair_across(&a, &b);
        traced(&net, || {
            let ev = Event::new_manual(false);
            let op = s
                .recv_overlapped(vec![0; 4], MsgFlags::default(), ev_notify(&ev))
                .unwrap();
            net.run_for(Duration::from_secs(3));
            assert!(!op.is_completed());
            let at = net.now();
            assert_eq!(s.cancel_overlapped(CancelFilter::All).unwrap(), 1);
            assert_eq!(ev.wait(Some(Duration::ZERO)), WaitOutcome::Signaled(0));
            assert_eq!(op.result().unwrap_err().code(), WSA_OPERATION_ABORTED);
            assert_eq!(net.now(), at, "a cancellation takes no time");

            let op2 = c
                .recv_overlapped(vec![0; 4], MsgFlags::default(), ev_notify(&ev))
                .unwrap();
            net.run_for(Duration::from_secs(2));
            drop(c);
            assert_eq!(op2.result().unwrap_err().code(), WSA_OPERATION_ABORTED);
            let trace = net.trace();
            for line in [
                "   3.040000000 b#2(10.0.0.2:80) WSARecv overlapped completes WSA_OPERATION_ABORTED (995)",
                "   5.040000000 a#1(10.0.0.1:49152) WSARecv overlapped completes WSA_OPERATION_ABORTED (995)",
            ] {
                assert!(trace.contains(line), "{line}\n{trace}");
            }
        });
    }

    /// Mixing is an error, not a hang (docs/simulation.md): an OVERLAPPED's event of another
    /// network, or one an OS socket feeds, fails the call WSAEINVAL (as WSAEventSelect's
    /// does); a wait over a simulated operation's event and an OS socket's fails
    /// WSA_INVALID_PARAMETER.
    #[test]
    fn mixing_networks_is_an_error() {
        let (_net, a, b) = two_hosts(6);
        let (_c, s) = pair_across(&a, &b);
        let other = Network::new(7);
        let elsewhere = other.host("x", &["10.0.0.9".parse().unwrap()]);
        let foreign = elsewhere.enter(|| Event::new_manual(false));
        assert_eq!(
            s.recv_overlapped(vec![0; 4], MsgFlags::default(), ev_notify(&foreign))
                .unwrap_err()
                .code(),
            WSAEINVAL
        );
        // An event an OS socket's operation feeds.
        let (oc, os) = super::pair();
        let os_ev = Event::new_manual(false);
        let _os_op = os
            .recv_overlapped(vec![0; 4], MsgFlags::default(), ev_notify(&os_ev))
            .unwrap();
        assert_eq!(
            s.recv_overlapped(vec![0; 4], MsgFlags::default(), ev_notify(&os_ev))
                .unwrap_err()
                .code(),
            WSAEINVAL
        );
        // The other way round: a simulated network's event for an OS socket's operation.
        let sim_ev = a.enter(|| Event::new_manual(false));
        assert_eq!(
            os.recv_overlapped(vec![0; 4], MsgFlags::default(), ev_notify(&sim_ev))
                .unwrap_err()
                .code(),
            WSAEINVAL
        );
        // A fresh event of no network joins the socket's.
        let fresh = Event::new_manual(false);
        let _op = s
            .recv_overlapped(vec![0; 4], MsgFlags::default(), ev_notify(&fresh))
            .unwrap();
        assert_eq!(
            wait_any(&[&fresh, &os_ev], Some(Duration::ZERO))
                .unwrap_err()
                .code(),
            WSA_INVALID_PARAMETER
        );
        drop((oc, os));
    }

    /// An overlapped send into a full window (the peer does not read; a small SO_RCVBUF):
    /// the first is taken whole (rule 32), the next pends and completes, with its whole
    /// length, when the peer reads, one round trip later (the window update).
    #[test]
    fn send_into_a_full_window_pends_until_the_peer_reads() {
        let (net, a, b) = two_hosts(8);
        let (c, s) = pair_across(&a, &b);
        traced(&net, || {
            s.set_recv_buffer_size(4096).unwrap();
            c.set_send_buffer_size(4096).unwrap();
            let ev = Event::new_manual(false);
            let mut ops = Vec::new();
            let mut sent = 0usize;
            loop {
                let op = c.send_overlapped(vec![1u8; 4096], ev_notify(&ev)).unwrap();
                sent += 4096;
                if !op.is_completed() {
                    ops.push(op);
                    break;
                }
                net.run_for(Duration::from_secs(1));
                assert!(sent < 1 << 20, "never pended");
            }
            let pending = ops.pop().unwrap();
            net.run_for(Duration::from_secs(10));
            assert!(!pending.is_completed(), "nobody reads: stays pending");
            super::common::drain(&s, sent);
            assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
            assert_eq!(pending.result().unwrap().bytes, 4096);
        });
    }

    /// Rule 46 with an overlapped receive: a datagram to a port nobody bound draws an ICMP
    /// port-unreachable, which a pending WSARecvFrom on the sender's socket fails with
    /// WSAECONNRESET (WSARecvFrom page: "for a UDP datagram socket, this error indicates a
    /// previous send operation resulted in an ICMP Port Unreachable message"), at the ICMP's
    /// arrival: one round trip (40 ms) after the send. The next receive pends again.
    #[test]
    fn icmp_port_unreachable_fails_the_pending_datagram_receive() {
        let (net, a, _b) = two_hosts(10);
        traced(&net, || {
            a.enter(|| {
                let s = Socket::udp_v4().unwrap();
                s.bind("10.0.0.1:5000".parse().unwrap()).unwrap();
                let ev = Event::new_manual(false);
                let op = s
                    .recv_from_overlapped(vec![0; 16], MsgFlags::default(), ev_notify(&ev))
                    .unwrap();
                let t0 = net.now();
                s.send_to(b"anyone?", "10.0.0.2:9".parse().unwrap())
                    .unwrap();
                assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
                assert_eq!(op.result().unwrap_err().code(), WSAECONNRESET);
                assert_eq!(op.completed_result().unwrap().bytes, 0);
                assert_eq!(net.now() - t0, 2 * MS20);
                let again = s
                    .recv_from_overlapped(vec![0; 16], MsgFlags::default(), ev_notify(&ev))
                    .unwrap();
                assert!(!again.is_completed(), "the error is reported once");
            });
        });
    }

    /// A run of overlapped receives, sends, routines, a cancellation and a RST over a lossy,
    /// jittery link.
    fn scenario(seed: u64) -> String {
        let net = Network::new(seed);
        let a = net.host("a", &["10.0.0.1".parse().unwrap()]);
        let b = net.host("b", &["10.0.0.2".parse().unwrap()]);
        net.set_latency(&a, &b, Duration::from_millis(15), Duration::from_millis(10));
        net.set_loss(&a, &b, 0.1);
        let (c, s) = pair_across(&a, &b);
        b.enter(|| {
            let log: Log = Default::default();
            let ev = Event::new_manual(false);
            let mut total = 0;
            for round in 0..20usize {
                let _r = s
                    .recv_overlapped(vec![0; 300], MsgFlags::default(), routine(&log, round))
                    .unwrap();
                let w = c
                    .send_overlapped(vec![round as u8; 300], ev_notify(&ev))
                    .unwrap();
                while log.lock().len() <= round {
                    assert_eq!(sleep_alertable(Some(LONG)), WaitOutcome::IoCompletion);
                }
                assert!(w.wait(Some(LONG)).is_ok());
                total += log.lock()[round].2;
            }
            let _ = total;
            let p = s
                .recv_overlapped(vec![0; 8], MsgFlags::default(), ev_notify(&ev))
                .unwrap();
            net.run_for(Duration::from_millis(500));
            s.cancel_overlapped(CancelFilter::Id(p.id())).unwrap();
            net.reset_stream_at(c.local_addr().unwrap(), s.local_addr().unwrap(), 6100);
            let q = s
                .recv_overlapped(vec![0; 8192], MsgFlags::default(), ev_notify(&ev))
                .unwrap();
            c.send(&[9u8; 1000]).unwrap();
            let _ = q.wait(Some(LONG));
        });
        net.trace()
    }

    /// Determinism (docs/simulation.md): the same seed gives the same trace, overlapped
    /// calls and completions included; another seed another one.
    #[test]
    fn same_seed_same_trace_with_overlapped_io() {
        let one = scenario(42);
        assert!(one.contains("WSARecv overlapped pending"), "{one}");
        assert!(
            one.contains("WSASend overlapped completes 300 bytes"),
            "{one}"
        );
        assert!(
            one.contains("WSARecv overlapped completes WSA_OPERATION_ABORTED"),
            "{one}"
        );
        assert_eq!(one, scenario(42));
        let other = std::thread::spawn(|| scenario(42)).join().unwrap();
        assert_eq!(one, other, "another thread, the same trace");
        assert_ne!(one, scenario(43));
    }
}
