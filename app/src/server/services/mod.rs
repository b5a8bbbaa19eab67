//! Workflows: validation, transactions and audit rows around the repositories.

pub mod academies;
pub mod academy_settings;
pub mod access_requests;
pub mod api_actions;
pub mod api_clients;
pub mod audit;
pub mod courses;
pub mod exports;
pub mod imports;
pub mod invite_email;
pub mod invites;
pub mod join;
pub mod learners;
pub mod lists;
pub mod password_reset;
pub mod sign_in;
pub mod signup_email;
pub mod staff;
pub mod statistics;
pub mod teams;
pub mod webhooks;
