//! Access requests on the wire: a request, a page of a tab, what approving did, the settings.

use serde::{Deserialize, Serialize};

use super::Page;
use crate::domain::AccessRequestId;
use crate::domain::access_request::{RequestStatus, Visibility};

/// One row of the Pending or Declined tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequestView {
    pub id: AccessRequestId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// Empty when they wrote none.
    pub message: String,
    pub status: RequestStatus,
    pub requested_at: i64,
    /// Later than `requested_at` when they asked again (the message is the newest one).
    pub updated_at: i64,
    /// Declined: when, by whom and why.
    pub decided_at: Option<i64>,
    pub decided_by: Option<String>,
    pub decline_reason: Option<String>,
}

/// A page of one tab, with both tabs' counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequestList {
    pub pending: i64,
    pub declined: i64,
    pub page: Page<AccessRequestView>,
}

/// What approving did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Approved {
    /// An invitation email went out: its link proves the address and makes the account.
    Invited { email: String },
    /// They had an account already (made meanwhile): added to the chosen teams they were not in.
    AlreadyMember { email: String, added_to_teams: u32 },
}

impl Approved {
    /// The notice the Access Requests tab shows.
    pub fn notice(&self) -> String {
        match self {
            Approved::Invited { email } => format!(
                "Approved: an invitation is on its way to {email}. They appear under Invites until they register."
            ),
            Approved::AlreadyMember {
                email,
                added_to_teams,
            } => format!(
                "Approved: {email} already has an account here{}.",
                match added_to_teams {
                    0 => String::new(),
                    1 => "; added to 1 team".to_string(),
                    n => format!("; added to {n} teams"),
                }
            ),
        }
    }
}

/// Settings → General: who may sign up, and whether administrators hear of requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessSettings {
    pub visibility: Visibility,
    /// "Email administrators when someone requests access".
    pub notify_admins: bool,
}
