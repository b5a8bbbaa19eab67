//! The one shared state: handed to axum handlers and, through context, to server functions.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::*;

use super::{db::Db, password::Hasher, settings::Settings};
use crate::error::AppError;

/// Every request clones it several times (each middleware and extractor takes its own copy), so a
/// clone is one reference count: the fields live once, in `Shared`, and are read through it.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub db: Db,
    pub settings: Settings,
    pub hasher: Hasher,
    pub leptos_options: LeptosOptions,
    /// Wakes the outbox worker when mail was queued, so an invitation goes out at once.
    pub outbox_wakeup: Arc<tokio::sync::Notify>,
    /// How far the lists' bulk actions running now have got.
    pub bulk_progress: crate::server::bulk_progress::BulkProgress,
    /// What the build wrote under `/pkg`, read once at start-up.
    pub assets: SiteAssets,
}

/// The built site's file names: `cargo leptos build --release` names each file after a hash of its
/// contents (so browsers may keep it for a year); `cargo leptos watch` keeps plain names.
#[derive(Debug, Clone)]
pub struct SiteAssets {
    pub hashed: bool,
    /// The stylesheet's path, e.g. `/pkg/shoal.Q2x…css` or `/pkg/shoal.css`.
    pub stylesheet: String,
    /// The learner pages' own bundle, when the build made one (the release build does).
    pub learner: Option<PageBundle>,
    /// The bundle of a visitor without a session, when the build made one (the release build
    /// does).
    pub visitor: Option<PageBundle>,
}

/// A bundle's two files (`frontend/learner`, `frontend/visitor`), e.g. `/pkg/learner.Ab3….js`.
#[derive(Debug, Clone)]
pub struct PageBundle {
    pub js: String,
    pub wasm: String,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state inside a server function or a server-side render.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("AppState is not in the Leptos context"))
}
