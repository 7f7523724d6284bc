use std::net::SocketAddr;

use crate::capi::addr::{AF_INET, AF_INET6};
use crate::error::{WSAEAFNOSUPPORT, WSAEINVAL, WSAESOCKTNOSUPPORT};

use super::*;

#[test]
fn layouts_are_windows() {
    // ws2def.h: ai_addrlen (size_t) at 16, ai_canonname at 24, ai_addr at 32 on Win64.
    assert_eq!(std::mem::offset_of!(ADDRINFOA, ai_addrlen), 16);
    assert_eq!(std::mem::offset_of!(ADDRINFOA, ai_canonname), 24);
    assert_eq!(std::mem::offset_of!(ADDRINFOA, ai_addr), 32);
    assert_eq!(std::mem::offset_of!(ADDRINFOA, ai_next), 40);
    assert_eq!(size_of::<ADDRINFOA>(), 48);
    assert_eq!(size_of::<ADDRINFOW>(), 48);
    // winsock2.h: hostent's shorts, servent's _WIN64 order.
    assert_eq!(std::mem::offset_of!(HOSTENT, h_addrtype), 16);
    assert_eq!(std::mem::offset_of!(HOSTENT, h_length), 18);
    assert_eq!(std::mem::offset_of!(HOSTENT, h_addr_list), 24);
    assert_eq!(std::mem::offset_of!(SERVENT, s_proto), 16);
    assert_eq!(std::mem::offset_of!(SERVENT, s_port), 24);
    assert_eq!(size_of::<SERVENT>(), 32);
}

/// Wine's Windows-run hint table (`hinttests`) and ReactOS' hint checks.
#[test]
fn hints_are_checked_as_windows() {
    let h = |flags, family, socktype, protocol| Hints {
        flags,
        family,
        socktype,
        protocol,
    };
    assert_eq!(check_hints(&h(0, 0, 1, 6), true), Ok(()));
    assert_eq!(check_hints(&h(0, 2, 2, 999), true), Ok(()));
    assert_eq!(check_hints(&h(0, 0, 1, 17), true), Ok(()));
    assert_eq!(check_hints(&h(0, 0, 999, 6), true), Err(WSAESOCKTNOSUPPORT));
    assert_eq!(check_hints(&h(0, 1, 0, 0), true), Err(WSAEAFNOSUPPORT));
    assert_eq!(check_hints(&h(0, 999, 0, 0), true), Err(WSAEAFNOSUPPORT));
    assert_eq!(
        check_hints(&h(AI_CANONNAME, 0, 0, 0), false),
        Err(WSAEINVAL)
    );
    assert_eq!(check_hints(&h(AI_CANONNAME, 0, 0, 0), true), Ok(()));
}

#[test]
fn resolve_numeric_and_errors() {
    let none = Hints::default();
    assert_eq!(resolve(None, None, &none), Err(WSAHOST_NOT_FOUND));
    let r = resolve(Some("127.0.0.1"), Some("80"), &none).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].addr, "127.0.0.1:80".parse().unwrap());
    assert_eq!((r[0].family, r[0].socktype, r[0].protocol), (AF_INET, 0, 0));
    let tcp = Hints {
        socktype: SOCK_STREAM,
        protocol: IPPROTO_TCP,
        ..none
    };
    let r = resolve(Some("::1"), None, &tcp).unwrap();
    assert_eq!(
        (r[0].family, r[0].socktype, r[0].protocol),
        (AF_INET6, 1, 6)
    );
    // Brackets (Windows-run test_getaddrinfo), the port after them ignored.
    let r = resolve(Some("[beef::cafe]:10239"), None, &none).unwrap();
    assert_eq!(r[0].addr, "[beef::cafe]:0".parse().unwrap());
    let numeric = Hints {
        flags: AI_NUMERICHOST,
        ..none
    };
    assert_eq!(
        resolve(Some("[beef::cafe"), None, &numeric),
        Err(WSAHOST_NOT_FOUND)
    );
    assert_eq!(
        resolve(Some("beef::cafe]"), None, &numeric),
        Err(WSAHOST_NOT_FOUND)
    );
    assert_eq!(
        resolve(Some("localhost"), Some("80"), &numeric),
        Err(WSAHOST_NOT_FOUND)
    );
    assert_eq!(
        resolve(Some("192.168.1.253:1024"), None, &numeric),
        Err(WSAHOST_NOT_FOUND)
    );
    let v4 = Hints {
        flags: AI_NUMERICHOST,
        family: AF_INET,
        ..none
    };
    assert_eq!(
        resolve(Some("[beef::cafe]"), None, &v4),
        Err(WSAHOST_NOT_FOUND)
    );
    assert_eq!(
        resolve(None, Some("nonexistentservice"), &none),
        Err(WSATYPE_NOT_FOUND)
    );
    assert_eq!(resolve(None, Some("65536"), &none), Err(WSATYPE_NOT_FOUND));
    let numserv = Hints {
        flags: AI_NUMERICSERV,
        ..none
    };
    assert_eq!(
        resolve(Some("127.0.0.1"), Some("http"), &numserv),
        Err(WSAHOST_NOT_FOUND)
    );
}

/// A numeric scoped IPv6 address keeps its scope (sin6_scope_id).
#[test]
fn resolve_keeps_the_ipv6_scope() {
    let h = Hints {
        flags: AI_NUMERICHOST,
        ..Hints::default()
    };
    let r = resolve(Some("fe80::1%1"), Some("80"), &h).unwrap();
    assert_eq!(r[0].addr, "[fe80::1%1]:80".parse().unwrap());
}

#[test]
fn resolve_null_node_passive_and_loopback() {
    let passive = Hints {
        flags: AI_PASSIVE,
        family: AF_INET,
        ..Hints::default()
    };
    let r = resolve(None, Some("27015"), &passive).unwrap();
    assert_eq!(r[0].addr, "0.0.0.0:27015".parse().unwrap());
    let active = Hints {
        family: AF_INET6,
        ..Hints::default()
    };
    let r = resolve(None, Some("0"), &active).unwrap();
    assert_eq!(r[0].addr, "[::1]:0".parse().unwrap());
    // "" service is port 0, like "0" (Windows-run test_getaddrinfo).
    assert_eq!(
        resolve(None, Some(""), &active),
        resolve(None, Some("0"), &active)
    );
}

/// "" and "..localmachine" are the local host: the same addresses.
#[test]
fn empty_node_is_the_local_host() {
    let h = Hints::default();
    let empty = resolve(Some(""), None, &h).unwrap();
    assert!(!empty.is_empty());
    assert_eq!(resolve(Some("..localmachine"), None, &h), Ok(empty));
}

#[test]
fn canonical_name_on_the_first_entry_only() {
    let h = Hints {
        flags: AI_CANONNAME,
        ..Hints::default()
    };
    let r = resolve(Some("127.0.0.1"), None, &h).unwrap();
    assert_eq!(r[0].canonname.as_deref(), Some("127.0.0.1"));
    assert!(r.iter().skip(1).all(|e| e.canonname.is_none()));
    let r = resolve(Some("127.0.0.1"), None, &Hints::default()).unwrap();
    assert_eq!(r[0].canonname, None);
}

#[test]
fn name_info_rules() {
    let a: SocketAddr = "127.0.0.1:80".parse().unwrap();
    let n = NI_NUMERICHOST | NI_NUMERICSERV;
    assert_eq!(
        name_info(&a, n, true, true),
        Ok((Some("127.0.0.1".into()), Some("80".into())))
    );
    assert_eq!(name_info(&a, n, false, false), Err(WSAHOST_NOT_FOUND));
    assert_eq!(
        name_info(&a, NI_NUMERICHOST | NI_NAMEREQD, true, false),
        Err(WSAEINVAL)
    );
    let b: SocketAddr = "[fe80::1%4]:0".parse().unwrap();
    assert_eq!(
        name_info(&b, n, true, false),
        Ok((Some("fe80::1%4".into()), None))
    );
    // An unknown port's service is its number (RFC 3493 §6.2, Windows Vista and later).
    let c: SocketAddr = "127.0.0.1:1".parse().unwrap();
    let (_, serv) = name_info(&c, NI_NUMERICHOST | NI_DGRAM, false, true).unwrap();
    assert!(
        serv.unwrap()
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
    );
}

/// Wine's Windows-run test_WSAAddressToString table.
#[test]
fn address_strings() {
    for (a, s) in [
        ("0.0.0.0:0", "0.0.0.0"),
        ("255.255.255.255:0", "255.255.255.255"),
        ("0.0.0.0:65535", "0.0.0.0:65535"),
        ("255.255.255.255:65535", "255.255.255.255:65535"),
        ("[::1]:0", "::1"),
        ("[20ab::1]:0", "20ab::1"),
        ("[20ab::2001]:33274", "[20ab::2001]:33274"),
        ("[20ab::2001%4660]:33274", "[20ab::2001%4660]:33274"),
        ("[20ab::2001%4660]:0", "20ab::2001%4660"),
    ] {
        assert_eq!(address_to_string(&a.parse().unwrap()), s, "{a}");
    }
}

/// Wine's Windows-run test_WSAStringToAddress, IPv4: (input, address, port) or error.
#[test]
fn string_to_ipv4_table() {
    let ok = [
        ("1.1.1.1", 0x01010101u32, 0u16),
        ("0.0.0.0", 0, 0),
        ("127.127.127.127:123", 0x7f7f7f7f, 123),
        ("127.127.127.127:65535", 0x7f7f7f7f, 65535),
        ("127.127.127.127:0xAbCd", 0x7f7f7f7f, 43981),
        ("127.127.127.127:0XaBcD", 0x7f7f7f7f, 43981),
        ("127.127.127.127:010", 0x7f7f7f7f, 8),
        ("127.127.127.127:007", 0x7f7f7f7f, 7),
        ("255.255.255.255:123", 0xffffffff, 123),
        ("1.1.1.0xaA", 0x010101aa, 0),
        ("1.1.1.0xff", 0x010101ff, 0),
        ("1.1.1.010", 0x01010108, 0),
        ("1.1.1.00", 0x01010100, 0),
        ("1.1.1.007", 0x01010107, 0),
        ("1", 1, 0),
        ("1:1", 1, 1),
        ("1.2", 0x01000002, 0),
        ("1.2:1", 0x01000002, 1),
        ("1.2.3", 0x01020003, 0),
        ("1.2.3:1", 0x01020003, 1),
        ("203569230", 0x0c22384e, 0),
        ("203569230:123", 0x0c22384e, 123),
        ("1.223756", 0x01036a0c, 0),
        ("3.4.756", 0x030402f4, 0),
        ("0x00010203", 0x00010203, 0),
        ("0X00010203", 0x00010203, 0),
        ("0x00010203:10", 0x00010203, 10),
        ("0x1234", 0x1234, 0),
        ("0x123456789", 0x23456789, 0),
        ("017700000001", 0x7f000001, 0),
        ("0777", 0x1ff, 0),
        ("0777:10", 0x1ff, 10),
    ];
    for (s, a, p) in ok {
        let got = string_to_ipv4(s.as_bytes()).unwrap_or_else(|_| panic!("{s:?}"));
        assert_eq!((u32::from(*got.ip()), got.port()), (a, p), "{s:?}");
    }
    // Errors, with the address Windows leaves behind when one parsed first.
    let bad: &[(&str, Option<u32>)] = &[
        ("", None),
        (" ", None),
        ("127.127.127.127:", Some(0x7f7f7f7f)),
        ("127.127.127.127:0", Some(0x7f7f7f7f)),
        ("127.127.127.127:65537", Some(0x7f7f7f7f)),
        ("127.127.127.127::1", Some(0x7f7f7f7f)),
        ("127.127.127.127:0x", Some(0x7f7f7f7f)),
        ("127.127.127.127:0x10000", Some(0x7f7f7f7f)),
        ("127.127.127.127:08", Some(0x7f7f7f7f)),
        ("127.127.127.127:008", Some(0x7f7f7f7f)),
        ("127.127.127.127:0a", Some(0x7f7f7f7f)),
        ("127.127.127.127:0o10", Some(0x7f7f7f7f)),
        ("127.127.127.127:0b10", Some(0x7f7f7f7f)),
        ("255.255.255.256", None),
        ("a", None),
        ("1.1.1.0x", None),
        ("1.1.1.0x100", None),
        ("1.1.1.08", None),
        ("1.1.1.0a", Some(0x01010100)),
        ("1.1.1.0o10", Some(0x01010100)),
        ("1.1.1.0b10", Some(0x01010100)),
        ("1.1.1.-2", None),
        ("-1", None),
        ("1000.2000", None),
        ("1.2.", None),
        ("1..2", None),
        ("1...2", None),
        ("1.2.3.", None),
        ("2001::1", Some(0x7d1)),
        ("756.3.4", None),
        ("3.756.4", None),
        ("3.4.756.1", None),
        ("3.4.65536", None),
        ("3.4.5.6.7", None),
        ("3.4.5.+6", None),
        (" 3.4.5.6", None),
        ("\t3.4.5.6", None),
        ("3.4.5.6 ", Some(0x03040506)),
        ("3.4.5.6:7 ", Some(0x03040506)),
        ("3.4.5.6: 7", Some(0x03040506)),
        ("3. 4.5.6", None),
        (".", None),
        ("[0.1.2.3]", None),
        ("0x00010Q03", Some(0x10)),
        ("x00010203", None),
        ("1234BEEF", Some(0x4d2)),
        ("::1", None),
        (":1", None),
    ];
    for (s, partial) in bad {
        let got = string_to_ipv4(s.as_bytes()).map_err(|e| e.map(u32::from));
        assert_eq!(got, Err(*partial), "{s:?}");
    }
}

/// Wine's Windows-run test_WSAStringToAddress, IPv6.
#[test]
fn string_to_ipv6_table() {
    let p = |s: &str| string_to_ipv6(s.as_bytes());
    assert_eq!(p("::1"), Some("[::1]:0".parse().unwrap()));
    assert_eq!(p("[::1]"), Some("[::1]:0".parse().unwrap()));
    assert_eq!(p("[::1]:65535"), Some("[::1]:65535".parse().unwrap()));
    assert_eq!(p("2001::1"), Some("[2001::1]:0".parse().unwrap()));
    assert_eq!(p("001::1"), Some("[1::1]:0".parse().unwrap()));
    assert_eq!(p("[fe80::1%4]:80"), Some("[fe80::1%4]:80".parse().unwrap()));
    for bad in [
        "::1]:65535",
        "::1:2:3:4:5:6:7",
        "1.2.3.4",
        "1:2:3:",
        "",
        "[::1",
        "[::1]x",
    ] {
        assert_eq!(p(bad), None, "{bad:?}");
    }
}

/// Ports whose network-order value is negative as a short (443 is 0xBB01) are found.
#[test]
fn services_by_port_above_the_sign_bit() {
    if !std::path::Path::new("/etc/services").exists() {
        eprintln!("SKIPPED: no /etc/services");
        return;
    }
    assert_eq!(
        service_by_port(443, Some("tcp")).map(|s| s.name).as_deref(),
        Some("https")
    );
    assert_eq!(
        service_by_name("https", Some("tcp")).map(|s| s.port),
        Some(443)
    );
}

#[test]
fn gai_messages() {
    assert_eq!(gai_message(WSAHOST_NOT_FOUND), "No such host is known. ");
    assert_eq!(gai_message(12345), "");
}

/// On a simulated network (docs/simulation.md) a host's name is its addresses and an
/// address of a host has its name; a name no host has is `WSAHOST_NOT_FOUND` (11001, as an
/// unknown name on Windows: Wine's Windows-run `test_getaddrinfo`), numeric strings and
/// `localhost` resolve as before; off the network the same name is the system's again.
#[test]
fn simulated_host_names() {
    let net = crate::sim::Network::new(1);
    let here = net.host("here", &["10.0.0.1".parse().unwrap()]);
    let _db = net.host(
        "Db",
        &["10.0.0.7".parse().unwrap(), "fd00::7".parse().unwrap()],
    );
    let none = Hints::default();
    here.enter(|| {
        let r = resolve(Some("db"), Some("5432"), &none).unwrap();
        let addrs: Vec<SocketAddr> = r.iter().map(|e| e.addr).collect();
        assert_eq!(
            addrs,
            [
                "10.0.0.7:5432".parse().unwrap(),
                "[fd00::7]:5432".parse().unwrap()
            ]
        );
        assert_eq!((r[0].family, r[1].family), (AF_INET, AF_INET6));
        let v4 = Hints {
            family: AF_INET,
            flags: AI_CANONNAME,
            ..none
        };
        let r = resolve(Some("DB"), None, &v4).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].canonname.as_deref(), Some("Db"), "the host's name");
        let v6 = Hints {
            family: AF_INET6,
            ..none
        };
        assert_eq!(resolve(Some("here"), None, &v6), Err(WSAHOST_NOT_FOUND));
        assert_eq!(
            resolve(Some("nosuch"), Some("80"), &none),
            Err(WSAHOST_NOT_FOUND)
        );
        assert_eq!(WSAHOST_NOT_FOUND, 11001);
        let r = resolve(Some("10.0.0.9"), None, &none).unwrap();
        assert_eq!(r[0].addr, "10.0.0.9:0".parse().unwrap());
        assert!(
            resolve(Some("localhost"), None, &none).unwrap()[0]
                .addr
                .ip()
                .is_loopback()
        );
        let h = host_by_name(Some("db")).unwrap();
        assert_eq!(
            (h.name.as_str(), h.addrs.clone()),
            ("Db", vec![vec![10, 0, 0, 7]])
        );
        assert_eq!(host_by_name(Some("nosuch")), Err(WSAHOST_NOT_FOUND));
        assert_eq!(
            reverse_lookup(&"10.0.0.7:0".parse().unwrap()).as_deref(),
            Ok("Db")
        );
        assert_eq!(
            reverse_lookup(&"10.0.0.99:0".parse().unwrap()),
            Err(WSAHOST_NOT_FOUND)
        );
    });
    // Off the network: "db" is no simulated host's name any more.
    assert_eq!(crate::sys::sim::lookup_name("db"), None);
}
