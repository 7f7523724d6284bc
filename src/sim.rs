//! A deterministic simulated network for unit tests of event logic: hosts with IPv4/IPv6
//! addresses, TCP and UDP with Windows' behaviour, in **virtual time**, with scripted or
//! seeded faults and a trace. Code under test uses the same [`Socket`](crate::Socket),
//! [`Event`](crate::Event) and [`winsock`](crate::winsock) API as in production; the
//! simulated network is a second backend behind the same socket rules (the record, the
//! re-enabling rules and the event objects are shared, not copied).
//!
//! - A [`Network`] is built from a seed; [`Network::host`] places hosts.
//! - [`Host::enter`] runs code "on" a host: sockets and events created inside belong to
//!   that network (and a socket from outside, or of another network, is refused when mixed
//!   with them: `WSAEINVAL` for `event_select`, `select` and `WSAPoll`,
//!   `WSA_INVALID_PARAMETER` for a wait).
//! - Waits, blocking calls, `select`/`WSAPoll` and socket timeouts run on the network's
//!   clock: when nothing is ready, the clock jumps to the next scheduled thing (a
//!   delivery, a retransmission, a timeout), so the 21 s of a connect to a silent host
//!   take microseconds.
//! - Overlapped operations, completion routines and completion ports work on simulated
//!   sockets as on real ones: alertable waits, `SleepEx`, `WSAGetOverlappedResult` with
//!   `fWait` and `GetQueuedCompletionStatus` run on the network's clock too. An operation's
//!   event and a completion port belong to one network (mixing: `WSAEINVAL` for the call,
//!   `ERROR_INVALID_PARAMETER` for the association).
//! - [`Network::trace`]: every call on a simulated socket with its result, every segment
//!   and fault, and every `FD_` bit recorded with its error code, at virtual timestamps.
//!   The same seed gives a byte-identical trace.
//!
//! With one driving thread a run is fully deterministic. With several threads on one
//! network, each wait that finds nothing ready still moves the clock (so a thread's
//! timeout can expire while another thread is busy), and the interleaving of the threads'
//! calls, hence the trace, depends on the OS scheduler; the rules (events, error codes,
//! bytes delivered once, in order) hold all the same. See `docs/simulation.md`.
//!
//! ```
//! use std::time::Duration;
//! use wsaevents::sim::Network;
//! use wsaevents::{Event, NetworkEvents as Fd, Socket, WaitOutcome, error::WSAETIMEDOUT};
//!
//! let net = Network::new(42);
//! let client = net.host("client", &["10.0.0.1".parse().unwrap()]);
//! let server = net.host("server", &["10.0.0.2".parse().unwrap()]);
//! server.set_silent(true); // a host that never answers
//! client.enter(|| {
//!     let s = Socket::tcp_v4().unwrap();
//!     let ev = Event::new_manual(false);
//!     s.event_select(&ev, Fd::CONNECT).unwrap();
//!     let _ = s.connect("10.0.0.2:80".parse().unwrap()); // WSAEWOULDBLOCK
//!     // 21 s of virtual time: Windows' SYN schedule (3 s, 6 s, 12 s).
//!     assert_eq!(ev.wait(Some(Duration::from_secs(60))), WaitOutcome::Signaled(0));
//!     let rec = s.enum_network_events(Some(&ev)).unwrap();
//!     assert_eq!(rec.error(Fd::CONNECT).map(|e| e.code()), Some(WSAETIMEDOUT));
//! });
//! assert_eq!(net.now(), Duration::from_secs(21));
//! ```

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use crate::sys::sim::{Link, Net, StreamFault};

/// One simulated network: its hosts, links, clock, RNG and trace. Independent of every
/// other network and of the real network; cloning gives another handle to the same one.
#[derive(Clone)]
pub struct Network {
    net: Arc<Net>,
}

/// A host of a [`Network`]. Every host also has the loopback addresses `127.0.0.1` and
/// `::1`, which reach itself.
#[derive(Clone)]
pub struct Host {
    net: Arc<Net>,
    idx: usize,
}

impl std::fmt::Debug for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Network")
            .field("seed", &self.seed())
            .field("now", &self.now())
            .finish()
    }
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host").field("name", &self.name()).finish()
    }
}

fn ns(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl Network {
    /// A new network whose random choices (jitter, loss) come from `seed`. Links between
    /// hosts start with 0.5 ms latency, no jitter and no loss; loopback has none.
    pub fn new(seed: u64) -> Network {
        Network {
            net: Net::new(seed),
        }
    }

    /// The seed it was built from (print it when a test fails, to replay the run).
    pub fn seed(&self) -> u64 {
        self.net.lock().seed()
    }

    /// Places a host with these addresses (IPv4 and/or IPv6).
    pub fn host(&self, name: &str, addrs: &[IpAddr]) -> Host {
        let idx = self.net.lock().add_host(name, addrs);
        Host {
            net: Arc::clone(&self.net),
            idx,
        }
    }

    /// Virtual time since the network was built.
    pub fn now(&self) -> Duration {
        Duration::from_nanos(self.net.now_ns())
    }

    /// Lets `d` of virtual time pass, delivering everything scheduled meanwhile.
    pub fn run_for(&self, d: Duration) {
        self.net.run_for(d);
    }

    /// Delivers what is due now (and records its events), without moving the clock.
    pub fn run_due(&self) {
        self.net.harvest();
    }

    /// Sets the latency and jitter (uniform in `[0, jitter]`, drawn from the seed) of the
    /// links not set one by one.
    pub fn set_default_latency(&self, latency: Duration, jitter: Duration) {
        let mut st = self.net.lock();
        st.fault(&format!("default latency {latency:?} jitter {jitter:?}"));
        let mut l = Link {
            latency: ns(latency),
            jitter: ns(jitter),
            ..Link::default()
        };
        l.loss_ppm = 0;
        st.set_default_link(l);
    }

    /// Sets the latency and jitter of the link between `a` and `b` (both directions).
    pub fn set_latency(&self, a: &Host, b: &Host, latency: Duration, jitter: Duration) {
        let mut st = self.net.lock();
        st.fault(&format!(
            "latency {}-{} {latency:?} jitter {jitter:?}",
            a.idx, b.idx
        ));
        let l = st.link_mut(a.idx, b.idx);
        l.latency = ns(latency);
        l.jitter = ns(jitter);
    }

    /// Makes the link between `a` and `b` lose each packet with probability `p` (drawn
    /// from the seed). TCP retransmits (RTO 300 ms, doubled, 5 retransmissions, then the
    /// connection is aborted: `FD_CLOSE` with `WSAECONNABORTED`); UDP loses the datagram.
    pub fn set_loss(&self, a: &Host, b: &Host, p: f64) {
        let mut st = self.net.lock();
        st.fault(&format!("loss {}-{} {p}", a.idx, b.idx));
        st.link_mut(a.idx, b.idx).loss_ppm = (p.clamp(0.0, 1.0) * 1e6) as u32;
    }

    /// Cuts the link between `a` and `b`: everything sent is lost until [`repair`].
    ///
    /// [`repair`]: Network::repair
    pub fn partition(&self, a: &Host, b: &Host) {
        let mut st = self.net.lock();
        st.fault(&format!("partition {}-{}", a.idx, b.idx));
        st.link_mut(a.idx, b.idx).partitioned = true;
    }

    /// Repairs a [`partition`](Network::partition).
    pub fn repair(&self, a: &Host, b: &Host) {
        let mut st = self.net.lock();
        st.fault(&format!("repair {}-{}", a.idx, b.idx));
        st.link_mut(a.idx, b.idx).partitioned = false;
    }

    /// Holds what travels between `a` and `b`: nothing is delivered (nor lost) until
    /// [`release`](Network::release).
    pub fn hold(&self, a: &Host, b: &Host) {
        let mut st = self.net.lock();
        st.fault(&format!("hold {}-{}", a.idx, b.idx));
        st.link_mut(a.idx, b.idx).held = true;
    }

    /// Delivers what a [`hold`](Network::hold) kept, in order, from now on.
    pub fn release(&self, a: &Host, b: &Host) {
        let mut st = self.net.lock();
        st.fault(&format!("release {}-{}", a.idx, b.idx));
        st.release(a.idx, b.idx);
    }

    /// Makes a router answer for `ip` with ICMP host-unreachable: a connect to it fails
    /// with `WSAEHOSTUNREACH` (an address no host has gives the same).
    pub fn set_unreachable(&self, ip: IpAddr) {
        let mut st = self.net.lock();
        st.fault(&format!("unreachable {ip}"));
        st.add_unreachable(ip);
    }

    /// Resets the connection from `from` to `to` (its two endpoints' addresses) once its
    /// stream from `from` has carried `at_byte` bytes since it began: both ends get
    /// a RST, so the receiver reads exactly `at_byte` bytes, then gets `FD_CLOSE` with
    /// `WSAECONNABORTED` (rule 39).
    pub fn reset_stream_at(&self, from: SocketAddr, to: SocketAddr, at_byte: u64) {
        let mut st = self.net.lock();
        st.fault(&format!("reset {from}->{to} at byte {at_byte}"));
        st.add_stream_fault(from, to, StreamFault::ResetAt(at_byte));
    }

    /// Ends the stream from `from` to `to` with a FIN after `at_byte` bytes (the rest of
    /// it is dropped): the receiver gets `FD_CLOSE` with 0 (rule 38).
    pub fn fin_stream_at(&self, from: SocketAddr, to: SocketAddr, at_byte: u64) {
        let mut st = self.net.lock();
        st.fault(&format!("fin {from}->{to} at byte {at_byte}"));
        st.add_stream_fault(from, to, StreamFault::FinAt(at_byte));
    }

    /// The trace so far: one line per call, segment, fault and recorded `FD_` bit, each
    /// with its virtual timestamp (seconds.nanoseconds).
    pub fn trace(&self) -> String {
        self.net.lock().trace_text()
    }

    /// Turns the trace on (the default) or off (for benchmarks).
    pub fn set_trace(&self, on: bool) {
        self.net.set_tracing(on);
    }

    /// How many sockets the network holds (open ones, and closed ones still sending).
    pub fn live_sockets(&self) -> usize {
        self.net.lock().live_sockets()
    }
}

/// Undoes [`Host::set_process_default`]: threads that have not entered a host use the
/// real network again.
pub fn reset_process_default() {
    crate::sys::sim::set_process(None);
}

/// Undoes [`Host::set_thread_default`] for the calling thread.
pub fn clear_thread_default() {
    crate::sys::sim::set_current(None);
}

/// The virtual time of the calling thread's simulated network (entered, or the process
/// default), if it runs on one: what `GetTickCount`, `QueryPerformanceCounter` and `Sleep`
/// follow there.
pub fn current_time() -> Option<Duration> {
    crate::sys::sim::current().map(|(n, _)| Duration::from_nanos(n.now_ns()))
}

/// Whether this thread runs inside a simulated network ([`Host::enter`]).
pub fn is_simulated() -> bool {
    crate::sys::sim::current_id() != 0
}

impl Host {
    /// Runs `f` on this host: sockets and events created inside belong to this network,
    /// and `reactor` look-ups (`enum_network_events`, `event_select`) read it. Nested
    /// `enter`s switch hosts and restore the outer one after.
    pub fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        crate::sys::sim::enter(&self.net, self.idx, f)
    }

    /// Makes this host the whole process's: every thread that has not entered a host
    /// (with [`enter`](Host::enter) or [`set_thread_default`](Host::set_thread_default))
    /// runs on it, from now on. This is the C API's switch (`wsaevents_sim_start`), for a
    /// program whose threads are not all the test's own. [`reset_process_default`] undoes it.
    pub fn set_process_default(&self) {
        crate::sys::sim::set_process(Some((Arc::clone(&self.net), self.idx)));
    }

    /// Makes this host the calling thread's from now on (until another call, or
    /// [`clear_thread_default`]); [`enter`](Host::enter) is the scoped form.
    pub fn set_thread_default(&self) {
        crate::sys::sim::set_current(Some((Arc::clone(&self.net), self.idx)));
    }

    /// The host's name.
    pub fn name(&self) -> String {
        self.net.lock().host_name(self.idx).to_string()
    }

    /// The host's addresses.
    pub fn addrs(&self) -> Vec<IpAddr> {
        self.net.lock().host_addrs(self.idx).to_vec()
    }

    /// A host that never answers: SYNs and datagrams to it vanish, so a connect fails
    /// `WSAETIMEDOUT` after Windows' SYN schedule (21 s).
    pub fn set_silent(&self, on: bool) {
        let mut st = self.net.lock();
        st.fault(&format!("host {} silent {on}", self.idx));
        st.set_silent(self.idx, on);
    }

    /// The host's interface goes down (or up): nothing goes in or out (TCP retransmits,
    /// then aborts), and a new connect finds no route: `WSAENETUNREACH`.
    pub fn set_interface_down(&self, down: bool) {
        let mut st = self.net.lock();
        st.fault(&format!("host {} interface down {down}", self.idx));
        st.set_iface_down(self.idx, down);
    }

    /// The host's network subsystem fails: its connections get `FD_CLOSE` with
    /// `WSAENETDOWN`, and every later call on its sockets fails `WSAENETDOWN`.
    pub fn fail_network(&self) {
        let mut st = self.net.lock();
        st.fault(&format!("host {} network down", self.idx));
        st.set_net_down(self.idx);
    }
}
