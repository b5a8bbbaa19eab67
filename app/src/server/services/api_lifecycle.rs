//! The API's lifecycle actions, by email like `addLearnersToTeams`: `deactivateLearners`,
//! `reactivateLearners`, `removeLearnersFromTeams`, `resendInvites` and `revokeInvites`. Each answers
//! one result per address, in request order; the work itself is `bulk`'s, the same rules as the
//! buttons on a learner's page and the Invites tab.

use std::{collections::HashMap, hash::Hash};

use super::{
    api_actions::{at_most, teams_of},
    api_clients::ApiCaller,
    bulk::{self, Actor, InviteChange, LearnerChange, Outcome, distinct},
};
use crate::domain::{InviteId, TeamId, UserId};
use crate::{
    domain::email::Email,
    error::AppError,
    model::api_v1::{
        DeactivateLearnersResult, Emails, EmailsAndTeams, Items, MAX_ITEMS,
        ReactivateLearnersResult, Refusal, RemoveLearnersFromTeamsResult, ResendInvitesResult,
        RevokeInvitesResult, Text,
    },
    server::{repo, state::AppState},
};

/// The addresses of `options.emails` as given, each parsed.
pub(super) struct Addresses {
    pub typed: Vec<String>,
    pub parsed: Vec<Result<Email, String>>,
}

impl Addresses {
    /// The valid addresses, sorted, without repeats.
    pub fn valid(&self) -> Vec<String> {
        let mut emails: Vec<String> = self
            .parsed
            .iter()
            .filter_map(|p| p.as_ref().ok().map(|e| e.as_str().to_string()))
            .collect();
        emails.sort_unstable();
        emails.dedup();
        emails
    }
}

/// `options.emails`: 1 to `MAX_ITEMS` addresses.
pub(super) fn addresses(emails: Option<Items<Text>>) -> Result<Addresses, AppError> {
    let Some(Items(items)) = emails else {
        return Err(AppError::invalid(
            "emails",
            "options.emails is missing: give an array of email addresses",
        ));
    };
    if items.is_empty() {
        return Err(AppError::invalid("emails", "options.emails is empty"));
    }
    at_most("emails", items.len(), MAX_ITEMS)?;
    let typed: Vec<String> = items.into_iter().map(|Text(t)| t).collect();
    let parsed = typed.iter().map(|e| Email::parse(e)).collect();
    Ok(Addresses { typed, parsed })
}

/// The teams of `options.teams` (required), or — when some id is not a team of the academy — the
/// answer that says so on every item, as each one is refused for it.
pub(super) async fn teams_or_refusal<R: Refusal>(
    state: &AppState,
    caller: &ApiCaller,
    teams: Items<TeamId>,
    addresses: &Addresses,
) -> Result<Result<Vec<TeamId>, Vec<R>>, AppError> {
    match teams_of(state, caller, teams, true).await {
        Ok(teams) => Ok(Ok(teams)),
        Err(AppError::Validation { message, .. }) if message.starts_with("Unknown team") => {
            Ok(Err(addresses
                .typed
                .iter()
                .map(|e| R::refused(e, message.as_str()))
                .collect()))
        }
        Err(e) => Err(e),
    }
}

/// Who the academy knows among the addresses: its users' and its pending invitations' ids by email.
struct Known {
    users: HashMap<String, UserId>,
    invites: HashMap<String, InviteId>,
}

async fn known(
    state: &AppState,
    caller: &ApiCaller,
    addresses: &Addresses,
) -> Result<Known, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let (users, invites) =
        repo::imports::known_emails(&mut conn, caller.academy_id, &addresses.valid()).await?;
    Ok(Known {
        users: users.into_iter().map(|(id, e, _)| (e, id)).collect(),
        // An administrator's invitation is among them, for `bulk` to refuse with its reason.
        invites: invites.into_iter().map(|(id, e, _)| (e, id)).collect(),
    })
}

fn actor(caller: &ApiCaller) -> Actor<'_> {
    Actor {
        academy_id: caller.academy_id,
        user_id: None,
        api: Some(&caller.name),
        progress: None,
    }
}

/// Runs `bulk` once over the distinct ids, then gives each address its id's outcome.
fn by_id<Id: Copy + Eq + Hash>(ids: &[Id], outcomes: Vec<Outcome>) -> HashMap<Id, Outcome> {
    ids.iter().copied().zip(outcomes).collect()
}

const NO_LEARNER: &str = "No learner with this email address in this academy";
const NO_INVITATION: &str = "No pending invitation with this email address in this academy";

/// The result for one address of an action that changes a learner or an invitation as a whole.
pub(super) trait ChangeResult: Refusal {
    /// Changed by this call.
    fn done(email: String) -> Self;
    /// It was so already.
    fn unchanged(email: String) -> Self;

    fn of(email: &str, outcome: &Outcome) -> Self
    where
        Self: Sized,
    {
        let email = email.trim().to_string();
        match outcome {
            Outcome::Done(_) => Self::done(email),
            Outcome::Unchanged => Self::unchanged(email),
            Outcome::Refused(why) => Self::refused(&email, why.as_str()),
        }
    }
}

impl ChangeResult for DeactivateLearnersResult {
    fn done(email: String) -> Self {
        Self::Deactivated { email }
    }
    fn unchanged(email: String) -> Self {
        Self::AlreadyDeactivated { email }
    }
}

impl ChangeResult for ReactivateLearnersResult {
    fn done(email: String) -> Self {
        Self::Reactivated { email }
    }
    fn unchanged(email: String) -> Self {
        Self::AlreadyActive { email }
    }
}

impl ChangeResult for ResendInvitesResult {
    fn done(email: String) -> Self {
        Self::Resent { email }
    }
    /// `bulk` resends every pending invitation it is given; nothing is left as it was.
    fn unchanged(email: String) -> Self {
        Self::refused(&email, "This invitation was not sent again.")
    }
}

impl ChangeResult for RevokeInvitesResult {
    fn done(email: String) -> Self {
        Self::Revoked { email }
    }
    /// Only a revoked invitation revoked again; pending ones are looked up by address.
    fn unchanged(email: String) -> Self {
        Self::AlreadyRevoked { email }
    }
}

/// `deactivateLearners` and `reactivateLearners`.
pub(super) async fn set_access<R: ChangeResult>(
    state: &AppState,
    caller: &ApiCaller,
    options: Emails,
    change: LearnerChange<'_>,
) -> Result<Vec<R>, AppError> {
    let addresses = addresses(options.emails)?;
    let known = known(state, caller, &addresses).await?;
    let ids = distinct(known.users.values().copied());
    let outcomes = by_id(
        &ids,
        bulk::learners(state, &actor(caller), &ids, change).await?,
    );
    Ok(each(&addresses, |typed, email| {
        match known.users.get(email) {
            Some(id) => R::of(typed, &outcomes[id]),
            None => R::refused(typed, NO_LEARNER),
        }
    }))
}

/// `removeLearnersFromTeams`: learners leave the teams; a pending invitation loses them too.
pub(super) async fn leave_teams(
    state: &AppState,
    caller: &ApiCaller,
    options: EmailsAndTeams,
) -> Result<Vec<RemoveLearnersFromTeamsResult>, AppError> {
    let addresses = addresses(options.emails)?;
    let teams = match teams_or_refusal(state, caller, options.teams, &addresses).await? {
        Ok(teams) => teams,
        Err(answer) => return Ok(answer),
    };
    let known = known(state, caller, &addresses).await?;
    let user_ids = distinct(known.users.values().copied());
    let learners = by_id(
        &user_ids,
        bulk::learners(
            state,
            &actor(caller),
            &user_ids,
            LearnerChange::LeaveTeams(&teams),
        )
        .await?,
    );
    let invite_ids = distinct(
        known
            .invites
            .iter()
            .filter(|(email, _)| !known.users.contains_key(*email))
            .map(|(_, id)| *id),
    );
    let invites = by_id(
        &invite_ids,
        bulk::invites(
            state,
            &actor(caller),
            &invite_ids,
            InviteChange::LeaveTeams(&teams),
        )
        .await?,
    );
    Ok(each(&addresses, |typed, email| {
        let (outcome, learner) = if let Some(id) = known.users.get(email) {
            (&learners[id], true)
        } else if let Some(id) = known.invites.get(email) {
            (&invites[id], false)
        } else {
            return RemoveLearnersFromTeamsResult::refused(
                typed,
                "No learner or pending invitation with this email address in this academy",
            );
        };
        let email = typed.trim().to_string();
        match (outcome, learner) {
            (Outcome::Done(teams), true) => RemoveLearnersFromTeamsResult::Removed {
                email,
                teams: teams.clone(),
            },
            (Outcome::Unchanged, true) => RemoveLearnersFromTeamsResult::NotInTeam {
                email,
                teams: Vec::new(),
            },
            (Outcome::Done(teams), false) => RemoveLearnersFromTeamsResult::InviteUpdated {
                email,
                teams: teams.clone(),
            },
            (Outcome::Unchanged, false) => RemoveLearnersFromTeamsResult::InviteUpdated {
                email,
                teams: Vec::new(),
            },
            (Outcome::Refused(why), _) => {
                RemoveLearnersFromTeamsResult::refused(typed, why.as_str())
            }
        }
    }))
}

/// `resendInvites` and `revokeInvites`: the pending invitation of each address.
pub(super) async fn change_invites<R: ChangeResult>(
    state: &AppState,
    caller: &ApiCaller,
    options: Emails,
    change: InviteChange<'_>,
) -> Result<Vec<R>, AppError> {
    let addresses = addresses(options.emails)?;
    let known = known(state, caller, &addresses).await?;
    let ids = distinct(known.invites.values().copied());
    let outcomes = by_id(
        &ids,
        bulk::invites(state, &actor(caller), &ids, change).await?,
    );
    Ok(each(&addresses, |typed, email| {
        match known.invites.get(email) {
            Some(id) => R::of(typed, &outcomes[id]),
            None if known.users.contains_key(email) => R::refused(
                typed,
                format!("{NO_INVITATION}: the person is a member already"),
            ),
            None => R::refused(typed, NO_INVITATION),
        }
    }))
}

/// One result per address, in request order: `result(as typed, parsed address)`, or the reason
/// the address is not one.
fn each<R: Refusal>(addresses: &Addresses, result: impl Fn(&str, &str) -> R) -> Vec<R> {
    addresses
        .typed
        .iter()
        .zip(&addresses.parsed)
        .map(|(typed, parsed)| match parsed {
            Ok(email) => result(typed, email.as_str()),
            Err(why) => R::refused(typed, why.as_str()),
        })
        .collect()
}
