//! The Teams section: creating, renaming, recolouring and deleting teams, and who is in them. Every
//! function works on the caller's academy only; a team of another academy is "not found", exactly
//! like one that does not exist.

use crate::domain::{TeamId, UserId};
use crate::{
    domain::team::{CANDIDATES_SHOWN, TeamColor, TeamName},
    error::{AppError, FieldError},
    model::{DeletedTeam, ListQuery, Page, TeamAdded, TeamMemberView, TeamSummary, TeamView},
    server::{
        auth::SessionUser,
        db::{Tx, is_unique_violation, now_ms},
        repo::{
            self,
            lists::PER_PAGE,
            teams::{MemberRow, TeamRow, TeamSummaryRow},
        },
        state::AppState,
    },
};

/// At most this many learners are added to a team in one call.
pub const MAX_ADD_AT_ONCE: usize = 500;

fn gone() -> AppError {
    AppError::NotFound(
        "This team no longer exists. Reload the page to see the current teams.".into(),
    )
}

fn taken(name: &TeamName) -> AppError {
    AppError::conflict(
        "name",
        format!(
            "A team named \"{name}\" already exists in this academy (names are compared without regard to case). Choose another name."
        ),
    )
}

impl From<TeamRow> for TeamView {
    fn from(t: TeamRow) -> TeamView {
        TeamView {
            id: t.id,
            name: t.name,
            color: t.color,
        }
    }
}

impl From<TeamSummaryRow> for TeamSummary {
    fn from(r: TeamSummaryRow) -> TeamSummary {
        TeamSummary {
            team: TeamView {
                id: r.id,
                name: r.name,
                color: r.color,
            },
            learners_count: r.learners_count,
            invites_count: r.invites_count,
            created_at: r.created_at,
        }
    }
}

impl TryFrom<MemberRow> for TeamMemberView {
    type Error = AppError;

    fn try_from(m: MemberRow) -> Result<TeamMemberView, AppError> {
        Ok(TeamMemberView {
            role: m.role,
            user_id: m.user_id,
            email: m.email,
            first_name: m.first_name,
            last_name: m.last_name,
            joined_at: m.added_at,
        })
    }
}

fn parse_team(name: &str, color: &str) -> Result<(TeamName, TeamColor), AppError> {
    match (TeamName::parse(name), TeamColor::parse(color)) {
        (Ok(n), Ok(c)) => Ok((n, c)),
        (n, c) => {
            let fields = [("name", n.err()), ("color", c.err())]
                .into_iter()
                .filter_map(|(field, e)| {
                    e.map(|message| FieldError {
                        field: field.into(),
                        message,
                    })
                })
                .collect();
            Err(AppError::from_fields(fields).expect("at least one field is wrong"))
        }
    }
}

async fn audit(
    tx: &mut Tx,
    actor: &SessionUser,
    action: &str,
    target: &str,
    detail: &str,
    now: i64,
) -> Result<(), AppError> {
    repo::audit::record_with_detail(
        &mut **tx,
        actor.academy_id,
        Some(actor.user.id),
        action,
        target,
        detail,
        now,
    )
    .await?;
    Ok(())
}

pub async fn summaries(
    state: &AppState,
    actor: &SessionUser,
    q: &ListQuery,
) -> Result<Page<TeamSummary>, AppError> {
    let search = super::search(&q.search)?;
    let page = q.page.max(1);
    let (rows, total) =
        repo::teams::summaries_page(&state.db.pool, actor.academy_id, search, page).await?;
    Ok(Page {
        rows: rows.into_iter().map(TeamSummary::from).collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// `team_id` is a team of the caller's academy (one index look-up, no counts), else "not found".
pub async fn ensure_exists(
    state: &AppState,
    actor: &SessionUser,
    team_id: TeamId,
) -> Result<(), AppError> {
    if repo::teams::existing_ids(&state.db.pool, actor.academy_id, &[team_id])
        .await?
        .is_empty()
    {
        return Err(gone());
    }
    Ok(())
}

pub async fn get(
    state: &AppState,
    actor: &SessionUser,
    team_id: TeamId,
) -> Result<TeamSummary, AppError> {
    repo::teams::summary(&state.db.pool, actor.academy_id, team_id)
        .await?
        .map(TeamSummary::from)
        .ok_or_else(gone)
}

pub async fn create(
    state: &AppState,
    actor: &SessionUser,
    name: &str,
    color: &str,
) -> Result<TeamView, AppError> {
    let (name, color) = parse_team(name, color)?;
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let id = match repo::teams::insert(
        &mut *tx,
        actor.academy_id,
        name.as_str(),
        color.as_str(),
        now,
    )
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(taken(&name)),
        Err(e) => return Err(e.into()),
    };
    audit(
        &mut tx,
        actor,
        "team.created",
        name.as_str(),
        TeamColor::label_of(color.as_str()),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(TeamView {
        id,
        name: name.into(),
        color: color.into(),
    })
}

/// Renames and/or recolours a team; returns it as it is now.
pub async fn update(
    state: &AppState,
    actor: &SessionUser,
    team_id: TeamId,
    name: &str,
    color: &str,
) -> Result<TeamView, AppError> {
    let (name, color) = parse_team(name, color)?;
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let old = repo::teams::lock(&mut *tx, actor.academy_id, team_id)
        .await?
        .ok_or_else(gone)?;
    match repo::teams::update(
        &mut *tx,
        actor.academy_id,
        team_id,
        name.as_str(),
        color.as_str(),
    )
    .await
    {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Err(taken(&name)),
        Err(e) => return Err(e.into()),
    }
    if old.name != name.as_str() {
        let detail = format!("{} → {}", old.name, name);
        audit(&mut tx, actor, "team.renamed", name.as_str(), &detail, now).await?;
    }
    if old.color != color.as_str() {
        let detail = format!(
            "{} → {}",
            TeamColor::label_of(&old.color),
            TeamColor::label_of(color.as_str())
        );
        audit(
            &mut tx,
            actor,
            "team.recolored",
            name.as_str(),
            &detail,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(TeamView {
        id: team_id,
        name: name.into(),
        color: color.into(),
    })
}

/// Deletes a team: its learners stay in the academy, its pending invitations lose only this team.
pub async fn delete(
    state: &AppState,
    actor: &SessionUser,
    team_id: TeamId,
) -> Result<DeletedTeam, AppError> {
    let now = now_ms();
    let mut tx = state.db.write().await?;
    repo::teams::lock(&mut *tx, actor.academy_id, team_id)
        .await?
        .ok_or_else(gone)?;
    let counts = repo::teams::summary(&mut *tx, actor.academy_id, team_id)
        .await?
        .ok_or_else(gone)?;
    if !repo::teams::delete(&mut tx, actor.academy_id, team_id).await? {
        return Err(gone());
    }
    let deleted = DeletedTeam {
        name: counts.name,
        learners: counts.learners_count,
        invites: counts.invites_count,
    };
    let detail = format!(
        "{}, {}",
        crate::format::count(deleted.learners, "learner", "learners"),
        crate::format::count(deleted.invites, "pending invite", "pending invites")
    );
    audit(&mut tx, actor, "team.deleted", &deleted.name, &detail, now).await?;
    tx.commit().await?;
    Ok(deleted)
}

pub async fn members(
    state: &AppState,
    actor: &SessionUser,
    team_id: TeamId,
    q: &ListQuery,
) -> Result<Page<TeamMemberView>, AppError> {
    let search = super::search(&q.search)?;
    ensure_exists(state, actor, team_id).await?;
    let page = q.page.max(1);
    let (rows, total) =
        repo::teams::members_page(&state.db.pool, actor.academy_id, team_id, search, page).await?;
    Ok(Page {
        rows: rows
            .into_iter()
            .map(TeamMemberView::try_from)
            .collect::<Result<_, _>>()?,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Registered learners who are not in the team yet, matching `search` (name or email).
pub async fn candidates(
    state: &AppState,
    actor: &SessionUser,
    team_id: TeamId,
    search: &str,
) -> Result<Vec<TeamMemberView>, AppError> {
    let search = super::search(search)?;
    ensure_exists(state, actor, team_id).await?;
    repo::teams::candidates(
        &state.db.pool,
        actor.academy_id,
        team_id,
        search,
        CANDIDATES_SHOWN,
    )
    .await?
    .into_iter()
    .map(TeamMemberView::try_from)
    .collect()
}

/// Adds registered learners of the academy to a team. Someone who is not a learner of this
/// academy (another academy's, staff, removed) is refused by name before anything changes.
pub async fn add_members(
    state: &AppState,
    actor: &SessionUser,
    team_id: TeamId,
    user_ids: &[UserId],
) -> Result<TeamAdded, AppError> {
    let mut ids = user_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::invalid(
            "user_ids",
            "Choose at least one learner to add.",
        ));
    }
    if ids.len() > MAX_ADD_AT_ONCE {
        return Err(AppError::PayloadTooLarge(format!(
            "At most {MAX_ADD_AT_ONCE} learners can be added at once; you chose {}.",
            ids.len()
        )));
    }
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let team = repo::teams::lock(&mut *tx, actor.academy_id, team_id)
        .await?
        .ok_or_else(gone)?;
    let learners = repo::teams::learners_among(&mut *tx, actor.academy_id, &ids).await?;
    if learners.len() != ids.len() {
        return Err(AppError::NotFound(
            "One of the chosen learners is no longer in the academy. Reload the page and choose again."
                .into(),
        ));
    }
    let mut result = TeamAdded {
        added: 0,
        already: 0,
    };
    for (user_id, email) in &learners {
        if repo::teams::add_member(&mut *tx, actor.academy_id, team.id, *user_id, now).await? {
            result.added += 1;
            audit(&mut tx, actor, "team.member_added", email, &team.name, now).await?;
        } else {
            result.already += 1;
        }
    }
    tx.commit().await?;
    Ok(result)
}

/// Takes a learner out of a team (they stay in the academy).
pub async fn remove_member(
    state: &AppState,
    actor: &SessionUser,
    team_id: TeamId,
    user_id: UserId,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let team = repo::teams::lock(&mut *tx, actor.academy_id, team_id)
        .await?
        .ok_or_else(gone)?;
    let user = repo::users::by_id(&mut *tx, actor.academy_id, user_id)
        .await?
        .ok_or_else(|| AppError::NotFound("This learner is no longer in the academy.".into()))?;
    if !repo::teams::remove_member(&mut *tx, actor.academy_id, team.id, user.id).await? {
        return Err(AppError::Conflict {
            message: format!(
                "{} is not in \"{}\" (any more). Reload the page.",
                user.email, team.name
            ),
            field: None,
        });
    }
    audit(
        &mut tx,
        actor,
        "team.member_removed",
        &user.email,
        &team.name,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
