//! Console stand-ins: `MessageBoxA/W` and `OutputDebugStringA/W` write to stderr,
//! `ExitProcess`, `GetCurrentProcessId`, `IsDebuggerPresent`, and the wide command line of a
//! `_UNICODE` program's `_tmain` (`tchar.h`).
//!
//! A console program's message box has no window to appear in: the text goes to stderr as
//! `caption: text` and the call returns the button a user pressing Enter would choose (the
//! `MB_DEFBUTTONn` of the box's buttons), so a program that reports an error with a message
//! box and carries on does the same here. A `NULL` caption is `"Error"`, as on Windows.

use std::ffi::{c_char, c_void};
use std::io::Write;

use super::{WChar, narrow_to_string, wide_to_string};
use crate::capi::{FALSE, ffi};

/// The buttons of a message box of type `t` (its low 4 bits), in order.
fn buttons(t: u32) -> &'static [i32] {
    const IDOK: i32 = 1;
    const IDCANCEL: i32 = 2;
    const IDABORT: i32 = 3;
    const IDRETRY: i32 = 4;
    const IDIGNORE: i32 = 5;
    const IDYES: i32 = 6;
    const IDNO: i32 = 7;
    const IDTRYAGAIN: i32 = 10;
    const IDCONTINUE: i32 = 11;
    match t & 0xF {
        1 => &[IDOK, IDCANCEL],
        2 => &[IDABORT, IDRETRY, IDIGNORE],
        3 => &[IDYES, IDNO, IDCANCEL],
        4 => &[IDYES, IDNO],
        5 => &[IDRETRY, IDCANCEL],
        6 => &[IDCANCEL, IDTRYAGAIN, IDCONTINUE],
        _ => &[IDOK],
    }
}

/// The default button of a box of type `t`.
pub fn default_button(t: u32) -> i32 {
    let b = buttons(t);
    let index = ((t >> 8) & 0xF) as usize;
    b.get(index).copied().unwrap_or(b[0])
}

fn message_box(text: Option<String>, caption: Option<String>, t: u32) -> i32 {
    let caption = caption.unwrap_or_else(|| "Error".to_string());
    let text = text.unwrap_or_default();
    let _ = writeln!(std::io::stderr(), "{caption}: {text}");
    default_button(t)
}

/// `int MessageBoxA(HWND, LPCSTR lpText, LPCSTR lpCaption, UINT uType)`: writes
/// `caption: text` to stderr; returns the default button.
///
/// # Safety
/// `text` and `caption` must be NULL or NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn MessageBoxA(
    _window: *mut c_void,
    text: *const c_char,
    caption: *const c_char,
    t: u32,
) -> i32 {
    // SAFETY: forwarded caller contract.
    ffi(0, || unsafe {
        message_box(narrow_to_string(text), narrow_to_string(caption), t)
    })
}

/// `int MessageBoxW(HWND, LPCWSTR, LPCWSTR, UINT)`: as [`MessageBoxA`].
///
/// # Safety
/// `text` and `caption` must be NULL or NUL-terminated wide strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn MessageBoxW(
    _window: *mut c_void,
    text: *const WChar,
    caption: *const WChar,
    t: u32,
) -> i32 {
    // SAFETY: forwarded caller contract.
    ffi(0, || unsafe {
        message_box(wide_to_string(text), wide_to_string(caption), t)
    })
}

/// `void OutputDebugStringA(LPCSTR)`: writes the string to stderr as it is.
///
/// # Safety
/// `s` must be NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn OutputDebugStringA(s: *const c_char) {
    ffi((), || {
        if s.is_null() {
            return;
        }
        // SAFETY: NUL-terminated (caller).
        let bytes = unsafe { std::ffi::CStr::from_ptr(s) }.to_bytes();
        let _ = std::io::stderr().write_all(bytes);
    })
}

/// `void OutputDebugStringW(LPCWSTR)`: writes the string to stderr (as UTF-8).
///
/// # Safety
/// `s` must be NULL or a NUL-terminated wide string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn OutputDebugStringW(s: *const WChar) {
    ffi((), || {
        // SAFETY: forwarded caller contract.
        if let Some(text) = unsafe { wide_to_string(s) } {
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
    })
}

/// `BOOL IsDebuggerPresent(void)`: `FALSE`.
#[unsafe(no_mangle)]
pub extern "C" fn IsDebuggerPresent() -> i32 {
    FALSE
}

/// `DWORD GetCurrentProcessId(void)`: the process id.
#[unsafe(no_mangle)]
pub extern "C" fn GetCurrentProcessId() -> u32 {
    // SAFETY: getpid has no preconditions.
    ffi(0, || unsafe { libc::getpid() } as u32)
}

/// `void ExitProcess(UINT)`: flushes the C library's streams and ends the process with the
/// code at once (no atexit handlers).
#[unsafe(no_mangle)]
pub extern "C" fn ExitProcess(code: u32) -> ! {
    let _ = std::io::stdout().flush();
    // SAFETY: fflush(NULL) flushes every C stream; _exit never returns.
    unsafe {
        libc::fflush(std::ptr::null_mut());
        libc::_exit(code as i32)
    }
}

/// The converted command lines, kept reachable for the life of the process (and for leak
/// checkers): the strings, and the pointer arrays handed out.
static WIDE_ARGV: parking_lot::Mutex<Vec<WideArgv>> = parking_lot::Mutex::new(Vec::new());

/// One converted command line: its strings, and the NULL-terminated array of their
/// (exposed) addresses that `_tmain` receives.
type WideArgv = (Vec<Box<[WChar]>>, Box<[usize]>);

/// `wchar_t **wsaevents_wide_argv(int argc, char **argv)`: the command line as wide strings
/// (UTF-8 decoded, invalid bytes as U+FFFD), NULL-terminated, for a `_UNICODE` `_tmain`. It
/// lives as long as the process.
///
/// # Safety
/// `argv` must hold `argc` NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_wide_argv(
    argc: i32,
    argv: *const *const c_char,
) -> *mut *mut WChar {
    ffi(std::ptr::null_mut(), || {
        let n = usize::try_from(argc).unwrap_or(0);
        let mut strings: Vec<Box<[WChar]>> = Vec::with_capacity(n);
        for i in 0..n {
            // SAFETY: `argv` holds `argc` strings (caller).
            let arg = unsafe { narrow_to_string(*argv.add(i)) }.unwrap_or_default();
            let mut w: Vec<WChar> = arg.chars().map(|c| c as u32 as WChar).collect();
            w.push(0);
            strings.push(w.into_boxed_slice());
        }
        // Exposed addresses (usize) so the static is Sync; the array's buffer never moves
        // (a boxed slice), so the pointer to it stays valid while it is kept below.
        let mut ptrs: Box<[usize]> = strings
            .iter_mut()
            .map(|s| s.as_mut_ptr().expose_provenance())
            .chain(std::iter::once(0))
            .collect();
        let base = ptrs.as_mut_ptr().cast::<*mut WChar>();
        WIDE_ARGV.lock().push((strings, ptrs));
        base
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_buttons_as_windows() {
        assert_eq!(default_button(0), 1); // MB_OK: IDOK
        assert_eq!(default_button(4), 6); // MB_YESNO: IDYES
        assert_eq!(default_button(4 | 0x100), 7); // MB_YESNO | MB_DEFBUTTON2: IDNO
        assert_eq!(default_button(1 | 0x200), 1); // no third button: the first
        assert_eq!(default_button(2 | 0x10), 3); // MB_ABORTRETRYIGNORE | MB_ICONERROR: IDABORT
    }
}
