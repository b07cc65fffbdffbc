//! A connection's own settings: options, ALPN offer, read-ahead, session id context.

use std::os::raw::{c_int, c_long, c_uchar, c_uint};

use crate::codes::reason;
use crate::ffi::ssl_ctx::alpn_arg;
use crate::ffi::SSL;
use crate::libcrypto::error_queue as err;

#[no_mangle]
pub unsafe extern "C" fn SSL_set_options(ssl: *mut SSL, op: u64) -> u64 {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        conn.settings.options |= op;
        conn.settings.options
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_clear_options(ssl: *mut SSL, op: u64) -> u64 {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        conn.settings.options &= !op;
        conn.settings.options
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_options(ssl: *const SSL) -> u64 {
    ffi_guard!(0, { try_conn!(ssl, 0).settings.options })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_alpn_protos(
    ssl: *mut SSL,
    protos: *const c_uchar,
    protos_len: c_uint,
) -> c_int {
    ffi_guard!(1, {
        let mut conn = try_conn!(ssl, 1);
        match alpn_arg(protos, protos_len) {
            Some(list) => {
                conn.settings.alpn_protos = list;
                0
            }
            None => {
                err::raise_ssl(reason::SSL_R_BAD_VALUE);
                1
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_read_ahead(ssl: *mut SSL, yes: c_int) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.read_ahead = c_long::from(yes)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_read_ahead(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_conn!(ssl, 0).settings.read_ahead != 0)
    })
}

/// The session id context of this connection's sessions (a server's), as the context's.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_session_id_context(
    ssl: *mut SSL,
    sid: *const c_uchar,
    len: c_uint,
) -> c_int {
    const SSL_MAX_SID_CTX_LENGTH: usize = 32;
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let len = len as usize;
        if len > SSL_MAX_SID_CTX_LENGTH {
            err::raise_ssl(reason::SSL_R_SSL_SESSION_ID_CONTEXT_TOO_LONG);
            return 0;
        }
        conn.settings.session_id_context = if len == 0 || sid.is_null() {
            Vec::new()
        } else {
            // SAFETY: sid is readable for len bytes.
            unsafe { std::slice::from_raw_parts(sid, len) }.to_vec()
        };
        1
    })
}

/// Whether the context's session cache holds a session with this id.
#[no_mangle]
pub unsafe extern "C" fn SSL_has_matching_session_id(
    ssl: *const SSL,
    id: *const c_uchar,
    id_len: c_uint,
) -> c_int {
    ffi_guard!(0, {
        let conn = try_conn!(ssl, 0);
        let len = id_len as usize;
        if id.is_null() || len == 0 || len > 32 {
            return 0;
        }
        // SAFETY: id is readable for id_len bytes.
        let id = unsafe { std::slice::from_raw_parts(id, len) };
        c_int::from(conn.context().server_sessions.contains(id))
    })
}

/// The connection's own callback commands: the message callback (15).
#[no_mangle]
pub unsafe extern "C" fn SSL_callback_ctrl(
    ssl: *mut SSL,
    cmd: c_int,
    fp: Option<unsafe extern "C" fn()>,
) -> c_long {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        match cmd {
            crate::codes::ssl_constants::SSL_CTRL_SET_MSG_CALLBACK => {
                // SAFETY: for this command OpenSSL's contract makes fp a message callback.
                let cb = fp.map(|f| unsafe {
                    std::mem::transmute::<unsafe extern "C" fn(), crate::ffi::observer::MsgFn>(f)
                });
                conn.settings.msg_callback = crate::ffi::observer::message_callback(cb);
                1
            }
            _ => 0,
        }
    })
}

/// How many TLS 1.3 tickets this server sends after its handshake.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_num_tickets(ssl: *mut SSL, num_tickets: usize) -> c_int {
    ffi_guard!(0, {
        try_conn!(ssl, 0).settings.num_tickets = num_tickets;
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_num_tickets(ssl: *const SSL) -> usize {
    ffi_guard!(0, { try_conn!(ssl, 0).settings.num_tickets })
}

/// Does nothing, as in OpenSSL 3 (deprecated since 1.1.0).
#[no_mangle]
pub unsafe extern "C" fn SSL_set_debug(ssl: *mut SSL, debug: c_int) {
    let _ = (ssl, debug);
}

/// A hint for the size of OpenSSL's read buffer; rustls sizes its own, so it changes
/// nothing that a program can observe.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_default_read_buffer_len(ssl: *mut SSL, len: usize) {
    let _ = (ssl, len);
}
