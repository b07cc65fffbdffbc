//! TLS 1.3 early data (0-RTT): `SSL_CTX_set_max_early_data`, `SSL_read_early_data`,
//! `SSL_write_early_data`, `SSL_get_early_data_status`.
//!
//! ferrossl does not take part in 0-RTT yet. A server keeps the limit the application
//! sets but offers no early data in its tickets, so clients send none (the RFC lets a
//! server decline it); `SSL_read_early_data` then runs the handshake and reports that
//! the early data is finished, which is how OpenSSL answers when none arrived. A client
//! holds no session that allows early data, and OpenSSL refuses `SSL_write_early_data`
//! for such a session.

use std::os::raw::{c_int, c_void};

use super::{drive, SSL, SSL_CTX, SSL_SESSION};
use crate::connection::HandshakeState;
use crate::libcrypto::error_queue as err;

const SSL_READ_EARLY_DATA_ERROR: c_int = 0;
const SSL_READ_EARLY_DATA_FINISH: c_int = 2;
const SSL_EARLY_DATA_NOT_SENT: c_int = 0;

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_max_early_data(ctx: *mut SSL_CTX, max: u32) -> c_int {
    ffi_guard!(0, {
        try_ref!(ctx, 0).settings().max_early_data = max;
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_max_early_data(ctx: *const SSL_CTX) -> u32 {
    ffi_guard!(0, { try_ref!(ctx, 0).settings().max_early_data })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_max_early_data(ssl: *mut SSL, max: u32) -> c_int {
    ffi_guard!(0, {
        try_conn!(ssl, 0).settings.max_early_data = max;
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_max_early_data(ssl: *const SSL) -> u32 {
    ffi_guard!(0, { try_conn!(ssl, 0).settings.max_early_data })
}

/// A session never allows early data (see the module documentation).
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get_max_early_data(session: *const SSL_SESSION) -> u32 {
    ffi_guard!(0, {
        try_ref!(session, 0);
        0
    })
}

/// Server side: completes the handshake, then reports the (absent) early data finished.
#[no_mangle]
pub unsafe extern "C" fn SSL_read_early_data(
    ssl: *mut SSL,
    _buf: *mut c_void,
    _num: usize,
    readbytes: *mut usize,
) -> c_int {
    ffi_guard!(SSL_READ_EARLY_DATA_ERROR, {
        let obj = try_ref!(ssl, SSL_READ_EARLY_DATA_ERROR);
        let r = drive(obj, -1, |conn| {
            if !conn.server {
                err::raise_ssl(err::ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
                return -1;
            }
            if conn.state() == HandshakeState::Before {
                conn.set_accept_state();
            }
            conn.do_handshake()
        });
        if r != 1 {
            return SSL_READ_EARLY_DATA_ERROR;
        }
        if !readbytes.is_null() {
            // SAFETY: a writable size_t from the caller.
            unsafe { *readbytes = 0 };
        }
        SSL_READ_EARLY_DATA_FINISH
    })
}

/// Client side: no session of ferrossl's allows early data, so, as OpenSSL for such a
/// session, this fails with `ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_write_early_data(
    ssl: *mut SSL,
    _buf: *const c_void,
    _num: usize,
    _written: *mut usize,
) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        err::raise_ssl(err::ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
        0
    })
}

/// No early data is ever accepted or sent.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_early_data_status(ssl: *const SSL) -> c_int {
    ffi_guard!(SSL_EARLY_DATA_NOT_SENT, {
        try_ref!(ssl, SSL_EARLY_DATA_NOT_SENT);
        SSL_EARLY_DATA_NOT_SENT
    })
}
