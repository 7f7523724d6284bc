//! # wsaevents
//!
//! The Winsock event model — `WSACreateEvent`, `WSAEventSelect`, `WSAEnumNetworkEvents`,
//! `WSAWaitForMultipleEvents` and their event objects — on Linux and macOS (and on Windows,
//! for Rust programs; see `docs/porting.md` for what was run where), on top of mio, with
//! **Windows' behaviour**, event for event and error code for error code: not what the
//! Microsoft documentation says where Windows differs from it, and not what Wine does.
//!
//! A few of the rules the documentation gets wrong and this crate gets right:
//! `WSAEventSelect` does not clear the record; a RST gives `FD_CLOSE` with
//! `WSAECONNABORTED`; `FD_CLOSE` comes at the FIN even with unread data; a successful send
//! does not clear `FD_WRITE`. `docs/semantics.md` lists every rule with its test.
//!
//! ## Layout
//!
//! | module | what it owns |
//! |---|---|
//! | [`event`] | event objects (manual- and auto-reset) and the waits ([`wait_any`], [`wait_all`]) |
//! | [`record`] | the per-socket network-event state machine, pure |
//! | [`error`] | Winsock error codes and [`Error`] |
//! | [`types`] | [`NetworkEvents`] (`FD_*`) and [`NetworkEventRecord`] (`WSANETWORKEVENTS`) |
//! | [`socket`] | [`Socket`]: TCP/UDP sockets whose events are recorded from the OS poller |
//! | [`sim`] | a deterministic simulated network, in virtual time, for unit tests |
//! | [`iocp`] | I/O completion ports ([`iocp::CompletionPort`]) and a socket's association with one |
//! | [`winsock`] | Winsock-named facade (`SOCKET`, `WSAEVENT`, `WSAEventSelect`, …) for line-by-line ports |
//! | `capi` | the C ABI behind `include/winsock2.h` (not on Windows, where C uses ws2_32) |
//!
//! ## Example: events and waits
//!
//! ```
//! use std::time::Duration;
//! use wsaevents::{Event, WaitOutcome, wait_any};
//!
//! let ev = Event::new_manual(false); // WSACreateEvent()
//! let other = ev.clone();
//! std::thread::spawn(move || other.set());
//! assert_eq!(wait_any(&[&ev], Some(Duration::from_secs(5))).unwrap(), WaitOutcome::Signaled(0));
//! ```
//!
//! ## Example: the event-select loop
//!
//! ```
//! use std::time::Duration;
//! use wsaevents::{Event, NetworkEvents as Fd, Socket, WaitOutcome, wait_any};
//!
//! let listener = Socket::tcp_v4()?;                          // socket()
//! listener.bind("127.0.0.1:0".parse().unwrap())?;
//! listener.listen(16)?;
//! let ev = Event::new_manual(false);                         // WSACreateEvent()
//! listener.event_select(&ev, Fd::ACCEPT | Fd::CLOSE)?;       // WSAEventSelect()
//!
//! let client = Socket::tcp_v4()?;
//! client.connect(listener.local_addr()?)?;                   // blocking, as on Windows
//!
//! let waited = wait_any(&[&ev], Some(Duration::from_secs(5)))?; // WSAWaitForMultipleEvents()
//! assert_eq!(waited, WaitOutcome::Signaled(0));
//! let rec = listener.enum_network_events(Some(&ev))?;        // WSAEnumNetworkEvents()
//! assert_eq!(rec.events(), Fd::ACCEPT);
//! assert_eq!(rec.error(Fd::ACCEPT), None);
//! let (_conn, _peer) = listener.accept()?;
//! # Ok::<(), wsaevents::Error>(())
//! ```
//!
//! ## Threads
//!
//! There is no background thread. A thread that waits on an event some socket feeds reads
//! the OS poller (epoll, kqueue, IOCP through mio) itself when no other thread does, and
//! records what it finds into the sockets' records; other waiters sleep until their own
//! event is set. Calls that observe network state (`enum_network_events`, `event_select`)
//! first read what the OS has ready. Waiting on many sockets from many threads is the
//! normal case.
//!
//! See also `docs/porting.md` (porting Winsock C, C++ or Rust code) and
//! `docs/benchmarks.md` (what the emulation costs).
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

// The C ABI exports Win32/Winsock names (`closesocket`, `Sleep`, ...): on Windows they would
// clash with the system's, and C programs there use the real ws2_32.
#[cfg(all(not(loom), not(windows)))]
pub mod capi;
pub mod error;
pub mod event;
#[cfg(not(loom))]
pub mod iocp;
#[cfg(not(loom))]
pub mod overlapped;
pub mod record;
#[cfg(not(loom))]
pub mod sim;
#[cfg(not(loom))]
pub mod socket;
pub mod types;
#[cfg(not(loom))]
pub mod winsock;

#[cfg(not(loom))]
mod change;
#[cfg(not(loom))]
mod reactor;
#[cfg(not(loom))]
mod select;
mod sync;
#[cfg(not(loom))]
mod sys;

pub use error::{Error, Result};
#[cfg(not(loom))]
pub use event::{ApcQueue, sleep_alertable, wait_all_alertable, wait_any_alertable};
pub use event::{Event, MAXIMUM_WAIT_OBJECTS, WaitOutcome, wait_all, wait_any};
#[cfg(not(loom))]
pub use overlapped::{CancelFilter, Notify, OpKind, OpResult, Overlapped};
pub use record::{ArrivalModel, Record};
#[cfg(not(loom))]
pub use socket::{AddressFamily, MsgFlags, Socket, SocketType};
pub use types::*;
