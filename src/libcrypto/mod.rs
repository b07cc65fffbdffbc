//! The bridge to the system's libcrypto.
//!
//! Applications hand ferrossl real libcrypto objects (`X509`, `EVP_PKEY`, `X509_STORE`,
//! `BIO`) and read its errors from libcrypto's queue, so those stay libcrypto's. Every
//! `unsafe` call into libcrypto outside the FFI layer lives in this module, behind owned
//! wrappers that the safe core uses.

pub mod bio;
pub mod error_queue;
pub mod ex_data;
pub mod name_stack;
pub mod pkey;
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
        pub fn ERR_load_strings_const(str: *const ERR_STRING_DATA) -> c_int;
        pub fn BIO_up_ref(b: *mut BIO) -> c_int;
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
        pub fn X509_check_private_key(x: *const X509, k: *const EVP_PKEY) -> c_int;
        pub fn i2d_PrivateKey(k: *const EVP_PKEY, out: *mut *mut u8) -> c_int;
        pub fn CRYPTO_new_ex_data(
            class_index: c_int,
            obj: *mut c_void,
            ad: *mut CRYPTO_EX_DATA,
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
