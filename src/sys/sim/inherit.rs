//! What a connection queued on a listener takes from it: the options an accepted socket
//! inherits (Windows: the accepted socket "has the same properties as socket s"; the BSD
//! stack Windows' follows, and Linux's, copy the listener's socket at the handshake), so
//! that an option set on the listener is in force from the connection's first byte.

use super::*;

impl Sock {
    /// Takes listener `lst`'s inherited options: `SO_KEEPALIVE` with its
    /// `SIO_KEEPALIVE_VALS` times, `SO_LINGER`, `SO_OOBINLINE`, `TCP_NODELAY`,
    /// `SO_RCVBUF`, `SO_SNDBUF`. The keep-alive timer itself is the caller's to start
    /// ([`NetState::set_keepalive`]), once the socket has its id.
    pub(super) fn inherit_options(&mut self, lst: &Sock) {
        self.opts.keepalive = lst.opts.keepalive;
        self.keepalive = lst.keepalive;
        self.opts.linger = lst.opts.linger;
        self.opts.oob_inline = lst.opts.oob_inline;
        self.opts.nodelay = lst.opts.nodelay;
        self.rcvbuf = lst.rcvbuf;
        self.sndbuf = lst.sndbuf;
    }
}
