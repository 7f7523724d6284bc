//! `select`, `__WSAFDIsSet` and `WSAPoll`, with Winsock's `fd_set`, `timeval` and
//! `WSAPOLLFD` (declared in `include/wsaevents_select.h`).
//!
//! The rules are the Rust facade's ([`crate::winsock::select`],
//! [`crate::winsock::WSAPoll`]); this layer reads and writes the C structures:
//!
//! * an `fd_set` is `u_int fd_count` followed by `SOCKET fd_array[FD_SETSIZE]`, where the
//!   program chooses `FD_SETSIZE` (64 unless it defines it first): `fd_count` entries are
//!   read, whatever the capacity, and the rewritten set never holds more than it did;
//! * the three sets may be the same memory (Wine's Windows-run `test_select` passes
//!   `&readfds` twice): every set is read before any is written, then each given set is
//!   emptied and its ready sockets added as `FD_SET` adds them (no duplicates), in the order
//!   readfds, writefds, exceptfds; the result counts the entries added, so a socket ready
//!   for two aliased sets counts once, as on Windows;
//! * `timeval` is the C library's `struct timeval` (`tv_sec`, `tv_usec`, as Windows'
//!   `long`s, 64-bit on LP64): see `include/wsaevents_select.h`.
//!
//! `select` and `__WSAFDIsSet` are names POSIX (or glibc) also has, so they are exported as
//! `wsaevents_select` and `wsaevents___WSAFDIsSet` and mapped by the header.

use std::ffi::c_int;

use super::{fail, ffi};
use crate::winsock::{self, SOCKET, SOCKET_ERROR, WSAPOLLFD};

/// The head of a C `fd_set` of any capacity: the entries follow `fd_count`.
#[repr(C)]
pub struct FdSet {
    /// `u_int fd_count`.
    pub fd_count: u32,
    /// `SOCKET fd_array[FD_SETSIZE]`, `FD_SETSIZE` being the program's.
    pub fd_array: [SOCKET; 0],
}

/// The C `struct timeval`: the C library's (unix), Windows' two `long`s elsewhere.
#[cfg(unix)]
pub type Timeval = libc::timeval;

/// The C `struct timeval`: the C library's (unix), Windows' two `long`s elsewhere.
#[cfg(not(unix))]
#[repr(C)]
pub struct Timeval {
    /// Seconds.
    pub tv_sec: std::ffi::c_long,
    /// Microseconds.
    pub tv_usec: std::ffi::c_long,
}

/// The sockets of a C `fd_set` (`None` for NULL), copied.
///
/// # Safety
/// `set` must be NULL or a readable `fd_set` holding `fd_count` entries.
unsafe fn read_set(set: *const FdSet) -> Option<Vec<SOCKET>> {
    if set.is_null() {
        return None;
    }
    // SAFETY: a readable fd_set (caller's contract): its count, then that many entries
    // right after it; unaligned-tolerant reads of plain integers.
    unsafe {
        let n = (&raw const (*set).fd_count).read_unaligned() as usize;
        let first = (&raw const (*set).fd_array).cast::<SOCKET>();
        Some((0..n).map(|i| first.add(i).read_unaligned()).collect())
    }
}

/// `FD_SET(s, set)` on a C `fd_set` (no duplicates); whether `s` was added. The caller
/// guarantees the room (the set never grows past what it held on entry).
///
/// # Safety
/// `set` must be a readable and writable `fd_set` with room for one more entry.
unsafe fn add_to_set(set: *mut FdSet, s: SOCKET) -> bool {
    // SAFETY: a valid fd_set (caller's contract); entries below fd_count are readable, the
    // one at fd_count is writable (room guaranteed by the caller).
    unsafe {
        let n = (&raw const (*set).fd_count).read_unaligned() as usize;
        let first = (&raw mut (*set).fd_array).cast::<SOCKET>();
        if (0..n).any(|i| first.add(i).read_unaligned() == s) {
            return false;
        }
        first.add(n).write_unaligned(s);
        (&raw mut (*set).fd_count).write_unaligned(n as u32 + 1);
        true
    }
}

/// `int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct
/// timeval *timeout)`, exported as `wsaevents_select`: Windows' select (`nfds` ignored; see
/// [`winsock::select`] and the module docs). NULL `timeout` blocks.
///
/// # Safety
/// Each set must be NULL or a readable and writable `fd_set` holding `fd_count` entries;
/// `timeout` NULL or a readable `struct timeval`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_select(
    nfds: c_int,
    readfds: *mut FdSet,
    writefds: *mut FdSet,
    exceptfds: *mut FdSet,
    timeout: *const Timeval,
) -> c_int {
    let _ = nfds;
    ffi(SOCKET_ERROR, || {
        let ptrs = [readfds, writefds, exceptfds];
        // SAFETY: forwarded caller contract; all sets are read before any is written.
        let wanted: [Option<Vec<SOCKET>>; 3] = ptrs.map(|p| unsafe { read_set(p) });
        let timeout = (!timeout.is_null()).then(|| {
            // SAFETY: non-NULL and readable (caller's contract).
            let t = unsafe { timeout.read_unaligned() };
            // time_t / suseconds_t / long: i64 on Linux, narrower elsewhere.
            #[allow(clippy::useless_conversion)]
            winsock::timeval_duration(i64::from(t.tv_sec), i64::from(t.tv_usec))
        });
        let sets = [0, 1, 2].map(|k| wanted[k].as_deref());
        match winsock::select_sets(sets, timeout) {
            Ok(ready) => {
                for p in ptrs.iter().filter(|p| !p.is_null()) {
                    // SAFETY: non-NULL, a writable fd_set (caller's contract).
                    unsafe { (&raw mut (**p).fd_count).write_unaligned(0) };
                }
                let mut n = 0;
                for (p, ready) in ptrs.iter().zip(ready) {
                    if p.is_null() {
                        continue;
                    }
                    for s in ready {
                        // SAFETY: a writable fd_set; `ready` is a subset of what this set
                        // held on entry, so (aliased or not) it never outgrows that.
                        n += c_int::from(unsafe { add_to_set(*p, s) });
                    }
                }
                n
            }
            Err(e) => fail(e.code(), SOCKET_ERROR),
        }
    })
}

/// `int __WSAFDIsSet(SOCKET, fd_set *)`, exported as `wsaevents___WSAFDIsSet` (what
/// `FD_ISSET` calls): non-zero if the socket is among the set's `fd_count` entries; 0 for a
/// NULL set.
///
/// # Safety
/// `set` must be NULL or a readable `fd_set` holding `fd_count` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents___WSAFDIsSet(s: SOCKET, set: *const FdSet) -> c_int {
    ffi(0, || {
        // SAFETY: forwarded caller contract.
        let found = unsafe { read_set(set) }.is_some_and(|v| v.contains(&s));
        c_int::from(found)
    })
}

/// `int WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)`: see [`winsock::WSAPoll`].
/// A NULL array is `WSAEINVAL` with a count of 0 and `WSAEFAULT` otherwise (Wine's
/// Windows-run `test_WSAPoll`).
///
/// # Safety
/// `fds` must be NULL or point to `nfds` readable and writable `WSAPOLLFD`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAPoll(fds: *mut WSAPOLLFD, nfds: u32, timeout: c_int) -> c_int {
    ffi(SOCKET_ERROR, || {
        if let Err(e) = super::ensure_started() {
            return fail(e.code(), SOCKET_ERROR);
        }
        if nfds == 0 {
            return fail(crate::error::WSAEINVAL, SOCKET_ERROR);
        }
        if fds.is_null() {
            return fail(crate::error::WSAEFAULT, SOCKET_ERROR);
        }
        // SAFETY: non-NULL, `nfds` valid WSAPOLLFDs (caller's contract; WSAPOLLFD is
        // repr(C) with the header's layout), not aliased for the call.
        let slice = unsafe { std::slice::from_raw_parts_mut(fds, nfds as usize) };
        winsock::WSAPoll(slice, timeout)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fd_set_head_layout() {
        assert_eq!(
            std::mem::offset_of!(FdSet, fd_array),
            8.max(size_of::<SOCKET>())
        );
        assert_eq!(size_of::<WSAPOLLFD>(), 2 * size_of::<SOCKET>());
    }

    #[test]
    fn is_set_reads_fd_count_entries() {
        #[repr(C)]
        struct Set3 {
            fd_count: u32,
            fd_array: [SOCKET; 3],
        }
        let set = Set3 {
            fd_count: 2,
            fd_array: [8, 12, 16],
        };
        let p = (&raw const set).cast::<FdSet>();
        // SAFETY: a live fd_set of capacity 3 holding 2 entries.
        unsafe {
            assert_eq!(wsaevents___WSAFDIsSet(12, p), 1);
            assert_eq!(wsaevents___WSAFDIsSet(16, p), 0, "beyond fd_count");
            assert_eq!(wsaevents___WSAFDIsSet(8, std::ptr::null()), 0);
        }
        let _ = set.fd_count;
    }
}
