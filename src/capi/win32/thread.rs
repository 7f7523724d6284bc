//! Threads: `CreateThread`, `ResumeThread`, `GetExitCodeThread`, `GetCurrentThreadId`, the
//! CRT's `_beginthreadex` / `_beginthread`, and the library's half of `ExitThread` /
//! `_endthreadex` (which are static inline in the headers).
//!
//! A thread handle is an object of the facade's handle table
//! ([`crate::winsock::ThreadObject`]), next to events and sockets, as on Windows: waiting on
//! it (`WaitForSingleObject`, `WaitForMultipleObjects`, `WSAWaitForMultipleEvents`) returns
//! once the thread has ended, `GetExitCodeThread` gives `STILL_ACTIVE` (259) until then and
//! the exit code after, `CloseHandle` closes the handle and the thread runs on.
//!
//! Threads are POSIX threads, created detached. They end by returning from their start
//! routine, or by `ExitThread`/`_endthreadex`, which record the exit code here
//! ([`wsaevents_thread_exiting`]) and then call `pthread_exit` from the header. That unwinds
//! the thread's stack with a forced unwind, which must pass through the library's start
//! frame (`trampoline`): so that frame makes only calls to `extern "C"` (non-unwinding)
//! functions and holds no value with a destructor, so it has no unwind landing pads.
//!
//! Thread ids (`GetCurrentThreadId`) are the library's: non-zero multiples of 4 (like
//! Windows'), unique for the life of the process, assigned to a thread the library creates
//! before it starts (so `lpThreadId` is valid at once) and to any other thread at its first
//! call.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::sync::atomic::{AtomicU32, Ordering};

use super::super::handles::{self, Handle};
use crate::capi::{FALSE, TRUE, fail, ffi};
use crate::event::Event;
use crate::winsock::{self, ThreadObject};

/// `CREATE_SUSPENDED`.
pub const CREATE_SUSPENDED: u32 = 0x4;
/// `ERROR_INVALID_HANDLE`.
pub const ERROR_INVALID_HANDLE: i32 = 6;
/// `ERROR_NOT_ENOUGH_MEMORY`.
pub const ERROR_NOT_ENOUGH_MEMORY: i32 = 8;
/// `ERROR_INVALID_PARAMETER`.
pub const ERROR_INVALID_PARAMETER: i32 = 87;
/// `ERROR_NOACCESS`.
pub const ERROR_NOACCESS: i32 = 998;

/// `LPTHREAD_START_ROUTINE` / `_beginthreadex`'s routine.
pub type StartEx = unsafe extern "C" fn(*mut c_void) -> u32;
/// `_beginthread`'s routine.
pub type StartPlain = unsafe extern "C" fn(*mut c_void);

static NEXT_ID: AtomicU32 = AtomicU32::new(4);

thread_local! {
    static THREAD_ID: Cell<u32> = const { Cell::new(0) };
    /// The object of a thread the library created, until it ends.
    static CURRENT: RefCell<Option<Running>> = const { RefCell::new(None) };
}

/// What a thread the library created needs at its end.
struct Running {
    object: ThreadObject,
    /// `_beginthread`: the handle closes itself when the thread ends.
    auto_close: Option<usize>,
}

fn new_thread_id() -> u32 {
    NEXT_ID.fetch_add(4, Ordering::Relaxed)
}

/// The calling thread's `GetCurrentThreadId`.
pub fn current_thread_id() -> u32 {
    THREAD_ID.with(|id| {
        if id.get() == 0 {
            id.set(new_thread_id());
        }
        id.get()
    })
}

/// Everything the new thread needs, handed over through `pthread_create`'s argument.
struct Start {
    ex: Option<StartEx>,
    plain: Option<StartPlain>,
    param: *mut c_void,
    id: u32,
    object: ThreadObject,
    /// Set when the thread may run (CREATE_SUSPENDED until ResumeThread).
    gate: Option<Event>,
    auto_close: Option<usize>,
    /// The simulated network the thread is on from its creation (`sys/sim/quiet.rs`).
    sim: Option<crate::sys::sim::ThreadTicket>,
}

/// What the trampoline calls: plain data, no destructor.
#[repr(C)]
pub struct Routine {
    ex: Option<StartEx>,
    plain: Option<StartPlain>,
    param: *mut c_void,
}

/// The new thread's set-up: takes the [`Start`], records the thread's id and object, waits
/// while the thread is suspended.
///
/// Never inlined: its unwind landing pads (`ffi`) must stay out of the trampoline's frame.
///
/// # Safety
/// `arg` must be the `Box<Start>` pointer that `spawn` passed, used once.
#[inline(never)]
unsafe extern "C" fn thread_begin(arg: *mut c_void) -> Routine {
    let none = Routine {
        ex: None,
        plain: None,
        param: std::ptr::null_mut(),
    };
    ffi(none, || {
        // SAFETY: the caller's contract: our Box, taken exactly once.
        let mut start = unsafe { Box::from_raw(arg.cast::<Start>()) };
        THREAD_ID.with(|id| id.set(start.id));
        if let Some(t) = start.sim.take() {
            t.adopt();
        }
        // APCs queued through the handle before the thread ran are kept (QueueUserAPC).
        start.object.apc.adopt();
        CURRENT.with(|c| {
            *c.borrow_mut() = Some(Running {
                object: start.object.clone(),
                auto_close: start.auto_close,
            })
        });
        if let Some(gate) = &start.gate {
            gate.wait(None);
        }
        Routine {
            ex: start.ex,
            plain: start.plain,
            param: start.param,
        }
    })
}

/// The start routine of every thread the library creates. Only `extern "C"` calls and no
/// destructors (see the module docs): `pthread_exit` unwinds through this frame.
extern "C" fn trampoline(arg: *mut c_void) -> *mut c_void {
    // SAFETY: `arg` is the Box<Start> that spawn passed to pthread_create, used once here.
    let r = unsafe { thread_begin(arg) };
    let code = match (r.ex, r.plain) {
        // SAFETY: the program's start routine with the program's parameter, as on Windows.
        (Some(f), _) => unsafe { f(r.param) },
        (None, Some(g)) => {
            // SAFETY: as above.
            unsafe { g(r.param) };
            0
        }
        (None, None) => 0,
    };
    wsaevents_thread_exiting(code);
    std::ptr::null_mut()
}

/// `void wsaevents_thread_exiting(DWORD)`: records the calling thread's exit code and
/// signals its handle (the library's part of `ExitThread` and of a start routine's return).
/// A thread the library did not create has no handle: nothing to do. Never inlined (see
/// `thread_begin`).
#[unsafe(no_mangle)]
#[inline(never)]
pub extern "C" fn wsaevents_thread_exiting(code: u32) {
    ffi((), || {
        if let Some(run) = CURRENT.with(|c| c.borrow_mut().take()) {
            run.object.finish(code);
            if let Some(h) = run.auto_close {
                winsock::CloseHandle(h);
            }
        }
    })
}

/// Creates a thread; returns its handle value (0 with the last error on failure).
fn spawn(
    ex: Option<StartEx>,
    plain: Option<StartPlain>,
    param: *mut c_void,
    stack_size: usize,
    flags: u32,
    auto_close: bool,
) -> Result<(usize, u32), i32> {
    if ex.is_none() && plain.is_none() {
        return Err(ERROR_INVALID_PARAMETER);
    }
    let object = ThreadObject::new();
    let suspended = flags & CREATE_SUSPENDED != 0;
    let gate = suspended.then(|| Event::new_real_time(true, false));
    if let Some(g) = &gate {
        object.suspend_count.store(1, Ordering::SeqCst);
        *object.resume.lock() = Some(g.clone());
    }
    let handle = winsock::register_thread(object.clone());
    if handle == 0 {
        return Err(ERROR_NOT_ENOUGH_MEMORY);
    }
    let id = new_thread_id();
    let start = Box::into_raw(Box::new(Start {
        ex,
        plain,
        param,
        id,
        object,
        gate,
        auto_close: auto_close.then_some(handle),
        sim: crate::sys::sim::thread_ticket(),
    }));
    let rc = create_pthread(stack_size, start.cast());
    if rc != 0 {
        // SAFETY: the thread was not created, so the Box is still ours alone.
        drop(unsafe { Box::from_raw(start) });
        winsock::CloseHandle(handle);
        return Err(ERROR_NOT_ENOUGH_MEMORY);
    }
    Ok((handle, id))
}

/// `pthread_create` of a detached thread running [`trampoline`]; the error number or 0.
fn create_pthread(stack_size: usize, arg: *mut c_void) -> i32 {
    let mut attr = std::mem::MaybeUninit::<libc::pthread_attr_t>::uninit();
    // SAFETY: `attr` is initialised by pthread_attr_init before any other use and destroyed
    // after pthread_create; `arg` is handed to the new thread, which takes ownership.
    unsafe {
        let rc = libc::pthread_attr_init(attr.as_mut_ptr());
        if rc != 0 {
            return rc;
        }
        libc::pthread_attr_setdetachstate(attr.as_mut_ptr(), libc::PTHREAD_CREATE_DETACHED);
        if stack_size > 0 {
            let page = usize::try_from(libc::sysconf(libc::_SC_PAGESIZE))
                .unwrap_or(4096)
                .max(1);
            let size = stack_size.max(libc::PTHREAD_STACK_MIN).div_ceil(page) * page;
            libc::pthread_attr_setstacksize(attr.as_mut_ptr(), size);
        }
        let mut tid = std::mem::MaybeUninit::<libc::pthread_t>::uninit();
        let rc = libc::pthread_create(tid.as_mut_ptr(), attr.as_ptr(), trampoline, arg);
        libc::pthread_attr_destroy(attr.as_mut_ptr());
        rc
    }
}

/// `HANDLE CreateThread(LPSECURITY_ATTRIBUTES, SIZE_T dwStackSize, LPTHREAD_START_ROUTINE,
/// LPVOID lpParameter, DWORD dwCreationFlags, LPDWORD lpThreadId)`: the thread's handle, or
/// NULL with `ERROR_INVALID_PARAMETER` (a NULL start routine: Windows starts a thread that
/// faults) or `ERROR_NOT_ENOUGH_MEMORY` (no thread could be created).
///
/// # Safety
/// `start` must be NULL or a function callable as `DWORD WINAPI f(LPVOID)` with `param`;
/// `thread_id` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CreateThread(
    _attributes: *mut c_void,
    stack_size: usize,
    start: Option<StartEx>,
    param: *mut c_void,
    flags: u32,
    thread_id: *mut u32,
) -> Handle {
    ffi(std::ptr::null_mut(), || {
        match spawn(start, None, param, stack_size, flags, false) {
            Ok((h, id)) => {
                if !thread_id.is_null() {
                    // SAFETY: writable (caller).
                    unsafe { thread_id.write(id) };
                }
                handles::from_value(h)
            }
            Err(code) => fail(code, std::ptr::null_mut()),
        }
    })
}

/// Sets `errno` as the CRT's thread functions do.
fn set_errno(e: i32) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    // SAFETY: __errno_location returns the calling thread's errno.
    unsafe {
        *libc::__errno_location() = e
    };
    #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
    // SAFETY: __error returns the calling thread's errno.
    unsafe {
        *libc::__error() = e
    };
}

fn errno_of(code: i32) -> i32 {
    if code == ERROR_INVALID_PARAMETER {
        libc::EINVAL
    } else {
        libc::EAGAIN
    }
}

/// `uintptr_t _beginthreadex(void *security, unsigned stack_size, unsigned (__stdcall
/// *start)(void *), void *arglist, unsigned initflag, unsigned *thrdaddr)`: a thread handle
/// as `CreateThread` returns it, or 0 with `errno` `EINVAL` (NULL start) or `EAGAIN`.
///
/// # Safety
/// As [`CreateThread`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _beginthreadex(
    _security: *mut c_void,
    stack_size: u32,
    start: Option<StartEx>,
    arglist: *mut c_void,
    initflag: u32,
    thrdaddr: *mut u32,
) -> usize {
    ffi(0, || {
        match spawn(start, None, arglist, stack_size as usize, initflag, false) {
            Ok((h, id)) => {
                if !thrdaddr.is_null() {
                    // SAFETY: writable (caller).
                    unsafe { thrdaddr.write(id) };
                }
                h
            }
            Err(code) => {
                set_errno(errno_of(code));
                0
            }
        }
    })
}

/// `uintptr_t _beginthread(void (__cdecl *start)(void *), unsigned stack_size, void
/// *arglist)`: a thread whose handle closes itself when the thread ends (as on Windows), or
/// `(uintptr_t)-1` with `errno`.
///
/// # Safety
/// `start` must be NULL or callable as `void f(void *)` with `arglist`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _beginthread(
    start: Option<StartPlain>,
    stack_size: u32,
    arglist: *mut c_void,
) -> usize {
    ffi(usize::MAX, || {
        match spawn(None, start, arglist, stack_size as usize, 0, true) {
            Ok((h, _)) => h,
            Err(code) => {
                set_errno(errno_of(code));
                usize::MAX
            }
        }
    })
}

/// `DWORD ResumeThread(HANDLE)`: the previous suspend count (1 for a thread created
/// suspended, which now runs; 0 otherwise), or `(DWORD)-1` with `ERROR_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn ResumeThread(thread: Handle) -> u32 {
    ffi(u32::MAX, || {
        let Some(t) = winsock::thread_of(handles::value(thread)) else {
            return fail(ERROR_INVALID_HANDLE, u32::MAX);
        };
        let prev = t
            .suspend_count
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |c| c.checked_sub(1))
            .unwrap_or(0);
        if prev == 1 {
            if let Some(gate) = t.resume.lock().take() {
                gate.set();
            }
        }
        prev
    })
}

/// `BOOL GetExitCodeThread(HANDLE, LPDWORD)`: `TRUE` with `STILL_ACTIVE` (259) or the exit
/// code; `FALSE` with `ERROR_INVALID_HANDLE` (not a thread handle) or `ERROR_NOACCESS` (NULL
/// pointer).
///
/// # Safety
/// `code` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn GetExitCodeThread(thread: Handle, code: *mut u32) -> i32 {
    ffi(FALSE, || {
        let Some(t) = winsock::thread_of(handles::value(thread)) else {
            return fail(ERROR_INVALID_HANDLE, FALSE);
        };
        if code.is_null() {
            return fail(ERROR_NOACCESS, FALSE);
        }
        // SAFETY: writable (caller).
        unsafe { code.write(t.exit_code.load(Ordering::SeqCst)) };
        TRUE
    })
}

/// `DWORD GetCurrentThreadId(void)`.
#[unsafe(no_mangle)]
pub extern "C" fn GetCurrentThreadId() -> u32 {
    ffi(0, current_thread_id)
}

/// `BOOL SwitchToThread(void)`: yields the processor; `TRUE`.
#[unsafe(no_mangle)]
pub extern "C" fn SwitchToThread() -> i32 {
    ffi(FALSE, || {
        std::thread::yield_now();
        TRUE
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capi::events::{WAIT_TIMEOUT, WaitForSingleObject};

    unsafe extern "C" fn seven(p: *mut c_void) -> u32 {
        // SAFETY: the test passes a pointer to an Event it keeps alive.
        let gate = unsafe { &*p.cast::<Event>() };
        gate.wait(None);
        7
    }

    #[test]
    fn handle_is_waitable_and_reports_the_exit_code() {
        let gate = Event::new_manual(false);
        let mut id = 0u32;
        // SAFETY: `seven` takes the gate, which outlives the thread (joined by the wait).
        let h = unsafe {
            CreateThread(
                std::ptr::null_mut(),
                0,
                Some(seven),
                (&raw const gate).cast_mut().cast(),
                0,
                &mut id,
            )
        };
        assert!(!h.is_null());
        assert_ne!(id, 0);
        let mut code = 0;
        // SAFETY: a live u32.
        assert_eq!(unsafe { GetExitCodeThread(h, &mut code) }, TRUE);
        assert_eq!(code, winsock::STILL_ACTIVE);
        assert_eq!(WaitForSingleObject(h, 0), WAIT_TIMEOUT);
        gate.set();
        assert_eq!(WaitForSingleObject(h, 10_000), 0);
        // SAFETY: a live u32.
        assert_eq!(unsafe { GetExitCodeThread(h, &mut code) }, TRUE);
        assert_eq!(code, 7);
        assert_eq!(crate::capi::events::CloseHandle(h), TRUE);
        // SAFETY: a live u32.
        assert_eq!(unsafe { GetExitCodeThread(h, &mut code) }, FALSE);
    }

    #[test]
    fn suspended_until_resumed() {
        let gate = Event::new_manual(true);
        // SAFETY: as above.
        let h = unsafe {
            CreateThread(
                std::ptr::null_mut(),
                0,
                Some(seven),
                (&raw const gate).cast_mut().cast(),
                CREATE_SUSPENDED,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(WaitForSingleObject(h, 50), WAIT_TIMEOUT);
        assert_eq!(ResumeThread(h), 1);
        assert_eq!(WaitForSingleObject(h, 10_000), 0);
        assert_eq!(ResumeThread(h), 0);
        crate::capi::events::CloseHandle(h);
    }
}
