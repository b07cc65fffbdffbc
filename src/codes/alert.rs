//! TLS alert names as OpenSSL prints them (`SSL_alert_desc_string_long` and friends).

use std::ffi::CStr;

/// (description code, two-letter code, long text), as OpenSSL 3.0 names them.
#[rustfmt::skip]
const DESCRIPTIONS: &[(u8, &CStr, &CStr)] = &[
    (0, c"CN", c"close notify"),
    (10, c"UM", c"unexpected_message"),
    (20, c"BM", c"bad record mac"),
    (21, c"DC", c"decryption failed"),
    (22, c"RO", c"record overflow"),
    (30, c"DF", c"decompression failure"),
    (40, c"HF", c"handshake failure"),
    (41, c"NC", c"no certificate"),
    (42, c"BC", c"bad certificate"),
    (43, c"UC", c"unsupported certificate"),
    (44, c"CR", c"certificate revoked"),
    (45, c"CE", c"certificate expired"),
    (46, c"CU", c"certificate unknown"),
    (47, c"IP", c"illegal parameter"),
    (48, c"CA", c"unknown CA"),
    (49, c"AD", c"access denied"),
    (50, c"DE", c"decode error"),
    (51, c"CY", c"decrypt error"),
    (60, c"ER", c"export restriction"),
    (70, c"PV", c"protocol version"),
    (71, c"IS", c"insufficient security"),
    (80, c"IE", c"internal error"),
    (90, c"US", c"user canceled"),
    (100, c"NR", c"no renegotiation"),
    (110, c"UE", c"unsupported extension"),
    (111, c"CO", c"certificate unobtainable"),
    (112, c"UN", c"unrecognized name"),
    (113, c"BR", c"bad certificate status response"),
    (114, c"BH", c"bad certificate hash value"),
    (115, c"UP", c"unknown PSK identity"),
    (120, c"UK", c"no application protocol"),
];

/// The long text for the description byte of `value` ("unknown" for others).
pub fn description_long(value: i32) -> &'static CStr {
    let code = (value & 0xff) as u8;
    DESCRIPTIONS
        .iter()
        .find(|d| d.0 == code)
        .map_or(c"unknown", |d| d.2)
}

/// The two-letter code for the description byte of `value` ("UK" for others).
pub fn description_short(value: i32) -> &'static CStr {
    let code = (value & 0xff) as u8;
    DESCRIPTIONS
        .iter()
        .find(|d| d.0 == code)
        .map_or(c"UK", |d| d.1)
}

/// "warning"/"fatal" (or "W"/"F") for the level byte of `value`.
pub fn level(value: i32, long: bool) -> &'static CStr {
    match (value >> 8, long) {
        (1, true) => c"warning",
        (2, true) => c"fatal",
        (_, true) => c"unknown",
        (1, false) => c"W",
        (2, false) => c"F",
        (_, false) => c"U",
    }
}

/// The alert for a ClientHello that rustls refuses without queuing one (its own errors:
/// no key that signs with a scheme the client offers, say): handshake_failure, OpenSSL's
/// answer to a hello it cannot serve.
pub const UNSENT_HELLO_ALERT: u8 = 40;

/// A fatal alert as a plaintext record, as sent before any keys exist.
pub fn plaintext_record(description: u8) -> [u8; 7] {
    [21, 3, 3, 0, 2, 2, description]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(description_long(0x0228), c"handshake failure");
        assert_eq!(description_short(48), c"CA");
        assert_eq!(description_long(255), c"unknown");
        assert_eq!(level(0x0228, true), c"fatal");
        assert_eq!(level(0x0100, false), c"W");
    }
}
