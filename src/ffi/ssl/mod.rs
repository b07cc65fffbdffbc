//! `SSL` (the connection object): creating, freeing and clearing it, its context and its
//! application data. The families of `SSL_*` functions live beside this file, named as
//! OpenSSL's manual groups them.

mod bio;
mod certificate;
mod ciphers;
mod handshake;
mod io;
mod negotiated;
mod options;
mod shutdown;
mod verify;

pub use bio::*;
pub use certificate::*;
pub use ciphers::*;
pub use handshake::*;
pub use io::*;
pub use negotiated::*;
pub use options::*;
pub use shutdown::*;
pub use verify::*;

use std::os::raw::{c_int, c_void};

use crate::codes::reason;
use crate::connection::{Connection, HandshakeState};
use crate::ffi::{ctx_clone_arc, SslObject, SSL, SSL_CTX, SSL_METHOD};
use crate::libcrypto::error_queue as err;

#[no_mangle]
pub unsafe extern "C" fn SSL_new(ctx: *mut SSL_CTX) -> *mut SSL {
    ffi_guard!(std::ptr::null_mut(), {
        if ctx.is_null() {
            err::raise_ssl(reason::SSL_R_NULL_SSL_CTX);
            return std::ptr::null_mut();
        }
        // SAFETY: a live context from SSL_CTX_new; the connection holds its own reference.
        let ctx = unsafe { ctx_clone_arc(ctx) };
        match Connection::new(ctx) {
            Some(conn) => SslObject::into_raw(conn),
            None => {
                err::raise_ssl(err::ERR_R_MALLOC_FAILURE);
                std::ptr::null_mut()
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_up_ref(ssl: *mut SSL) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0).up_ref();
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_free(ssl: *mut SSL) {
    ffi_guard!((), {
        if ssl.is_null() {
            return;
        }
        // SAFETY: a live SSL whose reference the caller gives up.
        unsafe { SslObject::release(ssl) };
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_SSL_CTX(ssl: *const SSL) -> *mut SSL_CTX {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ssl, std::ptr::null_mut()).ctx.get() as *mut SSL_CTX
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_clear(ssl: *mut SSL) -> c_int {
    ffi_guard!(0, {
        try_conn!(ssl, 0).clear();
        1
    })
}

/// Moves the connection to another context (before its handshake uses the configuration).
#[no_mangle]
pub unsafe extern "C" fn SSL_set_SSL_CTX(ssl: *mut SSL, ctx: *mut SSL_CTX) -> *mut SSL_CTX {
    ffi_guard!(std::ptr::null_mut(), {
        let obj = try_ref!(ssl, std::ptr::null_mut());
        let mut conn = match obj.conn() {
            Some(c) => c,
            None => {
                err::raise_ssl(err::ERR_R_INTERNAL_ERROR);
                return std::ptr::null_mut();
            }
        };
        if ctx.is_null() {
            return obj.ctx.get() as *mut SSL_CTX;
        }
        // SAFETY: a live context from SSL_CTX_new; the connection takes its own reference.
        let new = unsafe { ctx_clone_arc(ctx) };
        conn.set_context(new);
        obj.ctx.set(ctx);
        ctx
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_ex_data(ssl: *mut SSL, idx: c_int, data: *mut c_void) -> c_int {
    ffi_guard!(0, { try_ref!(ssl, 0).ex_data.set(idx, data) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_ex_data(ssl: *const SSL, idx: c_int) -> *mut c_void {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ssl, std::ptr::null_mut()).ex_data.get(idx)
    })
}

/// ferrossl does TLS over streams only.
#[no_mangle]
pub unsafe extern "C" fn SSL_is_dtls(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        0
    })
}

/// A message callback that prints each record and message to the BIO passed as its
/// argument (as `SSL_set_msg_callback(ssl, SSL_trace)` with `SSL_set_msg_callback_arg`).
#[no_mangle]
pub unsafe extern "C" fn SSL_trace(
    write_p: c_int,
    version: c_int,
    content_type: c_int,
    buf: *const c_void,
    len: usize,
    ssl: *mut SSL,
    arg: *mut c_void,
) {
    let _ = ssl;
    ffi_guard!((), {
        if arg.is_null() || (buf.is_null() && len > 0) {
            return;
        }
        let bytes: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: buf is readable for len bytes, per the callback's contract.
            unsafe { std::slice::from_raw_parts(buf as *const u8, len) }
        };
        let text = crate::trace::trace_text::describe(write_p != 0, version, content_type, bytes);
        crate::libcrypto::bio::write_text(arg as *mut openssl_sys::BIO, &text);
    })
}

/// Changes the connection's method: its version (if it names one) applies to the next
/// handshake; the side already chosen stays, as in OpenSSL.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_ssl_method(ssl: *mut SSL, method: *const SSL_METHOD) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let method = try_ref!(method, 0);
        conn.method = *method;
        conn.settings.method_version = method.version;
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_ssl_method(ssl: *const SSL) -> *const SSL_METHOD {
    ffi_guard!(std::ptr::null(), {
        crate::ffi::init::method_ptr(try_conn!(ssl, std::ptr::null()).method)
    })
}

/// Gives `to` the session, method, certificate and session id context of `from`.
#[no_mangle]
pub unsafe extern "C" fn SSL_copy_session_id(to: *mut SSL, from: *const SSL) -> c_int {
    ffi_guard!(0, {
        if std::ptr::eq(to, from) {
            try_ref!(to, 0);
            return 1;
        }
        let from = try_conn!(from, 0);
        try_conn!(to, 0).copy_session_id(&from);
        1
    })
}

/// A connection whose handshake has not started is copied (a new `SSL` with its
/// configuration, session and application data, without its BIOs); any other is the same
/// object with one more reference, as OpenSSL does.
#[no_mangle]
pub unsafe extern "C" fn SSL_dup(ssl: *mut SSL) -> *mut SSL {
    ffi_guard!(std::ptr::null_mut(), {
        let obj = try_ref!(ssl, std::ptr::null_mut());
        let copy = {
            let conn = try_conn!(ssl, std::ptr::null_mut());
            if conn.state() != HandshakeState::Before {
                obj.up_ref();
                return ssl;
            }
            conn.duplicate()
        };
        let Some(copy) = copy else {
            err::raise_ssl(err::ERR_R_MALLOC_FAILURE);
            return std::ptr::null_mut();
        };
        let new = SslObject::into_raw(copy);
        // SAFETY: the object just made.
        let made = unsafe { &*new };
        if !made.ex_data.dup_from(&obj.ex_data) {
            // SAFETY: our only reference to the new object.
            unsafe { SslObject::release(new) };
            return std::ptr::null_mut();
        }
        new
    })
}
