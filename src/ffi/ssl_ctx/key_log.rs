//! `SSL_CTX_set_keylog_callback`: the application's key-log callback as the core's
//! [`KeyLogSink`].

use std::ffi::CString;
use std::os::raw::c_char;
use std::sync::Arc;

use crate::connection::key_log::KeyLogSink;
use crate::ffi::{SSL, SSL_CTX};

/// The key-log callback type (`SSL_CTX_keylog_cb_func`).
pub type SslKeylogCb = Option<unsafe extern "C" fn(ssl: *const SSL, line: *const c_char)>;

#[derive(Debug)]
struct CKeyLog(unsafe extern "C" fn(*const SSL, *const c_char));

impl KeyLogSink for CKeyLog {
    fn log(&self, ssl: usize, line: &CString) {
        // SAFETY: the application's callback with its own SSL and a line valid for the call.
        unsafe { (self.0)(ssl as *const SSL, line.as_ptr()) }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_keylog_callback(ctx: *mut SSL_CTX, cb: SslKeylogCb) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().key_log =
            cb.map(|cb| Arc::new(CKeyLog(cb)) as Arc<dyn KeyLogSink>);
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_keylog_callback(ctx: *const SSL_CTX) -> SslKeylogCb {
    ffi_guard!(None, {
        let settings = try_ref!(ctx, None).settings();
        let sink = settings.key_log.as_ref()?;
        sink.as_any().downcast_ref::<CKeyLog>().map(|c| c.0)
    })
}
