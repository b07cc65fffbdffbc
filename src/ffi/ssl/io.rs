//! `SSL_read`, `SSL_peek`, `SSL_write` (and their `_ex` forms), `SSL_pending`: application
//! data with OpenSSL's return conventions.

use std::os::raw::{c_int, c_void};

use crate::codes::reason;
use crate::ffi::{drive, SSL};
use crate::libcrypto::error_queue as err;

/// `SSL_sendfile` needs kernel TLS on the write BIO, which ferrossl never enables; the
/// answer is OpenSSL's for a BIO without it.
#[no_mangle]
pub unsafe extern "C" fn SSL_sendfile(
    ssl: *mut SSL,
    _fd: c_int,
    _offset: libc::off_t,
    _size: usize,
    _flags: c_int,
) -> isize {
    ffi_guard!(-1, {
        try_ref!(ssl, -1);
        err::raise_ssl(reason::SSL_R_UNINITIALIZED);
        -1
    })
}

fn io_len(num: c_int) -> Option<usize> {
    usize::try_from(num).ok()
}

/// The common body of `SSL_read` and `SSL_peek`.
fn read_common(ssl: *mut SSL, buf: *mut c_void, num: c_int, peek: bool) -> c_int {
    ffi_guard!(-1, {
        let obj = try_ref!(ssl, -1);
        let Some(len) = io_len(num) else {
            err::raise_ssl(reason::SSL_R_BAD_LENGTH);
            return -1;
        };
        if buf.is_null() && len > 0 {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return -1;
        }
        let out: &mut [u8] = if len == 0 {
            &mut []
        } else {
            // SAFETY: buf is writable for num bytes, per the function's contract.
            unsafe { std::slice::from_raw_parts_mut(buf as *mut u8, len) }
        };
        drive(obj, -1, |conn| match conn.read(out, peek) {
            Ok(n) => n as c_int,
            Err(ret) => ret,
        })
    })
}

/// The common body of `SSL_read_ex` and `SSL_peek_ex`.
fn read_ex_common(
    ssl: *mut SSL,
    buf: *mut c_void,
    num: usize,
    readbytes: *mut usize,
    peek: bool,
) -> c_int {
    ffi_guard!(0, {
        let obj = try_ref!(ssl, 0);
        if buf.is_null() && num > 0 {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        let out: &mut [u8] = if num == 0 {
            &mut []
        } else {
            // SAFETY: buf is writable for num bytes, per the function's contract.
            unsafe { std::slice::from_raw_parts_mut(buf as *mut u8, num) }
        };
        let r = drive(obj, Err(-1), |conn| conn.read(out, peek));
        if !readbytes.is_null() {
            // SAFETY: a writable size_t from the caller.
            unsafe { *readbytes = *r.as_ref().unwrap_or(&0) };
        }
        c_int::from(r.is_ok())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_read(ssl: *mut SSL, buf: *mut c_void, num: c_int) -> c_int {
    read_common(ssl, buf, num, false)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_peek(ssl: *mut SSL, buf: *mut c_void, num: c_int) -> c_int {
    read_common(ssl, buf, num, true)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_read_ex(
    ssl: *mut SSL,
    buf: *mut c_void,
    num: usize,
    readbytes: *mut usize,
) -> c_int {
    read_ex_common(ssl, buf, num, readbytes, false)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_peek_ex(
    ssl: *mut SSL,
    buf: *mut c_void,
    num: usize,
    readbytes: *mut usize,
) -> c_int {
    read_ex_common(ssl, buf, num, readbytes, true)
}

fn write_common(ssl: *mut SSL, buf: *const c_void, num: usize) -> Result<usize, c_int> {
    ffi_guard!(Err(-1), {
        let obj = try_ref!(ssl, Err(-1));
        if buf.is_null() && num > 0 {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return Err(-1);
        }
        let data: &[u8] = if num == 0 {
            &[]
        } else {
            // SAFETY: buf is readable for num bytes, per the function's contract.
            unsafe { std::slice::from_raw_parts(buf as *const u8, num) }
        };
        drive(obj, Err(-1), |conn| conn.write(data))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_write(ssl: *mut SSL, buf: *const c_void, num: c_int) -> c_int {
    ffi_guard!(-1, {
        let Some(len) = io_len(num) else {
            err::raise_ssl(reason::SSL_R_BAD_LENGTH);
            return -1;
        };
        match write_common(ssl, buf, len) {
            Ok(n) => n as c_int,
            Err(ret) => ret,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_write_ex(
    ssl: *mut SSL,
    buf: *const c_void,
    num: usize,
    written: *mut usize,
) -> c_int {
    let r = write_common(ssl, buf, num);
    if !written.is_null() {
        // SAFETY: a writable size_t from the caller.
        unsafe { *written = *r.as_ref().unwrap_or(&0) };
    }
    c_int::from(r.is_ok())
}

#[no_mangle]
pub unsafe extern "C" fn SSL_pending(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        try_conn!(ssl, 0).pending().min(c_int::MAX as usize) as c_int
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_has_pending(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { c_int::from(try_conn!(ssl, 0).pending() > 0) })
}

/// rustls owns the connection's buffers and allocates them as it needs: 1.
#[no_mangle]
pub unsafe extern "C" fn SSL_alloc_buffers(ssl: *mut SSL) -> c_int {
    crate::ffi::accept_for(ssl)
}

/// 0 while decrypted data waits to be read, as OpenSSL refuses to free a buffer that
/// holds data; 1 otherwise.
#[no_mangle]
pub unsafe extern "C" fn SSL_free_buffers(ssl: *mut SSL) -> c_int {
    ffi_guard!(0, { c_int::from(try_conn!(ssl, 0).pending() == 0) })
}
