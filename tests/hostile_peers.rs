//! Peers that hang up or send garbage over real sockets: the unmodified example programs
//! must report exactly what they report on the system OpenSSL.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::time::Duration;

use support::*;

/// What a scripted peer does once connected.
#[derive(Clone, Copy)]
enum Behaviour {
    HangUpAtOnce,
    HangUpAfterHello,
    SendHttp,
    SendGarbageRecord,
    SendFatalAlert,
}

fn act(mut s: TcpStream, b: Behaviour) {
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 4096];
    match b {
        Behaviour::HangUpAtOnce => {
            // Close our side at once, but keep reading: a full close with the ClientHello
            // unread would reset the connection, and the client would see a reset or an
            // end of file depending on timing.
            let _ = s.shutdown(std::net::Shutdown::Write);
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
        }
        Behaviour::HangUpAfterHello => {
            let _ = s.read(&mut buf);
        }
        Behaviour::SendHttp => {
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
        Behaviour::SendGarbageRecord => {
            let _ = s.read(&mut buf);
            // A handshake record header announcing more than a record may hold.
            let _ = s.write_all(&[0x16, 0x03, 0x03, 0xff, 0xff, 0, 0, 0]);
        }
        Behaviour::SendFatalAlert => {
            let _ = s.read(&mut buf);
            // alert(21), TLS 1.2, length 2: fatal(2) handshake_failure(40).
            let _ = s.write_all(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);
        }
    }
}

/// The client example's output against a scripted server, on the given libssl.
fn client_against(b: Behaviour, lib: Lib) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let peer = std::thread::spawn(move || {
        if let Ok((s, _)) = listener.accept() {
            act(s, b);
        }
    });
    let exe = compile("c-examples/client.c", false);
    let mut cmd = c_command(&exe, lib);
    cmd.args(["127.0.0.1", &port.to_string(), "-CAfile", &pki("ca.pem")]);
    let out = text(&run_bounded(cmd, 20));
    peer.join().unwrap();
    out
}

fn same_client_outcome(b: Behaviour, expect: &str) {
    let system = client_against(b, Lib::System);
    let ours = client_against(b, Lib::Ferrossl);
    assert!(
        system.contains(expect),
        "the system OpenSSL said:\n{system}"
    );
    assert_eq!(ours, system);
}

#[test]
fn server_hangs_up_before_answering() {
    same_client_outcome(Behaviour::HangUpAtOnce, "unexpected eof while reading");
    same_client_outcome(Behaviour::HangUpAfterHello, "unexpected eof while reading");
}

#[test]
fn server_answers_in_plain_http() {
    same_client_outcome(Behaviour::SendHttp, "wrong version number");
}

#[test]
fn server_sends_an_oversized_record() {
    same_client_outcome(Behaviour::SendGarbageRecord, "packet length too long");
}

#[test]
fn server_sends_a_fatal_alert() {
    same_client_outcome(Behaviour::SendFatalAlert, "sslv3 alert handshake failure");
}

/// The server example on a libssl, serving one connection (see `ReportingServer`).
struct ExampleServer(ReportingServer);

impl ExampleServer {
    fn start(lib: Lib) -> ExampleServer {
        let exe = compile("c-examples/server.c", false);
        let mut cmd = c_command(&exe, lib);
        cmd.args([
            "0".to_string(),
            pki("server-rsa.pem"),
            pki("server-rsa-key.pem"),
        ]);
        ExampleServer(ReportingServer::spawn(cmd, 30))
    }

    fn port(&self) -> u16 {
        self.0.port
    }

    /// Everything it printed after "listening on", once it has served its connection.
    fn report(self) -> String {
        self.0.finish().1
    }
}

/// The server example's report when a client sends `bytes` and hangs up.
fn server_against(bytes: &[u8], lib: Lib) -> String {
    server_answer(bytes, lib).0
}

/// The server example's report when a client sends `bytes` and hangs up, and the
/// (level, description) of the plaintext alert it answered with, if any.
fn server_answer(bytes: &[u8], lib: Lib) -> (String, Option<(u8, u8)>) {
    let server = ExampleServer::start(lib);
    let mut s = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    let _ = s.write_all(bytes);
    let _ = s.shutdown(std::net::Shutdown::Write);
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let alert = match answer[..] {
        [0x15, 3, _, 0, 2, level, description, ..] => Some((level, description)),
        _ => None,
    };
    (server.report(), alert)
}

/// A ClientHello record whose body is `body` (the handshake header is added).
fn client_hello_record(body: &[u8]) -> Vec<u8> {
    let mut hs = vec![1, 0];
    hs.extend_from_slice(&(body.len() as u16).to_be_bytes());
    hs.extend_from_slice(body);
    let mut rec = vec![0x16, 3, 1];
    rec.extend_from_slice(&(hs.len() as u16).to_be_bytes());
    rec.extend_from_slice(&hs);
    rec
}

/// The hostile middlebox (`tests/python/hostile_proxy.py`) in front of `upstream`, for
/// one connection, misbehaving as `mode` says; returns it and its port.
fn proxy(upstream: u16, mode: &str) -> (std::process::Child, u16) {
    use std::io::BufRead;
    let mut child = Command::new("/usr/bin/python3")
        .arg(root().join("tests/python/hostile_proxy.py"))
        .arg(upstream.to_string())
        .arg(mode)
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs the proxy");
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let port = first
        .trim()
        .strip_prefix("listening on ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("the proxy said {first:?}"));
    (child, port)
}

/// The real `openssl s_client` with `args`, through a proxy in `mode`, talking to the
/// server example on `lib`; returns the server's report.
fn server_behind_proxy(lib: Lib, mode: &str, args: &[&str], input: &str) -> String {
    let server = ExampleServer::start(lib);
    let (mut middle, port) = proxy(server.port(), mode);
    let mut client = Command::new("openssl");
    client
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .args(["-CAfile", &pki("ca.pem")])
        .args(args);
    run_bounded_with_input(client, input, 20);
    let report = server.report();
    let _ = middle.kill();
    let _ = middle.wait();
    report
}

/// The same, on the system OpenSSL and on ferrossl; the reports must be identical.
fn same_server_report(mode: &str, args: &[&str], input: &str) -> String {
    let system = server_behind_proxy(Lib::System, mode, args, input);
    let ours = server_behind_proxy(Lib::Ferrossl, mode, args, input);
    assert_eq!(
        ours, system,
        "the server's report through {mode} with s_client {args:?}: ferrossl (left), OpenSSL (right)"
    );
    system
}

/// The client example talking, through a proxy in `mode`, to a real `openssl s_server`
/// with `args`; returns what the client printed. The server answers in `-WWW` mode and
/// closes: the client's "GET /" gets s_server's error page, whose lines naming libcrypto's
/// source files (and s_server's thread id) are left out.
fn client_behind_proxy(lib: Lib, mode: &str, args: &[&str]) -> String {
    let mut server_args = vec!["-WWW"];
    server_args.extend_from_slice(args);
    let server = openssl_server("server-rsa.pem", "server-rsa-key.pem", &server_args);
    let (mut middle, port) = proxy(server.port, mode);
    let exe = compile("c-examples/client.c", false);
    let mut cmd = c_command(&exe, lib);
    cmd.args(["127.0.0.1", &port.to_string(), "-CAfile", &pki("ca.pem")]);
    let out = text(&run_bounded(cmd, 20));
    let _ = middle.kill();
    let _ = middle.wait();
    out.lines()
        .filter(|l| !l.contains("bss_file.c"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn client_hangs_up_or_speaks_plain_http_to_a_server() {
    for (bytes, expect) in [
        (&b""[..], "unexpected eof while reading"),
        (&b"GET / HTTP/1.0\r\n\r\n"[..], "http request"),
    ] {
        let system = server_against(bytes, Lib::System);
        let ours = server_against(bytes, Lib::Ferrossl);
        assert!(
            system.contains(expect),
            "the system OpenSSL said:\n{system}"
        );
        assert_eq!(ours, system);
    }
}

/// TLS 1.3 and 1.2 clients that hang up at every step: halfway through and right after
/// each record they send (ClientHello, ClientKeyExchange, ChangeCipherSpec, Finished, the
/// first application data).
#[test]
fn client_hangs_up_at_every_step() {
    for (version, records) in [("-tls1_3", 4), ("-tls1_2", 5)] {
        for n in 1..=records {
            for how in ["mid", "after"] {
                let report = same_server_report(
                    &format!("cut:c2s:{n}:{how}"),
                    &[version, "-ign_eof"],
                    "hello\n",
                );
                // Only the last cut lets the whole line through.
                let expect = if n == records && how == "after" {
                    "hello from ferrossl example"
                } else {
                    "unexpected eof while reading"
                };
                assert!(report.contains(expect), "cut {n} {how} {version}: {report}");
            }
        }
    }
}

/// TLS 1.3 and 1.2 servers that hang up at every step: halfway through and right after
/// each record they send until the handshake is over and the first tickets are out.
#[test]
fn server_hangs_up_at_every_step() {
    for (version, records) in [("-tls1_3", 8), ("-tls1_2", 7)] {
        for n in 1..=records {
            for how in ["mid", "after"] {
                let mode = format!("cut:s2c:{n}:{how}");
                let system = client_behind_proxy(Lib::System, &mode, &[version]);
                let ours = client_behind_proxy(Lib::Ferrossl, &mode, &[version]);
                assert_eq!(ours, system, "the client's report through {mode} {version}");
            }
        }
    }
}

/// A client that sends its first 400 bytes (its handshake) one at a time, 5 ms apart: the
/// handshake and the echo complete as usual. And a server that sends its first 1,500
/// bytes one at a time, 1 ms apart, to the client.
#[test]
fn peers_that_trickle_one_byte_at_a_time() {
    for version in ["-tls1_3", "-tls1_2"] {
        let report = same_server_report("trickle:c2s:5:400", &[version], "hello\n");
        assert!(report.contains("hello from ferrossl example"), "{report}");
        let system = client_behind_proxy(Lib::System, "trickle:s2c:1:1500", &[version]);
        let ours = client_behind_proxy(Lib::Ferrossl, "trickle:s2c:1:1500", &[version]);
        assert_eq!(
            ours, system,
            "the client's report against a trickling server"
        );
    }
}

/// Clients offering only what ferrossl refuses or cannot match: the server fails the
/// handshake with OpenSSL's reason.
#[test]
fn clients_with_nothing_in_common() {
    for (args, reason) in [
        (
            &["-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256"][..],
            "no shared cipher",
        ),
        (
            &["-tls1_3", "-sigalgs", "ed25519"][..],
            "no suitable signature algorithm",
        ),
        (&["-tls1_2", "-sigalgs", "ed25519"][..], "no shared cipher"),
    ] {
        let report = same_server_report("relay", args, "hello\n");
        assert!(report.contains(reason), "{args:?}: {report}");
    }
    // Only finite-field groups offered for TLS 1.3: ferrossl has none (OpenSSL 3.0 does).
    let ours = server_behind_proxy(
        Lib::Ferrossl,
        "relay",
        &["-tls1_3", "-groups", "ffdhe2048"],
        "hello\n",
    );
    assert!(
        ours.contains("SSL_accept: -1, SSL_get_error: 1") && ours.contains("no shared cipher"),
        "{ours}"
    );
    // TLS 1.1 and 1.0 are refused outright: OpenSSL, which still has them, fails later
    // (for want of a signature algorithm its security level allows).
    for version in ["-tls1_1", "-tls1"] {
        let args = [version, "-cipher", "DEFAULT@SECLEVEL=0"];
        let ours = server_behind_proxy(Lib::Ferrossl, "relay", &args, "hello\n");
        assert!(ours.contains("unsupported protocol"), "{version}: {ours}");
        let system = server_behind_proxy(Lib::System, "relay", &args, "hello\n");
        assert!(
            system.contains("SSL_accept: -1, SSL_get_error: 1"),
            "{system}"
        );
    }
}

/// A client whose TLS 1.3 Finished is wrong (re-sealed by the proxy with the client's own
/// keys, so only verify_data is wrong): the handshake fails on both libraries, with
/// OpenSSL's "digest check failed" (rustls reports a wrong Finished as it reports a record
/// that does not authenticate; ferrossl opens the record again to tell them apart).
#[test]
fn a_wrong_finished_is_refused() {
    let reports: Vec<String> = [Lib::System, Lib::Ferrossl]
        .into_iter()
        .map(|lib| {
            let scratch = ScratchDir::new("bad-finished");
            let keylog = scratch.0.join("keys.log");
            let keylog = keylog.to_string_lossy();
            let report = server_behind_proxy(
                lib,
                &format!("bad-finished:{keylog}"),
                &[
                    "-tls1_3",
                    "-ciphersuites",
                    "TLS_AES_128_GCM_SHA256",
                    "-keylogfile",
                    &keylog,
                ],
                "hello\n",
            );
            assert!(
                report.contains("SSL_accept: -1, SSL_get_error: 1")
                    && !report.contains("hello from"),
                "{lib:?}: {report}"
            );
            report
        })
        .collect();
    assert!(reports[0].contains("digest check failed"), "{}", reports[0]);
    assert_eq!(reports[1], reports[0], "ferrossl (left), OpenSSL (right)");
}

/// Malformed and oversized ClientHellos: the same reason on the server and the same
/// alert (decode_error, or illegal_parameter for the oversized one) to the client.
#[test]
fn malformed_and_oversized_client_hellos() {
    // A session id of 33 bytes (32 at most), then a suite and null compression.
    let mut bad_session_id = vec![3, 3];
    bad_session_id.extend_from_slice(&[7; 32]);
    bad_session_id.push(33);
    bad_session_id.extend_from_slice(&[1; 33]);
    bad_session_id.extend_from_slice(&[0, 2, 0x13, 0x01, 1, 0]);
    // A ClientHello that claims 16 MiB, in a full record of zeros.
    let mut oversized = vec![0x16, 3, 1, 0x40, 0x00, 1, 0xff, 0xff, 0xff];
    oversized.resize(5 + 0x4000, 0);
    for (name, bytes, reason) in [
        (
            "33-byte session id",
            client_hello_record(&bad_session_id),
            "length mismatch",
        ),
        (
            "truncated body",
            client_hello_record(&[3, 3]),
            "length mismatch",
        ),
        ("16 MiB ClientHello", oversized, "excessive message size"),
    ] {
        let (system, system_alert) = server_answer(&bytes, Lib::System);
        let (ours, our_alert) = server_answer(&bytes, Lib::Ferrossl);
        assert!(system.contains(reason), "{name}: OpenSSL said {system}");
        assert_eq!(ours, system, "{name}: ferrossl (left), OpenSSL (right)");
        assert!(
            system_alert.is_some_and(|(level, _)| level == 2),
            "{name}: {system_alert:?}"
        );
        assert_eq!(our_alert, system_alert, "{name}: the alert sent");
    }
    // Where ferrossl is stricter than OpenSSL (an SSLv2-format hello, an empty handshake
    // record), the handshake fails at once rather than waiting for more.
    for bytes in [
        &[
            0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10,
        ][..],
        &[0x16, 3, 1, 0, 0][..],
    ] {
        let ours = server_against(bytes, Lib::Ferrossl);
        assert!(ours.contains("SSL_accept: -1, SSL_get_error: 1"), "{ours}");
    }
}

/// The server example's report and the hostile client's (`tests/c/hostile_client.c`, on
/// the system OpenSSL) output, for a client misbehaving in `mode`.
fn server_against_hostile_client(lib: Lib, mode: &str, version: Option<&str>) -> (String, String) {
    let client = compile("tests/c/hostile_client.c", false);
    let server = ExampleServer::start(lib);
    let mut cmd = c_command(&client, Lib::System);
    cmd.args([server.port().to_string().as_str(), mode])
        .args(version);
    let client_out = text(&run_bounded(cmd, 20));
    (server.report(), client_out)
}

/// A client that writes application data after its close_notify: the server reads the
/// close_notify as the end (SSL_ERROR_ZERO_RETURN) and nothing after it, on both libraries.
#[test]
fn records_after_close_notify_are_not_read() {
    for version in [None, Some("-tls1_2")] {
        let (system, client) = server_against_hostile_client(Lib::System, "late-data", version);
        assert!(client.contains("late write: 5"), "{client}");
        let (ours, client) = server_against_hostile_client(Lib::Ferrossl, "late-data", version);
        assert!(client.contains("late write: 5"), "{client}");
        assert!(system.contains("SSL_read: 0, SSL_get_error: 6"), "{system}");
        assert_eq!(
            ours, system,
            "{version:?}: ferrossl (left), OpenSSL (right)"
        );
    }
}

/// A TLS 1.2 client that tries to renegotiate: the server answers with a no_renegotiation
/// warning (OpenSSL 3 refuses client-initiated renegotiation by default, ferrossl always),
/// the client gives up with handshake_failure, and both sides report it as OpenSSL does.
#[test]
fn renegotiation_is_refused() {
    let (system, system_client) =
        server_against_hostile_client(Lib::System, "renegotiate", Some("-tls1_2"));
    let (ours, our_client) =
        server_against_hostile_client(Lib::Ferrossl, "renegotiate", Some("-tls1_2"));
    assert!(
        system_client.contains("no renegotiation"),
        "{system_client}"
    );
    assert_eq!(our_client, system_client, "the client's view");
    assert_eq!(
        ours, system,
        "the server's report: ferrossl (left), OpenSSL (right)"
    );
}
