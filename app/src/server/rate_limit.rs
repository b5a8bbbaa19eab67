//! Fixed-window counters kept in the database, so several servers share one limit. Old windows
//! are deleted by the hourly housekeeping (`repo::housekeeping`).

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

/// One counted hit, to give back with `refund` when the attempt turned out fine.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    window_start: i64,
}

/// Counts one hit on `bucket` and refuses once the window holds more than `max`. One statement
/// (`INSERT … ON CONFLICT … RETURNING`), so parallel requests — on one server or several — each see
/// their own count and never slip past the limit together. Call it before the work it protects.
pub async fn hit(db: &Db, bucket: &str, limit: Limit, what: &str) -> Result<Hit, AppError> {
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
    if hits > limit.max {
        Err(too_many(what, limit, start, now))
    } else {
        Ok(Hit {
            window_start: start,
        })
    }
}

/// Gives a hit back: for limits on failures (a wrong password), counted before the attempt like
/// any other and returned when the attempt succeeded.
pub async fn refund(db: &Db, bucket: &str, hit: Hit) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE rate_limits SET hits = hits - 1 WHERE bucket = $1 AND window_start = $2 AND hits > 0",
    )
    .bind(bucket)
    .bind(hit.window_start)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A bucket name's part for an email address: a hash of the normalised address, so every key has
/// the same small size whatever was typed (and no address sits in the table in clear).
pub fn address_key(email: &str) -> String {
    use sha2::{Digest, Sha256};
    let normalised = email.trim().to_lowercase();
    hex::encode(&Sha256::digest(normalised.as_bytes())[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_key_is_short_whatever_was_typed_and_ignores_case_and_spaces() {
        let huge = "a".repeat(1_000_000);
        assert_eq!(address_key(&huge).len(), 32);
        assert_eq!(
            address_key(" Ada@Example.com "),
            address_key("ada@example.com")
        );
        assert_ne!(
            address_key("ada@example.com"),
            address_key("bob@example.com")
        );
    }
}
