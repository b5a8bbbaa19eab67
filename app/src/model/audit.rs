//! The Audit log page on the wire: its rows in words, the "Who" filter's people, the CSV export.

use serde::{Deserialize, Serialize};

use crate::domain::role::Role;
use crate::domain::{AuditEntryId, UserId};

/// Who wrote a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditActor {
    Person {
        name: String,
        email: String,
    },
    /// Someone whose account has been removed since.
    Removed,
    /// An API application's call.
    Api {
        application: String,
    },
    /// Shoal itself, or someone not signed in.
    System,
}

impl AuditActor {
    /// The name the page and the export show.
    pub fn name(&self) -> String {
        match self {
            AuditActor::Person { name, .. } => name.clone(),
            AuditActor::Removed => "A removed user".into(),
            AuditActor::Api { application } => application.clone(),
            AuditActor::System => "System".into(),
        }
    }
}

/// One row of the log, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: AuditEntryId,
    pub at: i64,
    pub actor: AuditActor,
    /// The stored action name, e.g. `invite.created`.
    pub action: String,
    /// The sentence, e.g. "invited a learner".
    pub what: String,
    pub target: String,
    pub detail: String,
}

/// A person of the "Who" filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPerson {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// The "Who" filter's people: those who run the academy (Owner, Administrators, Learner-Admins),
/// then the others, each by name. `more` when the most recently active were kept and others left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPeople {
    pub managers: Vec<AuditPerson>,
    pub others: Vec<AuditPerson>,
    pub more: bool,
}

/// The filtered log as a CSV file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditExport {
    pub csv: String,
    pub rows: usize,
    /// More rows matched than an export holds; the newest were kept.
    pub capped: bool,
}
