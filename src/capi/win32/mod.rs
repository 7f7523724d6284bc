//! The Win32 basics that Winsock console programs call, console-appropriate
//! (`include/wsaevents_win32.h`, `include/process.h`):
//!
//! | module | functions |
//! |---|---|
//! | [`message`] | `FormatMessageA/W`: Windows' (English) texts of the Winsock and Win32 error codes |
//! | [`memory`] | `LocalAlloc`/`LocalFree`, `GlobalAlloc`/`GlobalFree`, `GetProcessHeap`, `HeapAlloc`/`HeapReAlloc`/`HeapFree`/`HeapSize` |
//! | [`sync`] | `CRITICAL_SECTION`: `InitializeCriticalSection(AndSpinCount/Ex)`, `Enter`/`TryEnter`/`Leave`/`DeleteCriticalSection` |
//! | [`thread`] | `CreateThread`, `ResumeThread`, `GetExitCodeThread`, `GetCurrentThreadId`, `_beginthreadex`, `_beginthread`, the library's half of `ExitThread` |
//! | [`conio`] | `_kbhit`, `_getch`, `_getche`, `_putch` (`conio.h`) |
//! | [`ctrl`] | `SetConsoleCtrlHandler`, `GenerateConsoleCtrlEvent` (Ctrl+C on `SIGINT`) |
//! | [`datetime`] | `GetLocalTime`, `GetSystemTime`, `GetSystemTimeAsFileTime` |
//! | [`console`] | `MessageBoxA/W`, `OutputDebugStringA/W` (to stderr), `ExitProcess`, `GetCurrentProcessId`, `IsDebuggerPresent`, the `_tmain` argument conversion |
//!
//! The CRT names (`_stricmp`, `sprintf_s`, `localtime_s`, …), `Interlocked*`, `lstr*`,
//! `wsprintf` and the
//! `ExitThread`/`_endthreadex` entry points are static inline functions in the headers,
//! the natural Windows-compatible form for them (on Windows most are macros or
//! intrinsics too); they never become exported symbols, so they cannot interpose the C
//! library. What is exported here has Windows-only names.
//!
//! Not provided, by design: windows and messages, the registry, the file API, processes,
//! mutex and semaphore objects (see `docs/porting.md`).

pub mod conio;
pub mod console;
pub mod ctrl;
pub mod datetime;
pub mod memory;
pub mod message;
pub mod sync;
pub mod thread;

/// `wchar_t` as C sees it (32-bit on Linux and macOS).
pub type WChar = libc::wchar_t;

/// The NUL-terminated wide string at `p` as a Rust string (invalid code points become
/// U+FFFD).
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated `wchar_t` string.
pub(crate) unsafe fn wide_to_string(p: *const WChar) -> Option<String> {
    if p.is_null() {
        return None;
    }
    let mut out = String::new();
    let mut i = 0;
    loop {
        // SAFETY: the caller guarantees a NUL-terminated string; we stop at the NUL.
        let c = unsafe { *p.add(i) };
        if c == 0 {
            return Some(out);
        }
        out.push(char::from_u32(c as u32).unwrap_or('\u{FFFD}'));
        i += 1;
    }
}

/// The NUL-terminated narrow string at `p` (bytes as they are, invalid UTF-8 replaced).
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string.
pub(crate) unsafe fn narrow_to_string(p: *const std::ffi::c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    let s = unsafe { std::ffi::CStr::from_ptr(p) };
    Some(s.to_string_lossy().into_owned())
}
