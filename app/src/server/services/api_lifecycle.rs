//! The API's lifecycle actions, by email like `addLearnersToTeams`: `deactivateLearners`,
//! `reactivateLearners`, `removeLearnersFromTeams`, `resendInvites` and `revokeInvites`. Each answers
//! one result per address, in request order; the work itself is `bulk`'s, the same rules as the
//! buttons on a learner's page and the Invites tab.

use std::{collections::HashMap, hash::Hash};

use serde_json::{Map, Value, json};

use super::{
    api_actions::{MAX_ITEMS, error_item, invalid, list, teams_of, text},
    api_clients::ApiCaller,
    bulk::{self, Actor, InviteChange, LearnerChange, Outcome, distinct},
};
use crate::domain::{InviteId, TeamId, UserId};
use crate::{
    domain::email::Email,
    error::AppError,
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
pub(super) fn addresses(options: &Map<String, Value>) -> Result<Addresses, AppError> {
    let Some(items) = list(options, "emails")? else {
        return Err(invalid(
            "emails",
            "options.emails is missing: give an array of email addresses".into(),
        ));
    };
    if items.is_empty() {
        return Err(invalid("emails", "options.emails is empty".into()));
    }
    if items.len() > MAX_ITEMS {
        return Err(AppError::PayloadTooLarge(format!(
            "At most {MAX_ITEMS} emails per call; this one has {}.",
            items.len()
        )));
    }
    let typed: Vec<String> = items.iter().map(|v| text(Some(v))).collect();
    let parsed = typed.iter().map(|e| Email::parse(e)).collect();
    Ok(Addresses { typed, parsed })
}

/// The teams of `options.teams` (required), or — when some id is not a team of the academy — the
/// answer that says so on every item, as each one is refused for it.
pub(super) async fn teams_or_refusal(
    state: &AppState,
    caller: &ApiCaller,
    options: &Map<String, Value>,
    addresses: &Addresses,
) -> Result<Result<Vec<TeamId>, Value>, AppError> {
    match teams_of(state, caller, options, true).await {
        Ok(teams) => Ok(Ok(teams)),
        Err(AppError::Validation { message, .. }) if message.starts_with("Unknown team") => {
            Ok(Err(Value::Array(
                addresses
                    .typed
                    .iter()
                    .map(|e| error_item(e, &message))
                    .collect(),
            )))
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

/// `deactivateLearners` and `reactivateLearners`.
pub(super) async fn set_access(
    state: &AppState,
    caller: &ApiCaller,
    options: &Map<String, Value>,
    change: LearnerChange<'_>,
) -> Result<Value, AppError> {
    let addresses = addresses(options)?;
    let known = known(state, caller, &addresses).await?;
    let ids = distinct(known.users.values().copied());
    let outcomes = by_id(
        &ids,
        bulk::learners(state, &actor(caller), &ids, change).await?,
    );
    let (done, unchanged) = match change {
        LearnerChange::Deactivate => ("deactivated", "already_deactivated"),
        _ => ("reactivated", "already_active"),
    };
    let items = each(&addresses, |email| {
        let Some(id) = known.users.get(email) else {
            return Err(NO_LEARNER.to_string());
        };
        match &outcomes[id] {
            Outcome::Done(_) => Ok(json!({"status": done})),
            Outcome::Unchanged => Ok(json!({"status": unchanged})),
            Outcome::Refused(m) => Err(m.clone()),
        }
    });
    Ok(items)
}

/// `removeLearnersFromTeams`: learners leave the teams; a pending invitation loses them too.
pub(super) async fn leave_teams(
    state: &AppState,
    caller: &ApiCaller,
    options: &Map<String, Value>,
) -> Result<Value, AppError> {
    let addresses = addresses(options)?;
    let teams = match teams_or_refusal(state, caller, options, &addresses).await? {
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
    let items = each(&addresses, |email| {
        let (outcome, left, stayed) = if let Some(id) = known.users.get(email) {
            (&learners[id], "removed", "not_in_team")
        } else if let Some(id) = known.invites.get(email) {
            (&invites[id], "invite_updated", "invite_updated")
        } else {
            return Err(
                "No learner or pending invitation with this email address in this academy".into(),
            );
        };
        match outcome {
            Outcome::Done(teams) => Ok(json!({"status": left, "teams": teams})),
            Outcome::Unchanged => Ok(json!({"status": stayed, "teams": []})),
            Outcome::Refused(m) => Err(m.clone()),
        }
    });
    Ok(items)
}

/// `resendInvites` and `revokeInvites`: the pending invitation of each address.
pub(super) async fn change_invites(
    state: &AppState,
    caller: &ApiCaller,
    options: &Map<String, Value>,
    change: InviteChange<'_>,
) -> Result<Value, AppError> {
    let addresses = addresses(options)?;
    let known = known(state, caller, &addresses).await?;
    let ids = distinct(known.invites.values().copied());
    let outcomes = by_id(
        &ids,
        bulk::invites(state, &actor(caller), &ids, change).await?,
    );
    let done = match change {
        InviteChange::Resend => "resent",
        _ => "revoked",
    };
    let items = each(&addresses, |email| {
        let Some(id) = known.invites.get(email) else {
            return Err(if known.users.contains_key(email) {
                format!("{NO_INVITATION}: the person is a member already")
            } else {
                NO_INVITATION.to_string()
            });
        };
        match &outcomes[id] {
            Outcome::Done(_) => Ok(json!({"status": done})),
            // Only a revoked invitation revoked again; pending ones are looked up by address.
            Outcome::Unchanged => Ok(json!({"status": "already_revoked"})),
            Outcome::Refused(m) => Err(m.clone()),
        }
    });
    Ok(items)
}

/// One result per address in request order: `{email, …result}` or `{email, status: "error", message}`.
fn each(addresses: &Addresses, result: impl Fn(&str) -> Result<Value, String>) -> Value {
    Value::Array(
        addresses
            .typed
            .iter()
            .zip(&addresses.parsed)
            .map(|(typed, parsed)| {
                let answer = match parsed {
                    Ok(email) => result(email.as_str()),
                    Err(m) => Err(m.clone()),
                };
                match answer {
                    Ok(Value::Object(mut fields)) => {
                        fields.insert("email".into(), json!(typed.trim()));
                        Value::Object(fields)
                    }
                    Ok(other) => other,
                    Err(m) => error_item(typed, &m),
                }
            })
            .collect(),
    )
}
