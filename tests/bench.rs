//! The benchmark harness keeps working: `bench/run --smoke` builds the bench program, runs
//! every scenario briefly on both libraries and writes its table and chart. No timings are
//! asserted (speed is measured by `bench/run`, not by tests).

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
        Some("scenario\tunit\topenssl\tferrossl\trustls_native\tferrossl_over_openssl\tferrossl_over_native")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    // Thirteen in-process scenarios (also run on native rustls) and four with nginx under wrk.
    assert_eq!(rows.len(), 17, "{tsv}");
    assert!(tsv.contains("\nhandshake-tls13-defaults\t"), "{tsv}");
    for (i, r) in rows.iter().enumerate() {
        let measured: &[&str] = if i < 13 {
            &[r[2], r[3], r[4], r[5], r[6]]
        } else {
            assert_eq!((r[4], r[6]), ("n/a", "n/a"), "{tsv}");
            &[r[2], r[3], r[5]]
        };
        for value in measured {
            assert!(value.parse::<f64>().unwrap() > 0.0, "{tsv}");
        }
    }
    assert!(
        std::fs::read_to_string(root().join("target/bench/results.svg"))
            .unwrap()
            .contains("<svg")
    );
}
