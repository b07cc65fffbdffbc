//! The ClientHello as OpenSSL's client-hello callback shows it (`SSL_client_hello_get0_*`):
//! its fields and extensions exactly as the client sent them, parsed from the records a
//! server received before rustls took them.

use crate::wire::reader::Reader;

/// The most ClientHello bytes kept (records included): far above any real hello.
pub const MAX_HELLO_BYTES: usize = 1 << 16;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedClientHello {
    pub legacy_version: u16,
    pub random: [u8; 32],
    pub session_id: Vec<u8>,
    /// The cipher suite list, two bytes per suite, as sent.
    pub ciphers: Vec<u8>,
    pub compression_methods: Vec<u8>,
    /// (type, body) of each extension, in the order sent.
    pub extensions: Vec<(u16, Vec<u8>)>,
}

/// The ClientHello in the handshake records at the start of `wire`.
pub fn parse(wire: &[u8]) -> Option<ParsedClientHello> {
    // Join the bodies of the leading handshake records.
    let mut handshake = Vec::new();
    let mut rest = wire;
    while rest.len() >= 5 && rest[0] == 22 {
        let len = usize::from(u16::from_be_bytes([rest[3], rest[4]]));
        let body = rest.get(5..5 + len)?;
        handshake.extend_from_slice(body);
        rest = &rest[5 + len..];
    }
    let mut h = Reader(&handshake);
    if h.u8()? != 1 {
        return None;
    }
    let mut body = Reader(h.vec24()?);
    let mut hello = ParsedClientHello {
        legacy_version: body.u16()?,
        ..Default::default()
    };
    hello.random.copy_from_slice(body.take(32)?);
    hello.session_id = body.vec8()?.to_vec();
    hello.ciphers = body.vec16()?.to_vec();
    hello.compression_methods = body.vec8()?.to_vec();
    if !body.0.is_empty() {
        let mut exts = Reader(body.vec16()?);
        while !exts.0.is_empty() {
            let t = exts.u16()?;
            hello.extensions.push((t, exts.vec16()?.to_vec()));
        }
    }
    Some(hello)
}

/// What a client's `status_request` extension asks of an OCSP responder: the responders
/// it trusts (each a DER `ResponderID`) and the request extensions (DER `Extensions`),
/// both usually empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OcspStatusRequest {
    pub responder_ids: Vec<Vec<u8>>,
    pub extensions: Vec<u8>,
}

impl ParsedClientHello {
    /// The client's OCSP status request, if it sent a well-formed one (RFC 6066, 8).
    pub fn ocsp_status_request(&self) -> Option<OcspStatusRequest> {
        const STATUS_REQUEST: u16 = 5;
        const OCSP: u8 = 1;
        let mut r = Reader(self.extension(STATUS_REQUEST)?);
        if r.u8()? != OCSP {
            return None;
        }
        let mut ids = Reader(r.vec16()?);
        let mut request = OcspStatusRequest::default();
        while !ids.0.is_empty() {
            request.responder_ids.push(ids.vec16()?.to_vec());
        }
        request.extensions = r.vec16()?.to_vec();
        Some(request)
    }

    /// The body of extension `t`, if the client sent it.
    pub fn extension(&self, t: u16) -> Option<&[u8]> {
        self.extensions
            .iter()
            .find(|(ty, _)| *ty == t)
            .map(|(_, b)| &b[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_ocsp_status_request() {
        let mut hello = ParsedClientHello::default();
        // OCSP, one responder id of 2 bytes, 3 bytes of extensions.
        let body = vec![1, 0, 4, 0, 2, 0xa1, 0x00, 0, 3, 0x30, 0x01, 0x00];
        hello.extensions.push((5, body));
        let request = hello.ocsp_status_request().unwrap();
        assert_eq!(request.responder_ids, vec![vec![0xa1, 0x00]]);
        assert_eq!(request.extensions, vec![0x30, 0x01, 0x00]);
        hello.extensions[0].1 = vec![1, 0, 0, 0, 0];
        assert_eq!(
            hello.ocsp_status_request(),
            Some(OcspStatusRequest::default())
        );
        hello.extensions[0].1 = vec![1, 0, 4, 0];
        assert_eq!(hello.ocsp_status_request(), None);
    }

    #[test]
    fn parses_a_hello_split_over_two_records() {
        let mut body = vec![3, 3];
        body.extend([9u8; 32]);
        body.extend([2, 0xaa, 0xbb]);
        body.extend([0, 2, 0x13, 0x01, 1, 0]);
        body.extend([0, 8, 0, 0, 0, 0, 0, 43, 0, 0]);
        let mut msg = vec![1, 0, 0, body.len() as u8];
        msg.extend(body);
        let (a, b) = msg.split_at(10);
        let mut wire = vec![22, 3, 1, 0, a.len() as u8];
        wire.extend(a);
        wire.extend([22, 3, 1, 0, b.len() as u8]);
        wire.extend(b);
        let hello = parse(&wire).unwrap();
        assert_eq!(hello.legacy_version, 0x0303);
        assert_eq!(hello.session_id, [0xaa, 0xbb]);
        assert_eq!(hello.ciphers, [0x13, 0x01]);
        assert_eq!(hello.extensions, [(0, vec![]), (43, vec![])]);
        assert_eq!(hello.extension(43), Some(&[][..]));
        assert!(parse(&wire[..wire.len() - 1]).is_none());
    }
}
