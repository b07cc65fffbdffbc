//! Verifying the peer (`SSL_set_verify`, `SSL_set1_host`, `SSL_get_verify_result`) and
//! the certificates it presented (`SSL_get1_peer_certificate`, `SSL_get0_verified_chain`).

use std::ffi::CStr;
use std::os::raw::{c_char, c_int, c_long, c_uint};

use openssl_sys::{stack_st_X509, X509, X509_VERIFY_PARAM};

use crate::ffi::ssl_ctx::SslVerifyCb;
use crate::ffi::SSL;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::store::VerifyCallback;

#[no_mangle]
pub unsafe extern "C" fn SSL_set_verify(ssl: *mut SSL, mode: c_int, callback: SslVerifyCb) {
    ffi_guard!((), {
        let mut conn = try_conn!(ssl, ());
        conn.settings.verify_mode = mode;
        if callback.is_some() {
            conn.settings.verify_callback = callback.map(VerifyCallback::new);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_verify_mode(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { try_conn!(ssl, 0).settings.verify_mode })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_verify_depth(ssl: *mut SSL, depth: c_int) {
    ffi_guard!((), { try_conn!(ssl, ()).param.set_depth(depth) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get0_param(ssl: *mut SSL) -> *mut X509_VERIFY_PARAM {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut()).param.as_ptr()
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set1_host(ssl: *mut SSL, hostname: *const c_char) -> c_int {
    ffi_guard!(0, {
        let conn = try_conn!(ssl, 0);
        let host = if hostname.is_null() {
            None
        } else {
            // SAFETY: a non-NULL C string from the caller.
            Some(unsafe { CStr::from_ptr(hostname) }.to_bytes())
        };
        c_int::from(conn.param.set_host(host))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_verify_result(ssl: *const SSL) -> c_long {
    ffi_guard!(0, { try_conn!(ssl, 0).verify_result })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_verify_result(ssl: *mut SSL, result: c_long) {
    ffi_guard!((), { try_conn!(ssl, ()).verify_result = result })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get1_peer_certificate(ssl: *const SSL) -> *mut X509 {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut())
            .peer_certificate()
            .map_or(std::ptr::null_mut(), |c| c.to_owned_ptr())
    })
}

/// The peer's certificate, still owned by the connection.
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_peer_certificate(ssl: *const SSL) -> *mut X509 {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut())
            .peer_certificate()
            .map_or(std::ptr::null_mut(), |c| c.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_peer_cert_chain(ssl: *const SSL) -> *mut stack_st_X509 {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut())
            .peer_cert_chain()
            .map_or(std::ptr::null_mut(), |s| s.as_ptr())
    })
}

/// The `X509_STORE_CTX` ex_data index at which a verify callback finds the `SSL *`.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_ex_data_X509_STORE_CTX_idx() -> c_int {
    ffi_guard!(-1, { crate::libcrypto::store::ssl_ex_index() })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_verify_callback(ssl: *const SSL) -> SslVerifyCb {
    ffi_guard!(None, {
        try_conn!(ssl, None)
            .settings
            .verify_callback
            .map(VerifyCallback::function)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get0_verified_chain(ssl: *const SSL) -> *mut stack_st_X509 {
    ffi_guard!(std::ptr::null_mut(), {
        let conn = try_conn!(ssl, std::ptr::null_mut());
        let chain = conn
            .verified_chain()
            .map_or(std::ptr::null_mut(), |c| c.as_ptr());
        chain
    })
}

/// The connection's verification depth limit (-1: libcrypto's default).
#[no_mangle]
pub unsafe extern "C" fn SSL_get_verify_depth(ssl: *const SSL) -> c_int {
    ffi_guard!(-1, { try_conn!(ssl, -1).param.depth() })
}

/// Copies every value of `vpm` into the connection's parameters.
#[no_mangle]
pub unsafe extern "C" fn SSL_set1_param(ssl: *mut SSL, vpm: *mut X509_VERIFY_PARAM) -> c_int {
    ffi_guard!(0, {
        let conn = try_conn!(ssl, 0);
        if vpm.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        // SAFETY: vpm is a live parameter set from the caller.
        c_int::from(unsafe { conn.param.set_from(vpm) })
    })
}

/// `X509_CHECK_FLAG_*` for the names `SSL_set1_host`/`SSL_add1_host` give.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_hostflags(ssl: *mut SSL, flags: c_uint) {
    ffi_guard!((), { try_conn!(ssl, ()).param.set_hostflags(flags) })
}

/// Adds a name the peer's certificate may match (any of them will do).
#[no_mangle]
pub unsafe extern "C" fn SSL_add1_host(ssl: *mut SSL, hostname: *const c_char) -> c_int {
    ffi_guard!(0, {
        let conn = try_conn!(ssl, 0);
        // SAFETY: NULL or a C string from the caller.
        let host = (!hostname.is_null()).then(|| unsafe { CStr::from_ptr(hostname) }.to_bytes());
        c_int::from(conn.param.add_host(host))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_purpose(ssl: *mut SSL, purpose: c_int) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_conn!(ssl, 0).param.set_purpose(purpose))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_trust(ssl: *mut SSL, trust: c_int) -> c_int {
    ffi_guard!(0, { c_int::from(try_conn!(ssl, 0).param.set_trust(trust)) })
}
