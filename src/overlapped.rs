//! Overlapped I/O: an operation started on a socket that completes later
//! (`WSARecv`/`WSASend`/`WSARecvFrom`/`WSASendTo` with a `WSAOVERLAPPED`), its result
//! (`WSAGetOverlappedResult`), and how its completion is announced: an [`Event`] set, a
//! completion routine queued to the issuing thread's APC queue, or any other
//! [`Notifier`] (the completion port builds on that).
//!
//! An operation lives in two places, as on Windows: the issuer holds its handle
//! ([`Overlapped`], what a `WSAOVERLAPPED` pointer is in C), and the socket holds it in its
//! queue of pending operations, in issue order, until it completes. Completion happens in
//! exactly one place, [`Overlapped::complete`]: the first call records the result, hands it
//! to the buffer ([`OpBuffer::complete`], where the C layer writes the caller's
//! `OVERLAPPED`), then announces it; any later call (a cancellation racing a completion, a
//! close after completion) does nothing. So no operation completes twice, and once complete
//! it is never touched again.
//!
//! The socket serves its pending operations (`socket/overlapped_io.rs`,
//! `State::serve_overlapped`) from the readiness handler and from every call that observes
//! data, first, through the same place that applies the re-enabling rules: a pending
//! receive is a re-enabling call. The full rules, with their sources: docs/semantics.md,
//! "Overlapped I/O".
//!
//! # State table
//!
//! | operation | pending | complete |
//! |---|---|---|
//! | issue, data ready at once | — | result recorded, notified at once (returns 0) |
//! | issue, nothing ready | queued on the socket, in issue order (`WSA_IO_PENDING`) | — |
//! | readiness / a later call | served in order: complete when data arrives (receive) or the whole buffer is taken (send) | untouched |
//! | `CancelIo`/`CancelIoEx`/`closesocket` | complete with `WSA_OPERATION_ABORTED` (995) | untouched (`ERROR_NOT_FOUND` for `CancelIoEx`) |
//! | `result()` (`WSAGetOverlappedResult`, fWait false) | `WSA_IO_INCOMPLETE` (996) | bytes, flags, or the error |
//! | `wait()` (fWait true) | drives the network until complete or timeout | returns at once |
//!
//! # Adding an operation kind
//!
//! [`OpKind`] lists the kinds and [`OpKind::direction`] says which readiness serves them;
//! the socket dispatches on the kind in `socket/overlapped_io.rs`: `State::check_op` (the
//! checks the call makes before it reaches the transport) and `State::attempt_op` (one
//! attempt). A new kind adds a variant, its direction and its arms there.

use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use crate::error::{Error, Result, WSA_IO_INCOMPLETE, WSA_OPERATION_ABORTED};
use crate::event::{ApcQueue, Event, WaitOutcome};
use crate::socket::MsgFlags;
use crate::sync::{Arc, Mutex};

/// `STATUS_PENDING`: `OVERLAPPED.Internal` while an operation is pending
/// (`HasOverlappedIoCompleted` is `Internal != STATUS_PENDING`).
pub const STATUS_PENDING: usize = 0x103;
/// `STATUS_CANCELLED`: `Internal` of an operation that was cancelled or whose socket closed.
pub const STATUS_CANCELLED: usize = 0xC000_0120;
/// `STATUS_CONNECTION_RESET`: `Internal` of a receive or send failed by a RST.
pub const STATUS_CONNECTION_RESET: usize = 0xC000_020D;

/// What an operation does. Kinds are added here (with their [`direction`](Self::direction))
/// and served in one place in the socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpKind {
    /// `WSARecv`: a stream or datagram receive.
    Recv(MsgFlags),
    /// `WSARecvFrom`: a receive that reports the sender.
    RecvFrom(MsgFlags),
    /// `WSASend` (`oob`: `MSG_OOB`).
    Send {
        /// `MSG_OOB`.
        oob: bool,
    },
    /// `WSASendTo`.
    SendTo(SocketAddr),
    /// A `WSAIoctl` that completes at a notification (`SIO_ADDRESS_LIST_CHANGE`,
    /// `SIO_ROUTING_INTERFACE_CHANGE`: the code): held by the socket's change watch
    /// (`change.rs`), not by its read and write queues.
    Notify(u32),
    /// `AcceptEx`, on the listening socket (`socket/mswsock.rs`).
    Accept,
    /// `ConnectEx` to this address, then its optional send (`socket/mswsock.rs`).
    Connect(SocketAddr),
    /// `DisconnectEx` (`socket/mswsock.rs`).
    Disconnect,
}

/// Which readiness serves an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Readable: receives (and, for the completion-port helper, accepts).
    Read,
    /// Writable: sends (and connects).
    Write,
}

impl OpKind {
    /// Which readiness serves this kind.
    pub fn direction(self) -> Direction {
        match self {
            OpKind::Recv(_) | OpKind::RecvFrom(_) | OpKind::Notify(_) | OpKind::Accept => {
                Direction::Read
            }
            OpKind::Send { .. } | OpKind::SendTo(_) | OpKind::Connect(_) | OpKind::Disconnect => {
                Direction::Write
            }
        }
    }
}

/// The result of a completed operation: what `WSAGetOverlappedResult` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpResult {
    /// Bytes transferred (`cbTransfer`, `InternalHigh`); 0 at a FIN.
    pub bytes: usize,
    /// `*lpdwFlags` (no output flag applies to TCP or UDP: 0).
    pub flags: u32,
    /// 0 for success, else the Winsock error (`WSAECONNRESET`, `WSA_OPERATION_ABORTED`,
    /// `WSAEMSGSIZE` with `bytes` filled, ...).
    pub error: i32,
    /// The sender, for a datagram `RecvFrom`.
    pub from: Option<SocketAddr>,
}

impl OpResult {
    /// A successful result.
    pub fn ok(bytes: usize) -> OpResult {
        OpResult {
            bytes,
            flags: 0,
            error: 0,
            from: None,
        }
    }

    /// A failed result (no bytes).
    pub fn failed(error: i32) -> OpResult {
        OpResult {
            bytes: 0,
            flags: 0,
            error,
            from: None,
        }
    }

    /// The NTSTATUS Windows stores in `OVERLAPPED.Internal` for this result
    /// (see [`status_of`]).
    pub fn status(&self) -> usize {
        status_of(self.error)
    }
}

/// The statuses Windows completes socket operations with and the Winsock errors
/// `WSAGetOverlappedResult` maps them to (Wine's `map_status`, checked on Windows by
/// `test_WSAGetOverlappedResult`), with the Win32 error `GetOverlappedResult` reports
/// (`RtlNtStatusToDosError`). The first status listed for an error is the one an
/// operation here completes with.
const STATUSES: &[(usize, i32, u32)] = {
    use crate::error::*;
    &[
        (0xC000_0120, WSA_OPERATION_ABORTED, 995), // STATUS_CANCELLED
        (0xC000_020D, WSAECONNRESET, 64),          // STATUS_CONNECTION_RESET: ERROR_NETNAME_DELETED
        (0xC000_0241, WSAECONNABORTED, 1236),      // STATUS_CONNECTION_ABORTED
        (0x8000_0005, WSAEMSGSIZE, 234),           // STATUS_BUFFER_OVERFLOW: ERROR_MORE_DATA
        (0xC000_00B0, WSAESHUTDOWN, 233),          // STATUS_PIPE_DISCONNECTED
        (0xC000_0140, WSAENOTCONN, 1229),          // STATUS_INVALID_CONNECTION
        (0xC000_00B5, WSAETIMEDOUT, 121),          // STATUS_IO_TIMEOUT: ERROR_SEM_TIMEOUT
        (0xC000_0236, WSAECONNREFUSED, 1225),      // STATUS_CONNECTION_REFUSED
        (0xC000_023C, WSAENETUNREACH, 1231),       // STATUS_NETWORK_UNREACHABLE
        (0xC000_023D, WSAEHOSTUNREACH, 1232),      // STATUS_HOST_UNREACHABLE
        (0xC000_0008, WSAENOTSOCK, 6),             // STATUS_INVALID_HANDLE
        (0xC000_0005, WSAEFAULT, 998),             // STATUS_ACCESS_VIOLATION: ERROR_NOACCESS
        (0xC000_009A, WSAENOBUFS, 1450),           // STATUS_INSUFFICIENT_RESOURCES
        (0xC000_0002, WSAEOPNOTSUPP, 1),           // STATUS_NOT_IMPLEMENTED
        (0xC000_0022, WSAEACCES, 5),               // STATUS_ACCESS_DENIED
        (0xC000_020C, WSAECONNRESET, 64),          // STATUS_CONNECTION_DISCONNECTED
        (0xC000_013C, WSAECONNRESET, 64),          // STATUS_REMOTE_DISCONNECT
        (0xC000_013B, WSAECONNABORTED, 1236),      // STATUS_LOCAL_DISCONNECT
        (0xC000_0207, WSAEMSGSIZE, 234),           // STATUS_INVALID_BUFFER_SIZE
        // STATUS_BUFFER_TOO_SMALL: WSAEFAULT for WSAGetOverlappedResult (map_status),
        // ERROR_INSUFFICIENT_BUFFER (122) for GetOverlappedResult / a completion port.
        (0xC000_0023, WSAEFAULT, 122),
    ]
};

/// Bit 29 of an NTSTATUS marks a "customer" code: an error no Windows status stands for is
/// stored as `0xE000_0000 | error`, so that it maps back exactly (on Windows such a status
/// would read as `WSAEINVAL`).
const CUSTOMER: usize = 0xE000_0000;

/// The NTSTATUS for a completion with Winsock error `error` (0: `STATUS_SUCCESS`).
pub fn status_of(error: i32) -> usize {
    if error == 0 {
        return 0;
    }
    if error == 122 {
        // ERROR_INSUFFICIENT_BUFFER (an AcceptEx address space too small):
        // STATUS_BUFFER_TOO_SMALL.
        return 0xC000_0023;
    }
    STATUSES
        .iter()
        .find(|&&(_, e, _)| e == error)
        .map_or(CUSTOMER | (error as u32 as usize & 0xFFFF), |&(s, _, _)| s)
}

/// `WSAGetOverlappedResult`'s error for status `status`: 0 for success,
/// `WSA_IO_INCOMPLETE` for `STATUS_PENDING`, `WSAEINVAL` for a status it does not know
/// (as Windows: `map_status`).
pub fn error_of_status(status: usize) -> i32 {
    let status = status & 0xFFFF_FFFF;
    match status {
        STATUS_PENDING => WSA_IO_INCOMPLETE,
        s if s & CUSTOMER == CUSTOMER => (s & 0xFFFF) as i32,
        s if s & 0x8000_0000 == 0 => 0,
        s => STATUSES
            .iter()
            .find(|&&(st, _, _)| st == s)
            .map_or(crate::error::WSAEINVAL, |&(_, e, _)| e),
    }
}

/// `GetOverlappedResult`'s Win32 error for status `status` (`RtlNtStatusToDosError`):
/// `ERROR_IO_INCOMPLETE` (996) while pending, `ERROR_NETNAME_DELETED` (64) after a RST,
/// `ERROR_OPERATION_ABORTED` (995) when cancelled.
pub fn win32_error_of_status(status: usize) -> u32 {
    let status = status & 0xFFFF_FFFF;
    match status {
        STATUS_PENDING => 996,
        s if s & CUSTOMER == CUSTOMER => (s & 0xFFFF) as u32,
        s if s & 0x8000_0000 == 0 => 0,
        s => STATUSES
            .iter()
            .find(|&&(st, _, _)| st == s)
            // ERROR_MR_MID_NOT_FOUND: what RtlNtStatusToDosError gives an unknown status.
            .map_or(317, |&(_, _, w)| w),
    }
}

/// The memory an operation receives into or sends from.
///
/// The Rust API passes an owned `Vec<u8>`, given back by [`Overlapped::take_buffer`]. The C
/// layer passes the caller's `WSABUF`s (valid until completion by contract) and writes the
/// caller's `OVERLAPPED` in [`complete`](Self::complete).
pub trait OpBuffer: Send {
    /// The bytes to send, or the space to receive into. Called under the socket's lock,
    /// only while the operation is pending.
    fn bytes(&mut self) -> &mut [u8];
    /// Called once, when the operation completes (before any notification): e.g. scatter a
    /// receive into several buffers, write `OVERLAPPED.Internal`/`InternalHigh`.
    fn complete(&mut self, _result: &OpResult) {}
    /// Gives the buffer back as a `Vec` if it is one (the Rust API).
    fn into_vec(self: Box<Self>) -> Option<Vec<u8>> {
        None
    }
}

impl OpBuffer for Vec<u8> {
    fn bytes(&mut self) -> &mut [u8] {
        self
    }
    fn into_vec(self: Box<Self>) -> Option<Vec<u8>> {
        Some(*self)
    }
}

/// Told when an operation completes (after its result is recorded). The completion-port
/// helper implements it to post a packet.
pub trait Notifier: Send {
    /// The operation `op` completed with `result`. Called once, possibly on another thread
    /// than the issuer, under the socket's lock: it must not block or call back into the
    /// socket.
    fn notify(&mut self, op: &Overlapped, result: &OpResult);
}

/// A completion routine: called with the result, on the issuing thread, during one of its
/// alertable waits.
pub type Routine = Box<dyn FnOnce(&Overlapped, &OpResult) + Send>;

/// How an operation announces its completion. Several apply at once (an event, and a
/// completion port's packet); they run in the order given, after the result is recorded.
pub enum Notify {
    /// `hEvent` without a completion routine: set when the operation completes (and, as on
    /// Windows, reset when it starts).
    Event(Event),
    /// A completion routine: queued to the issuing thread's APC queue (`hEvent` is then
    /// ignored, as on Windows).
    Routine(Routine),
    /// Anything else (the completion port).
    Custom(Box<dyn Notifier>),
}

impl fmt::Debug for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notify::Event(e) => f.debug_tuple("Event").field(e).finish(),
            Notify::Routine(_) => f.write_str("Routine"),
            Notify::Custom(_) => f.write_str("Custom"),
        }
    }
}

/// One overlapped operation: the handle the issuer keeps, as a `WSAOVERLAPPED` is. Clones
/// name the same operation.
#[derive(Clone)]
pub struct Overlapped {
    op: Arc<Op>,
}

struct Op {
    id: u64,
    kind: OpKind,
    /// The caller's tag: the `OVERLAPPED` address in C (`CancelIoEx` finds operations by it).
    tag: usize,
    /// The issuing thread (`CancelIo` cancels the calling thread's operations).
    thread: u64,
    apcs: Option<ApcQueue>,
    /// The network of the socket it was issued on (a simulated network's id; 0 for the OS,
    /// or not issued yet): a wait for its result runs on that network's clock.
    net: AtomicU32,
    /// Its events were fed as the OS's when it was made (in a process that had built no
    /// simulated network then): starting it on an OS socket has nothing left to do.
    os_fed: bool,
    inner: Mutex<Inner>,
}

struct Inner {
    buffer: Option<Box<dyn OpBuffer>>,
    /// Bytes already sent (a send completes when its whole buffer is taken).
    progress: usize,
    result: Option<OpResult>,
    notify: Vec<Notify>,
    /// Set at completion, for waits without an event of the caller's (created on demand).
    done: Option<Event>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);
static NEXT_THREAD: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// Const-initialised, without a destructor: readable during thread teardown too (an
    /// operation issued or cancelled from a thread-exit path).
    static THREAD_KEY: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// The calling thread's number (unique in the process, never 0): what `CancelIo` compares.
pub fn thread_key() -> u64 {
    THREAD_KEY
        .try_with(|k| {
            if k.get() == 0 {
                k.set(NEXT_THREAD.fetch_add(1, Ordering::Relaxed));
            }
            k.get()
        })
        .unwrap_or(u64::MAX)
}

impl Overlapped {
    /// A new, pending operation of `kind` over `buffer`, announced by `notify`. `tag`
    /// identifies it for [`crate::Socket::cancel_overlapped`] (C: the `OVERLAPPED` address).
    pub fn new(kind: OpKind, buffer: Box<dyn OpBuffer>, notify: Vec<Notify>, tag: usize) -> Self {
        let routine = notify.iter().any(|n| matches!(n, Notify::Routine(_)));
        // Without a simulated network in the process, every socket is the OS's: the events
        // are fed at once, as before networks existed (one lock, no second look at start).
        let os_fed = matches!(kind, OpKind::Notify(_)) || !crate::sys::sim::in_use();
        for n in &notify {
            if let Notify::Event(e) = n {
                // Starting the operation resets the event (ReadFile: "resets the event
                // specified by the hEvent member ... when it begins the I/O operation";
                // WSARecv goes through the same I/O manager). A wait on it must drive the
                // network: it is fed, as an event-select event is, once the operation's
                // socket (hence its network) is known ([`start`](Self::start)); the change
                // notifications are the OS's and fed at once, and so is every operation in a
                // process without a simulated network.
                if os_fed {
                    e.reset_and_feed();
                } else {
                    e.reset();
                }
            }
        }
        Overlapped {
            op: Arc::new(Op {
                id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
                kind,
                tag,
                thread: thread_key(),
                apcs: routine.then(ApcQueue::current),
                net: AtomicU32::new(0),
                os_fed,
                inner: Mutex::new(Inner {
                    buffer: Some(buffer),
                    progress: 0,
                    result: None,
                    notify,
                    done: None,
                }),
            }),
        }
    }

    /// The issuing call starts the operation on a socket of network `net` (a simulated
    /// network's id, 0 for the OS): its event joins that network and is fed (a wait on it
    /// drives that network, on its clock). An event that belongs to another network, or
    /// one a socket of another network feeds, is `WSAEINVAL`, as for `WSAEventSelect`: a
    /// wait never mixes virtual and real time.
    #[inline]
    pub(crate) fn start(&self, net: u32) -> Result<()> {
        if self.op.os_fed && net == 0 {
            return Ok(());
        }
        self.start_in(net)
    }

    /// [`start`](Self::start) once the events may have to join a network. (An operation
    /// made before the process's first simulated network and started on one of its
    /// sockets: its events count as the OS's, `WSAEINVAL`.)
    #[inline(never)]
    fn start_in(&self, net: u32) -> Result<()> {
        let g = self.op.inner.lock();
        for n in &g.notify {
            if let Notify::Event(e) = n {
                e.join_network(net)?;
            }
        }
        drop(g);
        if net != 0 {
            self.op.net.store(net, Ordering::Release);
        }
        Ok(())
    }

    /// The operation's kind.
    pub fn kind(&self) -> OpKind {
        self.op.kind
    }

    /// The caller's tag (see [`new`](Self::new)).
    pub fn tag(&self) -> usize {
        self.op.tag
    }

    /// A number unique to this operation in the process.
    pub fn id(&self) -> u64 {
        self.op.id
    }

    /// The thread that issued it (a number unique to the thread in the process; see
    /// [`thread_key`]).
    pub fn thread(&self) -> u64 {
        self.op.thread
    }

    /// Whether two handles name the same operation.
    pub fn same_op(&self, other: &Overlapped) -> bool {
        Arc::ptr_eq(&self.op, &other.op)
    }

    /// `HasOverlappedIoCompleted`.
    pub fn is_completed(&self) -> bool {
        self.op.inner.lock().result.is_some()
    }

    /// The result once complete (`None` while pending). Does not read the network.
    pub fn completed_result(&self) -> Option<OpResult> {
        self.op.inner.lock().result
    }

    /// `WSAGetOverlappedResult(s, ov, &bytes, FALSE, &flags)`: the result, or
    /// `WSA_IO_INCOMPLETE` (996) while pending. A failed operation's error is returned as
    /// the error (its bytes are in [`completed_result`](Self::completed_result)).
    pub fn result(&self) -> Result<OpResult> {
        match self.completed_result() {
            None => {
                crate::reactor::harvest();
                match self.completed_result() {
                    None => Err(Error::from_code(WSA_IO_INCOMPLETE)),
                    Some(r) => into_result(r),
                }
            }
            Some(r) => into_result(r),
        }
    }

    /// `WSAGetOverlappedResult(s, ov, &bytes, TRUE, &flags)` with a bound: waits until the
    /// operation completes (driving the network meanwhile) or `timeout` passes
    /// (`WSA_IO_INCOMPLETE`), then reports as [`result`](Self::result).
    pub fn wait(&self, timeout: Option<Duration>) -> Result<OpResult> {
        let done = {
            let mut g = self.op.inner.lock();
            if let Some(r) = g.result {
                return into_result(r);
            }
            let net = self.op.net.load(Ordering::Acquire);
            g.done
                .get_or_insert_with(|| {
                    // Of the operation's network: the wait runs on its clock.
                    let e = Event::new_real_time(true, false);
                    let _ = e.claim_network(net);
                    e.mark_fed();
                    e
                })
                .clone()
        };
        if done.wait(timeout) == WaitOutcome::TimedOut {
            return self.result();
        }
        self.result()
    }

    /// Gives back the buffer of a completed operation issued with a `Vec<u8>` (the Rust
    /// API): the received bytes are its first `bytes`. `None` while pending, or if taken.
    pub fn take_buffer(&self) -> Option<Vec<u8>> {
        let mut g = self.op.inner.lock();
        g.result?;
        g.buffer.take().and_then(|b| b.into_vec())
    }

    /// Runs `f` on the buffer and the bytes already sent, while pending (`None` once
    /// complete). For the socket's serving code.
    pub(crate) fn with_buffer<R>(&self, f: impl FnOnce(&mut [u8], &mut usize) -> R) -> Option<R> {
        let mut g = self.op.inner.lock();
        if g.result.is_some() {
            return None;
        }
        let Inner {
            buffer, progress, ..
        } = &mut *g;
        let b = buffer.as_mut()?;
        Some(f(b.bytes(), progress))
    }

    /// Completes the operation with `result`: records it, hands it to the buffer, then
    /// announces it (event set, routine queued to the issuer's APC queue, notifiers told).
    /// Returns `false` (and does nothing) if it was already complete.
    pub fn complete(&self, result: OpResult) -> bool {
        let (notify, done) = {
            let mut g = self.op.inner.lock();
            if g.result.is_some() {
                return false;
            }
            if let Some(b) = g.buffer.as_mut() {
                b.complete(&result);
            }
            g.result = Some(result);
            (std::mem::take(&mut g.notify), g.done.clone())
        };
        for n in notify {
            match n {
                Notify::Event(e) => e.set(),
                Notify::Routine(r) => {
                    let me = self.clone();
                    let apcs = self.op.apcs.clone().unwrap_or_else(ApcQueue::current);
                    apcs.queue(Box::new(move || r(&me, &result)));
                }
                Notify::Custom(mut c) => c.notify(self, &result),
            }
        }
        if let Some(d) = done {
            d.set();
        }
        true
    }

    /// Adds a notification to an operation not issued yet (the completion port's packet:
    /// `crate::iocp::attach`).
    pub(crate) fn add_notify(&self, n: Notify) {
        self.op.inner.lock().notify.push(n);
    }

    /// Completes the operation with `WSA_OPERATION_ABORTED` (a cancellation or a close).
    pub fn abort(&self) -> bool {
        self.complete(OpResult::failed(WSA_OPERATION_ABORTED))
    }
}

fn into_result(r: OpResult) -> Result<OpResult> {
    if r.error == 0 {
        Ok(r)
    } else {
        Err(Error::from_code(r.error))
    }
}

impl fmt::Debug for Overlapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Overlapped")
            .field("id", &self.op.id)
            .field("kind", &self.op.kind)
            .field("result", &self.completed_result())
            .finish()
    }
}

/// Which pending operations a cancellation takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelFilter {
    /// `CancelIo`: those the calling thread issued.
    CallingThread,
    /// `CancelIoEx(h, NULL)`: all.
    All,
    /// `CancelIoEx(h, ov)`: those with this tag.
    Tag(usize),
    /// One operation, by its [`Overlapped::id`].
    Id(u64),
}

impl CancelFilter {
    pub(crate) fn matches(self, op: &Overlapped) -> bool {
        match self {
            CancelFilter::CallingThread => op.thread() == thread_key(),
            CancelFilter::All => true,
            CancelFilter::Tag(t) => op.tag() == t,
            CancelFilter::Id(i) => op.id() == i,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::*;

    /// Wine's Windows-run `map_status` (test_WSAGetOverlappedResult): the statuses an
    /// operation completes with map back to their Winsock error; `STATUS_PENDING` is
    /// `WSA_IO_INCOMPLETE`; success statuses are no error; an unknown failure `WSAEINVAL`.
    #[test]
    fn statuses_round_trip_as_map_status() {
        for code in [
            WSA_OPERATION_ABORTED,
            WSAECONNRESET,
            WSAECONNABORTED,
            WSAEMSGSIZE,
            WSAESHUTDOWN,
            WSAENOTCONN,
            WSAETIMEDOUT,
            WSAECONNREFUSED,
            WSAENETUNREACH,
            WSAEHOSTUNREACH,
            WSAENETRESET,
            WSAEADDRINUSE,
        ] {
            assert_eq!(error_of_status(status_of(code)), code, "{code}");
        }
        assert_eq!(status_of(0), 0);
        assert_eq!(status_of(WSA_OPERATION_ABORTED), STATUS_CANCELLED);
        assert_eq!(status_of(WSAECONNRESET), STATUS_CONNECTION_RESET);
        assert_eq!(status_of(WSAEMSGSIZE), 0x8000_0005);
        assert_eq!(error_of_status(STATUS_PENDING), WSA_IO_INCOMPLETE);
        assert_eq!(error_of_status(0), 0);
        assert_eq!(
            error_of_status(0x4000_0000),
            0,
            "an informational status succeeds"
        );
        assert_eq!(error_of_status(0xC000_1234), WSAEINVAL);
        assert_eq!(
            error_of_status(0xC000_0008),
            WSAENOTSOCK,
            "STATUS_INVALID_HANDLE"
        );
        assert_eq!(
            error_of_status(0xC000_0023),
            WSAEFAULT,
            "STATUS_BUFFER_TOO_SMALL"
        );
        // GetOverlappedResult: RtlNtStatusToDosError.
        assert_eq!(win32_error_of_status(STATUS_CONNECTION_RESET), 64);
        assert_eq!(win32_error_of_status(STATUS_CANCELLED), 995);
        assert_eq!(win32_error_of_status(STATUS_PENDING), 996);
        assert_eq!(win32_error_of_status(status_of(122)), 122);
        assert_eq!(win32_error_of_status(0), 0);
    }
}
