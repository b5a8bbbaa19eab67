//! The Audit log page: the academy's audit rows, filtered and paged, the people who appear in them,
//! and a CSV export. Only the Owner and Administrators; the academy is always the caller's own.

use leptos::{prelude::*, server_fn::codec::Json};

#[cfg(feature = "ssr")]
use crate::domain::Permission;
#[cfg(feature = "ssr")]
use crate::server::{auth, services, state::app_state};
use crate::{
    domain::audit::AuditQuery,
    error::AppError,
    model::{
        Page,
        audit::{AuditEntry, AuditExport, AuditPeople},
    },
};

#[server(prefix = "/api", endpoint = "list_audit", input = Json)]
pub async fn list_audit(query: AuditQuery) -> Result<Page<AuditEntry>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ViewAuditLog).await?;
    services::audit::page(&state, &actor, &query).await
}

#[server(prefix = "/api", endpoint = "audit_people")]
pub async fn list_audit_people() -> Result<AuditPeople, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ViewAuditLog).await?;
    services::audit::people(&state, &actor).await
}

/// The rows the filters match, newest first, at most `domain::audit::MAX_EXPORT_ROWS`.
#[server(prefix = "/api", endpoint = "export_audit", input = Json)]
pub async fn export_audit(query: AuditQuery) -> Result<AuditExport, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ViewAuditLog).await?;
    services::audit::export(&state, &actor, &query).await
}
