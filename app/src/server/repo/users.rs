use sqlx::{Any, Executor, FromRow};

use crate::domain::{AcademyId, UserId};
use crate::{
    domain::{account::AccountStatus, role::Role},
    model::UserView,
    server::db::Tx,
};

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: UserId,
    pub academy_id: AcademyId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub status: AccountStatus,
    pub created_at: i64,
    pub last_sign_in_at: Option<i64>,
}

impl UserRow {
    pub fn view(&self) -> UserView {
        UserView {
            id: self.id,
            email: self.email.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            role: self.role,
        }
    }
}

/// The stored password hash, kept apart from `UserRow` so it is never serialised by accident.
#[derive(FromRow)]
pub struct Credentials {
    pub id: UserId,
    pub password_hash: Option<String>,
    pub status: AccountStatus,
}

pub(crate) const COLUMNS: &str =
    "id, academy_id, email, first_name, last_name, role, status, created_at, last_sign_in_at";

pub struct NewUser<'a> {
    pub academy_id: AcademyId,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

#[tracing::instrument(skip(ex, user), fields(academy_id = user.academy_id.get()))]
pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    user: &NewUser<'_>,
    now: i64,
) -> Result<UserId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (academy_id, email, first_name, last_name, role, password_hash, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'active', $7) RETURNING id",
    )
    .bind(user.academy_id)
    .bind(user.email)
    .bind(user.first_name)
    .bind(user.last_name)
    .bind(user.role.as_str())
    .bind(user.password_hash)
    .bind(now)
    .fetch_one(ex)
    .await
}

#[tracing::instrument(skip(ex))]
pub async fn credentials<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    email: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, password_hash, status FROM users WHERE academy_id = $1 AND email = $2",
    )
    .bind(academy_id)
    .bind(email)
    .fetch_optional(ex)
    .await
}

#[tracing::instrument(skip(ex))]
pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: UserId,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE academy_id = $1 AND id = $2"
    )))
    .bind(academy_id)
    .bind(id)
    .fetch_optional(ex)
    .await
}

pub async fn touch_sign_in<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: UserId,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE academy_id = $2 AND id = $3")
        .bind(now)
        .bind(academy_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn by_email<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    email: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE academy_id = $1 AND email = $2"
    )))
    .bind(academy_id)
    .bind(email)
    .fetch_optional(ex)
    .await
}

#[tracing::instrument(skip(ex))]
pub async fn set_role<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: UserId,
    role: Role,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE users SET role = $1 WHERE academy_id = $2 AND id = $3")
            .bind(role.as_str())
            .bind(academy_id)
            .bind(id)
            .execute(ex)
            .await?
            .rows_affected()
            == 1,
    )
}

/// Sets whether the account can be used; false when there is no such user.
#[tracing::instrument(skip(ex))]
pub async fn set_status<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: UserId,
    status: AccountStatus,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE users SET status = $1 WHERE academy_id = $2 AND id = $3")
            .bind(status.as_str())
            .bind(academy_id)
            .bind(id)
            .execute(ex)
            .await?
            .rows_affected()
            == 1,
    )
}

/// A learner's corrected name and email.
pub async fn set_details<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    id: UserId,
    first_name: &str,
    last_name: &str,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET first_name = $1, last_name = $2, email = $3 WHERE academy_id = $4 AND id = $5",
    )
    .bind(first_name)
    .bind(last_name)
    .bind(email)
    .bind(academy_id)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}

/// How many users of the academy have `role`.
#[tracing::instrument(skip(ex))]
pub async fn count_with_role<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    role: Role,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE academy_id = $1 AND role = $2")
        .bind(academy_id)
        .bind(role.as_str())
        .fetch_one(ex)
        .await
}

/// Deletes the user with their sessions and team memberships, in the caller's transaction. Invites
/// that name them (as inviter or as the accepted account) keep their history: the foreign keys set
/// those columns to NULL. Returns false when there was no such user.
#[tracing::instrument(skip(tx))]
pub async fn delete(tx: &mut Tx, academy_id: AcademyId, id: UserId) -> Result<bool, sqlx::Error> {
    // Sessions and memberships would also go by cascade; deleting them here does not depend on
    // SQLite's per-connection `foreign_keys` pragma being on.
    sqlx::query("DELETE FROM sessions WHERE academy_id = $1 AND user_id = $2")
        .bind(academy_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM team_members WHERE academy_id = $1 AND user_id = $2")
        .bind(academy_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(
        sqlx::query("DELETE FROM users WHERE academy_id = $1 AND id = $2")
            .bind(academy_id)
            .bind(id)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            == 1,
    )
}

/// Erases the person with `email` from what stays after their account is deleted: invitations and
/// uploaded rows keep their counts and outcomes but show `label` instead of the address and no
/// name (an invitation loses its personal message too: it may greet them by name); audit entries about them name `label`. A pending invitation for the address is revoked.
pub async fn erase_person(
    tx: &mut Tx,
    academy_id: AcademyId,
    email: &str,
    label: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE invites SET status = CASE WHEN status = 'pending' THEN 'revoked' ELSE status END, \
         email = $3, first_name = '', last_name = '', message = '' WHERE academy_id = $1 AND email = $2",
    )
    .bind(academy_id)
    .bind(email)
    .bind(label)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE import_rows SET email = $3, first_name = '', last_name = '' \
         WHERE email = $2 AND import_id IN (SELECT id FROM imports WHERE academy_id = $1)",
    )
    .bind(academy_id)
    .bind(email)
    .bind(label)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_log SET target = $3 WHERE academy_id = $1 AND target = $2")
        .bind(academy_id)
        .bind(email)
        .bind(label)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A new password (reset or changed); the caller ends the sessions that must end.
pub async fn set_password<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    user_id: UserId,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE academy_id = $2 AND id = $3")
        .bind(password_hash)
        .bind(academy_id)
        .bind(user_id)
        .execute(ex)
        .await?;
    Ok(())
}
