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
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::net::{Shutdown, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use parking_lot::RwLock;

pub use crate::error::*;
use crate::event::{self, ApcQueue, Event, WaitOutcome};
use crate::iocp::CompletionPort;
use crate::overlapped::{CancelFilter, Notify, OpKind, OpResult, Overlapped};
use crate::select::{self, Watch};
use crate::socket::{AddressFamily, MsgFlags, PollLevel, Socket, SocketType};
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
/// `WSA_WAIT_IO_COMPLETION`: an alertable wait ran queued completion routines or APCs.
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
/// `SO_DEBUG`.
pub const SO_DEBUG: i32 = 0x0001;
/// `SO_UPDATE_ACCEPT_CONTEXT` (mswsock.h): the value is the listening `SOCKET`.
pub const SO_UPDATE_ACCEPT_CONTEXT: i32 = 0x700B;
/// `SO_UPDATE_CONNECT_CONTEXT` (mswsock.h): no value.
pub const SO_UPDATE_CONNECT_CONTEXT: i32 = 0x7010;
/// `SO_ACCEPTCONN`: whether the socket listens (read-only).
pub const SO_ACCEPTCONN: i32 = 0x0002;
/// `SO_DONTROUTE`.
pub const SO_DONTROUTE: i32 = 0x0010;
/// `SO_BROADCAST`.
pub const SO_BROADCAST: i32 = 0x0020;
/// `SO_DONTLINGER`: `(int)(~SO_LINGER)`.
pub const SO_DONTLINGER: i32 = !SO_LINGER;
/// `SO_EXCLUSIVEADDRUSE`: `(int)(~SO_REUSEADDR)`.
pub const SO_EXCLUSIVEADDRUSE: i32 = !SO_REUSEADDR;
/// `SO_SNDTIMEO`: a `DWORD` of milliseconds, 0 for none.
pub const SO_SNDTIMEO: i32 = 0x1005;
/// `SO_RCVTIMEO`: a `DWORD` of milliseconds, 0 for none.
pub const SO_RCVTIMEO: i32 = 0x1006;
/// `IPPROTO_IP`.
pub const IPPROTO_IP: i32 = 0;
/// `IPPROTO_IPV6`.
pub const IPPROTO_IPV6: i32 = 41;
/// `IP_TTL` (`IPPROTO_IP`).
pub const IP_TTL: i32 = 4;
/// `IPV6_V6ONLY` (`IPPROTO_IPV6`); on by default for `AF_INET6` sockets, as on Windows.
pub const IPV6_V6ONLY: i32 = 27;
/// `SIO_KEEPALIVE_VALS` (`_WSAIOW(IOC_VENDOR, 4)`, mstcpip.h): a [`tcp_keepalive`] in.
pub const SIO_KEEPALIVE_VALS: u32 = 0x9800_0004;

/// `struct tcp_keepalive` (mstcpip.h), the input of `WSAIoctl(SIO_KEEPALIVE_VALS)`: times in
/// milliseconds.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct tcp_keepalive {
    /// Non-zero turns keep-alive on.
    pub onoff: u32,
    /// Idle time before the first probe, in milliseconds.
    pub keepalivetime: u32,
    /// Time between probes, in milliseconds.
    pub keepaliveinterval: u32,
}

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
/// Orders `WSAStartup` against the last `WSACleanup`'s sweep.
static STARTUP_LOCK: parking_lot::Mutex<()> = parking_lot::Mutex::new(());

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

/// The success path of every socket function: as on Windows, a socket call that succeeds
/// sets the last error to 0 (`NO_ERROR`), so code reading `WSAGetLastError()` after a
/// success (Wine's Windows-run ws2_32 tests do, after `setsockopt`, `getsockopt`,
/// `getsockname`, `send`, `sendto`, `recvfrom`, `WSARecv`, `WSAIoctl`, `WSASocket`) sees 0,
/// not a stale error. Every socket function returns through this (directly, or through
/// [`call`] / [`ret`]), so a function added later gets the rule by construction. Event and
/// wait functions are kernel32's on Windows and leave the last error alone on success (all
/// but event creation, see [`register_event`]); they do not use this. The table is in docs/semantics.md ("The last error after success").
pub(crate) fn succeed<T>(value: T) -> T {
    WSASetLastError(0);
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
            let _guard = STARTUP_LOCK.lock();
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
///
/// The last one (the count back at 0) closes every socket still open, as `closesocket`
/// would: calls blocked in them fail with `WSAEINTR`, and their `SOCKET` values give
/// `WSAENOTSOCK` from then on, also after a new `WSAStartup`. Event handles are not
/// sockets and stay valid. (Sockets of the Rust [`Socket`] API that were never put in the
/// handle table are not Winsock handles and are left alone.)
pub fn WSACleanup() -> i32 {
    // Held across the count's change and the sweep, so a concurrent `WSAStartup` (and the
    // sockets created after it) comes entirely after the sweep or entirely before it.
    let _guard = STARTUP_LOCK.lock();
    let r = STARTUPS.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    match r {
        Ok(1) => {
            for sock in remove_all_sockets() {
                let _ = sock.close();
            }
            0
        }
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

fn insert(object: Object) -> Option<usize> {
    TABLE.write().insert(object)
}

/// The object a handle names, if it is open.
fn object_in(t: &Table, h: usize) -> Option<&Object> {
    t.objects.get(&decode(h)?)
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
fn remove_all_sockets() -> Vec<Arc<Socket>> {
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
fn events_of(handles: &[WSAEVENT], out: &mut Vec<Event>) -> bool {
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
fn sock(s: SOCKET) -> Result<Arc<Socket>> {
    if !started() {
        return Err(Error::from_code(WSANOTINITIALISED));
    }
    socket_of(s).ok_or(Error::from_code(WSAENOTSOCK))
}

/// Runs a socket call with the Winsock return convention for `i32` results.
/// Success sets the last error to 0 ([`succeed`]), failure to the error's code.
fn call(s: SOCKET, f: impl FnOnce(&Socket) -> Result<i32>) -> i32 {
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
/// events or (wait-all) a duplicate, 6 for a closed or unknown handle. With `alertable`, a
/// wait that no event satisfies first runs the thread's queued completion routines and
/// APCs and returns `WSA_WAIT_IO_COMPLETION` (see [`crate::wait_any_alertable`]).
pub fn WSAWaitForMultipleEvents(
    events: &[WSAEVENT],
    wait_all: BOOL,
    timeout_ms: DWORD,
    alertable: BOOL,
) -> DWORD {
    if events.is_empty() || events.len() > WSA_MAXIMUM_WAIT_EVENTS {
        return fail(WSA_INVALID_PARAMETER, WSA_WAIT_FAILED);
    }
    thread_local! {
        // Reused per thread: resolving the handles allocates nothing after the first wait.
        static RESOLVED: std::cell::RefCell<Vec<Event>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let timeout = (timeout_ms != WSA_INFINITE).then(|| Duration::from_millis(timeout_ms.into()));
    let wait = |evs: &mut Vec<Event>| {
        if !events_of(events, evs) {
            return Err(Error::from_code(WSA_INVALID_HANDLE));
        }
        let r = event::wait_owned_ex(evs, wait_all != FALSE, timeout, alertable != FALSE);
        evs.clear();
        r
    };
    // From a thread-exit path (a pthread key or C++ thread_local destructor running after
    // this thread's Rust thread-locals are destroyed), the per-thread vector is gone: wait
    // with a local one instead (issue 8, item 9). A completion routine or APC that an
    // alertable wait runs may wait again on the same thread: the vector is then borrowed,
    // and handled the same way.
    let r = RESOLVED
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut v) => Some(wait(&mut v)),
            Err(_) => None,
        })
        .ok()
        .flatten()
        .unwrap_or_else(|| wait(&mut Vec::new()));
    match r {
        Ok(WaitOutcome::Signaled(i)) => WSA_WAIT_EVENT_0 + i as DWORD,
        Ok(WaitOutcome::TimedOut) => WSA_WAIT_TIMEOUT,
        Ok(WaitOutcome::IoCompletion) => WSA_WAIT_IO_COMPLETION,
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
        Ok(s) => insert(Object::Socket(Arc::new(s)))
            .map_or_else(|| fail(WSAEMFILE, INVALID_SOCKET), succeed),
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
        // Closes it for every user: calls blocked in it fail WSAEINTR (`Socket::close`).
        Some(Object::Socket(sock)) => ret(sock.close().map(|()| 0)),
        _ => fail(WSAENOTSOCK, SOCKET_ERROR),
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
            insert(Object::Socket(Arc::new(new)))
                .map_or_else(|| fail(WSAEMFILE, INVALID_SOCKET), succeed)
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

/// `ioctlsocket(s, FIONBIO | FIONREAD | SIOCATMARK, &arg)`; another code is `WSAEOPNOTSUPP`.
pub fn ioctlsocket(s: SOCKET, cmd: u32, arg: &mut u32) -> i32 {
    call(s, |sk| {
        match cmd {
            FIONBIO => sk.set_nonblocking(*arg != 0)?,
            FIONREAD => *arg = u32::try_from(sk.bytes_available()?).unwrap_or(u32::MAX),
            SIOCATMARK => *arg = u32::from(sk.at_mark()?),
            // ioctlsocket is WSAIoctl without the buffers on Windows: an unknown code is
            // WSAEOPNOTSUPP (Wine's Windows-run test_unsupported_ioctls).
            _ => return Err(Error::from_code(WSAEOPNOTSUPP)),
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

// ------------------------------------------------------------------------------------------
// The extended WSA calls (issue 9 §6), not overlapped

/// `WSA_FLAG_OVERLAPPED`: accepted by [`WSASocket`]; overlapped calls are not provided yet.
pub const WSA_FLAG_OVERLAPPED: u32 = 0x01;
/// `WSA_FLAG_NO_HANDLE_INHERIT`: accepted (every socket here is close-on-exec).
pub const WSA_FLAG_NO_HANDLE_INHERIT: u32 = 0x80;
/// `MSG_PARTIAL` (never reported: TCP and UDP are not partial-message protocols).
pub const MSG_PARTIAL: u32 = 0x8000;
/// `CF_ACCEPT`: a [`WSAAccept`] condition function keeps the connection.
pub const CF_ACCEPT: i32 = 0;
/// `CF_REJECT`: the connection is reset and `WSAAccept` fails `WSAECONNREFUSED`.
pub const CF_REJECT: i32 = 1;
/// `CF_DEFER` (needs `SO_CONDITIONAL_ACCEPT`, not provided: treated as invalid).
pub const CF_DEFER: i32 = 2;

/// The largest buffer one vectored receive reads into: all a datagram can hold, and for a
/// stream as much as one receive usually returns (a stream receive may return less than
/// asked for, so this changes no result).
const STREAM_GATHER_MAX: usize = 1 << 20;
const DGRAM_MAX: usize = 65_536;

/// `WSASocketA/W(af, type, protocol, NULL, 0, flags)`: [`socket`] with flags; flags other
/// than `WSA_FLAG_OVERLAPPED` and `WSA_FLAG_NO_HANDLE_INHERIT` are `WSAEINVAL` (our choice:
/// the multipoint and registered-I/O flags are not provided).
pub fn WSASocket(af: i32, ty: i32, protocol: i32, flags: u32) -> SOCKET {
    if !started() {
        return fail(WSANOTINITIALISED, INVALID_SOCKET);
    }
    if flags & !(WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT) != 0 {
        return fail(WSAEINVAL, INVALID_SOCKET);
    }
    socket(af, ty, protocol)
}

/// One receive scattered over `bufs`: a stream or datagram receive into one buffer of the
/// total size, copied out in order. A datagram larger than the buffers fills them and fails
/// `WSAEMSGSIZE`, as `recvfrom`.
pub(crate) fn recv_vectored_on(
    sk: &Socket,
    bufs: &mut [&mut [u8]],
    flags: i32,
    from: Option<&mut SocketAddr>,
) -> Result<usize> {
    if bufs.is_empty() {
        return Err(Error::from_code(WSAEINVAL));
    }
    let f = msg_flags(flags)?;
    let stream = sk.socket_type() == SocketType::Stream;
    if let [one] = bufs {
        // One buffer: received into directly.
        return if stream {
            sk.recv_with_flags(one, f)
        } else {
            let (n, a) = sk.recv_from_with_flags(one, f)?;
            if let Some(out) = from {
                *out = a;
            }
            Ok(n)
        };
    }
    let total: usize = bufs.iter().map(|b| b.len()).sum();
    let mut tmp = vec![0u8; total.min(if stream { STREAM_GATHER_MAX } else { DGRAM_MAX })];
    let r = if stream {
        sk.recv_with_flags(&mut tmp, f)
    } else {
        sk.recv_from_with_flags(&mut tmp, f).map(|(n, a)| {
            if let Some(out) = from {
                *out = a;
            }
            n
        })
    };
    let filled = match &r {
        Ok(n) => *n,
        Err(e) if e.code() == WSAEMSGSIZE => tmp.len(),
        Err(_) => 0,
    };
    let mut rest = &tmp[..filled];
    for b in bufs.iter_mut() {
        let k = rest.len().min(b.len());
        b[..k].copy_from_slice(&rest[..k]);
        rest = &rest[k..];
    }
    r
}

/// One send of `bufs` gathered (one datagram on UDP); `to` for `WSASendTo`.
pub(crate) fn send_vectored_on(
    sk: &Socket,
    bufs: &[&[u8]],
    flags: i32,
    to: Option<&SocketAddr>,
) -> Result<usize> {
    if bufs.is_empty() {
        return Err(Error::from_code(WSAEINVAL));
    }
    let joined;
    let data: &[u8] = if bufs.len() == 1 {
        bufs[0]
    } else {
        joined = bufs.concat();
        &joined
    };
    match to {
        Some(addr) if sk.socket_type() == SocketType::Datagram => {
            let f = msg_flags(flags)?;
            if f.peek || f.oob {
                return Err(Error::from_code(WSAEOPNOTSUPP));
            }
            sk.send_to(data, *addr)
        }
        _ => send_on(sk, data, flags).map(|n| n as usize),
    }
}

/// `WSARecv(s, bufs, n, &bytes, &flags, NULL, NULL)`: 0 with the bytes received (0 at end
/// of stream), or `SOCKET_ERROR`. `flags` (`MSG_PEEK`, `MSG_OOB`) is left as passed: no
/// output flag applies to TCP or UDP (`MSG_PARTIAL` is for partial-message protocols).
/// No buffers is `WSAEINVAL`.
pub fn WSARecv(s: SOCKET, bufs: &mut [&mut [u8]], bytes: &mut u32, flags: &mut u32) -> i32 {
    call(s, |sk| {
        let n = recv_vectored_on(sk, bufs, *flags as i32, None)?;
        *bytes = u32::try_from(n).unwrap_or(u32::MAX);
        Ok(0)
    })
}

/// `WSARecvFrom`: [`WSARecv`] with the sender's address (datagram sockets; a stream
/// socket leaves `from` alone, as `recvfrom`).
pub fn WSARecvFrom(
    s: SOCKET,
    bufs: &mut [&mut [u8]],
    bytes: &mut u32,
    flags: &mut u32,
    from: Option<&mut SocketAddr>,
) -> i32 {
    call(s, |sk| {
        let n = recv_vectored_on(sk, bufs, *flags as i32, from)?;
        *bytes = u32::try_from(n).unwrap_or(u32::MAX);
        Ok(0)
    })
}

/// `WSASend(s, bufs, n, &bytes, flags, NULL, NULL)`: 0 with the bytes sent, or
/// `SOCKET_ERROR`.
pub fn WSASend(s: SOCKET, bufs: &[&[u8]], bytes: &mut u32, flags: u32) -> i32 {
    call(s, |sk| {
        let n = send_vectored_on(sk, bufs, flags as i32, None)?;
        *bytes = u32::try_from(n).unwrap_or(u32::MAX);
        Ok(0)
    })
}

/// `WSASendTo`: [`WSASend`] to `to` (ignored on a stream socket, as `sendto`).
pub fn WSASendTo(s: SOCKET, bufs: &[&[u8]], bytes: &mut u32, flags: u32, to: &SocketAddr) -> i32 {
    call(s, |sk| {
        let n = send_vectored_on(sk, bufs, flags as i32, Some(to))?;
        *bytes = u32::try_from(n).unwrap_or(u32::MAX);
        Ok(0)
    })
}

/// A [`WSAAccept`] condition function: given the caller's and the local address, returns
/// [`CF_ACCEPT`] or [`CF_REJECT`].
pub type ConditionFn<'a> = &'a mut dyn FnMut(&SocketAddr, &SocketAddr) -> i32;

/// `WSAAccept(s, addr, addrlen, condition, data)`: [`accept`]; then, with a condition
/// function, `CF_ACCEPT` keeps the connection, `CF_REJECT` resets it (the peer sees a RST)
/// and fails `WSAECONNREFUSED`, anything else resets it and fails `WSAEINVAL`.
pub fn WSAAccept(
    s: SOCKET,
    addr: Option<&mut SocketAddr>,
    condition: Option<ConditionFn<'_>>,
) -> SOCKET {
    let r = sock(s).and_then(|sk| sk.accept());
    let (new, peer) = match r {
        Ok(x) => x,
        Err(e) => return fail(e.code(), INVALID_SOCKET),
    };
    if let Some(cond) = condition {
        let local = new.local_addr().unwrap_or(peer);
        let verdict = cond(&peer, &local);
        if verdict != CF_ACCEPT {
            let _ = new.set_linger(Some(Duration::ZERO));
            drop(new);
            let code = if verdict == CF_REJECT {
                WSAECONNREFUSED
            } else {
                WSAEINVAL
            };
            return fail(code, INVALID_SOCKET);
        }
    }
    if let Some(a) = addr {
        *a = peer;
    }
    insert(Object::Socket(Arc::new(new))).map_or_else(|| fail(WSAEMFILE, INVALID_SOCKET), succeed)
}

/// `WSAConnect(s, name, namelen, NULL, NULL, NULL, NULL)`: [`connect`].
pub fn WSAConnect(s: SOCKET, addr: &SocketAddr) -> i32 {
    connect(s, addr)
}

/// `SIO_ADDRESS_LIST_QUERY` (`_WSAIOR(IOC_WS2, 22)`): the local address list.
pub const SIO_ADDRESS_LIST_QUERY: u32 = 0x4800_0016;
/// `SIO_ADDRESS_LIST_CHANGE` (`_WSAIO(IOC_WS2, 23)`): one notification of its next change.
pub const SIO_ADDRESS_LIST_CHANGE: u32 = 0x2800_0017;
/// `SIO_ROUTING_INTERFACE_QUERY` (`_WSAIORW(IOC_WS2, 20)`): the local address to a
/// destination.
pub const SIO_ROUTING_INTERFACE_QUERY: u32 = 0xC800_0014;
/// `SIO_ROUTING_INTERFACE_CHANGE` (`_WSAIOW(IOC_WS2, 21)`): one notification of the next
/// change of the route to a destination.
pub const SIO_ROUTING_INTERFACE_CHANGE: u32 = 0x8800_0015;

/// `WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, …)`: [`Socket::address_list_change`] (0, or
/// `SOCKET_ERROR` with `WSAEWOULDBLOCK` on a non-blocking socket, the notification then
/// being `FD_ADDRESS_LIST_CHANGE`).
pub fn address_list_change(s: SOCKET) -> i32 {
    call(s, |sk| sk.address_list_change().map(|()| 0))
}

/// `WSAIoctl(s, SIO_ROUTING_INTERFACE_CHANGE, &dest, …)`:
/// [`Socket::routing_interface_change`].
pub fn routing_interface_change(s: SOCKET, dest: &SocketAddr) -> i32 {
    call(s, |sk| sk.routing_interface_change(*dest).map(|()| 0))
}

/// `WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, …)`: the socket family's local addresses into
/// `out` ([`Socket::address_list_query`]).
pub fn address_list_query(s: SOCKET, out: &mut Vec<SocketAddr>) -> i32 {
    call(s, |sk| {
        *out = sk.address_list_query()?;
        Ok(0)
    })
}

/// `WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &dest, …)`: the local address to `dest` into
/// `out` ([`Socket::routing_interface_query`]).
pub fn routing_interface_query(s: SOCKET, dest: &SocketAddr, out: &mut SocketAddr) -> i32 {
    call(s, |sk| {
        *out = sk.routing_interface_query(*dest)?;
        Ok(0)
    })
}

/// `WSAIoctl(s, code, in, out, &returned, NULL, NULL)` without overlapped I/O, as Wine's
/// Windows-run tests (test_fionbio, test_fionread_siocatmark, test_keepalive_vals,
/// test_unsupported_ioctls) check it: `FIONBIO` (a 4-byte `u_long` in; `returned` 0),
/// `FIONREAD` and `SIOCATMARK` (4 bytes out; `returned` 4; a shorter buffer is `WSAEFAULT`
/// and `returned` is left alone), `SIO_KEEPALIVE_VALS` (a 12-byte [`tcp_keepalive`] in;
/// `returned` 0, also when it fails `WSAEFAULT` for a shorter one; a datagram socket is
/// `WSAEINVAL`, as Wine), and any other code `WSAEOPNOTSUPP` with `returned` 0.
pub fn WSAIoctl(s: SOCKET, code: u32, input: &[u8], output: &mut [u8], returned: &mut u32) -> i32 {
    call(s, |sk| {
        let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        match code {
            FIONBIO => {
                if input.len() < 4 {
                    return Err(Error::from_code(WSAEFAULT));
                }
                sk.set_nonblocking(word(input) != 0)?;
                *returned = 0;
            }
            SIO_KEEPALIVE_VALS => {
                *returned = 0;
                if input.len() < 12 {
                    return Err(Error::from_code(WSAEFAULT));
                }
                if sk.socket_type() != SocketType::Stream {
                    return Err(Error::from_code(WSAEINVAL));
                }
                let ms = |b: &[u8]| Duration::from_millis(word(b).into());
                sk.set_keepalive_values(word(input) != 0, ms(&input[4..]), ms(&input[8..]))?;
            }
            FIONREAD | SIOCATMARK => {
                if output.len() < 4 {
                    return Err(Error::from_code(WSAEFAULT));
                }
                let v = if code == FIONREAD {
                    u32::try_from(sk.bytes_available()?).unwrap_or(u32::MAX)
                } else {
                    u32::from(sk.at_mark()?)
                };
                output[..4].copy_from_slice(&v.to_le_bytes());
                *returned = 4;
            }
            _ => {
                *returned = 0;
                return Err(Error::from_code(WSAEOPNOTSUPP));
            }
        }
        Ok(0)
    })
}

/// How Windows reads and writes an option's value (Wine's Windows-run
/// `test_set_getsockopt`, its `test_optsize` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OptSize {
    /// A `BOOL` at `SOL_SOCKET` (`SO_BROADCAST`, `SO_DONTLINGER`, `SO_OOBINLINE`,
    /// `SO_REUSEADDR`, `SO_EXCLUSIVEADDRUSE`, `SO_ACCEPTCONN`): set with any length (up to 4
    /// bytes read; 0 bytes is accepted and changes nothing); get writes up to 4 bytes and
    /// reports 4, or 1 for a shorter buffer.
    Bool,
    /// One byte (`SO_KEEPALIVE`, `TCP_NODELAY`, `IPV6_V6ONLY`): set reads the first byte of
    /// any length ≥ 1; get writes one byte and reports 1.
    Byte,
    /// A `DWORD` or `LINGER` (`SO_RCVBUF`, `SO_SNDBUF`, `SO_RCVTIMEO`, `SO_SNDTIMEO`,
    /// `SO_LINGER`, `SO_ERROR`, `SO_TYPE`): 4 bytes or `WSAEFAULT`, both ways.
    Dword,
    /// A small integer at `IPPROTO_IP` (`IP_TTL`): set reads up to 4 bytes of any length
    /// ≥ 1 (above 255: `WSAEINVAL`); get writes 4 bytes and reports 4, or 1 byte for a
    /// shorter buffer.
    Small,
}

/// The levels Windows knows; any other is `WSAEINVAL` (issue 8 item 7; Wine's
/// test_set_getsockopt checks 0xffffffff and 0x8000 on Windows).
fn known_level(level: i32) -> Result<()> {
    match level {
        SOL_SOCKET | IPPROTO_TCP | IPPROTO_UDP | IPPROTO_IP | IPPROTO_IPV6 => Ok(()),
        _ => Err(Error::from_code(WSAEINVAL)),
    }
}

/// The option's size class, or `WSAENOPROTOOPT` for an option this library does not have.
fn opt_size(level: i32, name: i32) -> Result<OptSize> {
    known_level(level)?;
    Ok(match (level, name) {
        (
            SOL_SOCKET,
            SO_BROADCAST | SO_DONTLINGER | SO_OOBINLINE | SO_REUSEADDR | SO_EXCLUSIVEADDRUSE
            | SO_ACCEPTCONN,
        ) => OptSize::Bool,
        (SOL_SOCKET, SO_KEEPALIVE) | (IPPROTO_TCP, TCP_NODELAY) | (IPPROTO_IPV6, IPV6_V6ONLY) => {
            OptSize::Byte
        }
        (
            SOL_SOCKET,
            SO_RCVBUF | SO_SNDBUF | SO_RCVTIMEO | SO_SNDTIMEO | SO_LINGER | SO_ERROR | SO_TYPE,
        ) => OptSize::Dword,
        (IPPROTO_IP, IP_TTL) => OptSize::Small,
        _ => return Err(Error::from_code(WSAENOPROTOOPT)),
    })
}

/// Up to the first 4 bytes of a value, little-endian as on every Windows target.
fn opt_value(val: &[u8]) -> u32 {
    let mut b = [0u8; 4];
    let n = val.len().min(4);
    b[..n].copy_from_slice(&val[..n]);
    u32::from_le_bytes(b)
}

fn ms(d: Option<Duration>) -> u32 {
    d.map_or(0, |d| u32::try_from(d.as_millis()).unwrap_or(u32::MAX))
}

/// `setsockopt(s, level, name, optval)`. `SOL_SOCKET`: `SO_LINGER` (a 4-byte `LINGER`),
/// `SO_DONTLINGER`, `SO_REUSEADDR`, `SO_EXCLUSIVEADDRUSE`, `SO_BROADCAST`, `SO_OOBINLINE`,
/// `SO_RCVBUF`, `SO_SNDBUF`, `SO_KEEPALIVE`, `SO_RCVTIMEO`/`SO_SNDTIMEO` (a `DWORD` of
/// milliseconds, 0 for none); `IPPROTO_TCP` `TCP_NODELAY`; `IPPROTO_IP` `IP_TTL`;
/// `IPPROTO_IPV6` `IPV6_V6ONLY`. Value lengths as Windows takes them (see `OptSize`); an
/// unknown level is `WSAEINVAL`, an unknown option `WSAENOPROTOOPT`.
pub fn setsockopt(s: SOCKET, level: i32, name: i32, optval: &[u8]) -> i32 {
    call(s, |sk| {
        // The mswsock options (socket/mswsock.rs): the listening SOCKET as the value.
        if level == SOL_SOCKET && name == SO_UPDATE_ACCEPT_CONTEXT {
            const N: usize = std::mem::size_of::<SOCKET>();
            let Some(v) = optval.get(..N) else {
                return Err(Error::from_code(WSAEFAULT));
            };
            let listener = SOCKET::from_ne_bytes(v.try_into().expect("N bytes"));
            let l = socket_of(listener).ok_or(Error::from_code(WSAENOTSOCK))?;
            sk.update_accept_context(&l)?;
            return Ok(0);
        }
        if level == SOL_SOCKET && name == SO_UPDATE_CONNECT_CONTEXT {
            sk.update_connect_context()?;
            return Ok(0);
        }
        let size = opt_size(level, name)?;
        let v = match (size, optval.len()) {
            // Windows accepts a BOOL of length 0 at SOL_SOCKET and changes nothing.
            (OptSize::Bool, 0) => return Ok(0),
            (_, 0) => return Err(Error::from_code(WSAEFAULT)),
            (OptSize::Dword, n) if n < 4 => return Err(Error::from_code(WSAEFAULT)),
            (OptSize::Byte, _) => u32::from(optval[0]),
            _ => opt_value(optval),
        };
        let on = v != 0;
        let dur = |v: u32| (v != 0).then(|| Duration::from_millis(v.into()));
        match (level, name) {
            (SOL_SOCKET, SO_LINGER) => {
                let onoff = u16::from_ne_bytes([optval[0], optval[1]]);
                let secs = u16::from_ne_bytes([optval[2], optval[3]]);
                sk.set_linger(Some(Duration::from_secs(secs.into())))?;
                if onoff == 0 {
                    sk.set_linger(None)?;
                }
            }
            (SOL_SOCKET, SO_DONTLINGER) => sk.set_dont_linger(on)?,
            (SOL_SOCKET, SO_REUSEADDR) => sk.set_reuse_address(on)?,
            (SOL_SOCKET, SO_EXCLUSIVEADDRUSE) => sk.set_exclusive_address_use(on)?,
            (SOL_SOCKET, SO_BROADCAST) => sk.set_broadcast(on)?,
            (SOL_SOCKET, SO_OOBINLINE) => sk.set_oob_inline(on)?,
            (SOL_SOCKET, SO_KEEPALIVE) => sk.set_keepalive(on)?,
            (SOL_SOCKET, SO_RCVBUF) => sk.set_recv_buffer_size(v as usize)?,
            (SOL_SOCKET, SO_SNDBUF) => sk.set_send_buffer_size(v as usize)?,
            (SOL_SOCKET, SO_RCVTIMEO) => sk.set_read_timeout(dur(v))?,
            (SOL_SOCKET, SO_SNDTIMEO) => sk.set_write_timeout(dur(v))?,
            (IPPROTO_TCP, TCP_NODELAY) => sk.set_nodelay(on)?,
            (IPPROTO_IP, IP_TTL) if v > 255 => return Err(Error::from_code(WSAEINVAL)),
            (IPPROTO_IP, IP_TTL) => sk.set_ttl(v)?,
            (IPPROTO_IPV6, IPV6_V6ONLY) => sk.set_only_v6(on)?,
            (SOL_SOCKET, SO_ERROR) => sk.set_error(v as i32)?,
            // Read-only: SO_ACCEPTCONN, SO_TYPE.
            _ => return Err(Error::from_code(WSAENOPROTOOPT)),
        }
        Ok(0)
    })
}

/// `getsockopt(s, level, name, optval, &optlen)`: the options of [`setsockopt`] plus
/// `SO_ERROR` (Windows' persistence: rules 33, 39), `SO_TYPE` and `SO_ACCEPTCONN`. Lengths
/// as Windows writes them (see `OptSize`): a buffer too short for the value is `WSAEFAULT`;
/// `optlen` receives the length written.
pub fn getsockopt(s: SOCKET, level: i32, name: i32, optval: &mut [u8], optlen: &mut i32) -> i32 {
    call(s, |sk| {
        let size = opt_size(level, name)?;
        let have = optval.len().min(usize::try_from(*optlen).unwrap_or(0));
        let short = match size {
            OptSize::Dword => have < 4,
            _ => have < 1,
        };
        if short {
            return Err(Error::from_code(WSAEFAULT));
        }
        let value: u32 = match (level, name) {
            (SOL_SOCKET, SO_LINGER) => {
                let (onoff, secs) = sk.linger_option()?;
                let mut v = [0u8; 4];
                v[..2].copy_from_slice(&u16::from(onoff).to_ne_bytes());
                v[2..].copy_from_slice(&secs.to_ne_bytes());
                u32::from_ne_bytes(v)
            }
            (SOL_SOCKET, SO_DONTLINGER) => sk.dont_linger()?.into(),
            (SOL_SOCKET, SO_REUSEADDR) => sk.reuse_address()?.into(),
            (SOL_SOCKET, SO_EXCLUSIVEADDRUSE) => sk.exclusive_address_use()?.into(),
            (SOL_SOCKET, SO_ACCEPTCONN) => sk.is_listener()?.into(),
            (SOL_SOCKET, SO_BROADCAST) => sk.broadcast()?.into(),
            (SOL_SOCKET, SO_OOBINLINE) => sk.oob_inline()?.into(),
            (SOL_SOCKET, SO_KEEPALIVE) => sk.keepalive()?.into(),
            (SOL_SOCKET, SO_RCVBUF) => len_i32(sk.recv_buffer_size()?) as u32,
            (SOL_SOCKET, SO_SNDBUF) => len_i32(sk.send_buffer_size()?) as u32,
            (SOL_SOCKET, SO_RCVTIMEO) => ms(sk.read_timeout()?),
            (SOL_SOCKET, SO_SNDTIMEO) => ms(sk.write_timeout()?),
            (SOL_SOCKET, SO_ERROR) => sk.take_error()?.map_or(0, |e| e.code()) as u32,
            (SOL_SOCKET, SO_TYPE) => match sk.socket_type() {
                SocketType::Stream => SOCK_STREAM as u32,
                SocketType::Datagram => SOCK_DGRAM as u32,
            },
            (IPPROTO_TCP, TCP_NODELAY) => sk.nodelay()?.into(),
            (IPPROTO_IP, IP_TTL) => sk.ttl()?,
            (IPPROTO_IPV6, IPV6_V6ONLY) => sk.only_v6()?.into(),
            _ => return Err(Error::from_code(WSAENOPROTOOPT)),
        };
        let bytes = if name == SO_LINGER {
            value.to_ne_bytes()
        } else {
            value.to_le_bytes()
        };
        let (written, reported) = match size {
            OptSize::Dword => (4, 4),
            OptSize::Byte => (1, 1),
            OptSize::Bool if have >= 4 => (4, 4),
            OptSize::Bool => (have, 1),
            OptSize::Small if have >= 4 => (4, 4),
            OptSize::Small => (1, 1),
        };
        optval[..written].copy_from_slice(&bytes[..written]);
        *optlen = reported;
        Ok(0)
    })
}

// ------------------------------------------------------------------------------------------
// select and WSAPoll (Wine's Windows-run test_select and test_WSAPoll; rule 47)

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
/// `WSAENOTSOCK` when one is not an open socket, before looking at any socket. A socket
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
    select::wait_for(&watched, timeout, || {
        // What the OS has ready is recorded first, as it would be anyway: the levels then
        // agree with the records (a close already seen, rule 39).
        crate::reactor::harvest();
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
    })
}

/// `select(nfds, readfds, writefds, exceptfds, timeout)` with Windows' semantics (Wine's
/// Windows-run `test_select`): `nfds` is ignored; each given set is rewritten to its ready
/// sockets, in its order, each once; the result is the number of entries in the rewritten
/// sets, 0 on timeout, or `SOCKET_ERROR` (sets unchanged) with `WSANOTINITIALISED`,
/// `WSAEINVAL` (no socket in any set) or `WSAENOTSOCK`. `timeout` `None` blocks; `{0, 0}`
/// polls.
///
/// Ready means: readfds, data (urgent data too with `SO_OOBINLINE`), the peer's FIN or a
/// reset, a connection to accept; writefds, room to send on a connected or UDP socket (a
/// non-blocking connect completed); exceptfds, urgent data (not in line) and a failed
/// connect, which stays reported until a connect succeeds and is in no other set. A socket
/// closed by another thread during the wait is reported readable if it is in readfds, and
/// fails the call with `WSAENOTSOCK` otherwise. The records are left alone (rule 47).
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
    let revents = select::wait_for(&watched, timeout, || {
        crate::reactor::harvest();
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
    let mut n = 0;
    for ((f, s), r) in fds.iter_mut().zip(&socks).zip(revents) {
        if s.is_some() {
            f.revents = r;
            n += i32::from(r != 0);
        }
    }
    n
}

// ------------------------------------------------------------------------------------------
// Completion ports (kernel32; src/iocp.rs has the rules)

pub use crate::iocp::{
    ERROR_ABANDONED_WAIT_0, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, FILE_SKIP_SET_EVENT_ON_HANDLE,
    WAIT_TIMEOUT,
};

/// `INVALID_HANDLE_VALUE`: all bits set; `CreateIoCompletionPort`'s "no file, make a port".
pub const INVALID_HANDLE_VALUE: usize = !0;
/// `ERROR_INVALID_PARAMETER` (87), as the kernel32 calls report it.
pub const ERROR_INVALID_PARAMETER: i32 = WSA_INVALID_PARAMETER;
/// `ERROR_INVALID_HANDLE` (6).
pub const ERROR_INVALID_HANDLE: i32 = WSA_INVALID_HANDLE;

/// `OVERLAPPED_ENTRY`, one packet of `GetQueuedCompletionStatusEx` (Windows' layout).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OVERLAPPED_ENTRY {
    /// The completion key.
    pub lpCompletionKey: usize,
    /// The `OVERLAPPED` address (or the posted value).
    pub lpOverlapped: usize,
    /// The operation's `NTSTATUS` (0 for success and for posted packets).
    pub Internal: usize,
    /// The bytes transferred.
    pub dwNumberOfBytesTransferred: u32,
}

/// The completion port behind a handle.
pub fn port_of(h: usize) -> Option<CompletionPort> {
    lookup(h, |o| match o {
        Object::Port(p) => Some(p.clone()),
        Object::Socket(_) | Object::Event(_) | Object::Thread(_) => None,
    })
}

/// A handle for an existing port, as `CreateIoCompletionPort` returns (0 with
/// `ERROR_NOT_ENOUGH_MEMORY` if the table is full). Closed with [`CloseHandle`].
pub fn register_port(p: CompletionPort) -> usize {
    insert(Object::Port(p)).unwrap_or_else(|| fail(WSA_NOT_ENOUGH_MEMORY, 0))
}

fn timeout_of(ms: DWORD) -> Option<Duration> {
    (ms != WSA_INFINITE).then(|| Duration::from_millis(ms.into()))
}

/// `CreateIoCompletionPort(FileHandle, ExistingCompletionPort, CompletionKey,
/// NumberOfConcurrentThreads)`:
///
/// * `FileHandle` `INVALID_HANDLE_VALUE`, `ExistingCompletionPort` 0: a new port (the key is
///   ignored); with a non-zero `ExistingCompletionPort`, `ERROR_INVALID_PARAMETER`;
/// * `FileHandle` a socket: associates it with `ExistingCompletionPort` (returned) under
///   `CompletionKey`, or with a new port if that is 0 (Microsoft, `CreateIoCompletionPort`);
///   a socket already associated is `ERROR_INVALID_PARAMETER`;
/// * anything else as `FileHandle`, or an `ExistingCompletionPort` that is not an open
///   port, is `ERROR_INVALID_HANDLE`.
///
/// Failure returns 0 (NULL). Success leaves the last error alone (kernel32 does not clear it).
pub fn CreateIoCompletionPort(file: usize, existing: usize, key: usize, threads: DWORD) -> usize {
    if file == INVALID_HANDLE_VALUE {
        if existing != 0 {
            return fail(ERROR_INVALID_PARAMETER, 0);
        }
        return register_port(CompletionPort::new(threads));
    }
    let Some(sock) = socket_of(file) else {
        return fail(ERROR_INVALID_HANDLE, 0);
    };
    let (port, handle) = if existing == 0 {
        let p = CompletionPort::new(threads);
        let h = register_port(p.clone());
        if h == 0 {
            return 0;
        }
        (p, h)
    } else {
        match port_of(existing) {
            Some(p) => (p, existing),
            None => return fail(ERROR_INVALID_HANDLE, 0),
        }
    };
    match port.associate(&sock, key) {
        Ok(()) => handle,
        Err(e) => {
            if existing == 0 {
                CloseHandle(handle);
            }
            fail(e.code(), 0)
        }
    }
}

/// `GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, timeout_ms)`: `TRUE` with the
/// oldest packet of a successful operation (or a posted one). `FALSE` with `*overlapped`
/// set, the bytes and key written, and the last error the operation's error (e.g.
/// `ERROR_OPERATION_ABORTED` 995, `ERROR_NETNAME_DELETED` 64) for a failed operation;
/// `FALSE` with `*overlapped` 0 and the last error `WAIT_TIMEOUT` (258) after the timeout,
/// `ERROR_ABANDONED_WAIT_0` (735) if the port was closed during the wait,
/// `ERROR_INVALID_HANDLE` if `port` is not an open port. Bytes and key are written only
/// when a packet is returned (Wine's kernel32, `GetQueuedCompletionStatus`).
pub fn GetQueuedCompletionStatus(
    port: usize,
    bytes: &mut u32,
    key: &mut usize,
    overlapped: &mut usize,
    timeout_ms: DWORD,
) -> BOOL {
    *overlapped = 0;
    let Some(p) = port_of(port) else {
        return fail(ERROR_INVALID_HANDLE, FALSE);
    };
    match p.get(timeout_of(timeout_ms)) {
        Ok(Some(pk)) => {
            *bytes = pk.bytes;
            *key = pk.key;
            *overlapped = pk.overlapped;
            if pk.succeeded() {
                TRUE
            } else {
                fail(crate::iocp::ntstatus_to_win32(pk.status), FALSE)
            }
        }
        Ok(None) => fail(WAIT_TIMEOUT, FALSE),
        Err(e) => fail(e.code(), FALSE),
    }
}

/// `GetQueuedCompletionStatusEx(port, entries, count, &removed, timeout_ms, alertable)`: up
/// to `entries.len()` packets, `TRUE` with `*removed` their number. Failed operations come
/// back as entries too (`TRUE`), with their `NTSTATUS` in `Internal`. `FALSE` with
/// `*removed` 0 and `WAIT_TIMEOUT` after the timeout (the number of entries removed;
/// Windows' value is not tested, Wine's writes 1); `ERROR_INVALID_PARAMETER` for no
/// entries; `ERROR_ABANDONED_WAIT_0` / `ERROR_INVALID_HANDLE` as
/// [`GetQueuedCompletionStatus`]. With `alertable`, I/O completion routines due for this
/// thread run during the wait, which then returns `FALSE` with `WAIT_IO_COMPLETION` (192).
pub fn GetQueuedCompletionStatusEx(
    port: usize,
    entries: &mut [OVERLAPPED_ENTRY],
    removed: &mut u32,
    timeout_ms: DWORD,
    alertable: BOOL,
) -> BOOL {
    *removed = 0;
    let Some(p) = port_of(port) else {
        return fail(ERROR_INVALID_HANDLE, FALSE);
    };
    let mut buf = vec![crate::iocp::Packet::default(); entries.len()];
    let got = if alertable != FALSE {
        p.get_many_alertable(&mut buf, timeout_of(timeout_ms))
    } else {
        p.get_many(&mut buf, timeout_of(timeout_ms)).map(Some)
    };
    match got {
        Ok(Some(0)) => fail(WAIT_TIMEOUT, FALSE),
        Ok(Some(n)) => {
            for (e, pk) in entries.iter_mut().zip(&buf[..n]) {
                *e = OVERLAPPED_ENTRY {
                    lpCompletionKey: pk.key,
                    lpOverlapped: pk.overlapped,
                    Internal: pk.status as usize,
                    dwNumberOfBytesTransferred: pk.bytes,
                };
            }
            *removed = n as u32;
            TRUE
        }
        Ok(None) => fail(WSA_WAIT_IO_COMPLETION as i32, FALSE),
        Err(e) => fail(e.code(), FALSE),
    }
}

/// `PostQueuedCompletionStatus(port, bytes, key, overlapped)`: queues a packet; `FALSE`
/// with `ERROR_INVALID_HANDLE` if `port` is not an open port.
pub fn PostQueuedCompletionStatus(port: usize, bytes: u32, key: usize, overlapped: usize) -> BOOL {
    match port_of(port).map(|p| p.post(bytes, key, overlapped)) {
        Some(Ok(())) => TRUE,
        Some(Err(e)) => fail(e.code(), FALSE),
        None => fail(ERROR_INVALID_HANDLE, FALSE),
    }
}

/// `SetFileCompletionNotificationModes(socket, flags)`: see
/// [`Socket::set_completion_notification_modes`]; a handle that is not a socket is
/// `ERROR_INVALID_HANDLE`.
pub fn SetFileCompletionNotificationModes(handle: usize, flags: u8) -> BOOL {
    match socket_of(handle).map(|s| s.set_completion_notification_modes(flags)) {
        Some(Ok(())) => TRUE,
        Some(Err(e)) => fail(e.code(), FALSE),
        None => fail(ERROR_INVALID_HANDLE, FALSE),
    }
}

// ------------------------------------------------------------------------------------------
// Overlapped I/O (docs/semantics.md, "Overlapped I/O")

pub use crate::overlapped::{STATUS_CANCELLED, STATUS_CONNECTION_RESET, STATUS_PENDING};

/// `ERROR_NOT_FOUND`: `CancelIoEx` found no pending operation to cancel.
pub const ERROR_NOT_FOUND: u32 = 1168;
/// `ERROR_IO_INCOMPLETE` (= `WSA_IO_INCOMPLETE`).
pub const ERROR_IO_INCOMPLETE: u32 = 996;
/// `ERROR_OPERATION_ABORTED` (= `WSA_OPERATION_ABORTED`).
pub const ERROR_OPERATION_ABORTED: u32 = 995;
/// `ERROR_NETNAME_DELETED`: `GetOverlappedResult`'s error after a RST.
pub const ERROR_NETNAME_DELETED: u32 = 64;
/// `WAIT_IO_COMPLETION` (= `WSA_WAIT_IO_COMPLETION`).
pub const WAIT_IO_COMPLETION: DWORD = 0xC0;
/// `GetCurrentThread()`: the pseudo-handle of the calling thread.
pub const CURRENT_THREAD: usize = usize::MAX - 1;

/// `WSAOVERLAPPED` for the facade. Set `hEvent` before issuing; the operation the call
/// started is kept in it (in C the `OVERLAPPED`'s address identifies it). `Internal` and
/// `InternalHigh` are read through methods, since the operation completes later.
#[derive(Debug, Default)]
pub struct WSAOVERLAPPED {
    /// The event set when the operation completes (ignored with a completion routine).
    pub hEvent: WSAEVENT,
    op: Option<Overlapped>,
}

impl WSAOVERLAPPED {
    /// An `OVERLAPPED` with `hEvent` set.
    pub fn new(event: WSAEVENT) -> WSAOVERLAPPED {
        WSAOVERLAPPED {
            hEvent: event,
            op: None,
        }
    }

    /// `Internal`: `STATUS_PENDING` (0x103) while the operation is pending, then its
    /// NTSTATUS (0 for success). 0 before any operation.
    #[allow(non_snake_case)]
    pub fn Internal(&self) -> usize {
        match &self.op {
            None => 0,
            Some(op) => op.completed_result().map_or(STATUS_PENDING, |r| r.status()),
        }
    }

    /// `InternalHigh`: the bytes transferred, once complete (0 before).
    #[allow(non_snake_case)]
    pub fn InternalHigh(&self) -> usize {
        self.op
            .as_ref()
            .and_then(|op| op.completed_result())
            .map_or(0, |r| r.bytes)
    }

    /// The operation last issued with this `OVERLAPPED`.
    pub fn operation(&self) -> Option<&Overlapped> {
        self.op.as_ref()
    }

    /// The buffer of the completed operation (a receive's data is its first
    /// `InternalHigh` bytes).
    pub fn take_buffer(&self) -> Option<Vec<u8>> {
        self.op.as_ref().and_then(Overlapped::take_buffer)
    }
}

/// `HasOverlappedIoCompleted(ov)`: `Internal != STATUS_PENDING`.
pub fn HasOverlappedIoCompleted(ov: &WSAOVERLAPPED) -> bool {
    ov.Internal() != STATUS_PENDING
}

/// `LPWSAOVERLAPPED_COMPLETION_ROUTINE`: `(dwError, cbTransferred, lpOverlapped,
/// dwFlags)`, run on the issuing thread during one of its alertable waits.
pub type CompletionRoutine = Box<dyn FnOnce(DWORD, DWORD, &Overlapped, DWORD) + Send>;

/// What announces an operation issued with `ov` and `routine`: the routine (then `hEvent`
/// is ignored, as Windows: test_WSARecv checks the event stays unsignalled), else the
/// event. `hEvent` with its low bit set (no completion-port packet) names the same event.
/// An `hEvent` that is not an open event fails `WSAENOTSOCK`, Windows' mapping of
/// `STATUS_INVALID_HANDLE` / `STATUS_OBJECT_TYPE_MISMATCH` (`map_status`).
pub(crate) fn notify_for(
    event: WSAEVENT,
    routine: Option<CompletionRoutine>,
) -> Result<Vec<Notify>> {
    if let Some(r) = routine {
        return Ok(vec![Notify::Routine(Box::new(
            move |op, res: &OpResult| r(res.error as DWORD, len_u32(res.bytes), op, res.flags),
        ))]);
    }
    let h = event & !1;
    if h == 0 {
        return Ok(Vec::new());
    }
    match event_of(h) {
        Some(e) => Ok(vec![Notify::Event(e)]),
        None => Err(Error::from_code(WSAENOTSOCK)),
    }
}

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The common body of the overlapped calls: issues `op` on `sk`, keeps it in `ov`, and
/// returns as Windows: 0 with `*bytes` written when it completed at once (its event set and
/// its routine queued all the same), `SOCKET_ERROR` with `WSA_IO_PENDING` when pending (the
/// bytes left alone), or `SOCKET_ERROR` with the error of a failure (an immediate
/// completion with an error, e.g. `WSAEMSGSIZE`, still notifies).
///
/// `h_event` is the `OVERLAPPED`'s `hEvent` value: on a socket associated with a completion
/// port the operation also queues a packet, unless its low bit is set (`crate::iocp`).
pub(crate) fn issue_on(
    sk: &Socket,
    op: Overlapped,
    bytes: Option<&mut u32>,
    h_event: usize,
) -> (i32, Overlapped) {
    let issued = crate::iocp::attach(sk, &op, h_event).and_then(|ticket| {
        let r = sk.issue_overlapped(&op);
        ticket.issued(&r);
        r
    });
    match issued {
        Ok(true) => {
            let r = op.completed_result().unwrap_or(OpResult::ok(0));
            if let Some(b) = bytes {
                *b = len_u32(r.bytes);
            }
            let rc = if r.error == 0 {
                succeed(0)
            } else {
                fail(r.error, SOCKET_ERROR)
            };
            (rc, op)
        }
        Ok(false) => (fail(WSA_IO_PENDING, SOCKET_ERROR), op),
        Err(e) => (fail(e.code(), SOCKET_ERROR), op),
    }
}

fn issue(
    s: SOCKET,
    kind: impl FnOnce(&Socket) -> Result<OpKind>,
    buf: Vec<u8>,
    ov: &mut WSAOVERLAPPED,
    routine: Option<CompletionRoutine>,
    bytes: Option<&mut u32>,
) -> i32 {
    let sk = match sock(s) {
        Ok(sk) => sk,
        Err(e) => return fail(e.code(), SOCKET_ERROR),
    };
    let kind = match kind(&sk) {
        Ok(k) => k,
        Err(e) => return fail(e.code(), SOCKET_ERROR),
    };
    let notify = match notify_for(ov.hEvent, routine) {
        Ok(n) => n,
        Err(e) => return fail(e.code(), SOCKET_ERROR),
    };
    let op = Overlapped::new(kind, Box::new(buf), notify, 0);
    let (rc, op) = issue_on(&sk, op, bytes, ov.hEvent);
    if rc == 0 || WSAGetLastError() == WSA_IO_PENDING || op.is_completed() {
        ov.op = Some(op);
    }
    rc
}

fn recv_flags(flags: u32) -> Result<MsgFlags> {
    msg_flags(flags as i32)
}

/// `WSARecv(s, &buf, 1, &bytes, &flags, &ov, routine)` with an owned buffer (Rust cannot
/// lend one to an operation that outlives the call): 0 when it completed at once (bytes
/// written), else `SOCKET_ERROR` with `WSA_IO_PENDING` (completion: `ov.hEvent` set, or
/// `routine` queued to this thread) or the error. The data: [`WSAOVERLAPPED::take_buffer`].
pub fn WSARecv_overlapped(
    s: SOCKET,
    buf: Vec<u8>,
    bytes: Option<&mut u32>,
    flags: &mut u32,
    ov: &mut WSAOVERLAPPED,
    routine: Option<CompletionRoutine>,
) -> i32 {
    let f = *flags;
    issue(
        s,
        |_| recv_flags(f).map(OpKind::Recv),
        buf,
        ov,
        routine,
        bytes,
    )
}

/// `WSARecvFrom` overlapped: as [`WSARecv_overlapped`]; the sender is in the result
/// ([`Overlapped::completed_result`]'s `from`).
pub fn WSARecvFrom_overlapped(
    s: SOCKET,
    buf: Vec<u8>,
    bytes: Option<&mut u32>,
    flags: &mut u32,
    ov: &mut WSAOVERLAPPED,
    routine: Option<CompletionRoutine>,
) -> i32 {
    let f = *flags;
    issue(
        s,
        |_| recv_flags(f).map(OpKind::RecvFrom),
        buf,
        ov,
        routine,
        bytes,
    )
}

/// `WSASend(s, &buf, 1, &bytes, flags, &ov, routine)` with an owned buffer: completes
/// when the whole buffer is taken.
pub fn WSASend_overlapped(
    s: SOCKET,
    data: Vec<u8>,
    bytes: Option<&mut u32>,
    flags: u32,
    ov: &mut WSAOVERLAPPED,
    routine: Option<CompletionRoutine>,
) -> i32 {
    let kind = |_: &Socket| {
        let f = msg_flags(flags as i32)?;
        if f.peek {
            return Err(Error::from_code(WSAEOPNOTSUPP));
        }
        Ok(OpKind::Send { oob: f.oob })
    };
    issue(s, kind, data, ov, routine, bytes)
}

/// `WSASendTo` overlapped (on a stream socket `to` is ignored, as `sendto`).
pub fn WSASendTo_overlapped(
    s: SOCKET,
    data: Vec<u8>,
    bytes: Option<&mut u32>,
    flags: u32,
    to: &SocketAddr,
    ov: &mut WSAOVERLAPPED,
    routine: Option<CompletionRoutine>,
) -> i32 {
    let to = *to;
    let kind = move |sk: &Socket| {
        let f = msg_flags(flags as i32)?;
        if sk.socket_type() == SocketType::Stream {
            return Ok(OpKind::Send { oob: f.oob });
        }
        if f.peek || f.oob {
            return Err(Error::from_code(WSAEOPNOTSUPP));
        }
        Ok(OpKind::SendTo(to))
    };
    issue(s, kind, data, ov, routine, bytes)
}

/// `WSAGetOverlappedResult(s, &ov, &bytes, fWait, &flags)`: `TRUE` with the bytes and
/// flags of a successful operation; `FALSE` with `WSA_IO_INCOMPLETE` (996) while pending
/// and `fWait` is false, or with the operation's error (`WSAECONNRESET`,
/// `WSA_OPERATION_ABORTED`, ...; the bytes are still written). `fWait` waits (not
/// alertably, as Windows: test_WSAGetOverlappedResult) until it completes, driving the
/// network. `s` must be an open socket (`WSAENOTSOCK`), as on Windows, even if the
/// operation completed.
pub fn WSAGetOverlappedResult(
    s: SOCKET,
    ov: &WSAOVERLAPPED,
    bytes: &mut u32,
    wait: BOOL,
    flags: &mut u32,
) -> BOOL {
    if let Err(e) = sock(s) {
        return fail(e.code(), FALSE);
    }
    let Some(op) = &ov.op else {
        // Windows reads the OVERLAPPED: a zeroed one is a success of 0 bytes.
        *bytes = 0;
        return succeed(TRUE);
    };
    let r = if wait != FALSE {
        let _ = op.wait(None);
        op.completed_result()
    } else {
        op.result().ok().or(op.completed_result())
    };
    match r {
        None => fail(WSA_IO_INCOMPLETE, FALSE),
        Some(r) => {
            *bytes = len_u32(r.bytes);
            *flags = r.flags;
            if r.error == 0 {
                succeed(TRUE)
            } else {
                fail(r.error, FALSE)
            }
        }
    }
}

/// `GetOverlappedResult(h, &ov, &bytes, bWait)`: as [`WSAGetOverlappedResult`] with
/// Win32 errors (`GetLastError`, which is [`WSAGetLastError`] here):
/// `ERROR_IO_INCOMPLETE` (996), `ERROR_NETNAME_DELETED` (64) after a RST,
/// `ERROR_OPERATION_ABORTED` (995). The handle is not looked at.
pub fn GetOverlappedResult(_h: usize, ov: &WSAOVERLAPPED, bytes: &mut u32, wait: BOOL) -> BOOL {
    let Some(op) = &ov.op else {
        *bytes = 0;
        return succeed(TRUE);
    };
    if wait != FALSE {
        let _ = op.wait(None);
    } else {
        let _ = op.result();
    }
    match op.completed_result() {
        None => fail(ERROR_IO_INCOMPLETE as i32, FALSE),
        Some(r) => {
            *bytes = len_u32(r.bytes);
            match crate::overlapped::win32_error_of_status(r.status()) {
                0 => succeed(TRUE),
                e => fail(e as i32, FALSE),
            }
        }
    }
}

/// `CancelIo(s)`: cancels the calling thread's pending operations on `s` (they complete
/// with `WSA_OPERATION_ABORTED`); `TRUE` even if there were none, as Windows. Not a
/// socket: `FALSE` with `ERROR_INVALID_HANDLE`.
pub fn CancelIo(s: SOCKET) -> BOOL {
    match socket_of(s) {
        Some(sk) => match sk.cancel_overlapped(CancelFilter::CallingThread) {
            Ok(_) => succeed(TRUE),
            Err(_) => fail(WSA_INVALID_HANDLE, FALSE),
        },
        None => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

/// `CancelIoEx(s, ov)`: cancels the operation issued with `ov` (any thread's), or with
/// `None` every pending operation on `s`; `FALSE` with `ERROR_NOT_FOUND` (1168) if none
/// was pending.
pub fn CancelIoEx(s: SOCKET, ov: Option<&WSAOVERLAPPED>) -> BOOL {
    let Some(sk) = socket_of(s) else {
        return fail(WSA_INVALID_HANDLE, FALSE);
    };
    let filter = match ov {
        None => CancelFilter::All,
        Some(o) => match &o.op {
            Some(op) => CancelFilter::Id(op.id()),
            None => return fail(ERROR_NOT_FOUND as i32, FALSE),
        },
    };
    match sk.cancel_overlapped(filter) {
        Ok(0) => fail(ERROR_NOT_FOUND as i32, FALSE),
        Ok(_) => succeed(TRUE),
        Err(_) => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

/// `SleepEx(ms, bAlertable)`: 0 when the time passed, `WAIT_IO_COMPLETION` when
/// alertable and the thread's queued completion routines / APCs ran (then at once).
pub fn SleepEx(ms: DWORD, alertable: BOOL) -> DWORD {
    let timeout = (ms != WSA_INFINITE).then(|| Duration::from_millis(ms.into()));
    if alertable == FALSE {
        match timeout {
            Some(d) if d.is_zero() => std::thread::yield_now(),
            Some(d) => std::thread::sleep(d),
            None => loop {
                std::thread::sleep(Duration::from_secs(3600));
            },
        }
        return 0;
    }
    match event::sleep_alertable(timeout) {
        WaitOutcome::IoCompletion => WAIT_IO_COMPLETION,
        _ => 0,
    }
}

/// The APC queue a thread handle names: [`CURRENT_THREAD`] (`GetCurrentThread()`) or a
/// thread the library created.
pub fn apc_queue_of(thread: usize) -> Option<ApcQueue> {
    if thread == CURRENT_THREAD {
        return Some(ApcQueue::current());
    }
    thread_of(thread).map(|t| t.apc)
}

/// `QueueUserAPC(f, hThread, data)`: queues `f` to the thread; it runs during the
/// thread's next alertable wait, in order with completion routines. Non-zero on success;
/// 0 with `ERROR_INVALID_HANDLE` for a handle that is not a thread's.
pub fn QueueUserAPC(f: Box<dyn FnOnce() + Send>, thread: usize) -> DWORD {
    match apc_queue_of(thread) {
        Some(q) => {
            q.queue(f);
            succeed(1)
        }
        None => fail(WSA_INVALID_HANDLE, 0),
    }
}

/// `WaitForSingleObjectEx(h, ms, bAlertable)`.
pub fn WaitForSingleObjectEx(h: WSAEVENT, ms: DWORD, alertable: BOOL) -> DWORD {
    WSAWaitForMultipleEvents(&[h], FALSE, ms, alertable)
}

// ------------------------------------------------------------------------------------------
// The mswsock extensions (socket/mswsock.rs has the rules)

fn mswsock_call(r: Result<(Overlapped, bool)>, ov: &mut WSAOVERLAPPED) -> BOOL {
    match r {
        Ok((op, done)) => {
            ov.op = Some(op);
            if done {
                succeed(TRUE)
            } else {
                fail(WSA_IO_PENDING, FALSE)
            }
        }
        Err(e) => fail(e.code(), FALSE),
    }
}

/// `AcceptEx(listen, accept, buf, recv.len(), sizeof(SOCKADDR)+16 ×2, .., &ov)` with an
/// owned receive buffer: `FALSE` with `WSA_IO_PENDING`; at completion `ov.hEvent` is set
/// (and the listener's port gets a packet), the first data are `ov.take_buffer()`'s first
/// `InternalHigh()` bytes. The addresses: `getsockname`/`getpeername` on `accept` after
/// `setsockopt(SO_UPDATE_ACCEPT_CONTEXT)`.
pub fn AcceptEx(listen: SOCKET, accept: SOCKET, recv: Vec<u8>, ov: &mut WSAOVERLAPPED) -> BOOL {
    let r = (|| {
        let l = sock(listen)?;
        let a = sock(accept)?;
        let notify = notify_for(ov.hEvent, None)?;
        let space = crate::socket::accept_address_space(l.family() == AddressFamily::Inet6);
        l.accept_ex_with(
            &a,
            Box::new(recv),
            space,
            space,
            Default::default(),
            notify,
            0,
            ov.hEvent,
        )
    })();
    mswsock_call(r, ov)
}

/// `ConnectEx(s, addr, data, data.len(), .., &ov)`: `FALSE` with `WSA_IO_PENDING`; completes
/// once connected and `data` sent (`InternalHigh()` = bytes sent).
pub fn ConnectEx(s: SOCKET, addr: &SocketAddr, data: Vec<u8>, ov: &mut WSAOVERLAPPED) -> BOOL {
    let r = (|| {
        let sk = sock(s)?;
        let notify = notify_for(ov.hEvent, None)?;
        sk.connect_ex_with(*addr, Box::new(data), notify, 0, ov.hEvent)
    })();
    mswsock_call(r, ov)
}

/// `DisconnectEx(s, ov, flags, reserved)`: with `None`, synchronous (`TRUE`); else `FALSE`
/// with `WSA_IO_PENDING` and a completion of 0 bytes. `reserved` must be 0 (`WSAEINVAL`).
pub fn DisconnectEx(s: SOCKET, ov: Option<&mut WSAOVERLAPPED>, flags: u32, reserved: u32) -> BOOL {
    let sk = match sock(s) {
        Ok(sk) => sk,
        Err(e) => return fail(e.code(), FALSE),
    };
    if reserved != 0 {
        return fail(WSAEINVAL, FALSE);
    }
    match ov {
        None => match sk.disconnect_ex(flags) {
            Ok(()) => succeed(TRUE),
            Err(e) => fail(e.code(), FALSE),
        },
        Some(ov) => {
            let r = notify_for(ov.hEvent, None).and_then(|n| {
                sk.disconnect_ex_overlapped(flags, Box::new(Vec::new()), n, 0, ov.hEvent)
            });
            mswsock_call(r, ov)
        }
    }
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
        // A socket handle is no event (WSACloseEvent refuses it), but it is waitable, as a
        // file object: unsignalled until an overlapped operation on it completes.
        start();
        let s = socket(AF_INET, SOCK_DGRAM, 0);
        assert_eq!(
            WSAWaitForMultipleEvents(&[s], FALSE, 0, FALSE),
            WSA_WAIT_TIMEOUT
        );
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

    /// Issue 8, item 8: a socket call that succeeds sets the last error to 0, as on Windows
    /// (Wine's Windows-run ws2_32 tests: `ok(!WSAGetLastError())` after a successful
    /// `setsockopt`, `getsockopt`, `getsockname`, `send`, `sendto`, `recvfrom`, `WSARecv`,
    /// `WSAIoctl(FIONREAD/SIOCATMARK/FIONBIO)`, `WSASocket`); event functions leave it alone.
    #[test]
    fn success_sets_last_error_to_zero() {
        const STALE: i32 = 0x0dea_dbee;
        fn stale() {
            WSASetLastError(STALE);
        }
        fn check(what: &str, ok: bool) {
            assert!(ok, "{what} failed: {}", WSAGetLastError());
            assert_eq!(WSAGetLastError(), 0, "{what}: last error after success");
        }
        start();
        stale();
        let l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        check("socket", l != INVALID_SOCKET);
        stale();
        check("bind", bind(l, &"127.0.0.1:0".parse().unwrap()) == 0);
        let mut addr: SocketAddr = "0.0.0.0:0".parse().unwrap();
        stale();
        check("getsockname", getsockname(l, &mut addr) == 0);
        stale();
        check("listen", listen(l, 4) == 0);
        let c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        stale();
        check("connect", connect(c, &addr) == 0);
        stale();
        let a = accept(l, None);
        check("accept", a != INVALID_SOCKET);
        let one = 1i32.to_ne_bytes();
        stale();
        check(
            "setsockopt",
            setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one) == 0,
        );
        let (mut v, mut len) = ([0u8; 4], 4);
        stale();
        check(
            "getsockopt",
            getsockopt(a, SOL_SOCKET, SO_ERROR, &mut v, &mut len) == 0,
        );
        stale();
        check("getpeername", getpeername(a, &mut addr) == 0);
        stale();
        let ev = WSACreateEvent();
        check("WSACreateEvent", ev != WSA_INVALID_EVENT);
        stale();
        check("WSAEventSelect", WSAEventSelect(a, ev, FD_READ) == 0);
        stale();
        check("send", send(c, b"hello", 0) == 5);
        assert_eq!(WSAWaitForMultipleEvents(&[ev], FALSE, 5000, FALSE), 0);
        let mut ne = WSANETWORKEVENTS::default();
        stale();
        check(
            "WSAEnumNetworkEvents",
            WSAEnumNetworkEvents(a, ev, &mut ne) == 0,
        );
        let mut n = 0u32;
        stale();
        check(
            "ioctlsocket(FIONREAD)",
            ioctlsocket(a, FIONREAD, &mut n) == 0,
        );
        assert_eq!(n, 5);
        let mut buf = [0u8; 2];
        stale();
        check("recv", recv(a, &mut buf, 0) == 2);
        stale();
        check("recvfrom", recvfrom(a, &mut buf, 0, None) == 2);
        stale();
        check("shutdown", shutdown(c, SD_SEND) == 0);
        stale();
        check("closesocket", closesocket(c) == 0);

        let u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        assert_eq!(bind(u, &"127.0.0.1:0".parse().unwrap()), 0);
        assert_eq!(getsockname(u, &mut addr), 0);
        stale();
        check("sendto", sendto(u, b"x", 0, &addr) == 1);
        let mut from: SocketAddr = "0.0.0.0:0".parse().unwrap();
        stale();
        check(
            "recvfrom (UDP)",
            recvfrom(u, &mut buf, 0, Some(&mut from)) == 1,
        );

        // Event functions are kernel32's on Windows: success leaves the last error alone.
        stale();
        assert_eq!(WSASetEvent(ev), TRUE);
        assert_eq!(WSAResetEvent(ev), TRUE);
        assert_eq!(
            WSAWaitForMultipleEvents(&[ev], FALSE, 0, FALSE),
            WSA_WAIT_TIMEOUT
        );
        assert_eq!(WSAGetLastError(), STALE);
        // A failure after a success still reports its own error.
        assert_eq!(closesocket(c), SOCKET_ERROR);
        assert_eq!(WSAGetLastError(), WSAENOTSOCK);
        for s in [u, a, l] {
            closesocket(s);
        }
        WSACloseEvent(ev);
        WSACleanup();
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
