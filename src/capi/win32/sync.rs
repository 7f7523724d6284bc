//! `CRITICAL_SECTION`: `InitializeCriticalSection(AndSpinCount/Ex)`, `EnterCriticalSection`,
//! `TryEnterCriticalSection`, `LeaveCriticalSection`, `DeleteCriticalSection`,
//! `SetCriticalSectionSpinCount`.
//!
//! The structure has Windows' layout (`RTL_CRITICAL_SECTION`, 40 bytes on 64-bit). As on
//! Windows, a section is owned by one thread at a time and is recursive: the owner may enter
//! again and must leave as many times. `OwningThread` (the owner's `GetCurrentThreadId`, as
//! a `HANDLE`-sized value) and `RecursionCount` are maintained as Windows maintains them;
//! `LockCount` is -1 while the section is free, and other values are not Windows'. The lock
//! itself is a mutex and condition variable the library allocates at initialisation and
//! keeps in `DebugInfo` (Windows allocates a debug block there too); `DeleteCriticalSection`
//! frees it.
//!
//! Where Windows has undefined behaviour, the library neither crashes nor hangs: a section
//! used without `Initialize` is initialised on first use, and `Leave` by a thread that does
//! not own the section does nothing.

use std::sync::atomic::{AtomicPtr, Ordering};

use parking_lot::{Condvar, Mutex};

use super::thread::current_thread_id;
use crate::capi::{FALSE, TRUE, ffi};

/// `RTL_CRITICAL_SECTION`, Windows' layout.
#[repr(C)]
pub struct CriticalSection {
    /// `DebugInfo`: the library's lock ([`Lock`]).
    debug_info: AtomicPtr<Lock>,
    /// `LockCount`: -1 while free.
    lock_count: i32,
    /// `RecursionCount`: how many times the owner has entered.
    recursion_count: i32,
    /// `OwningThread`: the owner's thread id.
    owning_thread: usize,
    /// `LockSemaphore`: unused.
    lock_semaphore: usize,
    /// `SpinCount`.
    spin_count: usize,
}

/// The lock behind a section: the owner's thread id (0: free) and its recursion count.
#[derive(Default)]
pub struct Lock {
    state: Mutex<(u32, u32)>,
    freed: Condvar,
}

/// The section's lock, creating it if the program never initialised the section.
///
/// # Safety
/// `cs` must point to a live `CRITICAL_SECTION`.
unsafe fn lock_of<'a>(cs: *mut CriticalSection) -> &'a Lock {
    // SAFETY: `cs` is live (caller); `debug_info` is an AtomicPtr, so concurrent first uses
    // agree on one lock through the compare-exchange.
    let slot = unsafe { &(*cs).debug_info };
    let p = slot.load(Ordering::Acquire);
    if !p.is_null() {
        // SAFETY: a non-NULL value is a leaked Box<Lock> that lives until Delete.
        return unsafe { &*p };
    }
    let fresh = Box::into_raw(Box::default());
    match slot.compare_exchange(
        std::ptr::null_mut(),
        fresh,
        Ordering::AcqRel,
        Ordering::Acquire,
    ) {
        // SAFETY: just installed; lives until Delete.
        Ok(_) => unsafe { &*fresh },
        Err(existing) => {
            // SAFETY: `fresh` was never shared; `existing` is the installed lock.
            unsafe {
                drop(Box::from_raw(fresh));
                &*existing
            }
        }
    }
}

/// Writes the fields programs may read, under the lock's mutex.
///
/// # Safety
/// `cs` must point to a live `CRITICAL_SECTION`.
unsafe fn publish(cs: *mut CriticalSection, owner: u32, count: u32) {
    // SAFETY: live (caller); plain field writes of the informational fields, serialised by
    // the section's own mutex, which the caller holds.
    unsafe {
        (*cs).owning_thread = owner as usize;
        (*cs).recursion_count = count as i32;
        (*cs).lock_count = if owner == 0 { -1 } else { count as i32 - 1 };
    }
}

/// # Safety
/// `cs` must point to writable memory of a `CRITICAL_SECTION`.
unsafe fn init(cs: *mut CriticalSection, spin: u32) {
    if cs.is_null() {
        return;
    }
    let lock = Box::into_raw(Box::<Lock>::default());
    // SAFETY: writable (caller); the section is not in use while it is initialised.
    unsafe {
        cs.write(CriticalSection {
            debug_info: AtomicPtr::new(lock),
            lock_count: -1,
            recursion_count: 0,
            owning_thread: 0,
            lock_semaphore: 0,
            spin_count: spin as usize,
        });
    }
}

/// `void InitializeCriticalSection(LPCRITICAL_SECTION)`.
///
/// # Safety
/// `cs` must be NULL or point to writable memory of a `CRITICAL_SECTION`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn InitializeCriticalSection(cs: *mut CriticalSection) {
    // SAFETY: forwarded caller contract.
    ffi((), || unsafe { init(cs, 0) })
}

/// `BOOL InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION, DWORD)`: `TRUE`.
///
/// # Safety
/// As [`InitializeCriticalSection`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn InitializeCriticalSectionAndSpinCount(
    cs: *mut CriticalSection,
    spin: u32,
) -> i32 {
    // SAFETY: forwarded caller contract.
    ffi(FALSE, || unsafe {
        init(cs, spin);
        TRUE
    })
}

/// `BOOL InitializeCriticalSectionEx(LPCRITICAL_SECTION, DWORD, DWORD Flags)`: `TRUE`.
///
/// # Safety
/// As [`InitializeCriticalSection`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn InitializeCriticalSectionEx(
    cs: *mut CriticalSection,
    spin: u32,
    _flags: u32,
) -> i32 {
    // SAFETY: forwarded caller contract.
    ffi(FALSE, || unsafe {
        init(cs, spin);
        TRUE
    })
}

/// `DWORD SetCriticalSectionSpinCount(LPCRITICAL_SECTION, DWORD)`: the previous count.
///
/// # Safety
/// `cs` must point to a live `CRITICAL_SECTION`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SetCriticalSectionSpinCount(cs: *mut CriticalSection, spin: u32) -> u32 {
    ffi(0, || {
        if cs.is_null() {
            return 0;
        }
        // SAFETY: live (caller); SpinCount is informational.
        unsafe { std::mem::replace(&mut (*cs).spin_count, spin as usize) as u32 }
    })
}

/// `void EnterCriticalSection(LPCRITICAL_SECTION)`: blocks until the calling thread owns the
/// section; the owner enters again at once (recursion).
///
/// # Safety
/// `cs` must point to a live `CRITICAL_SECTION`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn EnterCriticalSection(cs: *mut CriticalSection) {
    ffi((), || {
        if cs.is_null() {
            return;
        }
        let me = current_thread_id();
        // SAFETY: live (caller).
        let lock = unsafe { lock_of(cs) };
        let mut st = lock.state.lock();
        if st.0 != me {
            while st.0 != 0 {
                lock.freed.wait(&mut st);
            }
            st.0 = me;
        }
        st.1 += 1;
        // SAFETY: live; we hold the mutex.
        unsafe { publish(cs, st.0, st.1) };
    })
}

/// `BOOL TryEnterCriticalSection(LPCRITICAL_SECTION)`: `TRUE` if the calling thread now owns
/// the section (also recursively), `FALSE` at once if another thread does.
///
/// # Safety
/// `cs` must point to a live `CRITICAL_SECTION`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn TryEnterCriticalSection(cs: *mut CriticalSection) -> i32 {
    ffi(FALSE, || {
        if cs.is_null() {
            return FALSE;
        }
        let me = current_thread_id();
        // SAFETY: live (caller).
        let lock = unsafe { lock_of(cs) };
        let mut st = lock.state.lock();
        if st.0 != me && st.0 != 0 {
            return FALSE;
        }
        st.0 = me;
        st.1 += 1;
        // SAFETY: live; we hold the mutex.
        unsafe { publish(cs, st.0, st.1) };
        TRUE
    })
}

/// `void LeaveCriticalSection(LPCRITICAL_SECTION)`: undoes one enter; the last one frees the
/// section for a waiting thread.
///
/// # Safety
/// `cs` must point to a live `CRITICAL_SECTION`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn LeaveCriticalSection(cs: *mut CriticalSection) {
    ffi((), || {
        if cs.is_null() {
            return;
        }
        // SAFETY: live (caller).
        let lock = unsafe { lock_of(cs) };
        let mut st = lock.state.lock();
        if st.0 != current_thread_id() || st.1 == 0 {
            return; // not the owner: Windows' behaviour is undefined; do no harm
        }
        st.1 -= 1;
        if st.1 == 0 {
            st.0 = 0;
            lock.freed.notify_one();
        }
        // SAFETY: live; we hold the mutex.
        unsafe { publish(cs, st.0, st.1) };
    })
}

/// `void DeleteCriticalSection(LPCRITICAL_SECTION)`: frees the section's lock.
///
/// # Safety
/// `cs` must point to a live `CRITICAL_SECTION` that no thread owns or waits on.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn DeleteCriticalSection(cs: *mut CriticalSection) {
    ffi((), || {
        if cs.is_null() {
            return;
        }
        // SAFETY: live (caller).
        let p = unsafe {
            (*cs)
                .debug_info
                .swap(std::ptr::null_mut(), Ordering::AcqRel)
        };
        if !p.is_null() {
            // SAFETY: installed by init/lock_of as a Box; swapped out, so freed once. The
            // caller guarantees no thread uses the section any more.
            drop(unsafe { Box::from_raw(p) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_windows() {
        assert_eq!(
            std::mem::size_of::<CriticalSection>(),
            4 * std::mem::size_of::<usize>() + 8
        );
    }

    #[test]
    fn recursive_and_exclusive() {
        let mut cs = std::mem::MaybeUninit::<CriticalSection>::uninit();
        let p = cs.as_mut_ptr();
        // SAFETY: `p` is writable, then initialised and live for the test.
        unsafe {
            InitializeCriticalSection(p);
            EnterCriticalSection(p);
            assert_eq!(TryEnterCriticalSection(p), TRUE);
            assert_eq!((*p).recursion_count, 2);
            assert_eq!((*p).owning_thread, current_thread_id() as usize);
        }
        let addr = p as usize;
        let other = std::thread::spawn(move || {
            // SAFETY: the section outlives this joined thread.
            unsafe { TryEnterCriticalSection(addr as *mut CriticalSection) }
        })
        .join()
        .unwrap();
        assert_eq!(other, FALSE);
        // SAFETY: as above.
        unsafe {
            LeaveCriticalSection(p);
            LeaveCriticalSection(p);
            assert_eq!((*p).lock_count, -1);
            assert_eq!((*p).owning_thread, 0);
            DeleteCriticalSection(p);
        }
    }
}
