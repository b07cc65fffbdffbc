//! Splitting a byte stream that arrives in arbitrary pieces into length-prefixed units:
//! TLS records (a 5-byte header ending in a 16-bit length, RFC 8446 §5.1) and handshake
//! messages (a 4-byte header ending in a 24-bit length, §4). Whoever follows a stream (the
//! record reader, the Finished capture, the peer's hellos) pulls [`Piece`]s from one.

/// A record's header length.
pub(crate) const RECORD_HEADER: usize = 5;
/// A handshake message's header length.
pub(crate) const MESSAGE_HEADER: usize = 4;

/// What the stream held next.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'a, const H: usize> {
    /// A whole header, and the body length it announces.
    Header([u8; H], usize),
    /// Some of the body (a body may come in several pieces).
    Body(&'a [u8]),
    /// The body is complete.
    End,
}

/// Where a stream stands within its current unit.
#[derive(Debug, Clone, Copy)]
pub struct Splitter<const H: usize> {
    header: [u8; H],
    have: usize,
    left: usize,
}

impl<const H: usize> Default for Splitter<H> {
    fn default() -> Self {
        Self {
            header: [0; H],
            have: 0,
            left: 0,
        }
    }
}

impl<const H: usize> Splitter<H> {
    /// The body length a header announces: its last 2 bytes for a record, 3 for a message.
    fn body_len(header: &[u8; H]) -> usize {
        let len_bytes = if H == RECORD_HEADER { 2 } else { 3 };
        header[H - len_bytes..]
            .iter()
            .fold(0, |n, b| n << 8 | usize::from(*b))
    }

    /// The next piece of `bytes` (which it advances past), or `None` once they are used up.
    pub fn next<'a>(&mut self, bytes: &mut &'a [u8]) -> Option<Piece<'a, H>> {
        if self.have == H {
            if self.left == 0 {
                self.have = 0;
                return Some(Piece::End);
            }
            if bytes.is_empty() {
                return None;
            }
            let (body, rest) = bytes.split_at(self.left.min(bytes.len()));
            *bytes = rest;
            self.left -= body.len();
            return Some(Piece::Body(body));
        }
        while self.have < H {
            if bytes.is_empty() {
                return None;
            }
            let take = (H - self.have).min(bytes.len());
            self.header[self.have..self.have + take].copy_from_slice(&bytes[..take]);
            self.have += take;
            *bytes = &bytes[take..];
        }
        self.left = Self::body_len(&self.header);
        Some(Piece::Header(self.header, self.left))
    }

    /// Takes `bytes` without looking at them.
    pub fn skip(&mut self, mut bytes: &[u8]) {
        while self.next(&mut bytes).is_some() {}
    }

    /// Whether the last unit was taken to its end (nothing of the next one yet).
    pub fn at_boundary(&self) -> bool {
        self.have == 0 || (self.have == H && self.left == 0)
    }

    /// Whether the current unit's header is complete.
    pub fn header_complete(&self) -> bool {
        self.have == H
    }

    /// How many bytes the current unit still needs: the rest of its header, or its body.
    pub fn wanted(&self) -> usize {
        if self.have < H {
            H - self.have
        } else {
            self.left
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_records_arriving_a_byte_at_a_time() {
        let wire = [23, 3, 3, 0, 2, b'h', b'i', 21, 3, 3, 0, 0];
        let mut s = Splitter::<RECORD_HEADER>::default();
        let mut seen = Vec::new();
        for b in wire.chunks(1) {
            let mut bytes = b;
            while let Some(p) = s.next(&mut bytes) {
                seen.push(match p {
                    Piece::Header(h, n) => format!("header {} {n}", h[0]),
                    Piece::Body(b) => format!("body {b:?}"),
                    Piece::End => "end".into(),
                });
            }
        }
        assert_eq!(
            seen,
            [
                "header 23 2",
                "body [104]",
                "body [105]",
                "end",
                "header 21 0",
                "end"
            ]
        );
        assert!(s.at_boundary());
    }

    #[test]
    fn reads_message_lengths() {
        let mut s = Splitter::<MESSAGE_HEADER>::default();
        let mut bytes = &[20u8, 0, 1, 2, 9][..];
        assert_eq!(s.next(&mut bytes), Some(Piece::Header([20, 0, 1, 2], 258)));
        assert_eq!(s.wanted(), 258);
        assert_eq!(s.next(&mut bytes), Some(Piece::Body(&[9][..])));
        assert_eq!(s.next(&mut bytes), None);
        assert!(!s.at_boundary());
    }
}
