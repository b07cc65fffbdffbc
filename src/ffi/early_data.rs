//! TLS 1.3 early data (0-RTT): `SSL_CTX_set_max_early_data`, `SSL_read_early_data`,
//! `SSL_write_early_data`, `SSL_get_early_data_status`.
//!
//! A server accepts early data as OpenSSL does: only on a connection whose handshake
//! `SSL_read_early_data` drives, up to the limit the application set. Replay protection
//! is rustls': early data only on single-use tickets, so such a context issues TLS 1.3
//! tickets that name an entry of its session cache rather than stateless ones. A client
//! sends early data as OpenSSL's does: when its application calls `SSL_write_early_data`
//! before the handshake, with a session whose ticket allows it.

use std::os::raw::{c_int, c_void};

use super::{drive, SSL, SSL_CTX, SSL_SESSION};
use crate::connection::HandshakeState;
use crate::libcrypto::error_queue as err;

const SSL_READ_EARLY_DATA_ERROR: c_int = 0;
const SSL_READ_EARLY_DATA_SUCCESS: c_int = 1;
const SSL_READ_EARLY_DATA_FINISH: c_int = 2;
const SSL_EARLY_DATA_NOT_SENT: c_int = 0;
const SSL_EARLY_DATA_REJECTED: c_int = 1;
const SSL_EARLY_DATA_ACCEPTED: c_int = 2;

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

/// What the server's ticket allows (0 once the ticket has been used: rustls uses each
/// TLS 1.3 ticket once).
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get_max_early_data(session: *const SSL_SESSION) -> u32 {
    ffi_guard!(0, { try_ref!(session, 0).max_early_data() })
}

/// Server side: one handshake step, then the early data that has arrived (SUCCESS), or
/// FINISH once there is none to come, or ERROR with `SSL_get_error` saying what to wait for.
#[no_mangle]
pub unsafe extern "C" fn SSL_read_early_data(
    ssl: *mut SSL,
    buf: *mut c_void,
    num: usize,
    readbytes: *mut usize,
) -> c_int {
    ffi_guard!(SSL_READ_EARLY_DATA_ERROR, {
        let obj = try_ref!(ssl, SSL_READ_EARLY_DATA_ERROR);
        let out: &mut [u8] = if buf.is_null() || num == 0 {
            &mut []
        } else {
            // SAFETY: the caller's buffer of `num` writable bytes.
            unsafe { std::slice::from_raw_parts_mut(buf.cast(), num) }
        };
        let r = drive(obj, Err(-1), |conn| {
            if !conn.server {
                err::raise_ssl(err::ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
                return Err(-1);
            }
            if conn.state() == HandshakeState::Before {
                conn.set_accept_state();
            }
            conn.read_early_data(out)
        });
        let (ret, n) = match r {
            Ok(Some(n)) => (SSL_READ_EARLY_DATA_SUCCESS, n),
            Ok(None) => (SSL_READ_EARLY_DATA_FINISH, 0),
            Err(_) => (SSL_READ_EARLY_DATA_ERROR, 0),
        };
        if !readbytes.is_null() {
            // SAFETY: a writable size_t from the caller.
            unsafe { *readbytes = n };
        }
        ret
    })
}

/// On a client, before its handshake and with a session that allows it: the ClientHello
/// and `buf` as early data (the handshake then goes on with `SSL_connect`). On a server
/// that accepted early data: 0.5-RTT data (written before the client's Finished).
#[no_mangle]
pub unsafe extern "C" fn SSL_write_early_data(
    ssl: *mut SSL,
    buf: *const c_void,
    num: usize,
    written: *mut usize,
) -> c_int {
    ffi_guard!(0, {
        let obj = try_ref!(ssl, 0);
        let data: &[u8] = if buf.is_null() || num == 0 {
            &[]
        } else {
            // SAFETY: the caller's buffer of `num` readable bytes.
            unsafe { std::slice::from_raw_parts(buf.cast(), num) }
        };
        let r = drive(obj, Err(-1), |conn| conn.write_early_data(data));
        let n = r.unwrap_or(0);
        if !written.is_null() {
            // SAFETY: a writable size_t from the caller.
            unsafe { *written = n };
        }
        c_int::from(r.is_ok())
    })
}

/// ACCEPTED or REJECTED where the client offered early data (a client's counts as
/// REJECTED until its server accepts), otherwise NOT_SENT.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_early_data_status(ssl: *const SSL) -> c_int {
    ffi_guard!(SSL_EARLY_DATA_NOT_SENT, {
        match try_conn!(ssl, SSL_EARLY_DATA_NOT_SENT).early_data_status() {
            Some(true) => SSL_EARLY_DATA_ACCEPTED,
            Some(false) => SSL_EARLY_DATA_REJECTED,
            None => SSL_EARLY_DATA_NOT_SENT,
        }
    })
}
