//! TLS compression: never negotiated. The application's method list is kept and handed
//! back, as OpenSSL does; an added method is refused.

use std::os::raw::{c_char, c_int, c_void};

use crate::libcrypto::error_queue as err;

/// The application's compression method list (`SSL_COMP_set0_compression_methods`): kept
/// and handed back as OpenSSL does, never used, since no compression is negotiated.
static COMPRESSION_METHODS: std::sync::atomic::AtomicPtr<c_void> =
    std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());

/// The method list last set (none to begin with): no method is ever negotiated.
#[no_mangle]
pub unsafe extern "C" fn SSL_COMP_get_compression_methods() -> *mut c_void {
    COMPRESSION_METHODS.load(std::sync::atomic::Ordering::Acquire)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_COMP_get_name(comp: *const c_void) -> *const c_char {
    let _ = comp;
    std::ptr::null()
}

/// As `SSL_COMP_get_name`: no compression method exists.
#[no_mangle]
pub unsafe extern "C" fn SSL_COMP_get0_name(comp: *const c_void) -> *const c_char {
    let _ = comp;
    std::ptr::null()
}

/// -1, OpenSSL's answer without compression.
#[no_mangle]
pub unsafe extern "C" fn SSL_COMP_get_id(comp: *const c_void) -> c_int {
    let _ = comp;
    -1
}

/// TLS compression is not implemented (rustls never compresses, as OpenSSL 3 with its
/// default `SSL_OP_NO_COMPRESSION`): adding a method fails (1, this function's failure
/// value) with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_COMP_add_compression_method(id: c_int, cm: *mut c_void) -> c_int {
    let _ = (id, cm);
    err::raise_ssl(err::ERR_R_UNSUPPORTED);
    1
}

/// Replaces the method list (the library keeps `meths`) and returns the previous one,
/// which the caller now owns.
#[no_mangle]
pub unsafe extern "C" fn SSL_COMP_set0_compression_methods(meths: *mut c_void) -> *mut c_void {
    COMPRESSION_METHODS.swap(meths, std::sync::atomic::Ordering::AcqRel)
}
