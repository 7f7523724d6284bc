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
//! | `resolve` (Unix) | `getaddrinfo`, `freeaddrinfo`, `getnameinfo`, `GetAddrInfoW`, `GetNameInfoW`, `gai_strerrorA/W`, `gethostbyname`, `gethostbyaddr`, `gethostname`, `getservbyname`, `getservbyport`, `getprotobyname`, `getprotobynumber`, `inet_ntoa`, `InetPtonW`, `InetNtopW`, `WSAAddressToStringA/W`, `WSAStringToAddressA/W` |
//! | [`sockets`] | `socket` … `getpeername`, `ioctlsocket`, `WSAEventSelect`, `WSAEnumNetworkEvents` |
//! | [`select`] | `select`, `__WSAFDIsSet` (`FD_ISSET`), `WSAPoll` |
//! | [`wsaext`] | `WSASocketA/W`, `WSARecv`, `WSARecvFrom`, `WSASend`, `WSASendTo`, `WSAAccept`, `WSAConnect`, `WSAIoctl` |
//! | [`iocp`] | `CreateIoCompletionPort`, `GetQueuedCompletionStatus(Ex)`, `PostQueuedCompletionStatus`, `SetFileCompletionNotificationModes` |
//! | [`mswsock`] | `AcceptEx`, `GetAcceptExSockaddrs`, `ConnectEx`, `DisconnectEx`, `SIO_GET_EXTENSION_FUNCTION_POINTER` |
//! | [`win32`] | the Win32 basics of console programs: `FormatMessageA/W`, `LocalAlloc` & co., `CRITICAL_SECTION`, `CreateThread`/`_beginthreadex`, `MessageBoxA/W`, `OutputDebugStringA/W`, `ExitProcess` |
//!
//! The Winsock semantics (handle table, error rules, the event-select state machine) are
//! the Rust facade's, [`crate::winsock`]; this module converts C pointers and Windows
//! layouts, validates arguments as Windows does, and keeps panics out of C.
#![allow(non_snake_case)]

pub mod addr;
pub mod events;
pub mod handles;
pub mod iocp;
pub mod last_error;
pub mod mswsock;
pub mod overlapped;
#[cfg(unix)]
pub mod resolve;
pub mod select;
pub mod sim;
pub mod sockets;
pub mod startup;
pub mod time;
#[cfg(unix)]
pub mod win32;
pub mod wsaext;

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
///
/// The body also runs with POSIX thread cancellation disabled ([`NoCancel`]): the library's
/// calls are not cancellation points. A `pthread_cancel` aimed at a thread blocked in a
/// wait or a blocking socket call (or pending when the call starts) takes effect at the
/// first cancellation point after the call returns, in the caller's code. Without this, the
/// cancellation's forced unwind would start inside the library (at `epoll_wait`, `recv`,
/// `close`, …) and meet `catch_unwind`, which aborts the process ("FATAL: exception not
/// rethrown"), with locks and the poller role still held (issue 8, item 10;
/// docs/porting.md, "Threads: exit paths and cancellation").
pub(crate) fn ffi<R>(on_panic: R, body: impl FnOnce() -> R) -> R {
    let _no_cancel = NoCancel::enter();
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

/// Cancellation disabled for the lifetime of the guard; the thread's previous state (enabled
/// or disabled) comes back on drop, so nested calls keep the outermost caller's state.
struct NoCancel {
    #[cfg(unix)]
    old: std::ffi::c_int,
}

#[cfg(unix)]
mod cancel {
    use std::ffi::c_int;

    // The `libc` crate does not declare these for every Unix; the values are the C
    // library's (<pthread.h>).
    #[cfg(any(target_os = "macos", target_os = "ios"))]
    pub(super) const PTHREAD_CANCEL_DISABLE: c_int = 0x00;
    #[cfg(not(any(target_os = "macos", target_os = "ios")))]
    pub(super) const PTHREAD_CANCEL_DISABLE: c_int = 1;

    unsafe extern "C" {
        pub(super) fn pthread_setcancelstate(state: c_int, oldstate: *mut c_int) -> c_int;
    }
}

impl NoCancel {
    fn enter() -> NoCancel {
        #[cfg(unix)]
        {
            let mut old: std::ffi::c_int = cancel::PTHREAD_CANCEL_DISABLE;
            // SAFETY: pthread_setcancelstate only changes the calling thread's cancellation
            // state and writes the previous one into `old`, a valid local. It is not itself
            // a cancellation point.
            unsafe { cancel::pthread_setcancelstate(cancel::PTHREAD_CANCEL_DISABLE, &mut old) };
            NoCancel { old }
        }
        #[cfg(not(unix))]
        NoCancel {}
    }
}

impl Drop for NoCancel {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let mut ignored: std::ffi::c_int = 0;
            // SAFETY: as in `enter`; `self.old` is a state the C library handed out. In the
            // (default) deferred mode re-enabling does not act on a pending cancel: that
            // happens at the caller's next cancellation point.
            unsafe { cancel::pthread_setcancelstate(self.old, &mut ignored) };
        }
    }
}
