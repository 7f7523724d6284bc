//! Overlapped I/O (docs/semantics.md, "Overlapped I/O")

use std::net::SocketAddr;
use std::time::Duration;

use crate::event::{self, ApcQueue, WaitOutcome};
use crate::overlapped::{CancelFilter, Notify, OpKind, OpResult, Overlapped};
use crate::socket::{MsgFlags, Socket, SocketType};

use super::*;

pub use crate::overlapped::{STATUS_CANCELLED, STATUS_CONNECTION_RESET, STATUS_PENDING};

/// `ERROR_NOT_FOUND`: `CancelIoEx` found no pending operation to cancel.
pub const ERROR_NOT_FOUND: u32 = 1168;
/// `ERROR_IO_INCOMPLETE` (= `WSA_IO_INCOMPLETE`).
pub const ERROR_IO_INCOMPLETE: u32 = 996;
/// `ERROR_OPERATION_ABORTED` (= `WSA_OPERATION_ABORTED`).
pub const ERROR_OPERATION_ABORTED: u32 = 995;
/// `ERROR_NETNAME_DELETED`: `GetOverlappedResult`'s error after a RST.
pub const ERROR_NETNAME_DELETED: u32 = 64;
/// `WAIT_IO_COMPLETION` (= `WSA_WAIT_IO_COMPLETION`).
pub const WAIT_IO_COMPLETION: DWORD = 0xC0;
/// `GetCurrentThread()`: the pseudo-handle of the calling thread.
pub const CURRENT_THREAD: usize = usize::MAX - 1;

/// `WSAOVERLAPPED` for the facade. Set `hEvent` before issuing; the operation the call
/// started is kept in it (in C the `OVERLAPPED`'s address identifies it). `Internal` and
/// `InternalHigh` are read through methods, since the operation completes later.
#[derive(Debug, Default)]
pub struct WSAOVERLAPPED {
    /// The event set when the operation completes (ignored with a completion routine).
    pub hEvent: WSAEVENT,
    pub(super) op: Option<Overlapped>,
}

impl WSAOVERLAPPED {
    /// An `OVERLAPPED` with `hEvent` set.
    pub fn new(event: WSAEVENT) -> WSAOVERLAPPED {
        WSAOVERLAPPED {
            hEvent: event,
            op: None,
        }
    }

    /// `Internal`: `STATUS_PENDING` (0x103) while the operation is pending, then its
    /// NTSTATUS (0 for success). 0 before any operation.
    #[allow(non_snake_case)]
    pub fn Internal(&self) -> usize {
        match &self.op {
            None => 0,
            Some(op) => op.completed_result().map_or(STATUS_PENDING, |r| r.status()),
        }
    }

    /// `InternalHigh`: the bytes transferred, once complete (0 before).
    #[allow(non_snake_case)]
    pub fn InternalHigh(&self) -> usize {
        self.op
            .as_ref()
            .and_then(|op| op.completed_result())
            .map_or(0, |r| r.bytes)
    }

    /// The operation last issued with this `OVERLAPPED`.
    pub fn operation(&self) -> Option<&Overlapped> {
        self.op.as_ref()
    }

    /// The buffer of the completed operation (a receive's data is its first
    /// `InternalHigh` bytes).
    pub fn take_buffer(&self) -> Option<Vec<u8>> {
        self.op.as_ref().and_then(Overlapped::take_buffer)
    }
}

/// `HasOverlappedIoCompleted(ov)`: `Internal != STATUS_PENDING`.
pub fn HasOverlappedIoCompleted(ov: &WSAOVERLAPPED) -> bool {
    ov.Internal() != STATUS_PENDING
}

/// `LPWSAOVERLAPPED_COMPLETION_ROUTINE`: `(dwError, cbTransferred, lpOverlapped,
/// dwFlags)`, run on the issuing thread during one of its alertable waits.
pub type CompletionRoutine = Box<dyn FnOnce(DWORD, DWORD, &Overlapped, DWORD) + Send>;

/// What announces an operation issued with `ov` and `routine`: the routine (then `hEvent`
/// is ignored, as Windows: test_WSARecv checks the event stays unsignalled), else the
/// event. `hEvent` with its low bit set (no completion-port packet) names the same event.
/// An `hEvent` that is not an open event fails `WSAENOTSOCK`, Windows' mapping of
/// `STATUS_INVALID_HANDLE` / `STATUS_OBJECT_TYPE_MISMATCH` (`map_status`).
pub(crate) fn notify_for(
    event: WSAEVENT,
    routine: Option<CompletionRoutine>,
) -> Result<Vec<Notify>> {
    if let Some(r) = routine {
        return Ok(vec![Notify::Routine(Box::new(
            move |op, res: &OpResult| r(res.error as DWORD, len_u32(res.bytes), op, res.flags),
        ))]);
    }
    let h = event & !1;
    if h == 0 {
        return Ok(Vec::new());
    }
    match event_of(h) {
        Some(e) => Ok(vec![Notify::Event(e)]),
        None => Err(Error::from_code(WSAENOTSOCK)),
    }
}

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The common body of the overlapped calls: issues `op` on `sk`, keeps it in `ov`, and
/// returns as Windows: 0 with `*bytes` written when it completed at once (its event set and
/// its routine queued all the same), `SOCKET_ERROR` with `WSA_IO_PENDING` when pending (the
/// bytes left alone), or `SOCKET_ERROR` with the error of a failure (an immediate
/// completion with an error, e.g. `WSAEMSGSIZE`, still notifies).
///
/// `h_event` is the `OVERLAPPED`'s `hEvent` value: on a socket associated with a completion
/// port the operation also queues a packet, unless its low bit is set (`crate::iocp`).
pub(crate) fn issue_on(
    sk: &Socket,
    op: Overlapped,
    bytes: Option<&mut u32>,
    h_event: usize,
) -> (i32, Overlapped) {
    let issued = crate::iocp::attach(sk, &op, h_event).and_then(|ticket| {
        let r = sk.issue_overlapped(&op);
        ticket.issued(&r);
        r
    });
    match issued {
        Ok(true) => {
            let r = op.completed_result().unwrap_or(OpResult::ok(0));
            if let Some(b) = bytes {
                *b = len_u32(r.bytes);
            }
            let rc = if r.error == 0 {
                succeed(0)
            } else {
                fail(r.error, SOCKET_ERROR)
            };
            (rc, op)
        }
        Ok(false) => (fail(WSA_IO_PENDING, SOCKET_ERROR), op),
        Err(e) => (fail(e.code(), SOCKET_ERROR), op),
    }
}

fn issue(
    s: SOCKET,
    kind: impl FnOnce(&Socket) -> Result<OpKind>,
    buf: Vec<u8>,
    ov: &mut WSAOVERLAPPED,
    routine: Option<CompletionRoutine>,
    bytes: Option<&mut u32>,
) -> i32 {
    let sk = match sock(s) {
        Ok(sk) => sk,
        Err(e) => return fail(e.code(), SOCKET_ERROR),
    };
    let kind = match kind(&sk) {
        Ok(k) => k,
        Err(e) => return fail(e.code(), SOCKET_ERROR),
    };
    let notify = match notify_for(ov.hEvent, routine) {
        Ok(n) => n,
        Err(e) => return fail(e.code(), SOCKET_ERROR),
    };
    let op = Overlapped::new(kind, Box::new(buf), notify, 0);
    let (rc, op) = issue_on(&sk, op, bytes, ov.hEvent);
    if rc == 0 || WSAGetLastError() == WSA_IO_PENDING || op.is_completed() {
        ov.op = Some(op);
    }
    rc
}

fn recv_flags(flags: u32) -> Result<MsgFlags> {
    msg_flags(flags as i32)
}

/// `WSARecv(s, &buf, 1, &bytes, &flags, &ov, routine)` with an owned buffer (Rust cannot
/// lend one to an operation that outlives the call): 0 when it completed at once (bytes
/// written), else `SOCKET_ERROR` with `WSA_IO_PENDING` (completion: `ov.hEvent` set, or
/// `routine` queued to this thread) or the error. The data: [`WSAOVERLAPPED::take_buffer`].
pub fn WSARecv_overlapped(
    s: SOCKET,
    buf: Vec<u8>,
    bytes: Option<&mut u32>,
    flags: &mut u32,
    ov: &mut WSAOVERLAPPED,
    routine: Option<CompletionRoutine>,
) -> i32 {
    let f = *flags;
    issue(
        s,
        |_| recv_flags(f).map(OpKind::Recv),
        buf,
        ov,
        routine,
        bytes,
    )
}

/// `WSARecvFrom` overlapped: as [`WSARecv_overlapped`]; the sender is in the result
/// ([`Overlapped::completed_result`]'s `from`).
pub fn WSARecvFrom_overlapped(
    s: SOCKET,
    buf: Vec<u8>,
    bytes: Option<&mut u32>,
    flags: &mut u32,
    ov: &mut WSAOVERLAPPED,
    routine: Option<CompletionRoutine>,
) -> i32 {
    let f = *flags;
    issue(
        s,
        |_| recv_flags(f).map(OpKind::RecvFrom),
        buf,
        ov,
        routine,
        bytes,
    )
}

/// `WSASend(s, &buf, 1, &bytes, flags, &ov, routine)` with an owned buffer: completes
/// when the whole buffer is taken.
pub fn WSASend_overlapped(
    s: SOCKET,
    data: Vec<u8>,
    bytes: Option<&mut u32>,
    flags: u32,
    ov: &mut WSAOVERLAPPED,
    routine: Option<CompletionRoutine>,
) -> i32 {
    let kind = |_: &Socket| {
        let f = msg_flags(flags as i32)?;
        if f.peek {
            return Err(Error::from_code(WSAEOPNOTSUPP));
        }
        Ok(OpKind::Send { oob: f.oob })
    };
    issue(s, kind, data, ov, routine, bytes)
}

/// `WSASendTo` overlapped (on a stream socket `to` is ignored, as `sendto`).
pub fn WSASendTo_overlapped(
    s: SOCKET,
    data: Vec<u8>,
    bytes: Option<&mut u32>,
    flags: u32,
    to: &SocketAddr,
    ov: &mut WSAOVERLAPPED,
    routine: Option<CompletionRoutine>,
) -> i32 {
    let to = *to;
    let kind = move |sk: &Socket| {
        let f = msg_flags(flags as i32)?;
        if sk.socket_type() == SocketType::Stream {
            return Ok(OpKind::Send { oob: f.oob });
        }
        if f.peek || f.oob {
            return Err(Error::from_code(WSAEOPNOTSUPP));
        }
        Ok(OpKind::SendTo(to))
    };
    issue(s, kind, data, ov, routine, bytes)
}

/// `WSAGetOverlappedResult(s, &ov, &bytes, fWait, &flags)`: `TRUE` with the bytes and
/// flags of a successful operation; `FALSE` with `WSA_IO_INCOMPLETE` (996) while pending
/// and `fWait` is false, or with the operation's error (`WSAECONNRESET`,
/// `WSA_OPERATION_ABORTED`, ...; the bytes are still written). `fWait` waits (not
/// alertably, as Windows: test_WSAGetOverlappedResult) until it completes, driving the
/// network. `s` must be an open socket (`WSAENOTSOCK`), as on Windows, even if the
/// operation completed.
pub fn WSAGetOverlappedResult(
    s: SOCKET,
    ov: &WSAOVERLAPPED,
    bytes: &mut u32,
    wait: BOOL,
    flags: &mut u32,
) -> BOOL {
    if let Err(e) = sock(s) {
        return fail(e.code(), FALSE);
    }
    let Some(op) = &ov.op else {
        // Windows reads the OVERLAPPED: a zeroed one is a success of 0 bytes.
        *bytes = 0;
        return succeed(TRUE);
    };
    let r = if wait != FALSE {
        let _ = op.wait(None);
        op.completed_result()
    } else {
        op.result().ok().or(op.completed_result())
    };
    match r {
        None => fail(WSA_IO_INCOMPLETE, FALSE),
        Some(r) => {
            *bytes = len_u32(r.bytes);
            *flags = r.flags;
            if r.error == 0 {
                succeed(TRUE)
            } else {
                fail(r.error, FALSE)
            }
        }
    }
}

/// `GetOverlappedResult(h, &ov, &bytes, bWait)`: as [`WSAGetOverlappedResult`] with
/// Win32 errors (`GetLastError`, which is [`WSAGetLastError`] here):
/// `ERROR_IO_INCOMPLETE` (996), `ERROR_NETNAME_DELETED` (64) after a RST,
/// `ERROR_OPERATION_ABORTED` (995). The handle is not looked at.
pub fn GetOverlappedResult(_h: usize, ov: &WSAOVERLAPPED, bytes: &mut u32, wait: BOOL) -> BOOL {
    let Some(op) = &ov.op else {
        *bytes = 0;
        return succeed(TRUE);
    };
    if wait != FALSE {
        let _ = op.wait(None);
    } else {
        let _ = op.result();
    }
    match op.completed_result() {
        None => fail(ERROR_IO_INCOMPLETE as i32, FALSE),
        Some(r) => {
            *bytes = len_u32(r.bytes);
            match crate::overlapped::win32_error_of_status(r.status()) {
                0 => succeed(TRUE),
                e => fail(e as i32, FALSE),
            }
        }
    }
}

/// `CancelIo(s)`: cancels the calling thread's pending operations on `s` (they complete
/// with `WSA_OPERATION_ABORTED`); `TRUE` even if there were none, as Windows. Not a
/// socket: `FALSE` with `ERROR_INVALID_HANDLE`.
pub fn CancelIo(s: SOCKET) -> BOOL {
    match socket_of(s) {
        Some(sk) => match sk.cancel_overlapped(CancelFilter::CallingThread) {
            Ok(_) => succeed(TRUE),
            Err(_) => fail(WSA_INVALID_HANDLE, FALSE),
        },
        None => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

/// `CancelIoEx(s, ov)`: cancels the operation issued with `ov` (any thread's), or with
/// `None` every pending operation on `s`; `FALSE` with `ERROR_NOT_FOUND` (1168) if none
/// was pending.
pub fn CancelIoEx(s: SOCKET, ov: Option<&WSAOVERLAPPED>) -> BOOL {
    let Some(sk) = socket_of(s) else {
        return fail(WSA_INVALID_HANDLE, FALSE);
    };
    let filter = match ov {
        None => CancelFilter::All,
        Some(o) => match &o.op {
            Some(op) => CancelFilter::Id(op.id()),
            None => return fail(ERROR_NOT_FOUND as i32, FALSE),
        },
    };
    match sk.cancel_overlapped(filter) {
        Ok(0) => fail(ERROR_NOT_FOUND as i32, FALSE),
        Ok(_) => succeed(TRUE),
        Err(_) => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

/// `SleepEx(ms, bAlertable)`: 0 when the time passed, `WAIT_IO_COMPLETION` when
/// alertable and the thread's queued completion routines / APCs ran (then at once). On a
/// simulated network's thread both forms sleep on its clock (as `Sleep` does there).
pub fn SleepEx(ms: DWORD, alertable: BOOL) -> DWORD {
    let timeout = (ms != WSA_INFINITE).then(|| Duration::from_millis(ms.into()));
    if alertable == FALSE {
        if crate::sim::is_simulated() {
            // A wait on an event nobody sets: virtual time passes, the network runs.
            let _ = crate::Event::new_manual(false).wait(timeout);
            return 0;
        }
        match timeout {
            Some(d) if d.is_zero() => std::thread::yield_now(),
            Some(d) => std::thread::sleep(d),
            None => loop {
                std::thread::sleep(Duration::from_secs(3600));
            },
        }
        return 0;
    }
    match event::sleep_alertable(timeout) {
        WaitOutcome::IoCompletion => WAIT_IO_COMPLETION,
        _ => 0,
    }
}

/// The APC queue a thread handle names: [`CURRENT_THREAD`] (`GetCurrentThread()`) or a
/// thread the library created.
pub fn apc_queue_of(thread: usize) -> Option<ApcQueue> {
    if thread == CURRENT_THREAD {
        return Some(ApcQueue::current());
    }
    thread_of(thread).map(|t| t.apc)
}

/// `QueueUserAPC(f, hThread, data)`: queues `f` to the thread; it runs during the
/// thread's next alertable wait, in order with completion routines. Non-zero on success;
/// 0 with `ERROR_INVALID_HANDLE` for a handle that is not a thread's.
pub fn QueueUserAPC(f: Box<dyn FnOnce() + Send>, thread: usize) -> DWORD {
    match apc_queue_of(thread) {
        Some(q) => {
            q.queue(f);
            succeed(1)
        }
        None => fail(WSA_INVALID_HANDLE, 0),
    }
}

/// `WaitForSingleObjectEx(h, ms, bAlertable)`.
pub fn WaitForSingleObjectEx(h: WSAEVENT, ms: DWORD, alertable: BOOL) -> DWORD {
    WSAWaitForMultipleEvents(&[h], FALSE, ms, alertable)
}
