//! Waiting for `select` and `WSAPoll`: until a check of the sockets' levels finds something
//! ready, or the timeout expires.
//!
//! `select` and `WSAPoll` report levels ([`Socket::poll_level`]) and must leave every
//! socket's network-event record alone (rule 47), so they do not go through the reactor:
//! a call registers the OS sockets it looks at with a poller of its own (epoll or kqueue
//! through mio, which lets one socket sit in several pollers), checks the levels, and sleeps
//! on that poller until something changes. Registration comes before the first check, so a
//! change after a check always wakes the wait; a wake-up that changes nothing ready (another
//! direction, an edge already consumed) only costs a re-check.
//!
//! Each sleep is at most [`RECHECK`], so that a socket closed by another thread during the
//! call (which the OS poller does not report) is noticed; the callers report that as Windows
//! does. Where no OS poller can take the sockets (Windows, where mio has no raw-socket
//! source), the wait degrades to re-checking every millisecond.
//!
//! Sockets of a simulated network (docs/simulation.md) are waited for in that network's
//! virtual time, as the event waits are (`event.rs`, `wait_virtual`): each round runs what
//! is due and hands its readiness to the records (as the OS path's harvest does), checks
//! the levels, and when nothing is ready moves the network's clock to its next scheduled
//! item, never past the virtual deadline. Sockets of two networks, or simulated and OS
//! sockets, in one call are `WSAEINVAL`, before anything is waited for.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Error, Result, WSAEINVAL};
use crate::socket::Socket;
use crate::sys::sim::Net;

/// The longest one sleep lasts before the levels are checked again.
pub(crate) const RECHECK: Duration = Duration::from_millis(100);

/// What a call looks for on one socket: it decides which OS readiness wakes the wait.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Watch {
    /// Data, a connection to accept, the peer's FIN.
    pub read: bool,
    /// Room to send, a connect completing.
    pub write: bool,
    /// Urgent data, a connect failing.
    pub except: bool,
}

/// Runs `check` until it reports readiness (`(answer, true)`) or `timeout` (`None`: no
/// limit) has passed, and returns the last answer. `check` runs at least once, each time
/// after what the sockets' network has ready was recorded. On the OS's sockets the timeout
/// is real time; on a simulated network's, virtual time. Fails with `WSAEINVAL`, before
/// `check` runs, when the sockets belong to different networks (two simulated ones, or a
/// simulated one and the OS's): one wait cannot run on two clocks.
pub(crate) fn wait_for<T>(
    sockets: &[(&Socket, Watch)],
    timeout: Option<Duration>,
    check: impl FnMut() -> (T, bool),
) -> Result<T> {
    Ok(match network(sockets)? {
        Some(net) => wait_virtual(&net, timeout, check),
        None => wait_real(sockets, timeout, check),
    })
}

/// The simulated network all `sockets` belong to, `None` if they are all the OS's;
/// `WSAEINVAL` for a mix.
fn network(sockets: &[(&Socket, Watch)]) -> Result<Option<Arc<Net>>> {
    let mut nets = sockets.iter().map(|(s, _)| s.sim_network());
    let Some(first) = nets.next() else {
        return Ok(None);
    };
    let same = |a: Option<&Arc<Net>>, b: Option<&Arc<Net>>| match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    };
    if nets.any(|n| !same(n, first)) {
        return Err(Error::from_code(WSAEINVAL));
    }
    Ok(first.cloned())
}

/// [`wait_for`] on the OS's sockets, in real time.
fn wait_real<T>(
    sockets: &[(&Socket, Watch)],
    timeout: Option<Duration>,
    mut check: impl FnMut() -> (T, bool),
) -> T {
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let mut waiter = None;
    loop {
        // What the OS has ready is recorded first, as it would be anyway: the levels then
        // agree with the records (a close already seen, rule 39).
        crate::reactor::harvest();
        let (answer, ready) = check();
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        if ready || left == Some(Duration::ZERO) {
            return answer;
        }
        // Registered before the next check, so no change after it is missed.
        waiter
            .get_or_insert_with(|| Waiter::new(sockets))
            .sleep(left.map_or(RECHECK, |l| l.min(RECHECK)));
    }
}

/// [`wait_for`] on sockets of simulated network `net`, in its virtual time (the loop of
/// `event.rs`'s `wait_virtual`, with a level check in place of the wait rule): run what is
/// due, check; when nothing is ready, move the clock to the next scheduled item, not past
/// the deadline; at the deadline, one last check. With nothing scheduled and no deadline
/// only another thread can make a socket ready (or close one): the wait then sleeps in real
/// time a millisecond at a time, re-checking.
fn wait_virtual<T>(
    net: &Net,
    timeout: Option<Duration>,
    mut check: impl FnMut() -> (T, bool),
) -> T {
    let deadline = timeout.map(|t| {
        net.now_ns()
            .saturating_add(u64::try_from(t.as_nanos()).unwrap_or(u64::MAX))
    });
    let mut turn = net.virtual_wait(false);
    loop {
        net.harvest();
        turn.before_check();
        let (answer, ready) = check();
        if ready || deadline.is_some_and(|d| net.now_ns() >= d) {
            return answer;
        }
        // The clock moves only when every thread on the network waits (`sys/sim/quiet.rs`).
        match turn.advance(deadline) {
            None | Some(true) => continue,
            Some(false) => {}
        }
        if deadline.is_some() {
            // The clock is at the deadline: what is due there counts.
            net.harvest();
            return check().0;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A poller of the call's own, with every socket registered for what it is watched for.
#[cfg(unix)]
struct Waiter {
    /// `None` if the OS poller could not be created or fed (out of descriptors): then the
    /// wait re-checks every millisecond.
    poll: Option<(mio::Poll, mio::Events)>,
}

#[cfg(unix)]
impl Waiter {
    fn new(sockets: &[(&Socket, Watch)]) -> Waiter {
        use mio::unix::SourceFd;
        use mio::{Interest, Token};
        let register = || -> std::io::Result<(mio::Poll, mio::Events)> {
            let poll = mio::Poll::new()?;
            for (i, (s, w)) in sockets.iter().enumerate() {
                let Some(fd) = s.raw_fd() else { continue };
                let mut interest: Option<Interest> = None;
                let mut add = |i: Interest| {
                    interest = Some(interest.map_or(i, |have| have | i));
                };
                if w.read || w.except {
                    add(Interest::READABLE);
                }
                #[cfg(any(target_os = "linux", target_os = "android"))]
                if w.except || w.read {
                    // Urgent data is EPOLLPRI (kqueue reports it as readable).
                    add(Interest::PRIORITY);
                }
                if w.write {
                    add(Interest::WRITABLE);
                }
                // Errors and hang-ups are always reported; a socket watched for nothing
                // still has those.
                let interest = interest.unwrap_or(Interest::READABLE);
                poll.registry()
                    .register(&mut SourceFd(&fd), Token(i), interest)?;
            }
            Ok((
                poll,
                mio::Events::with_capacity(sockets.len().clamp(1, 1024)),
            ))
        };
        Waiter {
            poll: register().ok(),
        }
    }

    fn sleep(&mut self, d: Duration) {
        match &mut self.poll {
            // An error (EINTR) only means an earlier re-check.
            Some((poll, events)) => drop(poll.poll(events, Some(d))),
            None => std::thread::sleep(d.min(Duration::from_millis(1))),
        }
    }
}

/// No raw-socket source in mio here: re-check every millisecond.
#[cfg(not(unix))]
struct Waiter;

#[cfg(not(unix))]
impl Waiter {
    fn new(_: &[(&Socket, Watch)]) -> Waiter {
        Waiter
    }

    fn sleep(&mut self, d: Duration) {
        std::thread::sleep(d.min(Duration::from_millis(1)));
    }
}
