//! The backend boundary: everything that touches the operating system.
//!
//! The rest of the crate sees two types, [`Poller`] (readiness from the OS poller) and
//! [`OsSocket`] (one non-blocking OS socket and its calls), plus [`Readiness`]. Today they
//! are the real OS through mio and socket2 (`os.rs`: epoll on Linux, kqueue on macOS/BSD,
//! IOCP/AFD on Windows). A deterministic simulated network for users' unit tests can later
//! provide the same three types without the rest of the crate changing.
//!
//! Address and route changes (`FD_ADDRESS_LIST_CHANGE`, `FD_ROUTING_INTERFACE_CHANGE`)
//! come from `netlink.rs` (Linux) and `route_socket.rs` (macOS/BSD) as [`Change`] facts,
//! and the interface look-ups from `interfaces.rs`.
//!
//! Every OS socket here is non-blocking at the OS level; Winsock's blocking mode is emulated
//! above this boundary, by waiting on events.

mod os;

pub(crate) use os::{OsSocket, Poller, Readiness, RecvFlags};

#[cfg(unix)]
mod interfaces;
#[cfg(any(target_os = "linux", target_os = "android"))]
mod netlink;
#[cfg(any(target_os = "macos", target_os = "ios"))]
mod route_socket;

#[cfg(unix)]
pub(crate) use interfaces::{interface_of, interface_up, local_addresses, route_to};
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
