//! `SSL_CTX_*`: contexts, their options, trust store, credentials and ALPN.

use std::ffi::CString;
use std::os::raw::{c_char, c_int, c_long, c_uchar, c_uint, c_void};
use std::sync::Arc;

use openssl_sys::{EVP_PKEY, X509, X509_STORE, X509_STORE_CTX, X509_VERIFY_PARAM};

use super::init::load_strings;
use super::{
    c_path, c_str, ctx_into_raw, stack_st_SSL_CIPHER, SSL, SSL_CTX, SSL_METHOD, SSL_SESSION,
};
use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::config::alpn;
use crate::connection::key_log::KeyLogSink;
use crate::context::{AlpnChoice, AlpnSelector, CertCallback, Context, NewSessionCallback};
use crate::credentials;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::pkey::PrivateKey;
use crate::libcrypto::store::CertStore;
use crate::libcrypto::x509::Certificate;
use crate::session::server_cache::ExternalSessionCache;
use crate::session::Session;

/// The verify callback type (`SSL_verify_cb`).
pub type SslVerifyCb =
    Option<unsafe extern "C" fn(preverify_ok: c_int, x509_ctx: *mut X509_STORE_CTX) -> c_int>;

/// The ALPN select callback type of `SSL_CTX_set_alpn_select_cb`.
pub type SslAlpnSelectCb = Option<
    unsafe extern "C" fn(
        ssl: *mut SSL,
        out: *mut *const c_uchar,
        outlen: *mut c_uchar,
        input: *const c_uchar,
        inlen: c_uint,
        arg: *mut c_void,
    ) -> c_int,
>;

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_new(method: *const SSL_METHOD) -> *mut SSL_CTX {
    ffi_guard!(std::ptr::null_mut(), {
        load_strings();
        // SAFETY: NULL or one of our static methods.
        let Some(method) = (unsafe { method.as_ref() }) else {
            err::raise_ssl(reason::SSL_R_NULL_SSL_METHOD_PASSED);
            return std::ptr::null_mut();
        };
        match Context::new(method.role) {
            Some(ctx) => {
                if method.version != 0 {
                    let mut s = ctx.settings();
                    s.min_version = method.version;
                    s.max_version = method.version;
                }
                ctx_into_raw(ctx)
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
pub unsafe extern "C" fn SSL_CTX_set_verify(ctx: *mut SSL_CTX, mode: c_int, callback: SslVerifyCb) {
    ffi_guard!((), {
        let ctx = try_ref!(ctx, ());
        let mut s = ctx.settings();
        s.verify_mode = mode;
        s.verify_callback = callback;
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_verify_callback(ctx: *const SSL_CTX) -> SslVerifyCb {
    ffi_guard!(None, { try_ref!(ctx, None).settings().verify_callback })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_verify_depth(ctx: *mut SSL_CTX, depth: c_int) {
    ffi_guard!((), { try_ref!(ctx, ()).param.set_depth(depth) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_verify_mode(ctx: *const SSL_CTX) -> c_int {
    ffi_guard!(0, { try_ref!(ctx, 0).settings().verify_mode })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_verify_depth(ctx: *const SSL_CTX) -> c_int {
    extern "C" {
        fn X509_VERIFY_PARAM_get_depth(p: *const X509_VERIFY_PARAM) -> c_int;
    }
    ffi_guard!(-1, {
        let ctx = try_ref!(ctx, -1);
        // SAFETY: the context's live parameter set.
        unsafe { X509_VERIFY_PARAM_get_depth(ctx.param.as_ptr()) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get0_param(ctx: *mut SSL_CTX) -> *mut X509_VERIFY_PARAM {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ctx, std::ptr::null_mut()).param.as_ptr()
    })
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

// ---- cipher suites ----

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_cipher_list(ctx: *mut SSL_CTX, list: *const c_char) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(list) = c_str(list) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        c_int::from(ctx.settings().set_cipher_list(&list))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_ciphersuites(ctx: *mut SSL_CTX, list: *const c_char) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(list) = c_str(list) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        ctx.settings().set_ciphersuites(&list);
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_ciphers(ctx: *const SSL_CTX) -> *mut stack_st_SSL_CIPHER {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ctx, std::ptr::null_mut()).cipher_stack().cast()
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_security_level(ctx: *mut SSL_CTX, level: c_int) {
    ffi_guard!((), { try_ref!(ctx, ()).settings().security_level = level })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_security_level(ctx: *const SSL_CTX) -> c_int {
    ffi_guard!(0, { try_ref!(ctx, 0).settings().security_level })
}

// ---- trust store ----

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_load_verify_locations(
    ctx: *mut SSL_CTX,
    ca_file: *const c_char,
    ca_path: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let (file, dir) = (c_path(ca_file), c_path(ca_path));
        if file.is_none() && dir.is_none() {
            return 0;
        }
        let store = ctx.store();
        if file.is_some_and(|f| !store.load_file(f)) {
            return 0;
        }
        if dir.is_some_and(|d| !store.load_dir(d)) {
            return 0;
        }
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_load_verify_file(
    ctx: *mut SSL_CTX,
    ca_file: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(file) = c_path(ca_file) else {
            return 0;
        };
        c_int::from(ctx.store().load_file(file))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_load_verify_dir(
    ctx: *mut SSL_CTX,
    ca_path: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(dir) = c_path(ca_path) else { return 0 };
        c_int::from(ctx.store().load_dir(dir))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_verify_paths(ctx: *mut SSL_CTX) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_ref!(ctx, 0).store().set_default_paths())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_cert_store(ctx: *const SSL_CTX) -> *mut X509_STORE {
    // The context keeps its reference; the pointer stays valid while it holds this store.
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ctx, std::ptr::null_mut()).store().as_ptr()
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_cert_store(ctx: *mut SSL_CTX, store: *mut X509_STORE) {
    ffi_guard!((), {
        let ctx = try_ref!(ctx, ());
        if let Some(store) = CertStore::adopt(store) {
            ctx.set_store(store);
        } else if let Some(empty) = CertStore::new() {
            ctx.set_store(empty);
        }
    })
}

// ---- credentials ----

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_certificate(ctx: *mut SSL_CTX, x: *mut X509) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        c_int::from(
            ctx.with_credentials(|c| credentials::use_certificate(c, Certificate::up_ref(x))),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_certificate_file(
    ctx: *mut SSL_CTX,
    file: *const c_char,
    filetype: c_int,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        c_int::from(
            ctx.with_credentials(|c| credentials::use_certificate_file(c, c_path(file), filetype)),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_certificate_chain_file(
    ctx: *mut SSL_CTX,
    file: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        c_int::from(
            ctx.with_credentials(|c| credentials::use_certificate_chain_file(c, c_path(file))),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_PrivateKey(ctx: *mut SSL_CTX, pkey: *mut EVP_PKEY) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        c_int::from(
            ctx.with_credentials(|c| credentials::use_private_key(c, PrivateKey::up_ref(pkey))),
        )
    })
}

/// The bytes of an in-memory DER argument (`len` of them at `d`), if any.
pub(crate) fn der_arg<'a>(d: *const c_uchar, len: c_long) -> Option<&'a [u8]> {
    let len = usize::try_from(len).ok().filter(|n| *n > 0)?;
    if d.is_null() {
        return None;
    }
    // SAFETY: d points at len readable bytes, per the function's contract.
    Some(unsafe { std::slice::from_raw_parts(d, len) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_certificate_ASN1(
    ctx: *mut SSL_CTX,
    len: c_int,
    d: *const c_uchar,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(cert) = der_arg(d, c_long::from(len)).and_then(credentials::certificate_from_asn1)
        else {
            return 0;
        };
        c_int::from(ctx.with_credentials(|c| credentials::use_certificate(c, Some(cert))))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_PrivateKey_ASN1(
    pk: c_int,
    ctx: *mut SSL_CTX,
    d: *const c_uchar,
    len: c_long,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(key) = der_arg(d, len).and_then(|der| credentials::private_key_from_asn1(pk, der))
        else {
            return 0;
        };
        c_int::from(ctx.with_credentials(|c| credentials::use_private_key(c, Some(key))))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_PrivateKey_file(
    ctx: *mut SSL_CTX,
    file: *const c_char,
    filetype: c_int,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let password = ctx.settings().password;
        c_int::from(ctx.with_credentials(|c| {
            credentials::use_private_key_file(c, c_path(file), filetype, password)
        }))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_check_private_key(ctx: *const SSL_CTX) -> c_int {
    ffi_guard!(0, { c_int::from(try_ref!(ctx, 0).credentials().check()) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get0_certificate(ctx: *const SSL_CTX) -> *mut X509 {
    ffi_guard!(std::ptr::null_mut(), {
        let ctx = try_ref!(ctx, std::ptr::null_mut());
        // The context keeps its own reference, so the pointer outlives this clone.
        ctx.credentials()
            .leaf
            .map_or(std::ptr::null_mut(), |c| c.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get0_privatekey(ctx: *const SSL_CTX) -> *mut EVP_PKEY {
    ffi_guard!(std::ptr::null_mut(), {
        let ctx = try_ref!(ctx, std::ptr::null_mut());
        ctx.credentials()
            .key
            .map_or(std::ptr::null_mut(), |k| k.as_ptr())
    })
}

/// Adds a CA whose name a server sends when it asks for a client certificate.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_add_client_CA(ctx: *mut SSL_CTX, x: *mut X509) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(cert) = Certificate::up_ref(x) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        match cert.subject_der() {
            Some(name) => {
                ctx.settings().client_ca_names.push(name);
                1
            }
            None => 0,
        }
    })
}

// ---- encrypted keys ----

/// The password callback type (OpenSSL's `pem_password_cb *`).
pub type SslPasswordCb = Option<
    unsafe extern "C" fn(
        buf: *mut c_char,
        size: c_int,
        rwflag: c_int,
        userdata: *mut c_void,
    ) -> c_int,
>;

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_passwd_cb(ctx: *mut SSL_CTX, cb: SslPasswordCb) {
    ffi_guard!((), { try_ref!(ctx, ()).settings().password.callback = cb })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_passwd_cb_userdata(ctx: *mut SSL_CTX, u: *mut c_void) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().password.userdata = u as usize
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_default_passwd_cb(ctx: *mut SSL_CTX) -> SslPasswordCb {
    ffi_guard!(None, { try_ref!(ctx, None).settings().password.callback })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_default_passwd_cb_userdata(ctx: *mut SSL_CTX) -> *mut c_void {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ctx, std::ptr::null_mut())
            .settings()
            .password
            .userdata as *mut c_void
    })
}

// ---- key log ----

/// The key-log callback type (`SSL_CTX_keylog_cb_func`).
pub type SslKeylogCb = Option<unsafe extern "C" fn(ssl: *const SSL, line: *const c_char)>;

#[derive(Debug)]
struct CKeyLog(unsafe extern "C" fn(*const SSL, *const c_char));

impl KeyLogSink for CKeyLog {
    fn log(&self, ssl: usize, line: &CString) {
        // SAFETY: the application's callback with its own SSL and a line valid for the call.
        unsafe { (self.0)(ssl as *const SSL, line.as_ptr()) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_keylog_callback(ctx: *mut SSL_CTX, cb: SslKeylogCb) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().key_log =
            cb.map(|cb| Arc::new(CKeyLog(cb)) as Arc<dyn KeyLogSink>);
    })
}

// ---- server sessions ----

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

// ---- features stored for later issues, or absent ----

/// Post-handshake client authentication: rustls has no such flow, so the client never
/// offers it (as an OpenSSL client that did not enable it); the flag is kept.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_post_handshake_auth(ctx: *mut SSL_CTX, val: c_int) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().post_handshake_auth = val != 0
    })
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
    let mut cache = ctx
        .server_sessions
        .external()
        .and_then(|e| e.as_any().downcast_ref::<CExternalCache>().copied())
        .unwrap_or(CExternalCache {
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
        // SAFETY: a live SSL_SESSION (an Arc<Session>) the caller keeps; the cache takes
        // its own reference.
        let s = unsafe {
            Arc::increment_strong_count(session as *const Session);
            Arc::from_raw(session as *const Session)
        };
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
        // SAFETY: a live SSL_SESSION (an Arc<Session>) the caller keeps; borrowed here.
        let s = unsafe {
            Arc::increment_strong_count(session as *const Session);
            Arc::from_raw(session as *const Session)
        };
        c_int::from(ctx.server_sessions.remove_session(&s))
    })
}

/// The certificate callback type of `SSL_CTX_set_cert_cb`.
pub type SslCertCb = Option<unsafe extern "C" fn(*mut SSL, *mut c_void) -> c_int>;

struct CCertCallback {
    cb: unsafe extern "C" fn(*mut SSL, *mut c_void) -> c_int,
    arg: usize,
}

impl CertCallback for CCertCallback {
    fn call(&self, ssl: usize) -> c_int {
        // SAFETY: the application's callback with its SSL and its own argument.
        unsafe { (self.cb)(ssl as *mut SSL, self.arg as *mut c_void) }
    }
}

/// The callback a server runs once the ClientHello is in, before it picks its
/// certificate (it may set one with `SSL_use_certificate`/`SSL_use_PrivateKey`, fail the
/// handshake with 0, or suspend it with a negative value). A ferrossl client does not
/// call it.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_cert_cb(ctx: *mut SSL_CTX, cb: SslCertCb, arg: *mut c_void) {
    ffi_guard!((), {
        let ctx = try_ref!(ctx, ());
        ctx.set_cert_callback(cb.map(|cb| {
            Arc::new(CCertCallback {
                cb,
                arg: arg as usize,
            }) as Arc<dyn CertCallback>
        }));
    })
}

// ---- ALPN ----

/// Parses an ALPN list argument; `None` for a malformed one. An empty list clears.
pub(crate) fn alpn_arg(protos: *const c_uchar, len: c_uint) -> Option<Vec<Vec<u8>>> {
    if protos.is_null() || len == 0 {
        return Some(Vec::new());
    }
    // SAFETY: protos points at len bytes, per the function's contract.
    let wire = unsafe { std::slice::from_raw_parts(protos, len as usize) };
    alpn::parse_wire(wire)
}

/// Note the inverted convention: 0 on success, 1 on failure.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_alpn_protos(
    ctx: *mut SSL_CTX,
    protos: *const c_uchar,
    protos_len: c_uint,
) -> c_int {
    ffi_guard!(1, {
        let ctx = try_ref!(ctx, 1);
        match alpn_arg(protos, protos_len) {
            Some(list) => {
                ctx.settings().alpn_protos = list;
                0
            }
            None => {
                err::raise_ssl(reason::SSL_R_BAD_VALUE);
                1
            }
        }
    })
}

struct CAlpnSelector {
    cb: unsafe extern "C" fn(
        *mut SSL,
        *mut *const c_uchar,
        *mut c_uchar,
        *const c_uchar,
        c_uint,
        *mut c_void,
    ) -> c_int,
    arg: usize,
}

impl AlpnSelector for CAlpnSelector {
    fn select(&self, ssl: usize, offered: &[u8]) -> AlpnChoice {
        let mut out: *const c_uchar = std::ptr::null();
        let mut outlen: c_uchar = 0;
        // SAFETY: the application's callback, given its SSL, its arg, and the client's
        // list (valid for the call); it points `out` at `outlen` readable bytes.
        let r = unsafe {
            (self.cb)(
                ssl as *mut SSL,
                &mut out,
                &mut outlen,
                offered.as_ptr(),
                offered.len() as c_uint,
                self.arg as *mut c_void,
            )
        };
        match r {
            SSL_TLSEXT_ERR_OK if !out.is_null() && outlen > 0 => {
                // SAFETY: see above; copied before the callback's memory can change.
                AlpnChoice::Selected(
                    unsafe { std::slice::from_raw_parts(out, usize::from(outlen)) }.to_vec(),
                )
            }
            SSL_TLSEXT_ERR_ALERT_FATAL => AlpnChoice::Fatal,
            _ => AlpnChoice::NoAck,
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_alpn_select_cb(
    ctx: *mut SSL_CTX,
    cb: SslAlpnSelectCb,
    arg: *mut c_void,
) {
    ffi_guard!((), {
        let ctx = try_ref!(ctx, ());
        ctx.set_alpn_selector(cb.map(|cb| {
            Arc::new(CAlpnSelector {
                cb,
                arg: arg as usize,
            }) as Arc<dyn AlpnSelector>
        }));
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_select_next_proto(
    out: *mut *mut c_uchar,
    outlen: *mut c_uchar,
    server: *const c_uchar,
    server_len: c_uint,
    client: *const c_uchar,
    client_len: c_uint,
) -> c_int {
    ffi_guard!(OPENSSL_NPN_NO_OVERLAP, {
        if out.is_null() || outlen.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return OPENSSL_NPN_NO_OVERLAP;
        }
        let slice = |p: *const c_uchar, n: c_uint| -> &[u8] {
            if p.is_null() {
                &[]
            } else {
                // SAFETY: p points at n bytes, per the function's contract.
                unsafe { std::slice::from_raw_parts(p, n as usize) }
            }
        };
        let (s, c) = (slice(server, server_len), slice(client, client_len));
        let (status, base, pick) = match alpn::select_next(s, c) {
            alpn::Selection::Negotiated(o, l) => (OPENSSL_NPN_NEGOTIATED, server, Some((o, l))),
            alpn::Selection::NoOverlap(first) => (OPENSSL_NPN_NO_OVERLAP, client, first),
        };
        // SAFETY: out/outlen are writable; the result points into the caller's own buffer.
        unsafe {
            match pick {
                Some((o, l)) => {
                    *out = base.add(o) as *mut c_uchar;
                    *outlen = l as c_uchar;
                }
                None => {
                    *out = std::ptr::null_mut();
                    *outlen = 0;
                }
            }
        }
        status
    })
}

// ---- application data ----

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

// ---- NPN and PSK: not implemented, answered as never negotiated ----

/// NPN (replaced by ALPN) is not implemented: the client never offers it, so this
/// callback is never called and `SSL_get0_next_proto_negotiated` reports nothing.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_next_proto_select_cb(
    ctx: *mut SSL_CTX,
    cb: Option<
        unsafe extern "C" fn(
            *mut SSL,
            *mut *mut c_uchar,
            *mut c_uchar,
            *const c_uchar,
            c_uint,
            *mut c_void,
        ) -> c_int,
    >,
    arg: *mut c_void,
) {
    let _ = (ctx, cb, arg);
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

/// NPN is not implemented: the server never advertises protocols by it (a client that
/// asks gets no NPN answer), so this callback is never called.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_next_protos_advertised_cb(
    ctx: *mut SSL_CTX,
    cb: Option<
        unsafe extern "C" fn(*mut SSL, *mut *const c_uchar, *mut c_uint, *mut c_void) -> c_int,
    >,
    arg: *mut c_void,
) {
    let _ = (ctx, cb, arg);
}

/// Finite-field DHE suites are not offered (only ECDHE and TLS 1.3 groups), so DH
/// parameters are never used; as for `SSL_CTX_set_tmp_dh`, they are accepted, and the
/// key handed over is freed.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set0_tmp_dh_pkey(
    ctx: *mut SSL_CTX,
    dhpkey: *mut EVP_PKEY,
) -> c_int {
    ffi_guard!(0, {
        try_ref!(ctx, 0);
        if dhpkey.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        // SAFETY: the caller handed over its reference to a live EVP_PKEY.
        unsafe { openssl_sys::EVP_PKEY_free(dhpkey) };
        1
    })
}

/// Loads the trust anchors of libcrypto's default directory (`SSL_CERT_DIR` or the
/// built-in path); like OpenSSL, a missing directory is not an error.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_verify_dir(ctx: *mut SSL_CTX) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let dir = crate::libcrypto::store::default_cert_dir();
        err::discarding_errors(|| ctx.store().load_dir(std::path::Path::new(&dir)));
        1
    })
}

/// Loads the trust anchors of libcrypto's default file (`SSL_CERT_FILE` or the
/// built-in path); like OpenSSL, a missing file is not an error.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_verify_file(ctx: *mut SSL_CTX) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let file = crate::libcrypto::store::default_cert_file();
        err::discarding_errors(|| ctx.store().load_file(std::path::Path::new(&file)));
        1
    })
}

/// Copies verification parameters into the context's (`X509_VERIFY_PARAM_set1`).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set1_param(
    ctx: *mut SSL_CTX,
    vpm: *mut X509_VERIFY_PARAM,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        if vpm.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        // SAFETY: both are live parameter sets; libcrypto copies from vpm.
        unsafe { crate::libcrypto::extra::X509_VERIFY_PARAM_set1(ctx.param.as_ptr(), vpm) }
    })
}

/// Trust anchors from an `OSSL_STORE` URI, through libcrypto's store loader.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_load_verify_store(ctx: *mut SSL_CTX, uri: *const c_char) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        if uri.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        // SAFETY: the context's live store and a NUL-terminated URI from the caller.
        unsafe { crate::libcrypto::extra::X509_STORE_load_store(ctx.store().as_ptr(), uri) }
    })
}

/// An RSA private key from a PEM or DER file; a key of another type is refused (with
/// `ERR_R_PEM_LIB`), as OpenSSL reads only RSA keys here.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_RSAPrivateKey_file(
    ctx: *mut SSL_CTX,
    file: *const c_char,
    filetype: c_int,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(path) = c_path(file) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        let password = ctx.settings().password;
        let Some(key) = credentials::read_private_key(path, filetype, password) else {
            return 0;
        };
        if !key.is_rsa() {
            err::raise_ssl(err::ERR_R_PEM_LIB);
            return 0;
        }
        c_int::from(ctx.with_credentials(|c| credentials::use_private_key(c, Some(key))))
    })
}

/// The read buffer size is rustls' own; the hint is taken and has no effect.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_read_buffer_len(ctx: *mut SSL_CTX, len: usize) {
    let _ = (ctx, len);
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

/// Trust anchors from libcrypto's default store (its default certificate directory as an
/// `OSSL_STORE` URI); like OpenSSL, a missing store is not an error.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_verify_store(ctx: *mut SSL_CTX) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let dir = crate::libcrypto::store::default_cert_dir();
        if let Ok(uri) =
            std::ffi::CString::new(std::os::unix::ffi::OsStrExt::as_bytes(dir.as_os_str()))
        {
            err::discarding_errors(|| {
                // SAFETY: the context's live store and a NUL-terminated URI made here.
                unsafe {
                    crate::libcrypto::extra::X509_STORE_load_store(
                        ctx.store().as_ptr(),
                        uri.as_ptr(),
                    )
                }
            });
        }
        1
    })
}
