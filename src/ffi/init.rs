//! Library initialisation and the method objects.

use std::os::raw::{c_int, c_void};

use super::SSL_METHOD;
use crate::codes::reason;
use crate::codes::ssl_constants::{
    OPENSSL_INIT_ADD_ALL_CIPHERS, OPENSSL_INIT_ADD_ALL_DIGESTS, OPENSSL_INIT_LOAD_CONFIG,
    OPENSSL_INIT_NO_LOAD_CONFIG, OPENSSL_INIT_NO_LOAD_SSL_STRINGS, TLS1_1_VERSION, TLS1_2_VERSION,
    TLS1_VERSION,
};
use crate::context::{Method, Role};
use crate::libcrypto::error_queue;

/// Every method ferrossl hands out; `SSL_get_ssl_method` finds its pointer here.
static METHODS: [Method; 12] = {
    const fn m(role: Role, version: c_int) -> Method {
        Method { role, version }
    }
    [
        m(Role::Any, 0),
        m(Role::Client, 0),
        m(Role::Server, 0),
        m(Role::Any, TLS1_2_VERSION),
        m(Role::Client, TLS1_2_VERSION),
        m(Role::Server, TLS1_2_VERSION),
        m(Role::Any, TLS1_1_VERSION),
        m(Role::Client, TLS1_1_VERSION),
        m(Role::Server, TLS1_1_VERSION),
        m(Role::Any, TLS1_VERSION),
        m(Role::Client, TLS1_VERSION),
        m(Role::Server, TLS1_VERSION),
    ]
};

/// The static method with this side and version.
pub(crate) fn method_ptr(method: Method) -> *const SSL_METHOD {
    METHODS
        .iter()
        .find(|m| **m == method)
        .map_or(std::ptr::null(), |m| m as *const Method)
}

fn method(role: Role, version: c_int) -> *const SSL_METHOD {
    method_ptr(Method { role, version })
}

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
        // As OpenSSL's libssl: the configuration file is loaded unless the caller says not
        // to (libcrypto loads it once per process).
        let mut opts = opts | OPENSSL_INIT_ADD_ALL_CIPHERS | OPENSSL_INIT_ADD_ALL_DIGESTS;
        if opts & OPENSSL_INIT_NO_LOAD_CONFIG == 0 {
            opts |= OPENSSL_INIT_LOAD_CONFIG;
        }
        // SAFETY: libcrypto's own initialiser, with the caller's settings.
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
    method(Role::Any, 0)
}

#[no_mangle]
pub unsafe extern "C" fn TLS_client_method() -> *const SSL_METHOD {
    method(Role::Client, 0)
}

#[no_mangle]
pub unsafe extern "C" fn TLS_server_method() -> *const SSL_METHOD {
    method(Role::Server, 0)
}

/// TLS 1.2 only (deprecated in OpenSSL 3, still exported).
#[no_mangle]
pub unsafe extern "C" fn TLSv1_2_method() -> *const SSL_METHOD {
    method(Role::Any, TLS1_2_VERSION)
}

#[no_mangle]
pub unsafe extern "C" fn TLSv1_2_client_method() -> *const SSL_METHOD {
    method(Role::Client, TLS1_2_VERSION)
}

#[no_mangle]
pub unsafe extern "C" fn TLSv1_2_server_method() -> *const SSL_METHOD {
    method(Role::Server, TLS1_2_VERSION)
}

/// TLS 1.0 and 1.1 are not offered: a context made with one of these methods exists, but a
/// client's handshake fails before it sends anything ("no protocols available") and a
/// server's answers the ClientHello with a protocol_version alert ("unsupported
/// protocol"), as an OpenSSL with those versions switched off.
#[no_mangle]
pub unsafe extern "C" fn TLSv1_method() -> *const SSL_METHOD {
    method(Role::Any, TLS1_VERSION)
}

#[no_mangle]
pub unsafe extern "C" fn TLSv1_client_method() -> *const SSL_METHOD {
    method(Role::Client, TLS1_VERSION)
}

#[no_mangle]
pub unsafe extern "C" fn TLSv1_server_method() -> *const SSL_METHOD {
    method(Role::Server, TLS1_VERSION)
}

#[no_mangle]
pub unsafe extern "C" fn TLSv1_1_method() -> *const SSL_METHOD {
    method(Role::Any, TLS1_1_VERSION)
}

#[no_mangle]
pub unsafe extern "C" fn TLSv1_1_client_method() -> *const SSL_METHOD {
    method(Role::Client, TLS1_1_VERSION)
}

#[no_mangle]
pub unsafe extern "C" fn TLSv1_1_server_method() -> *const SSL_METHOD {
    method(Role::Server, TLS1_1_VERSION)
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

#[no_mangle]
pub unsafe extern "C" fn DTLSv1_method() -> *const SSL_METHOD {
    std::ptr::null()
}

#[no_mangle]
pub unsafe extern "C" fn DTLSv1_client_method() -> *const SSL_METHOD {
    std::ptr::null()
}

#[no_mangle]
pub unsafe extern "C" fn DTLSv1_server_method() -> *const SSL_METHOD {
    std::ptr::null()
}

#[no_mangle]
pub unsafe extern "C" fn DTLSv1_2_method() -> *const SSL_METHOD {
    std::ptr::null()
}

#[no_mangle]
pub unsafe extern "C" fn DTLSv1_2_client_method() -> *const SSL_METHOD {
    std::ptr::null()
}

#[no_mangle]
pub unsafe extern "C" fn DTLSv1_2_server_method() -> *const SSL_METHOD {
    std::ptr::null()
}

/// Does nothing, as in OpenSSL 3: libcrypto's configuration loads the `ssl_conf` module.
#[no_mangle]
pub unsafe extern "C" fn SSL_add_ssl_module() {}

/// OpenSSL's hooks for its own unit tests; ferrossl has none to offer: NULL.
#[no_mangle]
pub unsafe extern "C" fn SSL_test_functions() -> *const c_void {
    std::ptr::null()
}
