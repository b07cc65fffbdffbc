//! Protocol conformance against hostile clients (`tests/python/hostile_client.py`): each
//! case sends a server something RFC 8446 (or RFC 5246) says it must refuse, or must
//! accept, and records what came back. The same cases run against `openssl s_server` on
//! the system OpenSSL and on ferrossl in the same test, so the comparison is printed;
//! ferrossl must answer as OpenSSL does except where listed below, with the reason.
//! (Declined 0-RTT data is `interop.rs`'s `declined_early_data_is_skipped`.)

mod support;

use std::collections::BTreeMap;
use std::process::Command;

use support::*;

/// Every case, and what OpenSSL 3.0 answers.
const CASES: &[(&str, &str)] = &[
    ("valid-client", "application data"),
    ("not-client-hello", "alert unexpected_message"),
    ("interleaved", "alert unexpected_message"),
    ("legacy-version-0300", "alert handshake_failure"),
    ("plaintext-overflow", "alert record_overflow"),
    ("big-client-hello", "server hello"),
    ("missing-key-share", "alert missing_extension"),
    ("tls12-ecdsa-sha384-only", "server hello"),
    ("tls12-no-usable-sigalg", "alert handshake_failure"),
    ("tls12-point-formats", "ec_point_formats echoed"),
    ("inner-type-missing", "alert unexpected_message"),
    ("ciphertext-overflow", "alert record_overflow"),
    ("inner-plaintext-overflow", "alert record_overflow"),
    ("keyupdate-bad-request", "alert illegal_parameter"),
    ("keyupdate-bad-length", "alert illegal_parameter"),
    ("keyupdate-split", "alert unexpected_message"),
];

/// Where ferrossl answers otherwise: the case, ferrossl's answer, and why.
const DIFFERENCES: &[(&str, &str, &str)] = &[
    (
        "legacy-version-0300",
        "alert protocol_version",
        "RFC 8446 appendix D.5 names protocol_version for a legacy_version of 0x0300 or less",
    ),
    (
        "keyupdate-bad-length",
        "alert decode_error",
        "RFC 8446 section 6.2: a message that does not parse is a decode_error",
    ),
    (
        "tls12-ecdsa-sha384-only",
        "alert handshake_failure",
        "not yet: rustls signs TLS 1.2 with a P-256 key only with SHA-256",
    ),
];

/// Each case's outcome against `openssl s_server` on `lib` (RSA and ECDSA certificates).
fn outcomes(lib: Lib) -> BTreeMap<String, String> {
    let scratch = ScratchDir::new("conformance");
    let (ecdsa, ecdsa_key) = (pki("server-ecdsa.pem"), pki("server-ecdsa-key.pem"));
    let server = s_server_on(
        lib,
        &["-www", "-quiet", "-dcert", &ecdsa, "-dkey", &ecdsa_key],
        &[],
        &scratch.0,
    );
    let mut cmd = Command::new("python3");
    cmd.env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .arg(root().join("tests/python/hostile_client.py"))
        .arg(server.port.to_string())
        .args(CASES.iter().map(|(name, _)| *name));
    let out = run_bounded(cmd, 300);
    let report = text(&out);
    assert!(out.status.success(), "{report}");
    report
        .lines()
        .filter_map(|l| l.split_once(": "))
        .map(|(case, outcome)| (case.to_owned(), outcome.to_owned()))
        .collect()
}

#[test]
fn hostile_clients_get_the_alerts_the_rfcs_require() {
    let openssl = outcomes(Lib::System);
    let ours = outcomes(Lib::Ferrossl);
    println!("{:<26} {:<30} ferrossl", "case", "OpenSSL 3.0");
    for (case, _) in CASES {
        println!(
            "{case:<26} {:<30} {}",
            openssl.get(*case).map_or("-", String::as_str),
            ours.get(*case).map_or("-", String::as_str)
        );
    }
    let mut wrong = Vec::new();
    for (case, expected) in CASES {
        if openssl.get(*case).map(String::as_str) != Some(*expected) {
            wrong.push(format!("OpenSSL {case}: {:?}", openssl.get(*case)));
        }
        let want = DIFFERENCES
            .iter()
            .find(|(c, _, _)| c == case)
            .map_or(*expected, |(_, ours, _)| *ours);
        if ours.get(*case).map(String::as_str) != Some(want) {
            wrong.push(format!(
                "ferrossl {case}: {:?}, not {want:?}",
                ours.get(*case)
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
