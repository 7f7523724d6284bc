//! Windows' bind rules (Wine's Windows-run `test_reuseaddr`, dlls/ws2_32/tests/sock.c),
//! kept between this process's sockets: a table of the addresses bound with `bind`, with
//! the flags each socket had then. Entries of closed sockets are dropped as they are met.
//! Lock order: this table, then one socket's state at a time.

use super::*;

pub(super) struct Claim {
    /// The network the address is on: 0 for the OS, else a simulated network's id.
    pub net: u32,
    pub addr: SocketAddr,
    pub stream: bool,
    pub reuse: bool,
    pub exclusive: bool,
    pub owner: Weak<Core>,
}

static TABLE: parking_lot::Mutex<Vec<Claim>> = parking_lot::Mutex::new(Vec::new());

pub(super) fn lock() -> parking_lot::MutexGuard<'static, Vec<Claim>> {
    TABLE.lock()
}

fn live(c: &Claim) -> bool {
    c.owner
        .upgrade()
        .is_some_and(|core| !core.state.lock().os.is_closed())
}

/// Windows' answer for binding `addr` with these flags while `old` is bound: `None`
/// (allowed) or the error. Same family and port only; a dual-stack IPv6 socket's
/// overlap with IPv4 is left to the OS.
fn rule(old: &Claim, addr: SocketAddr, reuse: bool, exclusive: bool) -> Option<i32> {
    if old.addr.port() != addr.port() || old.addr.is_ipv4() != addr.is_ipv4() {
        return None;
    }
    let (o, n) = (old.addr.ip(), addr.ip());
    if o == n {
        match (old.reuse, reuse) {
            (true, true) => None,
            (false, true) => Some(WSAEACCES),
            _ => Some(WSAEADDRINUSE),
        }
    } else if o.is_unspecified() {
        old.exclusive.then_some(WSAEACCES)
    } else if n.is_unspecified() {
        exclusive.then_some(WSAEADDRINUSE)
    } else {
        None
    }
}

/// The error binding `addr` gets from a live socket of this process of the same type
/// (TCP and UDP ports are separate), if any.
pub(super) fn conflict(
    table: &mut Vec<Claim>,
    net: u32,
    stream: bool,
    addr: SocketAddr,
    reuse: bool,
    exclusive: bool,
) -> Option<i32> {
    table.retain(live);
    table
        .iter()
        .filter(|c| c.stream == stream && c.net == net)
        .find_map(|c| rule(c, addr, reuse, exclusive))
}

pub(super) fn claim(table: &mut Vec<Claim>, c: Claim) {
    table.push(c);
}

/// The OS options that carry Windows' rules, set just before the OS bind. TCP: the OS
/// `SO_REUSEADDR` is always on (set at creation: TIME_WAIT rebinding), and Windows'
/// `SO_REUSEADDR` adds `SO_REUSEPORT`, so that two sockets that both asked can both
/// listen. UDP: Windows' `SO_REUSEADDR` is the OS's.
pub(super) fn apply_os_options(
    s: &crate::sys::Opts<'_>,
    stream: bool,
    reuse: bool,
) -> io::Result<()> {
    if stream {
        #[cfg(unix)]
        s.set_reuse_port(reuse)?;
        #[cfg(not(unix))]
        s.set_reuse_address(reuse)?;
        Ok(())
    } else {
        s.set_reuse_address(reuse)
    }
}
