//! Features ferrossl does not have, answered as OpenSSL 3 answers when they are absent or
//! unused: SRP, DANE, Certificate Transparency, DTLS and stateless cookies, external-PSK
//! sessions, custom extensions, server-info files, the SSL BIO. Setters that would need
//! the feature fail with an OpenSSL-style error (so a program configured for it says so);
//! callbacks that only the feature would call are kept and never called; getters report
//! nothing negotiated.

use std::os::raw::{c_char, c_int, c_uchar, c_uint, c_ulong, c_void};

use super::{refuse_unsupported, SSL, SSL_CTX};
use crate::libcrypto::error_queue as err;
use openssl_sys::stack_st_X509_NAME as RawNameStack;

const SSL_R_DANE_NOT_ENABLED: c_int = 175;

// ---- SRP ----

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_cb_arg(ctx: *mut SSL_CTX, arg: *mut c_void) -> c_int {
    let _ = arg;
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_strength(ctx: *mut SSL_CTX, strength: c_int) -> c_int {
    let _ = strength;
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_username_callback(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) -> c_int {
    let _ = cb;
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_client_pwd_callback(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) -> c_int {
    let _ = cb;
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_verify_param_callback(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) -> c_int {
    let _ = cb;
    refuse_unsupported(ctx, 0)
}

/// -1, this function's failure value.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_srp_server_param(
    ssl: *mut SSL,
    n: *const c_void,
    g: *const c_void,
    sa: *mut c_void,
    v: *mut c_void,
    info: *mut c_char,
) -> c_int {
    let _ = (n, g, sa, v, info);
    refuse_unsupported(ssl, -1)
}

/// No SRP handshake, so no group or user.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_srp_N(ssl: *mut SSL) -> *mut c_void {
    let _ = ssl;
    std::ptr::null_mut()
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_srp_g(ssl: *mut SSL) -> *mut c_void {
    let _ = ssl;
    std::ptr::null_mut()
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_srp_username(ssl: *mut SSL) -> *mut c_char {
    let _ = ssl;
    std::ptr::null_mut()
}

// ---- DANE ----

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_dane_enable(ctx: *mut SSL_CTX) -> c_int {
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_dane_enable(ssl: *mut SSL, basedomain: *const c_char) -> c_int {
    let _ = basedomain;
    refuse_unsupported(ssl, 0)
}

/// DANE is never enabled, so no flags were set: 0.
#[no_mangle]
pub unsafe extern "C" fn SSL_dane_set_flags(ssl: *mut SSL, flags: c_ulong) -> c_ulong {
    let _ = (ssl, flags);
    0
}

/// -1 with `SSL_R_DANE_NOT_ENABLED`, as OpenSSL before `SSL_dane_enable`.
#[no_mangle]
pub unsafe extern "C" fn SSL_dane_tlsa_add(
    ssl: *mut SSL,
    usage: u8,
    selector: u8,
    mtype: u8,
    data: *const c_uchar,
    dlen: usize,
) -> c_int {
    let _ = (usage, selector, mtype, data, dlen);
    ffi_guard!(-1, {
        try_ref!(ssl, -1);
        err::raise_ssl(SSL_R_DANE_NOT_ENABLED);
        -1
    })
}

// ---- Certificate Transparency ----

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_enable_ct(ctx: *mut SSL_CTX, validation_mode: c_int) -> c_int {
    let _ = validation_mode;
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_ctlog_list_file(
    ctx: *mut SSL_CTX,
    path: *const c_char,
) -> c_int {
    let _ = path;
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_default_ctlog_list_file(ctx: *mut SSL_CTX) -> c_int {
    refuse_unsupported(ctx, 0)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get0_ctlog_store(ctx: *const SSL_CTX) -> *const c_void {
    let _ = ctx;
    std::ptr::null()
}

// ---- DTLS and stateless cookies ----

/// The cookie callbacks serve DTLS and stateless TLS 1.3 servers: kept, never called.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_cookie_generate_cb(ctx: *mut SSL_CTX, cb: *mut c_void) {
    let _ = (ctx, cb);
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_cookie_verify_cb(ctx: *mut SSL_CTX, cb: *mut c_void) {
    let _ = (ctx, cb);
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_stateless_cookie_generate_cb(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) {
    let _ = (ctx, cb);
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_stateless_cookie_verify_cb(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) {
    let _ = (ctx, cb);
}

/// Stateless HelloRetryRequests are not offered: -1, the failure value.
#[no_mangle]
pub unsafe extern "C" fn SSL_stateless(ssl: *mut SSL) -> c_int {
    refuse_unsupported(ssl, -1)
}

/// DTLS is not implemented: -1.
#[no_mangle]
pub unsafe extern "C" fn DTLSv1_listen(ssl: *mut SSL, client: *mut c_void) -> c_int {
    let _ = client;
    refuse_unsupported(ssl, -1)
}

// ---- external PSK sessions, custom extensions, server info ----

/// External PSKs are not implemented: kept, never called.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_psk_find_session_callback(ctx: *mut SSL_CTX, cb: *mut c_void) {
    let _ = (ctx, cb);
}

/// External PSKs are not implemented: kept, never called.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_psk_use_session_callback(ctx: *mut SSL_CTX, cb: *mut c_void) {
    let _ = (ctx, cb);
}

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

// ---- configuration modules, session ids, security callbacks ----

/// ferrossl reads no OpenSSL configuration file: no `ssl_conf` section of that name
/// exists, so 0 with `SSL_R_INVALID_CONFIGURATION_NAME`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_config(ctx: *mut SSL_CTX, name: *const c_char) -> c_int {
    const SSL_R_INVALID_CONFIGURATION_NAME: c_int = 113;
    let _ = name;
    ffi_guard!(0, {
        try_ref!(ctx, 0);
        err::raise_ssl(SSL_R_INVALID_CONFIGURATION_NAME);
        0
    })
}

/// rustls makes its own session ids: a generator cannot be used, so it is refused.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_generate_session_id(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) -> c_int {
    let _ = cb;
    refuse_unsupported(ctx, 0)
}

/// Kept, never called: ferrossl does not ask whether to make a session resumable.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_not_resumable_session_callback(
    ctx: *mut SSL_CTX,
    cb: *mut c_void,
) {
    let _ = (ctx, cb);
}

/// Kept, never called: ferrossl applies its security level itself (it offers nothing a
/// level 2 forbids).
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_security_callback(ctx: *mut SSL_CTX, cb: *mut c_void) {
    let _ = (ctx, cb);
}

/// See `SSL_CTX_set_security_callback`.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_security_callback(ssl: *mut SSL, cb: *mut c_void) {
    let _ = (ssl, cb);
}

/// No security callback is called, so none is reported.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_get_security_callback(ctx: *const SSL_CTX) -> *mut c_void {
    let _ = ctx;
    std::ptr::null_mut()
}

/// See `SSL_CTX_set_security_callback`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set0_security_ex_data(ctx: *mut SSL_CTX, ex: *mut c_void) {
    let _ = (ctx, ex);
}

/// The CA names of TLS 1.3's certificate_authorities extension are not sent by rustls:
/// the list is taken (set0) and freed; certificate requests still name the client CA list.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set0_CA_list(ctx: *mut SSL_CTX, list: *mut RawNameStack) {
    let _ = ctx;
    crate::libcrypto::name_stack::free_stack(list);
}

/// The signature algorithms the peer offered are not reported by rustls: 0 of them.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_sigalgs(
    ssl: *mut SSL,
    idx: c_int,
    psign: *mut c_int,
    phash: *mut c_int,
    psignhash: *mut c_int,
    rsig: *mut c_uchar,
    rhash: *mut c_uchar,
) -> c_int {
    let _ = (ssl, idx, psign, phash, psignhash, rsig, rhash);
    0
}

/// As `SSL_get_sigalgs`: 0.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_shared_sigalgs(
    ssl: *mut SSL,
    idx: c_int,
    psign: *mut c_int,
    phash: *mut c_int,
    psignhash: *mut c_int,
    rsig: *mut c_uchar,
    rhash: *mut c_uchar,
) -> c_int {
    let _ = (ssl, idx, psign, phash, psignhash, rsig, rhash);
    0
}

// ---- TLS compression ----

/// The application's compression method list (`SSL_COMP_set0_compression_methods`): kept
/// and handed back as OpenSSL does, never used, since no compression is negotiated.
static COMPRESSION_METHODS: std::sync::atomic::AtomicPtr<c_void> =
    std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());

/// The method list last set (none to begin with): no method is ever negotiated.
#[no_mangle]
pub unsafe extern "C" fn SSL_COMP_get_compression_methods() -> *mut c_void {
    COMPRESSION_METHODS.load(std::sync::atomic::Ordering::Acquire)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_COMP_get_name(comp: *const c_void) -> *const c_char {
    let _ = comp;
    std::ptr::null()
}

/// As `SSL_COMP_get_name`: no compression method exists.
#[no_mangle]
pub unsafe extern "C" fn SSL_COMP_get0_name(comp: *const c_void) -> *const c_char {
    let _ = comp;
    std::ptr::null()
}

/// -1, OpenSSL's answer without compression.
#[no_mangle]
pub unsafe extern "C" fn SSL_COMP_get_id(comp: *const c_void) -> c_int {
    let _ = comp;
    -1
}

/// TLS compression is not implemented (rustls never compresses, as OpenSSL 3 with its
/// default `SSL_OP_NO_COMPRESSION`): adding a method fails (1, this function's failure
/// value) with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_COMP_add_compression_method(id: c_int, cm: *mut c_void) -> c_int {
    let _ = (id, cm);
    err::raise_ssl(err::ERR_R_UNSUPPORTED);
    1
}

/// Replaces the method list (the library keeps `meths`) and returns the previous one,
/// which the caller now owns.
#[no_mangle]
pub unsafe extern "C" fn SSL_COMP_set0_compression_methods(meths: *mut c_void) -> *mut c_void {
    COMPRESSION_METHODS.swap(meths, std::sync::atomic::Ordering::AcqRel)
}

// ---- SRTP, CT, DANE on a connection ----

/// No SRTP profile is ever selected (SRTP is DTLS's, which ferrossl does not do).
#[no_mangle]
pub unsafe extern "C" fn SSL_get_selected_srtp_profile(ssl: *mut SSL) -> *mut c_void {
    let _ = ssl;
    std::ptr::null_mut()
}

/// Certificate Transparency is not checked by ferrossl: never enabled.
#[no_mangle]
pub unsafe extern "C" fn SSL_ct_is_enabled(ssl: *const SSL) -> c_int {
    let _ = ssl;
    0
}

/// No signed certificate timestamps are collected (CT is not checked).
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_peer_scts(ssl: *mut SSL) -> *const c_void {
    let _ = ssl;
    std::ptr::null()
}

/// DANE is not enabled on any connection: -1, as OpenSSL without DANE.
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_dane_authority(
    ssl: *mut SSL,
    mcert: *mut *mut c_void,
    mspki: *mut *mut c_void,
) -> c_int {
    let _ = (ssl, mcert, mspki);
    -1
}

/// As `SSL_get0_dane_authority`: -1.
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_dane_tlsa(
    ssl: *mut SSL,
    usage: *mut u8,
    selector: *mut u8,
    mtype: *mut u8,
    data: *mut *const c_uchar,
    dlen: *mut usize,
) -> c_int {
    let _ = (ssl, usage, selector, mtype, data, dlen);
    -1
}

// ---- the rest on a context: SRP, PSK, engines, ticket app data, custom extensions,
// fragment length, SRTP ----

/// SRP is not implemented: refused with an error, never claimed.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_username(ctx: *mut SSL_CTX, name: *mut c_char) -> c_int {
    let _ = name;
    refuse_unsupported(ctx, 0)
}

/// SRP is not implemented: refused with an error, never claimed.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_srp_password(
    ctx: *mut SSL_CTX,
    password: *mut c_char,
) -> c_int {
    let _ = password;
    refuse_unsupported(ctx, 0)
}

/// PSK cipher suites are not implemented (rustls has no external PSKs): the callback is
/// never called, so clients that offer only PSK find no shared cipher.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_psk_server_callback(
    ctx: *mut SSL_CTX,
    cb: Option<unsafe extern "C" fn(*mut SSL, *const c_char, *mut c_uchar, c_uint) -> c_uint>,
) {
    let _ = (ctx, cb);
}

/// The hint only exists for PSK, which ferrossl does not do: the call fails (with
/// `ERR_R_UNSUPPORTED` queued) so that a server configured for PSK says so.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_use_psk_identity_hint(
    ctx: *mut SSL_CTX,
    hint: *const c_char,
) -> c_int {
    let _ = hint;
    refuse_unsupported(ctx, 0)
}

/// Client certificates from an engine: ferrossl cannot take them from one, so, as OpenSSL
/// for an engine without that function, 0 with `SSL_R_NO_CLIENT_CERT_METHOD`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_client_cert_engine(
    ctx: *mut SSL_CTX,
    e: *mut c_void,
) -> c_int {
    const SSL_R_NO_CLIENT_CERT_METHOD: c_int = 331;
    ffi_guard!(0, {
        try_ref!(ctx, 0);
        let _ = e;
        err::raise_ssl(SSL_R_NO_CLIENT_CERT_METHOD);
        0
    })
}

/// Ticket callbacks put application data into tickets; rustls' tickets cannot carry it,
/// so the callbacks are refused: 0 with `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_session_ticket_cb(
    ctx: *mut SSL_CTX,
    gen_cb: Option<unsafe extern "C" fn(*mut SSL, *mut c_void) -> c_int>,
    dec_cb: *mut c_void,
    arg: *mut c_void,
) -> c_int {
    let _ = (gen_cb, dec_cb, arg);
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

/// SRTP (DTLS only) is not implemented: 1, this function's failure value, with
/// `ERR_R_UNSUPPORTED`.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_set_tlsext_use_srtp(
    ctx: *mut SSL_CTX,
    profiles: *const c_char,
) -> c_int {
    ffi_guard!(1, {
        try_ref!(ctx, 1);
        let _ = profiles;
        err::raise_ssl(err::ERR_R_UNSUPPORTED);
        1
    })
}
