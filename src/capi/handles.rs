//! `WSAEVENT` / `HANDLE` values at the C boundary.
//!
//! Handles are entries of the one handle table of the Rust facade ([`crate::winsock`]),
//! which holds sockets and events as Windows' handle table does: an event created from C
//! can be passed to `WSAEventSelect` on a socket created from C, and vice versa with Rust
//! code using the facade. A value is opaque, pointer-sized and non-NULL; a closed value
//! is handed out again only after the whole value space (2^29 values) has been used, so it
//! is refused (`WSA_INVALID_HANDLE`) rather than reaching a newer object.
//!
//! This module only converts between the C pointer type and the table's `usize` values.

use std::ffi::c_void;

use crate::Event;
use crate::winsock;

/// A `HANDLE` / `WSAEVENT` as C sees it.
pub type Handle = *mut c_void;

/// The table value of a C handle.
pub fn value(handle: Handle) -> usize {
    handle.addr()
}

/// The C handle for a table value (NULL for `WSA_INVALID_EVENT`).
pub fn from_value(value: usize) -> Handle {
    std::ptr::without_provenance_mut(value)
}

/// The event behind a C `HANDLE`/`WSAEVENT`, if it is an open event handle.
pub fn event_from_handle(handle: Handle) -> Option<Event> {
    winsock::event_of(value(handle))
}

/// Registers `event` and returns it as a C handle (NULL with `WSA_NOT_ENOUGH_MEMORY` if the
/// table is full).
pub fn handle_for(event: Event) -> Handle {
    from_value(winsock::register_event(event))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_no_aliasing_after_close() {
        let e = Event::new_manual(false);
        let h = handle_for(e.clone());
        assert!(!h.is_null());
        assert!(event_from_handle(h).unwrap().same_object(&e));
        assert_eq!(winsock::WSACloseEvent(value(h)), winsock::TRUE);
        assert!(event_from_handle(h).is_none());
        let h2 = handle_for(Event::new_manual(false));
        assert_ne!(h, h2);
        assert!(event_from_handle(h).is_none());
        assert!(event_from_handle(h2).is_some());
        winsock::WSACloseEvent(value(h2));
    }

    #[test]
    fn foreign_values_are_not_handles() {
        for v in [0usize, 1, 4, 0x12345, usize::MAX, usize::MAX - 3] {
            assert!(event_from_handle(from_value(v)).is_none(), "{v:#x}");
        }
    }
}
