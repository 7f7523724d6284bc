//! The per-thread last error: `WSAGetLastError`, `WSASetLastError`, `GetLastError`,
//! `SetLastError` read and write one value (section B.1: the WSA_* codes are the Win32
//! codes), as `GetLastError` does on Windows. It is the value of the Rust facade
//! ([`crate::winsock::WSAGetLastError`]), so C code and Rust code mixing both APIs on one
//! thread see the same error.

use super::ffi;
use crate::winsock;

/// The calling thread's last error.
pub fn get() -> u32 {
    winsock::WSAGetLastError() as u32
}

/// Sets the calling thread's last error.
pub fn set(code: u32) {
    winsock::WSASetLastError(code as i32);
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
        assert_eq!(winsock::WSAGetLastError(), 10035);
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
