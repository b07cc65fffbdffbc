//! Building a server's rustls config: suites, client-certificate verification, the
//! certificates to choose from, the session cache, tickets and early data.

use std::os::raw::c_int;
use std::sync::Arc;

use rustls::server::danger::ClientCertVerifier;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::{DistinguishedName, ServerConfig};

use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::config::{cipher, groups};
use crate::connection::key_log::ScopedKeyLog;
use crate::credentials::Credentials;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::ticket_keys::AppTicketKeys;
use crate::session::ticket_keys::TicketIssuer;
use crate::verify::verifier::StoreVerifier;

use super::settings::Settings;
use super::{lock, Context};

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
    /// The chain is built from the trust store where none was set (no
    /// `SSL_MODE_NO_AUTO_CHAIN`).
    pub auto_chain: bool,
    /// The chain store's address (0: the trust store builds chains).
    pub chain_store: usize,
    /// The application's ticket-key callback (its address), and the ticket lifetime.
    pub ticket_keys: usize,
    pub ticket_lifetime: u64,
    /// Early data accepted up to this many bytes (0: none). Non-zero only for a
    /// connection whose handshake `SSL_read_early_data` drives, as OpenSSL accepts it.
    pub max_early_data: u32,
    pub sigalgs: Option<Vec<u16>>,
    pub client_sigalgs: Option<Vec<u16>>,
    pub acknowledge_name: bool,
}

/// What a connection's ClientHello and its callbacks decided for its server config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelloChoices {
    /// The protocol the ALPN callback chose.
    pub alpn: Option<Vec<u8>>,
    /// Early data is read (`SSL_read_early_data`) and allowed.
    pub early_data: bool,
    /// The client sent a share of the default hybrid group.
    pub hybrid_share: bool,
    /// The servername callback accepted the client's name.
    pub acknowledge_name: bool,
    /// The client offered TLS 1.3.
    pub tls13_offered: bool,
}

/// How many distinct server configs a context keeps (one per ALPN choice and verify mode in practice).
pub(super) const SERVER_CONFIG_CACHE: usize = 8;

/// A server's certificates, one per type of key: the first the client can verify (by
/// the signature schemes it offered) is chosen, as OpenSSL chooses between RSA and ECDSA.
#[derive(Debug)]
pub(super) struct ServerCertificate(Vec<Arc<CertifiedKey>>);

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
    /// The verify mode that decides whether the handshake asks for a client certificate:
    /// with `SSL_VERIFY_POST_HANDSHAKE` a TLS 1.3 server asks only afterwards
    /// (`SSL_verify_client_post_handshake`); TLS 1.2 ignores the flag, as OpenSSL does.
    fn handshake_verify_mode(mode: c_int, tls13: bool) -> c_int {
        if mode & SSL_VERIFY_POST_HANDSHAKE != 0 && tls13 {
            return SSL_VERIFY_NONE;
        }
        mode & (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT)
    }

    /// The verifier of a post-handshake certificate request, from the connection's
    /// settings as they are when it asks.
    pub fn post_handshake_verifier(&self, s: &Settings) -> Arc<dyn ClientCertVerifier> {
        let ca_names = s
            .request_ca_names()
            .iter()
            .map(|n| DistinguishedName::from(n.clone()))
            .collect();
        Arc::new(StoreVerifier::new(
            super::provider().clone(),
            s.verify_mode & SSL_VERIFY_FAIL_IF_NO_PEER_CERT != 0,
            ca_names,
            s.client_sigalgs.as_deref().or(s.sigalgs.as_deref()),
        ))
    }

    /// The server config for a connection with these settings and what its ClientHello
    /// decided.
    pub fn server_config(
        &self,
        s: &Settings,
        choices: HelloChoices,
        creds: &Credentials,
    ) -> Option<Arc<ServerConfig>> {
        let HelloChoices {
            alpn,
            early_data,
            hybrid_share,
            acknowledge_name,
            tls13_offered,
        } = choices;
        let mut n = Self::negotiable(s)?;
        // rustls takes the client's first group it supports; with the default groups a
        // server prefers the hybrid one whenever the client sent its share (as OpenSSL
        // 3.5 does), at no extra round trip.
        if s.groups.is_empty() && hybrid_share && n.tls13() {
            n.groups = vec![groups::HYBRID];
        }
        let ticket_keys = *lock(&self.ticket_key_callback);
        let options = s.options
            & (SSL_OP_NO_TICKET
                | SSL_OP_CIPHER_SERVER_PREFERENCE
                | SSL_OP_NO_CERTIFICATE_COMPRESSION);
        let key = ServerKey {
            negotiable: n.key(),
            num_tickets: s.num_tickets,
            client_ca_names: s.request_ca_names().to_vec(),
            verify_mode: Self::handshake_verify_mode(s.verify_mode, tls13_offered && n.tls13()),
            alpn,
            options,
            credentials: creds.id,
            auto_chain: s.mode & SSL_MODE_NO_AUTO_CHAIN == 0,
            chain_store: s.chain_store.as_ref().map_or(0, |st| st.as_ptr() as usize),
            ticket_keys: ticket_keys.map_or(0, |c| c.address()),
            ticket_lifetime: s.session_timeout,
            max_early_data: if early_data {
                s.max_early_data.min(s.recv_max_early_data)
            } else {
                0
            },
            sigalgs: s.sigalgs.clone(),
            client_sigalgs: s.client_sigalgs.clone(),
            acknowledge_name,
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
        let certified = self
            .chained(creds, key.auto_chain, s.chain_store.as_ref())
            .certified_keys(p, key.sigalgs.as_deref());
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
        super::certificate_compression(
            options,
            &mut cfg.cert_compressors,
            &mut cfg.cert_decompressors,
        );
        cfg.acknowledge_server_name = key.acknowledge_name;
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
