//! The admin's paged lists (Invites, All Learners): one query for the page, one for the total, and one
//! for the page's team names — never a query per row.

use crate::domain::{AcademyId, InviteId, TeamId, UserId};
use crate::domain::{
    account::AccountStatus,
    invite::{EmailStatus, InviteState},
    role::Role,
};
use sqlx::{Any, Executor, FromRow};

use crate::domain::account::StatusFilter;

use super::teams::placeholders;

pub const PER_PAGE: u32 = 25;

/// The OFFSET of page `page` (from 1).
pub fn offset(page: u32) -> i64 {
    i64::from(page.max(1) - 1) * i64::from(PER_PAGE)
}

/// `%text%` for LIKE, with LIKE's wildcards in the text taken literally.
pub fn like_pattern(text: &str) -> String {
    let escaped = text
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[derive(Debug, Clone, FromRow)]
pub struct InviteListRow {
    pub id: InviteId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub status: InviteState,
    pub email_status: EmailStatus,
    pub email_error: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub inviter_first: Option<String>,
    pub inviter_last: Option<String>,
}

/// The Invites tab's filters ("" is every invitation).
pub const INVITE_FILTERS: [&str; 6] = [
    "",
    "invited",
    "accepted",
    "expired",
    "revoked",
    "email_failed",
];

pub(super) fn invite_filter_sql(filter: &str) -> &'static str {
    match filter {
        "invited" => " AND i.status = 'pending' AND i.expires_at > $3",
        "accepted" => " AND i.status = 'accepted' AND $3 = $3",
        "expired" => " AND i.status = 'pending' AND i.expires_at <= $3",
        "revoked" => " AND i.status = 'revoked' AND $3 = $3",
        "email_failed" => " AND i.email_status IN ('failed', 'retrying') AND $3 = $3",
        _ => " AND $3 = $3",
    }
}

pub(super) const SEARCH_SQL: &str = " AND ($2 = '%%' OR lower(i.email) LIKE $2 ESCAPE '\\' OR lower(i.first_name) LIKE $2 ESCAPE '\\' \
     OR lower(i.last_name) LIKE $2 ESCAPE '\\')";

/// The invitations the Invites tab lists for `filter` (and a team's tab for `team_id` `$4`), with
/// the search pattern `$2` and the time `$3`.
fn invites_condition(filter: &str, team_id: Option<TeamId>) -> String {
    // A team's invites are the pending ones that include it (accepted ones became members).
    let team_sql = if team_id.is_some() {
        " AND i.status = 'pending' AND EXISTS \
         (SELECT 1 FROM invite_teams it WHERE it.invite_id = i.id AND it.team_id = $4)"
    } else {
        " AND $4 = $4"
    };
    // Invitations to become an administrator are listed in Settings → Admins, not here.
    format!(
        "i.academy_id = $1 AND i.role IN {LEARNER_ROLES_SQL}{SEARCH_SQL}{}{team_sql}",
        invite_filter_sql(filter)
    )
}

/// Every invitation the Invites tab lists for `search`, `filter` and `team_id` (all pages),
/// newest first: "select all matching".
pub async fn invite_ids<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    search: &str,
    filter: &str,
    team_id: Option<TeamId>,
    now: i64,
) -> Result<Vec<InviteId>, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT i.id FROM invites i WHERE {} ORDER BY i.id DESC",
        invites_condition(filter, team_id)
    )))
    .bind(academy_id)
    .bind(like_pattern(search))
    .bind(now)
    .bind(team_id.map_or(0, TeamId::get))
    .fetch_all(ex)
    .await
}

pub async fn invites_page<'c, E>(
    ex: E,
    academy_id: AcademyId,
    search: &str,
    filter: &str,
    team_id: Option<TeamId>,
    now: i64,
    page: u32,
) -> Result<(Vec<InviteListRow>, i64), sqlx::Error>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let pattern = like_pattern(search);
    let condition = invites_condition(filter, team_id);
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM invites i WHERE {condition}"
    )))
    .bind(academy_id)
    .bind(&pattern)
    .bind(now)
    .bind(team_id.map_or(0, TeamId::get))
    .fetch_one(ex)
    .await?;
    let offset = offset(page);
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT i.id, i.email, i.first_name, i.last_name, i.role, i.status, i.email_status, i.email_error, \
         i.created_at, i.expires_at, u.first_name AS inviter_first, u.last_name AS inviter_last \
         FROM invites i LEFT JOIN users u ON u.id = i.invited_by \
         WHERE {condition} ORDER BY i.id DESC LIMIT $5 OFFSET $6"
    )))
    .bind(academy_id)
    .bind(&pattern)
    .bind(now)
    .bind(team_id.map_or(0, TeamId::get))
    .bind(i64::from(PER_PAGE))
    .bind(offset)
    .fetch_all(ex)
    .await?;
    Ok((rows, total))
}

/// Every learner invitation sent to `email` or accepted by `user_id` (under an address since
/// corrected), newest first: a learner's page.
pub async fn invites_of_person<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    email: &str,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<InviteListRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT i.id, i.email, i.first_name, i.last_name, i.role, i.status, i.email_status, i.email_error, \
         i.created_at, i.expires_at, u.first_name AS inviter_first, u.last_name AS inviter_last \
         FROM invites i LEFT JOIN users u ON u.id = i.invited_by \
         WHERE i.academy_id = $1 AND (i.email = $2 OR i.user_id = $3) AND i.role IN {LEARNER_ROLES_SQL} \
         ORDER BY i.id DESC LIMIT $4"
    )))
    .bind(academy_id)
    .bind(email)
    .bind(user_id)
    .bind(limit)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct LearnerListRow {
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub status: AccountStatus,
    pub created_at: i64,
    pub last_sign_in_at: Option<i64>,
}

/// ` AND i.status IN (…)`: the users a learners list shows.
pub(super) fn status_sql(filter: StatusFilter) -> String {
    let stored: Vec<String> = filter
        .statuses()
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!(" AND i.status IN ({})", stored.join(", "))
}

pub const LEARNER_ROLES_SQL: &str = "('learner', 'learner_analyst', 'learner_admin')";

/// The learners All Learners lists for `filter` and the search pattern `$2`.
fn learners_condition(filter: StatusFilter) -> String {
    format!(
        "i.academy_id = $1 AND i.role IN {LEARNER_ROLES_SQL}{}{SEARCH_SQL}",
        status_sql(filter)
    )
}

/// Every learner All Learners lists for `search` and `filter` (all pages), newest first: "select
/// all matching".
pub async fn learner_ids<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    search: &str,
    filter: StatusFilter,
) -> Result<Vec<UserId>, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT i.id FROM users i WHERE {} ORDER BY i.id DESC",
        learners_condition(filter)
    )))
    .bind(academy_id)
    .bind(like_pattern(search))
    .fetch_all(ex)
    .await
}

pub async fn learners_page<'c, E>(
    ex: E,
    academy_id: AcademyId,
    search: &str,
    filter: StatusFilter,
    page: u32,
) -> Result<(Vec<LearnerListRow>, i64), sqlx::Error>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let pattern = like_pattern(search);
    let condition = learners_condition(filter);
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM users i WHERE {condition}"
    )))
    .bind(academy_id)
    .bind(&pattern)
    .fetch_one(ex)
    .await?;
    let offset = offset(page);
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT i.id, i.email, i.first_name, i.last_name, i.role, i.status, i.created_at, i.last_sign_in_at \
         FROM users i WHERE {condition} ORDER BY i.id DESC LIMIT $3 OFFSET $4"
    )))
    .bind(academy_id)
    .bind(&pattern)
    .bind(i64::from(PER_PAGE))
    .bind(offset)
    .fetch_all(ex)
    .await?;
    Ok((rows, total))
}

/// The teams of a page of users: `(user_id, team_id, name, colour)`.
pub async fn teams_for_users<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_ids: &[UserId],
) -> Result<Vec<(UserId, TeamId, String, String)>, sqlx::Error> {
    if user_ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT m.user_id, t.id, t.name, t.color FROM team_members m JOIN teams t ON t.id = m.team_id \
         WHERE m.user_id IN ({}) ORDER BY lower(t.name)",
        placeholders(1, user_ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in user_ids {
        q = q.bind(*id);
    }
    q.fetch_all(ex).await
}
