//! TLS 1.3 early data (0-RTT): `SSL_CTX_set_max_early_data`, `SSL_read_early_data`,
//! `SSL_write_early_data`, `SSL_get_early_data_status`.
//!
//! A server accepts early data as OpenSSL does: only on a connection whose handshake
//! `SSL_read_early_data` drives, up to the limit the application set. Replay protection
//! is rustls': early data only on single-use tickets, so such a context issues TLS 1.3
//! tickets that name an entry of its session cache rather than stateless ones. A client
//! sends early data as OpenSSL's does: when its application calls `SSL_write_early_data`
//! before the handshake, with a session whose ticket allows it.

use std::os::raw::{c_char, c_int, c_void};

use std::sync::Arc;

use super::{drive, SSL, SSL_CTX, SSL_SESSION};
use crate::connection::HandshakeState;
use crate::context::AllowEarlyDataCallback;
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

/// `SSL_CTX_set_recv_max_early_data`: the most early data a server takes (it offers no
/// more than this in its tickets, rustls having one limit for both).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_recv_max_early_data(
    ctx: *mut SSL_CTX,
    recv_max: u32,
) -> c_int {
    ffi_guard!(0, {
        try_ref!(ctx, 0).settings().recv_max_early_data = recv_max;
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_recv_max_early_data(ctx: *const SSL_CTX) -> u32 {
    ffi_guard!(0, { try_ref!(ctx, 0).settings().recv_max_early_data })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_recv_max_early_data(ssl: *mut SSL, recv_max: u32) -> c_int {
    ffi_guard!(0, {
        try_conn!(ssl, 0).settings.recv_max_early_data = recv_max;
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_recv_max_early_data(ssl: *const SSL) -> u32 {
    ffi_guard!(0, { try_conn!(ssl, 0).settings.recv_max_early_data })
}

/// rustls has no early exporter: on a TLS 1.3 connection 0 with `ERR_R_UNSUPPORTED`; on
/// any other, 0, as OpenSSL.
#[no_mangle]
pub unsafe extern "C" fn SSL_export_keying_material_early(
    ssl: *mut SSL,
    out: *mut u8,
    olen: usize,
    label: *const c_char,
    llen: usize,
    context: *const u8,
    contextlen: usize,
) -> c_int {
    let _ = (out, olen, label, llen, context, contextlen);
    ffi_guard!(0, {
        if try_conn!(ssl, 0).version() == crate::codes::ssl_constants::TLS1_3_VERSION {
            err::raise_ssl(err::ERR_R_UNSUPPORTED);
        }
        0
    })
}

/// The application's early-data policy and its argument.
#[derive(Debug)]
struct CAllowEarlyData {
    cb: unsafe extern "C" fn(*mut SSL, *mut c_void) -> c_int,
    arg: usize,
}

impl AllowEarlyDataCallback for CAllowEarlyData {
    fn allow(&self, ssl: usize) -> bool {
        // SAFETY: the application's callback with its SSL and argument.
        unsafe { (self.cb)(ssl as *mut SSL, self.arg as *mut c_void) != 0 }
    }
}

/// The callback type of `SSL_CTX_set_allow_early_data_cb`.
pub type SslAllowEarlyDataCb = Option<unsafe extern "C" fn(*mut SSL, *mut c_void) -> c_int>;

fn allow_early_data(
    cb: SslAllowEarlyDataCb,
    arg: *mut c_void,
) -> Option<Arc<dyn AllowEarlyDataCallback>> {
    cb.map(|cb| {
        Arc::new(CAllowEarlyData {
            cb,
            arg: arg as usize,
        }) as Arc<dyn AllowEarlyDataCallback>
    })
}

/// Runs while the server's handshake is under way: the callback may look at its `SSL`'s
/// application data, not change the connection.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_allow_early_data_cb(
    ctx: *mut SSL_CTX,
    cb: SslAllowEarlyDataCb,
    arg: *mut c_void,
) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().allow_early_data = allow_early_data(cb, arg)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_allow_early_data_cb(
    ssl: *mut SSL,
    cb: SslAllowEarlyDataCb,
    arg: *mut c_void,
) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.allow_early_data = allow_early_data(cb, arg)
    })
}
