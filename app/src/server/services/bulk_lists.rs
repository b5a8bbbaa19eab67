//! The lists' bulk actions: a selection on All Learners or the Invites tab (the rows ticked, or
//! every row matching the search and filters, on every page) resolved to ids and handed to `bulk`,
//! and what came of it summed up for the admin.

use std::collections::HashMap;

use super::{
    bulk::{self, Actor, InviteChange, LearnerChange, Outcome},
    learners::STAFF_ELSEWHERE,
};
use crate::domain::{InviteId, UserId};
use crate::{
    domain::account::StatusFilter,
    error::AppError,
    model::bulk::{BulkSummary, InviteBulk, LearnerBulk, MAX_TICKED, Selection},
    server::{
        auth::SessionUser,
        bulk_progress::Ticket,
        db::now_ms,
        repo::{self, lists::INVITE_FILTERS},
        state::AppState,
    },
};

fn actor<'a>(actor: &SessionUser, progress: Option<&'a Ticket>) -> Actor<'a> {
    Actor {
        academy_id: actor.academy_id,
        user_id: Some(actor.user.id),
        api: None,
        progress,
    }
}

/// Starts counting the `ids` of the action the browser named `key` (see `bulk_progress`).
fn follow(
    state: &AppState,
    who: &SessionUser,
    key: Option<&str>,
    ids: &[impl Copy],
) -> Result<Option<Ticket>, AppError> {
    let Some(key) = key else {
        return Ok(None);
    };
    super::imports::check_key(key, "The action's key")?;
    Ok(Some(state.bulk_progress.start(
        who.academy_id,
        key,
        ids.len(),
    )))
}

/// The ticked ids, without repeats; at least one, at most `MAX_TICKED`.
fn ticked<Id: Copy + Ord>(ids: &[Id], what: &str) -> Result<Vec<Id>, AppError> {
    if ids.is_empty() {
        return Err(AppError::invalid(
            "selection",
            format!("Select at least one {what} first."),
        ));
    }
    if ids.len() > MAX_TICKED {
        return Err(AppError::invalid(
            "selection",
            format!(
                "At most {MAX_TICKED} ticked rows at once; use \"Select all matching\" for more."
            ),
        ));
    }
    Ok(super::bulk::distinct(ids.iter().copied()))
}

fn nothing_matches(what: &str) -> AppError {
    AppError::invalid(
        "selection",
        format!("No {what} matches the search and filter any more; reload the list."),
    )
}

/// Applies `action` to the learners of `selection`.
pub async fn learners(
    state: &AppState,
    who: &SessionUser,
    selection: &Selection<UserId>,
    action: LearnerBulk,
    key: Option<&str>,
) -> Result<BulkSummary, AppError> {
    let ids = match selection {
        Selection::Rows(ids) => ticked(ids, "learner")?,
        Selection::Matching(q) => {
            let search = super::search(&q.search)?;
            let ids = match q.team_id {
                // "Learners in team": the team's members (the list has no status filter).
                Some(team) => {
                    super::teams::ensure_exists(state, who, team).await?;
                    repo::teams::member_ids(&state.db.pool, who.academy_id, team, search).await?
                }
                None => {
                    let filter = StatusFilter::parse(&q.filter)
                        .map_err(|m| AppError::invalid("filter", m))?;
                    repo::lists::learner_ids(&state.db.pool, who.academy_id, search, filter).await?
                }
            };
            if ids.is_empty() {
                return Err(nothing_matches("learner"));
            }
            ids
        }
    };
    let team = match action {
        LearnerBulk::AddToTeam(team) | LearnerBulk::RemoveFromTeam(team) => {
            super::teams::ensure_exists(state, who, team).await?;
            vec![team]
        }
        _ => vec![],
    };
    let change = match action {
        LearnerBulk::RevokeAccess => LearnerChange::Deactivate,
        LearnerBulk::GiveAccess => LearnerChange::Reactivate,
        LearnerBulk::SetRole(role) => {
            if role.is_staff() {
                return Err(AppError::invalid("role", STAFF_ELSEWHERE));
            }
            let plan = repo::academies::by_id(&state.db.pool, who.academy_id)
                .await?
                .ok_or(AppError::Unauthorized)?
                .plan;
            if let Some(reason) = plan.unavailable_reason(role) {
                return Err(AppError::invalid("role", reason));
            }
            LearnerChange::SetRole(role)
        }
        LearnerBulk::AddToTeam(_) => LearnerChange::JoinTeams(&team),
        LearnerBulk::RemoveFromTeam(_) => LearnerChange::LeaveTeams(&team),
        LearnerBulk::Remove => LearnerChange::Remove,
    };
    let ticket = follow(state, who, key, &ids)?;
    let outcomes = bulk::learners(state, &actor(who, ticket.as_ref()), &ids, change).await?;
    Ok(summary(outcomes))
}

/// Applies `action` to the invitations of `selection`.
pub async fn invites(
    state: &AppState,
    who: &SessionUser,
    selection: &Selection<InviteId>,
    action: InviteBulk,
    key: Option<&str>,
) -> Result<BulkSummary, AppError> {
    let ids = match selection {
        Selection::Rows(ids) => ticked(ids, "invitation")?,
        Selection::Matching(q) => {
            let search = super::search(&q.search)?;
            if !INVITE_FILTERS.contains(&q.filter.as_str()) {
                return Err(AppError::invalid(
                    "filter",
                    format!("{:?} is not a filter of the Invites tab.", q.filter),
                ));
            }
            if let Some(team) = q.team_id {
                super::teams::ensure_exists(state, who, team).await?;
            }
            let ids = repo::lists::invite_ids(
                &state.db.pool,
                who.academy_id,
                search,
                &q.filter,
                q.team_id,
                now_ms(),
            )
            .await?;
            if ids.is_empty() {
                return Err(nothing_matches("invitation"));
            }
            ids
        }
    };
    let change = match action {
        InviteBulk::Resend => InviteChange::Resend,
        InviteBulk::Revoke => InviteChange::Revoke,
    };
    let ticket = follow(state, who, key, &ids)?;
    let outcomes = bulk::invites(state, &actor(who, ticket.as_ref()), &ids, change).await?;
    Ok(summary(outcomes))
}

/// The outcomes counted, the skipped ones by reason (the most frequent first).
fn summary(outcomes: Vec<Outcome>) -> BulkSummary {
    let mut out = BulkSummary::default();
    let mut reasons: HashMap<String, u64> = HashMap::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Done(_) => out.done += 1,
            Outcome::Unchanged => out.unchanged += 1,
            Outcome::Refused(why) => *reasons.entry(why).or_default() += 1,
        }
    }
    out.skipped = reasons.into_iter().collect();
    out.skipped
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}
