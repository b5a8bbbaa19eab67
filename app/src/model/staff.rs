//! Settings → Admins on the wire: the Owner and Administrators, what they made, their invitations.

use serde::{Deserialize, Serialize};

use crate::domain::{InviteId, UserId};
use crate::domain::{
    invite::{EmailStatus, Progress},
    role::Role,
};

/// The Owner or an Administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    /// When they joined the academy.
    pub since: i64,
    pub last_sign_in_at: Option<i64>,
    /// The API applications (still working) and webhooks they made: removing them offers to
    /// revoke these too.
    pub integrations: Vec<Integration>,
}

/// An API application or a webhook someone made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Integration {
    pub kind: IntegrationKind,
    /// The application's name or the webhook's URL.
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IntegrationKind {
    ApiApplication,
    Webhook,
}

impl IntegrationKind {
    pub fn label(self) -> &'static str {
        match self {
            IntegrationKind::ApiApplication => "API application",
            IntegrationKind::Webhook => "Webhook",
        }
    }
}

/// A pending invitation to become an Administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInvite {
    pub id: InviteId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub invited_by: String,
    pub invited_at: i64,
    pub expires_at: i64,
    pub email_status: EmailStatus,
    pub email_error: Option<String>,
    /// Invited (waiting) or Expired.
    pub progress: Progress,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOverview {
    pub members: Vec<StaffMember>,
    pub invites: Vec<StaffInvite>,
}
