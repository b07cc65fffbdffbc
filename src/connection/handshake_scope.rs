//! The connection whose handshake step is running on this thread.
//!
//! A rustls config, with its certificate verifier and key log, is shared by every
//! connection of a context, but what those callbacks need (the trust store and expected
//! host, the verify callback, the `SSL *` to report to) belongs to one connection. The
//! connection therefore publishes a [`HandshakeScope`] for the duration of each rustls
//! call that can reach them; rustls calls them synchronously, on the same thread.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU16};
use std::sync::{Arc, Mutex};

use crate::connection::key_log::KeyLogSink;
use crate::session::SessionSlots;
use crate::trace::TraceSecrets;
use crate::verify::verifier::VerifyJob;
use crate::wire::finished_messages::FinishedSecrets;

/// One connection's handshake context.
#[derive(Debug)]
pub struct HandshakeScope {
    pub verify: VerifyJob,
    /// The connection's C handle (`SSL *`), passed to application callbacks.
    pub ssl: usize,
    pub key_log: Option<Arc<dyn KeyLogSink>>,
    /// Where the handshake trace collects the secrets (tracing connections only).
    pub trace_secrets: Option<Arc<TraceSecrets>>,
    /// The session to resume, and sessions received (clients).
    pub sessions: Mutex<SessionSlots>,
    /// Set when a session is received, so the read path needs no lock to find out.
    pub sessions_received: AtomicBool,
    /// OCSP stapling: the response a server staples, or the one a client received.
    pub ocsp_response: Mutex<Option<Vec<u8>>>,
    /// The secrets that open this handshake's Finished records (taken when it ends, as
    /// the scope outlives the handshake).
    pub finished_secrets: Mutex<Option<Box<FinishedSecrets>>>,
    /// A client's: the CA names the server's certificate request listed, once one came.
    pub peer_ca_names: Mutex<Option<Vec<Vec<u8>>>>,
    /// The signature scheme the peer's handshake signature used (0: none was checked).
    pub peer_signature: AtomicU16,
    /// The signature scheme of this side's own handshake signature (0: none made).
    pub own_signature: AtomicU16,
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<HandshakeScope>>> = const { RefCell::new(None) };
}

/// Runs `f` with `scope` as this thread's current connection.
pub fn enter<R>(scope: &Arc<HandshakeScope>, f: impl FnOnce() -> R) -> R {
    let previous = CURRENT.with(|c| c.replace(Some(scope.clone())));
    let r = f();
    CURRENT.with(|c| *c.borrow_mut() = previous);
    r
}

/// The connection whose step is running, if any.
pub fn current() -> Option<Arc<HandshakeScope>> {
    CURRENT.with(|c| c.borrow().clone())
}
