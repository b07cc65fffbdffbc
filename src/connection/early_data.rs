//! 0-RTT: a server's `SSL_read_early_data`, a client's `SSL_write_early_data` before
//! its handshake, and `SSL_get_early_data_status`.

use std::io::{Read, Write};
use std::os::raw::c_int;

use crate::codes::reason;
use crate::libcrypto::error_queue as err;

use super::{Connection, HandshakeState, Tls};

impl Connection {
    /// `SSL_read_early_data` on a server: `Ok(Some(n))` for `n` bytes of the client's
    /// early data, `Ok(None)` once the early data is finished (none was sent, it was
    /// refused, or all of it was read and the handshake is done), `Err(ret)` to retry
    /// (`SSL_get_error` says why) or on failure. Each call takes one handshake step.
    pub fn read_early_data(&mut self, buf: &mut [u8]) -> Result<Option<usize>, c_int> {
        self.reading_early_data = true;
        if let Some(n) = self.take_early_data(buf) {
            return Ok(Some(n));
        }
        if self.state == HandshakeState::Done {
            return Ok(None);
        }
        let r = self.do_handshake();
        if let Some(n) = self.take_early_data(buf) {
            return Ok(Some(n));
        }
        let hello_handled = matches!(self.tls, Tls::Active(_));
        if r == 1
            || (r < 0
                && hello_handled
                && !self.early_data_accepted
                && self.state != HandshakeState::Failed)
        {
            // Done, or the ClientHello is handled and no early data was taken: as
            // OpenSSL, the application goes on with SSL_accept or SSL_read.
            return Ok(None);
        }
        Err(r)
    }

    /// Early data received and not read yet, into `buf`; notes that early data was
    /// accepted. `None` when there is none to give.
    pub(super) fn take_early_data(&mut self, buf: &mut [u8]) -> Option<usize> {
        let Tls::Active(c) = &mut self.tls else {
            return None;
        };
        let rustls::Connection::Server(s) = &mut **c else {
            return None;
        };
        let mut early = s.early_data()?;
        self.early_data_accepted = true;
        match early.read(buf) {
            Ok(n @ 1..) => Some(n),
            _ => None,
        }
    }

    /// `SSL_write_early_data` on a client: before its handshake, with a session whose
    /// ticket allows early data, it starts the handshake (the ClientHello goes out) and
    /// sends `buf` as early data; more may follow until the handshake goes on.
    pub(super) fn write_client_early_data(&mut self, buf: &[u8]) -> Result<usize, c_int> {
        if let Some(n) = self.early_data_unflushed {
            self.flush()?;
            self.early_data_unflushed = None;
            return Ok(n);
        }
        match self.state {
            HandshakeState::Before => {
                let allowed = self.resume.as_ref().map_or(0, |s| s.max_early_data());
                if allowed == 0 {
                    err::raise_ssl(err::ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
                    return Err(-1);
                }
                if !self.role_set {
                    self.set_connect_state();
                }
                err::clear_all();
                self.sending_early_data = true;
                if !self.start() {
                    self.state = HandshakeState::Failed;
                    return Err(-1);
                }
                self.count_handshake(true, false);
            }
            HandshakeState::Handshaking if self.sending_early_data => {}
            _ => {
                err::raise_ssl(err::ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
                return Err(-1);
            }
        }
        let Tls::Active(tls) = &mut self.tls else {
            return Err(-1);
        };
        let rustls::Connection::Client(client) = &mut **tls else {
            return Err(-1);
        };
        // rustls offers early data only if the ticket allows it (as the session said).
        let Some(mut early) = client.early_data() else {
            err::raise_ssl(err::ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
            return Err(-1);
        };
        if buf.len() > early.bytes_left() {
            err::raise_ssl(reason::SSL_R_TOO_MUCH_EARLY_DATA);
            return Err(-1);
        }
        let n = early.write(buf).map_err(|_| -1)?;
        if let Err(ret) = self.flush() {
            self.early_data_unflushed = Some(n);
            return Err(ret);
        }
        self.early_data_pause = true;
        Ok(n)
    }

    /// `SSL_write_early_data`: a client's early data, or, on a server that accepted early
    /// data, data sent before the client's Finished (0.5-RTT), as OpenSSL allows while it
    /// reads early data.
    pub fn write_early_data(&mut self, buf: &[u8]) -> Result<usize, c_int> {
        if !self.server {
            return self.write_client_early_data(buf);
        }
        if !self.server || !self.early_data_accepted {
            err::raise_ssl(err::ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED);
            return Err(-1);
        }
        self.writing_early_data = self.state != HandshakeState::Done;
        if let Some(f) = self
            .finished_capture
            .as_mut()
            .filter(|_| self.writing_early_data)
        {
            f.stop_sending();
        }
        let r = self.write(buf);
        self.writing_early_data = false;
        r
    }

    /// `SSL_get_early_data_status`: `Some(accepted)` once early data was offered (a
    /// client's counts as refused until the server says otherwise, as in OpenSSL), `None`
    /// when there was none.
    pub fn early_data_status(&self) -> Option<bool> {
        if self.server {
            let offered = match &self.peer_hello_reader {
                Some(reader) => reader.early_data_offered(),
                None => self.peer_hello.early_data_offered,
            };
            return (offered || self.early_data_accepted).then_some(self.early_data_accepted);
        }
        if !self.sending_early_data {
            return None;
        }
        match self.active()? {
            rustls::Connection::Client(c) if self.state == HandshakeState::Done => {
                Some(c.is_early_data_accepted())
            }
            _ => Some(false),
        }
    }
}
