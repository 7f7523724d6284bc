//! Events

use std::time::Duration;

use crate::event::{self, Event, WaitOutcome};
use crate::socket::Socket;
use crate::types::{NetworkEventRecord, NetworkEvents};

use super::*;

/// `WSACreateEvent`: a manual-reset, unsignalled event.
pub fn WSACreateEvent() -> WSAEVENT {
    register_event(Event::new_manual(false))
}

/// `CreateEvent(NULL, manual_reset, initial_state, NULL)`.
pub fn CreateEvent(manual_reset: bool, initial_state: bool) -> WSAEVENT {
    register_event(Event::new(manual_reset, initial_state))
}

/// `WSACloseEvent` / `CloseHandle` on an event: `TRUE`, or `FALSE` with
/// `WSA_INVALID_HANDLE`.
pub fn WSACloseEvent(h: WSAEVENT) -> BOOL {
    match remove(h, Kind::Event) {
        Some(_) => TRUE,
        None => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

/// `WSASetEvent` / `SetEvent`.
pub fn WSASetEvent(h: WSAEVENT) -> BOOL {
    match event_of(h) {
        Some(e) => {
            e.set();
            TRUE
        }
        None => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

/// `WSAResetEvent` / `ResetEvent`.
pub fn WSAResetEvent(h: WSAEVENT) -> BOOL {
    match event_of(h) {
        Some(e) => {
            e.reset();
            TRUE
        }
        None => fail(WSA_INVALID_HANDLE, FALSE),
    }
}

/// `WSAWaitForMultipleEvents(n, events, wait_all, timeout_ms, alertable)` =
/// `WaitForMultipleObjectsEx` (section B.2). Returns `WSA_WAIT_EVENT_0 + i`,
/// `WSA_WAIT_TIMEOUT`, or `WSA_WAIT_FAILED` with the last error: 87 for 0 or more than 64
/// events or (wait-all) a duplicate, 6 for a closed or unknown handle. With `alertable`, a
/// wait that no event satisfies first runs the thread's queued completion routines and
/// APCs and returns `WSA_WAIT_IO_COMPLETION` (see [`crate::wait_any_alertable`]).
pub fn WSAWaitForMultipleEvents(
    events: &[WSAEVENT],
    wait_all: BOOL,
    timeout_ms: DWORD,
    alertable: BOOL,
) -> DWORD {
    if events.is_empty() || events.len() > WSA_MAXIMUM_WAIT_EVENTS {
        return fail(WSA_INVALID_PARAMETER, WSA_WAIT_FAILED);
    }
    thread_local! {
        // Reused per thread: resolving the handles allocates nothing after the first wait.
        static RESOLVED: std::cell::RefCell<Vec<Event>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let timeout = (timeout_ms != WSA_INFINITE).then(|| Duration::from_millis(timeout_ms.into()));
    let wait = |evs: &mut Vec<Event>| {
        if !events_of(events, evs) {
            return Err(Error::from_code(WSA_INVALID_HANDLE));
        }
        let r = event::wait_owned_ex(evs, wait_all != FALSE, timeout, alertable != FALSE);
        evs.clear();
        r
    };
    // From a thread-exit path (a pthread key or C++ thread_local destructor running after
    // this thread's Rust thread-locals are destroyed), the per-thread vector is gone: wait
    // with a local one instead (issue 8, item 9). A completion routine or APC that an
    // alertable wait runs may wait again on the same thread: the vector is then borrowed,
    // and handled the same way.
    let r = RESOLVED
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut v) => Some(wait(&mut v)),
            Err(_) => None,
        })
        .ok()
        .flatten()
        .unwrap_or_else(|| wait(&mut Vec::new()));
    match r {
        Ok(WaitOutcome::Signaled(i)) => WSA_WAIT_EVENT_0 + i as DWORD,
        Ok(WaitOutcome::TimedOut) => WSA_WAIT_TIMEOUT,
        Ok(WaitOutcome::IoCompletion) => WSA_WAIT_IO_COMPLETION,
        Err(e) => fail(e.code(), WSA_WAIT_FAILED),
    }
}

/// `WSAEventSelect(s, event, mask)` (rules 1–7). A closed or unknown event with a non-zero
/// mask is `WSAEINVAL` (rule 6); with mask 0 the event is ignored (rule 5).
pub fn WSAEventSelect(s: SOCKET, h: WSAEVENT, network_events: i32) -> i32 {
    call(s, |sk| {
        let mask = NetworkEvents::from_bits_retain(network_events as u32);
        let ev = if mask.is_empty() {
            None
        } else {
            Some(event_of(h).ok_or(Error::from_code(WSAEINVAL))?)
        };
        sk.event_select(ev.as_ref(), mask)?;
        Ok(0)
    })
}

/// `WSAEnumNetworkEvents(s, event, &out)` (rules 10–15). `event` may be
/// `WSA_INVALID_EVENT` (no reset); a closed or unknown one is `WSAEINVAL` (open question Q5;
/// our choice), and then the record is left as it was (rule 14). Only the `iErrorCode`
/// entries of reported events are written (rule 13).
pub fn WSAEnumNetworkEvents(s: SOCKET, h: WSAEVENT, out: &mut WSANETWORKEVENTS) -> i32 {
    call(s, |sk| enum_network_events_on(sk, h, out))
}

/// [`WSAEnumNetworkEvents`] on a resolved socket (the C ABI resolves it once).
pub(crate) fn enum_network_events_on(
    sk: &Socket,
    h: WSAEVENT,
    out: &mut WSANETWORKEVENTS,
) -> Result<i32> {
    let ev = if h == WSA_INVALID_EVENT {
        None
    } else {
        Some(event_of(h).ok_or(Error::from_code(WSAEINVAL))?)
    };
    let mut rec = NetworkEventRecord {
        network_events: out.lNetworkEvents,
        error_code: out.iErrorCode,
    };
    sk.enum_network_events_into(ev.as_ref(), &mut rec)?;
    out.lNetworkEvents = rec.network_events;
    out.iErrorCode = rec.error_code;
    Ok(0)
}
