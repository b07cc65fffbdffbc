//! DANE (`SSL_CTX_dane_enable`, `SSL_dane_enable`, `SSL_dane_tlsa_add`,
//! `SSL_get0_dane_authority`, ...): TLSA records checked and ordered as OpenSSL does, then
//! matched by libcrypto's own chain verification (see `libcrypto::dane`).

use std::os::raw::{c_char, c_int, c_uchar, c_ulong, c_void};
use std::sync::Arc;

use openssl_sys::{EVP_MD, EVP_PKEY, X509};

use super::{c_str, SSL, SSL_CTX};
use crate::libcrypto::dane::{Dane, DaneDigests, MtypeRefusal, TlsaRefusal};
use crate::libcrypto::error_queue as err;
use crate::libcrypto::store::codes::X509_V_OK;

const SSL_R_CONTEXT_NOT_DANE_ENABLED: c_int = 167;
const SSL_R_DANE_ALREADY_ENABLED: c_int = 172;
const SSL_R_DANE_CANNOT_OVERRIDE_MTYPE_FULL: c_int = 173;
const SSL_R_DANE_NOT_ENABLED: c_int = 175;
const SSL_R_DANE_TLSA_BAD_CERTIFICATE: c_int = 180;
const SSL_R_DANE_TLSA_BAD_CERTIFICATE_USAGE: c_int = 184;
const SSL_R_DANE_TLSA_BAD_DATA_LENGTH: c_int = 189;
const SSL_R_DANE_TLSA_BAD_DIGEST_LENGTH: c_int = 192;
const SSL_R_DANE_TLSA_BAD_MATCHING_TYPE: c_int = 200;
const SSL_R_DANE_TLSA_BAD_PUBLIC_KEY: c_int = 201;
const SSL_R_DANE_TLSA_BAD_SELECTOR: c_int = 202;
const SSL_R_DANE_TLSA_NULL_DATA: c_int = 203;
const SSL_R_ERROR_SETTING_TLSA_BASE_DOMAIN: c_int = 204;
/// The longest SNI name (`TLSEXT_MAXLEN_host_name`).
const MAX_HOST_NAME: usize = 255;

/// Sets up the context's matching types (SHA2-256 and SHA2-512 besides Full); 1.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_dane_enable(ctx: *mut SSL_CTX) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let mut digests = ctx.dane_digests.lock().unwrap_or_else(|e| e.into_inner());
        digests.get_or_insert_with(DaneDigests::defaults);
        1
    })
}

/// Sets the digest (`md`, NULL to disable) and preference of matching type `mtype`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_dane_mtype_set(
    ctx: *mut SSL_CTX,
    md: *const EVP_MD,
    mtype: u8,
    ord: u8,
) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let mut digests = ctx.dane_digests.lock().unwrap_or_else(|e| e.into_inner());
        let table = digests.get_or_insert_with(DaneDigests::defaults);
        match table.set(md, mtype, ord) {
            Ok(()) => 1,
            Err(MtypeRefusal::Full) => {
                err::raise_ssl(SSL_R_DANE_CANNOT_OVERRIDE_MTYPE_FULL);
                0
            }
        }
    })
}

/// Adds `DANE_FLAG_*` flags for the connections made from now on; the old flags.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_dane_set_flags(ctx: *mut SSL_CTX, flags: c_ulong) -> c_ulong {
    ffi_guard!(0, {
        let mut s = try_ref!(ctx, 0).settings();
        let old = s.dane_flags;
        s.dane_flags |= flags;
        old
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_dane_clear_flags(ctx: *mut SSL_CTX, flags: c_ulong) -> c_ulong {
    ffi_guard!(0, {
        let mut s = try_ref!(ctx, 0).settings();
        let old = s.dane_flags;
        s.dane_flags &= !flags;
        old
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_dane_set_flags(ssl: *mut SSL, flags: c_ulong) -> c_ulong {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let old = conn.settings.dane_flags;
        conn.settings.dane_flags |= flags;
        old
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_dane_clear_flags(ssl: *mut SSL, flags: c_ulong) -> c_ulong {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let old = conn.settings.dane_flags;
        conn.settings.dane_flags &= !flags;
        old
    })
}

/// Enables DANE on a connection: `basedomain` becomes the expected host name (and the SNI
/// name, if none is set). 1; 0 if the context is not DANE-enabled or DANE already is on
/// this connection; -1 if the name cannot be set.
#[no_mangle]
pub unsafe extern "C" fn SSL_dane_enable(ssl: *mut SSL, basedomain: *const c_char) -> c_int {
    ffi_guard!(-1, {
        let mut conn = try_conn!(ssl, -1);
        let digests = conn
            .context()
            .dane_digests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let Some(digests) = digests else {
            err::raise_ssl(SSL_R_CONTEXT_NOT_DANE_ENABLED);
            return 0;
        };
        if conn.dane.as_ref().is_some_and(|d| d.is_enabled()) {
            err::raise_ssl(SSL_R_DANE_ALREADY_ENABLED);
            return 0;
        }
        let base = c_str(basedomain);
        // A NULL base domain sets no SNI name and no name check (Postfix passes NULL and
        // adds its names itself), as in OpenSSL.
        if conn.servername().is_none() && base.is_some() {
            // The SNI name first: it refuses empty names, which the host check accepts.
            let name = base
                .as_deref()
                .filter(|b| !b.is_empty() && b.len() <= MAX_HOST_NAME);
            let Some(name) = name.and_then(|n| std::ffi::CString::new(n).ok()) else {
                err::raise_ssl(SSL_R_ERROR_SETTING_TLSA_BASE_DOMAIN);
                return -1;
            };
            conn.set_servername(Some(name));
        }
        if !conn.param.set_host(base.as_deref().map(str::as_bytes)) {
            err::raise_ssl(SSL_R_ERROR_SETTING_TLSA_BASE_DOMAIN);
            return -1;
        }
        let Some(dane) = Dane::enabled(&digests) else {
            err::raise_ssl(err::ERR_R_MALLOC_FAILURE);
            return -1;
        };
        conn.dane = Some(Arc::new(dane));
        1
    })
}

/// Adds a TLSA record: 1; 0 (with OpenSSL's reason) for a malformed one; -1 when DANE is
/// not enabled on the connection.
#[no_mangle]
pub unsafe extern "C" fn SSL_dane_tlsa_add(
    ssl: *mut SSL,
    usage: u8,
    selector: u8,
    mtype: u8,
    data: *const c_uchar,
    dlen: usize,
) -> c_int {
    ffi_guard!(-1, {
        let conn = try_conn!(ssl, -1);
        let Some(dane) = conn.dane.as_ref().filter(|d| d.is_enabled()) else {
            err::raise_ssl(SSL_R_DANE_NOT_ENABLED);
            return -1;
        };
        // SAFETY: data is readable for dlen bytes, per the contract.
        let data = (!data.is_null()).then(|| unsafe { std::slice::from_raw_parts(data, dlen) });
        match dane.add(usage, selector, mtype, data, dlen) {
            Ok(()) => 1,
            Err(refusal) => {
                err::raise_ssl(match refusal {
                    TlsaRefusal::BadDataLength => SSL_R_DANE_TLSA_BAD_DATA_LENGTH,
                    TlsaRefusal::BadCertificateUsage => SSL_R_DANE_TLSA_BAD_CERTIFICATE_USAGE,
                    TlsaRefusal::BadSelector => SSL_R_DANE_TLSA_BAD_SELECTOR,
                    TlsaRefusal::BadMatchingType => SSL_R_DANE_TLSA_BAD_MATCHING_TYPE,
                    TlsaRefusal::BadDigestLength => SSL_R_DANE_TLSA_BAD_DIGEST_LENGTH,
                    TlsaRefusal::NullData => SSL_R_DANE_TLSA_NULL_DATA,
                    TlsaRefusal::BadCertificate => SSL_R_DANE_TLSA_BAD_CERTIFICATE,
                    TlsaRefusal::BadPublicKey => SSL_R_DANE_TLSA_BAD_PUBLIC_KEY,
                });
                0
            }
        }
    })
}

/// The DANE state of a connection that verified its peer with DANE; `None` otherwise.
fn verified_dane(ssl: *const SSL) -> Option<Arc<Dane>> {
    // SAFETY: NULL or a live SSL, per the callers' contract.
    let conn = unsafe { ssl.as_ref() }?.conn()?;
    let dane = conn.dane.clone()?;
    (dane.has_records() && conn.verify_result == X509_V_OK).then_some(dane)
}

/// The depth of the certificate a TLSA record matched (-1 when DANE was not used or
/// verification failed); `*mcert` that certificate, or `*mspki` the record's key when a
/// DANE-TA(2) key record matched no certificate of the chain.
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_dane_authority(
    ssl: *mut SSL,
    mcert: *mut *mut X509,
    mspki: *mut *mut EVP_PKEY,
) -> c_int {
    ffi_guard!(-1, {
        let Some(dane) = verified_dane(ssl) else {
            return -1;
        };
        let m = dane.matched();
        if m.record.is_some() {
            // SAFETY: the caller's optional out-pointers; the objects stay the state's.
            unsafe {
                if !mcert.is_null() {
                    *mcert = m.certificate;
                }
                if !mspki.is_null() {
                    *mspki = m.public_key;
                }
            }
        }
        m.depth
    })
}

/// The TLSA record that matched (see `SSL_get0_dane_authority`).
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_dane_tlsa(
    ssl: *mut SSL,
    usage: *mut u8,
    selector: *mut u8,
    mtype: *mut u8,
    data: *mut *const c_uchar,
    dlen: *mut usize,
) -> c_int {
    ffi_guard!(-1, {
        let Some(dane) = verified_dane(ssl) else {
            return -1;
        };
        let m = dane.matched();
        if let Some((u, s, t, d, n)) = m.record {
            // SAFETY: the caller's optional out-pointers; the data stays the state's.
            unsafe {
                for (out, v) in [(usage, u), (selector, s), (mtype, t)] {
                    if !out.is_null() {
                        *out = v;
                    }
                }
                if !data.is_null() {
                    *data = d;
                }
                if !dlen.is_null() {
                    *dlen = n;
                }
            }
        }
        m.depth
    })
}

/// The connection's `SSL_DANE` (for `X509_STORE_CTX_set0_dane` in the application's own
/// verification), valid while the connection lives.
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_dane(ssl: *mut SSL) -> *mut c_void {
    ffi_guard!(std::ptr::null_mut(), {
        let mut conn = try_conn!(ssl, std::ptr::null_mut());
        conn.dane
            .get_or_insert_with(|| Arc::new(Dane::disabled()))
            .as_ptr()
    })
}
