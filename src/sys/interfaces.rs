//! The local interfaces and routes, as facts for the address-list and routing-interface
//! notifications (`change.rs`): the local addresses of a family, the local address the
//! OS would use to reach a destination, and whether the interface holding an address is
//! up. Unix (`getifaddrs`, and a UDP `connect` for the route look-up).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use socket2::{Domain, Protocol, Socket, Type};

/// One entry of the interface list: an interface, perhaps with an IP address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LocalAddress {
    /// The interface's name.
    pub name: String,
    /// The address, if this entry has an IPv4 or IPv6 one.
    pub addr: Option<IpAddr>,
    /// The interface's flags say it is up (`IFF_UP`).
    pub up: bool,
}

/// Every entry of the machine's interface list (in the calling thread's network
/// namespace), in the OS's order: one per address, plus link-level ones.
pub(crate) fn interfaces() -> io::Result<Vec<LocalAddress>> {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs writes a list head into `head`, freed below with freeifaddrs.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let mut out = Vec::new();
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getifaddrs returned, alive until freeifaddrs;
        // its name is a NUL-terminated string, its address NULL or a full sockaddr.
        let ifa = unsafe { &*cur };
        let name = unsafe { std::ffi::CStr::from_ptr(ifa.ifa_name) };
        out.push(LocalAddress {
            name: name.to_string_lossy().into_owned(),
            addr: unsafe { ip_of(ifa.ifa_addr) },
            up: ifa.ifa_flags & libc::IFF_UP as libc::c_uint != 0,
        });
        cur = ifa.ifa_next;
    }
    // SAFETY: the list getifaddrs returned, freed once.
    unsafe { libc::freeifaddrs(head) };
    Ok(out)
}

/// The local addresses of the family (`v6`), in the OS's order.
pub(crate) fn local_addresses(v6: bool) -> io::Result<Vec<IpAddr>> {
    Ok(interfaces()?
        .into_iter()
        .filter_map(|e| e.addr)
        .filter(|a| a.is_ipv6() == v6)
        .collect())
}

/// The name of the interface holding `ip`.
pub(crate) fn interface_of(ip: IpAddr) -> Option<String> {
    interfaces()
        .ok()?
        .into_iter()
        .find(|e| e.addr == Some(ip))
        .map(|e| e.name)
}

/// Whether the named interface is up (`None` if it is gone).
pub(crate) fn interface_up(name: &str) -> Option<bool> {
    let list = interfaces().ok()?;
    let mut entries = list.iter().filter(|e| e.name == name).peekable();
    entries.peek()?;
    Some(entries.any(|e| e.up))
}

/// The IP address of a `sockaddr` of family `AF_INET` or `AF_INET6`.
///
/// # Safety
/// `sa` is NULL or points to a `sockaddr` of its family's full size.
unsafe fn ip_of(sa: *const libc::sockaddr) -> Option<IpAddr> {
    if sa.is_null() {
        return None;
    }
    // SAFETY: non-NULL, and by the contract as long as its family says.
    unsafe {
        match i32::from((*sa).sa_family) {
            libc::AF_INET => {
                let sin = &*(sa as *const libc::sockaddr_in);
                Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                    sin.sin_addr.s_addr,
                ))))
            }
            libc::AF_INET6 => {
                let sin6 = &*(sa as *const libc::sockaddr_in6);
                Some(IpAddr::V6(Ipv6Addr::from(sin6.sin6_addr.s6_addr)))
            }
            _ => None,
        }
    }
}

/// The local address the OS would send from to reach `dest` (a UDP `connect`, which sends
/// nothing, then `getsockname`). Fails `ENETUNREACH` (or `EHOSTUNREACH`) without a route.
pub(crate) fn route_to(dest: SocketAddr) -> io::Result<IpAddr> {
    let s = Socket::new(Domain::for_address(dest), Type::DGRAM, Some(Protocol::UDP))?;
    // Port 0 cannot be connected to: any port will do for the look-up.
    let mut target = dest;
    if target.port() == 0 {
        target.set_port(9);
    }
    s.connect(&target.into())?;
    s.local_addr()?
        .as_socket()
        .map(|a| a.ip())
        .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))
}
