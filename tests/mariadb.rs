//! MariaDB 10.11, unmodified, on ferrossl: `mariadbd` with `require_secure_transport`
//! and the `mariadb` client with `--ssl-verify-server-cert`, both on ferrossl, give the
//! same answers as both on the system OpenSSL: `Ssl_version`/`Ssl_cipher` over TLS 1.3,
//! `--tls-version=TLSv1.2 --ssl-cipher` with a TLS 1.2 suite name, `--ssl-cipher` with a
//! TLS 1.3 suite name, a wrong CA, a plain connection refused, and a user that requires a
//! client certificate by subject.

mod support;

use std::path::Path;
use std::process::Command;

use support::*;

/// The server's data directory, made by `mariadb-install-db` in `dir`.
fn install(dir: &Path) {
    let out = Command::new("mariadb-install-db")
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .arg("--no-defaults")
        .arg(format!("--datadir={}", dir.join("data").display()))
        .args(["--user=root", "--auth-root-authentication-method=socket"])
        .args(["--skip-test-db", "--innodb-log-file-size=4M"])
        .output()
        .unwrap();
    assert!(out.status.success(), "mariadb-install-db: {}", text(&out));
}

/// `mariadbd` on `lib` in the foreground, TLS with the RSA chain and secure transport
/// required.
fn server(lib: Lib, dir: &Path) -> Peer {
    install(dir);
    let port = free_port();
    let d = dir.display();
    let args: Vec<String> = vec![
        "--no-defaults".into(),
        format!("--datadir={d}/data"),
        format!("--socket={d}/mysqld.sock"),
        format!("--pid-file={d}/mysqld.pid"),
        format!("--log-error={d}/error.log"),
        format!("--port={port}"),
        "--bind-address=127.0.0.1".into(),
        "--user=root".into(),
        "--skip-log-bin".into(),
        "--innodb-buffer-pool-size=16M".into(),
        format!("--ssl-cert={}", pki("server-rsa-chain.pem")),
        format!("--ssl-key={}", pki("server-rsa-key.pem")),
        format!("--ssl-ca={}", pki("ca.pem")),
        "--require-secure-transport=ON".into(),
    ];
    let env = lib_env(lib);
    let server = Peer::server_with_env("mariadbd", &args, port, &env);
    assert_eq!(
        server.runs_on_ferrossl(),
        lib != Lib::System,
        "the server's libssl"
    );
    // Users, over the server's Unix socket (secure transport is not needed there).
    let out = run_bounded(
        client(
            Lib::System,
            &[
                &format!("--socket={d}/mysqld.sock"),
                "-uroot",
                "-e",
                "CREATE USER 'tls'@'%' IDENTIFIED BY 'pw' REQUIRE SSL; \
             CREATE USER 'cert'@'%' IDENTIFIED BY 'pw' REQUIRE SUBJECT '/CN=client';",
            ],
        ),
        30,
    );
    assert!(out.status.success(), "creating users: {}", text(&out));
    server
}

fn client(lib: Lib, args: &[&str]) -> Command {
    let mut cmd = program_on("mariadb", lib);
    cmd.arg("--no-defaults")
        .args(["-N", "--connect-timeout=10"])
        .args(args);
    cmd
}

/// What each client scenario printed, against a server and a client on `lib`.
fn scenarios(lib: Lib) -> Vec<String> {
    let dir = ScratchDir::new("mariadb");
    let server = server(lib, &dir.0);
    let port = server.port.to_string();
    let (ca, other_ca) = (
        format!("--ssl-ca={}", pki("ca.pem")),
        format!("--ssl-ca={}", pki("other-ca.pem")),
    );
    let (cert, key) = (
        format!("--ssl-cert={}", pki("client.pem")),
        format!("--ssl-key={}", pki("client-key.pem")),
    );
    let status = "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')";
    let tcp = ["-h", "127.0.0.1", "-P", port.as_str()];
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "verified",
            vec!["-utls", "-ppw", &ca, "--ssl-verify-server-cert"],
        ),
        (
            "TLS 1.2 suite",
            vec![
                "-utls",
                "-ppw",
                &ca,
                "--ssl-verify-server-cert",
                "--tls-version=TLSv1.2",
                "--ssl-cipher=ECDHE-RSA-AES128-GCM-SHA256",
            ],
        ),
        (
            "TLS 1.3 suite",
            vec![
                "-utls",
                "-ppw",
                &ca,
                "--ssl-verify-server-cert",
                "--ssl-cipher=TLS_AES_128_GCM_SHA256",
            ],
        ),
        (
            "wrong CA",
            vec!["-utls", "-ppw", &other_ca, "--ssl-verify-server-cert"],
        ),
        ("plain", vec!["-utls", "-ppw", "--skip-ssl"]),
        (
            "certificate user with one",
            vec!["-ucert", "-ppw", &ca, &cert, &key],
        ),
        ("certificate user without", vec!["-ucert", "-ppw", &ca]),
    ];
    let mut transcript = Vec::new();
    for (label, args) in cases {
        let mut cmd = client(lib, &tcp);
        cmd.args(args).args(["-e", status]);
        let out = run_bounded(cmd, 30);
        let said = text(&out).split_whitespace().collect::<Vec<_>>().join(" ");
        transcript.push(format!("{label}: {said}"));
    }
    transcript
}

#[test]
fn mariadb_server_and_client_behave_as_on_openssl() {
    let system = scenarios(Lib::System);
    let ours = scenarios(Lib::Ferrossl);
    let text = system.join("\n");
    assert_says_all(
        &text,
        &[
            "verified: Ssl_cipher TLS_AES_256_GCM_SHA384 Ssl_version TLSv1.3",
            "TLS 1.2 suite: Ssl_cipher ECDHE-RSA-AES128-GCM-SHA256 Ssl_version TLSv1.2",
            "wrong CA: ERROR 2026",
            "certificate user with one: Ssl_cipher",
            "certificate user without: ERROR 1045",
        ],
    );
    assert_same_lines(&system, &ours, "MariaDB on ferrossl");
}
