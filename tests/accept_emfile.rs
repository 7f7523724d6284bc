//! Issue 8.6, rule 25: an `accept` that fails for another reason than WSAEWOULDBLOCK
//! (here WSAEMFILE, descriptors exhausted) is still FD_ACCEPT's re-enabling call: with the
//! connection still queued, FD_ACCEPT is recorded again, so it is announced once
//! descriptors are free. Its own process: it lowers the descriptor limit.
#![cfg(unix)]

mod common;

use common::*;
use wsaevents::error::*;
use wsaevents::{Event, NetworkEvents as Fd};

#[test]
fn rule25_failed_accept_records_fd_accept_again() {
    let l = listener(false);
    let ev = Event::new_manual(false);
    l.event_select(&ev, Fd::ACCEPT).unwrap();
    let c = tcp(false);
    c.connect(l.local_addr().unwrap()).unwrap();
    check_events(&l, &ev, &[(Fd::ACCEPT, 0)]);

    // Exhaust the descriptors: lower the soft limit to just above what is open, then fill.
    let mut old = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit/open/close on plain values and a static C string.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut old), 0);
        let highest = (0..4096)
            .rev()
            .find(|&fd| libc::fcntl(fd, libc::F_GETFD) != -1);
        let lim = libc::rlimit {
            rlim_cur: (highest.unwrap_or(64) + 1) as libc::rlim_t,
            rlim_max: old.rlim_max,
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &lim), 0);
    }
    let mut fillers = Vec::new();
    loop {
        // SAFETY: a NUL-terminated path; the descriptor is closed below.
        let fd = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY) };
        if fd < 0 {
            break;
        }
        fillers.push(fd);
        assert!(fillers.len() < 4096, "the limit never bit");
    }
    let r = l.accept();
    for fd in fillers {
        // SAFETY: descriptors this test opened.
        unsafe { libc::close(fd) };
    }
    // SAFETY: restores the limit read above.
    unsafe { assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &old), 0) };
    assert_eq!(code(r), WSAEMFILE);

    // The connection is still queued: FD_ACCEPT again, and accept now succeeds.
    check_events(&l, &ev, &[(Fd::ACCEPT, 0)]);
    let (_s, _) = l.accept().unwrap();
    check_events(&l, &ev, &[]);
}
