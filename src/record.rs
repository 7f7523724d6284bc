//! The per-socket network-event state machine (section A.0 of the reference): pure, no I/O.
//!
//! | field | meaning |
//! |---|---|
//! | `M` ([`Record::mask`]) | the selected `FD_*` mask |
//! | `E` ([`Record::event`]) | the associated event object |
//! | `R` ([`Record::recorded`]) | bits that occurred and were not yet returned by an enumeration while selected |
//! | `D` ([`Record::reported`]) | bits recorded whose re-enabling call has not happened since |
//! | `err[b]` | the error code kept for each bit |
//!
//! | operation | `M`, `E` | `R` | `D` | event |
//! |---|---|---|---|---|
//! | [`select`](Record::select) (rules 1–7) | replaced | kept | kept (model b: cleared, by every select) | set if `R ∩ M ≠ ∅`; never reset |
//! | [`arrive`](Record::arrive) (rules 8–9) | – | `+ b` | `+ b` | set if `b ∈ M` |
//! | [`enumerate`](Record::enumerate) (rules 10–15) | – | `− (R ∩ M)` | kept | the given one reset, always |
//! | [`reenable`](Record::reenable) (rules 17, 22, 25, 30) | – | `− b`, then `+ b` if the condition holds | `− b`, then `+ b` if it holds | set if re-recorded and `b ∈ M` |
//!
//! **Arrivals** follow model (a) of A.0 by default, "a new arrival always records": a new
//! segment, connection or urgent byte records its bit even while the bit is in `D`. This is
//! the one model that fits every Windows-verified result including the three `todo_wine`
//! checks (rules 20, 23, 27), and it answers open question Q1 with "records". Models (b) and
//! (c) (Wine's) are selectable with [`ArrivalModel`].
//!
//! **Atomicity.** A `Record` is always used behind one lock (the socket's), and it sets and
//! resets events *while that lock is held*; so "record + SetEvent" and "copy + clear +
//! ResetEvent" are serialised: a bit recorded after an enumeration's copy always leaves the
//! event signalled. `tests/loom.rs` checks this under every interleaving.

use std::sync::atomic::{AtomicU8, Ordering};

use crate::error::{Error, Result, WSAEINVAL};
use crate::event::Event;
use crate::types::{FD_MAX_EVENTS, NetworkEventRecord, NetworkEvents};

/// How a new arrival (data, connection, urgent byte) is recorded while its bit is in `D`
/// (section A.0). Windows fits (a); Wine implements (c).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ArrivalModel {
    /// (a) A new arrival always records, whether or not the bit is in `D`. The default.
    #[default]
    AlwaysRecords,
    /// (b) `event_select` clears `D` (without a level re-check); arrivals record only if the
    /// bit is not in `D`.
    SelectRearms,
    /// (c) Wine's strict model: arrivals record only if the bit is not in `D`, and nothing
    /// but the re-enabling call clears it. What the Microsoft documentation describes.
    Strict,
}

static DEFAULT_MODEL: AtomicU8 = AtomicU8::new(0);

impl ArrivalModel {
    /// The model new sockets get.
    pub fn default_for_new_sockets() -> ArrivalModel {
        match DEFAULT_MODEL.load(Ordering::Relaxed) {
            1 => ArrivalModel::SelectRearms,
            2 => ArrivalModel::Strict,
            _ => ArrivalModel::AlwaysRecords,
        }
    }

    /// Sets the model new sockets get (existing sockets keep theirs). For Wine parity, or
    /// to test code against the documented behaviour.
    pub fn set_default_for_new_sockets(model: ArrivalModel) {
        let v = match model {
            ArrivalModel::AlwaysRecords => 0,
            ArrivalModel::SelectRearms => 1,
            ArrivalModel::Strict => 2,
        };
        DEFAULT_MODEL.store(v, Ordering::Relaxed);
    }
}

/// One socket's network-event record: selection, record `R`, reported set `D`, error codes.
///
/// ```
/// use wsaevents::{Event, NetworkEvents as Fd};
/// use wsaevents::record::Record;
///
/// let e = Event::new_manual(false);
/// let mut r = Record::default();
/// r.arrive(Fd::READ, 0);                   // data arrived before any select (rule 8)
/// r.select(Some(&e), Fd::READ | Fd::CLOSE).unwrap();
/// assert!(e.is_set());                     // rule 3: R ∩ M ≠ ∅ signals at once
/// let got = r.enumerate(Some(&e), &mut Default::default());
/// assert_eq!(got, Fd::READ);
/// assert!(!e.is_set());                    // rule 12
/// ```
#[derive(Debug, Clone, Default)]
pub struct Record {
    mask: NetworkEvents,
    event: Option<Event>,
    recorded: NetworkEvents,
    reported: NetworkEvents,
    errors: [i32; FD_MAX_EVENTS],
    model: ArrivalModel,
}

impl Record {
    /// An empty record with the given arrival model.
    pub fn new(model: ArrivalModel) -> Record {
        Record {
            model,
            ..Record::default()
        }
    }

    /// The selected mask `M`.
    pub fn mask(&self) -> NetworkEvents {
        self.mask
    }

    /// The associated event `E`.
    pub fn event(&self) -> Option<&Event> {
        self.event.as_ref()
    }

    /// The record `R`.
    pub fn recorded(&self) -> NetworkEvents {
        self.recorded
    }

    /// The reported set `D`.
    pub fn reported(&self) -> NetworkEvents {
        self.reported
    }

    /// The arrival model.
    pub fn model(&self) -> ArrivalModel {
        self.model
    }

    /// The error code stored for one bit index.
    pub fn error_code(&self, bit: usize) -> i32 {
        self.errors.get(bit).copied().unwrap_or(0)
    }

    /// `WSAEventSelect` (rules 1–7): replaces the selection, keeps `R`, and sets the new
    /// event at once if `R ∩ M ≠ ∅`. Never resets an event; the old event is untouched.
    /// A mask of 0 cancels signalling and ignores `event` (rule 5).
    ///
    /// Errors: `WSAEINVAL` for a non-zero mask without an event (rule 6). On error nothing
    /// changes.
    pub fn select(&mut self, event: Option<&Event>, mask: NetworkEvents) -> Result<()> {
        if !mask.is_empty() && event.is_none() {
            return Err(Error::from_code(WSAEINVAL));
        }
        // Model (b): every WSAEventSelect re-arms, without a level re-check.
        if self.model == ArrivalModel::SelectRearms {
            self.reported = NetworkEvents::empty();
        }
        let Some(event) = event.filter(|_| !mask.is_empty()) else {
            self.mask = NetworkEvents::empty();
            self.event = None;
            return Ok(());
        };
        self.mask = mask;
        self.event = Some(event.clone());
        event.mark_fed();
        if self.recorded.intersects(self.mask) {
            event.set();
        }
        Ok(())
    }

    /// A new occurrence of `bits` with error code `error` (rules 8–9): recorded in `R` and
    /// `D` whether or not selected; sets the event if any recorded bit is selected. Under
    /// models (b) and (c) a bit already in `D` is not recorded. Only
    /// [`NetworkEvents::RECORDABLE`] bits can be recorded (not the QOS bits); others are
    /// ignored.
    pub fn arrive(&mut self, bits: NetworkEvents, error: i32) {
        let mut bits = bits & NetworkEvents::RECORDABLE;
        if self.model != ArrivalModel::AlwaysRecords {
            bits -= self.reported;
        }
        if bits.is_empty() {
            return;
        }
        self.recorded |= bits;
        self.reported |= bits;
        for i in bit_indices(bits) {
            self.errors[i] = error;
        }
        if bits.intersects(self.mask) {
            if let Some(e) = &self.event {
                e.set();
            }
        }
    }

    /// `WSAEnumNetworkEvents` (rules 10–15): returns `R ∩ M` and clears those bits (only
    /// those); writes the error code of each reported bit into `errors`, leaving the other
    /// entries alone; resets `reset` if given, even when nothing is reported. `D` is kept.
    pub fn enumerate(
        &mut self,
        reset: Option<&Event>,
        errors: &mut [i32; FD_MAX_EVENTS],
    ) -> NetworkEvents {
        let out = self.recorded & self.mask;
        self.recorded -= out;
        for i in bit_indices(out) {
            errors[i] = self.errors[i];
        }
        if let Some(e) = reset {
            e.reset();
        }
        out
    }

    /// [`enumerate`](Self::enumerate) into a `WSANETWORKEVENTS` the caller owns (only the
    /// reported entries of `iErrorCode` are written, rule 13).
    pub fn enumerate_into(&mut self, reset: Option<&Event>, out: &mut NetworkEventRecord) {
        let got = self.enumerate(reset, &mut out.error_code);
        out.network_events = got.bits() as i32;
    }

    /// A re-enabling call for `bits` (rules 17, 22, 25, 30): clears them from `R` and `D`,
    /// then, if the socket layer observed that the condition still holds, records them
    /// again (with error 0), which sets the event if selected.
    pub fn reenable(&mut self, bits: NetworkEvents, still_holds: bool) {
        self.recorded -= bits;
        self.reported -= bits;
        if still_holds {
            self.arrive(bits, 0);
        }
    }
}

/// The `FD_*_BIT` indices of the bits set in `bits`, lowest first.
fn bit_indices(bits: NetworkEvents) -> impl Iterator<Item = usize> {
    let mut rest = bits.bits();
    std::iter::from_fn(move || {
        (rest != 0).then(|| {
            let i = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            i
        })
    })
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use NetworkEvents as Fd;

    fn enum_(r: &mut Record, e: Option<&Event>) -> (Fd, [i32; FD_MAX_EVENTS]) {
        let mut errs = [0xABABABABu32 as i32; FD_MAX_EVENTS];
        let got = r.enumerate(e, &mut errs);
        (got, errs)
    }

    #[test]
    fn rule1_select_replaces_and_leaves_old_event_alone() {
        let (e1, e2) = (Event::new_manual(false), Event::new_manual(false));
        let mut r = Record::default();
        r.select(Some(&e1), Fd::READ).unwrap();
        e1.set();
        r.select(Some(&e2), Fd::WRITE).unwrap();
        assert!(e1.is_set(), "the old event is not reset");
        assert_eq!(r.mask(), Fd::WRITE);
        assert!(r.event().unwrap().same_object(&e2));
        r.arrive(Fd::READ, 0);
        assert!(!e2.is_set(), "READ is no longer selected");
    }

    #[test]
    fn rule2_select_keeps_r_and_never_rerecords_d() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.select(Some(&e), Fd::ACCEPT).unwrap();
        r.arrive(Fd::ACCEPT, 0);
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::ACCEPT);
        // re-select, same mask, or 0 then mask: nothing (T:6537-6545)
        r.select(Some(&e), Fd::ACCEPT).unwrap();
        assert!(!e.is_set());
        r.select(None, Fd::empty()).unwrap();
        r.select(Some(&e), Fd::ACCEPT).unwrap();
        assert!(!e.is_set());
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::empty());
    }

    #[test]
    fn rule3_select_signals_if_recorded_and_never_resets() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.arrive(Fd::READ, 0);
        r.select(Some(&e), Fd::READ).unwrap();
        assert!(e.is_set());
        // a select whose mask excludes the bit leaves the event signalled (T:6628-6632)
        r.select(Some(&e), Fd::WRITE).unwrap();
        assert!(e.is_set());
        e.reset();
        r.select(Some(&e), Fd::WRITE).unwrap();
        assert!(!e.is_set());
        r.select(Some(&e), Fd::READ | Fd::WRITE).unwrap();
        assert!(e.is_set());
    }

    #[test]
    fn rule5_mask_zero_cancels_signalling_but_recording_goes_on() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.select(Some(&e), Fd::READ).unwrap();
        r.select(Some(&e), Fd::empty()).unwrap();
        r.arrive(Fd::READ, 0);
        assert!(!e.is_set());
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::empty());
        r.select(Some(&e), Fd::READ).unwrap();
        assert!(e.is_set());
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::READ);
    }

    #[test]
    fn rule6_null_event_with_mask_is_einval_and_changes_nothing() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.select(Some(&e), Fd::READ).unwrap();
        assert_eq!(r.select(None, Fd::READ).unwrap_err().code(), 10022);
        assert_eq!(r.mask(), Fd::READ);
        assert!(r.event().is_some());
        // unknown bits are accepted
        r.select(Some(&e), Fd::all()).unwrap();
        assert_eq!(r.mask(), Fd::all());
    }

    #[test]
    fn rule8_recorded_while_unselected_reported_later() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.arrive(Fd::CONNECT | Fd::WRITE, 0);
        r.arrive(Fd::CLOSE, 0);
        r.select(Some(&e), Fd::CONNECT | Fd::WRITE | Fd::CLOSE)
            .unwrap();
        assert!(e.is_set());
        assert_eq!(
            enum_(&mut r, Some(&e)).0,
            Fd::CONNECT | Fd::WRITE | Fd::CLOSE
        );
    }

    #[test]
    fn rule9_rerecording_sets_event_again_and_updates_error() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.select(Some(&e), Fd::CLOSE).unwrap();
        r.arrive(Fd::CLOSE, 0);
        e.reset();
        r.arrive(Fd::CLOSE, 10053);
        assert!(e.is_set());
        let (got, errs) = enum_(&mut r, Some(&e));
        assert_eq!(got, Fd::CLOSE);
        assert_eq!(errs[5], 10053);
    }

    #[test]
    fn rule10_enumerate_clears_only_selected_bits() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.arrive(Fd::READ | Fd::WRITE, 0);
        r.select(Some(&e), Fd::READ).unwrap();
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::READ);
        assert_eq!(r.recorded(), Fd::WRITE);
        r.select(Some(&e), Fd::READ | Fd::WRITE).unwrap();
        assert!(e.is_set());
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::WRITE);
    }

    #[test]
    fn rule11_enumerate_keeps_d() {
        let mut r = Record::new(ArrivalModel::Strict);
        let e = Event::new_manual(false);
        r.select(Some(&e), Fd::READ).unwrap();
        r.arrive(Fd::READ, 0);
        enum_(&mut r, Some(&e));
        assert_eq!(r.reported(), Fd::READ);
        r.arrive(Fd::READ, 0);
        assert_eq!(
            enum_(&mut r, Some(&e)).0,
            Fd::empty(),
            "strict: not re-recorded while in D"
        );
    }

    #[test]
    fn rule12_enumerate_resets_even_when_empty_and_null_touches_nothing() {
        let e = Event::new_manual(true);
        let mut r = Record::default();
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::empty());
        assert!(!e.is_set());
        e.set();
        enum_(&mut r, None);
        assert!(e.is_set());
        // the handle passed in is reset, whichever it is
        let other = Event::new_manual(true);
        r.select(Some(&e), Fd::READ).unwrap();
        enum_(&mut r, Some(&other));
        assert!(!other.is_set());
        assert!(e.is_set());
    }

    #[test]
    fn rule13_error_codes_written_only_for_reported_bits() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.select(Some(&e), Fd::CONNECT | Fd::READ).unwrap();
        r.arrive(Fd::CONNECT, 10061);
        let (got, errs) = enum_(&mut r, Some(&e));
        assert_eq!(got, Fd::CONNECT);
        for (i, &c) in errs.iter().enumerate() {
            if i == 4 {
                assert_eq!(c, 10061);
            } else {
                assert_eq!(c as u32, 0xABABABAB, "entry {i} must be untouched");
            }
        }
    }

    #[test]
    fn rule14_unselected_socket_enumerates_nothing() {
        let mut r = Record::default();
        r.arrive(Fd::READ, 0);
        assert_eq!(enum_(&mut r, None).0, Fd::empty());
        assert_eq!(r.recorded(), Fd::READ);
    }

    #[test]
    fn rule15_shared_event_reset_by_one_socket() {
        let e = Event::new_manual(false);
        let (mut s1, mut s2) = (Record::default(), Record::default());
        s1.select(Some(&e), Fd::READ).unwrap();
        s2.select(Some(&e), Fd::READ).unwrap();
        s2.arrive(Fd::READ, 0);
        assert!(e.is_set());
        assert_eq!(enum_(&mut s1, Some(&e)).0, Fd::empty());
        assert!(!e.is_set(), "reset although s2 has a recorded bit");
        assert_eq!(enum_(&mut s2, Some(&e)).0, Fd::READ);
    }

    #[test]
    fn rule17_reenable_rerecords_when_condition_holds() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.select(Some(&e), Fd::READ).unwrap();
        r.arrive(Fd::READ, 0);
        enum_(&mut r, Some(&e));
        r.reenable(Fd::READ, true); // partial read
        assert!(e.is_set());
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::READ);
        r.reenable(Fd::READ, false); // last read
        assert!(!e.is_set());
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::empty());
        assert_eq!(r.reported(), Fd::empty());
    }

    #[test]
    fn rule17_reading_everything_before_enumerating_clears_r() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.arrive(Fd::READ, 0);
        r.reenable(Fd::READ, false);
        r.select(Some(&e), Fd::READ).unwrap();
        assert!(!e.is_set());
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::empty());
    }

    #[test]
    fn rule20_model_a_new_arrival_after_reselect_records() {
        for (model, expect) in [
            (ArrivalModel::AlwaysRecords, Fd::READ),
            (ArrivalModel::SelectRearms, Fd::READ),
            (ArrivalModel::Strict, Fd::empty()),
        ] {
            let e = Event::new_manual(false);
            let mut r = Record::new(model);
            r.select(Some(&e), Fd::READ).unwrap();
            r.arrive(Fd::READ, 0);
            enum_(&mut r, Some(&e));
            r.select(Some(&e), Fd::READ).unwrap();
            r.arrive(Fd::READ, 0);
            assert_eq!(enum_(&mut r, Some(&e)).0, expect, "{model:?}");
        }
    }

    #[test]
    fn q1_model_a_arrival_without_reselect_records() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.select(Some(&e), Fd::READ).unwrap();
        r.arrive(Fd::READ, 0);
        enum_(&mut r, Some(&e));
        r.arrive(Fd::READ, 0);
        assert!(e.is_set());
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::READ);
        // model (b) needs the re-select
        let mut r = Record::new(ArrivalModel::SelectRearms);
        r.select(Some(&e), Fd::READ).unwrap();
        r.arrive(Fd::READ, 0);
        enum_(&mut r, Some(&e));
        r.arrive(Fd::READ, 0);
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::empty());
    }

    #[test]
    fn rule25_accept_while_unselected_clears_the_record() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.arrive(Fd::ACCEPT, 0);
        r.reenable(Fd::ACCEPT, false);
        r.select(Some(&e), Fd::ACCEPT).unwrap();
        assert!(!e.is_set());
    }

    #[test]
    fn rule30_failed_send_clears_write_then_rerecords() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.select(Some(&e), Fd::WRITE).unwrap();
        r.arrive(Fd::WRITE, 0);
        r.reenable(Fd::WRITE, false); // send failed WSAEWOULDBLOCK
        assert_eq!(r.recorded(), Fd::empty());
        e.reset();
        r.arrive(Fd::WRITE, 0); // space came back
        assert!(e.is_set());
        assert_eq!(enum_(&mut r, Some(&e)).0, Fd::WRITE);
    }

    #[test]
    fn unrecordable_bits_are_never_recorded() {
        let e = Event::new_manual(false);
        let mut r = Record::default();
        r.select(Some(&e), Fd::all()).unwrap();
        r.arrive(Fd::QOS | Fd::GROUP_QOS, 0);
        assert!(!e.is_set());
        assert_eq!(r.recorded(), Fd::empty());
    }

    #[test]
    fn default_model_switch() {
        assert_eq!(
            ArrivalModel::default_for_new_sockets(),
            ArrivalModel::AlwaysRecords
        );
    }
}
