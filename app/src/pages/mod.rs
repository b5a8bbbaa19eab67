//! One module per route.

pub mod academy;
pub mod admin;
pub mod admin_shell;
pub mod audit;
pub mod courses;
pub mod home;
pub mod join;
pub mod learners;
pub mod login;
pub mod not_found;
pub mod request_access;
pub mod settings_access;
pub mod settings_admins;
pub mod settings_api;
pub mod settings_signup;
pub mod settings_webhooks;
pub mod setup;
pub mod start;
pub mod statistics;
pub mod teams;
