//! `Sleep`, `GetTickCount`, `GetTickCount64`, `QueryPerformanceCounter`,
//! `QueryPerformanceFrequency`.
//!
//! The clock is the system's monotonic clock since boot (`CLOCK_BOOTTIME` on Linux, which
//! like Windows' tick count includes time spent suspended; `CLOCK_MONOTONIC` elsewhere).
//! The performance counter runs at 10 MHz, the frequency current Windows reports, so that
//! the usual `counter * 1000000 / frequency` arithmetic of Windows programs does not
//! overflow for years of uptime.

use std::time::Duration;

use super::{FALSE, TRUE, fail, ffi};

/// `QueryPerformanceFrequency`'s value: 10 MHz, as on current Windows.
pub const PERFORMANCE_FREQUENCY: i64 = 10_000_000;
/// `ERROR_NOACCESS`: a NULL output pointer.
pub const ERROR_NOACCESS: i32 = 998;

/// On a simulated network (`wsaevents_sim.h`), what the clocks read: a fixed "boot" an
/// hour before the network started, plus its virtual time, so that runs are repeatable.
const SIM_BOOT: Duration = Duration::from_secs(3600);

/// Time since boot: virtual on a simulated network, else the OS's monotonic clock.
fn since_boot() -> Duration {
    match crate::sim::current_time() {
        Some(t) => SIM_BOOT + t,
        None => os_since_boot(),
    }
}

/// Time since boot (monotonic).
#[cfg(unix)]
fn os_since_boot() -> Duration {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const CLOCK: libc::clockid_t = libc::CLOCK_BOOTTIME;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const CLOCK: libc::clockid_t = libc::CLOCK_MONOTONIC;
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; clock_gettime only writes it.
    let rc = unsafe { libc::clock_gettime(CLOCK, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime of a supported clock cannot fail");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Time since the first call (no boot clock available).
#[cfg(not(unix))]
fn os_since_boot() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// `void Sleep(DWORD)`: suspends the thread; 0 yields the processor, `INFINITE` never
/// returns.
#[unsafe(no_mangle)]
pub extern "C" fn Sleep(ms: u32) {
    ffi((), || match super::events::timeout_of(ms) {
        // On a simulated network a sleep is a wait on its clock.
        Some(d) if crate::sim::is_simulated() => {
            let _ = crate::Event::new_manual(false).wait(Some(d));
        }
        Some(d) if d.is_zero() => std::thread::yield_now(),
        Some(d) => std::thread::sleep(d),
        // Not `park`: it needs `thread::current()`, which may be gone when this runs from a
        // thread-exit path (a pthread key or C++ thread_local destructor).
        None => loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        },
    })
}

/// `ULONGLONG GetTickCount64(void)`: milliseconds since boot.
#[unsafe(no_mangle)]
pub extern "C" fn GetTickCount64() -> u64 {
    ffi(0, || since_boot().as_millis() as u64)
}

/// `DWORD GetTickCount(void)`: milliseconds since boot, wrapping every ~49.7 days.
#[unsafe(no_mangle)]
pub extern "C" fn GetTickCount() -> u32 {
    ffi(0, || since_boot().as_millis() as u32)
}

/// `BOOL QueryPerformanceCounter(LARGE_INTEGER*)`: the monotonic counter in units of
/// 1/[`PERFORMANCE_FREQUENCY`] s; `FALSE` with `ERROR_NOACCESS` for NULL.
///
/// # Safety
/// `count` must be NULL or point to a writable `LARGE_INTEGER` (8 bytes).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn QueryPerformanceCounter(count: *mut i64) -> i32 {
    ffi(FALSE, || {
        if count.is_null() {
            return fail(ERROR_NOACCESS, FALSE);
        }
        let ticks = (since_boot().as_nanos() / 100) as i64;
        // SAFETY: non-NULL; the caller guarantees a writable LARGE_INTEGER (which may be
        // only 4-byte aligned in packed C structs, hence the unaligned write).
        unsafe { count.write_unaligned(ticks) };
        TRUE
    })
}

/// `BOOL QueryPerformanceFrequency(LARGE_INTEGER*)`: 10 000 000; `FALSE` with
/// `ERROR_NOACCESS` for NULL.
///
/// # Safety
/// `frequency` must be NULL or point to a writable `LARGE_INTEGER` (8 bytes).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn QueryPerformanceFrequency(frequency: *mut i64) -> i32 {
    ffi(FALSE, || {
        if frequency.is_null() {
            return fail(ERROR_NOACCESS, FALSE);
        }
        // SAFETY: non-NULL; the caller guarantees a writable LARGE_INTEGER.
        unsafe { frequency.write_unaligned(PERFORMANCE_FREQUENCY) };
        TRUE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_advance_together() {
        let mut c0 = 0i64;
        // SAFETY: a local i64.
        assert_eq!(unsafe { QueryPerformanceCounter(&mut c0) }, TRUE);
        let t0 = GetTickCount64();
        Sleep(20);
        let mut c1 = 0i64;
        // SAFETY: a local i64.
        assert_eq!(unsafe { QueryPerformanceCounter(&mut c1) }, TRUE);
        assert!(c1 - c0 >= 20 * PERFORMANCE_FREQUENCY / 1000);
        assert!(GetTickCount64() >= t0 + 19);
        // SAFETY: NULL is checked.
        assert_eq!(
            unsafe { QueryPerformanceFrequency(std::ptr::null_mut()) },
            FALSE
        );
        assert_eq!(super::super::last_error::get(), 998);
    }
}
