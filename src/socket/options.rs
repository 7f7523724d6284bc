//! Socket options and names: `setsockopt`/`getsockopt` (those the socket layer keeps
//! itself, [`SockOpts`], and those it passes to the OS), `SO_ERROR`'s persistence,
//! `getsockname`, `getpeername`.

use super::*;

/// Options the socket layer applies itself: the blocking timeouts (the OS socket is
/// non-blocking), Windows' address-sharing flags (mapped onto the OS's at `bind`), and
/// `SO_LINGER`'s seconds while lingering is off (`SO_DONTLINGER` toggles `l_onoff` only).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct SockOpts {
    /// `SO_RCVTIMEO`: how long a blocking receive waits (`None`: forever).
    pub(super) recv_timeout: Option<Duration>,
    /// `SO_SNDTIMEO`: how long a blocking send waits (`None`: forever).
    pub(super) send_timeout: Option<Duration>,
    /// Windows' `SO_REUSEADDR`, as the program set it.
    pub(super) reuse: bool,
    /// `SO_EXCLUSIVEADDRUSE`.
    pub(super) exclusive: bool,
    /// `SO_LINGER`'s `l_linger`.
    pub(super) linger_secs: u16,
    /// A value the program stored with `setsockopt(SO_ERROR)`, read back until the
    /// network sets the error again (a connect's outcome, a reset).
    pub(super) error_set: Option<i32>,
}

impl Socket {
    /// `getsockopt(SO_ERROR)` with Windows' persistence: a failed connect's error stays
    /// readable until a connect succeeds (rule 33); after a RST it reads 0 (rule 39).
    pub fn take_error(&self) -> Result<Option<Error>> {
        let st = self.lock()?;
        if let Some(code) = st.opts.error_set {
            return Ok((code != 0).then(|| Error::from_code(code)));
        }
        if st.reset {
            return Ok(None);
        }
        if let Some(code) = st.connect_error {
            return Ok(Some(Error::from_code(code)));
        }
        match st.os.take_error() {
            Ok(Some(e)) => Ok(Some(map(&e))),
            Ok(None) => Ok(None),
            Err(e) => Err(map(&e)),
        }
    }

    /// `setsockopt(SO_ERROR)`: Windows accepts it and `getsockopt(SO_ERROR)` then reads the
    /// value back (Wine's Windows-run `test_set_getsockopt`), until the network sets the
    /// error again (a connect completes or fails, a reset arrives).
    pub fn set_error(&self, code: i32) -> Result<()> {
        self.lock()?.opts.error_set = Some(code);
        Ok(())
    }

    /// `getsockname`. WSAEINVAL on an unbound socket, as on Windows.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        let st = self.lock()?;
        if !st.bound {
            return err(WSAEINVAL);
        }
        if Socket::needs_accept_context(&st) {
            // An AcceptEx socket before SO_UPDATE_ACCEPT_CONTEXT (socket/mswsock.rs).
            return err(WSAENOTCONN);
        }
        st.os.local_addr().map_err(|e| map(&e))
    }

    /// `getpeername`. WSAENOTCONN unless connected.
    pub fn peer_addr(&self) -> Result<SocketAddr> {
        let st = self.lock()?;
        if st.conn != Conn::Connected || Socket::needs_accept_context(&st) {
            return err(WSAENOTCONN);
        }
        st.os.peer_addr().map_err(|e| map(&e))
    }

    /// `setsockopt(SO_LINGER)`: `Some(ZERO)` makes `close` send a RST.
    pub fn set_linger(&self, linger: Option<Duration>) -> Result<()> {
        let mut st = self.lock()?;
        st.os
            .sock()
            .and_then(|s| s.set_linger(linger))
            .map_err(|e| map(&e))?;
        if let Some(d) = linger {
            st.opts.linger_secs = u16::try_from(d.as_secs()).unwrap_or(u16::MAX);
        }
        Ok(())
    }

    /// `getsockopt(SO_LINGER)` as Windows' `LINGER`: `(l_onoff, l_linger)`, with the last
    /// `l_linger` set kept while lingering is off.
    pub fn linger_option(&self) -> Result<(bool, u16)> {
        let st = self.lock()?;
        let on = st.os.sock().and_then(|s| s.linger()).map_err(|e| map(&e))?;
        Ok(match on {
            Some(d) => (true, u16::try_from(d.as_secs()).unwrap_or(u16::MAX)),
            None => (false, st.opts.linger_secs),
        })
    }

    /// `setsockopt(SO_DONTLINGER)`: `true` turns lingering off; `false` turns it on with
    /// the last `SO_LINGER` timeout (`l_onoff` is the only field it changes).
    pub fn set_dont_linger(&self, dont: bool) -> Result<()> {
        let secs = self.lock()?.opts.linger_secs;
        self.set_linger((!dont).then(|| Duration::from_secs(secs.into())))
    }

    /// `getsockopt(SO_DONTLINGER)`: whether lingering is off.
    pub fn dont_linger(&self) -> Result<bool> {
        Ok(self.linger()?.is_none())
    }

    /// `setsockopt(SO_RCVTIMEO)`: a blocking receive that waits longer fails with
    /// `WSAETIMEDOUT` (`None` or zero: no limit). Windows then calls the socket's state
    /// indeterminate; here nothing was consumed.
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        self.lock()?.opts.recv_timeout = timeout.filter(|d| !d.is_zero());
        Ok(())
    }

    /// `getsockopt(SO_RCVTIMEO)`.
    pub fn read_timeout(&self) -> Result<Option<Duration>> {
        Ok(self.lock()?.opts.recv_timeout)
    }

    /// `setsockopt(SO_SNDTIMEO)`: a blocking send still waiting for room after this long
    /// fails with `WSAETIMEDOUT` (`None` or zero: no limit); bytes already handed to the
    /// OS stay sent.
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        self.lock()?.opts.send_timeout = timeout.filter(|d| !d.is_zero());
        Ok(())
    }

    /// `getsockopt(SO_SNDTIMEO)`.
    pub fn write_timeout(&self) -> Result<Option<Duration>> {
        Ok(self.lock()?.opts.send_timeout)
    }

    /// `setsockopt(SO_EXCLUSIVEADDRUSE)`: no other socket may bind an address that
    /// overlaps this one's (see [`bind`](Self::bind)). `WSAEINVAL` while `SO_REUSEADDR` is
    /// set, as on Windows. Interpreted at `bind`.
    pub fn set_exclusive_address_use(&self, on: bool) -> Result<()> {
        let mut st = self.lock()?;
        if on && st.opts.reuse {
            return err(WSAEINVAL);
        }
        st.opts.exclusive = on;
        Ok(())
    }

    /// `getsockopt(SO_EXCLUSIVEADDRUSE)`.
    pub fn exclusive_address_use(&self) -> Result<bool> {
        Ok(self.lock()?.opts.exclusive)
    }

    /// `getsockopt(SO_ACCEPTCONN)`: whether the socket is listening.
    pub fn is_listener(&self) -> Result<bool> {
        Ok(self.lock()?.conn == Conn::Listening)
    }

    /// `setsockopt(SO_BROADCAST)`.
    pub fn set_broadcast(&self, on: bool) -> Result<()> {
        self.with_sock(|s| s.set_broadcast(on))
    }

    /// `getsockopt(SO_BROADCAST)`.
    pub fn broadcast(&self) -> Result<bool> {
        self.with_sock(|s| s.broadcast())
    }

    /// `setsockopt(IPPROTO_IP, IP_TTL)`.
    pub fn set_ttl(&self, ttl: u32) -> Result<()> {
        self.with_sock(|s| s.set_ttl_v4(ttl))
    }

    /// `getsockopt(IPPROTO_IP, IP_TTL)`.
    pub fn ttl(&self) -> Result<u32> {
        self.with_sock(|s| s.ttl_v4())
    }

    /// `setsockopt(IPPROTO_IPV6, IPV6_V6ONLY)` (on by default, as on Windows). `WSAEINVAL`
    /// on an IPv4 socket.
    pub fn set_only_v6(&self, only: bool) -> Result<()> {
        if !self.h.core.v6 {
            return err(WSAEINVAL);
        }
        self.with_sock(|s| s.set_only_v6(only))
    }

    /// `getsockopt(IPPROTO_IPV6, IPV6_V6ONLY)`. `WSAEINVAL` on an IPv4 socket.
    pub fn only_v6(&self) -> Result<bool> {
        if !self.h.core.v6 {
            return err(WSAEINVAL);
        }
        self.with_sock(|s| s.only_v6())
    }

    /// `WSAIoctl(SIO_KEEPALIVE_VALS)`: keep-alive on or off, and (when on) the idle time
    /// before the first probe and the time between probes, which Windows takes in
    /// milliseconds and the OS in whole seconds (rounded up, at least 1). The probe count
    /// is set to 10, Windows' fixed count.
    pub fn set_keepalive_values(&self, on: bool, time: Duration, interval: Duration) -> Result<()> {
        self.stream_only()?;
        self.with_sock(|s| {
            s.set_keepalive(on)?;
            if !on || s.sim_keepalive_times(time, interval) {
                return Ok(());
            }
            let secs =
                |d: Duration| Duration::from_secs(d.as_millis().div_ceil(1000).max(1) as u64);
            let ka = socket2::TcpKeepalive::new().with_time(secs(time));
            #[cfg(any(
                target_os = "linux",
                target_os = "android",
                target_os = "macos",
                target_os = "ios",
                target_os = "freebsd",
            ))]
            let ka = ka.with_interval(secs(interval)).with_retries(10);
            // Windows' own count is 10: no TCP_KEEPCNT, which older Windows and Wine lack.
            #[cfg(windows)]
            let ka = ka.with_interval(secs(interval));
            #[cfg(not(any(
                target_os = "linux",
                target_os = "android",
                target_os = "macos",
                target_os = "ios",
                target_os = "freebsd",
                windows
            )))]
            let _ = interval;
            s.set_tcp_keepalive(&ka)
        })
    }

    /// `getsockopt(SO_LINGER)`.
    pub fn linger(&self) -> Result<Option<Duration>> {
        self.with_sock(|s| s.linger())
    }

    /// `setsockopt(IPPROTO_TCP, TCP_NODELAY)`.
    pub fn set_nodelay(&self, nodelay: bool) -> Result<()> {
        self.stream_only()?;
        self.with_sock(|s| s.set_tcp_nodelay(nodelay))
    }

    /// `getsockopt(IPPROTO_TCP, TCP_NODELAY)`.
    pub fn nodelay(&self) -> Result<bool> {
        self.stream_only()?;
        self.with_sock(|s| s.tcp_nodelay())
    }

    /// `setsockopt(SO_OOBINLINE)`: urgent data is read in line and reported as FD_READ
    /// instead of FD_OOB (rule 21).
    pub fn set_oob_inline(&self, inline: bool) -> Result<()> {
        self.stream_only()?;
        let mut st = self.lock()?;
        st.os
            .sock()
            .and_then(|s| s.set_out_of_band_inline(inline))
            .map_err(|e| map(&e))?;
        st.oob_inline = inline;
        Ok(())
    }

    /// `getsockopt(SO_OOBINLINE)`.
    pub fn oob_inline(&self) -> Result<bool> {
        Ok(self.lock()?.oob_inline)
    }

    /// `setsockopt(SO_REUSEADDR)` with Windows' meaning: this socket may bind an address
    /// another socket that also asked for it holds (see [`bind`](Self::bind)).
    /// `WSAEINVAL` while `SO_EXCLUSIVEADDRUSE` is set, as on Windows. Interpreted at `bind`.
    pub fn set_reuse_address(&self, reuse: bool) -> Result<()> {
        let mut st = self.lock()?;
        if reuse && st.opts.exclusive {
            return err(WSAEINVAL);
        }
        st.opts.reuse = reuse;
        Ok(())
    }

    /// `getsockopt(SO_REUSEADDR)`: what the program set (the OS option differs: see
    /// [`bind`](Self::bind)).
    pub fn reuse_address(&self) -> Result<bool> {
        Ok(self.lock()?.opts.reuse)
    }

    /// `setsockopt(SO_RCVBUF)`.
    pub fn set_recv_buffer_size(&self, size: usize) -> Result<()> {
        self.with_sock(|s| s.set_recv_buffer_size(size))
    }

    /// `getsockopt(SO_RCVBUF)`.
    pub fn recv_buffer_size(&self) -> Result<usize> {
        self.with_sock(|s| s.recv_buffer_size())
    }

    /// `setsockopt(SO_SNDBUF)`.
    pub fn set_send_buffer_size(&self, size: usize) -> Result<()> {
        self.with_sock(|s| s.set_send_buffer_size(size))
    }

    /// `getsockopt(SO_SNDBUF)`.
    pub fn send_buffer_size(&self) -> Result<usize> {
        self.with_sock(|s| s.send_buffer_size())
    }

    /// `setsockopt(SO_KEEPALIVE)`.
    pub fn set_keepalive(&self, keepalive: bool) -> Result<()> {
        self.with_sock(|s| s.set_keepalive(keepalive))
    }

    /// `getsockopt(SO_KEEPALIVE)`.
    pub fn keepalive(&self) -> Result<bool> {
        self.with_sock(|s| s.keepalive())
    }

    pub(super) fn stream_only(&self) -> Result<()> {
        if self.h.core.stream {
            Ok(())
        } else {
            err(WSAENOPROTOOPT)
        }
    }

    pub(super) fn with_sock<T>(
        &self,
        f: impl FnOnce(crate::sys::Opts<'_>) -> io::Result<T>,
    ) -> Result<T> {
        let st = self.lock()?;
        st.os.sock().and_then(f).map_err(|e| map(&e))
    }
}
