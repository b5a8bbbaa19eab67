//! A learner's page (`/a/{slug}/admin/learners/{id}`): who they are, their invitations with their
//! email status, what the audit log says about them, and correcting their name and email. The
//! academy is always the caller's own; staff are managed in Settings → Admins.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Permission;
use crate::domain::UserId;
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{
    error::AppError,
    model::{LearnerView, learner_page::LearnerInfo},
};

#[server(prefix = "/api", endpoint = "learner_details")]
pub async fn learner_details(user_id: UserId) -> Result<LearnerInfo, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::learner_page::details(&state, &actor, user_id).await
}

/// Corrects a learner's name and email. A new email is told to both addresses.
#[server(prefix = "/api", endpoint = "update_learner")]
pub async fn update_learner(
    user_id: UserId,
    first_name: String,
    last_name: String,
    email: String,
) -> Result<LearnerView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    let change = services::learner_page::Change {
        first_name: &first_name,
        last_name: &last_name,
        email: &email,
    };
    services::learner_page::update(&state, &actor, user_id, &change).await
}
