//! `select` and `WSAPoll` through the Winsock-named facade, over loopback (IPv4 and IPv6),
//! with the values of Wine's Windows-run `test_select` and `test_WSAPoll`, and rule 47
//! (neither touches the network-event record). Each rule test body runs twice (`both`): on
//! loopback and on a simulated network, where the waits run in virtual time; the tests
//! after them cover what only the simulated network produces (a connect that times out, a
//! timeout of an hour) and the mixing rule (docs/simulation.md).
//!
//! Nothing sleeps to synchronise: a condition that arrives asynchronously is first waited
//! for with a call that returns as soon as it holds (bounded by `LONG`), and only then are
//! the other sets or flags checked without waiting.
#![allow(non_snake_case)]

mod common;

use std::net::SocketAddr;

use wsaevents::winsock::*;

const LONG: timeval = timeval {
    tv_sec: 10,
    tv_usec: 0,
};
const NOW: timeval = timeval {
    tv_sec: 0,
    tv_usec: 0,
};
const ASKABLE: i16 = POLLRDNORM | POLLRDBAND | POLLWRNORM;

fn start() {
    let mut d = WSADATA::default();
    assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut d), 0);
}

fn lo(v6: bool) -> SocketAddr {
    if v6 { "[::1]:0" } else { "127.0.0.1:0" }.parse().unwrap()
}

fn family(v6: bool) -> i32 {
    if v6 { AF_INET6 } else { AF_INET }
}

/// A bound socket on loopback, listening with `backlog` (none if 0); its address.
fn listener(v6: bool, backlog: i32) -> (SOCKET, SocketAddr) {
    let l = socket(family(v6), SOCK_STREAM, IPPROTO_TCP);
    assert_ne!(l, INVALID_SOCKET);
    assert_eq!(bind(l, &lo(v6)), 0);
    let mut a = lo(v6);
    assert_eq!(getsockname(l, &mut a), 0);
    if backlog > 0 {
        assert_eq!(listen(l, backlog), 0);
    }
    (l, a)
}

/// Wine's tcp_socketpair: a blocking connect, then accept.
fn pair(v6: bool) -> (SOCKET, SOCKET) {
    let (l, a) = listener(v6, 1);
    let c = socket(family(v6), SOCK_STREAM, IPPROTO_TCP);
    assert_eq!(connect(c, &a), 0);
    let s = accept(l, None);
    assert_ne!(s, INVALID_SOCKET);
    closesocket(l);
    (c, s)
}

fn set_of(s: SOCKET) -> fd_set {
    let mut f = fd_set::default();
    FD_SET(s, &mut f);
    f
}

/// select on one socket in the sets named by `which` ("r", "w", "e"); the sets that hold
/// it afterwards, with the count checked against them.
fn sel(s: SOCKET, which: &str, tv: &timeval) -> String {
    let mut r = set_of(s);
    let mut w = set_of(s);
    let mut e = set_of(s);
    let n = select(
        0,
        which.contains('r').then_some(&mut r),
        which.contains('w').then_some(&mut w),
        which.contains('e').then_some(&mut e),
        Some(tv),
    );
    let mut out = String::new();
    for (c, f) in [('r', &r), ('w', &w), ('e', &e)] {
        if which.contains(c) && FD_ISSET(s, f) {
            out.push(c);
        }
    }
    assert_eq!(n, out.len() as i32, "select's count for {out:?}");
    out
}

/// WSAPoll on one socket: revents, the count checked against it.
fn poll1(s: SOCKET, events: i16, timeout: i32) -> i16 {
    let mut p = [WSAPOLLFD {
        fd: s,
        events,
        revents: 0x7ead,
    }];
    let n = WSAPoll(&mut p, timeout);
    assert_eq!(n, i32::from(p[0].revents != 0));
    p[0].revents
}

/// Rule 47: with `bits` recorded and `ev` signalled, select and WSAPoll change nothing.
fn record_untouched(s: SOCKET, ev: WSAEVENT, bits: i32) {
    for _ in 0..3 {
        sel(s, "rwe", &NOW);
        poll1(s, ASKABLE, 0);
    }
    assert_eq!(
        WSAWaitForMultipleEvents(&[ev], FALSE, 0, FALSE),
        WSA_WAIT_EVENT_0
    );
    let mut ne = WSANETWORKEVENTS::default();
    assert_eq!(WSAEnumNetworkEvents(s, ev, &mut ne), 0);
    assert_eq!(ne.lNetworkEvents, bits, "the record as it was (rule 47)");
    for _ in 0..3 {
        sel(s, "rwe", &NOW);
        poll1(s, ASKABLE, 0);
    }
    assert_eq!(
        WSAWaitForMultipleEvents(&[ev], FALSE, 0, FALSE),
        WSA_WAIT_TIMEOUT,
        "select/WSAPoll do not signal the event (rule 47)"
    );
    assert_eq!(WSAEnumNetworkEvents(s, ev, &mut ne), 0);
    assert_eq!(ne.lNetworkEvents, 0, "nor record anything (rule 47)");
}

/// FD_SET / FD_CLR / FD_ISSET / FD_ZERO as winsock2.h defines them.
#[test]
fn fd_set_macros() {
    let mut f = fd_set::default();
    FD_SET(5_000_000, &mut f);
    FD_SET(5_000_000, &mut f);
    assert_eq!(f.sockets(), &[5_000_000], "no duplicate");
    FD_SET(8, &mut f);
    FD_SET(12, &mut f);
    FD_CLR(5_000_000, &mut f);
    assert_eq!(f.sockets(), &[8, 12], "the later entries move down");
    FD_CLR(99, &mut f);
    assert_eq!(f.fd_count, 2);
    assert!(FD_ISSET(12, &f) && !FD_ISSET(5_000_000, &f));
    f.fd_array[2] = 16;
    assert!(!FD_ISSET(16, &f), "fd_count entries only");
    FD_ZERO(&mut f);
    for i in 0..FD_SETSIZE + 3 {
        FD_SET(4 * (i + 1), &mut f);
    }
    assert_eq!(f.fd_count as usize, FD_SETSIZE, "full at FD_SETSIZE");
    assert_eq!(size_of::<fd_set>(), size_of::<SOCKET>() * (FD_SETSIZE + 1));
    assert_eq!(size_of::<WSAPOLLFD>(), 2 * size_of::<SOCKET>());
    assert_eq!((POLLIN, POLLOUT, POLLPRI), (0x0300, 0x0010, 0x0400));
}

/// test_select: no socket anywhere is WSAEINVAL; a non-socket WSAENOTSOCK, sets unchanged;
/// a fresh TCP socket is in no set; an unbound UDP socket is writable.
#[test]
fn select_errors_and_idle_sockets() {
    common::both(|| {
        start();
        assert_eq!(select(0, None, None, None, Some(&NOW)), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAEINVAL);
        let (mut r, mut w) = (fd_set::default(), fd_set::default());
        assert_eq!(
            select(0, Some(&mut r), Some(&mut w), None, Some(&NOW)),
            SOCKET_ERROR
        );
        assert_eq!(WSAGetLastError(), WSAEINVAL);
        let s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        let mut r = set_of(s);
        let mut e = set_of(INVALID_SOCKET);
        assert_eq!(
            select(0, Some(&mut r), None, Some(&mut e), Some(&NOW)),
            SOCKET_ERROR
        );
        assert_eq!(WSAGetLastError(), WSAENOTSOCK);
        assert_eq!((r.fd_count, e.fd_count), (1, 1), "sets unchanged");
        assert_eq!(sel(s, "rwe", &NOW), "");
        let u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        assert_eq!(sel(u, "rwe", &NOW), "w");
        closesocket(s);
        assert_eq!(
            select(0, Some(&mut set_of(s)), None, None, Some(&NOW)),
            SOCKET_ERROR
        );
        assert_eq!(WSAGetLastError(), WSAENOTSOCK, "a closed socket");
        closesocket(u);
        WSACleanup();
    });
}

/// test_select: a pending connection (nfds 0), a completed connect, data, urgent data, the
/// FIN; rule 47 along the way. IPv4 and IPv6.
#[test]
fn select_connection_states() {
    common::both(|| {
        start();
        for v6 in [false, true] {
            let (l, a) = listener(v6, 4);
            assert_eq!(sel(l, "rwe", &NOW), "");
            let c = socket(family(v6), SOCK_STREAM, IPPROTO_TCP);
            let mut on = 1;
            assert_eq!(ioctlsocket(c, FIONBIO, &mut on), 0);
            assert_eq!(connect(c, &a), SOCKET_ERROR);
            assert_eq!(WSAGetLastError(), WSAEWOULDBLOCK);
            assert_eq!(sel(l, "r", &LONG), "r", "a pending connection");
            assert_eq!(sel(l, "rwe", &NOW), "r", "readfds only");
            let s = accept(l, None);
            assert_ne!(s, INVALID_SOCKET);
            assert_eq!(sel(c, "w", &LONG), "w", "the connect completed");
            assert_eq!(sel(c, "rwe", &NOW), "w");

            let ev = WSACreateEvent();
            assert_eq!(WSAEventSelect(s, ev, FD_READ | FD_OOB | FD_CLOSE), 0);
            assert_eq!(send(c, b"1234", 0), 4);
            assert_eq!(sel(s, "r", &LONG), "r", "data");
            assert_eq!(sel(s, "rwe", &NOW), "rw", "data: not exceptfds");
            assert_eq!(
                WSAWaitForMultipleEvents(&[ev], FALSE, 10_000, FALSE),
                WSA_WAIT_EVENT_0
            );
            record_untouched(s, ev, FD_READ);
            let mut buf = [0u8; 8];
            assert_eq!(recv(s, &mut buf, 0), 4);
            assert_eq!(sel(s, "re", &NOW), "");

            assert_eq!(send(c, b"A", MSG_OOB), 1);
            assert_eq!(sel(s, "e", &LONG), "e", "urgent data");
            assert_eq!(sel(s, "rwe", &NOW), "we", "urgent data: not readfds");
            // select saw the urgent byte (a level check); the record sees it too.
            assert_eq!(
                WSAWaitForMultipleEvents(&[ev], FALSE, 10_000, FALSE),
                WSA_WAIT_EVENT_0
            );
            record_untouched(s, ev, FD_OOB);
            assert_eq!(recv(s, &mut buf, MSG_OOB), 1);
            assert_eq!(sel(s, "re", &NOW), "");

            assert_eq!(shutdown(c, SD_SEND), 0);
            assert_eq!(sel(s, "r", &LONG), "r", "the FIN");
            assert_eq!(sel(s, "rwe", &NOW), "rw");
            assert_eq!(poll1(s, 0, 0), POLLHUP, "WSAPoll: POLLHUP, asked or not");
            assert_eq!(
                poll1(s, ASKABLE, 0),
                POLLHUP | POLLWRNORM,
                "no RDNORM for a FIN"
            );
            assert_eq!(recv(s, &mut buf, 0), 0);
            for h in [c, s, l] {
                closesocket(h);
            }
            WSACloseEvent(ev);
        }
        WSACleanup();
    });
}

/// test_select / test_WSAPoll: a refused non-blocking connect is exceptfds only, and stays
/// so; WSAPoll gives POLLWRNORM | POLLHUP | POLLERR.
#[test]
fn select_failed_connect() {
    common::both(|| {
        start();
        for v6 in [false, true] {
            let (holder, a) = listener(v6, 0);
            let c = socket(family(v6), SOCK_STREAM, IPPROTO_TCP);
            let mut on = 1;
            assert_eq!(ioctlsocket(c, FIONBIO, &mut on), 0);
            assert_eq!(connect(c, &a), SOCKET_ERROR);
            assert_eq!(WSAGetLastError(), WSAEWOULDBLOCK);
            assert_eq!(sel(c, "e", &LONG), "e");
            assert_eq!(sel(c, "rwe", &NOW), "e");
            assert_eq!(sel(c, "rwe", &NOW), "e", "stays (rule 33)");
            assert_eq!(poll1(c, ASKABLE, 0), POLLWRNORM | POLLHUP | POLLERR);
            closesocket(c);
            closesocket(holder);
        }
        WSACleanup();
    });
}

/// A NULL timeval blocks until a socket is ready: another thread connects once told to,
/// before or after select starts; select returns 1 either way, never 0.
#[test]
fn select_without_timeout_blocks_until_ready() {
    start();
    let (l, a) = listener(false, 4);
    let go = WSACreateEvent();
    let t = std::thread::spawn(move || {
        assert_eq!(
            WSAWaitForMultipleEvents(&[go], FALSE, 10_000, FALSE),
            WSA_WAIT_EVENT_0
        );
        let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assert_eq!(connect(c, &a), 0);
        c
    });
    let mut r = set_of(l);
    WSASetEvent(go);
    assert_eq!(select(0, Some(&mut r), None, None, None), 1);
    assert!(FD_ISSET(l, &r));
    let c = t.join().unwrap();
    let mut p = [WSAPOLLFD {
        fd: l,
        events: POLLIN,
        revents: 0,
    }];
    assert_eq!(
        WSAPoll(&mut p, -1),
        1,
        "WSAPoll(-1) with a connection pending"
    );
    assert_eq!(p[0].revents, POLLRDNORM);
    closesocket(c);
    closesocket(l);
    WSACloseEvent(go);
    WSACleanup();
}

/// test_select: aliased sets (the same fd_set as readfds and writefds) count a socket once;
/// the same socket twice in a set is one entry.
#[test]
fn select_duplicates_count_once() {
    common::both(|| {
        start();
        let (c, s) = pair(false);
        let mut w = fd_set {
            fd_count: 2,
            ..Default::default()
        };
        w.fd_array[0] = c;
        w.fd_array[1] = c;
        assert_eq!(select(0, None, Some(&mut w), None, Some(&NOW)), 1);
        assert_eq!(w.sockets(), &[c]);
        closesocket(c);
        closesocket(s);
        WSACleanup();
    });
}

/// test_WSAPoll: argument rules.
#[test]
fn wsapoll_arguments() {
    common::both(|| {
        start();
        assert_eq!(WSAPoll(&mut [], 0), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAEINVAL);
        let (l, _) = listener(false, 4);
        for bad in [
            POLLERR,
            POLLHUP,
            POLLNVAL,
            0x8,
            POLLWRBAND,
            0x40,
            0x80,
            POLLPRI,
            0x800,
            0x1000,
            0x2000,
            0x4000,
            i16::MIN,
        ] {
            let mut p = [WSAPOLLFD {
                fd: l,
                events: bad,
                revents: 0,
            }];
            assert_eq!(WSAPoll(&mut p, 0), SOCKET_ERROR, "events {bad:#x}");
            assert_eq!(WSAGetLastError(), WSAEINVAL);
        }
        let mut p = [
            WSAPOLLFD {
                fd: INVALID_SOCKET,
                events: POLLERR,
                revents: 0x7ead,
            },
            WSAPOLLFD {
                fd: l,
                events: POLLIN,
                revents: 0x7ead,
            },
        ];
        WSASetLastError(0);
        assert_eq!(WSAPoll(&mut p, 0), 0);
        assert_eq!(WSAGetLastError(), 0);
        assert_eq!((p[0].revents, p[1].revents), (POLLNVAL, 0));
        p[0].fd = 0xabacab;
        p[0].events = POLLIN;
        assert_eq!(WSAPoll(&mut p, 0), 0, "a non-socket is not counted");
        assert_eq!(p[0].revents, POLLNVAL);
        p[0].events = POLLERR;
        assert_eq!(WSAPoll(&mut p, 0), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAEINVAL);
        assert_eq!((p[0].revents, p[1].revents), (0, 0));
        p[1].fd = INVALID_SOCKET;
        assert_eq!(WSAPoll(&mut p, 0), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAENOTSOCK);
        assert_eq!((p[0].revents, p[1].revents), (POLLNVAL, POLLNVAL));
        closesocket(l);
        WSACleanup();
    });
}

/// Rule 39 (T:13875-13944, `test_tcp_reset`): after a RST, select reports the socket
/// readable and writable, not in exceptfds. WSAPoll's `POLLHUP` there is our inference
/// (`POLLHUP`: "disconnected or aborted").
#[test]
fn select_after_reset() {
    common::both(|| {
        start();
        for v6 in [false, true] {
            let (c, s) = pair(v6);
            // SO_LINGER {1, 0}: closesocket sends a RST.
            assert_eq!(setsockopt(c, SOL_SOCKET, SO_LINGER, &[1, 0, 0, 0]), 0);
            assert_eq!(closesocket(c), 0);
            assert_eq!(sel(s, "r", &LONG), "r");
            assert_eq!(sel(s, "rwe", &NOW), "rw");
            assert_eq!(poll1(s, 0, 0), POLLHUP);
            let mut buf = [0u8; 4];
            let reset = common::windows_or_wine(
                SOCKET_ERROR,
                0,
                "a peer's RST gives FD_CLOSE with 0 and recv returns 0",
            );
            assert_eq!(recv(s, &mut buf, 0), reset);
            if reset == SOCKET_ERROR {
                assert_eq!(WSAGetLastError(), WSAECONNRESET);
            }
            assert_eq!(sel(s, "rwe", &NOW), "rw", "still");
            closesocket(s);
        }
        WSACleanup();
    });
}

// ------------------------------------------------------------------------------------------
// What only the simulated network produces, and the mixing rule (docs/simulation.md)

use std::time::Duration;
use wsaevents::sim::{Host, Network};

/// A network with the code under test's host (10.0.0.1) and a silent one (10.0.0.3, which
/// never answers: a connect to it times out after 21 s, docs/simulation.md).
fn silent_net(seed: u64) -> (Network, Host) {
    let net = Network::new(seed);
    let client = net.host("client", &["10.0.0.1".parse().unwrap()]);
    let silent = net.host("silent", &["10.0.0.3".parse().unwrap()]);
    silent.set_silent(true);
    (net, client)
}

/// A non-blocking socket whose connect to the silent host is in progress.
fn connecting_to_silent() -> SOCKET {
    let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    let mut on = 1;
    assert_eq!(ioctlsocket(c, FIONBIO, &mut on), 0);
    assert_eq!(connect(c, &"10.0.0.3:80".parse().unwrap()), SOCKET_ERROR);
    assert_eq!(WSAGetLastError(), WSAEWOULDBLOCK);
    c
}

fn so_error(s: SOCKET) -> i32 {
    let mut v = [0u8; 4];
    let mut len = 4;
    assert_eq!(getsockopt(s, SOL_SOCKET, SO_ERROR, &mut v, &mut len), 0);
    i32::from_ne_bytes(v)
}

/// A failed non-blocking connect is exceptfds only (Wine's Windows-run `test_select`, the
/// refused case; the same for a timed-out one: the connect failed). On a silent host it
/// fails after Windows' 21 s (SYN at 0, 3 s, 9 s; KB 2786464): a select with a 60 s
/// timeout returns then, in virtual time, and a select with a shorter timeout returns 0 at
/// exactly its (virtual) timeout, the connect still in progress.
#[test]
fn sim_select_reports_a_timed_out_connect_in_exceptfds_after_21s() {
    let (net, client) = silent_net(3);
    client.enter(|| {
        start();
        let c = connecting_to_silent();
        let t0 = net.now();
        let five = timeval {
            tv_sec: 5,
            tv_usec: 250_000,
        };
        assert_eq!(sel(c, "rwe", &five), "", "still connecting");
        assert_eq!(
            net.now() - t0,
            Duration::from_millis(5250),
            "the virtual timeout"
        );
        let minute = timeval {
            tv_sec: 60,
            tv_usec: 0,
        };
        let real = std::time::Instant::now();
        assert_eq!(sel(c, "rwe", &minute), "e", "{}", net.trace());
        assert_eq!(net.now() - t0, Duration::from_secs(21), "{}", net.trace());
        assert!(
            real.elapsed() < Duration::from_secs(5),
            "virtual, not real time"
        );
        assert_eq!(so_error(c), WSAETIMEDOUT);
        assert_eq!(sel(c, "rwe", &NOW), "e", "stays (rule 33)");
        assert_eq!(
            net.now() - t0,
            Duration::from_secs(21),
            "a poll moves no clock"
        );
        closesocket(c);
        WSACleanup();
    });
}

/// The same with `WSAPoll` (Wine's Windows-run `test_WSAPoll`, failed connect:
/// `POLLWRNORM | POLLHUP | POLLERR`, the last two whatever `events` asks), its timeout in
/// virtual milliseconds; and a `select` with no timeout, which returns when the connect
/// fails, 21 s later.
#[test]
fn sim_wsapoll_reports_a_timed_out_connect_after_21s() {
    let (net, client) = silent_net(4);
    client.enter(|| {
        start();
        let c = connecting_to_silent();
        let t0 = net.now();
        assert_eq!(poll1(c, ASKABLE, 2_500), 0);
        assert_eq!(net.now() - t0, Duration::from_millis(2500));
        assert_eq!(
            poll1(c, POLLRDNORM, 60_000),
            POLLHUP | POLLERR,
            "{}",
            net.trace()
        );
        assert_eq!(net.now() - t0, Duration::from_secs(21));
        assert_eq!(poll1(c, ASKABLE, 0), POLLWRNORM | POLLHUP | POLLERR);
        closesocket(c);

        let c = connecting_to_silent();
        let t1 = net.now();
        let mut e = set_of(c);
        assert_eq!(select(0, None, None, Some(&mut e), None), 1);
        assert!(FD_ISSET(c, &e));
        assert_eq!(net.now() - t1, Duration::from_secs(21), "{}", net.trace());
        closesocket(c);
        WSACleanup();
    });
}

/// Timeouts are virtual: an hour's select on an idle socket returns 0 at once in real
/// time, the clock exactly an hour later; a WSAPoll of 90 s likewise.
#[test]
fn sim_select_timeout_is_virtual() {
    let (net, client) = silent_net(5);
    client.enter(|| {
        start();
        let s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        let t0 = net.now();
        let real = std::time::Instant::now();
        let hour = timeval {
            tv_sec: 3600,
            tv_usec: 0,
        };
        assert_eq!(sel(s, "rwe", &hour), "");
        assert_eq!(net.now() - t0, Duration::from_secs(3600));
        assert_eq!(poll1(s, ASKABLE, 90_000), 0);
        assert_eq!(net.now() - t0, Duration::from_secs(3690));
        assert!(
            real.elapsed() < Duration::from_secs(5),
            "virtual, not real time"
        );
        closesocket(s);
        WSACleanup();
    });
}

/// Mixing is an error, not a hang (docs/simulation.md): a select or WSAPoll over sockets of
/// two simulated networks, or a simulated and an OS socket, fails `WSAEINVAL` before
/// waiting (select's sets unchanged, WSAPoll's revents all 0); each socket alone works.
#[test]
fn sim_select_mixing_networks_is_einval() {
    start();
    let os = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    let (net_a, a) = silent_net(6);
    let (_net_b, b) = silent_net(7);
    let sa = a.enter(|| socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
    let sb = b.enter(|| socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
    let t0 = net_a.now();
    for (x, y, what) in [(sa, os, "simulated and OS"), (sa, sb, "two networks")] {
        let mut w = set_of(x);
        FD_SET(y, &mut w);
        let hour = timeval {
            tv_sec: 3600,
            tv_usec: 0,
        };
        assert_eq!(
            select(0, None, Some(&mut w), None, Some(&hour)),
            SOCKET_ERROR
        );
        assert_eq!(WSAGetLastError(), WSAEINVAL, "select: {what}");
        assert_eq!(w.sockets(), &[x, y], "sets unchanged");
        let mut p = [x, y].map(|fd| WSAPOLLFD {
            fd,
            events: POLLWRNORM,
            revents: 0x7ead,
        });
        assert_eq!(WSAPoll(&mut p, -1), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAEINVAL, "WSAPoll: {what}");
        assert_eq!((p[0].revents, p[1].revents), (0, 0));
    }
    assert_eq!(net_a.now(), t0, "no clock moved");
    // Each alone: an unbound UDP socket is writable (test_select).
    for s in [os, sa, sb] {
        assert_eq!(sel(s, "w", &NOW), "w");
        assert_eq!(poll1(s, POLLWRNORM, 0), POLLWRNORM);
    }
    for s in [os, sa, sb] {
        closesocket(s);
    }
    WSACleanup();
}

/// A select-driven exchange over a link with latency, jitter and loss: the same seed
/// gives the same trace, and the same virtual duration, run after run.
#[test]
fn sim_select_loop_is_deterministic() {
    fn run(seed: u64) -> (String, Duration) {
        let net = Network::new(seed);
        let client = net.host("client", &["10.0.0.1".parse().unwrap()]);
        let server = net.host("server", &["10.0.0.2".parse().unwrap()]);
        net.set_latency(
            &client,
            &server,
            Duration::from_millis(20),
            Duration::from_millis(15),
        );
        net.set_loss(&client, &server, 0.2);
        let mut d = WSADATA::default();
        assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut d), 0);
        let l = server.enter(|| {
            let l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            assert_eq!(bind(l, &"10.0.0.2:80".parse().unwrap()), 0);
            assert_eq!(listen(l, 4), 0);
            l
        });
        let c = client.enter(|| {
            let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            let mut on = 1;
            assert_eq!(ioctlsocket(c, FIONBIO, &mut on), 0);
            assert_eq!(connect(c, &"10.0.0.2:80".parse().unwrap()), SOCKET_ERROR);
            c
        });
        // One thread drives both ends with select: accept, then echo 20 messages.
        let wait = timeval {
            tv_sec: 60,
            tv_usec: 0,
        };
        let mut r = set_of(l);
        assert_eq!(select(0, Some(&mut r), None, None, Some(&wait)), 1);
        let s = accept(l, None);
        assert_ne!(s, INVALID_SOCKET);
        let mut w = set_of(c);
        assert_eq!(select(0, None, Some(&mut w), None, Some(&wait)), 1);
        let mut buf = [0u8; 64];
        for i in 0..20u8 {
            assert_eq!(send(c, &[i; 10], 0), 10);
            let mut got = 0;
            while got < 10 {
                let mut r = set_of(s);
                assert_eq!(select(0, Some(&mut r), None, None, Some(&wait)), 1);
                let n = recv(s, &mut buf, 0);
                assert!(n > 0, "{}", net.trace());
                got += n as usize;
            }
            assert_eq!(send(s, &buf[..10], 0), 10);
            let mut p = [WSAPOLLFD {
                fd: c,
                events: POLLRDNORM,
                revents: 0,
            }];
            let mut back = 0;
            while back < 10 {
                assert_eq!(WSAPoll(&mut p, 60_000), 1);
                back += recv(c, &mut buf, 0) as usize;
            }
        }
        for h in [c, s, l] {
            closesocket(h);
        }
        WSACleanup();
        (net.trace(), net.now())
    }
    let first = run(11);
    assert!(
        first.1 > Duration::from_millis(800),
        "{:?}: latency counts",
        first.1
    );
    assert_eq!(run(11), first);
    assert_ne!(run(12).0, first.0, "the seed matters");
}

/// A NULL timeval on the simulated network blocks until a socket is ready, when another
/// thread of the same host makes it so (it connects); bounded from outside in real time.
#[test]
fn sim_select_without_timeout_wakes_on_another_thread() {
    let (net, client) = silent_net(8);
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let main = {
        let client = client.clone();
        std::thread::spawn(move || {
            client.enter(|| {
                start();
                let (l, a) = listener(false, 4);
                let peer = {
                    let client = client.clone();
                    std::thread::spawn(move || {
                        client.enter(|| {
                            let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
                            assert_eq!(connect(c, &a), 0);
                            c
                        })
                    })
                };
                let mut r = set_of(l);
                assert_eq!(select(0, Some(&mut r), None, None, None), 1);
                assert!(FD_ISSET(l, &r));
                let c = peer.join().unwrap();
                let mut p = [WSAPOLLFD {
                    fd: l,
                    events: POLLIN,
                    revents: 0,
                }];
                assert_eq!(WSAPoll(&mut p, -1), 1);
                assert_eq!(p[0].revents, POLLRDNORM);
                closesocket(c);
                closesocket(l);
                WSACleanup();
            });
            done_tx.send(()).unwrap();
        })
    };
    assert!(
        done_rx.recv_timeout(Duration::from_secs(30)).is_ok(),
        "select never returned; trace:\n{}",
        net.trace()
    );
    main.join().unwrap();
}
