//! `examples/sim_demo.rs` (issue 14): the same seed prints the same bytes, another seed
//! prints other timings, and each scene shows Windows' events and error codes.

#[allow(dead_code)]
#[path = "../examples/sim_demo.rs"]
mod demo;

#[test]
fn same_seed_same_output_other_seed_other_output() {
    let a = demo::demo(5);
    assert_eq!(a, demo::demo(5));
    assert_ne!(a, demo::demo(6));
}

#[test]
fn every_scene_shows_windows_values() {
    let out = demo::demo(1);
    for want in [
        "then FD_CONNECT(WSAECONNREFUSED)",
        "then FD_CONNECT(WSAETIMEDOUT) after 21s of virtual time",
        "then FD_CONNECT(WSAEHOSTUNREACH)",
        "sent 65536 bytes, then WSAEWOULDBLOCK",
        "the server read 65536 bytes; client: FD_WRITE",
        "FD_CLOSE, with 5 bytes unread",
        "client: FD_CLOSE(WSAECONNABORTED) after 3000 bytes",
        "--- trace ---",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}
