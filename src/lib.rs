//! ferrossl: OpenSSL's libssl ABI on top of rustls.
//!
//! The safe core (contexts, connections, verification glue, cipher and version tables)
//! lives in the top-level modules; [`libcrypto`] bridges to the system libcrypto whose
//! objects applications share with us; [`ffi`] holds the `extern "C"` entry points.

#![deny(unsafe_op_in_unsafe_fn)]

pub mod alert;
pub mod alpn;
pub mod cipher;
pub mod cipher_string;
pub mod client_hello;
pub mod conf_cmd;
pub mod connection;
pub mod context;
pub mod credentials;
pub mod finished_messages;
pub mod groups;
pub mod handshake_scope;
pub mod hello_random;
pub mod key_log;
/// cbindgen:ignore
pub mod libcrypto;
pub mod peer_certificate_cache;
pub mod peer_hello;
pub mod protocol_version;
pub mod reason;
pub mod record_protection;
pub mod record_reader;
pub mod server_session_cache;
pub mod session;
pub mod session_ticket_keys;
pub mod signature_scheme;
pub mod signing_key;
pub mod ssl_constants;
pub mod stream_splitter;
pub mod trace;
pub mod verifier;
pub mod wire_reader;

#[macro_use]
pub mod ffi;
