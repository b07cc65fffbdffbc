//! An owned `OPENSSL_LHASH` of pointers it does not own, for `SSL_CTX_sessions`, whose
//! callers walk the table with libcrypto's `lh_*` functions.

use std::os::raw::{c_int, c_ulong, c_void};
use std::ptr::NonNull;

/// The hash and compare functions libcrypto calls on the stored pointers.
pub type HashFn = unsafe extern "C" fn(*const c_void) -> c_ulong;
pub type CompareFn = unsafe extern "C" fn(*const c_void, *const c_void) -> c_int;

extern "C" {
    fn OPENSSL_LH_new(h: Option<HashFn>, c: Option<CompareFn>) -> *mut c_void;
    fn OPENSSL_LH_insert(lh: *mut c_void, data: *mut c_void) -> *mut c_void;
    fn OPENSSL_LH_free(lh: *mut c_void);
}

#[derive(Debug)]
pub struct PointerTable(NonNull<c_void>);

// SAFETY: the table is only read by the application after it is built.
unsafe impl Send for PointerTable {}

impl PointerTable {
    /// A table of `items`, which must outlive it and suit `hash` and `compare`.
    pub fn new(hash: HashFn, compare: CompareFn, items: &[*const c_void]) -> Option<Self> {
        // SAFETY: a fresh table; inserting stores the pointers without taking ownership.
        unsafe {
            let lh = NonNull::new(OPENSSL_LH_new(Some(hash), Some(compare)))?;
            for &item in items {
                OPENSSL_LH_insert(lh.as_ptr(), item as *mut c_void);
            }
            Some(Self(lh))
        }
    }

    pub fn as_ptr(&self) -> *mut c_void {
        self.0.as_ptr()
    }
}

impl Drop for PointerTable {
    fn drop(&mut self) {
        // SAFETY: we own the table; its items are not ours to free.
        unsafe { OPENSSL_LH_free(self.0.as_ptr()) }
    }
}
