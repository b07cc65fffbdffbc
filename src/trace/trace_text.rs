//! `SSL_trace`: one connection's records and messages as text, in the spirit of
//! OpenSSL's trace output (record headers, then each message by name).

use std::fmt::Write;

use super::wire_names as names;

fn content_type_name(t: u8) -> &'static str {
    match t {
        20 => "ChangeCipherSpec",
        21 => "Alert",
        22 => "Handshake",
        23 => "ApplicationData",
        _ => "Unknown",
    }
}

/// The text for one message-callback report.
pub fn describe(sent: bool, version: i32, content_type: i32, bytes: &[u8]) -> String {
    let mut out = String::new();
    let dir = if sent { "Sent" } else { "Received" };
    match content_type {
        0x100 => {
            let (ct, len) = match bytes {
                [ct, _, _, a, b, ..] => (*ct, u16::from_be_bytes([*a, *b])),
                _ => (0, 0),
            };
            let v = match bytes {
                [_, a, b, ..] => u16::from_be_bytes([*a, *b]),
                _ => 0,
            };
            let _ = write!(
                out,
                "{dir} Record\nHeader:\n  Version = {} (0x{v:x})\n  Content Type = {} ({ct})\n  Length = {len}\n",
                names::version(v),
                content_type_name(ct)
            );
        }
        0x101 => {
            let ct = bytes.first().copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "  Inner Content Type = {} ({ct})",
                content_type_name(ct)
            );
        }
        22 => {
            let t = bytes.first().copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "    {}, {} (0x{:x}), Length={}",
                names::handshake_type(t),
                names::version(u16::try_from(version).unwrap_or(0)),
                version,
                bytes.len().saturating_sub(4)
            );
        }
        21 => {
            let (level, desc) = match bytes {
                [l, d, ..] => (*l, *d),
                _ => (0, 0),
            };
            let _ = writeln!(
                out,
                "    Level={}({level}), description={}({desc})",
                if level == 2 { "fatal" } else { "warning" },
                names::alert(desc)
            );
        }
        20 => out.push_str("    change_cipher_spec (1)\n"),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_headers_and_messages() {
        let h = super::describe(true, 0x303, 0x100, &[22, 3, 1, 0, 200]);
        assert!(
            h.contains("Sent Record") && h.contains("Content Type = Handshake (22)"),
            "{h}"
        );
        let m = super::describe(false, 0x304, 22, &[2, 0, 0, 4, 0, 0, 0, 0]);
        assert!(m.contains("ServerHello, TLS 1.3 (0x304), Length=4"), "{m}");
    }
}
