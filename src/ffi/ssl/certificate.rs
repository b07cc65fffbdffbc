//! The connection's own certificate and key (`SSL_use_certificate`, `SSL_use_PrivateKey`,
//! ... overriding its context's) and `SSL_check_chain`.

use std::os::raw::{c_char, c_int, c_long, c_uchar, c_void};

use openssl_sys::{stack_st_X509, X509};

use crate::connection::handshake_scope;
use crate::credentials::{self, Credentials};
use crate::ffi::ssl_ctx::SslPasswordCb;
use crate::ffi::{c_path, SSL};
use crate::libcrypto::error_queue as err;
use crate::libcrypto::pkey::{PasswordSource, PrivateKey};
use crate::libcrypto::x509::{Certificate, CertificateStack};

/// Changes the connection's own credentials with `change` (given the connection's password
/// source): 1 if it succeeded. While a client's certificate callback runs, rustls holds
/// the connection, and the change goes to the credentials being chosen.
fn change_credentials(
    ssl: *mut SSL,
    change: impl FnOnce(&mut Credentials, PasswordSource) -> bool,
) -> c_int {
    let obj = try_ref!(ssl, 0);
    if let Some(mut conn) = obj.conn() {
        let password = conn.settings.password;
        return c_int::from(conn.with_credentials(|c| change(c, password)));
    }
    let choosing = handshake_scope::current().filter(|s| s.ssl == ssl as usize);
    match choosing
        .as_ref()
        .and_then(|s| s.client_certificate.as_ref())
    {
        Some(choice) => c_int::from(
            choice
                .with_pending(|c| change(c, PasswordSource::default()))
                .unwrap_or(false),
        ),
        None => {
            err::raise_ssl(err::ERR_R_INTERNAL_ERROR);
            0
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn SSL_use_certificate(ssl: *mut SSL, x: *mut X509) -> c_int {
    ffi_guard!(0, {
        change_credentials(ssl, |c, _| {
            credentials::use_certificate(c, Certificate::up_ref(x))
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_use_certificate_ASN1(
    ssl: *mut SSL,
    d: *const c_uchar,
    len: c_int,
) -> c_int {
    ffi_guard!(0, {
        let Some(cert) = crate::ffi::ssl_ctx::der_arg(d, c_long::from(len))
            .and_then(credentials::certificate_from_asn1)
        else {
            return 0;
        };
        change_credentials(ssl, |c, _| credentials::use_certificate(c, Some(cert)))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_use_PrivateKey_ASN1(
    pk: c_int,
    ssl: *mut SSL,
    d: *const c_uchar,
    len: c_long,
) -> c_int {
    ffi_guard!(0, {
        let Some(key) = crate::ffi::ssl_ctx::der_arg(d, len)
            .and_then(|der| credentials::private_key_from_asn1(pk, der))
        else {
            return 0;
        };
        change_credentials(ssl, |c, _| credentials::use_private_key(c, Some(key)))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_use_certificate_file(
    ssl: *mut SSL,
    file: *const c_char,
    filetype: c_int,
) -> c_int {
    ffi_guard!(0, {
        change_credentials(ssl, |c, _| {
            credentials::use_certificate_file(c, c_path(file), filetype)
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_use_certificate_chain_file(
    ssl: *mut SSL,
    file: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        change_credentials(ssl, |c, _| {
            credentials::use_certificate_chain_file(c, c_path(file))
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_use_PrivateKey(
    ssl: *mut SSL,
    pkey: *mut openssl_sys::EVP_PKEY,
) -> c_int {
    ffi_guard!(0, {
        change_credentials(ssl, |c, _| {
            credentials::use_private_key(c, PrivateKey::up_ref(pkey))
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_use_PrivateKey_file(
    ssl: *mut SSL,
    file: *const c_char,
    filetype: c_int,
) -> c_int {
    ffi_guard!(0, {
        change_credentials(ssl, |c, password| {
            credentials::use_private_key_file(c, c_path(file), filetype, password)
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_check_private_key(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { c_int::from(try_conn!(ssl, 0).credentials().check()) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_certificate(ssl: *const SSL) -> *mut X509 {
    ffi_guard!(std::ptr::null_mut(), {
        let conn = try_conn!(ssl, std::ptr::null_mut());
        // The context keeps its reference; the pointer stays valid while the context holds it.
        let leaf = conn.credentials().leaf;
        leaf.map_or(std::ptr::null_mut(), |c| c.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_privatekey(ssl: *const SSL) -> *mut openssl_sys::EVP_PKEY {
    ffi_guard!(std::ptr::null_mut(), {
        let conn = try_conn!(ssl, std::ptr::null_mut());
        let key = conn.credentials().key;
        key.map_or(std::ptr::null_mut(), |k| k.as_ptr())
    })
}

/// Drops the certificate and key set on the connection itself (the context's apply again).
#[no_mangle]
pub unsafe extern "C" fn SSL_certs_clear(ssl: *mut SSL) {
    ffi_guard!((), { try_conn!(ssl, ()).clear_own_credentials() })
}

/// Whether a certificate and key could serve this connection, in OpenSSL's
/// `CERT_PKEY_*` flags: `CERT_PKEY_VALID | CERT_PKEY_SIGN` when the key belongs to the
/// certificate and is of a type ferrossl signs with (RSA, EC, Ed25519), else 0. The
/// finer flags (which signature algorithms and CA names the peer accepts) are not
/// judged: rustls does not report what the peer offered.
#[no_mangle]
pub unsafe extern "C" fn SSL_check_chain(
    ssl: *mut SSL,
    x: *mut X509,
    pk: *mut openssl_sys::EVP_PKEY,
    chain: *mut stack_st_X509,
) -> c_int {
    const CERT_PKEY_VALID: c_int = 0x1;
    const CERT_PKEY_SIGN: c_int = 0x2;
    let _ = chain;
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        let (Some(cert), Some(key)) = (
            crate::libcrypto::x509::Certificate::up_ref(x),
            crate::libcrypto::pkey::PrivateKey::up_ref(pk),
        ) else {
            return 0;
        };
        let usable = err::discarding_errors(|| key.matches(&cert) && key.is_signing_type());
        if usable {
            CERT_PKEY_VALID | CERT_PKEY_SIGN
        } else {
            0
        }
    })
}

/// The password callback for this connection's encrypted keys (`SSL_use_PrivateKey_file`).
#[no_mangle]
pub unsafe extern "C" fn SSL_set_default_passwd_cb(ssl: *mut SSL, cb: SslPasswordCb) {
    ffi_guard!((), { try_conn!(ssl, ()).settings.password.callback = cb })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_default_passwd_cb_userdata(ssl: *mut SSL, u: *mut c_void) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.password.userdata = u as usize
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_default_passwd_cb(ssl: *mut SSL) -> SslPasswordCb {
    ffi_guard!(None, { try_conn!(ssl, None).settings.password.callback })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_default_passwd_cb_userdata(ssl: *mut SSL) -> *mut c_void {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut())
            .settings
            .password
            .userdata as *mut c_void
    })
}

/// An application's `RSA` key for this connection (the caller keeps its reference).
#[no_mangle]
pub unsafe extern "C" fn SSL_use_RSAPrivateKey(ssl: *mut SSL, rsa: *mut openssl_sys::RSA) -> c_int {
    ffi_guard!(0, {
        // SAFETY: NULL or the caller's live RSA key.
        let key = unsafe { PrivateKey::from_rsa(rsa) };
        change_credentials(ssl, |c, _| credentials::use_private_key(c, key))
    })
}

/// A PKCS#1 DER RSA key in memory.
#[no_mangle]
pub unsafe extern "C" fn SSL_use_RSAPrivateKey_ASN1(
    ssl: *mut SSL,
    d: *const c_uchar,
    len: c_long,
) -> c_int {
    // SAFETY: the same contract, with the RSA key type.
    unsafe { SSL_use_PrivateKey_ASN1(crate::ffi::ssl_ctx::EVP_PKEY_RSA, ssl, d, len) }
}

/// An RSA key from a file; a key of another type is refused, as OpenSSL reads only RSA.
#[no_mangle]
pub unsafe extern "C" fn SSL_use_RSAPrivateKey_file(
    ssl: *mut SSL,
    file: *const c_char,
    filetype: c_int,
) -> c_int {
    ffi_guard!(0, {
        change_credentials(ssl, |c, password| {
            let key = credentials::read_rsa_private_key(c_path(file), filetype, password);
            key.is_some() && credentials::use_private_key(c, key)
        })
    })
}

/// As `SSL_CTX_use_cert_and_key`, for this connection.
#[no_mangle]
pub unsafe extern "C" fn SSL_use_cert_and_key(
    ssl: *mut SSL,
    x509: *mut X509,
    pkey: *mut openssl_sys::EVP_PKEY,
    chain: *mut stack_st_X509,
    replace: c_int,
) -> c_int {
    ffi_guard!(0, {
        let Some(leaf) = Certificate::up_ref(x509) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        let key = PrivateKey::up_ref(pkey);
        let chain = CertificateStack::read(chain);
        change_credentials(ssl, |c, _| {
            credentials::use_cert_and_key(c, leaf, key, chain, replace != 0)
        })
    })
}
