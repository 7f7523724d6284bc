//! The calls of the real backend that differ on Unix (Linux and macOS; the BSDs follow
//! macOS): `ioctl` and `poll` for counts and levels, Linux's `TCP_INFO`. Parts that only
//! Linux has are marked `Linux only`.

use std::io;
use std::os::fd::AsRawFd;

use mio::Interest;
use socket2::SockRef;

use super::net::{Level, OsSocket};

/// epoll and kqueue report a readiness at each new arrival, whatever I/O calls returned.
pub(crate) const NEEDS_REARM: bool = false;

/// `SIOCATMARK` (not in the libc crate for every OS): Linux's sockios value, BSD's
/// `_IOR('s', 7, int)`.
#[cfg(any(target_os = "linux", target_os = "android"))]
const SIOCATMARK: u64 = 0x8905;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const SIOCATMARK: u64 = 0x4004_7307;

pub(super) const MSG_PEEK: i32 = libc::MSG_PEEK;
pub(super) const MSG_OOB: i32 = libc::MSG_OOB;
/// No SIGPIPE, ever (section D, gap 12): Linux takes it per call (`MSG_NOSIGNAL`), macOS
/// per socket (`SO_NOSIGPIPE`, see [`configure`]).
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(super) const MSG_NOSIGNAL: i32 = libc::MSG_NOSIGNAL;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(super) const MSG_NOSIGNAL: i32 = 0;

/// Readable (and urgent where the poller reports it: `EPOLLPRI`, Linux only; kqueue has
/// no urgent filter), plus writable when asked.
pub(super) fn interest(writable: bool) -> Interest {
    let i = Interest::READABLE;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let i = i | Interest::PRIORITY;
    if writable { i | Interest::WRITABLE } else { i }
}

/// Per-socket set-up of a new or accepted socket: macOS and FreeBSD take SIGPIPE
/// suppression per socket (`SO_NOSIGPIPE`).
pub(super) fn configure(s: SockRef<'_>) -> io::Result<()> {
    #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
    s.set_nosigpipe(true)?;
    let _ = s;
    Ok(())
}

/// Linux only: a new attempt after a failed one (rule 33, Q4). Linux keeps the socket
/// "connecting" after the failure, and since the error was already taken from SO_ERROR,
/// the first connect() only resets that state, failing ECONNABORTED; the kernel is then
/// unconnected, and the attempt proper is the next call.
pub(super) fn connect_again(e: &io::Error) -> bool {
    cfg!(any(target_os = "linux", target_os = "android"))
        && e.raw_os_error() == Some(libc::ECONNABORTED)
}

/// BSD (macOS) only: a socket whose connect failed cannot connect again (EINVAL), where
/// Windows starts a new attempt (rule 33, Q4); the backend then swaps in a fresh socket
/// (`OsSocket::renew`).
pub(crate) const RENEW_AFTER_FAILED_CONNECT: bool =
    cfg!(not(any(target_os = "linux", target_os = "android")));

pub(super) fn in_progress(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::EINPROGRESS) || e.kind() == io::ErrorKind::WouldBlock
}

/// Bytes queued for reading, as Windows' `FIONREAD` counts them: on UDP the next
/// datagram's size. Linux's `FIONREAD` gives that (and on TCP stops at a pending urgent
/// mark). BSD's `FIONREAD` gives all queued bytes on UDP (and on TCP leaves the urgent
/// byte out), so macOS asks `SO_NREAD` there, which gives the first datagram's size.
pub(super) fn bytes_available(s: SockRef<'_>) -> io::Result<usize> {
    let fd = s.as_raw_fd();
    #[cfg(any(target_os = "macos", target_os = "ios"))]
    if s.r#type()? == socket2::Type::DGRAM {
        let mut n: libc::c_int = 0;
        let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: an open fd; `n` and `len` are valid for writes, `len` holds n's size.
        let r = unsafe {
            libc::getsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_NREAD,
                (&mut n as *mut libc::c_int).cast(),
                &mut len,
            )
        };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        return Ok(n.max(0) as usize);
    }
    let mut n: libc::c_int = 0;
    // SAFETY: `fd` is an open socket borrowed for the duration of the call, and FIONREAD
    // writes one c_int to the valid, aligned pointer we pass.
    let r = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n.max(0) as usize)
}

pub(super) fn level(s: SockRef<'_>, level: Level) -> bool {
    let what = match level {
        Level::Read => libc::POLLIN,
        Level::Write => libc::POLLOUT,
        #[cfg(any(target_os = "linux", target_os = "android"))]
        Level::Closed => libc::POLLRDHUP | libc::POLLHUP | libc::POLLERR,
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        Level::Closed => libc::POLLHUP | libc::POLLERR,
    };
    let mut p = libc::pollfd {
        fd: s.as_raw_fd(),
        events: what,
        revents: 0,
    };
    // SAFETY: one valid pollfd for an fd we borrow for the call; timeout 0 never blocks.
    let r = unsafe { libc::poll(&mut p, 1, 0) };
    r > 0 && (p.revents & what) != 0
}

/// `SIOCATMARK` as the OS answers it: is the read pointer at the urgent mark?
pub(super) fn at_mark(s: SockRef<'_>) -> io::Result<bool> {
    let fd = s.as_raw_fd();
    let mut n: libc::c_int = 0;
    // SAFETY: as for FIONREAD: an open fd and a valid c_int out-pointer.
    let r = unsafe { libc::ioctl(fd, SIOCATMARK as _, &mut n) };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n != 0)
}

/// Why the peer closed: `SO_ERROR` (read and cleared) holds ECONNRESET after a RST and
/// nothing after a FIN.
pub(super) fn close_error(os: &OsSocket) -> io::Result<Option<io::Error>> {
    os.take_error()
}

/// Linux only: the bytes of sequence space this TCP connection has received so far
/// (`TCP_INFO`'s `tcpi_bytes_received`, Linux 4.1 and later): data, urgent bytes, and 1
/// for a received FIN. A count of arrivals that no read changes. (macOS has no `TCP_INFO`
/// of this shape; its `TCP_CONNECTION_INFO` has no received-bytes count.)
#[cfg(target_os = "linux")]
pub(super) fn bytes_received(s: SockRef<'_>) -> io::Result<u64> {
    let fd = s.as_raw_fd();
    // SAFETY: `tcp_info` is plain old data; all-zero is a valid value.
    let mut info: libc::tcp_info = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
    // SAFETY: `fd` is an open socket borrowed for the call; `info` and `len` are valid
    // for writes and `len` holds the buffer's size.
    let r = unsafe {
        libc::getsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&mut info as *mut libc::tcp_info).cast(),
            &mut len,
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    let end = std::mem::offset_of!(libc::tcp_info, tcpi_bytes_received) + 8;
    if (len as usize) < end {
        return Err(io::Error::from(io::ErrorKind::Unsupported));
    }
    Ok(info.tcpi_bytes_received)
}
