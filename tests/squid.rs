//! Squid 5 (Debian's squid-openssl), unmodified, on ferrossl: an `https_port` with the
//! RSA chain carrying a client's CONNECT (the system's curl with `--proxy https://`), and
//! Squid as a TLS client fetching `https://` URLs from `openssl s_server -www` origins
//! with `tls_outgoing_options cafile=` (a trusted origin, and one whose certificate the
//! CA did not sign: 503 `ERR_SECURE_CONNECT_FAIL`). The same transcript and access log as
//! on the system OpenSSL.

mod support;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

use support::*;

/// Squid in the foreground (`-N`) on `lib`: its plain and TLS proxy ports.
fn squid(lib: Lib, dir: &Path) -> (Peer, u16, u16) {
    let (http, https) = (free_port(), free_port());
    let d = dir.display();
    // Squid drops to the proxy user, which writes the logs.
    let status = Command::new("chown")
        .arg("proxy")
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success());
    let conf = format!(
        "http_port 127.0.0.1:{http}
https_port 127.0.0.1:{https} tls-cert={chain} tls-key={key}
tls_outgoing_options cafile={ca}
http_access allow localhost
http_access deny all
cache deny all
cache_mem 8 MB
pid_filename {d}/squid.pid
access_log stdio:{d}/access.log
cache_log {d}/cache.log
cache_store_log none
coredump_dir {d}
pinger_enable off
shutdown_lifetime 1 seconds
logfile_rotate 0
",
        chain = pki("server-rsa-chain.pem"),
        key = pki("server-rsa-key.pem"),
        ca = pki("ca.pem"),
    );
    let path = dir.join("squid.conf");
    std::fs::write(&path, conf).unwrap();
    let env = lib_env(lib);
    let args = vec![
        "-N".to_owned(),
        "-f".to_owned(),
        path.to_string_lossy().into_owned(),
    ];
    let server = Peer::server_with_env("squid", &args, https, &env);
    assert_eq!(
        server.runs_on_ferrossl(),
        lib != Lib::System,
        "squid's libssl"
    );
    (server, http, https)
}

/// Asks the proxy on `port` for an `https://` URL (absolute form, so Squid itself speaks
/// TLS to the origin): the status line and what the page says of the TLS it saw.
fn fetch_through(port: u16, origin: u16) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(15)))
        .unwrap();
    let request = format!(
        "GET https://localhost:{origin}/ HTTP/1.1\r\nHost: localhost:{origin}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(request.as_bytes()).unwrap();
    let mut page = Vec::new();
    let _ = s.read_to_end(&mut page);
    let page = String::from_utf8_lossy(&page);
    page.lines()
        .map(str::trim)
        .filter(|l| {
            l.starts_with("HTTP/1.1") || l.starts_with("X-Squid-Error") || l.contains("Cipher is")
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn scenarios(lib: Lib) -> (Vec<String>, String) {
    let good = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-www"]);
    let bad = openssl_server(
        "untrusted-server.pem",
        "untrusted-server-key.pem",
        &["-www"],
    );
    let dir = ScratchDir::new("squid");
    let (server, http, https) = squid(lib, &dir.0);
    let mut t = Vec::new();
    let (code, page) = system_curl(&[
        "--proxy",
        &format!("https://localhost:{https}"),
        "--proxy-cacert",
        &pki("ca.pem"),
        &format!("https://localhost:{}/", good.port),
    ]);
    t.push(format!(
        "CONNECT through https_port: exit {code}, origin page {}",
        page.contains("s_server")
    ));
    t.push(format!("https origin: {}", fetch_through(http, good.port)));
    t.push(format!(
        "untrusted origin: {}",
        fetch_through(http, bad.port)
    ));
    drop(server);
    let log = std::fs::read_to_string(dir.0.join("access.log")).unwrap_or_default();
    // Result code, method and URL of each request (ports replaced).
    let log = log
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|f| f.len() > 6)
        .map(|f| format!("{} {} {}", f[3], f[5], f[6]))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(&good.port.to_string(), "GOOD")
        .replace(&bad.port.to_string(), "BAD");
    (t, log)
}

#[test]
fn squid_speaks_tls_on_both_sides_as_on_openssl() {
    let (system, system_log) = scenarios(Lib::System);
    let (ours, ours_log) = scenarios(Lib::Ferrossl);
    let text = system.join("\n");
    assert_says_all(
        &text,
        &[
            "CONNECT through https_port: exit 0, origin page true",
            "https origin: HTTP/1.1 200 OK | New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384",
            "untrusted origin: HTTP/1.1 503 Service Unavailable | X-Squid-Error: ERR_SECURE_CONNECT_FAIL",
        ],
    );
    assert!(
        system_log.contains("TCP_MISS/200 GET https://localhost:GOOD/"),
        "{system_log}"
    );
    assert_same_lines(&system, &ours, "Squid on ferrossl");
    assert_eq!(ours_log, system_log);
}
