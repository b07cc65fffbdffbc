//! Ruby 3.1's openssl extension on ferrossl: `OpenSSL::SSL::SSLServer` with ALPN and
//! optional client certificates (its chain built from the trust store, as OpenSSL builds
//! it), `SSLSocket` clients with `max_version`, `ciphers=`, a client certificate, a wrong
//! CA and a wrong name, `min_version`, session reuse, and `Net::HTTP` (and its failure with
//! another CA). The same script prints the same transcript on the system OpenSSL and on
//! ferrossl.

mod support;

use support::*;

#[test]
fn ruby_openssl_behaves_as_on_openssl() {
    let (system, ours) =
        same_script_transcript("ruby", "tests/ruby/openssl_ext.rb", "session reused: true");
    assert!(system.contains("Net::HTTP: 200"), "{system}");
    assert_eq!(ours, system);
}
