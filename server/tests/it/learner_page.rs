//! A learner's page: their invitations and audit entries, and correcting their name and email —
//! a new address is told to both the old and the new one, and is the one they sign in with.

use crate::common::{self, LEARNER_PASSWORD, TestApp, error_of};
use app::domain::UserId;

use app::{
    domain::role::Role,
    error::AppError,
    model::{LearnerView, learner_page::LearnerInfo},
};
use reqwest::{Client, Response};

async fn details(app: &TestApp, client: &Client, user_id: UserId) -> Response {
    app.call(
        client,
        "learner_details",
        &[("user_id", &user_id.to_string())],
    )
    .await
}

async fn update(
    app: &TestApp,
    client: &Client,
    user_id: UserId,
    names: (&str, &str),
    email: &str,
) -> Response {
    app.call(
        client,
        "update_learner",
        &[
            ("user_id", &user_id.to_string()),
            ("first_name", names.0),
            ("last_name", names.1),
            ("email", email),
        ],
    )
    .await
}

#[tokio::test]
async fn the_page_shows_the_invitation_the_learner_accepted_and_what_the_audit_log_says_about_them()
{
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (_, lea) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let res = details(&app, &owner, lea).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let d: LearnerInfo = res.json().await.unwrap();
    assert_eq!(d.learner.email, "lea@example.com");
    assert_eq!(d.invitations.len(), 1);
    assert_eq!(d.invitations[0].progress.label(), "Has accepted invite");
    let actions: Vec<String> = d
        .activity
        .expect("the Owner sees the audit log")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.contains(&"invite.created".to_string()),
        "{actions:?}"
    );
    // The page is in the first HTML.
    let res = app
        .get(&owner, &format!("/a/acme/admin/learners/{lea}"))
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Lea Learner") && html.contains("Has accepted invite"),
        "{html}"
    );
    assert!(!html.contains("class=\"loading\""), "{html}");
}

#[tokio::test]
async fn a_learner_admin_sees_the_page_without_the_audit_log_and_staff_or_strangers_are_out_of_reach()
 {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = app
        .call(&owner, "change_plan", &[("plan", "business")])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let (la_browser, _) = app
        .registered_learner(&owner, "acme", "la@example.com", Role::LearnerAdmin, &[])
        .await;
    let (_, lea) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let d: LearnerInfo = details(&app, &la_browser, lea).await.json().await.unwrap();
    assert!(
        d.activity.is_none(),
        "Learner-Admins do not see the audit log"
    );
    let owner_id = app.user_id("acme", common::OWNER_EMAIL).await.unwrap();
    assert_eq!(details(&app, &la_browser, owner_id).await.status(), 403);
    assert_eq!(
        details(&app, &owner, UserId::new(999_999)).await.status(),
        404
    );
    let other = app.other_academy("zeta").await;
    assert_eq!(details(&app, &other, lea).await.status(), 404);
}

#[tokio::test]
async fn a_corrected_email_is_told_to_both_addresses_and_is_the_one_the_learner_signs_in_with() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (_, lea) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let res = update(
        &app,
        &owner,
        lea,
        ("Lea", "Lindqvist"),
        " Lea.L@Example.com ",
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let now: LearnerView = res.json().await.unwrap();
    assert_eq!(
        (now.last_name.as_str(), now.email.as_str()),
        ("Lindqvist", "lea.l@example.com")
    );
    let told: Vec<String> = sqlx::query_scalar(
        "SELECT to_email FROM email_outbox WHERE kind = 'email_changed' ORDER BY to_email",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(told, ["lea.l@example.com", "lea@example.com"]);
    let d: LearnerInfo = details(&app, &owner, lea).await.json().await.unwrap();
    assert_eq!(
        d.invitations.len(),
        1,
        "the invitation accepted under the old address stays on the page"
    );
    let b = app.browser();
    assert_eq!(
        app.sign_in(&b, "acme", "lea@example.com", LEARNER_PASSWORD)
            .await
            .status(),
        422,
        "the old address no longer signs in"
    );
    let b = app.browser();
    assert_eq!(
        app.sign_in(&b, "acme", "lea.l@example.com", LEARNER_PASSWORD)
            .await
            .status(),
        200
    );
    // Only the name changed: nobody is emailed.
    let res = update(
        &app,
        &owner,
        lea,
        ("Leah", "Lindqvist"),
        "lea.l@example.com",
    )
    .await;
    assert_eq!(res.status(), 200);
    let emails: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE kind = 'email_changed'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(emails, 2);
}

#[tokio::test]
async fn a_wrong_or_taken_email_and_an_empty_first_name_are_refused_on_their_field() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (_, lea) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    app.registered_learner(&owner, "acme", "max@example.com", Role::Learner, &[])
        .await;
    let field = |e: AppError, f: &str| e.field_message(f).unwrap_or_default();
    let res = update(&app, &owner, lea, ("Lea", ""), "lea@example").await;
    assert_eq!(res.status(), 422);
    assert!(field(error_of(res).await, "email").contains("needs a dot"));
    let res = update(&app, &owner, lea, ("Lea", ""), "MAX@example.com").await;
    assert_eq!(res.status(), 409);
    assert!(field(error_of(res).await, "email").contains("Another person"));
    let res = update(&app, &owner, lea, (" ", ""), "lea@example.com").await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        field(error_of(res).await, "first_name"),
        "Enter a first name"
    );
    let owner_id = app.user_id("acme", common::OWNER_EMAIL).await.unwrap();
    let res = update(&app, &owner, owner_id, ("Olga", ""), common::OWNER_EMAIL).await;
    assert_eq!(res.status(), 403, "staff are managed in Settings → Admins");
}
