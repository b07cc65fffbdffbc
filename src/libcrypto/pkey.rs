//! Owned `EVP_PKEY` private keys, and their PKCS#8 encoding for rustls.

use std::os::raw::{c_int, c_long};
use std::ptr::NonNull;

use super::extra;
use super::sys::{self, EVP_PKEY};
use super::x509::Certificate;

#[allow(non_camel_case_types)]
enum PKCS8_PRIV_KEY_INFO {}

extern "C" {
    fn i2d_PKCS8_PRIV_KEY_INFO(p8: *const PKCS8_PRIV_KEY_INFO, out: *mut *mut u8) -> c_int;
    fn PKCS8_PRIV_KEY_INFO_free(p8: *mut PKCS8_PRIV_KEY_INFO);
    fn EVP_PKEY2PKCS8(pkey: *const EVP_PKEY) -> *mut PKCS8_PRIV_KEY_INFO;
}

/// An application's password callback (`pem_password_cb`).
pub type PasswordCallback = unsafe extern "C" fn(
    buf: *mut std::os::raw::c_char,
    size: c_int,
    rwflag: c_int,
    userdata: *mut std::os::raw::c_void,
) -> c_int;

/// Where the password for an encrypted key comes from (`SSL_CTX_set_default_passwd_cb`).
/// With no callback libcrypto asks on the terminal, as it does under OpenSSL.
#[derive(Debug, Clone, Copy, Default)]
pub struct PasswordSource {
    pub callback: Option<PasswordCallback>,
    pub userdata: usize,
}

/// One owned reference to an `EVP_PKEY`.
#[derive(Debug)]
pub struct PrivateKey(NonNull<EVP_PKEY>);

// SAFETY: EVP_PKEY reference counts are atomic; ferrossl never mutates a key.
unsafe impl Send for PrivateKey {}
// SAFETY: as above.
unsafe impl Sync for PrivateKey {}

impl PrivateKey {
    /// Parses a DER private key of any type libcrypto knows (PKCS#8, PKCS#1, SEC1).
    pub fn from_der(der: &[u8]) -> Option<Self> {
        let mut p = der.as_ptr();
        let len = der.len().min(c_long::MAX as usize) as c_long;
        // SAFETY: p points at len readable bytes.
        NonNull::new(unsafe { sys::d2i_AutoPrivateKey(std::ptr::null_mut(), &mut p, len) })
            .map(Self)
    }

    /// Its `EVP_PKEY_*` type.
    pub fn key_type(&self) -> c_int {
        // SAFETY: a live key we hold a reference to.
        unsafe { sys::EVP_PKEY_id(self.as_ptr()) }
    }

    /// Whether it is of a type ferrossl signs handshakes with (RSA, EC, Ed25519).
    pub fn is_signing_type(&self) -> bool {
        // SAFETY: a live key we hold a reference to.
        let id = unsafe { sys::EVP_PKEY_id(self.as_ptr()) };
        [sys::EVP_PKEY_RSA, sys::EVP_PKEY_EC, sys::EVP_PKEY_ED25519].contains(&id)
    }

    /// Whether it is an RSA key.
    pub fn is_rsa(&self) -> bool {
        // SAFETY: a live key we hold a reference to.
        unsafe { sys::EVP_PKEY_id(self.as_ptr()) == sys::EVP_PKEY_RSA }
    }

    /// Parses a DER private key of the given `EVP_PKEY_*` type (`d2i_PrivateKey`).
    pub fn from_der_typed(key_type: c_int, der: &[u8]) -> Option<Self> {
        let mut p = der.as_ptr();
        let len = der.len().min(c_long::MAX as usize) as c_long;
        // SAFETY: p points at len readable bytes.
        NonNull::new(unsafe {
            super::extra::d2i_PrivateKey(key_type, std::ptr::null_mut(), &mut p, len)
        })
        .map(Self)
    }

    /// Decrypts a PEM private key with libcrypto, asking `password` for the pass phrase.
    /// `None` leaves libcrypto's reason (such as "bad decrypt") on the queue.
    pub fn from_encrypted_pem(pem: &[u8], password: PasswordSource) -> Option<Self> {
        let len = c_int::try_from(pem.len()).ok()?;
        // SAFETY: a read-only memory BIO over pem, freed before returning; the callback
        // and its userdata are the application's, passed through unchanged.
        unsafe {
            let bio = sys::BIO_new_mem_buf(pem.as_ptr() as *const _, len);
            if bio.is_null() {
                return None;
            }
            let key = sys::PEM_read_bio_PrivateKey(
                bio,
                std::ptr::null_mut(),
                password.callback,
                password.userdata as *mut std::os::raw::c_void,
            );
            sys::BIO_free_all(bio);
            NonNull::new(key).map(Self)
        }
    }

    pub fn up_ref(ptr: *mut EVP_PKEY) -> Option<Self> {
        let k = NonNull::new(ptr)?;
        // SAFETY: a live key from the application.
        unsafe { sys::EVP_PKEY_up_ref(k.as_ptr()) };
        Some(Self(k))
    }

    pub fn as_ptr(&self) -> *mut EVP_PKEY {
        self.0.as_ptr()
    }

    /// The PKCS#8 DER encoding, which rustls' key loader accepts for every key type.
    pub fn to_pkcs8_der(&self) -> Option<Vec<u8>> {
        // SAFETY: p8 is created and freed here; the sizing call precedes the writing call.
        unsafe {
            let p8 = EVP_PKEY2PKCS8(self.as_ptr());
            if p8.is_null() {
                return None;
            }
            let len = i2d_PKCS8_PRIV_KEY_INFO(p8, std::ptr::null_mut());
            let out = if len > 0 {
                let mut out = vec![0u8; len as usize];
                let mut p = out.as_mut_ptr();
                i2d_PKCS8_PRIV_KEY_INFO(p8, &mut p);
                Some(out)
            } else {
                None
            };
            PKCS8_PRIV_KEY_INFO_free(p8);
            out
        }
    }

    /// Takes over one reference the caller owned.
    pub fn adopt(ptr: *mut EVP_PKEY) -> Option<Self> {
        NonNull::new(ptr).map(Self)
    }

    /// An application's `RSA` key as an `EVP_PKEY` (`SSL_CTX_use_RSAPrivateKey`); the
    /// caller keeps its reference to `rsa`.
    ///
    /// # Safety
    /// `rsa` is NULL or a live `RSA`.
    pub unsafe fn from_rsa(rsa: *mut sys::RSA) -> Option<Self> {
        if rsa.is_null() {
            return None;
        }
        // SAFETY: a fresh EVP_PKEY takes its own reference to the caller's live RSA key.
        unsafe {
            let pkey = NonNull::new(sys::EVP_PKEY_new())?;
            if sys::EVP_PKEY_set1_RSA(pkey.as_ptr(), rsa) != 1 {
                sys::EVP_PKEY_free(pkey.as_ptr());
                return None;
            }
            Some(Self(pkey))
        }
    }

    /// Whether this key is the certificate's, queuing nothing either way.
    pub fn is_key_of(&self, cert: &Certificate) -> bool {
        // SAFETY: live objects; X509_get0_pubkey's result is owned by the certificate.
        unsafe {
            let public = extra::X509_get0_pubkey(cert.as_ptr());
            !public.is_null() && sys::EVP_PKEY_eq(public, self.as_ptr()) == 1
        }
    }

    /// `X509_check_private_key`: whether this key is the certificate's (pushes
    /// `X509_R_KEY_VALUES_MISMATCH` when not).
    pub fn matches(&self, cert: &Certificate) -> bool {
        // SAFETY: both are live objects.
        unsafe { extra::X509_check_private_key(cert.as_ptr(), self.as_ptr()) == 1 }
    }
}

impl Clone for PrivateKey {
    fn clone(&self) -> Self {
        // SAFETY: a live key we hold a reference to.
        unsafe { sys::EVP_PKEY_up_ref(self.as_ptr()) };
        Self(self.0)
    }
}

impl Drop for PrivateKey {
    fn drop(&mut self) {
        // SAFETY: we own one reference.
        unsafe { sys::EVP_PKEY_free(self.as_ptr()) }
    }
}

/// The DH parameters of a PEM file (`DHParameters`), as an `EVP_PKEY` the caller owns;
/// NULL with libcrypto's reason queued when the file cannot be read or holds none.
pub fn dh_parameters_from_file(path: &std::ffi::CStr) -> *mut EVP_PKEY {
    const EVP_PKEY_DH: c_int = 28;
    // SAFETY: a file BIO opened and freed here; the key read from it is handed to the
    // caller or freed.
    unsafe {
        let bio = extra::BIO_new_file(path.as_ptr(), c"r".as_ptr());
        if bio.is_null() {
            return std::ptr::null_mut();
        }
        let key = extra::PEM_read_bio_Parameters(bio, std::ptr::null_mut());
        extra::BIO_free(bio);
        if !key.is_null() && extra::EVP_PKEY_get_base_id(key) != EVP_PKEY_DH {
            sys::EVP_PKEY_free(key);
            return std::ptr::null_mut();
        }
        key
    }
}

/// The curve NID of an application's `EC_KEY` (for `SSL_CTX_set_tmp_ecdh`).
pub fn ec_key_curve_nid(key: *mut std::os::raw::c_void) -> Option<c_int> {
    if key.is_null() {
        return None;
    }
    // SAFETY: key is the caller's live EC_KEY; the group pointer is borrowed from it.
    unsafe {
        let group = sys::EC_KEY_get0_group(key as *const sys::EC_KEY);
        if group.is_null() {
            return None;
        }
        Some(sys::EC_GROUP_get_curve_name(group))
    }
}

/// The SubjectPublicKeyInfo DER that precedes a key share's bytes, by group, with the
/// share's length: X25519 (RFC 8410), P-256 and P-384 (RFC 5480, uncompressed points).
fn spki_prefix(group: u16) -> Option<(&'static [u8], usize)> {
    Some(match group {
        0x001d => (
            &[
                0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00,
            ],
            32,
        ),
        0x0017 => (
            &[
                0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
                0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
            ],
            65,
        ),
        0x0018 => (
            &[
                0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
                0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00,
            ],
            97,
        ),
        _ => return None,
    })
}

/// A peer's key share as a new public-key `EVP_PKEY` (the caller's reference), as
/// `SSL_get_peer_tmp_key` hands it out; NULL when libcrypto cannot read it.
pub fn from_key_share(group: u16, share: &[u8]) -> *mut EVP_PKEY {
    let Some((prefix, len)) = spki_prefix(group).filter(|(_, len)| *len == share.len()) else {
        return std::ptr::null_mut();
    };
    let mut der = Vec::with_capacity(prefix.len() + len);
    der.extend_from_slice(prefix);
    der.extend_from_slice(share);
    let mut p = der.as_ptr();
    // SAFETY: p points at der.len() readable bytes; libcrypto checks the point.
    unsafe { sys::d2i_PUBKEY(std::ptr::null_mut(), &mut p, der.len() as c_long) }
}
