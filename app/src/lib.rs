//! Shoal's shared library: domain rules, UI and server functions for the browser (`hydrate`) and the
//! server (`ssr`, which adds the IO in `server`).
// Leptos view types nest deeply; the team page outgrows the default limit in release builds.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod format;
pub mod model;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;
pub mod validate;

pub use routes::{App, shell};
