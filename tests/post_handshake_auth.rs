//! TLS 1.3 post-handshake client authentication between `openssl s_server` (its `c`
//! command: `SSL_set_verify(SSL_VERIFY_PEER)`, `SSL_verify_client_post_handshake`,
//! `SSL_do_handshake`) and `openssl s_client -enable_pha`, each on the system OpenSSL or
//! on ferrossl: what the server reports (the verify callback's lines for the client's
//! certificate, or OpenSSL's refusal) is the same for every pairing as with OpenSSL on
//! both sides.

mod support;

use support::*;

/// One connection: the client connects, the server asks for a certificate (until it
/// prints `settled`), then the client, the server and the client again each send a line.
/// The server's report from its request on.
fn request_after_handshake(
    server_lib: Lib,
    client_lib: Lib,
    client_args: &[&str],
    settled: &str,
) -> String {
    let scratch = ScratchDir::new("pha");
    let mut server = s_server_on(server_lib, &["-CAfile", &pki("ca.pem")], &[], &scratch.0);
    let mut args: Vec<String> = ["s_client", "-connect"].map(String::from).to_vec();
    args.push(format!("127.0.0.1:{}", server.port));
    args.extend(["-CAfile".into(), pki("ca.pem")]);
    args.extend(client_args.iter().map(|a| a.to_string()));
    let mut client = Peer::spawn("openssl", &args, &lib_env(client_lib));
    let handshake = server.output_until("CIPHER is", 10);
    assert!(handshake.contains("CIPHER is"), "{handshake}");
    assert_eq!(client.runs_on_ferrossl(), client_lib == Lib::Ferrossl);
    server.send("c\n");
    let mut report = server.output_until(settled, 10);
    client.send("hello from the client\n");
    report.push_str(&server.output_until("hello from the client", 10));
    server.send("hello from the server\n");
    let heard = client.output_until("hello from the server", 10);
    assert!(heard.contains("hello from the server"), "{heard}");
    // A client may write its line before it reads the request; by the time it has read the
    // server's line it has answered, and the server reads the answer before this one.
    client.send("bye\n");
    report.push_str(&server.output_until("bye", 10));
    // Left out: what s_server prints per read, and its buffered "Failed to initiate
    // request" (which may come later); of an error line, its reason. Sorted: standard
    // output and standard error interleave as they happen to.
    let noise = |l: &&str| l.starts_with("Read BLOCK") || l.starts_with("Failed to initiate");
    let mut lines: Vec<&str> = report
        .lines()
        .filter(|l| !noise(l))
        .map(|l| match l.contains(":error:") {
            true => l.split(':').nth(5).unwrap_or(l),
            false => l,
        })
        .collect();
    lines.sort_unstable();
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn pairings() -> [(Lib, Lib); 3] {
    [
        (Lib::Ferrossl, Lib::System),
        (Lib::System, Lib::Ferrossl),
        (Lib::Ferrossl, Lib::Ferrossl),
    ]
}

#[test]
fn client_with_a_certificate_is_verified_after_the_handshake() {
    let cert = pki("client.pem");
    let key = pki("client-key.pem");
    let args = ["-enable_pha", "-cert", &cert, "-key", &key];
    let settled = "SSL_do_handshake";
    let openssl = request_after_handshake(Lib::System, Lib::System, &args, settled);
    for want in [
        "depth=0 CN = client",
        "verify return:1",
        "hello from the client",
    ] {
        assert!(openssl.contains(want), "{want:?} in\n{openssl}");
    }
    for (server, client) in pairings() {
        let ours = request_after_handshake(server, client, &args, settled);
        assert_eq!(ours, openssl, "server on {server:?}, client on {client:?}");
    }
}

#[test]
fn client_without_a_certificate_answers_with_none() {
    let settled = "SSL_do_handshake";
    let openssl = request_after_handshake(Lib::System, Lib::System, &["-enable_pha"], settled);
    assert!(openssl.contains("SSL_do_handshake -> 1"), "{openssl}");
    assert!(!openssl.contains("depth=0"), "{openssl}");
    for (server, client) in pairings() {
        let ours = request_after_handshake(server, client, &["-enable_pha"], settled);
        assert_eq!(ours, openssl, "server on {server:?}, client on {client:?}");
    }
}

#[test]
fn client_that_did_not_offer_it_is_not_asked() {
    let settled = "extension not received";
    let openssl = request_after_handshake(Lib::System, Lib::System, &[], settled);
    assert!(openssl.contains(settled), "{openssl}");
    assert!(!openssl.contains("SSL_do_handshake"), "{openssl}");
    for (server, client) in pairings() {
        let ours = request_after_handshake(server, client, &[], settled);
        assert_eq!(ours, openssl, "server on {server:?}, client on {client:?}");
    }
}
