use sqlx::{Any, Executor, FromRow};

use crate::domain::{AcademyId, SignupCodeId};

#[derive(Debug, Clone, FromRow)]
pub struct SignupCodeRow {
    pub id: SignupCodeId,
    pub academy_id: AcademyId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: String,
    pub salt: String,
    pub attempts: i64,
    pub expires_at: i64,
}

const COLUMNS: &str =
    "id, academy_id, email, first_name, last_name, password_hash, salt, attempts, expires_at";

pub struct NewSignupCode<'a> {
    pub academy_id: AcademyId,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub password_hash: &'a str,
    pub salt: &'a str,
    /// Wrong codes already tried for this address (`attempts_so_far`): a new code does not reset them.
    pub attempts: i64,
    pub expires_at: i64,
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    c: &NewSignupCode<'_>,
    now: i64,
) -> Result<SignupCodeId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO signup_codes (academy_id, email, first_name, last_name, password_hash, salt, attempts, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(c.academy_id)
    .bind(c.email)
    .bind(c.first_name)
    .bind(c.last_name)
    .bind(c.password_hash)
    .bind(c.salt)
    .bind(c.attempts)
    .bind(now)
    .bind(c.expires_at)
    .fetch_one(ex)
    .await
}

/// The newest pending sign-up of this email.
pub async fn latest<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    email: &str,
) -> Result<Option<SignupCodeRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM signup_codes WHERE academy_id = $1 AND email = $2 ORDER BY id DESC LIMIT 1"
    )))
    .bind(academy_id)
    .bind(email)
    .fetch_optional(ex)
    .await
}

pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: SignupCodeId,
) -> Result<Option<SignupCodeRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM signup_codes WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// Counts one try of the code and returns how many there have been, this one included: one
/// statement, so of any number of parallel tries each gets its own number.
pub async fn count_attempt<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: SignupCodeId,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE signup_codes SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts",
    )
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// The most codes tried against any sign-up of this address that has not expired yet.
pub async fn attempts_so_far<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    email: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COALESCE(MAX(attempts), 0) FROM signup_codes WHERE academy_id = $1 AND email = $2 AND expires_at > $3",
    )
    .bind(academy_id)
    .bind(email)
    .bind(now)
    .fetch_one(ex)
    .await
}

pub async fn delete_for<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM signup_codes WHERE academy_id = $1 AND email = $2")
        .bind(academy_id)
        .bind(email)
        .execute(ex)
        .await?;
    Ok(())
}
