//! Configuration and faults (used by `crate::sim`), and the trace.

use super::*;

impl NetState {
    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }

    pub(crate) fn add_host(&mut self, name: &str, addrs: &[IpAddr]) -> usize {
        self.hosts.push(HostSt {
            name: name.to_string(),
            addrs: addrs.to_vec(),
            silent: false,
            iface_down: false,
            net_down: false,
            next_port: EPHEMERAL,
        });
        let h = self.hosts.len() - 1;
        self.event(format_args!("host {name} {addrs:?}"));
        h
    }

    pub(crate) fn host_name(&self, h: usize) -> &str {
        &self.hosts[h].name
    }

    pub(crate) fn host_addrs(&self, h: usize) -> &[IpAddr] {
        &self.hosts[h].addrs
    }

    pub(super) fn link_key(a: usize, b: usize) -> (usize, usize) {
        (a.min(b), a.max(b))
    }

    pub(crate) fn link_mut(&mut self, a: usize, b: usize) -> &mut Link {
        let def = if a == b {
            Link::default()
        } else {
            self.default_link
        };
        self.links.entry(Self::link_key(a, b)).or_insert(def)
    }

    pub(super) fn link(&self, a: usize, b: usize) -> Link {
        if self.links.is_empty() {
            return if a == b {
                Link::default()
            } else {
                self.default_link
            };
        }
        match self.links.get(&Self::link_key(a, b)) {
            Some(l) => *l,
            None if a == b => Link::default(),
            None => self.default_link,
        }
    }

    pub(crate) fn set_default_link(&mut self, l: Link) {
        self.default_link = l;
    }

    pub(crate) fn fault(&mut self, what: &str) {
        self.event(format_args!("fault {what}"));
    }

    pub(crate) fn set_silent(&mut self, h: usize, on: bool) {
        self.hosts[h].silent = on;
    }

    pub(crate) fn set_iface_down(&mut self, h: usize, down: bool) {
        self.hosts[h].iface_down = down;
    }

    /// The host's network subsystem fails: its connections abort with `WSAENETDOWN`.
    pub(crate) fn set_net_down(&mut self, h: usize) {
        self.hosts[h].net_down = true;
        for i in 0..self.socks.len() {
            if self.socks[i].as_ref().is_some_and(|s| s.host == h) {
                self.abort(i, WSAENETDOWN);
            }
        }
    }

    pub(crate) fn add_unreachable(&mut self, ip: IpAddr) {
        self.unreachable.insert(ip);
    }

    pub(crate) fn add_stream_fault(&mut self, from: SocketAddr, to: SocketAddr, f: StreamFault) {
        self.faults.insert((from, to), f);
    }

    /// Lets what a held link kept go on.
    pub(crate) fn release(&mut self, a: usize, b: usize) {
        let key = Self::link_key(a, b);
        self.link_mut(a, b).held = false;
        let now = self.now;
        for i in 0..self.socks.len() {
            let Some(s) = self.socks[i].as_ref() else {
                continue;
            };
            let Some(p) = s.peer.and_then(|p| self.socks.get(p)?.as_ref()) else {
                continue;
            };
            if Self::link_key(s.host, p.host) == key && !s.outq.is_empty() && !s.out_armed {
                self.socks[i].as_mut().expect("live").out_armed = true;
                self.schedule(now, Item::Head(i));
            }
        }
        let held = std::mem::take(&mut self.held_dgrams);
        for (k, item) in held {
            if k == key {
                self.schedule(now, item);
            } else {
                self.held_dgrams.push((k, item));
            }
        }
    }

    pub(crate) fn trace_text(&self) -> String {
        self.trace.clone()
    }

    pub(crate) fn live_sockets(&self) -> usize {
        self.live_socks
    }

    /// One line of the trace, at the virtual time.
    pub(crate) fn event(&mut self, what: std::fmt::Arguments<'_>) {
        if !self.trace_on {
            return;
        }
        let (s, ns) = (self.now / SEC, self.now % SEC);
        let _ = writeln!(self.trace, "{s:>4}.{ns:09} {what}");
    }

    pub(super) fn sock_name(&self, i: usize) -> String {
        if !self.trace_on {
            return String::new();
        }
        match self.socks.get(i).and_then(|s| s.as_ref()) {
            Some(s) => match s.local {
                Some(a) => format!("{}#{i}({a})", self.hosts[s.host].name),
                None => format!("{}#{i}", self.hosts[s.host].name),
            },
            None => format!("#{i}"),
        }
    }
}
