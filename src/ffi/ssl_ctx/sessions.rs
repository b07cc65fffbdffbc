//! Sessions and tickets of a context: session id context, lifetime, how many TLS 1.3
//! tickets, the new-session callback, the external cache's get and remove callbacks,
//! `SSL_CTX_add_session`/`remove_session`, and the application's ticket keys.

use std::os::raw::{c_int, c_long, c_uchar, c_uint, c_ulong, c_void};
use std::sync::{Arc, Mutex};

use crate::codes::reason;
use crate::context::NewSessionCallback;
use crate::ffi::{SSL, SSL_CTX, SSL_SESSION};
use crate::libcrypto::error_queue as err;
use crate::libcrypto::lhash::PointerTable;
use crate::session::server_cache::ExternalSessionCache;
use crate::session::Session;

/// Sets the context a server's sessions belong to (at most 32 bytes).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_session_id_context(
    ctx: *mut SSL_CTX,
    sid: *const c_uchar,
    len: c_uint,
) -> c_int {
    const SSL_MAX_SID_CTX_LENGTH: usize = 32;
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let len = len as usize;
        if len > SSL_MAX_SID_CTX_LENGTH {
            err::raise_ssl(reason::SSL_R_SSL_SESSION_ID_CONTEXT_TOO_LONG);
            return 0;
        }
        let id = if len == 0 || sid.is_null() {
            Vec::new()
        } else {
            // SAFETY: sid points at len bytes, per the function's contract.
            unsafe { std::slice::from_raw_parts(sid, len) }.to_vec()
        };
        ctx.settings().session_id_context = id;
        1
    })
}

/// How many TLS 1.3 session tickets a server sends after each handshake.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_num_tickets(ctx: *mut SSL_CTX, num_tickets: usize) -> c_int {
    ffi_guard!(0, {
        try_ref!(ctx, 0).settings().num_tickets = num_tickets;
        1
    })
}

/// `SSL_CTX_set_timeout`: the lifetime of the sessions made; returns the previous one.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_timeout(ctx: *mut SSL_CTX, t: c_long) -> c_long {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let new = u64::try_from(t).unwrap_or(0);
        ctx.server_sessions.set_timeout(new);
        std::mem::replace(&mut ctx.settings().session_timeout, new) as c_long
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_timeout(ctx: *const SSL_CTX) -> c_long {
    ffi_guard!(0, { try_ref!(ctx, 0).settings().session_timeout as c_long })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_num_tickets(ctx: *const SSL_CTX) -> usize {
    ffi_guard!(0, { try_ref!(ctx, 0).settings().num_tickets })
}

/// The new-session callback type of `SSL_CTX_sess_set_new_cb`.
pub type SslNewSessionCb =
    Option<unsafe extern "C" fn(ssl: *mut SSL, session: *mut SSL_SESSION) -> c_int>;

struct CNewSession(unsafe extern "C" fn(*mut SSL, *mut SSL_SESSION) -> c_int);

impl NewSessionCallback for CNewSession {
    fn call(&self, ssl: usize, session: Arc<Session>) {
        let raw = Arc::into_raw(session) as *mut SSL_SESSION;
        // SAFETY: the application's callback with its SSL and a new session reference,
        // which it keeps when it returns 1; with 0 the reference comes back to us.
        if unsafe { (self.0)(ssl as *mut SSL, raw) } == 0 {
            // SAFETY: raw came from Arc::into_raw above and the callback declined it.
            drop(unsafe { Arc::from_raw(raw as *const Session) });
        }
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Registers the callback that receives each new client session (when the session
/// cache mode includes `SSL_SESS_CACHE_CLIENT`, as in OpenSSL).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_sess_set_new_cb(ctx: *mut SSL_CTX, cb: SslNewSessionCb) {
    ffi_guard!((), {
        let ctx = try_ref!(ctx, ());
        *ctx.new_session_callback
            .lock()
            .unwrap_or_else(|e| e.into_inner()) =
            cb.map(|f| Arc::new(CNewSession(f)) as Arc<dyn NewSessionCallback>);
    })
}

/// The get callback type of `SSL_CTX_sess_set_get_cb`.
pub type SslGetSessionCb =
    Option<unsafe extern "C" fn(*mut SSL, *const c_uchar, c_int, *mut c_int) -> *mut SSL_SESSION>;

/// The remove callback type of `SSL_CTX_sess_set_remove_cb`.
pub type SslRemoveSessionCb = Option<unsafe extern "C" fn(*mut SSL_CTX, *mut SSL_SESSION)>;

/// The application's external session cache: its get and remove callbacks.
#[derive(Clone, Copy)]
struct CExternalCache {
    get: SslGetSessionCb,
    remove: SslRemoveSessionCb,
    ctx: *const SSL_CTX,
}

// SAFETY: the callbacks and context pointer are the application's, called under OpenSSL's
// contract (from any thread that runs a handshake of the context, as OpenSSL does).
unsafe impl Send for CExternalCache {}
// SAFETY: as above.
unsafe impl Sync for CExternalCache {}

impl ExternalSessionCache for CExternalCache {
    fn get(&self, ssl: usize, id: &[u8]) -> Option<Arc<Session>> {
        let cb = self.get?;
        let mut copy: c_int = 1;
        let len = c_int::try_from(id.len()).ok()?;
        // SAFETY: the application's callback with its SSL, the id bytes (alive for the
        // call) and a flag it may clear.
        let raw = unsafe { cb(ssl as *mut SSL, id.as_ptr(), len, &mut copy) };
        if raw.is_null() {
            return None;
        }
        // SAFETY: raw is an SSL_SESSION ferrossl handed out (an Arc<Session>). With `copy`
        // set the application keeps its reference, so one is added for us; otherwise its
        // reference becomes ours.
        unsafe {
            if copy != 0 {
                Arc::increment_strong_count(raw as *const Session);
            }
            Some(Arc::from_raw(raw as *const Session))
        }
    }

    fn removed(&self, session: &Arc<Session>) {
        let Some(cb) = self.remove else { return };
        // SAFETY: the application's callback with its context and a session it borrows
        // for the call.
        unsafe {
            cb(
                self.ctx as *mut SSL_CTX,
                Arc::as_ptr(session) as *mut SSL_SESSION,
            )
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Sets the get or the remove callback, keeping the other as it was.
fn update_external_cache(
    ctx: &SSL_CTX,
    get: Option<SslGetSessionCb>,
    remove: Option<SslRemoveSessionCb>,
) {
    let mut cache = external_cache(ctx).unwrap_or(CExternalCache {
        get: None,
        remove: None,
        ctx: ctx as *const SSL_CTX,
    });
    if let Some(g) = get {
        cache.get = g;
    }
    if let Some(r) = remove {
        cache.remove = r;
    }
    let external = (cache.get.is_some() || cache.remove.is_some())
        .then(|| Arc::new(cache) as Arc<dyn ExternalSessionCache>);
    ctx.server_sessions.set_external(external);
}

/// The application's lookup for sessions the context's cache does not hold.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_sess_set_get_cb(ctx: *mut SSL_CTX, cb: SslGetSessionCb) {
    ffi_guard!((), {
        update_external_cache(try_ref!(ctx, ()), Some(cb), None)
    })
}

/// Told of each session that leaves the context's cache.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_sess_set_remove_cb(ctx: *mut SSL_CTX, cb: SslRemoveSessionCb) {
    ffi_guard!((), {
        update_external_cache(try_ref!(ctx, ()), None, Some(cb))
    })
}

/// Adds a server session to the context's cache; 0 if it is not one or already there.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_add_session(
    ctx: *mut SSL_CTX,
    session: *mut SSL_SESSION,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        try_ref!(session, 0);
        // SAFETY: a live SSL_SESSION the caller keeps; we take our own reference.
        let s = unsafe { crate::ffi::ssl_session::clone_arc(session) };
        c_int::from(ctx.server_sessions.add(s))
    })
}

/// Removes a session from the context's cache (the remove callback is told); 1 if it
/// was there.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_remove_session(
    ctx: *mut SSL_CTX,
    session: *mut SSL_SESSION,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        try_ref!(session, 0);
        // SAFETY: a live SSL_SESSION the caller keeps; we take our own reference.
        let s = unsafe { crate::ffi::ssl_session::clone_arc(session) };
        c_int::from(ctx.server_sessions.remove_session(&s))
    })
}

/// The callback type of `SSL_CTX_set_tlsext_ticket_key_evp_cb`.
pub type SslTicketKeyEvpCb = Option<
    unsafe extern "C" fn(
        ssl: *mut SSL,
        key_name: *mut c_uchar,
        iv: *mut c_uchar,
        ctx: *mut openssl_sys::EVP_CIPHER_CTX,
        hctx: *mut openssl_sys::EVP_MAC_CTX,
        enc: c_int,
    ) -> c_int,
>;

/// Tickets under the application's keys: the callback sets the key name, IV, cipher and
/// HMAC key for each ticket made (`enc` 1) or opened (`enc` 0; 0 for an unknown key).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_tlsext_ticket_key_evp_cb(
    ctx: *mut SSL_CTX,
    cb: SslTicketKeyEvpCb,
) -> c_int {
    use crate::libcrypto::ticket_keys::{EvpTicketKeyFn, TicketKeyCallback};
    ffi_guard!(0, {
        type AppFn = unsafe extern "C" fn(
            *mut SSL,
            *mut c_uchar,
            *mut c_uchar,
            *mut openssl_sys::EVP_CIPHER_CTX,
            *mut openssl_sys::EVP_MAC_CTX,
            c_int,
        ) -> c_int;
        let cb = cb.map(|f| {
            // SAFETY: the same function type but for the `SSL *`, passed as a void pointer.
            TicketKeyCallback::Evp(unsafe { std::mem::transmute::<AppFn, EvpTicketKeyFn>(f) })
        });
        try_ref!(ctx, 0).set_ticket_key_callback(cb);
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_sess_get_new_cb(ctx: *mut SSL_CTX) -> SslNewSessionCb {
    ffi_guard!(None, {
        let ctx = try_ref!(ctx, None);
        let cb = ctx
            .new_session_callback
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()?;
        cb.as_any().downcast_ref::<CNewSession>().map(|c| c.0)
    })
}

/// The application's external cache, if it set one of its callbacks.
fn external_cache(ctx: &SSL_CTX) -> Option<CExternalCache> {
    let external = ctx.server_sessions.external()?;
    external.as_any().downcast_ref::<CExternalCache>().copied()
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_sess_get_get_cb(ctx: *mut SSL_CTX) -> SslGetSessionCb {
    ffi_guard!(None, { external_cache(try_ref!(ctx, None))?.get })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_sess_get_remove_cb(ctx: *mut SSL_CTX) -> SslRemoveSessionCb {
    ffi_guard!(None, { external_cache(try_ref!(ctx, None))?.remove })
}

/// The session lifetime TLS uses by default, in seconds.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_default_timeout(ssl: *const SSL) -> c_long {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        crate::session::DEFAULT_TIMEOUT_SECS as c_long
    })
}

/// Removes the sessions whose lifetime ended before `tm` (seconds since the epoch; 0
/// removes all), calling the remove callback for each.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_flush_sessions(ctx: *mut SSL_CTX, tm: c_long) {
    ffi_guard!((), {
        try_ref!(ctx, ())
            .server_sessions
            .flush_expired(u64::try_from(tm).unwrap_or(0))
    })
}

/// The tables `SSL_CTX_sessions` handed out, with the sessions they point to: each
/// context's newest, until its next call or until it is freed.
type SessionTable = (usize, PointerTable, Vec<Arc<Session>>);
static SESSION_TABLES: Mutex<Vec<SessionTable>> = Mutex::new(Vec::new());

/// OpenSSL's session hash: the first four bytes of the id.
unsafe extern "C" fn session_hash(p: *const c_void) -> c_ulong {
    // SAFETY: the table holds only sessions of the snapshot, alive while it is.
    let id = unsafe { &*(p as *const Session) }.id();
    let mut b = [0u8; 4];
    let n = id.len().min(4);
    b[..n].copy_from_slice(&id[..n]);
    c_ulong::from(u32::from_le_bytes(b))
}

/// OpenSSL's session comparison: version and id (0 when equal).
unsafe extern "C" fn session_compare(a: *const c_void, b: *const c_void) -> c_int {
    // SAFETY: both are sessions (the table's, or the application's key).
    let (a, b) = unsafe { (&*(a as *const Session), &*(b as *const Session)) };
    c_int::from(a.version() != b.version() || a.id() != b.id())
}

/// The context's sessions as libcrypto's `LHASH_OF(SSL_SESSION)`: a snapshot of its
/// cache, valid until the next call or until the context is freed.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_sessions(ctx: *mut SSL_CTX) -> *mut c_void {
    ffi_guard!(std::ptr::null_mut(), {
        let ctx = try_ref!(ctx, std::ptr::null_mut());
        let sessions = ctx.server_sessions.sessions();
        let items: Vec<*const c_void> = sessions
            .iter()
            .map(|s| Arc::as_ptr(s) as *const c_void)
            .collect();
        let Some(table) = PointerTable::new(session_hash, session_compare, &items) else {
            err::raise_ssl(err::ERR_R_MALLOC_FAILURE);
            return std::ptr::null_mut();
        };
        let ptr = table.as_ptr();
        let key = ctx as *const SSL_CTX as usize;
        let mut tables = SESSION_TABLES.lock().unwrap_or_else(|e| e.into_inner());
        tables.retain(|(k, _, _)| *k != key);
        tables.push((key, table, sessions));
        ptr
    })
}

/// Drops the table `SSL_CTX_sessions` made for a context that is being freed.
pub(crate) fn forget_session_table(ctx: &SSL_CTX) {
    let key = ctx as *const SSL_CTX as usize;
    SESSION_TABLES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|(k, _, _)| *k != key);
}
