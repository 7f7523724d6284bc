//! TCP: the stream.

use super::*;

impl NetState {
    /// Moves what the peer's window allows from `i`'s send buffer onto the wire.
    #[inline]
    pub(super) fn pump(&mut self, i: usize) {
        // Nothing to send (the peer's pump after a `recv`): the loop would do nothing.
        if let Some(s) = self.socks.get(i).and_then(|s| s.as_ref()) {
            if s.nothing_to_send() {
                return;
            }
        }
        self.pump_some(i);
    }

    fn pump_some(&mut self, i: usize) {
        if self.pump_loopback(i) {
            return;
        }
        loop {
            let Some(s) = self.socks.get(i).and_then(|s| s.as_ref()) else {
                return;
            };
            if s.tcp != Tcp::Established || s.broken() || s.cut {
                return;
            }
            // Nothing to send (no data, no urgent byte, no FIN due): the loop below would
            // find no segment either.
            let fin_due = s.fin_queued && !s.fin_sent;
            if s.unsent.is_empty() && s.unsent_urgent.is_empty() && !fin_due {
                return;
            }
            let Some(p) = s.peer else { return };
            let window = match self.socks.get(p).and_then(|x| x.as_ref()) {
                Some(ps) => ps.rcvbuf.saturating_sub(ps.recv.len() + s.inflight),
                // The peer is gone: what is sent draws a RST (see `head_arrives`).
                None => usize::MAX,
            };
            if self.pump_direct(i, p, window) {
                continue;
            }
            let s = self.sock(i).expect("live");
            // Urgent bytes first when they are next in the stream.
            let seg = if let Some(&(pos, _)) = s.unsent_urgent.front() {
                if pos == 0 {
                    let (_, b) = s.unsent_urgent.pop_front().expect("front");
                    Some((Seg::Urgent(vec![b]), 1))
                } else {
                    let n = pos.min(MSS).min(window).min(s.unsent.len());
                    (n > 0).then(|| (Seg::Data(s.unsent.drain(..n).collect()), n))
                }
            } else {
                let n = s.unsent.len().min(MSS).min(window);
                (n > 0).then(|| (Seg::Data(s.unsent.drain(..n).collect()), n))
            };
            let seg = match seg {
                Some((seg, n)) => {
                    for u in s.unsent_urgent.iter_mut() {
                        u.0 -= n.min(u.0);
                    }
                    s.inflight += n;
                    seg
                }
                None if s.fin_queued && !s.fin_sent && s.unsent.is_empty() => {
                    s.fin_sent = true;
                    Seg::Fin
                }
                None => return,
            };
            self.transmit(i, seg);
        }
    }

    /// [`pump`](Self::pump)'s whole work in the common cases, with each test made once:
    /// nothing to send; or normal data only, no FIN queued, on a link that
    /// [`pump_direct`](Self::pump_direct) takes (the default links: none configured). Does
    /// what `pump`'s loop would do (nothing; or one `pump_direct` move, after which the
    /// loop finds nothing to send) and returns true; false (nothing done) in every other
    /// case, for the loop.
    #[inline]
    fn pump_loopback(&mut self, i: usize) -> bool {
        let Some(s) = self.socks.get(i).and_then(|s| s.as_ref()) else {
            return true;
        };
        // Nothing to send: the loop would do nothing either (the peer's pump after a
        // `recv`).
        if s.nothing_to_send() {
            return true;
        }
        if !self.faults.is_empty() || !self.links.is_empty() {
            return false;
        }
        if s.tcp != Tcp::Established
            || s.broken()
            || s.cut
            || s.fin_queued
            || s.unsent.is_empty()
            || !s.unsent_urgent.is_empty()
            || !s.outq.is_empty()
        {
            return false;
        }
        let Some(p) = s.peer else { return false };
        let Some(ps) = self.socks.get(p).and_then(|x| x.as_ref()) else {
            return false;
        };
        // Only the default link of a host to itself has no latency.
        if s.host != ps.host || ps.orphan || ps.broken() || ps.tcp != Tcp::Established {
            return false;
        }
        if self.hosts[s.host].iface_down {
            return false;
        }
        let window = ps.rcvbuf.saturating_sub(ps.recv.len() + s.inflight);
        let n = s.unsent.len().min(window);
        if n == 0 {
            return false;
        }
        self.pump_move(i, p, n);
        true
    }

    /// The fast path of [`pump`](Self::pump): on a link with no latency, jitter, loss,
    /// hold or partition (loopback by default), with nothing else in flight and no scripted
    /// fault, normal data goes straight into the peer's receive buffer, as the segment
    /// would arrive at the same instant anyway. Returns whether it moved anything.
    fn pump_direct(&mut self, i: usize, p: usize, window: usize) -> bool {
        if !self.faults.is_empty() {
            return false;
        }
        let s = self.socks[i].as_ref().expect("live");
        if !s.outq.is_empty() || !s.unsent_urgent.is_empty() || s.unsent.is_empty() {
            return false;
        }
        let Some(ps) = self.socks.get(p).and_then(|x| x.as_ref()) else {
            return false;
        };
        if ps.orphan || ps.broken() || ps.tcp != Tcp::Established {
            return false;
        }
        let l = self.link(s.host, ps.host);
        if l.latency != 0 || l.jitter != 0 || l.loss_ppm != 0 || l.held || l.partitioned {
            return false;
        }
        if self.hosts[s.host].iface_down || self.hosts[ps.host].iface_down {
            return false;
        }
        let n = s.unsent.len().min(window);
        if n == 0 {
            return false;
        }
        self.pump_move(i, p, n);
        true
    }

    /// `n` bytes of `i`'s unsent data straight into its peer `p`'s receive buffer.
    #[inline]
    fn pump_move(&mut self, i: usize, p: usize, n: usize) {
        // Straight from one buffer to the other (a socket is never its own peer).
        let (s, ps) = two_mut(&mut self.socks, i, p);
        move_bytes(&mut s.unsent, &mut ps.recv, n);
        s.carried += n as u64;
        ps.rx_bytes += n as u64;
        if self.trace_on {
            let name = self.sock_name(p);
            self.event(format_args!("{name} receives {n} bytes"));
        }
        self.notify(p, CAUSE_IN);
        // Acknowledged at once: room came back.
        self.notify(i, CAUSE_OUT);
    }

    /// Puts a segment at the tail of `i`'s outgoing stream.
    fn transmit(&mut self, i: usize, seg: Seg) {
        let now = self.now;
        let s = self.socks[i].as_ref().expect("live");
        let p = s.peer.expect("connected");
        let (a, b) = (
            s.host,
            self.socks
                .get(p)
                .and_then(|x| x.as_ref())
                .map_or(s.host, |x| x.host),
        );
        let l = self.link(a, b);
        let j = if l.jitter > 0 {
            self.rng.below(l.jitter + 1)
        } else {
            0
        };
        let at = now + l.latency + j;
        let s = self.socks[i].as_mut().expect("live");
        s.outq.push_back(Flight { at, seg, tries: 0 });
        if !s.out_armed {
            s.out_armed = true;
            self.schedule(at, Item::Head(i));
        }
    }

    /// The head of `i`'s outgoing stream reaches its peer, or is lost and retransmitted.
    pub(super) fn head_arrives(&mut self, i: usize) {
        let Some(s) = self.sock(i) else { return };
        s.out_armed = false;
        if s.broken() || s.cut || s.outq.is_empty() {
            s.outq.clear();
            return;
        }
        let (a, p) = (s.host, s.peer.expect("connected"));
        let b = self
            .socks
            .get(p)
            .and_then(|x| x.as_ref())
            .map_or(a, |x| x.host);
        let now = self.now;
        let exhausted = self.socks[i]
            .as_ref()
            .and_then(|s| s.outq.front())
            .is_some_and(|f| f.tries > DATA_RETRIES);
        if exhausted {
            // The last retransmission's timeout passed too.
            let name = self.sock_name(i);
            self.event(format_args!("{name} retransmissions exhausted"));
            self.abort(i, WSAECONNABORTED);
            return;
        }
        match self.transit(a, b) {
            Err(()) => return, // held: `release` re-arms
            Ok(None) => {
                let s = self.sock(i).expect("live");
                let f = s.outq.front_mut().expect("non-empty");
                f.tries += 1;
                let tries = f.tries;
                let name = self.sock_name(i);
                self.event(format_args!("{name} segment lost, retransmission {tries}"));
                let rto = DATA_RTO.max(3 * self.link(a, b).latency) << (tries - 1);
                let s = self.sock(i).expect("live");
                s.out_armed = true;
                self.schedule(now + rto, Item::Head(i));
                return;
            }
            Ok(Some(_)) => {}
        }
        let s = self.sock(i).expect("live");
        let f = s.outq.pop_front().expect("non-empty");
        let ends = s.local.zip(s.remote);
        let len = match &f.seg {
            Seg::Data(d) | Seg::Urgent(d) => d.len(),
            Seg::Fin => 0,
        };
        s.inflight -= len.min(s.inflight);
        let before = s.carried;
        s.carried += len as u64;
        let carried = s.carried;
        if let Some(next) = s.outq.front() {
            let at = next.at.max(now);
            s.out_armed = true;
            self.schedule(at, Item::Head(i));
        }
        // Room came back in the send buffer.
        self.notify(i, CAUSE_OUT);
        // A scripted fault on this stream?
        if let Some(&fault) = ends.and_then(|k| self.faults.get(&k)) {
            let at = match fault {
                StreamFault::ResetAt(n) | StreamFault::FinAt(n) => n,
            };
            if carried >= at && before <= at {
                let keep = (at - before) as usize;
                let seg = match f.seg {
                    Seg::Data(mut d) => {
                        d.truncate(keep);
                        Seg::Data(d)
                    }
                    other => other,
                };
                self.deliver(i, p, seg);
                self.faults.remove(&ends.expect("connected"));
                let name = self.sock_name(i);
                match fault {
                    StreamFault::ResetAt(_) => {
                        self.event(format_args!(
                            "{name} stream reset by the network at byte {at}"
                        ));
                        // Both ends get a RST, one link latency later (after the data).
                        if let Some(s) = self.sock(i) {
                            s.outq.clear();
                            s.unsent.clear();
                            s.cut = true;
                        }
                        let d = self.link(a, b).latency;
                        self.schedule(now + d, Item::Rst(p));
                        self.schedule(now + d, Item::Rst(i));
                    }
                    StreamFault::FinAt(_) => {
                        self.event(format_args!(
                            "{name} stream ended by the network at byte {at}"
                        ));
                        if let Some(s) = self.sock(i) {
                            s.outq.clear();
                            s.unsent.clear();
                            s.fin_sent = true;
                            s.cut = true;
                        }
                        self.deliver(i, p, Seg::Fin);
                    }
                }
                return;
            }
        }
        self.deliver(i, p, f.seg);
        self.pump(i);
        self.reap(i);
    }

    /// Turns keep-alive on (with these times, ns) or off for `i`.
    pub(crate) fn set_keepalive(&mut self, i: usize, on: Option<(u64, u64)>) {
        let now = self.now;
        let Some(s) = self.sock(i) else { return };
        s.keepalive = on;
        s.opts.keepalive = on.is_some();
        s.ka_gen += 1;
        s.last_heard = s.last_heard.max(now);
        let (g, heard) = (s.ka_gen, s.last_heard);
        if let Some((time, _)) = on {
            self.schedule(
                heard + time,
                Item::KeepAlive {
                    sock: i,
                    generation: g,
                    probe: 0,
                },
            );
        }
    }

    /// A keep-alive timer: the connection idle for the keep-alive time gets a probe; one
    /// answered (the path and the peer are there) starts the idle time again; 10
    /// unanswered, one interval apart, abort the connection (`WSAECONNABORTED`, as for
    /// exhausted retransmissions; docs/simulation.md).
    pub(super) fn keepalive_fires(&mut self, i: usize, generation: u32, probe: u32) {
        let now = self.now;
        let Some(s) = self.socks.get(i).and_then(|s| s.as_ref()) else {
            return;
        };
        let Some((time, interval)) = s.keepalive else {
            return;
        };
        if s.ka_gen != generation || s.broken() {
            return;
        }
        if s.tcp != Tcp::Established {
            // Not connected (yet): the idle time counts from the connection.
            self.schedule(
                now + time,
                Item::KeepAlive {
                    sock: i,
                    generation,
                    probe: 0,
                },
            );
            return;
        }
        if probe >= KEEPALIVE_PROBES {
            let name = self.sock_name(i);
            self.event(format_args!("{name} keep-alive: no answer to 10 probes"));
            self.abort(i, WSAECONNABORTED);
            return;
        }
        if probe == 0 && s.last_heard + time > now {
            // Heard from the peer meanwhile: idle again from then.
            let at = s.last_heard + time;
            self.schedule(
                at,
                Item::KeepAlive {
                    sock: i,
                    generation,
                    probe: 0,
                },
            );
            return;
        }
        let (a, peer) = (s.host, s.peer);
        let answered = match peer.and_then(|p| self.socks.get(p)?.as_ref()) {
            Some(ps) if !ps.orphan => {
                let b = ps.host;
                let up = !self.hosts[b].silent && !self.hosts[b].net_down;
                up && matches!(self.transit(a, b), Ok(Some(_)))
                    && matches!(self.transit(b, a), Ok(Some(_)))
            }
            // The peer's stack is gone with its socket: it would answer with a RST.
            _ => false,
        };
        let name = self.sock_name(i);
        if answered {
            self.event(format_args!("{name} keep-alive probe answered"));
            let s = self.sock(i).expect("live");
            s.last_heard = now;
            self.schedule(
                now + time,
                Item::KeepAlive {
                    sock: i,
                    generation,
                    probe: 0,
                },
            );
        } else {
            self.event(format_args!(
                "{name} keep-alive probe {} unanswered",
                probe + 1
            ));
            self.schedule(
                now + interval,
                Item::KeepAlive {
                    sock: i,
                    generation,
                    probe: probe + 1,
                },
            );
        }
    }

    /// A segment from `from` is taken in by `to`.
    fn deliver(&mut self, from: usize, to: usize, seg: Seg) {
        let alive = self
            .socks
            .get(to)
            .and_then(|x| x.as_ref())
            .is_some_and(|x| !x.orphan || matches!(seg, Seg::Fin));
        if !alive {
            // Data for a closed socket draws a RST (as on Windows and Linux).
            if !matches!(seg, Seg::Fin) {
                self.schedule_rst(from);
            }
            return;
        }
        let now = self.now;
        let s = self.sock(to).expect("live");
        if s.broken() {
            return;
        }
        s.last_heard = now;
        let name = self.sock_name(to);
        match seg {
            Seg::Data(d) => {
                let s = self.sock(to).expect("live");
                s.rx_bytes += d.len() as u64;
                s.recv.extend(d.iter());
                let n = d.len();
                self.event(format_args!("{name} receives {n} bytes"));
                self.notify(to, CAUSE_IN);
            }
            Seg::Urgent(d) => {
                let s = self.sock(to).expect("live");
                s.rx_bytes += d.len() as u64;
                if s.opts.oob_inline {
                    s.recv.extend(d.iter());
                } else {
                    s.urgent.extend(d.iter());
                    s.urgent_rcvd += d.len() as u64;
                }
                self.event(format_args!("{name} receives {} urgent byte(s)", d.len()));
                self.notify(to, CAUSE_IN);
            }
            Seg::Fin => {
                let s = self.sock(to).expect("live");
                s.fin_rcvd = true;
                s.rx_bytes += 1;
                self.event(format_args!("{name} receives FIN"));
                self.notify(to, CAUSE_IN);
                self.reap(to);
            }
        }
    }

    /// A RST to `to` after the link's latency from its peer.
    pub(super) fn schedule_rst(&mut self, to: usize) {
        let Some(s) = self.socks.get(to).and_then(|x| x.as_ref()) else {
            return;
        };
        let d = self.link(s.host, s.host).latency.max(
            s.peer
                .and_then(|p| self.socks.get(p)?.as_ref())
                .map_or(0, |p| self.link(s.host, p.host).latency),
        );
        let now = self.now;
        self.schedule(now + d, Item::Rst(to));
    }

    pub(super) fn rst_arrives(&mut self, i: usize) {
        let Some(s) = self.sock(i) else { return };
        if s.tcp != Tcp::Established || s.broken() {
            return;
        }
        s.rst_rcvd = true;
        s.recv.clear();
        s.urgent.clear();
        s.unsent.clear();
        s.outq.clear();
        s.inflight = 0;
        let orphan = s.orphan;
        let name = self.sock_name(i);
        self.event(format_args!("{name} receives RST"));
        self.notify(i, CAUSE_IN | CAUSE_ERR | CAUSE_OUT);
        if orphan {
            self.socks[i] = None;
            self.live_socks -= 1;
        }
    }

    /// The connection of `i` is aborted locally with `code` (no RST reaches the peer).
    pub(super) fn abort(&mut self, i: usize, code: i32) {
        let Some(s) = self.sock(i) else { return };
        match s.tcp {
            Tcp::Connecting => {
                self.connect_failed(i, code);
                return;
            }
            Tcp::Established if !s.broken() => {}
            _ => return,
        }
        s.abort = Some(code);
        s.recv.clear();
        s.urgent.clear();
        s.unsent.clear();
        s.outq.clear();
        s.inflight = 0;
        let name = self.sock_name(i);
        self.event(format_args!("{name} aborted: {}", Error::from_code(code)));
        self.notify(i, CAUSE_IN | CAUSE_ERR | CAUSE_OUT);
    }
}

/// Both sockets `i` and `j` (`i != j`, both live), mutably.
#[inline]
fn two_mut(socks: &mut [Option<Sock>], i: usize, j: usize) -> (&mut Sock, &mut Sock) {
    assert_ne!(i, j, "a socket is not its own peer");
    let (a, b) = if i < j {
        let (lo, hi) = socks.split_at_mut(j);
        (&mut lo[i], &mut hi[0])
    } else {
        let (lo, hi) = socks.split_at_mut(i);
        (&mut hi[0], &mut lo[j])
    };
    (a.as_mut().expect("live"), b.as_mut().expect("live"))
}

/// Appends `bytes` to `to`: a few one by one (no bulk-copy set-up), more in one copy.
#[inline]
pub(super) fn append(to: &mut VecDeque<u8>, bytes: &[u8]) {
    if bytes.len() <= 16 {
        for &b in bytes {
            to.push_back(b);
        }
    } else {
        to.extend(bytes);
    }
}

/// Moves the first `n` bytes of `from` (`n <= from.len()`) to the end of `to`, in order.
#[inline]
fn move_bytes(from: &mut VecDeque<u8>, to: &mut VecDeque<u8>, n: usize) {
    if n <= 16 {
        // A few bytes (a ping-pong's): one by one, no bulk-copy set-up.
        for _ in 0..n {
            let b = from.pop_front().expect("n <= len");
            to.push_back(b);
        }
        return;
    }
    let (a, b) = from.as_slices();
    let k = a.len().min(n);
    to.extend(&a[..k]);
    to.extend(&b[..n - k]);
    if n == from.len() {
        from.clear();
    } else {
        from.drain(..n);
    }
}
