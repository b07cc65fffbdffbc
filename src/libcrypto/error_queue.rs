//! Pushing ferrossl's failures onto libcrypto's error queue, as OpenSSL's `ERR_raise` does.

use std::ffi::CString;
use std::os::raw::{c_int, c_ulong};
use std::sync::OnceLock;

use super::extra;
use super::sys;

pub(crate) const ERR_LIB_SYS: c_int = 2;
pub(crate) const ERR_LIB_PEM: c_int = 9;
pub(crate) const ERR_LIB_SSL: c_int = 20;
pub(crate) const ERR_LIB_BIO: c_int = 32;

const ERR_RFLAG_FATAL: c_int = 0x1 << 18;
const ERR_RFLAG_COMMON: c_int = 0x2 << 18;
pub(crate) const ERR_R_SYS_LIB: c_int = ERR_LIB_SYS | ERR_RFLAG_COMMON;
pub(crate) const ERR_R_PEM_LIB: c_int = ERR_LIB_PEM | ERR_RFLAG_COMMON;
pub(crate) const ERR_R_BIO_LIB: c_int = ERR_LIB_BIO | ERR_RFLAG_COMMON;
pub(crate) const ERR_R_MALLOC_FAILURE: c_int = 256 | ERR_RFLAG_FATAL | ERR_RFLAG_COMMON;
pub(crate) const ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED: c_int =
    257 | ERR_RFLAG_FATAL | ERR_RFLAG_COMMON;
pub(crate) const ERR_R_PASSED_NULL_PARAMETER: c_int = 258 | ERR_RFLAG_FATAL | ERR_RFLAG_COMMON;
pub(crate) const ERR_R_INTERNAL_ERROR: c_int = 259 | ERR_RFLAG_FATAL | ERR_RFLAG_COMMON;
pub(crate) const ERR_R_PASSED_INVALID_ARGUMENT: c_int = 262 | ERR_RFLAG_COMMON;
pub(crate) const ERR_R_UNSUPPORTED: c_int = 268 | ERR_RFLAG_COMMON;
pub(crate) const BIO_R_NO_SUCH_FILE: c_int = 128;
pub(crate) const PEM_R_NO_START_LINE: c_int = 108;

/// Pushes one error with library `lib` and reason `reason`.
pub fn raise(lib: c_int, reason: c_int) {
    // SAFETY: ERR_new/ERR_set_error only touch this thread's error state; the format
    // string is NULL, so no variadic argument is read.
    unsafe {
        sys::ERR_new();
        sys::ERR_set_error(lib, reason, std::ptr::null());
    }
}

/// Pushes an `ERR_LIB_SSL` error.
pub fn raise_ssl(reason: c_int) {
    raise(ERR_LIB_SSL, reason);
}

/// Pushes what libcrypto pushes when it cannot open a file, then the SSL error on top.
pub fn raise_file_open(err: &std::io::Error) {
    let errno = err.raw_os_error().unwrap_or(libc::EIO);
    raise(ERR_LIB_SYS, errno);
    if err.kind() == std::io::ErrorKind::NotFound {
        raise(ERR_LIB_BIO, BIO_R_NO_SUCH_FILE);
    } else {
        raise(ERR_LIB_BIO, ERR_R_SYS_LIB);
    }
    raise_ssl(ERR_R_SYS_LIB);
}

/// The oldest error on the queue, without removing it (0 when the queue is empty).
pub fn peek_first() -> c_ulong {
    // SAFETY: reads this thread's error queue only.
    unsafe { extra::ERR_peek_error() }
}

/// The library of a packed error code.
pub fn lib_of(code: c_ulong) -> c_int {
    // Since 3.0, system errors carry a flag bit instead of a library number.
    if code & 0x8000_0000 != 0 {
        return ERR_LIB_SYS;
    }
    ((code >> 23) & 0xff) as c_int
}

/// Empties this thread's error queue.
pub fn clear() {
    // SAFETY: touches this thread's error state only.
    unsafe { sys::ERR_clear_error() }
}

/// The reason text of the oldest queued error (`certificate verify failed`), if any.
pub fn first_reason_text() -> Option<String> {
    let e = peek_first();
    if e == 0 {
        return None;
    }
    // SAFETY: libcrypto returns a static string or NULL.
    let p = unsafe { sys::ERR_reason_error_string(e) };
    if p.is_null() {
        return Some(format!("error {e:#x}"));
    }
    // SAFETY: a NUL-terminated static string from libcrypto.
    Some(
        unsafe { std::ffi::CStr::from_ptr(p) }
            .to_string_lossy()
            .into_owned(),
    )
}

/// Runs `f`, dropping whatever errors it leaves on the queue (errors queued before stay).
pub fn discarding_errors<R>(f: impl FnOnce() -> R) -> R {
    extern "C" {
        fn ERR_set_mark() -> std::os::raw::c_int;
        fn ERR_pop_to_mark() -> std::os::raw::c_int;
    }
    // SAFETY: both touch this thread's error state only.
    unsafe { ERR_set_mark() };
    let r = f();
    // SAFETY: as above; pops back to the mark set here.
    unsafe { ERR_pop_to_mark() };
    r
}

/// Empties the error queue and resets `errno`, as each OpenSSL handshake step begins.
pub fn clear_all() {
    clear();
    // SAFETY: errno is this thread's own variable.
    unsafe { *libc::__errno_location() = 0 };
}

/// Registers the `ERR_LIB_SSL` reason strings so that `ERR_error_string_n` prints
/// OpenSSL's texts for our errors. Done once per process.
pub fn load_ssl_strings(table: &'static [(c_int, &'static str)]) {
    /// The registered table: libcrypto keeps pointers into it for the life of the process,
    /// so it lives in a static (which also keeps leak checkers from reporting it).
    struct Registered {
        _table: Vec<extra::ERR_STRING_DATA>,
        _texts: Vec<CString>,
    }
    // SAFETY: written once before registration, read-only afterwards.
    unsafe impl Send for Registered {}
    // SAFETY: as above.
    unsafe impl Sync for Registered {}
    static LOADED: OnceLock<Registered> = OnceLock::new();
    LOADED.get_or_init(|| {
        let texts: Vec<CString> = table
            .iter()
            .map(|&(_, text)| CString::new(text).expect("reason text has no NUL"))
            .collect();
        let mut data: Vec<extra::ERR_STRING_DATA> = table
            .iter()
            .zip(&texts)
            .map(|(&(reason, _), text)| extra::ERR_STRING_DATA {
                error: ((ERR_LIB_SSL as c_ulong) << 23) | reason as c_ulong,
                string: text.as_ptr(),
            })
            .collect();
        data.push(extra::ERR_STRING_DATA {
            error: 0,
            string: std::ptr::null(),
        });
        // SAFETY: the table is NUL-terminated; it and its strings live in the static.
        unsafe {
            extra::ERR_load_strings_const(data.as_ptr());
        }
        Registered {
            _table: data,
            _texts: texts,
        }
    });
}
