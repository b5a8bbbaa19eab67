//! Pure domain types and rules shared by the browser and the server: every value that crosses a form,
//! a CSV file or the API is parsed here once, so the preview and the enforcement can never disagree.
//! No IO and no dependencies beyond std, serde and csv. A crate of its own (`app` re-exports it as
//! `app::domain`): its unit tests compile without the UI, and the WASM build can optimise it for
//! speed (the CSV preview checks every row of a file here) while the pages stay optimised for size.

pub mod access_request;
pub mod account;
pub mod api_client;
pub mod audit;
pub mod calendar;
#[cfg(feature = "ssr")]
mod columns;
pub mod course;
pub mod csv_import;
pub mod email;
pub mod format;
pub mod id;
pub mod invite;
pub mod invite_decision;
pub mod invite_message;
pub mod names;
pub mod password;
pub mod pasted_people;
pub mod permission;
mod punycode;
pub mod role;
pub mod search;
pub mod slug;
pub mod statistics;
pub mod stored;
pub mod team;
pub mod text;
pub mod webhook;

pub use email::Email;
pub use id::{
    AcademyId, AccessRequestId, ApiClientId, AuditEntryId, CourseId, DeliveryId, ImportId,
    InviteId, InviteTokenId, OutboxId, PasswordResetId, SignupCodeId, TeamId, UserId, WebhookId,
};
pub use names::{AcademyName, PersonName};
pub use password::Password;
pub use permission::Permission;
pub use role::{LEARNER_ROLES, Plan, Role};
pub use slug::Slug;

/// One day in milliseconds: every time Shoal stores is unix milliseconds (UTC), and every day
/// long span is counted with this one constant.
pub const DAY_MS: i64 = 86_400_000;

/// How many characters of someone's input we repeat back in an error message; a whole CSV line
/// pasted into a field would otherwise drown the message.
const QUOTE_MAX_CHARS: usize = 60;

/// The user's input in double quotes for an error message, shortened if long. Debug formatting makes
/// invisible characters visible (`\t`, `\u{200b}`), which is exactly what a puzzled admin needs to see.
pub(crate) fn quoted(input: &str) -> String {
    match input.char_indices().nth(QUOTE_MAX_CHARS) {
        Some((cut, _)) => format!("{:?}", format!("{}…", &input[..cut])),
        None => format!("{input:?}"),
    }
}

/// `byte` (an ASCII character) twice in a row in `text`, e.g. `..` in an address. A plain loop:
/// `str::contains("..")` sets up a substring search for every call, which checking 100,000 rows of
/// a file pays for hundreds of thousands of times.
pub(crate) fn has_twice_in_a_row(text: &str, byte: u8) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| w[0] == byte && w[1] == byte)
}

/// `str::trim`, answered at once when both ends are ASCII and not white space (nearly every value
/// of a learners file): `trim` itself is a call that decodes a character at each end, made for
/// every value the upload preview checks.
#[inline]
pub(crate) fn trimmed(text: &str) -> &str {
    let solid = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii() && !char::from(b).is_whitespace());
    if solid(text.as_bytes().first()) && solid(text.as_bytes().last()) {
        text
    } else {
        text.trim()
    }
}

/// `byte` (an ASCII character) anywhere in `text`.
pub(crate) fn has_byte(text: &str, byte: u8) -> bool {
    text.bytes().any(|b| b == byte)
}

#[cfg(test)]
mod tests {
    use super::{has_byte, has_twice_in_a_row, quoted, trimmed};

    #[test]
    fn trimmed_is_str_trim_whatever_the_ends() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "\u{b}a",
            "a\u{b}",
            "\u{a0}é\u{2003}",
            "é",
            "Zoë",
            "ann@x.io",
            "\u{3000}",
        ] {
            assert_eq!(trimmed(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn finds_a_character_twice_in_a_row_and_anywhere() {
        assert!(has_twice_in_a_row("a..b", b'.'));
        assert!(has_twice_in_a_row("Ann  Lee", b' '));
        assert!(!has_twice_in_a_row("a.b.c", b'.'));
        assert!(!has_twice_in_a_row("é.", b'.'));
        assert!(has_byte("ann@x.io", b'@'));
        assert!(!has_byte("żółć", b'@'));
    }

    #[test]
    fn quotes_input_and_shortens_long_input() {
        let long = "a".repeat(100);
        let cases: &[(&str, String)] = &[
            ("ann", "\"ann\"".to_owned()),
            ("tab\there", "\"tab\\there\"".to_owned()),
            ("zero\u{200b}width", "\"zero\\u{200b}width\"".to_owned()),
            ("żółć", "\"żółć\"".to_owned()),
            (&long, format!("\"{}…\"", "a".repeat(60))),
        ];
        for (input, expected) in cases {
            assert_eq!(&quoted(input), expected, "input: {input:?}");
        }
    }
}
