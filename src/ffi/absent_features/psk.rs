//! Pre-shared keys: rustls has no external PSKs. Callbacks are kept and never called, so
//! a handshake proceeds without PSK (a client offering only PSK suites finds no shared
//! cipher); what needs a PSK to exist fails.

use std::os::raw::{c_char, c_int, c_uchar, c_uint, c_void};

use crate::ffi::{refuse_unsupported, SSL, SSL_CTX};

/// External PSKs are not implemented: kept, never called.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_psk_find_session_callback(ctx: *mut SSL_CTX, cb: *mut c_void) {
    let _ = (ctx, cb);
}

/// External PSKs are not implemented: kept, never called.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_psk_use_session_callback(ctx: *mut SSL_CTX, cb: *mut c_void) {
    let _ = (ctx, cb);
}

/// PSK cipher suites are not implemented (rustls has no external PSKs): the callback is
/// never called, so clients that offer only PSK find no shared cipher.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_psk_server_callback(
    ctx: *mut SSL_CTX,
    cb: Option<unsafe extern "C" fn(*mut SSL, *const c_char, *mut c_uchar, c_uint) -> c_uint>,
) {
    let _ = (ctx, cb);
}

/// The hint only exists for PSK, which ferrossl does not do: the call fails (with
/// `ERR_R_UNSUPPORTED` queued) so that a server configured for PSK says so.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_psk_identity_hint(
    ctx: *mut SSL_CTX,
    hint: *const c_char,
) -> c_int {
    let _ = hint;
    refuse_unsupported(ctx, 0)
}

/// The PSK client callback: kept, never called (see `SSL_CTX_set_psk_server_callback`).
#[no_mangle]
pub unsafe extern "C" fn SSL_set_psk_client_callback(ssl: *mut SSL, cb: *mut c_void) {
    let _ = (ssl, cb);
}

/// Kept, never called (see `SSL_CTX_set_psk_server_callback`).
#[no_mangle]
pub unsafe extern "C" fn SSL_set_psk_server_callback(ssl: *mut SSL, cb: *mut c_void) {
    let _ = (ssl, cb);
}

/// External PSKs are not implemented: kept, never called.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_psk_find_session_callback(ssl: *mut SSL, cb: *mut c_void) {
    let _ = (ssl, cb);
}

/// External PSKs are not implemented: kept, never called.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_psk_use_session_callback(ssl: *mut SSL, cb: *mut c_void) {
    let _ = (ssl, cb);
}

/// As `SSL_CTX_use_psk_identity_hint`: refused with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_use_psk_identity_hint(ssl: *mut SSL, hint: *const c_char) -> c_int {
    let _ = hint;
    refuse_unsupported(ssl, 0)
}

/// No PSK handshake, so no identity: NULL.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_psk_identity(ssl: *const SSL) -> *const c_char {
    let _ = ssl;
    std::ptr::null()
}

/// No PSK handshake, so no hint: NULL.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_psk_identity_hint(ssl: *const SSL) -> *const c_char {
    let _ = ssl;
    std::ptr::null()
}

/// EAP-FAST's session secret callback is only called for a session resumed from a ticket
/// the application supplied (`SSL_set_session_ticket_ext`), which ferrossl refuses: kept,
/// never called, 1 as OpenSSL.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_session_secret_cb(
    ssl: *mut SSL,
    cb: *mut c_void,
    arg: *mut c_void,
) -> c_int {
    let _ = (cb, arg);
    crate::ffi::accept_for(ssl)
}

/// A ClientHello with application-supplied ticket bytes (EAP-FAST's PAC) cannot be made
/// with rustls: 0 with `ERR_R_UNSUPPORTED`, so EAP-FAST reports its failure.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_session_ticket_ext(
    ssl: *mut SSL,
    ext_data: *mut c_void,
    ext_len: c_int,
) -> c_int {
    let _ = (ext_data, ext_len);
    refuse_unsupported(ssl, 0)
}

/// The callback that sees a server's session ticket extension (EAP-FAST): kept, never
/// called, 1 as OpenSSL.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_session_ticket_ext_cb(
    ssl: *mut SSL,
    cb: *mut c_void,
    arg: *mut c_void,
) -> c_int {
    let _ = (cb, arg);
    crate::ffi::accept_for(ssl)
}
