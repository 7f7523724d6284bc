//! Feeds OS readiness into the sockets' records.
//!
//! One process-wide reactor owns the OS poller and a slab of the watched sockets. It has no
//! thread of its own: it is the [`Driver`] of the event dispatcher, so the thread that
//! waits is the thread that reads the poller (see `event.rs`). Each readiness is handed to
//! its socket's [`Source::on_ready`], which records the `FD_*` events and sets the events.

use std::io;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::event::{self, Driver};
use crate::sync::Mutex;
use crate::sys::{OsSocket, Poller, Readiness};

/// A watched socket.
pub(crate) trait Source: Send + Sync {
    /// Called by the polling thread for each readiness of this socket.
    fn on_ready(&self, r: Readiness);
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
    /// Starts watching `os` for `src`; returns its token.
    pub(crate) fn register(&self, os: &mut OsSocket, src: Arc<dyn Source>) -> io::Result<usize> {
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
        if let Err(e) = os.register(&self.poller, token) {
            self.release(token);
            return Err(e);
        }
        Ok(token)
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
        self.poller.poll(timeout, |token, r| {
            let src = self.sources.lock().entries.get(token).cloned().flatten();
            if let Some(src) = src {
                src.on_ready(r);
            }
        });
    }

    fn wake(&self) {
        self.poller.wake();
    }
}

/// Records what the OS has ready without blocking (unless another thread is polling).
pub(crate) fn harvest() {
    event::harvest();
}
