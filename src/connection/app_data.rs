//! Application data: `SSL_read`/`SSL_peek`, `SSL_write` with OpenSSL's retry rule (the
//! same buffer again after a WANT_WRITE), `SSL_pending`.

use std::io::{self, BufRead, Read, Write};
use std::os::raw::c_int;

use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::libcrypto::error_queue as err;

use super::record_io::Stop;
use super::{Connection, Tls};

/// The most plaintext one TLS record carries.
pub(super) const MAX_PLAINTEXT_RECORD: usize = 16384;

/// An `SSL_write` that returned a retry after rustls took `accepted` bytes of the buffer.
#[derive(Debug, Clone, Copy)]
pub(super) struct WriteRetry {
    accepted: usize,
    buf_addr: usize,
}

impl Connection {
    pub fn pending(&self) -> usize {
        self.pending_plaintext
    }

    /// `SSL_read`/`SSL_peek`: `Ok(n)` bytes, or `Err(ret)` with OpenSSL's return value.
    pub fn read(&mut self, buf: &mut [u8], peek: bool) -> Result<usize, c_int> {
        self.rwstate = SSL_NOTHING;
        if self.role_set && self.shutdown & SSL_RECEIVED_SHUTDOWN != 0 {
            return Err(0);
        }
        self.ensure_handshake()?;
        loop {
            let Tls::Active(tls) = &mut self.tls else {
                return Err(-1);
            };
            let got = if peek {
                let mut r = tls.reader();
                r.fill_buf().map(|b| {
                    let n = b.len().min(buf.len());
                    buf[..n].copy_from_slice(&b[..n]);
                    n
                })
            } else {
                tls.reader().read(buf)
            };
            match got {
                Ok(0) if !buf.is_empty() => {
                    self.shutdown |= SSL_RECEIVED_SHUTDOWN;
                    self.close_notify_received = true;
                    return Err(0);
                }
                Ok(n) => {
                    if !peek {
                        self.pending_plaintext = self.pending_plaintext.saturating_sub(n);
                    }
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(_) => {
                    self.on_eof();
                    return Err(0);
                }
            }
            self.flush()?;
            match self.receive() {
                Ok(()) => {}
                // A fatal alert from the peer ends the read with 0, as in OpenSSL.
                Err(Stop::Eof | Stop::Alert) => return Err(0),
                Err(Stop::Other) => return Err(-1),
            }
            // What the records called for (an answer to a certificate request, a key
            // update) goes out now, as OpenSSL writes it while reading.
            self.flush()?;
            // Without SSL_MODE_AUTO_RETRY, a whole record that carried no application data
            // (a session ticket, a key update) ends the call with "retry read", as in OpenSSL;
            // a client's answer to a certificate request is read whole first, as OpenSSL's
            // handshake state machine reads it.
            if self.settings.mode & SSL_MODE_AUTO_RETRY == 0
                && !self.awaiting_client_certificate
                && self.record_cursor.at_boundary()
                && self.pending_plaintext == 0
                && !self.peer_closed
            {
                if let Some(rbio) = &self.rbio {
                    rbio.set_retry_read();
                }
                self.rwstate = SSL_READING;
                return Err(-1);
            }
        }
    }

    /// `SSL_write`: `Ok(n)` bytes taken, or `Err(ret)` with OpenSSL's return value.
    pub fn write(&mut self, buf: &[u8]) -> Result<usize, c_int> {
        if self.role_set && self.shutdown & SSL_SENT_SHUTDOWN != 0 {
            self.rwstate = SSL_NOTHING;
            err::raise_ssl(reason::SSL_R_PROTOCOL_IS_SHUTDOWN);
            return Err(-1);
        }
        if !self.writing_early_data {
            self.ensure_handshake()?;
        }
        let mut accepted = 0;
        if let Some(retry) = self.write_retry {
            if buf.len() < retry.accepted {
                err::raise_ssl(reason::SSL_R_BAD_LENGTH);
                return Err(-1);
            }
            if retry.buf_addr != buf.as_ptr() as usize
                && self.settings.mode & SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER == 0
            {
                err::raise_ssl(reason::SSL_R_BAD_WRITE_RETRY);
                return Err(-1);
            }
            accepted = retry.accepted;
        }
        let partial = self.settings.mode & SSL_MODE_ENABLE_PARTIAL_WRITE != 0;
        // A partial write reports each record once it is fully written, as OpenSSL does;
        // a retried one first finishes what the previous call left in flight.
        let mut report_after_flush = partial && accepted > 0;
        loop {
            if let Err(ret) = self.flush() {
                self.write_retry = Some(WriteRetry {
                    accepted,
                    buf_addr: buf.as_ptr() as usize,
                });
                return Err(ret);
            }
            if accepted == buf.len() || report_after_flush {
                self.write_retry = None;
                return Ok(accepted);
            }
            let Tls::Active(tls) = &mut self.tls else {
                return Err(-1);
            };
            let end = if partial {
                buf.len().min(accepted + MAX_PLAINTEXT_RECORD)
            } else {
                buf.len()
            };
            // The flush above emptied rustls' queue: what this queues is application data.
            accepted += tls.writer().write(&buf[accepted..end]).map_err(|_| -1)?;
            self.app_data_queued = true;
            report_after_flush = partial;
        }
    }
}
