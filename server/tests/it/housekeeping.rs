//! The hourly housekeeping: what has expired goes, the rest stays (called with a clock of its own).

use crate::common::{OWNER_EMAIL, TestApp};

use app::server::repo::housekeeping::{self, INVITE_LINK_GRACE_MS};

const DAY: i64 = 24 * 3600 * 1000;
/// The clock the purge is given: far enough ahead that nothing the test made by itself is due.
const NOW: i64 = 2_000_000_000_000;

async fn texts(app: &TestApp, sql: &str) -> Vec<String> {
    let mut v: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    v.sort();
    v
}

#[tokio::test]
async fn housekeeping_deletes_what_expired_as_of_its_clock_and_keeps_the_rest() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let academy = app.academy_id("acme").await;
    let owner = app.user_id("acme", OWNER_EMAIL).await.unwrap();
    let db = &app.state.db.pool;

    for (hash, expires_at) in [("session-old", NOW - 1), ("session-live", NOW + 1)] {
        sqlx::query(
            "INSERT INTO sessions (token_hash, academy_id, user_id, created_at, expires_at) VALUES ($1, $2, $3, 0, $4)",
        )
        .bind(hash)
        .bind(academy)
        .bind(owner)
        .bind(expires_at)
        .execute(db)
        .await
        .unwrap();
    }

    let client: i64 = sqlx::query_scalar(
        "INSERT INTO api_clients (academy_id, name, client_id, secret_hash, created_by, created_at) \
         VALUES ($1, 'Zapier', 'client-1', 'x', $2, 0) RETURNING id",
    )
    .bind(academy)
    .bind(owner)
    .fetch_one(db)
    .await
    .unwrap();
    for (hash, expires_at) in [("api-old", NOW - 1), ("api-live", NOW + 1)] {
        sqlx::query(
            "INSERT INTO api_tokens (academy_id, client_id, token_hash, scope, created_at, expires_at) VALUES ($1, $2, $3, '', 0, $4)",
        )
        .bind(academy)
        .bind(client)
        .bind(hash)
        .bind(expires_at)
        .execute(db)
        .await
        .unwrap();
    }

    for (email, expires_at) in [("old@example.com", NOW - 1), ("live@example.com", NOW + 1)] {
        sqlx::query(
            "INSERT INTO signup_codes (academy_id, email, first_name, last_name, password_hash, salt, attempts, created_at, expires_at) \
             VALUES ($1, $2, 'A', '', 'h', 's', 0, 0, $3)",
        )
        .bind(academy)
        .bind(email)
        .bind(expires_at)
        .execute(db)
        .await
        .unwrap();
    }

    for (hash, expires_at, used_at) in [
        ("reset-old", NOW - 1, None),
        ("reset-used", NOW + 1, Some(NOW - 10)),
        ("reset-live", NOW + 1, None),
    ] {
        sqlx::query(
            "INSERT INTO password_resets (academy_id, user_id, salt, token_hash, created_at, expires_at, used_at) \
             VALUES ($1, $2, 's', $3, 0, $4, $5)",
        )
        .bind(academy)
        .bind(owner)
        .bind(hash)
        .bind(expires_at)
        .bind(used_at)
        .execute(db)
        .await
        .unwrap();
    }

    let invite: i64 = sqlx::query_scalar(
        "INSERT INTO invites (academy_id, email, first_name, last_name, role, send_email, status, email_status, source, \
         invited_by, created_at, updated_at, expires_at) \
         VALUES ($1, 'lea@example.com', 'Lea', '', 'learner', 1, 'pending', 'queued', 'form', $2, 0, 0, $3) RETURNING id",
    )
    .bind(academy)
    .bind(owner)
    .bind(NOW + DAY)
    .fetch_one(db)
    .await
    .unwrap();
    let mut link_ids = std::collections::HashMap::new();
    for (hash, expires_at) in [
        ("link-long-expired", NOW - INVITE_LINK_GRACE_MS - 1),
        (
            "link-long-expired-mail-waiting",
            NOW - INVITE_LINK_GRACE_MS - 1,
        ),
        ("link-just-expired", NOW - DAY),
        ("link-live", NOW + DAY),
    ] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO invite_tokens (academy_id, invite_id, salt, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $3, 0, $4) RETURNING id",
        )
        .bind(academy)
        .bind(invite)
        .bind(hash)
        .bind(expires_at)
        .fetch_one(db)
        .await
        .unwrap();
        link_ids.insert(hash, id);
    }
    // Not due before the clock the purge gets, so the worker leaves it alone meanwhile.
    sqlx::query(
        "INSERT INTO email_outbox (academy_id, kind, ref_id, to_email, message_id, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, 'invite', $2, 'lea@example.com', 'm-1', 'queued', 0, $3, 0)",
    )
    .bind(academy)
    .bind(link_ids["link-long-expired-mail-waiting"])
    .bind(NOW + DAY)
    .execute(db)
    .await
    .unwrap();

    for (bucket, start) in [
        ("window-old", NOW - 2 * DAY),
        ("window-live", NOW - 3_600_000),
    ] {
        sqlx::query("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)")
            .bind(bucket)
            .bind(start)
            .execute(db)
            .await
            .unwrap();
    }

    let deleted = housekeeping::purge_expired(&app.state.db, NOW)
        .await
        .unwrap();
    assert!(deleted.iter().all(|(_, n)| *n >= 1), "{deleted:?}");

    assert_eq!(
        texts(
            &app,
            "SELECT token_hash FROM sessions WHERE token_hash LIKE 'session-%'"
        )
        .await,
        ["session-live"]
    );
    assert_eq!(
        texts(&app, "SELECT token_hash FROM api_tokens").await,
        ["api-live"]
    );
    assert_eq!(
        texts(&app, "SELECT email FROM signup_codes").await,
        ["live@example.com"]
    );
    assert_eq!(
        texts(&app, "SELECT token_hash FROM password_resets").await,
        ["reset-live"]
    );
    assert_eq!(
        texts(&app, "SELECT token_hash FROM invite_tokens").await,
        [
            "link-just-expired",
            "link-live",
            "link-long-expired-mail-waiting"
        ]
    );
    assert_eq!(
        texts(
            &app,
            "SELECT bucket FROM rate_limits WHERE bucket LIKE 'window-%'"
        )
        .await,
        ["window-live"]
    );
    // The invitation itself and the API application stay: only their expired secrets go.
    let left: (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM invites), (SELECT COUNT(*) FROM api_clients)")
            .fetch_one(db)
            .await
            .unwrap();
    assert_eq!(left, (1, 1));
}
