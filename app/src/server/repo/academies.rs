use sqlx::{Any, Executor, FromRow};

use crate::{domain::role::Plan, model::AcademyView};

#[derive(Debug, Clone, FromRow)]
pub struct AcademyRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub plan: String,
    pub visibility: String,
    pub created_at: i64,
}

impl AcademyRow {
    pub fn view(&self) -> AcademyView {
        AcademyView {
            slug: self.slug.clone(),
            name: self.name.clone(),
            plan: self.plan.parse().unwrap_or(Plan::Starter),
        }
    }
}

const COLUMNS: &str = "id, slug, name, plan, visibility, created_at";

#[tracing::instrument(skip(ex))]
pub async fn by_slug<'c>(
    ex: impl Executor<'c, Database = Any>,
    slug: &str,
) -> Result<Option<AcademyRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM academies WHERE slug = $1"
    )))
    .bind(slug)
    .fetch_optional(ex)
    .await
}

#[tracing::instrument(skip(ex))]
pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> Result<Option<AcademyRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM academies WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// The first academy made on this server (the one `/` leads to).
pub async fn first<'c>(
    ex: impl Executor<'c, Database = Any>,
) -> Result<Option<AcademyRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM academies ORDER BY id LIMIT 1"
    )))
    .fetch_optional(ex)
    .await
}

pub async fn count<'c>(ex: impl Executor<'c, Database = Any>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM academies")
        .fetch_one(ex)
        .await
}

#[tracing::instrument(skip(ex))]
pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    slug: &str,
    name: &str,
    plan: Plan,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO academies (slug, name, plan, visibility, created_at) \
         VALUES ($1, $2, $3, 'private', $4) RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .bind(plan.as_str())
    .bind(now)
    .fetch_one(ex)
    .await
}
