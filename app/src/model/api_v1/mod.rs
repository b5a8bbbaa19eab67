//! The wire types of the external API (`POST /api/v1/`): its actions, each action's options and
//! its answers. They are the one description of the API: the services read options into them and
//! answer with them, and the OpenAPI document's schemas are derived from them
//! (`server::json_api::openapi`), so the document cannot drift from what the server does.
//! Server only: the browser never calls this API.

mod answers;
mod lenient;
mod options;

use std::borrow::Cow;

use serde_json::Value;
use utoipa::{OpenApi, ToSchema};

pub use answers::*;
pub use lenient::{Flag, Items, Lenient, StrictText, Text, Whole, decode};
pub use options::*;

use crate::{domain::TeamId, error::AppError};

/// Most learners or emails in one call.
pub const MAX_ITEMS: usize = 1_000;
/// Most teams in one call.
pub const MAX_TEAMS: usize = 100;
/// Most rows a list action returns at once (`limit`).
pub const MAX_LIMIT: i64 = 1_000;

/// Every action of the API, in the order the documentation lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    InviteLearners,
    AddLearnersToTeams,
    GetTeams,
    Learners,
    Invites,
    DeactivateLearners,
    ReactivateLearners,
    RemoveLearnersFromTeams,
    ResendInvites,
    RevokeInvites,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::InviteLearners,
        Action::AddLearnersToTeams,
        Action::GetTeams,
        Action::Learners,
        Action::Invites,
        Action::DeactivateLearners,
        Action::ReactivateLearners,
        Action::RemoveLearnersFromTeams,
        Action::ResendInvites,
        Action::RevokeInvites,
    ];

    /// The name a call gives in `action`.
    pub fn name(self) -> &'static str {
        match self {
            Action::InviteLearners => "inviteLearners",
            Action::AddLearnersToTeams => "addLearnersToTeams",
            Action::GetTeams => "getTeams",
            Action::Learners => "learners",
            Action::Invites => "invites",
            Action::DeactivateLearners => "deactivateLearners",
            Action::ReactivateLearners => "reactivateLearners",
            Action::RemoveLearnersFromTeams => "removeLearnersFromTeams",
            Action::ResendInvites => "resendInvites",
            Action::RevokeInvites => "revokeInvites",
        }
    }

    /// The action named `name` (surrounding spaces ignored).
    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name.trim())
    }

    /// What the action does, for the documentation.
    pub fn description(self) -> &'static str {
        match self {
            Action::InviteLearners => {
                "Invite people to the academy, or update their pending invitation, or add existing learners to the given teams."
            }
            Action::AddLearnersToTeams => {
                "Add learners to teams by email; a pending invitation gets the teams too and they apply when it is accepted."
            }
            Action::GetTeams => "List the academy's teams. Takes no options.",
            Action::Learners => {
                "List the academy's learners: all of them, or a page at a time with `limit`."
            }
            Action::Invites => "List the academy's invitations, a page at a time.",
            Action::DeactivateLearners => {
                "\"Revoke access\" of learners by email: each is signed out at once and can no longer sign in, reset their password or use an invitation link; their account, teams and history stay. Staff (Owner, Administrators) are refused."
            }
            Action::ReactivateLearners => "Give learners their access back, by email.",
            Action::RemoveLearnersFromTeams => {
                "Take learners out of teams, by email; a pending invitation loses the teams too, so the person will not join them on accepting. Other teams are untouched."
            }
            Action::ResendInvites => {
                "Send pending learner invitations again, by email: a fresh link and a new expiry, older links keep working until their own expiry. An address named twice is sent one email."
            }
            Action::RevokeInvites => {
                "Revoke pending learner invitations, by email: their links stop working at once."
            }
        }
    }

    /// The schema of the action's `options`, and whether a call must give them.
    pub fn options(self) -> (Cow<'static, str>, bool) {
        match self {
            Action::InviteLearners => (InviteLearnersOptions::name(), true),
            Action::AddLearnersToTeams | Action::RemoveLearnersFromTeams => {
                (EmailsAndTeams::name(), true)
            }
            Action::GetTeams => (NoOptions::name(), false),
            Action::Learners => (LearnersOptions::name(), false),
            Action::Invites => (InvitesOptions::name(), false),
            Action::DeactivateLearners
            | Action::ReactivateLearners
            | Action::ResendInvites
            | Action::RevokeInvites => (Emails::name(), true),
        }
    }

    /// The schema of one item of the action's answer (an array), and the most items it holds
    /// (`None`: `learners` without a `limit` answers every learner).
    pub fn answer(self) -> (Cow<'static, str>, Option<usize>) {
        let page = Some(MAX_LIMIT as usize);
        match self {
            Action::InviteLearners => (InviteLearnersResult::name(), Some(MAX_ITEMS)),
            Action::AddLearnersToTeams => (AddLearnersToTeamsResult::name(), Some(MAX_ITEMS)),
            Action::GetTeams => (Team::name(), None),
            Action::Learners => (Learner::name(), None),
            Action::Invites => (Invite::name(), page),
            Action::DeactivateLearners => (DeactivateLearnersResult::name(), Some(MAX_ITEMS)),
            Action::ReactivateLearners => (ReactivateLearnersResult::name(), Some(MAX_ITEMS)),
            Action::RemoveLearnersFromTeams => {
                (RemoveLearnersFromTeamsResult::name(), Some(MAX_ITEMS))
            }
            Action::ResendInvites => (ResendInvitesResult::name(), Some(MAX_ITEMS)),
            Action::RevokeInvites => (RevokeInvitesResult::name(), Some(MAX_ITEMS)),
        }
    }
}

/// A call of the API: its action, with the options read into that action's type.
#[derive(Debug)]
pub enum Call {
    InviteLearners(InviteLearnersOptions),
    AddLearnersToTeams(EmailsAndTeams),
    GetTeams,
    Learners(LearnersOptions),
    Invites(InvitesOptions),
    DeactivateLearners(Emails),
    ReactivateLearners(Emails),
    RemoveLearnersFromTeams(EmailsAndTeams),
    ResendInvites(Emails),
    RevokeInvites(Emails),
}

impl Call {
    /// `options` (a JSON object) read as `action`'s, or a 422 naming the option that cannot be.
    pub fn read(action: Action, options: &Value) -> Result<Call, AppError> {
        Ok(match action {
            Action::InviteLearners => Call::InviteLearners(decode(options)?),
            Action::AddLearnersToTeams => Call::AddLearnersToTeams(decode(options)?),
            Action::GetTeams => {
                let NoOptions {} = decode(options)?;
                Call::GetTeams
            }
            Action::Learners => Call::Learners(decode(options)?),
            Action::Invites => Call::Invites(decode(options)?),
            Action::DeactivateLearners => Call::DeactivateLearners(decode(options)?),
            Action::ReactivateLearners => Call::ReactivateLearners(decode(options)?),
            Action::RemoveLearnersFromTeams => Call::RemoveLearnersFromTeams(decode(options)?),
            Action::ResendInvites => Call::ResendInvites(decode(options)?),
            Action::RevokeInvites => Call::RevokeInvites(decode(options)?),
        })
    }
}

/// Every schema of the actions' options and answers (and what they refer to).
#[derive(OpenApi)]
#[openapi(components(schemas(
    ErrorAnswer,
    TeamId,
    InviteLearnersOptions,
    EmailsAndTeams,
    Emails,
    NoOptions,
    LearnersOptions,
    InvitesOptions,
    InviteLearnersResult,
    AddLearnersToTeamsResult,
    DeactivateLearnersResult,
    ReactivateLearnersResult,
    RemoveLearnersFromTeamsResult,
    ResendInvitesResult,
    RevokeInvitesResult,
    Team,
    Learner,
    Invite,
)))]
pub struct Schemas;

#[cfg(test)]
mod tests;
