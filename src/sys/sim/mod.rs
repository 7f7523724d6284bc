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
//!
//! The files, by concept: this one the network's types; `registry.rs` the registry of
//! networks and the thread's current one; `network.rs` the network's entry points (its lock,
//! the harvest, virtual time); `sched.rs` the scheduler; `config.rs` configuration, faults
//! and the trace; `handshake.rs` and `stream.rs` TCP; `udp.rs` UDP; `socket.rs` the seam's
//! socket; `dispatch.rs` the seam's dispatch between the OS and a simulated network.

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

mod config;
pub(crate) mod dispatch;
mod handshake;
mod inherit;
// For the C ABI's resolver (built where `capi` is: not on Windows, not under loom).
#[cfg(all(not(loom), not(windows)))]
mod names;
#[cfg(all(not(loom), not(windows)))]
pub(crate) use names::{lookup_addr, lookup_name};
mod network;
mod quiet;
mod registry;
mod sched;
mod socket;
mod stream;
mod udp;

#[cfg(all(not(loom), not(windows)))]
pub(crate) use registry::{ThreadTicket, thread_ticket};
pub(crate) use registry::{
    blocked, current, current_id, enter, harvest_current, in_use, net_by_id, set_current,
    set_process, with_current_net,
};
pub(crate) use socket::SimSocket;
use stream::append;

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
    /// The threads on the network and its waiters' condition (`quiet.rs`).
    quiet: quiet::Quiet,
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
    #[inline]
    fn send_writable(&self) -> bool {
        self.unsent.len() + self.inflight <= self.sndbuf / 2
    }

    /// Room in the send buffer: a send is taken whole while there is any (rule 32).
    #[inline]
    fn send_room(&self) -> usize {
        self.sndbuf
            .saturating_sub(self.unsent.len() + self.inflight)
    }

    /// No data, no urgent byte and no FIN left to send.
    #[inline]
    fn nothing_to_send(&self) -> bool {
        self.unsent.is_empty()
            && self.unsent_urgent.is_empty()
            && (self.fin_sent || !self.fin_queued)
    }

    #[inline]
    fn broken(&self) -> bool {
        self.rst_rcvd || self.abort.is_some()
    }

    /// What one receive can return (FIONREAD).
    #[inline]
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
#[derive(Clone, Copy, Default)]
struct Ready {
    token: usize,
    r: Readiness,
    sock: usize,
    avail: usize,
}

/// One harvest round's readiness, in order: the first few in place (a harvest usually
/// hands out one or two), the rest in a vector.
#[derive(Default)]
struct Batch {
    n: usize,
    first: [Ready; 4],
    more: Vec<Ready>,
}

impl Batch {
    #[inline]
    fn push(&mut self, r: Ready) {
        match self.first.get_mut(self.n) {
            Some(slot) => *slot = r,
            None => self.more.push(r),
        }
        self.n += 1;
    }

    fn clear(&mut self) {
        self.n = 0;
        self.more.clear();
    }

    fn is_empty(&self) -> bool {
        self.n == 0
    }

    fn iter(&self) -> impl Iterator<Item = &Ready> {
        self.first[..self.n.min(self.first.len())]
            .iter()
            .chain(&self.more)
    }
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
    /// The time of `timers`' first item (`u64::MAX`: none), kept by `schedule` and
    /// `run_due` (the only places that change `timers`), so that finding nothing due
    /// reads one field.
    first_at: u64,
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
