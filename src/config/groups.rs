//! Key-exchange groups (`SSL_CTX_set1_groups_list`, `SSL_CTX_set1_groups`,
//! `SSL_CTX_set_tmp_ecdh`): OpenSSL's names and NIDs for the groups rustls offers.

use std::os::raw::c_int;

use rustls::NamedGroup;

use crate::libcrypto::error_queue as err;

/// A group ferrossl can use: OpenSSL's names for it (matched without regard to case) and its NID.
struct Known {
    group: NamedGroup,
    names: &'static [&'static str],
    nid: c_int,
}

const SUPPORTED: &[Known] = &[
    Known {
        group: NamedGroup::X25519,
        names: &["X25519"],
        nid: 1034,
    },
    Known {
        group: NamedGroup::secp256r1,
        names: &["P-256", "prime256v1", "secp256r1"],
        nid: 415,
    },
    Known {
        group: NamedGroup::secp384r1,
        names: &["P-384", "secp384r1"],
        nid: 715,
    },
    Known {
        group: NamedGroup::X25519MLKEM768,
        names: &["X25519MLKEM768"],
        nid: 0,
    },
];

/// The post-quantum hybrid group of [`DEFAULT`].
pub const HYBRID: NamedGroup = NamedGroup::X25519MLKEM768;

/// The groups a context uses when neither the configuration nor the application set any:
/// the hybrid post-quantum group first, so that a recorded session cannot be decrypted
/// later by a quantum computer, then OpenSSL 3.0's own defaults. A client sends the
/// hybrid share and, for free, its X25519 part as a second share (rustls derives both
/// from one X25519 key), so an OpenSSL 3.0 server still answers without a
/// HelloRetryRequest.
pub const DEFAULT: &[NamedGroup] = &[
    HYBRID,
    NamedGroup::X25519,
    NamedGroup::secp256r1,
    NamedGroup::secp384r1,
];

/// Groups OpenSSL 3 knows but ferrossl does not offer: accepted in a list and skipped.
const UNSUPPORTED_NAMES: &[&str] = &[
    "P-521",
    "secp521r1",
    "X448",
    "P-224",
    "secp224r1",
    "P-192",
    "secp192r1",
    "secp256k1",
    "ffdhe2048",
    "ffdhe3072",
    "ffdhe4096",
    "ffdhe6144",
    "ffdhe8192",
    "brainpoolP256r1",
    "brainpoolP384r1",
    "brainpoolP512r1",
];

/// Parses a `:`-separated group list. Unknown names fail as in OpenSSL
/// (`ERR_R_PASSED_INVALID_ARGUMENT`); so does a list none of whose groups ferrossl offers.
pub fn parse_list(s: &str) -> Option<Vec<NamedGroup>> {
    if s.is_empty() {
        return None;
    }
    let mut out: Vec<NamedGroup> = Vec::new();
    for name in s.split(':') {
        let known = SUPPORTED
            .iter()
            .find(|k| k.names.iter().any(|n| n.eq_ignore_ascii_case(name)));
        match known {
            Some(k) if !out.contains(&k.group) => out.push(k.group),
            Some(_) => {}
            None if UNSUPPORTED_NAMES
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name)) => {}
            None => {
                err::raise_ssl(err::ERR_R_PASSED_INVALID_ARGUMENT);
                return None;
            }
        }
    }
    non_empty(out)
}

/// The groups for a list of NIDs (`SSL_CTX_set1_groups`, `SSL_CTX_set_tmp_ecdh`).
pub fn from_nids(nids: &[c_int]) -> Option<Vec<NamedGroup>> {
    let mut out = Vec::new();
    for &nid in nids {
        match SUPPORTED.iter().find(|k| k.nid == nid && nid != 0) {
            Some(k) if !out.contains(&k.group) => out.push(k.group),
            Some(_) => {}
            None => return None,
        }
    }
    non_empty(out)
}

fn non_empty(groups: Vec<NamedGroup>) -> Option<Vec<NamedGroup>> {
    if groups.is_empty() {
        err::raise_ssl(err::ERR_R_PASSED_INVALID_ARGUMENT);
        return None;
    }
    Some(groups)
}

/// The NID `SSL_get_negotiated_group` reports for a group id: OpenSSL's, or, for a group
/// without one, `TLSEXT_nid_unknown` with the id, as OpenSSL 3.0 does.
pub fn nid_of(id: u16) -> c_int {
    const TLSEXT_NID_UNKNOWN: c_int = 0x0100_0000;
    SUPPORTED
        .iter()
        .find(|k| u16::from(k.group) == id && k.nid != 0)
        .map_or(TLSEXT_NID_UNKNOWN | c_int::from(id), |k| k.nid)
}

/// The group id of a NID as `SSL_get_negotiated_group` gives it (the reverse of
/// [`nid_of`]).
pub fn id_of_nid(nid: c_int) -> Option<u16> {
    const TLSEXT_NID_UNKNOWN: c_int = 0x0100_0000;
    if nid & TLSEXT_NID_UNKNOWN != 0 {
        return u16::try_from(nid & 0xffff).ok();
    }
    SUPPORTED
        .iter()
        .find(|k| k.nid == nid && nid != 0)
        .map(|k| u16::from(k.group))
}

/// OpenSSL's TLS name of a group id.
pub fn tls_name(id: u16) -> Option<&'static std::ffi::CStr> {
    Some(match id {
        0x001d => c"x25519",
        0x0017 => c"secp256r1",
        0x0018 => c"secp384r1",
        0x0019 => c"secp521r1",
        0x001e => c"x448",
        0x11ec => c"X25519MLKEM768",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_nids() {
        assert_eq!(
            parse_list("x25519:P-256"),
            Some(vec![NamedGroup::X25519, NamedGroup::secp256r1])
        );
        assert_eq!(
            parse_list("prime256v1:P-521:secp384r1"),
            Some(vec![NamedGroup::secp256r1, NamedGroup::secp384r1])
        );
        assert_eq!(
            parse_list("X25519MLKEM768"),
            Some(vec![NamedGroup::X25519MLKEM768])
        );
        assert_eq!(
            from_nids(&[1034, 715]),
            Some(vec![NamedGroup::X25519, NamedGroup::secp384r1])
        );
        assert_eq!(from_nids(&[12345]), None);
        assert_eq!(nid_of(0x0017), 415);
        assert_eq!(nid_of(0x11ec), 0x0100_11ec);
    }
}
