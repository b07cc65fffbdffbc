//! pyOpenSSL (Debian's python3-openssl, whose `SSL` module calls libssl through
//! python3-cryptography's `_openssl` bindings) on ferrossl: memory-BIO connections with a
//! verify callback, `set_tlsext_host_name` and a servername callback switching contexts,
//! ALPN, a wrong CA, and socket connections with client certificates (required, so a
//! client without one is refused) and a TLS 1.2 limit. Run with Debian's
//! `/usr/bin/python3`, where python3-openssl lives. The same script prints the same
//! transcript on the system OpenSSL and on ferrossl.

mod support;

use support::*;

#[test]
fn pyopenssl_behaves_as_on_openssl() {
    let (system, ours) = same_script_transcript(
        "/usr/bin/python3",
        "tests/python/pyopenssl.py",
        "servername seen by server: ecdsa.test",
    );
    assert!(
        system.contains("peer did not return a certificate"),
        "{system}"
    );
    assert_eq!(ours, system);
}
