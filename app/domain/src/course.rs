//! A course's title and description as an admin types them (the Courses section). The browser's form
//! and the server parse with the same functions, so the counter and the refusal agree.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{names::tidy, quoted};

pub const COURSE_TITLE_MAX_LEN: usize = 120;
pub const COURSE_DESCRIPTION_MAX_LEN: usize = 2_000;

/// At most this many teams are assigned to one course in one call (the picker offers the academy's
/// teams; this only bounds a hand-made request).
pub const MAX_TEAMS_PER_COURSE: usize = 500;

/// A course's title: 1–120 characters, tidied like every name (trimmed, inner whitespace one space,
/// no invisible characters). Unique per academy regardless of case — by [`CourseTitle::key`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CourseTitle(String);

impl CourseTitle {
    pub fn parse(input: &str) -> Result<CourseTitle, String> {
        let title = tidy(input)?;
        let len = title.chars().count();
        if len == 0 {
            return Err("Enter a title for the course".to_owned());
        }
        if len > COURSE_TITLE_MAX_LEN {
            return Err(format!(
                "The title is too long: {len} characters, at most {COURSE_TITLE_MAX_LEN} are allowed"
            ));
        }
        Ok(CourseTitle(title))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What two titles are compared by: lower-cased by Unicode's rules, so "Über" and "über" are the
    /// same title on SQLite and PostgreSQL alike (their `lower()` functions disagree).
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for CourseTitle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CourseTitle {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        CourseTitle::parse(&value)
    }
}

impl From<CourseTitle> for String {
    fn from(value: CourseTitle) -> String {
        value.0
    }
}

/// A course's description: optional, at most 2,000 characters. Line breaks are kept (as `\n`, whatever
/// the browser sent); the ends are trimmed; other invisible characters are refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CourseDescription(String);

impl CourseDescription {
    pub fn parse(input: &str) -> Result<CourseDescription, String> {
        let text = input.replace("\r\n", "\n").replace('\r', "\n");
        // Trailing spaces on each line and blank lines at either end carry nothing.
        let text = text
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned();
        if let Some((line, _)) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.chars().any(is_invisible))
        {
            return Err(format!(
                "Line {} of the description contains an invisible control character; remove it and try again",
                line + 1
            ));
        }
        let len = description_length(&text);
        if len > COURSE_DESCRIPTION_MAX_LEN {
            return Err(format!(
                "The description is too long: {len} characters, at most {COURSE_DESCRIPTION_MAX_LEN} are allowed"
            ));
        }
        Ok(CourseDescription(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The length the limit applies to (characters, a line break counting as one), for the form's counter.
pub fn description_length(input: &str) -> usize {
    input.chars().filter(|c| *c != '\r').count()
}

fn is_invisible(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl TryFrom<String> for CourseDescription {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        CourseDescription::parse(&value)
    }
}

impl From<CourseDescription> for String {
    fn from(value: CourseDescription) -> String {
        value.0
    }
}

/// Title and description parsed together: both problems are reported at once, each by its field name
/// (`title`, `description`).
pub fn parse_course(
    title: &str,
    description: &str,
) -> Result<(CourseTitle, CourseDescription), Vec<(&'static str, String)>> {
    match (
        CourseTitle::parse(title),
        CourseDescription::parse(description),
    ) {
        (Ok(t), Ok(d)) => Ok((t, d)),
        (t, d) => Err([("title", t.err()), ("description", d.err())]
            .into_iter()
            .filter_map(|(field, e)| e.map(|m| (field, m)))
            .collect()),
    }
}

/// What the admin is told when the title is taken, quoting it (shortened if long).
pub fn title_taken_message(title: &CourseTitle) -> String {
    format!(
        "A course titled {} already exists in this academy (titles are compared without regard to case). Choose another title.",
        quoted(title.as_str())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_tidied_and_bounded() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("  Safety  basics \t", Ok("Safety basics")),
            ("Über uns", Ok("Über uns")),
            ("", Err("Enter a title for the course")),
            ("  \n ", Err("Enter a title for the course")),
            ("Bad\u{202E}title", Err("invisible control character")),
            ("Null\u{0}byte", Err("invisible control character")),
        ];
        for (input, expected) in cases {
            match (CourseTitle::parse(input), expected) {
                (Ok(t), Ok(want)) => assert_eq!(t.as_str(), *want, "{input:?}"),
                (Err(e), Err(want)) => assert!(e.contains(want), "{input:?}: {e}"),
                (got, want) => panic!("{input:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn a_title_may_have_120_characters_but_not_121() {
        assert!(CourseTitle::parse(&"é".repeat(COURSE_TITLE_MAX_LEN)).is_ok());
        let err = CourseTitle::parse(&"x".repeat(COURSE_TITLE_MAX_LEN + 1)).unwrap_err();
        assert_eq!(
            err,
            "The title is too long: 121 characters, at most 120 are allowed"
        );
        // Surrounding spaces do not count.
        assert!(CourseTitle::parse(&format!("  {}  ", "x".repeat(COURSE_TITLE_MAX_LEN))).is_ok());
    }

    #[test]
    fn titles_that_differ_only_in_case_have_the_same_key() {
        let key = |s: &str| CourseTitle::parse(s).unwrap().key();
        assert_eq!(key("Safety Basics"), key("safety  BASICS"));
        assert_eq!(key("ÜBER UNS"), key("über uns"));
        assert_ne!(key("Safety"), key("Safety 2"));
    }

    #[test]
    fn descriptions_keep_their_lines_and_lose_what_carries_nothing() {
        let d =
            CourseDescription::parse("\r\n  First line.  \r\n\r\n\tIndented\rLast  \n\n").unwrap();
        assert_eq!(d.as_str(), "First line.\n\n\tIndented\nLast");
        assert_eq!(CourseDescription::parse("   ").unwrap().as_str(), "");
        assert_eq!(
            CourseDescription::parse("").unwrap(),
            CourseDescription::default()
        );
        let err = CourseDescription::parse("ok\nbad\u{7}bell").unwrap_err();
        assert!(err.starts_with("Line 2 of the description"), "{err}");
    }

    #[test]
    fn a_description_may_have_2000_characters_but_not_2001() {
        assert!(CourseDescription::parse(&"ü".repeat(COURSE_DESCRIPTION_MAX_LEN)).is_ok());
        let err =
            CourseDescription::parse(&"x".repeat(COURSE_DESCRIPTION_MAX_LEN + 1)).unwrap_err();
        assert_eq!(
            err,
            "The description is too long: 2001 characters, at most 2000 are allowed"
        );
        // A Windows line break counts as one character, as the stored text has it.
        let lines = format!("{}\r\n{}", "x".repeat(999), "y".repeat(1000));
        assert_eq!(description_length(&lines), COURSE_DESCRIPTION_MAX_LEN);
        assert!(CourseDescription::parse(&lines).is_ok());
    }

    #[test]
    fn title_and_description_are_checked_together() {
        let errors = parse_course(" ", &"x".repeat(2_001)).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["title", "description"]);
        let errors = parse_course("Fine", "bad\u{0}").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, "description");
        let (t, d) = parse_course(" Onboarding ", "").unwrap();
        assert_eq!((t.as_str(), d.as_str()), ("Onboarding", ""));
    }

    #[test]
    fn the_taken_message_names_the_title() {
        let t = CourseTitle::parse("Safety").unwrap();
        assert!(title_taken_message(&t).starts_with("A course titled \"Safety\" already exists"));
    }
}
