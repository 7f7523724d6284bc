//! `inet_ntoa`, `InetPtonW`, `InetNtopW`.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void};

use crate::capi::addr::{AF_INET, AF_INET6, format_ipv4, parse_ipv4_strict, parse_ipv6};
use crate::capi::{fail, ffi};
use crate::error::{WSAEAFNOSUPPORT, WSAEFAULT, WSAEINVAL};

use super::*;

thread_local! {
    static NTOA_BUF: RefCell<[c_char; 16]> = const { RefCell::new([0; 16]) };
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
        let text = match unsafe { crate::capi::addr::ntop_text(family, src) } {
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
