//! Unmodified Debian programs doing their TLS work on ferrossl (via LD_LIBRARY_PATH)
//! against real OpenSSL peers on 127.0.0.1: wrk, socat and redis-cli.

mod support;

use std::path::Path;
use std::process::Command;

use support::*;

#[test]
fn wrk_load_against_nginx_with_keepalive_and_reconnects() {
    let (srv, _dir) = nginx_server();
    let url = format!("https://127.0.0.1:{}/", srv.port);
    for extra in [&[][..], &["-H", "Connection: close"][..]] {
        let mut cmd = program_on_ferrossl("wrk");
        cmd.args(["-t1", "-c2", "-d1s"]).args(extra).arg(&url);
        let out = text(&run_bounded(cmd, 20));
        let requests: u64 = out
            .lines()
            .find(|l| l.contains("requests in"))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(requests > 50, "{out}");
        assert!(
            !out.contains("Socket errors") && !out.contains("Non-2xx"),
            "{out}"
        );
    }
}

#[test]
fn socat_as_client_and_as_server() {
    let (srv, _dir) = nginx_server();
    let mut cmd = program_on_ferrossl("socat");
    cmd.arg("-").arg(format!(
        "OPENSSL:127.0.0.1:{},cafile={},commonname=localhost",
        srv.port,
        pki("ca.pem")
    ));
    let out = text(&run_bounded_with_input(
        cmd,
        "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n",
        15,
    ));
    assert!(
        out.contains("HTTP/1.1 200 OK") && out.contains("hello from nginx"),
        "{out}"
    );

    let mut cmd = program_on_ferrossl("socat");
    cmd.arg("-").arg(format!(
        "OPENSSL:127.0.0.1:{},cafile={},commonname=localhost",
        srv.port,
        pki("other-ca.pem")
    ));
    let out = text(&run_bounded_with_input(cmd, "GET / HTTP/1.0\r\n\r\n", 15));
    assert!(out.contains("certificate verify failed"), "{out}");

    // socat as a server (fork: one child per connection, so a readiness probe costs nothing),
    // sending a file's content one way (-U) so that no helper process races the transfer.
    let scratch = ScratchDir::new("socat");
    let greeting = scratch.0.join("greeting.txt");
    std::fs::write(&greeting, "hello-from-socat\n").unwrap();
    let port = free_port();
    let mut server = program_on_ferrossl("socat")
        .args(["-d", "-d", "-U"])
        .arg(format!(
            "OPENSSL-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,cert={},key={},verify=0",
            pki("server-rsa-chain.pem"),
            pki("server-rsa-key.pem")
        ))
        .arg(format!("OPEN:{},rdonly", greeting.display()))
        .stderr(std::fs::File::create(scratch.0.join("socat.log")).unwrap())
        .spawn()
        .unwrap();
    let ready = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    let mut client = Command::new("openssl");
    client
        .env_remove("LD_LIBRARY_PATH")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-CAfile",
            &pki("ca.pem"),
        ])
        // -ign_eof: wait for socat's answer rather than leave when our input ends.
        .args(["-verify_return_error", "-quiet", "-ign_eof"]);
    // Nothing is sent: bytes socat never reads would make its close() reset the connection.
    let out = text(&run_bounded_with_input(client, "", 15));
    let _ = server.kill();
    let _ = server.wait();
    assert!(ready, "socat did not listen");
    let log = std::fs::read_to_string(scratch.0.join("socat.log")).unwrap_or_default();
    assert!(out.contains("hello-from-socat"), "{out}\nsocat:\n{log}");
}

#[test]
fn redis_cli_against_a_tls_redis_server() {
    let port = free_port();
    let dir = ScratchDir::new("redis");
    let args: Vec<String> = [
        "--port",
        "0",
        "--tls-port",
        &port.to_string(),
        "--bind",
        "127.0.0.1",
        "--tls-cert-file",
        &pki("server-rsa.pem"),
        "--tls-key-file",
        &pki("server-rsa-key.pem"),
        "--tls-ca-cert-file",
        &pki("ca.pem"),
        "--tls-auth-clients",
        "no",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        &dir.0.to_string_lossy(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let _srv = Peer::server("redis-server", &args, port);
    let cli = |ca: &str, cmd_args: &[&str]| {
        let mut cmd = program_on_ferrossl("redis-cli");
        cmd.args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "--tls",
            "--cacert",
            &pki(ca),
            "--sni",
            "localhost",
        ])
        .args(cmd_args);
        text(&run_bounded(cmd, 15))
    };
    assert_eq!(cli("ca.pem", &["SET", "k", "over ferrossl"]).trim(), "OK");
    assert_eq!(cli("ca.pem", &["GET", "k"]).trim(), "over ferrossl");
    let refused = cli("other-ca.pem", &["PING"]);
    assert!(refused.contains("certificate verify failed"), "{refused}");
}

fn curl(args: &[&str]) -> (i32, String) {
    let mut cmd = program_on_ferrossl("curl");
    cmd.args(["-sS", "--max-time", "15"]).args(args);
    let out = run_bounded(cmd, 20);
    (out.status.code().unwrap_or(-1), text(&out))
}

#[test]
fn curl_against_nginx() {
    let (srv, _dir) = nginx_server();
    let url = format!("https://localhost:{}/", srv.port);
    let ca = pki("ca.pem");
    let (code, out) = curl(&["--cacert", &ca, &url]);
    assert_eq!((code, out.as_str()), (0, "hello from nginx\n"));
    let (code, out) = curl(&["--cacert", &pki("other-ca.pem"), &url]);
    assert_eq!(code, 60, "{out}");
    let (code, out) = curl(&[
        "--cacert",
        &ca,
        "--http2",
        "-o",
        "/dev/null",
        "-w",
        "%{http_version}",
        &url,
    ]);
    assert_eq!((code, out.as_str()), (0, "2"));
    let (code, out) = curl(&[
        "--cacert",
        &ca,
        "--http1.1",
        "-o",
        "/dev/null",
        "-w",
        "%{http_version}",
        &url,
    ]);
    assert_eq!((code, out.as_str()), (0, "1.1"));
    let (code, out) = curl(&[
        "--cacert",
        &ca,
        "-v",
        "--tlsv1.2",
        "--tls-max",
        "1.2",
        "--ciphers",
        "ECDHE-RSA-CHACHA20-POLY1305",
        &url,
    ]);
    assert!(
        code == 0 && out.contains("SSL connection using TLSv1.2 / ECDHE-RSA-CHACHA20-POLY1305"),
        "{out}"
    );
    let (code, out) = curl(&[
        "--cacert",
        &ca,
        "--ciphers",
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        &url,
    ]);
    assert_eq!(code, 35, "{out}");
}

#[test]
fn curl_against_openssl_tls13_client_certificates_key_log() {
    let srv = openssl_server(
        "server-rsa.pem",
        "server-rsa-key.pem",
        &["-www", "-Verify", "1", "-CAfile", &pki("ca.pem")],
    );
    let url = format!("https://localhost:{}/", srv.port);
    let ca = pki("ca.pem");
    let scratch = ScratchDir::new("curl");
    let key_log = scratch.0.join("keys.log");
    for key in [
        "client-key.pem",
        "client-key-enc.pem",
        "client-key-enc-traditional.pem",
    ] {
        let mut cmd = program_on_ferrossl("curl");
        cmd.env("SSLKEYLOGFILE", &key_log);
        cmd.args([
            "-sS",
            "--max-time",
            "15",
            "--cacert",
            &ca,
            "--cert",
            &pki("client.pem"),
            "--key",
            &pki(key),
        ])
        .args([
            "--pass",
            "secret",
            "--tls13-ciphers",
            "TLS_CHACHA20_POLY1305_SHA256",
            &url,
        ]);
        let out = text(&run_bounded(cmd, 20));
        assert!(
            out.contains("Cipher is TLS_CHACHA20_POLY1305_SHA256"),
            "{key}: {out}"
        );
        assert!(out.contains("Client certificate"), "{key}: {out}");
    }
    let (code, out) = curl(&[
        "--cacert",
        &ca,
        "--cert",
        &pki("client.pem"),
        "--key",
        &pki("client-key-enc.pem"),
        "--pass",
        "wrong",
        &url,
    ]);
    assert_eq!(code, 58, "{out}");
    let log = std::fs::read_to_string(&key_log).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    for label in [
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "SERVER_TRAFFIC_SECRET_0",
    ] {
        let with: Vec<&&str> = lines.iter().filter(|l| l.starts_with(label)).collect();
        assert_eq!(with.len(), 3, "{label} once per connection:\n{log}");
        for l in with {
            let f: Vec<&str> = l.split(' ').collect();
            assert_eq!(f.len(), 3, "{l}");
            assert_eq!(f[1].len(), 64, "client random: {l}");
            assert!(
                f[2].len() == 64 && f[2].bytes().all(|b| b.is_ascii_hexdigit()),
                "secret: {l}"
            );
        }
    }
}

#[test]
fn h2load_and_nghttp_over_h2_against_nginx() {
    let (srv, _dir) = nginx_server();
    let url = format!("https://127.0.0.1:{}/", srv.port);
    let mut cmd = program_on_ferrossl("h2load");
    cmd.args(["-n", "100", "-c", "2", &url]);
    let out = text(&run_bounded(cmd, 30));
    assert!(out.contains("Application protocol: h2"), "{out}");
    // SSL_get_peer_tmp_key: nginx's X25519 share, as h2load reports it on OpenSSL.
    assert!(out.contains("Server Temp Key: X25519 253 bits"), "{out}");
    assert!(out.contains("100 succeeded, 0 failed"), "{out}");
    let mut cmd = program_on_ferrossl("nghttp");
    cmd.args(["-nv", &url]);
    let out = text(&run_bounded(cmd, 30));
    assert!(out.contains(":status: 200"), "{out}");
}

#[test]
fn curl_resumes_sessions_with_openssl() {
    let srv = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-www"]);
    let url = format!("https://localhost:{}/", srv.port);
    for version in [&["--tlsv1.2", "--tls-max", "1.2"][..], &["--tlsv1.3"][..]] {
        let ca = pki("ca.pem");
        let mut args = vec!["--cacert", ca.as_str()];
        args.extend_from_slice(version);
        args.extend([url.as_str(), url.as_str()]);
        let (code, out) = curl(&args);
        assert_eq!(code, 0, "{out}");
        // s_server -www reports whether each connection was new or resumed.
        let kinds: Vec<&str> = out
            .lines()
            .filter_map(|l| l.split(',').next())
            .filter(|w| *w == "New" || *w == "Reused")
            .collect();
        assert_eq!(kinds, ["New", "Reused"], "{version:?}: {out}");
    }
}

#[test]
fn mosquitto_clients_against_a_tls_broker() {
    let dir = ScratchDir::new("mosquitto");
    let port = free_port();
    let conf = dir.0.join("mosquitto.conf");
    std::fs::write(
        &conf,
        format!(
            "listener {port} 127.0.0.1\ncafile {}\ncertfile {}\nkeyfile {}\nallow_anonymous true\npersistence false\n\
             # the test PKI may not be readable by the mosquitto user\nuser root\n",
            pki("ca.pem"),
            pki("server-rsa-chain.pem"),
            pki("server-rsa-key.pem")
        ),
    )
    .unwrap();
    let _broker = Peer::server(
        "mosquitto",
        &["-c".to_string(), conf.to_string_lossy().into_owned()],
        port,
    );
    let port = port.to_string();
    let mut sub = program_on_ferrossl("mosquitto_sub")
        .args([
            "-h",
            "localhost",
            "-p",
            &port,
            "--cafile",
            &pki("ca.pem"),
            "-t",
            "ferrossl/test",
            "-C",
            "1",
            "-W",
            "10",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut delivered = String::new();
    for _ in 0..20 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let mut publish = program_on_ferrossl("mosquitto_pub");
        publish.args([
            "-h",
            "localhost",
            "-p",
            &port,
            "--cafile",
            &pki("ca.pem"),
            "-t",
            "ferrossl/test",
            "-m",
            "over ferrossl",
        ]);
        let out = run_bounded(publish, 10);
        assert!(out.status.success(), "{}", text(&out));
        if let Ok(Some(_)) = sub.try_wait() {
            break;
        }
    }
    let _ = sub.kill();
    if let Some(mut out) = sub.stdout.take() {
        use std::io::Read;
        let _ = out.read_to_string(&mut delivered);
    }
    let _ = sub.wait();
    assert_eq!(delivered.trim(), "over ferrossl");
    let mut refused = program_on_ferrossl("mosquitto_pub");
    refused.args([
        "-d",
        "-h",
        "localhost",
        "-p",
        &port,
        "--cafile",
        &pki("other-ca.pem"),
        "-t",
        "t",
        "-m",
        "x",
    ]);
    let out = run_bounded(refused, 10);
    assert!(
        !out.status.success() && text(&out).contains("certificate verify failed"),
        "{}",
        text(&out)
    );
}

/// A PostgreSQL server (on the system OpenSSL) with TLS, run as the postgres user.
struct Postgres {
    child: std::process::Child,
    port: u16,
    dir: std::path::PathBuf,
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn postgres_server() -> Postgres {
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL server installed (.ci/run installs it)")
        .map(|e| e.unwrap().path().join("bin"))
        .find(|b| b.join("postgres").exists())
        .expect("a postgres binary");
    let dir = std::env::temp_dir().join(format!(
        "ferrossl-pg-{}-{}",
        std::process::id(),
        free_port()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(pki("server-rsa-chain.pem"), dir.join("server.crt")).unwrap();
    std::fs::copy(pki("server-rsa-key.pem"), dir.join("server.key")).unwrap();
    let sh = |script: &str| {
        // cargo test puts ferrossl on LD_LIBRARY_PATH; the server must run on the system OpenSSL.
        let out = Command::new("sh")
            .arg("-c")
            .arg(script)
            .env_remove("LD_LIBRARY_PATH")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let d = dir.display();
    sh(&format!(
        "chmod 700 {d} && chmod 600 {d}/server.key && chown -R postgres {d}"
    ));
    sh(&format!(
        "runuser -u postgres -- {}/initdb -D {d}/data -A trust -U postgres >/dev/null",
        bin.display()
    ));
    let port = free_port();
    let child = Command::new("runuser")
        .args(["-u", "postgres", "--"])
        .arg(bin.join("postgres"))
        .arg("-D")
        .arg(dir.join("data"))
        .arg("-k")
        .arg(&dir)
        .args([
            "-p",
            &port.to_string(),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "ssl=on",
        ])
        .args(["-c", &format!("ssl_cert_file={d}/server.crt")])
        .args(["-c", &format!("ssl_key_file={d}/server.key")])
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pg = Postgres { child, port, dir };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return pg;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("postgres did not start");
}

#[test]
fn psql_verify_full_against_postgres() {
    let pg = postgres_server();
    let conninfo = |ca: &str| {
        format!(
            "host=localhost port={} user=postgres dbname=postgres sslmode=verify-full sslrootcert={}",
            pg.port,
            pki(ca)
        )
    };
    // The server accepts connections a moment before it accepts sessions.
    let mut out = String::new();
    for _ in 0..100 {
        let mut cmd = program_on_ferrossl("psql");
        cmd.arg(conninfo("ca.pem")).args([
            "-tAc",
            "select ssl, version from pg_stat_ssl where pid = pg_backend_pid()",
        ]);
        out = text(&run_bounded(cmd, 30));
        if !out.contains("starting up") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(out.trim(), "t|TLSv1.3");
    let mut cmd = program_on_ferrossl("psql");
    cmd.arg(conninfo("other-ca.pem")).args(["-tAc", "select 1"]);
    let out = text(&run_bounded(cmd, 30));
    assert!(out.contains("certificate verify failed"), "{out}");
}

/// Debian's `openssl s_client` itself on ferrossl, against a real `openssl s_server`.
#[test]
fn openssl_s_client_on_ferrossl() {
    let srv = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-www"]);
    let mut cmd = program_on_ferrossl("openssl");
    cmd.args(["s_client", "-connect"])
        .arg(format!("127.0.0.1:{}", srv.port))
        .args([
            "-CAfile",
            &pki("ca.pem"),
            "-servername",
            "localhost",
            "-ign_eof",
        ]);
    let out = text(&run_bounded_with_input(cmd, "GET / HTTP/1.0\r\n\r\n", 20));
    for want in [
        "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384",
        "Verify return code: 0 (ok)",
        "HTTP/1.0 200 ok",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
}

/// Debian's `openssl` tool, on ferrossl or on the system OpenSSL.
fn openssl_tool(on_ferrossl: bool) -> Command {
    if on_ferrossl {
        program_on_ferrossl("openssl")
    } else {
        let mut c = Command::new("openssl");
        c.env_remove("LD_LIBRARY_PATH").env_remove("LD_PRELOAD");
        c
    }
}

/// `openssl s_client -brief` prints what the handshake settled (version, suite, the
/// server's signature digest and type, its temporary key, its point formats and
/// verification); on ferrossl it prints the same as on the system OpenSSL against the same
/// real `s_server`, for RSA and ECDSA servers, TLS 1.3 and 1.2, three groups.
#[test]
fn openssl_s_client_brief_summary_matches() {
    let cases = [
        ("server-rsa.pem", "server-rsa-key.pem", "-tls1_3", "X25519"),
        ("server-rsa.pem", "server-rsa-key.pem", "-tls1_2", "P-256"),
        (
            "server-ecdsa.pem",
            "server-ecdsa-key.pem",
            "-tls1_3",
            "P-384",
        ),
        (
            "server-ecdsa.pem",
            "server-ecdsa-key.pem",
            "-tls1_2",
            "X25519:P-256",
        ),
    ];
    for (cert, key, version, groups) in cases {
        let srv = openssl_server(cert, key, &["-www", "-groups", groups]);
        let summary = |on_ferrossl: bool| {
            let mut cmd = openssl_tool(on_ferrossl);
            cmd.args(["s_client", "-brief", version, "-connect"])
                .arg(format!("127.0.0.1:{}", srv.port))
                .args(["-CAfile", &pki("ca.pem"), "-servername", "localhost"]);
            text(&run_bounded_with_input(cmd, "", 20))
        };
        let system = summary(false);
        assert!(system.contains("Server Temp Key:"), "{system}");
        assert!(system.contains("Signature type:"), "{system}");
        assert_eq!(summary(true), system, "{cert} {version} {groups}");
    }
}

/// `openssl s_client` prints a TLS 1.2 session (`SSL_SESSION_print`) as on the system
/// OpenSSL: the same fields, lifetime hint and ticket dump, extended master secret; and the
/// master key it shows is the one the real `s_server` logged for that connection.
#[test]
fn openssl_s_client_prints_the_tls12_session() {
    let scratch = ScratchDir::new("s-client-session");
    let keys = scratch.0.join("server-keys.txt");
    let srv = openssl_server(
        "server-rsa.pem",
        "server-rsa-key.pem",
        &["-www", "-keylogfile", &keys.to_string_lossy()],
    );
    let session_block = |on_ferrossl: bool| {
        let mut cmd = openssl_tool(on_ferrossl);
        cmd.args(["s_client", "-tls1_2", "-connect"])
            .arg(format!("127.0.0.1:{}", srv.port))
            .args(["-CAfile", &pki("ca.pem"), "-servername", "localhost"]);
        let out = text(&run_bounded_with_input(cmd, "", 20));
        let block: Vec<String> = out
            .lines()
            .skip_while(|l| !l.starts_with("SSL-Session:"))
            .take_while(|l| !l.starts_with("---"))
            .map(String::from)
            .collect();
        assert!(!block.is_empty(), "no session in\n{out}");
        block
    };
    // Values that differ per connection are masked; the ticket's hex dump is counted.
    let mask = |block: &[String]| -> Vec<String> {
        block
            .iter()
            .map(|l| match l.split_once(": ") {
                Some((k, _)) if ["Session-ID", "Master-Key", "Start Time"].contains(&k.trim()) => {
                    format!("{k}: <{}>", l.len())
                }
                _ if l.trim_start().starts_with("00") => "<dump line>".into(),
                _ => l.clone(),
            })
            .collect()
    };
    let system = session_block(false);
    let ours = session_block(true);
    assert_eq!(mask(&ours), mask(&system));
    assert!(
        ours.iter()
            .any(|l| l.contains("Extended master secret: yes")),
        "{ours:?}"
    );
    let master = ours
        .iter()
        .find_map(|l| l.trim().strip_prefix("Master-Key: "))
        .expect("a master key")
        .to_ascii_lowercase();
    assert_eq!(master.len(), 96, "{master}");
    let logged = std::fs::read_to_string(&keys).unwrap();
    assert!(
        logged
            .lines()
            .any(|l| l.starts_with("CLIENT_RANDOM ") && l.ends_with(&master)),
        "the server logged no such master secret:\n{logged}"
    );
}

/// Debian's `openssl s_server` in `mode`, run in `cwd`, on ferrossl (checked).
fn s_server_on_ferrossl(mode: &str, cwd: &Path) -> Peer {
    s_server_on(Lib::Ferrossl, &[mode], &[], cwd)
}

/// Debian's `openssl s_server -rev` on ferrossl (it prints the client's raw cipher list,
/// `SSL_get0_raw_cipherlist`, and answers each line reversed through the SSL BIO) to a
/// real `openssl s_client`.
#[test]
fn openssl_s_server_rev_on_ferrossl() {
    let srv = s_server_on_ferrossl("-rev", Path::new("."));
    let port = srv.port;
    let mut client = Command::new("openssl");
    client
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .args(["-CAfile", &pki("ca.pem"), "-quiet", "-ign_eof"]);
    // "CLOSE" makes s_server -rev end the connection.
    let out = text(&run_bounded_with_input(client, "hello world\nCLOSE\n", 20));
    assert!(out.contains("dlrow olleh"), "{out}");
    let log = srv.output_until("Client cipher list", 5);
    assert!(
        log.contains("Client cipher list: TLS_AES_256_GCM_SHA384"),
        "{log}"
    );
}

/// Debian's `openssl s_server -www` on ferrossl: it serves its status page through the SSL
/// BIO (`BIO_f_ssl` under a buffering BIO) to a real-OpenSSL curl, and with `-WWW` a file.
#[test]
fn openssl_s_server_www_on_ferrossl() {
    let dir = ScratchDir::new("s_server_www");
    std::fs::write(dir.0.join("page.txt"), "a file served by s_server\n").unwrap();
    for (mode, path, want) in [
        (
            "-www",
            "/",
            "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384",
        ),
        ("-WWW", "/page.txt", "a file served by s_server"),
    ] {
        let srv = s_server_on_ferrossl(mode, &dir.0);
        let port = srv.port;
        let mut curl = Command::new("curl");
        curl.env_remove("LD_LIBRARY_PATH")
            .env_remove("LD_PRELOAD")
            .args(["-sS", "--max-time", "10", "--cacert", &pki("ca.pem")])
            .args(["--resolve", &format!("localhost:{port}:127.0.0.1")])
            .arg(format!("https://localhost:{port}{path}"));
        let out = text(&run_bounded(curl, 20));
        assert!(out.contains(want), "{mode}: missing {want:?} in\n{out}");
    }
}

/// `openssl s_client -reconnect` on ferrossl reuses one `SSL` for six connections
/// (`SSL_shutdown`, then `SSL_set_connect_state`, which restarts it as OpenSSL's implicit
/// `SSL_clear` does) and resumes the TLS 1.2 session five times, as on OpenSSL.
#[test]
fn openssl_s_client_reconnect_on_ferrossl() {
    let srv = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-www"]);
    let run = |on_ferrossl: bool| {
        let mut cmd = openssl_tool(on_ferrossl);
        cmd.args(["s_client", "-connect"])
            .arg(format!("127.0.0.1:{}", srv.port))
            .args(["-CAfile", &pki("ca.pem"), "-reconnect", "-tls1_2"]);
        let out = text(&run_bounded_with_input(cmd, "", 30));
        let count = |what: &str| out.lines().filter(|l| l.starts_with(what)).count();
        (count("New, TLSv1.2"), count("Reused, TLSv1.2"), out)
    };
    let (new, reused, out) = run(true);
    assert_eq!((new, reused), (1, 5), "{out}");
    let (new, reused, out) = run(false);
    assert_eq!((new, reused), (1, 5), "the system OpenSSL: {out}");
}
