//! `SSL_SESSION_*` and the `SSL_*` calls that take or give sessions (clients).
//!
//! An `SSL_SESSION *` is an `Arc<Session>` given to C; `SSL_SESSION_free` drops one
//! reference. rustls does not expose its resumption secrets, so a serialised session
//! (`i2d_SSL_SESSION`) only comes back to life (`d2i_SSL_SESSION`) in the same process.

use std::os::raw::{c_int, c_long, c_uchar, c_uint, c_ulong};
use std::sync::Arc;

use super::{SSL, SSL_SESSION};
use crate::libcrypto::error_queue as err;
use crate::session::{self, Session};

/// A new `Arc` for a session pointer from C (one more reference).
///
/// # Safety
/// `s` is a live `SSL_SESSION *` handed out by ferrossl.
unsafe fn clone_arc(s: *const SSL_SESSION) -> Arc<Session> {
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

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get_id(
    session: *const SSL_SESSION,
    len: *mut c_uint,
) -> *const c_uchar {
    ffi_guard!(std::ptr::null(), {
        let (p, n) = try_ref!(session, std::ptr::null()).id_location();
        if !len.is_null() {
            // SAFETY: a writable out-parameter.
            unsafe { *len = n as c_uint };
        }
        p
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get_time(session: *const SSL_SESSION) -> c_long {
    ffi_guard!(0, { try_ref!(session, 0).created as c_long })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get_timeout(session: *const SSL_SESSION) -> c_long {
    ffi_guard!(0, { try_ref!(session, 0).timeout() as c_long })
}

/// Sets the lifetime (seconds); 1, or 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_set_timeout(session: *mut SSL_SESSION, t: c_long) -> c_long {
    ffi_guard!(0, {
        try_ref!(session, 0).set_timeout(u64::try_from(t).unwrap_or(0));
        1
    })
}

/// The SNI name the client sent when the session was made (NULL if none).
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get0_hostname(
    session: *const SSL_SESSION,
) -> *const std::os::raw::c_char {
    ffi_guard!(std::ptr::null(), {
        try_ref!(session, std::ptr::null())
            .hostname()
            .map_or(std::ptr::null(), |h| h.as_ptr())
    })
}

/// A TLS 1.2 ticket's lifetime hint, as the server sent it. rustls keeps TLS 1.3's: 0,
/// which RFC 5077 reads as "unspecified".
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get_ticket_lifetime_hint(
    session: *const SSL_SESSION,
) -> c_ulong {
    ffi_guard!(0, {
        c_ulong::from(try_ref!(session, 0).ticket_lifetime_hint())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_has_ticket(session: *const SSL_SESSION) -> c_int {
    ffi_guard!(0, { c_int::from(try_ref!(session, 0).has_ticket()) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_is_resumable(session: *const SSL_SESSION) -> c_int {
    ffi_guard!(0, { c_int::from(try_ref!(session, 0).is_resumable()) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get_protocol_version(session: *const SSL_SESSION) -> c_int {
    ffi_guard!(0, { c_int::from(try_ref!(session, 0).version()) })
}

/// Serialises a session (see [`session::encode`]: a server's by value, a client's as a
/// name valid in this process).
#[no_mangle]
pub unsafe extern "C" fn i2d_SSL_SESSION(
    session: *const SSL_SESSION,
    pp: *mut *mut c_uchar,
) -> c_int {
    ffi_guard!(0, {
        try_ref!(session, 0);
        // SAFETY: a live session from ferrossl; we take our own reference for encoding.
        let arc = unsafe { clone_arc(session) };
        let der = session::encode(&arc);
        if !pp.is_null() {
            // SAFETY: per i2d's contract *pp has room for the encoding; it is advanced past it.
            unsafe {
                if !(*pp).is_null() {
                    std::ptr::copy_nonoverlapping(der.as_ptr(), *pp, der.len());
                    *pp = (*pp).add(der.len());
                }
            }
        }
        der.len() as c_int
    })
}

/// Turns a serialised session back into a session: a server's from its bytes, a
/// client's if it was made by this process and is still alive; otherwise refused.
#[no_mangle]
pub unsafe extern "C" fn d2i_SSL_SESSION(
    a: *mut *mut SSL_SESSION,
    pp: *mut *const c_uchar,
    length: c_long,
) -> *mut SSL_SESSION {
    ffi_guard!(std::ptr::null_mut(), {
        if pp.is_null() || length <= 0 {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return std::ptr::null_mut();
        }
        // SAFETY: *pp points at length readable bytes, per d2i's contract.
        let der = unsafe { std::slice::from_raw_parts(*pp, length as usize) };
        let (Some(session), Some(used)) = (session::decode(der), session::encoded_len(der)) else {
            err::raise_ssl(err::ERR_R_UNSUPPORTED);
            return std::ptr::null_mut();
        };
        let raw = Arc::into_raw(session) as *mut SSL_SESSION;
        // SAFETY: advancing the caller's cursor past what was read; storing into *a if asked.
        unsafe {
            *pp = (*pp).add(used);
            if !a.is_null() {
                if !(*a).is_null() {
                    Arc::decrement_strong_count(*a as *const Session);
                }
                *a = raw;
            }
        }
        raw
    })
}

/// A TLS 1.2 session's master secret (as rustls logged it); none for TLS 1.3, whose
/// resumption secret rustls keeps. With `outlen` 0, its length.
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get_master_key(
    session: *const SSL_SESSION,
    out: *mut std::os::raw::c_uchar,
    outlen: usize,
) -> usize {
    ffi_guard!(0, {
        let s = try_ref!(session, 0);
        let key = s.tls12_details().map_or(&[][..], |d| &d.master_key);
        if outlen == 0 {
            return key.len();
        }
        let n = outlen.min(key.len());
        if !out.is_null() && n > 0 {
            // SAFETY: the caller's buffer holds `outlen` bytes, and n <= outlen.
            unsafe { std::ptr::copy_nonoverlapping(key.as_ptr(), out, n) };
        }
        n
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_set_ex_data(
    session: *mut SSL_SESSION,
    idx: std::os::raw::c_int,
    data: *mut std::os::raw::c_void,
) -> std::os::raw::c_int {
    ffi_guard!(0, { try_ref!(session, 0).ex_data().set(idx, data) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get_ex_data(
    session: *const SSL_SESSION,
    idx: std::os::raw::c_int,
) -> *mut std::os::raw::c_void {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(session, std::ptr::null_mut()).ex_data().get(idx)
    })
}

/// Keeps application data with the session. ferrossl's tickets (rustls') cannot carry it,
/// so it stays with the session object in this process.
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_set1_ticket_appdata(
    session: *mut SSL_SESSION,
    data: *const std::os::raw::c_void,
    len: usize,
) -> std::os::raw::c_int {
    ffi_guard!(0, {
        let s = try_ref!(session, 0);
        let bytes = if data.is_null() || len == 0 {
            Vec::new()
        } else {
            // SAFETY: data is readable for len bytes, per the function's contract.
            unsafe { std::slice::from_raw_parts(data as *const u8, len) }.to_vec()
        };
        s.set_ticket_appdata(bytes);
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get0_ticket_appdata(
    session: *mut SSL_SESSION,
    data: *mut *mut std::os::raw::c_void,
    len: *mut usize,
) -> std::os::raw::c_int {
    ffi_guard!(0, {
        let (p, n) = try_ref!(session, 0)
            .ticket_appdata()
            .unwrap_or((std::ptr::null(), 0));
        if data.is_null() || len.is_null() {
            return 0;
        }
        // SAFETY: writable slots from the caller; the bytes stay with the session.
        unsafe {
            *data = p as *mut std::os::raw::c_void;
            *len = n;
        }
        1
    })
}

const PEM_SESSION_NAME: &std::ffi::CStr = c"SSL SESSION PARAMETERS";

/// Writes the session in PEM (`-----BEGIN SSL SESSION PARAMETERS-----`), as i2d encodes it.
#[no_mangle]
pub unsafe extern "C" fn PEM_write_bio_SSL_SESSION(
    bio: *mut openssl_sys::BIO,
    session: *const SSL_SESSION,
) -> c_int {
    ffi_guard!(0, {
        try_ref!(session, 0);
        if bio.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        // SAFETY: a live session from ferrossl; our own reference for encoding.
        let arc = unsafe { clone_arc(session) };
        let der = session::encode(&arc);
        // SAFETY: bio is the caller's live BIO (checked for NULL above).
        c_int::from(unsafe { crate::libcrypto::pem_bio::write(bio, PEM_SESSION_NAME, &der) })
    })
}

/// Reads a PEM session (as `d2i_SSL_SESSION` takes it); the password arguments do not
/// apply (sessions are not encrypted).
#[no_mangle]
pub unsafe extern "C" fn PEM_read_bio_SSL_SESSION(
    bio: *mut openssl_sys::BIO,
    out: *mut *mut SSL_SESSION,
    _cb: *mut std::os::raw::c_void,
    _u: *mut std::os::raw::c_void,
) -> *mut SSL_SESSION {
    ffi_guard!(std::ptr::null_mut(), {
        if bio.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return std::ptr::null_mut();
        }
        // SAFETY: bio is the caller's live BIO (checked for NULL above).
        let Some(der) = (unsafe { crate::libcrypto::pem_bio::read(bio, PEM_SESSION_NAME) }) else {
            return std::ptr::null_mut();
        };
        let mut p = der.as_ptr();
        // SAFETY: p points at der.len() bytes; out is the caller's optional slot.
        unsafe { d2i_SSL_SESSION(out, &mut p, der.len() as c_long) }
    })
}

/// The suite the session was made with.
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get0_cipher(
    session: *const SSL_SESSION,
) -> *const crate::ffi::SSL_CIPHER {
    ffi_guard!(std::ptr::null(), {
        try_ref!(session, std::ptr::null())
            .cipher()
            .map_or(std::ptr::null(), |c| c as *const crate::ffi::SSL_CIPHER)
    })
}

/// The peer's certificate as the full handshake saw it (owned by the session).
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get0_peer(
    session: *mut SSL_SESSION,
) -> *mut openssl_sys::X509 {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(session, std::ptr::null_mut())
            .peer_certificate_ptr()
            .unwrap_or(std::ptr::null_mut())
    })
}

/// Sessions are never compressed.
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get_compress_id(
    session: *const SSL_SESSION,
) -> std::os::raw::c_uint {
    ffi_guard!(0, {
        try_ref!(session, 0);
        0
    })
}

/// Sets the id the session reports (and is serialised with); up to 32 bytes.
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_set1_id(
    session: *mut SSL_SESSION,
    sid: *const c_uchar,
    sid_len: c_uint,
) -> c_int {
    const SSL_R_SSL_SESSION_ID_TOO_LONG: c_int = 408;
    ffi_guard!(0, {
        let s = try_ref!(session, 0);
        let len = sid_len as usize;
        if len > 32 {
            err::raise_ssl(SSL_R_SSL_SESSION_ID_TOO_LONG);
            return 0;
        }
        let id = if len == 0 || sid.is_null() {
            &[][..]
        } else {
            // SAFETY: sid is readable for sid_len bytes.
            unsafe { std::slice::from_raw_parts(sid, len) }
        };
        s.set_id(id);
        1
    })
}

/// Sets the session id context (up to 32 bytes).
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_set1_id_context(
    session: *mut SSL_SESSION,
    sid_ctx: *const c_uchar,
    sid_ctx_len: c_uint,
) -> c_int {
    ffi_guard!(0, {
        let s = try_ref!(session, 0);
        let len = sid_ctx_len as usize;
        if len > 32 {
            err::raise_ssl(crate::codes::reason::SSL_R_SSL_SESSION_ID_CONTEXT_TOO_LONG);
            return 0;
        }
        let ctx = if len == 0 || sid_ctx.is_null() {
            &[][..]
        } else {
            // SAFETY: sid_ctx is readable for sid_ctx_len bytes.
            unsafe { std::slice::from_raw_parts(sid_ctx, len) }
        };
        s.set_id_context(ctx);
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get0_id_context(
    session: *const SSL_SESSION,
    len: *mut c_uint,
) -> *const c_uchar {
    ffi_guard!(std::ptr::null(), {
        let s = try_ref!(session, std::ptr::null());
        let ctx = s.id_context();
        if !len.is_null() {
            // SAFETY: a writable out-parameter.
            unsafe { *len = ctx.len() as c_uint };
        }
        s.id_context_ptr()
    })
}

/// A new, empty session (nothing to resume with).
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_new() -> *mut SSL_SESSION {
    ffi_guard!(std::ptr::null_mut(), {
        Arc::into_raw(Arc::new(Session::unresumable(0))) as *mut SSL_SESSION
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_set_cipher(
    session: *mut SSL_SESSION,
    cipher: *const crate::ffi::SSL_CIPHER,
) -> c_int {
    ffi_guard!(0, {
        let s = try_ref!(session, 0);
        // The session keeps a 'static reference: the entry of the static table this is.
        let known = crate::config::cipher::CIPHERS
            .iter()
            .find(|k| std::ptr::eq(*k, cipher));
        if known.is_none() {
            err::raise_ssl(err::ERR_R_PASSED_INVALID_ARGUMENT);
            return 0;
        }
        s.set_cipher(known);
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_set_protocol_version(
    session: *mut SSL_SESSION,
    version: c_int,
) -> c_int {
    ffi_guard!(0, {
        let s = try_ref!(session, 0);
        s.set_version(u16::try_from(version).unwrap_or(0));
        1
    })
}

/// A master key cannot make a session rustls resumes (external PSKs are not
/// implemented): refused with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_set1_master_key(
    session: *mut SSL_SESSION,
    key: *const c_uchar,
    len: usize,
) -> c_int {
    let _ = (key, len);
    super::refuse_unsupported(session, 0)
}

/// `RSA Session-ID:<id> Master-Key:<key>` for a TLS 1.2 session; 0 for a session without
/// an id or a master key (TLS 1.3's resumption secret stays in rustls), as in OpenSSL.
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_print_keylog(
    bio: *mut openssl_sys::BIO,
    session: *const SSL_SESSION,
) -> c_int {
    ffi_guard!(0, {
        let Some(line) = try_ref!(session, 0).keylog_line() else {
            return 0;
        };
        if bio.is_null() {
            return 0;
        }
        crate::libcrypto::bio::write_text(bio, &line)
    })
}

/// A text description of the session in OpenSSL's layout (the fields ferrossl knows).
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_print(
    bio: *mut openssl_sys::BIO,
    session: *const SSL_SESSION,
) -> c_int {
    ffi_guard!(0, {
        let s = try_ref!(session, 0);
        if bio.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        use crate::libcrypto::bio::{write_dump, write_text};
        let text = s.describe();
        let written = write_text(bio, &text.head) == 1
            && text.ticket.as_ref().map_or(true, |t| {
                write_text(bio, "\n    TLS session ticket:\n") == 1 && write_dump(bio, t, 4) == 1
            })
            && write_text(bio, &text.tail) == 1;
        c_int::from(written)
    })
}
