//! UDP.

use super::*;

impl NetState {
    pub(super) fn dgram_arrives(&mut self, to: usize, from: SocketAddr, data: Option<Vec<u8>>) {
        let Some(s) = self.sock(to) else { return };
        if s.orphan {
            return;
        }
        let rcvbuf = s.rcvbuf;
        let name = self.sock_name(to);
        let s = self.sock(to).expect("live");
        match data {
            Some(d) => {
                if s.dgram_bytes + d.len() > rcvbuf {
                    self.event(format_args!("{name} drops a datagram (buffer full)"));
                    return;
                }
                let n = d.len();
                s.dgram_bytes += n;
                s.dgrams.push_back((d, from));
                self.event(format_args!(
                    "{name} receives a datagram of {n} bytes from {from}"
                ));
            }
            None => {
                s.icmp_error = true;
                self.event(format_args!(
                    "{name} receives ICMP port unreachable from {from}"
                ));
                self.notify(to, CAUSE_ERR);
                return;
            }
        }
        self.notify(to, CAUSE_IN);
    }

    /// Sends a datagram from `i` to `to`.
    pub(super) fn send_dgram(&mut self, i: usize, to: SocketAddr, data: &[u8]) -> io::Result<()> {
        let s = self.socks[i].as_ref().expect("live");
        let (host, from) = (s.host, s.local.expect("bound"));
        let Some(dst) = self.host_of(host, to.ip()) else {
            return Ok(()); // nobody: the datagram is gone
        };
        if self.hosts[dst].silent || self.hosts[dst].net_down {
            return Ok(());
        }
        let target = self.socks.iter().position(|x| {
            x.as_ref().is_some_and(|x| {
                x.host == dst
                    && !x.stream
                    && !x.orphan
                    && x.local.is_some_and(|a| {
                        a.port() == to.port() && (a.ip() == to.ip() || a.ip().is_unspecified())
                    })
            })
        });
        let key = Self::link_key(host, dst);
        let now = self.now;
        let (item, rev) = match target {
            Some(t) => (
                Item::Dgram {
                    to: t,
                    from,
                    data: Some(data.to_vec()),
                },
                false,
            ),
            None => (
                Item::Dgram {
                    to: i,
                    from: to,
                    data: None,
                },
                true,
            ),
        };
        match self.transit(host, dst) {
            Err(()) => self.held_dgrams.push((key, item)),
            Ok(None) => {
                let name = self.sock_name(i);
                self.event(format_args!("{name} datagram to {to} lost"));
            }
            Ok(Some(d)) => {
                // An ICMP answer travels back too.
                let d = if rev { 2 * d } else { d };
                self.schedule(now + d, item);
            }
        }
        Ok(())
    }
}
