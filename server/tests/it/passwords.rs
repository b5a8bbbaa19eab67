//! Account recovery and password changes: "Forgot your password?", the emailed single-use link,
//! "Change password", "Sign out everywhere" and the reset an administrator sends.

use crate::common::{
    LEARNER_PASSWORD, OWNER_EMAIL, OWNER_PASSWORD, TestApp, error_of, smtp_sink::SmtpSink,
};
use app::domain::role::Role;
use reqwest::Client;

const NEW_PASSWORD: &str = "a brand new password 2026";

async fn mailing() -> (SmtpSink, TestApp, Client) {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    (sink, app, owner)
}

async fn forgot(app: &TestApp, email: &str) -> (u16, String) {
    let res = app
        .call(
            &app.browser(),
            "forgot_password",
            &[("slug", "acme"), ("email", email)],
        )
        .await;
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The token of the newest reset email to `to`.
async fn reset_token(sink: &SmtpSink, to: &str) -> String {
    let mail = sink.wait_mail(to, "Choose a new password").await;
    let link = mail
        .links()
        .into_iter()
        .find(|l| l.contains("/reset/"))
        .expect("a reset link");
    link.rsplit('/').next().unwrap().to_string()
}

async fn reset(app: &TestApp, client: &Client, token: &str, password: &str) -> reqwest::Response {
    app.call(
        client,
        "reset_password",
        &[("slug", "acme"), ("token", token), ("password", password)],
    )
    .await
}

async fn signed_in(app: &TestApp, client: &Client) -> bool {
    app.get(client, "/a/acme/admin/learners").await.status() == 200
}

async fn outbox(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE kind = $1")
        .bind(kind)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_forgotten_password_is_replaced_through_a_single_use_link_and_every_old_session_ends() {
    let (sink, app, owner) = mailing().await;
    let laptop = app.browser();
    assert_eq!(
        app.sign_in(&laptop, "acme", OWNER_EMAIL, OWNER_PASSWORD)
            .await
            .status(),
        200
    );
    assert_eq!(forgot(&app, OWNER_EMAIL).await.0, 200);
    let token = reset_token(&sink, OWNER_EMAIL).await;
    // Only a keyed hash of the token is stored.
    let stored: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM password_resets WHERE token_hash = $1 OR salt = $1",
    )
    .bind(&token)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(stored, 0);

    let phone = app.browser();
    let res = app
        .call(
            &phone,
            "load_reset_link",
            &[("slug", "acme"), ("token", &token)],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // A password only the server refuses is told in its field; the link still works after.
    let res = reset(&app, &phone, &token, "password123").await;
    assert_eq!(res.status(), 422);
    assert!(error_of(res).await.field_message("password").is_some());
    let res = reset(&app, &phone, &token, NEW_PASSWORD).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    assert!(
        signed_in(&app, &phone).await,
        "the new password's browser is in"
    );
    assert!(!signed_in(&app, &owner).await, "every other session ended");
    assert!(!signed_in(&app, &laptop).await, "every other session ended");
    assert_ne!(
        app.sign_in(&app.browser(), "acme", OWNER_EMAIL, OWNER_PASSWORD)
            .await
            .status(),
        200,
        "the old password no longer works"
    );
    assert_eq!(
        app.sign_in(&app.browser(), "acme", OWNER_EMAIL, NEW_PASSWORD)
            .await
            .status(),
        200
    );
    // Once only.
    let res = reset(&app, &app.browser(), &token, "yet another password 77").await;
    assert_eq!(res.status(), 422);
    assert!(
        error_of(res)
            .await
            .field_message("token")
            .unwrap()
            .contains("expired or was used")
    );
}

#[tokio::test]
async fn a_stranger_gets_the_same_answer_for_any_address_and_only_a_member_is_emailed() {
    let (_sink, app, _owner) = mailing().await;
    let member = forgot(&app, OWNER_EMAIL).await;
    let stranger = forgot(&app, "nobody@example.com").await;
    assert_eq!(member, stranger);
    assert_eq!(outbox(&app, "password_reset").await, 1);
    // A malformed address is a field error, as on any form.
    let (status, body) = forgot(&app, "not an email").await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn an_address_gets_at_most_three_reset_emails_an_hour_and_the_answer_does_not_change() {
    let (_sink, app, _owner) = mailing().await;
    for _ in 0..5 {
        assert_eq!(forgot(&app, OWNER_EMAIL).await.0, 200);
    }
    assert_eq!(outbox(&app, "password_reset").await, 3);
}

#[tokio::test]
async fn a_reset_link_stops_working_after_an_hour() {
    let (sink, app, _owner) = mailing().await;
    forgot(&app, OWNER_EMAIL).await;
    let token = reset_token(&sink, OWNER_EMAIL).await;
    sqlx::query("UPDATE password_resets SET expires_at = expires_at - $1")
        .bind(60 * 60 * 1000_i64)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let res = app
        .call(
            &app.browser(),
            "load_reset_link",
            &[("slug", "acme"), ("token", &token)],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = reset(&app, &app.browser(), &token, NEW_PASSWORD).await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        app.sign_in(&app.browser(), "acme", OWNER_EMAIL, OWNER_PASSWORD)
            .await
            .status(),
        200,
        "the password is unchanged"
    );
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_signs_out_every_other_device() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let other = app.browser();
    app.sign_in(&other, "acme", OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    let change = |current: &'static str| {
        let app = &app;
        let owner = &owner;
        async move {
            app.call(
                owner,
                "change_password",
                &[
                    ("slug", "acme"),
                    ("current_password", current),
                    ("password", NEW_PASSWORD),
                ],
            )
            .await
        }
    };
    let res = change("not my password").await;
    assert_eq!(res.status(), 422);
    assert!(
        error_of(res)
            .await
            .field_message("current_password")
            .is_some()
    );
    assert!(signed_in(&app, &other).await, "a wrong try changes nothing");
    let res = change(OWNER_PASSWORD).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert!(signed_in(&app, &owner).await, "this device stays in");
    assert!(!signed_in(&app, &other).await, "the other one is out");
    assert_eq!(
        app.sign_in(&app.browser(), "acme", OWNER_EMAIL, NEW_PASSWORD)
            .await
            .status(),
        200
    );
    // Signed out, there is nobody whose password could change.
    let res = app
        .call(
            &app.browser(),
            "change_password",
            &[
                ("slug", "acme"),
                ("current_password", NEW_PASSWORD),
                ("password", "whatever it is 99"),
            ],
        )
        .await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session_of_the_person_and_no_one_elses() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let other = app.browser();
    app.sign_in(&other, "acme", OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    let (learner, _) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let res = app
        .call(&owner, "sign_out_everywhere", &[("slug", "acme")])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(res.json::<String>().await.unwrap(), "/a/acme/login");
    assert!(!signed_in(&app, &owner).await);
    assert!(!signed_in(&app, &other).await);
    assert_eq!(app.get(&learner, "/a/acme").await.status(), 200);
    let home = app.get(&learner, "/a/acme").await.text().await.unwrap();
    assert!(home.contains("Welcome"), "the learner is still in: {home}");
}

#[tokio::test]
async fn an_administrator_sends_a_learner_a_reset_link_from_the_row_and_the_audit_log_says_so() {
    let (sink, app, owner) = mailing().await;
    let (_lea, id) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let res = app
        .call(
            &owner,
            "send_password_reset",
            &[("user_id", &id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(res.json::<String>().await.unwrap(), "lea@example.com");
    let token = reset_token(&sink, "lea@example.com").await;
    let res = reset(&app, &app.browser(), &token, NEW_PASSWORD).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_ne!(
        app.sign_in(&app.browser(), "acme", "lea@example.com", LEARNER_PASSWORD)
            .await
            .status(),
        200
    );
    let sent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'password.reset_sent' AND target = $1",
    )
    .bind("lea@example.com")
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(sent, 1);
    // An administrator's own password is theirs to reset.
    let owner_id = app.user_id("acme", OWNER_EMAIL).await.unwrap();
    let res = app
        .call(
            &owner,
            "send_password_reset",
            &[("user_id", &owner_id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 403);
}
