//! A bounded run of every fuzz target in `fuzz/` (cargo fuzz, libFuzzer with
//! AddressSanitizer), starting from the committed seed corpora. New inputs go to a
//! scratch corpus under `target/`, so the committed seeds stay as they are; any crash,
//! leak, panic or timeout fails the test, and libFuzzer's report (with the input that
//! caused it, saved under `fuzz/artifacts/`) is printed.
//!
//! Needs cargo-fuzz (`cargo install cargo-fuzz`); `FERROSSL_FUZZ_SECONDS` sets the time
//! per target (default 15).

mod support;

use std::process::Command;

use support::*;

const TARGETS: &[&str] = &[
    "peer_to_client",
    "peer_to_server",
    "api_calls",
    "key_and_certificate_loading",
    "cipher_string",
    "session_der",
];

fn cargo_fuzz(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(root().join("fuzz"))
        // libFuzzer's instrumentation flags are unstable; the stable toolchain takes them so.
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .arg("fuzz")
        .args(args);
    cmd
}

#[test]
fn every_fuzz_target_runs_clean_for_a_bounded_time() {
    let seconds = std::env::var("FERROSSL_FUZZ_SECONDS").unwrap_or_else(|_| "15".into());
    let build = run_bounded(cargo_fuzz(&["build", "--release"]), 1800);
    assert!(
        build.status.success(),
        "cargo fuzz build failed (is cargo-fuzz installed?):\n{}",
        text(&build)
    );
    let mut summary = Vec::new();
    for target in TARGETS {
        let scratch = root().join("target/fuzz-corpus").join(target);
        std::fs::create_dir_all(&scratch).unwrap();
        let seeds = root().join("fuzz/corpus").join(target);
        assert!(
            std::fs::read_dir(&seeds).unwrap().count() > 0,
            "{target} has no seed corpus"
        );
        let max_time = format!("-max_total_time={seconds}");
        let scratch_arg = scratch.to_string_lossy().into_owned();
        let seeds_arg = seeds.to_string_lossy().into_owned();
        let out = run_bounded(
            cargo_fuzz(&[
                "run",
                "--release",
                target,
                &scratch_arg,
                &seeds_arg,
                "--",
                &max_time,
                "-timeout=10",
                "-rss_limit_mb=2048",
                "-print_final_stats=1",
            ]),
            seconds.parse::<u64>().unwrap_or(15) + 600,
        );
        let report = text(&out);
        assert!(
            out.status.success(),
            "fuzz target {target} failed:\n{report}"
        );
        let runs = report
            .lines()
            .find_map(|l| l.strip_prefix("stat::number_of_executed_units: "))
            .unwrap_or("?")
            .trim()
            .to_string();
        summary.push(format!("{target}: {runs} executions"));
    }
    // Shown with --nocapture: the figures for the closing note.
    println!("{}", summary.join("\n"));
}
