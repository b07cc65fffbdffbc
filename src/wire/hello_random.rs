//! The hello randoms (`SSL_get_client_random`, `SSL_get_server_random`): rustls keeps them
//! to itself, so a connection keeps the first bytes it sent and received, which begin
//! with the ClientHello and the ServerHello, and reads the randoms from there.

/// Record header, handshake header, version, random.
const PREFIX_LEN: usize = 5 + 4 + 2 + 32;

/// The first bytes of one direction of a connection.
#[derive(Debug, Clone, Copy)]
pub struct HelloPrefix {
    bytes: [u8; PREFIX_LEN],
    len: usize,
}

impl Default for HelloPrefix {
    fn default() -> Self {
        Self {
            bytes: [0; PREFIX_LEN],
            len: 0,
        }
    }
}

impl HelloPrefix {
    /// Whether it has all it keeps (then it costs nothing more).
    pub fn full(&self) -> bool {
        self.len == PREFIX_LEN
    }

    pub fn keep(&mut self, data: &[u8]) {
        let n = (PREFIX_LEN - self.len).min(data.len());
        self.bytes[self.len..self.len + n].copy_from_slice(&data[..n]);
        self.len += n;
    }

    /// The random of the hello (`msg_type` 1 or 2) these bytes begin with.
    pub fn random(&self, msg_type: u8) -> Option<[u8; 32]> {
        let b = &self.bytes;
        (self.full() && b[0] == 22 && b[5] == msg_type)
            .then(|| b[11..43].try_into().ok())
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_random_after_the_headers() {
        let mut p = super::HelloPrefix::default();
        let mut wire = vec![22, 3, 1, 0, 200, 1, 0, 0, 196, 3, 3];
        wire.extend(1..=32u8);
        p.keep(&wire[..7]);
        assert_eq!(p.random(1), None);
        p.keep(&wire[7..]);
        p.keep(b"more");
        assert_eq!(p.random(1).unwrap()[31], 32);
        assert_eq!(p.random(2), None);
    }
}
