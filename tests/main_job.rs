//! The README's main job (`bash c-examples/demo.sh`) keeps working: curl and Python's
//! http.server on ferrossl with both handshakes drawn (TLS 1.3 and 1.2), SVGs written,
//! and the example client against a real OpenSSL server.

mod support;

use std::process::Command;

use support::*;

#[test]
fn demo_draws_both_sides_of_real_handshakes() {
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("c-examples/demo.sh"))
        .current_dir(root())
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD");
    let out = run_bounded(cmd, 300);
    let text = text(&out);
    assert!(out.status.success(), "{text}");
    for want in [
        "client side: TLS 1.3",
        "server side: TLS 1.3",
        "client side: TLS 1.2",
        "server side: TLS 1.2",
        "1  ClientHello",
        "handshake complete",
        "verify result: 0 (ok)",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    assert_eq!(text.matches("HTTP 200").count(), 2, "{text}");
    let svgs = std::fs::read_dir(root().join("target/demo-trace/tls1.3"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".svg"))
        })
        .count();
    assert_eq!(svgs, 2, "a client and a server SVG for TLS 1.3");
}
