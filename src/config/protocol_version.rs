//! Protocol version bounds (`SSL_CTX_set_min_proto_version`, `SSL_OP_NO_TLSv1_x`) and the
//! rustls versions they leave enabled.

use std::os::raw::c_int;

use rustls::SupportedProtocolVersion;

use crate::codes::ssl_constants::*;

/// Whether OpenSSL accepts `v` as a TLS version bound (0 means "no bound").
pub fn is_valid_bound(v: c_int) -> bool {
    matches!(
        v,
        0 | SSL3_VERSION | TLS1_VERSION | TLS1_1_VERSION | TLS1_2_VERSION | TLS1_3_VERSION
    )
}

/// The rustls versions inside `[min, max]` (0 = open) and not switched off by `options`,
/// newest first.
pub fn enabled(
    min: c_int,
    max: c_int,
    options: u64,
    method_version: c_int,
) -> Vec<&'static SupportedProtocolVersion> {
    let in_range = |v: c_int| {
        (min == 0 || v >= min)
            && (max == 0 || v <= max)
            && (method_version == 0 || v == method_version)
    };
    let mut out = Vec::with_capacity(2);
    if in_range(TLS1_3_VERSION) && options & SSL_OP_NO_TLSv1_3 == 0 {
        out.push(&rustls::version::TLS13);
    }
    if in_range(TLS1_2_VERSION) && options & SSL_OP_NO_TLSv1_2 == 0 {
        out.push(&rustls::version::TLS12);
    }
    out
}

/// A version-specific method for a version older than TLS 1.2, which ferrossl does not
/// offer (`TLSv1_method`, `TLSv1_1_server_method`, ...).
pub fn below_tls12(method_version: c_int) -> bool {
    method_version != 0 && method_version < TLS1_2_VERSION
}

/// OpenSSL's name for a negotiated version, as `SSL_get_version` prints it.
pub fn name(v: c_int) -> &'static std::ffi::CStr {
    match v {
        TLS1_3_VERSION => c"TLSv1.3",
        TLS1_2_VERSION => c"TLSv1.2",
        TLS1_1_VERSION => c"TLSv1.1",
        TLS1_VERSION => c"TLSv1",
        SSL3_VERSION => c"SSLv3",
        _ => c"unknown",
    }
}

pub fn wire_value(v: rustls::ProtocolVersion) -> c_int {
    c_int::from(u16::from(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_options_combine() {
        assert_eq!(enabled(0, 0, 0, 0).len(), 2);
        assert_eq!(
            enabled(TLS1_3_VERSION, 0, 0, 0),
            vec![&rustls::version::TLS13]
        );
        assert_eq!(
            enabled(0, TLS1_2_VERSION, 0, 0),
            vec![&rustls::version::TLS12]
        );
        assert_eq!(
            enabled(0, 0, SSL_OP_NO_TLSv1_2, 0),
            vec![&rustls::version::TLS13]
        );
        assert!(enabled(TLS1_3_VERSION, 0, SSL_OP_NO_TLSv1_3, 0).is_empty());
        assert!(enabled(0, TLS1_1_VERSION, 0, 0).is_empty());
        // A version-specific method: only its version, and none for TLS 1.0.
        assert_eq!(
            enabled(0, 0, 0, TLS1_2_VERSION),
            vec![&rustls::version::TLS12]
        );
        assert!(enabled(0, 0, 0, TLS1_VERSION).is_empty());
    }

    #[test]
    fn bound_validity() {
        assert!(is_valid_bound(0));
        assert!(is_valid_bound(TLS1_2_VERSION));
        assert!(!is_valid_bound(0x0305));
        assert!(!is_valid_bound(0xfeff));
    }
}
