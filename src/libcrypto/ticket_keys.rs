//! Session tickets under the application's keys (`SSL_CTX_set_tlsext_ticket_key_evp_cb`
//! and the older `SSL_CTX_set_tlsext_ticket_key_cb`): the application picks the key name,
//! IV, cipher and HMAC key in libcrypto contexts; ticket bytes follow OpenSSL's layout
//! (key name, IV, encrypted state, HMAC), so servers that share keys (nginx workers with
//! `ssl_session_ticket_key`) accept each other's tickets.

use std::os::raw::{c_int, c_uint, c_void};

use super::sys::{self, EVP_CIPHER_CTX, EVP_MAC_CTX, HMAC_CTX};
use crate::connection::handshake_scope;

const KEY_NAME_LEN: usize = 16;
/// `EVP_MAX_IV_LENGTH`.
const MAX_IV_LEN: usize = 16;
const MAX_MAC_LEN: usize = 64;

/// The evp flavour (`SSL_CTX_set_tlsext_ticket_key_evp_cb`); the first argument is the `SSL *`.
pub type EvpTicketKeyFn = unsafe extern "C" fn(
    *mut c_void,
    *mut u8,
    *mut u8,
    *mut EVP_CIPHER_CTX,
    *mut EVP_MAC_CTX,
    c_int,
) -> c_int;
/// The HMAC_CTX flavour (`SSL_CTX_set_tlsext_ticket_key_cb`, ctrl 72).
pub type HmacTicketKeyFn = unsafe extern "C" fn(
    *mut c_void,
    *mut u8,
    *mut u8,
    *mut EVP_CIPHER_CTX,
    *mut HMAC_CTX,
    c_int,
) -> c_int;

/// The application's callback, either flavour.
#[derive(Clone, Copy)]
pub enum TicketKeyCallback {
    Evp(EvpTicketKeyFn),
    Hmac(HmacTicketKeyFn),
}

impl TicketKeyCallback {
    /// Identifies the callback (configs are cached under it).
    pub fn address(&self) -> usize {
        match self {
            Self::Evp(f) => *f as usize,
            Self::Hmac(f) => *f as usize,
        }
    }
}

/// One ticket operation's libcrypto contexts, freed on drop.
struct Contexts {
    cipher: *mut EVP_CIPHER_CTX,
    mac: Mac,
}

enum Mac {
    Evp(*mut EVP_MAC_CTX),
    Hmac(*mut HMAC_CTX),
}

impl Contexts {
    fn new(cb: &TicketKeyCallback) -> Option<Self> {
        // SAFETY: fresh contexts, freed in Drop; a NULL result is checked.
        unsafe {
            let cipher = sys::EVP_CIPHER_CTX_new();
            let mac = match cb {
                TicketKeyCallback::Evp(_) => {
                    let alg = sys::EVP_MAC_fetch(
                        std::ptr::null_mut(),
                        c"HMAC".as_ptr(),
                        std::ptr::null(),
                    );
                    let ctx = if alg.is_null() {
                        std::ptr::null_mut()
                    } else {
                        let ctx = sys::EVP_MAC_CTX_new(alg);
                        sys::EVP_MAC_free(alg);
                        ctx
                    };
                    Mac::Evp(ctx)
                }
                TicketKeyCallback::Hmac(_) => Mac::Hmac(sys::HMAC_CTX_new()),
            };
            let c = Self { cipher, mac };
            let mac_null = match c.mac {
                Mac::Evp(p) => p.is_null(),
                Mac::Hmac(p) => p.is_null(),
            };
            (!cipher.is_null() && !mac_null).then_some(c)
        }
    }

    /// Runs the application's callback; its return value.
    fn call(
        &self,
        cb: &TicketKeyCallback,
        key_name: &mut [u8; KEY_NAME_LEN],
        iv: &mut [u8; MAX_IV_LEN],
        enc: c_int,
    ) -> c_int {
        let Some(scope) = handshake_scope::current() else {
            return -1;
        };
        // SAFETY: the application's callback with its SSL, buffers of OpenSSL's sizes and
        // contexts made for it.
        unsafe {
            match (cb, &self.mac) {
                (TicketKeyCallback::Evp(f), Mac::Evp(m)) => f(
                    scope.ssl as *mut c_void,
                    key_name.as_mut_ptr(),
                    iv.as_mut_ptr(),
                    self.cipher,
                    *m,
                    enc,
                ),
                (TicketKeyCallback::Hmac(f), Mac::Hmac(m)) => f(
                    scope.ssl as *mut c_void,
                    key_name.as_mut_ptr(),
                    iv.as_mut_ptr(),
                    self.cipher,
                    *m,
                    enc,
                ),
                _ => -1,
            }
        }
    }

    fn iv_len(&self) -> usize {
        // SAFETY: a cipher context the callback initialised.
        let n = unsafe { sys::EVP_CIPHER_CTX_get_iv_length(self.cipher) };
        usize::try_from(n).unwrap_or(0).min(MAX_IV_LEN)
    }

    /// The size of the HMAC the callback set up.
    fn mac_len(&self) -> usize {
        extern "C" {
            fn HMAC_size(ctx: *const HMAC_CTX) -> usize;
        }
        // SAFETY: contexts the callback initialised.
        unsafe {
            match self.mac {
                Mac::Evp(m) => sys::EVP_MAC_CTX_get_mac_size(m),
                Mac::Hmac(m) => HMAC_size(m),
            }
        }
    }

    /// The HMAC of `data` under the key the callback set.
    fn mac(&self, data: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0u8; MAX_MAC_LEN];
        // SAFETY: contexts the callback initialised; out has room for any HMAC.
        unsafe {
            match self.mac {
                Mac::Evp(m) => {
                    let mut n = 0usize;
                    (sys::EVP_MAC_update(m, data.as_ptr(), data.len()) == 1
                        && sys::EVP_MAC_final(m, out.as_mut_ptr(), &mut n, out.len()) == 1)
                        .then(|| {
                            out.truncate(n);
                            out
                        })
                }
                Mac::Hmac(m) => {
                    let mut n: c_uint = 0;
                    (sys::HMAC_Update(m, data.as_ptr(), data.len()) == 1
                        && sys::HMAC_Final(m, out.as_mut_ptr(), &mut n) == 1)
                        .then(|| {
                            out.truncate(n as usize);
                            out
                        })
                }
            }
        }
    }

    /// Runs the cipher the callback set up over `input` (encrypting or decrypting).
    fn crypt(&self, input: &[u8], encrypt: bool) -> Option<Vec<u8>> {
        let len = c_int::try_from(input.len()).ok()?;
        let mut out = vec![0u8; input.len() + 64];
        let (mut n, mut m) = (0 as c_int, 0 as c_int);
        // SAFETY: out has room for the input plus a block; the context was set up by the
        // callback for this direction.
        let ok = unsafe {
            if encrypt {
                sys::EVP_EncryptUpdate(self.cipher, out.as_mut_ptr(), &mut n, input.as_ptr(), len)
                    == 1
                    && sys::EVP_EncryptFinal_ex(
                        self.cipher,
                        out.as_mut_ptr().add(n as usize),
                        &mut m,
                    ) == 1
            } else {
                sys::EVP_DecryptUpdate(self.cipher, out.as_mut_ptr(), &mut n, input.as_ptr(), len)
                    == 1
                    && sys::EVP_DecryptFinal_ex(
                        self.cipher,
                        out.as_mut_ptr().add(n as usize),
                        &mut m,
                    ) == 1
            }
        };
        ok.then(|| {
            out.truncate((n + m) as usize);
            out
        })
    }
}

impl Drop for Contexts {
    fn drop(&mut self) {
        // SAFETY: contexts made in `new`, freed once.
        unsafe {
            sys::EVP_CIPHER_CTX_free(self.cipher);
            match self.mac {
                Mac::Evp(m) => sys::EVP_MAC_CTX_free(m),
                Mac::Hmac(m) => sys::HMAC_CTX_free(m),
            }
        }
    }
}

/// rustls' ticket producer over the application's callback.
pub struct AppTicketKeys {
    pub callback: TicketKeyCallback,
    /// The lifetime hint sent with tickets: the context's session timeout.
    pub lifetime: u32,
}

impl std::fmt::Debug for AppTicketKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppTicketKeys").finish_non_exhaustive()
    }
}

// SAFETY: the callback is the application's, called under OpenSSL's contract (from any
// thread running a handshake of the context).
unsafe impl Send for AppTicketKeys {}
// SAFETY: as above.
unsafe impl Sync for AppTicketKeys {}

impl rustls::server::ProducesTickets for AppTicketKeys {
    fn enabled(&self) -> bool {
        true
    }

    fn lifetime(&self) -> u32 {
        self.lifetime
    }

    fn encrypt(&self, plain: &[u8]) -> Option<Vec<u8>> {
        let ctx = Contexts::new(&self.callback)?;
        let mut key_name = [0u8; KEY_NAME_LEN];
        let mut iv = [0u8; MAX_IV_LEN];
        // 0: no ticket this time; negative: an error. Either way none is sent.
        if ctx.call(&self.callback, &mut key_name, &mut iv, 1) <= 0 {
            return None;
        }
        let mut out = key_name.to_vec();
        out.extend_from_slice(&iv[..ctx.iv_len()]);
        out.extend(ctx.crypt(plain, true)?);
        let mac = ctx.mac(&out)?;
        out.extend(mac);
        Some(out)
    }

    fn decrypt(&self, ticket: &[u8]) -> Option<Vec<u8>> {
        self.decrypt_with_renewal(ticket).map(|(plain, _)| plain)
    }

    /// The callback's 2 asks for a new ticket (its key is being retired), as in OpenSSL.
    fn decrypt_with_renewal(&self, ticket: &[u8]) -> Option<(Vec<u8>, bool)> {
        let ctx = Contexts::new(&self.callback)?;
        let mut key_name: [u8; KEY_NAME_LEN] = ticket.get(..KEY_NAME_LEN)?.try_into().ok()?;
        let mut iv = [0u8; MAX_IV_LEN];
        let avail = ticket.len().saturating_sub(KEY_NAME_LEN).min(MAX_IV_LEN);
        iv[..avail].copy_from_slice(&ticket[KEY_NAME_LEN..KEY_NAME_LEN + avail]);
        // 0: unknown key (a full handshake follows); 1 or 2 (renew): go on.
        let verdict = ctx.call(&self.callback, &mut key_name, &mut iv, 0);
        if verdict <= 0 {
            return None;
        }
        let iv_len = ctx.iv_len();
        let mac_len = ctx.mac_len();
        if mac_len == 0 || mac_len > MAX_MAC_LEN {
            return None;
        }
        let body_start = KEY_NAME_LEN + iv_len;
        let mac_start = ticket.len().checked_sub(mac_len)?;
        if mac_start < body_start {
            return None;
        }
        let mac = ctx.mac(&ticket[..mac_start])?;
        // SAFETY: both buffers hold mac_len bytes.
        let same = unsafe {
            sys::CRYPTO_memcmp(
                mac.as_ptr() as *const _,
                ticket[mac_start..].as_ptr() as *const _,
                mac_len,
            )
        } == 0;
        if !same || mac.len() != mac_len {
            return None;
        }
        let plain = ctx.crypt(&ticket[body_start..mac_start], false)?;
        Some((plain, verdict == 2))
    }
}
