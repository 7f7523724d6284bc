//! Byte order and address conversion: `htons`, `htonl`, `ntohs`, `ntohl`, `inet_addr`,
//! `inet_pton`, `inet_ntop`, exported as `wsaevents_<name>` (POSIX has the same names; the
//! headers map them).
//!
//! The parsers and the formatter follow Windows (ntdll's `RtlIpv4StringToAddress`,
//! `RtlIpv6StringToAddress`, `RtlIpv6AddressToString`), as pinned down by the Windows-run
//! checks of Wine's `dlls/ws2_32/tests/protocol.c` (`test_inet_addr`, `test_inet_pton`,
//! `test_addr_to_print`):
//!
//! * `inet_addr` is the permissive BSD syntax: 1 to 4 parts (`a`, `a.b`, `a.b.c`,
//!   `a.b.c.d`, the last part filling the remaining bytes), each decimal, octal (`0` prefix)
//!   or hex (`0x` prefix); the address may be followed by a whitespace character and
//!   anything after it; `" "` (a single space) is 0. Anything else is `INADDR_NONE`, with the
//!   last error untouched, except NULL: `INADDR_NONE` with `WSAEFAULT`.
//! * `inet_pton(AF_INET)` is strict: four decimal parts 0-255 without leading zeros and
//!   nothing after. As on Windows, when four parts parse but something follows
//!   (`"1.2.3.4:80"`, `"1.2.3.4 "`), the address is still stored and 0 returned.
//!   `inet_pton(AF_INET6)` takes the RFC 4291 text forms (no zone, no brackets); a leading
//!   `::` followed by seven groups is refused, as Windows does. Invalid input returns 0
//!   with the last error untouched (on an IPv6 failure Windows may have written part of
//!   the buffer; this library leaves it alone).
//! * `inet_ntop` formats IPv6 with the longest run (of at least two) zero groups
//!   compressed, the first one on ties, and an IPv4 tail for IPv4-compatible, -mapped,
//!   -translated and ISATAP addresses. A too-small buffer (or NULL) gives `NULL` with
//!   `WSAEINVAL`: Windows 7's code (current Windows reports the raw NTSTATUS 0xC000000D).
//!
//! Family values are Windows': `AF_INET` = 2, `AF_INET6` = 23. None of these functions
//! needs `WSAStartup`.

use std::ffi::{CStr, c_char, c_void};
use std::fmt::Write as _;

use super::{fail, ffi};
use crate::error::{WSAEAFNOSUPPORT, WSAEFAULT, WSAEINVAL};

/// Windows' `AF_INET`.
pub const AF_INET: i32 = 2;
/// Windows' `AF_INET6` (23; Linux uses 10, macOS 30).
pub const AF_INET6: i32 = 23;
/// `INADDR_NONE`.
pub const INADDR_NONE: u32 = 0xFFFF_FFFF;

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// One part of a permissive IPv4 address at `s[i..]`: (value, index after it).
pub(crate) fn loose_part(s: &[u8], i: usize) -> Option<(u32, usize)> {
    let at = |k: usize| s.get(k).copied().unwrap_or(0);
    if !at(i).is_ascii_digit() {
        return None;
    }
    if at(i) == b'0' && matches!(at(i + 1), b'x' | b'X') {
        let mut j = i + 2;
        let mut v: u32 = 0;
        while let Some(d) = (at(j) as char).to_digit(16) {
            v = (v << 4) | d; // Windows keeps the low 32 bits ("0x123456789" is 0x23456789)
            j += 1;
        }
        return (j > i + 2).then_some((v, j));
    }
    let radix = if at(i) == b'0' { 8 } else { 10 };
    let mut j = i;
    let mut v: u32 = 0;
    while at(j).is_ascii_digit() {
        let d = u32::from(at(j) - b'0');
        if d >= radix {
            return None; // "08"
        }
        v = v.checked_mul(radix)?.checked_add(d)?;
        j += 1;
    }
    Some((v, j))
}

/// `RtlIpv4StringToAddress(Strict = FALSE)`: (address in host order, terminator index).
pub fn parse_ipv4_loose(s: &[u8]) -> Option<(u32, usize)> {
    let mut parts = [0u32; 4];
    let mut n = 0;
    let mut i = 0;
    loop {
        let (v, j) = loose_part(s, i)?;
        parts[n] = v;
        n += 1;
        i = j;
        if s.get(i) == Some(&b'.') {
            if n == 4 {
                return None;
            }
            i += 1;
        } else {
            break;
        }
    }
    let last_max = u32::MAX >> (8 * (n - 1));
    if parts[..n - 1].iter().any(|&p| p > 255) || parts[n - 1] > last_max {
        return None;
    }
    let addr = parts[..n - 1]
        .iter()
        .enumerate()
        .fold(parts[n - 1], |a, (k, &p)| a | (p << (24 - 8 * k)));
    Some((addr, i))
}

/// `inet_addr`'s rule on top of the permissive parser (host order), `None` for INADDR_NONE.
pub fn inet_addr_host(s: &[u8]) -> Option<u32> {
    if s == b" " {
        return Some(0);
    }
    let (addr, end) = parse_ipv4_loose(s)?;
    (end == s.len() || is_space(s[end])).then_some(addr)
}

/// `RtlIpv4StringToAddress(Strict = TRUE)` as `inet_pton` uses it: the address if four
/// parts parsed (even if something follows), and whether the whole string was the address.
pub fn parse_ipv4_strict(s: &[u8]) -> (Option<[u8; 4]>, bool) {
    let mut out = [0u8; 4];
    let mut i = 0;
    for (k, byte) in out.iter_mut().enumerate() {
        if k > 0 {
            if s.get(i) != Some(&b'.') {
                return (None, false);
            }
            i += 1;
        }
        let start = i;
        let mut v: u32 = 0;
        while let Some(c) = s.get(i).filter(|c| c.is_ascii_digit()) {
            v = v * 10 + u32::from(c - b'0');
            i += 1;
            if v > 255 {
                return (None, false);
            }
        }
        let leading_zero = s[start..].first() == Some(&b'0')
            && matches!(s.get(start + 1), Some(c) if c.is_ascii_digit() || *c == b'x' || *c == b'X');
        if i == start || leading_zero {
            return (None, false);
        }
        *byte = v as u8;
    }
    if s.get(i) == Some(&b'.') {
        return (None, false); // a fifth part
    }
    (Some(out), i == s.len())
}

/// An IPv4 tail inside an IPv6 address: four decimal parts of 1-3 digits (leading zeros
/// allowed), 0-255, ending the string.
fn parse_ipv4_tail(s: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut fields = s.split(|&c| c == b'.');
    for byte in &mut out {
        let f = fields.next()?;
        if f.is_empty() || f.len() > 3 || !f.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let v = f.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'));
        *byte = u8::try_from(v).ok()?;
    }
    fields.next().is_none().then_some(out)
}

/// `RtlIpv6StringToAddress` as `inet_pton(AF_INET6)` uses it: the 16 address bytes.
pub fn parse_ipv6(s: &[u8]) -> Option<[u8; 16]> {
    let mut groups: Vec<u16> = Vec::with_capacity(8);
    let mut gap: Option<usize> = None;
    let mut i = 0;
    if s.starts_with(b"::") {
        gap = Some(0);
        i = 2;
    } else if s.first() == Some(&b':') {
        return None;
    }
    while i < s.len() {
        let start = i;
        while s.get(i).is_some_and(u8::is_ascii_hexdigit) {
            i += 1;
        }
        if s.get(i) == Some(&b'.') {
            let [a, b, c, d] = parse_ipv4_tail(&s[start..])?;
            groups.push(u16::from_be_bytes([a, b]));
            groups.push(u16::from_be_bytes([c, d]));
            i = s.len();
            break;
        }
        let digits = &s[start..i];
        if digits.is_empty() || digits.len() > 4 || groups.len() == 8 {
            return None;
        }
        let text = std::str::from_utf8(digits).ok()?;
        groups.push(u16::from_str_radix(text, 16).ok()?);
        if i == s.len() {
            break;
        }
        if s[i] != b':' {
            return None;
        }
        i += 1;
        if s.get(i) == Some(&b':') {
            if gap.is_some() {
                return None;
            }
            gap = Some(groups.len());
            i += 1;
        } else if i == s.len() {
            return None; // a trailing single colon
        }
    }
    debug_assert_eq!(i, s.len());
    let mut words = [0u16; 8];
    match gap {
        None if groups.len() == 8 => words.copy_from_slice(&groups),
        None => return None,
        Some(at) => {
            // "::" stands for at least one group; Windows also refuses a leading "::"
            // followed by seven groups.
            if groups.len() >= 8 || (at == 0 && groups.len() == 7) {
                return None;
            }
            let tail = groups.len() - at;
            words[..at].copy_from_slice(&groups[..at]);
            words[8 - tail..].copy_from_slice(&groups[at..]);
        }
    }
    let mut out = [0u8; 16];
    for (k, w) in words.iter().enumerate() {
        out[2 * k..2 * k + 2].copy_from_slice(&w.to_be_bytes());
    }
    Some(out)
}

/// The IPv4 dotted form of 4 address bytes.
pub fn format_ipv4(b: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
}

/// `RtlIpv6AddressToString`: Windows' text form of 16 address bytes.
pub fn format_ipv6(b: &[u8; 16]) -> String {
    let w: [u16; 8] = std::array::from_fn(|k| u16::from_be_bytes([b[2 * k], b[2 * k + 1]]));
    let isatap = w[5] == 0x5efe && w[4] & !0x0200 == 0;
    let v4_tail = isatap
        || (w[..4] == [0; 4]
            && match w[4] {
                0 => w[5] == 0 || w[5] == 0xffff,
                0xffff => w[5] == 0,
                _ => false,
            }
            && w[6] != 0);
    let end = if v4_tail { 6 } else { 8 };
    // The longest run of zero groups (of at least 2), the first on ties.
    let (mut gap, mut gap_len) = (usize::MAX, 1);
    let mut i = 0;
    while i < end {
        let run = w[i..end].iter().take_while(|&&x| x == 0).count();
        if run > gap_len {
            (gap, gap_len) = (i, run);
        }
        i += run.max(1);
    }
    let mut out = String::with_capacity(46);
    let mut i = 0;
    while i < end {
        if i == gap {
            out.push(':');
            i += gap_len;
            if i == end {
                out.push(':');
            }
            continue;
        }
        if i > 0 {
            out.push(':');
        }
        let _ = write!(out, "{:x}", w[i]);
        i += 1;
    }
    if v4_tail {
        if !out.ends_with(':') {
            out.push(':');
        }
        out.push_str(&format_ipv4([b[12], b[13], b[14], b[15]]));
    }
    out
}

/// `u_short htons(u_short)`, exported as `wsaevents_htons`.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_htons(host: u16) -> u16 {
    ffi(0, || host.to_be())
}

/// `u_long htonl(u_long)` (32-bit), exported as `wsaevents_htonl`.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_htonl(host: u32) -> u32 {
    ffi(0, || host.to_be())
}

/// `u_short ntohs(u_short)`, exported as `wsaevents_ntohs`.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_ntohs(net: u16) -> u16 {
    ffi(0, || u16::from_be(net))
}

/// `u_long ntohl(u_long)` (32-bit), exported as `wsaevents_ntohl`.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_ntohl(net: u32) -> u32 {
    ffi(0, || u32::from_be(net))
}

/// `unsigned long inet_addr(const char*)` (32-bit), exported as `wsaevents_inet_addr`: the
/// address in network order, or `INADDR_NONE` (NULL also sets `WSAEFAULT`).
///
/// # Safety
/// `cp` must be NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_inet_addr(cp: *const c_char) -> u32 {
    ffi(INADDR_NONE, || {
        if cp.is_null() {
            return fail(WSAEFAULT, INADDR_NONE);
        }
        // SAFETY: non-NULL and NUL-terminated by the caller's contract.
        let s = unsafe { CStr::from_ptr(cp) }.to_bytes();
        inet_addr_host(s).map_or(INADDR_NONE, u32::to_be)
    })
}

/// `INT inet_pton(INT Family, PCSTR, PVOID)`, exported as `wsaevents_inet_pton`: 1, 0 (not
/// an address; last error untouched), or -1 with `WSAEFAULT` / `WSAEAFNOSUPPORT`.
///
/// # Safety
/// `src` must be NULL or a NUL-terminated string; `dst` must be NULL or writable for 4
/// (`AF_INET`) or 16 (`AF_INET6`) bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_inet_pton(
    family: i32,
    src: *const c_char,
    dst: *mut c_void,
) -> i32 {
    ffi(-1, || {
        if src.is_null() || dst.is_null() {
            return fail(WSAEFAULT, -1);
        }
        // SAFETY: non-NULL and NUL-terminated by the caller's contract.
        let s = unsafe { CStr::from_ptr(src) }.to_bytes();
        let (bytes, ok): (Vec<u8>, bool) = match family {
            AF_INET => match parse_ipv4_strict(s) {
                (Some(a), ok) => (a.to_vec(), ok),
                (None, _) => return 0,
            },
            AF_INET6 => match parse_ipv6(s) {
                Some(a) => (a.to_vec(), true),
                None => return 0,
            },
            _ => return fail(WSAEAFNOSUPPORT, -1),
        };
        // SAFETY: `dst` is non-NULL and writable for the family's address size (4 or 16
        // bytes, `bytes.len()`) by the caller's contract; the source is our own Vec.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), dst.cast::<u8>(), bytes.len());
        }
        i32::from(ok)
    })
}

/// `PCSTR inet_ntop(INT Family, const VOID*, PSTR, size_t)`, exported as
/// `wsaevents_inet_ntop`: the buffer, or NULL with `WSAEAFNOSUPPORT`, `WSAEFAULT` (NULL
/// address) or `WSAEINVAL` (NULL or too-small buffer).
///
/// # Safety
/// `src` must be NULL or readable for 4 (`AF_INET`) or 16 (`AF_INET6`) bytes; `dst` must be
/// NULL or writable for `size` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_inet_ntop(
    family: i32,
    src: *const c_void,
    dst: *mut c_char,
    size: usize,
) -> *const c_char {
    let null = std::ptr::null();
    ffi(null, || {
        if dst.is_null() {
            return fail(WSAEINVAL, null);
        }
        // SAFETY: `src` is NULL or readable as the caller's contract says.
        let text = match unsafe { ntop_text(family, src) } {
            Ok(t) => t,
            Err(code) => return fail(code, null),
        };
        if text.len() + 1 > size {
            return fail(WSAEINVAL, null);
        }
        // SAFETY: `dst` is writable for `size` ≥ text.len() + 1 bytes (caller's contract,
        // checked above); the source is our own String.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr().cast::<c_char>(), dst, text.len());
            dst.add(text.len()).write(0);
        }
        dst.cast_const()
    })
}

/// The text of an `inet_ntop` / `InetNtopW` address: `WSAEFAULT` for a NULL source,
/// `WSAEAFNOSUPPORT` for a family other than `AF_INET` and `AF_INET6`.
///
/// # Safety
/// `src` must be NULL or readable for 4 (`AF_INET`) or 16 (`AF_INET6`) bytes.
pub(crate) unsafe fn ntop_text(family: i32, src: *const c_void) -> Result<String, i32> {
    match family {
        AF_INET | AF_INET6 if src.is_null() => Err(WSAEFAULT),
        AF_INET => {
            let mut a = [0u8; 4];
            // SAFETY: non-NULL and readable for 4 bytes by the caller's contract.
            unsafe { std::ptr::copy_nonoverlapping(src.cast::<u8>(), a.as_mut_ptr(), 4) };
            Ok(format_ipv4(a))
        }
        AF_INET6 => {
            let mut a = [0u8; 16];
            // SAFETY: non-NULL and readable for 16 bytes by the caller's contract.
            unsafe { std::ptr::copy_nonoverlapping(src.cast::<u8>(), a.as_mut_ptr(), 16) };
            Ok(format_ipv6(&a))
        }
        _ => Err(WSAEAFNOSUPPORT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wine test_inet_addr (Windows-run): input → inet_addr's value read as a little-endian
    /// u_long.
    #[test]
    fn inet_addr_table() {
        let none = 0xffff_ffffu32;
        for (s, le) in [
            ("0.0.0.0", 0u32),
            ("", none),
            (" 0", none),
            ("0xa1a2b3b4 ", 0xb4b3a2a1),
            (".", none),
            (" ", 0),
            ("\t", none),
            ("  ", none),
            ("127.127.127.255", 0xff7f7f7f),
            ("127.127.127.255:123", none),
            ("127.127.127.256", none),
            ("a", none),
            ("1.2.3.0xaA", 0xaa030201),
            ("1.1.1.0x", none),
            ("1.2.3.010", 0x08030201),
            ("1.2.3.00", 0x00030201),
            ("1.2.3.0a", none),
            ("1.1.1.0o10", none),
            ("1.1.1.0b10", none),
            ("1.1.1.-2", none),
            ("1", 0x01000000),
            ("1.2", 0x02000001),
            ("1.2.3", 0x03000201),
            ("203569230", 0x4e38220c),
            ("[0.1.2.3]", none),
            ("0x00010203", 0x03020100),
            ("0x2134", 0x34210000),
            ("1234BEEF", none),
            ("017700000001", 0x0100007f),
            ("0777", 0xff010000),
            ("2607:f0d0:1002:51::4", none),
            ("::177.32.45.20", none),
            ("::1/128", none),
            ("::1", none),
            (":1", none),
        ] {
            let got =
                inet_addr_host(s.as_bytes()).map_or(none, |a| u32::from_le_bytes(a.to_be_bytes()));
            assert_eq!(got, le, "{s:?}");
        }
        for c in 1u8..=255 {
            if c.is_ascii_digit() {
                continue;
            }
            let s = [b'1', b'.', b'2', b'.', b'3', c];
            let want = if is_space(c) { Some(0x01020003) } else { None };
            assert_eq!(inet_addr_host(&s), want, "{c:#x}");
        }
    }

    /// Wine test_inet_pton (Windows-run), IPv4: (input, return, stored?).
    #[test]
    fn inet_pton_v4_table() {
        for (s, ok, stored) in [
            ("", false, None),
            (" ", false, None),
            ("1.1.1.1", true, Some([1, 1, 1, 1])),
            ("0.0.0.0", true, Some([0, 0, 0, 0])),
            ("127.127.127.255", true, Some([127, 127, 127, 255])),
            ("127.127.127.255:123", false, Some([127, 127, 127, 255])),
            ("127.127.127.256", false, None),
            ("a", false, None),
            ("1.1.1.0xaA", false, None),
            ("1.1.1.0x", false, None),
            ("1.1.1.010", false, None),
            ("1.1.1.00", false, None),
            ("1.1.1.0a", false, Some([1, 1, 1, 0])),
            ("1.1.1.0o10", false, Some([1, 1, 1, 0])),
            ("1.1.1.-2", false, None),
            ("1", false, None),
            ("1.2", false, None),
            ("1.2.3", false, None),
            ("203569230", false, None),
            ("3.4.5.6.7", false, None),
            (" 3.4.5.6", false, None),
            ("3.4.5.6 ", false, Some([3, 4, 5, 6])),
            ("3. 4.5.6", false, None),
            ("[0.1.2.3]", false, None),
            ("0x00010203", false, None),
            ("017700000001", false, None),
            ("0777", false, None),
            ("::1", false, None),
        ] {
            assert_eq!(parse_ipv4_strict(s.as_bytes()), (stored, ok), "{s:?}");
        }
    }

    /// Wine test_inet_pton (Windows-run), IPv6: validity.
    #[test]
    fn inet_pton_v6_table() {
        for s in [
            "0000:0000:0000:0000:0000:0000:0000:0001",
            "0:0:0:0:0:0:0::",
            "0:0:0:0:0:0:13.1.68.3",
            "0:0:0:0:0:FFFF:129.144.52.38",
            "0::",
            "0:a:b:c:d:e:f::",
            "1111:2222:3333:4444:5555:6666:123.123.123.123",
            "1111:2222:3333:4444:5555::123.123.123.123",
            "1111::",
            "1111::3333:4444:5555:6666:7777:8888",
            "1:2:3:4:5:6::8",
            "2001:db8:85a3::8a2e:370:7334",
            "::",
            "::0:0:0:0:0:0",
            "::123.123.123.123",
            "1::001.2.3.4",
            "1::1.002.3.4",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        ] {
            assert!(parse_ipv6(s.as_bytes()).is_some(), "{s:?} should parse");
        }
        for s in [
            "1111:2222:3333:4444:0x5555:6666:7777:8888",
            "1111:2222:3333:4444:5555:6666::7777:8888",
            "1111:2222:3333:4444:5555::0x88",
            "1111:2222:3333:4444:5555::08888",
            "::%16",
            "::/16",
            "::01234",
            "::0:0:0:0:0:0:0",
            "::0:a:b:c:d:e:f",
            "':10.0.0.1",
            "-1",
            "02001:0000:1234:0000:0000:C1C0:ABCD:0876",
            "2001:0::b.0",
            "1.2.3.4",
            "1111",
            "1111:2222:",
            "1111:2222:1.2.3.4",
            "1111:2222:3333:4444:5555:6666::1.2.3.4",
            "1111:2222:3333:4444:5555:6666:7777:8888:",
            "1111:2222:3333:4444:5555:6666:7777:8888:9999",
            "1111:2222:::",
            "1111::5555:",
            "1111::3333::5555:6666:1.2.3.4",
            "1::0001.2.3.4",
            "1::1.2.3.256",
            "1::1.2.3.4::1",
            "1::1.2",
            "1::1a.2.3.4",
            "2001:0000:1234:0000:0000:C1C0:ABCD:0876  0",
            ":",
            ":1111::",
            "::.",
            "[::]",
        ] {
            assert!(parse_ipv6(s.as_bytes()).is_none(), "{s:?} should not parse");
        }
        let a = parse_ipv6(b"2001:db8:85a3::8a2e:370:7334").unwrap();
        assert_eq!(
            a,
            [
                0x20, 1, 0xd, 0xb8, 0x85, 0xa3, 0, 0, 0, 0, 0x8a, 0x2e, 3, 0x70, 0x73, 0x34
            ]
        );
    }

    /// Wine test_addr_to_print / test_WSAAddressToString (Windows-run) and round trips.
    #[test]
    fn ipv6_formatting() {
        let f = |s: &str| format_ipv6(&parse_ipv6(s.as_bytes()).unwrap());
        assert_eq!(f("::fffe:cc98:bd74"), "::fffe:cc98:bd74");
        assert_eq!(f("2030:a4b1::"), "2030:a4b1::");
        assert_eq!(f("::204.152.189.116"), "::204.152.189.116");
        assert_eq!(f("::1"), "::1");
        assert_eq!(f("::"), "::");
        assert_eq!(f("20ab::1"), "20ab::1");
        assert_eq!(f("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
        assert_eq!(f("::ffff:0:1.2.3.4"), "::ffff:0:1.2.3.4");
        assert_eq!(f("1:0:1:0:1:0:1:0"), "1:0:1:0:1:0:1:0");
        assert_eq!(f("1:0:0:1:0:0:1:1"), "1::1:0:0:1:1");
        assert_eq!(f("1:0:0:1:0:0:0:1"), "1:0:0:1::1");
        assert_eq!(f("fe80::5efe:10.0.0.1"), "fe80::5efe:10.0.0.1");
        assert_eq!(f("2001:DB8::1"), "2001:db8::1");
    }
}
