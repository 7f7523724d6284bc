//! The [`Socket`] type: a TCP or UDP socket whose network events are recorded as Windows
//! records them.
//!
//! Method names mirror the Winsock calls; each method's documentation names its call.
//! Sockets start in **blocking** mode, as on Windows; [`Socket::event_select`] makes them
//! non-blocking (rule 4). A socket is watched by the reactor from the moment it connects,
//! listens, or (UDP) binds, whether or not it is selected (rule 8), and never before
//! (section D, gap 4).
//!
//! The folder, by concept: this file (the socket, its calls, the re-enabling rules and the
//! readiness handling), `options.rs` (socket options and names), `binds.rs` (Windows' bind
//! rules between this process's sockets), `levels.rs` (what `select` and `WSAPoll` see),
//! `changes.rs` (the address-list and routing-interface ioctls).
//!
//! Every `recv`/`send`/`accept`/`connect` goes through one place, `Socket::op`, which runs
//! the non-blocking OS call under the socket's lock, applies the re-enabling rule of the
//! call with the level the OS reports right after it (section D, gap 6), and, in blocking
//! mode, waits for readiness and tries again. Readiness from the OS arrives in
//! `Core::on_ready`, which is the only other place that records network events.
//!
//! ```
//! use std::time::Duration;
//! use wsaevents::{Event, NetworkEvents as Fd, Socket, WaitOutcome, wait_any};
//!
//! let listener = Socket::tcp_v4()?;
//! listener.bind("127.0.0.1:0".parse().unwrap())?;
//! listener.listen(8)?;
//! let ev = Event::new_manual(false);
//! listener.event_select(&ev, Fd::ACCEPT | Fd::READ | Fd::WRITE | Fd::CLOSE)?;
//!
//! let client = Socket::tcp_v4()?;
//! client.connect(listener.local_addr()?)?; // blocking connect, as on Windows
//!
//! assert_eq!(wait_any(&[&ev], Some(Duration::from_secs(5)))?, WaitOutcome::Signaled(0));
//! let rec = listener.enum_network_events(Some(&ev))?;
//! assert_eq!(rec.events(), Fd::ACCEPT);
//! let (server, _peer) = listener.accept()?;
//! // The accepted socket inherits the selection and starts with FD_WRITE (rule 36).
//! assert_eq!(server.enum_network_events(Some(&ev))?.events(), Fd::WRITE);
//! # Ok::<(), wsaevents::Error>(())
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::net::{Shutdown, SocketAddr};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use crate::change::{self, Fired, Mode, Watch};
use crate::error::*;
use crate::event::Event;
use crate::overlapped::{CancelFilter, Direction, Notify, OpKind, OpResult, Overlapped};
use crate::reactor::{self, Source, reactor};
use crate::record::{ArrivalModel, Record};
use crate::sync::Mutex;
use crate::sys::{self, OsSocket, Readiness, RecvFlags};
use crate::types::{NetworkEventRecord, NetworkEvents as Fd};

mod binds;
mod changes;
mod levels;
mod mswsock;
mod options;
mod overlapped_io;

pub(crate) use levels::PollLevel;
pub use mswsock::{
    AcceptAddrs, ERROR_INSUFFICIENT_BUFFER, TF_DISCONNECT, TF_REUSE_SOCKET, accept_address_space,
};
use options::SockOpts;

/// The address family of a socket (`AF_INET`, `AF_INET6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressFamily {
    /// `AF_INET`: IPv4.
    Inet,
    /// `AF_INET6`: IPv6.
    Inet6,
}

/// The type of a socket (`SOCK_STREAM` over TCP, `SOCK_DGRAM` over UDP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SocketType {
    /// `SOCK_STREAM`: TCP.
    Stream,
    /// `SOCK_DGRAM`: UDP.
    Datagram,
}

/// Flags for [`Socket::recv_with_flags`]: `MSG_PEEK` and `MSG_OOB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MsgFlags {
    /// `MSG_PEEK`: read without removing (still a re-enabling call for `FD_READ`).
    pub peek: bool,
    /// `MSG_OOB`: read urgent data.
    pub oob: bool,
}

/// A socket whose network events are recorded as Windows records them. Closing it
/// ([`close`](Socket::close), or dropping its last clone) cancels its selection and leaves
/// its event untouched (rule 43).
///
/// A `Socket` is a handle, as a `SOCKET` value is: [`Clone`] gives another handle to the
/// *same* socket (no new OS descriptor), which other threads can use at the same time.
/// [`close`](Socket::close) on any clone closes the socket for all of them, as
/// `closesocket` does: calls blocked in it on other threads fail with `WSAEINTR`, later
/// calls through any clone fail with `WSAENOTSOCK`. Dropping a clone closes nothing until
/// the last one goes.
#[derive(Clone)]
pub struct Socket {
    h: Arc<Handle>,
}

/// Shared by a socket's clones: closes the socket when the last clone goes.
struct Handle {
    core: Arc<Core>,
}

struct Core {
    stream: bool,
    v6: bool,
    /// The simulated network the socket belongs to (`None`: the OS's): calls that observe
    /// network state read that network, not the OS poller.
    sim: Option<Arc<crate::sys::sim::Net>>,
    state: Mutex<State>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conn {
    Unconnected,
    Connecting,
    Connected,
    Listening,
}

struct State {
    /// Windows: the watch for urgent data arriving alone (`sys::UrgentWatch`), while
    /// `FD_OOB` is selected on a connected stream. Declared before `os`: it must stop
    /// before the OS socket closes.
    #[cfg(windows)]
    urgent: Option<sys::UrgentWatch>,
    os: OsSocket,
    record: Record,
    conn: Conn,
    /// Winsock's mode; the OS socket itself is always non-blocking.
    nonblocking: bool,
    /// The reactor token, once watched.
    token: Option<usize>,
    bound: bool,
    /// A send could not complete (WSAEWOULDBLOCK): FD_WRITE when room comes back (D.5).
    write_blocked: bool,
    /// FD_CLOSE was recorded for this connection (at most once, rule 40).
    close_recorded: bool,
    /// A RST was seen (rule 39): recv/send fail WSAECONNRESET, SO_ERROR reads 0.
    reset: bool,
    /// Another abortive close (e.g. keep-alive timeout): recv/send fail with it.
    abort_error: Option<i32>,
    rd_shutdown: bool,
    wr_shutdown: bool,
    /// A failed connect's error: SO_ERROR keeps returning it (rule 33).
    connect_error: Option<i32>,
    oob_inline: bool,
    /// Urgent data was seen once: a short read no longer proves the queue empty, and (on
    /// Linux, not in line) FIONREAD, which stops at a pending urgent mark, no longer tells
    /// what arrived: `urgent_arrivals` does (rules 16, 21, 23).
    urgent_seen: bool,
    /// The pending urgent byte's identity, when one is pending: its position in the normal
    /// byte stream (Linux: `consumed` + FIONREAD, the distance to the mark).
    urgent_mark: Option<u64>,
    /// With the urgent mark at the read pointer: the normal bytes queued behind it, if
    /// counted. (Linux only.)
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    behind_mark: Option<usize>,
    /// Normal bytes returned by stream recvs (not peeks).
    consumed: u64,
    /// Linux, urgent mode: the connection's received bytes (less the FIN) accounted for.
    rx_seen: u64,
    /// Bytes queued at the last observation: a readable edge records FD_READ only if more
    /// arrived (new data, not an edge that came with a write edge).
    last_avail: usize,
    /// FD_READ was recorded for new data without counting it (a fresh edge, see
    /// `stream_ready`): `last_avail` understates, and the next look resyncs instead of
    /// comparing.
    avail_unknown: bool,
    /// [`reactor::poll_seq`] after the last call that consumed data: readiness from a later
    /// poll than the next one cannot be stale (see `reactor::PollSeq`).
    recv_stamp: u64,
    /// Writability is watched (only while waited for: see `sys::Poller::interest`).
    write_interest: bool,
    /// Threads blocked in a call on this socket (in `Socket::op`'s wait).
    blocked: usize,
    /// The address/route change source and its armed notifications, once an ioctl asked.
    changes: Option<Box<Watch>>,
    /// Events blocking-mode calls wait on, created on first use.
    read_wait: Option<Event>,
    write_wait: Option<Event>,
    /// Options kept here rather than in the OS socket (see `SockOpts`).
    opts: SockOpts,
    /// The completion port this socket is associated with, and its notification modes
    /// (`crate::iocp`).
    iocp: crate::iocp::Link,
    /// The mswsock extensions' state (`mswsock.rs`).
    ex: mswsock::ExState,
    /// Pending overlapped receives and sends, each in issue order (`overlapped.rs`).
    ov_read: VecDeque<Overlapped>,
    ov_write: VecDeque<Overlapped>,
    /// The socket handle as a waitable object, once waited on (`Socket::io_event`).
    io_event: Option<Event>,
    /// Readiness reports handed to this socket ([`Socket::readiness_reports`]).
    reports: u64,
}

/// What one attempt of a call decided.
enum Step<T> {
    Done(Result<T>),
    /// The call would block, waiting for the given direction.
    Block(Dir),
}

#[derive(Debug, Clone, Copy)]
enum Dir {
    Read,
    Write,
}

fn err<T>(code: i32) -> Result<T> {
    Err(Error::from_code(code))
}

fn map(e: &io::Error) -> Error {
    Error::from_io(e)
}

fn would_block(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock
}

/// Network failures a non-blocking connect reports through FD_CONNECT, not synchronously.
fn is_async_connect_error(code: i32) -> bool {
    matches!(
        code,
        WSAECONNREFUSED | WSAENETUNREACH | WSAEHOSTUNREACH | WSAETIMEDOUT
    )
}

impl Socket {
    /// `socket(af, type, 0)`: a new, unbound, blocking socket.
    pub fn new(family: AddressFamily, ty: SocketType) -> Result<Socket> {
        let v6 = family == AddressFamily::Inet6;
        let stream = ty == SocketType::Stream;
        let os = OsSocket::new(v6, stream).map_err(|e| map(&e))?;
        // Windows binds a port whose old connections sit in TIME_WAIT; Linux and macOS do
        // with SO_REUSEADDR, which still refuses a second listener (see `bind`). On Windows
        // itself the OS option would mean sharing, and is left off.
        #[cfg(unix)]
        if stream {
            os.sock()
                .and_then(|s| s.set_reuse_address(true))
                .map_err(|e| map(&e))?;
        }
        // The reactor exists from the first socket on, so waits can drive it.
        reactor().map_err(|e| map(&e))?;
        Ok(Socket::from_state(stream, v6, State::new(os)))
    }

    /// `socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)`.
    pub fn tcp_v4() -> Result<Socket> {
        Socket::new(AddressFamily::Inet, SocketType::Stream)
    }

    /// `socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP)`.
    pub fn tcp_v6() -> Result<Socket> {
        Socket::new(AddressFamily::Inet6, SocketType::Stream)
    }

    /// `socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)`.
    pub fn udp_v4() -> Result<Socket> {
        Socket::new(AddressFamily::Inet, SocketType::Datagram)
    }

    /// `socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP)`.
    pub fn udp_v6() -> Result<Socket> {
        Socket::new(AddressFamily::Inet6, SocketType::Datagram)
    }

    fn from_state(stream: bool, v6: bool, state: State) -> Socket {
        Socket {
            h: Arc::new(Handle {
                core: Arc::new(Core {
                    stream,
                    v6,
                    sim: state.os.sim_net().cloned(),
                    state: Mutex::new(state),
                }),
            }),
        }
    }

    /// The address family.
    pub fn family(&self) -> AddressFamily {
        if self.h.core.v6 {
            AddressFamily::Inet6
        } else {
            AddressFamily::Inet
        }
    }

    /// `getsockopt(SO_TYPE)`.
    pub fn socket_type(&self) -> SocketType {
        if self.h.core.stream {
            SocketType::Stream
        } else {
            SocketType::Datagram
        }
    }

    /// Starts watching the OS socket (idempotent).
    fn watch(&self, st: &mut State) -> Result<()> {
        watch(&self.h.core, st)
    }

    /// The one place every call goes through: runs `attempt` under the socket's lock; in
    /// blocking mode, waits for readiness and tries again; in non-blocking mode, a call
    /// that would block fails with `WSAEWOULDBLOCK`.
    ///
    /// A call that blocked and finds the socket closed when it wakes was cancelled by
    /// `closesocket` (or `WSACleanup`) on another thread: it fails with `WSAEINTR`, the
    /// error of a cancelled blocking call (Windows Sockets 2 specification, 2.7: "Closing a
    /// socket in one thread that has an outstanding blocking call on the same socket in
    /// another thread will cause the blocking call to fail with WSAEINTR").
    fn op<T>(&self, attempt: impl FnMut(&mut State) -> Step<T>) -> Result<T> {
        self.op_timed(false, attempt)
    }

    /// [`op`](Self::op) for receives and sends: with `timed`, a blocking call that is still
    /// waiting after the socket's `SO_RCVTIMEO` (reading) or `SO_SNDTIMEO` (writing) fails
    /// with `WSAETIMEDOUT`, as on Windows. The deadline is set at the first wait.
    fn op_timed<T>(
        &self,
        timed: bool,
        mut attempt: impl FnMut(&mut State) -> Step<T>,
    ) -> Result<T> {
        let mut deadline: Option<Instant> = None;
        let mut waited = false;
        loop {
            let (wait, timeout) = {
                let mut st = self.h.core.state.lock();
                if waited {
                    st.blocked -= 1;
                }
                if st.os.is_closed() {
                    return err(if waited { WSAEINTR } else { WSAENOTSOCK });
                }
                let before = st.os.tracing().then(|| st.record.recorded());
                let step = attempt(&mut st);
                if let Some(before) = before {
                    st.trace_recorded(before);
                }
                st.rearm(self.h.core.stream);
                match step {
                    Step::Done(r) => {
                        if r.is_ok() && !st.nonblocking {
                            // Others blocked on this socket re-check (partial consumption).
                            st.poke_waiters();
                        }
                        return r;
                    }
                    Step::Block(_) if st.nonblocking => return err(WSAEWOULDBLOCK),
                    Step::Block(dir) => {
                        // Reset under the lock: readiness is processed under the same lock,
                        // so anything after this attempt sets the event again.
                        let ev = st.wait_event(dir);
                        ev.reset();
                        let limit = match dir {
                            _ if !timed => None,
                            Dir::Read => st.opts.recv_timeout,
                            Dir::Write => st.opts.send_timeout,
                        };
                        let timeout = match limit {
                            None => None,
                            Some(t) => {
                                // The socket's clock: virtual on a simulated network.
                                let now = st.os.now();
                                let end = *deadline.get_or_insert(now + t);
                                if now >= end {
                                    return err(WSAETIMEDOUT);
                                }
                                Some(end - now)
                            }
                        };
                        st.blocked += 1;
                        (ev, timeout)
                    }
                }
            };
            waited = true;
            wait.wait(timeout);
        }
    }

    /// `bind`. A UDP socket is watched from here on and records FD_WRITE once (rule 45).
    ///
    /// Windows' address-sharing rules apply between this process's sockets (see `binds`):
    /// a second bind of the same address fails `WSAEADDRINUSE`, or `WSAEACCES` if only the
    /// new socket set `SO_REUSEADDR`; both with `SO_REUSEADDR` share it; a wildcard and a
    /// specific address on one port coexist unless `SO_EXCLUSIVEADDRUSE` forbids it. The
    /// OS then applies its own rules (docs/semantics.md, "Binding").
    pub fn bind(&self, addr: SocketAddr) -> Result<()> {
        let mut registry = binds::lock();
        let mut st = self.lock()?;
        if st.bound {
            return err(WSAEINVAL);
        }
        let (reuse, exclusive) = (st.opts.reuse, st.opts.exclusive);
        // Each simulated network has its own addresses (0: the OS's).
        let net = st.os.network();
        if addr.port() != 0 {
            drop(st);
            if let Some(code) = binds::conflict(
                &mut registry,
                net,
                self.h.core.stream,
                addr,
                reuse,
                exclusive,
            ) {
                return err(code);
            }
            st = self.lock()?;
            if st.bound {
                return err(WSAEINVAL);
            }
        }
        st.os
            .sock()
            .and_then(|s| binds::apply_os_options(&s, self.h.core.stream, reuse))
            .map_err(|e| map(&e))?;
        st.os.bind(addr).map_err(|e| map(&e))?;
        if let Ok(actual) = st.os.local_addr() {
            binds::claim(
                &mut registry,
                binds::Claim {
                    net,
                    addr: actual,
                    stream: self.h.core.stream,
                    reuse,
                    exclusive,
                    owner: Arc::downgrade(&self.h.core),
                },
            );
        }
        st.bound = true;
        if !self.h.core.stream {
            self.watch(&mut st)?;
            st.record.arrive(Fd::WRITE, 0);
        }
        Ok(())
    }

    /// `listen`. The socket must be bound (else WSAEINVAL, as on Windows). No FD_ACCEPT
    /// from `listen` itself (rule 24).
    pub fn listen(&self, backlog: i32) -> Result<()> {
        let mut st = self.lock()?;
        if !self.h.core.stream {
            return err(WSAEOPNOTSUPP);
        }
        match st.conn {
            Conn::Connected | Conn::Connecting => return err(WSAEISCONN),
            Conn::Listening | Conn::Unconnected => {}
        }
        if !st.bound {
            return err(WSAEINVAL);
        }
        st.os.listen(backlog.max(1)).map_err(|e| map(&e))?;
        st.conn = Conn::Listening;
        self.watch(&mut st)
    }

    /// `connect`. TCP: in blocking mode waits for the result; in non-blocking mode returns
    /// WSAEWOULDBLOCK and the result comes as FD_CONNECT (with FD_WRITE on success, rules
    /// 29, 33). Calling again while connecting gives WSAEALREADY, when connected
    /// WSAEISCONN (rule 35). UDP: records FD_CONNECT and FD_WRITE at once (rule 34).
    pub fn connect(&self, addr: SocketAddr) -> Result<()> {
        if !self.h.core.stream {
            let mut st = self.lock()?;
            check_remote(addr)?;
            st.os
                .sock()
                .and_then(|s| s.connect(&addr.into()))
                .map_err(|e| map(&e))?;
            st.bound = true;
            st.conn = Conn::Connected;
            self.watch(&mut st)?;
            st.record.arrive(Fd::CONNECT | Fd::WRITE, 0);
            return Ok(());
        }
        let mut started = false;
        self.op(|st| {
            if started {
                return match st.conn {
                    Conn::Connecting => Step::Block(Dir::Write),
                    Conn::Connected => Step::Done(Ok(())),
                    _ => Step::Done(err(st.connect_error.unwrap_or(WSAECONNREFUSED))),
                };
            }
            match st.conn {
                Conn::Listening => return Step::Done(err(WSAEINVAL)),
                Conn::Connected => return Step::Done(err(WSAEISCONN)),
                Conn::Connecting => return Step::Done(err(WSAEALREADY)),
                Conn::Unconnected => {}
            }
            if let Err(e) = check_remote(addr) {
                return Step::Done(Err(e));
            }
            started = true;
            if sys::RENEW_AFTER_FAILED_CONNECT && st.connect_error.is_some() {
                // BSD cannot connect a socket whose connect failed (EINVAL): a fresh one,
                // watched anew, makes the new attempt (rule 33, Q4).
                if let (Some(token), Ok(r)) = (st.token.take(), reactor()) {
                    r.deregister(&mut st.os, token);
                }
                if let Err(e) = st.os.renew(self.h.core.v6) {
                    return Step::Done(Err(map(&e)));
                }
            }
            match st.os.connect(addr) {
                Ok(done) => {
                    st.bound = true;
                    // Completion shows as writability: watch it while connecting.
                    if st.token.is_none() {
                        st.write_interest = !done;
                    }
                    if let Err(e) = watch(&self.h.core, st) {
                        return Step::Done(Err(e));
                    }
                    st.want_writable(!done);
                    if done {
                        st.connected();
                        Step::Done(Ok(()))
                    } else {
                        st.conn = Conn::Connecting;
                        Step::Block(Dir::Write)
                    }
                }
                Err(e) => {
                    let code = map(&e).code();
                    if !is_async_connect_error(code) {
                        return Step::Done(err(code));
                    }
                    // A network failure known at once: reported like a later one.
                    st.connect_failed(code);
                    if st.nonblocking {
                        Step::Done(err(WSAEWOULDBLOCK))
                    } else {
                        Step::Done(err(code))
                    }
                }
            }
        })
    }

    /// `accept`: a connected socket that inherits this listener's event, mask and
    /// non-blocking mode, starts with FD_WRITE, and records FD_READ for data already queued
    /// (rule 36, D.10, Q3). Re-enables FD_ACCEPT here, recording it again at once if
    /// another connection is pending (rule 25).
    pub fn accept(&self) -> Result<(Socket, SocketAddr)> {
        self.op(|st| {
            if st.conn != Conn::Listening {
                return Step::Done(err(WSAEINVAL));
            }
            match st.os.accept() {
                Ok((os, addr)) => {
                    let more = st.os.readable_now();
                    st.record.reenable(Fd::ACCEPT, more);
                    Step::Done(self.adopt(st, os).map(|s| (s, addr)))
                }
                Err(e) if would_block(&e) => {
                    st.record.reenable(Fd::ACCEPT, false);
                    Step::Block(Dir::Read)
                }
                Err(e) => {
                    // accept re-enables FD_ACCEPT whatever its outcome (rule 25): a
                    // failure (WSAEMFILE, WSAENOBUFS, …) with a connection still queued
                    // records it again, or it would never be announced.
                    let more = st.os.readable_now();
                    st.record.reenable(Fd::ACCEPT, more);
                    Step::Done(Err(map(&e)))
                }
            }
        })
    }

    /// Builds the accepted socket from the listener's state.
    fn adopt(&self, listener: &State, os: OsSocket) -> Result<Socket> {
        let mut st = State::new(os);
        st.conn = Conn::Connected;
        st.bound = true;
        st.nonblocking = listener.nonblocking;
        st.oob_inline = st
            .os
            .sock()
            .and_then(|s| s.out_of_band_inline())
            .unwrap_or(false);
        st.record
            .select(listener.record.event(), listener.record.mask())
            .expect("the listener's selection is valid");
        let sock = Socket::from_state(true, self.h.core.v6, st);
        {
            let mut st = sock.h.core.state.lock();
            sock.watch(&mut st)?;
            st.record.arrive(Fd::WRITE, 0);
            let avail = st.os.bytes_available().unwrap_or(0);
            if avail > 0 {
                st.record.arrive(Fd::READ, 0);
            }
            st.last_avail = avail;
            // That look counts as an observation of the queue (see `reactor::PollSeq`).
            st.recv_stamp = reactor::poll_seq();
        }
        Ok(sock)
    }

    /// `recv(s, buf, len, 0)`. Returns 0 at end of stream.
    pub fn recv(&self, buf: &mut [u8]) -> Result<usize> {
        self.recv_with_flags(buf, MsgFlags::default())
    }

    /// `recv(s, buf, len, MSG_PEEK)`.
    pub fn peek(&self, buf: &mut [u8]) -> Result<usize> {
        self.recv_with_flags(
            buf,
            MsgFlags {
                peek: true,
                oob: false,
            },
        )
    }

    /// `recv(s, buf, len, MSG_OOB)`: urgent data.
    pub fn recv_oob(&self, buf: &mut [u8]) -> Result<usize> {
        self.recv_with_flags(
            buf,
            MsgFlags {
                peek: false,
                oob: true,
            },
        )
    }

    /// `recv(s, buf, len, flags)`. A re-enabling call for FD_READ (FD_OOB with `MSG_OOB`),
    /// also when peeking: if data remains afterwards, FD_READ is recorded again (rule 17).
    pub fn recv_with_flags(&self, buf: &mut [u8], flags: MsgFlags) -> Result<usize> {
        if !self.h.core.stream {
            return self.recv_dgram(buf, flags).map(|(n, _)| n);
        }
        let rf = RecvFlags {
            peek: flags.peek,
            oob: flags.oob,
        };
        self.op_timed(true, |st| {
            // Pending overlapped receives come first.
            st.serve_all_overlapped(true);
            st.settle_connect();
            if st.conn != Conn::Connected {
                return Step::Done(err(WSAENOTCONN));
            }
            if st.rd_shutdown {
                return Step::Done(err(WSAESHUTDOWN));
            }
            if let Some(code) = st.broken() {
                return Step::Done(err(code));
            }
            if flags.oob && st.oob_inline {
                return Step::Done(err(WSAEINVAL));
            }
            match st.os.recv(buf, rf) {
                Ok(n) => {
                    st.after_recv(flags, n, buf.len());
                    Step::Done(Ok(n))
                }
                Err(e) if would_block(&e) || (flags.oob && map(&e).code() == WSAEINVAL) => {
                    st.after_recv(flags, 0, buf.len());
                    Step::Block(Dir::Read)
                }
                Err(e) => Step::Done(Err(st.io_failed(&e))),
            }
        })
    }

    /// `recvfrom`. On a stream socket the address is the peer's.
    pub fn recv_from(&self, buf: &mut [u8]) -> Result<(usize, SocketAddr)> {
        self.recv_from_with_flags(buf, MsgFlags::default())
    }

    /// `recvfrom(s, buf, len, flags)`: with `MSG_PEEK` the datagram stays queued and its
    /// sender is still reported. On a stream socket the address is the peer's.
    pub fn recv_from_with_flags(
        &self,
        buf: &mut [u8],
        flags: MsgFlags,
    ) -> Result<(usize, SocketAddr)> {
        if self.h.core.stream {
            let n = self.recv_with_flags(buf, flags)?;
            return Ok((n, self.peer_addr()?));
        }
        let (n, addr) = self.recv_dgram(buf, flags)?;
        let addr = addr.ok_or_else(|| Error::from_code(WSAEINVAL))?;
        Ok((n, addr))
    }

    fn recv_dgram(&self, buf: &mut [u8], flags: MsgFlags) -> Result<(usize, Option<SocketAddr>)> {
        let rf = RecvFlags {
            peek: flags.peek,
            oob: false,
        };
        self.op_timed(true, |st| {
            if !st.bound {
                return Step::Done(err(WSAEINVAL));
            }
            // Pending overlapped receives come first.
            st.serve_all_overlapped(false);
            if flags.oob {
                return Step::Done(err(WSAEOPNOTSUPP));
            }
            if st.rd_shutdown {
                return Step::Done(err(WSAESHUTDOWN));
            }
            match st.os.recv_from(buf, rf) {
                Ok((n, truncated, addr)) => {
                    st.after_dgram_recv(flags.peek);
                    if truncated {
                        // Windows fills the buffer and fails the call (WSAEMSGSIZE).
                        Step::Done(err(WSAEMSGSIZE))
                    } else {
                        Step::Done(Ok((n, addr)))
                    }
                }
                Err(e) if would_block(&e) => {
                    st.record.reenable(Fd::READ, false);
                    Step::Block(Dir::Read)
                }
                Err(e) => Step::Done(err(st.dgram_recv_failed(&e))),
            }
        })
    }

    /// `send(s, buf, len, 0)`. In blocking mode sends everything. In non-blocking mode, a
    /// send that cannot complete fails with WSAEWOULDBLOCK (or returns the part sent), and
    /// FD_WRITE is recorded when room comes back (rules 29 iii, 30). A successful send does
    /// not clear a recorded FD_WRITE (rule 30).
    pub fn send(&self, buf: &[u8]) -> Result<usize> {
        self.send_impl(buf, false, None)
    }

    /// `send(s, buf, len, MSG_OOB)`: urgent data.
    pub fn send_oob(&self, buf: &[u8]) -> Result<usize> {
        self.send_impl(buf, true, None)
    }

    /// `sendto`. On an unbound UDP socket the OS binds implicitly; the socket is then
    /// watched and records FD_WRITE as after `bind`. On a stream socket `addr` is ignored.
    pub fn send_to(&self, buf: &[u8], addr: SocketAddr) -> Result<usize> {
        if self.h.core.stream {
            return self.send(buf);
        }
        self.send_impl(buf, false, Some(addr))
    }

    fn send_impl(&self, buf: &[u8], oob: bool, to: Option<SocketAddr>) -> Result<usize> {
        if let Some(addr) = to {
            check_remote(addr)?;
        }
        let mut sent = 0usize;
        self.op_timed(true, |st| {
            if st.wr_shutdown {
                return Step::Done(err(WSAESHUTDOWN));
            }
            // Pending overlapped sends go first.
            st.serve_all_overlapped(self.h.core.stream);
            if self.h.core.stream || to.is_none() {
                st.settle_connect();
                if st.conn != Conn::Connected {
                    return Step::Done(err(WSAENOTCONN));
                }
                if let Some(code) = st.broken() {
                    return Step::Done(err(code));
                }
            }
            loop {
                let r = match to {
                    Some(addr) => st.os.send_to(&buf[sent..], addr),
                    None => st.os.send(&buf[sent..], oob),
                };
                match r {
                    Ok(n) => {
                        sent += n;
                        if !self.h.core.stream || sent >= buf.len() {
                            break;
                        }
                    }
                    Err(e) if would_block(&e) => break,
                    Err(e) if sent > 0 => {
                        let _ = e;
                        break;
                    }
                    Err(e) => {
                        let e = st.io_failed(&e);
                        let code = match e.code() {
                            WSAECONNREFUSED if !self.h.core.stream => WSAECONNRESET,
                            c => c,
                        };
                        return Step::Done(err(code));
                    }
                }
            }
            if to.is_some() && !st.bound {
                // The implicit bind of a first sendto.
                st.bound = true;
                if let Err(e) = watch(&self.h.core, st) {
                    return Step::Done(Err(e));
                }
                st.record.arrive(Fd::WRITE, 0);
            }
            if sent >= buf.len() {
                if st.write_interest && !st.write_blocked && st.conn != Conn::Connecting {
                    // A blocking send that waited for room is done waiting.
                    st.want_writable(false);
                }
                return Step::Done(Ok(sent));
            }
            // Room coming back shows as writability: watch it until then.
            st.want_writable(true);
            if st.nonblocking {
                // A send that could not complete: FD_WRITE again once there is room.
                st.write_blocked = true;
                st.record.reenable(Fd::WRITE, false);
                if sent > 0 {
                    return Step::Done(Ok(sent));
                }
            }
            Step::Block(Dir::Write)
        })
    }

    /// `shutdown`. `Read` (SD_RECEIVE) is emulated: later `recv` calls fail WSAESHUTDOWN
    /// and nothing reaches the wire. `Write` (SD_SEND) sends the FIN; later sends fail
    /// WSAESHUTDOWN. No local shutdown records an event or cancels the selection (rule 41).
    /// On an unconnected or listening TCP socket: WSAENOTCONN.
    pub fn shutdown(&self, how: Shutdown) -> Result<()> {
        let mut st = self.lock()?;
        if self.h.core.stream && st.conn != Conn::Connected {
            return err(WSAENOTCONN);
        }
        if matches!(how, Shutdown::Read | Shutdown::Both) {
            st.rd_shutdown = true;
        }
        if matches!(how, Shutdown::Write | Shutdown::Both) {
            if !st.wr_shutdown && st.broken().is_none() {
                let _ = st.os.shutdown_write();
            }
            st.wr_shutdown = true;
        }
        Ok(())
    }

    /// `closesocket`: closes the socket now, for every clone: the selection is cancelled
    /// and the event left as it is (rule 43); the OS socket is closed at once, so the peer
    /// sees the FIN (a RST with `SO_LINGER {1, 0}`) and a listener refuses new connections;
    /// calls blocked in this socket on other threads fail with `WSAEINTR`; later calls
    /// through any clone (and a second `close`) fail with `WSAENOTSOCK`.
    pub fn close(&self) -> Result<()> {
        self.h.core.close()
    }

    /// How many threads are blocked in a call on this socket right now (for tests that
    /// must close a socket while a call is blocked in it).
    #[doc(hidden)]
    pub fn blocked_calls(&self) -> usize {
        self.h.core.state.lock().blocked
    }

    /// How many readiness reports the poller (or the simulated network) has handed to this
    /// socket so far: for tests of what a socket costs while nothing happens on it.
    #[doc(hidden)]
    pub fn readiness_reports(&self) -> u64 {
        self.h.core.state.lock().reports
    }

    /// `WSAEventSelect(s, event, mask)` (rules 1–7): replaces the selection without clearing
    /// the record, signals `event` at once if a recorded event is selected, and makes the
    /// socket non-blocking. `event_select(None, NetworkEvents::empty())` cancels; a
    /// non-empty mask without an event is WSAEINVAL.
    pub fn event_select<'a>(&self, event: impl Into<Option<&'a Event>>, mask: Fd) -> Result<()> {
        self.harvest();
        let mut st = self.lock()?;
        let event = event.into();
        if let Some(e) = event.filter(|_| !mask.is_empty()) {
            // An event belongs to one network (simulated, or the OS's).
            e.claim_network(st.os.network())?;
        }
        st.record.select(event, mask)?;
        st.nonblocking = true;
        st.rearm(self.h.core.stream);
        Ok(())
    }

    /// `WSAEnumNetworkEvents(s, reset, &out)` (rules 10–15): the recorded events that are
    /// selected, with their error codes, cleared from the record; `reset` (if any) is reset
    /// in the same atomic step. Entries of `error_code` for events not reported are zero
    /// here; use [`enum_network_events_into`](Self::enum_network_events_into) to keep the
    /// caller's values as Windows does (rule 13).
    pub fn enum_network_events(&self, reset: Option<&Event>) -> Result<NetworkEventRecord> {
        let mut out = NetworkEventRecord::default();
        self.enum_network_events_into(reset, &mut out)?;
        Ok(out)
    }

    /// `WSAEnumNetworkEvents` into a caller-owned record: only the entries of reported
    /// events are written (rule 13).
    pub fn enum_network_events_into(
        &self,
        reset: Option<&Event>,
        out: &mut NetworkEventRecord,
    ) -> Result<()> {
        self.harvest();
        let mut st = self.lock()?;
        st.record.enumerate_into(reset, out);
        if st.os.tracing() {
            let (got, codes) = (
                Fd::from_bits_truncate(out.network_events as u32),
                out.error_code,
            );
            st.os.trace(format_args!(
                "WSAEnumNetworkEvents = {}",
                fd_list(got, &codes)
            ));
        }
        st.rearm(self.h.core.stream);
        Ok(())
    }

    /// The selected mask (`M`) and the recorded, not yet enumerated events (`R`).
    pub fn selection(&self) -> Result<(Fd, Fd)> {
        self.harvest();
        let st = self.lock()?;
        Ok((st.record.mask(), st.record.recorded()))
    }

    /// `ioctlsocket(FIONBIO, nb)`. Going back to blocking fails with WSAEINVAL while events
    /// are selected (rule 4).
    pub fn set_nonblocking(&self, nonblocking: bool) -> Result<()> {
        let mut st = self.lock()?;
        if !nonblocking && !st.record.mask().is_empty() {
            return err(WSAEINVAL);
        }
        st.nonblocking = nonblocking;
        Ok(())
    }

    /// Whether the socket is in non-blocking mode.
    pub fn is_nonblocking(&self) -> Result<bool> {
        Ok(self.lock()?.nonblocking)
    }

    /// `ioctlsocket(FIONREAD)`: bytes that one `recv` can return.
    pub fn bytes_available(&self) -> Result<usize> {
        let st = self.lock()?;
        if self.h.core.stream && st.conn == Conn::Listening {
            return err(WSAEINVAL);
        }
        st.os.bytes_available().map_err(|e| map(&e))
    }

    /// `ioctlsocket(SIOCATMARK)`: `true` when no urgent data waits to be read with
    /// `MSG_OOB` (Windows' meaning). With OOB-inline, whether the next byte is not the
    /// urgent one.
    pub fn at_mark(&self) -> Result<bool> {
        let st = self.lock()?;
        if !self.h.core.stream {
            return err(WSAEINVAL);
        }
        if st.oob_inline {
            return st.os.at_mark().map(|m| !m).map_err(|e| map(&e));
        }
        Ok(!st.os.urgent_pending())
    }

    /// Records what the socket's network has ready (the OS poller's, or its simulated
    /// network's due items), before a call that observes network state.
    fn harvest(&self) {
        match &self.h.core.sim {
            Some(net) => net.harvest_ready(),
            None => reactor::harvest(),
        }
    }

    fn lock(&self) -> Result<crate::sync::MutexGuard<'_, State>> {
        let st = self.h.core.state.lock();
        if st.os.is_closed() {
            return err(WSAENOTSOCK);
        }
        Ok(st)
    }

    /// Runs `f` on the socket's completion-port link under its lock (`crate::iocp`);
    /// `WSAENOTSOCK` once closed.
    pub(crate) fn with_completion_link<R>(
        &self,
        f: impl FnOnce(&mut crate::iocp::Link) -> R,
    ) -> Result<R> {
        Ok(f(&mut self.lock()?.iocp))
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // The last clone: close, unless a `close` already did.
        let _ = self.core.close();
    }
}

impl Core {
    /// Closes the socket (see [`Socket::close`]): WSAENOTSOCK if it already is.
    fn close(&self) -> Result<()> {
        let mut st = self.state.lock();
        if st.os.is_closed() {
            return err(WSAENOTSOCK);
        }
        if let Some(token) = st.token.take() {
            if let Ok(r) = reactor() {
                r.deregister(&mut st.os, token);
            }
        }
        if let Some(mut w) = st.changes.take() {
            // Its pending overlapped notifications complete aborted, as the others below.
            w.abort(CancelFilter::All);
            if let Ok(r) = reactor() {
                r.deregister_with(w.token, |p| w.source.deregister(p));
            }
        }
        #[cfg(windows)]
        drop(st.urgent.take());
        // Pending overlapped operations complete aborted, once, and are never touched again.
        st.abort_overlapped(CancelFilter::All);
        // Closes the OS socket; the record and its reference to the event go with it.
        st.os = OsSocket::Closed;
        st.record = Record::default();
        // Blocked calls wake, find the socket closed and fail WSAEINTR (see `op`).
        st.poke_waiters();
        drop(st);
        // AcceptEx operations accepting into this socket complete aborted.
        mswsock::acceptor_closed(self);
        Ok(())
    }
}

impl fmt::Debug for Socket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.h.core.state.lock();
        f.debug_struct("Socket")
            .field("type", &self.socket_type())
            .field("family", &self.family())
            .field("state", &st.conn)
            .field("nonblocking", &st.nonblocking)
            .field("mask", &st.record.mask())
            .field("recorded", &st.record.recorded())
            .finish()
    }
}

/// Windows refuses to connect or send to the unspecified address or to port 0
/// (`WSAEADDRNOTAVAIL`); Linux would connect to the local host (issue 8 item 7).
fn check_remote(addr: SocketAddr) -> Result<()> {
    if addr.ip().is_unspecified() || addr.port() == 0 {
        return err(WSAEADDRNOTAVAIL);
    }
    Ok(())
}

fn watch(core: &Arc<Core>, st: &mut State) -> Result<()> {
    if st.token.is_some() {
        return Ok(());
    }
    let r = reactor().map_err(|e| map(&e))?;
    let src: Arc<dyn Source> = core.clone();
    let writable = st.write_interest;
    let token = r.register(&mut st.os, src, writable).map_err(|e| map(&e))?;
    st.token = Some(token);
    // Registering reports what is ready now: that readiness is no arrival.
    st.recv_stamp = reactor::poll_seq();
    Ok(())
}

impl State {
    fn new(os: OsSocket) -> State {
        State {
            os,
            record: Record::new(ArrivalModel::default_for_new_sockets()),
            conn: Conn::Unconnected,
            nonblocking: false,
            token: None,
            bound: false,
            write_blocked: false,
            close_recorded: false,
            reset: false,
            abort_error: None,
            rd_shutdown: false,
            wr_shutdown: false,
            connect_error: None,
            oob_inline: false,
            urgent_seen: false,
            urgent_mark: None,
            behind_mark: None,
            consumed: 0,
            rx_seen: 0,
            last_avail: 0,
            avail_unknown: false,
            recv_stamp: 0,
            write_interest: false,
            blocked: 0,
            changes: None,
            #[cfg(windows)]
            urgent: None,
            read_wait: None,
            write_wait: None,
            opts: SockOpts::default(),
            iocp: crate::iocp::Link::default(),
            ex: mswsock::ExState::default(),
            ov_read: VecDeque::new(),
            ov_write: VecDeque::new(),
            io_event: None,
            reports: 0,
        }
    }

    /// Watches writability or stops, when that changes. The OS reports a socket that is
    /// ready right away after the change, readable-only if it was not asked for
    /// writability: that readiness is no arrival, so the change counts as an observation
    /// (`recv_stamp`), and the next poll's readiness takes the counting path.
    fn want_writable(&mut self, on: bool) {
        if self.write_interest == on {
            return;
        }
        self.write_interest = on;
        if let (Some(token), Ok(r)) = (self.token, reactor()) {
            let _ = r.set_writable_interest(&mut self.os, token, on);
            self.recv_stamp = reactor::poll_seq();
        }
    }

    /// Only where the poller reports a readiness once, until a call would block
    /// (`sys::NEEDS_REARM`, mio on Windows): has it report again when the next arrival must
    /// be seen. That is when the socket is not readable now (the next arrival completes the
    /// poll), when writability is awaited, and on a connected stream whose FD_READ is not
    /// recorded even while data is queued: the poller then reports at once until a recv,
    /// and FIONREAD tells whether more arrived. A listener or a UDP socket always: its
    /// backend takes and counts the connections or datagrams, while it has room (Windows
    /// has no count of either; docs/semantics.md, Windows backend).
    fn rearm(&mut self, stream: bool) {
        if !sys::NEEDS_REARM {
            return;
        }
        let Some(token) = self.token else { return };
        #[cfg(windows)]
        self.watch_urgent(stream, token);
        let reading =
            stream && self.conn == Conn::Connected && !self.record.recorded().contains(Fd::READ);
        // A listener or UDP socket counts arrivals by taking them
        // (`OsSocket::collect_connections`, `collect_datagrams`).
        let counting = self.conn == Conn::Listening || !stream;
        let pending = !self.ov_read.is_empty();
        if self.write_interest || reading || counting || pending || !self.os.readable_now() {
            if let Ok(r) = reactor() {
                r.rearm(&mut self.os, token, self.write_interest);
            }
        }
    }

    /// Windows: starts the watch for urgent data arriving alone on a connected stream
    /// with `FD_OOB` selected (not in line), once.
    #[cfg(windows)]
    fn watch_urgent(&mut self, stream: bool, token: usize) {
        if self.urgent.is_some()
            || !stream
            || self.conn != Conn::Connected
            || self.oob_inline
            || !self.record.mask().contains(Fd::OOB)
        {
            return;
        }
        // An OS socket's (a simulated one reports urgent data itself).
        if let (Ok(r), Some(os)) = (reactor(), self.os.os_socket()) {
            self.urgent = r.with_poller(|p| sys::UrgentWatch::start(os, p, token).ok());
        }
    }

    /// No urgent data is pending: the next urgent byte must be reported (Windows'
    /// `UrgentWatch` is one-shot; elsewhere the poller reports it).
    fn urgent_gone(&mut self) {
        #[cfg(windows)]
        if let Some(w) = &self.urgent {
            let _ = w.rearm();
        }
    }

    fn wait_event(&mut self, dir: Dir) -> Event {
        let slot = match dir {
            Dir::Read => &mut self.read_wait,
            Dir::Write => &mut self.write_wait,
        };
        slot.get_or_insert_with(|| {
            // A blocking call's wait is for this socket's readiness: it reads the network
            // (the socket's own: a simulated one's runs on its clock).
            let ev = Event::new_manual(false);
            let _ = ev.claim_network(self.os.network());
            ev.mark_fed();
            ev
        })
        .clone()
    }

    /// On a simulated network, adds the bits recorded since `before` to its trace.
    fn trace_recorded(&self, before: Fd) {
        if !self.os.tracing() {
            return;
        }
        let new = self.record.recorded() - before;
        if !new.is_empty() {
            let mut codes = [0; 10];
            for (i, c) in codes.iter_mut().enumerate() {
                *c = self.record.error_code(i);
            }
            self.os
                .trace(format_args!("records {}", fd_list(new, &codes)));
        }
    }

    fn poke_waiters(&self) {
        for e in [&self.read_wait, &self.write_wait].into_iter().flatten() {
            e.set();
        }
    }

    /// The error recv/send fail with after an abortive close.
    fn broken(&self) -> Option<i32> {
        if self.reset {
            Some(WSAECONNRESET)
        } else {
            self.abort_error
        }
    }

    /// A connect the OS completed before its readiness reached the reactor (a level check,
    /// as `select`'s, can see it first; on Windows the completion readiness can lag it):
    /// completed here, as the reactor would, so a send or recv after it does not fail
    /// WSAENOTCONN.
    #[inline(always)]
    fn settle_connect(&mut self) {
        if self.conn == Conn::Connecting {
            self.settle_connecting();
        }
    }

    fn settle_connecting(&mut self) {
        if self.os.peer_addr().is_ok() && self.os.writable_now() {
            self.connected();
        }
    }

    /// A connect completed successfully: FD_CONNECT and FD_WRITE (rules 29 i, 33).
    fn connected(&mut self) {
        self.opts.error_set = None;
        self.conn = Conn::Connected;
        self.connect_error = None;
        self.want_writable(self.write_blocked);
        self.record.arrive(Fd::CONNECT | Fd::WRITE, 0);
    }

    /// A connect failed: FD_CONNECT with the error, no FD_WRITE (rule 33).
    fn connect_failed(&mut self, code: i32) {
        self.opts.error_set = None;
        self.conn = Conn::Unconnected;
        self.connect_error = Some(code);
        self.want_writable(false);
        self.record.arrive(Fd::CONNECT, code);
    }

    /// A RST seen by a call: FD_CLOSE with WSAECONNABORTED if not recorded yet (rule 39).
    fn on_reset(&mut self) {
        self.opts.error_set = None;
        self.reset = true;
        if !self.close_recorded {
            self.close_recorded = true;
            self.record.arrive(Fd::CLOSE, WSAECONNABORTED);
        }
    }

    /// Maps a failed recv/send, noting a reset.
    fn io_failed(&mut self, e: &io::Error) -> Error {
        let err = map(e);
        if err.code() == WSAECONNRESET && self.conn == Conn::Connected {
            if self.fin_then_reset() {
                return Error::from_code(WSAECONNABORTED);
            }
            self.on_reset();
        }
        err
    }

    /// A RST after the peer's FIN (typically drawn by sending to a peer that closed):
    /// no second FD_CLOSE (rule 40, Q2), but recv and send fail WSAECONNABORTED from now
    /// on (T:9633-9649). Returns whether this applied (FD_CLOSE was recorded for a FIN).
    fn fin_then_reset(&mut self) -> bool {
        if !self.close_recorded || self.reset {
            return false;
        }
        self.abort_error.get_or_insert(WSAECONNABORTED);
        true
    }

    /// The re-enabling rule of a datagram receive (rule 16, D.6), for `recvfrom` and an
    /// overlapped datagram receive alike: a datagram taken (not peeked) stamps the socket,
    /// and FD_READ is re-enabled if another is queued.
    fn after_dgram_recv(&mut self, peek: bool) {
        if !peek {
            // A datagram was consumed (see `reactor::PollSeq`).
            self.recv_stamp = reactor::poll_seq();
        }
        let more = self.os.readable_now();
        self.record.reenable(Fd::READ, more);
    }

    /// A datagram receive that failed (not WSAEWOULDBLOCK): FD_READ is re-enabled if
    /// datagrams are still queued, and the code is Windows' (an ICMP port-unreachable is
    /// WSAECONNRESET, rule 46).
    fn dgram_recv_failed(&mut self, e: &io::Error) -> i32 {
        let more = self.os.readable_now();
        self.record.reenable(Fd::READ, more);
        match map(e).code() {
            WSAECONNREFUSED => WSAECONNRESET,
            c => c,
        }
    }

    /// The re-enabling rule of a stream recv (rules 17, 22) with the level re-check (D.6).
    /// `n` is what the call returned (0 for WSAEWOULDBLOCK).
    fn after_recv(&mut self, flags: MsgFlags, n: usize, len: usize) {
        if !flags.peek && n > 0 {
            // Read after the system call: see `reactor::PollSeq`.
            self.recv_stamp = reactor::poll_seq();
        }
        if !flags.peek && !flags.oob {
            self.consumed += n as u64;
        }
        if flags.oob {
            let more = self.os.urgent_pending();
            self.record.reenable(Fd::OOB, more);
            // (A simulated socket counts urgent arrivals instead: `urgent_arrivals_counted`.)
            if !more && !cfg!(target_os = "linux") && !self.os.windows_urgent() {
                // What was pending is read: the next urgent byte is new.
                self.urgent_mark = None;
                self.urgent_gone();
            }
            if self.urgent_mode() {
                // Keep the arrival count current; data that came meanwhile is an arrival.
                let (data, _) = self.urgent_arrivals();
                if data && self.os.normal_readable() {
                    self.record.arrive(Fd::READ, 0);
                }
            }
            return;
        }
        if self.urgent_mode() {
            let (_, urgent) = self.urgent_arrivals();
            if urgent {
                self.record.arrive(Fd::OOB, 0);
            }
            let more = if flags.peek && len > 0 {
                n > 0
            } else {
                self.os.normal_readable()
            };
            self.record.reenable(Fd::READ, more);
            return;
        }
        let avail = if len == 0 {
            // A zero-length read proves nothing about the queue: look (rule 17).
            Some(self.os.bytes_available().unwrap_or(0))
        } else if flags.peek {
            None
        } else if n == 0 || (n < len && !self.urgent_seen) {
            // A short read emptied the queue: no level check needed.
            Some(0)
        } else {
            Some(self.os.bytes_available().unwrap_or(0))
        };
        let more = match avail {
            None => n > 0,
            Some(a) => {
                self.last_avail = a;
                self.avail_unknown = false;
                a > 0
            }
        };
        self.record.reenable(Fd::READ, more);
    }

    /// Readiness on a connected stream socket. `fresh`: no consuming call can have made
    /// it stale (`reactor::PollSeq`).
    fn stream_ready(&mut self, r: Readiness, fresh: bool) {
        if (r.error || r.read_closed) && !self.close_recorded {
            // FIN or RST? The backend tells (SO_ERROR on Unix), once; the answer is kept
            // (section D, gap 2).
            let code = match self.os.close_error() {
                Ok(Some(e)) => match map(&e).code() {
                    WSAECONNRESET => {
                        self.reset = true;
                        Some(WSAECONNABORTED)
                    }
                    c => {
                        self.abort_error = Some(c);
                        Some(c)
                    }
                },
                _ if r.read_closed => Some(0),
                _ => None,
            };
            if let Some(code) = code {
                self.close_recorded = true;
                self.record.arrive(Fd::CLOSE, code);
            }
        } else if r.error && self.abort_error.is_none() && !self.reset {
            if let Ok(Some(e)) = self.os.take_error() {
                if map(&e).code() == WSAECONNRESET {
                    self.fin_then_reset();
                } else {
                    self.abort_error = Some(map(&e).code());
                }
            }
        }
        if self.reset {
            // After a RST only FD_CLOSE is recorded (rule 39).
            return;
        }
        let urgent_edge = if cfg!(any(target_os = "linux", target_os = "android")) {
            r.priority
        } else {
            r.readable
        };
        if urgent_edge && !self.urgent_seen && !self.oob_inline && self.os.urgent_pending() {
            // The first urgent byte. Up to here FIONREAD counted everything: what was
            // accounted for is what was read plus what was queued at the last look.
            self.urgent_seen = true;
            let before = if self.avail_unknown {
                self.avail_unknown = false;
                self.os.bytes_available().unwrap_or(0)
            } else {
                self.last_avail
            };
            self.rx_seen = self.consumed + before as u64;
        }
        if self.urgent_mode() {
            let (data, urgent) = self.urgent_arrivals();
            if data && self.os.normal_readable() {
                self.record.arrive(Fd::READ, 0);
            }
            if urgent {
                self.record.arrive(Fd::OOB, 0);
            }
        } else {
            if r.readable {
                if fresh && data_arrival(r) {
                    // New bytes, and none of them consumed yet: no need to count them.
                    self.record.arrive(Fd::READ, 0);
                    self.avail_unknown = true;
                } else if let Ok(avail) = self.os.bytes_available() {
                    if self.avail_unknown {
                        // Count unknown since the last arrival: take the level as the new
                        // base rather than guess whether this edge brought more.
                        self.avail_unknown = false;
                    } else if avail > self.last_avail {
                        self.record.arrive(Fd::READ, 0);
                    }
                    self.last_avail = avail;
                }
            }
            if self.urgent_seen && !self.oob_inline && self.urgent_arrivals().1 {
                self.record.arrive(Fd::OOB, 0);
            }
        }
        self.writable_edge(r);
    }

    /// Linux, after urgent data was seen (not in line): arrivals are told by the
    /// connection's received-bytes count and the urgent mark's identity, not by FIONREAD.
    #[inline(always)]
    fn urgent_mode(&self) -> bool {
        cfg!(target_os = "linux")
            && self.urgent_seen
            && !self.oob_inline
            && !self.os.windows_urgent()
    }

    /// Where the backend keeps urgent bytes as Windows does (out of the stream, one by
    /// one: the simulated network), FIONREAD tells the data, and an urgent byte is new
    /// when the count of urgent bytes received grew (rule 22: each records FD_OOB).
    fn urgent_arrivals_counted(&mut self) -> (bool, bool) {
        let n = self.os.urgent_count();
        let new = n > self.urgent_mark.unwrap_or(0);
        self.urgent_mark = Some(n);
        (false, new)
    }

    /// What arrived since the last look, as (new normal data, a new urgent byte). An urgent
    /// byte is new when one is pending now and none was, or its position moved (the OS
    /// keeps only the latest urgent byte, rule 22), or, with the mark at the read pointer,
    /// when Linux swapped the unread old byte for it (it drops the old one: more bytes
    /// arrived than now queue behind the mark). A readable, writable or priority edge
    /// alone, with nothing new, gives nothing (rules 16, 21, 23).
    #[cfg(target_os = "linux")]
    fn urgent_arrivals(&mut self) -> (bool, bool) {
        const BEHIND_CAP: usize = 64 * 1024;
        if self.os.windows_urgent() {
            return self.urgent_arrivals_counted();
        }
        // A FIN is in the count (1); one seen before the count is read is taken off. One
        // arriving in between is counted once too many, and taken off at the next look.
        let fin = !self.reset && self.abort_error.is_none() && self.os.closed_now();
        let arrived = match self.os.bytes_received() {
            Ok(rx) => {
                let rx = rx.saturating_sub(u64::from(fin));
                let new = rx.saturating_sub(self.rx_seen);
                self.rx_seen = rx;
                new
            }
            // No count (Linux before 4.1): no arrival behind the mark is seen.
            Err(_) => 0,
        };
        let pending = self.os.urgent_pending();
        let (mark, behind) = if pending {
            let dist = self.os.bytes_available().unwrap_or(0);
            let behind = (dist == 0)
                .then(|| self.os.peek_count(BEHIND_CAP))
                .filter(|&b| b < BEHIND_CAP);
            (Some(self.consumed + dist as u64), behind)
        } else {
            (None, None)
        };
        let mut urgent = pending && mark != self.urgent_mark;
        if let (false, true, Some(now), Some(before)) = (urgent, pending, behind, self.behind_mark)
        {
            urgent = arrived > now.saturating_sub(before) as u64;
        }
        self.urgent_mark = mark;
        self.behind_mark = behind;
        (arrived > u64::from(urgent), urgent)
    }

    /// Elsewhere the urgent byte is out of the stream and FIONREAD tells the data: an
    /// urgent byte is new when one is pending now and none was.
    #[cfg(not(target_os = "linux"))]
    fn urgent_arrivals(&mut self) -> (bool, bool) {
        if self.os.windows_urgent() {
            return self.urgent_arrivals_counted();
        }
        let pending = self.os.urgent_pending();
        let urgent = pending && self.urgent_mark.is_none();
        self.urgent_mark = pending.then_some(0);
        if !pending {
            self.urgent_gone();
        }
        (false, urgent)
    }

    fn writable_edge(&mut self, r: Readiness) {
        if r.writable && self.write_blocked && self.os.writable_now() {
            self.write_blocked = false;
            self.want_writable(false);
            self.record.arrive(Fd::WRITE, 0);
        }
    }
}

/// Whether a readiness can only come from the arrival of data: readable with no
/// write-space, hang-up or error bit (those come from other wake-ups, which report
/// readable again while unread data waits). epoll only; kqueue is not relied on for this.
fn data_arrival(r: Readiness) -> bool {
    cfg!(any(target_os = "linux", target_os = "android"))
        && r.readable
        && !r.writable
        && !r.read_closed
        && !r.error
        && !r.priority
}

impl Source for Core {
    fn on_ready(&self, r: Readiness, poll: reactor::PollSeq) {
        let mut st = self.state.lock();
        if st.os.is_closed() {
            return;
        }
        st.reports += 1;
        // Pending overlapped operations take what arrived first (rule 19): data they consume
        // is never recorded, since they stamp the socket as a recv does.
        let drained = st.serve_overlapped(self.stream, r);
        // If they emptied the queue, this readable edge has no news left: data arriving
        // after their look is a new edge (epoll and kqueue report every arrival), so it
        // needs no count now (one FIONREAD saved per served receive). Not where the poller
        // reports a readiness once (`sys::NEEDS_REARM`), nor where the readable edge also
        // carries urgent data (kqueue).
        let r = if drained
            && !sys::NEEDS_REARM
            && cfg!(any(target_os = "linux", target_os = "android"))
        {
            Readiness {
                readable: false,
                ..r
            }
        } else {
            r
        };
        let fresh = poll.fresh_after(st.recv_stamp);
        let before = st.os.tracing().then(|| st.record.recorded());
        match st.conn {
            // A new connection; a stale edge (already accepted) records nothing.
            Conn::Listening if r.readable => {
                let new = match st.os.collect_connections() {
                    Some(n) => n > 0,
                    None => st.os.readable_now(),
                };
                if new {
                    st.record.arrive(Fd::ACCEPT, 0);
                }
            }
            Conn::Connecting if r.writable || r.error || r.read_closed => {
                match st.os.take_error() {
                    Ok(Some(e)) | Err(e) => {
                        let code = map(&e).code();
                        st.connect_failed(code);
                    }
                    // Windows: a RST answering the attempt leaves SO_ERROR 0, as after any
                    // RST (rule 39), and reports an abort: the attempt was refused.
                    // Without this the socket stayed connecting, re-armed for ever.
                    Ok(None)
                        if sys::NEEDS_REARM
                            && (r.read_closed || r.error)
                            && st.os.peer_addr().is_err() =>
                    {
                        st.connect_failed(WSAECONNREFUSED);
                    }
                    Ok(None) => {
                        if st.os.peer_addr().is_ok() {
                            st.connected();
                            // `r` may be older than this attempt (another thread polled
                            // it before an earlier, failed attempt's state was reset):
                            // its HUP/ERR would be a false FD_CLOSE. Take the level now.
                            let closed = st.os.closed_now();
                            st.stream_ready(
                                Readiness {
                                    writable: false,
                                    error: closed,
                                    read_closed: closed,
                                    ..r
                                },
                                false,
                            );
                        }
                    }
                }
            }
            Conn::Connected if self.stream => st.stream_ready(r, fresh),
            _ if !self.stream && st.bound => {
                // A fresh data edge is a new datagram; otherwise look.
                if r.readable {
                    let new = match st.os.collect_datagrams() {
                        Some(n) => n > 0,
                        None => (fresh && data_arrival(r)) || st.os.readable_now(),
                    };
                    if new {
                        st.record.arrive(Fd::READ, 0);
                    }
                }
                st.writable_edge(r);
            }
            _ => {}
        }
        if let Some(before) = before {
            st.trace_recorded(before);
        }
        st.rearm(self.stream);
        st.poke_waiters();
    }
}

/// `FD_READ(0) FD_CLOSE(10053)`: bits with their error codes, for the simulated trace.
fn fd_list(bits: Fd, codes: &[i32; 10]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (name, b) in bits.iter_names() {
        let i = b.bits().trailing_zeros() as usize;
        let _ = write!(
            out,
            "{}FD_{name}({})",
            if out.is_empty() { "" } else { " " },
            codes[i]
        );
    }
    if out.is_empty() {
        out.push('-');
    }
    out
}
