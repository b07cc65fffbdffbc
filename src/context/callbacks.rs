//! The application callbacks a context holds, as the core sees them: traits the FFI
//! layer implements over the application's C functions, so the core calls Rust and
//! never holds a C function pointer.

use std::any::Any;
use std::fmt::Debug;
use std::os::raw::c_int;
use std::sync::Arc;

use crate::libcrypto::pkey::PrivateKey;
use crate::libcrypto::x509::Certificate;
use crate::session::Session;

/// What the server's ALPN select callback decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlpnChoice {
    Selected(Vec<u8>),
    NoAck,
    Fatal,
}

/// The server's ALPN select callback (`SSL_CTX_set_alpn_select_cb`), implemented by the FFI layer.
pub trait AlpnSelector: Send + Sync {
    /// `ssl` is the connection's C handle; `offered` the client's list in wire format.
    fn select(&self, ssl: usize, offered: &[u8]) -> AlpnChoice;
}

/// The server's servername callback (`SSL_CTX_set_tlsext_servername_callback`), implemented
/// by the FFI layer. It may switch the connection's context with `SSL_set_SSL_CTX`.
pub trait ServernameCallback: Send + Sync {
    /// Runs the callback for the connection `ssl`; returns its `SSL_TLSEXT_ERR_*` value and alert.
    fn call(&self, ssl: usize) -> (c_int, c_int);
}

/// The OCSP status callback (`SSL_CTX_set_tlsext_status_cb`), implemented by the FFI
/// layer: a server's callback sets the response to staple (`SSL_set_tlsext_status_ocsp_resp`).
pub trait StatusCallback: Send + Sync {
    /// `SSL_TLSEXT_ERR_OK` (staple), `_NOACK` (do not) or `_ALERT_FATAL`.
    fn call(&self, ssl: usize) -> c_int;
}

/// The certificate callback (`SSL_CTX_set_cert_cb`), implemented by the FFI layer: run on a
/// server once the ClientHello is in, so the application can pick the certificate.
pub trait CertCallback: Debug + Send + Sync {
    /// 1 to go on, 0 to fail the handshake, negative to suspend it (`WANT_X509_LOOKUP`).
    fn call(&self, ssl: usize) -> c_int;
}

/// The client-hello callback (`SSL_CTX_set_client_hello_cb`), implemented by the FFI
/// layer: the earliest look a server gets at a connection.
pub trait ClientHelloCallback: Send + Sync {
    /// `SSL_CLIENT_HELLO_SUCCESS` (1), `_ERROR` (0, with the alert to send) or `_RETRY` (-1).
    fn call(&self, ssl: usize) -> (c_int, c_int);
}

/// The new-session callback (`SSL_CTX_sess_set_new_cb`), implemented by the FFI layer.
pub trait NewSessionCallback: Send + Sync {
    /// Hands `session` to the application for the connection `ssl`.
    fn call(&self, ssl: usize, session: Arc<Session>);
    /// The implementation itself, so the FFI layer can give the application its function
    /// back (`SSL_CTX_sess_get_new_cb`).
    fn as_any(&self) -> &dyn Any;
}

/// The message callback (`SSL_CTX_set_msg_callback`), implemented by the FFI layer. A
/// connection with one records a trace; the FFI layer hands it the trace's messages.
pub trait MessageCallback: Debug + Send + Sync {
    /// One message, record header or inner content type, with OpenSSL's arguments.
    fn message(
        &self,
        ssl: usize,
        write_p: c_int,
        version: c_int,
        content_type: c_int,
        bytes: &[u8],
        arg: usize,
    );
}

/// The info callback (`SSL_CTX_set_info_callback`), implemented by the FFI layer.
pub trait InfoCallback: Debug + Send + Sync {
    /// One of OpenSSL's `SSL_CB_*` events (`where_`) with its value.
    fn info(&self, ssl: usize, where_: c_int, ret: c_int);
    /// The implementation itself, so the FFI layer can give the application its function
    /// back (`SSL_CTX_get_info_callback`).
    fn as_any(&self) -> &dyn Any;
}

/// The server's early-data policy (`SSL_CTX_set_allow_early_data_cb`), implemented by the
/// FFI layer: asked when a client offers early data that would otherwise be accepted.
pub trait AllowEarlyDataCallback: Debug + Send + Sync {
    /// False to reject the early data (the handshake goes on without it).
    fn allow(&self, ssl: usize) -> bool;
}

/// The client-certificate callback (`SSL_CTX_set_client_cert_cb`), implemented by the FFI
/// layer: asked, when a server requests a certificate and none is set, for one to send.
pub trait ClientCertCallback: Debug + Send + Sync {
    /// The certificate and key to send; `None` to send none.
    fn call(&self, ssl: usize) -> Option<(Certificate, PrivateKey)>;
    /// The implementation itself, so the FFI layer can give the application its function
    /// back (`SSL_CTX_get_client_cert_cb`).
    fn as_any(&self) -> &dyn Any;
}
