//! `SSL_CTX_set_client_hello_cb` and the `SSL_client_hello_*` accessors the callback uses
//! (haproxy and lighttpd choose certificates and settings there). The accessors answer
//! only while the callback runs, as in OpenSSL.

use std::os::raw::{c_int, c_uchar, c_uint, c_void};
use std::sync::Arc;

use super::{SSL, SSL_CTX};
use crate::context::ClientHelloCallback;
use crate::wire::client_hello::ParsedClientHello;

/// The callback type of `SSL_CTX_set_client_hello_cb`.
pub type SslClientHelloCb =
    Option<unsafe extern "C" fn(ssl: *mut SSL, al: *mut c_int, arg: *mut c_void) -> c_int>;

struct CClientHello {
    cb: unsafe extern "C" fn(*mut SSL, *mut c_int, *mut c_void) -> c_int,
    arg: usize,
}

impl ClientHelloCallback for CClientHello {
    fn call(&self, ssl: usize) -> (c_int, c_int) {
        const SSL_AD_INTERNAL_ERROR: c_int = 80;
        let mut alert = SSL_AD_INTERNAL_ERROR;
        // SAFETY: the application's callback with its SSL, an alert slot and its argument.
        let ret = unsafe { (self.cb)(ssl as *mut SSL, &mut alert, self.arg as *mut c_void) };
        (ret, alert)
    }
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_client_hello_cb(
    ctx: *mut SSL_CTX,
    cb: SslClientHelloCb,
    arg: *mut c_void,
) {
    ffi_guard!((), {
        try_ref!(ctx, ()).set_client_hello_callback(cb.map(|cb| {
            Arc::new(CClientHello {
                cb,
                arg: arg as usize,
            }) as Arc<dyn ClientHelloCallback>
        }));
    })
}

/// Runs `f` on the ClientHello the callback is looking at; `none` outside the callback.
fn with_hello<R: Copy>(ssl: *const SSL, none: R, f: impl FnOnce(&ParsedClientHello) -> R) -> R {
    ffi_guard!(none, {
        // SAFETY: NULL or a live SSL, per the accessors' contract.
        let Some(obj) = (unsafe { ssl.as_ref() }) else {
            return none;
        };
        let Some(conn) = obj.conn() else { return none };
        match conn.client_hello() {
            Some(h) => f(h),
            None => none,
        }
    })
}

/// Points `*out` at `bytes` (owned by the connection until the callback returns).
fn hand_out(bytes: &[u8], out: *mut *const c_uchar) -> usize {
    if !out.is_null() {
        // SAFETY: out is a writable pointer slot from the caller.
        unsafe { *out = bytes.as_ptr() };
    }
    bytes.len()
}

/// SSLv2-format ClientHellos are not accepted, so never.
#[no_mangle]
pub unsafe extern "C" fn SSL_client_hello_isv2(_ssl: *mut SSL) -> c_int {
    0
}

#[no_mangle]
pub unsafe extern "C" fn SSL_client_hello_get0_legacy_version(ssl: *mut SSL) -> c_uint {
    with_hello(ssl, 0, |h| c_uint::from(h.legacy_version))
}

#[no_mangle]
pub unsafe extern "C" fn SSL_client_hello_get0_random(
    ssl: *mut SSL,
    out: *mut *const c_uchar,
) -> usize {
    with_hello(ssl, 0, |h| hand_out(&h.random, out))
}

#[no_mangle]
pub unsafe extern "C" fn SSL_client_hello_get0_session_id(
    ssl: *mut SSL,
    out: *mut *const c_uchar,
) -> usize {
    with_hello(ssl, 0, |h| hand_out(&h.session_id, out))
}

#[no_mangle]
pub unsafe extern "C" fn SSL_client_hello_get0_ciphers(
    ssl: *mut SSL,
    out: *mut *const c_uchar,
) -> usize {
    with_hello(ssl, 0, |h| hand_out(&h.ciphers, out))
}

#[no_mangle]
pub unsafe extern "C" fn SSL_client_hello_get0_compression_methods(
    ssl: *mut SSL,
    out: *mut *const c_uchar,
) -> usize {
    with_hello(ssl, 0, |h| hand_out(&h.compression_methods, out))
}

/// The body of extension `type_`: 1 if the client sent it, else 0.
#[no_mangle]
pub unsafe extern "C" fn SSL_client_hello_get0_ext(
    ssl: *mut SSL,
    type_: c_uint,
    out: *mut *const c_uchar,
    outlen: *mut usize,
) -> c_int {
    with_hello(ssl, 0, |h| {
        let Some(body) = u16::try_from(type_).ok().and_then(|t| h.extension(t)) else {
            return 0;
        };
        let n = hand_out(body, out);
        if !outlen.is_null() {
            // SAFETY: a writable size_t from the caller.
            unsafe { *outlen = n };
        }
        1
    })
}

/// The types of the extensions sent, in order, in a new `OPENSSL_malloc` array.
#[no_mangle]
pub unsafe extern "C" fn SSL_client_hello_get1_extensions_present(
    ssl: *mut SSL,
    out: *mut *mut c_int,
    outlen: *mut usize,
) -> c_int {
    with_hello(ssl, 0, |h| {
        if out.is_null() || outlen.is_null() {
            return 0;
        }
        let n = h.extensions.len();
        let mut array: *mut c_int = std::ptr::null_mut();
        if n > 0 {
            // SAFETY: libcrypto's allocator, so that the caller's OPENSSL_free releases it.
            array = unsafe {
                openssl_sys::CRYPTO_malloc(
                    n * std::mem::size_of::<c_int>(),
                    c"ferrossl".as_ptr(),
                    0,
                )
            } as *mut c_int;
            if array.is_null() {
                return 0;
            }
            for (i, (t, _)) in h.extensions.iter().enumerate() {
                // SAFETY: array has room for n ints.
                unsafe { *array.add(i) = c_int::from(*t) };
            }
        }
        // SAFETY: writable slots from the caller.
        unsafe {
            *out = array;
            *outlen = n;
        }
        1
    })
}
