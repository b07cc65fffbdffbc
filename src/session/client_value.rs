//! A client session's resumption value as bytes and back (rustls patch 0007), so that a
//! session serialised in one process resumes in another.
//!
//! rustls resumes a value only under the certificate verifier and client-certificate
//! resolver it was made with, which are live objects: a value read back from bytes stays
//! bytes until a connection offers it, and is then bound to that connection's.

use std::sync::Arc;

use rustls::client::danger::ServerCertVerifier;
use rustls::client::{ResolvesClientCert, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::SupportedCipherSuite;
use zeroize::Zeroizing;

use super::{lock, Resumable, Session};

/// rustls' encoding of a client value, not yet bound to a connection's config.
#[derive(Clone)]
pub struct EncodedClientValue {
    tls13: bool,
    /// It holds the resumption secret.
    bytes: Zeroizing<Vec<u8>>,
}

/// The secret stays out of debug output.
impl std::fmt::Debug for EncodedClientValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncodedClientValue")
            .field("tls13", &self.tls13)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// Resolves no certificate: a stand-in for the resolver of the config that will bind a
/// value, while the value is only being checked.
#[derive(Debug)]
struct Unbound;

impl ResolvesClientCert for Unbound {
    fn resolve(
        &self,
        _: &[&[u8]],
        _: &[rustls::SignatureScheme],
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        None
    }
    fn has_certs(&self) -> bool {
        false
    }
}

/// A verifier and resolver to check values with (rustls reads a value only for some).
pub(super) fn unbound() -> (Arc<dyn ServerCertVerifier>, Arc<dyn ResolvesClientCert>) {
    let provider = crate::context::provider();
    let verifier =
        crate::verify::verifier::StoreVerifier::new(provider.clone(), false, Vec::new(), None);
    (Arc::new(verifier), Arc::new(Unbound))
}

impl EncodedClientValue {
    /// Whether rustls reads it under some suite this library offers (a value is checked
    /// when it is read back, and bound when it is offered).
    fn decodes(&self) -> bool {
        let (verifier, resolver) = unbound();
        let suites = &crate::context::provider().cipher_suites;
        if self.tls13 {
            Tls13ClientSessionValue::decode(&self.bytes, suites, &verifier, &resolver).is_some()
        } else {
            Tls12ClientSessionValue::decode(&self.bytes, suites, &verifier, &resolver).is_some()
        }
    }
}

impl Session {
    /// A client session read back from its serialised form, with rustls' encoding of its
    /// value (`tls13` or TLS 1.2; `None` for one that had nothing to resume with). `None`
    /// when the value is not one rustls reads (under any suite this library offers).
    pub(super) fn encoded_client(version: u16, value: Option<(bool, &[u8])>) -> Option<Session> {
        let value = match value {
            Some((tls13, bytes)) => {
                let value = EncodedClientValue {
                    tls13,
                    bytes: Zeroizing::new(bytes.to_vec()),
                };
                if !value.decodes() {
                    return None;
                }
                Some(Resumable::Encoded(value))
            }
            None => None,
        };
        Some(Session::with_value(version, value))
    }

    /// rustls' encoding of a client session's value (also of a spent one: serialised, it
    /// is resumable again, as OpenSSL's), and whether it is a TLS 1.3 one.
    pub(super) fn client_value_encoding(&self) -> Option<(bool, Zeroizing<Vec<u8>>)> {
        match lock(&self.value).as_ref()? {
            Resumable::Tls13(v) => Some((true, Zeroizing::new(v.encode()))),
            Resumable::Tls12(v) => Some((false, Zeroizing::new(v.encode()))),
            Resumable::Encoded(e) => Some((e.tls13, e.bytes.clone())),
            Resumable::Server(_) => None,
        }
    }

    /// Before a client offers the session: a value read back from bytes becomes one
    /// rustls resumes under this connection's `suites`, `verifier` and `resolver`; one
    /// that does not decode (a suite the connection does not offer) leaves nothing to
    /// resume with, so the connection makes a full handshake.
    pub fn bind_client_value(
        &self,
        suites: &[SupportedCipherSuite],
        verifier: &Arc<dyn ServerCertVerifier>,
        resolver: &Arc<dyn ResolvesClientCert>,
    ) {
        let mut value = lock(&self.value);
        let Some(Resumable::Encoded(encoded)) = value.as_ref() else {
            return;
        };
        *value = if encoded.tls13 {
            Tls13ClientSessionValue::decode(&encoded.bytes, suites, verifier, resolver)
                .map(Resumable::Tls13)
        } else {
            Tls12ClientSessionValue::decode(&encoded.bytes, suites, verifier, resolver)
                .map(Resumable::Tls12)
        };
    }
}
