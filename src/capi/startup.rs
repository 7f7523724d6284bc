//! `WSAStartup` / `WSACleanup` and the "is Winsock started" check of the socket functions.
//! The rules live in [`crate::winsock`]; this file converts the caller's pointer.
//!
//! Behaviour, from ReactOS' `apitests/ws2_32/WSAStartup.c` (run against Windows):
//!
//! * Versions: major 0 → `WSAVERNOTSUPPORTED`. 1.0 and 1.1 are granted as asked; 1.x (x ≥ 2)
//!   gives 1.1; 2.0, 2.1, 2.2 as asked; anything above 2.2 gives 2.2. `wHighVersion` is
//!   always 2.2.
//! * The version check comes before the NULL check: `WSAStartup(0, NULL)` is
//!   `WSAVERNOTSUPPORTED`, `WSAStartup(MAKEWORD(2,2), NULL)` is `WSAEFAULT`.
//! * `WSADATA` is filled even when the version is refused (with `wVersion` 2.2): the two
//!   strings `"WinSock 2.0"` and `"Running"` (only their bytes and terminator are written),
//!   `iMaxSockets`/`iMaxUdpDg` 32767/65467 for a 1.x version and 0/0 for 2.x;
//!   `lpVendorInfo` is left alone.
//! * Success sets the last error to 0; a failure while not started sets it to
//!   `WSANOTINITIALISED`. The return value is the error code itself.
//! * Calls are counted: each successful `WSAStartup` needs a `WSACleanup`; after the last
//!   one, socket functions fail with `WSANOTINITIALISED`, and `WSACleanup` itself returns
//!   `SOCKET_ERROR` with `WSANOTINITIALISED`.
//!
//! Event functions (`WSACreateEvent`, the waits, …) never require `WSAStartup`: on Windows
//! they are thin kernel32 wrappers.
//!
//! The start-up count is the Rust facade's ([`crate::winsock`]): a successful C
//! `WSAStartup` counts there (through `winsock::WSAStartup`), C `WSACleanup` is
//! `winsock::WSACleanup`, and [`ensure_started`] asks the facade, so C code and Rust code
//! using the facade agree on "started".

use super::ffi;
use crate::error::{Error, WSANOTINITIALISED};
use crate::winsock::{self, STARTUP_DESCRIPTION, STARTUP_STATUS, WSADATA};

/// `Ok` if a `WSAStartup` is outstanding, else `WSANOTINITIALISED`: every socket function
/// checks this first.
pub fn ensure_started() -> Result<(), Error> {
    if winsock::started() {
        Ok(())
    } else {
        Err(Error::from_code(WSANOTINITIALISED))
    }
}

/// `int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)`: 0, or the error code
/// (`WSAVERNOTSUPPORTED`, `WSAEFAULT` for NULL `lpWSAData`) as the return value.
///
/// # Safety
/// `data` is NULL or points to a writable `WSADATA` (initialised or not).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAStartup(version: u16, data: *mut WSADATA) -> i32 {
    ffi(super::WSASYSCALLFAILURE, || {
        let (code, info) = winsock::startup(version, !data.is_null());
        if !data.is_null() {
            // SAFETY: `data` is non-NULL and, by the caller's contract, points to a writable
            // WSADATA; only the fields Windows writes are written, through raw pointers, so
            // uninitialised memory is fine, and the strings fit their arrays (12 and 8 bytes).
            unsafe {
                (&raw mut (*data).wVersion).write(info.version);
                (&raw mut (*data).wHighVersion).write(info.high_version);
                (&raw mut (*data).iMaxSockets).write(info.max_sockets);
                (&raw mut (*data).iMaxUdpDg).write(info.max_udp_dg);
                std::ptr::copy_nonoverlapping(
                    STARTUP_DESCRIPTION.as_ptr(),
                    (&raw mut (*data).szDescription).cast::<u8>(),
                    STARTUP_DESCRIPTION.len(),
                );
                std::ptr::copy_nonoverlapping(
                    STARTUP_STATUS.as_ptr(),
                    (&raw mut (*data).szSystemStatus).cast::<u8>(),
                    STARTUP_STATUS.len(),
                );
            }
        }
        code
    })
}

/// `int WSACleanup(void)`: 0, or `SOCKET_ERROR` with `WSANOTINITIALISED`.
#[unsafe(no_mangle)]
pub extern "C" fn WSACleanup() -> i32 {
    // The facade's count decides (it sets WSANOTINITIALISED when nothing is started).
    ffi(-1, winsock::WSACleanup)
}
