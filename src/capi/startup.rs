//! `WSAStartup` / `WSACleanup` and the "is Winsock started" check of the socket functions.
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

use std::ffi::c_char;

use super::{ffi, last_error};
use crate::error::{Error, WSAEFAULT, WSANOTINITIALISED, WSAVERNOTSUPPORTED};
use crate::winsock;

/// `WSADATA`, with the Win64 field order (Win32's on 32-bit targets).
#[repr(C)]
pub struct WsaData {
    /// `wVersion`: the version granted.
    pub version: u16,
    /// `wHighVersion`: the highest version supported (2.2).
    pub high_version: u16,
    /// `szDescription` (32-bit field order).
    #[cfg(target_pointer_width = "32")]
    pub description: [c_char; 257],
    /// `szSystemStatus` (32-bit field order).
    #[cfg(target_pointer_width = "32")]
    pub system_status: [c_char; 129],
    /// `iMaxSockets`: 32767 for 1.x, 0 for 2.x.
    pub max_sockets: u16,
    /// `iMaxUdpDg`: 65467 for 1.x, 0 for 2.x.
    pub max_udp_dg: u16,
    /// `lpVendorInfo`: never written.
    pub vendor_info: *mut c_char,
    /// `szDescription`: `"WinSock 2.0"`.
    #[cfg(not(target_pointer_width = "32"))]
    pub description: [c_char; 257],
    /// `szSystemStatus`: `"Running"`.
    #[cfg(not(target_pointer_width = "32"))]
    pub system_status: [c_char; 129],
}

/// `Ok` while Winsock is started (between a successful `WSAStartup` and the matching last
/// `WSACleanup`, from C or from the facade), else `WSANOTINITIALISED`: what every socket
/// function checks first.
pub fn ensure_started() -> Result<(), Error> {
    // The facade keeps the count private; ask it with a call that has no effect but its
    // error (WSANOTINITIALISED before start-up, WSAENOTSOCK after), and keep the caller's
    // last error. (To become `winsock::started()` once the facade exposes it.)
    let saved = winsock::WSAGetLastError();
    let mut scratch = std::net::SocketAddr::from(([0, 0, 0, 0], 0));
    winsock::getsockname(winsock::INVALID_SOCKET, &mut scratch);
    let probe = winsock::WSAGetLastError();
    winsock::WSASetLastError(saved);
    if probe == WSANOTINITIALISED {
        Err(Error::from_code(WSANOTINITIALISED))
    } else {
        Ok(())
    }
}

/// The version `WSAStartup` grants for `requested` (`MAKEWORD(major, minor)`), or `None`.
fn granted_version(requested: u16) -> Option<u16> {
    let [major, minor] = requested.to_le_bytes();
    let v = match (major, minor) {
        (0, _) => return None,
        (1, 0 | 1) | (2, 0..=2) => (major, minor),
        (1, _) => (1, 1),
        _ => (2, 2),
    };
    Some(u16::from_le_bytes([v.0, v.1]))
}

/// Writes `s` and its terminator at `dst`, leaving the rest of the buffer alone.
///
/// # Safety
/// `dst` must be valid for writing `s.len() + 1` bytes.
unsafe fn write_cstr(dst: *mut c_char, s: &[u8]) {
    // SAFETY: the caller guarantees room for `s.len() + 1` bytes; `s` is a Rust slice that
    // cannot overlap the caller's buffer.
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr().cast::<c_char>(), dst, s.len());
        dst.add(s.len()).write(0);
    }
}

/// `int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)`: 0, or the error code
/// (`WSAVERNOTSUPPORTED`, `WSAEFAULT`).
///
/// # Safety
/// `data` must be NULL or point to writable memory of `sizeof(WSADATA)` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAStartup(version: u16, data: *mut WsaData) -> i32 {
    ffi(super::WSASYSCALLFAILURE, || {
        let granted = granted_version(version);
        if !data.is_null() {
            let shown = granted.unwrap_or(0x0202);
            let (sockets, udp) = if shown & 0xff < 2 {
                (32767, 65467)
            } else {
                (0, 0)
            };
            // SAFETY: `data` is non-NULL and, by the caller's contract, points to a writable
            // WSADATA; fields are written through raw pointers, so uninitialised memory is
            // fine, and the strings fit their arrays (12 and 8 bytes).
            unsafe {
                (&raw mut (*data).version).write(shown);
                (&raw mut (*data).high_version).write(0x0202);
                (&raw mut (*data).max_sockets).write(sockets);
                (&raw mut (*data).max_udp_dg).write(udp);
                write_cstr((&raw mut (*data).description).cast(), b"WinSock 2.0");
                write_cstr((&raw mut (*data).system_status).cast(), b"Running");
            }
        }
        let code = match granted {
            None => WSAVERNOTSUPPORTED,
            Some(_) if data.is_null() => WSAEFAULT,
            Some(_) => {
                let mut scratch = winsock::WSADATA::default();
                let rc = winsock::WSAStartup(winsock::MAKEWORD(2, 2), &mut scratch);
                debug_assert_eq!(rc, 0, "the facade accepts 2.2");
                last_error::set(0);
                return 0;
            }
        };
        if ensure_started().is_err() {
            last_error::set(WSANOTINITIALISED as u32);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    #[test]
    fn wsadata_layout() {
        #[cfg(target_pointer_width = "64")]
        {
            assert_eq!(size_of::<WsaData>(), 408);
            assert_eq!(offset_of!(WsaData, vendor_info), 8);
            assert_eq!(offset_of!(WsaData, description), 16);
            assert_eq!(offset_of!(WsaData, system_status), 273);
        }
        #[cfg(target_pointer_width = "32")]
        assert_eq!(size_of::<WsaData>(), 400);
    }

    /// The version table of ReactOS' WSAStartup apitest (run against Windows).
    #[test]
    fn versions() {
        let mk = |major: u8, minor: u8| u16::from_le_bytes([major, minor]);
        for (req, want) in [
            (mk(0, 0), None),
            (mk(0, 9), None),
            (mk(1, 0), Some(mk(1, 0))),
            (mk(1, 1), Some(mk(1, 1))),
            (mk(1, 2), Some(mk(1, 1))),
            (mk(1, 255), Some(mk(1, 1))),
            (mk(2, 0), Some(mk(2, 0))),
            (mk(2, 1), Some(mk(2, 1))),
            (mk(2, 2), Some(mk(2, 2))),
            (mk(2, 3), Some(mk(2, 2))),
            (mk(3, 0), Some(mk(2, 2))),
            (mk(255, 255), Some(mk(2, 2))),
        ] {
            assert_eq!(granted_version(req), want, "{req:#06x}");
        }
    }
}
