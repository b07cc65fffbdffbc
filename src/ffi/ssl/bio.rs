//! `SSL_set_bio`, `SSL_set0_rbio`/`wbio`, `SSL_set_fd` and friends: the BIOs a connection
//! reads and writes through.

use std::os::raw::c_int;

use openssl_sys::BIO;

use crate::connection::Connection;
use crate::ffi::SSL;
use crate::libcrypto::bio::Bio;
use crate::libcrypto::error_queue as err;

fn set0_rbio(conn: &mut Connection, bio: *mut BIO) {
    conn.rbio = Bio::adopt(bio);
}

fn set0_wbio(conn: &mut Connection, bio: *mut BIO) {
    conn.wbio = Bio::adopt(bio);
}

fn bio_ptr(b: &Option<Bio>) -> *mut BIO {
    b.as_ref().map_or(std::ptr::null_mut(), Bio::as_ptr)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set0_rbio(ssl: *mut SSL, rbio: *mut BIO) {
    ffi_guard!((), {
        let mut conn = try_conn!(ssl, ());
        set0_rbio(&mut conn, rbio)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set0_wbio(ssl: *mut SSL, wbio: *mut BIO) {
    ffi_guard!((), {
        let mut conn = try_conn!(ssl, ());
        set0_wbio(&mut conn, wbio)
    })
}

/// OpenSSL's reference rules, including its historical asymmetry when only one BIO changes.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_bio(ssl: *mut SSL, rbio: *mut BIO, wbio: *mut BIO) {
    ffi_guard!((), {
        let mut conn = try_conn!(ssl, ());
        if !rbio.is_null() && rbio == wbio {
            // The caller grants one reference for both roles; take a second one.
            std::mem::forget(Bio::up_ref(rbio));
        }
        if rbio == bio_ptr(&conn.rbio) {
            set0_wbio(&mut conn, wbio);
            return;
        }
        if wbio == bio_ptr(&conn.wbio) && bio_ptr(&conn.rbio) != bio_ptr(&conn.wbio) {
            set0_rbio(&mut conn, rbio);
            return;
        }
        set0_rbio(&mut conn, rbio);
        set0_wbio(&mut conn, wbio);
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_rbio(ssl: *const SSL) -> *mut BIO {
    ffi_guard!(std::ptr::null_mut(), {
        bio_ptr(&try_conn!(ssl, std::ptr::null_mut()).rbio)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_wbio(ssl: *const SSL) -> *mut BIO {
    ffi_guard!(std::ptr::null_mut(), {
        bio_ptr(&try_conn!(ssl, std::ptr::null_mut()).wbio)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_fd(ssl: *mut SSL, fd: c_int) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let Some(bio) = Bio::socket(fd) else {
            err::raise_ssl(err::ERR_R_BIO_LIB);
            return 0;
        };
        let second = Bio::up_ref(bio.as_ptr());
        conn.rbio = Some(bio);
        conn.wbio = second;
        1
    })
}

/// A socket BIO for `fd`: the other direction's BIO when it already is one on `fd`
/// (as OpenSSL shares it), else a new one.
fn fd_bio(other: &Option<Bio>, fd: c_int) -> Option<Bio> {
    match other.as_ref().filter(|b| b.is_socket_on(fd)) {
        Some(b) => Bio::up_ref(b.as_ptr()),
        None => Bio::socket(fd),
    }
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_rfd(ssl: *mut SSL, fd: c_int) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let Some(bio) = fd_bio(&conn.wbio, fd) else {
            err::raise_ssl(err::ERR_R_BIO_LIB);
            return 0;
        };
        conn.rbio = Some(bio);
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_wfd(ssl: *mut SSL, fd: c_int) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let Some(bio) = fd_bio(&conn.rbio, fd) else {
            err::raise_ssl(err::ERR_R_BIO_LIB);
            return 0;
        };
        conn.wbio = Some(bio);
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_rfd(ssl: *const SSL) -> c_int {
    ffi_guard!(-1, { try_conn!(ssl, -1).rbio.as_ref().map_or(-1, Bio::fd) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_wfd(ssl: *const SSL) -> c_int {
    ffi_guard!(-1, { try_conn!(ssl, -1).wbio.as_ref().map_or(-1, Bio::fd) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_fd(ssl: *const SSL) -> c_int {
    // SAFETY: the same contract as this function's.
    unsafe { SSL_get_rfd(ssl) }
}
