//! Settings → Webhooks. Only the Owner and Administrators manage webhooks; the academy is always the
//! caller's own (from the session), and a webhook of another academy is "not found".

use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::domain::Permission;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookView {
    pub id: i64,
    pub url: String,
    /// Event names, in the order of `domain::webhook::EVENTS`.
    pub events: Vec<String>,
    pub created_at: i64,
}

/// A new webhook and its signing secret, shown at once so the admin can set up the receiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookCreated {
    pub webhook: WebhookView,
    pub secret: String,
}

/// One line of a webhook's delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    /// Also the `Shoal-Delivery` header and the payload's `id`.
    pub id: i64,
    pub event: String,
    /// queued | retrying | delivered | failed
    pub status: String,
    pub attempts: i64,
    /// The receiver's HTTP status on the last attempt; none when it did not answer.
    pub response_status: Option<i64>,
    pub error: Option<String>,
    pub created_at: i64,
    pub last_attempt_at: Option<i64>,
    pub delivered_at: Option<i64>,
}

impl DeliveryView {
    /// Still on its way: the log reloads by itself while one is.
    pub fn pending(&self) -> bool {
        matches!(self.status.as_str(), "queued" | "retrying")
    }
}

/// Deliveries a webhook's log shows, newest first.
pub const LOG_SIZE: i64 = 50;

#[server(prefix = "/api", endpoint = "list_webhooks")]
pub async fn list_webhooks() -> Result<Vec<WebhookView>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::webhooks::list(&state, &actor).await
}

#[server(prefix = "/api", endpoint = "create_webhook", input = Json)]
pub async fn create_webhook(url: String, events: Vec<String>) -> Result<WebhookCreated, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::webhooks::create(&state, &actor, &url, &events).await
}

/// The signing secret, for the admin to copy into the receiver.
#[server(prefix = "/api", endpoint = "webhook_secret")]
pub async fn webhook_secret(webhook_id: i64) -> Result<String, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::webhooks::secret(&state, &actor, webhook_id).await
}

#[server(prefix = "/api", endpoint = "delete_webhook")]
pub async fn delete_webhook(webhook_id: i64) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::webhooks::delete(&state, &actor, webhook_id).await
}

/// Queues a `test` event for this webhook (the same signing and retries as real events); returns the
/// delivery's id.
#[server(prefix = "/api", endpoint = "send_test_webhook")]
pub async fn send_test_webhook(webhook_id: i64) -> Result<i64, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::webhooks::send_test(&state, &actor, webhook_id).await
}

#[server(prefix = "/api", endpoint = "list_webhook_deliveries")]
pub async fn list_webhook_deliveries(webhook_id: i64) -> Result<Vec<DeliveryView>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::webhooks::deliveries(&state, &actor, webhook_id).await
}
