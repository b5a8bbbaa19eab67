//! Values kept as text in the database (a role, an invitation's status, …): each enum names its
//! stored forms once, and reading one back is exact — a text that is none of them is an error,
//! never a default (an unknown role read as Learner, an unknown status as Pending, would hide a
//! broken row behind a plausible answer). `server::db` makes each of them a column type, so the
//! row structs hold the enums and a bad text fails when the row is read.

/// An enum stored as one of a fixed set of texts.
pub trait Stored: Sized + Copy + 'static {
    /// What the value is, for the error that names a bad one ("role", "invitation status").
    const WHAT: &'static str;
    /// Every value.
    const ALL: &'static [Self];

    /// Its stored text.
    fn stored(self) -> &'static str;

    /// The value whose stored text is exactly `text`; `None` for anything else.
    fn from_stored(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.stored() == text)
    }

    /// [`Stored::from_stored`], or the message that names the unknown text.
    fn read(text: &str) -> Result<Self, String> {
        Self::from_stored(text)
            .ok_or_else(|| format!("unknown {} {text:?} in the database", Self::WHAT))
    }
}

/// `impl Stored` from an enum's list of values and its `as_str`.
macro_rules! stored {
    ($ty:ty, $what:literal, $all:expr) => {
        impl $crate::stored::Stored for $ty {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &$all;
            fn stored(self) -> &'static str {
                self.as_str()
            }
        }
    };
}
pub(crate) use stored;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        access_request::{RequestStatus, Visibility},
        account::AccountStatus,
        invite::{EmailStatus, InviteSource, InviteState, LineOutcome},
        role::{Plan, Role},
    };

    fn round_trips<T: Stored + PartialEq + std::fmt::Debug>() {
        for &v in T::ALL {
            assert_eq!(T::from_stored(v.stored()), Some(v));
            assert_eq!(T::read(v.stored()), Ok(v));
        }
        let stored: std::collections::HashSet<_> = T::ALL.iter().map(|v| v.stored()).collect();
        assert_eq!(
            stored.len(),
            T::ALL.len(),
            "{}: two values share a text",
            T::WHAT
        );
        for bad in ["", "bogus", " pending", "PENDING", "Learner"] {
            if !stored.contains(bad) {
                assert_eq!(T::from_stored(bad), None, "{}: {bad:?}", T::WHAT);
                assert!(T::read(bad).unwrap_err().contains(T::WHAT));
            }
        }
    }

    #[test]
    fn every_stored_value_reads_back_as_itself_and_anything_else_is_refused() {
        round_trips::<Role>();
        round_trips::<AccountStatus>();
        round_trips::<InviteState>();
        round_trips::<EmailStatus>();
        round_trips::<InviteSource>();
        round_trips::<LineOutcome>();
        round_trips::<RequestStatus>();
        round_trips::<Visibility>();
        round_trips::<Plan>();
    }

    #[test]
    fn an_unknown_role_is_an_error_that_names_it_not_a_learner() {
        assert_eq!(
            Role::read("superuser"),
            Err("unknown role \"superuser\" in the database".to_string())
        );
    }
}
