//! Names on a simulated network: each host's name (`sim::Network::host`, the C API's
//! `wsaevents_sim_add_host`) stands for its addresses, for the resolver calls of a thread
//! on the network (the C ABI's `getaddrinfo`, `gethostbyname`, `getnameinfo`, ...). There
//! is no DNS: a name is a host's or nobody's, compared without case as DNS names are.

use super::*;

/// A host as a name lookup finds it: its name as given, and its addresses.
pub(crate) type Named = (String, Vec<IpAddr>);

/// The host named `name` on the calling thread's simulated network: `None` when the thread
/// is on none (the system resolver answers), `Some(None)` when no host has the name.
pub(crate) fn lookup_name(name: &str) -> Option<Option<Named>> {
    let (net, _) = current()?;
    let mut st = net.lock();
    let found = st
        .hosts
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| (h.name.clone(), h.addrs.clone()));
    if st.trace_on {
        match &found {
            Some((n, a)) => st.event(format_args!("resolve {name:?} = {n} {a:?}")),
            None => st.event(format_args!("resolve {name:?}: no such host")),
        }
    }
    Some(found)
}

/// The name of the host that has address `ip` on the calling thread's simulated network:
/// `None` when the thread is on none, `Some(None)` when no host has it.
pub(crate) fn lookup_addr(ip: IpAddr) -> Option<Option<String>> {
    let (net, _) = current()?;
    let st = net.lock();
    Some(
        st.hosts
            .iter()
            .find(|h| h.addrs.contains(&ip))
            .map(|h| h.name.clone()),
    )
}
