//! B.2's lowest-index rule against arrivals the poller has not read yet. In its own test
//! binary, so no other test thread holds the poller role: when another thread polls, a
//! non-blocking observation does not wait for it to process what it read (see
//! docs/semantics.md, "Deliberate deviations"), which would make this test a race.

mod common;

use common::*;
use wsaevents::{Event, NetworkEvents as Fd, WaitOutcome, wait_any};

/// B.2 with sockets: the lowest signalled index wins even when the lower event would only
/// be signalled by an arrival the poller has not read yet. A user event at index 1 is set;
/// data for the socket-fed event at index 0 has arrived. Windows' kernel recorded the data
/// on arrival, so the wait returns 0. Also with a zero timeout, and with only unfed events
/// before the signalled one (nothing to read then: index 1 at once).
#[test]
fn b2_lowest_index_counts_unread_arrivals_of_lower_socket_events() {
    for _ in 0..10 {
        let (c, s) = pair(false);
        let fed = Event::new_manual(false);
        s.event_select(&fed, Fd::READ).unwrap();
        let user = Event::new_manual(true);
        c.send(b"x").unwrap();
        // The loopback delivery is in the kernel when send returns; nothing has read it.
        assert_eq!(
            wait_any(&[&fed, &user], Some(std::time::Duration::ZERO)).unwrap(),
            WaitOutcome::Signaled(0)
        );
        let unfed = Event::new_manual(false);
        assert_eq!(
            wait_any(&[&unfed, &user], Some(std::time::Duration::ZERO)).unwrap(),
            WaitOutcome::Signaled(1)
        );
    }
}
