//! What the actions answer: every answer is a JSON array of one of these. A writing action's
//! result is tagged by `status`, so each status carries exactly its own fields. The doc comments
//! are the OpenAPI document's descriptions.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{
    InviteId, TeamId, UserId,
    account::AccountStatus,
    invite::{EmailStatus, InviteSource, Progress},
    role::Role,
};

/// A result that can say "nothing was done for this address, and why".
pub trait Refusal {
    /// `email` as the request gave it (trimmed); `message` in words meant for a person.
    fn refused(email: &str, message: impl Into<String>) -> Self;
}

macro_rules! refusal {
    ($($ty:ident),+) => {$(
        impl Refusal for $ty {
            fn refused(email: &str, message: impl Into<String>) -> Self {
                $ty::Error { email: email.trim().to_string(), message: message.into() }
            }
        }
    )+};
}

refusal!(
    InviteLearnersResult,
    AddLearnersToTeamsResult,
    DeactivateLearnersResult,
    ReactivateLearnersResult,
    RemoveLearnersFromTeamsResult,
    ResendInvitesResult,
    RevokeInvitesResult
);

/// What `inviteLearners` did for one learner of the request (`email`: the address as given).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum InviteLearnersResult {
    /// A new invitation.
    Invited { email: String, invite_id: InviteId },
    /// The person's pending invitation was updated with this call's details.
    AlreadyInvited { email: String, invite_id: InviteId },
    /// The person is a learner already and was added to the given teams; `added_to_teams`: how
    /// many of them they newly joined.
    AlreadyLearner { email: String, added_to_teams: u32 },
    /// Nothing was done; `message` says why, in words meant for a person.
    Error { email: String, message: String },
}

/// What `addLearnersToTeams` did for one address (`teams`: the teams newly added, empty when
/// none was).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AddLearnersToTeamsResult {
    /// The learner joined at least one of the teams.
    Added { email: String, teams: Vec<TeamId> },
    /// The learner was in every team already.
    AlreadyInTeam { email: String, teams: Vec<TeamId> },
    /// The address has a pending invitation, which now includes the teams.
    InviteUpdated { email: String, teams: Vec<TeamId> },
    /// Nothing was done: not an address, no learner or pending invitation with this address, or
    /// unknown team ids (reported on every result).
    Error { email: String, message: String },
}

/// What `deactivateLearners` did for one address.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DeactivateLearnersResult {
    /// Access revoked by this call.
    Deactivated { email: String },
    /// The learner's access was revoked already.
    AlreadyDeactivated { email: String },
    /// Nothing was done; `message` says why (staff are refused).
    Error { email: String, message: String },
}

/// What `reactivateLearners` did for one address.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ReactivateLearnersResult {
    /// Access given back by this call.
    Reactivated { email: String },
    /// The learner had access already.
    AlreadyActive { email: String },
    /// Nothing was done; `message` says why.
    Error { email: String, message: String },
}

/// What `removeLearnersFromTeams` did for one address (`teams`: the teams left, empty when none
/// was).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RemoveLearnersFromTeamsResult {
    /// The learner left these teams.
    Removed { email: String, teams: Vec<TeamId> },
    /// The learner was in none of the teams.
    NotInTeam { email: String, teams: Vec<TeamId> },
    /// The address has a pending invitation; `teams` are those it no longer includes.
    InviteUpdated { email: String, teams: Vec<TeamId> },
    /// Nothing was done; `message` says why.
    Error { email: String, message: String },
}

/// What `resendInvites` did for one address.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ResendInvitesResult {
    /// A new link is on its way.
    Resent { email: String },
    /// Nothing was done; `message` says why.
    Error { email: String, message: String },
}

/// What `revokeInvites` did for one address.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RevokeInvitesResult {
    /// Revoked by this call.
    Revoked { email: String },
    /// Someone revoked it between this call's lookup and its change.
    AlreadyRevoked { email: String },
    /// Nothing was done; `message` says why.
    Error { email: String, message: String },
}

/// A team of the academy (`getTeams`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    /// The team's colour as `#rrggbb`.
    #[schema(pattern = "^#[0-9a-fA-F]{6}$")]
    pub color: String,
    /// Learners in the team.
    #[schema(minimum = 0)]
    pub learners_count: i64,
    /// Pending invitations that will join the team on acceptance.
    #[schema(minimum = 0)]
    pub invites_count: i64,
}

/// A team a learner is in, or an invitation will join.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TeamRef {
    pub id: TeamId,
    pub name: String,
}

/// A learner of the academy (`learners`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Learner {
    pub id: UserId,
    #[schema(format = Email)]
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    #[schema(value_type = super::options::LearnerRoleSchema)]
    pub role: Role,
    /// `deactivated`: an admin revoked the learner's access (they cannot sign in until it is
    /// given back).
    pub status: AccountStatus,
    /// When the learner registered (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub registered_at: String,
    /// The learner's last sign-in (RFC 3339, UTC); null if never.
    #[schema(format = DateTime)]
    pub last_sign_in_at: Option<String>,
    /// The teams the learner is in.
    pub teams: Vec<TeamRef>,
}

/// An invitation of the academy (`invites`).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Invite {
    pub id: InviteId,
    #[schema(format = Email)]
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub status: InviteStatus,
    pub email_status: EmailStatus,
    /// The last sending error with `retrying` and `failed`; otherwise null.
    pub email_error: Option<String>,
    pub invitation_progress: InvitationProgress,
    /// Where the invitation came from.
    pub source: InviteSource,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub expires_at: String,
    /// When the invitation was accepted (RFC 3339, UTC); null if not.
    #[schema(format = DateTime)]
    pub accepted_at: Option<String>,
    /// The teams the person joins on acceptance.
    pub teams: Vec<TeamRef>,
}

/// An invitation's status: `pending` (not yet accepted and still valid), `accepted` (the person
/// registered), `revoked` (withdrawn by an admin), `expired` (pending past its expiry time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InviteStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl InviteStatus {
    pub const ALL: [InviteStatus; 4] = [
        InviteStatus::Pending,
        InviteStatus::Accepted,
        InviteStatus::Revoked,
        InviteStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InviteStatus::Pending => "pending",
            InviteStatus::Accepted => "accepted",
            InviteStatus::Revoked => "revoked",
            InviteStatus::Expired => "expired",
        }
    }

    /// An invitation's status as the API shows it.
    pub fn of(progress: Progress) -> InviteStatus {
        match progress {
            Progress::Invited => InviteStatus::Pending,
            Progress::Accepted => InviteStatus::Accepted,
            Progress::Revoked => InviteStatus::Revoked,
            Progress::Expired => InviteStatus::Expired,
        }
    }
}

/// The "Invitation Progress" column of the admin's Invites tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum InvitationProgress {
    #[serde(rename = "Has accepted invite")]
    Accepted,
    #[serde(rename = "Has not accepted invite")]
    NotAccepted,
    Expired,
    Revoked,
}

impl InvitationProgress {
    pub fn of(progress: Progress) -> InvitationProgress {
        match progress {
            Progress::Invited => InvitationProgress::NotAccepted,
            Progress::Accepted => InvitationProgress::Accepted,
            Progress::Expired => InvitationProgress::Expired,
            Progress::Revoked => InvitationProgress::Revoked,
        }
    }
}

/// Every error of `/api/v1/`: `{"error": {"message": "…"}}` with the error's status.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorAnswer {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// What is wrong with the request, in words meant for a person.
    #[schema(examples("\"bob@@example.com\" has more than one @"))]
    pub message: String,
}

impl ErrorAnswer {
    pub fn new(message: impl Into<String>) -> ErrorAnswer {
        ErrorAnswer {
            error: ErrorDetail {
                message: message.into(),
            },
        }
    }
}
