//! Every search box's server function, given what people paste: a whole document, runs of `%`,
//! emoji. None answers 500; a search too long to be one is refused in words, and LIKE's wildcards
//! are taken literally.

use crate::common::TestApp;
use app::domain::TeamId;

use serde_json::{Value, json};

/// `(endpoint, body)` of every search with `text` as the search.
fn searches(text: &str, team: TeamId) -> Vec<(&'static str, Value)> {
    let query = json!({"search": text, "filter": "", "page": 1});
    vec![
        ("list_invites", json!({ "query": query })),
        ("list_learners", json!({ "query": query })),
        ("list_team_summaries", json!({ "query": query })),
        (
            "list_team_members",
            json!({ "team_id": team, "query": query }),
        ),
        ("list_courses", json!({ "query": query })),
        (
            "list_audit",
            json!({ "query": {"search": text, "page": 1} }),
        ),
        (
            "export_audit",
            json!({ "query": {"search": text, "page": 1} }),
        ),
    ]
}

#[tokio::test]
async fn pasting_a_document_percent_runs_or_emoji_into_any_search_never_answers_500() {
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = app
        .call(
            &owner,
            "create_team",
            &[("name", "Sales"), ("color", "Blue")],
        )
        .await;
    let team = TeamId::new(res.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    // Rows for every search to look at: a learner in the team (an invitation, an account, audit
    // entries) and a course.
    app.registered_learner(
        &owner,
        "acme",
        "lea@example.com",
        app::domain::role::Role::Learner,
        &[team],
    )
    .await;
    let res = app
        .call_json(
            &owner,
            "create_course",
            json!({"course": {"title": "Safety basics", "description": "", "team_ids": []}}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let hostile = [
        "a".repeat(50_000),
        "%".repeat(25_000),
        "😀".repeat(13_000),
        "_%\\".repeat(300),
    ];
    for text in &hostile {
        for (endpoint, body) in searches(text, team) {
            let res = app.call_json(&owner, endpoint, body).await;
            let status = res.status().as_u16();
            let answer = res.text().await.unwrap();
            assert!(
                status < 500,
                "{endpoint} with {} chars: {status} {answer}",
                text.chars().count()
            );
            if text.chars().count() > 200 {
                assert_eq!(
                    status, 422,
                    "{endpoint}: a search that long is refused: {answer}"
                );
                assert!(
                    answer.contains("at most 200 characters"),
                    "{endpoint}: {answer}"
                );
            }
        }
        let res = app
            .call(
                &owner,
                "team_candidates",
                &[("team_id", &team.to_string()), ("search", text)],
            )
            .await;
        assert!(
            res.status().as_u16() < 500,
            "team_candidates: {}",
            res.status()
        );
        assert_eq!(res.status(), 422, "team_candidates");
    }
    // A search of the longest allowed length made of wildcards matches nothing, literally.
    let wildcards = "%_".repeat(100);
    for (endpoint, body) in searches(&wildcards, team) {
        let res = app.call_json(&owner, endpoint, body).await;
        assert_eq!(
            res.status(),
            200,
            "{endpoint}: {}",
            res.text().await.unwrap()
        );
        if endpoint == "list_team_summaries" {
            let page: Value = res.json().await.unwrap();
            assert_eq!(page["total"], 0, "'%' is not a wildcard: {page}");
        }
    }
}
