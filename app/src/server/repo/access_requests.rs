//! Access requests (private academies) and the academy columns that govern them: visibility and
//! "Email administrators when someone requests access". Requests carry no password (the column
//! `password_hash` of migration 0009 stays empty: an approval sends an invitation instead).

use sqlx::{Any, Executor, FromRow};

use crate::domain::access_request::{RequestStatus, Visibility};
use crate::domain::{AcademyId, AccessRequestId, InviteId, UserId};

#[derive(Debug, Clone, FromRow)]
pub struct RequestRow {
    pub id: AccessRequestId,
    pub academy_id: AcademyId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub message: String,
    pub status: RequestStatus,
    pub created_at: i64,
    pub updated_at: i64,
    pub decided_at: Option<i64>,
    pub decline_reason: Option<String>,
    pub decider_first: Option<String>,
    pub decider_last: Option<String>,
    pub decider_email: Option<String>,
}

const COLUMNS: &str = "r.id, r.academy_id, r.email, r.first_name, r.last_name, r.message, r.status, r.created_at, \
     r.updated_at, r.decided_at, r.decline_reason, d.first_name AS decider_first, \
     d.last_name AS decider_last, d.email AS decider_email";
const FROM: &str = "access_requests r LEFT JOIN users d ON d.id = r.decided_by";

pub struct NewRequest<'a> {
    pub academy_id: AcademyId,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub message: &'a str,
    pub ip: &'a str,
}

#[tracing::instrument(skip(ex, r), fields(academy_id = r.academy_id.get()))]
pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    r: &NewRequest<'_>,
    now: i64,
) -> Result<AccessRequestId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO access_requests (academy_id, email, first_name, last_name, message, \
         status, created_at, updated_at, ip) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6, $7) RETURNING id",
    )
    .bind(r.academy_id)
    .bind(r.email)
    .bind(r.first_name)
    .bind(r.last_name)
    .bind(r.message)
    .bind(now)
    .bind(r.ip)
    .fetch_one(ex)
    .await
}

/// A repeat of a pending request: its names and message become the new ones.
#[tracing::instrument(skip(ex, r), fields(academy_id = r.academy_id.get()))]
pub async fn update_pending<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: AccessRequestId,
    r: &NewRequest<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE access_requests SET first_name = $1, last_name = $2, message = $3, \
         updated_at = $4, ip = $5 WHERE academy_id = $6 AND id = $7 AND status = 'pending'",
    )
    .bind(r.first_name)
    .bind(r.last_name)
    .bind(r.message)
    .bind(now)
    .bind(r.ip)
    .bind(r.academy_id)
    .bind(id)
    .execute(ex)
    .await?
    .rows_affected()
        == 1)
}

#[tracing::instrument(skip(ex))]
pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: AccessRequestId,
) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE r.academy_id = $1 AND r.id = $2"
    )))
    .bind(academy_id)
    .bind(id)
    .fetch_optional(ex)
    .await
}

#[tracing::instrument(skip(ex))]
pub async fn pending_by_email<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    email: &str,
) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE r.academy_id = $1 AND r.email = $2 AND r.status = 'pending'"
    )))
    .bind(academy_id)
    .bind(email)
    .fetch_optional(ex)
    .await
}

/// The request of this address declined last, and when, if any was.
#[tracing::instrument(skip(ex))]
pub async fn last_declined<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    email: &str,
) -> Result<Option<(AccessRequestId, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, decided_at FROM access_requests \
         WHERE academy_id = $1 AND email = $2 AND status = 'declined' AND decided_at IS NOT NULL \
         ORDER BY decided_at DESC LIMIT 1",
    )
    .bind(academy_id)
    .bind(email)
    .fetch_optional(ex)
    .await
}

/// One page of the Pending (newest request first) or Declined (newest decision first) tab.
#[tracing::instrument(skip(ex))]
pub async fn page<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    status: RequestStatus,
    limit: i64,
    offset: i64,
) -> Result<Vec<RequestRow>, sqlx::Error> {
    let order = match status {
        RequestStatus::Declined => "r.decided_at DESC, r.id DESC",
        _ => "r.created_at DESC, r.id DESC",
    };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE r.academy_id = $1 AND r.status = $2 \
         ORDER BY {order} LIMIT $3 OFFSET $4"
    )))
    .bind(academy_id)
    .bind(status.as_str())
    .bind(limit)
    .bind(offset)
    .fetch_all(ex)
    .await
}

/// How many requests are pending and how many declined.
#[tracing::instrument(skip(ex))]
pub async fn counts<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
) -> Result<(i64, i64), sqlx::Error> {
    let (pending, declined): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT CAST(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status = 'declined' THEN 1 ELSE 0 END) AS BIGINT) \
         FROM access_requests WHERE academy_id = $1",
    )
    .bind(academy_id)
    .fetch_one(ex)
    .await?;
    Ok((pending.unwrap_or(0), declined.unwrap_or(0)))
}

/// What an approval led to: the invitation sent, or the account that existed already.
pub struct Approval {
    pub decided_by: UserId,
    pub invite_id: Option<InviteId>,
    pub user_id: Option<UserId>,
}

/// Pending or declined → approved. False when the request was approved meanwhile.
#[tracing::instrument(skip(ex, a))]
pub async fn approve<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: AccessRequestId,
    a: &Approval,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE access_requests SET status = 'approved', decided_by = $1, decided_at = $2, updated_at = $2, \
         invite_id = $3, user_id = $4, decline_reason = NULL \
         WHERE academy_id = $5 AND id = $6 AND status IN ('pending', 'declined')",
    )
    .bind(a.decided_by)
    .bind(now)
    .bind(a.invite_id)
    .bind(a.user_id)
    .bind(academy_id)
    .bind(id)
    .execute(ex)
    .await?
    .rows_affected()
        == 1)
}

/// Pending → declined. False when the request was decided meanwhile.
#[tracing::instrument(skip(ex, reason))]
pub async fn decline<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: AccessRequestId,
    decided_by: UserId,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE access_requests SET status = 'declined', decided_by = $1, decided_at = $2, updated_at = $2, \
         decline_reason = $3 WHERE academy_id = $4 AND id = $5 AND status = 'pending'",
    )
    .bind(decided_by)
    .bind(now)
    .bind(reason)
    .bind(academy_id)
    .bind(id)
    .execute(ex)
    .await?
    .rows_affected()
        == 1)
}

/// The academy's Owner and Administrators who can receive email, oldest account first.
#[tracing::instrument(skip(ex))]
pub async fn admins<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
) -> Result<Vec<(UserId, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, email FROM users WHERE academy_id = $1 AND role IN ('owner', 'admin') \
         AND status = 'active' ORDER BY id",
    )
    .bind(academy_id)
    .fetch_all(ex)
    .await
}

// ---- the academy's settings ----

#[tracing::instrument(skip(ex))]
pub async fn notify_admins<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
) -> Result<bool, sqlx::Error> {
    let on: Option<i64> =
        sqlx::query_scalar("SELECT notify_access_requests FROM academies WHERE id = $1")
            .bind(academy_id)
            .fetch_optional(ex)
            .await?;
    Ok(on.unwrap_or(0) != 0)
}

#[tracing::instrument(skip(ex))]
pub async fn set_notify_admins<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    on: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE academies SET notify_access_requests = $1 WHERE id = $2")
        .bind(i64::from(on))
        .bind(academy_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Who may sign up at the academy link.
#[tracing::instrument(skip(ex))]
pub async fn set_visibility<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    visibility: Visibility,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE academies SET visibility = $1 WHERE id = $2")
        .bind(visibility.as_str())
        .bind(academy_id)
        .execute(ex)
        .await?;
    Ok(())
}
