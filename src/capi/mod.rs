//! The C ABI: Winsock- and Win32-named functions with Windows' return conventions, for C and
//! C++ programs built against the headers in `include/`.
//!
//! Every function here is `extern "C"` and `#[unsafe(no_mangle)]`, so the cdylib/staticlib
//! (`-lwsaevents`) exports it under the name the header declares:
//!
//! * names POSIX does not have keep their Windows name (`WSACreateEvent`, `closesocket`,
//!   `CreateEventW`, `Sleep`, …);
//! * names POSIX also has are exported as `wsaevents_<name>` (`wsaevents_htons`,
//!   `wsaevents_inet_pton`, …) and mapped by the headers, so they never interpose the C
//!   library's functions.
//!
//! Conventions at the boundary, for every function:
//!
//! * failures are reported as on Windows: the documented return value plus the per-thread
//!   last error ([`last_error`]), which `WSAGetLastError` and `GetLastError` both read;
//! * no panic crosses the boundary: each body runs under [`std::panic::catch_unwind`], and a
//!   panic becomes the function's failure value with `WSASYSCALLFAILURE` (10107);
//! * `WSAEVENT`/`HANDLE` values are opaque handle-table entries ([`handles`]); a closed or
//!   unknown handle is `WSA_INVALID_HANDLE`, and a closed value never aliases a newer event.
//!
//! | module | functions |
//! |---|---|
//! | [`last_error`] | `WSAGetLastError`, `WSASetLastError`, `GetLastError`, `SetLastError` |
//! | [`startup`] | `WSAStartup`, `WSACleanup` |
//! | [`events`] | `WSACreateEvent` … `WSAWaitForMultipleEvents`, `CreateEventA/W`, `SetEvent`, `ResetEvent`, `CloseHandle`, `WaitFor*` |
//! | [`time`] | `Sleep`, `GetTickCount(64)`, `QueryPerformanceCounter/Frequency` |
//! | [`addr`] | `htons`, `htonl`, `ntohs`, `ntohl`, `inet_addr`, `inet_pton`, `inet_ntop` |
//! | [`sockets`] | `socket` … `getpeername`, `ioctlsocket`, `WSAEventSelect`, `WSAEnumNetworkEvents` |
//! | [`win32`] | the Win32 basics of console programs: `FormatMessageA/W`, `LocalAlloc` & co., `CRITICAL_SECTION`, `CreateThread`/`_beginthreadex`, `MessageBoxA/W`, `OutputDebugStringA/W`, `ExitProcess` |
//!
//! The Winsock semantics (handle table, error rules, the event-select state machine) are
//! the Rust facade's, [`crate::winsock`]; this module converts C pointers and Windows
//! layouts, validates arguments as Windows does, and keeps panics out of C.
#![allow(non_snake_case)]

pub mod addr;
pub mod events;
pub mod handles;
pub mod last_error;
pub mod sockets;
pub mod startup;
pub mod time;
#[cfg(unix)]
pub mod win32;

use std::panic::{AssertUnwindSafe, catch_unwind};

pub use startup::ensure_started;

/// `TRUE` as the C functions return it.
pub const TRUE: i32 = 1;
/// `FALSE` as the C functions return it.
pub const FALSE: i32 = 0;

/// `WSASYSCALLFAILURE` (10107): the last error after a panic was caught at the boundary.
pub const WSASYSCALLFAILURE: i32 = 10107;

/// Runs an exported function's body, turning a panic into `on_panic` with the last error
/// `WSASYSCALLFAILURE`, so that no panic unwinds into C.
pub(crate) fn ffi<R>(on_panic: R, body: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(r) => r,
        Err(_) => {
            last_error::set(WSASYSCALLFAILURE as u32);
            on_panic
        }
    }
}

/// Sets the last error to `code` and returns `ret`: the usual failure path.
pub(crate) fn fail<R>(code: i32, ret: R) -> R {
    last_error::set(code as u32);
    ret
}
