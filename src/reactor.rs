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
    sources: Mutex<Slab>,
}

#[derive(Default)]
struct Slab {
    entries: Vec<Option<Arc<dyn Source>>>,
    free: Vec<usize>,
}

static REACTOR: OnceLock<Reactor> = OnceLock::new();

/// The reactor, created (and installed as the dispatcher's driver) on first use.
pub(crate) fn reactor() -> io::Result<&'static Reactor> {
    if let Some(r) = REACTOR.get() {
        return Ok(r);
    }
    let fresh = Reactor {
        poller: Poller::new()?,
        sources: Mutex::new(Slab::default()),
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
        let token = {
            let mut slab = self.sources.lock();
            match slab.free.pop() {
                Some(t) => {
                    slab.entries[t] = Some(src);
                    t
                }
                None => {
                    slab.entries.push(Some(src));
                    slab.entries.len() - 1
                }
            }
        };
        if let Err(e) = os.register(&self.poller, token, writable) {
            self.release(token);
            return Err(e);
        }
        Ok(token)
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
        let mut slab = self.sources.lock();
        slab.entries[token] = None;
        slab.free.push(token);
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
            let src = self.sources.lock().entries.get(token).cloned().flatten();
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

/// Records what the OS has ready without blocking (unless another thread is polling).
pub(crate) fn harvest() {
    event::harvest();
}
