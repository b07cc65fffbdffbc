//! DANE (RFC 6698/7671) as OpenSSL does it: libssl keeps a connection's TLSA records in an
//! `SSL_DANE` and hands it to libcrypto's chain verification (`X509_STORE_CTX_set0_dane`),
//! which matches the records, builds chains to DANE trust anchors and reports the match.
//! ferrossl builds the same structure, so `X509_verify_cert` of the system libcrypto does
//! the matching exactly as it does for OpenSSL's libssl.
//!
//! The layouts below are libcrypto's `struct ssl_dane_st`, `struct dane_ctx_st` and
//! `danetls_record` (OpenSSL's `include/internal/dane.h`), shared between OpenSSL 3's
//! libssl and libcrypto and unchanged since 1.1.0.

use std::os::raw::{c_int, c_ulong, c_void};
use std::ptr;
use std::sync::Mutex;

use super::sys::{self, EVP_MD, EVP_PKEY, X509};
use super::x509::Certificate;

const DANETLS_USAGE_DANE_TA: u8 = 2;
const DANETLS_USAGE_LAST: u8 = 3;
const DANETLS_SELECTOR_CERT: u8 = 0;
const DANETLS_SELECTOR_LAST: u8 = 1;
const DANETLS_MATCHING_FULL: u8 = 0;
/// Usages whose records name trust anchors (PKIX-TA, DANE-TA).
const DANETLS_TA_MASK: u32 = 1 << 0 | 1 << 2;

#[repr(C)]
struct DaneCtx {
    mdevp: *mut *const EVP_MD,
    mdord: *mut u8,
    mdmax: u8,
    flags: c_ulong,
}

#[repr(C)]
struct DanetlsRecord {
    usage: u8,
    selector: u8,
    mtype: u8,
    data: *mut u8,
    dlen: usize,
    spki: *mut EVP_PKEY,
}

#[repr(C)]
struct SslDane {
    dctx: *mut DaneCtx,
    trecs: *mut sys::OPENSSL_STACK,
    certs: *mut sys::stack_st_X509,
    mtlsa: *mut DanetlsRecord,
    mcert: *mut X509,
    umask: u32,
    mdpth: c_int,
    pdpth: c_int,
    flags: c_ulong,
}

extern "C" {
    fn X509_STORE_CTX_set0_dane(ctx: *mut sys::X509_STORE_CTX, dane: *mut SslDane);
    fn EVP_MD_get_size(md: *const EVP_MD) -> c_int;
    fn OPENSSL_sk_insert(sk: *mut sys::OPENSSL_STACK, data: *const c_void, at: c_int) -> c_int;
}

/// A context's matching types: for each, the digest and its preference
/// (`SSL_CTX_dane_enable`, `SSL_CTX_dane_mtype_set`). Full(0) has no digest.
#[derive(Debug, Clone)]
pub struct DaneDigests {
    /// Indexed by matching type: (digest, ordinal); a NULL digest disables the type.
    table: Vec<(usize, u8)>,
}

// SAFETY: the digests are libcrypto's static EVP_MD objects (or the application's,
// which OpenSSL also shares between threads).
unsafe impl Send for DaneDigests {}
unsafe impl Sync for DaneDigests {}

/// Why a matching type could not be set.
#[derive(Debug, PartialEq, Eq)]
pub enum MtypeRefusal {
    /// Full(0) cannot be given a digest.
    Full,
}

impl DaneDigests {
    /// OpenSSL's defaults: Full(0), SHA2-256(1) and SHA2-512(2), preferred in that order
    /// of ordinal.
    pub fn defaults() -> Self {
        // SAFETY: libcrypto's static digests.
        let (sha256, sha512) = unsafe { (sys::EVP_sha256(), sys::EVP_sha512()) };
        Self {
            table: vec![(0, 0), (sha256 as usize, 1), (sha512 as usize, 2)],
        }
    }

    /// `SSL_CTX_dane_mtype_set`: `md` (NULL disables the type) with preference `ord`.
    pub fn set(&mut self, md: *const EVP_MD, mtype: u8, ord: u8) -> Result<(), MtypeRefusal> {
        if mtype == DANETLS_MATCHING_FULL && !md.is_null() {
            return Err(MtypeRefusal::Full);
        }
        let i = usize::from(mtype);
        if self.table.len() <= i {
            self.table.resize(i + 1, (0, 0));
        }
        self.table[i] = (md as usize, if md.is_null() { 0 } else { ord });
        Ok(())
    }
}

/// Why a TLSA record was refused (each is one of OpenSSL's `SSL_R_DANE_TLSA_*` reasons).
#[derive(Debug, PartialEq, Eq)]
pub enum TlsaRefusal {
    BadDataLength,
    BadCertificateUsage,
    BadSelector,
    BadMatchingType,
    BadDigestLength,
    NullData,
    BadCertificate,
    BadPublicKey,
}

/// What a verification that used DANE matched (`SSL_get0_dane_authority`,
/// `SSL_get0_dane_tlsa`).
#[derive(Debug)]
pub struct DaneMatch {
    /// The depth of the matched certificate, or -1 for none.
    pub depth: c_int,
    /// The matched record: usage, selector, matching type and where its data lies.
    pub record: Option<(u8, u8, u8, *const u8, usize)>,
    /// The matched certificate, owned by the DANE state.
    pub certificate: *mut X509,
    /// The matched record's public key, for a DANE-TA(2) key record that matched no
    /// certificate of the chain.
    pub public_key: *mut EVP_PKEY,
}

/// One connection's DANE state: its `SSL_DANE` (what `SSL_get0_dane` hands out) and the
/// digest table the records were made under.
pub struct Dane {
    state: Mutex<Box<SslDane>>,
    /// The digest table `dctx` points into.
    ctx: Box<DaneCtx>,
    digest_table: Vec<*const EVP_MD>,
    ordinal_table: Vec<u8>,
}

// SAFETY: the structure is only touched under its mutex (libcrypto too, during the
// verification that holds the lock), and its pointers are owned by it.
unsafe impl Send for Dane {}
unsafe impl Sync for Dane {}

impl std::fmt::Debug for Dane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dane").finish_non_exhaustive()
    }
}

impl Dane {
    /// A disabled state (no records), as every OpenSSL connection has.
    pub fn disabled() -> Self {
        Self::with_digests(None)
    }

    /// `SSL_dane_enable`: ready for records, under the context's matching types.
    pub fn enabled(digests: &DaneDigests) -> Option<Self> {
        let d = Self::with_digests(Some(digests));
        // SAFETY: a fresh empty stack, owned by the state.
        let trecs = unsafe { sys::OPENSSL_sk_new_null() };
        if trecs.is_null() {
            return None;
        }
        d.lock().trecs = trecs;
        Some(d)
    }

    fn with_digests(digests: Option<&DaneDigests>) -> Self {
        let mut mdevp: Vec<*const EVP_MD> = digests.map_or(Vec::new(), |d| {
            d.table.iter().map(|(md, _)| *md as *const EVP_MD).collect()
        });
        let mut mdord: Vec<u8> =
            digests.map_or(Vec::new(), |d| d.table.iter().map(|(_, o)| *o).collect());
        let (evp, ord) = if mdevp.is_empty() {
            (ptr::null_mut(), ptr::null_mut())
        } else {
            (mdevp.as_mut_ptr(), mdord.as_mut_ptr())
        };
        let mut ctx = Box::new(DaneCtx {
            mdevp: evp,
            mdord: ord,
            mdmax: u8::try_from(mdevp.len().saturating_sub(1)).unwrap_or(u8::MAX),
            flags: 0,
        });
        let state = Box::new(SslDane {
            dctx: &mut *ctx,
            trecs: ptr::null_mut(),
            certs: ptr::null_mut(),
            mtlsa: ptr::null_mut(),
            mcert: ptr::null_mut(),
            umask: 0,
            mdpth: -1,
            pdpth: -1,
            flags: 0,
        });
        Self {
            state: Mutex::new(state),
            ctx,
            digest_table: mdevp,
            ordinal_table: mdord,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Box<SslDane>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether records can be added (`SSL_dane_enable` ran).
    pub fn is_enabled(&self) -> bool {
        !self.lock().trecs.is_null()
    }

    /// Whether verification uses DANE: enabled, with at least one record.
    pub fn has_records(&self) -> bool {
        let s = self.lock();
        // SAFETY: trecs is NULL or our stack.
        !s.trecs.is_null() && unsafe { sys::OPENSSL_sk_num(s.trecs) } > 0
    }

    /// The `SSL_DANE *` for the application (`SSL_get0_dane`); it lives as long as this.
    pub fn as_ptr(&self) -> *mut c_void {
        &mut **self.lock() as *mut SslDane as *mut c_void
    }

    /// `SSL_dane_tlsa_add`: checks the record as OpenSSL does and keeps it, in the order
    /// libcrypto expects (DANE-EE first, then by selector and digest preference).
    /// `data` is `None` for a NULL pointer of `dlen` bytes.
    pub fn add(
        &self,
        usage: u8,
        selector: u8,
        mtype: u8,
        data: Option<&[u8]>,
        dlen: usize,
    ) -> Result<(), TlsaRefusal> {
        if c_int::try_from(dlen).is_err() {
            return Err(TlsaRefusal::BadDataLength);
        }
        if usage > DANETLS_USAGE_LAST {
            return Err(TlsaRefusal::BadCertificateUsage);
        }
        if selector > DANETLS_SELECTOR_LAST {
            return Err(TlsaRefusal::BadSelector);
        }
        let digests = DigestView(&self.ctx);
        if mtype != DANETLS_MATCHING_FULL {
            let md = digests.digest(mtype);
            if md.is_null() {
                return Err(TlsaRefusal::BadMatchingType);
            }
            // SAFETY: a live digest.
            if usize::try_from(unsafe { EVP_MD_get_size(md) }).ok() != Some(dlen) {
                return Err(TlsaRefusal::BadDigestLength);
            }
        }
        let Some(data) = data else {
            return Err(TlsaRefusal::NullData);
        };
        let mut spki = ptr::null_mut();
        let mut anchor = None;
        if mtype == DANETLS_MATCHING_FULL {
            if selector == DANETLS_SELECTOR_CERT {
                let cert = Certificate::from_der_exact(data)
                    .filter(Certificate::has_public_key)
                    .ok_or(TlsaRefusal::BadCertificate)?;
                // PKIX-TA(0) and DANE-TA(2) certificates may be missing from the wire chain.
                if (1u32 << usage) & DANETLS_TA_MASK != 0 {
                    anchor = Some(cert);
                }
            } else {
                let key = public_key_exact(data).ok_or(TlsaRefusal::BadPublicKey)?;
                if usage == DANETLS_USAGE_DANE_TA {
                    spki = key;
                } else {
                    // SAFETY: the key just decoded, not kept.
                    unsafe { sys::EVP_PKEY_free(key) };
                }
            }
        }
        let record = Box::into_raw(Box::new(DanetlsRecord {
            usage,
            selector,
            mtype,
            data: Box::into_raw(data.to_vec().into_boxed_slice()) as *mut u8,
            dlen,
            spki,
        }));
        let mut s = self.lock();
        // SAFETY: trecs is our live stack of records; certs is NULL or our stack.
        unsafe {
            if let Some(cert) = anchor {
                if s.certs.is_null() {
                    s.certs = sys::OPENSSL_sk_new_null() as *mut sys::stack_st_X509;
                }
                sys::OPENSSL_sk_push(s.certs as *mut _, cert.to_owned_ptr() as *const c_void);
            }
            let n = sys::OPENSSL_sk_num(s.trecs);
            let mut at = 0;
            while at < n {
                let rec = &*(sys::OPENSSL_sk_value(s.trecs, at) as *const DanetlsRecord);
                let order = (rec.usage, rec.selector, digests.ordinal(rec.mtype)).cmp(&(
                    usage,
                    selector,
                    digests.ordinal(mtype),
                ));
                if order.is_le() {
                    break;
                }
                at += 1;
            }
            OPENSSL_sk_insert(s.trecs, record as *const c_void, at);
        }
        s.umask |= 1 << usage;
        Ok(())
    }

    /// Hands the state to a chain verification that is about to run (`X509_verify_cert`
    /// under the returned guard), with the connection's flags and no earlier match.
    ///
    /// # Safety
    /// `ctx` is a live `X509_STORE_CTX` that is verified before the guard is dropped.
    pub(super) unsafe fn attach(
        &self,
        ctx: *mut sys::X509_STORE_CTX,
        flags: c_ulong,
    ) -> Attached<'_> {
        let mut s = self.lock();
        s.flags = flags;
        s.reset_match();
        // SAFETY: per the contract; the state stays locked while libcrypto uses it.
        unsafe { X509_STORE_CTX_set0_dane(ctx, &mut **s) };
        Attached { _state: s }
    }

    /// What the last verification matched.
    pub fn matched(&self) -> DaneMatch {
        let s = self.lock();
        // SAFETY: mtlsa is NULL or one of our records.
        let record = unsafe { s.mtlsa.as_ref() }
            .map(|r| (r.usage, r.selector, r.mtype, r.data as *const u8, r.dlen));
        let public_key = match unsafe { s.mtlsa.as_ref() } {
            Some(r) if s.mcert.is_null() => r.spki,
            _ => ptr::null_mut(),
        };
        DaneMatch {
            depth: s.mdpth,
            record,
            certificate: s.mcert,
            public_key,
        }
    }

    /// A copy with the same records, without the last match (`SSL_dup`).
    pub fn copy(&self) -> Option<Dane> {
        if !self.is_enabled() {
            return Some(Dane::disabled());
        }
        let digests = DaneDigests {
            table: self
                .digest_table
                .iter()
                .zip(&self.ordinal_table)
                .map(|(md, ord)| (*md as usize, *ord))
                .collect(),
        };
        let copy = Dane::enabled(&digests)?;
        let records: Vec<(u8, u8, u8, Vec<u8>)> = {
            let s = self.lock();
            // SAFETY: trecs is our live stack of records, each with dlen bytes of data.
            unsafe {
                (0..sys::OPENSSL_sk_num(s.trecs))
                    .map(|i| &*(sys::OPENSSL_sk_value(s.trecs, i) as *const DanetlsRecord))
                    .map(|r| {
                        let data = std::slice::from_raw_parts(r.data, r.dlen).to_vec();
                        (r.usage, r.selector, r.mtype, data)
                    })
                    .collect()
            }
        };
        for (usage, selector, mtype, data) in records {
            copy.add(usage, selector, mtype, Some(&data), data.len())
                .ok()?;
        }
        Some(copy)
    }

    /// Forgets the last verification's match (`SSL_clear`).
    pub fn reset(&self) {
        self.lock().reset_match();
    }
}

/// Keeps a connection's DANE state locked while libcrypto verifies with it.
pub(super) struct Attached<'a> {
    _state: std::sync::MutexGuard<'a, Box<SslDane>>,
}

impl SslDane {
    fn reset_match(&mut self) {
        // SAFETY: mcert is NULL or a reference libcrypto gave the state.
        unsafe { sys::X509_free(self.mcert) };
        self.mcert = ptr::null_mut();
        self.mtlsa = ptr::null_mut();
        self.mdpth = -1;
        self.pdpth = -1;
    }
}

impl Drop for Dane {
    fn drop(&mut self) {
        let s = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        s.reset_match();
        // SAFETY: the records, certificates and stacks are ours, made in `add`.
        unsafe {
            if !s.trecs.is_null() {
                for i in 0..sys::OPENSSL_sk_num(s.trecs) {
                    let rec =
                        Box::from_raw(sys::OPENSSL_sk_value(s.trecs, i) as *mut DanetlsRecord);
                    drop(Box::from_raw(ptr::slice_from_raw_parts_mut(
                        rec.data, rec.dlen,
                    )));
                    sys::EVP_PKEY_free(rec.spki);
                }
                sys::OPENSSL_sk_free(s.trecs);
            }
            if !s.certs.is_null() {
                for i in 0..sys::OPENSSL_sk_num(s.certs as *const _) {
                    sys::X509_free(sys::OPENSSL_sk_value(s.certs as *const _, i) as *mut X509);
                }
                sys::OPENSSL_sk_free(s.certs as *mut _);
            }
        }
    }
}

/// The digest table as `add` reads it.
struct DigestView<'a>(&'a DaneCtx);

impl DigestView<'_> {
    fn digest(&self, mtype: u8) -> *const EVP_MD {
        if self.0.mdevp.is_null() || mtype > self.0.mdmax {
            return ptr::null();
        }
        // SAFETY: mdevp holds mdmax + 1 entries.
        unsafe { *self.0.mdevp.add(usize::from(mtype)) }
    }

    fn ordinal(&self, mtype: u8) -> u8 {
        if self.0.mdord.is_null() || mtype > self.0.mdmax {
            return 0;
        }
        // SAFETY: mdord holds mdmax + 1 entries.
        unsafe { *self.0.mdord.add(usize::from(mtype)) }
    }
}

/// A DER SubjectPublicKeyInfo that is exactly `der`, as a new key.
fn public_key_exact(der: &[u8]) -> Option<*mut EVP_PKEY> {
    let len = std::os::raw::c_long::try_from(der.len()).ok()?;
    let mut p = der.as_ptr();
    // SAFETY: p walks der's bytes; the key is freed if it does not use them all.
    unsafe {
        let key = sys::d2i_PUBKEY(ptr::null_mut(), &mut p, len);
        if key.is_null() {
            return None;
        }
        if p != der.as_ptr().add(der.len()) {
            sys::EVP_PKEY_free(key);
            return None;
        }
        Some(key)
    }
}
