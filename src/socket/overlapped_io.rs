//! Overlapped operations on the socket (`crate::overlapped` owns the concept): issuing one,
//! serving the pending ones in issue order, cancelling them. Every attempt goes through
//! [`State::attempt_op`], the one place that dispatches on the operation's kind and applies
//! the re-enabling rule of the call it stands for (a receive is a `recv`: rules 17, 19).

use super::*;

/// What one attempt of an overlapped operation decided.
pub(super) enum Attempt {
    /// It completed (successfully or not).
    Done(OpResult),
    /// Nothing to do yet: it stays pending.
    Block,
    /// It moved to another socket's queue (an `AcceptEx` waiting for its first data on the
    /// accept socket): it stays pending, no longer in this queue.
    Moved,
}

impl Socket {
    /// Issues an overlapped operation (`WSARecv`/`WSASend`/`WSARecvFrom`/`WSASendTo` with an
    /// `OVERLAPPED`): `Ok(true)` if it completed at once (its result is recorded and its
    /// notifications have fired: the event is set and a completion routine is queued, as
    /// Windows does), `Ok(false)` if it is pending (`WSA_IO_PENDING`), or the error it
    /// failed with at once (then nothing is notified and it never completes: Windows
    /// reports a synchronous failure only through the return value).
    ///
    /// Pending operations are served in issue order, receives and sends each in their own
    /// queue; one issued while others of its direction are pending waits behind them.
    pub fn issue_overlapped(&self, op: &Overlapped) -> Result<bool> {
        let mut st = self.lock()?;
        let stream = self.h.core.stream;
        // The operation's event joins the socket's network (mixing networks: WSAEINVAL).
        op.start(st.os.network())?;
        if let Err(e) = st.check_op(stream, op.kind()) {
            if st.os.tracing() {
                trace_issue(&st.os, op, Some(&e));
            }
            return Err(e);
        }
        if let Some(e) = &st.io_event {
            // Every request the I/O manager starts clears its file object's event.
            e.reset();
        }
        let dir = op.kind().direction();
        let queued = match dir {
            Direction::Read => !st.ov_read.is_empty(),
            Direction::Write => !st.ov_write.is_empty(),
        };
        if !queued {
            let was_bound = st.bound;
            match st.attempt_op(stream, op, true) {
                // A failure the transport reports at once is synchronous: no completion.
                Attempt::Done(r) if r.error != 0 && r.bytes == 0 => {
                    st.rearm(stream);
                    let e = Error::from_code(r.error);
                    if st.os.tracing() {
                        trace_issue(&st.os, op, Some(&e));
                    }
                    return Err(e);
                }
                Attempt::Done(r) => {
                    if !was_bound && st.bound {
                        // The implicit bind of a first sendto: watched and FD_WRITE once,
                        // as after `bind` (rule 45).
                        watch(&self.h.core, &mut st)?;
                        st.record.arrive(Fd::WRITE, 0);
                    }
                    if dir == Direction::Write {
                        st.sent_all();
                    }
                    st.finish(op, r);
                    st.rearm(stream);
                    return Ok(true);
                }
                Attempt::Block => {}
                Attempt::Moved => {
                    st.rearm(stream);
                    if st.os.tracing() {
                        trace_issue(&st.os, op, None);
                    }
                    return Ok(false);
                }
            }
        }
        match dir {
            Direction::Read => st.ov_read.push_back(op.clone()),
            Direction::Write => {
                st.ov_write.push_back(op.clone());
                // Room coming back shows as writability: watch it while sends are pending.
                st.want_writable(true);
            }
        }
        st.rearm(stream);
        if st.os.tracing() {
            trace_issue(&st.os, op, None);
        }
        Ok(false)
    }

    /// `WSARecv(s, …, &ov, …)` for the Rust API: receives into `buf` (given back by
    /// [`Overlapped::take_buffer`]); see [`issue_overlapped`](Self::issue_overlapped).
    pub fn recv_overlapped(
        &self,
        buf: Vec<u8>,
        flags: MsgFlags,
        notify: Vec<Notify>,
    ) -> Result<Overlapped> {
        let op = Overlapped::new(OpKind::Recv(flags), Box::new(buf), notify, 0);
        self.issue_overlapped(&op)?;
        Ok(op)
    }

    /// `WSARecvFrom(s, …, &ov, …)`: as [`recv_overlapped`](Self::recv_overlapped); the
    /// sender is in the result's `from` (datagram sockets).
    pub fn recv_from_overlapped(
        &self,
        buf: Vec<u8>,
        flags: MsgFlags,
        notify: Vec<Notify>,
    ) -> Result<Overlapped> {
        let op = Overlapped::new(OpKind::RecvFrom(flags), Box::new(buf), notify, 0);
        self.issue_overlapped(&op)?;
        Ok(op)
    }

    /// `WSASend(s, …, &ov, …)`: completes when the whole of `data` is taken.
    pub fn send_overlapped(&self, data: Vec<u8>, notify: Vec<Notify>) -> Result<Overlapped> {
        let op = Overlapped::new(OpKind::Send { oob: false }, Box::new(data), notify, 0);
        self.issue_overlapped(&op)?;
        Ok(op)
    }

    /// `WSASendTo(s, …, to, &ov, …)` (on a stream socket `to` is ignored, as `sendto`).
    pub fn send_to_overlapped(
        &self,
        data: Vec<u8>,
        to: SocketAddr,
        notify: Vec<Notify>,
    ) -> Result<Overlapped> {
        let kind = if self.h.core.stream {
            OpKind::Send { oob: false }
        } else {
            OpKind::SendTo(to)
        };
        let op = Overlapped::new(kind, Box::new(data), notify, 0);
        self.issue_overlapped(&op)?;
        Ok(op)
    }

    /// `CancelIo` / `CancelIoEx`: completes the pending operations `filter` selects with
    /// `WSA_OPERATION_ABORTED`; returns how many. Operations that completed already are
    /// not touched (`CancelIoEx` then fails `ERROR_NOT_FOUND`).
    pub fn cancel_overlapped(&self, filter: CancelFilter) -> Result<usize> {
        let mut st = self.lock()?;
        let n = st.abort_overlapped(filter);
        st.rearm(self.h.core.stream);
        Ok(n)
    }

    /// The first pending operation issued with tag `tag` (C: the `OVERLAPPED` address).
    pub fn find_overlapped(&self, tag: usize) -> Option<Overlapped> {
        let st = self.h.core.state.lock();
        st.ov_read
            .iter()
            .chain(st.ov_write.iter())
            .find(|op| op.tag() == tag)
            .cloned()
            .or_else(|| st.changes.as_ref().and_then(|w| w.find(tag)))
    }

    /// The socket handle as a waitable object (`WaitForSingleObject((HANDLE)s, …)`): as
    /// Windows signals a socket's file object, it is unsignalled until an overlapped
    /// operation on the socket completes, set at each completion, and reset when an
    /// operation starts (test_nonblocking_async_recv: a wait on the socket ends when its
    /// pending receive completes). Created on first use.
    pub fn io_event(&self) -> Event {
        let mut st = self.h.core.state.lock();
        let net = st.os.network();
        st.io_event
            .get_or_insert_with(|| {
                // Waiting on it must drive the network, as on an operation's own event.
                // Of the socket's network: a wait on it runs on that network's clock.
                let e = Event::new_real_time(true, false);
                let _ = e.claim_network(net);
                e.mark_fed();
                e
            })
            .clone()
    }

    /// The network the socket belongs to (a simulated network's id, 0 for the OS): its
    /// overlapped operations and its completion port are that network's.
    pub(crate) fn network(&self) -> Result<u32> {
        Ok(self.lock()?.os.network())
    }

    /// How many overlapped operations are pending on this socket.
    pub fn pending_overlapped(&self) -> usize {
        let st = self.h.core.state.lock();
        st.ov_read.len() + st.ov_write.len()
    }
}

impl State {
    /// The checks the synchronous call makes before it reaches the transport: failures
    /// here are synchronous (no completion).
    fn check_op(&mut self, stream: bool, kind: OpKind) -> Result<()> {
        match kind {
            OpKind::Recv(f) | OpKind::RecvFrom(f) => {
                if stream {
                    self.settle_connect();
                    if self.conn != Conn::Connected {
                        return err(WSAENOTCONN);
                    }
                    if self.rd_shutdown {
                        return err(WSAESHUTDOWN);
                    }
                    if let Some(code) = self.broken() {
                        return err(code);
                    }
                    if f.oob && self.oob_inline {
                        return err(WSAEINVAL);
                    }
                } else {
                    if !self.bound {
                        return err(WSAEINVAL);
                    }
                    if f.oob {
                        return err(WSAEOPNOTSUPP);
                    }
                    if self.rd_shutdown {
                        return err(WSAESHUTDOWN);
                    }
                }
            }
            // The mswsock calls check before issuing (socket/mswsock.rs).
            OpKind::Accept | OpKind::Connect(_) | OpKind::Disconnect => {}
            OpKind::Send { .. } | OpKind::SendTo(_) => {
                if self.wr_shutdown {
                    return err(WSAESHUTDOWN);
                }
                if let OpKind::SendTo(addr) = kind {
                    check_remote(addr)?;
                } else {
                    self.settle_connect();
                    if self.conn != Conn::Connected {
                        return err(WSAENOTCONN);
                    }
                    if let Some(code) = self.broken() {
                        return err(code);
                    }
                }
            }
            // Issued by the change ioctls themselves (`Socket::address_list_change_overlapped`),
            // never through the data queues.
            OpKind::Notify(_) => return err(WSAEINVAL),
        }
        Ok(())
    }

    /// One attempt of `op`: the one place that dispatches on the kind. `issuing`: the first
    /// attempt, made by the issuing call (a receive that finds nothing is then a
    /// re-enabling call that would block, as `recv`'s WSAEWOULDBLOCK is).
    pub(super) fn attempt_op(&mut self, stream: bool, op: &Overlapped, issuing: bool) -> Attempt {
        let kind = op.kind();
        let me = op.clone();
        let r = op.with_buffer(|buf, progress| match kind {
            OpKind::Accept => {
                let v6 = self.os.local_addr().is_ok_and(|a| a.is_ipv6());
                self.attempt_accept(&me, buf, issuing, v6)
            }
            OpKind::Connect(_) => self.attempt_connect(buf, progress, issuing),
            OpKind::Disconnect => self.attempt_disconnect(issuing),
            OpKind::Recv(f) | OpKind::RecvFrom(f) if stream => {
                self.attempt_stream_recv(buf, f, issuing)
            }
            OpKind::Recv(f) | OpKind::RecvFrom(f) => self.attempt_dgram_recv(buf, f, kind),
            OpKind::Send { oob } => self.attempt_send(stream, buf, progress, oob, None),
            OpKind::SendTo(to) => self.attempt_send(stream, buf, progress, false, Some(to)),
            // Never queued here (`check_op` refuses it): the change watch completes it.
            OpKind::Notify(_) => Attempt::Block,
        });
        // Already complete (cancelled under us): nothing more to do for it.
        r.unwrap_or(Attempt::Done(OpResult::ok(0)))
    }

    fn attempt_stream_recv(&mut self, buf: &mut [u8], f: MsgFlags, issuing: bool) -> Attempt {
        if let Some(code) = self.broken() {
            return Attempt::Done(OpResult::failed(code));
        }
        if self.rd_shutdown {
            return Attempt::Done(OpResult::failed(WSAESHUTDOWN));
        }
        let rf = RecvFlags {
            peek: f.peek,
            oob: f.oob,
        };
        if buf.is_empty() {
            // A zero-byte receive completes (with 0 bytes) once data or the FIN is there.
            let ready = self.os.bytes_available().unwrap_or(0) > 0 || self.os.closed_now();
            if issuing || ready {
                self.after_recv(f, 0, 0);
            }
            return if ready {
                Attempt::Done(OpResult::ok(0))
            } else {
                Attempt::Block
            };
        }
        match self.os.recv(buf, rf) {
            Ok(n) => {
                self.after_recv(f, n, buf.len());
                Attempt::Done(OpResult::ok(n))
            }
            Err(e) if would_block(&e) || (f.oob && map(&e).code() == WSAEINVAL) => {
                if issuing {
                    self.after_recv(f, 0, buf.len());
                }
                Attempt::Block
            }
            Err(e) => Attempt::Done(OpResult::failed(self.io_failed(&e).code())),
        }
    }

    fn attempt_dgram_recv(&mut self, buf: &mut [u8], f: MsgFlags, kind: OpKind) -> Attempt {
        let rf = RecvFlags {
            peek: f.peek,
            oob: false,
        };
        match self.os.recv_from(buf, rf) {
            Ok((n, truncated, addr)) => {
                self.after_dgram_recv(f.peek);
                let mut r = OpResult::ok(n);
                if truncated {
                    // Windows fills the buffer and fails the operation (WSAEMSGSIZE); the
                    // count is the buffer's (Winsock's own count may read 0 here).
                    r.error = WSAEMSGSIZE;
                    r.bytes = buf.len();
                }
                if matches!(kind, OpKind::RecvFrom(_)) {
                    r.from = addr;
                }
                Attempt::Done(r)
            }
            Err(e) if would_block(&e) => Attempt::Block,
            Err(e) => {
                let code = self.dgram_recv_failed(&e);
                let mut r = OpResult::failed(code);
                if code == WSAEMSGSIZE {
                    // Winsock itself reports a truncated datagram (Windows): the buffer is
                    // full.
                    r.bytes = buf.len();
                }
                Attempt::Done(r)
            }
        }
    }

    fn attempt_send(
        &mut self,
        stream: bool,
        buf: &mut [u8],
        progress: &mut usize,
        oob: bool,
        to: Option<SocketAddr>,
    ) -> Attempt {
        if self.wr_shutdown {
            return Attempt::Done(OpResult::failed(WSAESHUTDOWN));
        }
        if to.is_none() {
            if let Some(code) = self.broken() {
                return Attempt::Done(OpResult::failed(code));
            }
        }
        loop {
            let rest = &buf[(*progress).min(buf.len())..];
            let r = match to {
                Some(addr) => self.os.send_to(rest, addr),
                None => self.os.send(rest, oob),
            };
            match r {
                Ok(n) => {
                    *progress += n;
                    if !stream || *progress >= buf.len() {
                        break;
                    }
                }
                Err(e) if would_block(&e) => return Attempt::Block,
                Err(e) => {
                    let e = self.io_failed(&e);
                    let code = match e.code() {
                        WSAECONNREFUSED if !stream => WSAECONNRESET,
                        c => c,
                    };
                    let mut r = OpResult::failed(code);
                    r.bytes = *progress;
                    return Attempt::Done(r);
                }
            }
        }
        if to.is_some() && !self.bound {
            // The implicit bind of a first sendto (`issue_overlapped` watches the socket).
            self.bound = true;
        }
        Attempt::Done(OpResult::ok(*progress))
    }

    /// A send finished: stop watching writability unless something still waits for it.
    fn sent_all(&mut self) {
        if self.ov_write.is_empty()
            && self.write_interest
            && !self.write_blocked
            && self.conn != Conn::Connecting
            && self.blocked == 0
        {
            self.want_writable(false);
        }
    }

    /// Serves the pending operations a readiness `r` concerns, in issue order: each
    /// completes or the first that cannot stops its queue.
    ///
    /// Returns whether a receive it served consumed data and the queue was then seen empty
    /// (the last look after the last consuming `recv`: a short read or a `FIONREAD` of 0):
    /// the readiness `r` then holds no news the record must count.
    pub(super) fn serve_overlapped(&mut self, stream: bool, r: Readiness) -> bool {
        let mut consumed = false;
        if !self.ov_read.is_empty() && (r.readable || r.read_closed || r.error || r.priority) {
            let stamp = self.consumed;
            while let Some(op) = self.ov_read.front().cloned() {
                match self.attempt_op(stream, &op, false) {
                    Attempt::Done(res) => {
                        self.ov_read.pop_front();
                        self.finish(&op, res);
                    }
                    Attempt::Moved => {
                        self.ov_read.pop_front();
                    }
                    Attempt::Block => break,
                }
            }
            consumed = self.consumed != stamp;
        }
        if !self.ov_write.is_empty() && (r.writable || r.error || r.read_closed) {
            while let Some(op) = self.ov_write.front().cloned() {
                match self.attempt_op(stream, &op, false) {
                    Attempt::Done(res) => {
                        self.ov_write.pop_front();
                        self.finish(&op, res);
                    }
                    Attempt::Moved => {
                        self.ov_write.pop_front();
                    }
                    Attempt::Block => break,
                }
            }
            self.sent_all();
        }
        consumed && stream && self.last_avail == 0 && !self.avail_unknown && !self.urgent_seen
    }

    /// Serves every pending operation that can complete now (a call that observes data
    /// serves them first, as the transport would have).
    pub(super) fn serve_all_overlapped(&mut self, stream: bool) {
        if self.ov_read.is_empty() && self.ov_write.is_empty() {
            return;
        }
        let _ = self.serve_overlapped(
            stream,
            Readiness {
                readable: true,
                writable: true,
                error: false,
                read_closed: false,
                priority: false,
            },
        );
    }

    /// Completes the pending operations `filter` selects with `WSA_OPERATION_ABORTED`.
    pub(super) fn abort_overlapped(&mut self, filter: CancelFilter) -> usize {
        let mut n = 0;
        for q in [&mut self.ov_read, &mut self.ov_write] {
            let mut keep = VecDeque::with_capacity(q.len());
            for op in q.drain(..) {
                if filter.matches(&op) {
                    if op.abort() {
                        n += 1;
                        if self.os.tracing() {
                            trace_completion(&self.os, op.kind(), None);
                        }
                    }
                } else {
                    keep.push_back(op);
                }
            }
            *q = keep;
        }
        if n > 0 {
            self.sent_all();
        }
        // The change ioctls' pending notifications (`change.rs`).
        if let Some(w) = self.changes.as_mut() {
            n += w.abort(filter);
        }
        if n > 0 && self.iocp.set_event_on_handle() {
            if let Some(e) = &self.io_event {
                e.set();
            }
        }
        n
    }

    /// Completes `op` with `r` and signals the socket handle (see
    /// [`Socket::io_event`]), unless `FILE_SKIP_SET_EVENT_ON_HANDLE` is set (`crate::iocp`).
    fn finish(&mut self, op: &Overlapped, r: OpResult) {
        if self.os.tracing() && !op.is_completed() {
            trace_completion(&self.os, op.kind(), Some(&r));
        }
        op.complete(r);
        if !self.iocp.set_event_on_handle() {
            return;
        }
        if let Some(e) = &self.io_event {
            e.set();
        }
    }
}

/// On a simulated network, the trace line of an operation's issue: pending (`None`), or
/// failed at once (one that completed at once has its completion's line).
#[cold]
#[inline(never)]
fn trace_issue(os: &OsSocket, op: &Overlapped, failed: Option<&Error>) {
    let name = op_name(op.kind());
    match failed {
        None => os.trace(format_args!("{name} overlapped pending")),
        Some(e) => os.trace(format_args!("{name} overlapped fails {e}")),
    }
}

/// On a simulated network, the trace line of an operation's completion (`None`: aborted).
#[cold]
#[inline(never)]
fn trace_completion(os: &OsSocket, kind: OpKind, r: Option<&OpResult>) {
    let name = op_name(kind);
    match r {
        None => os.trace(format_args!(
            "{name} overlapped completes {}",
            Error::from_code(WSA_OPERATION_ABORTED)
        )),
        Some(r) if r.error == 0 => os.trace(format_args!(
            "{name} overlapped completes {} bytes",
            r.bytes
        )),
        Some(r) => os.trace(format_args!(
            "{name} overlapped completes {} bytes, {}",
            r.bytes,
            Error::from_code(r.error)
        )),
    }
}

/// The call an operation kind stands for, for the simulated network's trace.
fn op_name(kind: OpKind) -> &'static str {
    match kind {
        OpKind::Recv(_) => "WSARecv",
        OpKind::RecvFrom(_) => "WSARecvFrom",
        OpKind::Send { .. } => "WSASend",
        OpKind::SendTo(_) => "WSASendTo",
        OpKind::Accept => "AcceptEx",
        OpKind::Connect(_) => "ConnectEx",
        OpKind::Disconnect => "DisconnectEx",
        OpKind::Notify(_) => "WSAIoctl",
    }
}
