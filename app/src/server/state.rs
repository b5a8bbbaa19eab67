//! The one shared state: handed to axum handlers and, through context, to server functions.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::*;

use super::{db::Db, password::Hasher, settings::Settings};
use crate::error::AppError;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub hasher: Hasher,
    pub leptos_options: LeptosOptions,
    /// Wakes the outbox worker when mail was queued, so an invitation goes out at once.
    pub outbox_wakeup: Arc<tokio::sync::Notify>,
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
