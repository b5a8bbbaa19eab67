//! The academy's settings. The academy is always the caller's own (from the session).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Permission;
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{domain::role::Plan, error::AppError};

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
