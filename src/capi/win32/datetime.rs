//! The time of day: `GetLocalTime`, `GetSystemTime` (a `SYSTEMTIME`, to the millisecond) and
//! `GetSystemTimeAsFileTime` (100-nanosecond intervals since 1601-01-01 UTC), from the
//! system's real-time clock and the C library's time zone (`localtime_r`, as `TZ` says).

use crate::capi::ffi;

/// `SYSTEMTIME`, Windows' layout (eight `WORD`s).
#[repr(C)]
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SystemTime {
    /// `wYear`.
    pub year: u16,
    /// `wMonth`: 1–12.
    pub month: u16,
    /// `wDayOfWeek`: 0 = Sunday.
    pub day_of_week: u16,
    /// `wDay`: 1–31.
    pub day: u16,
    /// `wHour`.
    pub hour: u16,
    /// `wMinute`.
    pub minute: u16,
    /// `wSecond`.
    pub second: u16,
    /// `wMilliseconds`.
    pub milliseconds: u16,
}

/// Seconds between 1601-01-01 and 1970-01-01.
const EPOCH_DIFF_SECS: i64 = 11_644_473_600;

fn now() -> libc::timespec {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts) };
    ts
}

fn system_time(local: bool) -> SystemTime {
    let ts = now();
    let secs: libc::time_t = ts.tv_sec;
    // SAFETY: an all-zero `struct tm` is a valid value; the *_r functions only write it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointers to a time_t and a struct tm.
    let ok = unsafe {
        if local {
            !libc::localtime_r(&secs, &mut tm).is_null()
        } else {
            !libc::gmtime_r(&secs, &mut tm).is_null()
        }
    };
    if !ok {
        return SystemTime::default();
    }
    SystemTime {
        year: (tm.tm_year + 1900) as u16,
        month: (tm.tm_mon + 1) as u16,
        day_of_week: tm.tm_wday as u16,
        day: tm.tm_mday as u16,
        hour: tm.tm_hour as u16,
        minute: tm.tm_min as u16,
        second: tm.tm_sec.min(59) as u16,
        milliseconds: (ts.tv_nsec / 1_000_000) as u16,
    }
}

/// `void GetLocalTime(LPSYSTEMTIME)`.
///
/// # Safety
/// `out` must be NULL or point to a writable `SYSTEMTIME`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn GetLocalTime(out: *mut SystemTime) {
    ffi((), || {
        if !out.is_null() {
            // SAFETY: writable (caller).
            unsafe { out.write_unaligned(system_time(true)) };
        }
    })
}

/// `void GetSystemTime(LPSYSTEMTIME)`: UTC.
///
/// # Safety
/// `out` must be NULL or point to a writable `SYSTEMTIME`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn GetSystemTime(out: *mut SystemTime) {
    ffi((), || {
        if !out.is_null() {
            // SAFETY: writable (caller).
            unsafe { out.write_unaligned(system_time(false)) };
        }
    })
}

/// `void GetSystemTimeAsFileTime(LPFILETIME)`: 100 ns intervals since 1601-01-01 UTC, as
/// `{ dwLowDateTime, dwHighDateTime }`.
///
/// # Safety
/// `out` must be NULL or point to a writable `FILETIME` (two `DWORD`s).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn GetSystemTimeAsFileTime(out: *mut [u32; 2]) {
    ffi((), || {
        if out.is_null() {
            return;
        }
        let ts = now();
        // time_t and the nanoseconds' type are not i64/u64 on every target.
        #[allow(clippy::unnecessary_cast)]
        let ticks =
            (ts.tv_sec as i64 + EPOCH_DIFF_SECS) as u64 * 10_000_000 + (ts.tv_nsec as u64) / 100;
        // SAFETY: writable (caller).
        unsafe { out.write_unaligned([ticks as u32, (ticks >> 32) as u32]) };
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_fields_agree_with_the_file_time() {
        let mut st = SystemTime::default();
        let mut ft = [0u32; 2];
        // SAFETY: live locals.
        unsafe {
            GetSystemTimeAsFileTime(&mut ft);
            GetSystemTime(&mut st);
        }
        let ticks = u64::from(ft[0]) | (u64::from(ft[1]) << 32);
        let unix = ticks / 10_000_000 - EPOCH_DIFF_SECS as u64;
        let days = unix / 86_400;
        // 1970-01-01 was a Thursday (4).
        assert_eq!(u64::from(st.day_of_week), (days + 4) % 7);
        assert!((1..=12).contains(&st.month) && (1..=31).contains(&st.day));
        assert!(st.year >= 2024);
    }
}
