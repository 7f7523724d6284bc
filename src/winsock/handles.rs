//! The handle table

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use parking_lot::RwLock;

use crate::event::{ApcQueue, Event};
use crate::iocp::CompletionPort;
use crate::socket::Socket;

use super::*;

pub(super) enum Object {
    Socket(Arc<Socket>),
    Event(Event),
    Thread(ThreadObject),
    /// An I/O completion port (`CreateIoCompletionPort`; section "Completion ports").
    Port(CompletionPort),
}

/// A thread as the handle table holds it (the C ABI's `CreateThread` makes them): a
/// manual-reset event set when the thread ends, which the waits wait on as they wait on
/// any event, and the thread's exit code (`STILL_ACTIVE`, 259, while it runs).
#[derive(Clone)]
pub struct ThreadObject {
    /// Set once the thread has ended.
    pub done: Event,
    /// The exit code; `STILL_ACTIVE` (259) until the thread ends.
    pub exit_code: Arc<std::sync::atomic::AtomicU32>,
    /// The suspend count (1 for a thread created suspended, until it is resumed).
    pub suspend_count: Arc<std::sync::atomic::AtomicU32>,
    /// The event a suspended thread waits on before it runs.
    pub resume: Arc<parking_lot::Mutex<Option<Event>>>,
    /// The thread's APC queue (`QueueUserAPC` through its handle); the thread adopts it
    /// when it starts.
    pub apc: ApcQueue,
}

/// `STILL_ACTIVE`: the exit code of a thread that has not ended.
pub const STILL_ACTIVE: u32 = 259;

impl ThreadObject {
    /// A running thread's object: not done, exit code `STILL_ACTIVE`.
    pub fn new() -> ThreadObject {
        ThreadObject {
            // A thread runs in real time, also in a simulated process.
            done: Event::new_real_time(true, false),
            exit_code: Arc::new(std::sync::atomic::AtomicU32::new(STILL_ACTIVE)),
            suspend_count: Arc::new(std::sync::atomic::AtomicU32::new(0)),
            resume: Arc::new(parking_lot::Mutex::new(None)),
            apc: ApcQueue::new(),
        }
    }

    /// Records the exit code and signals the handle (its waiters wake).
    pub fn finish(&self, code: u32) {
        self.exit_code.store(code, Ordering::SeqCst);
        self.done.set();
    }
}

impl Default for ThreadObject {
    fn default() -> Self {
        ThreadObject::new()
    }
}

/// The handle table: open objects by value. Values are Windows-like: multiples of 4,
/// non-zero, below 2^31 (so code that keeps a `SOCKET` in an `int` keeps working). They are
/// handed out in order from a cursor that walks the whole space (2^29 values) and wraps,
/// skipping values still open: a closed value is handed out again only after every other
/// value of the space has been, that is after about 537 million creations. Until then a
/// stale value is refused (`WSAENOTSOCK`, `WSA_INVALID_HANDLE`) and never reaches a newer
/// object.
struct Table {
    objects: HashMap<u32, Object, IndexHash>,
    /// The next index to try (value = index * 4), in `1..=MAX_INDEX`.
    next: u32,
}

/// The largest index: values stay below 2^31.
const MAX_INDEX: u32 = (1 << 29) - 1;
/// Open objects at most (as the slot table allowed before): `WSAEMFILE` /
/// `WSA_NOT_ENOUGH_MEMORY` past it.
const MAX_OPEN: usize = (1 << 20) - 1;

static TABLE: RwLock<Table> = RwLock::new(Table {
    objects: HashMap::with_hasher(IndexHash),
    next: 1,
});

/// Hashes the table's indices: they are consecutive integers, so a multiplication
/// (Fibonacci hashing) spreads them, and no SipHash is paid per call.
#[derive(Clone, Copy, Default)]
struct IndexHash;

impl BuildHasher for IndexHash {
    type Hasher = IndexHasher;
    fn build_hasher(&self) -> IndexHasher {
        IndexHasher(0)
    }
}

struct IndexHasher(u64);

impl Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = u64::from(i).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

fn encode(index: u32) -> usize {
    (index as usize) << 2
}

fn decode(h: usize) -> Option<u32> {
    if h & 3 != 0 || h == 0 || h >> 2 > MAX_INDEX as usize {
        return None;
    }
    Some((h >> 2) as u32)
}

impl Table {
    /// Stores `object` under the next value not open (`None` if the table is full).
    fn insert(&mut self, object: Object) -> Option<usize> {
        if self.objects.len() >= MAX_OPEN {
            return None;
        }
        loop {
            let index = self.next;
            self.next = if index >= MAX_INDEX { 1 } else { index + 1 };
            if let std::collections::hash_map::Entry::Vacant(v) = self.objects.entry(index) {
                v.insert(object);
                return Some(encode(index));
            }
        }
    }
}

pub(super) fn insert(object: Object) -> Option<usize> {
    TABLE.write().insert(object)
}

/// The object a handle names, if it is open.
fn object_in(t: &Table, h: usize) -> Option<&Object> {
    t.objects.get(&decode(h)?)
}

pub(super) fn lookup<T>(h: usize, f: impl FnOnce(&Object) -> Option<T>) -> Option<T> {
    object_in(&TABLE.read(), h).and_then(f)
}

/// What [`remove`] may close.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Socket,
    Event,
    /// `CloseHandle`: an event or a thread.
    Handle,
}

pub(super) fn remove(h: usize, kind: Kind) -> Option<Object> {
    let index = decode(h)?;
    let mut t = TABLE.write();
    match (t.objects.get(&index)?, kind) {
        (Object::Socket(_), Kind::Socket)
        | (Object::Event(_), Kind::Event | Kind::Handle)
        | (Object::Thread(_) | Object::Port(_), Kind::Handle) => t.objects.remove(&index),
        _ => None,
    }
}

/// Takes every socket out of the table (the last `WSACleanup`).
pub(super) fn remove_all_sockets() -> Vec<Arc<Socket>> {
    let mut t = TABLE.write();
    let mut out = Vec::new();
    t.objects.retain(|_, o| match o {
        Object::Socket(s) => {
            out.push(Arc::clone(s));
            false
        }
        Object::Event(_) | Object::Thread(_) | Object::Port(_) => true,
    });
    out
}

/// The socket behind a handle (for the C ABI and for Rust code mixing both APIs).
pub fn socket_of(s: SOCKET) -> Option<Arc<Socket>> {
    lookup(s, |o| match o {
        Object::Socket(sock) => Some(Arc::clone(sock)),
        Object::Event(_) | Object::Thread(_) | Object::Port(_) => None,
    })
}

/// The event behind a handle.
pub fn event_of(h: WSAEVENT) -> Option<Event> {
    lookup(h, |o| match o {
        Object::Event(e) => Some(e.clone()),
        Object::Socket(_) | Object::Thread(_) | Object::Port(_) => None,
    })
}

/// The thread behind a handle.
pub fn thread_of(h: usize) -> Option<ThreadObject> {
    lookup(h, |o| match o {
        Object::Thread(t) => Some(t.clone()),
        Object::Socket(_) | Object::Event(_) | Object::Port(_) => None,
    })
}

/// A handle for a thread object, or 0 with `WSA_NOT_ENOUGH_MEMORY` if the table is full.
pub fn register_thread(t: ThreadObject) -> usize {
    insert(Object::Thread(t)).unwrap_or_else(|| fail(WSA_NOT_ENOUGH_MEMORY, 0))
}

/// `CloseHandle`: closes an event, a thread handle (the thread runs on) or a completion
/// port (its waiters wake with `ERROR_ABANDONED_WAIT_0`): `TRUE`, or `FALSE` with
/// `WSA_INVALID_HANDLE` for anything else.
pub fn CloseHandle(h: usize) -> BOOL {
    match remove(h, Kind::Handle) {
        Some(Object::Port(p)) => {
            p.close();
            TRUE
        }
        Some(_) => TRUE,
        None => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

/// Resolves every handle into `out` under one look-up of the table; `false` (and `out`
/// empty) if any is not an open event.
pub(super) fn events_of(handles: &[WSAEVENT], out: &mut Vec<Event>) -> bool {
    out.clear();
    let t = TABLE.read();
    for &h in handles {
        let ev = match object_in(&t, h) {
            Some(Object::Event(e)) => Some(e.clone()),
            // A thread handle is signalled once the thread has ended, as on Windows.
            Some(Object::Thread(th)) => Some(th.done.clone()),
            // A socket handle, as a file object: signalled when one of its overlapped
            // operations completes (`Socket::io_event`).
            Some(Object::Socket(s)) => Some(s.io_event()),
            _ => None,
        };
        match ev {
            Some(e) => out.push(e),
            None => {
                drop(t);
                out.clear();
                return false;
            }
        }
    }
    true
}

/// A handle for an existing event (e.g. one created with [`Event::new_auto`]), as
/// `CreateEvent` returns. Closed with [`WSACloseEvent`].
///
/// Success sets the last error to 0, as `CreateEvent` does on Windows (it reports
/// `ERROR_ALREADY_EXISTS` for an existing named event, so a fresh one must clear it; Wine's
/// `WSACreateEvent` does the same): see docs/semantics.md, "The last error after success".
pub fn register_event(e: Event) -> WSAEVENT {
    insert(Object::Event(e)).map_or_else(|| fail(WSA_NOT_ENOUGH_MEMORY, WSA_INVALID_EVENT), succeed)
}

/// Resolves a socket handle for a Winsock call: `WSANOTINITIALISED` before `WSAStartup`,
/// `WSAENOTSOCK` for a value that is not an open socket.
pub(super) fn sock(s: SOCKET) -> Result<Arc<Socket>> {
    if !started() {
        return Err(Error::from_code(WSANOTINITIALISED));
    }
    socket_of(s).ok_or(Error::from_code(WSAENOTSOCK))
}

/// Runs a socket call with the Winsock return convention for `i32` results.
/// Success sets the last error to 0 ([`succeed`]), failure to the error's code.
pub(super) fn call(s: SOCKET, f: impl FnOnce(&Socket) -> Result<i32>) -> i32 {
    ret(sock(s).and_then(|sk| f(&sk)))
}

/// The Winsock return convention for a call on an already resolved socket: the value with
/// the last error 0 ([`succeed`]), or `SOCKET_ERROR` with the error's code.
pub(crate) fn ret(r: Result<i32>) -> i32 {
    match r {
        Ok(v) => succeed(v),
        Err(e) => fail(e.code(), SOCKET_ERROR),
    }
}

pub(super) fn len_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_windows_like_values() {
        for i in [1, 5, MAX_INDEX] {
            let h = encode(i);
            assert_eq!(h % 4, 0);
            assert!(h < 1 << 31);
            assert_eq!(decode(h), Some(i));
        }
        for v in [0, 6, INVALID_SOCKET, 1 << 31, encode(MAX_INDEX) + 4] {
            assert_eq!(decode(v), None, "{v:#x}");
        }
    }

    /// Issue 8.4: a closed value is not handed out again after 512 cycles of one slot (the
    /// old 9-bit generation) nor after many more: 100,000 create/close cycles give 100,000
    /// values, and every closed one stays refused.
    #[test]
    fn closed_values_are_not_reused_soon() {
        let first = WSACreateEvent();
        assert_eq!(WSACloseEvent(first), TRUE);
        let mut seen = std::collections::HashSet::new();
        seen.insert(first);
        for _ in 0..100_000 {
            let h = WSACreateEvent();
            assert_ne!(h, WSA_INVALID_EVENT);
            assert!(seen.insert(h), "value {h:#x} handed out twice");
            assert_eq!(WSACloseEvent(h), TRUE);
        }
        assert_eq!(WSASetEvent(first), FALSE);
        assert_eq!(WSAGetLastError(), WSA_INVALID_HANDLE);
    }

    /// Issue 8.4: the cursor wraps at the top of the value space (below 2^31) and skips
    /// values still open.
    #[test]
    fn cursor_wraps_and_skips_open_values() {
        let mut t = Table {
            objects: HashMap::with_hasher(IndexHash),
            next: 1,
        };
        let ev = || Object::Event(Event::new_manual(false));
        assert_eq!(t.insert(ev()), Some(4));
        assert_eq!(t.insert(ev()), Some(8));
        t.next = MAX_INDEX;
        assert_eq!(t.insert(ev()), Some(encode(MAX_INDEX)));
        assert!(encode(MAX_INDEX) < 1 << 31);
        // 1 and 2 are open: the next value after the wrap is index 3.
        assert_eq!(t.insert(ev()), Some(12));
        t.objects.remove(&1);
        t.next = MAX_INDEX;
        // MAX_INDEX is open, index 1 was closed: it comes back only now, after the wrap.
        assert_eq!(t.insert(ev()), Some(4));
    }
}
