//! Workflows: validation, transactions and audit rows around the repositories.

pub mod academies;
pub mod academy_settings;
pub mod access_requests;
pub mod api_actions;
pub mod api_clients;
pub mod api_lifecycle;
pub mod audit;
pub mod bulk;
pub mod bulk_lists;
pub mod courses;
pub mod email_changed;
pub mod exports;
pub mod imports;
pub mod invite_batch;
pub mod invite_email;
pub mod invites;
pub mod join;
pub mod learner_page;
pub mod learners;
pub mod lists;
pub mod password_reset;
pub mod reminders;
pub mod sign_in;
pub mod signup_email;
pub mod staff;
pub mod statistics;
pub mod teams;
pub mod webhooks;

/// A list's search as the lists use it, or a 422 that says why it cannot be one
/// (`domain::search`).
pub(crate) fn search(text: &str) -> Result<&str, crate::error::AppError> {
    crate::domain::search::check(text).map_err(|m| crate::error::AppError::invalid("search", m))
}
