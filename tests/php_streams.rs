//! PHP 8.2's TLS streams on ferrossl (ext/openssl): `file_get_contents('https://…')` with
//! `cafile` and `verify_peer_name` (success, wrong CA, wrong name, with OpenSSL's error
//! text), a `tls://` server and a plain server upgraded with
//! `stream_socket_enable_crypto`, `crypto_method` limited to TLS 1.2, and
//! `capture_peer_cert`. The same script prints the same transcript on the system OpenSSL
//! and on ferrossl.

mod support;

use support::*;

#[test]
fn php_streams_behave_as_on_openssl() {
    let (system, ours) =
        same_script_transcript("php", "tests/php/streams.php", "STARTTLS upgrade: on");
    assert!(system.contains("certificate verify failed"), "{system}");
    assert_eq!(ours, system);
}
