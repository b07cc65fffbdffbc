//! Client sessions (`SSL_SESSION`): what a client keeps to resume a connection later.
//!
//! rustls hands its resumption data to a `ClientSessionStore`. Ferrossl's store does not
//! keep it itself: it turns what rustls stores into `SSL_SESSION` objects for the
//! connection that received them (`SSL_get1_session`, the new-session callback), and
//! gives rustls the session the application chose with `SSL_set_session`, as OpenSSL
//! applications expect to decide which session to resume.

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::pki_types::ServerName;
use rustls::NamedGroup;

use crate::handshake_scope;
use crate::libcrypto::x509::Certificate;

/// OpenSSL's default session lifetime (`SSL_get_default_timeout`), in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 7200;

/// What rustls needs to resume.
#[derive(Debug)]
enum Resumable {
    /// A TLS 1.3 ticket; rustls uses each at most once.
    Tls13(Tls13ClientSessionValue),
    Tls12(Tls12ClientSessionValue),
}

/// One client session (`SSL_SESSION *` is an `Arc<Session>` handed to C).
#[derive(Debug)]
pub struct Session {
    /// The protocol version it was made with (`SSL_SESSION_get_protocol_version`).
    pub version: u16,
    /// A 32-byte identifier (OpenSSL's TLS 1.3 sessions carry a random one too).
    pub id: [u8; 32],
    /// Seconds since the epoch when it was made (`SSL_SESSION_get_time`).
    pub created: u64,
    pub timeout: u64,
    value: Mutex<Option<Resumable>>,
    /// The server's certificates and their verify result, which a resumed connection
    /// reports again (no certificate is sent when resuming).
    peer: Mutex<Option<PeerRecord>>,
}

/// The peer as the full handshake saw it.
#[derive(Debug, Clone)]
pub struct PeerRecord {
    pub chain: Vec<Certificate>,
    pub verify_result: std::os::raw::c_long,
}

impl Session {
    fn new(version: u16, value: Resumable) -> Self {
        let mut id = [0u8; 32];
        let _ = rustls::crypto::aws_lc_rs::default_provider()
            .secure_random
            .fill(&mut id);
        Self {
            version,
            id,
            created: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            timeout: DEFAULT_TIMEOUT_SECS,
            value: Mutex::new(Some(value)),
            peer: Mutex::new(None),
        }
    }

    /// Whether it can still be offered (a TLS 1.3 ticket is gone once used).
    pub fn is_resumable(&self) -> bool {
        self.value.lock().map(|v| v.is_some()).unwrap_or(false)
    }

    /// Records the peer of the connection the session came from.
    pub fn set_peer(&self, record: PeerRecord) {
        if let Ok(mut p) = self.peer.lock() {
            p.get_or_insert(record);
        }
    }

    pub fn peer(&self) -> Option<PeerRecord> {
        self.peer.lock().ok()?.clone()
    }

    /// Makes it unusable, as OpenSSL does with the session of a connection that was not
    /// shut down properly.
    pub fn invalidate(&self) {
        if let Ok(mut v) = self.value.lock() {
            *v = None;
        }
    }

    /// Whether the server gave a ticket (TLS 1.3 sessions always have one).
    pub fn has_ticket(&self) -> bool {
        self.version == 0x0304
    }
}

/// Sessions passing through the connection whose step is running.
#[derive(Debug, Default)]
pub struct SessionSlots {
    /// The session the application asked to resume (`SSL_set_session`).
    pub resume: Option<Arc<Session>>,
    /// Sessions rustls produced during the step, newest last.
    pub received: Vec<Arc<Session>>,
}

/// The `ClientSessionStore` of every client config.
#[derive(Debug)]
pub struct SessionBridge;

fn with_slots<R>(f: impl FnOnce(&mut SessionSlots) -> R) -> Option<R> {
    let scope = handshake_scope::current()?;
    let mut slots = scope.sessions.lock().unwrap_or_else(|e| e.into_inner());
    Some(f(&mut slots))
}

impl ClientSessionStore for SessionBridge {
    fn set_kx_hint(&self, _server_name: ServerName<'static>, _group: NamedGroup) {}

    fn kx_hint(&self, _server_name: &ServerName<'_>) -> Option<NamedGroup> {
        None
    }

    fn set_tls12_session(&self, _server_name: ServerName<'static>, value: Tls12ClientSessionValue) {
        with_slots(|s| {
            s.received
                .push(Arc::new(Session::new(0x0303, Resumable::Tls12(value))))
        });
    }

    fn tls12_session(&self, _server_name: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        with_slots(|s| {
            let session = s.resume.as_ref()?;
            let value = session.value.lock().ok()?;
            match value.as_ref()? {
                Resumable::Tls12(v) => Some(v.clone()),
                Resumable::Tls13(_) => None,
            }
        })
        .flatten()
    }

    fn remove_tls12_session(&self, _server_name: &ServerName<'static>) {}

    fn insert_tls13_ticket(
        &self,
        _server_name: ServerName<'static>,
        value: Tls13ClientSessionValue,
    ) {
        with_slots(|s| {
            s.received
                .push(Arc::new(Session::new(0x0304, Resumable::Tls13(value))))
        });
    }

    fn take_tls13_ticket(
        &self,
        _server_name: &ServerName<'static>,
    ) -> Option<Tls13ClientSessionValue> {
        with_slots(|s| {
            let session = s.resume.as_ref()?;
            let mut value = session.value.lock().ok()?;
            match value.take()? {
                Resumable::Tls13(v) => Some(v),
                other => {
                    *value = Some(other);
                    None
                }
            }
        })
        .flatten()
    }
}
