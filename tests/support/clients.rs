//! Real OpenSSL clients and OCSP pieces (the system's `curl`, `openssl s_client`,
//! `openssl ocsp`) that the server tests point at a program on ferrossl.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{pki, run_bounded, run_bounded_with_input, text};

/// The system's curl (real OpenSSL) trusting the test CA: exit code and what it printed.
pub fn system_curl(args: &[&str]) -> (i32, String) {
    let mut cmd = Command::new("curl");
    cmd.env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .args(["-sS", "--max-time", "15", "--cacert", &pki("ca.pem")])
        .args(args);
    let out = run_bounded(cmd, 30);
    (out.status.code().unwrap_or(-1), text(&out))
}

/// One `openssl s_client` connection (real OpenSSL) that sends nothing; what it printed.
pub fn s_client(port: u16, args: &[&str]) -> String {
    s_client_with(port, args, "")
}

/// One `openssl s_client` connection sending `input`; what it printed.
pub fn s_client_with(port: u16, args: &[&str], input: &str) -> String {
    let mut cmd = Command::new("openssl");
    cmd.env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .args(["s_client", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-CAfile", &pki("ca.pem")])
        .args(args);
    text(&run_bounded_with_input(cmd, input, 15))
}

/// Runs the system's `openssl` in `dir`, asserting success: what it printed.
fn system_openssl(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An OCSP responder's index in `dir` (`index.txt`) listing the RSA server certificate as
/// valid.
fn ocsp_index(dir: &Path) {
    let cert = pki("server-rsa.pem");
    let serial = system_openssl(dir, &["x509", "-in", &cert, "-noout", "-serial"]);
    let serial = serial.trim().trim_start_matches("serial=");
    let subject = system_openssl(
        dir,
        &[
            "x509", "-in", &cert, "-noout", "-subject", "-nameopt", "compat",
        ],
    );
    let subject = subject.trim().trim_start_matches("subject=");
    std::fs::write(
        dir.join("index.txt"),
        format!("V\t{}\t\t{serial}\tunknown\t{subject}\n", "351231235959Z"),
    )
    .unwrap();
}

/// The arguments that make `openssl ocsp` answer as the test CA from `index.txt`.
fn ocsp_signer_args() -> Vec<String> {
    let (ca, key) = (pki("ca.pem"), pki("ca-key.pem"));
    [
        "-index",
        "index.txt",
        "-rsigner",
        &ca,
        "-rkey",
        &key,
        "-CA",
        &ca,
    ]
    .map(String::from)
    .to_vec()
}

/// An OCSP response for the RSA server certificate, signed by the test CA (made with the
/// system's `openssl ocsp`), as a DER file in `dir`.
pub fn ocsp_response(dir: &Path) -> PathBuf {
    ocsp_index(dir);
    system_openssl(
        dir,
        &[
            "ocsp",
            "-issuer",
            &pki("ca.pem"),
            "-cert",
            &pki("server-rsa.pem"),
            "-reqout",
            "req.der",
            "-no_nonce",
        ],
    );
    let mut args = vec!["ocsp".to_owned()];
    args.extend(ocsp_signer_args());
    args.extend(["-reqin", "req.der", "-respout", "resp.der", "-ndays", "30"].map(String::from));
    system_openssl(dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    dir.join("resp.der")
}

/// An OCSP responder over HTTP on 127.0.0.1 answering every request (at most `answers`)
/// with the response [`ocsp_response`] made in `dir`: for servers that fetch their
/// stapled response themselves. (`openssl ocsp -port` listens on every interface.) Its port.
pub fn ocsp_http_responder(dir: &Path, answers: usize) -> u16 {
    let response = std::fs::read(ocsp_response(dir)).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().take(answers).flatten() {
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
            // The request (a POST with a body, small enough for one read) is not parsed:
            // the response is for the one certificate the server staples.
            let _ = stream.read(&mut [0u8; 4096]);
            let head = format!(
                "HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: {}\r\n\r\n",
                response.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&response);
        }
    });
    port
}
