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
/// gives `server`; the listener is closed. Both blocking, unselected. Bounded (see
/// [`bounded`]): a connect or accept that never returns fails the test program.
#[track_caller]
pub fn pair(v6: bool) -> (Socket, Socket) {
    bounded("pair: a blocking connect and accept", LONG, || {
        let l = listener(v6);
        let c = tcp(v6);
        c.connect(l.local_addr().unwrap()).unwrap();
        let (s, _) = l.accept().unwrap();
        (c, s)
    })
}

/// Runs `f`, which makes blocking calls that no timeout of theirs bounds; if it has not
/// returned after `limit`, says so and ends the test program with a failure (a blocked call
/// cannot be interrupted), so that a hang is a failure, never a stuck run.
#[track_caller]
pub fn bounded<T>(what: &str, limit: Duration, f: impl FnOnce() -> T) -> T {
    let (done, wait) = std::sync::mpsc::channel::<()>();
    let what = what.to_owned();
    let at = std::panic::Location::caller();
    let watchdog = std::thread::spawn(move || {
        if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(limit) {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "HUNG: {what} did not return within {limit:?} (at {at})"
            );
            std::process::exit(101);
        }
    });
    let r = f();
    drop(done);
    let _ = watchdog.join();
    r
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

/// The loopback address of the family, port 0.
pub fn lo(v6: bool) -> SocketAddr {
    if v6 { lo6() } else { lo4() }
}

pub fn udp(v6: bool) -> Socket {
    if v6 {
        Socket::udp_v6().unwrap()
    } else {
        Socket::udp_v4().unwrap()
    }
}

/// `n` connected pairs `(client, server)` from one listener (blocking, unselected).
pub fn pairs(v6: bool, n: usize) -> Vec<(Socket, Socket)> {
    let l = listener(v6);
    let addr = l.local_addr().unwrap();
    (0..n)
        .map(|_| {
            let c = tcp(v6);
            c.connect(addr).unwrap();
            let (s, _) = l.accept().unwrap();
            (c, s)
        })
        .collect()
}

/// A bound, not listening TCP port on loopback: connects to it are refused. Keep the
/// returned socket alive while the port is used.
pub fn refused_port(v6: bool) -> (Socket, SocketAddr) {
    let holder = tcp(v6);
    holder.bind(lo(v6)).unwrap();
    let addr = holder.local_addr().unwrap();
    (holder, addr)
}

/// The Winsock error code of a failed call.
#[track_caller]
pub fn code<T: std::fmt::Debug>(r: wsaevents::Result<T>) -> i32 {
    r.unwrap_err().code()
}

/// Calls `f` until it stops failing with WSAEWOULDBLOCK, letting the poller run between
/// tries (a short wait on a private event); bounded by `LONG`. For the few calls whose
/// completion no event of the test's own announces.
#[track_caller]
pub fn retry<T>(mut f: impl FnMut() -> wsaevents::Result<T>) -> wsaevents::Result<T> {
    let deadline = std::time::Instant::now() + LONG;
    let tick = Event::new_manual(false);
    loop {
        match f() {
            Err(e)
                if e.code() == wsaevents::error::WSAEWOULDBLOCK
                    && std::time::Instant::now() < deadline =>
            {
                tick.wait(Some(Duration::from_millis(2)));
            }
            r => return r,
        }
    }
}

/// Reads exactly `n` bytes (blocking or not), bounded by `LONG`.
#[track_caller]
pub fn recv_exact(s: &Socket, n: usize) -> Vec<u8> {
    let mut out = vec![0u8; n];
    let mut got = 0;
    while got < n {
        let k = retry(|| s.recv(&mut out[got..])).unwrap();
        assert!(k > 0, "end of stream after {got} of {n} bytes");
        got += k;
    }
    out
}

/// Sends on a non-blocking socket until it fails WSAEWOULDBLOCK; returns the bytes taken.
#[track_caller]
pub fn fill(c: &Socket) -> usize {
    let chunk = vec![7u8; 64 * 1024];
    let mut sent = 0usize;
    loop {
        match c.send(&chunk) {
            Ok(n) => sent += n,
            Err(e) => {
                assert_eq!(e.code(), wsaevents::error::WSAEWOULDBLOCK);
                return sent;
            }
        }
        assert!(sent < 512 * 1024 * 1024, "never blocked");
    }
}

/// [`fill`], then makes sure the socket stays blocked: `c` must be selected with FD_WRITE on
/// `ev` and its FD_WRITE consumed. An FD_WRITE that comes without the peer reading (ACKs
/// freed room, as they may on Windows too) is legitimate; it just means filling again.
/// Returns the bytes taken; on return `ev` is unsignalled and nothing is recorded.
#[track_caller]
pub fn fill_until_quiet(c: &Socket, ev: &Event) -> usize {
    let mut sent = fill(c);
    for _ in 0..100 {
        if ev.wait(Some(SHORT)) == WaitOutcome::TimedOut {
            return sent;
        }
        let rec = c.enum_network_events(Some(ev)).unwrap();
        assert_eq!(
            rec.events(),
            Fd::WRITE,
            "only FD_WRITE may come while blocked"
        );
        assert_eq!(rec.error_code[wsaevents::FD_WRITE_BIT], 0);
        sent += fill(c);
    }
    panic!("the send buffer never stayed full");
}

/// Reads and discards `n` bytes.
#[track_caller]
pub fn drain(s: &Socket, n: usize) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut got = 0usize;
    while got < n {
        let want = (n - got).min(buf.len());
        let k = retry(|| s.recv(&mut buf[..want])).unwrap();
        assert!(k > 0, "end of stream after {got} of {n} bytes");
        got += k;
    }
}

/// A TCP client stuck in "connecting": the listener (`listen(1)`, never accepting) has a
/// full accept queue, so Linux drops the client's SYN and it stays in SYN-SENT. Returns
/// (listener, the clients that did connect, the stuck client selected with FD_CONNECT on
/// the returned event, that event).
///
/// On Linux the queue is read, not guessed: clients connect one at a time, each waited for
/// until the listener's accept queue holds it ([`accept_queue_len`]), until the queue is
/// full (Linux: more than the backlog, 1); the next client's SYN is then dropped for sure.
/// Elsewhere (Windows and so Wine, whose backend takes connections from the OS's queue as
/// they come; macOS; the simulated network) a client whose FD_CONNECT has not come after
/// [`SHORT`] is taken as stuck.
pub fn stuck_connect(v6: bool) -> (Socket, Vec<Socket>, Socket, Event) {
    let l = tcp(v6);
    l.bind(lo(v6)).unwrap();
    l.listen(1).unwrap();
    let addr = l.local_addr().unwrap();
    let mut done = Vec::new();
    #[cfg(target_os = "linux")]
    if !wsaevents::sim::is_simulated() {
        let tick = Event::new_manual(false);
        loop {
            let queued = accept_queue_len(addr).expect("the listener is in /proc/net/tcp");
            assert_eq!(queued, done.len(), "the listener's accept queue");
            let c = tcp(v6);
            let ev = Event::new_manual(false);
            c.event_select(&ev, Fd::CONNECT).unwrap();
            assert_eq!(code(c.connect(addr)), wsaevents::error::WSAEWOULDBLOCK);
            // Linux's accept queue is full when it holds more than the backlog (1).
            if queued > 1 {
                return (l, done, c, ev);
            }
            check_events(&c, &ev, &[(Fd::CONNECT, 0)]);
            done.push(c);
            // The client is connected once the listener took the handshake's last ACK,
            // into its queue: wait for that (bounded), so that the next look is exact.
            let deadline = std::time::Instant::now() + LONG;
            while accept_queue_len(addr) != Some(done.len()) {
                assert!(
                    std::time::Instant::now() < deadline,
                    "the connection never reached the accept queue"
                );
                tick.wait(Some(Duration::from_millis(1)));
            }
        }
    }
    for _ in 0..32 {
        let c = tcp(v6);
        let ev = Event::new_manual(false);
        c.event_select(&ev, Fd::CONNECT).unwrap();
        assert_eq!(code(c.connect(addr)), wsaevents::error::WSAEWOULDBLOCK);
        if ev.wait(Some(SHORT)) == WaitOutcome::TimedOut {
            return (l, done, c, ev);
        }
        let rec = c.enum_network_events(Some(&ev)).unwrap();
        assert_eq!(rec.events(), Fd::CONNECT);
        assert_eq!(rec.error_code[wsaevents::FD_CONNECT_BIT], 0);
        done.push(c);
    }
    panic!("the accept queue never filled");
}

/// Linux: how many connections wait in the accept queue of the listener bound to `addr`
/// (the `rx_queue` column of its `LISTEN` line in `/proc/net/tcp` or `/proc/net/tcp6`:
/// `sk_ack_backlog`), `None` if no such listener is there.
#[cfg(target_os = "linux")]
pub fn accept_queue_len(addr: SocketAddr) -> Option<usize> {
    // The kernel prints each 32-bit word of the address as a native-endian hex number.
    let local = match addr.ip() {
        std::net::IpAddr::V4(ip) => format!("{:08X}", u32::from_ne_bytes(ip.octets())),
        std::net::IpAddr::V6(ip) => ip
            .octets()
            .chunks(4)
            .map(|w| format!("{:08X}", u32::from_ne_bytes([w[0], w[1], w[2], w[3]])))
            .collect(),
    };
    let local = format!("{local}:{:04X}", addr.port());
    let table = std::fs::read_to_string(if addr.is_ipv6() {
        "/proc/net/tcp6"
    } else {
        "/proc/net/tcp"
    })
    .ok()?;
    table.lines().skip(1).find_map(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        // sl local_address rem_address st tx_queue:rx_queue ...; st 0A is LISTEN.
        if f.len() < 5 || f[1] != local || f[3] != "0A" {
            return None;
        }
        usize::from_str_radix(f[4].split_once(':')?.1, 16).ok()
    })
}

/// The Wine version when the tests run under Wine (ntdll exports `wine_get_version`;
/// Windows' does not), `None` on Windows and elsewhere.
pub fn wine_version() -> Option<String> {
    // The simulated network is neither Wine nor the Windows backend: Windows' values.
    if wsaevents::sim::is_simulated() {
        return None;
    }
    #[cfg(windows)]
    {
        use std::ffi::{CStr, c_char, c_void};
        type GetVersion = unsafe extern "C" fn() -> *const c_char;
        #[link(name = "kernel32")]
        unsafe extern "system" {
            fn GetModuleHandleA(name: *const c_char) -> *mut c_void;
            fn GetProcAddress(module: *mut c_void, name: *const c_char) -> Option<GetVersion>;
        }
        // SAFETY: both names are NUL-terminated; ntdll is loaded in every process and
        // stays loaded; `wine_get_version` takes nothing and returns a static C string.
        unsafe {
            let ntdll = GetModuleHandleA(c"ntdll.dll".as_ptr());
            if ntdll.is_null() {
                return None;
            }
            let f = GetProcAddress(ntdll, c"wine_get_version".as_ptr())?;
            Some(CStr::from_ptr(f()).to_string_lossy().into_owned())
        }
    }
    #[cfg(not(windows))]
    None
}

/// A value where Wine is known to differ from Windows (`../shared/wine/README.md`):
/// `windows` everywhere but under Wine, where it is `wine`, and a visible
/// `WINE DEVIATION:` line says so (written straight to stderr, past the test harness's
/// capture, so that every deviation shows in the output of a passing run).
#[track_caller]
pub fn windows_or_wine<T: std::fmt::Debug>(windows: T, wine: T, what: &str) -> T {
    match wine_version() {
        None => windows,
        Some(v) => {
            use std::io::Write;
            let at = std::panic::Location::caller();
            let _ = writeln!(
                std::io::stderr(),
                "WINE DEVIATION: {what} (Windows: {windows:?}; Wine {v}: {wine:?}) at {at}"
            );
            wine
        }
    }
}

/// Whether the tests run under Wine, where the behaviour `what` is known to differ from
/// Windows: if so, prints a `WINE DEVIATION:` line (as [`windows_or_wine`] does) and the
/// caller checks Wine's behaviour instead of Windows'.
#[track_caller]
pub fn wine_differs(what: &str) -> bool {
    let Some(v) = wine_version() else {
        return false;
    };
    use std::io::Write;
    let at = std::panic::Location::caller();
    let _ = writeln!(
        std::io::stderr(),
        "WINE DEVIATION: {what} (Wine {v}) at {at}"
    );
    true
}

/// Under Wine, `FIONREAD` is Linux's, which stops at the urgent mark (the byte pending, or
/// read and the mark still at the read pointer): data behind it is not counted, so the
/// Windows backend (which counts arrivals with `FIONREAD`, as Windows' counts the normal
/// data) records no `FD_READ` for it.
pub const FIONREAD_AT_MARK: &str = "FIONREAD stops at the urgent mark (Linux's SIOCINQ), so data arriving behind an urgent byte records no FD_READ";

/// The Windows backend's gap for unread data (docs/semantics.md, "Windows backend").
pub const BUSY_POLL_GAP: &str = "data waiting unread after its FD_READ was enumerated is reported again and again (AFD is level-triggered and the backend re-arms mio while FD_READ is not recorded): a busy poll until the recv";

/// The Windows backend's gap for urgent data (docs/semantics.md, "Windows backend").
pub const SECOND_URGENT_GAP: &str = "a second urgent byte arriving while the first is unread is not seen (FD_OOB is watched again only once no urgent data is pending)";

/// Whether the crate's Windows backend is known to miss the behaviour `what` (see
/// docs/semantics.md, "Windows backend"): on Windows (and so under Wine) prints a
/// `WINDOWS BACKEND GAP:` line and the caller checks what the backend does instead.
#[track_caller]
pub fn windows_backend_gap(what: &str) -> bool {
    if !cfg!(windows) || wsaevents::sim::is_simulated() {
        return false;
    }
    use std::io::Write;
    let at = std::panic::Location::caller();
    let _ = writeln!(std::io::stderr(), "WINDOWS BACKEND GAP: {what} at {at}");
    true
}

/// A call's outcome as `Ok(value)` or `Err(Winsock code)`, for comparing with either.
pub fn outcome<T>(r: wsaevents::Result<T>) -> Result<T, i32> {
    r.map_err(|e| e.code())
}

/// One test body, two networks: runs `body` on the OS backend (loopback), then again on a
/// simulated network (`wsaevents::sim`), whose host has the loopback addresses too. A
/// failure on the simulated network prints its seed and trace.
pub fn both(body: impl Fn()) {
    body();
    on_sim(1, &body);
}

/// Runs `body` on a host of a fresh simulated network built from `seed`; on failure prints
/// the seed and the trace, then fails.
pub fn on_sim<R>(seed: u64, body: impl FnOnce() -> R) -> R {
    let net = wsaevents::sim::Network::new(seed);
    let host = net.host(
        "test",
        &["10.0.0.1".parse().unwrap(), "fd00::1".parse().unwrap()],
    );
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| host.enter(body))) {
        Ok(r) => {
            assert!(
                net.trace().contains(" socket "),
                "the body made no simulated socket"
            );
            r
        }
        Err(e) => {
            eprintln!(
                "simulated network, seed {seed}: failed; trace:\n{}",
                net.trace()
            );
            std::panic::resume_unwind(e)
        }
    }
}

/// Two hosts of a fresh simulated network built from `seed`: `a` (10.0.0.1) and `b`
/// (10.0.0.2), `latency` apart, no jitter.
pub fn sim_two_hosts(
    seed: u64,
    latency: Duration,
) -> (
    wsaevents::sim::Network,
    wsaevents::sim::Host,
    wsaevents::sim::Host,
) {
    let net = wsaevents::sim::Network::new(seed);
    let a = net.host("a", &["10.0.0.1".parse().unwrap()]);
    let b = net.host("b", &["10.0.0.2".parse().unwrap()]);
    net.set_latency(&a, &b, latency, Duration::ZERO);
    (net, a, b)
}

/// A listener on host `b` of [`sim_two_hosts`], at 10.0.0.2:80, backlog 4.
pub fn sim_listener(b: &wsaevents::sim::Host) -> Socket {
    b.enter(|| {
        let l = Socket::tcp_v4().unwrap();
        l.bind("10.0.0.2:80".parse().unwrap()).unwrap();
        l.listen(4).unwrap();
        l
    })
}

/// A connected pair across the link of [`sim_two_hosts`]: (client on `a`, server on `b`,
/// port 80), blocking connect and accept in virtual time.
pub fn sim_pair_across(a: &wsaevents::sim::Host, b: &wsaevents::sim::Host) -> (Socket, Socket) {
    let l = sim_listener(b);
    let c = a.enter(|| {
        let c = Socket::tcp_v4().unwrap();
        c.connect("10.0.0.2:80".parse().unwrap()).unwrap();
        c
    });
    let (s, _) = b.enter(|| l.accept().unwrap());
    (c, s)
}

/// Runs `f`; on failure prints the seed and the trace of `net`, then fails.
pub fn traced<R>(net: &wsaevents::sim::Network, f: impl FnOnce() -> R) -> R {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("seed {}; trace:\n{}", net.seed(), net.trace());
            std::panic::resume_unwind(e)
        }
    }
}
