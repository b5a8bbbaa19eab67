//! Names people type: a person's first or last name and an academy's name. Both are tidied (trimmed,
//! inner runs of whitespace made one space) and kept free of invisible characters, because they end
//! up in emails, CSV exports and other people's screens.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{has_twice_in_a_row, quoted};

pub const PERSON_NAME_MAX_LEN: usize = 100;
pub const ACADEMY_NAME_MIN_LEN: usize = 2;
pub const ACADEMY_NAME_MAX_LEN: usize = 80;

/// A person's first or last name: 1–100 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

/// An academy's display name: 2–80 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AcademyName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, String> {
        Self::check(input).map(|name| PersonName(name.into_owned()))
    }

    /// The name as `parse` would keep it, without copying it when it is tidy already (checking a
    /// file of 100,000 rows makes no string per name).
    pub fn check(input: &str) -> Result<Cow<'_, str>, String> {
        let name = tidy_cow(input)?;
        if name.is_empty() {
            return Err("Enter a name".to_owned());
        }
        // A name's bytes are at least its characters: only a long one needs counting.
        if name.len() > PERSON_NAME_MAX_LEN && name.chars().count() > PERSON_NAME_MAX_LEN {
            return Err(format!(
                "{} is too long: a name can have at most {PERSON_NAME_MAX_LEN} characters",
                quoted(&name)
            ));
        }
        Ok(name)
    }

    /// `parse`, answering `missing` (the form's own words, e.g. "Enter your first name") when
    /// nothing was typed, and the real reason (too long, a control character, only invisible
    /// characters) otherwise.
    pub fn parse_or(input: &str, missing: &str) -> Result<PersonName, String> {
        Self::parse(input).map_err(|why| {
            if input.trim().is_empty() {
                missing.to_owned()
            } else {
                why
            }
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AcademyName {
    pub fn parse(input: &str) -> Result<AcademyName, String> {
        let name = tidy(input)?;
        let len = name.chars().count();
        if len == 0 {
            return Err("Enter a name for the academy".to_owned());
        }
        if len < ACADEMY_NAME_MIN_LEN {
            return Err(format!(
                "{} is too short: an academy name needs at least {ACADEMY_NAME_MIN_LEN} characters",
                quoted(&name)
            ));
        }
        if len > ACADEMY_NAME_MAX_LEN {
            return Err(format!(
                "{} is too long: an academy name can have at most {ACADEMY_NAME_MAX_LEN} characters",
                quoted(&name)
            ));
        }
        Ok(AcademyName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Trims, turns every run of whitespace (tabs and line breaks included) into one space, then refuses
/// what is still invisible: control characters and the bidirectional overrides that can make a name
/// display as something else ("Trojan Source").
pub(crate) fn tidy(input: &str) -> Result<String, String> {
    tidy_cow(input).map(Cow::into_owned)
}

/// `tidy`, borrowing the input when it has nothing to tidy (single spaces between words).
fn tidy_cow(input: &str) -> Result<Cow<'_, str>, String> {
    if is_plain_name(input) {
        Ok(Cow::Borrowed(input))
    } else {
        tidy_checked(input)
    }
}

/// `tidy_cow` check by check, each with its own message.
fn tidy_checked(input: &str) -> Result<Cow<'_, str>, String> {
    let trimmed = input.trim();
    let tidy_already = !has_twice_in_a_row(trimmed, b' ')
        && !trimmed.chars().any(|c| c.is_whitespace() && c != ' ');
    let name = if tidy_already {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(input.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    if name.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(format!(
            "{} contains an invisible control character; remove it and try again",
            quoted(&name)
        ));
    }
    if !name.is_empty() && name.chars().all(|c| c == ' ' || is_invisible(c)) {
        return Err(format!(
            "{} has only invisible characters (such as a zero-width space); type a name",
            quoted(&name)
        ));
    }
    Ok(name)
}

/// Words of visible characters with single spaces between them and none around: nothing to
/// tidy and nothing to refuse, found in one pass (most names in a file are, accents or not; the
/// checks below take five).
fn is_plain_name(input: &str) -> bool {
    let bytes = input.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if first == b' ' || last == b' ' {
        return false;
    }
    if input.is_ascii() {
        let mut previous = first;
        return bytes.iter().all(|&b| {
            let plain = b.is_ascii_graphic() || (b == b' ' && previous != b' ');
            previous = b;
            plain
        });
    }
    let mut previous = ' ';
    input.chars().all(|c| {
        let plain = if c == ' ' {
            previous != ' '
        } else if c.is_ascii() {
            c.is_ascii_graphic()
        } else {
            !c.is_whitespace() && !c.is_control() && !is_bidi_control(c) && !is_invisible(c)
        };
        previous = c;
        plain
    })
}

/// Characters that take no room on screen (zero-width spaces and joiners, the word joiner, the
/// byte-order mark, the soft hyphen, …): a name made only of them looks empty.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
    )
}

pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

macro_rules! string_newtype_impls {
    ($ty:ident) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $ty {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::parse(s)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = String;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                $ty::parse(&value)
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.0
            }
        }
    };
}

string_newtype_impls!(PersonName);
string_newtype_impls!(AcademyName);

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Whatever the one pass takes as tidy already, the checks one by one leave as it is.
        #[test]
        fn a_plain_name_is_one_the_full_checks_leave_as_it_is(
            name in "[ a-zA-Zé\u{A0}\u{200B}'.-]{0,3}[ \t\u{A0}\u{200B}\u{202E}\u{3000}\u{7F}\u{85}a-zA-Z'.éЖ李-]{0,12}[ a-zA-Zé\u{2003}'.-]{0,3}"
        ) {
            if super::is_plain_name(&name) {
                prop_assert_eq!(super::tidy_checked(&name), Ok(name.as_str().into()));
            }
        }
    }

    #[test]
    fn plain_names_are_taken_in_one_pass_and_others_checked_step_by_step() {
        for plain in [
            "Ann",
            "Mary-Kate O'Neil",
            "Van der Berg",
            "J. R. R.",
            "Zoë",
            "José María",
            "李 小龙",
        ] {
            assert!(super::is_plain_name(plain), "{plain}");
        }
        for other in [
            "",
            " Ann",
            "Ann ",
            "Ann  Lee",
            "Ann\tLee",
            "Zoë\u{A0}Lee",
            "\u{3000}Zoë",
            "Zoë\u{85}",
            "An\u{200B}n",
            "Zoë\u{202E}",
            " ",
        ] {
            assert!(!super::is_plain_name(other), "{other:?}");
        }
    }
    use super::{AcademyName, PERSON_NAME_MAX_LEN, PersonName};

    #[test]
    fn tidies_person_names() {
        let hundred = "é".repeat(100);
        let cases: &[(&str, &str)] = &[
            ("Ann", "Ann"),
            ("  Ann  ", "Ann"),
            ("Mary   Ann", "Mary Ann"),
            ("Mary\tAnn\r\nSmith", "Mary Ann Smith"),
            ("Mary\u{a0}Ann", "Mary Ann"),
            ("O'Brien-Smith", "O'Brien-Smith"),
            ("X", "X"),
            ("李", "李"),
            ("محمد", "محمد"),
            (&hundred, &hundred),
        ];
        for (input, stored) in cases {
            let name = PersonName::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(name.as_str(), *stored, "input: {input:?}");
        }
    }

    #[test]
    fn rejects_person_names_that_are_empty_too_long_or_contain_control_characters() {
        let too_long = "a".repeat(101);
        let too_long_message = format!(
            "\"{}…\" is too long: a name can have at most 100 characters",
            "a".repeat(60)
        );
        let cases: &[(&str, &str)] = &[
            ("", "Enter a name"),
            (" \t\n ", "Enter a name"),
            (&too_long, &too_long_message),
            (
                "Ann\u{0}",
                "\"Ann\\0\" contains an invisible control character; remove it and try again",
            ),
            (
                "Ann\u{7f}",
                "\"Ann\\u{7f}\" contains an invisible control character; remove it and try again",
            ),
            (
                "Ann\u{202e}nimda",
                "\"Ann\\u{202e}nimda\" contains an invisible control character; remove it and try again",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                PersonName::parse(input).unwrap_err(),
                *expected,
                "input: {input:?}"
            );
        }
    }

    #[test]
    fn checks_academy_names_between_two_and_eighty_characters() {
        let eighty = "a".repeat(80);
        let eighty_one = "a".repeat(81);
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("  Acme   Academy ", Ok("Acme Academy")),
            ("AB", Ok("AB")),
            ("Ørsted Onboarding", Ok("Ørsted Onboarding")),
            (&eighty, Ok(&eighty)),
            ("", Err("Enter a name for the academy")),
            ("   ", Err("Enter a name for the academy")),
            (
                "A",
                Err("\"A\" is too short: an academy name needs at least 2 characters"),
            ),
            (
                " A ",
                Err("\"A\" is too short: an academy name needs at least 2 characters"),
            ),
            (
                &eighty_one,
                Err("is too long: an academy name can have at most 80 characters"),
            ),
            (
                "Acme\u{1b}[31m",
                Err("contains an invisible control character; remove it and try again"),
            ),
        ];
        for (input, expected) in cases {
            match (AcademyName::parse(input), expected) {
                (Ok(name), Ok(stored)) => assert_eq!(name.as_str(), *stored),
                (Err(error), Err(message)) => {
                    assert!(
                        error.contains(message),
                        "input: {input:?}\n got: {error}\nwant: {message}"
                    )
                }
                (got, _) => panic!("input {input:?}: unexpected {got:?}"),
            }
        }
    }

    #[test]
    fn serialises_names_as_plain_strings_and_parses_when_deserialised() {
        let name: PersonName = serde_json::from_str("\"  Mary  Ann \"").unwrap();
        assert_eq!(serde_json::to_string(&name).unwrap(), "\"Mary Ann\"");
        assert!(serde_json::from_str::<PersonName>("\"  \"").is_err());
        let academy: AcademyName = serde_json::from_str("\"Acme\"").unwrap();
        assert_eq!(academy.to_string(), "Acme");
        assert!(serde_json::from_str::<AcademyName>("\"A\"").is_err());
    }

    #[test]
    fn a_name_of_invisible_characters_only_is_refused_with_its_reason() {
        for input in ["\u{200b}", " \u{200b}\u{feff} ", "\u{2060}\u{00ad}"] {
            let err = PersonName::parse(input).unwrap_err();
            assert!(
                err.contains("only invisible characters"),
                "{input:?}: {err}"
            );
        }
        assert!(
            PersonName::parse("Zoë\u{200b}").is_ok(),
            "a visible letter makes it a name"
        );
    }

    #[test]
    fn the_fields_own_words_are_for_a_missing_name_only() {
        assert_eq!(
            PersonName::parse_or("  ", "Enter your first name").unwrap_err(),
            "Enter your first name"
        );
        let long = "x".repeat(PERSON_NAME_MAX_LEN + 1);
        let err = PersonName::parse_or(&long, "Enter your first name").unwrap_err();
        assert!(err.contains("at most 100 characters"), "{err}");
        let err = PersonName::parse_or("Ann\u{0007}", "Enter your first name").unwrap_err();
        assert!(err.contains("control character"), "{err}");
    }
}
