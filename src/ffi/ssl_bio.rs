//! The SSL filter BIO (`BIO_f_ssl`): a libcrypto BIO whose reads and writes are
//! `SSL_read`/`SSL_write` on the connection attached with `BIO_set_ssl`, so a program can
//! stack a buffering BIO on a TLS connection (`openssl s_server -www` does). Built with
//! libcrypto's `BIO_meth_*` API, once per process.

use std::os::raw::{c_char, c_int, c_long, c_void};
use std::sync::OnceLock;

use openssl_sys::{BIO, BIO_METHOD};

use crate::libcrypto::bio_method::*;

use super::ssl::*;
use super::{SSL, SSL_CTX};

const BIO_TYPE_SSL: c_int = 7 | 0x0200;
const BIO_FLAGS_READ: c_int = 0x01;
const BIO_FLAGS_WRITE: c_int = 0x02;
const BIO_FLAGS_IO_SPECIAL: c_int = 0x04;
const BIO_FLAGS_RWS: c_int = BIO_FLAGS_READ | BIO_FLAGS_WRITE | BIO_FLAGS_IO_SPECIAL;
const BIO_FLAGS_SHOULD_RETRY: c_int = 0x08;
const BIO_CTRL_PUSH: c_int = 6;
const BIO_CTRL_POP: c_int = 7;
const BIO_CTRL_GET_CLOSE: c_int = 8;
const BIO_CTRL_SET_CLOSE: c_int = 9;
const BIO_CTRL_PENDING: c_int = 10;
const BIO_CTRL_FLUSH: c_int = 11;
const BIO_C_DO_STATE_MACHINE: c_int = 101;
const BIO_C_SET_SSL: c_int = 109;
const BIO_C_GET_SSL: c_int = 110;
const BIO_C_SSL_MODE: c_int = 119;

const SSL_ERROR_WANT_READ: c_int = 2;
const SSL_ERROR_WANT_WRITE: c_int = 3;
const SSL_ERROR_WANT_X509_LOOKUP: c_int = 4;
const BIO_RR_SSL_X509_LOOKUP: c_int = 0x01;

struct Method(*mut BIO_METHOD);
// SAFETY: the method table is written once before it is published and only read after.
unsafe impl Send for Method {}
unsafe impl Sync for Method {}

/// The connection attached to an SSL BIO, or NULL.
unsafe fn attached(b: *mut BIO) -> *mut SSL {
    // SAFETY: `b` is one of our SSL BIOs; its data is NULL or the attached SSL.
    unsafe { BIO_get_data(b) as *mut SSL }
}

/// Sets the BIO's retry flags from the connection's last result, as OpenSSL's SSL BIO.
unsafe fn reflect_retry(b: *mut BIO, ssl: *mut SSL, ret: c_int) {
    // SAFETY: `b` and `ssl` are live; only flag bits are written.
    unsafe {
        match SSL_get_error(ssl, ret) {
            SSL_ERROR_WANT_READ => BIO_set_flags(b, BIO_FLAGS_READ | BIO_FLAGS_SHOULD_RETRY),
            SSL_ERROR_WANT_WRITE => BIO_set_flags(b, BIO_FLAGS_WRITE | BIO_FLAGS_SHOULD_RETRY),
            SSL_ERROR_WANT_X509_LOOKUP => {
                BIO_set_flags(b, BIO_FLAGS_IO_SPECIAL | BIO_FLAGS_SHOULD_RETRY);
                BIO_set_retry_reason(b, BIO_RR_SSL_X509_LOOKUP);
            }
            _ => {}
        }
    }
}

/// Runs one read or write on the attached connection, the BIO's retry flags following it.
unsafe fn on_connection(b: *mut BIO, io: impl FnOnce(*mut SSL) -> c_int) -> c_int {
    // SAFETY: `b` is one of our SSL BIOs; only its flags and attached connection are used.
    unsafe {
        BIO_clear_flags(b, BIO_FLAGS_RWS | BIO_FLAGS_SHOULD_RETRY);
        let ssl = attached(b);
        if ssl.is_null() {
            return 0;
        }
        let ret = io(ssl);
        if ret <= 0 {
            reflect_retry(b, ssl, ret);
        }
        ret
    }
}

unsafe extern "C" fn ssl_bio_write(b: *mut BIO, data: *const c_char, len: c_int) -> c_int {
    if data.is_null() {
        return 0;
    }
    // SAFETY: libcrypto passes a live BIO and `len` readable bytes.
    unsafe { on_connection(b, |ssl| SSL_write(ssl, data.cast(), len)) }
}

unsafe extern "C" fn ssl_bio_read(b: *mut BIO, out: *mut c_char, len: c_int) -> c_int {
    if out.is_null() {
        return 0;
    }
    // SAFETY: libcrypto passes a live BIO and `len` writable bytes.
    unsafe { on_connection(b, |ssl| SSL_read(ssl, out.cast(), len)) }
}

unsafe extern "C" fn ssl_bio_puts(b: *mut BIO, s: *const c_char) -> c_int {
    if s.is_null() {
        return 0;
    }
    // SAFETY: `s` is a NUL-terminated string from the caller.
    unsafe {
        let len = std::ffi::CStr::from_ptr(s).to_bytes().len();
        ssl_bio_write(b, s, c_int::try_from(len).unwrap_or(c_int::MAX))
    }
}

unsafe extern "C" fn ssl_bio_ctrl(
    b: *mut BIO,
    cmd: c_int,
    num: c_long,
    ptr: *mut c_void,
) -> c_long {
    // SAFETY: `b` is one of our SSL BIOs; the pointers each command takes are OpenSSL's
    // contract for that command, and the connection is live while attached.
    unsafe {
        let ssl = attached(b);
        match cmd {
            BIO_C_SET_SSL => {
                ssl_bio_release(b);
                BIO_set_shutdown(b, num as c_int);
                let ssl = ptr as *mut SSL;
                BIO_set_data(b, ssl.cast());
                // The connection's transport becomes the next BIO of the chain.
                let rbio = SSL_get_rbio(ssl);
                if !rbio.is_null() {
                    let next = BIO_next(b);
                    if !next.is_null() {
                        BIO_push(rbio, next);
                    }
                    BIO_set_next(b, rbio);
                    BIO_up_ref(rbio);
                }
                BIO_set_init(b, 1);
                1
            }
            BIO_C_GET_SSL => {
                if !ptr.is_null() {
                    *(ptr as *mut *mut SSL) = ssl;
                }
                c_long::from(!ssl.is_null())
            }
            _ if ssl.is_null() => 0,
            BIO_CTRL_GET_CLOSE => c_long::from(BIO_get_shutdown(b)),
            BIO_CTRL_SET_CLOSE => {
                BIO_set_shutdown(b, num as c_int);
                1
            }
            BIO_CTRL_PENDING => {
                let n = SSL_pending(ssl);
                if n > 0 {
                    c_long::from(n)
                } else {
                    BIO_ctrl(SSL_get_rbio(ssl), BIO_CTRL_PENDING, 0, std::ptr::null_mut())
                }
            }
            BIO_CTRL_FLUSH => {
                BIO_clear_flags(b, BIO_FLAGS_RWS | BIO_FLAGS_SHOULD_RETRY);
                BIO_ctrl(SSL_get_wbio(ssl), BIO_CTRL_FLUSH, num, ptr)
            }
            BIO_CTRL_PUSH => {
                let next = BIO_next(b);
                if !next.is_null() && next != SSL_get_rbio(ssl) {
                    // SSL_set_bio takes the reference this takes.
                    BIO_up_ref(next);
                    SSL_set_bio(ssl, next, next);
                }
                1
            }
            BIO_CTRL_POP => {
                if ptr == b.cast() {
                    SSL_set_bio(ssl, std::ptr::null_mut(), std::ptr::null_mut());
                }
                1
            }
            BIO_C_DO_STATE_MACHINE => c_long::from(on_connection(b, |ssl| SSL_do_handshake(ssl))),
            BIO_C_SSL_MODE => {
                if num != 0 {
                    SSL_set_connect_state(ssl);
                } else {
                    SSL_set_accept_state(ssl);
                }
                1
            }
            // Everything else is the transport's business.
            _ => BIO_ctrl(SSL_get_rbio(ssl), cmd, num, ptr),
        }
    }
}

unsafe extern "C" fn ssl_bio_create(b: *mut BIO) -> c_int {
    // SAFETY: a new BIO being set up by libcrypto.
    unsafe {
        BIO_set_data(b, std::ptr::null_mut());
        BIO_set_init(b, 0);
    }
    1
}

/// Frees the attached connection if the BIO owns it (`BIO_CLOSE`).
unsafe fn ssl_bio_release(b: *mut BIO) {
    // SAFETY: `b` is one of our SSL BIOs.
    unsafe {
        let ssl = attached(b);
        if !ssl.is_null() && BIO_get_shutdown(b) != 0 && BIO_get_init(b) != 0 {
            SSL_free(ssl);
        }
        BIO_set_data(b, std::ptr::null_mut());
        BIO_set_init(b, 0);
    }
}

unsafe extern "C" fn ssl_bio_destroy(b: *mut BIO) -> c_int {
    if b.is_null() {
        return 0;
    }
    // SAFETY: libcrypto is freeing one of our SSL BIOs.
    unsafe { ssl_bio_release(b) };
    1
}

/// `BIO_f_ssl`: the SSL BIO's method, made on first use.
#[no_mangle]
pub unsafe extern "C" fn BIO_f_ssl() -> *const BIO_METHOD {
    ffi_guard!(std::ptr::null(), {
        static METHOD: OnceLock<Method> = OnceLock::new();
        METHOD
            .get_or_init(|| {
                // SAFETY: a new method table, filled before it is published.
                unsafe {
                    let m = BIO_meth_new(BIO_TYPE_SSL, c"ssl".as_ptr());
                    if !m.is_null() {
                        BIO_meth_set_write(m, ssl_bio_write);
                        BIO_meth_set_read(m, ssl_bio_read);
                        BIO_meth_set_puts(m, ssl_bio_puts);
                        BIO_meth_set_ctrl(m, ssl_bio_ctrl);
                        BIO_meth_set_create(m, ssl_bio_create);
                        BIO_meth_set_destroy(m, ssl_bio_destroy);
                    }
                    Method(m)
                }
            })
            .0
    })
}

/// `BIO_ssl_shutdown`: `SSL_shutdown` on the first SSL BIO of the chain.
#[no_mangle]
pub unsafe extern "C" fn BIO_ssl_shutdown(bio: *mut BIO) {
    ffi_guard!((), {
        let mut b = bio;
        // SAFETY: walks a live chain of BIOs; an SSL BIO's data is its connection.
        unsafe {
            while !b.is_null() {
                if BIO_method_type(b) == BIO_TYPE_SSL {
                    let ssl = attached(b);
                    if !ssl.is_null() {
                        SSL_shutdown(ssl);
                    }
                    return;
                }
                b = BIO_next(b);
            }
        }
    })
}

/// An SSL BIO over a new connection of `ctx`, which it owns (`BIO_CLOSE`); the side is
/// the client's when `client` is non-zero.
#[no_mangle]
pub unsafe extern "C" fn BIO_new_ssl(ctx: *mut SSL_CTX, client: c_int) -> *mut BIO {
    ffi_guard!(std::ptr::null_mut(), {
        // SAFETY: our own method table; ctx is the caller's (SSL_new checks it).
        unsafe {
            let bio = BIO_new(BIO_f_ssl());
            if bio.is_null() {
                return std::ptr::null_mut();
            }
            let ssl = SSL_new(ctx);
            if ssl.is_null() {
                BIO_free_all(bio);
                return std::ptr::null_mut();
            }
            if client != 0 {
                SSL_set_connect_state(ssl);
            } else {
                SSL_set_accept_state(ssl);
            }
            const BIO_CLOSE: c_long = 1;
            BIO_ctrl(bio, BIO_C_SET_SSL, BIO_CLOSE, ssl.cast());
            bio
        }
    })
}

/// A client SSL BIO in front of a connect BIO (`BIO_set_conn_hostname` on the result
/// names the peer).
#[no_mangle]
pub unsafe extern "C" fn BIO_new_ssl_connect(ctx: *mut SSL_CTX) -> *mut BIO {
    ffi_guard!(std::ptr::null_mut(), {
        // SAFETY: libcrypto's connect BIO and our SSL BIO, chained as OpenSSL chains them.
        unsafe {
            let con = BIO_new(BIO_s_connect());
            if con.is_null() {
                return std::ptr::null_mut();
            }
            let ssl = BIO_new_ssl(ctx, 1);
            if ssl.is_null() {
                BIO_free_all(con);
                return std::ptr::null_mut();
            }
            BIO_push(ssl, con)
        }
    })
}

/// `BIO_new_ssl_connect` behind a buffering BIO.
#[no_mangle]
pub unsafe extern "C" fn BIO_new_buffer_ssl_connect(ctx: *mut SSL_CTX) -> *mut BIO {
    ffi_guard!(std::ptr::null_mut(), {
        // SAFETY: libcrypto's buffer BIO in front of the chain made above.
        unsafe {
            let buf = BIO_new(BIO_f_buffer());
            if buf.is_null() {
                return std::ptr::null_mut();
            }
            let ssl = BIO_new_ssl_connect(ctx);
            if ssl.is_null() {
                BIO_free_all(buf);
                return std::ptr::null_mut();
            }
            BIO_push(buf, ssl)
        }
    })
}

/// `SSL_copy_session_id` between the connections of the first SSL BIOs of two chains.
#[no_mangle]
pub unsafe extern "C" fn BIO_ssl_copy_session_id(to: *mut BIO, from: *mut BIO) -> c_int {
    ffi_guard!(0, {
        // SAFETY: live BIO chains from the caller; an SSL BIO's data is its connection.
        unsafe {
            let to = BIO_find_type(to, BIO_TYPE_SSL);
            let from = BIO_find_type(from, BIO_TYPE_SSL);
            if to.is_null() || from.is_null() {
                return 0;
            }
            let (to, from) = (attached(to), attached(from));
            if to.is_null() || from.is_null() {
                return 0;
            }
            SSL_copy_session_id(to, from)
        }
    })
}
