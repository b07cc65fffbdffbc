//! What ferrossl does by default beyond OpenSSL 3.0: the hybrid post-quantum group
//! X25519MLKEM768 first (with an X25519 share beside it) and RFC 8879 certificate
//! compression. Two ferrossl endpoints (`openssl s_server` and `s_client`, both on
//! ferrossl) use both, as their handshake traces show; groups set by the application or by
//! the system policy, and the compression options, turn them off; OpenSSL 3.0 peers
//! (the system's `openssl`) negotiate X25519 with an uncompressed certificate, without a
//! HelloRetryRequest, in both directions. A server prefers the hybrid group whenever the
//! client sent its share, whatever the client's order.

mod support;

use std::process::Command;

use support::*;

/// `openssl s_server -www` on `lib` with the test CA's RSA server certificate; `env` adds
/// variables (`OPENSSL_CONF`).
fn web_server(lib: Lib, env: &[(&str, String)]) -> Peer {
    s_server_on(lib, &["-www"], env, std::path::Path::new("."))
}

/// One `openssl s_client` run on ferrossl with its trace on stderr: what it printed.
fn traced_client(port: u16, args: &[&str], env: &[(&str, String)]) -> String {
    let mut cmd = Command::new("openssl");
    cmd.env_remove("LD_PRELOAD")
        .env("LD_LIBRARY_PATH", lib_dir())
        .env("FERROSSL_TRACE", "stderr")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .args(["-CAfile", &pki("ca.pem"), "-servername", "localhost"])
        .args(args);
    let out = text(&run_bounded_with_input(cmd, "", 15));
    // Only ferrossl writes the trace: it proves which libssl the client mapped.
    assert!(
        out.contains("ferrossl handshake trace, client side"),
        "{out}"
    );
    assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
    out
}

/// The size the trace reports for the ClientHello.
fn client_hello_size(trace: &str) -> usize {
    let line = trace
        .lines()
        .find(|l| l.contains("size: ") && l.contains(" bytes"))
        .unwrap_or_else(|| panic!("no ClientHello size in\n{trace}"));
    let n = line
        .split("size: ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    n.parse().unwrap()
}

fn policy(name: &str) -> (&'static str, String) {
    let path = root().join("tests/policy").join(name);
    ("OPENSSL_CONF", path.to_string_lossy().into_owned())
}

#[test]
fn two_ferrossl_endpoints_use_the_hybrid_group_and_compress_certificates() {
    let server = web_server(Lib::Ferrossl, &[]);
    let out = traced_client(server.port, &[], &[]);
    assert_says_all(
        &out,
        &[
            "client side: TLS 1.3, TLS_AES_256_GCM_SHA384, X25519MLKEM768",
            "key shares: X25519MLKEM768, X25519",
            "key share: X25519MLKEM768",
            "(X25519MLKEM768)",
            "2  CompressedCertificate",
            "[0] subject /CN=server-rsa",
        ],
    );
    let saved = out
        .lines()
        .find(|l| l.contains("bytes of certificates sent in"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        saved.contains("saved)") && !saved.contains("(0 saved)"),
        "{saved}"
    );
    // An ML-KEM-768 key (1184 bytes) and the X25519 share ride in the hello.
    let size = client_hello_size(&out);
    assert!((1300..1700).contains(&size), "ClientHello of {size} bytes");
    println!("ClientHello with the hybrid and X25519 shares: {size} bytes; {saved}");
}

#[test]
fn groups_from_the_application_or_the_policy_turn_the_hybrid_group_off() {
    let server = web_server(Lib::Ferrossl, &[]);
    // SSL_CTX_set1_groups_list, through s_client's -groups.
    let out = traced_client(server.port, &["-groups", "X25519:P-256"], &[]);
    assert_says_all(
        &out,
        &[
            "key shares: X25519 ",
            "client side: TLS 1.3, TLS_AES_256_GCM_SHA384, X25519\n",
        ],
    );
    assert!(!out.contains("MLKEM"), "{out}");
    let size = client_hello_size(&out);
    assert!(size < 600, "ClientHello of {size} bytes");
    // The system policy's Groups.
    let out = traced_client(server.port, &[], &[policy("p256_only.cnf")]);
    assert_says_all(&out, &["key shares: P-256", "key share: P-256"]);
    assert!(!out.contains("MLKEM"), "{out}");
}

#[test]
fn the_compression_options_turn_certificate_compression_off() {
    // The server's policy: Options = -TxCertificateCompression.
    let server = web_server(
        Lib::Ferrossl,
        &[policy("no_tx_certificate_compression.cnf")],
    );
    let out = traced_client(server.port, &[], &[]);
    assert_says_all(&out, &["2  Certificate ", "X25519MLKEM768"]);
    assert!(!out.contains("CompressedCertificate"), "{out}");
    // The client's: Options = -RxCertificateCompression (it offers no decompression).
    let server = web_server(Lib::Ferrossl, &[]);
    let out = traced_client(
        server.port,
        &[],
        &[policy("no_rx_certificate_compression.cnf")],
    );
    assert_says_all(&out, &["2  Certificate "]);
    assert!(!out.contains("CompressedCertificate"), "{out}");
}

#[test]
fn openssl_30_peers_negotiate_x25519_in_one_round_trip() {
    // ferrossl's client against OpenSSL 3.0's server: the X25519 share beside the hybrid
    // one is taken, no HelloRetryRequest, an uncompressed certificate.
    let server = web_server(Lib::System, &[]);
    let out = traced_client(server.port, &[], &[]);
    assert_says_all(
        &out,
        &[
            "key shares: X25519MLKEM768, X25519",
            "key share: X25519 ",
            "2  Certificate ",
        ],
    );
    for absent in [
        "HelloRetryRequest",
        "CompressedCertificate",
        "asks for a key share",
    ] {
        assert!(!out.contains(absent), "{absent}: {out}");
    }
    // OpenSSL 3.0's client against ferrossl's server.
    let server = web_server(Lib::Ferrossl, &[]);
    let out = s_client(server.port, &["-servername", "localhost"]);
    assert_says_all(
        &out,
        &[
            "Server Temp Key: X25519, 253 bits",
            "New, TLSv1.3",
            "Verify return code: 0 (ok)",
        ],
    );
}

/// The group a server on `lib` picks for a real ferrossl ClientHello (shares of
/// X25519MLKEM768 and X25519) whose supported_groups list was reordered to put X25519
/// first (`tests/python/group_preference.py`).
fn group_chosen_for_classical_first_hello(lib: Lib) -> String {
    let server = web_server(lib, &[]);
    let capture = free_port();
    let script = root().join("tests/python/group_preference.py");
    let rewriter = Peer::spawn(
        "python3",
        &[
            script.to_string_lossy().into_owned(),
            capture.to_string(),
            server.port.to_string(),
        ],
        &[],
    );
    rewriter.output_until("listening", 10);
    let mut client = Command::new("openssl");
    client
        .env_remove("LD_PRELOAD")
        .env("LD_LIBRARY_PATH", lib_dir())
        .args(["s_client", "-connect", &format!("127.0.0.1:{capture}")]);
    run_bounded_with_input(client, "", 15);
    let out = rewriter.output_until("ServerHello group", 15);
    assert_says_all(
        &out,
        &["client shares: 11ec 001d", "sent groups: 001d 11ec"],
    );
    out
}

#[test]
fn a_server_prefers_the_hybrid_group_when_the_client_sent_its_share() {
    let ours = group_chosen_for_classical_first_hello(Lib::Ferrossl);
    assert!(ours.contains("ServerHello group: 11ec"), "{ours}");
    // OpenSSL 3.0 does not know the hybrid group: it takes the X25519 share.
    let system = group_chosen_for_classical_first_hello(Lib::System);
    assert!(system.contains("ServerHello group: 001d"), "{system}");
}
