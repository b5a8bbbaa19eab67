//! Inviting learners and following the invitations. The academy is always the caller's own (from the
//! session), never a parameter.

use leptos::{prelude::*, server_fn::codec::Json};

#[cfg(feature = "ssr")]
use crate::domain::Permission;
use crate::domain::{InviteId, TeamId};
#[cfg(feature = "ssr")]
use crate::server::{auth, repo, services, state::app_state};
use crate::{
    domain::{invite::InviteeInput, role::Role},
    error::AppError,
    model::{InviteResult, InviteView, ListQuery, Page},
};

#[server(prefix = "/api", endpoint = "invite_learners", input = Json)]
pub async fn invite_learners(
    people: Vec<InviteeInput>,
    role: Role,
    team_ids: Vec<TeamId>,
    send_email: bool,
    /// Sent from a team page's "Invite to team" (recorded as the invitation's source).
    #[server(default)]
    from_team: bool,
    /// The batch's personal message; absent: the academy's default (Settings → Invitations).
    #[server(default)]
    message: Option<String>,
) -> Result<Vec<InviteResult>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    let academy = repo::academies::by_id(&state.db.pool, actor.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let req = services::invites::InviteRequest {
        people,
        role,
        team_ids,
        send_email,
        source: if from_team {
            crate::domain::invite::InviteSource::Team
        } else {
            crate::domain::invite::InviteSource::Form
        },
        message,
    };
    services::invites::invite(&state, &actor, &academy, &req).await
}

#[server(prefix = "/api", endpoint = "list_invites", input = Json)]
pub async fn list_invites(query: ListQuery) -> Result<Page<InviteView>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::lists::invites(&state, &actor, &query).await
}

#[server(prefix = "/api", endpoint = "resend_invite")]
pub async fn resend_invite(invite_id: InviteId) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::invites::resend(&state, &actor, invite_id).await
}

#[server(prefix = "/api", endpoint = "revoke_invite")]
pub async fn revoke_invite(invite_id: InviteId) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::invites::revoke(&state, &actor, invite_id).await
}

/// The newest working link of a pending invitation ("Copy invite link").
#[server(prefix = "/api", endpoint = "invite_link")]
pub async fn invite_link(invite_id: InviteId) -> Result<String, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    let academy = repo::academies::by_id(&state.db.pool, actor.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    services::invites::link(&state, &actor, &academy.slug, invite_id).await
}
