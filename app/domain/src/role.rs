//! Who may do what in an academy (`Role`) and which roles the academy's plan offers (`Plan`).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::quoted;

/// A person's role in the academy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    Learner,
    LearnerAnalyst,
    LearnerAdmin,
}

/// The roles an invite or a CSV import may give: the learner family, in the order the UI lists them.
pub const LEARNER_ROLES: [Role; 3] = [Role::Learner, Role::LearnerAnalyst, Role::LearnerAdmin];

super::stored::stored!(Role, "role", Role::ALL);

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Admin,
        Role::Learner,
        Role::LearnerAnalyst,
        Role::LearnerAdmin,
    ];

    /// The stored and wire form, identical to the serde form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Learner => "learner",
            Role::LearnerAnalyst => "learner_analyst",
            Role::LearnerAdmin => "learner_admin",
        }
    }

    /// Accepts the stored form and, for CSV files and the API, what people write: any case,
    /// surrounding spaces, '-' or ' ' for '_', and the labels ("Administrator", "Learner-Analyst").
    pub fn parse(input: &str) -> Result<Role, String> {
        let key: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '-' | ' ' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        match key.as_str() {
            "owner" => Ok(Role::Owner),
            "admin" | "administrator" => Ok(Role::Admin),
            "learner" => Ok(Role::Learner),
            "learner_analyst" => Ok(Role::LearnerAnalyst),
            "learner_admin" => Ok(Role::LearnerAdmin),
            "" => Err("Choose a role".to_owned()),
            _ => Err(format!(
                "{} is not a role; use one of: Learner, Learner-Analyst, Learner-Admin, \
                 Administrator, Owner",
                quoted(input.trim())
            )),
        }
    }

    /// The name shown in the UI.
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Administrator",
            Role::Learner => "Learner",
            Role::LearnerAnalyst => "Learner-Analyst",
            Role::LearnerAdmin => "Learner-Admin",
        }
    }

    /// One line for the role picker.
    pub fn description(self) -> &'static str {
        match self {
            Role::Owner => "Everything, including the plan.",
            Role::Admin => "Everything but the plan and billing.",
            Role::Learner => "Takes the courses published for everyone or for their teams.",
            Role::LearnerAnalyst => "Everything a learner has, plus viewing statistics.",
            Role::LearnerAdmin => {
                "Everything a learner has, plus inviting learners, teams, courses and statistics."
            }
        }
    }

    /// Owner or administrator: runs the academy rather than learning in it.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }

    pub fn is_learner(self) -> bool {
        !self.is_staff()
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::parse(s)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    #[default]
    Starter,
    Business,
}

super::stored::stored!(Plan, "plan", Plan::ALL);

impl Plan {
    pub const ALL: [Plan; 2] = [Plan::Starter, Plan::Business];

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Starter => "starter",
            Plan::Business => "business",
        }
    }

    /// Accepts the stored form in any case, with surrounding spaces.
    pub fn parse(input: &str) -> Result<Plan, String> {
        match input.trim().to_ascii_lowercase().as_str() {
            "starter" => Ok(Plan::Starter),
            "business" => Ok(Plan::Business),
            _ => Err(format!(
                "{} is not a plan; use Starter or Business",
                quoted(input.trim())
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Plan::Starter => "Starter",
            Plan::Business => "Business",
        }
    }

    pub fn allows(self, role: Role) -> bool {
        self.unavailable_reason(role).is_none()
    }

    /// Why the plan does not offer `role`, for a disabled option's hint; `None` when it does.
    pub fn unavailable_reason(self, role: Role) -> Option<&'static str> {
        match (self, role) {
            (Plan::Starter, Role::LearnerAdmin) => {
                Some("Learner-Admin is available on the Business plan.")
            }
            _ => None,
        }
    }
}

impl FromStr for Plan {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Plan::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::{LEARNER_ROLES, Plan, Role};

    #[test]
    fn round_trips_every_role_through_its_stored_form_and_serde() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            assert_eq!(
                Role::parse(role.label()),
                Ok(role),
                "label {}",
                role.label()
            );
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), role);
        }
    }

    #[test]
    fn parses_roles_as_people_write_them_in_csv_files() {
        let cases: &[(&str, Result<Role, &str>)] = &[
            ("learner", Ok(Role::Learner)),
            (" Learner ", Ok(Role::Learner)),
            ("LEARNER-ANALYST", Ok(Role::LearnerAnalyst)),
            ("learner analyst", Ok(Role::LearnerAnalyst)),
            ("Learner-Admin", Ok(Role::LearnerAdmin)),
            ("Administrator", Ok(Role::Admin)),
            ("admin", Ok(Role::Admin)),
            ("owner", Ok(Role::Owner)),
            ("", Err("Choose a role")),
            ("  ", Err("Choose a role")),
            (
                "teacher",
                Err(
                    "\"teacher\" is not a role; use one of: Learner, Learner-Analyst, Learner-Admin, Administrator, Owner",
                ),
            ),
            (
                "learner__admin",
                Err(
                    "\"learner__admin\" is not a role; use one of: Learner, Learner-Analyst, Learner-Admin, Administrator, Owner",
                ),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Role::parse(input),
                expected.map_err(str::to_owned),
                "input: {input:?}"
            );
        }
    }

    #[test]
    fn labels_each_role_and_tells_staff_from_learners() {
        // (role, label, is_staff); what each may do is the permission matrix's test
        let cases = [
            (Role::Owner, "Owner", true),
            (Role::Admin, "Administrator", true),
            (Role::Learner, "Learner", false),
            (Role::LearnerAnalyst, "Learner-Analyst", false),
            (Role::LearnerAdmin, "Learner-Admin", false),
        ];
        for (role, label, staff) in cases {
            assert_eq!(role.label(), label);
            assert_eq!(role.is_staff(), staff, "{role:?}");
            assert_eq!(role.is_learner(), !staff, "{role:?}");
            assert!(role.description().ends_with('.'), "{role:?}");
        }
        assert_eq!(
            LEARNER_ROLES,
            [Role::Learner, Role::LearnerAnalyst, Role::LearnerAdmin]
        );
        assert!(LEARNER_ROLES.iter().all(|r| r.is_learner()));
    }

    #[test]
    fn offers_learner_admin_only_on_the_business_plan() {
        for role in Role::ALL {
            assert!(Plan::Business.allows(role), "{role:?}");
            assert_eq!(Plan::Business.unavailable_reason(role), None);
            let starter_allows = role != Role::LearnerAdmin;
            assert_eq!(Plan::Starter.allows(role), starter_allows, "{role:?}");
        }
        assert_eq!(
            Plan::Starter.unavailable_reason(Role::LearnerAdmin),
            Some("Learner-Admin is available on the Business plan.")
        );
    }

    #[test]
    fn parses_plans_and_rejects_unknown_ones() {
        let cases: &[(&str, Result<Plan, &str>)] = &[
            ("starter", Ok(Plan::Starter)),
            (" Business ", Ok(Plan::Business)),
            (
                "enterprise",
                Err("\"enterprise\" is not a plan; use Starter or Business"),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Plan::parse(input),
                expected.map_err(str::to_owned),
                "input: {input:?}"
            );
        }
        for plan in Plan::ALL {
            assert_eq!(plan.as_str().parse::<Plan>(), Ok(plan));
            assert_eq!(Plan::parse(plan.label()), Ok(plan));
            assert_eq!(
                serde_json::to_string(&plan).unwrap(),
                format!("\"{}\"", plan.as_str())
            );
        }
    }
}
