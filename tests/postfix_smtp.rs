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

/// A Postfix instance in `dir` (its own configuration, queue and log) with `relay` added
/// to its main.cf; its smtp client runs chrooted in the queue directory when `chroot`
/// (so it reads the queue's etc/resolv.conf). Its master in the foreground, and the port
/// its smtpd listens on.
fn postfix(lib: Lib, dir: &Path, relay: &str, chroot: bool) -> (Peer, u16) {
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
alias_maps =
alias_database =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_tls_cert_file = {chain}
smtpd_tls_key_file = {key}
smtpd_tls_security_level = may
smtpd_tls_received_header = yes
smtpd_tls_loglevel = 1
smtp_tls_CAfile = {ca}
smtp_tls_loglevel = 1
maillog_file_prefixes = {d}
maillog_file = {d}/maillog
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME LD_LIBRARY_PATH
{relay}
",
        chain = pki("server-rsa-chain.pem"),
        key = pki("server-rsa-key.pem"),
        ca = pki("ca.pem"),
    );
    std::fs::write(dir.join("conf/main.cf"), main_cf).unwrap();
    let mut master_cf = format!("127.0.0.1:{port} inet n - n - - smtpd\n{MASTER_CF}");
    if chroot {
        master_cf = master_cf
            .replace(
                "smtp      unix  -       -       n",
                "smtp      unix  -       -       y",
            )
            .replace(
                "relay     unix  -       -       n",
                "relay     unix  -       -       y",
            );
    }
    std::fs::write(dir.join("conf/master.cf"), master_cf).unwrap();
    let conf = dir.join("conf").to_string_lossy().into_owned();
    // `postfix check` makes the queue's directories with their owners and modes.
    let out = Command::new("postfix")
        .env_remove("LD_LIBRARY_PATH")
        .args(["-c", &conf, "check"])
        .output()
        .unwrap();
    assert!(out.status.success(), "postfix check: {}", text(&out));
    let env = lib_env(lib);
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
    let mut cmd = program_on("posttls-finger", lib);
    cmd.env("MAIL_CONFIG", conf).args([
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

/// The SMTP sink (Python on the system OpenSSL) for `sessions` sessions.
fn smtp_sink(sessions: u32) -> ReportingServer {
    let mut cmd = program_on("/usr/bin/python3", Lib::System);
    cmd.arg(root().join("tests/postfix/smtp_sink.py"))
        .arg(root().join("tests/pki"))
        .arg(sessions.to_string());
    ReportingServer::spawn(cmd, 60)
}

/// Submits one message over STARTTLS (Python's smtplib on the system OpenSSL) to
/// `recipients`: what the submitter said.
fn submit(port: u16, recipients: &[&str]) -> String {
    let mut cmd = program_on("/usr/bin/python3", Lib::System);
    cmd.arg(root().join("tests/postfix/submit.py"))
        .arg(port.to_string())
        .arg(pki("ca.pem"))
        .args(recipients);
    text(&run_bounded(cmd, 30)).trim().to_owned()
}

fn scenarios(lib: Lib) -> (Vec<String>, Vec<String>) {
    let sink = smtp_sink(1);
    let dir = ScratchDir::new("postfix");
    let relay = format!(
        "relayhost = [127.0.0.1]:{sink}
smtp_tls_security_level = verify
smtp_tls_policy_maps = inline:{{ {{ [127.0.0.1]:{sink} = verify match=localhost }} }}",
        sink = sink.port
    );
    let (master, port) = postfix(lib, &dir.0, &relay, false);
    let mut t = Vec::new();

    t.push(submit(port, &[]));
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
    assert_says_all(
        &text,
        &[
            "submitted over TLSv1.3 TLS_AES_256_GCM_SHA384",
            "session: TLSv1.3 TLS_AES_256_GCM_SHA384",
            "(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519",
            "matched peername: localhost",
            "Verified TLS connection established to 127.0.0.1[127.0.0.1]:PORT",
            "untrusted issuer /CN=ferrossl test CA",
            "num=62:hostname mismatch",
        ],
    );
    let log = system_log.join("\n");
    assert!(
        log.contains("Anonymous TLS connection established from localhost"),
        "{log}"
    );
    assert!(
        log.contains("Verified TLS connection established to 127.0.0.1"),
        "{log}"
    );
    assert_same_lines(&system, &ours, "Postfix on ferrossl");
    assert_eq!(ours_log, system_log);
}

/// The public-key SHA-256 of a certificate, as a DANE 3 1 1 record names it.
fn spki_sha256(cert: &str) -> String {
    let out = Command::new("sh")
        .env_remove("LD_LIBRARY_PATH")
        .arg("-c")
        .arg(format!(
            "openssl x509 -in {} -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r",
            pki(cert)
        ))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_owned()
}

/// A DNSSEC-signed zone `ferrossl.test.` in `dir`: `mx` with a DANE-EE record for the RSA
/// server's key on `port`, `bad` with one for another key. The trust anchor's file name.
fn signed_zone(dir: &Path, port: u16) -> std::path::PathBuf {
    let zone = format!(
        "$TTL 300
@ IN SOA ns.ferrossl.test. hostmaster.ferrossl.test. 1 3600 600 86400 300
@ IN NS ns.ferrossl.test.
ns IN A 127.0.0.1
mx IN A 127.0.0.1
bad IN A 127.0.0.1
_{port}._tcp.mx IN TLSA 3 1 1 {good}
_{port}._tcp.bad IN TLSA 3 1 1 {other}
",
        good = spki_sha256("server-rsa.pem"),
        other = spki_sha256("untrusted-server.pem"),
    );
    std::fs::write(dir.join("zone"), zone).unwrap();
    let script = "set -e
ksk=$(dnssec-keygen -q -a ECDSAP256SHA256 -f KSK -n ZONE ferrossl.test)
zsk=$(dnssec-keygen -q -a ECDSAP256SHA256 -n ZONE ferrossl.test)
cat $ksk.key $zsk.key >> zone
dnssec-signzone -q -o ferrossl.test -f zone.signed zone >/dev/null
grep -v '^;' $ksk.key > anchor";
    let out = Command::new("sh")
        .current_dir(dir)
        .env_remove("LD_LIBRARY_PATH")
        .args(["-c", script])
        .output()
        .unwrap();
    assert!(out.status.success(), "signing the zone: {}", text(&out));
    dir.join("anchor")
}

/// A validating unbound on 127.0.0.1:53 (where the resolver library looks) serving the
/// signed zone, so lookups in it come back with the AD bit.
fn validating_resolver(dir: &Path) -> Peer {
    let d = dir.display();
    let server = format!(
        "  module-config: \"validator iterator\"
  trust-anchor-file: \"{d}/anchor\"
  local-zone: \"test.\" nodefault"
    );
    let zone = format!(
        "auth-zone:
  name: \"ferrossl.test.\"
  zonefile: \"{d}/zone.signed\"
  for-downstream: no
  for-upstream: yes
  fallback-enabled: no"
    );
    unbound(Lib::System, dir, 53, &server, &zone)
}

/// Postfix's smtp client on `lib` delivering with `smtp_tls_security_level = dane` to
/// `mx.ferrossl.test` (its TLSA record matches) and `bad.ferrossl.test` (it does not).
fn dane_delivery(lib: Lib) -> (Vec<String>, Vec<String>) {
    let sink = smtp_sink(2);
    let sink_port = sink.port;
    let dns = ScratchDir::new("dnssec");
    signed_zone(&dns.0, sink.port);
    let _resolver = validating_resolver(&dns.0);
    let dir = ScratchDir::new("postfix-dane");
    std::fs::create_dir_all(dir.0.join("queue/etc")).unwrap();
    std::fs::write(
        dir.0.join("queue/etc/resolv.conf"),
        "nameserver 127.0.0.1\noptions trust-ad\n",
    )
    .unwrap();
    let relay = format!(
        "smtp_dns_support_level = dnssec
smtp_host_lookup = dns
smtp_tls_security_level = dane
transport_maps = inline:{{ good.example=smtp:[mx.ferrossl.test]:{p}, bad.example=smtp:[bad.ferrossl.test]:{p} }}",
        p = sink.port
    );
    let (master, port) = postfix(lib, &dir.0, &relay, true);
    let submitted = submit(port, &["bob@good.example", "carol@bad.example"]);
    assert!(submitted.contains("refused recipients: {}"), "{submitted}");
    let (_, delivered) = sink.finish();
    // The messages that arrived (a refused server's session ends at a point that
    // depends on timing, so only deliveries are compared).
    let sessions: Vec<String> = delivered
        .lines()
        .filter(|l| l.starts_with("Received:"))
        .map(|l| l.split(" id ").next().unwrap_or(l).to_owned())
        .collect();
    let on_ferrossl = children_on_ferrossl(&master, &["smtp"]);
    assert_eq!(on_ferrossl[0].1, lib != Lib::System, "smtp's libssl");
    drop(master);
    let log = std::fs::read_to_string(dir.0.join("maillog")).unwrap_or_default();
    let mut facts: Vec<String> = log
        .lines()
        .filter(|l| l.contains("postfix/smtp["))
        .filter_map(|l| l.split_once("]: ").map(|(_, rest)| rest))
        .map(|l| {
            // "QUEUEID: to=<...>, relay=..., delay=..., dsn=..., status=... (...)" without
            // the queue id, the timings and the remote's words.
            let l = l.replace(&format!(":{sink_port}"), ":SINK");
            match l.split_once(": to=") {
                Some((_, r)) => {
                    let to_relay = r.split(", delay=").next().unwrap_or(r);
                    let dsn = r.split(", dsn=").nth(1).unwrap_or("");
                    format!(
                        "to={to_relay}, dsn={}",
                        dsn.split(" (").next().unwrap_or(dsn)
                    )
                }
                None => l,
            }
        })
        .collect();
    facts.sort();
    (sessions, facts)
}

#[test]
fn postfix_smtp_client_authenticates_by_dane() {
    let (system_sessions, system_log) = dane_delivery(Lib::System);
    let (ours_sessions, ours_log) = dane_delivery(Lib::Ferrossl);
    let log = system_log.join("\n");
    assert_says_all(
        &log,
        &[
            "Verified TLS connection established to mx.ferrossl.test[127.0.0.1]:SINK",
            "to=<bob@good.example>, relay=mx.ferrossl.test[127.0.0.1]:SINK, dsn=2.0.0",
            "to=<carol@bad.example>",
        ],
    );
    assert_eq!(system_sessions.len(), 1, "{system_sessions:?}");
    assert_eq!(ours_log, system_log);
    assert_eq!(ours_sessions, system_sessions);
    assert_eq!(ours_log, system_log);
}
