//! "Upload CSV File": the caps the browser checks a file against, the look-up of a file's known
//! addresses, and the upload itself in chunks. The academy is always the caller's own.
// A server function's arguments are the fields of its request (here an upload's options, each
// named on the wire); the client half the macro generates takes them all.
#![allow(clippy::too_many_arguments)]

use leptos::{prelude::*, server_fn::codec::Json};

#[cfg(feature = "ssr")]
use crate::domain::Permission;
use crate::domain::{ImportId, TeamId};
#[cfg(feature = "ssr")]
use crate::server::{auth, repo, services, state::app_state};
use crate::{
    domain::{csv_import::Caps, role::Role},
    error::AppError,
    model::{ImportLine, ImportLineResult, ImportSummary, KnownEmails, LeftOutLine},
};

/// What one upload may hold (the server's settings).
#[server(prefix = "/api", endpoint = "import_caps")]
pub async fn import_caps() -> Result<Caps, AppError> {
    let state = app_state()?;
    auth::require(&state, Permission::ManageLearners).await?;
    Ok(state.settings.import_caps)
}

/// Which of a file's addresses are learners already or have a pending invitation (one call for
/// the whole file).
#[server(prefix = "/api", endpoint = "lookup_emails", input = Json)]
pub async fn lookup_emails(emails: Vec<String>) -> Result<KnownEmails, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::imports::lookup(&state, &actor, &emails).await
}

/// Starts an upload; `key` (chosen by the browser) makes starting it twice find the same one.
#[server(prefix = "/api", endpoint = "start_import", input = Json)]
pub async fn start_import(
    key: String,
    file_name: String,
    total_rows: usize,
    role: Role,
    team_ids: Vec<TeamId>,
    send_email: bool,
    /// The rows the preview left out, with why.
    #[server(default)]
    left_out: Vec<LeftOutLine>,
    /// The upload's personal message; absent: the academy's default (Settings → Invitations).
    #[server(default)]
    message: Option<String>,
) -> Result<ImportId, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    let academy = repo::academies::by_id(&state.db.pool, actor.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let message = services::invites::message_of(&academy, message.as_deref())?;
    let start = services::imports::StartImport {
        key: &key,
        request_hash: None,
        file_name: &file_name,
        total_rows,
        role,
        team_ids: &team_ids,
        send_email,
        message: &message,
    };
    services::imports::start(&state, &actor, &academy, &start, &left_out).await
}

/// One chunk of ready rows (at most 5,000); sending a chunk again changes nothing.
#[server(prefix = "/api", endpoint = "import_chunk", input = Json)]
pub async fn import_chunk(
    import_id: ImportId,
    lines: Vec<ImportLine>,
) -> Result<Vec<ImportLineResult>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::imports::chunk(&state, &actor, import_id, &lines).await
}

#[server(prefix = "/api", endpoint = "finish_import")]
pub async fn finish_import(import_id: ImportId) -> Result<ImportSummary, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::imports::finish(&state, &actor, import_id).await
}

/// The import history: recent uploads with their counts.
#[server(prefix = "/api", endpoint = "list_imports")]
pub async fn list_imports() -> Result<Vec<ImportSummary>, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::imports::history(&state, &actor).await
}

/// An upload's per-row result report, as CSV text.
#[server(prefix = "/api", endpoint = "import_report")]
pub async fn import_report(import_id: ImportId) -> Result<String, AppError> {
    let state = app_state()?;
    let actor = auth::require(&state, Permission::ManageLearners).await?;
    services::imports::report(&state, &actor, import_id).await
}
