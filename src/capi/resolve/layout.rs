//! Windows' constants and layouts (ws2def.h, ws2tcpip.h, winsock2.h):
//! `ADDRINFOA`/`ADDRINFOW`, `hostent`, `servent`, `protoent`, `in_addr`.

use std::ffi::{c_char, c_int, c_void};

use super::*;

/// `AF_UNSPEC`.
pub const AF_UNSPEC: i32 = 0;
/// `SOCK_STREAM`.
pub const SOCK_STREAM: i32 = 1;
/// `SOCK_DGRAM`.
pub const SOCK_DGRAM: i32 = 2;
/// `SOCK_RAW`.
pub const SOCK_RAW: i32 = 3;
/// `IPPROTO_TCP`.
pub const IPPROTO_TCP: i32 = 6;
/// `IPPROTO_UDP`.
pub const IPPROTO_UDP: i32 = 17;

/// `AI_PASSIVE`: the addresses are for `bind` (no node: the wildcard address).
pub const AI_PASSIVE: i32 = 0x01;
/// `AI_CANONNAME`: the first result carries the canonical name.
pub const AI_CANONNAME: i32 = 0x02;
/// `AI_NUMERICHOST`: the node must be a numeric address.
pub const AI_NUMERICHOST: i32 = 0x04;
/// `AI_NUMERICSERV`: the service must be a port number.
pub const AI_NUMERICSERV: i32 = 0x08;
/// `AI_ALL`: with `AI_V4MAPPED`, IPv6 and IPv4-mapped addresses.
pub const AI_ALL: i32 = 0x0100;
/// `AI_ADDRCONFIG`: only families the host has an address of.
pub const AI_ADDRCONFIG: i32 = 0x0400;
/// `AI_V4MAPPED`: IPv4-mapped IPv6 addresses when no IPv6 address is found.
pub const AI_V4MAPPED: i32 = 0x0800;

/// `NI_NOFQDN`: only the first label of the host name.
pub const NI_NOFQDN: i32 = 0x01;
/// `NI_NUMERICHOST`: the numeric address, not a name.
pub const NI_NUMERICHOST: i32 = 0x02;
/// `NI_NAMEREQD`: fail if the address has no name.
pub const NI_NAMEREQD: i32 = 0x04;
/// `NI_NUMERICSERV`: the port number, not a service name.
pub const NI_NUMERICSERV: i32 = 0x08;
/// `NI_DGRAM`: the service is a datagram (UDP) service.
pub const NI_DGRAM: i32 = 0x10;

/// `WSAHOST_NOT_FOUND` (`EAI_NONAME`, `EAI_NODATA`).
pub const WSAHOST_NOT_FOUND: i32 = 11001;
/// `WSANO_RECOVERY` (`EAI_FAIL`).
pub const WSANO_RECOVERY: i32 = 11003;
/// `WSANO_DATA`: the name exists, without data of the requested type.
pub const WSANO_DATA: i32 = 11004;
/// `WSATYPE_NOT_FOUND` (`EAI_SERVICE`).
pub const WSATYPE_NOT_FOUND: i32 = 10109;

/// `sizeof(SOCKADDR_IN)`.
pub(super) const SIN_LEN: usize = 16;
/// `sizeof(SOCKADDR_IN6)`.
pub(super) const SIN6_LEN: usize = 28;

/// Windows' `ADDRINFOA` (`C` = `c_char`) and `ADDRINFOW` (`C` = `wchar_t`): `ai_addrlen`
/// is a `size_t` and `ai_canonname` comes before `ai_addr`.
#[repr(C)]
#[derive(Debug)]
pub struct AddrInfo<C> {
    /// `ai_flags`.
    pub ai_flags: c_int,
    /// `ai_family` (Windows values).
    pub ai_family: c_int,
    /// `ai_socktype`.
    pub ai_socktype: c_int,
    /// `ai_protocol`.
    pub ai_protocol: c_int,
    /// `ai_addrlen`.
    pub ai_addrlen: usize,
    /// `ai_canonname`.
    pub ai_canonname: *mut C,
    /// `ai_addr`: a Windows `SOCKADDR_IN` or `SOCKADDR_IN6`.
    pub ai_addr: *mut c_void,
    /// `ai_next`.
    pub ai_next: *mut AddrInfo<C>,
}

/// `ADDRINFOA`.
pub type ADDRINFOA = AddrInfo<c_char>;
/// `ADDRINFOW`.
pub type ADDRINFOW = AddrInfo<WChar>;

/// Windows' `hostent`.
#[repr(C)]
#[derive(Debug)]
pub struct HOSTENT {
    /// `h_name`.
    pub h_name: *mut c_char,
    /// `h_aliases`.
    pub h_aliases: *mut *mut c_char,
    /// `h_addrtype`: a `short`.
    pub h_addrtype: i16,
    /// `h_length`: a `short`.
    pub h_length: i16,
    /// `h_addr_list`.
    pub h_addr_list: *mut *mut c_char,
}

/// Windows' `servent` (64-bit: `s_proto` before the `short` `s_port`).
#[cfg(target_pointer_width = "64")]
#[repr(C)]
#[derive(Debug)]
pub struct SERVENT {
    /// `s_name`.
    pub s_name: *mut c_char,
    /// `s_aliases`.
    pub s_aliases: *mut *mut c_char,
    /// `s_proto`.
    pub s_proto: *mut c_char,
    /// `s_port`, network order.
    pub s_port: i16,
}

/// Windows' `servent` (32-bit: the `short` `s_port` before `s_proto`).
#[cfg(not(target_pointer_width = "64"))]
#[repr(C)]
#[derive(Debug)]
pub struct SERVENT {
    /// `s_name`.
    pub s_name: *mut c_char,
    /// `s_aliases`.
    pub s_aliases: *mut *mut c_char,
    /// `s_port`, network order.
    pub s_port: i16,
    /// `s_proto`.
    pub s_proto: *mut c_char,
}

/// Windows' `protoent`.
#[repr(C)]
#[derive(Debug)]
pub struct PROTOENT {
    /// `p_name`.
    pub p_name: *mut c_char,
    /// `p_aliases`.
    pub p_aliases: *mut *mut c_char,
    /// `p_proto`: a `short`.
    pub p_proto: i16,
}

/// `struct in_addr` passed by value (4 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct InAddr {
    /// The address in network order.
    pub s_addr: u32,
}
