//! TCP: the handshake.

use super::*;

impl NetState {
    /// The host that has `ip`, seen from host `from` (loopback is `from` itself).
    pub(super) fn host_of(&self, from: usize, ip: IpAddr) -> Option<usize> {
        if ip.is_loopback() {
            return Some(from);
        }
        self.hosts.iter().position(|h| h.addrs.contains(&ip))
    }

    /// Sends try `n` of attempt `generation`'s SYN.
    pub(super) fn send_syn(&mut self, i: usize, generation: u32, n: u32) {
        let Some(s) = self.sock(i) else { return };
        let (host, remote) = (s.host, s.remote.expect("connecting"));
        let now = self.now;
        let name = self.sock_name(i);
        self.event(format_args!("{name} SYN#{n} -> {remote}"));
        let answer_timeout = Item::SynTimeout {
            sock: i,
            generation,
            n,
        };
        self.schedule(now + (SYN_RTO << n), answer_timeout);
        let routed = self
            .host_of(host, remote.ip())
            .filter(|_| !self.unreachable.contains(&remote.ip()));
        match routed {
            Some(dst) => {
                // Lost, or held (a held SYN is as good as lost: the timer resends it).
                if let Ok(Some(d)) = self.transit(host, dst) {
                    self.schedule(
                        now + d,
                        Item::SynArrive {
                            sock: i,
                            generation,
                            n,
                        },
                    );
                } else {
                    let name = self.sock_name(i);
                    self.event(format_args!("{name} SYN#{n} lost"));
                }
            }
            None => {
                // No host has it, or a router declares it unreachable: host-unreachable.
                let d = self.link(host, host).latency + self.default_link.latency;
                self.schedule(
                    now + d,
                    Item::SynAnswer {
                        sock: i,
                        generation,
                        n,
                        answer: Answer::HostUnreach,
                    },
                );
            }
        }
    }

    pub(super) fn syn_arrives(&mut self, i: usize, generation: u32, n: u32) {
        let Some(s) = self.socks.get(i).and_then(|s| s.as_ref()) else {
            return;
        };
        if s.tcp != Tcp::Connecting || s.attempt_gen != generation {
            return;
        }
        let (host, v6, remote, local) = (s.host, s.v6, s.remote.expect("set"), s.local);
        let dst = self.host_of(host, remote.ip()).expect("routed");
        if self.hosts[dst].silent || self.hosts[dst].net_down {
            return;
        }
        // The listener: a socket of the destination host listening on that port and
        // address (or the wildcard).
        let listener = self.socks.iter().position(|x| {
            x.as_ref().is_some_and(|x| {
                x.host == dst
                    && x.stream
                    && x.tcp == Tcp::Listening
                    && !x.orphan
                    && x.v6 == v6
                    && x.local.is_some_and(|a| {
                        a.port() == remote.port()
                            && (a.ip() == remote.ip() || a.ip().is_unspecified())
                    })
            })
        });
        // A retransmitted SYN whose connection is already queued: answered again.
        let existing = self.socks.iter().position(|x| {
            x.as_ref()
                .is_some_and(|x| x.syn_from == Some((i, generation)))
        });
        let answer = match listener {
            _ if existing.is_some() => Answer::SynAck(existing.expect("checked")),
            Some(l)
                if self.socks[l].as_ref().expect("found").backlog.len()
                    < self.socks[l].as_ref().expect("found").backlog_cap =>
            {
                // The connection is queued on the listener, established on its side.
                let mut c = Sock::new(dst, v6, true);
                c.local = Some(remote);
                c.remote = local;
                c.tcp = Tcp::Established;
                c.peer = Some(i);
                c.syn_from = Some((i, generation));
                c.last_heard = self.now;
                c.inherit_options(self.socks[l].as_ref().expect("found"));
                let keepalive = c.keepalive;
                self.socks.push(Some(c));
                self.live_socks += 1;
                let id = self.socks.len() - 1;
                if keepalive.is_some() {
                    self.set_keepalive(id, keepalive);
                }
                self.sock(l).expect("found").backlog.push_back(id);
                self.notify(l, CAUSE_IN);
                let name = self.sock_name(l);
                self.event(format_args!(
                    "{name} queues #{id} from {}",
                    local.expect("bound")
                ));
                Answer::SynAck(id)
            }
            // Nobody listens, or the backlog is full: Windows answers with a RST.
            _ => Answer::Rst,
        };
        if let Ok(Some(d)) = self.transit(dst, host) {
            let now = self.now;
            self.schedule(
                now + d,
                Item::SynAnswer {
                    sock: i,
                    generation,
                    n,
                    answer,
                },
            );
        } else {
            // A lost answer: the client's SYN timer sends the SYN again.
            let name = self.sock_name(i);
            self.event(format_args!("{name} answer to SYN#{n} lost"));
        }
    }

    pub(super) fn syn_timeout(&mut self, i: usize, generation: u32, n: u32) {
        let Some(s) = self.sock(i) else { return };
        if s.tcp != Tcp::Connecting || s.attempt_gen != generation {
            return;
        }
        if n < SYN_RETRIES {
            self.send_syn(i, generation, n + 1);
        } else {
            self.connect_failed(i, WSAETIMEDOUT);
        }
    }

    pub(super) fn syn_answer(&mut self, i: usize, generation: u32, n: u32, answer: Answer) {
        let Some(s) = self.sock(i) else { return };
        if s.tcp != Tcp::Connecting || s.attempt_gen != generation {
            if let Answer::SynAck(id) = answer {
                // An answer to an abandoned attempt: the server side is reset.
                self.schedule_rst(id);
            }
            return;
        }
        match answer {
            Answer::SynAck(id) => {
                let now = self.now;
                let s = self.sock(i).expect("live");
                s.tcp = Tcp::Established;
                s.peer = Some(id);
                s.last_heard = now;
                s.attempt_gen += 1;
                let name = self.sock_name(i);
                self.event(format_args!("{name} established"));
                self.notify(i, CAUSE_OUT | CAUSE_IN);
                self.pump(i);
            }
            Answer::Rst if n < SYN_RETRIES => {
                // Windows tries again after a RST: 0.5 s, then 1 s.
                let s = self.sock(i).expect("live");
                s.attempt_gen += 1;
                let g = s.attempt_gen;
                let name = self.sock_name(i);
                self.event(format_args!("{name} RST to SYN#{n}, retrying"));
                let at = self.now + (RST_RETRY << n);
                self.schedule(
                    at,
                    Item::SynTimeout {
                        sock: i,
                        generation: g,
                        n,
                    },
                );
                // The timeout item resends (try n + 1) at once when it fires.
                let _ = self.sock(i).map(|s| s.attempt_gen = g);
            }
            Answer::Rst => self.connect_failed(i, WSAECONNREFUSED),
            Answer::HostUnreach => self.connect_failed(i, WSAEHOSTUNREACH),
        }
    }

    pub(super) fn connect_failed(&mut self, i: usize, code: i32) {
        let Some(s) = self.sock(i) else { return };
        s.tcp = Tcp::Fresh;
        s.remote = None;
        s.error = Some(code);
        s.attempt_gen += 1;
        let name = self.sock_name(i);
        self.event(format_args!(
            "{name} connect fails {}",
            Error::from_code(code)
        ));
        self.notify(i, CAUSE_ERR | CAUSE_OUT);
    }
}
