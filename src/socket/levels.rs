//! What `select` and `WSAPoll` see on a socket: its level, from the OS socket and the
//! emulated state, without recording or re-enabling anything (rule 47).

use super::*;

/// A socket's level as `select` and `WSAPoll` report it ([`Socket::poll_level`]): facts, in
/// Windows' terms; `winsock` maps them to `fd_set`s and `POLL*` flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PollLevel {
    /// Normal data queued (urgent data too with OOB-inline), or a datagram.
    pub data: bool,
    /// A listener has a connection to accept.
    pub pending_accept: bool,
    /// Urgent data waits to be read with `MSG_OOB` (not OOB-inline).
    pub urgent: bool,
    /// A connected (or UDP) socket has room to send.
    pub writable: bool,
    /// The peer's FIN arrived, or the connection was reset or aborted.
    pub hangup: bool,
    /// The last connect failed (rule 33).
    pub connect_failed: bool,
}

impl Socket {
    /// What `select` and `WSAPoll` see on this socket now: the OS socket's level, read
    /// under the socket's lock, with the emulated state on top (a connect's outcome, a
    /// reset, OOB-inline). Records nothing and re-enables nothing (rule 47).
    pub(crate) fn poll_level(&self) -> Result<PollLevel> {
        let st = self.lock()?;
        let mut l = PollLevel::default();
        if !self.h.core.stream {
            // Unbound: nothing can arrive; sending (with an implicit bind) is possible.
            l.data = st.bound && st.os.readable_now();
            l.writable = st.os.writable_now();
            return Ok(l);
        }
        match st.conn {
            Conn::Listening => l.pending_accept = st.os.readable_now(),
            // A failed connect stays reported until a connect succeeds (rule 33).
            Conn::Unconnected => l.connect_failed = st.connect_error.is_some(),
            // The reactor may not have taken the outcome yet: the OS socket tells it.
            Conn::Connecting => match st.os.peer_addr() {
                Err(_) if st.os.closed_now() => l.connect_failed = true,
                Ok(_) if st.os.writable_now() => st.connected_level(&mut l),
                _ => {}
            },
            Conn::Connected => st.connected_level(&mut l),
        }
        Ok(l)
    }

    /// The simulated network the socket belongs to (`None`: the OS's), for a caller that
    /// waits on its clock itself (`select`).
    pub(crate) fn sim_network(&self) -> Option<&std::sync::Arc<crate::sys::sim::Net>> {
        self.h.core.sim.as_ref()
    }

    /// The OS socket, for a caller that waits for its readiness changes itself (`select`).
    #[cfg(unix)]
    pub(crate) fn raw_fd(&self) -> Option<std::os::fd::RawFd> {
        let st = self.h.core.state.lock();
        st.os.sock().ok().and_then(|s| s.raw_fd())
    }
}

impl State {
    /// [`Socket::poll_level`] of a connected stream socket.
    fn connected_level(&self, l: &mut PollLevel) {
        l.urgent = !self.oob_inline && self.os.urgent_pending();
        l.hangup = self.reset || self.abort_error.is_some() || self.os.closed_now();
        // FIONREAD first. Once urgent data was seen, Linux's FIONREAD stops at the urgent
        // mark (even a read one): then a 1-byte peek tells. A peek finding no data takes a
        // pending socket error, which the reactor must read first (FIN or RST, rule 39):
        // so none while a close is not yet recorded.
        let closing_unseen = l.hangup && !self.close_recorded && self.broken().is_none();
        l.data = self.os.bytes_available().unwrap_or(0) > 0
            || ((self.urgent_seen || self.oob_inline || l.urgent)
                && !closing_unseen
                && self.os.normal_readable());
        l.writable = self.os.writable_now();
    }
}
