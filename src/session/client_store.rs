//! The `ClientSessionStore` every client config shares: it hands what rustls stores to the
//! connection whose handshake step is running, and gives rustls the session that
//! connection's application chose to resume.

use std::sync::Arc;

use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::pki_types::ServerName;
use rustls::NamedGroup;

use crate::connection::handshake_scope;

use super::{Resumable, Session};

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

pub(super) fn with_slots<R>(f: impl FnOnce(&mut SessionSlots) -> R) -> Option<R> {
    let scope = handshake_scope::current()?;
    let mut slots = scope.sessions.lock().unwrap_or_else(|e| e.into_inner());
    Some(f(&mut slots))
}

/// Keeps a session rustls produced, for the connection to collect.
pub(super) fn receive(session: Session) {
    receive_server_session(Arc::new(session));
}

/// Keeps a session for the connection whose step is running to collect (and hand to
/// the new-session callback).
pub fn receive_server_session(session: Arc<Session>) {
    let Some(scope) = handshake_scope::current() else {
        return;
    };
    scope
        .sessions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .received
        .push(session);
    scope
        .sessions_received
        .store(true, std::sync::atomic::Ordering::Release);
}

impl ClientSessionStore for SessionBridge {
    fn set_kx_hint(&self, _server_name: ServerName<'static>, _group: NamedGroup) {}

    fn kx_hint(&self, _server_name: &ServerName<'_>) -> Option<NamedGroup> {
        None
    }

    fn set_tls12_session(&self, _server_name: ServerName<'static>, value: Tls12ClientSessionValue) {
        receive(Session::new(0x0303, Resumable::Tls12(value)));
    }

    fn tls12_session(&self, _server_name: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        with_slots(|s| match s.resume.as_ref()?.resumable()? {
            Resumable::Tls12(v) => Some(v),
            _ => None,
        })
        .flatten()
    }

    fn remove_tls12_session(&self, _server_name: &ServerName<'static>) {}

    fn insert_tls13_ticket(
        &self,
        _server_name: ServerName<'static>,
        value: Tls13ClientSessionValue,
    ) {
        receive(Session::new(0x0304, Resumable::Tls13(value)));
    }

    /// A copy: the application's session stays resumable, as OpenSSL's does, unless the
    /// connection's end makes it single-use (see `Connection::spend_tls13_session`).
    fn take_tls13_ticket(
        &self,
        _server_name: &ServerName<'static>,
    ) -> Option<Tls13ClientSessionValue> {
        with_slots(|s| match s.resume.as_ref()?.resumable()? {
            Resumable::Tls13(v) => Some(v),
            _ => None,
        })
        .flatten()
    }
}
