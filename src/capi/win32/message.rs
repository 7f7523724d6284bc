//! `FormatMessageA` / `FormatMessageW` with `FORMAT_MESSAGE_FROM_SYSTEM`: the message text an
//! English (en-US) Windows gives for the Winsock error codes and the Win32 codes this library
//! sets, byte for byte, each ending in `"\r\n"` as Windows' message table stores it.
//!
//! The texts are those of Windows' system message table (`winerror.h`'s message
//! definitions; ReactOS's `sdk/include/reactos/mc/errcodes.mc` keeps the same English texts
//! for the WSA codes, and Microsoft's "System Error Codes" reference pages list them).
//!
//! Flags (Windows' rules):
//!
//! * `FORMAT_MESSAGE_FROM_SYSTEM` is required; `FROM_HMODULE` with a NULL module may come
//!   with it (the program has no message table, so the system's is used). `FROM_HMODULE`
//!   alone: `ERROR_RESOURCE_TYPE_NOT_FOUND` (1813). `FROM_STRING` is not provided:
//!   `ERROR_INVALID_PARAMETER` (87).
//! * `FORMAT_MESSAGE_ALLOCATE_BUFFER`: `lpBuffer` is really a pointer to a pointer that
//!   receives a `LocalAlloc` block of at least `nSize` characters (free it with
//!   `LocalFree`); otherwise the text and its NUL must fit in `nSize` characters, else
//!   `ERROR_INSUFFICIENT_BUFFER` (122).
//! * `FORMAT_MESSAGE_IGNORE_INSERTS` and `Arguments`: none of these texts has an insert, so
//!   they change nothing.
//! * `FORMAT_MESSAGE_MAX_WIDTH_MASK` (width 0xFF): the line breaks of the text are ignored
//!   and each becomes a space, so the text ends in `" "` instead of `"\r\n"`, as on
//!   Windows. Other widths (1–254, line wrapping) are treated as no limit: a deliberate
//!   deviation (docs/porting.md); none of these texts is multi-line.
//! * Languages: 0 (the default search), `LANG_USER_DEFAULT`, `LANG_SYSTEM_DEFAULT`,
//!   `LANG_NEUTRAL`/any sub-language, `LANG_ENGLISH`/neutral, default or US; anything else is
//!   `ERROR_RESOURCE_LANG_NOT_FOUND` (1815), as on an English Windows without language packs.
//! * An unknown message id: `ERROR_MR_MID_NOT_FOUND` (317). A NULL `lpBuffer`:
//!   `ERROR_INVALID_PARAMETER` (87). An `HRESULT_FROM_WIN32` value (`0x8007xxxx`) has its
//!   Win32 code's text, as on Windows.
//!
//! Returns the number of characters stored, without the NUL; 0 on failure.

use std::ffi::{c_char, c_void};

use super::WChar;
use super::memory;
use crate::capi::{fail, ffi};

/// `FORMAT_MESSAGE_ALLOCATE_BUFFER`.
pub const FORMAT_MESSAGE_ALLOCATE_BUFFER: u32 = 0x0100;
/// `FORMAT_MESSAGE_IGNORE_INSERTS`.
pub const FORMAT_MESSAGE_IGNORE_INSERTS: u32 = 0x0200;
/// `FORMAT_MESSAGE_FROM_STRING`.
pub const FORMAT_MESSAGE_FROM_STRING: u32 = 0x0400;
/// `FORMAT_MESSAGE_FROM_HMODULE`.
pub const FORMAT_MESSAGE_FROM_HMODULE: u32 = 0x0800;
/// `FORMAT_MESSAGE_FROM_SYSTEM`.
pub const FORMAT_MESSAGE_FROM_SYSTEM: u32 = 0x1000;
/// `FORMAT_MESSAGE_MAX_WIDTH_MASK`.
pub const FORMAT_MESSAGE_MAX_WIDTH_MASK: u32 = 0x00FF;

/// `ERROR_INVALID_PARAMETER`.
pub const ERROR_INVALID_PARAMETER: i32 = 87;
/// `ERROR_INSUFFICIENT_BUFFER`.
pub const ERROR_INSUFFICIENT_BUFFER: i32 = 122;
/// `ERROR_MR_MID_NOT_FOUND`: no message for the id.
pub const ERROR_MR_MID_NOT_FOUND: i32 = 317;
/// `ERROR_RESOURCE_TYPE_NOT_FOUND`: `FROM_HMODULE` without `FROM_SYSTEM`.
pub const ERROR_RESOURCE_TYPE_NOT_FOUND: i32 = 1813;
/// `ERROR_RESOURCE_LANG_NOT_FOUND`: a language the system has no messages in.
pub const ERROR_RESOURCE_LANG_NOT_FOUND: i32 = 1815;
/// `ERROR_NOT_ENOUGH_MEMORY`.
pub const ERROR_NOT_ENOUGH_MEMORY: i32 = 8;

/// The system message table: (code, text without the final "\r\n").
const MESSAGES: &[(u32, &str)] = &[
    (0, "The operation completed successfully."),
    (1, "Incorrect function."),
    (5, "Access is denied."),
    (6, "The handle is invalid."),
    (
        8,
        "Not enough memory resources are available to process this command.",
    ),
    (
        14,
        "Not enough memory resources are available to complete this operation.",
    ),
    (50, "The request is not supported."),
    (87, "The parameter is incorrect."),
    (122, "The data area passed to a system call is too small."),
    (234, "More data is available."),
    (258, "The wait operation timed out."),
    (259, "No more data is available."),
    (
        995,
        "The I/O operation has been aborted because of either a thread exit or an application request.",
    ),
    (996, "Overlapped I/O event is not in a signaled state."),
    (997, "Overlapped I/O operation is in progress."),
    (998, "Invalid access to memory location."),
    (1004, "Invalid flags."),
    (
        1460,
        "This operation returned because the timeout period expired.",
    ),
    (
        10004,
        "A blocking operation was interrupted by a call to WSACancelBlockingCall.",
    ),
    (10009, "The file handle supplied is not valid."),
    (
        10013,
        "An attempt was made to access a socket in a way forbidden by its access permissions.",
    ),
    (
        10014,
        "The system detected an invalid pointer address in attempting to use a pointer argument in a call.",
    ),
    (10022, "An invalid argument was supplied."),
    (10024, "Too many open sockets."),
    (
        10035,
        "A non-blocking socket operation could not be completed immediately.",
    ),
    (10036, "A blocking operation is currently executing."),
    (
        10037,
        "An operation was attempted on a non-blocking socket that already had an operation in progress.",
    ),
    (
        10038,
        "An operation was attempted on something that is not a socket.",
    ),
    (
        10039,
        "A required address was omitted from an operation on a socket.",
    ),
    (
        10040,
        "A message sent on a datagram socket was larger than the internal message buffer or some other network limit, or the buffer used to receive a datagram into was smaller than the datagram itself.",
    ),
    (
        10041,
        "A protocol was specified in the socket function call that does not support the semantics of the socket type requested.",
    ),
    (
        10042,
        "An unknown, invalid, or unsupported option or level was specified in a getsockopt or setsockopt call.",
    ),
    (
        10043,
        "The requested protocol has not been configured into the system, or no implementation for it exists.",
    ),
    (
        10044,
        "The support for the specified socket type does not exist in this address family.",
    ),
    (
        10045,
        "The attempted operation is not supported for the type of object referenced.",
    ),
    (
        10046,
        "The protocol family has not been configured into the system or no implementation for it exists.",
    ),
    (
        10047,
        "An address incompatible with the requested protocol was used.",
    ),
    (
        10048,
        "Only one usage of each socket address (protocol/network address/port) is normally permitted.",
    ),
    (10049, "The requested address is not valid in its context."),
    (10050, "A socket operation encountered a dead network."),
    (
        10051,
        "A socket operation was attempted to an unreachable network.",
    ),
    (
        10052,
        "The connection has been broken due to keep-alive activity detecting a failure while the operation was in progress.",
    ),
    (
        10053,
        "An established connection was aborted by the software in your host machine.",
    ),
    (
        10054,
        "An existing connection was forcibly closed by the remote host.",
    ),
    (
        10055,
        "An operation on a socket could not be performed because the system lacked sufficient buffer space or because a queue was full.",
    ),
    (
        10056,
        "A connect request was made on an already connected socket.",
    ),
    (
        10057,
        "A request to send or receive data was disallowed because the socket is not connected and (when sending on a datagram socket using a sendto call) no address was supplied.",
    ),
    (
        10058,
        "A request to send or receive data was disallowed because the socket had already been shut down in that direction with a previous shutdown call.",
    ),
    (10059, "Too many references to some kernel object."),
    (
        10060,
        "A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond.",
    ),
    (
        10061,
        "No connection could be made because the target machine actively refused it.",
    ),
    (10062, "Cannot translate name."),
    (10063, "Name component or name was too long."),
    (
        10064,
        "A socket operation failed because the destination host was down.",
    ),
    (
        10065,
        "A socket operation was attempted to an unreachable host.",
    ),
    (10066, "Cannot remove a directory that is not empty."),
    (
        10067,
        "A Windows Sockets implementation may have a limit on the number of applications that may use it simultaneously.",
    ),
    (10068, "Ran out of quota."),
    (10069, "Ran out of disk quota."),
    (10070, "File handle reference is no longer available."),
    (10071, "Item is not available locally."),
    (
        10091,
        "WSAStartup cannot function at this time because the underlying system it uses to provide network services is currently unavailable.",
    ),
    (
        10092,
        "The Windows Sockets version requested is not supported.",
    ),
    (
        10093,
        "Either the application has not called WSAStartup, or WSAStartup failed.",
    ),
    (
        10101,
        "Returned by WSARecv or WSARecvFrom to indicate the remote party has initiated a graceful shutdown sequence.",
    ),
    (
        10102,
        "No more results can be returned by WSALookupServiceNext.",
    ),
    (
        10103,
        "A call to WSALookupServiceEnd was made while this call was still processing. The call has been canceled.",
    ),
    (10104, "The procedure call table is invalid."),
    (10105, "The requested service provider is invalid."),
    (
        10106,
        "The requested service provider could not be loaded or initialized.",
    ),
    (10107, "A system call that should never fail has failed."),
    (
        10108,
        "No such service is known. The service cannot be found in the specified name space.",
    ),
    (10109, "The specified class was not found."),
    (
        10110,
        "No more results can be returned by WSALookupServiceNext.",
    ),
    (
        10111,
        "A call to WSALookupServiceEnd was made while this call was still processing. The call has been canceled.",
    ),
    (
        10112,
        "A database query failed because it was actively refused.",
    ),
    (11001, "No such host is known."),
    (
        11002,
        "This is usually a temporary error during hostname resolution and means that the local server did not receive a response from an authoritative server.",
    ),
    (
        11003,
        "A non-recoverable error occurred during a database lookup.",
    ),
    (
        11004,
        "The requested name is valid, but no data of the requested type was found.",
    ),
];

/// The system message for `code`, as Windows stores it (ending in "\r\n").
pub fn system_message(code: u32) -> Option<String> {
    MESSAGES
        .binary_search_by_key(&code, |&(c, _)| c)
        .ok()
        .map(|i| format!("{}\r\n", MESSAGES[i].1))
}

/// Whether the system has messages in `lang` (an English Windows without language packs).
fn language_available(lang: u32) -> bool {
    if lang > 0xFFFF {
        return false;
    }
    let primary = lang & 0x3FF;
    let sub = lang >> 10;
    match primary {
        // LANG_NEUTRAL with any sub-language: neutral, user default, system default, ...
        0x00 => true,
        // LANG_ENGLISH: neutral, default / United States.
        0x09 => sub <= 1,
        _ => false,
    }
}

/// The formatted text for `flags`, `id`, `lang`, or the Win32 error.
fn format(flags: u32, source: *const c_void, id: u32, lang: u32) -> Result<String, i32> {
    if flags & FORMAT_MESSAGE_FROM_STRING != 0 {
        return Err(ERROR_INVALID_PARAMETER);
    }
    if flags & FORMAT_MESSAGE_FROM_SYSTEM == 0 {
        return Err(if flags & FORMAT_MESSAGE_FROM_HMODULE != 0 {
            ERROR_RESOURCE_TYPE_NOT_FOUND
        } else {
            ERROR_INVALID_PARAMETER
        });
    }
    // A module handle alongside FROM_SYSTEM is searched first; a program has no message
    // table here, so only the system's remains.
    let _ = source;
    // HRESULT_FROM_WIN32(code) (0x8007xxxx) has the Win32 code's message, as on Windows.
    let id = if id & 0xFFFF_0000 == 0x8007_0000 {
        id & 0xFFFF
    } else {
        id
    };
    let text = system_message(id).ok_or(ERROR_MR_MID_NOT_FOUND)?;
    if !language_available(lang) {
        return Err(ERROR_RESOURCE_LANG_NOT_FOUND);
    }
    Ok(
        if flags & FORMAT_MESSAGE_MAX_WIDTH_MASK == FORMAT_MESSAGE_MAX_WIDTH_MASK {
            // Regular line breaks are ignored: each becomes a space.
            text.replace("\r\n", " ")
        } else {
            text
        },
    )
}

/// Stores `units` (with a terminating NUL) as `FormatMessage` does, returning the count
/// without the NUL, or 0 with the last error.
///
/// # Safety
/// Without `ALLOCATE_BUFFER`, `buffer` must be NULL or writable for `size` units of `T`;
/// with it, `buffer` must be NULL or point to a writable `*mut T`.
unsafe fn store<T: Copy + Default>(flags: u32, buffer: *mut c_void, size: u32, units: &[T]) -> u32 {
    if buffer.is_null() {
        return fail(ERROR_INVALID_PARAMETER, 0);
    }
    let n = units.len();
    if flags & FORMAT_MESSAGE_ALLOCATE_BUFFER != 0 {
        let slot = buffer.cast::<*mut T>();
        // SAFETY: with ALLOCATE_BUFFER the caller passes the address of a pointer.
        unsafe { slot.write(std::ptr::null_mut()) };
        let chars = (n + 1).max(size as usize);
        let Some(bytes) = chars.checked_mul(std::mem::size_of::<T>()) else {
            return fail(ERROR_NOT_ENOUGH_MEMORY, 0);
        };
        let block = memory::local_alloc(memory::LMEM_ZEROINIT, bytes).cast::<T>();
        if block.is_null() {
            return fail(ERROR_NOT_ENOUGH_MEMORY, 0);
        }
        // SAFETY: `block` holds at least n + 1 units of T (fresh, aligned to 16); `slot`
        // is the caller's pointer, checked non-NULL above.
        unsafe {
            std::ptr::copy_nonoverlapping(units.as_ptr(), block, n);
            block.add(n).write(T::default());
            slot.write(block);
        }
    } else {
        if (size as usize) < n + 1 {
            return fail(ERROR_INSUFFICIENT_BUFFER, 0);
        }
        let out = buffer.cast::<T>();
        // SAFETY: the caller's buffer holds `size` ≥ n + 1 units.
        unsafe {
            std::ptr::copy_nonoverlapping(units.as_ptr(), out, n);
            out.add(n).write(T::default());
        }
    }
    n as u32
}

/// `DWORD FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD
/// dwLanguageId, LPSTR lpBuffer, DWORD nSize, va_list *Arguments)` (see the module docs).
///
/// # Safety
/// `buffer` as Windows requires: writable for `size` chars, or (with
/// `FORMAT_MESSAGE_ALLOCATE_BUFFER`) the address of a `char *`; NULL is refused.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn FormatMessageA(
    flags: u32,
    source: *const c_void,
    message_id: u32,
    language_id: u32,
    buffer: *mut c_char,
    size: u32,
    _arguments: *mut c_void,
) -> u32 {
    ffi(0, || match format(flags, source, message_id, language_id) {
        // SAFETY: forwarded caller contract; the texts are ASCII, one char per byte.
        Ok(text) => unsafe { store::<u8>(flags, buffer.cast(), size, text.as_bytes()) },
        Err(code) => fail(code, 0),
    })
}

/// `DWORD FormatMessageW(...)`: as [`FormatMessageA`], in `wchar_t`s.
///
/// # Safety
/// As [`FormatMessageA`], with `wchar_t` units.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn FormatMessageW(
    flags: u32,
    source: *const c_void,
    message_id: u32,
    language_id: u32,
    buffer: *mut WChar,
    size: u32,
    _arguments: *mut c_void,
) -> u32 {
    ffi(0, || match format(flags, source, message_id, language_id) {
        Ok(text) => {
            let wide: Vec<WChar> = text.chars().map(|c| c as u32 as WChar).collect();
            // SAFETY: forwarded caller contract.
            unsafe { store::<WChar>(flags, buffer.cast(), size, &wide) }
        }
        Err(code) => fail(code, 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capi::last_error;
    use crate::error;

    #[test]
    fn table_is_sorted_and_has_every_library_code() {
        assert!(MESSAGES.windows(2).all(|w| w[0].0 < w[1].0));
        for code in error::all_codes() {
            assert!(
                system_message(code as u32).is_some(),
                "no Windows message for {code}"
            );
        }
    }

    #[test]
    fn texts_end_in_crlf_and_max_width_turns_it_into_a_space() {
        assert_eq!(
            format(FORMAT_MESSAGE_FROM_SYSTEM, std::ptr::null(), 10035, 0).unwrap(),
            "A non-blocking socket operation could not be completed immediately.\r\n"
        );
        assert_eq!(
            format(0x10FF, std::ptr::null(), 6, 0x400).unwrap(),
            "The handle is invalid. "
        );
        // HRESULT_FROM_WIN32(WSAECONNRESET)
        assert_eq!(
            format(0x1000, std::ptr::null(), 0x8007_2746, 0).unwrap(),
            "An existing connection was forcibly closed by the remote host.\r\n"
        );
    }

    /// `gai_strerror` is `FormatMessage` with `MAX_WIDTH_MASK` on Windows (ws2tcpip.h's
    /// inline `gai_strerrorA`): the two tables must agree.
    #[test]
    fn gai_strerror_texts_are_format_message_texts() {
        for code in [0, 8, 10022, 10044, 10047, 10109, 11001, 11002, 11003, 11004] {
            assert_eq!(
                format(0x12FF, std::ptr::null(), code as u32, 0x400).unwrap(),
                crate::capi::resolve::gai_message(code),
                "code {code}"
            );
        }
    }

    #[test]
    fn errors_as_windows() {
        let mut buf = [0u8; 8];
        // SAFETY: a live 8-byte buffer.
        let n = unsafe {
            FormatMessageA(
                0x1000,
                std::ptr::null(),
                6,
                0,
                buf.as_mut_ptr().cast(),
                8,
                std::ptr::null_mut(),
            )
        };
        assert_eq!((n, last_error::get()), (0, 122));
        assert_eq!(
            format(0x1000, std::ptr::null(), 12345, 0),
            Err(ERROR_MR_MID_NOT_FOUND)
        );
        assert_eq!(
            format(0x1000, std::ptr::null(), 6, 0x407),
            Err(ERROR_RESOURCE_LANG_NOT_FOUND)
        );
        assert_eq!(
            format(0x800, std::ptr::null(), 6, 0),
            Err(ERROR_RESOURCE_TYPE_NOT_FOUND)
        );
        assert_eq!(
            format(0x1400, std::ptr::null(), 6, 0),
            Err(ERROR_INVALID_PARAMETER)
        );
    }
}
