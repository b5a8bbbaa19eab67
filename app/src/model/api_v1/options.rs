//! The `options` of each action, as the API reads them. The doc comments are the OpenAPI
//! document's descriptions; a `value_type` says what a caller sends where the Rust type is the
//! lenient reader of it (`lenient`). Limits written as literals here are checked against the
//! constants they describe by this module's tests.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::lenient::{Flag, Items, Lenient, StrictText, Text, Whole};
use crate::domain::TeamId;

/// The options of `inviteLearners`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InviteLearnersOptions {
    /// The people to invite, 1 to 1,000 (more answers 413, none answers 422). A learner that
    /// cannot be invited (an address that is not one, the same address twice in the call, a role
    /// the academy's plan does not offer) gets an `error` result; the others are still invited.
    #[schema(value_type = Vec<LearnerToInvite>, min_items = 1, max_items = 1000, required = true)]
    #[serde(default)]
    pub learners: Option<Items<Wanted>>,
    /// Teams every learner of the call joins (on acceptance for invitations, at once for
    /// existing learners), at most 100. An id that is not a team of the academy answers 422.
    #[schema(value_type = Vec<TeamId>, max_items = 100)]
    #[serde(default)]
    pub teams: Items<TeamId>,
    /// Send the invitation email (left out or null: yes). Off: the invites are created without
    /// an email.
    #[schema(value_type = bool, default = true)]
    #[serde(default)]
    pub send_email: Option<Flag>,
    /// A personal message shown above the link in the invitation emails of this call (and in
    /// their reminders), at most 1,000 characters and 30 lines; "" sends none. Left out or null: the
    /// academy's default message (Settings → Invitations). A message with a control character
    /// answers 422.
    #[schema(value_type = Option<String>, max_length = 1000)]
    #[serde(default)]
    pub message: Option<StrictText>,
}

impl InviteLearnersOptions {
    /// Whether the call's invitations are emailed: unless it says not to.
    pub fn sends_email(&self) -> bool {
        self.send_email.is_none_or(|Flag(on)| on)
    }
}

/// One person of `inviteLearners`' `learners`. Every field is read even when missing (as empty),
/// so a learner without a first name is refused alone, with its address, not the whole call.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LearnerToInvite {
    /// The person's email address (at most 254 characters), matched case-insensitively.
    #[schema(value_type = String, format = Email, required = true)]
    #[serde(default)]
    pub email: Text,
    /// Required, as in the invite form and the CSV upload; 1–100 characters. Missing → an
    /// `error` item for this learner.
    #[schema(value_type = String, required = true)]
    #[serde(default)]
    pub first_name: Text,
    /// Optional; at most 100 characters.
    #[schema(value_type = String)]
    #[serde(default)]
    pub last_name: Text,
    /// The role the person gets on registering; `learner` when left out.
    #[schema(value_type = LearnerRoleSchema, default = "learner")]
    #[serde(default)]
    pub role: Option<Text>,
}

/// The role an invitation gives: `learner` takes courses, `learner_analyst` also sees
/// statistics, `learner_admin` also invites learners and manages teams and courses (on plans
/// that include it).
#[derive(Serialize, ToSchema)]
#[schema(as = LearnerRole)]
#[allow(dead_code)] // A schema only: the role is read as text and checked per learner.
#[serde(rename_all = "snake_case")]
pub(super) enum LearnerRoleSchema {
    Learner,
    LearnerAnalyst,
    LearnerAdmin,
}

/// An item of `learners`: a learner, or what stood where one should have.
#[derive(Debug, Clone)]
pub enum Wanted {
    Learner(LearnerToInvite),
    /// Not an object: its text, for the answer's `email`.
    NotAnObject(String),
}

impl Lenient for Wanted {
    fn read(value: &Value) -> Result<Self, String> {
        match value {
            // Every field of a learner is read leniently, so an object always reads.
            Value::Object(_) => LearnerToInvite::deserialize(value)
                .map(Wanted::Learner)
                .map_err(|e| e.to_string()),
            other => Ok(Wanted::NotAnObject(Text::read(other)?.0)),
        }
    }
}

/// The options of `addLearnersToTeams` and `removeLearnersFromTeams`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EmailsAndTeams {
    /// The learners' email addresses, 1 to 1,000; case does not matter.
    #[schema(value_type = Vec<String>, min_items = 1, max_items = 1000, required = true)]
    #[serde(default)]
    pub emails: Option<Items<Text>>,
    /// The teams, 1 to 100. Unknown ids are reported as an `error` on every result.
    #[schema(value_type = Vec<TeamId>, min_items = 1, max_items = 100, required = true)]
    #[serde(default)]
    pub teams: Items<TeamId>,
}

/// The options of `deactivateLearners`, `reactivateLearners`, `resendInvites` and `revokeInvites`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Emails {
    /// The email addresses, 1 to 1,000; case does not matter.
    #[schema(value_type = Vec<String>, min_items = 1, max_items = 1000, required = true)]
    #[serde(default)]
    pub emails: Option<Items<Text>>,
}

/// No options: `{}` or left out.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NoOptions {}

/// The options of `learners`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LearnersOptions {
    /// `[from, to]` on registration time, as dates (`YYYY-MM-DD`), times in UTC as in the
    /// reference product's example (`YYYY-MM-DD HH:MM:SS`) or RFC 3339 date-times. `to` is
    /// inclusive to its last unit: `2017-07-25` or `2017-07-25 23:59:59` take in that whole day or
    /// second. Left out: every learner.
    #[schema(value_type = Option<Vec<String>>, min_items = 2, max_items = 2,
        example = json!(["2017-07-25 00:00:00", "2017-07-25 23:59:59"]))]
    #[serde(default)]
    pub dates: Option<Items<Text>>,
    /// Which learners: `active` (who can sign in; the default), `deactivated` (whose access was
    /// revoked) or `all`.
    #[schema(value_type = String, default = "active", pattern = "^(active|deactivated|all)$")]
    #[serde(default)]
    pub status: Text,
    /// How many learners of the list to skip.
    #[schema(value_type = i64, minimum = 0, default = 0)]
    #[serde(default)]
    pub offset: Option<Whole>,
    /// How many learners to return, at most 1,000. Left out: every learner that matches (after
    /// `offset`).
    #[schema(value_type = i64, minimum = 0, maximum = 1000)]
    #[serde(default)]
    pub limit: Option<Whole>,
}

/// The options of `invites`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InvitesOptions {
    /// Only invitations with this status (`pending`, `accepted`, `revoked` or `expired`); left
    /// out: all of them.
    #[schema(value_type = Option<super::answers::InviteStatus>)]
    #[serde(default)]
    pub status: Text,
    /// How many invitations of the list to skip.
    #[schema(value_type = i64, minimum = 0, default = 0)]
    #[serde(default)]
    pub offset: Option<Whole>,
    /// How many invitations to return, at most 1,000 (the default).
    #[schema(value_type = i64, minimum = 0, maximum = 1000, default = 1000)]
    #[serde(default)]
    pub limit: Option<Whole>,
}
