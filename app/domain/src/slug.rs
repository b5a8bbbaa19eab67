//! The academy's short name in its web address (`/acme-onboarding`): parsing with messages that offer
//! a fix, and a suggestion derived from the academy's name.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::quoted;

pub const MIN_LEN: usize = 3;
pub const MAX_LEN: usize = 40;

/// Words that would collide with Shoal's own routes or look official.
pub const RESERVED: &[&str] = &[
    "a", "admin", "api", "assets", "dev", "healthz", "login", "logout", "new", "oauth", "pkg",
    "settings", "setup", "static", "www",
];

/// A valid academy slug: 3–40 characters of `a–z`, `0–9` and single hyphens, starting with a letter.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub fn parse(input: &str) -> Result<Slug, String> {
        let slug = input.trim();
        if slug.is_empty() {
            return Err("Enter a web address for the academy, like \"acme-onboarding\"".to_owned());
        }
        let q = quoted(slug);
        if slug.chars().any(char::is_uppercase) {
            return Err(match usable_suggestion(slug) {
                Some(s) => format!("Use lowercase letters: try {}", quoted(&s)),
                None => "Use lowercase letters a–z, digits and hyphens only".to_owned(),
            });
        }
        if !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            let hint = "can only contain lowercase letters a–z, digits and hyphens";
            return Err(match usable_suggestion(slug) {
                Some(s) => format!("{q} {hint}: try {}", quoted(&s)),
                None => format!("{q} {hint}"),
            });
        }
        let len = slug.len(); // ASCII from here on, so bytes are characters.
        if len < MIN_LEN {
            return Err(format!(
                "{q} is too short: use at least {MIN_LEN} characters"
            ));
        }
        if len > MAX_LEN {
            return Err(format!("{q} is too long: use at most {MAX_LEN} characters"));
        }
        if !slug.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(format!("{q} must start with a letter"));
        }
        if slug.ends_with('-') {
            return Err(format!("{q} can't end with a hyphen"));
        }
        if slug.contains("--") {
            return Err(format!("{q} can't have two hyphens in a row"));
        }
        if RESERVED.contains(&slug) {
            return Err(format!("{q} is reserved by Shoal; choose another"));
        }
        Ok(Slug(slug.to_owned()))
    }

    /// Derives a slug from an academy name: lowercase, common Latin accents folded to ASCII,
    /// apostrophes dropped ("Tom's" → "toms"), every other run of non-alphanumerics one '-', at most
    /// 40 characters. Returns `""` when nothing usable is left (e.g. a name in Cyrillic). The result
    /// is a proposal: it may still fail `parse` (starts with a digit, too short, reserved).
    pub fn suggest(name: &str) -> String {
        let mut out = String::with_capacity(name.len().min(MAX_LEN + 4));
        let mut pending_hyphen = false;
        for c in name.chars().flat_map(char::to_lowercase) {
            if matches!(c, '\'' | '’' | 'ʼ') {
                continue;
            }
            let mut buf = [0; 4];
            let piece = if c.is_ascii_lowercase() || c.is_ascii_digit() {
                Some(&*c.encode_utf8(&mut buf))
            } else {
                fold(c)
            };
            let Some(piece) = piece else {
                pending_hyphen = true;
                continue;
            };
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.push_str(piece);
            if out.len() >= MAX_LEN {
                break;
            }
        }
        out.truncate(MAX_LEN);
        let trimmed = out.trim_end_matches('-').len();
        out.truncate(trimmed);
        out
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The suggestion for `input` if it would be accepted, so a message never proposes something invalid.
fn usable_suggestion(input: &str) -> Option<String> {
    let s = Slug::suggest(input);
    Slug::parse(&s).is_ok().then_some(s)
}

/// ASCII for a lowercase Latin letter with an accent (and a few ligatures); `None` for anything
/// else, which becomes a hyphen.
fn fold(c: char) -> Option<&'static str> {
    let ascii = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        _ => return None,
    };
    Some(ascii)
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for Slug {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Slug::parse(s)
    }
}

impl TryFrom<String> for Slug {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Slug::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> String {
        slug.0
    }
}

#[cfg(test)]
mod tests {
    use super::{RESERVED, Slug};

    #[test]
    fn accepts_lowercase_slugs_within_the_rules() {
        let forty = format!("a{}", "b".repeat(39));
        let cases: &[(&str, &str)] = &[
            ("acme", "acme"),
            ("  acme-onboarding ", "acme-onboarding"),
            ("abc", "abc"),
            ("a1b", "a1b"),
            ("team-2024", "team-2024"),
            ("x-y-z", "x-y-z"),
            ("admins", "admins"),
            ("newcomers", "newcomers"),
            (&forty, &forty),
        ];
        for (input, stored) in cases {
            let slug = Slug::parse(input).unwrap_or_else(|e| panic!("{input:?} rejected: {e}"));
            assert_eq!(slug.as_str(), *stored);
        }
    }

    #[test]
    fn rejects_slugs_breaking_the_rules_with_a_helpful_message() {
        let forty_one = format!("a{}", "b".repeat(40));
        let too_long = format!("\"{forty_one}\" is too long: use at most 40 characters");
        let cases: &[(&str, &str)] = &[
            (
                "",
                "Enter a web address for the academy, like \"acme-onboarding\"",
            ),
            (
                "   ",
                "Enter a web address for the academy, like \"acme-onboarding\"",
            ),
            (
                "Acme-Onboarding",
                "Use lowercase letters: try \"acme-onboarding\"",
            ),
            (
                "Acme Onboarding",
                "Use lowercase letters: try \"acme-onboarding\"",
            ),
            (
                "ADMIN",
                "Use lowercase letters a–z, digits and hyphens only",
            ),
            (
                "acme onboarding",
                "\"acme onboarding\" can only contain lowercase letters a–z, digits and hyphens: try \"acme-onboarding\"",
            ),
            (
                "café-team",
                "\"café-team\" can only contain lowercase letters a–z, digits and hyphens: try \"cafe-team\"",
            ),
            (
                "acme_onboarding",
                "\"acme_onboarding\" can only contain lowercase letters a–z, digits and hyphens: try \"acme-onboarding\"",
            ),
            (
                "академия",
                "\"академия\" can only contain lowercase letters a–z, digits and hyphens",
            ),
            ("ab", "\"ab\" is too short: use at least 3 characters"),
            (&forty_one, &too_long),
            ("1acme", "\"1acme\" must start with a letter"),
            ("-acme", "\"-acme\" must start with a letter"),
            ("acme-", "\"acme-\" can't end with a hyphen"),
            (
                "acme--team",
                "\"acme--team\" can't have two hyphens in a row",
            ),
            ("admin", "\"admin\" is reserved by Shoal; choose another"),
            (
                "healthz",
                "\"healthz\" is reserved by Shoal; choose another",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Slug::parse(input).unwrap_err(),
                *expected,
                "input: {input:?}"
            );
        }
    }

    #[test]
    fn rejects_every_reserved_word() {
        for word in RESERVED {
            assert!(Slug::parse(word).is_err(), "{word} accepted");
        }
    }

    #[test]
    fn suggests_a_slug_from_an_academy_name() {
        let cases: &[(&str, &str)] = &[
            ("Acme Onboarding", "acme-onboarding"),
            ("  Acme   Onboarding!! ", "acme-onboarding"),
            ("Café Müller", "cafe-muller"),
            ("Straße & Söhne", "strasse-sohne"),
            ("Ørsted Åkerberg", "orsted-akerberg"),
            ("Façade Niño", "facade-nino"),
            ("Łódź Dvořák", "lodz-dvorak"),
            ("Tom's Academy", "toms-academy"),
            ("Tom’s Academy", "toms-academy"),
            ("ACME_2024 (beta)", "acme-2024-beta"),
            ("2024 Cohort", "2024-cohort"),
            ("---", ""),
            ("Академия", ""),
            ("Академия Acme", "acme"),
            ("", ""),
        ];
        for (name, expected) in cases {
            assert_eq!(Slug::suggest(name), *expected, "name: {name:?}");
        }
    }

    #[test]
    fn cuts_long_suggestions_to_forty_characters_without_a_trailing_hyphen() {
        let cases: &[(&str, &str)] = &[
            (
                "The Very Long Name Of An Academy For Onboarding New People",
                "the-very-long-name-of-an-academy-for-onb",
            ),
            (
                "abcdefghij abcdefghij abcdefghij abcdef ghij",
                "abcdefghij-abcdefghij-abcdefghij-abcdef",
            ),
            (
                "Grüße aus Straßburg und Österreich und mehr",
                "grusse-aus-strassburg-und-osterreich-und",
            ),
        ];
        for (name, expected) in cases {
            let slug = Slug::suggest(name);
            assert_eq!(slug, *expected, "name: {name:?}");
            assert!(slug.len() <= 40);
        }
    }

    #[test]
    fn serialises_as_a_plain_string_and_parses_when_deserialised() {
        let slug: Slug = serde_json::from_str("\"acme\"").unwrap();
        assert_eq!(serde_json::to_string(&slug).unwrap(), "\"acme\"");
        assert!(serde_json::from_str::<Slug>("\"api\"").is_err());
    }
}
