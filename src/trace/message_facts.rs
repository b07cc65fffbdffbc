//! What the handshake messages say: the values the diagram shows (versions, suites,
//! key shares, names, certificates, signature schemes, resumption), read from the real
//! message bytes.

use crate::libcrypto::x509::{Certificate, CertificateSummary};
use crate::wire::reader::{Reader, HELLO_RETRY_RANDOM};

use super::wire_names as names;

/// How a handshake resumed an earlier session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resumption {
    /// TLS 1.3: a pre-shared key from a ticket.
    Psk,
    /// TLS 1.2: the session id the server remembered.
    SessionId,
    /// TLS 1.2: a session ticket (RFC 5077).
    Ticket,
}

/// What one connection's handshake messages established.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    pub client_random: Option<[u8; 32]>,
    pub server_random: Option<[u8; 32]>,
    pub versions_offered: Vec<u16>,
    pub version: Option<u16>,
    pub suites_offered: usize,
    pub suite: Option<u16>,
    pub groups_supported: Vec<u16>,
    pub key_shares_offered: Vec<u16>,
    pub group: Option<u16>,
    pub sni: Option<String>,
    pub alpn_offered: Vec<String>,
    pub alpn: Option<String>,
    pub client_session_id: Vec<u8>,
    pub server_session_id: Vec<u8>,
    pub ticket_offered: bool,
    pub psk_offered: bool,
    pub psk_accepted: bool,
    pub hello_retry: bool,
    /// The group a HelloRetryRequest asked for.
    pub retry_group: Option<u16>,
    pub client_certificate_requested: bool,
    pub server_certificates: Vec<CertificateSummary>,
    pub client_certificates: Vec<CertificateSummary>,
    pub server_signature: Option<u16>,
    pub client_signature: Option<u16>,
    pub tickets: usize,
}

impl Facts {
    /// Whether the negotiated (or, before that, offered) protocol is TLS 1.3.
    pub fn tls13(&self) -> bool {
        self.version == Some(0x0304)
    }

    /// How the session was resumed, judged once the server's first flight is known.
    pub fn resumption(&self) -> Option<Resumption> {
        if self.psk_accepted {
            return Some(Resumption::Psk);
        }
        if self.tls13() || self.server_random.is_none() || !self.server_certificates.is_empty() {
            return None;
        }
        // A server resuming from a ticket echoes the client's session id (RFC 5077 §3.4).
        if self.ticket_offered {
            Some(Resumption::Ticket)
        } else if !self.client_session_id.is_empty()
            && self.client_session_id == self.server_session_id
        {
            Some(Resumption::SessionId)
        } else {
            None
        }
    }

    /// Reads one handshake message (`msg` with its 4-byte header) sent by the client
    /// (`from_client`) and returns the lines the diagram prints under its arrow.
    pub fn read_message(&mut self, msg: &[u8], from_client: bool) -> Vec<String> {
        let Some((&t, rest)) = msg.split_first() else {
            return Vec::new();
        };
        let body = rest.get(3..).unwrap_or_default();
        let mut r = Reader(body);
        let lines = match t {
            1 => self.client_hello(&mut r).map(|mut lines| {
                // Post-quantum key shares make it large: worth seeing.
                lines.push(format!("size: {} bytes", msg.len()));
                lines
            }),
            2 => self.server_hello(&mut r),
            4 => self.new_session_ticket(&mut r),
            8 => self.encrypted_extensions(&mut r),
            11 => self.certificate(&mut r, from_client),
            25 => self.compressed_certificate(&mut r, from_client),
            12 => Self::server_key_exchange(&mut r, self),
            13 => {
                self.client_certificate_requested = true;
                Some(vec!["the server asks for a client certificate".into()])
            }
            15 => self.certificate_verify(&mut r, from_client),
            16 => Some(vec![if self.tls13() {
                String::new()
            } else {
                "the client's ECDHE public key".into()
            }]),
            24 => r.u8().map(|req| {
                vec![if req == 1 {
                    "new traffic keys; the peer is asked to update too".into()
                } else {
                    "new traffic keys".into()
                }]
            }),
            _ => None,
        };
        lines
            .unwrap_or_default()
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect()
    }

    fn client_hello(&mut self, r: &mut Reader) -> Option<Vec<String>> {
        let legacy = r.u16()?;
        self.client_random = Some(r.take(32)?.try_into().ok()?);
        self.client_session_id = r.vec8()?.to_vec();
        let suites = Reader::u16_list(r.vec16()?);
        self.suites_offered = suites.iter().filter(|s| *s & 0x0f0f != 0x0a0a).count();
        r.vec8()?;
        self.versions_offered = vec![legacy];
        let mut key_shares = Vec::new();
        for (t, body) in r.extensions() {
            let mut e = Reader(body);
            match t {
                0 => self.sni = server_name(body),
                10 => self.groups_supported = Reader::u16_list(e.vec16()?),
                16 => self.alpn_offered = protocol_names(e.vec16()?),
                35 => self.ticket_offered = !body.is_empty(),
                41 => self.psk_offered = true,
                43 => self.versions_offered = Reader::u16_list(e.vec8()?),
                51 => {
                    let mut shares = Reader(e.vec16()?);
                    while let (Some(g), Some(_)) = (shares.u16(), shares.vec16()) {
                        key_shares.push(g);
                    }
                }
                _ => {}
            }
        }
        self.key_shares_offered = key_shares;
        let real = |v: &&u16| **v & 0x0f0f != 0x0a0a;
        let versions: Vec<String> = self
            .versions_offered
            .iter()
            .filter(real)
            .map(|v| names::version(*v))
            .collect();
        let mut lines = vec![
            format!("versions offered: {}", versions.join(", ")),
            format!("{} cipher suites offered", self.suites_offered),
        ];
        if !self.key_shares_offered.is_empty() {
            let shares: Vec<String> = self
                .key_shares_offered
                .iter()
                .filter(real)
                .map(|g| names::group(*g))
                .collect();
            lines.push(format!("key shares: {}", shares.join(", ")));
        } else if !self.groups_supported.is_empty() {
            let groups: Vec<String> = self
                .groups_supported
                .iter()
                .filter(real)
                .take(4)
                .map(|g| names::group(*g))
                .collect();
            lines.push(format!("groups: {}", groups.join(", ")));
        }
        lines.push(match &self.sni {
            Some(n) => format!("SNI: {n}"),
            None => "no SNI".into(),
        });
        if !self.alpn_offered.is_empty() {
            lines.push(format!("ALPN offered: {}", self.alpn_offered.join(", ")));
        }
        if self.psk_offered {
            lines.push("offers a ticket to resume (PSK)".into());
        } else if self.ticket_offered {
            lines.push("offers a session ticket to resume".into());
        } else if !self.client_session_id.is_empty() && !self.versions_offered.contains(&0x0304) {
            lines.push("offers a session id to resume".into());
        }
        Some(lines)
    }

    fn server_hello(&mut self, r: &mut Reader) -> Option<Vec<String>> {
        let legacy = r.u16()?;
        let random: [u8; 32] = r.take(32)?.try_into().ok()?;
        let session_id = r.vec8()?.to_vec();
        let suite = r.u16()?;
        r.u8()?;
        let retry = random == HELLO_RETRY_RANDOM;
        let mut version = legacy;
        let mut group = None;
        let mut alpn = None;
        let mut psk = false;
        for (t, body) in r.extensions() {
            let mut e = Reader(body);
            match t {
                43 => version = e.u16()?,
                51 => group = e.u16(),
                41 => psk = true,
                16 => alpn = e.vec16().and_then(|l| protocol_names(l).into_iter().next()),
                _ => {}
            }
        }
        self.version = Some(version);
        self.suite = Some(suite);
        if retry {
            self.hello_retry = true;
            self.retry_group = group;
            let mut lines = vec!["HelloRetryRequest: no usable key share".into()];
            if let Some(g) = group {
                lines.push(format!("asks for a key share for {}", names::group(g)));
            }
            return Some(lines);
        }
        self.server_random = Some(random);
        self.server_session_id = session_id;
        self.psk_accepted = psk;
        if group.is_some() {
            self.group = group;
        }
        if alpn.is_some() {
            self.alpn = alpn;
        }
        let mut lines = vec![
            format!("version chosen: {}", names::version(version)),
            format!("cipher suite: {}", names::cipher_suite(suite)),
        ];
        if let Some(g) = self.group {
            lines.push(format!("key share: {}", names::group(g)));
        }
        if psk {
            lines.push("accepts the ticket: resumed (PSK)".into());
        }
        if let Some(a) = &self.alpn {
            lines.push(format!("ALPN: {a}"));
        }
        Some(lines)
    }

    fn encrypted_extensions(&mut self, r: &mut Reader) -> Option<Vec<String>> {
        let mut lines = Vec::new();
        for (t, body) in r.extensions() {
            match t {
                16 => {
                    self.alpn = Reader(body)
                        .vec16()
                        .and_then(|l| protocol_names(l).into_iter().next());
                    if let Some(a) = &self.alpn {
                        lines.push(format!("ALPN: {a}"));
                    }
                }
                0 => lines.push("SNI acknowledged".into()),
                _ => {}
            }
        }
        if self.alpn.is_none() {
            lines.push("no ALPN".into());
        }
        Some(lines)
    }

    fn certificate(&mut self, r: &mut Reader, from_client: bool) -> Option<Vec<String>> {
        if self.tls13() {
            r.vec8()?;
        }
        let mut list = Reader(r.vec24()?);
        let mut summaries = Vec::new();
        while let Some(der) = list.vec24() {
            if self.tls13() {
                list.vec16()?;
            }
            let parsed = crate::libcrypto::error_queue::discarding_errors(|| {
                Certificate::from_der(der).map(|c| c.summary())
            });
            summaries.extend(parsed);
        }
        let mut lines = Vec::new();
        if summaries.is_empty() {
            lines.push("no certificate".into());
        }
        for (i, c) in summaries.iter().enumerate() {
            lines.push(format!("[{i}] subject {}", c.subject));
            lines.push(format!("    issuer {}", c.issuer));
            lines.push(format!("    key {}", c.key));
            lines.push(format!("    valid {} .. {}", c.not_before, c.not_after));
        }
        if from_client {
            self.client_certificates = summaries;
        } else {
            self.server_certificates = summaries;
        }
        Some(lines)
    }

    /// RFC 8879: the Certificate message compressed; opened with rustls' decompressors
    /// to show the same certificates, and how many bytes compression saved.
    fn compressed_certificate(&mut self, r: &mut Reader, from_client: bool) -> Option<Vec<String>> {
        let algorithm = r.u16()?;
        let length = r.u24()?;
        let compressed = r.vec24()?;
        let decompressor = rustls::compress::default_cert_decompressors()
            .iter()
            .find(|d| u16::from(d.algorithm()) == algorithm);
        let name = match algorithm {
            1 => "zlib".to_string(),
            2 => "brotli".to_string(),
            3 => "zstd".to_string(),
            a => format!("algorithm {a}"),
        };
        let mut lines = vec![format!(
            "{name}: {length} bytes of certificates sent in {} ({} saved)",
            compressed.len(),
            length.saturating_sub(compressed.len())
        )];
        // rustls refuses chains over 64 KiB, compressed or not; so does the trace.
        const CERTIFICATE_MAX_SIZE: usize = 0x1_0000;
        if length > CERTIFICATE_MAX_SIZE {
            lines.push("(too large to decompress)".into());
            return Some(lines);
        }
        let mut plain = vec![0; length];
        match decompressor.map(|d| d.decompress(compressed, &mut plain)) {
            Some(Ok(())) => lines.extend(self.certificate(&mut Reader(&plain), from_client)?),
            _ => lines.push("(not decompressed)".into()),
        }
        Some(lines)
    }

    fn server_key_exchange(r: &mut Reader, facts: &mut Self) -> Option<Vec<String>> {
        if r.u8()? != 3 {
            return Some(vec!["(not an ECDHE key exchange)".into()]);
        }
        let group = r.u16()?;
        r.vec8()?;
        let scheme = r.u16()?;
        facts.group = Some(group);
        facts.server_signature = Some(scheme);
        Some(vec![
            format!("ECDHE group: {}", names::group(group)),
            format!("signed with {}", names::signature_scheme(scheme)),
        ])
    }

    fn certificate_verify(&mut self, r: &mut Reader, from_client: bool) -> Option<Vec<String>> {
        let scheme = r.u16()?;
        if from_client {
            self.client_signature = Some(scheme);
        } else {
            self.server_signature = Some(scheme);
        }
        Some(vec![format!(
            "signature: {}",
            names::signature_scheme(scheme)
        )])
    }

    fn new_session_ticket(&mut self, r: &mut Reader) -> Option<Vec<String>> {
        self.tickets += 1;
        let lifetime = r.u32()?;
        Some(vec![format!("ticket lifetime {lifetime} s")])
    }
}

/// The host name of a server_name extension.
fn server_name(body: &[u8]) -> Option<String> {
    let mut list = Reader(Reader(body).vec16()?);
    while let (Some(kind), Some(name)) = (list.u8(), list.vec16()) {
        if kind == 0 {
            return Some(String::from_utf8_lossy(name).into_owned());
        }
    }
    None
}

/// The protocol names of an ALPN list.
fn protocol_names(list: &[u8]) -> Vec<String> {
    let mut r = Reader(list);
    std::iter::from_fn(|| r.vec8())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_client_hello() {
        // A minimal TLS 1.3 ClientHello: 2 suites, SNI "a.test", key share X25519, ALPN h2.
        let mut body = vec![3, 3];
        body.extend([1u8; 32]);
        body.push(0);
        body.extend([0, 4, 0x13, 0x01, 0x13, 0x02, 1, 0]);
        let mut exts = Vec::new();
        let sni = [0, 9, 0, 0, 6, b'a', b'.', b't', b'e', b's', b't'];
        exts.extend([0, 0, 0, sni.len() as u8]);
        exts.extend(sni);
        exts.extend([0, 43, 0, 3, 2, 3, 4]);
        exts.extend([0, 51, 0, 6, 0, 4, 0, 0x1d, 0, 0]);
        exts.extend([0, 16, 0, 5, 0, 3, 2, b'h', b'2']);
        body.extend((exts.len() as u16).to_be_bytes());
        body.extend(exts);
        let mut msg = vec![1, 0, 0, body.len() as u8];
        msg.extend(body);
        let mut facts = Facts::default();
        let lines = facts.read_message(&msg, true);
        assert_eq!(facts.sni.as_deref(), Some("a.test"), "{lines:?}");
        assert_eq!(facts.suites_offered, 2);
        assert_eq!(facts.key_shares_offered, [0x1d]);
        assert_eq!(facts.alpn_offered, ["h2"]);
        assert!(
            lines.contains(&"versions offered: TLS 1.3".to_owned()),
            "{lines:?}"
        );
    }

    #[test]
    fn truncated_messages_are_harmless() {
        let mut facts = Facts::default();
        for t in [1u8, 2, 4, 8, 11, 12, 13, 15, 16, 24] {
            assert!(facts.read_message(&[t, 0, 0, 9, 1, 2], false).len() <= 1);
        }
    }
}
