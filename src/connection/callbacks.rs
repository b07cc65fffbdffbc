//! Application callbacks that must run with the `SSL *` free (servername, client hello,
//! certificate, OCSP status, new session): the connection asks for one, the FFI layer runs
//! it and hands the verdict back, then the interrupted call goes on.

use std::os::raw::{c_int, c_long};

use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::ocsp_request::OcspRequestStacks;

use super::{Connection, HandshakeState};

/// An application callback the connection needs run with its `SSL *` free for the
/// callback to use (the FFI layer runs it, then calls the interrupted function again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackRequest {
    /// The server's servername callback (`SSL_CTX_set_tlsext_servername_callback`).
    Servername,
    /// The new-session callback, for the sessions in [`Connection::take_new_sessions`].
    NewSession,
    /// The server's certificate callback (`SSL_CTX_set_cert_cb`).
    Certificate,
    /// The server's client-hello callback (`SSL_CTX_set_client_hello_cb`).
    ClientHello,
    /// The server's OCSP status callback (`SSL_CTX_set_tlsext_status_cb`).
    Status,
}

impl Connection {
    /// The callback the FFI layer must run now, if any.
    pub fn take_callback_request(&mut self) -> Option<CallbackRequest> {
        self.callback_request.take()
    }

    /// OCSP stapling on a server: when the client asked for a status and the context has
    /// a status callback, runs it (through the FFI layer) and keeps the response it set
    /// for the certificate resolver. `Some(ret)` when the call must return now.
    pub(super) fn run_status_callback(&mut self) -> Option<c_int> {
        self.ctx.status_callback()?;
        const STATUS_REQUEST: u16 = 5;
        let hello = crate::wire::client_hello::parse(&self.first_bytes)?;
        hello.extension(STATUS_REQUEST)?;
        match self.status_verdict {
            None => {
                let request = hello.ocsp_status_request();
                if request.is_some() {
                    // A server's status type is the one the client asked for, as in OpenSSL.
                    const TLSEXT_STATUSTYPE_OCSP: c_long = 1;
                    self.status_type = TLSEXT_STATUSTYPE_OCSP;
                }
                self.ocsp_request = request.as_ref().map(OcspRequestStacks::new);
                self.callback_request = Some(CallbackRequest::Status);
                Some(-1)
            }
            Some(SSL_TLSEXT_ERR_OK) => {
                if let (Some(resp), Some(scope)) = (self.ocsp_to_staple.take(), &self.scope) {
                    *scope
                        .ocsp_response
                        .lock()
                        .unwrap_or_else(|e| e.into_inner()) = Some(resp);
                }
                None
            }
            Some(SSL_TLSEXT_ERR_ALERT_FATAL) => {
                const SSL_AD_INTERNAL_ERROR: c_int = 80;
                self.send_plaintext_alert(SSL_AD_INTERNAL_ERROR);
                err::raise_ssl(reason::SSL_R_CLIENTHELLO_TLSEXT);
                self.state = HandshakeState::Failed;
                Some(-1)
            }
            Some(_) => None,
        }
    }

    /// A client that asked for a certificate status (`SSL_set_tlsext_status_type`) runs
    /// the context's status callback once the handshake is done (rustls hands the
    /// stapled response to the verifier, which keeps it); a callback that rejects the
    /// response fails the connection with `SSL_R_INVALID_STATUS_RESPONSE`.
    pub(super) fn check_client_status(&mut self) -> Option<c_int> {
        const TLSEXT_STATUSTYPE_OCSP: c_long = 1;
        const SSL_R_INVALID_STATUS_RESPONSE: c_int = 328;
        if self.server
            || self.status_type != TLSEXT_STATUSTYPE_OCSP
            || self.client_status_checked
            || self.ctx.status_callback().is_none()
        {
            return None;
        }
        match self.status_verdict.take() {
            None => {
                self.callback_request = Some(CallbackRequest::Status);
                Some(-1)
            }
            Some(r) => {
                self.client_status_checked = true;
                if r > 0 {
                    return None;
                }
                err::raise_ssl(SSL_R_INVALID_STATUS_RESPONSE);
                self.state = HandshakeState::Failed;
                Some(-1)
            }
        }
    }

    /// Records what the status callback returned.
    pub fn set_status_verdict(&mut self, ret: c_int) {
        self.status_verdict = Some(ret);
    }

    /// The responder ids and request extensions of the client's status request, as
    /// libcrypto stacks (`SSL_get_tlsext_status_ids`/`_exts`); None when there was none.
    pub fn ocsp_request(&self) -> Option<&OcspRequestStacks> {
        self.ocsp_request.as_ref()
    }

    /// `SSL_set_tlsext_status_ocsp_resp`: the response the server staples.
    pub fn set_ocsp_to_staple(&mut self, response: Vec<u8>) {
        self.ocsp_to_staple = Some(response);
    }

    /// The OCSP response a client received, as (pointer, length) owned by the connection.
    pub fn ocsp_received(&self) -> Option<(*const u8, usize)> {
        let scope = self.scope.as_ref()?;
        let g = scope
            .ocsp_response
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        g.as_ref().map(|v| (v.as_ptr(), v.len()))
    }

    /// Records what the client-hello callback returned, and its alert.
    pub fn set_client_hello_verdict(&mut self, ret: c_int, alert: c_int) {
        self.client_hello_verdict = Some((ret, alert));
    }

    /// The ClientHello, while the client-hello callback runs.
    pub fn client_hello(&self) -> Option<&crate::wire::client_hello::ParsedClientHello> {
        self.client_hello.as_ref()
    }

    /// Records what the certificate callback returned.
    pub fn set_cert_verdict(&mut self, ret: c_int) {
        self.cert_verdict = Some(ret);
    }

    /// Records what the servername callback returned (`SSL_TLSEXT_ERR_*`) and its alert.
    pub fn set_servername_verdict(&mut self, ret: c_int, alert: c_int) {
        self.servername_verdict = Some((ret, alert));
    }
}
