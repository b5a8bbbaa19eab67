//! The personal message an invitation email carries: the academy's default (Settings →
//! Invitations) or the words an admin gives one batch (the invite dialog, a CSV upload, a team's
//! dialog, the API). The same rule for all of them, in the browser and on the server.

use super::names::is_bidi_control;

/// The most characters a personal message may have (it sits above the link in the email).
pub const MESSAGE_MAX_CHARS: usize = 1_000;
/// The most lines: a message, not a document.
pub const MESSAGE_MAX_LINES: usize = 30;

/// A personal message as the email shows it: trimmed, line ends made `\n`, no more than one empty
/// line in a row; empty is "no message".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonalMessage(String);

impl PersonalMessage {
    pub fn parse(raw: &str) -> Result<PersonalMessage, String> {
        let mut lines: Vec<&str> = Vec::new();
        for line in raw.lines().map(str::trim_end) {
            if line.trim().is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
                continue;
            }
            lines.push(if line.trim().is_empty() { "" } else { line });
        }
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let text = lines.join("\n").trim().to_string();
        if let Some((n, _)) = text.split('\n').enumerate().find(|(_, l)| {
            l.chars()
                .any(|c| (c.is_control() && c != '\t') || is_bidi_control(c))
        }) {
            return Err(format!(
                "Line {} of the personal message contains an invisible control character; remove it and try again.",
                n + 1
            ));
        }
        let chars = text.chars().count();
        if chars > MESSAGE_MAX_CHARS {
            return Err(format!(
                "The personal message has {chars} characters; at most {MESSAGE_MAX_CHARS} fit in the invitation email."
            ));
        }
        if lines.len() > MESSAGE_MAX_LINES {
            return Err(format!(
                "The personal message has {} lines; at most {MESSAGE_MAX_LINES} fit in the invitation email.",
                lines.len()
            ));
        }
        Ok(PersonalMessage(text))
    }

    /// A message stored by `parse` earlier (the database only holds parsed ones).
    pub fn from_stored(text: String) -> PersonalMessage {
        PersonalMessage(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.0.split('\n')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_trimmed_and_keeps_one_empty_line_between_paragraphs() {
        let m = PersonalMessage::parse(
            "\r\n  Welcome aboard!  \r\n\r\n\r\n\r\nSee you Monday.\r\n\r\n",
        )
        .unwrap();
        assert_eq!(m.as_str(), "Welcome aboard!\n\nSee you Monday.");
        assert_eq!(m.lines().count(), 3);
    }

    #[test]
    fn an_empty_or_blank_message_is_no_message() {
        assert!(PersonalMessage::parse("").unwrap().is_empty());
        assert!(PersonalMessage::parse(" \n\t\n ").unwrap().is_empty());
    }

    #[test]
    fn a_message_too_long_says_how_long_it_is() {
        let err = PersonalMessage::parse(&"a".repeat(MESSAGE_MAX_CHARS + 1)).unwrap_err();
        assert!(err.contains("1001 characters"), "{err}");
        assert!(PersonalMessage::parse(&"a".repeat(MESSAGE_MAX_CHARS)).is_ok());
        let many = "line\n".repeat(MESSAGE_MAX_LINES + 1);
        assert!(
            PersonalMessage::parse(&many)
                .unwrap_err()
                .contains("31 lines")
        );
    }

    #[test]
    fn control_and_direction_characters_are_refused_naming_the_line() {
        let err = PersonalMessage::parse("Hello\nthere\u{7}").unwrap_err();
        assert!(err.starts_with("Line 2 "), "{err}");
        assert!(PersonalMessage::parse("Hi \u{202E}evil").is_err());
        assert!(PersonalMessage::parse("Tabs\tare fine").is_ok());
    }
}
