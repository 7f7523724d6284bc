//! `getservbyname` and `getservbyport`: the services database and the `servent` calls.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char, c_int};
use std::sync::Mutex;

use crate::capi::{ensure_started, fail, ffi};

use super::*;

/// The services database is not thread-safe (`getservbyname` returns static storage, and
/// macOS has no `_r` variants): one lookup at a time, copied out at once.
static SERVICES: Mutex<()> = Mutex::new(());

/// A services-database entry, copied out of the C library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// `s_name`.
    pub name: String,
    /// `s_aliases`.
    pub aliases: Vec<String>,
    /// The port, host order.
    pub port: u16,
    /// `s_proto`.
    pub proto: String,
}

/// Copies a C library `servent`.
///
/// # Safety
/// `se` must be NULL or a valid `servent` (held under [`SERVICES`]).
unsafe fn copy_servent(se: *const libc::servent) -> Option<Service> {
    if se.is_null() {
        return None;
    }
    // SAFETY: non-NULL and valid by the caller's contract; its strings are NUL-terminated
    // and the alias list is NULL-terminated.
    unsafe {
        let s = &*se;
        let text = |p: *const c_char| {
            if p.is_null() {
                String::new()
            } else {
                CStr::from_ptr(p).to_string_lossy().into_owned()
            }
        };
        let mut aliases = Vec::new();
        if !s.s_aliases.is_null() {
            let mut a = s.s_aliases;
            while !(*a).is_null() {
                aliases.push(text(*a));
                a = a.add(1);
            }
        }
        Some(Service {
            name: text(s.s_name),
            aliases,
            port: u16::from_be(s.s_port as u16),
            proto: text(s.s_proto),
        })
    }
}

/// `getservbyname` on the system's services database.
pub fn service_by_name(name: &str, proto: Option<&str>) -> Option<Service> {
    let name = CString::new(name).ok()?;
    let proto = match proto {
        Some(p) => Some(CString::new(p).ok()?),
        None => None,
    };
    let _guard = SERVICES.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: both strings are NUL-terminated (or NULL); the result is copied while the
    // lock keeps other callers of this module away from the static storage.
    unsafe {
        let se = libc::getservbyname(
            name.as_ptr(),
            proto.as_ref().map_or(std::ptr::null(), |p| p.as_ptr()),
        );
        copy_servent(se)
    }
}

/// `getservbyport` on the system's services database (`port` in host order).
pub fn service_by_port(port: u16, proto: Option<&str>) -> Option<Service> {
    let proto = match proto {
        Some(p) => Some(CString::new(p).ok()?),
        None => None,
    };
    let _guard = SERVICES.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: as in service_by_name.
    unsafe {
        let se = libc::getservbyport(
            // Network order, as a positive int (glibc compares ints).
            c_int::from(port.to_be()),
            proto.as_ref().map_or(std::ptr::null(), |p| p.as_ptr()),
        );
        copy_servent(se)
    }
}

thread_local! {
    static SERVENT_BUF: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Lays out a `servent` in `buf`: the structure, the alias pointers, then the strings.
fn pack_servent(buf: &mut Vec<u64>, s: &Service) -> *mut SERVENT {
    let ptr = size_of::<*mut c_char>();
    let strings: Vec<&str> = [s.name.as_str(), s.proto.as_str()]
        .into_iter()
        .chain(s.aliases.iter().map(String::as_str))
        .collect();
    let aliases_at = size_of::<SERVENT>();
    let strings_at = aliases_at + (s.aliases.len() + 1) * ptr;
    let total = strings_at + strings.iter().map(|t| t.len() + 1).sum::<usize>();
    // Cleared and resized in place: a buffer big enough is reused, so a second result
    // often comes back at the same address (Windows does not resize when not needed:
    // Wine's test_getservbyname).
    buf.clear();
    buf.resize(total.div_ceil(8), 0);
    let base = buf.as_mut_ptr().cast::<u8>();
    // SAFETY: every write is inside the `total` bytes just allocated; the pointer slots are
    // 8-aligned (u64 buffer, SERVENT size a multiple of 8).
    unsafe {
        let mut at = strings_at;
        let mut ptrs = Vec::with_capacity(strings.len());
        for t in &strings {
            let p = base.add(at);
            std::ptr::copy_nonoverlapping(t.as_ptr(), p, t.len());
            p.add(t.len()).write(0);
            ptrs.push(p.cast::<c_char>());
            at += t.len() + 1;
        }
        let aliases = base.add(aliases_at).cast::<*mut c_char>();
        for (i, p) in ptrs[2..].iter().enumerate() {
            aliases.add(i).write(*p);
        }
        aliases.add(s.aliases.len()).write(std::ptr::null_mut());
        let se = base.cast::<SERVENT>();
        se.write(SERVENT {
            s_name: ptrs[0],
            s_aliases: aliases,
            s_proto: ptrs[1],
            s_port: s.port.to_be() as i16,
        });
        se
    }
}

/// Stores a service in the calling thread's `servent` and returns it (last error 0), or
/// NULL with `WSANO_DATA`.
fn servent_result(r: Option<Service>) -> *mut SERVENT {
    match r {
        Some(s) => SERVENT_BUF.with(|b| fail(0, pack_servent(&mut b.borrow_mut(), &s))),
        None => fail(WSANO_DATA, std::ptr::null_mut()),
    }
}

/// `struct servent *getservbyname(const char *name, const char *proto)`, exported as
/// `wsaevents_getservbyname`: the services-database entry (`s_port` in network order), in
/// the calling thread's storage; NULL with `WSANO_DATA` if unknown (or NULL name).
///
/// # Safety
/// Strings NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_getservbyname(
    name: *const c_char,
    proto: *const c_char,
) -> *mut SERVENT {
    ffi(std::ptr::null_mut(), || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), std::ptr::null_mut());
        }
        // SAFETY: by the caller's contract.
        let (name, proto) = unsafe { (c_str(name), c_str(proto)) };
        let Some(name) = name else {
            return fail(WSANO_DATA, std::ptr::null_mut());
        };
        servent_result(service_by_name(&name, proto.as_deref()))
    })
}

/// `struct servent *getservbyport(int port, const char *proto)`, exported as
/// `wsaevents_getservbyport`: `port` in network order (its low 16 bits).
///
/// # Safety
/// `proto` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_getservbyport(
    port: c_int,
    proto: *const c_char,
) -> *mut SERVENT {
    ffi(std::ptr::null_mut(), || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), std::ptr::null_mut());
        }
        // SAFETY: by the caller's contract.
        let proto = unsafe { c_str(proto) };
        servent_result(service_by_port(u16::from_be(port as u16), proto.as_deref()))
    })
}
