//! One module per route.
//!
//! # How pages load their data
//!
//! - **What a page shows when it opens** (lists, a team, the statistics): a `Resource`, read inside
//!   a `<Transition>` (or `<Suspense>`). The server waits for it, renders it into the page's HTML
//!   (no "Loading…" on first paint, nothing to wait for before the WASM arrives) and sends the
//!   value along, so hydration reuses it instead of asking again. Its source lists what reloads it
//!   (a search, a page number, an action's version). Read it *directly* inside the boundary: a
//!   read inside a `Memo` made outside the boundary does not hold the boundary, and the server
//!   would render the fallback.
//! - **What only a person's action shows** (a dialog, a search-as-you-type picker, a delivery log
//!   opened with a click): a `LocalResource`, which never runs on the server, read inside a
//!   boundary of its own so it cannot hold up the page around it.
//!
//! Server renders with resources were once unsafe here: Leptos 0.8 can hang a multi-threaded
//! server when a render's resources resolve on one worker thread while its `<Suspense>` runs on
//! another (leptos-rs/leptos#4673). Pages therefore render on single-threaded runtimes of their
//! own (`server/src/render_pool.rs`), and `server/tests/ssr_under_load.rs` loads every page
//! thousands of times at once to keep that true.

pub mod academy;
pub mod admin_shell;
pub mod audit;
pub mod courses;
pub mod home;
pub mod join;
pub mod learners;
pub mod login;
pub mod not_found;
pub mod password;
pub mod request_access;
pub mod settings;
pub mod settings_access;
pub mod settings_admins;
pub mod settings_api;
pub mod settings_invitation_email;
pub mod settings_invitations;
pub mod settings_signup;
pub mod settings_webhooks;
pub mod setup;
pub mod start;
pub mod statistics;
pub mod teams;
