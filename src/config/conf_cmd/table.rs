//! The command table of `SSL_CONF_cmd` and the keyword lists of `Options`, `Protocol` and
//! `VerifyMode`, as OpenSSL 3.0 has them (with 3.2's certificate compression switches).

use std::os::raw::c_int;

use super::*;
use crate::codes::ssl_constants::*;

/// One keyword of a list: its name, the bits it sets, whether the bits mean "off"
/// (`inverted`), and the sides it is for (`SSL_CONF_FLAG_SERVER`, `SSL_CONF_FLAG_CLIENT`).
pub(super) type FlagName = (&'static str, u64, bool, u32);

/// (file name, command-line name, value type, kind, the flags it needs: the side it is
/// only for, `SSL_CONF_FLAG_CERTIFICATE` for files), as OpenSSL 3.0's table has them.
pub(super) const COMMANDS: &[Command] = &[
    (
        "CipherString",
        "cipher",
        SSL_CONF_TYPE_STRING,
        Kind::CipherList,
        0,
    ),
    (
        "Ciphersuites",
        "ciphersuites",
        SSL_CONF_TYPE_STRING,
        Kind::Ciphersuites,
        0,
    ),
    (
        "MinProtocol",
        "min_protocol",
        SSL_CONF_TYPE_STRING,
        Kind::MinProtocol,
        0,
    ),
    (
        "MaxProtocol",
        "max_protocol",
        SSL_CONF_TYPE_STRING,
        Kind::MaxProtocol,
        0,
    ),
    ("Groups", "groups", SSL_CONF_TYPE_STRING, Kind::Groups, 0),
    ("Curves", "curves", SSL_CONF_TYPE_STRING, Kind::Groups, 0),
    (
        "SignatureAlgorithms",
        "sigalgs",
        SSL_CONF_TYPE_STRING,
        Kind::Sigalgs,
        0,
    ),
    (
        "ClientSignatureAlgorithms",
        "client_sigalgs",
        SSL_CONF_TYPE_STRING,
        Kind::ClientSigalgs,
        0,
    ),
    ("Options", "", SSL_CONF_TYPE_STRING, Kind::Options, 0),
    ("Protocol", "", SSL_CONF_TYPE_STRING, Kind::Protocol, 0),
    ("", "no_ssl3", NONE, Kind::Switch(SSL_OP_NO_SSLv3, false), 0),
    ("", "no_tls1", NONE, Kind::Switch(SSL_OP_NO_TLSv1, false), 0),
    (
        "",
        "no_tls1_1",
        NONE,
        Kind::Switch(SSL_OP_NO_TLSv1_1, false),
        0,
    ),
    (
        "",
        "no_tls1_2",
        NONE,
        Kind::Switch(SSL_OP_NO_TLSv1_2, false),
        0,
    ),
    (
        "",
        "no_tls1_3",
        NONE,
        Kind::Switch(SSL_OP_NO_TLSv1_3, false),
        0,
    ),
    ("", "bugs", NONE, Kind::Switch(SSL_OP_ALL, false), 0),
    ("", "ecdh_single", NONE, Kind::Switch(0, false), SERVER),
    (
        "",
        "no_comp",
        NONE,
        Kind::Switch(SSL_OP_NO_COMPRESSION, false),
        0,
    ),
    (
        "",
        "comp",
        NONE,
        Kind::Switch(SSL_OP_NO_COMPRESSION, true),
        0,
    ),
    (
        "",
        "no_ticket",
        NONE,
        Kind::Switch(SSL_OP_NO_TICKET, false),
        0,
    ),
    (
        "",
        "serverpref",
        NONE,
        Kind::Switch(SSL_OP_CIPHER_SERVER_PREFERENCE, false),
        SERVER,
    ),
    (
        "",
        "legacy_renegotiation",
        NONE,
        Kind::Switch(SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION, false),
        0,
    ),
    (
        "",
        "client_renegotiation",
        NONE,
        Kind::Switch(SSL_OP_ALLOW_CLIENT_RENEGOTIATION, false),
        SERVER,
    ),
    (
        "",
        "legacy_server_connect",
        NONE,
        Kind::Switch(SSL_OP_LEGACY_SERVER_CONNECT, false),
        CLIENT,
    ),
    (
        "",
        "no_renegotiation",
        NONE,
        Kind::Switch(SSL_OP_NO_RENEGOTIATION, false),
        0,
    ),
    (
        "",
        "no_resumption_on_reneg",
        NONE,
        Kind::Switch(SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION, false),
        SERVER,
    ),
    (
        "",
        "no_legacy_server_connect",
        NONE,
        Kind::Switch(SSL_OP_LEGACY_SERVER_CONNECT, true),
        CLIENT,
    ),
    (
        "",
        "allow_no_dhe_kex",
        NONE,
        Kind::Switch(SSL_OP_ALLOW_NO_DHE_KEX, false),
        0,
    ),
    (
        "",
        "prioritize_chacha",
        NONE,
        Kind::Switch(SSL_OP_PRIORITIZE_CHACHA, false),
        SERVER,
    ),
    (
        "",
        "no_middlebox",
        NONE,
        Kind::Switch(SSL_OP_ENABLE_MIDDLEBOX_COMPAT, true),
        0,
    ),
    (
        "",
        "anti_replay",
        NONE,
        Kind::Switch(SSL_OP_NO_ANTI_REPLAY, true),
        SERVER,
    ),
    (
        "",
        "no_anti_replay",
        NONE,
        Kind::Switch(SSL_OP_NO_ANTI_REPLAY, false),
        SERVER,
    ),
    // OpenSSL 3.2's switches for certificate compression.
    (
        "",
        "no_tx_cert_comp",
        NONE,
        Kind::Switch(SSL_OP_NO_TX_CERTIFICATE_COMPRESSION, false),
        0,
    ),
    (
        "",
        "tx_cert_comp",
        NONE,
        Kind::Switch(SSL_OP_NO_TX_CERTIFICATE_COMPRESSION, true),
        0,
    ),
    (
        "",
        "no_rx_cert_comp",
        NONE,
        Kind::Switch(SSL_OP_NO_RX_CERTIFICATE_COMPRESSION, false),
        0,
    ),
    (
        "",
        "rx_cert_comp",
        NONE,
        Kind::Switch(SSL_OP_NO_RX_CERTIFICATE_COMPRESSION, true),
        0,
    ),
    ("Certificate", "cert", FILE, Kind::Certificate, CERT),
    ("PrivateKey", "key", FILE, Kind::PrivateKey, CERT),
    ("ChainCAPath", "chainCApath", DIR, Kind::ChainCaPath, CERT),
    ("ChainCAFile", "chainCAfile", FILE, Kind::ChainCaFile, CERT),
    (
        "VerifyCAPath",
        "verifyCApath",
        DIR,
        Kind::VerifyCaPath,
        CERT,
    ),
    (
        "VerifyCAFile",
        "verifyCAfile",
        FILE,
        Kind::VerifyCaFile,
        CERT,
    ),
    (
        "RequestCAFile",
        "requestCAFile",
        FILE,
        Kind::RequestCaFile,
        CERT,
    ),
    ("ClientCAFile", "", FILE, Kind::RequestCaFile, SERVER | CERT),
    ("RequestCAPath", "", DIR, Kind::RequestCaPath, CERT),
    ("ClientCAPath", "", DIR, Kind::RequestCaPath, SERVER | CERT),
    (
        "DHParameters",
        "dhparam",
        FILE,
        Kind::DhParameters,
        SERVER | CERT,
    ),
    (
        "ECDHParameters",
        "named_curve",
        SSL_CONF_TYPE_STRING,
        Kind::EcdhParameters,
        SERVER,
    ),
    ("VerifyMode", "", SSL_CONF_TYPE_STRING, Kind::VerifyMode, 0),
    (
        "RecordPadding",
        "record_padding",
        SSL_CONF_TYPE_STRING,
        Kind::RecordPadding,
        0,
    ),
    (
        "NumTickets",
        "num_tickets",
        SSL_CONF_TYPE_STRING,
        Kind::NumTickets,
        SERVER,
    ),
];

/// The `VerifyMode` keywords: the verify-mode bits each sets, and its side.
pub(super) const VERIFY_NAMES: &[FlagName] = &[
    ("Peer", SSL_VERIFY_PEER as u64, false, CLIENT),
    ("Request", SSL_VERIFY_PEER as u64, false, SERVER),
    ("Require", REQUIRE, false, SERVER),
    (
        "Once",
        (SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE) as u64,
        false,
        SERVER,
    ),
    (
        "RequestPostHandshake",
        (SSL_VERIFY_PEER | SSL_VERIFY_POST_HANDSHAKE) as u64,
        false,
        SERVER,
    ),
    (
        "RequirePostHandshake",
        REQUIRE | SSL_VERIFY_POST_HANDSHAKE as u64,
        false,
        SERVER,
    ),
];
const REQUIRE: u64 = (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) as u64;

/// The `Options` keywords, with the option bit each sets, whether the bit means "off"
/// (`inverted`), and the sides it is for (`SSL_CONF_FLAG_SERVER`, `SSL_CONF_FLAG_CLIENT`),
/// as OpenSSL 3.0's table has them (and 3.2's two for certificate compression). Bits ferrossl has no use for are kept in the options,
/// as `SSL_CTX_set_options` keeps them.
pub(super) const OPTION_NAMES: &[FlagName] = &[
    ("SessionTicket", SSL_OP_NO_TICKET, true, BOTH),
    (
        "EmptyFragments",
        SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS,
        true,
        BOTH,
    ),
    ("Bugs", SSL_OP_ALL, false, BOTH),
    ("Compression", SSL_OP_NO_COMPRESSION, true, BOTH),
    (
        "ServerPreference",
        SSL_OP_CIPHER_SERVER_PREFERENCE,
        false,
        SERVER,
    ),
    (
        "NoResumptionOnRenegotiation",
        SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION,
        false,
        SERVER,
    ),
    ("DHSingle", 0, false, SERVER),
    ("ECDHSingle", 0, false, SERVER),
    (
        "UnsafeLegacyRenegotiation",
        SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION,
        false,
        BOTH,
    ),
    (
        "UnsafeLegacyServerConnect",
        SSL_OP_LEGACY_SERVER_CONNECT,
        false,
        BOTH,
    ),
    (
        "ClientRenegotiation",
        SSL_OP_ALLOW_CLIENT_RENEGOTIATION,
        false,
        BOTH,
    ),
    ("EncryptThenMac", SSL_OP_NO_ENCRYPT_THEN_MAC, true, BOTH),
    ("NoRenegotiation", SSL_OP_NO_RENEGOTIATION, false, BOTH),
    ("AllowNoDHEKEX", SSL_OP_ALLOW_NO_DHE_KEX, false, BOTH),
    ("PrioritizeChaCha", SSL_OP_PRIORITIZE_CHACHA, false, BOTH),
    (
        "MiddleboxCompat",
        SSL_OP_ENABLE_MIDDLEBOX_COMPAT,
        false,
        BOTH,
    ),
    ("AntiReplay", SSL_OP_NO_ANTI_REPLAY, true, BOTH),
    (
        "ExtendedMasterSecret",
        SSL_OP_NO_EXTENDED_MASTER_SECRET,
        true,
        BOTH,
    ),
    ("CANames", SSL_OP_DISABLE_TLSEXT_CA_NAMES, true, BOTH),
    ("KTLS", SSL_OP_ENABLE_KTLS, false, BOTH),
    // OpenSSL 3.2's: certificate compression is on by default in ferrossl.
    (
        "TxCertificateCompression",
        SSL_OP_NO_TX_CERTIFICATE_COMPRESSION,
        true,
        BOTH,
    ),
    (
        "RxCertificateCompression",
        SSL_OP_NO_RX_CERTIFICATE_COMPRESSION,
        true,
        BOTH,
    ),
];

/// The `Protocol` keywords: each names the option bit that switches its version off.
pub(super) const PROTOCOL_NAMES: &[FlagName] = &[
    ("ALL", SSL_OP_NO_SSL_MASK, true, BOTH),
    ("SSLv2", 0, true, BOTH),
    ("SSLv3", SSL_OP_NO_SSLv3, true, BOTH),
    ("TLSv1", SSL_OP_NO_TLSv1, true, BOTH),
    ("TLSv1.1", SSL_OP_NO_TLSv1_1, true, BOTH),
    ("TLSv1.2", SSL_OP_NO_TLSv1_2, true, BOTH),
    ("TLSv1.3", SSL_OP_NO_TLSv1_3, true, BOTH),
    // OpenSSL's DTLS bits are the TLS 1.0 and 1.2 ones.
    ("DTLSv1", SSL_OP_NO_TLSv1, true, BOTH),
    ("DTLSv1.2", SSL_OP_NO_TLSv1_2, true, BOTH),
];
const NONE: c_int = SSL_CONF_TYPE_NONE;
const FILE: c_int = SSL_CONF_TYPE_FILE;
const DIR: c_int = SSL_CONF_TYPE_DIR;
const CERT: u32 = SSL_CONF_FLAG_CERTIFICATE;
const SERVER: u32 = SSL_CONF_FLAG_SERVER;
const CLIENT: u32 = SSL_CONF_FLAG_CLIENT;
const BOTH: u32 = SSL_CONF_FLAG_SERVER | SSL_CONF_FLAG_CLIENT;
