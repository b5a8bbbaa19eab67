//! The audit log: rows written in the same transaction as the change they record, and the filtered,
//! paged reading of them for the Audit log page and its export.

use crate::domain::role::Role;
use crate::domain::{AcademyId, AuditEntryId, UserId};
use sqlx::{Any, Executor, FromRow};

use super::lists::{PER_PAGE, like_pattern, offset};
use crate::domain::audit::Who;

/// One audit row: who (`actor`, none for the system or a stranger) did `action` to `target` in an academy.
pub async fn record<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    actor: Option<UserId>,
    action: &str,
    target: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (academy_id, actor_user_id, action, target, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(academy_id)
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

/// An audit row with a `detail` too, e.g. "learner → learner_analyst" for a role change.
pub async fn record_with_detail<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    actor: Option<UserId>,
    action: &str,
    target: &str,
    detail: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (academy_id, actor_user_id, action, target, detail, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(academy_id)
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(detail)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

// ---- reading the log (the Audit log page and its export) ----

/// What the audit log page filters by; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Action-name prefixes (one group); empty for every action.
    pub prefixes: Vec<String>,
    pub who: Option<Who>,
    /// `[from_ms, until_ms)`.
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
    /// Matched in the target and the detail, case-insensitively.
    pub search: String,
}

/// One row with its actor's names, when the actor still has an account here.
#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    pub id: AuditEntryId,
    pub actor_user_id: Option<UserId>,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub created_at: i64,
    pub actor_first: Option<String>,
    pub actor_last: Option<String>,
    pub actor_email: Option<String>,
}

enum Arg {
    Int(i64),
    Text(String),
}

/// `prefix%` for LIKE, with LIKE's wildcards in the prefix taken literally.
fn prefix_pattern(prefix: &str) -> String {
    let escaped = prefix
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("{escaped}%")
}

/// The WHERE clause of a filter (always scoped to the academy) and its arguments, `$1`…
fn condition(academy_id: AcademyId, f: &AuditFilter) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Int(academy_id.get())];
    let mut sql = String::from("a.academy_id = $1");
    let push = |args: &mut Vec<Arg>, a: Arg| {
        args.push(a);
        format!("${}", args.len())
    };
    if !f.prefixes.is_empty() {
        let parts: Vec<String> = f
            .prefixes
            .iter()
            .map(|p| {
                let n = push(&mut args, Arg::Text(prefix_pattern(p)));
                format!("a.action LIKE {n} ESCAPE '\\'")
            })
            .collect();
        sql.push_str(&format!(" AND ({})", parts.join(" OR ")));
    }
    match f.who {
        None | Some(Who::Anyone) => {}
        Some(Who::System) => sql.push_str(" AND a.actor_user_id IS NULL"),
        Some(Who::User(id)) => {
            let n = push(&mut args, Arg::Int(id));
            sql.push_str(&format!(" AND a.actor_user_id = {n}"));
        }
    }
    if let Some(from) = f.from_ms {
        let n = push(&mut args, Arg::Int(from));
        sql.push_str(&format!(" AND a.created_at >= {n}"));
    }
    if let Some(until) = f.until_ms {
        let n = push(&mut args, Arg::Int(until));
        sql.push_str(&format!(" AND a.created_at < {n}"));
    }
    if !f.search.trim().is_empty() {
        let n = push(&mut args, Arg::Text(like_pattern(&f.search)));
        sql.push_str(&format!(
            " AND (lower(a.target) LIKE {n} ESCAPE '\\' OR lower(a.detail) LIKE {n} ESCAPE '\\')"
        ));
    }
    (sql, args)
}

macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Int(i) => q.bind(*i),
                Arg::Text(s) => q.bind(s.clone()),
            };
        }
        q
    }};
}

const ROW_SQL: &str = "SELECT a.id, a.actor_user_id, a.action, a.target, a.detail, a.created_at, \
     u.first_name AS actor_first, u.last_name AS actor_last, u.email AS actor_email \
     FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id AND u.academy_id = a.academy_id";

/// One page of the filtered log, newest first, and how many rows match in all.
#[tracing::instrument(skip(ex, f))]
pub async fn page<'c, E>(
    ex: E,
    academy_id: AcademyId,
    f: &AuditFilter,
    page: u32,
) -> Result<(Vec<AuditRow>, i64), sqlx::Error>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let (cond, args) = condition(academy_id, f);
    let total: i64 = bind_args!(
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM audit_log a WHERE {cond}"
        ))),
        &args
    )
    .fetch_one(ex)
    .await?;
    let n = args.len();
    let rows = bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{ROW_SQL} WHERE {cond} ORDER BY a.created_at DESC, a.id DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        ))),
        &args
    )
    .bind(i64::from(PER_PAGE))
    .bind(offset(page))
    .fetch_all(ex)
    .await?;
    Ok((rows, total))
}

/// The newest `limit` rows about `email` (their target) or by `user_id`, newest first: a
/// learner's page.
pub async fn about_person<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    email: &str,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{ROW_SQL} WHERE a.academy_id = $1 AND (lower(a.target) = $2 OR a.actor_user_id = $3) \
         ORDER BY a.created_at DESC, a.id DESC LIMIT $4"
    )))
    .bind(academy_id)
    .bind(email.to_lowercase())
    .bind(user_id)
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// The newest `limit` rows of the filtered log, newest first (the CSV export).
#[tracing::instrument(skip(ex, f))]
pub async fn newest<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    f: &AuditFilter,
    limit: usize,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let (cond, args) = condition(academy_id, f);
    let n = args.len();
    bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{ROW_SQL} WHERE {cond} ORDER BY a.created_at DESC, a.id DESC LIMIT ${}",
            n + 1
        ))),
        &args
    )
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(ex)
    .await
}

/// A person who appears in the academy's log as the actor of some row.
#[derive(Debug, Clone, FromRow)]
pub struct ActorRow {
    pub id: UserId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role: Role,
    pub last_at: i64,
}

/// The people (with an account here) who acted in the academy, most recently active first.
#[tracing::instrument(skip(ex))]
pub async fn actors<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    limit: i64,
) -> Result<Vec<ActorRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.first_name, u.last_name, u.email, u.role, MAX(a.created_at) AS last_at \
         FROM audit_log a JOIN users u ON u.id = a.actor_user_id AND u.academy_id = a.academy_id \
         WHERE a.academy_id = $1 \
         GROUP BY u.id, u.first_name, u.last_name, u.email, u.role \
         ORDER BY last_at DESC, u.id LIMIT $2",
    )
    .bind(academy_id)
    .bind(limit)
    .fetch_all(ex)
    .await
}
