//! Address-list and routing-interface change notifications: the rules of
//! `SIO_ADDRESS_LIST_CHANGE` and `SIO_ROUTING_INTERFACE_CHANGE` (the seed page's
//! `FD_ADDRESS_LIST_CHANGE` and `FD_ROUTING_INTERFACE_CHANGE`), over the facts the OS's
//! change source reports (`sys::ChangeSocket`: netlink on Linux, the routing socket on
//! macOS/BSD, AFD's own notification and IP Helper's on Windows), which arrive through the
//! same poller as the sockets.
//!
//! * The ioctl is the bit's **re-enabling call**: it arms one notification. Changes before
//!   it do not count (whatever the source had queued is discarded when it is issued), and
//!   after the notification nothing more is reported until it is issued again.
//! * Only changes of the socket's **address family** count (Windows scopes the
//!   notifications to the socket's protocol family).
//! * Address list: any local address of the family added or removed.
//! * Routing interface, for the destination given to the ioctl: when the interface that
//!   held the local address used to reach it goes down, `WSAENETDOWN`; when the
//!   destination is no longer reachable, `WSAENETUNREACH`; when the local address used to
//!   reach it changes (or it becomes reachable), 0. Other changes are not reported.
//! * In non-blocking mode the ioctl fails `WSAEWOULDBLOCK` at once and the notification is
//!   an `FD_*` bit recorded in the socket's record; in blocking mode the ioctl returns at
//!   the notification and records nothing (`socket/changes.rs`).
//! * Overlapped (`crate::overlapped`): the ioctl is pending (`WSA_IO_PENDING`) and the
//!   operation completes at the notification (0 bytes; the routing one fails with its
//!   error code when that is not 0), recording nothing. Several may pend at once, each
//!   completes at the next notification; `CancelIo`/`CancelIoEx`/`closesocket` abort them
//!   (`WSA_OPERATION_ABORTED`).

use std::io;
use std::net::{IpAddr, SocketAddr};

use crate::error::*;
use crate::overlapped::{CancelFilter, Overlapped};
use crate::sys::{self, Change, ChangeSocket};

/// How an armed notification is delivered.
#[derive(Debug, Clone)]
pub(crate) enum Mode {
    /// A blocking ioctl waits for it.
    Blocking,
    /// Recorded as the `FD_*` bit (non-blocking or event-selected socket).
    Record,
    /// Completes the overlapped operation.
    Overlapped(Overlapped),
}

/// The route to a destination, as the OS answers now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// Reached from this local address.
    Via(IpAddr),
    /// No route.
    Unreachable,
}

impl Route {
    pub(crate) fn now(dest: SocketAddr) -> Route {
        match sys::route_to(dest) {
            Ok(ip) => Route::Via(ip),
            Err(_) => Route::Unreachable,
        }
    }
}

/// An armed routing-interface notification.
struct RouteArm {
    mode: Mode,
    dest: SocketAddr,
    before: Route,
    /// The interface the route went through when armed.
    iface: Option<String>,
}

impl RouteArm {
    /// Whether a change fired it, and with which code (the route as it is now).
    fn outcome(&self) -> Option<i32> {
        let now = Route::now(self.dest);
        let up = self.iface.as_deref().and_then(sys::interface_up);
        route_outcome(&self.before, &now, up)
    }
}

/// What one batch of changes fired.
#[derive(Debug, Default)]
pub(crate) struct Fired {
    /// The address-list notifications, in their modes.
    pub address: Vec<Mode>,
    /// The routing-interface notifications, in their modes, with their error codes.
    pub route: Vec<(Mode, i32)>,
}

/// A socket's change source and its armed notifications.
pub(crate) struct Watch {
    pub(crate) source: ChangeSocket,
    pub(crate) token: usize,
    v6: bool,
    /// The blocking or recording address-list notification.
    address: Option<Mode>,
    /// The blocking or recording routing-interface notification.
    route: Option<RouteArm>,
    /// Pending overlapped ones, in issue order.
    address_ov: Vec<Overlapped>,
    route_ov: Vec<RouteArm>,
}

impl Watch {
    /// Opens the change source for a socket of the family (`v6`); registered by the caller.
    pub(crate) fn open(v6: bool) -> io::Result<Watch> {
        Ok(Watch {
            source: ChangeSocket::open()?,
            token: usize::MAX,
            v6,
            address: None,
            route: None,
            address_ov: Vec::new(),
            route_ov: Vec::new(),
        })
    }

    /// Arms the address-list notification (`SIO_ADDRESS_LIST_CHANGE`). What the source
    /// had queued came before the ioctl: it fires only what was armed before (returned, for
    /// the caller to deliver), never the notification armed now.
    pub(crate) fn arm_address(&mut self, mode: Mode) -> Fired {
        let fired = self.catch_up();
        match mode {
            Mode::Overlapped(op) => self.address_ov.push(op),
            m => self.address = Some(m),
        }
        fired
    }

    /// Arms the routing-interface notification for `dest` (`SIO_ROUTING_INTERFACE_CHANGE`),
    /// with the route as it is now; like [`arm_address`](Self::arm_address) for what came
    /// before.
    pub(crate) fn arm_route(&mut self, mode: Mode, dest: SocketAddr) -> Fired {
        let fired = self.catch_up();
        let before = Route::now(dest);
        let iface = match &before {
            Route::Via(ip) => sys::interface_of(*ip),
            Route::Unreachable => None,
        };
        let arm = RouteArm {
            mode,
            dest,
            before,
            iface,
        };
        match arm.mode {
            Mode::Overlapped(_) => self.route_ov.push(arm),
            _ => self.route = Some(arm),
        }
        fired
    }

    /// The pending overlapped notification issued with `tag` (C: the `OVERLAPPED`).
    pub(crate) fn find(&self, tag: usize) -> Option<Overlapped> {
        self.address_ov
            .iter()
            .chain(self.route_ov.iter().filter_map(|a| match &a.mode {
                Mode::Overlapped(op) => Some(op),
                _ => None,
            }))
            .find(|op| op.tag() == tag)
            .cloned()
    }

    /// `CancelIo`/`CancelIoEx`/`closesocket`: aborts the pending overlapped notifications
    /// `filter` selects; returns how many.
    pub(crate) fn abort(&mut self, filter: CancelFilter) -> usize {
        let mut n = 0;
        self.address_ov.retain(|op| {
            let hit = filter.matches(op);
            if hit && op.abort() {
                n += 1;
            }
            !hit
        });
        self.route_ov.retain(|arm| {
            let Mode::Overlapped(op) = &arm.mode else {
                return true;
            };
            let hit = filter.matches(op);
            if hit && op.abort() {
                n += 1;
            }
            !hit
        });
        n
    }

    /// Whether a notification of this kind is still armed (not yet fired).
    pub(crate) fn armed(&self) -> (bool, bool) {
        (self.address.is_some(), self.route.is_some())
    }

    /// Takes what is queued and applies it to what is armed now (so that changes queued
    /// before a new ioctl fire only what was armed before it).
    fn catch_up(&mut self) -> Fired {
        let mut addr = false;
        let mut route = false;
        let v6 = self.v6;
        self.source.drain(&mut |c| match c {
            Change::Address { v6: f } if f == v6 => {
                addr = true;
                route = true;
            }
            Change::Route { v6: f } if f == v6 => route = true,
            Change::Link => route = true,
            _ => {}
        });
        let mut fired = Fired::default();
        if addr {
            fired.address.extend(self.address.take());
            fired
                .address
                .extend(self.address_ov.drain(..).map(Mode::Overlapped));
        }
        if route {
            if let Some(code) = self.route.as_ref().and_then(RouteArm::outcome) {
                let arm = self.route.take().expect("just looked");
                fired.route.push((arm.mode, code));
            }
            let mut keep = Vec::new();
            for arm in self.route_ov.drain(..) {
                match arm.outcome() {
                    Some(code) => fired.route.push((arm.mode, code)),
                    None => keep.push(arm),
                }
            }
            self.route_ov = keep;
        }
        fired
    }

    /// The source is readable: what fired.
    pub(crate) fn on_ready(&mut self) -> Fired {
        self.catch_up()
    }
}

/// The routing-interface rule: what a change makes of the route to the destination.
/// `up_before`: whether the interface the route went through is up now (`None`: it is
/// gone, or there was no route).
pub(crate) fn route_outcome(before: &Route, now: &Route, up_before: Option<bool>) -> Option<i32> {
    match (before, now) {
        (Route::Via(_), _) if up_before == Some(false) => Some(WSAENETDOWN),
        (Route::Via(_), Route::Unreachable) => Some(WSAENETUNREACH),
        (Route::Unreachable, Route::Unreachable) => None,
        (b, n) if b == n => None,
        _ => Some(0),
    }
}

/// `SIO_ADDRESS_LIST_QUERY`: the local addresses of the family, port 0, without the
/// loopback ones (Windows lists the addresses of its adapters; the loopback interface is
/// none of them), without the unspecified address, and only of the family (as Windows
/// lists them; Wine 8's ioctl, which the Windows backend asks, gives 0.0.0.0 for an
/// adapter without an IPv4 address, and IPv4 addresses to an IPv6 socket).
pub(crate) fn address_list(v6: bool) -> io::Result<Vec<SocketAddr>> {
    Ok(sys::local_addresses(v6)?
        .into_iter()
        .filter(|a| !a.is_loopback() && !a.is_unspecified() && a.is_ipv6() == v6)
        .map(|a| SocketAddr::new(a, 0))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn via(s: &str) -> Route {
        Route::Via(s.parse().unwrap())
    }

    /// The routing-interface rule (the seed page's table: WSAENETUNREACH, WSAENETDOWN).
    #[test]
    fn route_outcomes() {
        let a = via("10.0.0.1");
        let b = via("10.0.0.2");
        let u = Route::Unreachable;
        assert_eq!(route_outcome(&a, &a, Some(true)), None, "nothing changed");
        assert_eq!(
            route_outcome(&a, &b, Some(true)),
            Some(0),
            "another interface"
        );
        assert_eq!(
            route_outcome(&a, &b, None),
            Some(0),
            "the old address is gone"
        );
        assert_eq!(route_outcome(&a, &u, Some(true)), Some(WSAENETUNREACH));
        assert_eq!(route_outcome(&a, &u, Some(false)), Some(WSAENETDOWN));
        assert_eq!(route_outcome(&a, &a, Some(false)), Some(WSAENETDOWN));
        assert_eq!(route_outcome(&u, &u, None), None, "still unreachable");
        assert_eq!(route_outcome(&u, &a, None), Some(0), "reachable again");
    }
}
