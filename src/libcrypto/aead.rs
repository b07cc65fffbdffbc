//! ChaCha20-Poly1305 record protection from the system's libcrypto (EVP).
//!
//! On CPUs where OpenSSL's libcrypto has a faster ChaCha20-Poly1305 than AWS-LC (AVX-512:
//! `openssl speed -evp chacha20-poly1305` gave 3.45 GB/s with 16 KiB blocks, AWS-LC 1.83
//! GB/s on the development machine), the TLS 1.3 and TLS 1.2 ChaCha20-Poly1305 suites
//! protect their records with it; every other part of those suites (hashes, key schedule,
//! key exchange) stays rustls' aws-lc-rs provider, and AES-GCM stays AWS-LC's, which is
//! the faster there (15 GB/s against 4.5 for AES-128-GCM). libcrypto is loaded in every
//! process that loads ferrossl.

use std::ptr::{self, NonNull};

use rustls::crypto::cipher::{
    make_tls12_aad, make_tls13_aad, AeadKey, InboundOpaqueMessage, InboundPlainMessage, Iv,
    KeyBlockShape, MessageDecrypter, MessageEncrypter, Nonce, OutboundOpaqueMessage,
    OutboundPlainMessage, PrefixedPayload, Tls12AeadAlgorithm, Tls13AeadAlgorithm,
    UnsupportedOperationError,
};
use rustls::crypto::CryptoProvider;
use rustls::{
    CipherSuiteCommon, ConnectionTrafficSecrets, ContentType, Error, ProtocolVersion,
    SupportedCipherSuite, Tls12CipherSuite, Tls13CipherSuite,
};

use super::sys;

const TAG_LEN: usize = 16;
/// libcrypto's controls for TLS 1.2's one-call form (`evp.h`).
const EVP_CTRL_AEAD_SET_IV_FIXED: i32 = 0x12;
const EVP_CTRL_AEAD_TLS1_AAD: i32 = 0x16;
const KEY_LEN: usize = 32;
/// RFC 8446 §5.2 / RFC 5246 §6.2.3: the most plaintext a record carries.
const MAX_FRAGMENT_LEN: usize = 16384;

/// One direction's libcrypto cipher context: keyed once, given a fresh nonce per record.
struct ChaChaContext {
    ctx: NonNull<sys::EVP_CIPHER_CTX>,
}

// SAFETY: the context is only used through `&mut self` (one record at a time), and a
// libcrypto cipher context is not tied to the thread that made it.
unsafe impl Send for ChaChaContext {}
// SAFETY: as above; `&self` gives no access to the context.
unsafe impl Sync for ChaChaContext {}

impl Drop for ChaChaContext {
    fn drop(&mut self) {
        // SAFETY: the context is ours and freed once; freeing wipes the key schedule.
        unsafe { sys::EVP_CIPHER_CTX_free(self.ctx.as_ptr()) }
    }
}

impl ChaChaContext {
    fn new(key: &AeadKey, encrypt: bool) -> Option<Self> {
        let key = key.as_ref();
        if key.len() != KEY_LEN {
            return None;
        }
        // SAFETY: a fresh context, initialised with the cipher and a 32-byte key; freed by
        // Drop (also when the initialisation fails).
        unsafe {
            let ctx = Self {
                ctx: NonNull::new(sys::EVP_CIPHER_CTX_new())?,
            };
            let ok = sys::EVP_CipherInit_ex(
                ctx.ctx.as_ptr(),
                sys::EVP_chacha20_poly1305(),
                ptr::null_mut(),
                key.as_ptr(),
                ptr::null(),
                i32::from(encrypt),
            );
            (ok == 1).then_some(ctx)
        }
    }

    /// Sets the record's nonce and feeds its additional data.
    fn start(&mut self, nonce: &Nonce, aad: &[u8]) -> bool {
        let mut out = 0;
        // SAFETY: the context was keyed by `new`; a null cipher and key keep them, -1
        // keeps the direction; the nonce is 12 bytes (the cipher's default IV length),
        // the AAD is read for its length and nothing is written (null output).
        unsafe {
            let ctx = self.ctx.as_ptr();
            sys::EVP_CipherInit_ex(
                ctx,
                ptr::null(),
                ptr::null_mut(),
                ptr::null(),
                nonce.0.as_ptr(),
                -1,
            ) == 1
                && sys::EVP_CipherUpdate(
                    ctx,
                    ptr::null_mut(),
                    &mut out,
                    aad.as_ptr(),
                    aad.len() as i32,
                ) == 1
        }
    }

    /// Encrypts or decrypts `data` in place (libcrypto allows exactly overlapping buffers).
    fn update(&mut self, data: &mut [u8]) -> bool {
        let mut out = 0;
        // SAFETY: `data` is valid for reads and writes of its length (at most a record).
        unsafe {
            sys::EVP_CipherUpdate(
                self.ctx.as_ptr(),
                data.as_mut_ptr(),
                &mut out,
                data.as_ptr(),
                data.len() as i32,
            ) == 1
                && out as usize == data.len()
        }
    }

    /// Seals `data` in place; the tag.
    fn seal(&mut self, nonce: &Nonce, aad: &[u8], data: &mut [u8]) -> Option<[u8; TAG_LEN]> {
        let mut tag = [0u8; TAG_LEN];
        let mut out = 0;
        if !(self.start(nonce, aad) && self.update(data)) {
            return None;
        }
        // SAFETY: a stream cipher's final step writes nothing; the tag buffer is 16 bytes.
        unsafe {
            let ctx = self.ctx.as_ptr();
            (sys::EVP_CipherFinal(ctx, tag.as_mut_ptr(), &mut out) == 1
                && sys::EVP_CIPHER_CTX_ctrl(
                    ctx,
                    sys::EVP_CTRL_GCM_GET_TAG,
                    TAG_LEN as i32,
                    tag.as_mut_ptr().cast(),
                ) == 1)
                .then_some(tag)
        }
    }

    /// A TLS 1.2 context (RFC 7905) in libcrypto's one-call form, as OpenSSL's own record
    /// layer uses it: the context keeps the fixed IV and takes each record's sequence
    /// number from its additional data, so a record costs one control and one call.
    fn tls12(key: &AeadKey, iv: &[u8], encrypt: bool) -> Option<Self> {
        let ctx = Self::new(key, encrypt)?;
        let mut fixed = [0u8; 12];
        fixed.copy_from_slice(iv.get(..12)?);
        // SAFETY: the control reads 12 bytes of IV.
        let ok = unsafe {
            sys::EVP_CIPHER_CTX_ctrl(
                ctx.ctx.as_ptr(),
                EVP_CTRL_AEAD_SET_IV_FIXED,
                12,
                fixed.as_mut_ptr().cast(),
            ) == 1
        };
        ok.then_some(ctx)
    }

    /// One TLS 1.2 record in place: `record` is the plaintext and room for the tag when
    /// sealing, the ciphertext and tag when opening (the AAD's length says which part is
    /// which); the output's length, or `None` (opening: the tag did not verify).
    fn tls12_record(&mut self, mut aad: [u8; 13], record: &mut [u8]) -> Option<usize> {
        // SAFETY: the control reads the 13-byte AAD and returns the tag length; the cipher
        // works in place on `record`, valid for reads and writes of its length.
        unsafe {
            let ctx = self.ctx.as_ptr();
            if sys::EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_TLS1_AAD, 13, aad.as_mut_ptr().cast())
                != TAG_LEN as i32
            {
                return None;
            }
            let n = super::extra::EVP_Cipher(
                ctx,
                record.as_mut_ptr(),
                record.as_ptr(),
                u32::try_from(record.len()).ok()?,
            );
            usize::try_from(n).ok()
        }
    }

    /// Opens `data` in place against `tag`; false (and `data` not to be used) if it does
    /// not verify.
    fn open(&mut self, nonce: &Nonce, aad: &[u8], data: &mut [u8], tag: &[u8]) -> bool {
        let mut tag_copy = [0u8; TAG_LEN];
        tag_copy.copy_from_slice(tag);
        let mut out = 0;
        if !self.start(nonce, aad) {
            return false;
        }
        // SAFETY: the expected tag is 16 bytes, set before the final step checks it; the
        // final step of a stream cipher writes nothing.
        unsafe {
            let ctx = self.ctx.as_ptr();
            sys::EVP_CIPHER_CTX_ctrl(
                ctx,
                sys::EVP_CTRL_GCM_SET_TAG,
                TAG_LEN as i32,
                tag_copy.as_mut_ptr().cast(),
            ) == 1
                && self.update(data)
                && sys::EVP_CipherFinal(ctx, tag_copy.as_mut_ptr(), &mut out) == 1
        }
    }
}

/// TLS 1.3's ChaCha20-Poly1305 record protection over libcrypto.
struct Tls13ChaCha;

struct Tls13Sealer(ChaChaContext, Iv);
struct Tls13Opener(ChaChaContext, Iv);

impl Tls13AeadAlgorithm for Tls13ChaCha {
    fn encrypter(&self, key: AeadKey, iv: Iv) -> Box<dyn MessageEncrypter> {
        Box::new(Tls13Sealer(context(&key, true), iv))
    }

    fn decrypter(&self, key: AeadKey, iv: Iv) -> Box<dyn MessageDecrypter> {
        Box::new(Tls13Opener(context(&key, false), iv))
    }

    fn key_len(&self) -> usize {
        KEY_LEN
    }

    fn extract_keys(
        &self,
        key: AeadKey,
        iv: Iv,
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        Ok(ConnectionTrafficSecrets::Chacha20Poly1305 { key, iv })
    }
}

/// A keyed context; libcrypto failing to make one (out of memory) is not recoverable.
fn context(key: &AeadKey, encrypt: bool) -> ChaChaContext {
    ChaChaContext::new(key, encrypt).expect("libcrypto makes a ChaCha20-Poly1305 context")
}

fn tls12_context(key: &AeadKey, iv: &[u8], encrypt: bool) -> ChaChaContext {
    ChaChaContext::tls12(key, iv, encrypt).expect("libcrypto makes a ChaCha20-Poly1305 context")
}

impl MessageEncrypter for Tls13Sealer {
    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
    ) -> Result<OutboundOpaqueMessage, Error> {
        let total_len = self.encrypted_payload_len(msg.payload.len());
        let mut payload = PrefixedPayload::with_capacity(total_len);
        payload.extend_from_chunks(&msg.payload);
        payload.extend_from_slice(&msg.typ.to_array());
        let tag = self
            .0
            .seal(
                &Nonce::new(&self.1, seq),
                &make_tls13_aad(total_len),
                payload.as_mut(),
            )
            .ok_or(Error::EncryptError)?;
        payload.extend_from_slice(&tag);
        Ok(OutboundOpaqueMessage::new(
            ContentType::ApplicationData,
            ProtocolVersion::TLSv1_2,
            payload,
        ))
    }

    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len + 1 + TAG_LEN
    }
}

impl MessageDecrypter for Tls13Opener {
    fn decrypt<'a>(
        &mut self,
        mut msg: InboundOpaqueMessage<'a>,
        seq: u64,
    ) -> Result<InboundPlainMessage<'a>, Error> {
        let payload = &mut msg.payload;
        let Some(plain_len) = payload.len().checked_sub(TAG_LEN) else {
            return Err(Error::DecryptError);
        };
        let aad = make_tls13_aad(payload.len());
        let (data, tag) = payload.split_at_mut(plain_len);
        if !self.0.open(&Nonce::new(&self.1, seq), &aad, data, tag) {
            return Err(Error::DecryptError);
        }
        payload.truncate(plain_len);
        msg.into_tls13_unpadded_message()
    }
}

/// TLS 1.2's ChaCha20-Poly1305 record protection (RFC 7905) over libcrypto.
struct Tls12ChaCha;

struct Tls12Sealer(ChaChaContext);
struct Tls12Opener(ChaChaContext);

impl Tls12AeadAlgorithm for Tls12ChaCha {
    fn encrypter(&self, key: AeadKey, iv: &[u8], _explicit: &[u8]) -> Box<dyn MessageEncrypter> {
        Box::new(Tls12Sealer(tls12_context(&key, iv, true)))
    }

    fn decrypter(&self, key: AeadKey, iv: &[u8]) -> Box<dyn MessageDecrypter> {
        Box::new(Tls12Opener(tls12_context(&key, iv, false)))
    }

    fn key_block_shape(&self) -> KeyBlockShape {
        KeyBlockShape {
            enc_key_len: KEY_LEN,
            fixed_iv_len: 12,
            explicit_nonce_len: 0,
        }
    }

    fn extract_keys(
        &self,
        key: AeadKey,
        iv: &[u8],
        _explicit: &[u8],
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        Ok(ConnectionTrafficSecrets::Chacha20Poly1305 {
            key,
            iv: Iv::copy(iv),
        })
    }
}

impl MessageEncrypter for Tls12Sealer {
    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
    ) -> Result<OutboundOpaqueMessage, Error> {
        let mut payload =
            PrefixedPayload::with_capacity(self.encrypted_payload_len(msg.payload.len()));
        payload.extend_from_chunks(&msg.payload);
        payload.extend_from_slice(&[0; TAG_LEN]);
        let aad = make_tls12_aad(seq, msg.typ, msg.version, msg.payload.len());
        match self.0.tls12_record(aad, payload.as_mut()) {
            Some(n) if n == msg.payload.len() + TAG_LEN => {
                Ok(OutboundOpaqueMessage::new(msg.typ, msg.version, payload))
            }
            _ => Err(Error::EncryptError),
        }
    }

    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len + TAG_LEN
    }
}

impl MessageDecrypter for Tls12Opener {
    fn decrypt<'a>(
        &mut self,
        mut msg: InboundOpaqueMessage<'a>,
        seq: u64,
    ) -> Result<InboundPlainMessage<'a>, Error> {
        let Some(plain_len) = msg.payload.len().checked_sub(TAG_LEN) else {
            return Err(Error::DecryptError);
        };
        // libcrypto's TLS form takes the record's length, tag included, and removes the tag.
        let aad = make_tls12_aad(seq, msg.typ, msg.version, msg.payload.len());
        if self.0.tls12_record(aad, &mut msg.payload) != Some(plain_len) {
            return Err(Error::DecryptError);
        }
        if plain_len > MAX_FRAGMENT_LEN {
            return Err(Error::PeerSentOversizedRecord);
        }
        msg.payload.truncate(plain_len);
        Ok(msg.into_plain_message())
    }
}

fn same_common(c: &CipherSuiteCommon) -> CipherSuiteCommon {
    CipherSuiteCommon {
        suite: c.suite,
        hash_provider: c.hash_provider,
        confidentiality_limit: c.confidentiality_limit,
    }
}

/// `provider` with its ChaCha20-Poly1305 suites protecting records through libcrypto (the
/// suites keep their place in the list, and everything but the record cipher). Made once,
/// for the process-wide provider: the suites it makes live as long as the process.
pub fn with_libcrypto_chacha20(mut provider: CryptoProvider) -> CryptoProvider {
    use rustls::CipherSuite as Id;
    for suite in &mut provider.cipher_suites {
        *suite = match *suite {
            SupportedCipherSuite::Tls13(s)
                if s.common.suite == Id::TLS13_CHACHA20_POLY1305_SHA256 =>
            {
                SupportedCipherSuite::Tls13(Box::leak(Box::new(Tls13CipherSuite {
                    common: same_common(&s.common),
                    hkdf_provider: s.hkdf_provider,
                    aead_alg: &Tls13ChaCha,
                    quic: s.quic,
                })))
            }
            SupportedCipherSuite::Tls12(s)
                if matches!(
                    s.common.suite,
                    Id::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
                        | Id::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
                ) =>
            {
                SupportedCipherSuite::Tls12(Box::leak(Box::new(Tls12CipherSuite {
                    common: same_common(&s.common),
                    prf_provider: s.prf_provider,
                    kx: s.kx,
                    sign: s.sign,
                    aead_alg: &Tls12ChaCha,
                })))
            }
            other => other,
        };
    }
    provider
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::crypto::aws_lc_rs::cipher_suite as aws;
    use rustls::crypto::cipher::OutboundChunks;

    /// Both record protections of a suite: (libcrypto's, AWS-LC's) encrypter and
    /// decrypter pairs for one key.
    type Pair = (Box<dyn MessageEncrypter>, Box<dyn MessageDecrypter>);

    fn tls13(ours: bool) -> Pair {
        let SupportedCipherSuite::Tls13(s) = aws::TLS13_CHACHA20_POLY1305_SHA256 else {
            unreachable!()
        };
        let alg: &dyn Tls13AeadAlgorithm = if ours { &Tls13ChaCha } else { s.aead_alg };
        let key = || AeadKey::from([7u8; 32]);
        let iv = || Iv::new([9u8; 12]);
        (alg.encrypter(key(), iv()), alg.decrypter(key(), iv()))
    }

    fn tls12(ours: bool) -> Pair {
        let SupportedCipherSuite::Tls12(s) = aws::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
        else {
            unreachable!()
        };
        let alg: &dyn Tls12AeadAlgorithm = if ours { &Tls12ChaCha } else { s.aead_alg };
        let key = || AeadKey::from([7u8; 32]);
        (
            alg.encrypter(key(), &[9u8; 12], &[]),
            alg.decrypter(key(), &[9u8; 12]),
        )
    }

    /// What `from` seals, `to` opens, for records of several sizes and sequence numbers;
    /// a changed byte is refused.
    fn interoperate(from: &mut Pair, to: &mut Pair) {
        for (seq, len) in [
            (0u64, 0usize),
            (1, 1),
            (2, 100),
            (3, 16384),
            (u64::MAX - 1, 33),
        ] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let sealed = from
                .0
                .encrypt(
                    OutboundPlainMessage {
                        typ: ContentType::ApplicationData,
                        version: ProtocolVersion::TLSv1_2,
                        payload: OutboundChunks::Single(&data),
                    },
                    seq,
                )
                .unwrap();
            let (typ, version) = (sealed.typ, sealed.version);
            let mut wire = sealed.payload.as_ref().to_vec();
            assert_eq!(wire.len(), from.0.encrypted_payload_len(len));
            let mut tampered = wire.clone();
            let opened =
                to.1.decrypt(InboundOpaqueMessage::new(typ, version, &mut wire), seq)
                    .unwrap();
            assert_eq!(opened.payload, &data[..]);
            assert_eq!(opened.typ, ContentType::ApplicationData);
            tampered[len / 2] ^= 1;
            assert!(to
                .1
                .decrypt(InboundOpaqueMessage::new(typ, version, &mut tampered), seq)
                .is_err());
        }
    }

    #[test]
    fn tls13_records_interoperate_with_aws_lc() {
        interoperate(&mut tls13(true), &mut tls13(false));
        interoperate(&mut tls13(false), &mut tls13(true));
        interoperate(&mut tls13(true), &mut tls13(true));
    }

    #[test]
    fn tls12_records_interoperate_with_aws_lc() {
        interoperate(&mut tls12(true), &mut tls12(false));
        interoperate(&mut tls12(false), &mut tls12(true));
    }

    #[test]
    fn only_the_chacha20_suites_change() {
        let address = |s: &SupportedCipherSuite| match s {
            SupportedCipherSuite::Tls13(s) => *s as *const Tls13CipherSuite as usize,
            SupportedCipherSuite::Tls12(s) => *s as *const Tls12CipherSuite as usize,
        };
        let base = rustls::crypto::aws_lc_rs::default_provider().cipher_suites;
        let made = with_libcrypto_chacha20(rustls::crypto::aws_lc_rs::default_provider());
        assert_eq!(made.cipher_suites.len(), base.len());
        let mut replaced = 0;
        for (a, b) in made.cipher_suites.iter().zip(&base) {
            assert_eq!(a.suite(), b.suite());
            let chacha = format!("{:?}", a.suite()).contains("CHACHA20");
            assert_eq!(address(a) != address(b), chacha, "{:?}", a.suite());
            replaced += usize::from(chacha);
        }
        assert_eq!(replaced, 3);
    }
}
