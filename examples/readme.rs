use std::time::Duration;
use wsaevents::{Event, NetworkEvents as Fd, Socket, WaitOutcome, wait_any};

fn main() -> Result<(), wsaevents::Error> {
    let listener = Socket::tcp_v4()?;
    listener.bind("127.0.0.1:0".parse().unwrap())?;
    listener.listen(16)?;
    let ev = Event::new_manual(false); // WSACreateEvent
    listener.event_select(&ev, Fd::ACCEPT | Fd::CLOSE)?; // WSAEventSelect

    let client = Socket::tcp_v4()?;
    client.connect(listener.local_addr()?)?; // blocking, as on Windows

    // WSAWaitForMultipleEvents
    match wait_any(&[&ev], Some(Duration::from_secs(5)))? {
        WaitOutcome::Signaled(0) => {
            let rec = listener.enum_network_events(Some(&ev))?; // WSAEnumNetworkEvents
            assert_eq!(rec.events(), Fd::ACCEPT);
            let (_conn, _peer) = listener.accept()?;
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}
