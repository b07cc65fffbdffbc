//! DNS over TLS between BIND 9.18's `dig +tls` and `unbound` 1.17 serving a local zone,
//! each on ferrossl in turn (the other on the system OpenSSL): the answer with
//! `+tls-ca`/`+tls-hostname`, and dig's verification failures for a wrong CA and a wrong
//! name, the same as with both on the system OpenSSL.

mod support;

use std::path::Path;

use support::*;

/// `unbound -d` on `lib`, answering `ferrossl.test. A 192.0.2.7` over DoT on 127.0.0.1.
fn dot_server(lib: Lib, dir: &Path) -> Peer {
    let port = free_port();
    let server = format!(
        "  tls-port: {port}
  tls-service-key: \"{key}\"
  tls-service-pem: \"{chain}\"
  module-config: \"iterator\"
  local-zone: \"test.\" static
  local-data: \"ferrossl.test. 300 IN A 192.0.2.7\"",
        key = pki("server-rsa-key.pem"),
        chain = pki("server-rsa-chain.pem"),
    );
    let server = unbound(lib, dir, port, &server, "");
    assert_eq!(
        server.runs_on_ferrossl(),
        lib != Lib::System,
        "unbound's libssl"
    );
    server
}

/// What `dig +tls` on `lib` printed for each case.
fn dig_cases(lib: Lib, port: u16) -> Vec<String> {
    let (ca, other) = (pki("ca.pem"), pki("other-ca.pem"));
    let cases: [(&str, Vec<String>); 4] = [
        (
            "verified",
            vec![format!("+tls-ca={ca}"), "+tls-hostname=localhost".into()],
        ),
        (
            "wrong CA",
            vec![format!("+tls-ca={other}"), "+tls-hostname=localhost".into()],
        ),
        (
            "wrong name",
            vec![
                format!("+tls-ca={ca}"),
                "+tls-hostname=wrong.example".into(),
            ],
        ),
        ("unverified", vec![]),
    ];
    cases
        .into_iter()
        .map(|(label, extra)| {
            let mut cmd = program_on("dig", lib);
            cmd.args([
                "@127.0.0.1",
                "-p",
                &port.to_string(),
                "+tls",
                "+short",
                "+tries=1",
            ])
            .args(["+time=5", "ferrossl.test", "A"])
            .args(extra);
            let out = run_bounded(cmd, 30);
            let said = text(&out).trim().replace(&format!("#{port}"), "#PORT");
            format!("{label}: {said}")
        })
        .collect()
}

fn transcript(server_lib: Lib, client_lib: Lib) -> Vec<String> {
    let dir = ScratchDir::new("unbound");
    let server = dot_server(server_lib, &dir.0);
    dig_cases(client_lib, server.port)
}

#[test]
fn dig_and_unbound_speak_dns_over_tls_on_ferrossl() {
    let reference = transcript(Lib::System, Lib::System);
    let text = reference.join("\n");
    assert_says_all(
        &text,
        &[
            "verified: 192.0.2.7",
            "wrong CA: ;; TLS peer certificate verification for 127.0.0.1",
            "failed: hostname mismatch",
        ],
    );
    for (server, client) in [(Lib::Ferrossl, Lib::System), (Lib::System, Lib::Ferrossl)] {
        let got = transcript(server, client);
        let what = format!("unbound on {server:?}, dig on {client:?}");
        assert_same_lines(&reference, &got, &what);
    }
}
