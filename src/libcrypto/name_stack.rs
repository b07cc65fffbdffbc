//! `STACK_OF(X509_NAME)`: the CA name lists a server sends with its certificate request
//! (`SSL_CTX_set_client_CA_list`, `SSL_load_client_CA_file`). The core keeps names as DER;
//! these helpers move them in and out of libcrypto stacks.

use std::os::raw::{c_long, c_void};
use std::ptr::NonNull;

use super::sys::{self, X509_NAME};

/// The opaque `STACK_OF(X509_NAME)`.
pub type RawNameStack = sys::stack_st_X509_NAME;

extern "C" fn free_name(p: *mut c_void) {
    // SAFETY: every element of a name stack is an owned X509_NAME.
    unsafe { sys::X509_NAME_free(p as *mut X509_NAME) }
}

/// A new stack owning one `X509_NAME` per DER name (names libcrypto rejects are skipped).
/// The caller owns the result.
pub fn new_stack(names: &[Vec<u8>]) -> *mut RawNameStack {
    // SAFETY: a fresh stack; each pushed name is a new object the stack then owns.
    unsafe {
        let sk = sys::OPENSSL_sk_new_null();
        if sk.is_null() {
            return std::ptr::null_mut();
        }
        for der in names {
            let mut p = der.as_ptr();
            let name = sys::d2i_X509_NAME(std::ptr::null_mut(), &mut p, der.len() as c_long);
            if !name.is_null() && sys::OPENSSL_sk_push(sk, name as *const c_void) == 0 {
                sys::X509_NAME_free(name);
            }
        }
        sk as *mut RawNameStack
    }
}

/// The DER of every name in an application's stack (NULL reads as empty).
pub fn read_stack(sk: *const RawNameStack) -> Vec<Vec<u8>> {
    if sk.is_null() {
        return Vec::new();
    }
    // SAFETY: sk is a live stack of X509_NAME; each is encoded into a buffer of its size.
    unsafe {
        let n = sys::OPENSSL_sk_num(sk as *const _);
        (0..n)
            .filter_map(|i| {
                super::x509::name_der(sys::OPENSSL_sk_value(sk as *const _, i) as *mut X509_NAME)
            })
            .collect()
    }
}

/// Frees a stack and its names (the application handed its ownership over).
pub fn free_stack(sk: *mut RawNameStack) {
    if !sk.is_null() {
        // SAFETY: the caller owns sk and every element.
        unsafe { sys::OPENSSL_sk_pop_free(sk as *mut _, Some(free_name)) }
    }
}

/// A stack a context or connection owns and hands out (`get0`-style), rebuilt when the
/// names change.
#[derive(Debug, Default)]
pub struct OwnedNameStack(Option<(Vec<Vec<u8>>, NonNull<RawNameStack>)>);

// SAFETY: the stack is only read by libcrypto and replaced under the owner's lock.
unsafe impl Send for OwnedNameStack {}

impl OwnedNameStack {
    /// The stack for `names`, valid until the names change or the owner goes.
    pub fn get(&mut self, names: &[Vec<u8>]) -> *mut RawNameStack {
        if let Some((cached, sk)) = &self.0 {
            if cached == names {
                return sk.as_ptr();
            }
        }
        self.clear();
        match NonNull::new(new_stack(names)) {
            Some(sk) => {
                self.0 = Some((names.to_vec(), sk));
                sk.as_ptr()
            }
            None => std::ptr::null_mut(),
        }
    }

    fn clear(&mut self) {
        if let Some((_, sk)) = self.0.take() {
            free_stack(sk.as_ptr());
        }
    }
}

impl Drop for OwnedNameStack {
    fn drop(&mut self) {
        self.clear();
    }
}

/// Moves every name of `from` onto the end of `to`, then frees the emptied `from`.
pub fn move_all(from: *mut RawNameStack, to: *mut RawNameStack) {
    // SAFETY: both are live stacks of owned names; each name changes owner exactly once.
    unsafe {
        for i in 0..sys::OPENSSL_sk_num(from as *const _) {
            let name = sys::OPENSSL_sk_value(from as *const _, i);
            if sys::OPENSSL_sk_push(to as *mut _, name) == 0 {
                sys::X509_NAME_free(name as *mut X509_NAME);
            }
        }
        // The names now belong to `to`: free only the stack itself.
        sys::OPENSSL_sk_free(from as *mut _);
    }
}
