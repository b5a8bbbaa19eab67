//! Workflows: validation, transactions and audit rows around the repositories.

pub mod academies;
pub mod invite_email;
pub mod invites;
pub mod join;
pub mod lists;
pub mod sign_in;
