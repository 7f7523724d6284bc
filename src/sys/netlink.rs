//! Linux: address, route and link changes from a netlink route socket
//! (`RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE |
//! RTMGRP_LINK`), registered with the same poller as the sockets. It reports facts
//! ([`Change`]); `change.rs` applies Winsock's rules.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use super::Poller;

/// What one netlink message said changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// An address of the family was added or removed.
    Address { v6: bool },
    /// A route of the family was added or removed.
    Route { v6: bool },
    /// An interface changed (up, down, new, gone): both families' routes may have.
    Link,
}

/// A netlink route socket subscribed to the change groups, non-blocking.
pub(crate) struct ChangeSocket {
    fd: OwnedFd,
}

const GROUPS: libc::c_int = libc::RTMGRP_IPV4_IFADDR
    | libc::RTMGRP_IPV6_IFADDR
    | libc::RTMGRP_IPV4_ROUTE
    | libc::RTMGRP_IPV6_ROUTE
    | libc::RTMGRP_LINK;

impl ChangeSocket {
    /// Opens and subscribes (in the calling thread's network namespace).
    pub(crate) fn open() -> io::Result<ChangeSocket> {
        // SAFETY: plain socket(2) call; the descriptor is owned below.
        let fd = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                libc::NETLINK_ROUTE,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a descriptor just returned by socket(2), owned by nobody else.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: sockaddr_nl is plain data; all-zero is valid, then the fields are set.
        let mut sa: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        sa.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        sa.nl_groups = GROUPS as u32;
        // SAFETY: `sa` is a valid sockaddr_nl of the length given.
        let r = unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&sa as *const libc::sockaddr_nl).cast(),
                std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if r != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(ChangeSocket { fd })
    }

    /// Reads every queued message, calling `f` for each change; returns when none is left.
    pub(crate) fn drain(&self, f: &mut dyn FnMut(Change)) {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            // SAFETY: `buf` is writable for its length.
            let n = unsafe {
                libc::recv(
                    self.fd.as_raw_fd(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    libc::MSG_DONTWAIT,
                )
            };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.raw_os_error() == Some(libc::ENOBUFS) {
                    // Messages were lost: something changed; say so for both families.
                    f(Change::Link);
                    continue;
                }
                return;
            }
            if n == 0 {
                return;
            }
            parse(&buf[..n as usize], f);
        }
    }

    pub(crate) fn register(&self, p: &Poller, token: usize) -> io::Result<()> {
        p.register_fd(self.fd.as_raw_fd(), token)
    }

    pub(crate) fn deregister(&self, p: &Poller) {
        p.deregister_fd(self.fd.as_raw_fd());
    }
}

/// The changes in one datagram of netlink messages (each a 16-byte `nlmsghdr`, then for
/// the messages read here a header whose first byte is the address family).
fn parse(mut b: &[u8], f: &mut dyn FnMut(Change)) {
    const HDR: usize = 16;
    while b.len() >= HDR {
        let len = u32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let ty = u16::from_ne_bytes([b[4], b[5]]);
        if len < HDR || len > b.len() {
            return;
        }
        let family = b.get(HDR).map(|&x| i32::from(x));
        let v6 = family == Some(libc::AF_INET6);
        match ty {
            libc::RTM_NEWADDR | libc::RTM_DELADDR => f(Change::Address { v6 }),
            libc::RTM_NEWROUTE | libc::RTM_DELROUTE => f(Change::Route { v6 }),
            libc::RTM_NEWLINK | libc::RTM_DELLINK => f(Change::Link),
            _ => {}
        }
        // Messages are 4-byte aligned.
        let next = (len + 3) & !3;
        if next >= b.len() {
            return;
        }
        b = &b[next..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(ty: u16, family: u8) -> Vec<u8> {
        let mut m = Vec::new();
        m.extend_from_slice(&20u32.to_ne_bytes());
        m.extend_from_slice(&ty.to_ne_bytes());
        m.extend_from_slice(&[0; 10]);
        m.extend_from_slice(&[family, 0, 0, 0]);
        m
    }

    #[test]
    fn parses_address_route_and_link_messages() {
        let mut b = msg(libc::RTM_NEWADDR, libc::AF_INET as u8);
        b.extend(msg(libc::RTM_DELADDR, libc::AF_INET6 as u8));
        b.extend(msg(libc::RTM_NEWROUTE, libc::AF_INET6 as u8));
        b.extend(msg(libc::RTM_NEWLINK, 0));
        b.extend(msg(libc::RTM_NEWNEIGH, libc::AF_INET as u8));
        let mut got = Vec::new();
        parse(&b, &mut |c| got.push(c));
        assert_eq!(
            got,
            [
                Change::Address { v6: false },
                Change::Address { v6: true },
                Change::Route { v6: true },
                Change::Link
            ]
        );
        // A truncated message stops the parse without reading past the end.
        let mut got = Vec::new();
        parse(&b[..30], &mut |c| got.push(c));
        assert_eq!(got, [Change::Address { v6: false }]);
    }
}
