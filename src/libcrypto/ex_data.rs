//! Application data slots (`*_get_ex_data`/`*_set_ex_data`) kept in libcrypto's
//! `CRYPTO_EX_DATA`, so that indices from `CRYPTO_get_ex_new_index` and the new/free
//! callbacks registered with them behave as with OpenSSL.

use std::cell::UnsafeCell;
use std::os::raw::{c_int, c_void};

use super::extra::{self, CRYPTO_EX_DATA};

pub const CRYPTO_EX_INDEX_SSL: c_int = 0;
pub const CRYPTO_EX_INDEX_SSL_CTX: c_int = 1;
pub const CRYPTO_EX_INDEX_SSL_SESSION: c_int = 2;

/// The ex_data of one object. It must not move after `init` (it lives in a `Box`/`Arc`).
pub struct ExData {
    class: c_int,
    data: UnsafeCell<CRYPTO_EX_DATA>,
}

// SAFETY: libcrypto's ex_data is used under the owning object's threading rules (an
// SSL by one thread at a time; an SSL_CTX's slots are set during set-up).
unsafe impl Send for ExData {}
// SAFETY: as above.
unsafe impl Sync for ExData {}

impl std::fmt::Debug for ExData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExData")
            .field("class", &self.class)
            .finish_non_exhaustive()
    }
}

impl ExData {
    pub fn new(class: c_int) -> Self {
        Self {
            class,
            data: UnsafeCell::new(CRYPTO_EX_DATA {
                ctx: std::ptr::null_mut(),
                sk: std::ptr::null_mut(),
            }),
        }
    }

    /// Runs the registered "new" callbacks for the object at `owner`.
    // The pointer is an opaque value libcrypto stores or hands to callbacks; never read here.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn init(&self, owner: *mut c_void) {
        // SAFETY: the slot storage is ours and stays put; owner is the object's C handle.
        unsafe { extra::CRYPTO_new_ex_data(self.class, owner, self.data.get()) };
    }

    /// Runs the registered "free" callbacks and releases the slots.
    // The pointer is an opaque value libcrypto stores or hands to callbacks; never read here.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn free(&self, owner: *mut c_void) {
        // SAFETY: as in init; called once, when the owner is freed.
        unsafe { extra::CRYPTO_free_ex_data(self.class, owner, self.data.get()) };
    }

    // The pointer is an opaque value libcrypto stores or hands to callbacks; never read here.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn set(&self, idx: c_int, val: *mut c_void) -> c_int {
        // SAFETY: the slots belong to this object.
        unsafe { extra::CRYPTO_set_ex_data(self.data.get(), idx, val) }
    }

    /// Copies `from`'s slots through the registered "dup" callbacks (`SSL_dup`).
    pub fn dup_from(&self, from: &ExData) -> bool {
        // SAFETY: both slot sets are live and initialised; libcrypto copies between them.
        unsafe { extra::CRYPTO_dup_ex_data(self.class, self.data.get(), from.data.get()) == 1 }
    }

    pub fn get(&self, idx: c_int) -> *mut c_void {
        // SAFETY: the slots belong to this object.
        unsafe { extra::CRYPTO_get_ex_data(self.data.get(), idx) }
    }
}
