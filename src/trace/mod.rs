//! The handshake trace: every message a connection sent and received, for OpenSSL's
//! message and info callbacks and for the sequence diagram (`FERROSSL_TRACE`,
//! `FERROSSL_handshake_diagram`). A connection with no observer pays nothing: it has no
//! tracer, and its records are not copied.
#![forbid(unsafe_code)]

pub mod message_facts;
pub mod openssl_state;
mod record_splitter;
pub mod sequence_diagram;
pub mod trace_output;
pub mod trace_text;
pub mod tracer;
pub mod wire_names;

pub use tracer::{Notification, TraceSecrets, Tracer};
