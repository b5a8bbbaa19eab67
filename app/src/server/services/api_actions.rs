//! The actions of `POST /api/v1/`: `inviteLearners`, `addLearnersToTeams`, `getTeams`, `learners`
//! and `invites` here, the lifecycle actions (`deactivateLearners`, …) in `api_lifecycle`. Options
//! arrive as JSON (form-encoded calls are turned into the same JSON first, so numbers and booleans
//! may come as strings) and are read into the types of `model::api_v1`, which are also what the
//! actions answer with. Invitations go through the same import code as
//! "Upload CSV File": the same checks, the same batched statements, and a key that makes a
//! repeated call answer what the first did.

use std::{
    collections::{HashMap, HashSet},
    hash::Hash,
};

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{
    api_clients::ApiCaller,
    api_lifecycle,
    bulk::{InviteChange, LearnerChange},
    imports::{Importer, StartImport, run_whole},
};
use crate::domain::{AcademyId, InviteId, TeamId, UserId};
use crate::{
    domain::{
        account::StatusFilter,
        email::Email,
        invite::{InviteeInput, Progress},
        invite_message::PersonalMessage,
        role::{LEARNER_ROLES, Role},
    },
    error::AppError,
    model::{
        ImportLine, InviteOutcome,
        api_v1::{
            Action, AddLearnersToTeamsResult, Call, DeactivateLearnersResult, EmailsAndTeams,
            InvitationProgress, Invite, InviteLearnersOptions, InviteLearnersResult, InviteStatus,
            InvitesOptions, Items, Learner, LearnersOptions, MAX_ITEMS, MAX_LIMIT, MAX_TEAMS,
            ReactivateLearnersResult, Refusal, ResendInvitesResult, RevokeInvitesResult, Team,
            TeamRef, Text, Wanted, Whole,
        },
    },
    server::{
        db::{Precision, now_ms, parse_time, rfc3339},
        repo::{self, api_queries},
        state::AppState,
    },
};

/// How long a repeated `inviteLearners` call is answered from the first one.
pub const IDEMPOTENCY_WINDOW_MS: i64 = crate::domain::DAY_MS;

/// What an action answers.
pub enum Answer {
    /// The whole answer at once.
    Whole(Value),
    /// `learners` without a `limit`: every learner that matches, as one JSON array written a page at
    /// a time.
    EveryLearner(LearnerPages),
}

/// The whole answer: one JSON array of `items`.
fn whole<T: Serialize>(items: Vec<T>) -> Result<Answer, AppError> {
    serde_json::to_value(items)
        .map(Answer::Whole)
        .map_err(AppError::internal)
}

/// Runs `action` for `caller`. `idempotency_key` is the request's `Idempotency-Key` header.
pub async fn run(
    state: &AppState,
    caller: &ApiCaller,
    action: &str,
    options: &Value,
    idempotency_key: Option<&str>,
) -> Result<Answer, AppError> {
    let empty = Value::Object(Map::new());
    let options = match options {
        Value::Object(_) => options,
        Value::Null => &empty,
        Value::Array(a) if a.is_empty() => &empty,
        _ => {
            return Err(AppError::BadRequest(
                "\"options\" must be an object, e.g. {\"action\": \"getTeams\", \"options\": {}}"
                    .into(),
            ));
        }
    };
    let Some(parsed) = Action::parse(action) else {
        let supported: Vec<&str> = Action::ALL.map(Action::name).to_vec();
        return Err(AppError::BadRequest(if action.trim().is_empty() {
            format!(
                "\"action\" is missing. Supported actions: {}.",
                supported.join(", ")
            )
        } else {
            format!(
                "Unknown action {:?}. Supported actions: {}.",
                action.trim(),
                supported.join(", ")
            )
        }));
    };
    match Call::read(parsed, options)? {
        Call::InviteLearners(typed) => {
            whole(invite_learners(state, caller, options, typed, idempotency_key).await?)
        }
        Call::AddLearnersToTeams(typed) => whole(add_to_teams(state, caller, typed).await?),
        Call::GetTeams => whole(get_teams(state, caller).await?),
        Call::Learners(typed) => learners(state, caller, typed).await,
        Call::Invites(typed) => whole(invites(state, caller, typed).await?),
        Call::DeactivateLearners(typed) => whole(
            api_lifecycle::set_access::<DeactivateLearnersResult>(
                state,
                caller,
                typed,
                LearnerChange::Deactivate,
            )
            .await?,
        ),
        Call::ReactivateLearners(typed) => whole(
            api_lifecycle::set_access::<ReactivateLearnersResult>(
                state,
                caller,
                typed,
                LearnerChange::Reactivate,
            )
            .await?,
        ),
        Call::RemoveLearnersFromTeams(typed) => {
            whole(api_lifecycle::leave_teams(state, caller, typed).await?)
        }
        Call::ResendInvites(typed) => whole(
            api_lifecycle::change_invites::<ResendInvitesResult>(
                state,
                caller,
                typed,
                InviteChange::Resend,
            )
            .await?,
        ),
        Call::RevokeInvites(typed) => whole(
            api_lifecycle::change_invites::<RevokeInvitesResult>(
                state,
                caller,
                typed,
                InviteChange::Revoke,
            )
            .await?,
        ),
    }
}

/// `options.message`: the batch's personal message; absent or null: the academy's default.
async fn message_of(
    state: &AppState,
    caller: &ApiCaller,
    typed: Option<&str>,
) -> Result<PersonalMessage, AppError> {
    let academy = repo::academies::by_id(&state.db.pool, caller.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    super::invites::message_of(&academy, typed)
}

/// At most `max` items of `noun` in one call: 413 beyond.
pub(super) fn at_most(noun: &str, count: usize, max: usize) -> Result<(), AppError> {
    if count > max {
        return Err(AppError::PayloadTooLarge(format!(
            "At most {max} {noun} per call; this one has {count}. Split them into several calls."
        )));
    }
    Ok(())
}

/// The team ids of `options.teams`, checked against the academy: unknown ids are named.
pub(super) async fn teams_of(
    state: &AppState,
    caller: &ApiCaller,
    Items(mut ids): Items<TeamId>,
    required: bool,
) -> Result<Vec<TeamId>, AppError> {
    if ids.is_empty() && required {
        return Err(AppError::invalid(
            "teams",
            "options.teams is missing: give the team ids (getTeams lists them)",
        ));
    }
    at_most("teams", ids.len(), MAX_TEAMS)?;
    ids.sort_unstable();
    ids.dedup();
    let found: HashSet<TeamId> = repo::teams::existing_ids(&state.db.pool, caller.academy_id, &ids)
        .await?
        .into_iter()
        .collect();
    let unknown: Vec<String> = ids
        .iter()
        .filter(|id| !found.contains(id))
        .map(TeamId::to_string)
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::invalid(
            "teams",
            format!(
                "Unknown team {} {}: getTeams lists this academy's teams.",
                if unknown.len() == 1 { "id" } else { "ids" },
                unknown.join(", ")
            ),
        ));
    }
    Ok(ids)
}

/// The person of one item of `options.learners`, and the role they are invited with (or why
/// they cannot be).
fn person_of(wanted: &Wanted) -> (InviteeInput, Result<Role, String>) {
    let learner = match wanted {
        Wanted::Learner(learner) => learner,
        Wanted::NotAnObject(text) => {
            let person = InviteeInput {
                email: text.clone(),
                first_name: String::new(),
                last_name: String::new(),
            };
            return (
                person,
                Err("Each learner must be an object like {\"email\": \"ann@example.com\", \"first_name\": \"Ann\"}".into()),
            );
        }
    };
    let role = match learner.role.as_ref().map(|r| r.0.trim()) {
        None | Some("") => Ok(Role::Learner),
        Some(r) => LEARNER_ROLES
            .iter()
            .find(|x| x.as_str() == r)
            .copied()
            .ok_or_else(|| {
                format!("role must be learner, learner_analyst or learner_admin, not {r:?}")
            }),
    };
    let person = InviteeInput {
        email: learner.email.0.clone(),
        first_name: learner.first_name.0.clone(),
        last_name: learner.last_name.0.clone(),
    };
    (person, role)
}

/// The key of one call: from the `Idempotency-Key` header, or from the options themselves; per
/// client, so two applications never share answers.
fn call_key(caller: &ApiCaller, options: &Value, header: Option<&str>) -> String {
    let mut h = Sha256::new();
    h.update(caller.client.get().to_le_bytes());
    match header {
        Some(key) => {
            h.update(b"header\0");
            h.update(key.as_bytes());
        }
        None => {
            h.update(b"options\0");
            // serde_json keeps object keys sorted, so equal options give equal text.
            h.update(options.to_string().as_bytes());
        }
    }
    hex::encode(&h.finalize()[..20])
}

/// `inviteLearners`; `raw` is the options as sent, for the call's key.
async fn invite_learners(
    state: &AppState,
    caller: &ApiCaller,
    raw: &Value,
    options: InviteLearnersOptions,
    idempotency_key: Option<&str>,
) -> Result<Vec<InviteLearnersResult>, AppError> {
    let send_email = options.sends_email();
    let Some(Items(items)) = options.learners else {
        return Err(AppError::invalid(
            "learners",
            "options.learners is missing: give an array like [{\"email\": \"ann@example.com\", \"first_name\": \"Ann\", \"last_name\": \"Lee\"}]",
        ));
    };
    if items.is_empty() {
        return Err(AppError::invalid(
            "learners",
            "options.learners is empty: give at least one learner",
        ));
    }
    at_most("learners", items.len(), MAX_ITEMS)?;
    let typed_message = options.message.as_ref().map(|m| m.0.as_str());
    let message = message_of(state, caller, typed_message).await?;
    let team_ids = teams_of(state, caller, options.teams, false).await?;
    let plan = caller.plan;

    let mut answers: Vec<Option<InviteLearnersResult>> = vec![None; items.len()];
    // One import per role, in the order the roles first appear (so ids follow the request).
    let mut by_role: Vec<(Role, Vec<ImportLine>)> = Vec::new();
    let mut first_of: HashMap<String, usize> = HashMap::new();
    for (i, wanted) in items.iter().enumerate() {
        let (person, role) = person_of(wanted);
        let role = role.and_then(|role| match plan.unavailable_reason(role) {
            Some(reason) => Err(reason.to_string()),
            None => Ok(role),
        });
        let role = match role {
            Ok(role) => role,
            Err(message) => {
                answers[i] = Some(InviteLearnersResult::refused(&person.email, message));
                continue;
            }
        };
        // The same address twice in one call: the first counts.
        if let Ok(email) = Email::parse(&person.email) {
            if let Some(first) = first_of.get(email.as_str()) {
                answers[i] = Some(InviteLearnersResult::refused(
                    &person.email,
                    format!("The same address is learners[{first}]"),
                ));
                continue;
            }
            first_of.insert(email.as_str().to_string(), i);
        }
        let line = ImportLine {
            line: (i + 1) as u32,
            person,
        };
        match by_role.iter_mut().find(|(r, _)| *r == role) {
            Some((_, lines)) => lines.push(line),
            None => by_role.push((role, vec![line])),
        }
    }

    let key = call_key(caller, raw, idempotency_key);
    // With a client's key, the options are remembered too: the same key with other options is refused.
    let request_hash = idempotency_key.map(|_| call_key(caller, raw, None));
    let now = now_ms();
    let by = Importer {
        academy_id: caller.academy_id,
        user_id: None,
        api_client_id: Some(caller.client),
    };
    let file_name = format!("API: {}", caller.name);
    let mut queued = false;
    let mut tx = state.db.write().await?;
    for (role, lines) in &by_role {
        let import_key = format!("api-{key}-{}", role_code(*role));
        let start = StartImport {
            key: &import_key,
            request_hash: request_hash.as_deref(),
            file_name: &file_name,
            total_rows: lines.len(),
            role: *role,
            team_ids: &team_ids,
            send_email,
            message: &message,
        };
        let (results, q) = run_whole(
            state,
            &mut tx,
            by,
            &start,
            lines,
            now - IDEMPOTENCY_WINDOW_MS,
        )
        .await?;
        queued |= q;
        for r in results {
            let i = r.line as usize - 1;
            let email = r.email;
            answers[i] = Some(match r.outcome {
                InviteOutcome::Invited { invite_id } => {
                    InviteLearnersResult::Invited { email, invite_id }
                }
                InviteOutcome::AlreadyInvited { invite_id } => {
                    InviteLearnersResult::AlreadyInvited { email, invite_id }
                }
                InviteOutcome::AlreadyLearner { added_to_teams } => {
                    InviteLearnersResult::AlreadyLearner {
                        email,
                        added_to_teams,
                    }
                }
                InviteOutcome::Invalid { message } => {
                    InviteLearnersResult::refused(&email, message)
                }
            });
        }
    }
    tx.commit().await?;
    if queued {
        state.outbox_wakeup.notify_one();
    }
    Ok(answers
        .into_iter()
        .zip(&items)
        .map(|(answer, wanted)| {
            answer.unwrap_or_else(|| {
                InviteLearnersResult::refused(
                    &person_of(wanted).0.email,
                    "This learner was not handled.",
                )
            })
        })
        .collect())
}

/// A short code per role for the import key (keys are letters, digits and dashes).
fn role_code(role: Role) -> &'static str {
    match role {
        Role::LearnerAnalyst => "analyst",
        Role::LearnerAdmin => "ladmin",
        _ => "learner",
    }
}

async fn add_to_teams(
    state: &AppState,
    caller: &ApiCaller,
    options: EmailsAndTeams,
) -> Result<Vec<AddLearnersToTeamsResult>, AppError> {
    let addresses = api_lifecycle::addresses(options.emails)?;
    let teams =
        match api_lifecycle::teams_or_refusal(state, caller, options.teams, &addresses).await? {
            Ok(teams) => teams,
            Err(answer) => return Ok(answer),
        };
    let emails = addresses.valid();
    let (typed, parsed) = (&addresses.typed, &addresses.parsed);
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let (users, pending) = repo::imports::known_emails(&mut tx, caller.academy_id, &emails).await?;
    let learner_ids: HashSet<UserId> = repo::teams::learners_among(
        &mut *tx,
        caller.academy_id,
        &users.iter().map(|(id, _, _)| *id).collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .map(|(id, _)| id)
    .collect();
    let users: HashMap<String, UserId> = users
        .into_iter()
        .filter(|(id, _, _)| learner_ids.contains(id))
        .map(|(id, e, _)| (e, id))
        .collect();
    // Learners' invitations only: an administrator's is managed in Settings → Admins.
    let pending: HashMap<String, InviteId> = pending
        .into_iter()
        .filter(|(_, _, role)| !role.is_staff())
        .map(|(id, e, _)| (e, id))
        .collect();
    let user_ids: Vec<UserId> = users.values().copied().collect();
    let invite_ids: Vec<InviteId> = pending.values().copied().collect();
    let had_user: HashSet<(UserId, TeamId)> = api_queries::team_places(&mut tx, &user_ids, &teams)
        .await?
        .into_iter()
        .collect();
    let had_invite: HashSet<(InviteId, TeamId)> =
        api_queries::team_places(&mut tx, &invite_ids, &teams)
            .await?
            .into_iter()
            .collect();
    repo::imports::add_members(&mut tx, caller.academy_id, &user_ids, &teams, now).await?;
    for invite in &invite_ids {
        repo::invites::add_teams(&mut tx, *invite, &teams).await?;
    }
    let mut out = Vec::with_capacity(typed.len());
    let mut changed = 0;
    for (typed, parsed) in typed.iter().zip(parsed) {
        let email = match parsed {
            Ok(e) => e.as_str(),
            Err(m) => {
                out.push(AddLearnersToTeamsResult::refused(typed, m.as_str()));
                continue;
            }
        };
        let shown = typed.trim().to_string();
        let result = if let Some(u) = users.get(email) {
            let teams = new_places(*u, &had_user, &teams);
            if teams.is_empty() {
                AddLearnersToTeamsResult::AlreadyInTeam {
                    email: shown,
                    teams,
                }
            } else {
                AddLearnersToTeamsResult::Added {
                    email: shown,
                    teams,
                }
            }
        } else if let Some(i) = pending.get(email) {
            let teams = new_places(*i, &had_invite, &teams);
            AddLearnersToTeamsResult::InviteUpdated {
                email: shown,
                teams,
            }
        } else {
            out.push(AddLearnersToTeamsResult::refused(
                typed,
                "No learner or pending invitation with this email address in this academy",
            ));
            continue;
        };
        if let AddLearnersToTeamsResult::Added { teams, .. }
        | AddLearnersToTeamsResult::InviteUpdated { teams, .. } = &result
            && !teams.is_empty()
        {
            changed += 1;
        }
        out.push(result);
    }
    if changed > 0 {
        repo::audit::record_with_detail(
            &mut *tx,
            caller.academy_id,
            None,
            "api.added_to_teams",
            &caller.name,
            &format!("{changed} learner(s) or invitation(s) given new teams"),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(out)
}

/// The teams of `teams` that `owner` had no place in (`had`: the places it had).
fn new_places<Owner: Copy + Eq + Hash>(
    owner: Owner,
    had: &HashSet<(Owner, TeamId)>,
    teams: &[TeamId],
) -> Vec<TeamId> {
    teams
        .iter()
        .copied()
        .filter(|t| !had.contains(&(owner, *t)))
        .collect()
}

async fn get_teams(state: &AppState, caller: &ApiCaller) -> Result<Vec<Team>, AppError> {
    let rows = api_queries::teams(&state.db.pool, caller.academy_id).await?;
    Ok(rows
        .into_iter()
        .map(|t| Team {
            id: t.id,
            name: t.name,
            color: t.color,
            learners_count: t.learners_count,
            invites_count: t.invites_count,
        })
        .collect())
}

/// `offset` and `limit` of a list action, checked; `limit` is `None` when the call gives none.
fn window(offset: Option<Whole>, limit: Option<Whole>) -> Result<(i64, Option<i64>), AppError> {
    let check = |name: &str, value: Option<Whole>, max: i64| match value {
        None => Ok(None),
        Some(Whole(n)) if (0..=max).contains(&n) => Ok(Some(n)),
        Some(Whole(n)) => Err(AppError::invalid(
            name,
            format!("options.{name} must be a whole number from 0 to {max}, not {n}"),
        )),
    };
    let offset = check("offset", offset, i64::MAX / 2)?.unwrap_or(0);
    Ok((offset, check("limit", limit, MAX_LIMIT)?))
}

/// The teams of each owner, from `(owner, team id, name, colour)` rows.
fn teams_by_owner<Owner: Eq + Hash>(
    rows: Vec<(Owner, TeamId, String, String)>,
) -> HashMap<Owner, Vec<TeamRef>> {
    super::lists::group(rows)
        .into_iter()
        .map(|(owner, teams)| {
            let refs = teams
                .into_iter()
                .map(|t| TeamRef {
                    id: t.id,
                    name: t.name,
                })
                .collect();
            (owner, refs)
        })
        .collect()
}

/// `options.dates`: `[from, to]` on registration time; `to` includes its whole day or second.
fn date_range(dates: Option<Items<Text>>) -> Result<(i64, i64), AppError> {
    let Some(Items(items)) = dates else {
        return Ok((i64::MIN / 2, i64::MAX / 2));
    };
    let [from, to] = items.as_slice() else {
        return Err(AppError::invalid(
            "dates",
            "options.dates must be [from, to], e.g. [\"2026-01-01\", \"2026-01-31\"]",
        ));
    };
    let read = |i: usize, Text(t): &Text| -> Result<(i64, Precision), AppError> {
        parse_time(t).ok_or_else(|| {
            AppError::invalid(
                "dates",
                format!("options.dates[{i}] must be a date like 2026-01-31, a time like 2026-01-31 23:59:59 (UTC) or 2026-01-31T12:00:00Z, not {t:?}"),
            )
        })
    };
    let (from, _) = read(0, from)?;
    // The second bound is inclusive to its last unit: a day, a second or a millisecond.
    let (to, precision) = read(1, to)?;
    let to = to + precision.unit_ms();
    if to <= from {
        return Err(AppError::invalid(
            "dates",
            "options.dates: the first date must not be after the second",
        ));
    }
    Ok((from, to))
}

/// `learners`: one page when the call gives a `limit`, else every learner that matches.
async fn learners(
    state: &AppState,
    caller: &ApiCaller,
    options: LearnersOptions,
) -> Result<Answer, AppError> {
    let range = date_range(options.dates)?;
    let (offset, limit) = window(options.offset, options.limit)?;
    let status = StatusFilter::parse(&options.status.0.to_ascii_lowercase())
        .map_err(|m| AppError::invalid("status", m))?;
    let mut pages = LearnerPages {
        academy_id: caller.academy_id,
        status,
        range,
        offset,
        after: UserId::new(0),
        done: false,
    };
    let Some(limit) = limit else {
        return Ok(Answer::EveryLearner(pages));
    };
    whole(pages.page(state, limit).await?)
}

/// The learners of a `learners` call without `limit`, read in id order a page at a time, so an
/// academy of 100,000 learners is written out without being held in memory at once.
pub struct LearnerPages {
    academy_id: AcademyId,
    status: StatusFilter,
    range: (i64, i64),
    /// Learners skipped before the first page (`options.offset`).
    offset: i64,
    /// The last id read: the next page starts after it.
    after: UserId,
    done: bool,
}

impl LearnerPages {
    /// Learners read per query.
    pub const PAGE: i64 = 1_000;

    /// The next learners; empty once every learner has been read.
    pub async fn next(&mut self, state: &AppState) -> Result<Vec<Learner>, AppError> {
        if self.done {
            return Ok(Vec::new());
        }
        let rows = self.page(state, Self::PAGE).await?;
        self.done = (rows.len() as i64) < Self::PAGE;
        Ok(rows)
    }

    async fn page(&mut self, state: &AppState, limit: i64) -> Result<Vec<Learner>, AppError> {
        let rows = api_queries::learners(
            &state.db.pool,
            self.academy_id,
            self.status,
            self.range,
            self.after,
            std::mem::take(&mut self.offset),
            limit,
        )
        .await?;
        if let Some(last) = rows.last() {
            self.after = last.id;
        }
        let ids: Vec<UserId> = rows.iter().map(|r| r.id).collect();
        let mut teams = teams_by_owner(repo::lists::teams_for_users(&state.db.pool, &ids).await?);
        Ok(rows
            .into_iter()
            .map(|r| Learner {
                teams: teams.remove(&r.id).unwrap_or_default(),
                id: r.id,
                email: r.email,
                first_name: r.first_name,
                last_name: r.last_name,
                role: r.role,
                status: r.status,
                registered_at: rfc3339(r.created_at),
                last_sign_in_at: r.last_sign_in_at.map(rfc3339),
            })
            .collect())
    }
}

async fn invites(
    state: &AppState,
    caller: &ApiCaller,
    options: InvitesOptions,
) -> Result<Vec<Invite>, AppError> {
    let wanted = options.status.0.trim().to_ascii_lowercase();
    let status = match wanted.as_str() {
        "" => None,
        name => Some(
            InviteStatus::ALL
                .into_iter()
                .find(|s| s.as_str() == name)
                .ok_or_else(|| {
                    AppError::invalid(
                        "status",
                        format!(
                            "options.status must be pending, accepted, revoked or expired, not {name:?}"
                        ),
                    )
                })?,
        ),
    };
    let (offset, limit) = window(options.offset, options.limit)?;
    let limit = limit.unwrap_or(MAX_LIMIT);
    let now = now_ms();
    let rows = api_queries::invites(
        &state.db.pool,
        caller.academy_id,
        status.map(InviteStatus::as_str).unwrap_or_default(),
        now,
        offset,
        limit,
    )
    .await?;
    let ids: Vec<InviteId> = rows.iter().map(|r| r.id).collect();
    let mut teams = teams_by_owner(repo::invites::teams_for(&state.db.pool, &ids).await?);
    Ok(rows
        .into_iter()
        .map(|r| {
            let progress = Progress::of(r.status, r.expires_at, now);
            Invite {
                teams: teams.remove(&r.id).unwrap_or_default(),
                id: r.id,
                email: r.email,
                first_name: r.first_name,
                last_name: r.last_name,
                role: r.role,
                status: InviteStatus::of(progress),
                email_status: r.email_status,
                email_error: r.email_error,
                invitation_progress: InvitationProgress::of(progress),
                source: r.source,
                created_at: rfc3339(r.created_at),
                expires_at: rfc3339(r.expires_at),
                accepted_at: r.accepted_at.map(rfc3339),
            }
        })
        .collect())
}
