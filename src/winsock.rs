//! Winsock-named facade, for porting Winsock code to Rust line by line.
//!
//! `SOCKET` and `WSAEVENT` are handles, as on Windows; functions keep the Winsock names,
//! arguments and return conventions (`SOCKET_ERROR`, `INVALID_SOCKET`, `WSA_WAIT_*`,
//! `FALSE`) and report the error through the per-thread [`WSAGetLastError`]. Buffers are
//! slices and addresses are [`SocketAddr`]s; the C ABI (`capi`) converts C pointers and
//! Windows `SOCKADDR` layouts and then calls these functions.
//!
//! Handles live in one table, as Windows keeps sockets and events in one handle table. A
//! handle value carries a generation, so a closed value is refused (`WSAENOTSOCK`,
//! `WSA_INVALID_HANDLE`) instead of reaching the newer object that reuses its slot; values
//! are multiples of 4 below 2³¹, so code that keeps a `SOCKET` in an `int` still works.
//!
//! ```
//! #![allow(non_snake_case)]
//! use wsaevents::winsock::*;
//!
//! let mut data = WSADATA::default();
//! assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut data), 0);
//! let listen = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
//! assert_ne!(listen, INVALID_SOCKET);
//! assert_eq!(bind(listen, &"127.0.0.1:0".parse().unwrap()), 0);
//! let ev = WSACreateEvent();
//! assert_eq!(WSAEventSelect(listen, ev, FD_ACCEPT | FD_CLOSE), 0);
//! assert_eq!(listen_(listen, 10), 0);
//!
//! let client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
//! let mut addr = "0.0.0.0:0".parse().unwrap();
//! assert_eq!(getsockname(listen, &mut addr), 0);
//! assert_eq!(connect(client, &addr), 0);
//!
//! let index = WSAWaitForMultipleEvents(&[ev], FALSE, 5000, FALSE);
//! assert_eq!(index, WSA_WAIT_EVENT_0);
//! let mut ne = WSANETWORKEVENTS::default();
//! assert_eq!(WSAEnumNetworkEvents(listen, ev, &mut ne), 0);
//! assert_eq!(ne.lNetworkEvents, FD_ACCEPT);
//! assert_eq!(ne.iErrorCode[FD_ACCEPT_BIT], 0);
//! closesocket(client);
//! closesocket(listen);
//! WSACloseEvent(ev);
//! assert_eq!(WSACleanup(), 0);
//! ```
#![allow(non_snake_case, non_camel_case_types)]

use std::cell::Cell;
use std::net::{Shutdown, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use parking_lot::RwLock;

pub use crate::error::*;
use crate::event::{self, Event, WaitOutcome};
use crate::socket::{AddressFamily, MsgFlags, Socket, SocketType};
pub use crate::types::{
    FD_ACCEPT_BIT, FD_ADDRESS_LIST_CHANGE_BIT, FD_CLOSE_BIT, FD_CONNECT_BIT, FD_GROUP_QOS_BIT,
    FD_MAX_EVENTS, FD_OOB_BIT, FD_QOS_BIT, FD_READ_BIT, FD_ROUTING_INTERFACE_CHANGE_BIT,
    FD_WRITE_BIT,
};
use crate::types::{NetworkEventRecord, NetworkEvents};

// ------------------------------------------------------------------------------------------
// Types and constants (section B.3; Windows SDK values)

/// `SOCKET`: a socket handle (`UINT_PTR`).
pub type SOCKET = usize;
/// `WSAEVENT` / `HANDLE`: an event handle; `WSA_INVALID_EVENT` (0) is none.
pub type WSAEVENT = usize;
/// `BOOL`.
pub type BOOL = i32;
/// `DWORD`.
pub type DWORD = u32;

/// `INVALID_SOCKET`: all bits set.
pub const INVALID_SOCKET: SOCKET = !0;
/// `SOCKET_ERROR`.
pub const SOCKET_ERROR: i32 = -1;
/// `WSA_INVALID_EVENT`.
pub const WSA_INVALID_EVENT: WSAEVENT = 0;
/// `TRUE`.
pub const TRUE: BOOL = 1;
/// `FALSE`.
pub const FALSE: BOOL = 0;

/// `WSA_MAXIMUM_WAIT_EVENTS` / `MAXIMUM_WAIT_OBJECTS`.
pub const WSA_MAXIMUM_WAIT_EVENTS: usize = event::MAXIMUM_WAIT_OBJECTS;
/// `WSA_INFINITE` / `INFINITE`.
pub const WSA_INFINITE: DWORD = 0xFFFF_FFFF;
/// `WSA_WAIT_EVENT_0` / `WAIT_OBJECT_0`.
pub const WSA_WAIT_EVENT_0: DWORD = 0;
/// `WSA_WAIT_IO_COMPLETION` (never returned: no APCs exist here).
pub const WSA_WAIT_IO_COMPLETION: DWORD = 0xC0;
/// `WSA_WAIT_TIMEOUT` / `WAIT_TIMEOUT`.
pub const WSA_WAIT_TIMEOUT: DWORD = 0x102;
/// `WSA_WAIT_FAILED` / `WAIT_FAILED`.
pub const WSA_WAIT_FAILED: DWORD = 0xFFFF_FFFF;

/// `FD_READ`.
pub const FD_READ: i32 = 0x01;
/// `FD_WRITE`.
pub const FD_WRITE: i32 = 0x02;
/// `FD_OOB`.
pub const FD_OOB: i32 = 0x04;
/// `FD_ACCEPT`.
pub const FD_ACCEPT: i32 = 0x08;
/// `FD_CONNECT`.
pub const FD_CONNECT: i32 = 0x10;
/// `FD_CLOSE`.
pub const FD_CLOSE: i32 = 0x20;
/// `FD_QOS`.
pub const FD_QOS: i32 = 0x40;
/// `FD_GROUP_QOS`.
pub const FD_GROUP_QOS: i32 = 0x80;
/// `FD_ROUTING_INTERFACE_CHANGE`.
pub const FD_ROUTING_INTERFACE_CHANGE: i32 = 0x100;
/// `FD_ADDRESS_LIST_CHANGE`.
pub const FD_ADDRESS_LIST_CHANGE: i32 = 0x200;
/// `FD_ALL_EVENTS`.
pub const FD_ALL_EVENTS: i32 = 0x3FF;

/// `AF_UNSPEC`.
pub const AF_UNSPEC: i32 = 0;
/// `AF_INET`.
pub const AF_INET: i32 = 2;
/// `AF_INET6` (Windows' value).
pub const AF_INET6: i32 = 23;
/// `SOCK_STREAM`.
pub const SOCK_STREAM: i32 = 1;
/// `SOCK_DGRAM`.
pub const SOCK_DGRAM: i32 = 2;
/// `IPPROTO_TCP`.
pub const IPPROTO_TCP: i32 = 6;
/// `IPPROTO_UDP`.
pub const IPPROTO_UDP: i32 = 17;
/// `SD_RECEIVE`.
pub const SD_RECEIVE: i32 = 0;
/// `SD_SEND`.
pub const SD_SEND: i32 = 1;
/// `SD_BOTH`.
pub const SD_BOTH: i32 = 2;
/// `MSG_OOB`.
pub const MSG_OOB: i32 = 1;
/// `MSG_PEEK`.
pub const MSG_PEEK: i32 = 2;
/// `FIONBIO`.
pub const FIONBIO: u32 = 0x8004_667E;
/// `FIONREAD`.
pub const FIONREAD: u32 = 0x4004_667F;
/// `SIOCATMARK`.
pub const SIOCATMARK: u32 = 0x4004_7307;
/// `SOL_SOCKET`.
pub const SOL_SOCKET: i32 = 0xFFFF;
/// `SO_REUSEADDR`.
pub const SO_REUSEADDR: i32 = 0x0004;
/// `SO_KEEPALIVE`.
pub const SO_KEEPALIVE: i32 = 0x0008;
/// `SO_LINGER`.
pub const SO_LINGER: i32 = 0x0080;
/// `SO_OOBINLINE`.
pub const SO_OOBINLINE: i32 = 0x0100;
/// `SO_SNDBUF`.
pub const SO_SNDBUF: i32 = 0x1001;
/// `SO_RCVBUF`.
pub const SO_RCVBUF: i32 = 0x1002;
/// `SO_ERROR`.
pub const SO_ERROR: i32 = 0x1007;
/// `SO_TYPE`.
pub const SO_TYPE: i32 = 0x1008;
/// `TCP_NODELAY`.
pub const TCP_NODELAY: i32 = 0x0001;

/// `MAKEWORD(lo, hi)`.
pub const fn MAKEWORD(lo: u8, hi: u8) -> u16 {
    (lo as u16) | ((hi as u16) << 8)
}

/// `WSADATA`, with Windows' layout (the string arrays come before the obsolete fields on
/// 32-bit Windows, after them on 64-bit), so the C ABI hands the caller's structure over
/// as it is: 408 bytes on 64-bit targets.
#[repr(C)]
#[derive(Clone)]
pub struct WSADATA {
    /// Version the caller should use.
    pub wVersion: u16,
    /// Highest version supported (2.2).
    pub wHighVersion: u16,
    /// Description string, NUL-terminated ("WinSock 2.0").
    #[cfg(target_pointer_width = "32")]
    pub szDescription: [u8; 257],
    /// Status string, NUL-terminated ("Running").
    #[cfg(target_pointer_width = "32")]
    pub szSystemStatus: [u8; 129],
    /// 32767 for a 1.x version, else 0 (obsolete).
    pub iMaxSockets: u16,
    /// 65467 for a 1.x version, else 0 (obsolete).
    pub iMaxUdpDg: u16,
    /// Obsolete (NULL).
    pub lpVendorInfo: *mut u8,
    /// Description string, NUL-terminated ("WinSock 2.0").
    #[cfg(not(target_pointer_width = "32"))]
    pub szDescription: [u8; 257],
    /// Status string, NUL-terminated ("Running").
    #[cfg(not(target_pointer_width = "32"))]
    pub szSystemStatus: [u8; 129],
}

impl Default for WSADATA {
    fn default() -> Self {
        WSADATA {
            wVersion: 0,
            wHighVersion: 0,
            iMaxSockets: 0,
            iMaxUdpDg: 0,
            lpVendorInfo: std::ptr::null_mut(),
            szDescription: [0; 257],
            szSystemStatus: [0; 129],
        }
    }
}

/// `WSANETWORKEVENTS`, with the Winsock field names (same layout as
/// [`NetworkEventRecord`], 44 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WSANETWORKEVENTS {
    /// The `FD_*` bits reported.
    pub lNetworkEvents: i32,
    /// The error code of each reported event, by `FD_*_BIT`; other entries are untouched.
    pub iErrorCode: [i32; FD_MAX_EVENTS],
}

// ------------------------------------------------------------------------------------------
// Last error and start-up

thread_local! {
    static LAST_ERROR: Cell<i32> = const { Cell::new(0) };
}

static STARTUPS: AtomicUsize = AtomicUsize::new(0);

/// `WSAGetLastError` / `GetLastError`: this thread's last error.
pub fn WSAGetLastError() -> i32 {
    // During thread teardown the slot may be gone: read 0 rather than panic.
    LAST_ERROR.try_with(Cell::get).unwrap_or(0)
}

/// `WSASetLastError` / `SetLastError`.
pub fn WSASetLastError(code: i32) {
    let _ = LAST_ERROR.try_with(|c| c.set(code));
}

fn fail<T>(code: i32, value: T) -> T {
    WSASetLastError(code);
    value
}

/// The version `WSAStartup` grants for a request (the table of ReactOS' WSAStartup
/// apitest, which runs against Windows): below 1.0 none; 1.0 and 1.1 as asked; other 1.x
/// get 1.1; 2.0 to 2.2 as asked; anything higher gets 2.2.
fn granted_version(requested: u16) -> Option<u16> {
    let [major, minor] = requested.to_le_bytes();
    let (major, minor) = match (major, minor) {
        (0, _) => return None,
        (1, 0 | 1) | (2, 0..=2) => (major, minor),
        (1, _) => (1, 1),
        _ => (2, 2),
    };
    Some(MAKEWORD(major, minor))
}

/// What `WSAStartup` writes into `WSADATA` (Windows writes these fields even when it
/// refuses the version, and leaves `lpVendorInfo` and the rest of the strings alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StartupInfo {
    pub version: u16,
    pub high_version: u16,
    pub max_sockets: u16,
    pub max_udp_dg: u16,
}

/// The description and status strings, with their terminators.
pub(crate) const STARTUP_DESCRIPTION: &[u8] = b"WinSock 2.0\0";
pub(crate) const STARTUP_STATUS: &[u8] = b"Running\0";

/// `WSAStartup`'s rules, with the structure optional as C passes it. Returns the code (0,
/// `WSAVERNOTSUPPORTED`, or `WSAEFAULT` without a structure) and what to write into the
/// structure. Success sets the last error to 0 and counts one start-up; a failure while
/// nothing is started sets it to `WSANOTINITIALISED`.
pub(crate) fn startup(version_requested: u16, have_data: bool) -> (i32, StartupInfo) {
    let granted = granted_version(version_requested);
    let version = granted.unwrap_or(MAKEWORD(2, 2));
    let v1 = version & 0xFF < 2;
    let info = StartupInfo {
        version,
        high_version: MAKEWORD(2, 2),
        max_sockets: if v1 { 32767 } else { 0 },
        max_udp_dg: if v1 { 65467 } else { 0 },
    };
    let code = match granted {
        None => WSAVERNOTSUPPORTED,
        Some(_) if !have_data => WSAEFAULT,
        Some(_) => {
            STARTUPS.fetch_add(1, Ordering::SeqCst);
            WSASetLastError(0);
            return (0, info);
        }
    };
    if !started() {
        WSASetLastError(WSANOTINITIALISED);
    }
    (code, info)
}

/// `WSAStartup`: grants a version per Windows' table (1.0 to 2.2; below 1.0 is
/// `WSAVERNOTSUPPORTED`), fills `data` as Windows does (also when refusing), and returns 0
/// or the error code (the return value carries it). Calls are counted; each needs a
/// [`WSACleanup`].
pub fn WSAStartup(version_requested: u16, data: &mut WSADATA) -> i32 {
    let (code, info) = startup(version_requested, true);
    data.wVersion = info.version;
    data.wHighVersion = info.high_version;
    data.iMaxSockets = info.max_sockets;
    data.iMaxUdpDg = info.max_udp_dg;
    data.szDescription[..STARTUP_DESCRIPTION.len()].copy_from_slice(STARTUP_DESCRIPTION);
    data.szSystemStatus[..STARTUP_STATUS.len()].copy_from_slice(STARTUP_STATUS);
    code
}

/// `WSACleanup`: ends one `WSAStartup`; with none outstanding, `WSANOTINITIALISED`.
pub fn WSACleanup() -> i32 {
    let r = STARTUPS.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    match r {
        Ok(_) => 0,
        Err(_) => fail(WSANOTINITIALISED, SOCKET_ERROR),
    }
}

/// Whether a `WSAStartup` is outstanding: without one, every socket call fails with
/// `WSANOTINITIALISED`.
pub fn started() -> bool {
    STARTUPS.load(Ordering::SeqCst) > 0
}

// ------------------------------------------------------------------------------------------
// The handle table

enum Object {
    Socket(Arc<Socket>),
    Event(Event),
    Thread(ThreadObject),
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
}

/// `STILL_ACTIVE`: the exit code of a thread that has not ended.
pub const STILL_ACTIVE: u32 = 259;

impl ThreadObject {
    /// A running thread's object: not done, exit code `STILL_ACTIVE`.
    pub fn new() -> ThreadObject {
        ThreadObject {
            done: Event::new_manual(false),
            exit_code: Arc::new(std::sync::atomic::AtomicU32::new(STILL_ACTIVE)),
            suspend_count: Arc::new(std::sync::atomic::AtomicU32::new(0)),
            resume: Arc::new(parking_lot::Mutex::new(None)),
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

struct Slot {
    generation: u32,
    object: Option<Object>,
}

#[derive(Default)]
struct Table {
    slots: Vec<Slot>,
    /// Free slots, reused oldest first, so a closed value stays unused as long as possible.
    free: std::collections::VecDeque<u32>,
}

const INDEX_BITS: u32 = 20;
const GEN_BITS: u32 = 9;

static TABLE: RwLock<Table> = RwLock::new(Table {
    slots: Vec::new(),
    free: std::collections::VecDeque::new(),
});

fn encode(index: u32, generation: u32) -> usize {
    let g = generation & ((1 << GEN_BITS) - 1);
    (((g << INDEX_BITS) | (index + 1)) as usize) << 2
}

fn decode(h: usize) -> Option<(u32, u32)> {
    if h & 3 != 0 || h >> (2 + INDEX_BITS + GEN_BITS) != 0 {
        return None;
    }
    let v = (h >> 2) as u32;
    let index = (v & ((1 << INDEX_BITS) - 1)).checked_sub(1)?;
    Some((index, v >> INDEX_BITS))
}

fn insert(object: Object) -> Option<usize> {
    let mut t = TABLE.write();
    let index = match t.free.pop_front() {
        Some(i) => i,
        None => {
            if t.slots.len() >= (1 << INDEX_BITS) - 1 {
                return None;
            }
            t.slots.push(Slot {
                generation: 0,
                object: None,
            });
            (t.slots.len() - 1) as u32
        }
    };
    let slot = &mut t.slots[index as usize];
    slot.object = Some(object);
    Some(encode(index, slot.generation))
}

/// The object a handle names, if it is open (right slot, right generation).
fn object_in(t: &Table, h: usize) -> Option<&Object> {
    let (index, generation) = decode(h)?;
    let slot = t.slots.get(index as usize)?;
    if slot.generation & ((1 << GEN_BITS) - 1) != generation {
        return None;
    }
    slot.object.as_ref()
}

fn lookup<T>(h: usize, f: impl FnOnce(&Object) -> Option<T>) -> Option<T> {
    object_in(&TABLE.read(), h).and_then(f)
}

/// What [`remove`] may close.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Socket,
    Event,
    /// `CloseHandle`: an event or a thread.
    Handle,
}

fn remove(h: usize, kind: Kind) -> Option<Object> {
    let (index, generation) = decode(h)?;
    let mut t = TABLE.write();
    let slot = t.slots.get_mut(index as usize)?;
    if slot.generation & ((1 << GEN_BITS) - 1) != generation {
        return None;
    }
    match (&slot.object, kind) {
        (Some(Object::Socket(_)), Kind::Socket)
        | (Some(Object::Event(_)), Kind::Event | Kind::Handle)
        | (Some(Object::Thread(_)), Kind::Handle) => {}
        _ => return None,
    }
    let obj = slot.object.take();
    slot.generation = slot.generation.wrapping_add(1);
    t.free.push_back(index);
    obj
}

/// The socket behind a handle (for the C ABI and for Rust code mixing both APIs).
pub fn socket_of(s: SOCKET) -> Option<Arc<Socket>> {
    lookup(s, |o| match o {
        Object::Socket(sock) => Some(Arc::clone(sock)),
        Object::Event(_) | Object::Thread(_) => None,
    })
}

/// The event behind a handle.
pub fn event_of(h: WSAEVENT) -> Option<Event> {
    lookup(h, |o| match o {
        Object::Event(e) => Some(e.clone()),
        Object::Socket(_) | Object::Thread(_) => None,
    })
}

/// The thread behind a handle.
pub fn thread_of(h: usize) -> Option<ThreadObject> {
    lookup(h, |o| match o {
        Object::Thread(t) => Some(t.clone()),
        Object::Socket(_) | Object::Event(_) => None,
    })
}

/// A handle for a thread object, or 0 with `WSA_NOT_ENOUGH_MEMORY` if the table is full.
pub fn register_thread(t: ThreadObject) -> usize {
    insert(Object::Thread(t)).unwrap_or_else(|| fail(WSA_NOT_ENOUGH_MEMORY, 0))
}

/// `CloseHandle`: closes an event or a thread handle (the thread runs on): `TRUE`, or
/// `FALSE` with `WSA_INVALID_HANDLE` for anything else.
pub fn CloseHandle(h: usize) -> BOOL {
    match remove(h, Kind::Handle) {
        Some(_) => TRUE,
        None => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

/// Resolves every handle into `out` under one look-up of the table; `false` (and `out`
/// empty) if any is not an open event.
fn events_of(handles: &[WSAEVENT], out: &mut Vec<Event>) -> bool {
    out.clear();
    let t = TABLE.read();
    for &h in handles {
        let ev = match object_in(&t, h) {
            Some(Object::Event(e)) => Some(e.clone()),
            // A thread handle is signalled once the thread has ended, as on Windows.
            Some(Object::Thread(th)) => Some(th.done.clone()),
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
pub fn register_event(e: Event) -> WSAEVENT {
    insert(Object::Event(e)).unwrap_or_else(|| fail(WSA_NOT_ENOUGH_MEMORY, WSA_INVALID_EVENT))
}

/// Resolves a socket handle for a Winsock call: `WSANOTINITIALISED` before `WSAStartup`,
/// `WSAENOTSOCK` for a value that is not an open socket.
fn sock(s: SOCKET) -> Result<Arc<Socket>> {
    if !started() {
        return Err(Error::from_code(WSANOTINITIALISED));
    }
    socket_of(s).ok_or(Error::from_code(WSAENOTSOCK))
}

/// Runs a socket call with the Winsock return convention for `i32` results.
fn call(s: SOCKET, f: impl FnOnce(&Socket) -> Result<i32>) -> i32 {
    match sock(s).and_then(|sk| f(&sk)) {
        Ok(v) => v,
        Err(e) => fail(e.code(), SOCKET_ERROR),
    }
}

/// The Winsock return convention for a call on an already resolved socket.
pub(crate) fn ret(r: Result<i32>) -> i32 {
    r.unwrap_or_else(|e| fail(e.code(), SOCKET_ERROR))
}

fn len_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

// ------------------------------------------------------------------------------------------
// Events

/// `WSACreateEvent`: a manual-reset, unsignalled event.
pub fn WSACreateEvent() -> WSAEVENT {
    register_event(Event::new_manual(false))
}

/// `CreateEvent(NULL, manual_reset, initial_state, NULL)`.
pub fn CreateEvent(manual_reset: bool, initial_state: bool) -> WSAEVENT {
    register_event(Event::new(manual_reset, initial_state))
}

/// `WSACloseEvent` / `CloseHandle` on an event: `TRUE`, or `FALSE` with
/// `WSA_INVALID_HANDLE`.
pub fn WSACloseEvent(h: WSAEVENT) -> BOOL {
    match remove(h, Kind::Event) {
        Some(_) => TRUE,
        None => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

/// `WSASetEvent` / `SetEvent`.
pub fn WSASetEvent(h: WSAEVENT) -> BOOL {
    match event_of(h) {
        Some(e) => {
            e.set();
            TRUE
        }
        None => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

/// `WSAResetEvent` / `ResetEvent`.
pub fn WSAResetEvent(h: WSAEVENT) -> BOOL {
    match event_of(h) {
        Some(e) => {
            e.reset();
            TRUE
        }
        None => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

/// `WSAWaitForMultipleEvents(n, events, wait_all, timeout_ms, alertable)` =
/// `WaitForMultipleObjectsEx` (section B.2). Returns `WSA_WAIT_EVENT_0 + i`,
/// `WSA_WAIT_TIMEOUT`, or `WSA_WAIT_FAILED` with the last error: 87 for 0 or more than 64
/// events or (wait-all) a duplicate, 6 for a closed or unknown handle. `alertable` is
/// accepted; no APCs exist, so `WSA_WAIT_IO_COMPLETION` never happens.
pub fn WSAWaitForMultipleEvents(
    events: &[WSAEVENT],
    wait_all: BOOL,
    timeout_ms: DWORD,
    _alertable: BOOL,
) -> DWORD {
    if events.is_empty() || events.len() > WSA_MAXIMUM_WAIT_EVENTS {
        return fail(WSA_INVALID_PARAMETER, WSA_WAIT_FAILED);
    }
    thread_local! {
        // Reused per thread: resolving the handles allocates nothing after the first wait.
        static RESOLVED: std::cell::RefCell<Vec<Event>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let timeout = (timeout_ms != WSA_INFINITE).then(|| Duration::from_millis(timeout_ms.into()));
    let r = RESOLVED.with(|cell| {
        // A wait never re-enters this function on the same thread, but be safe if it did.
        let mut owned;
        let mut guard = cell.try_borrow_mut();
        let evs: &mut Vec<Event> = match guard.as_deref_mut() {
            Ok(v) => v,
            Err(_) => {
                owned = Vec::new();
                &mut owned
            }
        };
        if !events_of(events, evs) {
            return Err(Error::from_code(WSA_INVALID_HANDLE));
        }
        let r = event::wait_owned(evs, wait_all != FALSE, timeout);
        evs.clear();
        r
    });
    match r {
        Ok(WaitOutcome::Signaled(i)) => WSA_WAIT_EVENT_0 + i as DWORD,
        Ok(WaitOutcome::TimedOut) => WSA_WAIT_TIMEOUT,
        Err(e) => fail(e.code(), WSA_WAIT_FAILED),
    }
}

/// `WSAEventSelect(s, event, mask)` (rules 1–7). A closed or unknown event with a non-zero
/// mask is `WSAEINVAL` (rule 6); with mask 0 the event is ignored (rule 5).
pub fn WSAEventSelect(s: SOCKET, h: WSAEVENT, network_events: i32) -> i32 {
    call(s, |sk| {
        let mask = NetworkEvents::from_bits_retain(network_events as u32);
        let ev = if mask.is_empty() {
            None
        } else {
            Some(event_of(h).ok_or(Error::from_code(WSAEINVAL))?)
        };
        sk.event_select(ev.as_ref(), mask)?;
        Ok(0)
    })
}

/// `WSAEnumNetworkEvents(s, event, &out)` (rules 10–15). `event` may be
/// `WSA_INVALID_EVENT` (no reset); a closed or unknown one is `WSAEINVAL` (open question Q5;
/// our choice), and then the record is left as it was (rule 14). Only the `iErrorCode`
/// entries of reported events are written (rule 13).
pub fn WSAEnumNetworkEvents(s: SOCKET, h: WSAEVENT, out: &mut WSANETWORKEVENTS) -> i32 {
    call(s, |sk| enum_network_events_on(sk, h, out))
}

/// [`WSAEnumNetworkEvents`] on a resolved socket (the C ABI resolves it once).
pub(crate) fn enum_network_events_on(
    sk: &Socket,
    h: WSAEVENT,
    out: &mut WSANETWORKEVENTS,
) -> Result<i32> {
    let ev = if h == WSA_INVALID_EVENT {
        None
    } else {
        Some(event_of(h).ok_or(Error::from_code(WSAEINVAL))?)
    };
    let mut rec = NetworkEventRecord {
        network_events: out.lNetworkEvents,
        error_code: out.iErrorCode,
    };
    sk.enum_network_events_into(ev.as_ref(), &mut rec)?;
    out.lNetworkEvents = rec.network_events;
    out.iErrorCode = rec.error_code;
    Ok(0)
}

// ------------------------------------------------------------------------------------------
// Sockets

/// `socket(af, type, protocol)`: `AF_INET`/`AF_INET6` with `SOCK_STREAM` (TCP) or
/// `SOCK_DGRAM` (UDP); protocol 0 or the matching `IPPROTO_*`. A new socket is blocking.
pub fn socket(af: i32, ty: i32, protocol: i32) -> SOCKET {
    if !started() {
        return fail(WSANOTINITIALISED, INVALID_SOCKET);
    }
    let family = match af {
        AF_INET => AddressFamily::Inet,
        AF_INET6 => AddressFamily::Inet6,
        _ => return fail(WSAEAFNOSUPPORT, INVALID_SOCKET),
    };
    let ty = match (ty, protocol) {
        (SOCK_STREAM, 0 | IPPROTO_TCP) => SocketType::Stream,
        (SOCK_DGRAM, 0 | IPPROTO_UDP) => SocketType::Datagram,
        (SOCK_STREAM | SOCK_DGRAM, _) => return fail(WSAEPROTONOSUPPORT, INVALID_SOCKET),
        _ => return fail(WSAESOCKTNOSUPPORT, INVALID_SOCKET),
    };
    match Socket::new(family, ty) {
        Ok(s) => {
            insert(Object::Socket(Arc::new(s))).unwrap_or_else(|| fail(WSAEMFILE, INVALID_SOCKET))
        }
        Err(e) => fail(e.code(), INVALID_SOCKET),
    }
}

/// `closesocket`: cancels the selection, leaves the event untouched (rule 43). The handle
/// is invalid from here on, even while another thread still uses the socket.
pub fn closesocket(s: SOCKET) -> i32 {
    if !started() {
        return fail(WSANOTINITIALISED, SOCKET_ERROR);
    }
    match remove(s, Kind::Socket) {
        Some(_) => 0,
        None => fail(WSAENOTSOCK, SOCKET_ERROR),
    }
}

/// `bind`.
pub fn bind(s: SOCKET, addr: &SocketAddr) -> i32 {
    call(s, |sk| sk.bind(*addr).map(|_| 0))
}

/// `listen`. (Named `listen_` too, for code where `listen` is shadowed.)
pub fn listen(s: SOCKET, backlog: i32) -> i32 {
    call(s, |sk| sk.listen(backlog).map(|_| 0))
}

/// `listen`, under a name that does not clash with a local variable called `listen`.
pub fn listen_(s: SOCKET, backlog: i32) -> i32 {
    listen(s, backlog)
}

/// `accept`: the new socket's handle, with the peer's address in `addr` if given.
pub fn accept(s: SOCKET, addr: Option<&mut SocketAddr>) -> SOCKET {
    let r = sock(s).and_then(|sk| sk.accept());
    match r {
        Ok((new, peer)) => {
            if let Some(a) = addr {
                *a = peer;
            }
            insert(Object::Socket(Arc::new(new))).unwrap_or_else(|| fail(WSAEMFILE, INVALID_SOCKET))
        }
        Err(e) => fail(e.code(), INVALID_SOCKET),
    }
}

/// `connect`.
pub fn connect(s: SOCKET, addr: &SocketAddr) -> i32 {
    call(s, |sk| sk.connect(*addr).map(|_| 0))
}

fn msg_flags(flags: i32) -> Result<MsgFlags> {
    if flags & !(MSG_OOB | MSG_PEEK) != 0 {
        return Err(Error::from_code(WSAEOPNOTSUPP));
    }
    Ok(MsgFlags {
        peek: flags & MSG_PEEK != 0,
        oob: flags & MSG_OOB != 0,
    })
}

/// `recv(s, buf, len, flags)` with `MSG_PEEK` and/or `MSG_OOB`.
pub fn recv(s: SOCKET, buf: &mut [u8], flags: i32) -> i32 {
    call(s, |sk| recv_on(sk, buf, flags))
}

/// [`recv`] on a resolved socket.
pub(crate) fn recv_on(sk: &Socket, buf: &mut [u8], flags: i32) -> Result<i32> {
    let f = msg_flags(flags)?;
    sk.recv_with_flags(buf, f).map(len_i32)
}

/// `send(s, buf, len, flags)` with `MSG_OOB`.
pub fn send(s: SOCKET, buf: &[u8], flags: i32) -> i32 {
    call(s, |sk| send_on(sk, buf, flags))
}

/// [`send`] on a resolved socket.
pub(crate) fn send_on(sk: &Socket, buf: &[u8], flags: i32) -> Result<i32> {
    let f = msg_flags(flags)?;
    if f.peek {
        return Err(Error::from_code(WSAEOPNOTSUPP));
    }
    if f.oob {
        sk.send_oob(buf).map(len_i32)
    } else {
        sk.send(buf).map(len_i32)
    }
}

/// `recvfrom`.
pub fn recvfrom(s: SOCKET, buf: &mut [u8], flags: i32, from: Option<&mut SocketAddr>) -> i32 {
    call(s, |sk| {
        let f = msg_flags(flags)?;
        if sk.socket_type() == SocketType::Stream {
            // Windows ignores the address arguments on connection-oriented sockets.
            return sk.recv_with_flags(buf, f).map(len_i32);
        }
        let (n, addr) = sk.recv_from_with_flags(buf, f)?;
        if let Some(a) = from {
            *a = addr;
        }
        Ok(len_i32(n))
    })
}

/// `sendto`.
pub fn sendto(s: SOCKET, buf: &[u8], flags: i32, to: &SocketAddr) -> i32 {
    call(s, |sk| {
        let f = msg_flags(flags)?;
        if f.peek || f.oob {
            return Err(Error::from_code(WSAEOPNOTSUPP));
        }
        sk.send_to(buf, *to).map(len_i32)
    })
}

/// `shutdown(s, SD_RECEIVE | SD_SEND | SD_BOTH)`; another `how` is `WSAEINVAL`.
pub fn shutdown(s: SOCKET, how: i32) -> i32 {
    call(s, |sk| {
        let how = match how {
            SD_RECEIVE => Shutdown::Read,
            SD_SEND => Shutdown::Write,
            SD_BOTH => Shutdown::Both,
            _ => return Err(Error::from_code(WSAEINVAL)),
        };
        sk.shutdown(how).map(|_| 0)
    })
}

/// `ioctlsocket(s, FIONBIO | FIONREAD | SIOCATMARK, &arg)`.
pub fn ioctlsocket(s: SOCKET, cmd: u32, arg: &mut u32) -> i32 {
    call(s, |sk| {
        match cmd {
            FIONBIO => sk.set_nonblocking(*arg != 0)?,
            FIONREAD => *arg = u32::try_from(sk.bytes_available()?).unwrap_or(u32::MAX),
            SIOCATMARK => *arg = u32::from(sk.at_mark()?),
            _ => return Err(Error::from_code(WSAEINVAL)),
        }
        Ok(0)
    })
}

/// `getsockname`.
pub fn getsockname(s: SOCKET, addr: &mut SocketAddr) -> i32 {
    call(s, |sk| {
        *addr = sk.local_addr()?;
        Ok(0)
    })
}

/// `getpeername`.
pub fn getpeername(s: SOCKET, addr: &mut SocketAddr) -> i32 {
    call(s, |sk| {
        *addr = sk.peer_addr()?;
        Ok(0)
    })
}

fn opt_int(val: &[u8]) -> Result<i32> {
    match val.len() {
        0 => Err(Error::from_code(WSAEFAULT)),
        1..=3 => Ok(i32::from(val[0])),
        _ => Ok(i32::from_ne_bytes([val[0], val[1], val[2], val[3]])),
    }
}

/// `setsockopt(s, level, name, optval)`: `SOL_SOCKET` `SO_LINGER` (a 4-byte `LINGER`),
/// `SO_REUSEADDR`, `SO_OOBINLINE`, `SO_RCVBUF`, `SO_SNDBUF`, `SO_KEEPALIVE`; `IPPROTO_TCP`
/// `TCP_NODELAY`. An empty value is `WSAEFAULT`; an unknown option `WSAENOPROTOOPT`.
pub fn setsockopt(s: SOCKET, level: i32, name: i32, optval: &[u8]) -> i32 {
    call(s, |sk| {
        match (level, name) {
            (SOL_SOCKET, SO_LINGER) => {
                if optval.len() < 4 {
                    return Err(Error::from_code(WSAEFAULT));
                }
                let onoff = u16::from_ne_bytes([optval[0], optval[1]]);
                let secs = u16::from_ne_bytes([optval[2], optval[3]]);
                sk.set_linger((onoff != 0).then(|| Duration::from_secs(secs.into())))?;
            }
            (SOL_SOCKET, SO_REUSEADDR) => sk.set_reuse_address(opt_int(optval)? != 0)?,
            (SOL_SOCKET, SO_OOBINLINE) => sk.set_oob_inline(opt_int(optval)? != 0)?,
            (SOL_SOCKET, SO_KEEPALIVE) => sk.set_keepalive(opt_int(optval)? != 0)?,
            (SOL_SOCKET, SO_RCVBUF) => sk.set_recv_buffer_size(opt_int(optval)?.max(0) as usize)?,
            (SOL_SOCKET, SO_SNDBUF) => sk.set_send_buffer_size(opt_int(optval)?.max(0) as usize)?,
            (IPPROTO_TCP, TCP_NODELAY) => sk.set_nodelay(opt_int(optval)? != 0)?,
            (SOL_SOCKET, SO_ERROR | SO_TYPE) => return Err(Error::from_code(WSAENOPROTOOPT)),
            _ => return Err(Error::from_code(WSAENOPROTOOPT)),
        }
        Ok(0)
    })
}

/// `getsockopt(s, level, name, optval, &optlen)`: the options of [`setsockopt`] plus
/// `SO_ERROR` (Windows' persistence: rules 33, 39) and `SO_TYPE`. A buffer shorter than the
/// value is `WSAEFAULT`; `optlen` receives the length written.
pub fn getsockopt(s: SOCKET, level: i32, name: i32, optval: &mut [u8], optlen: &mut i32) -> i32 {
    call(s, |sk| {
        let value: [u8; 4] = match (level, name) {
            (SOL_SOCKET, SO_LINGER) => {
                let l = sk.linger()?;
                let onoff: u16 = l.is_some().into();
                let secs = l.map_or(0, |d| u16::try_from(d.as_secs()).unwrap_or(u16::MAX));
                let mut v = [0u8; 4];
                v[..2].copy_from_slice(&onoff.to_ne_bytes());
                v[2..].copy_from_slice(&secs.to_ne_bytes());
                v
            }
            (SOL_SOCKET, SO_REUSEADDR) => i32::from(sk.reuse_address()?).to_ne_bytes(),
            (SOL_SOCKET, SO_OOBINLINE) => i32::from(sk.oob_inline()?).to_ne_bytes(),
            (SOL_SOCKET, SO_KEEPALIVE) => i32::from(sk.keepalive()?).to_ne_bytes(),
            (SOL_SOCKET, SO_RCVBUF) => len_i32(sk.recv_buffer_size()?).to_ne_bytes(),
            (SOL_SOCKET, SO_SNDBUF) => len_i32(sk.send_buffer_size()?).to_ne_bytes(),
            (SOL_SOCKET, SO_ERROR) => sk.take_error()?.map_or(0, |e| e.code()).to_ne_bytes(),
            (SOL_SOCKET, SO_TYPE) => match sk.socket_type() {
                SocketType::Stream => SOCK_STREAM,
                SocketType::Datagram => SOCK_DGRAM,
            }
            .to_ne_bytes(),
            (IPPROTO_TCP, TCP_NODELAY) => i32::from(sk.nodelay()?).to_ne_bytes(),
            _ => return Err(Error::from_code(WSAENOPROTOOPT)),
        };
        if optval.len() < 4 || *optlen < 4 {
            return Err(Error::from_code(WSAEFAULT));
        }
        optval[..4].copy_from_slice(&value);
        *optlen = 4;
        Ok(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() {
        let mut d = WSADATA::default();
        assert_eq!(WSAStartup(MAKEWORD(2, 2), &mut d), 0);
        assert_eq!(d.wVersion, MAKEWORD(2, 2));
        assert_eq!(d.wHighVersion, MAKEWORD(2, 2));
    }

    #[test]
    fn handles_encode_small_values_and_roundtrip() {
        for (i, g) in [(0, 0), (5, 3), ((1 << INDEX_BITS) - 2, 511)] {
            let h = encode(i, g);
            assert_eq!(h % 4, 0);
            assert!(h < 1 << 31);
            assert_eq!(decode(h), Some((i, g)));
        }
        assert_eq!(decode(0), None);
        assert_eq!(decode(INVALID_SOCKET), None);
        assert_eq!(decode(6), None);
    }

    /// B.1: closed event handles are refused with WSA_INVALID_HANDLE, and the closed value
    /// does not reach a newer event.
    #[test]
    fn b1_closed_event_handle_is_invalid() {
        let h = WSACreateEvent();
        assert_ne!(h, WSA_INVALID_EVENT);
        assert_eq!(WSACloseEvent(h), TRUE);
        let newer = WSACreateEvent();
        assert_ne!(newer, h);
        assert_eq!(WSASetEvent(h), FALSE);
        assert_eq!(WSAGetLastError(), WSA_INVALID_HANDLE);
        assert_eq!(WSACloseEvent(h), FALSE);
        assert_eq!(WSAGetLastError(), WSA_INVALID_HANDLE);
        assert_eq!(
            WSAWaitForMultipleEvents(&[h], FALSE, 0, FALSE),
            WSA_WAIT_FAILED
        );
        assert_eq!(WSAGetLastError(), WSA_INVALID_HANDLE);
        WSACloseEvent(newer);
    }

    /// B.2 error rules through the facade.
    #[test]
    fn b2_wait_errors() {
        let a = WSACreateEvent();
        assert_eq!(
            WSAWaitForMultipleEvents(&[], FALSE, 0, FALSE),
            WSA_WAIT_FAILED
        );
        assert_eq!(WSAGetLastError(), WSA_INVALID_PARAMETER);
        assert_eq!(
            WSAWaitForMultipleEvents(&[a; 65], FALSE, 0, FALSE),
            WSA_WAIT_FAILED
        );
        assert_eq!(WSAGetLastError(), WSA_INVALID_PARAMETER);
        assert_eq!(
            WSAWaitForMultipleEvents(&[a, a], TRUE, 0, FALSE),
            WSA_WAIT_FAILED
        );
        assert_eq!(WSAGetLastError(), WSA_INVALID_PARAMETER);
        assert_eq!(
            WSAWaitForMultipleEvents(&[a, a], FALSE, 0, FALSE),
            WSA_WAIT_TIMEOUT
        );
        assert_eq!(WSASetEvent(a), TRUE);
        assert_eq!(
            WSAWaitForMultipleEvents(&[a, a], FALSE, 0, FALSE),
            WSA_WAIT_EVENT_0
        );
        assert_eq!(WSAResetEvent(a), TRUE);
        assert_eq!(
            WSAWaitForMultipleEvents(&[a], FALSE, 10, FALSE),
            WSA_WAIT_TIMEOUT
        );
        // A socket handle is not an event.
        start();
        let s = socket(AF_INET, SOCK_DGRAM, 0);
        assert_eq!(
            WSAWaitForMultipleEvents(&[s], FALSE, 0, FALSE),
            WSA_WAIT_FAILED
        );
        assert_eq!(WSAGetLastError(), WSA_INVALID_HANDLE);
        assert_eq!(WSACloseEvent(s), FALSE);
        assert_eq!(closesocket(a), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAENOTSOCK);
        closesocket(s);
        WSACloseEvent(a);
        WSACleanup();
    }

    /// Bad socket handles: WSAENOTSOCK, also for a closed value; rule 6 WSAEINVAL for a bad
    /// event with a mask; rule 14 for enumeration.
    #[test]
    fn bad_handles() {
        start();
        let s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assert_ne!(s, INVALID_SOCKET);
        assert_eq!(WSAEventSelect(s, 0, FD_READ), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAEINVAL);
        assert_eq!(WSAEventSelect(s, 0, 0), 0);
        let mut ne = WSANETWORKEVENTS::default();
        assert_eq!(WSAEnumNetworkEvents(s, 12345 * 4, &mut ne), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAEINVAL);
        assert_eq!(closesocket(s), 0);
        assert_eq!(closesocket(s), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAENOTSOCK);
        let mut buf = [0u8; 4];
        assert_eq!(recv(s, &mut buf, 0), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAENOTSOCK);
        assert_eq!(socket(99, SOCK_STREAM, 0), INVALID_SOCKET);
        assert_eq!(WSAGetLastError(), WSAEAFNOSUPPORT);
        WSACleanup();
    }

    /// WSAStartup's version table (ReactOS' WSAStartup apitest, run against Windows).
    #[test]
    fn startup_versions() {
        let mk = |major: u8, minor: u8| MAKEWORD(major, minor);
        for (req, want) in [
            (mk(0, 0), None),
            (mk(0, 9), None),
            (mk(1, 0), Some(mk(1, 0))),
            (mk(1, 1), Some(mk(1, 1))),
            (mk(1, 2), Some(mk(1, 1))),
            (mk(1, 255), Some(mk(1, 1))),
            (mk(2, 0), Some(mk(2, 0))),
            (mk(2, 1), Some(mk(2, 1))),
            (mk(2, 2), Some(mk(2, 2))),
            (mk(2, 3), Some(mk(2, 2))),
            (mk(3, 0), Some(mk(2, 2))),
            (mk(255, 255), Some(mk(2, 2))),
        ] {
            assert_eq!(granted_version(req), want, "{req:#06x}");
        }
    }

    #[test]
    fn startup_fills_wsadata_and_counts() {
        let mut d = WSADATA::default();
        assert_eq!(WSAStartup(MAKEWORD(0, 9), &mut d), WSAVERNOTSUPPORTED);
        assert_eq!(d.wVersion, MAKEWORD(2, 2), "filled even when refused");
        assert_eq!(startup(MAKEWORD(2, 2), false).0, WSAEFAULT);
        assert_eq!(WSAStartup(MAKEWORD(1, 1), &mut d), 0);
        assert_eq!(WSAGetLastError(), 0);
        assert_eq!(
            (d.wVersion, d.iMaxSockets, d.iMaxUdpDg),
            (MAKEWORD(1, 1), 32767, 65467)
        );
        assert_eq!(&d.szDescription[..12], b"WinSock 2.0\0");
        assert_eq!(&d.szSystemStatus[..8], b"Running\0");
        assert_eq!(WSAStartup(MAKEWORD(3, 0), &mut d), 0);
        assert_eq!((d.wVersion, d.iMaxSockets), (MAKEWORD(2, 2), 0));
        assert_eq!(WSACleanup(), 0);
        assert_eq!(WSACleanup(), 0);
    }

    #[test]
    fn wsadata_layout() {
        use std::mem::{offset_of, size_of};
        #[cfg(target_pointer_width = "64")]
        {
            assert_eq!(size_of::<WSADATA>(), 408);
            assert_eq!(offset_of!(WSADATA, lpVendorInfo), 8);
            assert_eq!(offset_of!(WSADATA, szDescription), 16);
            assert_eq!(offset_of!(WSADATA, szSystemStatus), 273);
        }
        #[cfg(target_pointer_width = "32")]
        assert_eq!(size_of::<WSADATA>(), 400);
    }

    #[test]
    fn last_error_is_per_thread() {
        WSASetLastError(42);
        std::thread::spawn(|| assert_eq!(WSAGetLastError(), 0))
            .join()
            .unwrap();
        assert_eq!(WSAGetLastError(), 42);
    }
}
