//! The C-ABI attack driver (issue 8, item 12): random call sequences over the exported C
//! functions, with live, closed, garbage and other-kind handles, random NULLs and lengths,
//! `WSAStartup`/`WSACleanup` interleaved, from several threads sharing their handles.
//!
//! Two front ends use it: `fuzz/fuzz_targets/capi_calls.rs` (cargo-fuzz: the bytes come
//! from libFuzzer) and `tests/capi_fuzz.rs` (a bounded, seeded run that `cargo test` does:
//! the bytes come from a deterministic PRNG). See docs/porting.md, "Fuzzing the C ABI".
//!
//! What is checked: no call panics (a panic inside the library would be caught at the C
//! edge and turned into `WSASYSCALLFAILURE`; the driver's panic hook aborts instead, so the
//! fuzzer reports it), no call crashes or hangs, and the results stay in their domains
//! (byte counts within the buffer, handle values Windows-like, wait results in range, no
//! `WSASYSCALLFAILURE`). Everything is loopback-only: an address the driver passes is
//! loopback, unspecified or of a foreign family, and its port is one of the driver's own
//! sockets' or 0. Nothing can block: every socket is made non-blocking before any thread
//! can pick it (and `FIONBIO 0` is never sent), waits time out within a few milliseconds,
//! and `SO_LINGER` times are 0 or 1 s.
#![allow(dead_code, clippy::missing_safety_doc)]

use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};

use wsaevents::capi::addr as a;
use wsaevents::capi::events as ev;
use wsaevents::capi::last_error as le;
use wsaevents::capi::sockets as so;
use wsaevents::capi::startup as st;
use wsaevents::capi::time as tm;
use wsaevents::winsock::{INVALID_SOCKET, SOCKET, WSADATA, WSANETWORKEVENTS};

type Handle = *mut c_void;

const AF_INET: c_int = 2;
const AF_INET6: c_int = 23;
const WSASYSCALLFAILURE: i32 = 10107;
const FIONBIO: i32 = 0x8004_667Eu32 as i32;
const FIONREAD: i32 = 0x4004_667F;
const SIOCATMARK: i32 = 0x4004_7307;
const SOL_SOCKET: c_int = 0xFFFF;
const SO_LINGER: c_int = 0x0080;
/// The most sockets the pool keeps open (beyond it, one is closed before a new one).
const MAX_SOCKETS: usize = 48;
const MAX_EVENTS: usize = 48;

/// The number of operations `step` chooses from.
pub const OPS: usize = 28;

/// Calls made and calls that succeeded (last error 0 after the call), per operation: how
/// much of the surface a run reached (printed by the seeded test).
pub static CALLS: [AtomicUsize; OPS] = [const { AtomicUsize::new(0) }; OPS];
/// See [`CALLS`].
pub static SUCCESSES: [AtomicUsize; OPS] = [const { AtomicUsize::new(0) }; OPS];

/// Where the driver's choices come from.
pub trait Source {
    /// The next byte, or `None` when the input is used up.
    fn byte(&mut self) -> Option<u8>;
}

/// libFuzzer's input.
pub struct Bytes<'a>(pub &'a [u8]);

impl Source for Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
}

/// A deterministic PRNG (SplitMix64) giving `budget` bytes.
pub struct Seeded {
    state: u64,
    buf: u64,
    left_in_buf: u32,
    budget: usize,
}

impl Seeded {
    /// `budget` bytes from `seed`.
    pub fn new(seed: u64, budget: usize) -> Seeded {
        Seeded {
            state: seed,
            buf: 0,
            left_in_buf: 0,
            budget,
        }
    }
}

impl Source for Seeded {
    fn byte(&mut self) -> Option<u8> {
        if self.budget == 0 {
            return None;
        }
        self.budget -= 1;
        if self.left_in_buf == 0 {
            self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            self.buf = z ^ (z >> 31);
            self.left_in_buf = 8;
        }
        self.left_in_buf -= 1;
        let b = self.buf as u8;
        self.buf >>= 8;
        Some(b)
    }
}

/// What the threads of one run share: the handles they made and the ports they bound.
#[derive(Default)]
pub struct Pool {
    sockets: Vec<SOCKET>,
    events: Vec<usize>,
    closed: Vec<usize>,
    ports4: Vec<u16>,
    ports6: Vec<u16>,
}

/// Installs the panic hook once: any panic (inside the library, caught at the C edge, or
/// a failed check of the driver) aborts with its message, so that neither libFuzzer nor
/// the test can miss it.
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            // Straight to the stream: the test harness's capture would be lost at the abort.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "capi fuzz driver: panic: {info}");
            std::process::abort();
        }));
    });
}

/// One thread's walk through the C ABI.
pub struct Walker<'s, S: Source> {
    src: &'s mut S,
    pool: Arc<Mutex<Pool>>,
    /// Successful `WSAStartup`s minus successful `WSACleanup`s, undone at the end.
    net_startups: i64,
    done: bool,
}

impl<'s, S: Source> Walker<'s, S> {
    pub fn new(src: &'s mut S, pool: Arc<Mutex<Pool>>) -> Self {
        Walker {
            src,
            pool,
            net_startups: 0,
            done: false,
        }
    }

    fn u8(&mut self) -> u8 {
        match self.src.byte() {
            Some(b) => b,
            None => {
                self.done = true;
                0
            }
        }
    }

    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    fn below(&mut self, n: u32) -> u32 {
        if n == 0 { 0 } else { self.u16() as u32 % n }
    }

    fn pick<T: Copy>(&mut self, v: &[T]) -> Option<T> {
        if v.is_empty() {
            None
        } else {
            Some(v[self.below(v.len() as u32) as usize])
        }
    }

    /// A handle value: a live socket, a live event, a closed value, or garbage.
    fn handle(&mut self) -> usize {
        let kind = self.u8() % 10;
        let p = self.pool.lock().unwrap();
        let (s, e, c) = (p.sockets.clone(), p.events.clone(), p.closed.clone());
        drop(p);
        let picked = match kind {
            0..=3 => self.pick(&s),
            4..=6 => self.pick(&e),
            7 => self.pick(&c),
            _ => None,
        };
        picked.unwrap_or_else(|| self.garbage())
    }

    /// A value that is not a handle the driver made. (Small multiples of 4 are left out:
    /// they are the values of fresh slots, and a socket another thread has just created is
    /// still blocking until that thread makes it non-blocking.)
    fn garbage(&mut self) -> usize {
        match self.u8() % 7 {
            0 => 0,
            1 => 1 + self.below(3) as usize,
            2 => usize::MAX,
            3 => usize::MAX - 3,
            4 => 0x7FFF_FFFC,
            5 => ((self.u32() as usize) & !3) | 0x4000_0000,
            _ => self.u32() as usize | ((self.u32() as usize) << 32) | 1,
        }
    }

    fn socket_handle(&mut self) -> SOCKET {
        self.handle()
    }

    fn event_handle(&mut self) -> Handle {
        std::ptr::without_provenance_mut(self.handle())
    }

    /// A length for a buffer of `cap` bytes: within it, or negative, never beyond it.
    fn len(&mut self, cap: usize) -> c_int {
        match self.u8() % 8 {
            0 => -1,
            1 => -(self.u16() as c_int) - 1,
            2 => 0,
            3 => cap as c_int,
            _ => self.below(cap as u32 + 1) as c_int,
        }
    }

    /// A Windows `SOCKADDR` for an outgoing call, loopback-only, in `buf`; its length.
    fn sockaddr(&mut self, buf: &mut [u8; 64]) -> c_int {
        buf.fill(0);
        let (ports4, ports6) = {
            let p = self.pool.lock().unwrap();
            (p.ports4.clone(), p.ports6.clone())
        };
        let port = |w: &mut Self, ports: &[u16]| {
            if w.u8() % 4 == 0 {
                0
            } else {
                w.pick(ports).unwrap_or(0)
            }
        };
        match self.u8() % 6 {
            0 | 1 => {
                buf[..2].copy_from_slice(&(AF_INET as u16).to_ne_bytes());
                let p = port(self, &ports4);
                buf[2..4].copy_from_slice(&p.to_be_bytes());
                if self.u8() % 3 != 0 {
                    buf[4..8].copy_from_slice(&[127, 0, 0, 1]);
                }
                if self.u8() % 8 == 0 { self.len(64) } else { 16 }
            }
            2 => {
                buf[..2].copy_from_slice(&(AF_INET6 as u16).to_ne_bytes());
                let p = port(self, &ports6);
                buf[2..4].copy_from_slice(&p.to_be_bytes());
                if self.u8() % 3 != 0 {
                    buf[23] = 1; // ::1
                }
                if self.u8() % 8 == 0 { self.len(64) } else { 28 }
            }
            3 => {
                // A family this library does not take (Linux's AF_INET6 = 10, AF_UNIX, …).
                let fam = [1u16, 10, 0, 0xFFFF][self.below(4) as usize];
                buf[..2].copy_from_slice(&fam.to_ne_bytes());
                for b in buf[2..8].iter_mut() {
                    *b = self.u8();
                }
                self.len(64)
            }
            _ => {
                buf[..2].copy_from_slice(&(AF_INET as u16).to_ne_bytes());
                self.len(64).min(15)
            }
        }
    }

    fn add_socket(&mut self, s: SOCKET) {
        check_handle_value(s);
        // Never blocking, before any other thread can pick it.
        let mut one: u32 = 1;
        // SAFETY: a valid local u_long.
        unsafe { so::ioctlsocket(s, FIONBIO, &mut one) };
        let victim = {
            let mut p = self.pool.lock().unwrap();
            p.sockets.push(s);
            (p.sockets.len() > MAX_SOCKETS).then(|| p.sockets.remove(0))
        };
        if let Some(v) = victim {
            self.close_socket(v);
        }
    }

    fn close_socket(&mut self, s: SOCKET) {
        if so::closesocket(s) == 0 {
            let mut p = self.pool.lock().unwrap();
            p.sockets.retain(|&x| x != s);
            p.closed.push(s);
            if p.closed.len() > 64 {
                p.closed.remove(0);
            }
        }
    }

    fn add_event(&mut self, h: Handle) {
        if h.is_null() {
            return;
        }
        check_handle_value(h.addr());
        let victim = {
            let mut p = self.pool.lock().unwrap();
            p.events.push(h.addr());
            (p.events.len() > MAX_EVENTS).then(|| p.events.remove(0))
        };
        if let Some(v) = victim {
            ev::WSACloseEvent(std::ptr::without_provenance_mut(v));
        }
    }

    fn note_bound(&mut self, s: SOCKET) {
        let mut b = [0u8; 64];
        let mut len: c_int = 64;
        // SAFETY: a 64-byte local buffer and its length.
        let rc = unsafe { so::wsaevents_getsockname(s, b.as_mut_ptr().cast(), &mut len) };
        if rc == 0 {
            let fam = i32::from(u16::from_ne_bytes([b[0], b[1]]));
            let port = u16::from_be_bytes([b[2], b[3]]);
            let mut p = self.pool.lock().unwrap();
            let ports = if fam == AF_INET {
                &mut p.ports4
            } else {
                &mut p.ports6
            };
            if port != 0 && !ports.contains(&port) {
                ports.push(port);
            }
        }
    }

    /// Runs until the source is used up.
    pub fn run(&mut self) {
        let mut data = WSADATA::default();
        // SAFETY: a valid WSADATA.
        if unsafe { st::WSAStartup(0x0202, &mut data) } == 0 {
            self.net_startups += 1;
        }
        while !self.done {
            self.step();
            le::WSAGetLastError(); // never WSASYSCALLFAILURE: checked in step
        }
        while self.net_startups > 0 {
            st::WSACleanup();
            self.net_startups -= 1;
        }
        while self.net_startups < 0 {
            // SAFETY: a valid WSADATA.
            unsafe { st::WSAStartup(0x0202, &mut data) };
            self.net_startups += 1;
        }
    }

    fn step(&mut self) {
        le::WSASetLastError(0);
        let op = self.u8() % OPS as u8;
        let mut buf = [0u8; 256];
        let mut addr = [0u8; 64];
        // SAFETY (for every call below): each pointer passed is NULL or points to a live
        // local of at least the length passed with it; lengths never exceed buffers.
        unsafe {
            match op {
                0 | 1 => {
                    let (af, ty, proto) = if self.u8() % 2 == 0 {
                        let af = [AF_INET, AF_INET6][self.below(2) as usize];
                        [(af, 1, 0), (af, 1, 6), (af, 2, 0), (af, 2, 17)][self.below(4) as usize]
                    } else {
                        let af = [AF_INET, AF_INET6, 0, 1, 10, -1][self.below(6) as usize];
                        let ty = [1, 2, 3, 0, -1][self.below(5) as usize];
                        let proto = [0, 6, 17, 1, 255, -1][self.below(6) as usize];
                        (af, ty, proto)
                    };
                    let s = so::wsaevents_socket(af, ty, proto);
                    if s != INVALID_SOCKET {
                        self.add_socket(s);
                    }
                }
                2 => {
                    let s = self.socket_handle();
                    self.close_socket(s);
                    so::closesocket(s);
                }
                3 => {
                    let s = self.socket_handle();
                    let n = self.sockaddr(&mut addr);
                    // bind: port 0 only, never a foreign one.
                    addr[2] = 0;
                    addr[3] = 0;
                    let p = if self.u8() % 10 == 0 {
                        std::ptr::null()
                    } else {
                        addr.as_ptr()
                    };
                    if so::wsaevents_bind(s, p.cast(), n) == 0 {
                        self.note_bound(s);
                    }
                }
                4 => {
                    let s = self.socket_handle();
                    let backlog = [0, 1, 5, -1, i32::MAX][self.below(5) as usize];
                    if so::wsaevents_listen(s, backlog) == 0 {
                        self.note_bound(s);
                    }
                }
                5 => {
                    let s = self.socket_handle();
                    let mut len: c_int = self.len(64);
                    let (ap, lp): (*mut c_void, *mut c_int) = match self.u8() % 4 {
                        0 => (std::ptr::null_mut(), std::ptr::null_mut()),
                        1 => (std::ptr::null_mut(), &mut len),
                        2 => (addr.as_mut_ptr().cast(), std::ptr::null_mut()),
                        _ => (addr.as_mut_ptr().cast(), &mut len),
                    };
                    let n = so::wsaevents_accept(s, ap, lp);
                    if n != INVALID_SOCKET {
                        self.add_socket(n);
                    }
                }
                6 => {
                    let s = self.socket_handle();
                    let n = self.sockaddr(&mut addr);
                    let p = if self.u8() % 10 == 0 {
                        std::ptr::null()
                    } else {
                        addr.as_ptr()
                    };
                    so::wsaevents_connect(s, p.cast(), n);
                }
                7 | 8 => {
                    let s = self.socket_handle();
                    let len = self.len(buf.len());
                    let flags = self.flags();
                    let p = self.maybe_null(buf.as_mut_ptr());
                    let r = so::wsaevents_recv(s, p.cast(), len, flags);
                    check_count(r, len);
                }
                9 | 10 => {
                    let s = self.socket_handle();
                    let len = self.len(buf.len());
                    let flags = self.flags();
                    let p = self.maybe_null(buf.as_mut_ptr());
                    let r = so::wsaevents_send(s, p.cast_const().cast(), len, flags);
                    check_count(r, len);
                }
                11 => {
                    let s = self.socket_handle();
                    let len = self.len(buf.len());
                    let flags = self.flags();
                    let mut alen: c_int = self.len(64);
                    let (ap, lp): (*mut c_void, *mut c_int) = match self.u8() % 3 {
                        0 => (std::ptr::null_mut(), std::ptr::null_mut()),
                        1 => (addr.as_mut_ptr().cast(), std::ptr::null_mut()),
                        _ => (addr.as_mut_ptr().cast(), &mut alen),
                    };
                    let p = self.maybe_null(buf.as_mut_ptr());
                    let r = so::wsaevents_recvfrom(s, p.cast(), len, flags, ap, lp);
                    check_count(r, len);
                }
                12 => {
                    let s = self.socket_handle();
                    let len = self.len(buf.len());
                    let flags = self.flags();
                    let n = self.sockaddr(&mut addr);
                    let to = if self.u8() % 6 == 0 {
                        std::ptr::null()
                    } else {
                        addr.as_ptr()
                    };
                    let p = self.maybe_null(buf.as_mut_ptr());
                    let r =
                        so::wsaevents_sendto(s, p.cast_const().cast(), len, flags, to.cast(), n);
                    check_count(r, len);
                }
                13 => {
                    let s = self.socket_handle();
                    so::wsaevents_shutdown(s, self.below(5) as c_int - 1);
                }
                14 => {
                    let s = self.socket_handle();
                    let cmd = [FIONBIO, FIONREAD, SIOCATMARK, 0, self.u32() as i32]
                        [self.below(5) as usize];
                    // Never FIONBIO 0: a blocking socket could block the walk.
                    let mut arg: u32 = 1 + u32::from(self.u8());
                    let p = if self.u8() % 6 == 0 {
                        std::ptr::null_mut()
                    } else {
                        &mut arg
                    };
                    so::ioctlsocket(s, cmd, p);
                }
                15 => {
                    let s = self.socket_handle();
                    let (level, name) = self.option();
                    let mut len: c_int = self.len(16);
                    let lp = if self.u8() % 6 == 0 {
                        std::ptr::null_mut()
                    } else {
                        &mut len
                    };
                    let p = self.maybe_null(buf.as_mut_ptr());
                    if so::wsaevents_getsockopt(s, level, name, p.cast(), lp) == 0 {
                        assert!((0..=16).contains(&len), "getsockopt wrote optlen {len}");
                    }
                }
                16 => {
                    let s = self.socket_handle();
                    let (level, name) = self.option();
                    for b in buf[..16].iter_mut() {
                        *b = self.u8();
                    }
                    if level == SOL_SOCKET && name == SO_LINGER {
                        // A linger time > 1 s could make a close wait that long.
                        buf[2] &= 1;
                        buf[3] = 0;
                    }
                    let len = self.len(16);
                    let p = self.maybe_null(buf.as_mut_ptr());
                    so::wsaevents_setsockopt(s, level, name, p.cast_const().cast(), len);
                }
                17 => {
                    let s = self.socket_handle();
                    let mut len: c_int = self.len(64);
                    let lp = if self.u8() % 6 == 0 {
                        std::ptr::null_mut()
                    } else {
                        &mut len
                    };
                    let ap = self.maybe_null(addr.as_mut_ptr());
                    if self.u8() % 2 == 0 {
                        so::wsaevents_getsockname(s, ap.cast(), lp);
                    } else {
                        so::wsaevents_getpeername(s, ap.cast(), lp);
                    }
                }
                18 => {
                    let s = self.socket_handle();
                    let e = self.event_handle();
                    let mask = match self.u8() % 3 {
                        0 => 0,
                        1 => 0x3F,
                        _ => self.u32() as i32,
                    };
                    so::WSAEventSelect(s, e, mask);
                }
                19 => {
                    let s = self.socket_handle();
                    let e = self.event_handle();
                    let mut ne = WSANETWORKEVENTS::default();
                    let p = if self.u8() % 6 == 0 {
                        std::ptr::null_mut()
                    } else {
                        &mut ne
                    };
                    so::WSAEnumNetworkEvents(s, e, p);
                }
                20 => {
                    let h = match self.u8() % 4 {
                        0 => ev::WSACreateEvent(),
                        1 => ev::CreateEventA(
                            std::ptr::null_mut(),
                            i32::from(self.u8() & 1),
                            i32::from(self.u8() & 1),
                            if self.u8() % 4 == 0 {
                                c"x".as_ptr()
                            } else {
                                std::ptr::null()
                            },
                        ),
                        _ => ev::CreateEventW(
                            std::ptr::null_mut(),
                            i32::from(self.u8() & 1),
                            i32::from(self.u8() & 1),
                            std::ptr::null(),
                        ),
                    };
                    self.add_event(h);
                }
                21 => {
                    let h = self.event_handle();
                    match self.u8() % 6 {
                        0 => ev::WSASetEvent(h),
                        1 => ev::WSAResetEvent(h),
                        2 => ev::SetEvent(h),
                        3 => ev::ResetEvent(h),
                        4 => ev::WSACloseEvent(h),
                        _ => ev::CloseHandle(h),
                    };
                }
                22 => {
                    let mut hs = [std::ptr::null_mut::<c_void>(); 66];
                    let count = match self.u8() % 8 {
                        0 => 0,
                        1 => 64 + self.below(3),
                        _ => 1 + self.below(6),
                    };
                    for h in hs.iter_mut().take(count as usize) {
                        *h = self.event_handle();
                    }
                    let all = i32::from(self.u8() & 1);
                    let ms = self.below(4);
                    let p = if self.u8() % 10 == 0 {
                        std::ptr::null()
                    } else {
                        hs.as_ptr()
                    };
                    let r = match self.u8() % 3 {
                        0 => ev::WSAWaitForMultipleEvents(count, p, all, ms, 0),
                        1 => ev::WaitForMultipleObjects(count, p, all, ms),
                        _ => ev::WaitForSingleObject(hs[0], ms),
                    };
                    assert!(
                        r < count.max(1) || r == 0x102 || r == 0xFFFF_FFFF,
                        "wait returned {r:#x} for {count} handles"
                    );
                }
                23 => {
                    // Start-ups outnumber clean-ups, so that the count is mostly positive
                    // and the socket calls get past WSANOTINITIALISED.
                    if self.u8() % 4 != 0 {
                        let mut data = WSADATA::default();
                        let v = [0x0202u16, 0x0101, 0x0000, self.u16()][self.below(4) as usize];
                        let p = if self.u8() % 8 == 0 {
                            std::ptr::null_mut()
                        } else {
                            &mut data
                        };
                        if st::WSAStartup(v, p) == 0 {
                            self.net_startups += 1;
                        }
                    } else if st::WSACleanup() == 0 {
                        self.net_startups -= 1;
                    }
                }
                24 => {
                    let mut code = self.u32();
                    if code == WSASYSCALLFAILURE as u32 {
                        code = 0;
                    }
                    match self.u8() % 2 {
                        0 => le::WSASetLastError(code as i32),
                        _ => le::SetLastError(code),
                    }
                    assert_eq!(le::GetLastError(), code);
                    return;
                }
                25 => {
                    // Address conversions, with random strings and short buffers.
                    let n = self.below(40) as usize;
                    for b in buf[..n].iter_mut() {
                        *b = b"0123456789abcdef.:%x "[self.below(21) as usize];
                    }
                    buf[n] = 0;
                    let af = [AF_INET, AF_INET6, 0, 10][self.below(4) as usize];
                    let mut out = [0u8; 64];
                    let op = self.u8() % 4;
                    match op {
                        0 => {
                            let dst = self.maybe_null(out.as_mut_ptr());
                            a::wsaevents_inet_pton(af, buf.as_ptr().cast(), dst.cast());
                        }
                        1 => {
                            let size = self.below(65) as usize;
                            let dst = self.maybe_null(out.as_mut_ptr());
                            let src = self.maybe_null(addr.as_mut_ptr());
                            a::wsaevents_inet_ntop(af, src.cast_const().cast(), dst.cast(), size);
                        }
                        2 => {
                            let p = self.maybe_null(buf.as_mut_ptr());
                            a::wsaevents_inet_addr(p.cast_const().cast());
                        }
                        _ => {
                            let x = self.u32();
                            assert_eq!(a::wsaevents_ntohl(a::wsaevents_htonl(x)), x);
                            let y = x as u16;
                            assert_eq!(a::wsaevents_ntohs(a::wsaevents_htons(y)), y);
                        }
                    }
                }
                27 => self.pair(),
                _ => {
                    let mut v = 0i64;
                    let p = self.maybe_null(&mut v as *mut i64);
                    tm::QueryPerformanceCounter(p);
                    tm::QueryPerformanceFrequency(p);
                    tm::GetTickCount();
                    tm::GetTickCount64();
                    tm::Sleep(0);
                }
            }
        }
        let e = le::WSAGetLastError();
        assert_ne!(
            e, WSASYSCALLFAILURE,
            "op {op}: a panic was caught at the C edge"
        );
        CALLS[op as usize].fetch_add(1, Ordering::Relaxed);
        if e == 0 {
            SUCCESSES[op as usize].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// A connected TCP pair (through a listener of its own) or two bound UDP sockets, all
    /// in the pool: the data paths need connected sockets, which random calls rarely make.
    fn pair(&mut self) {
        let v6 = self.u8() % 4 == 0;
        let (af, lo) = if v6 { (AF_INET6, 28) } else { (AF_INET, 16) };
        let mut sa = [0u8; 64];
        sa[..2].copy_from_slice(&(af as u16).to_ne_bytes());
        if v6 {
            sa[23] = 1;
        } else {
            sa[4..8].copy_from_slice(&[127, 0, 0, 1]);
        }
        let udp = self.u8() % 3 == 0;
        let ty = if udp { 2 } else { 1 };
        // SAFETY: `sa` is a live 64-byte buffer; lengths are within it.
        unsafe {
            let l = so::wsaevents_socket(af, ty, 0);
            if l == INVALID_SOCKET {
                return;
            }
            self.add_socket(l);
            if so::wsaevents_bind(l, sa.as_ptr().cast(), lo) != 0 {
                return;
            }
            self.note_bound(l);
            let mut len: c_int = 64;
            so::wsaevents_getsockname(l, sa.as_mut_ptr().cast(), &mut len);
            let c = so::wsaevents_socket(af, ty, 0);
            if c == INVALID_SOCKET {
                return;
            }
            self.add_socket(c);
            if udp {
                so::wsaevents_connect(c, sa.as_ptr().cast(), lo);
                return;
            }
            if so::wsaevents_listen(l, 4) != 0 {
                return;
            }
            so::wsaevents_connect(c, sa.as_ptr().cast(), lo);
            let s = so::wsaevents_accept(l, std::ptr::null_mut(), std::ptr::null_mut());
            if s != INVALID_SOCKET {
                self.add_socket(s);
            }
        }
    }

    fn flags(&mut self) -> c_int {
        [0, 1, 2, 3, 4, 0x8000, -1][self.below(7) as usize]
    }

    fn option(&mut self) -> (c_int, c_int) {
        let level = [SOL_SOCKET, 6, 0, 41, -1, 0x8000][self.below(6) as usize];
        let name = [
            0x0004, 0x0008, 0x0080, 0x0100, 0x1001, 0x1002, 0x1007, 0x1008, 0x0001, 0, -1,
        ][self.below(11) as usize];
        (level, name)
    }

    fn maybe_null<T>(&mut self, p: *mut T) -> *mut T {
        if self.u8() % 10 == 0 {
            std::ptr::null_mut()
        } else {
            p
        }
    }
}

/// A handle value Windows could give: a multiple of 4 below 2³¹, not 0.
fn check_handle_value(h: usize) {
    assert!(h != 0 && h % 4 == 0 && h < 1 << 31, "handle value {h:#x}");
}

/// A byte count within the buffer, or `SOCKET_ERROR`.
fn check_count(r: c_int, len: c_int) {
    assert!(
        r == -1 || (0..=len.max(0)).contains(&r),
        "byte count {r} for length {len}"
    );
}

/// Closes every handle the pool still holds (end of one run). Under a start-up of its own:
/// the walkers undo theirs, so the count may be back at 0, where `closesocket` would fail
/// with `WSANOTINITIALISED` and leave the sockets open.
pub fn drain(pool: &Mutex<Pool>) {
    let mut data = WSADATA::default();
    // SAFETY: a valid WSADATA.
    let started = unsafe { st::WSAStartup(0x0202, &mut data) } == 0;
    let mut p = pool.lock().unwrap();
    for s in p.sockets.drain(..) {
        so::closesocket(s);
    }
    for e in p.events.drain(..) {
        ev::WSACloseEvent(std::ptr::without_provenance_mut(e));
    }
    p.closed.clear();
    p.ports4.clear();
    p.ports6.clear();
    if started {
        st::WSACleanup();
    }
}

/// The number of open file descriptors of this process (Linux), to check that a run leaks
/// none; `None` elsewhere.
pub fn open_fds() -> Option<usize> {
    std::fs::read_dir("/proc/self/fd").ok().map(|d| d.count())
}

/// One fuzz input: the first byte chooses 1 to 3 threads; the rest is cut into that many
/// streams, one per thread, walked concurrently over one shared pool.
pub fn run_input(data: &[u8]) {
    install_panic_hook();
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let threads = 1 + usize::from(first % 3);
    let chunk = rest.len().div_ceil(threads).max(1);
    let pool = Arc::new(Mutex::new(Pool::default()));
    std::thread::scope(|sc| {
        for part in rest.chunks(chunk) {
            let pool = Arc::clone(&pool);
            sc.spawn(move || {
                let mut src = Bytes(part);
                Walker::new(&mut src, pool).run();
            });
        }
    });
    drain(&pool);
}
