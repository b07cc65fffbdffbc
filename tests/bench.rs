//! The benchmark harness keeps working: `bench/run --smoke` builds the bench program, runs
//! every scenario briefly on both libraries and writes its table (each side and direction
//! on its own, medians with their spread), the machine's load and its chart. No timings
//! are asserted (speed is measured by `bench/run`, not by tests).

mod support;

use std::process::Command;

use support::*;

#[test]
fn bench_harness_runs_every_scenario() {
    let mut cmd = Command::new(root().join("bench/run"));
    cmd.arg("--smoke")
        .current_dir(root())
        .env_remove("LD_LIBRARY_PATH");
    let out = run_bounded(cmd, 600);
    assert!(out.status.success(), "{}", text(&out));
    let tsv = std::fs::read_to_string(root().join("target/bench/results.tsv")).unwrap();
    let mut lines = tsv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "scenario\tunit\topenssl\topenssl_min\topenssl_max\tferrossl\tferrossl_min\t\
             ferrossl_max\trustls_native\tferrossl_over_openssl\tferrossl_over_native"
        )
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    // Fifteen in-process scenarios (also run on native rustls): handshakes and bulk with
    // each side or direction on its own (three rows each), threads and memory (one each);
    // four with nginx under wrk, each with the worker's CPU per request.
    assert_eq!(rows.len(), 39 + 8, "{tsv}");
    for row in [
        "handshake-tls13-defaults:server",
        "resume-tls13-one-session:client",
        "bulk-tls13-chacha20:receive",
        "bulk-tls12-aes128gcm:send",
        "nginx-small-close:worker-cpu",
    ] {
        assert!(tsv.contains(&format!("\n{row}\t")), "{row}: {tsv}");
    }
    for r in &rows {
        let nginx = r[0].starts_with("nginx-");
        assert_eq!(r[8] == "n/a", nginx, "{tsv}");
        for (i, value) in r.iter().enumerate().skip(2) {
            if nginx && (i == 8 || i == 10) {
                continue;
            }
            assert!(value.parse::<f64>().unwrap() > 0.0, "{tsv}");
        }
        // The median lies within its spread.
        for (min, med, max) in [(3, 2, 4), (6, 5, 7)] {
            let v = |i: usize| r[i].parse::<f64>().unwrap();
            assert!(v(min) <= v(med) && v(med) <= v(max), "{tsv}");
        }
    }
    let machine = std::fs::read_to_string(root().join("target/bench/machine.txt")).unwrap();
    assert!(
        machine.contains("load_before ") && machine.contains("load_after "),
        "{machine}"
    );
    assert!(
        std::fs::read_to_string(root().join("target/bench/results.svg"))
            .unwrap()
            .contains("<svg")
    );
}
