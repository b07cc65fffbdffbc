//! The serialised form of a session (`i2d_SSL_SESSION` / `d2i_SSL_SESSION`).
//!
//! A DER SEQUENCE of OCTET STRINGs, led by a tag that names the form and its version. A
//! client session carries rustls' encoding of its value (rustls patch 0007) with what
//! OpenSSL's form records (id, times, names, the peer's certificate, the ticket), so it
//! resumes in any process that has the bytes (`openssl s_client -sess_out`, then
//! `-sess_in`); a server session carries rustls' encoding of its own, so it resumes in
//! any process that shares the bytes (nginx workers sharing a session cache). Bytes of
//! another form or version, truncated or with a field out of range are refused.

use std::sync::Arc;

use crate::libcrypto::x509::Certificate;

use super::{lock, PeerRecord, Session, Tls12Details};

/// The tag of a client session's form.
const CLIENT_ENCODING_TAG: &[u8] = b"ferrossl client session v2";

/// The tag of a server session's form, which carries rustls' encoding of it.
const SERVER_ENCODING_TAG: &[u8] = b"ferrossl server session v2";

/// The kinds of client value in the form (an empty field: nothing to resume with).
const TLS13_VALUE: u8 = 13;
const TLS12_VALUE: u8 = 12;

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

/// The DER-framed form of a session.
pub fn encode(session: &Arc<Session>) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some(value) = session.server_value() {
        for field in [
            SERVER_ENCODING_TAG,
            &session.id(),
            &session.version().to_be_bytes(),
            &session.created().to_be_bytes(),
            &session.timeout().to_be_bytes(),
            &session.id_context(),
            &value,
        ] {
            der_push(&mut body, 0x04, field);
        }
    } else {
        for field in client_fields(session) {
            der_push(&mut body, 0x04, &field);
        }
    }
    let mut out = Vec::new();
    der_push(&mut out, 0x30, &body);
    out
}

/// A client session's fields, in the order `decode_client` reads them; secrets are wiped
/// when the fields go.
fn client_fields(s: &Session) -> Vec<zeroize::Zeroizing<Vec<u8>>> {
    let (kind, value) = match s.client_value_encoding() {
        Some((true, v)) => (vec![TLS13_VALUE], v),
        Some((false, v)) => (vec![TLS12_VALUE], v),
        None => (Vec::new(), Default::default()),
    };
    let peer = s.peer();
    let ticket = s
        .ticket_and_hint()
        .map(|(hint, t)| [&hint.to_be_bytes()[..], t].concat())
        .unwrap_or_default();
    let tls12 = s
        .tls12_details()
        .map(|d| [&[u8::from(d.extended_master_secret)][..], &d.master_key].concat())
        .unwrap_or_default();
    let fields: [Vec<u8>; 16] = [
        CLIENT_ENCODING_TAG.to_vec(),
        s.id(),
        s.version().to_be_bytes().to_vec(),
        s.created().to_be_bytes().to_vec(),
        s.timeout().to_be_bytes().to_vec(),
        s.id_context(),
        s.hostname().map(|h| h.into_bytes()).unwrap_or_default(),
        lock(&s.alpn_selected).clone().unwrap_or_default(),
        s.cipher()
            .map(|c| (c.id() as u16).to_be_bytes().to_vec())
            .unwrap_or_default(),
        kind,
        value.to_vec(),
        peer.as_ref()
            .and_then(|p| p.chain.first())
            .map(Certificate::to_der)
            .unwrap_or_default(),
        peer.map(|p| p.verify_result.to_be_bytes().to_vec())
            .unwrap_or_default(),
        // Known before the value is bound (a client asks before it offers the session).
        Some(s.max_early_data())
            .filter(|m| *m > 0)
            .map(|m| m.to_be_bytes().to_vec())
            .unwrap_or_default(),
        ticket,
        tls12,
    ];
    fields.into_iter().map(zeroize::Zeroizing::new).collect()
}

/// A big-endian number of exactly `N` bytes.
fn number<const N: usize>(field: &[u8]) -> Option<[u8; N]> {
    field.try_into().ok()
}

/// The client session of `fields` (`client_fields`' order).
fn decode_client(fields: &[&[u8]]) -> Option<Session> {
    let [_, id, version, created, timeout, id_context, hostname, alpn, cipher, kind, value, leaf, verify_result, max_early_data, ticket, tls12] =
        fields
    else {
        return None;
    };
    if id.len() > 32 || id_context.len() > 32 {
        return None;
    }
    let value = match kind {
        [] => None,
        [TLS13_VALUE] => Some((true, *value)),
        [TLS12_VALUE] => Some((false, *value)),
        _ => return None,
    };
    let version = u16::from_be_bytes(number(version)?);
    let s = Session::encoded_client(version, value)?;
    s.set_id(id);
    s.set_created(u64::from_be_bytes(number(created)?));
    s.set_timeout(u64::from_be_bytes(number(timeout)?));
    s.set_id_context(id_context);
    if !hostname.is_empty() {
        s.set_hostname(Some(std::ffi::CString::new(*hostname).ok()?));
    }
    if !alpn.is_empty() {
        s.set_alpn_selected(Some(alpn));
    }
    if !cipher.is_empty() {
        s.set_cipher(Some(crate::config::cipher::by_id(number(cipher)?)?));
    }
    if !leaf.is_empty() {
        let verify_result = std::os::raw::c_long::from_be_bytes(number(verify_result)?);
        s.set_peer(PeerRecord {
            chain: vec![Certificate::from_der_exact(leaf)?],
            verify_result,
            leaf_only: true,
        });
    }
    if !max_early_data.is_empty() {
        s.set_max_early_data(u32::from_be_bytes(number(max_early_data)?));
    }
    let ticket = match ticket.len() {
        0 => None,
        4.. => Some((
            u32::from_be_bytes(number(&ticket[..4])?),
            ticket[4..].to_vec(),
        )),
        _ => return None,
    };
    match (tls12.split_first(), version) {
        (Some((&ems, master_key)), _) => s.set_tls12_details(Tls12Details {
            master_key: master_key.to_vec(),
            extended_master_secret: ems == 1,
            ticket,
        }),
        (None, 0x0304) => {
            if let Some(t) = ticket {
                let _ = s.tls13_ticket.set(t);
            }
        }
        (None, _) => {}
    }
    Some(s)
}

/// The session a serialised form describes.
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
        [tag, ..] if *tag == CLIENT_ENCODING_TAG => decode_client(&fields).map(Arc::new),
        [tag, id, version, created, timeout, id_context, value] if *tag == SERVER_ENCODING_TAG => {
            if id.len() > 32 || id_context.len() > 32 {
                return None;
            }
            let s = Session::server(id, value.to_vec());
            s.set_created(u64::from_be_bytes(number(created)?));
            s.set_version(u16::from_be_bytes(number(version)?));
            s.set_timeout(u64::from_be_bytes(number(timeout)?));
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

    /// rustls' encoding (patch 0007) of a TLS 1.3 value: TLS_AES_256_GCM_SHA384, a
    /// 16 KiB early data limit, ticket 01 02 03, a 48-byte secret, no certificates.
    fn tls13_value() -> Vec<u8> {
        let mut v = vec![1, 0x13, 0x02];
        v.extend(7u32.to_be_bytes());
        v.extend(16384u32.to_be_bytes());
        v.extend([0, 0]);
        v.extend([0, 3, 1, 2, 3]);
        v.push(48);
        v.extend([0x5a; 48]);
        v.extend(1_000u64.to_be_bytes());
        v.extend(7200u32.to_be_bytes());
        v.extend([0, 0, 0]);
        v
    }

    #[test]
    fn client_sessions_round_trip_with_their_value() {
        let s = Session::encoded_client(0x0304, Some((true, &tls13_value()))).unwrap();
        let s = Arc::new(s);
        s.set_timeout(300);
        s.set_hostname(Some(c"example.test".into()));
        s.set_alpn_selected(Some(b"h2"));
        let _ = s.tls13_ticket.set((7200, vec![1, 2, 3]));
        let der = encode(&s);
        assert_eq!(encoded_len(&der), Some(der.len()));
        let back = decode(&der).expect("a client session decodes in any process");
        assert_eq!(back.id(), s.id());
        assert_eq!(back.version(), 0x0304);
        assert_eq!(back.timeout(), 300);
        assert_eq!(back.hostname().as_deref(), Some(c"example.test"));
        assert_eq!(back.ticket(), Some(&[1, 2, 3][..]));
        assert_eq!(back.ticket_lifetime_hint(), 7200);
        assert_eq!(
            back.client_value_encoding().map(|(t, v)| (t, v.to_vec())),
            Some((true, tls13_value()))
        );
        assert_eq!(encode(&back), der);
        for cut in 0..der.len() {
            assert!(decode(&der[..cut]).is_none(), "truncated at {cut}");
        }
        assert!(decode(b"\x30\x03abc").is_none());

        // Bound to a connection's config, the value is one rustls resumes with.
        let (verifier, resolver) = super::super::client_value::unbound();
        let suites = crate::context::provider().cipher_suites.clone();
        back.bind_client_value(&suites, &verifier, &resolver);
        assert!(back.is_resumable());
        assert_eq!(back.max_early_data(), 16384);
        // One for suites the connection does not offer leaves nothing to resume with.
        let other = Session::encoded_client(0x0304, Some((true, &tls13_value()))).unwrap();
        let tls12_only: Vec<_> = suites
            .iter()
            .filter(|s| s.tls13().is_none())
            .copied()
            .collect();
        other.bind_client_value(&tls12_only, &verifier, &resolver);
        assert!(!other.is_resumable());
        // A value rustls does not read is refused as the bytes are read.
        assert!(Session::encoded_client(0x0304, Some((false, &tls13_value()))).is_none());
    }

    #[test]
    fn unresumable_client_sessions_round_trip() {
        let s = Arc::new(Session::unresumable(0x0303));
        let back = decode(&encode(&s)).unwrap();
        assert_eq!(back.version(), 0x0303);
        assert!(!back.is_resumable());
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
