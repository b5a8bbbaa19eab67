//! Whether a person's account can be used. "Revoke access" deactivates it: the account, its teams
//! and its history stay, and every way in (signing in, a session already open, a password reset,
//! an invitation link for the address) is closed until access is given back.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Whether the account can be used: `deactivated` when an admin revoked its access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    Deactivated,
}

super::stored::stored!(
    AccountStatus,
    "account status",
    [AccountStatus::Active, AccountStatus::Deactivated]
);

impl AccountStatus {
    /// The value stored in `users.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Deactivated => "deactivated",
        }
    }

    /// As lists show it.
    pub fn label(self) -> &'static str {
        match self {
            AccountStatus::Active => "Active",
            AccountStatus::Deactivated => "Access revoked",
        }
    }
}

impl fmt::Display for AccountStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Which learners a list shows: the All Learners tab's "Show" filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    /// Those who can use their account (the list's default).
    #[default]
    Active,
    Deactivated,
    All,
}

impl StatusFilter {
    /// The filter's value in a list query: `""` (active), `deactivated` or `all`.
    pub fn parse(text: &str) -> Result<StatusFilter, String> {
        match text.trim() {
            "" | "active" => Ok(StatusFilter::Active),
            "deactivated" => Ok(StatusFilter::Deactivated),
            "all" => Ok(StatusFilter::All),
            other => Err(format!(
                "The learners list has no filter {other:?}: use active, deactivated or all."
            )),
        }
    }

    /// The statuses the list shows.
    pub fn statuses(self) -> &'static [AccountStatus] {
        match self {
            StatusFilter::Active => &[AccountStatus::Active],
            StatusFilter::Deactivated => &[AccountStatus::Deactivated],
            StatusFilter::All => &[AccountStatus::Active, AccountStatus::Deactivated],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_statuses_read_back_and_an_unknown_one_is_an_error() {
        use crate::stored::Stored;
        for s in [AccountStatus::Active, AccountStatus::Deactivated] {
            assert_eq!(AccountStatus::read(s.as_str()), Ok(s));
        }
        assert!(AccountStatus::read("suspended").is_err());
    }

    #[test]
    fn the_learners_filter_shows_active_learners_unless_told_otherwise() {
        assert_eq!(StatusFilter::parse(""), Ok(StatusFilter::Active));
        assert_eq!(StatusFilter::Active.statuses(), [AccountStatus::Active]);
        assert_eq!(
            StatusFilter::parse("all").unwrap().statuses(),
            [AccountStatus::Active, AccountStatus::Deactivated]
        );
        assert_eq!(
            StatusFilter::parse(" deactivated ").unwrap().statuses(),
            [AccountStatus::Deactivated]
        );
        assert!(
            StatusFilter::parse("gone")
                .unwrap_err()
                .contains("\"gone\"")
        );
    }
}
