//! Shoal's integration tests, one binary: each module is an area of the product, run against the real
//! server (the same router as production) on SQLite, or on PostgreSQL when `SHOAL_TEST_PG_URL` is set.
//! One binary instead of one per file: the application is linked once, not nineteen times.
//! (`tests/ssr_under_load.rs` stays apart: it loads the machine on purpose and runs alone.)

mod common;

mod access_requests;
mod api;
mod api_learners;
mod api_lifecycle;
mod assets;
mod audit;
mod bulk_lists;
mod compression;
mod courses;
mod database;
mod deactivation;
mod exports;
mod first_html;
mod foundation;
mod housekeeping;
mod http_edges;
mod imports;
mod invite_lifecycle;
mod invite_message;
mod invites;
mod learner_page;
mod learner_view;
mod learners;
mod limits;
mod mailer;
mod openapi;
mod passwords;
mod permissions;
mod process;
mod search_input;
mod signup_confirmation;
mod staff;
mod statistics;
mod stored_values;
mod teams;
mod webhooks;
