//! A certificate, its chain and its private key: what a context or connection presents.
//!
//! Files are read with `rustls-pki-types`' PEM parser; the results become libcrypto
//! objects too, because applications read them back as `X509`/`EVP_PKEY`
//! (`SSL_CTX_get0_certificate`) and OpenSSL's key check is libcrypto's.
#![forbid(unsafe_code)]

pub mod signing_key;

use std::os::raw::c_int;
use std::path::Path;
use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::sign::CertifiedKey;

use crate::codes::reason;
use crate::codes::ssl_constants::{SSL_FILETYPE_ASN1, SSL_FILETYPE_PEM};
use crate::credentials::signing_key::OpenSslOrderSigningKey;
use crate::libcrypto::error_queue::{self as err, ERR_LIB_PEM, PEM_R_NO_START_LINE};
use crate::libcrypto::pkey::{PasswordSource, PrivateKey};
use crate::libcrypto::store::CertStore;
use crate::libcrypto::x509::Certificate;

const PEM_R_BAD_BASE64_DECODE: c_int = 100;
const PEM_R_BAD_END_LINE: c_int = 102;
const ERR_R_ASN1_LIB: c_int = 13 | (0x2 << 18);

/// A certificate with its key and chain, for one type of key.
#[derive(Debug, Default, Clone)]
pub struct CertSlot {
    pub leaf: Option<Certificate>,
    pub key: Option<PrivateKey>,
    pub chain: Vec<Certificate>,
}

impl CertSlot {
    fn key_type(&self) -> Option<c_int> {
        match (&self.leaf, &self.key) {
            (Some(c), _) => Some(c.public_key_type()),
            (None, Some(k)) => Some(k.key_type()),
            (None, None) => None,
        }
    }
}

/// What a context or connection presents. As in OpenSSL, there is one certificate per
/// type of key (RSA and ECDSA side by side); `leaf`, `key` and `chain` are the current
/// one's (the one the last `use_certificate`/`use_PrivateKey` touched), `others` the rest.
#[derive(Debug, Default, Clone)]
pub struct Credentials {
    pub leaf: Option<Certificate>,
    pub key: Option<PrivateKey>,
    /// Extra chain certificates, sent after the leaf.
    pub chain: Vec<Certificate>,
    /// The certificates for other types of key.
    pub others: Vec<CertSlot>,
    /// Identifies this content: configs built from credentials are cached under it, and
    /// every change takes a new one (see [`Credentials::touch`]).
    pub id: u64,
}

impl Credentials {
    /// Marks the credentials as changed, so no cached config built from the old ones is reused.
    pub fn touch(&mut self) {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        self.id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether a server can present these (a certificate and its key).
    pub fn complete(&self) -> bool {
        (self.leaf.is_some() && self.key.is_some())
            || self
                .others
                .iter()
                .any(|s| s.leaf.is_some() && s.key.is_some())
    }

    /// Makes the slot for keys of `key_type` the current one (keeping the others).
    fn switch_to(&mut self, key_type: c_int) {
        let current = CertSlot {
            leaf: self.leaf.take(),
            key: self.key.take(),
            chain: std::mem::take(&mut self.chain),
        };
        let next = match current.key_type() {
            None => CertSlot::default(),
            Some(t) if t == key_type => current,
            Some(_) => {
                self.others.push(current);
                match self
                    .others
                    .iter()
                    .position(|s| s.key_type() == Some(key_type))
                {
                    Some(i) => self.others.remove(i),
                    None => CertSlot::default(),
                }
            }
        };
        self.leaf = next.leaf;
        self.key = next.key;
        self.chain = next.chain;
    }

    /// `SSL_CTX_set_current_cert`, `SSL_CTX_select_current_cert` and their connection
    /// forms: makes another complete certificate the current one, so that the `get0`/chain calls that follow apply to
    /// it. False (nothing changed) when there is no such certificate.
    pub fn select_current(&mut self, which: &Selection) -> bool {
        let complete = |s: &CertSlot| s.leaf.is_some() && s.key.is_some();
        let current = CertSlot {
            leaf: self.leaf.clone(),
            key: self.key.clone(),
            chain: Vec::new(),
        };
        let candidates = std::iter::once(&current).chain(&self.others);
        let chosen = match which {
            Selection::First => candidates
                .filter(|s| complete(s))
                .min_by_key(|s| slot_order(s.key_type())),
            Selection::Next => {
                let after = slot_order(current.key_type());
                candidates
                    .filter(|s| complete(s) && slot_order(s.key_type()) > after)
                    .min_by_key(|s| slot_order(s.key_type()))
            }
            Selection::Matching(cert) => candidates.filter(|s| complete(s)).find(|s| {
                s.leaf
                    .as_ref()
                    .is_some_and(|l| l.as_ptr() == cert.as_ptr() || l.to_der() == cert.to_der())
            }),
        };
        match chosen.and_then(CertSlot::key_type) {
            Some(key_type) => {
                self.switch_to(key_type);
                true
            }
            None => false,
        }
    }

    /// Sets the leaf of its key type's slot. A key that does not match it is dropped, as
    /// OpenSSL does.
    pub fn set_certificate(&mut self, cert: Certificate) {
        self.switch_to(cert.public_key_type());
        if let Some(key) = &self.key {
            if !key.matches(&cert) {
                self.key = None;
                err::clear();
            }
        }
        self.leaf = Some(cert);
    }

    /// Sets the key of its type's slot; fails (with libcrypto's mismatch error queued)
    /// when it is not that slot's leaf's.
    pub fn set_private_key(&mut self, key: PrivateKey) -> bool {
        self.switch_to(key.key_type());
        if let Some(leaf) = &self.leaf {
            if !key.matches(leaf) {
                return false;
            }
        }
        self.key = Some(key);
        true
    }

    /// `SSL_CTX_check_private_key`.
    pub fn check(&self) -> bool {
        let Some(leaf) = &self.leaf else {
            err::raise_ssl(reason::SSL_R_NO_CERTIFICATE_ASSIGNED);
            return false;
        };
        let Some(key) = &self.key else {
            err::raise_ssl(reason::SSL_R_NO_PRIVATE_KEY_ASSIGNED);
            return false;
        };
        key.matches(leaf)
    }

    /// The rustls form of the current certificate, when both a leaf and a key are set and
    /// rustls can sign with the key; it signs only with `sigalgs`, if given.
    pub fn certified_key(
        &self,
        provider: &CryptoProvider,
        sigalgs: Option<&[u16]>,
    ) -> Option<Arc<CertifiedKey>> {
        certified(
            provider,
            self.leaf.as_ref()?,
            self.key.as_ref()?,
            &self.chain,
            sigalgs,
        )
    }

    /// A copy whose certificates without a chain get the one libcrypto builds from `store`,
    /// as OpenSSL sends one unless `SSL_MODE_NO_AUTO_CHAIN` is set.
    pub fn with_built_chains(&self, store: &CertStore) -> Credentials {
        let mut c = self.clone();
        let slots = std::iter::once((&c.leaf, &mut c.chain))
            .chain(c.others.iter_mut().map(|s| (&s.leaf, &mut s.chain)));
        for (leaf, chain) in slots {
            if let (Some(leaf), true) = (leaf, chain.is_empty()) {
                *chain = store.build_chain(leaf);
            }
        }
        c
    }

    /// Every complete certificate in rustls form, the current one first.
    pub fn certified_keys(
        &self,
        provider: &CryptoProvider,
        sigalgs: Option<&[u16]>,
    ) -> Vec<Arc<CertifiedKey>> {
        let others = self
            .others
            .iter()
            .map(|s| (s.leaf.as_ref(), s.key.as_ref(), &s.chain))
            .filter_map(|(leaf, key, chain)| certified(provider, leaf?, key?, chain, sigalgs));
        self.certified_key(provider, sigalgs)
            .into_iter()
            .chain(others)
            .collect()
    }
}

/// Which certificate `select_current` makes current.
pub enum Selection {
    /// `SSL_CERT_SET_FIRST`.
    First,
    /// `SSL_CERT_SET_NEXT`: the one after the current one.
    Next,
    /// The slot holding this certificate.
    Matching(Certificate),
}

/// OpenSSL's order of certificate slots (RSA, RSA-PSS, DSA, EC, ..., Ed25519, Ed448), in
/// which `SSL_CERT_SET_FIRST` and `SSL_CERT_SET_NEXT` walk them.
fn slot_order(key_type: Option<c_int>) -> usize {
    const ORDER: [c_int; 6] = [
        openssl_sys::EVP_PKEY_RSA,
        openssl_sys::EVP_PKEY_RSA_PSS,
        openssl_sys::EVP_PKEY_DSA,
        openssl_sys::EVP_PKEY_EC,
        openssl_sys::EVP_PKEY_ED25519,
        openssl_sys::EVP_PKEY_ED448,
    ];
    key_type
        .and_then(|t| ORDER.iter().position(|&o| o == t))
        .unwrap_or(ORDER.len())
}

fn certified(
    provider: &CryptoProvider,
    leaf: &Certificate,
    key: &PrivateKey,
    chain: &[Certificate],
    sigalgs: Option<&[u16]>,
) -> Option<Arc<CertifiedKey>> {
    let pkcs8 = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.to_pkcs8_der()?));
    let signer = Arc::new(OpenSslOrderSigningKey {
        key: provider.key_provider.load_private_key(pkcs8).ok()?,
        allowed: sigalgs.map(<[u16]>::to_vec),
    });
    let mut certs = Vec::with_capacity(1 + chain.len());
    certs.push(CertificateDer::from(leaf.to_der()));
    certs.extend(chain.iter().map(|c| CertificateDer::from(c.to_der())));
    Some(Arc::new(CertifiedKey::new(certs, signer)))
}

/// Queues what OpenSSL queues for a PEM file that could not be used.
fn raise_pem(e: &pem::Error) {
    match e {
        pem::Error::Io(io) => return err::raise_file_open(io),
        pem::Error::NoItemsFound => err::raise(ERR_LIB_PEM, PEM_R_NO_START_LINE),
        pem::Error::Base64Decode(_) => err::raise(ERR_LIB_PEM, PEM_R_BAD_BASE64_DECODE),
        _ => err::raise(ERR_LIB_PEM, PEM_R_BAD_END_LINE),
    }
    err::raise_ssl(err::ERR_R_PEM_LIB);
}

fn read_der_file(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| err::raise_file_open(&e))
        .ok()
}

fn check_filetype(filetype: c_int) -> bool {
    if filetype == SSL_FILETYPE_PEM || filetype == SSL_FILETYPE_ASN1 {
        return true;
    }
    err::raise_ssl(reason::SSL_R_BAD_SSL_FILETYPE);
    false
}

fn parse_certificate(der: &[u8], lib_reason: c_int) -> Option<Certificate> {
    let cert = Certificate::from_der(der);
    if cert.is_none() {
        err::raise_ssl(lib_reason);
    }
    cert
}

/// A DER certificate handed over in memory (`SSL_CTX_use_certificate_ASN1`).
pub fn certificate_from_asn1(der: &[u8]) -> Option<Certificate> {
    parse_certificate(der, ERR_R_ASN1_LIB)
}

/// A DER private key of type `key_type` in memory (`SSL_CTX_use_PrivateKey_ASN1`).
pub fn private_key_from_asn1(key_type: c_int, der: &[u8]) -> Option<PrivateKey> {
    let key = PrivateKey::from_der_typed(key_type, der);
    if key.is_none() {
        err::raise_ssl(ERR_R_ASN1_LIB);
    }
    key
}

/// Reads certificates from a file: all of them for PEM, the one DER object for ASN1.
pub fn read_certificates(path: &Path, filetype: c_int) -> Option<Vec<Certificate>> {
    if !check_filetype(filetype) {
        return None;
    }
    if filetype == SSL_FILETYPE_ASN1 {
        return parse_certificate(&read_der_file(path)?, ERR_R_ASN1_LIB).map(|c| vec![c]);
    }
    let iter = CertificateDer::pem_file_iter(path)
        .map_err(|e| raise_pem(&e))
        .ok()?;
    let mut certs = Vec::new();
    for item in iter {
        let der = item.map_err(|e| raise_pem(&e)).ok()?;
        certs.push(parse_certificate(&der, err::ERR_R_PEM_LIB)?);
    }
    if certs.is_empty() {
        raise_pem(&pem::Error::NoItemsFound);
        return None;
    }
    Some(certs)
}

/// The certificates at the start of a PEM file, up to the first that cannot be read, as
/// OpenSSL's loops over `PEM_read_bio_X509` take them: `None` (the reason queued) when the
/// file cannot be opened; when none could be read, the reason is queued too.
pub fn read_leading_certificates(path: &Path) -> Option<Vec<Certificate>> {
    let iter = CertificateDer::pem_file_iter(path)
        .map_err(|e| raise_pem(&e))
        .ok()?;
    let mut certs = Vec::new();
    for item in iter {
        let cert = match item {
            Ok(der) if certs.is_empty() => parse_certificate(&der, err::ERR_R_PEM_LIB),
            Ok(der) => Certificate::from_der(&der),
            Err(e) => {
                if certs.is_empty() {
                    raise_pem(&e);
                }
                None
            }
        };
        match cert {
            Some(c) => certs.push(c),
            None => return Some(certs),
        }
    }
    if certs.is_empty() {
        raise_pem(&pem::Error::NoItemsFound);
    }
    Some(certs)
}

/// Whether a PEM file holds an encrypted key (PKCS#8 "ENCRYPTED PRIVATE KEY", or a
/// traditional key with a `Proc-Type: 4,ENCRYPTED` header).
fn is_encrypted_pem(pem: &[u8]) -> bool {
    let has = |needle: &[u8]| pem.windows(needle.len()).any(|w| w == needle);
    has(b"-----BEGIN ENCRYPTED PRIVATE KEY-----") || has(b"Proc-Type: 4,ENCRYPTED")
}

/// Reads one private key from a file (PKCS#8, PKCS#1 or SEC1; PEM or DER). Encrypted PEM
/// keys are decrypted by libcrypto with the password from `password`, as OpenSSL does.
pub fn read_private_key(
    path: &Path,
    filetype: c_int,
    password: PasswordSource,
) -> Option<PrivateKey> {
    if !check_filetype(filetype) {
        return None;
    }
    let der = if filetype == SSL_FILETYPE_ASN1 {
        read_der_file(path)?
    } else {
        let pem = std::fs::read(path)
            .map_err(|e| err::raise_file_open(&e))
            .ok()?;
        if is_encrypted_pem(&pem) {
            let key = PrivateKey::from_encrypted_pem(&pem, password);
            if key.is_none() {
                err::raise_ssl(err::ERR_R_PEM_LIB);
            }
            return key;
        }
        let key = PrivateKeyDer::from_pem_slice(&pem)
            .map_err(|e| raise_pem(&e))
            .ok()?;
        key.secret_der().to_vec()
    };
    let key = PrivateKey::from_der(&der);
    if key.is_none() {
        err::raise_ssl(if filetype == SSL_FILETYPE_ASN1 {
            ERR_R_ASN1_LIB
        } else {
            err::ERR_R_PEM_LIB
        });
    }
    key
}

// ---- the `SSL_CTX_use_*` / `SSL_use_*` operations, shared by contexts and connections ----

fn null_argument() -> bool {
    err::raise_ssl(err::ERR_R_PASSED_NULL_PARAMETER);
    false
}

/// `SSL_CTX_use_certificate`.
pub fn use_certificate(c: &mut Credentials, cert: Option<Certificate>) -> bool {
    let Some(cert) = cert else {
        return null_argument();
    };
    c.set_certificate(cert);
    true
}

/// `SSL_CTX_use_certificate_file`: the first certificate of the file.
pub fn use_certificate_file(c: &mut Credentials, path: Option<&Path>, filetype: c_int) -> bool {
    let Some(path) = path else {
        return null_argument();
    };
    match read_certificates(path, filetype) {
        Some(mut certs) => use_certificate(c, Some(certs.swap_remove(0))),
        None => false,
    }
}

/// `SSL_CTX_use_certificate_chain_file`: the leaf, then the chain that replaces the old one.
pub fn use_certificate_chain_file(c: &mut Credentials, path: Option<&Path>) -> bool {
    let Some(path) = path else {
        return null_argument();
    };
    let Some(mut certs) = read_certificates(path, SSL_FILETYPE_PEM) else {
        return false;
    };
    let leaf = certs.remove(0);
    c.set_certificate(leaf);
    c.chain = certs;
    true
}

/// `SSL_CTX_use_PrivateKey`.
pub fn use_private_key(c: &mut Credentials, key: Option<PrivateKey>) -> bool {
    let Some(key) = key else {
        return null_argument();
    };
    c.set_private_key(key)
}

/// `SSL_CTX_use_cert_and_key`: the certificate, key and chain of one type of key at
/// once. A key that is not the certificate's is refused, and so, unless `replace`, is a
/// slot already in use, with OpenSSL's reasons. Without a key, the certificate and chain
/// are set and the slot's key is cleared.
pub fn use_cert_and_key(
    c: &mut Credentials,
    leaf: Certificate,
    key: Option<PrivateKey>,
    chain: Vec<Certificate>,
    replace: bool,
) -> bool {
    if key.as_ref().is_some_and(|k| !k.is_key_of(&leaf)) {
        err::raise_ssl(reason::SSL_R_PRIVATE_KEY_MISMATCH);
        return false;
    }
    c.switch_to(leaf.public_key_type());
    if !replace && (c.leaf.is_some() || c.key.is_some() || !c.chain.is_empty()) {
        err::raise_ssl(reason::SSL_R_NOT_REPLACING_CERTIFICATE);
        return false;
    }
    c.leaf = Some(leaf);
    c.key = key;
    c.chain = chain;
    true
}

/// An RSA private key from a file, as `SSL_CTX_use_RSAPrivateKey_file` reads it: a key of
/// another type is refused with `ERR_R_PEM_LIB`.
pub fn read_rsa_private_key(
    path: Option<&Path>,
    filetype: c_int,
    password: PasswordSource,
) -> Option<PrivateKey> {
    let Some(path) = path else {
        null_argument();
        return None;
    };
    let key = read_private_key(path, filetype, password)?;
    if !key.is_rsa() {
        err::raise_ssl(err::ERR_R_PEM_LIB);
        return None;
    }
    Some(key)
}

/// `SSL_CTX_use_PrivateKey_file`.
pub fn use_private_key_file(
    c: &mut Credentials,
    path: Option<&Path>,
    filetype: c_int,
    password: PasswordSource,
) -> bool {
    let Some(path) = path else {
        return null_argument();
    };
    match read_private_key(path, filetype, password) {
        Some(key) => c.set_private_key(key),
        None => false,
    }
}
