//! Benchmark 2: the one-thread ping-pong of benchmark 1 through the C ABI. Builds
//! `benches/c/pingpong.c` (the Winsock loop, against `include/` and the crate's static
//! library) together with `benches/c/pingpong_epoll.c` (the same loop on raw epoll, and the
//! driver) into one program, which runs the two sides alternately in one process and prints
//! each round's rates; this prints the median ratio. Goal: ≥ 0.85× the epoll baseline.
//!
//! The static library is the one Cargo builds for this run (the lib target is also a
//! `staticlib`, written next to this binary in `target/<profile>/deps/`). The C compiler is
//! `$CC` or `cc`. Linux only (the baseline is epoll); elsewhere, or without a C compiler,
//! the benchmark says SKIPPED.
//!
//! `cargo bench --bench capi`

// Built as a libtest harness (Cargo's default) when the manifest lacks this bench's
// `harness = false` entry: `main` is then unused, which must not fail `clippy -D warnings`.
#![cfg_attr(test, allow(dead_code))]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::*;

const GOAL: f64 = 0.85;
/// The longest the C program may run.
const RUN_LIMIT: Duration = Duration::from_secs(120);

fn static_lib() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let deps = exe.parent()?;
    [
        deps.join("libwsaevents.a"),
        deps.parent()?.join("libwsaevents.a"),
    ]
    .into_iter()
    .find(|p| p.exists())
}

fn system_libs() -> &'static [&'static str] {
    if cfg!(target_os = "macos") {
        &["-lc", "-lm"]
    } else {
        &["-lpthread", "-ldl", "-lm", "-lrt", "-lutil"]
    }
}

/// Compiles the two C files into `out`; Err with the compiler's words on failure.
fn build(lib: &Path, out: &Path) -> Result<(), String> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let o = Command::new(&cc)
        .args(["-O2", "-x", "c", "-I"])
        .arg(repo.join("include"))
        .arg(repo.join("benches/c/pingpong.c"))
        .arg(repo.join("benches/c/pingpong_epoll.c"))
        .args(["-x", "none", "-o"])
        .arg(out)
        .arg("-pthread")
        .arg(lib)
        .args(system_libs())
        .output()
        .map_err(|e| format!("cannot run {cc}: {e}"))?;
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cc} failed:\n{}",
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

/// Runs the program, killing it after [`RUN_LIMIT`]; returns its standard output.
fn run(exe: &Path, n: u64, rounds: usize) -> String {
    let child = Command::new(exe)
        .arg(n.to_string())
        .arg(rounds.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the C ping-pong");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let o = match rx.recv_timeout(RUN_LIMIT) {
        Ok(o) => o.expect("wait for the C ping-pong"),
        Err(_) => {
            // Our own child, by its id.
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("the C ping-pong did not finish within {RUN_LIMIT:?}");
        }
    };
    assert!(o.status.success(), "the C ping-pong failed: {}", o.status);
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn main() {
    let mode = Mode::from_args();
    print_header("capi", mode);
    if !cfg!(target_os = "linux") {
        println!("capi/1-thread: SKIPPED (the baseline is epoll: Linux only)");
        return;
    }
    let n: u64 = mode.pick(25_000, 200);
    let rounds = mode.pick(21, 2);
    let Some(lib) = static_lib() else {
        println!("capi/1-thread: SKIPPED (libwsaevents.a not found next to this binary)");
        return;
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench_capi");
    std::fs::create_dir_all(&dir).expect("create the output directory");
    let exe = dir.join("pingpong");
    if let Err(e) = build(&lib, &exe) {
        println!("capi/1-thread: SKIPPED (could not build the C programs)\n{e}");
        return;
    }

    let out = run(&exe, n, rounds);
    let (mut w, mut e) = (Vec::new(), Vec::new());
    for line in out.lines() {
        // round R wsa RATE epoll RATE
        let f: Vec<&str> = line.split_whitespace().collect();
        if let ["round", _, "wsa", a, "epoll", b] = f[..] {
            w.push(a.parse::<f64>().expect("wsa rate"));
            e.push(b.parse::<f64>().expect("epoll rate"));
        }
    }
    assert_eq!(w.len(), rounds, "unexpected output:\n{out}");
    let ratio = ratio_median(&w, &e);
    println!(
        "   {rounds} alternating rounds of {n} round trips in one C process; Winsock C ABI {:.0}..{:.0} rt/s, raw epoll {:.0}..{:.0} rt/s",
        min(&w),
        max(&w),
        min(&e),
        max(&e)
    );
    println!(
        "capi/1-thread: C ABI {:.0} rt/s ({:.2} us/rt), raw epoll in C {:.0} rt/s ({:.2} us/rt): ratio {ratio:.3}x (goal >= {GOAL}x) {}",
        median(&w),
        1e6 / median(&w),
        median(&e),
        1e6 / median(&e),
        verdict(ratio >= GOAL)
    );
}
