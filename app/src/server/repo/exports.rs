//! The rows of the "Export CSV" files: the same rows, search and filters as the Invites and All
//! Learners tabs (`lists`), newest first like the tabs, read a page at a time by id (keyset) so a
//! file of 100,000 rows never holds more than one page in memory.

use sqlx::{Any, Executor};

use super::lists::{
    InviteListRow, LEARNER_ROLES_SQL, LearnerListRow, SEARCH_SQL, invite_filter_sql, like_pattern,
    status_sql,
};
use crate::domain::AcademyId;
use crate::domain::account::StatusFilter;

/// The learners matching `search` and `filter` whose id is below `before`, newest first.
pub async fn learners_before<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    search: &str,
    filter: StatusFilter,
    before: i64,
    limit: i64,
) -> Result<Vec<LearnerListRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT i.id, i.email, i.first_name, i.last_name, i.role, i.status, i.created_at, \
         i.last_sign_in_at FROM users i WHERE i.academy_id = $1 AND i.role IN {LEARNER_ROLES_SQL}\
         {}{SEARCH_SQL} AND i.id < $3 ORDER BY i.id DESC LIMIT $4",
        status_sql(filter)
    )))
    .bind(academy_id)
    .bind(like_pattern(search))
    .bind(before)
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// The learners' invitations matching `search` and `filter` whose id is below `before`, newest
/// first.
pub async fn invites_before<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    search: &str,
    filter: &str,
    now: i64,
    before: i64,
    limit: i64,
) -> Result<Vec<InviteListRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT i.id, i.email, i.first_name, i.last_name, i.role, i.status, i.email_status, \
         i.email_error, i.created_at, i.expires_at, u.first_name AS inviter_first, \
         u.last_name AS inviter_last \
         FROM invites i LEFT JOIN users u ON u.id = i.invited_by \
         WHERE i.academy_id = $1 AND i.role IN {LEARNER_ROLES_SQL}{SEARCH_SQL}{} \
         AND i.id < $4 ORDER BY i.id DESC LIMIT $5",
        invite_filter_sql(filter)
    )))
    .bind(academy_id)
    .bind(like_pattern(search))
    .bind(now)
    .bind(before)
    .bind(limit)
    .fetch_all(ex)
    .await
}
