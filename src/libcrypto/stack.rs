//! An `OPENSSL_STACK` of pointers the stack does not own, for functions that hand C a
//! `STACK_OF(SSL_CIPHER)` whose elements are ferrossl's static cipher descriptions.

use std::os::raw::c_void;
use std::ptr::NonNull;

use super::sys;

#[derive(Debug)]
pub struct BorrowingStack(NonNull<sys::OPENSSL_STACK>);

// SAFETY: the stack holds pointers to 'static data and is mutated only while built.
unsafe impl Send for BorrowingStack {}

impl BorrowingStack {
    /// A stack of `items`, each of which must outlive the stack (ferrossl passes statics).
    pub fn new<T: 'static>(items: impl IntoIterator<Item = &'static T>) -> Option<Self> {
        // SAFETY: a fresh stack; pushing stores the pointers without taking ownership.
        unsafe {
            let sk = NonNull::new(sys::OPENSSL_sk_new_null())?;
            for item in items {
                sys::OPENSSL_sk_push(sk.as_ptr(), item as *const T as *const c_void);
            }
            Some(Self(sk))
        }
    }

    pub fn as_ptr(&self) -> *mut c_void {
        self.0.as_ptr() as *mut c_void
    }

    /// Hands the stack to the caller, who frees it (`sk_*_free`, not the elements).
    pub fn into_raw(self) -> *mut c_void {
        let p = self.as_ptr();
        std::mem::forget(self);
        p
    }
}

impl Drop for BorrowingStack {
    fn drop(&mut self) {
        // SAFETY: we own the stack; its elements are not ours to free.
        unsafe { sys::OPENSSL_sk_free(self.0.as_ptr()) }
    }
}
