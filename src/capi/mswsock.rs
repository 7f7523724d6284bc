//! The mswsock extensions at the C boundary: `AcceptEx`, `GetAcceptExSockaddrs`,
//! `ConnectEx`, `DisconnectEx` (declared by `include/mswsock.h`), and their function
//! pointers through `WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)` (`extension_function`,
//! reached from [`super::wsaext::WSAIoctl`]).
//!
//! The rules are the socket layer's (`socket/mswsock.rs`); this module converts the
//! caller's output buffer and `OVERLAPPED` (written at completion, `Internal` last, as
//! [`super::overlapped`] does) and checks arguments in Windows' order (Wine's Windows-run
//! `test_AcceptEx`, `test_connect`, `test_DisconnectEx`): `OVERLAPPED.Internal` is set to
//! `STATUS_PENDING` first, also when the call then fails; a NULL `OVERLAPPED` is
//! `ERROR_INVALID_PARAMETER` (87); a NULL `AcceptEx` buffer or a remote-address length of 0
//! is `WSAEFAULT`.
//!
//! The `AcceptEx` buffer: the first `dwReceiveDataLength` bytes receive data; then the
//! local-address block (`dwLocalAddressLength` bytes) and the remote one, each holding an
//! `INT` length and the `SOCKADDR` (Windows' own layout is undocumented: programs read it
//! with `GetAcceptExSockaddrs`, which reads this one).

use std::ffi::{c_int, c_void};
use std::sync::atomic::{Ordering, fence};

use super::overlapped::OVERLAPPED;
use super::sockets::{precheck, read_sockaddr, sockaddr_bytes};
use super::{FALSE, TRUE, fail, ffi};
use crate::error::{WSA_INVALID_PARAMETER, WSA_IO_PENDING, WSAEFAULT, WSAEINVAL};
use crate::overlapped::{OpBuffer, OpResult, STATUS_PENDING};
use crate::socket::{AcceptAddrs, accept_address_space};
use crate::winsock::{self, SOCKET};

/// `SIO_GET_EXTENSION_FUNCTION_POINTER`: `_WSAIORW(IOC_WS2, 6)`.
pub const SIO_GET_EXTENSION_FUNCTION_POINTER: u32 = 0xC800_0006;

/// A `GUID` as its 16 bytes in memory (`Data1`..`Data3` little-endian on every target
/// this builds for).
const fn guid(d1: u32, d2: u16, d3: u16, d4: [u8; 8]) -> [u8; 16] {
    let a = d1.to_le_bytes();
    let b = d2.to_le_bytes();
    let c = d3.to_le_bytes();
    [
        a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d4[0], d4[1], d4[2], d4[3], d4[4], d4[5],
        d4[6], d4[7],
    ]
}

/// `WSAID_ACCEPTEX`.
pub const WSAID_ACCEPTEX: [u8; 16] = guid(
    0xb536_7df1,
    0xcbac,
    0x11cf,
    [0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92],
);
/// `WSAID_GETACCEPTEXSOCKADDRS`.
pub const WSAID_GETACCEPTEXSOCKADDRS: [u8; 16] = guid(
    0xb536_7df2,
    0xcbac,
    0x11cf,
    [0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92],
);
/// `WSAID_CONNECTEX`.
pub const WSAID_CONNECTEX: [u8; 16] = guid(
    0x25a2_07b9,
    0xddf3,
    0x4660,
    [0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e],
);
/// `WSAID_DISCONNECTEX`.
pub const WSAID_DISCONNECTEX: [u8; 16] = guid(
    0x7fda_2e11,
    0x8630,
    0x436f,
    [0xa0, 0x31, 0xf5, 0x36, 0xa6, 0xee, 0xc1, 0x57],
);

/// Writes `STATUS_PENDING` into `Internal`, as Windows does before it checks anything else.
///
/// # Safety
/// `ov` NULL or writable.
unsafe fn mark_pending(ov: *mut OVERLAPPED) {
    if !ov.is_null() {
        // SAFETY: non-NULL and writable (caller's contract).
        unsafe { std::ptr::addr_of_mut!((*ov).Internal).write_volatile(STATUS_PENDING) };
    }
}

/// Writes an operation's result into the caller's `OVERLAPPED`: `InternalHigh` = bytes,
/// then, after a fence, `Internal` = the status.
///
/// # Safety
/// `ov` writable.
unsafe fn write_result(ov: *mut OVERLAPPED, r: &OpResult) {
    // SAFETY: writable (caller's contract).
    unsafe {
        std::ptr::addr_of_mut!((*ov).InternalHigh).write_volatile(r.bytes);
        fence(Ordering::Release);
        std::ptr::addr_of_mut!((*ov).Internal).write_volatile(r.status());
    }
}

/// The `hEvent` of a non-NULL `OVERLAPPED`.
///
/// # Safety
/// `ov` readable.
unsafe fn event_of(ov: *const OVERLAPPED) -> usize {
    // SAFETY: readable (caller's contract).
    super::handles::value(unsafe { std::ptr::addr_of!((*ov).hEvent).read_volatile() })
}

/// `AcceptEx`'s memory: the caller's output buffer and `OVERLAPPED`.
struct AcceptBuffer {
    out: *mut u8,
    recv_len: usize,
    local_len: usize,
    remote_len: usize,
    addrs: AcceptAddrs,
    ov: *mut OVERLAPPED,
}

// SAFETY: the caller's buffer and OVERLAPPED stay valid until the operation completes (the
// AcceptEx contract); they are used only by the operation, under its socket's lock, and
// never after its one completion.
unsafe impl Send for AcceptBuffer {}

/// Writes one address block (`INT` length, `SOCKADDR`) if it fits.
///
/// # Safety
/// `block` writable for `len` bytes.
unsafe fn write_block(block: *mut u8, len: usize, addr: &std::net::SocketAddr) {
    let b = sockaddr_bytes(addr);
    if len < 4 + b.len() {
        return;
    }
    let n = (b.len() as i32).to_ne_bytes();
    // SAFETY: `block` is writable for `len` ≥ 4 + b.len() bytes (caller's contract).
    unsafe {
        std::ptr::copy_nonoverlapping(n.as_ptr(), block, 4);
        std::ptr::copy_nonoverlapping(b.as_ptr(), block.add(4), b.len());
    }
}

impl OpBuffer for AcceptBuffer {
    fn bytes(&mut self) -> &mut [u8] {
        if self.recv_len == 0 {
            return &mut [];
        }
        // SAFETY: the caller's buffer is writable for recv_len + local_len + remote_len
        // bytes until completion (the contract above).
        unsafe { std::slice::from_raw_parts_mut(self.out, self.recv_len) }
    }

    fn complete(&mut self, r: &OpResult) {
        if let (0, Some((local, remote))) = (r.error, *self.addrs.lock()) {
            // SAFETY: the address blocks follow the receive part in the caller's buffer
            // (the contract above).
            unsafe {
                let local_block = self.out.add(self.recv_len);
                write_block(local_block, self.local_len, &local);
                write_block(local_block.add(self.local_len), self.remote_len, &remote);
            }
        }
        // SAFETY: the caller's OVERLAPPED, writable until completion.
        unsafe { write_result(self.ov, r) };
    }
}

/// `BOOL AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer, DWORD
/// dwReceiveDataLength, DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength, LPDWORD
/// lpdwBytesReceived, LPOVERLAPPED lpOverlapped)`: `FALSE` with `ERROR_IO_PENDING` (997);
/// the operation completes on `lpOverlapped` (its event, the listener's completion port).
/// See the module for the argument checks and `socket/mswsock.rs` for the rules.
///
/// # Safety
/// `out` NULL or writable for the three lengths' sum until completion; `received` NULL or
/// writable; `ov` NULL or a writable `OVERLAPPED` valid until completion.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn AcceptEx(
    listen: SOCKET,
    accept: SOCKET,
    out: *mut c_void,
    recv_len: u32,
    local_len: u32,
    remote_len: u32,
    received: *mut u32,
    ov: *mut OVERLAPPED,
) -> i32 {
    ffi(FALSE, || {
        // SAFETY: NULL or writable (caller's contract).
        unsafe { mark_pending(ov) };
        let run = || -> Result<bool, i32> {
            let l = precheck(listen)?;
            let a = precheck(accept)?;
            if out.is_null() {
                return Err(WSAEFAULT);
            }
            if ov.is_null() {
                return Err(WSA_INVALID_PARAMETER);
            }
            // SAFETY: non-NULL and readable (caller's contract).
            let event = unsafe { event_of(ov) };
            let notify = winsock::notify_for(event, None).map_err(|e| e.code())?;
            let addrs = AcceptAddrs::default();
            let buf = AcceptBuffer {
                out: out.cast(),
                recv_len: recv_len as usize,
                local_len: local_len as usize,
                remote_len: remote_len as usize,
                addrs: addrs.clone(),
                ov,
            };
            let (op, done) = l
                .accept_ex_with(
                    &a,
                    Box::new(buf),
                    local_len,
                    remote_len,
                    addrs,
                    notify,
                    ov.expose_provenance(),
                    event,
                )
                .map_err(|e| e.code())?;
            if done && !received.is_null() {
                let n = op.completed_result().map_or(0, |r| r.bytes as u32);
                // SAFETY: non-NULL and writable (caller's contract).
                unsafe { received.write_unaligned(n) };
            }
            Ok(done)
        };
        match run() {
            Ok(true) => TRUE,
            Ok(false) => fail(WSA_IO_PENDING, FALSE),
            Err(code) => fail(code, FALSE),
        }
    })
}

/// `void GetAcceptExSockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength, DWORD
/// dwLocalAddressLength, DWORD dwRemoteAddressLength, LPSOCKADDR *LocalSockaddr, LPINT
/// LocalSockaddrLength, LPSOCKADDR *RemoteSockaddr, LPINT RemoteSockaddrLength)`: points
/// into the buffer `AcceptEx` filled. A block shorter than an IPv4 address plus 16 bytes is
/// not read and its out-parameters are left alone (Windows, test_AcceptEx: a local length
/// of 0 leaves the local pointer and size untouched); NULL out-pointers are skipped.
///
/// # Safety
/// `buf` NULL or readable for the three lengths' sum; the out-pointers NULL or writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn GetAcceptExSockaddrs(
    buf: *mut c_void,
    recv_len: u32,
    local_len: u32,
    remote_len: u32,
    local: *mut *mut c_void,
    local_size: *mut c_int,
    remote: *mut *mut c_void,
    remote_size: *mut c_int,
) {
    ffi((), || {
        if buf.is_null() {
            return;
        }
        let min = accept_address_space(false) as usize;
        // SAFETY: `buf` readable for the lengths' sum (caller's contract); each block is
        // read only if it is at least `min` bytes long, and holds an INT length ≤ its size
        // when AcceptEx filled it.
        unsafe {
            let first = buf.cast::<u8>().add(recv_len as usize);
            for (block, len, p, size) in [
                (first, local_len as usize, local, local_size),
                (
                    first.add(local_len as usize),
                    remote_len as usize,
                    remote,
                    remote_size,
                ),
            ] {
                if len < min {
                    continue;
                }
                let n = i32::from_ne_bytes([*block, *block.add(1), *block.add(2), *block.add(3)]);
                if n <= 0 || 4 + n as usize > len {
                    continue;
                }
                if !p.is_null() {
                    p.write_unaligned(block.add(4).cast());
                }
                if !size.is_null() {
                    size.write_unaligned(n);
                }
            }
        }
    })
}

/// `ConnectEx`'s memory: the caller's send buffer and `OVERLAPPED`.
struct ConnectBuffer {
    data: *mut u8,
    len: usize,
    ov: *mut OVERLAPPED,
}

// SAFETY: as for AcceptBuffer: valid until completion by the ConnectEx contract, used only
// by the operation.
unsafe impl Send for ConnectBuffer {}

impl OpBuffer for ConnectBuffer {
    fn bytes(&mut self) -> &mut [u8] {
        if self.len == 0 || self.data.is_null() {
            return &mut [];
        }
        // SAFETY: the caller's send buffer, readable for `len` bytes until completion; the
        // operation only reads it.
        unsafe { std::slice::from_raw_parts_mut(self.data, self.len) }
    }

    fn complete(&mut self, r: &OpResult) {
        // SAFETY: the caller's OVERLAPPED, writable until completion.
        unsafe { write_result(self.ov, r) };
    }
}

/// `BOOL ConnectEx(SOCKET s, const struct sockaddr *name, int namelen, PVOID lpSendBuffer,
/// DWORD dwSendDataLength, LPDWORD lpdwBytesSent, LPOVERLAPPED lpOverlapped)`: `FALSE`
/// with `ERROR_IO_PENDING`; completes when connected and the buffer is sent (bytes = sent),
/// or with `ERROR_CONNECTION_REFUSED` (1225) from `GetOverlappedResult`. Errors at the
/// call: `WSAENOTSOCK`, `ERROR_INVALID_PARAMETER` (NULL `OVERLAPPED`), `WSAEINVAL`
/// (unbound, listening, an `AcceptEx` target), `WSAEISCONN`, `WSAEFAULT` (the address).
///
/// # Safety
/// `name` NULL or readable for `namelen` bytes; `data` NULL or readable for `len` bytes
/// until completion; `sent` NULL or writable; `ov` NULL or a writable `OVERLAPPED` valid
/// until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ConnectEx(
    s: SOCKET,
    name: *const c_void,
    namelen: c_int,
    data: *mut c_void,
    len: u32,
    sent: *mut u32,
    ov: *mut OVERLAPPED,
) -> i32 {
    ffi(FALSE, || {
        // SAFETY: NULL or writable (caller's contract).
        unsafe { mark_pending(ov) };
        let run = || -> Result<bool, i32> {
            let sk = precheck(s)?;
            if ov.is_null() {
                return Err(WSA_INVALID_PARAMETER);
            }
            // SAFETY: NULL or readable for `namelen` bytes (caller's contract).
            let addr = unsafe { read_sockaddr(name, namelen) }?;
            // SAFETY: non-NULL and readable (caller's contract).
            let event = unsafe { event_of(ov) };
            let notify = winsock::notify_for(event, None).map_err(|e| e.code())?;
            let buf = ConnectBuffer {
                data: data.cast(),
                len: len as usize,
                ov,
            };
            let (op, done) = sk
                .connect_ex_with(addr, Box::new(buf), notify, ov.expose_provenance(), event)
                .map_err(|e| e.code())?;
            if done && !sent.is_null() {
                let n = op.completed_result().map_or(0, |r| r.bytes as u32);
                // SAFETY: non-NULL and writable (caller's contract).
                unsafe { sent.write_unaligned(n) };
            }
            Ok(done)
        };
        match run() {
            Ok(true) => TRUE,
            Ok(false) => fail(WSA_IO_PENDING, FALSE),
            Err(code) => fail(code, FALSE),
        }
    })
}

/// `DisconnectEx`'s `OVERLAPPED` (no data).
struct DisconnectBuffer {
    ov: *mut OVERLAPPED,
}

// SAFETY: as for AcceptBuffer.
unsafe impl Send for DisconnectBuffer {}

impl OpBuffer for DisconnectBuffer {
    fn bytes(&mut self) -> &mut [u8] {
        &mut []
    }

    fn complete(&mut self, r: &OpResult) {
        // SAFETY: the caller's OVERLAPPED, writable until completion.
        unsafe { write_result(self.ov, r) };
    }
}

/// `BOOL DisconnectEx(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags, DWORD
/// dwReserved)`: shuts the sending side down. With a NULL `OVERLAPPED`, synchronously
/// (`TRUE`); else `FALSE` with `ERROR_IO_PENDING` and a completion of 0 bytes. `WSAENOTCONN`
/// unless connected; `dwReserved` non-zero or unknown flags `WSAEINVAL`; `TF_REUSE_SOCKET`
/// `WSAEOPNOTSUPP` (not provided, docs/porting.md).
///
/// # Safety
/// `ov` NULL or a writable `OVERLAPPED` valid until completion.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn DisconnectEx(
    s: SOCKET,
    ov: *mut OVERLAPPED,
    flags: u32,
    reserved: u32,
) -> i32 {
    ffi(FALSE, || {
        let run = || -> Result<bool, i32> {
            let sk = precheck(s)?;
            if reserved != 0 {
                return Err(WSAEINVAL);
            }
            if ov.is_null() {
                sk.disconnect_ex(flags).map_err(|e| e.code())?;
                return Ok(true);
            }
            // SAFETY: non-NULL and writable (caller's contract).
            unsafe { mark_pending(ov) };
            // SAFETY: non-NULL and readable (caller's contract).
            let event = unsafe { event_of(ov) };
            let notify = winsock::notify_for(event, None).map_err(|e| e.code())?;
            let (_, done) = sk
                .disconnect_ex_overlapped(
                    flags,
                    Box::new(DisconnectBuffer { ov }),
                    notify,
                    ov.expose_provenance(),
                    event,
                )
                .map_err(|e| e.code())?;
            Ok(done)
        };
        match run() {
            Ok(true) => winsock::ret(Ok(TRUE)),
            Ok(false) => fail(WSA_IO_PENDING, FALSE),
            Err(code) => fail(code, FALSE),
        }
    })
}

/// `WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, 16, &fn, sizeof fn, &n, ..)`:
/// the address of `AcceptEx`, `GetAcceptExSockaddrs`, `ConnectEx` or `DisconnectEx`, with
/// `*returned` = `sizeof(void *)`. An input shorter than a `GUID` or an output shorter than
/// a pointer is `WSAEFAULT`; any other GUID (`WSAID_TRANSMITFILE`, `WSAID_WSARECVMSG`, …,
/// not provided here) is `WSAEINVAL` (the requirement; Windows
/// refuses an unknown GUID with `WSAEINVAL`).
pub(crate) fn extension_function(
    input: &[u8],
    output: &mut [u8],
    returned: &mut u32,
) -> Result<i32, i32> {
    const P: usize = std::mem::size_of::<usize>();
    if input.len() < 16 || output.len() < P {
        return Err(WSAEFAULT);
    }
    let g: [u8; 16] = input[..16].try_into().map_err(|_| WSAEFAULT)?;
    let f: usize = if g == WSAID_ACCEPTEX {
        AcceptEx as *const () as usize
    } else if g == WSAID_GETACCEPTEXSOCKADDRS {
        GetAcceptExSockaddrs as *const () as usize
    } else if g == WSAID_CONNECTEX {
        ConnectEx as *const () as usize
    } else if g == WSAID_DISCONNECTEX {
        DisconnectEx as *const () as usize
    } else {
        return Err(WSAEINVAL);
    };
    output[..P].copy_from_slice(&f.to_ne_bytes());
    *returned = P as u32;
    Ok(0)
}
