//! I/O completion ports: [`CompletionPort`] (`CreateIoCompletionPort`,
//! `GetQueuedCompletionStatus(Ex)`, `PostQueuedCompletionStatus`, `CloseHandle`) and the
//! per-socket link that overlapped operations complete through (the port and key a socket
//! is associated with, and its `SetFileCompletionNotificationModes` flags).
//!
//! A port is a queue of [`Packet`]s in user space. What Windows does and this module does:
//!
//! * Packets are dequeued **first in, first out**; waiting threads are woken **last in,
//!   first out** (the thread that waited last gets the next packet: Microsoft, "I/O
//!   Completion Ports": "threads that block their execution on an I/O completion port are
//!   released in last-in-first-out (LIFO) order"). A packet posted while threads wait is
//!   handed to the most recent waiter directly, so every packet is dequeued exactly once.
//! * A thread that waits on a port also reads the OS poller when no other thread does (the
//!   crate has no background thread, see [`crate::event`]): pending overlapped operations
//!   complete while worker threads sit in [`CompletionPort::get`].
//! * `NumberOfConcurrentThreads` is accepted and reported, not enforced: Windows counts the
//!   port's threads that are running (not blocked in the kernel) and holds packets back
//!   while that count is at the limit; user space cannot tell when a thread blocks, so every
//!   waiting thread may be woken (docs/semantics.md, "Completion ports").
//! * Closing the port (`CloseHandle`) wakes its waiters with `ERROR_ABANDONED_WAIT_0` (735),
//!   drops queued packets, and later calls on the handle fail with `ERROR_INVALID_HANDLE`;
//!   operations still pending on its sockets complete into nothing, as on Windows where the
//!   port object is unreachable once its last handle is closed.
//!
//! ```
//! use std::time::Duration;
//! use wsaevents::iocp::CompletionPort;
//!
//! let port = CompletionPort::new(0);                  // CreateIoCompletionPort(INVALID_HANDLE_VALUE, ..)
//! port.post(5, 42, 0x1000)?;                          // PostQueuedCompletionStatus
//! let p = port.get(Some(Duration::from_secs(5)))?.unwrap(); // GetQueuedCompletionStatus
//! assert_eq!((p.bytes, p.key, p.overlapped, p.status), (5, 42, 0x1000, 0));
//! assert!(port.get(Some(Duration::ZERO))?.is_none()); // WAIT_TIMEOUT
//! # Ok::<(), wsaevents::Error>(())
//! ```

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use crate::error::{Error, Result, WSA_INVALID_HANDLE, WSA_INVALID_PARAMETER};
use crate::event::Event;
use crate::socket::Socket;
use crate::sync::{Arc, Mutex};

/// `ERROR_ABANDONED_WAIT_0` (735): the port was closed while the thread waited on it.
pub const ERROR_ABANDONED_WAIT_0: i32 = 735;
/// `WAIT_TIMEOUT` (258): the last error of a `GetQueuedCompletionStatus(Ex)` that timed out.
pub const WAIT_TIMEOUT: i32 = 258;
/// `FILE_SKIP_COMPLETION_PORT_ON_SUCCESS` (1): an operation that succeeds at once queues no
/// packet (its caller already has the result).
pub const FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: u8 = 0x1;
/// `FILE_SKIP_SET_EVENT_ON_HANDLE` (2): completing an operation does not signal the socket
/// handle itself (the event in the `OVERLAPPED`, if any, is still signalled).
pub const FILE_SKIP_SET_EVENT_ON_HANDLE: u8 = 0x2;
/// `FILE_SKIP_SET_USER_EVENT_ON_FAST_IO` (4): accepted and kept; there is no "fast I/O"
/// path here, so it changes nothing.
pub const FILE_SKIP_SET_USER_EVENT_ON_FAST_IO: u8 = 0x4;

/// One completion packet: what `GetQueuedCompletionStatus` returns through its out-pointers
/// (and `GetQueuedCompletionStatusEx` in an `OVERLAPPED_ENTRY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Packet {
    /// `*lpNumberOfBytesTransferred` / `dwNumberOfBytesTransferred`.
    pub bytes: u32,
    /// `*lpCompletionKey`: the key of the socket's association, or the posted key.
    pub key: usize,
    /// `*lpOverlapped`: the operation's `OVERLAPPED` address, or the posted value.
    pub overlapped: usize,
    /// The operation's final `NTSTATUS` (`OVERLAPPED.Internal`; `OVERLAPPED_ENTRY.Internal`):
    /// 0 for success and for posted packets. [`ntstatus_to_win32`] gives the error
    /// `GetQueuedCompletionStatus` reports for a failed operation.
    pub status: u32,
}

impl Packet {
    /// Whether `GetQueuedCompletionStatus` returns `TRUE` for this packet: the status is a
    /// success or an informational value (`NT_SUCCESS`: its top bit is clear).
    pub fn succeeded(&self) -> bool {
        self.status & 0x8000_0000 == 0
    }
}

/// `NTSTATUS` values the socket operations complete with.
pub mod status {
    /// `STATUS_SUCCESS`.
    pub const SUCCESS: u32 = 0;
    /// `STATUS_PENDING` (0x103): `OVERLAPPED.Internal` while an operation is in progress.
    pub const PENDING: u32 = 0x103;
    /// `STATUS_BUFFER_OVERFLOW`: a datagram was truncated (`ERROR_MORE_DATA`).
    pub const BUFFER_OVERFLOW: u32 = 0x8000_0005;
    /// `STATUS_BUFFER_TOO_SMALL`: `AcceptEx`'s local-address space is too small
    /// (`ERROR_INSUFFICIENT_BUFFER`).
    pub const BUFFER_TOO_SMALL: u32 = 0xC000_0023;
    /// `STATUS_IO_TIMEOUT` (`ERROR_SEM_TIMEOUT`).
    pub const IO_TIMEOUT: u32 = 0xC000_00B5;
    /// `STATUS_CANCELLED`: cancelled or its socket closed (`ERROR_OPERATION_ABORTED`).
    pub const CANCELLED: u32 = 0xC000_0120;
    /// `STATUS_CONNECTION_RESET` (`ERROR_NETNAME_DELETED`).
    pub const CONNECTION_RESET: u32 = 0xC000_020D;
    /// `STATUS_CONNECTION_REFUSED` (`ERROR_CONNECTION_REFUSED`).
    pub const CONNECTION_REFUSED: u32 = 0xC000_0236;
    /// `STATUS_NETWORK_UNREACHABLE` (`ERROR_NETWORK_UNREACHABLE`).
    pub const NETWORK_UNREACHABLE: u32 = 0xC000_023C;
    /// `STATUS_HOST_UNREACHABLE` (`ERROR_HOST_UNREACHABLE`).
    pub const HOST_UNREACHABLE: u32 = 0xC000_023D;
    /// `STATUS_CONNECTION_ABORTED` (`ERROR_CONNECTION_ABORTED`).
    pub const CONNECTION_ABORTED: u32 = 0xC000_0241;
}

/// `RtlNtStatusToDosError` for the statuses socket operations complete with: the error
/// `GetQueuedCompletionStatus` reports for a failed operation's packet (the overlapped
/// core's table, which `GetOverlappedResult` uses too: e.g. `STATUS_CANCELLED` →
/// `ERROR_OPERATION_ABORTED` 995, `STATUS_CONNECTION_RESET` → `ERROR_NETNAME_DELETED` 64,
/// `STATUS_CONNECTION_REFUSED` → `ERROR_CONNECTION_REFUSED` 1225,
/// `STATUS_BUFFER_TOO_SMALL` → `ERROR_INSUFFICIENT_BUFFER` 122).
pub fn ntstatus_to_win32(s: u32) -> i32 {
    crate::overlapped::win32_error_of_status(s as usize) as i32
}

/// An I/O completion port. Cloning gives another handle to the same port.
///
/// Each method names its Win32 call. Sockets are associated with
/// [`associate`](CompletionPort::associate); their overlapped operations then queue a
/// [`Packet`] here when they complete.
#[derive(Clone)]
pub struct CompletionPort {
    inner: Arc<Inner>,
}

struct Inner {
    concurrency: u32,
    state: Mutex<PortState>,
}

struct PortState {
    queue: VecDeque<Packet>,
    /// Threads waiting now, the most recent last (woken LIFO).
    waiters: Vec<(u64, Event)>,
    /// Packets handed to a woken waiter that has not picked them up yet.
    handed: Vec<(u64, Packet)>,
    next_waiter: u64,
    closed: bool,
    /// The network the port belongs to: `None` until decided, `Some(0)` once an OS socket
    /// is associated, `Some(id)` for a simulated network (the one it was created in, or
    /// of the first socket associated). A wait on the port runs on that network's clock and
    /// drives it; a socket of another network cannot be associated (see
    /// [`CompletionPort::associate`]).
    net: Option<u32>,
}

thread_local! {
    /// The event this thread sleeps on while it waits on a port (auto-reset, marked as fed
    /// so that the wait reads the OS poller when no other thread does), of the port's
    /// network (a simulated one's wait runs on its clock).
    static WAIT_EVENT: RefCell<Option<Event>> = const { RefCell::new(None) };
}

fn wait_event(net: u32) -> Event {
    WAIT_EVENT.with(|e| {
        let mut e = e.borrow_mut();
        if e.as_ref().is_some_and(|ev| ev.network() != net) {
            *e = None;
        }
        e.get_or_insert_with(|| {
            let ev = Event::new_real_time(false, false);
            let _ = ev.claim_network(net);
            ev.mark_fed();
            ev
        })
        .clone()
    })
}

/// Now on network `net`'s clock: virtual for a simulated network, else real.
fn now_on(net: u32) -> Instant {
    if net != 0 {
        if let Some(n) = crate::sys::sim::net_by_id(net) {
            return n.instant();
        }
    }
    Instant::now()
}

fn err<T>(code: i32) -> Result<T> {
    Err(Error::from_code(code))
}

impl CompletionPort {
    /// `CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, concurrency)`: a new, empty
    /// port. `concurrency` 0 means "as many threads as processors", as on Windows; the value
    /// is kept ([`concurrency`](Self::concurrency)) but not enforced (see the module).
    pub fn new(concurrency: u32) -> CompletionPort {
        CompletionPort::new_in(
            concurrency,
            match crate::sys::sim::current_id() {
                0 => None,
                n => Some(n),
            },
        )
    }

    /// A new port for `socket` (`CreateIoCompletionPort(socket, NULL, key, concurrency)`):
    /// of the socket's network, whatever the calling thread's.
    pub(crate) fn new_for(socket: &Socket, concurrency: u32) -> Result<CompletionPort> {
        Ok(CompletionPort::new_in(concurrency, Some(socket.network()?)))
    }

    fn new_in(concurrency: u32, net: Option<u32>) -> CompletionPort {
        let concurrency = if concurrency == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
        } else {
            concurrency
        };
        CompletionPort {
            inner: Arc::new(Inner {
                concurrency,
                state: Mutex::new(PortState {
                    queue: VecDeque::new(),
                    waiters: Vec::new(),
                    handed: Vec::new(),
                    next_waiter: 0,
                    closed: false,
                    net,
                }),
            }),
        }
    }

    /// The `NumberOfConcurrentThreads` the port was created with (0 became the number of
    /// processors).
    pub fn concurrency(&self) -> u32 {
        self.inner.concurrency
    }

    /// `CreateIoCompletionPort(socket, port, key, 0)`: associates `socket` with this port;
    /// its overlapped operations started from now on complete here with `key`. A socket
    /// already associated with a port (this one or another) is `ERROR_INVALID_PARAMETER`
    /// (87), as on Windows (the association cannot be changed); a closed socket is
    /// `WSAENOTSOCK`, a closed port `ERROR_INVALID_HANDLE`.
    ///
    /// A port belongs to one network (created on a simulated network's thread: that one;
    /// else the first associated socket's): a socket of another network, or an OS socket
    /// with a simulated network's port, is `ERROR_INVALID_PARAMETER` (87) too, so that a
    /// wait on the port never mixes virtual and real time (docs/simulation.md).
    pub fn associate(&self, socket: &Socket, key: usize) -> Result<()> {
        if self.is_closed() {
            return err(WSA_INVALID_HANDLE);
        }
        let net = socket.network()?;
        {
            let mut st = self.inner.state.lock();
            match st.net {
                None => st.net = Some(net),
                Some(n) if n == net => {}
                Some(_) => return err(WSA_INVALID_PARAMETER),
            }
        }
        socket.with_completion_link(|link| {
            if link.port.is_some() {
                return err(WSA_INVALID_PARAMETER);
            }
            link.port = Some((self.clone(), key));
            Ok(())
        })?
    }

    /// `PostQueuedCompletionStatus(port, bytes, key, overlapped)`: queues a packet with
    /// status 0 (any values; `overlapped` need not be an address). A closed port is
    /// `ERROR_INVALID_HANDLE`.
    pub fn post(&self, bytes: u32, key: usize, overlapped: usize) -> Result<()> {
        let packet = Packet {
            bytes,
            key,
            overlapped,
            status: status::SUCCESS,
        };
        if self.push(packet) {
            Ok(())
        } else {
            err(WSA_INVALID_HANDLE)
        }
    }

    /// Queues an operation's completion (`false` if the port is closed: dropped).
    pub(crate) fn complete(&self, packet: Packet) -> bool {
        self.push(packet)
    }

    fn push(&self, packet: Packet) -> bool {
        let mut st = self.inner.state.lock();
        if st.closed {
            return false;
        }
        match st.waiters.pop() {
            Some((id, ev)) => {
                st.handed.push((id, packet));
                drop(st);
                ev.set();
            }
            None => st.queue.push_back(packet),
        }
        true
    }

    /// `GetQueuedCompletionStatus(port, .., timeout)`: the oldest packet, waiting up to
    /// `timeout` (`None`: forever; `Some(ZERO)`: just test). `Ok(None)` is `WAIT_TIMEOUT`
    /// (`*lpOverlapped` NULL). A port closed before the call is `ERROR_INVALID_HANDLE`;
    /// closed during the wait, `ERROR_ABANDONED_WAIT_0` (735).
    ///
    /// A failed operation's packet is returned here like any other (`Ok(Some(p))` with
    /// `p.status` non-zero); the Win32 call returns `FALSE` for it with the overlapped
    /// pointer set and the last error [`ntstatus_to_win32`]`(p.status)`.
    pub fn get(&self, timeout: Option<Duration>) -> Result<Option<Packet>> {
        let mut one = [Packet::default()];
        Ok(match self.get_many(&mut one, timeout)? {
            0 => None,
            _ => Some(one[0]),
        })
    }

    /// `GetQueuedCompletionStatusEx(port, entries, count, &removed, timeout, FALSE)`: up to
    /// `out.len()` packets (at least one), their number returned; `Ok(0)` is `WAIT_TIMEOUT`.
    /// An empty `out` is `ERROR_INVALID_PARAMETER` (87). Errors otherwise as [`get`](Self::get).
    pub fn get_many(&self, out: &mut [Packet], timeout: Option<Duration>) -> Result<usize> {
        self.get_many_inner(out, timeout, false)
            .map(|r| r.unwrap_or(0))
    }

    /// `GetQueuedCompletionStatusEx(.., fAlertable = TRUE)`: as [`get_many`](Self::get_many),
    /// but if no packet comes and the calling thread has queued I/O completion routines or
    /// APCs, they run (on this thread) and the call returns `Ok(None)` (`WAIT_IO_COMPLETION`,
    /// 192). A packet takes priority over queued routines, as an object does in every
    /// alertable wait.
    pub fn get_many_alertable(
        &self,
        out: &mut [Packet],
        timeout: Option<Duration>,
    ) -> Result<Option<usize>> {
        self.get_many_inner(out, timeout, true)
    }

    fn get_many_inner(
        &self,
        out: &mut [Packet],
        timeout: Option<Duration>,
        alertable: bool,
    ) -> Result<Option<usize>> {
        let mut alerted = false;
        if out.is_empty() {
            return err(WSA_INVALID_PARAMETER);
        }
        // The port's clock: a simulated network's port waits in its virtual time.
        let net = self.inner.state.lock().net.unwrap_or(0);
        let deadline = timeout.map(|t| now_on(net).checked_add(t));
        let mut me: Option<(u64, Event)> = None;
        loop {
            {
                let mut st = self.inner.state.lock();
                let mut n = 0;
                if let Some((id, _)) = &me {
                    if let Some(i) = st.handed.iter().position(|(w, _)| w == id) {
                        out[0] = st.handed.swap_remove(i).1;
                        n = 1;
                        // Taken off the waiters' stack by the poster already.
                        me = None;
                    }
                }
                if me.is_none() || n > 0 {
                    // Not registered (first pass, or just handed one): take what is queued.
                    while n < out.len() {
                        match st.queue.pop_front() {
                            Some(p) => {
                                out[n] = p;
                                n += 1;
                            }
                            None => break,
                        }
                    }
                }
                if n > 0 {
                    return Ok(Some(n));
                }
                let unregister = |st: &mut PortState, me: &Option<(u64, Event)>| {
                    if let Some((id, _)) = me {
                        st.waiters.retain(|(w, _)| w != id);
                    }
                };
                if st.closed {
                    unregister(&mut st, &me);
                    return err(if me.is_some() {
                        ERROR_ABANDONED_WAIT_0
                    } else {
                        WSA_INVALID_HANDLE
                    });
                }
                if alerted {
                    unregister(&mut st, &me);
                    return Ok(None);
                }
                let now = now_on(net);
                let remaining = match deadline {
                    None | Some(None) => None,
                    Some(Some(d)) if d <= now => {
                        unregister(&mut st, &me);
                        return Ok(Some(0));
                    }
                    Some(Some(d)) => Some(d - now),
                };
                if me.is_none() {
                    let ev = wait_event(net);
                    ev.reset();
                    let id = st.next_waiter;
                    st.next_waiter += 1;
                    st.waiters.push((id, ev.clone()));
                    me = Some((id, ev));
                }
                drop(st);
                if let Some((_, ev)) = &me {
                    if alertable {
                        // The routines ran inside the wait; the next pass still prefers a
                        // packet handed over meanwhile.
                        alerted = crate::event::wait_any_alertable(&[ev], remaining)
                            .is_ok_and(|o| o == crate::event::WaitOutcome::IoCompletion);
                    } else {
                        ev.wait(remaining);
                    }
                }
            }
        }
    }

    /// `CloseHandle(port)`: wakes every waiter with `ERROR_ABANDONED_WAIT_0` and drops the
    /// queued packets; later calls fail `ERROR_INVALID_HANDLE`. Closing twice is harmless
    /// here (the handle table refuses the second `CloseHandle`).
    pub fn close(&self) {
        let waiters = {
            let mut st = self.inner.state.lock();
            st.closed = true;
            st.queue.clear();
            std::mem::take(&mut st.waiters)
        };
        for (_, ev) in waiters {
            ev.set();
        }
    }

    /// Whether the port was closed.
    pub fn is_closed(&self) -> bool {
        self.inner.state.lock().closed
    }

    /// Packets queued and not yet dequeued (for tests and diagnostics).
    pub fn queued(&self) -> usize {
        let st = self.inner.state.lock();
        st.queue.len() + st.handed.len()
    }

    /// Threads waiting on the port now.
    pub fn waiting(&self) -> usize {
        self.inner.state.lock().waiters.len()
    }

    /// Whether two handles name the same port.
    pub fn same_port(&self, other: &CompletionPort) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl fmt::Debug for CompletionPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.inner.state.lock();
        f.debug_struct("CompletionPort")
            .field("queued", &st.queue.len())
            .field("waiting", &st.waiters.len())
            .field("closed", &st.closed)
            .finish()
    }
}

/// A socket's completion link: the port and key it is associated with, and its
/// `SetFileCompletionNotificationModes` flags. Kept in the socket (see
/// `Socket::with_completion_link`).
#[derive(Clone, Default, Debug)]
pub struct Link {
    /// The associated port and the socket's key.
    pub port: Option<(CompletionPort, usize)>,
    /// `FILE_SKIP_COMPLETION_PORT_ON_SUCCESS` | `FILE_SKIP_SET_EVENT_ON_HANDLE`.
    pub modes: u8,
}

impl Link {
    /// Where an operation started now completes, given its `OVERLAPPED.hEvent` value: the
    /// port and key, unless the event's low bit is set ("a valid event handle whose low-order
    /// bit is set keeps I/O completion from being queued to a completion port", Microsoft,
    /// `GetQueuedCompletionStatus`).
    pub fn target(&self, h_event: usize) -> Option<(CompletionPort, usize)> {
        if h_event & 1 != 0 {
            return None;
        }
        self.port.clone()
    }

    /// Whether an operation that completed at once (the call returned success) still
    /// queues its packet.
    pub fn queue_on_success(&self) -> bool {
        self.modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS == 0
    }

    /// Whether completing an operation signals the socket handle itself.
    pub fn set_event_on_handle(&self) -> bool {
        self.modes & FILE_SKIP_SET_EVENT_ON_HANDLE == 0
    }
}

impl Socket {
    /// `SetFileCompletionNotificationModes(socket, flags)`: `flags` any combination of
    /// [`FILE_SKIP_COMPLETION_PORT_ON_SUCCESS`], [`FILE_SKIP_SET_EVENT_ON_HANDLE`] and
    /// [`FILE_SKIP_SET_USER_EVENT_ON_FAST_IO`] (other bits: `ERROR_INVALID_PARAMETER`, our
    /// choice: Wine accepts them, no Windows-run test checks). The modes cannot be turned off again on
    /// Windows; here as there, a later call adds flags. Works with or without an
    /// association.
    pub fn set_completion_notification_modes(&self, flags: u8) -> Result<()> {
        let known = FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
            | FILE_SKIP_SET_EVENT_ON_HANDLE
            | FILE_SKIP_SET_USER_EVENT_ON_FAST_IO;
        if flags & !known != 0 {
            return err(WSA_INVALID_PARAMETER);
        }
        self.with_completion_link(|link| link.modes |= flags)
    }

    /// The port and key the socket is associated with (`None` if it is not).
    pub fn completion_port(&self) -> Result<Option<(CompletionPort, usize)>> {
        self.with_completion_link(|link| link.port.clone())
    }

    /// The socket's completion link (port, key, modes).
    pub fn completion_link(&self) -> Result<Link> {
        self.with_completion_link(|link| link.clone())
    }
}

// ------------------------------------------------------------------------------------------
// Overlapped operations completing to a port

/// What the issuer and the port notifier of one operation share: whether the issuing call
/// has returned, and a packet that arrived before it did.
enum Issue {
    /// The issuing call is running: a completion now is either the synchronous one or one
    /// that raced the return; the issuer decides.
    Issuing(Option<Packet>),
    /// The call returned `WSA_IO_PENDING`: completions are posted directly.
    Pending,
}

/// The completion-port target of one operation (an [`overlapped::Notifier`]).
///
/// [`overlapped::Notifier`]: crate::overlapped::Notifier
struct PortNotifier {
    port: CompletionPort,
    key: usize,
    shared: Arc<Mutex<Issue>>,
}

impl crate::overlapped::Notifier for PortNotifier {
    fn notify(&mut self, op: &crate::overlapped::Overlapped, result: &crate::overlapped::OpResult) {
        let packet = Packet {
            bytes: u32::try_from(result.bytes).unwrap_or(u32::MAX),
            key: self.key,
            overlapped: op.tag(),
            status: result.status() as u32,
        };
        let mut g = self.shared.lock();
        match &mut *g {
            Issue::Issuing(slot) => *slot = Some(packet),
            Issue::Pending => {
                drop(g);
                self.port.complete(packet);
            }
        }
    }
}

/// The completion-port side of one operation being issued (see [`attach`]).
pub(crate) struct Ticket {
    target: Option<(Arc<Mutex<Issue>>, CompletionPort, bool)>,
}

/// Adds the completion-port packet to `op` (not issued yet) when `socket` is associated
/// with a port and `h_event`'s low bit is clear (see [`Link::target`]). The caller issues
/// the operation, then hands the result to [`Ticket::issued`], which applies
/// `FILE_SKIP_COMPLETION_PORT_ON_SUCCESS`: an operation that completed at once with success
/// then queues no packet. An operation that fails at once queues nothing (it never
/// completes).
pub(crate) fn attach(
    socket: &Socket,
    op: &crate::overlapped::Overlapped,
    h_event: usize,
) -> Result<Ticket> {
    let link = socket.completion_link()?;
    let target = link.target(h_event).map(|(port, key)| {
        let shared = Arc::new(Mutex::new(Issue::Issuing(None)));
        op.add_notify(crate::overlapped::Notify::Custom(Box::new(PortNotifier {
            port: port.clone(),
            key,
            shared: shared.clone(),
        })));
        (shared, port, link.queue_on_success())
    });
    Ok(Ticket { target })
}

impl Ticket {
    /// The issuing call returned `r` (`Ok(true)`: completed at once).
    pub(crate) fn issued(self, r: &Result<bool>) {
        let Some((shared, port, queue_on_success)) = self.target else {
            return;
        };
        let early = match std::mem::replace(&mut *shared.lock(), Issue::Pending) {
            Issue::Issuing(p) => p,
            Issue::Pending => None,
        };
        if let Some(p) = early {
            let skip = matches!(r, Ok(true)) && p.succeeded() && !queue_on_success;
            if !skip {
                port.complete(p);
            }
        }
    }
}

/// Issues an overlapped operation on `socket` with its completion-port packet (when the
/// socket is associated with a port and `h_event`'s low bit is clear; an operation that
/// succeeds at once queues none under `FILE_SKIP_COMPLETION_PORT_ON_SUCCESS`). Returns the operation and whether it completed at once (as
/// [`Socket::issue_overlapped`]).
pub fn issue(
    socket: &Socket,
    kind: crate::overlapped::OpKind,
    buffer: Box<dyn crate::overlapped::OpBuffer>,
    notify: Vec<crate::overlapped::Notify>,
    tag: usize,
    h_event: usize,
) -> Result<(crate::overlapped::Overlapped, bool)> {
    issue_prepared(socket, kind, buffer, notify, tag, h_event, |_| {})
}

/// [`issue`], running `prepare` on the operation before it is issued (the mswsock calls
/// register what the operation needs besides its buffer).
pub(crate) fn issue_prepared(
    socket: &Socket,
    kind: crate::overlapped::OpKind,
    buffer: Box<dyn crate::overlapped::OpBuffer>,
    notify: Vec<crate::overlapped::Notify>,
    tag: usize,
    h_event: usize,
    prepare: impl FnOnce(&crate::overlapped::Overlapped),
) -> Result<(crate::overlapped::Overlapped, bool)> {
    let op = crate::overlapped::Overlapped::new(kind, buffer, notify, tag);
    let ticket = attach(socket, &op, h_event)?;
    prepare(&op);
    let r = socket.issue_overlapped(&op);
    ticket.issued(&r);
    r.map(|done| (op, done))
}
