//! Registration: the emailed link and "Sign up" at the academy link.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Permission;
#[cfg(feature = "ssr")]
use crate::server::{services, state::app_state};
use crate::{
    error::AppError,
    model::{JoinInfo, SignUpOutcome},
};

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
    services::join::join_with_link(&state, &slug, &token, &first_name, &last_name, &password)
        .await
        .map(crate::server::nav::go)
}

#[server(prefix = "/api", endpoint = "sign_up")]
pub async fn sign_up(
    slug: String,
    email: String,
    first_name: String,
    last_name: String,
    password: String,
) -> Result<SignUpOutcome, AppError> {
    let state = app_state()?;
    let outcome =
        services::join::sign_up(&state, &slug, &email, &first_name, &last_name, &password).await?;
    // A form posted without JavaScript goes on to the learner home, or to the code step.
    match &outcome {
        SignUpOutcome::Done(path) => crate::server::nav::go(path.clone()),
        SignUpOutcome::ConfirmCode { email } => {
            crate::server::nav::go(crate::model::confirm_code_path(&slug, email))
        }
    };
    Ok(outcome)
}

/// Finishes a sign-up with the code from the confirmation email; returns the learner home.
#[server(prefix = "/api", endpoint = "confirm_sign_up")]
pub async fn confirm_sign_up(
    slug: String,
    email: String,
    code: String,
) -> Result<String, AppError> {
    let state = app_state()?;
    services::join::confirm_sign_up(&state, &slug, &email, &code)
        .await
        .map(crate::server::nav::go)
}

/// Owner and Administrators: "Require email confirmation when signing up without an invitation link".
#[server(prefix = "/api", endpoint = "set_signup_confirmation")]
pub async fn set_signup_confirmation(on: bool) -> Result<(), AppError> {
    let state = app_state()?;
    let me = crate::server::auth::require(&state, Permission::ManageSettings).await?;
    let mut tx = state.db.write().await?;
    crate::server::repo::academies::set_signup_confirmation(&mut *tx, me.academy_id, on).await?;
    let what = if on { "on" } else { "off" };
    crate::server::repo::audit::record(
        &mut *tx,
        me.academy_id,
        Some(me.user.id),
        "academy.signup_confirmation_changed",
        what,
        crate::server::db::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
