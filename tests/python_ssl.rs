//! Python's `ssl` module (CPython's `_ssl`, linked against libssl.so.3) on ferrossl: the
//! same script prints the same transcript on the system OpenSSL and on ferrossl — a
//! server with an SNI callback switching contexts and ALPN, clients with `set_ciphers`
//! and verification failures, `SSLObject` over memory BIOs, asyncio streams, and keys
//! encrypted with a password.

mod support;

use std::process::Command;

use support::*;

fn run(lib: Lib) -> String {
    let mut cmd = Command::new("python3");
    cmd.env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .env("PYTHONUNBUFFERED", "1");
    if lib == Lib::Ferrossl {
        cmd.env("LD_LIBRARY_PATH", lib_dir());
    }
    cmd.arg(root().join("tests/python/ssl_module.py"))
        .arg(root().join("tests/pki"));
    let out = run_bounded(cmd, 60);
    assert!(
        out.status.success(),
        "python on {lib:?} failed:\n{}",
        text(&out)
    );
    text(&out)
}

/// The transcript, and the libssl the process had mapped (its last line).
fn transcript(out: &str) -> (&str, &str) {
    let body = out.trim_end();
    let (rest, last) = body.rsplit_once('\n').unwrap_or(("", body));
    (rest, last.strip_prefix("libssl mapped: ").unwrap_or(""))
}

#[test]
fn python_ssl_module_behaves_as_on_openssl() {
    let system_out = run(Lib::System);
    let ours_out = run(Lib::Ferrossl);
    let (system, system_lib) = transcript(&system_out);
    let (ours, ours_lib) = transcript(&ours_out);
    assert!(system.contains("asyncio: async hello"), "{system_out}");
    assert_eq!(system_lib, "/usr/lib/x86_64-linux-gnu/libssl.so.3");
    assert!(
        ours_lib.contains(&*lib_dir().to_string_lossy()),
        "python did not load ferrossl: {ours_lib}"
    );
    assert_eq!(ours, system);
}
