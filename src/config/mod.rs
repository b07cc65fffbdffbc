//! The configuration grammars and tables an application speaks in: cipher strings and
//! the suites behind them, `SSL_CONF` commands, groups, signature schemes, protocol
//! versions, ALPN lists. Each turns OpenSSL's notation into what rustls takes.
#![forbid(unsafe_code)]

pub mod alpn;
pub mod cipher;
pub mod cipher_string;
pub mod conf_cmd;
pub mod groups;
pub mod protocol_version;
pub mod signature_scheme;
