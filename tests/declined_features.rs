//! Features ferrossl does not have answer as OpenSSL 3 does without them: setters fail
//! with an error queued, getters report nothing negotiated, and the few helpers that only
//! need what ferrossl knows (`SSL_group_to_name`, `SSL_trace`, `SSL_check_chain`) work.
//! Checked on ferrossl through the Rust API (the system OpenSSL has these features).

use std::ffi::CStr;
use std::ptr::null_mut;

use ferrossl::codes::ssl_constants::*;
use ferrossl::ffi::{absent_features::*, dane::*, init::*, ssl::*, ssl_ctx::*};

extern "C" {
    fn ERR_get_error() -> std::os::raw::c_ulong;
    fn ERR_clear_error();
    fn BIO_new(t: *const std::os::raw::c_void) -> *mut openssl_sys::BIO;
    fn BIO_s_mem() -> *const std::os::raw::c_void;
    fn BIO_read(b: *mut openssl_sys::BIO, buf: *mut u8, len: i32) -> i32;
    fn BIO_free(b: *mut openssl_sys::BIO) -> i32;
}

fn pki(name: &str) -> std::ffi::CString {
    std::ffi::CString::new(format!("{}/tests/pki/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn declined_features_fail_loudly_or_report_nothing() {
    // SAFETY: live objects made here; the functions have OpenSSL's contracts.
    unsafe {
        OPENSSL_init_ssl(0, std::ptr::null());
        let ctx = SSL_CTX_new(TLS_server_method());
        let ssl = SSL_new(ctx);
        ERR_clear_error();
        let calls: [(&str, &dyn Fn() -> i32); 4] = [
            ("SSL_CTX_set_tlsext_max_fragment_length", &|| {
                SSL_CTX_set_tlsext_max_fragment_length(ctx, 1)
            }),
            ("SSL_CTX_enable_ct", &|| SSL_CTX_enable_ct(ctx, 0)),
            ("SSL_CTX_set_srp_strength", &|| {
                SSL_CTX_set_srp_strength(ctx, 1024)
            }),
            ("SSL_CTX_use_serverinfo_file", &|| {
                SSL_CTX_use_serverinfo_file(ctx, c"x".as_ptr())
            }),
        ];
        for (name, call) in calls {
            assert_eq!(call(), 0, "{name}");
            assert_ne!(ERR_get_error(), 0, "{name} queued no error");
            ERR_clear_error();
        }
        assert_eq!(SSL_stateless(ssl), -1);
        assert_ne!(ERR_get_error(), 0);
        // DANE exists, but not before SSL_dane_enable.
        assert_eq!(SSL_dane_tlsa_add(ssl, 3, 1, 1, std::ptr::null(), 0), -1);
        assert_ne!(ERR_get_error(), 0);
        assert!(SSL_get_srp_username(ssl).is_null());
        assert_eq!(SSL_get0_dane_authority(ssl, null_mut(), null_mut()), -1);
        assert_eq!(SSL_ct_is_enabled(ssl), 0);
        ERR_clear_error();
        SSL_free(ssl);
        SSL_CTX_free(ctx);
    }
}

#[test]
fn helpers_that_need_only_what_ferrossl_knows() {
    // SAFETY: as above; the BIO and certificate objects are made and freed here.
    unsafe {
        let name = |id| {
            let p = SSL_group_to_name(null_mut(), id);
            (!p.is_null()).then(|| CStr::from_ptr(p).to_str().unwrap().to_owned())
        };
        // NIDs, as SSL_get_negotiated_group gives them (NID_X25519, NID_X9_62_prime256v1),
        // or TLSEXT_nid_unknown with the group id.
        assert_eq!(name(1034).as_deref(), Some("x25519"));
        assert_eq!(name(415).as_deref(), Some("secp256r1"));
        assert_eq!(name(0x0100_001d).as_deref(), Some("x25519"));
        assert_eq!(name(0x9999), None);

        let bio = BIO_new(BIO_s_mem());
        SSL_trace(
            1,
            0x304,
            0x100,
            [22u8, 3, 1, 0, 200].as_ptr().cast(),
            5,
            null_mut(),
            bio.cast(),
        );
        SSL_trace(
            1,
            0x304,
            22,
            [1u8, 0, 0, 196].as_ptr().cast(),
            4,
            null_mut(),
            bio.cast(),
        );
        let mut buf = [0u8; 512];
        let n = BIO_read(bio, buf.as_mut_ptr(), buf.len() as i32);
        let text = String::from_utf8_lossy(&buf[..n.max(0) as usize]).into_owned();
        assert!(text.contains("Sent Record"), "{text}");
        assert!(
            text.contains("ClientHello, TLS 1.3 (0x304), Length=0"),
            "{text}"
        );
        BIO_free(bio);

        let ctx = SSL_CTX_new(TLS_server_method());
        assert_eq!(
            SSL_CTX_use_certificate_file(ctx, pki("server-ecdsa.pem").as_ptr(), SSL_FILETYPE_PEM),
            1
        );
        assert_eq!(
            SSL_CTX_use_PrivateKey_file(
                ctx,
                pki("server-ecdsa-key.pem").as_ptr(),
                SSL_FILETYPE_PEM
            ),
            1
        );
        let ssl = SSL_new(ctx);
        let (cert, key) = (SSL_CTX_get0_certificate(ctx), SSL_CTX_get0_privatekey(ctx));
        assert_eq!(SSL_check_chain(ssl, cert, key, null_mut()), 0x3);
        // Another certificate's key is not usable with it.
        let other = SSL_CTX_new(TLS_server_method());
        SSL_CTX_use_PrivateKey_file(other, pki("server-rsa-key.pem").as_ptr(), SSL_FILETYPE_PEM);
        assert_eq!(
            SSL_check_chain(ssl, cert, SSL_CTX_get0_privatekey(other), null_mut()),
            0
        );
        SSL_free(ssl);
        SSL_CTX_free(ctx);
        SSL_CTX_free(other);
        ERR_clear_error();
    }
}

/// TLS 1.0 and 1.1 are switched off: their methods make contexts, but a server's handshake
/// answers the ClientHello with a protocol_version alert ("unsupported protocol") and a
/// client's fails before it sends anything ("no protocols available"); DTLS methods are
/// NULL, which `SSL_CTX_new` refuses.
#[test]
fn tls10_and_tls11_methods_fail_their_handshakes() {
    extern "C" {
        fn BIO_new_bio_pair(
            b1: *mut *mut openssl_sys::BIO,
            w1: usize,
            b2: *mut *mut openssl_sys::BIO,
            w2: usize,
        ) -> i32;
        fn ERR_reason_error_string(e: std::os::raw::c_ulong) -> *const std::os::raw::c_char;
        fn ERR_peek_last_error() -> std::os::raw::c_ulong;
    }
    let last_reason = || {
        // SAFETY: libcrypto's static reason strings.
        let r = unsafe { ERR_reason_error_string(ERR_peek_last_error()) };
        let text =
            (!r.is_null()).then(|| unsafe { CStr::from_ptr(r) }.to_string_lossy().into_owned());
        unsafe { ERR_clear_error() };
        text.unwrap_or_default()
    };
    // SAFETY: objects made and freed here; OpenSSL's contracts.
    unsafe {
        OPENSSL_init_ssl(0, std::ptr::null());
        for method in [TLSv1_server_method(), TLSv1_1_server_method()] {
            let sctx = SSL_CTX_new(method);
            assert!(!sctx.is_null());
            SSL_CTX_use_certificate_chain_file(sctx, pki("server-rsa.pem").as_ptr());
            SSL_CTX_use_PrivateKey_file(sctx, pki("server-rsa-key.pem").as_ptr(), SSL_FILETYPE_PEM);
            let cctx = SSL_CTX_new(TLS_client_method());
            let (client, server) = (SSL_new(cctx), SSL_new(sctx));
            let (mut cb, mut sb) = (null_mut(), null_mut());
            BIO_new_bio_pair(&mut cb, 0, &mut sb, 0);
            SSL_set_bio(client, cb.cast(), cb.cast());
            SSL_set_bio(server, sb.cast(), sb.cast());
            assert_eq!(SSL_connect(client), -1);
            assert_eq!(SSL_accept(server), -1);
            assert_eq!(SSL_get_error(server, -1), SSL_ERROR_SSL);
            assert_eq!(last_reason(), "unsupported protocol");
            assert_eq!(SSL_connect(client), -1);
            assert_eq!(last_reason(), "tlsv1 alert protocol version");
            SSL_free(client);
            SSL_free(server);
            SSL_CTX_free(cctx);
            SSL_CTX_free(sctx);
        }
        for method in [TLSv1_client_method(), TLSv1_1_method()] {
            let ctx = SSL_CTX_new(method);
            assert!(!ctx.is_null());
            let ssl = SSL_new(ctx);
            let (mut a, mut b) = (null_mut(), null_mut());
            BIO_new_bio_pair(&mut a, 0, &mut b, 0);
            SSL_set_bio(ssl, a.cast(), a.cast());
            assert_eq!(SSL_connect(ssl), -1);
            assert_eq!(last_reason(), "no protocols available");
            SSL_free(ssl);
            SSL_CTX_free(ctx);
            BIO_free(b);
        }
        for method in [
            DTLS_method(),
            DTLSv1_2_client_method(),
            DTLSv1_server_method(),
        ] {
            assert!(method.is_null());
            assert!(SSL_CTX_new(method).is_null());
            assert_eq!(last_reason(), "null ssl method passed");
        }
    }
}
