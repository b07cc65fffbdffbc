//! Peer certificates parsed once. Decoding a certificate with libcrypto (`d2i_X509`, whose
//! public key goes through OpenSSL 3's decoder framework) took about a third of a full
//! client handshake, and a server presents the same chain to every connection. A parsed
//! certificate is shared by reference count, as OpenSSL shares one between a session and
//! its connections; the cache keeps the most recently seen few.

use std::sync::Mutex;

use crate::libcrypto::x509::Certificate;

/// Enough for the chains of the servers a process talks to at once, small enough that a
/// linear search costs nothing next to a handshake.
const CAPACITY: usize = 64;

/// DER and the parsed certificate, the most recently used last.
static CACHE: Mutex<Vec<(Box<[u8]>, Certificate)>> = Mutex::new(Vec::new());

fn cache() -> std::sync::MutexGuard<'static, Vec<(Box<[u8]>, Certificate)>> {
    CACHE.lock().unwrap_or_else(|e| e.into_inner())
}

/// The certificate `der` encodes, parsed now or earlier; `None` when libcrypto rejects it
/// (its errors stay on the queue).
pub fn parse(der: &[u8]) -> Option<Certificate> {
    {
        let mut entries = cache();
        if let Some(i) = entries.iter().position(|(d, _)| **d == *der) {
            let entry = entries.remove(i);
            let cert = entry.1.clone();
            entries.push(entry);
            return Some(cert);
        }
    }
    let cert = Certificate::from_der(der)?;
    cert.cache_extensions();
    let mut entries = cache();
    if entries.len() >= CAPACITY {
        entries.remove(0);
    }
    entries.push((der.into(), cert.clone()));
    Some(cert)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::CertificateDer;

    fn der(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/pki/{name}", env!("CARGO_MANIFEST_DIR"));
        CertificateDer::from_pem_file(path).unwrap().to_vec()
    }

    #[test]
    fn the_same_der_gives_the_same_object_and_garbage_gives_none() {
        let rsa = der("server-rsa.pem");
        let a = parse(&rsa).unwrap();
        let b = parse(&rsa).unwrap();
        assert_eq!(a.as_ptr(), b.as_ptr());
        let ecdsa = parse(&der("server-ecdsa.pem")).unwrap();
        assert_ne!(ecdsa.as_ptr(), a.as_ptr());
        assert!(parse(&rsa[..rsa.len() - 1]).is_none());
        crate::libcrypto::error_queue::clear();
    }
}
