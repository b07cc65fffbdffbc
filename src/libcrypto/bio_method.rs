//! libcrypto's API for BIO types of one's own (`BIO_meth_*`) and the BIO accessors the
//! SSL BIO (`src/ffi/ssl_bio.rs`) needs: those openssl-sys declares, and the others
//! declared here with their C signatures.

use std::os::raw::{c_char, c_int, c_long, c_void};

pub use super::extra::BIO_up_ref;
pub use super::sys::{
    BIO_clear_flags, BIO_ctrl, BIO_free_all, BIO_get_data, BIO_meth_new, BIO_new, BIO_set_data,
    BIO_set_flags, BIO_set_init,
};
use super::sys::{BIO, BIO_METHOD};

extern "C" {
    pub fn BIO_meth_set_write(
        m: *mut BIO_METHOD,
        f: unsafe extern "C" fn(*mut BIO, *const c_char, c_int) -> c_int,
    ) -> c_int;
    pub fn BIO_meth_set_read(
        m: *mut BIO_METHOD,
        f: unsafe extern "C" fn(*mut BIO, *mut c_char, c_int) -> c_int,
    ) -> c_int;
    pub fn BIO_meth_set_puts(
        m: *mut BIO_METHOD,
        f: unsafe extern "C" fn(*mut BIO, *const c_char) -> c_int,
    ) -> c_int;
    pub fn BIO_meth_set_ctrl(
        m: *mut BIO_METHOD,
        f: unsafe extern "C" fn(*mut BIO, c_int, c_long, *mut c_void) -> c_long,
    ) -> c_int;
    pub fn BIO_meth_set_create(
        m: *mut BIO_METHOD,
        f: unsafe extern "C" fn(*mut BIO) -> c_int,
    ) -> c_int;
    pub fn BIO_meth_set_destroy(
        m: *mut BIO_METHOD,
        f: unsafe extern "C" fn(*mut BIO) -> c_int,
    ) -> c_int;
    pub fn BIO_get_init(b: *mut BIO) -> c_int;
    pub fn BIO_set_shutdown(b: *mut BIO, shut: c_int);
    pub fn BIO_get_shutdown(b: *mut BIO) -> c_int;
    pub fn BIO_set_retry_reason(b: *mut BIO, reason: c_int);
    pub fn BIO_next(b: *mut BIO) -> *mut BIO;
    pub fn BIO_set_next(b: *mut BIO, next: *mut BIO);
    pub fn BIO_push(b: *mut BIO, append: *mut BIO) -> *mut BIO;
    pub fn BIO_method_type(b: *const BIO) -> c_int;
    pub fn BIO_find_type(b: *mut BIO, bio_type: c_int) -> *mut BIO;
    pub fn BIO_s_connect() -> *const BIO_METHOD;
    pub fn BIO_f_buffer() -> *const BIO_METHOD;
}
