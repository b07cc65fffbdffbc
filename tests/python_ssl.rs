//! Python's `ssl` module (CPython's `_ssl`, linked against libssl.so.3) on ferrossl: the
//! same script prints the same transcript on the system OpenSSL and on ferrossl — a
//! server with an SNI callback switching contexts and ALPN, clients with `set_ciphers`
//! and verification failures, `SSLObject` over memory BIOs, asyncio streams, and keys
//! encrypted with a password.

mod support;

use support::*;

#[test]
fn python_ssl_module_behaves_as_on_openssl() {
    let (system, ours) = same_script_transcript(
        "python3",
        "tests/python/ssl_module.py",
        "asyncio: async hello",
    );
    assert_eq!(ours, system);
}
