//! `SSL_connect`, `SSL_accept`, `SSL_do_handshake` and the handshake's state; what comes
//! after it (key updates, renegotiation, post-handshake authentication) and the async
//! job queries, answered as OpenSSL without async jobs does.

use std::os::raw::{c_int, c_void};

use crate::codes::reason;
use crate::connection::HandshakeState;
use crate::ffi::{drive, SSL};
use crate::libcrypto::error_queue as err;

#[no_mangle]
pub unsafe extern "C" fn SSL_set_connect_state(ssl: *mut SSL) {
    ffi_guard!((), { try_conn!(ssl, ()).set_connect_state() })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_accept_state(ssl: *mut SSL) {
    ffi_guard!((), { try_conn!(ssl, ()).set_accept_state() })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_connect(ssl: *mut SSL) -> c_int {
    ffi_guard!(-1, {
        drive(try_ref!(ssl, -1), -1, |conn| {
            if conn.state() == HandshakeState::Before {
                conn.set_connect_state();
            }
            conn.do_handshake()
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_accept(ssl: *mut SSL) -> c_int {
    ffi_guard!(-1, {
        drive(try_ref!(ssl, -1), -1, |conn| {
            if conn.state() == HandshakeState::Before {
                conn.set_accept_state();
            }
            conn.do_handshake()
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_do_handshake(ssl: *mut SSL) -> c_int {
    ffi_guard!(-1, {
        drive(try_ref!(ssl, -1), -1, |conn| conn.do_handshake())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_is_init_finished(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_conn!(ssl, 0).state() == HandshakeState::Done)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_in_init(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { c_int::from(try_conn!(ssl, 0).in_init()) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_in_before(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_conn!(ssl, 0).state() == HandshakeState::Before)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_is_server(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { c_int::from(try_conn!(ssl, 0).server) })
}

/// A client offers post-handshake authentication in its next handshakes (TLS 1.3).
#[no_mangle]
pub unsafe extern "C" fn SSL_set_post_handshake_auth(ssl: *mut SSL, val: c_int) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.post_handshake_auth = val != 0
    })
}

/// A TLS 1.3 server asks a client that offered it for a certificate after the handshake;
/// the request goes out with the next `SSL_do_handshake`, `SSL_write` or `SSL_read`.
#[no_mangle]
pub unsafe extern "C" fn SSL_verify_client_post_handshake(ssl: *mut SSL) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_conn!(ssl, 0).verify_client_post_handshake())
    })
}

/// ferrossl never renegotiates, so none is ever pending.
#[no_mangle]
pub unsafe extern "C" fn SSL_renegotiate_pending(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        0
    })
}

/// No asynchronous engine jobs run in ferrossl: nothing to wait for.
#[no_mangle]
pub unsafe extern "C" fn SSL_waiting_for_async(ssl: *mut SSL) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        0
    })
}

/// No asynchronous mode, so, as OpenSSL without a wait context, 0 and nothing written.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_all_async_fds(
    ssl: *mut SSL,
    _fds: *mut c_int,
    _numfds: *mut usize,
) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        0
    })
}

/// As `SSL_get_all_async_fds`: no wait context, 0.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_changed_async_fds(
    ssl: *mut SSL,
    _addfd: *mut c_int,
    _numaddfds: *mut usize,
    _delfd: *mut c_int,
    _numdelfds: *mut usize,
) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        0
    })
}

/// Schedules new TLS 1.3 traffic keys (see `Connection::key_update`).
#[no_mangle]
pub unsafe extern "C" fn SSL_key_update(ssl: *mut SSL, updatetype: c_int) -> c_int {
    const SSL_KEY_UPDATE_NOT_REQUESTED: c_int = 0;
    const SSL_KEY_UPDATE_REQUESTED: c_int = 1;
    const SSL_R_INVALID_KEY_UPDATE_TYPE: c_int = 120;
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        if updatetype != SSL_KEY_UPDATE_NOT_REQUESTED && updatetype != SSL_KEY_UPDATE_REQUESTED {
            err::raise_ssl(SSL_R_INVALID_KEY_UPDATE_TYPE);
            return 0;
        }
        c_int::from(conn.key_update())
    })
}

/// No key update waits to be sent once `SSL_key_update` has queued it.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_key_update_type(ssl: *const SSL) -> c_int {
    const SSL_KEY_UPDATE_NONE: c_int = -1;
    ffi_guard!(SSL_KEY_UPDATE_NONE, {
        try_ref!(ssl, SSL_KEY_UPDATE_NONE);
        SSL_KEY_UPDATE_NONE
    })
}

/// ferrossl never renegotiates: 0, with `SSL_R_WRONG_SSL_VERSION` on TLS 1.3 (which has
/// no renegotiation) and `SSL_R_NO_RENEGOTIATION` otherwise, as OpenSSL with
/// `SSL_OP_NO_RENEGOTIATION`.
#[no_mangle]
pub unsafe extern "C" fn SSL_renegotiate(ssl: *mut SSL) -> c_int {
    const SSL_R_NO_RENEGOTIATION: c_int = 339;
    ffi_guard!(0, {
        let conn = try_conn!(ssl, 0);
        err::raise_ssl(
            if conn.version() == crate::codes::ssl_constants::TLS1_3_VERSION {
                reason::SSL_R_WRONG_SSL_VERSION
            } else {
                SSL_R_NO_RENEGOTIATION
            },
        );
        0
    })
}

/// No asynchronous mode, so no wait context: 0, as OpenSSL.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_async_status(ssl: *mut SSL, status: *mut c_int) -> c_int {
    let _ = status;
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        0
    })
}

/// The callback runs only in asynchronous mode (`SSL_MODE_ASYNC` with an engine), which
/// ferrossl never enters: accepted, 1, as OpenSSL.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_async_callback(ssl: *mut SSL, callback: *mut c_void) -> c_int {
    let _ = callback;
    crate::ffi::accept_for(ssl)
}

/// See `SSL_set_async_callback`.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_async_callback_arg(ssl: *mut SSL, arg: *mut c_void) -> c_int {
    let _ = arg;
    crate::ffi::accept_for(ssl)
}

/// rustls sends its tickets after the handshake and cannot send more on demand: 0 with
/// `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_new_session_ticket(ssl: *mut SSL) -> c_int {
    crate::ffi::refuse_unsupported(ssl, 0)
}

/// As `SSL_renegotiate`: no renegotiation.
#[no_mangle]
pub unsafe extern "C" fn SSL_renegotiate_abbreviated(ssl: *mut SSL) -> c_int {
    // SAFETY: the caller's contract, passed on.
    unsafe { SSL_renegotiate(ssl) }
}
