use sqlx::{Any, Executor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct SignupCodeRow {
    pub id: i64,
    pub academy_id: i64,
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
    pub academy_id: i64,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub password_hash: &'a str,
    pub salt: &'a str,
    pub expires_at: i64,
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    c: &NewSignupCode<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO signup_codes (academy_id, email, first_name, last_name, password_hash, salt, attempts, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8) RETURNING id",
    )
    .bind(c.academy_id)
    .bind(c.email)
    .bind(c.first_name)
    .bind(c.last_name)
    .bind(c.password_hash)
    .bind(c.salt)
    .bind(now)
    .bind(c.expires_at)
    .fetch_one(ex)
    .await
}

/// The newest pending sign-up of this email.
pub async fn latest<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: i64,
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
    id: i64,
) -> Result<Option<SignupCodeRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM signup_codes WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

pub async fn count_attempt<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE signup_codes SET attempts = attempts + 1 WHERE id = $1")
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn delete_for<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: i64,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM signup_codes WHERE academy_id = $1 AND email = $2")
        .bind(academy_id)
        .bind(email)
        .execute(ex)
        .await?;
    Ok(())
}
