//! One module per route.

pub mod academy;
pub mod admin;
pub mod home;
pub mod login;
pub mod not_found;
pub mod setup;
pub mod start;
