//! A session's serialised form: `i2d_SSL_SESSION`/`d2i_SSL_SESSION` and PEM over BIOs and
//! `FILE *`. rustls does not expose its resumption secrets, so a client session only comes
//! back to life in the process that made it.

use super::clone_arc;
use std::os::raw::{c_int, c_long, c_uchar};
use std::sync::Arc;

use crate::ffi::SSL_SESSION;
use crate::libcrypto::error_queue as err;
use crate::session::{self, Session};

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

/// Runs `f` with a BIO over the caller's `FILE *` (0 if one cannot be made).
pub(super) fn with_file_bio(
    fp: *mut libc::FILE,
    f: impl FnOnce(*mut openssl_sys::BIO) -> c_int,
) -> c_int {
    if fp.is_null() {
        err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
        return 0;
    }
    // SAFETY: the caller's open FILE; the BIO does not close it (BIO_NOCLOSE).
    let bio = unsafe { openssl_sys::BIO_new_fp(fp as *mut _, 0) };
    if bio.is_null() {
        return 0;
    }
    let r = f(bio);
    // SAFETY: the BIO made above.
    unsafe { openssl_sys::BIO_free_all(bio) };
    r
}

/// `PEM_write_bio_SSL_SESSION` to a `FILE *`.
#[no_mangle]
pub unsafe extern "C" fn PEM_write_SSL_SESSION(
    fp: *mut libc::FILE,
    session: *const SSL_SESSION,
) -> c_int {
    ffi_guard!(0, {
        try_ref!(session, 0);
        // SAFETY: bio is live for the call; session was checked above.
        with_file_bio(fp, |bio| unsafe { PEM_write_bio_SSL_SESSION(bio, session) })
    })
}

/// `PEM_read_bio_SSL_SESSION` from a `FILE *`.
#[no_mangle]
pub unsafe extern "C" fn PEM_read_SSL_SESSION(
    fp: *mut libc::FILE,
    out: *mut *mut SSL_SESSION,
    cb: *mut std::os::raw::c_void,
    u: *mut std::os::raw::c_void,
) -> *mut SSL_SESSION {
    ffi_guard!(std::ptr::null_mut(), {
        let mut read = std::ptr::null_mut();
        with_file_bio(fp, |bio| {
            // SAFETY: bio is live for the call; out is the caller's optional slot.
            read = unsafe { PEM_read_bio_SSL_SESSION(bio, out, cb, u) };
            c_int::from(!read.is_null())
        });
        read
    })
}
