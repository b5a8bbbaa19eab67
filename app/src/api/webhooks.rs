//! Settings → Webhooks. Only the Owner and Administrators manage webhooks; the academy is always the
//! caller's own (from the session), and a webhook of another academy is "not found".

use leptos::{prelude::*, server_fn::codec::Json};

#[cfg(feature = "ssr")]
use crate::domain::Permission;
use crate::domain::{DeliveryId, WebhookId};
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{
    error::AppError,
    model::webhooks::{DeliveryView, WebhookCreated, WebhookView},
};

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
pub async fn webhook_secret(webhook_id: WebhookId) -> Result<String, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::webhooks::secret(&state, &actor, webhook_id).await
}

#[server(prefix = "/api", endpoint = "delete_webhook")]
pub async fn delete_webhook(webhook_id: WebhookId) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::webhooks::delete(&state, &actor, webhook_id).await
}

/// Queues a `test` event for this webhook (the same signing and retries as real events); returns the
/// delivery's id.
#[server(prefix = "/api", endpoint = "send_test_webhook")]
pub async fn send_test_webhook(webhook_id: WebhookId) -> Result<DeliveryId, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::webhooks::send_test(&state, &actor, webhook_id).await
}

#[server(prefix = "/api", endpoint = "list_webhook_deliveries")]
pub async fn list_webhook_deliveries(webhook_id: WebhookId) -> Result<Vec<DeliveryView>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::webhooks::deliveries(&state, &actor, webhook_id).await
}
