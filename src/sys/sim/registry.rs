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
        .or_else(|| {
            let p = PROCESS.lock().clone();
            if let Some((n, _)) = &p {
                on_process(n);
            }
            p
        })
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
    here.or_else(|| {
        let p = PROCESS.lock().as_ref().map(|(n, _)| Arc::clone(n));
        p.map(|n| {
            on_process(&n);
            n.id
        })
    })
    .unwrap_or(0)
}

/// Sets the calling thread's network and host for good (the C API's
/// `wsaevents_sim_enter`), or clears it (`None`).
pub(crate) fn set_current(to: Option<(Arc<Net>, usize)>) {
    let old = THREAD_DEFAULT.try_with(|d| d.replace(to.as_ref().map(|(n, _)| Arc::downgrade(n))));
    if let Some(n) = to.as_ref() {
        arrive(&n.0);
    }
    if let Ok(Some(old)) = old {
        depart(&old);
    }
    let _ = CURRENT.try_with(|c| *c.borrow_mut() = to);
}

// ------------------------------------------------------------------------------------------
// The threads on each network (for `quiet.rs`: virtual time moves when all of them wait)

/// The networks this thread is on, each with how many reasons it has to be (an `enter`
/// each, the thread default, the process default). Dropped at the thread's exit: the
/// thread leaves them.
struct OnNets(Vec<(Weak<Net>, u32)>);

impl Drop for OnNets {
    fn drop(&mut self) {
        for (w, _) in self.0.drain(..) {
            if let Some(n) = w.upgrade() {
                n.quiet.leave();
            }
        }
    }
}

thread_local! {
    static ON: std::cell::RefCell<OnNets> = const { std::cell::RefCell::new(OnNets(Vec::new())) };
    /// The network `set_current` put this thread on.
    static THREAD_DEFAULT: std::cell::RefCell<Option<Weak<Net>>> =
        const { std::cell::RefCell::new(None) };
    /// The process default's network this thread is on (from its first call into it).
    static PROCESS_ON: std::cell::RefCell<Option<Weak<Net>>> =
        const { std::cell::RefCell::new(None) };
}

/// One more reason for this thread to be on `net`.
fn arrive(net: &Arc<Net>) {
    let _ = ON.try_with(|o| {
        let mut o = o.borrow_mut();
        if let Some(e) = o.0.iter_mut().find(|(w, _)| w.as_ptr() == Arc::as_ptr(net)) {
            e.1 += 1;
        } else {
            o.0.push((Arc::downgrade(net), 1));
            net.quiet.join();
        }
    });
}

/// One reason less for this thread to be on `net`.
fn depart(net: &Weak<Net>) {
    let _ = ON.try_with(|o| {
        let mut o = o.borrow_mut();
        if let Some(i) = o.0.iter().position(|(w, _)| w.ptr_eq(net)) {
            o.0[i].1 -= 1;
            if o.0[i].1 == 0 {
                o.0.swap_remove(i);
                if let Some(n) = net.upgrade() {
                    n.quiet.leave();
                }
            }
        }
    });
}

/// Whether this thread is counted on `net`. A thread of the process default that was not
/// yet is from now on (its first call into the network).
pub(super) fn is_on(net: &Net) -> bool {
    let on = ON
        .try_with(|o| {
            o.borrow()
                .0
                .iter()
                .any(|(w, _)| std::ptr::eq(w.as_ptr(), net))
        })
        .unwrap_or(false);
    if on {
        return true;
    }
    let process = PROCESS.lock().as_ref().map(|(n, _)| Arc::clone(n));
    match process {
        Some(p) if std::ptr::eq(Arc::as_ptr(&p), net) => {
            on_process(&p);
            true
        }
        _ => false,
    }
}

/// Puts this thread on the process default's network `net` if it is not yet.
fn on_process(net: &Arc<Net>) {
    let new = PROCESS_ON
        .try_with(|p| {
            let mut p = p.borrow_mut();
            if p.as_ref().is_some_and(|w| w.as_ptr() == Arc::as_ptr(net)) {
                return None;
            }
            Some(p.replace(Arc::downgrade(net)))
        })
        .ok()
        .flatten();
    if let Some(old) = new {
        arrive(net);
        if let Some(old) = old {
            depart(&old);
        }
    }
}

/// A thread being created (C `CreateThread`) while the process runs on a simulated network
/// (`wsaevents_sim_start`) is on it from its creation, not only from its first call, so that
/// its creator's waits wait for it: counted now, handed to the thread when it starts
/// ([`ThreadTicket::adopt`]), dropped (uncounted) if it never does.
#[cfg(all(not(loom), not(windows)))]
pub(crate) fn thread_ticket() -> Option<ThreadTicket> {
    if !in_use() {
        return None;
    }
    let net = PROCESS.lock().as_ref().map(|(n, _)| Arc::clone(n))?;
    net.quiet.join();
    Some(ThreadTicket(Some(net)))
}

/// See [`thread_ticket`].
#[cfg(all(not(loom), not(windows)))]
pub(crate) struct ThreadTicket(Option<Arc<Net>>);

#[cfg(all(not(loom), not(windows)))]
impl ThreadTicket {
    /// On the new thread: it is on the process default's network, as if from a first call.
    pub(crate) fn adopt(mut self) {
        let Some(net) = self.0.take() else { return };
        let w = Arc::downgrade(&net);
        let _ = ON.try_with(|o| o.borrow_mut().0.push((w.clone(), 1)));
        let _ = PROCESS_ON.try_with(|p| *p.borrow_mut() = Some(w));
    }
}

#[cfg(all(not(loom), not(windows)))]
impl Drop for ThreadTicket {
    fn drop(&mut self) {
        if let Some(n) = self.0.take() {
            n.quiet.leave();
        }
    }
}

/// Marks the calling thread blocked in a real-time wait on every network it is on, until
/// the guard is dropped (a thread waiting on a thread's handle waits as the others do).
pub(crate) fn blocked() -> Option<Blocked> {
    if !in_use() {
        return None;
    }
    let nets: Vec<Arc<Net>> = ON
        .try_with(|o| {
            o.borrow()
                .0
                .iter()
                .filter_map(|(w, _)| w.upgrade())
                .collect()
        })
        .ok()?;
    if nets.is_empty() {
        return None;
    }
    for n in &nets {
        n.quiet.set_blocked(true);
    }
    Some(Blocked(nets))
}

/// See [`blocked`].
pub(crate) struct Blocked(Vec<Arc<Net>>);

impl Drop for Blocked {
    fn drop(&mut self) {
        for n in &self.0 {
            n.quiet.set_blocked(false);
        }
    }
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
    struct Depart(Weak<Net>);
    impl Drop for Depart {
        fn drop(&mut self) {
            depart(&self.0);
        }
    }
    arrive(net);
    let _depart = Depart(Arc::downgrade(net));
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
