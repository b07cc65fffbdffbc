//! Client sessions as OpenSSL's: one `SSL_SESSION` offered on many connections
//! (`tests/c/session_reuse.c`) resumes every time with client-side caching off and once
//! with it on (TLS 1.3 tickets are single-use only there), keeps reporting a ticket and the
//! server's lifetime hint, and newer tickets arrive as new sessions; in one process over a
//! BIO pair and against a real `openssl s_server`. Python's `session=` reuse resumes against
//! `openssl s_server -www` after Python's own way of closing.

mod support;

use support::*;

/// The probe's transcript on `lib`, over a BIO pair or against 127.0.0.1:`port`.
fn session_reuse(lib: Lib, port: Option<u16>) -> String {
    let exe = compile("tests/c/session_reuse.c", false);
    let mut cmd = c_command(&exe, lib);
    cmd.arg(root().join("tests/pki"));
    if let Some(p) = port {
        cmd.arg(p.to_string());
    }
    let out = run_bounded(cmd, 60);
    assert!(out.status.success(), "{}", text(&out));
    text(&out)
}

#[test]
fn one_session_on_many_connections_over_a_bio_pair() {
    let system = session_reuse(Lib::System, None);
    assert_says_all(
        &system,
        &[
            "-- TLSv1.3, client cache off, tickets",
            "resumed 10 of 10",
            "timeout 7200, made during the run 1, max early data 0, ALPN http/1.1, hostname localhost",
            // Client caching on: a TLS 1.3 session is used once, its ticket stays.
            "resumed 1 of 10",
            "offered session: resumable 0, ticket 1, lifetime hint 7200",
            "-- TLSv1.2, client cache client, session ids",
        ],
    );
    assert_same_lines(
        &system.lines().map(str::to_owned).collect::<Vec<_>>(),
        &session_reuse(Lib::Ferrossl, None)
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>(),
        "session_reuse over a BIO pair",
    );
}

#[test]
fn one_session_on_many_connections_to_openssl_s_server() {
    // The server's default two TLS 1.3 tickets per connection, and one.
    for tickets in ["2", "1"] {
        let server = openssl_server(
            "server-ecdsa.pem",
            "server-ecdsa-key.pem",
            &["-www", "-num_tickets", tickets, "-alpn", "http/1.1"],
        );
        let system = session_reuse(Lib::System, Some(server.port));
        assert_says_all(
            &system,
            &[
                "-- TLSv1.2, client cache off, tickets",
                "with data: reused 1, new-session callbacks 0, same session 1",
                "resumed 10 of 10",
                "resumed 1 of 10",
                // s_server has no servername callback: it does not acknowledge the name.
                "ALPN http/1.1, hostname (none)",
            ],
        );
        assert_same_lines(
            &system.lines().map(str::to_owned).collect::<Vec<_>>(),
            &session_reuse(Lib::Ferrossl, Some(server.port))
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>(),
            &format!("session_reuse against openssl s_server -num_tickets {tickets}"),
        );
    }
}

#[test]
fn python_reuses_a_session_against_openssl_s_server() {
    let (system, ours) = same_script_transcript(
        "/usr/bin/python3",
        "tests/python/session_reuse.py",
        "TLSv1.3 again 3: reused True, page True",
    );
    assert_says_all(
        &system,
        &["TLSv1.2 again 3: reused True", "lifetime hint 7200"],
    );
    assert_eq!(ours, system);
}

/// curl's own session cache (one session per host, from the new-session callback) across
/// three requests to `openssl s_server -www`, which says on each page whether it resumed.
fn curl_pages(lib: Lib, port: u16, version: &str, trace: &ScratchDir) -> Vec<String> {
    let url = format!("https://localhost:{port}/");
    let mut cmd = program_on("curl", lib);
    cmd.env("FERROSSL_TRACE", &trace.0)
        .args([
            "-sS",
            "--max-time",
            "15",
            version,
            "--cacert",
            &pki("ca.pem"),
        ])
        .args(["--resolve", &format!("localhost:{port}:127.0.0.1")])
        .args([&url, &url, &url]);
    let out = text(&run_bounded(cmd, 60));
    out.lines()
        .filter(|l| l.starts_with("New,") || l.starts_with("Reused,"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn curl_resumes_from_its_session_cache() {
    let server = openssl_server("server-ecdsa.pem", "server-ecdsa-key.pem", &["-www"]);
    for version in ["--tlsv1.3", "--tlsv1.2"] {
        let (system_trace, ours_trace) =
            (ScratchDir::new("curl-sys"), ScratchDir::new("curl-ours"));
        let system = curl_pages(Lib::System, server.port, version, &system_trace);
        let ours = curl_pages(Lib::Ferrossl, server.port, version, &ours_trace);
        assert_eq!(system.len(), 3, "{version}: {system:?}");
        assert!(
            system[0].starts_with("New,") && system[2].starts_with("Reused,"),
            "{system:?}"
        );
        assert_eq!(ours, system, "{version}");
        // Only ferrossl writes handshake traces: it is the libssl curl mapped.
        let traces = |d: &ScratchDir| std::fs::read_dir(&d.0).map_or(0, |e| e.count());
        assert_eq!((traces(&system_trace), traces(&ours_trace) > 0), (0, true));
    }
}
