//! The extended WSA calls (issue 9 §6), not overlapped

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::socket::{Socket, SocketType};

use super::*;

/// `WSA_FLAG_OVERLAPPED`: accepted by [`WSASocket`]; overlapped calls are not provided yet.
pub const WSA_FLAG_OVERLAPPED: u32 = 0x01;
/// `WSA_FLAG_NO_HANDLE_INHERIT`: accepted (every socket here is close-on-exec).
pub const WSA_FLAG_NO_HANDLE_INHERIT: u32 = 0x80;
/// `MSG_PARTIAL` (never reported: TCP and UDP are not partial-message protocols).
pub const MSG_PARTIAL: u32 = 0x8000;
/// `CF_ACCEPT`: a [`WSAAccept`] condition function keeps the connection.
pub const CF_ACCEPT: i32 = 0;
/// `CF_REJECT`: the connection is reset and `WSAAccept` fails `WSAECONNREFUSED`.
pub const CF_REJECT: i32 = 1;
/// `CF_DEFER` (needs `SO_CONDITIONAL_ACCEPT`, not provided: treated as invalid).
pub const CF_DEFER: i32 = 2;

/// The largest buffer one vectored receive reads into: all a datagram can hold, and for a
/// stream as much as one receive usually returns (a stream receive may return less than
/// asked for, so this changes no result).
const STREAM_GATHER_MAX: usize = 1 << 20;
const DGRAM_MAX: usize = 65_536;

/// `WSASocketA/W(af, type, protocol, NULL, 0, flags)`: [`socket`] with flags; flags other
/// than `WSA_FLAG_OVERLAPPED` and `WSA_FLAG_NO_HANDLE_INHERIT` are `WSAEINVAL` (our choice:
/// the multipoint and registered-I/O flags are not provided).
pub fn WSASocket(af: i32, ty: i32, protocol: i32, flags: u32) -> SOCKET {
    if !started() {
        return fail(WSANOTINITIALISED, INVALID_SOCKET);
    }
    if flags & !(WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT) != 0 {
        return fail(WSAEINVAL, INVALID_SOCKET);
    }
    socket(af, ty, protocol)
}

/// One receive scattered over `bufs`: a stream or datagram receive into one buffer of the
/// total size, copied out in order. A datagram larger than the buffers fills them and fails
/// `WSAEMSGSIZE`, as `recvfrom`.
pub(crate) fn recv_vectored_on(
    sk: &Socket,
    bufs: &mut [&mut [u8]],
    flags: i32,
    from: Option<&mut SocketAddr>,
) -> Result<usize> {
    if bufs.is_empty() {
        return Err(Error::from_code(WSAEINVAL));
    }
    let f = msg_flags(flags)?;
    let stream = sk.socket_type() == SocketType::Stream;
    if let [one] = bufs {
        // One buffer: received into directly.
        return if stream {
            sk.recv_with_flags(one, f)
        } else {
            let (n, a) = sk.recv_from_with_flags(one, f)?;
            if let Some(out) = from {
                *out = a;
            }
            Ok(n)
        };
    }
    let total: usize = bufs.iter().map(|b| b.len()).sum();
    let mut tmp = vec![0u8; total.min(if stream { STREAM_GATHER_MAX } else { DGRAM_MAX })];
    let r = if stream {
        sk.recv_with_flags(&mut tmp, f)
    } else {
        sk.recv_from_with_flags(&mut tmp, f).map(|(n, a)| {
            if let Some(out) = from {
                *out = a;
            }
            n
        })
    };
    let filled = match &r {
        Ok(n) => *n,
        Err(e) if e.code() == WSAEMSGSIZE => tmp.len(),
        Err(_) => 0,
    };
    let mut rest = &tmp[..filled];
    for b in bufs.iter_mut() {
        let k = rest.len().min(b.len());
        b[..k].copy_from_slice(&rest[..k]);
        rest = &rest[k..];
    }
    r
}

/// One send of `bufs` gathered (one datagram on UDP); `to` for `WSASendTo`.
pub(crate) fn send_vectored_on(
    sk: &Socket,
    bufs: &[&[u8]],
    flags: i32,
    to: Option<&SocketAddr>,
) -> Result<usize> {
    if bufs.is_empty() {
        return Err(Error::from_code(WSAEINVAL));
    }
    let joined;
    let data: &[u8] = if bufs.len() == 1 {
        bufs[0]
    } else {
        joined = bufs.concat();
        &joined
    };
    match to {
        Some(addr) if sk.socket_type() == SocketType::Datagram => {
            let f = msg_flags(flags)?;
            if f.peek || f.oob {
                return Err(Error::from_code(WSAEOPNOTSUPP));
            }
            sk.send_to(data, *addr)
        }
        _ => send_on(sk, data, flags).map(|n| n as usize),
    }
}

/// `WSARecv(s, bufs, n, &bytes, &flags, NULL, NULL)`: 0 with the bytes received (0 at end
/// of stream), or `SOCKET_ERROR`. `flags` (`MSG_PEEK`, `MSG_OOB`) is left as passed: no
/// output flag applies to TCP or UDP (`MSG_PARTIAL` is for partial-message protocols).
/// No buffers is `WSAEINVAL`.
pub fn WSARecv(s: SOCKET, bufs: &mut [&mut [u8]], bytes: &mut u32, flags: &mut u32) -> i32 {
    call(s, |sk| {
        let n = recv_vectored_on(sk, bufs, *flags as i32, None)?;
        *bytes = u32::try_from(n).unwrap_or(u32::MAX);
        Ok(0)
    })
}

/// `WSARecvFrom`: [`WSARecv`] with the sender's address (datagram sockets; a stream
/// socket leaves `from` alone, as `recvfrom`).
pub fn WSARecvFrom(
    s: SOCKET,
    bufs: &mut [&mut [u8]],
    bytes: &mut u32,
    flags: &mut u32,
    from: Option<&mut SocketAddr>,
) -> i32 {
    call(s, |sk| {
        let n = recv_vectored_on(sk, bufs, *flags as i32, from)?;
        *bytes = u32::try_from(n).unwrap_or(u32::MAX);
        Ok(0)
    })
}

/// `WSASend(s, bufs, n, &bytes, flags, NULL, NULL)`: 0 with the bytes sent, or
/// `SOCKET_ERROR`.
pub fn WSASend(s: SOCKET, bufs: &[&[u8]], bytes: &mut u32, flags: u32) -> i32 {
    call(s, |sk| {
        let n = send_vectored_on(sk, bufs, flags as i32, None)?;
        *bytes = u32::try_from(n).unwrap_or(u32::MAX);
        Ok(0)
    })
}

/// `WSASendTo`: [`WSASend`] to `to` (ignored on a stream socket, as `sendto`).
pub fn WSASendTo(s: SOCKET, bufs: &[&[u8]], bytes: &mut u32, flags: u32, to: &SocketAddr) -> i32 {
    call(s, |sk| {
        let n = send_vectored_on(sk, bufs, flags as i32, Some(to))?;
        *bytes = u32::try_from(n).unwrap_or(u32::MAX);
        Ok(0)
    })
}

/// A [`WSAAccept`] condition function: given the caller's and the local address, returns
/// [`CF_ACCEPT`] or [`CF_REJECT`].
pub type ConditionFn<'a> = &'a mut dyn FnMut(&SocketAddr, &SocketAddr) -> i32;

/// `WSAAccept(s, addr, addrlen, condition, data)`: [`accept`]; then, with a condition
/// function, `CF_ACCEPT` keeps the connection, `CF_REJECT` resets it (the peer sees a RST)
/// and fails `WSAECONNREFUSED`, anything else resets it and fails `WSAEINVAL`.
pub fn WSAAccept(
    s: SOCKET,
    addr: Option<&mut SocketAddr>,
    condition: Option<ConditionFn<'_>>,
) -> SOCKET {
    let r = sock(s).and_then(|sk| sk.accept());
    let (new, peer) = match r {
        Ok(x) => x,
        Err(e) => return fail(e.code(), INVALID_SOCKET),
    };
    if let Some(cond) = condition {
        let local = new.local_addr().unwrap_or(peer);
        let verdict = cond(&peer, &local);
        if verdict != CF_ACCEPT {
            let _ = new.set_linger(Some(Duration::ZERO));
            drop(new);
            let code = if verdict == CF_REJECT {
                WSAECONNREFUSED
            } else {
                WSAEINVAL
            };
            return fail(code, INVALID_SOCKET);
        }
    }
    if let Some(a) = addr {
        *a = peer;
    }
    insert(Object::Socket(Arc::new(new))).map_or_else(|| fail(WSAEMFILE, INVALID_SOCKET), succeed)
}

/// `WSAConnect(s, name, namelen, NULL, NULL, NULL, NULL)`: [`connect`].
pub fn WSAConnect(s: SOCKET, addr: &SocketAddr) -> i32 {
    connect(s, addr)
}

/// `SIO_ADDRESS_LIST_QUERY` (`_WSAIOR(IOC_WS2, 22)`): the local address list.
pub const SIO_ADDRESS_LIST_QUERY: u32 = 0x4800_0016;
/// `SIO_ADDRESS_LIST_CHANGE` (`_WSAIO(IOC_WS2, 23)`): one notification of its next change.
pub const SIO_ADDRESS_LIST_CHANGE: u32 = 0x2800_0017;
/// `SIO_ROUTING_INTERFACE_QUERY` (`_WSAIORW(IOC_WS2, 20)`): the local address to a
/// destination.
pub const SIO_ROUTING_INTERFACE_QUERY: u32 = 0xC800_0014;
/// `SIO_ROUTING_INTERFACE_CHANGE` (`_WSAIOW(IOC_WS2, 21)`): one notification of the next
/// change of the route to a destination.
pub const SIO_ROUTING_INTERFACE_CHANGE: u32 = 0x8800_0015;

/// `WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, …)`: [`Socket::address_list_change`] (0, or
/// `SOCKET_ERROR` with `WSAEWOULDBLOCK` on a non-blocking socket, the notification then
/// being `FD_ADDRESS_LIST_CHANGE`).
pub fn address_list_change(s: SOCKET) -> i32 {
    call(s, |sk| sk.address_list_change().map(|()| 0))
}

/// `WSAIoctl(s, SIO_ROUTING_INTERFACE_CHANGE, &dest, …)`:
/// [`Socket::routing_interface_change`].
pub fn routing_interface_change(s: SOCKET, dest: &SocketAddr) -> i32 {
    call(s, |sk| sk.routing_interface_change(*dest).map(|()| 0))
}

/// `WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, …)`: the socket family's local addresses into
/// `out` ([`Socket::address_list_query`]).
pub fn address_list_query(s: SOCKET, out: &mut Vec<SocketAddr>) -> i32 {
    call(s, |sk| {
        *out = sk.address_list_query()?;
        Ok(0)
    })
}

/// `WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &dest, …)`: the local address to `dest` into
/// `out` ([`Socket::routing_interface_query`]).
pub fn routing_interface_query(s: SOCKET, dest: &SocketAddr, out: &mut SocketAddr) -> i32 {
    call(s, |sk| {
        *out = sk.routing_interface_query(*dest)?;
        Ok(0)
    })
}

/// `WSAIoctl(s, code, in, out, &returned, NULL, NULL)` without overlapped I/O, as Wine's
/// Windows-run tests (test_fionbio, test_fionread_siocatmark, test_keepalive_vals,
/// test_unsupported_ioctls) check it: `FIONBIO` (a 4-byte `u_long` in; `returned` 0),
/// `FIONREAD` and `SIOCATMARK` (4 bytes out; `returned` 4; a shorter buffer is `WSAEFAULT`
/// and `returned` is left alone), `SIO_KEEPALIVE_VALS` (a 12-byte [`tcp_keepalive`] in;
/// `returned` 0, also when it fails `WSAEFAULT` for a shorter one; a datagram socket is
/// `WSAEINVAL`, as Wine), and any other code `WSAEOPNOTSUPP` with `returned` 0.
pub fn WSAIoctl(s: SOCKET, code: u32, input: &[u8], output: &mut [u8], returned: &mut u32) -> i32 {
    call(s, |sk| {
        let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        match code {
            FIONBIO => {
                if input.len() < 4 {
                    return Err(Error::from_code(WSAEFAULT));
                }
                sk.set_nonblocking(word(input) != 0)?;
                *returned = 0;
            }
            SIO_KEEPALIVE_VALS => {
                *returned = 0;
                if input.len() < 12 {
                    return Err(Error::from_code(WSAEFAULT));
                }
                if sk.socket_type() != SocketType::Stream {
                    return Err(Error::from_code(WSAEINVAL));
                }
                let ms = |b: &[u8]| Duration::from_millis(word(b).into());
                sk.set_keepalive_values(word(input) != 0, ms(&input[4..]), ms(&input[8..]))?;
            }
            FIONREAD | SIOCATMARK => {
                if output.len() < 4 {
                    return Err(Error::from_code(WSAEFAULT));
                }
                let v = if code == FIONREAD {
                    u32::try_from(sk.bytes_available()?).unwrap_or(u32::MAX)
                } else {
                    u32::from(sk.at_mark()?)
                };
                output[..4].copy_from_slice(&v.to_le_bytes());
                *returned = 4;
            }
            _ => {
                *returned = 0;
                return Err(Error::from_code(WSAEOPNOTSUPP));
            }
        }
        Ok(0)
    })
}

/// How Windows reads and writes an option's value (Wine's Windows-run
/// `test_set_getsockopt`, its `test_optsize` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OptSize {
    /// A `BOOL` at `SOL_SOCKET` (`SO_BROADCAST`, `SO_DONTLINGER`, `SO_OOBINLINE`,
    /// `SO_REUSEADDR`, `SO_EXCLUSIVEADDRUSE`, `SO_ACCEPTCONN`): set with any length (up to 4
    /// bytes read; 0 bytes is accepted and changes nothing); get writes up to 4 bytes and
    /// reports 4, or 1 for a shorter buffer.
    Bool,
    /// One byte (`SO_KEEPALIVE`, `TCP_NODELAY`, `IPV6_V6ONLY`): set reads the first byte of
    /// any length ≥ 1; get writes one byte and reports 1.
    Byte,
    /// A `DWORD` or `LINGER` (`SO_RCVBUF`, `SO_SNDBUF`, `SO_RCVTIMEO`, `SO_SNDTIMEO`,
    /// `SO_LINGER`, `SO_ERROR`, `SO_TYPE`): 4 bytes or `WSAEFAULT`, both ways.
    Dword,
    /// A small integer at `IPPROTO_IP` (`IP_TTL`): set reads up to 4 bytes of any length
    /// ≥ 1 (above 255: `WSAEINVAL`); get writes 4 bytes and reports 4, or 1 byte for a
    /// shorter buffer.
    Small,
}

/// The levels Windows knows; any other is `WSAEINVAL` (issue 8 item 7; Wine's
/// test_set_getsockopt checks 0xffffffff and 0x8000 on Windows).
fn known_level(level: i32) -> Result<()> {
    match level {
        SOL_SOCKET | IPPROTO_TCP | IPPROTO_UDP | IPPROTO_IP | IPPROTO_IPV6 => Ok(()),
        _ => Err(Error::from_code(WSAEINVAL)),
    }
}

/// The option's size class, or `WSAENOPROTOOPT` for an option this library does not have.
fn opt_size(level: i32, name: i32) -> Result<OptSize> {
    known_level(level)?;
    Ok(match (level, name) {
        (
            SOL_SOCKET,
            SO_BROADCAST | SO_DONTLINGER | SO_OOBINLINE | SO_REUSEADDR | SO_EXCLUSIVEADDRUSE
            | SO_ACCEPTCONN,
        ) => OptSize::Bool,
        (SOL_SOCKET, SO_KEEPALIVE) | (IPPROTO_TCP, TCP_NODELAY) | (IPPROTO_IPV6, IPV6_V6ONLY) => {
            OptSize::Byte
        }
        (
            SOL_SOCKET,
            SO_RCVBUF | SO_SNDBUF | SO_RCVTIMEO | SO_SNDTIMEO | SO_LINGER | SO_ERROR | SO_TYPE,
        ) => OptSize::Dword,
        (IPPROTO_IP, IP_TTL) => OptSize::Small,
        _ => return Err(Error::from_code(WSAENOPROTOOPT)),
    })
}

/// Up to the first 4 bytes of a value, little-endian as on every Windows target.
fn opt_value(val: &[u8]) -> u32 {
    let mut b = [0u8; 4];
    let n = val.len().min(4);
    b[..n].copy_from_slice(&val[..n]);
    u32::from_le_bytes(b)
}

fn ms(d: Option<Duration>) -> u32 {
    d.map_or(0, |d| u32::try_from(d.as_millis()).unwrap_or(u32::MAX))
}

/// `setsockopt(s, level, name, optval)`. `SOL_SOCKET`: `SO_LINGER` (a 4-byte `LINGER`),
/// `SO_DONTLINGER`, `SO_REUSEADDR`, `SO_EXCLUSIVEADDRUSE`, `SO_BROADCAST`, `SO_OOBINLINE`,
/// `SO_RCVBUF`, `SO_SNDBUF`, `SO_KEEPALIVE`, `SO_RCVTIMEO`/`SO_SNDTIMEO` (a `DWORD` of
/// milliseconds, 0 for none); `IPPROTO_TCP` `TCP_NODELAY`; `IPPROTO_IP` `IP_TTL`;
/// `IPPROTO_IPV6` `IPV6_V6ONLY`. Value lengths as Windows takes them (see `OptSize`); an
/// unknown level is `WSAEINVAL`, an unknown option `WSAENOPROTOOPT`.
pub fn setsockopt(s: SOCKET, level: i32, name: i32, optval: &[u8]) -> i32 {
    call(s, |sk| {
        // The mswsock options (socket/mswsock.rs): the listening SOCKET as the value.
        if level == SOL_SOCKET && name == SO_UPDATE_ACCEPT_CONTEXT {
            const N: usize = std::mem::size_of::<SOCKET>();
            let Some(v) = optval.get(..N) else {
                return Err(Error::from_code(WSAEFAULT));
            };
            let listener = SOCKET::from_ne_bytes(v.try_into().expect("N bytes"));
            let l = socket_of(listener).ok_or(Error::from_code(WSAENOTSOCK))?;
            sk.update_accept_context(&l)?;
            return Ok(0);
        }
        if level == SOL_SOCKET && name == SO_UPDATE_CONNECT_CONTEXT {
            sk.update_connect_context()?;
            return Ok(0);
        }
        let size = opt_size(level, name)?;
        let v = match (size, optval.len()) {
            // Windows accepts a BOOL of length 0 at SOL_SOCKET and changes nothing.
            (OptSize::Bool, 0) => return Ok(0),
            (_, 0) => return Err(Error::from_code(WSAEFAULT)),
            (OptSize::Dword, n) if n < 4 => return Err(Error::from_code(WSAEFAULT)),
            (OptSize::Byte, _) => u32::from(optval[0]),
            _ => opt_value(optval),
        };
        let on = v != 0;
        let dur = |v: u32| (v != 0).then(|| Duration::from_millis(v.into()));
        match (level, name) {
            (SOL_SOCKET, SO_LINGER) => {
                let onoff = u16::from_ne_bytes([optval[0], optval[1]]);
                let secs = u16::from_ne_bytes([optval[2], optval[3]]);
                sk.set_linger(Some(Duration::from_secs(secs.into())))?;
                if onoff == 0 {
                    sk.set_linger(None)?;
                }
            }
            (SOL_SOCKET, SO_DONTLINGER) => sk.set_dont_linger(on)?,
            (SOL_SOCKET, SO_REUSEADDR) => sk.set_reuse_address(on)?,
            (SOL_SOCKET, SO_EXCLUSIVEADDRUSE) => sk.set_exclusive_address_use(on)?,
            (SOL_SOCKET, SO_BROADCAST) => sk.set_broadcast(on)?,
            (SOL_SOCKET, SO_OOBINLINE) => sk.set_oob_inline(on)?,
            (SOL_SOCKET, SO_KEEPALIVE) => sk.set_keepalive(on)?,
            (SOL_SOCKET, SO_RCVBUF) => sk.set_recv_buffer_size(v as usize)?,
            (SOL_SOCKET, SO_SNDBUF) => sk.set_send_buffer_size(v as usize)?,
            (SOL_SOCKET, SO_RCVTIMEO) => sk.set_read_timeout(dur(v))?,
            (SOL_SOCKET, SO_SNDTIMEO) => sk.set_write_timeout(dur(v))?,
            (IPPROTO_TCP, TCP_NODELAY) => sk.set_nodelay(on)?,
            (IPPROTO_IP, IP_TTL) if v > 255 => return Err(Error::from_code(WSAEINVAL)),
            (IPPROTO_IP, IP_TTL) => sk.set_ttl(v)?,
            (IPPROTO_IPV6, IPV6_V6ONLY) => sk.set_only_v6(on)?,
            (SOL_SOCKET, SO_ERROR) => sk.set_error(v as i32)?,
            // Read-only: SO_ACCEPTCONN, SO_TYPE.
            _ => return Err(Error::from_code(WSAENOPROTOOPT)),
        }
        Ok(0)
    })
}

/// `getsockopt(s, level, name, optval, &optlen)`: the options of [`setsockopt`] plus
/// `SO_ERROR` (Windows' persistence: rules 33, 39), `SO_TYPE` and `SO_ACCEPTCONN`. Lengths
/// as Windows writes them (see `OptSize`): a buffer too short for the value is `WSAEFAULT`;
/// `optlen` receives the length written.
pub fn getsockopt(s: SOCKET, level: i32, name: i32, optval: &mut [u8], optlen: &mut i32) -> i32 {
    call(s, |sk| {
        let size = opt_size(level, name)?;
        let have = optval.len().min(usize::try_from(*optlen).unwrap_or(0));
        let short = match size {
            OptSize::Dword => have < 4,
            _ => have < 1,
        };
        if short {
            return Err(Error::from_code(WSAEFAULT));
        }
        let value: u32 = match (level, name) {
            (SOL_SOCKET, SO_LINGER) => {
                let (onoff, secs) = sk.linger_option()?;
                let mut v = [0u8; 4];
                v[..2].copy_from_slice(&u16::from(onoff).to_ne_bytes());
                v[2..].copy_from_slice(&secs.to_ne_bytes());
                u32::from_ne_bytes(v)
            }
            (SOL_SOCKET, SO_DONTLINGER) => sk.dont_linger()?.into(),
            (SOL_SOCKET, SO_REUSEADDR) => sk.reuse_address()?.into(),
            (SOL_SOCKET, SO_EXCLUSIVEADDRUSE) => sk.exclusive_address_use()?.into(),
            (SOL_SOCKET, SO_ACCEPTCONN) => sk.is_listener()?.into(),
            (SOL_SOCKET, SO_BROADCAST) => sk.broadcast()?.into(),
            (SOL_SOCKET, SO_OOBINLINE) => sk.oob_inline()?.into(),
            (SOL_SOCKET, SO_KEEPALIVE) => sk.keepalive()?.into(),
            (SOL_SOCKET, SO_RCVBUF) => len_i32(sk.recv_buffer_size()?) as u32,
            (SOL_SOCKET, SO_SNDBUF) => len_i32(sk.send_buffer_size()?) as u32,
            (SOL_SOCKET, SO_RCVTIMEO) => ms(sk.read_timeout()?),
            (SOL_SOCKET, SO_SNDTIMEO) => ms(sk.write_timeout()?),
            (SOL_SOCKET, SO_ERROR) => sk.take_error()?.map_or(0, |e| e.code()) as u32,
            (SOL_SOCKET, SO_TYPE) => match sk.socket_type() {
                SocketType::Stream => SOCK_STREAM as u32,
                SocketType::Datagram => SOCK_DGRAM as u32,
            },
            (IPPROTO_TCP, TCP_NODELAY) => sk.nodelay()?.into(),
            (IPPROTO_IP, IP_TTL) => sk.ttl()?,
            (IPPROTO_IPV6, IPV6_V6ONLY) => sk.only_v6()?.into(),
            _ => return Err(Error::from_code(WSAENOPROTOOPT)),
        };
        let bytes = if name == SO_LINGER {
            value.to_ne_bytes()
        } else {
            value.to_le_bytes()
        };
        let (written, reported) = match size {
            OptSize::Dword => (4, 4),
            OptSize::Byte => (1, 1),
            OptSize::Bool if have >= 4 => (4, 4),
            OptSize::Bool => (have, 1),
            OptSize::Small if have >= 4 => (4, 4),
            OptSize::Small => (1, 1),
        };
        optval[..written].copy_from_slice(&bytes[..written]);
        *optlen = reported;
        Ok(0)
    })
}
