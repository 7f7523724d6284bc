//! The calls of the real backend that differ on Windows: `ioctlsocket` and `WSAPoll` for
//! counts and levels, through `windows-sys` (already in the tree through mio and socket2).

use std::io;
use std::os::windows::io::AsRawSocket;

use mio::Interest;
use socket2::SockRef;
use windows_sys::Win32::Networking::WinSock as ws;

use super::RecvFlags;
use super::net::OsSocket;

/// mio on Windows reports a readiness once, then not again until an I/O call through it
/// would block (its documented contract, kept literally by its AFD backend): the socket
/// layer re-arms after each readiness and each call that did not block.
pub(crate) const NEEDS_REARM: bool = true;

pub(super) const MSG_PEEK: i32 = ws::MSG_PEEK;
pub(super) const MSG_OOB: i32 = ws::MSG_OOB;
/// Winsock never raises signals.
pub(super) const MSG_NOSIGNAL: i32 = 0;

/// Readable plus writable when asked. (mio asks AFD for no expedited data, so urgent data
/// arriving alone gives no readiness: see `NEEDS_REARM` and `socket/mod.rs`.)
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

/// A level the socket layer asks about.
#[derive(Clone, Copy)]
pub(super) enum Level {
    /// Data, a pending connection, or EOF.
    Read,
    /// Room to send.
    Write,
    /// The peer's FIN or RST arrived, or an error is pending.
    Closed,
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
