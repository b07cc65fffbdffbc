//! Moving TLS records between rustls and the application's BIOs: reading what the
//! read BIO has (one record at a time, as OpenSSL does, so `poll()` sees what is left),
//! flushing what rustls wrote, and the taps that show every byte to the trace, the
//! hello readers and the Finished capture without copying it elsewhere.

use std::io::{self, Read, Write};
use std::os::raw::c_int;

use super::handshake_scope;
use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::connection::record_reader::RecordReader;
use crate::libcrypto::bio::{BioReader, BioWriter};
use crate::libcrypto::error_queue as err;
use crate::trace::Tracer;
use crate::wire::finished_messages::FinishedCapture;
use crate::wire::hello_random::HelloPrefix;
use crate::wire::peer_hello::PeerHelloReader;

use super::{Connection, HandshakeState, Tls};

/// The outcome of one attempt to read TLS bytes from the read BIO.
pub(super) enum Input {
    Data,
    Retry,
    Eof,
    Failed,
}

/// How many leading bytes a server keeps to recognise a plaintext protocol.
pub(super) const FIRST_BYTES: usize = 5;

/// Reads through `inner`, keeping a copy of the connection's first `limit` bytes.
pub(super) struct FirstBytesReader<'a, R> {
    pub(super) inner: R,
    pub(super) first: &'a mut Vec<u8>,
    pub(super) limit: usize,
}

impl<R: Read> Read for FirstBytesReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let room = self.limit.saturating_sub(self.first.len());
        self.first.extend_from_slice(&buf[..n.min(room)]);
        Ok(n)
    }
}

/// Reads through `inner`, showing the handshake trace (if any) every byte received.
pub(super) struct TapReader<'a, R> {
    pub(super) inner: R,
    pub(super) trace: Option<&'a mut Tracer>,
    /// The first bytes received, until it has the hello's random.
    pub(super) prefix: Option<&'a mut HelloPrefix>,
    /// The peer's plaintext hello messages, until its key share is found.
    pub(super) peer_hello: Option<&'a mut PeerHelloReader>,
    /// The records that can hold the peer's Finished.
    pub(super) finished: Option<&'a mut FinishedCapture>,
}

impl<R: Read> Read for TapReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(t) = &mut self.trace {
            t.feed(false, &buf[..n]);
        }
        if let Some(h) = &mut self.peer_hello {
            h.feed(&buf[..n]);
        }
        if let Some(f) = &mut self.finished {
            f.received(&buf[..n]);
        }
        if let Some(p) = &mut self.prefix {
            p.keep(&buf[..n]);
        }
        Ok(n)
    }
}

/// Writes through `inner`, showing the handshake trace (if any) every byte sent.
pub(super) struct TapWriter<'a, W> {
    pub(super) inner: W,
    pub(super) trace: Option<&'a mut Tracer>,
    /// The first bytes sent, until it has the hello's random.
    pub(super) prefix: Option<&'a mut HelloPrefix>,
    /// The records that can hold this side's Finished.
    pub(super) finished: Option<&'a mut FinishedCapture>,
    /// The records carry only application data the application wrote.
    pub(super) own_app_data: bool,
}

impl<W: Write> Write for TapWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        match &mut self.trace {
            Some(t) if self.own_app_data => t.feed_own_app_data(&buf[..n]),
            Some(t) => t.feed(true, &buf[..n]),
            None => {}
        }
        if let Some(f) = &mut self.finished {
            f.sent(&buf[..n]);
        }
        if let Some(p) = &mut self.prefix {
            p.keep(&buf[..n]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The tracer while it still wants the connection's records.
pub(super) fn tap(trace: &mut Option<Box<Tracer>>) -> Option<&mut Tracer> {
    trace.as_deref_mut().filter(|t| t.wants_records())
}

/// The reason OpenSSL gives a server whose first record is plaintext HTTP.
pub(super) fn plaintext_protocol(first: &[u8]) -> Option<c_int> {
    if [&b"GET "[..], b"POST ", b"HEAD ", b"PUT "]
        .iter()
        .any(|m| first.starts_with(m))
    {
        Some(reason::SSL_R_HTTP_REQUEST)
    } else if first.starts_with(b"CONNE") {
        Some(reason::SSL_R_HTTPS_PROXY_REQUEST)
    } else {
        None
    }
}

/// Why [`Connection::receive`] could not deliver: the transport ended (the unexpected-EOF
/// rule is already applied), the peer sent a fatal alert, or anything else (retry,
/// failure; already recorded).
pub(super) enum Stop {
    Eof,
    Alert,
    Other,
}

impl Connection {
    pub(super) fn fail(&mut self, e: &rustls::Error) {
        let reason = if matches!(e, rustls::Error::DecryptError) && self.peer_finished_was_sound() {
            reason::SSL_R_DIGEST_CHECK_FAILED
        } else {
            reason::for_tls_error(e)
        };
        err::raise_ssl(reason);
        self.fail_quietly();
    }

    /// Ends the connection after the reason is already queued; sends any alert rustls queued.
    pub(super) fn fail_quietly(&mut self) {
        self.state = HandshakeState::Failed;
        if let (Tls::Active(tls), Some(wbio)) = (&mut self.tls, &self.wbio) {
            let mut w = TapWriter {
                inner: BioWriter(wbio),
                trace: tap(&mut self.trace),
                prefix: None,
                finished: None,
                own_app_data: false,
            };
            while tls.wants_write() {
                if tls.write_tls(&mut w).is_err() {
                    break;
                }
            }
            // A buffering BIO (Apache's) sends the alert only when flushed.
            let _ = w.flush();
        }
    }

    /// Reads from the read BIO into rustls (or the acceptor).
    pub(super) fn read_input(&mut self) -> Input {
        let Some(rbio) = &self.rbio else {
            err::raise_ssl(reason::SSL_R_READ_BIO_NOT_SET);
            self.fail_quietly();
            return Input::Failed;
        };
        self.rwstate = SSL_READING;
        let mut reader = TapReader {
            inner: RecordReader {
                inner: BioReader(rbio),
                cursor: &mut self.record_cursor,
                read_ahead: self.settings.read_ahead != 0,
            },
            trace: tap(&mut self.trace),
            prefix: Some(&mut self.received_prefix).filter(|p| !p.full()),
            peer_hello: self.peer_hello_reader.as_deref_mut().filter(|k| !k.done()),
            finished: self.finished_capture.as_deref_mut().filter(|f| f.active()),
        };
        let r = match &mut self.tls {
            Tls::Accepting(a) => a.read_tls(&mut FirstBytesReader {
                inner: reader,
                first: &mut self.first_bytes,
                limit: self.first_bytes_kept,
            }),
            Tls::Active(c) => c.read_tls(&mut reader),
            Tls::None | Tls::HelloReceived(_) => return Input::Failed,
        };
        match r {
            Ok(0) => Input::Eof,
            Ok(_) => {
                self.rwstate = SSL_NOTHING;
                Input::Data
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Input::Retry,
            Err(_) => Input::Failed,
        }
    }

    /// The transport ended without close_notify: OpenSSL 3's rule.
    pub(super) fn on_eof(&mut self) {
        if self.settings.options & SSL_OP_IGNORE_UNEXPECTED_EOF != 0 {
            self.shutdown |= SSL_RECEIVED_SHUTDOWN;
            self.close_notify_received = true;
        } else {
            err::raise_ssl(reason::SSL_R_UNEXPECTED_EOF_WHILE_READING);
            self.fail_quietly();
        }
    }

    /// Writes everything rustls has queued to the write BIO; `Err(-1)` on retry or failure.
    pub(super) fn flush(&mut self) -> Result<(), c_int> {
        // Cleared whatever this flush finds: what is queued later is not known to be
        // application data.
        let own_app_data = std::mem::take(&mut self.app_data_queued);
        let Tls::Active(tls) = &mut self.tls else {
            return Ok(());
        };
        if !tls.wants_write() {
            return Ok(());
        }
        let Some(wbio) = &self.wbio else {
            err::raise_ssl(reason::SSL_R_BIO_NOT_SET);
            self.fail_quietly();
            return Err(-1);
        };
        self.rwstate = SSL_WRITING;
        let mut w = TapWriter {
            inner: BioWriter(wbio),
            trace: tap(&mut self.trace),
            prefix: Some(&mut self.sent_prefix).filter(|p| !p.full()),
            finished: self.finished_capture.as_deref_mut().filter(|f| f.active()),
            own_app_data,
        };
        while tls.wants_write() {
            tls.write_tls(&mut w).map_err(|_| -1)?;
        }
        w.flush().map_err(|_| -1)?;
        self.rwstate = SSL_NOTHING;
        Ok(())
    }

    /// Feeds newly read records to rustls; after a fatal error (already queued), whether
    /// it was the peer's alert.
    pub(super) fn process(&mut self) -> Result<(), Stop> {
        let Tls::Active(tls) = &mut self.tls else {
            return Ok(());
        };
        // Verification runs during the handshake and for a post-handshake certificate
        // request; a TLS 1.3 client also receives session tickets and certificate
        // requests after it.
        let tls13 = tls.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3);
        let in_scope = self.state == HandshakeState::Handshaking
            || (!self.server && tls13)
            || self.awaiting_client_certificate;
        let r = match &self.scope {
            Some(scope) if in_scope => handshake_scope::enter(scope, || tls.process_new_packets()),
            _ => tls.process_new_packets(),
        };
        self.collect_sessions();
        self.settle_client_certificate();
        if let Some(t) = tap(&mut self.trace) {
            t.pump(false);
        }
        match r {
            Ok(io) => {
                self.pending_plaintext = io.plaintext_bytes_to_read();
                self.peer_closed = io.peer_has_closed();
                if self.state == HandshakeState::Handshaking {
                    self.collect_verify_outcome();
                }
                Ok(())
            }
            Err(e) => {
                self.collect_verify_outcome();
                self.fail(&e);
                Err(match e {
                    rustls::Error::AlertReceived(_) => Stop::Alert,
                    _ => Stop::Other,
                })
            }
        }
    }

    /// Sends a fatal alert before any protection is in place (the servername callback's,
    /// or one rustls did not queue).
    pub(super) fn send_plaintext_alert(&mut self, description: c_int) {
        const SSL_AD_UNRECOGNIZED_NAME: c_int = 112;
        let description = u8::try_from(description).unwrap_or(SSL_AD_UNRECOGNIZED_NAME as u8);
        if let Some(wbio) = &self.wbio {
            let mut w = TapWriter {
                inner: BioWriter(wbio),
                trace: tap(&mut self.trace),
                prefix: None,
                finished: None,
                own_app_data: false,
            };
            let _ = w.write_all(&crate::codes::alert::plaintext_record(description));
            let _ = w.flush();
        }
    }

    /// Reads what the peer sent and feeds it to rustls.
    pub(super) fn receive(&mut self) -> Result<(), Stop> {
        match self.read_input() {
            Input::Data => self.process(),
            Input::Retry | Input::Failed => Err(Stop::Other),
            Input::Eof => {
                self.on_eof();
                Err(Stop::Eof)
            }
        }
    }
}
