//! The real OS backend: mio for readiness, socket2 for the calls mio does not offer, libc
//! for the few ioctls neither exposes (Unix).

use std::io;
use std::mem::MaybeUninit;
use std::net::{Shutdown, SocketAddr};
use std::time::Duration;

use mio::{Events, Interest, Poll, Registry, Token, Waker};
use socket2::{Domain, MaybeUninitSlice, Protocol, SockAddr, SockRef, Socket, Type};

use crate::sync::Mutex;

/// The token mio's waker uses; socket tokens are slab indices, far below it.
const WAKER: Token = Token(usize::MAX);

/// `SIOCATMARK` (not in the libc crate for every OS): Linux's sockios value, BSD's `_IOR('s', 7, int)`.
#[cfg(any(target_os = "linux", target_os = "android"))]
const SIOCATMARK: u64 = 0x8905;
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
const SIOCATMARK: u64 = 0x4004_7307;
#[cfg(unix)]
const MSG_PEEK: i32 = libc::MSG_PEEK;
#[cfg(unix)]
const MSG_OOB: i32 = libc::MSG_OOB;
#[cfg(windows)]
const MSG_PEEK: i32 = 2;
#[cfg(windows)]
const MSG_OOB: i32 = 1;
/// No SIGPIPE, ever (section D, gap 12): Linux takes it per call, macOS per socket.
#[cfg(any(target_os = "linux", target_os = "android"))]
const MSG_NOSIGNAL: i32 = libc::MSG_NOSIGNAL;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const MSG_NOSIGNAL: i32 = 0;

/// What one readiness notification said about one socket (section D's mio table).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Readiness {
    /// `EPOLLIN` / `EVFILT_READ`.
    pub readable: bool,
    /// `EPOLLOUT` / `EVFILT_WRITE`.
    pub writable: bool,
    /// `EPOLLERR`, or kqueue `EV_EOF` with an error.
    pub error: bool,
    /// The peer's FIN (or a reset): `EPOLLRDHUP`/`EPOLLHUP`, kqueue `EV_EOF` on read.
    pub read_closed: bool,
    /// Urgent data (`EPOLLPRI`; never reported by kqueue).
    pub priority: bool,
}

/// The OS poller: one mio `Poll`, its `Waker`, and a registry handle for (de)registration
/// from any thread. `poll` is only ever entered by one thread at a time (the dispatcher
/// hands the role out), so its lock is uncontended.
pub(crate) struct Poller {
    poll: Mutex<(Poll, Events)>,
    registry: Registry,
    waker: Waker,
}

impl Poller {
    pub(crate) fn new() -> io::Result<Poller> {
        let poll = Poll::new()?;
        let registry = poll.registry().try_clone()?;
        let waker = Waker::new(poll.registry(), WAKER)?;
        Ok(Poller {
            poll: Mutex::new((poll, Events::with_capacity(1024))),
            registry,
            waker,
        })
    }

    /// Waits up to `timeout` and calls `f` for each socket readiness. Returns whether the
    /// OS may have more ready than one call returns (the buffer was full, or the call
    /// failed): readiness queued before this call can then come out of the next one.
    pub(crate) fn poll(
        &self,
        timeout: Option<Duration>,
        mut f: impl FnMut(usize, Readiness),
    ) -> bool {
        let mut guard = self.poll.lock();
        let (poll, events) = &mut *guard;
        match poll.poll(events, timeout) {
            Ok(()) => {}
            // EINTR and friends: the caller re-evaluates and polls again if it must.
            Err(_) => return true,
        }
        let full = events.iter().count() >= events.capacity();
        for ev in events.iter() {
            if ev.token() == WAKER {
                continue;
            }
            f(
                ev.token().0,
                Readiness {
                    readable: ev.is_readable(),
                    writable: ev.is_writable(),
                    error: ev.is_error(),
                    read_closed: ev.is_read_closed(),
                    priority: ev.is_priority(),
                },
            );
        }
        full
    }

    /// The registry, for sources other than sockets (the change notifications).
    #[cfg(unix)]
    pub(crate) fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Makes a concurrent `poll` return.
    pub(crate) fn wake(&self) {
        let _ = self.waker.wake();
    }

    /// Readable (and urgent, where the poller reports it), plus writable when asked: a
    /// socket asks for writability only while it waits for it (a connect in progress, a
    /// send that could not complete), so that a readable-only readiness means data arrived.
    fn interest(writable: bool) -> Interest {
        let i = Interest::READABLE;
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let i = i | Interest::PRIORITY;
        if writable { i | Interest::WRITABLE } else { i }
    }
}

/// Receive flags the emulation uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RecvFlags {
    /// `MSG_PEEK`.
    pub peek: bool,
    /// `MSG_OOB`.
    pub oob: bool,
}

impl RecvFlags {
    fn bits(self) -> i32 {
        (if self.peek { MSG_PEEK } else { 0 }) | (if self.oob { MSG_OOB } else { 0 })
    }
}

/// One non-blocking OS socket. TCP sockets start as a plain socket and become a mio stream
/// at `connect` or a mio listener at `listen`; UDP sockets are mio sockets from the start.
/// All I/O goes through mio's `try_io` where mio has it, so the Windows (IOCP) backend sees
/// every `WouldBlock` and re-arms.
pub(crate) enum OsSocket {
    Fresh(Socket),
    Stream(mio::net::TcpStream),
    Listener(mio::net::TcpListener),
    Udp(mio::net::UdpSocket),
    Closed,
}

fn closed() -> io::Error {
    io::Error::from(io::ErrorKind::NotConnected)
}

fn take_socket(s: &mut OsSocket) -> Socket {
    match std::mem::replace(s, OsSocket::Closed) {
        OsSocket::Fresh(sock) => sock,
        OsSocket::Stream(x) => Socket::from(std::net::TcpStream::from(x)),
        OsSocket::Listener(x) => Socket::from(std::net::TcpListener::from(x)),
        OsSocket::Udp(x) => Socket::from(std::net::UdpSocket::from(x)),
        OsSocket::Closed => unreachable!("checked by the caller"),
    }
}

/// Views an initialised buffer as the `MaybeUninit` buffer socket2 takes.
fn uninit(buf: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: `MaybeUninit<u8>` has the layout of `u8`, every initialised byte is a valid
    // `MaybeUninit<u8>`, and socket2 only ever writes initialised bytes into the buffer, so
    // the slice stays fully initialised for the caller.
    unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) }
}

impl OsSocket {
    /// `socket(AF_INET/AF_INET6, SOCK_STREAM/SOCK_DGRAM, 0)`, non-blocking, close-on-exec,
    /// no SIGPIPE.
    pub(crate) fn new(v6: bool, stream: bool) -> io::Result<OsSocket> {
        let domain = if v6 { Domain::IPV6 } else { Domain::IPV4 };
        let (ty, proto) = if stream {
            (Type::STREAM, Protocol::TCP)
        } else {
            (Type::DGRAM, Protocol::UDP)
        };
        let s = Socket::new(domain, ty, Some(proto))?;
        s.set_nonblocking(true)?;
        #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
        s.set_nosigpipe(true)?;
        if v6 {
            // Windows' default for AF_INET6 sockets is dual-stack off.
            let _ = s.set_only_v6(true);
        }
        Ok(if stream {
            OsSocket::Fresh(s)
        } else {
            OsSocket::Udp(mio::net::UdpSocket::from_std(s.into()))
        })
    }

    fn from_accepted(stream: mio::net::TcpStream) -> io::Result<OsSocket> {
        #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
        SockRef::from(&stream).set_nosigpipe(true)?;
        Ok(OsSocket::Stream(stream))
    }

    /// A borrowed socket2 view, for options and flagged calls.
    pub(crate) fn sock(&self) -> io::Result<SockRef<'_>> {
        Ok(match self {
            OsSocket::Fresh(s) => SockRef::from(s),
            OsSocket::Stream(s) => SockRef::from(s),
            OsSocket::Listener(s) => SockRef::from(s),
            OsSocket::Udp(s) => SockRef::from(s),
            OsSocket::Closed => return Err(closed()),
        })
    }

    pub(crate) fn is_closed(&self) -> bool {
        matches!(self, OsSocket::Closed)
    }

    /// Runs an I/O call through mio's `try_io` where the type has one.
    fn io<T>(&self, f: impl FnOnce(SockRef<'_>) -> io::Result<T>) -> io::Result<T> {
        match self {
            OsSocket::Stream(s) => s.try_io(|| f(SockRef::from(s))),
            OsSocket::Udp(s) => s.try_io(|| f(SockRef::from(s))),
            other => f(other.sock()?),
        }
    }

    pub(crate) fn bind(&self, addr: SocketAddr) -> io::Result<()> {
        self.sock()?.bind(&SockAddr::from(addr))
    }

    /// `listen`: the socket becomes a listener.
    pub(crate) fn listen(&mut self, backlog: i32) -> io::Result<()> {
        self.sock()?.listen(backlog)?;
        if let OsSocket::Fresh(_) = self {
            let s = take_socket(self);
            *self = OsSocket::Listener(mio::net::TcpListener::from_std(s.into()));
        }
        Ok(())
    }

    /// Starts a connect. `Ok(true)`: connected at once; `Ok(false)`: in progress.
    pub(crate) fn connect(&mut self, addr: SocketAddr) -> io::Result<bool> {
        let target = SockAddr::from(addr);
        let mut res = self.sock()?.connect(&target);
        // A new attempt after a failed one (rule 33, Q4): Linux keeps the socket
        // "connecting" after the failure, and since the error was already taken from
        // SO_ERROR, the first connect() only resets that state, failing ECONNABORTED. The
        // kernel is then unconnected, and the attempt proper starts here.
        #[cfg(unix)]
        if matches!(&res, Err(e) if e.raw_os_error() == Some(libc::ECONNABORTED)) {
            res = self.sock()?.connect(&target);
        }
        let done = match res {
            Ok(()) => true,
            Err(e) if in_progress(&e) => false,
            Err(e) => return Err(e),
        };
        if let OsSocket::Fresh(_) = self {
            let s = take_socket(self);
            *self = OsSocket::Stream(mio::net::TcpStream::from_std(s.into()));
        }
        Ok(done)
    }

    pub(crate) fn accept(&self) -> io::Result<(OsSocket, SocketAddr)> {
        match self {
            OsSocket::Listener(l) => {
                let (s, addr) = l.accept()?;
                Ok((OsSocket::from_accepted(s)?, addr))
            }
            _ => Err(io::Error::from(io::ErrorKind::InvalidInput)),
        }
    }

    pub(crate) fn recv(&self, buf: &mut [u8], flags: RecvFlags) -> io::Result<usize> {
        self.io(|s| s.recv_with_flags(uninit(buf), flags.bits()))
    }

    /// `recvfrom`; also reports whether the datagram was truncated to fit `buf`.
    pub(crate) fn recv_from(
        &self,
        buf: &mut [u8],
        flags: RecvFlags,
    ) -> io::Result<(usize, bool, Option<SocketAddr>)> {
        self.io(|s| {
            let mut bufs = [MaybeUninitSlice::new(uninit(buf))];
            let (n, rf, addr) = s.recv_from_vectored_with_flags(&mut bufs, flags.bits())?;
            Ok((n, rf.is_truncated(), addr.as_socket()))
        })
    }

    pub(crate) fn send(&self, buf: &[u8], oob: bool) -> io::Result<usize> {
        let flags = MSG_NOSIGNAL | if oob { MSG_OOB } else { 0 };
        self.io(|s| s.send_with_flags(buf, flags))
    }

    pub(crate) fn send_to(&self, buf: &[u8], addr: SocketAddr) -> io::Result<usize> {
        self.io(|s| s.send_to_with_flags(buf, &SockAddr::from(addr), MSG_NOSIGNAL))
    }

    pub(crate) fn shutdown_write(&self) -> io::Result<()> {
        self.sock()?.shutdown(Shutdown::Write)
    }

    /// `SO_ERROR`, read (and, on Unix, cleared).
    pub(crate) fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.sock()?.take_error()
    }

    pub(crate) fn local_addr(&self) -> io::Result<SocketAddr> {
        self.sock()?
            .local_addr()?
            .as_socket()
            .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))
    }

    pub(crate) fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.sock()?
            .peer_addr()?
            .as_socket()
            .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))
    }

    /// Registers with the poller under `token` (see [`Poller::interest`]).
    pub(crate) fn register(&mut self, p: &Poller, token: usize, writable: bool) -> io::Result<()> {
        let (t, i) = (Token(token), Poller::interest(writable));
        match self {
            OsSocket::Stream(s) => p.registry.register(s, t, i),
            OsSocket::Listener(s) => p.registry.register(s, t, Interest::READABLE),
            OsSocket::Udp(s) => p.registry.register(s, t, i),
            _ => Err(io::Error::from(io::ErrorKind::InvalidInput)),
        }
    }

    /// Changes whether writability is watched. The OS re-checks the socket at once and
    /// reports it again if it is ready now.
    pub(crate) fn reregister(
        &mut self,
        p: &Poller,
        token: usize,
        writable: bool,
    ) -> io::Result<()> {
        let (t, i) = (Token(token), Poller::interest(writable));
        match self {
            OsSocket::Stream(s) => p.registry.reregister(s, t, i),
            OsSocket::Udp(s) => p.registry.reregister(s, t, i),
            _ => Ok(()),
        }
    }

    pub(crate) fn deregister(&mut self, p: &Poller) {
        let _ = match self {
            OsSocket::Stream(s) => p.registry.deregister(s),
            OsSocket::Listener(s) => p.registry.deregister(s),
            OsSocket::Udp(s) => p.registry.deregister(s),
            _ => Ok(()),
        };
    }

    /// `FIONREAD`: bytes queued for reading (the next datagram's size on UDP).
    #[cfg(unix)]
    pub(crate) fn bytes_available(&self) -> io::Result<usize> {
        use std::os::fd::AsRawFd;
        let fd = self.sock()?.as_raw_fd();
        let mut n: libc::c_int = 0;
        // SAFETY: `fd` is an open socket borrowed for the duration of the call, and FIONREAD
        // writes one c_int to the valid, aligned pointer we pass.
        let r = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n.max(0) as usize)
    }

    /// `FIONREAD` where no ioctl is at hand: whether at least one byte can be peeked.
    #[cfg(windows)]
    pub(crate) fn bytes_available(&self) -> io::Result<usize> {
        let mut b = [0u8; 1];
        match self.recv(
            &mut b,
            RecvFlags {
                peek: true,
                oob: false,
            },
        ) {
            Ok(n) => Ok(n),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(0),
            Err(e) => Err(e),
        }
    }

    /// Level check for the re-enabling rules (D.6): is the socket readable now (data, a
    /// pending connection, or EOF)?
    #[cfg(unix)]
    pub(crate) fn readable_now(&self) -> bool {
        self.poll_now(libc::POLLIN)
    }

    /// Level check: is there room to send now?
    #[cfg(unix)]
    pub(crate) fn writable_now(&self) -> bool {
        self.poll_now(libc::POLLOUT)
    }

    /// Level check: has the peer's FIN or RST arrived, or is an error pending?
    #[cfg(unix)]
    pub(crate) fn closed_now(&self) -> bool {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let what = libc::POLLRDHUP | libc::POLLHUP | libc::POLLERR;
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let what = libc::POLLHUP | libc::POLLERR;
        self.poll_now(what)
    }

    #[cfg(unix)]
    fn poll_now(&self, what: libc::c_short) -> bool {
        use std::os::fd::AsRawFd;
        let Ok(s) = self.sock() else { return false };
        let mut p = libc::pollfd {
            fd: s.as_raw_fd(),
            events: what,
            revents: 0,
        };
        // SAFETY: one valid pollfd for an fd we borrow for the call; timeout 0 never blocks.
        let r = unsafe { libc::poll(&mut p, 1, 0) };
        r > 0 && (p.revents & what) != 0
    }

    #[cfg(windows)]
    pub(crate) fn readable_now(&self) -> bool {
        match self {
            OsSocket::Listener(_) => false,
            _ => self.bytes_available().map(|n| n > 0).unwrap_or(false),
        }
    }

    #[cfg(windows)]
    pub(crate) fn writable_now(&self) -> bool {
        true
    }

    #[cfg(windows)]
    pub(crate) fn closed_now(&self) -> bool {
        false
    }

    /// Whether urgent data is waiting to be read with `MSG_OOB` (a `MSG_OOB|MSG_PEEK`
    /// probe; EINVAL or EWOULDBLOCK mean none).
    pub(crate) fn urgent_pending(&self) -> bool {
        let mut b = [0u8; 1];
        matches!(
            self.recv(&mut b, RecvFlags { peek: true, oob: true }),
            Ok(n) if n > 0
        )
    }

    /// Whether a normal (not `MSG_OOB`) recv would return data now: a 1-byte peek. Unlike
    /// Linux's FIONREAD, which stops at a pending urgent mark, a peek at the mark skips
    /// the urgent byte and sees the data behind it.
    pub(crate) fn normal_readable(&self) -> bool {
        let mut b = [0u8; 1];
        matches!(
            self.recv(&mut b, RecvFlags { peek: true, oob: false }),
            Ok(n) if n > 0
        )
    }

    /// How many normal bytes a peek returns now, counting at most `cap` (with the read
    /// pointer at a pending urgent mark: the bytes behind the urgent byte).
    pub(crate) fn peek_count(&self, cap: usize) -> usize {
        let mut b = vec![0u8; cap];
        self.recv(
            &mut b,
            RecvFlags {
                peek: true,
                oob: false,
            },
        )
        .unwrap_or(0)
    }

    /// Linux: the bytes of sequence space this TCP connection has received so far
    /// (`TCP_INFO`'s `tcpi_bytes_received`, Linux 4.1 and later): data, urgent bytes, and
    /// 1 for a received FIN. A count of arrivals that no read changes.
    #[cfg(target_os = "linux")]
    pub(crate) fn bytes_received(&self) -> io::Result<u64> {
        use std::os::fd::AsRawFd;
        let fd = self.sock()?.as_raw_fd();
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

    /// `SIOCATMARK` as the OS answers it: is the read pointer at the urgent mark?
    #[cfg(unix)]
    pub(crate) fn at_mark(&self) -> io::Result<bool> {
        use std::os::fd::AsRawFd;
        let fd = self.sock()?.as_raw_fd();
        let mut n: libc::c_int = 0;
        // SAFETY: as for FIONREAD: an open fd and a valid c_int out-pointer.
        let r = unsafe { libc::ioctl(fd, SIOCATMARK as _, &mut n) };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n != 0)
    }

    #[cfg(windows)]
    pub(crate) fn at_mark(&self) -> io::Result<bool> {
        Ok(!self.urgent_pending())
    }
}

fn in_progress(e: &io::Error) -> bool {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::EINPROGRESS) {
        return true;
    }
    e.kind() == io::ErrorKind::WouldBlock
}
