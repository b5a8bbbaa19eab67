//! Passwords: "Forgot your password?" (anyone), the reset link's page, "Change password" and
//! "Sign out everywhere" (the signed-in person), and an administrator sending a learner the reset
//! email. Plain form posts (before the WASM, or without JavaScript) are sent on with a redirect.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Permission;
use crate::domain::UserId;
#[cfg(feature = "ssr")]
use crate::server::{auth, nav, services::password_reset, state::app_state};
use crate::{error::AppError, model::ResetInfo};

/// Emails a reset link when the address has an account here; the answer is the same either way.
#[server(prefix = "/api", endpoint = "forgot_password")]
pub async fn forgot_password(slug: String, email: String) -> Result<String, AppError> {
    let state = app_state()?;
    password_reset::request(&state, &slug, &email).await?;
    Ok(nav::go(format!(
        "/a/{}/forgot?sent",
        crate::api::accounts::urlencode_path(&slug)
    )))
}

#[server(prefix = "/api", endpoint = "load_reset_link")]
pub async fn load_reset_link(slug: String, token: String) -> Result<ResetInfo, AppError> {
    let state = app_state()?;
    password_reset::info(&state, &slug, &token).await
}

/// Sets the new password through the link (once), signs this browser in, returns where to go.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(
    slug: String,
    token: String,
    password: String,
) -> Result<String, AppError> {
    let state = app_state()?;
    let path = password_reset::reset(&state, &slug, &token, &password).await?;
    Ok(nav::go(path))
}

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    slug: String,
    current_password: String,
    password: String,
) -> Result<String, AppError> {
    let state = app_state()?;
    password_reset::change(&state, &current_password, &password).await?;
    Ok(nav::go(format!(
        "/a/{}/account?changed",
        crate::api::accounts::urlencode_path(&slug)
    )))
}

/// Ends every session of the signed-in person (signed out: nothing to end); returns the
/// academy's sign-in page.
#[server(prefix = "/api", endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere(slug: String) -> Result<String, AppError> {
    let state = app_state()?;
    password_reset::sign_out_everywhere(&state).await?;
    Ok(nav::go(format!(
        "/a/{}/login",
        crate::api::accounts::urlencode_path(&slug)
    )))
}

/// From a learner's row: emails them a reset link. Returns their address for the notice.
#[server(prefix = "/api", endpoint = "send_password_reset")]
pub async fn send_password_reset(user_id: UserId) -> Result<String, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    password_reset::send_by_admin(&state, &actor, user_id).await
}
