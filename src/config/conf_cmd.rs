//! OpenSSL's configuration commands (`SSL_CONF_cmd`): the names nginx's
//! `ssl_conf_command`, configuration files and the `openssl` tool's options use, mapped
//! onto what a ferrossl context or connection can really do. A command ferrossl cannot
//! carry out is not recognised (-2), as OpenSSL answers for a command it does not know.

use std::os::raw::c_int;

use crate::codes::ssl_constants::*;

pub const SSL_CONF_FLAG_CMDLINE: u32 = 0x1;
pub const SSL_CONF_FLAG_FILE: u32 = 0x2;
pub const SSL_CONF_FLAG_CLIENT: u32 = 0x4;
pub const SSL_CONF_FLAG_SERVER: u32 = 0x8;
pub const SSL_CONF_FLAG_SHOW_ERRORS: u32 = 0x10;
pub const SSL_CONF_FLAG_CERTIFICATE: u32 = 0x20;

pub const SSL_CONF_TYPE_UNKNOWN: c_int = 0;
pub const SSL_CONF_TYPE_STRING: c_int = 1;
pub const SSL_CONF_TYPE_FILE: c_int = 2;
pub const SSL_CONF_TYPE_NONE: c_int = 4;

/// What a command does to a context or connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    CipherList(String),
    Ciphersuites(String),
    MinVersion(c_int),
    MaxVersion(c_int),
    Groups(String),
    /// `SignatureAlgorithms` (the ctrl command it maps to, and the list).
    Sigalgs(c_int, String),
    SetOptions(u64),
    ClearOptions(u64),
    CertificateFile(String),
    PrivateKeyFile(String),
    VerifyCaFile(String),
}

/// Why a command was not carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a command (for these flags): `SSL_CONF_cmd` returns -2.
    Unknown,
    /// A known command with a value it cannot take: 0 (`SSL_R_BAD_VALUE` if errors are
    /// to be shown).
    BadValue,
    /// A command that needs a value was given none: -3.
    MissingValue,
    /// An `Options` list with an item that cannot be taken: the items before it (these
    /// actions) are applied and the command fails (0), as OpenSSL goes through the list.
    PartlyApplied(Vec<Action>),
}

#[derive(Clone, Copy)]
enum Kind {
    CipherList,
    Ciphersuites,
    MinProtocol,
    MaxProtocol,
    Groups,
    Sigalgs,
    ClientSigalgs,
    Options,
    Protocol,
    /// A command-line switch: the option bit it sets (clears when `true`).
    Switch(u64, bool),
    Certificate,
    PrivateKey,
    VerifyCaFile,
}

/// (file name, command-line name, value type, kind, the side it is only for: 0,
/// `SSL_CONF_FLAG_SERVER` or `SSL_CONF_FLAG_CLIENT`), as OpenSSL 3.0's table has them.
const COMMANDS: &[(&str, &str, c_int, Kind, u32)] = &[
    (
        "CipherString",
        "cipher",
        SSL_CONF_TYPE_STRING,
        Kind::CipherList,
        0,
    ),
    (
        "Ciphersuites",
        "ciphersuites",
        SSL_CONF_TYPE_STRING,
        Kind::Ciphersuites,
        0,
    ),
    (
        "MinProtocol",
        "min_protocol",
        SSL_CONF_TYPE_STRING,
        Kind::MinProtocol,
        0,
    ),
    (
        "MaxProtocol",
        "max_protocol",
        SSL_CONF_TYPE_STRING,
        Kind::MaxProtocol,
        0,
    ),
    ("Groups", "groups", SSL_CONF_TYPE_STRING, Kind::Groups, 0),
    ("Curves", "curves", SSL_CONF_TYPE_STRING, Kind::Groups, 0),
    (
        "SignatureAlgorithms",
        "sigalgs",
        SSL_CONF_TYPE_STRING,
        Kind::Sigalgs,
        0,
    ),
    (
        "ClientSignatureAlgorithms",
        "client_sigalgs",
        SSL_CONF_TYPE_STRING,
        Kind::ClientSigalgs,
        0,
    ),
    ("Options", "", SSL_CONF_TYPE_STRING, Kind::Options, 0),
    ("Protocol", "", SSL_CONF_TYPE_STRING, Kind::Protocol, 0),
    ("", "no_ssl3", NONE, Kind::Switch(SSL_OP_NO_SSLv3, false), 0),
    ("", "no_tls1", NONE, Kind::Switch(SSL_OP_NO_TLSv1, false), 0),
    (
        "",
        "no_tls1_1",
        NONE,
        Kind::Switch(SSL_OP_NO_TLSv1_1, false),
        0,
    ),
    (
        "",
        "no_tls1_2",
        NONE,
        Kind::Switch(SSL_OP_NO_TLSv1_2, false),
        0,
    ),
    (
        "",
        "no_tls1_3",
        NONE,
        Kind::Switch(SSL_OP_NO_TLSv1_3, false),
        0,
    ),
    ("", "bugs", NONE, Kind::Switch(SSL_OP_ALL, false), 0),
    (
        "",
        "no_comp",
        NONE,
        Kind::Switch(SSL_OP_NO_COMPRESSION, false),
        0,
    ),
    (
        "",
        "comp",
        NONE,
        Kind::Switch(SSL_OP_NO_COMPRESSION, true),
        0,
    ),
    (
        "",
        "no_ticket",
        NONE,
        Kind::Switch(SSL_OP_NO_TICKET, false),
        0,
    ),
    (
        "",
        "serverpref",
        NONE,
        Kind::Switch(SSL_OP_CIPHER_SERVER_PREFERENCE, false),
        SERVER,
    ),
    (
        "",
        "legacy_renegotiation",
        NONE,
        Kind::Switch(SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION, false),
        0,
    ),
    (
        "",
        "legacy_server_connect",
        NONE,
        Kind::Switch(SSL_OP_LEGACY_SERVER_CONNECT, false),
        CLIENT,
    ),
    (
        "",
        "no_renegotiation",
        NONE,
        Kind::Switch(SSL_OP_NO_RENEGOTIATION, false),
        0,
    ),
    (
        "",
        "no_resumption_on_reneg",
        NONE,
        Kind::Switch(SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION, false),
        SERVER,
    ),
    (
        "",
        "no_legacy_server_connect",
        NONE,
        Kind::Switch(SSL_OP_LEGACY_SERVER_CONNECT, true),
        CLIENT,
    ),
    (
        "",
        "allow_no_dhe_kex",
        NONE,
        Kind::Switch(SSL_OP_ALLOW_NO_DHE_KEX, false),
        0,
    ),
    (
        "",
        "prioritize_chacha",
        NONE,
        Kind::Switch(SSL_OP_PRIORITIZE_CHACHA, false),
        SERVER,
    ),
    (
        "",
        "no_middlebox",
        NONE,
        Kind::Switch(SSL_OP_ENABLE_MIDDLEBOX_COMPAT, true),
        0,
    ),
    (
        "",
        "anti_replay",
        NONE,
        Kind::Switch(SSL_OP_NO_ANTI_REPLAY, true),
        SERVER,
    ),
    (
        "",
        "no_anti_replay",
        NONE,
        Kind::Switch(SSL_OP_NO_ANTI_REPLAY, false),
        SERVER,
    ),
    // OpenSSL 3.2's switches for certificate compression.
    (
        "",
        "no_tx_cert_comp",
        NONE,
        Kind::Switch(SSL_OP_NO_TX_CERTIFICATE_COMPRESSION, false),
        0,
    ),
    (
        "",
        "tx_cert_comp",
        NONE,
        Kind::Switch(SSL_OP_NO_TX_CERTIFICATE_COMPRESSION, true),
        0,
    ),
    (
        "",
        "no_rx_cert_comp",
        NONE,
        Kind::Switch(SSL_OP_NO_RX_CERTIFICATE_COMPRESSION, false),
        0,
    ),
    (
        "",
        "rx_cert_comp",
        NONE,
        Kind::Switch(SSL_OP_NO_RX_CERTIFICATE_COMPRESSION, true),
        0,
    ),
    (
        "Certificate",
        "cert",
        SSL_CONF_TYPE_FILE,
        Kind::Certificate,
        0,
    ),
    ("PrivateKey", "key", SSL_CONF_TYPE_FILE, Kind::PrivateKey, 0),
    (
        "VerifyCAFile",
        "verifyCAfile",
        SSL_CONF_TYPE_FILE,
        Kind::VerifyCaFile,
        0,
    ),
];

/// The `Options` keywords, with the option bit each sets, whether the bit means "off"
/// (`inverted`), and the sides it is for (`SSL_CONF_FLAG_SERVER`, `SSL_CONF_FLAG_CLIENT`),
/// as OpenSSL 3.0's table has them (and 3.2's two for certificate compression). Bits ferrossl has no use for are kept in the options,
/// as `SSL_CTX_set_options` keeps them.
const OPTION_NAMES: &[(&str, u64, bool, u32)] = &[
    ("SessionTicket", SSL_OP_NO_TICKET, true, BOTH),
    (
        "EmptyFragments",
        SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS,
        true,
        BOTH,
    ),
    ("Bugs", SSL_OP_ALL, false, BOTH),
    ("Compression", SSL_OP_NO_COMPRESSION, true, BOTH),
    (
        "ServerPreference",
        SSL_OP_CIPHER_SERVER_PREFERENCE,
        false,
        SERVER,
    ),
    (
        "NoResumptionOnRenegotiation",
        SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION,
        false,
        SERVER,
    ),
    ("DHSingle", 0, false, SERVER),
    ("ECDHSingle", 0, false, SERVER),
    (
        "UnsafeLegacyRenegotiation",
        SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION,
        false,
        BOTH,
    ),
    (
        "UnsafeLegacyServerConnect",
        SSL_OP_LEGACY_SERVER_CONNECT,
        false,
        BOTH,
    ),
    (
        "ClientRenegotiation",
        SSL_OP_ALLOW_CLIENT_RENEGOTIATION,
        false,
        BOTH,
    ),
    ("EncryptThenMac", SSL_OP_NO_ENCRYPT_THEN_MAC, true, BOTH),
    ("NoRenegotiation", SSL_OP_NO_RENEGOTIATION, false, BOTH),
    ("AllowNoDHEKEX", SSL_OP_ALLOW_NO_DHE_KEX, false, BOTH),
    ("PrioritizeChaCha", SSL_OP_PRIORITIZE_CHACHA, false, BOTH),
    (
        "MiddleboxCompat",
        SSL_OP_ENABLE_MIDDLEBOX_COMPAT,
        false,
        BOTH,
    ),
    ("AntiReplay", SSL_OP_NO_ANTI_REPLAY, true, BOTH),
    (
        "ExtendedMasterSecret",
        SSL_OP_NO_EXTENDED_MASTER_SECRET,
        true,
        BOTH,
    ),
    ("CANames", SSL_OP_DISABLE_TLSEXT_CA_NAMES, true, BOTH),
    ("KTLS", SSL_OP_ENABLE_KTLS, false, BOTH),
    // OpenSSL 3.2's: certificate compression is on by default in ferrossl.
    (
        "TxCertificateCompression",
        SSL_OP_NO_TX_CERTIFICATE_COMPRESSION,
        true,
        BOTH,
    ),
    (
        "RxCertificateCompression",
        SSL_OP_NO_RX_CERTIFICATE_COMPRESSION,
        true,
        BOTH,
    ),
];

/// The `Protocol` keywords: each names the option bit that switches its version off.
const PROTOCOL_NAMES: &[(&str, u64, bool, u32)] = &[
    ("ALL", SSL_OP_NO_SSL_MASK, true, BOTH),
    ("SSLv2", 0, true, BOTH),
    ("SSLv3", SSL_OP_NO_SSLv3, true, BOTH),
    ("TLSv1", SSL_OP_NO_TLSv1, true, BOTH),
    ("TLSv1.1", SSL_OP_NO_TLSv1_1, true, BOTH),
    ("TLSv1.2", SSL_OP_NO_TLSv1_2, true, BOTH),
    ("TLSv1.3", SSL_OP_NO_TLSv1_3, true, BOTH),
    // OpenSSL's DTLS bits are the TLS 1.0 and 1.2 ones.
    ("DTLSv1", SSL_OP_NO_TLSv1, true, BOTH),
    ("DTLSv1.2", SSL_OP_NO_TLSv1_2, true, BOTH),
];
const NONE: c_int = SSL_CONF_TYPE_NONE;
const SERVER: u32 = SSL_CONF_FLAG_SERVER;
const CLIENT: u32 = SSL_CONF_FLAG_CLIENT;
const BOTH: u32 = SSL_CONF_FLAG_SERVER | SSL_CONF_FLAG_CLIENT;

/// One row of [`COMMANDS`].
type Command = (&'static str, &'static str, c_int, Kind, u32);

/// The command `cmd` names under `flags`; certificate and key files are commands only
/// with `SSL_CONF_FLAG_CERTIFICATE`, and a command for one side only for that side.
fn find(cmd: &str, flags: u32) -> Option<&'static Command> {
    let c = find_by_name(cmd, flags)?;
    let certificate = matches!(c.3, Kind::Certificate | Kind::PrivateKey);
    let allowed = (!certificate || flags & SSL_CONF_FLAG_CERTIFICATE != 0) && flags & c.4 == c.4;
    allowed.then_some(c)
}

fn find_by_name(cmd: &str, flags: u32) -> Option<&'static Command> {
    if flags & SSL_CONF_FLAG_CMDLINE != 0 {
        if let Some(name) = cmd.strip_prefix('-') {
            if let Some(c) = COMMANDS.iter().find(|c| !c.1.is_empty() && c.1 == name) {
                return Some(c);
            }
        }
    }
    if flags & SSL_CONF_FLAG_FILE != 0 {
        // File names are matched without regard to case, as OpenSSL does.
        return COMMANDS
            .iter()
            .find(|c| !c.0.is_empty() && c.0.eq_ignore_ascii_case(cmd));
    }
    None
}

/// The command name once a prefix set with `SSL_CONF_CTX_set1_prefix` is taken off, in
/// the form the command table is searched with (a command-line name keeps a leading '-');
/// `None` when the name does not carry the prefix.
pub fn without_prefix(cmd: &str, prefix: Option<&str>, flags: u32) -> Option<String> {
    let Some(prefix) = prefix else {
        return Some(cmd.to_owned());
    };
    if cmd.len() <= prefix.len() || !cmd.is_char_boundary(prefix.len()) {
        return None;
    }
    let (head, rest) = cmd.split_at(prefix.len());
    let matches = if flags & SSL_CONF_FLAG_CMDLINE != 0 {
        head == prefix
    } else {
        head.eq_ignore_ascii_case(prefix)
    };
    if !matches {
        return None;
    }
    Some(if flags & SSL_CONF_FLAG_CMDLINE != 0 {
        format!("-{rest}")
    } else {
        rest.to_owned()
    })
}

/// `SSL_CONF_cmd_value_type`.
pub fn value_type(cmd: &str, flags: u32) -> c_int {
    find(cmd, flags).map_or(SSL_CONF_TYPE_UNKNOWN, |c| c.2)
}

/// Whether the command takes a value (`SSL_CONF_cmd` returns 2 then, 1 otherwise).
pub fn takes_value(cmd: &str, flags: u32) -> bool {
    value_type(cmd, flags) != SSL_CONF_TYPE_NONE
}

fn protocol(value: &str) -> Option<c_int> {
    Some(match value {
        "None" => 0,
        "SSLv3" => SSL3_VERSION,
        "TLSv1" => TLS1_VERSION,
        "TLSv1.1" => TLS1_1_VERSION,
        "TLSv1.2" => TLS1_2_VERSION,
        "TLSv1.3" => TLS1_3_VERSION,
        _ => return None,
    })
}

/// The option bits an `Options` or `Protocol` value (`Keyword,-Keyword,+Keyword...`, the
/// keywords of `table` in any case) sets and clears, taken in order up to the first
/// keyword that is unknown or not for the sides `flags` name, and whether every keyword
/// was taken.
fn flag_list(value: &str, flags: u32, table: &[(&str, u64, bool, u32)]) -> (u64, u64, bool) {
    let (mut set, mut clear) = (0, 0);
    for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (negated, name) = match (item.strip_prefix('-'), item.strip_prefix('+')) {
            (Some(n), _) => (true, n),
            (None, Some(n)) => (false, n),
            (None, None) => (false, item),
        };
        let found = table
            .iter()
            .find(|o| o.0.eq_ignore_ascii_case(name) && o.3 & flags != 0);
        let Some(&(_, bit, inverted, _)) = found else {
            return (set, clear, false);
        };
        if negated != inverted {
            clear |= bit;
            set &= !bit;
        } else {
            set |= bit;
            clear &= !bit;
        }
    }
    (set, clear, true)
}

/// What `cmd` with `value` asks for, under `flags` (which say how names are spelt and
/// whether certificate commands are allowed).
pub fn parse(cmd: &str, value: Option<&str>, flags: u32) -> Result<Vec<Action>, Refusal> {
    let &(_, _, _, kind, _) = find(cmd, flags).ok_or(Refusal::Unknown)?;
    let needs_value = !matches!(kind, Kind::Switch(..));
    let v = match (needs_value, value) {
        (true, None) => return Err(Refusal::MissingValue),
        (true, Some(v)) => v.to_owned(),
        (false, _) => String::new(),
    };
    Ok(match kind {
        Kind::CipherList => vec![Action::CipherList(v)],
        Kind::Ciphersuites => vec![Action::Ciphersuites(v)],
        Kind::MinProtocol => vec![Action::MinVersion(protocol(&v).ok_or(Refusal::BadValue)?)],
        Kind::MaxProtocol => vec![Action::MaxVersion(protocol(&v).ok_or(Refusal::BadValue)?)],
        Kind::Groups => vec![Action::Groups(v)],
        Kind::Sigalgs => vec![Action::Sigalgs(SSL_CTRL_SET_SIGALGS_LIST, v)],
        Kind::ClientSigalgs => vec![Action::Sigalgs(SSL_CTRL_SET_CLIENT_SIGALGS_LIST, v)],
        Kind::Options | Kind::Protocol => {
            let table = if matches!(kind, Kind::Protocol) {
                PROTOCOL_NAMES
            } else {
                OPTION_NAMES
            };
            let (set, clear, complete) = flag_list(&v, flags, table);
            let actions = vec![Action::SetOptions(set), Action::ClearOptions(clear)];
            if !complete {
                return Err(Refusal::PartlyApplied(actions));
            }
            actions
        }
        Kind::Switch(bit, false) => vec![Action::SetOptions(bit)],
        Kind::Switch(bit, true) => vec![Action::ClearOptions(bit)],
        Kind::Certificate => vec![Action::CertificateFile(v)],
        Kind::PrivateKey => vec![Action::PrivateKeyFile(v)],
        Kind::VerifyCaFile => vec![Action::VerifyCaFile(v)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: u32 = SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_SERVER;

    #[test]
    fn file_and_command_line_names() {
        assert_eq!(
            parse("CipherString", Some("HIGH"), FILE),
            Ok(vec![Action::CipherList("HIGH".into())])
        );
        assert_eq!(
            parse("minprotocol", Some("TLSv1.3"), FILE),
            Ok(vec![Action::MinVersion(TLS1_3_VERSION)])
        );
        assert_eq!(
            parse("-max_protocol", Some("TLSv1.2"), SSL_CONF_FLAG_CMDLINE),
            Ok(vec![Action::MaxVersion(TLS1_2_VERSION)])
        );
        assert_eq!(parse("-cipher", Some("HIGH"), FILE), Err(Refusal::Unknown));
        assert_eq!(parse("NoSuchThing", Some("x"), FILE), Err(Refusal::Unknown));
        assert_eq!(
            parse("MinProtocol", Some("TLSv9"), FILE),
            Err(Refusal::BadValue)
        );
        assert!(!takes_value("-no_ticket", SSL_CONF_FLAG_CMDLINE));
    }

    #[test]
    fn options_set_and_clear_bits() {
        assert_eq!(
            parse("Options", Some("ServerPreference,-SessionTicket"), FILE),
            Ok(vec![
                Action::SetOptions(SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET),
                Action::ClearOptions(0),
            ])
        );
        assert_eq!(
            parse("Options", Some("SessionTicket"), FILE),
            Ok(vec![
                Action::SetOptions(0),
                Action::ClearOptions(SSL_OP_NO_TICKET)
            ])
        );
        assert_eq!(
            parse("Options", Some("SessionTicket,Bogus,Compression"), FILE),
            Err(Refusal::PartlyApplied(vec![
                Action::SetOptions(0),
                Action::ClearOptions(SSL_OP_NO_TICKET)
            ]))
        );
        // ServerPreference is for servers: a client's list stops there.
        let client = SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_CLIENT;
        assert_eq!(
            parse("Options", Some("ServerPreference,-SessionTicket"), client),
            Err(Refusal::PartlyApplied(vec![
                Action::SetOptions(0),
                Action::ClearOptions(0)
            ]))
        );
    }

    #[test]
    fn protocol_lists_and_switches() {
        assert_eq!(
            parse("protocol", Some("-ALL,+tlsv1.2"), FILE),
            Ok(vec![
                Action::SetOptions(SSL_OP_NO_SSL_MASK & !SSL_OP_NO_TLSv1_2),
                Action::ClearOptions(SSL_OP_NO_TLSv1_2),
            ])
        );
        let server = SSL_CONF_FLAG_CMDLINE | SSL_CONF_FLAG_SERVER;
        let client = SSL_CONF_FLAG_CMDLINE | SSL_CONF_FLAG_CLIENT;
        assert_eq!(
            parse("-no_tls1_3", None, client),
            Ok(vec![Action::SetOptions(SSL_OP_NO_TLSv1_3)])
        );
        assert_eq!(
            parse("-comp", None, client),
            Ok(vec![Action::ClearOptions(SSL_OP_NO_COMPRESSION)])
        );
        assert_eq!(parse("-serverpref", None, client), Err(Refusal::Unknown));
        assert_eq!(
            parse("-legacy_server_connect", None, server),
            Err(Refusal::Unknown)
        );
    }

    #[test]
    fn certificate_compression_has_openssl_32_keywords() {
        assert_eq!(
            parse("Options", Some("-TxCertificateCompression"), FILE),
            Ok(vec![
                Action::SetOptions(SSL_OP_NO_TX_CERTIFICATE_COMPRESSION),
                Action::ClearOptions(0)
            ])
        );
        assert_eq!(
            parse("-no_rx_cert_comp", None, SSL_CONF_FLAG_CMDLINE),
            Ok(vec![Action::SetOptions(
                SSL_OP_NO_RX_CERTIFICATE_COMPRESSION
            )])
        );
    }

    #[test]
    fn certificates_need_the_certificate_flag() {
        assert_eq!(
            parse("Certificate", Some("c.pem"), FILE),
            Err(Refusal::Unknown)
        );
        assert_eq!(
            parse(
                "Certificate",
                Some("c.pem"),
                FILE | SSL_CONF_FLAG_CERTIFICATE
            ),
            Ok(vec![Action::CertificateFile("c.pem".into())])
        );
    }

    #[test]
    fn prefixes_come_off_before_the_lookup() {
        let file = SSL_CONF_FLAG_FILE;
        assert_eq!(
            without_prefix("ssl_cipherstring", Some("SSL_"), file).as_deref(),
            Some("cipherstring")
        );
        assert_eq!(
            without_prefix("CipherString", None, file).as_deref(),
            Some("CipherString")
        );
        assert_eq!(without_prefix("SSL_", Some("SSL_"), file), None);
        let cmdline = SSL_CONF_FLAG_CMDLINE;
        assert_eq!(
            without_prefix("--cipher", Some("--"), cmdline).as_deref(),
            Some("-cipher")
        );
        assert_eq!(without_prefix("++cipher", Some("--"), cmdline), None);
    }
}
