//! The extended WSA calls, without overlapped I/O: `WSASocketA/W`, `WSARecv`,
//! `WSARecvFrom`, `WSASend`, `WSASendTo`, `WSAAccept`, `WSAConnect`, `WSAIoctl`
//! (declared by `include/wsaevents_wsaext.h`, which `winsock2.h` includes).
//!
//! As in [`super::sockets`], the rules are the facade's ([`crate::winsock`]); this module
//! converts `WSABUF` arrays, `SOCKADDR`s and out-pointers, in Windows' order of checks:
//! `WSANOTINITIALISED`, `WSAENOTSOCK`, then the arguments. A non-NULL `lpOverlapped` makes
//! the call overlapped ([`super::overlapped`]); a completion routine without one is
//! ignored, as on Windows.

use std::ffi::{c_char, c_int, c_void};
use std::net::SocketAddr;

use super::sockets::{
    check_out_addr, precheck, read_sockaddr, sockaddr_bytes, with_socket, write_out_addr,
};
use super::{ensure_started, fail, ffi, overlapped};
use crate::error::{WSAEFAULT, WSAEINVAL};
use crate::winsock::{self, INVALID_SOCKET, SOCKET};
use crate::{Socket, SocketType};

/// `WSABUF`: a 32-bit length, then the pointer (Windows' layout: 16 bytes on 64-bit).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WSABUF {
    /// The buffer's length in bytes.
    pub len: u32,
    /// The buffer.
    pub buf: *mut c_char,
}

/// `LPWSAOVERLAPPED_COMPLETION_ROUTINE`: `(dwError, cbTransferred, lpOverlapped,
/// dwFlags)`, run on the issuing thread in one of its alertable waits.
pub type CompletionRoutine =
    Option<unsafe extern "C" fn(u32, u32, *mut super::overlapped::OVERLAPPED, u32)>;

/// `LPCONDITIONPROC`: the `WSAAccept` condition function.
pub type ConditionProc = Option<
    unsafe extern "C" fn(
        *mut WSABUF,
        *mut WSABUF,
        *mut c_void,
        *mut c_void,
        *mut WSABUF,
        *mut WSABUF,
        *mut u32,
        usize,
    ) -> c_int,
>;

/// The `WSABUF` array as byte slices: `WSAEINVAL` for no buffers, `WSAEFAULT` for a NULL
/// array or a NULL buffer with a non-zero length.
///
/// # Safety
/// `bufs` must be NULL or point to `count` readable `WSABUF`s, each `buf` NULL or valid for
/// reads and writes of `len` bytes for the returned lifetime, the buffers not overlapping.
unsafe fn buffers<'a>(bufs: *const WSABUF, count: u32) -> Result<Vec<&'a mut [u8]>, i32> {
    if count == 0 {
        return Err(WSAEINVAL);
    }
    if bufs.is_null() {
        return Err(WSAEFAULT);
    }
    let mut out = Vec::with_capacity(count as usize);
    for i in 0..count as usize {
        // SAFETY: `bufs` points to `count` readable WSABUFs (caller's contract); unaligned
        // reads tolerate any placement.
        let b = unsafe { bufs.add(i).read_unaligned() };
        if b.len == 0 {
            out.push(&mut [][..]);
        } else if b.buf.is_null() {
            return Err(WSAEFAULT);
        } else {
            // SAFETY: non-NULL and valid for `len` bytes, not overlapping another buffer
            // (caller's contract).
            out.push(unsafe { std::slice::from_raw_parts_mut(b.buf.cast::<u8>(), b.len as usize) });
        }
    }
    Ok(out)
}

/// Writes a `DWORD` out-parameter if it is not NULL.
///
/// # Safety
/// `p` must be NULL or writable.
unsafe fn put(p: *mut u32, v: u32) {
    if !p.is_null() {
        // SAFETY: non-NULL and writable (caller's contract).
        unsafe { p.write_unaligned(v) };
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `SOCKET WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA, GROUP g, DWORD
/// dwFlags)`: `lpProtocolInfo` must be NULL and `g` 0 (else `WSAEINVAL`); see
/// [`winsock::WSASocket`] for the flags.
#[unsafe(no_mangle)]
pub extern "C" fn WSASocketA(
    af: c_int,
    ty: c_int,
    protocol: c_int,
    protocol_info: *mut c_void,
    g: u32,
    flags: u32,
) -> SOCKET {
    ffi(INVALID_SOCKET, || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), INVALID_SOCKET);
        }
        if !protocol_info.is_null() || g != 0 {
            return fail(WSAEINVAL, INVALID_SOCKET);
        }
        winsock::WSASocket(af, ty, protocol, flags)
    })
}

/// `SOCKET WSASocketW(...)`: as [`WSASocketA`] (the protocol-info argument, which differs,
/// must be NULL).
#[unsafe(no_mangle)]
pub extern "C" fn WSASocketW(
    af: c_int,
    ty: c_int,
    protocol: c_int,
    protocol_info: *mut c_void,
    g: u32,
    flags: u32,
) -> SOCKET {
    WSASocketA(af, ty, protocol, protocol_info, g, flags)
}

/// Shared body of `WSARecv` / `WSARecvFrom`.
///
/// # Safety
/// As for [`WSARecvFrom`].
#[allow(clippy::too_many_arguments)]
unsafe fn recv_common(
    sk: &Socket,
    bufs: *mut WSABUF,
    n: u32,
    bytes: *mut u32,
    flags: *mut u32,
    from: *mut c_void,
    fromlen: *mut c_int,
    with_from: bool,
    ov: *mut c_void,
    routine: CompletionRoutine,
) -> Result<i32, i32> {
    if !ov.is_null() {
        let call = overlapped::Call::Recv {
            flags,
            from: (from, fromlen),
            with_from,
        };
        // SAFETY: forwarded caller contract (the buffers and OVERLAPPED stay valid until
        // the operation completes: the Winsock contract for overlapped calls).
        return unsafe { overlapped::issue(sk, bufs, n, bytes, call, ov.cast(), routine) };
    }
    // A completion routine without an OVERLAPPED is ignored, as Windows ignores it
    // (ReactOS' WSARecv apitest, run on Windows: "call doesn't fail, but completion is not
    // called").
    let _ = routine;
    // SAFETY: forwarded caller contract.
    let mut slices = unsafe { buffers(bufs, n) }?;
    if flags.is_null() {
        return Err(WSAEFAULT);
    }
    let want_addr = !from.is_null() && sk.socket_type() != SocketType::Stream;
    if want_addr {
        // SAFETY: forwarded caller contract.
        unsafe { check_out_addr(from, fromlen, sk.family()) }?;
    }
    // SAFETY: non-NULL and readable (caller's contract).
    let f = unsafe { flags.read_unaligned() };
    let mut addr = SocketAddr::from(([0, 0, 0, 0], 0));
    let r = winsock::recv_vectored_on(sk, &mut slices, f as i32, want_addr.then_some(&mut addr));
    match r {
        Ok(got) => {
            // SAFETY: `bytes` NULL or writable (caller's contract). `*lpFlags` is left as
            // passed: no output flag applies to TCP or UDP (Wine leaves it too).
            unsafe { put(bytes, count(got)) };
            if want_addr {
                // SAFETY: check_out_addr accepted this buffer for the socket's family.
                unsafe { write_out_addr(&addr, from, fromlen) };
            }
            // The last error is 0 after a success (docs/semantics.md).
            Ok(winsock::ret(Ok(0)))
        }
        Err(e) => Err(e.code()),
    }
}

/// `int WSARecv(SOCKET, LPWSABUF, DWORD, LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
/// LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE)`: 0 or `SOCKET_ERROR`. One receive
/// scattered over the buffers; `*lpFlags` in: `MSG_PEEK`, `MSG_OOB`; left as passed.
/// `lpNumberOfBytesRecvd` may be NULL.
///
/// # Safety
/// `bufs` NULL or `count` readable `WSABUF`s whose buffers are writable and do not
/// overlap; `bytes` NULL or writable; `flags` NULL or readable and writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSARecv(
    s: SOCKET,
    bufs: *mut WSABUF,
    count: u32,
    bytes: *mut u32,
    flags: *mut u32,
    ov: *mut c_void,
    routine: CompletionRoutine,
) -> c_int {
    with_socket(s, |sk| {
        // SAFETY: forwarded caller contract; no address out-parameters.
        unsafe {
            recv_common(
                sk,
                bufs,
                count,
                bytes,
                flags,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                false,
                ov,
                routine,
            )
        }
    })
}

/// `int WSARecvFrom(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, struct sockaddr *lpFrom,
/// LPINT lpFromlen, LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE)`: [`WSARecv`] with
/// the sender's address, as `recvfrom` (ignored on a stream socket).
///
/// # Safety
/// As for [`WSARecv`]; `from` NULL or writable for `*fromlen` bytes, `fromlen` NULL or
/// readable and writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSARecvFrom(
    s: SOCKET,
    bufs: *mut WSABUF,
    count: u32,
    bytes: *mut u32,
    flags: *mut u32,
    from: *mut c_void,
    fromlen: *mut c_int,
    ov: *mut c_void,
    routine: CompletionRoutine,
) -> c_int {
    with_socket(s, |sk| {
        // SAFETY: forwarded caller contract.
        unsafe {
            recv_common(
                sk, bufs, count, bytes, flags, from, fromlen, true, ov, routine,
            )
        }
    })
}

/// Shared body of `WSASend` / `WSASendTo`.
///
/// # Safety
/// As for [`WSASendTo`].
#[allow(clippy::too_many_arguments)]
unsafe fn send_common(
    sk: &Socket,
    bufs: *mut WSABUF,
    n: u32,
    bytes: *mut u32,
    flags: u32,
    to: *const c_void,
    tolen: c_int,
    ov: *mut c_void,
    routine: CompletionRoutine,
) -> Result<i32, i32> {
    if !ov.is_null() {
        let call = overlapped::Call::Send {
            flags,
            to: (to, tolen),
        };
        // SAFETY: forwarded caller contract (the buffers and OVERLAPPED stay valid until
        // the operation completes: the Winsock contract for overlapped calls).
        return unsafe { overlapped::issue(sk, bufs, n, bytes, call, ov.cast(), routine) };
    }
    let _ = routine;
    // SAFETY: forwarded caller contract (the buffers are only read).
    let slices = unsafe { buffers(bufs, n) }?;
    let to = if to.is_null() {
        None
    } else {
        // SAFETY: forwarded caller contract.
        Some(unsafe { read_sockaddr(to, tolen) }?)
    };
    let refs: Vec<&[u8]> = slices.iter().map(|b| &**b).collect();
    match winsock::send_vectored_on(sk, &refs, flags as i32, to.as_ref()) {
        Ok(sent) => {
            // SAFETY: `bytes` NULL or writable (caller's contract).
            unsafe { put(bytes, count(sent)) };
            Ok(winsock::ret(Ok(0)))
        }
        Err(e) => Err(e.code()),
    }
}

/// `int WSASend(SOCKET, LPWSABUF, DWORD, LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
/// LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE)`: 0 or `SOCKET_ERROR`; one send of
/// the buffers gathered (one datagram on UDP).
///
/// # Safety
/// `bufs` NULL or `count` readable `WSABUF`s with readable buffers; `bytes` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSASend(
    s: SOCKET,
    bufs: *mut WSABUF,
    count: u32,
    bytes: *mut u32,
    flags: u32,
    ov: *mut c_void,
    routine: CompletionRoutine,
) -> c_int {
    with_socket(s, |sk| {
        // SAFETY: forwarded caller contract; no address.
        unsafe {
            send_common(
                sk,
                bufs,
                count,
                bytes,
                flags,
                std::ptr::null(),
                0,
                ov,
                routine,
            )
        }
    })
}

/// `int WSASendTo(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, const struct sockaddr *lpTo, int
/// iTolen, LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE)`: [`WSASend`] to `lpTo`
/// (NULL: the connected peer; ignored on a stream socket).
///
/// # Safety
/// As for [`WSASend`]; `to` NULL or readable for `tolen` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSASendTo(
    s: SOCKET,
    bufs: *mut WSABUF,
    count: u32,
    bytes: *mut u32,
    flags: u32,
    to: *const c_void,
    tolen: c_int,
    ov: *mut c_void,
    routine: CompletionRoutine,
) -> c_int {
    with_socket(s, |sk| {
        // SAFETY: forwarded caller contract.
        unsafe { send_common(sk, bufs, count, bytes, flags, to, tolen, ov, routine) }
    })
}

/// `SOCKET WSAAccept(SOCKET, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC,
/// DWORD_PTR dwCallbackData)`: `accept`, then the condition function (if any) decides (see
/// [`winsock::WSAAccept`]). It is called with the caller's and the local `SOCKADDR` in
/// `lpCallerId` and `lpCalleeId`, empty `WSABUF`s for the connect data (as Wine passes
/// them), NULL QoS, a `GROUP` of 0, and `dwCallbackData`.
///
/// # Safety
/// As for `accept`; `condition` NULL or a function with the `LPCONDITIONPROC` signature.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAAccept(
    s: SOCKET,
    addr: *mut c_void,
    addrlen: *mut c_int,
    condition: ConditionProc,
    data: usize,
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
        let mut ask = |peer: &SocketAddr, local: &SocketAddr| -> i32 {
            let Some(f) = condition else {
                return winsock::CF_ACCEPT;
            };
            let (mut caller, mut callee) = (sockaddr_bytes(peer), sockaddr_bytes(local));
            let mut caller_id = WSABUF {
                len: count(caller.len()),
                buf: caller.as_mut_ptr().cast(),
            };
            let mut callee_id = WSABUF {
                len: count(callee.len()),
                buf: callee.as_mut_ptr().cast(),
            };
            // No connect data: empty buffers, as Wine passes them.
            let mut caller_data = WSABUF {
                len: 0,
                buf: std::ptr::null_mut(),
            };
            let mut callee_data = caller_data;
            let mut group = 0u32;
            let null = std::ptr::null_mut::<c_void>();
            // SAFETY: a C function of the LPCONDITIONPROC signature (caller's contract),
            // given pointers to live locals (valid for the call) or NULL.
            unsafe {
                f(
                    &mut caller_id,
                    &mut caller_data,
                    null,
                    null,
                    &mut callee_id,
                    &mut callee_data,
                    &mut group,
                    data,
                )
            }
        };
        let mut peer = SocketAddr::from(([0, 0, 0, 0], 0));
        let new = winsock::WSAAccept(s, Some(&mut peer), Some(&mut ask));
        if new != INVALID_SOCKET && want_addr {
            // SAFETY: check_out_addr accepted this buffer for the listener's family.
            unsafe { write_out_addr(&peer, addr, addrlen) };
        }
        new
    })
}

/// `int WSAConnect(SOCKET, const struct sockaddr*, int, LPWSABUF lpCallerData, LPWSABUF
/// lpCalleeData, LPQOS, LPQOS)`: `connect`. No connect data is sent or received (TCP has
/// none): `lpCallerData` and the QoS arguments are ignored, `lpCalleeData->len` is set to 0.
///
/// # Safety
/// `name` NULL or readable for `namelen` bytes; `callee_data` NULL or a writable `WSABUF`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAConnect(
    s: SOCKET,
    name: *const c_void,
    namelen: c_int,
    _caller_data: *mut WSABUF,
    callee_data: *mut WSABUF,
    _sqos: *mut c_void,
    _gqos: *mut c_void,
) -> c_int {
    with_socket(s, |_| {
        // SAFETY: forwarded caller contract.
        let addr = unsafe { read_sockaddr(name, namelen) }?;
        let rc = winsock::WSAConnect(s, &addr);
        if rc == 0 && !callee_data.is_null() {
            // SAFETY: non-NULL and a writable WSABUF (caller's contract).
            unsafe { (&raw mut (*callee_data).len).write_unaligned(0) };
        }
        Ok(rc)
    })
}

/// `int WSAIoctl(SOCKET, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer, LPVOID
/// lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED,
/// LPWSAOVERLAPPED_COMPLETION_ROUTINE)`: see [`winsock::WSAIoctl`]. A NULL
/// `lpcbBytesReturned` is `WSAEFAULT` (Wine's Windows-run test_fionbio, test_keepalive_vals);
/// a NULL buffer counts as a buffer of length 0.
///
/// # Safety
/// `input` NULL or readable for `in_len` bytes; `output` NULL or writable for `out_len`
/// bytes; `returned` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WSAIoctl(
    s: SOCKET,
    code: u32,
    input: *mut c_void,
    in_len: u32,
    output: *mut c_void,
    out_len: u32,
    returned: *mut u32,
    ov: *mut c_void,
    routine: CompletionRoutine,
) -> c_int {
    with_socket(s, |sk| {
        // Overlapped: the two change ioctls (issue 12); other codes are not provided
        // overlapped (WSAEOPNOTSUPP). A completion routine without an OVERLAPPED is
        // ignored, as Windows ignores it.
        if !ov.is_null() {
            let dest = match code {
                winsock::SIO_ADDRESS_LIST_CHANGE => None,
                winsock::SIO_ROUTING_INTERFACE_CHANGE => {
                    // SAFETY: `input` is NULL or readable for `in_len` bytes (caller's
                    // contract).
                    Some(unsafe {
                        read_sockaddr(input.cast_const(), in_len.min(i32::MAX as u32) as c_int)
                    }?)
                }
                _ => return Err(crate::error::WSAEOPNOTSUPP),
            };
            if !returned.is_null() {
                // SAFETY: non-NULL and writable (caller's contract).
                unsafe { returned.write_unaligned(0) };
            }
            // SAFETY: `ov` is the caller's OVERLAPPED, valid until completion (contract).
            return unsafe { super::overlapped::issue_change(sk, code, dest, ov.cast(), routine) };
        }
        if returned.is_null() {
            return Err(WSAEFAULT);
        }
        let inb: &[u8] = if input.is_null() || in_len == 0 {
            &[]
        } else {
            // SAFETY: non-NULL and readable for `in_len` bytes (caller's contract).
            unsafe { std::slice::from_raw_parts(input.cast::<u8>(), in_len as usize) }
        };
        let outb: &mut [u8] = if output.is_null() || out_len == 0 {
            &mut []
        } else {
            // SAFETY: non-NULL and writable for `out_len` bytes (caller's contract).
            unsafe { std::slice::from_raw_parts_mut(output.cast::<u8>(), out_len as usize) }
        };
        // Windows writes `*lpcbBytesReturned` on some failures and not on others (see
        // winsock::WSAIoctl): start from the caller's value and write back what the call
        // left.
        // SAFETY: non-NULL, readable and writable (caller's contract).
        let mut n = unsafe { returned.read_unaligned() };
        let rc = match code {
            winsock::SIO_ADDRESS_LIST_CHANGE
            | winsock::SIO_ROUTING_INTERFACE_CHANGE
            | winsock::SIO_ADDRESS_LIST_QUERY
            | winsock::SIO_ROUTING_INTERFACE_QUERY => {
                let rc = change_ioctl(s, code, input, in_len, outb, &mut n);
                // SAFETY: as above.
                unsafe { returned.write_unaligned(n) };
                return rc;
            }
            super::mswsock::SIO_GET_EXTENSION_FUNCTION_POINTER => {
                let rc = super::mswsock::extension_function(inb, outb, &mut n);
                // SAFETY: as above.
                unsafe { returned.write_unaligned(n) };
                return rc;
            }
            _ => winsock::WSAIoctl(s, code, inb, outb, &mut n),
        };
        // SAFETY: as above.
        unsafe { returned.write_unaligned(n) };
        Ok(rc)
    })
}

/// `sizeof(SOCKET_ADDRESS)`: a pointer and an `INT`, padded to the pointer's alignment.
const SOCKET_ADDRESS_LEN: usize = 2 * std::mem::size_of::<usize>();
/// `offsetof(SOCKET_ADDRESS_LIST, Address)`: the `INT` count, padded likewise.
const ADDRESS_LIST_HEADER: usize = std::mem::size_of::<usize>();

/// The four address and route ioctls of `WSAIoctl`, converting Windows' layouts:
/// `SOCKADDR` in (the destination of the routing ioctls), `SOCKADDR` out
/// (`SIO_ROUTING_INTERFACE_QUERY`), `SOCKET_ADDRESS_LIST` out (`SIO_ADDRESS_LIST_QUERY`: the
/// count, the `SOCKET_ADDRESS` array, then the addresses it points to, all in the caller's
/// buffer). A buffer too small is `WSAEFAULT` with the size needed in `*returned`, as the
/// reference page says.
fn change_ioctl(
    s: SOCKET,
    code: u32,
    input: *mut c_void,
    in_len: u32,
    out: &mut [u8],
    returned: &mut u32,
) -> Result<c_int, i32> {
    let dest = || {
        // SAFETY: `input` is NULL or readable for `in_len` bytes (caller's contract).
        unsafe { read_sockaddr(input.cast_const(), in_len.min(i32::MAX as u32) as c_int) }
    };
    let done = |rc: c_int| {
        if rc == winsock::SOCKET_ERROR {
            Err(winsock::WSAGetLastError())
        } else {
            Ok(rc)
        }
    };
    match code {
        winsock::SIO_ADDRESS_LIST_CHANGE => {
            *returned = 0;
            done(winsock::address_list_change(s))
        }
        winsock::SIO_ROUTING_INTERFACE_CHANGE => {
            *returned = 0;
            let d = dest()?;
            done(winsock::routing_interface_change(s, &d))
        }
        winsock::SIO_ROUTING_INTERFACE_QUERY => {
            let d = dest()?;
            let mut local = d;
            done(winsock::routing_interface_query(s, &d, &mut local))?;
            let b = sockaddr_bytes(&local);
            *returned = b.len() as u32;
            if out.len() < b.len() {
                return Err(WSAEFAULT);
            }
            out[..b.len()].copy_from_slice(&b);
            Ok(0)
        }
        _ => {
            let mut list = Vec::new();
            done(winsock::address_list_query(s, &mut list))?;
            let addrs: Vec<Vec<u8>> = list.iter().map(sockaddr_bytes).collect();
            let table = ADDRESS_LIST_HEADER + addrs.len() * SOCKET_ADDRESS_LEN;
            let need = table + addrs.iter().map(Vec::len).sum::<usize>();
            *returned = need as u32;
            if out.len() < need {
                return Err(WSAEFAULT);
            }
            let base = out.as_ptr().addr();
            out[..4].copy_from_slice(&(addrs.len() as i32).to_ne_bytes());
            let mut at = table;
            for (i, a) in addrs.iter().enumerate() {
                let entry = ADDRESS_LIST_HEADER + i * SOCKET_ADDRESS_LEN;
                let w = std::mem::size_of::<usize>();
                out[entry..entry + w].copy_from_slice(&(base + at).to_ne_bytes());
                out[entry + w..entry + w + 4].copy_from_slice(&(a.len() as i32).to_ne_bytes());
                out[at..at + a.len()].copy_from_slice(a);
                at += a.len();
            }
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wsabuf_layout() {
        assert_eq!(
            std::mem::size_of::<WSABUF>(),
            2 * std::mem::size_of::<usize>()
        );
        assert_eq!(
            std::mem::offset_of!(WSABUF, buf),
            std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn buffer_arrays() {
        // SAFETY: NULL or live arrays of the given count.
        unsafe {
            assert_eq!(buffers(std::ptr::null(), 0).err(), Some(WSAEINVAL));
            assert_eq!(buffers(std::ptr::null(), 1).err(), Some(WSAEFAULT));
            let bad = [WSABUF {
                len: 4,
                buf: std::ptr::null_mut(),
            }];
            assert_eq!(buffers(bad.as_ptr(), 1).err(), Some(WSAEFAULT));
        }
    }
}
