//! Server-only code (the `ssr` feature): state, settings, database, repositories, services, sessions.

pub mod auth;
pub mod bulk_progress;
pub mod client_ip;
pub mod db;
pub mod mail;
pub mod nav;
pub mod password;
pub mod rate_limit;
pub mod repo;
pub mod request_id;
pub mod services;
pub mod settings;
pub mod state;
pub mod tokens;
