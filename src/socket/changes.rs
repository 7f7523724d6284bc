//! The address-list and routing-interface ioctls on a socket (`SIO_ADDRESS_LIST_CHANGE`,
//! `SIO_ROUTING_INTERFACE_CHANGE` and their queries): the socket side of `change.rs`.

use super::*;
use crate::overlapped::{Notify, OpKind, OpResult, Overlapped};

impl Socket {
    /// `WSAIoctl(SIO_ADDRESS_LIST_CHANGE)`: asks for one notification of the next change of
    /// the local address list of the socket's family (its re-enabling call: changes before
    /// it do not count, and nothing more comes after the notification until it is asked
    /// again). Non-blocking (or event-selected): fails `WSAEWOULDBLOCK` at once and
    /// `FD_ADDRESS_LIST_CHANGE` (error 0) is recorded at the change. Blocking: returns at
    /// the change. Linux (netlink), macOS/BSD (routing socket), Windows (AFD and IP
    /// Helper); elsewhere `WSAEOPNOTSUPP`.
    pub fn address_list_change(&self) -> Result<()> {
        self.change_ioctl(None)
    }

    /// `WSAIoctl(SIO_ROUTING_INTERFACE_CHANGE)` for `dest`: one notification of the next
    /// change of the route to it, as [`address_list_change`](Self::address_list_change)
    /// for the address list: `FD_ROUTING_INTERFACE_CHANGE` with `WSAENETDOWN` when the
    /// interface it went through goes down, `WSAENETUNREACH` when `dest` is no longer
    /// reachable, 0 when the local address used to reach it changes. `dest` must be of the
    /// socket's family (`WSAEINVAL`).
    pub fn routing_interface_change(&self, dest: SocketAddr) -> Result<()> {
        if dest.is_ipv6() != self.h.core.v6 {
            return err(WSAEINVAL);
        }
        self.change_ioctl(Some(dest))
    }

    /// `WSAIoctl(SIO_ADDRESS_LIST_QUERY)`: the local addresses of the socket's family (port
    /// 0), without loopback addresses.
    pub fn address_list_query(&self) -> Result<Vec<SocketAddr>> {
        drop(self.lock()?);
        change::address_list(self.h.core.v6).map_err(|e| map(&e))
    }

    /// `WSAIoctl(SIO_ROUTING_INTERFACE_QUERY)`: the local address (port 0) the system would
    /// send from to reach `dest`; `WSAENETUNREACH` (or `WSAEHOSTUNREACH`) without a route.
    pub fn routing_interface_query(&self, dest: SocketAddr) -> Result<SocketAddr> {
        drop(self.lock()?);
        if dest.is_ipv6() != self.h.core.v6 {
            return err(WSAEINVAL);
        }
        crate::sys::route_to(dest)
            .map(|ip| SocketAddr::new(ip, 0))
            .map_err(|e| map(&e))
    }

    /// `WSAIoctl(SIO_ADDRESS_LIST_CHANGE)` with an `OVERLAPPED`: pending (`WSA_IO_PENDING`)
    /// until the next change of the family's address list, then complete (0 bytes),
    /// announced by `notify`; nothing is recorded. Several may pend; each completes at the
    /// next change. [`cancel_overlapped`](Self::cancel_overlapped) and `close` abort it
    /// (`WSA_OPERATION_ABORTED`).
    pub fn address_list_change_overlapped(&self, notify: Vec<Notify>) -> Result<Overlapped> {
        let op = Overlapped::new(
            OpKind::Notify(crate::winsock::SIO_ADDRESS_LIST_CHANGE),
            Box::new(Vec::new()),
            notify,
            0,
        );
        self.change_overlapped(None, &op)?;
        Ok(op)
    }

    /// `WSAIoctl(SIO_ROUTING_INTERFACE_CHANGE)` for `dest` with an `OVERLAPPED`: as
    /// [`address_list_change_overlapped`](Self::address_list_change_overlapped), completing
    /// at the next change of the route to `dest`: with 0, or failed with `WSAENETDOWN` or
    /// `WSAENETUNREACH` (the codes of
    /// [`routing_interface_change`](Self::routing_interface_change)).
    pub fn routing_interface_change_overlapped(
        &self,
        dest: SocketAddr,
        notify: Vec<Notify>,
    ) -> Result<Overlapped> {
        if dest.is_ipv6() != self.h.core.v6 {
            return err(WSAEINVAL);
        }
        let op = Overlapped::new(
            OpKind::Notify(crate::winsock::SIO_ROUTING_INTERFACE_CHANGE),
            Box::new(Vec::new()),
            notify,
            0,
        );
        self.change_overlapped(Some(dest), &op)?;
        Ok(op)
    }

    /// Arms an overlapped change notification `op` (of kind `OpKind::Notify`; pending when
    /// this returns): the C ABI's `WSAIoctl` with an `OVERLAPPED` (the C ABI is not built
    /// on Windows).
    #[cfg_attr(windows, allow(dead_code))]
    pub(crate) fn arm_change_overlapped(
        &self,
        route: Option<SocketAddr>,
        op: &Overlapped,
    ) -> Result<()> {
        if route.is_some_and(|d| d.is_ipv6() != self.h.core.v6) {
            return err(WSAEINVAL);
        }
        self.change_overlapped(route, op)
    }

    /// Arms an overlapped change notification (it is pending when this returns).
    fn change_overlapped(&self, route: Option<SocketAddr>, op: &Overlapped) -> Result<()> {
        let mut st = self.lock()?;
        st.ensure_watch(&self.h.core)?;
        let w = st.changes.as_mut().expect("just ensured");
        let mode = Mode::Overlapped(op.clone());
        let (fired, bit) = match route {
            None => (w.arm_address(mode), Fd::ADDRESS_LIST_CHANGE),
            Some(dest) => (w.arm_route(mode, dest), Fd::ROUTING_INTERFACE_CHANGE),
        };
        st.deliver(fired);
        // The ioctl is the bit's re-enabling call, in every model.
        st.record.reenable(bit, false);
        Ok(())
    }

    /// The two change ioctls: arm (delivering what was armed before and is already due),
    /// then in blocking mode wait until the one armed here has fired.
    fn change_ioctl(&self, route: Option<SocketAddr>) -> Result<()> {
        let mut armed = false;
        self.op(|st| {
            if !armed {
                armed = true;
                let mode = if st.nonblocking {
                    Mode::Record
                } else {
                    Mode::Blocking
                };
                if let Err(e) = st.ensure_watch(&self.h.core) {
                    return Step::Done(Err(e));
                }
                let w = st.changes.as_mut().expect("just ensured");
                let (fired, bit) = match route {
                    None => (w.arm_address(mode), Fd::ADDRESS_LIST_CHANGE),
                    Some(dest) => (w.arm_route(mode, dest), Fd::ROUTING_INTERFACE_CHANGE),
                };
                st.deliver(fired);
                // The ioctl is the bit's re-enabling call.
                st.record.reenable(bit, false);
                return Step::Block(Dir::Read);
            }
            let (address, routing) = st.changes.as_ref().map_or((false, false), |w| w.armed());
            if (route.is_none() && address) || (route.is_some() && routing) {
                Step::Block(Dir::Read)
            } else {
                Step::Done(Ok(()))
            }
        })
    }
}

impl State {
    /// Opens and registers the change source on first use.
    fn ensure_watch(&mut self, core: &Arc<Core>) -> Result<()> {
        if self.changes.is_some() {
            return Ok(());
        }
        let mut w = Watch::open(core.v6).map_err(|e| map(&e))?;
        let r = reactor().map_err(|e| map(&e))?;
        let src: Arc<dyn Source> = Arc::new(ChangeSource {
            core: Arc::downgrade(core),
        });
        w.token = r
            .register_with(src, |p, t| w.source.register(p, t))
            .map_err(|e| map(&e))?;
        self.changes = Some(Box::new(w));
        Ok(())
    }

    /// Delivers fired change notifications: recorded, to the waiter (blocking mode), or
    /// as the completion of the overlapped operation (0 bytes; the routing one with its
    /// error code when not 0).
    fn deliver(&mut self, fired: Fired) {
        let mut wake = false;
        for m in fired.address {
            match m {
                Mode::Record => self.record.arrive(Fd::ADDRESS_LIST_CHANGE, 0),
                Mode::Blocking => wake = true,
                Mode::Overlapped(op) => {
                    op.complete(OpResult::ok(0));
                }
            }
        }
        for (m, code) in fired.route {
            match m {
                Mode::Record => self.record.arrive(Fd::ROUTING_INTERFACE_CHANGE, code),
                Mode::Blocking => wake = true,
                Mode::Overlapped(op) => {
                    op.complete(if code == 0 {
                        OpResult::ok(0)
                    } else {
                        OpResult::failed(code)
                    });
                }
            }
        }
        if wake {
            self.poke_waiters();
        }
    }
}

/// The change source of one socket, as the reactor sees it.
struct ChangeSource {
    core: std::sync::Weak<Core>,
}

impl Source for ChangeSource {
    fn on_ready(&self, _r: Readiness, _poll: reactor::PollSeq) {
        let Some(core) = self.core.upgrade() else {
            return;
        };
        let mut st = core.state.lock();
        if st.os.is_closed() {
            return;
        }
        if let Some(w) = st.changes.as_mut() {
            let fired = w.on_ready();
            st.deliver(fired);
        }
    }
}
