//! The per-connection settings a context hands to each new connection (`SSL_new`
//! copies them), with OpenSSL's defaults.

use std::os::raw::{c_int, c_long};
use std::sync::Arc;

use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::config::cipher::{self, SslCipher};
use crate::config::cipher_string;
use crate::connection::key_log::KeyLogSink;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::pkey::PasswordSource;
use crate::libcrypto::store::{AppVerifyCallback, CertStore, VerifyCallback};

use super::callbacks::{AllowEarlyDataCallback, CertCallback, InfoCallback, MessageCallback};

/// The per-connection settings a context hands to each new connection (`SSL_new` copies them).
#[derive(Debug, Clone)]
pub struct Settings {
    /// `SSL_CTX_set_record_padding_callback_arg` (no padding callback is ever called).
    pub record_padding_arg: usize,
    /// `SSL_CTX_set0_security_ex_data` (no security callback is ever called).
    pub security_ex_data: usize,
    /// The one version a version-specific method allows (`TLSv1_2_method`); 0 for any.
    pub method_version: c_int,
    pub options: u64,
    pub mode: c_long,
    pub min_version: c_int,
    pub max_version: c_int,
    pub verify_mode: c_int,
    pub verify_callback: Option<VerifyCallback>,
    /// `SSL_set_cert_cb`: this connection's certificate callback, in place of its
    /// context's (`SSL_CTX_set_cert_cb`).
    pub cert_callback: Option<Arc<dyn CertCallback>>,
    /// `SSL_CTX_set1_verify_cert_store`: the store a peer's chain is verified with, in
    /// place of the context's (Node.js sets its SNI context's on the connection).
    pub verify_store: Option<CertStore>,
    /// `SSL_CTX_set1_chain_cert_store`: the store the own chain is built from, in place
    /// of the context's.
    pub chain_store: Option<CertStore>,
    /// `SSL_CTX_set_cert_verify_callback`: replaces chain verification (read from the
    /// connection's context when its handshake starts, as OpenSSL reads it).
    pub app_verify: Option<AppVerifyCallback>,
    /// `SSL_CTX_dane_set_flags` / `SSL_dane_set_flags` (`DANE_FLAG_*`).
    pub dane_flags: std::os::raw::c_ulong,
    /// The client's ALPN offer, in order.
    pub alpn_protos: Vec<Vec<u8>>,
    pub quiet_shutdown: bool,
    /// The TLS 1.2 suites in preference order (`SSL_CTX_set_cipher_list`).
    pub tls12_ciphers: Vec<&'static SslCipher>,
    /// The TLS 1.3 suites in preference order (`SSL_CTX_set_ciphersuites`).
    pub tls13_ciphers: Vec<&'static SslCipher>,
    pub security_level: c_int,
    /// Where key-log lines go (`SSL_CTX_set_keylog_callback`).
    pub key_log: Option<Arc<dyn KeyLogSink>>,
    /// The password callback for encrypted keys (`SSL_CTX_set_default_passwd_cb`).
    pub password: PasswordSource,
    /// Subjects of the CAs a server names when asking for a client certificate.
    pub client_ca_names: Vec<Vec<u8>>,
    /// `SSL_CTX_set0_CA_list`: the CA names of TLS 1.3's certificate_authorities, which a
    /// server also names in its certificate request when it has no client CA list. rustls
    /// sends no certificate_authorities extension of its own.
    pub ca_names: Option<Vec<Vec<u8>>>,
    /// `SSL_CTX_set_post_handshake_auth`: a client offers post-handshake authentication.
    pub post_handshake_auth: bool,
    /// The message callback (`SSL_CTX_set_msg_callback`).
    pub msg_callback: Option<Arc<dyn MessageCallback>>,
    /// Its argument (`SSL_CTX_set_msg_callback_arg`).
    pub msg_callback_arg: usize,
    /// The info callback (`SSL_CTX_set_info_callback`).
    pub info_callback: Option<Arc<dyn InfoCallback>>,
    /// The server's session id context (`SSL_CTX_set_session_id_context`).
    pub session_id_context: Vec<u8>,
    /// How many TLS 1.3 tickets a server sends after a handshake.
    pub num_tickets: usize,
    /// Key-exchange groups in preference order; empty means rustls' defaults.
    pub groups: Vec<rustls::NamedGroup>,
    pub read_ahead: c_long,
    pub session_cache_mode: c_long,
    /// Session lifetime in seconds (`SSL_CTX_set_timeout`), given to the sessions made.
    pub session_timeout: u64,
    /// `SSL_CTX_set_max_early_data`: the early data a server offers in its tickets (0:
    /// none), accepted only where `SSL_read_early_data` drives the handshake.
    pub max_early_data: u32,
    /// `SSL_CTX_set_recv_max_early_data`: the most early data a server takes. rustls has
    /// one limit for both, so a server offers the smaller of the two.
    pub recv_max_early_data: u32,
    /// `SSL_CTX_set_allow_early_data_cb`: may reject early data a server would accept.
    pub allow_early_data: Option<Arc<dyn AllowEarlyDataCallback>>,
    /// `SSL_CTX_set1_sigalgs_list`: the schemes offered to the peer and used for our own
    /// signatures (`None`: all, in OpenSSL's order).
    pub sigalgs: Option<Vec<u16>>,
    /// `SSL_CTX_set1_client_sigalgs_list`: what a server's certificate request offers
    /// (`None`: as `sigalgs`).
    pub client_sigalgs: Option<Vec<u16>>,
}

impl Settings {
    /// `SSL_CTX_set_cipher_list`: false (reason queued) for a malformed string or when
    /// no TLS 1.2 suite is left, in which case, as in OpenSSL, the empty list stays.
    pub fn set_cipher_list(&mut self, s: &str) -> bool {
        match cipher_string::parse_cipher_list(s) {
            Err(reason) => {
                err::raise_ssl(reason);
                false
            }
            Ok(sel) => {
                self.tls12_ciphers = sel.suites;
                if let Some(level) = sel.security_level {
                    self.security_level = level;
                }
                if self.tls12_ciphers.is_empty() {
                    err::raise_ssl(reason::SSL_R_NO_CIPHER_MATCH);
                    return false;
                }
                true
            }
        }
    }

    /// `SSL_CTX_set_ciphersuites`: false (`SSL_R_NO_CIPHER_MATCH` queued, the list kept)
    /// when the string names no TLS 1.3 suite.
    pub fn set_ciphersuites(&mut self, s: &str) -> bool {
        match cipher_string::parse_ciphersuites(s) {
            Some(suites) => {
                self.tls13_ciphers = suites;
                true
            }
            None => {
                err::raise_ssl(reason::SSL_R_NO_CIPHER_MATCH);
                false
            }
        }
    }

    /// Whether connections record a handshake trace: an observer callback is set or
    /// `FERROSSL_TRACE` asks for diagrams.
    pub fn tracing(&self) -> bool {
        self.msg_callback.is_some()
            || self.info_callback.is_some()
            || crate::trace::trace_output::destination().is_some()
    }

    /// The CA names a server's certificate request lists: its client CA list, or, as
    /// OpenSSL falls back, its CA list.
    pub fn request_ca_names(&self) -> &[Vec<u8>] {
        match &self.ca_names {
            Some(names) if self.client_ca_names.is_empty() => names,
            _ => &self.client_ca_names,
        }
    }

    /// Every enabled suite, TLS 1.3 first, as `SSL_CTX_get_ciphers` lists them.
    pub fn ciphers(&self) -> impl Iterator<Item = &'static SslCipher> + '_ {
        self.tls13_ciphers
            .iter()
            .chain(&self.tls12_ciphers)
            .copied()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            record_padding_arg: 0,
            security_ex_data: 0,
            method_version: 0,
            options: SSL_OP_DEFAULT,
            mode: SSL_MODE_AUTO_RETRY,
            min_version: 0,
            max_version: 0,
            verify_mode: SSL_VERIFY_NONE,
            verify_callback: None,
            cert_callback: None,
            app_verify: None,
            dane_flags: 0,
            alpn_protos: Vec::new(),
            quiet_shutdown: false,
            tls12_ciphers: cipher::tls12_default(),
            tls13_ciphers: cipher::tls13_default(),
            // Debian builds OpenSSL 3 with security level 2 as the default.
            security_level: 2,
            groups: Vec::new(),
            session_id_context: Vec::new(),
            num_tickets: 2,
            key_log: None,
            password: PasswordSource::default(),
            client_ca_names: Vec::new(),
            // A context's list exists from the start, empty, as OpenSSL's.
            ca_names: Some(Vec::new()),
            post_handshake_auth: false,
            msg_callback: None,
            msg_callback_arg: 0,
            info_callback: None,
            read_ahead: 0,
            session_cache_mode: SSL_SESS_CACHE_SERVER,
            session_timeout: crate::session::DEFAULT_TIMEOUT_SECS,
            max_early_data: 0,
            // OpenSSL's default: one record's worth.
            recv_max_early_data: 16384,
            allow_early_data: None,
            verify_store: None,
            chain_store: None,
            sigalgs: None,
            client_sigalgs: None,
        }
    }
}
