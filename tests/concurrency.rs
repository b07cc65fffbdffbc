//! Threads and fork(), on the system OpenSSL and on ferrossl with the same C programs:
//! contexts shared by threads (session caches, ticket keys, statistics), and contexts and
//! connections that live on in both processes after a fork. The same programs run under
//! the sanitizers in `sanitizers.rs`.

mod support;

use support::*;

/// Runs a C program from `tests/c/` with `args` after the PKI directory on both libraries;
/// each run must end with "ok".
fn passes_on_both(source: &str, args: &[&str]) {
    let exe = compile(source, false);
    for lib in [Lib::System, Lib::Ferrossl] {
        let mut cmd = c_command(&exe, lib);
        cmd.arg(root().join("tests/pki")).args(args);
        let out = run_bounded(cmd, 300);
        let t = text(&out);
        assert!(
            out.status.success() && t.lines().any(|l| l == "ok"),
            "{source} {args:?} on {lib:?}:\n{t}"
        );
    }
}

#[test]
fn threads_share_one_client_and_one_server_context() {
    // 4 threads x 500 rounds: 2,000 handshakes, full and resumed, TLS 1.2 (tickets and
    // session ids) and 1.3, each with 24 KiB carried both ways and a clean shutdown.
    passes_on_both("tests/c/threads.c", &["4", "500"]);
}

#[test]
fn contexts_and_connections_survive_fork() {
    passes_on_both("tests/c/fork.c", &[]);
}
