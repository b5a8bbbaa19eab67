//! One change over many learners or invitations, with a result per item: the API's lifecycle
//! actions (`deactivateLearners`, `resendInvites`, …) come through here. The work goes a batch at a
//! time, each batch its own short transaction, so thousands of people neither time out nor hold the
//! database from other requests; one audit entry per call says how many were changed.
//!
//! The lists' bulk actions (`bulk_lists`) come through here too.
//!
//! The rules are the single-person actions' (`learners::set_access`, `invites::resend`, …): staff
//! are out of reach (Settings → Admins manages them), nobody changes their own access, an invitation
//! that is no longer pending is neither resent nor revoked.

use std::{collections::HashMap, hash::Hash};

use super::{
    invites,
    learners::{STAFF_ELSEWHERE, removed_label},
};
use crate::domain::{AcademyId, InviteId, TeamId, UserId};
use crate::{
    domain::{account::AccountStatus, invite::InviteState, role::Role},
    error::AppError,
    server::{bulk_progress::Ticket, db::now_ms, repo, state::AppState},
};

/// Ids per transaction.
pub const BATCH: usize = 500;

/// Who asks: a person of the academy, or an API application (no person).
pub struct Actor<'a> {
    pub academy_id: AcademyId,
    pub user_id: Option<UserId>,
    /// The API application's name, for calls through the API.
    pub api: Option<&'a str>,
    /// Where the browser follows the count of items done, batch by batch.
    pub progress: Option<&'a Ticket>,
}

impl Actor<'_> {
    fn batch_done(&self, n: usize) {
        if let Some(ticket) = self.progress {
            ticket.advance(n);
        }
    }
}

/// A change to learners' accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LearnerChange<'a> {
    /// "Revoke access": signed out at once, kept with their teams and history.
    Deactivate,
    /// Access given back.
    Reactivate,
    /// Out of these teams (the academy's, checked by the caller).
    LeaveTeams(&'a [TeamId]),
    /// Into these teams (the academy's, checked by the caller).
    JoinTeams(&'a [TeamId]),
    /// Another learner role (checked against the plan by the caller).
    SetRole(Role),
    /// Removed for erasure, as `learners::remove` does one.
    Remove,
}

/// A change to invitations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteChange<'a> {
    /// A fresh link and expiry, emailed again.
    Resend,
    /// The links stop working.
    Revoke,
    /// Out of these teams: the person will not join them on accepting.
    LeaveTeams(&'a [TeamId]),
}

/// What happened to one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Changed; for team changes, the teams it left.
    Done(Vec<TeamId>),
    /// It was so already (already deactivated, in none of the teams, …).
    Unchanged,
    /// Not changed, and why, in words meant for a person.
    Refused(String),
}

impl Outcome {
    fn refused(message: impl Into<String>) -> Outcome {
        Outcome::Refused(message.into())
    }
}

/// Applies `change` to the learners `ids` of the academy; one outcome per id, in order.
pub async fn learners(
    state: &AppState,
    actor: &Actor<'_>,
    ids: &[UserId],
    change: LearnerChange<'_>,
) -> Result<Vec<Outcome>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(BATCH) {
        let mut tx = state.db.write().await?;
        let rows: HashMap<UserId, repo::users::UserRow> =
            repo::bulk::users(&mut tx, actor.academy_id, chunk)
                .await?
                .into_iter()
                .map(|u| (u.id, u))
                .collect();
        let mut outcomes: Vec<Option<Outcome>> = chunk
            .iter()
            .map(|id| {
                Ok(match rows.get(id) {
                    None => Some(Outcome::refused(
                        "No learner with this id in this academy (removed meanwhile?).",
                    )),
                    Some(u) if u.role.is_staff() => Some(Outcome::refused(STAFF_ELSEWHERE)),
                    Some(u) if Some(u.id) == actor.user_id => Some(Outcome::refused(
                        "You can't change your own access or teams this way; ask another administrator.",
                    )),
                    Some(_) => None,
                })
            })
            .collect::<Result<_, AppError>>()?;
        let open = undecided(chunk, &outcomes);
        let done: Vec<(UserId, Vec<TeamId>)> = match change {
            LearnerChange::Deactivate | LearnerChange::Reactivate => {
                let status = if change == LearnerChange::Deactivate {
                    AccountStatus::Deactivated
                } else {
                    AccountStatus::Active
                };
                let targets: Vec<UserId> = open
                    .iter()
                    .copied()
                    .filter(|id| rows[id].status != status)
                    .collect();
                repo::bulk::update_users(
                    &mut tx,
                    actor.academy_id,
                    &targets,
                    repo::bulk::UserChange::Status(status),
                )
                .await?;
                if status == AccountStatus::Deactivated {
                    repo::bulk::end_sessions(&mut tx, &targets).await?;
                }
                targets.into_iter().map(|id| (id, vec![])).collect()
            }
            LearnerChange::LeaveTeams(teams) => {
                grouped(repo::bulk::leave_teams(&mut tx, &open, teams).await?)
            }
            LearnerChange::JoinTeams(teams) => {
                let joined =
                    repo::imports::add_members(&mut tx, actor.academy_id, &open, teams, now_ms())
                        .await?;
                distinct(joined)
                    .into_iter()
                    .map(|id| (id, vec![]))
                    .collect()
            }
            LearnerChange::SetRole(role) => {
                let mut targets: Vec<UserId> = Vec::with_capacity(open.len());
                for &id in &open {
                    if rows[&id].role != role {
                        targets.push(id);
                    }
                }
                repo::bulk::update_users(
                    &mut tx,
                    actor.academy_id,
                    &targets,
                    repo::bulk::UserChange::Role(role),
                )
                .await?;
                targets.into_iter().map(|id| (id, vec![])).collect()
            }
            LearnerChange::Remove => {
                let mut removed = Vec::with_capacity(open.len());
                for id in &open {
                    if repo::users::delete(&mut tx, actor.academy_id, *id).await? {
                        let label = removed_label(*id);
                        repo::users::erase_person(
                            &mut tx,
                            actor.academy_id,
                            &rows[id].email,
                            &label,
                        )
                        .await?;
                        removed.push((*id, vec![]));
                    }
                }
                removed
            }
        };
        tx.commit().await?;
        settle(chunk, &mut outcomes, done);
        out.extend(
            outcomes
                .into_iter()
                .map(|o| o.unwrap_or(Outcome::Unchanged)),
        );
        actor.batch_done(chunk.len());
    }
    let (action, to) = match change {
        LearnerChange::Deactivate => ("learner.bulk_deactivated", ""),
        LearnerChange::Reactivate => ("learner.bulk_reactivated", ""),
        LearnerChange::LeaveTeams(_) => ("team.bulk_members_removed", ""),
        LearnerChange::JoinTeams(_) => ("team.bulk_members_added", ""),
        LearnerChange::SetRole(role) => ("learner.bulk_role_changed", role.as_str()),
        LearnerChange::Remove => ("learner.bulk_removed", ""),
    };
    let what = Counted {
        one: "learner",
        many: "learners",
        to,
    };
    record(state, actor, action, &out, what).await?;
    Ok(out)
}

/// Applies `change` to the invitations `ids` of the academy; one outcome per id, in order.
pub async fn invites(
    state: &AppState,
    actor: &Actor<'_>,
    ids: &[InviteId],
    change: InviteChange<'_>,
) -> Result<Vec<Outcome>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    let now = now_ms();
    for chunk in ids.chunks(BATCH) {
        let mut tx = state.db.write().await?;
        let rows: HashMap<InviteId, repo::invites::InviteRow> =
            repo::bulk::invites(&mut tx, actor.academy_id, chunk)
                .await?
                .into_iter()
                .map(|i| (i.id, i))
                .collect();
        let mut outcomes: Vec<Option<Outcome>> = chunk
            .iter()
            .map(|id| match rows.get(id) {
                None => Some(Outcome::refused("This invitation does not exist.")),
                Some(i) if i.role.is_staff() => Some(Outcome::refused(
                    "Administrators' invitations are managed in Settings → Admins.",
                )),
                Some(i) if change == InviteChange::Revoke && i.status == InviteState::Revoked => {
                    Some(Outcome::Unchanged)
                }
                Some(i) => invites::not_pending(i).map(Outcome::Refused),
            })
            .collect();
        let open = undecided(chunk, &outcomes);
        let done: Vec<(InviteId, Vec<TeamId>)> = match change {
            InviteChange::Resend => {
                for id in &open {
                    invites::send_again(state, &mut tx, &rows[id], now).await?;
                }
                open.iter().map(|id| (*id, vec![])).collect()
            }
            InviteChange::Revoke => {
                let mut revoked = Vec::with_capacity(open.len());
                for id in &open {
                    if repo::invites::revoke(&mut *tx, actor.academy_id, *id, now).await? {
                        revoked.push((*id, vec![]));
                    }
                }
                revoked
            }
            InviteChange::LeaveTeams(teams) => {
                grouped(repo::bulk::leave_teams(&mut tx, &open, teams).await?)
            }
        };
        tx.commit().await?;
        settle(chunk, &mut outcomes, done);
        out.extend(
            outcomes
                .into_iter()
                .map(|o| o.unwrap_or(Outcome::Unchanged)),
        );
        actor.batch_done(chunk.len());
    }
    if change == InviteChange::Resend {
        state.outbox_wakeup.notify_one();
    }
    let action = match change {
        InviteChange::Resend => "invite.bulk_resent",
        InviteChange::Revoke => "invite.bulk_revoked",
        InviteChange::LeaveTeams(_) => "team.bulk_invites_removed",
    };
    let what = Counted {
        one: "invitation",
        many: "invitations",
        to: "",
    };
    record(state, actor, action, &out, what).await?;
    Ok(out)
}

/// The ids of `chunk` whose outcome is not decided yet (not refused up front), smallest first:
/// a transaction that changes several rows locks them in id order, as the outbox worker does, so
/// two never wait for each other in a circle (on PostgreSQL one would fail with a deadlock; seen
/// as a 500 from a bulk revoke while the worker recorded the emails a bulk resend had queued).
fn undecided<Id: Copy + Ord>(chunk: &[Id], outcomes: &[Option<Outcome>]) -> Vec<Id> {
    let mut open: Vec<Id> = chunk
        .iter()
        .zip(outcomes)
        .filter(|(_, o)| o.is_none())
        .map(|(id, _)| *id)
        .collect();
    open.sort_unstable();
    open
}

/// `(owner, team)` pairs as each owner's teams.
fn grouped<Owner: Eq + Hash>(pairs: Vec<(Owner, TeamId)>) -> Vec<(Owner, Vec<TeamId>)> {
    let mut by_owner: HashMap<Owner, Vec<TeamId>> = HashMap::new();
    for (owner, team) in pairs {
        by_owner.entry(owner).or_default().push(team);
    }
    by_owner
        .into_iter()
        .map(|(owner, mut teams)| {
            teams.sort_unstable();
            (owner, teams)
        })
        .collect()
}

/// Marks the items of `chunk` that `done` changed.
fn settle<Id: Eq + Hash>(
    chunk: &[Id],
    outcomes: &mut [Option<Outcome>],
    done: Vec<(Id, Vec<TeamId>)>,
) {
    let done: HashMap<Id, Vec<TeamId>> = done.into_iter().collect();
    for (id, outcome) in chunk.iter().zip(outcomes.iter_mut()) {
        if outcome.is_none()
            && let Some(teams) = done.get(id)
        {
            *outcome = Some(Outcome::Done(teams.clone()));
        }
    }
}

/// The ids without repeats, in order (the order rows are locked in: see `undecided`).
pub(super) fn distinct<Id: Ord>(ids: impl IntoIterator<Item = Id>) -> Vec<Id> {
    let mut ids: Vec<Id> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// What an audit entry counts, and what they were changed to (a role), if anything.
struct Counted {
    one: &'static str,
    many: &'static str,
    to: &'static str,
}

/// One audit entry for the call, when it changed anything: the count first ("12 learners of 15
/// asked", "… → learner_analyst"), and for the API the application's name as target.
async fn record(
    state: &AppState,
    actor: &Actor<'_>,
    action: &str,
    out: &[Outcome],
    what: Counted,
) -> Result<(), AppError> {
    let Counted { one, many, to } = what;
    let changed = out.iter().filter(|o| matches!(o, Outcome::Done(_))).count();
    if changed == 0 {
        return Ok(());
    }
    let mut detail = format!(
        "{changed} {} of {} asked",
        if changed == 1 { one } else { many },
        out.len()
    );
    if !to.is_empty() {
        detail.push_str(" → ");
        detail.push_str(to);
    }
    let target = actor
        .api
        .map(|name| format!("API: {name}"))
        .unwrap_or_default();
    let mut tx = state.db.write().await?;
    repo::audit::record_with_detail(
        &mut *tx,
        actor.academy_id,
        actor.user_id,
        action,
        &target,
        &detail,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
