//! The network's entry points: its lock, the harvest of readiness, virtual time.

use super::registry::{IN_USE, NETS, NEXT_NET};
use super::*;

impl Net {
    pub(crate) fn new(seed: u64) -> Arc<Net> {
        IN_USE.store(true, Ordering::Relaxed);
        let id = NEXT_NET.fetch_add(1, Ordering::Relaxed);
        let pending = Arc::new(AtomicBool::new(false));
        let net = Arc::new(Net {
            id,
            epoch: Instant::now(),
            tracing: AtomicBool::new(true),
            pending: Arc::clone(&pending),
            clock: AtomicU64::new(0),
            sessions: AtomicU64::new(0),
            quiet: super::quiet::Quiet::new(),
            st: Mutex::new(NetState {
                now: 0,
                seq: 0,
                seed,
                rng: Rng(seed),
                hosts: Vec::new(),
                socks: Vec::new(),
                timers: BTreeMap::new(),
                first_at: u64::MAX,
                pending: Vec::new(),
                pending_flag: pending,
                links: BTreeMap::new(),
                default_link: Link {
                    latency: MS / 2,
                    ..Link::default()
                },
                unreachable: BTreeSet::new(),
                faults: BTreeMap::new(),
                held_dgrams: Vec::new(),
                trace: String::new(),
                trace_on: true,
                live_socks: 0,
            }),
        });
        NETS.lock().push((id, Arc::downgrade(&net)));
        net
    }

    /// The state, locked (every access goes through here: see `sessions`).
    pub(crate) fn lock(&self) -> crate::sync::MutexGuard<'_, NetState> {
        let g = self.st.lock();
        // Under the lock: a plain increment, no read-modify-write.
        let n = self.sessions.load(Ordering::Relaxed);
        self.sessions.store(n.wrapping_add(1), Ordering::Release);
        g
    }

    /// The snapshot's queue length for socket `sock`, if one was handed out with a
    /// readiness and nothing changed since.
    pub(super) fn snapshot_avail(&self, sock: usize) -> Option<usize> {
        let snap = SNAPSHOT.try_with(|c| c.get()).ok().flatten()?;
        (snap.net == self.id
            && snap.sock == sock
            && snap.session == self.sessions.load(Ordering::Acquire))
        .then_some(snap.avail)
    }

    /// [`harvest`](Self::harvest) for calls that observe state between waits: the clock
    /// has not moved since the last call ran what was due, so only notified readiness can
    /// be waiting.
    pub(crate) fn harvest_ready(&self) {
        if self.pending.load(Ordering::Acquire) {
            self.harvest();
        }
    }

    pub(crate) fn tracing(&self) -> bool {
        self.tracing.load(Ordering::Relaxed)
    }

    pub(crate) fn set_tracing(&self, on: bool) {
        self.lock().trace_on = on;
        self.tracing.store(on, Ordering::Relaxed);
    }

    /// Virtual now, as an `Instant` (the network's creation plus virtual time), so that
    /// deadlines computed with `Instant` arithmetic follow the virtual clock.
    pub(crate) fn instant(&self) -> Instant {
        self.epoch + Duration::from_nanos(self.now_ns())
    }

    pub(crate) fn now_ns(&self) -> u64 {
        self.clock.load(Ordering::Acquire)
    }

    /// Runs the items due now and hands the readiness they caused to the sockets'
    /// records (outside the lock: the records' handlers call back into the network).
    pub(crate) fn harvest(&self) {
        let mut batch = Batch::default();
        let mut first = true;
        loop {
            // After the first round only readiness can be left (every call runs what is
            // due itself): with nothing notified there is nothing to take.
            if !first && !self.pending.load(Ordering::Acquire) {
                break;
            }
            first = false;
            batch.clear();
            let session = {
                let mut st = self.lock();
                st.run_due();
                st.take_ready(&mut batch);
                self.sessions.load(Ordering::Relaxed)
            };
            if batch.is_empty() {
                break;
            }
            for r in batch.iter() {
                let snap = Snapshot {
                    net: self.id,
                    sock: r.sock,
                    session,
                    avail: r.avail,
                };
                let _ = SNAPSHOT.try_with(|c| c.set(Some(snap)));
                crate::reactor::dispatch_sim(r.token, r.r);
            }
            // After the dispatch: other waiters' checks made before it are stale.
            self.quiet.dispatched();
        }
    }

    /// Moves the clock to the next scheduled item, but not past `deadline`. Returns
    /// whether an item is now due (false: nothing is scheduled before the deadline; the
    /// clock is at the deadline if there is one).
    pub(crate) fn advance(&self, deadline: Option<u64>) -> bool {
        let mut st = self.lock();
        let next = st.timers.keys().next().map(|&(t, _)| t);
        let due = match (next, deadline) {
            (Some(t), Some(d)) if t > d => {
                st.now = st.now.max(d);
                false
            }
            (Some(t), _) => {
                st.now = st.now.max(t);
                true
            }
            (None, Some(d)) => {
                st.now = st.now.max(d);
                false
            }
            (None, None) => false,
        };
        self.clock.store(st.now, Ordering::Release);
        due
    }

    /// Lets virtual time pass, running everything scheduled meanwhile.
    pub(crate) fn run_for(&self, d: Duration) {
        let end = self.now_ns().saturating_add(d.as_nanos() as u64);
        loop {
            self.harvest();
            if !self.advance(Some(end)) {
                self.harvest();
                return;
            }
        }
    }
}
