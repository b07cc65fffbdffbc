//! Hooks into how sessions and tickets are made, which rustls keeps to itself: session id
//! generators, the not-resumable callback, application data in tickets, client
//! certificates from an engine.

use std::os::raw::{c_int, c_void};

use crate::ffi::{refuse_unsupported, SSL, SSL_CTX};
use crate::libcrypto::error_queue as err;

/// rustls makes its own session ids: a generator cannot be used, so it is refused.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_generate_session_id(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) -> c_int {
    let _ = cb;
    refuse_unsupported(ctx, 0)
}

/// Kept, never called: ferrossl does not ask whether to make a session resumable.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_not_resumable_session_callback(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) {
    let _ = (ctx, cb);
}

/// Client certificates from an engine: ferrossl cannot take them from one, so, as OpenSSL
/// for an engine without that function, 0 with `SSL_R_NO_CLIENT_CERT_METHOD`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_client_cert_engine(
    ctx: *mut SSL_CTX,
    e: *mut c_void,
) -> c_int {
    const SSL_R_NO_CLIENT_CERT_METHOD: c_int = 331;
    ffi_guard!(0, {
        try_ref!(ctx, 0);
        let _ = e;
        err::raise_ssl(SSL_R_NO_CLIENT_CERT_METHOD);
        0
    })
}

/// Ticket callbacks put application data into tickets; rustls' tickets cannot carry it,
/// so the callbacks are refused: 0 with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_session_ticket_cb(
    ctx: *mut SSL_CTX,
    gen_cb: Option<unsafe extern "C" fn(*mut SSL, *mut c_void) -> c_int>,
    dec_cb: *mut c_void,
    arg: *mut c_void,
) -> c_int {
    let _ = (gen_cb, dec_cb, arg);
    refuse_unsupported(ctx, 0)
}

/// As `SSL_CTX_set_generate_session_id`: refused.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_generate_session_id(ssl: *mut SSL, cb: *mut c_void) -> c_int {
    let _ = cb;
    refuse_unsupported(ssl, 0)
}

/// Kept, never called: ferrossl does not ask whether to make a session resumable.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_not_resumable_session_callback(ssl: *mut SSL, cb: *mut c_void) {
    let _ = (ssl, cb);
}
