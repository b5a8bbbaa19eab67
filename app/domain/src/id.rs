//! The id of each kind of record, a type of its own: a team's id cannot be passed where a
//! learner's is wanted, nor a course's where a team's is. Each is the row's BIGINT key; on the wire
//! (JSON, server functions, URLs) it is the bare number, so nothing outside Shoal sees the types.
//! `server::db` makes each of them a column type.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// A text that is not an id: anything but decimal digits, or a number too large for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAnId;

/// Declares the id types: a `Copy` wrapper over `i64`, written and parsed as the bare number.
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(value_type = i64))]
        pub struct $name(i64);

        impl $name {
            /// The id whose stored key is `key`.
            pub const fn new(key: i64) -> Self {
                Self(key)
            }

            /// The stored key.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        /// The bare number, as in logs and JSON (`academy_id=3`, not `AcademyId(3)`).
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        /// From a URL's path segment or query: decimal digits, nothing else (no sign, no spaces).
        impl FromStr for $name {
            type Err = NotAnId;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(NotAnId);
                }
                text.parse().map(Self).map_err(|_| NotAnId)
            }
        }
    )+};
}

ids!(
    /// An academy.
    AcademyId,
    /// A person's account: a learner, an administrator, the owner.
    UserId,
    /// An invitation.
    InviteId,
    /// A team (`getTeams` lists them; a numeric string in a form-encoded call).
    TeamId,
    /// A CSV upload or an API call's batch of invitations.
    ImportId,
    /// A course.
    CourseId,
    /// A webhook endpoint.
    WebhookId,
    /// One delivery of a webhook event.
    DeliveryId,
    /// A request to join a private academy.
    AccessRequestId,
    /// An API client (its credentials).
    ApiClientId,
    /// An email waiting in (or sent from) the outbox.
    OutboxId,
    /// An entry of the audit log.
    AuditEntryId,
    /// One link of an invitation (a renewal or a reminder makes a new one).
    InviteTokenId,
    /// A sign-up at the academy link waiting for its confirmation code.
    SignupCodeId,
    /// A password reset link.
    PasswordResetId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_the_bare_number_in_json_text_and_urls() {
        let id = TeamId::new(42);
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(serde_json::from_str::<TeamId>("42").unwrap(), id);
        assert_eq!(id.to_string(), "42");
        assert_eq!("42".parse::<TeamId>(), Ok(id));
        assert_eq!(id.get(), 42);
    }

    #[test]
    fn an_id_is_parsed_from_digits_only() {
        for bad in [
            "",
            "4 2",
            " 42",
            "+42",
            "-42",
            "forty-two",
            "42.0",
            "0x2a",
            "99999999999999999999",
        ] {
            assert!(bad.parse::<UserId>().is_err(), "{bad:?}");
        }
        assert!(serde_json::from_str::<UserId>("\"42\"").is_err());
    }
}
