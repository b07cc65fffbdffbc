//! Peers that hang up or send garbage over real sockets: the unmodified example programs
//! must report exactly what they report on the system OpenSSL.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use support::*;

/// What a scripted peer does once connected.
#[derive(Clone, Copy)]
enum Behaviour {
    HangUpAtOnce,
    HangUpAfterHello,
    SendHttp,
    SendGarbageRecord,
    SendFatalAlert,
}

fn act(mut s: TcpStream, b: Behaviour) {
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 4096];
    match b {
        Behaviour::HangUpAtOnce => {
            // Close our side at once, but keep reading: a full close with the ClientHello
            // unread would reset the connection, and the client would see a reset or an
            // end of file depending on timing.
            let _ = s.shutdown(std::net::Shutdown::Write);
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
        }
        Behaviour::HangUpAfterHello => {
            let _ = s.read(&mut buf);
        }
        Behaviour::SendHttp => {
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
        Behaviour::SendGarbageRecord => {
            let _ = s.read(&mut buf);
            // A handshake record header announcing more than a record may hold.
            let _ = s.write_all(&[0x16, 0x03, 0x03, 0xff, 0xff, 0, 0, 0]);
        }
        Behaviour::SendFatalAlert => {
            let _ = s.read(&mut buf);
            // alert(21), TLS 1.2, length 2: fatal(2) handshake_failure(40).
            let _ = s.write_all(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);
        }
    }
}

/// The client example's output against a scripted server, on the given libssl.
fn client_against(b: Behaviour, lib: Lib) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let peer = std::thread::spawn(move || {
        if let Ok((s, _)) = listener.accept() {
            act(s, b);
        }
    });
    let exe = compile("c-examples/client.c", false);
    let mut cmd = c_command(&exe, lib);
    cmd.args(["127.0.0.1", &port.to_string(), "-CAfile", &pki("ca.pem")]);
    let out = text(&run_bounded(cmd, 20));
    peer.join().unwrap();
    out
}

fn same_client_outcome(b: Behaviour, expect: &str) {
    let system = client_against(b, Lib::System);
    let ours = client_against(b, Lib::Ferrossl);
    assert!(
        system.contains(expect),
        "the system OpenSSL said:\n{system}"
    );
    assert_eq!(ours, system);
}

#[test]
fn server_hangs_up_before_answering() {
    same_client_outcome(Behaviour::HangUpAtOnce, "unexpected eof while reading");
    same_client_outcome(Behaviour::HangUpAfterHello, "unexpected eof while reading");
}

#[test]
fn server_answers_in_plain_http() {
    same_client_outcome(Behaviour::SendHttp, "wrong version number");
}

#[test]
fn server_sends_an_oversized_record() {
    same_client_outcome(Behaviour::SendGarbageRecord, "packet length too long");
}

#[test]
fn server_sends_a_fatal_alert() {
    same_client_outcome(Behaviour::SendFatalAlert, "sslv3 alert handshake failure");
}

/// The server example's report when a client sends `bytes` and hangs up. The server
/// picks its own port (port 0) and the client connects to the one it reports, so no other
/// test's listener can take the connection.
fn server_against(bytes: &'static [u8], lib: Lib) -> String {
    use std::io::BufRead;
    let exe = compile("c-examples/server.c", false);
    let mut cmd = c_command(&exe, lib);
    cmd.args([
        "0".to_string(),
        pki("server-rsa.pem"),
        pki("server-rsa-key.pem"),
    ])
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("the server example starts");
    let pid = child.id();
    // Bounded: the server is killed if it has not finished within 20 s.
    let (done, stop) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        if stop.recv_timeout(Duration::from_secs(20)).is_err() {
            let _ = std::process::Command::new("kill")
                .arg("-9")
                .arg(pid.to_string())
                .status();
        }
    });
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let port: u16 = first
        .trim()
        .strip_prefix("listening on ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let _ = s.write_all(bytes);
    let _ = s.shutdown(std::net::Shutdown::Write);
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = s.read_to_end(&mut Vec::new());
    let mut rest = String::new();
    let _ = stdout.read_to_string(&mut rest);
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    let _ = child.wait();
    let _ = done.send(());
    format!("{rest}{err}")
        .lines()
        .filter(|l| !l.starts_with("listening on"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn client_hangs_up_or_speaks_plain_http_to_a_server() {
    for (bytes, expect) in [
        (&b""[..], "unexpected eof while reading"),
        (&b"GET / HTTP/1.0\r\n\r\n"[..], "http request"),
    ] {
        let system = server_against(bytes, Lib::System);
        let ours = server_against(bytes, Lib::Ferrossl);
        assert!(
            system.contains(expect),
            "the system OpenSSL said:\n{system}"
        );
        assert_eq!(ours, system);
    }
}
