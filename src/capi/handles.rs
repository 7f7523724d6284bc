//! The handle table: `WSAEVENT` / `HANDLE` values for event objects.
//!
//! A handle is an opaque, pointer-sized, non-NULL value that names one [`Event`]:
//!
//! ```text
//!   bit  usize::BITS-2   : tag (always 1: no small integer, socket or NULL is a handle)
//!   bits INDEX_BITS..tag : generation of the slot
//!   bits 0..INDEX_BITS   : slot index + 1
//! ```
//!
//! Closing a handle empties its slot and bumps the slot's generation, so the closed value
//! stays invalid (`WSA_INVALID_HANDLE`) even after the slot is reused for a new event; it
//! would alias only after the generation wraps (2^30 reuses of one slot on 64-bit, 2^10 on
//! 32-bit targets).
//!
//! The table holds one [`Event`] clone per open handle; a wait in progress holds its own
//! clones, so closing a handle during a wait (undefined on Windows, B.2) is memory-safe.

use std::ffi::c_void;

use parking_lot::Mutex;

use crate::Event;

/// A `HANDLE` / `WSAEVENT` as C sees it.
pub type Handle = *mut c_void;

const TAG_BIT: u32 = usize::BITS - 2;
const INDEX_BITS: u32 = if usize::BITS >= 64 { 32 } else { 20 };
const INDEX_MASK: usize = (1 << INDEX_BITS) - 1;
const GEN_MASK: usize = (1 << (TAG_BIT - INDEX_BITS)) - 1;

struct Slot {
    generation: usize,
    event: Option<Event>,
}

struct Table {
    slots: Vec<Slot>,
    free: Vec<usize>,
}

static TABLE: Mutex<Table> = Mutex::new(Table {
    slots: Vec::new(),
    free: Vec::new(),
});

fn encode(index: usize, generation: usize) -> usize {
    (1 << TAG_BIT) | ((generation & GEN_MASK) << INDEX_BITS) | (index + 1)
}

fn decode(value: usize) -> Option<(usize, usize)> {
    if value >> TAG_BIT != 1 {
        return None; // NULL, small integers, INVALID_HANDLE_VALUE, pointers, sockets
    }
    let index = (value & INDEX_MASK).checked_sub(1)?;
    Some((index, (value >> INDEX_BITS) & GEN_MASK))
}

/// Registers `event` and returns its new handle value, or `None` if the table is full.
pub fn insert(event: Event) -> Option<usize> {
    let mut t = TABLE.lock();
    let index = match t.free.pop() {
        Some(i) => i,
        None if t.slots.len() < INDEX_MASK - 1 => {
            t.slots.push(Slot {
                generation: 0,
                event: None,
            });
            t.slots.len() - 1
        }
        None => return None,
    };
    let slot = &mut t.slots[index];
    slot.event = Some(event);
    Some(encode(index, slot.generation))
}

/// The event a handle value names, if it is open.
pub fn get(value: usize) -> Option<Event> {
    let (index, generation) = decode(value)?;
    let t = TABLE.lock();
    let slot = t.slots.get(index)?;
    if slot.generation != generation {
        return None;
    }
    slot.event.clone()
}

/// Closes a handle value: returns its event (dropped by the caller, outside the table lock),
/// or `None` if the value is not an open handle.
pub fn remove(value: usize) -> Option<Event> {
    let (index, generation) = decode(value)?;
    let mut t = TABLE.lock();
    let slot = t.slots.get_mut(index)?;
    if slot.generation != generation {
        return None;
    }
    let event = slot.event.take()?;
    slot.generation = (slot.generation + 1) & GEN_MASK;
    t.free.push(index);
    Some(event)
}

/// The event behind a C `HANDLE`/`WSAEVENT`, if it is an open handle. For the socket
/// functions (`WSAEventSelect`, `WSAEnumNetworkEvents`).
pub fn event_from_handle(handle: Handle) -> Option<Event> {
    get(handle.addr())
}

/// Registers `event` and returns it as a C handle (NULL if the table is full).
pub fn handle_for(event: Event) -> Handle {
    insert(event).map_or(std::ptr::null_mut(), std::ptr::without_provenance_mut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_no_aliasing_after_close() {
        let e = Event::new_manual(false);
        let h = insert(e.clone()).unwrap();
        assert_ne!(h, 0);
        assert!(get(h).unwrap().same_object(&e));
        assert!(remove(h).is_some());
        assert!(get(h).is_none());
        assert!(remove(h).is_none());
        // The slot is reused (LIFO free list) with a new generation: the old value stays dead.
        let h2 = insert(Event::new_manual(false)).unwrap();
        assert_ne!(h, h2);
        assert!(get(h).is_none());
        assert!(get(h2).is_some());
        remove(h2);
    }

    #[test]
    fn foreign_values_are_not_handles() {
        for v in [
            0usize,
            1,
            4,
            0x1234,
            usize::MAX,
            usize::MAX - 1,
            1 << TAG_BIT,
        ] {
            assert!(get(v).is_none(), "{v:#x}");
            assert!(remove(v).is_none(), "{v:#x}");
        }
    }

    #[test]
    fn generation_wraps_within_its_field() {
        let v = encode(5, GEN_MASK + 3);
        assert_eq!(decode(v), Some((5, 2)));
        assert_eq!(v >> TAG_BIT, 1);
    }
}
