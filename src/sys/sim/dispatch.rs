//! The seam's socket as a choice of backend: the OS socket (`net.rs`) or a simulated one
//! (`sim/socket.rs`), with the same methods. A socket is simulated when it is created
//! inside a simulated network (`sim::Host::enter`, or the C process switch). Each method
//! is one `match`; the OS arm calls straight through (measured in `benches/pingpong.rs`:
//! no change).

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use socket2::{SockAddr, SockRef, TcpKeepalive};

use super::super::net;
use super::super::{Poller, RecvFlags};
use super::{Net, SimSocket, current};

/// One socket of either backend (see the module documentation).
pub(crate) enum OsSocket {
    Os(net::OsSocket),
    Sim(SimSocket),
    Closed,
}

/// A borrowed view for options and the few calls made through socket2 (`sock()`).
pub(crate) enum Opts<'a> {
    Os(SockRef<'a>),
    Sim(&'a SimSocket),
}

fn closed() -> io::Error {
    io::Error::from(io::ErrorKind::NotConnected)
}

macro_rules! both {
    ($self:ident, $s:ident => $os:expr, $sim:expr) => {
        match $self {
            OsSocket::Os($s) => $os,
            OsSocket::Sim($s) => $sim,
            OsSocket::Closed => Err(closed()),
        }
    };
}

impl OsSocket {
    /// A socket of the thread's current simulated network if there is one, else an OS one.
    #[inline]
    pub(crate) fn new(v6: bool, stream: bool) -> io::Result<OsSocket> {
        match current() {
            Some((n, host)) => SimSocket::new(&n, host, v6, stream).map(OsSocket::Sim),
            None => net::OsSocket::new(v6, stream).map(OsSocket::Os),
        }
    }

    /// The OS socket, if this is one (for the OS backend's own helpers).
    #[cfg(windows)]
    #[inline]
    pub(crate) fn os_socket(&self) -> Option<&net::OsSocket> {
        match self {
            OsSocket::Os(s) => Some(s),
            _ => None,
        }
    }

    /// The simulated network this socket belongs to (its id; 0 for the OS).
    #[inline]
    pub(crate) fn network(&self) -> u32 {
        match self {
            OsSocket::Sim(s) => s.net().id,
            _ => 0,
        }
    }

    #[inline]
    pub(crate) fn sim_net(&self) -> Option<&std::sync::Arc<Net>> {
        match self {
            OsSocket::Sim(s) => Some(s.net()),
            _ => None,
        }
    }

    /// The clock this socket's timeouts follow: virtual for a simulated socket.
    #[inline]
    pub(crate) fn now(&self) -> Instant {
        match self {
            OsSocket::Sim(s) => s.now(),
            _ => Instant::now(),
        }
    }

    /// Whether calls are traced (a simulated socket whose network's trace is on).
    #[inline]
    pub(crate) fn tracing(&self) -> bool {
        match self {
            OsSocket::Sim(s) => s.net().tracing(),
            _ => false,
        }
    }

    /// Adds a line to the simulated network's trace (nothing for an OS socket).
    #[inline]
    pub(crate) fn trace(&self, what: std::fmt::Arguments<'_>) {
        if let OsSocket::Sim(s) = self {
            s.trace_line(what);
        }
    }

    #[inline]
    pub(crate) fn sock(&self) -> io::Result<Opts<'_>> {
        match self {
            OsSocket::Os(s) => s.sock().map(Opts::Os),
            OsSocket::Sim(s) => Ok(Opts::Sim(s)),
            OsSocket::Closed => Err(closed()),
        }
    }

    #[inline]
    pub(crate) fn is_closed(&self) -> bool {
        match self {
            OsSocket::Os(s) => s.is_closed(),
            OsSocket::Sim(_) => false,
            OsSocket::Closed => true,
        }
    }

    #[inline]
    pub(crate) fn bind(&self, addr: SocketAddr) -> io::Result<()> {
        both!(self, s => s.bind(addr), s.bind(addr))
    }

    #[inline]
    pub(crate) fn listen(&mut self, backlog: i32) -> io::Result<()> {
        both!(self, s => s.listen(backlog), s.listen(backlog))
    }

    #[inline]
    pub(crate) fn connect(&mut self, addr: SocketAddr) -> io::Result<bool> {
        both!(self, s => s.connect(addr), s.connect(addr))
    }

    #[inline]
    #[cfg_attr(not(target_vendor = "apple"), allow(dead_code))]
    pub(crate) fn renew(&mut self, v6: bool) -> io::Result<()> {
        both!(self, s => s.renew(v6), s.renew())
    }

    #[inline]
    pub(crate) fn accept(&mut self) -> io::Result<(OsSocket, SocketAddr)> {
        match self {
            OsSocket::Os(s) => s.accept().map(|(s, a)| (OsSocket::Os(s), a)),
            OsSocket::Sim(s) => s.accept().map(|(s, a)| (OsSocket::Sim(s), a)),
            OsSocket::Closed => Err(closed()),
        }
    }

    #[inline]
    pub(crate) fn collect_datagrams(&mut self) -> Option<usize> {
        match self {
            OsSocket::Os(s) => s.collect_datagrams(),
            _ => None,
        }
    }

    #[inline]
    pub(crate) fn collect_connections(&mut self) -> Option<usize> {
        match self {
            OsSocket::Os(s) => s.collect_connections(),
            _ => None,
        }
    }

    #[inline]
    pub(crate) fn recv(&self, buf: &mut [u8], flags: RecvFlags) -> io::Result<usize> {
        both!(self, s => s.recv(buf, flags), s.recv(buf, flags))
    }

    #[inline]
    pub(crate) fn recv_from(
        &mut self,
        buf: &mut [u8],
        flags: RecvFlags,
    ) -> io::Result<(usize, bool, Option<SocketAddr>)> {
        both!(self, s => s.recv_from(buf, flags), s.recv_from(buf, flags))
    }

    #[inline]
    pub(crate) fn send(&self, buf: &[u8], oob: bool) -> io::Result<usize> {
        both!(self, s => s.send(buf, oob), s.send(buf, oob))
    }

    #[inline]
    pub(crate) fn send_to(&self, buf: &[u8], addr: SocketAddr) -> io::Result<usize> {
        both!(self, s => s.send_to(buf, addr), s.send_to(buf, addr))
    }

    #[inline]
    pub(crate) fn shutdown_write(&self) -> io::Result<()> {
        both!(self, s => s.shutdown_write(), s.shutdown_write())
    }

    #[inline]
    pub(crate) fn take_error(&self) -> io::Result<Option<io::Error>> {
        both!(self, s => s.take_error(), s.take_error())
    }

    #[inline]
    pub(crate) fn local_addr(&self) -> io::Result<SocketAddr> {
        both!(self, s => s.local_addr(), s.local_addr())
    }

    #[inline]
    pub(crate) fn peer_addr(&self) -> io::Result<SocketAddr> {
        both!(self, s => s.peer_addr(), s.peer_addr())
    }

    #[inline]
    pub(crate) fn register(&mut self, p: &Poller, token: usize, writable: bool) -> io::Result<()> {
        both!(self, s => s.register(p, token, writable), s.register(token, writable))
    }

    #[inline]
    pub(crate) fn reregister(
        &mut self,
        p: &Poller,
        token: usize,
        writable: bool,
    ) -> io::Result<()> {
        both!(self, s => s.reregister(p, token, writable), s.reregister(token, writable))
    }

    #[inline]
    pub(crate) fn rearm(&mut self, p: &Poller, token: usize, writable: bool) -> io::Result<()> {
        match self {
            OsSocket::Os(s) => s.rearm(p, token, writable),
            _ => Ok(()),
        }
    }

    #[inline]
    pub(crate) fn deregister(&mut self, p: &Poller) {
        match self {
            OsSocket::Os(s) => s.deregister(p),
            OsSocket::Sim(s) => s.deregister(),
            OsSocket::Closed => {}
        }
    }

    #[inline]
    pub(crate) fn bytes_available(&self) -> io::Result<usize> {
        both!(self, s => s.bytes_available(), s.bytes_available())
    }

    #[inline]
    pub(crate) fn readable_now(&self) -> bool {
        match self {
            OsSocket::Os(s) => s.readable_now(),
            OsSocket::Sim(s) => s.readable_now(),
            OsSocket::Closed => false,
        }
    }

    #[inline]
    pub(crate) fn writable_now(&self) -> bool {
        match self {
            OsSocket::Os(s) => s.writable_now(),
            OsSocket::Sim(s) => s.writable_now(),
            OsSocket::Closed => false,
        }
    }

    #[inline]
    pub(crate) fn closed_now(&self) -> bool {
        match self {
            OsSocket::Os(s) => s.closed_now(),
            OsSocket::Sim(s) => s.closed_now(),
            OsSocket::Closed => false,
        }
    }

    #[inline]
    pub(crate) fn close_error(&self) -> io::Result<Option<io::Error>> {
        both!(self, s => s.close_error(), s.close_error())
    }

    #[inline]
    pub(crate) fn urgent_pending(&self) -> bool {
        match self {
            OsSocket::Os(s) => s.urgent_pending(),
            OsSocket::Sim(s) => s.urgent_pending(),
            OsSocket::Closed => false,
        }
    }

    #[inline]
    pub(crate) fn normal_readable(&self) -> bool {
        match self {
            OsSocket::Os(s) => s.normal_readable(),
            OsSocket::Sim(s) => s.normal_readable(),
            OsSocket::Closed => false,
        }
    }

    #[inline]
    #[cfg(target_os = "linux")]
    pub(crate) fn peek_count(&self, cap: usize) -> usize {
        match self {
            OsSocket::Os(s) => s.peek_count(cap),
            OsSocket::Sim(s) => s.peek_count(cap),
            OsSocket::Closed => 0,
        }
    }

    #[inline]
    #[cfg(target_os = "linux")]
    pub(crate) fn bytes_received(&self) -> io::Result<u64> {
        both!(self, s => s.bytes_received(), s.bytes_received())
    }

    #[inline]
    pub(crate) fn at_mark(&self) -> io::Result<bool> {
        both!(self, s => s.at_mark(), s.at_mark())
    }

    /// Whether urgent bytes are kept out of the stream, one by one, as Windows keeps them
    /// (the simulated backend), rather than as the OS keeps them.
    #[inline]
    pub(crate) fn windows_urgent(&self) -> bool {
        matches!(self, OsSocket::Sim(_))
    }

    /// With [`windows_urgent`](Self::windows_urgent): how many urgent bytes arrived so far.
    #[inline]
    pub(crate) fn urgent_count(&self) -> u64 {
        match self {
            OsSocket::Sim(s) => s.urgent_count(),
            _ => 0,
        }
    }
}

macro_rules! opt {
    ($(#[$m:meta])* $name:ident($($a:ident: $t:ty),*) -> $r:ty, |$s:ident| $sim:expr) => {
        $(#[$m])*
        pub(crate) fn $name(&self, $($a: $t),*) -> io::Result<$r> {
            match self {
                Opts::Os(o) => o.$name($($a),*),
                Opts::Sim($s) => Ok($s.opt(|$s| $sim)),
            }
        }
    };
}

impl Opts<'_> {
    opt!(set_reuse_address(on: bool) -> (), |s| s.set_reuse(on));
    opt!(#[cfg(unix)] set_reuse_port(on: bool) -> (), |s| s.set_reuse(on));
    opt!(set_linger(l: Option<Duration>) -> (), |s| s.set_linger(l));
    opt!(linger() -> Option<Duration>, |s| s.linger());
    opt!(set_tcp_nodelay(on: bool) -> (), |s| s.set_nodelay(on));
    opt!(tcp_nodelay() -> bool, |s| s.nodelay());
    /// `SO_KEEPALIVE` (Windows' default times on a simulated socket).
    pub(crate) fn set_keepalive(&self, on: bool) -> io::Result<()> {
        match self {
            Opts::Os(o) => o.set_keepalive(on),
            Opts::Sim(s) => {
                let d = |ns| Duration::from_nanos(ns);
                let times = (d(super::KEEPALIVE_TIME), d(super::KEEPALIVE_INTERVAL));
                s.set_keepalive_values(on.then_some(times));
                Ok(())
            }
        }
    }

    /// `SIO_KEEPALIVE_VALS`' times on a simulated socket (`Ok(true)`: taken; an OS socket
    /// takes them through `set_tcp_keepalive`).
    pub(crate) fn sim_keepalive_times(&self, time: Duration, interval: Duration) -> bool {
        match self {
            Opts::Os(_) => false,
            Opts::Sim(s) => {
                s.set_keepalive_values(Some((time, interval)));
                true
            }
        }
    }
    opt!(keepalive() -> bool, |s| s.keepalive());
    opt!(set_broadcast(on: bool) -> (), |s| s.set_broadcast(on));
    opt!(broadcast() -> bool, |s| s.broadcast());
    opt!(set_ttl_v4(ttl: u32) -> (), |s| s.set_ttl(ttl));
    opt!(ttl_v4() -> u32, |s| s.ttl());
    opt!(set_only_v6(on: bool) -> (), |s| s.set_only_v6(on));
    opt!(only_v6() -> bool, |s| s.only_v6());
    opt!(set_out_of_band_inline(on: bool) -> (), |s| s.set_oob_inline(on));
    opt!(out_of_band_inline() -> bool, |s| s.oob_inline());
    opt!(set_recv_buffer_size(n: usize) -> (), |s| s.set_rcvbuf(n));
    opt!(recv_buffer_size() -> usize, |s| s.rcvbuf());
    opt!(set_send_buffer_size(n: usize) -> (), |s| s.set_sndbuf(n));
    opt!(send_buffer_size() -> usize, |s| s.sndbuf());

    /// `SIO_KEEPALIVE_VALS`' times: the model keeps only whether keep-alive is on.
    #[inline]
    pub(crate) fn set_tcp_keepalive(&self, ka: &TcpKeepalive) -> io::Result<()> {
        match self {
            Opts::Os(o) => o.set_tcp_keepalive(ka),
            Opts::Sim(_) => Ok(()),
        }
    }

    /// A datagram socket's `connect`.
    #[inline]
    pub(crate) fn connect(&self, addr: &SockAddr) -> io::Result<()> {
        match self {
            Opts::Os(o) => o.connect(addr),
            Opts::Sim(s) => {
                let a = addr
                    .as_socket()
                    .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
                s.udp_connect(a)
            }
        }
    }

    /// The OS descriptor, for `select`'s own poller (none for a simulated socket).
    #[inline]
    #[cfg(unix)]
    pub(crate) fn raw_fd(&self) -> Option<std::os::fd::RawFd> {
        use std::os::fd::AsRawFd;
        match self {
            Opts::Os(o) => Some(o.as_raw_fd()),
            Opts::Sim(_) => None,
        }
    }
}
