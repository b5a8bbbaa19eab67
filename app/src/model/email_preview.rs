//! What Settings → Invitations shows of the invitation email before anyone gets it.

use serde::{Deserialize, Serialize};

/// The invitation email as a sample learner would get it: its envelope and both bodies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailPreview {
    /// The From line: "Acme via Shoal <no-reply@…>".
    pub from: String,
    /// Where answers go (the inviter).
    pub reply_to: Option<String>,
    pub to: String,
    pub subject: String,
    pub text: String,
    /// The HTML body, shown in a sandboxed frame (no scripts, no same origin).
    pub html: String,
}
