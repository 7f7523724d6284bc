//! The scheduler: timed items, readiness notification and harvest, levels.

use super::*;

impl NetState {
    pub(super) fn schedule(&mut self, at: u64, item: Item) {
        if at <= self.now {
            // Due now: a harvest between waits must run it (see `Net::harvest_ready`).
            self.pending_flag.store(true, Ordering::Release);
        }
        self.seq += 1;
        let at = at.max(self.now);
        self.first_at = self.first_at.min(at);
        self.timers.insert((at, self.seq), item);
    }

    /// Runs every item due at the current time (including those they schedule for now).
    #[inline]
    pub(super) fn run_due(&mut self) {
        if self.first_at > self.now {
            return;
        }
        self.run_due_items();
    }

    fn run_due_items(&mut self) {
        while let Some(entry) = self.timers.first_entry() {
            if entry.key().0 > self.now {
                break;
            }
            let item = entry.remove();
            self.apply(item);
        }
        self.first_at = self
            .timers
            .first_key_value()
            .map_or(u64::MAX, |(&(t, _), _)| t);
    }

    #[inline]
    pub(super) fn notify(&mut self, sock: usize, cause: u8) {
        if let Some(s) = self.socks.get_mut(sock).and_then(|s| s.as_mut()) {
            if s.pending == 0 {
                self.pending.push(sock);
                self.pending_flag.store(true, Ordering::Release);
            }
            s.pending |= cause;
        }
    }

    /// The readiness of every notified, registered socket, filtered by its interest as
    /// epoll filters wake-ups.
    /// Called after `run_due`: nothing is due, so the flag tells only of readiness.
    pub(super) fn take_ready(&mut self, out: &mut Batch) {
        self.pending_flag.store(false, Ordering::Release);
        // (Nothing here notifies: the list does not change while it is read.)
        for k in 0..self.pending.len() {
            let i = self.pending[k];
            let Some(s) = self.socks.get_mut(i).and_then(|s| s.as_mut()) else {
                continue;
            };
            let cause = std::mem::take(&mut s.pending);
            let Some(token) = s.token else { continue };
            let interest = CAUSE_IN | CAUSE_ERR | if s.write_interest { CAUSE_OUT } else { 0 };
            if cause & interest == 0 {
                continue;
            }
            let (write_interest, avail) = (s.write_interest, s.avail());
            let mut r = self.levels(i);
            r.writable &= write_interest;
            out.push(Ready {
                token,
                r,
                sock: i,
                avail,
            });
        }
        // Keep the buffer (no allocation per harvest).
        self.pending.clear();
    }

    /// What epoll would report for socket `i` now.
    pub(super) fn levels(&self, i: usize) -> Readiness {
        let Some(s) = self.socks.get(i).and_then(|s| s.as_ref()) else {
            return Readiness::default();
        };
        if !s.stream {
            return Readiness {
                readable: !s.dgrams.is_empty(),
                writable: true,
                error: s.icmp_error,
                ..Readiness::default()
            };
        }
        match s.tcp {
            Tcp::Listening => Readiness {
                readable: !s.backlog.is_empty(),
                ..Readiness::default()
            },
            Tcp::Fresh | Tcp::Connecting => Readiness {
                error: s.error.is_some(),
                read_closed: s.error.is_some(),
                writable: s.error.is_some(),
                ..Readiness::default()
            },
            Tcp::Established => {
                let broken = s.broken();
                let closed = broken || s.fin_rcvd;
                Readiness {
                    readable: !s.recv.is_empty() || !s.urgent.is_empty() || closed,
                    writable: broken || (s.tcp == Tcp::Established && s.send_writable()),
                    error: broken,
                    read_closed: closed,
                    priority: !s.urgent.is_empty(),
                }
            }
        }
    }

    fn apply(&mut self, item: Item) {
        match item {
            Item::Head(i) => self.head_arrives(i),
            Item::SynArrive {
                sock,
                generation,
                n,
            } => self.syn_arrives(sock, generation, n),
            Item::SynTimeout {
                sock,
                generation,
                n,
            } => self.syn_timeout(sock, generation, n),
            Item::SynAnswer {
                sock,
                generation,
                n,
                answer,
            } => self.syn_answer(sock, generation, n, answer),
            Item::Rst(i) => self.rst_arrives(i),
            Item::KeepAlive {
                sock,
                generation,
                probe,
            } => self.keepalive_fires(sock, generation, probe),
            Item::Dgram { to, from, data } => self.dgram_arrives(to, from, data),
        }
    }

    /// The one-way delay of one packet from host `a` to host `b`, or `None` if it is lost
    /// (partition, interface down, silent host, random loss). `Err(())`: the link holds it.
    pub(super) fn transit(&mut self, a: usize, b: usize) -> std::result::Result<Option<u64>, ()> {
        let l = self.link(a, b);
        if l.held {
            return Err(());
        }
        if l.partitioned || self.hosts[a].iface_down || self.hosts[b].iface_down {
            return Ok(None);
        }
        let lost = self.rng.chance(l.loss_ppm);
        if lost {
            return Ok(None);
        }
        let j = if l.jitter > 0 {
            self.rng.below(l.jitter + 1)
        } else {
            0
        };
        Ok(Some(l.latency + j))
    }

    pub(super) fn sock(&mut self, i: usize) -> Option<&mut Sock> {
        self.socks.get_mut(i).and_then(|s| s.as_mut())
    }

    /// Frees a socket that the application closed and that has nothing left to do.
    pub(super) fn reap(&mut self, i: usize) {
        let done = self.socks.get(i).and_then(|s| s.as_ref()).is_some_and(|s| {
            s.orphan && (s.tcp != Tcp::Established || (s.outq.is_empty() && s.fin_sent))
        });
        if done {
            self.socks[i] = None;
            self.live_socks -= 1;
        }
    }
}
