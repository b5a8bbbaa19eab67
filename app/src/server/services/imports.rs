//! "Upload CSV File" on the server: the browser reads and previews the file with
//! `domain::csv_import` and sends the ready rows in chunks; each chunk is checked again with the
//! same code and committed in one transaction with batched statements. A chunk sent twice (a
//! network retry, a double click) is answered from what was recorded, never done twice.

use std::collections::{HashMap, HashSet};

use crate::{
    domain::{
        csv_import::{self, RowStatus, write::to_csv},
        email::Email,
        invite::{InviteSource, Invitee, InviteeInput, LineOutcome},
        invite_decision::{Decision, OnFile, decide},
        invite_message::PersonalMessage,
        role::Role,
    },
    error::AppError,
    model::{ImportLine, ImportLineResult, ImportSummary, InviteOutcome, KnownEmails, LeftOutLine},
    server::{
        auth::SessionUser,
        db::{Tx, now_ms},
        repo::{
            self,
            academies::AcademyRow,
            imports::{Holders, ImportRow, LineRow, NewImport, NewInviteRow, NewToken},
        },
        services::invites::{
            NewLink, check_role_and_teams, expiry_from, invite_message_id, renew_link,
        },
        state::AppState,
        tokens,
    },
};

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
    let emails = |rows: Holders| rows.into_iter().map(|(_, e, role)| (e, role)).collect();
    Ok(KnownEmails {
        accounts: emails(users),
        pending: emails(invites),
    })
}

pub struct StartImport<'a> {
    pub key: &'a str,
    /// API calls with an Idempotency-Key: a fingerprint of the options (see `run_whole`).
    pub request_hash: Option<&'a str>,
    pub file_name: &'a str,
    pub total_rows: usize,
    pub role: Role,
    pub team_ids: &'a [i64],
    pub send_email: bool,
    /// The batch's personal message, already resolved (`invites::message_of`).
    pub message: &'a PersonalMessage,
}

/// Who runs an import: an admin uploading a file, or an API client's `inviteLearners` call.
#[derive(Debug, Clone, Copy)]
pub struct Importer {
    pub academy_id: i64,
    /// The admin; none for an API client.
    pub user_id: Option<i64>,
    pub api_client_id: Option<i64>,
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
) -> Result<i64, AppError> {
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
        .map(i64::to_string)
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
        return Ok((in_order(lines, &done), false));
    }
    let id = import.id;
    let (results, queued) = handle_lines(state, tx, by, import, lines).await?;
    repo::imports::finish(&mut **tx, id, now).await?;
    Ok((results, queued))
}

/// The recorded result of each of `lines`, in their order.
fn in_order(lines: &[ImportLine], recorded: &HashMap<i64, LineRow>) -> Vec<ImportLineResult> {
    lines
        .iter()
        .filter_map(|l| recorded.get(&i64::from(l.line)))
        .map(|r| ImportLineResult {
            line: r.line as u32,
            email: r.email.clone(),
            outcome: outcome_of(r),
        })
        .collect()
}

fn outcome_of(row: &LineRow) -> InviteOutcome {
    match row.outcome {
        LineOutcome::Invited => InviteOutcome::Invited {
            invite_id: row.invite_id.unwrap_or_default(),
        },
        LineOutcome::AlreadyInvited => InviteOutcome::AlreadyInvited {
            invite_id: row.invite_id.unwrap_or_default(),
        },
        LineOutcome::AlreadyLearner => InviteOutcome::AlreadyLearner {
            added_to_teams: u32::try_from(row.added_to_teams).unwrap_or(0),
        },
        LineOutcome::Invalid => InviteOutcome::Invalid {
            message: row.message.clone().unwrap_or_default(),
        },
    }
}

fn invalid_line(line: i64, person: &InviteeInput, message: String) -> LineRow {
    LineRow {
        line,
        email: person.email.trim().to_string(),
        first_name: person.first_name.trim().to_string(),
        last_name: person.last_name.trim().to_string(),
        outcome: LineOutcome::Invalid,
        invite_id: None,
        added_to_teams: 0,
        message: Some(message),
    }
}

/// A line that was handled: `outcome` is invited, already_invited or already_learner.
fn handled(
    line: i64,
    p: &Invitee,
    outcome: LineOutcome,
    invite_id: Option<i64>,
    added_to_teams: i64,
) -> LineRow {
    LineRow {
        line,
        email: p.email.as_str().to_string(),
        first_name: p.first_name.as_str().to_string(),
        last_name: p.last_name.clone(),
        outcome,
        invite_id,
        added_to_teams,
        message: None,
    }
}

/// Handles one chunk of ready rows in one transaction; returns a result per line, in the order sent.
pub async fn chunk(
    state: &AppState,
    actor: &SessionUser,
    import_id: i64,
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
    import_id: i64,
    lines: &[ImportLine],
) -> Result<(Vec<ImportLineResult>, bool), AppError> {
    let import = repo::imports::lock(&mut **tx, by.academy_id, import_id)
        .await?
        .ok_or_else(not_found)?;
    handle_lines(state, tx, by, import, lines).await
}

/// Handles `lines` of `import`, locked by the caller's transaction.
async fn handle_lines(
    state: &AppState,
    tx: &mut Tx,
    by: Importer,
    import: ImportRow,
    lines: &[ImportLine],
) -> Result<(Vec<ImportLineResult>, bool), AppError> {
    let caps = state.settings.import_caps;
    let now = now_ms();
    let expires_at = expiry_from(&mut **tx, by.academy_id, now).await?;
    if import.finished_at.is_some() {
        return Err(AppError::Conflict {
            message: "This import is finished. Upload the file again to import more.".into(),
            field: None,
        });
    }
    let role: Role = import.role;
    let send_email = import.send_email != 0;
    let wanted_teams: Vec<i64> = import
        .team_ids
        .split(',')
        .filter_map(|t| t.parse().ok())
        .collect();
    // Teams deleted since the upload started are left out, not failed on.
    let team_ids = repo::teams::existing_ids(&mut **tx, by.academy_id, &wanted_teams).await?;

    // Nothing recorded yet (a new import, an API call): no earlier line to find.
    let fresh_import = import.invited + import.updated + import.existing + import.skipped == 0;
    let line_numbers: Vec<i64> = lines.iter().map(|l| i64::from(l.line)).collect();
    let done: HashMap<i64, LineRow> = if fresh_import {
        HashMap::new()
    } else {
        repo::imports::lines_done(tx, import.id, &line_numbers)
            .await?
            .into_iter()
            .map(|r| (r.line, r))
            .collect()
    };
    let mut seen_lines = HashSet::new();
    let todo: Vec<(usize, InviteeInput)> = lines
        .iter()
        .filter(|l| !done.contains_key(&i64::from(l.line)) && seen_lines.insert(l.line))
        .map(|l| (l.line as usize, l.person.clone()))
        .collect();
    let statuses = csv_import::check_rows(&todo, &caps);

    let mut results: Vec<LineRow> = Vec::with_capacity(todo.len());
    // Each ready row is parsed once; everything below uses the parsed person.
    let mut valid: Vec<(i64, Invitee, &InviteeInput)> = Vec::new();
    for ((line, person), status) in todo.iter().zip(statuses) {
        let line = *line as i64;
        match status {
            RowStatus::Ready => match person.parse() {
                Ok(p) => valid.push((line, p, person)),
                Err(reason) => results.push(invalid_line(line, person, reason)),
            },
            RowStatus::Problem(reason) => results.push(invalid_line(line, person, reason)),
            RowStatus::Duplicate { first_line } => results.push(invalid_line(
                line,
                person,
                format!("The same address is on line {first_line}"),
            )),
            RowStatus::Empty => results.push(invalid_line(line, person, "The row is empty".into())),
        }
    }
    // The same address in an earlier chunk of this upload.
    let emails: Vec<String> = valid
        .iter()
        .map(|(_, p, _)| p.email.as_str().to_string())
        .collect();
    let earlier: HashMap<String, i64> = if fresh_import {
        HashMap::new()
    } else {
        repo::imports::emails_seen(tx, import.id, &emails)
            .await?
            .into_iter()
            .collect()
    };
    let (users, pending) = repo::imports::known_emails(tx, by.academy_id, &emails).await?;
    let holder = |rows: Holders| -> HashMap<String, (Role, i64)> {
        rows.into_iter()
            .map(|(id, e, role)| (e, (role, id)))
            .collect()
    };
    let (users, pending) = (holder(users), holder(pending));

    let mut existing = Vec::new();
    let mut renew = Vec::new();
    let mut fresh = Vec::new();
    for (line, p, person) in valid {
        let email = p.email.as_str();
        if let Some(first) = earlier.get(email) {
            results.push(invalid_line(
                line,
                person,
                format!("The same address is on line {first}"),
            ));
            continue;
        }
        let on_file = OnFile {
            account: users.get(email).copied(),
            pending: pending.get(email).copied(),
        };
        match decide(role, on_file) {
            Decision::JoinTeams(user_id) => existing.push((line, p, user_id)),
            Decision::Renew(invite_id) => renew.push((line, p, invite_id)),
            Decision::Invite => fresh.push((line, p)),
            Decision::Refuse(why) => results.push(invalid_line(line, person, why.message(email))),
        }
    }

    // Already learners: into the chosen teams, nothing sent.
    let user_ids: Vec<i64> = existing.iter().map(|e| e.2).collect();
    let added = repo::imports::add_members(tx, by.academy_id, &user_ids, &team_ids, now).await?;
    let mut added_per_user: HashMap<i64, i64> = HashMap::new();
    for u in added {
        *added_per_user.entry(u).or_default() += 1;
    }
    for (line, p, user_id) in &existing {
        let added = added_per_user.get(user_id).copied().unwrap_or(0);
        results.push(handled(*line, p, LineOutcome::AlreadyLearner, None, added));
    }

    // Pending invitations: renewed with the file's names and the upload's role, given the teams,
    // and their link (a new one unless the latest is minutes old: `renew_link`), one at a time.
    let message = PersonalMessage::from_stored(import.message.clone());
    for (line, p, invite_id) in &renew {
        let renewal = repo::invites::Renewal {
            first_name: p.first_name.as_str(),
            last_name: &p.last_name,
            role,
            message: &message,
            expires_at,
        };
        repo::invites::update_pending(&mut **tx, *invite_id, &renewal, now).await?;
        repo::invites::add_teams(tx, *invite_id, &team_ids).await?;
        let link = NewLink {
            academy_id: by.academy_id,
            invite_id: *invite_id,
            email: p.email.as_str(),
            expires_at,
            now,
        };
        renew_link(state, tx, &link, send_email).await?;
        results.push(handled(
            *line,
            p,
            LineOutcome::AlreadyInvited,
            Some(*invite_id),
            0,
        ));
    }

    // New invitations: a few statements for the whole chunk.
    let new_rows: Vec<NewInviteRow> = fresh
        .iter()
        .map(|(_, p)| NewInviteRow {
            email: p.email.as_str(),
            first_name: p.first_name.as_str(),
            last_name: &p.last_name,
        })
        .collect();
    let batch = repo::imports::InviteBatch {
        academy_id: by.academy_id,
        role: role.as_str(),
        source: import.source,
        send_email,
        invited_by: by.user_id,
        message: message.as_str(),
        expires_at,
    };
    let inserted = repo::imports::insert_invites(tx, &batch, &new_rows, now).await?;
    let invite_of: HashMap<String, i64> = inserted.into_iter().map(|(id, e)| (e, id)).collect();
    let invite_ids: Vec<i64> = invite_of.values().copied().collect();
    repo::imports::add_invite_teams(tx, &invite_ids, &team_ids).await?;
    let new_tokens: Vec<NewToken> = invite_ids
        .iter()
        .map(|id| {
            let salt = tokens::new_salt();
            let token = tokens::derive_token(&state.settings.secret, &salt);
            NewToken {
                invite_id: *id,
                token_hash: tokens::token_hash(&state.settings.secret, &token),
                salt,
            }
        })
        .collect();
    let token_ids =
        repo::imports::insert_tokens(tx, by.academy_id, &new_tokens, now, expires_at).await?;
    if send_email {
        let email_of: HashMap<i64, &str> =
            invite_of.iter().map(|(e, id)| (*id, e.as_str())).collect();
        let mails: Vec<(i64, String, String)> = token_ids
            .iter()
            .map(|(token_id, invite_id)| {
                (
                    *token_id,
                    email_of
                        .get(invite_id)
                        .copied()
                        .unwrap_or_default()
                        .to_string(),
                    invite_message_id(state, *invite_id, *token_id),
                )
            })
            .collect();
        repo::imports::enqueue_invite_emails(tx, by.academy_id, &mails, now).await?;
    }
    for (line, p) in &fresh {
        let invite_id = invite_of.get(p.email.as_str()).copied();
        results.push(handled(*line, p, LineOutcome::Invited, invite_id, 0));
    }

    repo::imports::record_lines(tx, import.id, &results).await?;
    let count = |o: LineOutcome| results.iter().filter(|r| r.outcome == o).count() as i64;
    let counts = [
        count(LineOutcome::Invited),
        count(LineOutcome::AlreadyInvited),
        count(LineOutcome::AlreadyLearner),
        added_per_user.values().sum(),
        count(LineOutcome::Invalid),
    ];
    repo::imports::add_counts(&mut **tx, import.id, counts).await?;
    if !results.is_empty() {
        repo::audit::record_with_detail(
            &mut **tx,
            by.academy_id,
            by.user_id,
            if by.api_client_id.is_some() {
                "invite.api"
            } else {
                "invite.imported"
            },
            &import.file_name,
            &format!(
                "{} invited, {} renewed, {} already learners, {} skipped",
                counts[0], counts[1], counts[2], counts[4]
            ),
            now,
        )
        .await?;
    }
    let queued = send_email && counts[0] + counts[1] > 0;
    let mut by_line: HashMap<i64, LineRow> = done;
    by_line.extend(results.into_iter().map(|r| (r.line, r)));
    Ok((in_order(lines, &by_line), queued))
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
    import_id: i64,
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
    import_id: i64,
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
