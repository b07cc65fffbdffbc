//! OpenSSL's names for TLS signature schemes: the digest and key-type NIDs that
//! `SSL_get_peer_signature_nid` and `SSL_get_peer_signature_type_nid` report, OpenSSL's
//! order of preference, and its signature-algorithm lists (`SSL_CTX_set1_sigalgs_list`).

use std::os::raw::c_int;

const NID_UNDEF: c_int = 0;
const NID_SHA1: c_int = 64;
const NID_SHA256: c_int = 672;
const NID_SHA384: c_int = 673;
const NID_SHA512: c_int = 674;
const EVP_PKEY_RSA: c_int = 6;
const EVP_PKEY_EC: c_int = 408;
const EVP_PKEY_RSA_PSS: c_int = 912;
const EVP_PKEY_ED25519: c_int = 1087;
const EVP_PKEY_ED448: c_int = 1088;

/// The (digest, signature type) NIDs of a scheme, as OpenSSL's sigalg table has them.
/// Ed25519 and Ed448 hash nothing separately: their digest is `NID_undef`.
pub fn nids(scheme: u16) -> Option<(c_int, c_int)> {
    Some(match scheme {
        0x0201 => (NID_SHA1, EVP_PKEY_RSA),
        0x0401 => (NID_SHA256, EVP_PKEY_RSA),
        0x0501 => (NID_SHA384, EVP_PKEY_RSA),
        0x0601 => (NID_SHA512, EVP_PKEY_RSA),
        0x0203 => (NID_SHA1, EVP_PKEY_EC),
        0x0403 => (NID_SHA256, EVP_PKEY_EC),
        0x0503 => (NID_SHA384, EVP_PKEY_EC),
        0x0603 => (NID_SHA512, EVP_PKEY_EC),
        // rsa_pss_rsae_* and rsa_pss_pss_*: both are RSASSA-PSS signatures.
        0x0804 | 0x0809 => (NID_SHA256, EVP_PKEY_RSA_PSS),
        0x0805 | 0x080a => (NID_SHA384, EVP_PKEY_RSA_PSS),
        0x0806 | 0x080b => (NID_SHA512, EVP_PKEY_RSA_PSS),
        0x0807 => (NID_UNDEF, EVP_PKEY_ED25519),
        0x0808 => (NID_UNDEF, EVP_PKEY_ED448),
        _ => return None,
    })
}

/// OpenSSL 3's default order of the schemes it offers (`tls12_sigalgs`): ECDSA, EdDSA,
/// RSA-PSS, PKCS#1, each by digest from SHA-256 up, SHA-1 last.
const OPENSSL_ORDER: &[u16] = &[
    0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401,
    0x0501, 0x0601, 0x0203, 0x0201,
];

/// Puts the schemes we offer in OpenSSL's order, so a peer that picks by our preference
/// (or by the first it supports) picks what it would pick with OpenSSL.
pub fn sort_as_openssl(schemes: &mut [rustls::SignatureScheme]) {
    schemes.sort_by_key(|s| {
        let id = u16::from(*s);
        OPENSSL_ORDER
            .iter()
            .position(|o| *o == id)
            .unwrap_or(OPENSSL_ORDER.len())
    });
}

/// OpenSSL's TLS 1.3-style names for the schemes it knows.
const NAMES: &[(&str, u16)] = &[
    ("ecdsa_secp256r1_sha256", 0x0403),
    ("ecdsa_secp384r1_sha384", 0x0503),
    ("ecdsa_secp521r1_sha512", 0x0603),
    ("ecdsa_sha1", 0x0203),
    ("ed25519", 0x0807),
    ("ed448", 0x0808),
    ("rsa_pss_rsae_sha256", 0x0804),
    ("rsa_pss_rsae_sha384", 0x0805),
    ("rsa_pss_rsae_sha512", 0x0806),
    ("rsa_pss_pss_sha256", 0x0809),
    ("rsa_pss_pss_sha384", 0x080a),
    ("rsa_pss_pss_sha512", 0x080b),
    ("rsa_pkcs1_sha256", 0x0401),
    ("rsa_pkcs1_sha384", 0x0501),
    ("rsa_pkcs1_sha512", 0x0601),
    ("rsa_pkcs1_sha1", 0x0201),
];

/// Parses an OpenSSL signature-algorithm list: `:`-separated entries, each a scheme's
/// name (`rsa_pss_rsae_sha256`) or `SIGNATURE+HASH` (`RSA+SHA256`, `RSA-PSS+SHA384` or
/// `PSS+...`, which name both PSS variants, `ECDSA+SHA256`). An unknown or repeated entry
/// fails the whole list, as in OpenSSL.
pub fn parse_list(list: &str) -> Option<Vec<u16>> {
    let mut out: Vec<u16> = Vec::new();
    for entry in list.split(':') {
        let found: Vec<u16> = match entry.split_once('+') {
            None => vec![NAMES.iter().find(|(n, _)| *n == entry)?.1],
            Some((sig, hash)) => {
                let key_type = match sig {
                    "RSA" => EVP_PKEY_RSA,
                    "RSA-PSS" | "PSS" => EVP_PKEY_RSA_PSS,
                    "ECDSA" => EVP_PKEY_EC,
                    _ => return None,
                };
                let digest = match hash {
                    "SHA1" => NID_SHA1,
                    "SHA256" => NID_SHA256,
                    "SHA384" => NID_SHA384,
                    "SHA512" => NID_SHA512,
                    _ => return None,
                };
                let matching: Vec<u16> = NAMES
                    .iter()
                    .map(|(_, id)| *id)
                    .filter(|id| nids(*id) == Some((digest, key_type)))
                    .collect();
                if matching.is_empty() {
                    return None;
                }
                matching
            }
        };
        for id in found {
            if out.contains(&id) {
                return None;
            }
            out.push(id);
        }
    }
    Some(out)
}

/// Keeps, of `schemes`, those `allowed` names, in `allowed`'s order.
pub fn restrict(
    schemes: &[rustls::SignatureScheme],
    allowed: &[u16],
) -> Vec<rustls::SignatureScheme> {
    allowed
        .iter()
        .filter_map(|a| schemes.iter().copied().find(|s| u16::from(*s) == *a))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_digest_and_key_type() {
        assert_eq!(super::nids(0x0804), Some((672, 912)));
        assert_eq!(super::nids(0x0403), Some((672, 408)));
        assert_eq!(super::nids(0x0807), Some((0, 1087)));
        assert_eq!(super::nids(0x1234), None);
    }

    #[test]
    fn parses_openssls_lists() {
        assert_eq!(
            super::parse_list("RSA+SHA256:ecdsa_secp384r1_sha384"),
            Some(vec![0x0401, 0x0503])
        );
        assert_eq!(
            super::parse_list("RSA-PSS+SHA256"),
            Some(vec![0x0804, 0x0809])
        );
        assert_eq!(super::parse_list("ed25519"), Some(vec![0x0807]));
        assert_eq!(super::parse_list("RSA+MD5"), None);
        assert_eq!(super::parse_list("nonsense"), None);
        assert_eq!(super::parse_list("ed25519:ed25519"), None);
        assert_eq!(super::parse_list(""), None);
    }

    #[test]
    fn orders_as_openssl() {
        use rustls::SignatureScheme as S;
        let mut s = vec![
            S::RSA_PSS_SHA512,
            S::ED25519,
            S::RSA_PSS_SHA256,
            S::ECDSA_NISTP384_SHA384,
        ];
        super::sort_as_openssl(&mut s);
        assert_eq!(
            s,
            [
                S::ECDSA_NISTP384_SHA384,
                S::ED25519,
                S::RSA_PSS_SHA256,
                S::RSA_PSS_SHA512
            ]
        );
    }
}
