//! What the hourly housekeeping deletes: rows whose time is up, one line per table. A table of
//! expiring secrets is one more line in `PURGES`.

use crate::server::db::Db;

/// Old enough that an expired invitation link may be forgotten: until then, opening it says
/// "expired" (rather than "not valid"), which tells the person to ask for a new one.
pub const INVITE_LINK_GRACE_MS: i64 = 30 * crate::domain::DAY_MS;

/// Rate-limit windows are kept a day (the longest window is shorter).
pub const RATE_LIMIT_KEEP_MS: i64 = crate::domain::DAY_MS;

/// What is deleted, as a log line names it, and the statement; `$1` is the clock (unix ms).
pub const PURGES: &[(&str, &str)] = &[
    (
        "expired sessions",
        "DELETE FROM sessions WHERE expires_at < $1",
    ),
    (
        "expired API tokens",
        "DELETE FROM api_tokens WHERE expires_at < $1",
    ),
    (
        "expired sign-up codes",
        "DELETE FROM signup_codes WHERE expires_at < $1",
    ),
    (
        "used or expired password reset links",
        "DELETE FROM password_resets WHERE used_at IS NOT NULL OR expires_at < $1",
    ),
    // Only links long expired whose email is not still waiting in the outbox (the worker reads the
    // link when it sends).
    (
        "long-expired invitation links",
        "DELETE FROM invite_tokens WHERE expires_at < $1 - 2592000000 AND id NOT IN \
         (SELECT ref_id FROM email_outbox WHERE kind = 'invite' AND status IN ('queued', 'retrying'))",
    ),
    (
        "finished rate-limit windows",
        "DELETE FROM rate_limits WHERE window_start < $1 - 86400000",
    ),
];

/// Runs every purge as of `now`; how many rows each deleted, in `PURGES` order.
pub async fn purge_expired(db: &Db, now: i64) -> Result<Vec<(&'static str, u64)>, sqlx::Error> {
    let mut deleted = Vec::with_capacity(PURGES.len());
    for (what, sql) in PURGES {
        // One short write each, queued like every other writer (SQLite takes one at a time).
        let mut tx = db.write().await?;
        let n = sqlx::query(*sql)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        deleted.push((*what, n));
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grace_periods_written_in_the_sql_are_the_named_ones() {
        let sql = |what: &str| PURGES.iter().find(|(w, _)| *w == what).unwrap().1;
        assert!(
            sql("long-expired invitation links").contains(&format!("$1 - {INVITE_LINK_GRACE_MS}"))
        );
        assert!(sql("finished rate-limit windows").contains(&format!("$1 - {RATE_LIMIT_KEEP_MS}")));
    }
}
