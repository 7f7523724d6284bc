//! The network-event bits and the `WSANETWORKEVENTS` record (section B.3, B.4).

use crate::error::Error;

bitflags::bitflags! {
    /// A set of `FD_*` network events, with the Winsock values (`lNetworkEvents`).
    ///
    /// ```
    /// use wsaevents::NetworkEvents;
    /// let m = NetworkEvents::READ | NetworkEvents::CLOSE;
    /// assert_eq!(m.bits(), 0x21);
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct NetworkEvents: u32 {
        /// `FD_READ` (0x01): data can be read.
        const READ = 0x001;
        /// `FD_WRITE` (0x02): data can be sent (edge-like: see rule 29).
        const WRITE = 0x002;
        /// `FD_OOB` (0x04): urgent data arrived.
        const OOB = 0x004;
        /// `FD_ACCEPT` (0x08): a connection is pending on a listener.
        const ACCEPT = 0x008;
        /// `FD_CONNECT` (0x10): a connect attempt completed (check its error code).
        const CONNECT = 0x010;
        /// `FD_CLOSE` (0x20): the connection was closed by the peer (FIN or RST).
        const CLOSE = 0x020;
        /// `FD_QOS` (0x40): accepted by `event_select`, never recorded.
        const QOS = 0x040;
        /// `FD_GROUP_QOS` (0x80): accepted, never recorded.
        const GROUP_QOS = 0x080;
        /// `FD_ROUTING_INTERFACE_CHANGE` (0x100): the route to the destination given to
        /// `SIO_ROUTING_INTERFACE_CHANGE` changed (see [`Socket::routing_interface_change`](crate::Socket::routing_interface_change)).
        const ROUTING_INTERFACE_CHANGE = 0x100;
        /// `FD_ADDRESS_LIST_CHANGE` (0x200): the local address list of the socket's family
        /// changed after `SIO_ADDRESS_LIST_CHANGE` (see [`Socket::address_list_change`](crate::Socket::address_list_change)).
        const ADDRESS_LIST_CHANGE = 0x200;
    }
}

/// `FD_READ_BIT`.
pub const FD_READ_BIT: usize = 0;
/// `FD_WRITE_BIT`.
pub const FD_WRITE_BIT: usize = 1;
/// `FD_OOB_BIT`.
pub const FD_OOB_BIT: usize = 2;
/// `FD_ACCEPT_BIT`.
pub const FD_ACCEPT_BIT: usize = 3;
/// `FD_CONNECT_BIT`.
pub const FD_CONNECT_BIT: usize = 4;
/// `FD_CLOSE_BIT`.
pub const FD_CLOSE_BIT: usize = 5;
/// `FD_QOS_BIT`.
pub const FD_QOS_BIT: usize = 6;
/// `FD_GROUP_QOS_BIT`.
pub const FD_GROUP_QOS_BIT: usize = 7;
/// `FD_ROUTING_INTERFACE_CHANGE_BIT`.
pub const FD_ROUTING_INTERFACE_CHANGE_BIT: usize = 8;
/// `FD_ADDRESS_LIST_CHANGE_BIT`.
pub const FD_ADDRESS_LIST_CHANGE_BIT: usize = 9;
/// `FD_MAX_EVENTS`: the number of event bits, and of `iErrorCode` entries.
pub const FD_MAX_EVENTS: usize = 10;
/// `FD_ALL_EVENTS` = `(1 << FD_MAX_EVENTS) - 1` = 0x3FF.
pub const FD_ALL_EVENTS: u32 = (1 << FD_MAX_EVENTS) - 1;

impl NetworkEvents {
    /// The events a socket can record: the six classic bits and the two change bits
    /// (recorded after their ioctls, `FD_ADDRESS_LIST_CHANGE` and
    /// `FD_ROUTING_INTERFACE_CHANGE`). The QOS bits may be selected (Windows accepts any
    /// mask, rule 6) but are never recorded.
    pub const RECORDABLE: NetworkEvents = NetworkEvents::READ
        .union(NetworkEvents::WRITE)
        .union(NetworkEvents::OOB)
        .union(NetworkEvents::ACCEPT)
        .union(NetworkEvents::CONNECT)
        .union(NetworkEvents::CLOSE)
        .union(NetworkEvents::ROUTING_INTERFACE_CHANGE)
        .union(NetworkEvents::ADDRESS_LIST_CHANGE);

    /// The single event for bit index `bit` (`FD_READ_BIT` → `READ`), if `bit < FD_MAX_EVENTS`.
    pub fn from_bit(bit: usize) -> Option<NetworkEvents> {
        (bit < FD_MAX_EVENTS).then(|| NetworkEvents::from_bits_retain(1 << bit))
    }
}

/// `WSANETWORKEVENTS`: what `WSAEnumNetworkEvents` fills in.
///
/// `#[repr(C)]` with the Windows layout: a 32-bit `lNetworkEvents` followed by
/// `iErrorCode[FD_MAX_EVENTS]`, 44 bytes, 4-byte aligned, so a pointer to it can be handed
/// to C code as a `WSANETWORKEVENTS*`.
///
/// ```
/// use wsaevents::{NetworkEventRecord, NetworkEvents, FD_CLOSE_BIT};
/// let mut r = NetworkEventRecord::default();
/// r.network_events = NetworkEvents::CLOSE.bits() as i32;
/// r.error_code[FD_CLOSE_BIT] = 10053;
/// assert_eq!(r.events(), NetworkEvents::CLOSE);
/// assert_eq!(r.error(NetworkEvents::CLOSE).unwrap().code(), 10053);
/// ```
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NetworkEventRecord {
    /// `lNetworkEvents`: the `FD_*` bits reported.
    pub network_events: i32,
    /// `iErrorCode`: the error of each reported event, indexed by `FD_*_BIT`. Entries for
    /// events not reported are left as the caller had them (rule 13).
    pub error_code: [i32; FD_MAX_EVENTS],
}

impl NetworkEventRecord {
    /// The reported events.
    pub fn events(&self) -> NetworkEvents {
        NetworkEvents::from_bits_retain(self.network_events as u32)
    }

    /// The error code reported with one event: `None` if `event` was not reported (or is not
    /// a single bit), `Some(Ok(()))`-like semantics are given by [`error`](Self::error).
    pub fn error_code_of(&self, event: NetworkEvents) -> Option<i32> {
        let bit = single_bit(event)?;
        self.events().contains(event).then(|| self.error_code[bit])
    }

    /// The error reported with one event: `None` if the event was not reported or its code
    /// is 0, else the error (for example `WSAECONNABORTED` with `CLOSE` after a RST).
    pub fn error(&self, event: NetworkEvents) -> Option<Error> {
        self.error_code_of(event)
            .filter(|&c| c != 0)
            .map(Error::from_code)
    }
}

fn single_bit(event: NetworkEvents) -> Option<usize> {
    let b = event.bits();
    (b.count_ones() == 1 && b.trailing_zeros() < FD_MAX_EVENTS as u32)
        .then(|| b.trailing_zeros() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{align_of, offset_of, size_of};

    /// B.4: WSANETWORKEVENTS is 44 bytes, 4-byte aligned, iErrorCode at offset 4.
    #[test]
    fn b4_layout_is_wsanetworkevents() {
        assert_eq!(size_of::<NetworkEventRecord>(), 44);
        assert_eq!(align_of::<NetworkEventRecord>(), 4);
        assert_eq!(offset_of!(NetworkEventRecord, network_events), 0);
        assert_eq!(offset_of!(NetworkEventRecord, error_code), 4);
    }

    /// B.3: FD_* values, bit indices, FD_MAX_EVENTS and FD_ALL_EVENTS.
    #[test]
    fn b3_fd_values() {
        let all = [
            (NetworkEvents::READ, FD_READ_BIT, 0x001),
            (NetworkEvents::WRITE, FD_WRITE_BIT, 0x002),
            (NetworkEvents::OOB, FD_OOB_BIT, 0x004),
            (NetworkEvents::ACCEPT, FD_ACCEPT_BIT, 0x008),
            (NetworkEvents::CONNECT, FD_CONNECT_BIT, 0x010),
            (NetworkEvents::CLOSE, FD_CLOSE_BIT, 0x020),
            (NetworkEvents::QOS, FD_QOS_BIT, 0x040),
            (NetworkEvents::GROUP_QOS, FD_GROUP_QOS_BIT, 0x080),
            (
                NetworkEvents::ROUTING_INTERFACE_CHANGE,
                FD_ROUTING_INTERFACE_CHANGE_BIT,
                0x100,
            ),
            (
                NetworkEvents::ADDRESS_LIST_CHANGE,
                FD_ADDRESS_LIST_CHANGE_BIT,
                0x200,
            ),
        ];
        for (ev, bit, val) in all {
            assert_eq!(ev.bits(), val);
            assert_eq!(1 << bit, val);
            assert_eq!(NetworkEvents::from_bit(bit), Some(ev));
        }
        assert_eq!(FD_MAX_EVENTS, 10);
        assert_eq!(FD_ALL_EVENTS, 0x3FF);
        assert_eq!(NetworkEvents::all().bits(), FD_ALL_EVENTS);
        assert_eq!(NetworkEvents::from_bit(10), None);
    }

    #[test]
    fn error_accessor_reads_only_reported_bits() {
        let mut r = NetworkEventRecord {
            network_events: 0x20,
            error_code: [0x7777; FD_MAX_EVENTS],
        };
        r.error_code[FD_CLOSE_BIT] = 0;
        assert_eq!(r.error_code_of(NetworkEvents::CLOSE), Some(0));
        assert_eq!(r.error(NetworkEvents::CLOSE), None);
        assert_eq!(r.error_code_of(NetworkEvents::READ), None);
        assert_eq!(
            r.error_code_of(NetworkEvents::READ | NetworkEvents::CLOSE),
            None
        );
    }
}
