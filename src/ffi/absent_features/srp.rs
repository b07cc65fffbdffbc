//! SRP (RFC 5054): not implemented. Setters fail with `ERR_R_UNSUPPORTED`; getters
//! report no SRP handshake.

use std::os::raw::{c_char, c_int, c_void};

use crate::ffi::{refuse_unsupported, SSL, SSL_CTX};

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_cb_arg(ctx: *mut SSL_CTX, arg: *mut c_void) -> c_int {
    let _ = arg;
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_strength(ctx: *mut SSL_CTX, strength: c_int) -> c_int {
    let _ = strength;
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_username_callback(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) -> c_int {
    let _ = cb;
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_client_pwd_callback(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) -> c_int {
    let _ = cb;
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_verify_param_callback(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) -> c_int {
    let _ = cb;
    refuse_unsupported(ctx, 0)
}

/// -1, this function's failure value.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_srp_server_param(
    ssl: *mut SSL,
    n: *const c_void,
    g: *const c_void,
    sa: *mut c_void,
    v: *mut c_void,
    info: *mut c_char,
) -> c_int {
    let _ = (n, g, sa, v, info);
    refuse_unsupported(ssl, -1)
}

/// No SRP handshake, so no group or user.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_srp_N(ssl: *mut SSL) -> *mut c_void {
    let _ = ssl;
    std::ptr::null_mut()
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_srp_g(ssl: *mut SSL) -> *mut c_void {
    let _ = ssl;
    std::ptr::null_mut()
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_srp_username(ssl: *mut SSL) -> *mut c_char {
    let _ = ssl;
    std::ptr::null_mut()
}

// fragment length, SRTP ----

/// SRP is not implemented: refused with an error, never claimed.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_username(ctx: *mut SSL_CTX, name: *mut c_char) -> c_int {
    let _ = name;
    refuse_unsupported(ctx, 0)
}

/// SRP is not implemented: refused with an error, never claimed.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_password(
    ctx: *mut SSL_CTX,
    password: *mut c_char,
) -> c_int {
    let _ = password;
    refuse_unsupported(ctx, 0)
}

/// Sets up no SRP state (there is none to set up): 1, as OpenSSL's initialiser.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_SRP_CTX_init(ctx: *mut SSL_CTX) -> c_int {
    crate::ffi::accept_for(ctx)
}

/// Frees no SRP state: 1, as OpenSSL.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_SRP_CTX_free(ctx: *mut SSL_CTX) -> c_int {
    crate::ffi::accept_for(ctx)
}

/// As `SSL_CTX_SRP_CTX_init`.
#[no_mangle]
pub unsafe extern "C" fn SSL_SRP_CTX_init(ssl: *mut SSL) -> c_int {
    crate::ffi::accept_for(ssl)
}

/// As `SSL_CTX_SRP_CTX_free`.
#[no_mangle]
pub unsafe extern "C" fn SSL_SRP_CTX_free(ssl: *mut SSL) -> c_int {
    crate::ffi::accept_for(ssl)
}

/// No SRP group, so no client value A can be computed: 0 with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SRP_Calc_A_param(ssl: *mut SSL) -> c_int {
    refuse_unsupported(ssl, 0)
}

/// No SRP user: NULL.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_srp_userinfo(ssl: *mut SSL) -> *mut c_char {
    let _ = ssl;
    std::ptr::null_mut()
}

/// -1, this function's failure value, with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_srp_server_param_pw(
    ssl: *mut SSL,
    user: *const c_char,
    pass: *const c_char,
    grp: *const c_char,
) -> c_int {
    let _ = (user, pass, grp);
    refuse_unsupported(ssl, -1)
}

/// As OpenSSL's server without SRP parameters: `SSL3_AL_FATAL` with the
/// unknown_psk_identity alert.
#[no_mangle]
pub unsafe extern "C" fn SSL_srp_server_param_with_username(
    ssl: *mut SSL,
    ad: *mut c_int,
) -> c_int {
    const SSL3_AL_FATAL: c_int = 2;
    const SSL_AD_UNKNOWN_PSK_IDENTITY: c_int = 115;
    ffi_guard!(SSL3_AL_FATAL, {
        try_ref!(ssl, SSL3_AL_FATAL);
        if !ad.is_null() {
            // SAFETY: the caller's int.
            unsafe { *ad = SSL_AD_UNKNOWN_PSK_IDENTITY };
        }
        SSL3_AL_FATAL
    })
}
