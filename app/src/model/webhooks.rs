//! Settings → Webhooks on the wire: a webhook, a new one with its secret, and its delivery log.

use serde::{Deserialize, Serialize};

use crate::domain::{DeliveryId, WebhookId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookView {
    pub id: WebhookId,
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
    pub id: DeliveryId,
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
