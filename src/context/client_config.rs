//! Building a client's rustls config from a context's settings and credentials; the
//! verifiers and certificate resolvers are shared process-wide, because rustls resumes
//! a session only under the ones it was made with.

use std::sync::{Arc, Mutex, OnceLock};

use rustls::client::{ResolvesClientCert, Resumption, Tls12Resumption};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, SignatureScheme};

use crate::codes::reason;
use crate::codes::ssl_constants::{SSL_MODE_NO_AUTO_CHAIN, SSL_OP_NO_CERTIFICATE_COMPRESSION};
use crate::connection::key_log::ScopedKeyLog;
use crate::credentials::Credentials;
use crate::libcrypto::error_queue as err;
use crate::session::{Session, SessionBridge};
use crate::verify::verifier::StoreVerifier;

use super::settings::Settings;
use super::{lock, provider, Context};

/// The inputs that shape a client config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientKey {
    pub negotiable: Vec<u16>,
    pub credentials: u64,
    /// The chain is built from the trust store where none was set (no
    /// `SSL_MODE_NO_AUTO_CHAIN`).
    pub auto_chain: bool,
    /// The chain store's address (0: the trust store builds chains).
    pub chain_store: usize,
    /// The client offers early data (its application called `SSL_write_early_data`).
    pub early_data: bool,
    pub sigalgs: Option<Vec<u16>>,
    /// `SSL_OP_NO_TX/RX_CERTIFICATE_COMPRESSION`.
    pub compression_off: u64,
    /// `SSL_set_post_handshake_auth`: the client offers post-handshake authentication.
    pub post_handshake_auth: bool,
}

#[derive(Debug)]
pub(super) struct ClientCertificate(Arc<CertifiedKey>);

/// Keeps the CA names a server's certificate request listed, for the connection whose
/// handshake is running (`SSL_get_client_CA_list` on a client).
pub(super) fn note_certificate_request(hints: &[&[u8]]) {
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
pub(super) const MAX_SERVER_VERIFIERS: usize = 16;

/// One per signature-algorithm list (`SSL_CTX_set1_sigalgs_list`); rustls resumes a
/// session only under the verifier it was made with, so each is kept and shared.
pub(super) fn server_verifier(
    offered: Option<&[u16]>,
) -> Arc<dyn rustls::client::danger::ServerCertVerifier> {
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

/// The resolver of client configs without a certificate, shared as the verifiers are: a
/// connection with certificate callbacks chooses one through them (see
/// `ClientCertificateChoice`), any other sends none.
pub(super) fn no_client_certificate() -> &'static Arc<dyn ResolvesClientCert> {
    #[derive(Debug)]
    struct ByCallback;
    impl ResolvesClientCert for ByCallback {
        fn resolve(
            &self,
            hints: &[&[u8]],
            _schemes: &[SignatureScheme],
        ) -> Option<Arc<CertifiedKey>> {
            note_certificate_request(hints);
            let scope = crate::connection::handshake_scope::current()?;
            let choice = scope.client_certificate.as_ref()?;
            choice.choose(scope.ssl)?.certified_key(provider(), None)
        }
        fn has_certs(&self) -> bool {
            // Asked as the handshake starts: whether to keep the transcript for a
            // certificate the callbacks may choose.
            crate::connection::handshake_scope::current()
                .is_some_and(|s| s.client_certificate.is_some())
        }
    }
    static RESOLVER: OnceLock<Arc<dyn ResolvesClientCert>> = OnceLock::new();
    RESOLVER.get_or_init(|| Arc::new(ByCallback))
}

/// Before a client connection with settings `s` and config `cfg` offers `session`: a
/// session read back from its serialised form resumes under this config's verifier and
/// certificate resolver (the ones rustls checks a session against).
pub fn bind_offered_session(session: &Session, s: &Settings, cfg: &ClientConfig) {
    session.bind_client_value(
        &cfg.crypto_provider().cipher_suites,
        &server_verifier(s.sigalgs.as_deref()),
        &cfg.client_auth_cert_resolver,
    );
}

impl Context {
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
            auto_chain: s.mode & SSL_MODE_NO_AUTO_CHAIN == 0,
            chain_store: s.chain_store.as_ref().map_or(0, |st| st.as_ptr() as usize),
            early_data,
            sigalgs: s.sigalgs.clone(),
            compression_off: s.options & SSL_OP_NO_CERTIFICATE_COMPRESSION,
            post_handshake_auth: s.post_handshake_auth,
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
        let chained = self.chained(creds, key.auto_chain, s.chain_store.as_ref());
        let resolver = match chained.certified_key(p, key.sigalgs.as_deref()) {
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
        cfg.enable_post_handshake_auth = key.post_handshake_auth;
        super::certificate_compression(
            key.compression_off,
            &mut cfg.cert_compressors,
            &mut cfg.cert_decompressors,
        );
        let cfg = Arc::new(cfg);
        *cache = Some((key, cfg.clone()));
        Some(cfg)
    }
}
