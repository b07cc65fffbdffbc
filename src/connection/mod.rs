//! `SSL`: one TLS connection over the application's BIOs, with OpenSSL's calling
//! conventions (return values, `SSL_get_error` states, shutdown steps) on top of rustls.
#![forbid(unsafe_code)]

pub mod handshake_scope;
pub mod key_log;
pub mod record_reader;

use std::ffi::CString;
use std::io::{self, BufRead, Read, Write};
use std::os::raw::{c_int, c_long};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use rustls::pki_types::ServerName;
use rustls::server::{Accepted, Acceptor};

use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::config::cipher::{self, SslCipher};
use crate::config::protocol_version;
use crate::connection::record_reader::{RecordCursor, RecordReader};
use crate::context::{AlpnChoice, Context, Settings};
use crate::credentials::Credentials;
use crate::libcrypto::bio::{Bio, BioReader, BioWriter};
use crate::libcrypto::error_queue::{self as err, ERR_LIB_SYS};
use crate::libcrypto::store::codes::X509_V_OK;
use crate::libcrypto::store::CallbackContext;
use crate::libcrypto::verify_param::VerifyParam;
use crate::libcrypto::x509::{Certificate, CertificateStack};
use crate::session::{PeerRecord, Session, SessionSlots, Tls12Details};
use crate::trace::sequence_diagram;
use crate::trace::{trace_output, Notification, TraceSecrets, Tracer};
use crate::verify::verifier::VerifyJob;
use crate::wire::finished_messages::{FinishedCapture, KeptFinished, Negotiated};
use crate::wire::hello_random::HelloPrefix;
use crate::wire::peer_hello::{KeyShare, PeerHello, PeerHelloReader};
use handshake_scope::HandshakeScope;

const BIO_RR_CONNECT: c_int = 0x02;
const BIO_RR_ACCEPT: c_int = 0x03;
/// The most plaintext one TLS record carries.
const MAX_PLAINTEXT_RECORD: usize = 16384;

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

/// The outcome of one attempt to read TLS bytes from the read BIO.
enum Input {
    Data,
    Retry,
    Eof,
    Failed,
}

/// How many leading bytes a server keeps to recognise a plaintext protocol.
const FIRST_BYTES: usize = 5;

/// Reads through `inner`, keeping a copy of the connection's first `limit` bytes.
struct FirstBytesReader<'a, R> {
    inner: R,
    first: &'a mut Vec<u8>,
    limit: usize,
}

impl<R: Read> Read for FirstBytesReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let room = self.limit.saturating_sub(self.first.len());
        self.first.extend_from_slice(&buf[..n.min(room)]);
        Ok(n)
    }
}

/// Reads through `inner`, showing the handshake trace (if any) every byte received.
struct TapReader<'a, R> {
    inner: R,
    trace: Option<&'a mut Tracer>,
    /// The first bytes received, until it has the hello's random.
    prefix: Option<&'a mut HelloPrefix>,
    /// The peer's plaintext hello messages, until its key share is found.
    peer_hello: Option<&'a mut PeerHelloReader>,
    /// The records that can hold the peer's Finished.
    finished: Option<&'a mut FinishedCapture>,
}

impl<R: Read> Read for TapReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(t) = &mut self.trace {
            t.feed(false, &buf[..n]);
        }
        if let Some(h) = &mut self.peer_hello {
            h.feed(&buf[..n]);
        }
        if let Some(f) = &mut self.finished {
            f.received(&buf[..n]);
        }
        if let Some(p) = &mut self.prefix {
            p.keep(&buf[..n]);
        }
        Ok(n)
    }
}

/// Writes through `inner`, showing the handshake trace (if any) every byte sent.
struct TapWriter<'a, W> {
    inner: W,
    trace: Option<&'a mut Tracer>,
    /// The first bytes sent, until it has the hello's random.
    prefix: Option<&'a mut HelloPrefix>,
    /// The records that can hold this side's Finished.
    finished: Option<&'a mut FinishedCapture>,
}

impl<W: Write> Write for TapWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        if let Some(t) = &mut self.trace {
            t.feed(true, &buf[..n]);
        }
        if let Some(f) = &mut self.finished {
            f.sent(&buf[..n]);
        }
        if let Some(p) = &mut self.prefix {
            p.keep(&buf[..n]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The tracer while it still wants the connection's records.
fn tap(trace: &mut Option<Box<Tracer>>) -> Option<&mut Tracer> {
    trace.as_deref_mut().filter(|t| t.wants_records())
}

/// The reason OpenSSL gives a server whose first record is plaintext HTTP.
fn plaintext_protocol(first: &[u8]) -> Option<c_int> {
    if [&b"GET "[..], b"POST ", b"HEAD ", b"PUT "]
        .iter()
        .any(|m| first.starts_with(m))
    {
        Some(reason::SSL_R_HTTP_REQUEST)
    } else if first.starts_with(b"CONNE") {
        Some(reason::SSL_R_HTTPS_PROXY_REQUEST)
    } else {
        None
    }
}

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

/// Why [`Connection::receive`] could not deliver: the transport ended (the unexpected-EOF
/// rule is already applied), the peer sent a fatal alert, or anything else (retry,
/// failure; already recorded).
enum Stop {
    Eof,
    Alert,
    Other,
}

/// An `SSL_write` that returned a retry after rustls took `accepted` bytes of the buffer.
#[derive(Debug, Clone, Copy)]
struct WriteRetry {
    accepted: usize,
    buf_addr: usize,
}

pub struct Connection {
    ctx: Arc<Context>,
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
    /// The certificate callback's return value, once it has run.
    cert_verdict: Option<c_int>,
    /// The client-hello callback's return value and alert, once it has run.
    client_hello_verdict: Option<(c_int, c_int)>,
    /// The OCSP status callback's return value, once it has run.
    status_verdict: Option<c_int>,
    /// The OCSP response the status callback set (`SSL_set_tlsext_status_ocsp_resp`).
    ocsp_to_staple: Option<Vec<u8>>,
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
    /// The records that can hold the Finished messages, while the handshake runs.
    finished_capture: Option<Box<FinishedCapture>>,
    /// The Finished messages of the latest handshake (`SSL_get_finished`).
    finished: KeptFinished,
}

impl Connection {
    pub fn new(ctx: Arc<Context>) -> Option<Self> {
        let settings = ctx.settings().clone();
        let param = Arc::new(VerifyParam::inherited(&ctx.param)?);
        let server = ctx.role != crate::context::Role::Client;
        Some(Self {
            ctx,
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
            cert_verdict: None,
            client_hello_verdict: None,
            status_verdict: None,
            ocsp_to_staple: None,
            status_type: -1,
            client_status_checked: false,
            client_hello: None,
            cipher_stack: Default::default(),
            trace: None,
            trace_number: 0,
            trace_written: None,
            reported_state: None,
            client_ca_stack: Default::default(),
            chain_stack: None,
            sent_prefix: HelloPrefix::default(),
            received_prefix: HelloPrefix::default(),
            peer_hello_reader: None,
            peer_hello: PeerHello::default(),
            peer_signature: 0,
            finished_capture: None,
            finished: KeptFinished::default(),
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

    /// `SSL_certs_clear`: the context's certificate and key apply again.
    pub fn clear_own_credentials(&mut self) {
        self.own_credentials = None;
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

    /// `SSL_in_init`: true until the handshake has completed.
    pub fn in_init(&self) -> bool {
        self.state != HandshakeState::Done && !self.early_data_pause
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

    /// The negotiated version; before that, OpenSSL reports the highest version it knows.
    pub fn version(&self) -> c_int {
        self.active()
            .and_then(|c| c.protocol_version())
            .map_or(TLS1_3_VERSION, protocol_version::wire_value)
    }

    pub fn current_cipher(&self) -> Option<&'static SslCipher> {
        if self.state != HandshakeState::Done {
            return None;
        }
        cipher::lookup(self.active()?.negotiated_cipher_suite()?.suite())
    }

    /// The key-exchange group rustls settled on (IANA number).
    pub fn negotiated_group(&self) -> Option<u16> {
        let group = self.active()?.negotiated_key_exchange_group()?;
        Some(u16::from(group.name()))
    }

    /// The peer's ephemeral key share (`SSL_get_peer_tmp_key`). A TLS 1.2 server has
    /// none to report, as in OpenSSL, and neither has a resumption without a key exchange.
    pub fn peer_key_share(&self) -> Option<&KeyShare> {
        if self.server && self.version() != TLS1_3_VERSION {
            return None;
        }
        match &self.peer_hello_reader {
            Some(reader) => reader.share_for(self.negotiated_group()?),
            None => self.peer_hello.share.as_ref(),
        }
    }

    /// The EC point formats the peer's hello listed (`SSL_get0_ec_point_formats`): as in
    /// OpenSSL, only a TLS 1.2 hello's, and not when resuming.
    pub fn peer_point_formats(&self) -> Option<&[u8]> {
        if self.version() != TLS1_2_VERSION || self.session_reused() {
            return None;
        }
        match &self.peer_hello_reader {
            Some(reader) => reader.point_formats(),
            None => self.peer_hello.point_formats.as_deref(),
        }
    }

    /// `SSL_get_secure_renegotiation_support`: whether the peer's hello signalled RFC 5746.
    pub fn peer_secure_renegotiation(&self) -> bool {
        match &self.peer_hello_reader {
            Some(reader) => reader.secure_renegotiation(),
            None => self.peer_hello.secure_renegotiation,
        }
    }

    /// The handshake is over: keeps what the peer's hello said, not the reader.
    fn keep_peer_hello(&mut self) {
        let Some(reader) = self.peer_hello_reader.take() else {
            return;
        };
        let group = self.negotiated_group();
        self.peer_hello = reader.into_peer_hello(group);
        if self.server && self.version() != TLS1_3_VERSION {
            self.peer_hello.share = None;
        }
    }

    /// What the handshake settled that opens its Finished records.
    fn negotiated(&self) -> Option<Negotiated> {
        let tls = self.active()?;
        Some(Negotiated {
            suite: u16::from(tls.negotiated_cipher_suite()?.suite()),
            tls13: tls.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3),
            server: self.server,
            client_random: self.client_random().unwrap_or_default(),
            server_random: self.server_random().unwrap_or_default(),
        })
    }

    /// rustls reports a wrong Finished and a record that fails to authenticate alike; the
    /// peer's Finished record, opened again, tells them apart.
    fn peer_finished_was_sound(&self) -> bool {
        let (Some(capture), Some(n), Some(scope)) =
            (&self.finished_capture, self.negotiated(), &self.scope)
        else {
            return false;
        };
        let secrets = scope
            .finished_secrets
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        secrets
            .as_deref()
            .is_some_and(|s| capture.peer_finished_opens(&n, s))
    }

    /// The handshake is over: keeps what gives its Finished messages, and gives a TLS 1.2
    /// session its master secret and what the peer's hello said of it.
    fn keep_handshake_secrets(&mut self) {
        let secrets = self.scope.as_ref().and_then(|scope| {
            scope
                .finished_secrets
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
        });
        let (Some(n), Some(secrets)) = (self.negotiated(), secrets) else {
            return;
        };
        if let Some(capture) = self.finished_capture.take() {
            self.finished = capture.finish(&n, &secrets);
        }
        let (Some(reader), Some(session)) = (&mut self.peer_hello_reader, &self.session) else {
            return;
        };
        // A resumed session keeps what its first handshake settled.
        if session.tls12_details().is_some() {
            return;
        }
        if let (false, Some(master)) = (n.tls13, secrets.master()) {
            session.set_tls12_details(Tls12Details {
                master_key: master.to_vec(),
                extended_master_secret: reader.extended_master_secret(),
                ticket: reader.take_ticket(),
            });
        }
    }

    /// This side's Finished message (`own`) or the peer's, of the latest handshake.
    pub fn finished(&self, own: bool) -> Option<Vec<u8>> {
        if self.state != HandshakeState::Done {
            return None;
        }
        self.finished.finished(own, &self.negotiated()?)
    }

    /// The (digest, key type) NIDs of the peer's handshake signature, when one was checked
    /// (`SSL_get_peer_signature_nid`, `SSL_get_peer_signature_type_nid`).
    pub fn peer_signature_nids(&self) -> Option<(c_int, c_int)> {
        crate::config::signature_scheme::nids(self.peer_signature_scheme()?)
    }

    /// The signature scheme of the peer's handshake signature, when one was checked.
    fn peer_signature_scheme(&self) -> Option<u16> {
        let scheme = match &self.scope {
            Some(scope) => scope.peer_signature.load(Ordering::Relaxed),
            None => self.peer_signature,
        };
        (scheme != 0).then_some(scheme)
    }

    /// A server's handshake scope serves no callback once the handshake is over (a
    /// client's still takes TLS 1.3 tickets): it goes, keeping the peer's signature scheme.
    fn release_server_scope(&mut self) {
        if !self.server {
            return;
        }
        if let Some(scope) = self.scope.take() {
            self.peer_signature = scope.peer_signature.load(Ordering::Relaxed);
        }
    }

    pub fn alpn_selected(&self) -> Option<&[u8]> {
        self.active()?.alpn_protocol()
    }

    /// The peer's certificate (new reference semantics are the caller's).
    pub fn peer_certificate(&self) -> Option<&Certificate> {
        self.peer_chain.first()
    }

    /// `SSL_get_peer_cert_chain`: the chain as sent; a server's view leaves out the leaf.
    pub fn peer_cert_chain(&mut self) -> Option<&CertificateStack> {
        if self.peer_chain.is_empty() {
            return None;
        }
        if self.peer_chain_stack.is_none() {
            let skip = usize::from(self.server);
            self.peer_chain_stack = CertificateStack::new(&self.peer_chain[skip..]);
        }
        self.peer_chain_stack.as_ref()
    }

    /// `SSL_get0_verified_chain`.
    pub fn verified_chain(&self) -> Option<&CertificateStack> {
        self.verified_chain.as_ref()
    }

    /// `SSL_get_client_ciphers`: on a server, the client's suites that ferrossl knows.
    pub fn client_cipher_stack(&mut self) -> *mut std::os::raw::c_void {
        if !self.server || self.state == HandshakeState::Before {
            return std::ptr::null_mut();
        }
        let offered: Vec<_> = self.client_ciphers().collect();
        self.client_cipher_stack.get(offered.into_iter())
    }

    /// The suites the client offered that ferrossl knows, in its order.
    fn client_ciphers(&self) -> impl Iterator<Item = &'static SslCipher> + '_ {
        self.client_ciphers_raw
            .chunks_exact(2)
            .filter_map(|id| cipher::lookup(u16::from_be_bytes([id[0], id[1]]).into()))
    }

    /// `SSL_get0_raw_cipherlist`: on a server after the ClientHello, the suites the
    /// client offered as on the wire; empty otherwise.
    pub fn client_ciphers_raw(&self) -> &[u8] {
        &self.client_ciphers_raw
    }

    /// The suites this connection can use (`SSL_get1_supported_ciphers`): once the
    /// handshake is done, only those of the negotiated version.
    pub fn supported_ciphers(&self) -> Vec<&'static SslCipher> {
        let done = self.state == HandshakeState::Done;
        let tls13 = self.version() == TLS1_3_VERSION;
        self.settings
            .ciphers()
            .filter(|c| !done || c.is_tls13() == tls13)
            .collect()
    }

    /// A server's view of the suites both sides have: the client's, in its order, that
    /// this connection has enabled (`SSL_get_shared_ciphers`).
    pub fn shared_ciphers(&self) -> Vec<&'static SslCipher> {
        let ours: Vec<_> = self.settings.ciphers().collect();
        self.client_ciphers()
            .filter(|c| ours.iter().any(|o| std::ptr::eq(*o, *c)))
            .collect()
    }

    /// `SSL_get_shared_ciphers`: the shared suites as `NAME:NAME:...`, as many as fit in a
    /// buffer of `size` bytes with its NUL; `None` on a client, before the ClientHello,
    /// or when not even one would fit, as OpenSSL.
    pub fn shared_cipher_list(&self, size: usize) -> Option<Vec<u8>> {
        let shared = self.shared_ciphers();
        if !self.server || size < 2 || shared.is_empty() {
            return None;
        }
        let mut text = Vec::new();
        for c in shared {
            let name = c.name.to_bytes();
            let extra = name.len() + usize::from(!text.is_empty());
            if text.len() + extra + 1 > size {
                break;
            }
            if !text.is_empty() {
                text.push(b':');
            }
            text.extend_from_slice(name);
        }
        Some(text)
    }

    /// The `STACK_OF(SSL_CIPHER)` that `SSL_get_ciphers` returns.
    pub fn cipher_stack(&mut self) -> *mut std::os::raw::c_void {
        self.cipher_stack.get(self.settings.ciphers())
    }

    pub fn pending(&self) -> usize {
        self.pending_plaintext
    }

    // ---- handshake ----

    fn fail(&mut self, e: &rustls::Error) {
        let reason = if matches!(e, rustls::Error::DecryptError) && self.peer_finished_was_sound() {
            reason::SSL_R_DIGEST_CHECK_FAILED
        } else {
            reason::for_tls_error(e)
        };
        err::raise_ssl(reason);
        self.fail_quietly();
    }

    /// Ends the connection after the reason is already queued; sends any alert rustls queued.
    fn fail_quietly(&mut self) {
        self.state = HandshakeState::Failed;
        if let (Tls::Active(tls), Some(wbio)) = (&mut self.tls, &self.wbio) {
            let mut w = TapWriter {
                inner: BioWriter(wbio),
                trace: tap(&mut self.trace),
                prefix: None,
                finished: None,
            };
            while tls.wants_write() {
                if tls.write_tls(&mut w).is_err() {
                    break;
                }
            }
        }
    }

    fn start(&mut self) -> bool {
        if !self.role_set {
            err::raise_ssl(reason::SSL_R_CONNECTION_TYPE_NOT_SET);
            return false;
        }
        let trace_secrets = self.settings.tracing().then(Arc::<TraceSecrets>::default);
        self.trace = trace_secrets.as_ref().map(|secrets| {
            let max = if self.settings.max_version == TLS1_2_VERSION {
                0x0303
            } else {
                0x0304
            };
            Box::new(Tracer::new(
                self.server,
                self.settings.msg_callback != 0,
                self.settings.info_callback != 0 || self.ctx.settings().info_callback != 0,
                max,
                secrets.clone(),
            ))
        });
        if self.trace.is_some() {
            self.trace_number = trace_output::next_connection_number();
        }
        self.scope = Some(Arc::new(HandshakeScope {
            verify: VerifyJob {
                store: self.ctx.store(),
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
                },
                outcome: Default::default(),
            },
            ssl: self.handle,
            key_log: self.settings.key_log.clone(),
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
        }));
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

    /// Takes the verifier's findings into the connection (peer chain, verify result).
    fn collect_verify_outcome(&mut self) {
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
            self.peer_chain_stack = None;
            self.verified_chain = o.verified_chain;
        }
    }

    /// Reads from the read BIO into rustls (or the acceptor).
    fn read_input(&mut self) -> Input {
        let Some(rbio) = &self.rbio else {
            err::raise_ssl(reason::SSL_R_READ_BIO_NOT_SET);
            self.fail_quietly();
            return Input::Failed;
        };
        self.rwstate = SSL_READING;
        let mut reader = TapReader {
            inner: RecordReader {
                inner: BioReader(rbio),
                cursor: &mut self.record_cursor,
                read_ahead: self.settings.read_ahead != 0,
            },
            trace: tap(&mut self.trace),
            prefix: Some(&mut self.received_prefix).filter(|p| !p.full()),
            peer_hello: self.peer_hello_reader.as_deref_mut().filter(|k| !k.done()),
            finished: self.finished_capture.as_deref_mut().filter(|f| f.active()),
        };
        let r = match &mut self.tls {
            Tls::Accepting(a) => a.read_tls(&mut FirstBytesReader {
                inner: reader,
                first: &mut self.first_bytes,
                limit: self.first_bytes_kept,
            }),
            Tls::Active(c) => c.read_tls(&mut reader),
            Tls::None | Tls::HelloReceived(_) => return Input::Failed,
        };
        match r {
            Ok(0) => Input::Eof,
            Ok(_) => {
                self.rwstate = SSL_NOTHING;
                Input::Data
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Input::Retry,
            Err(_) => Input::Failed,
        }
    }

    /// The transport ended without close_notify: OpenSSL 3's rule.
    fn on_eof(&mut self) {
        if self.settings.options & SSL_OP_IGNORE_UNEXPECTED_EOF != 0 {
            self.shutdown |= SSL_RECEIVED_SHUTDOWN;
            self.close_notify_received = true;
        } else {
            err::raise_ssl(reason::SSL_R_UNEXPECTED_EOF_WHILE_READING);
            self.fail_quietly();
        }
    }

    /// Writes everything rustls has queued to the write BIO; `Err(-1)` on retry or failure.
    fn flush(&mut self) -> Result<(), c_int> {
        let Tls::Active(tls) = &mut self.tls else {
            return Ok(());
        };
        if !tls.wants_write() {
            return Ok(());
        }
        let Some(wbio) = &self.wbio else {
            err::raise_ssl(reason::SSL_R_BIO_NOT_SET);
            self.fail_quietly();
            return Err(-1);
        };
        self.rwstate = SSL_WRITING;
        let mut w = TapWriter {
            inner: BioWriter(wbio),
            trace: tap(&mut self.trace),
            prefix: Some(&mut self.sent_prefix).filter(|p| !p.full()),
            finished: self.finished_capture.as_deref_mut().filter(|f| f.active()),
        };
        while tls.wants_write() {
            tls.write_tls(&mut w).map_err(|_| -1)?;
        }
        w.flush().map_err(|_| -1)?;
        self.rwstate = SSL_NOTHING;
        Ok(())
    }

    /// Feeds newly read records to rustls; after a fatal error (already queued), whether
    /// it was the peer's alert.
    fn process(&mut self) -> Result<(), Stop> {
        let Tls::Active(tls) = &mut self.tls else {
            return Ok(());
        };
        // Verification runs during the handshake; a TLS 1.3 client also receives session
        // tickets after it.
        let tls13 = tls.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3);
        let in_scope = self.state == HandshakeState::Handshaking || (!self.server && tls13);
        let r = match &self.scope {
            Some(scope) if in_scope => handshake_scope::enter(scope, || tls.process_new_packets()),
            _ => tls.process_new_packets(),
        };
        self.collect_sessions();
        if let Some(t) = tap(&mut self.trace) {
            t.pump(false);
        }
        match r {
            Ok(io) => {
                self.pending_plaintext = io.plaintext_bytes_to_read();
                self.peer_closed = io.peer_has_closed();
                if self.state == HandshakeState::Handshaking {
                    self.collect_verify_outcome();
                }
                Ok(())
            }
            Err(e) => {
                self.collect_verify_outcome();
                self.fail(&e);
                Err(match e {
                    rustls::Error::AlertReceived(_) => Stop::Alert,
                    _ => Stop::Other,
                })
            }
        }
    }

    /// Sends a fatal alert before any protection is in place (the servername callback's,
    /// or one rustls did not queue).
    fn send_plaintext_alert(&mut self, description: c_int) {
        const SSL_AD_UNRECOGNIZED_NAME: c_int = 112;
        let description = u8::try_from(description).unwrap_or(SSL_AD_UNRECOGNIZED_NAME as u8);
        if let Some(wbio) = &self.wbio {
            let mut w = TapWriter {
                inner: BioWriter(wbio),
                trace: tap(&mut self.trace),
                prefix: None,
                finished: None,
            };
            let _ = w.write_all(&crate::codes::alert::plaintext_record(description));
            let _ = w.flush();
        }
    }

    /// Takes the sessions rustls produced: the newest becomes this connection's session,
    /// and all go to the new-session callback if the application wants them.
    fn collect_sessions(&mut self) {
        let Some(scope) = &self.scope else { return };
        if !scope
            .sessions_received
            .swap(false, std::sync::atomic::Ordering::Acquire)
        {
            return;
        }
        let received = std::mem::take(
            &mut scope
                .sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .received,
        );
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
    fn stamp_session(&self, session: &Session) {
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
        session.set_hostname(self.servername.as_ref());
    }

    /// What a session remembers of the peer, for a resumed connection to report.
    fn peer_record(&self) -> PeerRecord {
        PeerRecord {
            chain: self.peer_chain.clone(),
            verify_result: self.verify_result,
        }
    }

    /// A connection that completed its handshake but was not shut down (no close_notify
    /// sent) does not leave a resumable session behind, as in OpenSSL.
    fn forget_unclean_session(&mut self) {
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
    fn adopt_resumed_peer(&mut self) {
        let Some(resumed) = self.resume.clone() else {
            return;
        };
        if let Some(peer) = resumed.peer() {
            self.peer_chain = peer.chain;
            self.peer_chain_stack = None;
            self.verify_result = peer.verify_result;
        }
        if self.session.is_none() {
            self.session = Some(resumed);
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

    /// `SSL_get_session`.
    pub fn session(&self) -> Option<&Arc<Session>> {
        self.session.as_ref()
    }

    /// `SSL_session_reused`.
    pub fn session_reused(&self) -> bool {
        self.active().and_then(|c| c.handshake_kind()) == Some(rustls::HandshakeKind::Resumed)
    }

    /// Reads what the peer sent and feeds it to rustls.
    fn receive(&mut self) -> Result<(), Stop> {
        match self.read_input() {
            Input::Data => self.process(),
            Input::Retry | Input::Failed => Err(Stop::Other),
            Input::Eof => {
                self.on_eof();
                Err(Stop::Eof)
            }
        }
    }

    /// Sends the alert rustls queued when it refused the ClientHello; where it queued none
    /// (for an oversized hello), the plaintext alert OpenSSL sends.
    fn send_hello_alert(&mut self, alert: &mut rustls::server::AcceptedAlert, e: &rustls::Error) {
        let Some(wbio) = &self.wbio else { return };
        let mut w = TapWriter {
            inner: BioWriter(wbio),
            trace: tap(&mut self.trace),
            prefix: None,
            finished: None,
        };
        let mut sent = 0;
        while let Ok(n @ 1..) = alert.write(&mut w) {
            sent += n;
        }
        if sent == 0 {
            if let Some(description) = crate::codes::alert::unsent_hello_alert(e) {
                self.send_plaintext_alert(description.into());
            }
        }
    }

    /// Server side: once the ClientHello is complete, picks ALPN and the config, then
    /// continues as an ordinary connection. `Some(ret)` when the call must return now.
    fn accept_client_hello(&mut self) -> Option<c_int> {
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
                    self.send_hello_alert(&mut alert, &e);
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
            if ret == SSL_TLSEXT_ERR_ALERT_FATAL {
                self.send_plaintext_alert(alert);
                err::raise_ssl(reason::SSL_R_CALLBACK_FAILED);
                self.state = HandshakeState::Failed;
                return Some(-1);
            }
        }
        if self.ctx.cert_callback().is_some() {
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
        let Some(config) =
            self.ctx
                .server_config(&self.settings, alpn, &creds, self.reading_early_data)
        else {
            self.fail_quietly();
            return Some(-1);
        };
        let no_credentials = !creds.complete();
        let result = match &self.scope {
            Some(scope) => handshake_scope::enter(scope, || accepted.into_connection(config)),
            None => accepted.into_connection(config),
        };
        match result {
            Ok(conn) => {
                self.tls = Tls::Active(Box::new(conn.into()));
                None
            }
            Err((e, mut alert)) => {
                self.send_hello_alert(&mut alert, &e);
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

    /// `SSL_read_early_data` on a server: `Ok(Some(n))` for `n` bytes of the client's
    /// early data, `Ok(None)` once the early data is finished (none was sent, it was
    /// refused, or all of it was read and the handshake is done), `Err(ret)` to retry
    /// (`SSL_get_error` says why) or on failure. Each call takes one handshake step.
    pub fn read_early_data(&mut self, buf: &mut [u8]) -> Result<Option<usize>, c_int> {
        self.reading_early_data = true;
        if let Some(n) = self.take_early_data(buf) {
            return Ok(Some(n));
        }
        if self.state == HandshakeState::Done {
            return Ok(None);
        }
        let r = self.do_handshake();
        if let Some(n) = self.take_early_data(buf) {
            return Ok(Some(n));
        }
        let hello_handled = matches!(self.tls, Tls::Active(_));
        if r == 1
            || (r < 0
                && hello_handled
                && !self.early_data_accepted
                && self.state != HandshakeState::Failed)
        {
            // Done, or the ClientHello is handled and no early data was taken: as
            // OpenSSL, the application goes on with SSL_accept or SSL_read.
            return Ok(None);
        }
        Err(r)
    }

    /// Early data received and not read yet, into `buf`; notes that early data was
    /// accepted. `None` when there is none to give.
    fn take_early_data(&mut self, buf: &mut [u8]) -> Option<usize> {
        let Tls::Active(c) = &mut self.tls else {
            return None;
        };
        let rustls::Connection::Server(s) = &mut **c else {
            return None;
        };
        let mut early = s.early_data()?;
        self.early_data_accepted = true;
        match early.read(buf) {
            Ok(n @ 1..) => Some(n),
            _ => None,
        }
    }

    /// `SSL_write_early_data` on a client: before its handshake, with a session whose
    /// ticket allows early data, it starts the handshake (the ClientHello goes out) and
    /// sends `buf` as early data; more may follow until the handshake goes on.
    fn write_client_early_data(&mut self, buf: &[u8]) -> Result<usize, c_int> {
        if let Some(n) = self.early_data_unflushed {
            self.flush()?;
            self.early_data_unflushed = None;
            return Ok(n);
        }
        match self.state {
            HandshakeState::Before => {
                let allowed = self.resume.as_ref().map_or(0, |s| s.max_early_data());
                if allowed == 0 {
                    err::raise_ssl(err::ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
                    return Err(-1);
                }
                if !self.role_set {
                    self.set_connect_state();
                }
                err::clear_all();
                self.sending_early_data = true;
                if !self.start() {
                    self.state = HandshakeState::Failed;
                    return Err(-1);
                }
                self.count_handshake(true, false);
            }
            HandshakeState::Handshaking if self.sending_early_data => {}
            _ => {
                err::raise_ssl(err::ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
                return Err(-1);
            }
        }
        let Tls::Active(tls) = &mut self.tls else {
            return Err(-1);
        };
        let rustls::Connection::Client(client) = &mut **tls else {
            return Err(-1);
        };
        // rustls offers early data only if the ticket allows it (as the session said).
        let Some(mut early) = client.early_data() else {
            err::raise_ssl(err::ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
            return Err(-1);
        };
        if buf.len() > early.bytes_left() {
            err::raise_ssl(reason::SSL_R_TOO_MUCH_EARLY_DATA);
            return Err(-1);
        }
        let n = early.write(buf).map_err(|_| -1)?;
        if let Err(ret) = self.flush() {
            self.early_data_unflushed = Some(n);
            return Err(ret);
        }
        self.early_data_pause = true;
        Ok(n)
    }

    /// `SSL_write_early_data`: a client's early data, or, on a server that accepted early
    /// data, data sent before the client's Finished (0.5-RTT), as OpenSSL allows while it
    /// reads early data.
    pub fn write_early_data(&mut self, buf: &[u8]) -> Result<usize, c_int> {
        if !self.server {
            return self.write_client_early_data(buf);
        }
        if !self.server || !self.early_data_accepted {
            err::raise_ssl(err::ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
            return Err(-1);
        }
        self.writing_early_data = self.state != HandshakeState::Done;
        if let Some(f) = self
            .finished_capture
            .as_mut()
            .filter(|_| self.writing_early_data)
        {
            f.stop_sending();
        }
        let r = self.write(buf);
        self.writing_early_data = false;
        r
    }

    /// `SSL_get_early_data_status`: `Some(accepted)` once early data was offered (a
    /// client's counts as refused until the server says otherwise, as in OpenSSL), `None`
    /// when there was none.
    pub fn early_data_status(&self) -> Option<bool> {
        if self.server {
            let offered = match &self.peer_hello_reader {
                Some(reader) => reader.early_data_offered(),
                None => self.peer_hello.early_data_offered,
            };
            return (offered || self.early_data_accepted).then_some(self.early_data_accepted);
        }
        if !self.sending_early_data {
            return None;
        }
        match self.active()? {
            rustls::Connection::Client(c) if self.state == HandshakeState::Done => {
                Some(c.is_early_data_accepted())
            }
            _ => Some(false),
        }
    }

    /// The context's `SSL_CTX_sess_accept`/`_connect` counters (and their `_good`).
    fn count_handshake(&self, started: bool, was_done: bool) {
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

    fn handshake_step(&mut self) -> c_int {
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
    fn ensure_handshake(&mut self) -> Result<(), c_int> {
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

    // ---- application data ----

    /// `SSL_read`/`SSL_peek`: `Ok(n)` bytes, or `Err(ret)` with OpenSSL's return value.
    pub fn read(&mut self, buf: &mut [u8], peek: bool) -> Result<usize, c_int> {
        self.rwstate = SSL_NOTHING;
        if self.role_set && self.shutdown & SSL_RECEIVED_SHUTDOWN != 0 {
            return Err(0);
        }
        self.ensure_handshake()?;
        loop {
            let Tls::Active(tls) = &mut self.tls else {
                return Err(-1);
            };
            let got = if peek {
                let mut r = tls.reader();
                r.fill_buf().map(|b| {
                    let n = b.len().min(buf.len());
                    buf[..n].copy_from_slice(&b[..n]);
                    n
                })
            } else {
                tls.reader().read(buf)
            };
            match got {
                Ok(0) if !buf.is_empty() => {
                    self.shutdown |= SSL_RECEIVED_SHUTDOWN;
                    self.close_notify_received = true;
                    return Err(0);
                }
                Ok(n) => {
                    if !peek {
                        self.pending_plaintext = self.pending_plaintext.saturating_sub(n);
                    }
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(_) => {
                    self.on_eof();
                    return Err(0);
                }
            }
            self.flush()?;
            match self.receive() {
                Ok(()) => {}
                // A fatal alert from the peer ends the read with 0, as in OpenSSL.
                Err(Stop::Eof | Stop::Alert) => return Err(0),
                Err(Stop::Other) => return Err(-1),
            }
            // Without SSL_MODE_AUTO_RETRY, a whole record that carried no application data
            // (a session ticket, a key update) ends the call with "retry read", as in OpenSSL.
            if self.settings.mode & SSL_MODE_AUTO_RETRY == 0
                && self.record_cursor.at_boundary()
                && self.pending_plaintext == 0
                && !self.peer_closed
            {
                if let Some(rbio) = &self.rbio {
                    rbio.set_retry_read();
                }
                self.rwstate = SSL_READING;
                return Err(-1);
            }
        }
    }

    /// `SSL_write`: `Ok(n)` bytes taken, or `Err(ret)` with OpenSSL's return value.
    pub fn write(&mut self, buf: &[u8]) -> Result<usize, c_int> {
        if self.role_set && self.shutdown & SSL_SENT_SHUTDOWN != 0 {
            self.rwstate = SSL_NOTHING;
            err::raise_ssl(reason::SSL_R_PROTOCOL_IS_SHUTDOWN);
            return Err(-1);
        }
        if !self.writing_early_data {
            self.ensure_handshake()?;
        }
        let mut accepted = 0;
        if let Some(retry) = self.write_retry {
            if buf.len() < retry.accepted {
                err::raise_ssl(reason::SSL_R_BAD_LENGTH);
                return Err(-1);
            }
            if retry.buf_addr != buf.as_ptr() as usize
                && self.settings.mode & SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER == 0
            {
                err::raise_ssl(reason::SSL_R_BAD_WRITE_RETRY);
                return Err(-1);
            }
            accepted = retry.accepted;
        }
        let partial = self.settings.mode & SSL_MODE_ENABLE_PARTIAL_WRITE != 0;
        // A partial write reports each record once it is fully written, as OpenSSL does;
        // a retried one first finishes what the previous call left in flight.
        let mut report_after_flush = partial && accepted > 0;
        loop {
            if let Err(ret) = self.flush() {
                self.write_retry = Some(WriteRetry {
                    accepted,
                    buf_addr: buf.as_ptr() as usize,
                });
                return Err(ret);
            }
            if accepted == buf.len() || report_after_flush {
                self.write_retry = None;
                return Ok(accepted);
            }
            let Tls::Active(tls) = &mut self.tls else {
                return Err(-1);
            };
            let end = if partial {
                buf.len().min(accepted + MAX_PLAINTEXT_RECORD)
            } else {
                buf.len()
            };
            accepted += tls.writer().write(&buf[accepted..end]).map_err(|_| -1)?;
            report_after_flush = partial;
        }
    }

    // ---- closing ----

    /// `SSL_shutdown`: 0 after sending close_notify, 1 once the peer's has arrived too.
    pub fn shutdown(&mut self) -> c_int {
        if !self.role_set {
            err::raise_ssl(reason::SSL_R_UNINITIALIZED);
            return -1;
        }
        if self.in_init() {
            err::raise_ssl(reason::SSL_R_SHUTDOWN_WHILE_IN_INIT);
            return -1;
        }
        if self.settings.quiet_shutdown {
            self.shutdown = SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN;
            return 1;
        }
        if self.shutdown & SSL_SENT_SHUTDOWN == 0 {
            self.shutdown |= SSL_SENT_SHUTDOWN;
            if let Tls::Active(tls) = &mut self.tls {
                tls.send_close_notify();
            }
            if self.flush().is_err() {
                return -1;
            }
        } else if self.active().is_some_and(|t| t.wants_write()) {
            if self.flush().is_err() {
                return -1;
            }
        } else if self.shutdown & SSL_RECEIVED_SHUTDOWN == 0 {
            return self.await_close_notify();
        }
        if self.shutdown == SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN {
            1
        } else {
            0
        }
    }

    /// The second `SSL_shutdown`: discards application data until the peer's close_notify.
    fn await_close_notify(&mut self) -> c_int {
        let mut scratch = [0u8; 1024];
        loop {
            let Tls::Active(tls) = &mut self.tls else {
                return -1;
            };
            match tls.reader().read(&mut scratch) {
                Ok(0) => {
                    self.shutdown |= SSL_RECEIVED_SHUTDOWN;
                    self.close_notify_received = true;
                    return 1;
                }
                Ok(_) => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(_) => {
                    self.on_eof();
                    return -1;
                }
            }
            if self.receive().is_err() {
                return -1;
            }
        }
    }

    /// `SSL_get_error`, following OpenSSL's order of checks.
    pub fn get_error(&self, ret: c_int) -> c_int {
        if ret > 0 {
            return SSL_ERROR_NONE;
        }
        let e = err::peek_first();
        if e != 0 {
            return if err::lib_of(e) == ERR_LIB_SYS {
                SSL_ERROR_SYSCALL
            } else {
                SSL_ERROR_SSL
            };
        }
        let by_bio = |bio: &Option<Bio>, write_first: bool| -> Option<c_int> {
            let b = bio.as_ref()?;
            let (first, second) = if write_first {
                (b.should_write(), b.should_read())
            } else {
                (b.should_read(), b.should_write())
            };
            if first {
                return Some(if write_first {
                    SSL_ERROR_WANT_WRITE
                } else {
                    SSL_ERROR_WANT_READ
                });
            }
            if second {
                return Some(if write_first {
                    SSL_ERROR_WANT_READ
                } else {
                    SSL_ERROR_WANT_WRITE
                });
            }
            if b.should_io_special() {
                return Some(match b.retry_reason() {
                    BIO_RR_CONNECT => SSL_ERROR_WANT_CONNECT,
                    BIO_RR_ACCEPT => SSL_ERROR_WANT_ACCEPT,
                    _ => SSL_ERROR_SYSCALL,
                });
            }
            None
        };
        if self.rwstate == SSL_READING {
            if let Some(code) = by_bio(&self.rbio, false) {
                return code;
            }
        }
        if self.rwstate == SSL_WRITING {
            if let Some(code) = by_bio(&self.wbio, true) {
                return code;
            }
        }
        if self.rwstate == SSL_X509_LOOKUP {
            return SSL_ERROR_WANT_X509_LOOKUP;
        }
        if self.rwstate == SSL_CLIENT_HELLO_CB {
            return SSL_ERROR_WANT_CLIENT_HELLO_CB;
        }
        if self.shutdown & SSL_RECEIVED_SHUTDOWN != 0 && self.close_notify_received {
            return SSL_ERROR_ZERO_RETURN;
        }
        SSL_ERROR_SYSCALL
    }
}

impl Connection {
    /// `SSL_clear`: forgets the last connection, keeping the settings, the side and the
    /// BIOs, so that the object can make a new connection.
    pub fn clear(&mut self) {
        self.tls = Tls::None;
        self.state = HandshakeState::Before;
        self.rwstate = SSL_NOTHING;
        self.shutdown = 0;
        self.close_notify_received = false;
        self.scope = None;
        self.peer_chain.clear();
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
        self.cert_verdict = None;
        self.client_hello_verdict = None;
        self.client_hello = None;
        self.status_verdict = None;
        self.ocsp_to_staple = None;
        self.client_status_checked = false;
        self.trace = None;
        self.trace_written = None;
        self.reported_state = None;
        // What the last handshake settled goes with it, as OpenSSL's SSL_clear resets it.
        self.peer_hello_reader = None;
        self.peer_hello = PeerHello::default();
        self.peer_signature = 0;
        self.finished_capture = None;
        self.finished = KeptFinished::default();
    }

    /// The callback the FFI layer must run now, if any.
    pub fn take_callback_request(&mut self) -> Option<CallbackRequest> {
        self.callback_request.take()
    }

    /// OCSP stapling on a server: when the client asked for a status and the context has
    /// a status callback, runs it (through the FFI layer) and keeps the response it set
    /// for the certificate resolver. `Some(ret)` when the call must return now.
    fn run_status_callback(&mut self) -> Option<c_int> {
        self.ctx.status_callback()?;
        const STATUS_REQUEST: u16 = 5;
        let requested = crate::wire::client_hello::parse(&self.first_bytes)
            .is_some_and(|h| h.extension(STATUS_REQUEST).is_some());
        if !requested {
            return None;
        }
        match self.status_verdict {
            None => {
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
    fn check_client_status(&mut self) -> Option<c_int> {
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

    /// `SSL_want`: what the last call was waiting for (`SSL_NOTHING`, `SSL_READING`, ...).
    pub fn want(&self) -> c_int {
        self.rwstate
    }
}

impl Connection {
    /// Tells the trace how a handshake step ended; a handshake that completed or failed
    /// gets its diagram written where `FERROSSL_TRACE` says.
    fn trace_handshake_step(&mut self, ret: c_int) {
        let state = self.state;
        let verify = (!self.server || !self.peer_chain.is_empty()).then(|| {
            let code = self.verify_result;
            (code, crate::libcrypto::store::verify_result_text(code))
        });
        let resumed = self.session_reused();
        let Some(t) = self.trace.as_deref_mut() else {
            return;
        };
        match state {
            HandshakeState::Done => {
                t.handshake_done();
                t.outcome.completed = true;
                t.outcome.resumed = resumed;
                t.outcome.verify = verify;
            }
            HandshakeState::Failed => {
                t.handshake_returned(ret, true);
                t.outcome.failed = true;
                t.outcome.verify = verify.filter(|(code, _)| *code != 0);
                t.outcome.error = err::first_reason_text();
            }
            _ => {
                t.handshake_returned(ret, false);
                return;
            }
        }
        self.write_diagram(true);
    }

    /// Writes this connection's diagram for `FERROSSL_TRACE`.
    fn write_diagram(&mut self, first: bool) {
        let Some(t) = self.trace.as_deref_mut() else {
            return;
        };
        trace_output::emit(&t.diagram_input(), self.trace_number, first);
        self.trace_written = Some(t.messages.len());
    }

    /// The notifications for the application's observer callbacks, oldest first.
    pub fn take_notifications(&mut self) -> Vec<Notification> {
        match self.trace.as_deref_mut() {
            Some(t) => t.take_notifications(),
            None => Vec::new(),
        }
    }

    /// `SSL_export_keying_material` (RFC 5705 / RFC 8446 §7.5): `Err(-1)` before the
    /// handshake is done, `Err(0)` if rustls refuses.
    pub fn export_keying_material(
        &self,
        out: &mut [u8],
        label: &[u8],
        context: Option<&[u8]>,
    ) -> Result<(), c_int> {
        let tls = match self.active() {
            Some(t) if self.state == HandshakeState::Done => t,
            _ => return Err(-1),
        };
        tls.export_keying_material(out, label, context)
            .map(|_| ())
            .map_err(|_| 0)
    }

    /// `SSL_key_update`: new traffic keys for TLS 1.3 (rustls always asks the peer to
    /// update too), sent by the next `SSL_do_handshake` or write. False (reason queued)
    /// for TLS 1.2.
    pub fn key_update(&mut self) -> bool {
        let tls13 = self.version() == TLS1_3_VERSION;
        match &mut self.tls {
            Tls::Active(t) if self.state == HandshakeState::Done && tls13 => {
                t.refresh_traffic_keys().is_ok()
            }
            _ => {
                err::raise_ssl(reason::SSL_R_WRONG_SSL_VERSION);
                false
            }
        }
    }

    /// The ClientHello's random (`SSL_get_client_random`), once it has been sent or received.
    pub fn client_random(&self) -> Option<[u8; 32]> {
        let side = if self.server {
            &self.received_prefix
        } else {
            &self.sent_prefix
        };
        side.random(1)
    }

    /// The ServerHello's random (`SSL_get_server_random`).
    pub fn server_random(&self) -> Option<[u8; 32]> {
        let side = if self.server {
            &self.sent_prefix
        } else {
            &self.received_prefix
        };
        side.random(2)
    }

    /// The chain certificates as a stack the connection owns (valid until the next call).
    pub fn chain_stack(&mut self) -> *mut openssl_sys::stack_st_X509 {
        self.chain_stack = CertificateStack::new(&self.credentials().chain);
        self.chain_stack
            .as_ref()
            .map_or(std::ptr::null_mut(), |s| s.as_ptr())
    }

    /// A server's client CA names as a stack it owns (`SSL_get_client_CA_list`).
    /// A server's client CA list (`SSL_get_client_CA_list`); on a client, the CA names the
    /// server's certificate request listed (NULL when none came), as in OpenSSL.
    pub fn client_ca_stack(&mut self) -> *mut crate::libcrypto::name_stack::RawNameStack {
        let names = if self.server {
            self.settings.client_ca_names.clone()
        } else {
            let Some(names) = self.scope.as_ref().and_then(|scope| {
                scope
                    .peer_ca_names
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone()
            }) else {
                return std::ptr::null_mut();
            };
            names
        };
        self.client_ca_stack.get(&names)
    }

    /// The state an info callback that is running should see (`None` when it returns).
    pub fn set_reported_state(&mut self, state: Option<(c_int, bool)>) {
        self.reported_state = state;
    }

    /// `SSL_get_state` (an `OSSL_HANDSHAKE_STATE`) and whether the connection is in
    /// error, for `SSL_state_string`.
    pub fn handshake_state(&self) -> (c_int, bool) {
        use crate::trace::openssl_state::st;
        if let Some(s) = self.reported_state {
            return s;
        }
        let failed = self.state == HandshakeState::Failed;
        if let Some(t) = &self.trace {
            let (s, error) = t.state();
            return (s, error || failed);
        }
        let s = match self.state {
            HandshakeState::Before => st::TLS_ST_BEFORE,
            HandshakeState::Done => st::TLS_ST_OK,
            HandshakeState::Handshaking | HandshakeState::Failed => {
                if self.server {
                    st::TLS_ST_SR_CLNT_HELLO
                } else {
                    st::TLS_ST_CW_CLNT_HELLO
                }
            }
        };
        (s, failed)
    }

    /// The diagram of this connection's handshake (SVG if `svg`), if it was traced.
    pub fn diagram(&mut self, svg: bool) -> Option<String> {
        let t = self.trace.as_deref_mut()?;
        t.pump(false);
        let input = t.diagram_input();
        Some(if svg {
            sequence_diagram::svg(&input)
        } else {
            sequence_diagram::text(&input)
        })
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
