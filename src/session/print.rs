//! `SSL_SESSION_print` and `SSL_SESSION_print_keylog`: a session as OpenSSL prints it.

use super::Session;

/// Upper-case hex, as OpenSSL prints session ids and keys.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// `SSL_SESSION_print`'s text: the lines before the ticket, the ticket to dump (as
/// `BIO_dump_indent` does), the lines after it.
#[derive(Debug)]
pub struct SessionText {
    pub head: String,
    pub ticket: Option<Vec<u8>>,
    pub tail: String,
}

impl Session {
    /// `SSL_SESSION_print`'s text, in OpenSSL's layout (as Debian's OpenSSL prints it, with
    /// PSK and SRP built in). A TLS 1.3 session's resumption secret and ticket lifetime
    /// stay inside rustls: that line is empty, and the hint left out, as for a session
    /// without them.
    pub fn describe(&self) -> SessionText {
        let verify = self.peer().map_or(0, |p| p.verify_result);
        let tls13 = self.version() == 0x0304;
        let details = self.tls12_details();
        let mut head = format!(
            "SSL-Session:\n    Protocol  : {}\n    Cipher    : {}\n    Session-ID: {}\n    Session-ID-ctx: {}\n    {}: {}\n    PSK identity: None\n    PSK identity hint: None\n    SRP username: None",
            crate::config::protocol_version::name(std::os::raw::c_int::from(self.version())).to_string_lossy(),
            self.cipher()
                .map_or("0000".into(), |c| c.name.to_string_lossy().into_owned()),
            hex(&self.id()),
            hex(&self.id_context()),
            if tls13 { "Resumption PSK" } else { "Master-Key" },
            hex(details.map_or(&[][..], |d| &d.master_key)),
        );
        let ticket = details.and_then(|d| d.ticket.as_ref());
        if let Some((hint, _)) = ticket.filter(|(hint, _)| *hint != 0) {
            head.push_str(&format!(
                "\n    TLS session ticket lifetime hint: {hint} (seconds)"
            ));
        }
        let mut tail = format!(
            "\n    Start Time: {}\n    Timeout   : {} (sec)\n    Verify return code: {verify} ({})\n    Extended master secret: {}\n",
            self.created(),
            self.timeout(),
            crate::libcrypto::store::verify_result_text(verify),
            if details.is_some_and(|d| d.extended_master_secret) {
                "yes"
            } else {
                "no"
            },
        );
        if tls13 {
            tail.push_str(&format!("    Max Early Data: {}\n", self.max_early_data()));
        }
        SessionText {
            head,
            ticket: ticket.map(|(_, t)| t.clone()).filter(|t| !t.is_empty()),
            tail,
        }
    }

    /// `SSL_SESSION_print_keylog`'s line, for a session with an id and a (TLS 1.2) master
    /// secret; OpenSSL prints none for the others.
    pub fn keylog_line(&self) -> Option<String> {
        let id = self.id();
        let key = &self.tls12_details()?.master_key;
        (!id.is_empty() && !key.is_empty())
            .then(|| format!("RSA Session-ID:{} Master-Key:{}\n", hex(&id), hex(key)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Resumable, Tls12Details};

    #[test]
    fn prints_a_tls12_session_as_openssl() {
        let s = Session::new(0x0303, Resumable::Server(Vec::new()));
        s.set_tls12_details(Tls12Details {
            master_key: vec![0xab; 48],
            extended_master_secret: true,
            ticket: Some((7200, vec![1, 2, 3])),
        });
        let text = s.describe();
        assert!(text
            .head
            .contains(&format!("\n    Master-Key: {}\n", "AB".repeat(48))));
        assert!(text
            .head
            .ends_with("SRP username: None\n    TLS session ticket lifetime hint: 7200 (seconds)"));
        assert_eq!(text.ticket.as_deref(), Some(&[1, 2, 3][..]));
        assert!(text.tail.starts_with("\n    Start Time: "));
        assert!(text.tail.ends_with("\n    Extended master secret: yes\n"));
        assert!(s.has_ticket());
        assert_eq!(s.ticket_lifetime_hint(), 7200);
        let line = s.keylog_line().unwrap();
        assert!(
            line.starts_with("RSA Session-ID:")
                && line.ends_with(&format!("Master-Key:{}\n", "AB".repeat(48)))
        );
    }
}
