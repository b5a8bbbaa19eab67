//! A learner's page on the wire: the learner, their invitations and their activity.

use serde::{Deserialize, Serialize};

use super::{InviteView, LearnerView, audit::AuditEntry};

/// Everything the learner's page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerInfo {
    pub learner: LearnerView,
    /// Every invitation sent to the learner's address, newest first.
    pub invitations: Vec<InviteView>,
    /// The newest audit entries about the learner or by them; `None` when the viewer's role does
    /// not see the audit log.
    pub activity: Option<Vec<AuditEntry>>,
}
