//! Overlapped I/O at the C boundary: `WSARecv`/`WSASend`/`WSARecvFrom`/`WSASendTo` with a
//! non-NULL `lpOverlapped` (reached from [`super::wsaext`]), `WSAGetOverlappedResult`,
//! `GetOverlappedResult`, `CancelIo`, `CancelIoEx`, `SleepEx`, `QueueUserAPC`,
//! `WaitForSingleObjectEx`, `GetCurrentThread`.
//!
//! The rules live below (`crate::overlapped`, the socket layer, the facade); this module
//! converts layouts: the caller's `WSABUF`s stay valid until the operation completes (the
//! Winsock contract), so the operation receives straight into a single buffer, or into one
//! buffer of the total size that is scattered at completion; the result is written into the
//! caller's `OVERLAPPED` (`InternalHigh` = bytes, `Offset` = flags, then `Internal` = the
//! NTSTATUS, `STATUS_PENDING` while pending) before the event is set or the routine queued.
//! The `OVERLAPPED` address is the operation's tag: `CancelIoEx` and a waiting
//! `GetOverlappedResult` find it by it on the socket named, so an operation of a closed
//! socket (completed aborted at the close) is never found through a newer one.

use std::ffi::{c_int, c_void};
use std::sync::atomic::{Ordering, fence};

use super::events::{WAIT_FAILED, wait_multiple};
use super::handles::{self, Handle};
use super::sockets::{check_out_addr, precheck, read_sockaddr, write_out_addr};
use super::wsaext::{CompletionRoutine, WSABUF};
use super::{FALSE, TRUE, fail, ffi};
use crate::error::{
    WSA_INVALID_HANDLE, WSA_INVALID_PARAMETER, WSA_IO_PENDING, WSAEFAULT, WSAEINVAL, WSAEOPNOTSUPP,
};
use crate::overlapped::{
    OpBuffer, OpKind, OpResult, Overlapped, STATUS_PENDING, error_of_status, win32_error_of_status,
};
use crate::winsock::{self, SOCKET};
use crate::{CancelFilter, MsgFlags, Notify, Socket, SocketType};

/// `OVERLAPPED` / `WSAOVERLAPPED`, Windows' layout.
#[repr(C)]
#[derive(Debug)]
pub struct OVERLAPPED {
    /// The NTSTATUS: `STATUS_PENDING` (0x103) while pending.
    pub Internal: usize,
    /// The bytes transferred.
    pub InternalHigh: usize,
    /// `Offset` (the flags `WSAGetOverlappedResult` reports are kept here, as Wine does).
    pub Offset: u32,
    /// `OffsetHigh`.
    pub OffsetHigh: u32,
    /// The event to set at completion (its low bit: no completion-port packet).
    pub hEvent: Handle,
}

/// `PAPCFUNC`.
pub type ApcFunc = Option<unsafe extern "C" fn(usize)>;

/// The largest buffer one scattered receive reads into (as `winsock::recv_vectored_on`).
const GATHER_MAX: usize = 1 << 20;

/// The caller's memory for one operation.
struct CBuffer {
    /// The caller's buffers (pointer, length).
    parts: Vec<(*mut u8, usize)>,
    /// With more than one buffer: the receive lands here and is scattered at completion;
    /// a send's data is gathered here at issue.
    joined: Option<Vec<u8>>,
    receive: bool,
    ov: *mut OVERLAPPED,
    /// `WSARecvFrom`'s `lpFrom`/`lpFromlen` (checked at issue), or NULL.
    from: (*mut c_void, *mut c_int),
}

// SAFETY: the pointers are the caller's buffers and OVERLAPPED, which the Winsock contract
// keeps valid (and not otherwise accessed for the buffers) until the operation completes;
// the operation uses them from whichever thread serves it, under the socket's lock, and
// never after its one completion.
unsafe impl Send for CBuffer {}

impl OpBuffer for CBuffer {
    fn bytes(&mut self) -> &mut [u8] {
        if let Some(j) = self.joined.as_mut() {
            return j;
        }
        match self.parts.first() {
            Some(&(p, n)) if n > 0 && !p.is_null() => {
                // SAFETY: one caller buffer, valid for writes of `n` bytes until completion
                // (the contract above); only this operation uses it meanwhile.
                unsafe { std::slice::from_raw_parts_mut(p, n) }
            }
            _ => &mut [],
        }
    }

    fn complete(&mut self, r: &OpResult) {
        if self.receive {
            if let Some(j) = &self.joined {
                let mut rest = &j[..r.bytes.min(j.len())];
                for &(p, n) in &self.parts {
                    let k = rest.len().min(n);
                    if k > 0 {
                        // SAFETY: a caller buffer valid for `n` ≥ k bytes (the contract).
                        unsafe { std::ptr::copy_nonoverlapping(rest.as_ptr(), p, k) };
                    }
                    rest = &rest[k..];
                }
            }
            if let (Some(addr), false) = (r.from, self.from.0.is_null()) {
                // SAFETY: check_out_addr accepted this buffer for the socket's family at
                // issue; the caller keeps it valid until completion.
                unsafe { write_out_addr(&addr, self.from.0, self.from.1) };
            }
        }
        // SAFETY: the caller's OVERLAPPED, writable until completion; Internal last, after
        // a fence, so a reader that sees it no longer pending sees the bytes too.
        unsafe {
            std::ptr::addr_of_mut!((*self.ov).InternalHigh).write_volatile(r.bytes);
            std::ptr::addr_of_mut!((*self.ov).Offset).write_volatile(r.flags);
            fence(Ordering::Release);
            std::ptr::addr_of_mut!((*self.ov).Internal).write_volatile(r.status());
        }
    }
}

/// Reads `Internal` as Windows' `HasOverlappedIoCompleted` does.
///
/// # Safety
/// `ov` must be readable.
unsafe fn internal(ov: *const OVERLAPPED) -> usize {
    // SAFETY: readable (caller's contract).
    let v = unsafe { std::ptr::addr_of!((*ov).Internal).read_volatile() };
    fence(Ordering::Acquire);
    v
}

/// The caller's buffers as (pointer, length): `WSAEINVAL` for none, `WSAEFAULT` for a NULL
/// array or a NULL buffer with a length.
///
/// # Safety
/// `bufs` NULL or `count` readable `WSABUF`s.
unsafe fn parts(bufs: *const WSABUF, count: u32) -> Result<Vec<(*mut u8, usize)>, i32> {
    if count == 0 {
        return Err(WSAEINVAL);
    }
    if bufs.is_null() {
        return Err(WSAEFAULT);
    }
    (0..count as usize)
        .map(|i| {
            // SAFETY: `count` readable WSABUFs (caller's contract).
            let b = unsafe { bufs.add(i).read_unaligned() };
            if b.len > 0 && b.buf.is_null() {
                Err(WSAEFAULT)
            } else {
                Ok((b.buf.cast::<u8>(), b.len as usize))
            }
        })
        .collect()
}

/// What the overlapped call is.
pub(crate) enum Call {
    /// `WSARecv` / `WSARecvFrom` (`from`: the address out-parameters).
    Recv {
        flags: *mut u32,
        from: (*mut c_void, *mut c_int),
        with_from: bool,
    },
    /// `WSASend` / `WSASendTo` (`to`: the address, or NULL).
    Send {
        flags: u32,
        to: (*const c_void, c_int),
    },
}

/// Issues an overlapped `WSARecv`/`WSASend`/`WSARecvFrom`/`WSASendTo` (see the module
/// docs): 0 when it completed at once (its event set, its routine queued), else
/// `SOCKET_ERROR` with `WSA_IO_PENDING` or the error. `Err` for a failure of the
/// arguments, before anything is issued.
///
/// # Safety
/// `bufs`: `count` readable `WSABUF`s whose buffers stay valid (writable for a receive)
/// until the operation completes; `ov` a writable `OVERLAPPED` that stays valid until then;
/// `bytes` NULL or writable; the `Call`'s pointers as for the synchronous call, the address
/// out-parameters valid until completion; `routine` NULL or a completion routine.
pub(crate) unsafe fn issue(
    sk: &Socket,
    bufs: *const WSABUF,
    count: u32,
    bytes: *mut u32,
    call: Call,
    ov: *mut OVERLAPPED,
    routine: CompletionRoutine,
) -> Result<i32, i32> {
    // SAFETY: forwarded caller contract.
    let parts = unsafe { parts(bufs, count) }?;
    let stream = sk.socket_type() == SocketType::Stream;
    let (kind, receive, from) = match call {
        Call::Recv {
            flags,
            from,
            with_from,
        } => {
            if flags.is_null() {
                return Err(WSAEFAULT);
            }
            // SAFETY: non-NULL and readable (caller's contract).
            let f = unsafe { flags.read_unaligned() };
            let mf = msg_flags(f)?;
            let want = with_from && !stream && !from.0.is_null();
            if want {
                // SAFETY: forwarded caller contract.
                unsafe { check_out_addr(from.0, from.1, sk.family()) }?;
            }
            let kind = if with_from {
                OpKind::RecvFrom(mf)
            } else {
                OpKind::Recv(mf)
            };
            let from = if want {
                from
            } else {
                (std::ptr::null_mut(), std::ptr::null_mut())
            };
            (kind, true, from)
        }
        Call::Send { flags, to } => {
            let mf = msg_flags(flags)?;
            if mf.peek {
                return Err(WSAEOPNOTSUPP);
            }
            let kind = if to.0.is_null() || stream {
                OpKind::Send { oob: mf.oob }
            } else {
                if mf.oob {
                    return Err(WSAEOPNOTSUPP);
                }
                // SAFETY: forwarded caller contract.
                OpKind::SendTo(unsafe { read_sockaddr(to.0, to.1) }?)
            };
            (kind, false, (std::ptr::null_mut(), std::ptr::null_mut()))
        }
    };
    let joined = (parts.len() > 1).then(|| {
        if receive {
            let total: usize = parts.iter().map(|&(_, n)| n).sum();
            vec![0u8; total.min(GATHER_MAX)]
        } else {
            let mut v = Vec::new();
            for &(p, n) in &parts {
                if n > 0 {
                    // SAFETY: a caller buffer readable for `n` bytes (caller's contract).
                    v.extend_from_slice(unsafe { std::slice::from_raw_parts(p, n) });
                }
            }
            v
        }
    });
    // SAFETY: forwarded caller contract.
    let notify = unsafe { start(ov, routine) }?;
    let buffer = CBuffer {
        parts,
        joined,
        receive,
        ov,
        from,
    };
    let op = Overlapped::new(kind, Box::new(buffer), notify, ov.expose_provenance());
    let mut got = 0u32;
    // SAFETY: `ov` readable (caller's contract): its hEvent decides the completion-port
    // packet (the low bit: none).
    let h_event = handles::value(unsafe { std::ptr::addr_of!((*ov).hEvent).read_volatile() });
    let (rc, _) = winsock::issue_on(sk, op, Some(&mut got), h_event);
    if rc == 0 && !bytes.is_null() {
        // SAFETY: non-NULL and writable (caller's contract).
        unsafe { bytes.write_unaligned(got) };
    }
    if rc == 0 {
        Ok(0)
    } else {
        Err(winsock::WSAGetLastError())
    }
}

/// `WSAIoctl(SIO_ADDRESS_LIST_CHANGE | SIO_ROUTING_INTERFACE_CHANGE)` with an `OVERLAPPED`
/// (reached from [`super::wsaext`]; `dest`: the routing ioctl's destination): always
/// pending (`WSA_IO_PENDING`) or a synchronous failure; completes at the notification
/// (`change.rs`) with 0 bytes, or with the routing ioctl's error code.
///
/// # Safety
/// `ov` a writable `OVERLAPPED` that stays valid until the operation completes; `routine`
/// NULL or a completion routine.
pub(crate) unsafe fn issue_change(
    sk: &Socket,
    code: u32,
    dest: Option<std::net::SocketAddr>,
    ov: *mut OVERLAPPED,
    routine: CompletionRoutine,
) -> Result<i32, i32> {
    // SAFETY: forwarded caller contract.
    let notify = unsafe { start(ov, routine) }?;
    let buffer = CBuffer {
        parts: Vec::new(),
        joined: None,
        receive: false,
        ov,
        from: (std::ptr::null_mut(), std::ptr::null_mut()),
    };
    let op = Overlapped::new(
        OpKind::Notify(code),
        Box::new(buffer),
        notify,
        ov.expose_provenance(),
    );
    sk.arm_change_overlapped(dest, &op).map_err(|e| e.code())?;
    Err(WSA_IO_PENDING)
}

/// Marks the caller's `OVERLAPPED` pending and says how the operation's completion is
/// announced: its completion routine, or its `hEvent`.
///
/// # Safety
/// `ov` writable; `routine` NULL or a completion routine.
unsafe fn start(ov: *mut OVERLAPPED, routine: CompletionRoutine) -> Result<Vec<Notify>, i32> {
    // SAFETY: `ov` writable (caller's contract). Windows marks it pending before it issues
    // (test_connecting_socket: a synchronous failure leaves Internal at STATUS_PENDING).
    let event = unsafe {
        std::ptr::addr_of_mut!((*ov).Internal).write_volatile(STATUS_PENDING);
        std::ptr::addr_of!((*ov).hEvent).read_volatile()
    };
    Ok(match routine {
        Some(f) => {
            let ov_addr = ov.addr();
            let r: crate::overlapped::Routine =
                Box::new(move |_op: &Overlapped, res: &OpResult| {
                    let n = u32::try_from(res.bytes).unwrap_or(u32::MAX);
                    // SAFETY: the caller's completion routine, called once, on the issuing
                    // thread, in one of its alertable waits, with the OVERLAPPED it passed
                    // (valid until the routine returns, by the Winsock contract).
                    unsafe {
                        f(
                            res.error as u32,
                            n,
                            std::ptr::with_exposed_provenance_mut(ov_addr),
                            res.flags,
                        )
                    }
                });
            vec![Notify::Routine(r)]
        }
        None => winsock::notify_for(handles::value(event), None).map_err(|e| e.code())?,
    })
}

fn msg_flags(f: u32) -> Result<MsgFlags, i32> {
    const MSG_OOB: u32 = 1;
    const MSG_PEEK: u32 = 2;
    if f & !(MSG_OOB | MSG_PEEK) != 0 {
        return Err(WSAEOPNOTSUPP);
    }
    Ok(MsgFlags {
        peek: f & MSG_PEEK != 0,
        oob: f & MSG_OOB != 0,
    })
}

/// Waits until the operation behind `ov` is no longer pending: on `hEvent` if set, else
/// on the operation itself, found by its tag on socket `s` (Windows waits on the file
/// handle). Not a wait on an APC: not alertable.
///
/// # Safety
/// `ov` readable.
unsafe fn wait_done(s: usize, ov: *const OVERLAPPED) {
    // SAFETY: readable (caller's contract).
    let event = handles::value(unsafe { std::ptr::addr_of!((*ov).hEvent).read_volatile() }) & !1;
    if event != 0 {
        if let Some(e) = winsock::event_of(event) {
            // SAFETY: readable (caller's contract). One wait, as Windows: an event set by
            // someone else ends it with the operation still pending.
            if unsafe { internal(ov) } == STATUS_PENDING {
                e.wait(None);
            }
            return;
        }
    }
    if let Some(op) = winsock::socket_of(s).and_then(|sk| sk.find_overlapped(ov.addr())) {
        let _ = op.wait(None);
    }
}

/// `BOOL WSAGetOverlappedResult(SOCKET, LPWSAOVERLAPPED, LPDWORD lpcbTransfer, BOOL fWait,
/// LPDWORD lpdwFlags)`: reads the `OVERLAPPED`, as Windows: `TRUE` for a success status
/// (bytes and flags written), `FALSE` with `WSA_IO_INCOMPLETE` while pending (after the
/// wait, with `fWait`), or with the status's Winsock error (`WSAECONNRESET`,
/// `WSA_OPERATION_ABORTED`, `WSAEINVAL` for a status Windows does not map). Not an open
/// socket: `WSAENOTSOCK`; a NULL pointer: `WSAEFAULT` (the documented error).
///
/// # Safety
/// `ov`, `bytes`, `flags` NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAGetOverlappedResult(
    s: SOCKET,
    ov: *mut OVERLAPPED,
    bytes: *mut u32,
    wait: i32,
    flags: *mut u32,
) -> i32 {
    ffi(FALSE, || {
        if let Err(code) = precheck(s) {
            return fail(code, FALSE);
        }
        if ov.is_null() || bytes.is_null() || flags.is_null() {
            return fail(WSAEFAULT, FALSE);
        }
        // SAFETY: non-NULL and valid (caller's contract).
        unsafe {
            let mut status = internal(ov);
            if status == STATUS_PENDING && wait != 0 {
                wait_done(s, ov);
                status = internal(ov);
            }
            if status != STATUS_PENDING {
                bytes.write_unaligned(
                    u32::try_from(std::ptr::addr_of!((*ov).InternalHigh).read_volatile())
                        .unwrap_or(u32::MAX),
                );
                flags.write_unaligned(std::ptr::addr_of!((*ov).Offset).read_volatile());
            }
            match error_of_status(status) {
                0 => winsock::ret(Ok(TRUE)),
                e => fail(e, FALSE),
            }
        }
    })
}

/// `BOOL GetOverlappedResult(HANDLE, LPOVERLAPPED, LPDWORD, BOOL bWait)`: as
/// [`WSAGetOverlappedResult`] with Win32 errors: `ERROR_IO_INCOMPLETE` (996),
/// `ERROR_NETNAME_DELETED` (64) after a RST, `ERROR_OPERATION_ABORTED` (995). A NULL
/// `OVERLAPPED` or byte count: `FALSE` with `ERROR_INVALID_PARAMETER` (a deliberate
/// deviation: Windows faults).
///
/// # Safety
/// `ov` and `bytes` NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn GetOverlappedResult(
    h: Handle,
    ov: *mut OVERLAPPED,
    bytes: *mut u32,
    wait: i32,
) -> i32 {
    ffi(FALSE, || {
        if ov.is_null() || bytes.is_null() {
            return fail(WSA_INVALID_PARAMETER, FALSE);
        }
        // SAFETY: non-NULL and valid (caller's contract).
        unsafe {
            let mut status = internal(ov);
            if status == STATUS_PENDING && wait != 0 {
                wait_done(handles::value(h), ov);
                status = internal(ov);
            }
            bytes.write_unaligned(
                u32::try_from(std::ptr::addr_of!((*ov).InternalHigh).read_volatile())
                    .unwrap_or(u32::MAX),
            );
            match win32_error_of_status(status) {
                0 => winsock::ret(Ok(TRUE)),
                e => fail(e as i32, FALSE),
            }
        }
    })
}

/// `BOOL CancelIo(HANDLE)`: cancels the calling thread's pending operations on the socket
/// (they complete with `ERROR_OPERATION_ABORTED`); `TRUE` even if there were none. Not a
/// socket: `FALSE` with `ERROR_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn CancelIo(h: Handle) -> i32 {
    ffi(FALSE, || winsock::CancelIo(handles::value(h)))
}

/// `BOOL CancelIoEx(HANDLE, LPOVERLAPPED)`: cancels the operation issued with `ov` on the
/// socket (any thread's), or all of them for NULL; `FALSE` with `ERROR_NOT_FOUND` (1168)
/// when none was pending.
#[unsafe(no_mangle)]
pub extern "C" fn CancelIoEx(h: Handle, ov: *mut OVERLAPPED) -> i32 {
    ffi(FALSE, || {
        let Some(sk) = winsock::socket_of(handles::value(h)) else {
            return fail(WSA_INVALID_HANDLE, FALSE);
        };
        let filter = if ov.is_null() {
            CancelFilter::All
        } else {
            CancelFilter::Tag(ov.addr())
        };
        match sk.cancel_overlapped(filter) {
            Ok(0) => fail(winsock::ERROR_NOT_FOUND as i32, FALSE),
            Ok(_) => winsock::ret(Ok(TRUE)),
            Err(_) => fail(WSA_INVALID_HANDLE, FALSE),
        }
    })
}

/// `DWORD SleepEx(DWORD, BOOL bAlertable)`: 0, or `WAIT_IO_COMPLETION` (0xC0) after the
/// thread's queued completion routines and APCs ran (alertable only).
#[unsafe(no_mangle)]
pub extern "C" fn SleepEx(ms: u32, alertable: i32) -> u32 {
    ffi(0, || winsock::SleepEx(ms, alertable))
}

/// `HANDLE GetCurrentThread(void)`: the pseudo-handle `(HANDLE)-2`.
#[unsafe(no_mangle)]
pub extern "C" fn GetCurrentThread() -> Handle {
    handles::from_value(winsock::CURRENT_THREAD)
}

/// `DWORD QueueUserAPC(PAPCFUNC, HANDLE hThread, ULONG_PTR dwData)`: queues `f(data)` to
/// the thread (`GetCurrentThread()` or a thread the library created); it runs in the
/// thread's next alertable wait. Non-zero on success; 0 with `ERROR_INVALID_HANDLE` for
/// another handle, `ERROR_INVALID_PARAMETER` for a NULL function.
#[unsafe(no_mangle)]
pub extern "C" fn QueueUserAPC(f: ApcFunc, thread: Handle, data: usize) -> u32 {
    ffi(0, || {
        let Some(f) = f else {
            return fail(WSA_INVALID_PARAMETER, 0);
        };
        winsock::QueueUserAPC(
            Box::new(move || {
                // SAFETY: the caller's APC function with the caller's argument, called once
                // on the target thread in an alertable wait, as on Windows.
                unsafe { f(data) }
            }),
            handles::value(thread),
        )
    })
}

/// `DWORD WaitForSingleObjectEx(HANDLE, DWORD, BOOL bAlertable)`.
#[unsafe(no_mangle)]
pub extern "C" fn WaitForSingleObjectEx(object: Handle, ms: u32, alertable: i32) -> u32 {
    // SAFETY: a pointer to one local handle, count 1.
    ffi(WAIT_FAILED, || unsafe {
        wait_multiple(1, &object, false, ms, alertable != 0)
    })
}

/// `TRUE` re-exported for the module's tests.
#[cfg(test)]
const _: i32 = TRUE;
