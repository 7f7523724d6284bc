//! The calls of the real backend that differ on Windows: `ioctlsocket` and `WSAPoll` for
//! counts and levels, through `windows-sys` (already in the tree through mio and socket2).

use std::io;
use std::os::windows::io::AsRawSocket;

use mio::Interest;
use socket2::SockRef;
use windows_sys::Win32::Networking::WinSock as ws;

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};

use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::System::Threading::{
    CreateEventW, INFINITE, RegisterWaitForSingleObject, UnregisterWaitEx, WT_EXECUTEONLYONCE,
};

use super::RecvFlags;
use super::net::{Level, OsSocket, Poller, TokenWaker};

/// mio on Windows reports a readiness once, then not again until an I/O call through it
/// would block (its documented contract, kept literally by its AFD backend): the socket
/// layer re-arms after each readiness and each call that did not block.
pub(crate) const NEEDS_REARM: bool = true;

pub(super) const MSG_PEEK: i32 = ws::MSG_PEEK;
pub(super) const MSG_OOB: i32 = ws::MSG_OOB;
/// Winsock never raises signals.
pub(super) const MSG_NOSIGNAL: i32 = 0;

/// Readable plus writable when asked. (mio asks AFD for no expedited data, so urgent data
/// arriving alone gives no readiness: [`UrgentWatch`] reports it.)
pub(super) fn interest(writable: bool) -> Interest {
    let i = Interest::READABLE;
    if writable { i | Interest::WRITABLE } else { i }
}

pub(super) fn configure(_: SockRef<'_>) -> io::Result<()> {
    Ok(())
}

/// Winsock starts a new attempt after a failed one itself (rule 33, Q4).
pub(super) fn connect_again(_: &io::Error) -> bool {
    false
}

/// Winsock connects a socket again after a failed attempt.
pub(crate) const RENEW_AFTER_FAILED_CONNECT: bool = false;

pub(super) fn in_progress(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock || e.raw_os_error() == Some(ws::WSAEINPROGRESS)
}

fn raw(s: &SockRef<'_>) -> ws::SOCKET {
    s.as_raw_socket() as ws::SOCKET
}

/// `ioctlsocket(FIONREAD)`: bytes queued for reading; on UDP the first datagram's size.
pub(super) fn bytes_available(s: SockRef<'_>) -> io::Result<usize> {
    let mut n: u32 = 0;
    // SAFETY: an open socket borrowed for the call; FIONREAD writes one u32 to the valid,
    // aligned pointer we pass.
    let r = unsafe { ws::ioctlsocket(raw(&s), ws::FIONREAD, &mut n) };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n as usize)
}

/// `WSAPoll` with timeout 0. (`POLLHUP`/`POLLERR` are output-only for `WSAPoll`: asking
/// for them fails WSAEINVAL, so `Closed` asks for normal reads and looks at them.)
pub(super) fn level(s: SockRef<'_>, level: Level) -> bool {
    let (ask, want) = match level {
        Level::Read => (ws::POLLRDNORM, ws::POLLRDNORM | ws::POLLHUP | ws::POLLERR),
        Level::Write => (ws::POLLWRNORM, ws::POLLWRNORM),
        Level::Closed => (ws::POLLRDNORM, ws::POLLHUP | ws::POLLERR),
    };
    let mut p = ws::WSAPOLLFD {
        fd: raw(&s),
        events: ask,
        revents: 0,
    };
    // SAFETY: one valid WSAPOLLFD for a socket we borrow for the call; timeout 0 never
    // blocks.
    let r = unsafe { ws::WSAPoll(&mut p, 1, 0) };
    r > 0 && (p.revents & want) != 0
}

/// Whether the read pointer is at urgent data (the Unix meaning): Windows' `SIOCATMARK`
/// answers the opposite question, "is no urgent data pending".
pub(super) fn at_mark(s: SockRef<'_>) -> io::Result<bool> {
    let mut n: u32 = 0;
    // SAFETY: as for FIONREAD.
    let r = unsafe { ws::ioctlsocket(raw(&s), ws::SIOCATMARK, &mut n) };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n == 0)
}

/// Why the peer closed. Windows' `SO_ERROR` reads 0 after a RST, so it cannot tell a RST
/// from a FIN; a one-byte peek can: it fails WSAECONNRESET after a RST (Windows drops the
/// queued data with it) and returns data or 0 after a FIN.
pub(super) fn close_error(os: &OsSocket) -> io::Result<Option<io::Error>> {
    let mut b = [0u8; 1];
    let peek = RecvFlags {
        peek: true,
        oob: false,
    };
    match os.recv(&mut b, peek) {
        Err(e) if e.kind() != io::ErrorKind::WouldBlock => Ok(Some(e)),
        _ => os.take_error(),
    }
}

/// Urgent data arriving alone, which mio's AFD polling does not report (it asks for no
/// expedited data): Winsock's own `FD_OOB`, selected on the OS socket (`WSAEventSelect`
/// with an event of ours), whose signal a one-shot system wait (`RegisterWaitForSingleObject`
/// with `WT_EXECUTEONLYONCE`) turns into a readable readiness of the socket's token, through
/// the poller (`TokenWaker`). One-shot, because every receive with `MSG_OOB` (the socket
/// layer's probes included) re-posts `FD_OOB` while urgent data is pending: the socket
/// layer re-arms it ([`rearm`](Self::rearm)) only once none is pending, so the watch costs
/// nothing while an urgent byte waits unread. Only for sockets with `FD_OOB` selected.
pub(crate) struct UrgentWatch {
    inner: Box<UrgentInner>,
}

struct UrgentInner {
    sock: ws::SOCKET,
    event: HANDLE,
    wait: crate::sync::Mutex<HANDLE>,
    armed: AtomicBool,
    waker: TokenWaker,
}

// SAFETY: the handles are kernel handles usable from any thread; the wait handle is
// behind a lock.
unsafe impl Send for UrgentWatch {}
// SAFETY: as above.
unsafe impl Sync for UrgentWatch {}

impl UrgentWatch {
    /// Starts watching `os` (a connected stream) for urgent data, reported as a readable
    /// readiness of `token`. The OS socket must outlive the watch.
    pub(crate) fn start(os: &OsSocket, p: &Poller, token: usize) -> io::Result<UrgentWatch> {
        let sock = raw(&os.sock()?);
        // SAFETY: plain call; manual-reset, reset by the callback's WSAEnumNetworkEvents.
        let event = unsafe { CreateEventW(std::ptr::null(), 1, 0, std::ptr::null()) };
        if event.is_null() {
            return Err(io::Error::last_os_error());
        }
        let w = UrgentWatch {
            inner: Box::new(UrgentInner {
                sock,
                event,
                wait: crate::sync::Mutex::new(std::ptr::null_mut()),
                armed: AtomicBool::new(false),
                waker: p.token_waker(token),
            }),
        };
        // SAFETY: an open socket and an event of ours (closed only after the association
        // is dropped, in drop).
        if unsafe { ws::WSAEventSelect(sock, event as ws::WSAEVENT, ws::FD_OOB as i32) } != 0 {
            return Err(io::Error::last_os_error());
        }
        w.rearm()?;
        Ok(w)
    }

    /// Has the next urgent byte reported (after the last report, once none is pending).
    pub(crate) fn rearm(&self) -> io::Result<()> {
        let i = &*self.inner;
        let mut wait = i.wait.lock();
        if i.armed.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        if !wait.is_null() {
            // The previous one-shot wait has run (its callback may still be returning): it
            // is freed by unregistering it, without waiting (NULL).
            // SAFETY: a wait registered below, unregistered once.
            unsafe { UnregisterWaitEx(*wait, std::ptr::null_mut()) };
            *wait = std::ptr::null_mut();
        }
        let ctx: *const UrgentInner = i;
        let mut h: HANDLE = std::ptr::null_mut();
        // SAFETY: `ctx` lives until drop, which unregisters the wait (waiting for its
        // callback) first; the callback matches WAITORTIMERCALLBACK.
        let ok = unsafe {
            RegisterWaitForSingleObject(
                &mut h,
                i.event,
                Some(urgent_signalled),
                ctx.cast(),
                INFINITE,
                WT_EXECUTEONLYONCE,
            )
        };
        if ok == 0 {
            i.armed.store(false, Ordering::SeqCst);
            return Err(io::Error::last_os_error());
        }
        *wait = h;
        Ok(())
    }
}

/// The wait callback: the OS posted `FD_OOB`.
unsafe extern "system" fn urgent_signalled(ctx: *mut c_void, _timed_out: bool) {
    // SAFETY: the `UrgentInner` the wait was registered with, alive until the wait is
    // unregistered (which waits for this callback).
    let i = unsafe { &*ctx.cast::<UrgentInner>() };
    // SAFETY: zeroed WSANETWORKEVENTS is valid; the socket is open while the watch is
    // (drop unregisters this wait before the socket closes); resets the event.
    unsafe {
        let mut ne: ws::WSANETWORKEVENTS = std::mem::zeroed();
        ws::WSAEnumNetworkEvents(i.sock, i.event as ws::WSAEVENT, &mut ne);
    }
    i.armed.store(false, Ordering::SeqCst);
    i.waker.wake();
}

impl Drop for UrgentWatch {
    fn drop(&mut self) {
        let i = &*self.inner;
        let wait = std::mem::replace(&mut *i.wait.lock(), std::ptr::null_mut());
        // SAFETY: the registered wait (INVALID_HANDLE_VALUE: waits for a callback in
        // progress); then the socket's association with the event is dropped and the
        // event closed.
        unsafe {
            if !wait.is_null() {
                UnregisterWaitEx(wait, INVALID_HANDLE_VALUE);
            }
            ws::WSAEventSelect(i.sock, 0, 0);
            CloseHandle(i.event);
        }
    }
}
