//! A new password as a learner or admin chooses it: long enough, not absurdly long, not one of the
//! passwords attackers try first (NIST SP 800-63B: length and a blocklist, no composition rules).
//! Deliberately not `Serialize`, and `Debug` hides it, so it cannot leak into a response or a log.

use std::fmt;

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

/// Lowercase, sorted by bytes, one per line, only entries of at least `MIN_LEN` characters
/// (shorter ones fail the length rule anyway). A linear scan over ~600 short lines costs
/// microseconds, so the browser can run it on every keystroke.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

const COMMON_MESSAGE: &str = "This password is one of the most common ones; choose another";

#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// Checks length in characters (not bytes, so "ääääääää" counts as 8) and the common-password
    /// list, ignoring case. The password is never trimmed or changed, and never quoted in a message.
    pub fn parse(input: &str) -> Result<Password, String> {
        let len = input.chars().count();
        if len < MIN_LEN {
            return Err(format!(
                "The password is too short: use at least {MIN_LEN} characters"
            ));
        }
        if len > MAX_LEN {
            return Err(format!(
                "The password is too long: use at most {MAX_LEN} characters"
            ));
        }
        if is_common(input) {
            return Err(COMMON_MESSAGE.to_owned());
        }
        Ok(Password(input.to_owned()))
    }

    /// Like [`Password::parse`], and also refuses the person's own email address or the part
    /// before its @, ignoring case; these are the first guesses of anyone who knows the address.
    pub fn parse_for(input: &str, email: &str) -> Result<Password, String> {
        let password = Password::parse(input)?;
        let candidate = input.to_lowercase();
        let email = email.trim().to_lowercase();
        if !email.is_empty() && candidate == email {
            return Err("Choose a password that isn't your email address".to_owned());
        }
        if let Some((local, _)) = email.rsplit_once('@')
            && !local.is_empty()
            && candidate == local
        {
            return Err(
                "Choose a password that isn't the first part of your email address".to_owned(),
            );
        }
        Ok(password)
    }

    /// The password itself, for hashing. The name makes every use easy to find.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

fn is_common(input: &str) -> bool {
    let candidate = input.to_lowercase();
    COMMON_PASSWORDS.lines().any(|line| line == candidate)
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::{COMMON_PASSWORDS, MAX_LEN, MIN_LEN, Password};

    const TOO_SHORT: &str = "The password is too short: use at least 8 characters";
    const TOO_LONG: &str = "The password is too long: use at most 128 characters";
    const COMMON: &str = "This password is one of the most common ones; choose another";

    #[test]
    fn accepts_passwords_of_eight_to_128_characters_without_composition_rules() {
        let longest = "x".repeat(MAX_LEN);
        let cases: &[&str] = &[
            "correct horse battery staple",
            "tulpenfeld",
            "  spaced out  ",
            "ääääääää",
            "日本語のパスワード",
            "mkT9#qL2",
            &longest,
        ];
        for input in cases {
            let password = Password::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(
                password.expose(),
                *input,
                "the password is stored unchanged"
            );
        }
    }

    #[test]
    fn rejects_passwords_that_are_too_short_too_long_or_common() {
        let too_long = "x".repeat(MAX_LEN + 1);
        let cases: &[(&str, &str)] = &[
            ("", TOO_SHORT),
            ("1234567", TOO_SHORT),
            ("äöüäöüä", TOO_SHORT),
            (&too_long, TOO_LONG),
            ("password", COMMON),
            ("PASSWORD", COMMON),
            ("Password1", COMMON),
            ("12345678", COMMON),
            ("qwertyuiop", COMMON),
            ("iloveyou", COMMON),
            ("Sunshine1", COMMON),
            ("P@ssw0rd", COMMON),
            ("trustno1", COMMON),
            ("Summer2024", COMMON),
            ("Winter2025!", COMMON),
            ("1q2w3e4r", COMMON),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Password::parse(input).unwrap_err(),
                *expected,
                "input: {input:?}"
            );
        }
    }

    #[test]
    fn rejects_a_password_equal_to_the_email_or_its_local_part() {
        let cases: &[(&str, &str, Result<(), &str>)] = &[
            (
                "ann.smith@example.com",
                "Ann.Smith@Example.com",
                Err("Choose a password that isn't your email address"),
            ),
            (
                "ann.smith",
                " ann.smith@example.com ",
                Err("Choose a password that isn't the first part of your email address"),
            ),
            (
                "ANN.SMITH",
                "ann.smith@example.com",
                Err("Choose a password that isn't the first part of your email address"),
            ),
            ("ann.smith2", "ann.smith@example.com", Ok(())),
            ("example.com", "ann.smith@example.com", Ok(())),
            ("tulpenfeld", "", Ok(())),
            ("tulpenfeld", "not an email", Ok(())),
            ("password", "ann@example.com", Err(COMMON)),
            ("short", "short@example.com", Err(TOO_SHORT)),
        ];
        for (password, email, expected) in cases {
            let got = Password::parse_for(password, email).map(|_| ());
            assert_eq!(
                got,
                expected.map_err(str::to_owned),
                "{password:?} for {email:?}"
            );
        }
    }

    #[test]
    fn never_shows_the_password_in_debug_output() {
        let password = Password::parse("tulpenfeld").unwrap();
        assert_eq!(format!("{password:?}"), "Password(***)");
        assert_eq!(format!("{:?}", Some(password)), "Some(Password(***))");
    }

    #[test]
    fn keeps_the_common_password_list_lowercase_sorted_unique_and_long_enough() {
        let lines: Vec<&str> = COMMON_PASSWORDS.lines().collect();
        assert!(lines.len() >= 300, "only {} entries", lines.len());
        for line in &lines {
            assert_eq!(*line, line.to_lowercase(), "not lowercase: {line:?}");
            assert_eq!(*line, line.trim(), "surrounding whitespace: {line:?}");
            assert!(
                line.chars().count() >= MIN_LEN,
                "shorter than {MIN_LEN}: {line:?}"
            );
        }
        for pair in lines.windows(2) {
            assert!(
                pair[0] < pair[1],
                "not sorted or duplicated: {:?} then {:?}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn rejects_every_entry_of_the_common_password_list() {
        for line in COMMON_PASSWORDS.lines() {
            assert_eq!(Password::parse(line).unwrap_err(), COMMON, "{line:?}");
            assert!(
                Password::parse(&line.to_uppercase()).is_err(),
                "{line:?} in capitals"
            );
        }
    }
}
