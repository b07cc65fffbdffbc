//! `SSL_CIPHER_*`: what a negotiated suite is called and how strong it is.

use std::os::raw::{c_char, c_int, c_uchar, c_void};

use super::{SSL, SSL_CIPHER};
use crate::config::cipher;
use crate::libcrypto::error_queue as err;

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

#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_get_kx_nid(c: *const SSL_CIPHER) -> c_int {
    // SAFETY: NULL or a pointer into the static cipher table.
    ffi_guard!(0, { unsafe { c.as_ref() }.map_or(0, |c| c.kx_nid()) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_get_auth_nid(c: *const SSL_CIPHER) -> c_int {
    // SAFETY: NULL or a pointer into the static cipher table.
    ffi_guard!(0, { unsafe { c.as_ref() }.map_or(0, |c| c.auth_nid()) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_get_cipher_nid(c: *const SSL_CIPHER) -> c_int {
    // SAFETY: NULL or a pointer into the static cipher table.
    ffi_guard!(0, { unsafe { c.as_ref() }.map_or(0, |c| c.cipher_nid()) })
}

/// Every suite ferrossl offers is an AEAD, whose MAC is not a separate digest.
#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_get_digest_nid(c: *const SSL_CIPHER) -> c_int {
    let _ = c;
    0
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_is_aead(c: *const SSL_CIPHER) -> c_int {
    c_int::from(!c.is_null())
}

/// Looks a suite up by its two IANA bytes.
#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_find(ssl: *mut SSL, ptr: *const c_uchar) -> *const SSL_CIPHER {
    ffi_guard!(std::ptr::null(), {
        if ssl.is_null() || ptr.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return std::ptr::null();
        }
        // SAFETY: ptr points at the two bytes of a cipher suite code.
        let id = unsafe { [*ptr, *ptr.add(1)] };
        cipher::by_id(id).map_or(std::ptr::null(), |c| c as *const SSL_CIPHER)
    })
}

/// Writes the suite's description line into `buf` (at least 128 bytes), or into a new
/// `OPENSSL_malloc` buffer when `buf` is NULL.
#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_description(
    c: *const SSL_CIPHER,
    buf: *mut c_char,
    size: c_int,
) -> *mut c_char {
    const MIN_LEN: usize = 128;
    ffi_guard!(std::ptr::null_mut(), {
        // SAFETY: NULL or a pointer into the static cipher table.
        let Some(c) = (unsafe { c.as_ref() }) else {
            return std::ptr::null_mut();
        };
        let (out, len) = if buf.is_null() {
            // SAFETY: libcrypto's allocator, so that the caller's OPENSSL_free releases it.
            let p = unsafe { openssl_sys::CRYPTO_malloc(MIN_LEN, c"ferrossl".as_ptr(), 0) }
                as *mut c_char;
            (p, MIN_LEN)
        } else {
            match usize::try_from(size) {
                Ok(n) if n >= MIN_LEN => (buf, n),
                _ => return std::ptr::null_mut(),
            }
        };
        if out.is_null() {
            return std::ptr::null_mut();
        }
        let text = c.description();
        let n = text.len().min(len - 1);
        // SAFETY: out has room for len bytes; n < len leaves one for the NUL.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr() as *const c_char, out, n);
            *out.add(n) = 0;
        }
        out
    })
}

/// The digest of the suite's handshake (SHA-256 or SHA-384), as libcrypto's `EVP_MD`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CIPHER_get_handshake_digest(
    c: *const SSL_CIPHER,
) -> *const openssl_sys::EVP_MD {
    ffi_guard!(std::ptr::null(), {
        // SAFETY: NULL or a pointer into the static cipher table.
        let Some(c) = (unsafe { c.as_ref() }) else {
            return std::ptr::null();
        };
        let sha384 = c.standard_name.to_bytes().ends_with(b"SHA384");
        // SAFETY: libcrypto's static digest objects.
        unsafe {
            if sha384 {
                openssl_sys::EVP_sha384()
            } else {
                openssl_sys::EVP_sha256()
            }
        }
    })
}

/// OpenSSL's name for a suite's standard (RFC) name, "(NONE)" if it is not one of
/// ferrossl's.
#[no_mangle]
pub unsafe extern "C" fn OPENSSL_cipher_name(stdname: *const c_char) -> *const c_char {
    ffi_guard!(c"(NONE)".as_ptr(), {
        let Some(name) = crate::ffi::c_str(stdname) else {
            return c"(NONE)".as_ptr();
        };
        cipher::CIPHERS
            .iter()
            .find(|c| c.standard_name.to_bytes() == name.as_bytes())
            .map_or(c"(NONE)".as_ptr(), |c| c.name.as_ptr())
    })
}

/// OpenSSL 3.0's default cipher list, the string `SSL_CTX_set_cipher_list` starts from.
#[no_mangle]
pub unsafe extern "C" fn OSSL_default_cipher_list() -> *const c_char {
    c"ALL:!COMPLEMENTOFDEFAULT:!eNULL".as_ptr()
}

/// OpenSSL 3.0's default TLS 1.3 suites.
#[no_mangle]
pub unsafe extern "C" fn OSSL_default_ciphersuites() -> *const c_char {
    c"TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256".as_ptr()
}

/// Turns a ClientHello's cipher list (two bytes each, or three in SSLv2 format) into a
/// stack of the suites ferrossl knows, which the caller frees. Unknown suites and SCSVs
/// are left out (so `*scsvs`, when asked for, is an empty stack).
#[no_mangle]
pub unsafe extern "C" fn SSL_bytes_to_cipher_list(
    ssl: *mut SSL,
    bytes: *const c_uchar,
    len: usize,
    isv2format: c_int,
    sk: *mut *mut c_void,
    scsvs: *mut *mut c_void,
) -> c_int {
    use crate::libcrypto::stack::BorrowingStack;
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        let width = if isv2format != 0 { 3 } else { 2 };
        if len == 0 {
            err::raise_ssl(crate::codes::reason::SSL_R_NO_CIPHERS_SPECIFIED);
            return 0;
        }
        if len % width != 0 || bytes.is_null() {
            err::raise_ssl(crate::codes::reason::SSL_R_ERROR_IN_RECEIVED_CIPHER_LIST);
            return 0;
        }
        // SAFETY: bytes is readable for len bytes, per the contract.
        let list = unsafe { std::slice::from_raw_parts(bytes, len) };
        let known = list
            .chunks_exact(width)
            // An SSLv2 entry with a non-zero first byte is an SSLv2 suite.
            .filter(|c| width == 2 || c[0] == 0)
            .filter_map(|c| {
                let id = u16::from_be_bytes([c[width - 2], c[width - 1]]);
                cipher::lookup(id.into())
            });
        let Some(found) = BorrowingStack::new(known) else {
            err::raise_ssl(err::ERR_R_MALLOC_FAILURE);
            return 0;
        };
        let Some(none) = BorrowingStack::new(std::iter::empty::<&'static SSL_CIPHER>()) else {
            err::raise_ssl(err::ERR_R_MALLOC_FAILURE);
            return 0;
        };
        if !sk.is_null() {
            // SAFETY: the caller's out-pointer; the stack becomes theirs.
            unsafe { *sk = found.into_raw() };
        }
        if !scsvs.is_null() {
            // SAFETY: as above.
            unsafe { *scsvs = none.into_raw() };
        }
        1
    })
}
