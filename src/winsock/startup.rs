//! Start-up and clean-up

use std::sync::atomic::{AtomicUsize, Ordering};

#[cfg(doc)]
use crate::socket::Socket;

use super::*;

static STARTUPS: AtomicUsize = AtomicUsize::new(0);
/// Orders `WSAStartup` against the last `WSACleanup`'s sweep.
static STARTUP_LOCK: parking_lot::Mutex<()> = parking_lot::Mutex::new(());

/// The version `WSAStartup` grants for a request (the table of ReactOS' WSAStartup
/// apitest, which runs against Windows): below 1.0 none; 1.0 and 1.1 as asked; other 1.x
/// get 1.1; 2.0 to 2.2 as asked; anything higher gets 2.2.
fn granted_version(requested: u16) -> Option<u16> {
    let [major, minor] = requested.to_le_bytes();
    let (major, minor) = match (major, minor) {
        (0, _) => return None,
        (1, 0 | 1) | (2, 0..=2) => (major, minor),
        (1, _) => (1, 1),
        _ => (2, 2),
    };
    Some(MAKEWORD(major, minor))
}

/// What `WSAStartup` writes into `WSADATA` (Windows writes these fields even when it
/// refuses the version, and leaves `lpVendorInfo` and the rest of the strings alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StartupInfo {
    pub version: u16,
    pub high_version: u16,
    pub max_sockets: u16,
    pub max_udp_dg: u16,
}

/// The description and status strings, with their terminators.
pub(crate) const STARTUP_DESCRIPTION: &[u8] = b"WinSock 2.0\0";
pub(crate) const STARTUP_STATUS: &[u8] = b"Running\0";

/// `WSAStartup`'s rules, with the structure optional as C passes it. Returns the code (0,
/// `WSAVERNOTSUPPORTED`, or `WSAEFAULT` without a structure) and what to write into the
/// structure. Success sets the last error to 0 and counts one start-up; a failure while
/// nothing is started sets it to `WSANOTINITIALISED`.
pub(crate) fn startup(version_requested: u16, have_data: bool) -> (i32, StartupInfo) {
    let granted = granted_version(version_requested);
    let version = granted.unwrap_or(MAKEWORD(2, 2));
    let v1 = version & 0xFF < 2;
    let info = StartupInfo {
        version,
        high_version: MAKEWORD(2, 2),
        max_sockets: if v1 { 32767 } else { 0 },
        max_udp_dg: if v1 { 65467 } else { 0 },
    };
    let code = match granted {
        None => WSAVERNOTSUPPORTED,
        Some(_) if !have_data => WSAEFAULT,
        Some(_) => {
            let _guard = STARTUP_LOCK.lock();
            STARTUPS.fetch_add(1, Ordering::SeqCst);
            WSASetLastError(0);
            return (0, info);
        }
    };
    if !started() {
        WSASetLastError(WSANOTINITIALISED);
    }
    (code, info)
}

/// `WSAStartup`: grants a version per Windows' table (1.0 to 2.2; below 1.0 is
/// `WSAVERNOTSUPPORTED`), fills `data` as Windows does (also when refusing), and returns 0
/// or the error code (the return value carries it). Calls are counted; each needs a
/// [`WSACleanup`].
pub fn WSAStartup(version_requested: u16, data: &mut WSADATA) -> i32 {
    let (code, info) = startup(version_requested, true);
    data.wVersion = info.version;
    data.wHighVersion = info.high_version;
    data.iMaxSockets = info.max_sockets;
    data.iMaxUdpDg = info.max_udp_dg;
    data.szDescription[..STARTUP_DESCRIPTION.len()].copy_from_slice(STARTUP_DESCRIPTION);
    data.szSystemStatus[..STARTUP_STATUS.len()].copy_from_slice(STARTUP_STATUS);
    code
}

/// `WSACleanup`: ends one `WSAStartup`; with none outstanding, `WSANOTINITIALISED`.
///
/// The last one (the count back at 0) closes every socket still open, as `closesocket`
/// would: calls blocked in them fail with `WSAEINTR`, and their `SOCKET` values give
/// `WSAENOTSOCK` from then on, also after a new `WSAStartup`. Event handles are not
/// sockets and stay valid. (Sockets of the Rust [`Socket`] API that were never put in the
/// handle table are not Winsock handles and are left alone.)
pub fn WSACleanup() -> i32 {
    // Held across the count's change and the sweep, so a concurrent `WSAStartup` (and the
    // sockets created after it) comes entirely after the sweep or entirely before it.
    let _guard = STARTUP_LOCK.lock();
    let r = STARTUPS.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    match r {
        Ok(1) => {
            for sock in remove_all_sockets() {
                let _ = sock.close();
            }
            0
        }
        Ok(_) => 0,
        Err(_) => fail(WSANOTINITIALISED, SOCKET_ERROR),
    }
}

/// Whether a `WSAStartup` is outstanding: without one, every socket call fails with
/// `WSANOTINITIALISED`.
pub fn started() -> bool {
    STARTUPS.load(Ordering::SeqCst) > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WSAStartup's version table (ReactOS' WSAStartup apitest, run against Windows).
    #[test]
    fn startup_versions() {
        let mk = |major: u8, minor: u8| MAKEWORD(major, minor);
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
