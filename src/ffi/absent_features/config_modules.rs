//! OpenSSL configuration modules (`ssl_conf` sections), which ferrossl does not read yet.

use std::os::raw::{c_char, c_int};

use crate::ffi::{SSL, SSL_CTX};
use crate::libcrypto::error_queue as err;

/// ferrossl reads no OpenSSL configuration file: no `ssl_conf` section of that name
/// exists, so 0 with `SSL_R_INVALID_CONFIGURATION_NAME`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_config(ctx: *mut SSL_CTX, name: *const c_char) -> c_int {
    let _ = name;
    no_such_section(ctx)
}

/// As `SSL_CTX_config`.
#[no_mangle]
pub unsafe extern "C" fn SSL_config(ssl: *mut SSL, name: *const c_char) -> c_int {
    let _ = name;
    no_such_section(ssl)
}

fn no_such_section<T>(obj: *const T) -> c_int {
    const SSL_R_INVALID_CONFIGURATION_NAME: c_int = 113;
    ffi_guard!(0, {
        try_ref!(obj, 0);
        err::raise_ssl(SSL_R_INVALID_CONFIGURATION_NAME);
        0
    })
}
