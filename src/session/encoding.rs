//! The serialised form of a session (`i2d_SSL_SESSION` / `d2i_SSL_SESSION`).
//!
//! rustls does not let a client's resumption secrets out, so a serialised client session
//! names the session by its id: this process keeps the most recently serialised ones
//! (until they expire), so the bytes turn back into the session after the application
//! freed its object (Node.js keeps only the bytes between connections); they are refused
//! in another process. A server's session carries rustls' own
//! encoding of it, so it resumes in any process that shares the bytes (nginx workers
//! sharing a session cache).

use std::sync::{Arc, Mutex};

use super::Session;

/// The tag of a client session's form, which names a live session.
const ENCODING_TAG: &[u8] = b"ferrossl session v1";

/// The tag of a server session's form, which carries rustls' encoding of it.
const SERVER_ENCODING_TAG: &[u8] = b"ferrossl server session v2";

/// How many serialised client sessions the process keeps alive (Node.js caches 100 per
/// agent by default).
const KEPT_CLIENT_SESSIONS: usize = 512;

/// The serialised client sessions this process can turn back, oldest first.
#[derive(Default)]
struct Registry(std::collections::VecDeque<Arc<Session>>);

impl Registry {
    fn keep(&mut self, session: &Arc<Session>) {
        self.0.retain(|s| !Arc::ptr_eq(s, session) && !s.expired());
        if self.0.len() == KEPT_CLIENT_SESSIONS {
            self.0.pop_front();
        }
        self.0.push_back(Arc::clone(session));
    }

    fn find(&self, name: &[u8; 32]) -> Option<Arc<Session>> {
        self.0.iter().find(|s| &s.name == name).cloned()
    }
}

fn registry() -> &'static Mutex<Registry> {
    static REGISTRY: std::sync::OnceLock<Mutex<Registry>> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(Default::default)
}

/// Appends a DER element (definite length, short or long form).
fn der_push(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
}

/// Splits one DER element off `input`: (tag, content, rest).
fn der_take(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |a, b| a << 8 | usize::from(*b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The DER-framed form of a session: SEQUENCE { OCTET STRING tag, OCTET STRING id, ... }.
pub fn encode(session: &Arc<Session>) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some(value) = session.server_value() {
        der_push(&mut body, 0x04, SERVER_ENCODING_TAG);
        der_push(&mut body, 0x04, &session.id());
        der_push(&mut body, 0x04, &session.version().to_be_bytes());
        der_push(&mut body, 0x04, &session.created().to_be_bytes());
        der_push(&mut body, 0x04, &session.timeout().to_be_bytes());
        der_push(&mut body, 0x04, &session.id_context());
        der_push(&mut body, 0x04, &value);
    } else {
        registry()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keep(session);
        der_push(&mut body, 0x04, ENCODING_TAG);
        der_push(&mut body, 0x04, &session.name);
    }
    let mut out = Vec::new();
    der_push(&mut out, 0x30, &body);
    out
}

/// The session a serialised form describes: a server session rebuilt from its bytes, or
/// the client session it names (if this process still keeps it).
pub fn decode(der: &[u8]) -> Option<Arc<Session>> {
    let (0x30, body, _) = der_take(der)? else {
        return None;
    };
    let mut fields = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (0x04, content, next) = der_take(rest)? else {
            return None;
        };
        fields.push(content);
        rest = next;
    }
    match fields.as_slice() {
        [tag, id] if *tag == ENCODING_TAG => {
            let id: [u8; 32] = (*id).try_into().ok()?;
            let kept = registry().lock().ok()?.find(&id)?;
            Some(Arc::new(kept.deserialised_copy()))
        }
        [tag, id, version, created, timeout, id_context, value] if *tag == SERVER_ENCODING_TAG => {
            if id.len() > 32 || id_context.len() > 32 {
                return None;
            }
            let s = Session::server(id, value.to_vec());
            s.set_created(u64::from_be_bytes((*created).try_into().ok()?));
            s.set_version(u16::from_be_bytes((*version).try_into().ok()?));
            s.set_timeout(u64::from_be_bytes((*timeout).try_into().ok()?));
            s.set_id_context(id_context);
            Some(Arc::new(s))
        }
        _ => None,
    }
}

/// The length of the serialised form (what `d2i_SSL_SESSION` consumes).
pub fn encoded_len(der: &[u8]) -> Option<usize> {
    let (0x30, _, rest) = der_take(der)? else {
        return None;
    };
    Some(der.len() - rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialised_sessions_round_trip_in_process() {
        let s = Arc::new(Session::unresumable(0x0304));
        let der = encode(&s);
        assert_eq!(encoded_len(&der), Some(der.len()));
        assert_eq!(decode(&der).unwrap().id(), s.id());
        drop(s);
        let kept = decode(&der).expect("the application's object is gone, the session is kept");
        // The oldest serialised sessions make way for newer ones.
        for _ in 0..KEPT_CLIENT_SESSIONS {
            encode(&Arc::new(Session::unresumable(0x0304)));
        }
        assert!(
            decode(&der).is_none(),
            "an evicted session cannot come back"
        );
        assert!(decode(&encode(&kept)).is_some());
        assert!(decode(b"\x30\x03abc").is_none());
    }

    #[test]
    fn server_sessions_serialise_their_bytes() {
        let s = Arc::new(Session::server(&[9; 32], vec![5; 300]));
        s.set_version(0x0303);
        s.set_timeout(300);
        let der = encode(&s);
        assert_eq!(encoded_len(&der), Some(der.len()));
        drop(s);
        let back = decode(&der).expect("a server session needs no registry");
        assert_eq!(back.id(), &[9; 32]);
        assert_eq!(back.version(), 0x0303);
        assert_eq!(back.timeout(), 300);
        assert_eq!(back.server_value(), Some(vec![5; 300]));
        for cut in 0..der.len() {
            assert!(decode(&der[..cut]).is_none(), "truncated at {cut}");
        }
    }
}
