//! Values the database keeps as text are read back exactly: a row holding a text that is none of
//! them (a hand edit, a bad migration) fails the request with an internal error and a reference,
//! never a plausible default — an unknown role is not a Learner, an unknown status not Pending.

use app::{domain::role::Role, error::AppError};
use serde_json::json;

use crate::common::{LEARNER_PASSWORD, TestApp, error_of};

async fn set_text(app: &TestApp, sql: &'static str, id: i64) {
    sqlx::query(sql)
        .bind(id)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_user_whose_stored_role_is_unknown_gets_an_error_not_a_learners_pages() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (learner, id) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let res = app
        .call(&learner, "load_academy", &[("slug", "acme")])
        .await;
    assert_eq!(res.status(), 200, "a sound row reads");

    set_text(
        &app,
        "UPDATE users SET role = 'superuser' WHERE id = $1",
        id.get(),
    )
    .await;
    let res = app
        .call(&learner, "load_academy", &[("slug", "acme")])
        .await;
    assert_eq!(res.status(), 500);
    assert!(
        matches!(error_of(res).await, AppError::Internal { .. }),
        "an internal error with a reference"
    );
    // Nor does the admin's All Learners count her among the learners.
    let res = app
        .call_json(
            &owner,
            "list_learners",
            json!({"query": {"search": "", "filter": "", "page": 1}}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let page: serde_json::Value = res.json().await.unwrap();
    assert_eq!(page["total"], 0, "{page}");
}

#[tokio::test]
async fn an_invitation_whose_stored_status_is_unknown_is_not_listed_as_pending() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = app
        .call_json(
            &owner,
            "invite_learners",
            json!({
                "people": [{"email": "ivy@example.com", "first_name": "Ivy", "last_name": "Invitee"}],
                "role": Role::Learner,
                "team_ids": [],
                "send_email": false,
            }),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let list = json!({"query": {"search": "", "filter": "", "page": 1}});
    let res = app.call_json(&owner, "list_invites", list.clone()).await;
    assert_eq!(res.status(), 200, "a sound row reads");
    let id: i64 = sqlx::query_scalar("SELECT id FROM invites WHERE email = 'ivy@example.com'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();

    set_text(
        &app,
        "UPDATE invites SET status = 'bogus' WHERE id = $1",
        id,
    )
    .await;
    let res = app.call_json(&owner, "list_invites", list.clone()).await;
    assert_eq!(res.status(), 500);
    assert!(matches!(error_of(res).await, AppError::Internal { .. }));

    set_text(
        &app,
        "UPDATE invites SET status = 'pending', email_status = 'lost' WHERE id = $1",
        id,
    )
    .await;
    let res = app.call_json(&owner, "list_invites", list).await;
    assert_eq!(res.status(), 500, "an unknown email status too");
}

#[tokio::test]
async fn a_user_whose_stored_account_status_is_unknown_gets_an_error_at_sign_in_not_a_refusal() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (_, id) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    set_text(
        &app,
        "UPDATE users SET status = 'suspended' WHERE id = $1",
        id.get(),
    )
    .await;
    let res = app
        .sign_in(&app.browser(), "acme", "lea@example.com", LEARNER_PASSWORD)
        .await;
    assert_eq!(res.status(), 500, "not \"wrong email or password\"");
    assert!(matches!(error_of(res).await, AppError::Internal { .. }));
}

#[tokio::test]
async fn an_academy_whose_stored_plan_is_unknown_gets_an_error_not_the_starter_plan() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let id = app.academy_id("acme").await;
    set_text(
        &app,
        "UPDATE academies SET plan = 'platinum' WHERE id = $1",
        id.get(),
    )
    .await;
    let res = app.call(&owner, "load_academy", &[("slug", "acme")]).await;
    assert_eq!(res.status(), 500);
    assert!(matches!(error_of(res).await, AppError::Internal { .. }));
}
