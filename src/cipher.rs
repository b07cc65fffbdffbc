//! The cipher suites ferrossl negotiates, described as OpenSSL's `SSL_CIPHER` objects.

use std::ffi::CStr;
use std::os::raw::c_int;

use rustls::CipherSuite;

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
}

impl SslCipher {
    /// OpenSSL's cipher id: 0x0300 followed by the two IANA bytes.
    pub fn id(&self) -> u32 {
        0x0300_0000 | u32::from(u16::from(self.suite))
    }
}

macro_rules! suite {
    ($suite:ident, $name:literal, $standard:literal, $version:literal, $bits:literal) => {
        SslCipher {
            suite: CipherSuite::$suite,
            name: $name,
            standard_name: $standard,
            version: $version,
            bits: $bits,
        }
    };
}

pub static CIPHERS: [SslCipher; 9] = [
    suite!(
        TLS13_AES_256_GCM_SHA384,
        c"TLS_AES_256_GCM_SHA384",
        c"TLS_AES_256_GCM_SHA384",
        c"TLSv1.3",
        256
    ),
    suite!(
        TLS13_CHACHA20_POLY1305_SHA256,
        c"TLS_CHACHA20_POLY1305_SHA256",
        c"TLS_CHACHA20_POLY1305_SHA256",
        c"TLSv1.3",
        256
    ),
    suite!(
        TLS13_AES_128_GCM_SHA256,
        c"TLS_AES_128_GCM_SHA256",
        c"TLS_AES_128_GCM_SHA256",
        c"TLSv1.3",
        128
    ),
    suite!(
        TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        c"ECDHE-ECDSA-AES256-GCM-SHA384",
        c"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        c"TLSv1.2",
        256
    ),
    suite!(
        TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        c"ECDHE-RSA-AES256-GCM-SHA384",
        c"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        c"TLSv1.2",
        256
    ),
    suite!(
        TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        c"ECDHE-ECDSA-CHACHA20-POLY1305",
        c"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        c"TLSv1.2",
        256
    ),
    suite!(
        TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        c"ECDHE-RSA-CHACHA20-POLY1305",
        c"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        c"TLSv1.2",
        256
    ),
    suite!(
        TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        c"ECDHE-ECDSA-AES128-GCM-SHA256",
        c"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        c"TLSv1.2",
        128
    ),
    suite!(
        TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        c"ECDHE-RSA-AES128-GCM-SHA256",
        c"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        c"TLSv1.2",
        128
    ),
];

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
