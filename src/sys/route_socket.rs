//! macOS and the BSDs: address, route and interface changes from a routing socket
//! (`PF_ROUTE`), registered with the same poller as the sockets. It reports facts
//! ([`Change`]); `change.rs` applies Winsock's rules. Compiled and reviewed; no machine
//! here runs macOS (docs/porting.md, platforms).

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use super::Poller;

/// What one routing message said changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// An address of the family was added or removed.
    Address { v6: bool },
    /// A route of the family was added, changed or removed.
    Route { v6: bool },
    /// An interface changed (up, down): both families' routes may have.
    Link,
}

/// A routing socket, non-blocking.
pub(crate) struct ChangeSocket {
    fd: OwnedFd,
}

impl ChangeSocket {
    /// Opens the routing socket (every family: messages are filtered when read).
    pub(crate) fn open() -> io::Result<ChangeSocket> {
        // SAFETY: plain socket(2) call; the descriptor is owned below.
        let fd = unsafe { libc::socket(libc::PF_ROUTE, libc::SOCK_RAW, libc::AF_UNSPEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a descriptor just returned by socket(2), owned by nobody else.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: fcntl on a descriptor we own.
        unsafe {
            let fl = libc::fcntl(fd.as_raw_fd(), libc::F_GETFL);
            libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, fl | libc::O_NONBLOCK);
            libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC);
        }
        Ok(ChangeSocket { fd })
    }

    /// Reads every queued message, calling `f` for each change; returns when none is left.
    pub(crate) fn drain(&self, f: &mut dyn FnMut(Change)) {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            // SAFETY: `buf` is writable for its length.
            let n = unsafe { libc::read(self.fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
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

/// Rounds a sockaddr length up as the routing socket packs them (to 4 bytes; 0 takes 4).
fn roundup(len: usize) -> usize {
    if len == 0 { 4 } else { (len + 3) & !3 }
}

/// The family of the `which`-th (by `RTA_*` bit) sockaddr after a header of `hdr` bytes.
fn family_of(msg: &[u8], hdr: usize, addrs: i32, which: i32) -> Option<i32> {
    let mut off = hdr;
    let mut bit = 1;
    while bit <= which {
        if addrs & bit != 0 {
            let sa_len = usize::from(*msg.get(off)?);
            if bit == which {
                return msg.get(off + 1).map(|&f| i32::from(f));
            }
            off += roundup(sa_len);
        }
        bit <<= 1;
    }
    None
}

fn parse(mut b: &[u8], f: &mut dyn FnMut(Change)) {
    let ifa_hdr = std::mem::size_of::<libc::ifa_msghdr>();
    let rt_hdr = std::mem::size_of::<libc::rt_msghdr>();
    while b.len() >= 4 {
        let len = usize::from(u16::from_ne_bytes([b[0], b[1]]));
        if len < 4 || len > b.len() {
            return;
        }
        let msg = &b[..len];
        let ty = i32::from(msg[3]);
        let addrs_at = |off: usize| {
            msg.get(off..off + 4)
                .map(|x| i32::from_ne_bytes([x[0], x[1], x[2], x[3]]))
                .unwrap_or(0)
        };
        match ty {
            libc::RTM_NEWADDR | libc::RTM_DELADDR => {
                // ifa_msghdr: msglen u16, version u8, type u8, addrs i32, …
                let fam = family_of(msg, ifa_hdr, addrs_at(4), libc::RTA_IFA);
                match fam {
                    Some(libc::AF_INET) => f(Change::Address { v6: false }),
                    Some(libc::AF_INET6) => f(Change::Address { v6: true }),
                    _ => {}
                }
            }
            libc::RTM_ADD | libc::RTM_DELETE | libc::RTM_CHANGE => {
                // rt_msghdr: msglen u16, version u8, type u8, index u16, (pad), flags i32
                // at 8, addrs i32 at 12
                let fam = family_of(msg, rt_hdr, addrs_at(12), libc::RTA_DST);
                match fam {
                    Some(libc::AF_INET) => f(Change::Route { v6: false }),
                    Some(libc::AF_INET6) => f(Change::Route { v6: true }),
                    _ => f(Change::Link),
                }
            }
            libc::RTM_IFINFO => f(Change::Link),
            _ => {}
        }
        b = &b[len..];
    }
}
