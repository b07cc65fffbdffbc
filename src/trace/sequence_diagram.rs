//! The handshake drawn as a sequence diagram (text and SVG): two lifelines, one arrow per
//! message in the order sent, each with the keys it travelled under, the values it
//! carried and the step of the classic ten-step description it performs, with notes
//! where the protocol really negotiated departs from that description.

use std::fmt::Write;

use super::message_facts::{Facts, Resumption};
use super::tracer::{MessageKind, Outcome, Protection, TracedMessage};
use super::wire_names as names;

/// What the diagram is drawn from.
pub struct DiagramInput<'a> {
    /// Whose view: the side this process played.
    pub server: bool,
    pub messages: &'a [TracedMessage],
    pub facts: &'a Facts,
    pub outcome: &'a Outcome,
}

/// One row of the diagram: an arrow with its label and details, or a note.
enum Row {
    Arrow {
        from_client: bool,
        label: String,
        keys: &'static str,
        details: Vec<String>,
    },
    Note(String),
}

fn message_name(kind: MessageKind, facts: &Facts, from_client: bool) -> String {
    match kind {
        MessageKind::Handshake(2) if facts.hello_retry && !from_client => {
            // The first ServerHello of a retried handshake is the HelloRetryRequest.
            "ServerHello".into()
        }
        MessageKind::Handshake(t) => names::handshake_type(t).into(),
        MessageKind::ChangeCipherSpec => "ChangeCipherSpec".into(),
        MessageKind::Alert { level, description } => format!(
            "Alert ({}, {})",
            if level == 2 { "fatal" } else { "warning" },
            names::alert(description)
        ),
        MessageKind::ApplicationData => "application data".into(),
        MessageKind::Unreadable => "protected record".into(),
    }
}

fn keys_name(p: Protection, tls13: bool) -> &'static str {
    match (p, tls13) {
        (Protection::Plaintext, _) => "plaintext",
        (Protection::HandshakeKeys, _) => "handshake keys",
        (Protection::ApplicationKeys, true) => "application keys",
        (Protection::ApplicationKeys, false) => "session keys",
    }
}

/// The rows of the diagram, steps and notes included.
fn rows(input: &DiagramInput) -> Vec<Row> {
    let facts = input.facts;
    let tls13 = facts.tls13();
    let resumed = facts.resumption();
    let mut rows = Vec::new();
    let mut hello_retry_seen = false;
    let mut client_hellos = 0;
    let mut server_auth_noted = false;
    let mut keys_noted = false;
    let mut client_cert_noted = false;
    let mut ended = false;
    for (index, m) in input.messages.iter().enumerate() {
        let from_client = m.from_client;
        let mut notes_after: Vec<String> = Vec::new();
        let step: Option<String> = match (m.kind, from_client) {
            (MessageKind::Handshake(1), true) => {
                client_hellos += 1;
                Some(if client_hellos > 1 {
                    "1 (again)".into()
                } else {
                    "1".into()
                })
            }
            (MessageKind::Handshake(2), false) => {
                if facts.hello_retry && !hello_retry_seen {
                    hello_retry_seen = true;
                    notes_after.push(
                        "HelloRetryRequest: the server wants a key share the client did not send; \
                         the client says hello again"
                            .into(),
                    );
                    Some("2 (retry)".into())
                } else {
                    if tls13 && !keys_noted {
                        keys_noted = true;
                        notes_after.push(format!(
                            "7 both sides derive the handshake keys from the key shares{}; \
                             unlike step 4 of the classic description, no premaster secret is \
                             encrypted with the server's public key",
                            facts
                                .group
                                .map(|g| format!(" ({})", names::group(g)))
                                .unwrap_or_default()
                        ));
                    }
                    if let Some(r) = resumed {
                        notes_after.push(match r {
                            Resumption::Psk => "resumed with a ticket (PSK): the server sends no certificate, steps 2-6 shrink to the hellos".into(),
                            Resumption::SessionId => "resumed by session id: no certificates or key exchange; the server finishes first".into(),
                            Resumption::Ticket => "resumed with a session ticket: no certificates or key exchange; the server finishes first".into(),
                        });
                        if !tls13 && !keys_noted {
                            keys_noted = true;
                            notes_after.push(
                                "7 both sides derive new session keys from the resumed master secret".into(),
                            );
                        }
                    }
                    Some("2".into())
                }
            }
            (MessageKind::Handshake(8 | 12 | 13 | 14 | 22), false) => Some("2".into()),
            (MessageKind::Handshake(11 | 25), false) => {
                if !tls13 {
                    server_auth_noted = true;
                    notes_after.push(verify_note(input));
                }
                Some("2".into())
            }
            (MessageKind::Handshake(15), false) => {
                if !server_auth_noted {
                    server_auth_noted = true;
                    notes_after.push(verify_note(input));
                }
                Some("3".into())
            }
            (MessageKind::Handshake(16), true) => {
                if !keys_noted {
                    keys_noted = true;
                    notes_after.push(
                        "differs from step 4: the client sends an ECDHE public key instead of a \
                         premaster secret encrypted with the server's key (RSA key exchange is \
                         not offered: it has no forward secrecy)"
                            .into(),
                    );
                    notes_after.push(
                        "7 both sides derive the master secret and session keys from the ECDHE shared secret".into(),
                    );
                }
                Some("4".into())
            }
            (MessageKind::Handshake(11 | 25), true) => Some("5".into()),
            (MessageKind::Handshake(15), true) => {
                client_cert_noted = true;
                notes_after
                    .push("6 the server checks the client's certificate and signature".into());
                Some("5".into())
            }
            (MessageKind::ChangeCipherSpec, _) if tls13 => {
                notes_after.push(
                    "TLS 1.3 has no ChangeCipherSpec: this one is only a compatibility record for middleboxes".into(),
                );
                None
            }
            (MessageKind::ChangeCipherSpec | MessageKind::Handshake(20), true) => Some("8".into()),
            (MessageKind::ChangeCipherSpec | MessageKind::Handshake(20), false) => {
                if tls13 && matches!(m.kind, MessageKind::Handshake(20)) {
                    notes_after
                        .push("in TLS 1.3 the server finishes first (step 9 before step 8)".into());
                }
                Some("9".into())
            }
            (MessageKind::Handshake(4), false) => {
                notes_after.push("a ticket the client may use to resume later".into());
                None
            }
            (MessageKind::ApplicationData, _) => Some("10".into()),
            _ => None,
        };
        if !client_cert_noted
            && !from_client
            && matches!(m.kind, MessageKind::Handshake(20))
            && !facts.client_certificate_requested
            && resumed.is_none()
        {
            client_cert_noted = true;
            notes_after
                .push("steps 5-6 skipped: the server did not ask for a client certificate".into());
        }
        let name = message_name(m.kind, facts, from_client);
        let label = match step {
            Some(s) => format!("{s}  {name}"),
            None => name,
        };
        rows.push(Row::Arrow {
            from_client,
            label,
            keys: keys_name(m.protection, tls13),
            details: m.lines.clone(),
        });
        rows.extend(notes_after.into_iter().map(Row::Note));
        if input.outcome.completed_after == Some(index + 1) {
            ended = true;
            rows.push(Row::Note(ending(input)));
        }
    }
    if !ended {
        rows.push(Row::Note(ending(input)));
    }
    rows
}

fn verify_note(input: &DiagramInput) -> String {
    let who = if input.server {
        "the client (peer)"
    } else {
        "this client"
    };
    match &input.outcome.verify {
        Some((0, _)) => format!("3 {who} verifies the server's certificate: ok"),
        Some((code, text)) => {
            format!("3 {who} verifies the server's certificate: {text} ({code})")
        }
        None => format!("3 {who} verifies the server's certificate"),
    }
}

fn ending(input: &DiagramInput) -> String {
    let o = input.outcome;
    if o.completed {
        let mut s = "handshake complete".to_owned();
        if o.resumed {
            s.push_str(" (resumed session)");
        }
        let _ = write!(
            s,
            "; step 10: application data flows under the {}",
            keys_name(Protection::ApplicationKeys, input.facts.tls13())
        );
        s
    } else if o.failed {
        let last = input
            .messages
            .iter()
            .rev()
            .find(|m| !matches!(m.kind, MessageKind::Alert { .. } | MessageKind::Unreadable));
        let mut s = match last {
            None if o.peer_not_tls => {
                "handshake FAILED: the peer sent bytes that are not TLS records".into()
            }
            Some(m) => format!(
                "handshake FAILED after the {}'s {}",
                if m.from_client { "client" } else { "server" },
                message_name(m.kind, input.facts, m.from_client)
            ),
            None => "handshake FAILED before any message".into(),
        };
        for m in input.messages {
            if let MessageKind::Alert { description, .. } = m.kind {
                let by_us = m.from_client != input.server;
                let _ = write!(
                    s,
                    "; alert {} {}: {}",
                    if by_us { "sent" } else { "received" },
                    if by_us {
                        "to the peer"
                    } else {
                        "from the peer"
                    },
                    names::alert(description)
                );
            }
        }
        if let Some(e) = &o.error {
            let _ = write!(s, "; error: {e}");
        }
        s
    } else {
        "handshake in progress".into()
    }
}

fn summary(input: &DiagramInput) -> Vec<String> {
    let f = input.facts;
    let mut out = Vec::new();
    let mut line = format!(
        "ferrossl handshake trace, {} side",
        if input.server { "server" } else { "client" }
    );
    if let Some(v) = f.version {
        let _ = write!(line, ": {}", names::version(v));
    }
    if let Some(s) = f.suite {
        let _ = write!(line, ", {}", names::cipher_suite(s));
    }
    if let Some(g) = f.group {
        let _ = write!(line, ", {}", names::group(g));
    }
    out.push(line);
    let mut parts: Vec<String> = Vec::new();
    if let Some(n) = &f.sni {
        parts.push(format!("SNI {n}"));
    }
    if let Some(a) = &f.alpn {
        parts.push(format!("ALPN {a}"));
    }
    if f.server_random.is_some() {
        parts.push(
            match f.resumption() {
                Some(Resumption::Psk) => "resumed (PSK ticket)",
                Some(Resumption::SessionId) => "resumed (session id)",
                Some(Resumption::Ticket) => "resumed (session ticket)",
                None => "full handshake",
            }
            .into(),
        );
    }
    let mut line = parts.join("; ");
    if f.client_certificate_requested {
        line.push_str("; client certificate requested");
    }
    if let Some((code, text)) = &input.outcome.verify {
        let _ = write!(line, "; verification: {text} ({code})");
    }
    if !line.is_empty() {
        out.push(line.trim_start_matches("; ").to_owned());
    }
    out
}

const WIDTH: usize = 66;

/// The diagram as text.
pub fn text(input: &DiagramInput) -> String {
    let mut out = String::new();
    for l in summary(input) {
        out.push_str(&l);
        out.push('\n');
    }
    let _ = writeln!(out, "  {:<w$}server", "client", w = WIDTH - 4);
    let bar = |content: &str| -> String {
        let inner = WIDTH - 4;
        if content.chars().count() <= inner {
            format!("  |{content:<inner$}|\n")
        } else {
            format!("  |{content}\n")
        }
    };
    for row in rows(input) {
        match row {
            Row::Arrow {
                from_client,
                label,
                keys,
                details,
            } => {
                let head = format!(" {label}");
                let tag = format!("[{keys}] ");
                let room = (WIDTH - 4).saturating_sub(head.chars().count());
                out.push_str(&bar(&format!("{head}{tag:>room$}")));
                let shaft = "-".repeat(WIDTH - 5);
                out.push_str(&if from_client {
                    format!("  |{shaft}>|\n")
                } else {
                    format!("  |<{shaft}|\n")
                });
                for d in details {
                    out.push_str(&bar(&format!("    {d}")));
                }
            }
            Row::Note(n) => {
                for (i, chunk) in wrap(&n, WIDTH - 8).into_iter().enumerate() {
                    let lead = if i == 0 { "  * " } else { "    " };
                    out.push_str(&bar(&format!("{lead}{chunk}")));
                }
            }
        }
    }
    out
}

fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in s.split(' ') {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_owned());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One line of SVG text.
fn svg_text(body: &mut String, x: usize, y: usize, class: &str, text: &str) {
    let _ = writeln!(
        body,
        r#"<text x="{x}" y="{y}" class="{class}">{}</text>"#,
        xml_escape(text)
    );
}

/// The diagram as a standalone SVG document.
pub fn svg(input: &DiagramInput) -> String {
    const W: usize = 860;
    const LEFT: usize = 110;
    const RIGHT: usize = 750;
    const LINE: usize = 16;
    let mut body = String::new();
    let mut y = 20;
    for l in summary(input) {
        let _ = writeln!(
            body,
            r#"<text x="20" y="{y}" font-weight="bold">{}</text>"#,
            xml_escape(&l)
        );
        y += LINE + 2;
    }
    y += 10;
    let top = y;
    let _ = writeln!(
        body,
        r#"<text x="{LEFT}" y="{y}" text-anchor="middle" font-weight="bold">client</text><text x="{RIGHT}" y="{y}" text-anchor="middle" font-weight="bold">server</text>"#
    );
    y += 20;
    let mut arrows = 0;
    for row in rows(input) {
        match row {
            Row::Arrow {
                from_client,
                label,
                keys,
                details,
            } => {
                arrows += 1;
                let _ = writeln!(
                    body,
                    r#"<text x="{}" y="{y}" class="label">{} <tspan class="keys">[{}]</tspan></text>"#,
                    LEFT + 12,
                    xml_escape(&label),
                    keys
                );
                y += 8;
                let (x1, x2) = if from_client {
                    (LEFT, RIGHT)
                } else {
                    (RIGHT, LEFT)
                };
                let _ = writeln!(
                    body,
                    r#"<line class="arrow {keys_class}" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" marker-end="url(#head)"/>"#,
                    keys_class = keys.replace(' ', "-")
                );
                y += LINE;
                for d in details {
                    svg_text(&mut body, LEFT + 24, y, "detail", &d);
                    y += LINE - 2;
                }
                y += 10;
            }
            Row::Note(n) => {
                for chunk in wrap(&n, 85) {
                    svg_text(&mut body, LEFT + 12, y, "note", &chunk);
                    y += LINE - 2;
                }
                y += 8;
            }
        }
    }
    let bottom = y;
    let height = y + 20;
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" viewBox="0 0 {W} {height}" font-family="monospace" font-size="12" data-arrows="{arrows}">
<style>
.label {{ font-weight: bold; }}
.keys {{ font-weight: normal; fill: #555; }}
.detail {{ fill: #333; }}
.note {{ fill: #7a4b00; font-style: italic; }}
.arrow {{ stroke: #222; stroke-width: 1.5; }}
.arrow.handshake-keys {{ stroke: #1f5fbf; }}
.arrow.application-keys, .arrow.session-keys {{ stroke: #1a7f37; }}
</style>
<defs><marker id="head" markerWidth="10" markerHeight="8" refX="10" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#222"/></marker></defs>
<rect width="100%" height="100%" fill="white"/>
<line x1="{LEFT}" y1="{lt}" x2="{LEFT}" y2="{bottom}" stroke="#888"/>
<line x1="{RIGHT}" y1="{lt}" x2="{RIGHT}" y2="{bottom}" stroke="#888"/>
{body}</svg>
"##,
        lt = top + 6
    )
}
