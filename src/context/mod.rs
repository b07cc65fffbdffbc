//! `SSL_CTX`: the settings connections start from, and the rustls configs built from them.
//!
//! A rustls config is built once per distinct set of inputs and shared by every
//! connection of the context that needs the same one; a setter that changes an input
//! simply makes the next connection's key differ from the cached one.
#![forbid(unsafe_code)]

use std::os::raw::{c_int, c_long};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use rustls::client::{ResolvesClientCert, Resumption, Tls12Resumption};
use rustls::crypto::CryptoProvider;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, DistinguishedName, ServerConfig, SignatureScheme};

use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::config::cipher::{self, SslCipher};
use crate::config::cipher_string;
use crate::config::protocol_version;
use crate::connection::key_log::{KeyLogSink, ScopedKeyLog};
use crate::credentials::Credentials;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::ex_data::{ExData, CRYPTO_EX_INDEX_SSL_CTX};
use crate::libcrypto::name_stack::{OwnedNameStack, RawNameStack};
use crate::libcrypto::pkey::PasswordSource;
use crate::libcrypto::store::{CertStore, VerifyCallback};
use crate::libcrypto::ticket_keys::{AppTicketKeys, TicketKeyCallback};
use crate::libcrypto::verify_param::VerifyParam;
use crate::libcrypto::x509::{Certificate, CertificateStack};
use crate::session::server_cache::ServerSessionCache;
use crate::session::ticket_keys::{SessionTicketKeys, TicketIssuer};
use crate::session::{Session, SessionBridge};
use crate::verify::verifier::StoreVerifier;

/// Which side a method (`TLS_client_method`, ...) allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Any,
    Client,
    Server,
}

/// The per-connection settings a context hands to each new connection (`SSL_new` copies them).
#[derive(Debug, Clone)]
pub struct Settings {
    pub options: u64,
    pub mode: c_long,
    pub min_version: c_int,
    pub max_version: c_int,
    pub verify_mode: c_int,
    pub verify_callback: Option<VerifyCallback>,
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
    /// Stored for `SSL_CTX_set_post_handshake_auth`; rustls does not offer it.
    pub post_handshake_auth: bool,
    /// The message callback's address (`SSL_CTX_set_msg_callback`); 0 for none.
    pub msg_callback: usize,
    /// Its argument (`SSL_CTX_set_msg_callback_arg`).
    pub msg_callback_arg: usize,
    /// The info callback's address (`SSL_CTX_set_info_callback`); 0 for none.
    pub info_callback: usize,
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

    /// `SSL_CTX_set_ciphersuites`.
    pub fn set_ciphersuites(&mut self, s: &str) {
        self.tls13_ciphers = cipher_string::parse_ciphersuites(s);
    }

    /// Whether connections record a handshake trace: an observer callback is set or
    /// `FERROSSL_TRACE` asks for diagrams.
    pub fn tracing(&self) -> bool {
        self.msg_callback != 0
            || self.info_callback != 0
            || crate::trace::trace_output::destination().is_some()
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
            options: SSL_OP_DEFAULT,
            mode: SSL_MODE_AUTO_RETRY,
            min_version: 0,
            max_version: 0,
            verify_mode: SSL_VERIFY_NONE,
            verify_callback: None,
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
            post_handshake_auth: false,
            msg_callback: 0,
            msg_callback_arg: 0,
            info_callback: 0,
            read_ahead: 0,
            session_cache_mode: SSL_SESS_CACHE_SERVER,
            session_timeout: crate::session::DEFAULT_TIMEOUT_SECS,
            max_early_data: 0,
            // OpenSSL's default: one record's worth.
            recv_max_early_data: 16384,
            sigalgs: None,
            client_sigalgs: None,
        }
    }
}

/// What the server's ALPN select callback decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlpnChoice {
    Selected(Vec<u8>),
    NoAck,
    Fatal,
}

/// The server's ALPN select callback (`SSL_CTX_set_alpn_select_cb`), implemented by the FFI layer.
pub trait AlpnSelector: Send + Sync {
    /// `ssl` is the connection's C handle; `offered` the client's list in wire format.
    fn select(&self, ssl: usize, offered: &[u8]) -> AlpnChoice;
}

/// The versions and suites a connection may negotiate.
pub struct Negotiable {
    pub versions: Vec<&'static rustls::SupportedProtocolVersion>,
    /// In preference order: TLS 1.3 suites first.
    pub suites: Vec<rustls::CipherSuite>,
    /// Empty for the provider's default groups.
    pub groups: Vec<rustls::NamedGroup>,
}

impl Negotiable {
    /// The versions and suites as numbers, to compare with a cached config's.
    fn key(&self) -> Vec<u16> {
        let versions = self.versions.iter().map(|v| u16::from(v.version));
        versions
            .chain(self.suites.iter().map(|&c| u16::from(c)))
            .collect()
    }

    /// The crypto provider restricted to these suites, in this order.
    fn provider(&self) -> Arc<CryptoProvider> {
        let base = provider();
        let suites = self
            .suites
            .iter()
            .filter_map(|id| {
                base.cipher_suites
                    .iter()
                    .find(|s| s.suite() == *id)
                    .copied()
            })
            .collect();
        let kx_groups = if self.groups.is_empty() {
            base.kx_groups.clone()
        } else {
            let all = rustls::crypto::aws_lc_rs::ALL_KX_GROUPS;
            self.groups
                .iter()
                .filter_map(|g| all.iter().find(|k| k.name() == *g).copied())
                .collect()
        };
        Arc::new(CryptoProvider {
            cipher_suites: suites,
            kx_groups,
            ..CryptoProvider::clone(base)
        })
    }
}

/// The server's servername callback (`SSL_CTX_set_tlsext_servername_callback`), implemented
/// by the FFI layer. It may switch the connection's context with `SSL_set_SSL_CTX`.
pub trait ServernameCallback: Send + Sync {
    /// Runs the callback for the connection `ssl`; returns its `SSL_TLSEXT_ERR_*` value and alert.
    fn call(&self, ssl: usize) -> (c_int, c_int);
}

/// The OCSP status callback (`SSL_CTX_set_tlsext_status_cb`), implemented by the FFI
/// layer: a server's callback sets the response to staple (`SSL_set_tlsext_status_ocsp_resp`).
pub trait StatusCallback: Send + Sync {
    /// `SSL_TLSEXT_ERR_OK` (staple), `_NOACK` (do not) or `_ALERT_FATAL`.
    fn call(&self, ssl: usize) -> c_int;
}

/// The certificate callback (`SSL_CTX_set_cert_cb`), implemented by the FFI layer: run on a
/// server once the ClientHello is in, so the application can pick the certificate.
pub trait CertCallback: Send + Sync {
    /// 1 to go on, 0 to fail the handshake, negative to suspend it (`WANT_X509_LOOKUP`).
    fn call(&self, ssl: usize) -> c_int;
}

/// The client-hello callback (`SSL_CTX_set_client_hello_cb`), implemented by the FFI
/// layer: the earliest look a server gets at a connection.
pub trait ClientHelloCallback: Send + Sync {
    /// `SSL_CLIENT_HELLO_SUCCESS` (1), `_ERROR` (0, with the alert to send) or `_RETRY` (-1).
    fn call(&self, ssl: usize) -> (c_int, c_int);
}

/// The new-session callback (`SSL_CTX_sess_set_new_cb`), implemented by the FFI layer.
pub trait NewSessionCallback: Send + Sync {
    /// Hands `session` to the application for the connection `ssl`.
    fn call(&self, ssl: usize, session: Arc<Session>);
}

/// The inputs that shape a client config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientKey {
    pub negotiable: Vec<u16>,
    pub credentials: u64,
    /// The client offers early data (its application called `SSL_write_early_data`).
    pub early_data: bool,
    pub sigalgs: Option<Vec<u16>>,
}

/// The inputs that shape a server config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerKey {
    pub negotiable: Vec<u16>,
    pub num_tickets: usize,
    pub client_ca_names: Vec<Vec<u8>>,
    pub verify_mode: c_int,
    pub alpn: Option<Vec<u8>>,
    pub options: u64,
    pub credentials: u64,
    /// The application's ticket-key callback (its address), and the ticket lifetime.
    pub ticket_keys: usize,
    pub ticket_lifetime: u64,
    /// Early data accepted up to this many bytes (0: none). Non-zero only for a
    /// connection whose handshake `SSL_read_early_data` drives, as OpenSSL accepts it.
    pub max_early_data: u32,
    pub sigalgs: Option<Vec<u16>>,
    pub client_sigalgs: Option<Vec<u16>>,
}

/// How many distinct server configs a context keeps (one per ALPN choice and verify mode in practice).
const SERVER_CONFIG_CACHE: usize = 8;

pub struct Context {
    pub role: Role,
    settings: Mutex<Settings>,
    credentials: Mutex<Credentials>,
    store: Mutex<CertStore>,
    /// The context's `X509_VERIFY_PARAM`; applications may change it through `SSL_CTX_get0_param`.
    pub param: VerifyParam,
    pub ex_data: ExData,
    alpn_selector: Mutex<Option<Arc<dyn AlpnSelector>>>,
    servername_callback: Mutex<Option<Arc<dyn ServernameCallback>>>,
    cert_callback: Mutex<Option<Arc<dyn CertCallback>>>,
    status_callback: Mutex<Option<Arc<dyn StatusCallback>>>,
    /// The status callback's argument (`SSL_CTX_set_tlsext_status_arg`).
    pub status_arg: Mutex<usize>,
    client_hello_callback: Mutex<Option<Arc<dyn ClientHelloCallback>>>,
    /// The application's ticket keys (`SSL_CTX_set_tlsext_ticket_key_evp_cb`).
    ticket_key_callback: Mutex<Option<TicketKeyCallback>>,
    /// The argument for the servername callback (`SSL_CTX_set_tlsext_servername_arg`).
    pub servername_arg: Mutex<usize>,
    cipher_stack: Mutex<cipher::CipherStackCache>,
    /// The new-session callback (`SSL_CTX_sess_set_new_cb`), kept for session support.
    pub new_session_callback: Mutex<Option<Arc<dyn NewSessionCallback>>>,
    client_config: Mutex<Option<(ClientKey, Arc<ClientConfig>)>>,
    server_configs: Mutex<Vec<(ServerKey, Arc<ServerConfig>)>>,
    /// The server session cache (`SSL_CTX_sess_*`, `SSL_CTX_add_session`, ...).
    pub server_sessions: Arc<ServerSessionCache>,
    /// Made with the context (not on first use), so forked workers share them.
    ticket_keys: Option<Arc<SessionTicketKeys>>,
    /// The stack `SSL_CTX_get_client_CA_list` hands out.
    client_ca_stack: Mutex<OwnedNameStack>,
    /// The stack `SSL_CTX_get0_chain_certs` hands out.
    chain_stack: Mutex<Option<CertificateStack>>,
    /// The addresses of the external cache's get and remove callbacks, as set.
    pub external_session_callbacks: Mutex<(ExternalGetCb, ExternalRemoveCb)>,
}

/// The get callback of `SSL_CTX_sess_set_get_cb`, kept as set.
pub type ExternalGetCb = Option<
    unsafe extern "C" fn(
        *mut crate::ffi::SSL,
        *const u8,
        std::os::raw::c_int,
        *mut std::os::raw::c_int,
    ) -> *mut Session,
>;
/// The remove callback of `SSL_CTX_sess_set_remove_cb`, kept as set.
pub type ExternalRemoveCb = Option<unsafe extern "C" fn(*mut Context, *mut Session)>;

/// The crypto provider every context uses.
pub fn provider() -> &'static Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER.get_or_init(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic inside a guarded FFI call must not make the context unusable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Debug)]
struct ClientCertificate(Arc<CertifiedKey>);

/// Keeps the CA names a server's certificate request listed, for the connection whose
/// handshake is running (`SSL_get_client_CA_list` on a client).
fn note_certificate_request(hints: &[&[u8]]) {
    if let Some(scope) = crate::connection::handshake_scope::current() {
        *scope
            .peer_ca_names
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(hints.iter().map(|h| h.to_vec()).collect());
    }
}

impl ResolvesClientCert for ClientCertificate {
    fn resolve(&self, hints: &[&[u8]], _schemes: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        note_certificate_request(hints);
        Some(self.0.clone())
    }
    fn has_certs(&self) -> bool {
        true
    }
}

/// The verifier of every client config. rustls resumes a session only under the verifier
/// (and client-certificate resolver) it was made with, and programs such as curl make a
/// new context per connection, so these two are shared process-wide.
/// How many signature-algorithm lists have a verifier of their own at a time.
const MAX_SERVER_VERIFIERS: usize = 16;

/// One per signature-algorithm list (`SSL_CTX_set1_sigalgs_list`); rustls resumes a
/// session only under the verifier it was made with, so each is kept and shared.
fn server_verifier(offered: Option<&[u16]>) -> Arc<dyn rustls::client::danger::ServerCertVerifier> {
    type Verifiers = Vec<(
        Option<Vec<u16>>,
        Arc<dyn rustls::client::danger::ServerCertVerifier>,
    )>;
    static VERIFIERS: Mutex<Verifiers> = Mutex::new(Vec::new());
    let mut all = lock(&VERIFIERS);
    if let Some((_, v)) = all.iter().find(|(list, _)| list.as_deref() == offered) {
        return v.clone();
    }
    let v: Arc<dyn rustls::client::danger::ServerCertVerifier> = Arc::new(StoreVerifier::new(
        provider().clone(),
        false,
        Vec::new(),
        offered,
    ));
    // Bounded: past a few lists, the oldest goes (its sessions then resume no more).
    if all.len() >= MAX_SERVER_VERIFIERS {
        all.remove(0);
    }
    all.push((offered.map(<[u16]>::to_vec), v.clone()));
    v
}

/// The resolver of client configs without a certificate, shared as the verifiers are.
fn no_client_certificate() -> &'static Arc<dyn ResolvesClientCert> {
    #[derive(Debug)]
    struct NoCertificate;
    impl ResolvesClientCert for NoCertificate {
        fn resolve(
            &self,
            hints: &[&[u8]],
            _schemes: &[SignatureScheme],
        ) -> Option<Arc<CertifiedKey>> {
            note_certificate_request(hints);
            None
        }
        fn has_certs(&self) -> bool {
            false
        }
    }
    static RESOLVER: OnceLock<Arc<dyn ResolvesClientCert>> = OnceLock::new();
    RESOLVER.get_or_init(|| Arc::new(NoCertificate))
}

/// A server's certificates, one per type of key: the first the client can verify (by
/// the signature schemes it offered) is chosen, as OpenSSL chooses between RSA and ECDSA.
#[derive(Debug)]
struct ServerCertificate(Vec<Arc<CertifiedKey>>);

impl ResolvesServerCert for ServerCertificate {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let schemes = hello.signature_schemes();
        let suites = hello.cipher_suites();
        // A client offering TLS 1.3 can use any of them; a TLS 1.2-only one needs a suite
        // for the certificate's kind of key.
        let tls13 = suites.iter().any(|s| (u16::from(*s) >> 8) == 0x13);
        let usable = |ck: &&Arc<CertifiedKey>| {
            ck.key.choose_scheme(schemes).is_some()
                && (tls13
                    || suites.iter().any(|s| {
                        cipher::lookup(*s).is_some_and(|c| c.signs_with(ck.key.algorithm()))
                    }))
        };
        let base = self
            .0
            .iter()
            .find(usable)
            .or_else(|| self.0.first())?
            .clone();
        // The status callback's response, stapled for this connection only.
        let ocsp = crate::connection::handshake_scope::current().and_then(|scope| {
            scope
                .ocsp_response
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone()
        });
        match ocsp {
            Some(response) => {
                let mut stapled = CertifiedKey::new(base.cert.clone(), base.key.clone());
                stapled.ocsp = Some(response);
                Some(Arc::new(stapled))
            }
            None => Some(base),
        }
    }
}

impl Context {
    pub fn new(role: Role) -> Option<Self> {
        Some(Self {
            role,
            settings: Mutex::new(Settings::default()),
            credentials: Mutex::new(Credentials::default()),
            store: Mutex::new(CertStore::new()?),
            param: VerifyParam::new()?,
            ex_data: ExData::new(CRYPTO_EX_INDEX_SSL_CTX),
            alpn_selector: Mutex::new(None),
            servername_callback: Mutex::new(None),
            cert_callback: Mutex::new(None),
            status_callback: Mutex::new(None),
            status_arg: Mutex::new(0),
            client_hello_callback: Mutex::new(None),
            ticket_key_callback: Mutex::new(None),
            servername_arg: Mutex::new(0),
            cipher_stack: Mutex::default(),
            new_session_callback: Mutex::new(None),
            client_config: Mutex::new(None),
            server_configs: Mutex::new(Vec::new()),
            server_sessions: Arc::default(),
            ticket_keys: match role {
                Role::Client => None,
                Role::Any | Role::Server => Some(Arc::new(SessionTicketKeys::generate()?)),
            },
            client_ca_stack: Mutex::default(),
            chain_stack: Mutex::default(),
            external_session_callbacks: Mutex::new((None, None)),
        })
    }

    pub fn settings(&self) -> MutexGuard<'_, Settings> {
        lock(&self.settings)
    }

    /// Changes the credentials (which then take a new id).
    pub fn with_credentials<R>(&self, f: impl FnOnce(&mut Credentials) -> R) -> R {
        let mut c = lock(&self.credentials);
        let r = f(&mut c);
        c.touch();
        r
    }

    pub fn credentials(&self) -> Credentials {
        lock(&self.credentials).clone()
    }

    pub fn store(&self) -> CertStore {
        lock(&self.store).clone()
    }

    pub fn set_store(&self, store: CertStore) {
        *lock(&self.store) = store;
    }

    /// The `STACK_OF(SSL_CIPHER)` that `SSL_CTX_get_ciphers` returns.
    pub fn cipher_stack(&self) -> *mut std::os::raw::c_void {
        let settings = self.settings();
        lock(&self.cipher_stack).get(settings.ciphers())
    }

    pub fn set_alpn_selector(&self, s: Option<Arc<dyn AlpnSelector>>) {
        *lock(&self.alpn_selector) = s;
    }

    pub fn set_servername_callback(&self, cb: Option<Arc<dyn ServernameCallback>>) {
        *lock(&self.servername_callback) = cb;
    }

    pub fn servername_callback(&self) -> Option<Arc<dyn ServernameCallback>> {
        lock(&self.servername_callback).clone()
    }

    pub fn set_client_hello_callback(&self, cb: Option<Arc<dyn ClientHelloCallback>>) {
        *lock(&self.client_hello_callback) = cb;
    }

    pub fn client_hello_callback(&self) -> Option<Arc<dyn ClientHelloCallback>> {
        lock(&self.client_hello_callback).clone()
    }

    /// Tickets under the application's keys from now on.
    pub fn set_ticket_key_callback(&self, cb: Option<TicketKeyCallback>) {
        *lock(&self.ticket_key_callback) = cb;
    }

    pub fn set_status_callback(&self, cb: Option<Arc<dyn StatusCallback>>) {
        *lock(&self.status_callback) = cb;
    }

    pub fn status_callback(&self) -> Option<Arc<dyn StatusCallback>> {
        lock(&self.status_callback).clone()
    }

    pub fn set_cert_callback(&self, cb: Option<Arc<dyn CertCallback>>) {
        *lock(&self.cert_callback) = cb;
    }

    pub fn cert_callback(&self) -> Option<Arc<dyn CertCallback>> {
        lock(&self.cert_callback).clone()
    }

    /// The new-session callback for a client's or a server's sessions, when the session
    /// cache mode covers that side (as in OpenSSL).
    pub fn new_session_callback_for(&self, server: bool) -> Option<Arc<dyn NewSessionCallback>> {
        let side = if server {
            SSL_SESS_CACHE_SERVER
        } else {
            SSL_SESS_CACHE_CLIENT
        };
        if self.settings().session_cache_mode & side == 0 {
            return None;
        }
        lock(&self.new_session_callback).clone()
    }

    pub fn has_servername_callback(&self) -> bool {
        lock(&self.servername_callback).is_some()
    }

    pub fn alpn_selector(&self) -> Option<Arc<dyn AlpnSelector>> {
        lock(&self.alpn_selector).clone()
    }

    /// What a connection with these settings may negotiate; `None` (reason queued) when nothing.
    fn negotiable(s: &Settings) -> Option<Negotiable> {
        let mut versions = protocol_version::enabled(s.min_version, s.max_version, s.options);
        if versions.is_empty() {
            err::raise_ssl(reason::SSL_R_NO_PROTOCOLS_AVAILABLE);
            return None;
        }
        // A version none of whose suites is enabled cannot be negotiated.
        versions.retain(|v| match v.version {
            rustls::ProtocolVersion::TLSv1_3 => !s.tls13_ciphers.is_empty(),
            _ => !s.tls12_ciphers.is_empty(),
        });
        if versions.is_empty() {
            err::raise_ssl(reason::SSL_R_NO_CIPHERS_AVAILABLE);
            return None;
        }
        let mut suites = Vec::new();
        for v in &versions {
            let list = match v.version {
                rustls::ProtocolVersion::TLSv1_3 => &s.tls13_ciphers,
                _ => &s.tls12_ciphers,
            };
            suites.extend(list.iter().map(|c| c.suite));
        }
        Some(Negotiable {
            versions,
            suites,
            groups: s.groups.clone(),
        })
    }

    /// The client config for a connection with these settings (pushes the error on failure);
    /// `early_data` for one that sends early data with a session that allows it.
    pub fn client_config(
        &self,
        s: &Settings,
        creds: &Credentials,
        early_data: bool,
    ) -> Option<Arc<ClientConfig>> {
        let n = Self::negotiable(s)?;
        let key = ClientKey {
            negotiable: n.key(),
            credentials: creds.id,
            early_data,
            sigalgs: s.sigalgs.clone(),
        };
        let mut cache = lock(&self.client_config);
        if let Some((k, cfg)) = cache.as_ref() {
            if *k == key {
                return Some(cfg.clone());
            }
        }
        let p = &n.provider();
        let builder = ClientConfig::builder_with_provider(p.clone())
            .with_protocol_versions(&n.versions)
            .map_err(|_| err::raise_ssl(reason::SSL_R_NO_PROTOCOLS_AVAILABLE))
            .ok()?
            .dangerous()
            .with_custom_certificate_verifier(server_verifier(key.sigalgs.as_deref()));
        let resolver = match creds.certified_key(p, key.sigalgs.as_deref()) {
            Some(ck) => Arc::new(ClientCertificate(ck)) as Arc<dyn ResolvesClientCert>,
            None => no_client_certificate().clone(),
        };
        let mut cfg = builder.with_client_cert_resolver(resolver);
        // Sessions go to the application, which chooses what to resume (SSL_set_session).
        cfg.resumption = Resumption::store(Arc::new(SessionBridge))
            .tls12_resumption(Tls12Resumption::SessionIdOrTickets);
        // Always: the connection keeps the secrets that open its Finished records.
        cfg.key_log = Arc::new(ScopedKeyLog);
        // As OpenSSL, a client offers early data only when its application sends some.
        cfg.enable_early_data = key.early_data;
        let cfg = Arc::new(cfg);
        *cache = Some((key, cfg.clone()));
        Some(cfg)
    }

    /// The chain certificates as a stack the context owns (valid until the next call).
    pub fn chain_stack(&self, chain: &[Certificate]) -> *mut openssl_sys::stack_st_X509 {
        let mut slot = lock(&self.chain_stack);
        *slot = CertificateStack::new(chain);
        slot.as_ref().map_or(std::ptr::null_mut(), |s| s.as_ptr())
    }

    /// The context's client CA names as a stack it owns (`SSL_CTX_get_client_CA_list`).
    pub fn client_ca_stack(&self, names: &[Vec<u8>]) -> *mut RawNameStack {
        lock(&self.client_ca_stack).get(names)
    }

    /// The server config for a connection with these settings and ALPN choice.
    pub fn server_config(
        &self,
        s: &Settings,
        alpn: Option<Vec<u8>>,
        creds: &Credentials,
        early_data: bool,
    ) -> Option<Arc<ServerConfig>> {
        let n = Self::negotiable(s)?;
        let ticket_keys = *lock(&self.ticket_key_callback);
        let options = s.options & (SSL_OP_NO_TICKET | SSL_OP_CIPHER_SERVER_PREFERENCE);
        let key = ServerKey {
            negotiable: n.key(),
            num_tickets: s.num_tickets,
            client_ca_names: s.client_ca_names.clone(),
            verify_mode: s.verify_mode & (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT),
            alpn,
            options,
            credentials: creds.id,
            ticket_keys: ticket_keys.map_or(0, |c| c.address()),
            ticket_lifetime: s.session_timeout,
            max_early_data: if early_data {
                s.max_early_data.min(s.recv_max_early_data)
            } else {
                0
            },
            sigalgs: s.sigalgs.clone(),
            client_sigalgs: s.client_sigalgs.clone(),
        };
        let mut cache = lock(&self.server_configs);
        if let Some((_, cfg)) = cache.iter().find(|(k, _)| *k == key) {
            return Some(cfg.clone());
        }
        let p = &n.provider();
        let builder = ServerConfig::builder_with_provider(p.clone())
            .with_protocol_versions(&n.versions)
            .map_err(|_| err::raise_ssl(reason::SSL_R_NO_PROTOCOLS_AVAILABLE))
            .ok()?;
        let builder = if key.verify_mode & SSL_VERIFY_PEER != 0 {
            builder.with_client_cert_verifier(Arc::new(StoreVerifier::new(
                p.clone(),
                key.verify_mode & SSL_VERIFY_FAIL_IF_NO_PEER_CERT != 0,
                key.client_ca_names
                    .iter()
                    .map(|n| DistinguishedName::from(n.clone()))
                    .collect(),
                key.client_sigalgs.as_deref().or(key.sigalgs.as_deref()),
            )))
        } else {
            builder.with_no_client_auth()
        };
        let certified = creds.certified_keys(p, key.sigalgs.as_deref());
        let mut cfg = builder.with_cert_resolver(Arc::new(ServerCertificate(certified)));
        cfg.alpn_protocols = key.alpn.iter().cloned().collect();
        // The cache decides (by the session cache mode) what it keeps and looks up.
        cfg.session_storage = self.server_sessions.clone();
        // rustls takes early data only on single-use (stateful) tickets, its replay
        // protection: with early data on, tickets are ids into the session cache.
        cfg.max_early_data_size = key.max_early_data;
        // What a server writes while it reads early data goes out at once (0.5-RTT).
        cfg.send_half_rtt_data = key.max_early_data > 0;
        if options & SSL_OP_NO_TICKET == 0 && key.max_early_data == 0 {
            if let Some(callback) = ticket_keys {
                cfg.ticketer = Arc::new(AppTicketKeys {
                    callback,
                    lifetime: u32::try_from(key.ticket_lifetime).unwrap_or(u32::MAX),
                });
            } else if let Some(keys) = &self.ticket_keys {
                cfg.ticketer = Arc::new(TicketIssuer {
                    keys: keys.clone(),
                    lifetime: u32::try_from(key.ticket_lifetime).unwrap_or(u32::MAX),
                });
            }
        }
        cfg.ignore_client_order = options & SSL_OP_CIPHER_SERVER_PREFERENCE != 0;
        cfg.send_tls13_tickets = key.num_tickets;
        // Always: the connection keeps the secrets that open its Finished records.
        cfg.key_log = Arc::new(ScopedKeyLog);
        let cfg = Arc::new(cfg);
        if cache.len() >= SERVER_CONFIG_CACHE {
            cache.remove(0);
        }
        cache.push((key, cfg.clone()));
        Some(cfg)
    }
}
