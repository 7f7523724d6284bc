//! The last error (per thread)

use std::cell::Cell;

thread_local! {
    static LAST_ERROR: Cell<i32> = const { Cell::new(0) };
}

/// `WSAGetLastError` / `GetLastError`: this thread's last error.
pub fn WSAGetLastError() -> i32 {
    // During thread teardown the slot may be gone: read 0 rather than panic.
    LAST_ERROR.try_with(Cell::get).unwrap_or(0)
}

/// `WSASetLastError` / `SetLastError`.
pub fn WSASetLastError(code: i32) {
    let _ = LAST_ERROR.try_with(|c| c.set(code));
}

pub(super) fn fail<T>(code: i32, value: T) -> T {
    WSASetLastError(code);
    value
}

/// The success path of every socket function: as on Windows, a socket call that succeeds
/// sets the last error to 0 (`NO_ERROR`), so code reading `WSAGetLastError()` after a
/// success (Wine's Windows-run ws2_32 tests do, after `setsockopt`, `getsockopt`,
/// `getsockname`, `send`, `sendto`, `recvfrom`, `WSARecv`, `WSAIoctl`, `WSASocket`) sees 0,
/// not a stale error. Every socket function returns through this (directly, or through
/// [`call`] / [`ret`]), so a function added later gets the rule by construction. Event and
/// wait functions are kernel32's on Windows and leave the last error alone on success (all
/// but event creation, see [`register_event`]); they do not use this. The table is in docs/semantics.md ("The last error after success").
pub(crate) fn succeed<T>(value: T) -> T {
    WSASetLastError(0);
    value
}
