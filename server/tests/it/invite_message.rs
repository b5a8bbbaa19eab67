//! The personal message of an invitation: the academy's default (Settings → Invitations), the words
//! one batch gives instead (the invite dialog, a team's dialog, a CSV upload, the API), the same
//! words in a reminder, and the preview of the email in Settings.

use app::{domain::invite::DAY_MS, server::services::reminders};
use reqwest::Client;
use serde_json::{Value, json};

use crate::{
    api::{call, get_token, register},
    common::{TestApp, smtp_sink::SmtpSink},
};

const DEFAULT: &str = "Welcome to Acme!\n\nStart with the course \"First week\".";

async fn set_default(app: &TestApp, owner: &Client, message: &str) -> reqwest::Response {
    app.call(owner, "set_invite_message", &[("message", message)])
        .await
}

/// Invites `email` from the dialog; `message`: what the dialog sends (absent: untouched).
async fn invite(app: &TestApp, owner: &Client, email: &str, message: Option<&str>) {
    let mut body = json!({"people": [{"email": email, "first_name": "Ann", "last_name": "Lee"}],
                          "role": "learner", "team_ids": [], "send_email": true});
    if let Some(m) = message {
        body["message"] = json!(m);
    }
    let res = app.call_json(owner, "invite_learners", body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// The personal message as the plain-text email quotes it, or `None`.
fn quoted_message(text: &str) -> Option<String> {
    let start = text.find(" wrote:\n")? + " wrote:\n".len();
    let block: Vec<&str> = text[start..]
        .lines()
        .take_while(|l| l.starts_with('>'))
        .map(|l| l.trim_start_matches('>').trim_start())
        .collect();
    Some(block.join("\n"))
}

async fn stored_message(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT message FROM invites WHERE email = $1")
        .bind(email)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_default_message_is_in_every_invitation_email_unless_the_batch_says_its_own_or_none() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    let res = set_default(&app, &owner, &format!("  {DEFAULT}\r\n\r\n\r\n")).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    invite(&app, &owner, "untouched@example.com", None).await;
    invite(
        &app,
        &owner,
        "own@example.com",
        Some("Ann, <b>you</b> lead the Monday group."),
    )
    .await;
    invite(&app, &owner, "none@example.com", Some("  ")).await;

    let mail = sink.wait_mail("untouched@example.com", "invited you").await;
    let text = mail.text_body().unwrap();
    assert_eq!(quoted_message(&text).as_deref(), Some(DEFAULT), "{text}");
    // Above the link, under the inviter's name.
    assert!(text.find(" wrote:").unwrap() < text.find("/a/acme/join/").unwrap());
    let html = mail.html_body().unwrap();
    assert!(
        html.contains("Welcome to Acme!<br><br>Start with the course &quot;First week&quot;."),
        "{html}"
    );

    let mail = sink.wait_mail("own@example.com", "invited you").await;
    assert_eq!(
        quoted_message(&mail.text_body().unwrap()).as_deref(),
        Some("Ann, <b>you</b> lead the Monday group.")
    );
    // The admin's words are text in the HTML, never markup.
    let html = mail.html_body().unwrap();
    assert!(html.contains("Ann, &lt;b&gt;you&lt;/b&gt; lead"), "{html}");
    assert!(!html.contains("<b>you</b>"));

    let mail = sink.wait_mail("none@example.com", "invited you").await;
    assert_eq!(quoted_message(&mail.text_body().unwrap()), None);
    assert!(!mail.html_body().unwrap().contains("data-personal-message"));

    // Changing the default later leaves invitations already made with their own words: a reminder
    // says what the first email said.
    let res = set_default(&app, &owner, "Something else").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(stored_message(&app, "untouched@example.com").await, DEFAULT);
    let expires: i64 =
        sqlx::query_scalar("SELECT expires_at FROM invites WHERE email = 'untouched@example.com'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    reminders::queue_due(&app.state, expires - 3 * DAY_MS)
        .await
        .unwrap();
    let reminder = sink.wait_mail("untouched@example.com", "Reminder: ").await;
    assert_eq!(
        quoted_message(&reminder.text_body().unwrap()).as_deref(),
        Some(DEFAULT)
    );

    // Invited again from a new batch: the invitation takes that batch's words.
    invite(&app, &owner, "untouched@example.com", Some("Second try")).await;
    assert_eq!(
        stored_message(&app, "untouched@example.com").await,
        "Second try"
    );

    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'academy.invite_message_changed' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(detail, "14 characters");
}

#[tokio::test]
async fn an_upload_and_an_api_call_carry_their_own_message_or_the_default() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = set_default(&app, &owner, DEFAULT).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // An upload: the message given when it starts holds for every chunk.
    for (key, message, email) in [
        (
            "upload-with-words",
            Some("From the file's batch"),
            "csv1@example.com",
        ),
        ("upload-untouched", None, "csv2@example.com"),
    ] {
        let mut body = json!({"key": key, "file_name": "people.csv", "total_rows": 1,
                              "role": "learner", "team_ids": [], "send_email": false});
        if let Some(m) = message {
            body["message"] = json!(m);
        }
        let res = app.call_json(&owner, "start_import", body).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let import: i64 = res.json().await.unwrap();
        let res = app
            .call_json(
                &owner,
                "import_chunk",
                json!({"import_id": import, "lines": [{"line": 2, "person":
                    {"email": email, "first_name": "Cy", "last_name": "Sv"}}]}),
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    // Each a pending invitation like any other, carrying its batch's words.
    let (status, email_status): (String, String) =
        sqlx::query_as("SELECT status, email_status FROM invites WHERE email = 'csv1@example.com'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), email_status.as_str()),
        ("pending", "not_requested")
    );
    assert_eq!(
        stored_message(&app, "csv1@example.com").await,
        "From the file's batch"
    );
    assert_eq!(stored_message(&app, "csv2@example.com").await, DEFAULT);

    // The API: `options.message`, or the default when it is left out.
    let (id, secret) = register(&app, &owner, "HR system").await;
    let token = get_token(&app, &id, &secret).await;
    let (status, v) = call(
        &app,
        &token,
        json!({"action": "inviteLearners", "options": {"send_email": false, "message": "Hello from HR",
               "learners": [{"email": "api1@example.com", "first_name": "Ap"}]}}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let (status, v) = call(
        &app,
        &token,
        json!({"action": "inviteLearners", "options": {"send_email": false,
               "learners": [{"email": "api2@example.com", "first_name": "Ap"}]}}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        stored_message(&app, "api1@example.com").await,
        "Hello from HR"
    );
    assert_eq!(stored_message(&app, "api2@example.com").await, DEFAULT);

    // Not text: refused, naming the option.
    let (status, v) = call(
        &app,
        &token,
        json!({"action": "inviteLearners", "options": {"message": 5,
               "learners": [{"email": "api3@example.com", "first_name": "Ap"}]}}),
    )
    .await;
    assert_eq!(status, 422, "{v}");
    assert!(
        v.to_string().contains("options.message must be text"),
        "{v}"
    );
}

#[tokio::test]
async fn a_message_the_rule_refuses_is_named_and_nobody_is_invited() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let long = "a".repeat(1_001);

    let res = set_default(&app, &owner, &long).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("message") && body.contains("1001 characters"),
        "{body}"
    );

    let res = app
        .call_json(
            &owner,
            "invite_learners",
            json!({"people": [{"email": "ann@example.com", "first_name": "Ann", "last_name": "Lee"}],
                   "role": "learner", "team_ids": [], "send_email": true, "message": "Hi\u{202E}there"}),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("control character"));
    let invites: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invites")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(invites, 0);
}

#[tokio::test]
async fn the_preview_shows_the_typed_words_as_sent_for_the_academy_and_creates_nothing() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = app
        .call(
            &owner,
            "preview_invite_email",
            &[("message", "Hi <script>alert(1)</script>\nSee you")],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let preview: Value = res.json().await.unwrap();
    let academy: String = sqlx::query_scalar("SELECT name FROM academies WHERE slug = 'acme'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let owner_email: String = sqlx::query_scalar("SELECT email FROM users WHERE role = 'owner'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let from = preview["from"].as_str().unwrap();
    assert!(from.contains(&format!("{academy} via ")), "{from}");
    assert_eq!(preview["reply_to"], json!(owner_email));
    assert_eq!(preview["to"], json!("Alex Example <alex@example.com>"));
    assert!(
        preview["subject"]
            .as_str()
            .unwrap()
            .ends_with(&format!("invited you to {academy}"))
    );
    let text = preview["text"].as_str().unwrap();
    assert_eq!(
        quoted_message(text).as_deref(),
        Some("Hi <script>alert(1)</script>\nSee you")
    );
    let html = preview["html"].as_str().unwrap();
    assert!(
        html.contains("Hi &lt;script&gt;alert(1)&lt;/script&gt;<br>See you"),
        "{html}"
    );
    assert!(
        html.contains("/a/acme/join/PREVIEW-ONLY"),
        "the link opens nothing"
    );

    // Nothing was made or queued.
    for table in ["invites", "invite_tokens", "email_outbox"] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap();
        assert_eq!(n, 0, "{table}");
    }
    // A message the rule refuses is refused here too.
    let res = app
        .call(
            &owner,
            "preview_invite_email",
            &[("message", &"b".repeat(1_001))],
        )
        .await;
    assert_eq!(res.status(), 422);
}
