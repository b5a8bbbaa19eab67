use sqlx::{Any, Executor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct TeamRow {
    pub id: i64,
    pub name: String,
    pub color: String,
}

/// `$first, $first+1, …` for `n` values: an IN list for runtime-built SQL.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn list<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: i64,
) -> Result<Vec<TeamRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, color FROM teams WHERE academy_id = $1 ORDER BY lower(name)")
        .bind(academy_id)
        .fetch_all(ex)
        .await
}

/// Of `ids`, those that are teams of this academy.
pub async fn existing_ids<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: i64,
    ids: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT id FROM teams WHERE academy_id = $1 AND id IN ({})",
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(academy_id);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(ex).await
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: i64,
    name: &str,
    color: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO teams (academy_id, name, color, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(academy_id)
        .bind(name)
        .bind(color)
        .bind(now)
        .fetch_one(ex)
        .await
}

/// Adds a member; returns false when they already were one.
pub async fn add_member<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: i64,
    team_id: i64,
    user_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO team_members (team_id, user_id, academy_id, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (team_id, user_id) DO NOTHING",
    )
    .bind(team_id)
    .bind(user_id)
    .bind(academy_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn of_user<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: i64,
    user_id: i64,
) -> Result<Vec<TeamRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.name, t.color FROM team_members m JOIN teams t ON t.id = m.team_id \
         WHERE m.academy_id = $1 AND m.user_id = $2 ORDER BY lower(t.name)",
    )
    .bind(academy_id)
    .bind(user_id)
    .fetch_all(ex)
    .await
}
