//! First-run setup, sign-in and sign-out, tenants, and the security rules of the foundation, against
//! the real server on SQLite or PostgreSQL.

use crate::common;
use app::domain::AcademyId;

use app::error::AppError;
use common::{OWNER_EMAIL, OWNER_PASSWORD, TestApp, error_of, session_set_cookie};

#[tokio::test]
async fn health_check_answers_ok_when_the_database_is_up() {
    let app = TestApp::spawn().await;
    let res = app.get(&app.browser(), "/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn an_empty_server_shows_create_your_academy_at_the_root() {
    let app = TestApp::spawn().await;
    let res = app.get(&app.browser(), "/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Create your academy"), "{html}");
}

/// Leptos holds back every resource first polled while any server in the process works out its
/// routes, and such a resource never loads (leptos #4773). The harness builds a server per test, so
/// pages rendered while others were being built stalled until the client gave up (CI once). Routes
/// are now worked out once per process; here pages render while servers are built beside them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_other_servers_are_built_in_the_same_process() {
    let app = TestApp::spawn().await;
    let builds = tokio::spawn(async {
        for _ in 0..12 {
            let other = TestApp::spawn().await;
            drop(other);
        }
    });
    let browser = app.browser();
    let mut rendered = 0;
    while !builds.is_finished() || rendered < 40 {
        let res = app.get(&browser, "/").await;
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("Create your academy"));
        rendered += 1;
    }
    builds.await.unwrap();
}

#[tokio::test]
async fn setup_creates_the_academy_signs_the_owner_in_and_lands_on_the_admin_pages() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = app.get(&owner, "/a/acme/admin/learners").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Acme Onboarding"));
    assert!(html.contains("Manage Learners and Teams"));
    assert!(
        html.contains("Learners &amp; Teams") || html.contains("Learners & Teams"),
        "{html}"
    );
    // The root now leads to the academy.
    let res = app.get(&app.browser(), "/").await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/a/acme");
}

#[tokio::test]
async fn setup_is_refused_once_an_academy_exists() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let stranger = app.browser();
    let res = app
        .call(
            &stranger,
            "create_first_academy",
            &[
                ("academy_name", "Evil Corp"),
                ("slug", "evil"),
                ("owner_name", "Eve"),
                ("email", "eve@example.com"),
                ("password", "another long password"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert!(matches!(error_of(res).await, AppError::Forbidden(_)));
}

#[tokio::test]
async fn setup_reports_every_bad_field_with_a_clear_message() {
    let app = TestApp::spawn().await;
    let res = app
        .call(
            &app.browser(),
            "create_first_academy",
            &[
                ("academy_name", ""),
                ("slug", "Bad Slug!"),
                ("owner_name", ""),
                ("email", "ann@@example.com"),
                ("password", "password1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let e = error_of(res).await;
    for field in ["academy_name", "slug", "owner_name", "email", "password"] {
        assert!(
            e.field_message(field).is_some(),
            "no message for {field}: {e:?}"
        );
    }
    assert!(
        e.field_message("email")
            .unwrap()
            .contains("more than one @")
    );
    assert!(e.field_message("password").unwrap().contains("common"));
}

#[tokio::test]
async fn short_and_overlong_passwords_are_refused() {
    let app = TestApp::spawn().await;
    for pw in ["short", &"x".repeat(129)] {
        let res = app
            .call(
                &app.browser(),
                "create_first_academy",
                &[
                    ("academy_name", "Acme"),
                    ("slug", "acme"),
                    ("owner_name", "Ada"),
                    ("email", "a@example.com"),
                    ("password", pw),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
        assert!(error_of(res).await.field_message("password").is_some());
    }
}

#[tokio::test]
async fn a_taken_slug_is_a_conflict_on_the_slug_field() {
    let app = TestApp::spawn().await;
    app.create_academy("taken", "olga@example.com", "another long password")
        .await;
    let input = app::validate::new_academy(
        "Again",
        "taken",
        "Ann Other",
        "ann@example.com",
        "yet another password",
    )
    .unwrap();
    let e = app::server::services::academies::create(&app.state, &input, false)
        .await
        .err()
        .unwrap();
    assert_eq!(e.status(), 409);
    assert!(e.field_message("slug").unwrap().contains("/a/taken"));
}

#[tokio::test]
async fn the_session_cookie_is_httponly_samesite_lax_and_not_secure_on_http() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let res = app
        .sign_in(&app.browser(), "acme", OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    assert_eq!(res.status(), 200);
    let cookie = session_set_cookie(&res).expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_base_url_is_https() {
    let app = TestApp::spawn_with(|s| s.base_url = "https://academy.example.com".into()).await;
    app.create_academy("acme", OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    let res = app
        .browser()
        .post(format!("{}/api/sign_in", app.base))
        .header("Origin", "https://academy.example.com")
        .form(&[
            ("slug", "acme"),
            ("email", OWNER_EMAIL),
            ("password", OWNER_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(session_set_cookie(&res).unwrap().contains("Secure"));
}

/// An https Shoal's Owner signed in: the token of their `__Host-shoal_session` cookie (the test
/// client talks plain http, so it would never send a `Secure` cookie back by itself).
async fn https_owner_token(app: &TestApp) -> String {
    app.create_academy("acme", OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    let res = app
        .browser()
        .post(format!("{}/api/sign_in", app.base))
        .header("Origin", "https://academy.example.com")
        .form(&[
            ("slug", "acme"),
            ("email", OWNER_EMAIL),
            ("password", OWNER_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = common::set_cookie_named(&res, "__Host-shoal_session").expect("__Host- cookie");
    for part in ["Secure", "Path=/", "HttpOnly", "SameSite=Lax"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(!cookie.to_lowercase().contains("domain="), "{cookie}");
    assert!(common::set_cookie_named(&res, "shoal_session").is_none());
    let (_, rest) = cookie.split_once('=').unwrap();
    rest.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn over_https_every_answer_carries_hsts_and_the_cookies_carry_the_host_prefix() {
    let app = TestApp::spawn_with(|s| s.base_url = "https://academy.example.com".into()).await;
    let res = app.get(&app.browser(), "/healthz").await;
    assert_eq!(
        res.headers()
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000; includeSubDomains")
    );
    let token = https_owner_token(&app).await;
    let as_owner = |cookie: String| {
        app.browser()
            .post(format!("{}/api/list_staff", app.base))
            .header("Origin", "https://academy.example.com")
            .header("Accept", "application/json")
            .header("Cookie", cookie)
            .send()
    };
    let res = as_owner(format!("__Host-shoal_session={token}"))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // The unprefixed name, as a page of another subdomain could have set it, is nobody's session.
    let res = as_owner(format!("shoal_session={token}")).await.unwrap();
    assert_eq!(res.status(), 401);

    let res = app
        .browser()
        .post(format!("{}/api/view_as_learner", app.base))
        .header("Origin", "https://academy.example.com")
        .header("Accept", "application/json")
        .header("Cookie", format!("__Host-shoal_session={token}"))
        .form(&[("on", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = common::set_cookie_named(&res, "__Host-shoal_view_as_learner").expect("prefixed");
    assert!(
        cookie.starts_with("__Host-shoal_view_as_learner=1;"),
        "{cookie}"
    );
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
}

#[tokio::test]
async fn over_http_there_is_no_hsts_and_the_cookies_keep_their_plain_names() {
    let app = TestApp::spawn().await;
    let res = app.get(&app.browser(), "/healthz").await;
    assert!(res.headers().get("strict-transport-security").is_none());
    let owner = app.create_first_academy("acme").await;
    let res = app.call(&owner, "view_as_learner", &[("on", "true")]).await;
    assert_eq!(res.status(), 200);
    assert!(common::set_cookie_named(&res, "shoal_view_as_learner").is_some());
    let res = app
        .sign_in(&app.browser(), "acme", OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    let cookie = common::set_cookie_named(&res, "shoal_session").expect("plain name");
    assert!(!cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_single_message() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let a = error_of(
        app.sign_in(&app.browser(), "acme", OWNER_EMAIL, "not the password")
            .await,
    )
    .await;
    let b = error_of(
        app.sign_in(
            &app.browser(),
            "acme",
            "nobody@example.com",
            "not the password",
        )
        .await,
    )
    .await;
    assert_eq!(a.to_string(), "Invalid email or password");
    assert_eq!(a, b);
}

#[tokio::test]
async fn email_case_and_spaces_do_not_matter_at_sign_in() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let res = app
        .sign_in(
            &app.browser(),
            "acme",
            "  Owner@Example.COM ",
            OWNER_PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "\"/a/acme/admin/learners\"");
}

#[tokio::test]
async fn repeated_failures_on_one_account_are_rate_limited_with_a_retry_time() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let b = app.browser();
    for _ in 0..10 {
        let res = app
            .sign_in(&b, "acme", OWNER_EMAIL, "not the password")
            .await;
        assert_eq!(res.status(), 422);
    }
    let res = app.sign_in(&b, "acme", OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_eq!(
        res.status(),
        429,
        "even the right password waits once the account is locked"
    );
    assert!(res.headers().get("retry-after").is_some());
    let e = error_of(res).await;
    assert!(e.to_string().contains("Try again in"), "{e}");
}

#[tokio::test]
async fn sign_in_rotates_the_session_and_the_old_one_stops_working() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let b = app.browser();
    let first =
        session_set_cookie(&app.sign_in(&b, "acme", OWNER_EMAIL, OWNER_PASSWORD).await).unwrap();
    let second =
        session_set_cookie(&app.sign_in(&b, "acme", OWNER_EMAIL, OWNER_PASSWORD).await).unwrap();
    assert_ne!(first, second);
    let old_token = first.split(';').next().unwrap().to_string();
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/a/acme/admin/learners", app.base))
        .header("Accept", "text/html")
        .header("Cookie", old_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers()["location"],
        "/a/acme/login?reason=session-ended"
    );
}

#[tokio::test]
async fn sign_out_ends_the_session_in_the_database() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = app.call(&owner, "sign_out", &[("slug", "acme")]).await;
    assert_eq!(res.status(), 200);
    assert!(session_set_cookie(&res).unwrap().contains("Max-Age=0"));
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
    let res = app.get(&owner, "/a/acme/admin/learners").await;
    assert_eq!(res.status(), 302);
}

#[tokio::test]
async fn an_expired_session_sends_the_user_to_sign_in_with_a_notice() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    sqlx::query("UPDATE sessions SET expires_at = 1")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let res = app.get(&owner, "/a/acme/admin/learners").await;
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers()["location"],
        "/a/acme/login?reason=session-ended"
    );
    assert!(
        session_set_cookie(&res).unwrap().contains("Max-Age=0"),
        "the dead cookie is cleared"
    );
    let html = app
        .get(&owner, "/a/acme/login?reason=session-ended")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Your session has ended"), "{html}");
}

#[tokio::test]
async fn the_database_keeps_only_hashes_of_session_tokens_and_argon2id_password_hashes() {
    // The cost a real server hashes with (the harness's cheap one is for speed elsewhere).
    let app = TestApp::spawn_with(|s| s.hash_cost = Default::default()).await;
    let res = app
        .sign_in(&app.browser(), "acme", OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    assert_eq!(res.status(), 404, "no academy yet");
    app.create_first_academy("acme").await;
    let res = app
        .sign_in(&app.browser(), "acme", OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    let cookie = session_set_cookie(&res).unwrap();
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("shoal_session=");
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    assert!(!stored.is_empty());
    assert!(stored.iter().all(|h| h != token && !h.contains(token)));
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
}

#[tokio::test]
async fn a_session_of_one_academy_is_signed_out_in_another() {
    let app = TestApp::spawn().await;
    let owner_a = app.create_first_academy("acme").await;
    app.create_academy("beta", "olga@example.com", "another long password")
        .await;
    let res = app.get(&owner_a, "/a/beta/admin/learners").await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/a/beta/login");
    // The same email in academy B is a different account with its own password.
    let res = app
        .sign_in(&app.browser(), "beta", OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn a_learner_is_sent_from_the_admin_pages_to_the_learner_home() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let academy_id: AcademyId = sqlx::query_scalar("SELECT id FROM academies")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let pw = app::domain::password::Password::parse("learner password 1").unwrap();
    let hash = app.state.hasher.hash(&pw).await.unwrap();
    app::server::repo::users::insert(
        &app.state.db.pool,
        &app::server::repo::users::NewUser {
            academy_id,
            email: "lea@example.com",
            first_name: "Lea",
            last_name: "Learner",
            role: app::domain::role::Role::Learner,
            password_hash: &hash,
        },
        0,
    )
    .await
    .unwrap();
    let learner = app.browser();
    let res = app
        .sign_in(&learner, "acme", "lea@example.com", "learner password 1")
        .await;
    assert_eq!(res.text().await.unwrap(), "\"/a/acme\"");
    let res = app.get(&learner, "/a/acme/admin/settings").await;
    assert_eq!(res.status(), 302);
    // Home, told why.
    assert_eq!(res.headers()["location"], "/a/acme?denied=ManageLearners");
    let html = app.get(&learner, "/a/acme").await.text().await.unwrap();
    assert!(html.contains("Welcome, Lea"));
    assert!(!html.contains("Learners &amp; Teams"));
}

#[tokio::test]
async fn an_unknown_academy_is_a_404_page_with_a_way_out() {
    let app = TestApp::spawn().await;
    let res = app.get(&app.browser(), "/a/does-not-exist").await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains("No academy at this address"));
    assert!(html.contains("Go to the start page"));
    let res = app
        .sign_in(&app.browser(), "nope", "a@example.com", "whatever password")
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn state_changes_without_our_origin_are_refused() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let form = [
        ("slug", "acme"),
        ("email", OWNER_EMAIL),
        ("password", OWNER_PASSWORD),
    ];
    let url = format!("{}/api/sign_in", app.base);
    let none = app.browser().post(&url).form(&form).send().await.unwrap();
    assert_eq!(none.status(), 403);
    let evil = app
        .browser()
        .post(&url)
        .header("Origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    let text = evil.text().await.unwrap();
    assert!(text.contains("evil.example"), "{text}");
    assert!(
        session_set_cookie(&app.browser().post(&url).form(&form).send().await.unwrap()).is_none()
    );
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = TestApp::spawn().await;
    let res = app.get(&app.browser(), "/").await;
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("'nonce-"));
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .expect("script-src");
    let sources: Vec<&str> = script_src.split_whitespace().skip(1).collect();
    assert!(
        !sources.contains(&"'unsafe-inline'"),
        "inline scripts only by nonce: {script_src}"
    );
    assert!(
        !sources.contains(&"'unsafe-eval'"),
        "no eval beyond WebAssembly: {script_src}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    // Same-origin form posts keep a real Origin (forms work before the WASM arrives); other sites
    // never see our URLs (tokens stay here).
    assert_eq!(h["referrer-policy"], "same-origin");
    assert_eq!(h["cache-control"], "no-store", "pages carry people's data");
    assert!(h.get("x-request-id").is_some());
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_string();
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "scripts carry the nonce"
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413() {
    let app = TestApp::spawn().await;
    let big = "x".repeat(server::MAX_BODY_BYTES + 1);
    let res = app
        .call(
            &app.browser(),
            "sign_in",
            &[("slug", "acme"), ("email", &big), ("password", "p")],
        )
        .await;
    assert_eq!(res.status(), 413);
    assert!(matches!(error_of(res).await, AppError::PayloadTooLarge(_)));
}

#[tokio::test]
async fn a_malformed_request_is_a_400_not_a_500() {
    let app = TestApp::spawn().await;
    let res = app
        .browser()
        .post(format!("{}/api/sign_in", app.base))
        .header("Origin", &app.base)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("slug=acme&%%%")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(matches!(error_of(res).await, AppError::BadRequest(_)));
}

#[tokio::test]
async fn many_attempts_from_one_address_are_rate_limited_across_accounts() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let b = app.browser();
    let limit = app::server::settings::DEFAULT_SIGN_IN_PER_IP;
    for i in 0..limit {
        let res = app
            .sign_in(
                &b,
                "acme",
                &format!("guess{i}@example.com"),
                "not the password",
            )
            .await;
        assert_eq!(res.status(), 422, "attempt {i} is still allowed");
    }
    let res = app
        .sign_in(&b, "acme", "another@example.com", "not the password")
        .await;
    assert_eq!(res.status(), 429);
    assert!(
        error_of(res)
            .await
            .to_string()
            .contains("Too many sign-in attempts")
    );
}

#[tokio::test]
async fn production_mode_refuses_the_test_harness_cheap_password_hashes() {
    let dir = std::env::temp_dir().join(format!("shoal-cost-{}", rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut settings = common::test_settings(
        format!("sqlite://{}/shoal.db", dir.display()),
        "https://academy.example.test",
        "127.0.0.1:0".parse().unwrap(),
        &dir,
    );
    settings.mode = app::server::settings::Mode::Production;
    let refused = server::App::state(settings.clone()).await.err();
    assert_eq!(
        refused.as_deref(),
        Some("production mode hashes passwords at the standard cost only")
    );
    settings.hash_cost = Default::default();
    assert!(server::App::state(settings).await.is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_root_of_a_server_with_several_academies_sends_members_home_and_lists_only_public_ones()
{
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let olga = app.other_academy("beta").await;
    let res = app
        .call(&olga, "set_visibility", &[("visibility", "public")])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // A visitor is told how to find their academy; the private one is not named.
    let res = app.get(&app.browser(), "/").await;
    assert_eq!(res.status(), 200, "not sent to the first academy");
    let html = res.text().await.unwrap();
    assert!(html.contains("Find your academy"), "{html}");
    assert!(
        html.contains("href=\"/a/beta\""),
        "the public academy is listed: {html}"
    );
    assert!(
        !html.contains("/a/acme") && !html.contains("Acme Onboarding"),
        "{html}"
    );

    // Signed-in people go to their own academy, with a real redirect.
    for (client, home) in [(&owner, "/a/acme"), (&olga, "/a/beta")] {
        let res = app.get(client, "/").await;
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()["location"], home);
    }
}
