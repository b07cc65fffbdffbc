//! A connection's suites: setting them (`SSL_set_cipher_list`, `SSL_set_ciphersuites`,
//! the security level) and listing them (`SSL_get_ciphers`, the client's, the shared ones).

use std::os::raw::{c_char, c_int};

use crate::ffi::{c_str, stack_st_SSL_CIPHER, SSL};
use crate::libcrypto::error_queue as err;

#[no_mangle]
pub unsafe extern "C" fn SSL_set_cipher_list(ssl: *mut SSL, list: *const c_char) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let Some(list) = c_str(list) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        c_int::from(conn.settings.set_cipher_list(&list))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_ciphersuites(ssl: *mut SSL, list: *const c_char) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let Some(list) = c_str(list) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        c_int::from(conn.settings.set_ciphersuites(&list))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_ciphers(ssl: *const SSL) -> *mut stack_st_SSL_CIPHER {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut()).cipher_stack().cast()
    })
}

/// The name of the `n`th enabled suite, or NULL past the end.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_cipher_list(ssl: *const SSL, n: c_int) -> *const c_char {
    ffi_guard!(std::ptr::null(), {
        let conn = try_conn!(ssl, std::ptr::null());
        let Ok(n) = usize::try_from(n) else {
            return std::ptr::null();
        };
        let name = conn
            .settings
            .ciphers()
            .nth(n)
            .map_or(std::ptr::null(), |c| c.name.as_ptr());
        name
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_security_level(ssl: *mut SSL, level: c_int) {
    ffi_guard!((), { try_conn!(ssl, ()).settings.security_level = level })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_security_level(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { try_conn!(ssl, 0).settings.security_level })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_client_ciphers(ssl: *const SSL) -> *mut stack_st_SSL_CIPHER {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut())
            .client_cipher_stack()
            .cast()
    })
}

/// A server's shared suites as `NAME:NAME:...` in `buf` (NULL when none are known yet or
/// `buf` is too small for even one, as OpenSSL).
#[no_mangle]
pub unsafe extern "C" fn SSL_get_shared_ciphers(
    ssl: *const SSL,
    buf: *mut c_char,
    size: c_int,
) -> *mut c_char {
    ffi_guard!(std::ptr::null_mut(), {
        let conn = try_conn!(ssl, std::ptr::null_mut());
        let size = usize::try_from(size).unwrap_or(0);
        if buf.is_null() {
            return std::ptr::null_mut();
        }
        let Some(text) = conn.shared_cipher_list(size) else {
            return std::ptr::null_mut();
        };
        // SAFETY: buf has room for size bytes; text.len() < size leaves one for the NUL.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr() as *const c_char, buf, text.len());
            *buf.add(text.len()) = 0;
        }
        buf
    })
}

/// The suites this connection could use, in a new stack the caller frees.
#[no_mangle]
pub unsafe extern "C" fn SSL_get1_supported_ciphers(ssl: *mut SSL) -> *mut stack_st_SSL_CIPHER {
    ffi_guard!(std::ptr::null_mut(), {
        let conn = try_conn!(ssl, std::ptr::null_mut());
        crate::libcrypto::stack::BorrowingStack::new(conn.supported_ciphers())
            .map_or(std::ptr::null_mut(), |s| s.into_raw().cast())
    })
}
