//! API clients (OAuth applications), their bearer tokens and their token buckets.

use crate::domain::role::Plan;
use crate::domain::{AcademyId, ApiClientId, UserId};
use sqlx::{Any, Executor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct ClientRow {
    pub id: ApiClientId,
    pub academy_id: AcademyId,
    pub name: String,
    pub client_id: String,
    pub secret_hash: String,
    pub callback_uri: Option<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub creator_first: Option<String>,
    pub creator_last: Option<String>,
}

const SELECT: &str = "SELECT c.id, c.academy_id, c.name, c.client_id, c.secret_hash, c.callback_uri, \
     c.created_at, c.last_used_at, c.revoked_at, u.first_name AS creator_first, u.last_name AS creator_last \
     FROM api_clients c LEFT JOIN users u ON u.id = c.created_by";

pub struct NewClient<'a> {
    pub academy_id: AcademyId,
    pub name: &'a str,
    pub client_id: &'a str,
    pub secret_hash: &'a str,
    pub callback_uri: Option<&'a str>,
    pub created_by: UserId,
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    c: &NewClient<'_>,
    now: i64,
) -> Result<ApiClientId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO api_clients (academy_id, name, client_id, secret_hash, callback_uri, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(c.academy_id)
    .bind(c.name)
    .bind(c.client_id)
    .bind(c.secret_hash)
    .bind(c.callback_uri)
    .bind(c.created_by)
    .bind(now)
    .fetch_one(ex)
    .await
}

/// The academy's clients, newest first (revoked ones too: the list says when).
pub async fn list<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
) -> Result<Vec<ClientRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.academy_id = $1 ORDER BY c.id DESC LIMIT 200"
    )))
    .bind(academy_id)
    .fetch_all(ex)
    .await
}

pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: ApiClientId,
) -> Result<Option<ClientRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.academy_id = $1 AND c.id = $2"
    )))
    .bind(academy_id)
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// A client by its public identifier, whichever academy it belongs to (the token endpoint learns
/// the academy from it).
pub async fn by_client_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    client_id: &str,
) -> Result<Option<ClientRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.client_id = $1"
    )))
    .bind(client_id)
    .fetch_optional(ex)
    .await
}

pub async fn rename<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: ApiClientId,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE api_clients SET name = $1 WHERE academy_id = $2 AND id = $3")
        .bind(name)
        .bind(academy_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Marks the client revoked; true when it was active.
pub async fn revoke<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: ApiClientId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_clients SET revoked_at = $1 WHERE academy_id = $2 AND id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(academy_id)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn delete_tokens<'c>(
    ex: impl Executor<'c, Database = Any>,
    client: ApiClientId,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM api_tokens WHERE client_id = $1")
        .bind(client)
        .execute(ex)
        .await?
        .rows_affected())
}

pub async fn insert_token<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    client: ApiClientId,
    token_hash: &str,
    scope: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO api_tokens (academy_id, client_id, token_hash, scope, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(academy_id)
    .bind(client)
    .bind(token_hash)
    .bind(scope)
    .bind(now)
    .bind(expires_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// The bearer behind a token, only for a client that is not revoked.
#[derive(Debug, Clone, FromRow)]
pub struct TokenOwner {
    pub academy_id: AcademyId,
    pub client_id: ApiClientId,
    pub name: String,
    pub expires_at: i64,
    /// The academy's plan (which learner roles it offers).
    pub plan: Plan,
}

pub async fn token_owner<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
) -> Result<Option<TokenOwner>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.academy_id, t.client_id, c.name, t.expires_at, a.plan FROM api_tokens t \
         JOIN api_clients c ON c.id = t.client_id AND c.academy_id = t.academy_id \
         JOIN academies a ON a.id = t.academy_id \
         WHERE t.token_hash = $1 AND c.revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(ex)
    .await
}

/// Takes one call (1,000 thousandths) from the client's bucket, refilled at `per_second` up to
/// `burst`, and notes the use. Returns what is left in thousandths, or `None` when the bucket
/// holds less than one call (nothing is taken then). One statement, so concurrent calls of one
/// client on several servers never overdraw it; a call whose clock reading is older than the last
/// one refills nothing (never a negative refill).
pub async fn take_from_bucket<'c>(
    ex: impl Executor<'c, Database = Any>,
    client: ApiClientId,
    per_second: i64,
    burst: i64,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE api_clients SET bucket_milli = {LEVEL} - 1000, \
         bucket_at = CASE WHEN $1 > bucket_at THEN $1 ELSE bucket_at END, last_used_at = $1 \
         WHERE id = $4 AND {LEVEL} >= 1000 RETURNING bucket_milli"
    )))
    .bind(now)
    .bind(per_second)
    .bind(burst * 1000)
    .bind(client)
    .fetch_optional(ex)
    .await
}

/// The refilled level: min(burst, level + elapsed ms × per_second), in thousandths; `$1` now,
/// `$2` per second, `$3` the burst in thousandths.
const LEVEL: &str = "CASE WHEN bucket_milli + (CASE WHEN $1 > bucket_at THEN $1 - bucket_at ELSE 0 END) * $2 > $3 \
     THEN $3 ELSE bucket_milli + (CASE WHEN $1 > bucket_at THEN $1 - bucket_at ELSE 0 END) * $2 END";

/// The bucket's level now, in thousandths (for `Retry-After`).
pub async fn bucket_level<'c>(
    ex: impl Executor<'c, Database = Any>,
    client: ApiClientId,
    per_second: i64,
    burst: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {LEVEL} FROM api_clients WHERE id = $4"
    )))
    .bind(now)
    .bind(per_second)
    .bind(burst * 1000)
    .bind(client)
    .fetch_one(ex)
    .await
}
