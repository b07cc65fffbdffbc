//! Writes the seed corpora (`fuzz/corpus/<target>/`) from real handshakes between a
//! ferrossl client and server, the test PKI and typical cipher strings. Run with
//! `cargo run --release --bin make_corpus` in `fuzz/`; the corpora are committed.

use std::path::Path;

fn write(target: &str, name: &str, data: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), data).unwrap();
}

/// A peer's bytes in the feeding format: first the piece size, then the bytes.
fn pieces(size: u8, bytes: &[u8]) -> Vec<u8> {
    let mut v = vec![size];
    v.extend_from_slice(bytes);
    v
}

fn main() {
    for (version, tag) in [(0x0304, "tls13"), (0x0303, "tls12")] {
        let rec = ferrossl_fuzz::record_handshake(version);
        assert!(!rec.to_client.is_empty() && !rec.to_server.is_empty());
        for size in [0u8, 1, 5, 100] {
            write(
                "peer_to_client",
                &format!("{tag}-{size}"),
                &pieces(size, &rec.to_client),
            );
            write(
                "peer_to_server",
                &format!("{tag}-{size}"),
                &pieces(size, &rec.to_server),
            );
        }
        for (i, der) in rec.sessions.iter().enumerate() {
            let side = if i == 0 { "client" } else { "server" };
            write("session_der", &format!("{tag}-{side}"), der);
        }
    }
    for name in [
        "ca.pem",
        "server-rsa.pem",
        "server-rsa-key.pem",
        "server-rsa-chain.pem",
        "server-ecdsa.pem",
        "server-ecdsa-key.pem",
        "client-key-encrypted.pem",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/pki")
            .join(name);
        if let Ok(data) = std::fs::read(&path) {
            write("key_and_certificate_loading", name, &data);
        }
    }
    for (i, s) in [
        "DEFAULT",
        "HIGH:!aNULL:!MD5",
        "ECDHE+AESGCM:ECDHE+CHACHA20:@STRENGTH",
        "ALL:COMPLEMENTOFDEFAULT:-kRSA:+AES256:@SECLEVEL=2",
        "ECDHE-RSA-AES128-GCM-SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 aECDSA",
        "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
        "kEECDH:!SHA1:TLSv1.2:MEDIUM",
    ]
    .iter()
    .enumerate()
    {
        write("cipher_string", &format!("seed-{i}"), s.as_bytes());
    }
    // api_calls programs: make a context and connections, move them around, free early.
    let programs: [&[u8]; 4] = [
        &[
            0, 0, 3, 0, 3, 0, 6, 1, 3, 33, 15, 0, 0, 2, 4, 0, 1, 0, 10, 0,
        ],
        &[
            0, 1, 0, 2, 3, 0, 9, 0, 1, 16, 0, 0, 5, 1, 2, 3, 4, 5, 15, 0, 4, 2, 21, 0, 28, 0,
        ],
        &[
            0, 2, 8, 10, b'H', b'I', b'G', b'H', b':', b'!', b'a', b'N', b'U', b'L', 3, 0, 20, 0,
            9, b'l', b'o', b'c',
        ],
        &[
            0, 0, 2, 0, 1, 0, 3, 0, 1, 0, 17, 0, 1, 5, 22, 0, 26, 0, 0, 0, 3, 4, 0,
        ],
    ];
    for (i, prog) in programs.iter().enumerate() {
        write("api_calls", &format!("seed-{i}"), prog);
    }
}
