//! Windows' address strings: `WSAAddressToStringA/W` and `WSAStringToAddressA/W`.

use std::ffi::{CStr, c_char, c_int, c_void};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::capi::addr::{AF_INET, AF_INET6, loose_part, parse_ipv4_loose, parse_ipv6};
use crate::capi::sockets::{read_sockaddr, sockaddr_bytes};
use crate::capi::{ensure_started, fail, ffi};
use crate::error::{WSAEFAULT, WSAEINVAL};

use super::*;

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
