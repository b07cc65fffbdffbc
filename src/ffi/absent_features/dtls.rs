//! DTLS, its stateless cookies and SRTP: ferrossl speaks TLS only.

use std::os::raw::{c_char, c_int, c_void};

use crate::ffi::{refuse_unsupported, SSL, SSL_CTX};
use crate::libcrypto::error_queue as err;

/// The cookie callbacks serve DTLS and stateless TLS 1.3 servers: kept, never called.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_cookie_generate_cb(ctx: *mut SSL_CTX, cb: *mut c_void) {
    let _ = (ctx, cb);
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_cookie_verify_cb(ctx: *mut SSL_CTX, cb: *mut c_void) {
    let _ = (ctx, cb);
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_stateless_cookie_generate_cb(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) {
    let _ = (ctx, cb);
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_stateless_cookie_verify_cb(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) {
    let _ = (ctx, cb);
}

/// Stateless HelloRetryRequests are not offered: -1, the failure value.
#[no_mangle]
pub unsafe extern "C" fn SSL_stateless(ssl: *mut SSL) -> c_int {
    refuse_unsupported(ssl, -1)
}

/// DTLS is not implemented: -1.
#[no_mangle]
pub unsafe extern "C" fn DTLSv1_listen(ssl: *mut SSL, client: *mut c_void) -> c_int {
    let _ = client;
    refuse_unsupported(ssl, -1)
}

/// No SRTP profile is ever selected (SRTP is DTLS's, which ferrossl does not do).
#[no_mangle]
pub unsafe extern "C" fn SSL_get_selected_srtp_profile(ssl: *mut SSL) -> *mut c_void {
    let _ = ssl;
    std::ptr::null_mut()
}

/// SRTP (DTLS only) is not implemented: 1, this function's failure value, with
/// `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_tlsext_use_srtp(
    ctx: *mut SSL_CTX,
    profiles: *const c_char,
) -> c_int {
    ffi_guard!(1, {
        try_ref!(ctx, 1);
        let _ = profiles;
        err::raise_ssl(err::ERR_R_UNSUPPORTED);
        1
    })
}

/// No DTLS connection, so no MTU: 0, as OpenSSL answers for a TLS one.
#[no_mangle]
pub unsafe extern "C" fn DTLS_get_data_mtu(ssl: *const SSL) -> usize {
    let _ = ssl;
    0
}

/// The DTLS retransmission timer: kept, never called (no DTLS).
#[no_mangle]
pub unsafe extern "C" fn DTLS_set_timer_cb(ssl: *mut SSL, cb: *mut c_void) {
    let _ = (ssl, cb);
}

/// As `SSL_CTX_set_tlsext_use_srtp`: 1, this function's failure value.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_tlsext_use_srtp(ssl: *mut SSL, profiles: *const c_char) -> c_int {
    ffi_guard!(1, {
        try_ref!(ssl, 1);
        let _ = profiles;
        err::raise_ssl(err::ERR_R_UNSUPPORTED);
        1
    })
}

/// No SRTP profiles are configured: NULL.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_srtp_profiles(ssl: *mut SSL) -> *mut c_void {
    let _ = ssl;
    std::ptr::null_mut()
}
