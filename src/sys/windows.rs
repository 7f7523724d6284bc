//! The calls of the real backend that differ on Windows: `ioctlsocket` and `WSAPoll` for
//! counts and levels, through `windows-sys` (already in the tree through mio and socket2).

use std::io;
use std::os::windows::io::AsRawSocket;

use mio::Interest;
use socket2::SockRef;
use windows_sys::Win32::Networking::WinSock as ws;

use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::System::Threading::{
    CreateEventW, INFINITE, RegisterWaitForSingleObject, UnregisterWaitEx, WT_EXECUTEONLYONCE,
};

use super::net::{Level, OsSocket, Poller, TokenWaker};
use super::{Readiness, RecvFlags};

/// mio on Windows reports a readiness once, then not again until an I/O call through it
/// would block (its documented contract, kept literally by its AFD backend): the socket
/// layer re-arms after each readiness and each call that did not block.
pub(crate) const NEEDS_REARM: bool = true;

pub(super) const MSG_PEEK: i32 = ws::MSG_PEEK;
pub(super) const MSG_OOB: i32 = ws::MSG_OOB;
/// Winsock never raises signals.
pub(super) const MSG_NOSIGNAL: i32 = 0;

/// Readable plus writable when asked. (mio asks AFD for no expedited data, so urgent data
/// arriving alone gives no readiness: [`OsWatch`] reports it.)
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
    match os.look(&mut b, peek) {
        Err(e) if e.kind() != io::ErrorKind::WouldBlock => Ok(Some(e)),
        _ => os.take_error(),
    }
}

/// Winsock's own network events on the OS socket, for what mio's AFD polling cannot report
/// without a busy poll, or at all: `WSAEventSelect` with an event of ours on the OS socket,
/// whose signal a one-shot system wait (`RegisterWaitForSingleObject` with
/// `WT_EXECUTEONLYONCE`) turns into a readiness of the socket's token, through the poller
/// (`TokenWaker`). One watch per socket, for two uses, each selecting its bits:
///
/// - **Urgent data arriving alone** ([`watch_urgent`](Self::watch_urgent), `FD_OOB`),
///   which mio does not report (it asks AFD for no expedited data). One-shot: every
///   receive with `MSG_OOB` (the socket layer's probes included) re-posts `FD_OOB` while
///   urgent data is pending, so a report drops `FD_OOB` from the selection, and the socket
///   layer selects it again only once none is pending: an unread urgent byte costs nothing.
/// - **Data waiting unread** ([`watch_reads`](Self::watch_reads), `FD_READ | FD_CLOSE`):
///   AFD's polling is level-triggered, so while data waits unread mio, re-armed, reports
///   the socket again at once, and again. The socket layer stops re-arming mio for reads
///   then and watches this instead: the OS records `FD_READ` for new data even while its
///   own `FD_READ` waits for a recv (rule 20: each report selects again, so that this holds
///   without open question Q1), and `FD_CLOSE` for the peer's FIN or RST.
///
/// The wait is re-armed by the socket layer ([`watch_urgent`](Self::watch_urgent) or
/// [`watch_reads`](Self::watch_reads) again, after it looked), so reports never come faster
/// than it looks. The callback needs no lock but the watch's own, which nothing holds while
/// it waits: dropping the watch (which waits for a callback in progress) cannot deadlock,
/// under the socket's lock or any other.
pub(crate) struct OsWatch {
    inner: Arc<WatchInner>,
}

struct WatchInner {
    sock: ws::SOCKET,
    /// Manual-reset; reset by the callback's `WSAEnumNetworkEvents`.
    event: HANDLE,
    waker: TokenWaker,
    st: crate::sync::Mutex<WatchState>,
    /// A wait is registered whose callback has not run: it holds a reference to this
    /// (released by the callback, or by drop if the wait never ran). Changed under `st`.
    armed: AtomicBool,
}

struct WatchState {
    /// The `FD_*` bits selected on the OS socket.
    mask: i32,
    /// The last registered wait (its callback run or not), to unregister.
    wait: HANDLE,
    /// The urgent side is in use (it selects `FD_OOB` whenever the socket layer asks).
    urgent: bool,
    /// Dropping: the callback touches the socket no more.
    stopped: bool,
}

/// The bits of [`OsWatch::watch_reads`].
const READS: i32 = (ws::FD_READ | ws::FD_CLOSE) as i32;

// SAFETY: the handles are kernel handles usable from any thread; the state is behind a
// lock.
unsafe impl Send for WatchInner {}
// SAFETY: as above.
unsafe impl Sync for WatchInner {}

/// `WSAEventSelect(sock, event, mask)`, or no selection for an empty mask.
///
/// SAFETY: `sock` must be open.
unsafe fn select(sock: ws::SOCKET, event: HANDLE, mask: i32) -> io::Result<()> {
    let event = if mask == 0 {
        std::ptr::null_mut()
    } else {
        event
    };
    // SAFETY: an open socket (the caller's promise) and our event, or none.
    if unsafe { ws::WSAEventSelect(sock, event as ws::WSAEVENT, mask) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

impl OsWatch {
    /// A watch of `os` (a connected stream) reporting to `token`, selecting nothing yet.
    /// The OS socket must outlive the watch.
    pub(crate) fn start(os: &OsSocket, p: &Poller, token: usize) -> io::Result<OsWatch> {
        let sock = raw(&os.sock()?);
        // SAFETY: plain call; manual-reset, not signalled.
        let event = unsafe { CreateEventW(std::ptr::null(), 1, 0, std::ptr::null()) };
        if event.is_null() {
            return Err(io::Error::last_os_error());
        }
        Ok(OsWatch {
            inner: Arc::new(WatchInner {
                sock,
                event,
                waker: p.token_waker(token),
                st: crate::sync::Mutex::new(WatchState {
                    mask: 0,
                    wait: std::ptr::null_mut(),
                    urgent: false,
                    stopped: false,
                }),
                armed: AtomicBool::new(false),
            }),
        })
    }

    /// Has the next urgent byte reported (after the last report, once none is pending).
    pub(crate) fn watch_urgent(&self) -> io::Result<()> {
        self.update(|st| {
            st.urgent = true;
            st.mask | ws::FD_OOB as i32
        })
    }

    /// Whether the urgent side is in use ([`watch_urgent`](Self::watch_urgent) was called).
    pub(crate) fn urgent(&self) -> bool {
        self.inner.st.lock().urgent
    }

    /// Watches for new data and the peer's close while data waits unread (`on`), and has
    /// the next one reported; or stops.
    pub(crate) fn watch_reads(&self, on: bool) -> io::Result<()> {
        self.update(|st| {
            if on {
                st.mask | READS
            } else {
                st.mask & !READS
            }
        })
    }

    /// Whether [`watch_reads`](Self::watch_reads) is on.
    pub(crate) fn watching_reads(&self) -> bool {
        self.inner.st.lock().mask & READS != 0
    }

    /// Selects what `f` says and arms the wait if anything is selected.
    fn update(&self, f: impl FnOnce(&mut WatchState) -> i32) -> io::Result<()> {
        let i = &*self.inner;
        let mut st = i.st.lock();
        let mask = f(&mut st);
        if mask != st.mask {
            // SAFETY: the OS socket outlives the watch (the caller of `start` promised).
            unsafe { select(i.sock, i.event, mask)? };
            st.mask = mask;
        }
        if mask == 0 || i.armed.load(Ordering::SeqCst) {
            return Ok(());
        }
        if !st.wait.is_null() {
            // The previous one-shot wait has run (its callback may still be returning, with
            // its own reference): it is freed by unregistering it, without waiting (NULL).
            // SAFETY: a wait registered below, unregistered once.
            unsafe { UnregisterWaitEx(st.wait, std::ptr::null_mut()) };
            st.wait = std::ptr::null_mut();
        }
        let ctx = Arc::into_raw(self.inner.clone());
        let mut h: HANDLE = std::ptr::null_mut();
        // SAFETY: `ctx` is a reference the callback takes over (or drop, if the wait never
        // runs); the callback matches WAITORTIMERCALLBACK.
        let ok = unsafe {
            RegisterWaitForSingleObject(
                &mut h,
                i.event,
                Some(watch_signalled),
                ctx.cast(),
                INFINITE,
                WT_EXECUTEONLYONCE,
            )
        };
        if ok == 0 {
            let e = io::Error::last_os_error();
            // SAFETY: the reference made above, which no wait took.
            drop(unsafe { Arc::from_raw(ctx) });
            return Err(e);
        }
        st.wait = h;
        i.armed.store(true, Ordering::SeqCst);
        Ok(())
    }
}

/// The wait callback: the OS posted a selected event.
unsafe extern "system" fn watch_signalled(ctx: *mut c_void, _timed_out: bool) {
    // SAFETY: the reference `update` made for this wait, ours now.
    let i = unsafe { Arc::from_raw(ctx.cast::<WatchInner>()) };
    let seen = {
        let mut st = i.st.lock();
        i.armed.store(false, Ordering::SeqCst);
        if st.stopped {
            return;
        }
        // SAFETY: zeroed WSANETWORKEVENTS is valid; the socket is open until drop, which
        // sets `stopped` first (under this lock); resets the event.
        let seen = unsafe {
            let mut ne: ws::WSANETWORKEVENTS = std::mem::zeroed();
            ws::WSAEnumNetworkEvents(i.sock, i.event as ws::WSAEVENT, &mut ne);
            ne.lNetworkEvents
        };
        let mut mask = st.mask;
        if seen & ws::FD_OOB as i32 != 0 {
            // One-shot: selected again once no urgent data is pending.
            mask &= !(ws::FD_OOB as i32);
        }
        // Selecting again (also with the same mask): data arriving from now on is
        // recorded even while the OS's FD_READ waits for its recv (rule 20).
        // SAFETY: open, as above.
        if unsafe { select(i.sock, i.event, mask) }.is_ok() {
            st.mask = mask;
        }
        seen
    };
    i.waker.wake_with(Readiness {
        readable: true,
        read_closed: seen & ws::FD_CLOSE as i32 != 0,
        ..Readiness::default()
    });
}

impl Drop for OsWatch {
    fn drop(&mut self) {
        let i = &*self.inner;
        let wait = {
            let mut st = i.st.lock();
            st.stopped = true;
            if st.mask != 0 {
                // SAFETY: the OS socket is still open (it outlives the watch).
                let _ = unsafe { select(i.sock, i.event, 0) };
                st.mask = 0;
            }
            std::mem::replace(&mut st.wait, std::ptr::null_mut())
        };
        if !wait.is_null() {
            // Waits for a callback in progress (INVALID_HANDLE_VALUE), with no lock held:
            // the callback needs only the watch's own, released above.
            // SAFETY: the registered wait, unregistered once.
            unsafe { UnregisterWaitEx(wait, INVALID_HANDLE_VALUE) };
        }
        if i.armed.swap(false, Ordering::SeqCst) {
            // The wait never ran: the reference it held is released here.
            // SAFETY: the reference `update` made for that wait, which no callback took.
            drop(unsafe { Arc::from_raw(Arc::as_ptr(&self.inner)) });
        }
    }
}

impl Drop for WatchInner {
    fn drop(&mut self) {
        // SAFETY: our event, no longer selected nor waited on (the last reference).
        unsafe { CloseHandle(self.event) };
    }
}
