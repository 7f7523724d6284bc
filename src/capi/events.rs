//! Event objects and the waits on them: `WSACreateEvent`, `WSACloseEvent`, `WSASetEvent`,
//! `WSAResetEvent`, `WSAWaitForMultipleEvents`, and the Win32 `CreateEventA/W`, `SetEvent`,
//! `ResetEvent`, `CloseHandle`, `WaitForSingleObject`, `WaitForMultipleObjects(Ex)`.
//!
//! Rules (sections B.1 and B.2):
//!
//! * `WSACreateEvent` makes a manual-reset, unsignalled event; failure is
//!   `WSA_INVALID_EVENT` (NULL) with `WSA_NOT_ENOUGH_MEMORY`.
//! * Set/reset/close of a closed or unknown handle: `FALSE` with `WSA_INVALID_HANDLE` (6).
//! * `WSAWaitForMultipleEvents` is `WaitForMultipleObjectsEx`. Checks, in Windows' order:
//!   count 0 or > 64 → `WSA_WAIT_FAILED` + `WSA_INVALID_PARAMETER` (87); a NULL array → the
//!   same (a deliberate deviation: Windows faults there); any closed, unknown or NULL handle
//!   in the array → `WSA_WAIT_FAILED` + `WSA_INVALID_HANDLE` (6), even if an earlier one is
//!   signalled; the same event twice with `fWaitAll` → 87. A socket handle is waitable
//!   (signalled when an overlapped operation on it completes: `Socket::io_event`). Then:
//!   the lowest signalled index (`WSA_WAIT_EVENT_0 + i`), `WSA_WAIT_EVENT_0` for a
//!   satisfied wait-all, or
//!   `WSA_WAIT_TIMEOUT` (258). `WSA_INFINITE` waits forever.
//! * `fAlertable`/`bAlertable`: an alertable wait that no object satisfies first runs the
//!   thread's queued completion routines and APCs and returns `WSA_WAIT_IO_COMPLETION`
//!   (0xC0); a signalled object takes priority (`capi::overlapped`, B.2).
//! * None of these need `WSAStartup` (on Windows they are kernel32 functions).
//! * Handles live in the facade's table ([`crate::winsock`]), shared with sockets and
//!   threads; the waits are the facade's, after the C-only checks (count, NULL array). A
//!   thread handle ([`super::win32::thread`]) is signalled once its thread has ended.
//! * `CreateEventA/W` with a non-NULL name: `NULL` with `ERROR_NOT_SUPPORTED` (50); named
//!   (cross-process) events are not emulated. `lpEventAttributes` is ignored.

use std::ffi::{c_char, c_void};
use std::time::Duration;

use super::handles::{self, Handle};
use super::{FALSE, TRUE, fail, ffi};
use crate::error::{WSA_INVALID_HANDLE, WSA_INVALID_PARAMETER};
use crate::{Event, MAXIMUM_WAIT_OBJECTS, winsock};

/// `INFINITE` / `WSA_INFINITE`.
pub const INFINITE: u32 = 0xFFFF_FFFF;
/// `WAIT_TIMEOUT` / `WSA_WAIT_TIMEOUT`.
pub const WAIT_TIMEOUT: u32 = 258;
/// `WAIT_FAILED` / `WSA_WAIT_FAILED`.
pub const WAIT_FAILED: u32 = 0xFFFF_FFFF;
/// `ERROR_NOT_SUPPORTED`: a named event was asked for.
pub const ERROR_NOT_SUPPORTED: i32 = 50;

/// A `DWORD` millisecond timeout as the crate's waits take it.
pub(crate) fn timeout_of(ms: u32) -> Option<Duration> {
    (ms != INFINITE).then(|| Duration::from_millis(u64::from(ms)))
}

fn create(manual: bool, initially_set: bool) -> Handle {
    // Sets WSA_NOT_ENOUGH_MEMORY itself when the table is full.
    handles::handle_for(Event::new(manual, initially_set))
}

/// `CreateEventA/W`: events are process-local here, so a named one is `ERROR_NOT_SUPPORTED`.
fn create_unnamed(named: bool, manual_reset: i32, initial_state: i32) -> Handle {
    if named {
        return fail(ERROR_NOT_SUPPORTED, std::ptr::null_mut());
    }
    create(manual_reset != 0, initial_state != 0)
}

fn with_event(h: Handle, f: impl FnOnce(&Event)) -> i32 {
    match handles::event_from_handle(h) {
        Some(e) => {
            f(&e);
            TRUE
        }
        None => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

fn close(h: Handle) -> i32 {
    // FALSE with WSA_INVALID_HANDLE for anything but an open event handle.
    winsock::WSACloseEvent(handles::value(h))
}

/// The wait of `WaitForMultipleObjectsEx` (B.2), with Windows' checks in Windows' order.
///
/// # Safety
/// `list` must be NULL or point to `count` readable handles.
pub(crate) unsafe fn wait_multiple(
    count: u32,
    list: *const Handle,
    all: bool,
    ms: u32,
    alertable: bool,
) -> u32 {
    let n = count as usize;
    if n == 0 || n > MAXIMUM_WAIT_OBJECTS || list.is_null() {
        return fail(WSA_INVALID_PARAMETER, WAIT_FAILED);
    }
    // SAFETY: non-NULL, and the caller guarantees `count` readable handles; 1 ≤ n ≤ 64.
    let raw = unsafe { std::slice::from_raw_parts(list, n) };
    // At most 64 values: on the stack, no allocation per wait.
    let mut values = [0usize; MAXIMUM_WAIT_OBJECTS];
    for (v, &h) in values.iter_mut().zip(raw) {
        *v = handles::value(h);
    }
    // The facade's wait: invalid handles (6), duplicates in a wait-all (87), the wait itself.
    winsock::WSAWaitForMultipleEvents(&values[..n], i32::from(all), ms, i32::from(alertable))
}

/// `WSAEVENT WSACreateEvent(void)`: a manual-reset, unsignalled event, or
/// `WSA_INVALID_EVENT` with `WSA_NOT_ENOUGH_MEMORY`.
#[unsafe(no_mangle)]
pub extern "C" fn WSACreateEvent() -> Handle {
    ffi(std::ptr::null_mut(), || create(true, false))
}

/// `BOOL WSACloseEvent(WSAEVENT)`: `TRUE`, or `FALSE` with `WSA_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn WSACloseEvent(event: Handle) -> i32 {
    ffi(FALSE, || close(event))
}

/// `BOOL WSASetEvent(WSAEVENT)`: `TRUE`, or `FALSE` with `WSA_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn WSASetEvent(event: Handle) -> i32 {
    ffi(FALSE, || with_event(event, Event::set))
}

/// `BOOL WSAResetEvent(WSAEVENT)`: `TRUE`, or `FALSE` with `WSA_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn WSAResetEvent(event: Handle) -> i32 {
    ffi(FALSE, || with_event(event, Event::reset))
}

/// `DWORD WSAWaitForMultipleEvents(DWORD, const WSAEVENT*, BOOL fWaitAll, DWORD, BOOL)`:
/// `WSA_WAIT_EVENT_0 + i`, `WSA_WAIT_TIMEOUT`, or `WSA_WAIT_FAILED` with the last error set.
///
/// # Safety
/// `events` must be NULL or point to `count` readable `WSAEVENT`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAWaitForMultipleEvents(
    count: u32,
    events: *const Handle,
    wait_all: i32,
    timeout_ms: u32,
    alertable: i32,
) -> u32 {
    // SAFETY: forwarded caller contract.
    ffi(WAIT_FAILED, || unsafe {
        wait_multiple(count, events, wait_all != 0, timeout_ms, alertable != 0)
    })
}

/// `HANDLE CreateEventA(LPSECURITY_ATTRIBUTES, BOOL bManualReset, BOOL bInitialState,
/// LPCSTR lpName)`: an event, or NULL (`ERROR_NOT_SUPPORTED` for a named event).
#[unsafe(no_mangle)]
pub extern "C" fn CreateEventA(
    _attributes: *mut c_void,
    manual_reset: i32,
    initial_state: i32,
    name: *const c_char,
) -> Handle {
    ffi(std::ptr::null_mut(), || {
        create_unnamed(!name.is_null(), manual_reset, initial_state)
    })
}

/// `HANDLE CreateEventW(LPSECURITY_ATTRIBUTES, BOOL bManualReset, BOOL bInitialState,
/// LPCWSTR lpName)`: as [`CreateEventA`].
#[unsafe(no_mangle)]
pub extern "C" fn CreateEventW(
    _attributes: *mut c_void,
    manual_reset: i32,
    initial_state: i32,
    name: *const c_void,
) -> Handle {
    ffi(std::ptr::null_mut(), || {
        create_unnamed(!name.is_null(), manual_reset, initial_state)
    })
}

/// `BOOL SetEvent(HANDLE)`: `TRUE`, or `FALSE` with `ERROR_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn SetEvent(event: Handle) -> i32 {
    ffi(FALSE, || with_event(event, Event::set))
}

/// `BOOL ResetEvent(HANDLE)`: `TRUE`, or `FALSE` with `ERROR_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn ResetEvent(event: Handle) -> i32 {
    ffi(FALSE, || with_event(event, Event::reset))
}

/// `BOOL CloseHandle(HANDLE)`: closes an event or a thread handle (the thread runs on);
/// anything else is `FALSE` with `ERROR_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn CloseHandle(object: Handle) -> i32 {
    ffi(FALSE, || winsock::CloseHandle(handles::value(object)))
}

/// `DWORD WaitForSingleObject(HANDLE, DWORD)`: `WAIT_OBJECT_0`, `WAIT_TIMEOUT`, or
/// `WAIT_FAILED` with `ERROR_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn WaitForSingleObject(object: Handle, timeout_ms: u32) -> u32 {
    // SAFETY: a pointer to one local handle, count 1.
    ffi(WAIT_FAILED, || unsafe {
        wait_multiple(1, &object, false, timeout_ms, false)
    })
}

/// `DWORD WaitForMultipleObjects(DWORD, const HANDLE*, BOOL bWaitAll, DWORD)`: as
/// [`WaitForMultipleObjectsEx`] with `bAlertable = FALSE`.
///
/// # Safety
/// `handles` must be NULL or point to `count` readable `HANDLE`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WaitForMultipleObjects(
    count: u32,
    handles: *const Handle,
    wait_all: i32,
    timeout_ms: u32,
) -> u32 {
    // SAFETY: forwarded caller contract.
    ffi(WAIT_FAILED, || unsafe {
        wait_multiple(count, handles, wait_all != 0, timeout_ms, false)
    })
}

/// `DWORD WaitForMultipleObjectsEx(DWORD, const HANDLE*, BOOL bWaitAll, DWORD, BOOL)`:
/// `WAIT_OBJECT_0 + i`, `WAIT_TIMEOUT`, `WAIT_IO_COMPLETION` (alertable, after the
/// thread's queued routines ran), or `WAIT_FAILED` with the last error set.
///
/// # Safety
/// `handles` must be NULL or point to `count` readable `HANDLE`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WaitForMultipleObjectsEx(
    count: u32,
    handles: *const Handle,
    wait_all: i32,
    timeout_ms: u32,
    alertable: i32,
) -> u32 {
    // SAFETY: forwarded caller contract.
    ffi(WAIT_FAILED, || unsafe {
        wait_multiple(count, handles, wait_all != 0, timeout_ms, alertable != 0)
    })
}

#[cfg(test)]
mod tests {
    use super::super::last_error;
    use super::*;

    fn wait(hs: &[Handle], all: bool, ms: u32) -> u32 {
        // SAFETY: a live slice of `hs.len()` handles.
        unsafe { WSAWaitForMultipleEvents(hs.len() as u32, hs.as_ptr(), all as i32, ms, 0) }
    }

    #[test]
    fn b2_error_rules() {
        let a = WSACreateEvent();
        let b = WSACreateEvent();
        WSASetEvent(a);
        assert_eq!(wait(&[], false, 0), WAIT_FAILED);
        assert_eq!(last_error::get(), 87);
        let many = vec![a; 65];
        assert_eq!(wait(&many, false, 0), WAIT_FAILED);
        assert_eq!(last_error::get(), 87);
        // SAFETY: NULL is checked before any read.
        assert_eq!(
            unsafe { WSAWaitForMultipleEvents(1, std::ptr::null(), 0, 0, 0) },
            WAIT_FAILED
        );
        assert_eq!(last_error::get(), 87);
        assert_eq!(wait(&[a, a], true, 0), WAIT_FAILED);
        assert_eq!(last_error::get(), 87);
        assert_eq!(wait(&[a, a], false, 0), 0);
        assert_eq!(WSACloseEvent(b), TRUE);
        // a closed handle anywhere fails the wait, even after a signalled one
        assert_eq!(wait(&[a, b], false, 0), WAIT_FAILED);
        assert_eq!(last_error::get(), 6);
        assert_eq!(wait(&[a, std::ptr::null_mut()], false, 0), WAIT_FAILED);
        assert_eq!(last_error::get(), 6);
        assert_eq!(WSASetEvent(b), FALSE);
        assert_eq!(WSACloseEvent(b), FALSE);
        assert_eq!(CloseHandle(a), TRUE);
    }

    #[test]
    fn named_events_are_refused() {
        let name = c"x";
        assert!(CreateEventA(std::ptr::null_mut(), 1, 0, name.as_ptr()).is_null());
        assert_eq!(last_error::get(), 50);
    }

    #[test]
    fn auto_reset_is_consumed_by_a_wait() {
        let h = CreateEventW(std::ptr::null_mut(), 0, 1, std::ptr::null());
        assert_eq!(WaitForSingleObject(h, 0), 0);
        assert_eq!(WaitForSingleObject(h, 0), WAIT_TIMEOUT);
        CloseHandle(h);
    }
}
