//! rustls certificate verifiers that delegate chain building to libcrypto's `X509_STORE`.
//!
//! A verifier is shared by every connection of a context; it finds the connection's own
//! [`VerifyJob`] in the [`handshake_scope`](crate::connection::handshake_scope).

use std::ffi::CStr;
use std::os::raw::{c_int, c_long};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, Error, SignatureScheme};

use crate::codes::reason;
use crate::codes::ssl_constants::SSL_VERIFY_PEER;
use crate::connection::handshake_scope;
use crate::libcrypto::store::{CallbackContext, CertStore};
use crate::libcrypto::verify_param::VerifyParam;
use crate::libcrypto::x509::{Certificate, CertificateStack};
use crate::verify::peer_certificate_cache;

const X509_V_ERR_UNSPECIFIED: c_long = 1;

/// What the peer presented and what libcrypto concluded about it.
#[derive(Debug, Default)]
pub struct VerifyOutcome {
    pub result: c_long,
    /// The peer's certificates as sent, leaf first.
    pub peer_chain: Vec<Certificate>,
    /// The chain libcrypto built, leaf to trust anchor.
    pub verified_chain: Option<CertificateStack>,
}

/// One connection's verification inputs, and the slot for its outcome.
#[derive(Debug)]
pub struct VerifyJob {
    pub store: CertStore,
    pub param: Arc<VerifyParam>,
    pub mode: c_int,
    /// "ssl_server" when checking a server, "ssl_client" when checking a client.
    pub purpose: &'static CStr,
    /// The application's verify callback and the connection's `SSL *` for it.
    pub callback: CallbackContext,
    pub outcome: Mutex<Option<VerifyOutcome>>,
}

impl VerifyJob {
    fn check(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
    ) -> Result<(), Error> {
        let leaf = peer_certificate_cache::parse(end_entity);
        let others: Vec<Certificate> = intermediates
            .iter()
            .filter_map(|c| peer_certificate_cache::parse(c))
            .collect();
        let (passed, result, verified_chain) = match &leaf {
            Some(leaf) => {
                let v = self
                    .store
                    .verify(leaf, &others, &self.param, self.purpose, &self.callback);
                (v.passed, v.result, v.chain)
            }
            None => (false, X509_V_ERR_UNSPECIFIED, None),
        };
        // libcrypto leaves its reasons on the queue; OpenSSL reports only the SSL-level one.
        crate::libcrypto::error_queue::clear();
        let mut peer_chain = Vec::with_capacity(1 + others.len());
        peer_chain.extend(leaf);
        peer_chain.extend(others);
        *self.outcome.lock().unwrap_or_else(|e| e.into_inner()) = Some(VerifyOutcome {
            result,
            peer_chain,
            verified_chain,
        });
        if !passed && self.mode & SSL_VERIFY_PEER != 0 {
            return Err(Error::InvalidCertificate(reason::certificate_error_for(
                result,
            )));
        }
        Ok(())
    }
}

fn run_current(
    end_entity: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
) -> Result<(), Error> {
    match handshake_scope::current() {
        Some(scope) => scope.verify.check(end_entity, intermediates),
        None => Err(Error::General(
            "certificate verification outside a handshake step".into(),
        )),
    }
}

/// Checks the peer's certificate through the connection's [`VerifyJob`]: a server's for a
/// client, a client's for a server (whether one is required follows the verify mode).
#[derive(Debug)]
pub struct StoreVerifier {
    provider: Arc<CryptoProvider>,
    /// Server side: `SSL_VERIFY_FAIL_IF_NO_PEER_CERT`.
    mandatory: bool,
    /// Server side: the CA names sent with the certificate request (`SSL_CTX_add_client_CA`).
    ca_names: Vec<DistinguishedName>,
    /// The schemes offered to the peer, in OpenSSL's order.
    schemes: Vec<SignatureScheme>,
}

/// Notes the scheme of a peer signature being checked (`SSL_get_peer_signature_nid`).
fn note_scheme(dss: &DigitallySignedStruct) {
    if let Some(scope) = handshake_scope::current() {
        scope
            .peer_signature
            .store(u16::from(dss.scheme), Ordering::Relaxed);
    }
}

impl StoreVerifier {
    /// `offered`: the context's signature-algorithm list, in its order; otherwise all
    /// the provider verifies, in OpenSSL's.
    pub fn new(
        provider: Arc<CryptoProvider>,
        mandatory: bool,
        ca_names: Vec<DistinguishedName>,
        offered: Option<&[u16]>,
    ) -> Self {
        let mut schemes = provider
            .signature_verification_algorithms
            .supported_schemes();
        match offered {
            Some(list) => schemes = crate::config::signature_scheme::restrict(&schemes, list),
            None => crate::config::signature_scheme::sort_as_openssl(&mut schemes),
        }
        Self {
            provider,
            mandatory,
            ca_names,
            schemes,
        }
    }

    fn tls12(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> SignatureResult {
        note_scheme(dss);
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn tls13(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> SignatureResult {
        note_scheme(dss);
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn schemes(&self) -> Vec<SignatureScheme> {
        self.schemes.clone()
    }
}

type SignatureResult = Result<HandshakeSignatureValid, Error>;

impl ServerCertVerifier for StoreVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        // A stapled response is kept for SSL_get_tlsext_status_ocsp_resp (libcrypto's
        // OCSP functions are the application's to check it with, as with OpenSSL).
        if !ocsp_response.is_empty() {
            if let Some(scope) = handshake_scope::current() {
                *scope
                    .ocsp_response
                    .lock()
                    .unwrap_or_else(|e| e.into_inner()) = Some(ocsp_response.to_vec());
            }
        }
        run_current(end_entity, intermediates).map(|()| ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> SignatureResult {
        self.tls12(m, c, d)
    }

    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> SignatureResult {
        self.tls13(m, c, d)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.schemes()
    }
}

impl ClientCertVerifier for StoreVerifier {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        self.mandatory
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.ca_names
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, Error> {
        run_current(end_entity, intermediates).map(|()| ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> SignatureResult {
        self.tls12(m, c, d)
    }

    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> SignatureResult {
        self.tls13(m, c, d)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.schemes()
    }
}
