//! ALPN protocol lists in OpenSSL's wire format (each name prefixed by its length).

/// Splits a wire-format list; `None` when it is empty or malformed (a zero length, or a
/// length that runs past the end), which `SSL_CTX_set_alpn_protos` rejects.
pub fn parse_wire(list: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut rest = list;
    while let Some((&len, tail)) = rest.split_first() {
        let len = usize::from(len);
        if len == 0 || len > tail.len() {
            return None;
        }
        out.push(tail[..len].to_vec());
        rest = &tail[len..];
    }
    (!out.is_empty()).then_some(out)
}

/// Encodes names back into the wire format (what the ALPN select callback receives).
pub fn to_wire<'a>(names: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for n in names {
        if let Ok(len) = u8::try_from(n.len()) {
            if len > 0 {
                out.push(len);
                out.extend_from_slice(n);
            }
        }
    }
    out
}

/// Iterates the (offset, length) of each well-formed entry of a wire-format list.
fn entries(list: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let len = usize::from(*list.get(i)?);
        if len == 0 || i + 1 + len > list.len() {
            return None;
        }
        let e = (i + 1, len);
        i += 1 + len;
        Some(e)
    })
}

/// What `SSL_select_next_proto` decides.
#[derive(Debug, PartialEq, Eq)]
pub enum Selection {
    /// A protocol of the server list that the client also offered: (offset, length) in `server`.
    Negotiated(usize, usize),
    /// No overlap: the client's first protocol as (offset, length) in `client`, if it has one.
    NoOverlap(Option<(usize, usize)>),
}

/// `SSL_select_next_proto`: the first protocol in `server`'s order that `client` offers.
pub fn select_next(server: &[u8], client: &[u8]) -> Selection {
    for (so, sl) in entries(server) {
        let want = &server[so..so + sl];
        if entries(client).any(|(co, cl)| &client[co..co + cl] == want) {
            return Selection::Negotiated(so, sl);
        }
    }
    Selection::NoOverlap(entries(client).next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            parse_wire(b"\x02h2\x08http/1.1").unwrap(),
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        );
        assert!(parse_wire(b"").is_none());
        assert!(parse_wire(b"\x00").is_none());
        assert!(parse_wire(b"\x05h2").is_none());
        assert_eq!(to_wire([&b"h2"[..], b"x"]), b"\x02h2\x01x");
    }

    #[test]
    fn select_follows_server_order() {
        let server = b"\x08http/1.1\x02h2";
        let client = b"\x02h2\x08http/1.1";
        assert_eq!(select_next(server, client), Selection::Negotiated(1, 8));
        assert_eq!(
            select_next(b"\x03foo", client),
            Selection::NoOverlap(Some((1, 2)))
        );
        assert_eq!(select_next(b"\x03foo", b""), Selection::NoOverlap(None));
    }
}
