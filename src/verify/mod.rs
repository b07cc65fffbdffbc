//! Verifying the peer's certificate chain through the application's `X509_STORE`, as
//! OpenSSL does, in place of rustls' own verifiers.
#![forbid(unsafe_code)]

pub mod peer_certificate_cache;
pub mod verifier;
