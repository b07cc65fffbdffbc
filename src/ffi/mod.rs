//! The C ABI: OpenSSL's libssl functions, each a thin wrapper over the core.
//!
//! Every entry point runs its body inside [`ffi_guard!`], which turns a panic into an
//! `ERR_R_INTERNAL_ERROR` on the error queue and the function's failure value, and
//! checks its pointer arguments with [`try_ref!`], which queues
//! `ERR_R_PASSED_NULL_PARAMETER` for a NULL. Nothing unwinds into C.

//!
//! # Safety
//!
//! Every entry point has OpenSSL's contract: object pointers are NULL or live objects that
//! ferrossl handed out, buffers are valid for the lengths passed, and C strings are
//! NUL-terminated. That one contract is stated here rather than on each function.

// Entry points that return nothing pass `()` as their failure value to the guard macros.
#![allow(clippy::unused_unit, clippy::missing_safety_doc)]

use std::cell::{RefCell, RefMut};
use std::os::raw::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::connection::{CallbackRequest, Connection};
use crate::context::Context;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::ex_data::{ExData, CRYPTO_EX_INDEX_SSL};

/// Runs `$body` (a block evaluating to the return value) with a panic boundary.
macro_rules! ffi_guard {
    ($on_panic:expr, $body:block) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(v) => v,
            Err(_) => {
                $crate::libcrypto::error_queue::raise_ssl(
                    $crate::libcrypto::error_queue::ERR_R_INTERNAL_ERROR,
                );
                $on_panic
            }
        }
    };
}

/// Dereferences an object pointer handed out by ferrossl, or returns `$on_null` from the
/// enclosing guard after queuing `ERR_R_PASSED_NULL_PARAMETER`.
macro_rules! try_ref {
    ($ptr:expr, $on_null:expr) => {
        // SAFETY: the C caller passes NULL or a live object pointer that ferrossl handed
        // out (OpenSSL's own contract for every libssl object).
        match unsafe { ($ptr).as_ref() } {
            Some(r) => r,
            None => {
                $crate::libcrypto::error_queue::raise_ssl(
                    $crate::libcrypto::error_queue::ERR_R_PASSED_NULL_PARAMETER,
                );
                return $on_null;
            }
        }
    };
}

/// Borrows the connection of an `SSL *` mutably, or fails like a NULL pointer would
/// (a callback re-entering the same `SSL` while it is busy gets an error, not aliasing).
macro_rules! try_conn {
    ($ptr:expr, $on_err:expr) => {{
        let obj: &$crate::ffi::SslObject = try_ref!($ptr, $on_err);
        match obj.conn() {
            Some(c) => c,
            None => {
                $crate::libcrypto::error_queue::raise_ssl(
                    $crate::libcrypto::error_queue::ERR_R_INTERNAL_ERROR,
                );
                return $on_err;
            }
        }
    }};
}

pub mod absent_features;
pub mod client_ca_list;
pub mod client_hello;
pub mod config_modules;
pub mod ctrl;
pub mod dane;
pub mod early_data;
pub mod init;
pub mod observer;
pub mod ssl;
pub mod ssl_alert;
pub mod ssl_bio;
pub mod ssl_cipher;
pub mod ssl_conf;
pub mod ssl_ctx;
pub mod ssl_session;

/// The opaque `SSL_CTX`: an `Arc<Context>` as a raw pointer.
#[allow(non_camel_case_types)]
pub type SSL_CTX = Context;
/// The opaque `SSL`.
#[allow(non_camel_case_types)]
pub type SSL = SslObject;
/// The opaque `SSL_METHOD`: one of the static methods of `init.rs`.
#[allow(non_camel_case_types)]
pub type SSL_METHOD = crate::context::Method;
/// The opaque `SSL_SESSION`: an `Arc<Session>` as a raw pointer (typedef'd by OpenSSL's ssl.h).
#[allow(non_camel_case_types)]
pub type SSL_SESSION = crate::session::Session;
/// The opaque `SSL_CIPHER`.
#[allow(non_camel_case_types)]
pub type SSL_CIPHER = crate::config::cipher::SslCipher;

/// The opaque `STACK_OF(SSL_CIPHER)`.
#[allow(non_camel_case_types)]
pub enum stack_st_SSL_CIPHER {}

/// `SSL *`: a connection with its reference count and application data.
pub struct SslObject {
    refs: AtomicUsize,
    pub ex_data: ExData,
    /// The context, readable while `conn` is busy (callbacks call `SSL_get_SSL_CTX`).
    pub ctx: std::cell::Cell<*const Context>,
    conn: RefCell<Connection>,
}

impl SslObject {
    /// Boxes a new connection and returns its C handle (one reference).
    pub fn into_raw(conn: Connection) -> *mut SSL {
        let obj = Box::into_raw(Box::new(SslObject {
            refs: AtomicUsize::new(1),
            ex_data: ExData::new(CRYPTO_EX_INDEX_SSL),
            ctx: std::cell::Cell::new(Arc::as_ptr(conn.context())),
            conn: RefCell::new(conn),
        }));
        // SAFETY: obj was just allocated and is uniquely ours here.
        let r = unsafe { &*obj };
        r.conn.borrow_mut().handle = obj as usize;
        r.ex_data.init(obj as *mut c_void);
        obj
    }

    pub fn conn(&self) -> Option<RefMut<'_, Connection>> {
        self.conn.try_borrow_mut().ok()
    }

    pub fn up_ref(&self) {
        self.refs.fetch_add(1, Ordering::Relaxed);
    }

    /// Drops one reference; frees the object with the last one.
    ///
    /// # Safety
    /// `ptr` is a live `SSL *` from [`SslObject::into_raw`] and the caller gives up its reference.
    pub unsafe fn release(ptr: *mut SSL) {
        // SAFETY: per the contract, ptr is live.
        let obj = unsafe { &*ptr };
        if obj.refs.fetch_sub(1, Ordering::AcqRel) != 1 {
            return;
        }
        obj.ex_data.free(ptr as *mut c_void);
        // SAFETY: the last reference is gone; the Box came from into_raw.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// Runs `op` on the connection of `obj`; when the connection asks for an application
/// callback, runs it with the connection released, so that the callback can use its
/// `SSL *` freely. After the servername callback, which the handshake waits for, `op`
/// runs again; the new-session callback only reports, so `op`'s result stands. The
/// message and info callbacks run after each attempt. `busy` is returned if the
/// connection is already in use further up the stack.
pub(crate) fn drive<R: Copy>(
    obj: &SslObject,
    busy: R,
    mut op: impl FnMut(&mut Connection) -> R,
) -> R {
    loop {
        let (r, request) = {
            let Some(mut conn) = obj.conn() else {
                err::raise_ssl(err::ERR_R_INTERNAL_ERROR);
                return busy;
            };
            let r = op(&mut conn);
            (r, conn.take_callback_request())
        };
        observer::deliver_notifications(obj);
        match request {
            None => return r,
            Some(CallbackRequest::Servername) => {
                let cb = obj.conn().and_then(|c| c.context().servername_callback());
                let (ret, alert) = match cb {
                    Some(cb) => cb.call(obj as *const SslObject as usize),
                    None => (crate::codes::ssl_constants::SSL_TLSEXT_ERR_OK, 0),
                };
                if let Some(mut conn) = obj.conn() {
                    conn.set_servername_verdict(ret, alert);
                }
            }
            Some(CallbackRequest::ClientHello) => {
                let cb = obj.conn().and_then(|c| c.context().client_hello_callback());
                let (ret, alert) =
                    cb.map_or((1, 0), |cb| cb.call(obj as *const SslObject as usize));
                if let Some(mut conn) = obj.conn() {
                    conn.set_client_hello_verdict(ret, alert);
                }
            }
            Some(CallbackRequest::Status) => {
                let cb = obj.conn().and_then(|c| c.context().status_callback());
                let ret = cb.map_or(3, |cb| cb.call(obj as *const SslObject as usize));
                if let Some(mut conn) = obj.conn() {
                    conn.set_status_verdict(ret);
                }
            }
            Some(CallbackRequest::Certificate) => {
                let cb = obj.conn().and_then(|c| c.cert_callback());
                let ret = cb.map_or(1, |cb| cb.call(obj as *const SslObject as usize));
                if let Some(mut conn) = obj.conn() {
                    conn.set_cert_verdict(ret);
                }
            }
            Some(CallbackRequest::NewSession) => {
                let (cb, sessions) = match obj.conn() {
                    Some(mut c) => {
                        let server = c.server;
                        (
                            c.context().new_session_callback_for(server),
                            c.take_new_sessions(),
                        )
                    }
                    None => (None, Vec::new()),
                };
                if let Some(cb) = cb {
                    for session in sessions {
                        cb.call(obj as *const SslObject as usize, session);
                    }
                }
                return r;
            }
        }
    }
}

/// Hands a new context to C (one reference).
pub fn ctx_into_raw(ctx: Context) -> *mut SSL_CTX {
    let ptr = Arc::into_raw(Arc::new(ctx)) as *mut SSL_CTX;
    // SAFETY: ptr is the live Arc we just made.
    unsafe { &*ptr }.ex_data.init(ptr as *mut c_void);
    ptr
}

/// A new owning `Arc` for a context pointer (a reference for a connection to hold).
///
/// # Safety
/// `ptr` is a live `SSL_CTX *` from [`ctx_into_raw`].
pub unsafe fn ctx_clone_arc(ptr: *const SSL_CTX) -> Arc<Context> {
    // SAFETY: per the contract the Arc behind ptr is alive; we add one strong count.
    unsafe {
        Arc::increment_strong_count(ptr);
        Arc::from_raw(ptr)
    }
}

impl Drop for Context {
    fn drop(&mut self) {
        // As SSL_CTX_free: the cache is flushed (remove callback) before ex_data goes.
        self.server_sessions.flush();
        ssl_ctx::forget_session_table(self);
        let owner = self as *mut Context as *mut c_void;
        self.ex_data.free(owner);
    }
}

/// A feature ferrossl does not have, asked of the object at `obj` (an `SSL`, `SSL_CTX`
/// or `SSL_SESSION`): `ERR_R_UNSUPPORTED` queued (the NULL-argument error for NULL), and
/// the function's `failure` value returned.
pub(crate) fn refuse_unsupported<T>(
    obj: *const T,
    failure: std::os::raw::c_int,
) -> std::os::raw::c_int {
    ffi_guard!(failure, {
        try_ref!(obj, failure);
        err::raise_ssl(err::ERR_R_UNSUPPORTED);
        failure
    })
}

/// A call that needs only a live object at `obj` to succeed, as in OpenSSL: a setting
/// kept for a mode ferrossl never enters, or state it has no need to set up. 1, or 0 with
/// the NULL-argument error.
pub(crate) fn accept_for<T>(obj: *const T) -> std::os::raw::c_int {
    ffi_guard!(0, {
        try_ref!(obj, 0);
        1
    })
}

/// Queues an error for an argument that is out of OpenSSL's range.
pub fn invalid_argument() {
    err::raise_ssl(err::ERR_R_PASSED_INVALID_ARGUMENT);
}

/// A C string argument as UTF-8 (`None` for NULL; invalid UTF-8 becomes replacement
/// characters, which match no cipher or name).
pub(crate) fn c_str<'a>(p: *const std::os::raw::c_char) -> Option<std::borrow::Cow<'a, str>> {
    if p.is_null() {
        return None;
    }
    // SAFETY: a non-NULL C string from the caller, NUL-terminated by contract.
    Some(unsafe { std::ffi::CStr::from_ptr(p) }.to_string_lossy())
}

/// Turns a C string argument into a path.
pub(crate) fn c_path<'a>(p: *const std::os::raw::c_char) -> Option<&'a std::path::Path> {
    use std::os::unix::ffi::OsStrExt;
    if p.is_null() {
        return None;
    }
    // SAFETY: a non-NULL C string from the caller, NUL-terminated by contract.
    let bytes = unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes();
    Some(std::path::Path::new(std::ffi::OsStr::from_bytes(bytes)))
}
