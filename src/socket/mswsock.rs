//! The mswsock extensions on the socket (`crate::overlapped` owns overlapped operations,
//! `crate::iocp` the port they may complete to): `AcceptEx`, `ConnectEx`, `DisconnectEx`,
//! `SO_UPDATE_ACCEPT_CONTEXT`, `SO_UPDATE_CONNECT_CONTEXT`.
//!
//! What Windows does, and where it is checked (Wine's Windows-run dlls/ws2_32/tests/sock.c,
//! `test_AcceptEx`, `test_connect`, `test_DisconnectEx`; rule numbers of
//! `../shared/docs/winsock-semantics.md`):
//!
//! * `AcceptEx` is an operation of the **listening** socket. It takes the next connection
//!   (before any `FD_ACCEPT` is recorded for it: rule 26) into the accept socket, which
//!   must be a fresh TCP socket (not bound, not connected, not already the target of a
//!   pending `AcceptEx`: `WSAEINVAL`). With a receive length of 0 it completes at the
//!   connection; otherwise when the first data arrive (or the peer closes: 0 bytes). A
//!   connection already queued when it is issued is taken at once, and the call succeeds
//!   (`TRUE`; its completion is still announced: event, port packet unless
//!   `FILE_SKIP_COMPLETION_PORT_ON_SUCCESS`). Windows documents that `AcceptEx` may
//!   succeed at once; when it does is not tested (docs/semantics.md).
//!   A local or remote address space smaller than the address plus 16 bytes completes,
//!   when a connection is pending, with `STATUS_BUFFER_TOO_SMALL`
//!   (`ERROR_INSUFFICIENT_BUFFER`) and leaves the connection queued (a later `accept` gets
//!   it). Closing the accept socket or the listener completes it with
//!   `ERROR_OPERATION_ABORTED`; `CancelIo` on the accept socket does not.
//! * The accepted socket is connected, records `FD_WRITE` (rule 29 ii), and, until
//!   `SO_UPDATE_ACCEPT_CONTEXT`, fails `getsockname`/`getpeername` with `WSAENOTCONN`
//!   (Microsoft, AcceptEx remarks: the accept socket does not inherit the listener's
//!   properties until the option is set).
//! * `ConnectEx` needs a bound, unconnected TCP socket (`WSAEINVAL` unbound or listening,
//!   `WSAEISCONN` connected); it always goes pending, completes when connected after sending
//!   the optional buffer (bytes = sent), or with `ERROR_CONNECTION_REFUSED`.
//! * `DisconnectEx` shuts the sending side down (`WSAENOTCONN` unless connected); later
//!   sends fail `WSAESHUTDOWN`, receives still work, `connect` is `WSAEISCONN`.
//!   `TF_REUSE_SOCKET` is not provided (`WSAEOPNOTSUPP`, docs/semantics.md).

use std::collections::HashMap;

use super::overlapped_io::Attempt;
use super::*;
use crate::overlapped::{Notify, OpBuffer, OpKind, OpResult, Overlapped};

/// `ERROR_INSUFFICIENT_BUFFER` (122): an `AcceptEx` address space too small. Carried as the
/// operation's error; its status is `STATUS_BUFFER_TOO_SMALL`.
pub const ERROR_INSUFFICIENT_BUFFER: i32 = 122;

/// `TF_DISCONNECT` (1), `TF_REUSE_SOCKET` (2): `DisconnectEx` / `TransmitFile` flags.
pub const TF_DISCONNECT: u32 = 0x1;
/// See [`TF_DISCONNECT`].
pub const TF_REUSE_SOCKET: u32 = 0x2;

/// Where `AcceptEx` leaves the connection's addresses (local, remote) for the caller's
/// buffer (the C layer writes them into the `AcceptEx` output buffer at completion).
pub type AcceptAddrs = Arc<parking_lot::Mutex<Option<(SocketAddr, SocketAddr)>>>;

/// The space an address takes in an `AcceptEx` buffer at least: `sizeof(SOCKADDR_IN)` or
/// `sizeof(SOCKADDR_IN6)` plus 16 (Microsoft, AcceptEx: "at least 16 bytes more than the
/// maximum address length for the transport protocol in use").
pub fn accept_address_space(v6: bool) -> u32 {
    if v6 { 28 + 16 } else { 16 + 16 }
}

/// Per-socket state of the extensions.
#[derive(Default)]
pub(super) struct ExState {
    /// Filled by `AcceptEx`, not yet given `SO_UPDATE_ACCEPT_CONTEXT`.
    pub(super) needs_accept_context: bool,
}

/// A pending `AcceptEx`: its target and address spaces.
#[derive(Clone)]
struct AcceptCtx {
    op: Overlapped,
    /// The accept socket's core (not a handle: dropping the user's last handle still
    /// closes the socket, which aborts the operation).
    acceptor: Arc<Core>,
    local_len: u32,
    remote_len: u32,
    recv_len: usize,
    addrs: AcceptAddrs,
    accepted: bool,
}

/// Pending `AcceptEx` operations by operation id.
static ACCEPTS: parking_lot::Mutex<Option<HashMap<u64, AcceptCtx>>> = parking_lot::Mutex::new(None);

fn accepts<R>(f: impl FnOnce(&mut HashMap<u64, AcceptCtx>) -> R) -> R {
    f(ACCEPTS.lock().get_or_insert_with(HashMap::new))
}

fn same(a: &Arc<Core>, b: &Socket) -> bool {
    Arc::ptr_eq(a, &b.h.core)
}

/// `closesocket` on a socket: pending `AcceptEx` operations that accept into it complete
/// with `WSA_OPERATION_ABORTED` (Wine's Windows-run test_AcceptEx, "Test closing with
/// pending requests"). Called without the socket's lock.
pub(super) fn acceptor_closed(core: &Core) {
    // Taken out of the table and dropped outside its lock.
    let ctxs: Vec<AcceptCtx> = accepts(|m| {
        let ids: Vec<u64> = m
            .iter()
            .filter(|(_, c)| std::ptr::eq(Arc::as_ptr(&c.acceptor), core))
            .map(|(&id, _)| id)
            .collect();
        ids.into_iter().filter_map(|id| m.remove(&id)).collect()
    });
    for c in ctxs {
        c.op.abort();
    }
}

/// Whether `s` is the target of a pending `AcceptEx`.
///
/// Also forgets the entries of operations that completed without taking theirs out (those
/// aborted with their listener). The operations' states are read outside the table's
/// lock: an attempt holds an operation's lock while it looks the table up.
fn is_pending_acceptor(s: &Socket) -> bool {
    let all: Vec<(u64, Overlapped, bool)> = accepts(|m| {
        m.iter()
            .map(|(&id, c)| (id, c.op.clone(), same(&c.acceptor, s)))
            .collect()
    });
    let mut pending = false;
    let mut done = Vec::new();
    for (id, op, mine) in all {
        if op.is_completed() {
            done.push(id);
        } else if mine {
            pending = true;
        }
    }
    if !done.is_empty() {
        // Dropped outside the table's lock.
        let _gone: Vec<AcceptCtx> =
            accepts(|m| done.iter().filter_map(|id| m.remove(id)).collect());
    }
    pending
}

impl Socket {
    /// `AcceptEx(listener, acceptor, buffer, recv_len, local_len, remote_len, …, &ov)`: the
    /// general form, for the C layer. `buffer` is the receive part (`recv_len` bytes);
    /// the addresses are left in `addrs` before completion. Returns the operation and
    /// whether it completed at once: with no connection queued it goes pending, as on
    /// Windows; a connection already queued is taken at once (see the module).
    #[allow(clippy::too_many_arguments)]
    pub fn accept_ex_with(
        &self,
        acceptor: &Socket,
        buffer: Box<dyn OpBuffer>,
        local_len: u32,
        remote_len: u32,
        addrs: AcceptAddrs,
        notify: Vec<Notify>,
        tag: usize,
        h_event: usize,
    ) -> Result<(Overlapped, bool)> {
        {
            let st = self.lock()?;
            if !self.h.core.stream || st.conn != Conn::Listening {
                return err(WSAEINVAL);
            }
        }
        if remote_len == 0 {
            return err(WSAEFAULT);
        }
        {
            let ast = acceptor.lock()?;
            if same(&self.h.core, acceptor)
                || !acceptor.h.core.stream
                || ast.bound
                || ast.conn != Conn::Unconnected
                || acceptor.h.core.v6 != self.h.core.v6
            {
                return err(WSAEINVAL);
            }
        }
        if is_pending_acceptor(acceptor) {
            return err(WSAEINVAL);
        }
        let mut recv_len = 0;
        let mut buffer = buffer;
        recv_len += buffer.bytes().len();
        let acceptor = acceptor.h.core.clone();
        let prepare = |op: &Overlapped| {
            accepts(|m| {
                m.insert(
                    op.id(),
                    AcceptCtx {
                        op: op.clone(),
                        acceptor,
                        local_len,
                        remote_len,
                        recv_len,
                        addrs,
                        accepted: false,
                    },
                )
            });
        };
        crate::iocp::issue_prepared(self, OpKind::Accept, buffer, notify, tag, h_event, prepare)
    }

    /// `AcceptEx` for the Rust API: accepts the next connection into `acceptor`, then (with
    /// `recv_len` > 0) waits for its first data. The received bytes are the operation's
    /// buffer ([`Overlapped::take_buffer`]), the addresses in the returned [`AcceptAddrs`].
    pub fn accept_ex(
        &self,
        acceptor: &Socket,
        recv_len: usize,
        notify: Vec<Notify>,
    ) -> Result<(Overlapped, AcceptAddrs)> {
        let addrs = AcceptAddrs::default();
        let space = accept_address_space(self.h.core.v6);
        let (op, _) = self.accept_ex_with(
            acceptor,
            Box::new(vec![0u8; recv_len]),
            space,
            space,
            addrs.clone(),
            notify,
            0,
            0,
        )?;
        Ok((op, addrs))
    }

    /// `setsockopt(acceptor, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, &listener, …)`: gives a
    /// socket filled by `AcceptEx` the listener's context: `getsockname`/`getpeername`
    /// work from now on. `listener` must be an open socket (`WSAENOTSOCK`).
    pub fn update_accept_context(&self, listener: &Socket) -> Result<()> {
        drop(listener.lock()?);
        self.lock()?.ex.needs_accept_context = false;
        Ok(())
    }

    /// `setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0)` after `ConnectEx`:
    /// `WSAENOTCONN` unless connected; nothing else to update here.
    pub fn update_connect_context(&self) -> Result<()> {
        let mut st = self.lock()?;
        st.settle_connect();
        if st.conn != Conn::Connected {
            return err(WSAENOTCONN);
        }
        Ok(())
    }

    /// `ConnectEx(s, addr, send_buf, …, &ov)`: the general form (see the module). The
    /// operation always goes pending; it sends `buffer` once connected.
    pub fn connect_ex_with(
        &self,
        addr: SocketAddr,
        buffer: Box<dyn OpBuffer>,
        notify: Vec<Notify>,
        tag: usize,
        h_event: usize,
    ) -> Result<(Overlapped, bool)> {
        if is_pending_acceptor(self) {
            return err(WSAEINVAL);
        }
        // A connect that failed at once with an error Windows reports asynchronously (no
        // route: WSAENETUNREACH): no readiness will come to serve the operation, so it is
        // served once issued (it still goes pending first, as every ConnectEx).
        let mut failed_at_once = false;
        {
            let mut st = self.lock()?;
            if !self.h.core.stream {
                return err(WSAEINVAL);
            }
            st.settle_connect();
            match st.conn {
                Conn::Listening => return err(WSAEINVAL),
                Conn::Connected => return err(WSAEISCONN),
                Conn::Connecting => return err(WSAEALREADY),
                Conn::Unconnected => {}
            }
            if !st.bound {
                return err(WSAEINVAL);
            }
            check_remote(addr)?;
            match st.os.connect(addr) {
                Ok(done) => {
                    if st.token.is_none() {
                        st.write_interest = !done;
                    }
                    watch(&self.h.core, &mut st)?;
                    st.want_writable(true);
                    if done {
                        st.connected();
                    } else {
                        st.conn = Conn::Connecting;
                    }
                }
                Err(e) => {
                    let code = map(&e).code();
                    if !is_async_connect_error(code) {
                        return err(code);
                    }
                    watch(&self.h.core, &mut st)?;
                    st.connect_failed(code);
                    failed_at_once = true;
                }
            }
            st.rearm(self.h.core.stream);
        }
        let r = crate::iocp::issue_prepared(
            self,
            OpKind::Connect(addr),
            buffer,
            notify,
            tag,
            h_event,
            |_| {},
        );
        if failed_at_once {
            let mut st = self.lock()?;
            st.serve_all_overlapped(self.h.core.stream);
            st.rearm(self.h.core.stream);
        }
        r
    }

    /// `ConnectEx` for the Rust API: connects to `addr`, then sends `data` (may be empty).
    pub fn connect_ex(
        &self,
        addr: SocketAddr,
        data: Vec<u8>,
        notify: Vec<Notify>,
    ) -> Result<Overlapped> {
        self.connect_ex_with(addr, Box::new(data), notify, 0, 0)
            .map(|(op, _)| op)
    }

    /// `DisconnectEx(s, NULL, flags, 0)`, the synchronous form: shuts the sending side down.
    /// `flags`: 0 or `TF_DISCONNECT`; `TF_REUSE_SOCKET` is `WSAEOPNOTSUPP` here; other bits
    /// `WSAEINVAL`.
    pub fn disconnect_ex(&self, flags: u32) -> Result<()> {
        check_disconnect_flags(flags)?;
        let mut st = self.lock()?;
        st.settle_connect();
        if !self.h.core.stream || st.conn != Conn::Connected {
            return err(WSAENOTCONN);
        }
        st.disconnect();
        Ok(())
    }

    /// `DisconnectEx(s, &ov, flags, 0)`: as [`disconnect_ex`](Self::disconnect_ex), as an
    /// operation: it goes pending and completes (0 bytes) once the shutdown is done.
    pub fn disconnect_ex_overlapped(
        &self,
        flags: u32,
        buffer: Box<dyn OpBuffer>,
        notify: Vec<Notify>,
        tag: usize,
        h_event: usize,
    ) -> Result<(Overlapped, bool)> {
        check_disconnect_flags(flags)?;
        {
            let mut st = self.lock()?;
            st.settle_connect();
            if !self.h.core.stream || st.conn != Conn::Connected {
                return err(WSAENOTCONN);
            }
        }
        crate::iocp::issue_prepared(
            self,
            OpKind::Disconnect,
            buffer,
            notify,
            tag,
            h_event,
            |_| {},
        )
    }

    /// Whether `getsockname`/`getpeername` must fail `WSAENOTCONN` (an `AcceptEx` socket
    /// before `SO_UPDATE_ACCEPT_CONTEXT`).
    pub(super) fn needs_accept_context(st: &State) -> bool {
        st.ex.needs_accept_context
    }
}

fn check_disconnect_flags(flags: u32) -> Result<()> {
    if flags & !(TF_DISCONNECT | TF_REUSE_SOCKET) != 0 {
        return err(WSAEINVAL);
    }
    if flags & TF_REUSE_SOCKET != 0 {
        return err(WSAEOPNOTSUPP);
    }
    Ok(())
}

impl State {
    fn disconnect(&mut self) {
        if !self.wr_shutdown && self.broken().is_none() {
            let _ = self.os.shutdown_write();
        }
        self.wr_shutdown = true;
    }

    /// One attempt of a `ConnectEx`: settles the connect; once connected, sends the buffer.
    pub(super) fn attempt_connect(
        &mut self,
        buf: &mut [u8],
        progress: &mut usize,
        issuing: bool,
    ) -> Attempt {
        // Always pending at first, as on Windows (test_connect: ERROR_IO_PENDING even on
        // loopback); the writable readiness serves it.
        if issuing {
            return Attempt::Block;
        }
        self.settle_connect();
        if self.conn == Conn::Connecting {
            match self.os.take_error() {
                Ok(Some(e)) | Err(e) => {
                    let code = map(&e).code();
                    self.connect_failed(code);
                }
                Ok(None) => return Attempt::Block,
            }
        }
        if self.conn != Conn::Connected {
            return Attempt::Done(OpResult::failed(
                self.connect_error.unwrap_or(WSAECONNREFUSED),
            ));
        }
        while *progress < buf.len() {
            match self.os.send(&buf[*progress..], false) {
                Ok(n) => *progress += n,
                Err(e) if would_block(&e) => return Attempt::Block,
                Err(e) => {
                    let mut r = OpResult::failed(self.io_failed(&e).code());
                    r.bytes = *progress;
                    return Attempt::Done(r);
                }
            }
        }
        Attempt::Done(OpResult::ok(*progress))
    }

    /// One attempt of a `DisconnectEx`: pending at first (Windows returns
    /// `ERROR_IO_PENDING`), then the shutdown, 0 bytes.
    pub(super) fn attempt_disconnect(&mut self, issuing: bool) -> Attempt {
        if issuing {
            return Attempt::Block;
        }
        self.disconnect();
        Attempt::Done(OpResult::ok(0))
    }

    /// One attempt of an `AcceptEx`, on the listener (the connection) or, with a receive
    /// part, then on the accept socket (the first data). `me`: the operation.
    pub(super) fn attempt_accept(
        &mut self,
        me: &Overlapped,
        buf: &mut [u8],
        issuing: bool,
        v6: bool,
    ) -> Attempt {
        let Some(ctx) = accepts(|m| m.get(&me.id()).cloned()) else {
            // Gone: aborted (its accept socket closed).
            return Attempt::Done(OpResult::failed(WSA_OPERATION_ABORTED));
        };
        if ctx.accepted {
            return self.attempt_accept_data(me, buf);
        }
        // On the listener. With no connection queued it goes pending (Windows' usual
        // answer, ERROR_IO_PENDING); one already queued (its readiness reported before this
        // operation existed) is taken at once: the call then succeeds (TRUE), and the
        // completion is announced as for any operation that completes at once.
        if issuing && !self.os.readable_now() {
            return Attempt::Block;
        }
        let space = accept_address_space(v6);
        if ctx.local_len < space || ctx.remote_len < space {
            // Completes when a connection is there, and leaves it queued.
            if self.os.readable_now() {
                accepts(|m| m.remove(&me.id()));
                return Attempt::Done(OpResult::failed(ERROR_INSUFFICIENT_BUFFER));
            }
            return Attempt::Block;
        }
        let (os, peer) = match self.os.accept() {
            Ok(x) => x,
            Err(e) if would_block(&e) => return Attempt::Block,
            Err(e) => {
                accepts(|m| m.remove(&me.id()));
                return Attempt::Done(OpResult::failed(map(&e).code()));
            }
        };
        // AcceptEx is a re-enabling call for FD_ACCEPT (rule 25).
        let more = self.os.readable_now();
        self.record.reenable(Fd::ACCEPT, more);
        let local = os.local_addr().ok();
        let acceptor = ctx.acceptor.clone();
        let mut ast = acceptor.state.lock();
        if ast.os.is_closed() {
            drop(ast);
            accepts(|m| m.remove(&me.id()));
            return Attempt::Done(OpResult::failed(WSA_OPERATION_ABORTED));
        }
        ast.os = os;
        ast.conn = Conn::Connected;
        ast.bound = true;
        ast.ex.needs_accept_context = true;
        ast.oob_inline = ast
            .os
            .sock()
            .and_then(|s| s.out_of_band_inline())
            .unwrap_or(false);
        if let Err(e) = watch(&acceptor, &mut ast) {
            drop(ast);
            accepts(|m| m.remove(&me.id()));
            return Attempt::Done(OpResult::failed(e.code()));
        }
        // An accepted socket starts with FD_WRITE (rule 29 ii).
        ast.record.arrive(Fd::WRITE, 0);
        ast.last_avail = ast.os.bytes_available().unwrap_or(0);
        ast.recv_stamp = reactor::poll_seq();
        if let Some(local) = local {
            *ctx.addrs.lock() = Some((local, peer));
        }
        if ctx.recv_len == 0 {
            drop(ast);
            accepts(|m| m.remove(&me.id()));
            return Attempt::Done(OpResult::ok(0));
        }
        accepts(|m| {
            if let Some(c) = m.get_mut(&me.id()) {
                c.accepted = true;
            }
        });
        // The first data may be there already.
        match ast.attempt_accept_data(me, buf) {
            Attempt::Block => {
                ast.ov_read.push_back(me.clone());
                let stream = true;
                ast.rearm(stream);
                Attempt::Moved
            }
            done => done,
        }
    }

    /// The receive part of an `AcceptEx`, on the accept socket: completes with the first
    /// data, or 0 bytes at the FIN (test_AcceptEx, "Disconnect during receive?").
    fn attempt_accept_data(&mut self, me: &Overlapped, buf: &mut [u8]) -> Attempt {
        let done = |r: OpResult| {
            accepts(|m| m.remove(&me.id()));
            Attempt::Done(r)
        };
        match self.os.recv(buf, RecvFlags::default()) {
            Ok(n) => {
                self.after_recv(MsgFlags::default(), n, buf.len());
                done(OpResult::ok(n))
            }
            Err(e) if would_block(&e) => Attempt::Block,
            Err(e) => {
                let code = self.io_failed(&e).code();
                done(OpResult::failed(code))
            }
        }
    }
}
