//! Random call sequences over the C ABI, from 1 to 3 threads sharing their handles: the
//! driver of `tests/fuzz_driver/mod.rs` (also run, seeded and bounded, by
//! `cargo test --test capi_fuzz`). A panic inside the library, a crash or a failed check
//! aborts; a hang shows as a libFuzzer timeout (`-timeout=`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_driver/mod.rs"]
mod fuzz_driver;

fuzz_target!(|data: &[u8]| fuzz_driver::run_input(data));
