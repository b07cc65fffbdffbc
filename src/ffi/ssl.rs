//! `SSL_*`: connections — BIOs, handshake, I/O, shutdown, errors and what was negotiated.

use std::os::raw::{c_char, c_int, c_long, c_uchar, c_uint, c_void};

use openssl_sys::{stack_st_X509, BIO, X509, X509_VERIFY_PARAM};

use super::ssl_ctx::{alpn_arg, SslVerifyCb};
use super::{
    c_path, c_str, ctx_clone_arc, drive, stack_st_SSL_CIPHER, SslObject, SSL, SSL_CIPHER, SSL_CTX,
};
use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::config::protocol_version;
use crate::connection::{Connection, HandshakeState};
use crate::credentials;
use crate::libcrypto::bio::Bio;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::pkey::PrivateKey;
use crate::libcrypto::x509::Certificate;

#[no_mangle]
pub unsafe extern "C" fn SSL_new(ctx: *mut SSL_CTX) -> *mut SSL {
    ffi_guard!(std::ptr::null_mut(), {
        if ctx.is_null() {
            err::raise_ssl(reason::SSL_R_NULL_SSL_CTX);
            return std::ptr::null_mut();
        }
        // SAFETY: a live context from SSL_CTX_new; the connection holds its own reference.
        let ctx = unsafe { ctx_clone_arc(ctx) };
        match Connection::new(ctx) {
            Some(conn) => SslObject::into_raw(conn),
            None => {
                err::raise_ssl(err::ERR_R_MALLOC_FAILURE);
                std::ptr::null_mut()
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_up_ref(ssl: *mut SSL) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0).up_ref();
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_free(ssl: *mut SSL) {
    ffi_guard!((), {
        if ssl.is_null() {
            return;
        }
        // SAFETY: a live SSL whose reference the caller gives up.
        unsafe { SslObject::release(ssl) };
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_SSL_CTX(ssl: *const SSL) -> *mut SSL_CTX {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ssl, std::ptr::null_mut()).ctx.get() as *mut SSL_CTX
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_clear(ssl: *mut SSL) -> c_int {
    ffi_guard!(0, {
        try_conn!(ssl, 0).clear();
        1
    })
}

// ---- BIOs ----

fn set0_rbio(conn: &mut Connection, bio: *mut BIO) {
    conn.rbio = Bio::adopt(bio);
}

fn set0_wbio(conn: &mut Connection, bio: *mut BIO) {
    conn.wbio = Bio::adopt(bio);
}

fn bio_ptr(b: &Option<Bio>) -> *mut BIO {
    b.as_ref().map_or(std::ptr::null_mut(), Bio::as_ptr)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set0_rbio(ssl: *mut SSL, rbio: *mut BIO) {
    ffi_guard!((), {
        let mut conn = try_conn!(ssl, ());
        set0_rbio(&mut conn, rbio)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set0_wbio(ssl: *mut SSL, wbio: *mut BIO) {
    ffi_guard!((), {
        let mut conn = try_conn!(ssl, ());
        set0_wbio(&mut conn, wbio)
    })
}

/// OpenSSL's reference rules, including its historical asymmetry when only one BIO changes.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_bio(ssl: *mut SSL, rbio: *mut BIO, wbio: *mut BIO) {
    ffi_guard!((), {
        let mut conn = try_conn!(ssl, ());
        if !rbio.is_null() && rbio == wbio {
            // The caller grants one reference for both roles; take a second one.
            std::mem::forget(Bio::up_ref(rbio));
        }
        if rbio == bio_ptr(&conn.rbio) {
            set0_wbio(&mut conn, wbio);
            return;
        }
        if wbio == bio_ptr(&conn.wbio) && bio_ptr(&conn.rbio) != bio_ptr(&conn.wbio) {
            set0_rbio(&mut conn, rbio);
            return;
        }
        set0_rbio(&mut conn, rbio);
        set0_wbio(&mut conn, wbio);
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_rbio(ssl: *const SSL) -> *mut BIO {
    ffi_guard!(std::ptr::null_mut(), {
        bio_ptr(&try_conn!(ssl, std::ptr::null_mut()).rbio)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_wbio(ssl: *const SSL) -> *mut BIO {
    ffi_guard!(std::ptr::null_mut(), {
        bio_ptr(&try_conn!(ssl, std::ptr::null_mut()).wbio)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_fd(ssl: *mut SSL, fd: c_int) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let Some(bio) = Bio::socket(fd) else {
            err::raise_ssl(err::ERR_R_BIO_LIB);
            return 0;
        };
        let second = Bio::up_ref(bio.as_ptr());
        conn.rbio = Some(bio);
        conn.wbio = second;
        1
    })
}

/// A socket BIO for `fd`: the other direction's BIO when it already is one on `fd`
/// (as OpenSSL shares it), else a new one.
fn fd_bio(other: &Option<Bio>, fd: c_int) -> Option<Bio> {
    match other.as_ref().filter(|b| b.is_socket_on(fd)) {
        Some(b) => Bio::up_ref(b.as_ptr()),
        None => Bio::socket(fd),
    }
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_rfd(ssl: *mut SSL, fd: c_int) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let Some(bio) = fd_bio(&conn.wbio, fd) else {
            err::raise_ssl(err::ERR_R_BIO_LIB);
            return 0;
        };
        conn.rbio = Some(bio);
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_wfd(ssl: *mut SSL, fd: c_int) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let Some(bio) = fd_bio(&conn.rbio, fd) else {
            err::raise_ssl(err::ERR_R_BIO_LIB);
            return 0;
        };
        conn.wbio = Some(bio);
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_rfd(ssl: *const SSL) -> c_int {
    ffi_guard!(-1, { try_conn!(ssl, -1).rbio.as_ref().map_or(-1, Bio::fd) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_wfd(ssl: *const SSL) -> c_int {
    ffi_guard!(-1, { try_conn!(ssl, -1).wbio.as_ref().map_or(-1, Bio::fd) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_fd(ssl: *const SSL) -> c_int {
    // SAFETY: the same contract as this function's.
    unsafe { SSL_get_rfd(ssl) }
}

// ---- handshake ----

#[no_mangle]
pub unsafe extern "C" fn SSL_set_connect_state(ssl: *mut SSL) {
    ffi_guard!((), { try_conn!(ssl, ()).set_connect_state() })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_accept_state(ssl: *mut SSL) {
    ffi_guard!((), { try_conn!(ssl, ()).set_accept_state() })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_connect(ssl: *mut SSL) -> c_int {
    ffi_guard!(-1, {
        drive(try_ref!(ssl, -1), -1, |conn| {
            if conn.state() == HandshakeState::Before {
                conn.set_connect_state();
            }
            conn.do_handshake()
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_accept(ssl: *mut SSL) -> c_int {
    ffi_guard!(-1, {
        drive(try_ref!(ssl, -1), -1, |conn| {
            if conn.state() == HandshakeState::Before {
                conn.set_accept_state();
            }
            conn.do_handshake()
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_do_handshake(ssl: *mut SSL) -> c_int {
    ffi_guard!(-1, {
        drive(try_ref!(ssl, -1), -1, |conn| conn.do_handshake())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_is_init_finished(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_conn!(ssl, 0).state() == HandshakeState::Done)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_in_init(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { c_int::from(try_conn!(ssl, 0).in_init()) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_in_before(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_conn!(ssl, 0).state() == HandshakeState::Before)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_is_server(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { c_int::from(try_conn!(ssl, 0).server) })
}

// ---- application data ----

/// `SSL_sendfile` needs kernel TLS on the write BIO, which ferrossl never enables; the
/// answer is OpenSSL's for a BIO without it.
#[no_mangle]
pub unsafe extern "C" fn SSL_sendfile(
    ssl: *mut SSL,
    _fd: c_int,
    _offset: libc::off_t,
    _size: usize,
    _flags: c_int,
) -> isize {
    ffi_guard!(-1, {
        try_ref!(ssl, -1);
        err::raise_ssl(reason::SSL_R_UNINITIALIZED);
        -1
    })
}

fn io_len(num: c_int) -> Option<usize> {
    usize::try_from(num).ok()
}

/// The common body of `SSL_read` and `SSL_peek`.
fn read_common(ssl: *mut SSL, buf: *mut c_void, num: c_int, peek: bool) -> c_int {
    ffi_guard!(-1, {
        let obj = try_ref!(ssl, -1);
        let Some(len) = io_len(num) else {
            err::raise_ssl(reason::SSL_R_BAD_LENGTH);
            return -1;
        };
        if buf.is_null() && len > 0 {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return -1;
        }
        let out: &mut [u8] = if len == 0 {
            &mut []
        } else {
            // SAFETY: buf is writable for num bytes, per the function's contract.
            unsafe { std::slice::from_raw_parts_mut(buf as *mut u8, len) }
        };
        drive(obj, -1, |conn| match conn.read(out, peek) {
            Ok(n) => n as c_int,
            Err(ret) => ret,
        })
    })
}

/// The common body of `SSL_read_ex` and `SSL_peek_ex`.
fn read_ex_common(
    ssl: *mut SSL,
    buf: *mut c_void,
    num: usize,
    readbytes: *mut usize,
    peek: bool,
) -> c_int {
    ffi_guard!(0, {
        let obj = try_ref!(ssl, 0);
        if buf.is_null() && num > 0 {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        }
        let out: &mut [u8] = if num == 0 {
            &mut []
        } else {
            // SAFETY: buf is writable for num bytes, per the function's contract.
            unsafe { std::slice::from_raw_parts_mut(buf as *mut u8, num) }
        };
        let r = drive(obj, Err(-1), |conn| conn.read(out, peek));
        if !readbytes.is_null() {
            // SAFETY: a writable size_t from the caller.
            unsafe { *readbytes = *r.as_ref().unwrap_or(&0) };
        }
        c_int::from(r.is_ok())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_read(ssl: *mut SSL, buf: *mut c_void, num: c_int) -> c_int {
    read_common(ssl, buf, num, false)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_peek(ssl: *mut SSL, buf: *mut c_void, num: c_int) -> c_int {
    read_common(ssl, buf, num, true)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_read_ex(
    ssl: *mut SSL,
    buf: *mut c_void,
    num: usize,
    readbytes: *mut usize,
) -> c_int {
    read_ex_common(ssl, buf, num, readbytes, false)
}

#[no_mangle]
pub unsafe extern "C" fn SSL_peek_ex(
    ssl: *mut SSL,
    buf: *mut c_void,
    num: usize,
    readbytes: *mut usize,
) -> c_int {
    read_ex_common(ssl, buf, num, readbytes, true)
}

fn write_common(ssl: *mut SSL, buf: *const c_void, num: usize) -> Result<usize, c_int> {
    ffi_guard!(Err(-1), {
        let obj = try_ref!(ssl, Err(-1));
        if buf.is_null() && num > 0 {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return Err(-1);
        }
        let data: &[u8] = if num == 0 {
            &[]
        } else {
            // SAFETY: buf is readable for num bytes, per the function's contract.
            unsafe { std::slice::from_raw_parts(buf as *const u8, num) }
        };
        drive(obj, Err(-1), |conn| conn.write(data))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_write(ssl: *mut SSL, buf: *const c_void, num: c_int) -> c_int {
    ffi_guard!(-1, {
        let Some(len) = io_len(num) else {
            err::raise_ssl(reason::SSL_R_BAD_LENGTH);
            return -1;
        };
        match write_common(ssl, buf, len) {
            Ok(n) => n as c_int,
            Err(ret) => ret,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_write_ex(
    ssl: *mut SSL,
    buf: *const c_void,
    num: usize,
    written: *mut usize,
) -> c_int {
    let r = write_common(ssl, buf, num);
    if !written.is_null() {
        // SAFETY: a writable size_t from the caller.
        unsafe { *written = *r.as_ref().unwrap_or(&0) };
    }
    c_int::from(r.is_ok())
}

#[no_mangle]
pub unsafe extern "C" fn SSL_pending(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        try_conn!(ssl, 0).pending().min(c_int::MAX as usize) as c_int
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_has_pending(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { c_int::from(try_conn!(ssl, 0).pending() > 0) })
}

// ---- closing and errors ----

#[no_mangle]
pub unsafe extern "C" fn SSL_shutdown(ssl: *mut SSL) -> c_int {
    ffi_guard!(-1, { drive(try_ref!(ssl, -1), -1, |conn| conn.shutdown()) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_shutdown(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { try_conn!(ssl, 0).shutdown })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_shutdown(ssl: *mut SSL, mode: c_int) {
    ffi_guard!((), { try_conn!(ssl, ()).shutdown = mode })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_quiet_shutdown(ssl: *mut SSL, mode: c_int) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.quiet_shutdown = mode != 0
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_quiet_shutdown(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_conn!(ssl, 0).settings.quiet_shutdown)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_error(ssl: *const SSL, ret_code: c_int) -> c_int {
    ffi_guard!(SSL_ERROR_SSL, {
        try_conn!(ssl, SSL_ERROR_SSL).get_error(ret_code)
    })
}

// ---- options and verification settings ----

#[no_mangle]
pub unsafe extern "C" fn SSL_set_options(ssl: *mut SSL, op: u64) -> u64 {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        conn.settings.options |= op;
        conn.settings.options
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_clear_options(ssl: *mut SSL, op: u64) -> u64 {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        conn.settings.options &= !op;
        conn.settings.options
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_options(ssl: *const SSL) -> u64 {
    ffi_guard!(0, { try_conn!(ssl, 0).settings.options })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_verify(ssl: *mut SSL, mode: c_int, callback: SslVerifyCb) {
    ffi_guard!((), {
        let mut conn = try_conn!(ssl, ());
        conn.settings.verify_mode = mode;
        if callback.is_some() {
            conn.settings.verify_callback = callback;
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_verify_mode(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { try_conn!(ssl, 0).settings.verify_mode })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_verify_depth(ssl: *mut SSL, depth: c_int) {
    ffi_guard!((), { try_conn!(ssl, ()).param.set_depth(depth) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get0_param(ssl: *mut SSL) -> *mut X509_VERIFY_PARAM {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut()).param.as_ptr()
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set1_host(ssl: *mut SSL, hostname: *const c_char) -> c_int {
    ffi_guard!(0, {
        let conn = try_conn!(ssl, 0);
        let host = if hostname.is_null() {
            None
        } else {
            // SAFETY: a non-NULL C string from the caller.
            Some(unsafe { std::ffi::CStr::from_ptr(hostname) }.to_bytes())
        };
        c_int::from(conn.param.set_host(host))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_verify_result(ssl: *const SSL) -> c_long {
    ffi_guard!(0, { try_conn!(ssl, 0).verify_result })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_verify_result(ssl: *mut SSL, result: c_long) {
    ffi_guard!((), { try_conn!(ssl, ()).verify_result = result })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_alpn_protos(
    ssl: *mut SSL,
    protos: *const c_uchar,
    protos_len: c_uint,
) -> c_int {
    ffi_guard!(1, {
        let mut conn = try_conn!(ssl, 1);
        match alpn_arg(protos, protos_len) {
            Some(list) => {
                conn.settings.alpn_protos = list;
                0
            }
            None => {
                err::raise_ssl(reason::SSL_R_BAD_VALUE);
                1
            }
        }
    })
}

// ---- cipher suites ----

#[no_mangle]
pub unsafe extern "C" fn SSL_set_cipher_list(ssl: *mut SSL, list: *const c_char) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let Some(list) = c_str(list) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        c_int::from(conn.settings.set_cipher_list(&list))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_ciphersuites(ssl: *mut SSL, list: *const c_char) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let Some(list) = c_str(list) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        conn.settings.set_ciphersuites(&list);
        1
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_ciphers(ssl: *const SSL) -> *mut stack_st_SSL_CIPHER {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut()).cipher_stack().cast()
    })
}

/// The name of the `n`th enabled suite, or NULL past the end.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_cipher_list(ssl: *const SSL, n: c_int) -> *const c_char {
    ffi_guard!(std::ptr::null(), {
        let conn = try_conn!(ssl, std::ptr::null());
        let Ok(n) = usize::try_from(n) else {
            return std::ptr::null();
        };
        let name = conn
            .settings
            .ciphers()
            .nth(n)
            .map_or(std::ptr::null(), |c| c.name.as_ptr());
        name
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_security_level(ssl: *mut SSL, level: c_int) {
    ffi_guard!((), { try_conn!(ssl, ()).settings.security_level = level })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_security_level(ssl: *const SSL) -> c_int {
    ffi_guard!(0, { try_conn!(ssl, 0).settings.security_level })
}

// ---- what was negotiated ----

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

#[no_mangle]
pub unsafe extern "C" fn SSL_get1_peer_certificate(ssl: *const SSL) -> *mut X509 {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut())
            .peer_certificate()
            .map_or(std::ptr::null_mut(), |c| c.to_owned_ptr())
    })
}

/// The peer's certificate, still owned by the connection.
#[no_mangle]
pub unsafe extern "C" fn SSL_get0_peer_certificate(ssl: *const SSL) -> *mut X509 {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut())
            .peer_certificate()
            .map_or(std::ptr::null_mut(), |c| c.as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_peer_cert_chain(ssl: *const SSL) -> *mut stack_st_X509 {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut())
            .peer_cert_chain()
            .map_or(std::ptr::null_mut(), |s| s.as_ptr())
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

#[no_mangle]
pub unsafe extern "C" fn SSL_want(ssl: *const SSL) -> c_int {
    ffi_guard!(SSL_NOTHING, { try_conn!(ssl, SSL_NOTHING).want() })
}

/// The `X509_STORE_CTX` ex_data index at which a verify callback finds the `SSL *`.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_ex_data_X509_STORE_CTX_idx() -> c_int {
    ffi_guard!(-1, { crate::libcrypto::store::ssl_ex_index() })
}

/// Moves the connection to another context (before its handshake uses the configuration).
#[no_mangle]
pub unsafe extern "C" fn SSL_set_SSL_CTX(ssl: *mut SSL, ctx: *mut SSL_CTX) -> *mut SSL_CTX {
    ffi_guard!(std::ptr::null_mut(), {
        let obj = try_ref!(ssl, std::ptr::null_mut());
        let mut conn = match obj.conn() {
            Some(c) => c,
            None => {
                err::raise_ssl(err::ERR_R_INTERNAL_ERROR);
                return std::ptr::null_mut();
            }
        };
        if ctx.is_null() {
            return obj.ctx.get() as *mut SSL_CTX;
        }
        // SAFETY: a live context from SSL_CTX_new; the connection takes its own reference.
        let new = unsafe { ctx_clone_arc(ctx) };
        conn.set_context(new);
        obj.ctx.set(ctx);
        ctx
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_verify_callback(ssl: *const SSL) -> SslVerifyCb {
    ffi_guard!(None, { try_conn!(ssl, None).settings.verify_callback })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_set_read_ahead(ssl: *mut SSL, yes: c_int) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.read_ahead = c_long::from(yes)
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_read_ahead(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        c_int::from(try_conn!(ssl, 0).settings.read_ahead != 0)
    })
}

/// Kept; rustls offers no post-handshake authentication (see `SSL_CTX_set_post_handshake_auth`).
#[no_mangle]
pub unsafe extern "C" fn SSL_set_post_handshake_auth(ssl: *mut SSL, val: c_int) {
    ffi_guard!((), {
        try_conn!(ssl, ()).settings.post_handshake_auth = val != 0
    })
}

/// A server can only ask for a certificate after the handshake when the client offered
/// it; ferrossl's peers are never asked, which OpenSSL reports like this.
#[no_mangle]
pub unsafe extern "C" fn SSL_verify_client_post_handshake(ssl: *mut SSL) -> c_int {
    ffi_guard!(0, {
        try_conn!(ssl, 0);
        err::raise_ssl(reason::SSL_R_EXTENSION_NOT_RECEIVED);
        0
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

/// ferrossl never renegotiates, so none is ever pending.
#[no_mangle]
pub unsafe extern "C" fn SSL_renegotiate_pending(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        0
    })
}

/// No asynchronous engine jobs run in ferrossl: nothing to wait for.
#[no_mangle]
pub unsafe extern "C" fn SSL_waiting_for_async(ssl: *mut SSL) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        0
    })
}

/// No asynchronous mode, so, as OpenSSL without a wait context, 0 and nothing written.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_all_async_fds(
    ssl: *mut SSL,
    _fds: *mut c_int,
    _numfds: *mut usize,
) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        0
    })
}

/// As `SSL_get_all_async_fds`: no wait context, 0.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_changed_async_fds(
    ssl: *mut SSL,
    _addfd: *mut c_int,
    _numaddfds: *mut usize,
    _delfd: *mut c_int,
    _numdelfds: *mut usize,
) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        0
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

#[no_mangle]
pub unsafe extern "C" fn SSL_get0_verified_chain(ssl: *const SSL) -> *mut stack_st_X509 {
    ffi_guard!(std::ptr::null_mut(), {
        let conn = try_conn!(ssl, std::ptr::null_mut());
        let chain = conn
            .verified_chain()
            .map_or(std::ptr::null_mut(), |c| c.as_ptr());
        chain
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_client_ciphers(ssl: *const SSL) -> *mut stack_st_SSL_CIPHER {
    ffi_guard!(std::ptr::null_mut(), {
        try_conn!(ssl, std::ptr::null_mut())
            .client_cipher_stack()
            .cast()
    })
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

// ---- this connection's own certificate ----

#[no_mangle]
pub unsafe extern "C" fn SSL_use_certificate(ssl: *mut SSL, x: *mut X509) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        c_int::from(
            conn.with_credentials(|c| credentials::use_certificate(c, Certificate::up_ref(x))),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_use_certificate_ASN1(
    ssl: *mut SSL,
    d: *const c_uchar,
    len: c_int,
) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let Some(cert) = super::ssl_ctx::der_arg(d, c_long::from(len))
            .and_then(credentials::certificate_from_asn1)
        else {
            return 0;
        };
        c_int::from(conn.with_credentials(|c| credentials::use_certificate(c, Some(cert))))
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
        let mut conn = try_conn!(ssl, 0);
        let Some(key) = super::ssl_ctx::der_arg(d, len)
            .and_then(|der| credentials::private_key_from_asn1(pk, der))
        else {
            return 0;
        };
        c_int::from(conn.with_credentials(|c| credentials::use_private_key(c, Some(key))))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_use_certificate_file(
    ssl: *mut SSL,
    file: *const c_char,
    filetype: c_int,
) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        c_int::from(
            conn.with_credentials(|c| credentials::use_certificate_file(c, c_path(file), filetype)),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_use_certificate_chain_file(
    ssl: *mut SSL,
    file: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        c_int::from(
            conn.with_credentials(|c| credentials::use_certificate_chain_file(c, c_path(file))),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_use_PrivateKey(
    ssl: *mut SSL,
    pkey: *mut openssl_sys::EVP_PKEY,
) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        c_int::from(
            conn.with_credentials(|c| credentials::use_private_key(c, PrivateKey::up_ref(pkey))),
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_use_PrivateKey_file(
    ssl: *mut SSL,
    file: *const c_char,
    filetype: c_int,
) -> c_int {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let password = conn.settings.password;
        c_int::from(conn.with_credentials(|c| {
            credentials::use_private_key_file(c, c_path(file), filetype, password)
        }))
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

// ---- features ferrossl does not have, answered as an OpenSSL built without them ----

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

// ---- application data slots ----

#[no_mangle]
pub unsafe extern "C" fn SSL_set_ex_data(ssl: *mut SSL, idx: c_int, data: *mut c_void) -> c_int {
    ffi_guard!(0, { try_ref!(ssl, 0).ex_data.set(idx, data) })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_get_ex_data(ssl: *const SSL, idx: c_int) -> *mut c_void {
    ffi_guard!(std::ptr::null_mut(), {
        try_ref!(ssl, std::ptr::null_mut()).ex_data.get(idx)
    })
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

/// Schedules new TLS 1.3 traffic keys (see `Connection::key_update`).
#[no_mangle]
pub unsafe extern "C" fn SSL_key_update(ssl: *mut SSL, updatetype: c_int) -> c_int {
    const SSL_KEY_UPDATE_NOT_REQUESTED: c_int = 0;
    const SSL_KEY_UPDATE_REQUESTED: c_int = 1;
    const SSL_R_INVALID_KEY_UPDATE_TYPE: c_int = 120;
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        if updatetype != SSL_KEY_UPDATE_NOT_REQUESTED && updatetype != SSL_KEY_UPDATE_REQUESTED {
            err::raise_ssl(SSL_R_INVALID_KEY_UPDATE_TYPE);
            return 0;
        }
        c_int::from(conn.key_update())
    })
}

/// No key update waits to be sent once `SSL_key_update` has queued it.
#[no_mangle]
pub unsafe extern "C" fn SSL_get_key_update_type(ssl: *const SSL) -> c_int {
    const SSL_KEY_UPDATE_NONE: c_int = -1;
    ffi_guard!(SSL_KEY_UPDATE_NONE, {
        try_ref!(ssl, SSL_KEY_UPDATE_NONE);
        SSL_KEY_UPDATE_NONE
    })
}

/// ferrossl does TLS over streams only.
#[no_mangle]
pub unsafe extern "C" fn SSL_is_dtls(ssl: *const SSL) -> c_int {
    ffi_guard!(0, {
        try_ref!(ssl, 0);
        0
    })
}

/// The session id context of this connection's sessions (a server's), as the context's.
#[no_mangle]
pub unsafe extern "C" fn SSL_set_session_id_context(
    ssl: *mut SSL,
    sid: *const c_uchar,
    len: c_uint,
) -> c_int {
    const SSL_MAX_SID_CTX_LENGTH: usize = 32;
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        let len = len as usize;
        if len > SSL_MAX_SID_CTX_LENGTH {
            err::raise_ssl(reason::SSL_R_SSL_SESSION_ID_CONTEXT_TOO_LONG);
            return 0;
        }
        conn.settings.session_id_context = if len == 0 || sid.is_null() {
            Vec::new()
        } else {
            // SAFETY: sid is readable for len bytes.
            unsafe { std::slice::from_raw_parts(sid, len) }.to_vec()
        };
        1
    })
}

/// Whether the context's session cache holds a session with this id.
#[no_mangle]
pub unsafe extern "C" fn SSL_has_matching_session_id(
    ssl: *const SSL,
    id: *const c_uchar,
    id_len: c_uint,
) -> c_int {
    ffi_guard!(0, {
        let conn = try_conn!(ssl, 0);
        let len = id_len as usize;
        if id.is_null() || len == 0 || len > 32 {
            return 0;
        }
        // SAFETY: id is readable for id_len bytes.
        let id = unsafe { std::slice::from_raw_parts(id, len) };
        c_int::from(conn.context().server_sessions.contains(id))
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

/// A server's shared suites as `NAME:NAME:...` in `buf` (NULL when none are known yet or
/// `buf` is too small for even one, as OpenSSL).
#[no_mangle]
pub unsafe extern "C" fn SSL_get_shared_ciphers(
    ssl: *const SSL,
    buf: *mut c_char,
    size: c_int,
) -> *mut c_char {
    ffi_guard!(std::ptr::null_mut(), {
        let conn = try_conn!(ssl, std::ptr::null_mut());
        let size = usize::try_from(size).unwrap_or(0);
        if buf.is_null() {
            return std::ptr::null_mut();
        }
        let Some(text) = conn.shared_cipher_list(size) else {
            return std::ptr::null_mut();
        };
        // SAFETY: buf has room for size bytes; text.len() < size leaves one for the NUL.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr() as *const c_char, buf, text.len());
            *buf.add(text.len()) = 0;
        }
        buf
    })
}

/// The suites this connection could use, in a new stack the caller frees.
#[no_mangle]
pub unsafe extern "C" fn SSL_get1_supported_ciphers(ssl: *mut SSL) -> *mut stack_st_SSL_CIPHER {
    ffi_guard!(std::ptr::null_mut(), {
        let conn = try_conn!(ssl, std::ptr::null_mut());
        crate::libcrypto::stack::BorrowingStack::new(conn.supported_ciphers())
            .map_or(std::ptr::null_mut(), |s| s.into_raw().cast())
    })
}

/// Drops the certificate and key set on the connection itself (the context's apply again).
#[no_mangle]
pub unsafe extern "C" fn SSL_certs_clear(ssl: *mut SSL) {
    ffi_guard!((), { try_conn!(ssl, ()).clear_own_credentials() })
}

/// ferrossl never renegotiates: 0, with `SSL_R_WRONG_SSL_VERSION` on TLS 1.3 (which has
/// no renegotiation) and `SSL_R_NO_RENEGOTIATION` otherwise, as OpenSSL with
/// `SSL_OP_NO_RENEGOTIATION`.
#[no_mangle]
pub unsafe extern "C" fn SSL_renegotiate(ssl: *mut SSL) -> c_int {
    const SSL_R_NO_RENEGOTIATION: c_int = 339;
    ffi_guard!(0, {
        let conn = try_conn!(ssl, 0);
        err::raise_ssl(
            if conn.version() == crate::codes::ssl_constants::TLS1_3_VERSION {
                reason::SSL_R_WRONG_SSL_VERSION
            } else {
                SSL_R_NO_RENEGOTIATION
            },
        );
        0
    })
}

/// The connection's own callback commands: the message callback (15).
#[no_mangle]
pub unsafe extern "C" fn SSL_callback_ctrl(
    ssl: *mut SSL,
    cmd: c_int,
    fp: Option<unsafe extern "C" fn()>,
) -> c_long {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        match cmd {
            crate::codes::ssl_constants::SSL_CTRL_SET_MSG_CALLBACK => {
                conn.settings.msg_callback = fp.map_or(0, |f| f as usize);
                1
            }
            _ => 0,
        }
    })
}

/// The TLS name of a group id (`x25519`, `secp256r1`, ...), NULL for one ferrossl does
/// not know.
#[no_mangle]
pub unsafe extern "C" fn SSL_group_to_name(ssl: *mut SSL, id: c_int) -> *const c_char {
    let _ = ssl;
    u16::try_from(id)
        .ok()
        .and_then(crate::config::groups::tls_name)
        .map_or(std::ptr::null(), |n| n.as_ptr())
}

/// A message callback that prints each record and message to the BIO passed as its
/// argument (as `SSL_set_msg_callback(ssl, SSL_trace)` with `SSL_set_msg_callback_arg`).
#[no_mangle]
pub unsafe extern "C" fn SSL_trace(
    write_p: c_int,
    version: c_int,
    content_type: c_int,
    buf: *const c_void,
    len: usize,
    ssl: *mut SSL,
    arg: *mut c_void,
) {
    let _ = ssl;
    ffi_guard!((), {
        if arg.is_null() || (buf.is_null() && len > 0) {
            return;
        }
        let bytes: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: buf is readable for len bytes, per the callback's contract.
            unsafe { std::slice::from_raw_parts(buf as *const u8, len) }
        };
        let text = crate::trace::trace_text::describe(write_p != 0, version, content_type, bytes);
        crate::libcrypto::bio::write_text(arg as *mut openssl_sys::BIO, &text);
    })
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
