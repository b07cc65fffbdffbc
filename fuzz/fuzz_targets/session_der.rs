//! `d2i_SSL_SESSION` on arbitrary bytes; what it accepts is serialised again, read
//! through the getters, printed, and offered to a connection for resumption (a client's
//! first flight written with it).
#![no_main]

use std::ptr;

use ferrossl::ffi::ssl::*;
use ferrossl::ffi::ssl_session::*;

extern "C" {
    // libcrypto's; openssl-sys does not declare it.
    fn BIO_free(bio: *mut openssl_sys::BIO) -> std::os::raw::c_int;
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // SAFETY: `data` is readable for its length; every object made here is freed here.
    unsafe {
        let mut p = data.as_ptr();
        let sess = d2i_SSL_SESSION(ptr::null_mut(), &mut p, data.len() as _);
        if sess.is_null() {
            openssl_sys::ERR_clear_error();
            return;
        }
        let len = i2d_SSL_SESSION(sess, ptr::null_mut());
        let mut der = vec![0u8; len.max(0) as usize];
        let mut out = der.as_mut_ptr();
        assert_eq!(i2d_SSL_SESSION(sess, &mut out), len);
        let mut id_len = 0;
        SSL_SESSION_get_id(sess, &mut id_len);
        SSL_SESSION_get_time(sess);
        SSL_SESSION_get_timeout(sess);
        SSL_SESSION_get_protocol_version(sess);
        SSL_SESSION_get0_cipher(sess);
        SSL_SESSION_is_resumable(sess);
        SSL_SESSION_has_ticket(sess);
        let bio = openssl_sys::BIO_new(openssl_sys::BIO_s_mem());
        SSL_SESSION_print(bio, sess);
        BIO_free(bio);
        for ctx in [ferrossl_fuzz::client_ctx(), ferrossl_fuzz::server_ctx()] {
            let ssl = SSL_new(ctx);
            SSL_set_session(ssl, sess);
            SSL_free(ssl);
        }
        // A client binds a read-back session to its config as its handshake starts.
        let ssl = SSL_new(ferrossl_fuzz::client_ctx());
        SSL_set_session(ssl, sess);
        let (rbio, wbio) = (
            openssl_sys::BIO_new(openssl_sys::BIO_s_mem()),
            openssl_sys::BIO_new(openssl_sys::BIO_s_mem()),
        );
        SSL_set_bio(ssl, rbio, wbio);
        SSL_connect(ssl);
        SSL_free(ssl);
        SSL_SESSION_free(sess);
        openssl_sys::ERR_clear_error();
    }
});
