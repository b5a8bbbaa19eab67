//! The actions of `POST /api/v1/`: `inviteLearners`, `addLearnersToTeams`, `getTeams`, `learners`
//! and `invites` here, the lifecycle actions (`deactivateLearners`, …) in `api_lifecycle`. Options
//! arrive as JSON (form-encoded calls are turned into the same JSON first, so numbers and booleans
//! may come as strings). Invitations go through the same import code as
//! "Upload CSV File": the same checks, the same batched statements, and a key that makes a
//! repeated call answer what the first did.

use std::{
    collections::{HashMap, HashSet},
    hash::Hash,
};

use serde_json::{Map, Value, json};
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
    model::{ImportLine, InviteOutcome},
    server::{
        db::{Precision, now_ms, parse_time, rfc3339},
        repo::{self, api_queries},
        state::AppState,
    },
};

/// Every action, in the order the documentation lists them.
pub const ACTIONS: [&str; 10] = [
    "inviteLearners",
    "addLearnersToTeams",
    "getTeams",
    "learners",
    "invites",
    "deactivateLearners",
    "reactivateLearners",
    "removeLearnersFromTeams",
    "resendInvites",
    "revokeInvites",
];
/// Most learners or emails in one call.
pub const MAX_ITEMS: usize = 1_000;
/// Most teams in one call.
pub const MAX_TEAMS: usize = 100;
/// Most rows a list action returns at once (`limit`).
pub const MAX_LIMIT: i64 = 1_000;
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

/// Runs `action` for `caller`. `idempotency_key` is the request's `Idempotency-Key` header.
pub async fn run(
    state: &AppState,
    caller: &ApiCaller,
    action: &str,
    options: &Value,
    idempotency_key: Option<&str>,
) -> Result<Answer, AppError> {
    let options = match options {
        Value::Object(map) => map.clone(),
        Value::Null => Map::new(),
        Value::Array(a) if a.is_empty() => Map::new(),
        _ => {
            return Err(AppError::BadRequest(
                "\"options\" must be an object, e.g. {\"action\": \"getTeams\", \"options\": {}}"
                    .into(),
            ));
        }
    };
    let whole = match action.trim() {
        "inviteLearners" => invite_learners(state, caller, &options, idempotency_key).await,
        "addLearnersToTeams" => add_to_teams(state, caller, &options).await,
        "getTeams" => get_teams(state, caller).await,
        "learners" => return learners(state, caller, &options).await,
        "invites" => invites(state, caller, &options).await,
        "deactivateLearners" => {
            api_lifecycle::set_access(state, caller, &options, LearnerChange::Deactivate).await
        }
        "reactivateLearners" => {
            api_lifecycle::set_access(state, caller, &options, LearnerChange::Reactivate).await
        }
        "removeLearnersFromTeams" => api_lifecycle::leave_teams(state, caller, &options).await,
        "resendInvites" => {
            api_lifecycle::change_invites(state, caller, &options, InviteChange::Resend).await
        }
        "revokeInvites" => {
            api_lifecycle::change_invites(state, caller, &options, InviteChange::Revoke).await
        }
        "" => Err(AppError::BadRequest(format!(
            "\"action\" is missing. Supported actions: {}.",
            ACTIONS.join(", ")
        ))),
        other => Err(AppError::BadRequest(format!(
            "Unknown action {other:?}. Supported actions: {}.",
            ACTIONS.join(", ")
        ))),
    };
    whole.map(Answer::Whole)
}

pub(super) fn invalid(field: &str, message: String) -> AppError {
    AppError::invalid(field, message)
}

/// A list option: a JSON array, or (from a form) an object keyed "0", "1", … or one value.
pub(super) fn list<'a>(
    options: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<Vec<&'a Value>>, AppError> {
    match options.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items.iter().collect())),
        Some(Value::Object(map)) if map.keys().all(|k| k.parse::<usize>().is_ok()) => {
            let mut items: Vec<(usize, &Value)> = map
                .iter()
                .map(|(k, v)| (k.parse().unwrap_or(0), v))
                .collect();
            items.sort_by_key(|(k, _)| *k);
            Ok(Some(items.into_iter().map(|(_, v)| v).collect()))
        }
        Some(Value::String(s)) if s.is_empty() => Ok(Some(vec![])),
        Some(v @ (Value::String(_) | Value::Number(_))) => Ok(Some(vec![v])),
        Some(_) => Err(invalid(name, format!("options.{name} must be an array"))),
    }
}

/// A whole number given as a number or a numeric string.
fn whole(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn boolean(options: &Map<String, Value>, name: &str, default: bool) -> Result<bool, AppError> {
    match options.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::Number(n)) if n.as_i64() == Some(0) => Ok(false),
        Some(Value::Number(n)) if n.as_i64() == Some(1) => Ok(true),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" | "" => Ok(false),
            _ => Err(invalid(
                name,
                format!("options.{name} must be true or false, not {s:?}"),
            )),
        },
        Some(other) => Err(invalid(
            name,
            format!("options.{name} must be true or false, not {other}"),
        )),
    }
}

/// `options.message`: the batch's personal message; absent or null: the academy's default.
async fn message_of(
    state: &AppState,
    caller: &ApiCaller,
    options: &Map<String, Value>,
) -> Result<PersonalMessage, AppError> {
    let typed = match options.get("message") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => {
            return Err(invalid(
                "message",
                format!(
                    "options.message must be text (or left out for the academy's default message), not {other}"
                ),
            ));
        }
    };
    let academy = repo::academies::by_id(&state.db.pool, caller.academy_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    super::invites::message_of(&academy, typed)
}

pub(super) fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The team ids of `options.teams`, checked against the academy: unknown ids are named.
pub(super) async fn teams_of(
    state: &AppState,
    caller: &ApiCaller,
    options: &Map<String, Value>,
    required: bool,
) -> Result<Vec<TeamId>, AppError> {
    let items = list(options, "teams")?.unwrap_or_default();
    if items.is_empty() && required {
        return Err(invalid(
            "teams",
            "options.teams is missing: give the team ids (getTeams lists them)".into(),
        ));
    }
    if items.len() > MAX_TEAMS {
        return Err(AppError::PayloadTooLarge(format!(
            "At most {MAX_TEAMS} teams per call; this one has {}.",
            items.len()
        )));
    }
    let mut ids = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        match whole(v) {
            Some(id) => ids.push(TeamId::new(id)),
            None => {
                return Err(invalid(
                    "teams",
                    format!("options.teams[{i}] must be a team id (a number), not {v}"),
                ));
            }
        }
    }
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

/// One learner of `options.learners`, or why it cannot be invited.
struct Wanted {
    person: InviteeInput,
    role: Result<Role, String>,
}

fn learner_of(v: &Value) -> Wanted {
    let Value::Object(o) = v else {
        return Wanted {
            person: InviteeInput {
                email: text(Some(v)),
                first_name: String::new(),
                last_name: String::new(),
            },
            role: Err("Each learner must be an object like {\"email\": \"ann@example.com\", \"first_name\": \"Ann\"}".into()),
        };
    };
    let role = match o.get("role").map(|r| text(Some(r))) {
        None => Ok(Role::Learner),
        Some(r) if r.trim().is_empty() => Ok(Role::Learner),
        Some(r) => match LEARNER_ROLES.iter().find(|x| x.as_str() == r.trim()) {
            Some(role) => Ok(*role),
            None => Err(format!(
                "role must be learner, learner_analyst or learner_admin, not {r:?}"
            )),
        },
    };
    Wanted {
        person: InviteeInput {
            email: text(o.get("email")),
            first_name: text(o.get("first_name")),
            last_name: text(o.get("last_name")),
        },
        role,
    }
}

pub(super) fn error_item(email: &str, message: &str) -> Value {
    json!({"email": email.trim(), "status": "error", "message": message})
}

/// The key of one call: from the `Idempotency-Key` header, or from the options themselves; per
/// client, so two applications never share answers.
fn call_key(caller: &ApiCaller, options: &Map<String, Value>, header: Option<&str>) -> String {
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
            h.update(Value::Object(options.clone()).to_string().as_bytes());
        }
    }
    hex::encode(&h.finalize()[..20])
}

async fn invite_learners(
    state: &AppState,
    caller: &ApiCaller,
    options: &Map<String, Value>,
    idempotency_key: Option<&str>,
) -> Result<Value, AppError> {
    let Some(items) = list(options, "learners")? else {
        return Err(invalid(
            "learners",
            "options.learners is missing: give an array like [{\"email\": \"ann@example.com\", \"first_name\": \"Ann\", \"last_name\": \"Lee\"}]".into(),
        ));
    };
    if items.is_empty() {
        return Err(invalid(
            "learners",
            "options.learners is empty: give at least one learner".into(),
        ));
    }
    if items.len() > MAX_ITEMS {
        return Err(AppError::PayloadTooLarge(format!(
            "At most {MAX_ITEMS} learners per call; this one has {}. Split them into several calls.",
            items.len()
        )));
    }
    let send_email = boolean(options, "send_email", true)?;
    let message = message_of(state, caller, options).await?;
    let team_ids = teams_of(state, caller, options, false).await?;
    let plan = caller.plan;

    let mut answers: Vec<Option<Value>> = vec![None; items.len()];
    // One import per role, in the order the roles first appear (so ids follow the request).
    let mut by_role: Vec<(Role, Vec<ImportLine>)> = Vec::new();
    let mut first_of: HashMap<String, usize> = HashMap::new();
    for (i, v) in items.iter().enumerate() {
        let w = learner_of(v);
        let role = match w.role {
            Ok(role) => match plan.unavailable_reason(role) {
                Some(reason) => Err(reason.to_string()),
                None => Ok(role),
            },
            Err(m) => Err(m),
        };
        let role = match role {
            Ok(role) => role,
            Err(message) => {
                answers[i] = Some(error_item(&w.person.email, &message));
                continue;
            }
        };
        // The same address twice in one call: the first counts.
        if let Ok(email) = Email::parse(&w.person.email) {
            if let Some(first) = first_of.get(email.as_str()) {
                answers[i] = Some(error_item(
                    &w.person.email,
                    &format!("The same address is learners[{first}]"),
                ));
                continue;
            }
            first_of.insert(email.as_str().to_string(), i);
        }
        let line = ImportLine {
            line: (i + 1) as u32,
            person: w.person,
        };
        match by_role.iter_mut().find(|(r, _)| *r == role) {
            Some((_, lines)) => lines.push(line),
            None => by_role.push((role, vec![line])),
        }
    }

    let key = call_key(caller, options, idempotency_key);
    // With a client's key, the options are remembered too: the same key with other options is refused.
    let request_hash = idempotency_key.map(|_| call_key(caller, options, None));
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
            answers[i] = Some(match r.outcome {
                InviteOutcome::Invited { invite_id } => {
                    json!({"email": r.email, "status": "invited", "invite_id": invite_id})
                }
                InviteOutcome::AlreadyInvited { invite_id } => {
                    json!({"email": r.email, "status": "already_invited", "invite_id": invite_id})
                }
                InviteOutcome::AlreadyLearner { added_to_teams } => {
                    json!({"email": r.email, "status": "already_learner", "added_to_teams": added_to_teams})
                }
                InviteOutcome::Invalid { message } => error_item(&r.email, &message),
            });
        }
    }
    tx.commit().await?;
    if queued {
        state.outbox_wakeup.notify_one();
    }
    Ok(Value::Array(
        answers
            .into_iter()
            .zip(items)
            .map(|(a, v)| {
                a.unwrap_or_else(|| {
                    error_item(&learner_of(v).person.email, "This learner was not handled.")
                })
            })
            .collect(),
    ))
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
    options: &Map<String, Value>,
) -> Result<Value, AppError> {
    let addresses = api_lifecycle::addresses(options)?;
    let teams = match api_lifecycle::teams_or_refusal(state, caller, options, &addresses).await? {
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
                out.push(error_item(typed, m));
                continue;
            }
        };
        let (new, status_new, status_none) = if let Some(u) = users.get(email) {
            (
                new_places(*u, &had_user, &teams),
                "added",
                "already_in_team",
            )
        } else if let Some(i) = pending.get(email) {
            let new = new_places(*i, &had_invite, &teams);
            (new, "invite_updated", "invite_updated")
        } else {
            out.push(error_item(
                typed,
                "No learner or pending invitation with this email address in this academy",
            ));
            continue;
        };
        if !new.is_empty() {
            changed += 1;
        }
        out.push(json!({
            "email": typed.trim(),
            "status": if new.is_empty() { status_none } else { status_new },
            "teams": new,
        }));
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
    Ok(Value::Array(out))
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

async fn get_teams(state: &AppState, caller: &ApiCaller) -> Result<Value, AppError> {
    let rows = api_queries::teams(&state.db.pool, caller.academy_id).await?;
    Ok(Value::Array(
        rows.into_iter()
            .map(|t| {
                json!({
                    "id": t.id,
                    "name": t.name,
                    "color": t.color,
                    "learners_count": t.learners_count,
                    "invites_count": t.invites_count,
                })
            })
            .collect(),
    ))
}

/// `offset` and `limit` of a list action; `limit` is `None` when the call gives none.
fn window(options: &Map<String, Value>) -> Result<(i64, Option<i64>), AppError> {
    let read = |name: &str, default: i64, max: i64| -> Result<i64, AppError> {
        match options.get(name) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => whole(v).filter(|n| (0..=max).contains(n)).ok_or_else(|| {
                invalid(
                    name,
                    format!("options.{name} must be a whole number from 0 to {max}, not {v}"),
                )
            }),
        }
    };
    let offset = read("offset", 0, i64::MAX / 2)?;
    let limit = match options.get("limit") {
        None | Some(Value::Null) => None,
        Some(_) => Some(read("limit", MAX_LIMIT, MAX_LIMIT)?),
    };
    Ok((offset, limit))
}

/// `{id, name}` per owner from `(owner, team id, name, colour)` rows.
fn teams_by_owner<Owner: Eq + Hash>(
    rows: Vec<(Owner, TeamId, String, String)>,
) -> HashMap<Owner, Vec<Value>> {
    let mut map: HashMap<Owner, Vec<Value>> = HashMap::new();
    for (owner, id, name, _) in rows {
        map.entry(owner)
            .or_default()
            .push(json!({"id": id, "name": name}));
    }
    map
}

/// `options.dates`: `[from, to]` on registration time; `to` includes its whole day or second.
fn date_range(options: &Map<String, Value>) -> Result<(i64, i64), AppError> {
    let Some(items) = list(options, "dates")? else {
        return Ok((i64::MIN / 2, i64::MAX / 2));
    };
    if items.len() != 2 {
        return Err(invalid(
            "dates",
            "options.dates must be [from, to], e.g. [\"2026-01-01\", \"2026-01-31\"]".into(),
        ));
    }
    let read = |i: usize| -> Result<(i64, Precision), AppError> {
        let t = text(Some(items[i]));
        parse_time(&t).ok_or_else(|| {
            invalid(
                "dates",
                format!("options.dates[{i}] must be a date like 2026-01-31, a time like 2026-01-31 23:59:59 (UTC) or 2026-01-31T12:00:00Z, not {t:?}"),
            )
        })
    };
    let (from, _) = read(0)?;
    // The second bound is inclusive to its last unit: a day, a second or a millisecond.
    let (to, precision) = read(1)?;
    let to = to + precision.unit_ms();
    if to <= from {
        return Err(invalid(
            "dates",
            "options.dates: the first date must not be after the second".into(),
        ));
    }
    Ok((from, to))
}

/// `learners`: one page when the call gives a `limit`, else every learner that matches.
async fn learners(
    state: &AppState,
    caller: &ApiCaller,
    options: &Map<String, Value>,
) -> Result<Answer, AppError> {
    let range = date_range(options)?;
    let (offset, limit) = window(options)?;
    let status = StatusFilter::parse(&text(options.get("status")).to_ascii_lowercase())
        .map_err(|m| invalid("status", m))?;
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
    let rows = pages.page(state, limit).await?;
    Ok(Answer::Whole(Value::Array(rows)))
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

    /// The next learners as the API shows them; empty once every learner has been read.
    pub async fn next(&mut self, state: &AppState) -> Result<Vec<Value>, AppError> {
        if self.done {
            return Ok(Vec::new());
        }
        let rows = self.page(state, Self::PAGE).await?;
        self.done = (rows.len() as i64) < Self::PAGE;
        Ok(rows)
    }

    async fn page(&mut self, state: &AppState, limit: i64) -> Result<Vec<Value>, AppError> {
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
            .map(|r| {
                json!({
                    "id": r.id,
                    "email": r.email,
                    "first_name": r.first_name,
                    "last_name": r.last_name,
                    "role": r.role,
                    "status": r.status,
                    "registered_at": rfc3339(r.created_at),
                    "last_sign_in_at": r.last_sign_in_at.map(rfc3339),
                    "teams": teams.remove(&r.id).unwrap_or_default(),
                })
            })
            .collect())
    }
}

async fn invites(
    state: &AppState,
    caller: &ApiCaller,
    options: &Map<String, Value>,
) -> Result<Value, AppError> {
    let status = text(options.get("status")).trim().to_ascii_lowercase();
    if !["", "pending", "accepted", "revoked", "expired"].contains(&status.as_str()) {
        return Err(invalid(
            "status",
            format!("options.status must be pending, accepted, revoked or expired, not {status:?}"),
        ));
    }
    let (offset, limit) = window(options)?;
    let limit = limit.unwrap_or(MAX_LIMIT);
    let now = now_ms();
    let rows = api_queries::invites(
        &state.db.pool,
        caller.academy_id,
        &status,
        now,
        offset,
        limit,
    )
    .await?;
    let ids: Vec<InviteId> = rows.iter().map(|r| r.id).collect();
    let mut teams = teams_by_owner(repo::invites::teams_for(&state.db.pool, &ids).await?);
    Ok(Value::Array(
        rows.into_iter()
            .map(|r| {
                let progress = Progress::of(r.status, r.expires_at, now);
                let status = match progress {
                    Progress::Expired => "expired".to_string(),
                    _ => r.status.as_str().to_string(),
                };
                Ok(json!({
                    "id": r.id,
                    "email": r.email,
                    "first_name": r.first_name,
                    "last_name": r.last_name,
                    "role": r.role,
                    "status": status,
                    "email_status": r.email_status,
                    "email_error": r.email_error,
                    "invitation_progress": if progress == Progress::Accepted { "Has accepted invite".to_string() } else if progress == Progress::Invited { "Has not accepted invite".to_string() } else { progress.label().to_string() },
                    "source": r.source,
                    "created_at": rfc3339(r.created_at),
                    "expires_at": rfc3339(r.expires_at),
                    "accepted_at": r.accepted_at.map(rfc3339),
                    "teams": teams.remove(&r.id).unwrap_or_default(),
                }))
            })
            .collect::<Result<_, AppError>>()?,
    ))
}
