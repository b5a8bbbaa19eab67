//! "Require email confirmation when signing up without an invitation link": a code first, then the
//! account.

use crate::common;

use std::time::Duration;

use app::model::SignUpOutcome;
use common::{TestApp, error_of, smtp_sink::SmtpSink};
use serde_json::json;

async fn invite_without_email(app: &TestApp, owner: &reqwest::Client, email: &str) {
    let res = app
        .call_json(
            owner,
            "invite_learners",
            json!({"people": [{"email": email, "first_name": "Lea", "last_name": "Learner"}], "role": "learner", "team_ids": [], "send_email": false}),
        )
        .await;
    assert_eq!(res.status(), 200);
}

fn sign_up_form(email: &str) -> [(&str, &str); 5] {
    [
        ("slug", "acme"),
        ("email", email),
        ("first_name", "Lea"),
        ("last_name", ""),
        ("password", "any password 123"),
    ]
}

#[tokio::test]
async fn sign_up_needs_no_code_while_the_setting_is_off() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    invite_without_email(&app, &owner, "lea@example.com").await;
    let res = app
        .call(&app.browser(), "sign_up", &sign_up_form("lea@example.com"))
        .await;
    assert_eq!(
        res.json::<SignUpOutcome>().await.unwrap(),
        SignUpOutcome::Done("/a/acme".into())
    );
}

#[tokio::test]
async fn with_the_setting_on_a_code_is_emailed_and_only_the_right_code_finishes_the_sign_up() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    assert_eq!(
        app.call(&owner, "set_signup_confirmation", &[("on", "true")])
            .await
            .status(),
        200
    );
    invite_without_email(&app, &owner, "lea@example.com").await;
    let lea = app.browser();
    let res = app
        .call(&lea, "sign_up", &sign_up_form("lea@example.com"))
        .await;
    assert_eq!(
        res.json::<SignUpOutcome>().await.unwrap(),
        SignUpOutcome::ConfirmCode {
            email: "lea@example.com".into()
        }
    );
    let mail = sink.wait_for(1, Duration::from_secs(10)).await.remove(0);
    let subject = mail.header("Subject").unwrap();
    let code: String = subject.rsplit(": ").next().unwrap().trim().to_string();
    assert_eq!(code.len(), 6, "{subject}");
    assert!(mail.text_body().unwrap().contains(&code));
    let code_row: String = sqlx::query_scalar("SELECT salt FROM signup_codes")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert!(!code_row.contains(&code), "the code is not stored");

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = app
        .call(
            &lea,
            "confirm_sign_up",
            &[
                ("slug", "acme"),
                ("email", "lea@example.com"),
                ("code", wrong),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        error_of(res)
            .await
            .field_message("code")
            .unwrap()
            .contains("not right")
    );
    let res = app
        .call(
            &lea,
            "confirm_sign_up",
            &[
                ("slug", "acme"),
                ("email", "lea@example.com"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let accepted: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM invites WHERE status = 'accepted'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(accepted, 1);
    assert!(
        app.get(&lea, "/a/acme")
            .await
            .text()
            .await
            .unwrap()
            .contains("Welcome, Lea")
    );
}

#[tokio::test]
async fn five_wrong_codes_end_the_pending_sign_up() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    app.call(&owner, "set_signup_confirmation", &[("on", "true")])
        .await;
    invite_without_email(&app, &owner, "lea@example.com").await;
    let lea = app.browser();
    app.call(&lea, "sign_up", &sign_up_form("lea@example.com"))
        .await;
    let mail = sink.wait_for(1, Duration::from_secs(10)).await.remove(0);
    let code = mail
        .header("Subject")
        .unwrap()
        .rsplit(": ")
        .next()
        .unwrap()
        .trim()
        .to_string();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        app.call(
            &lea,
            "confirm_sign_up",
            &[
                ("slug", "acme"),
                ("email", "lea@example.com"),
                ("code", wrong),
            ],
        )
        .await;
    }
    let res = app
        .call(
            &lea,
            "confirm_sign_up",
            &[
                ("slug", "acme"),
                ("email", "lea@example.com"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        error_of(res)
            .await
            .field_message("code")
            .unwrap()
            .contains("Too many")
    );
}

#[tokio::test]
async fn only_staff_change_the_confirmation_setting() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    invite_without_email(&app, &owner, "lea@example.com").await;
    let lea = app.browser();
    app.call(&lea, "sign_up", &sign_up_form("lea@example.com"))
        .await;
    assert_eq!(
        app.call(&lea, "set_signup_confirmation", &[("on", "true")])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call(&app.browser(), "set_signup_confirmation", &[("on", "true")])
            .await
            .status(),
        401
    );
}

// ---- claiming an invitation proves the address ----

async fn invite(app: &TestApp, owner: &reqwest::Client, email: &str, role: &str, emailed: bool) {
    let res = app
        .call_json(
            owner,
            "invite_learners",
            json!({"people": [{"email": email, "first_name": "Vic", "last_name": "Tim"}], "role": role, "team_ids": [], "send_email": emailed}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn accounts(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// Signs up at the academy link as a stranger would, and checks that the answer is "check your
/// email": no session, no account yet.
async fn sign_up_asks_for_the_code(app: &TestApp, email: &str) {
    let res = app
        .call(&app.browser(), "sign_up", &sign_up_form(email))
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        common::session_set_cookie(&res).is_none(),
        "no session for knowing an address"
    );
    assert_eq!(
        res.json::<SignUpOutcome>().await.unwrap(),
        SignUpOutcome::ConfirmCode {
            email: email.into()
        }
    );
    assert_eq!(accounts(app, email).await, 0);
}

async fn public_academy(app: &TestApp, owner: &reqwest::Client) {
    let res = app
        .call(owner, "set_visibility", &[("visibility", "public")])
        .await;
    assert_eq!(res.status(), 200);
}

/// The code in the newest "Your code for …" email to `to`.
async fn code_sent_to(sink: &SmtpSink, to: &str) -> String {
    let mail = sink.wait_mail(to, "Your code for").await;
    let subject = mail.header_decoded("Subject").unwrap();
    subject.rsplit(": ").next().unwrap().trim().to_string()
}

#[tokio::test]
async fn an_emailed_invitation_is_not_claimed_at_the_academy_link_without_the_code_sent_to_the_address()
 {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    invite(&app, &owner, "victim@corp.test", "learner", true).await;
    sign_up_asks_for_the_code(&app, "victim@corp.test").await;
    let stranger = app.browser();
    // The owner of the address, with the code, takes it.
    let code = code_sent_to(&sink, "victim@corp.test").await;
    let res = app
        .call(
            &stranger,
            "confirm_sign_up",
            &[
                ("slug", "acme"),
                ("email", "victim@corp.test"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(accounts(&app, "victim@corp.test").await, 1);
}

#[tokio::test]
async fn a_learner_admin_invitation_without_an_email_also_needs_the_code() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    assert_eq!(
        app.call(&owner, "change_plan", &[("plan", "business")])
            .await
            .status(),
        200
    );
    invite(&app, &owner, "la@corp.test", "learner_admin", false).await;
    sign_up_asks_for_the_code(&app, "la@corp.test").await;
}

#[tokio::test]
async fn a_strangers_sign_up_to_a_public_academy_confirms_the_address_before_the_account_exists() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    public_academy(&app, &owner).await;
    sign_up_asks_for_the_code(&app, "new@corp.test").await;
    assert_eq!(code_sent_to(&sink, "new@corp.test").await.len(), 6);
}

#[tokio::test]
async fn signing_up_with_a_members_address_answers_as_any_sign_up_and_tells_the_member_by_email() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    public_academy(&app, &owner).await;
    let member = app
        .call(
            &app.browser(),
            "sign_up",
            &sign_up_form(common::OWNER_EMAIL),
        )
        .await;
    let stranger = app
        .call(&app.browser(), "sign_up", &sign_up_form("new@corp.test"))
        .await;
    assert_eq!(member.status(), stranger.status());
    assert!(matches!(
        member.json::<SignUpOutcome>().await.unwrap(),
        SignUpOutcome::ConfirmCode { .. }
    ));
    let mail = sink
        .wait_mail(common::OWNER_EMAIL, "You already have an account")
        .await;
    assert!(mail.text_body().unwrap().contains("/a/acme/forgot"));
    // Whatever code is tried, the answer is a wrong code, never "no sign-up waits".
    let res = app
        .call(
            &app.browser(),
            "confirm_sign_up",
            &[
                ("slug", "acme"),
                ("email", common::OWNER_EMAIL),
                ("code", "123456"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        error_of(res)
            .await
            .field_message("code")
            .unwrap()
            .contains("not right")
    );
}
