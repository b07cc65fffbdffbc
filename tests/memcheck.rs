//! The differential probe's scenarios and the memory-BIO example, run on ferrossl under
//! valgrind's memcheck: no invalid access, no use of uninitialised memory, and nothing
//! definitely lost.

mod support;

use std::process::Command;

use support::*;

/// Runs `exe args` under memcheck, failing on any report; returns what it printed.
fn memcheck(exe: &std::path::Path, args: &[String]) -> String {
    let mut cmd = Command::new("valgrind");
    cmd.env_remove("LD_PRELOAD")
        .env("LD_LIBRARY_PATH", lib_dir())
        .args([
            "-q",
            "--error-exitcode=99",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite",
        ])
        .arg(exe)
        .args(args);
    let out = run_bounded(cmd, 300);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{} {args:?} under memcheck:\n{}",
        exe.display(),
        text(&out)
    );
    text(&out)
}

#[test]
fn probe_scenarios_are_memcheck_clean() {
    let probe = compile("tests/c/probe.c", false);
    let pki_dir = root().join("tests/pki").to_string_lossy().into_owned();
    for scenario in PROBE_SCENARIOS {
        memcheck(&probe, &[scenario.to_string(), pki_dir.clone()]);
    }
}

/// The second-wave functions: DANE's records handed to libcrypto, the callbacks run while
/// rustls holds the connection, session copies, the SSL BIO.
#[test]
fn api_probe_scenarios_are_memcheck_clean() {
    let probe = compile("tests/c/api_probe.c", false);
    let pki_dir = root().join("tests/pki").to_string_lossy().into_owned();
    for scenario in API_PROBE_SCENARIOS {
        memcheck(&probe, &[scenario.to_string(), pki_dir.clone()]);
    }
}

#[test]
fn memory_bio_example_is_memcheck_clean() {
    let exe = compile("c-examples/memory_bio.c", false);
    memcheck(
        &exe,
        &[
            pki("server-rsa.pem"),
            pki("server-rsa-key.pem"),
            pki("ca.pem"),
        ],
    );
}

/// The handshake trace (message and info callbacks, records opened again, the diagram)
/// for a full and a resumed TLS 1.3 connection and a TLS 1.2 one, against real OpenSSL.
#[test]
fn traced_connections_are_memcheck_clean() {
    let srv = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-www"]);
    let exe = compile("tests/c/msg_observer.c", false);
    for version in ["-tls1_3", "-tls1_2"] {
        let out = memcheck(
            &exe,
            &[
                "client".into(),
                srv.port.to_string(),
                "-CAfile".into(),
                pki("ca.pem"),
                "-reconnect".into(),
                "-diagram".into(),
                version.into(),
            ],
        );
        assert!(out.contains("reused 1"), "{out}");
        assert!(out.contains("handshake complete"), "{out}");
    }
}
