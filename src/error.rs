//! Winsock error codes and the crate's error type.
//!
//! Every failure in this crate is an [`Error`] carrying the code a Windows program would read
//! from `WSAGetLastError()`: the `WSAE*` codes (`WSABASEERR` + n) and the Win32 codes that
//! Winsock shares with the wait functions (`WSA_INVALID_HANDLE`, `WSA_INVALID_PARAMETER`, …).
//! Values are those of section B.3 of the reference (Windows SDK `winsock2.h`/`winerror.h`).
//!
//! OS errors are mapped with [`Error::from_io`], following the errno → Winsock table of
//! section D, gap 3 (the mapping Wine applies through `sock_get_ntstatus` and
//! `NtStatusToWSAError`).

use std::fmt;
use std::io;

/// Declares the code constants and the table that gives each its name and meaning.
macro_rules! codes {
    ($( $(#[$doc:meta])* $name:ident = $value:expr, $meaning:expr; )*) => {
        $( $(#[$doc])* pub const $name: i32 = $value; )*
        /// Every code this crate knows: (code, name, meaning).
        const TABLE: &[(i32, &str, &str)] = &[ $( ($value, stringify!($name), $meaning), )* ];
    };
}

codes! {
    /// `ERROR_INVALID_HANDLE` / `WSA_INVALID_HANDLE`: a closed or unknown event handle.
    WSA_INVALID_HANDLE = 6, "the handle is invalid";
    /// `ERROR_NOT_ENOUGH_MEMORY` / `WSA_NOT_ENOUGH_MEMORY`.
    WSA_NOT_ENOUGH_MEMORY = 8, "not enough memory is available";
    /// `ERROR_INVALID_PARAMETER` / `WSA_INVALID_PARAMETER`: e.g. 0 or more than 64 events.
    WSA_INVALID_PARAMETER = 87, "one or more parameters are invalid";
    /// `WSA_OPERATION_ABORTED`.
    WSA_OPERATION_ABORTED = 995, "the overlapped operation was aborted";
    /// `WSA_IO_INCOMPLETE`.
    WSA_IO_INCOMPLETE = 996, "the overlapped I/O event is not in a signalled state";
    /// `WSA_IO_PENDING`.
    WSA_IO_PENDING = 997, "the overlapped operation will complete later";
    /// `WSAEINTR`.
    WSAEINTR = 10004, "a blocking call was interrupted";
    /// `WSAEBADF`.
    WSAEBADF = 10009, "the file handle is not valid";
    /// `WSAEACCES`.
    WSAEACCES = 10013, "permission denied";
    /// `WSAEFAULT`: a bad pointer or a too-short buffer or address length.
    WSAEFAULT = 10014, "bad address";
    /// `WSAEINVAL`.
    WSAEINVAL = 10022, "invalid argument";
    /// `WSAEMFILE`.
    WSAEMFILE = 10024, "too many open sockets";
    /// `WSAEWOULDBLOCK`: a non-blocking call cannot complete now.
    WSAEWOULDBLOCK = 10035, "the operation would block";
    /// `WSAEINPROGRESS`.
    WSAEINPROGRESS = 10036, "a blocking operation is in progress";
    /// `WSAEALREADY`: a connect is already in progress.
    WSAEALREADY = 10037, "an operation is already in progress";
    /// `WSAENOTSOCK`: the handle is not a socket.
    WSAENOTSOCK = 10038, "the descriptor is not a socket";
    /// `WSAEDESTADDRREQ`.
    WSAEDESTADDRREQ = 10039, "a destination address is required";
    /// `WSAEMSGSIZE`.
    WSAEMSGSIZE = 10040, "the message is too long";
    /// `WSAEPROTOTYPE`.
    WSAEPROTOTYPE = 10041, "wrong protocol type for socket";
    /// `WSAENOPROTOOPT`.
    WSAENOPROTOOPT = 10042, "bad protocol option";
    /// `WSAEPROTONOSUPPORT`.
    WSAEPROTONOSUPPORT = 10043, "protocol not supported";
    /// `WSAESOCKTNOSUPPORT`.
    WSAESOCKTNOSUPPORT = 10044, "socket type not supported";
    /// `WSAEOPNOTSUPP`.
    WSAEOPNOTSUPP = 10045, "operation not supported";
    /// `WSAEPFNOSUPPORT`.
    WSAEPFNOSUPPORT = 10046, "protocol family not supported";
    /// `WSAEAFNOSUPPORT`.
    WSAEAFNOSUPPORT = 10047, "address family not supported";
    /// `WSAEADDRINUSE`.
    WSAEADDRINUSE = 10048, "address already in use";
    /// `WSAEADDRNOTAVAIL`.
    WSAEADDRNOTAVAIL = 10049, "cannot assign requested address";
    /// `WSAENETDOWN`.
    WSAENETDOWN = 10050, "the network is down";
    /// `WSAENETUNREACH`.
    WSAENETUNREACH = 10051, "the network is unreachable";
    /// `WSAENETRESET`.
    WSAENETRESET = 10052, "the connection was reset by the network";
    /// `WSAECONNABORTED`: FD_CLOSE's code after a RST (rule 39).
    WSAECONNABORTED = 10053, "the connection was aborted";
    /// `WSAECONNRESET`: recv/send after a RST (rule 39).
    WSAECONNRESET = 10054, "the connection was reset by the peer";
    /// `WSAENOBUFS`.
    WSAENOBUFS = 10055, "no buffer space is available";
    /// `WSAEISCONN`.
    WSAEISCONN = 10056, "the socket is already connected";
    /// `WSAENOTCONN`.
    WSAENOTCONN = 10057, "the socket is not connected";
    /// `WSAESHUTDOWN`.
    WSAESHUTDOWN = 10058, "cannot send or receive after the socket was shut down";
    /// `WSAETOOMANYREFS`.
    WSAETOOMANYREFS = 10059, "too many references";
    /// `WSAETIMEDOUT`.
    WSAETIMEDOUT = 10060, "the connection timed out";
    /// `WSAECONNREFUSED`.
    WSAECONNREFUSED = 10061, "the connection was refused";
    /// `WSAELOOP`.
    WSAELOOP = 10062, "too many levels of symbolic links";
    /// `WSAENAMETOOLONG`.
    WSAENAMETOOLONG = 10063, "name too long";
    /// `WSAEHOSTDOWN`.
    WSAEHOSTDOWN = 10064, "the host is down";
    /// `WSAEHOSTUNREACH`.
    WSAEHOSTUNREACH = 10065, "no route to host";
    /// `WSAENOTEMPTY`.
    WSAENOTEMPTY = 10066, "directory not empty";
    /// `WSAEPROCLIM`.
    WSAEPROCLIM = 10067, "too many processes";
    /// `WSAEUSERS`.
    WSAEUSERS = 10068, "user quota exceeded";
    /// `WSAEDQUOT`.
    WSAEDQUOT = 10069, "disk quota exceeded";
    /// `WSAESTALE`.
    WSAESTALE = 10070, "stale file handle";
    /// `WSAEREMOTE`.
    WSAEREMOTE = 10071, "item is remote";
    /// `WSASYSNOTREADY`.
    WSASYSNOTREADY = 10091, "the network subsystem is unavailable";
    /// `WSAVERNOTSUPPORTED`.
    WSAVERNOTSUPPORTED = 10092, "the requested Winsock version is not supported";
    /// `WSANOTINITIALISED`: a call before `WSAStartup`.
    WSANOTINITIALISED = 10093, "WSAStartup has not been called successfully";
    /// `WSAEDISCON`.
    WSAEDISCON = 10101, "graceful shutdown in progress";
    /// `WSATRY_AGAIN`.
    WSATRY_AGAIN = 11002, "nonauthoritative host not found; try again";
}

/// `WSABASEERR`: the base of the `WSAE*` codes.
pub const WSABASEERR: i32 = 10000;

/// A Winsock error: the code `WSAGetLastError()` returns on Windows for the same failure.
///
/// Compare with the code constants of this module:
///
/// ```
/// use wsaevents::error::{Error, WSAEWOULDBLOCK};
/// let e = Error::from_code(WSAEWOULDBLOCK);
/// assert_eq!(e.code(), 10035);
/// assert_eq!(e.to_string(), "WSAEWOULDBLOCK (10035): the operation would block");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{} ({}): {}", self.name(), self.code, self.meaning())]
pub struct Error {
    code: i32,
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The error with this Winsock (or Win32) code.
    pub const fn from_code(code: i32) -> Error {
        Error { code }
    }

    /// The numeric code, as `WSAGetLastError()` returns it.
    pub const fn code(&self) -> i32 {
        self.code
    }

    /// The symbolic name (`"WSAECONNRESET"`), or `"UNKNOWN"` for a code this crate does not list.
    pub fn name(&self) -> &'static str {
        lookup(self.code).map_or("UNKNOWN", |(_, n, _)| n)
    }

    /// A short human-readable meaning.
    pub fn meaning(&self) -> &'static str {
        lookup(self.code).map_or("unknown error", |(_, _, m)| m)
    }

    /// Maps an OS error to the Winsock error Windows reports for the same condition
    /// (section D, gap 3). Errors without an OS code map by [`io::ErrorKind`]; anything
    /// unknown becomes `WSAEINVAL`, Windows' catch-all status mapping.
    pub fn from_io(err: &io::Error) -> Error {
        if let Some(e) = err.get_ref().and_then(|e| e.downcast_ref::<Error>()) {
            return *e;
        }
        if let Some(errno) = err.raw_os_error() {
            if let Some(e) = Error::from_errno(errno) {
                return e;
            }
        }
        Error::from_code(match err.kind() {
            io::ErrorKind::WouldBlock => WSAEWOULDBLOCK,
            io::ErrorKind::ConnectionRefused => WSAECONNREFUSED,
            io::ErrorKind::ConnectionReset => WSAECONNRESET,
            io::ErrorKind::ConnectionAborted => WSAECONNABORTED,
            io::ErrorKind::NotConnected => WSAENOTCONN,
            io::ErrorKind::AddrInUse => WSAEADDRINUSE,
            io::ErrorKind::AddrNotAvailable => WSAEADDRNOTAVAIL,
            io::ErrorKind::BrokenPipe => WSAECONNRESET,
            io::ErrorKind::TimedOut => WSAETIMEDOUT,
            io::ErrorKind::Interrupted => WSAEINTR,
            io::ErrorKind::PermissionDenied => WSAEACCES,
            io::ErrorKind::OutOfMemory => WSAENOBUFS,
            io::ErrorKind::Unsupported => WSAEOPNOTSUPP,
            _ => WSAEINVAL,
        })
    }

    /// Maps a raw OS error number (errno on Unix, a WSA code on Windows).
    #[cfg(unix)]
    pub fn from_errno(errno: i32) -> Option<Error> {
        errno_to_wsa(errno).map(Error::from_code)
    }

    /// Maps a raw OS error number (errno on Unix, a WSA code on Windows).
    #[cfg(windows)]
    pub fn from_errno(errno: i32) -> Option<Error> {
        Some(Error::from_code(errno))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name(), self.code)
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> io::Error {
        let kind = match e.code {
            WSAEWOULDBLOCK => io::ErrorKind::WouldBlock,
            WSAECONNREFUSED => io::ErrorKind::ConnectionRefused,
            WSAECONNRESET => io::ErrorKind::ConnectionReset,
            WSAECONNABORTED => io::ErrorKind::ConnectionAborted,
            WSAENOTCONN => io::ErrorKind::NotConnected,
            WSAEADDRINUSE => io::ErrorKind::AddrInUse,
            WSAEADDRNOTAVAIL => io::ErrorKind::AddrNotAvailable,
            WSAETIMEDOUT => io::ErrorKind::TimedOut,
            WSAEINTR => io::ErrorKind::Interrupted,
            WSAEINVAL | WSA_INVALID_PARAMETER => io::ErrorKind::InvalidInput,
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, e)
    }
}

/// Every code this crate defines, in the order of the table (the C ABI's `FormatMessage`
/// is checked to have Windows' text for each).
pub fn all_codes() -> impl Iterator<Item = i32> {
    TABLE.iter().map(|&(c, _, _)| c)
}

fn lookup(code: i32) -> Option<&'static (i32, &'static str, &'static str)> {
    TABLE.iter().find(|(c, _, _)| *c == code)
}

/// errno → Winsock code (section D, gap 3, extended with the obvious one-to-one cases).
#[cfg(unix)]
fn errno_to_wsa(errno: i32) -> Option<i32> {
    use libc::*;
    #[allow(unreachable_patterns)] // EAGAIN == EWOULDBLOCK, EOPNOTSUPP == ENOTSUP on Linux
    let code = match errno {
        EINTR => WSAEINTR,
        EBADF => WSAEBADF,
        EACCES | EPERM => WSAEACCES,
        EFAULT => WSAEFAULT,
        EINVAL => WSAEINVAL,
        EMFILE | ENFILE => WSAEMFILE,
        EAGAIN | EWOULDBLOCK => WSAEWOULDBLOCK,
        EINPROGRESS => WSAEWOULDBLOCK, // a non-blocking connect in progress: Windows says WOULDBLOCK
        EALREADY => WSAEALREADY,
        ENOTSOCK => WSAENOTSOCK,
        EDESTADDRREQ => WSAEDESTADDRREQ,
        EMSGSIZE => WSAEMSGSIZE,
        EPROTOTYPE => WSAEPROTOTYPE,
        ENOPROTOOPT => WSAENOPROTOOPT,
        EPROTONOSUPPORT => WSAEPROTONOSUPPORT,
        ESOCKTNOSUPPORT => WSAESOCKTNOSUPPORT,
        EOPNOTSUPP | ENOTSUP => WSAEOPNOTSUPP,
        EPFNOSUPPORT => WSAEPFNOSUPPORT,
        EAFNOSUPPORT => WSAEAFNOSUPPORT,
        EADDRINUSE => WSAEADDRINUSE,
        EADDRNOTAVAIL => WSAEADDRNOTAVAIL,
        ENETDOWN => WSAENETDOWN,
        ENETUNREACH => WSAENETUNREACH,
        ENETRESET => WSAENETRESET,
        ECONNABORTED => WSAECONNABORTED,
        ECONNRESET | EPIPE => WSAECONNRESET,
        ENOBUFS | ENOMEM => WSAENOBUFS,
        EISCONN => WSAEISCONN,
        ENOTCONN => WSAENOTCONN,
        ESHUTDOWN => WSAESHUTDOWN,
        ETOOMANYREFS => WSAETOOMANYREFS,
        ETIMEDOUT => WSAETIMEDOUT,
        ECONNREFUSED => WSAECONNREFUSED,
        ELOOP => WSAELOOP,
        ENAMETOOLONG => WSAENAMETOOLONG,
        EHOSTDOWN => WSAEHOSTDOWN,
        EHOSTUNREACH => WSAEHOSTUNREACH,
        _ => return None,
    };
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Section B.3: the values of every code are the Windows SDK values.
    #[test]
    fn b3_code_values() {
        let expect = [
            (WSAEINTR, 10004),
            (WSAEBADF, 10009),
            (WSAEACCES, 10013),
            (WSAEFAULT, 10014),
            (WSAEINVAL, 10022),
            (WSAEMFILE, 10024),
            (WSAEWOULDBLOCK, 10035),
            (WSAEINPROGRESS, 10036),
            (WSAEALREADY, 10037),
            (WSAENOTSOCK, 10038),
            (WSAEMSGSIZE, 10040),
            (WSAEOPNOTSUPP, 10045),
            (WSAEAFNOSUPPORT, 10047),
            (WSAEADDRINUSE, 10048),
            (WSAEADDRNOTAVAIL, 10049),
            (WSAENETDOWN, 10050),
            (WSAENETUNREACH, 10051),
            (WSAENETRESET, 10052),
            (WSAECONNABORTED, 10053),
            (WSAECONNRESET, 10054),
            (WSAENOBUFS, 10055),
            (WSAEISCONN, 10056),
            (WSAENOTCONN, 10057),
            (WSAESHUTDOWN, 10058),
            (WSAETIMEDOUT, 10060),
            (WSAECONNREFUSED, 10061),
            (WSAEHOSTUNREACH, 10065),
            (WSANOTINITIALISED, 10093),
            (WSAEDISCON, 10101),
            (WSATRY_AGAIN, 11002),
            (WSA_INVALID_HANDLE, 6),
            (WSA_NOT_ENOUGH_MEMORY, 8),
            (WSA_INVALID_PARAMETER, 87),
            (WSA_IO_INCOMPLETE, 996),
            (WSA_IO_PENDING, 997),
        ];
        for (got, want) in expect {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn every_code_has_a_unique_name_and_display() {
        for (i, (code, name, meaning)) in TABLE.iter().enumerate() {
            assert!(
                TABLE[i + 1..].iter().all(|(c, _, _)| c != code),
                "{name} twice"
            );
            let e = Error::from_code(*code);
            assert_eq!(e.name(), *name);
            assert_eq!(e.to_string(), format!("{name} ({code}): {meaning}"));
        }
        assert_eq!(Error::from_code(4242).name(), "UNKNOWN");
    }

    /// Section D, gap 3: the errno → Winsock table.
    #[cfg(unix)]
    #[test]
    fn d3_errno_mapping() {
        let map = |e| Error::from_io(&io::Error::from_raw_os_error(e)).code();
        assert_eq!(map(libc::ECONNREFUSED), 10061);
        assert_eq!(map(libc::ETIMEDOUT), 10060);
        assert_eq!(map(libc::ENETUNREACH), 10051);
        assert_eq!(map(libc::EHOSTUNREACH), 10065);
        assert_eq!(map(libc::EADDRNOTAVAIL), 10049);
        assert_eq!(map(libc::EACCES), 10013);
        assert_eq!(map(libc::ECONNRESET), 10054);
        assert_eq!(map(libc::ECONNABORTED), 10053);
        // D.12: EPIPE is WSAECONNRESET.
        assert_eq!(map(libc::EPIPE), 10054);
        assert_eq!(map(libc::EAGAIN), WSAEWOULDBLOCK);
        assert_eq!(map(libc::EINPROGRESS), WSAEWOULDBLOCK);
        assert_eq!(map(libc::EISCONN), WSAEISCONN);
        assert_eq!(map(libc::ENOTCONN), WSAENOTCONN);
        // unknown errno: Windows' catch-all
        assert_eq!(map(libc::ENOENT), WSAEINVAL);
    }

    #[test]
    fn round_trips_through_io_error() {
        let io: io::Error = Error::from_code(WSAEWOULDBLOCK).into();
        assert_eq!(io.kind(), io::ErrorKind::WouldBlock);
        let back = io
            .get_ref()
            .and_then(|e| e.downcast_ref::<Error>())
            .copied();
        assert_eq!(back, Some(Error::from_code(WSAEWOULDBLOCK)));
    }
}
