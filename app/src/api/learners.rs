//! The All Learners tab's actions on one learner. The academy is always the caller's own (from the
//! session); a learner of another academy is "not found".

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Permission;
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{domain::role::Role, error::AppError, model::UserView};

/// Gives a learner another learner role; returns the learner as they are now. Owners, Administrators
/// and Learner-Admins may; nobody changes their own role, and staff roles are managed in Settings.
#[server(prefix = "/api", endpoint = "change_learner_role")]
pub async fn change_learner_role(user_id: i64, role: Role) -> Result<UserView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::learners::change_role(&state, &actor, user_id, role).await
}

/// Removes a learner from the academy (account, sessions, team memberships); returns who was removed.
#[server(prefix = "/api", endpoint = "remove_learner")]
pub async fn remove_learner(user_id: i64) -> Result<UserView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::learners::remove(&state, &actor, user_id).await
}
