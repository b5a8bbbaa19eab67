//! SQL only: small functions over any executor (pool or transaction), scoped by academy.

pub mod academies;
pub mod access_requests;
pub mod api_clients;
pub mod api_queries;
pub mod audit;
pub mod batch;
pub mod bulk;
pub mod courses;
pub mod exports;
pub mod housekeeping;
pub mod imports;
pub mod invites;
pub mod lists;
pub mod outbox;
pub mod password_resets;
pub mod reminders;
pub mod sessions;
pub mod signup_codes;
pub mod staff;
pub mod statistics;
pub mod teams;
pub mod users;
pub mod webhooks;
