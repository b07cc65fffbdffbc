// OpenSSL spells some names in mixed case (SSL_OP_NO_TLSv1_2); the ABI keeps them.
#![allow(non_upper_case_globals)]
//! OpenSSL's numeric constants that ferrossl's ABI shares (values from OpenSSL 3.0's
//! headers; cbindgen copies them into `include/openssl/ssl.h`).

use std::os::raw::{c_int, c_long};

pub const SSL_ERROR_NONE: c_int = 0;
pub const SSL_ERROR_SSL: c_int = 1;
pub const SSL_ERROR_WANT_READ: c_int = 2;
pub const SSL_ERROR_WANT_WRITE: c_int = 3;
pub const SSL_ERROR_WANT_X509_LOOKUP: c_int = 4;
pub const SSL_ERROR_SYSCALL: c_int = 5;
pub const SSL_ERROR_ZERO_RETURN: c_int = 6;
pub const SSL_ERROR_WANT_CONNECT: c_int = 7;
pub const SSL_ERROR_WANT_ACCEPT: c_int = 8;

pub const SSL_OP_LEGACY_SERVER_CONNECT: u64 = 1 << 2;
pub const SSL_OP_IGNORE_UNEXPECTED_EOF: u64 = 1 << 7;
pub const SSL_OP_NO_TICKET: u64 = 1 << 14;
pub const SSL_OP_NO_COMPRESSION: u64 = 1 << 17;
pub const SSL_OP_ENABLE_MIDDLEBOX_COMPAT: u64 = 1 << 20;
pub const SSL_OP_CIPHER_SERVER_PREFERENCE: u64 = 1 << 22;
pub const SSL_OP_NO_SSLv3: u64 = 1 << 25;
pub const SSL_OP_NO_TLSv1: u64 = 1 << 26;
pub const SSL_OP_NO_TLSv1_2: u64 = 1 << 27;
pub const SSL_OP_NO_TLSv1_1: u64 = 1 << 28;
pub const SSL_OP_NO_TLSv1_3: u64 = 1 << 29;
pub const SSL_OP_NO_RENEGOTIATION: u64 = 1 << 30;
/// `SSL_CTX_new`'s options, as OpenSSL 3.0 sets them.
pub const SSL_OP_NO_EXTENDED_MASTER_SECRET: u64 = 1 << 0;
pub const SSL_OP_ENABLE_KTLS: u64 = 1 << 3;
pub const SSL_OP_ALLOW_CLIENT_RENEGOTIATION: u64 = 1 << 8;
pub const SSL_OP_DISABLE_TLSEXT_CA_NAMES: u64 = 1 << 9;
pub const SSL_OP_ALLOW_NO_DHE_KEX: u64 = 1 << 10;
pub const SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS: u64 = 1 << 11;
pub const SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION: u64 = 1 << 16;
pub const SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION: u64 = 1 << 18;
pub const SSL_OP_NO_ENCRYPT_THEN_MAC: u64 = 1 << 19;
pub const SSL_OP_PRIORITIZE_CHACHA: u64 = 1 << 21;
pub const SSL_OP_NO_ANTI_REPLAY: u64 = 1 << 24;
/// OpenSSL 3.2's switches for RFC 8879 certificate compression, which ferrossl does by
/// default: send no compressed certificate / offer no decompression. Written as literals:
/// the header's C must not shift an `int` past bit 30.
pub const SSL_OP_NO_TX_CERTIFICATE_COMPRESSION: u64 = 0x1_0000_0000;
pub const SSL_OP_NO_RX_CERTIFICATE_COMPRESSION: u64 = 0x2_0000_0000;
/// Both certificate compression switches.
pub(crate) const SSL_OP_NO_CERTIFICATE_COMPRESSION: u64 =
    SSL_OP_NO_TX_CERTIFICATE_COMPRESSION | SSL_OP_NO_RX_CERTIFICATE_COMPRESSION;
/// OpenSSL 3.0's bug workarounds: CRYPTOPRO_TLSEXT_BUG, DONT_INSERT_EMPTY_FRAGMENTS,
/// TLSEXT_PADDING and SAFARI_ECDHE_ECDSA_BUG.
/// A literal: `1 << 31` in the header's C would be a negative `int`.
pub const SSL_OP_ALL: u64 = 0x8000_0850;
pub const SSL_OP_NO_SSL_MASK: u64 =
    SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 | SSL_OP_NO_TLSv1_2 | SSL_OP_NO_TLSv1_3;
pub const SSL_OP_DEFAULT: u64 = SSL_OP_NO_COMPRESSION | SSL_OP_ENABLE_MIDDLEBOX_COMPAT;

pub const SSL_MODE_ENABLE_PARTIAL_WRITE: c_long = 0x1;
pub const SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER: c_long = 0x2;
pub const SSL_MODE_AUTO_RETRY: c_long = 0x4;
pub const SSL_MODE_NO_AUTO_CHAIN: c_long = 0x8;
pub const SSL_MODE_RELEASE_BUFFERS: c_long = 0x10;

pub const SSL_VERIFY_NONE: c_int = 0x00;
pub const SSL_VERIFY_PEER: c_int = 0x01;
pub const SSL_VERIFY_FAIL_IF_NO_PEER_CERT: c_int = 0x02;
pub const SSL_VERIFY_CLIENT_ONCE: c_int = 0x04;
pub const SSL_VERIFY_POST_HANDSHAKE: c_int = 0x08;

pub const SSL_SENT_SHUTDOWN: c_int = 1;
pub const SSL_RECEIVED_SHUTDOWN: c_int = 2;

pub const SSL_FILETYPE_PEM: c_int = 1;
pub const SSL_FILETYPE_ASN1: c_int = 2;

pub const SSL_NOTHING: c_int = 1;
pub const SSL_WRITING: c_int = 2;
pub const SSL_READING: c_int = 3;
pub const SSL_X509_LOOKUP: c_int = 4;
pub const SSL_CLIENT_HELLO_CB: c_int = 7;
pub const SSL_ERROR_WANT_CLIENT_HELLO_CB: c_int = 11;
pub const SSL_CLIENT_HELLO_SUCCESS: c_int = 1;
pub const SSL_CLIENT_HELLO_RETRY: c_int = -1;

pub const TLS1_VERSION: c_int = 0x0301;
pub const TLS1_1_VERSION: c_int = 0x0302;
pub const TLS1_2_VERSION: c_int = 0x0303;
pub const TLS1_3_VERSION: c_int = 0x0304;
pub const SSL3_VERSION: c_int = 0x0300;

pub const SSL_CTRL_SET_TMP_DH: c_int = 3;
pub const SSL_CTRL_SET_TMP_ECDH: c_int = 4;
pub const SSL_CTRL_EXTRA_CHAIN_CERT: c_int = 14;
pub const SSL_CTRL_GET_EXTRA_CHAIN_CERTS: c_int = 82;
pub const SSL_CTRL_CLEAR_EXTRA_CHAIN_CERTS: c_int = 83;
pub const SSL_CTRL_CHAIN: c_int = 88;
pub const SSL_CTRL_CHAIN_CERT: c_int = 89;
pub const SSL_CTRL_SET_VERIFY_CERT_STORE: c_int = 106;
pub const SSL_CTRL_SET_CHAIN_CERT_STORE: c_int = 107;
pub const SSL_CTRL_GET_CHAIN_CERTS: c_int = 115;
pub const SSL_CTRL_SELECT_CURRENT_CERT: c_int = 116;
pub const SSL_CTRL_SET_CURRENT_CERT: c_int = 117;
pub const SSL_CTRL_GET_VERIFY_CERT_STORE: c_int = 137;
pub const SSL_CTRL_GET_CHAIN_CERT_STORE: c_int = 138;
pub const SSL_CERT_SET_FIRST: c_long = 1;
pub const SSL_CERT_SET_NEXT: c_long = 2;
pub const SSL_CTRL_SET_MSG_CALLBACK: c_int = 15;
pub const SSL_CTRL_SET_MSG_CALLBACK_ARG: c_int = 16;
pub const SSL_CTRL_SESS_NUMBER: c_int = 20;
pub const SSL_CTRL_SESS_CONNECT: c_int = 21;
pub const SSL_CTRL_SESS_CONNECT_GOOD: c_int = 22;
pub const SSL_CTRL_SESS_ACCEPT: c_int = 24;
pub const SSL_CTRL_SESS_ACCEPT_GOOD: c_int = 25;
pub const SSL_CTRL_SESS_HIT: c_int = 27;
pub const SSL_CTRL_SESS_CB_HIT: c_int = 28;
pub const SSL_CTRL_SESS_MISSES: c_int = 29;
pub const SSL_CTRL_SESS_TIMEOUTS: c_int = 30;
pub const SSL_CTRL_SESS_CACHE_FULL: c_int = 31;
pub const SSL_CTRL_SET_SESS_CACHE_SIZE: c_int = 42;
pub const SSL_CTRL_SET_TLSEXT_TICKET_KEY_CB: c_int = 72;
pub const SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB: c_int = 63;
pub const SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB_ARG: c_int = 64;
pub const SSL_CTRL_SET_TLSEXT_STATUS_REQ_TYPE: c_int = 65;
pub const SSL_CTRL_GET_TLSEXT_STATUS_REQ_EXTS: c_int = 66;
pub const SSL_CTRL_SET_TLSEXT_STATUS_REQ_EXTS: c_int = 67;
pub const SSL_CTRL_GET_TLSEXT_STATUS_REQ_IDS: c_int = 68;
pub const SSL_CTRL_SET_TLSEXT_STATUS_REQ_IDS: c_int = 69;
pub const SSL_CTRL_GET_TLSEXT_STATUS_REQ_OCSP_RESP: c_int = 70;
pub const SSL_CTRL_SET_TLSEXT_STATUS_REQ_OCSP_RESP: c_int = 71;
pub const SSL_CTRL_GET_TLSEXT_STATUS_REQ_TYPE: c_int = 127;
pub const SSL_CTRL_GET_SESS_CACHE_SIZE: c_int = 43;
pub const SSL_CTRL_SET_TLSEXT_SERVERNAME_CB: c_int = 53;
pub const SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG: c_int = 54;
pub const SSL_CTRL_SET_GROUPS: c_int = 91;
pub const SSL_CTRL_SET_GROUPS_LIST: c_int = 92;
pub const SSL_CTRL_SET_DH_AUTO: c_int = 118;
pub const SSL_CTRL_MODE: c_int = 33;
pub const SSL_CTRL_GET_READ_AHEAD: c_int = 40;
pub const SSL_CTRL_SET_READ_AHEAD: c_int = 41;
pub const SSL_CTRL_SET_TLSEXT_HOSTNAME: c_int = 55;
pub const SSL_CTRL_GET_PEER_SIGNATURE_NID: c_int = 108;
pub const SSL_CTRL_GET_SIGNATURE_NID: c_int = 132;
pub const SSL_CTRL_GET_PEER_TMP_KEY: c_int = 109;
pub const SSL_CTRL_GET_RI_SUPPORT: c_int = 76;
pub const SSL_CTRL_SET_SIGALGS_LIST: c_int = 98;
pub const SSL_CTRL_SET_CLIENT_SIGALGS_LIST: c_int = 102;
pub const SSL_CTRL_GET_RAW_CIPHERLIST: c_int = 110;
pub const SSL_CTRL_GET_EC_POINT_FORMAT_LIST: c_int = 111;
pub const SSL_CTRL_GET_NEGOTIATED_GROUP: c_int = 134;
pub const SSL_CTRL_CLEAR_MODE: c_int = 78;
pub const SSL_CTRL_SET_MIN_PROTO_VERSION: c_int = 123;
pub const SSL_CTRL_SET_MAX_PROTO_VERSION: c_int = 124;
pub const SSL_CTRL_GET_MIN_PROTO_VERSION: c_int = 130;
pub const SSL_CTRL_GET_MAX_PROTO_VERSION: c_int = 131;
pub const SSL_CTRL_SET_SESS_CACHE_MODE: c_int = 44;
pub const SSL_CTRL_GET_SESS_CACHE_MODE: c_int = 45;
pub const SSL_SESS_CACHE_OFF: c_long = 0;
pub const SSL_SESS_CACHE_CLIENT: c_long = 1;
pub const SSL_SESS_CACHE_SERVER: c_long = 2;
pub const SSL_SESS_CACHE_NO_INTERNAL_LOOKUP: c_long = 0x100;
pub const SSL_SESS_CACHE_NO_INTERNAL_STORE: c_long = 0x200;
#[allow(non_upper_case_globals)]
pub const TLSEXT_NAMETYPE_host_name: c_int = 0;

pub const SSL_TLSEXT_ERR_OK: c_int = 0;
pub const SSL_TLSEXT_ERR_ALERT_WARNING: c_int = 1;
pub const SSL_TLSEXT_ERR_ALERT_FATAL: c_int = 2;
pub const SSL_TLSEXT_ERR_NOACK: c_int = 3;

pub const OPENSSL_NPN_UNSUPPORTED: c_int = 0;
pub const OPENSSL_NPN_NEGOTIATED: c_int = 1;
pub const OPENSSL_NPN_NO_OVERLAP: c_int = 2;

pub const OPENSSL_INIT_LOAD_CONFIG: u64 = 0x0000_0040;
pub const OPENSSL_INIT_NO_LOAD_CONFIG: u64 = 0x0000_0080;
pub const OPENSSL_INIT_ADD_ALL_CIPHERS: u64 = 0x0000_0004;
pub const OPENSSL_INIT_ADD_ALL_DIGESTS: u64 = 0x0000_0008;
pub const OPENSSL_INIT_NO_LOAD_SSL_STRINGS: u64 = 0x0010_0000;
pub const OPENSSL_INIT_LOAD_SSL_STRINGS: u64 = 0x0020_0000;
