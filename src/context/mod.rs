//! `SSL_CTX`: the settings connections start from, and the rustls configs built from them.
//!
//! A rustls config is built once per distinct set of inputs and shared by every
//! connection of the context that needs the same one; a setter that changes an input
//! simply makes the next connection's key differ from the cached one.
#![forbid(unsafe_code)]

mod callbacks;
mod client_config;
mod negotiable;
mod server_config;
mod settings;

use std::os::raw::c_int;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, ServerConfig};

use crate::codes::ssl_constants::*;
use crate::config::cipher;
use crate::credentials::Credentials;
use crate::libcrypto::dane::DaneDigests;
use crate::libcrypto::ex_data::{ExData, CRYPTO_EX_INDEX_SSL_CTX};
use crate::libcrypto::name_stack::{OwnedNameStack, RawNameStack};
use crate::libcrypto::store::CertStore;
use crate::libcrypto::ticket_keys::TicketKeyCallback;
use crate::libcrypto::verify_param::VerifyParam;
use crate::libcrypto::x509::{Certificate, CertificateStack};
use crate::session::server_cache::ServerSessionCache;
use crate::session::ticket_keys::SessionTicketKeys;

pub use callbacks::{
    AllowEarlyDataCallback, AlpnChoice, AlpnSelector, CertCallback, ClientCertCallback,
    ClientHelloCallback, InfoCallback, MessageCallback, NewSessionCallback, ServernameCallback,
    StatusCallback,
};
pub use client_config::{bind_offered_session, ClientKey};
pub use negotiable::Negotiable;
pub use server_config::{HelloChoices, ServerKey};
pub use settings::Settings;

/// What a method (`TLS_method`, `TLSv1_2_client_method`, ...) fixes: the sides a context
/// may take and, for a version-specific method, its one protocol version (0: any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    pub role: Role,
    pub version: c_int,
}

/// Which side a method (`TLS_client_method`, ...) allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Any,
    Client,
    Server,
}

pub struct Context {
    method: Mutex<Method>,
    settings: Mutex<Settings>,
    credentials: Mutex<Credentials>,
    store: Mutex<CertStore>,
    /// The context's `X509_VERIFY_PARAM`; applications may change it through `SSL_CTX_get0_param`.
    pub param: VerifyParam,
    pub ex_data: ExData,
    alpn_selector: Mutex<Option<Arc<dyn AlpnSelector>>>,
    servername_callback: Mutex<Option<Arc<dyn ServernameCallback>>>,
    cert_callback: Mutex<Option<Arc<dyn CertCallback>>>,
    client_cert_callback: Mutex<Option<Arc<dyn ClientCertCallback>>>,
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
    /// The DANE matching types (`SSL_CTX_dane_enable`; `None` until then).
    pub dane_digests: Mutex<Option<DaneDigests>>,
    /// The stack `SSL_CTX_get0_CA_list` hands out.
    ca_list_stack: Mutex<OwnedNameStack>,
    /// The stack `SSL_CTX_get0_chain_certs` hands out.
    chain_stack: Mutex<Option<CertificateStack>>,
}

/// The crypto provider every context uses: rustls' aws-lc-rs provider, whose
/// ChaCha20-Poly1305 suites protect records with libcrypto's cipher (faster than AWS-LC's
/// on current x86 CPUs; see `libcrypto::aead`).
pub fn provider() -> &'static Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER.get_or_init(|| {
        Arc::new(crate::libcrypto::aead::with_libcrypto_chacha20(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
    })
}

/// RFC 8879 certificate compression, on by default (rustls' brotli and zlib): a
/// certificate chain is sent compressed to a peer that offers it, and a client offers to
/// take one. OpenSSL 3.2's options switch either direction off.
fn certificate_compression(
    off: u64,
    compressors: &mut Vec<&'static dyn rustls::compress::CertCompressor>,
    decompressors: &mut Vec<&'static dyn rustls::compress::CertDecompressor>,
) {
    if off & SSL_OP_NO_TX_CERTIFICATE_COMPRESSION != 0 {
        compressors.clear();
    }
    if off & SSL_OP_NO_RX_CERTIFICATE_COMPRESSION != 0 {
        decompressors.clear();
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic inside a guarded FFI call must not make the context unusable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Context {
    pub fn new(method: Method) -> Option<Self> {
        let role = method.role;
        Some(Self {
            method: Mutex::new(method),
            settings: Mutex::new(Settings {
                method_version: method.version,
                ..Settings::default()
            }),
            credentials: Mutex::new(Credentials::default()),
            store: Mutex::new(CertStore::new()?),
            param: VerifyParam::new()?,
            ex_data: ExData::new(CRYPTO_EX_INDEX_SSL_CTX),
            alpn_selector: Mutex::new(None),
            servername_callback: Mutex::new(None),
            cert_callback: Mutex::new(None),
            client_cert_callback: Mutex::new(None),
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
            ca_list_stack: Mutex::default(),
            dane_digests: Mutex::new(None),
            chain_stack: Mutex::default(),
        })
    }

    pub fn method(&self) -> Method {
        *lock(&self.method)
    }

    /// `SSL_CTX_set_ssl_version`: the new method's version applies from the next
    /// connection, and the suites go back to their defaults, as in OpenSSL.
    pub fn set_method(&self, method: Method) {
        *lock(&self.method) = method;
        let mut s = self.settings();
        s.method_version = method.version;
        s.tls12_ciphers = cipher::tls12_default();
        s.tls13_ciphers = cipher::tls13_default();
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

    pub fn set_client_cert_callback(&self, cb: Option<Arc<dyn ClientCertCallback>>) {
        *lock(&self.client_cert_callback) = cb;
    }

    pub fn client_cert_callback(&self) -> Option<Arc<dyn ClientCertCallback>> {
        lock(&self.client_cert_callback).clone()
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

    /// The chain certificates as a stack the context owns (valid until the next call).
    pub fn chain_stack(&self, chain: &[Certificate]) -> *mut openssl_sys::stack_st_X509 {
        let mut slot = lock(&self.chain_stack);
        // No chain is a NULL stack, as in OpenSSL.
        *slot = CertificateStack::new(chain).filter(|_| !chain.is_empty());
        slot.as_ref().map_or(std::ptr::null_mut(), |s| s.as_ptr())
    }

    /// The context's client CA names as a stack it owns (`SSL_CTX_get_client_CA_list`).
    pub fn client_ca_stack(&self, names: &[Vec<u8>]) -> *mut RawNameStack {
        lock(&self.client_ca_stack).get(names)
    }

    /// The credentials a config presents: with `auto_chain`, a certificate set without a
    /// chain gets the one libcrypto builds from the chain store (`ChainCAFile`,
    /// `SSL_CTX_set1_chain_cert_store`) or else the context's trust store, as OpenSSL's.
    fn chained(
        &self,
        creds: &Credentials,
        auto_chain: bool,
        chain_store: Option<&CertStore>,
    ) -> Credentials {
        if auto_chain {
            match chain_store {
                Some(store) => creds.with_built_chains(store),
                None => creds.with_built_chains(&self.store()),
            }
        } else {
            creds.clone()
        }
    }

    /// The context's CA list as a stack it owns (`SSL_CTX_get0_CA_list`); NULL when none
    /// was set.
    pub fn ca_list_stack(&self) -> *mut RawNameStack {
        let names = self.settings().ca_names.clone();
        names.map_or(std::ptr::null_mut(), |n| lock(&self.ca_list_stack).get(&n))
    }
}
