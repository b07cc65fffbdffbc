//! Opening a connection's own protected records again, from the secrets rustls logs.
//!
//! rustls does not hand out the handshake messages that travelled encrypted (all of TLS
//! 1.3's after ServerHello, TLS 1.2's Finished), but it does log its traffic secrets; with
//! them the record keys are derived here (RFC 8446 §7 for TLS 1.3, RFC 5246 §6.3 and RFC
//! 5288/7905 for TLS 1.2) to open a copy of a record: every record for the handshake
//! trace, only the Finished records for `SSL_get_finished`.

use aws_lc_rs::{aead, hkdf, hmac};

/// The AEADs of the suites rustls offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aead {
    Aes128Gcm,
    Aes256Gcm,
    Chacha20Poly1305,
}

/// The hash of a suite's key schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
}

/// What the trace needs to know of a negotiated suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuiteKeys {
    pub aead: Aead,
    pub hash: Hash,
}

impl SuiteKeys {
    /// The suites rustls offers, by IANA number.
    pub fn for_suite(id: u16) -> Option<Self> {
        use Aead::*;
        use Hash::*;
        let (aead, hash) = match id {
            0x1301 | 0xc02b | 0xc02f => (Aes128Gcm, Sha256),
            0x1302 | 0xc02c | 0xc030 => (Aes256Gcm, Sha384),
            0x1303 | 0xcca8 | 0xcca9 => (Chacha20Poly1305, Sha256),
            _ => return None,
        };
        Some(Self { aead, hash })
    }

    fn algorithm(&self) -> &'static aead::Algorithm {
        match self.aead {
            Aead::Aes128Gcm => &aead::AES_128_GCM,
            Aead::Aes256Gcm => &aead::AES_256_GCM,
            Aead::Chacha20Poly1305 => &aead::CHACHA20_POLY1305,
        }
    }

    fn key_len(&self) -> usize {
        self.algorithm().key_len()
    }

    fn hkdf(&self) -> hkdf::Algorithm {
        match self.hash {
            Hash::Sha256 => hkdf::HKDF_SHA256,
            Hash::Sha384 => hkdf::HKDF_SHA384,
        }
    }

    fn hmac(&self) -> hmac::Algorithm {
        match self.hash {
            Hash::Sha256 => hmac::HMAC_SHA256,
            Hash::Sha384 => hmac::HMAC_SHA384,
        }
    }

    pub fn hash_len(&self) -> usize {
        match self.hash {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
        }
    }
}

/// An output length for aws-lc-rs' HKDF.
struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

/// TLS 1.3's HKDF-Expand-Label with an empty context.
fn expand_label(suite: &SuiteKeys, secret: &[u8], label: &[u8], len: usize) -> Option<Vec<u8>> {
    let full_len = 6 + label.len();
    let mut info = Vec::with_capacity(4 + full_len);
    info.extend_from_slice(&(len as u16).to_be_bytes());
    info.push(u8::try_from(full_len).ok()?);
    info.extend_from_slice(b"tls13 ");
    info.extend_from_slice(label);
    info.push(0);
    let prk = hkdf::Prk::new_less_safe(suite.hkdf(), secret);
    let info_parts = [&info[..]];
    let okm = prk.expand(&info_parts, Len(len)).ok()?;
    let mut out = vec![0u8; len];
    okm.fill(&mut out).ok()?;
    Some(out)
}

/// The next TLS 1.3 traffic secret after a KeyUpdate (RFC 8446 §7.2).
pub fn next_traffic_secret(suite: &SuiteKeys, secret: &[u8]) -> Option<Vec<u8>> {
    expand_label(suite, secret, b"traffic upd", suite.hash_len())
}

/// Where the per-record nonce comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NonceStyle {
    /// The IV XOR the sequence number (TLS 1.3, and TLS 1.2 ChaCha20).
    XorSequence,
    /// A 4-byte salt and 8 explicit bytes at the start of the record (TLS 1.2 AES-GCM).
    Explicit,
}

/// The record keys of one direction.
pub struct RecordOpener {
    key: aead::LessSafeKey,
    iv: [u8; 12],
    style: NonceStyle,
    tls13: bool,
    sequence: u64,
}

impl std::fmt::Debug for RecordOpener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordOpener")
            .field("tls13", &self.tls13)
            .field("sequence", &self.sequence)
            .finish_non_exhaustive()
    }
}

/// A record opened: its real content type and plaintext.
#[derive(Debug, PartialEq, Eq)]
pub struct Opened {
    pub content_type: u8,
    pub plaintext: Vec<u8>,
}

impl RecordOpener {
    /// The keys of a TLS 1.3 traffic secret.
    pub fn tls13(suite: &SuiteKeys, secret: &[u8]) -> Option<Self> {
        Self::tls13_at(suite, secret, 0)
    }

    /// As [`tls13`](Self::tls13), for the record with sequence number `sequence`.
    pub fn tls13_at(suite: &SuiteKeys, secret: &[u8], sequence: u64) -> Option<Self> {
        let key = expand_label(suite, secret, b"key", suite.key_len())?;
        let iv = expand_label(suite, secret, b"iv", 12)?;
        let mut opener = Self::new(suite, &key, &iv, NonceStyle::XorSequence, true)?;
        opener.sequence = sequence;
        Some(opener)
    }

    fn new(
        suite: &SuiteKeys,
        key: &[u8],
        iv: &[u8],
        style: NonceStyle,
        tls13: bool,
    ) -> Option<Self> {
        let key = aead::LessSafeKey::new(aead::UnboundKey::new(suite.algorithm(), key).ok()?);
        let mut full_iv = [0u8; 12];
        full_iv[..iv.len()].copy_from_slice(iv);
        Some(Self {
            key,
            iv: full_iv,
            style,
            tls13,
            sequence: 0,
        })
    }

    /// Passes over one record of this direction without opening it: its sequence number
    /// is used.
    pub fn pass_over(&mut self) {
        self.sequence += 1;
    }

    /// Opens one record (`header` is its 5-byte header); `None` if it does not
    /// authenticate under these keys. The sequence number advances either way, as the
    /// record was one of this direction's.
    pub fn open(&mut self, header: &[u8; 5], body: &[u8]) -> Option<Opened> {
        let seq = self.sequence;
        self.sequence += 1;
        let mut nonce = self.iv;
        let mut sealed = body;
        match self.style {
            NonceStyle::XorSequence => {
                for (n, s) in nonce[4..].iter_mut().zip(seq.to_be_bytes()) {
                    *n ^= s;
                }
            }
            NonceStyle::Explicit => {
                nonce[4..].copy_from_slice(body.get(..8)?);
                sealed = &body[8..];
            }
        }
        let tag_len = self.key.algorithm().tag_len();
        let plain_len = sealed.len().checked_sub(tag_len)?;
        let aad: Vec<u8> = if self.tls13 {
            header.to_vec()
        } else {
            let mut a = seq.to_be_bytes().to_vec();
            a.extend_from_slice(&header[..3]);
            a.extend_from_slice(&(plain_len as u16).to_be_bytes());
            a
        };
        let mut buf = sealed.to_vec();
        let plain = self
            .key
            .open_in_place(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(&aad[..]),
                &mut buf,
            )
            .ok()?;
        let len = plain.len();
        buf.truncate(len);
        if !self.tls13 {
            return Some(Opened {
                content_type: header[0],
                plaintext: buf,
            });
        }
        // TLSInnerPlaintext: content, the real type, then zero padding.
        let end = buf.iter().rposition(|&b| b != 0)?;
        let content_type = buf[end];
        buf.truncate(end);
        Some(Opened {
            content_type,
            plaintext: buf,
        })
    }
}

/// TLS 1.2's PRF (RFC 5246 §5) with the suite's hash.
fn tls12_prf(suite: &SuiteKeys, secret: &[u8], label: &[u8], seed: &[u8], len: usize) -> Vec<u8> {
    let key = hmac::Key::new(suite.hmac(), secret);
    let mut label_seed = label.to_vec();
    label_seed.extend_from_slice(seed);
    let mut out = Vec::with_capacity(len);
    let mut a = hmac::sign(&key, &label_seed).as_ref().to_vec();
    while out.len() < len {
        let mut ctx = hmac::Context::with_key(&key);
        ctx.update(&a);
        ctx.update(&label_seed);
        out.extend_from_slice(ctx.sign().as_ref());
        a = hmac::sign(&key, &a).as_ref().to_vec();
    }
    out.truncate(len);
    out
}

/// The TLS 1.2 record keys of both directions, from the master secret: (client's, server's).
pub fn tls12_openers(
    suite: &SuiteKeys,
    master_secret: &[u8],
    client_random: &[u8],
    server_random: &[u8],
) -> Option<(RecordOpener, RecordOpener)> {
    let key_len = suite.key_len();
    let (iv_len, style) = match suite.aead {
        Aead::Chacha20Poly1305 => (12, NonceStyle::XorSequence),
        _ => (4, NonceStyle::Explicit),
    };
    let mut seed = server_random.to_vec();
    seed.extend_from_slice(client_random);
    let block = tls12_prf(
        suite,
        master_secret,
        b"key expansion",
        &seed,
        2 * (key_len + iv_len),
    );
    let (client_key, rest) = block.split_at(key_len);
    let (server_key, rest) = rest.split_at(key_len);
    let (client_iv, server_iv) = rest.split_at(iv_len);
    Some((
        RecordOpener::new(suite, client_key, client_iv, style, false)?,
        RecordOpener::new(suite, server_key, server_iv, style, false)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8448 §3 (simple 1-RTT handshake): the server's handshake traffic secret and
    /// the record keys derived from it.
    #[test]
    fn derives_rfc8448_handshake_keys() {
        let suite = SuiteKeys::for_suite(0x1301).unwrap();
        let secret = hex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
        assert_eq!(
            expand_label(&suite, &secret, b"key", 16).unwrap(),
            hex("3fce516009c21727d0f2e4e86ee403bc")
        );
        assert_eq!(
            expand_label(&suite, &secret, b"iv", 12).unwrap(),
            hex("5d313eb2671276ee13000b30")
        );
    }

    #[test]
    fn opens_what_was_sealed_tls13() {
        let suite = SuiteKeys::for_suite(0x1303).unwrap();
        let secret = [7u8; 32];
        let key = expand_label(&suite, &secret, b"key", 32).unwrap();
        let iv = expand_label(&suite, &secret, b"iv", 12).unwrap();
        let sealer =
            aead::LessSafeKey::new(aead::UnboundKey::new(&aead::CHACHA20_POLY1305, &key).unwrap());
        let mut opener = RecordOpener::tls13(&suite, &secret).unwrap();
        for seq in 0u64..2 {
            let mut nonce = [0u8; 12];
            nonce.copy_from_slice(&iv);
            for (n, s) in nonce[4..].iter_mut().zip(seq.to_be_bytes()) {
                *n ^= s;
            }
            let mut inner = b"\x14\x00\x00\x00\x16\x00\x00".to_vec();
            let len = (inner.len() + 16) as u16;
            let header = [23, 3, 3, (len >> 8) as u8, len as u8];
            sealer
                .seal_in_place_append_tag(
                    aead::Nonce::assume_unique_for_key(nonce),
                    aead::Aad::from(&header[..]),
                    &mut inner,
                )
                .unwrap();
            let opened = opener.open(&header, &inner).unwrap();
            assert_eq!(opened.content_type, 22);
            assert_eq!(opened.plaintext, b"\x14\x00\x00\x00");
        }
    }

    #[test]
    fn rejects_a_tampered_record() {
        let suite = SuiteKeys::for_suite(0x1301).unwrap();
        let mut opener = RecordOpener::tls13(&suite, &[1u8; 32]).unwrap();
        assert!(opener.open(&[23, 3, 3, 0, 20], &[0u8; 20]).is_none());
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }
}
