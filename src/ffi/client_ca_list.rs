//! The CA names a server sends with its certificate request: `SSL_load_client_CA_file`,
//! `SSL_add_file_cert_subjects_to_stack`, `SSL_dup_CA_list` and the client CA list of a
//! context or connection (`SSL_CTX_set_client_CA_list`, `SSL_get_client_CA_list`, ...),
//! and the CA list of TLS 1.3's certificate_authorities (`SSL_CTX_set0_CA_list`, ...),
//! which a server's certificate request also lists when it has no client CA list.

use std::ffi::CStr;
use std::os::raw::{c_char, c_int, c_void};

use openssl_sys::X509;

use super::{c_path, SSL, SSL_CTX};
use crate::connection::handshake_scope;
use crate::credentials;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::name_stack;
use crate::libcrypto::x509::Certificate;
use openssl_sys::stack_st_X509_NAME as RawNameStack;

/// The subjects of the certificates at the start of a PEM file (up to the first that
/// cannot be read), each once, in file order; false when the file cannot be opened.
fn subjects_of_file(file: *const c_char, into: &mut Vec<Vec<u8>>) -> bool {
    let Some(path) = c_path(file) else {
        err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
        return false;
    };
    let Some(certs) = credentials::read_leading_certificates(path) else {
        return false;
    };
    for name in certs.iter().filter_map(|c| c.subject_der()) {
        if !into.contains(&name) {
            into.push(name);
        }
    }
    true
}

/// Adds to `stack` the names it does not hold yet, each once: 1, or 0 on failure.
fn add_new_names(stack: *mut RawNameStack, names: Vec<Vec<u8>>) -> c_int {
    let mut all = name_stack::read_stack(stack);
    let existing = all.len();
    for name in names {
        if !all.contains(&name) {
            all.push(name);
        }
    }
    let added = name_stack::new_stack(&all[existing..]);
    if added.is_null() {
        return 0;
    }
    name_stack::move_all(added, stack);
    1
}

#[no_mangle]
pub unsafe extern "C" fn SSL_load_client_CA_file(file: *const c_char) -> *mut RawNameStack {
    ffi_guard!(std::ptr::null_mut(), {
        let mut names = Vec::new();
        // No name read: NULL, the reason left queued.
        if !subjects_of_file(file, &mut names) || names.is_empty() {
            return std::ptr::null_mut();
        }
        err::clear();
        name_stack::new_stack(&names)
    })
}

/// Adds the subjects of `file` that `stack` does not hold yet.
#[no_mangle]
pub unsafe extern "C" fn SSL_add_file_cert_subjects_to_stack(
    stack: *mut RawNameStack,
    file: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        if stack.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        let mut names = Vec::new();
        if !subjects_of_file(file, &mut names) {
            return 0;
        }
        // A file that holds no certificate (or stops holding them) is no error here, as
        // in OpenSSL, which clears the queue.
        err::clear();
        add_new_names(stack, names)
    })
}

/// Adds the subjects of the certificates in every file of directory `dir`.
#[no_mangle]
pub unsafe extern "C" fn SSL_add_dir_cert_subjects_to_stack(
    stack: *mut RawNameStack,
    dir: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        let Some(path) = c_path(dir) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        let entries = match std::fs::read_dir(path) {
            Ok(e) => e,
            Err(e) => {
                err::raise_file_open(&e);
                return 0;
            }
        };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for file in files.iter().filter(|f| f.is_file()) {
            let Ok(c) = std::ffi::CString::new(file.as_os_str().as_encoded_bytes()) else {
                continue;
            };
            // SAFETY: the same contract, with a NUL-terminated path made here.
            if unsafe { SSL_add_file_cert_subjects_to_stack(stack, c.as_ptr()) } != 1 {
                return 0;
            }
        }
        1
    })
}

/// A deep copy of a name stack.
#[no_mangle]
pub unsafe extern "C" fn SSL_dup_CA_list(sk: *const RawNameStack) -> *mut RawNameStack {
    ffi_guard!(std::ptr::null_mut(), {
        name_stack::new_stack(&name_stack::read_stack(sk))
    })
}

/// Takes ownership of `list` (NULL clears the list).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_client_CA_list(ctx: *mut SSL_CTX, list: *mut RawNameStack) {
    ffi_guard!((), {
        let ctx = try_ref!(ctx, ());
        ctx.settings().client_ca_names = name_stack::read_stack(list);
        name_stack::free_stack(list);
    })
}

/// The context's list, owned by the context.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_client_CA_list(ctx: *const SSL_CTX) -> *mut RawNameStack {
    ffi_guard!(std::ptr::null_mut(), {
        let ctx = try_ref!(ctx, std::ptr::null_mut());
        let names = ctx.settings().client_ca_names.clone();
        ctx.client_ca_stack(&names)
    })
}

/// Takes ownership of `list` for this connection.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_client_CA_list(ssl: *mut SSL, list: *mut RawNameStack) {
    ffi_guard!((), {
        let mut conn = try_conn!(ssl, ());
        conn.settings.client_ca_names = name_stack::read_stack(list);
        name_stack::free_stack(list);
    })
}

/// A server's list (its own, else its context's); on a client, the CA names the server's
/// certificate request listed (NULL when it asked for no certificate).
///
/// A client's certificate callback, which runs while rustls holds the connection, gets
/// the names of the request being answered.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_client_CA_list(ssl: *const SSL) -> *mut RawNameStack {
    ffi_guard!(std::ptr::null_mut(), {
        let obj = try_ref!(ssl, std::ptr::null_mut());
        match obj.conn() {
            Some(mut conn) => conn.client_ca_stack(),
            None => names_for_busy_client(ssl),
        }
    })
}

/// The CA names a client's certificate callback sees while its connection is busy.
fn names_for_busy_client(ssl: *const SSL) -> *mut RawNameStack {
    let Some(scope) = handshake_scope::current().filter(|s| s.ssl == ssl as usize) else {
        err::raise_ssl(err::ERR_R_INTERNAL_ERROR);
        return std::ptr::null_mut();
    };
    match &scope.client_certificate {
        Some(choice) => choice.peer_ca_stack(&scope),
        None => std::ptr::null_mut(),
    }
}

/// The CA names the peer sent: on a client, those of the server's certificate request. A
/// server does not keep a client's certificate_authorities extension: NULL.
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_peer_CA_list(ssl: *const SSL) -> *const RawNameStack {
    ffi_guard!(std::ptr::null(), {
        let obj = try_ref!(ssl, std::ptr::null());
        let Some(mut conn) = obj.conn() else {
            return names_for_busy_client(ssl);
        };
        if conn.server {
            return std::ptr::null();
        }
        conn.client_ca_stack()
    })
}

/// As `SSL_load_client_CA_file`: the library context and property query select
/// libcrypto providers, which reading certificates here does not involve.
#[no_mangle]
pub unsafe extern "C" fn SSL_load_client_CA_file_ex(
    file: *const c_char,
    libctx: *mut c_void,
    propq: *const c_char,
) -> *mut RawNameStack {
    let _ = (libctx, propq);
    // SAFETY: the same contract for `file`.
    unsafe { SSL_load_client_CA_file(file) }
}

/// Adds the subjects of the certificates `uri` names (through `OSSL_STORE`) that `stack`
/// does not hold yet.
#[no_mangle]
pub unsafe extern "C" fn SSL_add_store_cert_subjects_to_stack(
    stack: *mut RawNameStack,
    uri: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        if stack.is_null() || uri.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        // SAFETY: a C string from the caller.
        let uri = unsafe { CStr::from_ptr(uri) };
        let Some(certs) = crate::libcrypto::ossl_store::certificates(uri) else {
            return 0;
        };
        add_new_names(
            stack,
            certs.iter().filter_map(|c| c.subject_der()).collect(),
        )
    })
}

/// Adds `x`'s subject to the connection's client CA list.
#[no_mangle]
pub unsafe extern "C" fn SSL_add_client_CA(ssl: *mut SSL, x: *mut X509) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        match subject_of(x) {
            Some(name) => {
                conn.settings.client_ca_names.push(name);
                1
            }
            None => 0,
        }
    })
}

/// The subject of a certificate from the caller (NULL queues the NULL-argument error).
pub(crate) fn subject_of(x: *mut X509) -> Option<Vec<u8>> {
    let Some(cert) = Certificate::up_ref(x) else {
        err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
        return None;
    };
    cert.subject_der()
}

/// Takes ownership of `list` as the context's CA list (NULL removes it).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set0_CA_list(ctx: *mut SSL_CTX, list: *mut RawNameStack) {
    ffi_guard!((), {
        let ctx = try_ref!(ctx, ());
        ctx.settings().ca_names = (!list.is_null()).then(|| name_stack::read_stack(list));
        name_stack::free_stack(list);
    })
}

/// Takes ownership of `list` as the connection's CA list; NULL removes it, and the
/// context's applies again.
#[no_mangle]
pub unsafe extern "C" fn SSL_set0_CA_list(ssl: *mut SSL, list: *mut RawNameStack) {
    ffi_guard!((), {
        let mut conn = try_conn!(ssl, ());
        conn.settings.ca_names = if list.is_null() {
            conn.context().settings().ca_names.clone()
        } else {
            Some(name_stack::read_stack(list))
        };
        name_stack::free_stack(list);
    })
}

/// The context's CA list, owned by the context; NULL when none was set.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get0_CA_list(ctx: *const SSL_CTX) -> *const RawNameStack {
    ffi_guard!(std::ptr::null(), {
        try_ref!(ctx, std::ptr::null()).ca_list_stack()
    })
}

/// The connection's CA list (taken from its context when it was made).
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_CA_list(ssl: *const SSL) -> *const RawNameStack {
    ffi_guard!(std::ptr::null(), {
        try_conn!(ssl, std::ptr::null()).ca_list_stack()
    })
}

/// Adds `x`'s subject to the context's CA list.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_add1_to_CA_list(ctx: *mut SSL_CTX, x: *const X509) -> c_int {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        let Some(name) = subject_of(x as *mut X509) else {
            return 0;
        };
        ctx.settings()
            .ca_names
            .get_or_insert_with(Vec::new)
            .push(name);
        1
    })
}

/// Adds `x`'s subject to the connection's CA list.
#[no_mangle]
pub unsafe extern "C" fn SSL_add1_to_CA_list(ssl: *mut SSL, x: *const X509) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let Some(name) = subject_of(x as *mut X509) else {
            return 0;
        };
        conn.settings
            .ca_names
            .get_or_insert_with(Vec::new)
            .push(name);
        1
    })
}
