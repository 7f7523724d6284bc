//! The registry of networks, and the thread's current one.

use super::*;

pub(super) static NEXT_NET: AtomicU32 = AtomicU32::new(1);
/// Set when the first network is built: until then (and in a process that never builds
/// one) the OS path skips every simulated-network check with one load.
pub(super) static IN_USE: AtomicBool = AtomicBool::new(false);

/// Whether any simulated network was ever built in this process.
#[inline]
pub(crate) fn in_use() -> bool {
    IN_USE.load(Ordering::Relaxed)
}
pub(super) static NETS: parking_lot::Mutex<Vec<(u32, Weak<Net>)>> =
    parking_lot::Mutex::new(Vec::new());

thread_local! {
    static CURRENT: std::cell::RefCell<Option<(Arc<Net>, usize)>> =
        const { std::cell::RefCell::new(None) };
}

/// The process-wide switch (the C API's `wsaevents_sim_start`): the network and host of
/// every thread that has not entered one itself.
static PROCESS: parking_lot::Mutex<Option<(Arc<Net>, usize)>> = parking_lot::Mutex::new(None);

/// Switches the whole process to `net`, on `host` (`None`: back to the OS).
pub(crate) fn set_process(to: Option<(Arc<Net>, usize)>) {
    *PROCESS.lock() = to;
}

/// The network with this id, if it is still alive.
pub(crate) fn net_by_id(id: u32) -> Option<Arc<Net>> {
    let here = CURRENT
        .try_with(|c| {
            c.borrow()
                .as_ref()
                .filter(|(n, _)| n.id == id)
                .map(|(n, _)| Arc::clone(n))
        })
        .ok()
        .flatten();
    if here.is_some() {
        return here;
    }
    let mut nets = NETS.lock();
    nets.retain(|(_, w)| w.strong_count() > 0);
    nets.iter()
        .find(|(i, _)| *i == id)
        .and_then(|(_, w)| w.upgrade())
}

/// Runs `f` with network `id` if it is the one this thread is inside, borrowed from the
/// thread's slot (no reference-count traffic; `f` must not enter another network).
#[inline]
pub(crate) fn with_current_net<R>(id: u32, f: impl FnOnce(&Net) -> R) -> Option<R> {
    CURRENT
        .try_with(|c| {
            let b = c.try_borrow().ok()?;
            let (n, _) = b.as_ref().filter(|(n, _)| n.id == id)?;
            Some(f(n))
        })
        .ok()
        .flatten()
}

/// The network and host this thread is inside (`sim::Host::enter`), if any.
pub(crate) fn current() -> Option<(Arc<Net>, usize)> {
    if !in_use() {
        return None;
    }
    CURRENT
        .try_with(|c| c.borrow().clone())
        .ok()
        .flatten()
        .or_else(|| PROCESS.lock().clone())
}

/// The id of the network this thread is inside, or 0.
pub(crate) fn current_id() -> u32 {
    if !in_use() {
        return 0;
    }
    let here = CURRENT
        .try_with(|c| c.borrow().as_ref().map(|(n, _)| n.id))
        .ok()
        .flatten();
    here.or_else(|| PROCESS.lock().as_ref().map(|(n, _)| n.id))
        .unwrap_or(0)
}

/// Sets the calling thread's network and host for good (the C API's
/// `wsaevents_sim_enter`), or clears it (`None`).
pub(crate) fn set_current(to: Option<(Arc<Net>, usize)>) {
    let _ = CURRENT.try_with(|c| *c.borrow_mut() = to);
}

/// Runs `f` inside `host` of `net`: sockets and events it creates belong to that network.
pub(crate) fn enter<R>(net: &Arc<Net>, host: usize, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<(Arc<Net>, usize)>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let old = self.0.take();
            let _ = CURRENT.try_with(|c| *c.borrow_mut() = old);
        }
    }
    let old = CURRENT.with(|c| c.borrow_mut().replace((Arc::clone(net), host)));
    let _restore = Restore(old);
    f()
}

/// Runs every due item of the thread's current network and hands out its readiness.
#[inline(never)]
pub(crate) fn harvest_current() {
    if let Some((n, _)) = current() {
        n.harvest();
    }
}
