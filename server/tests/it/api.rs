//! The external API through real HTTP, on SQLite or PostgreSQL: OAuth applications and tokens
//! (`/oauth/token`), every action of `POST /api/v1/` in JSON and in form encoding, per-learner
//! results, idempotent repeats, limits, rate limiting, and the walls between academies and
//! between the API and browser sessions.

use crate::common;

use app::domain::role::Role;
use common::{TestApp, error_of};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

/// Registers an application as `admin`; returns its client id and secret.
pub(crate) async fn register(app: &TestApp, admin: &Client, name: &str) -> (String, String) {
    let res = app
        .call_json(
            admin,
            "register_api_client",
            json!({"name": name, "callback_uri": ""}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let v: Value = res.json().await.unwrap();
    (
        v["client"]["client_id"].as_str().unwrap().to_string(),
        v["client_secret"].as_str().unwrap().to_string(),
    )
}

async fn token_response(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    Client::new()
        .post(format!("{}/oauth/token", app.base))
        .form(form)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn get_token(app: &TestApp, id: &str, secret: &str) -> String {
    let res = token_response(
        app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
            ("scope", ""),
        ],
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let v: Value = res.json().await.unwrap();
    v["access_token"].as_str().unwrap().to_string()
}

/// A signed-in owner of academy "acme" and a token of an application they registered.
pub(crate) async fn setup(app: &TestApp) -> (Client, String) {
    let owner = app.create_first_academy("acme").await;
    let (id, secret) = register(app, &owner, "HR system").await;
    let token = get_token(app, &id, &secret).await;
    (owner, token)
}

pub(crate) async fn call(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let res = Client::new()
        .post(format!("{}/api/v1/", app.base))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn call_form(app: &TestApp, token: &str, form: &str) -> (StatusCode, Value) {
    let res = Client::new()
        .post(format!("{}/api/v1", app.base))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn message(v: &Value) -> &str {
    v["error"]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_registered_application_gets_a_bearer_token_by_form_json_or_http_basic() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (id, secret) = register(&app, &owner, "HR system").await;

    let res = token_response(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 604800);
    assert_eq!(v["access_token"].as_str().unwrap().len(), 43);

    let res = Client::new()
        .post(format!("{}/oauth/token", app.base))
        .json(&json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret, "scope": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "JSON body");

    let res = Client::new()
        .post(format!("{}/oauth/token", app.base))
        .basic_auth(&id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "HTTP Basic");
    let t: Value = res.json().await.unwrap();
    let (status, teams) = call(
        &app,
        t["access_token"].as_str().unwrap(),
        json!({"action": "getTeams", "options": {}}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(teams, json!([]));
}

#[tokio::test]
async fn token_errors_follow_rfc_6749() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (id, secret) = register(&app, &owner, "HR system").await;
    type Case<'a> = (&'a [(&'a str, &'a str)], u16, &'a str);
    let cases: [Case; 5] = [
        (
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &id),
                ("client_secret", "wrong"),
            ],
            401,
            "invalid_client",
        ),
        (
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "nobody"),
                ("client_secret", &secret),
            ],
            401,
            "invalid_client",
        ),
        (
            &[("client_id", &id), ("client_secret", &secret)],
            400,
            "invalid_request",
        ),
        (
            &[
                ("grant_type", "password"),
                ("client_id", &id),
                ("client_secret", &secret),
            ],
            400,
            "unsupported_grant_type",
        ),
        (
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &id),
                ("client_secret", &secret),
                ("scope", "admin"),
            ],
            400,
            "invalid_scope",
        ),
    ];
    for (form, status, code) in cases {
        let res = token_response(&app, form).await;
        assert_eq!(res.status().as_u16(), status, "{form:?}");
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["error"], code, "{form:?}");
        assert!(!v["error_description"].as_str().unwrap().is_empty());
    }
    let res = Client::new()
        .post(format!("{}/oauth/token", app.base))
        .basic_auth(&id, Some("wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert!(
        res.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
}

#[tokio::test]
async fn secrets_and_tokens_are_stored_only_as_keyed_hashes() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (id, secret) = register(&app, &owner, "HR system").await;
    let token = get_token(&app, &id, &secret).await;
    let stored: String = sqlx::query_scalar("SELECT secret_hash FROM api_clients")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let tokens: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    assert!(!stored.contains(&secret));
    assert_eq!(tokens.len(), 1);
    assert!(!tokens[0].contains(&token));
    // A hash presented as the token is not a token.
    let (status, _) = call(&app, &tokens[0], json!({"action": "getTeams"})).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_revoked_application_and_its_tokens_stop_working_and_an_expired_token_is_refused() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (id, secret) = register(&app, &owner, "HR system").await;
    let token1 = get_token(&app, &id, &secret).await;
    let token2 = get_token(&app, &id, &secret).await;
    sqlx::query("UPDATE api_tokens SET expires_at = 0 WHERE id = (SELECT MIN(id) FROM api_tokens)")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let (status, body) = call(&app, &token1, json!({"action": "getTeams"})).await;
    assert_eq!(status, 401, "expired");
    assert!(message(&body).contains("/oauth/token"), "{body}");
    assert_eq!(
        call(&app, &token2, json!({"action": "getTeams"})).await.0,
        200
    );

    let res = app.call(&owner, "list_api_clients", &[]).await;
    let list: Value = res.json().await.unwrap();
    let clients = &list["clients"];
    assert_eq!(list["base_url"], app.base.as_str());
    let row = clients[0]["id"].as_i64().unwrap().to_string();
    let res = app.call(&owner, "revoke_api_client", &[("id", &row)]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        call(&app, &token2, json!({"action": "getTeams"})).await.0,
        401
    );
    let res = token_response(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(res.status(), 401);
    let res = app.call(&owner, "list_api_clients", &[]).await;
    let list: Value = res.json().await.unwrap();
    assert!(
        list["clients"][0]["revoked_at"].is_i64(),
        "the list says when it was revoked"
    );
}

#[tokio::test]
async fn renaming_and_registering_check_their_input_and_need_staff() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = app
        .call_json(
            &owner,
            "register_api_client",
            json!({"name": " ", "callback_uri": "ftp://x"}),
        )
        .await;
    assert_eq!(res.status(), 422);
    let e = error_of(res).await;
    assert!(
        e.field_message("name").is_some() && e.field_message("callback_uri").is_some(),
        "{e:?}"
    );
    let (_, _) = register(&app, &owner, "HR system").await;
    let list: Value = app
        .call(&owner, "list_api_clients", &[])
        .await
        .json()
        .await
        .unwrap();
    let id = list["clients"][0]["id"].as_i64().unwrap().to_string();
    let res = app
        .call(
            &owner,
            "rename_api_client",
            &[("id", &id), ("name", "  Payroll  ")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["name"], "Payroll");
    assert!(v.get("client_secret").is_none());

    let (learner, _) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::LearnerAnalyst, &[])
        .await;
    for (endpoint, body) in [
        ("list_api_clients", json!({})),
        (
            "register_api_client",
            json!({"name": "Mine", "callback_uri": ""}),
        ),
    ] {
        let res = app.call_json(&learner, endpoint, body).await;
        assert_eq!(res.status(), 403, "{endpoint}");
    }
    let res = app
        .call(&learner, "revoke_api_client", &[("id", &id)])
        .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn every_action_answers_in_json_and_in_form_encoding_with_bearer_or_bare_tokens() {
    let app = TestApp::spawn().await;
    let (owner, token) = setup(&app).await;
    let sales = app.team(&owner, "Sales").await;

    // Bare token and a trailing space in the action name.
    let res = Client::new()
        .post(format!("{}/api/v1", app.base))
        .header("Authorization", &token)
        .json(&json!({"action": "getTeams ", "options": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let teams: Value = res.json().await.unwrap();
    assert_eq!(teams[0]["id"], sales.get());
    assert_eq!(teams[0]["name"], "Sales");
    assert_eq!(teams[0]["learners_count"], 0);

    let (status, form_teams) = call_form(&app, &token, "action=getTeams").await;
    assert_eq!(status, 200);
    assert_eq!(form_teams, teams);

    let form = format!(
        "action=inviteLearners+&options[send_email]=0&options[teams][]={sales}\
         &options[learners][0][email]=ann%40example.com&options[learners][0][first_name]=Ann\
         &options[learners][1][email]=bob%40example.com&options[learners][1][first_name]=Bob&options[learners][1][role]=learner_analyst"
    );
    let (status, v) = call_form(&app, &token, &form).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v[0]["status"], "invited");
    assert_eq!(v[1]["status"], "invited", "{v}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invites WHERE source = 'api' AND send_email = 0")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_outbox").await,
        0,
        "send_email=0"
    );
    let role: String =
        sqlx::query_scalar("SELECT role FROM invites WHERE email = 'bob@example.com'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(role, "learner_analyst");

    let (status, invites) = call(
        &app,
        &token,
        json!({"action": "invites", "options": {"status": "pending"}}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(invites.as_array().unwrap().len(), 2);
    assert_eq!(invites[0]["email"], "ann@example.com");
    assert_eq!(invites[0]["source"], "api");
    assert_eq!(invites[0]["email_status"], "not_requested");
    assert_eq!(invites[0]["invitation_progress"], "Has not accepted invite");
    assert_eq!(invites[0]["teams"][0]["id"], sales.get());
    let (_, form_invites) = call_form(&app, &token, "action=invites&options[status]=pending").await;
    assert_eq!(form_invites, invites);

    let (_, lea) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let (status, learners) = call(&app, &token, json!({"action": "learners"})).await;
    assert_eq!(status, 200);
    assert_eq!(
        learners.as_array().unwrap().len(),
        1,
        "staff are not learners"
    );
    assert_eq!(learners[0]["id"], lea.get());
    assert_eq!(learners[0]["role"], "learner");
    assert!(
        learners[0]["registered_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    let form = format!(
        "action=addLearnersToTeams&options[emails][]=lea%40example.com&options[teams][]={sales}"
    );
    let (status, v) = call_form(&app, &token, &form).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v,
        json!([{"email": "lea@example.com", "status": "added", "teams": [sales]}])
    );
    let (_, learners) = call(&app, &token, json!({"action": "learners"})).await;
    assert_eq!(
        learners[0]["teams"],
        json!([{"id": sales, "name": "Sales"}])
    );
}

#[tokio::test]
async fn invite_learners_answers_every_learner_in_order_and_one_bad_learner_fails_nothing() {
    let app = TestApp::spawn().await;
    let (owner, token) = setup(&app).await;
    let sales = app.team(&owner, "Sales").await;
    app.registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let res = app
        .call_json(
            &owner,
            "invite_learners",
            json!({"people": [{"email": "pat@example.com", "first_name": "Pat", "last_name": ""}],
                   "role": "learner", "team_ids": [], "send_email": false}),
        )
        .await;
    assert_eq!(res.status(), 200);

    let (status, v) = call(
        &app,
        &token,
        json!({"action": "inviteLearners", "options": {
            "teams": [sales],
            "send_email": true,
            "learners": [
                {"email": "New@Example.com", "first_name": "Nia", "last_name": "New"},
                {"email": "bob@@example.com", "first_name": "Bob"},
                {"email": "lea@example.com", "first_name": "Lea"},
                {"email": "pat@example.com", "first_name": "Pat"},
                {"email": "new@example.com", "first_name": "New"},
                {"email": "rae@example.com", "first_name": "Rae", "role": "owner"},
                "not an object",
            ]
        }}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let statuses: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "invited",
            "error",
            "already_learner",
            "already_invited",
            "error",
            "error",
            "error"
        ],
        "{v}"
    );
    assert!(v[0]["invite_id"].is_i64());
    assert_eq!(v[0]["email"], "new@example.com");
    assert!(
        v[1]["message"]
            .as_str()
            .unwrap()
            .contains("more than one @"),
        "{v}"
    );
    assert_eq!(
        v[2]["added_to_teams"], 1,
        "an existing learner joins the teams"
    );
    assert!(
        v[4]["message"].as_str().unwrap().contains("learners[0]"),
        "{v}"
    );
    assert!(
        v[5]["message"]
            .as_str()
            .unwrap()
            .contains("learner_analyst"),
        "{v}"
    );
    assert!(v[6]["message"].as_str().unwrap().contains("object"), "{v}");
    // The new and the renewed invitation each have one email queued.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM email_outbox WHERE kind = 'invite'")
            .await,
        2
    );
    let source: String =
        sqlx::query_scalar("SELECT source FROM invites WHERE email = 'new@example.com'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(source, "api");
}

#[tokio::test]
async fn repeating_the_same_invite_call_creates_no_second_invite_and_no_second_email() {
    let app = TestApp::spawn().await;
    let (_owner, token) = setup(&app).await;
    let body = json!({"action": "inviteLearners", "options": {"learners": [
        {"email": "ann@example.com", "first_name": "Ann"},
        {"email": "bob@example.com", "first_name": "Bob", "role": "learner_analyst"},
    ]}});
    let (s1, first) = call(&app, &token, body.clone()).await;
    let (s2, again) = call(&app, &token, body).await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert_eq!(first, again, "the repeat answers what the first call did");
    assert_eq!(first[0]["status"], "invited");
    assert_eq!(app.count("SELECT COUNT(*) FROM invites").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM email_outbox").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM invite_tokens").await, 2);

    // An Idempotency-Key makes two calls one even when they are sent at the same time.
    let send = |key: &'static str| {
        let url = format!("{}/api/v1/", app.base);
        let token = token.clone();
        async move {
            Client::new()
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .json(&json!({"action": "inviteLearners", "options": {"learners": [{"email": "cy@example.com", "first_name": "Cy"}]}}))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let (a, b) = tokio::join!(send("order-4711-x"), send("order-4711-x"));
    assert_eq!(a, b);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invites WHERE email = 'cy@example.com'")
            .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM email_outbox").await, 3);

    // The same key with other options is refused, not answered with the first call's results.
    let res = Client::new()
        .post(format!("{}/api/v1/", app.base))
        .bearer_auth(&token)
        .header("Idempotency-Key", "order-4711-x")
        .json(&json!({"action": "inviteLearners", "options": {"learners": [{"email": "dee@example.com", "first_name": "Dee"}]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let v: Value = res.json().await.unwrap();
    assert!(
        message(&v).contains("Idempotency-Key was already used"),
        "{v}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invites WHERE email = 'dee@example.com'")
            .await,
        0
    );

    // API calls are not CSV uploads: the upload history does not list them.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM imports WHERE source = 'api'")
            .await,
        3
    );
}

#[tokio::test]
async fn unknown_teams_are_named_and_add_learners_to_teams_answers_per_email() {
    let app = TestApp::spawn().await;
    let (owner, token) = setup(&app).await;
    let sales = app.team(&owner, "Sales").await;
    let ops = app.team(&owner, "Ops").await;
    app.registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[sales])
        .await;
    call(&app, &token, json!({"action": "inviteLearners", "options": {"send_email": false, "learners": [{"email": "pat@example.com", "first_name": "Pat"}]}})).await;

    let (status, v) = call(&app, &token, json!({"action": "inviteLearners", "options": {"teams": [sales, 987654], "learners": [{"email": "x@example.com", "first_name": "X"}]}})).await;
    assert_eq!(status, 422);
    assert!(message(&v).contains("987654"), "{v}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invites WHERE email = 'x@example.com'")
            .await,
        0
    );

    let (status, v) = call(
        &app,
        &token,
        json!({"action": "addLearnersToTeams", "options": {
        "emails": ["lea@example.com", "pat@example.com", "ghost@example.com", "not-an-email"],
        "teams": [sales, ops]}}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v[0],
        json!({"email": "lea@example.com", "status": "added", "teams": [ops]})
    );
    assert_eq!(v[1]["status"], "invite_updated", "{v}");
    assert_eq!(v[2]["status"], "error");
    assert!(
        v[2]["message"].as_str().unwrap().contains("No learner"),
        "{v}"
    );
    assert_eq!(v[3]["status"], "error");
    let (_, v) = call(&app, &token, json!({"action": "addLearnersToTeams", "options": {"emails": ["lea@example.com"], "teams": [sales]}})).await;
    assert_eq!(v[0]["status"], "already_in_team");
    let (_, v) = call(&app, &token, json!({"action": "addLearnersToTeams", "options": {"emails": ["lea@example.com"], "teams": [424242]}})).await;
    assert_eq!(v[0]["status"], "error");
    assert!(v[0]["message"].as_str().unwrap().contains("424242"), "{v}");
    let (_, teams) = call(&app, &token, json!({"action": "getTeams"})).await;
    let ops_row = teams
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == ops.get())
        .unwrap();
    assert_eq!(ops_row["learners_count"], 1);
    assert_eq!(ops_row["invites_count"], 1);
}

#[tokio::test]
async fn bad_calls_get_clear_errors_in_the_reference_envelope() {
    let app = TestApp::spawn().await;
    let (_owner, token) = setup(&app).await;
    let too_many: Vec<Value> = (0..1001)
        .map(|i| json!({"email": format!("p{i}@example.com"), "first_name": "P"}))
        .collect();
    let cases = [
        (
            json!({"action": "fly"}),
            400,
            "inviteLearners, addLearnersToTeams, getTeams, learners, invites",
        ),
        (json!({"options": {}}), 400, "\"action\" is missing"),
        (
            json!({"action": "getTeams", "options": 5}),
            400,
            "must be an object",
        ),
        (
            json!({"action": "inviteLearners", "options": {}}),
            422,
            "options.learners is missing",
        ),
        (
            json!({"action": "inviteLearners", "options": {"learners": []}}),
            422,
            "empty",
        ),
        (
            json!({"action": "inviteLearners", "options": {"learners": too_many}}),
            413,
            "At most 1000",
        ),
        (
            json!({"action": "inviteLearners", "options": {"send_email": "maybe", "learners": [{"email": "a@b.co"}]}}),
            422,
            "send_email",
        ),
        (
            json!({"action": "learners", "options": {"dates": ["yesterday", "2026-01-01"]}}),
            422,
            "dates[0]",
        ),
        (
            json!({"action": "invites", "options": {"status": "lost"}}),
            422,
            "pending, accepted, revoked or expired",
        ),
        (
            json!({"action": "invites", "options": {"limit": 5000}}),
            422,
            "limit",
        ),
    ];
    for (body, status, part) in cases {
        let (s, v) = call(&app, &token, body.clone()).await;
        assert_eq!(s.as_u16(), status, "{body} → {v}");
        assert!(message(&v).contains(part), "{body} → {v}");
    }
    let res = Client::new()
        .post(format!("{}/api/v1/", app.base))
        .bearer_auth(&token)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let v: Value = res.json().await.unwrap();
    assert!(message(&v).contains("not valid JSON"), "{v}");
    let (s, v) = call_form(&app, &token, "action=getTeams&options=1&options[x]=2").await;
    assert_eq!(s, 400);
    assert!(message(&v).contains("clashes"), "{v}");
    let res = Client::new()
        .post(format!("{}/api/v1/", app.base))
        .bearer_auth(&token)
        .header("Content-Type", "application/json")
        .body(vec![b' '; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let v: Value = res.json().await.unwrap();
    assert!(message(&v).contains("larger"), "{v}");
}

#[tokio::test]
async fn each_application_has_a_token_bucket_and_an_empty_one_answers_429_with_retry_after() {
    let app = TestApp::spawn_with(|s| {
        s.api_limit.burst = 3;
        s.api_limit.per_second = 1;
    })
    .await;
    let (owner, token) = setup(&app).await;
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let res = Client::new()
            .post(format!("{}/api/v1/", app.base))
            .bearer_auth(&token)
            .json(&json!({"action": "getTeams"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["x-ratelimit-limit"], "3");
        remaining.push(
            res.headers()["x-ratelimit-remaining"]
                .to_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let res = Client::new()
        .post(format!("{}/api/v1/", app.base))
        .bearer_auth(&token)
        .json(&json!({"action": "getTeams"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry), "{retry}");
    let v: Value = res.json().await.unwrap();
    assert!(message(&v).contains("Too many requests"), "{v}");
    // Another application of the academy has its own bucket.
    let (id, secret) = register(&app, &owner, "Payroll").await;
    let other = get_token(&app, &id, &secret).await;
    assert_eq!(
        call(&app, &other, json!({"action": "getTeams"})).await.0,
        200
    );
}

#[tokio::test]
async fn a_token_of_one_academy_can_neither_read_nor_change_another() {
    let app = TestApp::spawn().await;
    let (owner, token) = setup(&app).await;
    app.team(&owner, "Acme team").await;
    let olga = app.other_academy("beta").await;
    let beta_team = app.team(&olga, "Beta team").await;
    app.registered_learner(&olga, "beta", "bea@example.com", Role::Learner, &[])
        .await;
    let res = app
        .call_json(
            &olga,
            "invite_learners",
            json!({"people": [{"email": "ben@example.com", "first_name": "Ben", "last_name": ""}],
                   "role": "learner", "team_ids": [], "send_email": false}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let beta_before = app.count("SELECT COUNT(*) FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.name = 'Beta team'").await
        + app.count("SELECT COUNT(*) FROM invite_teams").await;

    let (_, teams) = call(&app, &token, json!({"action": "getTeams"})).await;
    assert_eq!(teams.as_array().unwrap().len(), 1);
    assert_eq!(teams[0]["name"], "Acme team");
    let (_, learners) = call(&app, &token, json!({"action": "learners"})).await;
    assert_eq!(learners, json!([]));
    let (_, invites) = call(&app, &token, json!({"action": "invites"})).await;
    assert_eq!(invites, json!([]));
    let (s, v) = call(&app, &token, json!({"action": "inviteLearners", "options": {"teams": [beta_team], "learners": [{"email": "x@example.com", "first_name": "X"}]}})).await;
    assert_eq!(s, 422, "{v}");
    let (_, v) = call(&app, &token, json!({"action": "addLearnersToTeams", "options": {"emails": ["bea@example.com", "ben@example.com"], "teams": [beta_team]}})).await;
    assert!(
        v.as_array().unwrap().iter().all(|i| i["status"] == "error"),
        "{v}"
    );
    // Beta's people are unknown to Acme's token, even with an Acme team.
    let acme_team = teams[0]["id"].as_i64().unwrap();
    let (_, v) = call(&app, &token, json!({"action": "addLearnersToTeams", "options": {"emails": ["bea@example.com", "ben@example.com"], "teams": [acme_team]}})).await;
    assert!(
        v.as_array().unwrap().iter().all(|i| i["status"] == "error"),
        "{v}"
    );
    let beta_after = app.count("SELECT COUNT(*) FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.name = 'Beta team'").await
        + app.count("SELECT COUNT(*) FROM invite_teams").await;
    assert_eq!(beta_before, beta_after);
    // And inviting Beta's learner's address makes an Acme invitation, not a Beta one.
    let (_, v) = call(&app, &token, json!({"action": "inviteLearners", "options": {"send_email": false, "learners": [{"email": "bea@example.com", "first_name": "Bea"}]}})).await;
    assert_eq!(v[0]["status"], "invited");
    let academy: i64 = sqlx::query_scalar(
        "SELECT academy_id FROM invites WHERE email = 'bea@example.com' AND status = 'pending'",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(academy, app.academy_id("acme").await.get());
}

#[tokio::test]
async fn a_browser_session_cannot_call_the_api() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (learner, _) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    for who in [&owner, &learner] {
        let res = who
            .post(format!("{}/api/v1/", app.base))
            .header("Origin", &app.base)
            .json(&json!({"action": "getTeams"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        assert!(
            res.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .starts_with("Bearer")
        );
    }
}

#[tokio::test]
async fn learners_and_invites_filter_by_dates_status_and_window() {
    let app = TestApp::spawn().await;
    let (owner, token) = setup(&app).await;
    for email in ["a@example.com", "b@example.com", "c@example.com"] {
        app.registered_learner(&owner, "acme", email, Role::Learner, &[])
            .await;
    }
    sqlx::query("UPDATE users SET created_at = 1767225600000 WHERE email = 'a@example.com'") // 2026-01-01
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET created_at = 1769817600000 WHERE email = 'b@example.com'") // 2026-01-31
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let (_, v) = call(
        &app,
        &token,
        json!({"action": "learners", "options": {"dates": ["2026-01-01", "2026-01-31"]}}),
    )
    .await;
    let emails: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        ["a@example.com", "b@example.com"],
        "both ends included"
    );
    let (_, v) = call_form(
        &app,
        &token,
        "action=learners&options[dates][]=2026-01-02&options[dates][]=2026-01-31T00:00:00Z",
    )
    .await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    let (_, v) = call(
        &app,
        &token,
        json!({"action": "learners", "options": {"offset": 1, "limit": 1}}),
    )
    .await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["email"], "b@example.com");

    call(&app, &token, json!({"action": "inviteLearners", "options": {"send_email": false, "learners": [{"email": "p@example.com", "first_name": "P"}, {"email": "q@example.com", "first_name": "Q"}]}})).await;
    sqlx::query("UPDATE invites SET expires_at = 1 WHERE email = 'q@example.com'")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let statuses = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{}:{}",
                    i["email"].as_str().unwrap(),
                    i["status"].as_str().unwrap()
                )
            })
            .collect()
    };
    let (_, v) = call(
        &app,
        &token,
        json!({"action": "invites", "options": {"status": "accepted"}}),
    )
    .await;
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[0]["invitation_progress"], "Has accepted invite");
    let (_, v) = call(
        &app,
        &token,
        json!({"action": "invites", "options": {"status": "expired"}}),
    )
    .await;
    assert_eq!(statuses(&v), ["q@example.com:expired"]);
    let (_, v) = call(
        &app,
        &token,
        json!({"action": "invites", "options": {"status": "pending"}}),
    )
    .await;
    assert_eq!(statuses(&v), ["p@example.com:pending"]);
}

#[tokio::test]
async fn the_api_and_the_invite_form_refuse_an_owners_address_as_a_learner_and_put_it_in_no_team() {
    let app = TestApp::spawn().await;
    let (owner, token) = setup(&app).await;
    let sales = app.team(&owner, "Sales").await;
    let refused = format!(
        "{} is this academy's Owner: staff are not invited as learners (Settings → Admins).",
        common::OWNER_EMAIL
    );

    let (status, v) = call(
        &app,
        &token,
        json!({"action": "inviteLearners", "options": {"teams": [sales], "learners": [
            {"email": common::OWNER_EMAIL, "first_name": "Ada"}]}}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (&v[0]["status"], &v[0]["message"]),
        (&json!("error"), &json!(refused)),
        "{v}"
    );

    let res = app
        .call_json(
            &owner,
            "invite_learners",
            json!({"people": [{"email": common::OWNER_EMAIL, "first_name": "Ada", "last_name": ""}],
                   "role": "learner", "team_ids": [sales], "send_email": false}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let results: Vec<app::model::InviteResult> = res.json().await.unwrap();
    assert_eq!(
        results[0].outcome,
        app::model::InviteOutcome::Invalid { message: refused }
    );
    let places = app.count("SELECT COUNT(*) FROM team_members").await;
    assert_eq!(
        places, 0,
        "was: the owner added to Sales as \"already a learner\""
    );
}

#[tokio::test]
async fn the_api_leaves_a_pending_administrators_invitation_alone() {
    let app = TestApp::spawn().await;
    let (owner, token) = setup(&app).await;
    let sales = app.team(&owner, "Sales").await;
    let res = app.invite_admin(&owner, "grace@example.com", "Grace").await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let grace = "SELECT role || ' ' || first_name || ' ' || \
                 (SELECT COUNT(*) FROM invite_teams t WHERE t.invite_id = invites.id) \
                 FROM invites WHERE email = 'grace@example.com'";

    let (status, v) = call(
        &app,
        &token,
        json!({"action": "inviteLearners", "options": {"teams": [sales], "learners": [
            {"email": "grace@example.com", "first_name": "Gee"}]}}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v[0]["status"], "error", "{v}");
    assert_eq!(
        v[0]["message"],
        "grace@example.com has a pending administrator invitation (Settings → Admins)."
    );

    let (status, v) = call(
        &app,
        &token,
        json!({"action": "addLearnersToTeams", "options": {
            "emails": ["grace@example.com"], "teams": [sales]}}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v[0]["status"], "error", "{v}");

    let (_, invites) = call(&app, &token, json!({"action": "invites"})).await;
    assert_eq!(
        invites,
        json!([]),
        "administrators' invitations are not listed"
    );
    let role: String = sqlx::query_scalar(grace)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(role, "admin Grace 0", "role, names and teams untouched");
}
