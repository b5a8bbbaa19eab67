//! What inviting an address does, given what the academy already holds for it. Decided here once
//! for every way in: the invite form, "Invite to team", an administrator's invitation (Settings →
//! Admins), an approved access request, the CSV preview in the browser and the import on the
//! server, and the API's `inviteLearners`. The callers only look up what is on file and carry out
//! the decision.

use super::role::Role;

/// What the academy holds for one address: the role of its account and of its pending
/// invitation, each with whatever the caller needs to act on it (the rows on the server, nothing
/// in the browser's preview).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnFile<A = (), I = ()> {
    pub account: Option<(Role, A)>,
    pub pending: Option<(Role, I)>,
}

impl<A, I> Default for OnFile<A, I> {
    fn default() -> Self {
        OnFile {
            account: None,
            pending: None,
        }
    }
}

/// What happens to the address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision<A = (), I = ()> {
    /// Nothing on file: a new invitation.
    Invite,
    /// A pending invitation of the same kind (learner or administrator): renewed with the new
    /// names, role and link.
    Renew(I),
    /// A learner's account: joins the chosen teams; nothing is sent.
    JoinTeams(A),
    /// Left alone, for the reason given.
    Refuse(Refusal),
}

/// Why an address is left alone. Each path shows the same words (`message`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// An administrator's invitation for an address that has an account (with this role).
    HasAccount(Role),
    /// A learner's invitation for an owner's or administrator's address: staff are not learners.
    StaffAccount(Role),
    /// A learner's invitation for an address with a pending administrator's invitation: that one
    /// is managed where it was made, and never turned into a learner's.
    AdministratorInvitationPending,
    /// An administrator's invitation for an address with a pending learner's invitation.
    LearnerInvitationPending,
}

impl Refusal {
    /// The sentence shown for `email` (in the form, the preview, the import's results and the API).
    pub fn message(self, email: &str) -> String {
        match self {
            Refusal::HasAccount(role) => format!(
                "{email} already has an account in this academy as {}. Invite a new address as an administrator.",
                role.label()
            ),
            Refusal::StaffAccount(role) => format!(
                "{email} is this academy's {}: staff are not invited as learners (Settings → Admins).",
                role.label()
            ),
            Refusal::AdministratorInvitationPending => {
                format!("{email} has a pending administrator invitation (Settings → Admins).")
            }
            Refusal::LearnerInvitationPending => format!(
                "{email} has a pending learner invitation. Revoke it in Learners → Invites first, then invite them as an administrator."
            ),
        }
    }
}

/// What inviting an address as `requested` does, given what is `on_file` for it. An account
/// outweighs an invitation (accepting one makes the other moot).
pub fn decide<A, I>(requested: Role, on_file: OnFile<A, I>) -> Decision<A, I> {
    let as_staff = requested.is_staff();
    match (on_file.account, on_file.pending) {
        (Some((role, _)), _) if as_staff => Decision::Refuse(Refusal::HasAccount(role)),
        (Some((role, _)), _) if role.is_staff() => Decision::Refuse(Refusal::StaffAccount(role)),
        (Some((_, account)), _) => Decision::JoinTeams(account),
        (None, Some((role, invite))) if role.is_staff() == as_staff => Decision::Renew(invite),
        (None, Some(_)) if as_staff => Decision::Refuse(Refusal::LearnerInvitationPending),
        (None, Some(_)) => Decision::Refuse(Refusal::AdministratorInvitationPending),
        (None, None) => Decision::Invite,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    fn on_file(account: Option<Role>, pending: Option<Role>) -> OnFile {
        OnFile {
            account: account.map(|r| (r, ())),
            pending: pending.map(|r| (r, ())),
        }
    }

    #[test]
    fn an_address_with_nothing_on_file_gets_a_new_invitation_whatever_the_role() {
        for role in [Learner, LearnerAnalyst, LearnerAdmin, Admin] {
            assert_eq!(
                decide(role, on_file(None, None)),
                Decision::Invite,
                "{role:?}"
            );
        }
    }

    #[test]
    fn a_learners_account_joins_the_teams_when_invited_as_any_learner_role() {
        for account in [Learner, LearnerAnalyst, LearnerAdmin] {
            for requested in [Learner, LearnerAnalyst, LearnerAdmin] {
                assert_eq!(
                    decide(requested, on_file(Some(account), None)),
                    Decision::JoinTeams(())
                );
                assert_eq!(
                    decide(requested, on_file(Some(account), Some(Learner))),
                    Decision::JoinTeams(()),
                    "an account outweighs a leftover invitation"
                );
            }
        }
    }

    #[test]
    fn a_staff_address_is_refused_as_a_learner_and_named_as_staff() {
        for staff in [Owner, Admin] {
            assert_eq!(
                decide(Learner, on_file(Some(staff), None)),
                Decision::Refuse(Refusal::StaffAccount(staff))
            );
        }
        assert_eq!(
            Refusal::StaffAccount(Admin).message("ada@x.io"),
            "ada@x.io is this academy's Administrator: staff are not invited as learners (Settings → Admins)."
        );
    }

    #[test]
    fn an_administrator_invitation_for_an_address_with_any_account_is_refused_with_its_role() {
        for account in [Learner, LearnerAdmin, Admin, Owner] {
            assert_eq!(
                decide(Admin, on_file(Some(account), None)),
                Decision::Refuse(Refusal::HasAccount(account))
            );
        }
        assert_eq!(
            Refusal::HasAccount(LearnerAdmin).message("lina@x.io"),
            "lina@x.io already has an account in this academy as Learner-Admin. Invite a new address as an administrator."
        );
    }

    #[test]
    fn a_pending_invitation_of_the_same_kind_is_renewed() {
        assert_eq!(
            decide(Learner, on_file(None, Some(LearnerAdmin))),
            Decision::Renew(())
        );
        assert_eq!(
            decide(LearnerAdmin, on_file(None, Some(Learner))),
            Decision::Renew(())
        );
        assert_eq!(
            decide(Admin, on_file(None, Some(Admin))),
            Decision::Renew(())
        );
    }

    #[test]
    fn a_pending_invitation_of_the_other_kind_is_never_turned_into_this_one() {
        assert_eq!(
            decide(Learner, on_file(None, Some(Admin))),
            Decision::Refuse(Refusal::AdministratorInvitationPending)
        );
        assert_eq!(
            decide(Admin, on_file(None, Some(Learner))),
            Decision::Refuse(Refusal::LearnerInvitationPending)
        );
        assert_eq!(
            Refusal::AdministratorInvitationPending.message("grace@x.io"),
            "grace@x.io has a pending administrator invitation (Settings → Admins)."
        );
        assert_eq!(
            Refusal::LearnerInvitationPending.message("max@x.io"),
            "max@x.io has a pending learner invitation. Revoke it in Learners → Invites first, then invite them as an administrator."
        );
    }
}
