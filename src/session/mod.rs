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

mod client_store;
mod client_value;
mod encoding;
mod print;

use std::ffi::CString;
use std::sync::atomic::{AtomicBool, AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use rustls::client::{Tls12ClientSessionValue, Tls13ClientSessionValue};

use crate::libcrypto::ex_data::{ExData, CRYPTO_EX_INDEX_SSL_SESSION};
use crate::libcrypto::x509::Certificate;

pub use client_store::{receive_server_session, SessionBridge, SessionSlots};
pub use encoding::{decode, encode, encoded_len};
pub use print::SessionText;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// OpenSSL's default session lifetime (`SSL_get_default_timeout`), in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 7200;

/// What rustls needs to resume.
#[derive(Debug, Clone)]
enum Resumable {
    /// A TLS 1.3 ticket; each connection that offers it gets a copy.
    Tls13(Tls13ClientSessionValue),
    Tls12(Tls12ClientSessionValue),
    /// A server's session: rustls' own encoding of what it needs to resume.
    Server(Vec<u8>),
    /// A client's value read back from its serialised form, until a connection offers
    /// it (see `client_value`).
    Encoded(client_value::EncodedClientValue),
}

/// A session's id and how much of it counts (0 for a session the server gave nothing to
/// resume with). A random id is drawn when first asked for: most sessions never show
/// theirs, and a draw from the system's generator costs about a microsecond.
#[derive(Debug, Clone, Copy)]
enum SessionId {
    Undrawn,
    Known([u8; 32], usize),
}

impl SessionId {
    fn bytes(&self) -> &[u8] {
        match self {
            SessionId::Known(id, n) => &id[..*n],
            SessionId::Undrawn => &[],
        }
    }
}

/// One client session (`SSL_SESSION *` is an `Arc<Session>` handed to C).
#[derive(Debug)]
pub struct Session {
    /// The protocol version it was made with (`SSL_SESSION_get_protocol_version`); a
    /// server's session learns it when its connection completes.
    version: AtomicU16,
    /// The id `SSL_SESSION_get_id` reports and `SSL_SESSION_set1_id` changes.
    id: Mutex<SessionId>,
    /// `SSL_SESSION_set1_id_context`.
    id_context: Mutex<Vec<u8>>,
    /// Seconds since the epoch when it was made (`SSL_SESSION_get_time`/`set_time`).
    created: AtomicU64,
    /// Its lifetime in seconds (`SSL_SESSION_get_timeout`): the context's session timeout.
    timeout: AtomicU64,
    /// The SNI name the client sent (`SSL_SESSION_get0_hostname`, `set1_hostname`).
    hostname: Mutex<Option<CString>>,
    /// The protocol ALPN selected (`SSL_SESSION_get0_alpn_selected`, `set1_alpn_selected`).
    alpn_selected: Mutex<Option<Vec<u8>>>,
    /// `SSL_SESSION_set_max_early_data`, which then stands for the ticket's own limit.
    max_early_data: Mutex<Option<u32>>,
    /// What rustls resumes with (`None`: nothing to resume with).
    value: Arc<Mutex<Option<Resumable>>>,
    /// OpenSSL's `not_resumable`: set when the session is spent or its connection ended
    /// badly; the value stays, so the serialised form still carries it (as OpenSSL's
    /// `i2d_SSL_SESSION` does, and a session read back is resumable again).
    not_resumable: AtomicBool,
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
    /// A TLS 1.3 ticket's lifetime hint and bytes, which stay when the session is spent.
    tls13_ticket: OnceLock<(u32, Vec<u8>)>,
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

/// The peer as the full handshake saw it.
#[derive(Debug, Clone)]
pub struct PeerRecord {
    pub chain: Vec<Certificate>,
    pub verify_result: std::os::raw::c_long,
    /// Only the leaf is known, as of a session read back from its serialised form
    /// (OpenSSL's keeps the peer's certificate, not its chain).
    pub leaf_only: bool,
}

impl Session {
    fn new(version: u16, value: Resumable) -> Self {
        let ticket = match &value {
            Resumable::Tls13(v) => Some((v.lifetime_secs(), v.ticket().to_vec())),
            _ => None,
        };
        let session = Self::with_value(version, Some(value));
        if let Some(t) = ticket {
            let _ = session.tls13_ticket.set(t);
        }
        session
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
        match self.resumable()? {
            Resumable::Server(v) => Some(v),
            _ => None,
        }
    }

    /// The id, drawn now if it was not yet.
    fn known_id(&self) -> MutexGuard<'_, SessionId> {
        let mut g = lock(&self.id);
        if let SessionId::Undrawn = *g {
            let mut name = [0u8; 32];
            // Straight from the system's generator: building a provider for it allocated
            // its suite and group lists on every session.
            let _ = aws_lc_rs::rand::fill(&mut name);
            *g = SessionId::Known(name, name.len());
        }
        g
    }

    /// The id as `SSL_SESSION_get_id` reports it.
    pub fn id(&self) -> Vec<u8> {
        self.known_id().bytes().to_vec()
    }

    /// Where the id lies and its length, for `SSL_SESSION_get_id` (valid until the id is
    /// set again or the session goes).
    pub fn id_location(&self) -> (*const u8, usize) {
        let g = self.known_id();
        (g.bytes().as_ptr(), g.bytes().len())
    }

    /// `SSL_SESSION_set1_id` (up to 32 bytes; longer ids are cut, the FFI refuses them).
    pub fn set_id(&self, id: &[u8]) {
        let n = id.len().min(32);
        let mut name = [0u8; 32];
        name[..n].copy_from_slice(&id[..n]);
        *lock(&self.id) = SessionId::Known(name, n);
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
        self.created().saturating_add(self.timeout()) < now
    }

    fn with_value(version: u16, value: Option<Resumable>) -> Self {
        let id = match value {
            Some(_) => SessionId::Undrawn,
            None => SessionId::Known([0; 32], 0),
        };
        Self {
            version: AtomicU16::new(version),
            id: Mutex::new(id),
            id_context: Mutex::new(Vec::new()),
            created: AtomicU64::new(
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs()),
            ),
            timeout: AtomicU64::new(DEFAULT_TIMEOUT_SECS),
            hostname: Mutex::new(None),
            alpn_selected: Mutex::new(None),
            max_early_data: Mutex::new(None),
            value: Arc::new(Mutex::new(value)),
            not_resumable: AtomicBool::new(false),
            ex_data: ExData::new(CRYPTO_EX_INDEX_SSL_SESSION),
            ex_data_ready: std::sync::Once::new(),
            ticket_appdata: Mutex::new(None),
            cipher: OnceLock::new(),
            peer: Mutex::new(None),
            tls12: OnceLock::new(),
            tls13_ticket: OnceLock::new(),
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

    /// Whether it can still be offered (not after `invalidate`).
    pub fn is_resumable(&self) -> bool {
        !self.not_resumable.load(Ordering::Relaxed) && lock(&self.value).is_some()
    }

    /// A copy of what rustls resumes with, while the session is resumable.
    fn resumable(&self) -> Option<Resumable> {
        if self.not_resumable.load(Ordering::Relaxed) {
            return None;
        }
        lock(&self.value).clone()
    }

    /// Whether it is `resumed` stored again by rustls after a TLS 1.2 resumption: the same
    /// ticket (or, resumed by session id, the same lack of one), no new one from the server.
    pub fn is_tls12_resave_of(&self, resumed: &Session) -> bool {
        let ticket = |s: &Session| match lock(&s.value).as_ref() {
            Some(Resumable::Tls12(v)) => Some(v.ticket().to_vec()),
            _ => None,
        };
        ticket(self).is_some_and(|t| Some(t) == ticket(resumed))
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

    /// A copy as `d2i_SSL_SESSION` makes one: it knows the peer's certificate, not the
    /// chain that came with it, and is resumable (the encoding has no such flag).
    pub fn deserialised_copy(&self) -> Session {
        let copy = self.duplicate();
        copy.not_resumable.store(false, Ordering::Relaxed);
        if let Some(peer) = lock(&copy.peer).as_mut() {
            peer.chain.truncate(1);
            peer.leaf_only = true;
        }
        copy
    }

    /// Makes it not resumable, as OpenSSL does with a spent TLS 1.3 session and the
    /// session of a connection that was not shut down properly.
    pub fn invalidate(&self) {
        self.not_resumable.store(true, Ordering::Relaxed);
    }

    pub fn timeout(&self) -> u64 {
        self.timeout.load(Ordering::Relaxed)
    }

    pub fn set_timeout(&self, secs: u64) {
        self.timeout.store(secs, Ordering::Relaxed);
    }

    /// Seconds since the epoch when it was made.
    pub fn created(&self) -> u64 {
        self.created.load(Ordering::Relaxed)
    }

    /// `SSL_SESSION_set_time`: its lifetime now counts from `secs`.
    pub fn set_created(&self, secs: u64) {
        self.created.store(secs, Ordering::Relaxed);
    }

    /// Where the SNI name of the connection it came from lies, NUL-terminated (valid until
    /// it is set again or the session goes); `None` without one.
    pub fn hostname(&self) -> Option<CString> {
        lock(&self.hostname).clone()
    }

    pub fn hostname_ptr(&self) -> Option<*const std::os::raw::c_char> {
        lock(&self.hostname).as_ref().map(|h| h.as_ptr())
    }

    /// `SSL_SESSION_set1_hostname` (`None` removes it).
    pub fn set_hostname(&self, name: Option<CString>) {
        *lock(&self.hostname) = name;
    }

    /// Where the selected ALPN protocol lies (valid until it is set again or the session
    /// goes); `None` without one.
    pub fn alpn_selected(&self) -> Option<(*const u8, usize)> {
        lock(&self.alpn_selected)
            .as_ref()
            .map(|p| (p.as_ptr(), p.len()))
    }

    /// `SSL_SESSION_set1_alpn_selected` (`None` or empty removes it).
    pub fn set_alpn_selected(&self, protocol: Option<&[u8]>) {
        *lock(&self.alpn_selected) = protocol.filter(|p| !p.is_empty()).map(<[u8]>::to_vec);
    }

    /// Records the SNI name and ALPN protocol of the connection that made it, unless the
    /// application already set them.
    pub fn remember_names(&self, hostname: Option<&CString>, alpn: Option<&[u8]>) {
        let mut h = lock(&self.hostname);
        if h.is_none() {
            *h = hostname.cloned();
        }
        let mut a = lock(&self.alpn_selected);
        if a.is_none() {
            *a = alpn.map(<[u8]>::to_vec);
        }
    }

    /// `SSL_SESSION_set_max_early_data`.
    pub fn set_max_early_data(&self, max: u32) {
        *lock(&self.max_early_data) = Some(max);
    }

    /// `SSL_SESSION_dup`: a copy with its own identity, names and application data,
    /// sharing the resumption data (rustls' values cannot be copied; a TLS 1.3 ticket
    /// used through one copy is gone for both, as rustls uses each ticket once).
    pub fn duplicate(&self) -> Session {
        let mut copy = Session::with_value(self.version(), None);
        copy.value = Arc::new(Mutex::new(lock(&self.value).clone()));
        copy.not_resumable.store(
            self.not_resumable.load(Ordering::Relaxed),
            Ordering::Relaxed,
        );
        *lock(&copy.id) = *self.known_id();
        copy.set_id_context(&self.id_context());
        copy.set_created(self.created());
        copy.set_timeout(self.timeout());
        *lock(&copy.hostname) = lock(&self.hostname).clone();
        *lock(&copy.alpn_selected) = lock(&self.alpn_selected).clone();
        *lock(&copy.max_early_data) = *lock(&self.max_early_data);
        *lock(&copy.ticket_appdata) = lock(&self.ticket_appdata).clone();
        copy.set_cipher(self.cipher());
        if let Some(peer) = self.peer() {
            copy.set_peer(peer);
        }
        if let Some(d) = self.tls12_details() {
            copy.set_tls12_details(d.clone());
        }
        if let Some(t) = self.tls13_ticket.get() {
            let _ = copy.tls13_ticket.set(t.clone());
        }
        copy
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

    /// The early data the server allows with this session's ticket
    /// (`SSL_SESSION_get_max_early_data`): 0 without an unused TLS 1.3 ticket.
    pub fn max_early_data(&self) -> u32 {
        if let Some(max) = *lock(&self.max_early_data) {
            return max;
        }
        match self.value.lock().ok().as_deref() {
            Some(Some(Resumable::Tls13(v))) => v.max_early_data_size(),
            _ => 0,
        }
    }

    /// The server's ticket and its lifetime hint: a TLS 1.3 session's (kept when the
    /// session is spent, as OpenSSL's), or the NewSessionTicket of a TLS 1.2 handshake.
    fn ticket_and_hint(&self) -> Option<(u32, &[u8])> {
        let (hint, ticket) = match self.tls13_ticket.get() {
            Some(t) => t,
            None => self.tls12_details()?.ticket.as_ref()?,
        };
        Some((*hint, ticket))
    }

    /// Whether the server gave a ticket (`SSL_SESSION_has_ticket`).
    pub fn has_ticket(&self) -> bool {
        self.ticket_and_hint().is_some_and(|(_, t)| !t.is_empty())
    }

    /// The ticket as the server sent it (`SSL_SESSION_get0_ticket`).
    pub fn ticket(&self) -> Option<&[u8]> {
        self.ticket_and_hint().map(|(_, t)| t)
    }

    /// The ticket's lifetime hint (`SSL_SESSION_get_ticket_lifetime_hint`); 0 without one.
    pub fn ticket_lifetime_hint(&self) -> u32 {
        self.ticket_and_hint().map_or(0, |(hint, _)| hint)
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
