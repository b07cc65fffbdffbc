//! Key logging (`SSL_CTX_set_keylog_callback`): rustls' secrets as NSS key-log lines,
//! handed to the application's callback for the connection they belong to.

use std::ffi::CString;
use std::fmt::Write;

use crate::connection::handshake_scope;

/// Where key-log lines go: the application's callback, implemented by the FFI layer.
pub trait KeyLogSink: std::fmt::Debug + Send + Sync {
    /// `ssl` is the connection's C handle; `line` has no trailing newline, as OpenSSL's.
    fn log(&self, ssl: usize, line: &CString);
    /// The implementation itself, so the FFI layer can give the application its function
    /// back (`SSL_CTX_get_keylog_callback`).
    fn as_any(&self) -> &dyn std::any::Any;
}

/// The rustls key log of every config: it keeps the secrets the connection itself needs
/// (its Finished records, the trace), and formats the line for the application's sink,
/// if the connection whose step is running has one.
#[derive(Debug)]
pub struct ScopedKeyLog;

/// `LABEL <client random> <secret>`, hex in lower case.
pub fn nss_line(label: &str, client_random: &[u8], secret: &[u8]) -> String {
    let mut line =
        String::with_capacity(label.len() + 2 + 2 * (client_random.len() + secret.len()));
    line.push_str(label);
    for (sep, bytes) in [(' ', client_random), (' ', secret)] {
        line.push(sep);
        for b in bytes {
            let _ = write!(line, "{b:02x}");
        }
    }
    line
}

impl rustls::KeyLog for ScopedKeyLog {
    fn log(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        let Some(scope) = handshake_scope::current() else {
            return;
        };
        scope
            .finished_secrets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert_with(Box::default)
            .record(label, secret);
        if let Some(secrets) = &scope.trace_secrets {
            secrets.record(label, secret);
        }
        let Some(sink) = &scope.key_log else { return };
        if let Ok(line) = CString::new(nss_line(label, client_random, secret)) {
            sink.log(scope.ssl, &line);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_nss_lines() {
        assert_eq!(
            super::nss_line("CLIENT_RANDOM", &[0xab, 0x01], &[0xff]),
            "CLIENT_RANDOM ab01 ff"
        );
    }
}
