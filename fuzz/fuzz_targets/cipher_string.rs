//! The cipher-string parser (OpenSSL's grammar) and the TLS 1.3 suite list: the core
//! parsers directly, then through the C ABI (`SSL_set_cipher_list`, `SSL_get_ciphers`,
//! `SSL_set_ciphersuites`) with the string cut at its first NUL as C would see it.
#![no_main]

use std::ffi::CString;

use ferrossl::ffi::ssl::*;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = ferrossl::config::cipher_string::parse_cipher_list(&text);
    let _ = ferrossl::config::cipher_string::parse_ciphersuites(&text);
    let nul = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let c = CString::new(&data[..nul]).unwrap();
    let ctx = ferrossl_fuzz::client_ctx();
    // SAFETY: live objects and a NUL-terminated string; the connection is freed here.
    unsafe {
        let ssl = SSL_new(ctx);
        SSL_set_cipher_list(ssl, c.as_ptr());
        let list = SSL_get_ciphers(ssl);
        let _ = list;
        SSL_set_ciphersuites(ssl, c.as_ptr());
        SSL_free(ssl);
        openssl_sys::ERR_clear_error();
    }
});
