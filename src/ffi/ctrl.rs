//! `SSL_ctrl` / `SSL_CTX_ctrl`: the numbered commands behind OpenSSL's option macros
//! (`SSL_CTX_set_mode`, `SSL_set_tlsext_host_name`, `SSL_CTX_set_min_proto_version`, ...).

use std::ffi::{CStr, CString};
use std::os::raw::{c_char, c_int, c_long, c_void};

use super::{c_str, SSL, SSL_CTX};
use std::sync::Arc;

use crate::codes::ssl_constants::*;
use crate::config::groups;
use crate::config::protocol_version;
use crate::context::{ServernameCallback, Settings, StatusCallback};
use crate::credentials::Selection;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::store::CertStore;
use crate::libcrypto::ticket_keys::{HmacTicketKeyFn, TicketKeyCallback};
use crate::libcrypto::x509::{Certificate, CertificateStack};

const SSL_R_SSL3_EXT_INVALID_SERVERNAME: c_int = 319;
const SSL_R_SSL3_EXT_INVALID_SERVERNAME_TYPE: c_int = 320;
const TLSEXT_MAXLEN_HOST_NAME: usize = 255;

/// The commands that read or change [`Settings`], shared by both ctrl functions.
/// `None` when `cmd` is not one of them.
fn settings_ctrl(s: &mut Settings, cmd: c_int, larg: c_long, parg: *mut c_void) -> Option<c_long> {
    Some(match cmd {
        SSL_CTRL_SET_MSG_CALLBACK_ARG => {
            s.msg_callback_arg = parg as usize;
            1
        }
        SSL_CTRL_MODE => {
            s.mode |= larg;
            s.mode
        }
        SSL_CTRL_CLEAR_MODE => {
            s.mode &= !larg;
            s.mode
        }
        SSL_CTRL_SET_MIN_PROTO_VERSION | SSL_CTRL_SET_MAX_PROTO_VERSION => {
            let Ok(v) = c_int::try_from(larg) else {
                return Some(0);
            };
            if !protocol_version::is_valid_bound(v) {
                return Some(0);
            }
            if cmd == SSL_CTRL_SET_MIN_PROTO_VERSION {
                s.min_version = v;
            } else {
                s.max_version = v;
            }
            1
        }
        SSL_CTRL_GET_MIN_PROTO_VERSION => c_long::from(s.min_version),
        SSL_CTRL_GET_MAX_PROTO_VERSION => c_long::from(s.max_version),
        SSL_CTRL_GET_READ_AHEAD => s.read_ahead,
        SSL_CTRL_SET_READ_AHEAD => std::mem::replace(&mut s.read_ahead, larg),
        SSL_CTRL_SET_GROUPS_LIST => {
            let Some(list) = c_str(parg as *const c_char) else {
                err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
                return Some(0);
            };
            set_groups(s, groups::parse_list(&list))
        }
        SSL_CTRL_SET_GROUPS => {
            let Ok(n) = usize::try_from(larg) else {
                return Some(0);
            };
            if parg.is_null() || n == 0 {
                return Some(0);
            }
            // SAFETY: parg points at larg NIDs, per SSL_CTX_set1_groups' contract.
            let nids = unsafe { std::slice::from_raw_parts(parg as *const c_int, n) };
            set_groups(s, groups::from_nids(nids))
        }
        SSL_CTRL_SET_TMP_ECDH => {
            // The key's curve becomes the only group, as OpenSSL 3 does.
            let nid = crate::libcrypto::pkey::ec_key_curve_nid(parg);
            set_groups(s, nid.and_then(|n| groups::from_nids(&[n])))
        }
        // DH parameters only matter to DHE suites, which ferrossl does not offer (as with
        // OpenSSL when a cipher string leaves them out): accepted and unused.
        SSL_CTRL_SET_TMP_DH => {
            if parg.is_null() {
                err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
                return Some(0);
            }
            1
        }
        SSL_CTRL_SET_DH_AUTO => 1,
        // set1 (larg 1) takes a new reference, set0 the caller's; NULL unsets.
        SSL_CTRL_SET_VERIFY_CERT_STORE | SSL_CTRL_SET_CHAIN_CERT_STORE => {
            let store = parg as *mut openssl_sys::X509_STORE;
            let store = if larg == 0 {
                CertStore::adopt(store)
            } else {
                CertStore::up_ref(store)
            };
            if cmd == SSL_CTRL_SET_VERIFY_CERT_STORE {
                s.verify_store = store;
            } else {
                s.chain_store = store;
            }
            1
        }
        SSL_CTRL_GET_VERIFY_CERT_STORE | SSL_CTRL_GET_CHAIN_CERT_STORE if !parg.is_null() => {
            let store = if cmd == SSL_CTRL_GET_VERIFY_CERT_STORE {
                &s.verify_store
            } else {
                &s.chain_store
            };
            let store = store
                .as_ref()
                .map_or(std::ptr::null_mut(), |st| st.as_ptr());
            // SAFETY: parg is the caller's `X509_STORE **`.
            unsafe { *(parg as *mut *mut openssl_sys::X509_STORE) = store };
            1
        }
        SSL_CTRL_SET_SIGALGS_LIST | SSL_CTRL_SET_CLIENT_SIGALGS_LIST => {
            let Some(list) = c_str(parg as *const c_char) else {
                err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
                return Some(0);
            };
            // An unknown or repeated name fails the whole list, leaving the old one.
            let Some(parsed) = crate::config::signature_scheme::parse_list(&list) else {
                return Some(0);
            };
            if cmd == SSL_CTRL_SET_SIGALGS_LIST {
                s.sigalgs = Some(parsed);
            } else {
                s.client_sigalgs = Some(parsed);
            }
            1
        }
        _ => return None,
    })
}

fn set_groups(s: &mut Settings, groups: Option<Vec<rustls::NamedGroup>>) -> c_long {
    match groups {
        Some(g) => {
            s.groups = g;
            1
        }
        None => 0,
    }
}

#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_ctrl(
    ctx: *mut SSL_CTX,
    cmd: c_int,
    larg: c_long,
    parg: *mut c_void,
) -> c_long {
    ffi_guard!(0, {
        let ctx = try_ref!(ctx, 0);
        if let Some(r) = settings_ctrl(&mut ctx.settings(), cmd, larg, parg) {
            return r;
        }
        match cmd {
            SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG => {
                *ctx.servername_arg.lock().unwrap_or_else(|e| e.into_inner()) = parg as usize;
                1
            }
            SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB_ARG => {
                *ctx.status_arg.lock().unwrap_or_else(|e| e.into_inner()) = parg as usize;
                1
            }
            SSL_CTRL_SET_SESS_CACHE_MODE => {
                ctx.server_sessions.set_mode(larg);
                std::mem::replace(&mut ctx.settings().session_cache_mode, larg)
            }
            SSL_CTRL_SET_SESS_CACHE_SIZE => ctx.server_sessions.set_size(larg),
            SSL_CTRL_GET_SESS_CACHE_SIZE => ctx.server_sessions.size(),
            SSL_CTRL_SESS_NUMBER..=SSL_CTRL_SESS_CACHE_FULL => session_statistic(ctx, cmd),
            SSL_CTRL_GET_SESS_CACHE_MODE => ctx.settings().session_cache_mode,
            // The context takes over the caller's reference (add0).
            SSL_CTRL_EXTRA_CHAIN_CERT => match chain_cert(parg, 0) {
                Some(cert) => {
                    ctx.with_credentials(|c| c.chain.push(cert));
                    1
                }
                None => 0,
            },
            SSL_CTRL_CHAIN => {
                let certs = chain_stack(parg, larg);
                ctx.with_credentials(|c| c.chain = certs);
                1
            }
            SSL_CTRL_CHAIN_CERT => match chain_cert(parg, larg) {
                Some(cert) => {
                    ctx.with_credentials(|c| c.chain.push(cert));
                    1
                }
                None => 0,
            },
            SSL_CTRL_CLEAR_EXTRA_CHAIN_CERTS => {
                ctx.with_credentials(|c| c.chain.clear());
                1
            }
            SSL_CTRL_GET_EXTRA_CHAIN_CERTS | SSL_CTRL_GET_CHAIN_CERTS => {
                let chain = ctx.credentials().chain;
                hand_out_chain(ctx.chain_stack(&chain), parg)
            }
            SSL_CTRL_SET_CURRENT_CERT | SSL_CTRL_SELECT_CURRENT_CERT => {
                match current_cert_choice(cmd, larg, parg) {
                    Some(choice) => {
                        c_long::from(ctx.with_credentials(|c| c.select_current(&choice)))
                    }
                    None => 0,
                }
            }
            _ => 0,
        }
    })
}

/// Which certificate `SSL_CTRL_SET_CURRENT_CERT` (`SSL_CERT_SET_FIRST` or
/// `SSL_CERT_SET_NEXT` in `larg`) or `SSL_CTRL_SELECT_CURRENT_CERT` (the `X509` in `parg`)
/// makes current. `SSL_CERT_SET_SERVER` is not offered: 0, as for an unknown operation.
fn current_cert_choice(cmd: c_int, larg: c_long, parg: *mut c_void) -> Option<Selection> {
    match (cmd, larg) {
        (SSL_CTRL_SELECT_CURRENT_CERT, _) => {
            Certificate::up_ref(parg as *mut openssl_sys::X509).map(Selection::Matching)
        }
        (_, SSL_CERT_SET_FIRST) => Some(Selection::First),
        (_, SSL_CERT_SET_NEXT) => Some(Selection::Next),
        _ => None,
    }
}

/// A chain certificate from `parg`: the caller's reference is taken over when `larg` is 0
/// (add0), a new one is taken when it is 1 (add1).
fn chain_cert(parg: *mut c_void, larg: c_long) -> Option<Certificate> {
    let cert = Certificate::up_ref(parg as *mut openssl_sys::X509)?;
    if larg == 0 {
        // SAFETY: parg is the X509 whose reference the caller handed over; up_ref added ours.
        unsafe { openssl_sys::X509_free(parg as *mut openssl_sys::X509) };
    }
    Some(cert)
}

/// The certificates of a `STACK_OF(X509)` for `SSL_CTRL_CHAIN`: with `larg` 0 (set0) the
/// stack and its references are taken over (and freed here once copied), with 1 (set1)
/// they stay the caller's. NULL clears the chain.
fn chain_stack(parg: *mut c_void, larg: c_long) -> Vec<Certificate> {
    let sk = parg as *mut openssl_sys::stack_st_X509;
    let certs = CertificateStack::read(sk);
    if larg == 0 && !sk.is_null() {
        drop(CertificateStack::adopt(sk));
    }
    certs
}

/// Writes a chain stack (owned by the object) to `*parg`, as `SSL_CTX_get0_chain_certs`.
fn hand_out_chain(sk: *mut openssl_sys::stack_st_X509, parg: *mut c_void) -> c_long {
    if parg.is_null() {
        return 0;
    }
    // SAFETY: parg is a `STACK_OF(X509) **` from the caller.
    unsafe { *(parg as *mut *mut openssl_sys::stack_st_X509) = sk };
    1
}

#[no_mangle]
pub unsafe extern "C" fn SSL_ctrl(
    ssl: *mut SSL,
    cmd: c_int,
    larg: c_long,
    parg: *mut c_void,
) -> c_long {
    ffi_guard!(0, {
        let mut conn = try_conn!(ssl, 0);
        if let Some(r) = settings_ctrl(&mut conn.settings, cmd, larg, parg) {
            return r;
        }
        match cmd {
            SSL_CTRL_CHAIN => {
                let certs = chain_stack(parg, larg);
                conn.with_credentials(|c| c.chain = certs);
                1
            }
            SSL_CTRL_CHAIN_CERT => match chain_cert(parg, larg) {
                Some(cert) => {
                    conn.with_credentials(|c| c.chain.push(cert));
                    1
                }
                None => 0,
            },
            SSL_CTRL_SET_CURRENT_CERT | SSL_CTRL_SELECT_CURRENT_CERT => {
                match current_cert_choice(cmd, larg, parg) {
                    Some(choice) => {
                        c_long::from(conn.with_credentials(|c| c.select_current(&choice)))
                    }
                    None => 0,
                }
            }
            SSL_CTRL_GET_CHAIN_CERTS => {
                let sk = conn.chain_stack();
                hand_out_chain(sk, parg)
            }
            SSL_CTRL_SET_TLSEXT_STATUS_REQ_TYPE => {
                conn.status_type = larg;
                1
            }
            SSL_CTRL_GET_TLSEXT_STATUS_REQ_TYPE => conn.status_type,
            // The client's responder ids and request extensions (NULL when it sent none,
            // and on a client, which cannot send any).
            SSL_CTRL_GET_TLSEXT_STATUS_REQ_IDS | SSL_CTRL_GET_TLSEXT_STATUS_REQ_EXTS
                if !parg.is_null() =>
            {
                let stack = conn.ocsp_request().map_or(std::ptr::null_mut(), |r| {
                    if cmd == SSL_CTRL_GET_TLSEXT_STATUS_REQ_IDS {
                        r.responder_ids()
                    } else {
                        r.extensions()
                    }
                });
                // SAFETY: parg is the caller's `STACK_OF(...) **`.
                unsafe { *(parg as *mut *mut c_void) = stack };
                1
            }
            // The response is the caller's OPENSSL_malloc'd buffer, taken over.
            SSL_CTRL_SET_TLSEXT_STATUS_REQ_OCSP_RESP => {
                let Ok(len) = usize::try_from(larg) else {
                    return 0;
                };
                if parg.is_null() {
                    return 0;
                }
                // SAFETY: parg points at larg bytes the caller hands over.
                let resp = unsafe { std::slice::from_raw_parts(parg as *const u8, len) }.to_vec();
                // SAFETY: the buffer was allocated with OPENSSL_malloc and is ours now.
                unsafe { openssl_sys::CRYPTO_free(parg, c"ferrossl".as_ptr(), 0) };
                conn.set_ocsp_to_staple(resp);
                1
            }
            SSL_CTRL_GET_TLSEXT_STATUS_REQ_OCSP_RESP => match conn.ocsp_received() {
                Some((p, n)) => {
                    if !parg.is_null() {
                        // SAFETY: parg is a `const unsigned char **` from the caller.
                        unsafe { *(parg as *mut *const u8) = p };
                    }
                    n as c_long
                }
                None => -1,
            },
            SSL_CTRL_SET_TLSEXT_HOSTNAME => {
                if larg != c_long::from(TLSEXT_NAMETYPE_host_name) {
                    err::raise_ssl(SSL_R_SSL3_EXT_INVALID_SERVERNAME_TYPE);
                    return 0;
                }
                if parg.is_null() {
                    conn.set_servername(None);
                    return 1;
                }
                // SAFETY: a non-NULL C string from the caller.
                let name = unsafe { CStr::from_ptr(parg as *const c_char) };
                if name.to_bytes().is_empty() || name.to_bytes().len() > TLSEXT_MAXLEN_HOST_NAME {
                    err::raise_ssl(SSL_R_SSL3_EXT_INVALID_SERVERNAME);
                    return 0;
                }
                conn.set_servername(Some(CString::from(name)));
                1
            }
            // SSL_get0_raw_cipherlist: the entry size (2) without an out-pointer.
            SSL_CTRL_GET_RAW_CIPHERLIST if parg.is_null() => 2,
            SSL_CTRL_GET_RAW_CIPHERLIST => {
                let raw = conn.client_ciphers_raw();
                if raw.is_empty() {
                    return 0;
                }
                // SAFETY: parg is the caller's `const unsigned char **`; the list lives as
                // long as the connection (until its next handshake), as in OpenSSL.
                unsafe { *(parg as *mut *const u8) = raw.as_ptr() };
                raw.len() as c_long
            }
            SSL_CTRL_GET_RI_SUPPORT => c_long::from(conn.peer_secure_renegotiation()),
            // SSL_get0_ec_point_formats: the peer's list, owned by the connection.
            SSL_CTRL_GET_EC_POINT_FORMAT_LIST if !parg.is_null() => {
                let Some(formats) = conn.peer_point_formats() else {
                    return 0;
                };
                // SAFETY: parg is the caller's `const unsigned char **`; the list lives
                // until the connection's next handshake, as in OpenSSL.
                unsafe { *(parg as *mut *const u8) = formats.as_ptr() };
                formats.len() as c_long
            }
            // SSL_get_peer_tmp_key: a new reference for the caller.
            SSL_CTRL_GET_PEER_TMP_KEY if !parg.is_null() => {
                let Some(share) = conn.peer_key_share() else {
                    return 0;
                };
                let key = crate::libcrypto::pkey::from_key_share(share.group, &share.key);
                if key.is_null() {
                    return 0;
                }
                // SAFETY: parg is the caller's `EVP_PKEY **`.
                unsafe { *(parg as *mut *mut crate::libcrypto::sys::EVP_PKEY) = key };
                1
            }
            // SSL_get_peer_signature_nid: the digest of the peer's handshake signature.
            SSL_CTRL_GET_PEER_SIGNATURE_NID if !parg.is_null() => {
                let Some((digest, _)) = conn.peer_signature_nids() else {
                    return 0;
                };
                // SAFETY: parg is the caller's `int *`.
                unsafe { *(parg as *mut c_int) = digest };
                1
            }
            // SSL_get_signature_nid: the digest of this side's own handshake signature.
            SSL_CTRL_GET_SIGNATURE_NID if !parg.is_null() => {
                let Some((digest, _)) = conn.own_signature_nids() else {
                    return 0;
                };
                // SAFETY: parg is the caller's `int *`.
                unsafe { *(parg as *mut c_int) = digest };
                1
            }
            // SSL_get_negotiated_group: the group's NID (0 before a key exchange).
            SSL_CTRL_GET_NEGOTIATED_GROUP => conn
                .negotiated_group()
                .map_or(0, |g| c_long::from(groups::nid_of(g))),
            _ => 0,
        }
    })
}

/// `SSL_CTX_sess_number`, `SSL_CTX_sess_hits` and the other counters (ctrls 20-31).
fn session_statistic(ctx: &SSL_CTX, cmd: c_int) -> c_long {
    use std::sync::atomic::Ordering::Relaxed;
    let cache = &ctx.server_sessions;
    let st = &cache.stats;
    let v = match cmd {
        SSL_CTRL_SESS_NUMBER => return cache.len() as c_long,
        SSL_CTRL_SESS_CONNECT => &st.connect,
        SSL_CTRL_SESS_CONNECT_GOOD => &st.connect_good,
        SSL_CTRL_SESS_ACCEPT => &st.accept,
        SSL_CTRL_SESS_ACCEPT_GOOD => &st.accept_good,
        SSL_CTRL_SESS_HIT => &st.hits,
        SSL_CTRL_SESS_CB_HIT => &st.cb_hits,
        SSL_CTRL_SESS_MISSES => &st.misses,
        SSL_CTRL_SESS_TIMEOUTS => &st.timeouts,
        SSL_CTRL_SESS_CACHE_FULL => &st.cache_full,
        // Renegotiations: ferrossl never renegotiates.
        _ => return 0,
    };
    v.load(Relaxed) as c_long
}

/// The status callback's type (`int (*)(SSL *, void *arg)`).
type StatusFn = unsafe extern "C" fn(*mut SSL, *mut c_void) -> c_int;

struct CStatus {
    cb: StatusFn,
    ctx: *const SSL_CTX,
}

// SAFETY: as for `CServername`.
unsafe impl Send for CStatus {}
// SAFETY: as above.
unsafe impl Sync for CStatus {}

impl StatusCallback for CStatus {
    fn call(&self, ssl: usize) -> c_int {
        // SAFETY: the context is alive (the connection holds it); reading its argument.
        let arg = unsafe { &*self.ctx }
            .status_arg
            .lock()
            .map(|a| *a)
            .unwrap_or(0);
        // SAFETY: the application's callback with its SSL and argument.
        unsafe { (self.cb)(ssl as *mut SSL, arg as *mut c_void) }
    }
}

/// The servername callback's type (`int (*)(SSL *, int *al, void *arg)`).
type ServernameFn = unsafe extern "C" fn(*mut SSL, *mut c_int, *mut c_void) -> c_int;

struct CServername {
    cb: ServernameFn,
    ctx: *const SSL_CTX,
}

// SAFETY: the callback and context pointer are the application's, used under its contract
// (the context outlives its callback registration; OpenSSL calls it from any thread too).
unsafe impl Send for CServername {}
// SAFETY: as above.
unsafe impl Sync for CServername {}

impl ServernameCallback for CServername {
    fn call(&self, ssl: usize) -> (c_int, c_int) {
        const SSL_AD_UNRECOGNIZED_NAME: c_int = 112;
        let mut alert = SSL_AD_UNRECOGNIZED_NAME;
        // SAFETY: the context is alive (the connection holds it); reading its argument.
        let arg = unsafe { &*self.ctx }
            .servername_arg
            .lock()
            .map(|a| *a)
            .unwrap_or(0);
        // SAFETY: the application's callback with its SSL, an alert slot and its argument.
        let ret = unsafe { (self.cb)(ssl as *mut SSL, &mut alert, arg as *mut c_void) };
        (ret, alert)
    }
}

/// `SSL_CTX_callback_ctrl`: the callbacks OpenSSL sets through numbered commands.
#[no_mangle]
pub unsafe extern "C" fn SSL_CTX_callback_ctrl(
    ctx: *mut SSL_CTX,
    cmd: c_int,
    fp: Option<unsafe extern "C" fn()>,
) -> c_long {
    ffi_guard!(0, {
        let c = try_ref!(ctx, 0);
        match cmd {
            SSL_CTRL_SET_TLSEXT_SERVERNAME_CB => {
                let cb = fp.map(|f| {
                    // SAFETY: for this command OpenSSL's contract makes fp a servername callback.
                    let cb: ServernameFn =
                        unsafe { std::mem::transmute::<unsafe extern "C" fn(), ServernameFn>(f) };
                    Arc::new(CServername { cb, ctx }) as Arc<dyn ServernameCallback>
                });
                c.set_servername_callback(cb);
                1
            }
            SSL_CTRL_SET_MSG_CALLBACK => {
                // SAFETY: for this command OpenSSL's contract makes fp a message callback.
                let cb = fp.map(|f| unsafe {
                    std::mem::transmute::<unsafe extern "C" fn(), crate::ffi::observer::MsgFn>(f)
                });
                c.settings().msg_callback = super::observer::message_callback(cb);
                1
            }
            SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB => {
                let cb = fp.map(|f| {
                    // SAFETY: for this command OpenSSL's contract makes fp a status callback.
                    let cb: StatusFn =
                        unsafe { std::mem::transmute::<unsafe extern "C" fn(), StatusFn>(f) };
                    Arc::new(CStatus { cb, ctx }) as Arc<dyn StatusCallback>
                });
                c.set_status_callback(cb);
                1
            }
            SSL_CTRL_SET_TLSEXT_TICKET_KEY_CB => {
                let cb = fp.map(|f| {
                    // SAFETY: for this command OpenSSL's contract makes fp a ticket-key
                    // callback taking an HMAC_CTX.
                    TicketKeyCallback::Hmac(unsafe {
                        std::mem::transmute::<unsafe extern "C" fn(), HmacTicketKeyFn>(f)
                    })
                });
                c.set_ticket_key_callback(cb);
                1
            }
            _ => 0,
        }
    })
}
