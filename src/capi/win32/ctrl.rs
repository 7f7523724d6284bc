//! `SetConsoleCtrlHandler` and `GenerateConsoleCtrlEvent`: a console program's Ctrl+C
//! handling, on the POSIX signals that stand for the console events.
//!
//! | signal | event |
//! |---|---|
//! | `SIGINT` (Ctrl+C) | `CTRL_C_EVENT` (0) |
//! | `SIGQUIT` (Ctrl+\\, the terminal's other interrupt key) | `CTRL_BREAK_EVENT` (1) |
//! | `SIGHUP` (the terminal closed), `SIGTERM` | `CTRL_CLOSE_EVENT` (2) |
//!
//! As on Windows, the handlers run on a thread of their own (created with the first
//! `SetConsoleCtrlHandler`), the most recently added first, until one returns `TRUE`. If none
//! does, the default action ends the process: here the signal's own default (so the shell
//! sees a process ended by `SIGINT`); Windows exits with `STATUS_CONTROL_C_EXIT`. After a
//! `CTRL_CLOSE_EVENT` the process ends whatever the handlers return, as on Windows.
//! `SetConsoleCtrlHandler(NULL, TRUE)` makes the process ignore Ctrl+C (`FALSE` undoes it).
//!
//! `GenerateConsoleCtrlEvent(CTRL_C_EVENT | CTRL_BREAK_EVENT, 0)` raises the event in this
//! process only (Windows also signals the other processes sharing the console).
//!
//! The signal handler only writes the event's number into a pipe (async-signal-safe); the
//! handler thread reads it and calls the program's handlers.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use parking_lot::Mutex;

use crate::capi::{FALSE, TRUE, fail, ffi};

/// `PHANDLER_ROUTINE`: `BOOL WINAPI HandlerRoutine(DWORD dwCtrlType)`.
pub type HandlerRoutine = unsafe extern "C" fn(u32) -> i32;

/// `CTRL_C_EVENT`.
pub const CTRL_C_EVENT: u32 = 0;
/// `CTRL_BREAK_EVENT`.
pub const CTRL_BREAK_EVENT: u32 = 1;
/// `CTRL_CLOSE_EVENT`.
pub const CTRL_CLOSE_EVENT: u32 = 2;
/// `ERROR_INVALID_PARAMETER`.
pub const ERROR_INVALID_PARAMETER: i32 = 87;

/// The handlers, in the order added (called last first).
static HANDLERS: Mutex<Vec<HandlerRoutine>> = Mutex::new(Vec::new());
/// `SetConsoleCtrlHandler(NULL, TRUE)`: Ctrl+C is ignored.
static IGNORE_CTRL_C: AtomicBool = AtomicBool::new(false);
/// The pipe's write end, for the signal handler (-1 until installed).
static PIPE_WRITE: AtomicI32 = AtomicI32::new(-1);
/// Installed once: the pipe, the signal handlers and the handler thread.
static INSTALLED: OnceLock<bool> = OnceLock::new();

const SIGNALS: [(libc::c_int, u32); 4] = [
    (libc::SIGINT, CTRL_C_EVENT),
    (libc::SIGQUIT, CTRL_BREAK_EVENT),
    (libc::SIGHUP, CTRL_CLOSE_EVENT),
    (libc::SIGTERM, CTRL_CLOSE_EVENT),
];

fn event_of(sig: libc::c_int) -> Option<u32> {
    SIGNALS.iter().find(|&&(s, _)| s == sig).map(|&(_, e)| e)
}

fn signal_of(event: u32) -> libc::c_int {
    match event {
        CTRL_C_EVENT => libc::SIGINT,
        CTRL_BREAK_EVENT => libc::SIGQUIT,
        _ => libc::SIGHUP,
    }
}

/// The signal handler: async-signal-safe, it only writes the signal number to the pipe.
extern "C" fn on_signal(sig: libc::c_int) {
    let fd = PIPE_WRITE.load(Ordering::Relaxed);
    if fd >= 0 {
        let byte = sig as u8;
        // SAFETY: write(2) of one byte from a local is async-signal-safe.
        unsafe { libc::write(fd, (&raw const byte).cast(), 1) };
    }
}

/// Ends the process by `sig`'s default action (the console's default handler).
fn default_action(sig: libc::c_int) -> ! {
    // SAFETY: resetting a disposition and raising a signal; if the default is to continue
    // (it is not for these signals), _exit ends the process anyway.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
        libc::_exit(128 + sig)
    }
}

/// The handler thread: one event per byte read.
fn dispatch(read_fd: libc::c_int) {
    loop {
        let mut byte = 0u8;
        // SAFETY: reading one byte into a local from our pipe.
        let n = unsafe { libc::read(read_fd, (&raw mut byte).cast(), 1) };
        if n != 1 {
            if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        let sig = libc::c_int::from(byte);
        let Some(event) = event_of(sig) else { continue };
        if event == CTRL_C_EVENT && IGNORE_CTRL_C.load(Ordering::SeqCst) {
            continue;
        }
        let handlers: Vec<HandlerRoutine> = HANDLERS.lock().iter().rev().copied().collect();
        let mut handled = false;
        for h in handlers {
            // SAFETY: a handler the program registered, called as Windows calls it.
            if unsafe { h(event) } != FALSE {
                handled = true;
                break;
            }
        }
        if !handled || event == CTRL_CLOSE_EVENT {
            default_action(sig);
        }
    }
}

/// Creates the pipe, starts the handler thread and installs the signal handlers; `false`
/// if the system refused.
fn install() -> bool {
    *INSTALLED.get_or_init(|| {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: `fds` has room for the two descriptors.
        if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
            return false;
        }
        for fd in fds {
            // SAFETY: our own descriptors.
            unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
        }
        PIPE_WRITE.store(fds[1], Ordering::SeqCst);
        let read_fd = fds[0];
        if std::thread::Builder::new()
            .name("console-ctrl".into())
            .spawn(move || dispatch(read_fd))
            .is_err()
        {
            return false;
        }
        for (sig, _) in SIGNALS {
            // SAFETY: an all-zero sigaction is valid; we set the handler and an empty mask.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                sa.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(sig, &sa, std::ptr::null_mut());
            }
        }
        true
    })
}

/// `BOOL SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add)`: adds or removes
/// a handler; with a NULL routine, `Add` TRUE ignores Ctrl+C and FALSE restores it. Removing
/// a routine that was not added is `FALSE` with `ERROR_INVALID_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn SetConsoleCtrlHandler(handler: Option<HandlerRoutine>, add: i32) -> i32 {
    ffi(FALSE, || {
        if !install() {
            return fail(ERROR_INVALID_PARAMETER, FALSE);
        }
        match handler {
            None => IGNORE_CTRL_C.store(add != FALSE, Ordering::SeqCst),
            Some(h) if add != FALSE => HANDLERS.lock().push(h),
            Some(h) => {
                let mut hs = HANDLERS.lock();
                // The most recent registration of that routine.
                match hs.iter().rposition(|&x| std::ptr::fn_addr_eq(x, h)) {
                    Some(i) => {
                        hs.remove(i);
                    }
                    None => return fail(ERROR_INVALID_PARAMETER, FALSE),
                }
            }
        }
        TRUE
    })
}

/// `BOOL GenerateConsoleCtrlEvent(DWORD dwCtrlEvent, DWORD dwProcessGroupId)`: raises
/// `CTRL_C_EVENT` or `CTRL_BREAK_EVENT` in this process (only); other events are `FALSE`
/// with `ERROR_INVALID_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn GenerateConsoleCtrlEvent(event: u32, _group: u32) -> i32 {
    ffi(FALSE, || {
        if event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT {
            return fail(ERROR_INVALID_PARAMETER, FALSE);
        }
        // SAFETY: raising a signal in our own process.
        unsafe { libc::kill(libc::getpid(), signal_of(event)) };
        TRUE
    })
}
