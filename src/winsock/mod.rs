//! Winsock-named facade, for porting Winsock code to Rust line by line.
//!
//! `SOCKET` and `WSAEVENT` are handles, as on Windows; functions keep the Winsock names,
//! arguments and return conventions (`SOCKET_ERROR`, `INVALID_SOCKET`, `WSA_WAIT_*`,
//! `FALSE`) and report the error through the per-thread [`WSAGetLastError`]. Buffers are
//! slices and addresses are [`SocketAddr`]s; the C ABI (`capi`) converts C pointers and
//! Windows `SOCKADDR` layouts and then calls these functions.
//!
//! Handles live in one table, as Windows keeps sockets and events in one handle table. A
//! handle value carries a generation, so a closed value is refused (`WSAENOTSOCK`,
//! `WSA_INVALID_HANDLE`) instead of reaching the newer object that reuses its slot; values
//! are multiples of 4 below 2³¹, so code that keeps a `SOCKET` in an `int` still works.
//!
//! ```
//! #![allow(non_snake_case)]
//! use wsaevents::winsock::*;
//!
//! let mut data = WSADATA::default();
//! assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut data), 0);
//! let listen = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
//! assert_ne!(listen, INVALID_SOCKET);
//! assert_eq!(bind(listen, &"127.0.0.1:0".parse().unwrap()), 0);
//! let ev = WSACreateEvent();
//! assert_eq!(WSAEventSelect(listen, ev, FD_ACCEPT | FD_CLOSE), 0);
//! assert_eq!(listen_(listen, 10), 0);
//!
//! let client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
//! let mut addr = "0.0.0.0:0".parse().unwrap();
//! assert_eq!(getsockname(listen, &mut addr), 0);
//! assert_eq!(connect(client, &addr), 0);
//!
//! let index = WSAWaitForMultipleEvents(&[ev], FALSE, 5000, FALSE);
//! assert_eq!(index, WSA_WAIT_EVENT_0);
//! let mut ne = WSANETWORKEVENTS::default();
//! assert_eq!(WSAEnumNetworkEvents(listen, ev, &mut ne), 0);
//! assert_eq!(ne.lNetworkEvents, FD_ACCEPT);
//! assert_eq!(ne.iErrorCode[FD_ACCEPT_BIT], 0);
//! closesocket(client);
//! closesocket(listen);
//! WSACloseEvent(ev);
//! assert_eq!(WSACleanup(), 0);
//! ```
#![allow(non_snake_case, non_camel_case_types)]

#[cfg(doc)]
use std::net::SocketAddr;

mod events;
mod handles;
mod iocp;
mod last_error;
mod mswsock;
mod overlapped;
mod select;
mod sockets;
mod startup;
mod types;
mod wsaext;

pub use crate::error::*;
pub use crate::types::{
    FD_ACCEPT_BIT, FD_ADDRESS_LIST_CHANGE_BIT, FD_CLOSE_BIT, FD_CONNECT_BIT, FD_GROUP_QOS_BIT,
    FD_MAX_EVENTS, FD_OOB_BIT, FD_QOS_BIT, FD_READ_BIT, FD_ROUTING_INTERFACE_CHANGE_BIT,
    FD_WRITE_BIT,
};

pub use events::*;
pub use handles::*;
pub use iocp::*;
pub use last_error::*;
pub use mswsock::*;
pub use overlapped::*;
pub use select::*;
pub use sockets::*;
pub use startup::*;
pub use types::*;
pub use wsaext::*;

#[cfg(test)]
mod tests;
