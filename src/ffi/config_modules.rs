//! OpenSSL's configuration file, as libssl applies it: the `system_default` section of
//! the loaded configuration's `ssl_conf` module on every new context (before the
//! application's own settings), and named sections with `SSL_CTX_config`/`SSL_config`.
//! Each command goes through `SSL_CONF_cmd`, as in OpenSSL.

use std::os::raw::{c_char, c_int};

use super::ssl_conf::{SSL_CONF_cmd, SslConfCtx};
use super::{c_str, SSL, SSL_CTX};
use crate::config::conf_cmd::{
    SSL_CONF_FLAG_CERTIFICATE, SSL_CONF_FLAG_CLIENT, SSL_CONF_FLAG_FILE, SSL_CONF_FLAG_SERVER,
};
use crate::context::Role;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::ssl_conf_module;

const SSL_R_INVALID_CONFIGURATION_NAME: c_int = 113;
const SSL_CONF_FLAG_REQUIRE_PRIVATE: u32 = 0x40;

/// Applies the section `name` (`system_default` when `system`) to the context `ctx` or
/// the connection `ssl` (the other is NULL). A missing section or a failed command makes
/// a named section fail; the system section never fails, as in OpenSSL 3.0.
fn apply_section(
    ctx: *mut SSL_CTX,
    ssl: *mut SSL,
    name: Option<&str>,
    role: Role,
    system: bool,
) -> bool {
    let name = if system { Some("system_default") } else { name };
    let commands = name
        .and_then(|n| std::ffi::CString::new(n).ok())
        .and_then(|n| ssl_conf_module::section(&n));
    let Some(commands) = commands else {
        if !system {
            err::raise_ssl(SSL_R_INVALID_CONFIGURATION_NAME);
        }
        return system;
    };
    let mut flags = SSL_CONF_FLAG_FILE;
    if !system {
        flags |= SSL_CONF_FLAG_CERTIFICATE | SSL_CONF_FLAG_REQUIRE_PRIVATE;
    }
    if role != Role::Client {
        flags |= SSL_CONF_FLAG_SERVER;
    }
    if role != Role::Server {
        flags |= SSL_CONF_FLAG_CLIENT;
    }
    let mut cctx = SslConfCtx::attached(ctx, ssl, flags);
    let failed = commands
        .iter()
        // SAFETY: a live configuration context and NUL-terminated strings.
        .filter(|(cmd, arg)| unsafe { SSL_CONF_cmd(&mut cctx, cmd.as_ptr(), arg.as_ptr()) } <= 0)
        .count();
    cctx.finish();
    failed == 0 || system
}

/// Applies the loaded configuration's `system_default` section to a new context.
pub(crate) fn apply_system_default(ctx: *mut SSL_CTX, role: Role) {
    apply_section(ctx, std::ptr::null_mut(), None, role, true);
}

/// Applies the `ssl_conf` section `name` of the loaded configuration: 1, or 0 when there
/// is no such section (`SSL_R_INVALID_CONFIGURATION_NAME`) or a command in it failed.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_config(ctx: *mut SSL_CTX, name: *const c_char) -> c_int {
    ffi_guard!(0, {
        let role = try_ref!(ctx, 0).method().role;
        let name = c_str(name);
        c_int::from(apply_section(
            ctx,
            std::ptr::null_mut(),
            name.as_deref(),
            role,
            false,
        ))
    })
}

/// As `SSL_CTX_config`, for one connection.
#[no_mangle]
pub unsafe extern "C" fn SSL_config(ssl: *mut SSL, name: *const c_char) -> c_int {
    ffi_guard!(0, {
        let role = try_conn!(ssl, 0).context().method().role;
        let name = c_str(name);
        c_int::from(apply_section(
            std::ptr::null_mut(),
            ssl,
            name.as_deref(),
            role,
            false,
        ))
    })
}
