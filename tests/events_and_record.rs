//! Rules 1–15 (the record, sections A.1–A.3), rule 48, and the event objects and waits of
//! sections B.1–B.2, through the public API only.
//!
//! Threads synchronise on events, never on sleeps, and every wait that could block is
//! bounded by [`LONG`] so that a bug fails the test instead of hanging it.

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use wsaevents::error::{WSA_INVALID_PARAMETER, WSAEINVAL};
use wsaevents::{
    ArrivalModel, Event, FD_CLOSE_BIT, FD_CONNECT_BIT, FD_MAX_EVENTS, FD_READ_BIT,
    MAXIMUM_WAIT_OBJECTS, NetworkEventRecord, NetworkEvents as Fd, Record, WaitOutcome, wait_all,
    wait_any,
};

/// The bound on every wait that is expected to succeed.
const LONG: Duration = Duration::from_secs(10);
const ZERO: Option<Duration> = Some(Duration::ZERO);
const UNTOUCHED: i32 = 0xABAB_ABABu32 as i32;
const MODELS: [ArrivalModel; 3] = [
    ArrivalModel::AlwaysRecords,
    ArrivalModel::SelectRearms,
    ArrivalModel::Strict,
];
/// The six bits a socket records, one by one.
const CLASSIC: [Fd; 6] = [
    Fd::READ,
    Fd::WRITE,
    Fd::OOB,
    Fd::ACCEPT,
    Fd::CONNECT,
    Fd::CLOSE,
];

/// `WSAEnumNetworkEvents` into an `iErrorCode` array pre-filled with 0xABABABAB.
fn enum_(r: &mut Record, reset: Option<&Event>) -> (Fd, [i32; FD_MAX_EVENTS]) {
    let mut codes = [UNTOUCHED; FD_MAX_EVENTS];
    let got = r.enumerate(reset, &mut codes);
    (got, codes)
}

// ------------------------------------------------------------------------------------------
// A.1 WSAEventSelect (rules 1–7)

/// Rule 1: the new selection replaces the old; the old event is neither set nor reset, in
/// either state, even when the new select signals at once.
#[test]
fn rule1_old_event_neither_set_nor_reset() {
    for old_state in [false, true] {
        let (old, new) = (Event::new_manual(old_state), Event::new_manual(false));
        let mut r = Record::default();
        r.select(Some(&old), Fd::READ).unwrap();
        if !old_state {
            old.reset();
        }
        r.arrive(Fd::CLOSE, 0); // not selected: no signal
        assert_eq!(old.is_set(), old_state);
        r.select(Some(&new), Fd::READ | Fd::CLOSE).unwrap();
        assert!(new.is_set(), "rule 3 on the new event");
        assert_eq!(old.is_set(), old_state, "the old event is untouched");
        new.reset();
        r.arrive(Fd::READ, 0);
        assert!(new.is_set());
        assert_eq!(
            old.is_set(),
            old_state,
            "arrivals signal the new event only"
        );
        assert!(r.event().unwrap().same_object(&new));
        assert_eq!(r.mask(), Fd::READ | Fd::CLOSE);
    }
}

/// Rule 2: after ACCEPT was enumerated (its connection still pending, so ACCEPT ∈ D),
/// neither a re-select with the same mask nor select(0) + select(mask) reports it again,
/// under every arrival model.
#[test]
fn rule2_reselect_does_not_rerecord_enumerated_bits() {
    for model in MODELS {
        let e = Event::new_manual(false);
        let mut r = Record::new(model);
        r.select(Some(&e), Fd::ACCEPT).unwrap();
        r.arrive(Fd::ACCEPT, 0);
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::ACCEPT);
        r.select(Some(&e), Fd::ACCEPT).unwrap();
        assert!(!e.is_set(), "{model:?}");
        r.select(None, Fd::empty()).unwrap();
        r.select(Some(&e), Fd::ACCEPT).unwrap();
        assert!(!e.is_set(), "{model:?}");
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::empty(), "{model:?}");
    }
}

/// Rule 2: bits recorded while masked out survive any number of re-selects (the record is
/// not cleared, contrary to the documentation, rule 51 (a)).
#[test]
fn rule2_record_survives_reselects() {
    for model in MODELS {
        let e = Event::new_manual(false);
        let mut r = Record::new(model);
        r.select(Some(&e), Fd::WRITE).unwrap();
        r.arrive(Fd::READ | Fd::OOB, 0);
        for mask in [Fd::WRITE, Fd::empty(), Fd::CLOSE, Fd::ACCEPT | Fd::WRITE] {
            r.select(Some(&e), mask).unwrap();
            assert!(!e.is_set(), "{model:?} {mask:?}");
        }
        assert_eq!(r.recorded(), Fd::READ | Fd::OOB);
        r.select(Some(&e), Fd::READ | Fd::OOB).unwrap();
        assert!(e.is_set());
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::READ | Fd::OOB, "{model:?}");
    }
}

/// Rule 3: the event is signalled before `select` returns (a zero-timeout wait sees it),
/// for a manual- and an auto-reset event.
#[test]
fn rule3_signalled_before_select_returns() {
    for manual in [true, false] {
        let e = Event::new(manual, false);
        let mut r = Record::default();
        r.arrive(Fd::CONNECT | Fd::WRITE, 0);
        r.select(Some(&e), Fd::WRITE).unwrap();
        assert_eq!(wait_any(&[&e], ZERO).unwrap(), WaitOutcome::Signaled(0));
        assert_eq!(
            e.is_set(),
            manual,
            "an auto-reset event is consumed by the wait"
        );
        // The wait does not touch the record (rule 47).
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::WRITE);
        assert_eq!(r.recorded(), Fd::CONNECT);
    }
}

/// Rule 3: a select never resets the event, even when nothing it selects is recorded.
#[test]
fn rule3_select_never_resets() {
    let e = Event::new_manual(true);
    let mut r = Record::default();
    for mask in [Fd::READ, Fd::empty(), Fd::all()] {
        r.select(Some(&e), mask).unwrap();
        assert!(e.is_set(), "{mask:?}");
    }
}

/// Rule 5: a zero mask cancels signalling and ignores the event argument; it neither sets
/// nor resets that event; recording goes on.
#[test]
fn rule5_zero_mask_ignores_the_event() {
    let (old, e) = (Event::new_manual(false), Event::new_manual(false));
    let mut r = Record::default();
    r.select(Some(&old), Fd::WRITE).unwrap();
    r.arrive(Fd::READ, 0);
    r.select(Some(&e), Fd::empty()).unwrap();
    assert!(
        r.event().is_none(),
        "the event argument is ignored, the old one dropped"
    );
    assert_eq!(r.mask(), Fd::empty());
    assert!(!e.is_set() && !old.is_set());
    r.arrive(Fd::CLOSE, 0);
    assert!(!e.is_set());
    assert_eq!(enum_(&mut r, Some(&e)).0, Fd::empty());
    assert_eq!(r.recorded(), Fd::READ | Fd::CLOSE);
    e.set();
    r.select(Some(&e), Fd::empty()).unwrap();
    assert!(e.is_set(), "a zero-mask select does not reset");
    r.select(None, Fd::empty()).unwrap();
    assert!(r.event().is_none());
}

/// Rule 6: a non-zero mask without an event is WSAEINVAL and changes nothing (the previous
/// selection stays, and nothing is signalled).
#[test]
fn rule6_null_event_with_mask_is_einval() {
    let e = Event::new_manual(false);
    let mut r = Record::default();
    assert_eq!(r.select(None, Fd::READ).unwrap_err().code(), WSAEINVAL);
    assert_eq!(r.mask(), Fd::empty());
    assert!(r.event().is_none());
    r.select(Some(&e), Fd::WRITE).unwrap();
    r.arrive(Fd::READ, 0);
    let err = r.select(None, Fd::READ).unwrap_err();
    assert_eq!(err.code(), 10022);
    assert_eq!(r.mask(), Fd::WRITE);
    assert!(r.event().unwrap().same_object(&e));
    assert!(!e.is_set());
    assert_eq!(r.recorded(), Fd::READ);
}

/// Rule 6: unknown mask bits are accepted and kept; the QOS and change bits never fire.
#[test]
fn rule6_unknown_mask_bits_accepted() {
    let e = Event::new_manual(false);
    let mut r = Record::default();
    let odd = Fd::from_bits_retain(0xFFFF_FFFF);
    r.select(Some(&e), odd).unwrap();
    assert_eq!(r.mask().bits(), 0xFFFF_FFFF);
    let change_bits =
        Fd::QOS | Fd::GROUP_QOS | Fd::ROUTING_INTERFACE_CHANGE | Fd::ADDRESS_LIST_CHANGE;
    r.select(Some(&e), change_bits | Fd::from_bits_retain(0x400))
        .unwrap();
    r.arrive(Fd::all() | Fd::from_bits_retain(0xFFFF_FC00), 0);
    assert!(
        e.is_set(),
        "the change bits are selected and recordable (issue 12)"
    );
    assert_eq!(
        r.recorded(),
        Fd::READ
            | Fd::WRITE
            | Fd::OOB
            | Fd::ACCEPT
            | Fd::CONNECT
            | Fd::CLOSE
            | Fd::ROUTING_INTERFACE_CHANGE
            | Fd::ADDRESS_LIST_CHANGE,
        "never the QOS bits nor bits with no name"
    );
    assert_eq!(
        enum_(&mut r, Some(&e)).0,
        Fd::ROUTING_INTERFACE_CHANGE | Fd::ADDRESS_LIST_CHANGE
    );
}

// ------------------------------------------------------------------------------------------
// A.2 Recording (rules 8–9)

/// Rule 8: each classic bit is recorded while unselected and while masked out, with its
/// error code, and reported (with that code) by the first enumeration after a select.
#[test]
fn rule8_every_bit_recorded_while_unselected() {
    for (i, bit) in CLASSIC.into_iter().enumerate() {
        for masked_out in [false, true] {
            let e = Event::new_manual(false);
            let mut r = Record::default();
            if masked_out {
                r.select(Some(&e), Fd::all() - bit).unwrap();
            }
            r.arrive(bit, 10_000 + i as i32);
            assert!(!e.is_set(), "{bit:?}");
            r.select(Some(&e), bit).unwrap();
            assert!(e.is_set(), "{bit:?}");
            let (got, codes) = enum_(&mut r, Some(&e));
            assert_eq!(got, bit);
            assert_eq!(codes[i], 10_000 + i as i32);
        }
    }
}

/// Rule 9: re-recording a recorded bit only updates its error and (if selected) sets the
/// event again; an already-signalled event stays signalled; an unselected bit sets nothing.
#[test]
fn rule9_rerecording() {
    let e = Event::new_manual(false);
    let mut r = Record::default();
    r.select(Some(&e), Fd::CONNECT).unwrap();
    r.arrive(Fd::CONNECT, 10061);
    assert!(e.is_set());
    r.arrive(Fd::CONNECT, 10060);
    assert!(e.is_set());
    e.reset();
    r.arrive(Fd::READ, 0);
    assert!(!e.is_set(), "READ is not selected");
    r.arrive(Fd::CONNECT, 10051);
    assert!(e.is_set(), "a selected re-recording sets the event again");
    assert_eq!(r.recorded(), Fd::CONNECT | Fd::READ);
    let (got, codes) = enum_(&mut r, Some(&e));
    assert_eq!(got, Fd::CONNECT);
    assert_eq!(codes[FD_CONNECT_BIT], 10051, "the latest error is kept");
}

// ------------------------------------------------------------------------------------------
// A.3 WSAEnumNetworkEvents (rules 10–15)

/// Rule 10, exhaustively over the six classic bits: enumerate returns `R ∩ M` and leaves
/// `R \ M`.
#[test]
fn rule10_returns_r_and_m_and_clears_only_those() {
    let e = Event::new_manual(false);
    for recorded in 0u32..64 {
        for mask in 1u32..64 {
            let (recorded, mask) = (Fd::from_bits_retain(recorded), Fd::from_bits_retain(mask));
            let mut r = Record::default();
            r.arrive(recorded, 0);
            r.select(Some(&e), mask).unwrap();
            assert_eq!(e.is_set(), recorded.intersects(mask));
            assert_eq!(enum_(&mut r, Some(&e)).0, recorded & mask);
            assert_eq!(r.recorded(), recorded - mask);
            assert_eq!(enum_(&mut r, Some(&e)).0, Fd::empty(), "nothing twice");
        }
    }
}

/// Rule 11: an enumeration never changes `D`, under any model.
#[test]
fn rule11_enumerate_keeps_d() {
    for model in MODELS {
        let e = Event::new_manual(false);
        let mut r = Record::new(model);
        r.select(Some(&e), Fd::READ | Fd::CLOSE).unwrap();
        r.arrive(Fd::READ | Fd::ACCEPT | Fd::CLOSE, 0);
        let d = r.reported();
        assert_eq!(d, Fd::READ | Fd::ACCEPT | Fd::CLOSE, "{model:?}");
        enum_(&mut r, Some(&e));
        assert_eq!(r.reported(), d, "{model:?}");
        enum_(&mut r, None);
        assert_eq!(r.reported(), d, "{model:?}");
    }
}

/// Rule 12: the event passed in is reset, manual or auto, whether or not anything is
/// reported; NULL touches no event.
#[test]
fn rule12_reset_of_the_given_event() {
    for manual in [true, false] {
        let e = Event::new(manual, true);
        let mut r = Record::default();
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::empty());
        assert!(!e.is_set());
        assert_eq!(e.wait(ZERO), WaitOutcome::TimedOut);

        r.select(Some(&e), Fd::READ).unwrap();
        r.arrive(Fd::READ, 0);
        assert!(e.is_set());
        enum_(&mut r, None);
        assert!(e.is_set(), "NULL: no event touched");
        r.arrive(Fd::READ, 0);
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::READ);
        assert!(!e.is_set());
    }
}

/// Rule 12 with real threads: a recorder records READ 2 000 times, each with a new error
/// code as a sequence number, while an application thread waits and enumerates. Every
/// wake-up has something to report (copy, clear and reset are atomic), the sequence only
/// grows, and the last arrival is always reported: a lost wake-up would time the wait out.
#[test]
fn rule12_no_lost_wakeup_between_threads() {
    const N: i32 = 2_000;
    for manual in [true, false] {
        let e = Event::new(manual, false);
        let mut r = Record::default();
        r.select(Some(&e), Fd::READ).unwrap();
        let sock = std::sync::Arc::new(Mutex::new(r));
        let recorder = {
            let sock = sock.clone();
            thread::spawn(move || {
                for seq in 1..=N {
                    sock.lock().unwrap().arrive(Fd::READ, seq);
                }
            })
        };
        let mut last = 0;
        let mut wakeups = 0;
        while last < N {
            assert_eq!(e.wait(Some(LONG)), WaitOutcome::Signaled(0), "after {last}");
            wakeups += 1;
            let (got, codes) = enum_(&mut sock.lock().unwrap(), Some(&e));
            assert_eq!(
                got,
                Fd::READ,
                "signalled with nothing recorded (after {last})"
            );
            assert!(codes[FD_READ_BIT] > last, "the sequence went back");
            last = codes[FD_READ_BIT];
        }
        recorder.join().unwrap();
        assert!(wakeups <= N);
        assert!(!e.is_set());
        assert_eq!(sock.lock().unwrap().recorded(), Fd::empty());
    }
}

/// Rule 13: `lNetworkEvents` is exactly the reported bits, and only their `iErrorCode`
/// entries are written (0 included); the others keep the caller's 0xABABABAB.
#[test]
fn rule13_only_reported_error_codes_written() {
    let e = Event::new_manual(false);
    let mut r = Record::default();
    r.arrive(Fd::CONNECT, 10061);
    r.arrive(Fd::CLOSE, 10053);
    r.arrive(Fd::READ, 0);
    r.arrive(Fd::ACCEPT, 77);
    r.select(Some(&e), Fd::CONNECT | Fd::CLOSE | Fd::READ | Fd::WRITE)
        .unwrap();
    let mut out = NetworkEventRecord {
        network_events: UNTOUCHED,
        error_code: [UNTOUCHED; FD_MAX_EVENTS],
    };
    r.enumerate_into(Some(&e), &mut out);
    assert_eq!(out.events(), Fd::CONNECT | Fd::CLOSE | Fd::READ);
    assert_eq!(out.network_events, 0x31);
    for (i, &code) in out.error_code.iter().enumerate() {
        let want = match i {
            FD_CONNECT_BIT => 10061,
            FD_CLOSE_BIT => 10053,
            FD_READ_BIT => 0,
            _ => UNTOUCHED,
        };
        assert_eq!(code, want, "iErrorCode[{i}]");
    }
    assert_eq!(out.error(Fd::CLOSE).unwrap().code(), 10053);
    assert_eq!(out.error(Fd::READ), None);

    // An empty enumeration writes lNetworkEvents = 0 and no iErrorCode entry.
    let mut out = NetworkEventRecord {
        network_events: UNTOUCHED,
        error_code: [UNTOUCHED; FD_MAX_EVENTS],
    };
    r.enumerate_into(Some(&e), &mut out);
    assert_eq!(out.network_events, 0);
    assert_eq!(out.error_code, [UNTOUCHED; FD_MAX_EVENTS]);
}

/// Rule 14: a socket never selected enumerates to 0 without error, keeps its record, and
/// still resets the event passed in (rule 12).
#[test]
fn rule14_unselected_socket_enumerates_nothing() {
    let e = Event::new_manual(true);
    let mut r = Record::default();
    r.arrive(Fd::READ | Fd::WRITE, 0);
    let (got, codes) = enum_(&mut r, Some(&e));
    assert_eq!(got, Fd::empty());
    assert_eq!(codes, [UNTOUCHED; FD_MAX_EVENTS]);
    assert!(!e.is_set());
    assert_eq!(r.recorded(), Fd::READ | Fd::WRITE);
}

/// Rule 15: with one event shared by two sockets, enumerating one resets the event although
/// the other has a recorded bit; a wait then times out until a new recording.
#[test]
fn rule15_shared_event_reset_by_either_socket() {
    let e = Event::new_manual(false);
    let (mut listener, mut accepted) = (Record::default(), Record::default());
    listener.select(Some(&e), Fd::ACCEPT | Fd::READ).unwrap();
    accepted.select(Some(&e), Fd::ACCEPT | Fd::READ).unwrap();
    accepted.arrive(Fd::READ, 0);
    assert_eq!(wait_any(&[&e], ZERO).unwrap(), WaitOutcome::Signaled(0));
    assert_eq!(enum_(&mut listener, Some(&e)).0, Fd::empty());
    assert_eq!(wait_any(&[&e], ZERO).unwrap(), WaitOutcome::TimedOut);
    assert_eq!(accepted.recorded(), Fd::READ, "still recorded, but silent");
    listener.arrive(Fd::ACCEPT, 0);
    assert_eq!(wait_any(&[&e], ZERO).unwrap(), WaitOutcome::Signaled(0));
    assert_eq!(enum_(&mut accepted, Some(&e)).0, Fd::READ);
    assert_eq!(wait_any(&[&e], ZERO).unwrap(), WaitOutcome::TimedOut);
    assert_eq!(enum_(&mut listener, None).0, Fd::ACCEPT);
}

/// Rule 48: an auto-reset event works with select; a wait consumes the signal but not the
/// record, so the next wait times out while the enumeration still reports.
#[test]
fn rule48_auto_reset_event_with_select() {
    let e = Event::new_auto(false);
    let mut r = Record::default();
    r.select(Some(&e), Fd::READ).unwrap();
    r.arrive(Fd::READ, 0);
    assert_eq!(e.wait(ZERO), WaitOutcome::Signaled(0));
    assert_eq!(e.wait(ZERO), WaitOutcome::TimedOut);
    assert_eq!(enum_(&mut r, Some(&e)).0, Fd::READ);
}

// ------------------------------------------------------------------------------------------
// B.1 event functions

/// B.1: `WSACreateEvent` makes a manual-reset, unsignalled event; the initial state and kind
/// of `CreateEvent` are honoured; clones are handles to one object, which lives until the
/// last is dropped.
#[test]
fn b1_create_and_handles() {
    let ws = Event::new_manual(false);
    assert!(ws.is_manual_reset() && !ws.is_set());
    for (manual, initial) in [(true, true), (false, true), (false, false)] {
        let e = Event::new(manual, initial);
        assert_eq!((e.is_manual_reset(), e.is_set()), (manual, initial));
    }
    let e = Event::new_auto(false);
    let c = e.clone();
    drop(e);
    c.set();
    assert!(c.is_set());
    assert_eq!(c.wait(ZERO), WaitOutcome::Signaled(0));
    assert!(!c.is_set());
}

// ------------------------------------------------------------------------------------------
// B.2 waits

/// B.2: `Event::wait` consumes an auto-reset event and leaves a manual-reset one set.
#[test]
fn b2_event_wait_consumes_auto_reset_only() {
    let a = Event::new_auto(true);
    assert_eq!(a.wait(ZERO), WaitOutcome::Signaled(0));
    assert!(!a.is_set());
    assert_eq!(a.wait(ZERO), WaitOutcome::TimedOut);
    let m = Event::new_manual(true);
    assert_eq!(m.wait(ZERO), WaitOutcome::Signaled(0));
    assert_eq!(m.wait(Some(LONG)), WaitOutcome::Signaled(0));
    assert!(m.is_set());
}

/// B.2: a blocked `Event::wait` on an auto-reset event is woken by a set from another
/// thread and consumes it.
#[test]
fn b2_blocked_event_wait_consumes_auto_reset() {
    for _ in 0..50 {
        let a = Event::new_auto(false);
        let started = Event::new_manual(false);
        let waiter = {
            let (a, started) = (a.clone(), started.clone());
            thread::spawn(move || {
                started.set();
                a.wait(Some(LONG))
            })
        };
        assert_eq!(started.wait(Some(LONG)), WaitOutcome::Signaled(0));
        a.set();
        assert_eq!(waiter.join().unwrap(), WaitOutcome::Signaled(0));
        assert!(!a.is_set(), "consumed by the wait it satisfied");
    }
}

/// B.2: a blocked `wait_any` woken by a set in another thread returns the lowest index
/// holding the signalled event (the same event may appear more than once), and consumes
/// only the auto-reset event that satisfied it.
#[test]
fn b2_blocked_wait_any_lowest_index() {
    for round in 0..50 {
        let other = Event::new_auto(false);
        let target = Event::new_auto(false);
        let (arr, want): (Vec<Event>, usize) = if round % 2 == 0 {
            (vec![other.clone(), target.clone(), target.clone()], 1)
        } else {
            (vec![target.clone(), other.clone(), target.clone()], 0)
        };
        let waiter = thread::spawn(move || {
            let refs: Vec<&Event> = arr.iter().collect();
            wait_any(&refs, Some(LONG)).unwrap()
        });
        target.set();
        assert_eq!(waiter.join().unwrap(), WaitOutcome::Signaled(want));
        assert!(!target.is_set(), "the winner is consumed");
        assert!(!other.is_set(), "the others are untouched");
    }
}

/// B.2: with no timeout (`WSA_INFINITE`) or a timeout too large to represent, a set from
/// another thread ends the wait.
#[test]
fn b2_infinite_and_huge_timeouts() {
    for timeout in [None, Some(Duration::MAX)] {
        let e = Event::new_manual(false);
        let waiter = {
            let e = e.clone();
            thread::spawn(move || wait_any(&[&e], timeout).unwrap())
        };
        e.set();
        assert_eq!(waiter.join().unwrap(), WaitOutcome::Signaled(0));
    }
}

/// B.2: a manual-reset event releases every thread waiting on it.
#[test]
fn b2_manual_reset_releases_all_waiters() {
    let e = Event::new_manual(false);
    let waiters: Vec<_> = (0..4)
        .map(|_| {
            let e = e.clone();
            thread::spawn(move || e.wait(Some(LONG)))
        })
        .collect();
    e.set();
    for w in waiters {
        assert_eq!(w.join().unwrap(), WaitOutcome::Signaled(0));
    }
    assert!(e.is_set());
}

/// B.2: wait-all over 64 events (32 manual, 32 auto), blocked in another thread while they
/// are set one by one: until the last is set no auto-reset event is consumed and a
/// zero-timeout wait-all times out; then the waiter returns `Signaled(0)`, the auto-reset
/// events are consumed and the manual ones stay set.
#[test]
fn b2_wait_all_64_blocked() {
    let evs: Vec<Event> = (0..MAXIMUM_WAIT_OBJECTS)
        .map(|i| Event::new(i % 2 == 0, false))
        .collect();
    assert_eq!(evs.len(), 64);
    let waiter = {
        let evs = evs.clone();
        thread::spawn(move || {
            let refs: Vec<&Event> = evs.iter().collect();
            wait_all(&refs, Some(LONG)).unwrap()
        })
    };
    let refs: Vec<&Event> = evs.iter().collect();
    for (i, e) in evs.iter().enumerate().skip(1).rev() {
        e.set();
        assert_eq!(wait_all(&refs, ZERO).unwrap(), WaitOutcome::TimedOut, "{i}");
    }
    assert!(evs[1..].iter().all(Event::is_set), "nothing consumed early");
    evs[0].set();
    assert_eq!(waiter.join().unwrap(), WaitOutcome::Signaled(0));
    for (i, e) in evs.iter().enumerate() {
        assert_eq!(e.is_set(), e.is_manual_reset(), "event {i}");
    }
}

/// B.2: the count limits, for both waits: 1 and 64 are valid (64 copies of one event too,
/// for wait-any), 0 and 65 are `WSA_INVALID_PARAMETER`; a duplicate among 64 is an error
/// for wait-all only.
#[test]
fn b2_counts_and_duplicates() {
    let e = Event::new_manual(true);
    let same: Vec<&Event> = vec![&e; MAXIMUM_WAIT_OBJECTS];
    assert_eq!(wait_any(&same, ZERO).unwrap(), WaitOutcome::Signaled(0));
    assert_eq!(
        wait_all(&same, ZERO).unwrap_err().code(),
        WSA_INVALID_PARAMETER
    );
    assert_eq!(wait_all(&[&e], ZERO).unwrap(), WaitOutcome::Signaled(0));
    let evs: Vec<Event> = (0..MAXIMUM_WAIT_OBJECTS + 1)
        .map(|_| Event::new_manual(true))
        .collect();
    let refs: Vec<&Event> = evs.iter().collect();
    for n in [0, 65] {
        assert_eq!(wait_any(&refs[..n], ZERO).unwrap_err().code(), 87);
        assert_eq!(wait_all(&refs[..n], None).unwrap_err().code(), 87);
    }
    let mut with_clone = refs[..63].to_vec();
    let clone = evs[10].clone();
    with_clone.push(&clone);
    assert_eq!(wait_all(&with_clone, ZERO).unwrap_err().code(), 87);
    assert_eq!(
        wait_any(&with_clone, ZERO).unwrap(),
        WaitOutcome::Signaled(0)
    );
}

/// B.2: a signalled event wins over a zero timeout, and a failed validation consumes
/// nothing.
#[test]
fn b2_signalled_beats_timeout_and_errors_consume_nothing() {
    let a = Event::new_auto(true);
    let evs: Vec<Event> = (0..MAXIMUM_WAIT_OBJECTS)
        .map(|_| Event::new_auto(true))
        .collect();
    let mut refs: Vec<&Event> = evs.iter().collect();
    refs.push(&a);
    assert!(wait_any(&refs, ZERO).is_err());
    assert!(wait_all(&refs, ZERO).is_err());
    assert!(a.is_set() && evs.iter().all(Event::is_set));
    assert_eq!(wait_any(&[&a], ZERO).unwrap(), WaitOutcome::Signaled(0));
}
