//! The observer callbacks and what they read: `SSL_CTX_set_msg_callback`,
//! `SSL_CTX_set_info_callback` (and the `SSL_` variants), `SSL_get_state`,
//! `SSL_state_string(_long)`, and ferrossl's own `ferrossl_handshake_diagram`.

use std::any::Any;
use std::os::raw::{c_char, c_int, c_void};
use std::sync::Arc;

use super::{SslObject, SSL, SSL_CTX};
use crate::context::{InfoCallback, MessageCallback};
use crate::trace::openssl_state;
use crate::trace::Notification;

/// The message callback type of `SSL_CTX_set_msg_callback`.
pub type SslMsgCb = Option<
    unsafe extern "C" fn(
        write_p: c_int,
        version: c_int,
        content_type: c_int,
        buf: *const c_void,
        len: usize,
        ssl: *mut SSL,
        arg: *mut c_void,
    ),
>;

/// The info callback type of `SSL_CTX_set_info_callback`.
pub type SslInfoCb = Option<unsafe extern "C" fn(ssl: *const SSL, where_: c_int, ret: c_int)>;

pub(crate) type MsgFn =
    unsafe extern "C" fn(c_int, c_int, c_int, *const c_void, usize, *mut SSL, *mut c_void);
type InfoFn = unsafe extern "C" fn(*const SSL, c_int, c_int);

/// The application's message callback.
#[derive(Debug)]
struct CMessage(MsgFn);

impl MessageCallback for CMessage {
    fn message(
        &self,
        ssl: usize,
        write_p: c_int,
        version: c_int,
        content_type: c_int,
        bytes: &[u8],
        arg: usize,
    ) {
        // SAFETY: the application's callback, with OpenSSL's arguments; the bytes live
        // until it returns.
        unsafe {
            (self.0)(
                write_p,
                version,
                content_type,
                bytes.as_ptr() as *const c_void,
                bytes.len(),
                ssl as *mut SSL,
                arg as *mut c_void,
            )
        }
    }
}

/// The message callback as the core keeps it (`SSL_CTX_set_msg_callback`, ctrl 15).
pub(crate) fn message_callback(cb: SslMsgCb) -> Option<Arc<dyn MessageCallback>> {
    cb.map(|f| Arc::new(CMessage(f)) as Arc<dyn MessageCallback>)
}

/// The application's info callback.
#[derive(Debug)]
struct CInfo(InfoFn);

impl InfoCallback for CInfo {
    fn info(&self, ssl: usize, where_: c_int, ret: c_int) {
        // SAFETY: the application's callback with its SSL and OpenSSL's arguments.
        unsafe { (self.0)(ssl as *const SSL, where_, ret) }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn info_callback(cb: SslInfoCb) -> Option<Arc<dyn InfoCallback>> {
    cb.map(|f| Arc::new(CInfo(f)) as Arc<dyn InfoCallback>)
}

/// The application's function behind an info callback the core keeps.
fn info_fn(cb: &Option<Arc<dyn InfoCallback>>) -> SslInfoCb {
    cb.as_ref()?.as_any().downcast_ref::<CInfo>().map(|c| c.0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_msg_callback(ctx: *mut SSL_CTX, cb: SslMsgCb) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().msg_callback = message_callback(cb)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_msg_callback(ssl: *mut SSL, cb: SslMsgCb) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.msg_callback = message_callback(cb)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_info_callback(ctx: *mut SSL_CTX, cb: SslInfoCb) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().info_callback = info_callback(cb)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_info_callback(ctx: *const SSL_CTX) -> SslInfoCb {
    ffi_guard!(None, {
        info_fn(&try_ref!(ctx, None).settings().info_callback)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_info_callback(ssl: *mut SSL, cb: SslInfoCb) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.info_callback = info_callback(cb)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_info_callback(ssl: *const SSL) -> SslInfoCb {
    ffi_guard!(None, {
        info_fn(&try_conn!(ssl, None).settings.info_callback)
    })
}

/// `SSL_get_state`: the `OSSL_HANDSHAKE_STATE` (an enum, returned as int).
#[no_mangle]
pub unsafe extern "C" fn SSL_get_state(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { try_conn!(ssl, 0).handshake_state().0 })
}

/// `SSL_state_string_long`: "error" for a NULL or failed connection, as OpenSSL.
#[no_mangle]
pub unsafe extern "C" fn SSL_state_string_long(ssl: *const SSL) -> *const c_char {
    state_names(ssl, true)
}

/// `SSL_state_string`: the short code ("SSLERR" for a NULL or failed connection).
#[no_mangle]
pub unsafe extern "C" fn SSL_state_string(ssl: *const SSL) -> *const c_char {
    state_names(ssl, false)
}

fn state_names(ssl: *const SSL, long: bool) -> *const c_char {
    let pick = |(l, s): (&'static std::ffi::CStr, &'static std::ffi::CStr)| {
        if long {
            l.as_ptr()
        } else {
            s.as_ptr()
        }
    };
    ffi_guard!(pick(openssl_state::ERROR_NAMES), {
        // SAFETY: NULL or a live SSL, per the function's contract.
        let Some(obj) = (unsafe { ssl.as_ref() }) else {
            return pick(openssl_state::ERROR_NAMES);
        };
        let Some(conn) = obj.conn() else {
            return pick(openssl_state::ERROR_NAMES);
        };
        let (state, error) = conn.handshake_state();
        if error {
            pick(openssl_state::ERROR_NAMES)
        } else {
            pick(openssl_state::names(state))
        }
    })
}

/// ferrossl's handshake diagram of `ssl` (`format` 0: text, 1: SVG), in memory from
/// `OPENSSL_malloc` that the caller frees with `OPENSSL_free`; NULL if the connection
/// was not traced (no msg or info callback and no `FERROSSL_TRACE`).
#[no_mangle]
pub unsafe extern "C" fn ferrossl_handshake_diagram(ssl: *const SSL, format: c_int) -> *mut c_char {
    ffi_guard!(std::ptr::null_mut(), {
        let mut conn = try_conn!(ssl, std::ptr::null_mut());
        let Some(text) = conn.diagram(format == 1) else {
            return std::ptr::null_mut();
        };
        crate::libcrypto::malloc_c_string(&text)
    })
}

/// Runs the application's message and info callbacks for what the connection reported,
/// with the connection released so that they can use their `SSL *`.
pub(crate) fn deliver_notifications(obj: &SslObject) {
    let ssl = obj as *const SslObject as usize;
    let (notes, msg_cb, msg_arg, info_cb) = {
        let Some(mut conn) = obj.conn() else { return };
        let notes = conn.take_notifications();
        if notes.is_empty() {
            return;
        }
        let info = conn
            .settings
            .info_callback
            .clone()
            .or_else(|| conn.context().settings().info_callback.clone());
        (
            notes,
            conn.settings.msg_callback.clone(),
            conn.settings.msg_callback_arg,
            info,
        )
    };
    for note in notes {
        match note {
            Notification::Message {
                write_p,
                version,
                content_type,
                bytes,
            } => {
                if let Some(cb) = &msg_cb {
                    cb.message(ssl, write_p, version, content_type, &bytes, msg_arg);
                }
            }
            Notification::Info {
                where_,
                ret,
                state,
                error,
            } => {
                let Some(cb) = &info_cb else { continue };
                if let Some(mut conn) = obj.conn() {
                    conn.set_reported_state(Some((state, error)));
                }
                cb.info(ssl, where_, ret);
            }
        }
    }
    if let Some(mut conn) = obj.conn() {
        conn.set_reported_state(None);
    }
}

/// `SSL_rstate_string`: records are read whole, so between calls the record layer always
/// waits for a header ("RH"), as OpenSSL's does between records.
#[no_mangle]
pub unsafe extern "C" fn SSL_rstate_string(ssl: *const SSL) -> *const c_char {
    let _ = ssl;
    c"RH".as_ptr()
}

/// `SSL_rstate_string_long`: see `SSL_rstate_string`.
#[no_mangle]
pub unsafe extern "C" fn SSL_rstate_string_long(ssl: *const SSL) -> *const c_char {
    let _ = ssl;
    c"read header".as_ptr()
}
