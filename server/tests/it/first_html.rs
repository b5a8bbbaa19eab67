//! Every page's data arrives in its first HTML: lists, a team, a course, the statistics, the learner
//! home — what a person sees before the WASM has arrived (or without JavaScript), with no
//! "Loading…" left in the page.

use crate::common::TestApp;
use app::domain::TeamId;

use app::domain::role::Role;
use reqwest::Client;
use serde_json::{Value, json};

/// The page as the server renders it, checked for a finished render.
async fn html(app: &TestApp, client: &Client, path: &str) -> String {
    let res = app.get(client, path).await;
    assert_eq!(res.status(), 200, "{path}");
    let html = res.text().await.unwrap();
    assert!(
        !html.contains("class=\"loading\""),
        "{path} still says Loading in its HTML: {html}"
    );
    html
}

async fn ok(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn the_admin_pages_arrive_with_their_lists() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let team = ok(app
        .call(
            &owner,
            "create_team",
            &[("name", "Harbour crew"), ("color", "#0b6e99")],
        )
        .await)
    .await;
    let team_id = TeamId::new(team["id"].as_i64().unwrap());
    let (_lea, _) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[team_id])
        .await;
    ok(app
        .call_json(
            &owner,
            "invite_learners",
            json!({"people": [{"email": "waiting@example.com", "first_name": "Wai", "last_name": "Ting"}],
                   "role": "learner", "team_ids": [team_id], "send_email": false}),
        )
        .await)
    .await;
    let course = ok(app
        .call_json(
            &owner,
            "create_course",
            json!({"course": {"title": "Knots and lines", "published": true, "for_everyone": true}}),
        )
        .await)
    .await;
    ok(app
        .call_json(
            &owner,
            "register_api_client",
            json!({"name": "HR sync", "callback_uri": ""}),
        )
        .await)
    .await;
    app.invite_admin(&owner, "grace@example.com", "Grace").await;
    let stranger = app.browser();
    ok(app
        .call(
            &stranger,
            "request_access",
            &[
                ("slug", "acme"),
                ("email", "stranger@example.com"),
                ("first_name", "Stan"),
                ("last_name", "Ger"),
            ],
        )
        .await)
    .await;

    let pages = [
        ("/a/acme/admin/learners", "lea@example.com"),
        ("/a/acme/admin/learners?tab=invites", "waiting@example.com"),
        (
            "/a/acme/admin/learners?tab=requests",
            "stranger@example.com",
        ),
        ("/a/acme/admin/teams", "Harbour crew"),
        // A team's page arrives with the team (its name and counts); its two lists load once the
        // page has hydrated (made by the server they did not hydrate: see team_page.rs).
        (
            &format!("/a/acme/admin/teams/{team_id}"),
            "1 learner · 1 pending invite",
        ),
        ("/a/acme/admin/courses", "Knots and lines"),
        (
            &format!("/a/acme/admin/courses/{}", course["id"]),
            "Knots and lines",
        ),
        ("/a/acme/admin/statistics", "Harbour crew"),
        ("/a/acme/admin/settings?tab=api", "HR sync"),
        ("/a/acme/admin/settings?tab=admins", "grace@example.com"),
        ("/a/acme/admin/audit", "lea@example.com"),
    ];
    for (path, text) in pages {
        let page = html(&app, &owner, path).await;
        assert!(page.contains(text), "{path} without {text:?}: {page}");
    }
}

#[tokio::test]
async fn the_learner_home_arrives_with_the_learners_teams_and_courses() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let team = ok(app
        .call(
            &owner,
            "create_team",
            &[("name", "Deckhands"), ("color", "#0b6e99")],
        )
        .await)
    .await;
    ok(app
        .call_json(
            &owner,
            "create_course",
            json!({"course": {"title": "Reading the tide", "published": true, "for_everyone": true}}),
        )
        .await)
    .await;
    let (lea, _) = app
        .registered_learner(
            &owner,
            "acme",
            "lea@example.com",
            Role::Learner,
            &[TeamId::new(team["id"].as_i64().unwrap())],
        )
        .await;
    let page = html(&app, &lea, "/a/acme").await;
    assert!(page.contains("Deckhands"), "{page}");
    assert!(page.contains("Reading the tide"), "{page}");
}

/// The `<button>` tag of the audit pager's button `test_id` in `page`.
fn pager_button<'a>(page: &'a str, test_id: &str) -> &'a str {
    let at = page
        .find(&format!("data-testid=\"{test_id}\""))
        .unwrap_or_else(|| panic!("no {test_id} in {page}"));
    let start = page[..at].rfind("<button").unwrap();
    let end = at + page[at..].find('>').unwrap();
    &page[start..=end]
}

#[tokio::test]
async fn the_audit_logs_pager_offers_next_on_the_first_page_and_previous_on_the_last() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    // More entries than one page holds (25): each team made is one.
    for n in 0..30 {
        ok(app
            .call(
                &owner,
                "create_team",
                &[("name", &format!("Crew {n}")), ("color", "Blue")],
            )
            .await)
        .await;
    }
    let first = html(&app, &owner, "/a/acme/admin/audit").await;
    assert!(first.contains("Page 1 of 2"), "{first}");
    assert!(
        !first.contains("set_page"),
        "no source text in the page: {first}"
    );
    assert!(
        !pager_button(&first, "audit-next").contains("disabled"),
        "Next works on page 1"
    );
    assert!(pager_button(&first, "audit-prev").contains("disabled"));
    let last = html(&app, &owner, "/a/acme/admin/audit?page=2").await;
    assert!(last.contains("Page 2 of 2"), "{last}");
    assert!(pager_button(&last, "audit-next").contains("disabled"));
    assert!(!pager_button(&last, "audit-prev").contains("disabled"));
}

#[tokio::test]
async fn settings_show_the_academy_link_in_full_ready_to_share() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let page = html(&app, &owner, "/a/acme/admin/settings").await;
    let link = format!("{}/a/acme", app.base);
    assert!(
        page.contains(&format!("data-testid=\"academy-link\">{link}<")),
        "{page}"
    );
    assert!(page.contains("Copy the academy link"), "{page}");
}
