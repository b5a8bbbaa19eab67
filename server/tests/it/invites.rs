//! Inviting learners and their joining, end to end through the real server, a real SMTP server on
//! loopback and the outbox worker — on SQLite or PostgreSQL.

use crate::common;
use app::domain::{AcademyId, TeamId};

use std::time::Duration;

use app::{
    domain::role::Role,
    model::{InviteOutcome, InviteResult, InviteView, Page},
};
use common::{TestApp, error_of, smtp_sink::SmtpSink};
use serde_json::json;

async fn invite(
    app: &TestApp,
    client: &reqwest::Client,
    people: &[(&str, &str, &str)],
    role: &str,
    team_ids: &[TeamId],
    send_email: bool,
) -> reqwest::Response {
    let people: Vec<_> = people
        .iter()
        .map(|(e, f, l)| json!({"email": e, "first_name": f, "last_name": l}))
        .collect();
    app.call_json(
        client,
        "invite_learners",
        json!({"people": people, "role": role, "team_ids": team_ids, "send_email": send_email}),
    )
    .await
}

async fn invite_ok(
    app: &TestApp,
    client: &reqwest::Client,
    people: &[(&str, &str, &str)],
    teams: &[TeamId],
    send: bool,
) -> Vec<InviteResult> {
    let res = invite(app, client, people, "learner", teams, send).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// A server mailing to a fresh SMTP sink, its academy "acme" with the owner signed in, and Lea invited
/// as a Learner (emailed when `send_email`).
async fn acme_with_lea_invited(send_email: bool) -> (SmtpSink, TestApp, reqwest::Client) {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    invite_ok(
        &app,
        &owner,
        &[("lea@example.com", "Lea", "Learner")],
        &[],
        send_email,
    )
    .await;
    (sink, app, owner)
}

async fn invites_page(app: &TestApp, client: &reqwest::Client, filter: &str) -> Page<InviteView> {
    let res = app
        .call_json(
            client,
            "list_invites",
            json!({"query": {"search": "", "filter": filter, "page": 1}}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn academy_id(app: &TestApp, slug: &str) -> AcademyId {
    sqlx::query_scalar("SELECT id FROM academies WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn new_team(app: &TestApp, slug: &str, name: &str) -> TeamId {
    app::server::repo::teams::insert(
        &app.state.db.pool,
        academy_id(app, slug).await,
        name,
        "#0b6e99",
        0,
    )
    .await
    .unwrap()
}

/// Waits until the invite with this email shows `status` as its email status.
async fn wait_email_status(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    status: &str,
) -> InviteView {
    for _ in 0..100 {
        let page = invites_page(app, client, "").await;
        if let Some(row) = page.rows.into_iter().find(|r| r.email == email)
            && row.email_status.as_str() == status
        {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{email} never reached email status {status}");
}

fn join_path(link: &str) -> String {
    let i = link.find("/a/").expect("a Shoal path in the link");
    link[i..].to_string()
}

async fn join(
    app: &TestApp,
    client: &reqwest::Client,
    link: &str,
    first: &str,
    password: &str,
) -> reqwest::Response {
    let path = join_path(link);
    let parts: Vec<&str> = path.split('/').collect(); // ["", "a", slug, "join", token]
    app.call(
        client,
        "join",
        &[
            ("slug", parts[2]),
            ("token", parts[4]),
            ("first_name", first),
            ("last_name", "Learner"),
            ("password", password),
        ],
    )
    .await
}

#[tokio::test]
async fn an_invited_learner_gets_the_email_joins_with_the_link_and_moves_to_all_learners() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    let team = new_team(&app, "acme", "Sales").await;
    let results = invite_ok(
        &app,
        &owner,
        &[
            ("lea@example.com", "Lea", "Learner"),
            ("max@example.com", "Max", "Muster"),
        ],
        &[team],
        true,
    )
    .await;
    assert!(
        results
            .iter()
            .all(|r| matches!(r.outcome, InviteOutcome::Invited { .. })),
        "{results:?}"
    );

    let mails = sink.wait_for(2, Duration::from_secs(10)).await;
    let mail = mails
        .iter()
        .find(|m| m.rcpt_to == ["lea@example.com"])
        .expect("Lea's invitation");
    assert!(mail.header("Subject").unwrap().contains("Acme Onboarding"));
    assert!(mail.header("Message-ID").unwrap().starts_with("<invite-"));
    let text = mail.text_body().unwrap();
    assert!(text.contains("Ada Lovelace"), "who invited: {text}");
    assert!(text.contains("works until"), "the expiry: {text}");
    let link = mail
        .links()
        .into_iter()
        .find(|l| l.contains("/join/"))
        .expect("a join link");
    assert!(
        link.starts_with(&app.base),
        "links use the configured base URL: {link}"
    );

    let row = wait_email_status(&app, &owner, "lea@example.com", "sent").await;
    assert_eq!(row.email_status.label(), "Email Sent");
    assert_eq!(row.teams[0].name, "Sales");
    assert_eq!(row.teams[0].id, team);

    // The join page shows the academy and the invited email.
    let learner = app.browser();
    let html = app
        .get(&learner, &join_path(&link))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("lea@example.com") && html.contains("Join Acme Onboarding"),
        "{html}"
    );
    let res = join(&app, &learner, &link, "Lea", "any password 123").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let html = app.get(&learner, "/a/acme").await.text().await.unwrap();
    assert!(html.contains("Welcome, Lea"));

    let row = invites_page(&app, &owner, "accepted")
        .await
        .rows
        .into_iter()
        .find(|r| r.email == "lea@example.com")
        .unwrap();
    assert_eq!(row.progress.label(), "Has accepted invite");
    let res = app
        .call_json(
            &owner,
            "list_learners",
            json!({"query": {"search": "lea", "filter": "", "page": 1}}),
        )
        .await;
    let learners: Page<app::model::LearnerView> = res.json().await.unwrap();
    assert_eq!(learners.rows.len(), 1);
    assert_eq!(
        learners.rows[0]
            .teams
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        ["Sales"],
        "joined the invite's teams"
    );
    // The link is single-use.
    let again = join(&app, &app.browser(), &link, "Lea", "any password 123").await;
    assert_eq!(again.status(), 409);
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    assert!(
        actions.contains(&"invite.created".to_string())
            && actions.contains(&"invite.accepted".to_string()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn inviting_again_updates_the_pending_invite_instead_of_making_a_second() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    invite_ok(
        &app,
        &owner,
        &[("lea@example.com", "Lea", "Old")],
        &[],
        false,
    )
    .await;
    let r = invite_ok(
        &app,
        &owner,
        &[("LEA@example.com", "Lea", "New")],
        &[],
        false,
    )
    .await;
    assert!(
        matches!(r[0].outcome, InviteOutcome::AlreadyInvited { .. }),
        "{r:?}"
    );
    let page = invites_page(&app, &owner, "").await;
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].last_name, "New");
    assert_eq!(page.rows[0].email_status.label(), "Not requested");
}

#[tokio::test]
async fn one_bad_row_never_blocks_the_others_and_each_gets_a_reason() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let r = invite_ok(
        &app,
        &owner,
        &[
            ("ann@example.com", "Ann", "Lee"),
            ("bob@@example.com", "Bob", ""),
            ("carl@example.com", "", "Jung"),
            ("ANN@example.com", "Ann", "Again"),
        ],
        &[],
        false,
    )
    .await;
    assert!(matches!(r[0].outcome, InviteOutcome::Invited { .. }));
    let reasons: Vec<String> = r[1..]
        .iter()
        .map(|x| match &x.outcome {
            InviteOutcome::Invalid { message } => message.clone(),
            other => panic!("expected invalid, got {other:?}"),
        })
        .collect();
    assert!(reasons[0].contains("more than one @"));
    assert!(reasons[1].contains("first name"));
    assert!(reasons[2].contains("already in the list"));
}

#[tokio::test]
async fn an_existing_learner_is_added_to_the_chosen_teams_and_gets_no_email() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    let lea = "lea@example.com";
    app.registered_learner(&owner, "acme", lea, Role::Learner, &[])
        .await;
    let r = invite_ok(&app, &owner, &[(lea, "Lea", "Learner")], &[], true).await;
    assert!(matches!(
        r[0].outcome,
        InviteOutcome::AlreadyLearner { added_to_teams: 0 }
    ));
    let team = new_team(&app, "acme", "Support").await;
    let r = invite_ok(&app, &owner, &[(lea, "Lea", "Learner")], &[team], true).await;
    assert!(
        matches!(
            r[0].outcome,
            InviteOutcome::AlreadyLearner { added_to_teams: 1 }
        ),
        "{r:?}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn fifty_concurrent_invites_of_one_email_leave_exactly_one_pending_invite() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let mut tasks = vec![];
    for i in 0..50 {
        let owner = owner.clone();
        let base = app.base.clone();
        tasks.push(tokio::spawn(async move {
            owner
                .post(format!("{base}/api/invite_learners"))
                .header("Origin", &base)
                .json(&json!({"people": [{"email": "same@example.com", "first_name": format!("Try{i}"), "last_name": ""}],
                              "role": "learner", "team_ids": [], "send_email": false}))
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invites WHERE email = 'same@example.com' AND status = 'pending'",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(pending, 1);
}

#[tokio::test]
async fn with_smtp_down_the_email_is_retried_with_the_reason_and_sent_once_smtp_is_back() {
    let sink = SmtpSink::start().await;
    sink.stop().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    invite_ok(
        &app,
        &owner,
        &[("lea@example.com", "Lea", "Learner")],
        &[],
        true,
    )
    .await;
    let row = wait_email_status(&app, &owner, "lea@example.com", "retrying").await;
    let reason = row.email_error.unwrap();
    assert!(
        reason.contains("127.0.0.1"),
        "the reason names the server: {reason}"
    );
    sink.restart().await;
    wait_email_status(&app, &owner, "lea@example.com", "sent").await;
    assert_eq!(sink.messages().len(), 1, "nothing lost, nothing doubled");
}

#[tokio::test]
async fn a_permanent_refusal_marks_the_email_failed_with_the_servers_words() {
    let sink = SmtpSink::start().await;
    sink.set_reject(Some(550));
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    invite_ok(
        &app,
        &owner,
        &[("nobody@example.com", "No", "Body")],
        &[],
        true,
    )
    .await;
    let row = wait_email_status(&app, &owner, "nobody@example.com", "failed").await;
    assert!(row.email_error.unwrap().contains("550"));
    assert_eq!(
        row.progress.label(),
        "Invited",
        "a failed email does not end the invitation"
    );
}

#[tokio::test]
async fn mail_claimed_by_a_worker_that_died_is_taken_over_after_its_lease() {
    let sink = SmtpSink::start().await;
    sink.stop().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    invite_ok(
        &app,
        &owner,
        &[("lea@example.com", "Lea", "Learner")],
        &[],
        true,
    )
    .await;
    // A worker claims the message for 2 s and dies without a word: take the lease whenever the live
    // worker is not holding it (with SMTP down its attempts fail at once and release the lease).
    let lease_ms = 2_000;
    let claimed_at = loop {
        let now = app::server::db::now_ms();
        let taken = sqlx::query(
            "UPDATE email_outbox SET lease_owner = 'dead-worker', lease_until = $1, attempts = attempts + 1 \
             WHERE lease_owner IS NULL AND status IN ('queued', 'retrying')",
        )
        .bind(now + lease_ms)
        .execute(&app.state.db.pool)
        .await
        .unwrap()
        .rows_affected();
        if taken == 1 {
            break std::time::Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    sink.restart().await;
    let mails = sink.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(mails.len(), 1);
    assert!(
        claimed_at.elapsed() >= Duration::from_millis(lease_ms as u64 - 100),
        "not before the lease ran out"
    );
    wait_email_status(&app, &owner, "lea@example.com", "sent").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), 1, "taken over once, sent once");
}

#[tokio::test]
async fn revoked_expired_used_and_unknown_links_say_which_on_the_join_page() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    invite_ok(
        &app,
        &owner,
        &[
            ("r@example.com", "Rev", "Oked"),
            ("e@example.com", "Ex", "Pired"),
        ],
        &[],
        true,
    )
    .await;
    let mails = sink.wait_for(2, Duration::from_secs(10)).await;
    let link_of = |to: &str| {
        mails
            .iter()
            .find(|m| m.rcpt_to == [to])
            .unwrap()
            .links()
            .into_iter()
            .find(|l| l.contains("/join/"))
            .unwrap()
    };
    let (revoked, expired) = (link_of("r@example.com"), link_of("e@example.com"));
    let page = invites_page(&app, &owner, "").await;
    let r_id = page
        .rows
        .iter()
        .find(|r| r.email == "r@example.com")
        .unwrap()
        .id;
    assert_eq!(
        app.call(&owner, "revoke_invite", &[("invite_id", &r_id.to_string())])
            .await
            .status(),
        200
    );
    sqlx::query("UPDATE invite_tokens SET expires_at = 1 WHERE invite_id IN (SELECT id FROM invites WHERE email = 'e@example.com')")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let b = app.browser();
    for (link, words) in [
        (revoked.clone(), "This invitation was withdrawn"),
        (expired.clone(), "This invitation has expired"),
        (
            format!("{}/a/acme/join/not-a-real-token", app.base),
            "This invitation link does not work",
        ),
    ] {
        let res = app.get(&b, &join_path(&link)).await;
        let html = res.text().await.unwrap();
        assert!(html.contains(words), "{link}: {html}");
        assert_eq!(
            html.to_lowercase()
                .matches("ask your admin for a new invitation")
                .count(),
            1,
            "said once: {html}"
        );
        assert!(html.contains("/a/acme/login"));
    }
    assert_eq!(
        join(&app, &b, &revoked, "Rev", "any password 123")
            .await
            .status(),
        409
    );
    assert_eq!(
        join(&app, &b, &expired, "Ex", "any password 123")
            .await
            .status(),
        409
    );
}

#[tokio::test]
async fn resend_sends_a_new_link_and_the_old_one_keeps_working_until_it_expires() {
    let (sink, app, owner) = acme_with_lea_invited(true).await;
    sink.wait_for(1, Duration::from_secs(10)).await;
    let id = invites_page(&app, &owner, "").await.rows[0].id;
    assert_eq!(
        app.call(&owner, "resend_invite", &[("invite_id", &id.to_string())])
            .await
            .status(),
        200
    );
    let mails = sink.wait_for(2, Duration::from_secs(10)).await;
    let links: Vec<String> = mails
        .iter()
        .map(|m| {
            m.links()
                .into_iter()
                .find(|l| l.contains("/join/"))
                .unwrap()
        })
        .collect();
    assert_ne!(links[0], links[1]);
    assert_ne!(mails[0].header("Message-ID"), mails[1].header("Message-ID"));
    let html = app
        .get(&app.browser(), &join_path(&links[0]))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Join Acme Onboarding"),
        "the first link still works"
    );
    let res = join(&app, &app.browser(), &links[0], "Lea", "any password 123").await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn without_the_email_the_invited_person_signs_up_at_the_academy_link() {
    let (sink, app, owner) = acme_with_lea_invited(false).await;
    let b = app.browser();
    let form = [
        ("slug", "acme"),
        ("email", "Lea@Example.com"),
        ("first_name", "Lea"),
        ("last_name", ""),
        ("password", "any password 123"),
    ];
    let res = app.call(&b, "sign_up", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(invites_page(&app, &owner, "accepted").await.total, 1);
    assert!(sink.messages().is_empty(), "no email was asked for");
    // A stranger gets the invite-only answer on the email field.
    let res = app
        .sign_up(
            &app.browser(),
            "acme",
            "eve@example.com",
            "Eve",
            "",
            "any password 123",
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        error_of(res)
            .await
            .field_message("email")
            .unwrap()
            .contains("invite-only")
    );
}

#[tokio::test]
async fn signing_up_at_the_academy_link_keeps_the_names_the_admin_entered_unless_others_are_typed()
{
    let (_sink, app, owner) = acme_with_lea_invited(false).await;
    invite_ok(
        &app,
        &owner,
        &[("max@example.com", "Max", "Muster")],
        &[],
        false,
    )
    .await;
    let sign_up = |email: &'static str, first: &'static str| {
        let form = [
            ("slug", "acme"),
            ("email", email),
            ("first_name", first),
            ("last_name", ""),
            ("password", "any password 123"),
        ];
        let app = &app;
        async move { app.call(&app.browser(), "sign_up", &form).await }
    };
    let res = sign_up("lea@example.com", "").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = sign_up("max@example.com", "Maximilian").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = app
        .call_json(
            &owner,
            "list_learners",
            json!({"query": {"search": "example.com", "filter": "", "page": 1}}),
        )
        .await;
    let learners: Page<app::model::LearnerView> = res.json().await.unwrap();
    let mut names: Vec<(String, String)> = learners
        .rows
        .into_iter()
        .filter(|l| l.email != common::OWNER_EMAIL)
        .map(|l| (l.first_name, l.last_name))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("Lea".to_string(), "Learner".to_string()),
            ("Maximilian".to_string(), "Muster".to_string())
        ]
    );
}

#[tokio::test]
async fn learner_admin_is_refused_on_the_starter_plan_by_the_server() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = invite(
        &app,
        &owner,
        &[("lea@example.com", "Lea", "")],
        "learner_admin",
        &[],
        false,
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(
        error_of(res)
            .await
            .field_message("role")
            .unwrap()
            .contains("Business")
    );
    let res = invite(
        &app,
        &owner,
        &[("lea@example.com", "Lea", "")],
        "owner",
        &[],
        false,
    )
    .await;
    assert_eq!(res.status(), 422, "staff roles are not given by invitation");
}

#[tokio::test]
async fn a_learner_cannot_call_the_admin_functions() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    invite_ok(&app, &owner, &[("lea@example.com", "Lea", "")], &[], false).await;
    let learner = app.browser();
    let form = [
        ("slug", "acme"),
        ("email", "lea@example.com"),
        ("first_name", "Lea"),
        ("last_name", ""),
        ("password", "any password 123"),
    ];
    assert_eq!(app.call(&learner, "sign_up", &form).await.status(), 200);
    let res = invite(
        &app,
        &learner,
        &[("x@example.com", "X", "")],
        "learner",
        &[],
        false,
    )
    .await;
    assert_eq!(res.status(), 403);
    let res = app
        .call_json(
            &learner,
            "list_invites",
            json!({"query": {"search": "", "filter": "", "page": 1}}),
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.call(&learner, "revoke_invite", &[("invite_id", "1")])
            .await
            .status(),
        403
    );
    let stranger = app.browser();
    assert_eq!(
        app.call(&stranger, "invite_link", &[("invite_id", "1")])
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn an_admin_of_one_academy_cannot_see_or_change_another_academys_invites() {
    let app = TestApp::spawn().await;
    let owner_a = app.create_first_academy("acme").await;
    app.create_academy("beta", "olga@example.com", "another long password")
        .await;
    let owner_b = app.browser();
    assert_eq!(
        app.sign_in(
            &owner_b,
            "beta",
            "olga@example.com",
            "another long password"
        )
        .await
        .status(),
        200
    );
    invite_ok(
        &app,
        &owner_b,
        &[("secret@example.com", "Sec", "Ret")],
        &[],
        false,
    )
    .await;
    let b_invite: i64 =
        sqlx::query_scalar("SELECT id FROM invites WHERE email = 'secret@example.com'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(invites_page(&app, &owner_a, "").await.total, 0);
    for endpoint in ["revoke_invite", "resend_invite", "invite_link"] {
        let res = app
            .call(&owner_a, endpoint, &[("invite_id", &b_invite.to_string())])
            .await;
        assert_eq!(res.status(), 404, "{endpoint}");
    }
    let team_b = new_team(&app, "beta", "Beta team").await;
    let res = invite(
        &app,
        &owner_a,
        &[("x@example.com", "X", "")],
        "learner",
        &[team_b],
        false,
    )
    .await;
    assert_eq!(res.status(), 422, "a team of another academy is refused");
    let status: String = sqlx::query_scalar("SELECT status FROM invites WHERE id = $1")
        .bind(b_invite)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "pending");
}

#[tokio::test]
async fn a_database_dump_alone_cannot_produce_a_working_join_link() {
    let (sink, app, _owner) = acme_with_lea_invited(true).await;
    let mail = sink.wait_for(1, Duration::from_secs(10)).await.remove(0);
    let link = mail
        .links()
        .into_iter()
        .find(|l| l.contains("/join/"))
        .unwrap();
    let token = link.rsplit('/').next().unwrap().to_string();
    // Everything the database holds about the invitation, as text.
    let mut dump: Vec<String> = vec![];
    for sql in [
        "SELECT salt || ' ' || token_hash FROM invite_tokens",
        "SELECT to_email || ' ' || message_id || ' ' || kind FROM email_outbox",
        "SELECT email || ' ' || first_name || ' ' || last_name FROM invites",
    ] {
        dump.extend(
            sqlx::query_scalar::<_, String>(sql)
                .fetch_all(&app.state.db.pool)
                .await
                .unwrap(),
        );
    }
    assert!(
        dump.iter().all(|row| !row.contains(&token)),
        "the token is nowhere in the database"
    );
    // What the dump does hold does not open the door either.
    let salt: String = sqlx::query_scalar("SELECT salt FROM invite_tokens")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let hash: String = sqlx::query_scalar("SELECT token_hash FROM invite_tokens")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    for guess in [salt, hash] {
        let html = app
            .get(&app.browser(), &format!("/a/acme/join/{guess}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("This invitation link does not work"));
    }
}

#[tokio::test]
async fn header_injection_through_names_is_impossible() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    let owner = app.create_first_academy("acme").await;
    invite_ok(
        &app,
        &owner,
        &[(
            "lea@example.com",
            "Lea\r\nBcc: evil@example.com",
            "X\nSubject: hi",
        )],
        &[],
        true,
    )
    .await;
    let mail = sink.wait_for(1, Duration::from_secs(10)).await.remove(0);
    assert!(mail.header("Bcc").is_none());
    assert_eq!(mail.headers_named("Subject").len(), 1);
    assert_eq!(mail.rcpt_to, vec!["lea@example.com".to_string()]);
}

#[tokio::test]
async fn a_public_academy_lets_anyone_sign_up_as_a_learner() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    sqlx::query("UPDATE academies SET visibility = 'public' WHERE slug = $1")
        .bind("acme")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let b = app.browser();
    let res = app
        .sign_up(
            &b,
            "acme",
            "eve@example.com",
            "Eve",
            "Ng",
            "any password 123",
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = app.confirm_code(&b, "acme", "eve@example.com").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let role: String = sqlx::query_scalar("SELECT role FROM users WHERE email = $1")
        .bind("eve@example.com")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(role, "learner");
    assert_eq!(
        invites_page(&app, &owner, "").await.total,
        0,
        "no invite is made up for a public sign-up"
    );
}

#[tokio::test]
async fn several_workers_on_one_database_send_each_invitation_exactly_once() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_mailing(sink.url()).await;
    // Two more workers, as two more server processes would run, on the same database.
    for _ in 0..2 {
        let mailer = app::server::mail::Mailer::from_settings(&app.state.settings).unwrap();
        server::outbox_worker::Worker::new(app.state.clone(), mailer, common::fast_worker())
            .spawn();
    }
    let owner = app.create_first_academy("acme").await;
    let emails: Vec<String> = (0..50).map(|n| format!("p{n}@example.com")).collect();
    let people: Vec<(&str, &str, &str)> = emails.iter().map(|e| (e.as_str(), "P", "")).collect();
    invite_ok(&app, &owner, &people, &[], true).await;

    sink.wait_for(50, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let mut ids: Vec<String> = sink
        .messages()
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    assert_eq!(ids.len(), 50, "no message sent twice");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 50);
    assert_eq!(invites_page(&app, &owner, "").await.total, 50);
}

async fn invite_rows(app: &TestApp) -> (i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM email_outbox WHERE kind = 'invite'), \
         (SELECT COUNT(*) FROM invite_tokens)",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap()
}

/// Whether the invitation link with `salt` opens the join form.
async fn link_works(app: &TestApp, salt: &str) -> bool {
    let token = app::server::tokens::derive_token(&app.state.settings.secret, salt);
    let res = app
        .call(
            &app.browser(),
            "join_info",
            &[("slug", "acme"), ("token", &token)],
        )
        .await;
    matches!(
        res.json::<app::model::JoinInfo>().await.unwrap(),
        app::model::JoinInfo::Valid { .. }
    )
}

#[tokio::test]
async fn fifty_invitations_of_one_address_at_once_from_the_form_or_the_api_send_one_email_and_keep_its_link()
 {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let form = json!({"people": [{"email": "lea@example.com", "first_name": "Lea", "last_name": ""}],
        "role": "learner", "team_ids": [], "send_email": true});

    // From nothing: one call makes the invitation, the others renew it while it is new.
    let burst = (0..50).map(|_| app.call_json(&owner, "invite_learners", form.clone()));
    let mut invite_ids = std::collections::BTreeSet::new();
    for res in futures::future::join_all(burst).await {
        assert_eq!(res.status(), 200);
        let results: Vec<InviteResult> = res.json().await.unwrap();
        match results[0].outcome {
            InviteOutcome::Invited { invite_id } | InviteOutcome::AlreadyInvited { invite_id } => {
                invite_ids.insert(invite_id);
            }
            ref other => panic!("{other:?}"),
        }
    }
    assert_eq!(invite_ids.len(), 1, "one invitation");
    assert_eq!(invite_rows(&app).await, (1, 1), "one email, one link");

    // The API, with a new Idempotency-Key each time (so none is a replay of another).
    let res = app
        .call_json(
            &owner,
            "register_api_client",
            json!({"name": "HR", "callback_uri": ""}),
        )
        .await;
    let client: serde_json::Value = res.json().await.unwrap();
    let token: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/oauth/token", app.base))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client["client"]["client_id"].as_str().unwrap()),
            ("client_secret", client["client_secret"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
    let calls = (0..50).map(|n| {
        reqwest::Client::new()
            .post(format!("{}/api/v1/", app.base))
            .bearer_auth(&token)
            .header("Idempotency-Key", format!("renewal-burst-{n:03}"))
            .json(
                &json!({"action": "inviteLearners", "options": {"learners": [
                {"email": "lea@example.com", "first_name": "Lea"}]}}),
            )
            .send()
    });
    for res in futures::future::join_all(calls).await {
        let res = res.unwrap();
        assert_eq!(res.status(), 200);
        let items: serde_json::Value = res.json().await.unwrap();
        assert_eq!(items[0]["status"], "already_invited", "{items}");
    }
    assert_eq!(invite_rows(&app).await, (1, 1), "still one email, one link");
    let first_salt: String = sqlx::query_scalar("SELECT salt FROM invite_tokens")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert!(link_works(&app, &first_salt).await);

    // Minutes later a renewal is a real reminder again: a new email with a new link, and the
    // link sent before keeps working until it expires.
    let earlier = app::server::services::invites::RENEWAL_QUIET_MS + 60_000;
    sqlx::query("UPDATE invite_tokens SET created_at = created_at - $1")
        .bind(earlier)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let res = app.call_json(&owner, "invite_learners", form).await;
    assert_eq!(res.status(), 200);
    assert_eq!(invite_rows(&app).await, (2, 2));
    assert!(link_works(&app, &first_salt).await);
}

#[tokio::test]
async fn fifty_api_calls_inviting_one_new_address_at_once_make_one_invitation_and_all_succeed() {
    let app = TestApp::spawn().await;
    let (_owner, token) = crate::api::setup(&app).await;
    let calls = (0..50).map(|n| {
        reqwest::Client::new()
            .post(format!("{}/api/v1/", app.base))
            .bearer_auth(&token)
            .header("Idempotency-Key", format!("new-burst-{n:03}"))
            .json(
                &json!({"action": "inviteLearners", "options": {"learners": [
                {"email": "new@example.com", "first_name": "Nia"}]}}),
            )
            .send()
    });
    let mut invite_ids = std::collections::BTreeSet::new();
    for res in futures::future::join_all(calls).await {
        let res = res.unwrap();
        assert_eq!(res.status(), 200);
        let items: serde_json::Value = res.json().await.unwrap();
        let status = items[0]["status"].as_str().unwrap_or_default();
        assert!(["invited", "already_invited"].contains(&status), "{items}");
        invite_ids.insert(items[0]["invite_id"].as_i64());
    }
    assert_eq!(
        invite_ids.len(),
        1,
        "every call names the one invitation: {invite_ids:?}"
    );
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invites WHERE email = 'new@example.com' AND status = 'pending'",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(pending, 1);
}

#[tokio::test]
async fn a_renewal_that_asks_for_the_email_sends_it_once_when_the_link_had_none() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let person = |send: bool| {
        json!({"people": [{"email": "lea@example.com", "first_name": "Lea", "last_name": ""}],
            "role": "learner", "team_ids": [], "send_email": send})
    };
    app.call_json(&owner, "invite_learners", person(false))
        .await;
    assert_eq!(invite_rows(&app).await, (0, 1));
    let renewals = (0..20).map(|_| app.call_json(&owner, "invite_learners", person(true)));
    futures::future::join_all(renewals).await;
    assert_eq!(
        invite_rows(&app).await,
        (1, 1),
        "the same link, emailed once"
    );
}
