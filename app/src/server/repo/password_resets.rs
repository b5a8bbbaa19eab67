//! Password reset links ("Forgot your password?", or sent by an administrator).

use crate::domain::account::AccountStatus;
use crate::domain::{AcademyId, PasswordResetId, UserId};
use sqlx::{Any, Executor, FromRow};

/// One reset link with what its email and page need.
#[derive(Debug, Clone, FromRow)]
pub struct ResetRow {
    pub id: PasswordResetId,
    pub academy_id: AcademyId,
    pub user_id: UserId,
    pub salt: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub status: AccountStatus,
}

const SELECT: &str = "SELECT r.id, r.academy_id, r.user_id, r.salt, r.expires_at, r.used_at, \
     u.email, u.first_name, u.last_name, u.status \
     FROM password_resets r JOIN users u ON u.id = r.user_id";

pub struct NewReset<'a> {
    pub academy_id: AcademyId,
    pub user_id: UserId,
    pub salt: &'a str,
    pub token_hash: &'a str,
    pub sent_by: Option<UserId>,
    pub expires_at: i64,
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    r: &NewReset<'_>,
    now: i64,
) -> Result<PasswordResetId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO password_resets (academy_id, user_id, salt, token_hash, sent_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(r.academy_id)
    .bind(r.user_id)
    .bind(r.salt)
    .bind(r.token_hash)
    .bind(r.sent_by)
    .bind(now)
    .bind(r.expires_at)
    .fetch_one(ex)
    .await
}

pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: PasswordResetId,
) -> Result<Option<ResetRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.id = $1")))
        .bind(id)
        .fetch_optional(ex)
        .await
}

/// The link of `token_hash` in this academy, used or not.
pub async fn by_token_hash<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    token_hash: &str,
) -> Result<Option<ResetRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE r.academy_id = $1 AND r.token_hash = $2"
    )))
    .bind(academy_id)
    .bind(token_hash)
    .fetch_optional(ex)
    .await
}

/// Marks the link used; false when it was used (or is gone) already — the single use is decided
/// here, by the one `UPDATE` that wins.
pub async fn use_once<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: PasswordResetId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE password_resets SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(id)
    .execute(ex)
    .await?
    .rows_affected()
        == 1)
}

/// Every other link of the person stops working once a password was set.
pub async fn retire_for_user<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: UserId,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(ex)
        .await?;
    Ok(())
}
