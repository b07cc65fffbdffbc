//! Driving the handshake: starting rustls on the side chosen, a server's wait for the
//! whole ClientHello (so its callbacks can pick the context and certificate), and the
//! handshake step `SSL_do_handshake`, `SSL_connect` and `SSL_accept` run.

use std::ffi::CString;
use std::os::raw::c_int;
use std::sync::{Arc, Mutex};

use rustls::pki_types::ServerName;

use super::handshake_scope::{self, ClientCertificateChoice, HandshakeScope};
use super::key_log::KeyLogSink;
use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::config::{groups, protocol_version};
use crate::context::{AlpnChoice, HelloChoices};
use crate::libcrypto::bio::BioWriter;
use crate::libcrypto::error_queue as err;
use crate::libcrypto::store::CallbackContext;
use crate::session::{Session, SessionSlots};
use crate::trace::{trace_output, TraceSecrets, Tracer};
use crate::verify::verifier::VerifyJob;
use crate::wire::finished_messages::KeptFinished;
use crate::wire::peer_hello::{PeerHello, PeerHelloReader};

use super::callbacks::CallbackRequest;
use super::record_io::{plaintext_protocol, tap, TapWriter, FIRST_BYTES};
use super::{Connection, HandshakeState, Tls};

pub(super) const BIO_RR_CONNECT: c_int = 0x02;

pub(super) const BIO_RR_ACCEPT: c_int = 0x03;

impl Connection {
    pub(super) fn start(&mut self) -> bool {
        if !self.role_set {
            err::raise_ssl(reason::SSL_R_CONNECTION_TYPE_NOT_SET);
            return false;
        }
        let trace_secrets = self.settings.tracing().then(Arc::<TraceSecrets>::default);
        self.trace = trace_secrets.as_ref().map(|secrets| {
            let max = if self.settings.max_version == TLS1_2_VERSION
                || self.settings.method_version == TLS1_2_VERSION
            {
                0x0303
            } else {
                0x0304
            };
            Box::new(Tracer::new(
                self.server,
                self.settings.msg_callback.is_some(),
                self.settings.info_callback.is_some()
                    || self.ctx.settings().info_callback.is_some(),
                max,
                secrets.clone(),
            ))
        });
        if self.trace.is_some() {
            self.trace_number = trace_output::next_connection_number();
        }
        // OpenSSL logs through the context's callback as it is when the secrets appear:
        // Node.js sets it on a client's context after SSL_new.
        let key_log = self.ctx.settings().key_log.clone();
        self.scope = Some(Arc::new(self.new_scope(key_log, trace_secrets)));
        self.peer_hello_reader = Some(Box::new(PeerHelloReader::new(self.server)));
        self.peer_hello = PeerHello::default();
        self.finished_capture = Some(Box::default());
        self.finished = KeptFinished::default();
        if self.server {
            let reads_hello =
                self.ctx.client_hello_callback().is_some() || self.ctx.status_callback().is_some();
            self.first_bytes_kept = if reads_hello {
                crate::wire::client_hello::MAX_HELLO_BYTES
            } else {
                FIRST_BYTES
            };
            self.tls = Tls::Accepting(Box::default());
        } else {
            let creds = self.credentials();
            let early_data = self.sending_early_data;
            let Some(config) = self.ctx.client_config(&self.settings, &creds, early_data) else {
                return false;
            };
            if let Some(session) = &self.resume {
                crate::context::bind_offered_session(session, &self.settings, &config);
            }
            let name = self
                .servername
                .as_ref()
                .and_then(|n| n.to_str().ok())
                .and_then(|n| ServerName::try_from(n.to_owned()).ok())
                .filter(|n| matches!(n, ServerName::DnsName(_)))
                // No name, or an IP literal: rustls then sends no SNI, like OpenSSL without one.
                .unwrap_or(ServerName::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
            let alpn = self.settings.alpn_protos.clone();
            let scope = self.scope.clone();
            let new = || rustls::ClientConnection::new_with_alpn(config, name, alpn);
            let made = match &scope {
                Some(scope) => handshake_scope::enter(scope, new),
                None => new(),
            };
            match made {
                Ok(c) => self.tls = Tls::Active(Box::new(c.into())),
                Err(e) => {
                    self.fail(&e);
                    return false;
                }
            }
        }
        self.state = HandshakeState::Handshaking;
        true
    }

    /// The scope of this connection's rustls calls, its verification set up from the
    /// connection's settings as they are now.
    pub(super) fn new_scope(
        &self,
        key_log: Option<Arc<dyn KeyLogSink>>,
        trace_secrets: Option<Arc<TraceSecrets>>,
    ) -> HandshakeScope {
        HandshakeScope {
            verify: VerifyJob {
                store: match &self.settings.verify_store {
                    Some(store) => store.clone(),
                    None => self.ctx.store(),
                },
                param: self.param.clone(),
                mode: self.settings.verify_mode,
                purpose: if self.server {
                    c"ssl_client"
                } else {
                    c"ssl_server"
                },
                callback: CallbackContext {
                    callback: self.settings.verify_callback,
                    ssl: self.handle,
                    app_verify: self.ctx.settings().app_verify,
                    dane: self.dane.clone().map(|d| (d, self.settings.dane_flags)),
                },
                outcome: Default::default(),
            },
            ssl: self.handle,
            key_log,
            trace_secrets,
            sessions: Mutex::new(SessionSlots {
                resume: if self.server {
                    None
                } else {
                    self.resume.clone()
                },
                received: Vec::new(),
            }),
            sessions_received: Default::default(),
            ocsp_response: Mutex::new(None),
            finished_secrets: Default::default(),
            peer_ca_names: Default::default(),
            peer_signature: Default::default(),
            own_signature: Default::default(),
            ticket_replaces_session_id: Default::default(),
            client_certificate: self.client_certificate_choice(),
        }
    }

    /// Takes the verifier's findings into the connection (peer chain, verify result).
    pub(super) fn collect_verify_outcome(&mut self) {
        self.keep_chosen_certificate();
        let Some(scope) = &self.scope else { return };
        let outcome = scope
            .verify
            .outcome
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(o) = outcome {
            self.verify_result = o.result;
            self.peer_chain = o.peer_chain;
            self.peer_leaf_only = false;
            self.peer_chain_stack = None;
            self.verified_chain = o.verified_chain;
        }
    }

    /// Sends the alert rustls queued when it refused the ClientHello; where it queued none,
    /// the plaintext alert OpenSSL sends.
    pub(super) fn send_hello_alert(&mut self, alert: &mut rustls::server::AcceptedAlert) {
        let Some(wbio) = &self.wbio else { return };
        let mut w = TapWriter {
            inner: BioWriter(wbio),
            trace: tap(&mut self.trace),
            prefix: None,
            finished: None,
            own_app_data: false,
        };
        let mut sent = 0;
        while let Ok(n @ 1..) = alert.write(&mut w) {
            sent += n;
        }
        if sent > 0 {
            let _ = std::io::Write::flush(&mut w);
        } else {
            self.send_plaintext_alert(crate::codes::alert::UNSENT_HELLO_ALERT.into());
        }
    }

    /// Server side: once the ClientHello is complete, picks ALPN and the config, then
    /// continues as an ordinary connection. `Some(ret)` when the call must return now.
    pub(super) fn accept_client_hello(&mut self) -> Option<c_int> {
        if let Tls::Accepting(acceptor) = &mut self.tls {
            let accepted = match acceptor.accept() {
                Ok(None) => return None,
                Ok(Some(a)) => a,
                Err((e, mut alert)) => {
                    // OpenSSL names plaintext HTTP and sends no alert for it.
                    if let Some(r) = plaintext_protocol(&self.first_bytes) {
                        err::raise_ssl(r);
                        self.state = HandshakeState::Failed;
                        return Some(-1);
                    }
                    self.send_hello_alert(&mut alert);
                    self.fail(&e);
                    return Some(-1);
                }
            };
            let hello = accepted.client_hello();
            self.servername = hello.server_name().and_then(|n| CString::new(n).ok());
            self.client_ciphers_raw = hello
                .cipher_suites()
                .iter()
                .flat_map(|s| u16::from(*s).to_be_bytes())
                .collect();
            self.tls = Tls::HelloReceived(Box::new(accepted));
            if protocol_version::below_tls12(self.settings.method_version) {
                // A TLS 1.0 or 1.1 method: those versions are switched off.
                const SSL_AD_PROTOCOL_VERSION: c_int = 70;
                self.send_plaintext_alert(SSL_AD_PROTOCOL_VERSION);
                err::raise_ssl(reason::SSL_R_UNSUPPORTED_PROTOCOL);
                self.state = HandshakeState::Failed;
                return Some(-1);
            }
            if self.ctx.client_hello_callback().is_some() {
                self.client_hello = crate::wire::client_hello::parse(&self.first_bytes);
                self.callback_request = Some(CallbackRequest::ClientHello);
                return Some(-1);
            }
            if self.ctx.has_servername_callback() {
                self.callback_request = Some(CallbackRequest::Servername);
                return Some(-1);
            }
        }
        if let Some((ret, alert)) = self.client_hello_verdict.take() {
            match ret {
                SSL_CLIENT_HELLO_RETRY => {
                    // Suspended: the next call asks the callback again.
                    self.rwstate = SSL_CLIENT_HELLO_CB;
                    self.callback_request = None;
                    return Some(-1);
                }
                SSL_CLIENT_HELLO_SUCCESS => {
                    self.client_hello = None;
                    if self.ctx.has_servername_callback() && self.servername_verdict.is_none() {
                        self.callback_request = Some(CallbackRequest::Servername);
                        return Some(-1);
                    }
                }
                _ => {
                    self.client_hello = None;
                    self.send_plaintext_alert(alert);
                    err::raise_ssl(reason::SSL_R_CALLBACK_FAILED);
                    self.state = HandshakeState::Failed;
                    return Some(-1);
                }
            }
        } else if self.client_hello.is_some() {
            // Resumed after a retry: ask the callback again.
            self.callback_request = Some(CallbackRequest::ClientHello);
            return Some(-1);
        }
        if let Some((ret, alert)) = self.servername_verdict.take() {
            self.name_acknowledged = ret == SSL_TLSEXT_ERR_OK;
            if ret == SSL_TLSEXT_ERR_ALERT_FATAL {
                self.send_plaintext_alert(alert);
                err::raise_ssl(reason::SSL_R_CALLBACK_FAILED);
                self.state = HandshakeState::Failed;
                return Some(-1);
            }
        }
        if self.cert_callback().is_some() {
            // A verdict to go on stays, so that a later callback's pass does not ask again.
            match self.cert_verdict {
                None => {
                    self.callback_request = Some(CallbackRequest::Certificate);
                    return Some(-1);
                }
                // Suspended: the next call runs the callback again.
                Some(r) if r < 0 => {
                    self.cert_verdict = None;
                    self.rwstate = SSL_X509_LOOKUP;
                    return Some(-1);
                }
                Some(0) => {
                    const SSL_AD_INTERNAL_ERROR: c_int = 80;
                    self.send_plaintext_alert(SSL_AD_INTERNAL_ERROR);
                    err::raise_ssl(reason::SSL_R_CERT_CB_ERROR);
                    self.state = HandshakeState::Failed;
                    return Some(-1);
                }
                Some(_) => {}
            }
        }
        if let Some(ret) = self.run_status_callback() {
            return Some(ret);
        }
        let Tls::HelloReceived(accepted) = std::mem::replace(&mut self.tls, Tls::None) else {
            return None;
        };
        let hello = accepted.client_hello();
        let offered = hello.alpn().map(crate::config::alpn::to_wire);
        let mut alpn = None;
        if let (Some(offered), Some(selector)) = (offered, self.ctx.alpn_selector()) {
            match selector.select(self.handle, &offered) {
                AlpnChoice::Selected(p) => alpn = Some(p),
                AlpnChoice::NoAck => {}
                AlpnChoice::Fatal => {
                    self.fail(&rustls::Error::NoApplicationProtocol);
                    return Some(-1);
                }
            }
        }
        let creds = self.credentials();
        let early_data = self.reading_early_data && self.early_data_allowed();
        let hello_reader = self.peer_hello_reader.as_deref();
        let choices = HelloChoices {
            alpn,
            early_data,
            hybrid_share: hello_reader.is_some_and(|r| r.sent_share(u16::from(groups::HYBRID))),
            acknowledge_name: self.name_acknowledged,
            tls13_offered: hello_reader.is_some_and(|r| r.tls13_offered()),
        };
        let Some(config) = self.ctx.server_config(&self.settings, choices, &creds) else {
            self.fail_quietly();
            return Some(-1);
        };
        let no_credentials = !creds.complete();
        if let Some(scope) = &self.scope {
            let asked = self
                .peer_hello_reader
                .as_deref()
                .is_some_and(|r| r.ticket_offered());
            scope.ticket_replaces_session_id.store(
                asked && config.ticketer.enabled(),
                std::sync::atomic::Ordering::Relaxed,
            );
        }
        // The refusal (with its queued alert) is boxed: it is large, and rare.
        let accept = || accepted.into_connection(config).map_err(Box::new);
        let result = match &self.scope {
            Some(scope) => handshake_scope::enter(scope, accept),
            None => accept(),
        };
        match result {
            Ok(conn) => {
                self.tls = Tls::Active(Box::new(conn.into()));
                None
            }
            Err(refusal) => {
                let (e, mut alert) = *refusal;
                self.send_hello_alert(&mut alert);
                if no_credentials {
                    err::raise_ssl(reason::SSL_R_NO_SHARED_CIPHER);
                    self.fail_quietly();
                } else {
                    self.fail(&e);
                }
                Some(-1)
            }
        }
    }

    /// `SSL_do_handshake`: 1 when done, -1 otherwise (see `get_error`).
    pub fn do_handshake(&mut self) -> c_int {
        let was_done = self.state == HandshakeState::Done;
        let was_before = self.state == HandshakeState::Before;
        let ret = self.handshake_step();
        self.count_handshake(was_before, was_done);
        if self.trace.is_some() && !was_done {
            self.trace_handshake_step(ret);
        }
        ret
    }

    /// The context's `SSL_CTX_sess_accept`/`_connect` counters (and their `_good`).
    pub(super) fn count_handshake(&self, started: bool, was_done: bool) {
        use std::sync::atomic::Ordering::Relaxed;
        let stats = &self.ctx.server_sessions.stats;
        let (begun, good) = if self.server {
            (&stats.accept, &stats.accept_good)
        } else {
            (&stats.connect, &stats.connect_good)
        };
        if started && self.state != HandshakeState::Before {
            begun.fetch_add(1, Relaxed);
        }
        if !was_done && self.state == HandshakeState::Done {
            good.fetch_add(1, Relaxed);
            if self.server && self.session_reused() {
                stats.hits.fetch_add(1, Relaxed);
            }
        }
    }

    pub(super) fn handshake_step(&mut self) -> c_int {
        self.early_data_pause = false;
        // Each step of OpenSSL's handshake starts from an empty error queue and errno.
        match self.state {
            HandshakeState::Done => {
                if let Some(ret) = self.check_client_status() {
                    return ret;
                }
                // Sends what is queued after the handshake (a KeyUpdate), as OpenSSL does.
                if self.active().is_some_and(|t| t.wants_write()) {
                    let _ = self.flush();
                }
                return 1;
            }
            HandshakeState::Failed => return -1,
            HandshakeState::Before => {
                err::clear_all();
                if !self.start() {
                    return -1;
                }
            }
            HandshakeState::Handshaking => err::clear_all(),
        }
        loop {
            if matches!(self.tls, Tls::Accepting(_) | Tls::HelloReceived(_)) {
                if let Some(ret) = self.accept_client_hello() {
                    return ret;
                }
            }
            if let Err(ret) = self.flush() {
                return ret;
            }
            if let Some(tls) = self.active() {
                if !tls.is_handshaking() {
                    self.state = HandshakeState::Done;
                    self.rwstate = SSL_NOTHING;
                    if self.session_reused() {
                        self.adopt_resumed_peer();
                        self.spend_tls13_session();
                    }
                    // As in OpenSSL, a completed connection always has a session (a
                    // server's may be one that only a ticket resumes).
                    if self.session.is_none() {
                        let version = u16::try_from(self.version()).unwrap_or(0);
                        let session = Arc::new(Session::unresumable(version));
                        self.stamp_session(&session);
                        self.session = Some(session);
                    }
                    self.keep_handshake_secrets();
                    self.keep_peer_hello();
                    // Whether a server's full handshake asked for a certificate (with
                    // SSL_VERIFY_POST_HANDSHAKE, TLS 1.3 asks only afterwards).
                    let mode = self.settings.verify_mode;
                    self.asked_for_certificate = self.server
                        && !self.session_reused()
                        && mode & SSL_VERIFY_PEER != 0
                        && (mode & SSL_VERIFY_POST_HANDSHAKE == 0
                            || self.version() != TLS1_3_VERSION);
                    self.release_server_scope();
                    if let Some(ret) = self.check_client_status() {
                        return ret;
                    }
                    return 1;
                }
            }
            if self.receive().is_err() {
                return -1;
            }
        }
    }

    /// Runs the handshake first if needed, as `SSL_read`/`SSL_write` do implicitly.
    pub(super) fn ensure_handshake(&mut self) -> Result<(), c_int> {
        if !self.role_set {
            err::raise_ssl(reason::SSL_R_UNINITIALIZED);
            return Err(-1);
        }
        if self.state != HandshakeState::Done {
            let r = self.do_handshake();
            if r <= 0 {
                return Err(-1);
            }
        }
        Ok(())
    }

    /// Whether the application's policy lets this server take the early data its client
    /// offers (asked only when some is offered, as OpenSSL asks).
    fn early_data_allowed(&self) -> bool {
        let offered = self
            .peer_hello_reader
            .as_deref()
            .is_some_and(|r| r.early_data_offered());
        match &self.settings.allow_early_data {
            Some(cb) if offered => cb.allow(self.handle),
            _ => true,
        }
    }

    /// A client's certificate callbacks, when it has some and no certificate of its own
    /// (with one, rustls is given it directly).
    fn client_certificate_choice(&self) -> Option<Box<ClientCertificateChoice>> {
        if self.server {
            return None;
        }
        let cert_callback = self.cert_callback();
        let client_cert_callback = self.ctx.client_cert_callback();
        // Most clients have no callbacks: asked first, so their credentials are not copied.
        if cert_callback.is_none() && client_cert_callback.is_none()
            || self.credentials().complete()
        {
            return None;
        }
        Some(Box::new(ClientCertificateChoice {
            start: self.credentials(),
            cert_callback,
            client_cert_callback,
            pending: Default::default(),
            chosen: Default::default(),
            peer_ca_stack: Default::default(),
        }))
    }

    /// Keeps what a client's certificate callbacks chose, as OpenSSL's connection keeps
    /// what `SSL_use_certificate` set (`SSL_get_certificate` then reports it).
    pub(super) fn keep_chosen_certificate(&mut self) {
        let chosen = self
            .scope
            .as_ref()
            .and_then(|s| s.client_certificate.as_ref())
            .and_then(|c| c.chosen.lock().unwrap_or_else(|e| e.into_inner()).take());
        if let Some(creds) = chosen {
            self.own_credentials = Some(creds);
        }
    }
}
