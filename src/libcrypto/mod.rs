//! The bridge to the system's libcrypto.
//!
//! Applications hand ferrossl real libcrypto objects (`X509`, `EVP_PKEY`, `X509_STORE`,
//! `BIO`) and read its errors from libcrypto's queue, so those stay libcrypto's. Every
//! `unsafe` call into libcrypto outside the FFI layer lives in this module, behind owned
//! wrappers that the safe core uses.

pub mod aead;
pub mod bio;
pub mod bio_method;
pub mod dane;
pub mod error_queue;
pub mod ex_data;
pub mod lhash;
pub mod name_stack;
pub mod ocsp_request;
pub mod ossl_store;
pub mod pkey;
pub mod ssl_conf_module;
pub mod stack;
pub mod store;
pub mod ticket_keys;
pub mod verify_param;
pub mod x509;

use std::os::raw::{c_char, c_int, c_long, c_ulong, c_void};

pub use openssl_sys as sys;

/// libcrypto functions that openssl-sys does not declare (all present in libcrypto.so.3).
#[allow(non_snake_case, clippy::upper_case_acronyms)]
pub mod extra {
    use super::*;
    use openssl_sys::{BIO, EVP_PKEY, X509, X509_STORE, X509_STORE_CTX, X509_VERIFY_PARAM};

    /// libcrypto's `CRYPTO_EX_DATA`: two pointers, embedded in the object that owns it.
    #[repr(C)]
    pub struct CRYPTO_EX_DATA {
        pub ctx: *mut c_void,
        pub sk: *mut c_void,
    }

    #[repr(C)]
    pub struct ERR_STRING_DATA {
        pub error: c_ulong,
        pub string: *const c_char,
    }

    extern "C" {
        pub fn ERR_peek_error() -> c_ulong;
        pub fn EVP_Cipher(
            c: *mut openssl_sys::EVP_CIPHER_CTX,
            out: *mut u8,
            inp: *const u8,
            inl: std::os::raw::c_uint,
        ) -> c_int;
        pub fn ERR_load_strings_const(str: *const ERR_STRING_DATA) -> c_int;
        pub fn BIO_up_ref(b: *mut BIO) -> c_int;
        pub fn BIO_new_file(filename: *const c_char, mode: *const c_char) -> *mut BIO;
        pub fn PEM_read_bio_Parameters(bp: *mut BIO, x: *mut *mut EVP_PKEY) -> *mut EVP_PKEY;
        pub fn EVP_PKEY_get_base_id(pkey: *const EVP_PKEY) -> c_int;
        pub fn BIO_free(b: *mut BIO) -> c_int;
        pub fn BIO_test_flags(b: *const BIO, flags: c_int) -> c_int;
        pub fn BIO_int_ctrl(b: *mut BIO, cmd: c_int, larg: c_long, iarg: c_int) -> c_long;
        pub fn X509_STORE_up_ref(s: *mut X509_STORE) -> c_int;
        pub fn X509_STORE_load_file(s: *mut X509_STORE, file: *const c_char) -> c_int;
        pub fn X509_STORE_load_path(s: *mut X509_STORE, path: *const c_char) -> c_int;
        pub fn X509_STORE_CTX_get0_param(ctx: *mut X509_STORE_CTX) -> *mut X509_VERIFY_PARAM;
        pub fn X509_STORE_CTX_set_ex_data(
            ctx: *mut X509_STORE_CTX,
            idx: c_int,
            data: *mut c_void,
        ) -> c_int;
        pub fn X509_STORE_CTX_set_verify_cb(
            ctx: *mut X509_STORE_CTX,
            cb: Option<unsafe extern "C" fn(c_int, *mut X509_STORE_CTX) -> c_int>,
        );
        pub fn X509_STORE_CTX_get1_chain(
            ctx: *mut X509_STORE_CTX,
        ) -> *mut openssl_sys::stack_st_X509;
        pub fn X509_STORE_CTX_set_default(ctx: *mut X509_STORE_CTX, name: *const c_char) -> c_int;
        pub fn X509_VERIFY_PARAM_set1(
            to: *mut X509_VERIFY_PARAM,
            from: *const X509_VERIFY_PARAM,
        ) -> c_int;
        pub fn X509_VERIFY_PARAM_inherit(
            to: *mut X509_VERIFY_PARAM,
            from: *const X509_VERIFY_PARAM,
        ) -> c_int;
        pub fn X509_VERIFY_PARAM_get0_peername(p: *const X509_VERIFY_PARAM) -> *const c_char;
        pub fn X509_VERIFY_PARAM_move_peername(
            to: *mut X509_VERIFY_PARAM,
            from: *mut X509_VERIFY_PARAM,
        );
        pub fn X509_VERIFY_PARAM_get_depth(p: *const X509_VERIFY_PARAM) -> c_int;
        pub fn X509_VERIFY_PARAM_add1_host(
            p: *mut X509_VERIFY_PARAM,
            name: *const c_char,
            namelen: usize,
        ) -> c_int;
        pub fn X509_VERIFY_PARAM_set_trust(p: *mut X509_VERIFY_PARAM, trust: c_int) -> c_int;
        pub fn X509_NAME_oneline(
            name: *const openssl_sys::X509_NAME,
            buf: *mut c_char,
            size: c_int,
        ) -> *mut c_char;
        pub fn X509_getm_notAfter(x: *const X509) -> *mut openssl_sys::ASN1_TIME;
        pub fn d2i_PrivateKey(
            type_: c_int,
            a: *mut *mut EVP_PKEY,
            pp: *mut *const u8,
            length: c_long,
        ) -> *mut EVP_PKEY;
        pub fn PEM_write_bio(
            bp: *mut BIO,
            name: *const c_char,
            header: *const c_char,
            data: *const u8,
            len: c_long,
        ) -> c_int;
        pub fn PEM_read_bio(
            bp: *mut BIO,
            name: *mut *mut c_char,
            header: *mut *mut c_char,
            data: *mut *mut u8,
            len: *mut c_long,
        ) -> c_int;
        pub fn X509_STORE_load_store(s: *mut X509_STORE, uri: *const c_char) -> c_int;
        pub fn X509_check_private_key(x: *const X509, k: *const EVP_PKEY) -> c_int;
        pub fn X509_get0_pubkey(x: *const X509) -> *mut EVP_PKEY;
        pub fn i2d_PrivateKey(k: *const EVP_PKEY, out: *mut *mut u8) -> c_int;
        pub fn CRYPTO_new_ex_data(
            class_index: c_int,
            obj: *mut c_void,
            ad: *mut CRYPTO_EX_DATA,
        ) -> c_int;
        pub fn CRYPTO_dup_ex_data(
            class_index: c_int,
            to: *mut CRYPTO_EX_DATA,
            from: *const CRYPTO_EX_DATA,
        ) -> c_int;
        pub fn CRYPTO_free_ex_data(class_index: c_int, obj: *mut c_void, ad: *mut CRYPTO_EX_DATA);
        pub fn CRYPTO_set_ex_data(ad: *mut CRYPTO_EX_DATA, idx: c_int, val: *mut c_void) -> c_int;
        pub fn CRYPTO_get_ex_data(ad: *const CRYPTO_EX_DATA, idx: c_int) -> *mut c_void;
    }
}

/// A NUL-terminated copy of `text` in libcrypto's allocator (so that the caller frees it
/// with `OPENSSL_free`); NULL if allocation fails. Interior NULs end the string early.
pub fn malloc_c_string(text: &str) -> *mut c_char {
    let len = text.len() + 1;
    // SAFETY: libcrypto's allocator; the result is checked before use.
    let p = unsafe { sys::CRYPTO_malloc(len, c"ferrossl".as_ptr(), 0) } as *mut c_char;
    if !p.is_null() {
        // SAFETY: p has room for text.len() bytes and the NUL.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr() as *const c_char, p, text.len());
            *p.add(text.len()) = 0;
        }
    }
    p
}

/// PEM armour for DER objects over libcrypto BIOs (`PEM_write_bio`/`PEM_read_bio`).
pub mod pem_bio {
    use super::*;
    use openssl_sys::BIO;

    /// Writes `der` as a PEM block named `name`; false on failure (reason queued).
    ///
    /// # Safety
    /// `bio` is a live BIO.
    pub unsafe fn write(bio: *mut BIO, name: &std::ffi::CStr, der: &[u8]) -> bool {
        let Ok(len) = c_long::try_from(der.len()) else {
            return false;
        };
        // SAFETY: bio is the caller's live BIO; the strings and bytes outlive the call.
        unsafe { extra::PEM_write_bio(bio, name.as_ptr(), c"".as_ptr(), der.as_ptr(), len) > 0 }
    }

    /// Reads the next PEM block; it must be named `name`. Its DER, or `None` (reason queued).
    ///
    /// # Safety
    /// `bio` is a live BIO.
    pub unsafe fn read(bio: *mut BIO, name: &std::ffi::CStr) -> Option<Vec<u8>> {
        let (mut n, mut h, mut d, mut len) = (
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0 as c_long,
        );
        // SAFETY: libcrypto allocates the three outputs, freed below with OPENSSL_free.
        unsafe {
            if extra::PEM_read_bio(bio, &mut n, &mut h, &mut d, &mut len) <= 0 {
                return None;
            }
            let same = std::ffi::CStr::from_ptr(n) == name;
            let der =
                (same && len >= 0).then(|| std::slice::from_raw_parts(d, len as usize).to_vec());
            for p in [n as *mut c_void, h as *mut c_void, d as *mut c_void] {
                sys::CRYPTO_free(p, c"ferrossl".as_ptr(), 0);
            }
            if der.is_none() {
                const PEM_R_NO_START_LINE: c_int = 108;
                error_queue::raise(error_queue::ERR_LIB_PEM, PEM_R_NO_START_LINE);
            }
            der
        }
    }
}
