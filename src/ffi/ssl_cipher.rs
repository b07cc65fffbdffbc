//! `SSL_CIPHER_*`: what a negotiated suite is called and how strong it is.

use std::os::raw::{c_char, c_int};

use super::SSL_CIPHER;

#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_get_name(c: *const SSL_CIPHER) -> *const c_char {
    // OpenSSL answers "(NONE)" for a NULL cipher rather than failing.
    ffi_guard!(c"(NONE)".as_ptr(), {
        // SAFETY: NULL or a pointer into the static cipher table.
        unsafe { c.as_ref() }.map_or(c"(NONE)".as_ptr(), |c| c.name.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_standard_name(c: *const SSL_CIPHER) -> *const c_char {
    ffi_guard!(c"(NONE)".as_ptr(), {
        // SAFETY: NULL or a pointer into the static cipher table.
        unsafe { c.as_ref() }.map_or(c"(NONE)".as_ptr(), |c| c.standard_name.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_get_version(c: *const SSL_CIPHER) -> *const c_char {
    ffi_guard!(c"(NONE)".as_ptr(), {
        // SAFETY: NULL or a pointer into the static cipher table.
        unsafe { c.as_ref() }.map_or(c"(NONE)".as_ptr(), |c| c.version.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_get_bits(c: *const SSL_CIPHER, alg_bits: *mut c_int) -> c_int {
    ffi_guard!(0, {
        // SAFETY: NULL or a pointer into the static cipher table.
        let Some(c) = (unsafe { c.as_ref() }) else {
            return 0;
        };
        if !alg_bits.is_null() {
            // SAFETY: a writable int from the caller.
            unsafe { *alg_bits = c.bits };
        }
        c.bits
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_get_id(c: *const SSL_CIPHER) -> u32 {
    ffi_guard!(0, {
        // SAFETY: NULL or a pointer into the static cipher table.
        unsafe { c.as_ref() }.map_or(0, |c| c.id())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_get_protocol_id(c: *const SSL_CIPHER) -> u16 {
    ffi_guard!(0, {
        // SAFETY: NULL or a pointer into the static cipher table.
        unsafe { c.as_ref() }.map_or(0, |c| u16::from(c.suite))
    })
}
