//! The Teams section and a team's learners. The academy is always the caller's own (from the
//! session); a team or learner of another academy is "not found".

use leptos::{prelude::*, server_fn::codec::Json};

#[cfg(feature = "ssr")]
use crate::domain::Permission;
use crate::domain::{TeamId, UserId};
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{
    error::AppError,
    model::{DeletedTeam, ListQuery, Page, TeamAdded, TeamMemberView, TeamSummary, TeamView},
};

/// Every team of the academy by name (the pickers of the invite dialog and the lists).
#[server(prefix = "/api", endpoint = "list_teams")]
pub async fn list_teams() -> Result<Vec<TeamView>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::lists::teams(&state, &actor).await
}

/// A page of the Teams section with each team's learners and pending invites counted.
#[server(prefix = "/api", endpoint = "list_team_summaries", input = Json)]
pub async fn list_team_summaries(query: ListQuery) -> Result<Page<TeamSummary>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::teams::summaries(&state, &actor, &query).await
}

#[server(prefix = "/api", endpoint = "get_team")]
pub async fn get_team(team_id: TeamId) -> Result<TeamSummary, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::teams::get(&state, &actor, team_id).await
}

#[server(prefix = "/api", endpoint = "create_team")]
pub async fn create_team(name: String, color: String) -> Result<TeamView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::teams::create(&state, &actor, &name, &color).await
}

/// Renames and recolours a team; returns it as it is now.
#[server(prefix = "/api", endpoint = "update_team")]
pub async fn update_team(
    team_id: TeamId,
    name: String,
    color: String,
) -> Result<TeamView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::teams::update(&state, &actor, team_id, &name, &color).await
}

#[server(prefix = "/api", endpoint = "delete_team")]
pub async fn delete_team(team_id: TeamId) -> Result<DeletedTeam, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::teams::delete(&state, &actor, team_id).await
}

/// "Learners in team".
#[server(prefix = "/api", endpoint = "list_team_members", input = Json)]
pub async fn list_team_members(
    team_id: TeamId,
    query: ListQuery,
) -> Result<Page<TeamMemberView>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::teams::members(&state, &actor, team_id, &query).await
}

/// "Add learners": registered learners not yet in the team, matching `search`.
#[server(prefix = "/api", endpoint = "team_candidates")]
pub async fn team_candidates(
    team_id: TeamId,
    search: String,
) -> Result<Vec<TeamMemberView>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::teams::candidates(&state, &actor, team_id, &search).await
}

#[server(prefix = "/api", endpoint = "add_team_members", input = Json)]
pub async fn add_team_members(
    team_id: TeamId,
    user_ids: Vec<UserId>,
) -> Result<TeamAdded, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::teams::add_members(&state, &actor, team_id, &user_ids).await
}

#[server(prefix = "/api", endpoint = "remove_team_member")]
pub async fn remove_team_member(team_id: TeamId, user_id: UserId) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::teams::remove_member(&state, &actor, team_id, user_id).await
}
