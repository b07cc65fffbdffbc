//! ferrossl built with a sanitizer (std rebuilt with it too, so its locks and atomics are
//! seen), under C programs built with the matching runtime:
//! - ThreadSanitizer: the thread stress program (`tests/c/threads.c`) must run without a
//!   single report (accesses made inside OpenSSL's uninstrumented libcrypto are not
//!   checked, see `tests/c/tsan.supp`); a planted race in the program itself must be
//!   reported, which shows the detector is watching.
//! - AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer: the probe's
//!   scenarios, the memory-BIO example, the thread and fork programs, and the socket
//!   examples against real OpenSSL peers, with no report and nothing leaked.
//!
//! Needs the `rust-src` component (`rustup component add rust-src`) for `-Zbuild-std`.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::*;

/// Builds the library with `-Zsanitizer=<sanitizer>` into `target/sanitizers/<sanitizer>`
/// and returns the directory holding its `libssl.so.3`.
fn sanitized_lib(sanitizer: &str) -> PathBuf {
    let target = format!("{}-unknown-linux-gnu", std::env::consts::ARCH);
    let target_dir = root().join("target/sanitizers").join(sanitizer);
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .current_dir(root())
        // The sanitizer flags are unstable; the stable toolchain accepts them this way.
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTFLAGS", format!("-Zsanitizer={sanitizer}"))
        .env("CARGO_PROFILE_RELEASE_DEBUG", "1")
        .env("CARGO_PROFILE_RELEASE_STRIP", "none")
        .args([
            "build",
            "-Zbuild-std",
            "--release",
            "--lib",
            "--target",
            &target,
        ])
        .arg("--target-dir")
        .arg(&target_dir);
    let out = run_bounded(cargo, 1500);
    assert!(
        out.status.success(),
        "the {sanitizer}-sanitized build failed (is rust-src installed?):\n{}",
        text(&out)
    );
    let dir = target_dir.join(target).join("release");
    let imports = Command::new("nm")
        .args(["-D", "--undefined-only"])
        .arg(dir.join("libssl.so.3"))
        .output()
        .expect("nm runs");
    let prefix = if sanitizer == "thread" {
        "__tsan_"
    } else {
        "__asan_"
    };
    assert!(
        String::from_utf8_lossy(&imports.stdout).contains(prefix),
        "{} is not instrumented",
        dir.display()
    );
    dir
}

/// Runs a sanitized program on the sanitized library; returns whether it exited 0 and
/// everything it printed.
fn run_on(lib: &std::path::Path, exe: &std::path::Path, args: &[&str]) -> (bool, String) {
    let mut cmd = Command::new(exe);
    cmd.env_remove("LD_PRELOAD")
        .env("LD_LIBRARY_PATH", lib)
        .env(
            "ASAN_OPTIONS",
            "detect_leaks=1:halt_on_error=1:abort_on_error=0",
        )
        .env("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
        .env(
            "TSAN_OPTIONS",
            format!(
                "halt_on_error=0:second_deadlock_stack=1:suppressions={}",
                root().join("tests/c/tsan.supp").display()
            ),
        )
        .args(args);
    let out = run_bounded(cmd, 600);
    (out.status.success(), text(&out))
}

#[test]
fn thread_stress_has_no_race_under_thread_sanitizer() {
    let lib = sanitized_lib("thread");
    let shim = root().join("tests/c/tsan_runtime_shim.c");
    let shim = shim.to_string_lossy();
    let exe = compile_with(
        "tests/c/threads.c",
        "tsan",
        &["-fsanitize=thread", "-rdynamic", &shim, "-lssl"],
    );
    let pki_dir = root().join("tests/pki").to_string_lossy().into_owned();

    let (ok, out) = run_on(&lib, &exe, &[&pki_dir, "4", "500"]);
    assert!(
        ok && out.lines().any(|l| l == "ok") && !out.contains("ThreadSanitizer"),
        "thread stress under ThreadSanitizer:\n{out}"
    );

    let (_, out) = run_on(&lib, &exe, &[&pki_dir, "2", "20", "race"]);
    assert!(
        out.contains("WARNING: ThreadSanitizer: data race"),
        "the planted race was not reported, so the detector is not watching:\n{out}"
    );
}

#[test]
fn c_programs_are_clean_under_address_and_undefined_behavior_sanitizers() {
    let lib = sanitized_lib("address");
    let flags = [
        "-fsanitize=address,undefined",
        "-fno-omit-frame-pointer",
        "-lssl",
    ];
    let pki_dir = root().join("tests/pki").to_string_lossy().into_owned();
    let mut runs: Vec<(PathBuf, Vec<String>)> = Vec::new();
    let probe = compile_with("tests/c/probe.c", "asan", &flags);
    for scenario in PROBE_SCENARIOS {
        runs.push((probe.clone(), vec![scenario.to_string(), pki_dir.clone()]));
    }
    let api_probe = compile_with("tests/c/api_probe.c", "asan", &flags);
    for scenario in API_PROBE_SCENARIOS {
        runs.push((
            api_probe.clone(),
            vec![scenario.to_string(), pki_dir.clone()],
        ));
    }
    runs.push((
        compile_with("c-examples/memory_bio.c", "asan", &flags),
        vec![
            pki("server-rsa.pem"),
            pki("server-rsa-key.pem"),
            pki("ca.pem"),
        ],
    ));
    runs.push((
        compile_with("tests/c/threads.c", "asan", &flags),
        vec![pki_dir.clone(), "2".into(), "100".into()],
    ));
    runs.push((
        compile_with("tests/c/fork.c", "asan", &flags),
        vec![pki_dir.clone()],
    ));
    for (exe, args) in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, out) = run_on(&lib, exe, &args);
        assert!(
            ok && !out.contains("Sanitizer") && !out.contains("runtime error"),
            "{} {args:?} under ASan+UBSan:\n{out}",
            exe.display()
        );
    }
}

/// The example programs over real sockets, built with ASan+UBSan on the ASan-built
/// library: the blocking and the poll-driven clients against a real `openssl s_server`,
/// and the server answering a real `openssl s_client`.
#[test]
fn examples_over_sockets_are_clean_under_address_and_undefined_behavior_sanitizers() {
    let lib = sanitized_lib("address");
    let flags = [
        "-fsanitize=address,undefined",
        "-fno-omit-frame-pointer",
        "-lssl",
    ];
    let clean = |what: &str, ok: bool, out: &str| {
        assert!(
            ok && !out.contains("Sanitizer") && !out.contains("runtime error"),
            "{what} under ASan+UBSan:\n{out}"
        );
    };
    let srv = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-www"]);
    let port = srv.port.to_string();
    let client = compile_with("c-examples/client.c", "asan", &flags);
    let (ok, out) = run_on(
        &lib,
        &client,
        &["127.0.0.1", &port, "-CAfile", &pki("ca.pem")],
    );
    clean("client.c", ok, &out);
    assert!(out.contains("HTTP/1.0 200 ok"), "{out}");
    let nonblocking = compile_with("c-examples/nonblocking_client.c", "asan", &flags);
    let (ok, out) = run_on(
        &lib,
        &nonblocking,
        &["127.0.0.1", &port, &pki("ca.pem"), "localhost"],
    );
    clean("nonblocking_client.c", ok, &out);
    assert!(out.contains("HTTP/1.0 200 ok"), "{out}");

    let server = compile_with("c-examples/server.c", "asan", &flags);
    let mut cmd = Command::new(&server);
    cmd.env_remove("LD_PRELOAD")
        .env("LD_LIBRARY_PATH", &lib)
        .env("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1")
        .env("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
        .args(["0", &pki("server-rsa.pem"), &pki("server-rsa-key.pem")]);
    // It serves one connection and exits; killed after 60 s at the latest.
    let server = ReportingServer::spawn(cmd, 60);
    let port = server.port;
    let mut s_client = Command::new("openssl");
    s_client
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .args(["-CAfile", &pki("ca.pem"), "-ign_eof"]);
    let answer = text(&run_bounded_with_input(s_client, "hello\n", 20));
    assert!(answer.contains("echo: hello"), "{answer}");
    let (status, printed) = server.finish();
    clean("server.c", status.success(), &printed);
}
