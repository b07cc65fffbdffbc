//! `SSL_SESSION_print` (to a BIO or a `FILE *`) and `SSL_SESSION_print_keylog`.

use super::encoding::with_file_bio;
use std::os::raw::c_int;

use crate::ffi::SSL_SESSION;
use crate::libcrypto::error_queue as err;

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

/// `SSL_SESSION_print` to a `FILE *`.
#[no_mangle]
pub unsafe extern "C" fn SSL_SESSION_print_fp(
    fp: *mut libc::FILE,
    session: *const SSL_SESSION,
) -> c_int {
    ffi_guard!(0, {
        try_ref!(session, 0);
        // SAFETY: bio is live for the call; session was checked above.
        with_file_bio(fp, |bio| unsafe { SSL_SESSION_print(bio, session) })
    })
}
