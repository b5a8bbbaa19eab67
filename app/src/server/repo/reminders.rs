//! Invitation reminders: which pending invitations are due one.

use sqlx::{Any, Executor, FromRow};

use crate::domain::invite::{DAY_MS, NEVER_EXPIRES};
use crate::domain::{AcademyId, InviteId, InviteTokenId};

#[derive(Debug, Clone, FromRow)]
pub struct DueReminder {
    pub invite_id: InviteId,
    pub academy_id: AcademyId,
    pub email: String,
    /// The invitation's newest link that still works, if any.
    pub token_id: Option<InviteTokenId>,
}

/// Pending, emailed invitations whose reminder is due at `now` and not yet queued: their academy
/// sends reminders, their link has not expired, and it was made before its reminder time (a link
/// whose whole life is shorter than the reminder window gets none). At most `limit`, oldest first.
pub async fn due<'c>(
    ex: impl Executor<'c, Database = Any>,
    now: i64,
    limit: i64,
) -> Result<Vec<DueReminder>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT i.id AS invite_id, i.academy_id, i.email, \
         (SELECT MAX(t.id) FROM invite_tokens t WHERE t.invite_id = i.id AND t.expires_at > $1) AS token_id \
         FROM invites i JOIN academies a ON a.id = i.academy_id \
         WHERE i.status = 'pending' AND i.send_email = 1 AND i.reminded_at IS NULL \
         AND a.invite_reminder_days > 0 AND i.expires_at > $1 AND i.expires_at < {NEVER_EXPIRES} \
         AND i.expires_at - a.invite_reminder_days * {DAY_MS} <= $1 \
         AND i.updated_at < i.expires_at - a.invite_reminder_days * {DAY_MS} \
         ORDER BY i.id LIMIT $2"
    )))
    .bind(now)
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// Marks the reminder of `invite_id` as queued at `now`; false when another worker did first.
pub async fn mark<'c>(
    ex: impl Executor<'c, Database = Any>,
    invite_id: InviteId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE invites SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL")
            .bind(now)
            .bind(invite_id)
            .execute(ex)
            .await?
            .rows_affected()
            == 1,
    )
}
