//! Carrying out invitations in batches: what the academy holds for each address is looked up
//! once for the batch, `invite_decision::decide` says what happens to each, and the writes are a
//! few statements for the whole batch. The invite form (and "Invite to team", an administrator's
//! invitation, an approved access request), every chunk of an upload and the API's
//! `inviteLearners` all come through here; each records the outcome its own way.

use std::collections::HashMap;

use crate::domain::{ImportId, InviteId, InviteTokenId, TeamId, UserId};
use crate::{
    domain::{
        invite::{InviteSource, Invitee, InviteeInput, LineOutcome},
        invite_decision::{Decision, OnFile, decide},
        invite_message::PersonalMessage,
        role::Role,
    },
    error::AppError,
    model::InviteOutcome,
    server::{
        db::Tx,
        repo::{
            self,
            imports::{Holders, LineRow, NewInviteRow, NewToken},
        },
        services::{
            imports::Importer,
            invites::{NewLink, invite_message_id, renew_link},
        },
        state::AppState,
        tokens,
    },
};

/// What every line of a batch shares.
pub(crate) struct Chunk {
    pub by: Importer,
    pub role: Role,
    pub source: InviteSource,
    pub send_email: bool,
    pub team_ids: Vec<TeamId>,
    pub message: PersonalMessage,
    pub expires_at: i64,
    pub now: i64,
}

/// A line that passed the checks: its number, the person parsed, and the person as sent (for a
/// refusal, which records what was sent).
pub(crate) type Line<'a> = (i64, Invitee, &'a InviteeInput);

/// Decides every line (`earlier_chunks`: see `decide_lines`) and carries the decisions out; each
/// line's outcome goes to `results`. Answers how many team places learners were given.
pub(crate) async fn carry_out(
    state: &AppState,
    tx: &mut Tx,
    chunk: &Chunk,
    earlier_chunks: Option<ImportId>,
    valid: Vec<Line<'_>>,
    results: &mut Vec<LineRow>,
) -> Result<i64, AppError> {
    let decided = decide_lines(tx, chunk, earlier_chunks, valid, results).await?;
    write(state, tx, chunk, decided, results).await
}

/// The decide phase's answer: the lines to carry out, by what happens to them.
struct Decided<'a> {
    /// With the user's id: learners joining the teams.
    join: Vec<(Line<'a>, UserId)>,
    /// With the invitation's id: pending invitations to renew.
    renew: Vec<(Line<'a>, InviteId)>,
    /// New invitations.
    invite: Vec<Line<'a>>,
}

/// One look-up of what the academy holds for the chunk's addresses, then the one rule
/// (`invite_decision::decide`) per line; refusals go to `results`. With `earlier_chunks` (the
/// import's id), an address that an earlier chunk of the same import had is refused too. Only an
/// address the academy holds can be one: an earlier line left it with an account or a pending
/// invitation, so only those are looked up among the import's lines (none, for a file of new
/// people).
async fn decide_lines<'a>(
    tx: &mut Tx,
    chunk: &Chunk,
    earlier_chunks: Option<ImportId>,
    valid: Vec<Line<'a>>,
    results: &mut Vec<LineRow>,
) -> Result<Decided<'a>, AppError> {
    let emails: Vec<String> = valid
        .iter()
        .map(|(_, p, _)| p.email.as_str().to_string())
        .collect();
    let (users, pending) = repo::imports::known_emails(tx, chunk.by.academy_id, &emails).await?;
    let (users, pending) = (by_email(users), by_email(pending));
    let held: Vec<String> = users.keys().chain(pending.keys()).cloned().collect();
    let earlier: HashMap<String, i64> = match earlier_chunks {
        Some(import_id) if !held.is_empty() => repo::imports::emails_seen(tx, import_id, &held)
            .await?
            .into_iter()
            .collect(),
        _ => HashMap::new(),
    };

    let mut decided = Decided {
        join: vec![],
        renew: vec![],
        invite: vec![],
    };
    for line in valid {
        let (number, p, person) = &line;
        let email = p.email.as_str();
        if let Some(first) = earlier.get(email) {
            let why = format!("The same address is on line {first}");
            results.push(invalid_line(*number, person, why));
            continue;
        }
        let on_file = OnFile {
            account: users.get(email).copied(),
            pending: pending.get(email).copied(),
        };
        match decide(chunk.role, on_file) {
            Decision::JoinTeams(user_id) => decided.join.push((line, user_id)),
            Decision::Renew(invite_id) => decided.renew.push((line, invite_id)),
            Decision::Invite => decided.invite.push(line),
            Decision::Refuse(why) => {
                results.push(invalid_line(*number, person, why.message(email)));
            }
        }
    }
    Ok(decided)
}

/// Carries the decisions out; each handled line goes to `results`. Answers how many team
/// places learners were given.
///
/// On PostgreSQL another request may invite one of the addresses between the look-up and the
/// insert (SQLite's writers take turns, so there it cannot happen): the insert leaves such an
/// address out, and it is decided once more with what is on file now — usually a renewal of the
/// invitation the other request made.
async fn write(
    state: &AppState,
    tx: &mut Tx,
    chunk: &Chunk,
    decided: Decided<'_>,
    results: &mut Vec<LineRow>,
) -> Result<i64, AppError> {
    let mut added = join_teams(tx, chunk, &decided.join, results).await?;
    renew(state, tx, chunk, &decided.renew, results).await?;
    let raced = invite(state, tx, chunk, decided.invite, results).await?;
    if raced.is_empty() {
        return Ok(added);
    }
    let again = decide_lines(tx, chunk, None, raced, results).await?;
    added += join_teams(tx, chunk, &again.join, results).await?;
    renew(state, tx, chunk, &again.renew, results).await?;
    let raced = invite(state, tx, chunk, again.invite, results).await?;
    match raced.first() {
        None => Ok(added),
        Some((_, p, _)) => Err(AppError::Conflict {
            message: format!(
                "{} is being invited by someone else right now; try again.",
                p.email.as_str()
            ),
            field: None,
        }),
    }
}

/// Learners: into the chosen teams, nothing sent.
async fn join_teams(
    tx: &mut Tx,
    chunk: &Chunk,
    join: &[(Line<'_>, UserId)],
    results: &mut Vec<LineRow>,
) -> Result<i64, AppError> {
    let user_ids: Vec<UserId> = join.iter().map(|(_, user_id)| *user_id).collect();
    let added = repo::imports::add_members(
        tx,
        chunk.by.academy_id,
        &user_ids,
        &chunk.team_ids,
        chunk.now,
    )
    .await?;
    let mut added_per_user: HashMap<UserId, i64> = HashMap::new();
    for u in added {
        *added_per_user.entry(u).or_default() += 1;
    }
    for ((line, p, _), user_id) in join {
        let added = added_per_user.get(user_id).copied().unwrap_or(0);
        results.push(handled(*line, p, LineOutcome::AlreadyLearner, None, added));
    }
    Ok(added_per_user.values().sum())
}

/// Pending invitations: renewed with the file's names and the upload's role, given the teams, and
/// their link (a new one unless the latest is minutes old: `renew_link`), one at a time.
async fn renew(
    state: &AppState,
    tx: &mut Tx,
    chunk: &Chunk,
    renew: &[(Line<'_>, InviteId)],
    results: &mut Vec<LineRow>,
) -> Result<(), AppError> {
    for ((line, p, _), invite_id) in renew {
        let renewal = repo::invites::Renewal {
            first_name: p.first_name.as_str(),
            last_name: &p.last_name,
            role: chunk.role,
            message: &chunk.message,
            expires_at: chunk.expires_at,
        };
        repo::invites::update_pending(&mut **tx, *invite_id, &renewal, chunk.now).await?;
        repo::invites::add_teams(tx, *invite_id, &chunk.team_ids).await?;
        let link = NewLink {
            academy_id: chunk.by.academy_id,
            invite_id: *invite_id,
            email: p.email.as_str(),
            expires_at: chunk.expires_at,
            now: chunk.now,
        };
        renew_link(state, tx, &link, chunk.send_email).await?;
        let outcome = LineOutcome::AlreadyInvited;
        results.push(handled(*line, p, outcome, Some(*invite_id), 0));
    }
    Ok(())
}

/// New invitations: a few statements for the whole chunk (invitations, their teams, their links,
/// their emails). Answers the lines whose address another request has just invited (left out).
async fn invite<'a>(
    state: &AppState,
    tx: &mut Tx,
    chunk: &Chunk,
    invite: Vec<Line<'a>>,
    results: &mut Vec<LineRow>,
) -> Result<Vec<Line<'a>>, AppError> {
    if invite.is_empty() {
        return Ok(invite);
    }
    let new_rows: Vec<NewInviteRow> = invite
        .iter()
        .map(|(_, p, _)| NewInviteRow {
            email: p.email.as_str(),
            first_name: p.first_name.as_str(),
            last_name: &p.last_name,
        })
        .collect();
    let batch = repo::imports::InviteBatch {
        academy_id: chunk.by.academy_id,
        role: chunk.role.as_str(),
        source: chunk.source,
        send_email: chunk.send_email,
        invited_by: chunk.by.user_id,
        message: chunk.message.as_str(),
        expires_at: chunk.expires_at,
    };
    let inserted = repo::imports::insert_invites(tx, &batch, &new_rows, chunk.now).await?;
    let invite_of: HashMap<String, InviteId> =
        inserted.into_iter().map(|(id, e)| (e, id)).collect();
    let invite_ids: Vec<InviteId> = invite_of.values().copied().collect();
    repo::imports::add_invite_teams(tx, &invite_ids, &chunk.team_ids).await?;
    let new_tokens: Vec<NewToken> = invite_ids
        .iter()
        .map(|id| {
            let (salt, token_hash) = tokens::new_derived(&state.settings.secret);
            NewToken {
                invite_id: *id,
                salt,
                token_hash,
            }
        })
        .collect();
    let token_ids = repo::imports::insert_tokens(
        tx,
        chunk.by.academy_id,
        &new_tokens,
        (chunk.now, chunk.expires_at),
        chunk.send_email,
    )
    .await?;
    if chunk.send_email {
        let email_of: HashMap<InviteId, &str> =
            invite_of.iter().map(|(e, id)| (*id, e.as_str())).collect();
        let mails: Vec<(InviteTokenId, String, String)> = token_ids
            .iter()
            .map(|(token_id, invite_id)| {
                let email = email_of.get(invite_id).copied().unwrap_or_default();
                let message_id = invite_message_id(state, *invite_id, *token_id);
                (*token_id, email.to_string(), message_id)
            })
            .collect();
        repo::imports::enqueue_invite_emails(tx, chunk.by.academy_id, &mails, chunk.now).await?;
    }
    let (made, raced): (Vec<_>, Vec<_>) = invite
        .into_iter()
        .partition(|(_, p, _)| invite_of.contains_key(p.email.as_str()));
    for (line, p, _) in &made {
        let invite_id = invite_of.get(p.email.as_str()).copied();
        results.push(handled(*line, p, LineOutcome::Invited, invite_id, 0));
    }
    Ok(raced)
}

/// Rows that hold an address, by address: `(role, id)`.
fn by_email<Id>(rows: Holders<Id>) -> HashMap<String, (Role, Id)> {
    rows.into_iter()
        .map(|(id, e, role)| (e, (role, id)))
        .collect()
}

/// What a recorded line became, as the form and the API answer it. A line recorded as invited
/// names its invitation; one that does not is a broken row, an error rather than a made-up id.
pub(crate) fn outcome_of(row: &LineRow) -> Result<InviteOutcome, AppError> {
    let invite_id = || {
        row.invite_id.ok_or_else(|| {
            AppError::internal(format!(
                "line {} is recorded as {} without its invitation",
                row.line,
                row.outcome.as_str()
            ))
        })
    };
    Ok(match row.outcome {
        LineOutcome::Invited => InviteOutcome::Invited {
            invite_id: invite_id()?,
        },
        LineOutcome::AlreadyInvited => InviteOutcome::AlreadyInvited {
            invite_id: invite_id()?,
        },
        LineOutcome::AlreadyLearner => InviteOutcome::AlreadyLearner {
            added_to_teams: u32::try_from(row.added_to_teams).unwrap_or(0),
        },
        LineOutcome::Invalid => InviteOutcome::Invalid {
            message: row.message.clone().unwrap_or_default(),
        },
    })
}

pub(crate) fn invalid_line(line: i64, person: &InviteeInput, message: String) -> LineRow {
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
    invite_id: Option<InviteId>,
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
