//! The cipher suites ferrossl negotiates, described as OpenSSL's `SSL_CIPHER` objects.

use std::ffi::CStr;
use std::os::raw::{c_int, c_void};

use crate::libcrypto::stack::BorrowingStack;

use rustls::CipherSuite;

/// The key exchange a suite names (TLS 1.3 suites leave it to the handshake: "any").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyExchange {
    Ecdhe,
    Any,
}

/// The certificate type a suite requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    Rsa,
    Ecdsa,
    Any,
}

/// The record cipher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encryption {
    Aes128Gcm,
    Aes256Gcm,
    Chacha20Poly1305,
}

/// One suite as `SSL_CIPHER_*` reports it. Handed to C as `const SSL_CIPHER *`, pointing
/// into a static table, so the pointers live as long as the library.
#[derive(Debug)]
pub struct SslCipher {
    pub suite: CipherSuite,
    /// OpenSSL's name (`SSL_CIPHER_get_name`).
    pub name: &'static CStr,
    /// The RFC name (`SSL_CIPHER_standard_name`).
    pub standard_name: &'static CStr,
    /// The protocol version that introduced the suite (`SSL_CIPHER_get_version`).
    pub version: &'static CStr,
    pub bits: c_int,
    pub kx: KeyExchange,
    pub auth: Auth,
    pub enc: Encryption,
}

impl SslCipher {
    /// Whether a TLS 1.2 suite authenticates with this kind of key (TLS 1.3 suites do
    /// not depend on it).
    pub fn signs_with(&self, alg: rustls::SignatureAlgorithm) -> bool {
        match self.auth {
            Auth::Rsa => alg == rustls::SignatureAlgorithm::RSA,
            Auth::Ecdsa => matches!(
                alg,
                rustls::SignatureAlgorithm::ECDSA
                    | rustls::SignatureAlgorithm::ED25519
                    | rustls::SignatureAlgorithm::ED448
            ),
            Auth::Any => true,
        }
    }

    /// OpenSSL's cipher id: 0x0300 followed by the two IANA bytes.
    pub fn id(&self) -> u32 {
        0x0300_0000 | u32::from(u16::from(self.suite))
    }
}

macro_rules! suite {
    ($suite:ident, $name:literal, $standard:literal, $version:literal, $bits:literal, $kx:ident, $auth:ident, $enc:ident) => {
        SslCipher {
            suite: CipherSuite::$suite,
            name: $name,
            standard_name: $standard,
            version: $version,
            bits: $bits,
            kx: KeyExchange::$kx,
            auth: Auth::$auth,
            enc: Encryption::$enc,
        }
    };
}

/// Every suite ferrossl offers: TLS 1.3 first, then TLS 1.2 in OpenSSL's default preference order.
#[rustfmt::skip]
pub static CIPHERS: [SslCipher; 9] = [
    suite!(TLS13_AES_256_GCM_SHA384, c"TLS_AES_256_GCM_SHA384", c"TLS_AES_256_GCM_SHA384", c"TLSv1.3", 256, Any, Any, Aes256Gcm),
    suite!(TLS13_CHACHA20_POLY1305_SHA256, c"TLS_CHACHA20_POLY1305_SHA256", c"TLS_CHACHA20_POLY1305_SHA256", c"TLSv1.3", 256, Any, Any, Chacha20Poly1305),
    suite!(TLS13_AES_128_GCM_SHA256, c"TLS_AES_128_GCM_SHA256", c"TLS_AES_128_GCM_SHA256", c"TLSv1.3", 128, Any, Any, Aes128Gcm),
    suite!(TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, c"ECDHE-ECDSA-AES256-GCM-SHA384", c"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", c"TLSv1.2", 256, Ecdhe, Ecdsa, Aes256Gcm),
    suite!(TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, c"ECDHE-RSA-AES256-GCM-SHA384", c"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", c"TLSv1.2", 256, Ecdhe, Rsa, Aes256Gcm),
    suite!(TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, c"ECDHE-ECDSA-CHACHA20-POLY1305", c"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", c"TLSv1.2", 256, Ecdhe, Ecdsa, Chacha20Poly1305),
    suite!(TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, c"ECDHE-RSA-CHACHA20-POLY1305", c"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", c"TLSv1.2", 256, Ecdhe, Rsa, Chacha20Poly1305),
    suite!(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, c"ECDHE-ECDSA-AES128-GCM-SHA256", c"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", c"TLSv1.2", 128, Ecdhe, Ecdsa, Aes128Gcm),
    suite!(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, c"ECDHE-RSA-AES128-GCM-SHA256", c"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", c"TLSv1.2", 128, Ecdhe, Rsa, Aes128Gcm),
];

/// Suites are the same suite when their IANA codes are.
impl PartialEq for SslCipher {
    fn eq(&self, other: &Self) -> bool {
        self.suite == other.suite
    }
}

impl Eq for SslCipher {}

impl SslCipher {
    pub fn is_tls13(&self) -> bool {
        self.kx == KeyExchange::Any
    }
}

/// The TLS 1.2 suites in OpenSSL's default preference order (`DEFAULT`/`ALL`).
pub fn tls12_default() -> Vec<&'static SslCipher> {
    CIPHERS.iter().filter(|c| !c.is_tls13()).collect()
}

/// The TLS 1.3 suites in OpenSSL's default order.
pub fn tls13_default() -> Vec<&'static SslCipher> {
    CIPHERS.iter().filter(|c| c.is_tls13()).collect()
}

impl SslCipher {
    /// `SSL_CIPHER_description`'s line, in OpenSSL's layout.
    pub fn description(&self) -> String {
        let (kx, au) = match (self.kx, self.auth) {
            (KeyExchange::Any, _) => ("any", "any"),
            (KeyExchange::Ecdhe, Auth::Rsa) => ("ECDH", "RSA"),
            (KeyExchange::Ecdhe, _) => ("ECDH", "ECDSA"),
        };
        let enc = match self.enc {
            Encryption::Aes128Gcm => "AESGCM(128)",
            Encryption::Aes256Gcm => "AESGCM(256)",
            Encryption::Chacha20Poly1305 => "CHACHA20/POLY1305(256)",
        };
        format!(
            "{:<30} {:<7} Kx={:<8} Au={:<5} Enc={:<22} Mac={:<4}\n",
            self.name.to_string_lossy(),
            self.version.to_string_lossy(),
            kx,
            au,
            enc,
            "AEAD"
        )
    }

    /// `SSL_CIPHER_get_kx_nid`.
    pub fn kx_nid(&self) -> c_int {
        match self.kx {
            KeyExchange::Ecdhe => NID_KX_ECDHE,
            KeyExchange::Any => NID_KX_ANY,
        }
    }

    /// `SSL_CIPHER_get_auth_nid`.
    pub fn auth_nid(&self) -> c_int {
        match self.auth {
            Auth::Rsa => NID_AUTH_RSA,
            Auth::Ecdsa => NID_AUTH_ECDSA,
            Auth::Any => NID_AUTH_ANY,
        }
    }

    /// `SSL_CIPHER_get_cipher_nid`.
    pub fn cipher_nid(&self) -> c_int {
        match self.enc {
            Encryption::Aes128Gcm => NID_AES_128_GCM,
            Encryption::Aes256Gcm => NID_AES_256_GCM,
            Encryption::Chacha20Poly1305 => NID_CHACHA20_POLY1305,
        }
    }
}

// libcrypto's object identifiers for what a suite uses (obj_mac.h).
const NID_KX_ECDHE: c_int = 1038;
const NID_KX_ANY: c_int = 1063;
const NID_AUTH_RSA: c_int = 1046;
const NID_AUTH_ECDSA: c_int = 1047;
const NID_AUTH_ANY: c_int = 1064;
const NID_AES_128_GCM: c_int = 895;
const NID_AES_256_GCM: c_int = 901;
const NID_CHACHA20_POLY1305: c_int = 1018;

/// A `STACK_OF(SSL_CIPHER)` handed to C, rebuilt only when the list changes, so that a
/// stack the application holds stays valid until then (as OpenSSL's does).
#[derive(Debug, Default)]
pub struct CipherStackCache(Option<(Vec<u16>, BorrowingStack)>);

impl CipherStackCache {
    pub fn get(&mut self, list: impl Iterator<Item = &'static SslCipher>) -> *mut c_void {
        let list: Vec<&'static SslCipher> = list.collect();
        let ids: Vec<u16> = list.iter().map(|c| u16::from(c.suite)).collect();
        if self.0.as_ref().map(|(k, _)| k) != Some(&ids) {
            self.0 = BorrowingStack::new(list).map(|s| (ids, s));
        }
        self.0
            .as_ref()
            .map_or(std::ptr::null_mut(), |(_, s)| s.as_ptr())
    }
}

/// A suite by OpenSSL or standard name.
pub fn by_name(name: &str) -> Option<&'static SslCipher> {
    CIPHERS.iter().find(|c| {
        c.name.to_bytes() == name.as_bytes() || c.standard_name.to_bytes() == name.as_bytes()
    })
}

/// A suite by its two IANA bytes (`SSL_CIPHER_find`).
pub fn by_id(id: [u8; 2]) -> Option<&'static SslCipher> {
    lookup(CipherSuite::from(u16::from_be_bytes(id)))
}

/// The table entry for a negotiated suite.
pub fn lookup(suite: CipherSuite) -> Option<&'static SslCipher> {
    CIPHERS.iter().find(|c| c.suite == suite)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_openssl_and_iana() {
        let c = lookup(CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256).unwrap();
        assert_eq!(c.name, c"ECDHE-RSA-AES128-GCM-SHA256");
        assert_eq!(c.standard_name, c"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assert_eq!(c.id(), 0x0300_C02F);
        let t = lookup(CipherSuite::TLS13_AES_256_GCM_SHA384).unwrap();
        assert_eq!(t.standard_name, c"TLS_AES_256_GCM_SHA384");
    }

    #[test]
    fn every_provider_suite_is_described() {
        for s in rustls::crypto::aws_lc_rs::ALL_CIPHER_SUITES {
            assert!(lookup(s.suite()).is_some(), "{:?}", s.suite());
        }
    }
}
