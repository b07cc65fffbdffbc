//! NULL and out-of-range arguments get an error, never a crash (OpenSSL itself would
//! often crash here, so these are checked on ferrossl alone, through the Rust API).

use std::ptr::null_mut;

use ferrossl::codes::ssl_constants::*;
use ferrossl::ffi::{ctrl::*, init::*, ssl::*, ssl_cipher::*, ssl_ctx::*};

extern "C" {
    fn ERR_get_error() -> std::os::raw::c_ulong;
    fn ERR_clear_error();
}

#[test]
fn null_pointers_fail_with_an_error() {
    // SAFETY: NULL is what is being tested; ferrossl must reject it, not dereference it.
    unsafe { null_pointers() }
}

unsafe fn null_pointers() {
    unsafe { ERR_clear_error() };
    assert!(SSL_CTX_new(std::ptr::null()).is_null());
    assert_ne!(unsafe { ERR_get_error() }, 0);
    assert!(SSL_new(null_mut()).is_null());
    assert_eq!(SSL_connect(null_mut()), -1);
    assert_eq!(SSL_read(null_mut(), null_mut(), 10), -1);
    assert_eq!(SSL_write(null_mut(), std::ptr::null(), 10), -1);
    assert_eq!(SSL_get_error(null_mut(), -1), SSL_ERROR_SSL);
    assert_eq!(
        SSL_CTX_use_certificate_file(null_mut(), null_mut(), SSL_FILETYPE_PEM),
        0
    );
    assert_eq!(SSL_CTX_ctrl(null_mut(), SSL_CTRL_MODE, 0, null_mut()), 0);
    assert_eq!(SSL_CIPHER_get_bits(std::ptr::null(), null_mut()), 0);
    SSL_free(null_mut());
    SSL_CTX_free(null_mut());
    unsafe { ERR_clear_error() };
}

#[test]
fn bad_arguments_on_live_objects() {
    // SAFETY: live objects from ferrossl itself, with bad non-pointer arguments.
    unsafe { bad_arguments() }
}

unsafe fn bad_arguments() {
    assert_eq!(OPENSSL_init_ssl(0, std::ptr::null()), 1);
    let ctx = SSL_CTX_new(TLS_client_method());
    assert!(!ctx.is_null());
    let ssl = SSL_new(ctx);
    assert!(!ssl.is_null());
    assert_eq!(
        SSL_CTX_use_certificate_file(ctx, null_mut(), SSL_FILETYPE_PEM),
        0
    );
    assert_eq!(SSL_read(ssl, null_mut(), -5), -1);
    assert_eq!(SSL_write(ssl, std::ptr::null(), -1), -1);
    assert_eq!(SSL_set_alpn_protos(ssl, b"\x09h2".as_ptr(), 3), 1);
    // No BIO set: a connect fails with an error rather than touching a NULL BIO.
    SSL_set_connect_state(ssl);
    assert_eq!(SSL_do_handshake(ssl), -1);
    assert_eq!(SSL_get_error(ssl, -1), SSL_ERROR_SSL);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    unsafe { ERR_clear_error() };
}
