//! DNS over TLS between BIND 9.18's `dig +tls` and `unbound` 1.17 serving a local zone,
//! each on ferrossl in turn (the other on the system OpenSSL): the answer with
//! `+tls-ca`/`+tls-hostname`, and dig's verification failures for a wrong CA and a wrong
//! name, the same as with both on the system OpenSSL.

mod support;

use std::path::Path;
use std::process::Command;

use support::*;

/// `unbound -d` on `lib`, answering `ferrossl.test. A 192.0.2.7` over DoT on 127.0.0.1.
fn unbound(lib: Lib, dir: &Path) -> Peer {
    let port = free_port();
    let d = dir.display();
    let conf = format!(
        "server:
  interface: 127.0.0.1@{port}
  tls-port: {port}
  tls-service-key: \"{key}\"
  tls-service-pem: \"{chain}\"
  do-daemonize: no
  username: \"\"
  chroot: \"\"
  directory: \"{d}\"
  pidfile: \"{d}/unbound.pid\"
  use-syslog: no
  logfile: \"\"
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  module-config: \"iterator\"
  local-zone: \"test.\" static
  local-data: \"ferrossl.test. 300 IN A 192.0.2.7\"
remote-control:
  control-enable: no
",
        key = pki("server-rsa-key.pem"),
        chain = pki("server-rsa-chain.pem"),
    );
    let path = dir.join("unbound.conf");
    std::fs::write(&path, conf).unwrap();
    let env = match lib {
        Lib::System => vec![],
        _ => vec![("LD_LIBRARY_PATH", lib_dir().to_string_lossy().into_owned())],
    };
    let args = vec![
        "-d".to_owned(),
        "-c".to_owned(),
        path.to_string_lossy().into_owned(),
    ];
    let server = Peer::server_with_env("unbound", &args, port, &env);
    assert_eq!(
        server.runs_on_ferrossl(),
        lib != Lib::System,
        "unbound's libssl"
    );
    server
}

/// What `dig +tls` on `lib` printed for each case.
fn dig_cases(lib: Lib, port: u16) -> Vec<String> {
    let (ca, other) = (pki("ca.pem"), pki("other-ca.pem"));
    let cases: [(&str, Vec<String>); 4] = [
        (
            "verified",
            vec![format!("+tls-ca={ca}"), "+tls-hostname=localhost".into()],
        ),
        (
            "wrong CA",
            vec![format!("+tls-ca={other}"), "+tls-hostname=localhost".into()],
        ),
        (
            "wrong name",
            vec![
                format!("+tls-ca={ca}"),
                "+tls-hostname=wrong.example".into(),
            ],
        ),
        ("unverified", vec![]),
    ];
    cases
        .into_iter()
        .map(|(label, extra)| {
            let mut cmd = Command::new("dig");
            cmd.env_remove("LD_LIBRARY_PATH").env_remove("LD_PRELOAD");
            if lib != Lib::System {
                cmd.env("LD_LIBRARY_PATH", lib_dir());
            }
            cmd.args([
                "@127.0.0.1",
                "-p",
                &port.to_string(),
                "+tls",
                "+short",
                "+tries=1",
            ])
            .args(["+time=5", "ferrossl.test", "A"])
            .args(extra);
            let out = run_bounded(cmd, 30);
            let said = text(&out).trim().replace(&format!("#{port}"), "#PORT");
            format!("{label}: {said}")
        })
        .collect()
}

fn transcript(server_lib: Lib, client_lib: Lib) -> Vec<String> {
    let dir = ScratchDir::new("unbound");
    let server = unbound(server_lib, &dir.0);
    dig_cases(client_lib, server.port)
}

#[test]
fn dig_and_unbound_speak_dns_over_tls_on_ferrossl() {
    let reference = transcript(Lib::System, Lib::System);
    let text = reference.join("\n");
    for want in [
        "verified: 192.0.2.7",
        "wrong CA: ;; TLS peer certificate verification for 127.0.0.1",
        "failed: hostname mismatch",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    for (server, client) in [(Lib::Ferrossl, Lib::System), (Lib::System, Lib::Ferrossl)] {
        let got = transcript(server, client);
        for (r, g) in reference.iter().zip(&got) {
            assert_eq!(g, r, "unbound on {server:?}, dig on {client:?}");
        }
    }
}
