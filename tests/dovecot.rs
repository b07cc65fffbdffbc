//! Dovecot 2.3's IMAP server, unmodified, on ferrossl (its login processes load libssl
//! through Dovecot's OpenSSL module): logins over IMAP STARTTLS and IMAPS by the system's
//! curl (mailbox list checked) and `openssl s_client`, `ssl_cipher_list` limiting TLS 1.2
//! to one suite, and `ssl_min_protocol = TLSv1.3` refusing TLS 1.2; the same transcript and
//! the same login log lines (`%k`: protocol and cipher) as on the system OpenSSL.

mod support;

use std::path::Path;
use std::process::Command;

use support::*;

/// Dovecot in the foreground on `lib`; `tls` is added to its configuration. Its IMAP
/// (STARTTLS) and IMAPS ports.
fn dovecot(lib: Lib, dir: &Path, tls: &str) -> (Peer, u16, u16) {
    let (imap, imaps) = (free_port(), free_port());
    let d = dir.display();
    for sub in ["mail", "run", "state"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    // Mail is stored as the dovecot user.
    let status = Command::new("chown")
        .arg("dovecot")
        .arg(dir.join("mail"))
        .status()
        .unwrap();
    assert!(status.success());
    let conf = format!(
        "base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{chain}
ssl_key = <{key}
{tls}
disable_plaintext_auth = yes
auth_mechanisms = plain
passdb {{
  driver = static
  args = password=secret
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={d}/mail/%u
}}
mail_location = maildir:~/Maildir
first_valid_uid = 1
# One long-lived login process, so the test can see which libssl it mapped.
service imap-login {{
  service_count = 0
  process_min_avail = 1
  inet_listener imap {{
    port = {imap}
  }}
  inet_listener imaps {{
    port = {imaps}
    ssl = yes
  }}
}}
# Dovecot clears its children's environment but for these.
import_environment = LD_LIBRARY_PATH TZ
login_log_format_elements = user=<%u> method=%m %k
",
        chain = pki("server-rsa-chain.pem"),
        key = pki("server-rsa-key.pem"),
    );
    let path = dir.join("dovecot.conf");
    std::fs::write(&path, conf).unwrap();
    let env = lib_env(lib);
    let args = vec![
        "-F".to_owned(),
        "-c".to_owned(),
        path.to_string_lossy().into_owned(),
    ];
    let server = Peer::server_with_env("dovecot", &args, imaps, &env);
    (server, imap, imaps)
}

/// Whether the master's imap-login child has ferrossl mapped (`None`: no such child).
fn login_process_on_ferrossl(master: &Peer) -> Option<bool> {
    let out = Command::new("pgrep")
        .args(["-P", &master.pid().to_string(), "imap-login"])
        .output()
        .ok()?;
    let pid = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()?
        .trim()
        .to_owned();
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).ok()?;
    Some(maps.contains("libferrossl"))
}

/// One IMAP session with `openssl s_client` (`args` pick STARTTLS or the version): the
/// server's answers to LOGIN and LOGOUT and the negotiated suite.
fn imap_session(port: u16, args: &[&str]) -> String {
    let args = [args, &["-ign_eof"]].concat();
    let out = s_client_with(port, &args, "a LOGIN alice secret\r\nb LOGOUT\r\n");
    out.lines()
        .map(str::trim)
        .filter(|l| {
            l.starts_with("a OK")
                || l.starts_with("b OK")
                || l.contains("Cipher is")
                || l.contains(":error:")
        })
        .map(|l| l.find(":error:").map_or(l, |at| &l[at + 1..]))
        // "a OK [CAPABILITY ...] Logged in", "b OK Logout completed (0.001 + 0.000 secs)."
        .map(|l| if l.contains(" OK ") { &l[..4] } else { l })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn scenarios(lib: Lib) -> (Vec<String>, String) {
    let mut t = Vec::new();
    let dir = ScratchDir::new("dovecot");
    let (server, imap, imaps) = dovecot(
        lib,
        &dir.0,
        "ssl_min_protocol = TLSv1.2\nssl_cipher_list = ECDHE-RSA-AES128-GCM-SHA256",
    );
    for (label, url) in [
        ("curl STARTTLS", format!("imap://localhost:{imap}/")),
        ("curl IMAPS", format!("imaps://localhost:{imaps}/")),
    ] {
        let (code, out) = system_curl(&["--ssl-reqd", "-u", "alice:secret", &url]);
        t.push(format!("{label}: exit {code} {}", out.trim()));
    }
    t.push(format!(
        "STARTTLS: {}",
        imap_session(imap, &["-starttls", "imap"])
    ));
    t.push(format!(
        "IMAPS TLS 1.2: {}",
        imap_session(imaps, &["-tls1_2"])
    ));
    t.push(format!(
        "IMAPS TLS 1.2 other suite: {}",
        imap_session(
            imaps,
            &["-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384"]
        )
    ));
    assert_eq!(
        login_process_on_ferrossl(&server),
        Some(lib != Lib::System),
        "imap-login's libssl"
    );
    drop(server);
    let dir13 = ScratchDir::new("dovecot13");
    let (server, _, imaps) = dovecot(lib, &dir13.0, "ssl_min_protocol = TLSv1.3");
    t.push(format!(
        "TLS 1.3 minimum, TLS 1.2 client: {}",
        imap_session(imaps, &["-tls1_2"])
    ));
    t.push(format!(
        "TLS 1.3 minimum, TLS 1.3 client: {}",
        imap_session(imaps, &["-tls1_3"])
    ));
    drop(server);
    let log = std::fs::read_to_string(dir.0.join("dovecot.log")).unwrap_or_default();
    let logins = log
        .lines()
        .filter_map(|l| {
            l.split_once("imap-login: Info: ")
                .map(|(_, rest)| rest.to_owned())
        })
        .filter(|l| l.starts_with("Login:"))
        .collect::<Vec<_>>()
        .join("\n");
    (t, logins)
}

#[test]
fn dovecot_imap_starttls_and_imaps_behave_as_on_openssl() {
    let (system, system_log) = scenarios(Lib::System);
    let (ours, ours_log) = scenarios(Lib::Ferrossl);
    let text = system.join("\n");
    assert_says_all(
        &text,
        &[
            "curl STARTTLS: exit 0 * LIST (\\HasNoChildren) \".\" INBOX",
            "STARTTLS: New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384 | a OK | b OK",
            "IMAPS TLS 1.2: New, TLSv1.2, Cipher is ECDHE-RSA-AES128-GCM-SHA256 | a OK",
            "TLS 1.3 minimum, TLS 1.3 client: New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384 | a OK",
        ],
    );
    assert!(
        system_log.contains("TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256"),
        "{system_log}"
    );
    assert_same_lines(&system, &ours, "Dovecot on ferrossl");
    assert_eq!(ours_log, system_log);
}
