//! Loom models of the record's atomicity (rules 3 and 12).
//!
//! A socket's [`Record`] lives behind the socket's lock, and the record sets and resets event
//! objects while that lock is held. These models check, under every interleaving loom can
//! produce, that this makes "record + SetEvent" and "copy + clear + ResetEvent" atomic with
//! respect to each other, so that no wake-up is lost:
//!
//! * rule 12: a bit recorded concurrently with an enumeration is either reported by it, or
//!   left in `R` with the event signalled;
//! * rule 3: a select racing with an arrival leaves the event signalled if `R ∩ M ≠ ∅`;
//! * a thread blocked in a wait on the event is always woken by the arrival (loom reports a
//!   deadlock otherwise), and its enumeration then reports the bit.
//!
//! A control model that resets the event *outside* the lock must fail, showing the models
//! can see a lost wake-up.
//!
//! Run with: `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test --release --test loom`
#![cfg(loom)]

use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;

use loom::sync::{Arc, Mutex};
use loom::thread;
use wsaevents::{ArrivalModel, Event, FD_MAX_EVENTS, NetworkEvents as Fd, Record};

const MODELS: [ArrivalModel; 3] = [
    ArrivalModel::AlwaysRecords,
    ArrivalModel::SelectRearms,
    ArrivalModel::Strict,
];

/// Runs `f` under every interleaving (`loom::model`: exhaustive unless
/// `LOOM_MAX_PREEMPTIONS` bounds it) and returns how many executions there were, so that the
/// tests can check that loom really explored more than one order.
fn explore<F>(f: F) -> usize
where
    F: Fn() + Sync + Send + 'static,
{
    let runs = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = runs.clone();
    loom::model(move || {
        counter.fetch_add(1, SeqCst);
        f();
    });
    runs.load(SeqCst)
}

/// Counts executions by outcome, outside loom (std atomics are not modelled).
#[derive(Clone, Default)]
struct Seen(std::sync::Arc<[AtomicUsize; 2]>);

impl Seen {
    fn saw(&self, which: bool) {
        self.0[which as usize].fetch_add(1, SeqCst);
    }
    fn both(&self) -> bool {
        self.0.iter().all(|c| c.load(SeqCst) > 0)
    }
}

/// The socket: a record behind the socket's lock.
type Socket = Arc<Mutex<Record>>;

fn socket(r: Record) -> Socket {
    Arc::new(Mutex::new(r))
}

/// `WSAEnumNetworkEvents(s, reset, ..)`: one critical section, as the socket layer does it.
fn enumerate(s: &Socket, reset: Option<&Event>) -> Fd {
    let mut codes = [0; FD_MAX_EVENTS];
    s.lock().unwrap().enumerate(reset, &mut codes)
}

/// The invariant behind every model: a selected, recorded bit always leaves the event
/// signalled (nobody resets the event but an enumeration).
fn assert_no_lost_wakeup(s: &Socket, ev: &Event) {
    let r = s.lock().unwrap();
    if r.recorded().intersects(r.mask()) {
        assert!(
            ev.is_set(),
            "lost wake-up: R = {:?}, M = {:?} but the event is not signalled",
            r.recorded(),
            r.mask()
        );
    }
}

/// Rule 12: one thread records READ while another enumerates with the event. If the
/// enumeration did not report READ, READ is still in `R` and the event is signalled.
fn rule12_model(model: ArrivalModel, manual: bool, read_in_d: bool) {
    let seen = Seen::default();
    let saw = seen.clone();
    let runs = explore(move || {
        let ev = Event::new(manual, false);
        let mut r = Record::new(model);
        r.select(Some(&ev), Fd::READ | Fd::CLOSE).unwrap();
        if read_in_d {
            // READ was recorded and enumerated once already: READ ∈ D.
            r.arrive(Fd::READ, 0);
            r.enumerate(Some(&ev), &mut [0; FD_MAX_EVENTS]);
        }
        let records = model == ArrivalModel::AlwaysRecords || !read_in_d;
        let s = socket(r);

        let recorder = {
            let s = s.clone();
            thread::spawn(move || s.lock().unwrap().arrive(Fd::READ, 0))
        };
        let got = enumerate(&s, Some(&ev));
        recorder.join().unwrap();

        let r = s.lock().unwrap();
        saw.saw(got.contains(Fd::READ));
        if records {
            if got.contains(Fd::READ) {
                // The arrival came first: reported, cleared, event reset.
                assert!(!r.recorded().contains(Fd::READ));
                assert!(!ev.is_set());
            } else {
                assert!(r.recorded().contains(Fd::READ), "READ lost from R");
                assert!(ev.is_set(), "lost wake-up: READ in R, event not signalled");
            }
        } else {
            // Models (b)/(c) with READ ∈ D: the arrival is not recorded at all.
            assert_eq!(got, Fd::empty());
            assert_eq!(r.recorded(), Fd::empty());
            assert!(!ev.is_set());
        }
        drop(r);
        assert_no_lost_wakeup(&s, &ev);
    });
    let records = model == ArrivalModel::AlwaysRecords || !read_in_d;
    assert!(
        !records || seen.both(),
        "{model:?}: loom did not try both orders in {runs} executions"
    );
}

#[test]
fn rule12_enumerate_vs_arrive_manual_reset() {
    for model in MODELS {
        rule12_model(model, true, false);
    }
}

#[test]
fn rule12_enumerate_vs_arrive_auto_reset() {
    for model in MODELS {
        rule12_model(model, false, false);
    }
}

#[test]
fn rule12_enumerate_vs_arrive_with_read_already_reported() {
    for model in MODELS {
        rule12_model(model, true, true);
    }
}

/// Rule 12 with two bits: the recorder records READ then CLOSE in two critical sections
/// (data then FIN); the enumerator enumerates twice. Whatever was not reported is in `R`
/// with the event signalled, and nothing is reported twice.
#[test]
fn rule12_two_arrivals_two_enumerations() {
    let seen = Seen::default();
    let saw = seen.clone();
    let runs = explore(move || {
        let ev = Event::new_manual(false);
        let mut r = Record::default();
        r.select(Some(&ev), Fd::READ | Fd::CLOSE).unwrap();
        let s = socket(r);

        let recorder = {
            let s = s.clone();
            thread::spawn(move || {
                s.lock().unwrap().arrive(Fd::READ, 0);
                s.lock().unwrap().arrive(Fd::CLOSE, 0);
            })
        };
        let first = enumerate(&s, Some(&ev));
        let second = enumerate(&s, Some(&ev));
        recorder.join().unwrap();

        assert!(!first.intersects(second), "{first:?} reported twice");
        saw.saw(first.is_empty() && second.is_empty());
        let r = s.lock().unwrap();
        let unreported = (Fd::READ | Fd::CLOSE) - first - second;
        assert_eq!(r.recorded(), unreported);
        assert_eq!(ev.is_set(), !unreported.is_empty());
    });
    assert!(seen.both() && runs > 2, "only {runs} executions");
}

/// Rule 3: a select racing with an arrival. After both, `R ∩ M ≠ ∅` implies the event is
/// signalled, whichever came first.
#[test]
fn rule3_select_vs_arrive() {
    for model in MODELS {
        for (mask, bit) in [
            (Fd::READ, Fd::READ),
            (Fd::READ | Fd::CLOSE, Fd::CLOSE),
            (Fd::WRITE, Fd::READ),
        ] {
            let seen = Seen::default();
            let saw = seen.clone();
            let runs = explore(move || {
                let ev = Event::new_manual(false);
                let s = socket(Record::new(model));

                let selector = {
                    let (s, ev) = (s.clone(), ev.clone());
                    thread::spawn(move || s.lock().unwrap().select(Some(&ev), mask).unwrap())
                };
                {
                    let mut r = s.lock().unwrap();
                    saw.saw(r.mask().is_empty()); // arrived before the select?
                    r.arrive(bit, 0);
                }
                selector.join().unwrap();

                {
                    let r = s.lock().unwrap();
                    assert_eq!(
                        r.recorded(),
                        bit,
                        "rule 8: recorded whether selected or not"
                    );
                    assert_eq!(ev.is_set(), mask.contains(bit));
                }
                assert_no_lost_wakeup(&s, &ev);
            });
            assert!(
                seen.both(),
                "{model:?}: one order only in {runs} executions"
            );
        }
    }
}

/// Rule 3 against an enumeration: a re-select that installs the event again races with an
/// enumeration that resets it; a bit recorded before both is reported or still signalled.
#[test]
fn rule3_select_vs_enumerate() {
    let seen = Seen::default();
    let saw = seen.clone();
    let runs = explore(move || {
        let ev = Event::new_manual(false);
        let mut r = Record::default();
        r.arrive(Fd::READ, 0);
        let s = socket(r);

        let selector = {
            let (s, ev) = (s.clone(), ev.clone());
            thread::spawn(move || s.lock().unwrap().select(Some(&ev), Fd::READ).unwrap())
        };
        let got = enumerate(&s, Some(&ev));
        selector.join().unwrap();

        let r = s.lock().unwrap();
        saw.saw(got.is_empty());
        if got.is_empty() {
            // Enumerated before the select: READ stays recorded and the select signalled.
            assert_eq!(r.recorded(), Fd::READ);
            assert!(ev.is_set());
        } else {
            assert_eq!(got, Fd::READ);
            assert_eq!(r.recorded(), Fd::empty());
            assert!(!ev.is_set());
        }
    });
    assert!(seen.both(), "one order only in {runs} executions");
}

/// End to end through the dispatcher: a thread blocked in `Event::wait` (no timeout) is
/// woken by an arrival in another thread, then enumerates and gets READ. A lost wake-up
/// would leave the waiter blocked forever, which loom reports as a deadlock.
fn wait_then_enumerate_model(manual: bool) {
    let runs = explore(move || {
        let ev = Event::new(manual, false);
        let mut r = Record::default();
        r.select(Some(&ev), Fd::READ).unwrap();
        let s = socket(r);

        let recorder = {
            let s = s.clone();
            thread::spawn(move || s.lock().unwrap().arrive(Fd::READ, 0))
        };
        assert_eq!(ev.wait(None), wsaevents::WaitOutcome::Signaled(0));
        if !manual {
            assert!(!ev.is_set(), "the wait consumed the auto-reset event");
        }
        assert_eq!(enumerate(&s, Some(&ev)), Fd::READ);
        recorder.join().unwrap();
        assert!(!ev.is_set());
    });
    assert!(runs > 2, "only {runs} executions");
}

#[test]
fn wait_is_woken_by_arrival_manual_reset() {
    wait_then_enumerate_model(true);
}

#[test]
fn wait_is_woken_by_arrival_auto_reset() {
    wait_then_enumerate_model(false);
}

/// The application's event loop against a recorder that records data then FIN in two
/// critical sections: `wait` (no timeout), then enumerate with the event, until both bits
/// have been reported. A lost wake-up anywhere (record, set, dispatcher, enumerate's reset)
/// leaves the loop blocked, which loom reports as a deadlock.
fn event_loop_model(manual: bool) {
    let runs = explore(move || {
        let ev = Event::new(manual, false);
        let mut r = Record::default();
        r.select(Some(&ev), Fd::READ | Fd::CLOSE).unwrap();
        let s = socket(r);

        let recorder = {
            let s = s.clone();
            thread::spawn(move || {
                s.lock().unwrap().arrive(Fd::READ, 0);
                s.lock().unwrap().arrive(Fd::CLOSE, 0);
            })
        };
        let mut got = Fd::empty();
        while got != Fd::READ | Fd::CLOSE {
            assert_eq!(ev.wait(None), wsaevents::WaitOutcome::Signaled(0));
            let new = enumerate(&s, Some(&ev));
            assert!(!new.is_empty(), "signalled with nothing to report");
            assert!(!got.intersects(new), "{new:?} reported twice");
            got |= new;
        }
        recorder.join().unwrap();
        assert!(!ev.is_set());
    });
    assert!(runs > 2, "only {runs} executions");
}

#[test]
fn event_loop_sees_every_arrival_manual_reset() {
    event_loop_model(true);
}

#[test]
fn event_loop_sees_every_arrival_auto_reset() {
    event_loop_model(false);
}

/// Control: copy + clear under the lock but reset the event *after* releasing it. Loom must
/// find the interleaving where the arrival lands between the two and its wake-up is lost.
#[test]
#[should_panic(expected = "lost wake-up")]
fn control_reset_outside_the_lock_loses_wakeups() {
    explore(|| {
        let ev = Event::new_manual(false);
        let mut r = Record::default();
        r.select(Some(&ev), Fd::READ).unwrap();
        let s = socket(r);

        let recorder = {
            let s = s.clone();
            thread::spawn(move || s.lock().unwrap().arrive(Fd::READ, 0))
        };
        let _ = enumerate(&s, None);
        ev.reset(); // not atomic with the copy and clear
        recorder.join().unwrap();
        assert_no_lost_wakeup(&s, &ev);
    });
}
