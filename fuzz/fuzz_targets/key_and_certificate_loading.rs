//! Certificate and key loading from PEM and DER: the files a server is pointed at
//! (`SSL_CTX_use_certificate_chain_file`, `..._PrivateKey_file`, client CA files) and the
//! in-memory ASN.1 forms. The input is written to an anonymous file (memfd) per run.
#![no_main]

use std::os::raw::c_int;

use ferrossl::ffi::client_ca_list::*;
use ferrossl::ffi::init::*;
use ferrossl::ffi::ssl_ctx::*;

const PEM: c_int = 1;
const ASN1: c_int = 2;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // SAFETY: the memfd and context live until the end of this block; `data` is readable.
    unsafe {
        let fd = libc::memfd_create(c"fuzz-input".as_ptr(), 0);
        assert!(fd >= 0);
        assert_eq!(
            libc::write(fd, data.as_ptr().cast(), data.len()),
            data.len() as isize
        );
        let path = std::ffi::CString::new(format!("/proc/self/fd/{fd}")).unwrap();
        let ctx = SSL_CTX_new(TLS_server_method());
        SSL_CTX_use_certificate_chain_file(ctx, path.as_ptr());
        SSL_CTX_use_certificate_file(ctx, path.as_ptr(), ASN1);
        SSL_CTX_use_PrivateKey_file(ctx, path.as_ptr(), PEM);
        SSL_CTX_use_PrivateKey_file(ctx, path.as_ptr(), ASN1);
        SSL_CTX_use_certificate_ASN1(ctx, data.len() as c_int, data.as_ptr());
        for key_type in [6, 408, 1087] {
            // EVP_PKEY_RSA, EVP_PKEY_EC, EVP_PKEY_ED25519
            SSL_CTX_use_PrivateKey_ASN1(key_type, ctx, data.as_ptr(), data.len() as _);
        }
        SSL_CTX_check_private_key(ctx);
        let names = SSL_load_client_CA_file(path.as_ptr());
        if !names.is_null() {
            SSL_CTX_set_client_CA_list(ctx, names);
        }
        SSL_CTX_free(ctx);
        libc::close(fd);
        openssl_sys::ERR_clear_error();
    }
});
