use sqlx::{Any, Executor, FromRow};

use crate::domain::AcademyId;
use crate::{
    domain::{
        access_request::Visibility, invite::InviteLifecycle, invite_message::PersonalMessage,
        role::Plan,
    },
    model::AcademyView,
};

#[derive(Debug, Clone, FromRow)]
pub struct AcademyRow {
    pub id: AcademyId,
    pub slug: String,
    pub name: String,
    pub plan: Plan,
    pub visibility: Visibility,
    pub created_at: i64,
    /// 1 when sign-ups without an invitation link must confirm their email with a code.
    pub require_signup_confirmation: i64,
    /// Settings → Invitations, as stored (0: never / no reminder).
    pub invite_expiry_days: i64,
    pub invite_reminder_days: i64,
    /// The default personal message of invitation emails ('' none), as `PersonalMessage` keeps it.
    pub invite_message: String,
}

impl AcademyRow {
    pub fn view(&self) -> AcademyView {
        AcademyView {
            slug: self.slug.clone(),
            name: self.name.clone(),
            plan: self.plan,
            require_signup_confirmation: self.require_signup_confirmation != 0,
            visibility: self.visibility,
            invite_lifecycle: self.lifecycle(),
        }
    }

    pub fn invite_message(&self) -> PersonalMessage {
        PersonalMessage::from_stored(self.invite_message.clone())
    }

    pub fn lifecycle(&self) -> InviteLifecycle {
        InviteLifecycle::from_stored(self.invite_expiry_days, self.invite_reminder_days)
    }
}

const COLUMNS: &str = "id, slug, name, plan, visibility, created_at, require_signup_confirmation, \
     invite_expiry_days, invite_reminder_days, invite_message";

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
    id: AcademyId,
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

/// The first academies (by id) that anyone may join: what `/` may show a visitor of a server with
/// several academies. Private academies are never listed.
pub async fn public_ones<'c>(
    ex: impl Executor<'c, Database = Any>,
    limit: i64,
) -> Result<Vec<AcademyRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM academies WHERE visibility = 'public' ORDER BY lower(name), id LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(ex)
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
) -> Result<AcademyId, sqlx::Error> {
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

/// The academy's plan, read with its row locked until the transaction ends. A no-op `UPDATE` is
/// the portable lock: PostgreSQL holds the row lock, SQLite's `BEGIN IMMEDIATE` already holds the
/// write lock. Plan changes and role changes both take it, so neither decides on a stale plan.
#[tracing::instrument(skip(ex))]
pub async fn lock_plan<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: AcademyId,
) -> Result<Option<Plan>, sqlx::Error> {
    sqlx::query_scalar("UPDATE academies SET plan = plan WHERE id = $1 RETURNING plan")
        .bind(id)
        .fetch_optional(ex)
        .await
}

#[tracing::instrument(skip(ex))]
pub async fn set_plan<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: AcademyId,
    plan: Plan,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE academies SET plan = $1 WHERE id = $2")
        .bind(plan.as_str())
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Pending, unexpired invitations of the academy that give `role` (accepting one creates a user
/// with it, so a plan without the role must wait for them too).
#[tracing::instrument(skip(ex))]
pub async fn pending_invites_with_role<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: AcademyId,
    role: crate::domain::role::Role,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM invites \
         WHERE academy_id = $1 AND role = $2 AND status = 'pending' AND expires_at > $3",
    )
    .bind(id)
    .bind(role.as_str())
    .bind(now)
    .fetch_one(ex)
    .await
}

/// The academy's invitation lifecycle (Settings → Invitations).
pub async fn lifecycle<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: AcademyId,
) -> Result<InviteLifecycle, sqlx::Error> {
    let (expiry, reminder): (i64, i64) = sqlx::query_as(
        "SELECT invite_expiry_days, invite_reminder_days FROM academies WHERE id = $1",
    )
    .bind(id)
    .fetch_one(ex)
    .await?;
    Ok(InviteLifecycle::from_stored(expiry, reminder))
}

pub async fn set_lifecycle<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: AcademyId,
    lifecycle: InviteLifecycle,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE academies SET invite_expiry_days = $1, invite_reminder_days = $2 WHERE id = $3",
    )
    .bind(i64::from(lifecycle.expiry_days.unwrap_or(0)))
    .bind(i64::from(lifecycle.reminder_days.unwrap_or(0)))
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}

/// The default personal message of invitation emails (Settings → Invitations).
pub async fn set_invite_message<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: AcademyId,
    message: &PersonalMessage,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE academies SET invite_message = $1 WHERE id = $2")
        .bind(message.as_str())
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn set_signup_confirmation<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: AcademyId,
    on: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE academies SET require_signup_confirmation = $1 WHERE id = $2")
        .bind(i64::from(on))
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}
