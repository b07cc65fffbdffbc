//! The `ssl_conf` module of the configuration libcrypto loaded (`openssl.cnf` or
//! `OPENSSL_CONF`): its named sections of SSL configuration commands, which libcrypto
//! keeps for libssl (`conf_ssl_name_find`, `conf_ssl_get`, `conf_ssl_get_cmd`).

use std::ffi::{CStr, CString};
use std::os::raw::{c_char, c_int, c_void};

extern "C" {
    fn conf_ssl_name_find(name: *const c_char, idx: *mut usize) -> c_int;
    fn conf_ssl_get(idx: usize, name: *mut *const c_char, cnt: *mut usize) -> *const c_void;
    fn conf_ssl_get_cmd(
        cmd: *const c_void,
        idx: usize,
        cmdstr: *mut *mut c_char,
        arg: *mut *mut c_char,
    );
}

/// The (command, value) pairs of the section `name`, in the file's order; `None` when
/// the loaded configuration has no such section.
pub fn section(name: &CStr) -> Option<Vec<(CString, CString)>> {
    let mut idx = 0usize;
    // SAFETY: a NUL-terminated name and an out-parameter; libcrypto only reads its table.
    if unsafe { conf_ssl_name_find(name.as_ptr(), &mut idx) } != 1 {
        return None;
    }
    let (mut section_name, mut count) = (std::ptr::null(), 0usize);
    // SAFETY: idx came from conf_ssl_name_find; the table lives as long as the loaded
    // configuration, and the strings are copied below before anything can unload it.
    let cmds = unsafe { conf_ssl_get(idx, &mut section_name, &mut count) };
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let (mut cmd, mut arg) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: i < count for the section conf_ssl_get described.
        unsafe { conf_ssl_get_cmd(cmds, i, &mut cmd, &mut arg) };
        if cmd.is_null() || arg.is_null() {
            continue;
        }
        // SAFETY: NUL-terminated strings owned by libcrypto's table.
        let (cmd, arg) = unsafe { (CStr::from_ptr(cmd), CStr::from_ptr(arg)) };
        out.push((cmd.to_owned(), arg.to_owned()));
    }
    Some(out)
}
