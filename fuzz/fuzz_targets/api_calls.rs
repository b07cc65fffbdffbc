//! Random sequences of C-ABI calls: contexts, connections and sessions made, referenced,
//! mixed and freed in any order, with NULL and out-of-range arguments. The input is a
//! program: each byte picks an operation, the bytes after it its arguments. The harness
//! keeps OpenSSL's contract (it frees each reference it holds exactly once), so anything
//! that goes wrong is ferrossl's.
#![no_main]

use std::ffi::CString;
use std::os::raw::{c_int, c_long, c_uint};
use std::ptr;

use ferrossl::ffi::ctrl::*;
use ferrossl::ffi::init::*;
use ferrossl::ffi::observer::*;
use ferrossl::ffi::ssl::*;
use ferrossl::ffi::ssl_bio::*;
use ferrossl::ffi::ssl_cipher::*;
use ferrossl::ffi::ssl_ctx::*;
use ferrossl::ffi::ssl_session::*;
use ferrossl::ffi::{SSL, SSL_CTX, SSL_SESSION};
use openssl_sys as ossl;

/// The program being run: the input and a read position.
struct Program<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Program<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// A number that is often small, sometimes a boundary, sometimes anything.
    fn number(&mut self) -> c_long {
        match self.byte() % 8 {
            0 => -1,
            1 => c_long::MAX,
            2 => c_long::MIN,
            3 => 0,
            4 => c_long::from(self.byte()) << 8 | c_long::from(self.byte()),
            _ => c_long::from(self.byte()),
        }
    }

    /// A short string from the input (up to the next NUL or 32 bytes).
    fn string(&mut self) -> CString {
        let len = usize::from(self.byte() % 32);
        let start = self.at.min(self.bytes.len());
        let end = (start + len).min(self.bytes.len());
        self.at = end;
        let raw: Vec<u8> = self.bytes[start..end]
            .iter()
            .copied()
            .take_while(|&b| b != 0)
            .collect();
        CString::new(raw).unwrap()
    }

    fn blob(&mut self) -> Vec<u8> {
        let len = usize::from(self.byte() % 64);
        let start = self.at.min(self.bytes.len());
        let end = (start + len).min(self.bytes.len());
        self.at = end;
        self.bytes[start..end].to_vec()
    }
}

/// One reference per entry: freeing an entry removes it.
#[derive(Default)]
struct World {
    ctxs: Vec<*mut SSL_CTX>,
    ssls: Vec<*mut SSL>,
    sessions: Vec<*mut SSL_SESSION>,
}

/// An entry of `v` picked by the program, or NULL (also when `v` is empty).
fn pick<T>(p: &mut Program, v: &[*mut T]) -> *mut T {
    let b = usize::from(p.byte());
    if v.is_empty() || b % 8 == 7 {
        ptr::null_mut()
    } else {
        v[b % v.len()]
    }
}

/// Removes and returns an entry picked by the program (never NULL).
fn take<T>(p: &mut Program, v: &mut Vec<*mut T>) -> Option<*mut T> {
    let b = usize::from(p.byte());
    (!v.is_empty()).then(|| v.swap_remove(b % v.len()))
}

unsafe fn run(p: &mut Program, w: &mut World) {
    let mut buf = [0u8; 256];
    // SAFETY (for the whole body): every pointer passed is NULL or an entry of the world,
    // each entry standing for one reference the harness holds; buffers are locals.
    unsafe {
        match p.byte() % 33 {
            0 => {
                let method = match p.byte() % 4 {
                    0 => TLS_method(),
                    1 => TLS_client_method(),
                    2 => TLS_server_method(),
                    _ => ptr::null(),
                };
                let ctx = SSL_CTX_new(method);
                if !ctx.is_null() {
                    w.ctxs.push(ctx);
                }
            }
            1 => {
                if let Some(ctx) = take(p, &mut w.ctxs) {
                    SSL_CTX_free(ctx);
                }
            }
            2 => {
                let ctx = pick(p, &w.ctxs);
                if SSL_CTX_up_ref(ctx) == 1 {
                    w.ctxs.push(ctx);
                }
            }
            3 => {
                let ssl = SSL_new(pick(p, &w.ctxs));
                if !ssl.is_null() {
                    w.ssls.push(ssl);
                }
            }
            4 => {
                if let Some(ssl) = take(p, &mut w.ssls) {
                    SSL_free(ssl);
                }
            }
            5 => {
                let ssl = pick(p, &w.ssls);
                if SSL_up_ref(ssl) == 1 {
                    w.ssls.push(ssl);
                }
            }
            6 => {
                let ssl = pick(p, &w.ssls);
                let cmd = c_int::from(p.byte());
                SSL_ctrl(ssl, cmd, p.number(), ptr::null_mut());
            }
            7 => {
                let ctx = pick(p, &w.ctxs);
                let cmd = c_int::from(p.byte());
                SSL_CTX_ctrl(ctx, cmd, p.number(), ptr::null_mut());
            }
            8 => {
                let s = p.string();
                SSL_CTX_set_cipher_list(pick(p, &w.ctxs), s.as_ptr());
            }
            9 => {
                let ssl = pick(p, &w.ssls);
                SSL_set_SSL_CTX(ssl, pick(p, &w.ctxs));
            }
            10 => {
                let sess = SSL_get1_session(pick(p, &w.ssls));
                if !sess.is_null() {
                    w.sessions.push(sess);
                }
            }
            11 => {
                let ssl = pick(p, &w.ssls);
                SSL_set_session(ssl, pick(p, &w.sessions));
            }
            12 => {
                if let Some(sess) = take(p, &mut w.sessions) {
                    SSL_SESSION_free(sess);
                }
            }
            13 => {
                let sess = pick(p, &w.sessions);
                if SSL_SESSION_up_ref(sess) == 1 {
                    w.sessions.push(sess);
                }
            }
            14 => {
                let ssl = pick(p, &w.ssls);
                SSL_get_error(ssl, p.number() as c_int);
            }
            15 => {
                let ssl = pick(p, &w.ssls);
                let n = p.number() as c_int;
                match p.byte() % 5 {
                    0 => SSL_read(ssl, buf.as_mut_ptr().cast(), n.clamp(0, 256)),
                    1 => SSL_write(ssl, buf.as_ptr().cast(), n.clamp(0, 256)),
                    2 => SSL_do_handshake(ssl),
                    3 => SSL_shutdown(ssl),
                    _ => SSL_peek(ssl, buf.as_mut_ptr().cast(), n.clamp(0, 256)),
                };
            }
            16 => {
                let ssl = pick(p, &w.ssls);
                if !ssl.is_null() {
                    let r = ossl::BIO_new(ossl::BIO_s_mem());
                    // One BIO for both directions hands over one reference, as in OpenSSL.
                    let wb = if p.byte().is_multiple_of(2) {
                        r
                    } else {
                        ossl::BIO_new(ossl::BIO_s_mem())
                    };
                    let data = p.blob();
                    ossl::BIO_write(r, data.as_ptr().cast(), data.len() as c_int);
                    SSL_set_bio(ssl, r, wb);
                }
            }
            17 => {
                let ssl = pick(p, &w.ssls);
                let bits = p.number() as u64;
                if p.byte().is_multiple_of(2) {
                    SSL_set_options(ssl, bits);
                } else {
                    SSL_clear_options(ssl, bits);
                }
            }
            18 => {
                let ssl = pick(p, &w.ssls);
                SSL_set_verify(ssl, p.number() as c_int, None);
            }
            19 => {
                let s = p.string();
                SSL_CTX_set_ciphersuites(pick(p, &w.ctxs), s.as_ptr());
            }
            20 => {
                let ssl = pick(p, &w.ssls);
                let name = p.string();
                // SSL_set_tlsext_host_name
                SSL_ctrl(ssl, 55, 0, name.as_ptr() as *mut _);
            }
            21 => {
                let ssl = pick(p, &w.ssls);
                SSL_get_current_cipher(ssl);
                SSL_get_version(ssl);
                free_certificate(SSL_get1_peer_certificate(ssl));
                SSL_get_ciphers(ssl);
                SSL_get_servername(ssl, 0);
                SSL_state_string_long(ssl);
                SSL_get_verify_result(ssl);
                SSL_is_init_finished(ssl);
                SSL_pending(ssl);
                let c = SSL_get_current_cipher(ssl);
                SSL_CIPHER_get_name(c);
                SSL_CIPHER_description(c, buf.as_mut_ptr().cast(), buf.len() as c_int);
            }
            22 => {
                let sess = pick(p, &w.sessions);
                let len = i2d_SSL_SESSION(sess, ptr::null_mut());
                if len > 0 {
                    let mut der = vec![0u8; len as usize];
                    let mut out = der.as_mut_ptr();
                    i2d_SSL_SESSION(sess, &mut out);
                    let mut inp = der.as_ptr();
                    let copy = d2i_SSL_SESSION(ptr::null_mut(), &mut inp, len as c_long);
                    if !copy.is_null() {
                        w.sessions.push(copy);
                    }
                }
            }
            23 => {
                let data = p.blob();
                let len = if p.byte().is_multiple_of(4) {
                    255
                } else {
                    data.len() as c_uint
                };
                let len = len.min(data.len() as c_uint);
                SSL_CTX_set_session_id_context(pick(p, &w.ctxs), data.as_ptr(), len);
            }
            24 => {
                let data = p.blob();
                SSL_set_alpn_protos(pick(p, &w.ssls), data.as_ptr(), data.len() as c_uint);
            }
            25 => {
                let s = p.string();
                // SSL_CTX_set1_groups_list
                SSL_CTX_ctrl(pick(p, &w.ctxs), 92, 0, s.as_ptr() as *mut _);
            }
            26 => {
                let sess = pick(p, &w.sessions);
                let mut n = 0u32;
                SSL_SESSION_get_id(sess, &mut n);
                SSL_SESSION_get_protocol_version(sess);
                SSL_SESSION_set_timeout(sess, p.number());
                SSL_SESSION_is_resumable(sess);
                let data = p.blob();
                SSL_SESSION_set1_id_context(sess, data.as_ptr(), data.len() as c_uint);
            }
            27 => {
                let ssl = pick(p, &w.ssls);
                if p.byte().is_multiple_of(2) {
                    SSL_set_connect_state(ssl);
                } else {
                    SSL_set_accept_state(ssl);
                }
            }
            28 => {
                SSL_clear(pick(p, &w.ssls));
            }
            29 => {
                let ctx = pick(p, &w.ctxs);
                SSL_CTX_set_verify(ctx, p.number() as c_int, None);
                SSL_CTX_set_timeout(ctx, p.number());
            }
            30 => {
                let ssl = pick(p, &w.ssls);
                set_min_proto_version(ssl, p.number());
            }
            31 => {
                // The SSL BIO over a connection it does not own (BIO_NOCLOSE), used and
                // freed within this step; BIO_free_all also drops the reference it took
                // on the connection's transport.
                let ssl = pick(p, &w.ssls);
                let bio = ossl::BIO_new(BIO_f_ssl());
                if !bio.is_null() {
                    if !ssl.is_null() {
                        ossl::BIO_ctrl(bio, 109, 0, ssl.cast()); // BIO_set_ssl, BIO_NOCLOSE
                    }
                    let data = p.blob();
                    ossl::BIO_write(bio, data.as_ptr().cast(), data.len() as c_int);
                    ossl::BIO_read(bio, buf.as_mut_ptr().cast(), buf.len() as c_int);
                    for cmd in [10, 11, 101, 119] {
                        // pending, flush, do the handshake, set the mode
                        ossl::BIO_ctrl(bio, cmd, p.number() & 1, ptr::null_mut());
                    }
                    let mut got: *mut SSL = ptr::null_mut();
                    ossl::BIO_ctrl(bio, 110, 0, (&mut got as *mut *mut SSL).cast());
                    BIO_ssl_shutdown(bio);
                    ossl::BIO_free_all(bio);
                }
            }
            _ => {
                ossl::ERR_clear_error();
            }
        }
    }
}

unsafe fn free_certificate(x: *mut ossl::X509) {
    if !x.is_null() {
        // SAFETY: a reference this harness was handed.
        unsafe { ossl::X509_free(x) };
    }
}

unsafe fn set_min_proto_version(ssl: *mut SSL, v: c_long) {
    // SAFETY: ctrl 123 (SSL_set_min_proto_version) takes no pointer.
    unsafe { SSL_ctrl(ssl, 123, v, ptr::null_mut()) };
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut p = Program { bytes: data, at: 0 };
    let mut w = World::default();
    for _ in 0..256 {
        if p.done() {
            break;
        }
        // SAFETY: see `run`.
        unsafe { run(&mut p, &mut w) };
    }
    // Whatever is left is freed in the order the program's last bytes left it.
    // SAFETY: each entry is one reference the harness holds.
    unsafe {
        for ssl in w.ssls.drain(..) {
            SSL_free(ssl);
        }
        for sess in w.sessions.drain(..) {
            SSL_SESSION_free(sess);
        }
        for ctx in w.ctxs.drain(..) {
            SSL_CTX_free(ctx);
        }
        ossl::ERR_clear_error();
    }
});
