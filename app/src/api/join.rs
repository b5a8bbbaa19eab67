//! Registration: the emailed link and "Sign up" at the academy link.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{services, state::app_state};
use crate::{error::AppError, model::JoinInfo};

#[server(prefix = "/api", endpoint = "join_info")]
pub async fn load_join(slug: String, token: String) -> Result<JoinInfo, AppError> {
    let state = app_state()?;
    services::join::info(&state, &slug, &token).await
}

/// Creates the account from the invitation behind `token`; returns the learner home.
#[server(prefix = "/api", endpoint = "join")]
pub async fn join(
    slug: String,
    token: String,
    first_name: String,
    last_name: String,
    password: String,
) -> Result<String, AppError> {
    let state = app_state()?;
    services::join::join_with_link(&state, &slug, &token, &first_name, &last_name, &password).await
}

#[server(prefix = "/api", endpoint = "sign_up")]
pub async fn sign_up(
    slug: String,
    email: String,
    first_name: String,
    last_name: String,
    password: String,
) -> Result<String, AppError> {
    let state = app_state()?;
    services::join::sign_up(&state, &slug, &email, &first_name, &last_name, &password).await
}
