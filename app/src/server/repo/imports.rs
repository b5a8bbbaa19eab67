//! CSV imports and what happened to each line, plus the multi-row statements a chunk of an import
//! needs (invitations, their links, their emails, team places, memberships).

use crate::domain::{AcademyId, ApiClientId, ImportId, InviteId, InviteTokenId, TeamId, UserId};
use crate::domain::{
    invite::{InviteSource, InviteState, LineOutcome},
    role::Role,
};
use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::batch::{Col, is_sqlite, json, list_of, rows_of};

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

/// Of `lines`, those this import has handled already. A file's chunks come in order, so a new
/// chunk's lines all lie past the last one recorded: found by one step down the primary key
/// instead of one search per line.
pub async fn lines_done(
    conn: &mut AnyConnection,
    import_id: ImportId,
    lines: &[i64],
) -> Result<Vec<LineRow>, sqlx::Error> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(line) FROM import_rows WHERE import_id = $1")
            .bind(import_id)
            .fetch_one(&mut *conn)
            .await?;
    let lines: Vec<i64> = match last {
        None => return Ok(vec![]),
        Some(last) => lines.iter().copied().filter(|l| *l <= last).collect(),
    };
    if lines.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT line, email, first_name, last_name, outcome, invite_id, added_to_teams, message \
         FROM import_rows WHERE import_id = $1 AND line IN ({})",
        list_of(is_sqlite(conn), 2, Col::Int("line"))
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .persistent(false)
        .bind(import_id)
        .bind(json(&lines)?)
        .fetch_all(conn)
        .await
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
    let sql = emails_seen_sql(is_sqlite(conn));
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .persistent(false)
        .bind(import_id)
        .bind(json(emails)?)
        .fetch_all(conn)
        .await
}

/// The statement of `emails_seen` (`$1` the import, `$2` the addresses); it searches the import's
/// lines by address.
///
/// Statements with a list of addresses or lines are not kept prepared (`persistent(false)`):
/// after five runs PostgreSQL would switch a kept one to a generic plan that walks every row of
/// the academy (measured: 1,000-row chunks slowing from 0.15 s to 5 s over a 100,000-row upload).
pub fn emails_seen_sql(sqlite: bool) -> String {
    format!(
        "SELECT email, MIN(line) FROM import_rows WHERE import_id = $1 AND outcome <> 'invalid' \
         AND email IN ({}) GROUP BY email",
        list_of(sqlite, 2, Col::Text("email"))
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
    if rows.is_empty() {
        return Ok(());
    }
    let cols = [
        Col::Int("line"),
        Col::Text("email"),
        Col::Text("first_name"),
        Col::Text("last_name"),
        Col::Text("outcome"),
        Col::Int("invite_id"),
        Col::Int("added_to_teams"),
        Col::Text("message"),
    ];
    let sql = format!(
        "INSERT INTO import_rows (import_id, line, email, first_name, last_name, outcome, invite_id, \
         added_to_teams, message) SELECT $1, x.* FROM ({}) AS x",
        rows_of(is_sqlite(tx), 2, &cols)
    );
    let rows: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.line,
                &r.email,
                &r.first_name,
                &r.last_name,
                r.outcome.as_str(),
                r.invite_id,
                r.added_to_teams,
                &r.message,
            )
        })
        .collect();
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(import_id)
        .bind(json(&rows)?)
        .execute(&mut *tx)
        .await?;
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
    if emails.is_empty() {
        return Ok((vec![], vec![]));
    }
    let [users_sql, invites_sql] = known_emails_sql(is_sqlite(tx));
    let emails = json(emails)?;
    let users = sqlx::query_as(sqlx::AssertSqlSafe(users_sql))
        .persistent(false)
        .bind(academy_id)
        .bind(&emails)
        .fetch_all(&mut *tx)
        .await?;
    let rows = sqlx::query_as::<_, (InviteId, String, Role, InviteState)>(sqlx::AssertSqlSafe(
        invites_sql,
    ))
    .persistent(false)
    .bind(academy_id)
    .bind(&emails)
    .fetch_all(&mut *tx)
    .await?;
    let invites = rows
        .into_iter()
        .filter(|row| row.3 == InviteState::Pending)
        .map(|(id, email, role, _)| (id, email, role))
        .collect();
    Ok((users, invites))
}

/// The two statements of `known_emails` (`$1` the academy, `$2` the addresses): the users, then
/// every invitation of those addresses (the caller keeps the pending ones). Both search by
/// address. The invitations' status is not in the `WHERE` on purpose: with it, SQLite (no
/// statistics) prefers the index on (academy, status, …) as soon as five addresses are asked, and
/// walks every pending invitation of the academy — 65 ms per look-up at 100,000 pending, in every
/// chunk of an upload.
pub fn known_emails_sql(sqlite: bool) -> [String; 2] {
    let list = list_of(sqlite, 2, Col::Text("email"));
    [
        format!("SELECT id, email, role FROM users WHERE academy_id = $1 AND email IN ({list})"),
        format!(
            "SELECT id, email, role, status FROM invites WHERE academy_id = $1 AND email IN ({list})"
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
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let email_status = if batch.send_email {
        "queued"
    } else {
        "not_requested"
    };
    let cols = [
        Col::Text("email"),
        Col::Text("first_name"),
        Col::Text("last_name"),
    ];
    let sqlite = is_sqlite(tx);
    // SQLite names the new rows afterwards in one row (`made_since`) instead of a row each.
    let returning = if sqlite { "" } else { " RETURNING id, email" };
    // `WHERE true`: SQLite needs it to tell the upsert's `ON` from a join's.
    let sql = format!(
        "INSERT INTO invites (academy_id, email, first_name, last_name, role, send_email, status, \
         email_status, source, invited_by, created_at, updated_at, expires_at, message) \
         SELECT $1, x.email, x.first_name, x.last_name, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, $10 \
         FROM ({}) AS x WHERE true \
         ON CONFLICT (academy_id, email) WHERE status = 'pending' DO NOTHING{returning}",
        rows_of(sqlite, 11, &cols)
    );
    let rows: Vec<_> = rows
        .iter()
        .map(|r| (r.email, r.first_name, r.last_name))
        .collect();
    let before = if sqlite {
        Some(last_id(tx, "invites").await?)
    } else {
        None
    };
    let q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(batch.academy_id)
        .bind(batch.role)
        .bind(i64::from(batch.send_email))
        .bind(email_status)
        .bind(batch.source)
        .bind(batch.invited_by)
        .bind(now)
        .bind(now)
        .bind(batch.expires_at)
        .bind(batch.message)
        .bind(json(&rows)?);
    match before {
        None => q.fetch_all(&mut *tx).await,
        Some(before) => {
            // No row comes back (no RETURNING): this runs the insert.
            q.fetch_optional(&mut *tx).await?;
            made_since(tx, before).await
        }
    }
}

/// SQLite: the highest id `table` has ever handed out (AUTOINCREMENT never hands out a lower one).
async fn last_id(tx: &mut AnyConnection, table: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = $1")
        .bind(table)
        .fetch_one(&mut *tx)
        .await
}

/// SQLite: `(id, email)` of every invitation made since `last_id` answered `before`, in one row
/// of JSON. A row each through the driver costs ~1.8 µs (measured: 0.18 s of a 100,000-row
/// upload). Only the caller's rows can be there: its transaction is SQLite's one writer
/// (`Db::write` begins it IMMEDIATE) from before `last_id` was read.
async fn made_since(
    tx: &mut AnyConnection,
    before: i64,
) -> Result<Vec<(InviteId, String)>, sqlx::Error> {
    let made: String = sqlx::query_scalar(
        "SELECT json_group_array(json_array(id, email)) FROM invites WHERE id > $1",
    )
    .bind(before)
    .fetch_one(&mut *tx)
    .await?;
    serde_json::from_str(&made).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// One new invitation link.
pub struct NewToken {
    pub invite_id: InviteId,
    pub salt: String,
    pub token_hash: String,
}

/// Inserts links (all with the same expiry). With `ids` (to queue their emails), answers
/// `(token id, invite id)` of each; without, nothing (each id returned is one more row sent back).
pub async fn insert_tokens(
    tx: &mut AnyConnection,
    academy_id: AcademyId,
    rows: &[NewToken],
    (now, expires_at): (i64, i64),
    ids: bool,
) -> Result<Vec<(InviteTokenId, InviteId)>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let cols = [
        Col::Int("invite_id"),
        Col::Text("salt"),
        Col::Text("token_hash"),
    ];
    let sql = format!(
        "INSERT INTO invite_tokens (academy_id, invite_id, salt, token_hash, created_at, expires_at) \
         SELECT $1, x.invite_id, x.salt, x.token_hash, $2, $3 FROM ({}) AS x{}",
        rows_of(is_sqlite(tx), 4, &cols),
        if ids { " RETURNING id, invite_id" } else { "" }
    );
    let rows: Vec<_> = rows
        .iter()
        .map(|r| (r.invite_id, &r.salt, &r.token_hash))
        .collect();
    let q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(academy_id)
        .bind(now)
        .bind(expires_at)
        .bind(json(&rows)?);
    if ids {
        q.fetch_all(&mut *tx).await
    } else {
        // No row comes back (no RETURNING): this runs the insert.
        q.fetch_optional(&mut *tx).await.map(|_| vec![])
    }
}

/// Queues invitation emails: `(token id, to, message id)`.
pub async fn enqueue_invite_emails(
    tx: &mut AnyConnection,
    academy_id: AcademyId,
    rows: &[(InviteTokenId, String, String)],
    now: i64,
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let cols = [
        Col::Int("ref_id"),
        Col::Text("to_email"),
        Col::Text("message_id"),
    ];
    let sql = format!(
        "INSERT INTO email_outbox (academy_id, kind, ref_id, to_email, message_id, status, attempts, \
         next_attempt_at, created_at) \
         SELECT $1, 'invite', x.ref_id, x.to_email, x.message_id, 'queued', 0, $2, $3 FROM ({}) AS x",
        rows_of(is_sqlite(tx), 4, &cols)
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(academy_id)
        .bind(now)
        .bind(now)
        .bind(json(rows)?)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Puts every invitation in `invite_ids` in every team of `team_ids` (places they have stay).
pub async fn add_invite_teams(
    tx: &mut AnyConnection,
    invite_ids: &[InviteId],
    team_ids: &[TeamId],
) -> Result<(), sqlx::Error> {
    if invite_ids.is_empty() || team_ids.is_empty() {
        return Ok(());
    }
    let sqlite = is_sqlite(tx);
    let sql = format!(
        "INSERT INTO invite_teams (invite_id, team_id) SELECT i.value, t.value \
         FROM ({}) AS i, ({}) AS t WHERE true ON CONFLICT (invite_id, team_id) DO NOTHING",
        list_of(sqlite, 1, Col::Int("invite_id")),
        list_of(sqlite, 2, Col::Int("team_id"))
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(json(invite_ids)?)
        .bind(json(team_ids)?)
        .execute(&mut *tx)
        .await?;
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
    if user_ids.is_empty() || team_ids.is_empty() {
        return Ok(vec![]);
    }
    let sqlite = is_sqlite(tx);
    let sql = format!(
        "INSERT INTO team_members (team_id, user_id, academy_id, added_at) \
         SELECT t.value, u.value, $1, $2 FROM ({}) AS u, ({}) AS t WHERE true \
         ON CONFLICT (team_id, user_id) DO NOTHING RETURNING user_id",
        list_of(sqlite, 3, Col::Int("user_id")),
        list_of(sqlite, 4, Col::Int("team_id"))
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(academy_id)
        .bind(now)
        .bind(json(user_ids)?)
        .bind(json(team_ids)?)
        .fetch_all(&mut *tx)
        .await
}
