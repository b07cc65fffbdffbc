//! ferrossl: OpenSSL's libssl ABI on top of rustls.
//!
//! Three layers, outermost first (`ARCHITECTURE.md` is the map):
//! - [`ffi`]: the `extern "C"` entry points, one file per OpenSSL family; the only place
//!   that knows C's calling conventions and the application's callbacks as C functions.
//! - the safe core: [`context`] (`SSL_CTX`), [`connection`] (`SSL`), [`credentials`],
//!   [`session`], [`verify`], the configuration grammars in [`config`], what is read off
//!   the wire in [`wire`], OpenSSL's numbers in [`codes`], and the handshake [`trace`].
//!   Every core module forbids `unsafe`.
//! - [`libcrypto`]: the bridge to the system libcrypto, whose objects (`X509`, `EVP_PKEY`,
//!   `X509_STORE`, `BIO`, the error queue) applications share with us.

#![deny(unsafe_op_in_unsafe_fn)]

pub mod codes;
pub mod config;
pub mod connection;
pub mod context;
pub mod credentials;
/// cbindgen:ignore
pub mod libcrypto;
pub mod session;
pub mod trace;
pub mod verify;
pub mod wire;

#[macro_use]
pub mod ffi;
