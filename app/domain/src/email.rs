//! Email addresses as Shoal stores and compares them: trimmed, lowercased and checked once. The same
//! rule serves the invite form, CSV imports and the JSON API.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{has_byte, has_twice_in_a_row, quoted, trimmed};

/// Longest address SMTP can carry (RFC 5321: 254 octets in a path without the angle brackets).
pub const MAX_LEN: usize = 254;
/// Longest part before the @ (RFC 5321, in octets).
pub const MAX_LOCAL_LEN: usize = 64;
/// Longest part of a domain between two dots (RFC 1035).
pub const MAX_LABEL_LEN: usize = 63;

/// Printable ASCII characters besides letters and digits that RFC 5322 allows unquoted before the @.
/// Quoted local parts (`"john smith"@example.com`) are legal but nobody types them; we refuse them.
const LOCAL_SPECIALS: &str = "!#$%&'*+/=?^_`{|}~.-";

/// A syntactically valid, lowercased email address. `Email::parse` is the only way to make one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Trims surrounding whitespace, lowercases (addresses are case-insensitive in Shoal) and checks
    /// the address. The error is a sentence an admin can act on and names what they typed.
    pub fn parse(input: &str) -> Result<Email, String> {
        Self::normalize(input).map(|address| Email(address.into_owned()))
    }

    /// `parse`'s address, borrowed from `input` when it is stored as typed (a plain address in
    /// lower case, as nearly every address in a file is): the upload preview checks 100,000 of
    /// them and keeps each only once.
    pub fn normalize(input: &str) -> Result<Cow<'_, str>, String> {
        let typed = trimmed(input);
        match plain_ascii(typed) {
            Some(address) => Ok(address),
            None => Self::parse_checked(typed).map(|email| Cow::Owned(email.0)),
        }
    }

    /// Every check one after the other, each with its own message (`typed` is trimmed).
    fn parse_checked(typed: &str) -> Result<Email, String> {
        if typed.is_empty() {
            return Err("Enter an email address".to_owned());
        }
        let q = Quoted(typed);
        // Lowercasing can change the length (e.g. 'İ'), so every check runs on the stored form.
        let address = if typed.is_ascii() {
            typed.to_ascii_lowercase()
        } else {
            typed.to_lowercase()
        };
        if address.len() > MAX_LEN {
            return Err(format!(
                "{q} is too long: an email address can have at most {MAX_LEN} characters"
            ));
        }
        if address.chars().any(char::is_control) {
            return Err(format!(
                "{q} contains an invisible control character (such as a tab or line break); \
                 remove it and try again"
            ));
        }
        if address.chars().any(char::is_whitespace) {
            return Err(format!(
                "{q} contains a space; email addresses have no spaces"
            ));
        }
        let at = address.bytes().position(|b| b == b'@');
        let (local, domain) = match at.map(|at| (&address[..at], &address[at + 1..])) {
            None => {
                return Err(format!(
                    "{q} has no @; an email address looks like name@example.com"
                ));
            }
            Some((_, rest)) if has_byte(rest, b'@') => {
                return Err(format!("{q} has more than one @"));
            }
            Some(parts) => parts,
        };
        check_local_part(local, &q)?;
        let domain = unicode_domain(domain, &q)?;
        check_domain(&domain, &q)?;
        // Most domains are stored as typed: the lowercased text is the address, no copy needed.
        let rebuilt = match domain {
            Cow::Borrowed(_) => None,
            Cow::Owned(domain) => Some(format!("{local}@{domain}")),
        };
        Ok(Email(rebuilt.unwrap_or(address)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the @, e.g. `example.com`.
    pub fn domain(&self) -> &str {
        self.split().1
    }

    /// The part before the @, e.g. `ann` in `ann@example.com`.
    pub fn local_part(&self) -> &str {
        self.split().0
    }

    fn split(&self) -> (&str, &str) {
        // A parsed address always has exactly one '@'.
        self.0.split_once('@').unwrap_or((&self.0, ""))
    }
}

/// The address as stored, when `typed` is a plain ASCII address that every check of
/// `parse_checked` accepts, found in one pass over its bytes; `None` sends it through those
/// checks (which word the error), as does anything unusual: non-ASCII, an `xn--` label. Nearly
/// every address is plain, and the preview checks every one of a 100,000-row file, where the
/// checks one after the other were a third of its work. A property test holds the two to the
/// same answer.
fn plain_ascii(typed: &str) -> Option<Cow<'_, str>> {
    let bytes = typed.as_bytes();
    if bytes.len() > MAX_LEN {
        return None;
    }
    let at = bytes.iter().position(|&b| b == b'@')?;
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    if local.is_empty() || local.len() > MAX_LOCAL_LEN {
        return None;
    }
    // A dot before the first character: a leading dot counts as two in a row.
    let mut previous = b'.';
    for &b in local {
        let allowed = b.is_ascii_alphanumeric() || LOCAL_SPECIALS.as_bytes().contains(&b);
        if !allowed || (b == b'.' && previous == b'.') {
            return None;
        }
        previous = b;
    }
    if previous == b'.' {
        return None;
    }
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in domain.split(|&b| b == b'.') {
        let (Some(&first), Some(&end)) = (label.first(), label.last()) else {
            return None;
        };
        if label.len() > MAX_LABEL_LEN
            || first == b'-'
            || end == b'-'
            || label
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"xn--"))
            || !label
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return None;
        }
        labels += 1;
        last = label;
    }
    if labels < 2 || last.len() < 2 || last.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(if typed.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(typed.to_ascii_lowercase())
    } else {
        Cow::Borrowed(typed)
    })
}

/// The typed address as error messages quote it, made only when a message is.
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&quoted(self.0))
    }
}

fn check_local_part(local: &str, q: &Quoted<'_>) -> Result<(), String> {
    if local.is_empty() {
        return Err(format!("{q} has nothing before the @"));
    }
    if local.len() > MAX_LOCAL_LEN {
        return Err(format!(
            "{q}: the part before the @ is too long (at most {MAX_LOCAL_LEN} characters)"
        ));
    }
    if let Some(bad) = local.chars().find(|&c| !is_local_char(c)) {
        return Err(format!(
            "{q} contains {bad:?}, which an email address can't have before the @"
        ));
    }
    if local.starts_with('.') {
        return Err(format!("{q}: the part before the @ can't start with a dot"));
    }
    if local.ends_with('.') {
        return Err(format!("{q}: the part before the @ can't end with a dot"));
    }
    if has_twice_in_a_row(local, b'.') {
        return Err(format!("{q} has two dots in a row"));
    }
    Ok(())
}

fn is_local_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || LOCAL_SPECIALS.bytes().any(|b| char::from(b) == c)
    } else {
        c.is_alphabetic()
    }
}

/// One form per mailbox: `xn--` labels (the ASCII form of an internationalised domain) are read
/// back to the Unicode the person typed, so `same@bücher.de` and `same@xn--bcher-kva.de` are one
/// address. Mail goes out in the ASCII form again (`server::mail::message`).
fn unicode_domain<'a>(domain: &'a str, q: &Quoted<'_>) -> Result<Cow<'a, str>, String> {
    if !labels(domain).any(|l| l.starts_with("xn--")) {
        return Ok(Cow::Borrowed(domain));
    }
    let labels: Result<Vec<String>, String> = domain
        .split('.')
        .map(|label| match label.strip_prefix("xn--") {
            Some(encoded) => super::punycode::decode(encoded)
                .filter(|l| !l.is_empty())
                .map(|l| l.to_lowercase())
                .ok_or_else(|| {
                    format!(
                        "{q}: {} in the part after the @ is not a valid internationalised domain name",
                        quoted(label)
                    )
                }),
            None => Ok(label.to_owned()),
        })
        .collect();
    Ok(Cow::Owned(labels?.join(".")))
}

fn check_domain(domain: &str, q: &Quoted<'_>) -> Result<(), String> {
    if domain.is_empty() {
        return Err(format!("{q} has nothing after the @"));
    }
    if let Some(bad) = domain.chars().find(|&c| !is_domain_char(c)) {
        return Err(format!(
            "{q} contains {bad:?}, which an email address can't have after the @"
        ));
    }
    if domain.starts_with('.') {
        return Err(format!("{q}: the part after the @ can't start with a dot"));
    }
    if domain.ends_with('.') {
        return Err(format!("{q}: the part after the @ can't end with a dot"));
    }
    if has_twice_in_a_row(domain, b'.') {
        return Err(format!("{q} has two dots in a row"));
    }
    if !has_byte(domain, b'.') {
        return Err(format!(
            "{q}: the part after the @ needs a dot, like example.com"
        ));
    }
    for label in labels(domain) {
        // Counted in characters: an internationalised label's punycode length is not knowable here
        // without an IDNA table, and the mail server will have the last word anyway.
        if label.chars().count() > MAX_LABEL_LEN {
            return Err(format!(
                "{q}: {} in the part after the @ is too long (at most {MAX_LABEL_LEN} characters \
                 between dots)",
                quoted(label)
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "{q}: {} in the part after the @ can't start or end with a hyphen",
                quoted(label)
            ));
        }
    }
    let tld = labels(domain).next_back().unwrap_or_default();
    if tld.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "{q} ends in a number; use a domain name like example.com"
        ));
    }
    if tld.chars().count() < 2 {
        return Err(format!(
            "{q}: the ending .{tld} is too short; it should be like .com or .de"
        ));
    }
    Ok(())
}

/// The parts of a domain between its dots. (A set of one character rather than `'.'`: the set is
/// matched character by character, `'.'` starts a memchr search for every label, which is
/// measurably slower on addresses this short.)
fn labels(domain: &str) -> impl DoubleEndedIterator<Item = &str> {
    domain.split(['.'])
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '.' || (!c.is_ascii() && c.is_alphabetic())
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for Email {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Email::parse(s)
    }
}

impl TryFrom<String> for Email {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

#[cfg(test)]
mod tests {
    use super::{Email, plain_ascii};
    use proptest::prelude::*;

    #[test]
    fn plain_addresses_are_accepted_in_one_pass_and_anything_unusual_is_checked_step_by_step() {
        for plain in [
            "ann.lee+x@example.com",
            "Ann_O'Neil@Mail.Example.CO.UK",
            "a1@b-c.de",
        ] {
            assert_eq!(
                plain_ascii(plain).as_deref(),
                Some(plain.to_ascii_lowercase().as_str())
            );
        }
        for unusual in [
            "",
            "ann@@example.com",
            ".ann@example.com",
            "ann.@example.com",
            "an..n@example.com",
            "ann@example",
            "ann@example.c",
            "ann@example.123",
            "ann@-example.com",
            "ann@example-.com",
            "ann@example..com",
            "ann@xn--bcher-kva.de",
            "ann@XN--bcher-kva.de",
            "ann@bücher.de",
            "zoë@example.com",
            "ann lee@example.com",
            "ann@exa_mple.com",
        ] {
            assert_eq!(plain_ascii(unusual), None, "{unusual}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Whatever the one pass accepts, the full checks accept too, and store the same.
        #[test]
        fn the_one_pass_accepts_only_what_the_full_checks_accept(
            typed in "[a-zA-Z0-9._+'!#$%&*/=?^`{|}~ -]{0,12}@?(xn--|XN--)?[a-zA-Z0-9._@-]{0,10}(\\.[a-zA-Z0-9-]{0,5}){0,3}"
        ) {
            if let Some(address) = plain_ascii(&typed) {
                prop_assert_eq!(Email::parse_checked(&typed), Ok(Email(address.into_owned())));
            }
        }

        /// The same, from addresses that are mostly valid (so the one pass says yes often).
        #[test]
        fn the_one_pass_and_the_full_checks_agree_on_likely_addresses(
            typed in "[a-zA-Z0-9][a-zA-Z0-9.+_-]{0,8}@[a-zA-Z0-9-]{1,8}(\\.[a-zA-Z0-9-]{1,6}){1,3}"
        ) {
            if let Some(address) = plain_ascii(&typed) {
                prop_assert_eq!(Email::parse_checked(&typed), Ok(Email(address.into_owned())));
            }
        }
    }

    #[test]
    fn an_internationalised_domain_is_one_address_however_it_is_typed() {
        let unicode = Email::parse("Same@Bücher.de").unwrap();
        let ascii = Email::parse("same@XN--BCHER-KVA.de").unwrap();
        assert_eq!(unicode, ascii);
        assert_eq!(ascii.as_str(), "same@bücher.de");
        assert_eq!(
            Email::parse("a@xn--wgv71a119e.jp").unwrap().as_str(),
            "a@日本語.jp"
        );
        let err = Email::parse("a@xn--zz!.de").unwrap_err();
        assert!(
            err.contains("is not a valid internationalised domain name"),
            "{err}"
        );
    }

    #[test]
    fn accepts_ordinary_and_unusual_but_valid_addresses() {
        let cases: &[(&str, &str)] = &[
            ("ann@example.com", "ann@example.com"),
            ("  ann@example.com\t", "ann@example.com"),
            ("Ann.Smith@Example.COM", "ann.smith@example.com"),
            ("ann+tag@example.com", "ann+tag@example.com"),
            ("ann_o'brien@example.ie", "ann_o'brien@example.ie"),
            ("a@b.co", "a@b.co"),
            (
                "x!#$%&'*+/=?^_`{|}~-y@example.org",
                "x!#$%&'*+/=?^_`{|}~-y@example.org",
            ),
            (
                "first.middle.last@mail.sub.example.co.uk",
                "first.middle.last@mail.sub.example.co.uk",
            ),
            ("ann@my-company.example", "ann@my-company.example"),
            ("ann@123.example.com", "ann@123.example.com"),
            ("ann@example.x1", "ann@example.x1"),
            ("José@Exämple.de", "josé@exämple.de"),
            ("мария@пример.рф", "мария@пример.рф"),
            ("用户@例子.广告", "用户@例子.广告"),
            ("ann@xn--exmple-cua.de", "ann@exämple.de"),
        ];
        for (input, stored) in cases {
            let email = Email::parse(input).unwrap_or_else(|e| panic!("{input:?} rejected: {e}"));
            assert_eq!(email.as_str(), *stored, "input: {input:?}");
        }
    }

    #[test]
    fn rejects_malformed_addresses_with_a_message_naming_the_input() {
        let long_label = "a".repeat(64);
        let long_domain = format!("ann@{}.com", "abcdefghi.".repeat(25));
        let long_local = format!("{}@example.com", "a".repeat(65));
        let cases: &[(&str, &str)] = &[
            ("", "Enter an email address"),
            ("   ", "Enter an email address"),
            (
                "ann.example.com",
                "\"ann.example.com\" has no @; an email address looks like name@example.com",
            ),
            (
                "ann@@example.com",
                "\"ann@@example.com\" has more than one @",
            ),
            (
                "ann@bob@example.com",
                "\"ann@bob@example.com\" has more than one @",
            ),
            ("@example.com", "\"@example.com\" has nothing before the @"),
            ("ann@", "\"ann@\" has nothing after the @"),
            (
                "ann smith@example.com",
                "\"ann smith@example.com\" contains a space; email addresses have no spaces",
            ),
            (
                "ann@exam ple.com",
                "\"ann@exam ple.com\" contains a space; email addresses have no spaces",
            ),
            (
                "ann\u{a0}x@example.com",
                "\"ann\\u{a0}x@example.com\" contains a space; email addresses have no spaces",
            ),
            (
                "ann\t@example.com",
                "\"ann\\t@example.com\" contains an invisible control character (such as a tab or line break); remove it and try again",
            ),
            (
                "ann@example.com\nBcc: x@y.com",
                "\"ann@example.com\\nBcc: x@y.com\" contains an invisible control character (such as a tab or line break); remove it and try again",
            ),
            (
                ".ann@example.com",
                "\".ann@example.com\": the part before the @ can't start with a dot",
            ),
            (
                "ann.@example.com",
                "\"ann.@example.com\": the part before the @ can't end with a dot",
            ),
            (
                "ann..smith@example.com",
                "\"ann..smith@example.com\" has two dots in a row",
            ),
            (
                "ann(work)@example.com",
                "\"ann(work)@example.com\" contains '(', which an email address can't have before the @",
            ),
            (
                "\"ann\"@example.com",
                "\"\\\"ann\\\"@example.com\" contains '\"', which an email address can't have before the @",
            ),
            (
                "ann,bob@example.com",
                "\"ann,bob@example.com\" contains ',', which an email address can't have before the @",
            ),
            (
                "ann\u{200b}@example.com",
                "\"ann\\u{200b}@example.com\" contains '\\u{200b}', which an email address can't have before the @",
            ),
            (
                "ann@localhost",
                "\"ann@localhost\": the part after the @ needs a dot, like example.com",
            ),
            (
                "ann@.example.com",
                "\"ann@.example.com\": the part after the @ can't start with a dot",
            ),
            (
                "ann@example.com.",
                "\"ann@example.com.\": the part after the @ can't end with a dot",
            ),
            (
                "ann@example..com",
                "\"ann@example..com\" has two dots in a row",
            ),
            (
                "ann@-example.com",
                "\"ann@-example.com\": \"-example\" in the part after the @ can't start or end with a hyphen",
            ),
            (
                "ann@example-.com",
                "\"ann@example-.com\": \"example-\" in the part after the @ can't start or end with a hyphen",
            ),
            (
                "ann@exa_mple.com",
                "\"ann@exa_mple.com\" contains '_', which an email address can't have after the @",
            ),
            (
                "ann@example.com>",
                "\"ann@example.com>\" contains '>', which an email address can't have after the @",
            ),
            (
                "ann@[192.168.0.1]",
                "\"ann@[192.168.0.1]\" contains '[', which an email address can't have after the @",
            ),
            (
                "ann@192.168.0.1",
                "\"ann@192.168.0.1\" ends in a number; use a domain name like example.com",
            ),
            (
                "ann@example.c",
                "\"ann@example.c\": the ending .c is too short; it should be like .com or .de",
            ),
            (
                "ann@example.com;",
                "\"ann@example.com;\" contains ';', which an email address can't have after the @",
            ),
            (
                "ann@ex😀ample.com",
                "\"ann@ex😀ample.com\" contains '😀', which an email address can't have after the @",
            ),
            (
                &long_local,
                "the part before the @ is too long (at most 64 characters)",
            ),
            (
                &long_domain,
                "is too long: an email address can have at most 254 characters",
            ),
        ];
        for (input, expected) in cases {
            let error = Email::parse(input).expect_err(input);
            assert!(
                error.contains(expected),
                "input: {input:?}\n got: {error}\nwant: {expected}"
            );
        }
        let error = Email::parse(&format!("ann@{long_label}.com")).unwrap_err();
        assert!(
            error.contains(
                "in the part after the @ is too long (at most 63 characters between dots)"
            ),
            "{error}"
        );
    }

    #[test]
    fn accepts_addresses_exactly_at_the_length_limits() {
        let local = format!("{}@example.com", "a".repeat(64));
        assert!(Email::parse(&local).is_ok());
        let label = format!("ann@{}.com", "a".repeat(63));
        assert!(Email::parse(&label).is_ok());
        // 4 + 10 * 24 + 10 = 254 characters.
        let whole = format!("ann@{}abcdef.com", "abcdefghi.".repeat(24));
        assert_eq!(whole.len(), 254);
        assert!(Email::parse(&whole).is_ok());
    }

    #[test]
    fn treats_addresses_differing_only_in_case_as_equal() {
        assert_eq!(
            Email::parse("ANN@Example.com"),
            Email::parse("ann@example.COM")
        );
    }

    #[test]
    fn splits_into_local_part_and_domain() {
        let email = Email::parse("Ann.Smith@Mail.Example.com").unwrap();
        assert_eq!(email.local_part(), "ann.smith");
        assert_eq!(email.domain(), "mail.example.com");
        assert_eq!(email.to_string(), "ann.smith@mail.example.com");
        assert_eq!(email.as_ref(), "ann.smith@mail.example.com");
        assert_eq!(String::from(email), "ann.smith@mail.example.com");
    }

    #[test]
    fn serialises_as_a_plain_string_and_parses_when_deserialised() {
        let email: Email = serde_json::from_str("\" ANN@example.com \"").unwrap();
        assert_eq!(
            serde_json::to_string(&email).unwrap(),
            "\"ann@example.com\""
        );
        let error = serde_json::from_str::<Email>("\"ann@@example.com\"").unwrap_err();
        assert!(error.to_string().contains("has more than one @"), "{error}");
    }
}
