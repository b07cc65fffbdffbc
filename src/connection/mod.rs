//! `SSL`: one TLS connection over the application's BIOs, with OpenSSL's calling
//! conventions (return values, `SSL_get_error` states, shutdown steps) on top of rustls.
#![forbid(unsafe_code)]

pub mod handshake_scope;
pub mod key_log;
pub mod record_reader;

mod app_data;
mod callbacks;
mod cipher_lists;
mod early_data;
mod handshake;
mod peer_certificates;
mod post_handshake_auth;
mod record_io;
mod sessions;
mod settled;
mod shutdown;
mod tracing;

use std::ffi::CString;
use std::os::raw::{c_int, c_long};
use std::sync::Arc;

use rustls::server::{Accepted, Acceptor};

use crate::codes::ssl_constants::*;
use crate::config::cipher;
use crate::connection::record_reader::RecordCursor;
use crate::context::{CertCallback, Context, Method, Settings};
use crate::credentials::Credentials;
use crate::libcrypto::bio::Bio;
use crate::libcrypto::store::codes::X509_V_OK;
use crate::libcrypto::verify_param::VerifyParam;
use crate::libcrypto::x509::{Certificate, CertificateStack};
use crate::session::Session;
use crate::trace::Tracer;
use crate::wire::finished_messages::{FinishedCapture, KeptFinished};
use crate::wire::hello_random::HelloPrefix;
use crate::wire::peer_hello::{PeerHello, PeerHelloReader};
use app_data::WriteRetry;
use handshake_scope::HandshakeScope;
use record_io::FIRST_BYTES;

pub use callbacks::CallbackRequest;

/// Where the handshake stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandshakeState {
    /// Nothing sent or received yet.
    Before,
    Handshaking,
    Done,
    /// A fatal error ended the connection; every later call fails.
    Failed,
}

enum Tls {
    None,
    /// A server waiting for the whole ClientHello before it picks its config.
    Accepting(Box<Acceptor>),
    /// A server holding the ClientHello while the application's servername callback runs.
    HelloReceived(Box<Accepted>),
    Active(Box<rustls::Connection>),
}

pub struct Connection {
    ctx: Arc<Context>,
    /// The method (`SSL_set_ssl_method`; its version is also in the settings).
    pub method: Method,
    /// The C handle (`SSL *`) of this connection, passed to application callbacks.
    pub handle: usize,
    pub settings: Settings,
    pub param: Arc<VerifyParam>,
    pub server: bool,
    /// Whether `SSL_set_connect_state`/`accept_state` (or `SSL_connect`/`SSL_accept`) chose a side.
    role_set: bool,
    pub rbio: Option<Bio>,
    pub wbio: Option<Bio>,
    /// The client's requested SNI name, or the name the server received.
    servername: Option<CString>,
    tls: Tls,
    state: HandshakeState,
    rwstate: c_int,
    pub shutdown: c_int,
    close_notify_received: bool,
    scope: Option<Arc<HandshakeScope>>,
    pub verify_result: c_long,
    peer_chain: Vec<Certificate>,
    /// The peer's chain is not known, only its certificate (resumed from a deserialised
    /// session): `SSL_get_peer_cert_chain` gives NULL then, as OpenSSL's.
    peer_leaf_only: bool,
    peer_chain_stack: Option<CertificateStack>,
    /// The chain verification built, leaf to anchor (`SSL_get0_verified_chain`).
    verified_chain: Option<CertificateStack>,
    /// A server's copy of the suites the client offered, two bytes each as on the wire
    /// (`SSL_get0_raw_cipherlist`), unknown ones included.
    client_ciphers_raw: Vec<u8>,
    /// `SSL_read_early_data` drives this server's handshake: early data may be accepted.
    reading_early_data: bool,
    /// The client's early data was accepted (`SSL_get_early_data_status`).
    early_data_accepted: bool,
    /// This client sends early data (`SSL_write_early_data` before its handshake).
    sending_early_data: bool,
    /// Early data rustls took whose flush would block: reported written on the retry.
    early_data_unflushed: Option<usize>,
    /// Between a client's `SSL_write_early_data` and its next handshake step, when
    /// OpenSSL's handshake pauses and `SSL_in_init` is false.
    early_data_pause: bool,
    /// `SSL_write_early_data` is writing: a server's 0.5-RTT data, before the client's
    /// Finished, so the write does not wait for the handshake to end.
    writing_early_data: bool,
    client_cipher_stack: cipher::CipherStackCache,
    pending_plaintext: usize,
    write_retry: Option<WriteRetry>,
    /// What rustls has queued is application data of an `SSL_write`, nothing else (see
    /// `Tracer::feed_own_app_data`); the flush that follows clears it.
    app_data_queued: bool,
    /// The first bytes a server received, to name plaintext protocols as OpenSSL does
    /// (the whole ClientHello when a client-hello or status callback reads it).
    first_bytes: Vec<u8>,
    /// How many of them to keep, decided when the handshake starts.
    first_bytes_kept: usize,
    /// Credentials set on the connection itself (`SSL_use_certificate`, ...).
    own_credentials: Option<Credentials>,
    /// A callback the FFI layer must run before the handshake can go on.
    callback_request: Option<CallbackRequest>,
    /// The servername callback's return value and alert, once it has run.
    servername_verdict: Option<(c_int, c_int)>,
    /// A server's servername callback accepted the client's name: it is acknowledged
    /// and kept in the session, as OpenSSL does.
    name_acknowledged: bool,
    /// The certificate callback's return value, once it has run.
    cert_verdict: Option<c_int>,
    /// The client-hello callback's return value and alert, once it has run.
    client_hello_verdict: Option<(c_int, c_int)>,
    /// The OCSP status callback's return value, once it has run.
    status_verdict: Option<c_int>,
    /// The OCSP response the status callback set (`SSL_set_tlsext_status_ocsp_resp`).
    ocsp_to_staple: Option<Vec<u8>>,
    /// A server's view of what the client asked the OCSP responder, for its status callback.
    ocsp_request: Option<crate::libcrypto::ocsp_request::OcspRequestStacks>,
    /// `SSL_set_tlsext_status_type`.
    pub status_type: c_long,
    /// Whether a client has run its status callback for this handshake.
    client_status_checked: bool,
    /// The ClientHello the client-hello callback is looking at.
    client_hello: Option<crate::wire::client_hello::ParsedClientHello>,
    /// Whether the peer's close_notify has been processed.
    peer_closed: bool,
    /// The session to offer for resumption (`SSL_set_session`, or kept by `SSL_clear`).
    resume: Option<Arc<Session>>,
    /// This connection's session: the newest one received, or the one resumed.
    session: Option<Arc<Session>>,
    /// Sessions waiting to be handed to the new-session callback.
    new_sessions: Vec<Arc<Session>>,
    /// Position within the record being read (records are read one at a time).
    record_cursor: RecordCursor,
    cipher_stack: cipher::CipherStackCache,
    /// The handshake trace, for observer callbacks and diagrams (`None`: nobody watches).
    trace: Option<Box<Tracer>>,
    /// This connection's number among the process's traced ones (`FERROSSL_TRACE` files).
    trace_number: u64,
    /// How many messages the last written diagram had.
    trace_written: Option<usize>,
    /// The state `SSL_get_state` reports while an info callback runs.
    reported_state: Option<(c_int, bool)>,
    /// The stack `SSL_get_client_CA_list` hands out.
    client_ca_stack: crate::libcrypto::name_stack::OwnedNameStack,
    /// The DANE state (`SSL_dane_enable`, `SSL_get0_dane`), made when first asked for.
    pub dane: Option<Arc<crate::libcrypto::dane::Dane>>,
    /// The stack `SSL_get0_CA_list` hands out.
    ca_list_stack: crate::libcrypto::name_stack::OwnedNameStack,
    /// The stack `SSL_get0_chain_certs` hands out.
    chain_stack: Option<CertificateStack>,
    /// The first bytes sent and received, for the hello randoms.
    sent_prefix: HelloPrefix,
    received_prefix: HelloPrefix,
    /// Reads the peer's hello messages, while the handshake runs.
    peer_hello_reader: Option<Box<PeerHelloReader>>,
    /// What the latest handshake's peer hello said (`SSL_get_peer_tmp_key`, ...).
    peer_hello: PeerHello,
    /// The peer's signature scheme, kept when a server's handshake scope goes.
    peer_signature: u16,
    /// This side's own signature scheme, kept likewise.
    own_signature: u16,
    /// The records that can hold the Finished messages, while the handshake runs.
    finished_capture: Option<Box<FinishedCapture>>,
    /// The Finished messages of the latest handshake (`SSL_get_finished`).
    finished: KeptFinished,
    /// A server's post-handshake certificate request awaits the client's answer.
    awaiting_client_certificate: bool,
    /// A server sent a CertificateRequest on this connection (`SSL_VERIFY_CLIENT_ONCE`
    /// then allows no other).
    asked_for_certificate: bool,
}

impl Connection {
    pub fn new(ctx: Arc<Context>) -> Option<Self> {
        let settings = ctx.settings().clone();
        let param = Arc::new(VerifyParam::inherited(&ctx.param)?);
        let method = ctx.method();
        let server = method.role != crate::context::Role::Client;
        Some(Self {
            ctx,
            method,
            handle: 0,
            settings,
            param,
            server,
            role_set: false,
            rbio: None,
            wbio: None,
            servername: None,
            tls: Tls::None,
            state: HandshakeState::Before,
            rwstate: SSL_NOTHING,
            shutdown: 0,
            close_notify_received: false,
            scope: None,
            verify_result: X509_V_OK,
            peer_chain: Vec::new(),
            peer_leaf_only: false,
            peer_chain_stack: None,
            verified_chain: None,
            client_ciphers_raw: Vec::new(),
            reading_early_data: false,
            early_data_accepted: false,
            sending_early_data: false,
            early_data_unflushed: None,
            early_data_pause: false,
            writing_early_data: false,
            client_cipher_stack: Default::default(),
            pending_plaintext: 0,
            write_retry: None,
            app_data_queued: false,
            first_bytes: Vec::new(),
            first_bytes_kept: FIRST_BYTES,
            record_cursor: RecordCursor::default(),
            peer_closed: false,
            resume: None,
            session: None,
            new_sessions: Vec::new(),
            own_credentials: None,
            callback_request: None,
            servername_verdict: None,
            name_acknowledged: false,
            cert_verdict: None,
            client_hello_verdict: None,
            status_verdict: None,
            ocsp_to_staple: None,
            ocsp_request: None,
            status_type: -1,
            client_status_checked: false,
            client_hello: None,
            cipher_stack: Default::default(),
            trace: None,
            trace_number: 0,
            trace_written: None,
            reported_state: None,
            client_ca_stack: Default::default(),
            ca_list_stack: Default::default(),
            dane: None,
            chain_stack: None,
            sent_prefix: HelloPrefix::default(),
            received_prefix: HelloPrefix::default(),
            peer_hello_reader: None,
            peer_hello: PeerHello::default(),
            peer_signature: 0,
            own_signature: 0,
            finished_capture: None,
            finished: KeptFinished::default(),
            awaiting_client_certificate: false,
            asked_for_certificate: false,
        })
    }

    pub fn context(&self) -> &Arc<Context> {
        &self.ctx
    }

    /// The certificate and key this connection presents: its own once `SSL_use_*` set
    /// them, else its context's.
    pub fn credentials(&self) -> Credentials {
        self.own_credentials
            .clone()
            .unwrap_or_else(|| self.ctx.credentials())
    }

    /// Changes this connection's own credentials (starting from the context's, as
    /// OpenSSL's `SSL_new` copies them).
    pub fn with_credentials<R>(&mut self, f: impl FnOnce(&mut Credentials) -> R) -> R {
        let ctx = &self.ctx;
        let creds = self
            .own_credentials
            .get_or_insert_with(|| ctx.credentials());
        let r = f(creds);
        creds.touch();
        r
    }

    /// `SSL_certs_clear`: the connection has no certificate or key (nor its context's:
    /// OpenSSL's connection holds a copy of its context's, which this empties).
    pub fn clear_own_credentials(&mut self) {
        self.own_credentials = Some(Credentials::default());
    }

    /// The certificate callback: the connection's own (`SSL_set_cert_cb`), else its
    /// context's.
    pub fn cert_callback(&self) -> Option<Arc<dyn CertCallback>> {
        self.settings
            .cert_callback
            .clone()
            .or_else(|| self.ctx.cert_callback())
    }

    /// `SSL_set_SSL_CTX`: later configuration (certificates, verification) comes from `ctx`.
    pub fn set_context(&mut self, ctx: Arc<Context>) {
        self.ctx = ctx;
    }

    /// `SSL_set_connect_state`. On a connection that was already used, OpenSSL's next
    /// handshake starts with an implicit `SSL_clear` (the session is kept for resumption),
    /// which is how `openssl s_client -reconnect` reuses one `SSL`.
    pub fn set_connect_state(&mut self) {
        self.restart_if_used();
        self.server = false;
        self.role_set = true;
    }

    /// `SSL_set_accept_state`, with the same restart as `set_connect_state`.
    pub fn set_accept_state(&mut self) {
        self.restart_if_used();
        self.server = true;
        self.role_set = true;
    }

    fn restart_if_used(&mut self) {
        if self.state != HandshakeState::Before {
            self.clear();
        }
    }

    pub fn state(&self) -> HandshakeState {
        self.state
    }

    /// `SSL_in_init`: true until the handshake has completed, and while a post-handshake
    /// certificate request waits to be sent.
    pub fn in_init(&self) -> bool {
        (self.state != HandshakeState::Done && !self.early_data_pause)
            || (self.awaiting_client_certificate && self.active().is_some_and(|t| t.wants_write()))
    }

    /// Sets the SNI name a client will send (`SSL_set_tlsext_host_name`).
    pub fn set_servername(&mut self, name: Option<CString>) {
        self.servername = name;
    }

    pub fn servername(&self) -> Option<&CString> {
        self.servername.as_ref()
    }

    fn active(&self) -> Option<&rustls::Connection> {
        match &self.tls {
            Tls::Active(c) => Some(c),
            _ => None,
        }
    }

    // ---- handshake ----

    // ---- application data ----

    // ---- closing ----
}

impl Connection {
    /// `SSL_clear`: forgets the last connection, keeping the settings, the side and the
    /// BIOs, so that the object can make a new connection.
    pub fn clear(&mut self) {
        if let Some(dane) = &self.dane {
            dane.reset();
        }
        // A method set on the connection gives way to its context's again.
        self.method = self.ctx.method();
        self.settings.method_version = self.method.version;
        self.tls = Tls::None;
        self.state = HandshakeState::Before;
        self.rwstate = SSL_NOTHING;
        self.shutdown = 0;
        self.close_notify_received = false;
        self.scope = None;
        self.peer_chain.clear();
        self.peer_leaf_only = false;
        self.peer_chain_stack = None;
        self.verified_chain = None;
        self.client_ciphers_raw.clear();
        self.reading_early_data = false;
        self.early_data_accepted = false;
        self.sending_early_data = false;
        self.early_data_unflushed = None;
        self.early_data_pause = false;
        self.pending_plaintext = 0;
        self.write_retry = None;
        self.first_bytes.clear();
        self.sent_prefix = HelloPrefix::default();
        self.received_prefix = HelloPrefix::default();
        self.record_cursor = RecordCursor::default();
        self.peer_closed = false;
        // OpenSSL keeps the session across SSL_clear, so the next connection resumes it.
        self.forget_unclean_session();
        if let Some(s) = self.session.take() {
            self.resume = Some(s);
        }
        self.new_sessions.clear();
        self.callback_request = None;
        self.servername_verdict = None;
        self.name_acknowledged = false;
        self.cert_verdict = None;
        self.client_hello_verdict = None;
        self.client_hello = None;
        self.status_verdict = None;
        self.ocsp_to_staple = None;
        self.ocsp_request = None;
        self.client_status_checked = false;
        self.trace = None;
        self.trace_written = None;
        self.reported_state = None;
        // What the last handshake settled goes with it, as OpenSSL's SSL_clear resets it.
        self.peer_hello_reader = None;
        self.peer_hello = PeerHello::default();
        self.peer_signature = 0;
        self.own_signature = 0;
        self.finished_capture = None;
        self.finished = KeptFinished::default();
        self.awaiting_client_certificate = false;
        self.asked_for_certificate = false;
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.forget_unclean_session();
        // Messages after the handshake (TLS 1.3 tickets) join the files already written.
        if let (Some(n), Some(t)) = (self.trace_written, self.trace.as_deref_mut()) {
            t.pump(true);
            if t.messages.len() > n {
                self.write_diagram(false);
            }
        }
    }
}
