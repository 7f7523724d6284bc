//! The bounded, seeded run of the C-ABI attack driver (issue 8, item 12): the same driver
//! as the cargo-fuzz target `fuzz/fuzz_targets/capi_calls.rs`, fed by a deterministic PRNG
//! instead of libFuzzer, so every `cargo test` replays the same call sequences (per thread;
//! the interleaving of the threads varies). Four threads share one pool of handles: live,
//! closed, garbage and other-kind handles, NULLs and short or negative lengths,
//! `WSAStartup`/`WSACleanup` interleaved, loopback only. A panic (even one the C edge
//! would catch), a crash or a hang fails the test; see `tests/fuzz_driver/mod.rs` for
//! what else is checked. After the first round, every round must leave as many file
//! descriptors open as it found. A few seconds at most.

mod fuzz_driver;

use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use fuzz_driver::{Pool, Seeded, Walker, drain, install_panic_hook};

/// Bytes of choices per thread (about six per call).
const BUDGET: usize = 60_000;
const THREADS: u64 = 4;
/// No call of the driver can block for long; a run this long is a hang.
const HANG: Duration = Duration::from_secs(120);

fn round(seed: u64) {
    let pool = Arc::new(Mutex::new(Pool::default()));
    let (tx, rx) = mpsc::channel();
    for t in 0..THREADS {
        let pool = Arc::clone(&pool);
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut src = Seeded::new(seed * 1000 + t, BUDGET);
            Walker::new(&mut src, pool).run();
            let _ = tx.send(t);
        });
    }
    drop(tx);
    for _ in 0..THREADS {
        rx.recv_timeout(HANG)
            .unwrap_or_else(|_| panic!("seed {seed}: a walker hung (no call may block)"));
    }
    drain(&pool);
}

#[test]
fn seeded_capi_walk_never_panics_crashes_or_hangs() {
    install_panic_hook();
    round(1);
    // The first round created the reactor's own descriptors; from here on a round must
    // leave exactly as many open as it found.
    let before = fuzz_driver::open_fds();
    for seed in 2..=4 {
        round(seed);
        assert_eq!(
            fuzz_driver::open_fds(),
            before,
            "seed {seed} leaked descriptors"
        );
    }
    let calls = fuzz_driver::CALLS
        .iter()
        .map(|c| c.load(std::sync::atomic::Ordering::Relaxed));
    let ok = fuzz_driver::SUCCESSES
        .iter()
        .map(|c| c.load(std::sync::atomic::Ordering::Relaxed));
    let table: Vec<String> = calls.zip(ok).map(|(c, o)| format!("{o}/{c}")).collect();
    println!("succeeded/calls per operation: {}", table.join(" "));
}
