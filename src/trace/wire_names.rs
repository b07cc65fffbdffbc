//! Names of TLS code points as the trace prints them.

/// A handshake message type's name (RFC 8446 §4, RFC 5246 §7.4).
pub fn handshake_type(t: u8) -> &'static str {
    match t {
        0 => "HelloRequest",
        1 => "ClientHello",
        2 => "ServerHello",
        4 => "NewSessionTicket",
        5 => "EndOfEarlyData",
        8 => "EncryptedExtensions",
        11 => "Certificate",
        12 => "ServerKeyExchange",
        13 => "CertificateRequest",
        14 => "ServerHelloDone",
        15 => "CertificateVerify",
        16 => "ClientKeyExchange",
        20 => "Finished",
        22 => "CertificateStatus",
        24 => "KeyUpdate",
        25 => "CompressedCertificate",
        254 => "MessageHash",
        _ => "unknown handshake message",
    }
}

/// A protocol version (`TLS 1.3`).
pub fn version(v: u16) -> String {
    match v {
        0x0300 => "SSL 3.0".into(),
        0x0301 => "TLS 1.0".into(),
        0x0302 => "TLS 1.1".into(),
        0x0303 => "TLS 1.2".into(),
        0x0304 => "TLS 1.3".into(),
        v if v & 0x0f0f == 0x0a0a => "GREASE".into(),
        v => format!("0x{v:04x}"),
    }
}

/// A key-exchange group (`X25519MLKEM768`, `P-256`).
pub fn group(g: u16) -> String {
    match g {
        0x0017 => "P-256".into(),
        0x0018 => "P-384".into(),
        0x0019 => "P-521".into(),
        0x001d => "X25519".into(),
        0x001e => "X448".into(),
        0x0100 => "ffdhe2048".into(),
        0x0101 => "ffdhe3072".into(),
        0x11eb => "SecP256r1MLKEM768".into(),
        0x11ec => "X25519MLKEM768".into(),
        0x11ed => "SecP384r1MLKEM1024".into(),
        g if g & 0x0f0f == 0x0a0a => "GREASE".into(),
        g => format!("group 0x{g:04x}"),
    }
}

/// A signature scheme (`rsa_pss_rsae_sha256`).
pub fn signature_scheme(s: u16) -> String {
    match s {
        0x0401 => "rsa_pkcs1_sha256".into(),
        0x0501 => "rsa_pkcs1_sha384".into(),
        0x0601 => "rsa_pkcs1_sha512".into(),
        0x0403 => "ecdsa_secp256r1_sha256".into(),
        0x0503 => "ecdsa_secp384r1_sha384".into(),
        0x0603 => "ecdsa_secp521r1_sha512".into(),
        0x0804 => "rsa_pss_rsae_sha256".into(),
        0x0805 => "rsa_pss_rsae_sha384".into(),
        0x0806 => "rsa_pss_rsae_sha512".into(),
        0x0807 => "ed25519".into(),
        0x0808 => "ed448".into(),
        0x0809 => "rsa_pss_pss_sha256".into(),
        0x080a => "rsa_pss_pss_sha384".into(),
        0x080b => "rsa_pss_pss_sha512".into(),
        0x0201 => "rsa_pkcs1_sha1".into(),
        0x0203 => "ecdsa_sha1".into(),
        s => format!("scheme 0x{s:04x}"),
    }
}

/// A cipher suite by its IANA name, for the suites ferrossl knows.
pub fn cipher_suite(id: u16) -> String {
    crate::config::cipher::by_id(id.to_be_bytes())
        .map(|c| c.standard_name.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("suite 0x{id:04x}"))
}

/// An alert description (RFC 8446 §6).
pub fn alert(desc: u8) -> std::borrow::Cow<'static, str> {
    crate::codes::alert::description_long(i32::from(desc)).to_string_lossy()
}
