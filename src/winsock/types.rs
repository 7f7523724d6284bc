//! Types and constants (section B.3; Windows SDK values)

use crate::event;
#[cfg(doc)]
use crate::types::NetworkEventRecord;

use super::*;

/// `SOCKET`: a socket handle (`UINT_PTR`).
pub type SOCKET = usize;
/// `WSAEVENT` / `HANDLE`: an event handle; `WSA_INVALID_EVENT` (0) is none.
pub type WSAEVENT = usize;
/// `BOOL`.
pub type BOOL = i32;
/// `DWORD`.
pub type DWORD = u32;

/// `INVALID_SOCKET`: all bits set.
pub const INVALID_SOCKET: SOCKET = !0;
/// `SOCKET_ERROR`.
pub const SOCKET_ERROR: i32 = -1;
/// `WSA_INVALID_EVENT`.
pub const WSA_INVALID_EVENT: WSAEVENT = 0;
/// `TRUE`.
pub const TRUE: BOOL = 1;
/// `FALSE`.
pub const FALSE: BOOL = 0;

/// `WSA_MAXIMUM_WAIT_EVENTS` / `MAXIMUM_WAIT_OBJECTS`.
pub const WSA_MAXIMUM_WAIT_EVENTS: usize = event::MAXIMUM_WAIT_OBJECTS;
/// `WSA_INFINITE` / `INFINITE`.
pub const WSA_INFINITE: DWORD = 0xFFFF_FFFF;
/// `WSA_WAIT_EVENT_0` / `WAIT_OBJECT_0`.
pub const WSA_WAIT_EVENT_0: DWORD = 0;
/// `WSA_WAIT_IO_COMPLETION`: an alertable wait ran queued completion routines or APCs.
pub const WSA_WAIT_IO_COMPLETION: DWORD = 0xC0;
/// `WSA_WAIT_TIMEOUT` / `WAIT_TIMEOUT`.
pub const WSA_WAIT_TIMEOUT: DWORD = 0x102;
/// `WSA_WAIT_FAILED` / `WAIT_FAILED`.
pub const WSA_WAIT_FAILED: DWORD = 0xFFFF_FFFF;

/// `FD_READ`.
pub const FD_READ: i32 = 0x01;
/// `FD_WRITE`.
pub const FD_WRITE: i32 = 0x02;
/// `FD_OOB`.
pub const FD_OOB: i32 = 0x04;
/// `FD_ACCEPT`.
pub const FD_ACCEPT: i32 = 0x08;
/// `FD_CONNECT`.
pub const FD_CONNECT: i32 = 0x10;
/// `FD_CLOSE`.
pub const FD_CLOSE: i32 = 0x20;
/// `FD_QOS`.
pub const FD_QOS: i32 = 0x40;
/// `FD_GROUP_QOS`.
pub const FD_GROUP_QOS: i32 = 0x80;
/// `FD_ROUTING_INTERFACE_CHANGE`.
pub const FD_ROUTING_INTERFACE_CHANGE: i32 = 0x100;
/// `FD_ADDRESS_LIST_CHANGE`.
pub const FD_ADDRESS_LIST_CHANGE: i32 = 0x200;
/// `FD_ALL_EVENTS`.
pub const FD_ALL_EVENTS: i32 = 0x3FF;

/// `AF_UNSPEC`.
pub const AF_UNSPEC: i32 = 0;
/// `AF_INET`.
pub const AF_INET: i32 = 2;
/// `AF_INET6` (Windows' value).
pub const AF_INET6: i32 = 23;
/// `SOCK_STREAM`.
pub const SOCK_STREAM: i32 = 1;
/// `SOCK_DGRAM`.
pub const SOCK_DGRAM: i32 = 2;
/// `IPPROTO_TCP`.
pub const IPPROTO_TCP: i32 = 6;
/// `IPPROTO_UDP`.
pub const IPPROTO_UDP: i32 = 17;
/// `SD_RECEIVE`.
pub const SD_RECEIVE: i32 = 0;
/// `SD_SEND`.
pub const SD_SEND: i32 = 1;
/// `SD_BOTH`.
pub const SD_BOTH: i32 = 2;
/// `MSG_OOB`.
pub const MSG_OOB: i32 = 1;
/// `MSG_PEEK`.
pub const MSG_PEEK: i32 = 2;
/// `FIONBIO`.
pub const FIONBIO: u32 = 0x8004_667E;
/// `FIONREAD`.
pub const FIONREAD: u32 = 0x4004_667F;
/// `SIOCATMARK`.
pub const SIOCATMARK: u32 = 0x4004_7307;
/// `SOL_SOCKET`.
pub const SOL_SOCKET: i32 = 0xFFFF;
/// `SO_REUSEADDR`.
pub const SO_REUSEADDR: i32 = 0x0004;
/// `SO_KEEPALIVE`.
pub const SO_KEEPALIVE: i32 = 0x0008;
/// `SO_LINGER`.
pub const SO_LINGER: i32 = 0x0080;
/// `SO_OOBINLINE`.
pub const SO_OOBINLINE: i32 = 0x0100;
/// `SO_SNDBUF`.
pub const SO_SNDBUF: i32 = 0x1001;
/// `SO_RCVBUF`.
pub const SO_RCVBUF: i32 = 0x1002;
/// `SO_ERROR`.
pub const SO_ERROR: i32 = 0x1007;
/// `SO_TYPE`.
pub const SO_TYPE: i32 = 0x1008;
/// `TCP_NODELAY`.
pub const TCP_NODELAY: i32 = 0x0001;
/// `SO_DEBUG`.
pub const SO_DEBUG: i32 = 0x0001;
/// `SO_UPDATE_ACCEPT_CONTEXT` (mswsock.h): the value is the listening `SOCKET`.
pub const SO_UPDATE_ACCEPT_CONTEXT: i32 = 0x700B;
/// `SO_UPDATE_CONNECT_CONTEXT` (mswsock.h): no value.
pub const SO_UPDATE_CONNECT_CONTEXT: i32 = 0x7010;
/// `SO_ACCEPTCONN`: whether the socket listens (read-only).
pub const SO_ACCEPTCONN: i32 = 0x0002;
/// `SO_DONTROUTE`.
pub const SO_DONTROUTE: i32 = 0x0010;
/// `SO_BROADCAST`.
pub const SO_BROADCAST: i32 = 0x0020;
/// `SO_DONTLINGER`: `(int)(~SO_LINGER)`.
pub const SO_DONTLINGER: i32 = !SO_LINGER;
/// `SO_EXCLUSIVEADDRUSE`: `(int)(~SO_REUSEADDR)`.
pub const SO_EXCLUSIVEADDRUSE: i32 = !SO_REUSEADDR;
/// `SO_SNDTIMEO`: a `DWORD` of milliseconds, 0 for none.
pub const SO_SNDTIMEO: i32 = 0x1005;
/// `SO_RCVTIMEO`: a `DWORD` of milliseconds, 0 for none.
pub const SO_RCVTIMEO: i32 = 0x1006;
/// `IPPROTO_IP`.
pub const IPPROTO_IP: i32 = 0;
/// `IPPROTO_IPV6`.
pub const IPPROTO_IPV6: i32 = 41;
/// `IP_TTL` (`IPPROTO_IP`).
pub const IP_TTL: i32 = 4;
/// `IPV6_V6ONLY` (`IPPROTO_IPV6`); on by default for `AF_INET6` sockets, as on Windows.
pub const IPV6_V6ONLY: i32 = 27;
/// `SIO_KEEPALIVE_VALS` (`_WSAIOW(IOC_VENDOR, 4)`, mstcpip.h): a [`tcp_keepalive`] in.
pub const SIO_KEEPALIVE_VALS: u32 = 0x9800_0004;

/// `struct tcp_keepalive` (mstcpip.h), the input of `WSAIoctl(SIO_KEEPALIVE_VALS)`: times in
/// milliseconds.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct tcp_keepalive {
    /// Non-zero turns keep-alive on.
    pub onoff: u32,
    /// Idle time before the first probe, in milliseconds.
    pub keepalivetime: u32,
    /// Time between probes, in milliseconds.
    pub keepaliveinterval: u32,
}

/// `MAKEWORD(lo, hi)`.
pub const fn MAKEWORD(lo: u8, hi: u8) -> u16 {
    (lo as u16) | ((hi as u16) << 8)
}

/// `WSADATA`, with Windows' layout (the string arrays come before the obsolete fields on
/// 32-bit Windows, after them on 64-bit), so the C ABI hands the caller's structure over
/// as it is: 408 bytes on 64-bit targets.
#[repr(C)]
#[derive(Clone)]
pub struct WSADATA {
    /// Version the caller should use.
    pub wVersion: u16,
    /// Highest version supported (2.2).
    pub wHighVersion: u16,
    /// Description string, NUL-terminated ("WinSock 2.0").
    #[cfg(target_pointer_width = "32")]
    pub szDescription: [u8; 257],
    /// Status string, NUL-terminated ("Running").
    #[cfg(target_pointer_width = "32")]
    pub szSystemStatus: [u8; 129],
    /// 32767 for a 1.x version, else 0 (obsolete).
    pub iMaxSockets: u16,
    /// 65467 for a 1.x version, else 0 (obsolete).
    pub iMaxUdpDg: u16,
    /// Obsolete (NULL).
    pub lpVendorInfo: *mut u8,
    /// Description string, NUL-terminated ("WinSock 2.0").
    #[cfg(not(target_pointer_width = "32"))]
    pub szDescription: [u8; 257],
    /// Status string, NUL-terminated ("Running").
    #[cfg(not(target_pointer_width = "32"))]
    pub szSystemStatus: [u8; 129],
}

impl Default for WSADATA {
    fn default() -> Self {
        WSADATA {
            wVersion: 0,
            wHighVersion: 0,
            iMaxSockets: 0,
            iMaxUdpDg: 0,
            lpVendorInfo: std::ptr::null_mut(),
            szDescription: [0; 257],
            szSystemStatus: [0; 129],
        }
    }
}

/// `WSANETWORKEVENTS`, with the Winsock field names (same layout as
/// [`NetworkEventRecord`], 44 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WSANETWORKEVENTS {
    /// The `FD_*` bits reported.
    pub lNetworkEvents: i32,
    /// The error code of each reported event, by `FD_*_BIT`; other entries are untouched.
    pub iErrorCode: [i32; FD_MAX_EVENTS],
}
