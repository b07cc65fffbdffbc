//! Features ferrossl does not have, answered as OpenSSL 3 answers when they are absent or
//! unused, one file per feature. Setters that would need the feature fail with an
//! OpenSSL-style error (so a program configured for it says so); callbacks that only the
//! feature would call are kept and never called; getters report nothing negotiated.

mod compression;
mod ct;
mod dtls;
mod extensions;
mod psk;
mod security;
mod session_hooks;
mod srp;

pub use compression::*;
pub use ct::*;
pub use dtls::*;
pub use extensions::*;
pub use psk::*;
pub use security::*;
pub use session_hooks::*;
pub use srp::*;
