//! EAP-TLS between wpa_supplicant's `eapol_test` and `hostapd` as a RADIUS server with its
//! internal EAP server, each on ferrossl in turn (the other on the system OpenSSL), over
//! TLS 1.2 and TLS 1.3: authentication succeeds with the client certificate, and the
//! MPPE keys both sides derive with `SSL_export_keying_material` agree (eapol_test
//! compares its own with the ones hostapd sends, so a wrong key fails); a client that
//! trusts another CA fails. The same transcript as with both on the system OpenSSL.

mod support;

use std::path::Path;

use support::*;

const SECRET: &str = "ferrossl-radius";

/// hostapd on `lib`, a RADIUS server on 127.0.0.1 authenticating "client" by EAP-TLS.
fn hostapd(lib: Lib, dir: &Path) -> (Peer, u16) {
    // hostapd binds the UDP port itself: take one that is free now.
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let d = dir.display();
    std::fs::write(dir.join("clients"), format!("127.0.0.1/32 {SECRET}\n")).unwrap();
    std::fs::write(dir.join("users"), "\"client\" TLS\n").unwrap();
    let conf = format!(
        "driver=none
logger_stdout=-1
logger_stdout_level=1
radius_server_clients={d}/clients
radius_server_auth_port={port}
radius_server_acct_port=0
radius_server_ipv6=0
eap_server=1
eap_user_file={d}/users
ca_cert={ca}
server_cert={chain}
private_key={key}
tls_flags=[ENABLE-TLSv1.3]
",
        ca = pki("ca.pem"),
        chain = pki("server-rsa-chain.pem"),
        key = pki("server-rsa-key.pem"),
    );
    let path = dir.join("hostapd.conf");
    std::fs::write(&path, conf).unwrap();
    let env = lib_env(lib);
    let server = Peer::spawn("hostapd", &[path.to_string_lossy().into_owned()], &env);
    let started = server.output_until("AP-ENABLED", 15);
    assert!(started.contains("AP-ENABLED"), "hostapd: {started}");
    assert_eq!(
        server.runs_on_ferrossl(),
        lib != Lib::System,
        "hostapd's libssl"
    );
    (server, port)
}

/// One `eapol_test` run on `lib`: the lines that say what happened.
fn eapol_test(lib: Lib, dir: &Path, port: u16, ca: &str, phase1: &str) -> String {
    // Runs are one after another: each writes the file for itself.
    let conf = dir.join("eapol.conf");
    std::fs::write(
        &conf,
        format!(
            "network={{
    key_mgmt=IEEE8021X
    eap=TLS
    identity=\"client\"
    ca_cert=\"{ca}\"
    client_cert=\"{cert}\"
    private_key=\"{key}\"
    phase1=\"{phase1}\"
    eapol_flags=0
}}
",
            ca = pki(ca),
            cert = pki("client.pem"),
            key = pki("client-key.pem"),
        ),
    )
    .unwrap();
    let mut cmd = program_on("eapol_test", lib);
    cmd.arg("-c")
        .arg(&conf)
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-s", SECRET])
        .args(["-r", "0", "-t", "10"]);
    let out = run_bounded(cmd, 30);
    let said = text(&out);
    let mut facts: Vec<&str> = said
        .lines()
        .map(str::trim)
        .filter(|l| {
            l.starts_with("SSL: Using TLS version")
                || l.starts_with("CTRL-EVENT-EAP-SUCCESS")
                || l.starts_with("CTRL-EVENT-EAP-FAILURE")
                || l.starts_with("CTRL-EVENT-EAP-TLS-CERT-ERROR")
                || l.starts_with("MPPE keys OK")
                || *l == "SUCCESS"
                || *l == "FAILURE"
        })
        .collect();
    facts.dedup();
    format!("exit {:?}: {}", out.status.code(), facts.join(" | "))
}

fn transcript(server_lib: Lib, client_lib: Lib) -> Vec<String> {
    let dir = ScratchDir::new("eap");
    let (_server, port) = hostapd(server_lib, &dir.0);
    [
        ("TLS 1.2", "ca.pem", ""),
        ("TLS 1.3", "ca.pem", "tls_disable_tlsv1_3=0"),
        ("client trusting another CA", "other-ca.pem", ""),
    ]
    .into_iter()
    .map(|(label, ca, phase1)| {
        format!(
            "{label}: {}",
            eapol_test(client_lib, &dir.0, port, ca, phase1)
        )
    })
    .collect()
}

#[test]
fn eap_tls_between_eapol_test_and_hostapd() {
    let reference = transcript(Lib::System, Lib::System);
    let text = reference.join("\n");
    assert_says_all(
        &text,
        &[
            "TLS 1.2: exit Some(0): SSL: Using TLS version TLSv1.2",
            "TLS 1.3: exit Some(0): SSL: Using TLS version TLSv1.3",
            "MPPE keys OK: 1  mismatch: 0 | SUCCESS",
            "client trusting another CA: exit Some(252)",
        ],
    );
    for (server, client) in [(Lib::Ferrossl, Lib::System), (Lib::System, Lib::Ferrossl)] {
        let got = transcript(server, client);
        let what = format!("hostapd on {server:?}, eapol_test on {client:?}");
        assert_same_lines(&reference, &got, &what);
    }
}
