//! The security callback and what it is given, and the signature algorithms the peer
//! offered (which rustls does not report).

use std::os::raw::{c_int, c_uchar, c_void};

use crate::ffi::{SSL, SSL_CTX};

/// Kept, never called: ferrossl applies its security level itself (it offers nothing a
/// level 2 forbids).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_security_callback(ctx: *mut SSL_CTX, cb: *mut c_void) {
    let _ = (ctx, cb);
}

/// See `SSL_CTX_set_security_callback`.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_security_callback(ssl: *mut SSL, cb: *mut c_void) {
    let _ = (ssl, cb);
}

/// No security callback is called, so none is reported.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_security_callback(ctx: *const SSL_CTX) -> *mut c_void {
    let _ = ctx;
    std::ptr::null_mut()
}

/// Kept for `SSL_CTX_get0_security_ex_data` and handed to each new connection.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set0_security_ex_data(ctx: *mut SSL_CTX, ex: *mut c_void) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().security_ex_data = ex as usize
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get0_security_ex_data(ctx: *const SSL_CTX) -> *mut c_void {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ctx, std::ptr::null_mut())
            .settings()
            .security_ex_data as *mut c_void
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set0_security_ex_data(ssl: *mut SSL, ex: *mut c_void) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.security_ex_data = ex as usize
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get0_security_ex_data(ssl: *const SSL) -> *mut c_void {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut())
            .settings
            .security_ex_data as *mut c_void
    })
}

/// As `SSL_CTX_get_security_callback`: none is called, so none is reported.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_security_callback(ssl: *const SSL) -> *mut c_void {
    let _ = ssl;
    std::ptr::null_mut()
}

/// The signature algorithms the peer offered are not reported by rustls: 0 of them.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_sigalgs(
    ssl: *mut SSL,
    idx: c_int,
    psign: *mut c_int,
    phash: *mut c_int,
    psignhash: *mut c_int,
    rsig: *mut c_uchar,
    rhash: *mut c_uchar,
) -> c_int {
    let _ = (ssl, idx, psign, phash, psignhash, rsig, rhash);
    0
}

/// As `SSL_get_sigalgs`: 0.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_shared_sigalgs(
    ssl: *mut SSL,
    idx: c_int,
    psign: *mut c_int,
    phash: *mut c_int,
    psignhash: *mut c_int,
    rsig: *mut c_uchar,
    rhash: *mut c_uchar,
) -> c_int {
    let _ = (ssl, idx, psign, phash, psignhash, rsig, rhash);
    0
}
