//! Postfix 3.7, unmodified, on ferrossl (its master's children import `LD_LIBRARY_PATH`):
//! `smtpd` with STARTTLS takes a message from Python's smtplib (system OpenSSL) and adds
//! a `Received:` header naming the TLS version, cipher, key exchange and signature; the
//! `smtp` client relays it with `smtp_tls_security_level = verify` (a policy map entry
//! matching the certificate's name) to an SMTP sink on the system OpenSSL; and
//! `posttls-finger` on ferrossl checks the server (verified, untrusted issuer, hostname
//! mismatch). The same transcript and TLS log lines as on the system OpenSSL.

mod support;

use std::path::Path;
use std::process::Command;

use support::*;

const MASTER_CF: &str = "pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
";

/// A Postfix instance in `dir` (its own configuration, queue and log, nothing chrooted),
/// relaying everything to the sink on `sink`: its master in the foreground, and the
/// port its smtpd listens on.
fn postfix(lib: Lib, dir: &Path, sink: u16) -> (Peer, u16) {
    let port = free_port();
    let d = dir.display();
    for sub in ["conf", "queue/pid", "data"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let status = Command::new("chown")
        .arg("postfix")
        .arg(dir.join("data"))
        .status()
        .unwrap();
    assert!(status.success());
    let main_cf = format!(
        "compatibility_level = 3.6
queue_directory = {d}/queue
data_directory = {d}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.ferrossl.test
mydomain = ferrossl.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:{sink}
alias_maps =
alias_database =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_tls_cert_file = {chain}
smtpd_tls_key_file = {key}
smtpd_tls_security_level = may
smtpd_tls_received_header = yes
smtpd_tls_loglevel = 1
smtp_tls_security_level = verify
smtp_tls_CAfile = {ca}
smtp_tls_policy_maps = inline:{{ {{ [127.0.0.1]:{sink} = verify match=localhost }} }}
smtp_tls_loglevel = 1
maillog_file_prefixes = {d}
maillog_file = {d}/maillog
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME LD_LIBRARY_PATH
",
        chain = pki("server-rsa-chain.pem"),
        key = pki("server-rsa-key.pem"),
        ca = pki("ca.pem"),
    );
    std::fs::write(dir.join("conf/main.cf"), main_cf).unwrap();
    let master_cf = format!("127.0.0.1:{port} inet n - n - - smtpd\n{MASTER_CF}");
    std::fs::write(dir.join("conf/master.cf"), master_cf).unwrap();
    let conf = dir.join("conf").to_string_lossy().into_owned();
    // `postfix check` makes the queue's directories with their owners and modes.
    let out = Command::new("postfix")
        .env_remove("LD_LIBRARY_PATH")
        .args(["-c", &conf, "check"])
        .output()
        .unwrap();
    assert!(out.status.success(), "postfix check: {}", text(&out));
    let env = match lib {
        Lib::System => vec![],
        _ => vec![("LD_LIBRARY_PATH", lib_dir().to_string_lossy().into_owned())],
    };
    let args = vec!["-c".to_owned(), conf, "-d".to_owned()];
    (
        Peer::server_with_env("/usr/lib/postfix/sbin/master", &args, port, &env),
        port,
    )
}

/// Whether each of the master's children named `names` has ferrossl mapped.
fn children_on_ferrossl(master: &Peer, names: &[&str]) -> Vec<(String, bool)> {
    names
        .iter()
        .map(|name| {
            let out = Command::new("pgrep")
                .args(["-P", &master.pid().to_string(), "-x", name])
                .output()
                .unwrap();
            let pid = String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_owned();
            let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
            (name.to_string(), maps.contains("libferrossl"))
        })
        .collect()
}

fn posttls_finger(lib: Lib, conf: &Path, port: u16, level: &str, ca: &str, name: &str) -> String {
    let mut cmd = Command::new("posttls-finger");
    cmd.env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .env("MAIL_CONFIG", conf);
    if lib != Lib::System {
        cmd.env("LD_LIBRARY_PATH", lib_dir());
    }
    cmd.args([
        "-c",
        "-l",
        level,
        "-F",
        &pki(ca),
        &format!("[127.0.0.1]:{port}"),
        name,
    ]);
    text(&run_bounded(cmd, 30))
        .trim()
        .replace(&port.to_string(), "PORT")
}

fn scenarios(lib: Lib) -> (Vec<String>, Vec<String>) {
    let mut sink_cmd = Command::new("/usr/bin/python3");
    sink_cmd
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .arg(root().join("tests/postfix/smtp_sink.py"))
        .arg(root().join("tests/pki"))
        .arg("1");
    let sink = ReportingServer::spawn(sink_cmd, 60);
    let dir = ScratchDir::new("postfix");
    let (master, port) = postfix(lib, &dir.0, sink.port);
    let mut t = Vec::new();

    let mut submit = Command::new("/usr/bin/python3");
    submit
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .arg(root().join("tests/postfix/submit.py"))
        .arg(port.to_string())
        .arg(pki("ca.pem"));
    t.push(text(&run_bounded(submit, 30)).trim().to_owned());
    let (_, delivered) = sink.finish();
    // The Received header up to the server's name (the queue id and date change).
    for line in delivered.lines() {
        t.push(line.split(" id ").next().unwrap_or(line).to_owned());
    }
    let conf = dir.0.join("conf");
    t.push(posttls_finger(
        lib,
        &conf,
        port,
        "verify",
        "ca.pem",
        "localhost",
    ));
    t.push(posttls_finger(
        lib,
        &conf,
        port,
        "verify",
        "other-ca.pem",
        "localhost",
    ));
    t.push(posttls_finger(
        lib,
        &conf,
        port,
        "secure",
        "ca.pem",
        "wrong.example",
    ));
    let mapped = children_on_ferrossl(&master, &["smtpd", "smtp"]);
    for (name, on_ferrossl) in mapped {
        assert_eq!(on_ferrossl, lib != Lib::System, "{name}'s libssl");
    }
    drop(master);
    let log = std::fs::read_to_string(dir.0.join("maillog")).unwrap_or_default();
    let tls_log = log
        .lines()
        .filter(|l| l.contains("TLS connection established"))
        .filter_map(|l| {
            l.split_once("]: ")
                .map(|(_, rest)| rest.replace(&sink_port_text(rest), ""))
        })
        .collect();
    (t, tls_log)
}

/// The `:port` after `[127.0.0.1]` in a log line (ports differ between runs).
fn sink_port_text(line: &str) -> String {
    line.split("[127.0.0.1]:")
        .nth(1)
        .map(|rest| rest.split(':').next().unwrap_or(""))
        .map(|p| format!(":{p}"))
        .unwrap_or_default()
}

#[test]
fn postfix_smtpd_smtp_and_posttls_finger_behave_as_on_openssl() {
    let (system, system_log) = scenarios(Lib::System);
    let (ours, ours_log) = scenarios(Lib::Ferrossl);
    let text = system.join("\n");
    for want in [
        "submitted over TLSv1.3 TLS_AES_256_GCM_SHA384",
        "session: TLSv1.3 TLS_AES_256_GCM_SHA384",
        "(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519",
        "matched peername: localhost",
        "Verified TLS connection established to 127.0.0.1[127.0.0.1]:PORT",
        "untrusted issuer /CN=ferrossl test CA",
        "num=62:hostname mismatch",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    let log = system_log.join("\n");
    assert!(
        log.contains("Anonymous TLS connection established from localhost"),
        "{log}"
    );
    assert!(
        log.contains("Verified TLS connection established to 127.0.0.1"),
        "{log}"
    );
    for (s, o) in system.iter().zip(&ours) {
        assert_eq!(o, s);
    }
    assert_eq!(ours_log, system_log);
}
