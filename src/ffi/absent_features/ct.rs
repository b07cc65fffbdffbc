//! Certificate Transparency: not checked by ferrossl, so never enabled; SCTs are not
//! collected.

use std::os::raw::{c_char, c_int, c_void};

use crate::ffi::{refuse_unsupported, SSL, SSL_CTX};

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_enable_ct(ctx: *mut SSL_CTX, validation_mode: c_int) -> c_int {
    let _ = validation_mode;
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_ctlog_list_file(
    ctx: *mut SSL_CTX,
    path: *const c_char,
) -> c_int {
    let _ = path;
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_ctlog_list_file(ctx: *mut SSL_CTX) -> c_int {
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get0_ctlog_store(ctx: *const SSL_CTX) -> *const c_void {
    let _ = ctx;
    std::ptr::null()
}

/// Certificate Transparency is not checked by ferrossl: never enabled.
#[no_mangle]
pub unsafe extern "C" fn SSL_ct_is_enabled(ssl: *const SSL) -> c_int {
    let _ = ssl;
    0
}

/// No signed certificate timestamps are collected (CT is not checked).
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_peer_scts(ssl: *mut SSL) -> *const c_void {
    let _ = ssl;
    std::ptr::null()
}

/// As `SSL_CTX_enable_ct`: 0 with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_enable_ct(ssl: *mut SSL, validation_mode: c_int) -> c_int {
    let _ = validation_mode;
    refuse_unsupported(ssl, 0)
}

/// Never enabled.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_ct_is_enabled(ctx: *const SSL_CTX) -> c_int {
    let _ = ctx;
    0
}

/// Takes the log store and frees it, since nothing checks SCTs against it.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set0_ctlog_store(ctx: *mut SSL_CTX, logs: *mut c_void) {
    extern "C" {
        fn CTLOG_STORE_free(store: *mut c_void);
    }
    let _ = ctx;
    if !logs.is_null() {
        // SAFETY: a store whose ownership the caller hands over.
        unsafe { CTLOG_STORE_free(logs) }
    }
}

/// Removing the callback (NULL) is accepted; a callback, which would enable CT, is refused
/// with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_ct_validation_callback(
    ctx: *mut SSL_CTX,
    callback: *mut c_void,
    arg: *mut c_void,
) -> c_int {
    let _ = arg;
    if callback.is_null() {
        return crate::ffi::accept_for(ctx);
    }
    refuse_unsupported(ctx, 0)
}

/// As `SSL_CTX_set_ct_validation_callback`.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_ct_validation_callback(
    ssl: *mut SSL,
    callback: *mut c_void,
    arg: *mut c_void,
) -> c_int {
    let _ = arg;
    if callback.is_null() {
        return crate::ffi::accept_for(ssl);
    }
    refuse_unsupported(ssl, 0)
}
