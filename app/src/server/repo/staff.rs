//! The academy's staff (Owner and Administrators) and the pending invitations to become one.

use crate::domain::invite::EmailStatus;
use crate::domain::{AcademyId, InviteId, UserId};
use sqlx::{Any, Executor, FromRow};

use super::users::UserRow;

pub const STAFF_ROLES_SQL: &str = "('owner', 'admin')";

/// The Owner first, then the Administrators by name.
#[tracing::instrument(skip(ex))]
pub async fn members<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, academy_id, email, first_name, last_name, role, status, created_at, last_sign_in_at \
         FROM users WHERE academy_id = $1 AND role IN {STAFF_ROLES_SQL} \
         ORDER BY CASE WHEN role = 'owner' THEN 0 ELSE 1 END, lower(first_name), lower(last_name), id"
    )))
    .bind(academy_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct StaffInviteRow {
    pub id: InviteId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub email_status: EmailStatus,
    pub email_error: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub inviter_first: Option<String>,
    pub inviter_last: Option<String>,
}

/// Pending invitations to a staff role, newest first.
#[tracing::instrument(skip(ex))]
pub async fn pending_invites<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
) -> Result<Vec<StaffInviteRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT i.id, i.email, i.first_name, i.last_name, i.email_status, i.email_error, i.created_at, \
         i.expires_at, u.first_name AS inviter_first, u.last_name AS inviter_last \
         FROM invites i LEFT JOIN users u ON u.id = i.invited_by AND u.academy_id = i.academy_id \
         WHERE i.academy_id = $1 AND i.status = 'pending' AND i.role IN {STAFF_ROLES_SQL} \
         ORDER BY i.id DESC"
    )))
    .bind(academy_id)
    .fetch_all(ex)
    .await
}

/// An API application still working, or a webhook, and who made it.
#[derive(Debug, Clone, FromRow)]
pub struct IntegrationRow {
    pub created_by: UserId,
    /// `api_client` or `webhook`.
    pub kind: String,
    /// The `api_clients` or `webhooks` row, as `kind` says.
    pub id: i64,
    /// The application's name or the webhook's URL.
    pub label: String,
}

/// The academy's unrevoked API applications and its webhooks whose maker is known (rows from
/// before that was recorded, or whose maker left without revoking them, have none).
#[tracing::instrument(skip(ex))]
pub async fn integrations<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
) -> Result<Vec<IntegrationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT created_by, 'api_client' AS kind, id, name AS label FROM api_clients \
         WHERE academy_id = $1 AND created_by IS NOT NULL AND revoked_at IS NULL \
         UNION ALL \
         SELECT created_by, 'webhook' AS kind, id, url AS label FROM webhooks \
         WHERE academy_id = $1 AND created_by IS NOT NULL \
         ORDER BY kind, id",
    )
    .bind(academy_id)
    .fetch_all(ex)
    .await
}
