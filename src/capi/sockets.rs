//! The socket functions: `socket`, `closesocket`, `bind`, `listen`, `accept`, `connect`,
//! `recv`, `send`, `recvfrom`, `sendto`, `shutdown`, `ioctlsocket`, `getsockopt`,
//! `setsockopt`, `getsockname`, `getpeername`, `WSAEventSelect`, `WSAEnumNetworkEvents`.
//!
//! Each is the Rust facade's function ([`crate::winsock`]: handle table, Windows error
//! rules, the event-select state machine) behind a C conversion layer that does what only
//! C needs:
//!
//! * Windows `SOCKADDR` layouts (16-byte `SOCKADDR_IN`, 28-byte `SOCKADDR_IN6`, family
//!   values `AF_INET` = 2 and `AF_INET6` = 23) to and from [`SocketAddr`];
//! * pointer and length validation: `WSAEFAULT` for a NULL or too-short buffer, address or
//!   length, as Windows reports it. The order of checks is Windows': `WSANOTINITIALISED`,
//!   then `WSAENOTSOCK`, then the arguments — and an argument error is reported before the
//!   socket is touched, so a rejected `recv` does not re-enable `FD_READ` (rule 18);
//! * `ioctlsocket`'s `u_long *argp`, Windows' 32-bit `u_long` in the headers (see
//!   `include/wsaevents_base.h`): exactly 4 bytes read or written; a program's 64-bit
//!   `unsigned long` reaches `wsaevents_ioctlsocket_ul` instead (header dispatch);
//! * `WSAEnumNetworkEvents` writes only `lNetworkEvents` and the `iErrorCode` entries of the
//!   reported events, never reading the caller's structure (rule 13).
//!
//! Names POSIX also has are exported as `wsaevents_<name>`; the headers map them.

use std::ffi::{c_char, c_int, c_ulong, c_void};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use super::addr::{AF_INET, AF_INET6};
use super::handles::{self, Handle};
use super::{ensure_started, fail, ffi};
use crate::error::{WSAEAFNOSUPPORT, WSAEFAULT, WSAENOTSOCK};
use crate::winsock::{self, INVALID_SOCKET, SOCKET, SOCKET_ERROR, WSANETWORKEVENTS};
use std::sync::Arc;

use crate::{AddressFamily, FD_MAX_EVENTS, Socket, SocketType};

/// `sizeof(SOCKADDR_IN)`.
pub const SOCKADDR_IN_LEN: i32 = 16;
/// `sizeof(SOCKADDR_IN6)`.
pub const SOCKADDR_IN6_LEN: i32 = 28;

/// The checks every socket call makes first, in Windows' order: `WSANOTINITIALISED`, then
/// `WSAENOTSOCK`. Returns the socket, resolved once for the whole call.
pub(crate) fn precheck(s: SOCKET) -> Result<Arc<Socket>, i32> {
    ensure_started().map_err(|e| e.code())?;
    winsock::socket_of(s).ok_or(WSAENOTSOCK)
}

fn addr_len(family: AddressFamily) -> i32 {
    match family {
        AddressFamily::Inet => SOCKADDR_IN_LEN,
        AddressFamily::Inet6 => SOCKADDR_IN6_LEN,
    }
}

/// Reads a Windows `SOCKADDR_IN` / `SOCKADDR_IN6`.
///
/// # Safety
/// `name` must be NULL or readable for `len` bytes.
pub(crate) unsafe fn read_sockaddr(name: *const c_void, len: c_int) -> Result<SocketAddr, i32> {
    if name.is_null() || len < 2 {
        return Err(WSAEFAULT);
    }
    let n = len.min(SOCKADDR_IN6_LEN) as usize;
    let mut b = [0u8; SOCKADDR_IN6_LEN as usize];
    // SAFETY: `name` is non-NULL and readable for `len` ≥ n bytes (caller's contract); `b`
    // holds 28 ≥ n bytes; byte copies need no alignment.
    unsafe { std::ptr::copy_nonoverlapping(name.cast::<u8>(), b.as_mut_ptr(), n) };
    let family = i32::from(u16::from_ne_bytes([b[0], b[1]]));
    let port = u16::from_be_bytes([b[2], b[3]]);
    match family {
        AF_INET if len >= SOCKADDR_IN_LEN => {
            let ip = Ipv4Addr::new(b[4], b[5], b[6], b[7]);
            Ok(SocketAddr::V4(SocketAddrV4::new(ip, port)))
        }
        AF_INET6 if len >= SOCKADDR_IN6_LEN => {
            let flow = u32::from_ne_bytes([b[4], b[5], b[6], b[7]]);
            let mut ip = [0u8; 16];
            ip.copy_from_slice(&b[8..24]);
            let scope = u32::from_ne_bytes([b[24], b[25], b[26], b[27]]);
            Ok(SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::from(ip),
                port,
                flow,
                scope,
            )))
        }
        AF_INET | AF_INET6 => Err(WSAEFAULT),
        _ => Err(WSAEAFNOSUPPORT),
    }
}

/// The Windows `SOCKADDR_IN` / `SOCKADDR_IN6` bytes of an address.
pub(crate) fn sockaddr_bytes(addr: &SocketAddr) -> Vec<u8> {
    let mut b = Vec::with_capacity(SOCKADDR_IN6_LEN as usize);
    match addr {
        SocketAddr::V4(a) => {
            b.extend_from_slice(&(AF_INET as u16).to_ne_bytes());
            b.extend_from_slice(&a.port().to_be_bytes());
            b.extend_from_slice(&a.ip().octets());
            b.extend_from_slice(&[0; 8]);
        }
        SocketAddr::V6(a) => {
            b.extend_from_slice(&(AF_INET6 as u16).to_ne_bytes());
            b.extend_from_slice(&a.port().to_be_bytes());
            b.extend_from_slice(&a.flowinfo().to_ne_bytes());
            b.extend_from_slice(&a.ip().octets());
            b.extend_from_slice(&a.scope_id().to_ne_bytes());
        }
    }
    b
}

/// Checks an output address buffer before the call: both pointers non-NULL and
/// `*namelen` ≥ the family's `SOCKADDR` size.
///
/// # Safety
/// `namelen` must be NULL or readable.
pub(crate) unsafe fn check_out_addr(
    name: *mut c_void,
    namelen: *mut c_int,
    family: AddressFamily,
) -> Result<(), i32> {
    if name.is_null() || namelen.is_null() {
        return Err(WSAEFAULT);
    }
    // SAFETY: non-NULL and readable by the caller's contract; unaligned-tolerant.
    let have = unsafe { namelen.read_unaligned() };
    if have < addr_len(family) {
        return Err(WSAEFAULT);
    }
    Ok(())
}

/// Writes an address into a buffer [`check_out_addr`] accepted, and its length.
///
/// # Safety
/// As for [`check_out_addr`], which must have succeeded for this buffer and family; `name`
/// writable for `*namelen` bytes, `namelen` writable.
pub(crate) unsafe fn write_out_addr(addr: &SocketAddr, name: *mut c_void, namelen: *mut c_int) {
    let b = sockaddr_bytes(addr);
    // SAFETY: `name` is writable for `*namelen` ≥ b.len() bytes (checked by
    // check_out_addr for this family) and `namelen` is writable (caller's contract).
    unsafe {
        std::ptr::copy_nonoverlapping(b.as_ptr(), name.cast::<u8>(), b.len());
        namelen.write_unaligned(b.len() as c_int);
    }
}

/// A C buffer as a byte slice (`WSAEFAULT` for NULL with a non-zero length or a negative
/// length).
///
/// # Safety
/// `buf` must be NULL or valid for `len` bytes for the returned lifetime.
unsafe fn buf_mut<'a>(buf: *mut c_char, len: c_int) -> Result<&'a mut [u8], i32> {
    match (buf.is_null(), len) {
        (_, l) if l < 0 => Err(WSAEFAULT),
        (_, 0) => Ok(&mut []),
        (true, _) => Err(WSAEFAULT),
        // SAFETY: non-NULL, valid for `len` > 0 bytes by the caller's contract.
        (false, l) => Ok(unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), l as usize) }),
    }
}

/// As [`buf_mut`], read-only.
///
/// # Safety
/// `buf` must be NULL or readable for `len` bytes for the returned lifetime.
unsafe fn buf_ref<'a>(buf: *const c_char, len: c_int) -> Result<&'a [u8], i32> {
    match (buf.is_null(), len) {
        (_, l) if l < 0 => Err(WSAEFAULT),
        (_, 0) => Ok(&[]),
        (true, _) => Err(WSAEFAULT),
        // SAFETY: non-NULL, readable for `len` > 0 bytes by the caller's contract.
        (false, l) => Ok(unsafe { std::slice::from_raw_parts(buf.cast::<u8>(), l as usize) }),
    }
}

/// Runs `body` with the socket after [`precheck`]; an `Err(code)` becomes `SOCKET_ERROR`
/// with that code.
pub(crate) fn with_socket(s: SOCKET, body: impl FnOnce(&Socket) -> Result<i32, i32>) -> i32 {
    ffi(SOCKET_ERROR, || {
        match precheck(s).and_then(|sk| body(&sk)) {
            Ok(v) => v,
            Err(code) => fail(code, SOCKET_ERROR),
        }
    })
}

/// `SOCKET socket(int af, int type, int protocol)`, exported as `wsaevents_socket`:
/// `INVALID_SOCKET` with `WSANOTINITIALISED`, `WSAEAFNOSUPPORT`, … on failure.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_socket(af: c_int, ty: c_int, protocol: c_int) -> SOCKET {
    ffi(INVALID_SOCKET, || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), INVALID_SOCKET);
        }
        winsock::socket(af, ty, protocol)
    })
}

/// `int closesocket(SOCKET)`: 0 or `SOCKET_ERROR` (`WSAENOTSOCK` for a closed or unknown
/// value). The selected event is left untouched (rule 43).
#[unsafe(no_mangle)]
pub extern "C" fn closesocket(s: SOCKET) -> c_int {
    with_socket(s, |_| Ok(winsock::closesocket(s)))
}

/// `int bind(SOCKET, const struct sockaddr*, int)`, exported as `wsaevents_bind`.
///
/// # Safety
/// `name` must be NULL or readable for `namelen` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_bind(s: SOCKET, name: *const c_void, namelen: c_int) -> c_int {
    with_socket(s, |_| {
        // SAFETY: forwarded caller contract.
        let addr = unsafe { read_sockaddr(name, namelen) }?;
        Ok(winsock::bind(s, &addr))
    })
}

/// `int listen(SOCKET, int)`, exported as `wsaevents_listen`.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_listen(s: SOCKET, backlog: c_int) -> c_int {
    with_socket(s, |_| Ok(winsock::listen(s, backlog)))
}

/// `SOCKET accept(SOCKET, struct sockaddr*, int*)`, exported as `wsaevents_accept`: the new
/// socket (inheriting the listener's selection, rule 36) or `INVALID_SOCKET`. If `addr`
/// and/or `addrlen` is NULL, no address is returned (accept's reference page; Wine does
/// the same); otherwise `*addrlen` must hold the family's `SOCKADDR` size (`WSAEFAULT`,
/// checked before accepting).
///
/// # Safety
/// `addr` must be NULL or writable for `*addrlen` bytes; `addrlen` NULL or readable and
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_accept(
    s: SOCKET,
    addr: *mut c_void,
    addrlen: *mut c_int,
) -> SOCKET {
    ffi(INVALID_SOCKET, || {
        let family = match precheck(s) {
            Ok(sk) => sk.family(),
            Err(code) => return fail(code, INVALID_SOCKET),
        };
        let want_addr = !addr.is_null() && !addrlen.is_null();
        if want_addr {
            // SAFETY: forwarded caller contract.
            if let Err(code) = unsafe { check_out_addr(addr, addrlen, family) } {
                return fail(code, INVALID_SOCKET);
            }
        }
        let mut peer = SocketAddr::from(([0, 0, 0, 0], 0));
        let new = winsock::accept(s, Some(&mut peer));
        if new != INVALID_SOCKET && want_addr {
            // SAFETY: check_out_addr accepted this buffer for the listener's family, which
            // is the accepted socket's family.
            unsafe { write_out_addr(&peer, addr, addrlen) };
        }
        new
    })
}

/// `int connect(SOCKET, const struct sockaddr*, int)`, exported as `wsaevents_connect`.
///
/// # Safety
/// `name` must be NULL or readable for `namelen` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_connect(
    s: SOCKET,
    name: *const c_void,
    namelen: c_int,
) -> c_int {
    with_socket(s, |_| {
        // SAFETY: forwarded caller contract.
        let addr = unsafe { read_sockaddr(name, namelen) }?;
        Ok(winsock::connect(s, &addr))
    })
}

/// `int recv(SOCKET, char*, int, int)`, exported as `wsaevents_recv`: bytes received, 0 at
/// end of stream, or `SOCKET_ERROR`. A NULL buffer or negative length is `WSAEFAULT`
/// without touching the socket (rule 18).
///
/// # Safety
/// `buf` must be NULL or writable for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_recv(
    s: SOCKET,
    buf: *mut c_char,
    len: c_int,
    flags: c_int,
) -> c_int {
    with_socket(s, |sk| {
        // SAFETY: forwarded caller contract.
        let b = unsafe { buf_mut(buf, len) }?;
        Ok(winsock::ret(winsock::recv_on(sk, b, flags)))
    })
}

/// `int send(SOCKET, const char*, int, int)`, exported as `wsaevents_send`.
///
/// # Safety
/// `buf` must be NULL or readable for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_send(
    s: SOCKET,
    buf: *const c_char,
    len: c_int,
    flags: c_int,
) -> c_int {
    with_socket(s, |sk| {
        // SAFETY: forwarded caller contract.
        let b = unsafe { buf_ref(buf, len) }?;
        Ok(winsock::ret(winsock::send_on(sk, b, flags)))
    })
}

/// `int recvfrom(SOCKET, char*, int, int, struct sockaddr*, int*)`, exported as
/// `wsaevents_recvfrom`. `from`/`fromlen` may both be NULL. On a connection-oriented
/// (stream) socket they are ignored, as on Windows: neither checked nor written.
///
/// # Safety
/// `buf` must be NULL or writable for `len` bytes; `from` NULL or writable for `*fromlen`
/// bytes; `fromlen` NULL or readable and writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_recvfrom(
    s: SOCKET,
    buf: *mut c_char,
    len: c_int,
    flags: c_int,
    from: *mut c_void,
    fromlen: *mut c_int,
) -> c_int {
    with_socket(s, |sk| {
        let family = sk.family();
        // SAFETY: forwarded caller contract.
        let b = unsafe { buf_mut(buf, len) }?;
        let want_addr = !from.is_null() && sk.socket_type() != SocketType::Stream;
        if want_addr {
            // SAFETY: forwarded caller contract.
            unsafe { check_out_addr(from, fromlen, family) }?;
        }
        let mut a = SocketAddr::from(([0, 0, 0, 0], 0));
        let n = winsock::recvfrom(s, b, flags, want_addr.then_some(&mut a));
        if n != SOCKET_ERROR && want_addr {
            // SAFETY: check_out_addr accepted this buffer for the socket's family.
            unsafe { write_out_addr(&a, from, fromlen) };
        }
        Ok(n)
    })
}

/// `int sendto(SOCKET, const char*, int, int, const struct sockaddr*, int)`, exported as
/// `wsaevents_sendto`. A NULL `to` sends on the connected socket, as `send`.
///
/// # Safety
/// `buf` must be NULL or readable for `len` bytes; `to` NULL or readable for `tolen` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_sendto(
    s: SOCKET,
    buf: *const c_char,
    len: c_int,
    flags: c_int,
    to: *const c_void,
    tolen: c_int,
) -> c_int {
    with_socket(s, |_| {
        // SAFETY: forwarded caller contract.
        let b = unsafe { buf_ref(buf, len) }?;
        if to.is_null() {
            return Ok(winsock::send(s, b, flags));
        }
        // SAFETY: forwarded caller contract.
        let addr = unsafe { read_sockaddr(to, tolen) }?;
        Ok(winsock::sendto(s, b, flags, &addr))
    })
}

/// `int shutdown(SOCKET, int how)`, exported as `wsaevents_shutdown`.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_shutdown(s: SOCKET, how: c_int) -> c_int {
    with_socket(s, |_| Ok(winsock::shutdown(s, how)))
}

/// The body of both `ioctlsocket` entry points: `get` reads whether the caller's value is
/// non-zero (`None` for a NULL `argp`, `WSAEFAULT`), `put` writes the result of `FIONREAD` / `SIOCATMARK`.
/// `FIONBIO` only reads, the others only write.
fn ioctl_with(
    s: SOCKET,
    cmd: i32,
    get: impl FnOnce() -> Option<bool>,
    put: impl FnOnce(u32),
) -> c_int {
    with_socket(s, |_| {
        let mut arg = u32::from(get().ok_or(WSAEFAULT)?);
        let rc = winsock::ioctlsocket(s, cmd as u32, &mut arg);
        if rc == 0 && cmd as u32 != winsock::FIONBIO {
            put(arg);
        }
        Ok(rc)
    })
}

/// `int ioctlsocket(SOCKET, long cmd, u_long *argp)`: `FIONBIO`, `FIONREAD`,
/// `SIOCATMARK`. `cmd` is a 32-bit `LONG`; `argp` points to Windows' 32-bit `u_long` (also
/// `ULONG`, `DWORD`): exactly 4 bytes are read or written. NULL `argp` is `WSAEFAULT`.
///
/// # Safety
/// `argp` must be NULL or readable and writable for 4 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ioctlsocket(s: SOCKET, cmd: i32, argp: *mut u32) -> c_int {
    ioctl_with(
        s,
        cmd,
        // SAFETY: non-NULL (checked) and readable for 4 bytes by the caller's contract;
        // unaligned-tolerant.
        || (!argp.is_null()).then(|| unsafe { argp.read_unaligned() } != 0),
        // SAFETY: non-NULL (the read above succeeded) and writable for 4 bytes.
        |v| unsafe { argp.write_unaligned(v) },
    )
}

/// `ioctlsocket` with an `unsigned long *argp` (64-bit on LP64), where the headers send a
/// program's `unsigned long` (a `_Generic` dispatch in C, an overload in C++): the whole
/// `unsigned long` is read or written, so no half of it is left stale.
///
/// # Safety
/// `argp` must be NULL or readable and writable as an `unsigned long`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_ioctlsocket_ul(
    s: SOCKET,
    cmd: i32,
    argp: *mut c_ulong,
) -> c_int {
    ioctl_with(
        s,
        cmd,
        // SAFETY: non-NULL (checked) and readable as an `unsigned long` by the caller's
        // contract; unaligned-tolerant.
        || (!argp.is_null()).then(|| unsafe { argp.read_unaligned() } != 0),
        // SAFETY: non-NULL (the read above succeeded) and writable as an `unsigned long`.
        |v| unsafe { argp.write_unaligned(c_ulong::from(v)) },
    )
}

/// `int getsockopt(SOCKET, int level, int optname, char *optval, int *optlen)`, exported as
/// `wsaevents_getsockopt`. NULL `optval`/`optlen` or a negative `*optlen` is `WSAEFAULT`.
///
/// # Safety
/// `optlen` must be NULL or readable and writable; `optval` NULL or writable for `*optlen`
/// bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_getsockopt(
    s: SOCKET,
    level: c_int,
    name: c_int,
    optval: *mut c_char,
    optlen: *mut c_int,
) -> c_int {
    with_socket(s, |_| {
        if optval.is_null() || optlen.is_null() {
            return Err(WSAEFAULT);
        }
        // SAFETY: non-NULL and readable by the caller's contract.
        let mut len = unsafe { optlen.read_unaligned() };
        // SAFETY: forwarded caller contract (`optval` writable for `*optlen` bytes).
        let b = unsafe { buf_mut(optval, len) }?;
        let rc = winsock::getsockopt(s, level, name, b, &mut len);
        if rc == 0 {
            // SAFETY: non-NULL and writable by the caller's contract.
            unsafe { optlen.write_unaligned(len) };
        }
        Ok(rc)
    })
}

/// `int setsockopt(SOCKET, int level, int optname, const char *optval, int optlen)`,
/// exported as `wsaevents_setsockopt`.
///
/// # Safety
/// `optval` must be NULL or readable for `optlen` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_setsockopt(
    s: SOCKET,
    level: c_int,
    name: c_int,
    optval: *const c_char,
    optlen: c_int,
) -> c_int {
    with_socket(s, |_| {
        if optval.is_null() {
            // SO_UPDATE_CONNECT_CONTEXT takes no value (setsockopt(s, SOL_SOCKET,
            // SO_UPDATE_CONNECT_CONTEXT, NULL, 0), Microsoft's ConnectEx page).
            if level == winsock::SOL_SOCKET && name == winsock::SO_UPDATE_CONNECT_CONTEXT {
                return Ok(winsock::setsockopt(s, level, name, &[]));
            }
            return Err(WSAEFAULT);
        }
        // SAFETY: forwarded caller contract.
        let b = unsafe { buf_ref(optval, optlen) }?;
        Ok(winsock::setsockopt(s, level, name, b))
    })
}

/// Shared body of `getsockname` / `getpeername`.
///
/// # Safety
/// `name` must be NULL or writable for `*namelen` bytes; `namelen` NULL or readable and
/// writable.
unsafe fn sock_name(
    s: SOCKET,
    name: *mut c_void,
    namelen: *mut c_int,
    get: fn(SOCKET, &mut SocketAddr) -> i32,
) -> c_int {
    with_socket(s, |sk| {
        let family = sk.family();
        // SAFETY: forwarded caller contract.
        unsafe { check_out_addr(name, namelen, family) }?;
        let mut a = SocketAddr::from(([0, 0, 0, 0], 0));
        let rc = get(s, &mut a);
        if rc == 0 {
            // SAFETY: check_out_addr accepted this buffer for the socket's family.
            unsafe { write_out_addr(&a, name, namelen) };
        }
        Ok(rc)
    })
}

/// `int getsockname(SOCKET, struct sockaddr*, int*)`, exported as `wsaevents_getsockname`.
///
/// # Safety
/// `name` must be NULL or writable for `*namelen` bytes; `namelen` NULL or readable and
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_getsockname(
    s: SOCKET,
    name: *mut c_void,
    namelen: *mut c_int,
) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { sock_name(s, name, namelen, winsock::getsockname) }
}

/// `int getpeername(SOCKET, struct sockaddr*, int*)`, exported as `wsaevents_getpeername`.
///
/// # Safety
/// `name` must be NULL or writable for `*namelen` bytes; `namelen` NULL or readable and
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_getpeername(
    s: SOCKET,
    name: *mut c_void,
    namelen: *mut c_int,
) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { sock_name(s, name, namelen, winsock::getpeername) }
}

/// `int WSAEventSelect(SOCKET, WSAEVENT, long lNetworkEvents)` (rules 1-7): 0 or
/// `SOCKET_ERROR`; a closed or unknown event with a non-zero mask is `WSAEINVAL`.
#[unsafe(no_mangle)]
pub extern "C" fn WSAEventSelect(s: SOCKET, event: Handle, network_events: i32) -> c_int {
    with_socket(s, |_| {
        Ok(winsock::WSAEventSelect(
            s,
            handles::value(event),
            network_events,
        ))
    })
}

/// `int WSAEnumNetworkEvents(SOCKET, WSAEVENT, LPWSANETWORKEVENTS)` (rules 10-15): 0 or
/// `SOCKET_ERROR`. A NULL record is `WSAEFAULT`, and then nothing is cleared or reset.
///
/// # Safety
/// `out` must be NULL or point to a writable `WSANETWORKEVENTS` (44 bytes).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAEnumNetworkEvents(
    s: SOCKET,
    event: Handle,
    out: *mut WSANETWORKEVENTS,
) -> c_int {
    with_socket(s, |sk| {
        if out.is_null() {
            return Err(WSAEFAULT);
        }
        let mut rec = WSANETWORKEVENTS::default();
        let rc = winsock::ret(winsock::enum_network_events_on(
            sk,
            handles::value(event),
            &mut rec,
        ));
        if rc == 0 {
            // SAFETY: `out` is non-NULL and points to a writable WSANETWORKEVENTS (caller's
            // contract); fields are written through raw pointers, never read, and only the
            // reported events' error codes are written (rule 13).
            unsafe {
                (&raw mut (*out).lNetworkEvents).write_unaligned(rec.lNetworkEvents);
                for bit in 0..FD_MAX_EVENTS {
                    if rec.lNetworkEvents & (1 << bit) != 0 {
                        let p = (&raw mut (*out).iErrorCode).cast::<i32>().add(bit);
                        p.write_unaligned(rec.iErrorCode[bit]);
                    }
                }
            }
        }
        Ok(rc)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sockaddr_round_trips() {
        for a in ["127.0.0.1:27015", "[::1]:443", "[fe80::1%3]:80"] {
            let a: SocketAddr = a.parse().unwrap();
            let b = sockaddr_bytes(&a);
            // SAFETY: a live buffer of b.len() bytes.
            let back = unsafe { read_sockaddr(b.as_ptr().cast(), b.len() as c_int) }.unwrap();
            assert_eq!(back, a);
        }
        let v4 = sockaddr_bytes(&"1.2.3.4:258".parse().unwrap());
        assert_eq!(v4.len(), 16);
        assert_eq!(&v4[..8], &[2, 0, 1, 2, 1, 2, 3, 4][..]);
        let v6 = sockaddr_bytes(&"[::1]:1".parse().unwrap());
        assert_eq!(v6.len(), 28);
        assert_eq!(u16::from_ne_bytes([v6[0], v6[1]]), 23);
    }

    #[test]
    fn short_or_foreign_addresses() {
        let v4 = sockaddr_bytes(&"1.2.3.4:5".parse().unwrap());
        // SAFETY: live buffers; lengths within them.
        unsafe {
            assert_eq!(read_sockaddr(v4.as_ptr().cast(), 15), Err(WSAEFAULT));
            assert_eq!(read_sockaddr(std::ptr::null(), 16), Err(WSAEFAULT));
            let mut linux_v6 = v4.clone();
            linux_v6[0] = 10;
            assert_eq!(
                read_sockaddr(linux_v6.as_ptr().cast(), 16),
                Err(WSAEAFNOSUPPORT)
            );
        }
    }
}
