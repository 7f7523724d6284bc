//! The per-thread last error: `WSAGetLastError`, `WSASetLastError`, `GetLastError`,
//! `SetLastError` read and write the same value (section B.1: the WSA_* codes are the Win32
//! codes), as `GetLastError` does on Windows.

use std::cell::Cell;

use super::ffi;

thread_local! {
    static LAST_ERROR: Cell<u32> = const { Cell::new(0) };
}

/// The calling thread's last error.
pub fn get() -> u32 {
    LAST_ERROR.try_with(Cell::get).unwrap_or(0)
}

/// Sets the calling thread's last error.
pub fn set(code: u32) {
    // During thread teardown the slot may be gone; there is nobody left to read it then.
    let _ = LAST_ERROR.try_with(|c| c.set(code));
}

/// `int WSAGetLastError(void)`: the calling thread's last error.
#[unsafe(no_mangle)]
pub extern "C" fn WSAGetLastError() -> i32 {
    ffi(super::WSASYSCALLFAILURE, || get() as i32)
}

/// `void WSASetLastError(int)`: sets the calling thread's last error.
#[unsafe(no_mangle)]
pub extern "C" fn WSASetLastError(error: i32) {
    ffi((), || set(error as u32))
}

/// `DWORD GetLastError(void)`: the calling thread's last error (same value as
/// `WSAGetLastError`).
#[unsafe(no_mangle)]
pub extern "C" fn GetLastError() -> u32 {
    ffi(super::WSASYSCALLFAILURE as u32, get)
}

/// `void SetLastError(DWORD)`: sets the calling thread's last error.
#[unsafe(no_mangle)]
pub extern "C" fn SetLastError(error: u32) {
    ffi((), || set(error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_and_per_thread() {
        WSASetLastError(10035);
        assert_eq!(GetLastError(), 10035);
        SetLastError(87);
        assert_eq!(WSAGetLastError(), 87);
        std::thread::spawn(|| {
            assert_eq!(GetLastError(), 0);
            SetLastError(6);
        })
        .join()
        .unwrap();
        assert_eq!(WSAGetLastError(), 87);
    }
}
