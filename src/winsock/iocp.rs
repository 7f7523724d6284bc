//! Completion ports (kernel32; src/iocp.rs has the rules)

use std::time::Duration;

use crate::iocp::CompletionPort;
#[cfg(doc)]
use crate::socket::Socket;

use super::*;

pub use crate::iocp::{
    ERROR_ABANDONED_WAIT_0, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, FILE_SKIP_SET_EVENT_ON_HANDLE,
    WAIT_TIMEOUT,
};

/// `INVALID_HANDLE_VALUE`: all bits set; `CreateIoCompletionPort`'s "no file, make a port".
pub const INVALID_HANDLE_VALUE: usize = !0;
/// `ERROR_INVALID_PARAMETER` (87), as the kernel32 calls report it.
pub const ERROR_INVALID_PARAMETER: i32 = WSA_INVALID_PARAMETER;
/// `ERROR_INVALID_HANDLE` (6).
pub const ERROR_INVALID_HANDLE: i32 = WSA_INVALID_HANDLE;

/// `OVERLAPPED_ENTRY`, one packet of `GetQueuedCompletionStatusEx` (Windows' layout).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OVERLAPPED_ENTRY {
    /// The completion key.
    pub lpCompletionKey: usize,
    /// The `OVERLAPPED` address (or the posted value).
    pub lpOverlapped: usize,
    /// The operation's `NTSTATUS` (0 for success and for posted packets).
    pub Internal: usize,
    /// The bytes transferred.
    pub dwNumberOfBytesTransferred: u32,
}

/// The completion port behind a handle.
pub fn port_of(h: usize) -> Option<CompletionPort> {
    lookup(h, |o| match o {
        Object::Port(p) => Some(p.clone()),
        Object::Socket(_) | Object::Event(_) | Object::Thread(_) => None,
    })
}

/// A handle for an existing port, as `CreateIoCompletionPort` returns (0 with
/// `ERROR_NOT_ENOUGH_MEMORY` if the table is full). Closed with [`CloseHandle`].
pub fn register_port(p: CompletionPort) -> usize {
    insert(Object::Port(p)).unwrap_or_else(|| fail(WSA_NOT_ENOUGH_MEMORY, 0))
}

fn timeout_of(ms: DWORD) -> Option<Duration> {
    (ms != WSA_INFINITE).then(|| Duration::from_millis(ms.into()))
}

/// `CreateIoCompletionPort(FileHandle, ExistingCompletionPort, CompletionKey,
/// NumberOfConcurrentThreads)`:
///
/// * `FileHandle` `INVALID_HANDLE_VALUE`, `ExistingCompletionPort` 0: a new port (the key is
///   ignored); with a non-zero `ExistingCompletionPort`, `ERROR_INVALID_PARAMETER`;
/// * `FileHandle` a socket: associates it with `ExistingCompletionPort` (returned) under
///   `CompletionKey`, or with a new port if that is 0 (Microsoft, `CreateIoCompletionPort`);
///   a socket already associated is `ERROR_INVALID_PARAMETER`;
/// * anything else as `FileHandle`, or an `ExistingCompletionPort` that is not an open
///   port, is `ERROR_INVALID_HANDLE`.
///
/// Failure returns 0 (NULL). Success leaves the last error alone (kernel32 does not clear it).
pub fn CreateIoCompletionPort(file: usize, existing: usize, key: usize, threads: DWORD) -> usize {
    if file == INVALID_HANDLE_VALUE {
        if existing != 0 {
            return fail(ERROR_INVALID_PARAMETER, 0);
        }
        return register_port(CompletionPort::new(threads));
    }
    let Some(sock) = socket_of(file) else {
        return fail(ERROR_INVALID_HANDLE, 0);
    };
    let (port, handle) = if existing == 0 {
        // The new port is the socket's network's (docs/simulation.md).
        let p = match CompletionPort::new_for(&sock, threads) {
            Ok(p) => p,
            Err(e) => return fail(e.code(), 0),
        };
        let h = register_port(p.clone());
        if h == 0 {
            return 0;
        }
        (p, h)
    } else {
        match port_of(existing) {
            Some(p) => (p, existing),
            None => return fail(ERROR_INVALID_HANDLE, 0),
        }
    };
    match port.associate(&sock, key) {
        Ok(()) => handle,
        Err(e) => {
            if existing == 0 {
                CloseHandle(handle);
            }
            fail(e.code(), 0)
        }
    }
}

/// `GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, timeout_ms)`: `TRUE` with the
/// oldest packet of a successful operation (or a posted one). `FALSE` with `*overlapped`
/// set, the bytes and key written, and the last error the operation's error (e.g.
/// `ERROR_OPERATION_ABORTED` 995, `ERROR_NETNAME_DELETED` 64) for a failed operation;
/// `FALSE` with `*overlapped` 0 and the last error `WAIT_TIMEOUT` (258) after the timeout,
/// `ERROR_ABANDONED_WAIT_0` (735) if the port was closed during the wait,
/// `ERROR_INVALID_HANDLE` if `port` is not an open port. Bytes and key are written only
/// when a packet is returned (Wine's kernel32, `GetQueuedCompletionStatus`).
pub fn GetQueuedCompletionStatus(
    port: usize,
    bytes: &mut u32,
    key: &mut usize,
    overlapped: &mut usize,
    timeout_ms: DWORD,
) -> BOOL {
    *overlapped = 0;
    let Some(p) = port_of(port) else {
        return fail(ERROR_INVALID_HANDLE, FALSE);
    };
    match p.get(timeout_of(timeout_ms)) {
        Ok(Some(pk)) => {
            *bytes = pk.bytes;
            *key = pk.key;
            *overlapped = pk.overlapped;
            if pk.succeeded() {
                TRUE
            } else {
                fail(crate::iocp::ntstatus_to_win32(pk.status), FALSE)
            }
        }
        Ok(None) => fail(WAIT_TIMEOUT, FALSE),
        Err(e) => fail(e.code(), FALSE),
    }
}

/// `GetQueuedCompletionStatusEx(port, entries, count, &removed, timeout_ms, alertable)`: up
/// to `entries.len()` packets, `TRUE` with `*removed` their number. Failed operations come
/// back as entries too (`TRUE`), with their `NTSTATUS` in `Internal`. `FALSE` with
/// `*removed` 0 and `WAIT_TIMEOUT` after the timeout (the number of entries removed;
/// Windows' value is not tested, Wine's writes 1); `ERROR_INVALID_PARAMETER` for no
/// entries; `ERROR_ABANDONED_WAIT_0` / `ERROR_INVALID_HANDLE` as
/// [`GetQueuedCompletionStatus`]. With `alertable`, I/O completion routines due for this
/// thread run during the wait, which then returns `FALSE` with `WAIT_IO_COMPLETION` (192).
pub fn GetQueuedCompletionStatusEx(
    port: usize,
    entries: &mut [OVERLAPPED_ENTRY],
    removed: &mut u32,
    timeout_ms: DWORD,
    alertable: BOOL,
) -> BOOL {
    *removed = 0;
    let Some(p) = port_of(port) else {
        return fail(ERROR_INVALID_HANDLE, FALSE);
    };
    let mut buf = vec![crate::iocp::Packet::default(); entries.len()];
    let got = if alertable != FALSE {
        p.get_many_alertable(&mut buf, timeout_of(timeout_ms))
    } else {
        p.get_many(&mut buf, timeout_of(timeout_ms)).map(Some)
    };
    match got {
        Ok(Some(0)) => fail(WAIT_TIMEOUT, FALSE),
        Ok(Some(n)) => {
            for (e, pk) in entries.iter_mut().zip(&buf[..n]) {
                *e = OVERLAPPED_ENTRY {
                    lpCompletionKey: pk.key,
                    lpOverlapped: pk.overlapped,
                    Internal: pk.status as usize,
                    dwNumberOfBytesTransferred: pk.bytes,
                };
            }
            *removed = n as u32;
            TRUE
        }
        Ok(None) => fail(WSA_WAIT_IO_COMPLETION as i32, FALSE),
        Err(e) => fail(e.code(), FALSE),
    }
}

/// `PostQueuedCompletionStatus(port, bytes, key, overlapped)`: queues a packet; `FALSE`
/// with `ERROR_INVALID_HANDLE` if `port` is not an open port.
pub fn PostQueuedCompletionStatus(port: usize, bytes: u32, key: usize, overlapped: usize) -> BOOL {
    match port_of(port).map(|p| p.post(bytes, key, overlapped)) {
        Some(Ok(())) => TRUE,
        Some(Err(e)) => fail(e.code(), FALSE),
        None => fail(ERROR_INVALID_HANDLE, FALSE),
    }
}

/// `SetFileCompletionNotificationModes(socket, flags)`: see
/// [`Socket::set_completion_notification_modes`]; a handle that is not a socket is
/// `ERROR_INVALID_HANDLE`.
pub fn SetFileCompletionNotificationModes(handle: usize, flags: u8) -> BOOL {
    match socket_of(handle).map(|s| s.set_completion_notification_modes(flags)) {
        Some(Ok(())) => TRUE,
        Some(Err(e)) => fail(e.code(), FALSE),
        None => fail(ERROR_INVALID_HANDLE, FALSE),
    }
}
