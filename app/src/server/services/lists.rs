//! The admin's Invites and All Learners tabs.

use std::{collections::HashMap, hash::Hash};

use crate::domain::{AcademyId, InviteId, TeamId, UserId};
use crate::{
    domain::{account::StatusFilter, invite::Progress},
    error::AppError,
    model::{InviteView, LearnerView, ListQuery, Page, TeamView},
    server::{
        auth::SessionUser,
        db::now_ms,
        repo::{self, lists::PER_PAGE},
        state::AppState,
    },
};

/// `(owner id, team id, name, colour)` rows as each owner's teams.
pub(crate) fn group<Owner: Eq + Hash>(
    rows: Vec<(Owner, TeamId, String, String)>,
) -> HashMap<Owner, Vec<TeamView>> {
    let mut map: HashMap<Owner, Vec<TeamView>> = HashMap::new();
    for (owner, id, name, color) in rows {
        map.entry(owner)
            .or_default()
            .push(TeamView { id, name, color });
    }
    map
}

pub async fn invites(
    state: &AppState,
    actor: &SessionUser,
    q: &ListQuery,
) -> Result<Page<InviteView>, AppError> {
    if let Some(team_id) = q.team_id {
        // A team of another academy is "not found", not an empty list.
        super::teams::ensure_exists(state, actor, team_id).await?;
    }
    let search = super::search(&q.search)?;
    let now = now_ms();
    let page = q.page.max(1);
    let (rows, total) = repo::lists::invites_page(
        &state.db.pool,
        actor.academy_id,
        search,
        &q.filter,
        q.team_id,
        now,
        page,
    )
    .await?;
    let rows = invite_views(state, rows, now).await?;
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// The rows as the Invites tab shows them, with their teams.
async fn invite_views(
    state: &AppState,
    rows: Vec<repo::lists::InviteListRow>,
    now: i64,
) -> Result<Vec<InviteView>, AppError> {
    let ids: Vec<InviteId> = rows.iter().map(|r| r.id).collect();
    let mut teams = group(repo::invites::teams_for(&state.db.pool, &ids).await?);
    rows.into_iter()
        .map(|r| {
            let invited_by = crate::model::full_name(
                r.inviter_first.as_deref().unwrap_or_default(),
                r.inviter_last.as_deref().unwrap_or_default(),
            );
            Ok(InviteView {
                id: r.id,
                teams: teams.remove(&r.id).unwrap_or_default(),
                role: r.role,
                invited_at: r.created_at,
                invited_by: if invited_by.is_empty() {
                    "—".into()
                } else {
                    invited_by
                },
                expires_at: r.expires_at,
                email_status: r.email_status,
                email_error: r.email_error,
                progress: Progress::of(r.status, r.expires_at, now),
                email: r.email,
                first_name: r.first_name,
                last_name: r.last_name,
            })
        })
        .collect()
}

/// Every learner invitation sent to `email` or accepted by `user_id` (at most 50, newest first):
/// a learner's page.
pub async fn invites_of_person(
    state: &AppState,
    academy_id: AcademyId,
    email: &str,
    user_id: UserId,
) -> Result<Vec<InviteView>, AppError> {
    let rows =
        repo::lists::invites_of_person(&state.db.pool, academy_id, email, user_id, 50).await?;
    invite_views(state, rows, now_ms()).await
}

pub async fn learners(
    state: &AppState,
    actor: &SessionUser,
    q: &ListQuery,
) -> Result<Page<LearnerView>, AppError> {
    let page = q.page.max(1);
    let search = super::search(&q.search)?;
    let filter = StatusFilter::parse(&q.filter).map_err(|m| AppError::invalid("filter", m))?;
    let (rows, total) =
        repo::lists::learners_page(&state.db.pool, actor.academy_id, search, filter, page).await?;
    let ids: Vec<UserId> = rows.iter().map(|r| r.id).collect();
    let mut teams = group(repo::lists::teams_for_users(&state.db.pool, &ids).await?);
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(LearnerView {
                status: r.status,
                id: r.id,
                teams: teams.remove(&r.id).unwrap_or_default(),
                role: r.role,
                registered_at: r.created_at,
                last_sign_in_at: r.last_sign_in_at,
                email: r.email,
                first_name: r.first_name,
                last_name: r.last_name,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Page {
        rows,
        total,
        page,
        per_page: PER_PAGE,
    })
}

pub async fn teams(state: &AppState, actor: &SessionUser) -> Result<Vec<TeamView>, AppError> {
    Ok(repo::teams::list(&state.db.pool, actor.academy_id)
        .await?
        .into_iter()
        .map(TeamView::from)
        .collect())
}
