//! The real OS backend, the same on every OS: mio for readiness, socket2 for the calls mio
//! does not offer. The few calls neither crate has are in `unix.rs` and `windows.rs`
//! (`imp`), as in socket2.

use std::collections::VecDeque;
use std::io;
use std::mem::MaybeUninit;
use std::net::{Shutdown, SocketAddr};
use std::time::Duration;

use mio::{Events, Interest, Poll, Registry, Token, Waker};
use socket2::{Domain, MaybeUninitSlice, Protocol, SockAddr, SockRef, Socket, Type};

use super::imp;
use super::{Readiness, RecvFlags};
use crate::sync::Mutex;

/// The token mio's waker uses; socket tokens are slab indices, far below it.
const WAKER: Token = Token(usize::MAX);

/// The OS poller: one mio `Poll`, its `Waker`, and a registry handle for (de)registration
/// from any thread. `poll` is only ever entered by one thread at a time (the dispatcher
/// hands the role out), so its lock is uncontended.
pub(crate) struct Poller {
    poll: Mutex<(Poll, Events)>,
    registry: Registry,
    wakeups: std::sync::Arc<Wakeups>,
}

/// The poller's one `Waker` (mio allows one per `Poll`), and the tokens that
/// [`TokenWaker`]s woke since the last poll returned.
struct Wakeups {
    waker: Waker,
    tokens: Mutex<Vec<usize>>,
}

/// Makes the poller report a readiness (readable) for one token, from any thread: for
/// sources that are no OS socket the poller can watch (Windows' change notifications,
/// whose callbacks run on system threads).
#[cfg(windows)]
pub(crate) struct TokenWaker {
    wakeups: std::sync::Arc<Wakeups>,
    token: usize,
}

#[cfg(windows)]
impl TokenWaker {
    pub(crate) fn wake(&self) {
        self.wakeups.tokens.lock().push(self.token);
        let _ = self.wakeups.waker.wake();
    }
}

/// A level the socket layer asks about (answered by each OS file's `level`).
#[derive(Clone, Copy)]
pub(super) enum Level {
    /// Data, a pending connection, or EOF.
    Read,
    /// Room to send.
    Write,
    /// The peer's FIN or RST arrived, or an error is pending (Linux: `POLLRDHUP`; other
    /// Unix: `POLLHUP`, which BSD sets at the FIN; Windows: `POLLHUP`/`POLLERR` of a
    /// `WSAPoll` for normal reads).
    Closed,
}

impl Poller {
    pub(crate) fn new() -> io::Result<Poller> {
        let poll = Poll::new()?;
        let registry = poll.registry().try_clone()?;
        let waker = Waker::new(poll.registry(), WAKER)?;
        Ok(Poller {
            poll: Mutex::new((poll, Events::with_capacity(1024))),
            registry,
            wakeups: std::sync::Arc::new(Wakeups {
                waker,
                tokens: Mutex::new(Vec::new()),
            }),
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
        let mut woken = false;
        for ev in events.iter() {
            if ev.token() == WAKER {
                woken = true;
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
        if woken {
            let mut tokens = std::mem::take(&mut *self.wakeups.tokens.lock());
            tokens.sort_unstable();
            tokens.dedup();
            for t in tokens {
                let readable = Readiness {
                    readable: true,
                    ..Readiness::default()
                };
                f(t, readable);
            }
        }
        full
    }

    /// A [`TokenWaker`] for `token`.
    #[cfg(windows)]
    pub(crate) fn token_waker(&self, token: usize) -> TokenWaker {
        TokenWaker {
            wakeups: self.wakeups.clone(),
            token,
        }
    }

    /// Registers a descriptor that is not a socket (a change source: netlink, the routing
    /// socket) for readability under `token`.
    #[cfg(unix)]
    pub(crate) fn register_fd(&self, fd: std::os::fd::RawFd, token: usize) -> io::Result<()> {
        self.registry.register(
            &mut mio::unix::SourceFd(&fd),
            Token(token),
            Interest::READABLE,
        )
    }

    /// Undoes [`register_fd`](Self::register_fd).
    #[cfg(unix)]
    pub(crate) fn deregister_fd(&self, fd: std::os::fd::RawFd) {
        let _ = self.registry.deregister(&mut mio::unix::SourceFd(&fd));
    }

    /// Makes a concurrent `poll` return.
    pub(crate) fn wake(&self) {
        let _ = self.wakeups.waker.wake();
    }

    /// Readable (and urgent, where the poller reports it), plus writable when asked: a
    /// socket asks for writability only while it waits for it (a connect in progress, a
    /// send that could not complete), so that a readable-only readiness means data arrived.
    fn interest(writable: bool) -> Interest {
        imp::interest(writable)
    }
}

impl RecvFlags {
    fn bits(self) -> i32 {
        (if self.peek { imp::MSG_PEEK } else { 0 }) | (if self.oob { imp::MSG_OOB } else { 0 })
    }
}

/// One non-blocking OS socket. TCP sockets start as a plain socket and become a mio stream
/// at `connect` or a mio listener at `listen`; UDP sockets are mio sockets from the start.
/// All I/O goes through mio's `try_io` where mio has it, so the Windows (IOCP) backend sees
/// every `WouldBlock` and re-arms.
pub(crate) enum OsSocket {
    Fresh(Socket),
    Stream(mio::net::TcpStream),
    Listener(mio::net::TcpListener, Backlog),
    Udp(mio::net::UdpSocket, Datagrams),
    Closed,
}

/// Datagrams a UDP socket took from the OS before the application asked for them, with
/// the receive errors between them (an ICMP port-unreachable, as its raw OS code), in
/// arrival order. Used only where the poller does not report each new datagram
/// ([`NEEDS_REARM`](super::NEEDS_REARM)): taking them is what counts them (see
/// [`OsSocket::collect_datagrams`]). Holds at most [`Datagrams::CAP`] bytes.
#[derive(Default)]
pub(crate) struct Datagrams {
    queue: VecDeque<Result<(Vec<u8>, SocketAddr), i32>>,
    bytes: usize,
}

impl Datagrams {
    /// Windows' default receive buffer is 64 KiB; this holds a few times that.
    const CAP: usize = 256 * 1024;

    fn has_room(&self) -> bool {
        self.bytes < Self::CAP
    }

    fn pop(&mut self) {
        if let Some(Ok((d, _))) = self.queue.pop_front() {
            self.bytes -= d.len();
        }
    }
}

/// Connections a listener took from the OS's queue before the application asked for them.
/// Used only where the poller does not report each new connection
/// ([`NEEDS_REARM`](super::NEEDS_REARM)): taking them is what counts them (see
/// [`OsSocket::collect_connections`]). At most the listen backlog are held. Windows resets
/// the connections still queued when the listener closes, and so does dropping this.
#[derive(Default)]
pub(crate) struct Backlog {
    queue: VecDeque<(mio::net::TcpStream, SocketAddr)>,
    cap: usize,
}

impl Backlog {
    fn has_room(&self) -> bool {
        self.queue.len() < self.cap
    }
}

impl Drop for Backlog {
    fn drop(&mut self) {
        for (s, _) in self.queue.drain(..) {
            let _ = SockRef::from(&s).set_linger(Some(Duration::ZERO));
        }
    }
}

fn closed() -> io::Error {
    io::Error::from(io::ErrorKind::NotConnected)
}

fn take_socket(s: &mut OsSocket) -> Socket {
    match std::mem::replace(s, OsSocket::Closed) {
        OsSocket::Fresh(sock) => sock,
        OsSocket::Stream(x) => Socket::from(std::net::TcpStream::from(x)),
        OsSocket::Listener(x, _) => Socket::from(std::net::TcpListener::from(x)),
        OsSocket::Udp(x, _) => Socket::from(std::net::UdpSocket::from(x)),
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
        imp::configure(SockRef::from(&s))?;
        if v6 {
            // Windows' default for AF_INET6 sockets is dual-stack off.
            let _ = s.set_only_v6(true);
        }
        Ok(if stream {
            OsSocket::Fresh(s)
        } else {
            OsSocket::Udp(
                mio::net::UdpSocket::from_std(s.into()),
                Datagrams::default(),
            )
        })
    }

    fn from_accepted(stream: mio::net::TcpStream) -> io::Result<OsSocket> {
        imp::configure(SockRef::from(&stream))?;
        Ok(OsSocket::Stream(stream))
    }

    /// A borrowed socket2 view, for options and flagged calls.
    pub(crate) fn sock(&self) -> io::Result<SockRef<'_>> {
        Ok(match self {
            OsSocket::Fresh(s) => SockRef::from(s),
            OsSocket::Stream(s) => SockRef::from(s),
            OsSocket::Listener(s, _) => SockRef::from(s),
            OsSocket::Udp(s, _) => SockRef::from(s),
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
            OsSocket::Udp(s, _) => s.try_io(|| f(SockRef::from(s))),
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
            let l = mio::net::TcpListener::from_std(s.into());
            *self = OsSocket::Listener(l, Backlog::default());
        }
        if let OsSocket::Listener(_, b) = self {
            b.cap = backlog.clamp(1, 1024) as usize;
        }
        Ok(())
    }

    /// Starts a connect. `Ok(true)`: connected at once; `Ok(false)`: in progress.
    pub(crate) fn connect(&mut self, addr: SocketAddr) -> io::Result<bool> {
        let target = SockAddr::from(addr);
        let mut res = self.sock()?.connect(&target);
        // A new attempt after a failed one (rule 33, Q4), where the OS needs help.
        if matches!(&res, Err(e) if imp::connect_again(e)) {
            res = self.sock()?.connect(&target);
        }
        let done = match res {
            Ok(()) => true,
            Err(e) if imp::in_progress(&e) => false,
            Err(e) => return Err(e),
        };
        if let OsSocket::Fresh(_) = self {
            let s = take_socket(self);
            *self = OsSocket::Stream(mio::net::TcpStream::from_std(s.into()));
        }
        Ok(done)
    }

    /// `accept`: the oldest connection taken early (see [`Backlog`]), else the OS's next.
    /// Replaces a stream socket whose connect failed with a fresh, unregistered one of the
    /// same family, with the same options, bound to the same address if it is free (where
    /// [`RENEW_AFTER_FAILED_CONNECT`](super::RENEW_AFTER_FAILED_CONNECT)). The caller
    /// deregisters the old one first and registers the new one.
    pub(crate) fn renew(&mut self, v6: bool) -> io::Result<()> {
        let old = self.sock()?;
        let local = old.local_addr().ok().and_then(|a| a.as_socket());
        let (linger, nodelay) = (old.linger()?, old.tcp_nodelay()?);
        let (inline, keepalive) = (old.out_of_band_inline()?, old.keepalive()?);
        let (reuse, rcv, snd) = (
            old.reuse_address()?,
            old.recv_buffer_size()?,
            old.send_buffer_size()?,
        );
        let fresh = OsSocket::new(v6, true)?;
        {
            let s = fresh.sock()?;
            s.set_reuse_address(reuse)?;
            s.set_linger(linger)?;
            s.set_tcp_nodelay(nodelay)?;
            s.set_out_of_band_inline(inline)?;
            s.set_keepalive(keepalive)?;
            s.set_recv_buffer_size(rcv)?;
            s.set_send_buffer_size(snd)?;
        }
        // The failed socket goes first, so that its address is free again. An address the
        // failed attempt bound implicitly may stay taken a while: then the OS binds anew at
        // connect, as it did for the first attempt.
        *self = OsSocket::Closed;
        if let Some(addr) = local.filter(|a| a.port() != 0) {
            let _ = fresh.bind(addr);
        }
        *self = fresh;
        Ok(())
    }

    pub(crate) fn accept(&mut self) -> io::Result<(OsSocket, SocketAddr)> {
        match self {
            OsSocket::Listener(l, b) => {
                let (s, addr) = match b.queue.pop_front() {
                    Some(c) => c,
                    None => l.accept()?,
                };
                Ok((OsSocket::from_accepted(s)?, addr))
            }
            _ => Err(io::Error::from(io::ErrorKind::InvalidInput)),
        }
    }

    /// Where the poller does not report each new datagram
    /// ([`NEEDS_REARM`](super::NEEDS_REARM)): takes the datagrams the OS has queued (up to
    /// [`Datagrams::CAP`] bytes) and returns how many arrived since the last look (errors
    /// are kept in their place, not counted: rule 46). Elsewhere `None`: a readiness is
    /// itself the news of a datagram.
    pub(crate) fn collect_datagrams(&mut self) -> Option<usize> {
        if !imp::NEEDS_REARM {
            return None;
        }
        let mut new = 0;
        let mut buf = vec![0u8; 65536];
        loop {
            let OsSocket::Udp(_, d) = &*self else {
                return Some(0);
            };
            if !d.has_room() {
                break;
            }
            let r = self.os_recv_from(&mut buf, RecvFlags::default());
            let OsSocket::Udp(_, d) = self else {
                return Some(0);
            };
            match r {
                Ok((n, _, Some(addr))) => {
                    d.queue.push_back(Ok((buf[..n].to_vec(), addr)));
                    d.bytes += n;
                    new += 1;
                }
                // WouldBlock (mio re-arms).
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => match e.raw_os_error() {
                    Some(code) => d.queue.push_back(Err(code)),
                    None => break,
                },
                Ok((_, _, None)) => break,
            }
        }
        Some(new)
    }

    /// Where the poller does not report each new connection
    /// ([`NEEDS_REARM`](super::NEEDS_REARM)): takes the connections the OS has queued
    /// (up to the backlog) and returns how many arrived since the last look. Elsewhere
    /// `None`: a readiness of the listener is itself the news of a connection.
    pub(crate) fn collect_connections(&mut self) -> Option<usize> {
        if !imp::NEEDS_REARM {
            return None;
        }
        let OsSocket::Listener(l, b) = self else {
            return Some(0);
        };
        let mut new = 0;
        while b.has_room() {
            match l.accept() {
                Ok(c) => {
                    b.queue.push_back(c);
                    new += 1;
                }
                // WouldBlock (mio re-arms), or a connection that failed in the queue.
                Err(_) => break,
            }
        }
        Some(new)
    }

    pub(crate) fn recv(&self, buf: &mut [u8], flags: RecvFlags) -> io::Result<usize> {
        self.io(|s| s.recv_with_flags(uninit(buf), flags.bits()))
    }

    /// `recvfrom`; also reports whether the datagram was truncated to fit `buf`.
    /// `recvfrom`: the oldest datagram taken early (see [`Datagrams`]), else the OS's
    /// next; also reports whether the datagram was truncated to fit `buf`.
    pub(crate) fn recv_from(
        &mut self,
        buf: &mut [u8],
        flags: RecvFlags,
    ) -> io::Result<(usize, bool, Option<SocketAddr>)> {
        if let OsSocket::Udp(_, d) = self {
            if let Some(front) = d.queue.front() {
                let r = match front {
                    Ok((data, addr)) => {
                        let n = data.len().min(buf.len());
                        buf[..n].copy_from_slice(&data[..n]);
                        Ok((n, data.len() > buf.len(), Some(*addr)))
                    }
                    Err(code) => Err(io::Error::from_raw_os_error(*code)),
                };
                // A peek leaves the datagram queued; an error is reported once.
                if !flags.peek || r.is_err() {
                    d.pop();
                }
                return r;
            }
        }
        self.os_recv_from(buf, flags)
    }

    fn os_recv_from(
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
        let flags = imp::MSG_NOSIGNAL | if oob { imp::MSG_OOB } else { 0 };
        self.io(|s| s.send_with_flags(buf, flags))
    }

    pub(crate) fn send_to(&self, buf: &[u8], addr: SocketAddr) -> io::Result<usize> {
        self.io(|s| s.send_to_with_flags(buf, &SockAddr::from(addr), imp::MSG_NOSIGNAL))
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
            OsSocket::Listener(s, _) => p.registry.register(s, t, Interest::READABLE),
            OsSocket::Udp(s, _) => p.registry.register(s, t, i),
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
            OsSocket::Udp(s, _) => p.registry.reregister(s, t, i),
            _ => Ok(()),
        }
    }

    /// Asks the poller to report the socket's readiness again, at once if it is ready now
    /// (only where [`NEEDS_REARM`](super::NEEDS_REARM); a no-op elsewhere).
    pub(crate) fn rearm(&mut self, p: &Poller, token: usize, writable: bool) -> io::Result<()> {
        if !imp::NEEDS_REARM {
            return Ok(());
        }
        let (t, i) = (Token(token), Poller::interest(writable));
        match self {
            OsSocket::Stream(s) => p.registry.reregister(s, t, i),
            // A full backlog takes no more: its next look is after an accept.
            OsSocket::Listener(s, b) if b.has_room() => {
                p.registry.reregister(s, t, Interest::READABLE)
            }
            // A full queue takes no more: its next look is after a recv.
            OsSocket::Udp(s, d) if d.has_room() => p.registry.reregister(s, t, i),
            _ => Ok(()),
        }
    }

    pub(crate) fn deregister(&mut self, p: &Poller) {
        let _ = match self {
            OsSocket::Stream(s) => p.registry.deregister(s),
            OsSocket::Listener(s, _) => p.registry.deregister(s),
            OsSocket::Udp(s, _) => p.registry.deregister(s),
            _ => Ok(()),
        };
    }

    /// `FIONREAD`: bytes queued for reading (the next datagram's size on UDP, except on
    /// macOS, where it is every queued byte).
    pub(crate) fn bytes_available(&self) -> io::Result<usize> {
        if let OsSocket::Udp(_, d) = self {
            match d.queue.front() {
                Some(Ok((data, _))) => return Ok(data.len()),
                Some(Err(_)) => return Ok(0),
                None => {}
            }
        }
        imp::bytes_available(self.sock()?)
    }

    /// Level check for the re-enabling rules (D.6): is the socket readable now (data, a
    /// pending connection, or EOF)?
    pub(crate) fn readable_now(&self) -> bool {
        match self {
            OsSocket::Listener(_, b) if !b.queue.is_empty() => return true,
            OsSocket::Udp(_, d) if !d.queue.is_empty() => return true,
            _ => {}
        }
        self.level(Level::Read)
    }

    /// Level check: is there room to send now?
    pub(crate) fn writable_now(&self) -> bool {
        self.level(Level::Write)
    }

    /// Level check: has the peer's FIN or RST arrived, or is an error pending?
    pub(crate) fn closed_now(&self) -> bool {
        self.level(Level::Closed)
    }

    fn level(&self, level: Level) -> bool {
        self.sock().is_ok_and(|s| imp::level(s, level))
    }

    /// Why the peer closed, at its FIN or RST: the error (ECONNRESET for a RST), or none
    /// for a FIN. On Unix this is `SO_ERROR`; Windows' reads 0 after a RST.
    pub(crate) fn close_error(&self) -> io::Result<Option<io::Error>> {
        imp::close_error(self)
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
    #[cfg(target_os = "linux")]
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

    /// Linux only: the bytes of sequence space this TCP connection has received so far
    /// (see `unix::bytes_received`).
    #[cfg(target_os = "linux")]
    pub(crate) fn bytes_received(&self) -> io::Result<u64> {
        imp::bytes_received(self.sock()?)
    }

    /// `SIOCATMARK` in the Unix sense: is the read pointer at the urgent mark?
    pub(crate) fn at_mark(&self) -> io::Result<bool> {
        imp::at_mark(self.sock()?)
    }
}
