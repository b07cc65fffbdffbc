//! TLS 1.3 post-handshake client authentication on a server
//! (`SSL_verify_client_post_handshake`): a client that offered it is asked for a
//! certificate after the handshake, checked as the connection's verify settings are
//! when it is asked (Apache sets them just before, per directory).

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::libcrypto::error_queue as err;

use super::{Connection, HandshakeState, Tls};

impl Connection {
    /// `SSL_verify_client_post_handshake`: queues a CertificateRequest, which the next
    /// `SSL_do_handshake`, `SSL_write` or `SSL_read` sends; `SSL_read` then takes the
    /// client's answer as it arrives. False, with OpenSSL's reason, where the connection
    /// cannot ask (in OpenSSL's order of checks).
    pub fn verify_client_post_handshake(&mut self) -> bool {
        let refused = if self.version() != TLS1_3_VERSION {
            Some(reason::SSL_R_WRONG_SSL_VERSION)
        } else if !self.server {
            Some(reason::SSL_R_NOT_SERVER)
        } else if self.state != HandshakeState::Done {
            Some(reason::SSL_R_STILL_IN_INIT)
        } else {
            match &self.tls {
                Tls::Active(tls) => match &**tls {
                    rustls::Connection::Server(s) if !s.post_handshake_auth_offered() => {
                        Some(reason::SSL_R_EXTENSION_NOT_RECEIVED)
                    }
                    // Queued but not yet written, or written and not yet answered.
                    rustls::Connection::Server(s) if s.client_certificate_requested() => {
                        Some(if s.wants_write() {
                            reason::SSL_R_REQUEST_PENDING
                        } else {
                            reason::SSL_R_REQUEST_SENT
                        })
                    }
                    rustls::Connection::Server(_) => None,
                    rustls::Connection::Client(_) => Some(reason::SSL_R_NOT_SERVER),
                },
                _ => Some(reason::SSL_R_STILL_IN_INIT),
            }
        };
        // OpenSSL asks only where its verify mode would: SSL_VERIFY_PEER, and with
        // SSL_VERIFY_CLIENT_ONCE only if no request went out before.
        let mode = self.settings.verify_mode;
        let once_spent = mode & SSL_VERIFY_CLIENT_ONCE != 0 && self.asked_for_certificate;
        let refused =
            refused
                .or((mode & SSL_VERIFY_PEER == 0 || once_spent)
                    .then_some(reason::SSL_R_INVALID_CONFIG));
        if let Some(r) = refused {
            err::raise_ssl(r);
            return false;
        }
        let verifier = self.ctx.post_handshake_verifier(&self.settings);
        // A fresh scope: the verify callback, mode and store as they are now. The
        // signature schemes the handshake noted carry over.
        let scope = self.new_scope(None, None);
        let (peer, own) = match &self.scope {
            Some(old) => (
                old.peer_signature.load(Relaxed),
                old.own_signature.load(Relaxed),
            ),
            None => (self.peer_signature, self.own_signature),
        };
        scope.peer_signature.store(peer, Relaxed);
        scope.own_signature.store(own, Relaxed);
        let Tls::Active(tls) = &mut self.tls else {
            return false;
        };
        let rustls::Connection::Server(server) = &mut **tls else {
            return false;
        };
        if server.request_client_certificate(verifier).is_err() {
            err::raise_ssl(reason::SSL_R_INVALID_CONFIG);
            return false;
        }
        self.scope = Some(Arc::new(scope));
        self.awaiting_client_certificate = true;
        self.asked_for_certificate = true;
        true
    }

    /// After records were processed: once the client's answer is complete, its
    /// certificate and the verification result come in, as after a handshake.
    pub(super) fn settle_client_certificate(&mut self) {
        if !self.awaiting_client_certificate {
            return;
        }
        let answered = match &self.tls {
            Tls::Active(tls) => match &**tls {
                rustls::Connection::Server(s) => !s.client_certificate_requested(),
                rustls::Connection::Client(_) => true,
            },
            _ => true,
        };
        if answered {
            self.awaiting_client_certificate = false;
            self.collect_verify_outcome();
            self.release_server_scope();
        }
    }
}
