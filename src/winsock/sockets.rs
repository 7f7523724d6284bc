//! Sockets

use std::net::{Shutdown, SocketAddr};
use std::sync::Arc;

use crate::socket::{AddressFamily, MsgFlags, Socket, SocketType};

use super::*;

/// `socket(af, type, protocol)`: `AF_INET`/`AF_INET6` with `SOCK_STREAM` (TCP) or
/// `SOCK_DGRAM` (UDP); protocol 0 or the matching `IPPROTO_*`. A new socket is blocking.
pub fn socket(af: i32, ty: i32, protocol: i32) -> SOCKET {
    if !started() {
        return fail(WSANOTINITIALISED, INVALID_SOCKET);
    }
    let family = match af {
        AF_INET => AddressFamily::Inet,
        AF_INET6 => AddressFamily::Inet6,
        _ => return fail(WSAEAFNOSUPPORT, INVALID_SOCKET),
    };
    let ty = match (ty, protocol) {
        (SOCK_STREAM, 0 | IPPROTO_TCP) => SocketType::Stream,
        (SOCK_DGRAM, 0 | IPPROTO_UDP) => SocketType::Datagram,
        (SOCK_STREAM | SOCK_DGRAM, _) => return fail(WSAEPROTONOSUPPORT, INVALID_SOCKET),
        _ => return fail(WSAESOCKTNOSUPPORT, INVALID_SOCKET),
    };
    match Socket::new(family, ty) {
        Ok(s) => insert(Object::Socket(Arc::new(s)))
            .map_or_else(|| fail(WSAEMFILE, INVALID_SOCKET), succeed),
        Err(e) => fail(e.code(), INVALID_SOCKET),
    }
}

/// `closesocket`: cancels the selection, leaves the event untouched (rule 43). The handle
/// is invalid from here on, even while another thread still uses the socket.
pub fn closesocket(s: SOCKET) -> i32 {
    if !started() {
        return fail(WSANOTINITIALISED, SOCKET_ERROR);
    }
    match remove(s, Kind::Socket) {
        // Closes it for every user: calls blocked in it fail WSAEINTR (`Socket::close`).
        Some(Object::Socket(sock)) => ret(sock.close().map(|()| 0)),
        _ => fail(WSAENOTSOCK, SOCKET_ERROR),
    }
}

/// `bind`.
pub fn bind(s: SOCKET, addr: &SocketAddr) -> i32 {
    call(s, |sk| sk.bind(*addr).map(|_| 0))
}

/// `listen`. (Named `listen_` too, for code where `listen` is shadowed.)
pub fn listen(s: SOCKET, backlog: i32) -> i32 {
    call(s, |sk| sk.listen(backlog).map(|_| 0))
}

/// `listen`, under a name that does not clash with a local variable called `listen`.
pub fn listen_(s: SOCKET, backlog: i32) -> i32 {
    listen(s, backlog)
}

/// `accept`: the new socket's handle, with the peer's address in `addr` if given.
pub fn accept(s: SOCKET, addr: Option<&mut SocketAddr>) -> SOCKET {
    let r = sock(s).and_then(|sk| sk.accept());
    match r {
        Ok((new, peer)) => {
            if let Some(a) = addr {
                *a = peer;
            }
            insert(Object::Socket(Arc::new(new)))
                .map_or_else(|| fail(WSAEMFILE, INVALID_SOCKET), succeed)
        }
        Err(e) => fail(e.code(), INVALID_SOCKET),
    }
}

/// `connect`.
pub fn connect(s: SOCKET, addr: &SocketAddr) -> i32 {
    call(s, |sk| sk.connect(*addr).map(|_| 0))
}

pub(super) fn msg_flags(flags: i32) -> Result<MsgFlags> {
    if flags & !(MSG_OOB | MSG_PEEK) != 0 {
        return Err(Error::from_code(WSAEOPNOTSUPP));
    }
    Ok(MsgFlags {
        peek: flags & MSG_PEEK != 0,
        oob: flags & MSG_OOB != 0,
    })
}

/// `recv(s, buf, len, flags)` with `MSG_PEEK` and/or `MSG_OOB`.
pub fn recv(s: SOCKET, buf: &mut [u8], flags: i32) -> i32 {
    call(s, |sk| recv_on(sk, buf, flags))
}

/// [`recv`] on a resolved socket.
pub(crate) fn recv_on(sk: &Socket, buf: &mut [u8], flags: i32) -> Result<i32> {
    let f = msg_flags(flags)?;
    sk.recv_with_flags(buf, f).map(len_i32)
}

/// `send(s, buf, len, flags)` with `MSG_OOB`.
pub fn send(s: SOCKET, buf: &[u8], flags: i32) -> i32 {
    call(s, |sk| send_on(sk, buf, flags))
}

/// [`send`] on a resolved socket.
pub(crate) fn send_on(sk: &Socket, buf: &[u8], flags: i32) -> Result<i32> {
    let f = msg_flags(flags)?;
    if f.peek {
        return Err(Error::from_code(WSAEOPNOTSUPP));
    }
    if f.oob {
        sk.send_oob(buf).map(len_i32)
    } else {
        sk.send(buf).map(len_i32)
    }
}

/// `recvfrom`.
pub fn recvfrom(s: SOCKET, buf: &mut [u8], flags: i32, from: Option<&mut SocketAddr>) -> i32 {
    call(s, |sk| {
        let f = msg_flags(flags)?;
        if sk.socket_type() == SocketType::Stream {
            // Windows ignores the address arguments on connection-oriented sockets.
            return sk.recv_with_flags(buf, f).map(len_i32);
        }
        let (n, addr) = sk.recv_from_with_flags(buf, f)?;
        if let Some(a) = from {
            *a = addr;
        }
        Ok(len_i32(n))
    })
}

/// `sendto`.
pub fn sendto(s: SOCKET, buf: &[u8], flags: i32, to: &SocketAddr) -> i32 {
    call(s, |sk| {
        let f = msg_flags(flags)?;
        if f.peek || f.oob {
            return Err(Error::from_code(WSAEOPNOTSUPP));
        }
        sk.send_to(buf, *to).map(len_i32)
    })
}

/// `shutdown(s, SD_RECEIVE | SD_SEND | SD_BOTH)`; another `how` is `WSAEINVAL`.
pub fn shutdown(s: SOCKET, how: i32) -> i32 {
    call(s, |sk| {
        let how = match how {
            SD_RECEIVE => Shutdown::Read,
            SD_SEND => Shutdown::Write,
            SD_BOTH => Shutdown::Both,
            _ => return Err(Error::from_code(WSAEINVAL)),
        };
        sk.shutdown(how).map(|_| 0)
    })
}

/// `ioctlsocket(s, FIONBIO | FIONREAD | SIOCATMARK, &arg)`; another code is `WSAEOPNOTSUPP`.
pub fn ioctlsocket(s: SOCKET, cmd: u32, arg: &mut u32) -> i32 {
    call(s, |sk| {
        match cmd {
            FIONBIO => sk.set_nonblocking(*arg != 0)?,
            FIONREAD => *arg = u32::try_from(sk.bytes_available()?).unwrap_or(u32::MAX),
            SIOCATMARK => *arg = u32::from(sk.at_mark()?),
            // ioctlsocket is WSAIoctl without the buffers on Windows: an unknown code is
            // WSAEOPNOTSUPP (Wine's Windows-run test_unsupported_ioctls).
            _ => return Err(Error::from_code(WSAEOPNOTSUPP)),
        }
        Ok(0)
    })
}

/// `getsockname`.
pub fn getsockname(s: SOCKET, addr: &mut SocketAddr) -> i32 {
    call(s, |sk| {
        *addr = sk.local_addr()?;
        Ok(0)
    })
}

/// `getpeername`.
pub fn getpeername(s: SOCKET, addr: &mut SocketAddr) -> i32 {
    call(s, |sk| {
        *addr = sk.peer_addr()?;
        Ok(0)
    })
}
