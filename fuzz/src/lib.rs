//! What the fuzz targets share: contexts made once per process (as a server makes them
//! once), memory BIOs, and the feeding of an input to a connection as a peer's bytes.
//!
//! The targets call ferrossl's C ABI exactly as a C program would, so every call goes
//! through the FFI layer's pointer checks and panic guard. libfuzzer-sys's panic hook
//! aborts on any panic, so a panic the guard would have caught is still reported.

#![allow(clippy::missing_safety_doc)]

use std::ffi::CString;
use std::os::raw::{c_int, c_void};
use std::ptr;
use std::sync::OnceLock;

use ferrossl::ffi::client_hello::*;
use ferrossl::ffi::init::*;
use ferrossl::ffi::observer::*;
use ferrossl::ffi::ssl::*;
use ferrossl::ffi::ssl_ctx::*;
use ferrossl::ffi::ssl_session::*;
use ferrossl::ffi::{SSL, SSL_CTX};
use openssl_sys as ossl;

/// A file of the test PKI (`tests/pki/`), as a C path.
pub fn pki(name: &str) -> CString {
    CString::new(format!(
        "{}/../tests/pki/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

struct SharedCtx(*mut SSL_CTX);
// SAFETY: an SSL_CTX is shared between threads by OpenSSL's contract, and these are only
// configured before they are published.
unsafe impl Send for SharedCtx {}
unsafe impl Sync for SharedCtx {}

unsafe extern "C" fn on_message(
    _write_p: c_int,
    _version: c_int,
    _content_type: c_int,
    _buf: *const c_void,
    _len: usize,
    _ssl: *mut SSL,
    _arg: *mut c_void,
) {
}

unsafe extern "C" fn on_info(_ssl: *const SSL, _where: c_int, _ret: c_int) {}

/// Reads what the ClientHello parser found, as haproxy's callback does.
unsafe extern "C" fn on_client_hello(ssl: *mut SSL, _al: *mut c_int, _arg: *mut c_void) -> c_int {
    let mut ciphers: *const u8 = ptr::null();
    let mut ext: *const u8 = ptr::null();
    let mut ext_len = 0usize;
    let mut present: *mut c_int = ptr::null_mut();
    let mut present_len = 0usize;
    // SAFETY: `ssl` is the connection the callback was called for; out-pointers are locals.
    unsafe {
        SSL_client_hello_get0_ciphers(ssl, &mut ciphers);
        SSL_client_hello_get0_ext(ssl, 0, &mut ext, &mut ext_len);
        SSL_client_hello_get0_ext(ssl, 16, &mut ext, &mut ext_len);
        if SSL_client_hello_get1_extensions_present(ssl, &mut present, &mut present_len) == 1 {
            ossl::CRYPTO_free(present.cast(), c"fuzz".as_ptr(), 0);
        }
    }
    1
}

/// Both sides observed: the message and info callbacks make the handshake trace parse
/// every record, which is peer input too.
unsafe fn observe(ctx: *mut SSL_CTX) {
    // SAFETY: `ctx` is a live context.
    unsafe {
        SSL_CTX_set_msg_callback(ctx, Some(on_message));
        SSL_CTX_set_info_callback(ctx, Some(on_info));
    }
}

/// The server context every server-side target uses (RSA certificate, tickets, session
/// cache, client-hello callback, trace).
pub fn server_ctx() -> *mut SSL_CTX {
    static CTX: OnceLock<SharedCtx> = OnceLock::new();
    CTX.get_or_init(|| {
        // SAFETY: plain C ABI calls on a context this function owns.
        unsafe {
            let ctx = SSL_CTX_new(TLS_server_method());
            assert!(!ctx.is_null());
            assert_eq!(
                SSL_CTX_use_certificate_chain_file(ctx, pki("server-rsa.pem").as_ptr()),
                1
            );
            assert_eq!(
                SSL_CTX_use_PrivateKey_file(ctx, pki("server-rsa-key.pem").as_ptr(), 1),
                1
            );
            SSL_CTX_set_session_id_context(ctx, b"fuzz".as_ptr(), 4);
            SSL_CTX_set_client_hello_cb(ctx, Some(on_client_hello), ptr::null_mut());
            observe(ctx);
            SharedCtx(ctx)
        }
    })
    .0
}

/// The client context every client-side target uses (verifies against the test CA).
pub fn client_ctx() -> *mut SSL_CTX {
    static CTX: OnceLock<SharedCtx> = OnceLock::new();
    CTX.get_or_init(|| {
        // SAFETY: plain C ABI calls on a context this function owns.
        unsafe {
            let ctx = SSL_CTX_new(TLS_client_method());
            assert!(!ctx.is_null());
            SSL_CTX_load_verify_locations(ctx, pki("ca.pem").as_ptr(), ptr::null());
            SSL_CTX_set_verify(ctx, 1, None);
            observe(ctx);
            SharedCtx(ctx)
        }
    })
    .0
}

/// A connection on `ctx` with a memory BIO for each direction; returns it and its
/// read BIO (where the peer's bytes go) and write BIO (what it sends).
pub unsafe fn connection(
    ctx: *mut SSL_CTX,
    server: bool,
) -> (*mut SSL, *mut ossl::BIO, *mut ossl::BIO) {
    // SAFETY: `ctx` is live; the BIOs are handed to the connection, which owns them.
    unsafe {
        let ssl = SSL_new(ctx);
        assert!(!ssl.is_null());
        let rbio = ossl::BIO_new(ossl::BIO_s_mem());
        let wbio = ossl::BIO_new(ossl::BIO_s_mem());
        SSL_set_bio(ssl, rbio, wbio);
        if server {
            SSL_set_accept_state(ssl);
        } else {
            SSL_set_connect_state(ssl);
            set_host_name(ssl);
        }
        (ssl, rbio, wbio)
    }
}

unsafe fn set_host_name(ssl: *mut SSL) {
    // SAFETY: ctrl 55 (SSL_set_tlsext_host_name) with a NUL-terminated name.
    unsafe {
        ferrossl::ffi::ctrl::SSL_ctrl(ssl, 55, 0, c"localhost".as_ptr() as *mut c_void);
    }
}

/// Everything waiting in a memory BIO.
pub unsafe fn drain(bio: *mut ossl::BIO) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        // SAFETY: `bio` is live and `buf` is writable for its length.
        let n = unsafe { ossl::BIO_read(bio, buf.as_mut_ptr().cast(), buf.len() as c_int) };
        if n <= 0 {
            return out;
        }
        out.extend_from_slice(&buf[..n as usize]);
    }
}

/// One step of the connection: the handshake while it lasts, then reading whatever
/// arrived and answering with a little data, as an application would.
pub unsafe fn step(ssl: *mut SSL) {
    let mut buf = [0u8; 2048];
    // SAFETY: `ssl` is live; `buf` is writable for its length.
    unsafe {
        if SSL_is_init_finished(ssl) == 0 {
            let r = SSL_do_handshake(ssl);
            SSL_get_error(ssl, r);
        }
        if SSL_is_init_finished(ssl) == 1 {
            for _ in 0..16 {
                let r = SSL_read(ssl, buf.as_mut_ptr().cast(), buf.len() as c_int);
                if r <= 0 {
                    SSL_get_error(ssl, r);
                    break;
                }
            }
            SSL_write(ssl, b"pong".as_ptr().cast(), 4);
        }
    }
}

/// Feeds `input` to a new connection (on the shared server or client context) as its
/// peer's bytes. The first byte picks the size of
/// the pieces (0: all at once; otherwise that many bytes a piece), so the fuzzer also
/// explores records and messages split at every boundary. Ends with a shutdown.
pub fn feed(server: bool, input: &[u8]) {
    let ctx = if server { server_ctx() } else { client_ctx() };
    let Some((&piece, peer)) = input.split_first() else {
        return;
    };
    let piece = if piece == 0 {
        peer.len().max(1)
    } else {
        piece as usize
    };
    // SAFETY: the connection and its BIOs live until the SSL_free at the end.
    unsafe {
        let (ssl, rbio, wbio) = connection(ctx, server);
        step(ssl);
        drain(wbio);
        for chunk in peer.chunks(piece) {
            ossl::BIO_write(rbio, chunk.as_ptr().cast(), chunk.len() as c_int);
            step(ssl);
            drain(wbio);
        }
        SSL_shutdown(ssl);
        SSL_free(ssl);
        ossl::ERR_clear_error();
    }
}

/// What crossed a real handshake and a short exchange between a ferrossl client and
/// server on the shared contexts: the server's bytes, the client's bytes, and the client's
/// and server's sessions serialised (for the seed corpora).
pub struct Recording {
    pub to_client: Vec<u8>,
    pub to_server: Vec<u8>,
    pub sessions: Vec<Vec<u8>>,
}

/// Records a handshake limited to `version` (0x0303 or 0x0304).
pub fn record_handshake(version: c_int) -> Recording {
    let mut rec = Recording {
        to_client: Vec::new(),
        to_server: Vec::new(),
        sessions: Vec::new(),
    };
    // SAFETY: both connections and their BIOs live until the SSL_free calls.
    unsafe {
        let (c, crbio, cwbio) = connection(client_ctx(), false);
        let (s, srbio, swbio) = connection(server_ctx(), true);
        // SSL_CTRL_SET_MAX_PROTO_VERSION
        ferrossl::ffi::ctrl::SSL_ctrl(c, 124, version as _, ptr::null_mut());
        for _ in 0..20 {
            step(c);
            let out = drain(cwbio);
            ossl::BIO_write(srbio, out.as_ptr().cast(), out.len() as c_int);
            rec.to_server.extend_from_slice(&out);
            step(s);
            let out = drain(swbio);
            ossl::BIO_write(crbio, out.as_ptr().cast(), out.len() as c_int);
            rec.to_client.extend_from_slice(&out);
        }
        assert_eq!(SSL_is_init_finished(c), 1, "the recorded handshake failed");
        assert_eq!(SSL_is_init_finished(s), 1, "the recorded handshake failed");
        for ssl in [c, s] {
            let sess = SSL_get1_session(ssl);
            if !sess.is_null() {
                let len = i2d_SSL_SESSION(sess, ptr::null_mut());
                let mut der = vec![0u8; len.max(0) as usize];
                let mut p = der.as_mut_ptr();
                i2d_SSL_SESSION(sess, &mut p);
                rec.sessions.push(der);
                SSL_SESSION_free(sess);
            }
        }
        SSL_free(c);
        SSL_free(s);
    }
    rec
}
