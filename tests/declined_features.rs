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
        let calls: [(&str, &dyn Fn() -> i32); 5] = [
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
            ("SSL_CTX_config", &|| {
                SSL_CTX_config(ctx, c"system_default".as_ptr())
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
        assert_eq!(name(0x1d).as_deref(), Some("x25519"));
        assert_eq!(name(0x17).as_deref(), Some("secp256r1"));
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
