use sqlx::{Any, Executor};

/// One audit row: who (`actor`, none for the system or a stranger) did `action` to `target` in an academy.
pub async fn record<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: i64,
    actor: Option<i64>,
    action: &str,
    target: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (academy_id, actor_user_id, action, target, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(academy_id)
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

/// An audit row with a `detail` too, e.g. "learner → learner_analyst" for a role change.
pub async fn record_with_detail<'c>(
    ex: impl Executor<'c, Database = Any>,
    academy_id: i64,
    actor: Option<i64>,
    action: &str,
    target: &str,
    detail: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (academy_id, actor_user_id, action, target, detail, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(academy_id)
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(detail)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}
