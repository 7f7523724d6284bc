//! `getaddrinfo`, `freeaddrinfo`, `GetAddrInfoW`, `FreeAddrInfoW`: the safe core and the
//! exports.

use std::ffi::{CStr, CString, c_char};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::capi::addr::{AF_INET, AF_INET6, parse_ipv6};
use crate::capi::sockets::sockaddr_bytes;
use crate::capi::{ensure_started, fail, ffi};
use crate::error::{WSAEAFNOSUPPORT, WSAEFAULT, WSAEINVAL, WSAESOCKTNOSUPPORT};

use super::*;

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

/// The C library's `getaddrinfo` for `node` (NULL for the wildcard/loopback address),
/// with the hints' family and the flags it shares with Windows, one entry per address:
/// the addresses (port 0; an IPv6 scope kept) and the canonical name.
pub(super) fn system_lookup(
    node: Option<&str>,
    h: &Hints,
) -> Result<(Vec<SocketAddr>, Option<String>), i32> {
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

/// The addresses of `node` (port 0) and its canonical name, for `getaddrinfo` and
/// `gethostbyname`. On a thread on a simulated network (docs/simulation.md) a host's name
/// is that host's addresses, of the hints' family ([`crate::sys::sim::lookup_name`]);
/// numeric strings, `"localhost"` and the machine's own name resolve as on the system (the
/// hosts have the loopback addresses), and any other name is `WSAHOST_NOT_FOUND`, as an
/// unknown name is on Windows. Elsewhere: [`system_lookup`].
pub(super) fn lookup(
    node: Option<&str>,
    h: &Hints,
) -> Result<(Vec<SocketAddr>, Option<String>), i32> {
    let Some(name) = node.filter(|_| h.flags & AI_NUMERICHOST == 0) else {
        return system_lookup(node, h);
    };
    let Some(found) = crate::sys::sim::lookup_name(name) else {
        return system_lookup(node, h);
    };
    let Some((canon, ips)) = found else {
        if name.eq_ignore_ascii_case("localhost") || is_own_name(Some(name)) {
            return system_lookup(node, h);
        }
        let numeric = Hints {
            flags: h.flags | AI_NUMERICHOST,
            ..*h
        };
        return system_lookup(node, &numeric).map_err(|_| WSAHOST_NOT_FOUND);
    };
    let addrs: Vec<SocketAddr> = ips
        .into_iter()
        .filter(|ip| match h.family {
            AF_INET => ip.is_ipv4(),
            AF_INET6 => ip.is_ipv6(),
            _ => true,
        })
        .map(|ip| SocketAddr::new(ip, 0))
        .collect();
    if addrs.is_empty() {
        // No address of the family: as EAI_ADDRFAMILY ([`wsa_from_eai`]).
        return Err(WSAHOST_NOT_FOUND);
    }
    Ok((addrs, Some(canon)))
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
pub(super) fn is_own_name(node: Option<&str>) -> bool {
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
    let (addrs, canon) = match self::lookup(lookup, hints) {
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

/// One result as allocated here: the `ADDRINFO` first (so a pointer to it is a pointer to
/// the node), its address and its canonical name in the same allocation.
#[repr(C)]
struct Node<C> {
    info: AddrInfo<C>,
    addr: [u8; SIN6_LEN],
    canon: Vec<C>,
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
    ffi(crate::capi::WSASYSCALLFAILURE, || {
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
    ffi(crate::capi::WSASYSCALLFAILURE, || {
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
