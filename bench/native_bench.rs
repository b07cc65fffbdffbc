//! The native-rustls ceiling for `bench/run`: the work of `bench/bench.c` done with rustls
//! directly (the same aws-lc-rs provider, suites, X25519 then P-256 or ferrossl's default
//! groups, certificates and CA,
//! client and server in one process over in-memory buffers), so the table shows what
//! ferrossl's C ABI costs on top of rustls.
//!
//!     native_bench SCENARIO PKI_DIR SECONDS
//!
//! Prints one line, as bench.c does: "SCENARIO UNIT VALUE".

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Instant;

use rustls::crypto::aws_lc_rs as provider;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{
    CipherSuite, ClientConfig, ClientConnection, Connection, HandshakeKind, RootCertStore,
    ServerConfig, ServerConnection, SupportedProtocolVersion,
};

struct Setup {
    version: &'static SupportedProtocolVersion,
    suite: CipherSuite,
    cert: &'static str,
    key: &'static str,
    /// ferrossl's defaults (X25519MLKEM768 first, certificate compression) instead of
    /// the like-for-like X25519 without compression.
    defaults: bool,
}

const TLS13_ECDSA: Setup = Setup {
    version: &rustls::version::TLS13,
    suite: CipherSuite::TLS13_AES_128_GCM_SHA256,
    cert: "server-ecdsa.pem",
    key: "server-ecdsa-key.pem",
    defaults: false,
};
const TLS13_RSA: Setup = Setup {
    version: &rustls::version::TLS13,
    suite: CipherSuite::TLS13_AES_128_GCM_SHA256,
    cert: "server-rsa.pem",
    key: "server-rsa-key.pem",
    defaults: false,
};
const TLS13_DEFAULTS: Setup = Setup {
    defaults: true,
    ..TLS13_ECDSA
};
const TLS12_ECDSA: Setup = Setup {
    version: &rustls::version::TLS12,
    suite: CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    cert: "server-ecdsa.pem",
    key: "server-ecdsa-key.pem",
    defaults: false,
};
const TLS12_RSA: Setup = Setup {
    version: &rustls::version::TLS12,
    suite: CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    cert: "server-rsa.pem",
    key: "server-rsa-key.pem",
    defaults: false,
};
const TLS12_CHACHA: Setup = Setup {
    version: &rustls::version::TLS12,
    suite: CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    cert: "server-rsa.pem",
    key: "server-rsa-key.pem",
    defaults: false,
};
const TLS13_AES256: Setup = Setup {
    version: &rustls::version::TLS13,
    suite: CipherSuite::TLS13_AES_256_GCM_SHA384,
    cert: "server-rsa.pem",
    key: "server-rsa-key.pem",
    defaults: false,
};
const TLS13_CHACHA: Setup = Setup {
    suite: CipherSuite::TLS13_CHACHA20_POLY1305_SHA256,
    ..TLS13_AES256
};

fn crypto(setup: &Setup) -> Arc<CryptoProvider> {
    let mut p = provider::default_provider();
    p.cipher_suites.retain(|s| s.suite() == setup.suite);
    p.kx_groups = if setup.defaults {
        vec![
            provider::kx_group::X25519MLKEM768,
            provider::kx_group::X25519,
            provider::kx_group::SECP256R1,
            provider::kx_group::SECP384R1,
        ]
    } else {
        vec![provider::kx_group::X25519, provider::kx_group::SECP256R1]
    };
    Arc::new(p)
}

/// The client resumes only where asked to (rustls' client resumes by default; bench.c's
/// clients only when handed a session).
fn configs(setup: &Setup, pki: &str, resume: bool) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let p = crypto(setup);
    let path = |name: &str| format!("{pki}/{name}");
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path(setup.cert))
        .expect("certificate file")
        .map(|c| c.expect("certificate"))
        .collect();
    let key = PrivateKeyDer::from_pem_file(path(setup.key)).expect("key");
    let mut server = ServerConfig::builder_with_provider(p.clone())
        .with_protocol_versions(&[setup.version])
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server credentials");
    // Stateless tickets, as OpenSSL's and ferrossl's servers issue by default.
    server.ticketer = provider::Ticketer::new().expect("ticketer");
    let mut roots = RootCertStore::empty();
    for ca in CertificateDer::pem_file_iter(path("ca.pem")).expect("CA file") {
        roots.add(ca.expect("CA")).expect("CA accepted");
    }
    let mut client = ClientConfig::builder_with_provider(p)
        .with_protocol_versions(&[setup.version])
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    if !resume {
        client.resumption = rustls::client::Resumption::disabled();
    }
    if !setup.defaults {
        server.cert_compressors.clear();
        client.cert_decompressors.clear();
    }
    (Arc::new(client), Arc::new(server))
}

struct Pair {
    c: Connection,
    s: Connection,
}

fn new_pair(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>) -> Pair {
    new_timed_pair(client, server, &mut 0.0, &mut 0.0)
}

/// A pair whose construction time goes to each side: a rustls client builds its
/// ClientHello (key shares, random, session lookup) here, work that OpenSSL and ferrossl
/// do inside `SSL_do_handshake`, which bench.c times.
fn new_timed_pair(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
    client_time: &mut f64,
    server_time: &mut f64,
) -> Pair {
    let name = ServerName::try_from("localhost").unwrap();
    let t0 = Instant::now();
    let c = ClientConnection::new(client.clone(), name).unwrap().into();
    let t1 = Instant::now();
    let s = ServerConnection::new(server.clone()).unwrap().into();
    *client_time += (t1 - t0).as_secs_f64();
    *server_time += t1.elapsed().as_secs_f64();
    Pair { c, s }
}

/// Seconds each side spent on its own work.
#[derive(Default)]
struct Sides {
    sender: f64,
    receiver: f64,
}

/// Moves what `from` has to send into `to`; whether anything moved. The time `from` takes
/// to write goes to `t.sender`, the time `to` takes to read and process to `t.receiver`.
fn pump(from: &mut Connection, to: &mut Connection, wire: &mut Vec<u8>, t: &mut Sides) -> bool {
    wire.clear();
    let t0 = Instant::now();
    while from.wants_write() {
        from.write_tls(wire).unwrap();
    }
    let t1 = Instant::now();
    let mut rest = &wire[..];
    while !rest.is_empty() {
        to.read_tls(&mut rest).unwrap();
        to.process_new_packets().expect("peer accepted the records");
    }
    t.sender += (t1 - t0).as_secs_f64();
    t.receiver += t1.elapsed().as_secs_f64();
    !wire.is_empty()
}

/// Runs a handshake; adds each side's time to `client` and `server`.
fn handshake(p: &mut Pair, wire: &mut Vec<u8>, client: &mut f64, server: &mut f64) {
    for _ in 0..100 {
        let mut c_to_s = Sides::default();
        let mut s_to_c = Sides::default();
        let a = pump(&mut p.c, &mut p.s, wire, &mut c_to_s);
        let b = pump(&mut p.s, &mut p.c, wire, &mut s_to_c);
        *client += c_to_s.sender + s_to_c.receiver;
        *server += c_to_s.receiver + s_to_c.sender;
        if !a && !b && !p.c.is_handshaking() && !p.s.is_handshaking() {
            return;
        }
    }
    panic!("handshake did not finish");
}

fn close(mut p: Pair, wire: &mut Vec<u8>) {
    let mut t = Sides::default();
    p.c.send_close_notify();
    pump(&mut p.c, &mut p.s, wire, &mut t);
    p.s.send_close_notify();
    pump(&mut p.s, &mut p.c, wire, &mut t);
}

fn handshakes(name: &str, setup: &Setup, resume: bool, pki: &str, seconds: f64) {
    let (client, server) = configs(setup, pki, resume);
    let mut wire = Vec::new();
    let (mut tc, mut ts) = (0.0, 0.0);
    if resume {
        let mut p = new_pair(&client, &server);
        handshake(&mut p, &mut wire, &mut 0.0, &mut 0.0);
        close(p, &mut wire);
    }
    let start = Instant::now();
    let mut n = 0u64;
    loop {
        let mut p = new_timed_pair(&client, &server, &mut tc, &mut ts);
        handshake(&mut p, &mut wire, &mut tc, &mut ts);
        let resumed = p.c.handshake_kind() == Some(HandshakeKind::Resumed);
        assert_eq!(resumed, resume, "{name}: resumed {resumed}");
        close(p, &mut wire);
        n += 1;
        if start.elapsed().as_secs_f64() >= seconds {
            break;
        }
    }
    println!(
        "{name} handshakes/s {:.1}",
        n as f64 / start.elapsed().as_secs_f64()
    );
    println!("{name}:client handshakes/s {:.1}", n as f64 / tc);
    println!("{name}:server handshakes/s {:.1}", n as f64 / ts);
}

fn bulk(name: &str, setup: &Setup, pki: &str, seconds: f64) {
    let (client, server) = configs(setup, pki, false);
    let mut wire = Vec::with_capacity(1 << 17);
    let mut p = new_pair(&client, &server);
    handshake(&mut p, &mut wire, &mut 0.0, &mut 0.0);
    let data = [b'x'; 16384];
    let mut sink = [0u8; 16384];
    let mut bytes = 0u64;
    let mut t = Sides::default();
    let start = Instant::now();
    loop {
        for _ in 0..64 {
            let t0 = Instant::now();
            p.c.writer().write_all(&data).unwrap();
            t.sender += t0.elapsed().as_secs_f64();
            pump(&mut p.c, &mut p.s, &mut wire, &mut t);
            let t1 = Instant::now();
            let mut got = 0;
            while got < data.len() {
                got += p.s.reader().read(&mut sink).expect("plaintext ready");
            }
            t.receiver += t1.elapsed().as_secs_f64();
            bytes += data.len() as u64;
        }
        if start.elapsed().as_secs_f64() >= seconds {
            break;
        }
    }
    println!(
        "{name} MB/s {:.1}",
        bytes as f64 / start.elapsed().as_secs_f64() / 1e6
    );
    println!("{name}:send MB/s {:.1}", bytes as f64 / t.sender / 1e6);
    println!("{name}:receive MB/s {:.1}", bytes as f64 / t.receiver / 1e6);
    close(p, &mut wire);
}

fn resident_bytes() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: f64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096.0
}

/// As bench.c: the resident-memory slope between 1,000 and 5,000 pairs held after their
/// handshakes. Each pair also holds the 8 KiB that bench.c's 4 KiB BIO pair buffers
/// take in libcrypto, so that both programs count the same transport.
fn memory(name: &str, setup: &Setup, pki: &str) {
    const LOW: usize = 1000;
    const HIGH: usize = 5000;
    let (client, server) = configs(setup, pki, false);
    let mut wire = Vec::new();
    let mut held = Vec::with_capacity(HIGH);
    let mut low = 0.0;
    for i in 0..HIGH {
        let mut p = new_pair(&client, &server);
        handshake(&mut p, &mut wire, &mut 0.0, &mut 0.0);
        p.s.writer().write_all(b"x").unwrap();
        pump(&mut p.s, &mut p.c, &mut wire, &mut Sides::default());
        let mut buf = [0u8; 16];
        let _ = p.c.reader().read(&mut buf);
        held.push((p, vec![1u8; 8192]));
        if i + 1 == LOW {
            low = resident_bytes();
        }
    }
    let high = resident_bytes();
    println!(
        "{name} KiB/pair {:.2}",
        (high - low) / (HIGH - LOW) as f64 / 1024.0
    );
    drop(held);
}

fn threaded(name: &str, setup: &Setup, threads: usize, pki: &str, seconds: f64) {
    let (client, server) = configs(setup, pki, false);
    let start = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (client, server) = (client.clone(), server.clone());
            std::thread::spawn(move || {
                let mut wire = Vec::new();
                let mut n = 0u64;
                let start = Instant::now();
                loop {
                    let mut p = new_pair(&client, &server);
                    handshake(&mut p, &mut wire, &mut 0.0, &mut 0.0);
                    close(p, &mut wire);
                    n += 1;
                    if start.elapsed().as_secs_f64() >= seconds {
                        return n;
                    }
                }
            })
        })
        .collect();
    let total: u64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    println!(
        "{name} handshakes/s {:.1}",
        total as f64 / start.elapsed().as_secs_f64()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: native_bench SCENARIO PKI_DIR SECONDS");
        std::process::exit(2);
    }
    let (s, pki) = (args[1].as_str(), args[2].as_str());
    let seconds: f64 = args[3].parse().expect("seconds");
    match s {
        "handshake-tls13-ecdsa" => handshakes(s, &TLS13_ECDSA, false, pki, seconds),
        "handshake-tls13-rsa" => handshakes(s, &TLS13_RSA, false, pki, seconds),
        "handshake-tls13-defaults" => handshakes(s, &TLS13_DEFAULTS, false, pki, seconds),
        "handshake-tls12-ecdsa" => handshakes(s, &TLS12_ECDSA, false, pki, seconds),
        "handshake-tls12-rsa" => handshakes(s, &TLS12_RSA, false, pki, seconds),
        "resume-tls13" => handshakes(s, &TLS13_ECDSA, true, pki, seconds),
        "resume-tls12" => handshakes(s, &TLS12_ECDSA, true, pki, seconds),
        // rustls' own store uses each TLS 1.3 ticket once: the freshest ticket each time.
        "resume-tls13-one-session" => handshakes(s, &TLS13_ECDSA, true, pki, seconds),
        "bulk-tls12-aes128gcm" => bulk(s, &TLS12_RSA, pki, seconds),
        "bulk-tls12-chacha20" => bulk(s, &TLS12_CHACHA, pki, seconds),
        "bulk-tls13-aes256gcm" => bulk(s, &TLS13_AES256, pki, seconds),
        "bulk-tls13-chacha20" => bulk(s, &TLS13_CHACHA, pki, seconds),
        "memory-tls13-ecdsa" => memory(s, &TLS13_ECDSA, pki),
        "threads1-tls13-ecdsa" => threaded(s, &TLS13_ECDSA, 1, pki, seconds),
        "threads2-tls13-ecdsa" => threaded(s, &TLS13_ECDSA, 2, pki, seconds),
        _ => {
            eprintln!("unknown scenario {s}");
            std::process::exit(2);
        }
    }
}
