//! One connection's handshake trace: the records it sent and received, split into the
//! messages they carried (opened again with the connection's own secrets where they
//! travelled encrypted), turned into OpenSSL's message and info callback notifications
//! and kept for the diagram.
//!
//! The connection feeds the tracer the bytes exactly as they cross its BIOs and calls
//! [`Tracer::pump`] after each step; records whose keys rustls has not derived yet wait
//! in order, so the notifications keep the order in which the messages travelled.

use std::collections::VecDeque;
use std::os::raw::c_int;
use std::sync::{Arc, Mutex};

use super::message_facts::Facts;
use super::openssl_state::{self, st};
use super::record_splitter::{Record, RecordSplitter};
use crate::wire::record_protection::{self, RecordOpener, SuiteKeys};

/// How many records may wait for their keys before they are given up as unreadable.
const MAX_WAITING: usize = 256;
/// The most messages the diagram keeps.
const MAX_MESSAGES: usize = 128;
/// The largest handshake message the trace reassembles (rustls refuses far smaller ones).
const MAX_HANDSHAKE_MESSAGE: usize = 1 << 18;

/// OpenSSL's pseudo content types of the message callback.
pub const SSL3_RT_HEADER: c_int = 0x100;
pub const SSL3_RT_INNER_CONTENT_TYPE: c_int = 0x101;

const SSL_CB_LOOP: c_int = 0x01;
const SSL_CB_EXIT: c_int = 0x02;
const SSL_CB_READ: c_int = 0x04;
const SSL_CB_WRITE: c_int = 0x08;
const SSL_CB_ALERT: c_int = 0x4000;
const SSL_ST_CONNECT: c_int = 0x1000;
const SSL_ST_ACCEPT: c_int = 0x2000;
const SSL_CB_HANDSHAKE_START: c_int = 0x10;
const SSL_CB_HANDSHAKE_DONE: c_int = 0x20;

/// The secrets rustls logged for one connection (its key log, routed here).
#[derive(Debug, Default)]
pub struct TraceSecrets(Mutex<Vec<(String, Vec<u8>)>>);

impl TraceSecrets {
    pub fn record(&self, label: &str, secret: &[u8]) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((label.to_owned(), secret.to_vec()));
    }

    fn get(&self, label: &str) -> Option<Vec<u8>> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .rev()
            .find(|(l, _)| l == label)
            .map(|(_, s)| s.clone())
    }
}

/// Under which keys a message travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    Plaintext,
    /// TLS 1.3 handshake traffic keys.
    HandshakeKeys,
    /// TLS 1.3 application traffic keys, or TLS 1.2's session keys.
    ApplicationKeys,
}

/// What a traced message was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Handshake(u8),
    ChangeCipherSpec,
    Alert {
        level: u8,
        description: u8,
    },
    /// The first application data record in this direction.
    ApplicationData,
    /// A record the trace could not open.
    Unreadable,
}

/// One message of the diagram.
#[derive(Debug, Clone)]
pub struct TracedMessage {
    pub from_client: bool,
    pub kind: MessageKind,
    pub protection: Protection,
    pub length: usize,
    /// Values the message carried, one per line.
    pub lines: Vec<String>,
}

/// A callback the application asked for, to run once the connection is released.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notification {
    /// The message callback: direction, version, content type, bytes.
    Message {
        write_p: c_int,
        version: c_int,
        content_type: c_int,
        bytes: Vec<u8>,
    },
    /// The info callback, with the state `SSL_get_state` reports meanwhile.
    Info {
        where_: c_int,
        ret: c_int,
        state: c_int,
        error: bool,
    },
}

/// How the handshake ended, for the diagram.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub completed: bool,
    pub failed: bool,
    /// The verification result (`X509_V_*`) and its text.
    pub verify: Option<(std::os::raw::c_long, String)>,
    /// Why it failed, as OpenSSL's error queue says it.
    pub error: Option<String>,
    pub resumed: bool,
    /// How many messages had been traced when the handshake completed.
    pub completed_after: Option<usize>,
    /// The peer sent bytes that are not TLS records.
    pub peer_not_tls: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Idle,
    Reading,
    Writing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Plain,
    Handshake,
    Application,
}

/// The record keys of one writer (client or server).
#[derive(Debug)]
struct WriterKeys {
    phase: Phase,
    /// TLS 1.2: a ChangeCipherSpec was sent, so later records are protected.
    changed_cipher: bool,
    opener: Option<RecordOpener>,
    /// The TLS 1.3 traffic secret in use (for KeyUpdate).
    secret: Vec<u8>,
}

impl WriterKeys {
    fn new() -> Self {
        Self {
            phase: Phase::Plain,
            changed_cipher: false,
            opener: None,
            secret: Vec::new(),
        }
    }
}

/// What [`Tracer::pump`] did with the oldest waiting record.
enum Step {
    Done,
    WaitForKeys,
}

/// See the module documentation.
pub struct Tracer {
    server: bool,
    notify_msg: bool,
    notify_info: bool,
    /// The client's highest enabled version (the version OpenSSL reports before the
    /// ServerHello).
    max_version: u16,
    /// By direction (0 received, 1 sent).
    splitters: [RecordSplitter; 2],
    waiting: VecDeque<Record>,
    /// Handshake bytes not yet forming a whole message, by writer (0 server, 1 client).
    fragments: [Vec<u8>; 2],
    writers: [WriterKeys; 2],
    secrets: Arc<TraceSecrets>,
    pub facts: Facts,
    pub messages: Vec<TracedMessage>,
    pub outcome: Outcome,
    notifications: Vec<Notification>,
    state: c_int,
    error: bool,
    mode: Mode,
    handshake_over: bool,
    done_reported: bool,
    app_data_seen: [bool; 2],
    records_after_handshake: usize,
}

impl std::fmt::Debug for Tracer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tracer")
            .field("server", &self.server)
            .field("messages", &self.messages.len())
            .finish_non_exhaustive()
    }
}

impl Tracer {
    pub fn new(
        server: bool,
        notify_msg: bool,
        notify_info: bool,
        max_version: u16,
        secrets: Arc<TraceSecrets>,
    ) -> Self {
        let mut t = Self {
            server,
            notify_msg,
            notify_info,
            max_version,
            splitters: Default::default(),
            waiting: VecDeque::new(),
            fragments: [Vec::new(), Vec::new()],
            writers: [WriterKeys::new(), WriterKeys::new()],
            secrets,
            facts: Facts::default(),
            messages: Vec::new(),
            outcome: Outcome::default(),
            notifications: Vec::new(),
            state: st::TLS_ST_BEFORE,
            error: false,
            mode: Mode::Idle,
            handshake_over: false,
            done_reported: false,
            app_data_seen: [false; 2],
            records_after_handshake: 0,
        };
        t.info(SSL_CB_HANDSHAKE_START, 1);
        t
    }

    /// Whether the connection should keep feeding records: always while an observer
    /// callback is set, else only until the diagram has what it draws.
    pub fn wants_records(&self) -> bool {
        self.notify_msg
            || self.notify_info
            || !self.handshake_over
            || (self.records_after_handshake < 16 && !self.app_data_seen.iter().all(|s| *s))
    }

    /// What the diagram is drawn from.
    pub fn diagram_input(&mut self) -> super::sequence_diagram::DiagramInput<'_> {
        self.outcome.peer_not_tls = self.splitters[0].broken;
        super::sequence_diagram::DiagramInput {
            server: self.server,
            messages: &self.messages,
            facts: &self.facts,
            outcome: &self.outcome,
        }
    }

    /// The state `SSL_get_state` reports, and whether the connection is in error.
    pub fn state(&self) -> (c_int, bool) {
        (self.state, self.error)
    }

    /// The notifications gathered since the last call.
    pub fn take_notifications(&mut self) -> Vec<Notification> {
        std::mem::take(&mut self.notifications)
    }

    /// Bytes that crossed a BIO: `sent` by this side, or received from the peer. Records
    /// are processed at once when their keys are known (received protected records
    /// usually wait for the next [`Tracer::pump`], after rustls has read them).
    pub fn feed(&mut self, sent: bool, bytes: &[u8]) {
        self.split(sent, bytes, false);
    }

    /// Bytes this side sent that carry only application data it wrote: once the trace
    /// has what it draws and no message callback is set (an info callback does not
    /// report application data), their records are counted, not copied and opened.
    pub fn feed_own_app_data(&mut self, bytes: &[u8]) {
        let skip = !self.notify_msg
            && self.handshake_over
            && self.app_data_seen[usize::from(!self.server)];
        self.split(true, bytes, skip);
    }

    fn split(&mut self, sent: bool, bytes: &[u8], skip_bodies: bool) {
        self.splitters[usize::from(sent)].feed(sent, bytes, skip_bodies, &mut self.waiting);
        let give_up = self.waiting.len() > MAX_WAITING;
        self.pump(give_up);
    }

    /// Turns the records received and sent so far into messages and notifications;
    /// `last` gives up on records whose keys never came.
    pub fn pump(&mut self, last: bool) {
        while let Some(record) = self.waiting.pop_front() {
            match self.step(&record, last) {
                Step::Done => {}
                Step::WaitForKeys => {
                    self.waiting.push_front(record);
                    break;
                }
            }
        }
    }

    /// The handshake completed.
    pub fn handshake_done(&mut self) {
        self.pump(false);
        if !self.done_reported {
            if self.mode == Mode::Reading {
                self.loop_info();
            }
            self.done_reported = true;
            self.state = st::TLS_ST_OK;
            self.info(SSL_CB_HANDSHAKE_DONE, 1);
        }
        self.state = st::TLS_ST_OK;
        self.info(self.side() | SSL_CB_EXIT, 1);
        self.mode = Mode::Idle;
        self.handshake_over = true;
        self.outcome.completed_after = Some(self.messages.len());
    }

    /// A handshake step returned `ret` without finishing (retry, or failure if `failed`).
    pub fn handshake_returned(&mut self, ret: c_int, failed: bool) {
        self.pump(failed);
        if failed {
            self.error = true;
        }
        self.info(self.side() | SSL_CB_EXIT, ret);
    }

    fn side(&self) -> c_int {
        if self.server {
            SSL_ST_ACCEPT
        } else {
            SSL_ST_CONNECT
        }
    }

    fn info(&mut self, where_: c_int, ret: c_int) {
        if self.notify_info {
            self.notifications.push(Notification::Info {
                where_,
                ret,
                state: self.state,
                error: self.error,
            });
        }
    }

    fn loop_info(&mut self) {
        self.info(self.side() | SSL_CB_LOOP, 1);
    }

    fn message_notification(
        &mut self,
        sent: bool,
        version: u16,
        content_type: c_int,
        bytes: &[u8],
    ) {
        if self.notify_msg {
            self.notifications.push(Notification::Message {
                write_p: c_int::from(sent),
                version: c_int::from(version),
                content_type,
                bytes: bytes.to_vec(),
            });
        }
    }

    /// The version OpenSSL passes with messages: the negotiated one, or before that the
    /// highest it would accept.
    fn message_version(&self) -> u16 {
        if let Some(v) = self.facts.version {
            return v;
        }
        // A server reports a ClientHello with the highest version OpenSSL knows.
        if self.server {
            0x0304
        } else {
            self.max_version
        }
    }

    fn keep(&mut self, message: TracedMessage) {
        if self.messages.len() < MAX_MESSAGES {
            self.messages.push(message);
        }
    }

    fn step(&mut self, record: &Record, last: bool) -> Step {
        let from_client = record.sent != self.server;
        let w = usize::from(from_client);
        if record.skipped {
            if let Some(opener) = &mut self.writers[w].opener {
                opener.pass_over();
            }
            self.records_after_handshake += 1;
            return Step::Done;
        }
        let content_type = record.header[0];
        let tls13 = self.facts.tls13();
        let protected = if tls13 {
            content_type == 23
        } else {
            self.writers[w].changed_cipher
        };
        let mut opened = None;
        if protected {
            if self.writers[w].opener.is_none() && !self.make_opener(w) && !last {
                return Step::WaitForKeys;
            }
            if let Some(opener) = &mut self.writers[w].opener {
                opened = opener.open(&record.header, &record.body);
            }
        }
        if self.handshake_over {
            self.records_after_handshake += 1;
        }
        let header_version = u16::from_be_bytes([record.header[1], record.header[2]]);
        self.message_notification(record.sent, header_version, SSL3_RT_HEADER, &record.header);
        let protection = match (protected, self.writers[w].phase) {
            (false, _) => Protection::Plaintext,
            (true, Phase::Handshake) if tls13 => Protection::HandshakeKeys,
            (true, _) => Protection::ApplicationKeys,
        };
        let (inner_type, plaintext) = match (protected, opened) {
            (false, _) => (content_type, record.body.clone()),
            (true, Some(o)) => {
                if tls13 {
                    // OpenSSL reports the inner type with these versions, whatever was negotiated.
                    let v = if record.sent { 0x0303 } else { 0x0304 };
                    self.message_notification(
                        record.sent,
                        v,
                        SSL3_RT_INNER_CONTENT_TYPE,
                        &[o.content_type],
                    );
                }
                (o.content_type, o.plaintext)
            }
            (true, None) => {
                self.keep(TracedMessage {
                    from_client,
                    kind: MessageKind::Unreadable,
                    protection,
                    length: record.body.len(),
                    lines: vec!["could not be opened with this connection's keys".into()],
                });
                return Step::Done;
            }
        };
        match inner_type {
            22 => {
                if self.fragments[w].len() + plaintext.len() > MAX_HANDSHAKE_MESSAGE {
                    self.fragments[w].clear();
                    return Step::Done;
                }
                self.fragments[w].extend_from_slice(&plaintext);
                while let Some(msg) = take_message(&mut self.fragments[w]) {
                    self.handshake_message(record.sent, from_client, &msg, protection);
                }
            }
            21 => {
                for alert in plaintext.chunks_exact(2) {
                    self.alert(record.sent, from_client, alert, protection);
                }
            }
            20 => self.change_cipher_spec(record.sent, from_client, &plaintext, protection),
            23 if !self.app_data_seen[w] => {
                self.app_data_seen[w] = true;
                self.keep(TracedMessage {
                    from_client,
                    kind: MessageKind::ApplicationData,
                    protection,
                    length: plaintext.len(),
                    lines: Vec::new(),
                });
            }
            _ => {}
        }
        Step::Done
    }

    /// Builds the record keys of writer `w` from the logged secrets; false if they are
    /// not there yet.
    fn make_opener(&mut self, w: usize) -> bool {
        let Some(suite) = self.facts.suite.and_then(SuiteKeys::for_suite) else {
            return false;
        };
        let from_client = w == 1;
        if self.facts.tls13() {
            let writer = &mut self.writers[w];
            if writer.phase == Phase::Plain {
                writer.phase = Phase::Handshake;
            }
            let label = match (writer.phase, from_client) {
                (Phase::Application, true) => "CLIENT_TRAFFIC_SECRET_0",
                (Phase::Application, false) => "SERVER_TRAFFIC_SECRET_0",
                (_, true) => "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
                (_, false) => "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            };
            let Some(secret) = self.secrets.get(label) else {
                return false;
            };
            writer.opener = RecordOpener::tls13(&suite, &secret);
            writer.secret = secret;
            return writer.opener.is_some();
        }
        let (Some(cr), Some(sr), Some(master)) = (
            self.facts.client_random,
            self.facts.server_random,
            self.secrets.get("CLIENT_RANDOM"),
        ) else {
            return false;
        };
        let Some((client, server)) = record_protection::tls12_openers(&suite, &master, &cr, &sr)
        else {
            return false;
        };
        self.writers[w].opener = Some(if from_client { client } else { server });
        true
    }

    /// OpenSSL's info callbacks before a message: a loop callback when the side starts
    /// writing, and one before each message it reads.
    fn before_message(&mut self, sent: bool) {
        if sent {
            if self.mode != Mode::Writing {
                self.loop_info();
            }
            self.mode = Mode::Writing;
        } else {
            // An OpenSSL TLS 1.3 server that stops writing in a handshake (after a
            // HelloRetryRequest or its Finished) waits in its early-data state.
            if self.mode == Mode::Writing
                && self.server
                && self.facts.tls13()
                && !self.handshake_over
            {
                self.state = st::TLS_ST_EARLY_DATA;
                self.loop_info();
            }
            if self.mode == Mode::Idle {
                self.loop_info();
            }
            self.loop_info();
            self.mode = Mode::Reading;
        }
    }

    /// After a message: the new state, announced by a loop callback when written; a
    /// message after the handshake ends its own small exchange.
    fn after_message(&mut self, sent: bool, msg_type: u16) {
        let tls13 = self.facts.tls13();
        if let Some(s) = openssl_state::after_message(self.server, sent, msg_type, tls13) {
            self.state = s;
        }
        if sent {
            self.loop_info();
        }
        if self.handshake_over {
            if !sent {
                self.loop_info();
            }
            self.state = st::TLS_ST_OK;
            self.info(self.side() | SSL_CB_EXIT, 1);
            self.mode = Mode::Idle;
        }
    }

    fn handshake_message(
        &mut self,
        sent: bool,
        from_client: bool,
        msg: &[u8],
        protection: Protection,
    ) {
        let msg_type = msg[0];
        // An OpenSSL TLS 1.3 server reports the handshake done before its tickets.
        if sent
            && self.server
            && msg_type == 4
            && self.facts.tls13()
            && !self.done_reported
            && !self.handshake_over
        {
            if self.mode != Mode::Writing {
                self.loop_info();
                self.mode = Mode::Writing;
            }
            self.done_reported = true;
            self.state = st::TLS_ST_SW_SESSION_TICKET;
            self.info(SSL_CB_HANDSHAKE_DONE, 1);
        }
        self.before_message(sent);
        let lines = self.facts.read_message(msg, from_client);
        let version = self.message_version();
        self.message_notification(sent, version, 22, msg);
        let w = usize::from(from_client);
        if self.facts.tls13() {
            match msg_type {
                20 => {
                    let writer = &mut self.writers[w];
                    writer.phase = Phase::Application;
                    writer.opener = None;
                }
                24 => self.key_update(w),
                _ => {}
            }
        }
        self.keep(TracedMessage {
            from_client,
            kind: MessageKind::Handshake(msg_type),
            protection,
            length: msg.len(),
            lines,
        });
        self.after_message(sent, u16::from(msg_type));
    }

    fn key_update(&mut self, w: usize) {
        let Some(suite) = self.facts.suite.and_then(SuiteKeys::for_suite) else {
            return;
        };
        let writer = &mut self.writers[w];
        if let Some(next) = record_protection::next_traffic_secret(&suite, &writer.secret) {
            writer.opener = RecordOpener::tls13(&suite, &next);
            writer.secret = next;
        }
    }

    fn change_cipher_spec(
        &mut self,
        sent: bool,
        from_client: bool,
        body: &[u8],
        protection: Protection,
    ) {
        let tls13 = self.facts.tls13();
        // OpenSSL reports a ChangeCipherSpec it sends, never one it receives; in TLS 1.3
        // a received one is not even a state.
        if sent || !tls13 {
            self.before_message(sent);
            if sent {
                let version = self.message_version();
                self.message_notification(true, version, 20, body);
            }
            self.after_message(sent, 0x101);
        }
        if !tls13 {
            self.writers[usize::from(from_client)].changed_cipher = true;
        }
        self.keep(TracedMessage {
            from_client,
            kind: MessageKind::ChangeCipherSpec,
            protection,
            length: body.len(),
            lines: Vec::new(),
        });
    }

    fn alert(&mut self, sent: bool, from_client: bool, alert: &[u8], protection: Protection) {
        let version = self.message_version();
        self.message_notification(sent, version, 21, alert);
        let value = c_int::from(alert[0]) << 8 | c_int::from(alert[1]);
        let where_ = SSL_CB_ALERT | if sent { SSL_CB_WRITE } else { SSL_CB_READ };
        self.info(where_, value);
        self.keep(TracedMessage {
            from_client,
            kind: MessageKind::Alert {
                level: alert[0],
                description: alert[1],
            },
            protection,
            length: 2,
            lines: Vec::new(),
        });
    }
}

/// Takes one whole handshake message off the front of `buf`.
fn take_message(buf: &mut Vec<u8>) -> Option<Vec<u8>> {
    if buf.len() < 4 {
        return None;
    }
    let len = usize::from(buf[1]) << 16 | usize::from(buf[2]) << 8 | usize::from(buf[3]);
    if buf.len() < 4 + len {
        return None;
    }
    let rest = buf.split_off(4 + len);
    Some(std::mem::replace(buf, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracer() -> Tracer {
        Tracer::new(false, true, false, 0x0304, Arc::default())
    }

    #[test]
    fn plaintext_records_become_messages_across_record_boundaries() {
        let mut t = tracer();
        // A 6-byte handshake message split over two records, fed a byte at a time.
        let wire = [
            22, 3, 3, 0, 3, 8, 0, 0, //
            22, 3, 3, 0, 3, 2, 0, 0,
        ];
        for b in wire {
            t.feed(true, &[b]);
        }
        t.pump(false);
        let kinds: Vec<_> = t.messages.iter().map(|m| m.kind).collect();
        assert_eq!(kinds, [MessageKind::Handshake(8)]);
        let types: Vec<c_int> = t
            .take_notifications()
            .iter()
            .filter_map(|n| match n {
                Notification::Message { content_type, .. } => Some(*content_type),
                _ => None,
            })
            .collect();
        assert_eq!(types, [SSL3_RT_HEADER, SSL3_RT_HEADER, 22]);
    }

    #[test]
    fn garbage_stops_the_trace_of_that_direction() {
        let mut t = tracer();
        t.feed(false, b"GET / HTTP/1.1\r\n\r\n");
        t.pump(true);
        assert!(t.messages.is_empty());
    }

    #[test]
    fn protected_records_wait_for_their_keys() {
        let mut t = tracer();
        t.facts.version = Some(0x0304);
        t.facts.suite = Some(0x1301);
        t.feed(
            false,
            &[
                23, 3, 3, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            ],
        );
        t.pump(false);
        assert_eq!(t.waiting.len(), 1);
        t.pump(true);
        assert_eq!(t.messages[0].kind, MessageKind::Unreadable);
    }
}
