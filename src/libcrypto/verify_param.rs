//! Owned `X509_VERIFY_PARAM`s: the host, IP, depth and flags that verification applies.

use std::os::raw::c_int;
use std::ptr::NonNull;

use super::extra;
use super::sys::{self, X509_VERIFY_PARAM};

/// An owned `X509_VERIFY_PARAM` (one per context, one per connection, as in OpenSSL).
#[derive(Debug)]
pub struct VerifyParam(NonNull<X509_VERIFY_PARAM>);

// SAFETY: a connection's or context's parameters; mutation goes through the owning object.
unsafe impl Send for VerifyParam {}
// SAFETY: as above; shared use only reads.
unsafe impl Sync for VerifyParam {}

impl VerifyParam {
    pub fn new() -> Option<Self> {
        // SAFETY: a fresh parameter set.
        NonNull::new(unsafe { sys::X509_VERIFY_PARAM_new() }).map(Self)
    }

    /// A new set that takes every value of `from` that is set there (`X509_VERIFY_PARAM_inherit`).
    pub fn inherited(from: &VerifyParam) -> Option<Self> {
        let p = Self::new()?;
        // SAFETY: both are live parameter sets.
        unsafe { extra::X509_VERIFY_PARAM_inherit(p.as_ptr(), from.as_ptr()) };
        Some(p)
    }

    pub fn as_ptr(&self) -> *mut X509_VERIFY_PARAM {
        self.0.as_ptr()
    }

    pub fn set_depth(&self, depth: c_int) {
        // SAFETY: a live parameter set.
        unsafe { sys::X509_VERIFY_PARAM_set_depth(self.as_ptr(), depth) }
    }

    /// A new set with every value of this one (`X509_VERIFY_PARAM_set1`).
    pub fn copied(&self) -> Option<Self> {
        let p = Self::new()?;
        // SAFETY: both are live parameter sets.
        unsafe { p.set_from(self.as_ptr()) }.then_some(p)
    }

    pub fn depth(&self) -> c_int {
        // SAFETY: a live parameter set.
        unsafe { extra::X509_VERIFY_PARAM_get_depth(self.as_ptr()) }
    }

    /// Takes every value of `from` (`X509_VERIFY_PARAM_set1`); false on failure.
    ///
    /// # Safety
    /// `from` is a live `X509_VERIFY_PARAM`.
    pub unsafe fn set_from(&self, from: *const X509_VERIFY_PARAM) -> bool {
        // SAFETY: both are live parameter sets, per the contract.
        unsafe { extra::X509_VERIFY_PARAM_set1(self.as_ptr(), from) == 1 }
    }

    /// `X509_VERIFY_PARAM_set_hostflags` (`X509_CHECK_FLAG_*`).
    pub fn set_hostflags(&self, flags: std::os::raw::c_uint) {
        // SAFETY: a live parameter set.
        unsafe { sys::X509_VERIFY_PARAM_set_hostflags(self.as_ptr(), flags) }
    }

    /// Adds a DNS name that may match (`X509_VERIFY_PARAM_add1_host`).
    pub fn add_host(&self, host: Option<&[u8]>) -> bool {
        let (p, len) = host.map_or((std::ptr::null(), 0), |h| (h.as_ptr() as *const _, h.len()));
        // SAFETY: p is valid for len bytes (or NULL, which adds nothing).
        unsafe { extra::X509_VERIFY_PARAM_add1_host(self.as_ptr(), p, len) == 1 }
    }

    /// `X509_VERIFY_PARAM_set_purpose`; false (reason queued) for an unknown purpose.
    pub fn set_purpose(&self, purpose: c_int) -> bool {
        // SAFETY: a live parameter set.
        unsafe { sys::X509_VERIFY_PARAM_set_purpose(self.as_ptr(), purpose) == 1 }
    }

    /// `X509_VERIFY_PARAM_set_trust`; false (reason queued) for an unknown trust setting.
    pub fn set_trust(&self, trust: c_int) -> bool {
        // SAFETY: a live parameter set.
        unsafe { extra::X509_VERIFY_PARAM_set_trust(self.as_ptr(), trust) == 1 }
    }

    /// Sets (or with `None` clears) the expected DNS name.
    pub fn set_host(&self, host: Option<&[u8]>) -> bool {
        let (p, len) = match host {
            Some(h) => (h.as_ptr() as *const _, h.len()),
            None => (std::ptr::null(), 0),
        };
        // SAFETY: p is valid for len bytes (or NULL, which clears the list).
        unsafe { sys::X509_VERIFY_PARAM_set1_host(self.as_ptr(), p, len) == 1 }
    }
}

impl Drop for VerifyParam {
    fn drop(&mut self) {
        // SAFETY: we own it.
        unsafe { sys::X509_VERIFY_PARAM_free(self.as_ptr()) }
    }
}
