//! Fixed-window counters kept in the database, so several servers share one limit.

use super::db::{Db, now_ms};
use crate::error::AppError;

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window_ms: i64,
}

fn window_start(limit: Limit, now: i64) -> i64 {
    now - now.rem_euclid(limit.window_ms)
}

fn too_many(what: &str, limit: Limit, start: i64, now: i64) -> AppError {
    let retry_after_secs = ((start + limit.window_ms - now).max(1000) / 1000) as u64;
    let minutes = retry_after_secs.div_ceil(60);
    let when = if minutes <= 1 {
        "in a minute".to_string()
    } else {
        format!("in {minutes} minutes")
    };
    AppError::RateLimited {
        message: format!("Too many {what}. Try again {when}."),
        retry_after_secs,
    }
}

/// Counts one hit on `bucket`; refuses once the window already holds `max` hits.
pub async fn hit(db: &Db, bucket: &str, limit: Limit, what: &str) -> Result<(), AppError> {
    let now = now_ms();
    let start = window_start(limit, now);
    let hits: i64 = sqlx::query_scalar(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits",
    )
    .bind(bucket)
    .bind(start)
    .fetch_one(&db.pool)
    .await?;
    if rand::random::<u8>() == 0 {
        sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
            .bind(now - 86_400_000)
            .execute(&db.pool)
            .await?;
    }
    if hits > limit.max {
        Err(too_many(what, limit, start, now))
    } else {
        Ok(())
    }
}

/// Refuses when `bucket` is already full, without counting.
pub async fn check(db: &Db, bucket: &str, limit: Limit, what: &str) -> Result<(), AppError> {
    let now = now_ms();
    let start = window_start(limit, now);
    let hits: Option<i64> =
        sqlx::query_scalar("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2")
            .bind(bucket)
            .bind(start)
            .fetch_optional(&db.pool)
            .await?;
    if hits.unwrap_or(0) >= limit.max {
        Err(too_many(what, limit, start, now))
    } else {
        Ok(())
    }
}
