//! DANE.

use std::os::raw::{c_char, c_int, c_uchar, c_ulong, c_void};

use crate::ffi::{refuse_unsupported, SSL, SSL_CTX};
use crate::libcrypto::error_queue as err;

const SSL_R_DANE_NOT_ENABLED: c_int = 175;

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_dane_enable(ctx: *mut SSL_CTX) -> c_int {
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_dane_enable(ssl: *mut SSL, basedomain: *const c_char) -> c_int {
    let _ = basedomain;
    refuse_unsupported(ssl, 0)
}

/// DANE is never enabled, so no flags were set: 0.
#[no_mangle]
pub unsafe extern "C" fn SSL_dane_set_flags(ssl: *mut SSL, flags: c_ulong) -> c_ulong {
    let _ = (ssl, flags);
    0
}

/// -1 with `SSL_R_DANE_NOT_ENABLED`, as OpenSSL before `SSL_dane_enable`.
#[no_mangle]
pub unsafe extern "C" fn SSL_dane_tlsa_add(
    ssl: *mut SSL,
    usage: u8,
    selector: u8,
    mtype: u8,
    data: *const c_uchar,
    dlen: usize,
) -> c_int {
    let _ = (usage, selector, mtype, data, dlen);
    ffi_guard!(-1, {
        try_ref!(ssl, -1);
        err::raise_ssl(SSL_R_DANE_NOT_ENABLED);
        -1
    })
}

/// DANE is not enabled on any connection: -1, as OpenSSL without DANE.
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_dane_authority(
    ssl: *mut SSL,
    mcert: *mut *mut c_void,
    mspki: *mut *mut c_void,
) -> c_int {
    let _ = (ssl, mcert, mspki);
    -1
}

/// As `SSL_get0_dane_authority`: -1.
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_dane_tlsa(
    ssl: *mut SSL,
    usage: *mut u8,
    selector: *mut u8,
    mtype: *mut u8,
    data: *mut *const c_uchar,
    dlen: *mut usize,
) -> c_int {
    let _ = (ssl, usage, selector, mtype, data, dlen);
    -1
}
