//! The connection's sessions: the one offered for resumption (`SSL_set_session`), the
//! ones received (handed to the new-session callback), and what each one records of
//! the handshake that made it.

use std::sync::Arc;

use crate::codes::ssl_constants::*;
use crate::config::cipher;
use crate::session::{PeerRecord, Session};

use super::callbacks::CallbackRequest;
use super::{Connection, HandshakeState};

impl Connection {
    /// Takes the sessions rustls produced: the newest becomes this connection's session,
    /// and all go to the new-session callback if the application wants them.
    pub(super) fn collect_sessions(&mut self) {
        let Some(scope) = &self.scope else { return };
        if !scope
            .sessions_received
            .swap(false, std::sync::atomic::Ordering::Acquire)
        {
            return;
        }
        let mut received = std::mem::take(
            &mut scope
                .sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .received,
        );
        // rustls stores again the TLS 1.2 session it resumed; OpenSSL's connection keeps
        // the application's session object unless the server sent a new ticket.
        if let Some(resumed) = self.resume.as_ref().filter(|_| self.session_reused()) {
            received.retain(|s| !s.is_tls12_resave_of(resumed));
        }
        if received.is_empty() {
            return;
        }
        for session in &received {
            self.stamp_session(session);
        }
        self.session = received.last().cloned();
        if self.ctx.new_session_callback_for(self.server).is_some() {
            self.new_sessions.extend(received);
            self.callback_request = Some(CallbackRequest::NewSession);
        }
    }

    /// Gives a new session what it remembers of this connection.
    pub(super) fn stamp_session(&self, session: &Session) {
        if session.version() == 0 {
            session.set_version(u16::try_from(self.version()).unwrap_or(0));
        }
        session.set_peer(self.peer_record());
        if session.id_context().is_empty() {
            session.set_id_context(&self.settings.session_id_context);
        }
        session.set_cipher(
            self.active()
                .and_then(|c| c.negotiated_cipher_suite())
                .and_then(|s| cipher::lookup(s.suite())),
        );
        session.set_timeout(self.settings.session_timeout);
        session.remember_names(self.session_hostname().as_ref(), self.alpn_selected());
    }

    /// The name a new session remembers (`SSL_SESSION_get0_hostname`), as OpenSSL: the
    /// client's SNI name where the server acknowledged it (a server acknowledges it when
    /// its servername callback accepted it); on a resumed connection, the resumed
    /// session's.
    fn session_hostname(&self) -> Option<std::ffi::CString> {
        let acknowledged = match self.active() {
            Some(rustls::Connection::Client(c)) => c.server_name_acknowledged(),
            _ => self.name_acknowledged,
        };
        if acknowledged {
            return self.servername.clone();
        }
        self.resume
            .as_ref()
            .filter(|_| self.session_reused())
            .and_then(|r| r.hostname())
    }

    /// What a session remembers of the peer, for a resumed connection to report.
    pub(super) fn peer_record(&self) -> PeerRecord {
        PeerRecord {
            chain: self.peer_chain.clone(),
            verify_result: self.verify_result,
            leaf_only: self.peer_leaf_only,
        }
    }

    /// A connection that completed its handshake but was not shut down (no close_notify
    /// sent) does not leave a resumable session behind, as in OpenSSL.
    pub(super) fn forget_unclean_session(&mut self) {
        if self.state == HandshakeState::Done && self.shutdown & SSL_SENT_SHUTDOWN == 0 {
            if let Some(s) = &self.session {
                if self.server {
                    self.ctx.server_sessions.remove(&s.id());
                }
                s.invalidate();
            }
        }
    }

    /// A resumed client sees no certificate: it reports the one the session was made with.
    pub(super) fn adopt_resumed_peer(&mut self) {
        let Some(resumed) = self.resume.clone() else {
            return;
        };
        if let Some(peer) = resumed.peer() {
            self.peer_chain = peer.chain;
            self.peer_leaf_only = peer.leaf_only;
            self.peer_chain_stack = None;
            self.verify_result = peer.verify_result;
        }
        if self.session.is_none() {
            self.session = Some(resumed);
        }
    }

    /// OpenSSL makes a TLS 1.3 client session single-use where the client caches its
    /// sessions (`SSL_SESS_CACHE_CLIENT`): once resumed, it is no longer resumable. Without
    /// client caching it stays resumable for any number of connections.
    pub(super) fn spend_tls13_session(&self) {
        let caching = self.ctx.settings().session_cache_mode & SSL_SESS_CACHE_CLIENT != 0;
        if self.server || !caching || self.version() != TLS1_3_VERSION {
            return;
        }
        if let Some(s) = &self.session {
            s.invalidate();
        }
    }

    /// The sessions for the new-session callback.
    pub fn take_new_sessions(&mut self) -> Vec<Arc<Session>> {
        std::mem::take(&mut self.new_sessions)
    }

    /// `SSL_set_session`: the session to offer on the next handshake.
    pub fn set_resume(&mut self, session: Option<Arc<Session>>) {
        self.resume = session;
    }

    /// `SSL_get_session`: the handshake's session, or before one, the session set to be
    /// offered (`SSL_set_session`), as OpenSSL's connection holds it.
    pub fn session(&self) -> Option<&Arc<Session>> {
        self.session.as_ref().or(self.resume.as_ref())
    }

    /// `SSL_session_reused`.
    pub fn session_reused(&self) -> bool {
        self.active().and_then(|c| c.handshake_kind()) == Some(rustls::HandshakeKind::Resumed)
    }

    /// `SSL_copy_session_id`: `from`'s session (offered on the next handshake), method,
    /// certificate and key, and session id context.
    pub fn copy_session_id(&mut self, from: &Connection) {
        self.resume = from.session.clone().or_else(|| from.resume.clone());
        self.method = from.method;
        self.settings.method_version = from.settings.method_version;
        self.own_credentials = Some(from.credentials());
        self.settings.session_id_context = from.settings.session_id_context.clone();
    }

    /// `SSL_dup` of a connection whose handshake has not started: a new connection of the
    /// same context with this one's settings, verification parameters, side, server name,
    /// certificate and session. As in OpenSSL, the BIOs are not shared.
    pub fn duplicate(&self) -> Option<Connection> {
        let mut copy = Connection::new(self.ctx.clone())?;
        copy.settings = self.settings.clone();
        copy.param = Arc::new(self.param.copied()?);
        copy.copy_session_id(self);
        copy.servername = self.servername.clone();
        copy.server = self.server;
        copy.role_set = self.role_set;
        copy.shutdown = self.shutdown;
        copy.status_type = self.status_type;
        copy.dane = match &self.dane {
            Some(d) => Some(Arc::new(d.copy()?)),
            None => None,
        };
        Some(copy)
    }
}
