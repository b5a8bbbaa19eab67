//! Invitations: who is invited (parsed once, the same for the form, CSV files and the API) and the two
//! independent statuses the admin sees — "Invitation Progress" and "Email Status".

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::{email::Email, names::PersonName, role::Role, trimmed};

/// Days an invitation link works when nobody says otherwise.
pub const DEFAULT_EXPIRY_DAYS: i64 = 14;
pub use super::DAY_MS;
/// The longest an invitation link may work, short of never expiring.
pub const MAX_EXPIRY_DAYS: u32 = 90;
/// The expiry of a link that never expires: 9999-12-31 23:59:59 UTC.
pub const NEVER_EXPIRES: i64 = 253_402_300_799_000;

/// Settings → Invitations: how long a link works and when a reminder goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteLifecycle {
    /// Days an invitation link works (1 to `MAX_EXPIRY_DAYS`); `None`: it never expires.
    pub expiry_days: Option<u32>,
    /// Days before expiry the reminder is emailed; `None`: no reminder.
    pub reminder_days: Option<u32>,
}

impl Default for InviteLifecycle {
    fn default() -> Self {
        InviteLifecycle {
            expiry_days: Some(DEFAULT_EXPIRY_DAYS as u32),
            reminder_days: Some(3),
        }
    }
}

impl InviteLifecycle {
    /// As stored: 0 is "never" / "no reminder".
    pub fn from_stored(expiry_days: i64, reminder_days: i64) -> InviteLifecycle {
        let days = |d: i64| u32::try_from(d).ok().filter(|d| *d > 0);
        InviteLifecycle {
            expiry_days: days(expiry_days),
            reminder_days: days(reminder_days),
        }
    }

    /// Whether the settings make sense, or the field and why not.
    pub fn check(self) -> Result<InviteLifecycle, (&'static str, String)> {
        if let Some(days) = self.expiry_days
            && !(1..=MAX_EXPIRY_DAYS).contains(&days)
        {
            return Err((
                "expiry_days",
                format!(
                    "An invitation link works for 1 to {MAX_EXPIRY_DAYS} days, or never expires; {days} is not possible."
                ),
            ));
        }
        if let Some(before) = self.reminder_days {
            match self.expiry_days {
                None => {
                    return Err((
                        "reminder_days",
                        "Links that never expire need no reminder before they expire; turn the reminder off or choose how long links work.".into(),
                    ));
                }
                Some(days) if before == 0 || before >= days => {
                    return Err((
                        "reminder_days",
                        format!(
                            "The reminder goes out 1 to {} days before a link expires (links work for {days} days).",
                            days.saturating_sub(1).max(1)
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(self)
    }

    /// When a link made at `now` expires.
    pub fn expires_at(self, now: i64) -> i64 {
        match self.expiry_days {
            Some(days) => now + i64::from(days) * DAY_MS,
            None => NEVER_EXPIRES,
        }
    }

    /// When the reminder of a link expiring at `expires_at` is due, if there is one.
    pub fn remind_at(self, expires_at: i64) -> Option<i64> {
        let before = self.reminder_days?;
        (expires_at < NEVER_EXPIRES).then(|| expires_at - i64::from(before) * DAY_MS)
    }

    /// "works for 14 days", "never expires": what the admin is told about a new link.
    pub fn link_lifetime(self) -> String {
        match self.expiry_days {
            Some(1) => "works for 1 day".into(),
            Some(days) => format!("works for {days} days"),
            None => "never expires".into(),
        }
    }
}
/// Most people in one invite request from the form (CSV and API have their own caps).
pub const MAX_FORM_ROWS: usize = 50;

/// How a pending invitation may be taken at the academy link, without the emailed link's token.
/// Knowing an address must never be enough where the invitation is worth more than its owner's
/// word: an emailed invitation has a proof on its way (so the academy link asks for one too), and
/// a Learner-Admin sees every learner's data. The reference's own flow — invited without an email,
/// the person signs up at the academy link — stays as it is for the other learner roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcademyLinkClaim {
    /// Any valid password takes it.
    Password,
    /// A code sent to the address first.
    Code,
    /// Only through the emailed link (administrators).
    LinkOnly,
}

impl AcademyLinkClaim {
    pub fn of(role: Role, emailed: bool) -> AcademyLinkClaim {
        match role {
            Role::Owner | Role::Admin => AcademyLinkClaim::LinkOnly,
            Role::LearnerAdmin => AcademyLinkClaim::Code,
            Role::Learner | Role::LearnerAnalyst if emailed => AcademyLinkClaim::Code,
            Role::Learner | Role::LearnerAnalyst => AcademyLinkClaim::Password,
        }
    }

    /// What the invite dialog says about signing up at the academy link instead of the email.
    pub fn explained(self) -> &'static str {
        match self {
            AcademyLinkClaim::Password => {
                "No email is sent: share the academy link yourself; they sign up there with this email and a password of their choice."
            }
            AcademyLinkClaim::Code => {
                "Signing up at the academy link instead works too, after confirming a code sent to this email."
            }
            AcademyLinkClaim::LinkOnly => "Only the link in the invitation email works.",
        }
    }
}

/// One person as typed by an admin.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteeInput {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

/// One person, valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub email: Email,
    pub first_name: PersonName,
    /// May be empty: not everyone has a family name.
    pub last_name: String,
}

/// One person as typed, borrowed: an upload's row read where it lies in the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InviteeFields<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
}

impl<'a> InviteeFields<'a> {
    /// `InviteeInput::parse`'s checks, keeping only the address (no copies of the names).
    pub fn check(self) -> Result<Email, String> {
        let email = Email::parse(self.email)?;
        self.check_names()?;
        Ok(email)
    }

    /// `check`, with the address as stored borrowed from the row when it is stored as typed.
    pub fn check_address(self) -> Result<Cow<'a, str>, String> {
        let email = Email::normalize(self.email)?;
        self.check_names()?;
        Ok(email)
    }

    fn check_names(self) -> Result<(), String> {
        PersonName::check(self.first_name).map_err(|why| {
            if trimmed(self.first_name).is_empty() {
                "Enter a first name".to_string()
            } else {
                format!("First name: {why}")
            }
        })?;
        last_name(self.last_name)?;
        Ok(())
    }

    pub fn to_input(self) -> InviteeInput {
        InviteeInput {
            email: self.email.to_owned(),
            first_name: self.first_name.to_owned(),
            last_name: self.last_name.to_owned(),
        }
    }
}

impl InviteeInput {
    pub fn fields(&self) -> InviteeFields<'_> {
        InviteeFields {
            email: &self.email,
            first_name: &self.first_name,
            last_name: &self.last_name,
        }
    }

    /// Checks the email and names; the message says what is wrong, for the admin to fix the row.
    pub fn parse(&self) -> Result<Invitee, String> {
        let email = self.check()?;
        Ok(Invitee {
            email,
            first_name: PersonName::parse(&self.first_name)?,
            last_name: last_name(&self.last_name)?.into_owned(),
        })
    }

    /// `parse`'s checks, keeping only the address (no copies of the names).
    pub fn check(&self) -> Result<Email, String> {
        self.fields().check()
    }
}

/// A last name may be empty: not everyone has a family name.
fn last_name(input: &str) -> Result<Cow<'_, str>, String> {
    if trimmed(input).is_empty() {
        Ok(Cow::Borrowed(""))
    } else {
        PersonName::check(input).map_err(|why| format!("Last name: {why}"))
    }
}

/// Stored invite status; "expired" is derived from the expiry time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteState {
    Pending,
    Accepted,
    Revoked,
}

super::stored::stored!(
    InviteState,
    "invitation status",
    [
        InviteState::Pending,
        InviteState::Accepted,
        InviteState::Revoked
    ]
);

impl InviteState {
    pub fn as_str(self) -> &'static str {
        match self {
            InviteState::Pending => "pending",
            InviteState::Accepted => "accepted",
            InviteState::Revoked => "revoked",
        }
    }
}

/// "Invitation Progress", as the admin sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    Invited,
    Accepted,
    Expired,
    Revoked,
}

impl Progress {
    pub fn of(state: InviteState, expires_at: i64, now: i64) -> Progress {
        match state {
            InviteState::Accepted => Progress::Accepted,
            InviteState::Revoked => Progress::Revoked,
            InviteState::Pending if expires_at <= now => Progress::Expired,
            InviteState::Pending => Progress::Invited,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Progress::Invited => "Invited",
            Progress::Accepted => "Has accepted invite",
            Progress::Expired => "Expired",
            Progress::Revoked => "Revoked",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Progress::Invited => "invited",
            Progress::Accepted => "accepted",
            Progress::Expired => "expired",
            Progress::Revoked => "revoked",
        }
    }
}

/// "Email Status": what happened to the invitation email, independent of the progress.
/// `not_requested`: sending was turned off. `queued`: waiting to be sent. `sent`: accepted by the
/// mail server. `retrying`: a send failed and will be retried. `failed`: every retry failed.
/// `reminder_sent`: the reminder before the link expires went out too (Settings → Invitations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EmailStatus {
    NotRequested,
    Queued,
    Sent,
    Retrying,
    Failed,
    /// The reminder before expiry went out (Settings → Invitations).
    ReminderSent,
}

super::stored::stored!(
    EmailStatus,
    "email status",
    [
        EmailStatus::NotRequested,
        EmailStatus::Queued,
        EmailStatus::Sent,
        EmailStatus::Retrying,
        EmailStatus::Failed,
        EmailStatus::ReminderSent,
    ]
);

impl EmailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EmailStatus::NotRequested => "not_requested",
            EmailStatus::Queued => "queued",
            EmailStatus::Sent => "sent",
            EmailStatus::Retrying => "retrying",
            EmailStatus::Failed => "failed",
            EmailStatus::ReminderSent => "reminder_sent",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            EmailStatus::NotRequested => "Not requested",
            EmailStatus::Queued => "Queued",
            EmailStatus::Sent => "Email Sent",
            EmailStatus::Retrying => "Retrying",
            EmailStatus::Failed => "Failed",
            EmailStatus::ReminderSent => "Reminder sent",
        }
    }
}

/// Where an invitation came from: the invite form, a CSV upload, a team's "Invite to team", the
/// API, or an approved access request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InviteSource {
    Form,
    Csv,
    Team,
    Api,
    /// An approved access request (private academies).
    Request,
}

super::stored::stored!(
    InviteSource,
    "invitation source",
    [
        InviteSource::Form,
        InviteSource::Csv,
        InviteSource::Team,
        InviteSource::Api,
        InviteSource::Request,
    ]
);

impl InviteSource {
    pub fn as_str(self) -> &'static str {
        match self {
            InviteSource::Form => "form",
            InviteSource::Csv => "csv",
            InviteSource::Team => "team",
            InviteSource::Api => "api",
            InviteSource::Request => "request",
        }
    }
}

/// What one line of an import became (`import_rows.outcome`); the counts and the results file
/// are made from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineOutcome {
    Invited,
    AlreadyInvited,
    AlreadyLearner,
    /// Refused (or left out in the preview); the line's message says why.
    Invalid,
}

super::stored::stored!(
    LineOutcome,
    "import line outcome",
    [
        LineOutcome::Invited,
        LineOutcome::AlreadyInvited,
        LineOutcome::AlreadyLearner,
        LineOutcome::Invalid,
    ]
);

impl LineOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            LineOutcome::Invited => "invited",
            LineOutcome::AlreadyInvited => "already_invited",
            LineOutcome::AlreadyLearner => "already_learner",
            LineOutcome::Invalid => "invalid",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_lifecycle_takes_one_to_ninety_days_or_never_and_a_reminder_before_expiry() {
        let life = |e: Option<u32>, r: Option<u32>| InviteLifecycle {
            expiry_days: e,
            reminder_days: r,
        };
        assert!(InviteLifecycle::default().check().is_ok());
        assert!(life(Some(1), None).check().is_ok());
        assert!(life(Some(90), Some(89)).check().is_ok());
        assert!(life(None, None).check().is_ok());
        assert_eq!(life(Some(0), None).check().unwrap_err().0, "expiry_days");
        assert_eq!(life(Some(91), None).check().unwrap_err().0, "expiry_days");
        assert_eq!(
            life(Some(7), Some(7)).check().unwrap_err().0,
            "reminder_days"
        );
        assert_eq!(life(None, Some(3)).check().unwrap_err().0, "reminder_days");
        assert_eq!(
            InviteLifecycle::from_stored(0, 0),
            life(None, None),
            "0 is stored for never and for no reminder"
        );
        let now = 1_000 * DAY_MS;
        assert_eq!(
            InviteLifecycle::default().expires_at(now),
            now + 14 * DAY_MS
        );
        assert_eq!(life(None, None).expires_at(now), NEVER_EXPIRES);
        assert_eq!(
            InviteLifecycle::default().remind_at(now + 14 * DAY_MS),
            Some(now + 11 * DAY_MS)
        );
        assert_eq!(life(None, None).remind_at(NEVER_EXPIRES), None);
        assert_eq!(life(Some(30), None).link_lifetime(), "works for 30 days");
        assert_eq!(life(None, None).link_lifetime(), "never expires");
    }

    #[test]
    fn an_emailed_or_learner_admin_invitation_is_claimed_at_the_academy_link_only_with_a_code() {
        use AcademyLinkClaim::*;
        assert_eq!(AcademyLinkClaim::of(Role::Learner, false), Password);
        assert_eq!(AcademyLinkClaim::of(Role::LearnerAnalyst, false), Password);
        assert_eq!(AcademyLinkClaim::of(Role::Learner, true), Code);
        assert_eq!(AcademyLinkClaim::of(Role::LearnerAnalyst, true), Code);
        assert_eq!(AcademyLinkClaim::of(Role::LearnerAdmin, false), Code);
        assert_eq!(AcademyLinkClaim::of(Role::LearnerAdmin, true), Code);
        assert_eq!(AcademyLinkClaim::of(Role::Admin, true), LinkOnly);
        assert_eq!(AcademyLinkClaim::of(Role::Owner, false), LinkOnly);
    }

    fn input(email: &str, first: &str, last: &str) -> InviteeInput {
        InviteeInput {
            email: email.into(),
            first_name: first.into(),
            last_name: last.into(),
        }
    }

    #[test]
    fn a_row_with_a_good_email_and_first_name_is_an_invitee() {
        let i = input(" Ann.Lee@Example.com ", " Ann ", "Lee")
            .parse()
            .unwrap();
        assert_eq!(i.email.as_str(), "ann.lee@example.com");
        assert_eq!(i.first_name.as_str(), "Ann");
        assert_eq!(i.last_name, "Lee");
    }

    #[test]
    fn the_last_name_may_be_empty_but_the_first_may_not() {
        assert!(input("a@example.com", "Ann", "").parse().is_ok());
        assert_eq!(
            input("a@example.com", " ", "Lee").parse().unwrap_err(),
            "Enter a first name"
        );
    }

    #[test]
    fn a_name_too_long_or_with_a_control_character_is_reported_as_such_with_its_field() {
        let long = "x".repeat(101);
        let e = input("a@example.com", &long, "").parse().unwrap_err();
        assert!(
            e.starts_with("First name: ") && e.contains("at most 100 characters"),
            "{e}"
        );
        let e = input("a@example.com", "Ann\u{0001}", "")
            .parse()
            .unwrap_err();
        assert!(
            e.starts_with("First name: ") && e.contains("control character"),
            "{e}"
        );
        let e = input("a@example.com", "Ann", &long).parse().unwrap_err();
        assert!(
            e.starts_with("Last name: ") && e.contains("at most 100 characters"),
            "{e}"
        );
        let e = input("a@example.com", "\u{200b}", "").parse().unwrap_err();
        assert!(e.contains("only invisible characters"), "{e}");
    }

    #[test]
    fn a_bad_email_is_reported_before_the_names() {
        let e = input("bob@@example.com", "", "").parse().unwrap_err();
        assert!(e.contains("more than one @"), "{e}");
    }

    #[test]
    fn a_pending_invite_past_its_expiry_shows_as_expired() {
        assert_eq!(
            Progress::of(InviteState::Pending, 100, 100),
            Progress::Expired
        );
        assert_eq!(
            Progress::of(InviteState::Pending, 101, 100),
            Progress::Invited
        );
        assert_eq!(
            Progress::of(InviteState::Accepted, 0, 100).label(),
            "Has accepted invite"
        );
        assert_eq!(
            Progress::of(InviteState::Revoked, 999, 100),
            Progress::Revoked
        );
    }

    #[test]
    fn email_statuses_round_trip_and_use_the_reference_words() {
        use crate::stored::Stored;
        for &s in EmailStatus::ALL {
            assert_eq!(EmailStatus::from_stored(s.as_str()), Some(s));
        }
        assert_eq!(EmailStatus::Sent.label(), "Email Sent");
    }
}
