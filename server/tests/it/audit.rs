//! The Audit log page's data through the real server, on SQLite or PostgreSQL: rows in words, the
//! filters (kind of action, person, dates in the viewer's time zone, text), pages, the CSV export
//! and the wall between academies.

use crate::common;
use app::domain::UserId;

use std::time::Instant;

use app::{
    domain::role::Role,
    model::{
        Page,
        audit::{AuditActor, AuditEntry, AuditExport, AuditPeople, AuditPerson},
    },
};
use common::{OWNER_EMAIL, TestApp, error_of};
use reqwest::Client;
use serde_json::{Value, json};

/// 2020-03-01 00:00:00.000 UTC.
const MAR_1: i64 = 1_583_020_800_000;
const DAY: i64 = 86_400_000;

async fn list(app: &TestApp, client: &Client, query: Value) -> Page<AuditEntry> {
    let res = app
        .call_json(client, "list_audit", json!({ "query": query }))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn export(app: &TestApp, client: &Client, query: Value) -> AuditExport {
    let res = app
        .call_json(client, "export_audit", json!({ "query": query }))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// An audit row written as a service writes it, at a chosen time.
async fn record(
    app: &TestApp,
    slug: &str,
    actor: Option<UserId>,
    action: &str,
    target: &str,
    detail: &str,
    at: i64,
) {
    app::server::repo::audit::record_with_detail(
        &app.state.db.pool,
        app.academy_id(slug).await,
        actor,
        action,
        target,
        detail,
        at,
    )
    .await
    .unwrap();
}

fn targets(page: &Page<AuditEntry>) -> Vec<&str> {
    page.rows.iter().map(|r| r.target.as_str()).collect()
}

#[tokio::test]
async fn the_log_says_who_did_what_newest_first_in_words() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let owner_id = app.user_id("acme", OWNER_EMAIL).await.unwrap();
    let (_lea, lea_id) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let res = app
        .call(
            &owner,
            "create_team",
            &[("name", "Sales"), ("color", "Blue")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .call(
            &owner,
            "change_learner_role",
            &[
                ("user_id", &lea_id.to_string()),
                ("role", "learner_analyst"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let now = app::server::db::now_ms();
    record(
        &app,
        "acme",
        None,
        "invite.api",
        "API: HR system",
        "3 invited, 0 renewed, 0 already learners, 0 skipped",
        now + 1000,
    )
    .await;
    record(
        &app,
        "acme",
        None,
        "outbox.purged",
        "old mail",
        "",
        now + 2000,
    )
    .await;
    record(
        &app,
        "acme",
        Some(UserId::new(999_999)),
        "team.deleted",
        "Old team",
        "",
        now + 3000,
    )
    .await;

    let page = list(&app, &owner, json!({})).await;
    let top: Vec<(&str, &str)> = page
        .rows
        .iter()
        .take(7)
        .map(|r| (r.action.as_str(), r.what.as_str()))
        .collect();
    assert_eq!(
        top,
        [
            ("team.deleted", "deleted a team"),
            ("outbox.purged", "outbox.purged"),
            ("invite.api", "invited 3 learners through the API"),
            ("learner.role_changed", "changed the role of a learner"),
            ("team.created", "created a team"),
            ("session.signed_in", "signed in"),
            ("invite.accepted", "accepted an invitation and joined"),
        ]
    );
    assert_eq!(page.rows[0].actor, AuditActor::Removed);
    assert_eq!(page.rows[1].actor, AuditActor::System);
    assert_eq!(
        page.rows[2].actor,
        AuditActor::Api {
            application: "HR system".into()
        }
    );
    assert_eq!(
        page.rows[2].target, "",
        "the application is who, not the target"
    );
    let role = &page.rows[3];
    assert_eq!(
        role.actor,
        AuditActor::Person {
            name: "Ada Lovelace".into(),
            email: OWNER_EMAIL.into()
        }
    );
    assert_eq!(role.target, "lea@example.com");
    assert_eq!(role.detail, "Learner → Learner-Analyst");
    assert_eq!(
        page.rows[6].actor,
        AuditActor::Person {
            name: "Lea Learner".into(),
            email: "lea@example.com".into()
        }
    );
    let oldest = page.rows.last().unwrap();
    assert_eq!(oldest.action, "academy.created");
    assert_eq!(oldest.what, "created the academy");
    assert!(page.rows.windows(2).all(|w| w[0].at >= w[1].at));

    // The "Who" filter offers the people in the log: those who run the academy, then learners.
    let res = app.call(&owner, "audit_people", &[]).await;
    assert_eq!(res.status(), 200);
    let people: AuditPeople = res.json().await.unwrap();
    let ids = |v: &[AuditPerson]| v.iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(ids(&people.managers), [owner_id]);
    assert_eq!(ids(&people.others), [lea_id]);
    assert!(!people.more);
}

#[tokio::test]
async fn filters_by_kind_of_action_person_inclusive_dates_and_text() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let owner_id = app.user_id("acme", OWNER_EMAIL).await.unwrap();
    let (_lea, lea_id) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let o = Some(owner_id);
    record(&app, "acme", o, "team.created", "Sales", "Blue", MAR_1).await;
    record(
        &app,
        "acme",
        o,
        "invite.created",
        "a@example.com",
        "",
        MAR_1 + DAY - 1,
    )
    .await;
    record(
        &app,
        "acme",
        Some(lea_id),
        "invite.accepted",
        "b@example.com",
        "",
        MAR_1 + DAY,
    )
    .await;
    record(
        &app,
        "acme",
        None,
        "session.signed_in",
        "",
        "",
        MAR_1 + 2 * DAY + DAY / 2,
    )
    .await;
    record(
        &app,
        "acme",
        o,
        "team.member_added",
        "c@example.com",
        "Sales_EU",
        MAR_1 + 3 * DAY,
    )
    .await;
    let in_2020 = |extra: Value| {
        let mut q = json!({"from": "2020-01-01", "to": "2020-12-31"});
        q.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        q
    };

    // Both ends of a range are whole days, included.
    let page = list(
        &app,
        &owner,
        json!({"from": "2020-03-01", "to": "2020-03-01"}),
    )
    .await;
    assert_eq!(targets(&page), ["a@example.com", "Sales"]);
    let page = list(
        &app,
        &owner,
        json!({"from": "2020-03-01", "to": "2020-03-02"}),
    )
    .await;
    assert_eq!(targets(&page), ["b@example.com", "a@example.com", "Sales"]);
    let page = list(&app, &owner, json!({"to": "2020-03-02"})).await;
    assert_eq!(page.total, 3, "only an end date");
    let page = list(
        &app,
        &owner,
        json!({"from": "2020-03-03", "to": "2020-12-31"}),
    )
    .await;
    assert_eq!(targets(&page), ["c@example.com", ""]);
    // In the viewer's time zone: 2 March in UTC+2 starts at 22:00 UTC on 1 March.
    let page = list(
        &app,
        &owner,
        json!({"from": "2020-03-02", "to": "2020-03-02", "utc_offset_min": 120}),
    )
    .await;
    assert_eq!(targets(&page), ["b@example.com", "a@example.com"]);

    let page = list(&app, &owner, in_2020(json!({"action": "invites"}))).await;
    assert_eq!(targets(&page), ["b@example.com", "a@example.com"]);
    let page = list(&app, &owner, in_2020(json!({"action": "teams"}))).await;
    assert_eq!(targets(&page), ["c@example.com", "Sales"]);
    let page = list(&app, &owner, in_2020(json!({"who": lea_id.to_string()}))).await;
    assert_eq!(targets(&page), ["b@example.com"]);
    let page = list(&app, &owner, in_2020(json!({"who": "system"}))).await;
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].action, "session.signed_in");
    assert_eq!(page.rows[0].actor, AuditActor::System);
    let page = list(
        &app,
        &owner,
        in_2020(json!({"who": owner_id.to_string(), "action": "teams", "search": "SALES"})),
    )
    .await;
    assert_eq!(
        targets(&page),
        ["c@example.com", "Sales"],
        "target or detail, any case"
    );
    let page = list(&app, &owner, in_2020(json!({"search": "s_eu"}))).await;
    assert_eq!(targets(&page), ["c@example.com"]);
    let page = list(&app, &owner, in_2020(json!({"search": "sa_es"}))).await;
    assert_eq!(page.total, 0, "_ is a letter here, not a wildcard");
    let page = list(&app, &owner, in_2020(json!({"search": "%"}))).await;
    assert_eq!(page.total, 0, "% is a letter here, not a wildcard");

    // Filters that cannot work say which one and why.
    for (query, field) in [
        (json!({"action": "nope"}), "action"),
        (json!({"who": "bob"}), "who"),
        (json!({"from": "2020-13-01"}), "from"),
        (json!({"to": "tomorrow"}), "to"),
        (json!({"from": "2020-03-02", "to": "2020-03-01"}), "to"),
    ] {
        let res = app
            .call_json(&owner, "list_audit", json!({ "query": query }))
            .await;
        assert_eq!(res.status(), 422, "{query}");
        let e = error_of(res).await;
        assert!(e.field_message(field).is_some(), "{query}: {e:?}");
    }
}

#[tokio::test]
async fn pages_hold_25_rows_and_the_total_counts_every_match() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    for i in 0..30 {
        record(
            &app,
            "acme",
            None,
            "team.created",
            &format!("Team {i:02}"),
            "",
            MAR_1 + i * 60_000,
        )
        .await;
    }
    let q = |page: u32| json!({"action": "teams", "page": page});
    let first = list(&app, &owner, q(1)).await;
    assert_eq!(
        (first.total, first.rows.len(), first.per_page, first.pages()),
        (30, 25, 25, 2)
    );
    assert_eq!(first.rows[0].target, "Team 29");
    let second = list(&app, &owner, q(2)).await;
    assert_eq!(
        targets(&second),
        ["Team 04", "Team 03", "Team 02", "Team 01", "Team 00"]
    );
    let third = list(&app, &owner, q(3)).await;
    assert!(third.rows.is_empty());
    assert_eq!(third.total, 30);
}

#[tokio::test]
async fn the_csv_export_keeps_the_filters_and_neutralises_formulas() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    record(
        &app,
        "acme",
        None,
        "team.created",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+1",
        MAR_1 + 14 * 3_600_000 + 5 * 60_000,
    )
    .await;
    record(&app, "acme", None, "team.created", "Support", "", MAR_1).await;
    let x = export(
        &app,
        &owner,
        json!({"search": "evil", "utc_offset_min": 120}),
    )
    .await;
    assert_eq!((x.rows, x.capped), (1, false));
    let lines: Vec<&str> = x.csv.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(
        lines[0],
        "When (UTC+02:00),Who,Email,What,Action,Target,Detail"
    );
    assert_eq!(
        lines[1],
        "2020-03-01 16:05:00,System,,created a team,team.created,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",'+1"
    );
    assert_eq!(lines.len(), 3, "header, one row, the final line end");

    let all = export(&app, &owner, json!({})).await;
    assert!(all.rows >= 3, "{}", all.rows);
    assert!(
        all.csv
            .contains(&format!("Ada Lovelace,{OWNER_EMAIL},created the academy"))
    );
}

#[tokio::test]
async fn an_export_holds_the_newest_50000_rows_and_says_so() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let academy = app.academy_id("acme").await;
    // 50,001 rows in one statement, one second apart.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50001) \
         INSERT INTO audit_log (academy_id, actor_user_id, action, target, detail, created_at) \
         SELECT $1, NULL, 'team.created', 'Bulk', '', $2 + i * 1000 FROM n",
    )
    .bind(academy)
    .bind(MAR_1)
    .execute(&app.state.db.pool)
    .await
    .unwrap();
    let started = Instant::now();
    let page = list(&app, &owner, json!({"search": "bulk"})).await;
    let page_ms = started.elapsed().as_millis();
    assert_eq!(page.total, 50_001);
    let started = Instant::now();
    let x = export(&app, &owner, json!({"search": "bulk"})).await;
    let export_ms = started.elapsed().as_millis();
    assert_eq!((x.rows, x.capped), (50_000, true));
    let lines: Vec<&str> = x.csv.split("\r\n").collect();
    assert_eq!(lines.len(), 50_002);
    // The newest are kept: the oldest row (i = 1, 00:00:01) is the one left out.
    assert!(lines[1].starts_with("2020-03-01 13:53:21,"), "{}", lines[1]);
    assert!(
        lines[50_000].starts_with("2020-03-01 00:00:02,"),
        "{}",
        lines[50_000]
    );
    eprintln!(
        "{}: a filtered page of 50,001 rows in {page_ms} ms; an export of 50,000 rows ({} KB) in {export_ms} ms",
        common::backend_name(),
        x.csv.len() / 1024
    );
}

#[tokio::test]
async fn another_academys_rows_never_appear() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let olga = app.other_academy("beta").await;
    let olga_id = app.user_id("beta", "olga@example.com").await.unwrap();
    record(
        &app,
        "beta",
        Some(olga_id),
        "team.created",
        "Beta secret",
        "",
        MAR_1,
    )
    .await;

    let mine = list(&app, &owner, json!({})).await;
    assert!(mine.rows.iter().all(|r| r.target != "Beta secret"));
    assert!(mine.rows.iter().all(
        |r| !matches!(&r.actor, AuditActor::Person { email, .. } if email == "olga@example.com")
    ));
    let page = list(&app, &owner, json!({"search": "beta"})).await;
    assert_eq!(page.total, 0);
    let page = list(&app, &owner, json!({"who": olga_id.to_string()})).await;
    assert_eq!(
        page.total, 0,
        "another academy's person matches nothing here"
    );
    let x = export(&app, &owner, json!({})).await;
    assert!(!x.csv.contains("Beta secret") && !x.csv.contains("olga@"));
    let res = app.call(&owner, "audit_people", &[]).await;
    let people: AuditPeople = res.json().await.unwrap();
    assert!(
        people
            .managers
            .iter()
            .chain(&people.others)
            .all(|p| p.id != olga_id)
    );

    let hers = list(&app, &olga, json!({"search": "beta secret"})).await;
    assert_eq!(targets(&hers), ["Beta secret"]);
    assert!(
        list(&app, &olga, json!({}))
            .await
            .rows
            .iter()
            .all(|r| r.target != "acme")
    );
}
