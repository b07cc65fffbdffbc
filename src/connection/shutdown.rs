//! Closing and what went wrong: `SSL_shutdown`'s two steps and `SSL_get_error`'s and
//! `SSL_want`'s reading of the last call.

use std::io::{self, Read};
use std::os::raw::c_int;

use crate::codes::reason;
use crate::codes::ssl_constants::*;
use crate::libcrypto::bio::Bio;
use crate::libcrypto::error_queue::{self as err, ERR_LIB_SYS};

use super::handshake::{BIO_RR_ACCEPT, BIO_RR_CONNECT};
use super::{Connection, Tls};

impl Connection {
    /// `SSL_shutdown`: 0 after sending close_notify, 1 once the peer's has arrived too.
    pub fn shutdown(&mut self) -> c_int {
        if !self.role_set {
            err::raise_ssl(reason::SSL_R_UNINITIALIZED);
            return -1;
        }
        if self.in_init() {
            err::raise_ssl(reason::SSL_R_SHUTDOWN_WHILE_IN_INIT);
            return -1;
        }
        if self.settings.quiet_shutdown {
            self.shutdown = SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN;
            return 1;
        }
        if self.shutdown & SSL_SENT_SHUTDOWN == 0 {
            self.shutdown |= SSL_SENT_SHUTDOWN;
            if let Tls::Active(tls) = &mut self.tls {
                tls.send_close_notify();
            }
            if self.flush().is_err() {
                return -1;
            }
        } else if self.active().is_some_and(|t| t.wants_write()) {
            if self.flush().is_err() {
                return -1;
            }
        } else if self.shutdown & SSL_RECEIVED_SHUTDOWN == 0 {
            return self.await_close_notify();
        }
        if self.shutdown == SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN {
            1
        } else {
            0
        }
    }

    /// The second `SSL_shutdown`: discards application data until the peer's close_notify.
    pub(super) fn await_close_notify(&mut self) -> c_int {
        let mut scratch = [0u8; 1024];
        loop {
            let Tls::Active(tls) = &mut self.tls else {
                return -1;
            };
            match tls.reader().read(&mut scratch) {
                Ok(0) => {
                    self.shutdown |= SSL_RECEIVED_SHUTDOWN;
                    self.close_notify_received = true;
                    return 1;
                }
                Ok(_) => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(_) => {
                    self.on_eof();
                    return -1;
                }
            }
            if self.receive().is_err() {
                return -1;
            }
        }
    }

    /// `SSL_get_error`, following OpenSSL's order of checks.
    pub fn get_error(&self, ret: c_int) -> c_int {
        if ret > 0 {
            return SSL_ERROR_NONE;
        }
        let e = err::peek_first();
        if e != 0 {
            return if err::lib_of(e) == ERR_LIB_SYS {
                SSL_ERROR_SYSCALL
            } else {
                SSL_ERROR_SSL
            };
        }
        let by_bio = |bio: &Option<Bio>, write_first: bool| -> Option<c_int> {
            let b = bio.as_ref()?;
            let (first, second) = if write_first {
                (b.should_write(), b.should_read())
            } else {
                (b.should_read(), b.should_write())
            };
            if first {
                return Some(if write_first {
                    SSL_ERROR_WANT_WRITE
                } else {
                    SSL_ERROR_WANT_READ
                });
            }
            if second {
                return Some(if write_first {
                    SSL_ERROR_WANT_READ
                } else {
                    SSL_ERROR_WANT_WRITE
                });
            }
            if b.should_io_special() {
                return Some(match b.retry_reason() {
                    BIO_RR_CONNECT => SSL_ERROR_WANT_CONNECT,
                    BIO_RR_ACCEPT => SSL_ERROR_WANT_ACCEPT,
                    _ => SSL_ERROR_SYSCALL,
                });
            }
            None
        };
        if self.rwstate == SSL_READING {
            if let Some(code) = by_bio(&self.rbio, false) {
                return code;
            }
        }
        if self.rwstate == SSL_WRITING {
            if let Some(code) = by_bio(&self.wbio, true) {
                return code;
            }
        }
        if self.rwstate == SSL_X509_LOOKUP {
            return SSL_ERROR_WANT_X509_LOOKUP;
        }
        if self.rwstate == SSL_CLIENT_HELLO_CB {
            return SSL_ERROR_WANT_CLIENT_HELLO_CB;
        }
        if self.shutdown & SSL_RECEIVED_SHUTDOWN != 0 && self.close_notify_received {
            return SSL_ERROR_ZERO_RETURN;
        }
        SSL_ERROR_SYSCALL
    }

    /// `SSL_want`: what the last call was waiting for (`SSL_NOTHING`, `SSL_READING`, ...).
    pub fn want(&self) -> c_int {
        self.rwstate
    }
}
