//! What ferrossl reads off the wire itself, beside rustls: the peer's plaintext hellos,
//! a server's ClientHello for its callbacks, the hello randoms, the records that hold the
//! Finished messages and how to open them again. rustls keeps these to itself; OpenSSL's
//! API hands them out.
#![forbid(unsafe_code)]

pub mod client_hello;
pub mod finished_messages;
pub mod hello_random;
pub mod peer_hello;
pub mod reader;
pub mod record_protection;
pub mod stream_splitter;
