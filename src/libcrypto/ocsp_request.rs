//! A client's OCSP status request as the libcrypto objects OpenSSL hands a server's status
//! callback (`SSL_get_tlsext_status_ids`, `SSL_get_tlsext_status_exts`): NULL for an
//! empty list, as OpenSSL keeps none then.

use std::os::raw::{c_long, c_void};
use std::ptr;

use super::sys;
use crate::wire::client_hello::OcspStatusRequest;

extern "C" {
    fn d2i_OCSP_RESPID(a: *mut *mut c_void, pp: *mut *const u8, length: c_long) -> *mut c_void;
    fn OCSP_RESPID_free(a: *mut c_void);
    fn d2i_X509_EXTENSIONS(a: *mut *mut c_void, pp: *mut *const u8, length: c_long) -> *mut c_void;
}

unsafe extern "C" fn free_responder_id(p: *mut c_void) {
    // SAFETY: every element of the ids stack is an OCSP_RESPID this module decoded.
    unsafe { OCSP_RESPID_free(p) }
}

unsafe extern "C" fn free_extension(p: *mut c_void) {
    // SAFETY: every element of the extensions stack is an X509_EXTENSION libcrypto decoded.
    unsafe { sys::X509_EXTENSION_free(p as *mut sys::X509_EXTENSION) }
}

/// `STACK_OF(OCSP_RESPID)` and `STACK_OF(X509_EXTENSION)`, owned here (OpenSSL's
/// connection owns them likewise); null pointers for lists the client left empty or sent
/// in a form libcrypto cannot decode.
#[derive(Debug)]
pub struct OcspRequestStacks {
    ids: *mut sys::OPENSSL_STACK,
    extensions: *mut sys::OPENSSL_STACK,
}

// SAFETY: the stacks are only read by the caller and freed once, by Drop.
unsafe impl Send for OcspRequestStacks {}

impl OcspRequestStacks {
    pub fn new(request: &OcspStatusRequest) -> Self {
        Self {
            ids: responder_ids(&request.responder_ids),
            extensions: extensions(&request.extensions),
        }
    }

    pub fn responder_ids(&self) -> *mut c_void {
        self.ids as *mut c_void
    }

    pub fn extensions(&self) -> *mut c_void {
        self.extensions as *mut c_void
    }
}

fn decode<T>(
    der: &[u8],
    f: unsafe extern "C" fn(*mut *mut T, *mut *const u8, c_long) -> *mut T,
) -> *mut T {
    let Ok(len) = c_long::try_from(der.len()) else {
        return ptr::null_mut();
    };
    let mut p = der.as_ptr();
    // SAFETY: p and len describe `der`, which outlives the call; libcrypto allocates.
    unsafe { f(ptr::null_mut(), &mut p, len) }
}

fn responder_ids(ids: &[Vec<u8>]) -> *mut sys::OPENSSL_STACK {
    if ids.is_empty() {
        return ptr::null_mut();
    }
    // SAFETY: a fresh stack that takes over each decoded id.
    unsafe {
        let sk = sys::OPENSSL_sk_new_null();
        if sk.is_null() {
            return sk;
        }
        for id in ids {
            let decoded = decode(id, d2i_OCSP_RESPID);
            if decoded.is_null() || sys::OPENSSL_sk_push(sk, decoded) == 0 {
                OCSP_RESPID_free(decoded);
            }
        }
        sk
    }
}

fn extensions(der: &[u8]) -> *mut sys::OPENSSL_STACK {
    if der.is_empty() {
        return ptr::null_mut();
    }
    decode(der, d2i_X509_EXTENSIONS) as *mut sys::OPENSSL_STACK
}

impl Drop for OcspRequestStacks {
    fn drop(&mut self) {
        // SAFETY: both stacks (or nulls) are ours, with elements of the freed types.
        unsafe {
            sys::OPENSSL_sk_pop_free(self.ids, Some(free_responder_id));
            sys::OPENSSL_sk_pop_free(self.extensions, Some(free_extension));
        }
    }
}
