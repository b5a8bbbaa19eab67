//! Server functions: public endpoints. Each authorises first (where it needs a user), calls a service,
//! and returns `AppError` — never raw database text. URLs are stable: `/api/<endpoint>`.

pub mod access_requests;
pub mod accounts;
pub mod api_clients;
pub mod audit;
pub mod bulk;
pub mod courses;
pub mod imports;
pub mod invites;
pub mod join;
pub mod learner_page;
pub mod learners;
pub mod password;
pub mod settings;
pub mod staff;
pub mod statistics;
pub mod teams;
pub mod webhooks;
