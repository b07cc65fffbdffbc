//! Unmodified Debian servers doing their TLS work on ferrossl (`LD_LIBRARY_PATH`), with
//! real OpenSSL clients (the system's `curl` and `openssl s_client`) on 127.0.0.1.

mod support;

use std::process::Command;

use support::*;

fn sha256(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_owned()
}

const NGINX_TLS: &str = "ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:SSL:1m;";

#[test]
fn nginx_serves_a_large_file_over_http1_and_h2_with_tls12_and_tls13() {
    let (srv, dir) = nginx_on(Lib::Ferrossl, NGINX_TLS, "", &[]);
    assert!(srv.runs_on_ferrossl(), "nginx did not load ferrossl");
    let big: Vec<u8> = (0..5 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(dir.0.join("html/big.bin"), &big).unwrap();
    let want = sha256(&big);
    let url = format!("https://localhost:{}/big.bin", srv.port);
    let out_file = dir.0.join("download");
    for (proto, tls) in [
        ("--http1.1", "1.2"),
        ("--http2", "1.2"),
        ("--http1.1", "1.3"),
        ("--http2", "1.3"),
    ] {
        let (code, out) = system_curl(&[
            proto,
            &format!("--tlsv{tls}"),
            "--tls-max",
            tls,
            "-o",
            &out_file.to_string_lossy(),
            "-w",
            "%{http_version} %{http_code}",
            &url,
        ]);
        assert_eq!(code, 0, "{proto} TLS {tls}: {out}");
        let expect_version = if proto == "--http2" {
            "2 200"
        } else {
            "1.1 200"
        };
        assert!(out.contains(expect_version), "{proto} TLS {tls}: {out}");
        let got = std::fs::read(&out_file).unwrap();
        assert_eq!(sha256(&got), want, "{proto} TLS {tls}: content differs");
    }
}

#[test]
fn nginx_resumes_by_shared_cache_and_by_tickets() {
    let (srv, dir) = nginx_on(Lib::Ferrossl, NGINX_TLS, "", &[]);
    for (name, args) in [
        ("session id (shared cache)", &["-tls1_2", "-no_ticket"][..]),
        ("TLS 1.2 ticket", &["-tls1_2"][..]),
        ("TLS 1.3 ticket", &["-tls1_3"][..]),
    ] {
        let sess = dir.0.join(format!("sess-{}", name.len()));
        let sess = sess.to_string_lossy();
        let mut first_args = args.to_vec();
        // A whole request and response, so that TLS 1.3 tickets (sent after the
        // handshake) have arrived before the session is saved.
        first_args.extend(["-sess_out", &sess, "-crlf", "-ign_eof"]);
        let first = s_client_with(srv.port, &first_args, "GET / HTTP/1.0\n\n");
        assert!(first.contains("New, TLSv1."), "{name}: {first}");
        let mut second_args = args.to_vec();
        second_args.extend(["-sess_in", &sess]);
        let second = s_client(srv.port, &second_args);
        assert!(second.contains("Reused, TLSv1."), "{name}: {second}");
    }
}

#[test]
fn nginx_picks_certificates_by_sni_and_applies_ssl_conf_command() {
    let second = format!(
        "server {{ listen 127.0.0.1:{{port}} ssl; server_name other.example;
           ssl_certificate {}; ssl_certificate_key {}; return 200 \"second\\n\"; }}",
        pki("server-ecdsa.pem"),
        pki("server-ecdsa-key.pem")
    );
    let first = format!(
        "{NGINX_TLS} server_name localhost; \
         ssl_conf_command Ciphersuites TLS_CHACHA20_POLY1305_SHA256;"
    );
    let (srv, _dir) = nginx_on(Lib::Ferrossl, &first, &second, &[]);
    let default = s_client(srv.port, &["-servername", "localhost", "-tls1_3"]);
    assert!(default.contains("CN = server-rsa"), "{default}");
    assert!(
        default.contains("TLS_CHACHA20_POLY1305_SHA256"),
        "{default}"
    );
    let other = s_client(srv.port, &["-servername", "other.example"]);
    assert!(other.contains("CN = server-ecdsa"), "{other}");
    let (code, body) = system_curl(&[
        "--resolve",
        &format!("other.example:{}:127.0.0.1", srv.port),
        "-k",
        &format!("https://other.example:{}/", srv.port),
    ]);
    assert_eq!((code, body.trim()), (0, "second"));
}

#[test]
fn nginx_requires_and_reads_client_certificates() {
    for mode in ["on", "optional"] {
        let extra = format!(
            "{NGINX_TLS} ssl_verify_client {mode}; ssl_client_certificate {}; \
             location / {{ return 200 \"verify=$ssl_client_verify dn=$ssl_client_s_dn\\n\"; }}",
            pki("ca.pem")
        );
        let (srv, _dir) = nginx_on(Lib::Ferrossl, &extra, "", &[]);
        let url = format!("https://localhost:{}/", srv.port);
        let (code, with_cert) = system_curl(&[
            "--cert",
            &pki("client.pem"),
            "--key",
            &pki("client-key.pem"),
            &url,
        ]);
        assert_eq!(code, 0, "{with_cert}");
        assert!(
            with_cert.contains("verify=SUCCESS dn=CN=client"),
            "{mode}: {with_cert}"
        );
        let (code, without) = system_curl(&["-w", "%{http_code}", &url]);
        assert_eq!(code, 0, "{without}");
        if mode == "on" {
            assert!(without.contains("400"), "{without}");
        } else {
            assert!(without.contains("verify=NONE"), "{without}");
        }
    }
}

/// `FERROSSL_TRACE` draws nginx's handshakes too: one server-side diagram per connection.
#[test]
fn nginx_handshakes_are_drawn_under_ferrossl_trace() {
    let trace = ScratchDir::new("nginx-trace");
    let env = [("FERROSSL_TRACE", trace.0.to_string_lossy().into_owned())];
    let (srv, _dir) = nginx_on(Lib::Ferrossl, NGINX_TLS, "", &env);
    let (code, out) = system_curl(&["--http1.1", &format!("https://localhost:{}/", srv.port)]);
    assert_eq!((code, out.trim()), (0, "hello from nginx"));
    let mut drawn = String::new();
    for _ in 0..50 {
        drawn = std::fs::read_dir(&trace.0)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with("-server.txt"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .find(|t| t.contains("handshake complete"))
            .unwrap_or_default();
        if !drawn.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    for want in [
        "server side: TLS 1.3",
        "SNI localhost",
        "ALPN http/1.1",
        "[0] subject /CN=server-rsa",
    ] {
        assert!(drawn.contains(want), "missing {want:?} in\n{drawn}");
    }
}

/// The mosquitto broker on ferrossl, requiring client certificates; Debian's
/// mosquitto_sub and mosquitto_pub on the system OpenSSL deliver a message through it.
#[test]
fn mosquitto_broker_with_client_certificates() {
    let dir = ScratchDir::new("mosquitto-broker");
    let port = free_port();
    let conf = dir.0.join("mosquitto.conf");
    std::fs::write(
        &conf,
        format!(
            "listener {port} 127.0.0.1\ncafile {}\ncertfile {}\nkeyfile {}\nrequire_certificate true\n\
             allow_anonymous true\npersistence false\nuser root\n",
            pki("ca.pem"),
            pki("server-rsa-chain.pem"),
            pki("server-rsa-key.pem")
        ),
    )
    .unwrap();
    let env = [("LD_LIBRARY_PATH", lib_dir().to_string_lossy().into_owned())];
    let broker = Peer::server_with_env(
        "mosquitto",
        &["-c".to_string(), conf.to_string_lossy().into_owned()],
        port,
        &env,
    );
    assert!(
        broker.runs_on_ferrossl(),
        "the broker did not load ferrossl"
    );
    let port = port.to_string();
    let client = |program: &str, args: &[&str]| {
        let mut cmd = Command::new(program);
        cmd.env_remove("LD_LIBRARY_PATH")
            .env_remove("LD_PRELOAD")
            .args(["-h", "localhost", "-p", &port, "--cafile", &pki("ca.pem")])
            .args([
                "--cert",
                &pki("client.pem"),
                "--key",
                &pki("client-key.pem"),
            ])
            .args(["-t", "ferrossl/broker"])
            .args(args);
        cmd
    };
    let mut sub = client("mosquitto_sub", &["-C", "1", "-W", "10"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..20 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let out = run_bounded(
            client("mosquitto_pub", &["-m", "through a broker on ferrossl"]),
            10,
        );
        assert!(out.status.success(), "{}", text(&out));
        if let Ok(Some(_)) = sub.try_wait() {
            break;
        }
    }
    let out = sub.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "through a broker on ferrossl"
    );
    // Without a client certificate the broker refuses the connection.
    let mut anonymous = Command::new("mosquitto_pub");
    anonymous
        .env_remove("LD_LIBRARY_PATH")
        .args(["-h", "localhost", "-p", &port, "--cafile", &pki("ca.pem")])
        .args(["-t", "ferrossl/broker", "-m", "no certificate"]);
    let out = run_bounded(anonymous, 10);
    assert!(!out.status.success(), "{}", text(&out));
    drop(broker);
}

/// A plain TCP echo server on 127.0.0.1 (for stunnel to forward to): it answers lines
/// on up to three connections (a readiness probe may take one), then stops.
fn echo_server() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for mut c in listener.incoming().take(3).flatten() {
            let _ = c.set_read_timeout(Some(std::time::Duration::from_secs(10)));
            let mut buf = [0u8; 256];
            if let Ok(n) = c.read(&mut buf) {
                let _ = c.write_all(b"echo:");
                let _ = c.write_all(&buf[..n]);
            }
        }
    });
    port
}

fn stunnel_on_ferrossl(dir: &ScratchDir, service: &str, accept: u16) -> Peer {
    let conf = dir.0.join("stunnel.conf");
    std::fs::write(
        &conf,
        format!("foreground = yes\npid =\ndebug = 5\n{service}"),
    )
    .unwrap();
    let env = [("LD_LIBRARY_PATH", lib_dir().to_string_lossy().into_owned())];
    let peer = Peer::server_with_env(
        "stunnel4",
        &[conf.to_string_lossy().into_owned()],
        accept,
        &env,
    );
    assert!(peer.runs_on_ferrossl(), "stunnel did not load ferrossl");
    peer
}

/// stunnel on ferrossl as a TLS server (real `openssl s_client` in front) and as a TLS
/// client verifying a real `openssl s_server` by CA and host name.
#[test]
fn stunnel_as_server_and_as_client() {
    let dir = ScratchDir::new("stunnel");
    let echo_port = echo_server();
    let accept = free_port();
    let _server = stunnel_on_ferrossl(
        &dir,
        &format!(
            "[tls-in]\naccept = 127.0.0.1:{accept}\nconnect = 127.0.0.1:{echo_port}\ncert = {}\nkey = {}\n",
            pki("server-rsa-chain.pem"),
            pki("server-rsa-key.pem")
        ),
        accept,
    );
    let mut cmd = Command::new("openssl");
    cmd.env_remove("LD_LIBRARY_PATH")
        .args(["s_client", "-quiet", "-verify_return_error", "-connect"])
        .arg(format!("127.0.0.1:{accept}"))
        .args(["-CAfile", &pki("ca.pem")]);
    let out = text(&run_bounded_with_input(cmd, "through stunnel\n", 15));
    assert!(out.contains("echo:through stunnel"), "{out}");

    let dir = ScratchDir::new("stunnel-client");
    let upstream = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-rev"]);
    let accept = free_port();
    let _client = stunnel_on_ferrossl(
        &dir,
        &format!(
            "[tls-out]\nclient = yes\naccept = 127.0.0.1:{accept}\nconnect = 127.0.0.1:{}\n\
             CAfile = {}\nverifyChain = yes\ncheckHost = localhost\nsni = localhost\n",
            upstream.port,
            pki("ca.pem")
        ),
        accept,
    );
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", accept)).unwrap();
    conn.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    conn.write_all(b"stunnel client\n").unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while !String::from_utf8_lossy(&got).contains("tneilc lennuts") {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    assert!(
        String::from_utf8_lossy(&got).contains("tneilc lennuts"),
        "{}",
        String::from_utf8_lossy(&got)
    );
}

/// nginx's `ssl_session_ticket_key`: tickets under the configured key (through the
/// ticket-key callback), so that a second nginx with the same key resumes sessions the
/// first one issued, for TLS 1.2 and 1.3.
#[test]
fn nginx_shares_ticket_keys_between_instances() {
    let keys = ScratchDir::new("ticket-key");
    let key_file = keys.0.join("ticket.key");
    let key: Vec<u8> = (0..80u8)
        .map(|i| i.wrapping_mul(37).wrapping_add(11))
        .collect();
    std::fs::write(&key_file, key).unwrap();
    let extra = format!("{NGINX_TLS} ssl_session_ticket_key {};", key_file.display());
    let (first, _d1) = nginx_on(Lib::Ferrossl, &extra, "", &[]);
    let (second, _d2) = nginx_on(Lib::Ferrossl, &extra, "", &[]);
    let (other_key, _d3) = nginx_on(Lib::Ferrossl, NGINX_TLS, "", &[]);
    for version in ["-tls1_2", "-tls1_3"] {
        let sess = keys.0.join(format!("sess{version}"));
        let sess = sess.to_string_lossy();
        let out = s_client_with(
            first.port,
            &[version, "-sess_out", &sess, "-crlf", "-ign_eof"],
            "GET / HTTP/1.0\n\n",
        );
        assert!(out.contains("New, TLSv1."), "{version}: {out}");
        let again = s_client(second.port, &[version, "-sess_in", &sess]);
        assert!(
            again.contains("Reused, TLSv1."),
            "{version} on the second nginx: {again}"
        );
        let elsewhere = s_client(other_key.port, &[version, "-sess_in", &sess]);
        assert!(
            elsewhere.contains("New, TLSv1."),
            "{version} with another key: {elsewhere}"
        );
    }
}

/// haproxy on ferrossl: a TLS front end (ALPN h2 and http/1.1, optional client
/// certificates) answering itself, and a TLS back end verifying a real `openssl s_server`
/// by CA and SNI.
#[test]
fn haproxy_front_and_back_ends() {
    let dir = ScratchDir::new("haproxy");
    let crt = dir.0.join("server.pem");
    let mut pem = std::fs::read(pki("server-rsa-chain.pem")).unwrap();
    pem.extend(std::fs::read(pki("server-rsa-key.pem")).unwrap());
    std::fs::write(&crt, pem).unwrap();
    let upstream = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-www"]);
    let port = free_port();
    let cfg = dir.0.join("haproxy.cfg");
    std::fs::write(
        &cfg,
        format!(
            "global\n  maxconn 100\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 10s\n  timeout server 10s\n\
             frontend fe\n  bind 127.0.0.1:{port} ssl crt {crt} alpn h2,http/1.1 ca-file {ca} verify optional\n\
             \x20 http-request return status 200 content-type text/plain lf-string \"proto=%[ssl_fc_protocol] alpn=%[ssl_fc_alpn] sni=%[ssl_fc_sni] client=%[ssl_c_used] verify=%[ssl_c_verify]\\n\" if {{ path_beg /direct }}\n\
             \x20 default_backend be\n\
             backend be\n  server up 127.0.0.1:{up} ssl verify required ca-file {ca} sni str(localhost)\n",
            crt = crt.display(),
            ca = pki("ca.pem"),
            up = upstream.port,
        ),
    )
    .unwrap();
    let env = [("LD_LIBRARY_PATH", lib_dir().to_string_lossy().into_owned())];
    let haproxy = Peer::server_with_env(
        "haproxy",
        &[
            "-f".to_string(),
            cfg.to_string_lossy().into_owned(),
            "-db".to_string(),
        ],
        port,
        &env,
    );
    assert!(haproxy.runs_on_ferrossl(), "haproxy did not load ferrossl");
    let resolve = format!("localhost:{port}:127.0.0.1");
    let direct = format!("https://localhost:{port}/direct");
    let (code, out) = system_curl(&["--resolve", &resolve, "--http2", &direct]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("proto=TLSv1.3 alpn=h2 sni=localhost client=0"),
        "{out}"
    );
    let (code, out) = system_curl(&[
        "--resolve",
        &resolve,
        "--http1.1",
        "--tls-max",
        "1.2",
        "--cert",
        &pki("client.pem"),
        "--key",
        &pki("client-key.pem"),
        &direct,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("proto=TLSv1.2 alpn=http/1.1 sni=localhost client=1 verify=0"),
        "{out}"
    );
    // Through the TLS back end to the real OpenSSL server.
    let (code, out) = system_curl(&["--resolve", &resolve, &format!("https://localhost:{port}/")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("s_server"), "{out}");
}

/// lighttpd with mod_openssl on ferrossl serves a page over h2 with TLS 1.3 and over
/// HTTP/1.1 with TLS 1.2.
#[test]
fn lighttpd_serves_over_tls() {
    let dir = ScratchDir::new("lighttpd");
    std::fs::create_dir_all(dir.0.join("www")).unwrap();
    std::fs::write(dir.0.join("www/index.html"), "hello from lighttpd\n").unwrap();
    let port = free_port();
    let conf = dir.0.join("lighttpd.conf");
    std::fs::write(
        &conf,
        format!(
            "server.document-root = \"{d}/www\"\nserver.port = {port}\nserver.bind = \"127.0.0.1\"\n\
             server.errorlog = \"{d}/error.log\"\nserver.modules += (\"mod_openssl\")\n\
             index-file.names = (\"index.html\")\nssl.engine = \"enable\"\n\
             ssl.pemfile = \"{}\"\nssl.privkey = \"{}\"\n",
            pki("server-rsa-chain.pem"),
            pki("server-rsa-key.pem"),
            d = dir.0.display(),
        ),
    )
    .unwrap();
    let env = [("LD_LIBRARY_PATH", lib_dir().to_string_lossy().into_owned())];
    let server = Peer::server_with_env(
        "lighttpd",
        &[
            "-D".to_string(),
            "-f".to_string(),
            conf.to_string_lossy().into_owned(),
        ],
        port,
        &env,
    );
    assert!(server.runs_on_ferrossl(), "lighttpd did not load ferrossl");
    let resolve = format!("localhost:{port}:127.0.0.1");
    let url = format!("https://localhost:{port}/index.html");
    for (proto, tls, version) in [("--http2", "1.3", "2"), ("--http1.1", "1.2", "1.1")] {
        let (code, out) = system_curl(&[
            "--resolve",
            &resolve,
            proto,
            "--tls-max",
            tls,
            "-w",
            "%{http_version}",
            &url,
        ]);
        assert_eq!(code, 0, "{out}");
        assert_eq!(out, format!("hello from lighttpd\n{version}"), "TLS {tls}");
    }
}

/// OCSP stapling both ways: nginx on ferrossl staples its `ssl_stapling_file` for the
/// system's s_client (TLS 1.2 and 1.3), and s_client on ferrossl reads what nginx on the
/// system OpenSSL staples.
#[test]
fn ocsp_stapling_with_nginx() {
    let dir = ScratchDir::new("ocsp");
    let resp = ocsp_response(&dir.0);
    let extra = format!(
        "{NGINX_TLS} ssl_stapling on; ssl_stapling_file {};",
        resp.display()
    );
    let (ours, _d1) = nginx_on(Lib::Ferrossl, &extra, "", &[]);
    for version in ["-tls1_2", "-tls1_3"] {
        let out = s_client(ours.port, &[version, "-status"]);
        assert!(
            out.contains("OCSP Response Status: successful"),
            "{version}: {out}"
        );
        assert!(out.contains("Cert Status: good"), "{version}: {out}");
    }
    let (theirs, _d2) = nginx_on(Lib::System, &extra, "", &[]);
    for version in ["-tls1_2", "-tls1_3"] {
        let mut cmd = program_on_ferrossl("openssl");
        cmd.args(["s_client", "-connect"])
            .arg(format!("127.0.0.1:{}", theirs.port))
            .args(["-CAfile", &pki("ca.pem"), version, "-status"]);
        let out = text(&run_bounded_with_input(cmd, "", 15));
        assert!(
            out.contains("Cert Status: good"),
            "{version} on ferrossl: {out}"
        );
        assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
    }
    // Without a stapling file, s_client sees no response.
    let (plain, _d3) = nginx_on(Lib::Ferrossl, NGINX_TLS, "", &[]);
    let out = s_client(plain.port, &["-status"]);
    assert!(out.contains("OCSP response: no response sent"), "{out}");
}

/// nginx on ferrossl as a TLS client too: `proxy_pass https://` to a real `openssl
/// s_server`, verifying it (`proxy_ssl_verify on`) by CA and name, and refusing an
/// upstream whose certificate the CA did not sign.
#[test]
fn nginx_proxies_to_a_verified_tls_upstream() {
    let good = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-www"]);
    let bad = openssl_server(
        "untrusted-server.pem",
        "untrusted-server-key.pem",
        &["-www"],
    );
    let extra = format!(
        "{NGINX_TLS}
    location /good/ {{ proxy_pass https://127.0.0.1:{}/; proxy_ssl_verify on;
      proxy_ssl_trusted_certificate {ca}; proxy_ssl_name localhost; proxy_ssl_server_name on; }}
    location /bad/ {{ proxy_pass https://127.0.0.1:{}/; proxy_ssl_verify on;
      proxy_ssl_trusted_certificate {ca}; proxy_ssl_name localhost; }}",
        good.port,
        bad.port,
        ca = pki("ca.pem")
    );
    let (srv, _dir) = nginx_on(Lib::Ferrossl, &extra, "", &[]);
    let (code, out) = system_curl(&[&format!("https://localhost:{}/good/", srv.port)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("s_server"), "{out}");
    let (code, out) = system_curl(&[
        "-w",
        "%{http_code}",
        &format!("https://localhost:{}/bad/", srv.port),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with("502"),
        "an unverified upstream must give 502: {out}"
    );
}

/// nginx with an RSA and an ECDSA certificate: each client gets the one it can verify.
#[test]
fn nginx_serves_rsa_and_ecdsa_certificates_side_by_side() {
    let extra = format!(
        "{NGINX_TLS} ssl_certificate {}; ssl_certificate_key {};",
        pki("server-ecdsa.pem"),
        pki("server-ecdsa-key.pem")
    );
    let (srv, _dir) = nginx_on(Lib::Ferrossl, &extra, "", &[]);
    for (args, want) in [
        (&["-tls1_3"][..], "CN = server-ecdsa"),
        (
            &["-tls1_3", "-sigalgs", "rsa_pss_rsae_sha256"][..],
            "CN = server-rsa",
        ),
        (
            &["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"][..],
            "CN = server-rsa",
        ),
        (
            &["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"][..],
            "CN = server-ecdsa",
        ),
    ] {
        let out = s_client(srv.port, args);
        assert!(out.contains(&format!("subject={want}")), "{args:?}: {out}");
        assert!(out.contains("Verification: OK"), "{args:?}: {out}");
    }
}

/// A reload by SIGHUP: the master reads its configuration again, makes new SSL contexts
/// while the old worker still serves, starts a new worker and frees the old contexts. The
/// certificate of the new configuration is served afterwards, still on ferrossl. (Dropping
/// the peer sends the master TERM, which stops its worker too.)
#[test]
fn nginx_reloads_on_sighup_and_keeps_serving() {
    let (srv, dir) = nginx_with_master(Lib::Ferrossl, NGINX_TLS);
    let before = s_client(srv.port, &["-tls1_3"]);
    assert!(before.contains("subject=CN = server-rsa"), "{before}");
    let conf = dir.0.join("nginx.conf");
    let text = std::fs::read_to_string(&conf)
        .unwrap()
        .replace(&pki("server-rsa-chain.pem"), &pki("server-ecdsa.pem"))
        .replace(&pki("server-rsa-key.pem"), &pki("server-ecdsa-key.pem"));
    std::fs::write(&conf, text).unwrap();
    srv.signal("HUP");
    // Bounded: up to 10 s for the new configuration to take over.
    let mut after = String::new();
    for _ in 0..50 {
        after = s_client(srv.port, &["-tls1_3"]);
        if after.contains("subject=CN = server-ecdsa") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(after.contains("subject=CN = server-ecdsa"), "{after}");
    assert!(after.contains("Verification: OK"), "{after}");
    let url = format!("https://localhost:{}/index.html", srv.port);
    let (code, body) = system_curl(&[
        "--resolve",
        &format!("localhost:{}:127.0.0.1", srv.port),
        &url,
    ]);
    assert_eq!((code, body.as_str()), (0, "hello from nginx\n"));
    assert!(srv.runs_on_ferrossl());
}

/// 0-RTT: nginx with `ssl_early_data on` (it reads with `SSL_read_early_data`) accepts a
/// resumed client's early data and answers the request it carried, on ferrossl as on
/// OpenSSL. The session comes from a first connection (`-sess_out`), the early data is
/// `openssl s_client -early_data` on the second (`-sess_in`).
#[test]
fn nginx_accepts_early_data() {
    for lib in [Lib::System, Lib::Ferrossl] {
        let extra = format!("{NGINX_TLS} ssl_early_data on;");
        let (srv, dir) = nginx_on(lib, &extra, "", &[]);
        let request = dir.0.join("request.txt");
        std::fs::write(
            &request,
            "GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
        let session = dir.0.join("session.pem");
        let (request, session) = (request.to_string_lossy(), session.to_string_lossy());
        let first = s_client_with(
            srv.port,
            &["-tls1_3", "-sess_out", &session, "-ign_eof"],
            "GET /index.html HTTP/1.0\r\n\r\n",
        );
        assert!(first.contains("hello from nginx"), "{lib:?}: {first}");
        let second = s_client(
            srv.port,
            &[
                "-tls1_3",
                "-sess_in",
                &session,
                "-early_data",
                &request,
                "-ign_eof",
            ],
        );
        for want in [
            "Reused, TLSv1.3",
            "Early data was accepted",
            "hello from nginx",
        ] {
            assert!(
                second.contains(want),
                "{lib:?}: missing {want:?} in\n{second}"
            );
        }
        assert_eq!(srv.runs_on_ferrossl(), lib == Lib::Ferrossl);
    }
}

/// A bounded burst of concurrent connections against nginx on ferrossl, from clients on
/// the system OpenSSL: wrk for 2 s with 16 connections, keep-alive and with
/// `Connection: close` (a full handshake per request), and h2load with 500 requests over
/// 10 h2 connections. Zero errors.
#[test]
fn nginx_on_ferrossl_serves_a_burst_of_concurrent_connections() {
    let (srv, _dir) = nginx_on(Lib::Ferrossl, NGINX_TLS, "", &[]);
    let url = format!("https://127.0.0.1:{}/index.html", srv.port);
    for close in [false, true] {
        let mut wrk = Command::new("wrk");
        wrk.env_remove("LD_LIBRARY_PATH")
            .env_remove("LD_PRELOAD")
            .args(["-t2", "-c16", "-d2s"]);
        if close {
            wrk.args(["-H", "Connection: close"]);
        }
        wrk.arg(&url);
        let out = text(&run_bounded(wrk, 30));
        let requests: u64 = out
            .lines()
            .find_map(|l| {
                l.split_whitespace()
                    .next()
                    .filter(|_| l.contains("requests in"))
            })
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(requests > 100, "close={close}: {out}");
        assert!(
            !out.contains("Socket errors") && !out.contains("Non-2xx"),
            "close={close}: {out}"
        );
    }
    let mut h2load = Command::new("h2load");
    h2load
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .args(["-n", "500", "-c", "10", &url]);
    let out = text(&run_bounded(h2load, 60));
    assert!(out.contains("500 succeeded, 0 failed, 0 errored"), "{out}");
    assert!(srv.runs_on_ferrossl());
}
