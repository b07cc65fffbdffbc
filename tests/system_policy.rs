//! OpenSSL's configuration file as a system-wide policy (`OPENSSL_CONF`, an `ssl_conf`
//! section whose `system_default` applies to every new context): the same files give the
//! same contexts and handshakes on ferrossl as on the system OpenSSL (`tests/c/policy_probe.c`:
//! protocol bounds, cipher string with `@SECLEVEL`, TLS 1.3 suites, groups, signature
//! algorithms, options, named sections through `SSL_CTX_config`/`SSL_config`, an unknown
//! command, a missing file, `OPENSSL_INIT_NO_LOAD_CONFIG`), and programs under a policy
//! answer as on OpenSSL: curl refuses a TLS 1.2 server under one that forbids TLS 1.2
//! (exit 35), Python's default context sets its own minimum over it, and nginx its own
//! protocol bounds while it keeps the policy's groups.

mod support;

use support::*;

fn policy(name: &str) -> String {
    root()
        .join("tests/policy")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn policy_files_apply_as_in_openssl() {
    let probe = compile("tests/c/policy_probe.c", false);
    let pki_dir = root().join("tests/pki").to_string_lossy().into_owned();
    let files = [
        policy("tls13_only.cnf"),
        policy("strict.cnf"),
        policy("broken.cnf"),
        "/nonexistent/openssl.cnf".to_owned(),
    ];
    let mut strict = String::new();
    for file in &files {
        for scenario in ["loaded", "not-loaded"] {
            let run = |lib| {
                let mut cmd = c_command(&probe, lib);
                cmd.env("OPENSSL_CONF", file).args([scenario, &pki_dir]);
                let out = run_bounded(cmd, 30);
                assert!(
                    out.status.success(),
                    "{file} {scenario} on {lib:?}: {}",
                    text(&out)
                );
                text(&out)
            };
            let (system, ours) = (run(Lib::System), run(Lib::Ferrossl));
            // Where no policy sets the groups, ferrossl's default hybrid group stands where
            // OpenSSL 3.0 negotiates X25519 (tests/post_quantum_defaults.rs); a policy's
            // groups (strict.cnf) must still be negotiated as on OpenSSL.
            let ours = ours.replace("group X25519MLKEM768,", "group x25519,");
            assert_eq!(
                ours, system,
                "{file}, {scenario}: ferrossl (left), OpenSSL (right)"
            );
            if file.ends_with("strict.cnf") && scenario == "loaded" {
                strict = system;
            }
        }
    }
    assert_says_all(
        &strict,
        &[
            "server: min 303 max 304, security level 2, server preference 1, no ticket 1",
            "negotiated TLSv1.3 TLS_AES_128_GCM_SHA256, group secp256r1",
            "named section: 1",
            "negotiated TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384",
            "missing section: 0",
        ],
    );
}

/// `SSL_CONF_cmd`'s command table as OpenSSL 3.0 has it: the command-line switches
/// (`-no_tls1_3`, ...; server-only and client-only ones), `Protocol` and `Options` lists
/// (case, `+`/`-`, a keyword that stops the list), a server whose switch turns TLS 1.3
/// off meeting a default client; the file commands (`VerifyMode`, `NumTickets`,
/// `RecordPadding`, `ChainCAFile`/`Path`, `VerifyCAFile`/`Path`, `RequestCAFile`,
/// `ClientCAFile`, `DHParameters`, `ECDHParameters`) with what each leaves, and a handshake
/// configured by them.
#[test]
fn conf_commands_as_in_openssl() {
    let probe = compile("tests/c/policy_probe.c", false);
    let pki_dir = root().join("tests/pki").to_string_lossy().into_owned();
    let run = |lib| {
        let mut cmd = c_command(&probe, lib);
        cmd.args(["commands", &pki_dir]);
        text(&run_bounded(cmd, 30))
    };
    let system = run(Lib::System);
    assert_says_all(
        &system,
        &[
            "-no_tls1_3 : 1",
            "-serverpref : -2",
            "Protocol TLSv1.2,bogus,TLSv1.3: 0",
            "negotiated TLSv1.2",
            "VerifyMode Require,Once: 2 (finish 1), verify mode 7",
            "NumTickets abc: 2 (finish 1), verify mode 0, tickets 0",
            "chain store 1",
            "verify store 2",
            "CA names 2",
            "DHParameters /",
            "ECDHParameters P-256:X25519: 0",
            "group secp384r1",
        ],
    );
    assert_eq!(run(Lib::Ferrossl), system);
}

/// curl, on `lib`, fetching from a TLS 1.2-only server under the policy `conf` (none: no
/// policy): its exit code, and whether ferrossl traced the handshake.
fn curl_under(lib: Lib, conf: Option<&str>, port: u16, trace: &ScratchDir) -> (i32, bool) {
    let mut cmd = program_on("curl", lib);
    if let Some(conf) = conf {
        cmd.env("OPENSSL_CONF", conf);
    }
    cmd.env("FERROSSL_TRACE", &trace.0)
        .args([
            "-sS",
            "-o",
            "/dev/null",
            "--max-time",
            "15",
            "--cacert",
            &pki("ca.pem"),
        ])
        .arg(format!("https://localhost:{port}/"));
    let before = std::fs::read_dir(&trace.0).map_or(0, |d| d.count());
    let out = run_bounded(cmd, 30);
    let traced = std::fs::read_dir(&trace.0).map_or(0, |d| d.count()) > before;
    (out.status.code().unwrap_or(-1), traced)
}

#[test]
fn curl_refuses_tls12_under_a_policy_that_forbids_it() {
    let server = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-tls1_2", "-www"]);
    let trace = ScratchDir::new("policy-trace");
    let tls13_only = policy("tls13_only.cnf");
    assert_eq!(
        curl_under(Lib::System, None, server.port, &trace),
        (0, false)
    );
    assert_eq!(
        curl_under(Lib::System, Some(&tls13_only), server.port, &trace),
        (35, false)
    );
    // On ferrossl (the trace proves which libssl did the handshake).
    assert_eq!(
        curl_under(Lib::Ferrossl, None, server.port, &trace),
        (0, true)
    );
    assert_eq!(
        curl_under(Lib::Ferrossl, Some(&tls13_only), server.port, &trace),
        (35, true)
    );
}

#[test]
fn python_and_nginx_under_a_policy_that_forbids_tls12() {
    let tls12 = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-tls1_2", "-www"]);
    let tls13_only = policy("tls13_only.cnf");
    // Python's default context sets its own minimum (TLS 1.2) after SSL_CTX_new, over the
    // policy's, on either library; a context that keeps the library's minimum obeys it.
    let script = format!(
        "import ssl, socket
for label, ctx in (('default context', ssl.create_default_context(cafile='{ca}')),
                   ('library minimum', ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))):
    ctx.load_verify_locations('{ca}')
    try:
        with socket.create_connection(('127.0.0.1', {port}), timeout=10) as s:
            with ctx.wrap_socket(s, server_hostname='localhost') as t:
                print(label, t.version())
    except ssl.SSLError as e:
        print(label, 'refused:', e.reason)
",
        ca = pki("ca.pem"),
        port = tls12.port
    );
    let python = |lib| {
        let mut cmd = program_on("/usr/bin/python3", lib);
        cmd.env("OPENSSL_CONF", &tls13_only).args(["-c", &script]);
        text(&run_bounded(cmd, 30))
    };
    let system = python(Lib::System);
    assert!(system.contains("refused:"), "{system}");
    assert_eq!(python(Lib::Ferrossl), system);

    // nginx (1.22: TLS 1.2 and older by default) sets its own protocol bounds over the
    // policy's (on OpenSSL too: it resets the minimum), so TLS 1.2 is served on both; the
    // policy's groups, which nginx leaves alone by default, are obeyed on both.
    for (conf, version) in [
        (tls13_only.clone(), "-tls1_2"),
        (policy("p256_only.cnf"), "-tls1_2"),
    ] {
        let env = [("OPENSSL_CONF", conf.clone())];
        let (ours, _d1) = nginx_on(Lib::Ferrossl, "", "", &env);
        assert!(ours.runs_on_ferrossl());
        let (theirs, _d2) = nginx_on(Lib::System, "", "", &env);
        let handshake = |port: u16| {
            s_client(port, &[version])
                .lines()
                .filter(|l| l.contains("Cipher is") || l.contains("Server Temp Key"))
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let system = handshake(theirs.port);
        assert!(system.contains("Cipher is"), "{system}");
        if version == "-tls1_3" {
            assert!(
                system.contains("Server Temp Key: ECDH, prime256v1"),
                "{system}"
            );
        }
        assert_eq!(handshake(ours.port), system, "{conf} {version}");
    }
}
