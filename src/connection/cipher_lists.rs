//! The suite lists a connection reports: the client's offer as a server saw it
//! (`SSL_get_client_ciphers`, `SSL_get0_raw_cipherlist`), what this side would offer
//! (`SSL_get1_supported_ciphers`) and what both share (`SSL_get_shared_ciphers`).

use crate::codes::ssl_constants::*;
use crate::config::cipher::{self, SslCipher};

use super::{Connection, HandshakeState};

impl Connection {
    /// `SSL_get_client_ciphers`: on a server, the client's suites that ferrossl knows.
    pub fn client_cipher_stack(&mut self) -> *mut std::os::raw::c_void {
        if !self.server || self.state == HandshakeState::Before {
            return std::ptr::null_mut();
        }
        let offered: Vec<_> = self.client_ciphers().collect();
        self.client_cipher_stack.get(offered.into_iter())
    }

    /// The suites the client offered that ferrossl knows, in its order.
    pub(super) fn client_ciphers(&self) -> impl Iterator<Item = &'static SslCipher> + '_ {
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
}
