//! The mswsock extensions (socket/mswsock.rs has the rules)

use std::net::SocketAddr;

use crate::overlapped::Overlapped;
use crate::socket::AddressFamily;

use super::*;

fn mswsock_call(r: Result<(Overlapped, bool)>, ov: &mut WSAOVERLAPPED) -> BOOL {
    match r {
        Ok((op, done)) => {
            ov.op = Some(op);
            if done {
                succeed(TRUE)
            } else {
                fail(WSA_IO_PENDING, FALSE)
            }
        }
        Err(e) => fail(e.code(), FALSE),
    }
}

/// `AcceptEx(listen, accept, buf, recv.len(), sizeof(SOCKADDR)+16 ×2, .., &ov)` with an
/// owned receive buffer: `FALSE` with `WSA_IO_PENDING`; at completion `ov.hEvent` is set
/// (and the listener's port gets a packet), the first data are `ov.take_buffer()`'s first
/// `InternalHigh()` bytes. The addresses: `getsockname`/`getpeername` on `accept` after
/// `setsockopt(SO_UPDATE_ACCEPT_CONTEXT)`.
pub fn AcceptEx(listen: SOCKET, accept: SOCKET, recv: Vec<u8>, ov: &mut WSAOVERLAPPED) -> BOOL {
    let r = (|| {
        let l = sock(listen)?;
        let a = sock(accept)?;
        let notify = notify_for(ov.hEvent, None)?;
        let space = crate::socket::accept_address_space(l.family() == AddressFamily::Inet6);
        l.accept_ex_with(
            &a,
            Box::new(recv),
            space,
            space,
            Default::default(),
            notify,
            0,
            ov.hEvent,
        )
    })();
    mswsock_call(r, ov)
}

/// `ConnectEx(s, addr, data, data.len(), .., &ov)`: `FALSE` with `WSA_IO_PENDING`; completes
/// once connected and `data` sent (`InternalHigh()` = bytes sent).
pub fn ConnectEx(s: SOCKET, addr: &SocketAddr, data: Vec<u8>, ov: &mut WSAOVERLAPPED) -> BOOL {
    let r = (|| {
        let sk = sock(s)?;
        let notify = notify_for(ov.hEvent, None)?;
        sk.connect_ex_with(*addr, Box::new(data), notify, 0, ov.hEvent)
    })();
    mswsock_call(r, ov)
}

/// `DisconnectEx(s, ov, flags, reserved)`: with `None`, synchronous (`TRUE`); else `FALSE`
/// with `WSA_IO_PENDING` and a completion of 0 bytes. `reserved` must be 0 (`WSAEINVAL`).
pub fn DisconnectEx(s: SOCKET, ov: Option<&mut WSAOVERLAPPED>, flags: u32, reserved: u32) -> BOOL {
    let sk = match sock(s) {
        Ok(sk) => sk,
        Err(e) => return fail(e.code(), FALSE),
    };
    if reserved != 0 {
        return fail(WSAEINVAL, FALSE);
    }
    match ov {
        None => match sk.disconnect_ex(flags) {
            Ok(()) => succeed(TRUE),
            Err(e) => fail(e.code(), FALSE),
        },
        Some(ov) => {
            let r = notify_for(ov.hEvent, None).and_then(|n| {
                sk.disconnect_ex_overlapped(flags, Box::new(Vec::new()), n, 0, ov.hEvent)
            });
            mswsock_call(r, ov)
        }
    }
}
