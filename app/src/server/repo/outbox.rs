//! The email outbox: rows are written in the same transaction as what they announce, and claimed by
//! workers with a lease, so a crashed worker's mail is taken over once the lease runs out.

use sqlx::{Any, Executor, FromRow};

use crate::domain::{AcademyId, OutboxId};

#[derive(Debug, Clone, FromRow)]
pub struct OutboxRow {
    pub id: OutboxId,
    pub academy_id: AcademyId,
    pub kind: String,
    pub ref_id: i64,
    pub to_email: String,
    pub message_id: String,
    pub attempts: i64,
}

pub async fn enqueue<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    kind: &str,
    ref_id: i64,
    to_email: &str,
    message_id: &str,
    now: i64,
) -> Result<OutboxId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO email_outbox (academy_id, kind, ref_id, to_email, message_id, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $6) RETURNING id",
    )
    .bind(academy_id)
    .bind(kind)
    .bind(ref_id)
    .bind(to_email)
    .bind(message_id)
    .bind(now)
    .fetch_one(ex)
    .await
}

/// Whether a message about `ref_id` of `kind` was ever queued (sent or not).
pub async fn exists<'c>(
    ex: impl Executor<'c, Database = Any>,
    kind: &str,
    ref_id: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE kind = $1 AND ref_id = $2")
            .bind(kind)
            .bind(ref_id)
            .fetch_one(ex)
            .await?;
    Ok(n > 0)
}

/// Leases up to `limit` due messages to `owner` until `lease_until`, counting an attempt for each.
/// The outer condition is checked again per row, so two workers never hold the same row: on
/// PostgreSQL a row leased meanwhile fails the re-check; SQLite runs writes one at a time.
pub async fn claim<'c>(
    ex: impl Executor<'c, Database = Any>,
    owner: &str,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<OutboxRow>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE email_outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM email_outbox WHERE status IN ('queued', 'retrying') AND next_attempt_at <= $3 \
                      AND (lease_until IS NULL OR lease_until < $3) ORDER BY next_attempt_at, id LIMIT $4) \
           AND status IN ('queued', 'retrying') AND (lease_until IS NULL OR lease_until < $3) \
         RETURNING id, academy_id, kind, ref_id, to_email, message_id, attempts",
    )
    .bind(owner)
    .bind(lease_until)
    .bind(now)
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// Records the outcome of an attempt, if `owner` still holds the lease. Returns false otherwise
/// (the lease ran out and another worker took the message over).
pub async fn finish<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: OutboxId,
    owner: &str,
    status: &str,
    next_attempt_at: i64,
    last_error: Option<&str>,
    sent_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE email_outbox SET status = $1, next_attempt_at = $2, last_error = $3, sent_at = $4, \
         lease_owner = NULL, lease_until = NULL WHERE id = $5 AND lease_owner = $6",
    )
    .bind(status)
    .bind(next_attempt_at)
    .bind(last_error)
    .bind(sent_at)
    .bind(id)
    .bind(owner)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The earliest time a message becomes due (for the worker's sleep), if any is waiting.
pub async fn next_due<'c>(
    ex: impl Executor<'c, Database = Any>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > next_attempt_at THEN lease_until \
         ELSE next_attempt_at END) FROM email_outbox WHERE status IN ('queued', 'retrying')",
    )
    .fetch_one(ex)
    .await
}
