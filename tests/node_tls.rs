//! Node.js 18 (Debian's `nodejs` with `libnode108`, unpacked by `tools/debian-node18`,
//! since /usr/bin/node may be a Node 20 with its own OpenSSL) on ferrossl: `https.get`
//! with the right CA, a wrong CA, a wrong name and no CA (the same `err.code` as on
//! OpenSSL), `tls.createServer` with an asynchronous `SNICallback` switching to an ECDSA
//! context, ALPN, `requestCert`, `getPeerCertificate`, `getCipher`, `getProtocol`,
//! session reuse from the `session` event's bytes (`isSessionReused()`), and the
//! `keylog` event on both sides. The same script prints the same transcript on the system
//! OpenSSL and on ferrossl.

mod support;

use std::path::Path;

use support::*;

const NODE18: &str = "/opt/debian-node18/usr";

#[test]
fn node18_tls_and_https_behave_as_on_openssl() {
    let node = format!("{NODE18}/bin/node");
    assert!(
        Path::new(&node).exists(),
        "{node} is missing: run tools/debian-node18 (as .ci/run does)"
    );
    let libnode = format!("{NODE18}/lib/x86_64-linux-gnu");
    let (system, ours) = same_script_transcript_with_libs(
        &node,
        "tests/node/tls.js",
        "tls SNI ecdsa.test: TLSv1.3",
        &[Path::new(&libnode)],
    );
    assert_says_all(
        &system,
        &[
            "https wrong CA: error SELF_SIGNED_CERT_IN_CHAIN",
            "https wrong name: error ERR_TLS_CERT_ALTNAME_INVALID",
            "reused=true",
            "client key log labels: CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        ],
    );
    assert_eq!(ours, system);
}
