//! `SSL_SESSION_*` and the `SSL_*` calls that take or give sessions.
//!
//! An `SSL_SESSION *` is an `Arc<Session>` given to C; `SSL_SESSION_free` drops one
//! reference. This file makes, copies and frees sessions and moves them in and out of
//! connections; what a session records, its serialised form and its printout live beside it.

mod encoding;
mod fields;
mod print;

pub use encoding::*;
pub use fields::*;
pub use print::*;

use std::os::raw::c_int;
use std::sync::Arc;

use crate::ffi::{SSL, SSL_SESSION};
use crate::session::Session;

/// A new `Arc` for a session pointer from C (one more reference).
///
/// # Safety
/// `s` is a live `SSL_SESSION *` handed out by ferrossl.
pub(crate) unsafe fn clone_arc(s: *const SSL_SESSION) -> Arc<Session> {
    // SAFETY: per the contract, the Arc behind s is alive; we add one strong count.
    unsafe {
        Arc::increment_strong_count(s);
        Arc::from_raw(s)
    }
}

/// Sets the session the next handshake offers (NULL: none).
#[no_mangle]
pub unsafe extern "C" fn SSL_set_session(ssl: *mut SSL, session: *mut SSL_SESSION) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        // SAFETY: NULL or a live session from ferrossl.
        let session = (!session.is_null()).then(|| unsafe { clone_arc(session) });
        conn.set_resume(session);
        1
    })
}

/// The connection's session; the connection keeps the reference.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_session(ssl: *const SSL) -> *mut SSL_SESSION {
    ffi_guard!(std::ptr::null_mut(), {
        let conn = try_conn!(ssl, std::ptr::null_mut());
        let session = conn
            .session()
            .map_or(std::ptr::null_mut(), |s| Arc::as_ptr(s) as *mut SSL_SESSION);
        session
    })
}

/// The connection's session, with a new reference for the caller.
#[no_mangle]
pub unsafe extern "C" fn SSL_get1_session(ssl: *mut SSL) -> *mut SSL_SESSION {
    ffi_guard!(std::ptr::null_mut(), {
        let conn = try_conn!(ssl, std::ptr::null_mut());
        let session = conn.session().map_or(std::ptr::null_mut(), |s| {
            Arc::into_raw(s.clone()) as *mut SSL_SESSION
        });
        session
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_session_reused(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { c_int::from(try_conn!(ssl, 0).session_reused()) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_free(session: *mut SSL_SESSION) {
    ffi_guard!((), {
        if !session.is_null() {
            // SAFETY: the caller gives up one reference of a live session.
            unsafe { Arc::decrement_strong_count(session as *const Session) };
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_up_ref(session: *mut SSL_SESSION) -> c_int {
    ffi_guard!(0, {
        try_ref!(session, 0);
        // SAFETY: a live session from ferrossl.
        unsafe { Arc::increment_strong_count(session as *const Session) };
        1
    })
}

/// A new, empty session (nothing to resume with).
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_new() -> *mut SSL_SESSION {
    ffi_guard!(std::ptr::null_mut(), {
        Arc::into_raw(Arc::new(Session::unresumable(0))) as *mut SSL_SESSION
    })
}

/// A copy of the session (see `Session::duplicate`), with one reference for the caller.
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_dup(src: *const SSL_SESSION) -> *mut SSL_SESSION {
    ffi_guard!(std::ptr::null_mut(), {
        let copy = try_ref!(src, std::ptr::null_mut()).duplicate();
        Arc::into_raw(Arc::new(copy)) as *mut SSL_SESSION
    })
}
