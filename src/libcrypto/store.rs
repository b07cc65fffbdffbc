//! The `X509_STORE` of trust anchors, and certificate-chain verification through it.
//!
//! Chain building and policy stay libcrypto's, so that `SSL_get_verify_result` reports the
//! same `X509_V_ERR_*` codes as OpenSSL, hashed CA directories work, and anchors an
//! application adds to `SSL_CTX_get_cert_store()` are honoured.

use std::ffi::CString;
use std::os::raw::{c_int, c_long};
use std::path::Path;
use std::ptr::NonNull;

use super::extra;
use super::sys::{self, X509_STORE};
use super::verify_param::VerifyParam;
use super::x509::{Certificate, CertificateStack};

/// One owned reference to an `X509_STORE`.
#[derive(Debug)]
pub struct CertStore(NonNull<X509_STORE>);

// SAFETY: X509_STORE has its own lock and an atomic reference count.
unsafe impl Send for CertStore {}
// SAFETY: as above.
unsafe impl Sync for CertStore {}

/// What one chain verification found.
#[derive(Debug)]
pub struct ChainVerdict {
    /// Whether `X509_verify_cert` succeeded (a verify callback may accept a failed chain).
    pub passed: bool,
    /// `X509_V_OK` (0) or the `X509_V_ERR_*` code libcrypto reported.
    pub result: c_long,
    /// The chain libcrypto built, leaf to anchor (`SSL_get0_verified_chain`).
    pub chain: Option<CertificateStack>,
}

/// The C type of an application's verify callback (`SSL_verify_cb`).
pub type VerifyFn = unsafe extern "C" fn(c_int, *mut sys::X509_STORE_CTX) -> c_int;

/// An application's verify callback, run by libcrypto for each certificate of the chain.
/// Opaque outside this bridge: the core only carries it to the verification.
#[derive(Debug, Clone, Copy)]
pub struct VerifyCallback(VerifyFn);

impl VerifyCallback {
    pub fn new(f: VerifyFn) -> Self {
        Self(f)
    }

    /// The application's function, as `SSL_get_verify_callback` returns it.
    pub fn function(self) -> VerifyFn {
        self.0
    }
}

/// The C type of an application's replacement for chain verification
/// (`SSL_CTX_set_cert_verify_callback`).
pub type AppVerifyFn =
    unsafe extern "C" fn(*mut sys::X509_STORE_CTX, *mut std::os::raw::c_void) -> c_int;

/// An application's replacement for chain verification and its argument: it gets the
/// `X509_STORE_CTX` set up for the peer's chain, and its answer decides. Opaque outside
/// this bridge.
#[derive(Debug, Clone, Copy)]
pub struct AppVerifyCallback {
    function: AppVerifyFn,
    arg: usize,
}

impl AppVerifyCallback {
    pub fn new(function: AppVerifyFn, arg: *mut std::os::raw::c_void) -> Self {
        Self {
            function,
            arg: arg as usize,
        }
    }
}

/// What a verification hands the application's callbacks and libcrypto beside the chain:
/// the verify callback, the `SSL *` a callback finds with
/// `SSL_get_ex_data_X509_STORE_CTX_idx()`, a replacement for the verification itself, and
/// the connection's DANE state with its flags.
#[derive(Debug, Clone)]
pub struct CallbackContext {
    pub callback: Option<VerifyCallback>,
    pub ssl: usize,
    pub app_verify: Option<AppVerifyCallback>,
    pub dane: Option<(std::sync::Arc<super::dane::Dane>, std::os::raw::c_ulong)>,
}

/// The `X509_STORE_CTX` ex_data index under which the `SSL *` is stored during verification.
pub fn ssl_ex_index() -> c_int {
    const CRYPTO_EX_INDEX_X509_STORE_CTX: c_int = 5;
    static INDEX: std::sync::OnceLock<c_int> = std::sync::OnceLock::new();
    *INDEX.get_or_init(|| {
        // SAFETY: registers a plain index with no callbacks; the name is a static C string.
        unsafe {
            sys::CRYPTO_get_ex_new_index(
                CRYPTO_EX_INDEX_X509_STORE_CTX,
                0,
                c"SSL for verify callback".as_ptr() as *mut _,
                None,
                None,
                None,
            )
        }
    })
}

fn c_path(path: &Path) -> Option<CString> {
    use std::os::unix::ffi::OsStrExt;
    CString::new(path.as_os_str().as_bytes()).ok()
}

impl CertStore {
    pub fn new() -> Option<Self> {
        // SAFETY: a fresh store.
        NonNull::new(unsafe { sys::X509_STORE_new() }).map(Self)
    }

    /// Adopts one reference the caller owned (`SSL_CTX_set_cert_store`).
    pub fn adopt(ptr: *mut X509_STORE) -> Option<Self> {
        NonNull::new(ptr).map(Self)
    }

    /// Takes a new reference to an application's store (`set1` calls).
    pub fn up_ref(ptr: *mut X509_STORE) -> Option<Self> {
        let store = NonNull::new(ptr)?;
        // SAFETY: a live store from the application; the reference taken is ours.
        unsafe { extra::X509_STORE_up_ref(store.as_ptr()) };
        Some(Self(store))
    }

    pub fn as_ptr(&self) -> *mut X509_STORE {
        self.0.as_ptr()
    }

    /// `X509_STORE_load_file`: PEM certificates and CRLs from one file.
    pub fn load_file(&self, file: &Path) -> bool {
        let Some(f) = c_path(file) else { return false };
        // SAFETY: f is a NUL-terminated path; errors go to the queue.
        unsafe { extra::X509_STORE_load_file(self.as_ptr(), f.as_ptr()) == 1 }
    }

    /// `X509_STORE_load_path`: a hashed directory, looked up lazily during verification.
    pub fn load_dir(&self, dir: &Path) -> bool {
        let Some(d) = c_path(dir) else { return false };
        // SAFETY: d is a NUL-terminated path.
        unsafe { extra::X509_STORE_load_path(self.as_ptr(), d.as_ptr()) == 1 }
    }

    pub fn set_default_paths(&self) -> bool {
        // SAFETY: a live store.
        unsafe { sys::X509_STORE_set_default_paths(self.as_ptr()) == 1 }
    }

    /// Verifies `leaf` with the peer's other certificates as untrusted intermediates.
    ///
    /// `purpose` is "ssl_server" when we check a server and "ssl_client" for a client.
    pub fn verify(
        &self,
        leaf: &Certificate,
        untrusted: &[Certificate],
        param: &VerifyParam,
        purpose: &'static std::ffi::CStr,
        callback: &CallbackContext,
    ) -> ChainVerdict {
        const X509_V_ERR_UNSPECIFIED: c_long = 1;
        let failed = || ChainVerdict {
            passed: false,
            result: X509_V_ERR_UNSPECIFIED,
            chain: None,
        };
        // The peer's whole chain is the untrusted set, leaf included, as OpenSSL's libssl
        // passes it (verify callbacks see the same stack).
        let mut sent = Vec::with_capacity(1 + untrusted.len());
        sent.push(leaf.clone());
        sent.extend_from_slice(untrusted);
        let Some(chain) = CertificateStack::new(&sent) else {
            return failed();
        };
        // SAFETY: ctx is created and freed here; the store, leaf, chain and param outlive it.
        unsafe {
            let ctx = sys::X509_STORE_CTX_new();
            if ctx.is_null() {
                return failed();
            }
            let verdict =
                if sys::X509_STORE_CTX_init(ctx, self.as_ptr(), leaf.as_ptr(), chain.as_ptr()) == 1
                {
                    extra::X509_STORE_CTX_set_default(ctx, purpose.as_ptr());
                    extra::X509_VERIFY_PARAM_set1(
                        extra::X509_STORE_CTX_get0_param(ctx),
                        param.as_ptr(),
                    );
                    extra::X509_STORE_CTX_set_ex_data(ctx, ssl_ex_index(), callback.ssl as *mut _);
                    if callback.callback.is_some() {
                        extra::X509_STORE_CTX_set_verify_cb(
                            ctx,
                            callback.callback.map(VerifyCallback::function),
                        );
                    }
                    // DANE, when the connection has records, as OpenSSL's libssl hands it over.
                    let _dane = callback
                        .dane
                        .as_ref()
                        .filter(|(dane, _)| dane.has_records())
                        .map(|(dane, flags)| dane.attach(ctx, *flags));
                    let passed = match callback.app_verify {
                        Some(app) => (app.function)(ctx, app.arg as *mut _) > 0,
                        None => sys::X509_verify_cert(ctx) > 0,
                    };
                    // The name that matched goes back to the connection's parameters
                    // (`SSL_get0_peername`; Postfix logs it), as OpenSSL's libssl moves it.
                    extra::X509_VERIFY_PARAM_move_peername(
                        param.as_ptr(),
                        extra::X509_STORE_CTX_get0_param(ctx),
                    );
                    ChainVerdict {
                        passed,
                        result: sys::X509_STORE_CTX_get_error(ctx) as c_long,
                        chain: CertificateStack::adopt(extra::X509_STORE_CTX_get1_chain(ctx)),
                    }
                } else {
                    failed()
                };
            sys::X509_STORE_CTX_free(ctx);
            verdict
        }
    }
}

impl CertStore {
    /// The certificates that follow `leaf` in the chain libcrypto builds for it from this
    /// store (issuers up to the root), as OpenSSL's libssl builds the chain it sends when
    /// none was configured. Verification errors do not matter here and are cleared.
    pub fn build_chain(&self, leaf: &Certificate) -> Vec<Certificate> {
        // SAFETY: ctx is created and freed here; the store and leaf outlive it.
        unsafe {
            let ctx = sys::X509_STORE_CTX_new();
            if ctx.is_null() {
                return Vec::new();
            }
            let mut chain = Vec::new();
            if sys::X509_STORE_CTX_init(ctx, self.as_ptr(), leaf.as_ptr(), std::ptr::null_mut())
                == 1
            {
                sys::X509_verify_cert(ctx);
                let built = extra::X509_STORE_CTX_get1_chain(ctx);
                chain = CertificateStack::read(built).into_iter().skip(1).collect();
                drop(CertificateStack::adopt(built));
            }
            sys::X509_STORE_CTX_free(ctx);
            super::error_queue::clear();
            chain
        }
    }
}

impl Clone for CertStore {
    fn clone(&self) -> Self {
        // SAFETY: a live store we hold a reference to.
        unsafe { extra::X509_STORE_up_ref(self.as_ptr()) };
        Self(self.0)
    }
}

impl Drop for CertStore {
    fn drop(&mut self) {
        // SAFETY: we own one reference.
        unsafe { sys::X509_STORE_free(self.as_ptr()) }
    }
}

/// The X509_V_ERR codes ferrossl itself names.
pub mod codes {
    use std::os::raw::c_long;
    pub(crate) const X509_V_OK: c_long = 0;
    pub(crate) const X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT: c_long = 2;
    pub(crate) const X509_V_ERR_CERT_NOT_YET_VALID: c_long = 9;
    pub(crate) const X509_V_ERR_CERT_HAS_EXPIRED: c_long = 10;
    pub(crate) const X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: c_long = 18;
    pub(crate) const X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: c_long = 19;
    pub(crate) const X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: c_long = 20;
    pub(crate) const X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: c_long = 21;
    pub(crate) const X509_V_ERR_CERT_REVOKED: c_long = 23;
    pub(crate) const X509_V_ERR_HOSTNAME_MISMATCH: c_long = 62;
    pub(crate) const X509_V_ERR_IP_ADDRESS_MISMATCH: c_long = 64;
}

/// libcrypto's text for a verification result (`X509_verify_cert_error_string`).
pub fn verify_result_text(code: std::os::raw::c_long) -> String {
    // SAFETY: libcrypto returns a static NUL-terminated string for any code.
    unsafe { std::ffi::CStr::from_ptr(sys::X509_verify_cert_error_string(code)) }
        .to_string_lossy()
        .into_owned()
}

/// libcrypto's default certificate directory, honouring `SSL_CERT_DIR`.
pub fn default_cert_dir() -> std::ffi::OsString {
    default_location(
        sys::X509_get_default_cert_dir_env,
        sys::X509_get_default_cert_dir,
    )
}

/// libcrypto's default certificate file, honouring `SSL_CERT_FILE`.
pub fn default_cert_file() -> std::ffi::OsString {
    default_location(
        sys::X509_get_default_cert_file_env,
        sys::X509_get_default_cert_file,
    )
}

fn default_location(
    env: unsafe extern "C" fn() -> *const std::os::raw::c_char,
    built_in: unsafe extern "C" fn() -> *const std::os::raw::c_char,
) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: both return static NUL-terminated strings.
    let (var, path) = unsafe {
        (
            std::ffi::CStr::from_ptr(env()),
            std::ffi::CStr::from_ptr(built_in()),
        )
    };
    let var = std::ffi::OsStr::from_bytes(var.to_bytes());
    std::env::var_os(var).unwrap_or_else(|| std::ffi::OsStr::from_bytes(path.to_bytes()).to_owned())
}
