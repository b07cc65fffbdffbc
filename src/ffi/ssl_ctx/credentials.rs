//! A context's certificate, chain and key (`SSL_CTX_use_certificate*`,
//! `SSL_CTX_use_PrivateKey*`), the password callback for encrypted keys, the client CA
//! list entries and the certificate callback that picks them during the handshake.

use std::os::raw::{c_char, c_int, c_long, c_uchar, c_void};
use std::sync::Arc;

use openssl_sys::{stack_st_X509, EVP_PKEY, RSA, X509};

use crate::context::{CertCallback, ClientCertCallback};
use crate::credentials;
use crate::ffi::{c_path, SSL, SSL_CTX};
use crate::libcrypto::error_queue as err;
use crate::libcrypto::pkey::PrivateKey;
use crate::libcrypto::x509::{Certificate, CertificateStack};

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_certificate(ctx: *mut SSL_CTX, x: *mut X509) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        c_int::from(
            ctx.with_credentials(|c| credentials::use_certificate(c, Certificate::up_ref(x))),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_certificate_file(
    ctx: *mut SSL_CTX,
    file: *const c_char,
    filetype: c_int,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        c_int::from(
            ctx.with_credentials(|c| credentials::use_certificate_file(c, c_path(file), filetype)),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_certificate_chain_file(
    ctx: *mut SSL_CTX,
    file: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        c_int::from(
            ctx.with_credentials(|c| credentials::use_certificate_chain_file(c, c_path(file))),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_PrivateKey(ctx: *mut SSL_CTX, pkey: *mut EVP_PKEY) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        c_int::from(
            ctx.with_credentials(|c| credentials::use_private_key(c, PrivateKey::up_ref(pkey))),
        )
    })
}

/// The bytes of an in-memory DER argument (`len` of them at `d`), if any.
pub(crate) fn der_arg<'a>(d: *const c_uchar, len: c_long) -> Option<&'a [u8]> {
    let len = usize::try_from(len).ok().filter(|n| *n > 0)?;
    if d.is_null() {
        return None;
    }
    // SAFETY: d points at len readable bytes, per the function's contract.
    Some(unsafe { std::slice::from_raw_parts(d, len) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_certificate_ASN1(
    ctx: *mut SSL_CTX,
    len: c_int,
    d: *const c_uchar,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(cert) = der_arg(d, c_long::from(len)).and_then(credentials::certificate_from_asn1)
        else {
            return 0;
        };
        c_int::from(ctx.with_credentials(|c| credentials::use_certificate(c, Some(cert))))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_PrivateKey_ASN1(
    pk: c_int,
    ctx: *mut SSL_CTX,
    d: *const c_uchar,
    len: c_long,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(key) = der_arg(d, len).and_then(|der| credentials::private_key_from_asn1(pk, der))
        else {
            return 0;
        };
        c_int::from(ctx.with_credentials(|c| credentials::use_private_key(c, Some(key))))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_PrivateKey_file(
    ctx: *mut SSL_CTX,
    file: *const c_char,
    filetype: c_int,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let password = ctx.settings().password;
        c_int::from(ctx.with_credentials(|c| {
            credentials::use_private_key_file(c, c_path(file), filetype, password)
        }))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_check_private_key(ctx: *const SSL_CTX) -> c_int {
    ffi_guard!(0, { c_int::from(try_ref!(ctx, 0).credentials().check()) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get0_certificate(ctx: *const SSL_CTX) -> *mut X509 {
    ffi_guard!(std::ptr::null_mut(), {
        let ctx = try_ref!(ctx, std::ptr::null_mut());
        // The context keeps its own reference, so the pointer outlives this clone.
        ctx.credentials()
            .leaf
            .map_or(std::ptr::null_mut(), |c| c.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get0_privatekey(ctx: *const SSL_CTX) -> *mut EVP_PKEY {
    ffi_guard!(std::ptr::null_mut(), {
        let ctx = try_ref!(ctx, std::ptr::null_mut());
        ctx.credentials()
            .key
            .map_or(std::ptr::null_mut(), |k| k.as_ptr())
    })
}

/// Adds a CA whose name a server sends when it asks for a client certificate.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_add_client_CA(ctx: *mut SSL_CTX, x: *mut X509) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        match crate::ffi::client_ca_list::subject_of(x) {
            Some(name) => {
                ctx.settings().client_ca_names.push(name);
                1
            }
            None => 0,
        }
    })
}

/// The password callback type (OpenSSL's `pem_password_cb *`).
pub type SslPasswordCb = Option<
    unsafe extern "C" fn(
        buf: *mut c_char,
        size: c_int,
        rwflag: c_int,
        userdata: *mut c_void,
    ) -> c_int,
>;

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_passwd_cb(ctx: *mut SSL_CTX, cb: SslPasswordCb) {
    ffi_guard!((), { try_ref!(ctx, ()).settings().password.callback = cb })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_passwd_cb_userdata(ctx: *mut SSL_CTX, u: *mut c_void) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().password.userdata = u as usize
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_default_passwd_cb(ctx: *mut SSL_CTX) -> SslPasswordCb {
    ffi_guard!(None, { try_ref!(ctx, None).settings().password.callback })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_default_passwd_cb_userdata(ctx: *mut SSL_CTX) -> *mut c_void {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ctx, std::ptr::null_mut())
            .settings()
            .password
            .userdata as *mut c_void
    })
}

/// The certificate callback type of `SSL_CTX_set_cert_cb`.
pub type SslCertCb = Option<unsafe extern "C" fn(*mut SSL, *mut c_void) -> c_int>;

#[derive(Debug)]
struct CCertCallback {
    cb: unsafe extern "C" fn(*mut SSL, *mut c_void) -> c_int,
    arg: usize,
}

impl CertCallback for CCertCallback {
    fn call(&self, ssl: usize) -> c_int {
        // SAFETY: the application's callback with its SSL and its own argument.
        unsafe { (self.cb)(ssl as *mut SSL, self.arg as *mut c_void) }
    }
}

/// The callback a server runs once the ClientHello is in, before it picks its
/// certificate (it may set one with `SSL_use_certificate`/`SSL_use_PrivateKey`, fail the
/// handshake with 0, or suspend it with a negative value), and a client runs when the
/// server requests a certificate and it has none (there a failure or a suspension sends
/// no certificate, rustls being unable to wait).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_cert_cb(ctx: *mut SSL_CTX, cb: SslCertCb, arg: *mut c_void) {
    ffi_guard!((), {
        try_ref!(ctx, ()).set_cert_callback(cert_callback(cb, arg));
    })
}

/// An RSA private key from a PEM or DER file; a key of another type is refused (with
/// `ERR_R_PEM_LIB`), as OpenSSL reads only RSA keys here.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_RSAPrivateKey_file(
    ctx: *mut SSL_CTX,
    file: *const c_char,
    filetype: c_int,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let password = ctx.settings().password;
        let key = credentials::read_rsa_private_key(c_path(file), filetype, password);
        c_int::from(key.is_some() && ctx.with_credentials(|c| credentials::use_private_key(c, key)))
    })
}

/// An application's `RSA` key (the caller keeps its reference).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_RSAPrivateKey(ctx: *mut SSL_CTX, rsa: *mut RSA) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        // SAFETY: NULL or the caller's live RSA key.
        let key = unsafe { PrivateKey::from_rsa(rsa) };
        c_int::from(ctx.with_credentials(|c| credentials::use_private_key(c, key)))
    })
}

/// A PKCS#1 DER RSA key in memory.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_RSAPrivateKey_ASN1(
    ctx: *mut SSL_CTX,
    d: *const c_uchar,
    len: c_long,
) -> c_int {
    // SAFETY: the same contract, with the RSA key type.
    unsafe { SSL_CTX_use_PrivateKey_ASN1(EVP_PKEY_RSA, ctx, d, len) }
}

/// The certificate, key and chain of one type of key at once (see
/// `credentials::use_cert_and_key`); the caller keeps its references.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_cert_and_key(
    ctx: *mut SSL_CTX,
    x509: *mut X509,
    pkey: *mut EVP_PKEY,
    chain: *mut stack_st_X509,
    replace: c_int,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(leaf) = Certificate::up_ref(x509) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        let key = PrivateKey::up_ref(pkey);
        let chain = CertificateStack::read(chain);
        c_int::from(
            ctx.with_credentials(|c| {
                credentials::use_cert_and_key(c, leaf, key, chain, replace != 0)
            }),
        )
    })
}

/// The key type of `SSL_CTX_use_RSAPrivateKey_ASN1`'s DER (`EVP_PKEY_RSA`).
pub(crate) const EVP_PKEY_RSA: c_int = 6;

/// The type of `SSL_CTX_set_client_cert_cb`'s callback.
pub type SslClientCertCb =
    Option<unsafe extern "C" fn(*mut SSL, *mut *mut X509, *mut *mut EVP_PKEY) -> c_int>;

/// The application's client-certificate callback.
#[derive(Debug)]
struct CClientCert(unsafe extern "C" fn(*mut SSL, *mut *mut X509, *mut *mut EVP_PKEY) -> c_int);

impl ClientCertCallback for CClientCert {
    fn call(&self, ssl: usize) -> Option<(Certificate, PrivateKey)> {
        let (mut x509, mut pkey) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: the application's callback with its SSL and two out-pointers; what it
        // returns through them is ours to free, as in OpenSSL.
        let ret = unsafe { (self.0)(ssl as *mut SSL, &mut x509, &mut pkey) };
        let (cert, key) = (Certificate::adopt(x509), PrivateKey::adopt(pkey));
        match (ret, cert, key) {
            (1, Some(cert), Some(key)) => Some((cert, key)),
            (1, _, _) => {
                const SSL_R_BAD_DATA_RETURNED_BY_CALLBACK: c_int = 106;
                err::raise_ssl(SSL_R_BAD_DATA_RETURNED_BY_CALLBACK);
                None
            }
            // 0: no certificate; negative (suspend): rustls cannot wait, so none either.
            _ => None,
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Asked, when a server requests a certificate and the client has none, for one to send
/// (its SSL's CA list, `SSL_get_client_CA_list`, says which the server accepts).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_client_cert_cb(ctx: *mut SSL_CTX, cb: SslClientCertCb) {
    ffi_guard!((), {
        try_ref!(ctx, ()).set_client_cert_callback(
            cb.map(|f| Arc::new(CClientCert(f)) as Arc<dyn ClientCertCallback>),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_client_cert_cb(ctx: *mut SSL_CTX) -> SslClientCertCb {
    ffi_guard!(None, {
        let cb = try_ref!(ctx, None).client_cert_callback()?;
        cb.as_any().downcast_ref::<CClientCert>().map(|c| c.0)
    })
}

/// This connection's certificate callback, in place of its context's: a server runs it
/// once the ClientHello is in, a client when the server requests a certificate and it has
/// none (it may set one with `SSL_use_certificate` and friends).
#[no_mangle]
pub unsafe extern "C" fn SSL_set_cert_cb(ssl: *mut SSL, cb: SslCertCb, arg: *mut c_void) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.cert_callback = cert_callback(cb, arg);
    })
}

fn cert_callback(cb: SslCertCb, arg: *mut c_void) -> Option<Arc<dyn CertCallback>> {
    cb.map(|cb| {
        Arc::new(CCertCallback {
            cb,
            arg: arg as usize,
        }) as Arc<dyn CertCallback>
    })
}
