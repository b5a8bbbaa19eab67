//! Settings → Admins: the academy's Owner and Administrators, invitations to become an Administrator,
//! and removing one. The academy is always the caller's own (from the session); people and
//! invitations of another academy are "not found".

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Permission;
use crate::domain::{InviteId, UserId};
#[cfg(feature = "ssr")]
use crate::server::{auth, repo, services, state::app_state};
use crate::{
    error::AppError,
    model::{InviteOutcome, UserView, staff::StaffOverview},
};

#[server(prefix = "/api", endpoint = "list_staff")]
pub async fn list_staff() -> Result<StaffOverview, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageStaff).await?;
    services::staff::overview(&state, &actor).await
}

/// "Invite an administrator": one person, always with the invitation email; they become an
/// Administrator when they join through its link.
#[server(prefix = "/api", endpoint = "invite_admin")]
pub async fn invite_admin(
    email: String,
    first_name: String,
    #[server(default)] last_name: String,
) -> Result<InviteOutcome, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageStaff).await?;
    let academy = repo::academies::by_id(&state.db.pool, actor.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let person = crate::domain::invite::InviteeInput {
        email,
        first_name,
        last_name,
    };
    services::staff::invite(&state, &actor, &academy, &person).await
}

#[server(prefix = "/api", endpoint = "resend_admin_invite")]
pub async fn resend_admin_invite(invite_id: InviteId) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageStaff).await?;
    services::invites::resend_admin(&state, &actor, invite_id).await
}

#[server(prefix = "/api", endpoint = "revoke_admin_invite")]
pub async fn revoke_admin_invite(invite_id: InviteId) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageStaff).await?;
    services::invites::revoke_admin(&state, &actor, invite_id).await
}

/// Removes an Administrator from the academy (account, sessions, team places) and, with
/// `revoke_integrations`, the API applications and webhooks they made (their tokens stop at once).
/// Only the Owner may; the Owner is never removed. Returns who was removed.
#[server(prefix = "/api", endpoint = "remove_admin")]
pub async fn remove_admin(
    user_id: UserId,
    #[server(default)] revoke_integrations: bool,
) -> Result<UserView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::RemoveStaff).await?;
    services::staff::remove(&state, &actor, user_id, revoke_integrations).await
}
