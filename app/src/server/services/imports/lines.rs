//! One chunk of an import's lines (an upload's chunk, the API's `inviteLearners`), handled in the
//! caller's transaction in four named phases:
//!
//! 1. **check**: lines already recorded are answered from the record; each new line is checked
//!    with the preview's own rules (`csv_import::check_rows`) and parsed once;
//! 2. **decide** and 3. **write**, shared with the invite form (`services::invite_batch`): what the
//!    academy holds for each address (one look-up for the chunk), `invite_decision::decide` per
//!    line (an address met in an earlier chunk is refused), then learners join the teams, pending
//!    invitations are renewed, and new invitations, their teams, links and emails are inserted —
//!    a few statements for the whole chunk;
//! 4. **record**: every line's outcome, the import's counts and one audit entry.

use std::collections::{HashMap, HashSet};

use crate::{
    domain::{
        csv_import::{self, RowStatus},
        invite::{InviteeInput, LineOutcome},
        invite_message::PersonalMessage,
    },
    error::AppError,
    model::{ImportLine, ImportLineResult},
    server::{
        db::{Tx, now_ms},
        repo::{
            self,
            imports::{ImportRow, LineRow},
        },
        services::{
            invite_batch::{Chunk, Line, carry_out, invalid_line, outcome_of},
            invites::expiry_from,
        },
        state::AppState,
    },
};

use super::Importer;

/// Handles `lines` of `import`, locked by the caller's transaction: a result per line in the order
/// sent, and whether emails were queued.
pub(super) async fn handle_lines(
    state: &AppState,
    tx: &mut Tx,
    by: Importer,
    import: ImportRow,
    lines: &[ImportLine],
) -> Result<(Vec<ImportLineResult>, bool), AppError> {
    if import.finished_at.is_some() {
        return Err(AppError::Conflict {
            message: "This import is finished. Upload the file again to import more.".into(),
            field: None,
        });
    }
    let now = now_ms();
    let chunk = Chunk {
        by,
        role: import.role,
        source: import.source,
        send_email: import.send_email != 0,
        // Teams deleted since the upload started are left out, not failed on.
        team_ids: repo::teams::existing_ids(&mut **tx, by.academy_id, &import.wanted_teams())
            .await?,
        message: PersonalMessage::from_stored(import.message.clone()),
        expires_at: expiry_from(&mut **tx, by.academy_id, now).await?,
        now,
    };
    // Nothing recorded yet (a new import, an API call): no earlier line or address to find.
    let fresh_import = import.invited + import.updated + import.existing + import.skipped == 0;

    let checked = check(state, tx, &import, fresh_import, lines).await?;
    let Checked {
        done,
        mut results,
        valid,
    } = checked;
    let earlier_chunks = (!fresh_import).then_some(import.id);
    let added_to_teams = carry_out(state, tx, &chunk, earlier_chunks, valid, &mut results).await?;
    let queued = record(tx, &chunk, &import, &results, added_to_teams).await?;

    let mut by_line = done;
    by_line.extend(results.into_iter().map(|r| (r.line, r)));
    Ok((in_order(lines, &by_line)?, queued))
}

/// The check phase's answer.
struct Checked<'a> {
    /// Lines this import recorded before (a chunk sent again): answered from the record.
    done: HashMap<i64, LineRow>,
    /// Lines refused so far, with their reason.
    results: Vec<LineRow>,
    /// Lines that passed, each parsed once.
    valid: Vec<Line<'a>>,
}

/// Phase 1: what was recorded already, and every new line checked and parsed.
async fn check<'a>(
    state: &AppState,
    tx: &mut Tx,
    import: &ImportRow,
    fresh_import: bool,
    lines: &'a [ImportLine],
) -> Result<Checked<'a>, AppError> {
    let done: HashMap<i64, LineRow> = if fresh_import {
        HashMap::new()
    } else {
        let numbers: Vec<i64> = lines.iter().map(|l| i64::from(l.line)).collect();
        repo::imports::lines_done(tx, import.id, &numbers)
            .await?
            .into_iter()
            .map(|r| (r.line, r))
            .collect()
    };
    let mut seen_lines = HashSet::new();
    let todo: Vec<&ImportLine> = lines
        .iter()
        .filter(|l| !done.contains_key(&i64::from(l.line)) && seen_lines.insert(l.line))
        .collect();
    let rows: Vec<(usize, InviteeInput)> = todo
        .iter()
        .map(|l| (l.line as usize, l.person.clone()))
        .collect();
    let statuses = csv_import::check_rows(&rows, &state.settings.import_caps);

    let mut results = Vec::with_capacity(todo.len());
    let mut valid = Vec::with_capacity(todo.len());
    for (l, status) in todo.into_iter().zip(statuses) {
        let (line, person) = (i64::from(l.line), &l.person);
        let refused = match status {
            RowStatus::Ready => match person.parse() {
                Ok(p) => {
                    valid.push((line, p, person));
                    continue;
                }
                Err(reason) => reason,
            },
            RowStatus::Problem(reason) => reason,
            RowStatus::Duplicate { first_line } => {
                format!("The same address is on line {first_line}")
            }
            RowStatus::Empty => "The row is empty".into(),
        };
        results.push(invalid_line(line, person, refused));
    }
    Ok(Checked {
        done,
        results,
        valid,
    })
}

/// Phase 4: every line's outcome, the import's counts and one audit entry for the chunk. Answers
/// whether emails were queued.
async fn record(
    tx: &mut Tx,
    chunk: &Chunk,
    import: &ImportRow,
    results: &[LineRow],
    added_to_teams: i64,
) -> Result<bool, AppError> {
    repo::imports::record_lines(tx, import.id, results).await?;
    let count = |o: LineOutcome| results.iter().filter(|r| r.outcome == o).count() as i64;
    let (invited, renewed, learners, skipped) = (
        count(LineOutcome::Invited),
        count(LineOutcome::AlreadyInvited),
        count(LineOutcome::AlreadyLearner),
        count(LineOutcome::Invalid),
    );
    let counts = [invited, renewed, learners, added_to_teams, skipped];
    repo::imports::add_counts(&mut **tx, import.id, counts).await?;
    if !results.is_empty() {
        let by = chunk.by;
        let action = if by.api_client_id.is_some() {
            "invite.api"
        } else {
            "invite.imported"
        };
        let detail = format!(
            "{invited} invited, {renewed} renewed, {learners} already learners, {skipped} skipped"
        );
        repo::audit::record_with_detail(
            &mut **tx,
            by.academy_id,
            by.user_id,
            action,
            &import.file_name,
            &detail,
            chunk.now,
        )
        .await?;
    }
    Ok(chunk.send_email && invited + renewed > 0)
}

/// The recorded result of each of `lines`, in their order.
pub(super) fn in_order(
    lines: &[ImportLine],
    recorded: &HashMap<i64, LineRow>,
) -> Result<Vec<ImportLineResult>, AppError> {
    lines
        .iter()
        .filter_map(|l| recorded.get(&i64::from(l.line)))
        .map(|r| {
            Ok(ImportLineResult {
                line: r.line as u32,
                email: r.email.clone(),
                outcome: outcome_of(r)?,
            })
        })
        .collect()
}
