//! OpenSSL's handshake states (`OSSL_HANDSHAKE_STATE`), as `SSL_get_state` returns them
//! and `SSL_state_string(_long)` names them, derived from the messages a connection sent
//! and received.

use std::ffi::CStr;
use std::os::raw::c_int;

/// `OSSL_HANDSHAKE_STATE` values, with OpenSSL's names (the order of its enum).
pub mod st {
    use std::os::raw::c_int;
    pub const TLS_ST_BEFORE: c_int = 0;
    pub const TLS_ST_OK: c_int = 1;
    pub const TLS_ST_CR_SRVR_HELLO: c_int = 3;
    pub const TLS_ST_CR_CERT: c_int = 4;
    pub const TLS_ST_CR_CERT_STATUS: c_int = 5;
    pub const TLS_ST_CR_KEY_EXCH: c_int = 6;
    pub const TLS_ST_CR_CERT_REQ: c_int = 7;
    pub const TLS_ST_CR_SRVR_DONE: c_int = 8;
    pub const TLS_ST_CR_SESSION_TICKET: c_int = 9;
    pub const TLS_ST_CR_CHANGE: c_int = 10;
    pub const TLS_ST_CR_FINISHED: c_int = 11;
    pub const TLS_ST_CW_CLNT_HELLO: c_int = 12;
    pub const TLS_ST_CW_CERT: c_int = 13;
    pub const TLS_ST_CW_KEY_EXCH: c_int = 14;
    pub const TLS_ST_CW_CERT_VRFY: c_int = 15;
    pub const TLS_ST_CW_CHANGE: c_int = 16;
    pub const TLS_ST_CW_FINISHED: c_int = 18;
    pub const TLS_ST_SW_HELLO_REQ: c_int = 19;
    pub const TLS_ST_SR_CLNT_HELLO: c_int = 20;
    pub const TLS_ST_SW_SRVR_HELLO: c_int = 22;
    pub const TLS_ST_SW_CERT: c_int = 23;
    pub const TLS_ST_SW_KEY_EXCH: c_int = 24;
    pub const TLS_ST_SW_CERT_REQ: c_int = 25;
    pub const TLS_ST_SW_SRVR_DONE: c_int = 26;
    pub const TLS_ST_SR_CERT: c_int = 27;
    pub const TLS_ST_SR_KEY_EXCH: c_int = 28;
    pub const TLS_ST_SR_CERT_VRFY: c_int = 29;
    pub const TLS_ST_SR_CHANGE: c_int = 31;
    pub const TLS_ST_SR_FINISHED: c_int = 32;
    pub const TLS_ST_SW_SESSION_TICKET: c_int = 33;
    pub const TLS_ST_SW_CERT_STATUS: c_int = 34;
    pub const TLS_ST_SW_CHANGE: c_int = 35;
    pub const TLS_ST_SW_FINISHED: c_int = 36;
    pub const TLS_ST_SW_ENCRYPTED_EXTENSIONS: c_int = 37;
    pub const TLS_ST_CR_ENCRYPTED_EXTENSIONS: c_int = 38;
    pub const TLS_ST_CR_CERT_VRFY: c_int = 39;
    pub const TLS_ST_SW_CERT_VRFY: c_int = 40;
    pub const TLS_ST_CR_HELLO_REQ: c_int = 41;
    pub const TLS_ST_SW_KEY_UPDATE: c_int = 42;
    pub const TLS_ST_CW_KEY_UPDATE: c_int = 43;
    pub const TLS_ST_SR_KEY_UPDATE: c_int = 44;
    pub const TLS_ST_CR_KEY_UPDATE: c_int = 45;
    pub const TLS_ST_EARLY_DATA: c_int = 46;
    pub const TLS_ST_SR_END_OF_EARLY_DATA: c_int = 49;
}

/// The state OpenSSL enters when it sends (`sent`) or receives a handshake message of
/// type `msg_type` (ChangeCipherSpec is `msg_type` 0x101 here), on a server or a client.
pub fn after_message(server: bool, sent: bool, msg_type: u16, tls13: bool) -> Option<c_int> {
    use st::*;
    // OpenSSL 3.0 has no state of its own for RFC 8879's CompressedCertificate: its
    // applications see the Certificate state it stands for.
    const COMPRESSED_CERTIFICATE: u16 = 25;
    let msg_type = if msg_type == COMPRESSED_CERTIFICATE {
        11
    } else {
        msg_type
    };
    let state = match (server, sent, msg_type) {
        (_, _, 0x101) => match (server, sent) {
            (false, true) => TLS_ST_CW_CHANGE,
            (false, false) => TLS_ST_CR_CHANGE,
            (true, true) => TLS_ST_SW_CHANGE,
            (true, false) => TLS_ST_SR_CHANGE,
        },
        // A client writing.
        (false, true, 1) => TLS_ST_CW_CLNT_HELLO,
        (false, true, 11) => TLS_ST_CW_CERT,
        (false, true, 15) => TLS_ST_CW_CERT_VRFY,
        (false, true, 16) => TLS_ST_CW_KEY_EXCH,
        (false, true, 20) => TLS_ST_CW_FINISHED,
        (false, true, 24) => TLS_ST_CW_KEY_UPDATE,
        // A client reading.
        (false, false, 0) => TLS_ST_CR_HELLO_REQ,
        (false, false, 2) => TLS_ST_CR_SRVR_HELLO,
        (false, false, 4) => TLS_ST_CR_SESSION_TICKET,
        (false, false, 8) => TLS_ST_CR_ENCRYPTED_EXTENSIONS,
        (false, false, 11) => TLS_ST_CR_CERT,
        (false, false, 12) => TLS_ST_CR_KEY_EXCH,
        (false, false, 13) => TLS_ST_CR_CERT_REQ,
        (false, false, 14) => TLS_ST_CR_SRVR_DONE,
        (false, false, 15) if tls13 => TLS_ST_CR_CERT_VRFY,
        (false, false, 20) => TLS_ST_CR_FINISHED,
        (false, false, 22) => TLS_ST_CR_CERT_STATUS,
        (false, false, 24) => TLS_ST_CR_KEY_UPDATE,
        // A server writing.
        (true, true, 0) => TLS_ST_SW_HELLO_REQ,
        (true, true, 2) => TLS_ST_SW_SRVR_HELLO,
        (true, true, 4) => TLS_ST_SW_SESSION_TICKET,
        (true, true, 8) => TLS_ST_SW_ENCRYPTED_EXTENSIONS,
        (true, true, 11) => TLS_ST_SW_CERT,
        (true, true, 12) => TLS_ST_SW_KEY_EXCH,
        (true, true, 13) => TLS_ST_SW_CERT_REQ,
        (true, true, 14) => TLS_ST_SW_SRVR_DONE,
        (true, true, 15) => TLS_ST_SW_CERT_VRFY,
        (true, true, 20) => TLS_ST_SW_FINISHED,
        (true, true, 22) => TLS_ST_SW_CERT_STATUS,
        (true, true, 24) => TLS_ST_SW_KEY_UPDATE,
        // A server reading.
        (true, false, 1) => TLS_ST_SR_CLNT_HELLO,
        (true, false, 5) => TLS_ST_SR_END_OF_EARLY_DATA,
        (true, false, 11) => TLS_ST_SR_CERT,
        (true, false, 15) => TLS_ST_SR_CERT_VRFY,
        (true, false, 16) => TLS_ST_SR_KEY_EXCH,
        (true, false, 20) => TLS_ST_SR_FINISHED,
        (true, false, 24) => TLS_ST_SR_KEY_UPDATE,
        _ => return None,
    };
    Some(state)
}

/// `SSL_state_string_long` and `SSL_state_string` of a state.
pub fn names(state: c_int) -> (&'static CStr, &'static CStr) {
    use st::*;
    match state {
        TLS_ST_BEFORE => (c"before SSL initialization", c"PINIT"),
        TLS_ST_OK => (c"SSL negotiation finished successfully", c"SSLOK"),
        TLS_ST_CR_SRVR_HELLO => (c"SSLv3/TLS read server hello", c"TRSH"),
        TLS_ST_CR_CERT => (c"SSLv3/TLS read server certificate", c"TRSC"),
        TLS_ST_CR_CERT_STATUS => (c"SSLv3/TLS read certificate status", c"TRCS"),
        TLS_ST_CR_KEY_EXCH => (c"SSLv3/TLS read server key exchange", c"TRSKE"),
        TLS_ST_CR_CERT_REQ => (c"SSLv3/TLS read server certificate request", c"TRCR"),
        TLS_ST_CR_SRVR_DONE => (c"SSLv3/TLS read server done", c"TRSD"),
        TLS_ST_CR_SESSION_TICKET => (c"SSLv3/TLS read server session ticket", c"TRST"),
        TLS_ST_CR_CHANGE | TLS_ST_SR_CHANGE => (c"SSLv3/TLS read change cipher spec", c"TRCCS"),
        TLS_ST_CR_FINISHED | TLS_ST_SR_FINISHED => (c"SSLv3/TLS read finished", c"TRFIN"),
        TLS_ST_CW_CLNT_HELLO => (c"SSLv3/TLS write client hello", c"TWCH"),
        TLS_ST_CW_CERT => (c"SSLv3/TLS write client certificate", c"TWCC"),
        TLS_ST_CW_KEY_EXCH => (c"SSLv3/TLS write client key exchange", c"TWCKE"),
        TLS_ST_CW_CERT_VRFY => (c"SSLv3/TLS write certificate verify", c"TWCV"),
        TLS_ST_CW_CHANGE | TLS_ST_SW_CHANGE => (c"SSLv3/TLS write change cipher spec", c"TWCCS"),
        TLS_ST_CW_FINISHED | TLS_ST_SW_FINISHED => (c"SSLv3/TLS write finished", c"TWFIN"),
        TLS_ST_SW_HELLO_REQ => (c"SSLv3/TLS write hello request", c"TWHR"),
        TLS_ST_SR_CLNT_HELLO => (c"SSLv3/TLS read client hello", c"TRCH"),
        TLS_ST_SW_SRVR_HELLO => (c"SSLv3/TLS write server hello", c"TWSH"),
        TLS_ST_SW_CERT => (c"SSLv3/TLS write certificate", c"TWSC"),
        TLS_ST_SW_KEY_EXCH => (c"SSLv3/TLS write key exchange", c"TWSKE"),
        TLS_ST_SW_CERT_REQ => (c"SSLv3/TLS write certificate request", c"TWCR"),
        TLS_ST_SW_SRVR_DONE => (c"SSLv3/TLS write server done", c"TWSD"),
        TLS_ST_SR_CERT => (c"SSLv3/TLS read client certificate", c"TRCC"),
        TLS_ST_SR_KEY_EXCH => (c"SSLv3/TLS read client key exchange", c"TRCKE"),
        TLS_ST_SR_CERT_VRFY => (c"SSLv3/TLS read certificate verify", c"TRCV"),
        TLS_ST_SW_SESSION_TICKET => (c"SSLv3/TLS write session ticket", c"TWST"),
        TLS_ST_SW_CERT_STATUS => (c"SSLv3/TLS write certificate status", c"TWCS"),
        TLS_ST_SW_ENCRYPTED_EXTENSIONS => (c"TLSv1.3 write encrypted extensions", c"TWEE"),
        TLS_ST_CR_ENCRYPTED_EXTENSIONS => (c"TLSv1.3 read encrypted extensions", c"TREE"),
        TLS_ST_CR_CERT_VRFY => (c"TLSv1.3 read server certificate verify", c"TRSCV"),
        TLS_ST_SW_CERT_VRFY => (c"TLSv1.3 write server certificate verify", c"TWSCV"),
        TLS_ST_CR_HELLO_REQ => (c"SSLv3/TLS read hello request", c"TRHR"),
        TLS_ST_SW_KEY_UPDATE => (c"TLSv1.3 write server key update", c"TWSKU"),
        TLS_ST_CW_KEY_UPDATE => (c"TLSv1.3 write client key update", c"TWCKU"),
        TLS_ST_SR_KEY_UPDATE => (c"TLSv1.3 read client key update", c"TRCKU"),
        TLS_ST_CR_KEY_UPDATE => (c"TLSv1.3 read server key update", c"TRSKU"),
        TLS_ST_EARLY_DATA => (c"TLSv1.3 early data", c"TED"),
        TLS_ST_SR_END_OF_EARLY_DATA => (c"TLSv1.3 read end of early data", c"TWEOED"),
        _ => (c"unknown state", c"UNKWN"),
    }
}

/// What `SSL_state_string(_long)` say of a connection in error.
pub const ERROR_NAMES: (&CStr, &CStr) = (c"error", c"SSLERR");
