//! Courses: the admin's Courses section and the learner home's courses, end to end through the real
//! server, on SQLite or PostgreSQL.

use crate::common;
use app::domain::{CourseId, UserId};

use app::{
    domain::{Plan, role::Role},
    error::AppError,
    model::{
        Page, TeamView,
        courses::{CourseCard, CourseView, DeletedCourse},
    },
};
use common::{TestApp, error_of};
use reqwest::{Client, Response};
use serde_json::{Value, json};

/// The body of `create_course` / `update_course`: a title, and whatever `extra` sets.
fn course(title: &str, extra: Value) -> Value {
    let mut c = json!({"title": title, "description": "", "published": false, "for_everyone": false, "team_ids": []});
    if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            c.insert(k.clone(), v.clone());
        }
    }
    c
}

async fn try_create(app: &TestApp, client: &Client, body: Value) -> Response {
    app.call_json(client, "create_course", json!({ "course": body }))
        .await
}

async fn create(app: &TestApp, client: &Client, body: Value) -> CourseView {
    let res = try_create(app, client, body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn try_update(app: &TestApp, client: &Client, id: CourseId, body: Value) -> Response {
    app.call_json(
        client,
        "update_course",
        json!({ "course_id": id, "course": body }),
    )
    .await
}

async fn publish(app: &TestApp, client: &Client, id: CourseId, on: bool) -> Response {
    app.call(
        client,
        "publish_course",
        &[
            ("course_id", &id.to_string()),
            ("published", &on.to_string()),
        ],
    )
    .await
}

async fn get(app: &TestApp, client: &Client, id: CourseId) -> Response {
    app.call(client, "get_course", &[("course_id", &id.to_string())])
        .await
}

async fn delete(app: &TestApp, client: &Client, id: CourseId) -> Response {
    app.call(client, "delete_course", &[("course_id", &id.to_string())])
        .await
}

async fn list(app: &TestApp, client: &Client, search: &str) -> Page<CourseView> {
    let res = app
        .call_json(
            client,
            "list_courses",
            json!({"query": {"search": search, "filter": "", "page": 1}}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// The titles on `client`'s learner home.
async fn my_courses(app: &TestApp, client: &Client) -> Vec<String> {
    let res = app.call(client, "my_courses", &[]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let cards: Vec<CourseCard> = res.json().await.unwrap();
    cards.into_iter().map(|c| c.title).collect()
}

async fn team(app: &TestApp, client: &Client, name: &str) -> TeamView {
    let res = app
        .call(client, "create_team", &[("name", name), ("color", "Teal")])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// `(action, target, detail)` of the academy's course audit rows, oldest first.
async fn course_audit(app: &TestApp, slug: &str) -> Vec<(String, String, String)> {
    let academy = app.academy_id(slug).await;
    sqlx::query_as(
        "SELECT action, target, detail FROM audit_log \
         WHERE academy_id = $1 AND action LIKE 'course.%' ORDER BY id",
    )
    .bind(academy)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap()
}

async fn course_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM courses")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

fn field(e: &AppError, name: &str) -> String {
    e.field_message(name)
        .unwrap_or_else(|| panic!("no message for {name}: {e:?}"))
}

#[tokio::test]
async fn an_owner_creates_edits_publishes_assigns_and_deletes_a_course_each_step_audited() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = team(&app, &owner, "Sales").await;

    let c = create(
        &app,
        &owner,
        course(
            "  Safety   basics ",
            json!({"description": "  Read this first.\r\nThen the rest.  "}),
        ),
    )
    .await;
    assert_eq!(c.title, "Safety basics");
    assert_eq!(c.description, "Read this first.\nThen the rest.");
    assert!(!c.published && !c.for_everyone && c.teams.is_empty());
    assert_eq!(c.created_at, c.updated_at);

    let page = list(&app, &owner, "").await;
    assert_eq!(page.total, 1);
    assert_eq!(page.rows, vec![c.clone()]);
    assert_eq!(list(&app, &owner, "SAFETY").await.total, 1);
    assert_eq!(list(&app, &owner, "cooking").await.total, 0);

    let res = try_update(
        &app,
        &owner,
        c.id,
        course(
            "Safety basics 2026",
            json!({"description": "New text", "team_ids": [sales.id, sales.id]}),
        ),
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let edited: CourseView = res.json().await.unwrap();
    assert_eq!(edited.title, "Safety basics 2026");
    assert_eq!(edited.teams, vec![sales.clone()]);
    assert!(edited.updated_at >= c.updated_at);
    let fetched: CourseView = get(&app, &owner, c.id).await.json().await.unwrap();
    assert_eq!(fetched, edited);

    // Saving the same thing again changes nothing and writes no audit row.
    let same = try_update(
        &app,
        &owner,
        c.id,
        course(
            "Safety basics 2026",
            json!({"description": "New text", "team_ids": [sales.id]}),
        ),
    )
    .await;
    assert_eq!(same.status(), 200);

    let res = publish(&app, &owner, c.id, true).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert!(res.json::<CourseView>().await.unwrap().published);
    assert_eq!(publish(&app, &owner, c.id, true).await.status(), 200);
    let res = try_update(
        &app,
        &owner,
        c.id,
        course(
            "Safety basics 2026",
            json!({"description": "New text", "published": true, "for_everyone": true, "team_ids": [sales.id]}),
        ),
    )
    .await;
    let everyone: CourseView = res.json().await.unwrap();
    assert!(everyone.for_everyone && everyone.published);
    assert!(
        everyone.teams.is_empty(),
        "for everyone, the teams are cleared"
    );
    let res = publish(&app, &owner, c.id, false).await;
    assert!(!res.json::<CourseView>().await.unwrap().published);

    let res = delete(&app, &owner, c.id).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let deleted: DeletedCourse = res.json().await.unwrap();
    assert_eq!(deleted.title, "Safety basics 2026");
    assert_eq!(get(&app, &owner, c.id).await.status(), 404);
    assert_eq!(delete(&app, &owner, c.id).await.status(), 404);
    assert_eq!(list(&app, &owner, "").await.total, 0);

    let t = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        course_audit(&app, "acme").await,
        vec![
            t("course.created", "Safety basics", "Draft"),
            t(
                "course.updated",
                "Safety basics 2026",
                "title: Safety basics → Safety basics 2026; description"
            ),
            t("course.assigned", "Safety basics 2026", "Nobody → Sales"),
            t("course.published", "Safety basics 2026", ""),
            t("course.assigned", "Safety basics 2026", "Sales → Everyone"),
            t("course.unpublished", "Safety basics 2026", ""),
            t(
                "course.deleted",
                "Safety basics 2026",
                "Draft, for Everyone"
            ),
        ]
    );
}

#[tokio::test]
async fn a_course_created_for_teams_is_audited_as_assigned_to_them() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = team(&app, &owner, "Sales").await;
    let support = team(&app, &owner, "Support").await;
    let c = create(
        &app,
        &owner,
        course(
            "Onboarding",
            json!({"published": true, "team_ids": [support.id, sales.id]}),
        ),
    )
    .await;
    assert!(c.published);
    assert_eq!(c.teams, vec![sales, support], "by name");
    let audit = course_audit(&app, "acme").await;
    assert_eq!(audit[0].0, "course.created");
    assert_eq!(audit[0].2, "Published");
    assert_eq!(
        (audit[1].0.as_str(), audit[1].2.as_str()),
        ("course.assigned", "Sales, Support")
    );
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;

    let res = try_create(
        &app,
        &owner,
        course("   ", json!({"description": "x".repeat(2_001)})),
    )
    .await;
    assert_eq!(res.status(), 422);
    let e = error_of(res).await;
    assert_eq!(field(&e, "title"), "Enter a title for the course");
    assert!(field(&e, "description").contains("2001 characters, at most 2000"));

    let res = try_create(&app, &owner, course(&"T".repeat(121), json!({}))).await;
    assert_eq!(res.status(), 422);
    assert!(field(&error_of(res).await, "title").contains("at most 120"));

    let res = try_create(&app, &owner, course("Bad\u{202E}title", json!({}))).await;
    assert!(field(&error_of(res).await, "title").contains("invisible"));

    let res = try_create(&app, &owner, course("Fine", json!({"team_ids": [987_654]}))).await;
    assert_eq!(res.status(), 422);
    assert!(field(&error_of(res).await, "team_ids").contains("no longer exists"));
    assert_eq!(course_count(&app).await, 0);

    // Titles are unique per academy without regard to case (Unicode case, on both databases).
    let first = create(&app, &owner, course("Über uns", json!({}))).await;
    let res = try_create(&app, &owner, course("  ÜBER   UNS ", json!({}))).await;
    assert_eq!(res.status(), 409);
    let e = error_of(res).await;
    assert!(
        field(&e, "title").contains("A course titled \"ÜBER UNS\" already exists"),
        "{e:?}"
    );
    let other = create(&app, &owner, course("Safety", json!({}))).await;
    let res = try_update(&app, &owner, other.id, course("über UNS", json!({}))).await;
    assert_eq!(res.status(), 409);
    assert!(field(&error_of(res).await, "title").contains("already exists"));
    // Its own title in another case is fine.
    let res = try_update(&app, &owner, first.id, course("ÜBER UNS", json!({}))).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    let res = try_update(
        &app,
        &owner,
        other.id,
        course("", json!({"description": "ok"})),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(error_of(res).await.field_message("title").is_some());
    let kept: CourseView = get(&app, &owner, other.id).await.json().await.unwrap();
    assert_eq!(kept.title, "Safety");
    assert_eq!(course_count(&app).await, 2);
    assert_eq!(
        course_audit(&app, "acme")
            .await
            .iter()
            .map(|r| r.0.as_str())
            .collect::<Vec<_>>(),
        ["course.created", "course.created", "course.updated"],
        "refusals leave no audit row"
    );
}

/// Sales and Support teams; a learner in Sales, one in both, one in none; courses of every kind.
struct Academy {
    app: TestApp,
    owner: Client,
    sales: TeamView,
    in_sales: Client,
    in_sales_id: UserId,
    in_both: Client,
    in_none: Client,
}

async fn academy_with_courses() -> Academy {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let sales = team(&app, &owner, "Sales").await;
    let support = team(&app, &owner, "Support").await;
    let (in_sales, in_sales_id) = app
        .registered_learner(
            &owner,
            "acme",
            "sam@example.com",
            Role::Learner,
            &[sales.id],
        )
        .await;
    let (in_both, _) = app
        .registered_learner(
            &owner,
            "acme",
            "bo@example.com",
            Role::LearnerAnalyst,
            &[sales.id, support.id],
        )
        .await;
    let (in_none, _) = app
        .registered_learner(&owner, "acme", "nell@example.com", Role::Learner, &[])
        .await;
    let published = json!(true);
    for (title, extra) in [
        (
            "A · Everyone",
            json!({"published": published, "for_everyone": true}),
        ),
        (
            "B · Sales",
            json!({"published": published, "team_ids": [sales.id]}),
        ),
        (
            "C · Support",
            json!({"published": published, "team_ids": [support.id]}),
        ),
        (
            "D · Sales and Support",
            json!({"published": published, "team_ids": [sales.id, support.id]}),
        ),
        ("E · Sales draft", json!({"team_ids": [sales.id]})),
        ("F · Everyone draft", json!({"for_everyone": true})),
        ("G · Nobody", json!({"published": published})),
    ] {
        create(&app, &owner, course(title, extra)).await;
    }
    Academy {
        app,
        owner,
        sales,
        in_sales,
        in_sales_id,
        in_both,
        in_none,
    }
}

#[tokio::test]
async fn a_learner_sees_exactly_the_published_courses_for_everyone_and_for_their_teams() {
    let a = academy_with_courses().await;
    assert_eq!(
        my_courses(&a.app, &a.in_sales).await,
        ["A · Everyone", "B · Sales", "D · Sales and Support"]
    );
    assert_eq!(
        my_courses(&a.app, &a.in_both).await,
        [
            "A · Everyone",
            "B · Sales",
            "C · Support",
            "D · Sales and Support"
        ]
    );
    assert_eq!(my_courses(&a.app, &a.in_none).await, ["A · Everyone"]);

    // Unpublishing hides a course at once; publishing a draft shows it.
    let all = list(&a.app, &a.owner, "").await;
    let id = |t: &str| all.rows.iter().find(|c| c.title == t).unwrap().id;
    assert_eq!(all.total, 7);
    publish(&a.app, &a.owner, id("B · Sales"), false).await;
    publish(&a.app, &a.owner, id("E · Sales draft"), true).await;
    assert_eq!(
        my_courses(&a.app, &a.in_sales).await,
        ["A · Everyone", "D · Sales and Support", "E · Sales draft"]
    );
}

#[tokio::test]
async fn removing_a_learner_from_a_team_hides_the_teams_courses() {
    let a = academy_with_courses().await;
    let res = a
        .app
        .call(
            &a.owner,
            "remove_team_member",
            &[
                ("team_id", &a.sales.id.to_string()),
                ("user_id", &a.in_sales_id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(my_courses(&a.app, &a.in_sales).await, ["A · Everyone"]);
}

#[tokio::test]
async fn deleting_a_team_removes_its_course_assignments() {
    let a = academy_with_courses().await;
    let res = a
        .app
        .call(
            &a.owner,
            "delete_team",
            &[("team_id", &a.sales.id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM course_teams WHERE team_id = $1")
        .bind(a.sales.id)
        .fetch_one(&a.app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0, "the assignment rows are gone, not just hidden");
    let page = list(&a.app, &a.owner, "").await;
    let teams_of = |t: &str| {
        page.rows
            .iter()
            .find(|c| c.title == t)
            .map(|c| c.teams.iter().map(|t| t.name.clone()).collect::<Vec<_>>())
            .unwrap()
    };
    assert_eq!(
        teams_of("B · Sales"),
        Vec::<String>::new(),
        "the course stays"
    );
    assert_eq!(teams_of("D · Sales and Support"), ["Support"]);
    assert_eq!(my_courses(&a.app, &a.in_sales).await, ["A · Everyone"]);
    assert_eq!(
        my_courses(&a.app, &a.in_both).await,
        ["A · Everyone", "C · Support", "D · Sales and Support"]
    );
}

#[tokio::test]
async fn learners_and_learner_analysts_are_refused_every_managing_function_and_strangers_must_sign_in()
 {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = app
        .call(&owner, "change_plan", &[("plan", Plan::Business.as_str())])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let c = create(
        &app,
        &owner,
        course("Safety", json!({"published": true, "for_everyone": true})),
    )
    .await;
    let (cid, id) = (c.id, c.id.to_string());
    let (learner, _) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let (analyst, _) = app
        .registered_learner(&owner, "acme", "ana@example.com", Role::LearnerAnalyst, &[])
        .await;
    let (learner_admin, _) = app
        .registered_learner(&owner, "acme", "lia@example.com", Role::LearnerAdmin, &[])
        .await;
    let stranger = app.browser();

    let calls = |client: &Client| {
        let (app, client, id) = (&app, client.clone(), id.clone());
        async move {
            let query = json!({"query": {"search": "", "filter": "", "page": 1}});
            let body = json!({"course_id": cid, "course": course("Hacked", json!({}))});
            vec![
                (
                    "list_courses",
                    app.call_json(&client, "list_courses", query).await,
                ),
                (
                    "get_course",
                    app.call(&client, "get_course", &[("course_id", &id)]).await,
                ),
                (
                    "course_team_choices",
                    app.call(&client, "course_team_choices", &[]).await,
                ),
                (
                    "create_course",
                    app.call_json(
                        &client,
                        "create_course",
                        json!({"course": course("New", json!({}))}),
                    )
                    .await,
                ),
                (
                    "update_course",
                    app.call_json(&client, "update_course", body).await,
                ),
                (
                    "publish_course",
                    app.call(
                        &client,
                        "publish_course",
                        &[("course_id", &id), ("published", "false")],
                    )
                    .await,
                ),
                (
                    "delete_course",
                    app.call(&client, "delete_course", &[("course_id", &id)])
                        .await,
                ),
            ]
        }
    };
    for (who, client) in [("learner", &learner), ("learner analyst", &analyst)] {
        for (endpoint, res) in calls(client).await {
            assert_eq!(res.status(), 403, "{who} {endpoint}");
            let e = error_of(res).await;
            assert_eq!(
                e.to_string(),
                "Your role does not include managing courses.",
                "{who} {endpoint}"
            );
        }
        // …but they see the published course on their home.
        assert_eq!(my_courses(&app, client).await, ["Safety"], "{who}");
    }
    for (endpoint, res) in calls(&stranger).await {
        assert_eq!(res.status(), 401, "signed out: {endpoint}");
    }
    assert_eq!(app.call(&stranger, "my_courses", &[]).await.status(), 401);
    let kept: CourseView = get(&app, &owner, c.id).await.json().await.unwrap();
    assert_eq!(kept, c, "nothing changed");
    assert_eq!(course_count(&app).await, 1);

    // A Learner-Admin manages courses.
    let made = create(
        &app,
        &learner_admin,
        course("By a Learner-Admin", json!({})),
    )
    .await;
    assert_eq!(delete(&app, &learner_admin, made.id).await.status(), 200);

    // The pages follow the same matrix.
    assert_eq!(app.get(&owner, "/a/acme/admin/courses").await.status(), 200);
    let res = app
        .get(&owner, &format!("/a/acme/admin/courses/{}", c.id))
        .await;
    assert_eq!(res.status(), 200);
    let html = app
        .get(&owner, "/a/acme/admin/courses")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("href=\"/a/acme/admin/courses\""),
        "the nav links Courses"
    );
    for (client, to) in [
        (&learner, "/a/acme"),
        (&analyst, "/a/acme/admin/statistics"),
    ] {
        let res = app.get(client, "/a/acme/admin/courses").await;
        assert_eq!(res.status(), 302);
        assert_eq!(crate::common::location_path(&res), to);
    }
    let html = app
        .get(&analyst, "/a/acme/admin/statistics")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("/admin/courses"),
        "no Courses link for a Learner-Analyst"
    );
    assert_eq!(
        app.get(&learner_admin, "/a/acme/admin/courses")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn another_academys_courses_are_not_found_and_never_listed_or_shown() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let olga = app.other_academy("beta").await;
    let theirs = create(
        &app,
        &olga,
        course(
            "Beta secrets",
            json!({"published": true, "for_everyone": true}),
        ),
    )
    .await;
    let their_team = team(&app, &olga, "Beta team").await;
    let mine = create(&app, &owner, course("Acme course", json!({}))).await;
    let (learner, _) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;

    assert_eq!(get(&app, &owner, theirs.id).await.status(), 404);
    assert_eq!(
        try_update(&app, &owner, theirs.id, course("Mine now", json!({})))
            .await
            .status(),
        404
    );
    assert_eq!(publish(&app, &owner, theirs.id, false).await.status(), 404);
    let res = delete(&app, &owner, theirs.id).await;
    assert_eq!(res.status(), 404);
    assert!(error_of(res).await.to_string().contains("no longer exists"));
    let listed = list(&app, &owner, "").await;
    assert_eq!(listed.total, 1);
    assert_eq!(listed.rows[0].id, mine.id);
    assert!(my_courses(&app, &learner).await.is_empty());
    let res = try_update(
        &app,
        &owner,
        mine.id,
        course("Acme course", json!({"team_ids": [their_team.id]})),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(error_of(res).await.field_message("team_ids").is_some());
    let choices: Vec<TeamView> = app
        .call(&owner, "course_team_choices", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(choices.is_empty());

    // Beta's course is untouched, and Acme may use the same title.
    let still: CourseView = get(&app, &olga, theirs.id).await.json().await.unwrap();
    assert_eq!(still, theirs);
    create(&app, &owner, course("Beta secrets", json!({}))).await;
}

#[tokio::test]
async fn view_as_learner_shows_staff_the_published_courses_for_everyone_and_says_why() {
    let a = academy_with_courses().await;
    let (app, owner) = (&a.app, &a.owner);
    // Documented behaviour: staff belong to no team, so "View as Learner" shows what a learner in no
    // team sees — the published courses for everyone — and a line on the page says so.
    assert_eq!(my_courses(app, owner).await, ["A · Everyone"]);
    assert_eq!(
        my_courses(app, owner).await,
        my_courses(app, &a.in_none).await
    );
    let res = app.call(owner, "view_as_learner", &[("on", "true")]).await;
    assert_eq!(res.status(), 200);
    let html = app.get(owner, "/a/acme").await.text().await.unwrap();
    assert!(html.contains("Your courses"));
    assert!(
        html.contains("You belong to no team, so this is what a learner in no team sees"),
        "{html}"
    );
    assert_eq!(my_courses(app, owner).await, ["A · Everyone"]);
    // A learner's own home has no such line.
    let html = app.get(&a.in_sales, "/a/acme").await.text().await.unwrap();
    assert!(html.contains("Your courses"));
    assert!(!html.contains("You belong to no team"));
}
