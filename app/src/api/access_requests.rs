//! Access requests: a stranger at a private academy's link asks to join ("Request access"); the
//! academy's staff answer on "Manage Learners and Teams" → "Access Requests"; Settings holds the
//! academy's visibility and whether administrators are emailed. The academy of every staff call is
//! the caller's own (from the session); another academy's requests are "not found".

use leptos::{prelude::*, server_fn::codec::Json};

#[cfg(feature = "ssr")]
use crate::domain::Permission;
use crate::domain::{AccessRequestId, TeamId};
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{
    domain::{
        access_request::{RequestStatus, Visibility},
        role::Role,
    },
    error::AppError,
    model::access_requests::{AccessRequestList, AccessSettings, Approved},
};

/// "Request access" at a private academy's link. No sign-in: anyone may ask (rate limited per
/// address and per academy). The answer is the same whatever the address's state (the owner of
/// an address that needs no request is told by email); a plain form post is sent on to the
/// "request sent" page.
#[server(prefix = "/api", endpoint = "request_access")]
pub async fn request_access(
    slug: String,
    email: String,
    first_name: String,
    last_name: String,
    #[server(default)] message: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let input = services::access_requests::RequestInput {
        email: &email,
        first_name: &first_name,
        last_name: &last_name,
        message: &message,
    };
    services::access_requests::request(&state, &slug, &input).await?;
    crate::server::nav::go(format!("/a/{slug}?request=sent"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "list_access_requests")]
pub async fn list_access_requests(
    status: RequestStatus,
    #[server(default)] page: u32,
) -> Result<AccessRequestList, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::access_requests::list(&state, &actor, status, page).await
}

/// Approves a pending or declined request with the role and teams chosen (the same rules as
/// "Invite Learners": learner roles the plan offers, this academy's teams).
#[server(prefix = "/api", endpoint = "approve_access_request", input = Json)]
pub async fn approve_access_request(
    request_id: AccessRequestId,
    role: Role,
    #[server(default)] team_ids: Vec<TeamId>,
) -> Result<Approved, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::access_requests::approve(&state, &actor, request_id, role, &team_ids).await
}

/// Declines a pending request; with `send_email` the person is told (with `reason`, if given).
#[server(prefix = "/api", endpoint = "decline_access_request")]
pub async fn decline_access_request(
    request_id: AccessRequestId,
    #[server(default)] send_email: bool,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::access_requests::decline(&state, &actor, request_id, send_email, &reason).await
}

#[server(prefix = "/api", endpoint = "load_access_settings")]
pub async fn load_access_settings() -> Result<AccessSettings, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageSettings).await?;
    services::access_requests::settings(&state, &actor).await
}

/// Owner and Administrators: who may sign up at the academy link.
#[server(prefix = "/api", endpoint = "set_visibility")]
pub async fn set_visibility(visibility: Visibility) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageSettings).await?;
    services::access_requests::set_visibility(&state, &actor, visibility).await
}

/// Owner and Administrators: "Email administrators when someone requests access".
#[server(prefix = "/api", endpoint = "set_access_request_emails")]
pub async fn set_access_request_emails(on: bool) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageSettings).await?;
    services::access_requests::set_notify_admins(&state, &actor, on).await
}
