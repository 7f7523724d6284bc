//! The C ABI as C and C++ programs see it: builds the programs of `tests/c/` with the
//! system compilers (`cc`, `c++`, or `$CC` / `$CXX`) against `include/`, links them to the
//! crate's static library, runs them and requires exit status 0.
//!
//! The static library is the one Cargo builds for this very test run: the lib target has
//! `crate-type = ["lib", "cdylib", "staticlib"]`, so building it for the integration tests
//! also writes `libwsaevents.a` into `target/<profile>/deps/`, next to the test binary.
//! (`cargo build` copies it up to `target/<profile>/`, but `cargo test` does not, so the
//! copy there may be stale: `deps/` is looked at first.) Linking it statically needs no
//! `LD_LIBRARY_PATH`.
//!
//! Every program run is bounded (`RUN_LIMIT`); a program that hangs is killed and fails.
//!
//! AddressSanitizer: `WSAEVENTS_C_SANITIZE=address cargo test --test capi_c` compiles and
//! links every C/C++ program with `-fsanitize=address -fno-omit-frame-pointer
//! -fno-sanitize-recover=all` (the value is passed to `-fsanitize=`, so
//! `address,undefined` works too, and any report fails the program). The C code is instrumented; the
//! Rust static library is not, but ASan's allocator and interceptors still see every
//! buffer the C side hands it, so an out-of-bounds read or write through a pointer the
//! library was given shows up as an ASan report (and a failed test).
// Runs `cc`, `kill` and `nm` against the Unix static library; Windows builds no C ABI.
#![cfg(unix)]

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The longest any one C test program may run.
const RUN_LIMIT: Duration = Duration::from_secs(60);

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `target/<profile>/deps/`: the directory of this test binary.
fn deps_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    exe.parent()
        .expect("the test binary has a directory")
        .to_path_buf()
}

/// The static library built for this test run (see the module docs).
fn static_lib() -> PathBuf {
    let deps = deps_dir();
    let candidates = [
        deps.join("libwsaevents.a"),
        deps.parent()
            .map_or_else(PathBuf::new, |p| p.join("libwsaevents.a")),
    ];
    candidates
        .iter()
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!("libwsaevents.a not found in {candidates:?}: the staticlib crate type must be built with the tests")
        })
        .clone()
}

/// What the static library needs from the system (`--print native-static-libs`).
fn system_libs() -> &'static [&'static str] {
    if cfg!(target_os = "macos") {
        &["-lc", "-lm"]
    } else {
        &["-lpthread", "-ldl", "-lm", "-lrt", "-lutil"]
    }
}

fn out_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("capi_c");
    std::fs::create_dir_all(&d).expect("create the output directory");
    d
}

#[derive(Clone, Copy)]
enum Lang {
    C,
    Cxx,
}

fn compiler(lang: Lang) -> String {
    let (var, default) = match lang {
        Lang::C => ("CC", "cc"),
        Lang::Cxx => ("CXX", "c++"),
    };
    std::env::var(var).unwrap_or_else(|_| default.to_string())
}

/// The sanitizer flags from `WSAEVENTS_C_SANITIZE` (see the module docs), for both the
/// compile and the link step; none when the variable is unset or empty.
fn sanitize_flags() -> Vec<String> {
    match std::env::var("WSAEVENTS_C_SANITIZE") {
        Ok(v) if !v.trim().is_empty() => vec![
            format!("-fsanitize={}", v.trim()),
            "-fno-omit-frame-pointer".to_string(),
            // Any report fails the program (UBSan only warns by default).
            "-fno-sanitize-recover=all".to_string(),
            "-g".to_string(),
        ],
        _ => Vec::new(),
    }
}

fn show(o: &Output) -> String {
    format!(
        "--- stdout ---\n{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Compiles `src` (as `lang`, forced with `-x`) with `flags`; links it to the library
/// unless `compile_only`. Returns the output path.
fn build(lang: Lang, src: &Path, name: &str, flags: &[&str], compile_only: bool) -> PathBuf {
    let out = out_dir().join(name);
    let mut cmd = Command::new(compiler(lang));
    cmd.arg("-x")
        .arg(match lang {
            Lang::C => "c",
            Lang::Cxx => "c++",
        })
        .args(flags)
        .args(sanitize_flags())
        .arg("-I")
        .arg(repo().join("include"))
        .arg(src)
        .arg("-x")
        .arg("none")
        .arg("-o")
        .arg(&out);
    if compile_only {
        cmd.arg("-c");
    } else {
        cmd.arg("-pthread").arg(static_lib()).args(system_libs());
    }
    let o = cmd.output().expect("run the C compiler");
    assert!(
        o.status.success(),
        "building {name} failed: {cmd:?}\n{}",
        show(&o)
    );
    out
}

/// Runs `exe`, killing it after [`RUN_LIMIT`]; panics unless it exits 0.
fn run(exe: &Path) -> Output {
    run_args(exe, &[])
}

/// [`run`] with command-line arguments.
fn run_args(exe: &Path, args: &[&str]) -> Output {
    let child = Command::new(exe)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the test program");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let o = match rx.recv_timeout(RUN_LIMIT) {
        Ok(o) => o.expect("wait for the test program"),
        Err(_) => {
            // Our own child, by its id. Then show what it printed (the C tests flush
            // stdout at every SECTION), so that the hang can be placed.
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            let printed = match rx.recv_timeout(Duration::from_secs(5)) {
                Ok(Ok(o)) => show(&o),
                _ => "(no output collected)".to_string(),
            };
            panic!(
                "{} did not finish within {RUN_LIMIT:?}:\n{printed}",
                exe.display()
            );
        }
    };
    assert!(
        o.status.success(),
        "{} failed ({}):\n{}",
        exe.display(),
        o.status,
        show(&o)
    );
    o
}

fn c_source(name: &str) -> PathBuf {
    repo().join("tests/c").join(name)
}

const STRICT: &[&str] = &["-Wall", "-Wextra", "-Werror"];

/// Builds `tests/c/NAME.c` as C11 with [`STRICT`] warnings, runs it (it must exit 0) and
/// shows what it printed.
fn run_strict_c11(name: &str) {
    let exe = build(
        Lang::C,
        &c_source(&format!("{name}.c")),
        name,
        &[STRICT, &["-std=c11"]].concat(),
        false,
    );
    let o = run(&exe);
    println!("{}", String::from_utf8_lossy(&o.stdout));
}

/// Completion ports (issue 11, part 2): CreateIoCompletionPort, GetQueuedCompletionStatus(Ex),
/// PostQueuedCompletionStatus, CloseHandle on a port, worker threads, a socket's operations
/// completing to its port, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, an hEvent with its low bit.
#[test]
fn iocp_c() {
    run_strict_c11("iocp");
}

/// The mswsock extensions (issue 11, part 2): AcceptEx, GetAcceptExSockaddrs, ConnectEx,
/// DisconnectEx, SO_UPDATE_*_CONTEXT, SIO_GET_EXTENSION_FUNCTION_POINTER.
#[test]
fn acceptex_c() {
    run_strict_c11("acceptex");
}

/// B.1, B.2: events, waits, error rules, last error, WSAStartup/WSACleanup, time.
#[test]
fn events_c() {
    run_strict_c11("events");
}

/// The socket functions over loopback: start-up rules, handle and argument errors, one
/// WSAEventSelect conversation (rules 3, 4, 12, 13, 16-18, 24, 29, 36, 38, 43), IPv6.
#[test]
fn sockets_c() {
    run_strict_c11("sockets");
}

/// One scenario per FD_* event over loopback, with Windows' values: FD_ACCEPT and its
/// re-recording while connections are queued (rules 24, 25), FD_CONNECT + FD_WRITE on a
/// non-blocking connect (29, 33), a refused connect and SO_ERROR (33), FD_READ after a
/// partial recv (16, 17), FD_WRITE after WSAEWOULDBLOCK (29-31), FD_OOB (21, 22), FD_CLOSE
/// at the FIN with data unread (38) and after a RST (39), untouched iErrorCode entries (13),
/// FIONBIO while selected (4).
#[test]
fn fd_events_c() {
    run_strict_c11("fd_events");
}

/// Issue 14: a Winsock C program on the simulated network (`wsaevents_sim.h`): a silent
/// host's WSAETIMEDOUT after 21 virtual seconds (GetTickCount and QueryPerformanceCounter
/// follow), a refused connect after Windows' retries, a scripted peer's RST at a chosen
/// byte (rule 39), Sleep in virtual time, the sim API's argument errors, the trace.
#[test]
fn sim_c() {
    run_strict_c11("sim");
}

/// Issue 14: docs/simulation.md's C example (the silent host's 21 s).
#[test]
fn sim_doc_example_c() {
    run_strict_c11("sim_doc_example");
}

/// Issue 14: `fd_events.c`, unchanged, on the simulated network (it switches before the
/// program's main): every FD_* scenario gives Windows' values there too.
#[test]
fn sim_fd_events_c() {
    run_strict_c11("sim_fd_events");
}

/// Issue 14: `select.c`'s sections, unchanged, on the simulated network (it switches before
/// WSAStartup), with their timeouts in virtual time; then a silent host's connect failing
/// after 21 s in exceptfds and as POLLHUP | POLLERR (tests/c/sim_select.c).
#[test]
fn sim_select_c() {
    run_strict_c11("sim_select");
}

/// Issue 14: name resolution on the simulated network (tests/c/sim_resolve.c): resolve.c
/// unchanged, then the hosts' names through getaddrinfo, GetAddrInfoW, gethostbyname,
/// getnameinfo and gethostbyaddr, an unknown name `WSAHOST_NOT_FOUND`, a connect by name.
#[test]
fn sim_resolve_c() {
    run_strict_c11("sim_resolve");
}

/// Issue 14: `overlapped.c`, unchanged, on the simulated network: overlapped WSARecv/WSASend
/// with events and completion routines, SleepEx, QueueUserAPC, cancellation, in virtual time.
#[test]
fn sim_overlapped_c() {
    run_strict_c11("sim_overlapped");
}

/// Issue 14: overlapped I/O and a completion port in C on the simulated network, with what
/// loopback cannot produce, in virtual time: ConnectEx to a silent host through a port
/// (ERROR_SEM_TIMEOUT at exactly 21 s, WSAETIMEDOUT), a RST failing a pending receive
/// (ERROR_NETNAME_DELETED, WSAECONNRESET), SleepEx and APCs, CancelIoEx through the port.
#[test]
fn sim_overlapped_faults_c() {
    run_strict_c11("sim_overlapped_faults");
}

/// Issue 14: `acceptex.c`, unchanged, on the simulated network: AcceptEx, ConnectEx,
/// DisconnectEx and their completion ports.
#[test]
fn sim_acceptex_c() {
    run_strict_c11("sim_acceptex");
}

/// Issue 14: `examples/c/overlapped_echo.c`'s self-test, unchanged, on the simulated
/// network: an overlapped echo server and 16 overlapped clients in one event loop.
#[test]
fn sim_overlapped_echo_c() {
    let exe = build(
        Lang::C,
        &c_source("sim_overlapped_echo.c"),
        "sim_overlapped_echo",
        STRICT,
        false,
    );
    let o = run(&exe);
    let out = String::from_utf8_lossy(&o.stdout);
    println!("{out}");
    assert!(out.contains("self-test passed: 16 clients"), "{out}");
    assert!(out.contains("passed on the simulated network"), "{out}");
}

/// `iocp.c`, unchanged, on the simulated network: a pool of four workers waiting on a
/// completion port with finite timeouts while the main thread posts 20,000 packets; no
/// worker's timeout expires while the poster runs (virtual time moves only when every
/// thread of the network waits: docs/simulation.md, "Several threads on one network").
#[test]
fn sim_iocp_c() {
    run_strict_c11("sim_iocp");
}

/// `examples/c/iocp_echo.c`'s self-test, unchanged, on the simulated network: completion-port
/// workers and 16 blocking clients with `SO_RCVTIMEO`, each on its own thread.
#[test]
fn sim_iocp_echo_c() {
    let exe = build(
        Lang::C,
        &c_source("sim_iocp_echo.c"),
        "sim_iocp_echo",
        STRICT,
        false,
    );
    let o = run(&exe);
    let out = String::from_utf8_lossy(&o.stdout);
    println!("{out}");
    assert!(out.contains("self-test passed: 16 clients"), "{out}");
    assert!(out.contains("passed on the simulated network"), "{out}");
}

/// Issue 12 at the boundary: the four address/route ioctls with Windows' layouts and buffer
/// rules, FD_ADDRESS_LIST_CHANGE and FD_ROUTING_INTERFACE_CHANGE with the seed page's codes,
/// in a network namespace the program creates for itself.
#[cfg(target_os = "linux")]
#[test]
fn change_events_c() {
    run_strict_c11("change_events");
}

/// Issue 8 at the boundary: stale SOCKET/WSAEVENT values never reach a newer object (8.4),
/// closesocket ends a call blocked in another thread (8.1), the last WSACleanup closes every
/// socket and keeps events (8.2).
#[test]
fn reliability_c() {
    run_strict_c11("reliability");
}

/// Bad input at the boundary: NULL out-pointers and short address lengths (WSAEFAULT),
/// closed SOCKETs (WSAENOTSOCK), closed events (WSA_INVALID_HANDLE / WSAEINVAL), recv with
/// len -1 or a NULL buffer (WSAEFAULT, FD_READ not re-enabled: rule 18).
#[test]
fn errors_c() {
    run_strict_c11("errors");
}

/// Issue 8, item 8: a socket function that succeeds sets the last error to 0, as on Windows
/// (Wine's Windows-run ws2_32 tests); event functions leave it alone.
#[test]
fn last_error_c() {
    run_strict_c11("last_error");
}

/// Issue 8, item 9: waits, sets, sends, closes and the last error work from a pthread key
/// destructor and a C++ `thread_local` destructor (after the library's own thread-local
/// values are gone), and no panic message is ever printed.
#[test]
fn thread_exit_paths_cxx() {
    let exe = build(
        Lang::Cxx,
        &c_source("thread_exit.cpp"),
        "thread_exit",
        &[STRICT, &["-std=c++17"]].concat(),
        false,
    );
    let o = run(&exe);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("Thread Local Storage"),
        "a panic message was printed:\n{}",
        show(&o)
    );
    println!("{}", String::from_utf8_lossy(&o.stdout));
}

/// Issue 8, item 10: `pthread_cancel` of threads blocked in `WSAWaitForMultipleEvents` and
/// in a blocking `recv` does not abort the process; the calls are not cancellation points,
/// and the library keeps working afterwards.
#[test]
fn cancel_c() {
    let exe = build(
        Lang::C,
        &c_source("cancel.c"),
        "cancel",
        &[STRICT, &["-std=gnu11"]].concat(),
        false,
    );
    let o = run(&exe);
    println!("{}", String::from_utf8_lossy(&o.stdout));
}

/// The C examples (`examples/c/`) build warning-free against the headers and run to
/// completion: the echo server's self-test (its own non-blocking clients in its event loop,
/// every echo checked), the overlapped echo server's (overlapped clients in its loop), and a
/// short ping-pong.
#[test]
fn examples_c_run() {
    let examples = repo().join("examples/c");
    let echo = build(
        Lang::C,
        &examples.join("echo_server.c"),
        "example_echo_server",
        STRICT,
        false,
    );
    let o = run_args(&echo, &["--selftest", "16"]);
    let out = String::from_utf8_lossy(&o.stdout);
    println!("{out}");
    assert!(out.contains("self-test passed: 16 clients"), "{out}");
    let overlapped = build(
        Lang::C,
        &examples.join("overlapped_echo.c"),
        "example_overlapped_echo",
        STRICT,
        false,
    );
    let o = run_args(&overlapped, &["--selftest", "16"]);
    let out = String::from_utf8_lossy(&o.stdout);
    println!("{out}");
    assert!(out.contains("self-test passed: 16 clients"), "{out}");
    let pingpong = build(
        Lang::C,
        &examples.join("pingpong.c"),
        "example_pingpong",
        STRICT,
        false,
    );
    for (file, name, passed) in [
        (
            "iocp_echo.c",
            "example_iocp_echo",
            "self-test passed: 16 clients",
        ),
        (
            "acceptex_server.c",
            "example_acceptex_server",
            "self-test passed: 16 clients",
        ),
    ] {
        let exe = build(Lang::C, &examples.join(file), name, STRICT, false);
        let o = run_args(&exe, &["--selftest", "16"]);
        let out = String::from_utf8_lossy(&o.stdout);
        println!("{out}");
        assert!(out.contains(passed), "{out}");
    }
    let o = run_args(&pingpong, &["500"]);
    let out = String::from_utf8_lossy(&o.stdout);
    println!("{out}");
    assert!(out.starts_with("pingpong: 500 round trips in "), "{out}");
}

/// The extended WSA calls and options (issue 9 §6), Windows' bind rules (§7), issue 8 item
/// 7: WSASocket, WSAConnect, WSAAccept with a condition function (CF_REJECT:
/// WSAECONNREFUSED and a reset), WSARecv/WSASend/WSARecvFrom/WSASendTo with WSABUF arrays,
/// WSAIoctl, SO_RCVTIMEO, a restart in TIME_WAIT, SO_REUSEADDR / SO_EXCLUSIVEADDRUSE. As C,
/// and as C++ (the same declarations through the inline wrappers).
#[test]
fn wsaext_c() {
    run_strict_c11("wsaext");
    let exe = build(
        Lang::Cxx,
        &c_source("wsaext.c"),
        "wsaext_cxx",
        STRICT,
        false,
    );
    run(&exe);
}

/// Overlapped I/O (issue 11): WSARecv/WSASend/WSARecvFrom/WSASendTo with an OVERLAPPED and
/// an event or a completion routine, WSAGetOverlappedResult / GetOverlappedResult, alertable
/// waits and QueueUserAPC, CancelIo / CancelIoEx / closesocket under a pending operation,
/// a pending receive and the event-select record (tests/c/overlapped.c cites its sources).
/// As C, and as C++.
#[test]
fn overlapped_c() {
    run_strict_c11("overlapped");
    let exe = build(
        Lang::Cxx,
        &c_source("overlapped.c"),
        "overlapped_cxx",
        STRICT,
        false,
    );
    run(&exe);
}

/// `struct tcp_keepalive` and `SIO_KEEPALIVE_VALS` come with `<mstcpip.h>`, not
/// `<winsock2.h>`, as on Windows: code that defines them when missing still builds (C and
/// C++, with and without `<mstcpip.h>`).
#[test]
fn keepalive_header_compat() {
    let pedantic: &[&str] = &["-Wall", "-Wextra", "-Wpedantic", "-Werror"];
    for (lang, tag) in [(Lang::C, "c"), (Lang::Cxx, "cxx")] {
        for with in [false, true] {
            let mut flags = pedantic.to_vec();
            if with {
                flags.push("-DWITH_MSTCPIP");
            }
            let name = format!("keepalive_own_{tag}_{with}.o");
            build(lang, &c_source("keepalive_own.c"), &name, &flags, true);
        }
    }
}

/// The extended WSA calls are exported under their Windows names.
#[test]
fn wsaext_exports() {
    let so = ["libwsaevents.so", "libwsaevents.dylib"]
        .iter()
        .map(|n| deps_dir().join(n))
        .find(|p| p.exists())
        .expect("the shared library");
    let args: &[&str] = if cfg!(target_os = "macos") {
        &["-gU"]
    } else {
        &["-D", "--defined-only"]
    };
    let Ok(o) = Command::new("nm").args(args).arg(&so).output() else {
        eprintln!("nm not available: skipped");
        return;
    };
    let text = String::from_utf8_lossy(&o.stdout);
    let exported: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .map(|s| s.trim_start_matches('_'))
        .collect();
    for name in [
        "WSASocketA",
        "WSASocketW",
        "WSARecv",
        "WSARecvFrom",
        "WSASend",
        "WSASendTo",
        "WSAAccept",
        "WSAConnect",
        "WSAIoctl",
        "WSAGetOverlappedResult",
        "GetOverlappedResult",
        "CancelIo",
        "CancelIoEx",
        "SleepEx",
        "QueueUserAPC",
        "GetCurrentThread",
        "WaitForSingleObjectEx",
    ] {
        assert!(exported.contains(&name), "{name} is not exported");
    }
}

/// Byte order, inet_addr, inet_pton, inet_ntop with Windows' tables.
#[test]
fn addresses_c() {
    let exe = build(
        Lang::C,
        &c_source("addresses.c"),
        "addresses",
        STRICT,
        false,
    );
    let o = run(&exe);
    println!("{}", String::from_utf8_lossy(&o.stdout));
}

/// The same program as C++: the inline wrappers (no macros) resolve to the library too.
#[test]
fn addresses_cxx() {
    let exe = build(
        Lang::Cxx,
        &c_source("addresses.c"),
        "addresses_cxx",
        STRICT,
        false,
    );
    run(&exe);
}

/// Issue 9, §3: the Win32 basics in the style of real Winsock programs: FormatMessage with
/// Windows' texts (and in a connect error path), _beginthreadex workers sharing a recursive
/// CRITICAL_SECTION, thread handles waited on, exit codes (STILL_ACTIVE, _endthreadex,
/// ExitThread), an echo server thread over loopback, Local/Global/Heap memory, the CRT's
/// *_s and legacy functions with Windows' results, MessageBox/OutputDebugString on stderr.
/// As C in a strict mode and as C++ (with the CRT's array overloads).
#[test]
fn win32_basics_c_and_cxx() {
    for (lang, name, mode) in [
        (Lang::C, "win32_basics", "-std=c11"),
        (Lang::Cxx, "win32_basics_cxx", "-std=c++17"),
    ] {
        let exe = build(
            lang,
            &c_source("win32_basics.c"),
            name,
            &[STRICT, &[mode]].concat(),
            false,
        );
        let o = run(&exe);
        let out = String::from_utf8_lossy(&o.stdout);
        let err = String::from_utf8_lossy(&o.stderr);
        println!("{out}");
        // The Winsock sample idiom: FormatMessage's text, "\r\n" included, after the code.
        assert!(
            out.contains("connect failed with error 10061: No connection could be made because the target machine actively refused it.\r\n"),
            "{out}"
        );
        assert!(err.contains("OutputDebugStringA reached stderr\n"), "{err}");
        assert!(err.contains("win32_basics: continue?\n"), "{err}");
        assert!(
            err.contains("Error: retry?\n"),
            "a NULL caption is \"Error\": {err}"
        );
    }
}

/// ExitProcess ends the process with its code after flushing stdio; a *_s function given
/// too small a buffer ends it through the invalid-parameter handler, as Windows' default;
/// so does a Ctrl+C that no console handler takes.
#[test]
fn win32_exit_paths() {
    let exe = build(
        Lang::C,
        &c_source("win32_basics.c"),
        "win32_basics_exit",
        STRICT,
        false,
    );
    let o = Command::new(&exe)
        .arg("exitprocess")
        .output()
        .expect("run win32_basics exitprocess");
    assert_eq!(o.status.code(), Some(3), "{}", show(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "before exit");
    let o = Command::new(&exe)
        .arg("badparam")
        .output()
        .expect("run win32_basics badparam");
    assert!(!o.status.success(), "{}", show(&o));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("not reached"));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("invalid parameter passed to strcpy_s"),
        "{}",
        show(&o)
    );
    // Ctrl+C that no handler takes: the default handler ends the process (here by SIGINT's
    // default action; Windows exits with STATUS_CONTROL_C_EXIT).
    let o = Command::new(&exe)
        .arg("ctrlc")
        .output()
        .expect("run win32_basics ctrlc");
    assert!(!o.status.success(), "{}", show(&o));
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(o.status.signal(), Some(2), "ended by SIGINT: {}", show(&o));
    }
    assert!(!String::from_utf8_lossy(&o.stdout).contains("not reached"));
}

/// Issue 9, §1: `<winsock2.h>` alone brings the C run-time, as Windows' does (printf,
/// malloc, exit, tolower, memcpy, va_list, wcslen, _stricmp, sprintf_s).
#[test]
fn only_winsock2_brings_the_crt() {
    for (lang, name) in [(Lang::C, "only_winsock2"), (Lang::Cxx, "only_winsock2_cxx")] {
        let exe = build(lang, &c_source("only_winsock2.c"), name, STRICT, false);
        let o = run(&exe);
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            "ok: the C run-time through <winsock2.h> alone\n"
        );
    }
}

/// `<conio.h>`: `_kbhit`, `_getch`, `_getche` with standard input from a file holding "xy".
#[test]
fn conio_keys_from_a_file() {
    let exe = build(
        Lang::C,
        &c_source("conio_keys.c"),
        "conio_keys",
        STRICT,
        false,
    );
    let input = out_dir().join("conio_keys.stdin");
    std::fs::write(&input, "xy").expect("write the input");
    let o = Command::new(&exe)
        .stdin(std::fs::File::open(&input).expect("open the input"))
        .output()
        .expect("run conio_keys");
    assert!(o.status.success(), "{}", show(&o));
    // 'y' echoed by _getche, then the report: a key waited, x and y read, none after, EOF.
    assert_eq!(String::from_utf8_lossy(&o.stdout), "y|1 xy 0 -1\n");
}

/// `<tchar.h>` and `_tmain`, ANSI and `_UNICODE` (arguments converted to wide strings).
#[test]
fn tchar_main_ansi_and_unicode() {
    for (name, flags) in [
        ("tchar_main", &[][..]),
        ("tchar_main_unicode", &["-DUNICODE", "-D_UNICODE"][..]),
    ] {
        let exe = build(
            Lang::C,
            &c_source("tchar_main.c"),
            name,
            &[STRICT, flags].concat(),
            false,
        );
        let o = run_args(&exe, &["tchar-arg", "na\u{ef}ve"]);
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            "ok: 3 arguments, datagram of 5 bytes\n"
        );
    }
}

/// Issue 9, §2: a portable program's Winsock branch, chosen with `-D_WIN32`, builds and runs
/// against the library in C and C++, with the C library's headers before or after; its POSIX
/// branch (no `-D_WIN32`) builds too. `#pragma comment(lib, ...)` stays (mingw warns too).
#[test]
fn portable_branch_with_d_win32() {
    for lang in [Lang::C, Lang::Cxx] {
        for (tag, flags, branch) in [
            ("win32", &["-D_WIN32"][..], "Winsock"),
            (
                "win32_libc_first",
                &["-D_WIN32", "-DLIBC_FIRST"][..],
                "Winsock",
            ),
            ("posix", &[][..], "POSIX"),
        ] {
            let name = format!(
                "portable_branch_{}_{tag}",
                match lang {
                    Lang::C => "c",
                    Lang::Cxx => "cxx",
                }
            );
            let exe = build(
                lang,
                &c_source("portable_branch.c"),
                &name,
                &[STRICT, &["-Wno-unknown-pragmas"], flags].concat(),
                false,
            );
            let o = run(&exe);
            assert_eq!(
                String::from_utf8_lossy(&o.stdout),
                format!("ok: {branch} branch\n")
            );
        }
    }
}

/// The compat headers (every header and several spellings) and the C library's, in both
/// orders, as C and C++ in the default and a strict mode, with and without `-D_WIN32`; the
/// layouts (B.4) and constants (B.3).
/// Name resolution with Windows' layouts and errors (getaddrinfo, getnameinfo, hostent,
/// servent, gethostname, inet_ntoa, InetPtonW/NtopW, WSAAddressToString,
/// WSAStringToAddress): Wine's Windows-run protocol.c values, no DNS.
#[test]
fn resolve_c() {
    let exe = build(
        Lang::C,
        &c_source("resolve.c"),
        "resolve",
        &[STRICT, &["-Wpedantic", "-std=c11"]].concat(),
        false,
    );
    let o = run(&exe);
    println!("{}", String::from_utf8_lossy(&o.stdout));
}

/// The same program with `-DUNICODE`: the TCHAR names (`GetAddrInfo`, `ADDRINFOT`,
/// `WSAAddressToString`, `InetPton`, `gai_strerror`) become the wide functions.
#[test]
fn resolve_c_unicode() {
    let exe = build(
        Lang::C,
        &c_source("resolve.c"),
        "resolve_unicode",
        &[STRICT, &["-Wpedantic", "-std=c11", "-DUNICODE"]].concat(),
        false,
    );
    run(&exe);
}

/// The same program as C++ (inline wrappers instead of macros).
#[test]
fn resolve_cxx() {
    let exe = build(
        Lang::Cxx,
        &c_source("resolve.c"),
        "resolve_cxx",
        &[STRICT, &["-Wpedantic"]].concat(),
        false,
    );
    run(&exe);
}

/// The host's own name resolves, as on Windows, even where the system cannot resolve it:
/// `tests/c/resolve.c --own-name` in new UTS and network namespaces (a host name in no
/// hosts file, no DNS). Needs `unshare` and the right to create namespaces (root): said
/// and skipped otherwise.
#[test]
fn resolve_own_name_without_a_resolver() {
    let probe = Command::new("unshare")
        .args(["--uts", "--net", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED: cannot create UTS and network namespaces here");
        return;
    }
    let exe = build(
        Lang::C,
        &c_source("resolve.c"),
        "resolve_own_name",
        STRICT,
        false,
    );
    let script = format!(
        "hostname wsaevents-unresolvable-name && exec '{}' --own-name",
        exe.display()
    );
    let o = Command::new("timeout")
        .args(["60", "unshare", "--uts", "--net", "sh", "-c", &script])
        .output()
        .expect("run unshare");
    assert!(o.status.success(), "own-name check failed:\n{}", show(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("host name: wsaevents-unresolvable-name"),
        "{out}"
    );
}

/// The executable's name for one build of an include-order matrix: the stem, the language,
/// the standard, which headers come first, and `suffix`.
fn matrix_name(
    stem: &str,
    lang: Lang,
    mode: Option<&str>,
    libc_first: bool,
    suffix: &str,
) -> String {
    format!(
        "{stem}_{}_{}_{}{suffix}",
        match lang {
            Lang::C => "c",
            Lang::Cxx => "cxx",
        },
        mode.unwrap_or("default").trim_start_matches("-std="),
        if libc_first {
            "libc_first"
        } else {
            "ours_first"
        },
    )
}

/// The compat headers and the C library's, in both orders, as C and C++ in the default and
/// a strict mode; the layouts (B.4) and constants (B.3).
#[test]
fn headers_order_matrix() {
    let pedantic: &[&str] = &["-Wall", "-Wextra", "-Wpedantic", "-Werror"];
    for (lang, mode) in [
        (Lang::C, None),
        (Lang::C, Some("-std=c11")),
        // Before C11 the static asserts fall back to a typedef (no stray ';'). The test
        // program needs C99 itself (long long).
        (Lang::C, Some("-std=c99")),
        (Lang::Cxx, None),
        (Lang::Cxx, Some("-std=c++17")),
    ] {
        for (libc_first, win32) in [(false, false), (true, false), (false, true), (true, true)] {
            let mut flags = pedantic.to_vec();
            flags.extend(mode);
            if libc_first {
                flags.push("-DLIBC_FIRST");
            }
            // A portable program's Winsock branch, selected with -D_WIN32 (issue 9, §2).
            if win32 {
                flags.push("-D_WIN32");
            }
            let suffix = if win32 { "_win32" } else { "" };
            let name = matrix_name("headers_order", lang, mode, libc_first, suffix);
            let exe = build(lang, &c_source("headers_order.c"), &name, &flags, false);
            run(&exe);
        }
    }
}

/// Each header of `scripts/header-spellings.txt` compiles on its own (self-contained), as C
/// and C++, with and without `-D_WIN32`, warning-free. (Its other spellings are byte-identical
/// copies: `tests/header_spellings.rs`.)
#[test]
fn every_header_alone() {
    let table = std::fs::read_to_string(repo().join("scripts/header-spellings.txt"))
        .expect("read scripts/header-spellings.txt");
    let headers: Vec<&str> = table
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(headers.len() >= 10, "{headers:?}");
    let pedantic: &[&str] = &["-Wall", "-Wextra", "-Wpedantic", "-Werror"];
    for h in headers {
        let src = out_dir().join(format!("alone_{}.c", h.replace('.', "_")));
        std::fs::write(
            &src,
            format!("#include <{h}>\nint main(void) {{ return 0; }}\n"),
        )
        .expect("write the test source");
        for lang in [Lang::C, Lang::Cxx] {
            for win32 in [false, true] {
                let mut flags = pedantic.to_vec();
                if win32 {
                    flags.push("-D_WIN32");
                }
                let name = format!(
                    "alone_{}_{}{}.o",
                    h.replace('.', "_"),
                    match lang {
                        Lang::C => "c",
                        Lang::Cxx => "cxx",
                    },
                    if win32 { "_win32" } else { "" }
                );
                build(lang, &src, &name, &flags, true);
            }
        }
    }
}

/// Builds `tests/c/<file>` as C (default mode, -std=c11, -std=c99) and C++ (default,
/// -std=c++11) with -Wall -Wextra -Wpedantic -Werror (the headers add no warning), and runs
/// each build.
fn build_and_run_all_modes(file: &str, stem: &str) {
    let pedantic: &[&str] = &["-Wall", "-Wextra", "-Wpedantic", "-Werror"];
    for (lang, mode) in [
        (Lang::C, None),
        (Lang::C, Some("-std=c11")),
        (Lang::C, Some("-std=c99")),
        (Lang::Cxx, None),
        (Lang::Cxx, Some("-std=c++11")),
    ] {
        let mut flags = pedantic.to_vec();
        flags.extend(mode);
        let name = format!(
            "{stem}_{}_{}",
            match lang {
                Lang::C => "c",
                Lang::Cxx => "cxx",
            },
            mode.unwrap_or("default").trim_start_matches("-std=")
        );
        let exe = build(lang, &c_source(file), &name, &flags, false);
        let o = run(&exe);
        println!("{name}: {}", String::from_utf8_lossy(&o.stdout));
    }
}

/// ioctlsocket's argument as a ULONG, DWORD, u_long (Windows' 32-bit type) or unsigned long
/// (64-bit here): FIONREAD and SIOCATMARK write exactly the variable (a canary after it
/// survives), FIONBIO reads exactly it (0 next to a non-zero neighbour makes the socket
/// blocking); C11 _Generic, the pre-C11 GNU builtins, and C++ overloads.
#[test]
fn ioctl_args_c_and_cxx() {
    build_and_run_all_modes("ioctl_args.c", "ioctl_args");
}

/// Winsock's select and WSAPoll over loopback, as C and C++ (Wine's Windows-run test_select
/// and test_WSAPoll; rule 47): a pending connection, data, the FIN, a completed and a failed
/// connect, urgent data in and out of line, WSAEINVAL / WSAENOTSOCK / WSAEFAULT, aliased
/// sets, NULL timeval and negative timeout blocking until ready, and the network-event
/// record left alone.
#[test]
fn select_and_poll_c_and_cxx() {
    build_and_run_all_modes("select.c", "select");
}

/// Winsock's fd_set, FD_* macros, timeval, WSAPOLLFD, POLL* and select with the C library's
/// select and poll headers before and after ours, as C (default, -std=c11, -std=c99) and
/// C++ (default, -std=c++11): always Winsock's; and FD_SETSIZE defined by the program
/// (before everything, or right before winsock2.h after the C library's headers in a strict
/// mode) is honoured.
#[test]
fn select_headers_both_orders() {
    let pedantic: &[&str] = &["-Wall", "-Wextra", "-Wpedantic", "-Werror"];
    let mut builds: Vec<(Lang, Option<&str>, bool, Option<&str>)> = Vec::new();
    for (lang, mode) in [
        (Lang::C, None),
        (Lang::C, Some("-std=c11")),
        (Lang::C, Some("-std=c99")),
        (Lang::Cxx, None),
        (Lang::Cxx, Some("-std=c++11")),
    ] {
        for libc_first in [false, true] {
            builds.push((lang, mode, libc_first, None));
        }
    }
    // FD_SETSIZE of the program's own.
    builds.push((Lang::C, None, false, Some("-DTEST_SETSIZE=200")));
    builds.push((Lang::Cxx, None, false, Some("-DTEST_SETSIZE=200")));
    builds.push((Lang::C, Some("-std=c11"), true, Some("-DTEST_SETSIZE=300")));
    builds.push((Lang::C, Some("-std=c99"), false, Some("-DTEST_SETSIZE=16")));
    for (lang, mode, libc_first, setsize) in builds {
        let mut flags = pedantic.to_vec();
        flags.extend(mode);
        flags.extend(setsize);
        if libc_first {
            flags.push("-DLIBC_FIRST");
        }
        let suffix = setsize.map_or(String::new(), |s| {
            format!("_{}", s.trim_start_matches("-DTEST_SETSIZE="))
        });
        let name = matrix_name("select_headers", lang, mode, libc_first, &suffix);
        let exe = build(lang, &c_source("select_headers.c"), &name, &flags, false);
        run(&exe);
    }
}

/// C++: a select call that only the C library's select could take (all three sets NULL:
/// WSAEINVAL on Windows) does not compile, in either include order: never glibc's select
/// by accident. The same source with a typed set compiles (the snippet itself is sound).
#[test]
fn cxx_select_never_binds_to_the_c_library() {
    for libc_first in [false, true] {
        for (body, ok) in [
            (
                "timeval tv = {0, 0}; return select(0, NULL, NULL, NULL, &tv);",
                false,
            ),
            ("return select(0, NULL, NULL, NULL, NULL);", false),
            (
                "timeval tv = {0, 0}; fd_set r; FD_ZERO(&r); return select(0, &r, NULL, NULL, &tv);",
                true,
            ),
            (
                "const timeval tv = {0, 0}; return select(0, NULL, NULL, NULL, &tv);",
                true,
            ),
        ] {
            let src = format!(
                "{}#include <winsock2.h>\n{}int main() {{ {body} }}\n",
                if libc_first {
                    "#include <sys/select.h>\n#include <stdlib.h>\n"
                } else {
                    ""
                },
                if libc_first {
                    ""
                } else {
                    "#include <sys/select.h>\n#include <stdlib.h>\n"
                },
            );
            let path = out_dir().join("cxx_select_snippet.cpp");
            std::fs::write(&path, &src).unwrap();
            let o = Command::new(compiler(Lang::Cxx))
                .args([
                    "-x",
                    "c++",
                    "-Wall",
                    "-Wextra",
                    "-Werror",
                    "-fsyntax-only",
                    "-I",
                ])
                .arg(repo().join("include"))
                .arg(&path)
                .output()
                .expect("run the C++ compiler");
            assert_eq!(o.status.success(), ok, "{src}\n{}", show(&o));
            if !ok {
                let err = String::from_utf8_lossy(&o.stderr);
                assert!(err.contains("ambiguous"), "{src}\n{err}");
            }
        }
    }
}

/// Every header, several spellings, in C89 and C++98 with -Wpedantic -Werror: the headers
/// add no warning in the oldest modes either (and the program links and runs).
#[test]
fn headers_in_c89_and_cxx98() {
    let pedantic: &[&str] = &["-Wall", "-Wextra", "-Wpedantic", "-Werror"];
    for (lang, name, mode) in [
        (Lang::C, "headers_c89", "-std=c89"),
        (Lang::Cxx, "headers_cxx98", "-std=c++98"),
    ] {
        let exe = build(
            lang,
            &c_source("headers_c89.c"),
            name,
            &[pedantic, &[mode]].concat(),
            false,
        );
        assert_eq!(String::from_utf8_lossy(&run(&exe).stdout), "1 1\n");
    }
}

/// The seed (Microsoft's WSAEnumNetworkEvents example) compiles unchanged as C++: with no
/// flags, and with -Wall -Wextra -Werror apart from the `#pragma comment` warning, which
/// gcc gives for it on Windows (mingw) too.
#[test]
fn seed_example_compiles_unchanged() {
    let copy = c_source("seed_example.cpp");
    let shared = repo().join("../shared/seed/example.cpp");
    if let (Ok(a), Ok(b)) = (std::fs::read(&copy), std::fs::read(&shared)) {
        assert_eq!(
            a, b,
            "tests/c/seed_example.cpp must stay a verbatim copy of the seed"
        );
    }
    build(Lang::Cxx, &copy, "seed_plain.o", &[], true);
    build(
        Lang::Cxx,
        &copy,
        "seed_strict.o",
        &[STRICT, &["-Wno-unknown-pragmas"]].concat(),
        true,
    );
}

/// The seed, built unchanged and linked, behaves as on Windows: it listens on port 27015,
/// and returns 0 once it has enumerated the first network event, a connection arriving.
///
/// What is guaranteed, and all this test asserts: once the seed listens, a connection
/// reaches it, and the seed then exits with 0. The seed exits as soon as it has enumerated
/// `FD_ACCEPT`, without accepting, so its exit resets the queued connection, and that reset
/// can reach this side before `connect` has reported success: `connect` then fails with
/// "connection reset", which proves the connection reached the seed just as well (issue 8,
/// item 11: asserting a successful `connect` made this test fail about one run in five).
/// Only "refused" (not listening yet) and a timeout (SYN dropped under load) are retried.
#[test]
fn seed_example_runs() {
    use std::io::ErrorKind;
    let exe = build(Lang::Cxx, &c_source("seed_example.cpp"), "seed", &[], false);
    let mut child = Command::new(&exe)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the seed");
    // Connect as soon as it listens: a refused attempt returns at once, so retry (without
    // sleeping) until the deadline.
    let addr = SocketAddr::from(([127, 0, 0, 1], 27015));
    let deadline = Instant::now() + RUN_LIMIT;
    let conn = loop {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
            Ok(c) => break Some(c),
            Err(e) if matches!(e.kind(), ErrorKind::ConnectionRefused | ErrorKind::TimedOut) => {
                if Instant::now() >= deadline || child.try_wait().ok().flatten().is_some() {
                    let _ = child.kill();
                    let o = child.wait_with_output().expect("seed output");
                    panic!("could not connect to the seed: {e}\n{}", show(&o));
                }
                std::thread::yield_now();
            }
            // Reset (or a hang-up without an error left): the connection reached the seed,
            // which has exited; its exit status decides below.
            Err(_) => break None,
        }
    };
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let o = match rx.recv_timeout(RUN_LIMIT) {
        Ok(o) => o.expect("wait for the seed"),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("the seed did not return after the connection");
        }
    };
    drop(conn);
    assert!(
        o.status.success(),
        "the seed failed ({}):\n{}",
        o.status,
        show(&o)
    );
}

/// The shared library exports every function of the headers, under the header's names,
/// and none of the C library's socket names (so it never interposes libc). Needs `nm`.
#[test]
fn exports_never_interpose_libc() {
    let so = ["libwsaevents.so", "libwsaevents.dylib"]
        .iter()
        .map(|n| deps_dir().join(n))
        .find(|p| p.exists());
    let Some(so) = so else {
        panic!("no shared library in {}", deps_dir().display());
    };
    let args: &[&str] = if cfg!(target_os = "macos") {
        &["-gU"]
    } else {
        &["-D", "--defined-only"]
    };
    let Ok(o) = Command::new("nm").args(args).arg(&so).output() else {
        eprintln!("nm not available: skipped");
        return;
    };
    assert!(o.status.success(), "nm failed:\n{}", show(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    let exported: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .map(|s| s.trim_start_matches('_'))
        .collect();
    for posix in [
        "socket",
        "bind",
        "listen",
        "accept",
        "connect",
        "recv",
        "send",
        "recvfrom",
        "sendto",
        "shutdown",
        "getsockopt",
        "setsockopt",
        "getsockname",
        "getpeername",
        "htons",
        "htonl",
        "ntohs",
        "ntohl",
        "inet_addr",
        "inet_pton",
        "inet_ntop",
        "select",
        "__WSAFDIsSet",
        "getaddrinfo",
        "freeaddrinfo",
        "getnameinfo",
        "gethostbyname",
        "gethostbyaddr",
        "gethostname",
        "getservbyname",
        "getservbyport",
        "getprotobyname",
        "getprotobynumber",
        "inet_ntoa",
    ] {
        assert!(!exported.contains(&posix), "{posix} would interpose libc");
        let ours = format!("wsaevents_{posix}");
        assert!(exported.contains(&ours.as_str()), "{ours} is not exported");
    }
    // The CRT names and Interlocked* are static inline in the headers: never exported, so
    // never in conflict with a C library that has them (C11 Annex K's localtime_s, ...).
    for inline in [
        "localtime_s",
        "gmtime_s",
        "sprintf_s",
        "strcpy_s",
        "strncpy_s",
        "strcat_s",
        "_snprintf",
        "_stricmp",
        "strtok_s",
        "fopen_s",
        "InterlockedIncrement",
        "ExitThread",
        "_endthreadex",
        "getpid",
        "strcasecmp",
    ] {
        let bare = inline.trim_start_matches('_');
        assert!(!exported.contains(&bare), "{inline} must not be exported");
    }
    for name in [
        "WSAStartup",
        "WSACleanup",
        "WSAGetLastError",
        "WSASetLastError",
        "WSACreateEvent",
        "WSACloseEvent",
        "WSASetEvent",
        "WSAResetEvent",
        "WSAWaitForMultipleEvents",
        "WSAEventSelect",
        "WSAEnumNetworkEvents",
        "closesocket",
        "ioctlsocket",
        "wsaevents_ioctlsocket_ul",
        "WSAPoll",
        "CreateEventA",
        "CreateEventW",
        "SetEvent",
        "ResetEvent",
        "CloseHandle",
        "WaitForSingleObject",
        "WaitForMultipleObjects",
        "WaitForMultipleObjectsEx",
        "GetLastError",
        "SetLastError",
        "Sleep",
        "GetTickCount",
        "GetTickCount64",
        "QueryPerformanceCounter",
        "QueryPerformanceFrequency",
        "FormatMessageA",
        "FormatMessageW",
        "LocalAlloc",
        "LocalFree",
        "GlobalAlloc",
        "GlobalFree",
        "GetProcessHeap",
        "HeapAlloc",
        "HeapReAlloc",
        "HeapFree",
        "InitializeCriticalSection",
        "InitializeCriticalSectionAndSpinCount",
        "EnterCriticalSection",
        "TryEnterCriticalSection",
        "LeaveCriticalSection",
        "DeleteCriticalSection",
        "CreateThread",
        "ResumeThread",
        "GetExitCodeThread",
        "GetCurrentThreadId",
        "_beginthreadex",
        "_beginthread",
        "MessageBoxA",
        "MessageBoxW",
        "OutputDebugStringA",
        "OutputDebugStringW",
        "ExitProcess",
        "SetConsoleCtrlHandler",
        "GenerateConsoleCtrlEvent",
        "GetLocalTime",
        "GetSystemTime",
        "_kbhit",
        "_getch",
        "GetAddrInfoW",
        "FreeAddrInfoW",
        "GetNameInfoW",
        "gai_strerrorA",
        "gai_strerrorW",
        "GetHostNameW",
        "InetPtonW",
        "InetNtopW",
        "WSAAddressToStringA",
        "WSAAddressToStringW",
        "WSAStringToAddressA",
        "WSAStringToAddressW",
    ] {
        // (`exported` has leading underscores trimmed: compare likewise.)
        let bare = name.trim_start_matches('_');
        assert!(exported.contains(&bare), "{name} is not exported");
    }
}
