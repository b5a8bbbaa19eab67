//! Settings → API: the academy's OAuth applications. Owner and Administrators only; the academy is
//! always the caller's own (from the session).

use leptos::{prelude::*, server_fn::codec::Json};

use crate::domain::ApiClientId;
#[cfg(feature = "ssr")]
use crate::domain::Permission;
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{
    error::AppError,
    model::{ApiClientView, ApiSettings, NewApiClient},
};

#[server(prefix = "/api", endpoint = "list_api_clients")]
pub async fn list_api_clients() -> Result<ApiSettings, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::api_clients::list(&state, &actor).await
}

/// Registers an application; the answer holds its secret, shown this once.
#[server(prefix = "/api", endpoint = "register_api_client", input = Json)]
pub async fn register_api_client(
    name: String,
    callback_uri: String,
) -> Result<NewApiClient, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::api_clients::register(&state, &actor, &name, &callback_uri).await
}

#[server(prefix = "/api", endpoint = "rename_api_client")]
pub async fn rename_api_client(id: ApiClientId, name: String) -> Result<ApiClientView, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::api_clients::rename(&state, &actor, id, &name).await
}

/// Revokes an application and every token it holds.
#[server(prefix = "/api", endpoint = "revoke_api_client")]
pub async fn revoke_api_client(id: ApiClientId) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageIntegrations).await?;
    services::api_clients::revoke(&state, &actor, id).await
}
