//! A list's bulk action on the wire: which rows, what to do, and what came of it. The words of the
//! confirmation live here too, so the question and the summary say the same thing.

use serde::{Deserialize, Serialize};

use super::ListQuery;
use crate::domain::TeamId;
use crate::{
    domain::{role::Role, statistics::thousands},
    format,
};

/// Most rows one selection of ticked rows names; larger selections are "every row that matches".
pub const MAX_TICKED: usize = 1_000;

/// How far a running bulk action has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkCount {
    pub done: usize,
    pub total: usize,
}

/// Which rows an action is for: learners (`Selection<UserId>`) or invitations
/// (`Selection<InviteId>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Selection<Id> {
    /// The rows ticked, by id.
    Rows(Vec<Id>),
    /// Every row that matches the list's search and filters, on every page (the query's page is
    /// ignored).
    Matching(ListQuery),
}

/// What All Learners (or a team's learners) can do to many learners at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LearnerBulk {
    RevokeAccess,
    GiveAccess,
    SetRole(Role),
    AddToTeam(TeamId),
    RemoveFromTeam(TeamId),
    Remove,
}

impl LearnerBulk {
    /// The question of the confirmation: "Revoke the access of 12 learners?". `team` names the
    /// team of a team action.
    pub fn question(self, n: u64, team: &str) -> String {
        let people = format::count(n as i64, "learner", "learners");
        match self {
            LearnerBulk::RevokeAccess => format!("Revoke the access of {people}?"),
            LearnerBulk::GiveAccess => format!("Give {people} their access back?"),
            LearnerBulk::SetRole(role) => format!("Make {people} {}?", role.label()),
            LearnerBulk::AddToTeam(_) => format!("Add {people} to {team}?"),
            LearnerBulk::RemoveFromTeam(_) => format!("Remove {people} from {team}?"),
            LearnerBulk::Remove => format!("Remove {people} from the academy?"),
        }
    }

    /// What will happen, said before it does.
    pub fn consequence(self) -> &'static str {
        match self {
            LearnerBulk::RevokeAccess => {
                "They are signed out at once and cannot sign in or use an invitation link until you give access back. Their teams and history stay."
            }
            LearnerBulk::GiveAccess => "They can sign in again with their password.",
            LearnerBulk::SetRole(_) => {
                "Their role changes at once. Staff and your own account are left as they are."
            }
            LearnerBulk::AddToTeam(_) => "Learners already in the team stay as they are.",
            LearnerBulk::RemoveFromTeam(_) => {
                "They leave this team only; their other teams and their access stay."
            }
            LearnerBulk::Remove => {
                "Their accounts are deleted and their names and emails are erased from invitations, uploads and the audit log. This cannot be undone."
            }
        }
    }

    /// The answer that acts.
    pub fn yes(self) -> &'static str {
        match self {
            LearnerBulk::RevokeAccess => "Yes, revoke access",
            LearnerBulk::GiveAccess => "Yes, give access back",
            LearnerBulk::SetRole(_) => "Yes, change the role",
            LearnerBulk::AddToTeam(_) => "Yes, add them",
            LearnerBulk::RemoveFromTeam(_) => "Yes, remove from the team",
            LearnerBulk::Remove => "Yes, remove them",
        }
    }

    /// What happened to the changed ones, for the summary: "Access revoked".
    pub fn done(self) -> &'static str {
        match self {
            LearnerBulk::RevokeAccess => "Access revoked",
            LearnerBulk::GiveAccess => "Access given back",
            LearnerBulk::SetRole(_) => "Role changed",
            LearnerBulk::AddToTeam(_) => "Added to the team",
            LearnerBulk::RemoveFromTeam(_) => "Removed from the team",
            LearnerBulk::Remove => "Removed from the academy",
        }
    }
}

/// What the Invites tab (or a team's invites) can do to many invitations at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteBulk {
    Resend,
    Revoke,
}

impl InviteBulk {
    pub fn question(self, n: u64) -> String {
        let invitations = format::count(n as i64, "invitation", "invitations");
        match self {
            InviteBulk::Resend => format!("Resend {invitations}?"),
            InviteBulk::Revoke => format!("Revoke {invitations}?"),
        }
    }

    pub fn consequence(self) -> &'static str {
        match self {
            InviteBulk::Resend => {
                "Each pending invitation gets a fresh link by email and a new expiry. Accepted and revoked ones are skipped."
            }
            InviteBulk::Revoke => {
                "Their links stop working at once. Accepted invitations are skipped."
            }
        }
    }

    pub fn yes(self) -> &'static str {
        match self {
            InviteBulk::Resend => "Yes, resend",
            InviteBulk::Revoke => "Yes, revoke",
        }
    }

    pub fn done(self) -> &'static str {
        match self {
            InviteBulk::Resend => "Sent again",
            InviteBulk::Revoke => "Revoked",
        }
    }
}

/// What came of a bulk action: how many were changed, how many were so already, and the others
/// grouped by the reason they were skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkSummary {
    pub done: u64,
    pub unchanged: u64,
    /// `(reason, how many)`, the most frequent first.
    pub skipped: Vec<(String, u64)>,
}

impl BulkSummary {
    /// "Access revoked: 12 learners. Already so: 2. Skipped: 1 — Staff are managed in Settings →
    /// Admins."
    pub fn sentence(&self, done: &str, one: &str, many: &str) -> String {
        let mut out = format!("{done}: {}.", format::count(self.done as i64, one, many));
        if self.unchanged > 0 {
            out.push_str(&format!(
                " Already so: {}.",
                thousands(self.unchanged as i64)
            ));
        }
        let skipped: u64 = self.skipped.iter().map(|(_, n)| n).sum();
        if skipped > 0 {
            let reasons: Vec<String> = self
                .skipped
                .iter()
                .map(|(why, n)| {
                    let why = why.trim_end_matches('.');
                    if self.skipped.len() == 1 {
                        why.to_string()
                    } else {
                        format!("{why} ({})", thousands(*n as i64))
                    }
                })
                .collect();
            out.push_str(&format!(
                " Skipped: {} — {}.",
                thousands(skipped as i64),
                reasons.join("; ")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_names_what_was_done_and_why_the_rest_was_skipped() {
        let summary = BulkSummary {
            done: 12_000,
            unchanged: 2,
            skipped: vec![("Staff are managed in Settings → Admins.".into(), 1)],
        };
        assert_eq!(
            summary.sentence("Access revoked", "learner", "learners"),
            "Access revoked: 12,000 learners. Already so: 2. Skipped: 1 — Staff are managed in Settings → Admins."
        );
        let two_reasons = BulkSummary {
            done: 1,
            unchanged: 0,
            skipped: vec![
                ("This invitation was revoked.".into(), 3),
                ("Someone has accepted it.".into(), 1),
            ],
        };
        assert_eq!(
            two_reasons.sentence("Sent again", "invitation", "invitations"),
            "Sent again: 1 invitation. Skipped: 4 — This invitation was revoked (3); Someone has accepted it (1)."
        );
    }

    #[test]
    fn the_question_names_the_count_and_the_change() {
        assert_eq!(
            LearnerBulk::SetRole(Role::LearnerAnalyst).question(10_000, ""),
            "Make 10,000 learners Learner-Analyst?"
        );
        assert_eq!(
            LearnerBulk::AddToTeam(TeamId::new(4)).question(1, "Sales"),
            "Add 1 learner to Sales?"
        );
        assert_eq!(InviteBulk::Revoke.question(2), "Revoke 2 invitations?");
    }
}
