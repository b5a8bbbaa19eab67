//! Who may sign up at the academy link (the academy's visibility) and the rules of access requests:
//! a stranger at a private academy asks to join, an administrator approves or declines.

use serde::{Deserialize, Serialize};

use super::csv_import::thousands;

/// The longest message a request may carry, in characters.
pub const MAX_MESSAGE_CHARS: usize = 1000;
/// The longest reason an administrator may give when declining, in characters.
pub const MAX_REASON_CHARS: usize = 1000;
/// A declined address may ask again after this many days.
pub const ASK_AGAIN_AFTER_DAYS: i64 = 7;
use super::DAY_MS;

/// Who may sign up at the academy link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Anyone with the academy link can sign up as a Learner.
    Public,
    /// Only invited people can register; others can request access.
    Private,
}

super::stored::stored!(Visibility, "academy visibility", Visibility::ALL);

impl Visibility {
    pub const ALL: [Visibility; 2] = [Visibility::Private, Visibility::Public];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Private => "private",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Public => "Public",
            Visibility::Private => "Private",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Visibility::Public => "Anyone with the academy link can sign up as a Learner.",
            Visibility::Private => "Only invited people can register; others can request access.",
        }
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Approved,
    Declined,
}

super::stored::stored!(
    RequestStatus,
    "access request status",
    [
        RequestStatus::Pending,
        RequestStatus::Approved,
        RequestStatus::Declined,
    ]
);

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Declined => "declined",
        }
    }
}

/// Trims a free-text field and checks its length; `what` names it in the message.
fn optional_text(input: &str, max: usize, what: &str) -> Result<String, String> {
    let text = input.trim().replace("\r\n", "\n");
    let len = text.chars().count();
    if len > max {
        return Err(format!(
            "The {what} is {len} characters long; keep it to {} or fewer.",
            thousands(max)
        ));
    }
    Ok(text)
}

/// The optional message of a request (at most 1,000 characters).
pub fn check_message(input: &str) -> Result<String, String> {
    optional_text(input, MAX_MESSAGE_CHARS, "message")
}

/// The optional reason of a decline (at most 1,000 characters).
pub fn check_reason(input: &str) -> Result<String, String> {
    optional_text(input, MAX_REASON_CHARS, "reason")
}

/// When an address declined at `declined_at` may ask again, if that is still ahead of `now`.
pub fn ask_again_from(declined_at: i64, now: i64) -> Option<i64> {
    let from = declined_at + ASK_AGAIN_AFTER_DAYS * DAY_MS;
    (from > now).then_some(from)
}

/// True for the sign-up refusal that means "no invitation in a private academy": the sign-up form
/// then offers "Request access".
pub fn is_invite_only_refusal(message: &str) -> bool {
    message.contains("invite-only")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_stored_visibility_is_refused_never_read_as_open() {
        use crate::stored::Stored;
        assert_eq!(Visibility::from_stored("public"), Some(Visibility::Public));
        assert_eq!(Visibility::from_stored("Public "), None);
        assert_eq!(Visibility::from_stored(""), None);
    }

    #[test]
    fn messages_are_trimmed_and_at_most_1000_characters() {
        assert_eq!(check_message("  Hello\r\nthere  ").unwrap(), "Hello\nthere");
        assert_eq!(check_message("").unwrap(), "");
        assert!(
            check_message(&"ä".repeat(1000)).is_ok(),
            "characters, not bytes"
        );
        let e = check_message(&"a".repeat(1001)).unwrap_err();
        assert!(e.contains("1001 characters") && e.contains("1,000"), "{e}");
        let e = check_reason(&"a".repeat(1001)).unwrap_err();
        assert!(e.starts_with("The reason"), "{e}");
    }

    #[test]
    fn a_declined_address_may_ask_again_after_seven_days() {
        let declined = 1_000_000_000_000;
        assert_eq!(
            ask_again_from(declined, declined + DAY_MS),
            Some(declined + 7 * DAY_MS)
        );
        assert_eq!(ask_again_from(declined, declined + 7 * DAY_MS), None);
    }
}
