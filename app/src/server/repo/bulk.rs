//! Statements over a batch of learners or invitations at once (at most a few hundred ids, so one
//! statement binds them all): what a bulk action reads and writes.

use crate::domain::{AcademyId, InviteId, TeamId, UserId};
use crate::server::db::TeamPlace;
use sqlx::AnyConnection;

use super::{
    invites::InviteRow,
    teams::placeholders,
    users::{COLUMNS, UserRow},
};
use crate::domain::{account::AccountStatus, role::Role};

/// The users among `ids` in the academy (others are left out).
pub async fn users(
    conn: &mut AnyConnection,
    academy_id: AcademyId,
    ids: &[UserId],
) -> Result<Vec<UserRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE academy_id = $1 AND id IN ({})",
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .persistent(false)
        .bind(academy_id);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(conn).await
}

/// A column of `users` a bulk action sets, with its value.
pub enum UserChange {
    Status(AccountStatus),
    Role(Role),
}

/// Sets one column of the users `ids` of the academy.
pub async fn update_users(
    conn: &mut AnyConnection,
    academy_id: AcademyId,
    ids: &[UserId],
    change: UserChange,
) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let (column, value) = match change {
        UserChange::Status(status) => ("status", status.as_str()),
        UserChange::Role(role) => ("role", role.as_str()),
    };
    let sql = format!(
        "UPDATE users SET {column} = $1 WHERE academy_id = $2 AND id IN ({})",
        placeholders(3, ids.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .persistent(false)
        .bind(value)
        .bind(academy_id);
    for id in ids {
        q = q.bind(*id);
    }
    q.execute(conn).await?;
    Ok(())
}

/// Ends every session of the users `ids`: they are signed out at once.
pub async fn end_sessions(conn: &mut AnyConnection, ids: &[UserId]) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM sessions WHERE user_id IN ({})",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
    for id in ids {
        q = q.bind(*id);
    }
    q.execute(conn).await?;
    Ok(())
}

/// Takes `owners` (users or invitations) out of `teams`; returns the `(owner, team)` places that
/// existed and are gone.
pub async fn leave_teams<Owner: TeamPlace>(
    conn: &mut AnyConnection,
    owners: &[Owner],
    teams: &[TeamId],
) -> Result<Vec<(Owner, TeamId)>, sqlx::Error> {
    if owners.is_empty() || teams.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "DELETE FROM {table} WHERE {owner} IN ({}) AND team_id IN ({}) RETURNING {owner}, team_id",
        placeholders(1, owners.len()),
        placeholders(owners.len() + 1, teams.len()),
        owner = Owner::OWNER,
        table = Owner::TABLE,
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).persistent(false);
    for id in owners {
        q = q.bind(*id);
    }
    for id in teams {
        q = q.bind(*id);
    }
    q.fetch_all(conn).await
}

/// The invitations among `ids` in the academy, whatever their state.
pub async fn invites(
    conn: &mut AnyConnection,
    academy_id: AcademyId,
    ids: &[InviteId],
) -> Result<Vec<InviteRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT {} FROM invites WHERE academy_id = $1 AND id IN ({})",
        super::invites::COLUMNS,
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .persistent(false)
        .bind(academy_id);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(conn).await
}
