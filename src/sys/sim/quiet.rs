//! When virtual time may move: only when every thread running on the network is waiting
//! (quiescence), as simulators do. The one place every virtual wait asks
//! ([`VirtualWait::advance`]); the threads on a network are counted by `registry.rs`.
//!
//! A thread is *on* a network while inside `Host::enter`, after
//! `Host::set_thread_default` (C `wsaevents_sim_enter`), and, for the process default
//! (`wsaevents_sim_start`), from its first call into the network (a C thread: from its
//! `CreateThread`) until it exits; a thread that waits on a network's objects without
//! being on it counts for that wait only. Of
//! those, a thread is *idle* when its virtual wait found nothing to take at the network's
//! current state (checked after a harvest; any later signal of one of the network's events,
//! any readiness handed out, any clock move makes the check stale and the thread checks
//! again), or *blocked* in a real-time wait the library does for it (a thread's handle).
//! The waiter that finds idle + blocked = running moves the clock; one that does not
//! sleeps on the network's condition (woken by a clock move, a wait's end, a thread's
//! arrival or exit), at most [`RECHECK`] at a time, and re-checks.
//!
//! A thread can block outside the library (a join, a channel, a mutex) while counted as
//! running: after [`STALL`] of real time with none of those changes, the waiter moves the
//! clock anyway (the behaviour without this rule), so nothing hangs; such runs are the
//! non-deterministic case of docs/simulation.md.
//!
//! With one thread on the network (the common case) a wait moves the clock at once, with
//! one relaxed load more than before.

use super::*;
use std::sync::atomic::AtomicUsize;

/// The liveness bound: a waiter that has seen no progress for this long moves the clock.
pub(crate) const STALL: Duration = Duration::from_millis(50);
/// How long a waiter that may not move the clock sleeps before it checks again.
const RECHECK: Duration = Duration::from_millis(1);

/// The network's count of its threads, and the condition its waiters sleep on.
pub(crate) struct Quiet {
    /// Threads on the network (mirrors `QState::running`, for the one-thread fast path).
    running: AtomicUsize,
    /// Moved on by every harvest that handed out readiness and every clock move: with the
    /// events' signal count of the network, the state a waiter's check saw.
    changes: AtomicU64,
    st: parking_lot::Mutex<QState>,
    cv: parking_lot::Condvar,
}

#[derive(Default)]
struct QState {
    running: usize,
    /// Of the running, those in a real-time wait of the library.
    blocked: usize,
    /// Of the running, those whose virtual wait checked at `tok` and found nothing.
    idle: usize,
    /// The state (`Quiet::token`) at which the `idle` ones checked.
    tok: (u64, u64),
    /// Moved on whenever `idle` is reset (the state changed, or the clock moved).
    round: u64,
    /// Moved on by every clock move, wait end, arrival and exit: progress, for [`STALL`].
    epoch: u64,
}

impl Quiet {
    pub(crate) fn new() -> Quiet {
        Quiet {
            running: AtomicUsize::new(0),
            changes: AtomicU64::new(0),
            st: parking_lot::Mutex::new(QState::default()),
            cv: parking_lot::Condvar::new(),
        }
    }

    /// The clock moved, or readiness was handed out: checks made before are stale.
    #[inline]
    fn changed(&self) {
        self.changes.fetch_add(1, Ordering::Release);
    }

    /// A harvest handed out readiness (called after the hand-out). With one thread on the
    /// network nobody compares, so nothing to count: a thread arriving meanwhile stored the
    /// count before its first check, and that check takes the lock of the record the
    /// hand-out wrote under, so either it sees the hand-out or this load sees the thread.
    #[inline]
    pub(crate) fn dispatched(&self) {
        if self.running.load(Ordering::Relaxed) > 1 {
            self.changed();
        }
    }

    /// A thread arrives on the network (`registry.rs`).
    pub(crate) fn join(&self) {
        let mut q = self.st.lock();
        q.running += 1;
        self.running.store(q.running, Ordering::Release);
        q.epoch += 1;
        self.cv.notify_all();
    }

    /// A thread leaves the network (or exits).
    pub(crate) fn leave(&self) {
        let mut q = self.st.lock();
        q.running = q.running.saturating_sub(1);
        self.running.store(q.running, Ordering::Release);
        q.epoch += 1;
        self.cv.notify_all();
    }

    /// A thread on the network begins (`true`) or ends a real-time wait of the library.
    pub(crate) fn set_blocked(&self, on: bool) {
        let mut q = self.st.lock();
        if on {
            q.blocked += 1;
        } else {
            q.blocked = q.blocked.saturating_sub(1);
        }
        q.epoch += 1;
        self.cv.notify_all();
    }
}

impl Net {
    /// The state a waiter's check sees: the network's event signals and handed readiness.
    fn token(&self) -> (u64, u64) {
        (
            crate::event::net_signals(self.id),
            self.quiet.changes.load(Ordering::Acquire),
        )
    }

    /// Starts a virtual wait of the calling thread on this network (after its first check
    /// missed). A thread not on the network is counted on it for the wait. `current`: the
    /// network is the thread's current one (`enter`, or the thread default), so the thread
    /// is on it.
    #[inline]
    pub(crate) fn virtual_wait(&self, current: bool) -> VirtualWait<'_> {
        let temp = !current && !super::registry::is_on(self);
        if temp {
            self.quiet.join();
        }
        VirtualWait {
            net: self,
            temp,
            snap: (0, 0),
            idle_at: None,
            stall: None,
        }
    }
}

/// One thread's virtual wait on a network: [`before_check`](Self::before_check) after each
/// harvest, [`advance`](Self::advance) when the check found nothing.
pub(crate) struct VirtualWait<'a> {
    net: &'a Net,
    /// Counted on the network for this wait only.
    temp: bool,
    /// The state before the last check.
    snap: (u64, u64),
    /// The generation at which this wait is counted idle.
    idle_at: Option<u64>,
    /// When this waiter started finding the network busy, and the progress count then.
    stall: Option<(Instant, u64)>,
}

impl VirtualWait<'_> {
    /// Notes the state the check that follows sees (call after the harvest, before the
    /// check). Free when the thread is alone on the network.
    #[inline]
    pub(crate) fn before_check(&mut self) {
        if !self.alone() {
            self.snap = self.net.token();
        }
    }

    /// Whether this thread is the only one on the network now (then a check made before
    /// the wait was counted is as good as one made after).
    #[inline]
    pub(crate) fn alone(&self) -> bool {
        self.net.quiet.running.load(Ordering::Acquire) <= 1
    }

    /// After a check that found nothing: moves the clock as [`Net::advance`] does (`Some`
    /// of its answer) if every thread on the network is waiting, or if none progressed for
    /// [`STALL`]; else sleeps a little and returns `None` (check again).
    #[inline]
    pub(crate) fn advance(&mut self, deadline: Option<u64>) -> Option<bool> {
        if self.alone() {
            return Some(self.net.advance(deadline));
        }
        self.advance_shared(deadline)
    }

    #[inline(never)]
    fn advance_shared(&mut self, deadline: Option<u64>) -> Option<bool> {
        let quiet = &self.net.quiet;
        let mut q = quiet.st.lock();
        let cur = self.net.token();
        if cur != q.tok {
            // The state changed since the idle ones checked: they check again.
            q.tok = cur;
            q.round += 1;
            q.idle = 0;
            quiet.cv.notify_all();
        }
        if self.snap != cur {
            // This check is stale too.
            return None;
        }
        if self.idle_at != Some(q.round) {
            q.idle += 1;
            self.idle_at = Some(q.round);
        }
        let quiescent = q.idle + q.blocked >= q.running;
        let stalled = !quiescent && {
            let now = Instant::now();
            match self.stall {
                Some((since, epoch)) if epoch == q.epoch => now.duration_since(since) >= STALL,
                _ => {
                    self.stall = Some((now, q.epoch));
                    false
                }
            }
        };
        if quiescent || stalled {
            let due = self.net.advance(deadline);
            quiet.changed();
            q.tok = self.net.token();
            q.round += 1;
            q.idle = 0;
            q.epoch += 1;
            self.idle_at = None;
            self.stall = None;
            quiet.cv.notify_all();
            return Some(due);
        }
        quiet.cv.wait_for(&mut q, RECHECK);
        None
    }
}

impl Drop for VirtualWait<'_> {
    fn drop(&mut self) {
        if self.idle_at.is_none() && !self.temp && self.alone() {
            return;
        }
        let quiet = &self.net.quiet;
        {
            let mut q = quiet.st.lock();
            if self.idle_at == Some(q.round) {
                q.idle -= 1;
            }
            q.epoch += 1;
            quiet.cv.notify_all();
        }
        if self.temp {
            quiet.leave();
        }
    }
}
