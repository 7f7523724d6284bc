//! The seed program (Microsoft's `WSAEnumNetworkEvents` example) ported line by line to
//! Rust with `wsaevents::winsock`, grown into a small echo server that starts its own
//! clients on loopback, so it runs to the end by itself.
//!
//! One thread, one event per socket, `WSAWaitForMultipleEvents` over all of them,
//! `WSAEnumNetworkEvents` on the signalled one — the classic Winsock event loop. Every
//! enumeration is printed with its error codes.
//!
//! Run: `cargo run --example event_select_server`
#![allow(non_snake_case)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use wsaevents::winsock::*;

const CLIENTS: usize = 3;
const MESSAGES: usize = 3;

fn names(events: i32) -> String {
    let all = [
        (FD_READ, "FD_READ"),
        (FD_WRITE, "FD_WRITE"),
        (FD_OOB, "FD_OOB"),
        (FD_ACCEPT, "FD_ACCEPT"),
        (FD_CONNECT, "FD_CONNECT"),
        (FD_CLOSE, "FD_CLOSE"),
    ];
    let v: Vec<&str> = all
        .iter()
        .filter(|(b, _)| events & b != 0)
        .map(|(_, n)| *n)
        .collect();
    if v.is_empty() {
        "(none)".into()
    } else {
        v.join("|")
    }
}

fn print_events(label: &str, ne: &WSANETWORKEVENTS) {
    let mut errs = String::new();
    for bit in 0..FD_MAX_EVENTS {
        if ne.lNetworkEvents & (1 << bit) != 0 && ne.iErrorCode[bit] != 0 {
            let e = Error::from_code(ne.iErrorCode[bit]);
            errs.push_str(&format!(" [{}: {}]", names(1 << bit), e));
        }
    }
    println!("{label}: {}{}", names(ne.lNetworkEvents), errs);
}

/// A client on loopback: connects, sends MESSAGES lines, reads each echo, closes.
fn client(addr: SocketAddr, id: usize) -> std::io::Result<()> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    for m in 0..MESSAGES {
        let msg = format!("client {id} message {m}\n");
        s.write_all(msg.as_bytes())?;
        let mut got = vec![0u8; msg.len()];
        s.read_exact(&mut got)?;
        assert_eq!(got, msg.as_bytes(), "echo mismatch");
    }
    Ok(())
}

fn main() -> ExitCode {
    // Initialize Winsock
    let mut wsaData = WSADATA::default();
    let iResult = WSAStartup(MAKEWORD(2, 2), &mut wsaData);
    if iResult != 0 {
        println!("WSAStartup failed with error: {iResult}");
        return ExitCode::FAILURE;
    }

    // Create a listening socket
    let ListenSocket = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if ListenSocket == INVALID_SOCKET {
        println!("socket function failed with error: {}", WSAGetLastError());
        return ExitCode::FAILURE;
    }
    // The seed binds INADDR_ANY:27015; the demo uses loopback and a free port.
    let InetAddr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    if bind(ListenSocket, &InetAddr) != 0 {
        println!("bind failed with error: {}", WSAGetLastError());
        return ExitCode::FAILURE;
    }

    // Create a new event
    let NewEvent = WSACreateEvent();
    if NewEvent == WSA_INVALID_EVENT {
        println!("WSACreateEvent failed with error: {}", WSAGetLastError());
        return ExitCode::FAILURE;
    }

    // Associate event types FD_ACCEPT and FD_CLOSE with the listening socket and NewEvent
    if WSAEventSelect(ListenSocket, NewEvent, FD_ACCEPT | FD_CLOSE) != 0 {
        println!("WSAEventSelect failed with error: {}", WSAGetLastError());
        return ExitCode::FAILURE;
    }

    // Start listening on the socket
    if listen(ListenSocket, 10) != 0 {
        println!("listen failed with error: {}", WSAGetLastError());
        return ExitCode::FAILURE;
    }
    let mut addr: SocketAddr = InetAddr;
    getsockname(ListenSocket, &mut addr);
    println!("listening on {addr}");

    // Add the socket and event to the arrays
    let mut SocketArray: Vec<SOCKET> = vec![ListenSocket];
    let mut EventArray: Vec<WSAEVENT> = vec![NewEvent];

    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| thread::spawn(move || client(addr, id)))
        .collect();

    let mut closed = 0;
    let mut echoed = 0usize;
    while closed < CLIENTS {
        // Wait for network events on all sockets
        let Index = WSAWaitForMultipleEvents(&EventArray, FALSE, 10_000, FALSE);
        if Index == WSA_WAIT_FAILED || Index == WSA_WAIT_TIMEOUT {
            println!(
                "WSAWaitForMultipleEvents: {Index:#x}, error {}",
                WSAGetLastError()
            );
            return ExitCode::FAILURE;
        }
        let first = (Index - WSA_WAIT_EVENT_0) as usize;

        // Iterate through all events from the signalled one and enumerate those signalled
        let mut i = first;
        while i < EventArray.len() {
            let r = WSAWaitForMultipleEvents(&EventArray[i..=i], TRUE, 0, FALSE);
            if r == WSA_WAIT_FAILED || r == WSA_WAIT_TIMEOUT {
                i += 1;
                continue;
            }
            let s = SocketArray[i];
            let mut NetworkEvents = WSANETWORKEVENTS::default();
            if WSAEnumNetworkEvents(s, EventArray[i], &mut NetworkEvents) != 0 {
                println!(
                    "WSAEnumNetworkEvents failed with error: {}",
                    WSAGetLastError()
                );
                return ExitCode::FAILURE;
            }
            let label = if s == ListenSocket {
                "listener".to_string()
            } else {
                format!("socket {s:#x}")
            };
            print_events(&label, &NetworkEvents);

            if NetworkEvents.lNetworkEvents & FD_ACCEPT != 0 {
                let c = accept(s, None);
                if c == INVALID_SOCKET {
                    println!("accept failed with error: {}", WSAGetLastError());
                    return ExitCode::FAILURE;
                }
                let ev = WSACreateEvent();
                WSAEventSelect(c, ev, FD_READ | FD_WRITE | FD_CLOSE);
                SocketArray.push(c);
                EventArray.push(ev);
            }
            if NetworkEvents.lNetworkEvents & FD_READ != 0 {
                let mut buf = [0u8; 512];
                let n = recv(s, &mut buf, 0);
                if n > 0 {
                    let sent = send(s, &buf[..n as usize], 0);
                    assert_eq!(sent, n, "a small echo fits the send buffer");
                    echoed += n as usize;
                } else if n == SOCKET_ERROR && WSAGetLastError() != WSAEWOULDBLOCK {
                    println!("recv failed with error: {}", WSAGetLastError());
                }
            }
            if NetworkEvents.lNetworkEvents & FD_CLOSE != 0 {
                // Drain what the FIN left behind, then close.
                let mut buf = [0u8; 512];
                loop {
                    let n = recv(s, &mut buf, 0);
                    if n <= 0 {
                        break;
                    }
                    send(s, &buf[..n as usize], 0);
                    echoed += n as usize;
                }
                closesocket(s);
                WSACloseEvent(EventArray[i]);
                SocketArray.remove(i);
                EventArray.remove(i);
                closed += 1;
                continue;
            }
            i += 1;
        }
    }

    for c in clients {
        if let Err(e) = c.join().expect("client thread") {
            println!("client failed: {e}");
            return ExitCode::FAILURE;
        }
    }
    println!("{CLIENTS} clients served, {echoed} bytes echoed");
    closesocket(ListenSocket);
    WSACloseEvent(NewEvent);
    WSACleanup();
    ExitCode::SUCCESS
}
