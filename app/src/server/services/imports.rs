//! "Upload CSV File" on the server: the browser reads and previews the file with
//! `domain::csv_import` and sends the ready rows in chunks; each chunk is checked again with the
//! same code and committed in one transaction with batched statements. A chunk sent twice (a
//! network retry, a double click) is answered from what was recorded, never done twice.

use std::collections::HashMap;

use crate::domain::{AcademyId, ApiClientId, ImportId, TeamId, UserId};
use crate::{
    domain::{
        csv_import::{self, write::to_csv},
        email::Email,
        invite::{InviteSource, LineOutcome},
        invite_message::PersonalMessage,
        role::Role,
    },
    error::AppError,
    model::{ImportLine, ImportLineResult, ImportSummary, KnownEmails, LeftOutLine},
    server::{
        auth::SessionUser,
        db::{Tx, now_ms},
        repo::{
            self,
            academies::AcademyRow,
            imports::{Holders, ImportRow, LineRow, NewImport},
        },
        services::invites::check_role_and_teams,
        state::AppState,
    },
};

mod lines;

use lines::{handle_lines, in_order};

/// The most rows one chunk may carry.
pub const MAX_CHUNK: usize = 5_000;
/// How many uploads the history lists.
pub const HISTORY: i64 = 50;

fn not_found() -> AppError {
    AppError::NotFound("This import does not exist.".into())
}

/// Which of `emails` the academy knows: learners and pending invitations. Unreadable addresses
/// are left out (the preview reports them itself).
pub async fn lookup(
    state: &AppState,
    actor: &SessionUser,
    emails: &[String],
) -> Result<KnownEmails, AppError> {
    let caps = state.settings.import_caps;
    if emails.len() > caps.max_rows {
        return Err(AppError::PayloadTooLarge(format!(
            "At most {} addresses can be looked up at once.",
            csv_import::thousands(caps.max_rows)
        )));
    }
    let mut wanted: Vec<String> = emails
        .iter()
        .filter_map(|e| Email::parse(e).ok())
        .map(|e| e.as_str().to_string())
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut conn = state.db.pool.acquire().await?;
    let (users, invites) =
        repo::imports::known_emails(&mut conn, actor.academy_id, &wanted).await?;
    Ok(KnownEmails {
        accounts: with_roles(users),
        pending: with_roles(invites),
    })
}

/// Each address of `rows` with its role.
fn with_roles<Id>(rows: Holders<Id>) -> Vec<(String, Role)> {
    rows.into_iter().map(|(_, e, role)| (e, role)).collect()
}

pub struct StartImport<'a> {
    pub key: &'a str,
    /// API calls with an Idempotency-Key: a fingerprint of the options (see `run_whole`).
    pub request_hash: Option<&'a str>,
    pub file_name: &'a str,
    pub total_rows: usize,
    pub role: Role,
    pub team_ids: &'a [TeamId],
    pub send_email: bool,
    /// The batch's personal message, already resolved (`invites::message_of`).
    pub message: &'a PersonalMessage,
}

/// Who runs an import: an admin uploading a file, or an API client's `inviteLearners` call.
#[derive(Debug, Clone, Copy)]
pub struct Importer {
    pub academy_id: AcademyId,
    /// The admin; none for an API client.
    pub user_id: Option<UserId>,
    pub api_client_id: Option<ApiClientId>,
}

impl Importer {
    pub fn admin(actor: &SessionUser) -> Importer {
        Importer {
            academy_id: actor.academy_id,
            user_id: Some(actor.user.id),
            api_client_id: None,
        }
    }

    fn source(&self) -> InviteSource {
        if self.api_client_id.is_some() {
            InviteSource::Api
        } else {
            InviteSource::Csv
        }
    }
}

/// A key the browser chooses for one upload or bulk action (or derived for the API): 8–64
/// letters, digits or dashes. `what` names it: "The upload's key".
pub(crate) fn check_key(key: &str, what: &str) -> Result<(), AppError> {
    if key.len() < 8
        || key.len() > 64
        || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(AppError::BadRequest(format!(
            "{what} must be 8–64 letters, digits or dashes."
        )));
    }
    Ok(())
}

/// Longest text kept of a left-out line's fields and reason.
const LEFT_OUT_TEXT_CHARS: usize = 300;

/// Starts an upload (or finds the one started with the same key); returns its id. `left_out`:
/// the rows the preview left out, recorded as skipped with their reasons (once, however often the
/// upload is started again).
pub async fn start(
    state: &AppState,
    actor: &SessionUser,
    academy: &AcademyRow,
    s: &StartImport<'_>,
    left_out: &[LeftOutLine],
) -> Result<ImportId, AppError> {
    check_key(s.key, "The upload's key")?;
    if s.total_rows == 0 {
        return Err(AppError::invalid(
            "rows",
            "The file has no rows ready to invite.",
        ));
    }
    let caps = state.settings.import_caps;
    if s.total_rows > caps.max_rows {
        return Err(AppError::PayloadTooLarge(format!(
            "The file has {} rows ready; at most {} can be imported at once. Split it into smaller files.",
            csv_import::thousands(s.total_rows),
            csv_import::thousands(caps.max_rows)
        )));
    }
    if left_out.len() > caps.max_rows {
        return Err(AppError::PayloadTooLarge(format!(
            "The file has {} rows left out; at most {} can be imported at once. Split it into smaller files.",
            csv_import::thousands(left_out.len()),
            csv_import::thousands(caps.max_rows)
        )));
    }
    let team_ids = check_role_and_teams(state, academy, s.role, s.team_ids).await?;
    let file_name: String = s.file_name.trim().chars().take(200).collect();
    let mut tx = state.db.write().await?;
    let import = start_in(
        &mut tx,
        Importer::admin(actor),
        &StartImport {
            file_name: if file_name.is_empty() {
                "upload.csv"
            } else {
                &file_name
            },
            team_ids: &team_ids,
            total_rows: s.total_rows + left_out.len(),
            ..*s
        },
        now_ms(),
    )
    .await?;
    let untouched = import.invited + import.updated + import.existing + import.skipped == 0;
    if untouched && !left_out.is_empty() {
        let lines: Vec<i64> = left_out.iter().map(|l| i64::from(l.line)).collect();
        if repo::imports::lines_done(&mut tx, import.id, &lines)
            .await?
            .is_empty()
        {
            let cut = |t: &str| {
                t.trim()
                    .chars()
                    .take(LEFT_OUT_TEXT_CHARS)
                    .collect::<String>()
            };
            let rows: Vec<LineRow> = left_out
                .iter()
                .map(|l| LineRow {
                    line: i64::from(l.line),
                    email: cut(&l.person.email),
                    first_name: cut(&l.person.first_name),
                    last_name: cut(&l.person.last_name),
                    outcome: LineOutcome::Invalid,
                    invite_id: None,
                    added_to_teams: 0,
                    message: Some(format!("Left out in the preview: {}", cut(&l.reason))),
                })
                .collect();
            repo::imports::record_lines(&mut tx, import.id, &rows).await?;
            repo::imports::add_counts(&mut *tx, import.id, [0, 0, 0, 0, rows.len() as i64]).await?;
        }
    }
    tx.commit().await?;
    Ok(import.id)
}

/// Records the start of an import whose role and teams are already checked; an import with the
/// same key is found instead. The row is locked until the transaction ends.
pub(crate) async fn start_in(
    tx: &mut Tx,
    by: Importer,
    s: &StartImport<'_>,
    now: i64,
) -> Result<ImportRow, AppError> {
    let teams = s
        .team_ids
        .iter()
        .map(TeamId::to_string)
        .collect::<Vec<_>>()
        .join(",");
    Ok(repo::imports::start(
        tx,
        &NewImport {
            academy_id: by.academy_id,
            key: s.key,
            file_name: s.file_name,
            created_by: by.user_id,
            source: by.source(),
            api_client_id: by.api_client_id,
            request_hash: s.request_hash,
            role: s.role.as_str(),
            send_email: s.send_email,
            team_ids: &teams,
            total_rows: s.total_rows as i64,
            message: s.message.as_str(),
        },
        now,
    )
    .await?)
}

/// A whole import in the caller's transaction (the API's `inviteLearners`): started, handled and
/// finished at once. The same import (same key) made again answers what was recorded the first
/// time and does nothing — unless the first was started before `fresh_after`.
pub(crate) async fn run_whole(
    state: &AppState,
    tx: &mut Tx,
    by: Importer,
    s: &StartImport<'_>,
    lines: &[ImportLine],
    fresh_after: i64,
) -> Result<(Vec<ImportLineResult>, bool), AppError> {
    let now = now_ms();
    let mut import = start_in(tx, by, s, now).await?;
    if import.created_at < fresh_after {
        // The same call long ago: its key is freed and this is a new import.
        repo::api_queries::retire_import_key(&mut **tx, by.academy_id, s.key, fresh_after).await?;
        import = start_in(tx, by, s, now).await?;
    }
    if import.request_hash.as_deref() != s.request_hash {
        return Err(AppError::invalid(
            "Idempotency-Key",
            "This Idempotency-Key was already used for a call with other options. Use a new key for a new call.",
        ));
    }
    if import.finished_at.is_some() {
        let wanted: Vec<i64> = lines.iter().map(|l| i64::from(l.line)).collect();
        let done: HashMap<i64, LineRow> = repo::imports::lines_done(tx, import.id, &wanted)
            .await?
            .into_iter()
            .map(|r| (r.line, r))
            .collect();
        return Ok((in_order(lines, &done)?, false));
    }
    let id = import.id;
    let (results, queued) = handle_lines(state, tx, by, import, lines).await?;
    repo::imports::finish(&mut **tx, id, now).await?;
    Ok((results, queued))
}

/// Handles one chunk of ready rows in one transaction; returns a result per line, in the order sent.
pub async fn chunk(
    state: &AppState,
    actor: &SessionUser,
    import_id: ImportId,
    lines: &[ImportLine],
) -> Result<Vec<ImportLineResult>, AppError> {
    if lines.len() > MAX_CHUNK {
        return Err(AppError::PayloadTooLarge(format!(
            "At most {MAX_CHUNK} rows per request."
        )));
    }
    let mut tx = state.db.write().await?;
    let (results, queued) =
        chunk_in(state, &mut tx, Importer::admin(actor), import_id, lines).await?;
    tx.commit().await?;
    if queued {
        state.outbox_wakeup.notify_one();
    }
    Ok(results)
}

/// The work of `chunk` inside the caller's transaction; also says whether emails were queued.
pub(crate) async fn chunk_in(
    state: &AppState,
    tx: &mut Tx,
    by: Importer,
    import_id: ImportId,
    lines: &[ImportLine],
) -> Result<(Vec<ImportLineResult>, bool), AppError> {
    let import = repo::imports::lock(&mut **tx, by.academy_id, import_id)
        .await?
        .ok_or_else(not_found)?;
    handle_lines(state, tx, by, import, lines).await
}

fn summary(
    row: repo::imports::ImportRow,
    first: Option<String>,
    last: Option<String>,
) -> ImportSummary {
    let by = crate::model::full_name(
        first.as_deref().unwrap_or_default(),
        last.as_deref().unwrap_or_default(),
    );
    ImportSummary {
        id: row.id,
        file_name: row.file_name,
        created_by: if by.is_empty() { "—".into() } else { by },
        created_at: row.created_at,
        finished_at: row.finished_at,
        total_rows: row.total_rows,
        invited: row.invited,
        updated: row.updated,
        existing: row.existing,
        added_to_teams: row.added_to_teams,
        skipped: row.skipped,
    }
}

/// Ends an upload; returns its summary.
pub async fn finish(
    state: &AppState,
    actor: &SessionUser,
    import_id: ImportId,
) -> Result<ImportSummary, AppError> {
    let mut tx = state.db.write().await?;
    repo::imports::lock(&mut *tx, actor.academy_id, import_id)
        .await?
        .ok_or_else(not_found)?;
    repo::imports::finish(&mut *tx, import_id, now_ms()).await?;
    tx.commit().await?;
    repo::imports::recent(&state.db.pool, actor.academy_id, 1, Some(import_id))
        .await?
        .pop()
        .map(|(row, first, last)| summary(row, first, last))
        .ok_or_else(not_found)
}

/// The academy's recent uploads, newest first.
pub async fn history(
    state: &AppState,
    actor: &SessionUser,
) -> Result<Vec<ImportSummary>, AppError> {
    Ok(
        repo::imports::recent(&state.db.pool, actor.academy_id, HISTORY, None)
            .await?
            .into_iter()
            .map(|(row, first, last)| summary(row, first, last))
            .collect(),
    )
}

/// The per-row result report of an upload as CSV (formula-neutralised).
pub async fn report(
    state: &AppState,
    actor: &SessionUser,
    import_id: ImportId,
) -> Result<String, AppError> {
    let import = repo::imports::by_id(&state.db.pool, actor.academy_id, import_id)
        .await?
        .ok_or_else(not_found)?;
    let lines = repo::imports::all_lines(&state.db.pool, import.id).await?;
    let mut rows = vec![vec![
        "Line".to_string(),
        "Email address".into(),
        "First name".into(),
        "Last name".into(),
        "Result".into(),
        "Details".into(),
    ]];
    for l in lines {
        let (result, details) = match l.outcome {
            LineOutcome::Invited => ("Invited", String::new()),
            LineOutcome::AlreadyInvited => ("Already invited — invitation renewed", String::new()),
            LineOutcome::AlreadyLearner if l.added_to_teams > 0 => (
                "Already a learner",
                format!("Added to {} team(s); nothing sent", l.added_to_teams),
            ),
            LineOutcome::AlreadyLearner => ("Already a learner", "Nothing sent".to_string()),
            LineOutcome::Invalid => ("Skipped", l.message.clone().unwrap_or_default()),
        };
        rows.push(vec![
            l.line.to_string(),
            l.email,
            l.first_name,
            l.last_name,
            result.to_string(),
            details,
        ]);
    }
    Ok(to_csv(rows))
}
