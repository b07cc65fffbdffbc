//! Application protocols: the client's ALPN offer, the server's select callback,
//! `SSL_select_next_proto`, and NPN's callbacks, stored and never called (NPN is not
//! negotiated, as in an OpenSSL built without it).

use std::os::raw::{c_int, c_uchar, c_uint, c_void};
use std::sync::Arc;

use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::config::alpn;
use crate::context::{AlpnChoice, AlpnSelector};
use crate::ffi::{SSL, SSL_CTX};
use crate::libcrypto::error_queue as err;

/// The ALPN select callback type of `SSL_CTX_set_alpn_select_cb`.
pub type SslAlpnSelectCb = Option<
    unsafe extern "C" fn(
        ssl: *mut SSL,
        out: *mut *const c_uchar,
        outlen: *mut c_uchar,
        input: *const c_uchar,
        inlen: c_uint,
        arg: *mut c_void,
    ) -> c_int,
>;

/// Parses an ALPN list argument; `None` for a malformed one. An empty list clears.
pub(crate) fn alpn_arg(protos: *const c_uchar, len: c_uint) -> Option<Vec<Vec<u8>>> {
    if protos.is_null() || len == 0 {
        return Some(Vec::new());
    }
    // SAFETY: protos points at len bytes, per the function's contract.
    let wire = unsafe { std::slice::from_raw_parts(protos, len as usize) };
    alpn::parse_wire(wire)
}

/// Note the inverted convention: 0 on success, 1 on failure.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_alpn_protos(
    ctx: *mut SSL_CTX,
    protos: *const c_uchar,
    protos_len: c_uint,
) -> c_int {
    ffi_guard!(1, {
        let ctx = try_ref!(ctx, 1);
        match alpn_arg(protos, protos_len) {
            Some(list) => {
                ctx.settings().alpn_protos = list;
                0
            }
            None => {
                err::raise_ssl(reason::SSL_R_BAD_VALUE);
                1
            }
        }
    })
}

struct CAlpnSelector {
    cb: unsafe extern "C" fn(
        *mut SSL,
        *mut *const c_uchar,
        *mut c_uchar,
        *const c_uchar,
        c_uint,
        *mut c_void,
    ) -> c_int,
    arg: usize,
}

impl AlpnSelector for CAlpnSelector {
    fn select(&self, ssl: usize, offered: &[u8]) -> AlpnChoice {
        let mut out: *const c_uchar = std::ptr::null();
        let mut outlen: c_uchar = 0;
        // SAFETY: the application's callback, given its SSL, its arg, and the client's
        // list (valid for the call); it points `out` at `outlen` readable bytes.
        let r = unsafe {
            (self.cb)(
                ssl as *mut SSL,
                &mut out,
                &mut outlen,
                offered.as_ptr(),
                offered.len() as c_uint,
                self.arg as *mut c_void,
            )
        };
        match r {
            SSL_TLSEXT_ERR_OK if !out.is_null() && outlen > 0 => {
                // SAFETY: see above; copied before the callback's memory can change.
                AlpnChoice::Selected(
                    unsafe { std::slice::from_raw_parts(out, usize::from(outlen)) }.to_vec(),
                )
            }
            SSL_TLSEXT_ERR_ALERT_FATAL => AlpnChoice::Fatal,
            _ => AlpnChoice::NoAck,
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_alpn_select_cb(
    ctx: *mut SSL_CTX,
    cb: SslAlpnSelectCb,
    arg: *mut c_void,
) {
    ffi_guard!((), {
        let ctx = try_ref!(ctx, ());
        ctx.set_alpn_selector(cb.map(|cb| {
            Arc::new(CAlpnSelector {
                cb,
                arg: arg as usize,
            }) as Arc<dyn AlpnSelector>
        }));
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_select_next_proto(
    out: *mut *mut c_uchar,
    outlen: *mut c_uchar,
    server: *const c_uchar,
    server_len: c_uint,
    client: *const c_uchar,
    client_len: c_uint,
) -> c_int {
    ffi_guard!(OPENSSL_NPN_NO_OVERLAP, {
        if out.is_null() || outlen.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return OPENSSL_NPN_NO_OVERLAP;
        }
        let slice = |p: *const c_uchar, n: c_uint| -> &[u8] {
            if p.is_null() {
                &[]
            } else {
                // SAFETY: p points at n bytes, per the function's contract.
                unsafe { std::slice::from_raw_parts(p, n as usize) }
            }
        };
        let (s, c) = (slice(server, server_len), slice(client, client_len));
        let (status, base, pick) = match alpn::select_next(s, c) {
            alpn::Selection::Negotiated(o, l) => (OPENSSL_NPN_NEGOTIATED, server, Some((o, l))),
            alpn::Selection::NoOverlap(first) => (OPENSSL_NPN_NO_OVERLAP, client, first),
        };
        // SAFETY: out/outlen are writable; the result points into the caller's own buffer.
        unsafe {
            match pick {
                Some((o, l)) => {
                    *out = base.add(o) as *mut c_uchar;
                    *outlen = l as c_uchar;
                }
                None => {
                    *out = std::ptr::null_mut();
                    *outlen = 0;
                }
            }
        }
        status
    })
}

/// NPN (replaced by ALPN) is not implemented: the client never offers it, so this
/// callback is never called and `SSL_get0_next_proto_negotiated` reports nothing.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_next_proto_select_cb(
    ctx: *mut SSL_CTX,
    cb: Option<
        unsafe extern "C" fn(
            *mut SSL,
            *mut *mut c_uchar,
            *mut c_uchar,
            *const c_uchar,
            c_uint,
            *mut c_void,
        ) -> c_int,
    >,
    arg: *mut c_void,
) {
    let _ = (ctx, cb, arg);
}

/// NPN is not implemented: the server never advertises protocols by it (a client that
/// asks gets no NPN answer), so this callback is never called.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_next_protos_advertised_cb(
    ctx: *mut SSL_CTX,
    cb: Option<
        unsafe extern "C" fn(*mut SSL, *mut *const c_uchar, *mut c_uint, *mut c_void) -> c_int,
    >,
    arg: *mut c_void,
) {
    let _ = (ctx, cb, arg);
}
