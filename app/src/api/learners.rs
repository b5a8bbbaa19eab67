//! The All Learners tab's actions on one learner. The academy is always the caller's own (from the
//! session); a learner of another academy is "not found".

use leptos::{prelude::*, server_fn::codec::Json};

use crate::domain::UserId;
#[cfg(feature = "ssr")]
use crate::domain::{Permission, account::AccountStatus};
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{
    domain::role::Role,
    error::AppError,
    model::{LearnerView, ListQuery, Page, UserView},
};

/// A page of All Learners: search, filters, sorting and paging from `query`.
#[server(prefix = "/api", endpoint = "list_learners", input = Json)]
pub async fn list_learners(query: ListQuery) -> Result<Page<LearnerView>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::lists::learners(&state, &actor, &query).await
}

/// Gives a learner another learner role; returns the learner as they are now. Owners, Administrators
/// and Learner-Admins may; nobody changes their own role, and staff roles are managed in Settings.
#[server(prefix = "/api", endpoint = "change_learner_role")]
pub async fn change_learner_role(user_id: UserId, role: Role) -> Result<UserView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::learners::change_role(&state, &actor, user_id, role).await
}

/// Removes a learner from the academy (account, sessions, team memberships); returns who was removed.
#[server(prefix = "/api", endpoint = "remove_learner")]
pub async fn remove_learner(user_id: UserId) -> Result<UserView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::learners::remove(&state, &actor, user_id).await
}

/// "Revoke access": the learner is signed out everywhere and cannot sign in, reset their password
/// or use an invitation link until access is given back; their account, teams and history stay.
/// Returns the learner.
#[server(prefix = "/api", endpoint = "deactivate_learner")]
pub async fn deactivate_learner(user_id: UserId) -> Result<UserView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::learners::set_access(&state, &actor, user_id, AccountStatus::Deactivated).await
}

/// Gives a deactivated learner their access back. Returns the learner.
#[server(prefix = "/api", endpoint = "reactivate_learner")]
pub async fn reactivate_learner(user_id: UserId) -> Result<UserView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::learners::set_access(&state, &actor, user_id, AccountStatus::Active).await
}
