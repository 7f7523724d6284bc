//! `getprotobyname` and `getprotobynumber`: Windows' built-in protocol table and the
//! `protoent` calls.

use std::cell::RefCell;
use std::ffi::{c_char, c_int};

use crate::capi::{ensure_started, fail, ffi};

use super::*;

thread_local! {
    static PROTOENT_BUF: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
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

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;

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
}
