//! The ClientHello as OpenSSL's client-hello callback shows it (`SSL_client_hello_get0_*`):
//! its fields and extensions exactly as the client sent them, parsed from the records a
//! server received before rustls took them.

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

fn take<'a>(b: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if b.len() < n {
        return None;
    }
    let (head, rest) = b.split_at(n);
    *b = rest;
    Some(head)
}

fn u16_of(b: &mut &[u8]) -> Option<u16> {
    take(b, 2).map(|v| u16::from_be_bytes([v[0], v[1]]))
}

fn vec8<'a>(b: &mut &'a [u8]) -> Option<&'a [u8]> {
    let n = *take(b, 1)?.first()?;
    take(b, n.into())
}

fn vec16<'a>(b: &mut &'a [u8]) -> Option<&'a [u8]> {
    let n = u16_of(b)?;
    take(b, n.into())
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
    let mut h = &handshake[..];
    if *take(&mut h, 1)?.first()? != 1 {
        return None;
    }
    let len = take(&mut h, 3)?;
    let len = usize::from(len[0]) << 16 | usize::from(len[1]) << 8 | usize::from(len[2]);
    let mut body = take(&mut h, len)?;
    let mut hello = ParsedClientHello {
        legacy_version: u16_of(&mut body)?,
        ..Default::default()
    };
    hello.random.copy_from_slice(take(&mut body, 32)?);
    hello.session_id = vec8(&mut body)?.to_vec();
    hello.ciphers = vec16(&mut body)?.to_vec();
    hello.compression_methods = vec8(&mut body)?.to_vec();
    if !body.is_empty() {
        let mut exts = vec16(&mut body)?;
        while !exts.is_empty() {
            let t = u16_of(&mut exts)?;
            hello.extensions.push((t, vec16(&mut exts)?.to_vec()));
        }
    }
    Some(hello)
}

impl ParsedClientHello {
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
