//! The simulated network for C programs (`include/wsaevents_sim.h`): a program switches the
//! process to a simulated network before `WSAStartup`, places hosts, scripts faults, and
//! dumps the trace; its unchanged Winsock code then runs on the simulated network, and
//! `Sleep`, `GetTickCount` and `QueryPerformanceCounter` follow virtual time
//! (`capi/time.rs`). Every rule lives in `crate::sim` and below; this file converts
//! arguments and reports errors through `WSAGetLastError`.

use std::ffi::{CStr, c_char, c_int, c_ulonglong};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use super::{fail, ffi};
use crate::error::{WSAEFAULT, WSAEINVAL, WSANOTINITIALISED};
use crate::sim::{Host, Network};

const SOCKET_ERROR: c_int = -1;

struct World {
    net: Network,
    hosts: Vec<Host>,
}

static WORLD: parking_lot::Mutex<Option<World>> = parking_lot::Mutex::new(None);

/// Runs `f` on the started world; `WSANOTINITIALISED` before `wsaevents_sim_start`.
fn with_world<R>(err: R, f: impl FnOnce(&mut World) -> Result<R, i32>) -> R {
    let mut w = WORLD.lock();
    match w.as_mut() {
        None => fail(WSANOTINITIALISED, err),
        Some(w) => match f(w) {
            Ok(r) => r,
            Err(code) => fail(code, err),
        },
    }
}

fn host(w: &World, i: c_int) -> Result<Host, i32> {
    usize::try_from(i)
        .ok()
        .and_then(|i| w.hosts.get(i))
        .cloned()
        .ok_or(WSAEINVAL)
}

/// A C string argument: `WSAEFAULT` for NULL, `WSAEINVAL` if not UTF-8.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn text<'a>(p: *const c_char) -> Result<&'a str, i32> {
    if p.is_null() {
        return Err(WSAEFAULT);
    }
    // SAFETY: non-NULL and NUL-terminated (the caller's contract).
    unsafe { CStr::from_ptr(p) }.to_str().map_err(|_| WSAEINVAL)
}

/// `int wsaevents_sim_start(unsigned long long seed)`: builds a simulated network from
/// `seed` with host 0 ("local", 10.0.0.1 and fd00::1) and switches the process to it.
/// Replaces a network started before. Returns 0.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_sim_start(seed: c_ulonglong) -> c_int {
    ffi(SOCKET_ERROR, || {
        let net = Network::new(seed);
        let local = net.host(
            "local",
            &[
                IpAddr::from([10, 0, 0, 1]),
                "fd00::1".parse().expect("an address"),
            ],
        );
        local.set_process_default();
        *WORLD.lock() = Some(World {
            net,
            hosts: vec![local],
        });
        0
    })
}

/// `int wsaevents_sim_stop(void)`: the process uses the real network again (the simulated
/// network's sockets keep working on it). Returns 0.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_sim_stop() -> c_int {
    ffi(SOCKET_ERROR, || {
        crate::sim::reset_process_default();
        crate::sim::clear_thread_default();
        *WORLD.lock() = None;
        0
    })
}

/// `int wsaevents_sim_add_host(const char *name, const char *addresses)`: a host with
/// these addresses (comma-separated IPv4/IPv6); returns its number, or `SOCKET_ERROR`
/// (`WSAEFAULT` for NULL, `WSAEINVAL` for a bad address).
///
/// # Safety
/// `name` and `addresses` are NULL or NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_sim_add_host(
    name: *const c_char,
    addresses: *const c_char,
) -> c_int {
    ffi(SOCKET_ERROR, || {
        with_world(SOCKET_ERROR, |w| {
            // SAFETY: the caller's contract.
            let (name, list) = unsafe { (text(name)?, text(addresses)?) };
            let addrs = list
                .split(',')
                .map(|a| a.trim().parse::<IpAddr>().map_err(|_| WSAEINVAL))
                .collect::<Result<Vec<_>, _>>()?;
            let h = w.net.host(name, &addrs);
            w.hosts.push(h);
            Ok((w.hosts.len() - 1) as c_int)
        })
    })
}

/// `int wsaevents_sim_enter(int host)`: the calling thread runs on `host` from now on
/// (sockets and events it creates belong there); -1: back to the process's host.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_sim_enter(h: c_int) -> c_int {
    ffi(SOCKET_ERROR, || {
        with_world(SOCKET_ERROR, |w| {
            if h == -1 {
                crate::sim::clear_thread_default();
                return Ok(0);
            }
            host(w, h)?.set_thread_default();
            Ok(0)
        })
    })
}

/// `int wsaevents_sim_set_latency(int a, int b, unsigned long long latency_us,
/// unsigned long long jitter_us)`.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_sim_set_latency(
    a: c_int,
    b: c_int,
    latency_us: c_ulonglong,
    jitter_us: c_ulonglong,
) -> c_int {
    ffi(SOCKET_ERROR, || {
        with_world(SOCKET_ERROR, |w| {
            let (a, b) = (host(w, a)?, host(w, b)?);
            w.net.set_latency(
                &a,
                &b,
                Duration::from_micros(latency_us),
                Duration::from_micros(jitter_us),
            );
            Ok(0)
        })
    })
}

/// `int wsaevents_sim_set_loss(int a, int b, double p)`: `WSAEINVAL` unless 0 <= p <= 1.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_sim_set_loss(a: c_int, b: c_int, p: f64) -> c_int {
    ffi(SOCKET_ERROR, || {
        with_world(SOCKET_ERROR, |w| {
            if !(0.0..=1.0).contains(&p) {
                return Err(WSAEINVAL);
            }
            let (a, b) = (host(w, a)?, host(w, b)?);
            w.net.set_loss(&a, &b, p);
            Ok(0)
        })
    })
}

macro_rules! link_fault {
    ($(#[$m:meta])* $name:ident, $method:ident) => {
        $(#[$m])*
        #[unsafe(no_mangle)]
        pub extern "C" fn $name(a: c_int, b: c_int) -> c_int {
            ffi(SOCKET_ERROR, || {
                with_world(SOCKET_ERROR, |w| {
                    let (a, b) = (host(w, a)?, host(w, b)?);
                    w.net.$method(&a, &b);
                    Ok(0)
                })
            })
        }
    };
}

link_fault!(
    /// `int wsaevents_sim_partition(int a, int b)`.
    wsaevents_sim_partition,
    partition
);
link_fault!(
    /// `int wsaevents_sim_repair(int a, int b)`.
    wsaevents_sim_repair,
    repair
);
link_fault!(
    /// `int wsaevents_sim_hold(int a, int b)`.
    wsaevents_sim_hold,
    hold
);
link_fault!(
    /// `int wsaevents_sim_release(int a, int b)`.
    wsaevents_sim_release,
    release
);

/// `int wsaevents_sim_set_silent(int host, int on)`: a host that never answers.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_sim_set_silent(h: c_int, on: c_int) -> c_int {
    ffi(SOCKET_ERROR, || {
        with_world(SOCKET_ERROR, |w| {
            host(w, h)?.set_silent(on != 0);
            Ok(0)
        })
    })
}

/// `int wsaevents_sim_set_interface_down(int host, int down)`.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_sim_set_interface_down(h: c_int, down: c_int) -> c_int {
    ffi(SOCKET_ERROR, || {
        with_world(SOCKET_ERROR, |w| {
            host(w, h)?.set_interface_down(down != 0);
            Ok(0)
        })
    })
}

/// `int wsaevents_sim_fail_network(int host)`: `WSAENETDOWN` from now on.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_sim_fail_network(h: c_int) -> c_int {
    ffi(SOCKET_ERROR, || {
        with_world(SOCKET_ERROR, |w| {
            host(w, h)?.fail_network();
            Ok(0)
        })
    })
}

/// `int wsaevents_sim_set_unreachable(const char *ip)`.
///
/// # Safety
/// `ip` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_sim_set_unreachable(ip: *const c_char) -> c_int {
    ffi(SOCKET_ERROR, || {
        with_world(SOCKET_ERROR, |w| {
            // SAFETY: the caller's contract.
            let ip = unsafe { text(ip)? }.parse().map_err(|_| WSAEINVAL)?;
            w.net.set_unreachable(ip);
            Ok(0)
        })
    })
}

/// `int wsaevents_sim_reset_stream_at(const char *from, const char *to,
/// unsigned long long at_byte)`: endpoints as `"a.b.c.d:port"` or `"[v6]:port"`.
///
/// # Safety
/// `from` and `to` are NULL or NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_sim_reset_stream_at(
    from: *const c_char,
    to: *const c_char,
    at_byte: c_ulonglong,
) -> c_int {
    ffi(SOCKET_ERROR, || {
        with_world(SOCKET_ERROR, |w| {
            // SAFETY: the caller's contract.
            let (f, t) = unsafe { (text(from)?, text(to)?) };
            let f: SocketAddr = f.parse().map_err(|_| WSAEINVAL)?;
            let t: SocketAddr = t.parse().map_err(|_| WSAEINVAL)?;
            w.net.reset_stream_at(f, t, at_byte);
            Ok(0)
        })
    })
}

/// `unsigned long long wsaevents_sim_now_us(void)`: virtual microseconds since the start;
/// 0 (and `WSANOTINITIALISED`) before it.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_sim_now_us() -> c_ulonglong {
    ffi(0, || {
        with_world(0, |w| Ok(w.net.now().as_micros() as c_ulonglong))
    })
}

/// `int wsaevents_sim_run_for(unsigned long long ms)`: lets virtual time pass.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_sim_run_for(ms: c_ulonglong) -> c_int {
    ffi(SOCKET_ERROR, || {
        let net = with_world(None, |w| Ok(Some(w.net.clone())));
        match net {
            Some(n) => {
                n.run_for(Duration::from_millis(ms));
                0
            }
            None => SOCKET_ERROR,
        }
    })
}

/// `size_t wsaevents_sim_trace(char *buf, size_t size)`: copies the trace (NUL-terminated,
/// cut to `size - 1` bytes) and returns its full length, as `snprintf` does; `buf` may be
/// NULL when `size` is 0.
///
/// # Safety
/// `buf` is NULL or points to `size` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_sim_trace(buf: *mut c_char, size: usize) -> usize {
    ffi(0, || {
        let t = with_world(String::new(), |w| Ok(w.net.trace()));
        if size > 0 {
            if buf.is_null() {
                return fail(WSAEFAULT, 0);
            }
            let n = t.len().min(size - 1);
            // SAFETY: `buf` has `size` > n writable bytes (the caller's contract).
            unsafe {
                std::ptr::copy_nonoverlapping(t.as_ptr(), buf.cast::<u8>(), n);
                *buf.add(n) = 0;
            }
        }
        t.len()
    })
}

/// `int wsaevents_sim_dump_trace(void)`: writes the trace to standard output.
#[unsafe(no_mangle)]
pub extern "C" fn wsaevents_sim_dump_trace() -> c_int {
    ffi(SOCKET_ERROR, || {
        with_world(SOCKET_ERROR, |w| {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(w.net.trace().as_bytes());
            let _ = out.flush();
            Ok(0)
        })
    })
}
