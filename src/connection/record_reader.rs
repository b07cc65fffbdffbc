//! Reading the transport one TLS record at a time, as OpenSSL does without read-ahead.
//!
//! OpenSSL reads a record's 5-byte header and then exactly its body, so bytes of later
//! records stay in the socket, where `poll()` sees them: an application that waits for
//! readability after `SSL_read` (curl, for one) is woken for a close_notify that arrived
//! behind the data. Reading ahead would swallow it. With `SSL_CTX_set_read_ahead` the
//! application opts into reading as much as is there.

use std::io::{self, Read};

use crate::wire::stream_splitter::{Splitter, RECORD_HEADER};

/// Where the reader stands within the current record.
#[derive(Debug, Default, Clone, Copy)]
pub struct RecordCursor(Splitter<RECORD_HEADER>);

impl RecordCursor {
    /// Whether the last record was read to its end (nothing of the next one yet).
    pub fn at_boundary(&self) -> bool {
        self.0.at_boundary()
    }

    fn consume(&mut self, bytes: &[u8]) {
        self.0.skip(bytes);
    }
}

/// Reads through `inner`, never past the end of the current record unless `read_ahead`.
pub struct RecordReader<'a, R> {
    pub inner: R,
    pub cursor: &'a mut RecordCursor,
    pub read_ahead: bool,
}

impl<R: Read> Read for RecordReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read_ahead {
            let n = self.inner.read(buf)?;
            self.cursor.consume(&buf[..n]);
            return Ok(n);
        }
        let limit = self.cursor.0.wanted().min(buf.len());
        let mut n = self.inner.read(&mut buf[..limit])?;
        self.cursor.consume(&buf[..n]);
        // A header just completed: its body follows in the same call, so rustls takes a
        // record of up to 4 KiB in one read, and a larger one in two (rustls sizes its
        // input buffer for the rest of a record once it has the header).
        if n == limit && self.cursor.0.header_complete() && n < buf.len() {
            let more = self.cursor.0.wanted().min(buf.len() - n);
            // Without the body (or on an error), the header is taken; the rest comes with
            // the next call.
            if let Ok(m) = self.inner.read(&mut buf[n..n + more]) {
                self.cursor.consume(&buf[n..n + m]);
                n += m;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_at_record_boundaries() {
        // Two records: 3 bytes of application data, then a 2-byte alert.
        let wire = [23, 3, 3, 0, 3, b'a', b'b', b'c', 21, 3, 3, 0, 2, 1, 0];
        let mut cursor = RecordCursor::default();
        let mut src = &wire[..];
        let mut reader = RecordReader {
            inner: &mut src,
            cursor: &mut cursor,
            read_ahead: false,
        };
        let mut buf = [0u8; 64];
        let sizes: Vec<usize> = std::iter::from_fn(|| match reader.read(&mut buf) {
            Ok(0) | Err(_) => None,
            Ok(n) => Some(n),
        })
        .collect();
        // Each record in one read: its header, then its body in the same call.
        assert_eq!(sizes, [8, 7]);
    }

    #[test]
    fn read_ahead_takes_everything() {
        let wire = [23, 3, 3, 0, 1, b'a', 21, 3, 3, 0, 2, 1, 0];
        let mut cursor = RecordCursor::default();
        let mut src = &wire[..];
        let mut reader = RecordReader {
            inner: &mut src,
            cursor: &mut cursor,
            read_ahead: true,
        };
        let mut buf = [0u8; 64];
        assert_eq!(reader.read(&mut buf).unwrap(), wire.len());
    }
}
