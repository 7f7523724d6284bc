//! Issue 12: FD_ADDRESS_LIST_CHANGE and FD_ROUTING_INTERFACE_CHANGE from the OS's own
//! notifications, in a network namespace of the test's own, with a veth pair as the
//! interface. Nothing leaves the namespace: no traffic is sent at all, only addresses and
//! routes change.
//!
//! * Linux (netlink): the test's thread `unshare(CLONE_NEWNET)`s (CI runs as root). One
//!   test function: the namespace belongs to its thread (and the threads it starts), and
//!   the change look-ups run on the thread that drives the poller, which must be in it too.
//! * Windows (AFD and IP Helper), under Wine: a Wine program is a Linux process, so
//!   `.ci/run` starts this test binary inside `unshare -n` with a Wine prefix of its own
//!   (so that its wineserver, which watches netlink for Wine's `SIO_ADDRESS_LIST_CHANGE`,
//!   starts in the namespace too) and sets `WSAEVENTS_NETNS=1`; the test changes
//!   addresses with Linux's `ip`, which Wine starts as a Unix process. Without that
//!   variable (real Windows, or the plain suite under Wine) only the set-up checks run.
#![cfg(any(target_os = "linux", windows))]

mod common;

use std::net::SocketAddr;
use std::process::Command;
use std::sync::mpsc;
use std::time::Instant;

use common::*;
use wsaevents::error::*;
use wsaevents::overlapped::{CancelFilter, Notify};
use wsaevents::{Event, NetworkEvents as Fd, Socket, WaitOutcome};

/// Runs `ip ARGS` in this thread's namespace; it must succeed.
#[cfg(target_os = "linux")]
#[track_caller]
fn ip(args: &str) {
    let o = Command::new("ip")
        .args(args.split_whitespace())
        .output()
        .expect("run ip (iproute2)");
    assert!(
        o.status.success(),
        "ip {args}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Runs Linux's `ip ARGS` from the Wine program; it must succeed. Wine starts a Unix
/// program as a Unix process but gives no process handle for it (`CreateProcess` reports
/// `ERROR_INVALID_HANDLE` after starting it), so the shell writes the exit status to a
/// file, renamed into place when complete, which the test waits for (bounded).
#[cfg(windows)]
#[track_caller]
fn ip(args: &str) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "wsaevents-ip-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let unix = format!("/tmp/{name}");
    let script = format!("ip {args} >{unix}.out 2>&1; echo $? >{unix}.tmp; mv {unix}.tmp {unix}");
    let _ = Command::new("/bin/sh").args(["-c", &script]).spawn();
    let status = format!("Z:\\tmp\\{name}");
    let deadline = Instant::now() + LONG;
    let rc = loop {
        if let Ok(rc) = std::fs::read_to_string(&status) {
            break rc;
        }
        assert!(Instant::now() < deadline, "ip {args}: never finished");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let out = std::fs::read_to_string(format!("{status}.out")).unwrap_or_default();
    let _ = std::fs::remove_file(&status);
    let _ = std::fs::remove_file(format!("{status}.out"));
    assert_eq!(rc.trim(), "0", "ip {args}: {out}");
}

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

const BOTH: Fd = Fd::ADDRESS_LIST_CHANGE.union(Fd::ROUTING_INTERFACE_CHANGE);

/// The address-list rules (seed page; Windows' SIO_ADDRESS_LIST_CHANGE reference page):
/// non-blocking gives WSAEWOULDBLOCK, then one FD_ADDRESS_LIST_CHANGE (0) at the next
/// change of the family; nothing for changes before the ioctl, after the notification, or
/// of the other family.
fn address_list(v6: bool) {
    let s = if v6 { udp(true) } else { udp(false) };
    let ev = Event::new_manual(false);
    s.event_select(&ev, BOTH).unwrap();
    let (fam, other) = if v6 { ("-6", "-4") } else { ("-4", "-6") };
    let (a2, a3, o1) = if v6 {
        ("fd00:99::2/64 nodad", "fd00:99::3/64 nodad", "10.99.0.9/24")
    } else {
        ("10.99.0.2/24", "10.99.0.3/24", "fd00:99::9/64 nodad")
    };
    assert_eq!(code(s.address_list_change()), WSAEWOULDBLOCK);
    check_events(&s, &ev, &[]);
    ip(&format!("{fam} addr add {a2} dev v0"));
    if v6
        && wine_differs(
            "no SIO_ADDRESS_LIST_CHANGE notification for an IPv6 address (wineserver's \
             netlink watch is IPv4's only)",
        )
    {
        check_events(&s, &ev, &[]);
        ip(&format!("{fam} addr del {a2} dev v0"));
        check_events(&s, &ev, &[]);
        ip(&format!("{fam} addr add {a2} dev v0"));
        return;
    }
    check_events(&s, &ev, &[(Fd::ADDRESS_LIST_CHANGE, 0)]);
    // Not asked again: nothing for the next change.
    ip(&format!("{fam} addr add {a3} dev v0"));
    check_events(&s, &ev, &[]);
    // Asked again: that change came before, it does not count.
    assert_eq!(code(s.address_list_change()), WSAEWOULDBLOCK);
    check_events(&s, &ev, &[]);
    // The other family's change does not count either.
    ip(&format!("{other} addr add {o1} dev v0"));
    check_events(&s, &ev, &[]);
    ip(&format!("{fam} addr del {a3} dev v0"));
    check_events(&s, &ev, &[(Fd::ADDRESS_LIST_CHANGE, 0)]);

    // SIO_ADDRESS_LIST_QUERY: the family's addresses, no loopback.
    let list = s.address_list_query().unwrap();
    let (p1, p2) = if v6 {
        (sa("[fd00:99::1]:0"), sa("[fd00:99::2]:0"))
    } else {
        (sa("10.99.0.1:0"), sa("10.99.0.2:0"))
    };
    if !v6 && wine_differs("SIO_ADDRESS_LIST_QUERY lists one IPv4 address per adapter (the first)")
    {
        assert!(list.contains(&p1) && !list.contains(&p2), "{list:?}");
        assert!(
            list.iter().all(|a| a.is_ipv4() && !a.ip().is_unspecified()),
            "{list:?}"
        );
    } else {
        assert!(list.contains(&p1) && list.contains(&p2), "{list:?}");
        assert!(
            list.iter()
                .all(|a| !a.ip().is_loopback() && !a.ip().is_unspecified() && a.is_ipv6() == v6),
            "{list:?}"
        );
    }
    ip(&format!("{other} addr del {o1} dev v0"));
}

/// The routing-interface rules (seed page's table: WSAENETDOWN, WSAENETUNREACH; 0 for a
/// new local interface): one notification per ioctl, only for the destination's route.
#[cfg(target_os = "linux")]
fn routing_interface(v6: bool) {
    let s = if v6 { udp(true) } else { udp(false) };
    let ev = Event::new_manual(false);
    s.event_select(&ev, BOTH).unwrap();
    let fam = if v6 { "-6" } else { "-4" };
    let (dest, far, net, p1, p2, unrelated) = if v6 {
        (
            sa("[fd00:99::77]:0"),
            sa("[fd00:77::1]:0"),
            "fd00:77::/64",
            "fd00:99::1",
            "fd00:99::2",
            "fd00:98::1/64 nodad",
        )
    } else {
        (
            sa("10.99.0.77:0"),
            sa("10.77.0.1:0"),
            "10.77.0.0/16",
            "10.99.0.1",
            "10.99.0.2",
            "10.98.0.1/24",
        )
    };
    // SIO_ROUTING_INTERFACE_QUERY: one of our addresses on v0; no route: WSAENETUNREACH.
    let local = s.routing_interface_query(dest).unwrap();
    assert!(
        [p1, p2].contains(&local.ip().to_string().as_str()),
        "{local}"
    );
    assert_eq!(code(s.routing_interface_query(far)), WSAENETUNREACH);

    // An unrelated change gives nothing; the interface going down gives WSAENETDOWN.
    assert_eq!(code(s.routing_interface_change(dest)), WSAEWOULDBLOCK);
    ip(&format!("{fam} addr add {unrelated} dev lo"));
    check_events(&s, &ev, &[]);
    ip("link set v0 down");
    check_events(&s, &ev, &[(Fd::ROUTING_INTERFACE_CHANGE, WSAENETDOWN)]);
    ip("link set v0 up");
    check_events(&s, &ev, &[]);
    // Linux drops IPv6 addresses when the link goes down: put them back.
    ip("-6 addr replace fd00:99::1/64 dev v0 nodad");
    ip("-6 addr replace fd00:99::2/64 dev v0 nodad");
    check_events(&s, &ev, &[]);

    // A route whose local address changes: 0. Then no route at all: WSAENETUNREACH.
    ip(&format!("{fam} route add {net} dev v0 src {p1}"));
    assert_eq!(s.routing_interface_query(far).unwrap().ip().to_string(), p1);
    assert_eq!(code(s.routing_interface_change(far)), WSAEWOULDBLOCK);
    ip(&format!("{fam} route replace {net} dev v0 src {p2}"));
    check_events(&s, &ev, &[(Fd::ROUTING_INTERFACE_CHANGE, 0)]);
    assert_eq!(code(s.routing_interface_change(far)), WSAEWOULDBLOCK);
    ip(&format!("{fam} route del {net}"));
    check_events(&s, &ev, &[(Fd::ROUTING_INTERFACE_CHANGE, WSAENETUNREACH)]);
    // Not asked again: the route coming back gives nothing.
    ip(&format!("{fam} route add {net} dev v0 src {p1}"));
    check_events(&s, &ev, &[]);
    ip(&format!("{fam} route del {net}"));
    ip(&format!("{fam} addr del {unrelated} dev lo"));

    // The destination must be of the socket's family.
    let wrong = if v6 { sa("10.0.0.1:0") } else { sa("[::1]:0") };
    assert_eq!(code(s.routing_interface_change(wrong)), WSAEINVAL);
    assert_eq!(code(s.routing_interface_query(wrong)), WSAEINVAL);
}

/// Blocking model: the ioctl returns at the next change; a close cancels it (WSAEINTR).
fn blocking_model() {
    let s = udp(false);
    let clone = s.clone();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(clone.address_list_change());
    });
    await_blocked(&s);
    ip("-4 addr add 10.99.0.40/24 dev v0");
    rx.recv_timeout(LONG)
        .expect("the blocking ioctl did not return at the change")
        .unwrap();
    // Nothing was recorded for it: a later selection has nothing to report.
    let ev = Event::new_manual(false);
    s.event_select(&ev, BOTH).unwrap();
    check_events(&s, &ev, &[]);
    s.event_select(None, Fd::empty()).unwrap();
    s.set_nonblocking(false).unwrap();

    let clone = s.clone();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(clone.routing_interface_change(sa("10.99.0.77:0")));
    });
    await_blocked(&s);
    s.close().unwrap();
    let r = rx.recv_timeout(LONG).expect("not cancelled by close");
    assert_eq!(code(r), WSAEINTR);
    ip("-4 addr del 10.99.0.40/24 dev v0");
}

#[track_caller]
fn await_blocked(s: &Socket) {
    let deadline = Instant::now() + LONG;
    while s.blocked_calls() == 0 {
        assert!(Instant::now() < deadline, "the ioctl never blocked");
        std::thread::yield_now();
    }
}

/// The veth pair and its first addresses.
fn set_up_namespace() {
    ip("link set lo up");
    ip("link add v0 type veth peer name v1");
    ip("link set v1 up");
    ip("link set v0 up");
    ip("-4 addr add 10.99.0.1/24 dev v0");
    ip("-6 addr add fd00:99::1/64 dev v0 nodad");
}

/// The routing-interface rules where only an address changes (seed page's table): a
/// destination that becomes reachable from a new local address gives 0; unreachable again
/// when the address goes, WSAENETUNREACH.
fn routing_by_address(v6: bool) {
    let s = udp(v6);
    let ev = Event::new_manual(false);
    s.event_select(&ev, BOTH).unwrap();
    let (fam, dest, local, addr) = if v6 {
        (
            "-6",
            sa("[fd00:66::77]:0"),
            "fd00:66::1",
            "fd00:66::1/64 nodad",
        )
    } else {
        ("-4", sa("10.66.0.77:0"), "10.66.0.1", "10.66.0.1/24")
    };
    assert_eq!(code(s.routing_interface_query(dest)), WSAENETUNREACH);
    assert_eq!(code(s.routing_interface_change(dest)), WSAEWOULDBLOCK);
    check_events(&s, &ev, &[]);
    ip(&format!("{fam} addr add {addr} dev v0"));
    if v6
        && wine_differs(
            "no notification of an IPv6 address or route change (wineserver's netlink watch \
             is IPv4 addresses' only; IP Helper's route notifications are stubs)",
        )
    {
        check_events(&s, &ev, &[]);
        ip(&format!("{fam} addr del {addr} dev v0"));
        return;
    }
    check_events(&s, &ev, &[(Fd::ROUTING_INTERFACE_CHANGE, 0)]);
    assert_eq!(
        s.routing_interface_query(dest).unwrap().ip().to_string(),
        local
    );
    assert_eq!(code(s.routing_interface_change(dest)), WSAEWOULDBLOCK);
    ip(&format!("{fam} addr del {addr} dev v0"));
    check_events(&s, &ev, &[(Fd::ROUTING_INTERFACE_CHANGE, WSAENETUNREACH)]);
}

/// The first ioctl issued by a thread that has exited since: the notification still comes.
/// (Windows cancels a thread's pending I/O when it exits; the Windows source's own
/// overlapped `SIO_ADDRESS_LIST_CHANGE` was first issued on that thread.)
fn armed_by_an_exited_thread() {
    let s = udp(false);
    let ev = Event::new_manual(false);
    s.event_select(&ev, BOTH).unwrap();
    let c = s.clone();
    let r = std::thread::spawn(move || code(c.address_list_change()))
        .join()
        .unwrap();
    assert_eq!(r, WSAEWOULDBLOCK);
    ip("-4 addr add 10.99.0.70/24 dev v0");
    check_events(&s, &ev, &[(Fd::ADDRESS_LIST_CHANGE, 0)]);
    ip("-4 addr del 10.99.0.70/24 dev v0");
}

/// The overlapped model (Microsoft's SIO_ADDRESS_LIST_CHANGE / SIO_ROUTING_INTERFACE_CHANGE
/// reference pages: "the overlapped operation completes when the list changes"): pending
/// (WSA_IO_INCOMPLETE) until the change, then complete with 0 bytes and the event set;
/// nothing recorded; two pending ones both complete; the routing one fails with its code;
/// CancelIoEx and closesocket abort (WSA_OPERATION_ABORTED, 995).
fn overlapped_model() {
    let s = udp(false);
    let sel = Event::new_manual(false);
    s.event_select(&sel, BOTH).unwrap();
    let (e1, e2) = (Event::new_manual(true), Event::new_manual(true));
    let op1 = s
        .address_list_change_overlapped(vec![Notify::Event(e1.clone())])
        .unwrap();
    let op2 = s
        .address_list_change_overlapped(vec![Notify::Event(e2.clone())])
        .unwrap();
    assert_eq!(
        e1.wait(Some(SHORT)),
        WaitOutcome::TimedOut,
        "reset at issue"
    );
    assert_eq!(code(op1.result()), WSA_IO_INCOMPLETE);
    ip("-4 addr add 10.99.0.50/24 dev v0");
    assert_eq!(e1.wait(Some(LONG)), WaitOutcome::Signaled(0));
    assert_eq!(e2.wait(Some(LONG)), WaitOutcome::Signaled(0));
    for op in [&op1, &op2] {
        let r = op.result().unwrap();
        assert_eq!((r.bytes, r.error), (0, 0));
    }
    check_events(&s, &sel, &[]);

    // Routing: reachable from a new address (0), then unreachable (WSAENETUNREACH).
    let dest = sa("10.66.0.77:0");
    let op = s.routing_interface_change_overlapped(dest, vec![]).unwrap();
    assert_eq!(code(op.result()), WSA_IO_INCOMPLETE);
    ip("-4 addr add 10.66.0.1/24 dev v0");
    let r = op.wait(Some(LONG)).unwrap();
    assert_eq!((r.bytes, r.error), (0, 0));
    let op = s.routing_interface_change_overlapped(dest, vec![]).unwrap();
    ip("-4 addr del 10.66.0.1/24 dev v0");
    assert_eq!(code(op.wait(Some(LONG))), WSAENETUNREACH);
    check_events(&s, &sel, &[]);
    let wrong = sa("[::1]:0");
    assert_eq!(
        code(s.routing_interface_change_overlapped(wrong, vec![])),
        WSAEINVAL
    );

    // CancelIoEx, then closesocket, abort what pends; a change after completes nothing.
    let op = s.address_list_change_overlapped(vec![]).unwrap();
    assert_eq!(s.cancel_overlapped(CancelFilter::All).unwrap(), 1);
    assert_eq!(code(op.result()), WSA_OPERATION_ABORTED);
    let a = s.address_list_change_overlapped(vec![]).unwrap();
    let r = s.routing_interface_change_overlapped(dest, vec![]).unwrap();
    s.close().unwrap();
    assert_eq!(code(a.result()), WSA_OPERATION_ABORTED);
    assert_eq!(code(r.result()), WSA_OPERATION_ABORTED);
    ip("-4 addr del 10.99.0.50/24 dev v0");
    assert_eq!(code(a.result()), WSA_OPERATION_ABORTED);
}

#[cfg(target_os = "linux")]
#[test]
fn change_notifications_in_a_private_network_namespace() {
    // SAFETY: unshare(2) on the calling thread only; it changes which network namespace
    // this thread (and what it starts) sees.
    let r = unsafe { libc::unshare(libc::CLONE_NEWNET) };
    assert_eq!(
        r,
        0,
        "unshare(CLONE_NEWNET) needs root (CI runs as root): {}",
        std::io::Error::last_os_error()
    );
    set_up_namespace();
    address_list(false);
    address_list(true);
    routing_interface(false);
    routing_interface(true);
    routing_by_address(false);
    routing_by_address(true);
    blocking_model();
    armed_by_an_exited_thread();
    overlapped_model();
}

/// Windows (under Wine, in the namespace `.ci/run` starts the binary in).
#[cfg(windows)]
#[test]
fn change_notifications_in_a_private_network_namespace() {
    if std::env::var_os("WSAEVENTS_NETNS").is_none() {
        eprintln!(
            "change_events: the namespace part is skipped: it runs under Wine in the private \
             network namespace `.ci/run` starts it in (WSAEVENTS_NETNS=1)"
        );
        return;
    }
    set_up_namespace();
    address_list(false);
    address_list(true);
    routing_by_address(false);
    routing_by_address(true);
    blocking_model();
    armed_by_an_exited_thread();
    overlapped_model();
}

/// What needs no change (every platform, no namespace: also on real Windows and in the
/// plain suite under Wine): the ioctls' results and error codes (WSAEWOULDBLOCK when
/// non-blocking, WSAEINVAL for a destination of the other family), nothing recorded
/// without a change, the queries' answers for loopback, and a close while both are armed
/// (which stops the OS notifications) and while a blocking one waits (WSAEINTR).
#[test]
fn change_ioctls_without_a_change() {
    if cfg!(windows) && std::env::var_os("WSAEVENTS_NETNS").is_some() {
        // The namespace run: its loopback is down until the other test sets it up, and
        // this ran in the plain suite.
        return;
    }
    for v6 in [false, true] {
        let s = udp(v6);
        let ev = Event::new_manual(false);
        s.event_select(&ev, BOTH).unwrap();
        let (lo, wrong) = if v6 {
            (sa("[::1]:0"), sa("127.0.0.1:0"))
        } else {
            (sa("127.0.0.1:0"), sa("[::1]:0"))
        };
        assert_eq!(code(s.address_list_change()), WSAEWOULDBLOCK);
        assert_eq!(code(s.routing_interface_change(lo)), WSAEWOULDBLOCK);
        assert_eq!(code(s.routing_interface_change(wrong)), WSAEINVAL);
        assert_eq!(code(s.routing_interface_query(wrong)), WSAEINVAL);
        assert_eq!(s.routing_interface_query(lo).unwrap(), lo);
        let list = s.address_list_query().unwrap();
        assert!(
            list.iter()
                .all(|a| !a.ip().is_loopback() && a.is_ipv6() == v6 && a.port() == 0),
            "{list:?}"
        );
        check_events(&s, &ev, &[]);
        s.close().unwrap();
    }
    let s = udp(false);
    let clone = s.clone();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(clone.address_list_change());
    });
    await_blocked(&s);
    s.close().unwrap();
    let r = rx.recv_timeout(LONG).expect("not cancelled by close");
    assert_eq!(code(r), WSAEINTR);
}
