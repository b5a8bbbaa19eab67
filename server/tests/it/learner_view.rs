//! "View as Learner" for staff, and where each role lands.

use crate::common;

use common::TestApp;
use serde_json::json;

/// Invites `email` with `role` (no email) and signs them up at the academy link; returns their browser.
async fn learner(
    app: &TestApp,
    owner: &reqwest::Client,
    email: &str,
    role: &str,
) -> reqwest::Client {
    let res = app
        .call_json(
            owner,
            "invite_learners",
            json!({"people": [{"email": email, "first_name": "Lee", "last_name": "Learner"}], "role": role, "team_ids": [], "send_email": false}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let b = app.browser();
    let form = [
        ("slug", "acme"),
        ("email", email),
        ("first_name", "Lee"),
        ("last_name", ""),
        ("password", "any password 123"),
    ];
    let res = app.call(&b, "sign_up", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    b
}

#[tokio::test]
async fn staff_viewing_as_learner_see_the_learner_home_at_the_academy_link_and_can_go_back() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    assert_eq!(
        app.get(&owner, "/a/acme").await.status(),
        302,
        "normally the academy link leads staff to admin"
    );
    let res = app.call(&owner, "view_as_learner", &[("on", "true")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "\"/a/acme\"");
    let res = app.get(&owner, "/a/acme").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("You are viewing as a learner"));
    assert!(html.contains("Copy academy link"));
    assert!(
        !html.contains("Learners &amp; Teams"),
        "no admin navigation in learner view"
    );
    // The admin pages still work, and exiting brings the admin back there.
    assert_eq!(
        app.get(&owner, "/a/acme/admin/learners").await.status(),
        200
    );
    let res = app
        .call(&owner, "view_as_learner", &[("on", "false")])
        .await;
    assert_eq!(res.text().await.unwrap(), "\"/a/acme/admin/learners\"");
    assert_eq!(app.get(&owner, "/a/acme").await.status(), 302);
}

#[tokio::test]
async fn a_learner_cannot_switch_views_and_never_reaches_admin_pages() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let lea = learner(&app, &owner, "lea@example.com", "learner").await;
    assert_eq!(
        app.call(&lea, "view_as_learner", &[("on", "false")])
            .await
            .status(),
        403
    );
    for page in [
        "/a/acme/admin/learners",
        "/a/acme/admin/statistics",
        "/a/acme/admin/settings",
    ] {
        let res = app.get(&lea, page).await;
        assert_eq!(res.status(), 302, "{page}");
        assert_eq!(crate::common::location_path(&res), "/a/acme", "{page}");
    }
}

#[tokio::test]
async fn a_learner_analyst_lands_on_statistics_and_is_kept_out_of_learners_and_settings() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let ana = learner(&app, &owner, "ana@example.com", "learner_analyst").await;
    let res = app
        .sign_in(&ana, "acme", "ana@example.com", "any password 123")
        .await;
    assert_eq!(res.text().await.unwrap(), "\"/a/acme/admin/statistics\"");
    assert_eq!(
        app.get(&ana, "/a/acme/admin/statistics").await.status(),
        200
    );
    for page in ["/a/acme/admin/learners", "/a/acme/admin/settings"] {
        let res = app.get(&ana, page).await;
        assert_eq!(res.status(), 302, "{page}");
        assert_eq!(
            crate::common::location_path(&res),
            "/a/acme/admin/statistics"
        );
    }
    let html = app.get(&ana, "/a/acme").await.text().await.unwrap();
    assert!(html.contains("Statistics") && html.contains("Welcome, Lee"));
}
