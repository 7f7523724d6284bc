//! I/O completion ports at the C boundary: `CreateIoCompletionPort`,
//! `GetQueuedCompletionStatus(Ex)`, `PostQueuedCompletionStatus`,
//! `SetFileCompletionNotificationModes` (declared by `include/wsaevents_iocp.h`, which
//! `windows.h` includes). `CloseHandle` on a port is [`super::events::CloseHandle`].
//!
//! The rules are the facade's ([`crate::winsock::CreateIoCompletionPort`] and the
//! following, over [`crate::iocp`]); this module converts handles, out-pointers and the
//! `OVERLAPPED_ENTRY` array. A `SOCKET` is passed as `(HANDLE)s`, as on Windows.
//!
//! Deviation: a NULL out-pointer (`lpNumberOfBytesTransferred`, `lpCompletionKey`,
//! `lpOverlapped`, `lpNumEntriesRemoved`, a NULL entry array) is `FALSE` with
//! `ERROR_INVALID_PARAMETER` (87) here, where Windows faults (docs/porting.md).

use std::ffi::c_void;

use super::handles::{self, Handle};
use super::{FALSE, fail, ffi};
use crate::winsock::{self, ERROR_INVALID_PARAMETER, OVERLAPPED_ENTRY};

/// `HANDLE CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
/// ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads)`: see
/// [`winsock::CreateIoCompletionPort`]. NULL on failure.
#[unsafe(no_mangle)]
pub extern "C" fn CreateIoCompletionPort(
    file: Handle,
    existing: Handle,
    key: usize,
    threads: u32,
) -> Handle {
    ffi(std::ptr::null_mut(), || {
        handles::from_value(winsock::CreateIoCompletionPort(
            handles::value(file),
            handles::value(existing),
            key,
            threads,
        ))
    })
}

/// `BOOL GetQueuedCompletionStatus(HANDLE CompletionPort, LPDWORD
/// lpNumberOfBytesTransferred, PULONG_PTR lpCompletionKey, LPOVERLAPPED *lpOverlapped, DWORD
/// dwMilliseconds)`: see [`winsock::GetQueuedCompletionStatus`].
///
/// # Safety
/// Each pointer NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn GetQueuedCompletionStatus(
    port: Handle,
    bytes: *mut u32,
    key: *mut usize,
    overlapped: *mut *mut c_void,
    timeout_ms: u32,
) -> i32 {
    ffi(FALSE, || {
        if overlapped.is_null() || bytes.is_null() || key.is_null() {
            if !overlapped.is_null() {
                // SAFETY: non-NULL and writable (caller's contract).
                unsafe { overlapped.write_unaligned(std::ptr::null_mut()) };
            }
            return fail(ERROR_INVALID_PARAMETER, FALSE);
        }
        // SAFETY: all three are non-NULL, readable and writable (caller's contract).
        let (mut b, mut k) = unsafe { (bytes.read_unaligned(), key.read_unaligned()) };
        let mut ov = 0usize;
        let rc = winsock::GetQueuedCompletionStatus(
            handles::value(port),
            &mut b,
            &mut k,
            &mut ov,
            timeout_ms,
        );
        // SAFETY: as above. Unwritten values are written back unchanged.
        unsafe {
            bytes.write_unaligned(b);
            key.write_unaligned(k);
            overlapped.write_unaligned(std::ptr::with_exposed_provenance_mut(ov));
        }
        rc
    })
}

/// `BOOL GetQueuedCompletionStatusEx(HANDLE CompletionPort, LPOVERLAPPED_ENTRY
/// lpCompletionPortEntries, ULONG ulCount, PULONG ulNumEntriesRemoved, DWORD dwMilliseconds,
/// BOOL fAlertable)`: see [`winsock::GetQueuedCompletionStatusEx`]. A count of 0 is
/// `ERROR_INVALID_PARAMETER`, as on Windows.
///
/// # Safety
/// `entries` NULL or writable for `count` entries; `removed` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn GetQueuedCompletionStatusEx(
    port: Handle,
    entries: *mut OVERLAPPED_ENTRY,
    count: u32,
    removed: *mut u32,
    timeout_ms: u32,
    alertable: i32,
) -> i32 {
    ffi(FALSE, || {
        if count == 0 || entries.is_null() || removed.is_null() {
            return fail(ERROR_INVALID_PARAMETER, FALSE);
        }
        // SAFETY: non-NULL, writable for `count` entries (caller's contract); OVERLAPPED_ENTRY
        // is plain data, so any bit pattern is a valid value, and Windows' layout puts it at
        // pointer alignment, which the caller's array has.
        let slice = unsafe { std::slice::from_raw_parts_mut(entries, count as usize) };
        let mut n = 0u32;
        let rc = winsock::GetQueuedCompletionStatusEx(
            handles::value(port),
            slice,
            &mut n,
            timeout_ms,
            alertable,
        );
        // SAFETY: non-NULL and writable (caller's contract).
        unsafe { removed.write_unaligned(n) };
        rc
    })
}

/// `BOOL PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD
/// dwNumberOfBytesTransferred, ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped)`: see
/// [`winsock::PostQueuedCompletionStatus`]. The pointer is carried as a value, never read.
#[unsafe(no_mangle)]
pub extern "C" fn PostQueuedCompletionStatus(
    port: Handle,
    bytes: u32,
    key: usize,
    overlapped: *mut c_void,
) -> i32 {
    ffi(FALSE, || {
        winsock::PostQueuedCompletionStatus(
            handles::value(port),
            bytes,
            key,
            overlapped.expose_provenance(),
        )
    })
}

/// `BOOL SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags)`: see
/// [`winsock::SetFileCompletionNotificationModes`].
#[unsafe(no_mangle)]
pub extern "C" fn SetFileCompletionNotificationModes(handle: Handle, flags: u8) -> i32 {
    ffi(FALSE, || {
        winsock::SetFileCompletionNotificationModes(handles::value(handle), flags)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapped_entry_layout() {
        // Windows x64: ULONG_PTR, LPOVERLAPPED, ULONG_PTR, DWORD, padded to 32 bytes.
        assert_eq!(
            std::mem::size_of::<OVERLAPPED_ENTRY>(),
            3 * std::mem::size_of::<usize>() + std::mem::size_of::<usize>()
        );
        assert_eq!(
            std::mem::offset_of!(OVERLAPPED_ENTRY, dwNumberOfBytesTransferred),
            3 * std::mem::size_of::<usize>()
        );
    }
}
