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
