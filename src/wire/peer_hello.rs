//! What the peer's hello said that rustls does not report: its ephemeral key share
//! (`SSL_get_peer_tmp_key`), its EC point formats (`SSL_get0_ec_point_formats`), its
//! support for secure renegotiation (`SSL_get_secure_renegotiation_support`) and extended
//! master secret, from a client whether it offered early data (`SSL_get_early_data_status`
//! when refused), and a TLS 1.2 server's session ticket (`SSL_SESSION_has_ticket`, ...).
//!
//! rustls uses these and drops them, so a connection picks them out of the peer's
//! plaintext handshake messages as they arrive: a TLS 1.3 server's ServerHello, a TLS 1.2
//! server's ServerHello, ServerKeyExchange and NewSessionTicket, a client's ClientHello. (OpenSSL keeps no
//! key for a TLS 1.2 server either: the client's key there is never reported.) Only the
//! shares of groups libcrypto has a key type for are kept; the reader stops at the first
//! protected record.

use crate::wire::reader::{Reader, HELLO_RETRY_RANDOM};
use crate::wire::stream_splitter::{Piece, Splitter, MESSAGE_HEADER, RECORD_HEADER};

/// The largest hello the reader keeps whole to look into (rustls refuses far smaller ones).
const MAX_KEPT_MESSAGE: usize = 1 << 16;

const CHANGE_CIPHER_SPEC: u8 = 20;
const HANDSHAKE: u8 = 22;

const CLIENT_HELLO: u8 = 1;
const SERVER_HELLO: u8 = 2;
const NEW_SESSION_TICKET: u8 = 4;
const SERVER_KEY_EXCHANGE: u8 = 12;

const EXT_EC_POINT_FORMATS: u16 = 11;
const EXT_EXTENDED_MASTER_SECRET: u16 = 23;
const EXT_RENEGOTIATION_INFO: u16 = 0xff01;
/// TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3).
const RENEGOTIATION_SCSV: u16 = 0x00ff;
const EXT_SESSION_TICKET: u16 = 35;
const EXT_EARLY_DATA: u16 = 42;
const EXT_SUPPORTED_VERSIONS: u16 = 43;
const EXT_KEY_SHARE: u16 = 51;
const NAMED_CURVE: u8 = 3;

/// The groups whose shares libcrypto can turn into an `EVP_PKEY` (X25519, P-256, P-384).
pub fn representable(group: u16) -> bool {
    matches!(group, 0x001d | 0x0017 | 0x0018)
}

/// One key share as it travelled: its group and public key bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyShare {
    pub group: u16,
    pub key: Vec<u8>,
}

/// What a finished handshake keeps of the peer's hello.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerHello {
    pub share: Option<KeyShare>,
    pub point_formats: Option<Vec<u8>>,
    pub secure_renegotiation: bool,
    pub early_data_offered: bool,
    /// The legacy version of the client's hello (`SSL_client_version` on a server).
    pub client_version: u16,
}

/// Reads an ec_point_formats extension's list.
fn point_formats(body: &[u8]) -> Option<Vec<u8>> {
    Some(Reader(body).vec8()?.to_vec())
}

/// Follows the handshake messages one direction of a connection receives.
#[derive(Debug)]
pub struct PeerHelloReader {
    /// Reading a client's messages (on a server).
    from_client: bool,
    records: Splitter<RECORD_HEADER>,
    /// The content type of the record being read.
    record_type: u8,
    messages: Splitter<MESSAGE_HEADER>,
    /// The type of the message being read.
    message_type: u8,
    /// The length of the message being read, when it is one worth looking into.
    wanted: Option<usize>,
    /// Its body, gathered when it arrives in pieces.
    message: Option<Vec<u8>>,
    /// A client whose server chose TLS 1.2: its ChangeCipherSpec ends the plaintext.
    tls12: bool,
    done: bool,
    /// A server's share, or the shares of the newest ClientHello.
    shares: Vec<KeyShare>,
    /// The groups of every share of the newest ClientHello, representable or not.
    share_groups: Vec<u16>,
    /// The peer's ec_point_formats list, if its hello had one.
    point_formats: Option<Vec<u8>>,
    /// The peer's hello signalled RFC 5746 (the extension, or a client's SCSV).
    secure_renegotiation: bool,
    /// The client's hello offered early data.
    early_data_offered: bool,
    /// The client's hello listed TLS 1.3 among its supported versions.
    tls13_offered: bool,
    /// The client's hello had a session_ticket extension (RFC 5077).
    ticket_offered: bool,
    /// TLS 1.2: the hellos agree on the extended master secret (a client offering it is
    /// enough for a rustls server, which always takes it).
    extended_master_secret: bool,
    /// A TLS 1.2 server's NewSessionTicket: its lifetime hint and the ticket.
    ticket: Option<(u32, Vec<u8>)>,
    /// The legacy version of the client's hello.
    client_version: u16,
}

impl PeerHelloReader {
    pub fn new(from_client: bool) -> Self {
        Self {
            from_client,
            records: Splitter::default(),
            record_type: 0,
            messages: Splitter::default(),
            message_type: 0,
            wanted: None,
            message: None,
            tls12: false,
            done: false,
            shares: Vec::new(),
            share_groups: Vec::new(),
            point_formats: None,
            secure_renegotiation: false,
            early_data_offered: false,
            tls13_offered: false,
            ticket_offered: false,
            extended_master_secret: false,
            ticket: None,
            client_version: 0,
        }
    }

    /// Whether it still reads.
    pub fn done(&self) -> bool {
        self.done
    }

    /// The peer's share of `group`, the group rustls settled on.
    pub fn share_for(&self, group: u16) -> Option<&KeyShare> {
        self.shares.iter().rev().find(|s| s.group == group)
    }

    /// Whether the client's newest hello sent a share of `group`.
    pub fn sent_share(&self, group: u16) -> bool {
        self.share_groups.contains(&group)
    }

    /// The point formats the peer's hello listed.
    pub fn point_formats(&self) -> Option<&[u8]> {
        self.point_formats.as_deref()
    }

    /// Whether the peer's hello signalled secure renegotiation.
    pub fn secure_renegotiation(&self) -> bool {
        self.secure_renegotiation
    }

    /// The legacy version of the client's hello (0 before one arrived).
    pub fn client_version(&self) -> u16 {
        self.client_version
    }

    /// Whether the client's hello asked for a session ticket.
    pub fn ticket_offered(&self) -> bool {
        self.ticket_offered
    }

    /// Whether the client's hello offered early data.
    pub fn early_data_offered(&self) -> bool {
        self.early_data_offered
    }

    /// Whether the client's hello offered TLS 1.3.
    pub fn tls13_offered(&self) -> bool {
        self.tls13_offered
    }

    /// Keeps what a finished handshake needs: the share of the group used, the formats.
    pub fn into_peer_hello(mut self, group: Option<u16>) -> PeerHello {
        let share = group.and_then(|g| {
            let i = self.shares.iter().rposition(|s| s.group == g)?;
            Some(self.shares.swap_remove(i))
        });
        PeerHello {
            share,
            point_formats: self.point_formats,
            secure_renegotiation: self.secure_renegotiation,
            early_data_offered: self.early_data_offered,
            client_version: self.client_version,
        }
    }

    /// Takes bytes as they come off the transport.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        while !self.done {
            match self.records.next(&mut bytes) {
                None => break,
                Some(Piece::Header(header, _)) => {
                    self.record_type = header[0];
                    self.record_started();
                }
                Some(Piece::Body(body)) if self.record_type == HANDSHAKE => {
                    self.handshake_bytes(body)
                }
                Some(_) => {}
            }
        }
    }

    fn record_started(&mut self) {
        match self.record_type {
            HANDSHAKE => {}
            // TLS 1.3's compatibility ChangeCipherSpec changes nothing; TLS 1.2's starts
            // the protected records. Before a ServerHello (a server's reader), only TLS
            // 1.3 clients send one.
            CHANGE_CIPHER_SPEC if !self.tls12 => {}
            // Alerts, application data (all TLS 1.3 protected records), or anything else.
            _ => self.finish(),
        }
    }

    fn handshake_bytes(&mut self, mut bytes: &[u8]) {
        while !self.done {
            match self.messages.next(&mut bytes) {
                None => break,
                Some(Piece::Header(header, len)) => self.message_started(header[0], len),
                Some(Piece::Body(body)) => self.message_body(body),
                Some(Piece::End) => self.message_ended(),
            }
        }
    }

    fn message_started(&mut self, kind: u8, len: usize) {
        self.message_type = kind;
        let wanted = if self.from_client {
            kind == CLIENT_HELLO
        } else {
            matches!(
                kind,
                SERVER_HELLO | SERVER_KEY_EXCHANGE | NEW_SESSION_TICKET
            )
        };
        // A client's next message after its hello (TLS 1.2's Certificate or key exchange)
        // comes after all it says; a server's messages are read up to its ChangeCipherSpec.
        let past = self.from_client && kind != CLIENT_HELLO;
        if past || len > MAX_KEPT_MESSAGE {
            self.finish();
            return;
        }
        self.wanted = wanted.then_some(len);
    }

    /// A message that arrives whole is read where it lies; one in pieces is gathered.
    fn message_body(&mut self, body: &[u8]) {
        match (&mut self.message, self.wanted) {
            (Some(m), _) => m.extend_from_slice(body),
            (None, Some(len)) if body.len() == len => {
                self.wanted = None;
                self.read_message(body);
            }
            (None, Some(len)) => {
                let mut m = Vec::with_capacity(len);
                m.extend_from_slice(body);
                self.message = Some(m);
            }
            (None, None) => {}
        }
    }

    fn message_ended(&mut self) {
        match (self.message.take(), self.wanted.take()) {
            (Some(body), _) => self.read_message(&body),
            (None, Some(0)) => self.read_message(&[]),
            _ => {}
        }
    }

    fn read_message(&mut self, body: &[u8]) {
        let mut r = Reader(body);
        match self.message_type {
            CLIENT_HELLO => self.client_hello(&mut r),
            SERVER_HELLO => self.server_hello(&mut r),
            SERVER_KEY_EXCHANGE => self.server_key_exchange(&mut r),
            NEW_SESSION_TICKET => self.new_session_ticket(&mut r),
            _ => None,
        };
    }

    fn finish(&mut self) {
        self.done = true;
        self.wanted = None;
        self.message = None;
    }

    fn client_hello(&mut self, r: &mut Reader) -> Option<()> {
        self.client_version = r.u16()?;
        r.take(32)?;
        r.vec8()?;
        let suites = r.vec16()?;
        r.vec8()?;
        // A second ClientHello (after a HelloRetryRequest) replaces what the first said.
        self.shares.clear();
        self.share_groups.clear();
        self.secure_renegotiation = suites
            .chunks_exact(2)
            .any(|s| u16::from_be_bytes([s[0], s[1]]) == RENEGOTIATION_SCSV);
        self.point_formats = None;
        self.early_data_offered = false;
        self.tls13_offered = false;
        self.ticket_offered = false;
        self.extended_master_secret = false;
        let mut shares = None;
        for (t, body) in r.extensions() {
            match t {
                EXT_SUPPORTED_VERSIONS => {
                    self.tls13_offered = Reader(body)
                        .vec8()
                        .is_some_and(|v| v.chunks_exact(2).any(|p| p == [3, 4]));
                }
                EXT_EC_POINT_FORMATS => self.point_formats = point_formats(body),
                EXT_RENEGOTIATION_INFO => self.secure_renegotiation = true,
                EXT_EARLY_DATA => self.early_data_offered = true,
                EXT_SESSION_TICKET => self.ticket_offered = true,
                EXT_EXTENDED_MASTER_SECRET => self.extended_master_secret = true,
                EXT_KEY_SHARE => shares = Some(body),
                _ => {}
            }
        }
        let mut list = Reader(Reader(shares?).vec16()?);
        while let (Some(group), Some(key)) = (list.u16(), list.vec16()) {
            self.share_groups.push(group);
            if representable(group) {
                self.shares.push(KeyShare {
                    group,
                    key: key.to_vec(),
                });
            }
        }
        Some(())
    }

    fn server_hello(&mut self, r: &mut Reader) -> Option<()> {
        r.u16()?;
        let random = r.take(32)?;
        r.vec8()?;
        r.take(3)?;
        let (mut tls13, mut share) = (false, None);
        for (t, body) in r.extensions() {
            match t {
                EXT_SUPPORTED_VERSIONS => tls13 = true,
                EXT_KEY_SHARE => share = Some(body),
                EXT_EC_POINT_FORMATS => self.point_formats = point_formats(body),
                EXT_RENEGOTIATION_INFO => self.secure_renegotiation = true,
                EXT_EXTENDED_MASTER_SECRET => self.extended_master_secret = true,
                _ => {}
            }
        }
        if !tls13 {
            // TLS 1.2: the share comes in the ServerKeyExchange (none when resuming).
            self.tls12 = true;
            return Some(());
        }
        // TLS 1.3 says none of these in its ServerHello.
        self.point_formats = None;
        self.secure_renegotiation = false;
        self.extended_master_secret = false;
        if random == HELLO_RETRY_RANDOM {
            // A HelloRetryRequest names a group; the share comes with the next ServerHello.
            return Some(());
        }
        let mut share = Reader(share?);
        self.keep_server_share(share.u16()?, share.vec16()?);
        self.finish();
        Some(())
    }

    fn keep_server_share(&mut self, group: u16, key: &[u8]) {
        if representable(group) {
            self.shares = vec![KeyShare {
                group,
                key: key.to_vec(),
            }];
        }
    }

    fn server_key_exchange(&mut self, r: &mut Reader) -> Option<()> {
        if r.u8()? != NAMED_CURVE {
            return None;
        }
        let group = r.u16()?;
        self.keep_server_share(group, r.vec8()?);
        Some(())
    }

    /// TLS 1.2's NewSessionTicket (RFC 5077 §3.3); TLS 1.3's travels protected.
    fn new_session_ticket(&mut self, r: &mut Reader) -> Option<()> {
        let lifetime = r.u32()?;
        let ticket = r.vec16()?;
        self.ticket = Some((lifetime, ticket.to_vec()));
        Some(())
    }

    /// The ticket a TLS 1.2 server sent, with its lifetime hint.
    pub fn ticket(&self) -> Option<&(u32, Vec<u8>)> {
        self.ticket.as_ref()
    }

    /// Takes the ticket, for the session it belongs to.
    pub fn take_ticket(&mut self) -> Option<(u32, Vec<u8>)> {
        self.ticket.take()
    }

    /// Whether the TLS 1.2 hellos agreed on the extended master secret.
    pub fn extended_master_secret(&self) -> bool {
        self.extended_master_secret
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(content_type: u8, body: &[u8]) -> Vec<u8> {
        let mut r = vec![content_type, 3, 3];
        r.extend((body.len() as u16).to_be_bytes());
        r.extend(body);
        r
    }

    fn message(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![kind];
        m.extend(&(body.len() as u32).to_be_bytes()[1..]);
        m.extend(body);
        m
    }

    fn extension(t: u16, body: &[u8]) -> Vec<u8> {
        let mut e = t.to_be_bytes().to_vec();
        e.extend((body.len() as u16).to_be_bytes());
        e.extend(body);
        e
    }

    fn server_hello(random: [u8; 32], extensions: &[u8]) -> Vec<u8> {
        let mut b = vec![3, 3];
        b.extend(random);
        b.extend([0, 0x13, 0x01, 0]);
        b.extend((extensions.len() as u16).to_be_bytes());
        b.extend(extensions);
        message(SERVER_HELLO, &b)
    }

    /// A record holding a ClientHello (one TLS 1.3 suite) with `extensions`.
    fn client_hello_record(extensions: &[u8]) -> Vec<u8> {
        let mut body = vec![3, 3];
        body.extend([0; 32]);
        body.extend([0, 0, 2, 0x13, 0x01, 1, 0]);
        body.extend((extensions.len() as u16).to_be_bytes());
        body.extend(extensions);
        record(HANDSHAKE, &message(CLIENT_HELLO, &body))
    }

    fn tls13_share(group: u16, key: &[u8]) -> Vec<u8> {
        let mut share = group.to_be_bytes().to_vec();
        share.extend((key.len() as u16).to_be_bytes());
        share.extend(key);
        let mut e = extension(EXT_SUPPORTED_VERSIONS, &[3, 4]);
        e.extend(extension(EXT_KEY_SHARE, &share));
        e
    }

    #[test]
    fn finds_a_tls13_servers_share_across_records_and_after_a_retry() {
        let retry = server_hello(HELLO_RETRY_RANDOM, &{
            let mut e = extension(EXT_SUPPORTED_VERSIONS, &[3, 4]);
            e.extend(extension(EXT_KEY_SHARE, &[0, 0x17]));
            e
        });
        let hello = server_hello([7; 32], &tls13_share(0x17, &[4; 65]));
        let mut wire = record(HANDSHAKE, &retry);
        wire.extend(record(CHANGE_CIPHER_SPEC, &[1]));
        let (a, b) = hello.split_at(20);
        wire.extend(record(HANDSHAKE, a));
        wire.extend(record(HANDSHAKE, b));
        wire.extend(record(23, &[0; 40]));
        let mut reader = PeerHelloReader::new(false);
        for chunk in wire.chunks(3) {
            reader.feed(chunk);
        }
        assert!(reader.done());
        assert_eq!(reader.share_for(0x17).unwrap().key, [4; 65]);
        assert_eq!(reader.share_for(0x1d), None);
    }

    #[test]
    fn finds_a_tls12_servers_share_in_its_key_exchange() {
        let hello = server_hello([1; 32], &extension(EXT_EC_POINT_FORMATS, &[2, 0, 1]));
        let mut ske = vec![NAMED_CURVE, 0, 0x1d, 32];
        ske.extend([9; 32]);
        ske.extend([4, 3, 0, 2, 0xaa, 0xbb]);
        let mut flight = hello;
        flight.extend(message(11, &[0; 100]));
        flight.extend(message(SERVER_KEY_EXCHANGE, &ske));
        flight.extend(message(14, &[]));
        let mut ticket = 300u32.to_be_bytes().to_vec();
        ticket.extend([0, 3, 7, 7, 7]);
        let mut reader = PeerHelloReader::new(false);
        reader.feed(&record(HANDSHAKE, &flight));
        reader.feed(&record(HANDSHAKE, &message(NEW_SESSION_TICKET, &ticket)));
        reader.feed(&record(CHANGE_CIPHER_SPEC, &[1]));
        reader.feed(&record(HANDSHAKE, &[0x14, 0xff, 0xff, 0xff]));
        assert!(reader.done());
        assert_eq!(reader.ticket(), Some(&(300, vec![7, 7, 7])));
        assert_eq!(reader.share_for(0x1d).unwrap().key, [9; 32]);
        assert_eq!(reader.point_formats(), Some(&[0, 1][..]));
        assert!(!reader.extended_master_secret());
        let kept = reader.into_peer_hello(Some(0x1d));
        assert_eq!(kept.share.unwrap().key, [9; 32]);
        assert_eq!(kept.point_formats.unwrap(), [0, 1]);
        // A resumption has no key exchange: the ChangeCipherSpec ends the search.
        let mut reader = PeerHelloReader::new(false);
        reader.feed(&record(HANDSHAKE, &server_hello([1; 32], &[])));
        reader.feed(&record(CHANGE_CIPHER_SPEC, &[1]));
        assert!(reader.done());
        assert_eq!(reader.share_for(0x1d), None);
    }

    #[test]
    fn keeps_a_clients_representable_shares() {
        let mut shares = Vec::new();
        for (group, key) in [(0x11ecu16, vec![1; 1216]), (0x1d, vec![2; 32])] {
            shares.extend(group.to_be_bytes());
            shares.extend((key.len() as u16).to_be_bytes());
            shares.extend(key);
        }
        let mut list = (shares.len() as u16).to_be_bytes().to_vec();
        list.extend(shares);
        let exts = extension(EXT_KEY_SHARE, &list);
        let mut reader = PeerHelloReader::new(true);
        reader.feed(&client_hello_record(&exts));
        assert_eq!(reader.share_for(0x1d).unwrap().key, [2; 32]);
        assert_eq!(reader.share_for(0x11ec), None);
        assert!(!reader.secure_renegotiation());
        assert!(!reader.done());
        reader.feed(&record(23, &[0; 30]));
        assert!(reader.done());
    }

    #[test]
    fn sees_whether_a_client_offers_tls13() {
        for (versions, tls13) in [(&[4, 3, 4, 3, 3][..], true), (&[2, 3, 3][..], false)] {
            let exts = extension(EXT_SUPPORTED_VERSIONS, versions);
            let mut reader = PeerHelloReader::new(true);
            reader.feed(&client_hello_record(&exts));
            assert_eq!(reader.tls13_offered(), tls13, "{versions:?}");
        }
    }

    #[test]
    fn garbage_is_harmless() {
        let mut reader = PeerHelloReader::new(false);
        reader.feed(&record(HANDSHAKE, &[SERVER_HELLO, 0, 0, 3, 1, 2, 3]));
        reader.feed(&[HANDSHAKE, 3, 3, 0xff, 0xff, SERVER_HELLO, 0xff, 0xff, 0xff]);
        assert!(reader.done());
        assert_eq!(reader.share_for(0x1d), None);
    }
}
