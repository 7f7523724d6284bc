//! Event objects (`WSACreateEvent`, `CreateEvent`) and the waits on them
//! (`WSAWaitForMultipleEvents`, `WaitForMultipleObjectsEx`).
//!
//! Unix has no kernel event objects, so they live here, in user space (section D, gap 13).
//! All event state sits behind one process-wide lock, the *dispatcher*, as the Windows
//! kernel's dispatcher objects do: that is what makes "lowest signalled index wins" and
//! "wait-all is satisfied by one instant" exact, and makes a record's "record + SetEvent"
//! and "copy + clear + ResetEvent" atomic with respect to every waiter. The critical sections
//! are a few loads and stores.
//!
//! # Waiting drives the network
//!
//! A thread that waits is also the thread that reads the OS poller (as async-io's
//! `block_on` does): each wait first harvests what the OS has ready without blocking, and a
//! thread that must block becomes *the poller* if no other thread is, blocking in
//! `epoll_wait`/`kevent` itself. Other waiters sleep on their own condition variable; a
//! `set` wakes exactly the threads that wait on that event (the poller through mio's
//! `Waker`), and when the poller leaves it hands the poller over to a sleeping waiter.
//! No background thread stands between the network and a waiting thread.
//!
//! # State table
//!
//! | operation | manual-reset event | auto-reset event |
//! |---|---|---|
//! | `set` | signalled; every waiter re-checks | signalled; every waiter re-checks, one consumes |
//! | `reset` | unsignalled | unsignalled |
//! | satisfies a wait-any | stays signalled | unsignalled (consumed) |
//! | satisfies a wait-all | stays signalled | unsignalled, only when all are signalled at once |
//! | `is_set` | reads, never consumes | reads, never consumes |

use std::borrow::Borrow;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::error::{Error, Result, WSA_INVALID_PARAMETER};
use crate::sync::{Arc, Condvar, Mutex};

/// `WSA_MAXIMUM_WAIT_EVENTS` / `MAXIMUM_WAIT_OBJECTS`: the most events one wait accepts.
pub const MAXIMUM_WAIT_OBJECTS: usize = 64;

/// An event object: manual-reset (what `WSACreateEvent` makes) or auto-reset
/// (`CreateEvent(NULL, FALSE, …)`).
///
/// Cloning gives another handle to the **same** object (like `DuplicateHandle`); the object
/// lives until its last handle is dropped.
///
/// ```
/// use std::time::Duration;
/// use wsaevents::{Event, WaitOutcome, wait_any};
///
/// let a = Event::new_manual(false);       // WSACreateEvent()
/// let b = Event::new_auto(false);         // CreateEvent(NULL, FALSE, FALSE, NULL)
/// b.set();
/// a.set();
/// // The lowest signalled index wins; a manual-reset event stays signalled.
/// assert_eq!(wait_any(&[&a, &b], Some(Duration::ZERO)).unwrap(), WaitOutcome::Signaled(0));
/// assert!(a.is_set());
/// a.reset();
/// // b satisfies the next wait, and being auto-reset, is consumed by it.
/// assert_eq!(wait_any(&[&a, &b], Some(Duration::ZERO)).unwrap(), WaitOutcome::Signaled(1));
/// assert!(!b.is_set());
/// ```
#[derive(Clone)]
pub struct Event {
    handle: Arc<Handle>,
}

/// What a wait returned: the index of the event that satisfied it (`WSA_WAIT_EVENT_0 + i`;
/// always 0 for a wait-all), or `WSA_WAIT_TIMEOUT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WaitOutcome {
    /// `WSA_WAIT_EVENT_0 + index`.
    Signaled(usize),
    /// `WSA_WAIT_TIMEOUT`.
    TimedOut,
    /// `WSA_WAIT_IO_COMPLETION` / `WAIT_IO_COMPLETION` (0xC0): an alertable wait ran the
    /// thread's queued completion routines and APCs (see [`wait_any_alertable`]). A wait that
    /// is not alertable never returns it.
    IoCompletion,
}

/// Owns one slot of the dispatcher; frees it when the last `Event` clone is dropped.
struct Handle {
    id: u32,
    manual: bool,
    /// Mirrors the slot's `net` and `fed` (written under the dispatcher's lock), so that a
    /// wait finds its simulated network without taking the lock (`wait_on_sim`).
    net: AtomicU32,
    fed: AtomicBool,
    /// Mirrors the slot's `signaled` while the event belongs to a simulated network
    /// (`net != 0`; written under the dispatcher's lock, inside a [`SIGNALS`] write), so
    /// that a wait on such events can read a consistent state without the lock
    /// ([`satisfied_unlocked`]). An event of no network keeps no mirror (nothing to pay on
    /// the OS path); one is written when the event joins a network.
    signaled: AtomicBool,
}

/// The version of the events' `signaled` mirrors, a sequence lock: odd while a write
/// (under the dispatcher's lock) is in progress, moved on by every write. A reader that
/// sees the same even value before and after reading mirrors read one instant's state.
static SIGNALS: AtomicU64 = AtomicU64::new(0);

/// Writes `h`'s `signaled` mirror if it keeps one. Only under the dispatcher's lock
/// (writers are one at a time), right where the slot's `signaled` changes.
#[inline]
fn mirror_signaled(h: &Handle, on: bool) {
    let net = h.net.load(Ordering::Relaxed);
    if net != 0 {
        signals_write(|| h.signaled.store(on, Ordering::Relaxed));
        // Under the dispatcher's lock: a plain increment, after the mirror's store.
        let c = &NET_SIGNALS[net as usize % NET_SIGNALS.len()];
        c.store(c.load(Ordering::Relaxed).wrapping_add(1), Ordering::Release);
    }
}

/// Counts the signal changes of each simulated network's events (by network id, folded:
/// two networks sharing a slot only cost each other's waiters a re-check), so that a
/// virtual wait knows whether the state it checked is still the network's
/// (`sys/sim/quiet.rs`).
static NET_SIGNALS: [AtomicU64; 64] = [const { AtomicU64::new(0) }; 64];

/// The signal count of simulated network `net`'s events (see [`NET_SIGNALS`]).
#[cfg(not(loom))]
pub(crate) fn net_signals(net: u32) -> u64 {
    NET_SIGNALS[net as usize % NET_SIGNALS.len()].load(Ordering::Acquire)
}

/// A [`SIGNALS`] write: `f`'s stores, between an odd and the next even version. Only under
/// the dispatcher's lock.
#[inline]
fn signals_write(f: impl FnOnce()) {
    let v = SIGNALS.load(Ordering::Relaxed);
    SIGNALS.store(v.wrapping_add(1), Ordering::Relaxed);
    std::sync::atomic::fence(Ordering::Release);
    f();
    SIGNALS.store(v.wrapping_add(2), Ordering::Release);
}

impl Drop for Handle {
    fn drop(&mut self) {
        let mut d = dispatcher().lock();
        d.events[self.id as usize] = EventSlot::default();
        d.free_events.push(self.id);
    }
}

impl Event {
    /// Creates an event: `CreateEvent(NULL, manual_reset, initially_set, NULL)`.
    pub fn new(manual_reset: bool, initially_set: bool) -> Event {
        Event::new_in(manual_reset, initially_set, sim_context())
    }

    /// An event of no simulated network, wherever it is created: for objects whose waits
    /// are real time even in a simulated process (a thread's handle).
    #[cfg_attr(loom, allow(dead_code))]
    pub(crate) fn new_real_time(manual_reset: bool, initially_set: bool) -> Event {
        Event::new_in(manual_reset, initially_set, 0)
    }

    fn new_in(manual_reset: bool, initially_set: bool, net: u32) -> Event {
        let mut d = dispatcher().lock();
        let slot = EventSlot {
            signaled: initially_set,
            manual: manual_reset,
            fed: false,
            net,
            waiters: Vec::new(),
        };
        let id = match d.free_events.pop() {
            Some(id) => {
                d.events[id as usize] = slot;
                id
            }
            None => {
                d.events.push(slot);
                (d.events.len() - 1) as u32
            }
        };
        Event {
            handle: Arc::new(Handle {
                id,
                manual: manual_reset,
                net: AtomicU32::new(net),
                fed: AtomicBool::new(false),
                signaled: AtomicBool::new(initially_set),
            }),
        }
    }

    /// A manual-reset event, as `WSACreateEvent` makes (with `initially_set = false`).
    pub fn new_manual(initially_set: bool) -> Event {
        Event::new(true, initially_set)
    }

    /// An auto-reset event: a wait it satisfies resets it.
    pub fn new_auto(initially_set: bool) -> Event {
        Event::new(false, initially_set)
    }

    /// Whether this is a manual-reset event.
    pub fn is_manual_reset(&self) -> bool {
        self.handle.manual
    }

    /// `SetEvent` / `WSASetEvent`: signals the event and wakes the threads waiting on it.
    pub fn set(&self) {
        let wake_poller = {
            let mut d = dispatcher().lock();
            d.signal(&self.handle)
        };
        if wake_poller {
            wake_driver();
        }
    }

    /// `ResetEvent` / `WSAResetEvent`: makes the event unsignalled.
    pub fn reset(&self) {
        let mut d = dispatcher().lock();
        let slot = &mut d.events[self.handle.id as usize];
        if slot.signaled {
            slot.signaled = false;
            mirror_signaled(&self.handle, false);
        }
    }

    /// Whether the event is signalled now. Unlike a wait with a zero timeout, this never
    /// consumes an auto-reset event and does not read the network.
    pub fn is_set(&self) -> bool {
        dispatcher().lock().events[self.handle.id as usize].signaled
    }

    /// `WaitForSingleObject`: waits until the event is signalled (consuming it if it is
    /// auto-reset) or `timeout` passes (`None`: forever; `Some(ZERO)`: just test).
    pub fn wait(&self, timeout: Option<Duration>) -> WaitOutcome {
        match wait(&[self], false, timeout, None) {
            Ok(o) => o,
            Err(_) => unreachable!("one distinct event is always a valid wait"),
        }
    }

    /// Whether two handles name the same event object.
    pub fn same_object(&self, other: &Event) -> bool {
        Arc::ptr_eq(&self.handle, &other.handle)
    }

    pub(crate) fn id(&self) -> u32 {
        self.handle.id
    }

    /// The simulated network the event belongs to (0: none).
    #[cfg_attr(loom, allow(dead_code))]
    pub(crate) fn network(&self) -> u32 {
        self.handle.net.load(Ordering::Acquire)
    }

    /// Gives the event to a network (`net`: a simulated network's id, 0 for the OS), as a
    /// socket of that network selects it or blocks on it. An event belongs to one network:
    /// one already fed by another network's socket is refused (`WSAEINVAL`), so that a wait
    /// never mixes virtual and real time.
    #[cfg_attr(loom, allow(dead_code))]
    pub(crate) fn claim_network(&self, net: u32) -> Result<()> {
        let mut d = dispatcher().lock();
        let slot = &mut d.events[self.handle.id as usize];
        if slot.net == net {
            return Ok(());
        }
        if slot.net != 0 || slot.fed {
            return Err(Error::from_code(crate::error::WSAEINVAL));
        }
        slot.net = net;
        // The mirror starts being kept: right from now.
        let on = slot.signaled;
        signals_write(|| {
            self.handle.signaled.store(on, Ordering::Relaxed);
            self.handle.net.store(net, Ordering::Release);
        });
        Ok(())
    }

    /// Gives the event to network `net` ([`claim_network`](Self::claim_network)) and marks it
    /// fed ([`mark_fed`](Self::mark_fed)): what starting an overlapped operation does to its
    /// `hEvent`. An event already of `net` and fed (the usual case: one event reused for
    /// each operation) takes no lock.
    #[cfg_attr(loom, allow(dead_code))]
    pub(crate) fn join_network(&self, net: u32) -> Result<()> {
        let h = &self.handle;
        if h.fed.load(Ordering::Acquire) && h.net.load(Ordering::Acquire) == net {
            return Ok(());
        }
        self.claim_network(net)?;
        self.mark_fed();
        Ok(())
    }

    /// Resets the event and marks it fed, under one lock: what starting an overlapped
    /// operation does to its `hEvent` (see `overlapped.rs`).
    #[cfg_attr(loom, allow(dead_code))]
    pub(crate) fn reset_and_feed(&self) {
        {
            let mut d = dispatcher().lock();
            let slot = &mut d.events[self.handle.id as usize];
            if slot.signaled {
                slot.signaled = false;
                mirror_signaled(&self.handle, false);
            }
            if slot.fed {
                return;
            }
        }
        self.mark_fed();
    }

    /// Marks the event as fed by a socket (its record selected it). Threads already waiting
    /// on it re-evaluate, so that one of them reads the network from now on.
    pub(crate) fn mark_fed(&self) {
        let mut d = dispatcher().lock();
        let Dispatcher {
            events, waiters, ..
        } = &mut *d;
        let slot = &mut events[self.handle.id as usize];
        if slot.fed {
            return;
        }
        slot.fed = true;
        self.handle.fed.store(true, Ordering::Release);
        for &w in &slot.waiters {
            if let Some(ws) = waiters[w as usize].as_mut() {
                if !ws.notified && !ws.polling {
                    ws.notified = true;
                    ws.cv.notify_one();
                }
            }
        }
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("id", &self.handle.id)
            .field("manual_reset", &self.handle.manual)
            .field("set", &self.is_set())
            .finish()
    }
}

/// `WSAWaitForMultipleEvents(n, events, FALSE, timeout, FALSE)`: waits until any event is
/// signalled and returns the **lowest** signalled index. An auto-reset event that satisfies
/// the wait is reset; no other event is touched. `timeout`: `None` waits forever,
/// `Some(Duration::ZERO)` only tests.
///
/// Errors: `WSA_INVALID_PARAMETER` (87) for no events or more than
/// [`MAXIMUM_WAIT_OBJECTS`]. The same event may appear more than once.
pub fn wait_any(events: &[&Event], timeout: Option<Duration>) -> Result<WaitOutcome> {
    wait(events, false, timeout, None)
}

/// `WSAWaitForMultipleEvents(n, events, TRUE, timeout, FALSE)`: waits until **all** events
/// are signalled at one instant, then consumes the auto-reset ones and returns
/// `Signaled(0)`. Until then no event's state is changed.
///
/// Errors: `WSA_INVALID_PARAMETER` (87) for no events, more than
/// [`MAXIMUM_WAIT_OBJECTS`], or the same event twice.
pub fn wait_all(events: &[&Event], timeout: Option<Duration>) -> Result<WaitOutcome> {
    wait(events, true, timeout, None)
}

// ------------------------------------------------------------------------------------------
// The dispatcher

#[derive(Default)]
struct EventSlot {
    signaled: bool,
    manual: bool,
    /// A socket's record has selected this event: a wait on it must read the network. A
    /// wait on events no socket feeds never takes the poller role, so `set` reaches it
    /// through its condition variable directly.
    fed: bool,
    /// The simulated network the event belongs to (0: none, the OS's). A wait on it runs
    /// on that network's clock (see `wait_virtual`).
    #[cfg_attr(loom, allow(dead_code))]
    net: u32,
    /// Waiter ids blocked on this event (one entry per occurrence in their wait array).
    waiters: Vec<u32>,
}

struct WaiterSlot {
    cv: Arc<Condvar>,
    /// Set (under the lock) when something the waiter may care about changed.
    notified: bool,
    /// The waiter is the poller: wake it through the driver, not its condvar.
    polling: bool,
}

pub(crate) struct Dispatcher {
    events: Vec<EventSlot>,
    free_events: Vec<u32>,
    waiters: Vec<Option<WaiterSlot>>,
    free_waiters: Vec<u32>,
    /// Waiters asleep while the poller was busy: one of them takes the poller over when it
    /// is released. Its length is mirrored in `SLEEPERS`.
    sleepers: Vec<u32>,
}

impl Dispatcher {
    const fn new() -> Dispatcher {
        Dispatcher {
            events: Vec::new(),
            free_events: Vec::new(),
            waiters: Vec::new(),
            free_waiters: Vec::new(),
            sleepers: Vec::new(),
        }
    }

    /// Signals event `h`; returns whether the thread blocked in the poller must be woken.
    fn signal(&mut self, h: &Handle) -> bool {
        let Dispatcher {
            events, waiters, ..
        } = self;
        let slot = &mut events[h.id as usize];
        if slot.signaled {
            // Every current waiter was notified when it became signalled, or registered
            // after and saw it signalled.
            return false;
        }
        slot.signaled = true;
        mirror_signaled(h, true);
        let mut wake_poller = false;
        for &w in &slot.waiters {
            let Some(ws) = waiters[w as usize].as_mut() else {
                continue;
            };
            if ws.polling {
                wake_poller = true;
            } else if !ws.notified {
                ws.notified = true;
                ws.cv.notify_one();
            }
        }
        wake_poller
    }

    /// The wait rule of `WaitForMultipleObjectsEx` (B.2), applied atomically.
    ///
    /// `harvested` says whether the OS readiness has been read since the wait began. Without
    /// it, a wait-any whose lowest signalled index is not 0 is not decided yet (`Err`) if a
    /// lower-index event is socket-fed: an unread readiness could still signal it.
    #[inline(always)]
    fn try_satisfy<E: Borrow<Event>>(
        &mut self,
        events: &[E],
        all: bool,
        harvested: bool,
    ) -> std::result::Result<Option<WaitOutcome>, NeedHarvest> {
        if all {
            if !events
                .iter()
                .all(|e| self.events[e.borrow().id() as usize].signaled)
            {
                return Ok(None);
            }
            for e in events {
                let s = &mut self.events[e.borrow().id() as usize];
                if !s.manual {
                    s.signaled = false;
                    mirror_signaled(&e.borrow().handle, false);
                }
            }
            return Ok(Some(WaitOutcome::Signaled(0)));
        }
        let Some(i) = events
            .iter()
            .position(|e| self.events[e.borrow().id() as usize].signaled)
        else {
            return Ok(None);
        };
        // Reading the OS can only signal socket-fed events: it matters only if one comes
        // before the lowest signalled one.
        if !harvested
            && events[..i]
                .iter()
                .any(|e| self.events[e.borrow().id() as usize].fed)
        {
            return Err(NeedHarvest);
        }
        let s = &mut self.events[events[i].borrow().id() as usize];
        if !s.manual {
            s.signaled = false;
            mirror_signaled(&events[i].borrow().handle, false);
        }
        Ok(Some(WaitOutcome::Signaled(i)))
    }

    fn set_sleepers(&mut self) {
        SLEEPERS.store(self.sleepers.len(), Ordering::SeqCst);
    }

    fn register<E: Borrow<Event>>(&mut self, events: &[E]) -> u32 {
        let slot = WaiterSlot {
            cv: thread_condvar(),
            notified: false,
            polling: false,
        };
        let id = match self.free_waiters.pop() {
            Some(id) => {
                self.waiters[id as usize] = Some(slot);
                id
            }
            None => {
                self.waiters.push(Some(slot));
                (self.waiters.len() - 1) as u32
            }
        };
        for e in events {
            self.events[e.borrow().id() as usize].waiters.push(id);
        }
        id
    }

    fn unregister<E: Borrow<Event>>(&mut self, id: u32, events: &[E]) {
        for e in events {
            let ws = &mut self.events[e.borrow().id() as usize].waiters;
            if let Some(pos) = ws.iter().position(|&w| w == id) {
                ws.swap_remove(pos);
            }
        }
        if !self.sleepers.is_empty() {
            self.sleepers.retain(|&w| w != id);
            self.set_sleepers();
        }
        self.waiters[id as usize] = None;
        self.free_waiters.push(id);
    }

    /// Removes waiter `id` from one more event's list (the APC event of an alertable wait).
    fn unregister_one(&mut self, id: u32, e: &Event) {
        let ws = &mut self.events[e.id() as usize].waiters;
        if let Some(pos) = ws.iter().position(|&w| w == id) {
            ws.swap_remove(pos);
        }
    }

    fn waiter(&mut self, id: u32) -> &mut WaiterSlot {
        self.waiters[id as usize]
            .as_mut()
            .expect("a registered waiter has a slot")
    }

    /// Hands the poller role to a sleeping waiter, if any (after it was released).
    fn hand_off_poller(&mut self) {
        if let Some(w) = self.sleepers.pop() {
            self.set_sleepers();
            let ws = self.waiter(w);
            ws.notified = true;
            ws.cv.notify_one();
        }
    }

    /// Wakes every sleeping waiter so that they re-evaluate (used when a driver appears).
    #[cfg_attr(loom, allow(dead_code))]
    fn notify_all_waiters(&mut self) {
        for ws in self.waiters.iter_mut().flatten() {
            if !ws.notified && !ws.polling {
                ws.notified = true;
                ws.cv.notify_one();
            }
        }
    }
}

#[cfg(not(loom))]
static DISPATCHER: Mutex<Dispatcher> = Mutex::new(Dispatcher::new());

#[cfg(not(loom))]
pub(crate) fn dispatcher() -> &'static Mutex<Dispatcher> {
    &DISPATCHER
}

#[cfg(loom)]
loom::lazy_static! {
    static ref DISPATCHER: Mutex<Dispatcher> = Mutex::new(Dispatcher::new());
}

#[cfg(loom)]
pub(crate) fn dispatcher() -> &'static Mutex<Dispatcher> {
    &DISPATCHER
}

#[cfg(not(loom))]
fn thread_condvar() -> Arc<Condvar> {
    thread_local! {
        static CV: Arc<Condvar> = Arc::new(Condvar::new());
    }
    // During thread teardown (a wait from a pthread key or C++ thread_local destructor) the
    // per-thread condvar may be gone: a fresh one serves this one wait (issue 8, item 9).
    CV.try_with(Arc::clone)
        .unwrap_or_else(|_| Arc::new(Condvar::new()))
}

#[cfg(loom)]
fn thread_condvar() -> Arc<Condvar> {
    Arc::new(Condvar::new())
}

// ------------------------------------------------------------------------------------------
// The driver: the OS poller, read by waiting threads

/// What a wait drives while it blocks: the reactor's OS poller. Installed once, by the
/// first socket; until then waits are pure condition-variable waits.
pub(crate) trait Driver: Send + Sync {
    /// Reads the OS poller, blocking up to `timeout` (`None`: until woken), and records what
    /// is ready. Never called by two threads at once.
    fn poll(&self, timeout: Option<Duration>);
    /// Makes a concurrent [`poll`](Self::poll) return promptly.
    #[cfg_attr(loom, allow(dead_code))]
    fn wake(&self);
}

#[cfg(not(loom))]
static DRIVER: std::sync::OnceLock<&'static dyn Driver> = std::sync::OnceLock::new();

#[cfg(not(loom))]
thread_local! {
    static IS_POLLER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(not(loom))]
fn driver() -> Option<&'static dyn Driver> {
    DRIVER.get().copied()
}

#[cfg(loom)]
fn driver() -> Option<&'static dyn Driver> {
    None
}

/// Installs the driver (once). Threads already waiting are woken so that one of them
/// starts polling.
#[cfg(not(loom))]
pub(crate) fn install_driver(d: &'static dyn Driver) {
    if DRIVER.set(d).is_ok() {
        dispatcher().lock().notify_all_waiters();
    }
}

fn wake_driver() {
    #[cfg(not(loom))]
    if !IS_POLLER.try_with(|p| p.get()).unwrap_or(false) {
        if let Some(d) = driver() {
            d.wake();
        }
    }
}

/// Runs the driver's poll with the "I am the poller" flag set for this thread.
fn run_poll(d: &dyn Driver, timeout: Option<Duration>) {
    /// If the poll unwinds (a bug in a readiness handler, caught at the C boundary), the
    /// poller role is released, or every later wait would wait for a poller that is gone.
    struct Unwinding;
    impl Drop for Unwinding {
        fn drop(&mut self) {
            if std::thread::panicking() {
                #[cfg(not(loom))]
                let _ = IS_POLLER.try_with(|p| p.set(false));
                release_poller(None);
            }
        }
    }
    let _guard = Unwinding;
    // IS_POLLER is const-initialised without a destructor, so it is accessible during
    // thread teardown too; `try_with` keeps that true if its type ever changes.
    #[cfg(not(loom))]
    let _ = IS_POLLER.try_with(|p| p.set(true));
    d.poll(timeout);
    #[cfg(not(loom))]
    let _ = IS_POLLER.try_with(|p| p.set(false));
}

/// The poller role: held by the one thread inside `Driver::poll`. An atomic, so that the
/// frequent non-blocking harvest needs no dispatcher lock. Handing the role over to a
/// sleeping waiter is a Dekker handshake with `SLEEPERS`: a waiter that goes to sleep
/// because the role is taken publishes itself in `SLEEPERS` and then re-reads
/// `POLLER_BUSY`; a releaser clears `POLLER_BUSY` and then reads `SLEEPERS`. With both
/// sequentially consistent, at least one of them sees the other, so no waiter sleeps while
/// nobody polls.
static POLLER_BUSY: AtomicBool = AtomicBool::new(false);
/// Number of waiters in `Dispatcher::sleepers` (written under the dispatcher lock).
static SLEEPERS: AtomicUsize = AtomicUsize::new(0);

/// Struct-level marker: a wait-any cannot be decided before a harvest.
struct NeedHarvest;

fn claim_poller() -> bool {
    !POLLER_BUSY.swap(true, Ordering::SeqCst)
}

/// Releases the poller role; hands it over if a waiter sleeps. `g`: the dispatcher, if the
/// caller holds it.
fn release_poller(g: Option<&mut Dispatcher>) {
    POLLER_BUSY.store(false, Ordering::SeqCst);
    if SLEEPERS.load(Ordering::SeqCst) > 0 {
        match g {
            Some(g) => g.hand_off_poller(),
            None => dispatcher().lock().hand_off_poller(),
        }
    }
}

/// Records what the OS has ready, without blocking, unless another thread is polling
/// already (it records as readiness arrives). Every call that observes network state
/// calls this first.
pub(crate) fn harvest() {
    let Some(d) = driver() else { return };
    if !claim_poller() {
        return;
    }
    run_poll(d, Some(Duration::ZERO));
    release_poller(None);
}

/// [`wait_any`] / [`wait_all`] over owned handles (what the C ABI resolves handles into).
#[cfg_attr(loom, allow(dead_code))]
pub(crate) fn wait_owned(
    events: &[Event],
    all: bool,
    timeout: Option<Duration>,
) -> Result<WaitOutcome> {
    wait(events, all, timeout, None)
}

/// `alert`: the calling thread's APC event, for an alertable wait (see `apc` below): when it
/// is signalled and no object satisfies the wait, the wait returns `IoCompletion` (objects
/// take priority, as Windows checks them before APCs).
fn wait<E: Borrow<Event>>(
    events: &[E],
    all: bool,
    timeout: Option<Duration>,
    alert: Option<&Event>,
) -> Result<WaitOutcome> {
    if events.is_empty() || events.len() > MAXIMUM_WAIT_OBJECTS {
        return Err(Error::from_code(WSA_INVALID_PARAMETER));
    }
    if all {
        for (i, e) in events.iter().enumerate() {
            if events[..i]
                .iter()
                .any(|o| o.borrow().same_object(e.borrow()))
            {
                return Err(Error::from_code(WSA_INVALID_PARAMETER));
            }
        }
    }
    // A wait on a simulated network's events runs on its clock (one relaxed load in a
    // process that never built one; the rest is out of line, so the OS path is as before).
    #[cfg(not(loom))]
    let _blocked = if crate::sys::sim::in_use() {
        if let Some(r) = wait_on_sim(events, all, timeout, alert) {
            return r;
        }
        // A real-time wait (a thread's handle) of a thread on a simulated network: it
        // waits as the network's other waiters do (`sys/sim/quiet.rs`).
        crate::sys::sim::blocked()
    } else {
        None
    };
    let drv = driver();
    // Without a driver there is nothing to harvest.
    let mut harvested = drv.is_none();
    // Computed on the first miss only: a satisfied wait reads no clock. A deadline too far
    // away to represent is no deadline.
    let mut deadline: Option<Option<Instant>> = None;
    let mut me: Option<u32> = None;
    let mut holding_poller = false;
    let mut g = dispatcher().lock();
    let outcome = loop {
        match g.try_satisfy(events, all, harvested) {
            Ok(Some(o)) => break o,
            Ok(None) => {
                if alert.is_some_and(|a| g.events[a.id() as usize].signaled) {
                    break WaitOutcome::IoCompletion;
                }
            }
            Err(NeedHarvest) => {
                drop(g);
                harvest();
                harvested = true;
                g = dispatcher().lock();
                continue;
            }
        }
        // A wait on a socket-fed event that misses first reads what the OS has ready,
        // without blocking: on a busy socket that is usually the answer, and then it needs
        // no registration and no clock. It keeps the poller role for a blocking poll after.
        if !harvested && !holding_poller {
            let fed = alert.is_some()
                || events
                    .iter()
                    .any(|e| g.events[e.borrow().id() as usize].fed);
            if let Some(d) = drv.filter(|_| fed) {
                if claim_poller() {
                    holding_poller = true;
                    drop(g);
                    run_poll(d, Some(Duration::ZERO));
                    harvested = true;
                    g = dispatcher().lock();
                    continue;
                }
            }
        }
        // The first miss reads the clock once: the remaining time is the timeout itself.
        let (dl, remaining) = match deadline {
            None => {
                let dl = timeout.and_then(|t| Instant::now().checked_add(t));
                deadline = Some(dl);
                (dl, dl.and(timeout))
            }
            Some(dl) => (dl, dl.map(|d| d.saturating_duration_since(Instant::now()))),
        };
        let remaining = match remaining {
            Some(r) => match r {
                r if r.is_zero() => {
                    if harvested {
                        break WaitOutcome::TimedOut;
                    }
                    // A zero timeout still reads what the OS has ready first.
                    drop(g);
                    harvest();
                    harvested = true;
                    g = dispatcher().lock();
                    continue;
                }
                r => Some(r),
            },
            None => None,
        };
        let id = *me.get_or_insert_with(|| {
            let id = g.register(events);
            if let Some(a) = alert {
                g.events[a.id() as usize].waiters.push(id);
            }
            id
        });
        g.waiter(id).notified = false;
        // Only a wait on an event some socket feeds needs the network read while it blocks:
        // nothing else can signal it (calls that observe network state read it themselves).
        let fed = holding_poller
            || alert.is_some()
            || events
                .iter()
                .any(|e| g.events[e.borrow().id() as usize].fed);
        let drv = drv.filter(|_| fed);
        match drv {
            Some(d) if holding_poller || claim_poller() => {
                holding_poller = true;
                g.waiter(id).polling = true;
                drop(g);
                run_poll(d, remaining);
                harvested = true;
                g = dispatcher().lock();
                g.waiter(id).polling = false;
            }
            _ => {
                if drv.is_some() {
                    g.sleepers.push(id);
                    g.set_sleepers();
                    if !POLLER_BUSY.load(Ordering::SeqCst) {
                        // The poller was released meanwhile: take it instead of sleeping.
                        g.sleepers.retain(|&w| w != id);
                        g.set_sleepers();
                        continue;
                    }
                }
                let cv = Arc::clone(&g.waiter(id).cv);
                g = match dl {
                    Some(dl) => cv.wait_until(g, dl),
                    None => cv.wait(g),
                };
                g.sleepers.retain(|&w| w != id);
                g.set_sleepers();
                // Another thread was polling while we slept.
                harvested = true;
            }
        }
    };
    if let Some(id) = me {
        g.unregister(id, events);
        if let Some(a) = alert {
            g.unregister_one(id, a);
        }
    }
    if holding_poller {
        // We polled while waiting: if others slept meanwhile, one of them takes over.
        release_poller(Some(&mut g));
    }
    Ok(outcome)
}

/// The simulated-network part of [`wait`]: `None` if no event of `events` belongs to a
/// simulated network (the OS path then waits), else the wait's result in virtual time.
/// Mixing networks, or a simulated network's event with one an OS socket feeds, is
/// `WSA_INVALID_PARAMETER`. `alert`: the thread's APC event, for an alertable wait; it
/// belongs to no network and decides none (a wait on events of no network, a thread's
/// handle, stays in real time, alertable or not; `SleepEx` is `sleep_on_sim`).
#[cfg(not(loom))]
#[inline(never)]
fn wait_on_sim<E: Borrow<Event>>(
    events: &[E],
    all: bool,
    timeout: Option<Duration>,
    alert: Option<&Event>,
) -> Option<Result<WaitOutcome>> {
    // The handles' mirrors of the slots' `net` and `fed`: no lock (a change racing with
    // this look is one the wait could as well have missed under the lock, released before
    // the wait reads the network anyway).
    let net = {
        let mut net = 0;
        let mut os_fed = false;
        for e in events {
            let h = &e.borrow().handle;
            let slot_net = h.net.load(Ordering::Acquire);
            if slot_net != 0 {
                if net != 0 && net != slot_net {
                    return Some(Err(Error::from_code(WSA_INVALID_PARAMETER)));
                }
                net = slot_net;
            } else if h.fed.load(Ordering::Acquire) {
                os_fed = true;
            }
        }
        if net != 0 && os_fed {
            // Real and virtual time in one wait: refused, not a hang.
            return Some(Err(Error::from_code(WSA_INVALID_PARAMETER)));
        }
        net
    };
    if net != 0 {
        return Some(wait_virtual(net, events, all, timeout, alert));
    }
    None
}

/// The wait rule, then the alert (objects first, as Windows checks them before APCs).
#[cfg(not(loom))]
#[inline(always)]
fn satisfy_or_alert<E: Borrow<Event>>(
    events: &[E],
    all: bool,
    alert: Option<&Event>,
) -> Option<WaitOutcome> {
    // Most waits are answered by the events' mirrors, without the dispatcher's lock.
    if let Some(o) = satisfied_unlocked(events, all) {
        return Some(o);
    }
    let mut g = dispatcher().lock();
    if let Ok(Some(o)) = g.try_satisfy(events, all, true) {
        return Some(o);
    }
    alert
        .filter(|a| g.events[a.id() as usize].signaled)
        .map(|_| WaitOutcome::IoCompletion)
}

/// `SleepEx(timeout, TRUE)` on a thread of a simulated network: a wait on no object, with
/// the thread's APC event `alert`, in virtual time. `None` off the simulated network.
#[cfg(not(loom))]
fn sleep_on_sim(timeout: Option<Duration>, alert: &Event) -> Option<WaitOutcome> {
    if !crate::sys::sim::in_use() {
        return None;
    }
    let net = sim_context();
    if net == 0 {
        return None;
    }
    let none: [&Event; 0] = [];
    wait_virtual(net, &none, false, timeout, Some(alert)).ok()
}

/// The network of an event created now: the thread's current simulated network, if any.
#[cfg(not(loom))]
fn sim_context() -> u32 {
    crate::sys::sim::current_id()
}

#[cfg(loom)]
fn sim_context() -> u32 {
    0
}

/// A wait on events of simulated network `net`, in its virtual time: runs what is due,
/// checks the wait rule, and when it is not satisfied moves the network's clock to its next
/// scheduled item (not past the virtual deadline) instead of blocking. With nothing
/// scheduled and no deadline, only another thread can end the wait: it then sleeps in real
/// time, a millisecond at a time, re-checking (a wait for ever on a network with nothing
/// scheduled and no other thread would block for ever on Windows too).
#[cfg(not(loom))]
#[inline(always)]
fn wait_virtual<E: Borrow<Event>>(
    net: u32,
    events: &[E],
    all: bool,
    timeout: Option<Duration>,
    alert: Option<&Event>,
) -> Result<WaitOutcome> {
    // The usual case first: the thread's own network, borrowed (no reference count
    // traffic), and a wait that the first harvest satisfies.
    let first = crate::sys::sim::with_current_net(net, |n| {
        let start = n.now_ns();
        n.harvest();
        (start, satisfy_or_alert(events, all, alert))
    });
    let (start, mut harvested) = match first {
        Some((_, Some(o))) => return Ok(o),
        Some((start, None)) => (Some(start), true),
        None => (None, false),
    };
    let Some(n) = crate::sys::sim::net_by_id(net) else {
        // The network is gone: its events can only be set by hand.
        return wait_plain(events, all, timeout, alert);
    };
    let start = start.unwrap_or_else(|| n.now_ns());
    let deadline =
        timeout.map(|t| start.saturating_add(u64::try_from(t.as_nanos()).unwrap_or(u64::MAX)));
    let mut turn = n.virtual_wait(harvested);
    if harvested && !turn.alone() {
        // The first check was made before this wait was counted: check again.
        harvested = false;
    }
    loop {
        // (Harvested already on the first round if the thread's network was borrowed.)
        if !std::mem::take(&mut harvested) {
            n.harvest();
            turn.before_check();
            if let Some(o) = satisfy_or_alert(events, all, alert) {
                return Ok(o);
            }
        }
        // The clock moves only when every thread on the network waits (`sys/sim/quiet.rs`).
        match turn.advance(deadline) {
            None | Some(true) => continue,
            Some(false) => {}
        }
        if deadline.is_some() {
            n.harvest();
            if let Some(o) = satisfy_or_alert(events, all, alert) {
                return Ok(o);
            }
            return Ok(WaitOutcome::TimedOut);
        }
        let mut g = dispatcher().lock();
        let id = g.register(events);
        if let Some(a) = alert {
            g.events[a.id() as usize].waiters.push(id);
        }
        g.waiter(id).notified = false;
        let cv = Arc::clone(&g.waiter(id).cv);
        g = cv.wait_until(g, Instant::now() + Duration::from_millis(1));
        g.unregister(id, events);
        if let Some(a) = alert {
            g.unregister_one(id, a);
        }
    }
}

/// The wait rule without the dispatcher's lock, for a wait-any after a harvest whose
/// lowest signalled event is manual-reset (its satisfaction changes nothing): read from
/// the events' mirrors, one instant's state ([`SIGNALS`] unchanged and even around the
/// reads), so the answer is the one [`Dispatcher::try_satisfy`] would give under the lock
/// at that instant. `None`: no such answer (nothing signalled, a wait-all, an auto-reset
/// event to consume, an event of no network up to the lowest signalled one, or a write
/// raced with the reads); the caller then takes the lock.
#[cfg(not(loom))]
#[inline]
fn satisfied_unlocked<E: Borrow<Event>>(events: &[E], all: bool) -> Option<WaitOutcome> {
    if all {
        return None;
    }
    let v = SIGNALS.load(Ordering::Acquire);
    if v & 1 != 0 {
        return None;
    }
    let mut lowest = None;
    for (i, e) in events.iter().enumerate() {
        let h = &e.borrow().handle;
        if h.net.load(Ordering::Relaxed) == 0 {
            // An event of no network: its mirror is not kept.
            return None;
        }
        if h.signaled.load(Ordering::Relaxed) {
            lowest = Some(i);
            break;
        }
    }
    let i = lowest?;
    if !events[i].borrow().handle.manual {
        return None;
    }
    std::sync::atomic::fence(Ordering::Acquire);
    (SIGNALS.load(Ordering::Relaxed) == v).then_some(WaitOutcome::Signaled(i))
}

/// A wait on events no network feeds any more: a condition-variable wait.
#[cfg(not(loom))]
fn wait_plain<E: Borrow<Event>>(
    events: &[E],
    all: bool,
    timeout: Option<Duration>,
    alert: Option<&Event>,
) -> Result<WaitOutcome> {
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let mut g = dispatcher().lock();
    let id = g.register(events);
    if let Some(a) = alert {
        g.events[a.id() as usize].waiters.push(id);
    }
    let outcome = loop {
        if let Ok(Some(o)) = g.try_satisfy(events, all, true) {
            break o;
        }
        if alert.is_some_and(|a| g.events[a.id() as usize].signaled) {
            break WaitOutcome::IoCompletion;
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break WaitOutcome::TimedOut;
        }
        g.waiter(id).notified = false;
        let cv = Arc::clone(&g.waiter(id).cv);
        g = match deadline {
            Some(d) => cv.wait_until(g, d),
            None => cv.wait(g),
        };
    };
    g.unregister(id, events);
    if let Some(a) = alert {
        g.unregister_one(id, a);
    }
    Ok(outcome)
}

// ------------------------------------------------------------------------------------------
// APC queues: completion routines and `QueueUserAPC`

#[cfg(not(loom))]
pub(crate) use apc::wait_owned_ex;
#[cfg(not(loom))]
pub use apc::{Apc, ApcQueue, sleep_alertable, wait_all_alertable, wait_any_alertable};

#[cfg(not(loom))]
mod apc {
    use super::*;

    /// A thread's APC queue (`QueueUserAPC`, overlapped completion routines): the routines
    /// queued to it, run in order by the thread itself during an alertable wait
    /// ([`wait_any_alertable`], [`sleep_alertable`]), outside every lock.
    ///
    /// Its event is signalled while routines are queued; an alertable wait includes it, after
    /// the caller's objects, so objects take priority. It is marked fed: an alertable wait
    /// drives the network, because the routines it waits for are queued by completions that
    /// readiness produces (no background thread).
    #[derive(Clone)]
    pub struct ApcQueue {
        inner: Arc<ApcInner>,
    }

    struct ApcInner {
        routines: Mutex<std::collections::VecDeque<Apc>>,
        event: Event,
    }

    /// A queued routine.
    pub type Apc = Box<dyn FnOnce() + Send>;

    impl ApcQueue {
        /// A new, empty queue (a thread adopts it with [`ApcQueue::adopt`]).
        pub fn new() -> ApcQueue {
            // Of no network: it joins waits as their alert, never as one of their objects,
            // so that an alertable wait runs on the clock of the objects it waits for
            // (virtual on a simulated network, `wait_on_sim`).
            let event = Event::new_real_time(true, false);
            event.mark_fed();
            ApcQueue {
                inner: Arc::new(ApcInner {
                    routines: Mutex::new(std::collections::VecDeque::new()),
                    event,
                }),
            }
        }

        /// The calling thread's queue (created on first use).
        pub fn current() -> ApcQueue {
            CURRENT_APCS
                .try_with(|c| c.borrow_mut().get_or_insert_with(ApcQueue::new).clone())
                // During thread teardown: a queue nobody drains (routines queued to it never run,
                // as for a thread that has ended).
                .unwrap_or_else(|_| ApcQueue::new())
        }

        /// Makes this queue the calling thread's (a thread started by the library adopts the
        /// queue its handle already has, so APCs queued before it ran are kept).
        pub fn adopt(&self) {
            let _ = CURRENT_APCS.try_with(|c| *c.borrow_mut() = Some(self.clone()));
        }

        /// `QueueUserAPC`: appends `routine`; it runs at the thread's next alertable wait.
        pub fn queue(&self, routine: Apc) {
            self.inner.routines.lock().push_back(routine);
            // After the push: a drain resets the event before it takes the routines.
            self.inner.event.set();
        }

        /// Routines queued and not run yet.
        pub fn len(&self) -> usize {
            self.inner.routines.lock().len()
        }

        /// Whether no routine is queued.
        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }

        /// Whether two values name the same queue.
        pub fn same_queue(&self, other: &ApcQueue) -> bool {
            Arc::ptr_eq(&self.inner, &other.inner)
        }

        /// Runs every queued routine, in order, including routines they queue; returns how many
        /// ran. Called by the queue's thread only, with no lock held.
        fn drain(&self) -> usize {
            /// If a routine unwinds (a Rust closure's panic, caught at the C boundary), the
            /// routines after it go back to the front of the queue, still to run: none is
            /// lost.
            struct Rest<'a> {
                q: &'a ApcQueue,
                rest: std::collections::VecDeque<Apc>,
            }
            impl Drop for Rest<'_> {
                fn drop(&mut self) {
                    if self.rest.is_empty() {
                        return;
                    }
                    let mut r = self.q.inner.routines.lock();
                    while let Some(a) = self.rest.pop_back() {
                        r.push_front(a);
                    }
                    drop(r);
                    self.q.inner.event.set();
                }
            }
            let mut ran = 0;
            loop {
                // Reset before taking: a routine queued after the take sets the event again.
                self.inner.event.reset();
                let batch = std::mem::take(&mut *self.inner.routines.lock());
                if batch.is_empty() {
                    return ran;
                }
                let mut rest = Rest {
                    q: self,
                    rest: batch,
                };
                while let Some(r) = rest.rest.pop_front() {
                    ran += 1;
                    r();
                }
            }
        }
    }

    impl Default for ApcQueue {
        fn default() -> Self {
            ApcQueue::new()
        }
    }

    impl fmt::Debug for ApcQueue {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("ApcQueue")
                .field("queued", &self.len())
                .finish()
        }
    }

    thread_local! {
        static CURRENT_APCS: std::cell::RefCell<Option<ApcQueue>> = const { std::cell::RefCell::new(None) };
    }

    /// The alertable form of every wait: the thread's queue joins the wait; if it is what ends
    /// the wait, its routines run (outside the dispatcher lock) and the wait returns
    /// `IoCompletion`.
    fn wait_alertable<E: Borrow<Event>>(
        events: &[E],
        all: bool,
        timeout: Option<Duration>,
    ) -> Result<WaitOutcome> {
        let q = ApcQueue::current();
        let r = wait(events, all, timeout, Some(&q.inner.event))?;
        if r == WaitOutcome::IoCompletion {
            q.drain();
        }
        Ok(r)
    }

    /// `WSAWaitForMultipleEvents(n, events, FALSE, timeout, TRUE)` /
    /// `WaitForMultipleObjectsEx(..., bAlertable = TRUE)`: as [`wait_any`], but if no event is
    /// signalled and the calling thread has queued completion routines or APCs, they all run,
    /// in order, on this thread, and the wait returns [`WaitOutcome::IoCompletion`]
    /// (`WSA_WAIT_IO_COMPLETION`). A signalled event takes priority over queued routines.
    pub fn wait_any_alertable(events: &[&Event], timeout: Option<Duration>) -> Result<WaitOutcome> {
        wait_alertable(events, false, timeout)
    }

    /// The alertable [`wait_all`] (see [`wait_any_alertable`]).
    pub fn wait_all_alertable(events: &[&Event], timeout: Option<Duration>) -> Result<WaitOutcome> {
        wait_alertable(events, true, timeout)
    }

    /// `SleepEx(timeout, TRUE)`: sleeps until `timeout` passes (`TimedOut`, which `SleepEx`
    /// reports as 0) or the thread's queued routines have run (`IoCompletion`,
    /// `WAIT_IO_COMPLETION`). While it sleeps it drives the network, so that overlapped
    /// operations complete and queue their routines.
    pub fn sleep_alertable(timeout: Option<Duration>) -> WaitOutcome {
        let q = ApcQueue::current();
        let ev = q.inner.event.clone();
        // On a simulated thread the sleep is virtual, and drives that network.
        #[cfg(not(loom))]
        if let Some(o) = sleep_on_sim(timeout, &ev) {
            if o == WaitOutcome::IoCompletion {
                q.drain();
            }
            return o;
        }
        match wait(&[&ev], false, timeout, None) {
            Ok(WaitOutcome::Signaled(_)) => {
                // The queue's event is manual-reset: the drain resets it.
                q.drain();
                WaitOutcome::IoCompletion
            }
            Ok(o) => o,
            Err(_) => unreachable!("one distinct event is always a valid wait"),
        }
    }

    /// [`wait_owned`] with `alertable`.
    pub(crate) fn wait_owned_ex(
        events: &[Event],
        all: bool,
        timeout: Option<Duration>,
        alertable: bool,
    ) -> Result<WaitOutcome> {
        if alertable {
            wait_alertable(events, all, timeout)
        } else {
            wait_owned(events, all, timeout)
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::thread;

    const SHORT: Duration = Duration::from_millis(20);
    const LONG: Duration = Duration::from_secs(10);

    #[test]
    fn b1_create_initial_state_and_kind() {
        let m = Event::new_manual(false);
        assert!(m.is_manual_reset());
        assert!(!m.is_set());
        let a = Event::new_auto(true);
        assert!(!a.is_manual_reset());
        assert!(a.is_set());
    }

    #[test]
    fn b1_set_reset() {
        let e = Event::new_manual(false);
        e.set();
        assert!(e.is_set());
        e.set();
        assert!(e.is_set());
        e.reset();
        assert!(!e.is_set());
    }

    #[test]
    fn clone_shares_the_object() {
        let e = Event::new_manual(false);
        let c = e.clone();
        c.set();
        assert!(e.is_set());
        assert!(e.same_object(&c));
        assert!(!e.same_object(&Event::new_manual(false)));
    }

    /// B.2: 0 events or more than 64 → WSA_INVALID_PARAMETER (87).
    #[test]
    fn b2_count_validation() {
        assert_eq!(wait_any(&[], Some(Duration::ZERO)).unwrap_err().code(), 87);
        assert_eq!(wait_all(&[], Some(Duration::ZERO)).unwrap_err().code(), 87);
        let evs: Vec<Event> = (0..65).map(|_| Event::new_manual(true)).collect();
        let refs: Vec<&Event> = evs.iter().collect();
        assert_eq!(
            wait_any(&refs, Some(Duration::ZERO)).unwrap_err().code(),
            87
        );
        assert_eq!(
            wait_all(&refs, Some(Duration::ZERO)).unwrap_err().code(),
            87
        );
        assert_eq!(
            wait_any(&refs[..64], Some(Duration::ZERO)).unwrap(),
            WaitOutcome::Signaled(0)
        );
        assert_eq!(
            wait_all(&refs[..64], Some(Duration::ZERO)).unwrap(),
            WaitOutcome::Signaled(0)
        );
    }

    /// B.2: the same handle twice is an error for wait-all only.
    #[test]
    fn b2_duplicates() {
        let e = Event::new_manual(true);
        assert_eq!(
            wait_all(&[&e, &e], Some(Duration::ZERO))
                .unwrap_err()
                .code(),
            87
        );
        let c = e.clone();
        assert_eq!(
            wait_all(&[&e, &c], Some(Duration::ZERO))
                .unwrap_err()
                .code(),
            87
        );
        assert_eq!(
            wait_any(&[&e, &e], Some(Duration::ZERO)).unwrap(),
            WaitOutcome::Signaled(0)
        );
    }

    /// B.2: lowest signalled index wins; manual-reset events stay signalled, so the same
    /// index is returned again until reset (64 events, as kernel32's test does).
    #[test]
    fn b2_lowest_index_wins_over_64() {
        let evs: Vec<Event> = (0..64).map(|_| Event::new_manual(false)).collect();
        let refs: Vec<&Event> = evs.iter().collect();
        for i in (0..64).rev() {
            evs[i].set();
            assert_eq!(
                wait_any(&refs, Some(Duration::ZERO)).unwrap(),
                WaitOutcome::Signaled(i)
            );
            assert_eq!(
                wait_any(&refs, Some(Duration::ZERO)).unwrap(),
                WaitOutcome::Signaled(i)
            );
        }
        for (i, e) in evs.iter().enumerate() {
            assert_eq!(
                wait_any(&refs, Some(Duration::ZERO)).unwrap(),
                WaitOutcome::Signaled(i)
            );
            e.reset();
        }
        assert_eq!(
            wait_any(&refs, Some(Duration::ZERO)).unwrap(),
            WaitOutcome::TimedOut
        );
    }

    /// B.2: an auto-reset event satisfying wait-any is consumed; no other event is touched.
    #[test]
    fn b2_wait_any_consumes_only_the_winner() {
        let a0 = Event::new_auto(false);
        let a1 = Event::new_auto(true);
        let a2 = Event::new_auto(true);
        assert_eq!(
            wait_any(&[&a0, &a1, &a2], Some(Duration::ZERO)).unwrap(),
            WaitOutcome::Signaled(1)
        );
        assert!(!a1.is_set());
        assert!(a2.is_set());
        assert_eq!(
            wait_any(&[&a0, &a1, &a2], Some(Duration::ZERO)).unwrap(),
            WaitOutcome::Signaled(2)
        );
        assert_eq!(
            wait_any(&[&a0, &a1, &a2], Some(Duration::ZERO)).unwrap(),
            WaitOutcome::TimedOut
        );
    }

    /// B.2: wait-all is satisfied only when all are signalled together, consumes auto-reset
    /// events only then, and returns index 0.
    #[test]
    fn b2_wait_all_consumes_only_when_all_set() {
        let a = Event::new_auto(true);
        let m = Event::new_manual(false);
        assert_eq!(
            wait_all(&[&a, &m], Some(Duration::ZERO)).unwrap(),
            WaitOutcome::TimedOut
        );
        assert!(a.is_set(), "a failed wait-all must not consume");
        m.set();
        assert_eq!(
            wait_all(&[&a, &m], Some(Duration::ZERO)).unwrap(),
            WaitOutcome::Signaled(0)
        );
        assert!(!a.is_set());
        assert!(m.is_set());
    }

    /// B.2: a blocked wait-all wakes when the last event is set, and not before.
    #[test]
    fn b2_wait_all_blocks_until_all() {
        let a = Event::new_manual(false);
        let b = Event::new_auto(false);
        let go = Event::new_manual(false);
        let (a2, b2, go2) = (a.clone(), b.clone(), go.clone());
        let t = thread::spawn(move || {
            a2.set();
            go2.wait(Some(LONG));
            b2.set();
        });
        assert_eq!(
            wait_all(&[&a, &b], Some(SHORT)).unwrap(),
            WaitOutcome::TimedOut
        );
        go.set();
        assert_eq!(
            wait_all(&[&a, &b], Some(LONG)).unwrap(),
            WaitOutcome::Signaled(0)
        );
        assert!(!b.is_set());
        t.join().unwrap();
    }

    /// B.2: timeout 0 polls and returns at once; a finite timeout expires.
    #[test]
    fn b2_timeouts() {
        let e = Event::new_manual(false);
        assert_eq!(e.wait(Some(Duration::ZERO)), WaitOutcome::TimedOut);
        let t0 = Instant::now();
        assert_eq!(e.wait(Some(SHORT)), WaitOutcome::TimedOut);
        assert!(t0.elapsed() >= SHORT);
    }

    /// No lost wake-up: a set from another thread always ends an infinite wait.
    #[test]
    fn set_from_another_thread_wakes_infinite_wait() {
        for _ in 0..200 {
            let e = Event::new_auto(false);
            let e2 = e.clone();
            let t = thread::spawn(move || e2.set());
            assert_eq!(e.wait(None), WaitOutcome::Signaled(0));
            t.join().unwrap();
        }
    }

    /// One auto-reset set releases exactly one of several waiters.
    #[test]
    fn auto_reset_releases_one_waiter_per_set() {
        let e = Event::new_auto(false);
        let done = Event::new_manual(false);
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut ts = Vec::new();
        for _ in 0..4 {
            let (e, c, done) = (e.clone(), count.clone(), done.clone());
            ts.push(thread::spawn(move || {
                while wait_any(&[&done, &e], Some(LONG)).unwrap() == WaitOutcome::Signaled(1) {
                    c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            }));
        }
        for i in 1..=20 {
            e.set();
            // wait until a waiter consumed it
            let t0 = Instant::now();
            while e.is_set() {
                assert!(t0.elapsed() < LONG);
                thread::yield_now();
            }
            let t0 = Instant::now();
            while count.load(std::sync::atomic::Ordering::SeqCst) < i {
                assert!(t0.elapsed() < LONG);
                thread::yield_now();
            }
            assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), i);
        }
        done.set();
        for t in ts {
            t.join().unwrap();
        }
    }
}
