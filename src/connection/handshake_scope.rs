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
use crate::context::{CertCallback, ClientCertCallback};
use crate::credentials::Credentials;
use crate::libcrypto::name_stack::{OwnedNameStack, RawNameStack};
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
    /// A server that issues a TLS 1.2 ticket caches no session under an id, as OpenSSL's
    /// (whose session then has none); rustls makes both.
    pub ticket_replaces_session_id: AtomicBool,
    /// A client's certificate callbacks, when it has any and no certificate of its own.
    pub client_certificate: Option<Box<ClientCertificateChoice>>,
}

/// How a client without a certificate of its own chooses one when the server asks: its
/// certificate callback (`SSL_set_cert_cb`) may set one with `SSL_use_certificate` and
/// friends, else its client-certificate callback (`SSL_CTX_set_client_cert_cb`) may hand
/// one back. rustls asks synchronously, while the connection is busy, so what the
/// callbacks set goes to `pending` (the FFI layer routes the setters there).
#[derive(Debug)]
pub struct ClientCertificateChoice {
    /// The connection's own (incomplete) credentials, which the callbacks start from.
    pub start: Credentials,
    pub cert_callback: Option<Arc<dyn CertCallback>>,
    pub client_cert_callback: Option<Arc<dyn ClientCertCallback>>,
    /// The credentials being chosen, while the callbacks run.
    pub pending: Mutex<Option<Credentials>>,
    /// What was chosen, for the connection to keep (as OpenSSL keeps what the callbacks
    /// set).
    pub chosen: Mutex<Option<Credentials>>,
    /// The stack `SSL_get_client_CA_list` hands a callback while the connection is busy.
    pub peer_ca_stack: Mutex<OwnedNameStack>,
}

impl ClientCertificateChoice {
    /// Runs the callbacks for the connection `ssl`, starting from `start`: the credentials
    /// to present, if complete.
    pub fn choose(&self, ssl: usize) -> Option<Credentials> {
        let take =
            |m: &Mutex<Option<Credentials>>| m.lock().unwrap_or_else(|e| e.into_inner()).take();
        *self.pending.lock().unwrap_or_else(|e| e.into_inner()) = Some(self.start.clone());
        // The lock is not held while a callback runs: its setters take it.
        if let Some(cb) = &self.cert_callback {
            if cb.call(ssl) <= 0 {
                // A failure or a retry: rustls cannot wait, so no certificate is sent.
                take(&self.pending);
                return None;
            }
        }
        let mut creds = take(&self.pending).unwrap_or_default();
        if !creds.complete() {
            if let Some((cert, key)) = self
                .client_cert_callback
                .as_ref()
                .and_then(|cb| cb.call(ssl))
            {
                creds.set_certificate(cert);
                if !creds.set_private_key(key) {
                    crate::libcrypto::error_queue::clear();
                }
            }
        }
        creds.touch();
        let complete = creds.complete();
        *self.chosen.lock().unwrap_or_else(|e| e.into_inner()) = Some(creds.clone());
        complete.then_some(creds)
    }

    /// The CA names the server's certificate request listed, as a stack it owns, for a
    /// callback that asks (`SSL_get_client_CA_list`); NULL before the request.
    pub fn peer_ca_stack(&self, scope: &HandshakeScope) -> *mut RawNameStack {
        let names = scope
            .peer_ca_names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut stack = self.peer_ca_stack.lock().unwrap_or_else(|e| e.into_inner());
        names.map_or(std::ptr::null_mut(), |n| stack.get(&n))
    }

    /// Changes the credentials being chosen; false when no callback is running.
    pub fn with_pending<R>(&self, f: impl FnOnce(&mut Credentials) -> R) -> Option<R> {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.as_mut().map(f)
    }
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
