//! Client sessions (`SSL_SESSION`): what a client keeps to resume a connection later.
//!
//! rustls hands its resumption data to a `ClientSessionStore`. Ferrossl's store does not
//! keep it itself: it turns what rustls stores into `SSL_SESSION` objects for the
//! connection that received them (`SSL_get1_session`, the new-session callback), and
//! gives rustls the session the application chose with `SSL_set_session`, as OpenSSL
//! applications expect to decide which session to resume.
#![forbid(unsafe_code)]

pub mod server_cache;
pub mod ticket_keys;

use std::ffi::CString;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::pki_types::ServerName;
use rustls::NamedGroup;

use crate::connection::handshake_scope;
use crate::libcrypto::ex_data::{ExData, CRYPTO_EX_INDEX_SSL_SESSION};
use crate::libcrypto::x509::Certificate;

/// OpenSSL's default session lifetime (`SSL_get_default_timeout`), in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 7200;

/// What rustls needs to resume.
#[derive(Debug)]
enum Resumable {
    /// A TLS 1.3 ticket; rustls uses each at most once.
    Tls13(Tls13ClientSessionValue),
    Tls12(Tls12ClientSessionValue),
    /// A server's session: rustls' own encoding of what it needs to resume.
    Server(Vec<u8>),
}

/// Upper-case hex, as OpenSSL prints session ids and keys.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// One client session (`SSL_SESSION *` is an `Arc<Session>` handed to C).
#[derive(Debug)]
pub struct Session {
    /// The protocol version it was made with (`SSL_SESSION_get_protocol_version`); a
    /// server's session learns it when its connection completes.
    version: AtomicU16,
    /// A random name for the session's serialised form (client sessions).
    name: [u8; 32],
    /// The id `SSL_SESSION_get_id` reports and `SSL_SESSION_set1_id` changes, and how
    /// much of it counts: 0 for a session the server gave nothing to resume with.
    id: Mutex<([u8; 32], usize)>,
    /// `SSL_SESSION_set1_id_context`.
    id_context: Mutex<Vec<u8>>,
    /// Seconds since the epoch when it was made (`SSL_SESSION_get_time`).
    pub created: u64,
    /// Its lifetime in seconds (`SSL_SESSION_get_timeout`): the context's session timeout.
    timeout: AtomicU64,
    /// The SNI name the client sent (`SSL_SESSION_get0_hostname`).
    hostname: OnceLock<CString>,
    value: Mutex<Option<Resumable>>,
    /// Application data slots (`SSL_SESSION_set_ex_data`), set up on first use.
    ex_data: ExData,
    ex_data_ready: std::sync::Once,
    /// `SSL_SESSION_set1_ticket_appdata`.
    ticket_appdata: Mutex<Option<Vec<u8>>>,
    /// The suite it was made with (`SSL_SESSION_get0_cipher`), once known.
    cipher: OnceLock<&'static crate::config::cipher::SslCipher>,
    /// The server's certificates and their verify result, which a resumed connection
    /// reports again (no certificate is sent when resuming).
    peer: Mutex<Option<PeerRecord>>,
    /// What the TLS 1.2 handshake that made it settled, which rustls keeps to itself.
    tls12: OnceLock<Box<Tls12Details>>,
}

/// A TLS 1.2 session's master secret (from rustls' key log), whether it was made with the
/// extended master secret, and the server's ticket (read from the handshake).
#[derive(Clone)]
pub struct Tls12Details {
    pub master_key: Vec<u8>,
    pub extended_master_secret: bool,
    /// The ticket's lifetime hint, and the ticket.
    pub ticket: Option<(u32, Vec<u8>)>,
}

/// The master secret is wiped when the session goes.
impl Drop for Tls12Details {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.master_key);
    }
}

/// The master secret stays out of debug output.
impl std::fmt::Debug for Tls12Details {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls12Details")
            .field("extended_master_secret", &self.extended_master_secret)
            .field(
                "ticket",
                &self.ticket.as_ref().map(|(hint, t)| (hint, t.len())),
            )
            .finish_non_exhaustive()
    }
}

/// `SSL_SESSION_print`'s text: the lines before the ticket, the ticket to dump (as
/// `BIO_dump_indent` does), the lines after it.
#[derive(Debug)]
pub struct SessionText {
    pub head: String,
    pub ticket: Option<Vec<u8>>,
    pub tail: String,
}

/// The peer as the full handshake saw it.
#[derive(Debug, Clone)]
pub struct PeerRecord {
    pub chain: Vec<Certificate>,
    pub verify_result: std::os::raw::c_long,
}

impl Session {
    fn new(version: u16, value: Resumable) -> Self {
        Self::with_value(version, Some(value))
    }

    /// The session of a connection whose server offered no way to resume it: it exists
    /// (as in OpenSSL, `SSL_get1_session` returns one) but is not resumable.
    pub fn unresumable(version: u16) -> Self {
        Self::with_value(version, None)
    }

    /// A server's session under the id rustls chose for it.
    pub fn server(id: &[u8], value: Vec<u8>) -> Self {
        let s = Self::with_value(0, Some(Resumable::Server(value)));
        s.set_id(id);
        s
    }

    /// rustls' encoding of a server session, if this is one that can still be resumed.
    pub fn server_value(&self) -> Option<Vec<u8>> {
        match self.value.lock().ok()?.as_ref()? {
            Resumable::Server(v) => Some(v.clone()),
            _ => None,
        }
    }

    /// The id as `SSL_SESSION_get_id` reports it.
    pub fn id(&self) -> Vec<u8> {
        let g = self.id.lock().unwrap_or_else(|e| e.into_inner());
        g.0[..g.1].to_vec()
    }

    /// Where the id lies and its length, for `SSL_SESSION_get_id` (valid until the id is
    /// set again or the session goes).
    pub fn id_location(&self) -> (*const u8, usize) {
        let g = self.id.lock().unwrap_or_else(|e| e.into_inner());
        (g.0.as_ptr(), g.1)
    }

    /// `SSL_SESSION_set1_id` (up to 32 bytes; longer ids are cut, the FFI refuses them).
    pub fn set_id(&self, id: &[u8]) {
        let n = id.len().min(32);
        let mut g = self.id.lock().unwrap_or_else(|e| e.into_inner());
        g.0 = [0u8; 32];
        g.0[..n].copy_from_slice(&id[..n]);
        g.1 = n;
    }

    pub fn id_context(&self) -> Vec<u8> {
        self.id_context
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Where the id context lies (valid until it is set again or the session goes).
    pub fn id_context_ptr(&self) -> *const u8 {
        self.id_context
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ptr()
    }

    pub fn set_id_context(&self, ctx: &[u8]) {
        *self.id_context.lock().unwrap_or_else(|e| e.into_inner()) = ctx.to_vec();
    }

    pub fn version(&self) -> u16 {
        self.version.load(Ordering::Relaxed)
    }

    pub fn set_version(&self, v: u16) {
        self.version.store(v, Ordering::Relaxed);
    }

    /// Whether its lifetime has run out.
    pub fn expired(&self) -> bool {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.created.saturating_add(self.timeout()) < now
    }

    fn with_value(version: u16, value: Option<Resumable>) -> Self {
        // Straight from the system's generator: building a provider for it allocated its
        // suite and group lists on every session.
        let mut name = [0u8; 32];
        let _ = aws_lc_rs::rand::fill(&mut name);
        let id_len = if value.is_some() { 32 } else { 0 };
        Self {
            version: AtomicU16::new(version),
            name,
            id: Mutex::new((name, id_len)),
            id_context: Mutex::new(Vec::new()),
            created: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            timeout: AtomicU64::new(DEFAULT_TIMEOUT_SECS),
            hostname: OnceLock::new(),
            value: Mutex::new(value),
            ex_data: ExData::new(CRYPTO_EX_INDEX_SSL_SESSION),
            ex_data_ready: std::sync::Once::new(),
            ticket_appdata: Mutex::new(None),
            cipher: OnceLock::new(),
            peer: Mutex::new(None),
            tls12: OnceLock::new(),
        }
    }

    /// Records what its TLS 1.2 handshake settled (the first handshake's, kept).
    pub fn set_tls12_details(&self, details: Tls12Details) {
        let _ = self.tls12.set(Box::new(details));
    }

    /// What its TLS 1.2 handshake settled, if it was made by one.
    pub fn tls12_details(&self) -> Option<&Tls12Details> {
        self.tls12.get().map(|d| &**d)
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

    pub fn timeout(&self) -> u64 {
        self.timeout.load(Ordering::Relaxed)
    }

    pub fn set_timeout(&self, secs: u64) {
        self.timeout.store(secs, Ordering::Relaxed);
    }

    /// The SNI name of the connection it came from.
    pub fn hostname(&self) -> Option<&CString> {
        self.hostname.get()
    }

    pub fn set_hostname(&self, name: Option<&CString>) {
        if let Some(n) = name {
            let _ = self.hostname.set(n.clone());
        }
    }

    /// The session's application data slots; the first use runs the registered "new"
    /// callbacks (the session must be in its final place: inside its `Arc`).
    pub fn ex_data(&self) -> &ExData {
        let owner = self as *const Session as *mut std::os::raw::c_void;
        self.ex_data_ready.call_once(|| self.ex_data.init(owner));
        &self.ex_data
    }

    pub fn cipher(&self) -> Option<&'static crate::config::cipher::SslCipher> {
        self.cipher.get().copied()
    }

    pub fn set_cipher(&self, c: Option<&'static crate::config::cipher::SslCipher>) {
        if let Some(c) = c {
            let _ = self.cipher.set(c);
        }
    }

    /// The peer's leaf certificate, owned by the session.
    pub fn peer_certificate_ptr(&self) -> Option<*mut crate::libcrypto::sys::X509> {
        let peer = self.peer.lock().ok()?;
        peer.as_ref()?.chain.first().map(|c| c.as_ptr())
    }

    /// `SSL_SESSION_set1_ticket_appdata`: kept with the session (in this process).
    pub fn set_ticket_appdata(&self, data: Vec<u8>) {
        *self
            .ticket_appdata
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(data);
    }

    /// Where the ticket app data lies (valid until it is set again or the session goes).
    pub fn ticket_appdata(&self) -> Option<(*const u8, usize)> {
        self.ticket_appdata
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|v| (v.as_ptr(), v.len()))
    }

    /// `SSL_SESSION_print`'s text, in OpenSSL's layout (as Debian's OpenSSL prints it, with
    /// PSK and SRP built in). A TLS 1.3 session's resumption secret and ticket lifetime
    /// stay inside rustls: that line is empty, and the hint left out, as for a session
    /// without them.
    pub fn describe(&self) -> SessionText {
        let verify = self.peer().map_or(0, |p| p.verify_result);
        let tls13 = self.version() == 0x0304;
        let details = self.tls12_details();
        let mut head = format!(
            "SSL-Session:\n    Protocol  : {}\n    Cipher    : {}\n    Session-ID: {}\n    Session-ID-ctx: {}\n    {}: {}\n    PSK identity: None\n    PSK identity hint: None\n    SRP username: None",
            crate::config::protocol_version::name(std::os::raw::c_int::from(self.version())).to_string_lossy(),
            self.cipher()
                .map_or("0000".into(), |c| c.name.to_string_lossy().into_owned()),
            hex(&self.id()),
            hex(&self.id_context()),
            if tls13 { "Resumption PSK" } else { "Master-Key" },
            hex(details.map_or(&[][..], |d| &d.master_key)),
        );
        let ticket = details.and_then(|d| d.ticket.as_ref());
        if let Some((hint, _)) = ticket.filter(|(hint, _)| *hint != 0) {
            head.push_str(&format!(
                "\n    TLS session ticket lifetime hint: {hint} (seconds)"
            ));
        }
        let mut tail = format!(
            "\n    Start Time: {}\n    Timeout   : {} (sec)\n    Verify return code: {verify} ({})\n    Extended master secret: {}\n",
            self.created,
            self.timeout(),
            crate::libcrypto::store::verify_result_text(verify),
            if details.is_some_and(|d| d.extended_master_secret) {
                "yes"
            } else {
                "no"
            },
        );
        if tls13 {
            tail.push_str(&format!("    Max Early Data: {}\n", self.max_early_data()));
        }
        SessionText {
            head,
            ticket: ticket.map(|(_, t)| t.clone()).filter(|t| !t.is_empty()),
            tail,
        }
    }

    /// `SSL_SESSION_print_keylog`'s line, for a session with an id and a (TLS 1.2) master
    /// secret; OpenSSL prints none for the others.
    pub fn keylog_line(&self) -> Option<String> {
        let id = self.id();
        let key = &self.tls12_details()?.master_key;
        (!id.is_empty() && !key.is_empty())
            .then(|| format!("RSA Session-ID:{} Master-Key:{}\n", hex(&id), hex(key)))
    }

    /// The early data the server allows with this session's ticket
    /// (`SSL_SESSION_get_max_early_data`): 0 without an unused TLS 1.3 ticket.
    pub fn max_early_data(&self) -> u32 {
        match self.value.lock().ok().as_deref() {
            Some(Some(Resumable::Tls13(v))) => v.max_early_data_size(),
            _ => 0,
        }
    }

    /// Whether the server gave a ticket: a TLS 1.3 session holds one while it is unused, a
    /// TLS 1.2 one when the server sent a NewSessionTicket.
    pub fn has_ticket(&self) -> bool {
        if let Some(d) = self.tls12_details() {
            return d.ticket.as_ref().is_some_and(|(_, t)| !t.is_empty());
        }
        matches!(
            self.value.lock().ok().as_deref(),
            Some(Some(Resumable::Tls13(_)))
        )
    }

    /// The lifetime hint of a TLS 1.2 ticket (`SSL_SESSION_get_ticket_lifetime_hint`); 0
    /// without one, and for TLS 1.3, whose hint rustls keeps.
    pub fn ticket_lifetime_hint(&self) -> u32 {
        self.tls12_details()
            .and_then(|d| d.ticket.as_ref())
            .map_or(0, |(hint, _)| *hint)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.ex_data_ready.is_completed() {
            let owner = self as *mut Session as *mut std::os::raw::c_void;
            self.ex_data.free(owner);
        }
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

/// Keeps a session rustls produced, for the connection to collect.
fn receive(session: Session) {
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
        with_slots(|s| {
            let session = s.resume.as_ref()?;
            let value = session.value.lock().ok()?;
            match value.as_ref()? {
                Resumable::Tls12(v) => Some(v.clone()),
                _ => None,
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
        receive(Session::new(0x0304, Resumable::Tls13(value)));
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

// ---- the serialised form (i2d_SSL_SESSION / d2i_SSL_SESSION) ----

/// rustls does not let a client's resumption secrets out, so a serialised client session
/// names the live session by its id: it can be turned back into that session (a copy
/// sharing its resumption data) in the process that made it, and is refused elsewhere.
const ENCODING_TAG: &[u8] = b"ferrossl session v1";
/// A server's session carries rustls' own encoding of it, so it resumes in any process
/// that shares the bytes (nginx workers sharing a session cache).
const SERVER_ENCODING_TAG: &[u8] = b"ferrossl server session v2";

fn registry() -> &'static Mutex<std::collections::HashMap<[u8; 32], std::sync::Weak<Session>>> {
    static REGISTRY: std::sync::OnceLock<
        Mutex<std::collections::HashMap<[u8; 32], std::sync::Weak<Session>>>,
    > = std::sync::OnceLock::new();
    REGISTRY.get_or_init(Default::default)
}

/// Appends a DER element (definite length, short or long form).
fn der_push(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
}

/// Splits one DER element off `input`: (tag, content, rest).
fn der_take(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |a, b| a << 8 | usize::from(*b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The DER-framed form of a session: SEQUENCE { OCTET STRING tag, OCTET STRING id, ... }.
pub fn encode(session: &Arc<Session>) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some(value) = session.server_value() {
        der_push(&mut body, 0x04, SERVER_ENCODING_TAG);
        der_push(&mut body, 0x04, &session.id());
        der_push(&mut body, 0x04, &session.version().to_be_bytes());
        der_push(&mut body, 0x04, &session.created.to_be_bytes());
        der_push(&mut body, 0x04, &session.timeout().to_be_bytes());
        der_push(&mut body, 0x04, &session.id_context());
        der_push(&mut body, 0x04, &value);
    } else {
        let mut reg = registry().lock().unwrap_or_else(|e| e.into_inner());
        reg.retain(|_, w| w.strong_count() > 0);
        reg.insert(session.name, Arc::downgrade(session));
        der_push(&mut body, 0x04, ENCODING_TAG);
        der_push(&mut body, 0x04, &session.name);
    }
    let mut out = Vec::new();
    der_push(&mut out, 0x30, &body);
    out
}

/// The session a serialised form describes: a server session rebuilt from its bytes, or
/// the live client session it names (if still alive in this process).
pub fn decode(der: &[u8]) -> Option<Arc<Session>> {
    let (0x30, body, _) = der_take(der)? else {
        return None;
    };
    let mut fields = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (0x04, content, next) = der_take(rest)? else {
            return None;
        };
        fields.push(content);
        rest = next;
    }
    match fields.as_slice() {
        [tag, id] if *tag == ENCODING_TAG => {
            let id: [u8; 32] = (*id).try_into().ok()?;
            registry().lock().ok()?.get(&id)?.upgrade()
        }
        [tag, id, version, created, timeout, id_context, value] if *tag == SERVER_ENCODING_TAG => {
            if id.len() > 32 || id_context.len() > 32 {
                return None;
            }
            let mut s = Session::server(id, value.to_vec());
            s.created = u64::from_be_bytes((*created).try_into().ok()?);
            s.set_version(u16::from_be_bytes((*version).try_into().ok()?));
            s.set_timeout(u64::from_be_bytes((*timeout).try_into().ok()?));
            s.set_id_context(id_context);
            Some(Arc::new(s))
        }
        _ => None,
    }
}

/// The length of the serialised form (what `d2i_SSL_SESSION` consumes).
pub fn encoded_len(der: &[u8]) -> Option<usize> {
    let (0x30, _, rest) = der_take(der)? else {
        return None;
    };
    Some(der.len() - rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_a_tls12_session_as_openssl() {
        let s = Session::new(0x0303, Resumable::Server(Vec::new()));
        s.set_tls12_details(Tls12Details {
            master_key: vec![0xab; 48],
            extended_master_secret: true,
            ticket: Some((7200, vec![1, 2, 3])),
        });
        let text = s.describe();
        assert!(text
            .head
            .contains(&format!("\n    Master-Key: {}\n", "AB".repeat(48))));
        assert!(text
            .head
            .ends_with("SRP username: None\n    TLS session ticket lifetime hint: 7200 (seconds)"));
        assert_eq!(text.ticket.as_deref(), Some(&[1, 2, 3][..]));
        assert!(text.tail.starts_with("\n    Start Time: "));
        assert!(text.tail.ends_with("\n    Extended master secret: yes\n"));
        assert!(s.has_ticket());
        assert_eq!(s.ticket_lifetime_hint(), 7200);
        let line = s.keylog_line().unwrap();
        assert!(
            line.starts_with("RSA Session-ID:")
                && line.ends_with(&format!("Master-Key:{}\n", "AB".repeat(48)))
        );
    }

    #[test]
    fn serialised_sessions_round_trip_in_process() {
        let s = Arc::new(Session {
            version: AtomicU16::new(0x0304),
            name: [7; 32],
            id: Mutex::new(([7; 32], 32)),
            id_context: Mutex::new(Vec::new()),
            created: 0,
            timeout: AtomicU64::new(DEFAULT_TIMEOUT_SECS),
            hostname: OnceLock::new(),
            value: Mutex::new(None),
            ex_data: ExData::new(CRYPTO_EX_INDEX_SSL_SESSION),
            ex_data_ready: std::sync::Once::new(),
            ticket_appdata: Mutex::new(None),
            cipher: OnceLock::new(),
            peer: Mutex::new(None),
            tls12: OnceLock::new(),
        });
        let der = encode(&s);
        assert_eq!(encoded_len(&der), Some(der.len()));
        assert!(Arc::ptr_eq(&decode(&der).unwrap(), &s));
        drop(s);
        assert!(
            decode(&der).is_none(),
            "a session that is gone cannot come back"
        );
        assert!(decode(b"\x30\x03abc").is_none());
    }

    #[test]
    fn server_sessions_serialise_their_bytes() {
        let s = Arc::new(Session::server(&[9; 32], vec![5; 300]));
        s.set_version(0x0303);
        s.set_timeout(300);
        let der = encode(&s);
        assert_eq!(encoded_len(&der), Some(der.len()));
        drop(s);
        let back = decode(&der).expect("a server session needs no registry");
        assert_eq!(back.id(), &[9; 32]);
        assert_eq!(back.version(), 0x0303);
        assert_eq!(back.timeout(), 300);
        assert_eq!(back.server_value(), Some(vec![5; 300]));
        for cut in 0..der.len() {
            assert!(decode(&der[..cut]).is_none(), "truncated at {cut}");
        }
    }
}
