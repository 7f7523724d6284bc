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

/// docs/simulation.md's examples are the files that run: the Rust one is
/// `tests/sim_doc_example.rs`, the C one `tests/c/sim_doc_example.c` (built and run by
/// `tests/capi_c.rs`).
#[test]
fn the_docs_examples_are_the_tested_files() {
    let doc = include_str!("../docs/simulation.md");
    let block = |fence: &str| {
        doc.split(fence)
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("the example block")
            .to_string()
    };
    assert_eq!(block("```rust\n"), include_str!("sim_doc_example.rs"));
    assert_eq!(block("```c\n"), include_str!("c/sim_doc_example.c"));
}
