//! Read queries of the external API's list actions and the team places of `addLearnersToTeams`.

use crate::domain::{AcademyId, InviteId, TeamId, UserId};
use crate::domain::{
    invite::{EmailStatus, InviteSource, InviteState},
    role::Role,
};
use crate::server::db::TeamPlace;
use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::domain::account::StatusFilter;

use super::{
    lists::{LEARNER_ROLES_SQL, LearnerListRow, status_sql},
    teams::{SUMMARY_SELECT, TeamSummaryRow, placeholders},
};

/// Every team of the academy with its counts, by name.
pub async fn teams<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
) -> Result<Vec<TeamSummaryRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUMMARY_SELECT} WHERE t.academy_id = $1 ORDER BY lower(t.name), t.id"
    )))
    .bind(academy_id)
    .fetch_all(ex)
    .await
}

/// Learners registered in `[from, to)` (ms) whose id is above `after`, in id order (oldest first).
pub async fn learners<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    filter: StatusFilter,
    (from, to): (i64, i64),
    after: UserId,
    offset: i64,
    limit: i64,
) -> Result<Vec<LearnerListRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT i.id, i.email, i.first_name, i.last_name, i.role, i.status, i.created_at, \
         i.last_sign_in_at FROM users i WHERE i.academy_id = $1 AND i.role IN {LEARNER_ROLES_SQL}{} \
         AND i.created_at >= $2 AND i.created_at < $3 AND i.id > $6 ORDER BY i.id LIMIT $4 OFFSET $5",
        status_sql(filter)
    )))
    .bind(academy_id)
    .bind(from)
    .bind(to)
    .bind(limit)
    .bind(offset)
    .bind(after)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct ApiInviteRow {
    pub id: InviteId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub status: InviteState,
    pub email_status: EmailStatus,
    pub email_error: Option<String>,
    pub source: InviteSource,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
}

/// Learners' invitations, oldest first; `status` is pending, accepted, revoked, expired or "" for all
/// ("expired" is a pending invite past its expiry, and "pending" excludes those).
pub async fn invites<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    status: &str,
    now: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<ApiInviteRow>, sqlx::Error> {
    let condition = match status {
        "pending" => "AND status = 'pending' AND expires_at > $2",
        "expired" => "AND status = 'pending' AND expires_at <= $2",
        "accepted" => "AND status = 'accepted' AND $2 = $2",
        "revoked" => "AND status = 'revoked' AND $2 = $2",
        _ => "AND $2 = $2",
    };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, email, first_name, last_name, role, status, email_status, email_error, source, \
         created_at, expires_at, accepted_at FROM invites WHERE academy_id = $1 \
         AND role IN {LEARNER_ROLES_SQL} {condition} ORDER BY id LIMIT $3 OFFSET $4"
    )))
    .bind(academy_id)
    .bind(now)
    .bind(limit)
    .bind(offset)
    .fetch_all(ex)
    .await
}

/// Which `(owner, team)` places already exist among `owners` × `teams`: memberships of users,
/// places of invitations.
pub async fn team_places<Owner: TeamPlace>(
    tx: &mut AnyConnection,
    owners: &[Owner],
    teams: &[TeamId],
) -> Result<Vec<(Owner, TeamId)>, sqlx::Error> {
    if owners.is_empty() || teams.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT {owner}, team_id FROM {table} WHERE {owner} IN ({}) AND team_id IN ({})",
        placeholders(1, owners.len()),
        placeholders(owners.len() + 1, teams.len()),
        owner = Owner::OWNER,
        table = Owner::TABLE,
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).persistent(false);
    for id in owners {
        q = q.bind(*id);
    }
    for id in teams {
        q = q.bind(*id);
    }
    q.fetch_all(&mut *tx).await
}

/// Frees an idempotency key used longer ago than `before`, so the same call made again later is
/// a new call.
pub async fn retire_import_key<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    key: &str,
    before: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE imports SET import_key = import_key || '-' || CAST(id AS TEXT) \
         WHERE academy_id = $1 AND import_key = $2 AND created_at < $3",
    )
    .bind(academy_id)
    .bind(key)
    .bind(before)
    .execute(ex)
    .await?;
    Ok(())
}
