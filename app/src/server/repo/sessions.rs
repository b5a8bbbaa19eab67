use sqlx::{Any, Executor, FromRow};

use crate::domain::{AcademyId, UserId};

/// A live session joined with its user: everything a request needs to know who is asking.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub academy_id: AcademyId,
    pub user_id: UserId,
    pub expires_at: i64,
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
    academy_id: AcademyId,
    user_id: UserId,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, academy_id, user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(academy_id)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn find<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as("SELECT academy_id, user_id, expires_at FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(ex)
        .await
}

pub async fn delete<'c>(
    ex: impl Executor<'c, Database = Any>,
    token_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(ex)
        .await?;
    Ok(())
}

/// Ends the person's sessions but the one of `keep` (a session token hash), if given.
pub async fn end_sessions<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    keep: Option<&str>,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(keep.unwrap_or(""))
            .execute(ex)
            .await?
            .rows_affected(),
    )
}
