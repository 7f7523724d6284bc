//! `gethostbyname`, `gethostbyaddr`, `gethostname`, `GetHostNameW`: the host's name and the
//! `hostent` calls.

use std::cell::RefCell;
use std::ffi::{c_char, c_int};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::capi::addr::{AF_INET, AF_INET6, inet_addr_host};
use crate::capi::{ensure_started, fail, ffi};
use crate::error::{WSAEAFNOSUPPORT, WSAEFAULT};

use super::*;

/// The system's host name.
pub fn host_name() -> Result<String, i32> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is writable for its length; gethostname NUL-terminates within it
    // when the name fits (and the last byte stays 0 otherwise).
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) };
    if rc != 0 {
        return Err(WSANO_RECOVERY);
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Ok(String::from_utf8_lossy(&buf[..end]).into_owned())
}

/// A host as `gethostbyname`/`gethostbyaddr` describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// `h_name`.
    pub name: String,
    /// `h_aliases`.
    pub aliases: Vec<String>,
    /// `h_addrtype` (Windows value).
    pub addrtype: i32,
    /// `h_addr_list`, each `h_length` bytes.
    pub addrs: Vec<Vec<u8>>,
}

/// `gethostbyname`: IPv4 addresses of a name (NULL or `""`: the local host). A numeric
/// address (the permissive `inet_addr` syntax) is itself, named as written.
pub fn host_by_name(name: Option<&str>) -> Result<Host, i32> {
    let local;
    let name = match name {
        None | Some("") => {
            local = host_name()?;
            local.as_str()
        }
        Some(n) => n,
    };
    if let Some(a) = inet_addr_host(name.as_bytes()) {
        return Ok(Host {
            name: name.to_string(),
            aliases: Vec::new(),
            addrtype: AF_INET,
            addrs: vec![a.to_be_bytes().to_vec()],
        });
    }
    let hints = Hints {
        flags: AI_CANONNAME,
        family: AF_INET,
        ..Hints::default()
    };
    let (addrs, canon) = match lookup(Some(name), &hints) {
        // The host's own name always resolves (as on Windows): to the loopback address
        // if the system cannot resolve it.
        Err(_) if is_own_name(Some(name)) => system_lookup(Some("localhost"), &hints)?,
        r => r?,
    };
    Ok(Host {
        name: canon.unwrap_or_else(|| name.to_string()),
        aliases: Vec::new(),
        addrtype: AF_INET,
        addrs: addrs
            .into_iter()
            .filter_map(|a| match a {
                SocketAddr::V4(a) => Some(a.ip().octets().to_vec()),
                SocketAddr::V6(_) => None,
            })
            .collect(),
    })
}

/// `gethostbyaddr`: the name of an IPv4 (4 bytes) or IPv6 (16 bytes) address.
pub fn host_by_addr(addr: &[u8], family: i32) -> Result<Host, i32> {
    let ip = match (family, addr.len()) {
        (AF_INET, 4) => IpAddr::V4(Ipv4Addr::new(addr[0], addr[1], addr[2], addr[3])),
        (AF_INET6, 16) => {
            let mut b = [0u8; 16];
            b.copy_from_slice(addr);
            IpAddr::V6(Ipv6Addr::from(b))
        }
        (AF_INET | AF_INET6, _) => return Err(WSAEFAULT),
        _ => return Err(WSAEAFNOSUPPORT),
    };
    let name = reverse_lookup(&SocketAddr::new(ip, 0))?;
    Ok(Host {
        name,
        aliases: Vec::new(),
        addrtype: family,
        addrs: vec![addr.to_vec()],
    })
}

thread_local! {
    static HOSTENT_BUF: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Lays out a `hostent` in `buf` as Windows does: the structure, the alias pointers, the
/// address pointers, the addresses, then the strings. Returns the structure.
fn pack_hostent(buf: &mut Vec<u64>, h: &Host) -> *mut HOSTENT {
    let ptr = size_of::<*mut c_char>();
    let addr_len = h.addrs.first().map_or(4, Vec::len);
    let strings: Vec<&str> = std::iter::once(h.name.as_str())
        .chain(h.aliases.iter().map(String::as_str))
        .collect();
    let aliases_at = size_of::<HOSTENT>();
    let addr_list_at = aliases_at + (h.aliases.len() + 1) * ptr;
    let addrs_at = addr_list_at + (h.addrs.len() + 1) * ptr;
    let strings_at = addrs_at + h.addrs.len() * addr_len;
    let total = strings_at + strings.iter().map(|s| s.len() + 1).sum::<usize>();
    // Cleared and resized in place: a buffer big enough is reused, so a second result
    // often comes back at the same address (Windows does not resize when not needed:
    // Wine's test_getservbyname).
    buf.clear();
    buf.resize(total.div_ceil(8), 0);
    let base = buf.as_mut_ptr().cast::<u8>();
    // SAFETY: every write below is inside the `total` bytes just allocated (offsets computed
    // above); pointer-sized slots are 8-aligned (the buffer is u64-aligned and every
    // offset before the addresses is a multiple of 8); byte copies need no alignment.
    unsafe {
        let mut at = strings_at;
        let mut string_ptrs = Vec::with_capacity(strings.len());
        for s in &strings {
            let p = base.add(at);
            std::ptr::copy_nonoverlapping(s.as_ptr(), p, s.len());
            p.add(s.len()).write(0);
            string_ptrs.push(p.cast::<c_char>());
            at += s.len() + 1;
        }
        let aliases = base.add(aliases_at).cast::<*mut c_char>();
        for (i, p) in string_ptrs[1..].iter().enumerate() {
            aliases.add(i).write(*p);
        }
        aliases.add(h.aliases.len()).write(std::ptr::null_mut());
        let list = base.add(addr_list_at).cast::<*mut c_char>();
        for (i, a) in h.addrs.iter().enumerate() {
            let p = base.add(addrs_at + i * addr_len);
            std::ptr::copy_nonoverlapping(a.as_ptr(), p, a.len().min(addr_len));
            list.add(i).write(p.cast());
        }
        list.add(h.addrs.len()).write(std::ptr::null_mut());
        let he = base.cast::<HOSTENT>();
        he.write(HOSTENT {
            h_name: string_ptrs[0],
            h_aliases: aliases,
            h_addrtype: h.addrtype as i16,
            h_length: addr_len as i16,
            h_addr_list: list,
        });
        he
    }
}

/// Stores a host in the calling thread's `hostent` and returns it (last error 0).
fn hostent_result(r: Result<Host, i32>) -> *mut HOSTENT {
    match r {
        Ok(h) => HOSTENT_BUF.with(|b| fail(0, pack_hostent(&mut b.borrow_mut(), &h))),
        Err(code) => fail(code, std::ptr::null_mut()),
    }
}

/// `struct hostent *gethostbyname(const char *name)`, exported as
/// `wsaevents_gethostbyname`: the IPv4 addresses of a name (NULL or `""`: the local host;
/// a numeric address is itself), in the calling thread's storage; NULL with
/// `WSAHOST_NOT_FOUND`, `WSATRY_AGAIN`, `WSANO_RECOVERY`, `WSANO_DATA` or
/// `WSANOTINITIALISED`.
///
/// # Safety
/// `name` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_gethostbyname(name: *const c_char) -> *mut HOSTENT {
    ffi(std::ptr::null_mut(), || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), std::ptr::null_mut());
        }
        // SAFETY: by the caller's contract.
        let name = unsafe { c_str(name) };
        hostent_result(host_by_name(name.as_deref()))
    })
}

/// `struct hostent *gethostbyaddr(const char *addr, int len, int type)`, exported as
/// `wsaevents_gethostbyaddr`: the name of an `AF_INET` (4 bytes) or `AF_INET6` (16
/// bytes) address; NULL with `WSAEFAULT` (NULL address, wrong length),
/// `WSAEAFNOSUPPORT`, `WSAHOST_NOT_FOUND`, …
///
/// # Safety
/// `addr` NULL or readable for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_gethostbyaddr(
    addr: *const c_char,
    len: c_int,
    family: c_int,
) -> *mut HOSTENT {
    ffi(std::ptr::null_mut(), || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), std::ptr::null_mut());
        }
        if addr.is_null() || !(0..=16).contains(&len) {
            return fail(WSAEFAULT, std::ptr::null_mut());
        }
        // SAFETY: non-NULL and readable for len (0-16) bytes by the caller's contract.
        let bytes = unsafe { std::slice::from_raw_parts(addr.cast::<u8>(), len as usize) };
        hostent_result(host_by_addr(bytes, family))
    })
}

/// `int gethostname(char *name, int namelen)`, exported as `wsaevents_gethostname`: 0,
/// or `SOCKET_ERROR` with `WSAEFAULT` (NULL, or the name and its NUL do not fit: the
/// buffer is then untouched) or `WSANOTINITIALISED`. The length is declared `size_t` in
/// the header (so that a later `<unistd.h>` redeclares the same function); a negative
/// `int` arrives as a huge value and is refused as Windows refuses it.
///
/// # Safety
/// `name` NULL or writable for `namelen` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wsaevents_gethostname(name: *mut c_char, namelen: usize) -> c_int {
    ffi(-1, || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), -1);
        }
        let Ok(cap) = i32::try_from(namelen) else {
            return fail(WSAEFAULT, -1);
        };
        if name.is_null() {
            return fail(WSAEFAULT, -1);
        }
        let text: Vec<c_char> = match host_name() {
            Ok(h) => h.bytes().map(|b| b as c_char).collect(),
            Err(code) => return fail(code, -1),
        };
        // SAFETY: writable for namelen bytes by the caller's contract.
        match unsafe { put(name, cap as usize, &text, 0) } {
            Ok(()) => 0,
            Err(code) => fail(code, -1),
        }
    })
}

/// `int GetHostNameW(PWSTR name, int namelen)`: as `gethostname`, in `WCHAR`s.
///
/// # Safety
/// `name` NULL or writable for `namelen` wide units.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn GetHostNameW(name: *mut WChar, namelen: c_int) -> c_int {
    ffi(-1, || {
        if let Err(e) = ensure_started() {
            return fail(e.code(), -1);
        }
        if name.is_null() || namelen < 0 {
            return fail(WSAEFAULT, -1);
        }
        let mut text = match host_name() {
            Ok(h) => to_wide(&h),
            Err(code) => return fail(code, -1),
        };
        text.pop();
        // SAFETY: writable for namelen units by the caller's contract.
        match unsafe { put(name, namelen as usize, &text, 0) } {
            Ok(()) => 0,
            Err(code) => fail(code, -1),
        }
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;

    #[test]
    fn hostent_layout_is_windows() {
        let h = Host {
            name: "example".into(),
            aliases: vec!["alias1".into(), "a2".into()],
            addrtype: AF_INET,
            addrs: vec![vec![1, 2, 3, 4], vec![5, 6, 7, 8]],
        };
        let mut buf = Vec::new();
        let he = pack_hostent(&mut buf, &h);
        // SAFETY: `he` and everything it points to live in `buf`, alive here.
        unsafe {
            let he = &*he;
            let after = (he as *const HOSTENT).add(1).cast::<*mut c_char>();
            // Wine's test_dns (run on Windows): aliases right after the structure, the
            // address list after the aliases, the first address after the list.
            assert_eq!(he.h_aliases.cast_const(), after);
            assert_eq!(he.h_addr_list.cast_const(), after.add(3));
            assert_eq!(
                he.h_addr_list.read().cast_const(),
                after.add(6).cast::<c_char>()
            );
            assert_eq!((he.h_addrtype, he.h_length), (2, 4));
            assert_eq!(CStr::from_ptr(he.h_name).to_str(), Ok("example"));
            assert_eq!(
                CStr::from_ptr(he.h_aliases.add(1).read()).to_str(),
                Ok("a2")
            );
            assert!(he.h_aliases.add(2).read().is_null());
            let second = std::slice::from_raw_parts(he.h_addr_list.add(1).read().cast::<u8>(), 4);
            assert_eq!(second, [5, 6, 7, 8]);
            assert!(he.h_addr_list.add(2).read().is_null());
        }
    }
}
