//! OpenSSL's cipher-string grammar (`SSL_CTX_set_cipher_list`) and TLS 1.3 suite lists
//! (`SSL_CTX_set_ciphersuites`), evaluated over the suites ferrossl offers.
//!
//! A string is a list of elements separated by `:`, `,`, `;` or spaces. An element is a
//! word, or words joined by `+` (all must match), optionally prefixed by `!` (remove for
//! good), `-` (remove; may come back), or `+` (move to the end); a bare element adds
//! what it matches at the end. `@STRENGTH` sorts by key length and `@SECLEVEL=n` sets the
//! security level. `DEFAULT` is only special at the very start. Unknown words match
//! nothing, as in OpenSSL, so strings naming ciphers ferrossl lacks still work when they
//! also name some it has.

use crate::codes::reason;
use crate::config::cipher::{self, Auth, Encryption, KeyExchange, SslCipher};

/// What a cipher string produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The TLS 1.2 suites, in preference order (may be empty: see [`parse_cipher_list`]).
    pub suites: Vec<&'static SslCipher>,
    /// A security level set by `@SECLEVEL=n`.
    pub security_level: Option<i32>,
}

/// Why a cipher string was refused, as the `ERR_LIB_SSL` reason OpenSSL reports.
pub type Refusal = std::os::raw::c_int;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Remove,
    Kill,
    MoveToEnd,
}

/// Whether one alias or suite name covers a suite.
fn word_matches(word: &str, c: &SslCipher) -> bool {
    if c.name.to_bytes() == word.as_bytes() || c.standard_name.to_bytes() == word.as_bytes() {
        return true;
    }
    match word {
        "ALL" | "HIGH" | "TLSv1.2" | "kECDHE" | "kEECDH" | "ECDHE" | "EECDH" | "ECDH" => true,
        "aRSA" => c.auth == Auth::Rsa,
        "aECDSA" | "ECDSA" => c.auth == Auth::Ecdsa,
        "AES" | "AESGCM" => matches!(c.enc, Encryption::Aes128Gcm | Encryption::Aes256Gcm),
        "AES128" => c.enc == Encryption::Aes128Gcm,
        "AES256" => c.enc == Encryption::Aes256Gcm,
        "CHACHA20" => c.enc == Encryption::Chacha20Poly1305,
        _ => false,
    }
}

fn valid_word(w: &str) -> bool {
    !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._=".contains(&b))
}

struct Entry {
    cipher: &'static SslCipher,
    active: bool,
}

/// The working list: every suite still eligible, in its current order; active ones are selected.
struct Working(Vec<Entry>);

impl Working {
    fn apply(&mut self, op: Op, words: &[&str]) {
        let hit =
            |c: &SslCipher| c.kx == KeyExchange::Ecdhe && words.iter().all(|w| word_matches(w, c));
        let snapshot: Vec<&'static SslCipher> = self.0.iter().map(|e| e.cipher).collect();
        let pos =
            |list: &Vec<Entry>, c: &SslCipher| list.iter().position(|e| std::ptr::eq(e.cipher, c));
        let order: Box<dyn Iterator<Item = &&'static SslCipher>> = if op == Op::Remove {
            // Removed suites go to the front, so a later add brings them back in order.
            Box::new(snapshot.iter().rev())
        } else {
            Box::new(snapshot.iter())
        };
        for &c in order {
            if !hit(c) {
                continue;
            }
            let Some(i) = pos(&self.0, c) else { continue };
            match op {
                Op::Add if !self.0[i].active => {
                    let mut e = self.0.remove(i);
                    e.active = true;
                    self.0.push(e);
                }
                Op::MoveToEnd if self.0[i].active => {
                    let e = self.0.remove(i);
                    self.0.push(e);
                }
                Op::Remove if self.0[i].active => {
                    let mut e = self.0.remove(i);
                    e.active = false;
                    self.0.insert(0, e);
                }
                Op::Kill => {
                    self.0.remove(i);
                }
                _ => {}
            }
        }
    }

    /// `@STRENGTH`: active suites by key length, longest first, otherwise keeping their order.
    fn sort_by_strength(&mut self) {
        let (mut active, inactive): (Vec<Entry>, Vec<Entry>) =
            self.0.drain(..).partition(|e| e.active);
        active.sort_by_key(|e| std::cmp::Reverse(e.cipher.bits));
        self.0 = inactive;
        self.0.extend(active);
    }
}

/// Evaluates an OpenSSL cipher string over ferrossl's TLS 1.2 suites.
///
/// `Err` carries OpenSSL's reason for a malformed string. An empty result is `Ok` with no
/// suites: OpenSSL installs the empty list and then reports `SSL_R_NO_CIPHER_MATCH`.
pub fn parse_cipher_list(s: &str) -> Result<Selection, Refusal> {
    let mut list = Working(
        cipher::tls12_default()
            .into_iter()
            .map(|c| Entry {
                cipher: c,
                active: false,
            })
            .collect(),
    );
    let mut security_level = None;
    let mut rest = s;
    if let Some(after) = rest.strip_prefix("DEFAULT") {
        // OpenSSL 3's default list is "ALL:!COMPLEMENTOFDEFAULT:!eNULL": all of ours.
        list.apply(Op::Add, &["ALL"]);
        rest = after;
    }
    for element in rest.split([':', ',', ';', ' ']).filter(|e| !e.is_empty()) {
        if let Some(command) = element.strip_prefix('@') {
            match command {
                "STRENGTH" => list.sort_by_strength(),
                _ => match command
                    .strip_prefix("SECLEVEL=")
                    .and_then(|n| n.parse::<i32>().ok())
                {
                    Some(level) if (0..=5).contains(&level) => security_level = Some(level),
                    _ => return Err(reason::SSL_R_INVALID_COMMAND),
                },
            }
            continue;
        }
        let (op, body) = match element.as_bytes()[0] {
            b'!' => (Op::Kill, &element[1..]),
            b'-' => (Op::Remove, &element[1..]),
            b'+' => (Op::MoveToEnd, &element[1..]),
            _ => (Op::Add, element),
        };
        let words: Vec<&str> = body.split('+').collect();
        if words.iter().any(|w| w.is_empty()) {
            return Err(reason::SSL_R_INVALID_COMMAND);
        }
        if words.iter().all(|w| valid_word(w)) {
            list.apply(op, &words);
        }
    }
    Ok(Selection {
        suites: list
            .0
            .into_iter()
            .filter(|e| e.active)
            .map(|e| e.cipher)
            .collect(),
        security_level,
    })
}

/// TLS 1.3 suites OpenSSL knows and ferrossl does not offer: a list of them is taken (and
/// leaves no TLS 1.3 suite), as OpenSSL takes it; so is a TLS 1.2 suite's standard name.
const KNOWN_NOT_OFFERED: [&str; 2] = ["TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256"];

/// Parses a TLS 1.3 suite list (`SSL_CTX_set_ciphersuites`): names joined by `:`; names
/// ferrossl does not know are skipped, as OpenSSL skips them. `None` for a list that
/// names no TLS 1.3 suite at all, which OpenSSL refuses (an empty list is allowed).
pub fn parse_ciphersuites(s: &str) -> Option<Vec<&'static SslCipher>> {
    let mut out: Vec<&'static SslCipher> = Vec::new();
    let mut known = false;
    for name in s.split(':').filter(|n| !n.is_empty()) {
        if let Some(c) = cipher::by_name(name).filter(|c| c.is_tls13()) {
            known = true;
            if !out.iter().any(|o| std::ptr::eq(*o, c)) {
                out.push(c);
            }
        } else if KNOWN_NOT_OFFERED.contains(&name)
            || cipher::by_name(name).is_some_and(|c| c.standard_name.to_bytes() == name.as_bytes())
        {
            // OpenSSL looks names up by their standard spelling, TLS 1.2 suites' too.
            known = true;
        }
    }
    (known || s.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<&'static str> {
        parse_cipher_list(s)
            .unwrap()
            .suites
            .iter()
            .map(|c| c.name.to_str().unwrap())
            .collect()
    }

    const ALL: [&str; 6] = [
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
    ];

    #[test]
    fn group_aliases_keep_openssls_order() {
        for s in [
            "ALL",
            "DEFAULT",
            "HIGH",
            "ECDHE",
            "kEECDH",
            "EECDH",
            "TLSv1.2",
            "HIGH:!aNULL:!MD5",
        ] {
            assert_eq!(names(s), ALL, "{s}");
        }
        assert_eq!(names("aRSA"), [ALL[1], ALL[3], ALL[5]]);
        assert_eq!(names("ECDSA"), [ALL[0], ALL[2], ALL[4]]);
        assert_eq!(names("AESGCM"), [ALL[0], ALL[1], ALL[4], ALL[5]]);
        assert_eq!(names("AES128"), [ALL[4], ALL[5]]);
    }

    #[test]
    fn operators_follow_openssl() {
        assert_eq!(
            names("CHACHA20:AESGCM"),
            [ALL[2], ALL[3], ALL[0], ALL[1], ALL[4], ALL[5]]
        );
        assert_eq!(
            names("ECDHE+AESGCM:ECDHE+CHACHA20"),
            [ALL[0], ALL[1], ALL[4], ALL[5], ALL[2], ALL[3]]
        );
        assert_eq!(
            names("AESGCM:-aECDSA:CHACHA20"),
            [ALL[1], ALL[5], ALL[2], ALL[3]]
        );
        assert_eq!(names("ECDHE:!AES128"), [ALL[0], ALL[1], ALL[2], ALL[3]]);
        assert_eq!(names("AES128:+aECDSA"), [ALL[5], ALL[4]]);
        assert_eq!(names("AES128:@STRENGTH"), [ALL[4], ALL[5]]);
        assert_eq!(
            names("AES128:AES256:@STRENGTH"),
            [ALL[0], ALL[1], ALL[4], ALL[5]]
        );
        assert_eq!(
            names("ECDHE-RSA-AES128-GCM-SHA256 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            [ALL[5], ALL[0]]
        );
        assert_eq!(names("!ALL:ECDHE"), Vec::<&str>::new());
        assert_eq!(names("CHACHA20:DEFAULT"), [ALL[2], ALL[3]]);
    }

    #[test]
    fn unknown_words_match_nothing_and_bad_commands_fail() {
        assert_eq!(names("foo:ECDHE"), ALL);
        assert!(names("foo").is_empty());
        assert!(names("AES128-SHA:RC4").is_empty());
        assert!(names("ECDHE+FOO").is_empty());
        assert_eq!(
            parse_cipher_list("ECDHE+"),
            Err(reason::SSL_R_INVALID_COMMAND)
        );
        assert_eq!(
            parse_cipher_list("ECDHE:@FOO"),
            Err(reason::SSL_R_INVALID_COMMAND)
        );
        assert_eq!(
            parse_cipher_list("@SECLEVEL=9"),
            Err(reason::SSL_R_INVALID_COMMAND)
        );
        assert_eq!(
            parse_cipher_list("@SECLEVEL=2:ECDHE")
                .unwrap()
                .security_level,
            Some(2)
        );
    }

    #[test]
    fn tls13_suite_lists() {
        let l =
            parse_ciphersuites("TLS_CHACHA20_POLY1305_SHA256:FOO:TLS_AES_128_GCM_SHA256").unwrap();
        let n: Vec<_> = l.iter().map(|c| c.name.to_str().unwrap()).collect();
        assert_eq!(
            n,
            ["TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"]
        );
        assert!(parse_ciphersuites("").unwrap().is_empty());
        // Nothing TLS 1.3 named: refused, as OpenSSL refuses it.
        assert!(parse_ciphersuites("NOPE").is_none());
        assert!(parse_ciphersuites("ECDHE-RSA-AES128-GCM-SHA256").is_none());
        assert!(parse_ciphersuites("TLS_AES_128_CCM_SHA256")
            .unwrap()
            .is_empty());
    }
}
