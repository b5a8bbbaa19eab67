//! Teams, their members, and the counts the Teams section shows.

use crate::domain::role::Role;
use crate::domain::{AcademyId, TeamId, UserId};
use sqlx::{Any, Executor, FromRow};

use super::lists::{LEARNER_ROLES_SQL, PER_PAGE, like_pattern, offset};

#[derive(Debug, Clone, FromRow)]
pub struct TeamRow {
    pub id: TeamId,
    pub name: String,
    pub color: String,
}

/// `$first, $first+1, …` for `n` values: an IN list for runtime-built SQL.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Clone, FromRow)]
pub struct TeamSummaryRow {
    pub id: TeamId,
    pub name: String,
    pub color: String,
    pub created_at: i64,
    pub learners_count: i64,
    pub invites_count: i64,
}

/// The counts ride along as correlated subqueries on the `team_members` primary key and the
/// `invite_teams_team` index: one query for a page, whatever the number of teams.
pub(crate) const SUMMARY_SELECT: &str = "SELECT t.id, t.name, t.color, t.created_at, \
     (SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id) AS learners_count, \
     (SELECT COUNT(*) FROM invite_teams it JOIN invites i ON i.id = it.invite_id \
      WHERE it.team_id = t.id AND i.status = 'pending') AS invites_count \
     FROM teams t";

/// A page of the Teams section, by name; `search` matches the name.
pub async fn summaries_page<'c, E>(
    ex: E,
    academy_id: AcademyId,
    search: &str,
    page: u32,
) -> Result<(Vec<TeamSummaryRow>, i64), sqlx::Error>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let pattern = like_pattern(search);
    let condition = "t.academy_id = $1 AND ($2 = '%%' OR lower(t.name) LIKE $2 ESCAPE '\\')";
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM teams t WHERE {condition}"
    )))
    .bind(academy_id)
    .bind(&pattern)
    .fetch_one(ex)
    .await?;
    let offset = offset(page);
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUMMARY_SELECT} WHERE {condition} ORDER BY lower(t.name), t.id LIMIT $3 OFFSET $4"
    )))
    .bind(academy_id)
    .bind(&pattern)
    .bind(i64::from(PER_PAGE))
    .bind(offset)
    .fetch_all(ex)
    .await?;
    Ok((rows, total))
}

/// One team of the academy with its counts; `None` for a team of another academy.
pub async fn summary<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    team_id: TeamId,
) -> Result<Option<TeamSummaryRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUMMARY_SELECT} WHERE t.academy_id = $1 AND t.id = $2"
    )))
    .bind(academy_id)
    .bind(team_id)
    .fetch_optional(ex)
    .await
}

/// The team, locked until the transaction ends (a no-op update is the portable lock: PostgreSQL
/// holds the row lock, SQLite's `BEGIN IMMEDIATE` already holds the write lock), so a membership
/// change and the team's deletion never interleave. `None` for a team of another academy.
pub async fn lock<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    team_id: TeamId,
) -> Result<Option<TeamRow>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE teams SET name = name WHERE academy_id = $1 AND id = $2 RETURNING id, name, color",
    )
    .bind(academy_id)
    .bind(team_id)
    .fetch_optional(ex)
    .await
}

/// Renames and recolours a team of the academy; false when there is no such team.
pub async fn update<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    team_id: TeamId,
    name: &str,
    color: &str,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE teams SET name = $1, color = $2 WHERE academy_id = $3 AND id = $4")
            .bind(name)
            .bind(color)
            .bind(academy_id)
            .bind(team_id)
            .execute(ex)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a team of the academy with its memberships and its place on invitations (the learners
/// and the invitations themselves stay); false when there is no such team.
pub async fn delete(
    tx: &mut sqlx::AnyConnection,
    academy_id: AcademyId,
    team_id: TeamId,
) -> Result<bool, sqlx::Error> {
    // Spelled out rather than left to ON DELETE CASCADE, so it holds whatever the connection's
    // foreign-key setting.
    sqlx::query("DELETE FROM team_members WHERE academy_id = $1 AND team_id = $2")
        .bind(academy_id)
        .bind(team_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "DELETE FROM invite_teams WHERE team_id = $1 \
         AND team_id IN (SELECT id FROM teams WHERE academy_id = $2)",
    )
    .bind(team_id)
    .bind(academy_id)
    .execute(&mut *tx)
    .await?;
    let done = sqlx::query("DELETE FROM teams WHERE academy_id = $1 AND id = $2")
        .bind(academy_id)
        .bind(team_id)
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a member; false when they were not one.
pub async fn remove_member<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    team_id: TeamId,
    user_id: UserId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM team_members WHERE academy_id = $1 AND team_id = $2 AND user_id = $3",
    )
    .bind(academy_id)
    .bind(team_id)
    .bind(user_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct MemberRow {
    pub user_id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub added_at: i64,
}

const MEMBER_SEARCH_SQL: &str = "($3 = '%%' OR lower(u.email) LIKE $3 ESCAPE '\\' \
     OR lower(u.first_name) LIKE $3 ESCAPE '\\' OR lower(u.last_name) LIKE $3 ESCAPE '\\')";

/// A page of "Learners in team", newest members first.
pub async fn members_page<'c, E>(
    ex: E,
    academy_id: AcademyId,
    team_id: TeamId,
    search: &str,
    page: u32,
) -> Result<(Vec<MemberRow>, i64), sqlx::Error>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let pattern = like_pattern(search);
    let from = format!(
        "FROM team_members m JOIN users u ON u.id = m.user_id \
         WHERE m.academy_id = $1 AND m.team_id = $2 AND {MEMBER_SEARCH_SQL}"
    );
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {from}")))
        .bind(academy_id)
        .bind(team_id)
        .bind(&pattern)
        .fetch_one(ex)
        .await?;
    let offset = offset(page);
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT u.id AS user_id, u.email, u.first_name, u.last_name, u.role, m.added_at {from} \
         ORDER BY m.added_at DESC, u.id DESC LIMIT $4 OFFSET $5"
    )))
    .bind(academy_id)
    .bind(team_id)
    .bind(&pattern)
    .bind(i64::from(PER_PAGE))
    .bind(offset)
    .fetch_all(ex)
    .await?;
    Ok((rows, total))
}

/// Every member of the team matching `search` (all pages), newest first: "select all matching" on
/// "Learners in team".
pub async fn member_ids<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    team_id: TeamId,
    search: &str,
) -> Result<Vec<UserId>, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT u.id FROM team_members m JOIN users u ON u.id = m.user_id \
         WHERE m.academy_id = $1 AND m.team_id = $2 AND {MEMBER_SEARCH_SQL} \
         ORDER BY m.added_at DESC, u.id DESC"
    )))
    .bind(academy_id)
    .bind(team_id)
    .bind(like_pattern(search))
    .fetch_all(ex)
    .await
}

/// Registered learners of the academy who are not in the team, matching `search`: "Add learners".
pub async fn candidates<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    team_id: TeamId,
    search: &str,
    limit: i64,
) -> Result<Vec<MemberRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT u.id AS user_id, u.email, u.first_name, u.last_name, u.role, u.created_at AS added_at \
         FROM users u WHERE u.academy_id = $1 AND u.status = 'active' \
         AND u.role IN {LEARNER_ROLES_SQL} \
         AND NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = $2 AND m.user_id = u.id) \
         AND {MEMBER_SEARCH_SQL} ORDER BY lower(u.first_name), lower(u.last_name), u.id LIMIT $4"
    )))
    .bind(academy_id)
    .bind(team_id)
    .bind(like_pattern(search))
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// Of `user_ids`, the active learners of this academy: `(id, email)`.
pub async fn learners_among<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    user_ids: &[UserId],
) -> Result<Vec<(UserId, String)>, sqlx::Error> {
    if user_ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT id, email FROM users WHERE academy_id = $1 AND status = 'active' \
         AND role IN {LEARNER_ROLES_SQL} AND id IN ({})",
        placeholders(2, user_ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(academy_id);
    for id in user_ids {
        q = q.bind(*id);
    }
    q.fetch_all(ex).await
}

pub async fn list<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
) -> Result<Vec<TeamRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, color FROM teams WHERE academy_id = $1 ORDER BY lower(name)")
        .bind(academy_id)
        .fetch_all(ex)
        .await
}

/// Of `ids`, those that are teams of this academy.
pub async fn existing_ids<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    ids: &[TeamId],
) -> Result<Vec<TeamId>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT id FROM teams WHERE academy_id = $1 AND id IN ({})",
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(academy_id);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(ex).await
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    name: &str,
    color: &str,
    now: i64,
) -> Result<TeamId, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO teams (academy_id, name, color, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(academy_id)
        .bind(name)
        .bind(color)
        .bind(now)
        .fetch_one(ex)
        .await
}

/// Adds a member; returns false when they already were one.
pub async fn add_member<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    team_id: TeamId,
    user_id: UserId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO team_members (team_id, user_id, academy_id, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (team_id, user_id) DO NOTHING",
    )
    .bind(team_id)
    .bind(user_id)
    .bind(academy_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn of_user<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    user_id: UserId,
) -> Result<Vec<TeamRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.name, t.color FROM team_members m JOIN teams t ON t.id = m.team_id \
         WHERE m.academy_id = $1 AND m.user_id = $2 ORDER BY lower(t.name)",
    )
    .bind(academy_id)
    .bind(user_id)
    .fetch_all(ex)
    .await
}
