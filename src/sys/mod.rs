//! The backend boundary: everything that touches the operating system.
//!
//! # The seam
//!
//! The rest of the crate sees four types and two constants; a backend provides them, and
//! nothing else of it is visible:
//!
//! - [`Poller`]: `new`, `poll(timeout, f)` (calls `f(token, Readiness)` per ready socket and
//!   says whether it may have left readiness behind), `wake`.
//! - [`OsSocket`]: one non-blocking socket and its calls (`bind`, `listen`, `connect`,
//!   `accept`, `recv`, `recv_from`, `send`, `send_to`, `shutdown_write`, options through
//!   `sock`, `renew`), its (de)registration with the poller (`register`, `reregister`,
//!   `rearm`), and the facts the socket layer asks about it: levels (`readable_now`,
//!   `writable_now`, `closed_now`), counts (`bytes_available`, `peek_count`, Linux's
//!   `bytes_received`; and, where a readiness is no news of an arrival,
//!   `collect_connections`, `collect_datagrams`), urgent data (`urgent_pending`,
//!   `normal_readable`, `at_mark`) and errors (`take_error`, `close_error`).
//! - [`Readiness`] and [`RecvFlags`], plain data defined here.
//! - Windows only, `UrgentWatch`: reports urgent data arriving alone, which mio's AFD
//!   polling does not (started and re-armed by the socket layer while `FD_OOB` is
//!   selected).
//! - [`NEEDS_REARM`]: whether the poller reports a readiness once and then stays silent until
//!   an I/O call would block (mio's documented contract, which its Windows backend keeps
//!   literally), so that the socket layer must call `OsSocket::rearm` to see the next arrival.
//! - [`RENEW_AFTER_FAILED_CONNECT`]: whether a stream socket whose connect failed must be
//!   replaced (`OsSocket::renew`, then registered again) before it can connect again (BSD).
//!
//! Backends report facts; the Winsock rules (what a fact records, when a bit is re-enabled)
//! live above this boundary, in `socket/`, and are written once.
//!
//! # The backends
//!
//! Today there is one backend, the real OS through mio and socket2 (`net.rs`), which is the
//! same on every OS except for a few calls neither crate offers, kept as in socket2 in one
//! file per OS family:
//!
//! - `unix.rs`: Linux and macOS (epoll, kqueue; `ioctl`, `poll`, Linux's `TCP_INFO`).
//! - `windows.rs`: Windows (IOCP/AFD; `ioctlsocket`, `WSAPoll`, through `windows-sys`).
//!
//! A second backend, a deterministic simulated network for users' unit tests (`sim/`),
//! provides the same socket: [`OsSocket`] is a choice of the two (`sim/dispatch.rs`), one
//! `match` per call. Simulated readiness reaches the records through the reactor's slab
//! as OS readiness does, and a wait on a simulated network's events drives that network
//! in virtual time instead of the OS poller (`event.rs`).
//!
//! Address and route changes (`FD_ADDRESS_LIST_CHANGE`, `FD_ROUTING_INTERFACE_CHANGE`)
//! come from `netlink.rs` (Linux), `route_socket.rs` (macOS/BSD) and `ip_helper.rs`
//! (Windows: AFD's own `SIO_ADDRESS_LIST_CHANGE` on helper sockets, IP Helper's route and
//! interface notifications) as [`Change`] facts, and the interface look-ups from
//! `interfaces.rs` (Unix) and `ip_helper.rs` (Windows).
//!
//! Every OS socket here is non-blocking at the OS level; Winsock's blocking mode is emulated
//! above this boundary, by waiting on events.

mod net;
pub(crate) mod sim;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

#[cfg(unix)]
use unix as imp;
#[cfg(windows)]
use windows as imp;

pub(crate) use imp::{NEEDS_REARM, RENEW_AFTER_FAILED_CONNECT};
pub(crate) use net::Poller;
pub(crate) use sim::dispatch::{Opts, OsSocket};
#[cfg(windows)]
pub(crate) use windows::UrgentWatch;

/// What one readiness notification said about one socket (section D's mio table).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Readiness {
    /// `EPOLLIN` / `EVFILT_READ` / AFD receive, accept or disconnect.
    pub readable: bool,
    /// `EPOLLOUT` / `EVFILT_WRITE` / AFD send.
    pub writable: bool,
    /// `EPOLLERR`, kqueue `EV_EOF` with an error, AFD connect failure.
    pub error: bool,
    /// The peer's FIN (or a reset): `EPOLLRDHUP`/`EPOLLHUP`, kqueue `EV_EOF` on read, AFD
    /// disconnect or abort.
    pub read_closed: bool,
    /// Urgent data (`EPOLLPRI`; never reported by kqueue, nor by mio on Windows).
    pub priority: bool,
}

/// Receive flags the emulation uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RecvFlags {
    /// `MSG_PEEK`.
    pub peek: bool,
    /// `MSG_OOB`.
    pub oob: bool,
}

#[cfg(unix)]
mod interfaces;
#[cfg(windows)]
mod ip_helper;
#[cfg(any(target_os = "linux", target_os = "android"))]
mod netlink;
#[cfg(any(target_os = "macos", target_os = "ios"))]
mod route_socket;

#[cfg(unix)]
pub(crate) use interfaces::{interface_of, interface_up, local_addresses, route_to};
#[cfg(windows)]
pub(crate) use ip_helper::{
    Change, ChangeSocket, interface_of, interface_up, local_addresses, route_to,
};
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) use netlink::{Change, ChangeSocket};
#[cfg(any(target_os = "macos", target_os = "ios"))]
pub(crate) use route_socket::{Change, ChangeSocket};
#[cfg(all(
    unix,
    not(any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "ios"
    ))
))]
pub(crate) use route_socket_missing::{Change, ChangeSocket};

/// Other Unix systems: no change source (the change ioctls fail `WSAEOPNOTSUPP`).
#[cfg(all(
    unix,
    not(any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "ios"
    ))
))]
mod route_socket_missing {
    use std::io;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum Change {
        Address { v6: bool },
        Route { v6: bool },
        Link,
    }

    pub(crate) struct ChangeSocket;

    impl ChangeSocket {
        pub(crate) fn open() -> io::Result<ChangeSocket> {
            Err(io::Error::from(io::ErrorKind::Unsupported))
        }
        pub(crate) fn drain(&self, _f: &mut dyn FnMut(Change)) {}
        pub(crate) fn register(&self, _p: &super::Poller, _token: usize) -> io::Result<()> {
            Err(io::Error::from(io::ErrorKind::Unsupported))
        }
        pub(crate) fn deregister(&self, _p: &super::Poller) {}
    }
}
