//! The lists' bulk actions: All Learners' and the Invites tab's selections, changed at once.

use leptos::{prelude::*, server_fn::codec::Json};

#[cfg(feature = "ssr")]
use crate::domain::Permission;
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{
    domain::{InviteId, UserId},
    error::AppError,
    model::bulk::{BulkCount, BulkSummary, InviteBulk, LearnerBulk, Selection},
};

/// Revoke or give back access, change the role, add to or remove from a team, or remove the
/// learners of `selection`. Staff and the caller's own account are skipped, with the reason.
#[server(prefix = "/api", endpoint = "bulk_learners", input = Json)]
pub async fn bulk_learners(
    selection: Selection<UserId>,
    action: LearnerBulk,
    /// Names the action for `bulk_progress` (8–64 letters, digits or dashes).
    #[server(default)]
    key: Option<String>,
) -> Result<BulkSummary, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::bulk_lists::learners(&state, &actor, &selection, action, key.as_deref()).await
}

/// Resend or revoke the invitations of `selection`; those no longer pending are skipped.
#[server(prefix = "/api", endpoint = "bulk_invites", input = Json)]
pub async fn bulk_invites(
    selection: Selection<InviteId>,
    action: InviteBulk,
    /// Names the action for `bulk_progress` (8–64 letters, digits or dashes).
    #[server(default)]
    key: Option<String>,
) -> Result<BulkSummary, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::bulk_lists::invites(&state, &actor, &selection, action, key.as_deref()).await
}

/// How far the caller's academy's bulk action `key` has got; `None` before it starts and once it
/// has ended (its answer then says what came of it).
#[server(prefix = "/api", endpoint = "bulk_progress")]
pub async fn bulk_progress(key: String) -> Result<Option<BulkCount>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    Ok(state.bulk_progress.of(actor.academy_id, &key))
}
