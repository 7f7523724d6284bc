//! `<conio.h>`: `_kbhit`, `_getch`, `_getche`, `_putch` — the console keyboard of "press a key
//! to stop" loops.
//!
//! On a terminal, the first call switches standard input to character-at-a-time input
//! without echo (as Windows' console delivers keys to these functions), and the process
//! restores the terminal's settings when it exits. `_kbhit` is non-zero when a key (a byte)
//! is waiting; `_getch` reads one without echo, `_getche` with echo. When standard input is
//! not a terminal (a pipe, a file, `/dev/null`), `_kbhit` is non-zero only while unread bytes
//! are waiting (end of file is not a key), and `_getch` reads the next byte (`EOF`, -1, at
//! the end).

use std::sync::Once;

use parking_lot::Mutex;

use crate::capi::ffi;

/// The terminal's settings before the first call, to restore at exit.
static SAVED: Mutex<Option<libc::termios>> = Mutex::new(None);
static RAW: Once = Once::new();

extern "C" fn restore_terminal() {
    if let Some(t) = SAVED.lock().take() {
        // SAFETY: restoring settings read from the same descriptor.
        unsafe { libc::tcsetattr(0, libc::TCSANOW, &t) };
    }
}

/// Switches a terminal stdin to non-canonical, no-echo input (once).
fn raw_stdin() {
    RAW.call_once(|| {
        // SAFETY: isatty/tcgetattr/tcsetattr on fd 0 with a valid termios; atexit with an
        // extern "C" function that never unwinds.
        unsafe {
            if libc::isatty(0) == 0 {
                return;
            }
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut t) != 0 {
                return;
            }
            *SAVED.lock() = Some(t);
            t.c_lflag &= !(libc::ICANON | libc::ECHO);
            t.c_cc[libc::VMIN] = 1;
            t.c_cc[libc::VTIME] = 0;
            libc::tcsetattr(0, libc::TCSANOW, &t);
            libc::atexit(restore_terminal);
        }
    });
}

fn read_byte() -> i32 {
    let mut b = 0u8;
    loop {
        // SAFETY: reading one byte into a local from stdin.
        let n = unsafe { libc::read(0, (&raw mut b).cast(), 1) };
        match n {
            1 => return i32::from(b),
            0 => return -1,
            _ if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted => {}
            _ => return -1,
        }
    }
}

/// `int _kbhit(void)`: non-zero if a key is waiting.
#[unsafe(no_mangle)]
pub extern "C" fn _kbhit() -> i32 {
    ffi(0, || {
        raw_stdin();
        let mut avail: libc::c_int = 0;
        // SAFETY: FIONREAD writes an int through the pointer.
        let rc = unsafe { libc::ioctl(0, libc::FIONREAD, &mut avail) };
        i32::from(rc == 0 && avail > 0)
    })
}

/// `int _getch(void)`: the next key, without echo (blocks until one comes).
#[unsafe(no_mangle)]
pub extern "C" fn _getch() -> i32 {
    ffi(-1, || {
        raw_stdin();
        read_byte()
    })
}

/// `int _getche(void)`: as [`_getch`], echoing the key.
#[unsafe(no_mangle)]
pub extern "C" fn _getche() -> i32 {
    ffi(-1, || {
        raw_stdin();
        let c = read_byte();
        if c >= 0 {
            _putch(c);
        }
        c
    })
}

/// `int _putch(int c)`: writes the character to the console (stdout, unbuffered); returns it.
#[unsafe(no_mangle)]
pub extern "C" fn _putch(c: i32) -> i32 {
    ffi(-1, || {
        let b = c as u8;
        // SAFETY: the C streams are flushed first so the order of output is kept; then one
        // byte from a local to fd 1.
        unsafe {
            libc::fflush(std::ptr::null_mut());
            libc::write(1, (&raw const b).cast(), 1);
        }
        c
    })
}
