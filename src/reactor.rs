//! Feeds OS readiness into the sockets' records.
//!
//! One process-wide reactor owns the OS poller and a slab of the watched sockets. It has no
//! thread of its own: it is the [`Driver`] of the event dispatcher, so the thread that
//! waits is the thread that reads the poller (see `event.rs`). Each readiness is handed to
//! its socket's [`Source::on_ready`], which records the `FD_*` events and sets the events.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::event::{self, Driver};
use crate::sync::Mutex;
use crate::sys::{OsSocket, Poller, Readiness};

/// A watched socket.
pub(crate) trait Source: Send + Sync {
    /// Called by the polling thread for each readiness of this socket. `poll` says which
    /// poll delivered it (see [`PollSeq`]).
    fn on_ready(&self, r: Readiness, poll: PollSeq);
}

/// Numbers the polls, so a socket can tell whether a readiness may be *stale*: queued
/// before a call of the application already consumed what it announced.
///
/// Each poll takes the next number before it asks the OS. A call that consumes (a `recv`)
/// stamps its socket with [`poll_seq`] read *after* its system call. A readiness delivered
/// by poll `k` was queued after poll `k - 1` collected (or poll `k - 1` would have
/// returned it), unless poll `k - 1` left readiness behind (a full buffer): so it cannot
/// be stale when the socket's stamp is at most `k - 2`, which means the consuming call
/// ended before poll `k - 1` began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PollSeq {
    /// This poll's number.
    pub seq: u64,
    /// Whether the previous poll returned everything that was ready.
    pub previous_complete: bool,
}

impl PollSeq {
    /// Whether a readiness from this poll is certainly newer than a consuming call stamped
    /// `stamp`.
    pub(crate) fn fresh_after(self, stamp: u64) -> bool {
        self.previous_complete && stamp.saturating_add(2) <= self.seq
    }
}

static POLL_SEQ: AtomicU64 = AtomicU64::new(0);
/// The last poll may have left readiness behind.
static LAST_POLL_PARTIAL: AtomicBool = AtomicBool::new(true);

/// The number of the latest poll (see [`PollSeq`]).
pub(crate) fn poll_seq() -> u64 {
    POLL_SEQ.load(Ordering::SeqCst)
}

pub(crate) struct Reactor {
    poller: Poller,
    sources: Mutex<Slab<dyn Source>>,
}

/// The watched sockets by token. A token is a slot index and the slot's generation, so a
/// readiness the polling thread already took from the OS for a socket that was closed
/// before it was dispatched never reaches a newer socket that reuses the slot (and perhaps
/// the OS descriptor): its token names the old generation, which no longer matches.
struct Slab<S: ?Sized> {
    entries: Vec<Entry<S>>,
    free: Vec<usize>,
}

struct Entry<S: ?Sized> {
    generation: usize,
    src: Option<Arc<S>>,
}

/// Bits of a token that hold the slot index; the rest hold the generation (on 64-bit
/// targets 2^32 registrations of one slot before a generation repeats).
const INDEX_BITS: u32 = usize::BITS / 2;
const INDEX_MASK: usize = (1 << INDEX_BITS) - 1;

impl<S: ?Sized> Slab<S> {
    const fn new() -> Self {
        Slab {
            entries: Vec::new(),
            free: Vec::new(),
        }
    }

    /// Stores `src`; returns its token. The all-ones index is never used, so no token is
    /// mio's waker token (`usize::MAX`).
    fn insert(&mut self, src: Arc<S>) -> usize {
        let index = match self.free.pop() {
            Some(i) => i,
            None => {
                self.entries.push(Entry {
                    generation: 0,
                    src: None,
                });
                self.entries.len() - 1
            }
        };
        debug_assert!(index < INDEX_MASK);
        let e = &mut self.entries[index];
        e.src = Some(src);
        (e.generation << INDEX_BITS) | index
    }

    /// The source a token names, if that registration is still the slot's.
    fn get(&self, token: usize) -> Option<Arc<S>> {
        let e = self.entries.get(token & INDEX_MASK)?;
        if e.generation != token >> INDEX_BITS {
            return None;
        }
        e.src.clone()
    }

    /// Frees a token's slot (a stale token frees nothing).
    fn remove(&mut self, token: usize) {
        let index = token & INDEX_MASK;
        if let Some(e) = self.entries.get_mut(index) {
            if e.generation == token >> INDEX_BITS && e.src.is_some() {
                e.src = None;
                e.generation = (e.generation + 1) & (usize::MAX >> INDEX_BITS);
                self.free.push(index);
            }
        }
    }
}

static REACTOR: OnceLock<Reactor> = OnceLock::new();

/// The reactor, created (and installed as the dispatcher's driver) on first use.
pub(crate) fn reactor() -> io::Result<&'static Reactor> {
    if let Some(r) = REACTOR.get() {
        return Ok(r);
    }
    let fresh = Reactor {
        poller: Poller::new()?,
        sources: Mutex::new(Slab::new()),
    };
    // A racing thread may have won; its reactor is the one.
    let _ = REACTOR.set(fresh);
    let r = REACTOR.get().expect("just set");
    #[cfg(not(loom))]
    event::install_driver(r);
    Ok(r)
}

impl Reactor {
    /// Starts watching `os` for `src` (writability too if `writable`); returns its token.
    pub(crate) fn register(
        &self,
        os: &mut OsSocket,
        src: Arc<dyn Source>,
        writable: bool,
    ) -> io::Result<usize> {
        self.register_with(src, |p, token| os.register(p, token, writable))
    }

    /// Starts watching another OS source for `src`: `reg` registers it with the poller
    /// under the token it is given. Returns the token.
    pub(crate) fn register_with(
        &self,
        src: Arc<dyn Source>,
        reg: impl FnOnce(&Poller, usize) -> io::Result<()>,
    ) -> io::Result<usize> {
        let token = self.sources.lock().insert(src);
        if let Err(e) = reg(&self.poller, token) {
            self.release(token);
            return Err(e);
        }
        Ok(token)
    }

    /// Stops watching a source registered with [`register_with`](Self::register_with).
    pub(crate) fn deregister_with(&self, token: usize, dereg: impl FnOnce(&Poller)) {
        dereg(&self.poller);
        self.release(token);
    }

    /// Runs `f` with the poller (for a source that wakes it itself: `sys::UrgentWatch`).
    #[cfg(windows)]
    pub(crate) fn with_poller<T>(&self, f: impl FnOnce(&Poller) -> T) -> T {
        f(&self.poller)
    }

    /// Watches writability of a registered socket, or stops watching it.
    pub(crate) fn set_writable_interest(
        &self,
        os: &mut OsSocket,
        token: usize,
        writable: bool,
    ) -> io::Result<()> {
        os.reregister(&self.poller, token, writable)
    }

    /// Has the OS poller report the socket again (see `sys::NEEDS_REARM`).
    pub(crate) fn rearm(&self, os: &mut OsSocket, token: usize, writable: bool) {
        let _ = os.rearm(&self.poller, token, writable);
    }

    /// Stops watching: deregisters from the OS poller and frees the token.
    pub(crate) fn deregister(&self, os: &mut OsSocket, token: usize) {
        os.deregister(&self.poller);
        self.release(token);
    }

    fn release(&self, token: usize) {
        self.sources.lock().remove(token);
    }
}

impl Driver for Reactor {
    fn poll(&self, timeout: Option<Duration>) {
        // Only the thread holding the poller role gets here, so these are not contended.
        let seq = PollSeq {
            seq: POLL_SEQ.fetch_add(1, Ordering::SeqCst) + 1,
            previous_complete: !LAST_POLL_PARTIAL.load(Ordering::SeqCst),
        };
        let partial = self.poller.poll(timeout, |token, r| {
            // A token of an earlier registration of the slot finds nothing.
            let src = self.sources.lock().get(token);
            if let Some(src) = src {
                src.on_ready(r, seq);
            }
        });
        LAST_POLL_PARTIAL.store(partial, Ordering::SeqCst);
    }

    fn wake(&self) {
        self.poller.wake();
    }
}

/// Records what the OS has ready without blocking (unless another thread is polling), and
/// what the thread's current simulated network has due now.
pub(crate) fn harvest() {
    if crate::sys::sim::in_use() {
        crate::sys::sim::harvest_current();
    }
    event::harvest();
}

/// Hands one simulated socket's readiness to its source, as [`Driver::poll`] hands the
/// OS's: through the slab, so a token of a closed registration finds nothing. The
/// simulated network computes each readiness from its state when it hands it out, never
/// earlier, but a socket cannot tell that from its poll number: every simulated readiness
/// takes the counting path (`previous_complete: false`).
pub(crate) fn dispatch_sim(token: usize, r: Readiness) {
    let Some(reactor) = REACTOR.get() else { return };
    let src = reactor.sources.lock().get(token);
    if let Some(src) = src {
        src.on_ready(
            r,
            PollSeq {
                seq: poll_seq(),
                previous_complete: false,
            },
        );
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    /// Issue 8.3: a readiness queued for a registration that was closed before dispatch
    /// must not reach the newer registration that reuses the slot.
    #[test]
    fn stale_token_does_not_reach_a_newer_registration() {
        let mut slab: Slab<u32> = Slab::new();
        let old = slab.insert(Arc::new(1));
        assert_eq!(slab.get(old).as_deref(), Some(&1));
        slab.remove(old);
        let new = slab.insert(Arc::new(2));
        assert_eq!(new & INDEX_MASK, old & INDEX_MASK, "the slot is reused");
        assert_ne!(new, old);
        assert_eq!(
            slab.get(old),
            None,
            "the old registration's readiness is dropped"
        );
        assert_eq!(slab.get(new).as_deref(), Some(&2));
        // Freeing with the stale token frees nothing.
        slab.remove(old);
        assert_eq!(slab.get(new).as_deref(), Some(&2));
        assert_ne!(new, usize::MAX);
    }
}
