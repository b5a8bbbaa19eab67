use crate::domain::invite::{EmailStatus, InviteState};
use crate::domain::{AcademyId, InviteId, InviteTokenId, TeamId, UserId};
use sqlx::{Any, Executor, FromRow};

use super::teams::placeholders;
use crate::domain::{invite::InviteSource, invite_message::PersonalMessage, role::Role};

#[derive(Debug, Clone, FromRow)]
pub struct InviteRow {
    pub id: InviteId,
    pub academy_id: AcademyId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub send_email: i64,
    pub status: InviteState,
    pub email_status: EmailStatus,
    pub email_error: Option<String>,
    pub source: InviteSource,
    pub invited_by: Option<UserId>,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
}

pub const COLUMNS: &str = "id, academy_id, email, first_name, last_name, role, send_email, status, email_status, \
     email_error, source, invited_by, created_at, updated_at, expires_at, accepted_at";

pub async fn pending_by_email<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    email: &str,
) -> Result<Option<InviteRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM invites WHERE academy_id = $1 AND email = $2 AND status = 'pending'"
    )))
    .bind(academy_id)
    .bind(email)
    .fetch_optional(ex)
    .await
}

pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: InviteId,
) -> Result<Option<InviteRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM invites WHERE academy_id = $1 AND id = $2"
    )))
    .bind(academy_id)
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// What a pending invite is renewed with: what the admin typed this time.
pub struct Renewal<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub role: Role,
    pub message: &'a PersonalMessage,
    pub expires_at: i64,
}

/// Renews a pending invite with what the admin typed this time.
pub async fn update_pending<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: InviteId,
    renewal: &Renewal<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE invites SET first_name = $1, last_name = $2, role = $3, expires_at = $4, updated_at = $5, reminded_at = NULL, \
         message = $6 WHERE id = $7 AND status = 'pending'",
    )
    .bind(renewal.first_name)
    .bind(renewal.last_name)
    .bind(renewal.role.as_str())
    .bind(renewal.expires_at)
    .bind(now)
    .bind(renewal.message.as_str())
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn set_email_status<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: InviteId,
    status: &str,
    error: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invites SET email_status = $1, email_error = $2 WHERE id = $3")
        .bind(status)
        .bind(error)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn extend<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: InviteId,
    expires_at: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE invites SET expires_at = $1, updated_at = $2, reminded_at = NULL WHERE id = $3",
    )
    .bind(expires_at)
    .bind(now)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}

/// Pending → revoked. False when it was no longer pending.
pub async fn revoke<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: InviteId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invites SET status = 'revoked', updated_at = $1 WHERE academy_id = $2 AND id = $3 AND status = 'pending'",
    )
    .bind(now)
    .bind(academy_id)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Pending → accepted by `user_id`. False when it was no longer pending.
pub async fn accept<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: InviteId,
    user_id: UserId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invites SET status = 'accepted', accepted_at = $1, updated_at = $1, user_id = $2 \
         WHERE id = $3 AND status = 'pending'",
    )
    .bind(now)
    .bind(user_id)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds teams to an invitation (those it has stay: inviting someone again, from the form, a team or
/// the API, never takes a team away).
pub async fn add_teams(
    tx: &mut sqlx::AnyConnection,
    invite_id: InviteId,
    team_ids: &[TeamId],
) -> Result<(), sqlx::Error> {
    if team_ids.is_empty() {
        return Ok(());
    }
    let values = (0..team_ids.len())
        .map(|i| format!("($1, ${})", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO invite_teams (invite_id, team_id) VALUES {values} \
         ON CONFLICT (invite_id, team_id) DO NOTHING"
    )))
    .bind(invite_id);
    for id in team_ids {
        q = q.bind(*id);
    }
    q.execute(&mut *tx).await?;
    Ok(())
}

pub async fn team_ids<'c>(
    ex: impl Executor<'c, Database = Any>,
    invite_id: InviteId,
) -> Result<Vec<TeamId>, sqlx::Error> {
    sqlx::query_scalar("SELECT team_id FROM invite_teams WHERE invite_id = $1")
        .bind(invite_id)
        .fetch_all(ex)
        .await
}

/// The teams of a page of invites: `(invite_id, team_id, name, colour)`.
pub async fn teams_for<'c>(
    ex: impl Executor<'c, Database = Any>,
    invite_ids: &[InviteId],
) -> Result<Vec<(InviteId, TeamId, String, String)>, sqlx::Error> {
    if invite_ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT it.invite_id, t.id, t.name, t.color FROM invite_teams it JOIN teams t ON t.id = it.team_id \
         WHERE it.invite_id IN ({}) ORDER BY lower(t.name)",
        placeholders(1, invite_ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in invite_ids {
        q = q.bind(*id);
    }
    q.fetch_all(ex).await
}

// ---- tokens ----

#[derive(Debug, Clone, FromRow)]
pub struct TokenRow {
    pub id: InviteTokenId,
    pub academy_id: AcademyId,
    pub invite_id: InviteId,
    pub salt: String,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert_token<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    invite_id: InviteId,
    salt: &str,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<InviteTokenId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO invite_tokens (academy_id, invite_id, salt, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(academy_id)
    .bind(invite_id)
    .bind(salt)
    .bind(token_hash)
    .bind(now)
    .bind(expires_at)
    .fetch_one(ex)
    .await
}

/// Moves a link's expiry later (never earlier), with its renewed invitation's.
pub async fn extend_token<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_id: InviteTokenId,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invite_tokens SET expires_at = $1 WHERE id = $2 AND expires_at < $1")
        .bind(expires_at)
        .bind(token_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// The link whose keyed hash is `token_hash`: searched by the hash's first 16 digits (the index
/// `invite_tokens_lookup`, migration 0024), then compared in full.
pub async fn token_by_hash<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as(TOKEN_BY_HASH_SQL)
        .bind(token_hash)
        .fetch_optional(ex)
        .await
}

/// The statement of `token_by_hash`.
pub const TOKEN_BY_HASH_SQL: &str = "SELECT id, academy_id, invite_id, salt, created_at, expires_at \
     FROM invite_tokens WHERE substr(token_hash, 1, 16) = substr($1, 1, 16) AND token_hash = $1";

/// The newest link of an invite (the one "Copy invite link" gives).
pub async fn latest_token<'c>(
    ex: impl Executor<'c, Database = Any>,
    invite_id: InviteId,
) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, academy_id, invite_id, salt, created_at, expires_at FROM invite_tokens WHERE invite_id = $1 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(invite_id)
    .fetch_optional(ex)
    .await
}

/// What the invitation email says, read in one query at send time.
#[derive(Debug, Clone, FromRow)]
pub struct InviteEmailFacts {
    pub invite_id: InviteId,
    pub salt: String,
    pub expires_at: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub status: InviteState,
    pub academy_slug: String,
    pub academy_name: String,
    /// The inviter's names and email, when the inviter still has an account.
    pub inviter_first_name: Option<String>,
    pub inviter_last_name: Option<String>,
    pub inviter_email: Option<String>,
    /// The batch's personal message ('' none).
    pub message: String,
}

pub async fn email_facts<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_id: InviteTokenId,
) -> Result<Option<InviteEmailFacts>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id AS invite_id, t.salt, t.expires_at, i.email, i.first_name, i.last_name, i.role, i.status, \
         a.slug AS academy_slug, a.name AS academy_name, u.first_name AS inviter_first_name, \
         u.last_name AS inviter_last_name, u.email AS inviter_email, i.message \
         FROM invite_tokens t \
         JOIN invites i ON i.id = t.invite_id AND i.academy_id = t.academy_id \
         JOIN academies a ON a.id = t.academy_id \
         LEFT JOIN users u ON u.id = i.invited_by AND u.academy_id = i.academy_id \
         WHERE t.id = $1",
    )
    .bind(token_id)
    .fetch_optional(ex)
    .await
}
