//! Workflows: validation, transactions and audit rows around the repositories.

pub mod academies;
pub mod sign_in;
