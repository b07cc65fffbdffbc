//! Owned libcrypto `X509` certificates and `STACK_OF(X509)`.

use std::os::raw::{c_int, c_long};
use std::ptr::NonNull;

use super::sys::{self, X509};

/// One owned reference to an `X509`.
#[derive(Debug)]
pub struct Certificate(NonNull<X509>);

// SAFETY: X509 objects are reference counted atomically and immutable once parsed.
unsafe impl Send for Certificate {}
// SAFETY: as above; shared use only reads.
unsafe impl Sync for Certificate {}

impl Certificate {
    /// Parses DER; `None` when libcrypto rejects it (its errors stay on the queue).
    pub fn from_der(der: &[u8]) -> Option<Self> {
        let mut p = der.as_ptr();
        let len = der.len().min(c_long::MAX as usize) as c_long;
        // SAFETY: p points at len readable bytes; d2i advances its copy only.
        NonNull::new(unsafe { sys::d2i_X509(std::ptr::null_mut(), &mut p, len) }).map(Self)
    }

    /// Takes over one reference the caller owned.
    pub fn adopt(ptr: *mut X509) -> Option<Self> {
        NonNull::new(ptr).map(Self)
    }

    /// Parses DER that must be one certificate and nothing more (a TLSA record's data).
    pub fn from_der_exact(der: &[u8]) -> Option<Self> {
        let mut p = der.as_ptr();
        let len = c_long::try_from(der.len()).ok()?;
        // SAFETY: p points at len readable bytes; d2i advances its copy only.
        let cert =
            NonNull::new(unsafe { sys::d2i_X509(std::ptr::null_mut(), &mut p, len) }).map(Self)?;
        // SAFETY: p was advanced within der.
        (p == unsafe { der.as_ptr().add(der.len()) }).then_some(cert)
    }

    /// Whether libcrypto can read the certificate's public key.
    pub fn has_public_key(&self) -> bool {
        // SAFETY: a live certificate; the key stays the certificate's.
        !unsafe { super::extra::X509_get0_pubkey(self.as_ptr()) }.is_null()
    }

    /// Fills libcrypto's lazily computed extension cache now. libcrypto fills it on first
    /// use during verification with unsynchronised checks, so a certificate that threads
    /// will verify at the same time must have it filled before it is shared.
    pub fn cache_extensions(&self) {
        extern "C" {
            fn X509_check_purpose(x: *mut X509, id: c_int, ca: c_int) -> c_int;
        }
        // SAFETY: a live X509; purpose -1 only computes and caches the extensions.
        unsafe { X509_check_purpose(self.as_ptr(), -1, 0) };
    }

    /// Takes a new reference to an application's certificate.
    pub fn up_ref(ptr: *mut X509) -> Option<Self> {
        let x = NonNull::new(ptr)?;
        // SAFETY: a live X509 from the application.
        unsafe { sys::X509_up_ref(x.as_ptr()) };
        Some(Self(x))
    }

    pub fn as_ptr(&self) -> *mut X509 {
        self.0.as_ptr()
    }

    /// A new reference for a caller that will free it (`get1` semantics).
    pub fn to_owned_ptr(&self) -> *mut X509 {
        // SAFETY: a live X509 we hold a reference to.
        unsafe { sys::X509_up_ref(self.as_ptr()) };
        self.as_ptr()
    }

    /// The `EVP_PKEY_*` type of its public key (0 if libcrypto cannot read it).
    pub fn public_key_type(&self) -> c_int {
        // SAFETY: a live certificate; the key reference taken here is freed here.
        unsafe {
            let pkey = sys::X509_get_pubkey(self.as_ptr());
            if pkey.is_null() {
                return 0;
            }
            let t = sys::EVP_PKEY_id(pkey);
            sys::EVP_PKEY_free(pkey);
            t
        }
    }

    /// The DER encoding of the subject name.
    pub fn subject_der(&self) -> Option<Vec<u8>> {
        // SAFETY: the name is borrowed from our live certificate.
        unsafe { name_der(sys::X509_get_subject_name(self.as_ptr())) }
    }

    pub fn to_der(&self) -> Vec<u8> {
        // SAFETY: the first call sizes the encoding; the second writes exactly that many bytes.
        unsafe {
            let len = sys::i2d_X509(self.as_ptr(), std::ptr::null_mut());
            if len <= 0 {
                return Vec::new();
            }
            let mut out = vec![0u8; len as usize];
            let mut p = out.as_mut_ptr();
            sys::i2d_X509(self.as_ptr(), &mut p);
            out
        }
    }
}

impl Clone for Certificate {
    fn clone(&self) -> Self {
        // SAFETY: a live X509 we hold a reference to.
        unsafe { sys::X509_up_ref(self.as_ptr()) };
        Self(self.0)
    }
}

impl Drop for Certificate {
    fn drop(&mut self) {
        // SAFETY: we own one reference.
        unsafe { sys::X509_free(self.as_ptr()) }
    }
}

/// An owned `STACK_OF(X509)` holding its own references, for functions that hand the
/// application a stack that the `SSL` keeps owning (`SSL_get_peer_cert_chain`).
#[derive(Debug)]
pub struct CertificateStack(NonNull<sys::stack_st_X509>);

// SAFETY: only the owning SSL touches the stack, one thread at a time.
unsafe impl Send for CertificateStack {}

impl CertificateStack {
    pub fn new(certs: &[Certificate]) -> Option<Self> {
        // SAFETY: a new empty stack; each push adds a reference the stack then owns.
        unsafe {
            let sk = NonNull::new(sys::OPENSSL_sk_new_null())?;
            for c in certs {
                sys::OPENSSL_sk_push(sk.as_ptr(), c.to_owned_ptr() as *const _);
            }
            Some(Self(sk.cast()))
        }
    }

    /// Adopts a stack that owns references to its elements (`X509_STORE_CTX_get1_chain`).
    pub fn adopt(sk: *mut sys::stack_st_X509) -> Option<Self> {
        NonNull::new(sk).map(Self)
    }

    pub fn as_ptr(&self) -> *mut sys::stack_st_X509 {
        self.0.as_ptr()
    }

    /// Reads the certificates of an application's stack (new references).
    pub fn read(sk: *mut sys::stack_st_X509) -> Vec<Certificate> {
        if sk.is_null() {
            return Vec::new();
        }
        // SAFETY: sk is a live stack of X509 pointers owned by the application.
        unsafe {
            let n: c_int = sys::OPENSSL_sk_num(sk as *const _);
            (0..n)
                .filter_map(|i| {
                    Certificate::up_ref(sys::OPENSSL_sk_value(sk as *const _, i) as *mut X509)
                })
                .collect()
        }
    }
}

impl Drop for CertificateStack {
    fn drop(&mut self) {
        extern "C" fn free_x509(p: *mut std::os::raw::c_void) {
            // SAFETY: every element was pushed as an owned X509 reference.
            unsafe { sys::X509_free(p as *mut X509) }
        }
        // SAFETY: we own the stack and one reference to each element.
        unsafe { sys::OPENSSL_sk_pop_free(self.as_ptr() as *mut _, Some(free_x509)) }
    }
}

/// What a handshake trace says of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSummary {
    /// The subject in OpenSSL's one-line form (`/CN=server-rsa`).
    pub subject: String,
    pub issuer: String,
    /// The key's algorithm and size (`RSA-2048`, `EC-256`).
    pub key: String,
    pub not_before: String,
    pub not_after: String,
}

impl Certificate {
    /// The subject, issuer, key and validity, as libcrypto prints them.
    pub fn summary(&self) -> CertificateSummary {
        // SAFETY: every pointer is borrowed from our live certificate; the name buffers are
        // sized for libcrypto; the public key reference taken here is freed here.
        unsafe {
            let name = |n: *mut sys::X509_NAME| {
                let mut buf = [0 as std::os::raw::c_char; 256];
                super::extra::X509_NAME_oneline(n, buf.as_mut_ptr(), buf.len() as c_int);
                std::ffi::CStr::from_ptr(buf.as_ptr())
                    .to_string_lossy()
                    .into_owned()
            };
            let x = self.as_ptr();
            let pkey = sys::X509_get_pubkey(x);
            let key = if pkey.is_null() {
                "unknown key".to_owned()
            } else {
                let id = sys::EVP_PKEY_id(pkey);
                let bits = sys::EVP_PKEY_bits(pkey);
                sys::EVP_PKEY_free(pkey);
                let alg = match id {
                    sys::EVP_PKEY_RSA => "RSA",
                    sys::EVP_PKEY_EC => "EC",
                    sys::EVP_PKEY_ED25519 => "Ed25519",
                    912 => "RSA-PSS",
                    _ => "other",
                };
                format!("{alg}-{bits}")
            };
            CertificateSummary {
                subject: name(sys::X509_get_subject_name(x)),
                issuer: name(sys::X509_get_issuer_name(x)),
                key,
                not_before: super::bio::asn1_time_text(sys::X509_getm_notBefore(x)),
                not_after: super::bio::asn1_time_text(super::extra::X509_getm_notAfter(x)),
            }
        }
    }
}

/// The DER encoding of an `X509_NAME`.
///
/// # Safety
/// `name` is a live `X509_NAME`.
pub unsafe fn name_der(name: *mut sys::X509_NAME) -> Option<Vec<u8>> {
    // SAFETY: per the contract; sizing precedes writing exactly that many bytes.
    unsafe {
        let len = sys::i2d_X509_NAME(name, std::ptr::null_mut());
        if len <= 0 {
            return None;
        }
        let mut out = vec![0u8; len as usize];
        let mut p = out.as_mut_ptr();
        sys::i2d_X509_NAME(name, &mut p);
        Some(out)
    }
}
