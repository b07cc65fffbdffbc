//! Certificates named by a URI through libcrypto's `OSSL_STORE` (a file, a directory, or
//! whatever a loaded provider opens), for `SSL_add_store_cert_subjects_to_stack`.

use std::ffi::CStr;
use std::os::raw::{c_char, c_int, c_void};

use super::x509::Certificate;

const OSSL_STORE_INFO_NAME: c_int = 1;
const OSSL_STORE_INFO_CERT: c_int = 5;
/// How deep names (a directory's entries) are followed, as OpenSSL follows them.
const MAX_DEPTH: u32 = 8;

extern "C" {
    fn OSSL_STORE_open(
        uri: *const c_char,
        ui_method: *const c_void,
        ui_data: *mut c_void,
        post_process: *const c_void,
        post_process_data: *mut c_void,
    ) -> *mut c_void;
    fn OSSL_STORE_load(ctx: *mut c_void) -> *mut c_void;
    fn OSSL_STORE_eof(ctx: *mut c_void) -> c_int;
    fn OSSL_STORE_error(ctx: *mut c_void) -> c_int;
    fn OSSL_STORE_close(ctx: *mut c_void) -> c_int;
    fn OSSL_STORE_INFO_get_type(info: *const c_void) -> c_int;
    fn OSSL_STORE_INFO_get0_NAME(info: *const c_void) -> *const c_char;
    fn OSSL_STORE_INFO_get0_CERT(info: *const c_void) -> *mut super::sys::X509;
    fn OSSL_STORE_INFO_free(info: *mut c_void);
}

/// The certificates at `uri`, following names (directory entries) a few levels down;
/// `None` (reason queued by libcrypto) when the URI cannot be opened.
pub fn certificates(uri: &CStr) -> Option<Vec<Certificate>> {
    let mut found = Vec::new();
    collect(uri, 0, &mut found).then_some(found)
}

fn collect(uri: &CStr, depth: u32, found: &mut Vec<Certificate>) -> bool {
    // SAFETY: libcrypto's store API; every INFO is freed after use, the store is closed.
    unsafe {
        let store = OSSL_STORE_open(
            uri.as_ptr(),
            std::ptr::null(),
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null_mut(),
        );
        if store.is_null() {
            return false;
        }
        let mut ok = true;
        // A load that fails sets the error state, which ends the loop.
        while ok && OSSL_STORE_eof(store) == 0 && OSSL_STORE_error(store) == 0 {
            let info = OSSL_STORE_load(store);
            if info.is_null() {
                continue;
            }
            match OSSL_STORE_INFO_get_type(info) {
                OSSL_STORE_INFO_NAME if depth < MAX_DEPTH => {
                    let name = OSSL_STORE_INFO_get0_NAME(info);
                    ok = name.is_null() || collect(CStr::from_ptr(name), depth + 1, found);
                }
                OSSL_STORE_INFO_CERT => {
                    if let Some(c) = Certificate::up_ref(OSSL_STORE_INFO_get0_CERT(info)) {
                        found.push(c);
                    }
                }
                _ => {}
            }
            OSSL_STORE_INFO_free(info);
        }
        OSSL_STORE_close(store);
        ok
    }
}
