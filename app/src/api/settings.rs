//! The academy's settings. The academy is always the caller's own (from the session).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Permission;
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{domain::role::Plan, error::AppError, model::EmailPreview};

/// Switches the academy's plan. Only the Owner may.
#[server(prefix = "/api", endpoint = "change_plan")]
pub async fn change_plan(plan: Plan) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManagePlan).await?;
    services::academy_settings::change_plan(&state, &actor, plan).await
}

/// Settings → Invitations: how long new invitation links work (`expiry_days`, 1–90; 0: they never
/// expire) and how many days before expiry a reminder is emailed (`reminder_days`; 0: none).
/// Links already sent keep their expiry.
#[server(prefix = "/api", endpoint = "set_invite_lifecycle")]
pub async fn set_invite_lifecycle(expiry_days: u32, reminder_days: u32) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageSettings).await?;
    let lifecycle = crate::domain::invite::InviteLifecycle {
        expiry_days: (expiry_days > 0).then_some(expiry_days),
        reminder_days: (reminder_days > 0).then_some(reminder_days),
    };
    services::academy_settings::set_invite_lifecycle(&state, &actor, lifecycle).await
}

/// The personal message every invite dialog starts with ('' none).
#[server(prefix = "/api", endpoint = "invite_message_default")]
pub async fn invite_message_default() -> Result<String, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    let academy = crate::server::repo::academies::by_id(&state.db.pool, actor.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(academy.invite_message)
}

/// Settings → Invitations: the default personal message of invitation emails ('' none). Invitations
/// already made keep their own.
#[server(prefix = "/api", endpoint = "set_invite_message")]
pub async fn set_invite_message(message: String) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageSettings).await?;
    services::academy_settings::set_invite_message(&state, &actor, &message).await
}

/// The invitation email a learner would get with `message` (typed, not necessarily saved;
/// absent: the academy's default).
#[server(prefix = "/api", endpoint = "preview_invite_email")]
pub async fn preview_invite_email(
    #[server(default)] message: Option<String>,
) -> Result<EmailPreview, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::invite_email::preview(&state, &actor, message.as_deref()).await
}
