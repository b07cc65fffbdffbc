//! How a context's connections verify their peer: `SSL_CTX_set_verify`, the verify
//! parameters, and the trust store (`SSL_CTX_load_verify_locations`,
//! `SSL_CTX_set_cert_store`, the default paths).

use std::os::raw::{c_char, c_int, c_void};

use openssl_sys::{X509_STORE, X509_STORE_CTX, X509_VERIFY_PARAM};

use crate::ffi::{c_path, SSL_CTX};
use crate::libcrypto::error_queue as err;
use crate::libcrypto::store::VerifyCallback;
use crate::libcrypto::store::{AppVerifyCallback, CertStore};

/// The verify callback type (`SSL_verify_cb`).
pub type SslVerifyCb =
    Option<unsafe extern "C" fn(preverify_ok: c_int, x509_ctx: *mut X509_STORE_CTX) -> c_int>;

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_verify(ctx: *mut SSL_CTX, mode: c_int, callback: SslVerifyCb) {
    ffi_guard!((), {
        let ctx = try_ref!(ctx, ());
        let mut s = ctx.settings();
        s.verify_mode = mode;
        s.verify_callback = callback.map(VerifyCallback::new);
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_verify_callback(ctx: *const SSL_CTX) -> SslVerifyCb {
    ffi_guard!(None, {
        try_ref!(ctx, None)
            .settings()
            .verify_callback
            .map(VerifyCallback::function)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_verify_depth(ctx: *mut SSL_CTX, depth: c_int) {
    ffi_guard!((), { try_ref!(ctx, ()).param.set_depth(depth) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_verify_mode(ctx: *const SSL_CTX) -> c_int {
    ffi_guard!(0, { try_ref!(ctx, 0).settings().verify_mode })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_verify_depth(ctx: *const SSL_CTX) -> c_int {
    extern "C" {
        fn X509_VERIFY_PARAM_get_depth(p: *const X509_VERIFY_PARAM) -> c_int;
    }
    ffi_guard!(-1, {
        let ctx = try_ref!(ctx, -1);
        // SAFETY: the context's live parameter set.
        unsafe { X509_VERIFY_PARAM_get_depth(ctx.param.as_ptr()) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get0_param(ctx: *mut SSL_CTX) -> *mut X509_VERIFY_PARAM {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ctx, std::ptr::null_mut()).param.as_ptr()
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_load_verify_locations(
    ctx: *mut SSL_CTX,
    ca_file: *const c_char,
    ca_path: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let (file, dir) = (c_path(ca_file), c_path(ca_path));
        if file.is_none() && dir.is_none() {
            return 0;
        }
        let store = ctx.store();
        if file.is_some_and(|f| !store.load_file(f)) {
            return 0;
        }
        if dir.is_some_and(|d| !store.load_dir(d)) {
            return 0;
        }
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_load_verify_file(
    ctx: *mut SSL_CTX,
    ca_file: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(file) = c_path(ca_file) else {
            return 0;
        };
        c_int::from(ctx.store().load_file(file))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_load_verify_dir(
    ctx: *mut SSL_CTX,
    ca_path: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(dir) = c_path(ca_path) else { return 0 };
        c_int::from(ctx.store().load_dir(dir))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_verify_paths(ctx: *mut SSL_CTX) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_ref!(ctx, 0).store().set_default_paths())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_cert_store(ctx: *const SSL_CTX) -> *mut X509_STORE {
    // The context keeps its reference; the pointer stays valid while it holds this store.
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ctx, std::ptr::null_mut()).store().as_ptr()
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_cert_store(ctx: *mut SSL_CTX, store: *mut X509_STORE) {
    ffi_guard!((), {
        let ctx = try_ref!(ctx, ());
        if let Some(store) = CertStore::adopt(store) {
            ctx.set_store(store);
        } else if let Some(empty) = CertStore::new() {
            ctx.set_store(empty);
        }
    })
}

/// Loads the trust anchors of libcrypto's default directory (`SSL_CERT_DIR` or the
/// built-in path); like OpenSSL, a missing directory is not an error.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_verify_dir(ctx: *mut SSL_CTX) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let dir = crate::libcrypto::store::default_cert_dir();
        err::discarding_errors(|| ctx.store().load_dir(std::path::Path::new(&dir)));
        1
    })
}

/// Loads the trust anchors of libcrypto's default file (`SSL_CERT_FILE` or the
/// built-in path); like OpenSSL, a missing file is not an error.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_verify_file(ctx: *mut SSL_CTX) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let file = crate::libcrypto::store::default_cert_file();
        err::discarding_errors(|| ctx.store().load_file(std::path::Path::new(&file)));
        1
    })
}

/// Copies verification parameters into the context's (`X509_VERIFY_PARAM_set1`).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set1_param(
    ctx: *mut SSL_CTX,
    vpm: *mut X509_VERIFY_PARAM,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        if vpm.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        // SAFETY: both are live parameter sets; libcrypto copies from vpm.
        unsafe { crate::libcrypto::extra::X509_VERIFY_PARAM_set1(ctx.param.as_ptr(), vpm) }
    })
}

/// Trust anchors from an `OSSL_STORE` URI, through libcrypto's store loader.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_load_verify_store(ctx: *mut SSL_CTX, uri: *const c_char) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        if uri.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        // SAFETY: the context's live store and a NUL-terminated URI from the caller.
        unsafe { crate::libcrypto::extra::X509_STORE_load_store(ctx.store().as_ptr(), uri) }
    })
}

/// Trust anchors from libcrypto's default store (its default certificate directory as an
/// `OSSL_STORE` URI); like OpenSSL, a missing store is not an error.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_verify_store(ctx: *mut SSL_CTX) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let dir = crate::libcrypto::store::default_cert_dir();
        if let Ok(uri) =
            std::ffi::CString::new(std::os::unix::ffi::OsStrExt::as_bytes(dir.as_os_str()))
        {
            err::discarding_errors(|| {
                // SAFETY: the context's live store and a NUL-terminated URI made here.
                unsafe {
                    crate::libcrypto::extra::X509_STORE_load_store(
                        ctx.store().as_ptr(),
                        uri.as_ptr(),
                    )
                }
            });
        }
        1
    })
}

/// As `SSL_CTX_set_cert_store`, but the caller keeps its reference to `store`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set1_cert_store(ctx: *mut SSL_CTX, store: *mut X509_STORE) {
    ffi_guard!((), {
        try_ref!(ctx, ());
        if !store.is_null() {
            // SAFETY: a live store from the caller; the context takes the new reference.
            unsafe { crate::libcrypto::extra::X509_STORE_up_ref(store) };
        }
        // SAFETY: ctx is live (checked above); store is NULL or carries our reference.
        unsafe { SSL_CTX_set_cert_store(ctx, store) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_purpose(ctx: *mut SSL_CTX, purpose: c_int) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_ref!(ctx, 0).param.set_purpose(purpose))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_trust(ctx: *mut SSL_CTX, trust: c_int) -> c_int {
    ffi_guard!(0, { c_int::from(try_ref!(ctx, 0).param.set_trust(trust)) })
}

/// The type of `SSL_CTX_set_cert_verify_callback`'s function.
pub type SslAppVerifyCb =
    Option<unsafe extern "C" fn(*mut openssl_sys::X509_STORE_CTX, *mut c_void) -> c_int>;

/// `cb` replaces chain verification: it gets an `X509_STORE_CTX` set up for the peer's
/// chain (trust store, parameters, verify callback, the `SSL *` in its ex_data) and its
/// answer decides, with the context's error as the verify result. NULL restores
/// `X509_verify_cert`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_cert_verify_callback(
    ctx: *mut SSL_CTX,
    cb: SslAppVerifyCb,
    arg: *mut c_void,
) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().app_verify = cb.map(|f| AppVerifyCallback::new(f, arg))
    })
}
