//! The simulated backend: a deterministic network of hosts, in virtual time, behind the
//! same seam as the OS backend (`sys/mod.rs`). It reports facts as the OS backend does
//! (levels, counts, errors, readiness edges in epoll's edge-triggered manner); every
//! Winsock rule stays in `socket/`, written once.
//!
//! One [`Net`] is one network: its hosts, its sockets, a scheduler of timed items (segment
//! arrivals, retransmissions, timeouts) ordered by (virtual time, sequence number), a
//! seeded RNG, its faults and its trace. All of it sits behind one lock. A socket call
//! changes the state and queues readiness for the sockets it affected; readiness is handed
//! to the sockets' records (through the reactor's slab, as OS readiness is) only by a
//! *harvest*, outside the lock, which waits and the calls that observe network state run.
//! Time moves only when a wait would block ([`Net::advance`]).
//!
//! The model (docs/simulation.md has the user's view):
//! - TCP: handshake with Windows' SYN schedule (3 s initial RTO, 2 retransmissions: a
//!   silent host fails `WSAETIMEDOUT` after 21 s; a refusing one is retried twice, 0.5 s
//!   then 1 s apart, before `WSAECONNREFUSED`), an in-order byte stream per direction with
//!   the peer's receive window, send buffers, FIN, RST, urgent bytes kept out of band one
//!   by one (several, as Windows keeps them), data retransmission (RTO 300 ms doubling,
//!   5 retransmissions, then the connection is aborted with `WSAECONNABORTED`),
//!   keep-alive (10 unanswered probes abort). A link without latency, loss or hold
//!   (loopback) moves data straight into the peer's buffer.
//! - UDP: datagrams; one to a port nobody has bound gives the sender an ICMP
//!   port-unreachable, the next receive fails (`WSAECONNRESET` once mapped by the socket
//!   layer).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use super::{Readiness, RecvFlags};
use crate::error::*;
use crate::sync::Mutex;

pub(crate) mod dispatch;
mod inherit;
// For the C ABI's resolver (built where `capi` is: not on Windows, not under loom).
#[cfg(all(not(loom), not(windows)))]
mod names;
#[cfg(all(not(loom), not(windows)))]
pub(crate) use names::{lookup_addr, lookup_name};
mod socket;
pub(crate) use socket::SimSocket;

// ------------------------------------------------------------------------------------------
// Windows' timings (see the module documentation and docs/simulation.md)

const MS: u64 = 1_000_000;
const SEC: u64 = 1_000 * MS;
/// Initial SYN retransmission timeout (Microsoft KB 2786464: 3 s, doubled per retry).
const SYN_RTO: u64 = 3 * SEC;
/// `MaxSynRetransmissions`: 2 (KB 2786464), so a silent host times out after 3+6+12 s.
const SYN_RETRIES: u32 = 2;
/// A SYN answered by a RST is sent again twice, 0.5 s then 1 s later (rule 33: a refused
/// connect takes seconds on Windows, immediate on Linux).
const RST_RETRY: u64 = 500 * MS;
/// Minimum data retransmission timeout (Windows' `MinRto`, 300 ms), doubled per retry.
const DATA_RTO: u64 = 300 * MS;
/// `TcpMaxDataRetransmissions`: 5.
const DATA_RETRIES: u32 = 5;
/// Keep-alive defaults (`KeepAliveTime` 2 h, `KeepAliveInterval` 1 s) and Windows' fixed
/// probe count, 10 (Microsoft: "TCP/IP registry values", `SIO_KEEPALIVE_VALS`).
pub(crate) const KEEPALIVE_TIME: u64 = 7200 * SEC;
pub(crate) const KEEPALIVE_INTERVAL: u64 = SEC;
const KEEPALIVE_PROBES: u32 = 10;
/// Windows' default `SO_RCVBUF` / `SO_SNDBUF`: 64 KiB.
const DEFAULT_BUF: usize = 64 * 1024;
/// One segment's payload at most (an Ethernet MSS).
const MSS: usize = 1460;
/// Windows' dynamic port range starts here.
const EPHEMERAL: u16 = 49152;

// ------------------------------------------------------------------------------------------
// The registry of networks, and the thread's current one

static NEXT_NET: AtomicU32 = AtomicU32::new(1);
/// Set when the first network is built: until then (and in a process that never builds
/// one) the OS path skips every simulated-network check with one load.
static IN_USE: AtomicBool = AtomicBool::new(false);

/// Whether any simulated network was ever built in this process.
#[inline]
pub(crate) fn in_use() -> bool {
    IN_USE.load(Ordering::Relaxed)
}
static NETS: parking_lot::Mutex<Vec<(u32, Weak<Net>)>> = parking_lot::Mutex::new(Vec::new());

thread_local! {
    static CURRENT: std::cell::RefCell<Option<(Arc<Net>, usize)>> =
        const { std::cell::RefCell::new(None) };
}

/// The process-wide switch (the C API's `wsaevents_sim_start`): the network and host of
/// every thread that has not entered one itself.
static PROCESS: parking_lot::Mutex<Option<(Arc<Net>, usize)>> = parking_lot::Mutex::new(None);

/// Switches the whole process to `net`, on `host` (`None`: back to the OS).
pub(crate) fn set_process(to: Option<(Arc<Net>, usize)>) {
    *PROCESS.lock() = to;
}

/// The network with this id, if it is still alive.
pub(crate) fn net_by_id(id: u32) -> Option<Arc<Net>> {
    let here = CURRENT
        .try_with(|c| {
            c.borrow()
                .as_ref()
                .filter(|(n, _)| n.id == id)
                .map(|(n, _)| Arc::clone(n))
        })
        .ok()
        .flatten();
    if here.is_some() {
        return here;
    }
    let mut nets = NETS.lock();
    nets.retain(|(_, w)| w.strong_count() > 0);
    nets.iter()
        .find(|(i, _)| *i == id)
        .and_then(|(_, w)| w.upgrade())
}

/// Runs `f` with network `id` if it is the one this thread is inside, borrowed from the
/// thread's slot (no reference-count traffic; `f` must not enter another network).
pub(crate) fn with_current_net<R>(id: u32, f: impl FnOnce(&Net) -> R) -> Option<R> {
    CURRENT
        .try_with(|c| {
            let b = c.try_borrow().ok()?;
            let (n, _) = b.as_ref().filter(|(n, _)| n.id == id)?;
            Some(f(n))
        })
        .ok()
        .flatten()
}

/// The network and host this thread is inside (`sim::Host::enter`), if any.
pub(crate) fn current() -> Option<(Arc<Net>, usize)> {
    if !in_use() {
        return None;
    }
    CURRENT
        .try_with(|c| c.borrow().clone())
        .ok()
        .flatten()
        .or_else(|| PROCESS.lock().clone())
}

/// The id of the network this thread is inside, or 0.
pub(crate) fn current_id() -> u32 {
    if !in_use() {
        return 0;
    }
    let here = CURRENT
        .try_with(|c| c.borrow().as_ref().map(|(n, _)| n.id))
        .ok()
        .flatten();
    here.or_else(|| PROCESS.lock().as_ref().map(|(n, _)| n.id))
        .unwrap_or(0)
}

/// Sets the calling thread's network and host for good (the C API's
/// `wsaevents_sim_enter`), or clears it (`None`).
pub(crate) fn set_current(to: Option<(Arc<Net>, usize)>) {
    let _ = CURRENT.try_with(|c| *c.borrow_mut() = to);
}

/// Runs `f` inside `host` of `net`: sockets and events it creates belong to that network.
pub(crate) fn enter<R>(net: &Arc<Net>, host: usize, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<(Arc<Net>, usize)>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let old = self.0.take();
            let _ = CURRENT.try_with(|c| *c.borrow_mut() = old);
        }
    }
    let old = CURRENT.with(|c| c.borrow_mut().replace((Arc::clone(net), host)));
    let _restore = Restore(old);
    f()
}

/// Runs every due item of the thread's current network and hands out its readiness.
#[inline(never)]
pub(crate) fn harvest_current() {
    if let Some((n, _)) = current() {
        n.harvest();
    }
}

// ------------------------------------------------------------------------------------------
// The RNG: splitmix64, seeded

#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, n)` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True with probability `p` (in millionths).
    fn chance(&mut self, ppm: u32) -> bool {
        ppm > 0 && self.below(1_000_000) < u64::from(ppm)
    }
}

// ------------------------------------------------------------------------------------------
// The network's state

/// One simulated network.
pub(crate) struct Net {
    pub(crate) id: u32,
    epoch: Instant,
    /// Mirrors `NetState::trace_on`, readable without the lock.
    tracing: AtomicBool,
    /// Set when a socket is notified (`NetState::notify`), cleared when the readiness is
    /// taken: a harvest with nothing notified needs no lock.
    pending: Arc<AtomicBool>,
    /// Mirrors `NetState::now` (written under the lock, by [`Net::advance`] only), so that
    /// reading the clock takes no lock.
    clock: AtomicU64,
    /// Counts the lock's acquisitions (bumped under the lock by [`Net::lock`], the only way
    /// in): while it is unchanged, nobody has touched the state, so a fact read from it
    /// then still holds (see [`Snapshot`]).
    sessions: AtomicU64,
    st: Mutex<NetState>,
}

/// A fact handed out with a readiness (the receive queue's length when the harvest took
/// it), so that the socket layer's count at that readiness (`bytes_available`) needs no
/// second trip through the network's lock. Valid while the network's lock session count
/// is the one it was taken in: then no call, no timer and no other thread changed the
/// state since (a call that did took the lock and moved the count on).
#[derive(Clone, Copy)]
struct Snapshot {
    net: u32,
    sock: usize,
    session: u64,
    avail: usize,
}

thread_local! {
    static SNAPSHOT: std::cell::Cell<Option<Snapshot>> = const { std::cell::Cell::new(None) };
}

/// What a host is.
struct HostSt {
    name: String,
    addrs: Vec<IpAddr>,
    /// Answers nothing: SYNs and datagrams to it are dropped (a connect times out).
    silent: bool,
    /// Its interface is down: no route out (connect `WSAENETUNREACH`), nothing in or out.
    iface_down: bool,
    /// Its network subsystem failed: calls fail `WSAENETDOWN`, connections abort with it.
    net_down: bool,
    next_port: u16,
}

/// A link's properties (between two hosts, either direction; a host to itself is
/// loopback: no latency, no loss, unless set).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Link {
    pub latency: u64,
    pub jitter: u64,
    /// Loss probability in millionths.
    pub loss_ppm: u32,
    pub partitioned: bool,
    pub held: bool,
}

/// A scripted fault on one connection's stream from the endpoint bound to `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StreamFault {
    /// The network resets the connection (both ends) when this many bytes have passed.
    ResetAt(u64),
    /// The network ends the stream with a FIN after this many bytes (the rest is dropped).
    FinAt(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tcp {
    Fresh,
    Listening,
    Connecting,
    Established,
}

/// A segment travelling on a stream, in order.
#[derive(Debug, Clone)]
enum Seg {
    Data(Vec<u8>),
    Urgent(Vec<u8>),
    Fin,
}

struct Flight {
    at: u64,
    seg: Seg,
    tries: u32,
}

#[derive(Default)]
struct SimOpts {
    linger: Option<Duration>,
    nodelay: bool,
    keepalive: bool,
    broadcast: bool,
    ttl: u32,
    only_v6: bool,
    oob_inline: bool,
    reuse: bool,
}

/// One simulated socket.
pub(crate) struct Sock {
    host: usize,
    v6: bool,
    stream: bool,
    /// The reactor token while registered, and whether writability is watched.
    token: Option<usize>,
    write_interest: bool,
    /// Wake-up causes queued for the next harvest (0: not queued).
    pending: u8,
    local: Option<SocketAddr>,
    remote: Option<SocketAddr>,
    tcp: Tcp,
    /// Bumped per connect attempt: stale timers of an earlier attempt do nothing.
    attempt_gen: u32,
    backlog: VecDeque<usize>,
    backlog_cap: usize,
    /// A connection queued on a listener: the SYN (socket, attempt) it answers.
    syn_from: Option<(usize, u32)>,
    peer: Option<usize>,
    recv: VecDeque<u8>,
    urgent: VecDeque<u8>,
    /// Urgent bytes received so far (out of band).
    urgent_rcvd: u64,
    fin_rcvd: bool,
    rst_rcvd: bool,
    /// The connection was aborted with this error (retransmission timeout, net down).
    abort: Option<i32>,
    /// `SO_ERROR`, read once (as Unix reads it; the socket layer keeps Windows' rules).
    error: Option<i32>,
    /// Bytes accepted by `send`, not yet on the wire.
    unsent: VecDeque<u8>,
    unsent_urgent: VecDeque<(usize, u8)>,
    /// Bytes on the wire, not yet acknowledged (they count against `SO_SNDBUF`).
    inflight: usize,
    fin_queued: bool,
    fin_sent: bool,
    outq: VecDeque<Flight>,
    out_armed: bool,
    /// Keep-alive (time, interval) in ns when on, its timer's generation, and when the
    /// peer was last heard from.
    keepalive: Option<(u64, u64)>,
    ka_gen: u32,
    last_heard: u64,
    /// Bytes of this endpoint's stream the network has carried (for [`StreamFault`]).
    carried: u64,
    /// A scripted fault ended this endpoint's stream: nothing more of it is carried.
    cut: bool,
    /// Bytes received in sequence space (data, urgent, 1 for the FIN).
    rx_bytes: u64,
    rcvbuf: usize,
    sndbuf: usize,
    opts: SimOpts,
    /// The application closed it; it lives on only to finish sending.
    orphan: bool,
    dgrams: VecDeque<(Vec<u8>, SocketAddr)>,
    /// An ICMP port-unreachable arrived: the next receive fails with it (as Linux's
    /// `sk_err`: an error readiness, no data readiness; rule 46).
    icmp_error: bool,
    dgram_bytes: usize,
}

impl Sock {
    fn new(host: usize, v6: bool, stream: bool) -> Sock {
        Sock {
            host,
            v6,
            stream,
            token: None,
            write_interest: false,
            pending: 0,
            local: None,
            remote: None,
            tcp: Tcp::Fresh,
            attempt_gen: 0,
            backlog: VecDeque::new(),
            backlog_cap: 0,
            syn_from: None,
            peer: None,
            recv: VecDeque::new(),
            urgent: VecDeque::new(),
            urgent_rcvd: 0,
            fin_rcvd: false,
            rst_rcvd: false,
            abort: None,
            error: None,
            unsent: VecDeque::new(),
            unsent_urgent: VecDeque::new(),
            inflight: 0,
            fin_queued: false,
            fin_sent: false,
            outq: VecDeque::new(),
            out_armed: false,
            keepalive: None,
            ka_gen: 0,
            last_heard: 0,
            carried: 0,
            cut: false,
            rx_bytes: 0,
            rcvbuf: DEFAULT_BUF,
            sndbuf: DEFAULT_BUF,
            opts: SimOpts {
                ttl: 128,
                only_v6: v6,
                ..SimOpts::default()
            },
            orphan: false,
            dgrams: VecDeque::new(),
            icmp_error: false,
            dgram_bytes: 0,
        }
    }

    /// Writable (the poller's level, hence `FD_WRITE` after a `WSAEWOULDBLOCK`): at most
    /// half the send buffer in use, the low-water mark of Linux's `sk_stream_wspace` test,
    /// so that acknowledgements trickling in while the peer's window stays full do not
    /// announce room (docs/simulation.md).
    fn send_writable(&self) -> bool {
        self.unsent.len() + self.inflight <= self.sndbuf / 2
    }

    /// Room in the send buffer: a send is taken whole while there is any (rule 32).
    fn send_room(&self) -> usize {
        self.sndbuf
            .saturating_sub(self.unsent.len() + self.inflight)
    }

    fn broken(&self) -> bool {
        self.rst_rcvd || self.abort.is_some()
    }

    /// What one receive can return (FIONREAD).
    fn avail(&self) -> usize {
        if self.stream {
            self.recv.len()
        } else {
            self.dgrams.front().map_or(0, |(d, _)| d.len())
        }
    }
}

/// One readiness of a harvest: the reactor token, what epoll would report, and the
/// socket's queue length then (see [`Snapshot`]).
struct Ready {
    token: usize,
    r: Readiness,
    sock: usize,
    avail: usize,
}

/// A timed item.
#[derive(Debug, Clone)]
enum Item {
    /// The head of `sock`'s outgoing stream reaches the peer (or is lost).
    Head(usize),
    /// A SYN (attempt `gen`, try `n`) reaches its destination.
    SynArrive {
        sock: usize,
        generation: u32,
        n: u32,
    },
    /// No answer to try `n` of a SYN: retransmit or give up.
    SynTimeout {
        sock: usize,
        generation: u32,
        n: u32,
    },
    /// The answer to a SYN reaches the connecting socket.
    SynAnswer {
        sock: usize,
        generation: u32,
        n: u32,
        answer: Answer,
    },
    /// A RST reaches `sock`.
    Rst(usize),
    /// Keep-alive timer `generation` of `sock`: `probe` unanswered probes so far.
    KeepAlive {
        sock: usize,
        generation: u32,
        probe: u32,
    },
    /// A datagram (or an ICMP port-unreachable for `to`) arrives.
    Dgram {
        to: usize,
        from: SocketAddr,
        data: Option<Vec<u8>>,
    },
}

#[derive(Debug, Clone, Copy)]
enum Answer {
    SynAck(usize),
    Rst,
    HostUnreach,
}

/// Why a socket is notified: which of epoll's wake-up keys (a wake-up whose key is not in
/// the registration's interest is not reported, as in `ep_poll_callback`).
const CAUSE_IN: u8 = 1;
const CAUSE_OUT: u8 = 2;
const CAUSE_ERR: u8 = 4;

pub(crate) struct NetState {
    now: u64,
    seq: u64,
    seed: u64,
    rng: Rng,
    hosts: Vec<HostSt>,
    socks: Vec<Option<Sock>>,
    timers: BTreeMap<(u64, u64), Item>,
    /// Notified sockets, in notification order (each once: see `Sock::pending`).
    pending: Vec<usize>,
    /// `Net::pending`.
    pending_flag: Arc<AtomicBool>,
    links: BTreeMap<(usize, usize), Link>,
    default_link: Link,
    /// Addresses a router answers for with ICMP host-unreachable.
    unreachable: BTreeSet<IpAddr>,
    faults: BTreeMap<(SocketAddr, SocketAddr), StreamFault>,
    /// Datagrams held on a held link, by link.
    held_dgrams: Vec<((usize, usize), Item)>,
    trace: String,
    trace_on: bool,
    live_socks: usize,
}

impl Net {
    pub(crate) fn new(seed: u64) -> Arc<Net> {
        IN_USE.store(true, Ordering::Relaxed);
        let id = NEXT_NET.fetch_add(1, Ordering::Relaxed);
        let pending = Arc::new(AtomicBool::new(false));
        let net = Arc::new(Net {
            id,
            epoch: Instant::now(),
            tracing: AtomicBool::new(true),
            pending: Arc::clone(&pending),
            clock: AtomicU64::new(0),
            sessions: AtomicU64::new(0),
            st: Mutex::new(NetState {
                now: 0,
                seq: 0,
                seed,
                rng: Rng(seed),
                hosts: Vec::new(),
                socks: Vec::new(),
                timers: BTreeMap::new(),
                pending: Vec::new(),
                pending_flag: pending,
                links: BTreeMap::new(),
                default_link: Link {
                    latency: MS / 2,
                    ..Link::default()
                },
                unreachable: BTreeSet::new(),
                faults: BTreeMap::new(),
                held_dgrams: Vec::new(),
                trace: String::new(),
                trace_on: true,
                live_socks: 0,
            }),
        });
        NETS.lock().push((id, Arc::downgrade(&net)));
        net
    }

    /// The state, locked (every access goes through here: see `sessions`).
    pub(crate) fn lock(&self) -> crate::sync::MutexGuard<'_, NetState> {
        let g = self.st.lock();
        // Under the lock: a plain increment, no read-modify-write.
        let n = self.sessions.load(Ordering::Relaxed);
        self.sessions.store(n.wrapping_add(1), Ordering::Release);
        g
    }

    /// The snapshot's queue length for socket `sock`, if one was handed out with a
    /// readiness and nothing changed since.
    fn snapshot_avail(&self, sock: usize) -> Option<usize> {
        let snap = SNAPSHOT.try_with(|c| c.get()).ok().flatten()?;
        (snap.net == self.id
            && snap.sock == sock
            && snap.session == self.sessions.load(Ordering::Acquire))
        .then_some(snap.avail)
    }

    /// [`harvest`](Self::harvest) for calls that observe state between waits: the clock
    /// has not moved since the last call ran what was due, so only notified readiness can
    /// be waiting.
    pub(crate) fn harvest_ready(&self) {
        if self.pending.load(Ordering::Acquire) {
            self.harvest();
        }
    }

    pub(crate) fn tracing(&self) -> bool {
        self.tracing.load(Ordering::Relaxed)
    }

    pub(crate) fn set_tracing(&self, on: bool) {
        self.lock().trace_on = on;
        self.tracing.store(on, Ordering::Relaxed);
    }

    /// Virtual now, as an `Instant` (the network's creation plus virtual time), so that
    /// deadlines computed with `Instant` arithmetic follow the virtual clock.
    pub(crate) fn instant(&self) -> Instant {
        self.epoch + Duration::from_nanos(self.now_ns())
    }

    pub(crate) fn now_ns(&self) -> u64 {
        self.clock.load(Ordering::Acquire)
    }

    /// Runs the items due now and hands the readiness they caused to the sockets'
    /// records (outside the lock: the records' handlers call back into the network).
    pub(crate) fn harvest(&self) {
        thread_local! {
            static BATCH: std::cell::Cell<Vec<Ready>> =
                const { std::cell::Cell::new(Vec::new()) };
        }
        let mut batch = BATCH.try_with(|b| b.take()).unwrap_or_default();
        let mut first = true;
        loop {
            // After the first round only readiness can be left (every call runs what is
            // due itself): with nothing notified there is nothing to take.
            if !first && !self.pending.load(Ordering::Acquire) {
                break;
            }
            first = false;
            batch.clear();
            let session = {
                let mut st = self.lock();
                st.run_due();
                st.take_ready(&mut batch);
                self.sessions.load(Ordering::Relaxed)
            };
            if batch.is_empty() {
                break;
            }
            for r in &batch {
                let snap = Snapshot {
                    net: self.id,
                    sock: r.sock,
                    session,
                    avail: r.avail,
                };
                let _ = SNAPSHOT.try_with(|c| c.set(Some(snap)));
                crate::reactor::dispatch_sim(r.token, r.r);
            }
        }
        let _ = BATCH.try_with(|b| b.set(batch));
    }

    /// Moves the clock to the next scheduled item, but not past `deadline`. Returns
    /// whether an item is now due (false: nothing is scheduled before the deadline; the
    /// clock is at the deadline if there is one).
    pub(crate) fn advance(&self, deadline: Option<u64>) -> bool {
        let mut st = self.lock();
        let next = st.timers.keys().next().map(|&(t, _)| t);
        let due = match (next, deadline) {
            (Some(t), Some(d)) if t > d => {
                st.now = st.now.max(d);
                false
            }
            (Some(t), _) => {
                st.now = st.now.max(t);
                true
            }
            (None, Some(d)) => {
                st.now = st.now.max(d);
                false
            }
            (None, None) => false,
        };
        self.clock.store(st.now, Ordering::Release);
        due
    }

    /// Lets virtual time pass, running everything scheduled meanwhile.
    pub(crate) fn run_for(&self, d: Duration) {
        let end = self.now_ns().saturating_add(d.as_nanos() as u64);
        loop {
            self.harvest();
            if !self.advance(Some(end)) {
                self.harvest();
                return;
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// Configuration and faults (used by `crate::sim`)

impl NetState {
    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }

    pub(crate) fn add_host(&mut self, name: &str, addrs: &[IpAddr]) -> usize {
        self.hosts.push(HostSt {
            name: name.to_string(),
            addrs: addrs.to_vec(),
            silent: false,
            iface_down: false,
            net_down: false,
            next_port: EPHEMERAL,
        });
        let h = self.hosts.len() - 1;
        self.event(format_args!("host {name} {addrs:?}"));
        h
    }

    pub(crate) fn host_name(&self, h: usize) -> &str {
        &self.hosts[h].name
    }

    pub(crate) fn host_addrs(&self, h: usize) -> &[IpAddr] {
        &self.hosts[h].addrs
    }

    fn link_key(a: usize, b: usize) -> (usize, usize) {
        (a.min(b), a.max(b))
    }

    pub(crate) fn link_mut(&mut self, a: usize, b: usize) -> &mut Link {
        let def = if a == b {
            Link::default()
        } else {
            self.default_link
        };
        self.links.entry(Self::link_key(a, b)).or_insert(def)
    }

    fn link(&self, a: usize, b: usize) -> Link {
        if self.links.is_empty() {
            return if a == b {
                Link::default()
            } else {
                self.default_link
            };
        }
        match self.links.get(&Self::link_key(a, b)) {
            Some(l) => *l,
            None if a == b => Link::default(),
            None => self.default_link,
        }
    }

    pub(crate) fn set_default_link(&mut self, l: Link) {
        self.default_link = l;
    }

    pub(crate) fn fault(&mut self, what: &str) {
        self.event(format_args!("fault {what}"));
    }

    pub(crate) fn set_silent(&mut self, h: usize, on: bool) {
        self.hosts[h].silent = on;
    }

    pub(crate) fn set_iface_down(&mut self, h: usize, down: bool) {
        self.hosts[h].iface_down = down;
    }

    /// The host's network subsystem fails: its connections abort with `WSAENETDOWN`.
    pub(crate) fn set_net_down(&mut self, h: usize) {
        self.hosts[h].net_down = true;
        for i in 0..self.socks.len() {
            if self.socks[i].as_ref().is_some_and(|s| s.host == h) {
                self.abort(i, WSAENETDOWN);
            }
        }
    }

    pub(crate) fn add_unreachable(&mut self, ip: IpAddr) {
        self.unreachable.insert(ip);
    }

    pub(crate) fn add_stream_fault(&mut self, from: SocketAddr, to: SocketAddr, f: StreamFault) {
        self.faults.insert((from, to), f);
    }

    /// Lets what a held link kept go on.
    pub(crate) fn release(&mut self, a: usize, b: usize) {
        let key = Self::link_key(a, b);
        self.link_mut(a, b).held = false;
        let now = self.now;
        for i in 0..self.socks.len() {
            let Some(s) = self.socks[i].as_ref() else {
                continue;
            };
            let Some(p) = s.peer.and_then(|p| self.socks.get(p)?.as_ref()) else {
                continue;
            };
            if Self::link_key(s.host, p.host) == key && !s.outq.is_empty() && !s.out_armed {
                self.socks[i].as_mut().expect("live").out_armed = true;
                self.schedule(now, Item::Head(i));
            }
        }
        let held = std::mem::take(&mut self.held_dgrams);
        for (k, item) in held {
            if k == key {
                self.schedule(now, item);
            } else {
                self.held_dgrams.push((k, item));
            }
        }
    }

    pub(crate) fn trace_text(&self) -> String {
        self.trace.clone()
    }

    pub(crate) fn live_sockets(&self) -> usize {
        self.live_socks
    }

    /// One line of the trace, at the virtual time.
    pub(crate) fn event(&mut self, what: std::fmt::Arguments<'_>) {
        if !self.trace_on {
            return;
        }
        let (s, ns) = (self.now / SEC, self.now % SEC);
        let _ = writeln!(self.trace, "{s:>4}.{ns:09} {what}");
    }

    fn sock_name(&self, i: usize) -> String {
        if !self.trace_on {
            return String::new();
        }
        match self.socks.get(i).and_then(|s| s.as_ref()) {
            Some(s) => match s.local {
                Some(a) => format!("{}#{i}({a})", self.hosts[s.host].name),
                None => format!("{}#{i}", self.hosts[s.host].name),
            },
            None => format!("#{i}"),
        }
    }
}

// ------------------------------------------------------------------------------------------
// The scheduler

impl NetState {
    fn schedule(&mut self, at: u64, item: Item) {
        if at <= self.now {
            // Due now: a harvest between waits must run it (see `Net::harvest_ready`).
            self.pending_flag.store(true, Ordering::Release);
        }
        self.seq += 1;
        self.timers.insert((at.max(self.now), self.seq), item);
    }

    /// Runs every item due at the current time (including those they schedule for now).
    #[inline]
    fn run_due(&mut self) {
        if self
            .timers
            .first_key_value()
            .is_none_or(|(&(t, _), _)| t > self.now)
        {
            return;
        }
        while let Some(entry) = self.timers.first_entry() {
            if entry.key().0 > self.now {
                break;
            }
            let item = entry.remove();
            self.apply(item);
        }
    }

    fn notify(&mut self, sock: usize, cause: u8) {
        if let Some(s) = self.socks.get_mut(sock).and_then(|s| s.as_mut()) {
            if s.pending == 0 {
                self.pending.push(sock);
                self.pending_flag.store(true, Ordering::Release);
            }
            s.pending |= cause;
        }
    }

    /// The readiness of every notified, registered socket, filtered by its interest as
    /// epoll filters wake-ups.
    /// Called after `run_due`: nothing is due, so the flag tells only of readiness.
    fn take_ready(&mut self, out: &mut Vec<Ready>) {
        self.pending_flag.store(false, Ordering::Release);
        let mut pending = std::mem::take(&mut self.pending);
        for &i in &pending {
            let Some(s) = self.socks.get_mut(i).and_then(|s| s.as_mut()) else {
                continue;
            };
            let cause = std::mem::take(&mut s.pending);
            let s = self.socks[i].as_ref().expect("live");
            let Some(token) = s.token else { continue };
            let interest = CAUSE_IN | CAUSE_ERR | if s.write_interest { CAUSE_OUT } else { 0 };
            if cause & interest == 0 {
                continue;
            }
            let mut r = self.levels(i);
            r.writable &= s.write_interest;
            out.push(Ready {
                token,
                r,
                sock: i,
                avail: s.avail(),
            });
        }
        // Keep the buffer (no allocation per harvest).
        pending.clear();
        if self.pending.is_empty() {
            self.pending = pending;
        }
    }

    /// What epoll would report for socket `i` now.
    fn levels(&self, i: usize) -> Readiness {
        let Some(s) = self.socks.get(i).and_then(|s| s.as_ref()) else {
            return Readiness::default();
        };
        if !s.stream {
            return Readiness {
                readable: !s.dgrams.is_empty(),
                writable: true,
                error: s.icmp_error,
                ..Readiness::default()
            };
        }
        match s.tcp {
            Tcp::Listening => Readiness {
                readable: !s.backlog.is_empty(),
                ..Readiness::default()
            },
            Tcp::Fresh | Tcp::Connecting => Readiness {
                error: s.error.is_some(),
                read_closed: s.error.is_some(),
                writable: s.error.is_some(),
                ..Readiness::default()
            },
            Tcp::Established => {
                let broken = s.broken();
                let closed = broken || s.fin_rcvd;
                Readiness {
                    readable: !s.recv.is_empty() || !s.urgent.is_empty() || closed,
                    writable: broken || (s.tcp == Tcp::Established && s.send_writable()),
                    error: broken,
                    read_closed: closed,
                    priority: !s.urgent.is_empty(),
                }
            }
        }
    }

    fn apply(&mut self, item: Item) {
        match item {
            Item::Head(i) => self.head_arrives(i),
            Item::SynArrive {
                sock,
                generation,
                n,
            } => self.syn_arrives(sock, generation, n),
            Item::SynTimeout {
                sock,
                generation,
                n,
            } => self.syn_timeout(sock, generation, n),
            Item::SynAnswer {
                sock,
                generation,
                n,
                answer,
            } => self.syn_answer(sock, generation, n, answer),
            Item::Rst(i) => self.rst_arrives(i),
            Item::KeepAlive {
                sock,
                generation,
                probe,
            } => self.keepalive_fires(sock, generation, probe),
            Item::Dgram { to, from, data } => self.dgram_arrives(to, from, data),
        }
    }

    /// The one-way delay of one packet from host `a` to host `b`, or `None` if it is lost
    /// (partition, interface down, silent host, random loss). `Err(())`: the link holds it.
    fn transit(&mut self, a: usize, b: usize) -> std::result::Result<Option<u64>, ()> {
        let l = self.link(a, b);
        if l.held {
            return Err(());
        }
        if l.partitioned || self.hosts[a].iface_down || self.hosts[b].iface_down {
            return Ok(None);
        }
        let lost = self.rng.chance(l.loss_ppm);
        if lost {
            return Ok(None);
        }
        let j = if l.jitter > 0 {
            self.rng.below(l.jitter + 1)
        } else {
            0
        };
        Ok(Some(l.latency + j))
    }

    fn sock(&mut self, i: usize) -> Option<&mut Sock> {
        self.socks.get_mut(i).and_then(|s| s.as_mut())
    }

    /// Frees a socket that the application closed and that has nothing left to do.
    fn reap(&mut self, i: usize) {
        let done = self.socks.get(i).and_then(|s| s.as_ref()).is_some_and(|s| {
            s.orphan && (s.tcp != Tcp::Established || (s.outq.is_empty() && s.fin_sent))
        });
        if done {
            self.socks[i] = None;
            self.live_socks -= 1;
        }
    }
}

// ------------------------------------------------------------------------------------------
// TCP: handshake

impl NetState {
    /// The host that has `ip`, seen from host `from` (loopback is `from` itself).
    fn host_of(&self, from: usize, ip: IpAddr) -> Option<usize> {
        if ip.is_loopback() {
            return Some(from);
        }
        self.hosts.iter().position(|h| h.addrs.contains(&ip))
    }

    /// Sends try `n` of attempt `generation`'s SYN.
    fn send_syn(&mut self, i: usize, generation: u32, n: u32) {
        let Some(s) = self.sock(i) else { return };
        let (host, remote) = (s.host, s.remote.expect("connecting"));
        let now = self.now;
        let name = self.sock_name(i);
        self.event(format_args!("{name} SYN#{n} -> {remote}"));
        let answer_timeout = Item::SynTimeout {
            sock: i,
            generation,
            n,
        };
        self.schedule(now + (SYN_RTO << n), answer_timeout);
        let routed = self
            .host_of(host, remote.ip())
            .filter(|_| !self.unreachable.contains(&remote.ip()));
        match routed {
            Some(dst) => {
                // Lost, or held (a held SYN is as good as lost: the timer resends it).
                if let Ok(Some(d)) = self.transit(host, dst) {
                    self.schedule(
                        now + d,
                        Item::SynArrive {
                            sock: i,
                            generation,
                            n,
                        },
                    );
                } else {
                    let name = self.sock_name(i);
                    self.event(format_args!("{name} SYN#{n} lost"));
                }
            }
            None => {
                // No host has it, or a router declares it unreachable: host-unreachable.
                let d = self.link(host, host).latency + self.default_link.latency;
                self.schedule(
                    now + d,
                    Item::SynAnswer {
                        sock: i,
                        generation,
                        n,
                        answer: Answer::HostUnreach,
                    },
                );
            }
        }
    }

    fn syn_arrives(&mut self, i: usize, generation: u32, n: u32) {
        let Some(s) = self.socks.get(i).and_then(|s| s.as_ref()) else {
            return;
        };
        if s.tcp != Tcp::Connecting || s.attempt_gen != generation {
            return;
        }
        let (host, v6, remote, local) = (s.host, s.v6, s.remote.expect("set"), s.local);
        let dst = self.host_of(host, remote.ip()).expect("routed");
        if self.hosts[dst].silent || self.hosts[dst].net_down {
            return;
        }
        // The listener: a socket of the destination host listening on that port and
        // address (or the wildcard).
        let listener = self.socks.iter().position(|x| {
            x.as_ref().is_some_and(|x| {
                x.host == dst
                    && x.stream
                    && x.tcp == Tcp::Listening
                    && !x.orphan
                    && x.v6 == v6
                    && x.local.is_some_and(|a| {
                        a.port() == remote.port()
                            && (a.ip() == remote.ip() || a.ip().is_unspecified())
                    })
            })
        });
        // A retransmitted SYN whose connection is already queued: answered again.
        let existing = self.socks.iter().position(|x| {
            x.as_ref()
                .is_some_and(|x| x.syn_from == Some((i, generation)))
        });
        let answer = match listener {
            _ if existing.is_some() => Answer::SynAck(existing.expect("checked")),
            Some(l)
                if self.socks[l].as_ref().expect("found").backlog.len()
                    < self.socks[l].as_ref().expect("found").backlog_cap =>
            {
                // The connection is queued on the listener, established on its side.
                let mut c = Sock::new(dst, v6, true);
                c.local = Some(remote);
                c.remote = local;
                c.tcp = Tcp::Established;
                c.peer = Some(i);
                c.syn_from = Some((i, generation));
                c.last_heard = self.now;
                c.inherit_options(self.socks[l].as_ref().expect("found"));
                let keepalive = c.keepalive;
                self.socks.push(Some(c));
                self.live_socks += 1;
                let id = self.socks.len() - 1;
                if keepalive.is_some() {
                    self.set_keepalive(id, keepalive);
                }
                self.sock(l).expect("found").backlog.push_back(id);
                self.notify(l, CAUSE_IN);
                let name = self.sock_name(l);
                self.event(format_args!(
                    "{name} queues #{id} from {}",
                    local.expect("bound")
                ));
                Answer::SynAck(id)
            }
            // Nobody listens, or the backlog is full: Windows answers with a RST.
            _ => Answer::Rst,
        };
        if let Ok(Some(d)) = self.transit(dst, host) {
            let now = self.now;
            self.schedule(
                now + d,
                Item::SynAnswer {
                    sock: i,
                    generation,
                    n,
                    answer,
                },
            );
        } else {
            // A lost answer: the client's SYN timer sends the SYN again.
            let name = self.sock_name(i);
            self.event(format_args!("{name} answer to SYN#{n} lost"));
        }
    }

    fn syn_timeout(&mut self, i: usize, generation: u32, n: u32) {
        let Some(s) = self.sock(i) else { return };
        if s.tcp != Tcp::Connecting || s.attempt_gen != generation {
            return;
        }
        if n < SYN_RETRIES {
            self.send_syn(i, generation, n + 1);
        } else {
            self.connect_failed(i, WSAETIMEDOUT);
        }
    }

    fn syn_answer(&mut self, i: usize, generation: u32, n: u32, answer: Answer) {
        let Some(s) = self.sock(i) else { return };
        if s.tcp != Tcp::Connecting || s.attempt_gen != generation {
            if let Answer::SynAck(id) = answer {
                // An answer to an abandoned attempt: the server side is reset.
                self.schedule_rst(id);
            }
            return;
        }
        match answer {
            Answer::SynAck(id) => {
                let now = self.now;
                let s = self.sock(i).expect("live");
                s.tcp = Tcp::Established;
                s.peer = Some(id);
                s.last_heard = now;
                s.attempt_gen += 1;
                let name = self.sock_name(i);
                self.event(format_args!("{name} established"));
                self.notify(i, CAUSE_OUT | CAUSE_IN);
                self.pump(i);
            }
            Answer::Rst if n < SYN_RETRIES => {
                // Windows tries again after a RST: 0.5 s, then 1 s.
                let s = self.sock(i).expect("live");
                s.attempt_gen += 1;
                let g = s.attempt_gen;
                let name = self.sock_name(i);
                self.event(format_args!("{name} RST to SYN#{n}, retrying"));
                let at = self.now + (RST_RETRY << n);
                self.schedule(
                    at,
                    Item::SynTimeout {
                        sock: i,
                        generation: g,
                        n,
                    },
                );
                // The timeout item resends (try n + 1) at once when it fires.
                let _ = self.sock(i).map(|s| s.attempt_gen = g);
            }
            Answer::Rst => self.connect_failed(i, WSAECONNREFUSED),
            Answer::HostUnreach => self.connect_failed(i, WSAEHOSTUNREACH),
        }
    }

    fn connect_failed(&mut self, i: usize, code: i32) {
        let Some(s) = self.sock(i) else { return };
        s.tcp = Tcp::Fresh;
        s.remote = None;
        s.error = Some(code);
        s.attempt_gen += 1;
        let name = self.sock_name(i);
        self.event(format_args!(
            "{name} connect fails {}",
            Error::from_code(code)
        ));
        self.notify(i, CAUSE_ERR | CAUSE_OUT);
    }
}

// ------------------------------------------------------------------------------------------
// TCP: the stream

impl NetState {
    /// Moves what the peer's window allows from `i`'s send buffer onto the wire.
    fn pump(&mut self, i: usize) {
        loop {
            let Some(s) = self.socks.get(i).and_then(|s| s.as_ref()) else {
                return;
            };
            if s.tcp != Tcp::Established || s.broken() || s.cut {
                return;
            }
            // Nothing to send (no data, no urgent byte, no FIN due): the loop below would
            // find no segment either.
            let fin_due = s.fin_queued && !s.fin_sent;
            if s.unsent.is_empty() && s.unsent_urgent.is_empty() && !fin_due {
                return;
            }
            let Some(p) = s.peer else { return };
            let window = match self.socks.get(p).and_then(|x| x.as_ref()) {
                Some(ps) => ps.rcvbuf.saturating_sub(ps.recv.len() + s.inflight),
                // The peer is gone: what is sent draws a RST (see `head_arrives`).
                None => usize::MAX,
            };
            if self.pump_direct(i, p, window) {
                continue;
            }
            let s = self.sock(i).expect("live");
            // Urgent bytes first when they are next in the stream.
            let seg = if let Some(&(pos, _)) = s.unsent_urgent.front() {
                if pos == 0 {
                    let (_, b) = s.unsent_urgent.pop_front().expect("front");
                    Some((Seg::Urgent(vec![b]), 1))
                } else {
                    let n = pos.min(MSS).min(window).min(s.unsent.len());
                    (n > 0).then(|| (Seg::Data(s.unsent.drain(..n).collect()), n))
                }
            } else {
                let n = s.unsent.len().min(MSS).min(window);
                (n > 0).then(|| (Seg::Data(s.unsent.drain(..n).collect()), n))
            };
            let seg = match seg {
                Some((seg, n)) => {
                    for u in s.unsent_urgent.iter_mut() {
                        u.0 -= n.min(u.0);
                    }
                    s.inflight += n;
                    seg
                }
                None if s.fin_queued && !s.fin_sent && s.unsent.is_empty() => {
                    s.fin_sent = true;
                    Seg::Fin
                }
                None => return,
            };
            self.transmit(i, seg);
        }
    }

    /// The fast path of [`pump`](Self::pump): on a link with no latency, jitter, loss,
    /// hold or partition (loopback by default), with nothing else in flight and no scripted
    /// fault, normal data goes straight into the peer's receive buffer, as the segment
    /// would arrive at the same instant anyway. Returns whether it moved anything.
    fn pump_direct(&mut self, i: usize, p: usize, window: usize) -> bool {
        if !self.faults.is_empty() {
            return false;
        }
        let s = self.socks[i].as_ref().expect("live");
        if !s.outq.is_empty() || !s.unsent_urgent.is_empty() || s.unsent.is_empty() {
            return false;
        }
        let Some(ps) = self.socks.get(p).and_then(|x| x.as_ref()) else {
            return false;
        };
        if ps.orphan || ps.broken() || ps.tcp != Tcp::Established {
            return false;
        }
        let l = self.link(s.host, ps.host);
        if l.latency != 0 || l.jitter != 0 || l.loss_ppm != 0 || l.held || l.partitioned {
            return false;
        }
        if self.hosts[s.host].iface_down || self.hosts[ps.host].iface_down {
            return false;
        }
        let n = s.unsent.len().min(window);
        if n == 0 {
            return false;
        }
        // Straight from one buffer to the other (a socket is never its own peer).
        let (s, ps) = two_mut(&mut self.socks, i, p);
        move_bytes(&mut s.unsent, &mut ps.recv, n);
        s.carried += n as u64;
        ps.rx_bytes += n as u64;
        if self.trace_on {
            let name = self.sock_name(p);
            self.event(format_args!("{name} receives {n} bytes"));
        }
        self.notify(p, CAUSE_IN);
        // Acknowledged at once: room came back.
        self.notify(i, CAUSE_OUT);
        true
    }

    /// Puts a segment at the tail of `i`'s outgoing stream.
    fn transmit(&mut self, i: usize, seg: Seg) {
        let now = self.now;
        let s = self.socks[i].as_ref().expect("live");
        let p = s.peer.expect("connected");
        let (a, b) = (
            s.host,
            self.socks
                .get(p)
                .and_then(|x| x.as_ref())
                .map_or(s.host, |x| x.host),
        );
        let l = self.link(a, b);
        let j = if l.jitter > 0 {
            self.rng.below(l.jitter + 1)
        } else {
            0
        };
        let at = now + l.latency + j;
        let s = self.socks[i].as_mut().expect("live");
        s.outq.push_back(Flight { at, seg, tries: 0 });
        if !s.out_armed {
            s.out_armed = true;
            self.schedule(at, Item::Head(i));
        }
    }

    /// The head of `i`'s outgoing stream reaches its peer, or is lost and retransmitted.
    fn head_arrives(&mut self, i: usize) {
        let Some(s) = self.sock(i) else { return };
        s.out_armed = false;
        if s.broken() || s.cut || s.outq.is_empty() {
            s.outq.clear();
            return;
        }
        let (a, p) = (s.host, s.peer.expect("connected"));
        let b = self
            .socks
            .get(p)
            .and_then(|x| x.as_ref())
            .map_or(a, |x| x.host);
        let now = self.now;
        let exhausted = self.socks[i]
            .as_ref()
            .and_then(|s| s.outq.front())
            .is_some_and(|f| f.tries > DATA_RETRIES);
        if exhausted {
            // The last retransmission's timeout passed too.
            let name = self.sock_name(i);
            self.event(format_args!("{name} retransmissions exhausted"));
            self.abort(i, WSAECONNABORTED);
            return;
        }
        match self.transit(a, b) {
            Err(()) => return, // held: `release` re-arms
            Ok(None) => {
                let s = self.sock(i).expect("live");
                let f = s.outq.front_mut().expect("non-empty");
                f.tries += 1;
                let tries = f.tries;
                let name = self.sock_name(i);
                self.event(format_args!("{name} segment lost, retransmission {tries}"));
                let rto = DATA_RTO.max(3 * self.link(a, b).latency) << (tries - 1);
                let s = self.sock(i).expect("live");
                s.out_armed = true;
                self.schedule(now + rto, Item::Head(i));
                return;
            }
            Ok(Some(_)) => {}
        }
        let s = self.sock(i).expect("live");
        let f = s.outq.pop_front().expect("non-empty");
        let ends = s.local.zip(s.remote);
        let len = match &f.seg {
            Seg::Data(d) | Seg::Urgent(d) => d.len(),
            Seg::Fin => 0,
        };
        s.inflight -= len.min(s.inflight);
        let before = s.carried;
        s.carried += len as u64;
        let carried = s.carried;
        if let Some(next) = s.outq.front() {
            let at = next.at.max(now);
            s.out_armed = true;
            self.schedule(at, Item::Head(i));
        }
        // Room came back in the send buffer.
        self.notify(i, CAUSE_OUT);
        // A scripted fault on this stream?
        if let Some(&fault) = ends.and_then(|k| self.faults.get(&k)) {
            let at = match fault {
                StreamFault::ResetAt(n) | StreamFault::FinAt(n) => n,
            };
            if carried >= at && before <= at {
                let keep = (at - before) as usize;
                let seg = match f.seg {
                    Seg::Data(mut d) => {
                        d.truncate(keep);
                        Seg::Data(d)
                    }
                    other => other,
                };
                self.deliver(i, p, seg);
                self.faults.remove(&ends.expect("connected"));
                let name = self.sock_name(i);
                match fault {
                    StreamFault::ResetAt(_) => {
                        self.event(format_args!(
                            "{name} stream reset by the network at byte {at}"
                        ));
                        // Both ends get a RST, one link latency later (after the data).
                        if let Some(s) = self.sock(i) {
                            s.outq.clear();
                            s.unsent.clear();
                            s.cut = true;
                        }
                        let d = self.link(a, b).latency;
                        self.schedule(now + d, Item::Rst(p));
                        self.schedule(now + d, Item::Rst(i));
                    }
                    StreamFault::FinAt(_) => {
                        self.event(format_args!(
                            "{name} stream ended by the network at byte {at}"
                        ));
                        if let Some(s) = self.sock(i) {
                            s.outq.clear();
                            s.unsent.clear();
                            s.fin_sent = true;
                            s.cut = true;
                        }
                        self.deliver(i, p, Seg::Fin);
                    }
                }
                return;
            }
        }
        self.deliver(i, p, f.seg);
        self.pump(i);
        self.reap(i);
    }

    /// Turns keep-alive on (with these times, ns) or off for `i`.
    pub(crate) fn set_keepalive(&mut self, i: usize, on: Option<(u64, u64)>) {
        let now = self.now;
        let Some(s) = self.sock(i) else { return };
        s.keepalive = on;
        s.opts.keepalive = on.is_some();
        s.ka_gen += 1;
        s.last_heard = s.last_heard.max(now);
        let (g, heard) = (s.ka_gen, s.last_heard);
        if let Some((time, _)) = on {
            self.schedule(
                heard + time,
                Item::KeepAlive {
                    sock: i,
                    generation: g,
                    probe: 0,
                },
            );
        }
    }

    /// A keep-alive timer: the connection idle for the keep-alive time gets a probe; one
    /// answered (the path and the peer are there) starts the idle time again; 10
    /// unanswered, one interval apart, abort the connection (`WSAECONNABORTED`, as for
    /// exhausted retransmissions; docs/simulation.md).
    fn keepalive_fires(&mut self, i: usize, generation: u32, probe: u32) {
        let now = self.now;
        let Some(s) = self.socks.get(i).and_then(|s| s.as_ref()) else {
            return;
        };
        let Some((time, interval)) = s.keepalive else {
            return;
        };
        if s.ka_gen != generation || s.broken() {
            return;
        }
        if s.tcp != Tcp::Established {
            // Not connected (yet): the idle time counts from the connection.
            self.schedule(
                now + time,
                Item::KeepAlive {
                    sock: i,
                    generation,
                    probe: 0,
                },
            );
            return;
        }
        if probe >= KEEPALIVE_PROBES {
            let name = self.sock_name(i);
            self.event(format_args!("{name} keep-alive: no answer to 10 probes"));
            self.abort(i, WSAECONNABORTED);
            return;
        }
        if probe == 0 && s.last_heard + time > now {
            // Heard from the peer meanwhile: idle again from then.
            let at = s.last_heard + time;
            self.schedule(
                at,
                Item::KeepAlive {
                    sock: i,
                    generation,
                    probe: 0,
                },
            );
            return;
        }
        let (a, peer) = (s.host, s.peer);
        let answered = match peer.and_then(|p| self.socks.get(p)?.as_ref()) {
            Some(ps) if !ps.orphan => {
                let b = ps.host;
                let up = !self.hosts[b].silent && !self.hosts[b].net_down;
                up && matches!(self.transit(a, b), Ok(Some(_)))
                    && matches!(self.transit(b, a), Ok(Some(_)))
            }
            // The peer's stack is gone with its socket: it would answer with a RST.
            _ => false,
        };
        let name = self.sock_name(i);
        if answered {
            self.event(format_args!("{name} keep-alive probe answered"));
            let s = self.sock(i).expect("live");
            s.last_heard = now;
            self.schedule(
                now + time,
                Item::KeepAlive {
                    sock: i,
                    generation,
                    probe: 0,
                },
            );
        } else {
            self.event(format_args!(
                "{name} keep-alive probe {} unanswered",
                probe + 1
            ));
            self.schedule(
                now + interval,
                Item::KeepAlive {
                    sock: i,
                    generation,
                    probe: probe + 1,
                },
            );
        }
    }

    /// A segment from `from` is taken in by `to`.
    fn deliver(&mut self, from: usize, to: usize, seg: Seg) {
        let alive = self
            .socks
            .get(to)
            .and_then(|x| x.as_ref())
            .is_some_and(|x| !x.orphan || matches!(seg, Seg::Fin));
        if !alive {
            // Data for a closed socket draws a RST (as on Windows and Linux).
            if !matches!(seg, Seg::Fin) {
                self.schedule_rst(from);
            }
            return;
        }
        let now = self.now;
        let s = self.sock(to).expect("live");
        if s.broken() {
            return;
        }
        s.last_heard = now;
        let name = self.sock_name(to);
        match seg {
            Seg::Data(d) => {
                let s = self.sock(to).expect("live");
                s.rx_bytes += d.len() as u64;
                s.recv.extend(d.iter());
                let n = d.len();
                self.event(format_args!("{name} receives {n} bytes"));
                self.notify(to, CAUSE_IN);
            }
            Seg::Urgent(d) => {
                let s = self.sock(to).expect("live");
                s.rx_bytes += d.len() as u64;
                if s.opts.oob_inline {
                    s.recv.extend(d.iter());
                } else {
                    s.urgent.extend(d.iter());
                    s.urgent_rcvd += d.len() as u64;
                }
                self.event(format_args!("{name} receives {} urgent byte(s)", d.len()));
                self.notify(to, CAUSE_IN);
            }
            Seg::Fin => {
                let s = self.sock(to).expect("live");
                s.fin_rcvd = true;
                s.rx_bytes += 1;
                self.event(format_args!("{name} receives FIN"));
                self.notify(to, CAUSE_IN);
                self.reap(to);
            }
        }
    }

    /// A RST to `to` after the link's latency from its peer.
    fn schedule_rst(&mut self, to: usize) {
        let Some(s) = self.socks.get(to).and_then(|x| x.as_ref()) else {
            return;
        };
        let d = self.link(s.host, s.host).latency.max(
            s.peer
                .and_then(|p| self.socks.get(p)?.as_ref())
                .map_or(0, |p| self.link(s.host, p.host).latency),
        );
        let now = self.now;
        self.schedule(now + d, Item::Rst(to));
    }

    fn rst_arrives(&mut self, i: usize) {
        let Some(s) = self.sock(i) else { return };
        if s.tcp != Tcp::Established || s.broken() {
            return;
        }
        s.rst_rcvd = true;
        s.recv.clear();
        s.urgent.clear();
        s.unsent.clear();
        s.outq.clear();
        s.inflight = 0;
        let orphan = s.orphan;
        let name = self.sock_name(i);
        self.event(format_args!("{name} receives RST"));
        self.notify(i, CAUSE_IN | CAUSE_ERR | CAUSE_OUT);
        if orphan {
            self.socks[i] = None;
            self.live_socks -= 1;
        }
    }

    /// The connection of `i` is aborted locally with `code` (no RST reaches the peer).
    fn abort(&mut self, i: usize, code: i32) {
        let Some(s) = self.sock(i) else { return };
        match s.tcp {
            Tcp::Connecting => {
                self.connect_failed(i, code);
                return;
            }
            Tcp::Established if !s.broken() => {}
            _ => return,
        }
        s.abort = Some(code);
        s.recv.clear();
        s.urgent.clear();
        s.unsent.clear();
        s.outq.clear();
        s.inflight = 0;
        let name = self.sock_name(i);
        self.event(format_args!("{name} aborted: {}", Error::from_code(code)));
        self.notify(i, CAUSE_IN | CAUSE_ERR | CAUSE_OUT);
    }
}

/// Both sockets `i` and `j` (`i != j`, both live), mutably.
fn two_mut(socks: &mut [Option<Sock>], i: usize, j: usize) -> (&mut Sock, &mut Sock) {
    assert_ne!(i, j, "a socket is not its own peer");
    let (a, b) = if i < j {
        let (lo, hi) = socks.split_at_mut(j);
        (&mut lo[i], &mut hi[0])
    } else {
        let (lo, hi) = socks.split_at_mut(i);
        (&mut hi[0], &mut lo[j])
    };
    (a.as_mut().expect("live"), b.as_mut().expect("live"))
}

/// Appends `bytes` to `to`: a few one by one (no bulk-copy set-up), more in one copy.
fn append(to: &mut VecDeque<u8>, bytes: &[u8]) {
    if bytes.len() <= 16 {
        for &b in bytes {
            to.push_back(b);
        }
    } else {
        to.extend(bytes);
    }
}

/// Moves the first `n` bytes of `from` (`n <= from.len()`) to the end of `to`, in order.
fn move_bytes(from: &mut VecDeque<u8>, to: &mut VecDeque<u8>, n: usize) {
    if n <= 16 {
        // A few bytes (a ping-pong's): one by one, no bulk-copy set-up.
        for _ in 0..n {
            let b = from.pop_front().expect("n <= len");
            to.push_back(b);
        }
        return;
    }
    let (a, b) = from.as_slices();
    let k = a.len().min(n);
    to.extend(&a[..k]);
    to.extend(&b[..n - k]);
    if n == from.len() {
        from.clear();
    } else {
        from.drain(..n);
    }
}

// ------------------------------------------------------------------------------------------
// UDP

impl NetState {
    fn dgram_arrives(&mut self, to: usize, from: SocketAddr, data: Option<Vec<u8>>) {
        let Some(s) = self.sock(to) else { return };
        if s.orphan {
            return;
        }
        let rcvbuf = s.rcvbuf;
        let name = self.sock_name(to);
        let s = self.sock(to).expect("live");
        match data {
            Some(d) => {
                if s.dgram_bytes + d.len() > rcvbuf {
                    self.event(format_args!("{name} drops a datagram (buffer full)"));
                    return;
                }
                let n = d.len();
                s.dgram_bytes += n;
                s.dgrams.push_back((d, from));
                self.event(format_args!(
                    "{name} receives a datagram of {n} bytes from {from}"
                ));
            }
            None => {
                s.icmp_error = true;
                self.event(format_args!(
                    "{name} receives ICMP port unreachable from {from}"
                ));
                self.notify(to, CAUSE_ERR);
                return;
            }
        }
        self.notify(to, CAUSE_IN);
    }

    /// Sends a datagram from `i` to `to`.
    fn send_dgram(&mut self, i: usize, to: SocketAddr, data: &[u8]) -> io::Result<()> {
        let s = self.socks[i].as_ref().expect("live");
        let (host, from) = (s.host, s.local.expect("bound"));
        let Some(dst) = self.host_of(host, to.ip()) else {
            return Ok(()); // nobody: the datagram is gone
        };
        if self.hosts[dst].silent || self.hosts[dst].net_down {
            return Ok(());
        }
        let target = self.socks.iter().position(|x| {
            x.as_ref().is_some_and(|x| {
                x.host == dst
                    && !x.stream
                    && !x.orphan
                    && x.local.is_some_and(|a| {
                        a.port() == to.port() && (a.ip() == to.ip() || a.ip().is_unspecified())
                    })
            })
        });
        let key = Self::link_key(host, dst);
        let now = self.now;
        let (item, rev) = match target {
            Some(t) => (
                Item::Dgram {
                    to: t,
                    from,
                    data: Some(data.to_vec()),
                },
                false,
            ),
            None => (
                Item::Dgram {
                    to: i,
                    from: to,
                    data: None,
                },
                true,
            ),
        };
        match self.transit(host, dst) {
            Err(()) => self.held_dgrams.push((key, item)),
            Ok(None) => {
                let name = self.sock_name(i);
                self.event(format_args!("{name} datagram to {to} lost"));
            }
            Ok(Some(d)) => {
                // An ICMP answer travels back too.
                let d = if rev { 2 * d } else { d };
                self.schedule(now + d, item);
            }
        }
        Ok(())
    }
}

// ------------------------------------------------------------------------------------------
// Errors as the socket layer maps them

pub(crate) fn werr(code: i32) -> io::Error {
    Error::from_code(code).into()
}

fn would_block() -> io::Error {
    werr(WSAEWOULDBLOCK)
}

/// The address a socket of this family binds implicitly on `host` towards `dest`.
fn implicit_ip(st: &NetState, host: usize, v6: bool, dest: Option<IpAddr>) -> IpAddr {
    if let Some(d) = dest.filter(|d| d.is_loopback()) {
        return d;
    }
    st.hosts[host]
        .addrs
        .iter()
        .copied()
        .find(|a| a.is_ipv6() == v6)
        .unwrap_or(if v6 {
            IpAddr::V6(Ipv6Addr::LOCALHOST)
        } else {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        })
}

/// Receive flags in the model.
fn peek(flags: RecvFlags) -> bool {
    flags.peek
}
