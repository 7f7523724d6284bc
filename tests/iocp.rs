//! I/O completion ports: the Rust API (`wsaevents::iocp::CompletionPort`) and the
//! Winsock-named facade (`CreateIoCompletionPort`, `GetQueuedCompletionStatus(Ex)`,
//! `PostQueuedCompletionStatus`, `CloseHandle`, `SetFileCompletionNotificationModes`).
//!
//! Sources: the Microsoft reference pages of those calls and "I/O Completion Ports"
//! (learn.microsoft.com/windows/win32/fileio/i-o-completion-ports): FIFO packets, LIFO
//! threads, `WAIT_TIMEOUT` with `*lpOverlapped` NULL, `ERROR_ABANDONED_WAIT_0` when the
//! port is closed during a wait; Wine's kernel32 `GetQueuedCompletionStatus` (it writes
//! bytes and key only with a packet). Every wait is bounded.
#![allow(non_snake_case)]

mod common;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use common::*;
use wsaevents::iocp::{
    CompletionPort, ERROR_ABANDONED_WAIT_0, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS,
    FILE_SKIP_SET_EVENT_ON_HANDLE, Packet, WAIT_TIMEOUT,
};
use wsaevents::winsock::{self, *};

/// Waits (bounded) until `port` has `n` threads waiting on it.
fn until_waiting(port: &CompletionPort, n: usize) {
    let end = Instant::now() + LONG;
    while port.waiting() != n {
        assert!(Instant::now() < end, "{} waiters, want {n}", port.waiting());
        std::thread::yield_now();
    }
}

/// "I/O Completion Ports": packets are queued FIFO; `PostQueuedCompletionStatus` carries
/// any bytes/key/overlapped values and a success status.
///
/// Real network only (no socket, or threads against bounded waits, or real-time
/// measurements); the port on the simulated network: `mod sim`.
#[test]
fn posted_packets_come_back_in_order() {
    let port = CompletionPort::new(0);
    assert!(port.concurrency() >= 1, "0 means the number of processors");
    for i in 0..5u32 {
        port.post(i, 100 + i as usize, 0x1000 * i as usize).unwrap();
    }
    for i in 0..5u32 {
        let p = port.get(Some(LONG)).unwrap().expect("a packet");
        assert_eq!(
            p,
            Packet {
                bytes: i,
                key: 100 + i as usize,
                overlapped: 0x1000 * i as usize,
                status: 0
            }
        );
        assert!(p.succeeded());
    }
    assert_eq!(port.get(Some(Duration::ZERO)).unwrap(), None);
}

/// GetQueuedCompletionStatus: a timeout is `Ok(None)` (WAIT_TIMEOUT, *lpOverlapped NULL),
/// after at least the timeout.
///
/// Real network only (no socket, or threads against bounded waits, or real-time
/// measurements); the port on the simulated network: `mod sim`.
#[test]
fn timeout_returns_none() {
    let port = CompletionPort::new(1);
    let t0 = Instant::now();
    assert_eq!(port.get(Some(SHORT)).unwrap(), None);
    assert!(t0.elapsed() >= SHORT);
    let mut many = [Packet::default(); 4];
    assert_eq!(port.get_many(&mut many, Some(Duration::ZERO)).unwrap(), 0);
}

/// GetQueuedCompletionStatusEx: up to `count` packets at once; a count of 0 is
/// ERROR_INVALID_PARAMETER (87).
///
/// Real network only (no socket, or threads against bounded waits, or real-time
/// measurements); the port on the simulated network: `mod sim`.
#[test]
fn get_many_takes_up_to_count() {
    let port = CompletionPort::new(0);
    for i in 0..5 {
        port.post(i, 7, i as usize).unwrap();
    }
    let mut out = [Packet::default(); 3];
    assert_eq!(port.get_many(&mut out, Some(LONG)).unwrap(), 3);
    assert_eq!(out.map(|p| p.bytes), [0, 1, 2]);
    assert_eq!(port.get_many(&mut out, Some(LONG)).unwrap(), 2);
    assert_eq!([out[0].bytes, out[1].bytes], [3, 4]);
    assert_eq!(code(port.get_many(&mut [], Some(LONG))), 87);
}

/// A thread blocked in GetQueuedCompletionStatus wakes with a packet posted by another.
///
/// Real network only (no socket, or threads against bounded waits, or real-time
/// measurements); the port on the simulated network: `mod sim`.
#[test]
fn blocked_waiter_gets_a_posted_packet() {
    let port = CompletionPort::new(0);
    let p2 = port.clone();
    let t = std::thread::spawn(move || p2.get(Some(LONG)));
    until_waiting(&port, 1);
    port.post(9, 8, 7).unwrap();
    let got = t.join().unwrap().unwrap().unwrap();
    assert_eq!((got.bytes, got.key, got.overlapped), (9, 8, 7));
}

/// "I/O Completion Ports": "threads that block their execution on an I/O completion port
/// are released in last-in-first-out (LIFO) order". The thread that waited last gets the
/// packet; the first keeps waiting (it then gets the second).
///
/// Real network only (no socket, or threads against bounded waits, or real-time
/// measurements); the port on the simulated network: `mod sim`.
#[test]
fn waiters_are_woken_last_in_first_out() {
    let port = CompletionPort::new(0);
    let who = Arc::new(Mutex::new(Vec::new()));
    let mut threads = Vec::new();
    for name in ["first", "second"] {
        let (p, w) = (port.clone(), who.clone());
        let before = port.waiting();
        threads.push(std::thread::spawn(move || {
            let got = p.get(Some(LONG)).unwrap().expect("a packet");
            w.lock().unwrap().push((name, got.bytes));
        }));
        until_waiting(&port, before + 1);
    }
    port.post(1, 0, 0).unwrap();
    let end = Instant::now() + LONG;
    while who.lock().unwrap().is_empty() {
        assert!(Instant::now() < end);
        std::thread::yield_now();
    }
    assert_eq!(*who.lock().unwrap(), [("second", 1)]);
    port.post(2, 0, 0).unwrap();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(*who.lock().unwrap(), [("second", 1), ("first", 2)]);
}

/// Closing the port wakes its waiters with ERROR_ABANDONED_WAIT_0 (735); afterwards the
/// handle is invalid (facade: CloseHandle, then ERROR_INVALID_HANDLE).
///
/// Real network only (no socket, or threads against bounded waits, or real-time
/// measurements); the port on the simulated network: `mod sim`.
#[test]
fn close_wakes_waiters_with_abandoned_wait() {
    let port = CompletionPort::new(0);
    let mut ts = Vec::new();
    for _ in 0..3 {
        let p = port.clone();
        ts.push(std::thread::spawn(move || code(p.get(Some(LONG)))));
    }
    until_waiting(&port, 3);
    port.close();
    for t in ts {
        assert_eq!(t.join().unwrap(), ERROR_ABANDONED_WAIT_0);
    }
    assert_eq!(code(port.get(Some(Duration::ZERO))), 6);
    assert_eq!(code(port.post(1, 1, 1)), 6);
}

/// The facade: GetQueuedCompletionStatus's out-values and last errors.
///
/// Real network only (no socket, or threads against bounded waits, or real-time
/// measurements); the port on the simulated network: `mod sim`.
#[test]
fn facade_get_and_post() {
    let port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, 0, 0, 0);
    assert_ne!(port, 0);
    let (mut bytes, mut key, mut ov) = (0xdead_u32, 0xbeef_usize, 0x1234_usize);
    // Timeout: FALSE, WAIT_TIMEOUT, *lpOverlapped NULL, bytes and key untouched.
    assert_eq!(
        GetQueuedCompletionStatus(port, &mut bytes, &mut key, &mut ov, 0),
        FALSE
    );
    assert_eq!(WSAGetLastError(), WAIT_TIMEOUT);
    assert_eq!((bytes, key, ov), (0xdead, 0xbeef, 0));
    assert_eq!(PostQueuedCompletionStatus(port, 3, 4, 5), TRUE);
    assert_eq!(
        GetQueuedCompletionStatus(port, &mut bytes, &mut key, &mut ov, 1000),
        TRUE
    );
    assert_eq!((bytes, key, ov), (3, 4, 5));
    // A posted NULL overlapped is still a packet: TRUE with *lpOverlapped NULL.
    assert_eq!(PostQueuedCompletionStatus(port, 0, 0, 0), TRUE);
    WSASetLastError(1);
    assert_eq!(
        GetQueuedCompletionStatus(port, &mut bytes, &mut key, &mut ov, 1000),
        TRUE
    );
    assert_eq!((bytes, key, ov), (0, 0, 0));

    let mut entries = [OVERLAPPED_ENTRY::default(); 4];
    let mut removed = 99;
    assert_eq!(
        GetQueuedCompletionStatusEx(port, &mut entries, &mut removed, 0, FALSE),
        FALSE
    );
    // *ulNumEntriesRemoved: 0 entries removed (our choice: Windows' value is not tested).
    assert_eq!((WSAGetLastError(), removed), (WAIT_TIMEOUT, 0));
    assert_eq!(
        GetQueuedCompletionStatusEx(port, &mut [], &mut removed, 0, FALSE),
        FALSE
    );
    assert_eq!(WSAGetLastError(), ERROR_INVALID_PARAMETER);
    PostQueuedCompletionStatus(port, 10, 11, 12);
    PostQueuedCompletionStatus(port, 20, 21, 22);
    assert_eq!(
        GetQueuedCompletionStatusEx(port, &mut entries, &mut removed, 1000, FALSE),
        TRUE
    );
    assert_eq!(removed, 2);
    assert_eq!(
        entries[1],
        OVERLAPPED_ENTRY {
            lpCompletionKey: 21,
            lpOverlapped: 22,
            Internal: 0,
            dwNumberOfBytesTransferred: 20
        }
    );

    assert_eq!(CloseHandle(port), TRUE);
    assert_eq!(
        GetQueuedCompletionStatus(port, &mut bytes, &mut key, &mut ov, 0),
        FALSE
    );
    assert_eq!(WSAGetLastError(), ERROR_INVALID_HANDLE);
    assert_eq!(PostQueuedCompletionStatus(port, 0, 0, 0), FALSE);
    assert_eq!(WSAGetLastError(), ERROR_INVALID_HANDLE);
    assert_eq!(CloseHandle(port), FALSE);
}

/// CreateIoCompletionPort's argument rules (Microsoft, CreateIoCompletionPort: "If
/// FileHandle is INVALID_HANDLE_VALUE ... ExistingCompletionPort must be NULL"; a handle
/// can be associated with one port only; the port of a non-port handle is invalid).
#[test]
fn create_and_associate_rules() {
    common::both(|| {
        let mut d = WSADATA::default();
        assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut d), 0);
        let port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, 0, 0, 2);
        assert_ne!(port, 0);
        assert_eq!(CreateIoCompletionPort(INVALID_HANDLE_VALUE, port, 0, 0), 0);
        assert_eq!(WSAGetLastError(), ERROR_INVALID_PARAMETER);

        let s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        let ev = WSACreateEvent();
        // An event is not a file, nor a port.
        assert_eq!(CreateIoCompletionPort(ev, port, 1, 0), 0);
        assert_eq!(WSAGetLastError(), ERROR_INVALID_HANDLE);
        assert_eq!(CreateIoCompletionPort(s, ev, 1, 0), 0);
        assert_eq!(WSAGetLastError(), ERROR_INVALID_HANDLE);
        assert_eq!(PostQueuedCompletionStatus(ev, 0, 0, 0), FALSE);
        assert_eq!(WSAGetLastError(), ERROR_INVALID_HANDLE);
        // Associating returns the existing port; a second association is refused.
        assert_eq!(CreateIoCompletionPort(s, port, 1, 0), port);
        assert_eq!(CreateIoCompletionPort(s, port, 2, 0), 0);
        assert_eq!(WSAGetLastError(), ERROR_INVALID_PARAMETER);
        let sk = winsock::socket_of(s).unwrap();
        let (p, key) = sk.completion_port().unwrap().unwrap();
        assert!(p.same_port(&winsock::port_of(port).unwrap()));
        assert_eq!(key, 1);
        // A socket with no existing port: a new port, associated.
        let s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        let port2 = CreateIoCompletionPort(s2, 0, 5, 0);
        assert_ne!(port2, 0);
        assert_ne!(port2, port);
        assert!(
            winsock::socket_of(s2)
                .unwrap()
                .completion_port()
                .unwrap()
                .is_some()
        );
        // A closed socket is an invalid handle.
        closesocket(s2);
        assert_eq!(CreateIoCompletionPort(s2, port, 1, 0), 0);
        assert_eq!(WSAGetLastError(), ERROR_INVALID_HANDLE);
        assert_eq!(CloseHandle(port2), TRUE);
        // A closed port refuses association.
        let s3 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assert_eq!(CloseHandle(port), TRUE);
        assert_eq!(CreateIoCompletionPort(s3, port, 1, 0), 0);
        assert_eq!(WSAGetLastError(), ERROR_INVALID_HANDLE);
        closesocket(s);
        closesocket(s3);
        WSACloseEvent(ev);
        WSACleanup();
    });
}

/// SetFileCompletionNotificationModes (Microsoft reference page): the two flags on a
/// socket; other bits are ERROR_INVALID_PARAMETER, a non-socket handle
/// ERROR_INVALID_HANDLE.
#[test]
fn notification_modes() {
    common::both(|| {
        let sk = tcp(false);
        let link = sk.completion_link().unwrap();
        assert!(link.queue_on_success() && link.set_event_on_handle());
        assert_eq!(code(sk.set_completion_notification_modes(0x8)), 87);
        // FILE_SKIP_SET_USER_EVENT_ON_FAST_IO (4) is a valid flag.
        sk.set_completion_notification_modes(0x4).unwrap();
        sk.set_completion_notification_modes(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS)
            .unwrap();
        let link = sk.completion_link().unwrap();
        assert!(!link.queue_on_success() && link.set_event_on_handle());
        sk.set_completion_notification_modes(FILE_SKIP_SET_EVENT_ON_HANDLE)
            .unwrap();
        assert!(!sk.completion_link().unwrap().set_event_on_handle());

        let ev = WSACreateEvent();
        assert_eq!(SetFileCompletionNotificationModes(ev, 1), FALSE);
        assert_eq!(WSAGetLastError(), ERROR_INVALID_HANDLE);
        WSACloseEvent(ev);
        sk.close().unwrap();
        assert_eq!(code(sk.set_completion_notification_modes(1)), WSAENOTSOCK);
    });
}

/// Several workers on one port, thousands of posts from several threads: every packet is
/// dequeued exactly once and none is lost.
///
/// Real network only (no socket, or threads against bounded waits, or real-time
/// measurements); the port on the simulated network: `mod sim`.
#[test]
fn stress_many_workers_every_packet_once() {
    const POSTERS: usize = 4;
    const PER: usize = 5000;
    const WORKERS: usize = 6;
    let port = CompletionPort::new(WORKERS as u32);
    let seen = Arc::new(Mutex::new(HashSet::new()));
    let got = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(POSTERS + WORKERS));
    let mut ts = Vec::new();
    for _ in 0..WORKERS {
        let (p, seen, got, start) = (port.clone(), seen.clone(), got.clone(), start.clone());
        ts.push(std::thread::spawn(move || {
            start.wait();
            let mut batch = [Packet::default(); 8];
            loop {
                let n = match p.get_many(&mut batch, Some(LONG)) {
                    Ok(n) => n,
                    Err(e) => {
                        // Closed during the wait, or before this call.
                        assert!([ERROR_ABANDONED_WAIT_0, 6].contains(&e.code()), "{e:?}");
                        return;
                    }
                };
                assert!(n > 0, "timed out with packets outstanding");
                for pk in &batch[..n] {
                    assert!(
                        seen.lock().unwrap().insert((pk.key, pk.overlapped)),
                        "{pk:?} twice"
                    );
                }
                // The worker that dequeues the last packet closes the port; the others
                // then wake with ERROR_ABANDONED_WAIT_0 (or, calling later, ERROR_INVALID_HANDLE).
                if got.fetch_add(n, Ordering::SeqCst) + n == POSTERS * PER {
                    p.close();
                }
            }
        }));
    }
    for poster in 0..POSTERS {
        let (p, start) = (port.clone(), start.clone());
        ts.push(std::thread::spawn(move || {
            start.wait();
            for i in 0..PER {
                p.post(i as u32, poster, i).unwrap();
            }
        }));
    }
    for t in ts {
        t.join().unwrap();
    }
    assert_eq!(got.load(Ordering::SeqCst), POSTERS * PER);
    assert_eq!(seen.lock().unwrap().len(), POSTERS * PER);
}

/// FIFO from one poster holds with one worker: the packets come out in posting order.
///
/// Real network only (no socket, or threads against bounded waits, or real-time
/// measurements); the port on the simulated network: `mod sim`.
#[test]
fn single_worker_sees_fifo_under_load() {
    let port = CompletionPort::new(1);
    let p = port.clone();
    let poster = std::thread::spawn(move || {
        for i in 0..20_000u32 {
            p.post(i, 0, 0).unwrap();
        }
    });
    for i in 0..20_000u32 {
        assert_eq!(port.get(Some(LONG)).unwrap().unwrap().bytes, i);
    }
    poster.join().unwrap();
}

/// Several workers on one port serve overlapped receives on several connections (one
/// pending per connection, re-issued by the worker that dequeues its packet) while another
/// thread cancels pending receives at random: every operation's packet is dequeued exactly
/// once (cancelled ones with `STATUS_CANCELLED`), and each connection's bytes arrive
/// complete and in order.
///
/// Real network only (no socket, or threads against bounded waits, or real-time
/// measurements); the port on the simulated network: `mod sim`.
#[test]
fn stress_workers_receive_in_order_while_cancels_race() {
    use wsaevents::overlapped::{OpKind, Overlapped};
    use wsaevents::{CancelFilter, MsgFlags};
    const CONNS: usize = 6;
    const BYTES: usize = 100_000;
    const WORKERS: usize = 4;
    let port = CompletionPort::new(WORKERS as u32);
    let pairs = pairs(false, CONNS);
    let servers: Arc<Vec<wsaevents::Socket>> =
        Arc::new(pairs.iter().map(|(_, s)| s.clone()).collect());
    for (k, s) in servers.iter().enumerate() {
        port.associate(s, k).unwrap();
    }
    let next_tag = Arc::new(AtomicUsize::new(1));
    let slots: Arc<Vec<Mutex<Option<Overlapped>>>> =
        Arc::new((0..CONNS).map(|_| Mutex::new(None)).collect());
    let received: Arc<Vec<Mutex<Vec<u8>>>> =
        Arc::new((0..CONNS).map(|_| Mutex::new(Vec::new())).collect());
    let issue = {
        let (servers, slots, next_tag) = (servers.clone(), slots.clone(), next_tag.clone());
        move |k: usize| {
            // The slot's lock is held across the issue: the packet of an operation that
            // completes at once is dequeued only after the operation is stored.
            let mut slot = slots[k].lock().unwrap();
            let tag = next_tag.fetch_add(1, Ordering::SeqCst);
            let (op, _) = wsaevents::iocp::issue(
                &servers[k],
                OpKind::Recv(MsgFlags::default()),
                Box::new(vec![0u8; 256]),
                vec![],
                tag,
                0,
            )
            .unwrap();
            *slot = Some(op);
        }
    };
    for k in 0..CONNS {
        issue(k);
    }
    let seen = Arc::new(Mutex::new(HashSet::new()));
    let cancelled = Arc::new(AtomicUsize::new(0));
    let fins = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut ts = Vec::new();
    for _ in 0..WORKERS {
        let (port, slots, received, seen, cancelled, issue, fins, stop) = (
            port.clone(),
            slots.clone(),
            received.clone(),
            seen.clone(),
            cancelled.clone(),
            issue.clone(),
            fins.clone(),
            stop.clone(),
        );
        ts.push(std::thread::spawn(move || {
            loop {
                let p = match port.get(Some(LONG)) {
                    Ok(Some(p)) => p,
                    Ok(None) => panic!("a worker timed out"),
                    Err(e) => {
                        assert!([ERROR_ABANDONED_WAIT_0, 6].contains(&e.code()));
                        return;
                    }
                };
                assert!(seen.lock().unwrap().insert(p.overlapped), "{p:?} twice");
                let k = p.key;
                let op = slots[k].lock().unwrap().take().expect("the operation");
                assert_eq!(op.tag(), p.overlapped);
                if p.succeeded() {
                    let buf = op.take_buffer().unwrap();
                    if p.bytes == 0 {
                        // The FIN: this connection is done; the last one stops the test.
                        if fins.fetch_add(1, Ordering::SeqCst) + 1 == CONNS {
                            stop.store(true, Ordering::SeqCst);
                            port.close();
                        }
                        continue;
                    }
                    received[k]
                        .lock()
                        .unwrap()
                        .extend_from_slice(&buf[..p.bytes as usize]);
                } else {
                    assert_eq!(p.status, 0xC000_0120, "only cancellations fail");
                    cancelled.fetch_add(1, Ordering::SeqCst);
                }
                issue(k);
            }
        }));
    }
    let canceller = {
        let (servers, stop) = (servers.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut i = 0usize;
            while !stop.load(Ordering::SeqCst) {
                let _ = servers[i % CONNS].cancel_overlapped(CancelFilter::All);
                i += 1;
                std::thread::yield_now();
            }
        })
    };
    let pattern = |i: usize| (i % 251) as u8;
    let mut senders = Vec::new();
    for (c, _) in &pairs {
        let c = c.clone();
        senders.push(std::thread::spawn(move || {
            let data: Vec<u8> = (0..BYTES).map(pattern).collect();
            for chunk in data.chunks(777) {
                c.send(chunk).unwrap();
            }
            c.shutdown(std::net::Shutdown::Write).unwrap();
        }));
    }
    for s in senders {
        s.join().unwrap();
    }
    // Workers end when the port closes (after the last FIN), or fail on a LONG timeout.
    for t in ts {
        t.join().unwrap();
    }
    stop.store(true, Ordering::SeqCst);
    canceller.join().unwrap();
    assert_eq!(fins.load(Ordering::SeqCst), CONNS);
    for r in received.iter() {
        let r = r.lock().unwrap();
        assert_eq!(r.len(), BYTES);
        assert!(
            r.iter().enumerate().all(|(i, &b)| b == pattern(i)),
            "out of order"
        );
    }
    println!("cancelled {} receives", cancelled.load(Ordering::SeqCst));
}

/// FILE_SKIP_SET_EVENT_ON_HANDLE (SetFileCompletionNotificationModes page): a completing
/// operation no longer signals the socket handle (`Socket::io_event`, what
/// `WaitForSingleObject((HANDLE)s)` waits on); without the flag it does.
#[test]
fn skip_set_event_on_handle() {
    common::both(|| {
        use wsaevents::WaitOutcome;
        use wsaevents::overlapped::OpKind;
        let recv = |s: &wsaevents::Socket| {
            wsaevents::iocp::issue(
                s,
                OpKind::Recv(Default::default()),
                Box::new(vec![0u8; 8]),
                vec![],
                1,
                0,
            )
            .unwrap()
            .0
        };
        for skip in [false, true] {
            let (c, s) = pair(false);
            let handle = s.io_event();
            if skip {
                s.set_completion_notification_modes(FILE_SKIP_SET_EVENT_ON_HANDLE)
                    .unwrap();
            }
            let op = recv(&s);
            c.send(b"x").unwrap();
            op.wait(Some(LONG)).unwrap();
            let want = if skip {
                WaitOutcome::TimedOut
            } else {
                WaitOutcome::Signaled(0)
            };
            assert_eq!(handle.wait(Some(Duration::ZERO)), want, "skip={skip}");
        }
    });
}

// ------------------------------------------------------------------------------------------
// On the simulated network only (issue 14): a port is a wait too. When nothing is queued,
// GetQueuedCompletionStatus drives the network and moves its clock instead of sleeping in
// real time; every time below is exact.

mod sim {
    use super::*;
    use wsaevents::Socket;
    use wsaevents::error::{WSAECONNREFUSED, WSAETIMEDOUT};
    use wsaevents::overlapped::{Notify, OpKind, OpResult};
    use wsaevents::sim::{Host, Network};

    const MS30: Duration = Duration::from_millis(30);

    /// Hosts `a` (10.0.0.1) and `b` (10.0.0.2), 30 ms apart, no jitter.
    fn two_hosts(seed: u64) -> (Network, Host, Host) {
        sim_two_hosts(seed, MS30)
    }

    use super::common::sim_pair_across as pair_across;

    fn recv_on(s: &Socket, tag: usize, notify: Vec<Notify>) -> wsaevents::Overlapped {
        wsaevents::iocp::issue(
            s,
            OpKind::Recv(Default::default()),
            Box::new(vec![0u8; 64]),
            notify,
            tag,
            0,
        )
        .unwrap()
        .0
    }

    /// GetQueuedCompletionStatus's timeout (WAIT_TIMEOUT, `*lpOverlapped` NULL) on a port
    /// of a simulated network passes in virtual time, exactly; a posted packet comes back
    /// at once, the clock unmoved (PostQueuedCompletionStatus).
    #[test]
    fn a_timeout_is_virtual() {
        let (net, a, _b) = two_hosts(1);
        traced(&net, || {
            a.enter(|| {
                let port = CompletionPort::new(1);
                let t0 = net.now();
                assert_eq!(port.get(Some(Duration::from_secs(5))).unwrap(), None);
                assert_eq!(net.now() - t0, Duration::from_secs(5));
                let mut many = [Packet::default(); 2];
                assert_eq!(
                    port.get_many(&mut many, Some(Duration::from_millis(250)))
                        .unwrap(),
                    0
                );
                assert_eq!(net.now() - t0, Duration::from_millis(5250));
                port.post(1, 2, 3).unwrap();
                let t1 = net.now();
                let p = port.get(Some(LONG)).unwrap().unwrap();
                assert_eq!((p.bytes, p.key, p.overlapped, p.status), (1, 2, 3, 0));
                assert_eq!(net.now(), t1);
            });
        });
    }

    /// A pending receive of an associated socket queues its packet at the data's arrival:
    /// the port's wait drives the network and returns then, 30 ms after the send, with the
    /// bytes, the socket's key and the operation's tag.
    #[test]
    fn a_completion_reaches_the_port_at_its_virtual_time() {
        let (net, a, b) = two_hosts(2);
        let (c, s) = pair_across(&a, &b);
        traced(&net, || {
            b.enter(|| {
                let port = CompletionPort::new(1);
                port.associate(&s, 77).unwrap();
                let _op = recv_on(&s, 0x5000, vec![]);
                assert_eq!(port.get(Some(Duration::ZERO)).unwrap(), None);
                let t0 = net.now();
                c.send(b"hello").unwrap();
                let p = port.get(Some(LONG)).unwrap().unwrap();
                assert_eq!((p.bytes, p.key, p.overlapped, p.status), (5, 77, 0x5000, 0));
                assert_eq!(net.now() - t0, MS30);
            });
        });
    }

    /// ConnectEx to a host that never answers completes through the port after Windows'
    /// SYN schedule, exactly 21 s (KB 2786464, docs/simulation.md): STATUS_IO_TIMEOUT in the
    /// packet (`OVERLAPPED.Internal`), ERROR_SEM_TIMEOUT (121) from GetQueuedCompletionStatus
    /// (RtlNtStatusToDosError), WSAETIMEDOUT from WSAGetOverlappedResult (map_status). A
    /// refused one: STATUS_CONNECTION_REFUSED, ERROR_CONNECTION_REFUSED (1225),
    /// WSAECONNREFUSED (test_connect, Wine, run on Windows), after the refused-connect
    /// retries.
    #[test]
    fn connect_ex_to_a_silent_host_times_out_at_21_seconds() {
        let (net, a, b) = two_hosts(3);
        b.set_silent(true);
        let _c = net.host("c", &["10.0.0.3".parse().unwrap()]);
        traced(&net, || {
            a.enter(|| {
                let port = CompletionPort::new(1);
                let s = Socket::tcp_v4().unwrap();
                s.bind("10.0.0.1:0".parse().unwrap()).unwrap();
                port.associate(&s, 9).unwrap();
                let t0 = net.now();
                let (op, done) = s
                    .connect_ex_with(
                        "10.0.0.2:80".parse().unwrap(),
                        Box::new(Vec::new()),
                        vec![],
                        0x10,
                        0,
                    )
                    .unwrap();
                assert!(!done);
                assert_eq!(port.get(Some(Duration::from_secs(20))).unwrap(), None);
                let p = port.get(Some(LONG)).unwrap().unwrap();
                assert_eq!(net.now() - t0, Duration::from_secs(21));
                assert_eq!((p.key, p.overlapped, p.status), (9, 0x10, 0xC000_00B5));
                assert!(!p.succeeded());
                assert_eq!(wsaevents::iocp::ntstatus_to_win32(p.status), 121);
                assert_eq!(op.result().unwrap_err().code(), WSAETIMEDOUT);

                // Refused: 10.0.0.3 answers, nobody listens.
                let r = Socket::tcp_v4().unwrap();
                r.bind("10.0.0.1:0".parse().unwrap()).unwrap();
                port.associate(&r, 10).unwrap();
                let t1 = net.now();
                let (op, _) = r
                    .connect_ex_with(
                        "10.0.0.3:80".parse().unwrap(),
                        Box::new(Vec::new()),
                        vec![],
                        0x20,
                        0,
                    )
                    .unwrap();
                let p = port.get(Some(LONG)).unwrap().unwrap();
                assert_eq!((p.key, p.overlapped, p.status), (10, 0x20, 0xC000_0236));
                // Three SYNs answered by RSTs, 0.5 s then 1 s apart, plus their three round
                // trips on the default link to c (0.5 ms each way).
                assert_eq!(net.now() - t1, Duration::from_millis(1503));
                assert_eq!(wsaevents::iocp::ntstatus_to_win32(p.status), 1225);
                assert_eq!(op.result().unwrap_err().code(), WSAECONNREFUSED);
            });
        });
    }

    /// GetQueuedCompletionStatusEx(fAlertable = TRUE) on a simulated network: a completion
    /// routine queued by a completion ends the wait with WAIT_IO_COMPLETION (`Ok(None)`), at
    /// the data's arrival; a packet takes priority.
    #[test]
    fn alertable_port_wait_runs_routines_in_virtual_time() {
        let (net, a, b) = two_hosts(4);
        let (c, s) = pair_across(&a, &b);
        traced(&net, || {
            b.enter(|| {
                let port = CompletionPort::new(1);
                let ran = Arc::new(Mutex::new(Vec::new()));
                let r2 = ran.clone();
                let routine = Notify::Routine(Box::new(move |_op, r: &OpResult| {
                    r2.lock().unwrap().push(r.bytes);
                }));
                let _op = s
                    .recv_overlapped(vec![0; 16], Default::default(), vec![routine])
                    .unwrap();
                let t0 = net.now();
                c.send(b"abcd").unwrap();
                let mut out = [Packet::default(); 2];
                assert_eq!(port.get_many_alertable(&mut out, Some(LONG)).unwrap(), None);
                assert_eq!(net.now() - t0, MS30);
                assert_eq!(*ran.lock().unwrap(), vec![4]);
                port.post(0, 1, 2).unwrap();
                assert_eq!(
                    port.get_many_alertable(&mut out, Some(LONG)).unwrap(),
                    Some(1)
                );
            });
        });
    }

    /// CancelIoEx and closesocket at a chosen virtual time: the packets carry
    /// STATUS_CANCELLED (GetQueuedCompletionStatus: ERROR_OPERATION_ABORTED, 995).
    #[test]
    fn cancelled_operations_reach_the_port() {
        let (net, a, b) = two_hosts(5);
        let (c, s) = pair_across(&a, &b);
        traced(&net, || {
            let port = b.enter(|| CompletionPort::new(1));
            port.associate(&s, 1).unwrap();
            port.associate(&c, 2).unwrap();
            let _o1 = recv_on(&s, 0x100, vec![]);
            let _o2 = recv_on(&c, 0x200, vec![]);
            assert_eq!(port.get(Some(Duration::from_secs(2))).unwrap(), None);
            let at = net.now();
            assert_eq!(
                s.cancel_overlapped(wsaevents::CancelFilter::Tag(0x100))
                    .unwrap(),
                1
            );
            let p = port.get(Some(LONG)).unwrap().unwrap();
            assert_eq!((p.key, p.overlapped, p.status), (1, 0x100, 0xC000_0120));
            assert_eq!(wsaevents::iocp::ntstatus_to_win32(p.status), 995);
            drop(c);
            let p = port.get(Some(LONG)).unwrap().unwrap();
            assert_eq!((p.key, p.overlapped, p.status), (2, 0x200, 0xC000_0120));
            assert_eq!(net.now(), at);
        });
    }

    /// A port belongs to one network (docs/simulation.md): associating a socket of another
    /// simulated network, or an OS socket with a simulated network's port (and the other
    /// way round), is ERROR_INVALID_PARAMETER (87), the error of every association Windows
    /// refuses; the port keeps working with its own sockets.
    #[test]
    fn mixing_networks_is_an_error() {
        let (_net, a, b) = two_hosts(6);
        let (c, s) = pair_across(&a, &b);
        let other = Network::new(7);
        let x = other.host("x", &["10.0.0.9".parse().unwrap()]);
        let foreign = x.enter(|| Socket::tcp_v4().unwrap());
        let os = Socket::tcp_v4().unwrap();

        let port = a.enter(|| CompletionPort::new(1));
        assert_eq!(port.associate(&foreign, 1).unwrap_err().code(), 87);
        assert_eq!(port.associate(&os, 1).unwrap_err().code(), 87);
        port.associate(&c, 1).unwrap();

        // A port made outside any network joins its first socket's.
        let p2 = CompletionPort::new(1);
        p2.associate(&os, 1).unwrap();
        assert_eq!(p2.associate(&s, 2).unwrap_err().code(), 87);
        let p3 = CompletionPort::new(1);
        p3.associate(&s, 3).unwrap();
        let os2 = Socket::tcp_v4().unwrap();
        assert_eq!(p3.associate(&os2, 4).unwrap_err().code(), 87);

        // CreateIoCompletionPort(socket, NULL, …) makes a port of the socket's network,
        // whichever thread calls it; a socket of another network then cannot join it.
        let mut d = WSADATA::default();
        assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut d), 0);
        let h_os = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        let h_sim = a.enter(|| socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
        let os_port = a.enter(|| CreateIoCompletionPort(h_os, 0, 1, 1));
        assert_ne!(
            os_port, 0,
            "an OS socket's port, made on a simulated thread"
        );
        let sim_port = CreateIoCompletionPort(h_sim, 0, 1, 1);
        assert_ne!(
            sim_port, 0,
            "a simulated socket's port, made on an OS thread"
        );
        let h_os2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assert_eq!(CreateIoCompletionPort(h_os2, sim_port, 2, 0), 0);
        assert_eq!(WSAGetLastError(), ERROR_INVALID_PARAMETER);
        assert_eq!(CreateIoCompletionPort(h_os2, os_port, 2, 0), os_port);
        for h in [h_os, h_sim, h_os2] {
            closesocket(h);
        }
        CloseHandle(os_port);
        CloseHandle(sim_port);
        WSACleanup();
    }
}
