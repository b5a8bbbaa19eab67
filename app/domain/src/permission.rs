//! The permission matrix: what each role may do, in one table. Every server function and API route
//! asks it (through `server::auth::require`), and the pages use it to decide what to show, so the
//! menu and the enforcement cannot disagree.

use serde::{Deserialize, Serialize};

use super::role::Role;

/// Something a server function or a page needs. Named for what the caller does, not for a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// The learner home, the published courses of one's teams, one's own profile and teams.
    Learn,
    /// The Statistics page and its CSV export (read-only).
    ViewStatistics,
    /// Inviting learners (form, CSV, team), managing teams, learners and access requests.
    ManageLearners,
    /// Creating, editing, publishing and assigning courses.
    ManageCourses,
    /// Academy settings: sign-up, visibility, notifications, "View as Learner".
    ManageSettings,
    /// API applications and webhooks.
    ManageIntegrations,
    /// Settings → Admins: seeing the Owner and Administrators, inviting Administrators.
    ManageStaff,
    /// Removing an Administrator: the Owner's alone, so administrators cannot remove each other.
    RemoveStaff,
    /// The audit log and its export.
    ViewAuditLog,
    /// The plan (billing).
    ManagePlan,
}

use Permission::*;
use Role::{Admin, Learner, LearnerAdmin, LearnerAnalyst, Owner};

/// The matrix itself: for each permission, the roles that hold it.
pub const MATRIX: [(Permission, &[Role]); 10] = [
    (
        Learn,
        &[Owner, Admin, LearnerAdmin, LearnerAnalyst, Learner],
    ),
    (
        ViewStatistics,
        &[Owner, Admin, LearnerAdmin, LearnerAnalyst],
    ),
    (ManageLearners, &[Owner, Admin, LearnerAdmin]),
    (ManageCourses, &[Owner, Admin, LearnerAdmin]),
    (ManageSettings, &[Owner, Admin]),
    (ManageIntegrations, &[Owner, Admin]),
    (ManageStaff, &[Owner, Admin]),
    (RemoveStaff, &[Owner]),
    (ViewAuditLog, &[Owner, Admin]),
    (ManagePlan, &[Owner]),
];

impl Permission {
    pub const ALL: [Permission; 10] = [
        Learn,
        ViewStatistics,
        ManageLearners,
        ManageCourses,
        ManageSettings,
        ManageIntegrations,
        ManageStaff,
        RemoveStaff,
        ViewAuditLog,
        ManagePlan,
    ];

    /// The roles that hold this permission.
    pub fn roles(self) -> &'static [Role] {
        MATRIX
            .iter()
            .find(|(p, _)| *p == self)
            .map(|(_, roles)| *roles)
            .unwrap_or(&[])
    }

    /// Its name in a link (`?denied=ManageSettings`): the page a person was sent away from.
    /// Written out rather than taken from `Debug`, which the browser's release build makes
    /// shallow (`-Zfmt-debug`), with a format the compiler does not promise.
    pub fn key(self) -> &'static str {
        match self {
            Learn => "Learn",
            ViewStatistics => "ViewStatistics",
            ManageLearners => "ManageLearners",
            ManageCourses => "ManageCourses",
            ManageSettings => "ManageSettings",
            ManageIntegrations => "ManageIntegrations",
            ManageStaff => "ManageStaff",
            RemoveStaff => "RemoveStaff",
            ViewAuditLog => "ViewAuditLog",
            ManagePlan => "ManagePlan",
        }
    }

    /// The permission a `key` names.
    pub fn from_key(key: &str) -> Option<Permission> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }

    /// What a refused caller is told: what they tried, in words.
    pub fn refusal(self) -> &'static str {
        match self {
            Learn => "Sign in to this academy to see its courses.",
            ViewStatistics => "Your role does not include viewing statistics.",
            ManageLearners => "Your role does not include inviting or managing learners and teams.",
            ManageCourses => "Your role does not include managing courses.",
            ManageSettings => {
                "Only the academy's Owner and Administrators can change its settings."
            }
            ManageIntegrations => {
                "Only the academy's Owner and Administrators can manage API applications and webhooks."
            }
            ManageStaff => "Only the academy's Owner and Administrators can manage administrators.",
            RemoveStaff => "Only the academy's Owner can remove administrators.",
            ViewAuditLog => "Only the academy's Owner and Administrators can see the audit log.",
            ManagePlan => "Only the academy's Owner can change the plan.",
        }
    }
}

impl Role {
    /// Whether this role holds `permission` (the one question every check asks).
    pub fn can(self, permission: Permission) -> bool {
        permission.roles().contains(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::{MATRIX, Permission, Role};

    #[test]
    fn every_permission_has_exactly_one_row_in_the_matrix() {
        for p in Permission::ALL {
            assert_eq!(MATRIX.iter().filter(|(q, _)| *q == p).count(), 1, "{p:?}");
        }
    }

    #[test]
    fn the_matrix_grants_each_role_what_the_product_describes() {
        use Permission::*;
        // Learner, Learner-Analyst, Learner-Admin, Administrator, Owner
        let expected: [(Permission, [bool; 5]); 10] = [
            (Learn, [true, true, true, true, true]),
            (ViewStatistics, [false, true, true, true, true]),
            (ManageLearners, [false, false, true, true, true]),
            (ManageCourses, [false, false, true, true, true]),
            (ManageSettings, [false, false, false, true, true]),
            (ManageIntegrations, [false, false, false, true, true]),
            (ManageStaff, [false, false, false, true, true]),
            (RemoveStaff, [false, false, false, false, true]),
            (ViewAuditLog, [false, false, false, true, true]),
            (ManagePlan, [false, false, false, false, true]),
        ];
        let roles = [
            Role::Learner,
            Role::LearnerAnalyst,
            Role::LearnerAdmin,
            Role::Admin,
            Role::Owner,
        ];
        for (p, row) in expected {
            for (role, allowed) in roles.iter().zip(row) {
                assert_eq!(role.can(p), allowed, "{role:?} × {p:?}");
            }
            assert!(p.refusal().ends_with('.'), "{p:?}");
        }
    }

    #[test]
    fn every_permission_s_key_is_its_name_and_reads_back() {
        for p in Permission::ALL {
            assert_eq!(p.key(), format!("{p:?}"));
            assert_eq!(Permission::from_key(p.key()), Some(p));
        }
        assert_eq!(Permission::from_key("manage_settings"), None);
    }

    #[test]
    fn staff_are_exactly_the_roles_that_manage_settings() {
        for role in Role::ALL {
            assert_eq!(
                role.is_staff(),
                role.can(Permission::ManageSettings),
                "{role:?}"
            );
        }
    }
}
