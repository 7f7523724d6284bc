//! C helpers: C and wide strings in and out.

use std::ffi::{CStr, c_char};

use crate::error::WSAEFAULT;

use super::*;

/// A NUL-terminated C string as `&str` (`None` for NULL; invalid UTF-8 is replaced).
///
/// # Safety
/// `p` must be NULL or NUL-terminated, alive for the returned lifetime.
pub(super) unsafe fn c_str<'a>(p: *const c_char) -> Option<std::borrow::Cow<'a, str>> {
    // SAFETY: by the caller's contract.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy())
}

/// A NUL-terminated wide string as a `String` (`None` for NULL; a unit that is not a
/// Unicode scalar becomes U+FFFD).
///
/// # Safety
/// `p` must be NULL or NUL-terminated.
pub(super) unsafe fn w_str(p: *const WChar) -> Option<String> {
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
pub(super) fn to_wide(s: &str) -> Vec<WChar> {
    s.chars().map(|c| c as u32 as WChar).chain([0]).collect()
}

/// Copies `text` and a NUL into `buf` (`cap` units), or `WSAEFAULT` if it does not fit.
///
/// # Safety
/// `buf` writable for `cap` units.
pub(super) unsafe fn put<C: Copy>(buf: *mut C, cap: usize, text: &[C], nul: C) -> Result<(), i32> {
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
