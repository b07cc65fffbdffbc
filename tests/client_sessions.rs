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

/// `openssl s_client` on `lib`: its connection to 127.0.0.1:`port` with `args` (one HTTP
/// request); what it printed and its exit status.
fn s_client_on(lib: Lib, port: u16, args: &[&str]) -> (String, bool) {
    let mut cmd = std::process::Command::new("openssl");
    cmd.env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .envs(lib_env(lib))
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .args([
            "-CAfile",
            &pki("ca.pem"),
            "-servername",
            "localhost",
            "-ign_eof",
        ])
        .args(args);
    let out = run_bounded_with_input(cmd, "GET / HTTP/1.0\r\n\r\n", 15);
    (text(&out), out.status.success())
}

/// A session saved by one `s_client` process (`-sess_out`, `i2d_SSL_SESSION`) resumes in
/// the next (`-sess_in`, `d2i_SSL_SESSION`), over TLS 1.2 and 1.3, against `openssl
/// s_server` and against a ferrossl server, as with OpenSSL on the client.
#[test]
fn sessions_resume_in_another_process() {
    let run = |client: Lib, server: Lib, version: &str| {
        let scratch = ScratchDir::new("sess-file");
        let srv = s_server_on(server, &["-www"], &[], &scratch.0);
        let file = scratch.0.join("session.pem").to_string_lossy().into_owned();
        let (first, _) = s_client_on(client, srv.port, &[version, "-sess_out", &file]);
        let (second, _) = s_client_on(client, srv.port, &[version, "-sess_in", &file]);
        let line = |out: &str| {
            out.lines()
                .find(|l| l.starts_with("New,") || l.starts_with("Reused,"))
                .unwrap_or("no handshake")
                .to_owned()
        };
        assert!(second.contains("HTTP/1.0 200 ok"), "{second}");
        format!("{version}: {} then {}", line(&first), line(&second))
    };
    for version in ["-tls1_2", "-tls1_3"] {
        let openssl = run(Lib::System, Lib::System, version);
        assert!(openssl.contains("then Reused,"), "{openssl}");
        for server in [Lib::System, Lib::Ferrossl] {
            let ours = run(Lib::Ferrossl, server, version);
            assert_eq!(ours, openssl, "client on ferrossl, server on {server:?}");
        }
    }
}

/// A session file that is not ferrossl's (OpenSSL's own form, or cut short) is refused as
/// OpenSSL refuses one it cannot read: `s_client` says so and stops. (The other way round
/// too: ferrossl's form is not OpenSSL's.)
#[test]
fn foreign_or_corrupt_session_files_are_refused() {
    let scratch = ScratchDir::new("sess-foreign");
    let srv = s_server_on(Lib::System, &["-www"], &[], &scratch.0);
    let openssl_file = scratch.0.join("openssl.pem").to_string_lossy().into_owned();
    let (_, ok) = s_client_on(Lib::System, srv.port, &["-sess_out", &openssl_file]);
    assert!(ok);
    let ours_file = scratch.0.join("ours.pem").to_string_lossy().into_owned();
    s_client_on(Lib::Ferrossl, srv.port, &["-sess_out", &ours_file]);
    let pem = std::fs::read_to_string(&ours_file).unwrap();
    assert!(
        pem.starts_with("-----BEGIN SSL SESSION PARAMETERS-----"),
        "{pem}"
    );
    // Cut short: the DER framing no longer holds.
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let corrupt = &body[..body.len() / 8 * 4];
    let corrupt_file = scratch.0.join("corrupt.pem");
    std::fs::write(
        &corrupt_file,
        format!("-----BEGIN SSL SESSION PARAMETERS-----\n{corrupt}\n-----END SSL SESSION PARAMETERS-----\n"),
    )
    .unwrap();
    for (lib, file) in [
        (Lib::Ferrossl, openssl_file.as_str()),
        (Lib::System, ours_file.as_str()),
        (Lib::Ferrossl, &*corrupt_file.to_string_lossy()),
    ] {
        let (out, ok) = s_client_on(lib, srv.port, &["-sess_in", file]);
        assert!(!ok, "{lib:?} read {file}: {out}");
        assert!(
            out.contains("Can't open session file"),
            "{lib:?} {file}: {out}"
        );
    }
}
