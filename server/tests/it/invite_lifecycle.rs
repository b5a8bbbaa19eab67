//! Settings → Invitations: how long an invitation link works (1–90 days, or never) and a reminder
//! emailed a chosen number of days before it expires — once, at its time (a clock the test sets),
//! shown in "Email Status" as "Reminder sent".

use std::time::Duration;

use app::{
    domain::invite::{DAY_MS, NEVER_EXPIRES},
    server::{db::now_ms, services::reminders},
};
use reqwest::Client;
use serde_json::json;

use crate::common::{TestApp, smtp_sink::SmtpSink};

async fn set(app: &TestApp, owner: &Client, expiry: u32, reminder: u32) -> reqwest::Response {
    app.call(
        owner,
        "set_invite_lifecycle",
        &[
            ("expiry_days", &expiry.to_string()),
            ("reminder_days", &reminder.to_string()),
        ],
    )
    .await
}

async fn invite(app: &TestApp, owner: &Client, email: &str, send_email: bool) -> i64 {
    let res = app
        .call_json(
            owner,
            "invite_learners",
            json!({"people": [{"email": email, "first_name": "Ria", "last_name": "Remy"}],
                   "role": "learner", "team_ids": [], "send_email": send_email}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    sqlx::query_scalar("SELECT expires_at FROM invites WHERE email = $1")
        .bind(email)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn new_invitations_follow_how_long_the_academy_says_links_work_including_never() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;

    let before = now_ms();
    let expires = invite(&app, &owner, "default@example.com", false).await;
    assert!((before + 14 * DAY_MS..=now_ms() + 14 * DAY_MS).contains(&expires));

    let res = set(&app, &owner, 30, 5).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let before = now_ms();
    let expires = invite(&app, &owner, "thirty@example.com", false).await;
    assert!((before + 30 * DAY_MS..=now_ms() + 30 * DAY_MS).contains(&expires));

    let res = set(&app, &owner, 0, 0).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(
        invite(&app, &owner, "never@example.com", false).await,
        NEVER_EXPIRES
    );
    // The link itself never expires either.
    assert_eq!(
        scalar(
            &app,
            "SELECT MAX(t.expires_at) FROM invite_tokens t JOIN invites i ON i.id = t.invite_id \
             WHERE i.email = 'never@example.com'"
        )
        .await,
        NEVER_EXPIRES
    );

    // Settings that make no sense are refused, naming the field.
    for (expiry, reminder, field) in [
        (91, 0, "expiry_days"),
        (7, 7, "reminder_days"),
        (0, 3, "reminder_days"),
    ] {
        let res = set(&app, &owner, expiry, reminder).await;
        assert_eq!(res.status(), 422, "{expiry}/{reminder}");
        assert!(
            res.text().await.unwrap().contains(field),
            "{expiry}/{reminder}"
        );
    }
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'academy.invite_lifecycle_changed' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(detail, "links never expires, no reminder");
}

#[tokio::test]
async fn the_reminder_goes_out_once_at_its_time_and_email_status_reads_reminder_sent() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    let res = set(&app, &owner, 10, 2).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let expires = invite(&app, &owner, "ria@example.com", true).await;
    invite(&app, &owner, "quiet@example.com", false).await;
    sink.wait_for(1, Duration::from_secs(10)).await;

    // Not yet: one millisecond before it is due.
    let due = expires - 2 * DAY_MS;
    assert_eq!(reminders::queue_due(&app.state, due - 1).await.unwrap(), 0);
    // At its time: one, for the emailed invitation only; never twice.
    assert_eq!(reminders::queue_due(&app.state, due).await.unwrap(), 1);
    assert_eq!(
        reminders::queue_due(&app.state, due + DAY_MS)
            .await
            .unwrap(),
        0
    );

    let mails = sink.wait_for(2, Duration::from_secs(10)).await;
    let reminder = &mails[1];
    assert_eq!(reminder.rcpt_to, vec!["ria@example.com".to_string()]);
    let expected = format!(
        "Reminder: {} invited you to {}",
        owner_name(&app).await,
        academy_name(&app).await
    );
    assert_eq!(reminder.header_decoded("Subject").unwrap(), expected);
    // From the academy, via the configured sender; answers go to the person who invited.
    let from = reminder.header_decoded("From").unwrap();
    assert!(
        from.starts_with(&format!("\"{} via ", academy_name(&app).await)),
        "{from}"
    );
    let owner_email: String = sqlx::query_scalar("SELECT email FROM users WHERE role = 'owner'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        reminder.header("Reply-To").as_deref(),
        Some(owner_email.as_str())
    );
    assert!(reminder.data.contains("/a/acme/join/"), "the link is in it");
    let mut status = String::new();
    for _ in 0..50 {
        status =
            sqlx::query_scalar("SELECT email_status FROM invites WHERE email = 'ria@example.com'")
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap();
        if status == "reminder_sent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, "reminder_sent");

    // Resent: a new expiry, so a new reminder when that one comes near.
    let id: i64 = sqlx::query_scalar("SELECT id FROM invites WHERE email = 'ria@example.com'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let res = app
        .call(&owner, "resend_invite", &[("invite_id", &id.to_string())])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let expires: i64 = sqlx::query_scalar("SELECT expires_at FROM invites WHERE id = $1")
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        reminders::queue_due(&app.state, expires - 2 * DAY_MS)
            .await
            .unwrap(),
        1
    );
}

async fn owner_name(app: &TestApp) -> String {
    let (first, last): (String, String) =
        sqlx::query_as("SELECT first_name, last_name FROM users WHERE role = 'owner'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    app::model::full_name(&first, &last)
}

async fn academy_name(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT name FROM academies WHERE slug = 'acme'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}
