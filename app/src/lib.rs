//! Shoal's shared library: UI and server functions, and the domain rules (the `domain` crate, re-exported here) for the browser (`hydrate`) and the
//! server (`ssr`, which adds the IO in `server`).
// Leptos view types nest deeply; the team page outgrows the default limit in release builds.
#![recursion_limit = "256"]

pub mod api;
pub use domain::{self, format};
pub mod error;
pub mod model;
#[cfg(feature = "ssr")]
pub mod server;
pub mod validate;

// The UI stays out of this crate's own unit-test build: it holds no unit tests (pages are tested
// through the real server and in Chromium), and it is most of what compiling the crate costs.
#[cfg(not(test))]
pub mod components;
#[cfg(not(test))]
pub mod pages;
#[cfg(not(test))]
pub mod routes;
