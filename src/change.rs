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

use std::io;
use std::net::{IpAddr, SocketAddr};

use crate::error::*;
use crate::sys::{self, Change, ChangeSocket};

/// How an armed notification is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A blocking ioctl waits for it.
    Blocking,
    /// Recorded as the `FD_*` bit (non-blocking or event-selected socket).
    Record,
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

/// What one batch of changes fired.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Fired {
    /// The address-list notification, in its mode.
    pub address: Option<Mode>,
    /// The routing-interface notification, in its mode, with its error code.
    pub route: Option<(Mode, i32)>,
}

/// A socket's change source and its armed notifications.
pub(crate) struct Watch {
    pub(crate) source: ChangeSocket,
    pub(crate) token: usize,
    v6: bool,
    address: Option<Mode>,
    route: Option<RouteArm>,
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
        })
    }

    /// Arms the address-list notification (`SIO_ADDRESS_LIST_CHANGE`). What the source
    /// had queued came before the ioctl: it fires only what was armed before (returned, for
    /// the caller to deliver), never the notification armed now.
    pub(crate) fn arm_address(&mut self, mode: Mode) -> Fired {
        let fired = self.catch_up();
        self.address = Some(mode);
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
        self.route = Some(RouteArm {
            mode,
            dest,
            before,
            iface,
        });
        fired
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
            fired.address = self.address.take();
        }
        if route {
            if let Some(arm) = &self.route {
                let now = Route::now(arm.dest);
                let up = arm.iface.as_deref().and_then(sys::interface_up);
                if let Some(code) = route_outcome(&arm.before, &now, up) {
                    fired.route = Some((arm.mode, code));
                    self.route = None;
                }
            }
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
