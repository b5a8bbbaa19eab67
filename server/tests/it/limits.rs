//! Abuse limits that hold: who the client is (behind trusted proxies only), limiter keys of bounded
//! size, and counting that happens atomically before the expensive work.

use crate::common::{self, TestApp, error_of};

use app::{
    model::SignUpOutcome,
    server::{
        client_ip::TrustedProxies,
        services::{academies, sign_in},
        tokens,
    },
};
use serde_json::json;

/// A failed sign-in with a fresh address (so no account's own limit is reached), sent with
/// `X-Forwarded-For: forwarded_for`. Returns the status.
async fn sign_in_forwarded_for(app: &TestApp, forwarded_for: &str, n: usize) -> u16 {
    let email = format!("nobody{n}@example.com");
    app.browser()
        .post(format!("{}/api/sign_in", app.base))
        .header("Origin", &app.base)
        .header("Accept", "application/json")
        .header("X-Forwarded-For", forwarded_for)
        .form(&[
            ("slug", "acme"),
            ("email", email.as_str()),
            ("password", "wrong password"),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const PER_IP: usize = app::server::settings::DEFAULT_SIGN_IN_PER_IP as usize;

#[tokio::test]
async fn a_spoofed_x_forwarded_for_from_a_peer_that_is_no_trusted_proxy_changes_nothing() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    for n in 0..PER_IP {
        let status = sign_in_forwarded_for(&app, &format!("198.51.100.{n}"), n).await;
        assert_eq!(status, 422, "attempt {n}");
    }
    // Every attempt came from 127.0.0.1, whatever the header claimed.
    assert_eq!(
        sign_in_forwarded_for(&app, "198.51.100.250", PER_IP).await,
        429
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    let app = TestApp::spawn_with(|s| {
        s.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await;
    app.create_first_academy("acme").await;
    for n in 0..PER_IP {
        assert_eq!(sign_in_forwarded_for(&app, "203.0.113.7", n).await, 422);
    }
    let res_full = sign_in_forwarded_for(&app, "203.0.113.7", PER_IP).await;
    assert_eq!(res_full, 429, "the forwarded client's limit is reached");
    // The client wrote the left-most entry; the proxy appended the real one.
    assert_eq!(
        sign_in_forwarded_for(&app, "203.0.113.7, 203.0.113.8", PER_IP + 1).await,
        422,
        "another client behind the same proxy is not locked out"
    );
}

#[tokio::test]
async fn two_ipv6_addresses_of_one_64_share_a_limit_and_the_next_64_does_not() {
    let app = TestApp::spawn_with(|s| {
        s.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await;
    app.create_first_academy("acme").await;
    for n in 0..PER_IP {
        let addr = format!("2001:db8:1:2::{:x}", n + 1);
        assert_eq!(sign_in_forwarded_for(&app, &addr, n).await, 422);
    }
    assert_eq!(
        sign_in_forwarded_for(&app, "2001:db8:1:2:ffff:ffff:ffff:fffe", PER_IP).await,
        429,
        "a fresh address of the same /64"
    );
    assert_eq!(
        sign_in_forwarded_for(&app, "2001:db8:1:3::1", PER_IP + 1).await,
        422,
        "the neighbouring /64"
    );
}

async fn rate_limit_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM rate_limits")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_megabyte_email_at_sign_in_is_refused_with_a_field_error_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let before = rate_limit_rows(&app).await;
    let huge = format!("{}@example.com", "a".repeat(1_000_000));
    let res = app
        .sign_in(&app.browser(), "acme", &huge, "wrong password")
        .await;
    assert_eq!(res.status(), 422);
    let message = error_of(res).await.field_message("email").unwrap();
    assert!(
        message.contains("longer than any email address"),
        "{message}"
    );
    assert_eq!(rate_limit_rows(&app).await, before, "no limiter row");

    // An ordinary failed sign-in stores keys of a fixed small size, never the address.
    app.sign_in(
        &app.browser(),
        "acme",
        "Someone@Example.com",
        "wrong password",
    )
    .await;
    let buckets: Vec<String> = sqlx::query_scalar("SELECT bucket FROM rate_limits")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    assert!(!buckets.is_empty());
    for bucket in &buckets {
        assert!(bucket.len() < 100, "{bucket}");
        assert!(!bucket.to_lowercase().contains("someone"), "{bucket}");
    }
}

#[tokio::test]
async fn thirty_parallel_wrong_passwords_for_one_account_are_checked_at_most_ten_times() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let tries = (0..30).map(|_| async {
        app.sign_in(
            &app.browser(),
            "acme",
            common::OWNER_EMAIL,
            "not the password",
        )
        .await
        .status()
        .as_u16()
    });
    let statuses = futures::future::join_all(tries).await;
    let checked = statuses.iter().filter(|s| **s == 422).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    let limit = sign_in::PER_ACCOUNT_FAILURES.max as usize;
    assert_eq!((checked, refused), (limit, 30 - limit), "{statuses:?}");
    // Locked now, even with the right password.
    let res = app
        .sign_in(
            &app.browser(),
            "acme",
            common::OWNER_EMAIL,
            common::OWNER_PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn right_passwords_do_not_use_up_the_accounts_limit_on_failures() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    for n in 0..sign_in::PER_ACCOUNT_FAILURES.max + 2 {
        let res = app
            .sign_in(
                &app.browser(),
                "acme",
                common::OWNER_EMAIL,
                common::OWNER_PASSWORD,
            )
            .await;
        assert_eq!(res.status(), 200, "sign-in {n}");
    }
}

/// Turns on "confirm sign-ups by code", invites `email` without an email and signs up with it.
/// Returns the code the server would have emailed.
async fn pending_sign_up(app: &TestApp, owner: &reqwest::Client, email: &str) -> String {
    let res = app
        .call(owner, "set_signup_confirmation", &[("on", "true")])
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .call_json(
            owner,
            "invite_learners",
            json!({"people": [{"email": email, "first_name": "Lea", "last_name": "Learner"}], "role": "learner", "team_ids": [], "send_email": false}),
        )
        .await;
    assert_eq!(res.status(), 200);
    sign_up_again(app, email).await
}

/// Signs up once more with `email`; returns the new code.
async fn sign_up_again(app: &TestApp, email: &str) -> String {
    let res = app
        .sign_up(
            &app.browser(),
            "acme",
            email,
            "Lea",
            "",
            common::LEARNER_PASSWORD,
        )
        .await;
    assert_eq!(
        res.json::<SignUpOutcome>().await.unwrap(),
        SignUpOutcome::ConfirmCode {
            email: email.into()
        }
    );
    let salt: String = sqlx::query_scalar(
        "SELECT salt FROM signup_codes WHERE email = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    tokens::derive_code(&app.state.settings.secret, &salt)
}

async fn confirm(app: &TestApp, email: &str, code: &str) -> reqwest::Response {
    app.call(
        &app.browser(),
        "confirm_sign_up",
        &[("slug", "acme"), ("email", email), ("code", code)],
    )
    .await
}

fn another_code(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}

#[tokio::test]
async fn fifty_parallel_wrong_codes_are_compared_at_most_five_times() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let code = pending_sign_up(&app, &owner, "lea@example.com").await;
    let wrong = another_code(&code);
    let tries = (0..50).map(|_| async {
        let res = confirm(&app, "lea@example.com", wrong).await;
        match res.status().as_u16() {
            429 => "limited".to_string(),
            _ => error_of(res)
                .await
                .field_message("code")
                .unwrap_or_default(),
        }
    });
    let answers = futures::future::join_all(tries).await;
    let compared = answers.iter().filter(|a| a.contains("not right")).count();
    let too_many = answers.iter().filter(|a| a.contains("Too many")).count();
    let limited = answers.iter().filter(|a| *a == "limited").count();
    assert!((1..=5).contains(&compared), "{answers:?}");
    assert_eq!(compared + too_many + limited, 50, "{answers:?}");
    // And per client: a code has six digits.
    assert_eq!(limited, 20, "{answers:?}");
    let tried: i64 = sqlx::query_scalar("SELECT attempts FROM signup_codes")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        tried, 30,
        "every try that passed the client's limit was counted"
    );
}

#[tokio::test]
async fn signing_up_again_sends_a_new_code_but_keeps_the_wrong_tries() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let first = pending_sign_up(&app, &owner, "lea@example.com").await;
    for _ in 0..4 {
        let res = confirm(&app, "lea@example.com", another_code(&first)).await;
        assert_eq!(res.status(), 422);
    }
    let second = sign_up_again(&app, "lea@example.com").await;
    // One try left of five: a wrong one uses it up, and the right code comes too late.
    let res = confirm(&app, "lea@example.com", another_code(&second)).await;
    assert!(
        error_of(res)
            .await
            .field_message("code")
            .unwrap()
            .contains("not right")
    );
    let res = confirm(&app, "lea@example.com", &second).await;
    assert_eq!(res.status(), 422);
    let message = error_of(res).await.field_message("code").unwrap();
    assert!(message.contains("Too many wrong codes"), "{message}");
    assert_eq!(app.user_id("acme", "lea@example.com").await, None);
}

#[tokio::test]
async fn after_setup_the_setup_form_is_refused_before_anything_is_checked_hashed_or_written() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let before = rate_limit_rows(&app).await;
    for _ in 0..20 {
        let res = app
            .call(
                &app.browser(),
                "create_first_academy",
                &[
                    ("academy_name", ""),
                    ("slug", "!"),
                    ("owner_name", ""),
                    ("email", "not an address"),
                    ("password", "x"),
                ],
            )
            .await;
        assert_eq!(res.status(), 403);
        let message = error_of(res).await.to_string();
        assert!(message.contains("already has an academy"), "{message}");
    }
    assert_eq!(rate_limit_rows(&app).await, before);
}

#[tokio::test]
async fn setup_attempts_are_limited_per_client_while_the_form_is_open() {
    let app = TestApp::spawn().await;
    let attempt = || async {
        app.call(
            &app.browser(),
            "create_first_academy",
            &[
                ("academy_name", "Acme"),
                ("slug", "!"),
                ("owner_name", "Ada"),
                ("email", "ada@example.com"),
                ("password", common::OWNER_PASSWORD),
            ],
        )
        .await
        .status()
    };
    for _ in 0..academies::SETUP_LIMIT.max {
        assert_eq!(attempt().await, 422);
    }
    assert_eq!(attempt().await, 429);
}

/// 100,000 addresses: about 2.6 MB of JSON.
fn whole_file_of_addresses() -> serde_json::Value {
    let emails: Vec<String> = (0..100_000)
        .map(|i| format!("learner.{i}@example.com"))
        .collect();
    json!({ "emails": emails })
}

#[tokio::test]
async fn the_large_address_look_up_is_read_only_for_a_signed_in_session() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let body = whole_file_of_addresses();
    assert!(body.to_string().len() > server::MAX_BODY_BYTES * 2);
    let res = app
        .call_json(&app.browser(), "lookup_emails", body.clone())
        .await;
    assert_eq!(res.status(), 413, "a stranger gets the 1 MB limit");
    let res = app.call_json(&owner, "lookup_emails", body).await;
    assert_eq!(res.status(), 200);
    // A small body from a stranger is read, and refused by the function itself.
    let res = app
        .call_json(
            &app.browser(),
            "lookup_emails",
            json!({"emails": ["a@example.com"]}),
        )
        .await;
    assert_eq!(res.status(), 401);
}
