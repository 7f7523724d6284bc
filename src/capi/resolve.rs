//! Name resolution with Windows' layouts and errors: `getaddrinfo`, `freeaddrinfo`,
//! `getnameinfo`, `GetAddrInfoW`, `FreeAddrInfoW`, `gai_strerrorA/W`, `gethostbyname`,
//! `gethostbyaddr`, `gethostname`, `GetHostNameW`, `getservbyname`, `getservbyport`,
//! `getprotobyname`, `getprotobynumber`, `inet_ntoa`, `InetPtonW`, `InetNtopW`,
//! `WSAAddressToStringA/W`, `WSAStringToAddressA/W`.
//!
//! Names POSIX also has are exported as `wsaevents_<name>` and mapped by
//! `include/wsaevents_resolve.h`, so the C library's resolver (which this module calls)
//! is never interposed.
//!
//! The lookups themselves are the C library's (`getaddrinfo`, `getnameinfo`,
//! `getservbyname`, `gethostname`: `/etc/hosts`, DNS, `/etc/services` as the system is
//! configured); this module converts the layouts and applies Windows' rules around them:
//!
//! * **Layouts.** `ADDRINFOA`/`ADDRINFOW` have Windows' field order (`ai_addrlen` a
//!   `size_t`, then `ai_canonname`, then `ai_addr`: glibc has `ai_addr` before
//!   `ai_canonname`), with Windows `SOCKADDR_IN`/`SOCKADDR_IN6` (family 2 / 23) behind
//!   `ai_addr`. `hostent` has Windows' `short` `h_addrtype`/`h_length`; `servent` has
//!   Windows' order (on 64-bit `s_proto` before the `short` `s_port`).
//! * **getaddrinfo** (Wine's `dlls/ws2_32/tests/protocol.c`, `test_getaddrinfo` /
//!   `test_GetAddrInfoW`, run on Windows; the getaddrinfo reference page; ReactOS'
//!   `ws2_32/src/addrinfo.c` for the hint checks): the error code is returned **and**
//!   stored as the last error, success sets the last error to 0; `*ppResult` is NULL on
//!   failure. No node and no service is `WSAHOST_NOT_FOUND`. Hints: non-zero
//!   `ai_addrlen`/`ai_canonname`/`ai_addr`/`ai_next` is `WSANO_RECOVERY`, `AI_CANONNAME`
//!   without a node `WSAEINVAL`, a family other than `AF_UNSPEC`/`AF_INET`/`AF_INET6`
//!   `WSAEAFNOSUPPORT`, a socket type other than 0, `SOCK_STREAM`, `SOCK_DGRAM`,
//!   `SOCK_RAW` `WSAESOCKTNOSUPPORT`; any protocol is accepted. Each address appears
//!   once, with the hints' `ai_socktype` and `ai_protocol` copied as they are (0 stays 0;
//!   glibc would return one entry per socket type) and `ai_flags` 0. An empty node is the
//!   local host, and the host's own name always resolves (to the loopback address if the
//!   system cannot resolve it); `"[v6]"` and `"[v6]:port"` are accepted as numeric IPv6; a
//!   service is a decimal port or a name from the services database (`WSATYPE_NOT_FOUND`
//!   if unknown).
//! * **getnameinfo** (Microsoft's `wspiapi.h` `WspiapiLegacyGetNameInfo`, ReactOS): both
//!   buffers absent (NULL or size 0) is `WSAHOST_NOT_FOUND`, `NI_NUMERICHOST` with
//!   `NI_NAMEREQD` `WSAEINVAL`, a result longer than its buffer `WSAEFAULT`, an unknown
//!   port's service is its number, a host without a name is numeric unless `NI_NAMEREQD`.
//! * **Protocols** come from Windows' built-in table ([`PROTOCOLS`]), not `/etc/protocols`.
//! * **Errors** are Windows': the C library's `EAI_*` become `WSAHOST_NOT_FOUND`,
//!   `WSATRY_AGAIN`, `WSANO_RECOVERY`, `WSANO_DATA`, … ([`wsa_from_eai`]).
//! * **Per-thread results.** `gethostbyname`, `gethostbyaddr`, `getservbyname`,
//!   `getservbyport`, `getprotobyname`, `getprotobynumber` and `inet_ntoa` return pointers
//!   into storage owned by the calling thread, valid until that thread's next call of the
//!   same family, as Winsock's. The `hostent` is laid out as Windows lays it out (aliases
//!   right after the structure, then the address list, then the addresses: Wine's
//!   `test_dns`).
//!
//! Every function but `inet_ntoa`, `InetPtonW`, `InetNtopW` and `gai_strerror` needs
//! `WSAStartup` (`WSANOTINITIALISED` otherwise), as on Windows.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::sync::Mutex;

use super::addr::{
    AF_INET, AF_INET6, format_ipv4, format_ipv6, inet_addr_host, loose_part, parse_ipv4_loose,
    parse_ipv4_strict, parse_ipv6,
};
use super::sockets::{read_sockaddr, sockaddr_bytes};
use super::{ensure_started, fail, ffi};
use crate::error::{
    WSA_NOT_ENOUGH_MEMORY, WSAEAFNOSUPPORT, WSAEFAULT, WSAEINVAL, WSAESOCKTNOSUPPORT, WSATRY_AGAIN,
};

/// `wchar_t`: 32-bit on Linux and macOS (the headers' `WCHAR`).
pub type WChar = libc::wchar_t;

// ---- Windows constants (ws2def.h, ws2tcpip.h, winsock2.h) ------------------------------

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
const SIN_LEN: usize = 16;
/// `sizeof(SOCKADDR_IN6)`.
const SIN6_LEN: usize = 28;

// ---- Layouts ---------------------------------------------------------------------------

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

/// One result as allocated here: the `ADDRINFO` first (so a pointer to it is a pointer to
/// the node), its address and its canonical name in the same allocation.
#[repr(C)]
struct Node<C> {
    info: AddrInfo<C>,
    addr: [u8; SIN6_LEN],
    canon: Vec<C>,
}

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

// ---- Errors ----------------------------------------------------------------------------

/// The C library's `EAI_NODATA` (glibc/musl: -5, BSDs: 7).
#[cfg(target_os = "linux")]
const LIBC_EAI_NODATA: c_int = -5;
#[cfg(not(target_os = "linux"))]
const LIBC_EAI_NODATA: c_int = 7;
/// The C library's `EAI_ADDRFAMILY` (glibc/musl: -9, BSDs: 1).
#[cfg(target_os = "linux")]
const LIBC_EAI_ADDRFAMILY: c_int = -9;
#[cfg(not(target_os = "linux"))]
const LIBC_EAI_ADDRFAMILY: c_int = 1;

/// The Winsock code for a C library `EAI_*` result.
///
/// `EAI_ADDRFAMILY` (the name has no address of the requested family) is
/// `WSAHOST_NOT_FOUND`: Windows returns that for `"[beef::cafe]"` with `AF_INET` hints
/// (Wine's Windows-run `test_getaddrinfo`).
pub fn wsa_from_eai(eai: c_int) -> i32 {
    match eai {
        0 => 0,
        libc::EAI_AGAIN => WSATRY_AGAIN,
        libc::EAI_BADFLAGS => WSAEINVAL,
        libc::EAI_FAIL => WSANO_RECOVERY,
        libc::EAI_FAMILY => WSAEAFNOSUPPORT,
        libc::EAI_MEMORY => WSA_NOT_ENOUGH_MEMORY,
        libc::EAI_NONAME | LIBC_EAI_ADDRFAMILY => WSAHOST_NOT_FOUND,
        LIBC_EAI_NODATA => WSANO_DATA,
        libc::EAI_SERVICE => WSATYPE_NOT_FOUND,
        libc::EAI_SOCKTYPE => WSAESOCKTNOSUPPORT,
        libc::EAI_OVERFLOW => WSAEFAULT,
        _ => WSANO_RECOVERY, // EAI_SYSTEM and anything new
    }
}

// ---- Safe core: getaddrinfo -------------------------------------------------------------

/// The hints of a `getaddrinfo` call (Windows values).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hints {
    /// `ai_flags`.
    pub flags: i32,
    /// `ai_family`: `AF_UNSPEC`, `AF_INET` or `AF_INET6`.
    pub family: i32,
    /// `ai_socktype`.
    pub socktype: i32,
    /// `ai_protocol`.
    pub protocol: i32,
}

/// One `getaddrinfo` result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddrEntry {
    /// `ai_family` (Windows value).
    pub family: i32,
    /// `ai_socktype`: the hints'.
    pub socktype: i32,
    /// `ai_protocol`: the hints'.
    pub protocol: i32,
    /// The address, with the service's port.
    pub addr: SocketAddr,
    /// `ai_canonname` (first entry only, with `AI_CANONNAME`).
    pub canonname: Option<String>,
}

/// Checks the hints as Windows does (see the module docs); `has_node` says whether a node
/// name was given.
pub fn check_hints(h: &Hints, has_node: bool) -> Result<(), i32> {
    if h.flags & AI_CANONNAME != 0 && !has_node {
        return Err(WSAEINVAL);
    }
    if !matches!(h.family, AF_UNSPEC | AF_INET | AF_INET6) {
        return Err(WSAEAFNOSUPPORT);
    }
    if !matches!(h.socktype, 0 | SOCK_STREAM | SOCK_DGRAM | SOCK_RAW) {
        return Err(WSAESOCKTNOSUPPORT);
    }
    Ok(())
}

/// The services database is not thread-safe (`getservbyname` returns static storage, and
/// macOS has no `_r` variants): one lookup at a time, copied out at once.
static SERVICES: Mutex<()> = Mutex::new(());

/// A services-database entry, copied out of the C library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// `s_name`.
    pub name: String,
    /// `s_aliases`.
    pub aliases: Vec<String>,
    /// The port, host order.
    pub port: u16,
    /// `s_proto`.
    pub proto: String,
}

/// Copies a C library `servent`.
///
/// # Safety
/// `se` must be NULL or a valid `servent` (held under [`SERVICES`]).
unsafe fn copy_servent(se: *const libc::servent) -> Option<Service> {
    if se.is_null() {
        return None;
    }
    // SAFETY: non-NULL and valid by the caller's contract; its strings are NUL-terminated
    // and the alias list is NULL-terminated.
    unsafe {
        let s = &*se;
        let text = |p: *const c_char| {
            if p.is_null() {
                String::new()
            } else {
                CStr::from_ptr(p).to_string_lossy().into_owned()
            }
        };
        let mut aliases = Vec::new();
        if !s.s_aliases.is_null() {
            let mut a = s.s_aliases;
            while !(*a).is_null() {
                aliases.push(text(*a));
                a = a.add(1);
            }
        }
        Some(Service {
            name: text(s.s_name),
            aliases,
            port: u16::from_be(s.s_port as u16),
            proto: text(s.s_proto),
        })
    }
}

/// `getservbyname` on the system's services database.
pub fn service_by_name(name: &str, proto: Option<&str>) -> Option<Service> {
    let name = CString::new(name).ok()?;
    let proto = match proto {
        Some(p) => Some(CString::new(p).ok()?),
        None => None,
    };
    let _guard = SERVICES.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: both strings are NUL-terminated (or NULL); the result is copied while the
    // lock keeps other callers of this module away from the static storage.
    unsafe {
        let se = libc::getservbyname(
            name.as_ptr(),
            proto.as_ref().map_or(std::ptr::null(), |p| p.as_ptr()),
        );
        copy_servent(se)
    }
}

/// `getservbyport` on the system's services database (`port` in host order).
pub fn service_by_port(port: u16, proto: Option<&str>) -> Option<Service> {
    let proto = match proto {
        Some(p) => Some(CString::new(p).ok()?),
        None => None,
    };
    let _guard = SERVICES.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: as in service_by_name.
    unsafe {
        let se = libc::getservbyport(
            // Network order, as a positive int (glibc compares ints).
            c_int::from(port.to_be()),
            proto.as_ref().map_or(std::ptr::null(), |p| p.as_ptr()),
        );
        copy_servent(se)
    }
}

/// The port of a `getaddrinfo` service: none or `""` is 0, a decimal number up to 65535
/// is itself, a name is looked up for the hints' protocol (TCP, UDP, or TCP then UDP).
fn service_port(service: Option<&str>, h: &Hints) -> Result<u16, i32> {
    let Some(s) = service.filter(|s| !s.is_empty()) else {
        return Ok(0);
    };
    if s.bytes().all(|c| c.is_ascii_digit()) {
        return s.parse::<u16>().map_err(|_| WSATYPE_NOT_FOUND);
    }
    if h.flags & AI_NUMERICSERV != 0 {
        return Err(WSAHOST_NOT_FOUND);
    }
    let protos: &[&str] = if h.socktype == SOCK_DGRAM || h.protocol == IPPROTO_UDP {
        &["udp"]
    } else if h.socktype == SOCK_STREAM || h.protocol == IPPROTO_TCP {
        &["tcp"]
    } else {
        &["tcp", "udp"]
    };
    protos
        .iter()
        .find_map(|p| service_by_name(s, Some(p)))
        .map(|se| se.port)
        .ok_or(WSATYPE_NOT_FOUND)
}

/// The system's host name.
pub fn host_name() -> Result<String, i32> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is writable for its length; gethostname NUL-terminates within it
    // when the name fits (and the last byte stays 0 otherwise).
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) };
    if rc != 0 {
        return Err(WSANO_RECOVERY);
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Ok(String::from_utf8_lossy(&buf[..end]).into_owned())
}

/// The C library's `getaddrinfo` for `node` (NULL for the wildcard/loopback address),
/// with the hints' family and the flags it shares with Windows, one entry per address:
/// the addresses (port 0; an IPv6 scope kept) and the canonical name.
fn system_lookup(node: Option<&str>, h: &Hints) -> Result<(Vec<SocketAddr>, Option<String>), i32> {
    let mut flags = libc::AI_NUMERICSERV;
    for (win, sys) in [
        (AI_PASSIVE, libc::AI_PASSIVE),
        (AI_CANONNAME, libc::AI_CANONNAME),
        (AI_NUMERICHOST, libc::AI_NUMERICHOST),
        (AI_ALL, libc::AI_ALL),
        (AI_ADDRCONFIG, libc::AI_ADDRCONFIG),
        (AI_V4MAPPED, libc::AI_V4MAPPED),
    ] {
        if h.flags & win != 0 {
            flags |= sys;
        }
    }
    let family = match h.family {
        AF_INET => libc::AF_INET,
        AF_INET6 => libc::AF_INET6,
        _ => libc::AF_UNSPEC,
    };
    let c_node = match node {
        Some(n) => Some(CString::new(n).map_err(|_| WSAHOST_NOT_FOUND)?),
        None => None,
    };
    // SAFETY: an all-zero addrinfo is a valid hints value (NULL pointers, zero lengths).
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_flags = flags;
    hints.ai_family = family;
    hints.ai_socktype = libc::SOCK_STREAM; // one entry per address
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: the strings are NUL-terminated (or NULL), hints is initialised, res is
    // written by getaddrinfo and freed below with freeaddrinfo.
    let rc = unsafe {
        libc::getaddrinfo(
            c_node.as_ref().map_or(std::ptr::null(), |n| n.as_ptr()),
            c"0".as_ptr(),
            &hints,
            &mut res,
        )
    };
    if rc != 0 {
        return Err(wsa_from_eai(rc));
    }
    let mut addrs = Vec::new();
    let mut canon = None;
    let mut p = res;
    while !p.is_null() {
        // SAFETY: p is a node of the list getaddrinfo returned (not yet freed); its
        // ai_addr holds ai_addrlen bytes of the family's sockaddr.
        unsafe {
            let ai = &*p;
            if canon.is_none() && !ai.ai_canonname.is_null() {
                canon = Some(
                    CStr::from_ptr(ai.ai_canonname)
                        .to_string_lossy()
                        .into_owned(),
                );
            }
            let ip = match ai.ai_family {
                libc::AF_INET if ai.ai_addrlen as usize >= size_of::<libc::sockaddr_in>() => {
                    let sin = &*ai.ai_addr.cast::<libc::sockaddr_in>();
                    let ip = Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
                    Some(SocketAddr::V4(SocketAddrV4::new(ip, 0)))
                }
                libc::AF_INET6 if ai.ai_addrlen as usize >= size_of::<libc::sockaddr_in6>() => {
                    let sin6 = &*ai.ai_addr.cast::<libc::sockaddr_in6>();
                    let ip = Ipv6Addr::from(sin6.sin6_addr.s6_addr);
                    Some(SocketAddr::V6(SocketAddrV6::new(
                        ip,
                        0,
                        0,
                        sin6.sin6_scope_id,
                    )))
                }
                _ => None,
            };
            if let Some(ip) = ip.filter(|ip| !addrs.contains(ip)) {
                addrs.push(ip);
            }
            p = ai.ai_next;
        }
    }
    // SAFETY: res came from a successful getaddrinfo and is freed once.
    unsafe { libc::freeaddrinfo(res) };
    if addrs.is_empty() {
        return Err(WSANO_DATA);
    }
    Ok((addrs, canon))
}

/// A bracketed numeric IPv6 node, `"[addr]"` or `"[addr]:port"` (the port is ignored, as
/// Windows does): the address text inside, or `WSAHOST_NOT_FOUND` for an unmatched
/// bracket or something else after it.
fn strip_brackets(node: &str) -> Result<&str, i32> {
    let Some(rest) = node.strip_prefix('[') else {
        return Ok(node);
    };
    let (inner, after) = rest.split_once(']').ok_or(WSAHOST_NOT_FOUND)?;
    let port_ok = after.is_empty()
        || after
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
    if !port_ok || parse_ipv6(inner.split('%').next().unwrap_or("").as_bytes()).is_none() {
        return Err(WSAHOST_NOT_FOUND);
    }
    Ok(inner)
}

/// Whether `node` is this host's name (compared without case, as DNS names are).
fn is_own_name(node: Option<&str>) -> bool {
    match (node, host_name()) {
        (Some(n), Ok(h)) => !n.is_empty() && n.eq_ignore_ascii_case(&h),
        _ => false,
    }
}

/// `getaddrinfo` with Windows' rules (see the module docs), on safe types.
pub fn resolve(
    node: Option<&str>,
    service: Option<&str>,
    hints: &Hints,
) -> Result<Vec<AddrEntry>, i32> {
    if node.is_none() && service.is_none() {
        return Err(WSAHOST_NOT_FOUND);
    }
    check_hints(hints, node.is_some())?;
    let port = service_port(service, hints)?;
    // "" and "..localmachine" are the local host (the getaddrinfo reference page): here
    // the addresses of its name, or the loopback addresses if the name does not resolve
    // (Windows always resolves its own name; so does this, for the host name too).
    let local_host = matches!(node, Some("" | "..localmachine")) || is_own_name(node);
    let local;
    let lookup = match node {
        _ if local_host => {
            local = host_name()?;
            Some(local.as_str())
        }
        Some(n) => Some(strip_brackets(n)?),
        None => None,
    };
    let (addrs, canon) = match system_lookup(lookup, hints) {
        Err(_) if local_host => system_lookup(Some("localhost"), hints)?,
        r => r?,
    };
    let mut canon = if hints.flags & AI_CANONNAME != 0 {
        canon.or_else(|| lookup.map(str::to_string))
    } else {
        None
    };
    Ok(addrs
        .into_iter()
        .map(|mut addr| {
            addr.set_port(port);
            let family = if addr.is_ipv4() { AF_INET } else { AF_INET6 };
            AddrEntry {
                family,
                socktype: hints.socktype,
                protocol: hints.protocol,
                addr,
                canonname: canon.take(),
            }
        })
        .collect())
}

// ---- Safe core: getnameinfo -------------------------------------------------------------

/// Windows' numeric text for an address: `inet_ntop`'s, with `%scope` for a scoped IPv6
/// address.
fn numeric_host(addr: &SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => format_ipv4(a.ip().octets()),
        SocketAddr::V6(a) if a.scope_id() != 0 => {
            format!("{}%{}", format_ipv6(&a.ip().octets()), a.scope_id())
        }
        SocketAddr::V6(a) => format_ipv6(&a.ip().octets()),
    }
}

/// The host name of an address from the system resolver (`NI_NAMEREQD`), or its error.
fn reverse_lookup(addr: &SocketAddr) -> Result<String, i32> {
    let sa = socket2::SockAddr::from(*addr);
    let mut host = [0 as c_char; 1025];
    // SAFETY: sa is a valid sockaddr of sa.len() bytes; host is writable for its length.
    let rc = unsafe {
        libc::getnameinfo(
            sa.as_ptr().cast(),
            sa.len(),
            host.as_mut_ptr(),
            host.len() as _,
            std::ptr::null_mut(),
            0,
            libc::NI_NAMEREQD,
        )
    };
    if rc != 0 {
        return Err(wsa_from_eai(rc));
    }
    // SAFETY: getnameinfo NUL-terminated the name within the buffer.
    Ok(unsafe { CStr::from_ptr(host.as_ptr()) }
        .to_string_lossy()
        .into_owned())
}

/// `getnameinfo` with Windows' rules, on safe types: (host, service), each computed only
/// if asked for.
pub fn name_info(
    addr: &SocketAddr,
    flags: i32,
    want_host: bool,
    want_serv: bool,
) -> Result<(Option<String>, Option<String>), i32> {
    if !want_host && !want_serv {
        return Err(WSAHOST_NOT_FOUND);
    }
    if flags & NI_NUMERICHOST != 0 && flags & NI_NAMEREQD != 0 {
        return Err(WSAEINVAL);
    }
    let serv = want_serv.then(|| {
        let port = addr.port();
        let name = (flags & NI_NUMERICSERV == 0)
            .then(|| service_by_port(port, (flags & NI_DGRAM != 0).then_some("udp")))
            .flatten();
        name.map_or_else(|| port.to_string(), |s| s.name)
    });
    let host = if want_host {
        Some(if flags & NI_NUMERICHOST != 0 {
            numeric_host(addr)
        } else {
            match reverse_lookup(addr) {
                Ok(mut name) => {
                    if flags & NI_NOFQDN != 0 {
                        if let Some(dot) = name.find('.') {
                            name.truncate(dot);
                        }
                    }
                    name
                }
                Err(e) if flags & NI_NAMEREQD != 0 => return Err(e),
                Err(_) => numeric_host(addr),
            }
        })
    } else {
        None
    };
    Ok((host, serv))
}

// ---- Safe core: hostent -------------------------------------------------------------------

/// A host as `gethostbyname`/`gethostbyaddr` describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// `h_name`.
    pub name: String,
    /// `h_aliases`.
    pub aliases: Vec<String>,
    /// `h_addrtype` (Windows value).
    pub addrtype: i32,
    /// `h_addr_list`, each `h_length` bytes.
    pub addrs: Vec<Vec<u8>>,
}

/// `gethostbyname`: IPv4 addresses of a name (NULL or `""`: the local host). A numeric
/// address (the permissive `inet_addr` syntax) is itself, named as written.
pub fn host_by_name(name: Option<&str>) -> Result<Host, i32> {
    let local;
    let name = match name {
        None | Some("") => {
            local = host_name()?;
            local.as_str()
        }
        Some(n) => n,
    };
    if let Some(a) = inet_addr_host(name.as_bytes()) {
        return Ok(Host {
            name: name.to_string(),
            aliases: Vec::new(),
            addrtype: AF_INET,
            addrs: vec![a.to_be_bytes().to_vec()],
        });
    }
    let hints = Hints {
        flags: AI_CANONNAME,
        family: AF_INET,
        ..Hints::default()
    };
    let (addrs, canon) = match system_lookup(Some(name), &hints) {
        // The host's own name always resolves (as on Windows): to the loopback address
        // if the system cannot resolve it.
        Err(_) if is_own_name(Some(name)) => system_lookup(Some("localhost"), &hints)?,
        r => r?,
    };
    Ok(Host {
        name: canon.unwrap_or_else(|| name.to_string()),
        aliases: Vec::new(),
        addrtype: AF_INET,
        addrs: addrs
            .into_iter()
            .filter_map(|a| match a {
                SocketAddr::V4(a) => Some(a.ip().octets().to_vec()),
                SocketAddr::V6(_) => None,
            })
            .collect(),
    })
}

/// `gethostbyaddr`: the name of an IPv4 (4 bytes) or IPv6 (16 bytes) address.
pub fn host_by_addr(addr: &[u8], family: i32) -> Result<Host, i32> {
    let ip = match (family, addr.len()) {
        (AF_INET, 4) => IpAddr::V4(Ipv4Addr::new(addr[0], addr[1], addr[2], addr[3])),
        (AF_INET6, 16) => {
            let mut b = [0u8; 16];
            b.copy_from_slice(addr);
            IpAddr::V6(Ipv6Addr::from(b))
        }
        (AF_INET | AF_INET6, _) => return Err(WSAEFAULT),
        _ => return Err(WSAEAFNOSUPPORT),
    };
    let name = reverse_lookup(&SocketAddr::new(ip, 0))?;
    Ok(Host {
        name,
        aliases: Vec::new(),
        addrtype: family,
        addrs: vec![addr.to_vec()],
    })
}

// ---- Windows' address strings (WSAAddressToString / WSAStringToAddress) ---------------------

/// `WSAAddressToString`'s text: `a.b.c.d[:port]`, `addr[%scope]`, `[addr[%scope]]:port`
/// (the port only when non-zero: Wine's Windows-run `test_WSAAddressToString`).
pub fn address_to_string(addr: &SocketAddr) -> String {
    let host = numeric_host(addr);
    match (addr, addr.port()) {
        (_, 0) => host,
        (SocketAddr::V4(_), p) => format!("{host}:{p}"),
        (SocketAddr::V6(_), p) => format!("[{host}]:{p}"),
    }
}

/// A `WSAStringToAddress` port after `:`: a permissive number (decimal, `0` octal, `0x`
/// hex), 1-65535, ending the string.
fn parse_port(s: &[u8]) -> Option<u16> {
    let (v, end) = loose_part(s, 0)?;
    (end == s.len() && (1..=0xffff).contains(&v)).then_some(v as u16)
}

/// `WSAStringToAddress` for `AF_INET`: the permissive IPv4 syntax of `inet_addr` (1 to 4
/// parts, octal and hex), then optionally `:port`. On failure, the address if one parsed
/// before the error (Windows leaves it in the output), else `None`.
pub fn string_to_ipv4(s: &[u8]) -> Result<SocketAddrV4, Option<Ipv4Addr>> {
    let (a, end) = parse_ipv4_loose(s).ok_or(None)?;
    let ip = Ipv4Addr::from(a);
    if end == s.len() {
        return Ok(SocketAddrV4::new(ip, 0));
    }
    if s[end] == b':' {
        if let Some(p) = parse_port(&s[end + 1..]) {
            return Ok(SocketAddrV4::new(ip, p));
        }
    }
    Err(Some(ip))
}

/// `WSAStringToAddress` for `AF_INET6`: `addr[%scope]` or `[addr[%scope]][:port]`.
pub fn string_to_ipv6(s: &[u8]) -> Option<SocketAddrV6> {
    let (inner, port) = match s.strip_prefix(b"[") {
        Some(rest) => {
            let close = rest.iter().position(|&c| c == b']')?;
            let after = &rest[close + 1..];
            let port = match after {
                [] => 0,
                [b':', p @ ..] => parse_port(p)?,
                _ => return None,
            };
            (&rest[..close], port)
        }
        None => (s, 0),
    };
    let (text, scope) = match inner.iter().position(|&c| c == b'%') {
        Some(i) => {
            let digits = &inner[i + 1..];
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            (&inner[..i], std::str::from_utf8(digits).ok()?.parse().ok()?)
        }
        None => (inner, 0),
    };
    let a = parse_ipv6(text)?;
    Some(SocketAddrV6::new(Ipv6Addr::from(a), port, 0, scope))
}

// ---- C helpers -----------------------------------------------------------------------------

/// A NUL-terminated C string as `&str` (`None` for NULL; invalid UTF-8 is replaced).
///
/// # Safety
/// `p` must be NULL or NUL-terminated, alive for the returned lifetime.
unsafe fn c_str<'a>(p: *const c_char) -> Option<std::borrow::Cow<'a, str>> {
    // SAFETY: by the caller's contract.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy())
}

/// A NUL-terminated wide string as a `String` (`None` for NULL; a unit that is not a
/// Unicode scalar becomes U+FFFD).
///
/// # Safety
/// `p` must be NULL or NUL-terminated.
unsafe fn w_str(p: *const WChar) -> Option<String> {
    if p.is_null() {
        return None;
    }
    let mut s = String::new();
    let mut i = 0;
    loop {
        // SAFETY: NUL-terminated by the caller's contract: every unit up to the NUL is
        // readable.
        let c = unsafe { p.add(i).read() };
        if c == 0 {
            return Some(s);
        }
        s.push(char::from_u32(c as u32).unwrap_or('\u{FFFD}'));
        i += 1;
    }
}

/// A string as NUL-terminated wide units.
fn to_wide(s: &str) -> Vec<WChar> {
    s.chars().map(|c| c as u32 as WChar).chain([0]).collect()
}

/// Fails with `code` as Windows' resolver functions do: returned and stored.
fn gai_fail(code: i32) -> i32 {
    fail(code, code)
}

/// Reads hints (NULL: all zero).
///
/// # Safety
/// `h` must be NULL or point to a readable `AddrInfo<C>`.
unsafe fn read_hints<C>(h: *const AddrInfo<C>) -> Result<Hints, i32> {
    if h.is_null() {
        return Ok(Hints::default());
    }
    // SAFETY: non-NULL and readable by the caller's contract.
    let h = unsafe { &*h };
    if h.ai_addrlen != 0
        || !h.ai_canonname.is_null()
        || !h.ai_addr.is_null()
        || !h.ai_next.is_null()
    {
        return Err(WSANO_RECOVERY);
    }
    Ok(Hints {
        flags: h.ai_flags,
        family: h.ai_family,
        socktype: h.ai_socktype,
        protocol: h.ai_protocol,
    })
}

/// Builds the Windows `ADDRINFO` list of `entries` (each node one heap allocation, freed
/// by [`free_list`] with the same `C`); `canon` converts a canonical name.
fn build_list<C: Copy>(
    entries: Vec<AddrEntry>,
    canon: impl Fn(&str) -> Vec<C>,
) -> *mut AddrInfo<C> {
    let mut head: *mut AddrInfo<C> = std::ptr::null_mut();
    for e in entries.into_iter().rev() {
        let bytes = sockaddr_bytes(&e.addr);
        let mut node = Box::new(Node {
            info: AddrInfo {
                ai_flags: 0,
                ai_family: e.family,
                ai_socktype: e.socktype,
                ai_protocol: e.protocol,
                ai_addrlen: bytes.len(),
                ai_canonname: std::ptr::null_mut(),
                ai_addr: std::ptr::null_mut(),
                ai_next: head,
            },
            addr: [0; SIN6_LEN],
            canon: e.canonname.as_deref().map(&canon).unwrap_or_default(),
        });
        node.addr[..bytes.len()].copy_from_slice(&bytes);
        node.info.ai_addr = node.addr.as_mut_ptr().cast();
        if !node.canon.is_empty() {
            node.info.ai_canonname = node.canon.as_mut_ptr();
        }
        // The node is at the start of its allocation (repr(C), `info` first).
        head = Box::into_raw(node).cast::<AddrInfo<C>>();
    }
    head
}

/// Frees a list [`build_list`] made.
///
/// # Safety
/// `p` must be NULL or the head of a list from [`build_list`] with the same `C`, not yet
/// freed (as on Windows, anything else is undefined).
unsafe fn free_list<C>(mut p: *mut AddrInfo<C>) {
    while !p.is_null() {
        // SAFETY: p is a node from build_list (Box<Node<C>> with the AddrInfo at its start),
        // freed once; its ai_next is read before the free.
        unsafe {
            let next = (*p).ai_next;
            drop(Box::from_raw(p.cast::<Node<C>>()));
            p = next;
        }
    }
}

/// The common body of `getaddrinfo` and `GetAddrInfoW`.
///
/// # Safety
/// `hints` NULL or readable; `res` NULL or writable.
unsafe fn getaddrinfo_common<C: Copy>(
    node: Option<String>,
    service: Option<String>,
    hints: *const AddrInfo<C>,
    res: *mut *mut AddrInfo<C>,
    canon: impl Fn(&str) -> Vec<C>,
) -> i32 {
    if res.is_null() {
        return gai_fail(WSAEFAULT);
    }
    // SAFETY: non-NULL and writable by the caller's contract.
    unsafe { res.write(std::ptr::null_mut()) };
    if let Err(e) = ensure_started() {
        return gai_fail(e.code());
    }
    // SAFETY: by the caller's contract.
    let hints = match unsafe { read_hints(hints) } {
        Ok(h) => h,
        Err(code) => return gai_fail(code),
    };
    match resolve(node.as_deref(), service.as_deref(), &hints) {
        Ok(entries) => {
            let list = build_list(entries, canon);
            // SAFETY: as above.
            unsafe { res.write(list) };
            fail(0, 0)
        }
        Err(code) => gai_fail(code),
    }
}

// ---- Exports: addrinfo ---------------------------------------------------------------------

/// `INT getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *pHints,
/// PADDRINFOA *ppResult)`, exported as `wsaevents_getaddrinfo`: 0, or the Winsock error
/// code (also the last error). `*ppResult` is NULL on failure. A NULL `ppResult` is
/// `WSAEFAULT` (Windows faults).
///
/// # Safety
/// Strings NULL or NUL-terminated; `hints` NULL or a readable `ADDRINFOA`; `res` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_getaddrinfo(
    node: *const c_char,
    service: *const c_char,
    hints: *const ADDRINFOA,
    res: *mut *mut ADDRINFOA,
) -> i32 {
    ffi(super::WSASYSCALLFAILURE, || {
        // SAFETY: by the caller's contract.
        let (node, service) = unsafe { (c_str(node), c_str(service)) };
        let canon = |s: &str| s.bytes().map(|b| b as c_char).chain([0]).collect();
        // SAFETY: by the caller's contract.
        unsafe {
            getaddrinfo_common(
                node.map(|s| s.into_owned()),
                service.map(|s| s.into_owned()),
                hints,
                res,
                canon,
            )
        }
    })
}

/// `VOID freeaddrinfo(PADDRINFOA)`, exported as `wsaevents_freeaddrinfo`: frees a whole
/// list from `getaddrinfo` (NULL is ignored).
///
/// # Safety
/// `ai` must be NULL or a list from `wsaevents_getaddrinfo`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_freeaddrinfo(ai: *mut ADDRINFOA) {
    // SAFETY: by the caller's contract.
    ffi((), || unsafe { free_list(ai) })
}

/// `INT GetAddrInfoW(PCWSTR, PCWSTR, const ADDRINFOW *, PADDRINFOW *)`: as
/// `getaddrinfo`, with wide strings (and a wide `ai_canonname`).
///
/// # Safety
/// As for [`wsaevents_getaddrinfo`], with wide strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn GetAddrInfoW(
    node: *const WChar,
    service: *const WChar,
    hints: *const ADDRINFOW,
    res: *mut *mut ADDRINFOW,
) -> i32 {
    ffi(super::WSASYSCALLFAILURE, || {
        // SAFETY: by the caller's contract.
        let (node, service) = unsafe { (w_str(node), w_str(service)) };
        // SAFETY: by the caller's contract.
        unsafe { getaddrinfo_common(node, service, hints, res, to_wide) }
    })
}

/// `VOID FreeAddrInfoW(PADDRINFOW)`.
///
/// # Safety
/// `ai` must be NULL or a list from `GetAddrInfoW`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn FreeAddrInfoW(ai: *mut ADDRINFOW) {
    // SAFETY: by the caller's contract.
    ffi((), || unsafe { free_list(ai) })
}

/// The common body of `getnameinfo` and `GetNameInfoW`: the strings, or the error.
///
/// # Safety
/// `sa` NULL or readable for `salen` bytes.
unsafe fn getnameinfo_common(
    sa: *const c_void,
    salen: c_int,
    want_host: bool,
    want_serv: bool,
    flags: c_int,
) -> Result<(Option<String>, Option<String>), i32> {
    ensure_started().map_err(|e| e.code())?;
    // SAFETY: by the caller's contract.
    let addr = unsafe { read_sockaddr(sa, salen) }?;
    name_info(&addr, flags, want_host, want_serv)
}

/// Copies `text` and a NUL into `buf` (`cap` units), or `WSAEFAULT` if it does not fit.
///
/// # Safety
/// `buf` writable for `cap` units.
unsafe fn put<C: Copy>(buf: *mut C, cap: usize, text: &[C], nul: C) -> Result<(), i32> {
    if text.len() + 1 > cap {
        return Err(WSAEFAULT);
    }
    // SAFETY: writable for cap ≥ text.len() + 1 units (caller's contract, checked above).
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf, text.len());
        buf.add(text.len()).write(nul);
    }
    Ok(())
}

/// `INT getnameinfo(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PCHAR
/// pNodeBuffer, DWORD NodeBufferSize, PCHAR pServiceBuffer, DWORD ServiceBufferSize, INT
/// Flags)`, exported as `wsaevents_getnameinfo`: 0 or the Winsock error (also the last
/// error): `WSAEFAULT` (NULL or short address, result longer than its buffer),
/// `WSAEAFNOSUPPORT`, `WSAHOST_NOT_FOUND` (no buffer, or `NI_NAMEREQD` and no name),
/// `WSAEINVAL` (`NI_NUMERICHOST | NI_NAMEREQD`). Nothing is written on failure.
///
/// # Safety
/// `sa` NULL or readable for `salen` bytes; each buffer NULL or writable for its size.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_getnameinfo(
    sa: *const c_void,
    salen: c_int,
    host: *mut c_char,
    hostlen: u32,
    serv: *mut c_char,
    servlen: u32,
    flags: c_int,
) -> i32 {
    ffi(super::WSASYSCALLFAILURE, || {
        let want_host = !host.is_null() && hostlen > 0;
        let want_serv = !serv.is_null() && servlen > 0;
        // SAFETY: by the caller's contract.
        let r = unsafe { getnameinfo_common(sa, salen, want_host, want_serv, flags) };
        let (h, s) = match r {
            Ok(v) => v,
            Err(code) => return gai_fail(code),
        };
        let bytes = |t: &str| t.bytes().map(|b| b as c_char).collect::<Vec<_>>();
        let (h, s) = (h.map(|t| bytes(&t)), s.map(|t| bytes(&t)));
        if s.as_ref().is_some_and(|t| t.len() >= servlen as usize)
            || h.as_ref().is_some_and(|t| t.len() >= hostlen as usize)
        {
            return gai_fail(WSAEFAULT);
        }
        // SAFETY: each buffer is writable for its size (caller's contract); both fit.
        unsafe {
            if let Some(t) = s {
                let _ = put(serv, servlen as usize, &t, 0);
            }
            if let Some(t) = h {
                let _ = put(host, hostlen as usize, &t, 0);
            }
        }
        fail(0, 0)
    })
}

/// `INT GetNameInfoW(const SOCKADDR *, socklen_t, PWCHAR, DWORD, PWCHAR, DWORD, INT)`: as
/// `getnameinfo`, sizes in `WCHAR`s.
///
/// # Safety
/// As for [`wsaevents_getnameinfo`], buffers in wide units.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn GetNameInfoW(
    sa: *const c_void,
    salen: c_int,
    host: *mut WChar,
    hostlen: u32,
    serv: *mut WChar,
    servlen: u32,
    flags: c_int,
) -> i32 {
    ffi(super::WSASYSCALLFAILURE, || {
        let want_host = !host.is_null() && hostlen > 0;
        let want_serv = !serv.is_null() && servlen > 0;
        // SAFETY: by the caller's contract.
        let r = unsafe { getnameinfo_common(sa, salen, want_host, want_serv, flags) };
        let (h, s) = match r {
            Ok(v) => v,
            Err(code) => return gai_fail(code),
        };
        let wide = |t: &str| {
            let mut w = to_wide(t);
            w.pop();
            w
        };
        let (h, s) = (h.map(|t| wide(&t)), s.map(|t| wide(&t)));
        if s.as_ref().is_some_and(|t| t.len() >= servlen as usize)
            || h.as_ref().is_some_and(|t| t.len() >= hostlen as usize)
        {
            return gai_fail(WSAEFAULT);
        }
        // SAFETY: each buffer is writable for its size (caller's contract); both fit.
        unsafe {
            if let Some(t) = s {
                let _ = put(serv, servlen as usize, &t, 0);
            }
            if let Some(t) = h {
                let _ = put(host, hostlen as usize, &t, 0);
            }
        }
        fail(0, 0)
    })
}

/// The message `gai_strerror` gives for a code: Windows' system message text for it, as
/// `FormatMessage(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_MAX_WIDTH_MASK)` returns it
/// (the line break at the end becomes a space), which is how the SDK's inline
/// `gai_strerrorA` builds it. Codes without a message give `""`.
pub fn gai_message(code: i32) -> &'static str {
    match code {
        0 => "The operation completed successfully. ",
        WSA_NOT_ENOUGH_MEMORY => {
            "Not enough memory resources are available to process this command. "
        }
        WSAEINVAL => "An invalid argument was supplied. ",
        WSAESOCKTNOSUPPORT => {
            "The support for the specified socket type does not exist in this address family. "
        }
        WSAEAFNOSUPPORT => "An address incompatible with the requested protocol was used. ",
        WSATYPE_NOT_FOUND => "The specified class was not found. ",
        WSAHOST_NOT_FOUND => "No such host is known. ",
        WSATRY_AGAIN => {
            "This is usually a temporary error during hostname resolution and means that the local server did not receive a response from an authoritative server. "
        }
        WSANO_RECOVERY => "A non-recoverable error occurred during a database lookup. ",
        WSANO_DATA => "The requested name is valid, but no data of the requested type was found. ",
        _ => "",
    }
}

thread_local! {
    static GAI_A: RefCell<Vec<c_char>> = const { RefCell::new(Vec::new()) };
    static GAI_W: RefCell<Vec<WChar>> = const { RefCell::new(Vec::new()) };
}

/// `char *gai_strerrorA(int ecode)`: the message for a code (see [`gai_message`]), in a
/// buffer of the calling thread (Windows uses one static buffer for the process).
#[unsafe(no_mangle)]
pub extern "C" fn gai_strerrorA(code: c_int) -> *mut c_char {
    ffi(std::ptr::null_mut(), || {
        GAI_A.with(|b| {
            let mut b = b.borrow_mut();
            *b = gai_message(code)
                .bytes()
                .map(|c| c as c_char)
                .chain([0])
                .collect();
            b.as_mut_ptr()
        })
    })
}

/// `WCHAR *gai_strerrorW(int ecode)`: as `gai_strerrorA`, wide.
#[unsafe(no_mangle)]
pub extern "C" fn gai_strerrorW(code: c_int) -> *mut WChar {
    ffi(std::ptr::null_mut(), || {
        GAI_W.with(|b| {
            let mut b = b.borrow_mut();
            *b = to_wide(gai_message(code));
            b.as_mut_ptr()
        })
    })
}

// ---- Exports: hostent, servent, gethostname, inet_ntoa --------------------------------------

thread_local! {
    static HOSTENT_BUF: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
    static SERVENT_BUF: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
    static NTOA_BUF: RefCell<[c_char; 16]> = const { RefCell::new([0; 16]) };
    static PROTOENT_BUF: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Lays out a `hostent` in `buf` as Windows does: the structure, the alias pointers, the
/// address pointers, the addresses, then the strings. Returns the structure.
fn pack_hostent(buf: &mut Vec<u64>, h: &Host) -> *mut HOSTENT {
    let ptr = size_of::<*mut c_char>();
    let addr_len = h.addrs.first().map_or(4, Vec::len);
    let strings: Vec<&str> = std::iter::once(h.name.as_str())
        .chain(h.aliases.iter().map(String::as_str))
        .collect();
    let aliases_at = size_of::<HOSTENT>();
    let addr_list_at = aliases_at + (h.aliases.len() + 1) * ptr;
    let addrs_at = addr_list_at + (h.addrs.len() + 1) * ptr;
    let strings_at = addrs_at + h.addrs.len() * addr_len;
    let total = strings_at + strings.iter().map(|s| s.len() + 1).sum::<usize>();
    // Cleared and resized in place: a buffer big enough is reused, so a second result
    // often comes back at the same address (Windows does not resize when not needed:
    // Wine's test_getservbyname).
    buf.clear();
    buf.resize(total.div_ceil(8), 0);
    let base = buf.as_mut_ptr().cast::<u8>();
    // SAFETY: every write below is inside the `total` bytes just allocated (offsets computed
    // above); pointer-sized slots are 8-aligned (the buffer is u64-aligned and every
    // offset before the addresses is a multiple of 8); byte copies need no alignment.
    unsafe {
        let mut at = strings_at;
        let mut string_ptrs = Vec::with_capacity(strings.len());
        for s in &strings {
            let p = base.add(at);
            std::ptr::copy_nonoverlapping(s.as_ptr(), p, s.len());
            p.add(s.len()).write(0);
            string_ptrs.push(p.cast::<c_char>());
            at += s.len() + 1;
        }
        let aliases = base.add(aliases_at).cast::<*mut c_char>();
        for (i, p) in string_ptrs[1..].iter().enumerate() {
            aliases.add(i).write(*p);
        }
        aliases.add(h.aliases.len()).write(std::ptr::null_mut());
        let list = base.add(addr_list_at).cast::<*mut c_char>();
        for (i, a) in h.addrs.iter().enumerate() {
            let p = base.add(addrs_at + i * addr_len);
            std::ptr::copy_nonoverlapping(a.as_ptr(), p, a.len().min(addr_len));
            list.add(i).write(p.cast());
        }
        list.add(h.addrs.len()).write(std::ptr::null_mut());
        let he = base.cast::<HOSTENT>();
        he.write(HOSTENT {
            h_name: string_ptrs[0],
            h_aliases: aliases,
            h_addrtype: h.addrtype as i16,
            h_length: addr_len as i16,
            h_addr_list: list,
        });
        he
    }
}

/// Stores a host in the calling thread's `hostent` and returns it (last error 0).
fn hostent_result(r: Result<Host, i32>) -> *mut HOSTENT {
    match r {
        Ok(h) => HOSTENT_BUF.with(|b| fail(0, pack_hostent(&mut b.borrow_mut(), &h))),
        Err(code) => fail(code, std::ptr::null_mut()),
    }
}

/// `struct hostent *gethostbyname(const char *name)`, exported as
/// `wsaevents_gethostbyname`: the IPv4 addresses of a name (NULL or `""`: the local host;
/// a numeric address is itself), in the calling thread's storage; NULL with
/// `WSAHOST_NOT_FOUND`, `WSATRY_AGAIN`, `WSANO_RECOVERY`, `WSANO_DATA` or
/// `WSANOTINITIALISED`.
///
/// # Safety
/// `name` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_gethostbyname(name: *const c_char) -> *mut HOSTENT {
    ffi(std::ptr::null_mut(), || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), std::ptr::null_mut());
        }
        // SAFETY: by the caller's contract.
        let name = unsafe { c_str(name) };
        hostent_result(host_by_name(name.as_deref()))
    })
}

/// `struct hostent *gethostbyaddr(const char *addr, int len, int type)`, exported as
/// `wsaevents_gethostbyaddr`: the name of an `AF_INET` (4 bytes) or `AF_INET6` (16
/// bytes) address; NULL with `WSAEFAULT` (NULL address, wrong length),
/// `WSAEAFNOSUPPORT`, `WSAHOST_NOT_FOUND`, …
///
/// # Safety
/// `addr` NULL or readable for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_gethostbyaddr(
    addr: *const c_char,
    len: c_int,
    family: c_int,
) -> *mut HOSTENT {
    ffi(std::ptr::null_mut(), || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), std::ptr::null_mut());
        }
        if addr.is_null() || !(0..=16).contains(&len) {
            return fail(WSAEFAULT, std::ptr::null_mut());
        }
        // SAFETY: non-NULL and readable for len (0-16) bytes by the caller's contract.
        let bytes = unsafe { std::slice::from_raw_parts(addr.cast::<u8>(), len as usize) };
        hostent_result(host_by_addr(bytes, family))
    })
}

/// `int gethostname(char *name, int namelen)`, exported as `wsaevents_gethostname`: 0,
/// or `SOCKET_ERROR` with `WSAEFAULT` (NULL, or the name and its NUL do not fit: the
/// buffer is then untouched) or `WSANOTINITIALISED`. The length is declared `size_t` in
/// the header (so that a later `<unistd.h>` redeclares the same function); a negative
/// `int` arrives as a huge value and is refused as Windows refuses it.
///
/// # Safety
/// `name` NULL or writable for `namelen` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_gethostname(name: *mut c_char, namelen: usize) -> c_int {
    ffi(-1, || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), -1);
        }
        let Ok(cap) = i32::try_from(namelen) else {
            return fail(WSAEFAULT, -1);
        };
        if name.is_null() {
            return fail(WSAEFAULT, -1);
        }
        let text: Vec<c_char> = match host_name() {
            Ok(h) => h.bytes().map(|b| b as c_char).collect(),
            Err(code) => return fail(code, -1),
        };
        // SAFETY: writable for namelen bytes by the caller's contract.
        match unsafe { put(name, cap as usize, &text, 0) } {
            Ok(()) => 0,
            Err(code) => fail(code, -1),
        }
    })
}

/// `int GetHostNameW(PWSTR name, int namelen)`: as `gethostname`, in `WCHAR`s.
///
/// # Safety
/// `name` NULL or writable for `namelen` wide units.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn GetHostNameW(name: *mut WChar, namelen: c_int) -> c_int {
    ffi(-1, || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), -1);
        }
        if name.is_null() || namelen < 0 {
            return fail(WSAEFAULT, -1);
        }
        let mut text = match host_name() {
            Ok(h) => to_wide(&h),
            Err(code) => return fail(code, -1),
        };
        text.pop();
        // SAFETY: writable for namelen units by the caller's contract.
        match unsafe { put(name, namelen as usize, &text, 0) } {
            Ok(()) => 0,
            Err(code) => fail(code, -1),
        }
    })
}

/// Lays out a `servent` in `buf`: the structure, the alias pointers, then the strings.
fn pack_servent(buf: &mut Vec<u64>, s: &Service) -> *mut SERVENT {
    let ptr = size_of::<*mut c_char>();
    let strings: Vec<&str> = [s.name.as_str(), s.proto.as_str()]
        .into_iter()
        .chain(s.aliases.iter().map(String::as_str))
        .collect();
    let aliases_at = size_of::<SERVENT>();
    let strings_at = aliases_at + (s.aliases.len() + 1) * ptr;
    let total = strings_at + strings.iter().map(|t| t.len() + 1).sum::<usize>();
    // Cleared and resized in place: a buffer big enough is reused, so a second result
    // often comes back at the same address (Windows does not resize when not needed:
    // Wine's test_getservbyname).
    buf.clear();
    buf.resize(total.div_ceil(8), 0);
    let base = buf.as_mut_ptr().cast::<u8>();
    // SAFETY: every write is inside the `total` bytes just allocated; the pointer slots are
    // 8-aligned (u64 buffer, SERVENT size a multiple of 8).
    unsafe {
        let mut at = strings_at;
        let mut ptrs = Vec::with_capacity(strings.len());
        for t in &strings {
            let p = base.add(at);
            std::ptr::copy_nonoverlapping(t.as_ptr(), p, t.len());
            p.add(t.len()).write(0);
            ptrs.push(p.cast::<c_char>());
            at += t.len() + 1;
        }
        let aliases = base.add(aliases_at).cast::<*mut c_char>();
        for (i, p) in ptrs[2..].iter().enumerate() {
            aliases.add(i).write(*p);
        }
        aliases.add(s.aliases.len()).write(std::ptr::null_mut());
        let se = base.cast::<SERVENT>();
        se.write(SERVENT {
            s_name: ptrs[0],
            s_aliases: aliases,
            s_proto: ptrs[1],
            s_port: s.port.to_be() as i16,
        });
        se
    }
}

/// Stores a service in the calling thread's `servent` and returns it (last error 0), or
/// NULL with `WSANO_DATA`.
fn servent_result(r: Option<Service>) -> *mut SERVENT {
    match r {
        Some(s) => SERVENT_BUF.with(|b| fail(0, pack_servent(&mut b.borrow_mut(), &s))),
        None => fail(WSANO_DATA, std::ptr::null_mut()),
    }
}

/// `struct servent *getservbyname(const char *name, const char *proto)`, exported as
/// `wsaevents_getservbyname`: the services-database entry (`s_port` in network order), in
/// the calling thread's storage; NULL with `WSANO_DATA` if unknown (or NULL name).
///
/// # Safety
/// Strings NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_getservbyname(
    name: *const c_char,
    proto: *const c_char,
) -> *mut SERVENT {
    ffi(std::ptr::null_mut(), || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), std::ptr::null_mut());
        }
        // SAFETY: by the caller's contract.
        let (name, proto) = unsafe { (c_str(name), c_str(proto)) };
        let Some(name) = name else {
            return fail(WSANO_DATA, std::ptr::null_mut());
        };
        servent_result(service_by_name(&name, proto.as_deref()))
    })
}

/// `struct servent *getservbyport(int port, const char *proto)`, exported as
/// `wsaevents_getservbyport`: `port` in network order (its low 16 bits).
///
/// # Safety
/// `proto` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_getservbyport(
    port: c_int,
    proto: *const c_char,
) -> *mut SERVENT {
    ffi(std::ptr::null_mut(), || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), std::ptr::null_mut());
        }
        // SAFETY: by the caller's contract.
        let proto = unsafe { c_str(proto) };
        servent_result(service_by_port(u16::from_be(port as u16), proto.as_deref()))
    })
}

/// Windows' built-in protocol table (Winsock does not read a protocols file): (number,
/// name, alias), as Wine's `test_getprotobyname` / `test_getprotobynumber` check it on
/// Windows.
pub const PROTOCOLS: &[(i16, &str, &str)] = &[
    (0, "ip", "IP"),
    (1, "icmp", "ICMP"),
    (3, "ggp", "GGP"),
    (6, "tcp", "TCP"),
    (8, "egp", "EGP"),
    (12, "pup", "PUP"),
    (17, "udp", "UDP"),
    (20, "hmp", "HMP"),
    (22, "xns-idp", "XNS-IDP"),
    (27, "rdp", "RDP"),
    (41, "ipv6", "IPv6"),
    (43, "ipv6-route", "IPv6-Route"),
    (44, "ipv6-frag", "IPv6-Frag"),
    (50, "esp", "ESP"),
    (51, "ah", "AH"),
    (58, "ipv6-icmp", "IPv6-ICMP"),
    (59, "ipv6-nonxt", "IPv6-NoNxt"),
    (60, "ipv6-opts", "IPv6-Opts"),
    (66, "rvd", "RVD"),
];

/// `getprotobyname`'s entry: the name or its alias, without case.
pub fn protocol_by_name(name: &str) -> Option<(i16, &'static str, &'static str)> {
    PROTOCOLS
        .iter()
        .find(|(_, n, a)| n.eq_ignore_ascii_case(name) || a.eq_ignore_ascii_case(name))
        .copied()
}

/// `getprotobynumber`'s entry.
pub fn protocol_by_number(number: i32) -> Option<(i16, &'static str, &'static str)> {
    PROTOCOLS
        .iter()
        .find(|(p, _, _)| i32::from(*p) == number)
        .copied()
}

/// Lays out a `protoent` in `buf`: the structure, the alias pointers, then the strings.
fn pack_protoent(buf: &mut Vec<u64>, (number, name, alias): (i16, &str, &str)) -> *mut PROTOENT {
    let ptr = size_of::<*mut c_char>();
    let aliases_at = size_of::<PROTOENT>();
    let strings_at = aliases_at + 2 * ptr;
    let total = strings_at + name.len() + 1 + alias.len() + 1;
    buf.clear();
    buf.resize(total.div_ceil(8), 0);
    let base = buf.as_mut_ptr().cast::<u8>();
    // SAFETY: every write is inside the `total` bytes just allocated; the pointer slots are
    // 8-aligned (u64 buffer, PROTOENT's size a multiple of the pointer size).
    unsafe {
        let name_p = base.add(strings_at);
        std::ptr::copy_nonoverlapping(name.as_ptr(), name_p, name.len());
        name_p.add(name.len()).write(0);
        let alias_p = name_p.add(name.len() + 1);
        std::ptr::copy_nonoverlapping(alias.as_ptr(), alias_p, alias.len());
        alias_p.add(alias.len()).write(0);
        let aliases = base.add(aliases_at).cast::<*mut c_char>();
        aliases.write(alias_p.cast());
        aliases.add(1).write(std::ptr::null_mut());
        let pe = base.cast::<PROTOENT>();
        pe.write(PROTOENT {
            p_name: name_p.cast(),
            p_aliases: aliases,
            p_proto: number,
        });
        pe
    }
}

/// Stores a protocol in the calling thread's `protoent` (last error 0), or NULL with
/// `WSANO_DATA`.
fn protoent_result(r: Option<(i16, &'static str, &'static str)>) -> *mut PROTOENT {
    match r {
        Some(p) => PROTOENT_BUF.with(|b| fail(0, pack_protoent(&mut b.borrow_mut(), p))),
        None => fail(WSANO_DATA, std::ptr::null_mut()),
    }
}

/// `struct protoent *getprotobyname(const char *name)`, exported as
/// `wsaevents_getprotobyname`: Windows' built-in entry ([`PROTOCOLS`]; the name or alias
/// in any case), in the calling thread's storage; NULL with `WSANO_DATA`.
///
/// # Safety
/// `name` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_getprotobyname(name: *const c_char) -> *mut PROTOENT {
    ffi(std::ptr::null_mut(), || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), std::ptr::null_mut());
        }
        // SAFETY: by the caller's contract.
        let name = unsafe { c_str(name) };
        protoent_result(name.and_then(|n| protocol_by_name(&n)))
    })
}

/// `struct protoent *getprotobynumber(int number)`, exported as
/// `wsaevents_getprotobynumber`: as `getprotobyname`, by number.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_getprotobynumber(number: c_int) -> *mut PROTOENT {
    ffi(std::ptr::null_mut(), || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), std::ptr::null_mut());
        }
        protoent_result(protocol_by_number(number))
    })
}

/// `char *inet_ntoa(struct in_addr)`, exported as `wsaevents_inet_ntoa`: the dotted form,
/// in a buffer of the calling thread (another thread's call does not change it: Wine's
/// Windows-run `test_inet_ntoa`). Needs no `WSAStartup`.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_inet_ntoa(addr: InAddr) -> *mut c_char {
    ffi(std::ptr::null_mut(), || {
        let text = format_ipv4(addr.s_addr.to_ne_bytes());
        NTOA_BUF.with(|b| {
            let mut b = b.borrow_mut();
            *b = [0; 16];
            for (d, s) in b.iter_mut().zip(text.bytes()) {
                *d = s as c_char;
            }
            b.as_mut_ptr()
        })
    })
}

// ---- Exports: wide inet_pton / inet_ntop ------------------------------------------------------

/// `INT InetPtonW(INT Family, PCWSTR, PVOID)`: as `inet_pton`, but a string that is not an
/// address also sets `WSAEINVAL` (Wine's Windows-run `test_inet_pton`).
///
/// # Safety
/// `src` NULL or NUL-terminated; `dst` NULL or writable for 4 / 16 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn InetPtonW(family: c_int, src: *const WChar, dst: *mut c_void) -> c_int {
    ffi(-1, || {
        if src.is_null() || dst.is_null() {
            return fail(WSAEFAULT, -1);
        }
        // SAFETY: NUL-terminated by the caller's contract. A unit outside ASCII cannot be
        // part of an address: it becomes 0xff, which every parser refuses.
        let s: Vec<u8> = unsafe { w_str(src) }
            .unwrap_or_default()
            .chars()
            .map(|c| if c.is_ascii() { c as u8 } else { 0xff })
            .collect();
        let (bytes, ok): (Vec<u8>, bool) = match family {
            AF_INET => match parse_ipv4_strict(&s) {
                (Some(a), ok) => (a.to_vec(), ok),
                (None, _) => return fail(WSAEINVAL, 0),
            },
            AF_INET6 => match parse_ipv6(&s) {
                Some(a) => (a.to_vec(), true),
                None => return fail(WSAEINVAL, 0),
            },
            _ => return fail(WSAEAFNOSUPPORT, -1),
        };
        // SAFETY: dst is writable for the family's size (bytes.len()) by the contract.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), dst.cast::<u8>(), bytes.len()) };
        if ok { 1 } else { fail(WSAEINVAL, 0) }
    })
}

/// `PCWSTR InetNtopW(INT Family, const VOID *, PWSTR, size_t)`: as `inet_ntop`, the size
/// in `WCHAR`s; NULL with `WSAEAFNOSUPPORT`, `WSAEFAULT` (NULL address) or `WSAEINVAL`
/// (NULL or too-small buffer).
///
/// # Safety
/// `src` NULL or readable for 4 / 16 bytes; `dst` NULL or writable for `size` units.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn InetNtopW(
    family: c_int,
    src: *const c_void,
    dst: *mut WChar,
    size: usize,
) -> *const WChar {
    let null = std::ptr::null();
    ffi(null, || {
        if dst.is_null() {
            return fail(WSAEINVAL, null);
        }
        // SAFETY: `src` is NULL or readable as the caller's contract says.
        let text = match unsafe { super::addr::ntop_text(family, src) } {
            Ok(t) => t,
            Err(code) => return fail(code, null),
        };
        let mut w = to_wide(&text);
        w.pop();
        // SAFETY: writable for size units by the caller's contract.
        match unsafe { put(dst, size, &w, 0) } {
            Ok(()) => dst.cast_const(),
            Err(_) => fail(WSAEINVAL, null),
        }
    })
}

// ---- Exports: WSAAddressToString / WSAStringToAddress -------------------------------------------

/// The common body of `WSAAddressToStringA/W`: the text, or the error.
///
/// # Safety
/// `sa` NULL or readable for `salen` bytes; `lenp` NULL or readable.
unsafe fn address_to_string_common(
    sa: *const c_void,
    salen: u32,
    lenp: *mut u32,
) -> Result<String, i32> {
    ensure_started().map_err(|e| e.code())?;
    if sa.is_null() || lenp.is_null() {
        return Err(WSAEINVAL);
    }
    // SAFETY: by the caller's contract; a length the int cannot hold is refused.
    let addr =
        unsafe { read_sockaddr(sa, c_int::try_from(salen).unwrap_or(0)) }.map_err(|_| WSAEINVAL)?;
    Ok(address_to_string(&addr))
}

/// Writes the text (units) into the caller's buffer with `WSAAddressToString`'s length
/// rule: the length with its NUL goes to `*lenp`; a NULL or too-short buffer is
/// `WSAEFAULT` (with that length stored).
///
/// # Safety
/// `lenp` writable; `out` NULL or writable for `*lenp` units.
unsafe fn put_with_len<C: Copy>(out: *mut C, lenp: *mut u32, text: &[C], nul: C) -> c_int {
    let need = text.len() as u32 + 1;
    // SAFETY: lenp is readable and writable by the caller's contract.
    unsafe {
        let have = lenp.read_unaligned();
        lenp.write_unaligned(need);
        if out.is_null() || have < need {
            return fail(WSAEFAULT, -1);
        }
        let _ = put(out, have as usize, text, nul);
    }
    0
}

/// `INT WSAAddressToStringA(LPSOCKADDR, DWORD dwAddressLength, LPWSAPROTOCOL_INFOA,
/// LPSTR, LPDWORD lpdwAddressStringLength)`: 0, or `SOCKET_ERROR` with `WSAEFAULT` (buffer
/// NULL or too short; the needed length, with the NUL, is stored), `WSAEINVAL` (NULL
/// address or length pointer, short address, family not `AF_INET`/`AF_INET6`) or
/// `WSANOTINITIALISED`. The protocol info is ignored.
///
/// # Safety
/// `sa` NULL or readable for `salen` bytes; `lenp` NULL or readable and writable; `out`
/// NULL or writable for `*lenp` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAAddressToStringA(
    sa: *const c_void,
    salen: u32,
    _info: *const c_void,
    out: *mut c_char,
    lenp: *mut u32,
) -> c_int {
    ffi(-1, || {
        // SAFETY: by the caller's contract.
        match unsafe { address_to_string_common(sa, salen, lenp) } {
            Ok(t) => {
                let t: Vec<c_char> = t.bytes().map(|b| b as c_char).collect();
                // SAFETY: by the caller's contract (lenp checked non-NULL).
                unsafe { put_with_len(out, lenp, &t, 0) }
            }
            Err(code) => fail(code, -1),
        }
    })
}

/// `INT WSAAddressToStringW(...)`: as `WSAAddressToStringA`, lengths in `WCHAR`s.
///
/// # Safety
/// As for [`WSAAddressToStringA`], the buffer in wide units.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAAddressToStringW(
    sa: *const c_void,
    salen: u32,
    _info: *const c_void,
    out: *mut WChar,
    lenp: *mut u32,
) -> c_int {
    ffi(-1, || {
        // SAFETY: by the caller's contract.
        match unsafe { address_to_string_common(sa, salen, lenp) } {
            Ok(t) => {
                let mut w = to_wide(&t);
                w.pop();
                // SAFETY: by the caller's contract (lenp checked non-NULL).
                unsafe { put_with_len(out, lenp, &w, 0) }
            }
            Err(code) => fail(code, -1),
        }
    })
}

/// The common body of `WSAStringToAddressA/W` on the string's bytes.
///
/// # Safety
/// `out` NULL or writable for `*lenp` bytes; `lenp` NULL or readable and writable.
unsafe fn string_to_address_common(
    s: Option<Vec<u8>>,
    family: c_int,
    out: *mut c_void,
    lenp: *mut c_int,
) -> c_int {
    if let Err(e) = ensure_started() {
        return fail(e.code(), -1);
    }
    let Some(s) = s else {
        return fail(WSAEINVAL, -1);
    };
    let need = match family {
        AF_INET => SIN_LEN,
        AF_INET6 => SIN6_LEN,
        _ => return fail(WSAEINVAL, -1),
    };
    if out.is_null() || lenp.is_null() {
        return fail(WSAEFAULT, -1);
    }
    // SAFETY: lenp is readable and writable by the caller's contract.
    let have = unsafe { lenp.read_unaligned() };
    if have < need as c_int {
        // SAFETY: as above.
        unsafe { lenp.write_unaligned(need as c_int) };
        return fail(WSAEFAULT, -1);
    }
    let (bytes, ok) = if family == AF_INET {
        match string_to_ipv4(&s) {
            Ok(a) => (sockaddr_bytes(&SocketAddr::V4(a)), true),
            Err(partial) => {
                // Windows zeroes the structure and keeps the address part that parsed.
                let mut b = vec![0u8; SIN_LEN];
                if let Some(ip) = partial {
                    b[4..8].copy_from_slice(&ip.octets());
                }
                (b, false)
            }
        }
    } else {
        match string_to_ipv6(&s) {
            Some(a) => (sockaddr_bytes(&SocketAddr::V6(a)), true),
            None => (vec![0u8; SIN6_LEN], false),
        }
    };
    // SAFETY: out is writable for *lenp ≥ need = bytes.len() bytes (checked above).
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), out.cast::<u8>(), bytes.len()) };
    if !ok {
        return fail(WSAEINVAL, -1);
    }
    // SAFETY: as above.
    unsafe { lenp.write_unaligned(need as c_int) };
    0
}

/// `INT WSAStringToAddressA(LPSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOA,
/// LPSOCKADDR lpAddress, LPINT lpAddressLength)`: 0 and `*lpAddressLength` set to the
/// structure's size, or `SOCKET_ERROR` with `WSAEINVAL` (not an address of that family:
/// the structure is zeroed, keeping an IPv4 address that parsed before the error; NULL
/// string; family not `AF_INET`/`AF_INET6`), `WSAEFAULT` (NULL address or length
/// pointer; a short length, then set to the size needed) or `WSANOTINITIALISED`. Syntax
/// (Wine's Windows-run `test_WSAStringToAddress`): IPv4 as `inet_addr` (1-4 parts, octal,
/// hex) with an optional `:port` (1-65535, decimal, octal or hex); IPv6 `addr[%scope]`
/// or `[addr[%scope]][:port]`.
///
/// # Safety
/// `s` NULL or NUL-terminated; `out` NULL or writable for `*lenp` bytes; `lenp` NULL or
/// readable and writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAStringToAddressA(
    s: *const c_char,
    family: c_int,
    _info: *const c_void,
    out: *mut c_void,
    lenp: *mut c_int,
) -> c_int {
    ffi(-1, || {
        // SAFETY: by the caller's contract.
        let s = (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_bytes().to_vec());
        // SAFETY: by the caller's contract.
        unsafe { string_to_address_common(s, family, out, lenp) }
    })
}

/// `INT WSAStringToAddressW(LPWSTR, ...)`: as `WSAStringToAddressA`, a wide string.
///
/// # Safety
/// As for [`WSAStringToAddressA`], a wide string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAStringToAddressW(
    s: *const WChar,
    family: c_int,
    _info: *const c_void,
    out: *mut c_void,
    lenp: *mut c_int,
) -> c_int {
    ffi(-1, || {
        // SAFETY: by the caller's contract.
        let s = unsafe { w_str(s) }.map(|t| {
            t.chars()
                .map(|c| if c.is_ascii() { c as u8 } else { 0xff })
                .collect()
        });
        // SAFETY: by the caller's contract.
        unsafe { string_to_address_common(s, family, out, lenp) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_are_windows() {
        // ws2def.h: ai_addrlen (size_t) at 16, ai_canonname at 24, ai_addr at 32 on Win64.
        assert_eq!(std::mem::offset_of!(ADDRINFOA, ai_addrlen), 16);
        assert_eq!(std::mem::offset_of!(ADDRINFOA, ai_canonname), 24);
        assert_eq!(std::mem::offset_of!(ADDRINFOA, ai_addr), 32);
        assert_eq!(std::mem::offset_of!(ADDRINFOA, ai_next), 40);
        assert_eq!(size_of::<ADDRINFOA>(), 48);
        assert_eq!(size_of::<ADDRINFOW>(), 48);
        // winsock2.h: hostent's shorts, servent's _WIN64 order.
        assert_eq!(std::mem::offset_of!(HOSTENT, h_addrtype), 16);
        assert_eq!(std::mem::offset_of!(HOSTENT, h_length), 18);
        assert_eq!(std::mem::offset_of!(HOSTENT, h_addr_list), 24);
        assert_eq!(std::mem::offset_of!(SERVENT, s_proto), 16);
        assert_eq!(std::mem::offset_of!(SERVENT, s_port), 24);
        assert_eq!(size_of::<SERVENT>(), 32);
    }

    /// The getaddrinfo reference page's EAI_* → WSA table, from the C library's codes.
    #[test]
    fn eai_codes_map_to_winsock() {
        assert_eq!(wsa_from_eai(libc::EAI_AGAIN), 11002);
        assert_eq!(wsa_from_eai(libc::EAI_BADFLAGS), 10022);
        assert_eq!(wsa_from_eai(libc::EAI_FAIL), 11003);
        assert_eq!(wsa_from_eai(libc::EAI_FAMILY), 10047);
        assert_eq!(wsa_from_eai(libc::EAI_MEMORY), 8);
        assert_eq!(wsa_from_eai(libc::EAI_NONAME), 11001);
        assert_eq!(wsa_from_eai(libc::EAI_SERVICE), 10109);
        assert_eq!(wsa_from_eai(libc::EAI_SOCKTYPE), 10044);
        assert_eq!(wsa_from_eai(LIBC_EAI_NODATA), 11004);
        assert_eq!(wsa_from_eai(LIBC_EAI_ADDRFAMILY), 11001);
    }

    /// Wine's Windows-run hint table (`hinttests`) and ReactOS' hint checks.
    #[test]
    fn hints_are_checked_as_windows() {
        let h = |flags, family, socktype, protocol| Hints {
            flags,
            family,
            socktype,
            protocol,
        };
        assert_eq!(check_hints(&h(0, 0, 1, 6), true), Ok(()));
        assert_eq!(check_hints(&h(0, 2, 2, 999), true), Ok(()));
        assert_eq!(check_hints(&h(0, 0, 1, 17), true), Ok(()));
        assert_eq!(check_hints(&h(0, 0, 999, 6), true), Err(WSAESOCKTNOSUPPORT));
        assert_eq!(check_hints(&h(0, 1, 0, 0), true), Err(WSAEAFNOSUPPORT));
        assert_eq!(check_hints(&h(0, 999, 0, 0), true), Err(WSAEAFNOSUPPORT));
        assert_eq!(
            check_hints(&h(AI_CANONNAME, 0, 0, 0), false),
            Err(WSAEINVAL)
        );
        assert_eq!(check_hints(&h(AI_CANONNAME, 0, 0, 0), true), Ok(()));
    }

    #[test]
    fn resolve_numeric_and_errors() {
        let none = Hints::default();
        assert_eq!(resolve(None, None, &none), Err(WSAHOST_NOT_FOUND));
        let r = resolve(Some("127.0.0.1"), Some("80"), &none).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].addr, "127.0.0.1:80".parse().unwrap());
        assert_eq!((r[0].family, r[0].socktype, r[0].protocol), (AF_INET, 0, 0));
        let tcp = Hints {
            socktype: SOCK_STREAM,
            protocol: IPPROTO_TCP,
            ..none
        };
        let r = resolve(Some("::1"), None, &tcp).unwrap();
        assert_eq!(
            (r[0].family, r[0].socktype, r[0].protocol),
            (AF_INET6, 1, 6)
        );
        // Brackets (Windows-run test_getaddrinfo), the port after them ignored.
        let r = resolve(Some("[beef::cafe]:10239"), None, &none).unwrap();
        assert_eq!(r[0].addr, "[beef::cafe]:0".parse().unwrap());
        let numeric = Hints {
            flags: AI_NUMERICHOST,
            ..none
        };
        assert_eq!(
            resolve(Some("[beef::cafe"), None, &numeric),
            Err(WSAHOST_NOT_FOUND)
        );
        assert_eq!(
            resolve(Some("beef::cafe]"), None, &numeric),
            Err(WSAHOST_NOT_FOUND)
        );
        assert_eq!(
            resolve(Some("localhost"), Some("80"), &numeric),
            Err(WSAHOST_NOT_FOUND)
        );
        assert_eq!(
            resolve(Some("192.168.1.253:1024"), None, &numeric),
            Err(WSAHOST_NOT_FOUND)
        );
        let v4 = Hints {
            flags: AI_NUMERICHOST,
            family: AF_INET,
            ..none
        };
        assert_eq!(
            resolve(Some("[beef::cafe]"), None, &v4),
            Err(WSAHOST_NOT_FOUND)
        );
        assert_eq!(
            resolve(None, Some("nonexistentservice"), &none),
            Err(WSATYPE_NOT_FOUND)
        );
        assert_eq!(resolve(None, Some("65536"), &none), Err(WSATYPE_NOT_FOUND));
        let numserv = Hints {
            flags: AI_NUMERICSERV,
            ..none
        };
        assert_eq!(
            resolve(Some("127.0.0.1"), Some("http"), &numserv),
            Err(WSAHOST_NOT_FOUND)
        );
    }

    /// A numeric scoped IPv6 address keeps its scope (sin6_scope_id).
    #[test]
    fn resolve_keeps_the_ipv6_scope() {
        let h = Hints {
            flags: AI_NUMERICHOST,
            ..Hints::default()
        };
        let r = resolve(Some("fe80::1%1"), Some("80"), &h).unwrap();
        assert_eq!(r[0].addr, "[fe80::1%1]:80".parse().unwrap());
    }

    #[test]
    fn resolve_null_node_passive_and_loopback() {
        let passive = Hints {
            flags: AI_PASSIVE,
            family: AF_INET,
            ..Hints::default()
        };
        let r = resolve(None, Some("27015"), &passive).unwrap();
        assert_eq!(r[0].addr, "0.0.0.0:27015".parse().unwrap());
        let active = Hints {
            family: AF_INET6,
            ..Hints::default()
        };
        let r = resolve(None, Some("0"), &active).unwrap();
        assert_eq!(r[0].addr, "[::1]:0".parse().unwrap());
        // "" service is port 0, like "0" (Windows-run test_getaddrinfo).
        assert_eq!(
            resolve(None, Some(""), &active),
            resolve(None, Some("0"), &active)
        );
    }

    /// "" and "..localmachine" are the local host: the same addresses.
    #[test]
    fn empty_node_is_the_local_host() {
        let h = Hints::default();
        let empty = resolve(Some(""), None, &h).unwrap();
        assert!(!empty.is_empty());
        assert_eq!(resolve(Some("..localmachine"), None, &h), Ok(empty));
    }

    #[test]
    fn canonical_name_on_the_first_entry_only() {
        let h = Hints {
            flags: AI_CANONNAME,
            ..Hints::default()
        };
        let r = resolve(Some("127.0.0.1"), None, &h).unwrap();
        assert_eq!(r[0].canonname.as_deref(), Some("127.0.0.1"));
        assert!(r.iter().skip(1).all(|e| e.canonname.is_none()));
        let r = resolve(Some("127.0.0.1"), None, &Hints::default()).unwrap();
        assert_eq!(r[0].canonname, None);
    }

    #[test]
    fn name_info_rules() {
        let a: SocketAddr = "127.0.0.1:80".parse().unwrap();
        let n = NI_NUMERICHOST | NI_NUMERICSERV;
        assert_eq!(
            name_info(&a, n, true, true),
            Ok((Some("127.0.0.1".into()), Some("80".into())))
        );
        assert_eq!(name_info(&a, n, false, false), Err(WSAHOST_NOT_FOUND));
        assert_eq!(
            name_info(&a, NI_NUMERICHOST | NI_NAMEREQD, true, false),
            Err(WSAEINVAL)
        );
        let b: SocketAddr = "[fe80::1%4]:0".parse().unwrap();
        assert_eq!(
            name_info(&b, n, true, false),
            Ok((Some("fe80::1%4".into()), None))
        );
        // An unknown port's service is its number (RFC 3493 §6.2, Windows Vista and later).
        let c: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let (_, serv) = name_info(&c, NI_NUMERICHOST | NI_DGRAM, false, true).unwrap();
        assert!(
            serv.unwrap()
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
        );
    }

    /// Wine's Windows-run test_WSAAddressToString table.
    #[test]
    fn address_strings() {
        for (a, s) in [
            ("0.0.0.0:0", "0.0.0.0"),
            ("255.255.255.255:0", "255.255.255.255"),
            ("0.0.0.0:65535", "0.0.0.0:65535"),
            ("255.255.255.255:65535", "255.255.255.255:65535"),
            ("[::1]:0", "::1"),
            ("[20ab::1]:0", "20ab::1"),
            ("[20ab::2001]:33274", "[20ab::2001]:33274"),
            ("[20ab::2001%4660]:33274", "[20ab::2001%4660]:33274"),
            ("[20ab::2001%4660]:0", "20ab::2001%4660"),
        ] {
            assert_eq!(address_to_string(&a.parse().unwrap()), s, "{a}");
        }
    }

    /// Wine's Windows-run test_WSAStringToAddress, IPv4: (input, address, port) or error.
    #[test]
    fn string_to_ipv4_table() {
        let ok = [
            ("1.1.1.1", 0x01010101u32, 0u16),
            ("0.0.0.0", 0, 0),
            ("127.127.127.127:123", 0x7f7f7f7f, 123),
            ("127.127.127.127:65535", 0x7f7f7f7f, 65535),
            ("127.127.127.127:0xAbCd", 0x7f7f7f7f, 43981),
            ("127.127.127.127:0XaBcD", 0x7f7f7f7f, 43981),
            ("127.127.127.127:010", 0x7f7f7f7f, 8),
            ("127.127.127.127:007", 0x7f7f7f7f, 7),
            ("255.255.255.255:123", 0xffffffff, 123),
            ("1.1.1.0xaA", 0x010101aa, 0),
            ("1.1.1.0xff", 0x010101ff, 0),
            ("1.1.1.010", 0x01010108, 0),
            ("1.1.1.00", 0x01010100, 0),
            ("1.1.1.007", 0x01010107, 0),
            ("1", 1, 0),
            ("1:1", 1, 1),
            ("1.2", 0x01000002, 0),
            ("1.2:1", 0x01000002, 1),
            ("1.2.3", 0x01020003, 0),
            ("1.2.3:1", 0x01020003, 1),
            ("203569230", 0x0c22384e, 0),
            ("203569230:123", 0x0c22384e, 123),
            ("1.223756", 0x01036a0c, 0),
            ("3.4.756", 0x030402f4, 0),
            ("0x00010203", 0x00010203, 0),
            ("0X00010203", 0x00010203, 0),
            ("0x00010203:10", 0x00010203, 10),
            ("0x1234", 0x1234, 0),
            ("0x123456789", 0x23456789, 0),
            ("017700000001", 0x7f000001, 0),
            ("0777", 0x1ff, 0),
            ("0777:10", 0x1ff, 10),
        ];
        for (s, a, p) in ok {
            let got = string_to_ipv4(s.as_bytes()).unwrap_or_else(|_| panic!("{s:?}"));
            assert_eq!((u32::from(*got.ip()), got.port()), (a, p), "{s:?}");
        }
        // Errors, with the address Windows leaves behind when one parsed first.
        let bad: &[(&str, Option<u32>)] = &[
            ("", None),
            (" ", None),
            ("127.127.127.127:", Some(0x7f7f7f7f)),
            ("127.127.127.127:0", Some(0x7f7f7f7f)),
            ("127.127.127.127:65537", Some(0x7f7f7f7f)),
            ("127.127.127.127::1", Some(0x7f7f7f7f)),
            ("127.127.127.127:0x", Some(0x7f7f7f7f)),
            ("127.127.127.127:0x10000", Some(0x7f7f7f7f)),
            ("127.127.127.127:08", Some(0x7f7f7f7f)),
            ("127.127.127.127:008", Some(0x7f7f7f7f)),
            ("127.127.127.127:0a", Some(0x7f7f7f7f)),
            ("127.127.127.127:0o10", Some(0x7f7f7f7f)),
            ("127.127.127.127:0b10", Some(0x7f7f7f7f)),
            ("255.255.255.256", None),
            ("a", None),
            ("1.1.1.0x", None),
            ("1.1.1.0x100", None),
            ("1.1.1.08", None),
            ("1.1.1.0a", Some(0x01010100)),
            ("1.1.1.0o10", Some(0x01010100)),
            ("1.1.1.0b10", Some(0x01010100)),
            ("1.1.1.-2", None),
            ("-1", None),
            ("1000.2000", None),
            ("1.2.", None),
            ("1..2", None),
            ("1...2", None),
            ("1.2.3.", None),
            ("2001::1", Some(0x7d1)),
            ("756.3.4", None),
            ("3.756.4", None),
            ("3.4.756.1", None),
            ("3.4.65536", None),
            ("3.4.5.6.7", None),
            ("3.4.5.+6", None),
            (" 3.4.5.6", None),
            ("\t3.4.5.6", None),
            ("3.4.5.6 ", Some(0x03040506)),
            ("3.4.5.6:7 ", Some(0x03040506)),
            ("3.4.5.6: 7", Some(0x03040506)),
            ("3. 4.5.6", None),
            (".", None),
            ("[0.1.2.3]", None),
            ("0x00010Q03", Some(0x10)),
            ("x00010203", None),
            ("1234BEEF", Some(0x4d2)),
            ("::1", None),
            (":1", None),
        ];
        for (s, partial) in bad {
            let got = string_to_ipv4(s.as_bytes()).map_err(|e| e.map(u32::from));
            assert_eq!(got, Err(*partial), "{s:?}");
        }
    }

    /// Wine's Windows-run test_WSAStringToAddress, IPv6.
    #[test]
    fn string_to_ipv6_table() {
        let p = |s: &str| string_to_ipv6(s.as_bytes());
        assert_eq!(p("::1"), Some("[::1]:0".parse().unwrap()));
        assert_eq!(p("[::1]"), Some("[::1]:0".parse().unwrap()));
        assert_eq!(p("[::1]:65535"), Some("[::1]:65535".parse().unwrap()));
        assert_eq!(p("2001::1"), Some("[2001::1]:0".parse().unwrap()));
        assert_eq!(p("001::1"), Some("[1::1]:0".parse().unwrap()));
        assert_eq!(p("[fe80::1%4]:80"), Some("[fe80::1%4]:80".parse().unwrap()));
        for bad in [
            "::1]:65535",
            "::1:2:3:4:5:6:7",
            "1.2.3.4",
            "1:2:3:",
            "",
            "[::1",
            "[::1]x",
        ] {
            assert_eq!(p(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn hostent_layout_is_windows() {
        let h = Host {
            name: "example".into(),
            aliases: vec!["alias1".into(), "a2".into()],
            addrtype: AF_INET,
            addrs: vec![vec![1, 2, 3, 4], vec![5, 6, 7, 8]],
        };
        let mut buf = Vec::new();
        let he = pack_hostent(&mut buf, &h);
        // SAFETY: `he` and everything it points to live in `buf`, alive here.
        unsafe {
            let he = &*he;
            let after = (he as *const HOSTENT).add(1).cast::<*mut c_char>();
            // Wine's test_dns (run on Windows): aliases right after the structure, the
            // address list after the aliases, the first address after the list.
            assert_eq!(he.h_aliases.cast_const(), after);
            assert_eq!(he.h_addr_list.cast_const(), after.add(3));
            assert_eq!(
                he.h_addr_list.read().cast_const(),
                after.add(6).cast::<c_char>()
            );
            assert_eq!((he.h_addrtype, he.h_length), (2, 4));
            assert_eq!(CStr::from_ptr(he.h_name).to_str(), Ok("example"));
            assert_eq!(
                CStr::from_ptr(he.h_aliases.add(1).read()).to_str(),
                Ok("a2")
            );
            assert!(he.h_aliases.add(2).read().is_null());
            let second = std::slice::from_raw_parts(he.h_addr_list.add(1).read().cast::<u8>(), 4);
            assert_eq!(second, [5, 6, 7, 8]);
            assert!(he.h_addr_list.add(2).read().is_null());
        }
    }

    /// Ports whose network-order value is negative as a short (443 is 0xBB01) are found.
    #[test]
    fn services_by_port_above_the_sign_bit() {
        if !std::path::Path::new("/etc/services").exists() {
            eprintln!("SKIPPED: no /etc/services");
            return;
        }
        assert_eq!(
            service_by_port(443, Some("tcp")).map(|s| s.name).as_deref(),
            Some("https")
        );
        assert_eq!(
            service_by_name("https", Some("tcp")).map(|s| s.port),
            Some(443)
        );
    }

    /// Wine's Windows-run test_getprotobyname / test_getprotobynumber: every name and
    /// alias, the all-caps name, and no other number in -1..=256.
    #[test]
    fn protocol_table() {
        for &(p, name, alias) in PROTOCOLS {
            assert_eq!(protocol_by_name(name).map(|e| e.0), Some(p));
            assert_eq!(protocol_by_name(alias).map(|e| e.0), Some(p));
            assert_eq!(protocol_by_name(&name.to_uppercase()).map(|e| e.0), Some(p));
            assert_eq!(
                protocol_by_number(i32::from(p)).map(|e| (e.1, e.2)),
                Some((name, alias))
            );
        }
        let known = (-1..=256)
            .filter(|&n| protocol_by_number(n).is_some())
            .count();
        assert_eq!(known, PROTOCOLS.len());
        assert_eq!(protocol_by_name("nonexistent"), None);
        let mut buf = Vec::new();
        let pe = pack_protoent(&mut buf, protocol_by_name("tcp").unwrap());
        // SAFETY: pe and its strings live in buf, alive here.
        unsafe {
            assert_eq!((*pe).p_proto, 6);
            assert_eq!(CStr::from_ptr((*pe).p_name).to_str(), Ok("tcp"));
            assert_eq!(CStr::from_ptr((*pe).p_aliases.read()).to_str(), Ok("TCP"));
            assert!((*pe).p_aliases.add(1).read().is_null());
        }
    }

    #[test]
    fn gai_messages() {
        assert_eq!(gai_message(WSAHOST_NOT_FOUND), "No such host is known. ");
        assert_eq!(gai_message(12345), "");
    }
}
