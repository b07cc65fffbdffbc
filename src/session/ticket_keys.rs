//! A server context's own session-ticket keys, made once when the context is made and
//! kept for its life, as OpenSSL does. A pre-forking server (nginx's master process makes
//! the contexts, its workers serve) relies on this: every worker inherits the same keys, so
//! a ticket one worker issued resumes on any other. Keys drawn lazily after the fork, or
//! rotated by each process on its own, would differ per worker.

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};

/// Names the key a ticket was sealed with, so tickets from other keys are told apart cheaply.
const KEY_NAME_LEN: usize = 16;

/// AES-256-GCM over the session state, under a random per-ticket nonce; the ticket is
/// `key name || nonce || ciphertext || tag`, the key name authenticated as associated data.
pub struct SessionTicketKeys {
    name: [u8; KEY_NAME_LEN],
    key: LessSafeKey,
    random: SystemRandom,
}

impl std::fmt::Debug for SessionTicketKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionTicketKeys").finish_non_exhaustive()
    }
}

impl SessionTicketKeys {
    /// New random keys; `None` when the system's randomness fails.
    pub fn generate() -> Option<Self> {
        let random = SystemRandom::new();
        let mut name = [0u8; KEY_NAME_LEN];
        let mut secret = [0u8; 32];
        random.fill(&mut name).ok()?;
        random.fill(&mut secret).ok()?;
        let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &secret).ok()?);
        Some(Self { name, key, random })
    }

    /// Seals session state into a ticket.
    pub fn seal(&self, plain: &[u8]) -> Option<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        self.random.fill(&mut nonce).ok()?;
        let tag_len = self.key.algorithm().tag_len();
        let mut ticket = Vec::with_capacity(KEY_NAME_LEN + NONCE_LEN + plain.len() + tag_len);
        ticket.extend_from_slice(&self.name);
        ticket.extend_from_slice(&nonce);
        ticket.extend_from_slice(plain);
        let tag = self
            .key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(&self.name),
                &mut ticket[KEY_NAME_LEN + NONCE_LEN..],
            )
            .ok()?;
        ticket.extend_from_slice(tag.as_ref());
        Some(ticket)
    }

    /// Opens a ticket these keys sealed; `None` for anything else.
    pub fn open(&self, ticket: &[u8]) -> Option<Vec<u8>> {
        let (name, rest) = ticket.split_at_checked(KEY_NAME_LEN)?;
        if name != self.name {
            return None;
        }
        let (nonce, sealed) = rest.split_at_checked(NONCE_LEN)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut sealed = sealed.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(name), &mut sealed)
            .ok()?;
        let len = plain.len();
        sealed.truncate(len);
        Some(sealed)
    }
}

/// The context's keys with the lifetime hint its configuration gives (the session timeout,
/// which may change after the keys were made).
#[derive(Debug)]
pub struct TicketIssuer {
    pub keys: std::sync::Arc<SessionTicketKeys>,
    pub lifetime: u32,
}

impl rustls::server::ProducesTickets for TicketIssuer {
    fn enabled(&self) -> bool {
        true
    }

    fn lifetime(&self) -> u32 {
        self.lifetime
    }

    fn encrypt(&self, plain: &[u8]) -> Option<Vec<u8>> {
        self.keys.seal(plain)
    }

    fn decrypt(&self, ticket: &[u8]) -> Option<Vec<u8>> {
        self.keys.open(ticket)
    }

    /// The context's keys never change: a TLS 1.2 client keeps the ticket it resumed
    /// with, as OpenSSL's default ticket keys leave it.
    fn decrypt_with_renewal(&self, ticket: &[u8]) -> Option<(Vec<u8>, bool)> {
        self.keys.open(ticket).map(|plain| (plain, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_round_trip_and_tampering_is_refused() {
        let keys = SessionTicketKeys::generate().unwrap();
        let ticket = keys.seal(b"session state").unwrap();
        assert_eq!(keys.open(&ticket).unwrap(), b"session state");
        assert_ne!(keys.seal(b"session state").unwrap(), ticket, "fresh nonce");
        for i in [0, KEY_NAME_LEN, KEY_NAME_LEN + NONCE_LEN, ticket.len() - 1] {
            let mut bad = ticket.clone();
            bad[i] ^= 1;
            assert!(keys.open(&bad).is_none(), "byte {i} flipped");
        }
        for len in 0..ticket.len() {
            assert!(keys.open(&ticket[..len]).is_none(), "cut to {len}");
        }
    }

    #[test]
    fn other_keys_do_not_open_a_ticket() {
        let a = SessionTicketKeys::generate().unwrap();
        let b = SessionTicketKeys::generate().unwrap();
        assert!(b.open(&a.seal(b"x").unwrap()).is_none());
    }
}
