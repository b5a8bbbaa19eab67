//! Webhooks and their delivery log.

use sqlx::{Any, Executor, FromRow};

use crate::domain::{AcademyId, DeliveryId, UserId, WebhookId};

#[derive(Debug, Clone, FromRow)]
pub struct WebhookRow {
    pub id: WebhookId,
    pub academy_id: AcademyId,
    pub url: String,
    /// Comma-separated event names.
    pub events: String,
    pub secret_salt: String,
    pub created_at: i64,
}

impl WebhookRow {
    pub fn event_names(&self) -> impl Iterator<Item = &str> {
        self.events.split(',').filter(|e| !e.is_empty())
    }

    pub fn wants(&self, event: &str) -> bool {
        self.event_names().any(|e| e == event)
    }
}

const COLUMNS: &str = "id, academy_id, url, events, secret_salt, created_at";

#[tracing::instrument(skip(ex))]
pub async fn list<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
) -> Result<Vec<WebhookRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM webhooks WHERE academy_id = $1 ORDER BY id"
    )))
    .bind(academy_id)
    .fetch_all(ex)
    .await
}

#[tracing::instrument(skip(ex))]
pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: WebhookId,
) -> Result<Option<WebhookRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM webhooks WHERE academy_id = $1 AND id = $2"
    )))
    .bind(academy_id)
    .bind(id)
    .fetch_optional(ex)
    .await
}

#[tracing::instrument(skip(ex))]
pub async fn count<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM webhooks WHERE academy_id = $1")
        .bind(academy_id)
        .fetch_one(ex)
        .await
}

pub struct NewWebhook<'a> {
    pub academy_id: AcademyId,
    pub url: &'a str,
    pub events: &'a str,
    pub secret_salt: &'a str,
    pub created_by: UserId,
}

#[tracing::instrument(skip(ex, w), fields(academy_id = w.academy_id.get()))]
pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    w: &NewWebhook<'_>,
    now: i64,
) -> Result<WebhookId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO webhooks (academy_id, url, events, secret_salt, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(w.academy_id)
    .bind(w.url)
    .bind(w.events)
    .bind(w.secret_salt)
    .bind(w.created_by)
    .bind(now)
    .fetch_one(ex)
    .await
}

/// Deletes a webhook and (by cascade) its delivery log. False when it was not there.
#[tracing::instrument(skip(ex))]
pub async fn delete<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: WebhookId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM webhooks WHERE academy_id = $1 AND id = $2")
        .bind(academy_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

// ---- deliveries ----

#[derive(Debug, Clone, FromRow)]
pub struct DeliveryRow {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    pub event: String,
    pub status: String,
    pub attempts: i64,
    pub response_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub last_attempt_at: Option<i64>,
    pub delivered_at: Option<i64>,
}

/// A new delivery, `queued`, with an empty payload: the payload names the delivery's id, so it is
/// written by `set_payload` once the id is known.
#[tracing::instrument(skip(ex))]
pub async fn insert_delivery<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    webhook_id: WebhookId,
    event: &str,
    now: i64,
) -> Result<DeliveryId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO webhook_deliveries (academy_id, webhook_id, event, payload, status, attempts, created_at) \
         VALUES ($1, $2, $3, '', 'queued', 0, $4) RETURNING id",
    )
    .bind(academy_id)
    .bind(webhook_id)
    .bind(event)
    .bind(now)
    .fetch_one(ex)
    .await
}

#[tracing::instrument(skip(ex, payload))]
pub async fn set_payload<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: DeliveryId,
    payload: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE webhook_deliveries SET payload = $1 WHERE id = $2")
        .bind(payload)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// The newest deliveries of one webhook, newest first.
#[tracing::instrument(skip(ex))]
pub async fn recent_deliveries<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    webhook_id: WebhookId,
    limit: i64,
) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, webhook_id, event, status, attempts, response_status, last_error, created_at, \
         last_attempt_at, delivered_at FROM webhook_deliveries \
         WHERE academy_id = $1 AND webhook_id = $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(academy_id)
    .bind(webhook_id)
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// What the outbox worker needs to send one delivery.
#[derive(Debug, Clone, FromRow)]
pub struct SendRow {
    pub id: DeliveryId,
    pub event: String,
    pub payload: String,
    pub url: String,
    pub secret_salt: String,
}

#[tracing::instrument(skip(ex))]
pub async fn for_sending<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    delivery_id: DeliveryId,
) -> Result<Option<SendRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, d.event, d.payload, w.url, w.secret_salt FROM webhook_deliveries d \
         JOIN webhooks w ON w.id = d.webhook_id \
         WHERE d.academy_id = $1 AND d.id = $2",
    )
    .bind(academy_id)
    .bind(delivery_id)
    .fetch_optional(ex)
    .await
}

/// The outcome of one attempt, as the delivery log shows it.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(skip(ex, last_error))]
pub async fn record_attempt<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: DeliveryId,
    status: &str,
    attempts: i64,
    response_status: Option<i64>,
    last_error: Option<&str>,
    attempted_at: i64,
    delivered_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE webhook_deliveries SET status = $1, attempts = $2, response_status = $3, last_error = $4, \
         last_attempt_at = $5, delivered_at = $6 WHERE id = $7",
    )
    .bind(status)
    .bind(attempts)
    .bind(response_status)
    .bind(last_error)
    .bind(attempted_at)
    .bind(delivered_at)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}
