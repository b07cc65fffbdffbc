//! ferrossl against real peers on 127.0.0.1: the system's `openssl s_server`/`s_client`
//! and GnuTLS' `gnutls-serv`/`gnutls-cli`, each run with libssl variables cleared so they
//! are the real implementations. The C examples run on ferrossl.

mod support;

use std::process::{Command, Stdio};

use support::*;

fn client_run(port: u16, args: &[&str]) -> String {
    let exe = compile("c-examples/client.c", false);
    let mut cmd = c_command(&exe, Lib::Ferrossl);
    cmd.arg("127.0.0.1").arg(port.to_string()).args(args);
    text(&run_bounded(cmd, 20))
}

#[test]
fn client_tls13_rsa_against_openssl() {
    let srv = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-www"]);
    let out = client_run(
        srv.port,
        &[
            "-CAfile",
            &pki("ca.pem"),
            "-servername",
            "localhost",
            "-tls1_3",
        ],
    );
    assert!(out.contains("protocol: TLSv1.3"), "{out}");
    assert!(out.contains("verify result: 0 (ok)"), "{out}");
    assert!(out.contains("peer certificate: /CN=server-rsa"), "{out}");
    assert!(out.contains("HTTP/1.0 200 ok"), "{out}");
}

#[test]
fn client_tls12_ecdsa_against_openssl() {
    let srv = openssl_server("server-ecdsa.pem", "server-ecdsa-key.pem", &["-www"]);
    let out = client_run(srv.port, &["-CAfile", &pki("ca.pem"), "-tls1_2"]);
    assert!(out.contains("protocol: TLSv1.2"), "{out}");
    assert!(out.contains("cipher: ECDHE-ECDSA-"), "{out}");
    assert!(out.contains("HTTP/1.0 200 ok"), "{out}");
}

#[test]
fn client_alpn_against_openssl() {
    let srv = openssl_server(
        "server-rsa.pem",
        "server-rsa-key.pem",
        &["-www", "-alpn", "h2,http/1.1"],
    );
    let out = client_run(
        srv.port,
        &["-CAfile", &pki("ca.pem"), "-alpn", "foo,http/1.1"],
    );
    assert!(out.contains("alpn: http/1.1"), "{out}");
}

#[test]
fn client_sni_selects_the_servers_second_certificate() {
    let srv = openssl_server(
        "server-rsa.pem",
        "server-rsa-key.pem",
        &[
            "-www",
            "-servername",
            "localhost",
            "-cert2",
            &pki("server-ecdsa.pem"),
            "-key2",
            &pki("server-ecdsa-key.pem"),
        ],
    );
    let with_sni = client_run(
        srv.port,
        &["-CAfile", &pki("ca.pem"), "-servername", "localhost"],
    );
    assert!(
        with_sni.contains("peer certificate: /CN=server-ecdsa"),
        "{with_sni}"
    );
    let without = client_run(srv.port, &["-CAfile", &pki("ca.pem")]);
    assert!(
        without.contains("peer certificate: /CN=server-rsa"),
        "{without}"
    );
}

#[test]
fn client_certificate_against_openssl() {
    let srv = openssl_server(
        "server-rsa.pem",
        "server-rsa-key.pem",
        &["-www", "-Verify", "1", "-CAfile", &pki("ca.pem")],
    );
    let out = client_run(
        srv.port,
        &[
            "-CAfile",
            &pki("ca.pem"),
            "-cert",
            &pki("client.pem"),
            "-key",
            &pki("client-key.pem"),
        ],
    );
    assert!(out.contains("HTTP/1.0 200 ok"), "{out}");
    let log = srv.output_until("CN = client", 5);
    assert!(
        log.contains("CN = client"),
        "server did not see the client certificate:\n{log}"
    );
    let refused = client_run(srv.port, &["-CAfile", &pki("ca.pem"), "-tls1_2"]);
    assert!(!refused.contains("HTTP/1.0 200 ok"), "{refused}");
    assert!(refused.contains("alert handshake failure"), "{refused}");
}

#[test]
fn client_rejects_untrusted_expired_and_misnamed_servers() {
    let srv = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-www"]);
    let out = client_run(srv.port, &["-CAfile", &pki("other-ca.pem")]);
    assert!(out.contains("verify result: 20"), "{out}");
    assert!(out.contains("certificate verify failed"), "{out}");
    let out = client_run(
        srv.port,
        &["-CAfile", &pki("ca.pem"), "-servername", "wrong.example"],
    );
    assert!(out.contains("verify result: 62"), "{out}");
    drop(srv);
    let expired = openssl_server("expired.pem", "expired-key.pem", &["-www"]);
    let out = client_run(expired.port, &["-CAfile", &pki("ca.pem")]);
    assert!(out.contains("verify result: 10"), "{out}");
}

#[test]
fn client_against_gnutls_server() {
    let port = free_port();
    let args: Vec<String> = vec![
        "--http".into(),
        "-p".into(),
        port.to_string(),
        "--x509certfile".into(),
        pki("server-rsa-chain.pem"),
        "--x509keyfile".into(),
        pki("server-rsa-key.pem"),
    ];
    let _srv = Peer::server("gnutls-serv", &args, port);
    for v in ["-tls1_2", "-tls1_3"] {
        let out = client_run(
            port,
            &["-CAfile", &pki("ca.pem"), "-servername", "localhost", v],
        );
        assert!(out.contains("verify result: 0 (ok)"), "{out}");
        assert!(out.contains("HTTP/1.0 200 OK"), "{out}");
    }
}

#[test]
fn nonblocking_client_against_openssl() {
    let srv = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-www"]);
    let exe = compile("c-examples/nonblocking_client.c", false);
    let mut cmd = c_command(&exe, Lib::Ferrossl);
    cmd.args([
        "127.0.0.1",
        &srv.port.to_string(),
        &pki("ca.pem"),
        "localhost",
    ]);
    let out = text(&run_bounded(cmd, 20));
    assert!(out.contains("handshake done"), "{out}");
    assert!(out.contains("HTTP/1.0 200 ok"), "{out}");
}

/// Starts the server example on ferrossl; returns it and its port.
fn example_server(args: &[&str]) -> (std::process::Child, u16) {
    let exe = compile("c-examples/server.c", false);
    let port = free_port();
    let mut child = c_command(&exe, Lib::Ferrossl)
        .arg(port.to_string())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
        &mut first,
    )
    .unwrap();
    assert!(first.starts_with("listening"), "{first}");
    (child, port)
}

/// Runs a real OpenSSL or GnuTLS client with `input` on its standard input.
fn tool_client(program: &str, args: &[String], input: &str) -> String {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD");
    text(&run_bounded_with_input(cmd, input, 15))
}

#[test]
fn server_example_answers_openssl_s_client() {
    for (version, cert, key) in [
        ("-tls1_3", "server-rsa-chain.pem", "server-rsa-key.pem"),
        ("-tls1_2", "server-ecdsa.pem", "server-ecdsa-key.pem"),
    ] {
        let (mut server, port) = example_server(&[&pki(cert), &pki(key), "-alpn", "h2,http/1.1"]);
        let args: Vec<String> = [
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-CAfile",
            &pki("ca.pem"),
            "-servername",
            "localhost",
            "-alpn",
            "http/1.1",
            version,
            "-verify_return_error",
            "-ign_eof",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let out = tool_client("openssl", &args, "ping\n");
        let _ = server.wait();
        assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
        assert!(out.contains("alpn=http/1.1 sni=localhost"), "{out}");
        assert!(out.contains("echo: ping"), "{out}");
        let want = if version == "-tls1_3" {
            "TLSv1.3"
        } else {
            "TLSv1.2"
        };
        assert!(
            out.contains(&format!("hello from ferrossl example: {want}")),
            "{out}"
        );
    }
}

#[test]
fn server_example_requires_and_checks_client_certificates() {
    let (mut server, port) = example_server(&[
        &pki("server-rsa.pem"),
        &pki("server-rsa-key.pem"),
        "-CAfile",
        &pki("ca.pem"),
        "-verify",
        "-connections",
        "2",
    ]);
    let base: Vec<String> = [
        "s_client",
        "-connect",
        &format!("127.0.0.1:{port}"),
        "-CAfile",
        &pki("ca.pem"),
        "-ign_eof",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut with_cert = base.clone();
    with_cert.extend([
        "-cert".into(),
        pki("client.pem"),
        "-key".into(),
        pki("client-key.pem"),
    ]);
    let out = tool_client("openssl", &with_cert, "ping\n");
    assert!(out.contains("client-cert=yes"), "{out}");
    let out = tool_client("openssl", &base, "ping\n");
    assert!(!out.contains("echo: ping"), "{out}");
    assert!(
        out.contains("alert certificate required") || out.contains("alert handshake failure"),
        "{out}"
    );
    let _ = server.wait();
}

#[test]
fn server_example_answers_gnutls_cli() {
    let (mut server, port) = example_server(&[&pki("server-rsa.pem"), &pki("server-rsa-key.pem")]);
    let args: Vec<String> = vec![
        "--x509cafile".into(),
        pki("ca.pem"),
        "--port".into(),
        port.to_string(),
        "localhost".into(),
    ];
    let out = tool_client("gnutls-cli", &args, "ping\n");
    let _ = server.wait();
    assert!(
        out.contains("hello from ferrossl example: TLSv1.3"),
        "{out}"
    );
    assert!(out.contains("echo: ping"), "{out}");
}

#[test]
fn memory_bio_client_and_server_in_one_process() {
    let exe = compile("c-examples/memory_bio.c", false);
    let mut cmd = c_command(&exe, Lib::Ferrossl);
    cmd.args([
        pki("server-rsa.pem"),
        pki("server-rsa-key.pem"),
        pki("ca.pem"),
    ]);
    let out = text(&run_bounded(cmd, 20));
    assert!(out.contains("server got: ping over memory"), "{out}");
    assert!(out.contains("client got: pong"), "{out}");
    assert!(
        out.contains("server read after close: 0 (error 6)"),
        "{out}"
    );
    assert!(out.contains("client shutdown: 1"), "{out}");
}

/// 0-RTT: a server that reads early data as OpenSSL's manual describes
/// (`tests/c/early_data_server.c`) takes a resumed `openssl s_client -early_data`
/// connection's early data and answers it before the handshake ends; its transcript is
/// the same on the system OpenSSL and on ferrossl.
#[test]
fn early_data_server_against_openssl_s_client() {
    let exe = compile("tests/c/early_data_server.c", false);
    let run = |lib| {
        let scratch = ScratchDir::new("early-data");
        let mut cmd = c_command(&exe, lib);
        cmd.args([pki("server-rsa.pem"), pki("server-rsa-key.pem"), "2".into()]);
        // It serves both connections and exits; killed after 60 s at the latest.
        let server = ReportingServer::spawn(cmd, 60);
        let port = server.port;
        let session = scratch.0.join("session.pem").to_string_lossy().into_owned();
        let early = scratch.0.join("early.txt");
        std::fs::write(&early, "hello early\n").unwrap();
        let s_client = |args: &[&str], input: &str| {
            let mut cmd = Command::new("openssl");
            cmd.env_remove("LD_LIBRARY_PATH")
                .env_remove("LD_PRELOAD")
                .args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
                .args(["-CAfile", &pki("ca.pem"), "-ign_eof"])
                .args(args);
            text(&run_bounded_with_input(cmd, input, 20))
        };
        s_client(&["-sess_out", &session], "first\n");
        let client = s_client(
            &[
                "-sess_in",
                &session,
                "-early_data",
                &early.to_string_lossy(),
            ],
            "",
        );
        (server.finish().1, client)
    };
    let (system, system_client) = run(Lib::System);
    let (ours, our_client) = run(Lib::Ferrossl);
    assert!(system.contains("12 early bytes: hello early"), "{system}");
    assert_eq!(ours, system, "ferrossl (left), OpenSSL (right)");
    for client in [&system_client, &our_client] {
        for want in ["Early data was accepted", "early reply", "after handshake"] {
            assert!(client.contains(want), "missing {want:?} in\n{client}");
        }
    }
}

/// 0-RTT from a client (`tests/c/early_data_client.c`, as OpenSSL's manual describes it):
/// a resumed connection writes early data with `SSL_write_early_data` before `SSL_connect`
/// and `tests/c/early_data_server.c` takes and answers it; a server in another process,
/// which cannot resume the session, rejects it; and OpenSSL's refusals (no session that
/// allows it, after the handshake). The transcripts of client and servers are identical
/// with everything on OpenSSL, with the client on ferrossl, and with everything on ferrossl.
#[test]
fn early_data_client_as_on_openssl() {
    let client = compile("tests/c/early_data_client.c", false);
    let server = compile("tests/c/early_data_server.c", false);
    let run = |client_lib, server_lib| {
        let spawn = |connections: &str| {
            let mut cmd = c_command(&server, server_lib);
            cmd.args([
                pki("server-rsa.pem"),
                pki("server-rsa-key.pem"),
                connections.into(),
            ]);
            ReportingServer::spawn(cmd, 60)
        };
        let (first, other) = (spawn("2"), spawn("1"));
        let mut cmd = c_command(&client, client_lib);
        cmd.args([
            first.port.to_string(),
            pki("ca.pem"),
            other.port.to_string(),
        ]);
        let out = text(&run_bounded(cmd, 30));
        (out, first.finish().1, other.finish().1)
    };
    let system = run(Lib::System, Lib::System);
    assert!(
        system
            .0
            .contains("second: connect 1, reused 1, early data status 2"),
        "{}",
        system.0
    );
    assert!(system
        .0
        .contains("third: connect 1, reused 0, early data status 1"));
    assert!(
        system.1.contains("12 early bytes: hello early"),
        "{}",
        system.1
    );
    assert_eq!(
        run(Lib::Ferrossl, Lib::System),
        system,
        "client on ferrossl"
    );
    assert_eq!(run(Lib::Ferrossl, Lib::Ferrossl), system, "all on ferrossl");
}

/// 0-RTT declined: a client resuming with a ticket that allows 16 KiB of early data sends
/// a full record of it to a server that will not take it (one that never reads early
/// data, and one that sets `-max_early_data` but does not call `SSL_read_early_data`;
/// both in a new process, so the ticket is stale). RFC 8446 §4.2.10: the server skips the
/// early data and finishes a normal handshake, as OpenSSL's does.
#[test]
fn declined_early_data_is_skipped() {
    let run = |lib| {
        let scratch = ScratchDir::new("declined-early-data");
        let session = scratch.0.join("session.pem").to_string_lossy().into_owned();
        let early = scratch.0.join("early.txt");
        std::fs::write(&early, vec![b'e'; 16384]).unwrap();
        let get = "GET / HTTP/1.0\r\n\r\n";
        let mut cmd = c_command(&compile("tests/c/early_data_server.c", false), lib);
        cmd.args([pki("server-rsa.pem"), pki("server-rsa-key.pem"), "1".into()]);
        let issuing = ReportingServer::spawn(cmd, 60);
        s_client_with(
            issuing.port,
            &["-sess_out", &session, "-ign_eof"],
            "first\n",
        );
        issuing.finish();
        let mut cmd = Command::new("openssl");
        cmd.env_remove("LD_LIBRARY_PATH").env_remove("LD_PRELOAD");
        cmd.args(["sess_id", "-noout", "-text", "-in", &session]);
        let ticket = text(&run_bounded(cmd, 10));
        assert!(ticket.contains("Max Early Data: 16384"), "{ticket}");
        let mut seen = Vec::new();
        for extra in [&["-www"][..], &["-www", "-max_early_data", "16384"]] {
            let declining = s_server_on(lib, extra, &[], &scratch.0);
            let early = early.to_string_lossy();
            let args = ["-sess_in", &session, "-early_data", &early, "-ign_eof"];
            let out = s_client_with(declining.port, &args, get);
            for want in ["Early data was rejected", "HTTP/1.0 200 ok"] {
                assert!(
                    out.contains(want),
                    "{lib:?} {extra:?}: no {want:?} in\n{out}"
                );
            }
            seen.push(out.contains("Reused,"));
        }
        seen
    };
    assert_eq!(run(Lib::Ferrossl), run(Lib::System));
}
