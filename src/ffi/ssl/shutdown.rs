//! `SSL_shutdown` and its flags, and `SSL_get_error`/`SSL_want`: how the last call ended.

use std::os::raw::c_int;

use crate::codes::ssl_constants::*;
use crate::ffi::{drive, SSL};

#[no_mangle]
pub unsafe extern "C" fn SSL_shutdown(ssl: *mut SSL) -> c_int {
    ffi_guard!(-1, { drive(try_ref!(ssl, -1), -1, |conn| conn.shutdown()) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_shutdown(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { try_conn!(ssl, 0).shutdown })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_shutdown(ssl: *mut SSL, mode: c_int) {
    ffi_guard!((), { try_conn!(ssl, ()).shutdown = mode })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_quiet_shutdown(ssl: *mut SSL, mode: c_int) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.quiet_shutdown = mode != 0
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_quiet_shutdown(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_conn!(ssl, 0).settings.quiet_shutdown)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_error(ssl: *const SSL, ret_code: c_int) -> c_int {
    ffi_guard!(SSL_ERROR_SSL, {
        try_conn!(ssl, SSL_ERROR_SSL).get_error(ret_code)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_want(ssl: *const SSL) -> c_int {
    ffi_guard!(SSL_NOTHING, { try_conn!(ssl, SSL_NOTHING).want() })
}
