//! The backend boundary: everything that touches the operating system.
//!
//! The rest of the crate sees two types, [`Poller`] (readiness from the OS poller) and
//! [`OsSocket`] (one non-blocking OS socket and its calls), plus [`Readiness`]. Today they
//! are the real OS through mio and socket2 (`os.rs`: epoll on Linux, kqueue on macOS/BSD,
//! IOCP/AFD on Windows). A deterministic simulated network for users' unit tests can later
//! provide the same three types without the rest of the crate changing.
//!
//! Every OS socket here is non-blocking at the OS level; Winsock's blocking mode is emulated
//! above this boundary, by waiting on events.

mod os;

pub(crate) use os::{OsSocket, Poller, Readiness, RecvFlags};
