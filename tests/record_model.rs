//! A model-based (state-machine) test of [`Record`] and [`Event`].
//!
//! Random sequences of `select`, `arrive`, `enumerate`, `reenable`, `Event::set`,
//! `Event::reset` and zero-timeout waits run against the real `Record` and against a small
//! reference model written here from the rules of the reference (sections A.0–A.3, rules
//! 1–15, plus the re-enabling rule 17 and rule 48), with plain sets of bit positions. After
//! every step the two are compared: the enumerated bits, the `iErrorCode` entries written
//! (and that the others are untouched), `R`, `D`, `M`, `E` and the state of both events.
//! One test per [`ArrivalModel`].

use std::collections::BTreeSet;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::Config;
use wsaevents::{
    ArrivalModel, Event, FD_MAX_EVENTS, NetworkEventRecord, NetworkEvents, Record, WaitOutcome,
};

/// What the caller's `iErrorCode` entries hold before the call (T:4126-4140 uses this value).
const UNTOUCHED: i32 = 0xABAB_ABABu32 as i32;

/// The bits a socket records: the six classic ones (FD_READ … FD_CLOSE, B.3) and the two
/// change bits (FD_ROUTING_INTERFACE_CHANGE = 8, FD_ADDRESS_LIST_CHANGE = 9, issue 12);
/// never the QOS bits (6, 7).
fn recordable(bit: &u32) -> bool {
    *bit < 6 || *bit == 8 || *bit == 9
}

/// A set of bit positions (0 = FD_READ, 5 = FD_CLOSE, 6–9 the QOS/change bits, 10–31
/// bits with no name).
type Set = BTreeSet<u32>;

fn set_of(bits: u32) -> Set {
    (0..32).filter(|i| bits & (1 << i) != 0).collect()
}

fn bits_of(s: &Set) -> u32 {
    s.iter().fold(0, |acc, i| acc | (1 << i))
}

fn fd(bits: u32) -> NetworkEvents {
    NetworkEvents::from_bits_retain(bits)
}

/// One step of a test case. Events are named by index: 0 is event A, 1 is event B.
#[derive(Debug, Clone)]
enum Op {
    /// `WSAEventSelect(s, ev, mask)`.
    Select { ev: Option<usize>, mask: u32 },
    /// A network occurrence of `bits` with error code `error`.
    Arrive { bits: u32, error: i32 },
    /// `WSAEnumNetworkEvents(s, reset, ..)`, through `enumerate` or `enumerate_into`.
    Enumerate { reset: Option<usize>, into: bool },
    /// A re-enabling call (recv, accept, failed send) for `bits`.
    Reenable { bits: u32, still_holds: bool },
    /// `WSASetEvent`.
    Set(usize),
    /// `WSAResetEvent`.
    Reset(usize),
    /// `WaitForSingleObject(ev, 0)`: consumes an auto-reset event (rule 48).
    Wait(usize),
}

/// The reference model: section A.0's fields, as sets.
#[derive(Debug)]
struct Model {
    arrival: ArrivalModel,
    /// `M`, exactly as passed (unknown bits included, rule 6).
    m: Set,
    /// `E`: which event, if any.
    e: Option<usize>,
    /// `R`.
    r: Set,
    /// `D`.
    d: Set,
    /// `err[b]` (only meaningful for bits in `R`).
    err: [i32; FD_MAX_EVENTS],
    /// Whether each event object is signalled.
    signalled: [bool; 2],
    /// Whether each event object is manual-reset.
    manual: [bool; 2],
}

/// What a step returned, where it returns something.
#[derive(Debug, PartialEq, Eq)]
enum Output {
    None,
    Select(Result<(), i32>),
    Enumerate {
        bits: u32,
        codes: [i32; FD_MAX_EVENTS],
    },
    Wait(WaitOutcome),
}

impl Model {
    fn new(arrival: ArrivalModel, manual: [bool; 2], signalled: [bool; 2]) -> Model {
        Model {
            arrival,
            m: Set::new(),
            e: None,
            r: Set::new(),
            d: Set::new(),
            err: [0; FD_MAX_EVENTS],
            signalled,
            manual,
        }
    }

    /// "SetEvent" on the associated event, if there is one.
    fn signal_e(&mut self) {
        if let Some(e) = self.e {
            self.signalled[e] = true;
        }
    }

    /// Rules 1–7.
    fn select(&mut self, ev: Option<usize>, mask: u32) -> Result<(), i32> {
        // Rule 6: a non-zero mask needs an event; on failure nothing changes.
        if mask != 0 && ev.is_none() {
            return Err(10022);
        }
        // A.0 model (b): every WSAEventSelect clears D, without re-checking levels (a
        // mask-0 call included: the reference makes no exception).
        if self.arrival == ArrivalModel::SelectRearms {
            self.d.clear();
        }
        if mask == 0 {
            // Rule 5: signalling is cancelled and the event argument ignored. R stays
            // (rule 2).
            self.m.clear();
            self.e = None;
            return Ok(());
        }
        // Rule 1: M and E replaced; the old event is neither set nor reset.
        self.m = set_of(mask);
        self.e = ev;
        // Rule 3: signal at once if something recorded is selected; never reset.
        if !self.r.is_disjoint(&self.m) {
            self.signal_e();
        }
        Ok(())
    }

    /// Rules 8–9 and the arrival models of A.0.
    fn arrive(&mut self, bits: u32, error: i32) {
        let mut new: Set = set_of(bits).into_iter().filter(recordable).collect();
        if self.arrival != ArrivalModel::AlwaysRecords {
            // Models (b) and (c): a bit in D is not recorded again.
            new.retain(|b| !self.d.contains(b));
        }
        for &b in &new {
            self.r.insert(b);
            self.d.insert(b);
            self.err[b as usize] = error;
        }
        // Rule 8: recorded whatever M is; rule 9: a recorded bit in M sets E.
        if !new.is_disjoint(&self.m) {
            self.signal_e();
        }
    }

    /// Rules 10–14.
    fn enumerate(&mut self, reset: Option<usize>) -> (u32, [i32; FD_MAX_EVENTS]) {
        let out: Set = self.r.intersection(&self.m).copied().collect();
        for b in &out {
            self.r.remove(b);
        }
        let mut codes = [UNTOUCHED; FD_MAX_EVENTS];
        for &b in &out {
            codes[b as usize] = self.err[b as usize];
        }
        if let Some(ev) = reset {
            self.signalled[ev] = false;
        }
        (bits_of(&out), codes)
    }

    /// Rule 17 (and 22, 25, 30): clear from R and D, then re-record if the condition holds.
    fn reenable(&mut self, bits: u32, still_holds: bool) {
        for b in set_of(bits) {
            self.r.remove(&b);
            self.d.remove(&b);
        }
        if still_holds {
            self.arrive(bits, 0);
        }
    }

    fn step(&mut self, op: &Op) -> Output {
        match *op {
            Op::Select { ev, mask } => Output::Select(self.select(ev, mask)),
            Op::Arrive { bits, error } => {
                self.arrive(bits, error);
                Output::None
            }
            Op::Enumerate { reset, .. } => {
                let (bits, codes) = self.enumerate(reset);
                Output::Enumerate { bits, codes }
            }
            Op::Reenable { bits, still_holds } => {
                self.reenable(bits, still_holds);
                Output::None
            }
            Op::Set(ev) => {
                self.signalled[ev] = true;
                Output::None
            }
            Op::Reset(ev) => {
                self.signalled[ev] = false;
                Output::None
            }
            Op::Wait(ev) => {
                if self.signalled[ev] {
                    if !self.manual[ev] {
                        self.signalled[ev] = false;
                    }
                    Output::Wait(WaitOutcome::Signaled(0))
                } else {
                    Output::Wait(WaitOutcome::TimedOut)
                }
            }
        }
    }
}

/// The system under test: a `Record` and two event objects.
struct Real {
    record: Record,
    events: [Event; 2],
}

impl Real {
    fn step(&mut self, op: &Op) -> Output {
        match *op {
            Op::Select { ev, mask } => Output::Select(
                self.record
                    .select(ev.map(|i| &self.events[i]), fd(mask))
                    .map_err(|e| e.code()),
            ),
            Op::Arrive { bits, error } => {
                self.record.arrive(fd(bits), error);
                Output::None
            }
            Op::Enumerate { reset, into: false } => {
                let mut codes = [UNTOUCHED; FD_MAX_EVENTS];
                let got = self
                    .record
                    .enumerate(reset.map(|i| &self.events[i]), &mut codes);
                Output::Enumerate {
                    bits: got.bits(),
                    codes,
                }
            }
            Op::Enumerate { reset, into: true } => {
                let mut out = NetworkEventRecord {
                    network_events: UNTOUCHED,
                    error_code: [UNTOUCHED; FD_MAX_EVENTS],
                };
                self.record
                    .enumerate_into(reset.map(|i| &self.events[i]), &mut out);
                Output::Enumerate {
                    bits: out.network_events as u32,
                    codes: out.error_code,
                }
            }
            Op::Reenable { bits, still_holds } => {
                self.record.reenable(fd(bits), still_holds);
                Output::None
            }
            Op::Set(ev) => {
                self.events[ev].set();
                Output::None
            }
            Op::Reset(ev) => {
                self.events[ev].reset();
                Output::None
            }
            Op::Wait(ev) => Output::Wait(self.events[ev].wait(Some(Duration::ZERO))),
        }
    }
}

/// Compares everything observable of `real` with `model` (`at` names the step).
fn compare(at: &dyn std::fmt::Debug, real: &Real, model: &Model) -> Result<(), TestCaseError> {
    let r = &real.record;
    prop_assert_eq!(r.recorded().bits(), bits_of(&model.r), "R after {:?}", at);
    prop_assert_eq!(r.reported().bits(), bits_of(&model.d), "D after {:?}", at);
    prop_assert_eq!(r.mask().bits(), bits_of(&model.m), "M after {:?}", at);
    let e = r
        .event()
        .map(|e| real.events.iter().position(|x| x.same_object(e)));
    prop_assert_eq!(e, model.e.map(Some), "E after {:?}", at);
    for b in &model.r {
        prop_assert_eq!(
            r.error_code(*b as usize),
            model.err[*b as usize],
            "err[{}] after {:?}",
            b,
            at
        );
    }
    for (k, ev) in real.events.iter().enumerate() {
        prop_assert_eq!(
            ev.is_set(),
            model.signalled[k],
            "event {} after {:?}",
            k,
            at
        );
    }
    Ok(())
}

fn run(
    arrival: ArrivalModel,
    manual: [bool; 2],
    initially: [bool; 2],
    ops: &[Op],
) -> Result<(), TestCaseError> {
    let mut model = Model::new(arrival, manual, initially);
    let mut real = Real {
        record: Record::new(arrival),
        events: [
            Event::new(manual[0], initially[0]),
            Event::new(manual[1], initially[1]),
        ],
    };
    prop_assert_eq!(real.record.model(), arrival);
    compare(&"creation", &real, &model)?;
    for (i, op) in ops.iter().enumerate() {
        let want = model.step(op);
        let got = real.step(op);
        prop_assert_eq!(got, want, "output of step {} {:?}", i, op);
        compare(&(i, op), &real, &model)?;
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------
// Strategies

fn event_choice() -> impl Strategy<Value = usize> {
    0usize..2
}

/// Masks: 0, classic bits, any FD_* bits, single bits, and bits with no name (rule 6).
fn mask() -> impl Strategy<Value = u32> {
    prop_oneof![
        2 => Just(0u32),
        4 => 0u32..0x40,
        2 => 0u32..0x400,
        2 => (0u32..10).prop_map(|b| 1 << b),
        1 => any::<u32>(),
        1 => Just(u32::MAX),
    ]
}

/// Arrivals: mostly single classic bits (what the socket layer records), sometimes several,
/// sometimes unrecordable ones.
fn arrival_bits() -> impl Strategy<Value = u32> {
    prop_oneof![
        6 => (0u32..6).prop_map(|b| 1 << b),
        2 => 0u32..0x40,
        1 => 0u32..0x400,
        1 => any::<u32>(),
    ]
}

fn error_code() -> impl Strategy<Value = i32> {
    prop_oneof![
        4 => Just(0),
        1 => Just(10053),
        1 => Just(10061),
        1 => Just(10060),
        1 => any::<i32>(),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (proptest::option::weighted(0.85, event_choice()), mask())
            .prop_map(|(ev, mask)| Op::Select { ev, mask }),
        5 => (arrival_bits(), error_code()).prop_map(|(bits, error)| Op::Arrive { bits, error }),
        4 => (proptest::option::weighted(0.8, event_choice()), any::<bool>())
            .prop_map(|(reset, into)| Op::Enumerate { reset, into }),
        2 => (arrival_bits(), any::<bool>())
            .prop_map(|(bits, still_holds)| Op::Reenable { bits, still_holds }),
        1 => event_choice().prop_map(Op::Set),
        1 => event_choice().prop_map(Op::Reset),
        1 => event_choice().prop_map(Op::Wait),
    ]
}

fn case() -> impl Strategy<Value = ([bool; 2], [bool; 2], Vec<Op>)> {
    (
        [any::<bool>(), any::<bool>()],
        [any::<bool>(), any::<bool>()],
        proptest::collection::vec(op(), 1..60),
    )
}

fn config() -> Config {
    Config {
        cases: 300,
        // Failures print the shrunk case; no regression files in the shared tree.
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Model (a), the default: a new arrival always records (Q1).
    #[test]
    fn record_matches_model_a_always_records((manual, initially, ops) in case()) {
        run(ArrivalModel::AlwaysRecords, manual, initially, &ops)?;
    }

    /// Model (b): a select clears `D`; arrivals record only outside `D`.
    #[test]
    fn record_matches_model_b_select_rearms((manual, initially, ops) in case()) {
        run(ArrivalModel::SelectRearms, manual, initially, &ops)?;
    }

    /// Model (c), Wine's: arrivals record only outside `D`; only re-enabling clears it.
    #[test]
    fn record_matches_model_c_strict((manual, initially, ops) in case()) {
        run(ArrivalModel::Strict, manual, initially, &ops)?;
    }
}

/// The default record is model (a), and the three models really differ: one fixed
/// sequence (select, arrive, enumerate, re-select, arrive, enumerate; rule 20) gives READ,
/// READ, nothing.
#[test]
fn models_differ_on_rule_20_sequence() {
    assert_eq!(Record::default().model(), ArrivalModel::AlwaysRecords);
    let ops = [
        Op::Select {
            ev: Some(0),
            mask: 1,
        },
        Op::Arrive { bits: 1, error: 0 },
        Op::Enumerate {
            reset: Some(0),
            into: false,
        },
        Op::Select {
            ev: Some(0),
            mask: 1,
        },
        Op::Arrive { bits: 1, error: 0 },
    ];
    for (arrival, expect) in [
        (ArrivalModel::AlwaysRecords, 1),
        (ArrivalModel::SelectRearms, 1),
        (ArrivalModel::Strict, 0),
    ] {
        let mut model = Model::new(arrival, [true, true], [false, false]);
        for op in &ops {
            model.step(op);
        }
        let Output::Enumerate { bits, .. } = model.step(&Op::Enumerate {
            reset: Some(0),
            into: false,
        }) else {
            unreachable!()
        };
        assert_eq!(bits, expect, "{arrival:?}");
        run(arrival, [true, true], [false, false], &ops).unwrap();
    }
}
