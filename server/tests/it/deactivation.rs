//! "Revoke access": a deactivated learner keeps their account, teams and history, is signed out at
//! once, and cannot sign in or get a password reset until an admin gives access back.

use crate::common::{self, TestApp};
use app::domain::UserId;

use app::{
    domain::{account::AccountStatus, role::Role},
    model::{LearnerView, Page, UserView},
};
use reqwest::{Client, Response};
use serde_json::json;

async fn set_access(app: &TestApp, admin: &Client, endpoint: &str, user_id: UserId) -> Response {
    app.call(admin, endpoint, &[("user_id", &user_id.to_string())])
        .await
}

async fn listed(app: &TestApp, admin: &Client, filter: &str) -> Result<Page<LearnerView>, String> {
    let res = app
        .call_json(
            admin,
            "list_learners",
            json!({"query": {"search": "", "filter": filter, "page": 1}}),
        )
        .await;
    if res.status() == 200 {
        Ok(res.json().await.unwrap())
    } else {
        Err(format!("{} {}", res.status(), res.text().await.unwrap()))
    }
}

async fn count(app: &TestApp, sql: &str, id: UserId) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn revoking_access_signs_the_learner_out_keeps_their_account_and_giving_it_back_lets_them_in()
{
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let team = app::server::repo::teams::insert(
        &app.state.db.pool,
        app.academy_id("acme").await,
        "Sales",
        "#0b6e99",
        0,
    )
    .await
    .unwrap();
    let (lea_browser, lea) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[team])
        .await;
    assert_eq!(app.get(&lea_browser, "/a/acme").await.status(), 200);

    let res = set_access(&app, &owner, "deactivate_learner", lea).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let user: UserView = res.json().await.unwrap();
    assert_eq!(user.email, "lea@example.com");

    // Signed out at once, and kept out.
    let res = app.get(&lea_browser, "/a/acme/account").await;
    assert_eq!(res.status(), 302, "the open session ended");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM sessions WHERE user_id = $1",
            lea
        )
        .await,
        0
    );
    let res = app
        .sign_in(
            &app.browser(),
            "acme",
            "lea@example.com",
            common::LEARNER_PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 422, "signing in is refused");
    let res = app
        .call(
            &app.browser(),
            "forgot_password",
            &[("slug", "acme"), ("email", "lea@example.com")],
        )
        .await;
    assert_eq!(res.status(), 200, "the same answer as for anyone");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM password_resets WHERE user_id = $1",
            lea
        )
        .await,
        0,
        "but no reset link is made"
    );

    // The account, its teams and its history stay.
    assert_eq!(app.user_id("acme", "lea@example.com").await, Some(lea));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM team_members WHERE user_id = $1",
            lea
        )
        .await,
        1
    );
    let audited: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, target FROM audit_log WHERE action LIKE 'learner.%activated' ORDER BY id",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(
        audited,
        [("learner.deactivated".into(), "lea@example.com".into())]
    );

    // The lists: gone from the default one, shown with its status under the filter.
    assert_eq!(listed(&app, &owner, "").await.unwrap().total, 0);
    let revoked = listed(&app, &owner, "deactivated").await.unwrap();
    assert_eq!(revoked.rows.len(), 1);
    assert_eq!(revoked.rows[0].status, AccountStatus::Deactivated);
    assert_eq!(revoked.rows[0].teams.len(), 1);
    assert_eq!(listed(&app, &owner, "all").await.unwrap().total, 1);
    let err = listed(&app, &owner, "gone").await.unwrap_err();
    assert!(err.starts_with("422") && err.contains("gone"), "{err}");

    // Twice is harmless and audited once.
    assert_eq!(
        set_access(&app, &owner, "deactivate_learner", lea)
            .await
            .status(),
        200
    );

    let res = set_access(&app, &owner, "reactivate_learner", lea).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = app
        .sign_in(
            &app.browser(),
            "acme",
            "lea@example.com",
            common::LEARNER_PASSWORD,
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "access is back: {}",
        res.text().await.unwrap()
    );
    let back = listed(&app, &owner, "").await.unwrap();
    assert_eq!(back.rows[0].status, AccountStatus::Active);
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'learner.%activated' ORDER BY id",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(audited, ["learner.deactivated", "learner.reactivated"]);
}

#[tokio::test]
async fn nobody_revokes_their_own_access_a_staff_members_or_another_academys_learners() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let owner_id = app.user_id("acme", common::OWNER_EMAIL).await.unwrap();
    let res = app
        .call(&owner, "change_plan", &[("plan", "business")])
        .await;
    assert_eq!(res.status(), 200, "Learner-Admins need the Business plan");
    let (learner_admin, la) = app
        .registered_learner(&owner, "acme", "la@example.com", Role::LearnerAdmin, &[])
        .await;

    let res = set_access(&app, &learner_admin, "deactivate_learner", la).await;
    assert_eq!(res.status(), 403, "not oneself");
    let res = set_access(&app, &learner_admin, "deactivate_learner", owner_id).await;
    assert_eq!(res.status(), 403, "not staff");
    assert!(res.text().await.unwrap().contains("Settings → Admins"));

    let olga = app.other_academy("other").await;
    let res = set_access(&app, &olga, "deactivate_learner", la).await;
    assert_eq!(res.status(), 404, "another academy's learner is not found");
    let status: String = sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
        .bind(la)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "active");
}

#[tokio::test]
async fn the_api_lists_a_deactivated_learner_only_when_asked_and_says_so() {
    let app = TestApp::spawn().await;
    let (owner, token) = crate::api::setup(&app).await;
    let (_, lea) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    assert_eq!(
        set_access(&app, &owner, "deactivate_learner", lea)
            .await
            .status(),
        200
    );

    let learners = |status: Option<&str>| {
        let options = match status {
            Some(s) => json!({"status": s}),
            None => json!({}),
        };
        crate::api::call(
            &app,
            &token,
            json!({"action": "learners", "options": options}),
        )
    };
    let (status, v) = learners(None).await;
    assert_eq!(
        (status.as_u16(), v),
        (200, json!([])),
        "active learners by default"
    );
    let (_, v) = learners(Some("deactivated")).await;
    assert_eq!(v[0]["email"], "lea@example.com");
    assert_eq!(v[0]["status"], "deactivated");
    let (_, v) = learners(Some("all")).await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    let (status, v) = learners(Some("asleep")).await;
    assert_eq!(status.as_u16(), 422, "{v}");
    assert!(v.to_string().contains("asleep"), "{v}");
}

#[tokio::test]
async fn removing_a_learner_erases_them_from_uploaded_rows_too() {
    let app = TestApp::spawn().await;
    let (owner, token) = crate::api::setup(&app).await;
    let (status, v) = crate::api::call(
        &app,
        &token,
        json!({"action": "inviteLearners", "options": {"send_email": false,
            "learners": [{"email": "lea@example.com", "first_name": "Lea", "last_name": "Lund"}]}}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let res = app
        .sign_up(
            &app.browser(),
            "acme",
            "lea@example.com",
            "Lea",
            "Lund",
            common::LEARNER_PASSWORD,
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let lea = app.user_id("acme", "lea@example.com").await.unwrap();
    let rows =
        "SELECT COUNT(*) FROM import_rows WHERE email = 'lea@example.com' OR last_name = 'Lund'";
    let before: i64 = sqlx::query_scalar(rows)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(before, 1, "the API's call left an uploaded row");

    let res = app
        .call(&owner, "remove_learner", &[("user_id", &lea.to_string())])
        .await;
    assert_eq!(res.status(), 200);
    let after: i64 = sqlx::query_scalar(rows)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(after, 0);
    let kept: (String, String) = sqlx::query_as("SELECT email, outcome FROM import_rows")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        kept,
        (format!("removed learner #{lea}"), "invited".to_string())
    );
}
