//! The choice of signature scheme for our own handshake signatures.
//!
//! rustls' keys pick by their own order, SHA-512 first for RSA, so peers would see a
//! different digest than with OpenSSL, which takes the first scheme of the peer's list
//! (or, with `SSL_OP_CIPHER_SERVER_PREFERENCE`, of its own list) that the key can make.
//! rustls hands TLS 1.2 keys the schemes in its suite's order, not the peer's, so this
//! wrapper picks by OpenSSL's own order: for peers that list SHA-256 first, as OpenSSL,
//! curl and browsers do, the choice is OpenSSL's either way.

use std::fmt;
use std::sync::Arc;

use rustls::pki_types::SubjectPublicKeyInfoDer;
use rustls::sign::{Signer, SigningKey};
use rustls::{SignatureAlgorithm, SignatureScheme};

/// A rustls signing key that prefers schemes in OpenSSL's order, and uses only those of
/// the context's signature-algorithm list (`SSL_CTX_set1_sigalgs_list`) when it has one.
pub struct OpenSslOrderSigningKey {
    pub key: Arc<dyn SigningKey>,
    pub allowed: Option<Vec<u16>>,
}

impl fmt::Debug for OpenSslOrderSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenSslOrderSigningKey")
            .field("key", &self.key)
            .field("allowed", &self.allowed)
            .finish()
    }
}

impl SigningKey for OpenSslOrderSigningKey {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        let mut ordered = offered.to_vec();
        if let Some(allowed) = &self.allowed {
            ordered.retain(|s| allowed.contains(&u16::from(*s)));
        }
        crate::config::signature_scheme::sort_as_openssl(&mut ordered);
        let signer = ordered
            .iter()
            .find_map(|s| self.key.choose_scheme(std::slice::from_ref(s)))?;
        Some(Box::new(NotingSigner(signer)))
    }

    fn public_key(&self) -> Option<SubjectPublicKeyInfoDer<'_>> {
        self.key.public_key()
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        self.key.algorithm()
    }
}

/// Notes the scheme of the signature it makes in the handshake scope
/// (`SSL_get_signature_type_nid`): rustls also asks keys for schemes it does not use.
#[derive(Debug)]
struct NotingSigner(Box<dyn Signer>);

impl Signer for NotingSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, rustls::Error> {
        if let Some(scope) = crate::connection::handshake_scope::current() {
            let scheme = u16::from(self.0.scheme());
            scope
                .own_signature
                .store(scheme, std::sync::atomic::Ordering::Relaxed);
        }
        self.0.sign(message)
    }

    fn scheme(&self) -> SignatureScheme {
        self.0.scheme()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::PrivateKeyDer;

    #[test]
    fn picks_by_openssls_order() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pki/server-rsa-key.pem");
        let key = rustls::crypto::aws_lc_rs::default_provider()
            .key_provider
            .load_private_key(PrivateKeyDer::from_pem_file(path).unwrap())
            .unwrap();
        let offered = [
            SignatureScheme::ECDSA_NISTP256_SHA256,
            SignatureScheme::RSA_PSS_SHA512,
            SignatureScheme::RSA_PKCS1_SHA256,
            SignatureScheme::RSA_PSS_SHA256,
        ];
        // rustls' own choice would be SHA-512.
        assert_eq!(
            key.choose_scheme(&offered).unwrap().scheme(),
            SignatureScheme::RSA_PSS_SHA512
        );
        let ours = OpenSslOrderSigningKey {
            key: key.clone(),
            allowed: None,
        };
        assert_eq!(
            ours.choose_scheme(&offered).unwrap().scheme(),
            SignatureScheme::RSA_PSS_SHA256
        );
        assert!(ours
            .choose_scheme(&[SignatureScheme::ECDSA_NISTP256_SHA256])
            .is_none());
        let pkcs1_only = OpenSslOrderSigningKey {
            key,
            allowed: Some(vec![0x0401]),
        };
        assert_eq!(
            pkcs1_only.choose_scheme(&offered).unwrap().scheme(),
            SignatureScheme::RSA_PKCS1_SHA256
        );
    }
}
