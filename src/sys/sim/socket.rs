//! One simulated socket: the calls and facts of the seam (`sys::OsSocket`), answered from
//! the network's state. Every call runs, under the network's lock, what is due at the
//! current virtual time, then acts, then traces itself with its result.

use super::*;

/// A handle to one socket of one simulated network. Dropping it closes the socket: a
/// FIN after the unsent data, or a RST with `SO_LINGER {1, 0}` or unread data (as Windows
/// does).
pub(crate) struct SimSocket {
    net: Arc<Net>,
    id: usize,
}

impl std::fmt::Debug for SimSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SimSocket(net {}, #{})", self.net.id, self.id)
    }
}

/// Traces a call and its result (the test inline: nothing is formatted with the trace off).
#[inline(always)]
fn traced<T: std::fmt::Debug>(
    st: &mut NetState,
    id: usize,
    call: std::fmt::Arguments<'_>,
    r: &io::Result<T>,
) {
    if st.trace_on {
        trace_call(st, id, call, r);
    }
}

#[inline(never)]
fn trace_call<T: std::fmt::Debug>(
    st: &mut NetState,
    id: usize,
    call: std::fmt::Arguments<'_>,
    r: &io::Result<T>,
) {
    let name = st.sock_name(id);
    match r {
        Ok(v) => st.event(format_args!("{name} {call} = {v:?}")),
        Err(e) => st.event(format_args!("{name} {call} = {}", Error::from_io(e))),
    }
}

impl SimSocket {
    /// A new socket on the thread's current host (see `sim::Host::enter`).
    pub(crate) fn new(net: &Arc<Net>, host: usize, v6: bool, stream: bool) -> io::Result<Self> {
        let mut st = net.lock();
        if st.hosts[host].net_down {
            return Err(werr(WSAENETDOWN));
        }
        st.socks.push(Some(Sock::new(host, v6, stream)));
        st.live_socks += 1;
        let id = st.socks.len() - 1;
        let kind = if stream { "tcp" } else { "udp" };
        let fam = if v6 { "v6" } else { "v4" };
        let name = st.sock_name(id);
        st.event(format_args!("{name} socket {kind}{fam}"));
        Ok(SimSocket {
            net: Arc::clone(net),
            id,
        })
    }

    pub(crate) fn net(&self) -> &Arc<Net> {
        &self.net
    }

    /// Runs `f` on this socket's state, after what is due now.
    fn with<T>(&self, f: impl FnOnce(&mut NetState, usize) -> T) -> T {
        let mut st = self.net.lock();
        st.run_due();
        f(&mut st, self.id)
    }

    fn s(st: &mut NetState, id: usize) -> &mut Sock {
        st.socks[id].as_mut().expect("a handle keeps its socket")
    }

    fn down(st: &NetState, id: usize) -> bool {
        let h = st.socks[id].as_ref().expect("live").host;
        st.hosts[h].net_down
    }

    pub(crate) fn bind(&self, addr: SocketAddr) -> io::Result<()> {
        self.with(|st, id| {
            let r = (|| {
                if Self::down(st, id) {
                    return Err(werr(WSAENETDOWN));
                }
                let s = st.socks[id].as_ref().expect("live");
                let ip = addr.ip();
                if ip.is_ipv6() != s.v6 {
                    return Err(werr(WSAEFAULT));
                }
                if !ip.is_unspecified()
                    && !ip.is_loopback()
                    && !st.hosts[s.host].addrs.contains(&ip)
                {
                    return Err(werr(WSAEADDRNOTAVAIL));
                }
                let port = if addr.port() == 0 {
                    Self::ephemeral(st, id)
                } else {
                    addr.port()
                };
                Self::s(st, id).local = Some(SocketAddr::new(ip, port));
                Ok(())
            })();
            traced(st, id, format_args!("bind {addr}"), &r);
            r
        })
    }

    fn ephemeral(st: &mut NetState, id: usize) -> u16 {
        let (host, stream) = {
            let s = st.socks[id].as_ref().expect("live");
            (s.host, s.stream)
        };
        loop {
            let h = &mut st.hosts[host];
            let p = h.next_port;
            h.next_port = if p == u16::MAX { EPHEMERAL } else { p + 1 };
            let taken = st.socks.iter().flatten().any(|x| {
                x.host == host && x.stream == stream && x.local.is_some_and(|a| a.port() == p)
            });
            if !taken {
                return p;
            }
        }
    }

    pub(crate) fn listen(&mut self, backlog: i32) -> io::Result<()> {
        self.with(|st, id| {
            let s = Self::s(st, id);
            let r = match s.tcp {
                Tcp::Fresh | Tcp::Listening if s.stream => {
                    s.tcp = Tcp::Listening;
                    // Windows' SOMAXCONN is 200 at most per the usual clamp.
                    s.backlog_cap = backlog.clamp(1, 200) as usize;
                    Ok(())
                }
                _ => Err(werr(WSAEINVAL)),
            };
            traced(st, id, format_args!("listen {backlog}"), &r);
            r
        })
    }

    pub(crate) fn connect(&mut self, addr: SocketAddr) -> io::Result<bool> {
        self.with(|st, id| {
            let r = Self::connect_in(st, id, addr);
            traced(st, id, format_args!("connect {addr}"), &r);
            r
        })
    }

    fn connect_in(st: &mut NetState, id: usize, addr: SocketAddr) -> io::Result<bool> {
        if Self::down(st, id) {
            return Err(werr(WSAENETDOWN));
        }
        let s = st.socks[id].as_ref().expect("live");
        let (host, v6, stream, bound) = (s.host, s.v6, s.stream, s.local.is_some());
        if addr.is_ipv6() != v6 {
            return Err(werr(WSAEFAULT));
        }
        if st.hosts[host].iface_down && !addr.ip().is_loopback() {
            return Err(werr(WSAENETUNREACH));
        }
        if !bound {
            let ip = implicit_ip(st, host, v6, Some(addr.ip()));
            let port = Self::ephemeral(st, id);
            Self::s(st, id).local = Some(SocketAddr::new(ip, port));
        }
        if !stream {
            let s = Self::s(st, id);
            s.remote = Some(addr);
            return Ok(true);
        }
        let s = Self::s(st, id);
        if s.tcp != Tcp::Fresh {
            return Err(werr(WSAEINVAL));
        }
        s.tcp = Tcp::Connecting;
        s.remote = Some(addr);
        s.error = None;
        s.attempt_gen += 1;
        let g = s.attempt_gen;
        st.send_syn(id, g, 0);
        // In progress, even to loopback (Windows: WSAEWOULDBLOCK; Linux: EINPROGRESS).
        Ok(false)
    }

    /// A datagram socket's `connect`: its default destination (binding it if it is not).
    pub(crate) fn udp_connect(&self, addr: SocketAddr) -> io::Result<()> {
        self.with(|st, id| {
            let r = Self::connect_in(st, id, addr).map(|_| ());
            traced(st, id, format_args!("connect {addr}"), &r);
            r
        })
    }

    /// After a failed connect: the same socket can connect again (as on Windows).
    pub(crate) fn renew(&mut self) -> io::Result<()> {
        Ok(())
    }

    pub(crate) fn accept(&mut self) -> io::Result<(SimSocket, SocketAddr)> {
        let net = Arc::clone(&self.net);
        self.with(|st, id| {
            let r = (|| {
                if Self::down(st, id) {
                    return Err(werr(WSAENETDOWN));
                }
                if Self::s(st, id).tcp != Tcp::Listening {
                    return Err(werr(WSAEINVAL));
                }
                loop {
                    let Some(c) = Self::s(st, id).backlog.pop_front() else {
                        return Err(would_block());
                    };
                    // A connection reset while queued is skipped (as on Windows).
                    let Some(cs) = st.socks[c].as_ref() else {
                        return Err(would_block());
                    };
                    if cs.rst_rcvd {
                        st.socks[c] = None;
                        st.live_socks -= 1;
                        continue;
                    }
                    let peer = cs.remote.expect("set at the SYN");
                    return Ok((
                        SimSocket {
                            net: Arc::clone(&net),
                            id: c,
                        },
                        peer,
                    ));
                }
            })();
            traced(
                st,
                id,
                format_args!("accept"),
                &r.as_ref()
                    .map(|(_, a)| *a)
                    .map_err(|e| werr(Error::from_io(e).code())),
            );
            r
        })
    }

    pub(crate) fn recv(&self, buf: &mut [u8], flags: RecvFlags) -> io::Result<usize> {
        self.with(|st, id| {
            let r = Self::recv_in(st, id, buf, flags);
            if st.trace_on {
                let (p, o) = (
                    if flags.peek { " peek" } else { "" },
                    if flags.oob { " oob" } else { "" },
                );
                traced(st, id, format_args!("recv {}{p}{o}", buf.len()), &r);
            }
            r
        })
    }

    fn recv_in(
        st: &mut NetState,
        id: usize,
        buf: &mut [u8],
        flags: RecvFlags,
    ) -> io::Result<usize> {
        if Self::down(st, id) {
            return Err(werr(WSAENETDOWN));
        }
        let s = Self::s(st, id);
        if s.rst_rcvd {
            return Err(werr(WSAECONNRESET));
        }
        if let Some(code) = s.abort {
            return Err(werr(code));
        }
        if s.tcp != Tcp::Established {
            return Err(werr(WSAENOTCONN));
        }
        if flags.oob {
            if s.opts.oob_inline {
                return Err(werr(WSAEINVAL));
            }
            if s.urgent.is_empty() {
                return Err(would_block());
            }
            // One urgent byte per call: Windows keeps them one by one (rule 22).
            if buf.is_empty() {
                return Ok(0);
            }
            buf[0] = s.urgent[0];
            if !peek(flags) {
                s.urgent.pop_front();
            }
            return Ok(1);
        }
        if s.recv.is_empty() {
            return if s.fin_rcvd {
                Ok(0)
            } else {
                Err(would_block())
            };
        }
        let n = buf.len().min(s.recv.len());
        if n <= 16 {
            // A few bytes (a ping-pong's): one by one, no bulk-copy call.
            for (d, &b) in buf[..n].iter_mut().zip(s.recv.iter()) {
                *d = b;
            }
        } else {
            let (a, b) = s.recv.as_slices();
            let k = a.len().min(n);
            buf[..k].copy_from_slice(&a[..k]);
            buf[k..n].copy_from_slice(&b[..n - k]);
        }
        if !peek(flags) && n > 0 {
            if n == s.recv.len() {
                s.recv.clear();
            } else {
                s.recv.drain(..n);
            }
            // The window opened: the peer sends more.
            if let Some(p) = s.peer {
                st.pump(p);
                st.run_due();
            }
        }
        Ok(n)
    }

    pub(crate) fn recv_from(
        &mut self,
        buf: &mut [u8],
        flags: RecvFlags,
    ) -> io::Result<(usize, bool, Option<SocketAddr>)> {
        let stream = self.with(|st, id| Self::s(st, id).stream);
        if stream {
            let n = self.recv(buf, flags)?;
            return Ok((n, false, self.peer_addr().ok()));
        }
        self.with(|st, id| {
            let r = (|| {
                if Self::down(st, id) {
                    return Err(werr(WSAENETDOWN));
                }
                let s = Self::s(st, id);
                match s.dgrams.front() {
                    None if s.icmp_error => {
                        s.icmp_error = false;
                        // Linux's errno for it; the socket layer maps it as Windows does.
                        Err(werr(WSAECONNREFUSED))
                    }
                    None => Err(would_block()),
                    Some((d, from)) => {
                        let n = d.len().min(buf.len());
                        buf[..n].copy_from_slice(&d[..n]);
                        let r = (n, d.len() > buf.len(), Some(*from));
                        if !flags.peek {
                            let (d, _) = s.dgrams.pop_front().expect("front");
                            s.dgram_bytes -= d.len();
                        }
                        Ok(r)
                    }
                }
            })();
            traced(
                st,
                id,
                format_args!("recvfrom {}", buf.len()),
                &r.as_ref()
                    .map(|x| x.0)
                    .map_err(|e| werr(Error::from_io(e).code())),
            );
            r
        })
    }

    pub(crate) fn send(&self, buf: &[u8], oob: bool) -> io::Result<usize> {
        self.with(|st, id| {
            let r = Self::send_in(st, id, buf, oob);
            if st.trace_on {
                let o = if oob { " oob" } else { "" };
                traced(st, id, format_args!("send {}{o}", buf.len()), &r);
            }
            r
        })
    }

    fn send_in(st: &mut NetState, id: usize, buf: &[u8], oob: bool) -> io::Result<usize> {
        if Self::down(st, id) {
            return Err(werr(WSAENETDOWN));
        }
        let s = Self::s(st, id);
        if !s.stream {
            let Some(to) = s.remote else {
                return Err(werr(WSAENOTCONN));
            };
            st.send_dgram(id, to, buf)?;
            st.run_due();
            return Ok(buf.len());
        }
        if s.rst_rcvd {
            return Err(werr(WSAECONNRESET));
        }
        if let Some(code) = s.abort {
            return Err(werr(code));
        }
        if s.tcp != Tcp::Established {
            return Err(werr(WSAENOTCONN));
        }
        if s.fin_queued {
            return Err(werr(WSAESHUTDOWN));
        }
        // Windows takes a whole send while its send buffer has any room (rule 32's
        // all-or-WSAEWOULDBLOCK), and a send that finds it full would block.
        if s.send_room() == 0 && !buf.is_empty() {
            return Err(would_block());
        }
        if oob && !buf.is_empty() {
            // BSD urgent semantics: the last byte is the urgent one.
            let (normal, last) = buf.split_at(buf.len() - 1);
            append(&mut s.unsent, normal);
            let pos = s.unsent.len();
            s.unsent_urgent.push_back((pos, last[0]));
            // The urgent byte occupies the buffer too, as a placeholder of nothing: it is
            // counted by `inflight` once it is sent.
        } else {
            append(&mut s.unsent, buf);
        }
        st.pump(id);
        st.run_due();
        Ok(buf.len())
    }

    pub(crate) fn send_to(&self, buf: &[u8], addr: SocketAddr) -> io::Result<usize> {
        self.with(|st, id| {
            let r = (|| {
                if Self::down(st, id) {
                    return Err(werr(WSAENETDOWN));
                }
                let s = st.socks[id].as_ref().expect("live");
                if addr.is_ipv6() != s.v6 {
                    return Err(werr(WSAEFAULT));
                }
                if st.hosts[s.host].iface_down && !addr.ip().is_loopback() {
                    return Err(werr(WSAENETUNREACH));
                }
                if s.local.is_none() {
                    let ip = implicit_ip(st, s.host, s.v6, Some(addr.ip()));
                    let port = Self::ephemeral(st, id);
                    Self::s(st, id).local = Some(SocketAddr::new(ip, port));
                }
                st.send_dgram(id, addr, buf)?;
                st.run_due();
                Ok(buf.len())
            })();
            traced(st, id, format_args!("sendto {} {addr}", buf.len()), &r);
            r
        })
    }

    pub(crate) fn shutdown_write(&self) -> io::Result<()> {
        self.with(|st, id| {
            let s = Self::s(st, id);
            let r = if s.tcp == Tcp::Established && !s.broken() {
                s.fin_queued = true;
                st.pump(id);
                st.run_due();
                Ok(())
            } else {
                Ok(())
            };
            traced(st, id, format_args!("shutdown SD_SEND"), &r);
            r
        })
    }

    pub(crate) fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.with(|st, id| {
            let s = Self::s(st, id);
            if let Some(code) = s.error.take() {
                return Ok(Some(werr(code)));
            }
            if !s.stream && s.icmp_error {
                s.icmp_error = false;
                return Ok(Some(werr(WSAECONNREFUSED)));
            }
            if let Some(code) = s.abort {
                return Ok(Some(werr(code)));
            }
            Ok(None)
        })
    }

    pub(crate) fn close_error(&self) -> io::Result<Option<io::Error>> {
        self.with(|st, id| {
            let s = Self::s(st, id);
            if s.rst_rcvd {
                return Ok(Some(werr(WSAECONNRESET)));
            }
            Ok(s.abort.map(werr))
        })
    }

    pub(crate) fn local_addr(&self) -> io::Result<SocketAddr> {
        self.with(|st, id| Self::s(st, id).local.ok_or_else(|| werr(WSAEINVAL)))
    }

    pub(crate) fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.with(|st, id| {
            let s = Self::s(st, id);
            if s.stream && s.tcp != Tcp::Established {
                return Err(werr(WSAENOTCONN));
            }
            s.remote.ok_or_else(|| werr(WSAENOTCONN))
        })
    }

    /// Registration: readiness for `token` from now on; as epoll's `EPOLL_CTL_ADD`, what is
    /// ready now is reported at the next harvest.
    pub(crate) fn register(&mut self, token: usize, writable: bool) -> io::Result<()> {
        self.with(|st, id| {
            let s = Self::s(st, id);
            s.token = Some(token);
            s.write_interest = writable;
            st.notify(id, CAUSE_IN | CAUSE_OUT | CAUSE_ERR);
            Ok(())
        })
    }

    pub(crate) fn reregister(&mut self, token: usize, writable: bool) -> io::Result<()> {
        self.register(token, writable)
    }

    pub(crate) fn deregister(&mut self) {
        self.with(|st, id| {
            Self::s(st, id).token = None;
        })
    }

    pub(crate) fn bytes_available(&self) -> io::Result<usize> {
        // At a readiness the harvest just handed out: the count it took, if still true.
        if let Some(n) = self.net.snapshot_avail(self.id) {
            return Ok(n);
        }
        self.with(|st, id| Ok(Self::s(st, id).avail()))
    }

    pub(crate) fn readable_now(&self) -> bool {
        self.with(|st, id| st.levels(id).readable)
    }

    pub(crate) fn writable_now(&self) -> bool {
        self.with(|st, id| st.levels(id).writable)
    }

    pub(crate) fn closed_now(&self) -> bool {
        self.with(|st, id| {
            let l = st.levels(id);
            l.read_closed || l.error
        })
    }

    pub(crate) fn urgent_pending(&self) -> bool {
        self.with(|st, id| !Self::s(st, id).urgent.is_empty())
    }

    pub(crate) fn urgent_count(&self) -> u64 {
        self.with(|st, id| Self::s(st, id).urgent_rcvd)
    }

    pub(crate) fn normal_readable(&self) -> bool {
        self.with(|st, id| !Self::s(st, id).recv.is_empty())
    }

    #[cfg(target_os = "linux")]
    pub(crate) fn peek_count(&self, cap: usize) -> usize {
        self.with(|st, id| Self::s(st, id).recv.len().min(cap))
    }

    #[cfg(target_os = "linux")]
    pub(crate) fn bytes_received(&self) -> io::Result<u64> {
        self.with(|st, id| Ok(Self::s(st, id).rx_bytes))
    }

    /// The Unix sense: the read pointer is at the urgent mark. Urgent bytes are kept out
    /// of band here, so with OOB-inline off there is no mark in the stream.
    pub(crate) fn at_mark(&self) -> io::Result<bool> {
        Ok(false)
    }

    /// `SO_KEEPALIVE` / `SIO_KEEPALIVE_VALS`: on with these times, or off.
    pub(crate) fn set_keepalive_values(&self, on: Option<(Duration, Duration)>) {
        self.with(|st, id| {
            let ns = |d: Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX).max(1);
            st.set_keepalive(id, on.map(|(t, i)| (ns(t), ns(i))));
        });
    }

    /// The virtual clock.
    pub(crate) fn now(&self) -> Instant {
        self.net.instant()
    }

    pub(crate) fn trace_line(&self, what: std::fmt::Arguments<'_>) {
        let mut st = self.net.lock();
        if st.trace_on {
            let name = st.sock_name(self.id);
            st.event(format_args!("{name} {what}"));
        }
    }

    // Options the model keeps.

    pub(crate) fn opt<T>(&self, f: impl FnOnce(&mut Sock) -> T) -> T {
        self.with(|st, id| f(Self::s(st, id)))
    }
}

/// Option access for `sys::Opts`.
impl Sock {
    pub(crate) fn set_linger(&mut self, l: Option<Duration>) {
        self.opts.linger = l;
    }
    pub(crate) fn linger(&self) -> Option<Duration> {
        self.opts.linger
    }
    pub(crate) fn set_nodelay(&mut self, on: bool) {
        self.opts.nodelay = on;
    }
    pub(crate) fn nodelay(&self) -> bool {
        self.opts.nodelay
    }
    pub(crate) fn keepalive(&self) -> bool {
        self.opts.keepalive
    }
    pub(crate) fn set_broadcast(&mut self, on: bool) {
        self.opts.broadcast = on;
    }
    pub(crate) fn broadcast(&self) -> bool {
        self.opts.broadcast
    }
    pub(crate) fn set_ttl(&mut self, ttl: u32) {
        self.opts.ttl = ttl;
    }
    pub(crate) fn ttl(&self) -> u32 {
        self.opts.ttl
    }
    pub(crate) fn set_only_v6(&mut self, on: bool) {
        self.opts.only_v6 = on;
    }
    pub(crate) fn only_v6(&self) -> bool {
        self.opts.only_v6
    }
    pub(crate) fn set_oob_inline(&mut self, on: bool) {
        self.opts.oob_inline = on;
    }
    pub(crate) fn oob_inline(&self) -> bool {
        self.opts.oob_inline
    }
    pub(crate) fn set_reuse(&mut self, on: bool) {
        self.opts.reuse = on;
    }
    pub(crate) fn set_rcvbuf(&mut self, n: usize) {
        self.rcvbuf = n;
    }
    pub(crate) fn rcvbuf(&self) -> usize {
        self.rcvbuf
    }
    pub(crate) fn set_sndbuf(&mut self, n: usize) {
        self.sndbuf = n;
    }
    pub(crate) fn sndbuf(&self) -> usize {
        self.sndbuf
    }
}

impl Drop for SimSocket {
    fn drop(&mut self) {
        let mut st = self.net.lock();
        st.run_due();
        let id = self.id;
        let Some(s) = st.socks[id].as_mut() else {
            return;
        };
        s.token = None;
        s.orphan = true;
        let abortive = s.opts.linger == Some(Duration::ZERO) || !s.recv.is_empty();
        let (tcp, peer, stream) = (s.tcp, s.peer, s.stream);
        let name = st.sock_name(id);
        match tcp {
            Tcp::Established if stream && !st.socks[id].as_ref().expect("live").broken() => {
                if abortive {
                    st.event(format_args!("{name} closesocket (RST)"));
                    if let Some(p) = peer {
                        st.schedule_rst(p);
                        // The RST goes from here: it travels the link like the data.
                        let _ = p;
                    }
                    st.socks[id] = None;
                    st.live_socks -= 1;
                } else {
                    st.event(format_args!("{name} closesocket (FIN)"));
                    let s = st.socks[id].as_mut().expect("live");
                    s.fin_queued = true;
                    st.pump(id);
                    st.reap(id);
                }
            }
            Tcp::Listening => {
                st.event(format_args!("{name} closesocket"));
                // Windows resets the connections still queued.
                let queued: Vec<usize> = st.socks[id]
                    .as_mut()
                    .expect("live")
                    .backlog
                    .drain(..)
                    .collect();
                for c in queued {
                    if let Some(p) = st.socks[c].as_ref().and_then(|c| c.peer) {
                        st.schedule_rst(p);
                    }
                    st.socks[c] = None;
                    st.live_socks -= 1;
                }
                st.socks[id] = None;
                st.live_socks -= 1;
            }
            _ => {
                st.event(format_args!("{name} closesocket"));
                st.socks[id] = None;
                st.live_socks -= 1;
            }
        }
        st.run_due();
    }
}
