//! Splitting one direction's byte stream into the records the trace reads.
//!
//! Bytes arrive as they cross a BIO, in pieces of any size. A record whose body the trace
//! does not need (application data of our own, once the trace has what it draws) is
//! passed over without being copied: its header is kept, so that the record still counts
//! and its sequence number is still used.

use std::collections::VecDeque;

const HEADER_LEN: usize = 5;
/// The largest record body TLS allows (2^14 plus expansion).
const MAX_RECORD_BODY: usize = 16384 + 2048;

/// One record of the trace, in the order it crossed the BIOs.
pub struct Record {
    pub sent: bool,
    pub header: [u8; HEADER_LEN],
    /// Empty when `skipped`.
    pub body: Vec<u8>,
    /// Its body was passed over (see the module documentation).
    pub skipped: bool,
}

/// One direction's split state.
#[derive(Default)]
pub struct RecordSplitter {
    /// The header, and the body unless it is being skipped, of the record in progress.
    partial: Vec<u8>,
    /// Body bytes of the record in progress still to pass over.
    skip_left: usize,
    /// Not TLS (or not any more): the rest of this direction is not read.
    pub broken: bool,
}

impl RecordSplitter {
    /// Splits `bytes` into `out`; records that begin here have their bodies passed over
    /// when `skip_bodies`.
    pub fn feed(
        &mut self,
        sent: bool,
        mut bytes: &[u8],
        skip_bodies: bool,
        out: &mut VecDeque<Record>,
    ) {
        while !bytes.is_empty() && !self.broken {
            if self.skip_left > 0 {
                let n = self.skip_left.min(bytes.len());
                self.skip_left -= n;
                bytes = &bytes[n..];
                if self.skip_left == 0 {
                    out.push_back(self.take(sent, true));
                }
                continue;
            }
            let need = match self.body_len() {
                None => HEADER_LEN - self.partial.len(),
                Some(len) => HEADER_LEN + len - self.partial.len(),
            };
            let take = need.min(bytes.len());
            self.partial.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            let Some(len) = self.body_len() else {
                continue;
            };
            if self.partial.len() == HEADER_LEN {
                if !(20..=24).contains(&self.partial[0]) || len > MAX_RECORD_BODY {
                    self.broken = true;
                    continue;
                }
                if skip_bodies && len > 0 {
                    self.skip_left = len;
                    continue;
                }
            }
            if self.partial.len() == HEADER_LEN + len {
                out.push_back(self.take(sent, false));
            }
        }
    }

    /// The body length of the record in progress, once its header is in.
    fn body_len(&self) -> Option<usize> {
        let h = self.partial.get(..HEADER_LEN)?;
        Some(usize::from(u16::from_be_bytes([h[3], h[4]])))
    }

    fn take(&mut self, sent: bool, skipped: bool) -> Record {
        let mut header = [0u8; HEADER_LEN];
        header.copy_from_slice(&self.partial[..HEADER_LEN]);
        let body = self.partial.split_off(HEADER_LEN);
        self.partial.clear();
        Record {
            sent,
            header,
            body,
            skipped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u8, body: &[u8]) -> Vec<u8> {
        let mut r = vec![typ, 3, 3];
        r.extend_from_slice(&(body.len() as u16).to_be_bytes());
        r.extend_from_slice(body);
        r
    }

    #[test]
    fn splits_records_arriving_in_any_pieces() {
        let wire = [record(22, b"hello"), record(23, &[7; 300])].concat();
        for piece in [1, 3, 5, 64, wire.len()] {
            let mut s = RecordSplitter::default();
            let mut out = VecDeque::new();
            for chunk in wire.chunks(piece) {
                s.feed(true, chunk, false, &mut out);
            }
            assert_eq!(out.len(), 2, "pieces of {piece}");
            assert_eq!(out[0].body, b"hello");
            assert_eq!(out[1].body, [7; 300]);
            assert!(!out[1].skipped);
        }
    }

    #[test]
    fn skipped_records_keep_their_headers_and_the_stream_in_step() {
        let wire = [record(23, &[1; 1000]), record(23, &[2; 10])].concat();
        let mut s = RecordSplitter::default();
        let mut out = VecDeque::new();
        // The first record begins while bodies are skipped; the second after.
        s.feed(true, &wire[..500], true, &mut out);
        assert!(out.is_empty());
        s.feed(true, &wire[500..], false, &mut out);
        assert_eq!(out.len(), 2);
        assert!(out[0].skipped && out[0].body.is_empty());
        assert_eq!(out[0].header, [23, 3, 3, 0x03, 0xe8]);
        assert!(!out[1].skipped);
        assert_eq!(out[1].body, [2; 10]);
    }

    #[test]
    fn stops_at_bytes_that_are_not_tls() {
        let mut s = RecordSplitter::default();
        let mut out = VecDeque::new();
        s.feed(false, b"GET / HTTP/1.1\r\n", false, &mut out);
        assert!(s.broken && out.is_empty());
    }
}
