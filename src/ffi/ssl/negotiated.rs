//! What the handshake settled: version, suite, server name, ALPN, the peer's signature
//! type, the hello randoms, the Finished messages, exported keying material.

use std::os::raw::{c_char, c_int, c_uchar, c_uint, c_void};

use crate::codes::ssl_constants::*;
use crate::config::protocol_version;
use crate::ffi::{SSL, SSL_CIPHER};
use crate::libcrypto::error_queue as err;

#[no_mangle]
pub unsafe extern "C" fn SSL_version(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { try_conn!(ssl, 0).version() })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_version(ssl: *const SSL) -> *const c_char {
    ffi_guard!(c"unknown".as_ptr(), {
        protocol_version::name(try_conn!(ssl, c"unknown".as_ptr()).version()).as_ptr()
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_current_cipher(ssl: *const SSL) -> *const SSL_CIPHER {
    ffi_guard!(std::ptr::null(), {
        try_conn!(ssl, std::ptr::null())
            .current_cipher()
            .map_or(std::ptr::null(), |c| c as *const SSL_CIPHER)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_servername(ssl: *const SSL, name_type: c_int) -> *const c_char {
    ffi_guard!(std::ptr::null(), {
        let conn = try_conn!(ssl, std::ptr::null());
        if name_type != TLSEXT_NAMETYPE_host_name {
            return std::ptr::null();
        }
        conn.servername().map_or(std::ptr::null(), |n| n.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_servername_type(ssl: *const SSL) -> c_int {
    ffi_guard!(-1, {
        if try_conn!(ssl, -1).servername().is_some() {
            TLSEXT_NAMETYPE_host_name
        } else {
            -1
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get0_alpn_selected(
    ssl: *const SSL,
    data: *mut *const c_uchar,
    len: *mut c_uint,
) {
    ffi_guard!((), {
        let conn = try_conn!(ssl, ());
        if data.is_null() || len.is_null() {
            return;
        }
        let (p, n) = conn
            .alpn_selected()
            .map_or((std::ptr::null(), 0), |a| (a.as_ptr(), a.len() as c_uint));
        // SAFETY: writable out-parameters; the bytes live as long as the connection.
        unsafe {
            *data = p;
            *len = n;
        }
    })
}

/// The key type of the peer's handshake signature (0 when none was checked, as on a
/// resumption).
#[no_mangle]
pub unsafe extern "C" fn SSL_get_peer_signature_type_nid(
    ssl: *const SSL,
    pnid: *mut c_int,
) -> c_int {
    ffi_guard!(0, {
        let conn = try_conn!(ssl, 0);
        let Some((_, key_type)) = conn.peer_signature_nids() else {
            return 0;
        };
        if !pnid.is_null() {
            // SAFETY: a non-NULL `int *` from the caller.
            unsafe { *pnid = key_type };
        }
        1
    })
}

/// Copies up to `outlen` bytes of a hello random (zeros before it is known, as OpenSSL's
/// fresh connection holds); with `outlen` 0, the random's size.
fn copy_random(random: Option<[u8; 32]>, out: *mut c_uchar, outlen: usize) -> usize {
    if outlen == 0 {
        return 32;
    }
    let random = random.unwrap_or([0; 32]);
    let n = outlen.min(random.len());
    if !out.is_null() {
        // SAFETY: out is writable for outlen bytes, per the function's contract.
        unsafe { std::ptr::copy_nonoverlapping(random.as_ptr(), out, n) };
    }
    n
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_client_random(
    ssl: *const SSL,
    out: *mut c_uchar,
    outlen: usize,
) -> usize {
    ffi_guard!(0, {
        copy_random(try_conn!(ssl, 0).client_random(), out, outlen)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_server_random(
    ssl: *const SSL,
    out: *mut c_uchar,
    outlen: usize,
) -> usize {
    ffi_guard!(0, {
        copy_random(try_conn!(ssl, 0).server_random(), out, outlen)
    })
}

/// Copies a Finished message's verify data as OpenSSL does: at most `count` bytes, and
/// returns its whole length (0 before a handshake has finished).
unsafe fn copy_finished(ssl: *const SSL, own: bool, buf: *mut c_void, count: usize) -> usize {
    ffi_guard!(0, {
        let Some(data) = try_conn!(ssl, 0).finished(own) else {
            return 0;
        };
        let n = count.min(data.len());
        if !buf.is_null() && n > 0 {
            // SAFETY: the caller's buffer holds `count` bytes, and n <= count.
            unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), buf as *mut u8, n) };
        }
        data.len()
    })
}

/// The Finished message this side sent in the latest handshake (tls-unique on a client).
#[no_mangle]
pub unsafe extern "C" fn SSL_get_finished(
    ssl: *const SSL,
    buf: *mut c_void,
    count: usize,
) -> usize {
    // SAFETY: the caller's contract, passed on.
    unsafe { copy_finished(ssl, true, buf, count) }
}

/// The Finished message the peer sent in the latest handshake.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_peer_finished(
    ssl: *const SSL,
    buf: *mut c_void,
    count: usize,
) -> usize {
    // SAFETY: the caller's contract, passed on.
    unsafe { copy_finished(ssl, false, buf, count) }
}

/// No protocol was negotiated with NPN (which ferrossl does not implement).
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_next_proto_negotiated(
    ssl: *const SSL,
    data: *mut *const c_uchar,
    len: *mut c_uint,
) {
    let _ = ssl;
    if !data.is_null() && !len.is_null() {
        // SAFETY: writable out-parameters.
        unsafe {
            *data = std::ptr::null();
            *len = 0;
        }
    }
}

/// Record compression is never used (OpenSSL 3 without zlib answers NULL).
#[no_mangle]
pub unsafe extern "C" fn SSL_get_current_compression(ssl: *const SSL) -> *const c_void {
    let _ = ssl;
    std::ptr::null()
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_current_expansion(ssl: *const SSL) -> *const c_void {
    let _ = ssl;
    std::ptr::null()
}

/// Keying material exported from the connection's secrets (RFC 5705, RFC 8446 §7.5):
/// 1, or -1 before the handshake is done, 0 if it cannot be exported.
#[no_mangle]
pub unsafe extern "C" fn SSL_export_keying_material(
    ssl: *mut SSL,
    out: *mut c_uchar,
    olen: usize,
    label: *const c_char,
    llen: usize,
    context: *const c_uchar,
    contextlen: usize,
    use_context: c_int,
) -> c_int {
    ffi_guard!(-1, {
        let conn = try_conn!(ssl, -1);
        if out.is_null() || label.is_null() {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        // SAFETY: out is writable for olen bytes, label readable for llen, context for
        // contextlen when used, per the function's contract.
        let (out, label) = unsafe {
            (
                std::slice::from_raw_parts_mut(out, olen),
                std::slice::from_raw_parts(label as *const u8, llen),
            )
        };
        let context = (use_context != 0).then(|| {
            if context.is_null() {
                &[][..]
            } else {
                // SAFETY: as above.
                unsafe { std::slice::from_raw_parts(context, contextlen) }
            }
        });
        match conn.export_keying_material(out, label, context) {
            Ok(()) => 1,
            Err(ret) => ret,
        }
    })
}

/// The name the peer's certificate matched when host names were checked.
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_peername(ssl: *mut SSL) -> *const c_char {
    ffi_guard!(std::ptr::null(), {
        let conn = try_conn!(ssl, std::ptr::null());
        // SAFETY: the connection's own live X509_VERIFY_PARAM.
        unsafe { crate::libcrypto::extra::X509_VERIFY_PARAM_get0_peername(conn.param.as_ptr()) }
    })
}

/// The TLS name (`x25519`, `secp256r1`, ...) of a group as `SSL_get_negotiated_group`
/// names it (a NID, or `TLSEXT_nid_unknown` with the id); NULL for one ferrossl does not
/// know.
#[no_mangle]
pub unsafe extern "C" fn SSL_group_to_name(ssl: *mut SSL, nid: c_int) -> *const c_char {
    let _ = ssl;
    crate::config::groups::id_of_nid(nid)
        .and_then(crate::config::groups::tls_name)
        .map_or(std::ptr::null(), |n| n.as_ptr())
}

/// The version of the client's hello (see `Connection::client_version`).
#[no_mangle]
pub unsafe extern "C" fn SSL_client_version(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { try_conn!(ssl, 0).client_version() })
}

/// The suite being negotiated, once chosen; NULL before.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_pending_cipher(ssl: *const SSL) -> *const SSL_CIPHER {
    ffi_guard!(std::ptr::null(), {
        try_conn!(ssl, std::ptr::null())
            .pending_cipher()
            .map_or(std::ptr::null(), |c| c as *const SSL_CIPHER)
    })
}

/// The key type of this side's own handshake signature: 1 with `*pnid` set, or 0 when it
/// made none (a server resuming a session, a client not asked for a certificate).
#[no_mangle]
pub unsafe extern "C" fn SSL_get_signature_type_nid(ssl: *const SSL, pnid: *mut c_int) -> c_int {
    ffi_guard!(0, {
        let Some((_, key_type)) = try_conn!(ssl, 0).own_signature_nids() else {
            return 0;
        };
        if !pnid.is_null() {
            // SAFETY: the caller's int.
            unsafe { *pnid = key_type };
        }
        1
    })
}
