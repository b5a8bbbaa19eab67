//! Managing learners after they joined — changing their role, removing them — and the academy's plan,
//! end to end through the real server, on SQLite or PostgreSQL.

use crate::common;
use app::domain::{AcademyId, InviteId, TeamId, UserId};

use app::{
    domain::role::{Plan, Role},
    model::{AcademyContext, InviteOutcome, InviteResult, LearnerView, Page, UserView},
};
use common::{OWNER_EMAIL, TestApp, error_of};
use reqwest::{Client, Response};
use serde_json::json;

const PASSWORD: &str = common::LEARNER_PASSWORD;

async fn invite(
    app: &TestApp,
    client: &Client,
    email: &str,
    role: Role,
    team_ids: &[TeamId],
) -> Vec<InviteResult> {
    let res = app
        .call_json(
            client,
            "invite_learners",
            json!({
                "people": [{"email": email, "first_name": "Lea", "last_name": "Learner"}],
                "role": role,
                "team_ids": team_ids,
                "send_email": false,
            }),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn learner_with_teams(
    app: &TestApp,
    admin: &Client,
    slug: &str,
    email: &str,
    role: Role,
    team_ids: &[TeamId],
) -> (Client, UserId) {
    app.registered_learner(admin, slug, email, role, team_ids)
        .await
}

async fn learner(
    app: &TestApp,
    admin: &Client,
    slug: &str,
    email: &str,
    role: Role,
) -> (Client, UserId) {
    learner_with_teams(app, admin, slug, email, role, &[]).await
}

/// An Administrator of the academy, signed in.
async fn administrator(app: &TestApp, slug: &str, email: &str) -> Client {
    let pw = app::domain::password::Password::parse(PASSWORD).unwrap();
    let hash = app.state.hasher.hash(&pw).await.unwrap();
    app::server::repo::users::insert(
        &app.state.db.pool,
        &app::server::repo::users::NewUser {
            academy_id: academy_id(app, slug).await,
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
    let browser = app.browser();
    let res = app.sign_in(&browser, slug, email, PASSWORD).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    browser
}

async fn academy_id(app: &TestApp, slug: &str) -> AcademyId {
    app.academy_id(slug).await
}

async fn user_id(app: &TestApp, slug: &str, email: &str) -> Option<UserId> {
    app.user_id(slug, email).await
}

async fn role_of(app: &TestApp, id: UserId) -> String {
    sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn plan_of(app: &TestApp, slug: &str) -> String {
    sqlx::query_scalar("SELECT plan FROM academies WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// `(target, detail)` of every audit row with `action`, oldest first.
async fn audit(app: &TestApp, action: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT target, detail FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

async fn change_role(app: &TestApp, client: &Client, user_id: UserId, role: Role) -> Response {
    app.call(
        client,
        "change_learner_role",
        &[("user_id", &user_id.to_string()), ("role", role.as_str())],
    )
    .await
}

async fn remove(app: &TestApp, client: &Client, user_id: UserId) -> Response {
    app.call(
        client,
        "remove_learner",
        &[("user_id", &user_id.to_string())],
    )
    .await
}

async fn change_plan(app: &TestApp, client: &Client, plan: Plan) -> Response {
    app.call(client, "change_plan", &[("plan", plan.as_str())])
        .await
}

async fn switch_to_business(app: &TestApp, owner: &Client) {
    let res = change_plan(app, owner, Plan::Business).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn learners(app: &TestApp, client: &Client) -> Page<LearnerView> {
    let res = app
        .call_json(
            client,
            "list_learners",
            json!({"query": {"search": "", "filter": "", "page": 1}}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

#[tokio::test]
async fn an_owner_changes_a_learners_role_and_the_change_is_audited() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (_, lea) = learner(&app, &owner, "acme", "lea@example.com", Role::Learner).await;

    let res = change_role(&app, &owner, lea, Role::LearnerAnalyst).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let changed: UserView = res.json().await.unwrap();
    assert_eq!(changed.role, Role::LearnerAnalyst);
    assert_eq!(changed.email, "lea@example.com");

    assert_eq!(role_of(&app, lea).await, "learner_analyst");
    let page = learners(&app, &owner).await;
    assert_eq!(page.rows[0].role, Role::LearnerAnalyst);
    assert_eq!(
        audit(&app, "learner.role_changed").await,
        vec![(
            "lea@example.com".to_string(),
            "learner → learner_analyst".to_string()
        )]
    );

    // Choosing the role the learner already has changes nothing and records nothing.
    let res = change_role(&app, &owner, lea, Role::LearnerAnalyst).await;
    assert_eq!(res.status(), 200);
    assert_eq!(audit(&app, "learner.role_changed").await.len(), 1);
}

#[tokio::test]
async fn learner_admin_is_refused_on_starter_and_allowed_after_the_owner_switches_to_business() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (_, lea) = learner(&app, &owner, "acme", "lea@example.com", Role::Learner).await;

    let res = change_role(&app, &owner, lea, Role::LearnerAdmin).await;
    assert_eq!(res.status(), 422);
    let message = error_of(res).await.field_message("role").unwrap();
    assert_eq!(message, "Learner-Admin is available on the Business plan.");
    assert_eq!(role_of(&app, lea).await, "learner");

    switch_to_business(&app, &owner).await;
    assert_eq!(plan_of(&app, "acme").await, "business");
    assert_eq!(
        audit(&app, "academy.plan_changed").await,
        vec![("acme".to_string(), "starter → business".to_string())]
    );
    // Every page load after the change sees the new plan (the invite dialog reads it from here).
    let res = app.call(&owner, "load_academy", &[("slug", "acme")]).await;
    let ctx: AcademyContext = res.json().await.unwrap();
    assert_eq!(ctx.academy.plan, Plan::Business);

    let res = change_role(&app, &owner, lea, Role::LearnerAdmin).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(role_of(&app, lea).await, "learner_admin");
}

#[tokio::test]
async fn staff_roles_are_not_given_or_taken_from_the_learners_list() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (_, lea) = learner(&app, &owner, "acme", "lea@example.com", Role::Learner).await;
    let owner_id = user_id(&app, "acme", OWNER_EMAIL).await.unwrap();

    for staff in [Role::Admin, Role::Owner] {
        let res = change_role(&app, &owner, lea, staff).await;
        assert_eq!(res.status(), 422, "{staff:?}");
        assert_eq!(
            error_of(res).await.field_message("role").unwrap(),
            "Staff are managed in Settings → Admins."
        );
    }
    assert_eq!(role_of(&app, lea).await, "learner");

    // An Administrator cannot make the Owner a learner from here either.
    let admin = administrator(&app, "acme", "adam@example.com").await;
    let res = change_role(&app, &admin, owner_id, Role::Learner).await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        error_of(res).await.to_string(),
        "Staff are managed in Settings → Admins."
    );
    assert_eq!(remove(&app, &admin, owner_id).await.status(), 403);
    assert_eq!(role_of(&app, owner_id).await, "owner");
}

#[tokio::test]
async fn nobody_changes_their_own_role_or_removes_themselves() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    switch_to_business(&app, &owner).await;
    let (la, la_id) = learner(&app, &owner, "acme", "lia@example.com", Role::LearnerAdmin).await;

    let res = change_role(&app, &la, la_id, Role::Learner).await;
    assert_eq!(res.status(), 403);
    assert!(error_of(res).await.to_string().contains("your own role"));
    let res = remove(&app, &la, la_id).await;
    assert_eq!(res.status(), 403);
    assert!(error_of(res).await.to_string().contains("yourself"));
    assert_eq!(role_of(&app, la_id).await, "learner_admin");
}

#[tokio::test]
async fn a_learner_admin_changes_learner_roles_but_not_staff_roles() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    switch_to_business(&app, &owner).await;
    let (la, _) = learner(&app, &owner, "acme", "lia@example.com", Role::LearnerAdmin).await;
    let (_, lea) = learner(&app, &owner, "acme", "lea@example.com", Role::Learner).await;
    let owner_id = user_id(&app, "acme", OWNER_EMAIL).await.unwrap();

    let res = change_role(&app, &la, lea, Role::LearnerAnalyst).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(role_of(&app, lea).await, "learner_analyst");
    assert_eq!(
        change_role(&app, &la, owner_id, Role::Learner)
            .await
            .status(),
        403
    );
    assert_eq!(role_of(&app, owner_id).await, "owner");
}

#[tokio::test]
async fn an_administrator_cannot_change_the_plan_and_the_owner_can() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let admin = administrator(&app, "acme", "adam@example.com").await;

    let res = change_plan(&app, &admin, Plan::Business).await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        error_of(res).await.to_string(),
        "Only the academy's Owner can change the plan."
    );
    assert_eq!(plan_of(&app, "acme").await, "starter");
    assert!(audit(&app, "academy.plan_changed").await.is_empty());

    switch_to_business(&app, &owner).await;
    assert_eq!(plan_of(&app, "acme").await, "business");
    let res = change_plan(&app, &owner, Plan::Starter).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(plan_of(&app, "acme").await, "starter");
    assert_eq!(
        audit(&app, "academy.plan_changed").await,
        vec![
            ("acme".to_string(), "starter → business".to_string()),
            ("acme".to_string(), "business → starter".to_string()),
        ]
    );
}

#[tokio::test]
async fn downgrading_to_starter_is_refused_while_a_learner_admin_exists() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    switch_to_business(&app, &owner).await;
    let (_, lia) = learner(&app, &owner, "acme", "lia@example.com", Role::LearnerAdmin).await;

    let res = change_plan(&app, &owner, Plan::Starter).await;
    assert_eq!(res.status(), 409);
    let message = error_of(res).await.field_message("plan").unwrap();
    assert!(
        message.contains("1 Learner-Admin must change role first"),
        "{message}"
    );
    assert_eq!(plan_of(&app, "acme").await, "business");

    // A pending Learner-Admin invitation would make one on acceptance: it holds the plan too.
    invite(&app, &owner, "leo@example.com", Role::LearnerAdmin, &[]).await;
    let res = change_role(&app, &owner, lia, Role::Learner).await;
    assert_eq!(res.status(), 200);
    let res = change_plan(&app, &owner, Plan::Starter).await;
    assert_eq!(res.status(), 409);
    let message = error_of(res).await.field_message("plan").unwrap();
    assert!(
        message.contains("1 pending invitation as Learner-Admin"),
        "{message}"
    );
    let invite_id: InviteId = sqlx::query_scalar("SELECT id FROM invites WHERE email = $1")
        .bind("leo@example.com")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let res = app
        .call(
            &owner,
            "revoke_invite",
            &[("invite_id", &invite_id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200);

    let res = change_plan(&app, &owner, Plan::Starter).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(plan_of(&app, "acme").await, "starter");
}

#[tokio::test]
async fn removing_a_learner_deletes_the_account_erases_their_name_and_email_and_their_session_stops_working()
 {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let team = app::server::repo::teams::insert(
        &app.state.db.pool,
        academy_id(&app, "acme").await,
        "Sales",
        "#0b6e99",
        0,
    )
    .await
    .unwrap();
    // Her invitation's personal message greets her by name (the academy's default, here).
    let res = app
        .call(
            &owner,
            "set_invite_message",
            &[("message", "Hi Lea, welcome!")],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let (lea_browser, lea) = learner_with_teams(
        &app,
        &owner,
        "acme",
        "lea@example.com",
        Role::Learner,
        &[team],
    )
    .await;
    let html = app.get(&lea_browser, "/a/acme").await.text().await.unwrap();
    assert!(html.contains("Welcome, Lea"), "signed in before: {html}");

    let res = remove(&app, &owner, lea).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let removed: UserView = res.json().await.unwrap();
    assert_eq!(removed.email, "lea@example.com");

    assert_eq!(user_id(&app, "acme", "lea@example.com").await, None);
    for table in ["sessions", "team_members"] {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE user_id = $1"
        )))
        .bind(lea)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(n, 0, "{table}");
    }
    let label = format!("removed learner #{lea}");
    let (status, linked, first, last, message): (String, Option<i64>, String, String, String) =
        sqlx::query_as(
            "SELECT status, user_id, first_name, last_name, message FROM invites WHERE email = $1",
        )
        .bind(&label)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        (
            status.as_str(),
            linked,
            first.as_str(),
            last.as_str(),
            message.as_str()
        ),
        ("accepted", None, "", "", ""),
        "the invitation keeps its history, without the person"
    );
    assert_eq!(
        audit(&app, "learner.removed").await,
        vec![(label.clone(), "learner".to_string())]
    );
    let mentions: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM invites WHERE email = 'lea@example.com' OR first_name = 'Lea') \
         + (SELECT COUNT(*) FROM audit_log WHERE target = 'lea@example.com' OR detail LIKE '%lea@example.com%')",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(mentions, 0, "nothing names her any more");
    let earlier: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE target = $1 AND action <> 'learner.removed'",
    )
    .bind(&label)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert!(
        earlier >= 1,
        "earlier entries about her are kept under the label"
    );
    assert_eq!(learners(&app, &owner).await.total, 0);

    // Their next page load sends them to sign in, and their calls are refused.
    let res = app.get(&lea_browser, "/a/acme/admin/learners").await;
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers()["location"],
        "/a/acme/login?reason=session-ended"
    );
    let html = app.get(&lea_browser, "/a/acme").await.text().await.unwrap();
    assert!(!html.contains("Welcome, Lea"), "signed out: {html}");
    assert_eq!(
        app.sign_in(&app.browser(), "acme", "lea@example.com", PASSWORD)
            .await
            .status(),
        422,
        "the account is gone"
    );

    // Removing twice finds nobody; inviting again works like for anyone new.
    assert_eq!(remove(&app, &owner, lea).await.status(), 404);
    let results = invite(&app, &owner, "lea@example.com", Role::Learner, &[]).await;
    assert!(
        matches!(results[0].outcome, InviteOutcome::Invited { .. }),
        "{results:?}"
    );
}

#[tokio::test]
async fn another_academys_user_is_not_found_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let owner_a = app.create_first_academy("acme").await;
    app.create_academy("beta", "olga@example.com", "another long password")
        .await;
    let owner_b = app.browser();
    let res = app
        .sign_in(
            &owner_b,
            "beta",
            "olga@example.com",
            "another long password",
        )
        .await;
    assert_eq!(res.status(), 200);
    let (_, bob) = learner(&app, &owner_b, "beta", "bob@example.com", Role::Learner).await;

    let res = change_role(&app, &owner_a, bob, Role::LearnerAnalyst).await;
    assert_eq!(res.status(), 404);
    let foreign = error_of(res).await;
    let res = change_role(&app, &owner_a, UserId::new(987_654), Role::LearnerAnalyst).await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        error_of(res).await,
        foreign,
        "another academy's user looks exactly like nobody"
    );
    assert_eq!(remove(&app, &owner_a, bob).await.status(), 404);

    assert_eq!(role_of(&app, bob).await, "learner");
    assert_eq!(user_id(&app, "beta", "bob@example.com").await, Some(bob));
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('learner.role_changed', 'learner.removed')",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn learners_without_admin_rights_cannot_change_roles_remove_learners_or_the_plan() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (lea_browser, _) = learner(&app, &owner, "acme", "lea@example.com", Role::Learner).await;
    let (ana_browser, ana) = learner(
        &app,
        &owner,
        "acme",
        "ana@example.com",
        Role::LearnerAnalyst,
    )
    .await;
    let (_, max) = learner(&app, &owner, "acme", "max@example.com", Role::Learner).await;

    for (who, browser) in [("learner", &lea_browser), ("analyst", &ana_browser)] {
        let res = change_role(&app, browser, max, Role::LearnerAnalyst).await;
        assert_eq!(res.status(), 403, "{who}");
        assert_eq!(remove(&app, browser, max).await.status(), 403, "{who}");
        assert_eq!(
            change_plan(&app, browser, Plan::Business).await.status(),
            403,
            "{who}"
        );
    }
    assert_eq!(
        change_role(&app, &lea_browser, ana, Role::Learner)
            .await
            .status(),
        403
    );
    assert_eq!(role_of(&app, max).await, "learner");
    assert_eq!(role_of(&app, ana).await, "learner_analyst");
    assert_eq!(plan_of(&app, "acme").await, "starter");
}

#[tokio::test]
async fn signed_out_callers_are_asked_to_sign_in() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (_, lea) = learner(&app, &owner, "acme", "lea@example.com", Role::Learner).await;
    let stranger = app.browser();

    assert_eq!(
        change_role(&app, &stranger, lea, Role::LearnerAnalyst)
            .await
            .status(),
        401
    );
    assert_eq!(remove(&app, &stranger, lea).await.status(), 401);
    assert_eq!(
        change_plan(&app, &stranger, Plan::Business).await.status(),
        401
    );
    assert_eq!(role_of(&app, lea).await, "learner");
    assert_eq!(plan_of(&app, "acme").await, "starter");
}

#[tokio::test]
async fn a_downgrade_racing_a_promotion_never_leaves_a_learner_admin_on_starter() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (_, lea) = learner(&app, &owner, "acme", "lea@example.com", Role::Learner).await;
    for round in 0..15 {
        if plan_of(&app, "acme").await == "starter" {
            switch_to_business(&app, &owner).await;
        }
        let res = change_role(&app, &owner, lea, Role::Learner).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let (downgrade, promotion) = tokio::join!(
            change_plan(&app, &owner, Plan::Starter),
            change_role(&app, &owner, lea, Role::LearnerAdmin),
        );
        let (plan, role) = (plan_of(&app, "acme").await, role_of(&app, lea).await);
        assert!(
            !(plan == "starter" && role == "learner_admin"),
            "round {round}: downgrade {}, promotion {}",
            downgrade.status(),
            promotion.status()
        );
        // Exactly one of the two won.
        assert_ne!(
            downgrade.status() == 200,
            promotion.status() == 200,
            "round {round}"
        );
    }
}

#[tokio::test]
async fn settings_show_the_owner_a_plan_picker_and_administrators_the_plan_as_text() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let admin = administrator(&app, "acme", "adam@example.com").await;
    let html = app
        .get(&owner, "/a/acme/admin/settings")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"data-testid="plan-form""#), "{html}");
    assert!(html.contains(r#"value="business""#), "{html}");
    let html = app
        .get(&admin, "/a/acme/admin/settings")
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains(r#"data-testid="plan-form""#), "{html}");
    assert!(
        html.contains("Only the academy&#x27;s Owner can change the plan.")
            || html.contains("Only the academy's Owner can change the plan."),
        "{html}"
    );
}
