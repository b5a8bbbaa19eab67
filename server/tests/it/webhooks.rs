//! Webhooks end to end: Settings → Webhooks through the server functions, events emitted by real
//! registrations and a failed invitation email, and deliveries through the outbox worker to a real
//! receiver on loopback that checks the `Shoal-Signature` header with the secret the admin was shown
//! — on SQLite or PostgreSQL.

use crate::common;
use app::domain::{DeliveryId, InviteId, TeamId, WebhookId};

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use app::{
    domain::role::Role,
    error::AppError,
    model::{
        InviteOutcome, InviteResult,
        webhooks::{DeliveryView, WebhookCreated, WebhookView},
    },
};
use axum::{Router, extract::State, http::HeaderMap, http::StatusCode, routing::post};
use common::{TestApp, error_of, fast_worker, smtp_sink::SmtpSink};
use hmac::{Hmac, Mac};
use reqwest::Client;
use serde_json::{Value, json};
use sha2::Sha256;

// ---- a receiver on loopback ----

#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: String,
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    /// Answers 500 while this is above zero (counting down), then 200.
    failures_left: Arc<AtomicUsize>,
}

impl Receiver {
    /// Listens on 127.0.0.1; returns it and the URL to give Shoal.
    async fn start(fail_first: usize) -> (Receiver, String) {
        let r = Receiver::default();
        r.failures_left.store(fail_first, Ordering::SeqCst);
        let router = Router::new()
            .route("/hooks/shoal", post(receive))
            .with_state(r.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks/shoal", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        (r, url)
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..150 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the receiver got {} requests, not {n}",
            self.received().len()
        );
    }
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    r.got.lock().unwrap().push(Received { headers, body });
    let failing = r
        .failures_left
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

/// What a receiver does, written from the README's description alone: split `t=…,v1=…`, compute
/// HMAC-SHA256 over "<t>.<raw body>" with the secret, compare in constant time, and refuse old
/// timestamps.
fn verify(secret: &str, header: &str, body: &str) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", value)) => t = Some(value),
            Some(("v1", value)) => v1 = Some(value),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    let Ok(ts) = t.parse::<i64>() else {
        return false;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    if (now - ts).abs() > 300 {
        return false;
    }
    let Ok(expected) = hex::decode(v1) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(t.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    mac.verify_slice(&expected).is_ok()
}

fn header<'a>(r: &'a Received, name: &str) -> &'a str {
    r.headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

// ---- helpers ----

async fn spawn() -> TestApp {
    TestApp::spawn_full(|_| {}, fast_worker()).await
}

async fn add_webhook(app: &TestApp, client: &Client, url: &str, events: &[&str]) -> WebhookCreated {
    let res = add_webhook_res(app, client, url, events).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn add_webhook_res(
    app: &TestApp,
    client: &Client,
    url: &str,
    events: &[&str],
) -> reqwest::Response {
    app.call_json(
        client,
        "create_webhook",
        json!({"url": url, "events": events}),
    )
    .await
}

async fn webhooks(app: &TestApp, client: &Client) -> Vec<WebhookView> {
    let res = app.call(client, "list_webhooks", &[]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn on_webhook(
    app: &TestApp,
    client: &Client,
    endpoint: &str,
    id: WebhookId,
) -> reqwest::Response {
    app.call(client, endpoint, &[("webhook_id", &id.to_string())])
        .await
}

async fn log(app: &TestApp, client: &Client, id: WebhookId) -> Vec<DeliveryView> {
    let res = on_webhook(app, client, "list_webhook_deliveries", id).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// Waits until the delivery log's newest row has `status`.
async fn wait_log(
    app: &TestApp,
    client: &Client,
    id: WebhookId,
    status: &str,
) -> Vec<DeliveryView> {
    for _ in 0..150 {
        let rows = log(app, client, id).await;
        if rows.first().is_some_and(|d| d.status == status) {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the newest delivery never became {status}: {:?}",
        log(app, client, id).await
    );
}

async fn send_test(app: &TestApp, client: &Client, id: WebhookId) -> DeliveryId {
    let res = on_webhook(app, client, "send_test_webhook", id).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn invite(
    app: &TestApp,
    owner: &Client,
    email: &str,
    team_ids: &[TeamId],
    send: bool,
) -> InviteId {
    let res = app
        .call_json(
            owner,
            "invite_learners",
            json!({
                "people": [{"email": email, "first_name": "Lea", "last_name": "Learner"}],
                "role": "learner_analyst",
                "team_ids": team_ids,
                "send_email": send,
            }),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let results: Vec<InviteResult> = res.json().await.unwrap();
    match results[0].outcome {
        InviteOutcome::Invited { invite_id } => invite_id,
        ref other => panic!("{other:?}"),
    }
}

fn by_event<'a>(got: &'a [Received], event: &str) -> &'a Received {
    got.iter()
        .find(|r| header(r, "Shoal-Event") == event)
        .unwrap_or_else(|| panic!("no {event} delivery"))
}

// ---- tests ----

#[tokio::test]
async fn joining_through_the_invite_link_delivers_invite_accepted_and_learner_registered_signed_with_the_shown_secret()
 {
    let app = spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (receiver, url) = Receiver::start(0).await;
    let hook = add_webhook(
        &app,
        &owner,
        &url,
        &["learner.registered", "invite.accepted"],
    )
    .await;
    assert_eq!(
        hook.webhook.events,
        vec!["invite.accepted", "learner.registered"],
        "kept in Settings order"
    );
    assert!(hook.secret.starts_with("whsec_"));
    // A webhook for another event hears nothing of this.
    let (quiet, quiet_url) = Receiver::start(0).await;
    let quiet_hook = add_webhook(&app, &owner, &quiet_url, &["invite.email_failed"]).await;

    let team = TeamId::new({
        let res = app
            .call(
                &owner,
                "create_team",
                &[("name", "Sales"), ("color", "Blue")],
            )
            .await;
        assert_eq!(res.status(), 200);
        res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    });
    let invite_id = invite(&app, &owner, "lea@example.com", &[team], false).await;
    let res = app
        .call(
            &owner,
            "invite_link",
            &[("invite_id", &invite_id.to_string())],
        )
        .await;
    let link: String = res.json().await.unwrap();
    let token = link.rsplit('/').next().unwrap().to_string();
    let lea = app.browser();
    let res = app
        .call(
            &lea,
            "join",
            &[
                ("slug", "acme"),
                ("token", &token),
                ("first_name", "Lea"),
                ("last_name", "Learner"),
                ("password", common::LEARNER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let user_id = app.user_id("acme", "lea@example.com").await.unwrap();

    let got = receiver.wait_for(2).await;
    // The secret shown again later is the one shown at creation.
    let res = on_webhook(&app, &owner, "webhook_secret", hook.webhook.id).await;
    let secret: String = res.json().await.unwrap();
    assert_eq!(secret, hook.secret);
    for r in &got {
        assert!(
            verify(&secret, header(r, "Shoal-Signature"), &r.body),
            "signature: {:?}",
            r.headers
        );
        assert_eq!(header(r, "Content-Type"), "application/json");
        assert_eq!(header(r, "User-Agent"), "Shoal-Webhooks/1");
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["event"], header(r, "Shoal-Event"));
        assert_eq!(
            body["id"].as_i64().unwrap().to_string(),
            header(r, "Shoal-Delivery")
        );
        assert_eq!(body["academy"]["slug"], "acme");
        assert!(
            body["created_at"].as_str().unwrap().ends_with('Z'),
            "{body}"
        );
    }
    let accepted: Value = serde_json::from_str(&by_event(&got, "invite.accepted").body).unwrap();
    assert_eq!(accepted["data"]["invite_id"], invite_id.get());
    assert_eq!(accepted["data"]["user_id"], user_id.get());
    assert_eq!(accepted["data"]["email"], "lea@example.com");
    assert_eq!(accepted["data"]["role"], "learner_analyst");
    assert_eq!(accepted["data"]["teams"], json!([team]));
    let registered: Value =
        serde_json::from_str(&by_event(&got, "learner.registered").body).unwrap();
    assert_eq!(registered["data"]["user_id"], user_id.get());
    assert_eq!(registered["data"]["first_name"], "Lea");
    assert_eq!(registered["data"]["invite_id"], invite_id.get());

    let rows = wait_log(&app, &owner, hook.webhook.id, "delivered").await;
    assert_eq!(rows.len(), 2);
    for d in &rows {
        assert_eq!(d.status, "delivered", "{d:?}");
        assert_eq!(d.response_status, Some(200));
        assert_eq!(d.attempts, 1);
        assert!(d.delivered_at.is_some() && d.error.is_none());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(quiet.received().is_empty());
    assert!(log(&app, &owner, quiet_hook.webhook.id).await.is_empty());
}

#[tokio::test]
async fn signing_up_at_the_academy_link_announces_the_acceptance_and_a_stranger_of_a_public_academy_only_the_registration()
 {
    let app = spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (receiver, url) = Receiver::start(0).await;
    add_webhook(
        &app,
        &owner,
        &url,
        &["invite.accepted", "learner.registered"],
    )
    .await;
    let (_lea, _) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let got = receiver.wait_for(2).await;
    by_event(&got, "invite.accepted");
    by_event(&got, "learner.registered");

    sqlx::query("UPDATE academies SET visibility = 'public' WHERE slug = 'acme'")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let stranger = app.browser();
    let res = app
        .sign_up(
            &stranger,
            "acme",
            "sam@example.com",
            "Sam",
            "Stranger",
            common::LEARNER_PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = app.confirm_code(&stranger, "acme", "sam@example.com").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let got = receiver.wait_for(3).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let got = if receiver.received().len() > got.len() {
        receiver.received()
    } else {
        got
    };
    assert_eq!(got.len(), 3, "no invite.accepted without an invitation");
    let sam: Vec<Value> = got
        .iter()
        .map(|r| serde_json::from_str::<Value>(&r.body).unwrap())
        .filter(|b| b["data"]["email"] == "sam@example.com")
        .collect();
    assert_eq!(sam.len(), 1);
    assert_eq!(sam[0]["event"], "learner.registered");
    assert_eq!(sam[0]["data"]["invite_id"], Value::Null);
    assert_eq!(sam[0]["data"]["role"], "learner");
}

#[tokio::test]
async fn a_tampered_body_or_another_secret_fails_verification() {
    let app = spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (receiver, url) = Receiver::start(0).await;
    let hook = add_webhook(&app, &owner, &url, &["invite.accepted"]).await;
    let delivery = send_test(&app, &owner, hook.webhook.id).await;
    let got = receiver.wait_for(1).await;
    let r = &got[0];
    let signature = header(r, "Shoal-Signature");
    assert_eq!(header(r, "Shoal-Event"), "test");
    assert_eq!(header(r, "Shoal-Delivery"), delivery.to_string());
    assert!(verify(&hook.secret, signature, &r.body));
    let tampered = r.body.replace(
        "\"academy\":{\"slug\":\"acme\"}",
        "\"academy\":{\"slug\":\"evil\"}",
    );
    assert_ne!(tampered, r.body);
    assert!(!verify(&hook.secret, signature, &tampered));
    assert!(!verify(&hook.secret, signature, &format!("{} ", r.body)));
    // The timestamp is signed too: moving it breaks the signature.
    let (t, v1) = signature.split_once(',').unwrap();
    let t: i64 = t.trim_start_matches("t=").parse().unwrap();
    assert!(!verify(&hook.secret, &format!("t={},{v1}", t + 1), &r.body));
    // Another webhook's secret does not verify it.
    let other = add_webhook(&app, &owner, &url, &["invite.accepted"]).await;
    assert_ne!(other.secret, hook.secret);
    assert!(!verify(&other.secret, signature, &r.body));
}

#[tokio::test]
async fn a_receiver_answering_500_gets_the_same_delivery_again_until_it_answers_200() {
    let app = spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (receiver, url) = Receiver::start(2).await;
    let hook = add_webhook(&app, &owner, &url, &["learner.registered"]).await;
    let delivery = send_test(&app, &owner, hook.webhook.id).await;

    let rows = wait_log(&app, &owner, hook.webhook.id, "delivered").await;
    assert_eq!(rows[0].id, delivery);
    assert_eq!(rows[0].attempts, 3);
    assert_eq!(rows[0].response_status, Some(200));
    assert_eq!(rows[0].error, None);
    let got = receiver.received();
    assert_eq!(got.len(), 3, "two refusals and the delivery");
    for r in &got {
        assert_eq!(r.body, got[0].body, "the same bytes every time");
        assert_eq!(header(r, "Shoal-Delivery"), delivery.to_string());
        assert!(verify(&hook.secret, header(r, "Shoal-Signature"), &r.body));
    }
    // The outbox row says so too: one message, sent.
    let (kind, status): (String, String) = sqlx::query_as(
        "SELECT kind, status FROM email_outbox WHERE ref_id = $1 AND kind = 'webhook'",
    )
    .bind(delivery)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!((kind.as_str(), status.as_str()), ("webhook", "sent"));
}

#[tokio::test]
async fn a_receiver_that_keeps_failing_is_given_up_on_and_the_log_says_why() {
    let app = spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (receiver, url) = Receiver::start(usize::MAX).await;
    let hook = add_webhook(&app, &owner, &url, &["learner.registered"]).await;
    send_test(&app, &owner, hook.webhook.id).await;
    // While retrying, the log shows the receiver's answer.
    let rows = wait_log(&app, &owner, hook.webhook.id, "retrying").await;
    assert_eq!(rows[0].response_status, Some(500));
    assert!(
        rows[0].error.as_deref().unwrap().contains("500"),
        "{:?}",
        rows[0]
    );
    let rows = wait_log(&app, &owner, hook.webhook.id, "failed").await;
    let max = fast_worker().max_attempts;
    assert_eq!(rows[0].attempts, max);
    assert_eq!(receiver.received().len() as i64, max);
    let error = rows[0].error.clone().unwrap();
    assert!(
        error.contains("500") && error.contains("gave up"),
        "{error}"
    );
}

#[tokio::test]
async fn a_receiver_that_is_down_is_retried_and_the_log_says_it_could_not_connect() {
    let app = spawn().await;
    let owner = app.create_first_academy("acme").await;
    // A port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let hook = add_webhook(
        &app,
        &owner,
        &format!("http://127.0.0.1:{port}/hook"),
        &["learner.registered"],
    )
    .await;
    send_test(&app, &owner, hook.webhook.id).await;
    let rows = wait_log(&app, &owner, hook.webhook.id, "retrying").await;
    assert_eq!(rows[0].response_status, None);
    assert!(
        rows[0].error.as_deref().unwrap().contains("connect"),
        "{:?}",
        rows[0]
    );
}

#[tokio::test]
async fn a_given_up_invitation_email_is_announced_as_invite_email_failed() {
    let sink = SmtpSink::start().await;
    sink.set_reject(Some(550));
    let url = sink.url();
    let app = TestApp::spawn_full(
        move |s| s.smtp_url = Some(app::server::settings::Secret::new(url)),
        fast_worker(),
    )
    .await;
    let owner = app.create_first_academy("acme").await;
    let (receiver, hook_url) = Receiver::start(0).await;
    let hook = add_webhook(&app, &owner, &hook_url, &["invite.email_failed"]).await;
    let invite_id = invite(&app, &owner, "nobody@example.com", &[], true).await;
    let got = receiver.wait_for(1).await;
    let r = by_event(&got, "invite.email_failed");
    assert!(verify(&hook.secret, header(r, "Shoal-Signature"), &r.body));
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["data"]["invite_id"], invite_id.get());
    assert_eq!(body["data"]["email"], "nobody@example.com");
    assert!(
        body["data"]["error"].as_str().unwrap().contains("550"),
        "{body}"
    );
    // The invitation's Email Status is untouched by the webhook's own delivery.
    let status: String = sqlx::query_scalar("SELECT email_status FROM invites WHERE id = $1")
        .bind(invite_id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "failed");
}

#[tokio::test]
async fn send_test_event_is_delivered_and_logged() {
    let app = spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (receiver, url) = Receiver::start(0).await;
    let hook = add_webhook(&app, &owner, &url, &["invite.email_failed"]).await;
    assert!(log(&app, &owner, hook.webhook.id).await.is_empty());
    let delivery = send_test(&app, &owner, hook.webhook.id).await;
    let got = receiver.wait_for(1).await;
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["event"], "test");
    assert_eq!(body["id"], delivery.get());
    assert_eq!(body["data"]["webhook_id"], hook.webhook.id.get());
    let rows = wait_log(&app, &owner, hook.webhook.id, "delivered").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].event, "test");
    assert_eq!(rows[0].response_status, Some(200));
}

#[tokio::test]
async fn a_deleted_webhook_is_gone_with_its_log_and_its_waiting_deliveries_are_not_sent() {
    let app = spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (receiver, url) = Receiver::start(usize::MAX).await;
    let hook = add_webhook(&app, &owner, &url, &["learner.registered"]).await;
    let delivery = send_test(&app, &owner, hook.webhook.id).await;
    wait_log(&app, &owner, hook.webhook.id, "retrying").await;
    let res = on_webhook(&app, &owner, "delete_webhook", hook.webhook.id).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert!(webhooks(&app, &owner).await.is_empty());
    let res = on_webhook(&app, &owner, "list_webhook_deliveries", hook.webhook.id).await;
    assert_eq!(res.status(), 404);
    for _ in 0..100 {
        let status: String = sqlx::query_scalar(
            "SELECT status FROM email_outbox WHERE ref_id = $1 AND kind = 'webhook'",
        )
        .bind(delivery)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        if status == "cancelled" {
            let tries = receiver.received().len();
            tokio::time::sleep(Duration::from_millis(700)).await;
            assert_eq!(receiver.received().len(), tries, "no more attempts");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the waiting delivery was never cancelled");
}

#[tokio::test]
async fn a_webhook_of_another_academy_is_not_found() {
    let app = spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (receiver, url) = Receiver::start(0).await;
    let hook = add_webhook(&app, &owner, &url, &["learner.registered"]).await;
    let olga = app.other_academy("other").await;
    assert!(webhooks(&app, &olga).await.is_empty());
    for endpoint in [
        "webhook_secret",
        "list_webhook_deliveries",
        "send_test_webhook",
        "delete_webhook",
    ] {
        let res = on_webhook(&app, &olga, endpoint, hook.webhook.id).await;
        assert_eq!(res.status(), 404, "{endpoint}");
        assert!(matches!(error_of(res).await, AppError::NotFound(_)));
    }
    assert_eq!(webhooks(&app, &owner).await.len(), 1, "still there");
    // Olga's academy's events do not reach acme's webhook.
    let (_, _) = app
        .registered_learner(&olga, "other", "leo@example.com", Role::Learner, &[])
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(receiver.received().is_empty());
}

#[tokio::test]
async fn a_learner_may_not_see_or_manage_webhooks() {
    let app = spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (_, url) = Receiver::start(0).await;
    let hook = add_webhook(&app, &owner, &url, &["learner.registered"]).await;
    // A Learner-Admin manages learners and teams, but not webhooks.
    let res = app
        .call(&owner, "change_plan", &[("plan", "business")])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let (lea, _) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::LearnerAdmin, &[])
        .await;
    let res = app.call(&lea, "list_webhooks", &[]).await;
    assert_eq!(res.status(), 403);
    let res = add_webhook_res(&app, &lea, &url, &["learner.registered"]).await;
    assert_eq!(res.status(), 403);
    for endpoint in [
        "webhook_secret",
        "list_webhook_deliveries",
        "send_test_webhook",
        "delete_webhook",
    ] {
        let res = on_webhook(&app, &lea, endpoint, hook.webhook.id).await;
        assert_eq!(res.status(), 403, "{endpoint}");
    }
    let stranger = app.browser();
    let res = app.call(&stranger, "list_webhooks", &[]).await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn bad_urls_and_events_are_refused_with_a_clear_message() {
    let app = spawn().await;
    let owner = app.create_first_academy("acme").await;
    for (url, events, field, says) in [
        ("", vec!["invite.accepted"], "url", "Enter the URL"),
        (
            "ftp://example.com/x",
            vec!["invite.accepted"],
            "url",
            "http:// or https://",
        ),
        (
            "hooks.example.com",
            vec!["invite.accepted"],
            "url",
            "full URL",
        ),
        (
            "https://me:pw@example.com/x",
            vec!["invite.accepted"],
            "url",
            "user name and password",
        ),
        ("https://example.com/x", vec![], "events", "at least one"),
        (
            "https://example.com/x",
            vec!["invite.sent"],
            "events",
            "not an event",
        ),
    ] {
        let res = add_webhook_res(&app, &owner, url, &events).await;
        assert_eq!(res.status(), 422, "{url} {events:?}");
        let e = error_of(res).await;
        let message = e.field_message(field).unwrap_or_else(|| panic!("{e:?}"));
        assert!(message.contains(says), "{url}: {message}");
    }
    let long = format!("https://example.com/{}", "a".repeat(2000));
    let res = add_webhook_res(&app, &owner, &long, &["invite.accepted"]).await;
    assert_eq!(res.status(), 422);
    assert!(
        error_of(res)
            .await
            .field_message("url")
            .unwrap()
            .contains("2,000")
    );
    assert!(webhooks(&app, &owner).await.is_empty());
}

#[tokio::test]
async fn production_refuses_private_addresses_unless_the_operator_allows_them() {
    let app = TestApp::spawn_full(common::production, fast_worker()).await;
    let owner = app.create_first_academy("acme").await;
    for url in [
        "http://127.0.0.1:9000/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest",
        "http://[::1]/hook",
    ] {
        let res = add_webhook_res(&app, &owner, url, &["invite.accepted"]).await;
        assert_eq!(res.status(), 422, "{url}");
        let message = error_of(res).await.field_message("url").unwrap();
        assert!(
            message.contains("SHOAL_WEBHOOKS_ALLOW_PRIVATE"),
            "{url}: {message}"
        );
    }
    let allowed = TestApp::spawn_full(
        |s| {
            common::production(s);
            s.webhooks_allow_private = true;
        },
        fast_worker(),
    )
    .await;
    let owner = allowed.create_first_academy("acme").await;
    let (receiver, url) = Receiver::start(0).await;
    let hook = add_webhook(&allowed, &owner, &url, &["invite.accepted"]).await;
    send_test(&allowed, &owner, hook.webhook.id).await;
    receiver.wait_for(1).await;
}

#[tokio::test]
async fn the_webhooks_tab_arrives_with_its_list_in_the_html() {
    let app = spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (_receiver, url) = Receiver::start(0).await;
    add_webhook(&app, &owner, &url, &["invite.accepted"]).await;
    let res = app.get(&owner, "/a/acme/admin/settings?tab=webhooks").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Add webhook"), "{html}");
    assert!(
        html.contains(&url),
        "the webhook is in the first HTML: {html}"
    );
    assert!(!html.contains("Loading webhooks"), "{html}");
}
