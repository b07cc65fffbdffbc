//! Perl's TLS stack on ferrossl: `IO::Socket::SSL` (over `Net::SSLeay`, which imports 236
//! libssl functions) as a server with SNI-selected certificates, ALPN and client
//! certificates, and as a client with verification, wrong CA and wrong name, TLS 1.2 with
//! a cipher list; `LWP::UserAgent` over HTTPS. The same script prints the same transcript
//! on the system OpenSSL and on ferrossl.

mod support;

use support::*;

#[test]
fn io_socket_ssl_and_lwp_behave_as_on_openssl() {
    let (system, ours) = same_script_transcript(
        "perl",
        "tests/perl/io_socket_ssl.pl",
        "LWP: 200 sni=localhost",
    );
    assert!(system.contains("client=/CN=client"), "{system}");
    assert_eq!(ours, system);
}
