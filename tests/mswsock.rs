//! The mswsock extensions through the Rust API: `AcceptEx` (`Socket::accept_ex`),
//! `ConnectEx`, `DisconnectEx`, `SO_UPDATE_ACCEPT_CONTEXT`, and their completions reaching
//! a completion port.
//!
//! Sources: Wine's Windows-run dlls/ws2_32/tests/sock.c (`test_AcceptEx`, `test_connect`,
//! `test_DisconnectEx`; `todo_wine` marks where Windows' value is asserted and Wine's
//! differs), rule 26 of ../shared/docs/winsock-semantics.md (a pending AcceptEx takes the
//! connection: no FD_ACCEPT), the Microsoft AcceptEx page (the accept socket's addresses
//! need SO_UPDATE_ACCEPT_CONTEXT). Every wait is bounded.

mod common;

use std::time::Duration;

use common::*;
use wsaevents::iocp::{CompletionPort, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS};
use wsaevents::overlapped::Notify;
use wsaevents::{Event, NetworkEvents as Fd, Socket, WaitOutcome};

fn ev_notify() -> (Event, Vec<Notify>) {
    let e = Event::new_manual(false);
    (e.clone(), vec![Notify::Event(e)])
}

/// test_AcceptEx: with no receive part, AcceptEx goes pending and completes at the
/// connection with 0 bytes; the addresses are the listener's and the client's.
#[test]
fn accept_ex_completes_at_the_connection() {
    common::both(|| {
        let l = listener(false);
        let a = tcp(false);
        let (ev, n) = ev_notify();
        let (op, addrs) = l.accept_ex(&a, 0, n).unwrap();
        assert!(!op.is_completed(), "AcceptEx always goes pending first");
        let c = tcp(false);
        c.connect(l.local_addr().unwrap()).unwrap();
        assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(op.result().unwrap().bytes, 0);
        let (local, remote) = addrs.lock().expect("addresses");
        assert_eq!(local, l.local_addr().unwrap());
        assert_eq!(remote, c.local_addr().unwrap());
        // Before SO_UPDATE_ACCEPT_CONTEXT the names fail WSAENOTCONN (AcceptEx remarks).
        assert_eq!(code(a.peer_addr()), 10057);
        assert_eq!(code(a.local_addr()), 10057);
        a.update_accept_context(&l).unwrap();
        assert_eq!(a.peer_addr().unwrap(), c.local_addr().unwrap());
        assert_eq!(a.local_addr().unwrap(), l.local_addr().unwrap());
        // The accepted socket is connected both ways.
        c.send(b"hi").unwrap();
        assert_eq!(recv_exact(&a, 2), b"hi");
        a.send(b"yo").unwrap();
        assert_eq!(recv_exact(&c, 2), b"yo");
    });
}

/// test_AcceptEx, "Test short reads": with a receive part, AcceptEx does not complete at
/// the connection, only with the first data (1 byte of 2 asked).
#[test]
fn accept_ex_with_receive_waits_for_data() {
    common::both(|| {
        let l = listener(false);
        let a = tcp(false);
        let (ev, n) = ev_notify();
        let (op, _) = l.accept_ex(&a, 2, n).unwrap();
        let c = tcp(false);
        c.connect(l.local_addr().unwrap()).unwrap();
        assert_eq!(ev.wait(Some(SHORT)), WaitOutcome::TimedOut);
        assert!(!op.is_completed());
        c.send(b"x").unwrap();
        assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(op.result().unwrap().bytes, 1);
        assert_eq!(&op.take_buffer().unwrap()[..1], b"x");
    });
}

/// test_AcceptEx, "Disconnect during receive?": the peer closes before sending: the
/// AcceptEx completes with success and 0 bytes.
#[test]
fn accept_ex_peer_closes_before_data() {
    common::both(|| {
        let l = listener(false);
        let a = tcp(false);
        let (ev, n) = ev_notify();
        let (op, _) = l.accept_ex(&a, 64, n).unwrap();
        let c = tcp(false);
        c.connect(l.local_addr().unwrap()).unwrap();
        c.close().unwrap();
        assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(op.result().unwrap().bytes, 0);
    });
}

/// test_AcceptEx: the accept socket must be a fresh TCP socket (UDP, bound, connected:
/// WSAEINVAL, Windows' value where Wine is todo), not already pending (WSAEINVAL), and the
/// listener must listen (WSAEINVAL, todo_wine); a pending accept socket cannot ConnectEx.
#[test]
fn accept_ex_bad_input() {
    common::both(|| {
        let l = tcp(false);
        l.bind(lo4()).unwrap();
        let a = tcp(false);
        assert_eq!(code(l.accept_ex(&a, 0, vec![])), 10022, "not listening");
        l.listen(4).unwrap();
        let u = udp(false);
        assert_eq!(code(l.accept_ex(&u, 0, vec![])), 10022, "UDP");
        let b = tcp(false);
        b.bind(lo4()).unwrap();
        assert_eq!(code(l.accept_ex(&b, 0, vec![])), 10022, "bound");
        let (x, _y) = pair(false);
        assert_eq!(code(l.accept_ex(&x, 0, vec![])), 10022, "connected");
        let (_op, _) = l.accept_ex(&a, 0, vec![]).unwrap();
        assert_eq!(code(l.accept_ex(&a, 0, vec![])), 10022, "already pending");
        assert_eq!(
            code(a.connect_ex(l.local_addr().unwrap(), vec![], vec![])),
            10022,
            "ConnectEx on a pending accept socket"
        );
        let closed = tcp(false);
        closed.close().unwrap();
        assert_eq!(code(l.accept_ex(&closed, 0, vec![])), 10038);
    });
}

/// test_AcceptEx, "Test closing with pending requests": closing the accept socket, or the
/// listener, completes a pending AcceptEx with ERROR_OPERATION_ABORTED (995).
#[test]
fn accept_ex_aborted_by_close() {
    common::both(|| {
        let l = listener(false);
        let a = tcp(false);
        let (ev, n) = ev_notify();
        let (op, _) = l.accept_ex(&a, 0, n).unwrap();
        a.close().unwrap();
        assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(code(op.result()), 995);
        // A later connection is not taken by the aborted operation.
        let a2 = tcp(false);
        let (ev2, n2) = ev_notify();
        let (op2, _) = l.accept_ex(&a2, 0, n2).unwrap();
        let c = tcp(false);
        c.connect(l.local_addr().unwrap()).unwrap();
        assert_eq!(ev2.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(op2.result().unwrap().bytes, 0);

        let a3 = tcp(false);
        let (ev3, n3) = ev_notify();
        let (op3, _) = l.accept_ex(&a3, 0, n3).unwrap();
        l.close().unwrap();
        assert_eq!(ev3.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(code(op3.result()), 995);
    });
}

/// Rule 26 (T:6715-6734): a connection taken by a pending AcceptEx never records FD_ACCEPT
/// on the event-selected listener; without one, the next connection does.
#[test]
fn pending_accept_ex_takes_the_connection_without_fd_accept() {
    common::both(|| {
        let l = listener(false);
        let sel = Event::new_manual(false);
        l.event_select(&sel, Fd::ACCEPT).unwrap();
        let a = tcp(false);
        let (ev, n) = ev_notify();
        let (op, _) = l.accept_ex(&a, 0, n).unwrap();
        let c = tcp(false);
        c.connect(l.local_addr().unwrap()).unwrap();
        assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
        op.result().unwrap();
        assert_eq!(sel.wait(Some(SHORT)), WaitOutcome::TimedOut);
        assert_eq!(
            l.enum_network_events(Some(&sel)).unwrap().events(),
            Fd::empty()
        );
        let c2 = tcp(false);
        c2.connect(l.local_addr().unwrap()).unwrap();
        assert_eq!(sel.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(
            l.enum_network_events(Some(&sel)).unwrap().events(),
            Fd::ACCEPT
        );
    });
}

/// test_connect: ConnectEx needs a bound socket (WSAEINVAL), refuses a connected one
/// (WSAEISCONN) and a listener (WSAEINVAL); it goes pending and sends its buffer once
/// connected (bytes = 3); a refused connect completes with ERROR_CONNECTION_REFUSED.
#[test]
fn connect_ex() {
    common::both(|| {
        let l = listener(false);
        let c = tcp(false);
        assert_eq!(
            code(c.connect_ex(l.local_addr().unwrap(), vec![], vec![])),
            10022
        );
        assert_eq!(
            code(l.connect_ex(l.local_addr().unwrap(), vec![], vec![])),
            10022
        );
        c.bind(lo4()).unwrap();
        let (ev, n) = ev_notify();
        let op = c
            .connect_ex(l.local_addr().unwrap(), b"123".to_vec(), n)
            .unwrap();
        assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(op.result().unwrap().bytes, 3);
        c.update_connect_context().unwrap();
        let (srv, _) = l.accept().unwrap();
        assert_eq!(recv_exact(&srv, 3), b"123");
        assert_eq!(
            code(c.connect_ex(l.local_addr().unwrap(), vec![], vec![])),
            10056
        );

        let (refused, addr) = refused_port(false);
        drop(refused);
        let r = tcp(false);
        r.bind(lo4()).unwrap();
        let (ev, n) = ev_notify();
        let op = r.connect_ex(addr, vec![], n).unwrap();
        assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(code(op.result()), 10061);
        assert_eq!(op.completed_result().unwrap().status(), 0xC000_0236);
        assert_eq!(wsaevents::iocp::ntstatus_to_win32(0xC000_0236), 1225);
    });
}

/// test_DisconnectEx: WSAENOTCONN unconnected; pending then 0 bytes; afterwards send fails
/// WSAESHUTDOWN, receive still works; the synchronous form succeeds twice.
#[test]
fn disconnect_ex() {
    common::both(|| {
        let c = tcp(false);
        assert_eq!(code(c.disconnect_ex(0)), 10057);
        let (c, s) = pair(false);
        let (ev, n) = ev_notify();
        let (op, done) = c
            .disconnect_ex_overlapped(0, Box::new(Vec::new()), n, 0, 0)
            .unwrap();
        assert!(!done, "pending first, as Windows");
        assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
        assert_eq!(op.result().unwrap().bytes, 0);
        assert_eq!(code(c.send(b"x")), 10058);
        let mut b = [0u8; 4];
        assert_eq!(s.recv(&mut b).unwrap(), 0);
        s.send(b"test").unwrap();
        assert_eq!(recv_exact(&c, 4), b"test");

        let (c2, _s2) = pair(false);
        c2.disconnect_ex(0).unwrap();
        c2.disconnect_ex(0).unwrap();
        assert_eq!(
            code(c2.disconnect_ex(wsaevents::socket::TF_REUSE_SOCKET)),
            10045
        );
        assert_eq!(code(c2.disconnect_ex(0x10)), 10022);
    });
}

/// The operations complete to the listener's port: AcceptEx's packet carries the
/// listener's key, a failed one (accept socket closed) ERROR_OPERATION_ABORTED's status.
#[test]
fn accept_ex_packets_reach_the_port() {
    common::both(|| {
        let port = CompletionPort::new(0);
        let l = listener(false);
        port.associate(&l, 77).unwrap();
        let a = tcp(false);
        let (op, _) = accept_tagged(&l, &a, 0xA0).unwrap();
        let c = tcp(false);
        c.connect(l.local_addr().unwrap()).unwrap();
        let p = port.get(Some(LONG)).unwrap().expect("packet");
        assert_eq!((p.key, p.overlapped, p.bytes, p.status), (77, 0xA0, 0, 0));
        assert!(op.is_completed());

        let a2 = tcp(false);
        let (_op2, _) = accept_tagged(&l, &a2, 0xB0).unwrap();
        a2.close().unwrap();
        let p = port.get(Some(LONG)).unwrap().expect("packet");
        assert_eq!((p.key, p.overlapped, p.status), (77, 0xB0, 0xC000_0120));
        assert!(!p.succeeded());
        assert_eq!(wsaevents::iocp::ntstatus_to_win32(p.status), 995);
        assert_eq!(
            port.get(Some(SHORT)).unwrap(),
            None,
            "exactly one packet each"
        );
    });
}

/// FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: a receive that completes at once queues nothing;
/// one that goes pending still does. An hEvent with its low bit set queues nothing.
#[test]
fn skip_on_success_and_low_bit_event() {
    common::both(|| {
        let port = CompletionPort::new(0);
        let (c, s) = pair(false);
        port.associate(&s, 5).unwrap();
        c.send(b"ab").unwrap();
        await_recorded(&s, Fd::empty());
        let recv = |tag: usize, h_event: usize| {
            wsaevents::iocp::issue(
                &s,
                wsaevents::overlapped::OpKind::Recv(Default::default()),
                Box::new(vec![0u8; 1]),
                vec![],
                tag,
                h_event,
            )
            .unwrap()
        };
        // Data is there: completes at once, and (no skip flag) queues a packet.
        retry_until_done(&recv, 1);
        assert_eq!(port.get(Some(LONG)).unwrap().unwrap().overlapped, 1);
        s.set_completion_notification_modes(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS)
            .unwrap();
        let (_, done) = recv(2, 0);
        assert!(done);
        assert_eq!(port.get(Some(SHORT)).unwrap(), None, "skipped on success");
        // Pending: queued.
        let (op, done) = recv(3, 0);
        assert!(!done);
        c.send(b"c").unwrap();
        assert_eq!(port.get(Some(LONG)).unwrap().unwrap().overlapped, 3);
        assert!(op.is_completed());
        // Low bit set on hEvent: no packet (GetQueuedCompletionStatus remarks).
        let (op, _) = recv(4, 0x1001);
        c.send(b"d").unwrap();
        op.wait(Some(LONG)).unwrap();
        assert_eq!(port.get(Some(SHORT)).unwrap(), None);
    });
}

/// AcceptEx with no receive part and a tag (the C `OVERLAPPED` address).
fn accept_tagged(
    l: &Socket,
    a: &Socket,
    tag: usize,
) -> wsaevents::Result<(wsaevents::overlapped::Overlapped, bool)> {
    l.accept_ex_with(
        a,
        Box::new(Vec::new()),
        32,
        32,
        Default::default(),
        vec![],
        tag,
        0,
    )
}

fn retry_until_done(
    recv: &dyn Fn(usize, usize) -> (wsaevents::overlapped::Overlapped, bool),
    tag: usize,
) {
    let (op, done) = recv(tag, 0);
    if !done {
        op.wait(Some(LONG)).unwrap();
    }
}

/// Many pending AcceptEx on one port, half completed by connections and half aborted by
/// closing their accept sockets meanwhile: every operation's packet arrives exactly once.
#[test]
fn stress_accepts_and_cancels() {
    common::both(|| {
        let port = CompletionPort::new(4);
        let l = tcp(false);
        l.bind(lo4()).unwrap();
        l.listen(256).unwrap();
        port.associate(&l, 1).unwrap();
        const N: usize = 64;
        let mut accs = Vec::new();
        for i in 0..N {
            let a = tcp(false);
            let (op, _) = accept_tagged(&l, &a, 0x1000 + i).unwrap();
            accs.push((a, op));
        }
        // Connect half; close the other half's accept sockets (cancellations racing).
        let addr = l.local_addr().unwrap();
        let mut clients = Vec::new();
        for (i, (a, _)) in accs.iter().enumerate() {
            if i % 2 == 0 {
                let c = tcp(false);
                c.connect(addr).unwrap();
                clients.push(c);
            } else {
                a.close().unwrap();
            }
        }
        let mut seen = std::collections::HashSet::new();
        let (mut ok, mut aborted) = (0, 0);
        while seen.len() < N {
            let p = port
                .get(Some(Duration::from_secs(10)))
                .unwrap()
                .expect("a packet for every operation");
            assert!(seen.insert(p.overlapped), "twice: {p:?}");
            if p.succeeded() {
                ok += 1;
            } else {
                aborted += 1;
            }
        }
        assert_eq!(ok + aborted, N);
        assert!(ok >= N / 2 - 1 && aborted <= N / 2 + 1, "{ok} {aborted}");
        assert_eq!(port.get(Some(SHORT)).unwrap(), None);
        drop(clients);
    });
}

/// Connections queued before the AcceptEx operations are posted are taken by them (the
/// listener's readiness was reported before the operations existed).
#[test]
fn accept_ex_takes_connections_queued_before() {
    common::both(|| {
        let l = tcp(false);
        l.bind(lo4()).unwrap();
        l.listen(64).unwrap();
        let mut clients = Vec::new();
        for _ in 0..10 {
            let c = tcp(false);
            c.connect(l.local_addr().unwrap()).unwrap();
            clients.push(c);
        }
        for i in 0..10 {
            let a = tcp(false);
            let (ev, n) = ev_notify();
            let (op, _) = l.accept_ex(&a, 0, n).unwrap();
            assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0), "accept {i}");
            op.result().unwrap();
        }
    });
}

// ------------------------------------------------------------------------------------------
// On the simulated network only (issue 14): the mswsock calls in virtual time, with what only
// the simulated network produces. One thread drives each network: every time is exact.

mod sim {
    use super::*;
    use wsaevents::error::*;
    use wsaevents::sim::{Host, Network};

    const MS25: Duration = Duration::from_millis(25);

    /// Hosts `a` (10.0.0.1) and `b` (10.0.0.2), 25 ms apart, no jitter.
    fn two_hosts(seed: u64) -> (Network, Host, Host) {
        sim_two_hosts(seed, MS25)
    }

    /// AcceptEx (test_AcceptEx): without a receive part it completes when the connection
    /// reaches the listener's queue, the instant FD_ACCEPT would be recorded (in the model,
    /// the SYN's arrival: one link latency after the connect); with a receive part it waits
    /// for the first data too, and completes with its bytes at their arrival.
    #[test]
    fn accept_ex_completes_at_the_queueing_and_at_the_first_data() {
        let (net, a, b) = two_hosts(1);
        traced(&net, || {
            let l = sim_listener(&b);
            let acc = b.enter(|| Socket::tcp_v4().unwrap());
            let (ev, n) = ev_notify();
            let (op, _) = l.accept_ex(&acc, 0, n).unwrap();
            let t0 = net.now();
            let c = a.enter(|| Socket::tcp_v4().unwrap());
            let cev = Event::new_manual(false);
            c.event_select(&cev, Fd::CONNECT).unwrap();
            assert_eq!(
                code(c.connect("10.0.0.2:80".parse().unwrap())),
                WSAEWOULDBLOCK
            );
            assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
            assert_eq!(op.result().unwrap().bytes, 0);
            assert_eq!(net.now() - t0, MS25, "the SYN's arrival");

            // With a receive part: the connection alone does not complete it.
            let acc2 = b.enter(|| Socket::tcp_v4().unwrap());
            let (ev2, n2) = ev_notify();
            let (op2, _) = l.accept_ex(&acc2, 16, n2).unwrap();
            let c2 = a.enter(|| Socket::tcp_v4().unwrap());
            c2.connect("10.0.0.2:80".parse().unwrap()).unwrap();
            assert_eq!(
                ev2.wait(Some(Duration::from_secs(5))),
                WaitOutcome::TimedOut
            );
            let t1 = net.now();
            c2.send(b"first").unwrap();
            assert_eq!(ev2.wait(Some(LONG)), WaitOutcome::Signaled(0));
            assert_eq!(op2.result().unwrap().bytes, 5);
            assert_eq!(net.now() - t1, MS25);
            let trace = net.trace();
            assert!(
                trace.contains("AcceptEx overlapped completes 5 bytes"),
                "{trace}"
            );
        });
    }

    /// ConnectEx to an address a router declares unreachable completes with
    /// STATUS_HOST_UNREACHABLE (ERROR_HOST_UNREACHABLE 1232 from GetOverlappedResult,
    /// WSAEHOSTUNREACH from WSAGetOverlappedResult: map_status) after the round trip to the
    /// router; through an interface that is down, it completes with
    /// STATUS_NETWORK_UNREACHABLE (ERROR_NETWORK_UNREACHABLE 1231, WSAENETUNREACH), as a
    /// non-blocking connect's FD_CONNECT does (rule 33).
    #[test]
    fn connect_ex_to_an_unreachable_host() {
        let (net, a, _b) = two_hosts(2);
        net.set_unreachable("10.9.9.9".parse().unwrap());
        traced(&net, || {
            a.enter(|| {
                let s = Socket::tcp_v4().unwrap();
                s.bind("10.0.0.1:0".parse().unwrap()).unwrap();
                let (ev, n) = ev_notify();
                let op = s
                    .connect_ex("10.9.9.9:80".parse().unwrap(), vec![], n)
                    .unwrap();
                assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
                assert_eq!(code(op.result()), WSAEHOSTUNREACH);
                let st = op.completed_result().unwrap().status();
                assert_eq!(st, 0xC000_023D);
                assert_eq!(wsaevents::iocp::ntstatus_to_win32(st as u32), 1232);

                a.set_interface_down(true);
                let s = Socket::tcp_v4().unwrap();
                s.bind("10.0.0.1:0".parse().unwrap()).unwrap();
                let (ev, n) = ev_notify();
                let op = s
                    .connect_ex("10.0.0.2:80".parse().unwrap(), vec![], n)
                    .unwrap();
                assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
                assert_eq!(code(op.result()), WSAENETUNREACH);
                let st = op.completed_result().unwrap().status();
                assert_eq!(st, 0xC000_023C);
                assert_eq!(wsaevents::iocp::ntstatus_to_win32(st as u32), 1231);
            });
        });
    }

    /// DisconnectEx (test_DisconnectEx) goes pending and completes with 0 bytes; the peer
    /// sees the FIN one link latency later (FD_CLOSE 0, rule 38), in virtual time.
    #[test]
    fn disconnect_ex_and_the_peers_fin_in_virtual_time() {
        let (net, a, b) = two_hosts(3);
        traced(&net, || {
            let (c, s) = sim_pair_across(&a, &b);
            let sev = Event::new_manual(false);
            s.event_select(&sev, Fd::CLOSE).unwrap();
            let (ev, n) = ev_notify();
            let t0 = net.now();
            let (op, done) = c
                .disconnect_ex_overlapped(0, Box::new(Vec::new()), n, 0, 0)
                .unwrap();
            assert!(!done, "pending first, as Windows");
            assert_eq!(ev.wait(Some(LONG)), WaitOutcome::Signaled(0));
            assert_eq!(op.result().unwrap().bytes, 0);
            assert_eq!(sev.wait(Some(LONG)), WaitOutcome::Signaled(0));
            let rec = s.enum_network_events(Some(&sev)).unwrap();
            assert_eq!(rec.events(), Fd::CLOSE);
            assert_eq!(rec.error_code[wsaevents::FD_CLOSE_BIT], 0);
            assert_eq!(net.now() - t0, MS25);
        });
    }
}
