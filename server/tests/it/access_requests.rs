//! Private and public academies and access requests, end to end through the real server, a real SMTP
//! server on loopback, the outbox worker and a webhook receiver — on SQLite or PostgreSQL.

use crate::common;
use app::domain::{AccessRequestId, TeamId};

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use app::{
    domain::{access_request::Visibility, role::Role},
    model::{
        SignUpOutcome,
        access_requests::{AccessRequestList, AccessSettings, Approved},
    },
};
use axum::{Router, extract::State, http::StatusCode, routing::post};
use common::{
    LEARNER_PASSWORD, OWNER_EMAIL, OWNER_PASSWORD, TestApp, error_of, smtp_sink::SmtpSink,
};
use reqwest::Client;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(10);

async fn mailing() -> (SmtpSink, TestApp, Client) {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    (sink, app, owner)
}

async fn ask(app: &TestApp, slug: &str, email: &str, message: &str) -> reqwest::Response {
    app.call(
        &app.browser(),
        "request_access",
        &[
            ("slug", slug),
            ("email", email),
            ("first_name", "Jane"),
            ("last_name", "Doe"),
            ("message", message),
        ],
    )
    .await
}

async fn ask_ok(app: &TestApp, email: &str, message: &str) {
    let res = ask(app, "acme", email, message).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn list_res(app: &TestApp, client: &Client, status: &str) -> reqwest::Response {
    app.call(
        client,
        "list_access_requests",
        &[("status", status), ("page", "1")],
    )
    .await
}

async fn list(app: &TestApp, client: &Client, status: &str) -> AccessRequestList {
    let res = list_res(app, client, status).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// The id of the pending request of `email`.
async fn pending_id(app: &TestApp, client: &Client, email: &str) -> AccessRequestId {
    list(app, client, "pending")
        .await
        .page
        .rows
        .into_iter()
        .find(|r| r.email == email)
        .unwrap_or_else(|| panic!("no pending request of {email}"))
        .id
}

async fn approve_res(
    app: &TestApp,
    client: &Client,
    id: AccessRequestId,
    role: &str,
    teams: &[TeamId],
) -> reqwest::Response {
    app.call_json(
        client,
        "approve_access_request",
        json!({"request_id": id, "role": role, "team_ids": teams}),
    )
    .await
}

async fn approve(
    app: &TestApp,
    client: &Client,
    id: AccessRequestId,
    role: &str,
    teams: &[TeamId],
) -> Approved {
    let res = approve_res(app, client, id, role, teams).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn decline_res(
    app: &TestApp,
    client: &Client,
    id: AccessRequestId,
    send_email: bool,
    reason: &str,
) -> reqwest::Response {
    app.call(
        client,
        "decline_access_request",
        &[
            ("request_id", &id.to_string()),
            ("send_email", if send_email { "true" } else { "false" }),
            ("reason", reason),
        ],
    )
    .await
}

async fn set_visibility(app: &TestApp, client: &Client, v: &str) -> reqwest::Response {
    app.call(client, "set_visibility", &[("visibility", v)])
        .await
}

async fn set_emails(app: &TestApp, client: &Client, on: bool) -> reqwest::Response {
    app.call(
        client,
        "set_access_request_emails",
        &[("on", if on { "true" } else { "false" })],
    )
    .await
}

/// Messages to `to` so far.
/// Outbox rows of `kind` (the worker may not have sent them yet).
async fn outbox_count(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE kind = $1")
        .bind(kind)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// An Administrator of `slug`, made directly in the database (the Admins page is another part),
/// signed in.
async fn administrator(app: &TestApp, slug: &str, email: &str) -> Client {
    let hash = app
        .state
        .hasher
        .hash(&app::domain::Password::parse(OWNER_PASSWORD).unwrap())
        .await
        .unwrap();
    app::server::repo::users::insert(
        &app.state.db.pool,
        &app::server::repo::users::NewUser {
            academy_id: app.academy_id(slug).await,
            email,
            first_name: "Adam",
            last_name: "Admin",
            role: Role::Admin,
            password_hash: &hash,
        },
        0,
    )
    .await
    .unwrap();
    let client = app.browser();
    let res = app.sign_in(&client, slug, email, OWNER_PASSWORD).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    client
}

fn join_parts(link: &str) -> (String, String) {
    let i = link.find("/a/").expect("a Shoal path in the link");
    let parts: Vec<&str> = link[i..].split('/').collect(); // ["", "a", slug, "join", token]
    assert_eq!(parts[3], "join", "{link}");
    (parts[2].to_string(), parts[4].to_string())
}

// ---- the private academy's way in ----

#[tokio::test]
async fn a_stranger_at_a_private_academy_requests_access_and_registers_through_the_invitation_sent_on_approval()
 {
    let (sink, app, owner) = mailing().await;
    // New academies are private: signing up without an invitation is refused in words that lead
    // the sign-up form to offer "Request access".
    let stranger = app.browser();
    let res = app
        .sign_up(
            &stranger,
            "acme",
            "jane@example.com",
            "Jane",
            "Doe",
            LEARNER_PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 422);
    let message = error_of(res).await.field_message("email").unwrap();
    assert!(
        app::domain::access_request::is_invite_only_refusal(&message),
        "{message}"
    );

    ask_ok(&app, "jane@example.com", "I run the Berlin office.").await;
    let pending = list(&app, &owner, "pending").await;
    assert_eq!((pending.pending, pending.declined), (1, 0));
    let row = &pending.page.rows[0];
    assert_eq!(row.email, "jane@example.com");
    assert_eq!(row.first_name, "Jane");
    assert_eq!(row.message, "I run the Berlin office.");
    assert_eq!(audit_count(&app, "access_request.created").await, 1);

    let team = app::server::repo::teams::insert(
        &app.state.db.pool,
        app.academy_id("acme").await,
        "Berlin",
        "#0b6e99",
        0,
    )
    .await
    .unwrap();
    assert_eq!(
        approve(&app, &owner, row.id, "learner", &[team]).await,
        Approved::Invited {
            email: "jane@example.com".into()
        }
    );
    // Approved requests leave both tabs; the invitation is on its way, counted as from a request.
    let after = list(&app, &owner, "pending").await;
    assert_eq!((after.pending, after.declined), (0, 0));
    let (source, status): (String, String) =
        sqlx::query_as("SELECT source, status FROM invites WHERE email = $1")
            .bind("jane@example.com")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!((source.as_str(), status.as_str()), ("request", "pending"));
    let request_status: String =
        sqlx::query_scalar("SELECT status FROM access_requests WHERE id = $1")
            .bind(row.id)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(request_status, "approved");
    assert_eq!(audit_count(&app, "access_request.approved").await, 1);

    let invitation = sink.wait_mail("jane@example.com", "invited you to").await;
    let link = invitation
        .links()
        .into_iter()
        .find(|l| l.contains("/join/"))
        .expect("a join link");
    let (slug, token) = join_parts(&link);
    let res = app
        .call(
            &stranger,
            "join",
            &[
                ("slug", slug.as_str()),
                ("token", token.as_str()),
                ("first_name", "Jane"),
                ("last_name", "Doe"),
                ("password", LEARNER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let in_team: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM team_members tm JOIN users u ON u.id = tm.user_id \
         WHERE u.email = $1 AND tm.team_id = $2",
    )
    .bind("jane@example.com")
    .bind(team)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(in_team, 1, "the team chosen on approval");
}

#[tokio::test]
async fn a_request_never_stores_a_password_and_a_repeat_cannot_set_one() {
    let (_sink, app, owner) = mailing().await;
    // An old client (or an attacker) may still post a password: it is not read, not stored.
    for _ in 0..2 {
        let res = app
            .call(
                &app.browser(),
                "request_access",
                &[
                    ("slug", "acme"),
                    ("email", "jo@example.com"),
                    ("first_name", "Jo"),
                    ("last_name", "Doe"),
                    ("message", ""),
                    ("password", "a long enough secret 7"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let stored: Option<String> =
        sqlx::query_scalar("SELECT password_hash FROM access_requests WHERE email = $1")
            .bind("jo@example.com")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, None);
    // Approval sends an invitation; no account exists until its link is used.
    let id = pending_id(&app, &owner, "jo@example.com").await;
    assert_eq!(
        approve(&app, &owner, id, "learner_analyst", &[]).await,
        Approved::Invited {
            email: "jo@example.com".into()
        }
    );
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind("jo@example.com")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(accounts, 0);
    let res = app
        .sign_in(
            &app.browser(),
            "acme",
            "jo@example.com",
            "a long enough secret 7",
        )
        .await;
    assert_ne!(res.status(), 200);
    // Approving twice is refused.
    let res = approve_res(&app, &owner, id, "learner", &[]).await;
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn declining_with_an_email_tells_them_why_keeps_the_request_under_declined_and_refuses_a_new_request_for_a_week()
 {
    let (sink, app, owner) = mailing().await;
    ask_ok(&app, "max@example.com", "Please?").await;
    let id = pending_id(&app, &owner, "max@example.com").await;
    let res = decline_res(&app, &owner, id, true, "This academy is for staff only.").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    let mail = sink
        .wait_mail("max@example.com", "Your request to join")
        .await;
    let text = mail.text_body().unwrap();
    assert!(text.contains("This academy is for staff only."), "{text}");
    assert!(text.contains("ask again"), "{text}");

    let declined = list(&app, &owner, "declined").await;
    assert_eq!((declined.pending, declined.declined), (0, 1));
    let row = &declined.page.rows[0];
    assert_eq!(row.email, "max@example.com");
    assert_eq!(row.decided_by.as_deref(), Some("Ada Lovelace"));
    assert!(row.decided_at.is_some());
    assert_eq!(
        row.decline_reason.as_deref(),
        Some("This academy is for staff only.")
    );
    assert_eq!(audit_count(&app, "access_request.declined").await, 1);

    // Asking again within the week is answered as any request is; the address's owner is told
    // by email when they may ask again, and nothing new is stored.
    let res = ask(&app, "acme", "max@example.com", "Again").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let mail = sink
        .wait_mail("max@example.com", "Your new request to join")
        .await;
    let text = mail.text_body().unwrap();
    assert!(text.contains("ask again from"), "{text}");
    assert_eq!(list(&app, &owner, "pending").await.pending, 0);
    // Declining twice is refused; approving from Declined still works.
    let res = decline_res(&app, &owner, id, false, "").await;
    assert_eq!(res.status(), 409);
    assert_eq!(
        approve(&app, &owner, id, "learner", &[]).await,
        Approved::Invited {
            email: "max@example.com".into()
        }
    );
    assert_eq!(list(&app, &owner, "declined").await.declined, 0);
}

#[tokio::test]
async fn declining_without_an_email_sends_nothing_and_a_week_later_they_may_ask_again() {
    let (_sink, app, owner) = mailing().await;
    ask_ok(&app, "max@example.com", "").await;
    let id = pending_id(&app, &owner, "max@example.com").await;
    let res = decline_res(&app, &owner, id, false, "").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(outbox_count(&app, "access_declined").await, 0);
    let declined = list(&app, &owner, "declined").await;
    assert_eq!(declined.page.rows[0].decline_reason, None);

    // Eight days on, the address may ask again: a new pending request, the declined one kept.
    sqlx::query("UPDATE access_requests SET decided_at = decided_at - $1 WHERE id = $2")
        .bind(8 * 24 * 3600 * 1000_i64)
        .bind(id)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    ask_ok(&app, "max@example.com", "Second try").await;
    let l = list(&app, &owner, "pending").await;
    assert_eq!((l.pending, l.declined), (1, 1));
}

#[tokio::test]
async fn asking_again_while_the_request_waits_updates_it_instead_of_adding_a_second() {
    let (_sink, app, owner) = mailing().await;
    ask_ok(&app, "jane@example.com", "First").await;
    ask_ok(&app, "Jane@Example.com", "Second, with more detail").await;
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_requests")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 1);
    let l = list(&app, &owner, "pending").await;
    assert_eq!(l.page.rows[0].message, "Second, with more detail");
    assert!(l.page.rows[0].updated_at >= l.page.rows[0].requested_at);
    // Administrators heard of it once.
    assert_eq!(outbox_count(&app, "access_request").await, 1);
}

#[tokio::test]
async fn requests_are_limited_per_address_and_per_academy() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    for i in 0..10 {
        let res = ask(&app, "acme", &format!("p{i}@example.com"), "").await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let res = ask(&app, "acme", "p10@example.com", "").await;
    assert_eq!(res.status(), 429);
    assert!(error_of(res).await.to_string().contains("access requests"));

    // Another academy's own limit: fill its bucket for this hour, as 100 requests would.
    app.create_academy("beta", "olga@example.com", OWNER_PASSWORD)
        .await;
    let window = 3_600_000_i64;
    let now = app::server::db::now_ms();
    sqlx::query("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 100)")
        .bind(format!(
            "access-request-academy:{}",
            app.academy_id("beta").await
        ))
        .bind(now - now.rem_euclid(window))
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM rate_limits WHERE bucket LIKE 'access-request-ip:%'")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let res = ask(&app, "beta", "q@example.com", "").await;
    assert_eq!(res.status(), 429);
    assert!(
        error_of(res)
            .await
            .to_string()
            .contains("access requests to this academy")
    );
}

#[tokio::test]
async fn a_stranger_gets_the_same_answer_whatever_the_address_and_its_owner_is_told_by_email() {
    let (sink, app, owner) = mailing().await;
    let res = app
        .call_json(
            &owner,
            "invite_learners",
            json!({"people": [{"email": "inv@example.com", "first_name": "In", "last_name": "Vited"}],
                   "role": "learner", "team_ids": [], "send_email": false}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let mut answers = Vec::new();
    for email in [OWNER_EMAIL, "inv@example.com", "new@example.com"] {
        let res = ask(&app, "acme", email, "").await;
        answers.push((res.status(), res.text().await.unwrap()));
    }
    assert!(
        answers.iter().all(|a| a == &answers[2]),
        "one answer for a member, an invited address and a stranger: {answers:?}"
    );
    // Only the stranger's request is stored; the others hear by email what to do instead.
    let pending = list(&app, &owner, "pending").await;
    assert_eq!(pending.pending, 1);
    assert_eq!(pending.page.rows[0].email, "new@example.com");
    let mail = sink
        .wait_mail(OWNER_EMAIL, "You already have an account")
        .await;
    assert!(mail.text_body().unwrap().contains("/a/acme/login"));
    let mail = sink
        .wait_mail("inv@example.com", "About your request to join")
        .await;
    assert!(mail.text_body().unwrap().contains("/a/acme"));
    // A stranger cannot fill that inbox: two such emails an hour per address, then silence.
    for _ in 0..3 {
        let res = ask(&app, "acme", "inv@example.com", "").await;
        assert_eq!(res.status(), 200);
    }
    assert_eq!(outbox_count(&app, "access_known_invitation").await, 2);
}

#[tokio::test]
async fn bad_input_names_its_field_and_an_unknown_academy_is_not_found() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let res = app
        .call(
            &app.browser(),
            "request_access",
            &[
                ("slug", "acme"),
                ("email", "not an email"),
                ("first_name", ""),
                ("last_name", ""),
                ("message", &"x".repeat(1001)),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let e = error_of(res).await;
    for field in ["email", "first_name", "message"] {
        assert!(e.field_message(field).is_some(), "{field}: {e:?}");
    }
    assert!(e.field_message("message").unwrap().contains("1,000"));
    let res = ask(&app, "nowhere", "a@example.com", "").await;
    assert_eq!(res.status(), 404);
}

// ---- public academies and the settings ----

#[tokio::test]
async fn a_public_academy_lets_anyone_sign_up_and_the_request_endpoint_says_it_is_public() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = set_visibility(&app, &owner, "public").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(audit_count(&app, "academy.visibility_changed").await, 1);
    let res = app.call(&owner, "load_access_settings", &[]).await;
    let s: AccessSettings = res.json().await.unwrap();
    assert_eq!(s.visibility, Visibility::Public);

    let stranger = app.browser();
    let res = app
        .sign_up(
            &stranger,
            "acme",
            "open@example.com",
            "Open",
            "Door",
            LEARNER_PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // A stranger proves the address with the emailed code before the account exists.
    assert!(matches!(
        res.json::<SignUpOutcome>().await.unwrap(),
        SignUpOutcome::ConfirmCode { .. }
    ));
    let res = app
        .confirm_code(&stranger, "acme", "open@example.com")
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    let res = ask(&app, "acme", "late@example.com", "").await;
    assert_eq!(res.status(), 409);
    assert!(error_of(res).await.to_string().contains("public"));
}

#[tokio::test]
async fn visibility_and_notification_settings_are_for_the_owner_and_administrators_only() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = app
        .call(&owner, "change_plan", &[("plan", "business")])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let (learner_admin, _) = app
        .registered_learner(&owner, "acme", "la@example.com", Role::LearnerAdmin, &[])
        .await;
    for res in [
        set_visibility(&app, &learner_admin, "public").await,
        set_emails(&app, &learner_admin, false).await,
        app.call(&learner_admin, "load_access_settings", &[]).await,
    ] {
        assert_eq!(res.status(), 403);
    }
    let admin = administrator(&app, "acme", "adam@example.com").await;
    let res = set_visibility(&app, &admin, "public").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = set_emails(&app, &admin, false).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let s: AccessSettings = app
        .call(&admin, "load_access_settings", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        s,
        AccessSettings {
            visibility: Visibility::Public,
            notify_admins: false
        }
    );
    let res = set_visibility(&app, &app.browser(), "private").await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn owner_and_administrators_are_emailed_about_a_new_request_only_while_the_setting_is_on() {
    let (sink, app, owner) = mailing().await;
    administrator(&app, "acme", "adam@example.com").await;
    ask_ok(&app, "jane@example.com", "Hello <b>team</b>\nsecond line").await;
    for admin in [OWNER_EMAIL, "adam@example.com"] {
        let mail = sink.wait_mail(admin, "Jane Doe asks to join").await;
        let text = mail.text_body().unwrap();
        assert!(text.contains("jane@example.com"), "{text}");
        assert!(text.contains("Hello <b>team</b>"), "{text}");
        assert!(
            text.contains("/a/acme/admin/learners?tab=requests"),
            "{text}"
        );
        let html = mail.html_body().unwrap();
        assert!(!html.contains("<b>team</b>"), "escaped: {html}");
    }
    assert_eq!(outbox_count(&app, "access_request").await, 2);

    let res = set_emails(&app, &owner, false).await;
    assert_eq!(res.status(), 200);
    ask_ok(&app, "joe@example.com", "").await;
    assert_eq!(
        outbox_count(&app, "access_request").await,
        2,
        "nothing queued while the setting is off"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let to_owner = sink
        .messages()
        .into_iter()
        .filter(|m| m.rcpt_to.iter().any(|r| r == OWNER_EMAIL))
        .count();
    assert_eq!(to_owner, 1);
}

// ---- the webhook ----

#[derive(Clone, Default)]
struct Receiver(Arc<Mutex<Vec<Value>>>);

async fn receive(State(r): State<Receiver>, body: String) -> StatusCode {
    r.0.lock()
        .unwrap()
        .push(serde_json::from_str(&body).unwrap());
    StatusCode::OK
}

#[tokio::test]
async fn a_new_request_is_delivered_to_webhooks_as_access_request_created_once() {
    let app = TestApp::spawn_full(|_| {}, common::fast_worker()).await;
    let owner = app.create_first_academy("acme").await;
    let receiver = Receiver::default();
    let router = Router::new()
        .route("/hook", post(receive))
        .with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let res = app
        .call_json(
            &owner,
            "create_webhook",
            json!({"url": url, "events": ["access_request.created"]}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    ask_ok(&app, "jane@example.com", "Hi").await;
    ask_ok(&app, "jane@example.com", "Hi again").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while receiver.0.lock().unwrap().is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "nothing delivered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = receiver.0.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "the repeat is not announced: {got:?}");
    let event = &got[0];
    assert_eq!(event["event"], "access_request.created");
    assert_eq!(event["academy"]["slug"], "acme");
    assert_eq!(event["data"]["email"], "jane@example.com");
    assert_eq!(event["data"]["first_name"], "Jane");
    assert_eq!(event["data"]["message"], "Hi");
    assert!(event["data"]["request_id"].as_i64().is_some());
}

// ---- who may answer ----

#[tokio::test]
async fn learners_and_analysts_may_not_see_or_answer_requests_and_signed_out_callers_must_sign_in()
{
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    ask_ok(&app, "jane@example.com", "").await;
    let id = pending_id(&app, &owner, "jane@example.com").await;
    let (learner, _) = app
        .registered_learner(&owner, "acme", "l@example.com", Role::Learner, &[])
        .await;
    let (analyst, _) = app
        .registered_learner(&owner, "acme", "an@example.com", Role::LearnerAnalyst, &[])
        .await;
    for client in [&learner, &analyst] {
        assert_eq!(list_res(&app, client, "pending").await.status(), 403);
        assert_eq!(
            approve_res(&app, client, id, "learner", &[]).await.status(),
            403
        );
        assert_eq!(decline_res(&app, client, id, false, "").await.status(), 403);
    }
    let nobody = app.browser();
    assert_eq!(list_res(&app, &nobody, "pending").await.status(), 401);
    assert_eq!(
        approve_res(&app, &nobody, id, "learner", &[])
            .await
            .status(),
        401
    );
    assert_eq!(
        decline_res(&app, &nobody, id, false, "").await.status(),
        401
    );
    assert_eq!(list(&app, &owner, "pending").await.pending, 1, "untouched");
}

#[tokio::test]
async fn another_academys_requests_are_not_found() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let olga = app.other_academy("beta").await;
    let res = ask(&app, "beta", "jane@example.com", "").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let beta_id = pending_id(&app, &olga, "jane@example.com").await;

    assert_eq!(list(&app, &owner, "pending").await.pending, 0);
    let res = approve_res(&app, &owner, beta_id, "learner", &[]).await;
    assert_eq!(res.status(), 404);
    let res = decline_res(&app, &owner, beta_id, true, "").await;
    assert_eq!(res.status(), 404);
    assert_eq!(list(&app, &olga, "pending").await.pending, 1, "untouched");
    // A team of another academy cannot be given on approval either.
    let acme_team = app::server::repo::teams::insert(
        &app.state.db.pool,
        app.academy_id("acme").await,
        "Acme team",
        "#0b6e99",
        0,
    )
    .await
    .unwrap();
    let res = approve_res(&app, &olga, beta_id, "learner", &[acme_team]).await;
    assert_eq!(res.status(), 422);
}
