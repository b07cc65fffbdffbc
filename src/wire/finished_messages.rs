//! The Finished messages of the latest handshake (`SSL_get_finished`,
//! `SSL_get_peer_finished`), which channel bindings such as tls-unique are made of.
//!
//! rustls keeps its Finished messages to itself, and they travel encrypted. So while a
//! handshake runs, each direction keeps a copy of the few protected records that can hold
//! its Finished (TLS 1.2: the record after ChangeCipherSpec; TLS 1.3: the newest records
//! under handshake keys), and the connection keeps the secrets rustls logs. A small
//! record (a Finished sent on its own, as OpenSSL does) is kept and opened again
//! ([`crate::wire::record_protection`]) only if the application asks; a large one (a whole
//! flight in one record, as rustls sends it) is opened when the handshake ends, and only
//! the Finished is kept.

use crate::wire::record_protection::{self, RecordOpener, SuiteKeys};
use crate::wire::stream_splitter::{Piece, Splitter, RECORD_HEADER};

const CHANGE_CIPHER_SPEC: u8 = 20;
const HANDSHAKE: u8 = 22;
const APPLICATION_DATA: u8 = 23;
const FINISHED: u8 = 20;
/// TLS 1.3 records under handshake keys kept per direction, newest last. The newest
/// one holds the Finished unless application data followed it in the same read.
const TLS13_CANDIDATES: usize = 2;
/// How far back in sequence numbers to look for a TLS 1.3 Finished record: a server
/// that accepted early data numbers its handshake records after the early ones.
const MAX_SEQUENCE_TRIES: u64 = 64;
/// Kept records beyond this size are opened when the handshake ends instead.
const MAX_KEPT_BYTES: usize = 256;
/// A protected record body is at most 2^14 + 256 bytes (RFC 8446 §5.2).
const MAX_BODY: usize = 16384 + 256;

/// A secret rustls logged, kept inline and wiped when dropped.
#[derive(Clone)]
struct Secret {
    bytes: [u8; 48],
    len: usize,
}

impl Secret {
    fn get(&self) -> Option<&[u8]> {
        (self.len > 0).then(|| &self.bytes[..self.len])
    }
}

/// Secrets stay out of debug output.
impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({} bytes)", self.len)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.bytes);
    }
}

impl Default for Secret {
    fn default() -> Self {
        Self {
            bytes: [0; 48],
            len: 0,
        }
    }
}

/// The secrets of one handshake that open its Finished records.
#[derive(Debug, Default, Clone)]
pub struct FinishedSecrets {
    client_handshake: Secret,
    server_handshake: Secret,
    master: Secret,
}

impl FinishedSecrets {
    /// TLS 1.2's master secret, once rustls logged it.
    pub fn master(&self) -> Option<&[u8]> {
        self.master.get()
    }

    /// The secret that opens the records of the side that wrote them.
    fn writers(&self, tls13: bool, writer_is_client: bool) -> Secret {
        match (tls13, writer_is_client) {
            (false, _) => self.master.clone(),
            (true, true) => self.client_handshake.clone(),
            (true, false) => self.server_handshake.clone(),
        }
    }

    /// Keeps a secret rustls logs, if it is one of these (NSS key-log labels).
    pub fn record(&mut self, label: &str, secret: &[u8]) {
        let slot = match label {
            "CLIENT_HANDSHAKE_TRAFFIC_SECRET" => &mut self.client_handshake,
            "SERVER_HANDSHAKE_TRAFFIC_SECRET" => &mut self.server_handshake,
            "CLIENT_RANDOM" => &mut self.master,
            _ => return,
        };
        if secret.len() <= slot.bytes.len() {
            slot.bytes[..secret.len()].copy_from_slice(secret);
            slot.len = secret.len();
        }
    }
}

/// A protected record kept whole, with its place in its direction's sequence.
#[derive(Debug, Clone)]
struct KeptRecord {
    sequence: u64,
    header: [u8; RECORD_HEADER],
    body: Vec<u8>,
}

/// One direction's records, as far as its Finished is concerned.
#[derive(Debug, Default)]
struct Direction {
    records: Splitter<RECORD_HEADER>,
    /// The record arriving now, when it is one to keep.
    current: Option<KeptRecord>,
    /// The previous record was a ChangeCipherSpec.
    after_ccs: bool,
    /// Application-data records so far: the next one's TLS 1.3 sequence number.
    protected: u64,
    /// TLS 1.2: the record that followed the ChangeCipherSpec.
    tls12: Option<KeptRecord>,
    /// TLS 1.3: the newest records under handshake keys.
    tls13: Vec<KeptRecord>,
    stopped: bool,
}

impl Direction {
    fn feed(&mut self, mut bytes: &[u8]) {
        while !self.stopped {
            match self.records.next(&mut bytes) {
                None => break,
                Some(Piece::Header(header, len)) => self.record_started(header, len),
                Some(Piece::Body(body)) => {
                    if let Some(r) = &mut self.current {
                        r.body.extend_from_slice(body);
                    }
                }
                Some(Piece::End) => self.record_ended(),
            }
        }
    }

    fn record_started(&mut self, header: [u8; RECORD_HEADER], len: usize) {
        let content_type = header[0];
        if len > MAX_BODY {
            self.stop();
            return;
        }
        let keep = match content_type {
            HANDSHAKE => self.after_ccs,
            APPLICATION_DATA => true,
            _ => false,
        };
        let sequence = if content_type == APPLICATION_DATA {
            self.protected += 1;
            self.protected - 1
        } else {
            0
        };
        self.after_ccs = content_type == CHANGE_CIPHER_SPEC;
        self.current = keep.then(|| KeptRecord {
            sequence,
            header,
            body: Vec::with_capacity(len),
        });
    }

    fn record_ended(&mut self) {
        let Some(record) = self.current.take() else {
            return;
        };
        if record.header[0] == HANDSHAKE {
            self.tls12 = Some(record);
        } else {
            if self.tls13.len() == TLS13_CANDIDATES {
                self.tls13.remove(0);
            }
            self.tls13.push(record);
        }
    }

    fn stop(&mut self) {
        self.stopped = true;
        self.current = None;
    }

    /// What is left to give this direction's Finished once the handshake is over: the
    /// records that can hold it, or, when those are large (rustls sends a whole flight in
    /// one record), the Finished itself, opened now rather than kept as a flight's copy.
    fn into_kept(self, n: &Negotiated, secret: Secret, writer_is_client: bool) -> Kept {
        let mut records: Vec<KeptRecord> = if n.tls13 {
            self.tls13
        } else {
            self.tls12.into_iter().collect()
        };
        if n.tls13 {
            let finished_only = SuiteKeys::for_suite(n.suite).map(|s| 4 + s.hash_len() + 1 + 16);
            if records.last().map(|r| r.body.len()) == finished_only {
                records.drain(..records.len() - 1);
            }
        }
        if records.iter().map(|r| r.body.len()).sum::<usize>() <= MAX_KEPT_BYTES {
            records.shrink_to_fit();
            return Kept::Sealed(Box::new(Sealed { records, secret }));
        }
        match open_finished(&records, n, secret.get(), writer_is_client) {
            Some(v) => Kept::VerifyData(v.into_boxed_slice()),
            None => Kept::Nothing,
        }
    }
}

/// The verify data of a Finished message that ends `plaintext`.
fn finished_at_end(plaintext: &[u8], len: usize) -> Option<Vec<u8>> {
    let start = plaintext.len().checked_sub(4 + len)?;
    let m = &plaintext[start..];
    let expected = [FINISHED, 0, (len >> 8) as u8, len as u8];
    (m[..4] == expected).then(|| m[4..].to_vec())
}

/// Opens the newest record that holds a Finished, with the writer's secret (its TLS 1.3
/// handshake traffic secret, or TLS 1.2's master secret).
fn open_finished(
    records: &[KeptRecord],
    n: &Negotiated,
    secret: Option<&[u8]>,
    writer_is_client: bool,
) -> Option<Vec<u8>> {
    let suite = SuiteKeys::for_suite(n.suite)?;
    let secret = secret?;
    if !n.tls13 {
        let r = records.last()?;
        let (client, server) =
            record_protection::tls12_openers(&suite, secret, &n.client_random, &n.server_random)?;
        let mut opener = if writer_is_client { client } else { server };
        let opened = opener.open(&r.header, &r.body)?;
        return finished_at_end(&opened.plaintext, 12);
    }
    for r in records.iter().rev() {
        let lowest = r.sequence.saturating_sub(MAX_SEQUENCE_TRIES);
        for sequence in (lowest..=r.sequence).rev() {
            let mut opener = RecordOpener::tls13_at(&suite, secret, sequence)?;
            let Some(opened) = opener.open(&r.header, &r.body) else {
                continue;
            };
            if opened.content_type != HANDSHAKE {
                break;
            }
            return finished_at_end(&opened.plaintext, suite.hash_len());
        }
    }
    None
}

/// What the negotiation settled, for opening the kept records.
#[derive(Debug, Clone, Copy)]
pub struct Negotiated {
    pub suite: u16,
    pub tls13: bool,
    pub server: bool,
    pub client_random: [u8; 32],
    pub server_random: [u8; 32],
}

/// Both directions of one handshake, while it runs.
#[derive(Debug, Default)]
pub struct FinishedCapture {
    sent: Direction,
    received: Direction,
}

impl FinishedCapture {
    /// Bytes this side wrote, as they went to the transport.
    pub fn sent(&mut self, bytes: &[u8]) {
        self.sent.feed(bytes);
    }

    /// Bytes this side read, as they came from the transport.
    pub fn received(&mut self, bytes: &[u8]) {
        let before = self.received.protected;
        self.received.feed(bytes);
        // Protected records answering ours: our flight, and its Finished, went whole (a
        // TLS 1.3 server's tickets and data come later, under other keys).
        if self.received.protected > before && self.sent.protected > 0 {
            self.sent.stop();
        }
    }

    /// Whether either direction still looks at records.
    pub fn active(&self) -> bool {
        !(self.sent.stopped && self.received.stopped)
    }

    /// Stops the sending side before application data goes out during the handshake
    /// (a server's 0.5-RTT data): its Finished has gone.
    pub fn stop_sending(&mut self) {
        self.sent.stop();
    }

    /// Whether the peer's newest protected handshake record opens and holds a Finished:
    /// when rustls then refuses the handshake with a decryption error, the record was sound
    /// and its verify data wrong, which OpenSSL reports as a failed digest check.
    pub fn peer_finished_opens(&self, n: &Negotiated, secrets: &FinishedSecrets) -> bool {
        // Only the newest record: the one rustls refused.
        let d = &self.received;
        let newest = if n.tls13 {
            d.tls13.last()
        } else {
            d.tls12.as_ref()
        };
        let Some(newest) = newest else {
            return false;
        };
        let writer_is_client = n.server;
        let secret = secrets.writers(n.tls13, writer_is_client);
        open_finished(
            std::slice::from_ref(newest),
            n,
            secret.get(),
            writer_is_client,
        )
        .is_some()
    }

    /// The handshake is over: keeps only what gives each Finished.
    pub fn finish(self, n: &Negotiated, secrets: &FinishedSecrets) -> KeptFinished {
        let (client_sent, client_received) = (!n.server, n.server);
        KeptFinished {
            sent: self
                .sent
                .into_kept(n, secrets.writers(n.tls13, client_sent), client_sent),
            received: self.received.into_kept(
                n,
                secrets.writers(n.tls13, client_received),
                client_received,
            ),
        }
    }
}

/// Records to open when asked, and the secret that opens them.
#[derive(Debug)]
struct Sealed {
    records: Vec<KeptRecord>,
    secret: Secret,
}

/// One direction's Finished after the handshake.
#[derive(Debug, Default)]
enum Kept {
    #[default]
    Nothing,
    Sealed(Box<Sealed>),
    VerifyData(Box<[u8]>),
}

/// The Finished messages of a finished handshake.
#[derive(Debug, Default)]
pub struct KeptFinished {
    sent: Kept,
    received: Kept,
}

impl KeptFinished {
    /// This side's Finished (`own`) or the peer's.
    pub fn finished(&self, own: bool, n: &Negotiated) -> Option<Vec<u8>> {
        let kept = if own { &self.sent } else { &self.received };
        match kept {
            Kept::Nothing => None,
            Kept::VerifyData(v) => Some(v.to_vec()),
            // The side that wrote the record: its secret opens it.
            Kept::Sealed(s) => open_finished(&s.records, n, s.secret.get(), own != n.server),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_finished_at_the_end() {
        let mut m = vec![8, 0, 0, 2, 0, 0];
        m.extend([FINISHED, 0, 0, 12]);
        m.extend([7; 12]);
        assert_eq!(finished_at_end(&m, 12), Some(vec![7; 12]));
        assert_eq!(finished_at_end(&m, 32), None);
        assert_eq!(finished_at_end(&m[..10], 12), None);
    }

    #[test]
    fn keeps_the_records_that_can_hold_a_finished() {
        let mut d = Direction::default();
        // TLS 1.2: handshake, CCS, then the (protected) Finished record.
        d.feed(&[22, 3, 3, 0, 2, 1, 2]);
        d.feed(&[20, 3, 3, 0, 1, 1, 22, 3, 3, 0, 3, 9]);
        d.feed(&[8, 7]);
        assert_eq!(d.tls12.as_ref().unwrap().body, [9, 8, 7]);
        // TLS 1.3: application-data records, numbered; the newest two kept.
        for i in 0..3u8 {
            d.feed(&[23, 3, 3, 0, 1, i]);
        }
        let kept: Vec<_> = d.tls13.iter().map(|r| (r.sequence, r.body[0])).collect();
        assert_eq!(kept, [(1, 1), (2, 2)]);
        d.stop();
        d.feed(&[23, 3, 3, 0, 1, 5]);
        assert_eq!(d.tls13.len(), 2);
    }

    #[test]
    fn keeps_only_a_finished_sized_record() {
        let mut d = Direction::default();
        d.feed(&[23, 3, 3, 0, 100]);
        d.feed(&[0; 100]);
        d.feed(&[23, 3, 3, 0, 53]);
        d.feed(&[0; 53]);
        let n = Negotiated {
            suite: 0x1301,
            tls13: true,
            server: false,
            client_random: [0; 32],
            server_random: [0; 32],
        };
        match d.into_kept(&n, Secret::default(), true) {
            Kept::Sealed(s) => assert_eq!(
                s.records.iter().map(|r| r.sequence).collect::<Vec<_>>(),
                [1]
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn oversized_records_stop_the_direction() {
        let mut d = Direction::default();
        d.feed(&[23, 3, 3, 0xff, 0xff, 1, 2, 3]);
        assert!(d.stopped);
        assert!(d.tls13.is_empty());
    }
}
