//! What a session records, read and set: id and id context, times, hostname, ALPN, ticket,
//! version, suite, master key, peer, early-data limit, application data.

use std::os::raw::{c_int, c_long, c_uchar, c_uint, c_ulong};

use crate::ffi::SSL_SESSION;
use crate::libcrypto::error_queue as err;

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
    ffi_guard!(0, { try_ref!(session, 0).created() as c_long })
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
            .hostname_ptr()
            .unwrap_or(std::ptr::null())
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
    crate::ffi::refuse_unsupported(session, 0)
}

/// Moves the session's start time (its lifetime counts from there); returns `t`, or 0.
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_set_time(session: *mut SSL_SESSION, t: c_long) -> c_long {
    ffi_guard!(0, {
        try_ref!(session, 0).set_created(u64::try_from(t).unwrap_or(0));
        t
    })
}

/// A TLS 1.2 session's ticket as the server sent it; nothing for the others (rustls keeps
/// TLS 1.3 tickets to itself).
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get0_ticket(
    session: *const SSL_SESSION,
    tick: *mut *const c_uchar,
    len: *mut usize,
) {
    ffi_guard!((), {
        let s = try_ref!(session, ());
        let (p, n) = s
            .ticket()
            .map_or((std::ptr::null(), 0), |t| (t.as_ptr(), t.len()));
        // SAFETY: the caller's optional out-pointers.
        unsafe {
            if !tick.is_null() {
                *tick = p;
            }
            if !len.is_null() {
                *len = n;
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get0_alpn_selected(
    session: *const SSL_SESSION,
    alpn: *mut *const c_uchar,
    len: *mut usize,
) {
    ffi_guard!((), {
        let (p, n) = try_ref!(session, ())
            .alpn_selected()
            .unwrap_or((std::ptr::null(), 0));
        // SAFETY: the caller's out-pointers (OpenSSL writes both unconditionally).
        unsafe {
            if !alpn.is_null() {
                *alpn = p;
            }
            if !len.is_null() {
                *len = n;
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_set1_alpn_selected(
    session: *mut SSL_SESSION,
    alpn: *const c_uchar,
    len: usize,
) -> c_int {
    ffi_guard!(0, {
        let s = try_ref!(session, 0);
        let protocol = (!alpn.is_null() && len > 0)
            // SAFETY: alpn is readable for len bytes, per the contract.
            .then(|| unsafe { std::slice::from_raw_parts(alpn, len) });
        s.set_alpn_selected(protocol);
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_set1_hostname(
    session: *mut SSL_SESSION,
    hostname: *const std::os::raw::c_char,
) -> c_int {
    ffi_guard!(0, {
        let s = try_ref!(session, 0);
        // SAFETY: NULL or a C string from the caller.
        let name = (!hostname.is_null()).then(|| unsafe { std::ffi::CStr::from_ptr(hostname) });
        s.set_hostname(name.map(std::ffi::CStr::to_owned));
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_set_max_early_data(
    session: *mut SSL_SESSION,
    max: u32,
) -> c_int {
    ffi_guard!(0, {
        try_ref!(session, 0).set_max_early_data(max);
        1
    })
}

/// The maximum fragment length extension is never negotiated: disabled (0).
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_get_max_fragment_length(session: *const SSL_SESSION) -> u8 {
    let _ = session;
    0
}
