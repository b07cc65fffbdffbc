//! The handshake trace against real OpenSSL peers on 127.0.0.1: OpenSSL's message and info
//! callbacks report the same messages and states on ferrossl as on the system libssl
//! (one observer program, `tests/c/msg_observer.c`, run on both against the same peer),
//! and the diagrams (`ferrossl_handshake_diagram`, `FERROSSL_TRACE`) show what happened.

mod support;

use std::process::Command;

use support::*;

/// One observer run: its transcript.
fn observe_client(lib: Lib, port: u16, args: &[&str]) -> String {
    let exe = compile("tests/c/msg_observer.c", false);
    let mut cmd = c_command(&exe, lib);
    cmd.current_dir(root().join("tests/pki"))
        .arg("client")
        .arg(port.to_string())
        .args(args);
    if lib == Lib::Ferrossl {
        cmd.arg("-diagram");
    }
    text(&run_bounded(cmd, 20))
}

/// The observer as a server, answering one `openssl s_client` run with `client_args`.
fn observe_server(lib: Lib, args: &[&str], client_args: &[&str]) -> String {
    observe_server_with(lib, args, client_args, false)
}

/// As [`observe_server`]; with `key_update`, the client first sends a KeyUpdate that asks
/// for one back (s_client's `K` command), then its line.
fn observe_server_with(lib: Lib, args: &[&str], client_args: &[&str], key_update: bool) -> String {
    let exe = compile("tests/c/msg_observer.c", false);
    let scratch = ScratchDir::new("observer-port");
    let port_file = scratch.0.join(format!("{lib:?}"));
    let mut cmd = c_command(&exe, lib);
    cmd.current_dir(root().join("tests/pki"))
        .arg("server")
        .arg(&port_file)
        .args(["-cert", "server-rsa.pem", "-key", "server-rsa-key.pem"])
        .args(args);
    if lib == Lib::Ferrossl {
        cmd.arg("-diagram");
    }
    let server = std::thread::spawn(move || text(&run_bounded(cmd, 20)));
    let mut port = String::new();
    for _ in 0..100 {
        port = std::fs::read_to_string(&port_file).unwrap_or_default();
        if port.ends_with('\n') {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut client = Command::new("openssl");
    client
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .current_dir(root().join("tests/pki"))
        .args([
            "s_client",
            if key_update { "-no_ign_eof" } else { "-quiet" },
        ])
        .arg("-connect")
        .arg(format!("127.0.0.1:{}", port.trim()))
        .args(client_args);
    if key_update {
        use std::io::Write;
        let mut child = client
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // One command or line per read: s_client looks at the first byte of each.
        for line in ["K\n", "hello\n"] {
            std::thread::sleep(std::time::Duration::from_millis(700));
            let _ = stdin.write_all(line.as_bytes());
        }
        std::thread::sleep(std::time::Duration::from_millis(400));
        drop(stdin);
        let _ = child.wait();
    } else {
        run_bounded_with_input(client, "hello\n", 10);
    }
    server.join().unwrap()
}

/// The messages of one direction, as (content type, message type), without the record
/// layer's own reports (framing into records is each implementation's choice).
fn messages(transcript: &str, direction: &str) -> Vec<String> {
    transcript
        .lines()
        .filter(|l| l.starts_with(&format!("msg {direction} ")))
        .filter(|l| !l.contains("type=256 ") && !l.contains("type=257 "))
        .map(|l| {
            let field = |name: &str| {
                l.split(' ')
                    .find_map(|w| w.strip_prefix(name))
                    .unwrap_or("?")
                    .to_owned()
            };
            format!(
                "v={} type={} first={}",
                field("version="),
                field("type="),
                field("first=")
            )
        })
        .collect()
}

/// The info callback lines. rustls sends its TLS 1.3 compatibility ChangeCipherSpec as
/// soon as it has read the ServerHello, OpenSSL just before its Finished: the loop
/// callbacks around that record differ in position only, so they are left out.
fn info_lines(transcript: &str) -> Vec<&str> {
    transcript
        .lines()
        .filter(|l| l.starts_with("info ") || l.starts_with("handshake: "))
        .filter(|l| !l.contains("(TWCCS)") || l.contains("version TLSv1.2"))
        .collect()
}

fn tls12_run(transcript: &str) -> bool {
    transcript.contains("version TLSv1.2")
}

/// Runs the observer on both libraries against one peer and checks that both directions'
/// messages and (unless `info_may_differ`) the info callbacks agree.
fn assert_same_observations(sys: &str, ours: &str, info_may_differ: bool) {
    for direction in ["sent", "received"] {
        assert_eq!(
            messages(sys, direction),
            messages(ours, direction),
            "{direction} messages differ\n--- system\n{sys}\n--- ferrossl\n{ours}"
        );
    }
    if !info_may_differ {
        assert_same_info(sys, ours);
    }
    // Every record is reported with its header, and TLS 1.3's with its inner type.
    assert!(ours.contains("type=256 len=5"), "{ours}");
    if !tls12_run(ours) {
        assert!(ours.contains("type=257 len=1"), "{ours}");
    }
}

/// The info callbacks agree.
fn assert_same_info(sys: &str, ours: &str) {
    let (a, b) = (info_lines(sys), info_lines(ours));
    if tls12_run(sys) {
        assert_eq!(a, b, "--- system\n{sys}\n--- ferrossl\n{ours}");
    } else {
        let strip = |v: Vec<&str>| -> Vec<String> {
            v.into_iter()
                .filter(|l| !l.contains("(TWCCS)"))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(
            strip(a),
            strip(b),
            "--- system\n{sys}\n--- ferrossl\n{ours}"
        );
    }
}

fn both_clients(server_extra: &[&str], args: &[&str]) -> (String, String) {
    let mut extra = vec!["-www"];
    extra.extend_from_slice(server_extra);
    let srv = openssl_server("server-rsa.pem", "server-rsa-key.pem", &extra);
    let sys = observe_client(Lib::System, srv.port, args);
    let ours = observe_client(Lib::Ferrossl, srv.port, args);
    (sys, ours)
}

/// Words only: the diagram wraps long notes and pads between lifelines.
fn words(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '|')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_contains_all(text: &str, wanted: &[&str]) {
    let flat = words(text);
    for w in wanted {
        assert!(flat.contains(&words(w)), "missing {w:?} in\n{text}");
    }
}

#[test]
fn client_tls13_full_and_resumed() {
    let args = ["-CAfile", "ca.pem", "-groups", "X25519", "-reconnect"];
    let (sys, ours) = both_clients(&[], &args);
    assert_same_observations(&sys, &ours, false);
    let (first, second) = ours.split_once("--- connection 2").unwrap();
    assert_contains_all(
        first,
        &[
            "client side: TLS 1.3",
            "1  ClientHello",
            "versions offered: TLS 1.3, TLS 1.2",
            "key shares: X25519",
            "SNI: localhost",
            "2  ServerHello",
            "version chosen: TLS 1.3",
            "key share: X25519",
            "7 both sides derive the handshake keys from the key shares",
            "2  EncryptedExtensions                      [handshake keys]",
            "[0] subject /CN=server-rsa",
            "issuer /CN=ferrossl test CA",
            "key RSA-2048",
            "3  CertificateVerify",
            "signature: rsa_pss_rsae_",
            "3 this client verifies the server's certificate: ok",
            "9  Finished",
            "8  Finished",
            "steps 5-6 skipped",
            "handshake complete",
        ],
    );
    assert_contains_all(
        second,
        &[
            "resumed (PSK ticket)",
            "offers a ticket to resume (PSK)",
            "accepts the ticket: resumed (PSK)",
            "handshake: 1, version TLSv1.3, reused 1",
        ],
    );
    assert!(!second.contains("2  Certificate"), "{second}");
}

#[test]
fn client_tls13_hello_retry_request() {
    let args = ["-CAfile", "ca.pem", "-groups", "P-256:X25519"];
    let (sys, ours) = both_clients(&["-groups", "X25519"], &args);
    assert_same_observations(&sys, &ours, false);
    assert_contains_all(
        &ours,
        &[
            "key shares: P-256",
            "2 (retry)  ServerHello",
            "asks for a key share for X25519",
            "1 (again)  ClientHello",
            "key share: X25519",
            "handshake complete",
        ],
    );
}

#[test]
fn client_tls12_full_and_resumed() {
    let args = [
        "-CAfile",
        "ca.pem",
        "-groups",
        "X25519",
        "-tls1_2",
        "-reconnect",
    ];
    let (sys, ours) = both_clients(&[], &args);
    assert_same_observations(&sys, &ours, false);
    let (first, second) = ours.split_once("--- connection 2").unwrap();
    assert_contains_all(
        first,
        &[
            "client side: TLS 1.2",
            "2  ServerKeyExchange",
            "ECDHE group: X25519",
            "2  ServerHelloDone",
            "4  ClientKeyExchange",
            "differs from step 4",
            "8  ChangeCipherSpec",
            "8  Finished                                   [session keys]",
            "9  Finished                                   [session keys]",
        ],
    );
    assert_contains_all(second, &["resumed (session ticket)", "reused 1"]);
}

#[test]
fn client_certificate_requested() {
    for version in ["-tls1_3", "-tls1_2"] {
        let args = [
            "-CAfile",
            "ca.pem",
            "-groups",
            "X25519",
            "-cert",
            "client.pem",
            "-key",
            "client-key.pem",
            version,
        ];
        let ca = pki("ca.pem");
        let (sys, ours) = both_clients(&["-Verify", "1", "-CAfile", &ca], &args);
        assert_same_observations(&sys, &ours, false);
        assert_contains_all(
            &ours,
            &[
                "the server asks for a client certificate",
                "5  Certificate",
                "5  CertificateVerify",
                "6 the server checks the client's certificate",
                "client certificate requested",
            ],
        );
    }
}

#[test]
fn client_verification_failure() {
    let args = ["-CAfile", "other-ca.pem", "-groups", "X25519"];
    let (sys, ours) = both_clients(&[], &args);
    // rustls checks the certificate once CertificateVerify has arrived, OpenSSL as soon as
    // the Certificate has; and OpenSSL had not yet sent its compatibility
    // ChangeCipherSpec, which rustls sends early. The rest of what the client sent (up
    // to its alert) must agree.
    let without_ccs = |t: &str| -> Vec<String> {
        messages(t, "sent")
            .into_iter()
            .filter(|m| !m.contains("type=20 "))
            .collect()
    };
    assert_eq!(
        without_ccs(&sys),
        without_ccs(&ours),
        "--- system\n{sys}\n--- ferrossl\n{ours}"
    );
    assert_contains_all(
        &ours,
        &[
            "info alert write fatal:unknown CA (CA)",
            "state=error (SSLERR)",
            "verification: unable to get local issuer certificate (20)",
            "handshake FAILED after the server's",
            "alert sent to the peer: unknown CA",
            "error: certificate verify failed",
        ],
    );
}

#[test]
fn server_side_observations_match_openssl() {
    let ca = pki("ca.pem");
    let client_cert = pki("client.pem");
    let client_key = pki("client-key.pem");
    let cases: Vec<(Vec<&str>, Vec<&str>, Vec<&str>)> = vec![
        (
            vec![],
            vec!["-groups", "X25519"],
            vec!["server side: TLS 1.3", "handshake complete"],
        ),
        (
            vec!["-tls1_2"],
            vec!["-groups", "X25519"],
            vec!["server side: TLS 1.2", "4  ClientKeyExchange"],
        ),
        (
            vec!["-groups", "X25519"],
            vec!["-groups", "P-256:X25519"],
            vec!["2 (retry)  ServerHello"],
        ),
        (
            vec!["-verify", "-CAfile", &ca],
            vec![
                "-groups",
                "X25519",
                "-cert",
                &client_cert,
                "-key",
                &client_key,
            ],
            vec!["5  CertificateVerify", "[0] subject /CN=client"],
        ),
    ];
    for (server_args, client_args, wanted) in cases {
        let sys = observe_server(Lib::System, &server_args, &client_args);
        let ours = observe_server(Lib::Ferrossl, &server_args, &client_args);
        assert_same_observations(&sys, &ours, false);
        assert_contains_all(&ours, &wanted);
    }
}

/// A KeyUpdate in each direction (the client's asks for the server's): reported like
/// OpenSSL's, and the trace keeps opening records under the new keys.
#[test]
fn key_updates_are_reported_like_openssl() {
    let client_args = ["-groups", "X25519"];
    let sys = observe_server_with(Lib::System, &[], &client_args, true);
    let ours = observe_server_with(Lib::Ferrossl, &[], &client_args, true);
    assert_same_observations(&sys, &ours, false);
    assert_contains_all(
        &ours,
        &[
            "state=TLSv1.3 read client key update (TRCKU)",
            "state=TLSv1.3 write server key update (TWSKU)",
            "read: 6",
        ],
    );
    // The close_notify after both updates was opened with the updated keys.
    assert!(
        ours.contains("msg sent version=0304 type=21 len=2 first=0"),
        "{ours}"
    );
}

/// An info callback alone (nginx sets one): after the handshake the trace passes over the
/// records of the server's own writes without opening them, and still reports what
/// follows them, the client's KeyUpdate and the server's close_notify, as OpenSSL does.
#[test]
fn info_callback_alone_sees_alerts_after_application_data() {
    let client_args = ["-groups", "X25519"];
    for (server_args, key_update) in [
        (vec!["-no_msg", "-echo", "40"], false),
        (vec!["-no_msg", "-echo", "40", "-tls1_2"], false),
        (vec!["-no_msg", "-echo", "40"], true),
    ] {
        let sys = observe_server_with(Lib::System, &server_args, &client_args, key_update);
        let ours = observe_server_with(Lib::Ferrossl, &server_args, &client_args, key_update);
        assert_same_info(&sys, &ours);
        assert!(!ours.contains("msg "), "{ours}");
        assert_contains_all(&ours, &["read: 6", "info alert write warning:close notify"]);
        if key_update {
            assert_contains_all(&ours, &["write server key update (TWSKU)"]);
        }
    }
}

/// The client-hello callback (suspending once, then reading the hello through the
/// `SSL_client_hello_*` accessors) sees what it sees on OpenSSL, for the same s_client.
#[test]
fn client_hello_callback_sees_the_hello_as_openssl() {
    let client_args = ["-groups", "X25519", "-servername", "example.test"];
    let sys = observe_server(Lib::System, &["-hello_cb", "-no_info"], &client_args);
    let ours = observe_server(Lib::Ferrossl, &["-hello_cb", "-no_info"], &client_args);
    let hello = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("hello:") || l.starts_with("handshake:"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        hello(&sys),
        hello(&ours),
        "--- system\n{sys}\n--- ferrossl\n{ours}"
    );
    assert_contains_all(
        &ours,
        &[
            "handshake: suspended by the client-hello callback",
            "hello: v2 0, version 0303, random 32 bytes, session id 32 bytes",
            "hello: ext 65000 present 0",
            "handshake: 1",
        ],
    );
}

/// `FERROSSL_TRACE=<dir>` writes each connection's text and SVG diagrams for a program
/// that knows nothing of ferrossl (the example client); `FERROSSL_TRACE=stderr` prints.
#[test]
fn ferrossl_trace_writes_diagrams_for_any_program() {
    let srv = openssl_server("server-ecdsa.pem", "server-ecdsa-key.pem", &["-www"]);
    let scratch = ScratchDir::new("trace-dir");
    let exe = compile("c-examples/client.c", false);
    let mut cmd = c_command(&exe, Lib::Ferrossl);
    cmd.env("FERROSSL_TRACE", &scratch.0)
        .arg("127.0.0.1")
        .arg(srv.port.to_string())
        .args(["-CAfile", &pki("ca.pem"), "-servername", "localhost"]);
    let out = run_bounded(cmd, 20);
    assert!(out.status.success(), "{}", text(&out));
    let names: Vec<String> = std::fs::read_dir(&scratch.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let txt = names
        .iter()
        .find(|n| n.ends_with("-1-client.txt"))
        .unwrap_or_else(|| panic!("no diagram among {names:?}"));
    let svg = txt.replace(".txt", ".svg");
    assert!(names.contains(&svg), "{names:?}");
    let diagram = std::fs::read_to_string(scratch.0.join(txt)).unwrap();
    assert_contains_all(
        &diagram,
        &[
            "key EC-256",
            "signature: ecdsa_secp256r1_sha256",
            "handshake complete",
        ],
    );
    // The SVG is well-formed XML with one arrow per arrow of the text diagram.
    let text_arrows = diagram
        .lines()
        .filter(|l| l.contains("|---") || l.contains("|<--"))
        .count();
    let check = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, xml.etree.ElementTree as ET\n\
             root = ET.parse(sys.argv[1]).getroot()\n\
             ns = '{http://www.w3.org/2000/svg}'\n\
             print(sum(1 for l in root.iter(ns + 'line') if 'arrow' in l.get('class', '')))",
        )
        .arg(scratch.0.join(&svg))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let svg_arrows: usize = String::from_utf8_lossy(&check.stdout)
        .trim()
        .parse()
        .unwrap();
    assert_eq!(svg_arrows, text_arrows);
    assert!(text_arrows >= 8, "{diagram}");

    let mut cmd = c_command(&exe, Lib::Ferrossl);
    cmd.env("FERROSSL_TRACE", "stderr")
        .arg("127.0.0.1")
        .arg(srv.port.to_string())
        .args(["-CAfile", &pki("ca.pem"), "-servername", "localhost"]);
    let out = run_bounded(cmd, 20);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_contains_all(
        &stderr,
        &["ferrossl handshake trace, client side", "1  ClientHello"],
    );
}

/// A handshake that fails is drawn too, saying where it stopped and why.
#[test]
fn ferrossl_trace_draws_failed_handshakes() {
    let srv = openssl_server("expired.pem", "expired-key.pem", &["-www"]);
    let exe = compile("c-examples/client.c", false);
    let mut cmd = c_command(&exe, Lib::Ferrossl);
    cmd.env("FERROSSL_TRACE", "stderr")
        .arg("127.0.0.1")
        .arg(srv.port.to_string())
        .args(["-CAfile", &pki("ca.pem")]);
    let out = run_bounded(cmd, 20);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_contains_all(
        &stderr,
        &[
            "certificate has expired (10)",
            "handshake FAILED",
            "alert sent to the peer: certificate expired",
        ],
    );
}
