//! CSV imports and what happened to each line, plus the multi-row statements a chunk of an import
//! needs (invitations, their links, their emails, team places, memberships).

use crate::domain::{AcademyId, ApiClientId, ImportId, InviteId, InviteTokenId, TeamId, UserId};
use crate::domain::{
    invite::{InviteSource, InviteState, LineOutcome},
    role::Role,
};
use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::batch::{rows_per_statement, sign, values, values_with};

#[derive(Debug, Clone, FromRow)]
pub struct ImportRow {
    pub id: ImportId,
    pub file_name: String,
    pub role: Role,
    pub send_email: i64,
    pub team_ids: String,
    pub total_rows: i64,
    pub invited: i64,
    pub updated: i64,
    pub existing: i64,
    pub added_to_teams: i64,
    pub skipped: i64,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    /// Csv or Api.
    pub source: InviteSource,
    /// API calls keyed by an Idempotency-Key: a fingerprint of the call's options.
    pub request_hash: Option<String>,
    /// The batch's personal message ('' none), for every chunk.
    pub message: String,
}

impl ImportRow {
    /// The teams chosen when the import started (`team_ids` holds them as "3,7").
    pub fn wanted_teams(&self) -> Vec<TeamId> {
        self.team_ids
            .split(',')
            .filter_map(|t| t.parse().ok())
            .collect()
    }
}

const COLUMNS: &str = "id, file_name, role, send_email, team_ids, total_rows, invited, updated, existing, \
     added_to_teams, skipped, created_at, finished_at, source, request_hash, message";

pub struct NewImport<'a> {
    pub academy_id: AcademyId,
    pub key: &'a str,
    pub file_name: &'a str,
    /// The admin who uploaded the file; none for an API call.
    pub created_by: Option<UserId>,
    /// Csv or Api.
    pub source: InviteSource,
    pub api_client_id: Option<ApiClientId>,
    pub request_hash: Option<&'a str>,
    pub role: &'a str,
    pub send_email: bool,
    pub team_ids: &'a str,
    pub total_rows: i64,
    pub message: &'a str,
}

/// Starts an import, or finds the one already started with this key (a double click, a retry);
/// either way the row comes back locked until the transaction ends (the no-op update of a
/// conflict locks it like `lock` does).
pub async fn start(
    tx: &mut AnyConnection,
    new: &NewImport<'_>,
    now: i64,
) -> Result<ImportRow, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO imports (academy_id, import_key, file_name, created_by, role, send_email, team_ids, \
         total_rows, created_at, source, api_client_id, request_hash, message) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (academy_id, import_key) DO UPDATE SET total_rows = imports.total_rows \
         RETURNING {COLUMNS}"
    )))
    .bind(new.academy_id)
    .bind(new.key)
    .bind(new.file_name)
    .bind(new.created_by)
    .bind(new.role)
    .bind(i64::from(new.send_email))
    .bind(new.team_ids)
    .bind(new.total_rows)
    .bind(now)
    .bind(new.source)
    .bind(new.api_client_id)
    .bind(new.request_hash)
    .bind(new.message)
    .fetch_one(&mut *tx)
    .await
}

/// The import, locked until the transaction ends (the portable no-op update), so two chunks of one
/// import never run at once. `None` for an import of another academy.
pub async fn lock<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    import_id: ImportId,
) -> Result<Option<ImportRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE imports SET total_rows = total_rows WHERE academy_id = $1 AND id = $2 RETURNING {COLUMNS}"
    )))
    .bind(academy_id)
    .bind(import_id)
    .fetch_optional(ex)
    .await
}

pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    import_id: ImportId,
) -> Result<Option<ImportRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM imports WHERE academy_id = $1 AND id = $2"
    )))
    .bind(academy_id)
    .bind(import_id)
    .fetch_optional(ex)
    .await
}

/// The academy's file uploads, newest first, with who made them (`only`: just that one, whatever
/// its source).
pub async fn recent<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    limit: i64,
    only: Option<ImportId>,
) -> Result<Vec<(ImportRow, Option<String>, Option<String>)>, sqlx::Error> {
    #[derive(FromRow)]
    struct Joined {
        #[sqlx(flatten)]
        import: ImportRow,
        creator_first: Option<String>,
        creator_last: Option<String>,
    }
    let rows: Vec<Joined> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {}, u.first_name AS creator_first, u.last_name AS creator_last \
         FROM imports i LEFT JOIN users u ON u.id = i.created_by \
         WHERE i.academy_id = $1 AND (i.id = $3 OR ($3 = 0 AND i.source = 'csv')) ORDER BY i.id DESC LIMIT $2",
        COLUMNS
            .split(", ")
            .map(|c| format!("i.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    )))
    .bind(academy_id)
    .bind(limit)
    .bind(only.map_or(0, ImportId::get))
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|j| (j.import, j.creator_first, j.creator_last))
        .collect())
}

/// What happened to one line of the file.
#[derive(Debug, Clone, FromRow)]
pub struct LineRow {
    pub line: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub outcome: LineOutcome,
    pub invite_id: Option<InviteId>,
    pub added_to_teams: i64,
    pub message: Option<String>,
}

/// Of `lines`, those this import has handled already.
pub async fn lines_done(
    conn: &mut AnyConnection,
    import_id: ImportId,
    lines: &[i64],
) -> Result<Vec<LineRow>, sqlx::Error> {
    if lines.is_empty() {
        return Ok(vec![]);
    }
    let (first, list) = one_then_list(sign(conn), lines.len());
    let sql = format!(
        "SELECT line, email, first_name, last_name, outcome, invite_id, added_to_teams, message \
         FROM import_rows WHERE import_id = {first} AND line IN {list}"
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .persistent(false)
        .bind(import_id);
    for l in lines {
        q = q.bind(*l);
    }
    q.fetch_all(conn).await
}

/// The placeholders of a statement that binds one value, then a list of `n` for `IN`:
/// `("$1", "($2, …)")`, or `("?", "(?, …)")` on SQLite (whose driver numbers a bare `?` by its own
/// count, so `$1` followed by `?` would bind the first value twice).
/// Statements with such lists are not kept prepared (`persistent(false)`): after five runs
/// PostgreSQL would switch a kept one to a generic plan that walks every row of the academy
/// (measured: 1,000-row chunks slowing from 0.15 s to 5 s over a 100,000-row upload).
fn one_then_list(sign: char, n: usize) -> (&'static str, String) {
    let first = if sign == '?' { "?" } else { "$1" };
    (first, values(1, n, 2, sign))
}

/// Of `emails`, those on an earlier line of this import: `(email, line)`.
pub async fn emails_seen(
    conn: &mut AnyConnection,
    import_id: ImportId,
    emails: &[String],
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    if emails.is_empty() {
        return Ok(vec![]);
    }
    let sql = emails_seen_sql(sign(conn), emails.len());
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .persistent(false)
        .bind(import_id);
    for e in emails {
        q = q.bind(e);
    }
    q.fetch_all(conn).await
}

/// The statement of `emails_seen` for `n` addresses; it searches the import's lines by address.
pub fn emails_seen_sql(sign: char, n: usize) -> String {
    let (first, list) = one_then_list(sign, n);
    format!(
        "SELECT email, MIN(line) FROM import_rows WHERE import_id = {first} AND outcome <> 'invalid' \
         AND email IN {list} GROUP BY email"
    )
}

/// Every line of an import, in file order (the result report).
pub async fn all_lines<'c>(
    ex: impl Executor<'c, Database = Any>,
    import_id: ImportId,
) -> Result<Vec<LineRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT line, email, first_name, last_name, outcome, invite_id, added_to_teams, message \
         FROM import_rows WHERE import_id = $1 ORDER BY line",
    )
    .bind(import_id)
    .fetch_all(ex)
    .await
}

pub async fn record_lines(
    tx: &mut AnyConnection,
    import_id: ImportId,
    rows: &[LineRow],
) -> Result<(), sqlx::Error> {
    const COLS: usize = 9;
    for chunk in rows.chunks(rows_per_statement(COLS)) {
        let sql = format!(
            "INSERT INTO import_rows (import_id, line, email, first_name, last_name, outcome, invite_id, \
             added_to_teams, message) VALUES {}",
            values(chunk.len(), COLS, 1, sign(tx))
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            q = q
                .bind(import_id)
                .bind(r.line)
                .bind(&r.email)
                .bind(&r.first_name)
                .bind(&r.last_name)
                .bind(r.outcome)
                .bind(r.invite_id)
                .bind(r.added_to_teams)
                .bind(&r.message);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

/// Adds a chunk's counts to the import's.
pub async fn add_counts<'c>(
    ex: impl Executor<'c, Database = Any>,
    import_id: ImportId,
    c: [i64; 5],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE imports SET invited = invited + $1, updated = updated + $2, existing = existing + $3, \
         added_to_teams = added_to_teams + $4, skipped = skipped + $5 WHERE id = $6",
    )
    .bind(c[0])
    .bind(c[1])
    .bind(c[2])
    .bind(c[3])
    .bind(c[4])
    .bind(import_id)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn finish<'c>(
    ex: impl Executor<'c, Database = Any>,
    import_id: ImportId,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE imports SET finished_at = COALESCE(finished_at, $1) WHERE id = $2")
        .bind(now)
        .bind(import_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Rows of one kind that hold an address: `(id, email, role)`.
pub type Holders<Id> = Vec<(Id, String, Role)>;

/// Which of `emails` the academy knows: its users and its pending invitations.
pub async fn known_emails(
    tx: &mut AnyConnection,
    academy_id: AcademyId,
    emails: &[String],
) -> Result<(Holders<UserId>, Holders<InviteId>), sqlx::Error> {
    let mut users = Vec::new();
    let mut invites: Holders<InviteId> = Vec::new();
    for chunk in emails.chunks(rows_per_statement(1)) {
        let [users_sql, invites_sql] = known_emails_sql(sign(tx), chunk.len());
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(users_sql))
            .persistent(false)
            .bind(academy_id);
        for e in chunk {
            q = q.bind(e);
        }
        users.extend(q.fetch_all(&mut *tx).await?);
        let mut q = sqlx::query_as::<_, (InviteId, String, Role, InviteState)>(
            sqlx::AssertSqlSafe(invites_sql),
        )
        .persistent(false)
        .bind(academy_id);
        for e in chunk {
            q = q.bind(e);
        }
        let rows = q.fetch_all(&mut *tx).await?;
        invites.extend(
            rows.into_iter()
                .filter(|row| row.3 == InviteState::Pending)
                .map(|(id, email, role, _)| (id, email, role)),
        );
    }
    Ok((users, invites))
}

/// The two statements of `known_emails` for `n` addresses: the users, then every invitation of
/// those addresses (the caller keeps the pending ones). Both search by address. The invitations'
/// status is not in the `WHERE` on purpose: with it, SQLite (no statistics) prefers the index on
/// (academy, status, …) as soon as five addresses are asked, and walks every pending invitation
/// of the academy — 65 ms per look-up at 100,000 pending, in every chunk of an upload.
pub fn known_emails_sql(sign: char, n: usize) -> [String; 2] {
    let (first, list) = one_then_list(sign, n);
    [
        format!("SELECT id, email, role FROM users WHERE academy_id = {first} AND email IN {list}"),
        format!(
            "SELECT id, email, role, status FROM invites WHERE academy_id = {first} AND email IN {list}"
        ),
    ]
}

/// One new invitation of a chunk.
pub struct NewInviteRow<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
}

/// What the invitations of one chunk share.
pub struct InviteBatch<'a> {
    pub academy_id: AcademyId,
    pub role: &'a str,
    pub source: InviteSource,
    pub send_email: bool,
    pub invited_by: Option<UserId>,
    pub message: &'a str,
    pub expires_at: i64,
}

/// Inserts the invitations of one batch; returns `(id, email)` of each one made. An address that
/// has a pending invitation by now (another request's, committed meanwhile) is left out.
pub async fn insert_invites(
    tx: &mut AnyConnection,
    batch: &InviteBatch<'_>,
    rows: &[NewInviteRow<'_>],
    now: i64,
) -> Result<Vec<(InviteId, String)>, sqlx::Error> {
    // Per row: academy, email, first, last name, role, send_email, email status, source, inviter,
    // created, updated, expires, message; status is a literal.
    const ROW: [&str; 14] = [
        "?",
        "?",
        "?",
        "?",
        "?",
        "?",
        "'pending'",
        "?",
        "?",
        "?",
        "?",
        "?",
        "?",
        "?",
    ];
    let mut out = Vec::with_capacity(rows.len());
    let email_status = if batch.send_email {
        "queued"
    } else {
        "not_requested"
    };
    for chunk in rows.chunks(rows_per_statement(13)) {
        let sql = format!(
            "INSERT INTO invites (academy_id, email, first_name, last_name, role, send_email, status, \
             email_status, source, invited_by, created_at, updated_at, expires_at, message) VALUES {} \
             ON CONFLICT (academy_id, email) WHERE status = 'pending' DO NOTHING RETURNING id, email",
            values_with(chunk.len(), &ROW, 1, sign(tx))
        );
        let mut q = sqlx::query_as::<_, (InviteId, String)>(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            q = q
                .bind(batch.academy_id)
                .bind(r.email)
                .bind(r.first_name)
                .bind(r.last_name)
                .bind(batch.role)
                .bind(i64::from(batch.send_email))
                .bind(email_status)
                .bind(batch.source)
                .bind(batch.invited_by)
                .bind(now)
                .bind(now)
                .bind(batch.expires_at)
                .bind(batch.message);
        }
        out.extend(q.fetch_all(&mut *tx).await?);
    }
    Ok(out)
}

/// One new invitation link.
pub struct NewToken {
    pub invite_id: InviteId,
    pub salt: String,
    pub token_hash: String,
}

/// Inserts links (all with the same expiry); returns `(token id, invite id)` of each.
pub async fn insert_tokens(
    tx: &mut AnyConnection,
    academy_id: AcademyId,
    rows: &[NewToken],
    now: i64,
    expires_at: i64,
) -> Result<Vec<(InviteTokenId, InviteId)>, sqlx::Error> {
    const COLS: usize = 6;
    let mut out = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(rows_per_statement(COLS)) {
        let sql = format!(
            "INSERT INTO invite_tokens (academy_id, invite_id, salt, token_hash, created_at, expires_at) \
             VALUES {} RETURNING id, invite_id",
            values(chunk.len(), COLS, 1, sign(tx))
        );
        let mut q = sqlx::query_as::<_, (InviteTokenId, InviteId)>(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            q = q
                .bind(academy_id)
                .bind(r.invite_id)
                .bind(&r.salt)
                .bind(&r.token_hash)
                .bind(now)
                .bind(expires_at);
        }
        out.extend(q.fetch_all(&mut *tx).await?);
    }
    Ok(out)
}

/// Queues invitation emails: `(token id, to, message id)`.
pub async fn enqueue_invite_emails(
    tx: &mut AnyConnection,
    academy_id: AcademyId,
    rows: &[(InviteTokenId, String, String)],
    now: i64,
) -> Result<(), sqlx::Error> {
    // Per row: academy, token, to, message id, due, created; kind, status, attempts are literals.
    const ROW: [&str; 9] = ["?", "'invite'", "?", "?", "?", "'queued'", "0", "?", "?"];
    for chunk in rows.chunks(rows_per_statement(6)) {
        let sql = format!(
            "INSERT INTO email_outbox (academy_id, kind, ref_id, to_email, message_id, status, attempts, \
             next_attempt_at, created_at) VALUES {}",
            values_with(chunk.len(), &ROW, 1, sign(tx))
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (token_id, to, message_id) in chunk {
            q = q
                .bind(academy_id)
                .bind(*token_id)
                .bind(to)
                .bind(message_id)
                .bind(now)
                .bind(now);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

/// Puts every invitation in `invite_ids` in every team of `team_ids` (places they have stay).
pub async fn add_invite_teams(
    tx: &mut AnyConnection,
    invite_ids: &[InviteId],
    team_ids: &[TeamId],
) -> Result<(), sqlx::Error> {
    const COLS: usize = 2;
    let pairs: Vec<(InviteId, TeamId)> = invite_ids
        .iter()
        .flat_map(|i| team_ids.iter().map(move |t| (*i, *t)))
        .collect();
    for chunk in pairs.chunks(rows_per_statement(COLS)) {
        let sql = format!(
            "INSERT INTO invite_teams (invite_id, team_id) VALUES {} ON CONFLICT (invite_id, team_id) DO NOTHING",
            values(chunk.len(), COLS, 1, sign(tx))
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (i, t) in chunk {
            q = q.bind(*i).bind(*t);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

/// Puts every user of `user_ids` in every team of `team_ids`; returns the user id of each new
/// membership (one per team a user was not in yet).
pub async fn add_members(
    tx: &mut AnyConnection,
    academy_id: AcademyId,
    user_ids: &[UserId],
    team_ids: &[TeamId],
    now: i64,
) -> Result<Vec<UserId>, sqlx::Error> {
    const COLS: usize = 4;
    let pairs: Vec<(TeamId, UserId)> = user_ids
        .iter()
        .flat_map(|u| team_ids.iter().map(move |t| (*t, *u)))
        .collect();
    let mut added = Vec::new();
    for chunk in pairs.chunks(rows_per_statement(COLS)) {
        let sql = format!(
            "INSERT INTO team_members (team_id, user_id, academy_id, added_at) VALUES {} \
             ON CONFLICT (team_id, user_id) DO NOTHING RETURNING user_id",
            values(chunk.len(), COLS, 1, sign(tx))
        );
        let mut q = sqlx::query_scalar::<_, UserId>(sqlx::AssertSqlSafe(sql));
        for (t, u) in chunk {
            q = q.bind(*t).bind(*u).bind(academy_id).bind(now);
        }
        added.extend(q.fetch_all(&mut *tx).await?);
    }
    Ok(added)
}
