//! Windows: address, route and interface changes as facts ([`Change`]) for `change.rs`,
//! and the look-ups its rules need (the local addresses of a family, the local address
//! used to reach a destination, the interface holding an address and whether it is up).
//!
//! # Where the facts come from
//!
//! * **Addresses**: Windows' own `SIO_ADDRESS_LIST_CHANGE` (AFD), issued overlapped on a
//!   helper UDP socket of each family, whose completion event a system wait thread
//!   (`RegisterWaitForSingleObject`) turns into an `Address { v6 }` fact; it re-issues the
//!   ioctl at once. AFD scopes the notification to the helper's family, which is what the
//!   application's socket of that family gets on Windows. (Chosen over
//!   `NotifyUnicastIpAddressChange` because it is the notification Winsock itself gives,
//!   and because it is the one Wine 8 implements: its IP Helper notifications are
//!   semi-stubs, so this is the path a test under Wine can exercise.)
//! * **Routes and interfaces**: IP Helper's `NotifyRouteChange2` and
//!   `NotifyIpInterfaceChange` (all families), whose callbacks (on a system thread) give
//!   `Route { v6 }` and `Link` facts. (Wine 8 accepts both registrations and never calls
//!   back.)
//!
//! Each fact is queued and the poller is woken for the watch's token (`TokenWaker`: the
//! poller's own `mio::Waker`, an IOCP completion), so that the facts arrive through the
//! same poller as the sockets: no thread of ours, no polling loop.

use std::ffi::c_void;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::windows::io::AsRawSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use windows_sys::Win32::Foundation::{
    CloseHandle, ERROR_BUFFER_OVERFLOW, HANDLE, INVALID_HANDLE_VALUE, NO_ERROR, WAIT_OBJECT_0,
};
use windows_sys::Win32::NetworkManagement::IpHelper as iph;
use windows_sys::Win32::NetworkManagement::Ndis::IfOperStatusUp;
use windows_sys::Win32::Networking::WinSock as ws;
use windows_sys::Win32::System::IO::OVERLAPPED;
use windows_sys::Win32::System::Threading::{
    CreateEventW, INFINITE, RegisterWaitForSingleObject, UnregisterWaitEx, WT_EXECUTEINWAITTHREAD,
    WaitForSingleObject,
};

use super::Poller;
use super::net::TokenWaker;
use crate::sync::Mutex;

/// What one notification said changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// The address list of the family changed.
    Address { v6: bool },
    /// A route of the family was added, changed or removed.
    Route { v6: bool },
    /// An interface changed (up, down, new, gone): both families' routes may have.
    Link,
}

/// The facts queued by the notification threads, and how to wake the poller.
struct Shared {
    queue: Mutex<Vec<Change>>,
    waker: Mutex<Option<TokenWaker>>,
}

impl Shared {
    fn push(&self, c: Change) {
        self.queue.lock().push(c);
        if let Some(w) = &*self.waker.lock() {
            w.wake();
        }
    }
}

/// The change sources of one watch: two address watches (one per family; the IPv6 one
/// is absent without an IPv6 stack) and the IP Helper registrations.
pub(crate) struct ChangeSocket {
    shared: Arc<Shared>,
    // Boxed: the wait callback and the pending ioctl hold each one's address, which must
    // not move when the vector does.
    #[allow(clippy::vec_box)]
    addresses: Vec<Box<AddressWatch>>,
    /// `NotifyRouteChange2` and `NotifyIpInterfaceChange` handles (null: nothing to cancel,
    /// as Wine 8 gives).
    mib: Vec<HANDLE>,
    /// The context the IP Helper callbacks were given (one strong count of `shared`),
    /// released after they are cancelled.
    mib_context: *const Shared,
}

// SAFETY: the raw handles and the context pointer are only used to cancel and release, in
// `drop`; the shared state is behind locks.
unsafe impl Send for ChangeSocket {}
// SAFETY: as above; `&ChangeSocket` only reaches `shared`.
unsafe impl Sync for ChangeSocket {}

impl ChangeSocket {
    /// Starts the notifications of both families.
    pub(crate) fn open() -> io::Result<ChangeSocket> {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Vec::new()),
            waker: Mutex::new(None),
        });
        let mib_context = Arc::into_raw(shared.clone());
        let mut cs = ChangeSocket {
            shared,
            addresses: Vec::new(),
            mib: Vec::new(),
            mib_context,
        };
        cs.addresses
            .push(AddressWatch::start(false, cs.shared.clone())?);
        // No IPv6 stack: no IPv6 socket can ask either.
        if let Ok(w) = AddressWatch::start(true, cs.shared.clone()) {
            cs.addresses.push(w);
        }
        let ctx = cs.mib_context.cast::<c_void>();
        let mut h: HANDLE = std::ptr::null_mut();
        // SAFETY: the callback matches PIPFORWARD_CHANGE_CALLBACK; `ctx` stays valid until
        // the registration is cancelled (drop); `h` is a valid out pointer.
        let r = unsafe {
            iph::NotifyRouteChange2(ws::AF_UNSPEC, Some(route_changed), ctx, false, &mut h)
        };
        if r != NO_ERROR {
            return Err(io::Error::from_raw_os_error(r as i32));
        }
        cs.mib.push(h);
        let mut h: HANDLE = std::ptr::null_mut();
        // SAFETY: as above, for PIPINTERFACE_CHANGE_CALLBACK.
        let r = unsafe {
            iph::NotifyIpInterfaceChange(ws::AF_UNSPEC, Some(interface_changed), ctx, false, &mut h)
        };
        if r != NO_ERROR {
            return Err(io::Error::from_raw_os_error(r as i32));
        }
        cs.mib.push(h);
        Ok(cs)
    }

    /// Takes every queued change, calling `f` for each.
    pub(crate) fn drain(&self, f: &mut dyn FnMut(Change)) {
        let queued = std::mem::take(&mut *self.shared.queue.lock());
        for c in queued {
            f(c);
        }
    }

    /// From now on each fact wakes the poller with `token`'s readiness.
    pub(crate) fn register(&self, p: &Poller, token: usize) -> io::Result<()> {
        *self.shared.waker.lock() = Some(p.token_waker(token));
        Ok(())
    }

    pub(crate) fn deregister(&self, _p: &Poller) {
        *self.shared.waker.lock() = None;
    }
}

impl Drop for ChangeSocket {
    fn drop(&mut self) {
        for &h in &self.mib {
            if !h.is_null() {
                // SAFETY: a handle the Notify call returned, cancelled once; the call waits
                // for callbacks in progress.
                unsafe { iph::CancelMibChangeNotify2(h) };
            }
        }
        // SAFETY: the strong count `open` gave the callbacks, which can no longer run.
        drop(unsafe { Arc::from_raw(self.mib_context) });
        for mut w in self.addresses.drain(..) {
            if !w.stop() {
                // An ioctl may still write into it: never freed.
                Box::leak(w);
            }
        }
    }
}

/// `NotifyRouteChange2`'s callback: a route of the row's family changed.
unsafe extern "system" fn route_changed(
    ctx: *const c_void,
    row: *const iph::MIB_IPFORWARD_ROW2,
    _kind: iph::MIB_NOTIFICATION_TYPE,
) {
    // SAFETY: `ctx` is the `Shared` that `open` gave, alive until the registration is
    // cancelled; `row` is null or a valid row for the call.
    let (shared, family) = unsafe {
        (
            &*ctx.cast::<Shared>(),
            row.as_ref().map(|r| r.DestinationPrefix.Prefix.si_family),
        )
    };
    shared.push(match family {
        Some(f) => Change::Route {
            v6: f == ws::AF_INET6,
        },
        None => Change::Link,
    });
}

/// `NotifyIpInterfaceChange`'s callback: an interface changed (its state, or it came or
/// went).
unsafe extern "system" fn interface_changed(
    ctx: *const c_void,
    _row: *const iph::MIB_IPINTERFACE_ROW,
    _kind: iph::MIB_NOTIFICATION_TYPE,
) {
    // SAFETY: as in `route_changed`.
    let shared = unsafe { &*ctx.cast::<Shared>() };
    shared.push(Change::Link);
}

/// One family's `SIO_ADDRESS_LIST_CHANGE`, always pending on a helper socket. Boxed: the
/// wait callback and the pending ioctl hold its address.
struct AddressWatch {
    sock: Option<Socket>,
    ov: OVERLAPPED,
    wait: HANDLE,
    v6: bool,
    shared: Arc<Shared>,
    closing: AtomicBool,
    /// An ioctl was issued whose completion has not been seen (its event not consumed by
    /// the wait). Tracked here rather than read from `ov.Internal`, which Wine 8 does not
    /// set to STATUS_PENDING when the ioctl pends.
    pending: AtomicBool,
}

impl AddressWatch {
    fn start(v6: bool, shared: Arc<Shared>) -> io::Result<Box<AddressWatch>> {
        let domain = if v6 { Domain::IPV6 } else { Domain::IPV4 };
        // Blocking (socket2's default) and overlapped-capable (socket2 creates sockets
        // with WSA_FLAG_OVERLAPPED): the ioctl then pends rather than failing
        // WSAEWOULDBLOCK.
        let sock = Socket::new(domain, Type::DGRAM, Some(Protocol::UDP))?;
        // SAFETY: plain call; auto-reset, so the wait thread consumes each completion once.
        let event = unsafe { CreateEventW(std::ptr::null(), 0, 0, std::ptr::null()) };
        if event.is_null() {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: OVERLAPPED is plain data; all-zero is its documented initial value.
        let mut ov: OVERLAPPED = unsafe { std::mem::zeroed() };
        ov.hEvent = event;
        let w = Box::new(AddressWatch {
            sock: Some(sock),
            ov,
            wait: std::ptr::null_mut(),
            v6,
            shared,
            closing: AtomicBool::new(false),
            pending: AtomicBool::new(false),
        });
        // On an error from here on, drop cleans up what was set up.
        w.arm()?;
        let mut w = w;
        let ctx: *const AddressWatch = &*w;
        let mut wait: HANDLE = std::ptr::null_mut();
        // SAFETY: the box outlives the wait (unregistered in drop, waiting for callbacks);
        // the callback matches WAITORTIMERCALLBACK. In the wait thread: the callback
        // re-issues the ioctl, and I/O issued by a pool worker would be cancelled when
        // that worker exits; the wait thread lives as long as the wait.
        let ok = unsafe {
            RegisterWaitForSingleObject(
                &mut wait,
                event,
                Some(address_fired),
                ctx.cast(),
                INFINITE,
                WT_EXECUTEINWAITTHREAD,
            )
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        w.wait = wait;
        Ok(w)
    }

    fn raw(&self) -> ws::SOCKET {
        self.sock
            .as_ref()
            .map_or(ws::INVALID_SOCKET, |s| s.as_raw_socket() as ws::SOCKET)
    }

    /// Issues the ioctl overlapped (it pends until the next change).
    fn arm(&self) -> io::Result<()> {
        let mut n = 0u32;
        let ov = (&self.ov as *const OVERLAPPED).cast_mut();
        // SAFETY: an open socket; no buffers; `ov` stays valid until the operation is
        // complete (drop cancels it and waits for it). Only one operation pends at a time:
        // this is called at start and from the callback of the previous one's completion.
        let r = unsafe {
            ws::WSAIoctl(
                self.raw(),
                ws::SIO_ADDRESS_LIST_CHANGE,
                std::ptr::null(),
                0,
                std::ptr::null_mut(),
                0,
                &mut n,
                ov,
                None,
            )
        };
        // SAFETY: plain call.
        if r != 0 && unsafe { ws::WSAGetLastError() } != ws::WSA_IO_PENDING {
            return Err(io::Error::last_os_error());
        }
        // Pending, or complete at once, which signals the event too: the callback reports
        // it either way.
        self.pending.store(true, Ordering::SeqCst);
        Ok(())
    }
}

/// The wait callback: the pending `SIO_ADDRESS_LIST_CHANGE` completed.
unsafe extern "system" fn address_fired(ctx: *mut c_void, _timed_out: bool) {
    // SAFETY: the `AddressWatch` the wait was registered with, alive until the wait is
    // unregistered (which waits for this callback).
    let w = unsafe { &*ctx.cast::<AddressWatch>() };
    let (mut n, mut flags) = (0u32, 0u32);
    // SAFETY: the operation's own OVERLAPPED; no wait.
    let ok = unsafe { ws::WSAGetOverlappedResult(w.raw(), &w.ov, &mut n, 0, &mut flags) };
    // SAFETY: plain call.
    let error = if ok == 0 {
        unsafe { ws::WSAGetLastError() }
    } else {
        0
    };
    if error == ws::WSA_IO_INCOMPLETE {
        // Not its completion (the event is signalled only by it): still pending.
        return;
    }
    w.pending.store(false, Ordering::SeqCst);
    if w.closing.load(Ordering::SeqCst) {
        return;
    }
    if ok == 0 {
        if error == ws::WSA_OPERATION_ABORTED {
            // Windows cancels a thread's pending I/O when the thread exits, and the first
            // ioctl was issued by the application's thread: issued again from this wait
            // thread, which lives as long as the wait.
            let _ = w.arm();
        }
        // Otherwise failed: the socket is going. Nothing changed.
        return;
    }
    // Re-issued first, so that the next change finds it pending.
    let rearmed = w.arm().is_ok();
    w.shared.push(Change::Address { v6: w.v6 });
    if !rearmed {
        // Cannot watch any more: say so once more, as a change of everything.
        w.shared.push(Change::Link);
    }
}

impl AddressWatch {
    /// Stops the watch. Returns whether its memory may be freed: false if an ioctl it
    /// issued might still complete into it (neither the cancel nor the close completed it
    /// within a bound), in which case the caller leaks it.
    fn stop(&mut self) -> bool {
        self.closing.store(true, Ordering::SeqCst);
        if !self.wait.is_null() {
            // SAFETY: the wait registered in `start`; INVALID_HANDLE_VALUE waits for a
            // callback in progress to return, and none runs after.
            unsafe { UnregisterWaitEx(self.wait, INVALID_HANDLE_VALUE) };
            self.wait = std::ptr::null_mut();
        }
        let mut done = !self.pending.load(Ordering::SeqCst);
        if !done {
            // SAFETY: cancels the socket's pending ioctl; its completion signals the
            // event, which nothing else waits on any more.
            unsafe {
                windows_sys::Win32::System::IO::CancelIoEx(self.raw() as HANDLE, &self.ov);
                done = WaitForSingleObject(self.ov.hEvent, 5000) == WAIT_OBJECT_0;
            }
        }
        // Closing the socket completes whatever still pends on it.
        self.sock = None;
        if !done {
            // SAFETY: as above.
            done = unsafe { WaitForSingleObject(self.ov.hEvent, 5000) } == WAIT_OBJECT_0;
        }
        if !self.ov.hEvent.is_null() {
            // SAFETY: the event created in `start`, closed once; nothing pends on it.
            unsafe { CloseHandle(self.ov.hEvent) };
            self.ov.hEvent = std::ptr::null_mut();
        }
        done
    }
}

impl Drop for AddressWatch {
    /// Only a watch `start` gave up on, or one `ChangeSocket` did not stop, gets here with
    /// its event.
    fn drop(&mut self) {
        if !self.ov.hEvent.is_null() {
            self.stop();
        }
    }
}

/// A helper UDP socket of the family, for the look-ups.
fn helper(v6: bool) -> io::Result<Socket> {
    let domain = if v6 { Domain::IPV6 } else { Domain::IPV4 };
    Socket::new(domain, Type::DGRAM, Some(Protocol::UDP))
}

/// The IP address of a `SOCKADDR` of family `AF_INET` or `AF_INET6`.
///
/// # Safety
/// `sa` is null or points to a `SOCKADDR` of `len` bytes.
unsafe fn ip_of(sa: *const ws::SOCKADDR, len: i32) -> Option<IpAddr> {
    if sa.is_null() || len < 2 {
        return None;
    }
    // SAFETY: non-null, and as long as its family says (checked against `len`).
    unsafe {
        match (*sa).sa_family {
            ws::AF_INET if len as usize >= std::mem::size_of::<ws::SOCKADDR_IN>() => {
                let sin = &*sa.cast::<ws::SOCKADDR_IN>();
                Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                    sin.sin_addr.S_un.S_addr,
                ))))
            }
            ws::AF_INET6 if len as usize >= std::mem::size_of::<ws::SOCKADDR_IN6>() => {
                let sin6 = &*sa.cast::<ws::SOCKADDR_IN6>();
                Some(IpAddr::V6(Ipv6Addr::from(sin6.sin6_addr.u.Byte)))
            }
            _ => None,
        }
    }
}

/// The local addresses of the family: Windows' own `SIO_ADDRESS_LIST_QUERY`.
pub(crate) fn local_addresses(v6: bool) -> io::Result<Vec<IpAddr>> {
    let s = helper(v6)?;
    let mut buf = vec![0u64; 512];
    loop {
        let mut n = 0u32;
        let bytes = (buf.len() * 8) as u32;
        // SAFETY: an open socket; the output buffer is writable for `bytes` and aligned
        // for SOCKET_ADDRESS_LIST.
        let r = unsafe {
            ws::WSAIoctl(
                s.as_raw_socket() as ws::SOCKET,
                ws::SIO_ADDRESS_LIST_QUERY,
                std::ptr::null(),
                0,
                buf.as_mut_ptr().cast(),
                bytes,
                &mut n,
                std::ptr::null_mut(),
                None,
            )
        };
        if r != 0 {
            let e = io::Error::last_os_error();
            if e.raw_os_error() == Some(ws::WSAEFAULT) && n as usize > buf.len() * 8 {
                buf.resize((n as usize).div_ceil(8), 0);
                continue;
            }
            return Err(e);
        }
        break;
    }
    let list = buf.as_ptr().cast::<ws::SOCKET_ADDRESS_LIST>();
    let mut out = Vec::new();
    // SAFETY: the ioctl wrote a SOCKET_ADDRESS_LIST whose entries and their addresses lie
    // inside `buf`.
    unsafe {
        let count = (*list).iAddressCount.max(0) as usize;
        let first = std::ptr::addr_of!((*list).Address).cast::<ws::SOCKET_ADDRESS>();
        for i in 0..count {
            let a = &*first.add(i);
            if let Some(ip) = ip_of(a.lpSockaddr, a.iSockaddrLength) {
                out.push(ip);
            }
        }
    }
    Ok(out)
}

/// The local address the system would send from to reach `dest`: a UDP `connect`, which
/// sends nothing, then `getsockname` (the route look-up and source address selection
/// `SIO_ROUTING_INTERFACE_QUERY` makes; Wine 8's ioctl answers an interface's first
/// address and `WSAEFAULT` without a route, the connect answers as Windows does). Fails
/// `WSAENETUNREACH` (or `WSAEHOSTUNREACH`) without a route.
pub(crate) fn route_to(dest: SocketAddr) -> io::Result<IpAddr> {
    let s = helper(dest.is_ipv6())?;
    // Port 0 cannot be connected to: any port will do for the look-up.
    let mut target = dest;
    if target.port() == 0 {
        target.set_port(9);
    }
    s.connect(&SockAddr::from(target))?;
    s.local_addr()?
        .as_socket()
        .map(|a| a.ip())
        .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))
}

/// One adapter: its name, whether it is up, its unicast addresses.
struct Adapter {
    name: String,
    up: bool,
    addrs: Vec<IpAddr>,
}

/// The adapters (`GetAdaptersAddresses`, both families).
fn adapters() -> io::Result<Vec<Adapter>> {
    let flags = iph::GAA_FLAG_SKIP_ANYCAST
        | iph::GAA_FLAG_SKIP_MULTICAST
        | iph::GAA_FLAG_SKIP_DNS_SERVER
        | iph::GAA_FLAG_SKIP_FRIENDLY_NAME;
    let mut buf = vec![0u64; 2048];
    loop {
        let mut size = (buf.len() * 8) as u32;
        // SAFETY: the buffer is writable for `size` bytes and aligned for the list.
        let r = unsafe {
            iph::GetAdaptersAddresses(
                u32::from(ws::AF_UNSPEC),
                flags,
                std::ptr::null(),
                buf.as_mut_ptr().cast(),
                &mut size,
            )
        };
        if r == ERROR_BUFFER_OVERFLOW {
            buf.resize((size as usize).div_ceil(8), 0);
            continue;
        }
        if r == windows_sys::Win32::Foundation::ERROR_NO_DATA {
            return Ok(Vec::new());
        }
        if r != NO_ERROR {
            return Err(io::Error::from_raw_os_error(r as i32));
        }
        break;
    }
    let mut out = Vec::new();
    let mut cur = buf.as_ptr().cast::<iph::IP_ADAPTER_ADDRESSES_LH>();
    // SAFETY: the call wrote a linked list of adapters, their names and address lists,
    // all inside `buf`, which lives until the loop ends.
    unsafe {
        while !cur.is_null() {
            let a = &*cur;
            let name = if a.AdapterName.is_null() {
                String::new()
            } else {
                std::ffi::CStr::from_ptr(a.AdapterName.cast())
                    .to_string_lossy()
                    .into_owned()
            };
            let mut addrs = Vec::new();
            let mut u = a.FirstUnicastAddress;
            while !u.is_null() {
                let ua = &*u;
                if let Some(ip) = ip_of(ua.Address.lpSockaddr, ua.Address.iSockaddrLength) {
                    addrs.push(ip);
                }
                u = ua.Next;
            }
            out.push(Adapter {
                name,
                up: a.OperStatus == IfOperStatusUp,
                addrs,
            });
            cur = a.Next;
        }
    }
    Ok(out)
}

/// The name of the adapter holding `ip`.
pub(crate) fn interface_of(ip: IpAddr) -> Option<String> {
    adapters()
        .ok()?
        .into_iter()
        .find(|a| a.addrs.contains(&ip))
        .map(|a| a.name)
}

/// Whether the named adapter is up (`None` if it is gone).
pub(crate) fn interface_up(name: &str) -> Option<bool> {
    adapters()
        .ok()?
        .into_iter()
        .find(|a| a.name == name)
        .map(|a| a.up)
}
