//! `SSL_CTX` (the context object): creating and freeing it, its options and application
//! data. The families of `SSL_CTX_*` functions live beside this file, named as OpenSSL's
//! manual groups them.

mod alpn;
mod ciphers;
mod credentials;
mod key_log;
mod sessions;
mod verify;

pub use alpn::*;
pub use ciphers::*;
pub use credentials::*;
pub use key_log::*;
pub use sessions::*;
pub use verify::*;

use std::os::raw::{c_char, c_int, c_uchar, c_uint, c_void};
use std::sync::Arc;

use crate::codes::reason;
use crate::codes::ssl_constants::OPENSSL_INIT_LOAD_SSL_STRINGS;
use crate::context::Context;
use crate::ffi::{config_modules, init};
use crate::ffi::{ctx_into_raw, SSL, SSL_CTX, SSL_METHOD};
use crate::libcrypto::error_queue as err;

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_new(method: *const SSL_METHOD) -> *mut SSL_CTX {
    ffi_guard!(std::ptr::null_mut(), {
        // Loads the reason strings and, once per process, OpenSSL's configuration file.
        // SAFETY: our own initialiser, with no settings.
        if unsafe { init::OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, std::ptr::null()) } != 1 {
            return std::ptr::null_mut();
        }
        // SAFETY: NULL or one of our static methods.
        let Some(method) = (unsafe { method.as_ref() }) else {
            err::raise_ssl(reason::SSL_R_NULL_SSL_METHOD_PASSED);
            return std::ptr::null_mut();
        };
        match Context::new(*method) {
            Some(ctx) => {
                let ctx = ctx_into_raw(ctx);
                // The system policy first; the application's settings come after it.
                config_modules::apply_system_default(ctx, method.role);
                ctx
            }
            None => {
                err::raise_ssl(err::ERR_R_MALLOC_FAILURE);
                std::ptr::null_mut()
            }
        }
    })
}

/// `SSL_CTX_new` in a library context: ferrossl's TLS crypto is rustls' own, so the
/// library context and property query (which select libcrypto providers) do not apply.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_new_ex(
    libctx: *mut c_void,
    propq: *const c_char,
    method: *const SSL_METHOD,
) -> *mut SSL_CTX {
    let _ = (libctx, propq);
    // SAFETY: the same contract as SSL_CTX_new's for `method`.
    unsafe { SSL_CTX_new(method) }
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_up_ref(ctx: *mut SSL_CTX) -> c_int {
    ffi_guard!(0, {
        try_ref!(ctx, 0);
        // SAFETY: ctx is a live Arc<Context> pointer from SSL_CTX_new.
        unsafe { Arc::increment_strong_count(ctx as *const SSL_CTX) };
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_free(ctx: *mut SSL_CTX) {
    ffi_guard!((), {
        if ctx.is_null() {
            return;
        }
        // SAFETY: the caller gives up one reference of a live context.
        unsafe { Arc::decrement_strong_count(ctx as *const SSL_CTX) };
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_options(ctx: *mut SSL_CTX, op: u64) -> u64 {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let mut s = ctx.settings();
        s.options |= op;
        s.options
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_clear_options(ctx: *mut SSL_CTX, op: u64) -> u64 {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let mut s = ctx.settings();
        s.options &= !op;
        s.options
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_options(ctx: *const SSL_CTX) -> u64 {
    ffi_guard!(0, { try_ref!(ctx, 0).settings().options })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_quiet_shutdown(ctx: *mut SSL_CTX, mode: c_int) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().quiet_shutdown = mode != 0
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_quiet_shutdown(ctx: *const SSL_CTX) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_ref!(ctx, 0).settings().quiet_shutdown)
    })
}

/// Clients of this context offer TLS 1.3 post-handshake client authentication.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_post_handshake_auth(ctx: *mut SSL_CTX, val: c_int) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().post_handshake_auth = val != 0
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_ex_data(
    ctx: *mut SSL_CTX,
    idx: c_int,
    data: *mut c_void,
) -> c_int {
    ffi_guard!(0, { try_ref!(ctx, 0).ex_data.set(idx, data) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_ex_data(ctx: *const SSL_CTX, idx: c_int) -> *mut c_void {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ctx, std::ptr::null_mut()).ex_data.get(idx)
    })
}

/// PSK cipher suites are not implemented: the callback is never called, and a server that
/// insists on PSK refuses the handshake.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_psk_client_callback(
    ctx: *mut SSL_CTX,
    cb: Option<
        unsafe extern "C" fn(
            *mut SSL,
            *const c_char,
            *mut c_char,
            c_uint,
            *mut c_uchar,
            c_uint,
        ) -> c_uint,
    >,
) {
    let _ = (ctx, cb);
}

/// The read buffer size is rustls' own; the hint is taken and has no effect.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_read_buffer_len(ctx: *mut SSL_CTX, len: usize) {
    let _ = (ctx, len);
}

/// Changes the context's method; its suites go back to the defaults, as in OpenSSL.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_ssl_version(
    ctx: *mut SSL_CTX,
    method: *const SSL_METHOD,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let method = try_ref!(method, 0);
        ctx.set_method(*method);
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_ssl_method(ctx: *const SSL_CTX) -> *const SSL_METHOD {
    ffi_guard!(std::ptr::null(), {
        crate::ffi::init::method_ptr(try_ref!(ctx, std::ptr::null()).method())
    })
}

/// See `SSL_set_async_callback`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_async_callback(
    ctx: *mut SSL_CTX,
    callback: *mut c_void,
) -> c_int {
    let _ = callback;
    crate::ffi::accept_for(ctx)
}

/// See `SSL_set_async_callback`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_async_callback_arg(
    ctx: *mut SSL_CTX,
    arg: *mut c_void,
) -> c_int {
    let _ = arg;
    crate::ffi::accept_for(ctx)
}
