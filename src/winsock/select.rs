//! select and WSAPoll (Wine's Windows-run test_select and test_WSAPoll; rule 47)

use std::sync::Arc;
use std::time::Duration;

use crate::select::{self, Watch};
use crate::socket::{PollLevel, Socket};

use super::*;

/// `FD_SETSIZE`: Winsock's default capacity of an [`fd_set`] (a C program may define a
/// larger one before including `winsock2.h`; the C ABI reads `fd_count` entries, whatever
/// the capacity).
pub const FD_SETSIZE: usize = 64;

/// Winsock's `fd_set`: a count and an array of `SOCKET`s (not glibc's bit mask), with
/// Windows' layout.
#[repr(C)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct fd_set {
    /// How many entries of `fd_array` are in the set.
    pub fd_count: u32,
    /// The sockets, in the order they were added.
    pub fd_array: [SOCKET; FD_SETSIZE],
}

impl Default for fd_set {
    fn default() -> fd_set {
        fd_set {
            fd_count: 0,
            fd_array: [0; FD_SETSIZE],
        }
    }
}

impl fd_set {
    /// The sockets in the set.
    pub fn sockets(&self) -> &[SOCKET] {
        &self.fd_array[..(self.fd_count as usize).min(FD_SETSIZE)]
    }
}

/// `FD_ZERO(set)`.
pub fn FD_ZERO(set: &mut fd_set) {
    set.fd_count = 0;
}

/// `FD_SET(s, set)` as winsock2.h defines it: a socket already in the set is not added
/// again, and a full set (`FD_SETSIZE`) is left as it is.
pub fn FD_SET(s: SOCKET, set: &mut fd_set) {
    if set.sockets().contains(&s) {
        return;
    }
    let n = set.fd_count as usize;
    if n < FD_SETSIZE {
        set.fd_array[n] = s;
        set.fd_count += 1;
    }
}

/// `FD_CLR(s, set)`: removes the socket, moving the later entries down one place.
pub fn FD_CLR(s: SOCKET, set: &mut fd_set) {
    let n = set.sockets().len();
    if let Some(i) = set.sockets().iter().position(|&x| x == s) {
        set.fd_array.copy_within(i + 1..n, i);
        set.fd_count -= 1;
    }
}

/// `__WSAFDIsSet(s, set)`: non-zero if the socket is in the set (what `FD_ISSET` calls).
pub fn __WSAFDIsSet(s: SOCKET, set: &fd_set) -> i32 {
    i32::from(set.sockets().contains(&s))
}

/// `FD_ISSET(s, set)`.
pub fn FD_ISSET(s: SOCKET, set: &fd_set) -> bool {
    __WSAFDIsSet(s, set) != 0
}

/// Windows' `struct timeval`: two 32-bit `long`s.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct timeval {
    /// Seconds.
    pub tv_sec: i32,
    /// Microseconds.
    pub tv_usec: i32,
}

/// A `timeval`'s wait: `tv_sec` seconds plus `tv_usec` microseconds; a negative total waits
/// no time (polls).
pub(crate) fn timeval_duration(sec: i64, usec: i64) -> Duration {
    let us = sec.saturating_mul(1_000_000).saturating_add(usec);
    Duration::from_micros(u64::try_from(us).unwrap_or(0))
}

/// Which set a socket is looked at for: readfds, writefds, exceptfds.
const SETS: usize = 3;

/// Whether a socket's level counts as ready for set `k` of `select` (Wine's Windows-run
/// `test_select`): readfds for data, a connection to accept, the peer's FIN or a reset;
/// writefds for room to send on a connected socket; exceptfds for urgent data (not in line)
/// and a failed connect, which is in no other set.
fn select_ready(k: usize, l: &PollLevel) -> bool {
    match k {
        0 => l.data || l.pending_accept || l.hangup,
        1 => l.writable && !l.connect_failed,
        _ => l.urgent || l.connect_failed,
    }
}

/// The core of `select`: the sockets of each given set that are ready, in the set's order,
/// each once. Fails with `WSANOTINITIALISED`, `WSAEINVAL` when no set has a socket, and
/// `WSAENOTSOCK` when one is not an open socket, before looking at any socket, then
/// `WSAEINVAL` when the sockets belong to different networks (`select::wait_for`). A socket
/// closed by another thread during the wait is reported readable if it is in readfds, and
/// fails the call with `WSAENOTSOCK` otherwise (Wine's `SelectCloseThread` tests). The
/// sockets' records are not touched (rule 47).
pub(crate) fn select_sets(
    sets: [Option<&[SOCKET]>; SETS],
    timeout: Option<Duration>,
) -> Result<[Vec<SOCKET>; SETS]> {
    if !started() {
        return Err(Error::from_code(WSANOTINITIALISED));
    }
    if sets.iter().all(|s| s.is_none_or(<[SOCKET]>::is_empty)) {
        return Err(Error::from_code(WSAEINVAL));
    }
    // Each socket once, with every set it is in.
    let mut socks: Vec<(SOCKET, Arc<Socket>, Watch)> = Vec::new();
    for (k, set) in sets.iter().enumerate() {
        for &h in set.unwrap_or(&[]) {
            let i = match socks.iter().position(|(x, _, _)| *x == h) {
                Some(i) => i,
                None => {
                    let sk = socket_of(h).ok_or(Error::from_code(WSAENOTSOCK))?;
                    socks.push((h, sk, Watch::default()));
                    socks.len() - 1
                }
            };
            let w = &mut socks[i].2;
            match k {
                0 => w.read = true,
                1 => w.write = true,
                _ => w.except = true,
            }
        }
    }
    let watched: Vec<(&Socket, Watch)> = socks.iter().map(|(_, s, w)| (&**s, *w)).collect();
    // (`wait_for` records what the sockets' network has ready before each check: the
    // levels then agree with the records, a close already seen, rule 39.)
    select::wait_for(&watched, timeout, || {
        // One level per socket per check; `None`: closed meanwhile.
        let levels: Vec<Option<PollLevel>> = socks
            .iter()
            .map(|(h, s, _)| {
                let open = socket_of(*h).is_some_and(|now| Arc::ptr_eq(&now, s));
                open.then(|| s.poll_level().ok()).flatten()
            })
            .collect();
        let mut out: [Vec<SOCKET>; SETS] = Default::default();
        for (k, set) in sets.iter().enumerate() {
            for &h in set.unwrap_or(&[]) {
                let i = socks
                    .iter()
                    .position(|(x, _, _)| *x == h)
                    .expect("resolved");
                let ready = match &levels[i] {
                    Some(l) => select_ready(k, l),
                    None if k == 0 => true,
                    None => return (Err(Error::from_code(WSAENOTSOCK)), true),
                };
                if ready && !out[k].contains(&h) {
                    out[k].push(h);
                }
            }
        }
        let any = out.iter().any(|o| !o.is_empty());
        (Ok(out), any)
    })?
}

/// `select(nfds, readfds, writefds, exceptfds, timeout)` with Windows' semantics (Wine's
/// Windows-run `test_select`): `nfds` is ignored; each given set is rewritten to its ready
/// sockets, in its order, each once; the result is the number of entries in the rewritten
/// sets, 0 on timeout, or `SOCKET_ERROR` (sets unchanged) with `WSANOTINITIALISED`,
/// `WSAEINVAL` (no socket in any set, or sockets of two networks) or `WSAENOTSOCK`.
/// `timeout` `None` blocks; `{0, 0}` polls.
///
/// Ready means: readfds, data (urgent data too with `SO_OOBINLINE`), the peer's FIN or a
/// reset, a connection to accept; writefds, room to send on a connected or UDP socket (a
/// non-blocking connect completed); exceptfds, urgent data (not in line) and a failed
/// connect, which stays reported until a connect succeeds and is in no other set. A socket
/// closed by another thread during the wait is reported readable if it is in readfds, and
/// fails the call with `WSAENOTSOCK` otherwise. The records are left alone (rule 47).
///
/// On sockets of a simulated network (`crate::sim`) the wait and its timeout run in that
/// network's virtual time; sockets of two networks, or simulated and OS sockets, in one
/// call fail with `WSAEINVAL` (docs/simulation.md).
///
/// ```
/// #![allow(non_snake_case)]
/// use wsaevents::winsock::*;
///
/// let mut data = WSADATA::default();
/// assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut data), 0);
/// let listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
/// assert_eq!(bind(listener, &"127.0.0.1:0".parse().unwrap()), 0);
/// assert_eq!(listen_(listener, 4), 0);
/// let mut addr = "0.0.0.0:0".parse().unwrap();
/// assert_eq!(getsockname(listener, &mut addr), 0);
/// let client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
/// assert_eq!(connect(client, &addr), 0);
///
/// let mut readfds = fd_set::default();
/// FD_SET(listener, &mut readfds);
/// let wait = timeval { tv_sec: 5, tv_usec: 0 };
/// assert_eq!(select(0, Some(&mut readfds), None, None, Some(&wait)), 1);
/// assert!(FD_ISSET(listener, &readfds));
/// closesocket(client);
/// closesocket(listener);
/// WSACleanup();
/// ```
pub fn select(
    nfds: i32,
    readfds: Option<&mut fd_set>,
    writefds: Option<&mut fd_set>,
    exceptfds: Option<&mut fd_set>,
    timeout: Option<&timeval>,
) -> i32 {
    let _ = nfds;
    let mut sets = [readfds, writefds, exceptfds];
    let wanted: [Option<Vec<SOCKET>>; SETS] =
        std::array::from_fn(|k| sets[k].as_deref().map(|s| s.sockets().to_vec()));
    let timeout = timeout.map(|t| timeval_duration(i64::from(t.tv_sec), i64::from(t.tv_usec)));
    match select_sets(std::array::from_fn(|k| wanted[k].as_deref()), timeout) {
        Ok(ready) => {
            let mut n = 0;
            for (set, ready) in sets.iter_mut().zip(ready) {
                if let Some(set) = set {
                    FD_ZERO(set);
                    for s in ready {
                        FD_SET(s, set);
                        n += 1;
                    }
                }
            }
            n
        }
        Err(e) => fail(e.code(), SOCKET_ERROR),
    }
}

/// `POLLRDNORM`: normal data, or a connection to accept.
pub const POLLRDNORM: i16 = 0x0100;
/// `POLLRDBAND`: urgent (out-of-band) data.
pub const POLLRDBAND: i16 = 0x0200;
/// `POLLIN`: `POLLRDNORM | POLLRDBAND`.
pub const POLLIN: i16 = POLLRDNORM | POLLRDBAND;
/// `POLLPRI` (not supported by Windows' provider: `WSAEINVAL` in `events`).
pub const POLLPRI: i16 = 0x0400;
/// `POLLWRNORM`: room to send.
pub const POLLWRNORM: i16 = 0x0010;
/// `POLLOUT`: `POLLWRNORM`.
pub const POLLOUT: i16 = POLLWRNORM;
/// `POLLWRBAND` (not accepted in `events`, as on Windows).
pub const POLLWRBAND: i16 = 0x0020;
/// `POLLERR`: an error (a failed connect); reported whether asked for or not.
pub const POLLERR: i16 = 0x0001;
/// `POLLHUP`: the peer's FIN, a reset, a failed connect; reported whether asked for or not.
pub const POLLHUP: i16 = 0x0002;
/// `POLLNVAL`: not a socket.
pub const POLLNVAL: i16 = 0x0004;

/// Winsock's `WSAPOLLFD`, with Windows' layout.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WSAPOLLFD {
    /// The socket.
    pub fd: SOCKET,
    /// What is asked for: `POLLRDNORM`, `POLLRDBAND`, `POLLWRNORM` (or 0).
    pub events: i16,
    /// What holds (written by [`WSAPoll`]).
    pub revents: i16,
}

/// The only flags Windows accepts in `events` (Wine's Windows-run `test_WSAPoll`: every
/// other bit, `POLLPRI` and `POLLWRBAND` included, is `WSAEINVAL`).
const POLL_ASKABLE: i16 = POLLRDNORM | POLLRDBAND | POLLWRNORM;

/// A socket's `revents` for `events` (Wine's Windows-run `test_WSAPoll`): `POLLRDNORM` for
/// data or a connection to accept, `POLLRDBAND` for urgent data (not in line),
/// `POLLWRNORM` for room to send; `POLLHUP` for the peer's FIN or a reset, and `POLLHUP |
/// POLLERR` (with `POLLWRNORM`) for a failed connect, whatever `events` asks.
fn poll_revents(events: i16, l: &PollLevel) -> i16 {
    let mut r = 0;
    if l.data || l.pending_accept {
        r |= POLLRDNORM;
    }
    if l.urgent {
        r |= POLLRDBAND;
    }
    if l.writable || l.connect_failed {
        r |= POLLWRNORM;
    }
    r &= events;
    if l.hangup || l.connect_failed {
        r |= POLLHUP;
    }
    if l.connect_failed {
        r |= POLLERR;
    }
    r
}

/// `WSAPoll(fds, nfds, timeout)` with Windows' rules (Wine's Windows-run `test_WSAPoll`):
/// the number of valid sockets whose `revents` is non-zero, 0 on timeout, or
/// `SOCKET_ERROR`. An entry whose `fd` is negative (`INVALID_SOCKET`) or not a socket gets
/// `POLLNVAL` and is not counted; if no entry is a socket the call fails with
/// `WSAENOTSOCK`. `events` other than `POLLRDNORM | POLLRDBAND | POLLWRNORM` (`POLLPRI`
/// included) fail with `WSAEINVAL`, all `revents` then 0. An empty array is `WSAEINVAL`.
/// `timeout` in milliseconds: negative blocks, 0 polls. A socket closed by another thread
/// during the wait gets `POLLNVAL`, counted. The records are left alone (rule 47).
/// On a simulated network's sockets the timeout is virtual; sockets of two networks, or
/// simulated and OS sockets, fail with `WSAEINVAL`, all `revents` 0 (docs/simulation.md).
pub fn WSAPoll(fds: &mut [WSAPOLLFD], timeout: i32) -> i32 {
    if !started() {
        return fail(WSANOTINITIALISED, SOCKET_ERROR);
    }
    if fds.is_empty() {
        return fail(WSAEINVAL, SOCKET_ERROR);
    }
    let socks: Vec<Option<Arc<Socket>>> = fds
        .iter()
        .map(|f| {
            if (f.fd as isize) < 0 {
                None
            } else {
                socket_of(f.fd)
            }
        })
        .collect();
    for (f, s) in fds.iter_mut().zip(&socks) {
        f.revents = if s.is_some() { 0 } else { POLLNVAL };
    }
    if socks.iter().all(Option::is_none) {
        return fail(WSAENOTSOCK, SOCKET_ERROR);
    }
    if fds
        .iter()
        .any(|f| (f.fd as isize) >= 0 && f.events & !POLL_ASKABLE != 0)
    {
        fds.iter_mut().for_each(|f| f.revents = 0);
        return fail(WSAEINVAL, SOCKET_ERROR);
    }
    let watched: Vec<(&Socket, Watch)> = fds
        .iter()
        .zip(&socks)
        .filter_map(|(f, s)| {
            let w = Watch {
                read: f.events & POLLRDNORM != 0,
                write: f.events & POLLWRNORM != 0,
                except: f.events & POLLRDBAND != 0,
            };
            s.as_deref().map(|s| (s, w))
        })
        .collect();
    let timeout = u64::try_from(timeout).ok().map(Duration::from_millis);
    let waited = select::wait_for(&watched, timeout, || {
        let revents: Vec<i16> = fds
            .iter()
            .zip(&socks)
            .map(|(f, s)| match s {
                None => 0,
                Some(s) => {
                    let open = socket_of(f.fd).is_some_and(|now| Arc::ptr_eq(&now, s));
                    match open.then(|| s.poll_level().ok()).flatten() {
                        Some(l) => poll_revents(f.events, &l),
                        None => POLLNVAL,
                    }
                }
            })
            .collect();
        let ready = revents.iter().any(|&r| r != 0);
        (revents, ready)
    });
    let revents = match waited {
        Ok(r) => r,
        Err(e) => {
            // Sockets of two networks: refused before any wait, every revents 0.
            fds.iter_mut().for_each(|f| f.revents = 0);
            return fail(e.code(), SOCKET_ERROR);
        }
    };
    let mut n = 0;
    for ((f, s), r) in fds.iter_mut().zip(&socks).zip(revents) {
        if s.is_some() {
            f.revents = r;
            n += i32::from(r != 0);
        }
    }
    n
}
