//! What a connection may negotiate: the versions, suites and groups its settings leave,
//! and the crypto provider narrowed to them.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;

use crate::codes::reason;
use crate::config::{groups, protocol_version};
use crate::libcrypto::error_queue as err;

use super::settings::Settings;
use super::{provider, Context};

/// The versions and suites a connection may negotiate.
pub struct Negotiable {
    pub versions: Vec<&'static rustls::SupportedProtocolVersion>,
    /// In preference order: TLS 1.3 suites first.
    pub suites: Vec<rustls::CipherSuite>,
    /// In preference order.
    pub groups: Vec<rustls::NamedGroup>,
}

impl Negotiable {
    /// The versions, suites and groups as numbers, to compare with a cached config's.
    pub(super) fn key(&self) -> Vec<u16> {
        let versions = self.versions.iter().map(|v| u16::from(v.version));
        // 0 is neither a suite nor a group: it keeps the two lists apart.
        versions
            .chain(self.suites.iter().map(|&c| u16::from(c)))
            .chain(std::iter::once(0))
            .chain(self.groups.iter().map(|&g| u16::from(g)))
            .collect()
    }

    /// Whether TLS 1.3 may be negotiated.
    pub fn tls13(&self) -> bool {
        self.versions
            .iter()
            .any(|v| v.version == rustls::ProtocolVersion::TLSv1_3)
    }

    /// The crypto provider restricted to these suites, in this order.
    pub(super) fn provider(&self) -> Arc<CryptoProvider> {
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
        let all = rustls::crypto::aws_lc_rs::ALL_KX_GROUPS;
        let kx_groups = self
            .groups
            .iter()
            .filter_map(|g| all.iter().find(|k| k.name() == *g).copied())
            .collect();
        Arc::new(CryptoProvider {
            cipher_suites: suites,
            kx_groups,
            ..CryptoProvider::clone(base)
        })
    }
}

impl Context {
    /// What a connection with these settings may negotiate; `None` (reason queued) when nothing.
    pub(super) fn negotiable(s: &Settings) -> Option<Negotiable> {
        let mut versions =
            protocol_version::enabled(s.min_version, s.max_version, s.options, s.method_version);
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
        let groups = if s.groups.is_empty() {
            groups::DEFAULT.to_vec()
        } else {
            s.groups.clone()
        };
        Some(Negotiable {
            versions,
            suites,
            groups,
        })
    }
}
