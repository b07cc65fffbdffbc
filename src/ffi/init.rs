//! Library initialisation and the method objects.

use std::os::raw::{c_int, c_void};

use super::{SslMethod, SSL_METHOD};
use crate::codes::reason;
use crate::codes::ssl_constants::{OPENSSL_INIT_NO_LOAD_SSL_STRINGS, TLS1_2_VERSION};
use crate::context::Role;
use crate::libcrypto::error_queue;

static TLS_ANY: SslMethod = SslMethod {
    role: Role::Any,
    version: 0,
};
static TLS_CLIENT: SslMethod = SslMethod {
    role: Role::Client,
    version: 0,
};
static TLS_SERVER: SslMethod = SslMethod {
    role: Role::Server,
    version: 0,
};
static TLS12_ANY: SslMethod = SslMethod {
    role: Role::Any,
    version: TLS1_2_VERSION,
};
static TLS12_CLIENT: SslMethod = SslMethod {
    role: Role::Client,
    version: TLS1_2_VERSION,
};
static TLS12_SERVER: SslMethod = SslMethod {
    role: Role::Server,
    version: TLS1_2_VERSION,
};

/// Loads the SSL reason strings (idempotent); every context creation does it too.
pub fn load_strings() {
    error_queue::load_ssl_strings(reason::strings());
}

#[no_mangle]
pub unsafe extern "C" fn OPENSSL_init_ssl(opts: u64, settings: *const c_void) -> c_int {
    extern "C" {
        fn OPENSSL_init_crypto(opts: u64, settings: *const c_void) -> c_int;
    }
    ffi_guard!(0, {
        // SAFETY: libcrypto's own initialiser, with the caller's arguments.
        if unsafe { OPENSSL_init_crypto(opts, settings) } != 1 {
            return 0;
        }
        if opts & OPENSSL_INIT_NO_LOAD_SSL_STRINGS == 0 {
            load_strings();
        }
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn ERR_load_SSL_strings() -> c_int {
    ffi_guard!(0, {
        load_strings();
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn TLS_method() -> *const SSL_METHOD {
    &TLS_ANY
}

#[no_mangle]
pub unsafe extern "C" fn TLS_client_method() -> *const SSL_METHOD {
    &TLS_CLIENT
}

#[no_mangle]
pub unsafe extern "C" fn TLS_server_method() -> *const SSL_METHOD {
    &TLS_SERVER
}

/// TLS 1.2 only (deprecated in OpenSSL 3, still exported).
#[no_mangle]
pub unsafe extern "C" fn TLSv1_2_method() -> *const SSL_METHOD {
    &TLS12_ANY
}

#[no_mangle]
pub unsafe extern "C" fn TLSv1_2_client_method() -> *const SSL_METHOD {
    &TLS12_CLIENT
}

#[no_mangle]
pub unsafe extern "C" fn TLSv1_2_server_method() -> *const SSL_METHOD {
    &TLS12_SERVER
}

/// TLS 1.0 and 1.1 are not implemented: NULL, so `SSL_CTX_new` fails loudly.
#[no_mangle]
pub unsafe extern "C" fn TLSv1_method() -> *const SSL_METHOD {
    std::ptr::null()
}

#[no_mangle]
pub unsafe extern "C" fn TLSv1_1_method() -> *const SSL_METHOD {
    std::ptr::null()
}

/// As `TLSv1_method`: TLS 1.0 is not offered.
#[no_mangle]
pub unsafe extern "C" fn TLSv1_client_method() -> *const SSL_METHOD {
    std::ptr::null()
}

/// As `TLSv1_1_method`: TLS 1.1 is not offered.
#[no_mangle]
pub unsafe extern "C" fn TLSv1_1_client_method() -> *const SSL_METHOD {
    std::ptr::null()
}

/// DTLS is not implemented: these answer NULL, so `SSL_CTX_new` fails with
/// `SSL_R_NULL_SSL_METHOD_PASSED` instead of pretending to speak DTLS.
#[no_mangle]
pub unsafe extern "C" fn DTLS_method() -> *const SSL_METHOD {
    std::ptr::null()
}

#[no_mangle]
pub unsafe extern "C" fn DTLS_client_method() -> *const SSL_METHOD {
    std::ptr::null()
}

#[no_mangle]
pub unsafe extern "C" fn DTLS_server_method() -> *const SSL_METHOD {
    std::ptr::null()
}
