//! `SSL_CONF_CTX_*` and `SSL_CONF_cmd`: configuration commands applied to a context or
//! connection (nginx's `ssl_conf_command`, configuration modules). The command table is
//! in [`crate::config::conf_cmd`]; each command is carried out through the same entry points
//! an application would call.

use std::ffi::CString;
use std::os::raw::{c_char, c_int};

use std::path::Path;

use super::{absent_features, c_str, client_ca_list, ctrl, ssl, ssl_ctx, SSL, SSL_CTX};
use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::config::conf_cmd::{
    self, Action, Refusal, StoreSource, StoreUse, SSL_CONF_FLAG_SHOW_ERRORS,
};
use crate::context::Settings;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::name_stack::{self, RawNameStack};
use crate::libcrypto::pkey;
use crate::libcrypto::store::CertStore;

const SSL_R_INVALID_NULL_CMD_NAME: c_int = 385;
const SSL_R_UNKNOWN_CMD_NAME: c_int = 386;

/// `SSL_CONF_CTX`: flags and the object the commands apply to.
pub struct SslConfCtx {
    flags: u32,
    /// `SSL_CONF_CTX_set1_prefix`: what every command name starts with.
    prefix: Option<String>,
    ctx: *mut SSL_CTX,
    ssl: *mut SSL,
    /// The CA names `RequestCAFile` gathered: the CA list at `SSL_CONF_CTX_finish`.
    ca_names: *mut RawNameStack,
}

impl Drop for SslConfCtx {
    fn drop(&mut self) {
        name_stack::free_stack(self.ca_names);
    }
}

impl SslConfCtx {
    /// A configuration context for `ctx` or `ssl` (the other NULL) with `flags`, as a
    /// configuration module makes one.
    pub(crate) fn attached(ctx: *mut SSL_CTX, ssl: *mut SSL, flags: u32) -> Self {
        Self {
            flags,
            prefix: None,
            ctx,
            ssl,
            ca_names: std::ptr::null_mut(),
        }
    }
}

#[allow(non_camel_case_types)]
pub type SSL_CONF_CTX = SslConfCtx;

#[no_mangle]
pub unsafe extern "C" fn SSL_CONF_CTX_new() -> *mut SSL_CONF_CTX {
    ffi_guard!(std::ptr::null_mut(), {
        Box::into_raw(Box::new(SslConfCtx::attached(
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        )))
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CONF_CTX_free(cctx: *mut SSL_CONF_CTX) {
    ffi_guard!((), {
        if !cctx.is_null() {
            // SAFETY: a pointer from SSL_CONF_CTX_new, given up by the caller.
            drop(unsafe { Box::from_raw(cctx) });
        }
    })
}

/// Adds flags; returns the new set.
#[no_mangle]
pub unsafe extern "C" fn SSL_CONF_CTX_set_flags(cctx: *mut SSL_CONF_CTX, flags: u32) -> u32 {
    ffi_guard!(0, {
        // SAFETY: NULL or a live SSL_CONF_CTX, per OpenSSL's contract.
        let Some(c) = (unsafe { cctx.as_mut() }) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        c.flags |= flags;
        c.flags
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CONF_CTX_clear_flags(cctx: *mut SSL_CONF_CTX, flags: u32) -> u32 {
    ffi_guard!(0, {
        // SAFETY: NULL or a live SSL_CONF_CTX.
        let Some(c) = (unsafe { cctx.as_mut() }) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        c.flags &= !flags;
        c.flags
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CONF_CTX_set_ssl_ctx(cctx: *mut SSL_CONF_CTX, ctx: *mut SSL_CTX) {
    ffi_guard!((), {
        // SAFETY: NULL or a live SSL_CONF_CTX.
        if let Some(c) = unsafe { cctx.as_mut() } {
            c.ctx = ctx;
            c.ssl = std::ptr::null_mut();
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CONF_CTX_set_ssl(cctx: *mut SSL_CONF_CTX, ssl: *mut SSL) {
    ffi_guard!((), {
        // SAFETY: NULL or a live SSL_CONF_CTX.
        if let Some(c) = unsafe { cctx.as_mut() } {
            c.ssl = ssl;
            c.ctx = std::ptr::null_mut();
        }
    })
}

/// The CA names `RequestCAFile`/`ClientCAFile` gathered become the CA list of the
/// context or connection; every other command took effect when it was given.
#[no_mangle]
pub unsafe extern "C" fn SSL_CONF_CTX_finish(cctx: *mut SSL_CONF_CTX) -> c_int {
    ffi_guard!(0, {
        // SAFETY: NULL or a live SSL_CONF_CTX, per OpenSSL's contract.
        let Some(c) = (unsafe { cctx.as_mut() }) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        c.finish();
        1
    })
}

impl SslConfCtx {
    /// Hands the gathered CA names to the object attached (or drops them).
    pub(crate) fn finish(&mut self) {
        let names = std::mem::replace(&mut self.ca_names, std::ptr::null_mut());
        if names.is_null() {
            return;
        }
        // SAFETY: the live objects the application attached; each takes the stack.
        unsafe {
            if !self.ssl.is_null() {
                client_ca_list::SSL_set0_CA_list(self.ssl, names);
            } else if !self.ctx.is_null() {
                client_ca_list::SSL_CTX_set0_CA_list(self.ctx, names);
            } else {
                name_stack::free_stack(names);
            }
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CONF_cmd_value_type(
    cctx: *mut SSL_CONF_CTX,
    cmd: *const c_char,
) -> c_int {
    ffi_guard!(conf_cmd::SSL_CONF_TYPE_UNKNOWN, {
        let c = try_ref!(cctx, conf_cmd::SSL_CONF_TYPE_UNKNOWN);
        c_str(cmd)
            .and_then(|cmd| conf_cmd::without_prefix(&cmd, c.prefix.as_deref(), c.flags))
            .map_or(conf_cmd::SSL_CONF_TYPE_UNKNOWN, |cmd| {
                conf_cmd::value_type(&cmd, c.flags)
            })
    })
}

/// 2 when the value was used, 1 for a command without one, -2 for a command it does
/// not know, -3 for a missing value, 0 when the command failed.
#[no_mangle]
pub unsafe extern "C" fn SSL_CONF_cmd(
    cctx: *mut SSL_CONF_CTX,
    cmd: *const c_char,
    value: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        // SAFETY: NULL or a live SSL_CONF_CTX, per OpenSSL's contract.
        let Some(c) = (unsafe { cctx.as_mut() }) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        let Some(name) = c_str(cmd) else {
            err::raise_ssl(SSL_R_INVALID_NULL_CMD_NAME);
            return 0;
        };
        let value = c_str(value);
        let Some(name) = conf_cmd::without_prefix(&name, c.prefix.as_deref(), c.flags) else {
            if c.flags & SSL_CONF_FLAG_SHOW_ERRORS != 0 {
                err::raise_ssl(SSL_R_UNKNOWN_CMD_NAME);
            }
            return -2;
        };
        let actions = match conf_cmd::parse(&name, value.as_deref(), c.flags) {
            Ok(a) => a,
            Err(Refusal::Unknown) => {
                if c.flags & SSL_CONF_FLAG_SHOW_ERRORS != 0 {
                    err::raise_ssl(SSL_R_UNKNOWN_CMD_NAME);
                }
                return -2;
            }
            Err(Refusal::MissingValue) => return -3,
            Err(Refusal::BadValue) => return bad_value(c),
            Err(Refusal::PartlyApplied(actions)) => {
                if !c.ctx.is_null() || !c.ssl.is_null() {
                    for a in &actions {
                        apply(c, a);
                    }
                }
                return bad_value(c);
            }
        };
        // With nothing attached, OpenSSL accepts the command and does nothing.
        let attached = !c.ctx.is_null() || !c.ssl.is_null();
        if attached && !actions.iter().all(|a| apply(c, a)) {
            return bad_value(c);
        }
        if conf_cmd::takes_value(&name, c.flags) {
            2
        } else {
            1
        }
    })
}

/// A command that failed: 0, and `SSL_R_BAD_VALUE` when errors are to be shown.
fn bad_value(c: &SslConfCtx) -> c_int {
    if c.flags & SSL_CONF_FLAG_SHOW_ERRORS != 0 {
        err::raise_ssl(reason::SSL_R_BAD_VALUE);
    }
    0
}

/// Carries out one action on the context or connection; false if it failed.
fn apply(c: &mut SslConfCtx, action: &Action) -> bool {
    let text = |s: &str| CString::new(s).ok();
    let (ctx, s) = (c.ctx, c.ssl);
    let on_ctx = !ctx.is_null();
    // A ctrl command that takes a list as a string, on the context or the connection.
    let list_ctrl = |cmd, v: &str| {
        text(v).is_some_and(|v| {
            let p = v.as_ptr() as *mut std::os::raw::c_void;
            // SAFETY: as below; the string outlives the call.
            1 == unsafe {
                if on_ctx {
                    ctrl::SSL_CTX_ctrl(ctx, cmd, 0, p)
                } else {
                    ctrl::SSL_ctrl(s, cmd, 0, p)
                }
            }
        })
    };
    // SAFETY: ctx and ssl are the live objects the application attached; each call has
    // that function's contract, with NUL-terminated strings made here.
    unsafe {
        match action {
            Action::CipherList(v) => text(v).is_some_and(|v| {
                1 == if on_ctx {
                    ssl_ctx::SSL_CTX_set_cipher_list(ctx, v.as_ptr())
                } else {
                    ssl::SSL_set_cipher_list(s, v.as_ptr())
                }
            }),
            Action::Ciphersuites(v) => text(v).is_some_and(|v| {
                1 == if on_ctx {
                    ssl_ctx::SSL_CTX_set_ciphersuites(ctx, v.as_ptr())
                } else {
                    ssl::SSL_set_ciphersuites(s, v.as_ptr())
                }
            }),
            Action::MinVersion(v) | Action::MaxVersion(v) => {
                let cmd = if matches!(action, Action::MinVersion(_)) {
                    SSL_CTRL_SET_MIN_PROTO_VERSION
                } else {
                    SSL_CTRL_SET_MAX_PROTO_VERSION
                };
                let larg = std::os::raw::c_long::from(*v);
                1 == if on_ctx {
                    ctrl::SSL_CTX_ctrl(ctx, cmd, larg, std::ptr::null_mut())
                } else {
                    ctrl::SSL_ctrl(s, cmd, larg, std::ptr::null_mut())
                }
            }
            Action::Groups(v) => list_ctrl(SSL_CTRL_SET_GROUPS_LIST, v),
            Action::Sigalgs(cmd, v) => list_ctrl(*cmd, v),
            Action::SetOptions(bits) => {
                if on_ctx {
                    ssl_ctx::SSL_CTX_set_options(ctx, *bits);
                } else {
                    ssl::SSL_set_options(s, *bits);
                }
                true
            }
            Action::ClearOptions(bits) => {
                if on_ctx {
                    ssl_ctx::SSL_CTX_clear_options(ctx, *bits);
                } else {
                    ssl::SSL_clear_options(s, *bits);
                }
                true
            }
            Action::CertificateFile(v) => text(v).is_some_and(|v| {
                1 == if on_ctx {
                    ssl_ctx::SSL_CTX_use_certificate_chain_file(ctx, v.as_ptr())
                } else {
                    ssl::SSL_use_certificate_chain_file(s, v.as_ptr())
                }
            }),
            Action::PrivateKeyFile(v) => text(v).is_some_and(|v| {
                1 == if on_ctx {
                    ssl_ctx::SSL_CTX_use_PrivateKey_file(ctx, v.as_ptr(), SSL_FILETYPE_PEM)
                } else {
                    ssl::SSL_use_PrivateKey_file(s, v.as_ptr(), SSL_FILETYPE_PEM)
                }
            }),
            Action::VerifyMode(set, clear) => with_settings(ctx, s, |settings| {
                settings.verify_mode = (settings.verify_mode | set) & !clear;
                true
            }),
            Action::RecordPadding(size) => {
                1 == if on_ctx {
                    absent_features::SSL_CTX_set_block_padding(ctx, *size)
                } else {
                    absent_features::SSL_set_block_padding(s, *size)
                }
            }
            Action::NumTickets(n) => {
                1 == if on_ctx {
                    ssl_ctx::SSL_CTX_set_num_tickets(ctx, *n)
                } else {
                    ssl::SSL_set_num_tickets(s, *n)
                }
            }
            Action::LoadStore(which, source) => with_settings(ctx, s, |settings| match which {
                StoreUse::Chain => load_store(&mut settings.chain_store, source),
                StoreUse::Verify => load_store(&mut settings.verify_store, source),
            }),
            Action::RequestCaNames(source) => {
                if c.ca_names.is_null() {
                    c.ca_names = name_stack::new_stack(&[]);
                }
                let names = c.ca_names;
                match source {
                    StoreSource::File(f) => text(f).is_some_and(|f| {
                        1 == client_ca_list::SSL_add_file_cert_subjects_to_stack(names, f.as_ptr())
                    }),
                    StoreSource::Dir(d) => text(d).is_some_and(|d| {
                        1 == client_ca_list::SSL_add_dir_cert_subjects_to_stack(names, d.as_ptr())
                    }),
                }
            }
            Action::DhParameters(v) => text(v).is_some_and(|v| {
                let key = pkey::dh_parameters_from_file(&v);
                !key.is_null()
                    && 1 == if on_ctx {
                        ssl_ctx::SSL_CTX_set0_tmp_dh_pkey(ctx, key)
                    } else {
                        ssl_ctx::SSL_set0_tmp_dh_pkey(s, key)
                    }
            }),
        }
    }
}

/// Runs `f` on the settings of the context, or else of the connection.
fn with_settings(ctx: *mut SSL_CTX, s: *mut SSL, f: impl FnOnce(&mut Settings) -> bool) -> bool {
    if !ctx.is_null() {
        f(&mut try_ref!(ctx, false).settings())
    } else {
        f(&mut try_conn!(s, false).settings)
    }
}

/// Loads a file or directory of certificates into a chain or verify store, made empty
/// first where there is none (as OpenSSL does).
fn load_store(store: &mut Option<CertStore>, source: &StoreSource) -> bool {
    if store.is_none() {
        *store = CertStore::new();
    }
    store.as_ref().is_some_and(|st| match source {
        StoreSource::File(f) => st.load_file(Path::new(f)),
        StoreSource::Dir(d) => st.load_dir(Path::new(d)),
    })
}

/// Every command name must start with `pre` (NULL: no prefix), which is taken off before
/// the name is looked up.
#[no_mangle]
pub unsafe extern "C" fn SSL_CONF_CTX_set1_prefix(
    cctx: *mut SSL_CONF_CTX,
    pre: *const c_char,
) -> c_int {
    ffi_guard!(0, {
        // SAFETY: NULL or a live SSL_CONF_CTX, per OpenSSL's contract.
        let Some(c) = (unsafe { cctx.as_mut() }) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return 0;
        };
        c.prefix = c_str(pre).map(|p| p.into_owned());
        1
    })
}

/// Processes the command at `(*pargv)[0]` (with its value at `[1]`) as a command-line
/// option, moving `*pargv` and `*pargc` past what it used: the count used, 0 for an
/// option it does not know, -1 when the command failed, -3 for a missing value.
#[no_mangle]
pub unsafe extern "C" fn SSL_CONF_cmd_argv(
    cctx: *mut SSL_CONF_CTX,
    pargc: *mut c_int,
    pargv: *mut *mut *mut c_char,
) -> c_int {
    ffi_guard!(-1, {
        // SAFETY: NULL or a live SSL_CONF_CTX, per OpenSSL's contract.
        let Some(c) = (unsafe { cctx.as_mut() }) else {
            err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
            return -1;
        };
        if pargv.is_null() {
            return 0;
        }
        // SAFETY: pargc is NULL or the caller's count; *pargv holds at least that many
        // arguments (or, without a count, a NULL-terminated list).
        unsafe {
            let count = pargc.as_ref().copied();
            if count == Some(0) || (*pargv).is_null() {
                return 0;
            }
            let arg = **pargv;
            if arg.is_null() {
                return 0;
            }
            let next = if count.map_or(true, |n| n > 1) {
                *(*pargv).add(1)
            } else {
                std::ptr::null_mut()
            };
            c.flags &= !conf_cmd::SSL_CONF_FLAG_FILE;
            c.flags |= conf_cmd::SSL_CONF_FLAG_CMDLINE;
            match SSL_CONF_cmd(cctx, arg, next) {
                used @ 1.. => {
                    *pargv = (*pargv).add(used as usize);
                    if let Some(n) = pargc.as_mut() {
                        *n -= used;
                    }
                    used
                }
                -2 => 0,
                0 => -1,
                other => other,
            }
        }
    })
}
