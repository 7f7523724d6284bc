//! Name resolution with Windows' layouts and errors: `getaddrinfo`, `freeaddrinfo`,
//! `getnameinfo`, `GetAddrInfoW`, `FreeAddrInfoW`, `gai_strerrorA/W`, `gethostbyname`,
//! `gethostbyaddr`, `gethostname`, `GetHostNameW`, `getservbyname`, `getservbyport`,
//! `getprotobyname`, `getprotobynumber`, `inet_ntoa`, `InetPtonW`, `InetNtopW`,
//! `WSAAddressToStringA/W`, `WSAStringToAddressA/W`.
//!
//! Names POSIX also has are exported as `wsaevents_<name>` and mapped by
//! `include/wsaevents_resolve.h`, so the C library's resolver (which this module calls)
//! is never interposed.
//!
//! The lookups themselves are the C library's (`getaddrinfo`, `getnameinfo`,
//! `getservbyname`, `gethostname`: `/etc/hosts`, DNS, `/etc/services` as the system is
//! configured), except on a thread on a simulated network, where the hosts' names are
//! looked up there (`crate::sys::sim::lookup_name`, docs/simulation.md, "Names"); this
//! module converts the layouts and applies Windows' rules around them:
//!
//! * **Layouts.** `ADDRINFOA`/`ADDRINFOW` have Windows' field order (`ai_addrlen` a
//!   `size_t`, then `ai_canonname`, then `ai_addr`: glibc has `ai_addr` before
//!   `ai_canonname`), with Windows `SOCKADDR_IN`/`SOCKADDR_IN6` (family 2 / 23) behind
//!   `ai_addr`. `hostent` has Windows' `short` `h_addrtype`/`h_length`; `servent` has
//!   Windows' order (on 64-bit `s_proto` before the `short` `s_port`).
//! * **getaddrinfo** (Wine's `dlls/ws2_32/tests/protocol.c`, `test_getaddrinfo` /
//!   `test_GetAddrInfoW`, run on Windows; the getaddrinfo reference page; ReactOS'
//!   `ws2_32/src/addrinfo.c` for the hint checks): the error code is returned **and**
//!   stored as the last error, success sets the last error to 0; `*ppResult` is NULL on
//!   failure. No node and no service is `WSAHOST_NOT_FOUND`. Hints: non-zero
//!   `ai_addrlen`/`ai_canonname`/`ai_addr`/`ai_next` is `WSANO_RECOVERY`, `AI_CANONNAME`
//!   without a node `WSAEINVAL`, a family other than `AF_UNSPEC`/`AF_INET`/`AF_INET6`
//!   `WSAEAFNOSUPPORT`, a socket type other than 0, `SOCK_STREAM`, `SOCK_DGRAM`,
//!   `SOCK_RAW` `WSAESOCKTNOSUPPORT`; any protocol is accepted. Each address appears
//!   once, with the hints' `ai_socktype` and `ai_protocol` copied as they are (0 stays 0;
//!   glibc would return one entry per socket type) and `ai_flags` 0. An empty node is the
//!   local host, and the host's own name always resolves (to the loopback address if the
//!   system cannot resolve it); `"[v6]"` and `"[v6]:port"` are accepted as numeric IPv6; a
//!   service is a decimal port or a name from the services database (`WSATYPE_NOT_FOUND`
//!   if unknown).
//! * **getnameinfo** (Microsoft's `wspiapi.h` `WspiapiLegacyGetNameInfo`, ReactOS): both
//!   buffers absent (NULL or size 0) is `WSAHOST_NOT_FOUND`, `NI_NUMERICHOST` with
//!   `NI_NAMEREQD` `WSAEINVAL`, a result longer than its buffer `WSAEFAULT`, an unknown
//!   port's service is its number, a host without a name is numeric unless `NI_NAMEREQD`.
//! * **Protocols** come from Windows' built-in table ([`PROTOCOLS`]), not `/etc/protocols`.
//! * **Errors** are Windows': the C library's `EAI_*` become `WSAHOST_NOT_FOUND`,
//!   `WSATRY_AGAIN`, `WSANO_RECOVERY`, `WSANO_DATA`, … ([`wsa_from_eai`]).
//! * **Per-thread results.** `gethostbyname`, `gethostbyaddr`, `getservbyname`,
//!   `getservbyport`, `getprotobyname`, `getprotobynumber` and `inet_ntoa` return pointers
//!   into storage owned by the calling thread, valid until that thread's next call of the
//!   same family, as Winsock's. The `hostent` is laid out as Windows lays it out (aliases
//!   right after the structure, then the address list, then the addresses: Wine's
//!   `test_dns`).
//!
//! Every function but `inet_ntoa`, `InetPtonW`, `InetNtopW` and `gai_strerror` needs
//! `WSAStartup` (`WSANOTINITIALISED` otherwise), as on Windows.

mod address_strings;
mod addrinfo;
mod errors;
mod hostent;
mod inet;
mod layout;
mod nameinfo;
mod protocols;
mod services;
mod strings;

/// `wchar_t`: 32-bit on Linux and macOS (the headers' `WCHAR`).
pub type WChar = libc::wchar_t;

pub use address_strings::*;
pub use addrinfo::*;
pub use errors::*;
pub use hostent::*;
pub use inet::*;
pub use layout::*;
pub use nameinfo::*;
pub use protocols::*;
pub use services::*;
use strings::*;

#[cfg(test)]
mod tests;
