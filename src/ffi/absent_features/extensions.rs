//! Extensions rustls cannot send or negotiate: custom extensions, server-info files,
//! the maximum fragment length.

use std::os::raw::{c_char, c_int, c_uint, c_void};

use crate::ffi::{refuse_unsupported, SSL, SSL_CTX};
use crate::libcrypto::error_queue as err;

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_add_client_custom_ext(
    ctx: *mut SSL_CTX,
    ext_type: u32,
    add_cb: *mut c_void,
    free_cb: *mut c_void,
    add_arg: *mut c_void,
    parse_cb: *mut c_void,
    parse_arg: *mut c_void,
) -> c_int {
    let _ = (ext_type, add_cb, free_cb, add_arg, parse_cb, parse_arg);
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_serverinfo_file(
    ctx: *mut SSL_CTX,
    file: *const c_char,
) -> c_int {
    let _ = file;
    refuse_unsupported(ctx, 0)
}

/// Custom TLS extensions cannot be added to rustls' messages: the call fails with
/// `ERR_R_UNSUPPORTED`, so a server configured to send one says so.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_add_server_custom_ext(
    ctx: *mut SSL_CTX,
    ext_type: c_uint,
    add_cb: *mut c_void,
    free_cb: *mut c_void,
    add_arg: *mut c_void,
    parse_cb: *mut c_void,
    parse_arg: *mut c_void,
) -> c_int {
    let _ = (ext_type, add_cb, free_cb, add_arg, parse_cb, parse_arg);
    refuse_unsupported(ctx, 0)
}

/// The maximum fragment length extension (RFC 6066) is not negotiated by rustls: 0 with
/// `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_tlsext_max_fragment_length(
    ctx: *mut SSL_CTX,
    mode: u8,
) -> c_int {
    let _ = mode;
    refuse_unsupported(ctx, 0)
}

/// As `SSL_CTX_add_server_custom_ext`: 0 with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_add_custom_ext(
    ctx: *mut SSL_CTX,
    ext_type: c_uint,
    context: c_uint,
    add_cb: *mut c_void,
    free_cb: *mut c_void,
    add_arg: *mut c_void,
    parse_cb: *mut c_void,
    parse_arg: *mut c_void,
) -> c_int {
    let _ = (
        ext_type, context, add_cb, free_cb, add_arg, parse_cb, parse_arg,
    );
    refuse_unsupported(ctx, 0)
}

/// No custom extension is ever registered: 0.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_has_client_custom_ext(
    ctx: *const SSL_CTX,
    ext_type: c_uint,
) -> c_int {
    let _ = (ctx, ext_type);
    0
}

/// The extensions OpenSSL 3.0 handles itself, for which it refuses a custom extension
/// (the same answer as OpenSSL's, so applications take the same path).
#[no_mangle]
pub unsafe extern "C" fn SSL_extension_supported(ext_type: c_uint) -> c_int {
    const BUILT_IN: [c_uint; 24] = [
        0, 1, 5, 10, 11, 12, 13, 14, 16, 18, 21, 22, 23, 35, 41, 42, 43, 44, 45, 47, 49, 51, 13172,
        65281,
    ];
    c_int::from(BUILT_IN.contains(&ext_type))
}

/// Server-info data is sent in extensions rustls cannot add: 0 with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_serverinfo(
    ctx: *mut SSL_CTX,
    serverinfo: *const u8,
    length: usize,
) -> c_int {
    let _ = (serverinfo, length);
    refuse_unsupported(ctx, 0)
}

/// As `SSL_CTX_use_serverinfo`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_serverinfo_ex(
    ctx: *mut SSL_CTX,
    version: c_uint,
    serverinfo: *const u8,
    length: usize,
) -> c_int {
    let _ = (version, serverinfo, length);
    refuse_unsupported(ctx, 0)
}

/// As `SSL_CTX_set_tlsext_max_fragment_length`: 0 with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_tlsext_max_fragment_length(ssl: *mut SSL, mode: u8) -> c_int {
    let _ = mode;
    refuse_unsupported(ssl, 0)
}

/// TLS 1.3 record padding: rustls pads no records, so a block size that would pad is
/// refused with `ERR_R_UNSUPPORTED`; 0 and 1 (no padding) are accepted, and sizes above a
/// record's plaintext fail as in OpenSSL.
fn block_padding(block_size: usize) -> c_int {
    const MAX_PLAINTEXT: usize = 16384;
    match block_size {
        0 | 1 => 1,
        2..=MAX_PLAINTEXT => {
            err::raise_ssl(err::ERR_R_UNSUPPORTED);
            0
        }
        _ => 0,
    }
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_block_padding(ctx: *mut SSL_CTX, block_size: usize) -> c_int {
    ffi_guard!(0, {
        try_ref!(ctx, 0);
        block_padding(block_size)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_block_padding(ssl: *mut SSL, block_size: usize) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        block_padding(block_size)
    })
}

/// A padding callback would never be called (rustls pads no records); this setter cannot
/// report that, so it keeps nothing, and `SSL_set_record_padding_callback` refuses one.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_record_padding_callback(ctx: *mut SSL_CTX, cb: *mut c_void) {
    let _ = (ctx, cb);
}

/// Removing the callback (NULL) is accepted; a callback is refused with
/// `ERR_R_UNSUPPORTED`, as OpenSSL refuses one where it cannot pad.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_record_padding_callback(ssl: *mut SSL, cb: *mut c_void) -> c_int {
    if cb.is_null() {
        return crate::ffi::accept_for(ssl);
    }
    refuse_unsupported(ssl, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_record_padding_callback_arg(
    ctx: *mut SSL_CTX,
    arg: *mut c_void,
) {
    ffi_guard!((), {
        try_ref!(ctx, ()).settings().record_padding_arg = arg as usize
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_record_padding_callback_arg(
    ctx: *const SSL_CTX,
) -> *mut c_void {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ctx, std::ptr::null_mut())
            .settings()
            .record_padding_arg as *mut c_void
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_record_padding_callback_arg(ssl: *mut SSL, arg: *mut c_void) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.record_padding_arg = arg as usize
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_record_padding_callback_arg(ssl: *const SSL) -> *mut c_void {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut())
            .settings
            .record_padding_arg as *mut c_void
    })
}
