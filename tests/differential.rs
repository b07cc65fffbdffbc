//! The same C program, compiled once against the system headers, prints the same
//! transcript on the system libssl and on ferrossl: return values, SSL_get_error codes,
//! verify results, version and cipher names, error reasons.

mod support;

use support::*;

fn same_transcript(scenario: &str) {
    same_transcript_of("tests/c/probe.c", scenario);
}

/// The same for a scenario of another probe program.
fn same_transcript_of(program: &str, scenario: &str) {
    let probe = compile(program, false);
    let pki_dir = root().join("tests/pki").to_string_lossy().into_owned();
    let run = |lib| {
        let mut cmd = c_command(&probe, lib);
        cmd.args([scenario, &pki_dir]);
        let out = run_bounded(cmd, 30);
        assert!(
            out.status.success(),
            "probe {scenario} on {lib:?} failed:\n{}",
            text(&out)
        );
        text(&out)
    };
    let system = run(Lib::System);
    let ours = run(Lib::Ferrossl);
    assert!(!system.trim().is_empty(), "the probe printed nothing");
    assert_eq!(
        ours, system,
        "scenario {scenario}: ferrossl (left) differs from the system OpenSSL (right)"
    );
}

#[test]
fn context_and_connection_defaults() {
    same_transcript("defaults");
}

#[test]
fn tls13_rsa_exchange_and_shutdown() {
    same_transcript("tls13-rsa");
}

#[test]
fn tls12_rsa_chain_exchange_and_shutdown() {
    same_transcript("tls12-rsa");
}

#[test]
fn tls13_ecdsa_exchange() {
    same_transcript("tls13-ecdsa");
}

#[test]
fn tls12_ecdsa_exchange() {
    same_transcript("tls12-ecdsa");
}

#[test]
fn verification_results_and_failures() {
    same_transcript("verify");
}

#[test]
fn bad_files_and_keys() {
    same_transcript("bad-files");
}

#[test]
fn peer_hangs_up_mid_handshake() {
    same_transcript("hangup");
}

#[test]
fn peer_sends_garbage() {
    same_transcript("garbage");
}

#[test]
fn nonblocking_write_retry_and_partial_writes() {
    same_transcript("write-retry");
}

#[test]
fn threads_share_one_client_and_one_server_context() {
    same_transcript("threads");
}

#[test]
fn contexts_freed_while_connections_use_them() {
    same_transcript("ctx-freed-early");
}

#[test]
fn verify_callbacks_see_the_chain_and_can_override() {
    same_transcript("verify-callback");
}

#[test]
fn anchors_added_to_the_contexts_store_are_trusted() {
    same_transcript("store-anchor");
}

#[test]
fn custom_bio_failure_is_a_syscall_error() {
    same_transcript("custom-bio");
}

#[test]
fn write_retry_with_a_moved_buffer() {
    same_transcript("moving-buffer");
}

#[test]
fn cipher_strings_follow_openssls_grammar() {
    same_transcript("cipher-strings");
}

#[test]
fn handshakes_restricted_by_cipher_lists() {
    same_transcript("restricted");
}

#[test]
fn auto_retry_mode_and_post_handshake_records() {
    same_transcript("auto-retry");
}

#[test]
fn client_sessions_resume() {
    same_transcript("sessions");
}

#[test]
fn server_configuration_calls() {
    same_transcript("server-config");
}

#[test]
fn server_session_cache_and_callbacks() {
    same_transcript("server-sessions");
}

#[test]
fn server_certificate_callback() {
    same_transcript("cert-cb");
}

#[test]
fn application_ticket_keys() {
    same_transcript("ticket-keys");
}

#[test]
fn rsa_and_ecdsa_certificates_side_by_side() {
    same_transcript("two-certs");
}

#[test]
fn error_queue_hygiene() {
    same_transcript("error-queue");
}

/// The peer's temporary key and signature scheme, and both Finished messages (each side's
/// own against the peer's copy, and, with the message callback on, against the message
/// bytes received), over TLS 1.3 and 1.2, six suites, full and resumed handshakes.
#[test]
fn peer_keys_signatures_and_finished_messages() {
    same_transcript("handshake-details");
}

/// Signature-algorithm lists (`SSL_CTX_set1_sigalgs_list`, the client list, and their
/// `SSL_CONF_cmd` names): which lists are taken, and what each side then signs with,
/// including a handshake that fails for want of a common scheme.
#[test]
fn signature_algorithm_lists() {
    same_transcript("sigalgs");
}

// ---- the functions the second wave of programs imports (tests/c/api_probe.c) ----

/// Method objects and the settings a connection reports: `SSL_CTX_set_ssl_version`,
/// `SSL_get_ssl_method`, `SSL_client_version`, verify depth, tickets, early-data limits,
/// `SSL_extension_supported`, the pending cipher and the signature types.
#[test]
fn methods_and_connection_settings() {
    same_transcript_of("tests/c/api_probe.c", "methods");
}

/// `SSL_SESSION_dup`, `set_time`, `set1_hostname`, ALPN, PEM over `FILE *`, resumption
/// with a copy, `SSL_copy_session_id`, `SSL_dup`, `SSL_CTX_sessions` and
/// `SSL_CTX_flush_sessions` with the remove callback.
#[test]
fn session_functions() {
    same_transcript_of("tests/c/api_probe.c", "sessions");
}

/// `SSL_CTX_set_cert_verify_callback` accepting and refusing a chain, and the client
/// certificate chosen during the handshake by `SSL_CTX_set_client_cert_cb` and
/// `SSL_set_cert_cb` from the server's CA names (its CA list when it has no client CA
/// list), over TLS 1.2 and 1.3.
#[test]
fn verify_and_client_certificate_callbacks() {
    same_transcript_of("tests/c/api_probe.c", "callbacks");
}

/// `SSL_CTX_use_cert_and_key` (mismatch, no override, override), the RSA key loaders,
/// `SSL_certs_clear`, and walking and selecting the current certificate
/// (`SSL_CTX_set_current_cert`, `SSL_CTX_select_current_cert`) as Apache's stapling does.
#[test]
fn certificate_and_key_loaders() {
    same_transcript_of("tests/c/api_probe.c", "cert-and-key");
}

/// DANE: bad TLSA records and their reasons, DANE-EE and DANE-TA matches (depth, record,
/// certificate), a wrong digest and a wrong name failing verification.
#[test]
fn dane_tlsa_records() {
    same_transcript_of("tests/c/api_probe.c", "dane");
}

/// `BIO_new_ssl` on both sides of a BIO pair, data through the BIOs,
/// `BIO_ssl_copy_session_id`, and the `BIO_new_ssl_connect` chains.
#[test]
fn ssl_bio_constructors() {
    same_transcript_of("tests/c/api_probe.c", "bio-ssl");
}

/// CA lists (`SSL_CTX_set0_CA_list`, `add1_to_CA_list`, `SSL_add_client_CA`, store URIs)
/// and `SSL_CONF_cmd_argv` with prefixes.
#[test]
fn ca_lists_and_conf_argv() {
    same_transcript_of("tests/c/api_probe.c", "ca-lists");
}
