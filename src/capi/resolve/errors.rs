//! Errors: the C library's `EAI_*` codes as Winsock's, how the resolver functions fail, and
//! `gai_strerrorA/W`.

use std::cell::RefCell;
use std::ffi::{c_char, c_int};

use crate::capi::{fail, ffi};
use crate::error::{
    WSA_NOT_ENOUGH_MEMORY, WSAEAFNOSUPPORT, WSAEFAULT, WSAEINVAL, WSAESOCKTNOSUPPORT, WSATRY_AGAIN,
};

use super::*;

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

/// Fails with `code` as Windows' resolver functions do: returned and stored.
pub(super) fn gai_fail(code: i32) -> i32 {
    fail(code, code)
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
