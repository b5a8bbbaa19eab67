//! Courses and the teams they are assigned to; the courses a learner sees.

use sqlx::{Any, Executor, FromRow};

use super::{
    lists::{PER_PAGE, like_pattern, offset},
    teams::placeholders,
};
use crate::domain::{AcademyId, CourseId, TeamId, UserId};

#[derive(Debug, Clone, FromRow)]
pub struct CourseRow {
    pub id: CourseId,
    pub title: String,
    pub description: String,
    /// 0 or 1 (portable booleans, see migrations/README.md).
    pub published: i64,
    pub for_everyone: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, title, description, published, for_everyone, created_at, updated_at";

/// One team a course is assigned to.
#[derive(Debug, Clone, FromRow)]
pub struct CourseTeamRow {
    pub course_id: CourseId,
    pub id: TeamId,
    pub name: String,
    pub color: String,
}

/// What `insert` and `update` write.
pub struct CourseFields<'a> {
    pub title: &'a str,
    pub title_key: &'a str,
    pub description: &'a str,
    pub published: bool,
    pub for_everyone: bool,
}

/// A page of the Courses section by title; `search` matches the title regardless of case.
#[tracing::instrument(skip(ex))]
pub async fn page<'c, E>(
    ex: E,
    academy_id: AcademyId,
    search: &str,
    page: u32,
) -> Result<(Vec<CourseRow>, i64), sqlx::Error>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let pattern = like_pattern(search);
    let condition = "academy_id = $1 AND ($2 = '%%' OR title_key LIKE $2 ESCAPE '\\')";
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM courses WHERE {condition}"
    )))
    .bind(academy_id)
    .bind(&pattern)
    .fetch_one(ex)
    .await?;
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM courses WHERE {condition} ORDER BY title_key, id LIMIT $3 OFFSET $4"
    )))
    .bind(academy_id)
    .bind(&pattern)
    .bind(i64::from(PER_PAGE))
    .bind(offset(page))
    .fetch_all(ex)
    .await?;
    Ok((rows, total))
}

/// A course of the academy; `None` for one of another academy.
#[tracing::instrument(skip(ex))]
pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    course_id: CourseId,
) -> Result<Option<CourseRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM courses WHERE academy_id = $1 AND id = $2"
    )))
    .bind(academy_id)
    .bind(course_id)
    .fetch_optional(ex)
    .await
}

/// The course, locked until the transaction ends (the portable no-op update, as `teams::lock`).
#[tracing::instrument(skip(ex))]
pub async fn lock<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    course_id: CourseId,
) -> Result<Option<CourseRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE courses SET title = title WHERE academy_id = $1 AND id = $2 RETURNING {COLUMNS}"
    )))
    .bind(academy_id)
    .bind(course_id)
    .fetch_optional(ex)
    .await
}

#[tracing::instrument(skip(ex, fields))]
pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    fields: &CourseFields<'_>,
    created_by: UserId,
    now: i64,
) -> Result<CourseId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO courses (academy_id, title, title_key, description, published, for_everyone, \
         created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(academy_id)
    .bind(fields.title)
    .bind(fields.title_key)
    .bind(fields.description)
    .bind(i64::from(fields.published))
    .bind(i64::from(fields.for_everyone))
    .bind(created_by)
    .bind(now)
    .fetch_one(ex)
    .await
}

#[tracing::instrument(skip(ex, fields))]
pub async fn update<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    course_id: CourseId,
    fields: &CourseFields<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE courses SET title = $1, title_key = $2, description = $3, published = $4, \
         for_everyone = $5, updated_at = $6 WHERE academy_id = $7 AND id = $8",
    )
    .bind(fields.title)
    .bind(fields.title_key)
    .bind(fields.description)
    .bind(i64::from(fields.published))
    .bind(i64::from(fields.for_everyone))
    .bind(now)
    .bind(academy_id)
    .bind(course_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[tracing::instrument(skip(ex))]
pub async fn set_published<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    course_id: CourseId,
    published: bool,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE courses SET published = $1, updated_at = $2 WHERE academy_id = $3 AND id = $4",
    )
    .bind(i64::from(published))
    .bind(now)
    .bind(academy_id)
    .bind(course_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a course of the academy with its assignments; false when there is no such course.
#[tracing::instrument(skip(tx))]
pub async fn delete(
    tx: &mut sqlx::AnyConnection,
    academy_id: AcademyId,
    course_id: CourseId,
) -> Result<bool, sqlx::Error> {
    // Spelled out as well as cascaded, so it holds whatever the connection's foreign-key setting.
    sqlx::query("DELETE FROM course_teams WHERE academy_id = $1 AND course_id = $2")
        .bind(academy_id)
        .bind(course_id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM courses WHERE academy_id = $1 AND id = $2")
        .bind(academy_id)
        .bind(course_id)
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes `team_ids` (teams of this academy, checked by the caller) the course's teams.
#[tracing::instrument(skip(tx))]
pub async fn set_teams(
    tx: &mut sqlx::AnyConnection,
    academy_id: AcademyId,
    course_id: CourseId,
    team_ids: &[TeamId],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM course_teams WHERE academy_id = $1 AND course_id = $2")
        .bind(academy_id)
        .bind(course_id)
        .execute(&mut *tx)
        .await?;
    if team_ids.is_empty() {
        return Ok(());
    }
    let values = (0..team_ids.len())
        .map(|i| format!("($1, $2, ${})", i + 3))
        .collect::<Vec<_>>()
        .join(", ");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO course_teams (course_id, academy_id, team_id) VALUES {values}"
    )))
    .bind(course_id)
    .bind(academy_id);
    for id in team_ids {
        q = q.bind(*id);
    }
    q.execute(&mut *tx).await?;
    Ok(())
}

/// The teams of the given courses (of this academy), by team name. A team row that outlived its
/// team (foreign keys off) is not joined, so it never shows.
#[tracing::instrument(skip(ex))]
pub async fn teams_of<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    course_ids: &[CourseId],
) -> Result<Vec<CourseTeamRow>, sqlx::Error> {
    if course_ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT ct.course_id, t.id, t.name, t.color FROM course_teams ct \
         JOIN teams t ON t.id = ct.team_id AND t.academy_id = ct.academy_id \
         WHERE ct.academy_id = $1 AND ct.course_id IN ({}) ORDER BY lower(t.name), t.id",
        placeholders(2, course_ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(academy_id);
    for id in course_ids {
        q = q.bind(*id);
    }
    q.fetch_all(ex).await
}

#[derive(Debug, Clone, FromRow)]
pub struct LearnerCourseRow {
    pub id: CourseId,
    pub title: String,
    pub description: String,
    pub updated_at: i64,
}

/// The published courses `user_id` sees: those for everyone, and those assigned to one of their
/// teams. By title.
#[tracing::instrument(skip(ex))]
pub async fn for_learner<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: AcademyId,
    user_id: UserId,
) -> Result<Vec<LearnerCourseRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.title, c.description, c.updated_at FROM courses c \
         WHERE c.academy_id = $1 AND c.published = 1 AND (c.for_everyone = 1 OR EXISTS ( \
             SELECT 1 FROM course_teams ct JOIN team_members m ON m.team_id = ct.team_id \
             WHERE ct.course_id = c.id AND m.academy_id = $1 AND m.user_id = $2)) \
         ORDER BY c.title_key, c.id",
    )
    .bind(academy_id)
    .bind(user_id)
    .fetch_all(ex)
    .await
}
