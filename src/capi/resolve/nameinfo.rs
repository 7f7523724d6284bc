//! `getnameinfo` and `GetNameInfoW`: the safe core and the exports.

use std::ffi::{CStr, c_char, c_int, c_void};
use std::net::SocketAddr;

use crate::capi::addr::{format_ipv4, format_ipv6};
use crate::capi::sockets::read_sockaddr;
use crate::capi::{ensure_started, fail, ffi};
use crate::error::{WSAEFAULT, WSAEINVAL};

use super::*;

/// Windows' numeric text for an address: `inet_ntop`'s, with `%scope` for a scoped IPv6
/// address.
pub(super) fn numeric_host(addr: &SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => format_ipv4(a.ip().octets()),
        SocketAddr::V6(a) if a.scope_id() != 0 => {
            format!("{}%{}", format_ipv6(&a.ip().octets()), a.scope_id())
        }
        SocketAddr::V6(a) => format_ipv6(&a.ip().octets()),
    }
}

/// The host name of an address from the system resolver (`NI_NAMEREQD`), or its error. On
/// a thread on a simulated network: the name of the host with that address
/// ([`crate::sys::sim::lookup_addr`]); a loopback address as on the system; any other
/// address has no name (`WSAHOST_NOT_FOUND`).
pub(super) fn reverse_lookup(addr: &SocketAddr) -> Result<String, i32> {
    if let Some(found) = crate::sys::sim::lookup_addr(addr.ip()) {
        match found {
            Some(name) => return Ok(name),
            None if !addr.ip().is_loopback() => return Err(WSAHOST_NOT_FOUND),
            None => {}
        }
    }
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
    // SAFETY: by the caller's contract.
    unsafe {
        getnameinfo_into(sa, salen, host, hostlen, serv, servlen, flags, |t| {
            t.bytes().map(|b| b as c_char).collect()
        })
    }
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
    // SAFETY: by the caller's contract.
    unsafe {
        getnameinfo_into(sa, salen, host, hostlen, serv, servlen, flags, |t| {
            let mut w = to_wide(t);
            w.pop();
            w
        })
    }
}

/// The body of both spellings: `encode` gives a result's units without the NUL; each
/// result must fit its buffer with its NUL (else `WSAEFAULT`, nothing written).
///
/// # Safety
/// As for [`wsaevents_getnameinfo`], buffers in units of `C`.
#[allow(clippy::too_many_arguments)]
unsafe fn getnameinfo_into<C: Copy + Default>(
    sa: *const c_void,
    salen: c_int,
    host: *mut C,
    hostlen: u32,
    serv: *mut C,
    servlen: u32,
    flags: c_int,
    encode: impl Fn(&str) -> Vec<C>,
) -> i32 {
    ffi(crate::capi::WSASYSCALLFAILURE, || {
        let want_host = !host.is_null() && hostlen > 0;
        let want_serv = !serv.is_null() && servlen > 0;
        // SAFETY: by the caller's contract.
        let r = unsafe { getnameinfo_common(sa, salen, want_host, want_serv, flags) };
        let (h, s) = match r {
            Ok(v) => v,
            Err(code) => return gai_fail(code),
        };
        let (h, s) = (h.map(|t| encode(&t)), s.map(|t| encode(&t)));
        if s.as_ref().is_some_and(|t| t.len() >= servlen as usize)
            || h.as_ref().is_some_and(|t| t.len() >= hostlen as usize)
        {
            return gai_fail(WSAEFAULT);
        }
        // SAFETY: each buffer is writable for its size (caller's contract); both fit.
        unsafe {
            if let Some(t) = s {
                let _ = put(serv, servlen as usize, &t, C::default());
            }
            if let Some(t) = h {
                let _ = put(host, hostlen as usize, &t, C::default());
            }
        }
        fail(0, 0)
    })
}
