//! Apache httpd 2.4 with mod_ssl, unmodified, on ferrossl (`LD_LIBRARY_PATH`; mod_ssl
//! loads libssl when it reads its configuration): the same configuration and the same
//! clients (the system's `curl` and `openssl s_client`) on the system OpenSSL and on
//! ferrossl give the same transcript and the same access log (`%{SSL_PROTOCOL}x`,
//! `%{SSL_CIPHER}x`, `%{SSL_CLIENT_S_DN}x`, `%{SSL_SESSION_RESUMED}x`).
//!
//! Covered: content over TLS 1.2 and 1.3, SNI name-based virtual hosts with an RSA and an
//! ECDSA certificate, `SSLProtocol` and `SSLCipherSuite`, `SSLVerifyClient require` and
//! `optional`, session resumption (session cache and tickets), OCSP stapling from a live
//! responder, `mod_proxy` to https back ends with `SSLProxyVerify require` and a proxy
//! client certificate, TLS 1.3 per-directory client authentication (post-handshake
//! authentication: 403 Forbidden for a client that does not offer it, the page for
//! `s_client -enable_pha` and curl with a certificate).

mod support;

use std::path::Path;

use support::*;

/// The ports of one Apache instance: each `<VirtualHost>` group has its own.
struct Ports {
    /// SNI: `localhost` (RSA, OCSP stapling, `/pha/` needing a client certificate) and
    /// `ecdsa.test` (ECDSA).
    sni: u16,
    /// `SSLVerifyClient optional`.
    optional: u16,
    /// `SSLVerifyClient require`.
    require: u16,
    /// `SSLProtocol -all +TLSv1.2` and one cipher suite.
    limited: u16,
    /// `mod_proxy` to https back ends.
    proxy: u16,
}

const MODULES: &[&str] = &[
    "mpm_event",
    "authz_core",
    "socache_shmcb",
    "ssl",
    "proxy",
    "proxy_http",
];

fn config(d: &Path, p: &Ports, ocsp: u16, good_backend: u16, bad_backend: u16) -> String {
    let d = d.display();
    let modules: String = MODULES
        .iter()
        .map(|m| format!("LoadModule {m}_module modules/mod_{m}.so\n"))
        .collect();
    let (rsa, rsa_key) = (pki("server-rsa-chain.pem"), pki("server-rsa-key.pem"));
    let (ecdsa, ecdsa_key) = (pki("server-ecdsa.pem"), pki("server-ecdsa-key.pem"));
    let ca = pki("ca.pem");
    let vhost = |port: u16, name: &str, body: &str| {
        format!(
            "<VirtualHost 127.0.0.1:{port}>
  ServerName {name}
  SSLEngine on
  SSLCertificateFile {rsa}
  SSLCertificateKeyFile {rsa_key}
  DocumentRoot {d}/html
{body}
</VirtualHost>
"
        )
    };
    let listen: String = [p.sni, p.optional, p.require, p.limited, p.proxy]
        .iter()
        .map(|port| format!("Listen 127.0.0.1:{port}\n"))
        .collect();
    format!(
        "ServerRoot /usr/lib/apache2
{modules}PidFile {d}/httpd.pid
DefaultRuntimeDir {d}
Mutex file:{d} default
ErrorLog {d}/error.log
LogLevel warn
User www-data
Group www-data
ServerName localhost
StartServers 1
{listen}LogFormat \"%{{SSL_PROTOCOL}}x %{{SSL_CIPHER}}x dn=%{{SSL_CLIENT_S_DN}}x %{{SSL_SESSION_RESUMED}}x %v:%{{local}}p %U %>s\" tls
CustomLog {d}/access.log tls
SSLSessionCache shmcb:{d}/session_cache(512000)
SSLStaplingCache shmcb:{d}/stapling_cache(128000)
SSLCACertificateFile {ca}
{sni}<VirtualHost 127.0.0.1:{sni_port}>
  ServerName ecdsa.test
  SSLEngine on
  SSLCertificateFile {ecdsa}
  SSLCertificateKeyFile {ecdsa_key}
  DocumentRoot {d}/html-ecdsa
</VirtualHost>
{optional}{require}{limited}{proxy}",
        sni_port = p.sni,
        sni = vhost(
            p.sni,
            "localhost",
            &format!(
                "  SSLUseStapling on
  SSLStaplingForceURL http://127.0.0.1:{ocsp}/
  <Location /pha/>
    SSLVerifyClient require
  </Location>"
            )
        ),
        optional = vhost(p.optional, "localhost", "  SSLVerifyClient optional"),
        require = vhost(p.require, "localhost", "  SSLVerifyClient require"),
        limited = vhost(
            p.limited,
            "localhost",
            "  SSLProtocol -all +TLSv1.2\n  SSLCipherSuite ECDHE-RSA-AES128-GCM-SHA256"
        ),
        proxy = vhost(
            p.proxy,
            "localhost",
            &format!(
                "  SSLProxyEngine on
  SSLProxyVerify require
  SSLProxyCACertificateFile {ca}
  SSLProxyMachineCertificateFile {d}/proxy-client.pem
  ProxyPass /good/ https://localhost:{good_backend}/
  ProxyPass /bad/ https://localhost:{bad_backend}/"
            )
        ),
    )
}

/// Apache (in the foreground, one server process) on `lib` with its configuration,
/// documents and logs in a scratch directory.
fn apache(lib: Lib, ocsp: u16, good_backend: u16, bad_backend: u16) -> (Peer, Ports, ScratchDir) {
    let dir = ScratchDir::new("apache");
    for (sub, body) in [
        ("html", "hello from apache\n"),
        ("html-ecdsa", "ecdsa site\n"),
    ] {
        std::fs::create_dir_all(dir.0.join(sub)).unwrap();
        std::fs::write(dir.0.join(sub).join("index.html"), body).unwrap();
    }
    std::fs::create_dir_all(dir.0.join("html/pha")).unwrap();
    std::fs::write(dir.0.join("html/pha/index.html"), "authenticated\n").unwrap();
    let proxy_identity = std::fs::read_to_string(pki("client.pem")).unwrap()
        + &std::fs::read_to_string(pki("client-key.pem")).unwrap();
    std::fs::write(dir.0.join("proxy-client.pem"), proxy_identity).unwrap();
    let ports = Ports {
        sni: free_port(),
        optional: free_port(),
        require: free_port(),
        limited: free_port(),
        proxy: free_port(),
    };
    let conf = dir.0.join("apache2.conf");
    std::fs::write(
        &conf,
        config(&dir.0, &ports, ocsp, good_backend, bad_backend),
    )
    .unwrap();
    let env = lib_env(lib);
    let args: Vec<String> = vec![
        "-f".into(),
        conf.to_string_lossy().into_owned(),
        "-D".into(),
        "FOREGROUND".into(),
    ];
    let server = Peer::server_with_env("/usr/sbin/apache2", &args, ports.sni, &env);
    (server, ports, dir)
}

/// What a client saw, reduced to what does not change between runs.
fn facts(out: &str, keys: &[&str]) -> String {
    let mut kept: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| keys.iter().any(|k| l.contains(k)))
        // An OpenSSL error line starts with the thread's id.
        .map(|l| l.find(":error:").map_or(l, |at| &l[at + 1..]))
        .collect();
    kept.dedup();
    kept.join(" | ")
}

fn curl_line(label: &str, args: &[&str]) -> String {
    let (code, out) = system_curl(args);
    format!("{label}: exit {code} {}", out.trim())
}

/// What an `openssl s_server -www` back end said of the client certificate it saw.
fn backend_saw(label: &str, args: &[&str]) -> String {
    let (code, out) = system_curl(args);
    let seen = facts(
        &out,
        &["Client certificate", "no client certificate", "Subject: CN"],
    );
    format!("{label}: exit {code} {seen}")
}

/// The transcript of every scenario against an Apache on `lib`, and its access log.
fn scenarios(lib: Lib) -> (Vec<String>, String) {
    let ocsp_dir = ScratchDir::new("apache-ocsp");
    let ocsp = ocsp_http_responder(&ocsp_dir.0, 8);
    let good = openssl_server(
        "server-rsa.pem",
        "server-rsa-key.pem",
        &["-www", "-Verify", "1", "-CAfile", &pki("ca.pem")],
    );
    let bad = openssl_server(
        "untrusted-server.pem",
        "untrusted-server-key.pem",
        &["-www"],
    );
    let (server, p, dir) = apache(lib, ocsp, good.port, bad.port);
    assert_eq!(
        server.runs_on_ferrossl(),
        lib != Lib::System,
        "which libssl Apache mapped"
    );
    let url = |port: u16, path: &str| format!("https://localhost:{port}{path}");
    let client_cert = [
        "--cert",
        &pki("client.pem"),
        "--key",
        &pki("client-key.pem"),
    ];
    let mut t = Vec::new();

    for version in ["1.2", "1.3"] {
        let tls = format!("--tlsv{version}");
        t.push(curl_line(
            &format!("TLS {version}"),
            &[&tls, "--tls-max", version, &url(p.sni, "/index.html")],
        ));
    }
    let request = "GET /index.html HTTP/1.0\r\nHost: ecdsa.test\r\n\r\n";
    for name in ["localhost", "ecdsa.test"] {
        let out = s_client_with(p.sni, &["-servername", name, "-ign_eof"], request);
        t.push(format!(
            "SNI {name}: {}",
            facts(
                &out,
                &["subject=", "hello from", "ecdsa site", "Verify return code"]
            )
        ));
    }
    for (label, args) in [
        ("limited TLS 1.3", vec!["-tls1_3"]),
        (
            "limited other suite",
            vec!["-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384"],
        ),
        ("limited its suite", vec!["-tls1_2"]),
    ] {
        let out = s_client(p.limited, &args);
        t.push(format!(
            "{label}: {}",
            facts(&out, &["New,", "Cipher is", "Verify return code", "alert"])
        ));
    }
    t.push(curl_line(
        "require with cert",
        &[&client_cert[..], &[&url(p.require, "/index.html")]].concat(),
    ));
    t.push(curl_line(
        "require without cert",
        &[&url(p.require, "/index.html")],
    ));
    t.push(curl_line(
        "optional with cert",
        &[&client_cert[..], &[&url(p.optional, "/index.html")]].concat(),
    ));
    t.push(curl_line(
        "optional without cert",
        &[&url(p.optional, "/index.html")],
    ));

    for version in ["-tls1_2", "-tls1_3"] {
        let sess = dir.0.join(format!("session{version}"));
        let sess = sess.to_string_lossy();
        let request = "GET /index.html HTTP/1.0\r\n\r\n";
        let first = s_client_with(p.sni, &[version, "-sess_out", &sess, "-ign_eof"], request);
        let again = s_client_with(p.sni, &[version, "-sess_in", &sess, "-ign_eof"], request);
        t.push(format!(
            "resumption {version}: {} then {}",
            facts(&first, &["New,", "Reused,"]),
            facts(&again, &["New,", "Reused,"])
        ));
        let stapled = s_client(p.sni, &[version, "-status"]);
        t.push(format!(
            "stapling {version}: {}",
            facts(
                &stapled,
                &[
                    "OCSP response:",
                    "OCSP Response Status",
                    "Cert Status",
                    ":error:"
                ]
            )
        ));
    }
    // s_client does not offer post-handshake authentication: 403 on either libssl.
    let out = s_client_with(
        p.sni,
        &["-tls1_3", "-ign_eof"],
        "GET /pha/index.html HTTP/1.0\r\n\r\n",
    );
    t.push(format!(
        "per-directory TLS 1.3: {}",
        facts(&out, &["HTTP/1."])
    ));
    // A client that offers it and has a certificate is asked after the handshake.
    let (cert, key) = (pki("client.pem"), pki("client-key.pem"));
    let pha = ["-enable_pha", "-cert", &cert, "-key", &key];
    let out = s_client_with(
        p.sni,
        &[&["-tls1_3", "-ign_eof"][..], &pha].concat(),
        "GET /pha/index.html HTTP/1.0\r\n\r\n",
    );
    // The status line may share a line with s_client's ticket dump.
    let status = out
        .lines()
        .find_map(|l| l.find("HTTP/1.").map(|at| &l[at..]))
        .unwrap_or("no response");
    t.push(format!(
        "per-directory TLS 1.3, certificate after the handshake: {status} | {}",
        facts(&out, &["authenticated"])
    ));
    t.push(curl_line(
        "per-directory TLS 1.3, curl with a certificate",
        &[
            "--tlsv1.3",
            "--cert",
            &cert,
            "--key",
            &key,
            &url(p.sni, "/pha/index.html"),
        ],
    ));
    t.push(backend_saw(
        "proxy to verified back end",
        &[&url(p.proxy, "/good/")],
    ));
    t.push(curl_line(
        "proxy to unverified back end",
        &[
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            &url(p.proxy, "/bad/"),
        ],
    ));
    drop(server);
    // A child that crashed (a bad pointer handed to mod_ssl) is logged, then replaced.
    let errors = std::fs::read_to_string(dir.0.join("error.log")).unwrap_or_default();
    assert!(!errors.contains("exit signal"), "{lib:?}: {errors}");
    let log = std::fs::read_to_string(dir.0.join("access.log")).unwrap_or_default();
    let log = log
        .replace(&p.sni.to_string(), "SNI")
        .replace(&p.optional.to_string(), "OPTIONAL")
        .replace(&p.require.to_string(), "REQUIRE")
        .replace(&p.limited.to_string(), "LIMITED")
        .replace(&p.proxy.to_string(), "PROXY");
    (t, log)
}

#[test]
fn apache_mod_ssl_behaves_as_on_openssl() {
    let (system, system_log) = scenarios(Lib::System);
    let (ours, ours_log) = scenarios(Lib::Ferrossl);
    let system_text = system.join("\n");
    assert_says_all(
        &system_text,
        &[
            "TLS 1.3: exit 0 hello from apache",
            "subject=CN = server-ecdsa | Verify return code: 0 (ok) | ecdsa site",
            "Reused, TLSv1.3",
            "limited its suite: New, TLSv1.2, Cipher is ECDHE-RSA-AES128-GCM-SHA256",
            "Cert Status: good",
            "per-directory TLS 1.3: HTTP/1.1 403 Forbidden",
            "certificate after the handshake: HTTP/1.1 200 OK | authenticated",
            "curl with a certificate: exit 0 authenticated",
            "Client certificate | Subject: CN=client",
        ],
    );
    assert_says_all(
        &system_log,
        &[
            "dn=CN=client Initial localhost:OPTIONAL",
            "dn=- Resumed localhost:SNI",
            "/pha/index.html 403",
            "dn=CN=client Initial localhost:SNI /pha/index.html 200",
        ],
    );
    assert_same_lines(&system, &ours, "Apache on ferrossl");
    assert_eq!(ours_log, system_log);
}
