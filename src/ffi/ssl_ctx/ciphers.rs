//! A context's suites and security level (`SSL_CTX_set_cipher_list`,
//! `SSL_CTX_set_ciphersuites`, `SSL_CTX_get_ciphers`) and its finite-field DH group.

use std::os::raw::{c_char, c_int, c_void};

use openssl_sys::EVP_PKEY;

use crate::ffi::{c_str, stack_st_SSL_CIPHER, SSL, SSL_CTX};
use crate::libcrypto::error_queue as err;

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_cipher_list(ctx: *mut SSL_CTX, list: *const c_char) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(list) = c_str(list) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        c_int::from(ctx.settings().set_cipher_list(&list))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_ciphersuites(ctx: *mut SSL_CTX, list: *const c_char) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(list) = c_str(list) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        c_int::from(ctx.settings().set_ciphersuites(&list))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_ciphers(ctx: *const SSL_CTX) -> *mut stack_st_SSL_CIPHER {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ctx, std::ptr::null_mut()).cipher_stack().cast()
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_security_level(ctx: *mut SSL_CTX, level: c_int) {
    ffi_guard!((), { try_ref!(ctx, ()).settings().security_level = level })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_security_level(ctx: *const SSL_CTX) -> c_int {
    ffi_guard!(0, { try_ref!(ctx, 0).settings().security_level })
}

/// Finite-field DHE suites are not offered (only ECDHE and TLS 1.3 groups), so DH
/// parameters are never used; as for `SSL_CTX_set_tmp_dh`, they are accepted, and the
/// key handed over is freed.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set0_tmp_dh_pkey(
    ctx: *mut SSL_CTX,
    dhpkey: *mut EVP_PKEY,
) -> c_int {
    take_unused_dh_key(ctx, dhpkey)
}

/// The callback that would supply DH parameters for a DHE suite: no DHE suite is offered,
/// so it is never asked (as with `SSL_CTX_set_tmp_dh`, the setting is accepted).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_tmp_dh_callback(ctx: *mut SSL_CTX, dh: *mut c_void) {
    let _ = (ctx, dh);
}

/// As `SSL_CTX_set_tmp_dh_callback`.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_tmp_dh_callback(ssl: *mut SSL, dh: *mut c_void) {
    let _ = (ssl, dh);
}

/// As `SSL_CTX_set0_tmp_dh_pkey`: accepted, and the key handed over is freed.
#[no_mangle]
pub unsafe extern "C" fn SSL_set0_tmp_dh_pkey(ssl: *mut SSL, dhpkey: *mut EVP_PKEY) -> c_int {
    take_unused_dh_key(ssl, dhpkey)
}

/// The `set0_tmp_dh_pkey` calls of `obj` (a context or connection): the key is taken and
/// freed, as no DHE suite uses it; 0 with the NULL-argument error for a NULL key.
fn take_unused_dh_key<T>(obj: *const T, dhpkey: *mut EVP_PKEY) -> c_int {
    ffi_guard!(0, {
        try_ref!(obj, 0);
        if dhpkey.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        // SAFETY: the caller handed over its reference to a live EVP_PKEY.
        unsafe { openssl_sys::EVP_PKEY_free(dhpkey) };
        1
    })
}
