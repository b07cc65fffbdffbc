//! OpenSSL's configuration commands (`SSL_CONF_cmd`): the names nginx's
//! `ssl_conf_command`, configuration files and the `openssl` tool's options use, mapped
//! onto what a ferrossl context or connection can really do. A command ferrossl cannot
//! carry out is not recognised (-2), as OpenSSL answers for a command it does not know.

mod table;

use std::os::raw::c_int;

use crate::codes::ssl_constants::*;
use table::{FlagName, COMMANDS, OPTION_NAMES, PROTOCOL_NAMES, VERIFY_NAMES};

pub const SSL_CONF_FLAG_CMDLINE: u32 = 0x1;
pub const SSL_CONF_FLAG_FILE: u32 = 0x2;
pub const SSL_CONF_FLAG_CLIENT: u32 = 0x4;
pub const SSL_CONF_FLAG_SERVER: u32 = 0x8;
pub const SSL_CONF_FLAG_SHOW_ERRORS: u32 = 0x10;
pub const SSL_CONF_FLAG_CERTIFICATE: u32 = 0x20;

pub const SSL_CONF_TYPE_UNKNOWN: c_int = 0;
pub const SSL_CONF_TYPE_STRING: c_int = 1;
pub const SSL_CONF_TYPE_FILE: c_int = 2;
pub const SSL_CONF_TYPE_DIR: c_int = 3;
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
    /// `VerifyMode`: the verify-mode bits to set and to clear.
    VerifyMode(c_int, c_int),
    RecordPadding(usize),
    NumTickets(usize),
    CertificateFile(String),
    PrivateKeyFile(String),
    /// A file or directory of certificates for one of the context's stores.
    LoadStore(StoreUse, StoreSource),
    /// CA names for the certificate request, gathered until `SSL_CONF_CTX_finish`.
    RequestCaNames(StoreSource),
    DhParameters(String),
}

/// Which store a `LoadStore` fills: the one a chain is built from (`ChainCAFile`), or the
/// one the peer's chain is verified with (`VerifyCAFile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreUse {
    Chain,
    Verify,
}

/// Where certificates come from: a PEM file or a hashed directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreSource {
    File(String),
    Dir(String),
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
    ChainCaFile,
    ChainCaPath,
    VerifyCaFile,
    VerifyCaPath,
    RequestCaFile,
    RequestCaPath,
    DhParameters,
    EcdhParameters,
    VerifyMode,
    RecordPadding,
    NumTickets,
}

/// One row of [`COMMANDS`].
type Command = (&'static str, &'static str, c_int, Kind, u32);

/// The command `cmd` names under `flags`: one that needs `SSL_CONF_FLAG_CERTIFICATE`
/// (files) or a side exists only under flags that have them.
fn find(cmd: &str, flags: u32) -> Option<&'static Command> {
    let c = find_by_name(cmd, flags)?;
    (flags & c.4 == c.4).then_some(c)
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

/// C's `atoi`, which OpenSSL reads numbers with: leading blanks, a sign, the digits up
/// to the first other character; 0 when there are none.
fn atoi(value: &str) -> i64 {
    let t = value.trim_start();
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n = digits
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0i64, |n, d| {
            n.saturating_mul(10).saturating_add(i64::from(d - b'0'))
        });
    if negative {
        -n
    } else {
        n
    }
}

/// A count OpenSSL takes only when it is not negative.
fn count(value: &str) -> Result<usize, Refusal> {
    usize::try_from(atoi(value)).map_err(|_| Refusal::BadValue)
}

/// The option bits an `Options` or `Protocol` value (`Keyword,-Keyword,+Keyword...`, the
/// keywords of `table` in any case) sets and clears, taken in order up to the first
/// keyword that is unknown or not for the sides `flags` name, and whether every keyword
/// was taken.
fn flag_list(value: &str, flags: u32, table: &[FlagName]) -> (u64, u64, bool) {
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
        Kind::VerifyMode => {
            let (set, clear, complete) = flag_list(&v, flags, VERIFY_NAMES);
            // The verify-mode bits all fit an int.
            let actions = vec![Action::VerifyMode(set as c_int, clear as c_int)];
            if !complete {
                return Err(Refusal::PartlyApplied(actions));
            }
            actions
        }
        Kind::RecordPadding => vec![Action::RecordPadding(count(&v)?)],
        Kind::NumTickets => vec![Action::NumTickets(count(&v)?)],
        Kind::Certificate => vec![Action::CertificateFile(v)],
        Kind::PrivateKey => vec![Action::PrivateKeyFile(v)],
        Kind::ChainCaFile => vec![Action::LoadStore(StoreUse::Chain, StoreSource::File(v))],
        Kind::ChainCaPath => vec![Action::LoadStore(StoreUse::Chain, StoreSource::Dir(v))],
        Kind::VerifyCaFile => vec![Action::LoadStore(StoreUse::Verify, StoreSource::File(v))],
        Kind::VerifyCaPath => vec![Action::LoadStore(StoreUse::Verify, StoreSource::Dir(v))],
        Kind::RequestCaFile => vec![Action::RequestCaNames(StoreSource::File(v))],
        Kind::RequestCaPath => vec![Action::RequestCaNames(StoreSource::Dir(v))],
        Kind::DhParameters => vec![Action::DhParameters(v)],
        Kind::EcdhParameters => ecdh_parameters(v, flags)?,
    })
}

/// `ECDHParameters` names one group; OpenSSL 1.0.2's "automatic" (in a file) or "auto"
/// (on a command line) is accepted and changes nothing.
fn ecdh_parameters(v: String, flags: u32) -> Result<Vec<Action>, Refusal> {
    let automatic = if flags & SSL_CONF_FLAG_FILE != 0 {
        v.eq_ignore_ascii_case("automatic") || v.eq_ignore_ascii_case("+automatic")
    } else {
        v == "auto"
    };
    if automatic {
        return Ok(Vec::new());
    }
    if v.contains(':') {
        return Err(Refusal::BadValue);
    }
    Ok(vec![Action::Groups(v)])
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
    fn file_commands_read_values_as_openssl() {
        let server = FILE | SSL_CONF_FLAG_CERTIFICATE;
        assert_eq!(
            parse("VerifyMode", Some("Require,-Once"), server),
            // As OpenSSL: -Once clears all its bits, SSL_VERIFY_PEER among them.
            Ok(vec![Action::VerifyMode(2, 5)])
        );
        // Peer is a client's keyword: a server's list stops there.
        assert_eq!(
            parse("VerifyMode", Some("Peer"), server),
            Err(Refusal::PartlyApplied(vec![Action::VerifyMode(0, 0)]))
        );
        assert_eq!(
            parse("NumTickets", Some(" 7x"), server),
            Ok(vec![Action::NumTickets(7)])
        );
        assert_eq!(
            parse("NumTickets", Some("-1"), server),
            Err(Refusal::BadValue)
        );
        assert_eq!(
            parse("ECDHParameters", Some("+Automatic"), server),
            Ok(vec![])
        );
        assert_eq!(
            parse("ECDHParameters", Some("P-256:X25519"), server),
            Err(Refusal::BadValue)
        );
        assert_eq!(
            parse("ClientCAFile", Some("ca.pem"), server),
            Ok(vec![Action::RequestCaNames(StoreSource::File(
                "ca.pem".into()
            ))])
        );
        // Files are commands only with SSL_CONF_FLAG_CERTIFICATE.
        assert_eq!(
            parse("VerifyCAFile", Some("ca.pem"), FILE),
            Err(Refusal::Unknown)
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
